#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host tests of matrix.sh's order of boots: every Xen run's first boot
# before any boot again, then rounds in which each run with cases left to
# boot again for boots once, and the deadline.  matrix.sh runs as it is,
# with retry.py and cases.tbl, beside a stand-in boot.sh that starts no
# QEMU: it writes the results a scenario names and logs each boot.  TAP on
# stdout.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap "[ -n \"${KEEP:-}\" ] || rm -rf $tmp" EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); echo "not ok $n $1"; shift; printf '# %s\n' "$@"; }

mkdir -p "$tmp/pipeline"
cp "$here/matrix.sh" "$here/lib.sh" "$here/retry.py" "$here/cases.tbl" "$tmp/pipeline/"
# The stand-in: boot N of RUN fails, with evidence, the cases that
# $tmp/fail lists as "RUN N CASE", and ends, dom0's PID 1 killed by
# SIGSEGV, at the case listed as "RUN N CASE!"; every other case passes
# in 100 s.
cat > "$tmp/pipeline/boot.sh" <<'EOS'
#!/bin/bash
. "$(dirname "$0")/lib.sh"
run=$1
dir="$OUT/$run"
k=$(( $(grep -c "^$run " "$TOP/boots" 2>/dev/null || true) + 1 ))
echo "$run ${XCI_CASES:-}" >> "$TOP/boots"
mkdir -p "$dir"
echo "${XCI_EXPECT:-}" > "$dir/expect"
: > "$dir/console.log"
for c in ${XCI_CASES//,/ }; do
	echo "XCI: case $c: start" >> "$dir/console.log"
	if grep -qx "$run $k $c!" "$TOP/fail" 2>/dev/null; then
		echo "Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b" >> "$dir/console.log"
		break
	fi
	if grep -qx "$run $k $c" "$TOP/fail" 2>/dev/null; then
		echo "EVIDENCE $c user-space-faults-in-dom0" >> "$dir/results"
		echo "CASE $c FAIL 100 - broken" >> "$dir/results"
	else
		echo "CASE $c PASS 100 - fine" >> "$dir/results"
	fi
done
EOS
chmod +x "$tmp/pipeline/boot.sh"

# scenario NAME DEADLINE-IN-SECONDS FAILS...: run matrix.sh; the boots in
# $tmp/boots, its log in $tmp/log.
scenario() {
	local dl=$2
	shift 2
	rm -rf "$tmp/build" "$tmp/boots"
	printf '%s\n' "$@" > "$tmp/fail"
	(
		export XCI_RUNS="xen-ours xen-stock"
		unset XCI_CASES
		if [ "$dl" != - ]; then export XCI_DEADLINE=$((EPOCHSECONDS + dl)); else unset XCI_DEADLINE; fi
		bash "$tmp/pipeline/matrix.sh"
	) > "$tmp/log" 2>&1
}
# boots: the runs booted, in order, one word each
boots() { awk '{ print $1 }' "$tmp/boots" | tr '\n' ' ' | sed 's/ $//'; }

scenario none - ""
if [ "$(boots)" = "xen-ours xen-ours-life xen-stock" ]; then
	ok "without failures, each run boots once"
else
	notok "without failures, each run boots once" "$(boots)"
fi

# xen-ours fails domU in its first three boots: before the change it took
# all its boots before the others had their first.
scenario greedy - "xen-ours 1 domU" "xen-ours 2 domU" "xen-ours 3 domU" \
	"xen-ours-life 1 saverestore" "xen-stock 1 stock-saverestore"
want="xen-ours xen-ours-life xen-stock xen-ours xen-ours-life xen-stock xen-ours xen-ours"
if [ "$(boots)" = "$want" ]; then
	ok "first boots of every run, then one boot again per run and round"
else
	notok "first boots of every run, then one boot again per run and round" "$(boots)" "want $want"
fi
if grep -q '^xen-ours-life saverestore$' "$tmp/boots" &&
   grep -q '^xen-stock stock-saverestore$' "$tmp/boots"; then
	ok "a boot again is for the failed cases only"
else
	notok "a boot again is for the failed cases only" "$(cat "$tmp/boots")"
fi
if grep -q 'CASE domU PASS' "$tmp/build/out/xen-ours/results" &&
   [ -d "$tmp/build/out/xen-ours.try3" ] && [ ! -d "$tmp/build/out/xen-ours.try4" ] &&
   grep -q 'CASE saverestore PASS' "$tmp/build/out/xen-ours-life/results"; then
	ok "each run's boots are merged into its directory"
else
	notok "each run's boots are merged into its directory" "$(ls "$tmp/build/out")"
fi

# A deadline that leaves room for one case's boot again (60 s + 150 s)
# but not two: the boot again is for the first in the table's order.
# (The stand-in takes no time, so each boot sees the same time left;
# the case that gave way is not taken up again.)
scenario deadline 230 "xen-ours 1 pvh" "xen-ours 1 domU"
if [ "$(boots)" = "xen-ours xen-ours-life xen-stock xen-ours" ] &&
   grep -q '^xen-ours pvh$' "$tmp/boots" &&
   grep -q 'booting again for pvh only' "$tmp/log"; then
	ok "the deadline reaches retry.py"
else
	notok "the deadline reaches retry.py" "$(boots)" "$(grep -v '^$' "$tmp/log" | tail -3)"
fi

# In a round, the run whose boot again needs the least time boots first:
# xen-ours-life's one case (60 + 120 s) before xen-ours's two (60 + 240 s);
# then xen-ours has time for one of its two (the stand-in's boots take no
# time, so 250 s are still left).
scenario cheapest 250 "xen-ours 1 pvh" "xen-ours 1 domU" "xen-ours-life 1 saverestore"
if [ "$(boots)" = "xen-ours xen-ours-life xen-stock xen-ours-life xen-ours" ] &&
   grep -q '^xen-ours pvh$' "$tmp/boots"; then
	ok "in each round the cheapest boot again goes first"
else
	notok "in each round the cheapest boot again goes first" "$(boots)" "$(grep -v '^$' "$tmp/log" | tail -3)"
fi

# dom0 lost at saverestore: the six cases it never reached count their
# times in cases.tbl (about 980 s in all, with the boot), not dom0's case
# limit each (4200 s), and fit.
scenario unreached 1200 "xen-ours-life 1 saverestore!"
if [ "$(boots)" = "xen-ours xen-ours-life xen-stock xen-ours-life" ] &&
   grep -q '^xen-ours-life saverestore,hostile-backend,hostile-console,control,stock-control,domU-cxenstored$' "$tmp/boots" &&
   grep -q 'CASE stock-control PASS' "$tmp/build/out/xen-ours-life/results"; then
	ok "the cases a lost boot never reached count their usual times"
else
	notok "the cases a lost boot never reached count their usual times" "$(cat "$tmp/boots")" "$(grep -v '^$' "$tmp/log" | tail -3)"
fi

# A past deadline: first boots still run, none again.
scenario past -100 "xen-ours 1 domU"
if [ "$(boots)" = "xen-ours xen-ours-life xen-stock" ] &&
   grep -q 'CASE domU FAIL' "$tmp/build/out/xen-ours/results"; then
	ok "past the deadline, every run still boots once"
else
	notok "past the deadline, every run still boots once" "$(boots)"
fi
echo "1..$n"
