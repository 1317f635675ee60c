# SPDX-License-Identifier: GPL-2.0-only
# The dom0 and stock-dom0-toolstack cases: dom0 itself, its toolstack
# and its selftests.
# Sourced by dom0.sh; defines functions and constants only.

# case_dom0 NAME: xl info and xl list answer, /sys/hypervisor says Xen,
# fork and copy-on-write hold under the PV MMU, dom0's kernel took the
# display Xen handed it (dom0_display), and dom0's selftests run
# (their TAP in tap/).  Sets CASE_T0, CASE_WHY, CASE_DETAIL and CASE_LOG
# for case_once (lib/retry.sh).
case_dom0() {
	local name=$1
	CASE_T0=$EPOCHREALTIME CASE_LOG=-
	ck_if xl-info "xl info answered" "xl info failed (its output: $name-xl-info.txt)" \
		$XL info > "$OUT/$name-xl-info.txt" 2>&1
	ck_if xl-info-xen "xen_major 4" "no xen_major 4 in xl info" \
		grep -q '^xen_major *: *4' "$OUT/$name-xl-info.txt"
	ck_if xl-list "xl list answered" "xl list failed" \
		$XL list > "$OUT/$name-xl-list.txt" 2>&1
	ck_if xl-list-dom0 "Domain-0 listed" "no Domain-0 in xl list" \
		grep -q '^Domain-0 ' "$OUT/$name-xl-list.txt"
	if [ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ]; then
		ck sys-hypervisor PASS "/sys/hypervisor/type: xen"
	else
		ck sys-hypervisor FAIL "/sys/hypervisor/type is not xen"
	fi
	# fork and copy-on-write under the PV MMU, as in domu.sh
	local i v n f0 f1
	n=$(arg xforks)
	f0=$(dmesg | grep -c -E 'segfault|general protection')
	for ((i = 0; i < ${n:-300}; i++)); do
		v=$(echo $i | cat)
		[ "$v" = "$i" ] || say "fork-cow: got '$v' for $i"
	done
	f1=$(dmesg | grep -c -E 'segfault|general protection')
	if [ "$f1" = "$f0" ]; then
		ck fork-cow PASS "${n:-300} pipelines in subshells, no fault"
	else
		ck fork-cow FAIL "$((f1 - f0)) faults in ${n:-300} pipelines"
	fi
	dom0_display
	sh /xci/run-selftests.sh "$name" "$OUT/tap"
	ck_why
	CASE_WHY=$REPLY CASE_DETAIL="xl info and xl list work"
}

# dom0_display: the check dom0-display.  Xen hands dom0 the display it
# found (its log: "VGA is text mode 80x25, font 8x16"), and dom0's kernel
# describes it in its screen_info (arch/x86/xen/vga.c), the first bytes
# of boot_params, which /sys/kernel/boot_params/data shows: the video mode
# at byte 6, the columns at 7, the lines at 14, the VGA flag at 15 and the
# font height at 16 (16 bits).  Skips where Xen's log (xl dmesg) no longer
# holds that line or found no text display.
dom0_display() {
	local m b got want
	m=$($XL dmesg 2>/dev/null | grep -a -o -m 1 'VGA is text mode [0-9]*x[0-9]*, font [0-9]*x[0-9]*')
	if [ -z "$m" ]; then
		ck dom0-display SKIP "no VGA text mode in Xen's log (xl dmesg)"
		return
	fi
	if ! b=$(od -An -tu1 -N18 /sys/kernel/boot_params/data 2>&1); then
		ck dom0-display FAIL "cannot read /sys/kernel/boot_params/data: $b"
		return
	fi
	# shellcheck disable=SC2206 # the 18 numbers od printed
	b=($b)
	got="mode ${b[6]:-?} isVGA ${b[15]:-?} ${b[7]:-?}x${b[14]:-?} font height $(( ${b[16]:-0} + 256 * ${b[17]:-0} ))"
	m=${m#VGA is text mode }
	want="mode 3 isVGA 1 ${m%%,*} font height ${m##*x}"
	if [ "$got" = "$want" ]; then
		ck dom0-display PASS "screen_info: $got, as Xen said"
	else
		ck dom0-display FAIL "screen_info: $got; Xen said $want"
	fi
}
