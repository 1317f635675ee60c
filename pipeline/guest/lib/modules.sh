# SPDX-License-Identifier: GPL-2.0-only
# Our backend modules in Debian's dom0: swapping them with Debian's own
# (stock-kernel-our-modules, modules-cycle, make bench).
# Sourced by dom0.sh; defines functions and constants only.

# BK_OURS: 1 while dom0's xen-blkback and xen-netback are ours, which the
# checks of our backends' own files and behaviour need: always with our
# kernel (dom0.sh sets it from PLAN); with Debian's, while backends() has our
# modules loaded.
# BK_WHY: the reasons backends() failed, each with a leading space.
BK_WHY=""
# XNB_KO, XBB_KO: the xen-netback.ko and xen-blkback.ko that backends()
# loads as ours instead of build/out/modules' (XCI_NETBACK_KO,
# XCI_BLKBACK_KO: a build from before a fix, say).
XNB_KO=$(arg xnetbackko)
XBB_KO=$(arg xblkbackko)
# RX_STALL_MS: rx_stall_timeout_msecs of our netback, loaded as a module
# (backends) or built in (boot.sh puts it on our dom0's command line).
RX_STALL_MS=$(arg xrxstallms)

# guests_left: destroy the domUs an earlier case of this boot left behind,
# which keep the backend modules in use, and wait up to 30 s for their
# backend devices to go.  In CI on 2026-12-04 xl crashed in
# stock-saverestore's restore (the testbed's defect), and the next case,
# stock-kernel-our-modules, could not unload Debian's backends.
guests_left() {
	local t=0
	destroy_domus
	[ -n "$REPLY" ] || return 0
	say "destroyed the domains an earlier case left:$REPLY"
	while [ -n "$(ls /sys/bus/xen-backend/devices 2>/dev/null)" ] && [ $t -lt 30 ]; do
		sleep 1
		t=$((t + 1))
	done
}

# backends WHICH: make dom0's xen-blkback and xen-netback WHICH's: "ours"
# (our modules for Debian's kernel, build-modules.sh) or "stock" (Debian's
# own).  No guest may be using them: any an earlier case left is
# destroyed first (guests_left).  The module names are the same, so a
# module counts as ours only with taint O (out of tree) and a driver
# attribute that only ours has.  Sets BK_OURS and BK_WHY.
backends() {
	local m t a o ko pa
	BK_WHY=""
	guests_left
	for m in xen_netback xen_blkback; do
		[ -d "/sys/module/$m" ] || continue
		timeout 60 rmmod "$m" 2>/dev/null || BK_WHY="$BK_WHY rmmod-$m-failed"
	done
	for m in xen-blkback xen-netback; do
		if [ "$1" = ours ]; then
			ko=$XTOP/build/out/modules/$m.ko
			[ "$m" = xen-netback ] && [ -n "$XNB_KO" ] && ko=$XNB_KO
			[ "$m" = xen-blkback ] && [ -n "$XBB_KO" ] && ko=$XBB_KO
			# Our netback's receive stall as in our own dom0
			# (boot.sh), so that carrier_check waits seconds, not
			# Debian's minute.
			pa=()
			[ "$m" = xen-netback ] && [[ $RX_STALL_MS =~ ^[0-9]+$ ]] &&
				pa=("rx_stall_timeout_msecs=$RX_STALL_MS")
			timeout 60 insmod "$ko" "${pa[@]}" 2>/dev/null ||
				BK_WHY="$BK_WHY insmod-$m-failed"
		else
			timeout 60 modprobe -q "$m" 2>/dev/null ||
				BK_WHY="$BK_WHY modprobe-$m-failed"
		fi
	done
	for m in xen_blkback:vbd/lost_pages xen_netback:vif/ring_pages; do
		t=none a=/sys/bus/xen-backend/drivers/${m#*:} o=stock
		read -r t 2>/dev/null < "/sys/module/${m%%:*}/taint"
		[[ $t == *O* ]] && [ -e "$a" ] && o=ours
		[ -d "/sys/module/${m%%:*}" ] || o=none
		[ "$o" = "$1" ] || BK_WHY="$BK_WHY ${m%%:*}-is-$o(taint:${t:-none})"
	done
	BK_OURS=""
	[ "$1" = ours ] && [ -z "$BK_WHY" ] && BK_OURS=1
	say "dom0's backends: $1${BK_WHY:+, failed:$BK_WHY}"
}

# our_traces: kernel trace lines through our backend modules so far
our_traces() { dmesg | grep -c -E '\[xen_(blk|net)back\]'; }
