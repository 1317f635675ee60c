#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The domU side of a boot-matrix case, run by /init in a busybox domU.  Every
# result is a console line that dom0 reads back from xenconsoled's log:
#   XCI-CHECK <name> PASS|FAIL [detail]
# Disk layout (prepared by dom0): xvda holds xpat seed 11 in its first
# 64 MiB; we check it and write seed 12 into the next 64 MiB, which dom0
# checks after we are gone.  xvdb is the selftests' scratch disk.
# Network: dom0 listens on 5001 for seed 13 and sends seed 14 to our 5002.
PATH=/xci:/bin:/sbin:/usr/bin:/usr/sbin
export PATH

# arg NAME: the value of NAME= on the kernel command line (the last one wins)
arg() {
	v=
	for w in $(cat /proc/cmdline); do
		case "$w" in "$1"=*) v=${w#*=} ;; esac
	done
	echo "$v"
}
check() { echo "XCI-CHECK $1 $2 $3"; }
MIB=$(arg xmib)
MIB=${MIB:-64}
ip=$(arg xip)
peer=$(arg xpeer)
echo "XCI-DOMU-START $(arg xname) $(uname -r)"

wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "$1" ]
}

# --- fork and copy-on-write ---------------------------------------------
# Every fork write-protects the parent's pages; a PV MMU (or an emulator)
# that loses a TLB flush lets the parent scribble on the child's copy.
# The child then dies in libc's fork path, so count the faults.
faults() { dmesg | grep -c -E 'segfault|general protection'; }
n=$(arg xforks)
n=${n:-100}
if [ "$n" = 0 ]; then
	check fork-cow SKIP "not requested for this domU"
else
	f0=$(faults)
	i=0
	while [ $i -lt "$n" ]; do
		v=$(echo $i | cat)
		[ "$v" = $i ] || echo "XCI: fork-cow: got '$v' for $i"
		i=$((i + 1))
	done
	f1=$(faults)
	[ "$f1" = "$f0" ] && check fork-cow PASS "$n pipelines in subshells" ||
		check fork-cow FAIL "$((f1 - f0)) faults in $n pipelines in subshells"
fi

# --- block -------------------------------------------------------------
if wait_for /dev/xvda; then
	check vbd-present PASS "$(cat /sys/block/xvda/size) sectors"
	want=$(xpat 11 "$MIB" | md5sum | cut -d' ' -f1)
	got=$(dd if=/dev/xvda bs=1M count="$MIB" 2>/dev/null | md5sum | cut -d' ' -f1)
	[ "$want" = "$got" ] && check vbd-read-dom0-pattern PASS "$got" ||
		check vbd-read-dom0-pattern FAIL "want $want got $got"
	if xpat 12 "$MIB" | dd of=/dev/xvda bs=1M seek="$MIB" conv=fsync 2>/dev/null; then
		check vbd-write-pattern PASS
	else
		check vbd-write-pattern FAIL "dd failed"
	fi
	sync
else
	check vbd-present FAIL "no /dev/xvda after 30 s"
fi

# --- network -----------------------------------------------------------
if wait_for /sys/class/net/eth0; then
	check vif-present PASS
	ip link set lo up
	ip link set eth0 up
	ip addr add "$ip/24" dev eth0
	xnet recv 5002 | md5sum | cut -d' ' -f1 > /tmp/rx.md5 &
	rxpid=$!
	ok=0
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		ping -c 1 -W 3 "$peer" >/dev/null 2>&1 && { ok=1; break; }
	done
	[ $ok = 1 ] && check ping-dom0 PASS || check ping-dom0 FAIL "no reply from $peer"
	if timeout 300 xnet send "$peer" 5001 13 "$MIB"; then
		check tcp-send PASS
	else
		check tcp-send FAIL "xnet send failed"
	fi
	i=0
	while kill -0 $rxpid 2>/dev/null && [ $i -lt 300 ]; do sleep 1; i=$((i + 1)); done
	want=$(xpat 14 "$MIB" | md5sum | cut -d' ' -f1)
	got=$(cat /tmp/rx.md5)
	[ "$want" = "$got" ] && check tcp-recv PASS "$got" ||
		check tcp-recv FAIL "want $want got $got"
else
	check vif-present FAIL "no eth0 after 30 s"
fi

# --- selftests ---------------------------------------------------------
XCI_SKIP=$(arg xskip) XCI_SKIP_WHY=$(arg xskipwhy | tr _ ' ') \
XEN_SELFTEST_VBD=/dev/xvdb XEN_SELFTEST_PEER=$peer XEN_SELFTEST_ECHO_PORT=7 \
	sh /xci/run-selftests.sh "$(arg xname)" -
# Faults of user programs, which a quiet console does not show.
dmesg | grep -E 'segfault|traps:|general protection|BUG|WARNING' | sed 's/^/XCI-DMESG /'
echo "XCI-DOMU-DONE"
sync
# Give xenconsoled time to copy the last lines out of the console ring.
sleep 2
poweroff -f
