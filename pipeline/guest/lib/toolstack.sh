# SPDX-License-Identifier: GPL-2.0-only
# Starting the toolstack in dom0: xenstored, xenconsoled, the bridge
# and the loop devices the cases use.
# Sourced by dom0.sh; defines functions and constants only.

setup_toolstack() {
	mkdir -p /dev/pts
	mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
	# /tmp stays as it is (the overlay's tmpfs upper makes it writable):
	# the repository, and so the kernels we boot, may live under it.
	local d
	for d in /run /var/lib/xen /var/log /var/lib/xci; do
		case "$XTOP/" in "$d"/*) say "repository under $d: cannot run here"; return 1 ;; esac
		mkdir -p "$d" && mount -t tmpfs tmpfs "$d"
	done
	mkdir -p /run/xen /run/xenstored /var/log/xen /var/lib/xenstored
	# The stock kernel has these as modules; ours has them built in.
	for m in xen-evtchn xenfs xen-gntdev xen-gntalloc xen-privcmd \
		 xen-blkback xen-netback loop bridge; do
		modprobe -q "$m" 2>/dev/null
	done
	mount -t xenfs xenfs /proc/xen || return 1
	# xxenstored=c: Xen's C xenstored; otherwise the OCaml one.
	# xxstrace=1 (XCI_XS_TRACE, for debugging): the C one traces every
	# message it takes and sends to xenstored-trace.log in the run's
	# output.
	if [ "$(arg xxenstored)" = c ]; then
		say "xenstored: the C one"
		local tr=()
		[ "$(arg xxstrace)" = 1 ] && tr=(-T "$OUT/xenstored-trace.log")
		xenstored "${tr[@]}" --pid-file /run/xenstored.pid || return 1
	else
		say "xenstored: oxenstored"
		oxenstored --pid-file /run/xenstored.pid || return 1
	fi
	local i=0
	while [ ! -S /run/xenstored/socket ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	xen-init-dom0 || return 1
	mkdir -p "$OUT/guests"
	xenconsoled --log=guest --log-dir="$OUT/guests" || return 1
	# The guests' bridge: dom0 is .1, the domU of each case is .2.
	ip link set lo up
	# A fixed address: a bridge takes its lowest port's otherwise, and
	# a port that comes and goes (the multicast check's veth) would
	# leave the domUs' ARP entries for dom0 stale.
	ip link add xenbr0 address 02:58:43:49:00:01 type bridge || return 1
	ip addr add 10.99.0.1/24 dev xenbr0
	# IPv6 too (fd99::1; the domU is fd99::2), without duplicate
	# address detection, which would hold the address back.
	ip -6 addr add fd99::1/64 dev xenbr0 nodad 2>/dev/null
	ip link set xenbr0 up
	xnet echo 7 &
	# make bench's network servers (domu.sh bench mode).
	xnet discard 5003 &
	xnet source 5004 256 &
	return 0
}
