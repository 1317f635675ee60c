#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# matrix.sh: the boot matrix, one QEMU at a time.
#   bare       our kernel on plain QEMU
#   xen-ours   Xen + our dom0, in two boots: xen-ours and xen-ours-life,
#              the second a fresh dom0 for the lifecycle cases (the
#              testbed's user-process defect grows with dom0's age: README)
#   xen-stock  Xen + the stock Debian dom0
# Which cases each Xen boot runs, in which order: pipeline/cases.tbl.
# Each boot is bounded by timeout; report.py turns the results into cases.
. "$(dirname "$0")/lib.sh"

# run_cases RUN: the cases a Xen boot runs, in order: the rows of
# cases.tbl whose BOOT is RUN (XCI_CASES narrows; a row marked "asked"
# runs only when XCI_CASES names it).
run_cases() {
	awk -F'|' -v run="$1" '
		/^[ \t]*(#|$)/ { next }
		{ for (i = 1; i <= NF; i++) gsub(/^[ \t]+|[ \t]+$/, "", $i) }
		$2 == run { print $1, $6 }' "$PIPE/cases.tbl" |
	while read -r c when; do
		if [ -n "${XCI_CASES:-}" ]; then
			case ",$XCI_CASES," in *",$c,"*) ;; *) continue ;; esac
		elif [ "$when" = asked ]; then
			continue
		fi
		echo "$c"
	done
}

# init_killed CONSOLE: the signal (a number) that killed dom0's PID 1, if
# CONSOLE shows the kernel's panic for it and the signal is one of a
# process's own faults (SIGILL, SIGABRT, SIGBUS, SIGSEGV), with or
# without a core (0x80); fails otherwise.
init_killed() {
	local code
	code=$(grep -a -o -E 'Attempted to kill init! exitcode=0x[0-9a-f]+' "$1" | head -n 1)
	[ -n "$code" ] || return 1
	code=$((16#${code##*=0x} & 127))
	case $code in 4|6|7|11) echo $code ;; *) return 1 ;; esac
}

# xen_run RUN PLAN LIMIT: one Xen boot of dom0's PLAN, for RUN's cases
# (none: no boot).  If dom0 froze (boot.sh stopped
# the run after a long silence), lost its toolstack (oxenstored died,
# and dom0 ended the boot) or its case runner died twice in one case
# (dom0 ended the boot) or its PID 1 to a fault signal (dom0 panicked),
# with evidence of the testbed's user-process
# defect on the console (README, testbed notes), boot once more for the
# cases without a result; try 1 stays in RUN.try1, its results are kept,
# and the case it stopped in says it was retried.  Without such evidence,
# or when try 2 stops too, the cases left FAIL ("froze", or "not run").
xen_run() {
	local run=$1 plan=$2 limit=$3 c rest="" cur="" why evidence="" kfaults sig
	local cases
	rm -rf "$OUT/$run.try1"	# an earlier run's; report.py reads every run
	cases=$(run_cases "$run" | tr '\n' ' ')
	if [ -z "${cases// }" ]; then
		rm -rf "$OUT/$run"	# no stale results in the report
		return 0
	fi
	XCI_CASES=$(echo $cases | tr ' ' ,) XCI_EXPECT="$cases" \
		"$PIPE/boot.sh" "$run" xen "$plan" "$limit"
	if grep -q 'XCI: dom0 userland lost' "$OUT/$run/console.log"; then
		# dom0 says so only when its case runner died twice in one
		# case with no kernel oops, warning or hang report: the
		# defect's evidence (even if dom0's reboot then hung).
		why="lost dom0's case runner twice in one case ($(sed -n 's/.*XCI: dom0 userland lost: the case runner died twice in case [^ ]* (\(.*\)); ending this boot.*/\1/p' "$OUT/$run/console.log" | head -n 1))"
		evidence=1
	elif [ -f "$OUT/$run/hung" ]; then
		why="froze dom0 ($(cat "$OUT/$run/hung"))"
	elif grep -q 'XCI: toolstack lost' "$OUT/$run/console.log"; then
		why="lost dom0's toolstack (oxenstored died)"
	elif sig=$(init_killed "$OUT/$run/console.log"); then
		# PID 1 is dom0.sh's supervisor, a bash: killed by a fault
		# signal, it takes dom0 down with a panic, which is the
		# kernel's reaction to a user process's fault, not a fault of
		# the kernel.
		why="lost dom0's init (the case supervisor, a bash) to signal $sig"
		evidence=1
	else
		return 0
	fi
	# A kernel oops, warning or hang report of dom0 is never the
	# testbed's defect ("Oops: general protection fault" would pass for
	# the evidence below): no retry.  dom0's kernel lines carry its own
	# timestamp after the console's; a user process's fault reads
	# "traps: ...".  Only our dom0 kernel is held to it: Debian's warns
	# on some of what a frontend does (README).
	# (grep -c, not -q: under pipefail an early exit would fail the
	# pipe.)
	kfaults=$(grep -a -E '^\[ *[0-9.]+\] \[ *[0-9.]+\] ' "$OUT/$run/console.log" |
		grep -v -E 'traps:|Attempted to kill init! exitcode=' |
		grep -c -E 'BUG:|Oops|WARNING:|Kernel panic|blocked for more than|detected stalls?|hard LOCKUP' || true)
	if [ "$plan" = ours ] && [ "${kfaults:-0}" -gt 0 ]; then
		log "$run: try 1 $why after a dom0 kernel oops, warning or hang report: no retry"
		return 0
	fi
	# Evidence: user processes killed or corrupted, a bash (which has one
	# thread) waiting in a futex in dom0's process list, or Xen's dumps
	# showing a lost wakeup (a vCPU not running, not polling, with an
	# unmasked event pending, while a CPU of Xen idles), which no guest
	# can cause.
	# (Not from a check's line: its detail may quote a guest's console.
	# grep -c, not -q, under pipefail, as above.)
	if [ -z "$evidence" ] && [ "$(grep -a -v 'XCI-CHECK ' "$OUT/$run/console.log" |
	   grep -c -E 'segfault|general protection|corrupted|Segmentation fault|Inconsistency detected by ld.so|invalid time interval|state,ppid [A-Z] [0-9]+ (bash|timeout) futex_wait' || true)" = 0 ] &&
	   ! { grep -q -E 'VCPU[0-9]+: CPU[0-9]+ \[has=F\] poll=0 upcall_pend=01 upcall_mask=00' "$OUT/$run/console.log" &&
	       grep -q 'R arch/x86/domain.c#default_idle' "$OUT/$run/console.log"; }; then
		log "$run: try 1 $why without evidence of the testbed's defect: no retry"
		return 0
	fi
	for c in $cases; do
		grep -q "^CASE $c " "$OUT/$run/results" 2>/dev/null && continue
		rest="$rest,$c"
		[ -n "$cur" ] || cur=$c
	done
	[ -n "$rest" ] || return 0
	log "$run: try 1 $why in case $cur with evidence of the testbed's defect; booting again for${rest//,/ }"
	rm -rf "$OUT/$run.try1"
	mv "$OUT/$run" "$OUT/$run.try1"
	XCI_CASES=${rest#,} XCI_FREEZE= XCI_KILL_XS= XCI_RUNNER_DIE= XCI_REBOOT=1 XCI_EXPECT="${rest//,/ }" \
		"$PIPE/boot.sh" "$run" xen "$plan" "$limit"
	{
		cat "$OUT/$run.try1/results" 2>/dev/null || true	# none if it stopped in its first case
		awk -v c="$cur" -v note="retried: try 1 $why, with evidence of the testbed's defect (see README; its console: $run.try1/console.log); " '
			$1 == "CASE" && $2 == c {
				rest = $0
				for (i = 0; i < 5; i++)
					sub(/^[^ ]* /, "", rest)
				print $1, $2, $3, $4, $5, note rest
				next
			}
			{ print }' "$OUT/$run/results" 2>/dev/null || true
	} > "$OUT/$run/results.new"
	mv "$OUT/$run/results.new" "$OUT/$run/results"
	# The checks of the cases try 1 finished, then try 2's (the case
	# try 1 stopped in ran again: its checks are try 2's).
	{
		awk 'NR == FNR { if ($1 == "CASE") done[$2] = 1; next }
			$1 == "XCI-CHECK" && ($2 in done)' \
			"$OUT/$run.try1/results" "$OUT/$run.try1/checks" 2>/dev/null || true
		cat "$OUT/$run/checks" 2>/dev/null || true
	} > "$OUT/$run/checks.new"
	mv "$OUT/$run/checks.new" "$OUT/$run/checks"
	# Not reached again, or without a result: the case says why.
	grep -q "^CASE $cur " "$OUT/$run/results" ||
		echo "CASE $cur FAIL 0 - retried: try 1 $why (its console: $run.try1/console.log); try 2 gave no result (console.log)" >> "$OUT/$run/results"
}

runs=${XCI_RUNS:-bare xen-ours xen-stock}
for r in $runs; do
	case $r in
	bare)      "$PIPE/boot.sh" bare bare - "${XCI_TIMEOUT_BARE:-300}" ;;
	xen-ours)
		xen_run xen-ours ours "${XCI_TIMEOUT_OURS:-2400}"
		xen_run xen-ours-life ours "${XCI_TIMEOUT_OURS:-2400}"
		;;
	xen-stock) xen_run xen-stock stock "${XCI_TIMEOUT_STOCK:-2400}" ;;
	*) die "unknown run $r" ;;
	esac
done
