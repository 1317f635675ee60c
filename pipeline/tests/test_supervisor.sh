#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host tests of dom0.sh's helpers that start no program (proc_status,
# children, kill_tree, has_result, futex_bash, case_overran, log_match,
# the vif-rx-storm sampler's irq_max, irq_ticks, irq_watch and
# irq_watch_stop, and watch_keep, which restarts a sampler the testbed's
# defect killed), taken out of dom0.sh and its lib/ and cases/ as they are.
# A stand-in "bash" (a program of that name waiting on a futex) plays the
# testbed's stuck fork.  TAP on stdout.
set -u
here=$(dirname "$0")
tmp=$(mktemp -d)
# The children below are stopped with SIGKILL only: one that SIGTERM
# reached between fork and exec ran this trap as bash (5.2), and the
# files went before the last tests.
trap '[ -z "$root" ] || kill_tree "$root"; rm -rf "$tmp"' EXIT
root=""
python3 - "$here"/../guest/dom0.sh "$here"/../guest/lib/*.sh "$here"/../guest/cases/*.sh > "$tmp/fns.sh" <<'EOP'
import re, sys
s = ''.join(open(f).read() for f in sys.argv[1:])
for name in ['proc_status', 'first_line', 'list_procs', 'children', 'kill_tree', 'has_result',
             'in_tree', 'futex_bash', 'case_overran', 'log_match', 'irq_max',
             'irq_ticks', 'irq_watch', 'irq_watch_stop', 'storm_sent', 'storm_check',
             'carrier_check', 'carrier_watch', 'watch_keep', 'watch_restarts',
             'domu_faults', 'flake_evidence', 'case_once', 'result',
             'ck_begin', 'ck', 'ck_if', 'ck_ok', 'ck_domu', 'ck_why',
             'domu_kernel_check', 'ck_same', 'domu_checks_read', 'domu_check',
             'bounded', 'bounded_value', 'xl_why', 'ck_xl_create', 'pat_diff',
             'detach_check', 'domu_id', 'gone_domu', 'xl_dev', 'xs_wait',
             'xl_defect', 'bystander_watch', 'bystander_check', 'kernel_sum',
             'xl_create_defect', 'xsa349_stats', 'xsa349_check',
             'xen_has_cap', 'xl_migrate_local', 'xl_migrate_cleanup']:
    print(re.search(r'^' + name + r'\(\) \{.*?^\}', s, re.S | re.M).group(0))
print(re.search(r'^VIF_STORM_BUDGET=.*$', s, re.M).group(0))
print(re.search(r'^VIF_STORM_TICKS_BUDGET=.*$', s, re.M).group(0))
print(re.search(r'^DETACH_LIMIT=.*$', s, re.M).group(0))
for name in ['BYSTANDER_GAP_MS', 'BY_SYS', 'BYSTANDER_RE', 'XSA349_PEAK_MAX', 'XSA349_C_PCT',
             'XSA349_SLAB_KB', 'XSA349_SLAB_B', 'XSA349_SETTLE_S', 'XS_WATCHES']:
    print(re.search(r'^' + name + r'=.*$', s, re.M).group(0))
for name in ['xs_read', 'xs_write']:
    print(re.search(r'^' + name + r'\(\) \{.*\}$', s, re.M).group(0))
print(re.search(r'^CARRIER_SLACK_MS=.*$', s, re.M).group(0))
print(re.search(r'^DOMU_FAULTS=.*$', s, re.M).group(0))
print(re.search(r'^declare -A DOMU_PASS=.*$', s, re.M).group(0))
print(re.search(r'^declare -A KERNEL_MD5=.*$', s, re.M).group(0))
EOP
. "$tmp/fns.sh"
# dom0.sh's arg: here only which xenstored the boot runs (T_XS).
arg() { [ "$1" = xxenstored ] && echo "${T_XS:-o}"; }
# lib/checks.sh's files, here.
CHECKS=$tmp/checks CK_CONSOLE=$tmp/console CK_CASE="" CK_FAILS=0
mkdir -p "$tmp/stuck"
cat > "$tmp/stuck/f.c" <<'EOC'
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void)
{
	int w = 0;

	for (;;)
		syscall(SYS_futex, &w, FUTEX_WAIT, 0, NULL, NULL, 0);
}
EOC
gcc -O2 -o "$tmp/stuck/bash" "$tmp/stuck/f.c"
mkdir -p "$tmp/spin"
printf 'int main(void)\n{\n\tfor (volatile int i = 0;; i++)\n\t\t;\n}\n' > "$tmp/spin/s.c"
gcc -O2 -o "$tmp/spin/timeout" "$tmp/spin/s.c"

n=0
out=()
# r NAME TEST: one TAP result from a test evaluated here.
r() {
	n=$((n + 1))
	if eval "$2"; then out+=("ok $n $1"); else out+=("not ok $n $1"); fi
}

proc_status $$
r "proc_status reads the parent" '[ "$P_PPID" = "$PPID" ] && [ -n "$P_STATE" ]'
proc_status 999999999
r "proc_status of a gone process is empty" '[ -z "$P_PPID$P_STATE" ]'
( sleep 300 & "$tmp/stuck/bash" ) & root=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	futex_bash "$root"
	[ -n "$FUTEX" ] && break
	sleep 0.2
done
r "futex_bash finds a stuck bash under the runner" '[ -n "$FUTEX" ]'
sleep 300 &
other=$!
futex_bash "$other"
r "futex_bash ignores what is not under the runner" '[ -z "$FUTEX" ]'
kill -KILL "$other"
# found PROG: FUTEX as futex_bash sees PROG, started on its own, within 2 s.
found() {
	local i pid
	"$1" & pid=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do
		futex_bash "$pid"
		[ -n "$FUTEX" ] && break
		sleep 0.2
	done
	kill -KILL "$pid"
}
# coreutils timeout has one thread too; any other program may have more.
cp "$tmp/stuck/bash" "$tmp/stuck/timeout"
cp "$tmp/stuck/bash" "$tmp/stuck/threads"
found "$tmp/stuck/timeout"
r "futex_bash finds a stuck timeout" '[ -n "$FUTEX" ]'
found "$tmp/stuck/threads"
r "futex_bash leaves other programs in a futex alone" '[ -z "$FUTEX" ]'
found "$tmp/spin/timeout"
r "futex_bash finds a spinning timeout" '[ -n "$FUTEX" ]'
cp "$tmp/spin/timeout" "$tmp/spin/ip"
found "$tmp/spin/ip"
r "futex_bash finds a spinning ip" '[ -n "$FUTEX" ]'
# list_procs: a running process gets its times and stack on a line of its own.
"$tmp/spin/ip" & spin=$!
sleep 30 & nap=$!
sleep 0.5
procs=$(say() { echo "$*"; }; list_procs)
kill -KILL "$spin" "$nap"
r "list_procs gives a running process its times" \
	'grep -q "^  $spin utime,stime [0-9]* [0-9]* stack" <<< "$procs"'
r "list_procs gives a sleeping one none" \
	'grep -q "^  $nap state,ppid S" <<< "$procs" && ! grep -q "^  $nap utime" <<< "$procs"'
OUT=$tmp PLAN=ours CURRENT=$tmp/cur CASE_LIMIT=600 RUNNER=$root
CASE_SEEN="" FUTEX="" FUTEX_T=$((EPOCHSECONDS - 40))
echo hotplug > "$CURRENT"
case_overran
r "one look at a futex wait is not enough" '[ -z "$OVER" ]'
FUTEX_T=$((EPOCHSECONDS - 40))
case_overran
r "the same bash in a futex 30 s later stops the case" '[[ "$OVER" == *"stuck in a futex"* ]]'
FUTEX_T=$EPOCHSECONDS
CASE_T=$((EPOCHSECONDS - 601))
case_overran
r "a case over the limit stops" '[ "$OVER" = "ran over 600 s" ]'
echo "hotplug try2" > "$CURRENT"
case_overran
r "a new try restarts the clock" '[ -z "$OVER" ] && [ "$CASE_SEEN" = "hotplug try2" ]'
echo "CASE hotplug PASS 1 - fine" > "$tmp/results"
case_overran
r "has_result sees the case's line" 'has_result hotplug && ! has_result domU'
RESULT_T=$((EPOCHSECONDS - 91))
case_overran
r "staying 90 s after the result stops the runner" '[ "$OVER" = "stayed 90 s in case hotplug after its result" ]'
PLAN=bench CASE_T=0
case_overran
r "benchmark plans have no limit" '[ -z "$OVER" ]'
kill_tree "$root" 2>/dev/null
wait "$root" 2>/dev/null
r "kill_tree leaves nothing of the tree" '! pgrep -f "$tmp/stuck/bash" > /dev/null && ! kill -0 $root 2>/dev/null'
root=""
printf 'boot\r\nXCI-COUNTERS grants=4 pages=4\r\nnoise\nXCI-COUNTERS grants=0 pages=0\r\nXCI-COUNTERS grants=\n' > "$tmp/g.log"
re='^XCI-COUNTERS grants=[0-9]+ pages=[0-9]+'
log_match "$tmp/g.log" first "$re"
r "log_match first, without the CR" '[ "$REPLY" = "XCI-COUNTERS grants=4 pages=4" ]'
log_match "$tmp/g.log" last "$re"
r "log_match last skips a cut-off line" '[ "$REPLY" = "XCI-COUNTERS grants=0 pages=0" ]'
log_match "$tmp/g.log" count "$re"
r "log_match counts" '[ "$REPLY" = 2 ]'
log_match "$tmp/none.log" count "$re"
r "log_match of a missing log counts 0" '[ "$REPLY" = 0 ]'
# The hostile vif of domain 7 is handle 1: its lines are counted over
# both CPUs, vif7.10's, vif17.1's and the main vif's are not.
cat > "$tmp/interrupts" <<'EOI'
           CPU0       CPU1
  0:         45          0  xen-pirq    -ioapic-edge  timer
 80:        120          3  xen-dyn-lateeoi -event     vif7.0-q0-tx
 81:         10         90  xen-dyn-lateeoi -event     vif7.1-q0-tx
 82:          5          0  xen-dyn-lateeoi -event     vif7.1-q0-rx
 83:      50000          0  xen-dyn-lateeoi -event     vif7.10-q0-txrx
 84:      60000          0  xen-dyn-lateeoi -event     vif17.1-q0-txrx
 85:        400          2  xen-dyn-lateeoi -event     vif7.1-q1-txrx
NMI:          0          0   Non-maskable interrupts
ERR:          0
EOI
irq_max "$tmp/interrupts" 7 1
r "irq_max: the largest line of the vif, summed over the CPUs" '[ "$IRQ_N" = 402 ] && [ "$IRQ_NAME" = vif7.1-q1-txrx ]'
r "irq_max: the total of the vif's lines" '[ "$IRQ_SUM" = 507 ]'
irq_max "$tmp/interrupts" 7 2
r "irq_max: no line of the vif" '[ "$IRQ_N" = 0 ] && [ -z "$IRQ_NAME" ] && [ "$IRQ_SUM" = 0 ]'
irq_max "$tmp/none" 7 1
r "irq_max: no file" '[ "$IRQ_N" = 0 ] && [ -z "$IRQ_NAME" ]'
printf 'cpu  100 0 50 9000 10 7 35 0 0 0\ncpu0 50 0 25 4500 5 4 20 0 0 0\n' > "$tmp/stat"
irq_ticks "$tmp/stat"
r "irq_ticks: hardirq and softirq of all CPUs" '[ "$TICKS" = 42 ]'
irq_ticks "$tmp/none"
r "irq_ticks: no file" '[ "$TICKS" = 0 ]'
# The sampler on this host's own /proc, for a domain that has no vif.
irq_watch 99999 1 "$tmp/irqs" &
w=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -s "$tmp/irqs" ] && break
	sleep 0.2
done
irq_watch_stop "$w" "$tmp/irqs"
read -r top name samples live ticks < "$tmp/irqs"
r "irq_watch samples until irq_watch_stop" '! kill -0 $w 2>/dev/null && [ "$top $name $live" = "0 - 0" ] && [ "$samples" -ge 1 ]'
# watch_keep: a sampler killed by a signal starts again from its file.
# irq_watch keeps the maximum and the counts an earlier one left.
echo "500 vif7.1-q0-txrx 10 5 7 - - -" > "$tmp/irqs"
rm -f "$tmp/irqs.stop"
irq_watch 99999 1 "$tmp/irqs" &
w=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	read -r top name samples live ticks rest < "$tmp/irqs"
	[ "$samples" -gt 10 ] && break
	sleep 0.2
done
irq_watch_stop "$w" "$tmp/irqs"
read -r top name samples live ticks rest < "$tmp/irqs"
r "irq_watch resumes from its file" '[ "$top $name $live $ticks" = "500 vif7.1-q0-txrx 5 7" ] && [ "$samples" -gt 10 ]'
# A watcher that dies of SIGSEGV twice, then samples until told to stop.
segv_twice() {
	local n=0
	read -r n 2>/dev/null < "$3"
	echo $((n + 1)) > "$3"
	[ $n -lt 2 ] && kill -SEGV $BASHPID
	while [ ! -e "$3.stop" ]; do sleep 0.1; done
}
rm -f "$tmp/seg" "$tmp/seg.stop" "$tmp/seg.restarts"
watch_keep segv_twice 7 1 "$tmp/seg" 2>/dev/null &
w=$!
for i in $(seq 50); do
	[ "$(cat "$tmp/seg" 2>/dev/null)" = 3 ] && break
	sleep 0.1
done
irq_watch_stop "$w" "$tmp/seg"
r "watch_keep starts a watcher killed by a signal again" '! kill -0 $w 2>/dev/null && [ "$(cat "$tmp/seg")" = 3 ] && [ "$(watch_restarts "$tmp/seg")" = "; its watcher restarted 2 times (testbed defect)" ]'
r "watch_restarts: nothing without restarts" '[ -z "$(watch_restarts "$tmp/irqs")" ]'
# carrier_watch resumes its counts and last sample.
echo "1 1 5236 5236 1" > "$tmp/carrier"
rm -f "$tmp/carrier.stop"
carrier_watch 99999 1 "$tmp/carrier" &
w=$!
sleep 0.3
irq_watch_stop "$w" "$tmp/carrier"
r "carrier_watch resumes from its file" '[ "$(cat "$tmp/carrier")" = "1 1 5236 5236 -" ]'
# storm_check, with the console line kept instead of said.
say() { SAID=$*; }
printf '# rx_stall_event_storm: 81234 notifications in 10 s (via eth0)\r\nok 4 vif_hostile.rx_stall_event_storm\r\n# rx_req_prod_flip_storm: 70000 notifications in 10 s (via eth0)\r\n# rx_req_prod_flip_storm: 5 rounds, 0 other frames\r\nok 6 vif_hostile.rx_req_prod_flip_storm\r\n' > "$tmp/guest.log"
printf '[   50.1] vif vif-7-1 vif7.1: queue 0: the guest posted no receive buffers for 10000 ms; dropping its packets\n' > "$tmp/klog"
echo "41 vif7.1-q0-txrx 300 120 75" > "$tmp/irqs"
storm_check domU 7 1 "$tmp/guest.log" "$tmp/irqs" "$tmp/klog"
r "storm_check passes within the budget" '[ -z "$STORM_WHY" ] && [[ $(tail -n 1 "$CHECKS") == *"vif-rx-storm PASS max 41 interrupts"*"81234 notifications"*"0.75 s"* ]] && [[ $(tail -n 1 "$CHECKS") == *"81234 notifications in 10 s with the queue stalled and 70000 in 10 s of req_prod flips"* ]] && [ "$STORM_MORE" = ", vif-rx-storm: at most 41 interrupts (budget 7000) for 81234 + 70000 notifications, dom0 irq time 0.75 s (budget 1 s)" ]'
echo "41 vif7.1-q0-txrx 300 120 101" > "$tmp/irqs"
storm_check domU 7 1 "$tmp/guest.log" "$tmp/irqs" "$tmp/klog"
r "storm_check fails over the CPU budget" '[ "$STORM_WHY" = " vif-rx-storm(dom0-irq-time-1.01s>budget-1s)" ] && [[ $(tail -n 1 "$CHECKS") == *"vif-rx-storm FAIL dom0-irq-time-1.01s>budget-1s: max 41"* ]] && [ -z "$STORM_MORE" ]'
echo "45000 vif7.1-q0-txrx 300 120 50" > "$tmp/irqs"
storm_check domU 7 1 "$tmp/guest.log" "$tmp/irqs" "$tmp/klog"
r "storm_check fails over the budget" '[ "$STORM_WHY" = " vif-rx-storm(45000-interrupts-on-vif7.1-q0-txrx>budget-7000)" ] && [[ $(tail -n 1 "$CHECKS") == *"vif-rx-storm FAIL 45000-interrupts-on-vif7.1-q0-txrx>budget-7000: max 45000"* ]] && [ -z "$STORM_MORE" ]'
storm_check domU 8 1 "$tmp/guest.log" "$tmp/irqs" "$tmp/klog"
r "storm_check fails without the queue's stall in dom0's log" '[ "$STORM_WHY" = " vif-rx-storm(no-stall-of-vif8.1-in-dom0-log)" ]'
printf '# rx_stall_event_storm: 81234 notifications in 10 s (via eth0)\r\nok 4 vif_hostile.rx_stall_event_storm\r\nnot ok 6 vif_hostile.rx_req_prod_flip_storm\r\n' > "$tmp/guest.log"
storm_check domU 7 1 "$tmp/guest.log" "$tmp/irqs" "$tmp/klog"
r "storm_check fails when the flip storm did not finish" '[ "$STORM_WHY" = " vif-rx-storm(storm-not-run:not_ok_6_vif_hostile.rx_req_prod_flip_storm)" ]'
printf '# rx_stall_event_storm: 81234 notifications in 10 s (via eth0)\r\nok 4 vif_hostile.rx_stall_event_storm\r\n' > "$tmp/guest.log"
storm_check domU 7 1 "$tmp/guest.log" "$tmp/irqs" "$tmp/klog"
r "storm_check fails without the flip storm" '[ "$STORM_WHY" = " vif-rx-storm(storm-not-run:no_TAP_line_of_rx_req_prod_flip_storm)" ]'
printf 'ok 4 vif_hostile.rx_stall_event_storm # SKIP no other interface\r\n' > "$tmp/guest.log"
storm_check domU 7 1 "$tmp/guest.log" "$tmp/irqs" "$tmp/klog"
r "storm_check fails when the storm did not run" '[ "$STORM_WHY" = " vif-rx-storm(storm-not-run:ok_4_vif_hostile.rx_stall_event_storm_#_SKIP_no_other_interface)" ]'
storm_check domU 7 1 "$tmp/guest.log" "$tmp/none" "$tmp/klog"
r "storm_check fails without samples" '[ "$STORM_WHY" = " vif-rx-storm(no-interrupt-samples)" ]'
echo "0 - 300 0 0" > "$tmp/irqs"
storm_check domU 7 1 "$tmp/guest.log" "$tmp/irqs" "$tmp/klog"
r "storm_check fails when no sample saw the vif's irqs" '[ "$STORM_WHY" = " vif-rx-storm(no-irq-line-of-vif7.1-seen)" ]'
# bystander_watch: the bystander's counters, moved by the test as the
# bystander's I/O would move them.
BY_SYS=$tmp/sys
vbdc=$BY_SYS/bus/xen-backend/devices/vbd-9-51712/statistics
netc=$BY_SYS/class/net/vif9.0/statistics
mkdir -p "$vbdc" "$netc"
echo 0 > "$vbdc/rd_req"
echo 0 > "$netc/rx_packets"
rm -f "$tmp/by" "$tmp/by.stop"
bystander_watch 9 0 "$tmp/by" &
w=$!
sleep 1.2
r "bystander_watch: not up while nothing moved" '[[ $(cat "$tmp/by") =~ ^0\ 0\ 0\ 0\ 0\ [0-9]+$ ]]'
echo 5 > "$vbdc/rd_req"
sleep 0.7
r "bystander_watch: not up while only the disk moved" '[[ $(cat "$tmp/by") == "0 "* ]]'
echo 3 > "$netc/rx_packets"
sleep 0.7
r "bystander_watch: up once both moved" '[[ $(cat "$tmp/by") == "1 0 0 "* ]]'
for i in 1 2 3; do
	echo $((5 + i)) > "$vbdc/rd_req"
	sleep 0.5
done
echo 4 > "$netc/rx_packets"
sleep 0.7
irq_watch_stop "$w" "$tmp/by"
read -r up dn nn dg ng ns < "$tmp/by"
r "bystander_watch counts what was served once up, and the longest waits" '[ "$up $dn $nn" = "1 3 1" ] && [ "$dg" -ge 400 ] && [ "$dg" -lt 1500 ] && [ "$ng" -ge 1400 ] && [ "$ng" -lt 3000 ]'
# Resumed by watch_keep, it keeps its counts and longest waits.
rm -f "$tmp/by.stop"
bystander_watch 9 0 "$tmp/by" &
w=$!
sleep 0.3
irq_watch_stop "$w" "$tmp/by"
read -r up2 dn2 nn2 dg2 ng2 ns2 < "$tmp/by"
r "bystander_watch resumes from its file" '[ "$up2 $dn2 $nn2 $dg2 $ng2" = "$up $dn $nn $dg $ng" ] && [ "$ns2" -gt "$ns" ]'
# A counter gone with its device counts as one that does not move.
echo 0 > "$vbdc/rd_req"
echo 0 > "$netc/rx_packets"
rm -f "$tmp/by" "$tmp/by.stop"
bystander_watch 9 0 "$tmp/by" &
w=$!
sleep 0.7
echo 1 > "$vbdc/rd_req"
echo 1 > "$netc/rx_packets"
sleep 0.7
rm -f "$vbdc/rd_req"
for i in 1 2 3 4; do
	echo $((1 + i)) > "$netc/rx_packets"
	sleep 0.5
done
irq_watch_stop "$w" "$tmp/by"
read -r up dn nn dg ng ns < "$tmp/by"
r "bystander_watch: a counter that went away does not move" '[ "$up" = 1 ] && [ "$dg" -ge 1800 ] && [ "$ng" -lt 1500 ]'
echo "1 120 60 900 31000 400" > "$tmp/by"
bystander_check "$tmp/by"
r "bystander_check fails when the vif went unserved too long" '[[ $(tail -n 1 "$CHECKS") == *"bystander-served FAIL net-unserved-31000ms>budget: 120 disk reads served, at most 0.900 s seen without one; 60 packets from its vif, at most 31.000 s seen without one (budget 30 s each; sampled every 0.5 s); 400 samples" ]]'
echo "1 120 60 30001 900 400" > "$tmp/by"
bystander_check "$tmp/by"
r "bystander_check fails when the disk went unserved too long" '[[ $(tail -n 1 "$CHECKS") == *"bystander-served FAIL disk-unserved-30001ms>budget: "* ]]'
echo "0 0 0 0 0 400" > "$tmp/by"
bystander_check "$tmp/by"
r "bystander_check fails when the bystander never came up" '[[ $(tail -n 1 "$CHECKS") == *"bystander-served FAIL never-served: "* ]]'
echo "1 120 60 30000 2500 400" > "$tmp/by"
bystander_check "$tmp/by"
r "bystander_check passes within the budget" '[[ $(tail -n 1 "$CHECKS") == *"bystander-served PASS 120 disk reads served, at most 30.000 s seen without one; 60 packets from its vif, at most 2.500 s seen without one"* ]]'
bystander_check "$tmp/none"
r "bystander_check fails without samples" '[[ $(tail -n 1 "$CHECKS") == *"bystander-served FAIL no samples of the bystander"* ]]'
# carrier_check: carrier_watch's file, the TAP line, the stall timeout
# (NB_PARAMS) and our netback's carrier-on line in dom0's log.
NB_PARAMS=$tmp/params
mkdir -p "$NB_PARAMS"
echo 5000 > "$NB_PARAMS/rx_stall_timeout_msecs"
printf '# rx_stall_carrier: stalled for 15000 ms, 32 buffers posted, 1 answered\r\nok 5 vif_hostile.rx_stall_carrier\r\n' > "$tmp/guest.log"
printf "[   60.2] xen-netback: vif7.1: carrier on: queue 0 has the guest's receive buffers again\n" > "$tmp/klog"
echo "2 2 5236 5388" > "$tmp/carrier"
carrier_check domU 7 1 "$tmp/guest.log" "$tmp/carrier" "$tmp/klog"
r "carrier_check passes: fell after the timeout, rose again" '[ -z "$CARRIER_WHY" ] && [[ $(tail -n 1 "$CHECKS") == *"vif-rx-carrier PASS carrier of"*"fell 2 and rose 2"*"5236..5388 ms"*"1 carrier-on lines"* ]]'
echo "0 0 - -" > "$tmp/carrier"
carrier_check domU 7 1 "$tmp/guest.log" "$tmp/carrier" "$tmp/klog"
r "carrier_check fails when the carrier never fell" '[ "$CARRIER_WHY" = " vif-rx-carrier(carrier-never-fell)" ] && [[ $(tail -n 1 "$CHECKS") == *"vif-rx-carrier FAIL carrier-never-fell: carrier of"* ]]'
echo "1 1 3000 3000" > "$tmp/carrier"
carrier_check domU 7 1 "$tmp/guest.log" "$tmp/carrier" "$tmp/klog"
r "carrier_check fails when it fell before the timeout" '[ "$CARRIER_WHY" = " vif-rx-carrier(fell-after-3000ms<5000)" ]'
echo "1 1 5200 9000" > "$tmp/carrier"
carrier_check domU 7 1 "$tmp/guest.log" "$tmp/carrier" "$tmp/klog"
r "carrier_check fails when it fell too long after" '[ "$CARRIER_WHY" = " vif-rx-carrier(fell-after-9000ms>5000+2000)" ]'
# carrier_watch's file has a fifth field, its last sample.
echo "1 1 5200 9000 -" > "$tmp/carrier"
carrier_check domU 7 1 "$tmp/guest.log" "$tmp/carrier" "$tmp/klog" 2> "$tmp/err"
r "carrier_check reads carrier_watch's five fields" '[ "$CARRIER_WHY" = " vif-rx-carrier(fell-after-9000ms>5000+2000)" ] && [ ! -s "$tmp/err" ]'
echo "1 0 5200 5200" > "$tmp/carrier"
carrier_check domU 7 1 "$tmp/guest.log" "$tmp/carrier" "$tmp/klog"
r "carrier_check fails when it did not rise again" '[ "$CARRIER_WHY" = " vif-rx-carrier(carrier-not-back-after-buffers:rises-0-lines-1)" ]'
echo "1 1 5200 5200" > "$tmp/carrier"
carrier_check domU 8 1 "$tmp/guest.log" "$tmp/carrier" "$tmp/klog"
r "carrier_check fails without our netback's carrier-on line" '[ "$CARRIER_WHY" = " vif-rx-carrier(carrier-not-back-after-buffers:rises-1-lines-0)" ]'
printf 'not ok 5 vif_hostile.rx_stall_carrier\r\n' > "$tmp/guest.log"
carrier_check domU 7 1 "$tmp/guest.log" "$tmp/carrier" "$tmp/klog"
r "carrier_check fails when the selftest failed" '[ "$CARRIER_WHY" = " vif-rx-carrier(test-not-passed:not_ok_5_vif_hostile.rx_stall_carrier)" ]'
# The evidence of the testbed's defect in a domU's console (domu_faults),
# as each case saw it.  The saverestore domU of a CI run on 2026-12-03
# showed only bash's lines.
printf 'XCI-SAVE-READY\r\nSegmentation fault\r\n/xci/domu.sh: line 45: arithmetic syntax error\r\n' > "$tmp/d1"
r "domu_faults: bash's own Segmentation fault line" 'domu_faults "$tmp/d1"'
printf 'x\r\n/xci/domu.sh: line 80:  1234 Aborted                 md5sum\r\n' > "$tmp/d2"
r "domu_faults: a child killed by SIGABRT" 'domu_faults "$tmp/d2"'
printf 'XCI-DMESG [ 12.3] xpat[211]: segfault at 6d7573 ip 401a2c sp 7ffc error 4 in xpat\r\n' > "$tmp/d3"
r "domu_faults: the kernel's segfault line, forwarded" 'domu_faults "$tmp/d3"'
printf 'XCI-DMESG [ 12.3] traps: sh[90] general protection fault ip:7f01 sp:7ffd error:0 in libc.so.6\r\n' > "$tmp/d4"
r "domu_faults: a user general protection fault" 'domu_faults "$tmp/d4"'
printf 'XCI-USERFAULT md5sum printed nothing\r\n' > "$tmp/d5"
r "domu_faults: XCI-USERFAULT" 'domu_faults "$tmp/d5"'
printf 'XCI-DMESG [ 12.3] Oops: general protection fault, probably for non-canonical address\r\nXCI-CHECK vbd-flush FAIL Aborted requests: 0\r\n' > "$tmp/d6"
r "domu_faults: a kernel oops and the word Aborted in a check are not the defect" '! domu_faults "$tmp/d6"'
r "domu_faults: a missing console is no evidence" '! domu_faults "$tmp/none"'
dom0_faults() { echo "$D0"; }
D0=3
flake_evidence 3 "$tmp/d6"
r "flake_evidence: nothing seen" '[ -z "$FLAKE" ]'
flake_evidence 3 "$tmp/d6" 2
r "flake_evidence: xl's crashes count as dom0's" '[ "$FLAKE" = user-space-faults-in-dom0 ]'
D0=4
flake_evidence 3 "$tmp/d1"
r "flake_evidence: both, in words" '[ "$FLAKE" = "user-space-faults-in-dom0 user-space-faults-in-domU" ]'
D0=3
flake_evidence 3 "$tmp/d1" ""
r "flake_evidence: the domU's alone" '[ "$FLAKE" = user-space-faults-in-domU ]'
# A migrated PVH domU writes to a second console log; the faults before
# the migration count (stock-dom0-pvh-control in the CI run of
# 2026-12-06 saw them in the first log only, and was not tried again).
flake_evidence 3 "$tmp/d1" "" "$tmp/d6"
r "flake_evidence: the first of a migrated domU's logs" '[ "$FLAKE" = user-space-faults-in-domU ]'
flake_evidence 3 "$tmp/d6" "" "$tmp/d1"
r "flake_evidence: the migrated domU's log" '[ "$FLAKE" = user-space-faults-in-domU ]'
flake_evidence 3 "$tmp/d6" 1 "$tmp/none"
r "flake_evidence: two logs without faults, xl's crash" '[ "$FLAKE" = user-space-faults-in-dom0 ]'
# The checks of a case (lib/checks.sh): one line each, the last try's
# only, the case's reason made of its failed checks.
rm -f "$tmp/checks" "$tmp/checks.old" "$tmp/console"
ck_begin save
ck xl-create PASS "domU save created"
ck xl-save FAIL "exit 139: Segmentation fault"
r "ck: one line per check, in the file and on the console" '[ "$(cat "$CHECKS")" = "XCI-CHECK save xl-create PASS domU save created
XCI-CHECK save xl-save FAIL exit 139: Segmentation fault" ] && cmp -s "$CHECKS" "$CK_CONSOLE"'
r "ck_ok: false once a check failed" '! ck_ok && [ "$CK_FAILS" = 1 ]'
ck_why
r "ck_why: the failed checks, with their details" '[ "$REPLY" = " xl-save(exit_139:_Segmentation_fault)" ]'
ck_begin other
ck one PASS $'a\r\nb\tc'
r "ck: a detail with CR, LF and tab stays on one line" '[ "$(tail -n 1 "$CHECKS")" = "XCI-CHECK other one PASS a  b c" ] && ck_ok'
ck_why
r "ck_why: nothing failed in this case" '[ -z "$REPLY" ]'
ck_begin save
r "ck_begin: an earlier try's checks leave for checks.old" '[ "$(cat "$CHECKS")" = "XCI-CHECK other one PASS a  b c" ] && [ "$(grep -c "^XCI-CHECK save " "$CHECKS.old")" = 2 ] && ck_ok'
ck_if t1 "it held" "it did not" true
ck_if t2 "it held" "it did not" false
r "ck_if: PASS or FAIL by the command, and its status" '! ck_if t3 p f false && grep -q "^XCI-CHECK save t1 PASS it held$" "$CHECKS" && grep -q "^XCI-CHECK save t2 FAIL it did not$" "$CHECKS" && [ "$CK_FAILS" = 2 ]'
ck_begin dom
printf 'XCI-CHECK vbd-save-restore FAIL 3 of 40 passes\r\nXCI-CHECK vif-save-restore PASS ping 1 s\r\nXCI-CHECK vbd-save-restore PASS 40 passes\r\nXCI-CHECK bare PASS\r\n' > "$tmp/dlog"
ck_domu "$tmp/dlog" vbd-save-restore vif-save-restore bare vif-stream-save-restore
r "ck_domu: the domU's last report of each, a missing one failed" '[ "$(grep "^XCI-CHECK dom " "$CHECKS")" = "XCI-CHECK dom vbd-save-restore PASS 40 passes
XCI-CHECK dom vif-save-restore PASS ping 1 s
XCI-CHECK dom bare PASS 
XCI-CHECK dom vif-stream-save-restore FAIL the domU did not report it" ]'
printf 'XCI-IDLE 3 eth0=0x1002\r\n[   41.2] WARNING: CPU: 1 PID: 9 at drivers/net/x.c:7\r\n[   41.3] BUG: oops\r\n' > "$tmp/klog2"
domu_kernel_check "$tmp/klog2" domu-kernel
domu_kernel_check "$tmp/dlog" domu-kernel-2
r "domu_kernel_check: the first warning fails it, a clean console passes" '[ "$(grep " domu-kernel" "$CHECKS")" = "XCI-CHECK dom domu-kernel FAIL WARNING: CPU: 1 PID: 9 at drivers/net/x.c:7
XCI-CHECK dom domu-kernel-2 PASS no panic, BUG, oops or warning on the domU'"'"'s console" ]'
printf '[    2.8] XSAVE consistency problem: size 832 != kernel_size 576\r\n[    2.8] WARNING: CPU: 0 PID: 0 at ../src/arch/x86/kernel/fpu/xstate.c:605 fpu__init_system_xstate+0xc3b/0x10b0\r\n[    9.1] BUG: kernel NULL pointer dereference\r\n' > "$tmp/xsave.log"
domu_kernel_check "$tmp/xsave.log" domu-kernel-xsave pvh
r "domu_kernel_check: Xen's XSAVE quirk in PVH is not the kernel's, what follows is" '[ "$(grep " domu-kernel-xsave " "$CHECKS")" = "XCI-CHECK dom domu-kernel-xsave FAIL BUG: kernel NULL pointer dereference" ]'
head -n 2 "$tmp/xsave.log" > "$tmp/xsave2.log"
domu_kernel_check "$tmp/xsave2.log" domu-kernel-xsave2 pvh
r "domu_kernel_check: the XSAVE quirk alone passes in PVH" 'grep -q " domu-kernel-xsave2 PASS" "$CHECKS"'
domu_kernel_check "$tmp/xsave2.log" domu-kernel-xsave3 pv
r "domu_kernel_check: but fails in PV" 'grep -q " domu-kernel-xsave3 FAIL WARNING: CPU: 0 PID: 0 at ../src/arch/x86/kernel/fpu/xstate.c:605" "$CHECKS"'
sed 1d "$tmp/xsave2.log" > "$tmp/xsave4.log"
domu_kernel_check "$tmp/xsave4.log" domu-kernel-xsave4 pvh
r "domu_kernel_check: and without the XSAVE line before it" 'grep -q " domu-kernel-xsave4 FAIL WARNING:" "$CHECKS"'
domu_kernel_check "$tmp/no-such.log" domu-kernel-nolog
r "domu_kernel_check: no log fails" 'grep -q " domu-kernel-nolog FAIL no console log no-such.log" "$CHECKS"'
ck_begin dom
rm -f "$CHECKS"
REPLY=stale
ck_why
r "ck_why: no checks file yet" '[ -z "$REPLY" ]'
ck_begin sums
ck_same s1 abc abc "xvda"
ck_same s2 abc abd "xvdb"
ck_same s3 abc "" "xvdc"
r "ck_same: equal passes, different or missing fails" '[ "$(cat "$CHECKS")" = "XCI-CHECK sums s1 PASS xvda: abc
XCI-CHECK sums s2 FAIL xvdb: got abd, want abc
XCI-CHECK sums s3 FAIL xvdc: got no checksum, want abc" ]'
# A failed comparison says how the data differ (pat_diff, with xpat -d).
mkdir -p "$tmp/xpat"
gcc -O2 -Wall -Werror -o "$tmp/xpat/xpat" "$(dirname "$0")/../tools/xpat.c"
"$tmp/xpat/xpat" 15 2 > "$tmp/xpat/img"
printf '\0\0\0\0' | dd of="$tmp/xpat/img" bs=1 seek=1048576 conv=notrunc 2>/dev/null
ck_begin pat
PATH=$tmp/xpat:$PATH ck_same p1 abc abd "xvdc" pat_diff 15 2 "$tmp/xpat/img"
PATH=$tmp/xpat:$PATH ck_same p2 abc abc "xvdc" false
r "ck_same: a failure says how the data differ; a pass runs nothing" '[ "$(grep " pat " "$CHECKS")" = "XCI-CHECK pat p1 FAIL xvdc: got abd, want abc; 1 of 512 4 KiB blocks differ (0 zeros, 1 partly, 0 moved, 0 of another seed, 0 other): 0x100000: 1 of 512 words, the first at +0
XCI-CHECK pat p2 PASS xvdc: abc" ]'
# The pattern from SKIP_MIB on: a block of zeros there, at 4 KiB.
{ head -c 1048576 /dev/zero; "$tmp/xpat/xpat" 15 1; } > "$tmp/xpat/img2"
dd if=/dev/zero of="$tmp/xpat/img2" bs=4096 seek=257 count=1 conv=notrunc 2>/dev/null
PATH=$tmp/xpat:$PATH pat_diff 15 1 "$tmp/xpat/img2" 1 > "$tmp/xpat/out"
r "pat_diff: from SKIP_MIB on" '[ "$(cat "$tmp/xpat/out")" = "1 of 256 4 KiB blocks differ (1 zeros, 0 partly, 0 moved, 0 of another seed, 0 other): 0x1000: zeros" ]'
# The domU's own checks (domu_check): a PASS anywhere passes, a SKIP only
# where allowed, anything else fails; the last line may lack its newline.
ck_begin du
printf 'XCI-CHECK a FAIL first\r\nXCI-CHECK a PASS later\r\nXCI-CHECK b SKIP not here\r\nXCI-CHECK c SKIP nope\r\nXCI-CHECK d FAIL broke\r\nXCI-CHECK e PASS no newline' > "$tmp/du"
domu_checks_read "$tmp/du"
domu_check a
domu_check b skip
domu_check c
domu_check d skip
domu_check e
domu_check f skip
r "domu_check: PASS anywhere, SKIP where allowed, else FAIL" '[ "$(grep "^XCI-CHECK du " "$CHECKS")" = "XCI-CHECK du a PASS later
XCI-CHECK du b SKIP not here
XCI-CHECK du c FAIL the domU said SKIP: nope
XCI-CHECK du d FAIL the domU said FAIL: broke
XCI-CHECK du e PASS no newline
XCI-CHECK du f FAIL the domU did not report it" ]'
r "domu_checks_read: a FAIL anywhere is kept (vif-frontend)" '[ "${DOMU_FAIL[a]}" = first ] && [ -z "${DOMU_FAIL[e]+x}" ]'
ck_begin du2
ck_domu "$tmp/du" b
r "ck_domu: a SKIP from the domU fails" '[ "$(grep "^XCI-CHECK du2 " "$CHECKS")" = "XCI-CHECK du2 b FAIL the domU said SKIP: not here" ]'
# bounded: the supervisor's way to run a program that may hang in the
# testbed's stuck fork ("$tmp/stuck/bash" waits in a futex for ever).
t0=$EPOCHSECONDS
bounded 2 "$tmp/b1" "$tmp/stuck/bash"
brc=$?
r "bounded: a command stuck in a futex is stopped after its time, with 124" '[ $brc = 124 ] && [ $((EPOCHSECONDS - t0)) -le 4 ] && ! pgrep -f "^$tmp/stuck/bash" > /dev/null'
bounded 5 "$tmp/b2" echo 42
brc=$?
r "bounded: a quick command's output and status" '[ $brc = 0 ] && [ "$(cat "$tmp/b2")" = 42 ]'
bounded 5 "$tmp/b3" false
brc=$?
r "bounded: a failed command fails" '[ $brc = 1 ]'
mkdir -p /run
stuck_count() { "$tmp/stuck/bash"; }
t0=$EPOCHSECONDS
BOUNDED_SECS=2 bounded_value stuck_count
r "bounded_value: ? when the function hangs" '[ "$REPLY" = "?" ] && [ $((EPOCHSECONDS - t0)) -le 4 ]'
three() { echo 3; echo 4; }
bounded_value three
r "bounded_value: the first line" '[ "$REPLY" = 3 ]'
# The supervisor's counts are grep -c, which fails when it counts 0.
zero() { echo x | grep -c y; }
bounded_value zero
r "bounded_value: a count of 0 is 0, though grep -c failed" '[ "$REPLY" = 0 ]'
bounded_value true
r "bounded_value: ? when nothing was printed" '[ "$REPLY" = "?" ]'
# ck_xl_create: xl create's check, with xl's last line as the reason.
ck_begin mk
mkdir -p "$tmp/mk"
printf '#!/bin/sh\necho "args: $*"\necho "libxl: error: it broke"\nexit 3\n' > "$tmp/mk/xl"
chmod +x "$tmp/mk/xl"
XL=$tmp/mk/xl
ck_xl_create mk "$tmp/mk" -p
brc=$?
XL=true
ck_xl_create mk "$tmp/mk"
r "ck_xl_create: FAIL with xl's last line, then PASS" '[ $brc = 1 ] && [ "$(grep "^XCI-CHECK mk " "$CHECKS")" = "XCI-CHECK mk xl-create FAIL libxl: error: it broke (both tries)
XCI-CHECK mk xl-create PASS domU mk created" ]'
printf '#!/bin/sh\necho "Parsing config"\necho "libxl: error: the cause"\necho "libxl: error: cleanup failed"\nexit 3\n' > "$tmp/mk/xl2"
chmod +x "$tmp/mk/xl2"
XL=$tmp/mk/xl2
ck_begin mk2
ck_xl_create mk2 "$tmp/mk"
XL=true
r "ck_xl_create: FAIL with xl's first error, then its last line" '[ "$(grep "^XCI-CHECK mk2 " "$CHECKS")" = "XCI-CHECK mk2 xl-create FAIL libxl: error: the cause ... libxl: error: cleanup failed (both tries)" ]'
# A create that fails once and then works (a counter in the fake xl).
printf '#!/bin/sh\n[ "$1" = create ] || exit 0\nif [ -e "%s/mk/once" ]; then echo ok; exit 0; fi\n: > "%s/mk/once"\necho "libxl: error: unable to read script from /local/domain/0/bac"\nexit 3\n' "$tmp" "$tmp" > "$tmp/mk/xl3"
chmod +x "$tmp/mk/xl3"
XL=$tmp/mk/xl3
ck_begin mk3
ck_xl_create mk3 "$tmp/mk"
brc=$?
XL=true
r "ck_xl_create: a second try after a failure, which the check names" '[ $brc = 0 ] && [ "$XL_CREATE_RC" = 0 ] && [ "$(grep "^XCI-CHECK mk3 " "$CHECKS")" = "XCI-CHECK mk3 xl-create PASS domU mk3 created on the second try (the first failed: libxl: error: unable to read script from /local/domain/0/bac)" ] && [ -s "$tmp/mk/create.log.1" ]'
# A create that hung (timeout's 124) is not tried again.
printf '#!/bin/sh\necho "create $*" >> "%s/mk/calls"\nexit 124\n' "$tmp" > "$tmp/mk/xl4"
chmod +x "$tmp/mk/xl4"
XL=$tmp/mk/xl4
ck_begin mk4
ck_xl_create mk4 "$tmp/mk"
XL=true
r "ck_xl_create: no second try after a hang" '[ "$(grep -c . "$tmp/mk/calls")" = 1 ] && grep -q "^XCI-CHECK mk4 xl-create FAIL" "$CHECKS"'
xl_why /nonexistent
r "xl_why: nothing for a log that is not there" '[ -z "$REPLY" ]'
# xl_create_defect: a crash, or an inflate failure of a kernel that
# still reads as it first did; not one of a kernel that changed.
printf 'kernel one' > "$tmp/mk/k"
kernel_sum "$tmp/mk/k"
ksum=$REPLY
printf 'xc: error: panic: xg_dom_core.c:374: xc_dom_do_gunzip: inflate failed (rc=-3): Internal error\n' > "$tmp/mk/inflate.log"
echo "libxl: error: the cause" > "$tmp/mk/other.log"
r "kernel_sum: the first checksum is kept" '[ ${#ksum} = 32 ] && [ "${KERNEL_MD5[$tmp/mk/k]}" = "$ksum" ]'
r "xl_create_defect: xl's crash" 'xl_create_defect 139 "$tmp/mk/other.log" "$tmp/mk/k" && [ "$REPLY" = crashed ]'
r "xl_create_defect: inflate failed on an intact kernel" 'xl_create_defect 3 "$tmp/mk/inflate.log" "$tmp/mk/k" && [ "$REPLY" = inflate-failed-on-intact-kernel ]'
r "xl_create_defect: not another error" '! xl_create_defect 3 "$tmp/mk/other.log" "$tmp/mk/k"'
r "xl_create_defect: not for a kernel never read before" '! xl_create_defect 3 "$tmp/mk/inflate.log" "$tmp/mk/k2"'
printf 'kernel two' > "$tmp/mk/k"
r "xl_create_defect: not for a kernel that changed since" '! xl_create_defect 3 "$tmp/mk/inflate.log" "$tmp/mk/k" && [ "${KERNEL_MD5[$tmp/mk/k]}" = "$ksum" ]'
r "ck_xl_create: its arguments before the configuration" 'XL=$tmp/mk/xl; ck_xl_create mk "$tmp/mk" -p; [ "$(head -n 1 "$tmp/mk/create.log")" = "args: create -p $tmp/mk/cfg" ]'
# case_once and result: one try per boot; a failed try that saw the
# testbed's defect says so first, in an EVIDENCE line for the host's
# retry (pipeline/retry.py), but not after our dom0's kernel warned.
OUT=$tmp/out
mkdir -p "$OUT"
since() { echo 1.0; }
say() { :; }
KFAULTS=""
t_pass() { CASE_T0=$EPOCHREALTIME CASE_WHY="" CASE_DETAIL="it worked" FLAKE=""; }
t_flaky() { CASE_T0=$EPOCHREALTIME CASE_WHY=" xl-create" CASE_DETAIL="" FLAKE=" user-space-faults-in-domU"; }
t_bad() { CASE_T0=$EPOCHREALTIME CASE_WHY="disk" CASE_DETAIL="" FLAKE=""; }
t_own() { t_pass; CASE_LOG=-; }
case_once a t_pass
case_once b t_flaky
case_once c t_bad
case_once e t_own
r "case_once: a pass, with its detail and log" 'grep -qx "CASE a PASS 1.0 guests/guest-a.log it worked" "$OUT/results"'
r "case_once: a failure with evidence says it first" '[ "$(grep -E "^(CASE|EVIDENCE) b " "$OUT/results" | tr "\n" "|")" = "EVIDENCE b user-space-faults-in-domU|CASE b FAIL 1.0 guests/guest-b.log xl-create|" ]'
r "case_once: a failure without evidence has none" '! grep -q "^EVIDENCE c " "$OUT/results" && grep -q "^CASE c FAIL 1.0 guests/guest-c.log disk" "$OUT/results"'
r "case_once: a case's own log" 'grep -qx "CASE e PASS 1.0 - it worked" "$OUT/results"'
# detach_check: xl's status, the backend device's going, the domU's TAP.
OUT=$tmp/out
mkdir -p "$OUT"
printf 'ok 33 vbd_detach.flood\r\n' > "$tmp/dguest.log"
echo "0 812 1530" > "$tmp/detach"
: > "$tmp/detach.xl"
FLAKE_DIAG=""
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check passes when xl returned and the device went" '[[ $(tail -n 1 "$CHECKS") == *"detach-under-flood PASS xl block-detach took 812 ms under the flood, the backend device was gone 1530 ms after the request (limit 120 s); domU: ok 33 vbd_detach.flood" ]] && [ ! -e "$OUT/d-detach-xl.log" ]'
echo "1 10450 -" > "$tmp/detach"
echo "libxl: error: libxl_device.c:1202:device_backend_callback: unable to remove device with path /local/domain/0/backend/vbd/3/51776" > "$tmp/detach.xl"
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check fails when the backend did not close" '[[ $(tail -n 1 "$CHECKS") == *"detach-under-flood FAIL xl block-detach exited 1 after 10450 ms (libxl waits 10 s for the backend to close); the backend device was still there 120 s after the request; xl'"'"'s output in d-detach-xl.log" ]] && [ -s "$OUT/d-detach-xl.log" ] && [ -z "$FLAKE_DIAG" ]'
echo "0 900 -" > "$tmp/detach"
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check fails when the device stayed after xl returned 0" '[[ $(tail -n 1 "$CHECKS") == *"detach-under-flood FAIL xl block-detach returned 0 after 900 ms, but the backend device was still there 120 s after the request" ]]'
echo "139 400 2000" > "$tmp/detach"
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check: an xl killed by SIGSEGV is the testbed's evidence" '[[ $(tail -n 1 "$CHECKS") == *"detach-under-flood FAIL xl block-detach exited 139 after 400 ms (xl or its block script met the testbed'"'"'s defect)"*"gone 2000 ms after the request"* ]] && [ "$FLAKE_DIAG" = " xl-crashed-in-detach" ]'
FLAKE_DIAG=""
echo "1 3000 3100" > "$tmp/detach"
echo "libxl: error: /xci/block-script: line 9: xenstore-read: not found" > "$tmp/detach.xl"
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check: a block script that met the defect is evidence" '[ "$FLAKE_DIAG" = " xl-crashed-in-detach" ]'
FLAKE_DIAG=""
echo asked > "$tmp/detach"
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check fails when dom0's detach did not finish" '[[ $(tail -n 1 "$CHECKS") == *"detach-under-flood FAIL dom0'"'"'s detach had not finished when the domU was gone" ]]'
echo nodev > "$tmp/detach"
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check fails without a backend device" '[[ $(tail -n 1 "$CHECKS") == *"detach-under-flood FAIL no backend device of the disk in dom0 when the domU asked" ]]'
rm -f "$tmp/detach"
printf 'ok 33 vbd_detach.flood # SKIP not running on Xen\r\n' > "$tmp/dguest.log"
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check skips where the domU's test skipped" '[[ $(tail -n 1 "$CHECKS") == *"detach-under-flood SKIP the domU'"'"'s test skipped: not running on Xen" ]]'
printf 'not ok 33 vbd_detach.flood\r\n' > "$tmp/dguest.log"
detach_check d "$tmp/dguest.log" "$tmp/detach"
r "detach_check fails when the domU never asked" '[[ $(tail -n 1 "$CHECKS") == *"detach-under-flood FAIL the domU never asked for the detach (not ok 33 vbd_detach.flood)" ]]'
# xsa349_stats and xsa349_check: dom0's account of its watches around a
# frontend's rewrites of its state.
XS_WATCHES=$tmp/watches
cat > "$XS_WATCHES" <<'EOW'
queued 0 peak 7
00000000000000a1 /local/domain/3/device/vbd/51776/state queued 0 peak 1 events 10012 filtered 9000 merged 12 dropped 0
00000000000000a2 backend queued 0 peak 5 events 40 filtered 0 merged 3 dropped 0
EOW
v=$(xsa349_stats /local/domain/3/device/vbd/51776/state)
r "xsa349_stats: events filtered merged dropped peak queued of the watch" '[ "$v" = "10012 9000 12 0 1 0" ]'
v=$(xsa349_stats /local/domain/3/device/vbd/51712/state)
r "xsa349_stats: dashes without a watch on the node" '[ "$v" = "- - - - - -" ]'
v=$(XS_WATCHES=$tmp/none xsa349_stats backend)
r "xsa349_stats: dashes without the file" '[ "$v" = "- - - - - -" ]'
printf 'ok 34 vbd_xsa349.state_rewrites\r\n' > "$tmp/xguest.log"
echo "done 10000 5000 12 0 0 0 1 0 10012 9000 12 0 1 0 100000 101000 7" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check passes within the bounds" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded PASS 10000 rewrites in 5000 ms; dom0'"'"'s watch: 10000 events, 9000 filtered, 12 merged, 0 dropped, at most 1 queued (bound 1); xenwatch queue peak 7; slab grew by 1000 KiB (bound 1137 KiB); domU: ok 34 vbd_xsa349.state_rewrites" ]]'
echo "done 10000 5000 12 0 0 0 1 0 10012 9000 12 0 2 0 100000 101000 7" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails with two events queued at once" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL 2 events queued at once (bound 1): 10000 rewrites"* ]]'
echo "done 10000 5000 12 0 0 0 1 0 9012 9000 12 0 1 0 100000 101000 7" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails when rewrites did not reach the watch" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL only 9000 of 10000 rewrites reached the watch in 30 s (at least 10000 must): "* ]]'
echo "done 10000 5000 12 0 0 0 1 0 6457 2000 12 0 1 0 100000 101000 7" > "$tmp/xsa"
T_XS=c xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check: the C xenstored drops identical pending events" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded PASS 10000 rewrites in 5000 ms; dom0'"'"'s watch: 6445 events"* ]]'
echo "done 10000 5000 12 0 0 0 1 0 912 200 12 0 1 0 100000 101000 7" > "$tmp/xsa"
T_XS=c xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check: but a tenth of the rewrites must reach the watch" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL only 900 of 10000 rewrites reached the watch in 30 s (at least 1000 must): "* ]]'
echo "done 10000 5000 12 0 0 0 1 0 10012 9000 12 4 1 0 100000 101000 7" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails when events were dropped" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL 4 events dropped: "* ]]'
echo "done 10000 5000 12 0 0 0 1 0 10012 9000 12 0 1 0 100000 109000 7" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails when dom0's slab grew too much" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL dom0'"'"'s slab grew by 9000 KiB (bound 1137 KiB): "* ]]'
echo "done 4000 150000 12 0 0 0 1 0 4012 3000 12 0 1 0 100000 100100 7" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails when the domU stopped short of the rewrites asked for" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL the domU did 4000 of 10000 rewrites (its time budget ran out): 4000 rewrites"*"(bound 762 KiB)"* ]]'
echo "done - - 12 0 0 0 1 0 10012 9000 12 0 1 0 100000 101000 7" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails without the domU's count" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL the domU'"'"'s \"done\" gave no count of its rewrites" ]]'
echo "done 10000 5000 - - - - - - - - - - - - 100000 101000 7" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails without the watch" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL no watch on the frontend'"'"'s state in dom0'"'"'s $XS_WATCHES" ]]'
echo "started 12 0 0 0 1 0 100000" > "$tmp/xsa"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails when the domU never finished" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL the domU started its flood but never said it was done (ok 34 vbd_xsa349.state_rewrites)" ]]'
rm -f "$tmp/xsa"
printf 'ok 34 vbd_xsa349.state_rewrites # SKIP not running on Xen\r\n' > "$tmp/xguest.log"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check skips where the domU's test skipped" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded SKIP the domU'"'"'s test skipped: not running on Xen" ]]'
printf 'not ok 34 vbd_xsa349.state_rewrites\r\n' > "$tmp/xguest.log"
xsa349_check x "$tmp/xguest.log" "$tmp/xsa" 10000
r "xsa349_check fails when the domU never started" '[[ $(tail -n 1 "$CHECKS") == *"xsa349-bounded FAIL the domU never started its flood (not ok 34 vbd_xsa349.state_rewrites)" ]]'
# The xl and xenstore wrappers, against a stand-in xl whose answers come
# from a script of exit statuses (one a call) and a log of its calls.
mkdir -p "$tmp/xl"
cat > "$tmp/xl/xl" <<'EOX'
#!/bin/bash
d=$(dirname "$0")
echo "$*" >> "$d/calls"
case $1 in -vvv) shift ;; esac
case $1 in
block-list) [ -e "$d/present" ] && echo "51760 0 1 4 8 9 /local/domain/0/backend/vbd/1/51760"; exit 0 ;;
network-list) exit 0 ;;
esac
rc=$(head -n 1 "$d/script" 2>/dev/null)
sed -i 1d "$d/script" 2>/dev/null
[ -e "$d/say" ] && cat "$d/say"
case $1 in domid) [ "${rc:-0}" = 0 ] && echo 7 ;; esac
exit "${rc:-0}"
EOX
chmod +x "$tmp/xl/xl"
XL=$tmp/xl/xl XL_LOG=$tmp/xl/log OUT=$tmp/out
xl_reset() { rm -f "$tmp/xl/calls" "$tmp/xl/present" "$tmp/xl/say"; printf '%s\n' "$@" > "$tmp/xl/script"; XL_CRASHES=0 XL_OTHER=0; }
ncalls() { grep -c -- "$1" "$tmp/xl/calls" 2>/dev/null || true; }
xl_reset 139 134 0
xl_dev 1 attach "format=raw,vdev=xvdd,target=/dev/loop3"
rc=$?
r "xl_dev tries again after xl crashed, and counts the crashes" '[ $rc = 0 ] && [ "$(ncalls block-attach)" = 3 ] && [ $XL_CRASHES = 2 ] && [ $XL_OTHER = 0 ]'
xl_reset 1
echo "libxl: error: /xci/block-script: line 3: xenstore-read: not found" > "$tmp/xl/say"
touch "$tmp/xl/present"
xl_dev 1 attach "format=raw,vdev=xvdd,target=/dev/loop3"
rc=$?
r "xl_dev: an attach that took effect although its script met the defect is done" '[ $rc = 0 ] && [ "$(ncalls block-attach)" = 1 ] && [ $XL_CRASHES = 1 ] && [ $XL_OTHER = 0 ]'
xl_reset 1 1 1 1 1
echo "libxl: error: something else" > "$tmp/xl/say"
touch "$tmp/xl/present"
xl_dev 1 detach ""
rc=$?
r "xl_dev gives up after 5 failed detaches, each counted apart" '[ $rc = 1 ] && [ "$(ncalls block-detach)" = 5 ] && [ $XL_OTHER = 5 ] && grep -q "== xl detach 1: exit 1" "$OUT/xl-failures.log"'
xl_reset 1 1 0
domu_id d1
rc=$?
r "domu_id asks xl again when it fails" '[ $rc = 0 ] && [ "$DOMID" = 7 ] && [ "$(ncalls domid)" = 3 ]'
xl_reset 1 1 1
domu_id d1
rc=$?
r "domu_id: empty and false when xl never tells" '[ $rc = 1 ] && [ -z "$DOMID" ] && [ "$(ncalls domid)" = 3 ]'
xl_reset 0 0 1 1
gone_domu d1
rc=$?
r "gone_domu destroys until xl no longer knows the domain twice" '[ $rc = 0 ] && [ "$(ncalls destroy)" = 1 ] && [ "$(ncalls domid)" = 3 ]'
# xen_has_cap reads xl info's virt_caps; xl_migrate_local says why.
xl_reset 0
printf 'xen_major              : 4\nvirt_caps              : pv hvm hap gnttab-v1\n' > "$tmp/xl/say"
xen_has_cap hap
rc=$?
xl_reset 0
printf 'virt_caps              : pv hvm hap gnttab-v1\n' > "$tmp/xl/say"
xen_has_cap shadow
rc2=$?
r "xen_has_cap: hap listed, shadow not" '[ $rc = 0 ] && [ $rc2 = 1 ] && [ "$REPLY" = "pv hvm hap gnttab-v1" ]'
xl_reset 1
xen_has_cap hap
rc=$?
r "xen_has_cap: 2 when xl info says nothing" '[ $rc = 2 ] && [ -z "$REPLY" ]'
xl_reset 1
echo "xc: error: Failed to enable logdirty: 95,22,0 (22 = Invalid argument): Internal error" > "$tmp/xl/say"
xl_migrate_local d1 "$tmp/mig.log"
rc=$?
r "xl_migrate_local: xl's exit and first error in REPLY" '[ $rc = 1 ] && [[ $REPLY == "xl migrate: exit 1: xc: error: Failed to enable logdirty"* ]] && [ "$(ncalls migrate)" = 1 ] && grep -q -- "-s  d1 xl migrate-receive" "$tmp/xl/calls"'
xl_reset 0 0
xl_migrate_local d1 "$tmp/mig.log"
rc=$?
r "xl_migrate_local: the new domain's id" '[ $rc = 0 ] && [ "$DOMID" = 7 ] && [ "$REPLY" = "migrated to this host, now domain 7" ]'
xl_reset 0 1 1 1
xl_migrate_local d1 "$tmp/mig.log"
rc=$?
r "xl_migrate_local: false when the domain is gone after xl returned 0" '[ $rc = 1 ] && [[ $REPLY == *"does not answer" ]]'
# xs_wait reads until the value comes; xs_read gives up on a stuck tool.
mkdir -p "$tmp/xs"
cat > "$tmp/xs/xenstore-read" <<'EOX'
#!/bin/bash
d=$(dirname "$0")
n=$(($(cat "$d/n" 2>/dev/null || echo 0) + 1))
echo $n > "$d/n"
[ -e "$d/stuck" ] && sleep 60
[ $n -ge 3 ] && echo 4 || echo 2
EOX
chmod +x "$tmp/xs/xenstore-read"
PATH=$tmp/xs:$PATH xs_wait /x/state 4 10
rc=$?
r "xs_wait reads again until the value comes" '[ $rc = 0 ] && [ "$(cat "$tmp/xs/n")" = 3 ]'
touch "$tmp/xs/stuck"
t=$EPOCHSECONDS
v=$(PATH=$tmp/xs:$PATH xs_read /x/state)
r "xs_read gives up on a stuck xenstore-read after 10 s" '[ -z "$v" ] && [ $((EPOCHSECONDS - t)) -le 12 ]'
KFAULTS=0
kernel_faults() { echo 1; }
dmesg() { echo "[ 1.0] WARNING: CPU: 0 PID: 1 at x"; }
case_once d t_flaky
unset -f dmesg
r "result: no evidence after a warning of our dom0's kernel" '! grep -q "^EVIDENCE d " "$OUT/results" && grep -q "^CASE d FAIL " "$OUT/results" && grep -q "^XCI-CHECK d dom0-kernel FAIL .*WARNING" "$CHECKS"'
KFAULTS=""
echo "TAP version 13"
echo "1..$n"
printf '%s\n' "${out[@]}"
