#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# PID 1 of dom0, in the host's userland (9p + tmpfs overlay, see init).
# Starts the real toolstack, then runs the cases of the plan named by
# xplan= on the command line:
#   ours   dom0 checks, our PV domU, the stock PV domU, our PVH domU
#   stock  dom0 checks (stock dom0 kernel), our PV domU
#   bench  domU boot time, ours and stock interleaved
# Results go to the 9p share mounted on /xci-out:
#   results      one line per case: CASE name PASS|FAIL seconds log reason
#   tap/*.tap    TAP of the selftests run in dom0
#   guests/      xenconsoled's guest logs (domU checks and TAP live there)
export PATH=/xci:/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
OUT=/xci-out
XL=/usr/lib/xen-4.17/bin/xl
ping() { busybox ping "$@"; }

# arg NAME: the value of NAME= on the kernel command line (the last one wins)
arg() {
	local w v=
	for w in $(cat /proc/cmdline); do
		case "$w" in "$1"=*) v=${w#*=} ;; esac
	done
	echo "$v"
}
say() { echo "XCI: $*" > /dev/console; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# result NAME PASS|FAIL START LOG REASON...
result() {
	local name=$1 st=$2 t0=$3 logf=$4
	shift 4
	echo "CASE $name $st $(since "$t0") $logf $*" >> "$OUT/results"
	say "case $name: $st $*"
}

XTOP=$(arg xtop)
PLAN=$(arg xplan)
MIB=$(arg xmib)
MIB=${MIB:-64}
STOCK=$(arg xstock)
OURS_K="$XTOP/build/obj/arch/x86/boot/bzImage"
STOCK_K="/boot/vmlinuz-$STOCK"
INITRD="$XTOP/build/out/initrd.gz"

finish() {
	sync
	say "XCI-DOM0-DONE"
	sleep 1
	busybox reboot -f
}

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
	oxenstored --pid-file /run/xenstored.pid || return 1
	local i=0
	while [ ! -S /run/xenstored/socket ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	xen-init-dom0 || return 1
	mkdir -p "$OUT/guests"
	xenconsoled --log=guest --log-dir="$OUT/guests" || return 1
	# The guests' bridge: dom0 is .1, the domU of each case is .2.
	ip link set lo up
	ip link add xenbr0 type bridge || return 1
	ip addr add 10.99.0.1/24 dev xenbr0
	ip link set xenbr0 up
	xnet echo 7 &
	return 0
}

case_dom0() {
	local name=$1 t0 why=""
	t0=$(now)
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

# domu_case NAME TYPE KERNEL [EXTRA]: one domU with a vbd and a vif, checked
# both ways.  EXTRA goes on the domU's command line.
domu_case() {
	local name=$1 type=$2 kernel=$3 extra=${4:-} t0 why="" d loopa loopb cfg logf
	# PV domUs get 2 vCPUs (1 loses copy-on-write under TCG, see README);
	# PVH keeps 1: with 2 it triple-faults now and then under TCG.
	local vcpus
	vcpus=$(arg xvcpus)
	[ "$type" = pvh ] && vcpus=1
	t0=$(now)
	logf="guests/guest-$name.log"
	d=/var/lib/xci/$name
	mkdir -p "$d"
	truncate -s $((2 * MIB))M "$d/disk.img"
	xpat 11 "$MIB" | dd of="$d/disk.img" bs=1M conv=notrunc 2>/dev/null
	truncate -s 32M "$d/scratch.img"
	loopa=$(losetup -f --show "$d/disk.img") || why="$why losetup"
	loopb=$(losetup -f --show "$d/scratch.img") || why="$why losetup"
	cfg=$d/cfg
	cat > "$cfg" <<EOC
name = "$name"
type = "$type"
kernel = "$kernel"
ramdisk = "$INITRD"
extra = "console=hvc0 quiet loglevel=1 panic=-1 xrole=domU xname=$name xip=10.99.0.2 xpeer=10.99.0.1 xmib=$MIB xforks=$(arg xforks) $extra"
memory = 400
vcpus = $vcpus
tsc_mode = "native"
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
disk = [ "format=raw,vdev=xvda,access=rw,script=/xci/block-script,target=$loopa",
         "format=raw,vdev=xvdb,access=rw,script=/xci/block-script,target=$loopb" ]
vif = [ "mac=00:16:3e:00:99:02,bridge=xenbr0,script=/xci/vif-script" ]
EOC
	rm -f /tmp/sink.bin
	xnet recv 5001 > /tmp/sink.bin &
	local sinkpid=$!
	say "case $name: xl create ($type)"
	local domid=""
	if timeout 180 $XL create "$cfg" > "$d/create.log" 2>&1; then
		domid=$($XL domid "$name" 2>/dev/null)
	else
		why="$why xl-create-failed($(tail -1 "$d/create.log"))"
		cp "$d/create.log" "$OUT/$name-create.log"
	fi
	# dom0 -> domU: ping, then seed 14 to the domU's port 5002.
	local i ok=0 deadline
	deadline=$(( $(date +%s) + 600 ))
	if [ -z "$why" ]; then
		for i in $(seq 1 120); do
			ping -c 1 -W 2 10.99.0.2 >/dev/null 2>&1 && { ok=1; break; }
			$XL domid "$name" >/dev/null 2>&1 || break
			sleep 1
		done
		[ $ok = 1 ] || why="$why ping-domU-failed"
		[ $ok = 1 ] && timeout 300 xnet send 10.99.0.2 5002 14 "$MIB" || why="$why tcp-to-domU-failed"
		while $XL domid "$name" >/dev/null 2>&1; do
			[ "$(date +%s)" -lt $deadline ] || { why="$why timeout"; $XL destroy "$name"; break; }
			sleep 1
		done
	fi
	sleep 1
	kill $sinkpid 2>/dev/null
	pkill -f 'xnet recv 5001' 2>/dev/null
	# What the domU wrote, seen from dom0.
	local want got
	want=$(xpat 12 "$MIB" | md5sum | cut -d' ' -f1)
	got=$(dd if="$d/disk.img" bs=1M skip="$MIB" count="$MIB" 2>/dev/null | md5sum | cut -d' ' -f1)
	[ "$want" = "$got" ] || why="$why disk-pattern-from-domU-mismatch"
	if ! xpat 13 "$MIB" | cmp - /tmp/sink.bin > "$d/cmp.txt" 2>&1; then
		why="$why tcp-from-domU-mismatch($(stat -c %s /tmp/sink.bin 2>/dev/null)B:$(head -c 80 "$d/cmp.txt" | tr ' ' _))"
		xpat 13 "$MIB" | cmp -l - /tmp/sink.bin 2>/dev/null | head -50 > "$OUT/$name-tcp-diff.txt"
	fi
	rm -f /tmp/sink.bin
	# The domU's own checks, from its console log.
	local log="$OUT/$logf" c
	for c in fork-cow vbd-present vbd-read-dom0-pattern vbd-write-pattern vif-present \
		 ping-dom0 tcp-send tcp-recv; do
		grep -q "^XCI-CHECK $c PASS" "$log" 2>/dev/null && continue
		[ $c = fork-cow ] && grep -q "^XCI-CHECK $c SKIP" "$log" 2>/dev/null && continue
		why="$why domU:$c"
	done
	grep -q '^XCI-DOMU-DONE' "$log" 2>/dev/null || why="$why domU-did-not-finish"
	grep -q 'Kernel panic' "$log" 2>/dev/null && why="$why panic"
	losetup -d "$loopa" "$loopb" 2>/dev/null
	rm -rf "$d"
	# Evidence of the testbed's own defects (README, testbed notes): user
	# processes killed in a PV domU, or Xen reporting a triple fault of
	# an HVM-container domU.
	FLAKE=""
	grep -q -E '^XCI-DMESG .*(segfault|general protection)' "$log" 2>/dev/null &&
		FLAKE="user-space-faults-in-domU"
	[ -n "$domid" ] && $XL dmesg 2>/dev/null | grep -q "d${domid}v[0-9]* Triple fault" &&
		FLAKE="$FLAKE Xen-reported-triple-fault"
	CASE_T0=$t0 CASE_LOG=$logf CASE_WHY=$why
}

# domu_run TRIES NAME TYPE KERNEL [EXTRA]: domu_case, tried again (up to
# TRIES times in all) only while it fails together with evidence of a
# testbed defect; every retry and its reason are part of the result.  With
# TRIES > 2 (PVH) a case that failed each time with such evidence "cannot
# work here" and reports SKIP with the reason, as the matrix allows for PVH.
domu_run() {
	local tries=$1 name=$2 n=1 hist=""
	shift
	domu_case "$@"
	while [ -n "$CASE_WHY" ] && [ -n "$FLAKE" ] && [ $n -lt "$tries" ]; do
		hist="${hist}try $n failed (${CASE_WHY# }) with${FLAKE}; "
		mv "$OUT/$CASE_LOG" "$OUT/$CASE_LOG.try$n"
		say "case $name: retrying ($FLAKE)"
		n=$((n + 1))
		domu_case "$@"
	done
	if [ -z "$CASE_WHY" ]; then
		result "$name" PASS "$CASE_T0" "$CASE_LOG" "${hist:+retried: $hist}disk ${MIB}MiB both ways, tcp ${MIB}MiB both ways, ping both ways"
	elif [ -n "$FLAKE" ] && [ "$tries" -gt 2 ]; then
		result "$name" SKIP "$CASE_T0" "$CASE_LOG" "cannot work here: each of $n tries failed with${FLAKE} (testbed defect, see README): ${hist}try $n failed (${CASE_WHY# })"
	else
		result "$name" FAIL "$CASE_T0" "$CASE_LOG" "${hist:+retried: $hist}$CASE_WHY"
	fi
}

# bench_boot NAME TYPE KERNEL: seconds from xl create to the domU's init.
bench_boot() {
	local name=$1 kernel=$3 cfg=/var/lib/xci/$1.cfg t0 i log
	log="$OUT/guests/guest-$name.log"
	cat > "$cfg" <<EOC
name = "$name"
type = "$2"
kernel = "$kernel"
ramdisk = "$INITRD"
extra = "console=hvc0 quiet loglevel=1 panic=-1 xrole=bench"
memory = 400
vcpus = $(arg xvcpus)
tsc_mode = "native"
on_poweroff = "destroy"
on_crash = "destroy"
EOC
	rm -f "$log"
	t0=$(now)
	if ! $XL create "$cfg" > "/var/lib/xci/$name.create" 2>&1; then
		echo "BENCH $name FAIL create:$(tail -1 "/var/lib/xci/$name.create" | tr ' ' _)" >> "$OUT/bench"
		$XL destroy "$name" >/dev/null 2>&1
		return
	fi
	for i in $(seq 1 3000); do
		grep -q XCI-BENCH-INIT "$log" 2>/dev/null && break
		sleep 0.1
	done
	if grep -q XCI-BENCH-INIT "$log" 2>/dev/null; then
		echo "BENCH $name $(since "$t0")" >> "$OUT/bench"
	else
		echo "BENCH $name FAIL no-init" >> "$OUT/bench"
	fi
	$XL destroy "$name" >/dev/null 2>&1
}

# xcases=a+b on the command line (XCI_CASES on the host) runs only those.
CASES=$(arg xcases)
selected() {
	[ -z "$CASES" ] && return 0
	case "+$CASES+" in *"+$1+"*) return 0 ;; esac
	return 1
}

say "dom0 up: plan=$PLAN kernel=$(uname -r)"
if ! setup_toolstack; then
	echo "CASE toolstack FAIL 0 - toolstack-setup-failed" >> "$OUT/results"
	finish
fi
case "$PLAN" in
ours)
	selected dom0 && case_dom0 dom0
	# PVH goes first: after PV domUs have run, PVH domUs triple-fault
	# under TCG (4 of 4 full runs; alone, or first: 0 of 5).  The fork
	# stress is for the PV MMU, and in PVH its many process starts (CPUID
	# exits) only provoke those faults further.  Upstream's gntdev oopses
	# a PVH domU that maps its own grant (in __tlb_remove_folio_pages_size
	# on unmap) and the guest hangs, so xen_gnt is skipped there until our
	# gntdev replaces it.
	selected pvh && domu_run 3 pvh pvh "$OURS_K" "xforks=0 xskip=xen_gnt xskipwhy=upstream_gntdev_oopses_on_self-map_unmap_in_PVH"
	selected domU && domu_run 2 domU pv "$OURS_K"
	selected stock-domU && domu_run 2 stock-domU pv "$STOCK_K"
	;;
stock)
	selected stock-dom0-toolstack && case_dom0 stock-dom0-toolstack
	selected stock-dom0 && domu_run 2 stock-dom0 pv "$OURS_K"
	;;
bench)
	for r in $(seq 1 "$(arg xbenchn)"); do
		bench_boot "boot-ours-$r" pv "$OURS_K"
		bench_boot "boot-stock-$r" pv "$STOCK_K"
	done
	;;
esac
finish
