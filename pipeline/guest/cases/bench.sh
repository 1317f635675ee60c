# SPDX-License-Identifier: GPL-2.0-only
# The benchmark plans of make bench (no tests): domU boot time and the
# block and network workloads, ours against upstream's.
# Sourced by dom0.sh; defines functions and constants only.

# bench_pins: the xl.cfg line that pins a bench domU's vCPUs as every
# domU of make check's is (vcpu_pins), or nothing with XCI_BENCH_PIN=0
# (xbenchpin), which leaves them to Xen's scheduler as a domU's
# configuration does by default.  dom0's vCPUs stay pinned either way, so
# a pinned domU vCPU can only wait for the physical CPU a busy dom0 vCPU
# holds.
bench_pins() {
	[ "$(arg xbenchpin)" = 0 ] || vcpu_pins "$(arg xvcpus)"
}

# bench_boot NAME TYPE KERNEL: seconds from xl create to the domU's init.
# Our kernel's KUnit suites, which the base variant lacks, do not run.
bench_boot() {
	local name=$1 kernel=$3 cfg=/var/lib/xci/$1.cfg t0 i log
	log="$OUT/guests/guest-$name.log"
	cat > "$cfg" <<EOC
name = "$name"
type = "$2"
kernel = "$kernel"
ramdisk = "$INITRD"
extra = "console=hvc0 quiet loglevel=1 panic=-1 xrole=bench kunit.enable=0$(domu_args)"
memory = 400
vcpus = $(arg xvcpus)
$(bench_pins)
tsc_mode = "native"
on_poweroff = "destroy"
on_crash = "destroy"
EOC
	rm -f "$log"
	t0=$EPOCHREALTIME
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

# bench_cfg NAME KERNEL DISK N LOG [EXTRA]: the xl config of a PV domU that
# runs domu.sh's bench workloads N times, on DISK (its xvdb) and against
# dom0's xnet servers, and powers off; LOG is its kernel's log options.
bench_cfg() {
	cat <<EOC
name = "$1"
type = "pv"
kernel = "$2"
ramdisk = "$INITRD"
extra = "console=hvc0 $5 panic=-1 xrole=domU xname=$1 xmode=bench xbenchn=$4 xbenchwork=$(arg xbenchwork) xip=10.99.0.2 xpeer=10.99.0.1${6:+ $6}$(domu_args)"
memory = 400
vcpus = $(arg xvcpus)
$(bench_pins)
on_poweroff = "destroy"
on_crash = "destroy"
disk = [ "format=raw,vdev=xvdb,access=rw,script=/xci/block-script,target=$3" ]
vif = [ "mac=00:16:3e:00:99:02,bridge=xenbr0,script=/xci/vif-script" ]
EOC
}

# bench_eoi KIND DOMID: a PROF line per backend type (vbd, vif) of the
# domU DOMID: the events its backends judged spurious (spur) and the
# jiffies their late EOI held the event channels masked (eoidly), summed
# over its devices; dom0's xenbus (Debian's) counts both for either
# side's backends, in each device's xenbus/ directory.  No line for a
# type none of whose devices has both counts: no zeros that were never
# read.
bench_eoi() {
	local t f sp dl s j n
	[ -n "$2" ] || return 0
	for t in vbd vif; do
		sp=0 dl=0 n=0
		for f in /sys/bus/xen-backend/devices/"$t-$2"-*/xenbus; do
			s="" j=""
			read -r s 2>/dev/null < "$f/spurious_events"
			read -r j 2>/dev/null < "$f/jiffies_eoi_delayed"
			[[ $s =~ ^[0-9]+$ && $j =~ ^[0-9]+$ ]] || continue
			sp=$((sp + s)) dl=$((dl + j)) n=$((n + 1))
		done
		[ "$n" -gt 0 ] && echo "PROF $1 dom0-$t spur=$sp eoidly=$dl"
	done
	return 0
}

# bench_wait NAME LOG: wait up to 1500 s for the domU NAME to say
# XCI-DOMU-DONE in LOG, but no longer than 10 s after the domain is gone
# without saying it (a crash, which on_crash = "destroy" ends), so that a
# round lost that way costs seconds, not the whole wait.
# Returns 0 once it said it, 1 if it is still there at the end, 2 if gone.
bench_wait() {
	local t=$((EPOCHSECONDS + 1500))

	while [ "$EPOCHSECONDS" -lt $t ]; do
		wait_log "$2" XCI-DOMU-DONE 10 && return 0
		$XL domid "$1" >/dev/null 2>&1 && continue
		# It may have said it just before it powered off.
		wait_log "$2" XCI-DOMU-DONE 1 && return 0
		return 2
	done
	return 1
}

# bench_blk KIND KERNEL [EXTRA [N]]: the block and network benchmarks,
# N times (default xbenchn), in one domU whose kernel is the same as dom0's,
# so that both ends of the disk and of the vif are KIND's (as far as KIND's
# kernel has its own drivers; EXTRA=xmods=ours gives a stock domU our
# frontends).  The disk is a loop device on a 256 MiB file in dom0's RAM;
# the network peer is dom0's xnet servers on the bridge.
bench_blk() {
	local kind=$1 name=blk-$1 d=/var/lib/xci/blk loopb log p0 n=${4:-$(arg xbenchn)}
	log="$OUT/guests/guest-$name.log"
	mkdir -p "$d"
	truncate -s 256M "$d/bench.img"
	loopb=$(losetup -f --show "$d/bench.img")
	bench_cfg "$name" "$2" "$loopb" "$n" "quiet loglevel=1" "${3:-}" > "$d/cfg"
	say "bench: block and network, $kind ends"
	rm -f "$log"
	p0=$(prof_now)
	if timeout 180 $XL create "$d/cfg" > "$d/create.log" 2>&1; then
		bench_wait "$name" "$log"
		case $? in
		1) echo "BLK $kind FAIL no-finish" >> "$OUT/bench" ;;
		2) echo "BLK $kind FAIL domU-gone" >> "$OUT/bench" ;;
		esac
	else
		echo "BLK $kind FAIL create" >> "$OUT/bench"
	fi
	# What the whole domU's run cost dom0 (its backends, loop device and
	# xnet servers), and what each workload cost the domU.
	prof_diff dom0-all "$p0" "$(prof_now)" | sed "s/^XPROF /PROF $kind /" >> "$OUT/bench"
	grep -a '^XPROF ' "$log" | tr -d '\r' | sed "s/^XPROF /PROF $kind domU-/" >> "$OUT/bench"
	# xmods=ours or try: the domU must have run our frontends (domu.sh).
	case " ${3:-} " in *" xmods=ours "* | *" xmods=try "*)
		grep -a -q '^XCI-CHECK mods-ours PASS' "$log" 2>/dev/null ||
			echo "BLK $kind FAIL frontends-not-ours" >> "$OUT/bench" ;;
	esac
	grep -a '^XBLK ' "$log" | while read -r _ test val _; do
		echo "BLK $kind $test $val"
	done >> "$OUT/bench"
	grep -a '^XNET ' "$log" | tr -d '\r' | while read -r _ test val _; do
		echo "NET $kind $test $val"
	done >> "$OUT/bench"
	bench_eoi "$kind" "$($XL domid "$name" 2>/dev/null)" >> "$OUT/bench"
	$XL destroy "$name" >/dev/null 2>&1
	losetup -d "$loopb" 2>/dev/null
	rm -rf "$d"
}

# bench_dom0_blk: the block workloads of bench_blk in dom0 itself, on the
# same kind of loop device: what the paravirtual path costs is the domU's
# result against this one.
bench_dom0_blk() {
	local d=/var/lib/xci/blk0 loopb
	mkdir -p "$d"
	truncate -s 256M "$d/bench.img"
	if ! loopb=$(losetup -f --show "$d/bench.img"); then
		echo "BLK dom0 FAIL losetup" >> "$OUT/bench"
		rm -rf "$d"
		return
	fi
	{
		timeout 300 xblk seqwrite "$loopb" 256
		timeout 300 xblk seqread "$loopb" 256
		timeout 300 xblk randread "$loopb" 10 32
		timeout 300 xblk lat "$loopb" 2000
	} 2>/dev/null | tr -d '\r' > "$d/out"
	grep -q '^XBLK ' "$d/out" || echo "BLK dom0 FAIL xblk" >> "$OUT/bench"
	while read -r _ test val _; do
		echo "BLK dom0 $test $val"
	done < "$d/out" >> "$OUT/bench"
	losetup -d "$loopb" 2>/dev/null
	rm -rf "$d"
}

# bench_mods: make bench's like-for-like comparison.  Debian's kernel at
# both ends; only the drivers differ: Debian's own modules, or ours
# (backends() in dom0, xmods=ours in the domU).  xbenchn rounds, each one
# domU of each side, interleaved (upstream, ours, upstream, ...) so that
# the machine's noise hits both alike; and the block workloads in dom0
# itself once a round.  XCI_BENCH_TRY_BLKBACK=PATH (xtryblkbackko) and
# XCI_BENCH_TRY_NETBACK=PATH (xtrynetbackko) add a third side to each
# round, "try": ours with that xen-blkback.ko or xen-netback.ko, to
# measure a change against the build before it in the same rounds; with
# XCI_BENCH_TRY_FRONT=stock (xtryfront) the try side's domU runs Debian's
# own frontends against our backends, to tell which end a gap is at;
# XCI_BENCH_TRY_BLKFRONT=PATH or XCI_BENCH_TRY_NETFRONT=PATH (xtryfront=
# try) make the try side's domU load that build of our frontend.
bench_mods() {
	local r tb tn
	for r in $(seq 1 "$(arg xbenchn)"); do
		say "bench: round $r: dom0's own disk, then upstream's modules, then ours"
		bench_dom0_blk
		backends stock
		if [ -n "$BK_WHY" ]; then
			echo "BLK upstream FAIL backends" >> "$OUT/bench"
		else
			bench_blk upstream "$STOCK_K" "" 1
		fi
		backends ours
		if [ -n "$BK_WHY" ]; then
			echo "BLK ours FAIL backends" >> "$OUT/bench"
		else
			bench_blk ours "$STOCK_K" xmods=ours 1
		fi
		[ -n "$(arg xtryblkbackko)$(arg xtrynetbackko)$(arg xtryfront)" ] ||
			continue
		# The module not tried is the one the ours side loaded.
		tb=$(arg xtryblkbackko) tn=$(arg xtrynetbackko)
		XBB_KO=${tb:-$XBB_KO} XNB_KO=${tn:-$XNB_KO} backends ours
		if [ -n "$BK_WHY" ]; then
			echo "BLK try FAIL backends" >> "$OUT/bench"
		elif [ "$(arg xtryfront)" = stock ]; then
			bench_blk try "$STOCK_K" "" 1
		elif [ "$(arg xtryfront)" = try ]; then
			bench_blk try "$STOCK_K" xmods=try 1
		else
			bench_blk try "$STOCK_K" xmods=ours 1
		fi
	done
	backends stock
}
