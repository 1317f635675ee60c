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

# xen_run RUN PLAN LIMIT: the Xen boots of dom0's PLAN for RUN's cases
# (none: no boot).  dom0 runs each case once per boot.  After each boot,
# pipeline/retry.py names the cases to boot again for: those that failed
# with evidence of the testbed's user-process defect (README, testbed
# notes), and those a boot that ended early with such evidence left
# without a result.  At most retry.py's MAX_TRIES boots; boot N's
# directory is kept as RUN.tryN, and retry.py merges them all into RUN,
# each case's result saying what its earlier tries ended with.
# The injections (XCI_FREEZE, XCI_KILL_XS, XCI_RUNNER_DIE) act in the
# first boot only.
# With XCI_DEADLINE (the epoch second make check must be done by), a
# boot again must also fit in the time left before it, less what the
# runs still to come take in one boot each (RESERVE, seconds).
xen_run() {
	local run=$1 plan=$2 limit=$3 cases try=1 again left
	rm -rf "${OUT:?}/$run".try*	# an earlier run's; report.py reads every run
	cases=$(run_cases "$run" | tr '\n' ' ')
	if [ -z "${cases// }" ]; then
		rm -rf "$OUT/$run"	# no stale results in the report
		return 0
	fi
	cases=$(echo $cases | tr ' ' ,)
	while :; do
		if [ $try = 1 ]; then
			XCI_CASES=$cases XCI_EXPECT="${cases//,/ }" \
				"$PIPE/boot.sh" "$run" xen "$plan" "$limit"
		else
			XCI_CASES=$cases XCI_FREEZE= XCI_KILL_XS= XCI_RUNNER_DIE= XCI_EXPECT="${cases//,/ }" \
				"$PIPE/boot.sh" "$run" xen "$plan" "$limit"
		fi
		left=""
		[ -n "${XCI_DEADLINE:-}" ] && left=$((XCI_DEADLINE - EPOCHSECONDS - RESERVE))
		again=$(python3 "$PIPE/retry.py" next "$OUT" "$run" "$plan" $try "$left" 2> "$OUT/$run/retry.why") ||
			again=""
		[ -s "$OUT/$run/retry.why" ] && log "$run: $(cat "$OUT/$run/retry.why")"
		[ -n "$again" ] || break
		log "$run: booting again (try $((try + 1))) for ${again//,/ }"
		mv "$OUT/$run" "$OUT/$run.try$try"
		try=$((try + 1))
		cases=$again
	done
	python3 "$PIPE/retry.py" merge "$OUT" "$run" "$plan" $try ||
		log "$run: merging the results of its $try boots failed"
}

# one_boot RUN: about how long RUN's first boot takes with all its cases
# (its QEMU's time in the full runs of 2026-12: 840, 590 and 600 s), for
# the reserve of the runs before it.
one_boot() {
	case $1 in
	xen-ours) echo 900 ;;
	xen-ours-life|xen-stock) echo 660 ;;
	*) echo 0 ;;
	esac
}

runs=${XCI_RUNS:-bare xen-ours xen-stock}
xruns=""
for r in $runs; do
	case $r in
	bare) ;;
	xen-ours) xruns+=" xen-ours xen-ours-life" ;;
	xen-stock) xruns+=" xen-stock" ;;
	*) die "unknown run $r" ;;
	esac
done
# reserve RUN: the first boots of the Xen runs after RUN, in seconds.
reserve() {
	local r after=0 sum=0
	for r in $xruns; do
		[ $after = 1 ] && sum=$((sum + $(one_boot "$r")))
		[ "$r" = "$1" ] && after=1
	done
	echo $sum
}
[ -n "${XCI_DEADLINE:-}" ] &&
	log "matrix: boots again only until $(date -d "@$XCI_DEADLINE" +%T) (make check's deadline)"
for r in $runs; do
	case $r in
	bare)      "$PIPE/boot.sh" bare bare - "${XCI_TIMEOUT_BARE:-300}" ;;
	xen-ours)
		RESERVE=$(reserve xen-ours) xen_run xen-ours ours "${XCI_TIMEOUT_OURS:-2400}"
		RESERVE=$(reserve xen-ours-life) xen_run xen-ours-life ours "${XCI_TIMEOUT_OURS:-2400}"
		;;
	xen-stock) RESERVE=$(reserve xen-stock) xen_run xen-stock stock "${XCI_TIMEOUT_STOCK:-2400}" ;;
	esac
done
