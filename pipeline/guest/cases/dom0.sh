# SPDX-License-Identifier: GPL-2.0-only
# The dom0 and stock-dom0-toolstack cases: dom0 itself, its toolstack
# and its selftests.
# Sourced by dom0.sh; defines functions and constants only.

# case_dom0 NAME: xl info and xl list answer, /sys/hypervisor says Xen,
# fork and copy-on-write hold under the PV MMU, and dom0's selftests run
# (their TAP in tap/).  Records the result itself.
case_dom0() {
	local name=$1 t0 why=""
	t0=$EPOCHREALTIME
	$XL info > "$OUT/$name-xl-info.txt" 2>&1 || why="$why xl-info-failed"
	grep -q '^xen_major *: *4' "$OUT/$name-xl-info.txt" || why="$why xl-info-no-xen_major"
	$XL list > "$OUT/$name-xl-list.txt" 2>&1 || why="$why xl-list-failed"
	grep -q '^Domain-0 ' "$OUT/$name-xl-list.txt" || why="$why xl-list-no-Domain-0"
	[ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ] || why="$why no-/sys/hypervisor"
	# fork and copy-on-write under the PV MMU, as in domu.sh
	local i v n f0 f1
	n=$(arg xforks)
	f0=$(dmesg | grep -c -E 'segfault|general protection')
	for ((i = 0; i < ${n:-300}; i++)); do
		v=$(echo $i | cat)
		[ "$v" = "$i" ] || say "fork-cow: got '$v' for $i"
	done
	f1=$(dmesg | grep -c -E 'segfault|general protection')
	[ "$f1" = "$f0" ] || why="$why fork-cow($((f1 - f0))-faults)"
	sh /xci/run-selftests.sh "$name" "$OUT/tap"
	if [ -z "$why" ]; then result "$name" PASS "$t0" - "xl info and xl list work"
	else result "$name" FAIL "$t0" - "$why"; fi
}
