#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# PID 1 of dom0, in the host's userland (9p + tmpfs overlay, see init).
# This file holds what every part needs (the command line, the console,
# results) and the entry; the rest lives beside it in /xci, sourced below:
#   lib/*.sh     helpers (toolstack, xl and xenstore, the vif samplers,
#                the bystander guest,
#                our backend modules, the checks of a case, the
#                evidence of the testbed's defect, the supervisor)
#   cases/*.sh   the cases, by family
#   cases.tbl    which cases run, in which order, and how (the host's
#                pipeline/cases.tbl)
# Starts the real toolstack, then runs (in a child, see supervise) the cases of the plan named by
# xplan= on the command line:
#   ours   our dom0 kernel: the rows of cases.tbl whose DOM0 is "ours"
#   stock  Debian's dom0 kernel: the rows whose DOM0 is "stock"
#   bench, blk-ours, stock-blk, stock-mods-bench   make bench's plans
# Results go to the 9p share mounted on /xci-out:
#   results      one line per case: CASE name PASS|FAIL seconds log reason;
#                before a failed case's line, EVIDENCE name kind... when
#                it saw the testbed's defect, and RUNNER-DIED name rc
#                when the case runner died in it (the host's
#                pipeline/retry.py reads them)
#   checks       one line per check of a case (lib/checks.sh):
#                XCI-CHECK case check PASS|FAIL|SKIP detail
#   tap/*.tap    TAP of the selftests run in dom0
#   guests/      xenconsoled's guest logs (domU checks and TAP live there)
export PATH=/xci:/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
OUT=/xci-out
XL=/usr/lib/xen-4.17/bin/xl
ping() { busybox ping "$@"; }

# The kernel command line, read by the shell itself (no cat to fail).
read -r XCI_CMDLINE < /proc/cmdline
# arg NAME: the value of NAME= on the kernel command line (the last one wins)
arg() {
	local w v=
	for w in $XCI_CMDLINE; do
		case "$w" in "$1"=*) v=${w#*=} ;; esac
	done
	echo "$v"
}
say() { echo "XCI: $*" > /dev/console; }
# sleep: bash's own timed read on a FIFO nobody writes, instead of the
# sleep binary.  In frozen runs (README, testbed notes) dom0's vCPUs were
# found spinning in sleep processes, the supervisor's own among them, so
# that nothing stopped the stuck case; this script sleeps a lot and now
# runs no program for it.
mkdir -p /run
[ -p /run/xci-nap ] || mkfifo /run/xci-nap
exec {NAP_FD}<> /run/xci-nap
sleep() { read -r -t "$1" -u "$NAP_FD" _; return 0; }
# The time comes from bash ($EPOCHSECONDS, $EPOCHREALTIME), not from a
# date program: every fork here risks the testbed's defect (README).
# since T0: the seconds, to a tenth, from T0 (an $EPOCHREALTIME) to now.
since() {
	local d=$(( (${EPOCHREALTIME//[.,]/} - ${1//[.,]/}) / 100000 ))
	echo "$((d / 10)).$((d % 10))"
}
# dom0_faults: user processes of dom0 killed by a fault so far (the testbed
# defect in the README's notes shows up as such kills).
# Also counted: what bash printed about children that died of a signal, or
# about a command it could not find (a corrupted IFS or PATH in a subshell
# once made "seq 1 240" one word), from the runner's stderr.
RUNNER_ERR=/run/xci-runner.err
dom0_faults() {
	echo $(($(dmesg | grep -c -E 'segfault|general protection') +
		$(cat "$RUNNER_ERR" 2>/dev/null | grep -c -E 'command not found|Segmentation fault|Aborted|Illegal instruction|Bus error')))
}
# kernel_faults: oopses, BUGs and warnings of dom0's kernel so far.  A user
# process's fault ("traps: xl[2490] general protection fault ...") is the
# testbed's defect and is not one; a kernel's reads "Oops: general
# protection fault".
kernel_faults() {
	dmesg | grep -v 'traps:' | grep -c -E 'BUG:|Oops|WARNING:'
}
# kernel_hangs: reports of dom0's kernel that it stopped making progress
# (a task blocked in it for minutes, an RCU stall, a hard lockup; a soft
# lockup is a BUG: above): a deadlock in a driver, never the testbed's
# user-process defect.
kernel_hangs() {
	dmesg | grep -c -E 'blocked for more than|detected stalls?|hard LOCKUP'
}
# KFAULTS: kernel_faults when the last case ended (or the runner started;
# empty in the plans whose dom0 kernel is not ours):
# a case during which dom0's kernel oopsed or warned fails, whatever its
# own checks said.  A corrupted list (CONFIG_DEBUG_LIST) is reported as a
# WARNING, a use after free of a napi_struct on a poll list, say.
KFAULTS=""
# FLAKE: the evidence of the testbed's defect that the running case saw,
# in words (lib/retry.sh flake_evidence); run_table empties it before each
# case.
FLAKE=""
# result NAME PASS|FAIL START LOG REASON...: the case's line in results.
# A failed case that saw the testbed's defect (FLAKE) says so first, in an
# EVIDENCE line: the host may boot again for it (pipeline/retry.py).  Not
# after an oops, BUG or warning of our dom0's kernel, which the defect
# never causes.
result() {
	local name=$1 st=$2 t0=$3 logf=$4 kf kbad=""
	shift 4
	local msg
	if [ -n "$KFAULTS" ]; then
		kf=$(kernel_faults)
		if [ "$kf" != "$KFAULTS" ]; then
			# The case's own check, where it has its checks.
			[ "$CK_CASE" = "$name" ] &&
				ck dom0-kernel FAIL "$(dmesg | grep -v 'traps:' | grep -E 'BUG:|Oops|WARNING:' | tail -1)"
			kbad=1
			if [ "$st" = PASS ]; then
				st=FAIL
				set -- "dom0-kernel-warning($(dmesg | grep -v 'traps:' | grep -E 'BUG:|Oops|WARNING:' | tail -1 | tr ' ' _))" "$@"
			fi
		elif [ "$CK_CASE" = "$name" ]; then
			ck dom0-kernel PASS "no oops, BUG or warning of dom0's kernel during the case"
		fi
		KFAULTS=$kf
	fi
	# One line, whatever a guest's console put into the reason (its lines
	# end in CR LF; report.py would cut the reason at a CR).
	msg=$(printf '%s' "$*" | tr '\r\n\t' '   ')
	local flw
	read -r -a flw <<< "$FLAKE"
	# (A runner that dies between the two lines leaves the EVIDENCE line
	# alone: the supervisor's RUNNER-DIED line follows it, and retry.py
	# takes only an EVIDENCE line right before its case's CASE line.)
	[ "$st" = FAIL ] && [ ${#flw[@]} -gt 0 ] && [ -z "$kbad" ] &&
		echo "EVIDENCE $name ${flw[*]}" >> "$OUT/results"
	echo "CASE $name $st $(since "$t0") $logf $msg" >> "$OUT/results"
	say "case $name: $st $msg"
}

XTOP=$(arg xtop)
PLAN=$(arg xplan)
# The cases to run, "a+b" (XCI_CASES on the host); empty: every case of
# PLAN that runs unasked (selected, run_table).
CASES=$(arg xcases)
BK_OURS=""
[ "$PLAN" = ours ] && BK_OURS=1
MIB=$(arg xmib)
MIB=${MIB:-64}
BMIB=$(arg xbmib)
BMIB=${BMIB:-64}
TMIB=$(arg xtcpmib)
TMIB=${TMIB:-$MIB}
# Attach/detach cycles of the hotplug cases (make stress raises it).
CYCLES=$(arg xcycles)
[[ $CYCLES =~ ^[1-9][0-9]*$ ]] || CYCLES=20
STOCK=$(arg xstock)
OURS_K="$XTOP/build/obj/arch/x86/boot/bzImage"
STOCK_K="/boot/vmlinuz-$STOCK"
BASE_K="$XTOP/build/obj-base/arch/x86/boot/bzImage"
INITRD="$XTOP/build/out/initrd.gz"

finish() {
	# The results went out over 9p as they were written; a sync that hangs
	# (dom0 went silent after its last case in two runs) must not keep
	# dom0 up until the host's silence timeout.
	say "XCI-DOM0-DONE"
	timeout 20 sync
	sleep 1
	busybox reboot -f
}

# The helpers, then the cases (mkinitramfs.sh copies them into /xci).
for lf in toolstack vifwatch bystander xsflood xl modules checks retry supervisor prof; do
	. "/xci/lib/$lf.sh" || say "cannot source /xci/lib/$lf.sh (initramfs)"
done
for lf in /xci/cases/*.sh; do
	. "$lf" || say "cannot source $lf (initramfs)"
done
# The domU kernels' checksums as dom0 first reads them (xl_create_defect).
kernel_sum "$OURS_K"
[ -r "$STOCK_K" ] && kernel_sum "$STOCK_K"

# trim NAME...: strips the blanks around each named variable's value.
trim() {
	local -n v
	for v in "$@"; do
		v=${v#"${v%%[![:space:]]*}"}
		v=${v%"${v##*[![:space:]]}"}
	done
}

# run_table: the rows of /xci/cases.tbl whose dom0 is this boot's, in
# order, each once, if selected (only those xcases= names; a row marked
# "asked" only when named): domu_case rows through domu_run, the others
# through case_once.  (RETRY is the host's: pipeline/retry.py.)
run_table() {
	local rows row name boot dom0 domu type when run retry args k c
	if ! mapfile -t rows < /xci/cases.tbl || [ ${#rows[@]} = 0 ]; then
		for c in ${CASES//+/ }; do
			result "$c" FAIL "$EPOCHREALTIME" - "/xci/cases.tbl missing or empty (initramfs)"
		done
		say "/xci/cases.tbl missing or empty: no case runs"
		return
	fi
	for row in "${rows[@]}"; do
		[[ $row =~ ^[[:space:]]*(#|$) ]] && continue
		# (boot and retry are the host's columns: matrix.sh, retry.py.)
		# shellcheck disable=SC2034
		IFS='|' read -r name boot dom0 domu type when run retry args <<< "$row"
		trim name boot dom0 domu type when run retry args
		[ "$dom0" = "$PLAN" ] || continue
		[ "$when" = asked ] && [ -z "$CASES" ] && continue
		selected "$name" || continue
		case $domu in
		ours) k=$OURS_K ;;
		stock) k=$STOCK_K ;;
		*) k="" ;;
		esac
		if ! declare -F "$run" > /dev/null; then
			result "$name" FAIL "$EPOCHREALTIME" - "$run is not defined in /xci/cases (initramfs)"
			continue
		fi
		FLAKE=""
		if [ "$run" = domu_case ]; then
			domu_run "$name" "$type" "$k" "$args"
		else
			# The domU kernel and type of the row, for a case that
			# starts one.
			CASE_KERNEL=$k CASE_TYPE=$type
			case_once "$name" "$run"
		fi
	done
}

CURRENT=/run/xci-case
if [ -z "$XCI_RUNNER" ]; then
	supervise
	exit 1
fi
# The runner's stderr goes to the console and, for dom0_faults, to a file.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
exec 2> >(tee -a "$RUNNER_ERR" > /dev/console)
# Only our dom0 kernel is held to it (Debian's warns on some of what a
# frontend does: README, testbed notes).
[ "$PLAN" = ours ] && KFAULTS=$(kernel_faults)
case "$PLAN" in
ours|stock)
	run_table
	;;
blk-ours)
	bench_blk ours "$OURS_K"
	;;
stock-blk)
	bench_blk stock "$STOCK_K"
	;;
stock-mods-bench)
	bench_mods
	;;
bench)
	for r in $(seq 1 "$(arg xbenchn)"); do
		bench_boot "boot-ours-$r" pv "$OURS_K"
		# The base variant: our configuration, upstream's Xen code
		# (build-kernel.sh base).
		[ -f "$BASE_K" ] && bench_boot "boot-base-$r" pv "$BASE_K"
		bench_boot "boot-stock-$r" pv "$STOCK_K"
	done
	;;
esac
# Every case has its result.  The runner shuts dom0 down itself: the
# supervisor, waiting for it to exit, went silent before its own
# shutdown in several runs (README, testbed notes).
say "cases done"
finish
