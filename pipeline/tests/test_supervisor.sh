#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host tests of dom0.sh's helpers that start no program (proc_status,
# children, kill_tree, has_result, futex_bash, case_overran, log_match),
# taken out of dom0.sh as they are.
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
python3 - "$here/../guest/dom0.sh" > "$tmp/fns.sh" <<'EOP'
import re, sys
s = open(sys.argv[1]).read()
for name in ['proc_status', 'first_line', 'children', 'kill_tree', 'has_result',
             'in_tree', 'futex_bash', 'case_overran', 'log_match']:
    print(re.search(r'^' + name + r'\(\) \{.*?^\}', s, re.S | re.M).group(0))
EOP
. "$tmp/fns.sh"
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
echo "TAP version 13"
echo "1..$n"
printf '%s\n' "${out[@]}"
