#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# PID 1 of dom0, in the host's userland (9p + tmpfs overlay, see init).
# Starts the real toolstack, then runs (in a child, see supervise) the cases of the plan named by
# xplan= on the command line:
#   ours   dom0 checks, our PV domU, the stock PV domU, our PVH domU,
#          lifecycle cases, a hostile backend against our netfront
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
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
OUT=/xci-out
XL=/usr/lib/xen-4.17/bin/xl
ping() { busybox ping "$@"; }

# The kernel command line, read by the shell itself (no cat to fail).
read -r XCI_CMDLINE < /proc/cmdline
# arg NAME: the value of NAME= on the kernel command line (the last one wins)
arg() {
	local w v=
	for w in $XCI_CMDLINE; do
		case "$w" in "$1"=*) v=${w#*=} ;; esac
	done
	echo "$v"
}
say() { echo "XCI: $*" > /dev/console; }
# sleep: bash's own timed read on a FIFO nobody writes, instead of the
# sleep binary.  In frozen runs (README, testbed notes) dom0's vCPUs were
# found spinning in sleep processes, the supervisor's own among them, so
# that nothing stopped the stuck case; this script sleeps a lot and now
# runs no program for it.
mkdir -p /run
[ -p /run/xci-nap ] || mkfifo /run/xci-nap
exec {NAP_FD}<> /run/xci-nap
sleep() { read -r -t "$1" -u "$NAP_FD" _; return 0; }
# The time comes from bash ($EPOCHSECONDS, $EPOCHREALTIME), not from a
# date program: every fork here risks the testbed's defect (README).
# since T0: the seconds, to a tenth, from T0 (an $EPOCHREALTIME) to now.
since() {
	local d=$(( (${EPOCHREALTIME//[.,]/} - ${1//[.,]/}) / 100000 ))
	echo "$((d / 10)).$((d % 10))"
}
# dom0_faults: user processes of dom0 killed by a fault so far (the testbed
# defect in the README's notes shows up as such kills).
# Also counted: what bash printed about children that died of a signal, or
# about a command it could not find (a corrupted IFS or PATH in a subshell
# once made "seq 1 240" one word), from the runner's stderr.
RUNNER_ERR=/run/xci-runner.err
dom0_faults() {
	echo $(($(dmesg | grep -c -E 'segfault|general protection') +
		$(cat "$RUNNER_ERR" 2>/dev/null | grep -c -E 'command not found|Segmentation fault|Aborted|Illegal instruction|Bus error')))
}
# kernel_faults: oopses, BUGs and warnings of dom0's kernel so far.  A user
# process's fault ("traps: xl[2490] general protection fault ...") is the
# testbed's defect and is not one; a kernel's reads "Oops: general
# protection fault".
kernel_faults() {
	dmesg | grep -v 'traps:' | grep -c -E 'BUG:|Oops|WARNING:'
}
# kernel_hangs: reports of dom0's kernel that it stopped making progress
# (a task blocked in it for minutes, an RCU stall, a hard lockup; a soft
# lockup is a BUG: above): a deadlock in a driver, never the testbed's
# user-process defect.
kernel_hangs() {
	dmesg | grep -c -E 'blocked for more than|detected stalls?|hard LOCKUP'
}
# KFAULTS: kernel_faults when the last case ended (or the runner started;
# empty in the plans whose dom0 kernel is not ours):
# a case during which dom0's kernel oopsed or warned fails, whatever its
# own checks said.  A corrupted list (CONFIG_DEBUG_LIST) is reported as a
# WARNING, a use after free of a napi_struct on a poll list, say.
KFAULTS=""
# result NAME PASS|FAIL START LOG REASON...
result() {
	local name=$1 st=$2 t0=$3 logf=$4 kf
	shift 4
	local retried="" msg
	[ -f "/run/xci-retry-$name" ] && retried="$(cat "/run/xci-retry-$name") "
	if [ -n "$KFAULTS" ]; then
		kf=$(kernel_faults)
		if [ "$kf" != "$KFAULTS" ] && [ "$st" = PASS ]; then
			st=FAIL
			set -- "dom0-kernel-warning($(dmesg | grep -v 'traps:' | grep -E 'BUG:|Oops|WARNING:' | tail -1 | tr ' ' _))" "$@"
		fi
		KFAULTS=$kf
	fi
	# One line, whatever a guest's console put into the reason (its lines
	# end in CR LF; report.py would cut the reason at a CR).
	msg=$(printf '%s' "$retried$*" | tr '\r\n\t' '   ')
	echo "CASE $name $st $(since "$t0") $logf $msg" >> "$OUT/results"
	say "case $name: $st $msg"
}

XTOP=$(arg xtop)
PLAN=$(arg xplan)
BK_OURS=""
[ "$PLAN" = ours ] && BK_OURS=1
MIB=$(arg xmib)
MIB=${MIB:-64}
BMIB=$(arg xbmib)
BMIB=${BMIB:-256}
TMIB=$(arg xtcpmib)
TMIB=${TMIB:-$MIB}
# Attach/detach cycles of the hotplug cases (make stress raises it).
CYCLES=$(arg xcycles)
[[ $CYCLES =~ ^[1-9][0-9]*$ ]] || CYCLES=20
STOCK=$(arg xstock)
OURS_K="$XTOP/build/obj/arch/x86/boot/bzImage"
STOCK_K="/boot/vmlinuz-$STOCK"
BASE_K="$XTOP/build/obj-base/arch/x86/boot/bzImage"
INITRD="$XTOP/build/out/initrd.gz"

finish() {
	# The results went out over 9p as they were written; a sync that hangs
	# (dom0 went silent after its last case in two runs) must not keep
	# dom0 up until the host's silence timeout.
	say "XCI-DOM0-DONE"
	timeout 20 sync
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

# sector_units DOMID NAME: check the 4 KiB disk (xvdc, vdev 51744) in
# xenstore once it is connected.  Both ends count in 4096-byte units when
# the frontend asked for large sectors (ours does when the backend offers
# them), else in 512-byte units; ours against ours must use 4096.
sector_units() {
	local domid=$1 name=$2 be fe lss sectors i
	be=/local/domain/0/backend/vbd/$domid/51744
	fe=/local/domain/$domid/device/vbd/51744
	for i in $(seq 1 30); do
		[ "$(xenstore-read "$be/state" 2>/dev/null)" = 4 ] && break
		sleep 1
	done
	lss=$(xenstore-read "$fe/feature-large-sector-size" 2>/dev/null || echo 0)
	# Read again if empty: two runs read nothing once here (the same
	# run's other keys read fine); the directory goes to the console then.
	for i in 1 2 3; do
		sectors=$(timeout 10 xenstore-read "$be/sectors" 2>/dev/null)
		[ -n "$sectors" ] && break
		say "case $name: $be/sectors read empty (try $i): $(timeout 10 xenstore-ls "$be" 2>&1 | tr '\n' ' ' | cut -c1-600)"
		sleep 1
	done
	say "case $name: 4k disk: frontend feature-large-sector-size=$lss, backend sectors=$sectors sector-size=$(xenstore-read "$be/sector-size" 2>/dev/null)"
	if [ "$lss" = 1 ]; then
		[ "$sectors" = 16384 ] || echo " 4k-disk-sectors-$sectors-in-4k-units"
	else
		[ "$sectors" = 131072 ] || echo " 4k-disk-sectors-$sectors-in-512-units"
		case $name in domU|stock-kernel-our-modules)
			echo " 4k-disk-not-in-large-sector-units" ;;
		esac
	fi
}

# ring_order DOMID NAME EXTRA: the ring size xvda (vdev 51712) connected
# with: 16 pages when EXTRA raises our frontend's max_ring_page_order to 4
# (our backend and the stock one both offer order 4), else one page.
ring_order() {
	local fe=/local/domain/$1/device/vbd/51712 want=0 got
	case " $3 " in *" xen_blkfront.max_ring_page_order=4 "*) want=4 ;; esac
	local i be
	# No key means order 0; a read that failed for another reason (a
	# user-process fault of the testbed) must not pass for that.
	for i in 1 2 3; do
		got=$(xenstore-read "$fe/ring-page-order" 2>/dev/null) && break
		got=0
		[ $want = 0 ] && break
		sleep 1
	done
	# Our backend logs what it mapped: 2^order pages per ring.  One
	# program, not a pipe: the testbed's defect has left a process of
	# dmesg | grep | tail spinning here three times (README).
	dmesg > /run/xci-dmesg 2>/dev/null
	log_match /run/xci-dmesg last "vbd-$1-51712: connected: .*"
	be=${REPLY#*connected: }
	say "case $2: xvda ring-page-order $got (want $want), $(xenstore-read "$fe/multi-queue-num-queues" 2>/dev/null || echo 1) queue(s)${be:+; backend: ${be%%,*}}"
	[ "$got" = "$want" ] || echo " ring-page-order-$got-not-$want"
	# xen_blkfront.feature_persistent=0: the frontend grants and revokes
	# per request, and says so.
	case " $3 " in *" xen_blkfront.feature_persistent=0 "*)
		got=$(xenstore-read "$fe/feature-persistent" 2>/dev/null)
		say "case $2: xvda frontend feature-persistent=${got:-none} (want 0)"
		[ "$got" = 0 ] || echo " feature-persistent-${got:-none}-not-0" ;;
	esac
}

# irq_max FILE DOMID HANDLE: the irq lines in FILE (a /proc/interrupts) of
# our netback's queues of vif HANDLE of domain DOMID ("vifD.H-qN-txrx", or
# "-tx" and "-rx"), each summed over the CPUs: sets IRQ_N to the largest
# count, IRQ_NAME to its line's name ("" if there is none) and IRQ_SUM to
# their total.  Bash builtins only: irq_watch runs it in a loop.
irq_max() {
	local f ncpu i n
	IRQ_N=0 IRQ_NAME="" IRQ_SUM=0
	{
		read -r -a f || return 0
		ncpu=${#f[@]}
		while read -r -a f; do
			[ ${#f[@]} -gt 2 ] || continue
			case ${f[-1]} in
			"vif$2.$3-q"*-txrx|"vif$2.$3-q"*-tx|"vif$2.$3-q"*-rx) ;;
			*) continue ;;
			esac
			n=0
			for ((i = 1; i <= ncpu && i < ${#f[@]} - 1; i++)); do
				[[ ${f[i]} =~ ^[0-9]+$ ]] && n=$((n + f[i]))
			done
			IRQ_SUM=$((IRQ_SUM + n))
			[ $n -gt $IRQ_N ] && IRQ_N=$n IRQ_NAME=${f[-1]}
		done
	} 2>/dev/null < "$1"
	return 0
}

# irq_ticks FILE: sets TICKS to the hardirq and softirq time of all CPUs in
# FILE (a /proc/stat), in USER_HZ ticks (1/100 s on x86).
irq_ticks() {
	local cpu="" u n s idle io irq="" sirq="" rest
	TICKS=0
	read -r cpu u n s idle io irq sirq rest 2>/dev/null < "$1"
	[ "$cpu" = cpu ] && [[ $irq =~ ^[0-9]+$ && $sirq =~ ^[0-9]+$ ]] &&
		TICKS=$((irq + sirq))
	return 0
}

# irq_watch DOMID HANDLE FILE: twice a second, irq_max of /proc/interrupts
# for vif HANDLE of domain DOMID, until FILE.stop exists (irq_watch_stop),
# the runner is gone or 20 minutes have passed.  Every connection of the
# vif binds new irqs, whose counts start at 0 and go with them on unbind,
# so the sampler keeps a running maximum.  FILE holds, after each sample,
# "TOP NAME SAMPLES LIVE TICKS": the largest count one line reached and
# that line's name, the samples taken, those in which the vif had irq
# lines, and dom0's hardirq and softirq ticks (irq_ticks) in the intervals
# in which those lines' total grew.  It starts no program (README: forked
# tools hang in a futex now and then), like the watchdog, and runs in the
# background of domu_case: dom0 is the victim of the storm it measures,
# and the case's own steps (xl, xnet) may block for minutes meanwhile.
irq_watch() {
	local top=0 name=- samples=0 live=0 ticks=0 prev=0 t0 v
	local end=$((EPOCHSECONDS + 1200)) ev=- sp=- jd=-
	# Where an earlier watcher (watch_keep) left off.
	read -r top name samples live ticks ev sp jd 2>/dev/null < "$3"
	[[ $top =~ ^[0-9]+$ && $samples =~ ^[0-9]+$ && $live =~ ^[0-9]+$ &&
	   $ticks =~ ^[0-9]+$ ]] || top=0 name=- samples=0 live=0 ticks=0 ev=- sp=- jd=-
	# The events core's own count of the vif's events: all, those its
	# driver called spurious, and the jiffies their EOIs were held back.
	local xs=/sys/bus/xen-backend/devices/vif-$1-$2/xenbus
	irq_ticks /proc/stat
	t0=$TICKS
	while [ ! -e "$3.stop" ] && kill -0 $$ 2>/dev/null &&
	      [ "$EPOCHSECONDS" -lt $end ]; do
		irq_max /proc/interrupts "$1" "$2"
		irq_ticks /proc/stat
		samples=$((samples + 1))
		[ -n "$IRQ_NAME" ] && live=$((live + 1))
		[ "$IRQ_SUM" -gt $prev ] && ticks=$((ticks + TICKS - t0))
		prev=$IRQ_SUM t0=$TICKS
		[ "$IRQ_N" -gt $top ] && top=$IRQ_N name=$IRQ_NAME
		v="" && read -r v 2>/dev/null < "$xs/events" && ev=$v
		v="" && read -r v 2>/dev/null < "$xs/spurious_events" && sp=$v
		v="" && read -r v 2>/dev/null < "$xs/jiffies_eoi_delayed" && jd=$v
		echo "$top $name $samples $live $ticks $ev $sp $jd" > "$3"
		sleep 0.5
	done
}

# irq_watch_stop PID FILE: ends irq_watch PID (writing FILE), waiting up to
# 5 s for it to finish its sample.
irq_watch_stop() {
	local i
	: > "$2.stop"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.5
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# The budget of the vif-rx-storm check: interrupts one event channel of the
# hostile vif may take in dom0 over its connection.  xen_vif_hostile's
# rx_stall_event_storm notifies it in a tight loop for 30 s while its
# receive queue is stalled with one buffer posted, so that no event makes
# progress possible.  A backend that acknowledges such events as spurious
# gets them slowed by Linux's late EOI, as its events core (still
# upstream's) does it: the first spurious event is acknowledged at once,
# the second a jiffy later, and the worker that sends a held-back EOI
# resets the count, so a storm costs at most two interrupts a jiffy, 500
# a second at HZ=250, 15000 in 30 s (measured: 5723).  A backend that
# takes them as work acknowledges each at once and takes an interrupt for
# nearly every notification: 753113 measured before the fix.  20000 lies
# above the first's bound and far below the second.
VIF_STORM_BUDGET=20000

# storm_check NAME DOMID HANDLE LOG FILE KLOG: the vif-rx-storm check of a
# domU case whose domU (now gone) had the hostile vif HANDLE: the largest
# interrupt count irq_watch kept in FILE, held against VIF_STORM_BUDGET.
# Valid only if the storm ran (its line of notifications in the TAP in LOG)
# and our netback did stall that vif's queue (its line in KLOG, dom0's
# dmesg).  Says the check line; sets STORM_WHY (empty if it passed) and
# STORM_MORE.
storm_check() {
	local top="" name="" samples="" live="" ticks="" sent tap stalls st detail cs
	local ev="" sp="" jd=""
	STORM_WHY="" STORM_MORE=""
	read -r top name samples live ticks ev sp jd 2>/dev/null < "$5"
	log_match "$4" last '^# rx_stall_event_storm: [0-9]+ notifications'
	sent=${REPLY##*: } sent=${sent%% *}
	log_match "$4" last '^(not )?ok [0-9]+ vif_hostile\.rx_stall_event_storm.*'
	tap=${REPLY%$'\r'}
	log_match "$6" count "vif$2\\.$3: queue [0-9]+: the guest posted no receive buffers"
	stalls=$REPLY
	[[ $top =~ ^[0-9]+$ ]] || top=""
	[[ $ticks =~ ^[0-9]+$ ]] || ticks=0
	printf -v cs '%d.%02d' $((ticks / 100)) $((ticks % 100))
	detail="max ${top:-?} interrupts on one irq of vif$2.$3 (${name:-?}; budget $VIF_STORM_BUDGET) for ${sent:-no} notifications in 30 s; dom0 hardirq+softirq $cs s while the vif's irqs came; queue stalls $stalls; ${samples:-0} samples (${live:-0} with the vif's irqs); events core: ${ev:--} events of the vif, ${sp:--} spurious, EOIs held back ${jd:--} jiffies$(watch_restarts "$5")"
	if [ -z "$top" ]; then
		STORM_WHY=" vif-rx-storm(no-interrupt-samples)"
	elif [ "${live:-0}" = 0 ]; then
		# Nothing to measure: a name that irq_max does not know.
		STORM_WHY=" vif-rx-storm(no-irq-line-of-vif$2.$3-seen)"
	elif [ -z "$sent" ]; then
		tap=${tap:-no TAP line}
		STORM_WHY=" vif-rx-storm(storm-not-run:${tap// /_})"
	elif [ "$stalls" = 0 ]; then
		STORM_WHY=" vif-rx-storm(no-stall-of-vif$2.$3-in-dom0-log)"
	elif [ "$top" -gt $VIF_STORM_BUDGET ]; then
		STORM_WHY=" vif-rx-storm($top-interrupts-on-$name>budget-$VIF_STORM_BUDGET)"
	fi
	st=PASS
	[ -n "$STORM_WHY" ] && st=FAIL
	say "case $1: check vif-rx-storm $st: $detail"
	[ $st = PASS ] && STORM_MORE=", vif-rx-storm: at most $top interrupts (budget $VIF_STORM_BUDGET) for $sent notifications"
	return 0
}

# carrier_watch DOMID HANDLE FILE: twice a second, the carrier of vif
# HANDLE of domain DOMID and its backend's xenbus state, until FILE.stop
# exists, the runner is gone or 20 minutes have passed.  Within one
# stretch of Connected samples it counts the carrier's falls (1, then 0)
# that our netback's queue 0 says are its stall (carrier_stalled: 1 in
# its debugfs io_ring_q0) and the rises after a fall (0, then 1); at each
# fall it reads how long
# our netback's queue 0 had been short of buffers (rx_short_ms in its
# debugfs io_ring_q0; "-" where that is not ours).  FILE holds, after each
# sample, "FALLS RISES SHORT_MIN SHORT_MAX PREV" (PREV: the last sample
# while Connected, or "-").  Reads with bash only, like irq_watch.
carrier_watch() {
	local n=/sys/class/net/vif$1.$2/carrier st=/sys/bus/xen-backend/devices/vif-$1-$2/state
	local dbg=/sys/kernel/debug/xen-netback/vif$1.$2/io_ring_q0
	local end=$((EPOCHSECONDS + 1200)) prev=- falls=0 rises=0 lo=- hi=- c s k v ms cs
	# Where an earlier watcher (watch_keep) left off.
	read -r falls rises lo hi prev 2>/dev/null < "$3"
	[[ $falls =~ ^[0-9]+$ && $rises =~ ^[0-9]+$ ]] || falls=0 rises=0 lo=- hi=-
	[[ $prev =~ ^[01-]$ ]] || prev=-
	while [ ! -e "$3.stop" ] && kill -0 $$ 2>/dev/null &&
	      [ "$EPOCHSECONDS" -lt $end ]; do
		c="" s=""
		read -r c 2>/dev/null < "$n"
		read -r s 2>/dev/null < "$st"
		if [ "$s" != Connected ] || [[ ! $c =~ ^[01]$ ]]; then
			prev=-
		elif [ "$c" = 1 ]; then
			[ "$prev" = 0 ] && rises=$((rises + 1))
			prev=1
		elif [ "$prev" = 1 ]; then
			# A stall's fall only: a breach also turns the
			# carrier off while the vif is still Connected.
			prev=0 ms="" cs=""
			while read -r k v; do
				[ "$k" = rx_short_ms: ] && ms=$v
				[ "$k" = carrier_stalled: ] && cs=$v
			done 2>/dev/null < "$dbg"
			[ "$cs" = 1 ] && falls=$((falls + 1))
			if [ "$cs" = 1 ] && [[ $ms =~ ^[0-9]+$ ]]; then
				{ [ "$lo" = - ] || [ "$ms" -lt "$lo" ]; } && lo=$ms
				{ [ "$hi" = - ] || [ "$ms" -gt "$hi" ]; } && hi=$ms
			fi
		fi
		echo "$falls $rises $lo $hi $prev" > "$3"
		sleep 0.5
	done
}

# watch_keep WATCHER DOMID HANDLE FILE: runs WATCHER (irq_watch or
# carrier_watch) in a subshell of its own and starts it again, resuming
# from FILE, whenever the testbed's defect (README) kills it, until
# FILE.stop exists, the runner is gone or 20 minutes have passed.  Each
# restart adds a line to FILE.restarts.
watch_keep() {
	local end=$((EPOCHSECONDS + 1200)) rc
	while [ ! -e "$4.stop" ] && kill -0 $$ 2>/dev/null &&
	      [ "$EPOCHSECONDS" -lt $end ]; do
		( "$@" )
		rc=$?
		[ $rc -gt 128 ] || break
		echo "$1 died of signal $((rc - 128))" >> "$4.restarts"
	done
}

# watch_restarts FILE: "; its watcher restarted N times" if watch_keep had
# to start the watcher of FILE again, else nothing.
watch_restarts() {
	local n=0 l
	while read -r l; do n=$((n + 1)); done 2>/dev/null < "$1.restarts"
	[ $n = 0 ] || echo "; its watcher restarted $n times (testbed defect)"
}

# Slack of the vif-rx-carrier check over rx_stall_timeout_msecs: the
# timer wheel's rounding at 5 s (64 jiffies at HZ=250), carrier_watch's
# half second between samples, and TCG.
CARRIER_SLACK_MS=2000

# carrier_check NAME DOMID HANDLE LOG FILE KLOG: the vif-rx-carrier check
# of a domU case whose domU (now gone) had the hostile vif HANDLE.  While
# xen_vif_hostile's rx_stall_carrier (its TAP line in LOG) left the vif's
# receive queue without buffers, the carrier must have fallen once the
# queue had been short of them for rx_stall_timeout_msecs, and no later
# than CARRIER_SLACK_MS after that (rx_short_ms at the fall, carrier_watch's
# FILE), and risen again in the same connection once the test posted
# buffers: a rise in FILE, and our netback's "carrier on: queue" line for
# the vif in KLOG (dom0's dmesg), which a reconnect does not print.  Our
# netback only.  Says the check line; sets CARRIER_WHY (empty if it
# passed).
carrier_check() {
	local falls="" rises="" lo="" hi="" tap stall ons st detail
	CARRIER_WHY=""
	read -r falls rises lo hi 2>/dev/null < "$5"
	log_match "$4" last '^(not )?ok [0-9]+ vif_hostile\.rx_stall_carrier.*'
	tap=${REPLY%$'\r'}
	first_line "${NB_PARAMS:-/sys/module/xen_netback/parameters}/rx_stall_timeout_msecs"
	stall=$REPLY
	log_match "$6" count "vif$2\\.$3: carrier on: queue [0-9]+ has the guest's receive buffers again"
	ons=$REPLY
	detail="carrier of vif$2.$3 fell ${falls:-?} and rose ${rises:-?} times while Connected; queue 0 short of buffers ${lo:--}..${hi:--} ms at the falls (rx_stall_timeout_msecs ${stall:-?}, slack $CARRIER_SLACK_MS); $ons carrier-on lines in dom0's log; ${tap:-no TAP line}$(watch_restarts "$5")"
	if [[ ! $tap =~ ^ok\ [0-9]+\ vif_hostile\.rx_stall_carrier$ ]]; then
		CARRIER_WHY=" vif-rx-carrier(test-not-passed:${tap// /_})"
	elif [[ ! $stall =~ ^[1-9][0-9]*$ ]]; then
		CARRIER_WHY=" vif-rx-carrier(no-stall-timeout:${stall:-unreadable})"
	elif [[ ! $falls =~ ^[0-9]+$ ]] || [ "$falls" = 0 ]; then
		CARRIER_WHY=" vif-rx-carrier(carrier-never-fell)"
	elif [[ ! $lo =~ ^[0-9]+$ ]] || [ "$lo" -lt "$stall" ]; then
		CARRIER_WHY=" vif-rx-carrier(fell-after-${lo:-?}ms<$stall)"
	elif [ "$hi" -gt $((stall + CARRIER_SLACK_MS)) ]; then
		CARRIER_WHY=" vif-rx-carrier(fell-after-${hi}ms>$stall+$CARRIER_SLACK_MS)"
	elif [[ ! $rises =~ ^[0-9]+$ ]] || [ "$rises" = 0 ] || [ "$ons" = 0 ]; then
		CARRIER_WHY=" vif-rx-carrier(carrier-not-back-after-buffers:rises-${rises:-?}-lines-$ons)"
	fi
	st=PASS
	[ -n "$CARRIER_WHY" ] && st=FAIL
	say "case $1: check vif-rx-carrier $st: $detail"
	return 0
}

# ro_backend DOMID: the read-only disk (xvdf, vdev 51792) and the cdrom
# (xvdg, vdev 51808) of domu_case's xrodisks=1, as the backend described
# them to the frontend: "info" VDISK_READONLY (4), and VDISK_CDROM (1) as
# well for the cdrom; our backend's "mode" in sysfs is "r" for both.
# Prints the failures, each after a space.
ro_backend() {
	local be=/local/domain/0/backend/vbd/$1 v dev want s i
	for v in 51792:4 51808:5; do
		dev=${v%:*} want=${v#*:}
		for i in 1 2 3 4 5 6 7 8 9 10; do
			[ "$(xs_read "$be/$dev/state")" = 4 ] && break
			sleep 1
		done
		s=$(xs_read "$be/$dev/info")
		[ "$s" = "$want" ] || printf ' vbd-%s-info-%s-not-%s' "$dev" "${s:-none}" "$want"
		s=""
		read -r s 2>/dev/null < "/sys/bus/xen-backend/devices/vbd-$1-$dev/mode"
		[ "$s" = r ] || printf ' vbd-%s-mode-%s-not-r' "$dev" "${s:-unreadable}"
	done
}

# domu_case NAME TYPE KERNEL [EXTRA]: one domU with a vbd and a vif, checked
# both ways.  EXTRA goes on the domU's command line.
domu_case() {
	local name=$1 type=$2 kernel=$3 extra=${4:-} t0 why="" d loopa loopb loopc loope cfg logf
	local vbdst=""
	# PV domUs get 2 vCPUs (1 loses copy-on-write under TCG, see README);
	# PVH keeps 1: with 2 it triple-faults now and then under TCG.
	local vcpus tmib
	vcpus=$(arg xvcpus)
	[ "$type" = pvh ] && vcpus=1
	# TCP streams: TMIB each way; PVH (one vCPU, slowest under TCG)
	# keeps MIB, which the PV cases exceed.
	tmib=$TMIB
	[ "$type" = pvh ] && tmib=$MIB
	t0=$EPOCHREALTIME
	local f0
	f0=$(dom0_faults)
	FLAKE_DIAG=""
	logf="guests/guest-$name.log"
	d=/var/lib/xci/$name
	mkdir -p "$d"
	truncate -s $((MIB + BMIB))M "$d/disk.img"
	xpat 11 "$MIB" | dd of="$d/disk.img" bs=1M conv=notrunc 2>/dev/null
	truncate -s 32M "$d/scratch.img"
	truncate -s 64M "$d/sect4k.img"
	loopa=$(losetup -f --show "$d/disk.img") || why="$why losetup"
	loopb=$(losetup -f --show "$d/scratch.img") || why="$why losetup"
	loopc=$(losetup -b 4096 -f --show "$d/sect4k.img") || why="$why losetup-4k"
	truncate -s 8M "$d/hostile.img"
	loope=$(losetup -f --show "$d/hostile.img") || why="$why losetup"
	# xrodisks=1 in EXTRA: a read-only disk (xvdf, seed 18) and a
	# read-only cdrom (xvdg, seed 19), 4 MiB each, which the domU only
	# reads (domu.sh).  Their loop devices are writable: only the
	# toolstack's mode "r" keeps writes from them.
	local rod="" rodisks="" loopf="" loopg=""
	case " $extra " in *" xrodisks=1 "*)
		rod=1
		xpat 18 4 > "$d/ro.img"
		xpat 19 4 > "$d/cdrom.img"
		loopf=$(losetup -f --show "$d/ro.img") || why="$why losetup-ro"
		loopg=$(losetup -f --show "$d/cdrom.img") || why="$why losetup-cdrom"
		rodisks=",
         \"format=raw,vdev=xvdf,access=ro,script=/xci/block-script,target=$loopf\",
         \"format=raw,vdev=xvdg,devtype=cdrom,access=ro,script=/xci/block-script,target=$loopg\"" ;;
	esac
	cfg=$d/cfg
	# xhostilevif=1 in EXTRA: a spare vif (handle 1) for the
	# hostile-frontend selftest.
	local hvif="" hvh="" stallms=""
	case " $extra " in *" xhostilevif="*)
		hvif=', "mac=00:16:3e:00:99:06,bridge=xenbr0,script=/xci/vif-script"'
		hvh=${extra##*xhostilevif=} hvh=${hvh%% *}
		# The selftest's rx_stall_* tests wait for our netback to drain
		# the queue and to stall it for the carrier: the longer of the
		# two times, and a margin.
		local drain stall
		first_line /sys/module/xen_netback/parameters/rx_drain_msecs
		drain=$REPLY
		first_line /sys/module/xen_netback/parameters/rx_stall_timeout_msecs
		stall=$REPLY
		[[ $drain =~ ^[0-9]+$ ]] && [[ $stall =~ ^[0-9]+$ ]] &&
			stallms=" xrxstallms=$(((drain > stall ? drain : stall) + 5000))" ;;
	esac
	# xmtu=N in EXTRA: the main vif gets MTU N at both ends (mtu= in
	# its spec, for the hotplug script and the frontend), and so does
	# the bridge, for dom0's own traffic, until the case ends.
	local mtu="" mtuspec=""
	case " $extra " in *" xmtu="*)
		mtu=${extra##*xmtu=} mtu=${mtu%% *} mtuspec=",mtu=$mtu"
		ip link set xenbr0 mtu "$mtu" || why="$why bridge-mtu-$mtu" ;;
	esac
	# xip6=1 in EXTRA: after the IPv4 streams, TMIB each way over IPv6
	# (fd99::2 to dom0 port 5011, seed 21; dom0 to fd99::2 port 5012,
	# seed 22), with GSO seen in our backend's counters where it is ours
	# (the domU checks its own end).
	local x6="" sink6=""
	case " $extra " in *" xip6=1 "*)
		x6=1
		# To a file, as the IPv4 sink: a mismatch then says where.
		rm -f /tmp/sink6.bin
		xnet recv 5011 > /tmp/sink6.bin &
		sink6=$! ;;
	esac
	local b0
	b0=$(vif_bk)
	cat > "$cfg" <<EOC
name = "$name"
type = "$type"
kernel = "$kernel"
ramdisk = "$INITRD"
extra = "console=hvc0 quiet loglevel=1 panic=-1 xrole=domU xname=$name xip=10.99.0.2 xpeer=10.99.0.1 xmib=$MIB xbmib=$BMIB xtcpmib=$tmib xforks=$(arg xforks) $extra$stallms"
memory = 400
vcpus = $vcpus
tsc_mode = "native"
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
disk = [ "format=raw,vdev=xvda,access=rw,script=/xci/block-script,target=$loopa",
         "format=raw,vdev=xvdb,access=rw,script=/xci/block-script,target=$loopb",
         "format=raw,vdev=xvdc,access=rw,script=/xci/block-script,target=$loopc",
         "format=raw,vdev=xvde,access=rw,script=/xci/block-script,target=$loope"$rodisks ]
vif = [ "mac=00:16:3e:00:99:02,bridge=xenbr0,script=/xci/vif-script$mtuspec"$hvif ]
EOC
	rm -f /tmp/sink.bin
	xnet recv 5001 > /tmp/sink.bin &
	local sinkpid=$!
	say "case $name: xl create ($type)"
	local domid=""
	# xuntrusted=VDEV in EXTRA: the domU is created paused, so that the
	# disk's "trusted" key is 0 before its frontend reads it (Debian's xl
	# 4.17 cannot say so in the disk spec).
	local paused="" uv=""
	case " $extra " in *" xuntrusted="*)
		paused=-p uv=${extra##*xuntrusted=} uv=${uv%% *} ;;
	esac
	if timeout 180 $XL create $paused "$cfg" > "$d/create.log" 2>&1; then
		domid=$($XL domid "$name" 2>/dev/null)
		if [ -n "$paused" ]; then
			xs_write "/local/domain/$domid/device/vbd/$uv/trusted" 0 ||
				why="$why trusted-key-not-written"
			timeout 60 $XL unpause "$name" || why="$why unpause-failed"
		fi
	else
		why="$why xl-create-failed($(tail -1 "$d/create.log"))"
		cp "$d/create.log" "$OUT/$name-create.log"
	fi
	# The hostile vif's interrupts in dom0, all the domU's life
	# (storm_check).
	local storm_pid="" storm_f=/run/xci-irqs-$name storm_more=""
	local carrier_pid="" carrier_f=/run/xci-carrier-$name
	rm -f "$storm_f" "$storm_f".{stop,restarts} "$carrier_f" "$carrier_f".{stop,restarts}
	if [ -n "$hvh" ] && [ -n "$domid" ]; then
		watch_keep irq_watch "$domid" "$hvh" "$storm_f" &
		storm_pid=$!
		# Its carrier through rx_stall_carrier (carrier_check).
		if [ "$BK_OURS" = 1 ]; then
			watch_keep carrier_watch "$domid" "$hvh" "$carrier_f" &
			carrier_pid=$!
		fi
	fi
	# dom0 -> domU: ping, then seed 14 to the domU's port 5002.
	local i ok=0 deadline
	deadline=$((EPOCHSECONDS + 600))
	if [ -z "$why" ]; then
		# Up to 4 minutes for the domU's network (a count of tries took
		# 8 minutes once TCG ran slow).
		local pdl=$((EPOCHSECONDS + 240))
		while [ "$EPOCHSECONDS" -lt $pdl ]; do
			ping -c 1 -W 2 10.99.0.2 >/dev/null 2>&1 && { ok=1; break; }
			$XL domid "$name" >/dev/null 2>&1 || break
			sleep 1
		done
		# A domU that cannot be reached waits for its seed until the
		# deadline: stop it now.
		[ $ok = 1 ] || { why="$why ping-domU-failed"; domu_diag "$name" "$domid" "$logf"; $XL destroy "$name" > /dev/null 2>&1; }
		[ $ok = 1 ] && why="$why$(sector_units "$domid" "$name")$(ring_order "$domid" "$name" "$extra")"
		[ $ok = 1 ] && [ -n "$rod" ] && why="$why$(ro_backend "$domid")"
		# Our backend keeps upstream's sysfs ABI of xvda, which xentop
		# reads (ours only: upstream's has it anyway).  The domU's disk
		# workload is over once it answers ping: BMIB written, then read
		# back with O_DIRECT.
		if [ $ok = 1 ] && [ "$BK_OURS" = 1 ] &&
		   { [ "$name" = domU ] || [ "$name" = stock-kernel-our-modules ]; }; then
			local sys=/sys/bus/xen-backend/devices/vbd-$domid-51712 a v
			local f hr=0 hw=0 xr="" xw="" xtop=/run/xci-xentop
			# bash's own reads: a forked cat can die of the
			# testbed's defect (README).
			for a in rd_req wr_req rd_sect wr_sect; do
				v=""
				read -r v 2>/dev/null < "$sys/statistics/$a"
				vbdst="$vbdst $a=${v:-none}"
				[[ $v =~ ^[1-9][0-9]*$ ]] || { why="$why vbd-stats-$a-${v:-unreadable}"; continue; }
				case $a in *_sect)
					[ "$v" -ge $((BMIB * 2048)) ] || why="$why vbd-stats-$a-$v-below-${BMIB}MiB" ;;
				esac
			done
			v=""
			read -r v 2>/dev/null < "$sys/mode"
			[ "$v" = w ] || why="$why vbd-mode-${v:-unreadable}"
			a=$(timeout 10 stat -L -c %t:%T "$loopa" 2>/dev/null)
			v=""
			read -r v 2>/dev/null < "$sys/physical_device"
			[ -n "$a" ] && [ "$v" = "$a" ] || why="$why vbd-physical_device-${v:-unreadable}-not-${a:-unknown}"
			# xentop sums the same files per domain; its columns are
			# counted from the end of its header, since MAXMEM(k)
			# may read "no limit".  It cuts names to 10 characters.
			timeout 20 /usr/lib/xen-4.17/bin/xentop -b -i 2 -d 1 -x > "$xtop" 2>&1 ||
				why="$why xentop-failed"
			while read -r -a f; do
				if [ "${f[0]}" = NAME ]; then
					for i in "${!f[@]}"; do
						[ "${f[i]}" = VBD_RD ] && hr=$((${#f[@]} - i))
						[ "${f[i]}" = VBD_WR ] && hw=$((${#f[@]} - i))
					done
				elif [ "${f[0]}" = "${name:0:10}" ] && [ $hr -gt 0 ] && [ $hw -gt 0 ] &&
				     [ ${#f[@]} -ge $hr ] && [ ${#f[@]} -ge $hw ]; then
					xr=${f[-hr]} xw=${f[-hw]}
				fi
			done 2>/dev/null < "$xtop"
			[[ $xr =~ ^[1-9][0-9]*$ ]] || why="$why xentop-VBD_RD-${xr:-missing}"
			[[ $xw =~ ^[1-9][0-9]*$ ]] || why="$why xentop-VBD_WR-${xw:-missing}"
			vbdst="$vbdst, xentop VBD_RD=${xr:-none} VBD_WR=${xw:-none}"
			say "case $name: xvda backend statistics:$vbdst"
			# What xentop printed, kept when its check failed.
			case $why in *xentop-*) cp "$xtop" "$OUT/$name-xentop.txt" 2>/dev/null ;; esac
			vbdst=", xvda backend statistics:$vbdst"
			# Our netback's debugfs files, named as upstream's.
			v=""
			read -r v 2>/dev/null < "/sys/kernel/debug/xen-netback/vif$domid.0/io_ring_q0"
			[ "$v" = "queue: 0" ] || why="$why netback-debugfs-io_ring_q0-${v:-unreadable}"
		fi
		if [ -n "$mtu" ]; then
			# Read once, by the shell: two cats once read two values.
			first_line "/sys/class/net/vif$domid.0/mtu"
			[ "$REPLY" = "$mtu" ] || why="$why backend-mtu-${REPLY:-none}-not-$mtu"
		fi
		[ $ok = 1 ] && timeout 600 xnet send 10.99.0.2 5002 14 "$tmib" || why="$why tcp-to-domU-failed"
		[ $ok = 1 ] && [ -n "$x6" ] && why="$why$(ipv6_streams "$domid" "$tmib" "$OUT/$logf")"
		[ $ok = 1 ] && mcast_bursts "guests/guest-$name.log"
		# Gone only when xl says so three times running: xl itself
		# fails now and then in this testbed (README), and one failure
		# once ended this wait while the domU still ran its tests.
		# An xl stuck in a futex (the same defect) is stopped after
		# 20 s and tells nothing.
		local gone=0 rc
		while [ $gone -lt 3 ]; do
			timeout 20 $XL domid "$name" >/dev/null 2>&1
			rc=$?
			if [ $rc = 0 ]; then
				gone=0
			elif [ $rc != 124 ] && [ $rc != 137 ]; then
				gone=$((gone + 1))
			fi
			[ "$EPOCHSECONDS" -ge $deadline ] && { why="$why timeout"; $XL destroy "$name"; break; }
			sleep 1
		done
	fi
	sleep 1
	[ -n "$storm_pid" ] && irq_watch_stop "$storm_pid" "$storm_f"
	[ -n "$carrier_pid" ] && irq_watch_stop "$carrier_pid" "$carrier_f"
	kill $sinkpid 2>/dev/null
	pkill -f 'xnet recv 5001' 2>/dev/null
	[ -n "$mtu" ] && ip link set xenbr0 mtu 1500
	# What the domU wrote, seen from dom0.
	local want got
	want=$(xpat 12 "$BMIB" | md5sum | cut -d' ' -f1)
	got=$(dd if="$d/disk.img" bs=1M skip="$MIB" count="$BMIB" 2>/dev/null | md5sum | cut -d' ' -f1)
	[ "$want" = "$got" ] || why="$why disk-pattern-from-domU-mismatch"
	want=$(xpat 15 16 | md5sum | cut -d' ' -f1)
	got=$(dd if="$d/sect4k.img" bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)
	[ "$want" = "$got" ] || why="$why 4k-disk-pattern-from-domU-mismatch"
	# Nothing reached the read-only disk and the cdrom.
	if [ -n "$rod" ]; then
		want=$(xpat 18 4 | md5sum | cut -d' ' -f1)
		got=$(md5sum < "$d/ro.img" | cut -d' ' -f1)
		[ "$want" = "$got" ] || why="$why ro-disk-changed"
		want=$(xpat 19 4 | md5sum | cut -d' ' -f1)
		got=$(md5sum < "$d/cdrom.img" | cut -d' ' -f1)
		[ "$want" = "$got" ] || why="$why cdrom-disk-changed"
	fi
	if ! xpat 13 "$tmib" | cmp - /tmp/sink.bin > "$d/cmp.txt" 2>&1; then
		why="$why tcp-from-domU-mismatch($(stat -c %s /tmp/sink.bin 2>/dev/null)B:$(head -c 80 "$d/cmp.txt" | tr ' ' _))"
		xpat 13 "$tmib" | cmp -l - /tmp/sink.bin 2>/dev/null | head -50 > "$OUT/$name-tcp-diff.txt"
	fi
	rm -f /tmp/sink.bin
	if [ -n "$x6" ]; then
		kill "$sink6" 2>/dev/null
		pkill -f 'xnet recv 5011' 2>/dev/null
		if ! xpat 21 "$tmib" | cmp - /tmp/sink6.bin > "$d/cmp6.txt" 2>&1; then
			why="$why tcp6-from-domU-mismatch($(stat -c %s /tmp/sink6.bin 2>/dev/null)B:$(head -c 80 "$d/cmp6.txt" | tr ' ' _))"
			xpat 21 "$tmib" | cmp -l - /tmp/sink6.bin 2>/dev/null | head -50 > "$OUT/$name-tcp6-diff.txt"
		fi
		rm -f /tmp/sink6.bin
	fi
	# The domU's own checks, from its console log.
	local log="$OUT/$logf" c modck=""
	case " $extra " in *" xmods=ours "*) modck=mods-ours ;; esac
	for c in $modck fork-cow vbd-present vbd-read-dom0-pattern vbd-write-pattern vbd-verify \
		 vbd-flush vbd-queues vbd-discard vbd-4k ${rod:+vbd-ro-read vbd-ro-refuses-writes vbd-cdrom} \
		 vif-present ping-dom0 tcp-send tcp-recv ${x6:+tcp6-send tcp6-recv vif-gso6} \
		 vif-xdp vif-mcast vbd-still-works ${uv:+untrusted} ${hvif:+vif-still-works} ${mtu:+vif-mtu}; do
		grep -q "^XCI-CHECK $c PASS" "$log" 2>/dev/null && continue
		# Skipped where it cannot apply: fork-cow when not asked for,
		# vif-mcast and vif-gso6 with Debian's frontend (stock-domU).
		case $c in fork-cow|vif-mcast)
			grep -q "^XCI-CHECK $c SKIP" "$log" 2>/dev/null && continue ;;
		vif-gso6)
			[ "$name" = stock-domU ] &&
				grep -q "^XCI-CHECK $c SKIP" "$log" 2>/dev/null && continue ;;
		esac
		why="$why domU:$c"
	done
	# Our frontend's own check, where it is ours (domu.sh).
	grep -a -q '^XCI-CHECK vif-frontend FAIL' "$log" 2>/dev/null && why="$why domU:vif-frontend"
	local vif
	vif=$(grep -a -m1 '^XCI-CHECK vif-frontend PASS' "$log" 2>/dev/null | cut -d' ' -f4- | tr -d '\r')
	grep -q '^XCI-DOMU-DONE' "$log" 2>/dev/null || why="$why domU-did-not-finish"
	grep -q 'Kernel panic' "$log" 2>/dev/null && why="$why panic"
	# The storm's cost in dom0 (a domU that never answered has no storm).
	if [ -n "$storm_pid" ] && [ $ok = 1 ]; then
		dmesg > /run/xci-dmesg 2>/dev/null
		storm_check "$name" "$domid" "$hvh" "$log" "$storm_f" /run/xci-dmesg
		why="$why$STORM_WHY" storm_more=$STORM_MORE
		if [ -n "$carrier_pid" ]; then
			carrier_check "$name" "$domid" "$hvh" "$log" "$carrier_f" /run/xci-dmesg
			why="$why$CARRIER_WHY"
		fi
	fi
	losetup -d "$loopa" "$loopb" "$loopc" "$loope" ${loopf:+"$loopf"} ${loopg:+"$loopg"} 2>/dev/null
	rm -rf "$d"
	# Our netback maps nothing of a domU that is gone.
	local b1 n
	for n in 1 2 3 4 5 6 7 8 9 10; do
		b1=$(vif_bk)
		[ "$b1" = "$b0" ] && break
		sleep 1
	done
	[ "$b1" = "$b0" ] || why="$why netback-counters(${b0:-none}->${b1:-none})"
	# Evidence of the testbed's own defects (README, testbed notes): user
	# processes killed in a PV domU, or Xen reporting a triple fault of
	# an HVM-container domU.
	FLAKE=""
	grep -q -E '^(XCI-DMESG .*(segfault|general protection)|XCI-USERFAULT)' "$log" 2>/dev/null &&
		FLAKE=" user-space-faults-in-domU"
	[ -n "$domid" ] && $XL dmesg 2>/dev/null | grep -q "d${domid}v[0-9]* Triple fault" &&
		FLAKE="$FLAKE Xen-reported-triple-fault"
	[ "$(dom0_faults)" = "$f0" ] || FLAKE="$FLAKE user-space-faults-in-dom0"
	FLAKE="$FLAKE$FLAKE_DIAG"
	CASE_T0=$t0 CASE_LOG=$logf CASE_WHY=$why CASE_TMIB=$tmib
	CASE_MORE="${rod:+, a read-only disk and a cdrom (xvdf, xvdg: read back, writes refused, CDROM_GET_CAPABILITY)}${uv:+, the backend of xvda untrusted (all its data bounced)}${vif:+, our netfront: $vif}$storm_more$vbdst"
}

# ipv6_streams DOMID MIB LOG: dom0's half of the IPv6 streams (domu.sh):
# once the domU says XCI-IP6-READY, MIB MiB to it over IPv6 while it
# sends as much to dom0's "xnet recv 5011"; where the backend is ours,
# its GSO counters must grow both ways meanwhile.  Prints the reasons of
# a failure, each with a leading space.
ipv6_streams() {
	local domid=$1 mib=$2 log=$3 vif="vif$1.0" r0 t0 r1 t1 n
	# Before the domU starts its stream (the IPv4 ones are over).
	r0=$(xnet stat "$vif" rx_gso 2>/dev/null)
	t0=$(xnet stat "$vif" tx_gso 2>/dev/null)
	wait_log "$log" XCI-IP6-READY 300 || { echo " domU-not-ready-for-IPv6"; return; }
	timeout 600 xnet send fd99::2 5012 22 "$mib" >/dev/null 2>&1 || echo " tcp6-to-domU-failed"
	# The domU's stream to dom0 ends when its XCI-CHECK tcp6-send does.
	for n in $(seq 1 300); do
		grep -a -q '^XCI-CHECK tcp6-send' "$log" && break
		sleep 1
	done
	[ -z "$r0" ] && return	# not our backend
	r1=$(xnet stat "$vif" rx_gso 2>/dev/null)
	t1=$(xnet stat "$vif" tx_gso 2>/dev/null)
	[ "${r1:-0}" -gt "$r0" ] || echo " no-GSO-from-domU-over-IPv6(rx_gso_${r0}_${r1:-none})"
	[ "${t1:-0}" -gt "$t0" ] || echo " no-GSO-to-domU-over-IPv6(tx_gso_${t0}_${t1:-none})"
	say "IPv6 streams: backend rx_gso $r0->$r1 tx_gso $t0->$t1"
}

# mcast_bursts LOGF: domu.sh's multicast phases, from dom0's side: after
# each XCI-MCAST-<phase> line, 20 pings to a group the domU never joins,
# then a connection to its port 5003 to say they were sent.  The pings
# come in through a veth port of the bridge, like multicast from another
# host: upstream's netback filters only packets the stack took as
# received multicast, not dom0's own.
mcast_bursts() {
	local p dev=xcimc0
	if ip link add xcimc0 type veth peer name xcimc1 2>/dev/null; then
		ip link set xcimc1 master xenbr0 up
		ip addr add 10.98.0.1/24 dev xcimc0
		ip link set xcimc0 up
	else
		say "mcast: no veth; the pings leave from xenbr0 itself"
		dev=xenbr0
	fi
	for p in A B; do
		wait_log "$OUT/$1" "^XCI-MCAST-$p" 200 || break
		ping -c 20 -i 0.05 -W 1 -I $dev 239.9.9.9 > /dev/null 2>&1
		timeout 150 xnet send 10.99.0.2 5003 1 0 > /dev/null 2>&1
	done
	[ $dev = xcimc0 ] && ip link del xcimc0
}

# domu_diag NAME DOMID LOGF: what dom0 can see of a domU that does not
# answer, into LOGF's .diag beside it (the report shows it with the case):
# the domain's state and vCPUs, its console in xenstore, whether
# xenconsoled still runs (it is a user process of dom0, which the
# testbed's defect kills now and then: then it is started again and the
# case counts it as evidence), and Xen's last messages.
domu_diag() {
	local name=$1 domid=$2 diag="$OUT/${3%.log}.diag"
	{
		echo "XCI-DIAG domU $name (domid ${domid:-?}) did not answer ping"
		echo "XCI-DIAG console log: $(stat -c %s "$OUT/$3" 2>/dev/null || echo missing) bytes"
		timeout 20 $XL list "$name" 2>&1 | sed 's/^/XCI-DIAG xl list: /'
		timeout 20 $XL vcpu-list "$name" 2>&1 | sed 's/^/XCI-DIAG vcpu: /'
		[ -n "$domid" ] && echo "XCI-DIAG console keys: ring-ref=$(xs_read "/local/domain/$domid/console/ring-ref") port=$(xs_read "/local/domain/$domid/console/port")"
		if pgrep -x xenconsoled > /dev/null; then
			echo "XCI-DIAG xenconsoled runs"
		else
			echo "XCI-DIAG xenconsoled is gone"
		fi
		# Where a spinning domU's vCPUs are: Xen's register dump of
		# every physical CPU's current guest ('d'), kept in the file.
		timeout 20 $XL debug-keys d > /dev/null 2>&1
		sleep 2
		timeout 20 $XL dmesg 2>&1 | tail -150 > "$diag.xen"
		grep -a -E 'guest state \(d[0-9]|RIP:' "$diag.xen" 2>/dev/null | sed 's/^/XCI-DIAG xen: /'
	} > "$diag" 2>&1
	cat "$diag" > /dev/console
	if grep -q 'xenconsoled is gone' "$diag"; then
		FLAKE_DIAG=" xenconsoled-died"
		xenconsoled --log=guest --log-dir="$OUT/guests"
	fi
}

# domu_run TRIES NAME TYPE KERNEL [EXTRA]: domu_case, tried again (up to
# TRIES times in all) only while it fails together with evidence of a
# testbed defect; every retry and its reason are part of the result.  A
# PVH case that failed each time with such evidence "cannot work here"
# and reports SKIP with the reason, as the matrix allows for PVH; a PV
# case FAILs.
# domu_id NAME: sets DOMID to domain NAME's id, asking xl up to 3 times
# (it fails now and then here); empty, and false, if xl never told.
domu_id() {
	local i
	DOMID=""
	for i in 1 2 3; do
		DOMID=$(timeout 30 $XL domid "$1" 2>/dev/null)
		[ -n "$DOMID" ] && [ "$DOMID" -gt 0 ] 2>/dev/null && return 0
		DOMID=""
	done
	return 1
}

# gone_domu NAME: destroy domain NAME if it still exists, until xl no
# longer knows it twice running (xl fails now and then here), for up to
# 40 tries.
gone_domu() {
	local i miss=0
	for i in $(seq 1 40); do
		if timeout 20 $XL domid "$1" >/dev/null 2>&1; then
			miss=0
			timeout 60 $XL destroy "$1" >/dev/null 2>&1
		else
			miss=$((miss + 1))
			[ $miss -ge 2 ] && return 0
		fi
		sleep 1
	done
	return 1
}

domu_run() {
	local tries=$1 name=$2 type=$3 n=1 hist="" mods="" tr0=""
	shift
	# xmods=ours: our backends in Debian's dom0 for this case, and our
	# frontends in its stock domU (init).
	case " $* " in *" xmods=ours "*)
		mods=1
		tr0=$(our_traces)
		backends ours
		if [ -n "$BK_WHY" ]; then
			local bw=$BK_WHY
			backends stock
			result "$name" FAIL "$EPOCHREALTIME" - "our backend modules:$bw"
			return
		fi ;;
	esac
	domu_case "$@"
	while [ -n "$CASE_WHY" ] && [ -n "$FLAKE" ] && [ $n -lt "$tries" ]; do
		hist="${hist}try $n failed (${CASE_WHY# }) with${FLAKE}; "
		mv "$OUT/$CASE_LOG" "$OUT/$CASE_LOG.try$n"
		mv "$OUT/${CASE_LOG%.log}.diag" "$OUT/${CASE_LOG%.log}.diag.try$n" 2>/dev/null
		say "case $name: retrying ($FLAKE)"
		# A domU that try n left running would take the name.
		gone_domu "$name"
		n=$((n + 1))
		# The supervisor's case limit holds for each try.
		echo "$name try$n" > "$CURRENT"
		domu_case "$@"
	done
	# Back to Debian's backends: ours must unload, and no kernel trace
	# may have passed through them.
	if [ -n "$mods" ]; then
		backends stock
		CASE_WHY="$CASE_WHY${BK_WHY:+ back to the stock backends:$BK_WHY}"
		[ "$(our_traces)" = "$tr0" ] ||
			CASE_WHY="$CASE_WHY dom0-kernel-trace-through-our-backend($(dmesg | grep -E '\[xen_(blk|net)back\]' | tail -1 | tr -s ' ' _))"
		[ -z "$CASE_WHY" ] && CASE_MORE="$CASE_MORE; our xen-blkback and xen-netback in Debian's dom0 and our frontends in its domU (taint O, our driver attributes), unloaded again cleanly"
	fi
	if [ -z "$CASE_WHY" ]; then
		result "$name" PASS "$CASE_T0" "$CASE_LOG" "${hist:+retried: $hist}disk ${MIB}MiB to domU and ${BMIB}MiB back, flush, discard, queues, 4k disk, tcp ${CASE_TMIB}MiB both ways, ping both ways$CASE_MORE"
	elif [ -n "$FLAKE" ] && [ "$type" = pvh ]; then
		result "$name" SKIP "$CASE_T0" "$CASE_LOG" "cannot work here: each of $n tries failed with${FLAKE} (testbed defect, see README): ${hist}try $n failed (${CASE_WHY# })"
	else
		result "$name" FAIL "$CASE_T0" "$CASE_LOG" "${hist:+retried: $hist}$CASE_WHY"
	fi
}

# BK_OURS: 1 while dom0's xen-blkback and xen-netback are ours, which the
# checks of our backends' own files and behaviour need: always with our
# kernel (set with PLAN above); with Debian's, while backends() has our
# modules loaded.
# BK_WHY: the reasons backends() failed, each with a leading space.
BK_WHY=""
# XNB_KO: the xen-netback.ko that backends() loads as ours instead of
# build/out/modules' (XCI_NETBACK_KO: a build from before a fix, say).
XNB_KO=$(arg xnetbackko)
# RX_STALL_MS: rx_stall_timeout_msecs of our netback, loaded as a module
# (backends) or built in (boot.sh puts it on our dom0's command line).
RX_STALL_MS=$(arg xrxstallms)

# backends WHICH: make dom0's xen-blkback and xen-netback WHICH's: "ours"
# (our modules for Debian's kernel, build-modules.sh) or "stock" (Debian's
# own).  No guest may be using them.  The module names are the same, so a
# module counts as ours only with taint O (out of tree) and a driver
# attribute that only ours has.  Sets BK_OURS and BK_WHY.
backends() {
	local m t a o ko pa
	BK_WHY=""
	for m in xen_netback xen_blkback; do
		[ -d "/sys/module/$m" ] || continue
		timeout 60 rmmod "$m" 2>/dev/null || BK_WHY="$BK_WHY rmmod-$m-failed"
	done
	for m in xen-blkback xen-netback; do
		if [ "$1" = ours ]; then
			ko=$XTOP/build/out/modules/$m.ko
			[ "$m" = xen-netback ] && [ -n "$XNB_KO" ] && ko=$XNB_KO
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

# wait_log FILE PATTERN SECONDS: wait for a line in a guest console log
wait_log() {
	local t=$((EPOCHSECONDS + $3))
	while [ "$EPOCHSECONDS" -lt $t ]; do
		log_match "$1" first "$2"
		[ -n "$REPLY" ] && return 0
		sleep 0.5
	done
	return 1
}
# FE_COUNTERS_RE: a complete counters line of domu.sh's hotplug mode.
FE_COUNTERS_RE='^XCI-COUNTERS grants=[0-9]+ pages=[0-9]+ lost=[0-9]+ oopses=[0-9]+'

# The guests' logs are read by the shell itself, not with grep: a grep
# here once found nothing in a log that had the line (the testbed's
# defect, README).
# log_match LOG first|last|count REGEX: sets REPLY to the first or last
# part of a line of LOG that matches REGEX (bash's =~, extended), or to
# how many lines match.
log_match() {
	local line n=0
	REPLY=""
	while IFS= read -r line; do
		[[ $line =~ $3 ]] || continue
		n=$((n + 1))
		REPLY=${BASH_REMATCH[0]}
		[ "$2" = first ] && return 0
	done 2>/dev/null < "$1"
	[ "$2" = count ] && REPLY=$n
	return 0
}

# wait_more LOG REGEX COUNT SECONDS: wait until LOG has more than COUNT
# lines matching REGEX.
wait_more() {
	local t=$((EPOCHSECONDS + $4))
	while [ "$EPOCHSECONDS" -lt $t ]; do
		log_match "$1" count "$2"
		[ "$REPLY" -gt "${3:-0}" ] && return 0
		sleep 0.5
	done
	return 1
}

# fe_counters LOG first|last [REGEX]: the first or last complete counters
# line the domU printed (domu.sh; REGEX defaults to $FE_COUNTERS_RE),
# without its tag and the console's CR.  An empty answer is asked again,
# twice.
fe_counters() {
	local n
	for n in 1 2 3; do
		log_match "$1" "$2" "${3:-$FE_COUNTERS_RE}"
		[ -n "$REPLY" ] && break
		sleep 1
	done
	echo "${REPLY#* }"
}
# fe_count LOG [REGEX]: how many complete counters lines the domU printed.
fe_count() {
	log_match "$1" count "${2:-$FE_COUNTERS_RE}"
	echo "$REPLY"
}
# Leak counters of our backend (a driver attribute each).
# vif_bk: our netback's mapped ring pages ("ring_pages=N"), or nothing
# where the backend is upstream's (Debian's dom0).
vif_bk() {
	local v
	read -r v < /sys/bus/xen-backend/drivers/vif/ring_pages 2>/dev/null &&
		echo "ring_pages=$v"
}
bk_counters() {
	local a v out=""
	for a in ring_pages pages inflight persistent_grants lost_pages; do
		# bash's own read: a forked cat can die of the testbed defect
		# and leave the value empty (README).
		read -r v < /sys/bus/xen-backend/drivers/vbd/$a 2>/dev/null || v=none
		out="$out $a=$v"
	done
	echo "${out# }"
}

# simple_domu NAME EXTRA MEMORY DISKS: config of a PV domU of ours without a
# vif, for the lifecycle cases; its kernel errors and warnings reach the
# console (loglevel=5), so that a failed case shows them in the guest log.
simple_domu() {
	cat <<EOC
name = "$1"
type = "pv"
kernel = "$OURS_K"
ramdisk = "$INITRD"
extra = "console=hvc0 quiet loglevel=5 panic=-1 xrole=domU xname=$1 $2"
memory = $3
vcpus = $(arg xvcpus)
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
disk = [ $4 ]
EOC
}

# xl_dev DOMAIN attach|detach SPEC: xl block-attach or block-detach of xvdd
# (vdev 51760).  xl 4.17 itself crashes now and then in this testbed
# (malloc corruption or a segfault, with Debian's dom0 kernel as well), and
# its hotplug script's tools are sometimes "not found" (README): a failed
# operation is counted in XL_CRASHES and tried again, up to 5 times in all,
# while xenstore shows it did not take effect.  A failure that is neither
# a crash nor the script's defect is counted in XL_OTHER too, so that the
# case names it.  Returns non-zero if all 5 tries failed.
XL_CRASHES=0
XL_OTHER=0
XL_RC=0
XL_LOG=/var/lib/xci/xl-dev.log
#
# With "vif" as a 4th argument it works the same way on the vif of MAC
# $VIF_MAC (SPEC then being xl network-attach's comma-separated settings).
VIF_MAC=00:16:3e:00:99:04
xl_dev() {
	local dom=$1 op=$2 spec=$3 kind=${4:-vbd} try rc present
	for try in 1 2 3 4 5; do
		case $kind-$op in
		vbd-attach) timeout 60 $XL -vvv block-attach "$dom" "$spec" ;;
		vbd-detach) timeout 60 $XL -vvv block-detach "$dom" xvdd ;;
		vif-attach) timeout 60 $XL -vvv network-attach "$dom" $(echo "$spec" | tr , ' ') ;;
		vif-detach) timeout 60 $XL -vvv network-detach "$dom" "$VIF_MAC" ;;
		esac > "$XL_LOG" 2>&1
		rc=$?
		[ $rc = 0 ] && return 0
		# Keep what xl printed before it failed, for the record.
		{ echo "== xl $op $dom: exit $rc"; tail -c 4000 "$XL_LOG"; } >> "$OUT/xl-failures.log"
		XL_RC=$rc
		# xl crashed, or its hotplug script met the testbed's defect
		# ("xenstore-read: not found"); grep itself may die here too,
		# so anything else is counted apart and tried again as well.
		if [ $rc != 134 ] && [ $rc != 139 ] &&
		   ! grep -q -E '(block|vif)-script.*(not found|Segmentation fault|Aborted)' "$XL_LOG"; then
			XL_OTHER=$((XL_OTHER + 1))
		fi
		XL_CRASHES=$((XL_CRASHES + 1))
		present=no
		if [ $kind = vbd ]; then
			$XL block-list "$dom" 2>/dev/null | grep -q '^51760 ' && present=yes
		else
			$XL network-list "$dom" 2>/dev/null | grep -q -i "$VIF_MAC" && present=yes
		fi
		[ "$op" = attach ] && [ $present = yes ] && [ $kind = vbd ] && return 0
		[ "$op" = detach ] && [ $present = no ] && return 0
		# A vif whose script failed is not on the bridge: away with it
		# before trying again, or its twin would be left connected.
		[ "$op" = attach ] && [ $present = yes ] && vif_sweep "$dom"
	done
	return 1
}

# xs_read PATH / xs_write PATH VALUE: xenstore-read and -write, bounded in
# time: a tool the testbed defect corrupts may spin instead of dying.
xs_read() { timeout 10 xenstore-read "$1" 2>/dev/null; }
xs_write() { timeout 10 xenstore-write "$1" "$2" 2>/dev/null; }

# xs_wait PATH VALUE SECONDS: wait until xenstore PATH reads VALUE.
xs_wait() {
	local t=$((EPOCHSECONDS + $3))
	while [ "$EPOCHSECONDS" -lt $t ]; do
		[ "$(xs_read "$1")" = "$2" ] && return 0
		sleep 0.25
	done
	[ "$(xs_read "$1")" = "$2" ]
}

# backend_restart NAME BE FE LOG first|last: make xvdd's backend look as if
# it restarted, through its state node: Closing (rewritten every 2 s until
# the frontend is Closed, since blkback may still be answering an earlier
# flip), then, once blkback is Closed too, InitWait.  The frontend must
# close, reconnect and carry I/O on xvdd again.  Sets RESTART_WHY on
# failure, and RESTART_CLOSED_COUNTERS to the frontend's counters printed
# while it was closed.
RESTART_WHY="" RESTART_CLOSED_COUNTERS=""
backend_restart() {
	local be=$2 fe=$3 log=$4 i n st
	RESTART_WHY="" RESTART_CLOSED_COUNTERS=""
	say "case $1: $5 backend restart: Closing"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		xs_write "$be/state" 5
		xs_wait "$fe/state" 6 2 && break
	done
	st=$(xs_read "$fe/state")
	[ "$st" = 6 ] || { RESTART_WHY="$5-restart:frontend-not-closed(state_$st)"; return 1; }
	# blkback writes Closed when it sees the frontend close, unless it
	# believes it is Closed already (the fast flips write behind its back).
	xs_wait "$be/state" 6 10
	sleep 1
	# While closed: the domU prints its counters every 2 s without xvdd.
	wait_more "$log" "$FE_COUNTERS_RE" "$(fe_count "$log")" 20
	RESTART_CLOSED_COUNTERS=$(fe_counters "$log" last)
	n=$(grep -a -c '^XCI-IO-OK' "$log" 2>/dev/null)
	say "case $1: $5 backend restart: InitWait"
	xs_write "$be/state" 2
	xs_wait "$fe/state" 4 30 ||
		{ RESTART_WHY="$5-restart:frontend-not-reconnected(state_$(xs_read "$fe/state"))"; return 1; }
	wait_more "$log" '^XCI-IO-OK' "$n" 30 && return 0
	RESTART_WHY="$5-restart:no-io-after-reconnect"
	return 1
}

# hotplug_case: an online resize of xvdd, then 20 block-attach/block-detach
# cycles of xvdd while the domU writes and reads it; afterwards the grant
# and page counters of both ends are back at their baseline and the domU
# is still alive.
hotplug_case() {
	local name=$1 t0 why="" d=/var/lib/xci/hotplug loopd i b0 b1 c0 c1 log
	local spec fails=0 f0 ferr
	XL_CRASHES=0 XL_OTHER=0
	t0=$EPOCHREALTIME
	f0=$(dom0_faults)
	log="$OUT/guests/guest-$name.log"
	mkdir -p "$d"
	truncate -s 16M "$d/hot.img"
	loopd=$(losetup -f --show "$d/hot.img") || why="$why losetup"
	simple_domu "$name" "xmode=hotplug" 256 "" > "$d/cfg"
	spec="format=raw,vdev=xvdd,access=rw,script=/xci/block-script,target=$loopd"
	say "case $name: xl create"
	timeout 180 $XL create "$d/cfg" > "$d/create.log" 2>&1 || why="$why xl-create-failed"
	[ -z "$why" ] && { wait_log "$log" XCI-HOTPLUG-READY 120 || why="$why domU-not-ready"; }
	b0=$(bk_counters)
	# The frontend's baseline: printed before READY, with no xvdd yet.
	c0=$(fe_counters "$log" first)
	# Online resize first: grow the loop device under a connected xvdd.
	if [ -z "$why" ] && xl_dev "$name" attach "$spec"; then
		sleep 2
		truncate -s 32M "$d/hot.img"
		losetup -c "$loopd"
		wait_log "$log" '^XCI-XVDD-SIZE 65536' 30 ||
			why="$why resize-not-seen($(grep -a '^XCI-XVDD-SIZE' "$log" | tail -1 | tr ' ' _))"
		xl_dev "$name" detach "$spec" || why="$why detach-after-resize-failed"
	elif [ -z "$why" ]; then
		why="$why first-attach-failed"
	fi
	if [ -z "$why" ]; then
		for i in $(seq 1 "$CYCLES"); do
			xl_dev "$name" attach "$spec" || fails=$((fails + 1))
			# Let the domU's loop reach the disk, then pull it away.
			sleep 1
			xl_dev "$name" detach "$spec" || fails=$((fails + 1))
		done
		[ $fails = 0 ] || why="$why $fails-of-$((2 * CYCLES))-attach/detach-failed(xl_exit_${XL_RC}:$(tail -1 "$XL_LOG" | tr ' ' _))"
		sleep 5
	fi
	# The frontend's counters now: a line printed after this point (the
	# domU prints one every 2 s while xvdd is away).
	wait_more "$log" "$FE_COUNTERS_RE" "$(fe_count "$log")" 15
	b1=$(bk_counters)
	c1=$(fe_counters "$log" last)
	say "case $name: backend $b0 -> $b1; frontend $c0 -> $c1"
	[ "$b0" = "$b1" ] || why="$why backend-counters($b0->$b1)"
	[ -n "$c0" ] && [ "$c0" = "$c1" ] || why="$why frontend-counters(${c0:-none}->${c1:-none})"
	grep -a -q 'XCI-IO-OK' "$log" 2>/dev/null || why="$why no-io-reached-xvdd"
	grep -a -q '^XCI-IO-MISMATCH' "$log" 2>/dev/null && why="$why xvdd-read-back-differed"
	$XL domid "$name" >/dev/null 2>&1 || why="$why domU-died"
	grep -a -q -E 'Kernel panic|BUG:|WARNING:' "$log" 2>/dev/null && why="$why domU-oops"
	# Every attach must connect: an error our frontend reported to the
	# store (xenbus_dev_fatal: "vbd vbd-51760: 28 allocating buffers",
	# the grant references run out) fails the case.
	ferr=$(grep -a -c -E 'vbd vbd-51760: -?[0-9]+ ' "$log" 2>/dev/null)
	[ "${ferr:-0}" = 0 ] ||
		why="$why frontend-errors($ferr:$(grep -a -E 'vbd vbd-51760: -?[0-9]+ ' "$log" | tail -1 | sed 's/.*vbd-51760: //' | tr ' ' _))"
	# XSA-350 style, against our frontend, with xvdd attached and in use:
	#  1. a backend restart, step by step: its state goes Closing, the
	#     frontend must close (Closed), blkback follows (Closed), then the
	#     state goes InitWait and the frontend must reconnect (Connected)
	#     and the domU's I/O on xvdd must work again;
	#  2. 20 fast rounds of Closing, InitWait, Connected, 0.1 s apart, behind
	#     blkback's back;
	#  3. Closing for good: the frontend must close with every grant and
	#     page of its rings back (its counters at their baseline), then
	#     reconnect once more as in 1 and carry I/O;
	# all without an oops in the domU.  The domU is destroyed afterwards
	# and our backend's counters must be back at their baseline.
	local flips="" b2
	if [ -z "$why" ] && xl_dev "$name" attach "$spec"; then
		local be fe domid poller cz seen
		domu_id "$name" || why="$why xl-domid-failed"
		domid=$DOMID
		be=/local/domain/0/backend/vbd/$domid/51760
		fe=/local/domain/$domid/device/vbd/51760
		# Every 0.25 s: each restart holds the frontend Closed for
		# over a second, and every read is two process starts, which
		# the testbed's defect feeds on (README).
		( while :; do xs_read "$fe/state" || echo x; sleep 0.25; done ) > "$d/fe-states" &
		poller=$!
		sleep 1
		[ -n "$why" ] ||
			backend_restart "$name" "$be" "$fe" "$log" first || why="$why $RESTART_WHY"
		cz=$RESTART_CLOSED_COUNTERS
		[ -n "$why" ] || [ "$cz" = "$c0" ] ||
			why="$why frontend-counters-when-closed($c0->${cz:-none})"
		if [ -z "$why" ]; then
			say "case $name: 20 fast rounds of backend states"
			for i in $(seq 1 20); do
				xs_write "$be/state" 5; sleep 0.1
				xs_write "$be/state" 2; sleep 0.1
				xs_write "$be/state" 4; sleep 0.1
			done
			sleep 3
			backend_restart "$name" "$be" "$fe" "$log" last || why="$why $RESTART_WHY"
			cz=$RESTART_CLOSED_COUNTERS
			[ -n "$why" ] || [ "$cz" = "$c0" ] ||
				why="$why frontend-counters-when-closed-after-flips($c0->${cz:-none})"
		fi
		kill -KILL $poller 2>/dev/null
		wait $poller 2>/dev/null
		# Each restart closes the frontend and brings it back at least
		# once.  The count is tried again if a tool of the pipe died
		# (the testbed's user-process defect).
		for i in 1 2 3; do
			seen=$(uniq "$d/fe-states" | awk 'p == 6 && ($1 == 1 || $1 == 3 || $1 == 4) { n++ } { p = $1 } END { print n + 0 }')
			[ -n "$seen" ] && [ "$seen" -ge 0 ] 2>/dev/null && break
			seen=""
		done
		[ -n "$why" ] || [ "${seen:-0}" -ge 2 ] ||
			why="$why frontend-reconnects-seen-${seen:-unreadable}-not-2-or-more"
		$XL domid "$name" >/dev/null 2>&1 || why="$why domU-died-in-state-flips"
		grep -a -q -E 'Kernel panic|BUG:|WARNING:' "$log" 2>/dev/null &&
			why="$why domU-oops-in-state-flips"
		flips=", backend restarts and 60 fast state flips: the frontend closed and reconnected $seen times, closed with counters at baseline ($cz), and carried I/O after each restart"
	fi
	$XL destroy "$name" >/dev/null 2>&1
	sleep 3
	b2=$(bk_counters)
	[ "$b0" = "$b2" ] || why="$why backend-counters-after-destroy($b0->$b2)"
	losetup -d "$loopd" 2>/dev/null
	rm -rf "$d"
	local crashes=""
	[ $XL_CRASHES = 0 ] || crashes=", xl failed $XL_CRASHES times ($XL_OTHER of them neither a crash nor the hotplug script's defect) and was retried (testbed, see README; last failures in xl-failures.log)"
	FLAKE=""
	[ "$(dom0_faults)" = "$f0" ] && [ $XL_CRASHES = 0 ] ||
		FLAKE="user-space-faults-in-dom0"
	# The domU's shell says when one of its children died of a fault.
	grep -a -q -E '^(Segmentation fault|XCI-USERFAULT)' "$log" 2>/dev/null &&
		FLAKE="$FLAKE${FLAKE:+ }user-space-faults-in-domU"
	CASE_T0=$t0 CASE_WHY="$why${why:+$crashes}"
	CASE_DETAIL="online resize 16->32 MiB seen by the domU, $CYCLES attach/detach cycles under I/O, counters back at baseline ($b1; $c1)$flips$crashes"
}


# vif_sweep DOMAIN: finish what a crashed xl left of a detach, looking at
# the store rather than at xl's listing (xl itself may die of the testbed's
# defect): network-detach every vif of DOMAIN whose backend is still there,
# and remove the frontend node of one whose backend is gone, which is
# libxl's last step.  Every vif of a vif_hotplug_case domU is the case's.
vif_sweep() {
	local i dom="" devs d
	for i in 1 2 3; do
		dom=$($XL domid "$1" 2>/dev/null) && break
	done
	[ -n "$dom" ] || return 0
	for i in 1 2 3 4 5; do
		devs=$(timeout 10 xenstore-list "/local/domain/$dom/device/vif" 2>/dev/null)
		case $? in
		0) ;;
		1) return 0 ;;			# no vif directory at all
		*) sleep 1; continue ;;		# the tool died (testbed)
		esac
		[ -n "$devs" ] || return 0
		for d in $devs; do
			if timeout 10 xenstore-exists "/local/domain/0/backend/vif/$dom/$d" 2>/dev/null; then
				timeout 60 $XL network-detach "$1" "$d" >/dev/null 2>&1
			else
				timeout 10 xenstore-rm "/local/domain/$dom/device/vif/$d" 2>/dev/null
			fi
		done
		sleep 2
	done
}

# VIF_COUNTERS_RE: a complete vif counters line of domu.sh's vifhotplug mode.
VIF_COUNTERS_RE='^XCI-VIF-COUNTERS grants=[0-9]+ pages=[0-9]+ lost=[0-9]+ oopses=[0-9]+'


# rate_check NAME IP: the toolstack's "rate" key, set while the vif is
# connected.  dom0's 60 KB pings make the domU answer with 41 fragments
# each against a credit of 20 KB per 100 ms: the answers must come, and
# our netback must have made its transmit ring wait for credit
# (credit_waits; Debian's netback has no such counter, so with it only
# the answers count).  Without the key again, the domU must answer as
# before.  Sets RATE_WHY and RATE_DETAIL.
rate_check() {
	local domid dev be="" ifc w0 w1 got
	RATE_WHY="" RATE_DETAIL=""
	domid=$($XL domid "$1" 2>/dev/null)
	for dev in $(timeout 10 xenstore-list "/local/domain/0/backend/vif/$domid" 2>/dev/null); do
		[ "$(xs_read "/local/domain/0/backend/vif/$domid/$dev/state")" = 4 ] &&
			be=/local/domain/0/backend/vif/$domid/$dev ifc=vif$domid.$dev
	done
	[ -n "$be" ] || { RATE_WHY=" rate:no-connected-vif"; return 0; }
	w0=$(xnet stat "$ifc" credit_waits 2>/dev/null)
	xs_write "$be/rate" "20000,100000" || { RATE_WHY=" rate:key-not-written"; return 0; }
	sleep 1		# for the backend's watch
	got=$(ping -q -c 4 -i 0.5 -W 10 -s 60000 "$2" 2>/dev/null | awk '/transmitted/ { print $4 }')
	w1=$(xnet stat "$ifc" credit_waits 2>/dev/null)
	timeout 10 xenstore-rm "$be/rate" 2>/dev/null
	[ "${got:-0}" -gt 0 ] || RATE_WHY="$RATE_WHY rate:60KB-pings-unanswered"
	RATE_DETAIL=", rate 20000,100000 set while connected: ${got:-0} of 4 60 KB pings answered"
	if [ -n "$w0" ]; then
		[ "${w1:-0}" -gt "$w0" ] || RATE_WHY="$RATE_WHY rate:no-credit-waits($w0->${w1:-none})"
		RATE_DETAIL="$RATE_DETAIL, credit waits $w0 -> $w1"
	fi
	ping_domu "$2" 30 > /dev/null || RATE_WHY="$RATE_WHY rate:no-ping-once-removed"
	return 0
}

# ping_domu IP SECONDS: wait until IP answers a ping; the seconds it took.
ping_domu() {
	local t0 end
	t0=$EPOCHSECONDS
	end=$((t0 + $2))
	while [ "$EPOCHSECONDS" -lt $end ]; do
		ping -c 1 -W 1 "$1" >/dev/null 2>&1 && { echo $((EPOCHSECONDS - t0)); return 0; }
	done
	return 1
}

# vif_hotplug_case: 20 network-attach/network-detach cycles of a vif of a
# running domU, each time until dom0 and the domU ping each other; the
# domU's frontend must end with its grant and page counters back at their
# baseline (no vif), and a last attach must work.
vif_hotplug_case() {
	local name=$1 t0 why="" d=/var/lib/xci/vifhot log c0 c1 b0 b1 i fails=0 f0 slow=0 secs
	local flood sent=0 got=0 RATE_WHY="" RATE_DETAIL=""
	local spec="mac=$VIF_MAC,bridge=xenbr0,script=/xci/vif-script" ip=10.99.0.4
	XL_CRASHES=0 XL_OTHER=0
	t0=$EPOCHREALTIME
	f0=$(dom0_faults)
	log="$OUT/guests/guest-$name.log"
	mkdir -p "$d"
	simple_domu "$name" "xmode=vifhotplug xip=$ip xpeer=10.99.0.1" 256 "" > "$d/cfg"
	say "case $name: xl create"
	timeout 180 $XL create "$d/cfg" > "$d/create.log" 2>&1 || why="$why xl-create-failed"
	[ -z "$why" ] && { wait_log "$log" XCI-VIFHOT-READY 120 || why="$why domU-not-ready"; }
	c0=$(fe_counters "$log" first "$VIF_COUNTERS_RE")
	b0=$(vif_bk)
	if [ -z "$why" ]; then
		# Traffic all along: dom0 pings the domU 20 times a second, so
		# that every attach and detach meets packets in flight both
		# ways.  Each ping runs 2 s (one whose send failed while the vif
		# was away is followed by the next) and prints what it counted,
		# the last one when stopped with SIGINT.
		( while :; do ping -q -i 0.05 -w 2 "$ip"; done ) > "$d/flood.txt" 2>&1 &
		flood=$!
		for i in $(seq 1 "$CYCLES"); do
			if ! xl_dev "$name" attach "$spec" vif; then
				fails=$((fails + 1))
				continue
			fi
			secs=$(ping_domu $ip 60) || slow=$((slow + 1))
			xl_dev "$name" detach "$spec" vif || fails=$((fails + 1))
		done
		children "$flood"
		{ kill -KILL "$flood"; wait "$flood"; } 2>/dev/null
		kill -INT $KIDS 2>/dev/null
		sleep 1
		read -r sent got < <(awk '/transmitted/ { s += $1; r += $4 } END { print s + 0, r + 0 }' "$d/flood.txt")
		[ "$got" -gt 0 ] || why="$why no-answer-to-$sent-pings-during-the-cycles"
		[ $fails = 0 ] || why="$why $fails-of-$((2 * CYCLES))-attach/detach-failed(xl_exit_${XL_RC}:$(tail -1 "$XL_LOG" | tr ' ' _))"
		[ $slow = 0 ] || why="$why no-ping-after-$slow-of-$CYCLES-attaches"
		# Nothing of ours may be left attached (a failed detach).
		vif_sweep "$name"
		sleep 3
	fi
	wait_more "$log" "$VIF_COUNTERS_RE" "$(fe_count "$log" "$VIF_COUNTERS_RE")" 15
	c1=$(fe_counters "$log" last "$VIF_COUNTERS_RE")
	say "case $name: frontend $c0 -> $c1"
	[ -n "$c0" ] && [ "$c0" = "$c1" ] || why="$why frontend-counters(${c0:-none}->${c1:-none})"
	b1=$(vif_bk)
	[ -n "$b0" ] && say "case $name: backend $b0 -> $b1"
	[ "$b0" = "$b1" ] || why="$why backend-counters(${b0:-none}->${b1:-none})"
	# Once more, and the domU must be reachable.
	if [ -z "$why" ] && xl_dev "$name" attach "$spec" vif; then
		secs=$(ping_domu $ip 60) || why="$why no-ping-after-the-last-attach"
		[ -z "$why" ] && { rate_check "$name" "$ip"; why="$why$RATE_WHY"; }
	elif [ -z "$why" ]; then
		why="$why last-attach-failed"
	fi
	$XL domid "$name" >/dev/null 2>&1 || why="$why domU-died"
	grep -a -q -E 'Kernel panic|BUG:|WARNING:' "$log" 2>/dev/null && why="$why domU-oops"
	$XL destroy "$name" >/dev/null 2>&1
	rm -rf "$d"
	local crashes=""
	[ $XL_CRASHES = 0 ] || crashes=", xl failed $XL_CRASHES times ($XL_OTHER of them neither a crash nor a hotplug script's defect) and was retried (testbed, see README; last failures in xl-failures.log)"
	FLAKE=""
	[ "$(dom0_faults)" = "$f0" ] && [ $XL_CRASHES = 0 ] ||
		FLAKE="user-space-faults-in-dom0"
	# The domU's shell says when one of its children died of a fault.
	grep -a -q -E '^(Segmentation fault|XCI-USERFAULT)' "$log" 2>/dev/null &&
		FLAKE="$FLAKE${FLAKE:+ }user-space-faults-in-domU"
	CASE_T0=$t0 CASE_WHY="$why${why:+$crashes}"
	CASE_DETAIL="$CYCLES network-attach/detach cycles under a ping flood from dom0 ($got of $sent answered), each pinged both ways, our frontend's counters back at baseline ($c1)${b1:+, our backend at baseline too ($b1)}, a last attach pinged in ${secs:-?} s$RATE_DETAIL$crashes"
}

# save_case: xl save and xl restore while the domU loops writing and
# reading back patterns on xvdb; every pass must verify, and the domU's
# vif must carry a ping to dom0 after the restore.  The restore is to a
# backend with fewer features: xvdb without discard (xl's no-discard) and,
# where dom0's blkback is ours, without indirect requests.  The domU must
# take the new limits, and requests built under the old ones must still
# complete.  The restored frontend must announce itself with a
# gratuitous ARP, seen on dom0's bridge.
save_case() {
	local name=$1 f0 t0 rc xlcrash=0 why="" d=/var/lib/xci/save loopb log
	local ind=/sys/module/xen_blkback/parameters/max_indirect_segments
	local ind0="" ap="" lim0 lim1 want_kb garp split n
	t0=$EPOCHREALTIME
	f0=$(dom0_faults)
	log="$OUT/guests/guest-$name.log"
	mkdir -p "$d"
	truncate -s 16M "$d/scratch.img"
	loopb=$(losetup -f --show "$d/scratch.img") || why="$why losetup"
	local smib=64 sp inflight=no
	# The buffered writer with our dom0 only: under Debian's dom0 the
	# domU did not finish in 3 of 3 tries with it (not yet understood).
	local bw=""
	[ "$PLAN" = ours ] && bw=" xbufwrite=1"
	simple_domu "$name" "xmode=save xpasses=40 xip=10.99.0.3 xpeer=10.99.0.1 xsmib=$smib$bw" 256 \
		"\"format=raw,vdev=xvdb,access=rw,script=/xci/block-script,target=$loopb\"" > "$d/cfg"
	# A vif too: the frontend must come back after the restore.
	echo 'vif = [ "mac=00:16:3e:00:99:03,bridge=xenbr0,script=/xci/vif-script" ]' >> "$d/cfg"
	say "case $name: xl create"
	timeout 180 $XL create "$d/cfg" > "$d/create.log" 2>&1 || why="$why xl-create-failed"
	[ -z "$why" ] && { wait_log "$log" XCI-SAVE-READY 120 || why="$why domU-not-ready"; }
	if [ -z "$why" ]; then
		# A TCP stream to the domU, running across the save and
		# restore (paced to last 16 s); the domU compares its
		# checksum (domu.sh).
		XNET_PACE=4000000 timeout 900 xnet send 10.99.0.3 5006 17 $smib >/dev/null 2>&1 &
		sp=$!
		sleep 3
		grep -a -q XCI-DOMU-DONE "$log" && why="$why domU-finished-before-save"
		kill -0 $sp 2>/dev/null && inflight=yes
		say "case $name: xl save (stream in flight: $inflight)"
		timeout 300 $XL -vvv save "$name" "$d/save.img" > "$d/save.log" 2>&1
		rc=$?
		[ $rc = 0 ] || why="$why xl-save-failed($(tail -1 "$d/save.log" | tr ' ' _))"
		[ $rc = 134 ] || [ $rc = 139 ] && xlcrash=1
		cp "$d/save.log" "$OUT/$name-save.log"
	fi
	if [ -z "$why" ]; then
		sed '/vdev=xvdb/s/access=rw,/access=rw,no-discard,/' "$d/cfg" > "$d/cfg2"
		# Our blkback's parameter applies to the next connection;
		# Debian's has none.
		if [ -w "$ind" ]; then
			ind0=$(cat "$ind")
			echo 0 > "$ind"
		fi
		timeout 400 xnet arp xenbr0 330 > "$d/arp.txt" 2>&1 &
		ap=$!
		say "case $name: xl restore (xvdb: no-discard${ind0:+, no indirect requests})"
		timeout 300 $XL -vvv restore "$d/cfg2" "$d/save.img" > "$d/restore.log" 2>&1
		rc=$?
		# Read when the restored vbd's backend was probed: later
		# cases get the default again.
		[ -n "$ind0" ] && echo "$ind0" > "$ind"
		[ $rc = 0 ] || why="$why xl-restore-failed($(tail -1 "$d/restore.log" | tr ' ' _))"
		[ $rc = 134 ] || [ $rc = 139 ] && xlcrash=1
		cp "$d/restore.log" "$OUT/$name-restore.log"
		rm -f "$d/save.img"
		wait_log "$log" XCI-DOMU-DONE 300 || why="$why domU-did-not-finish"
		grep -a -q '^XCI-CHECK vbd-save-restore PASS' "$log" ||
			why="$why $(grep -a '^XCI-CHECK vbd-save-restore' "$log" | tr ' ' _)"
		grep -a -q '^XCI-CHECK vif-save-restore PASS' "$log" ||
			why="$why vif-save-restore($(grep -a '^XCI-CHECK vif-save-restore' "$log" | cut -d' ' -f4- | tr ' \r' __))"
		grep -a -q '^XCI-CHECK vif-stream-save-restore PASS' "$log" ||
			why="$why vif-stream-save-restore($(grep -a '^XCI-CHECK vif-stream-save-restore' "$log" | cut -d' ' -f4- | tr ' \r' __))"
		# The limits the domU saw before the save and at its end:
		# "hw_kb=N discard=N".
		lim0=$(grep -a '^XCI-LIMITS before' "$log" | cut -d' ' -f3- | tr -d '\r')
		lim1=$(grep -a '^XCI-LIMITS after' "$log" | cut -d' ' -f3- | tr -d '\r')
		want_kb=${lim0%% *}
		[ -n "$ind0" ] && want_kb=hw_kb=44
		case "$lim0" in
		*" discard=0"|"") why="$why no-discard-before-save($(echo "$lim0" | tr ' ' _))" ;;
		esac
		[ -n "$ind0" ] && [ "${lim0%% *}" = hw_kb=44 ] &&
			why="$why no-indirect-before-save"
		[ "$lim1" = "$want_kb discard=0" ] ||
			why="$why limits-after-restore($(echo "$lim1" | tr ' ' _)_not_${want_kb}_discard=0)"
		# The gratuitous ARP of the restored frontend: its own
		# address asked for, from its MAC.
		kill $ap 2>/dev/null
		wait $ap 2>/dev/null
		garp=$(grep -c 'op=1 sha=00:16:3e:00:99:03 spa=10.99.0.3 tpa=10.99.0.3$' "$d/arp.txt")
		# Requests of the old backend's size split for the new one
		# (our blkfront's log), when the save caught some in flight.
		split=0
		while read -r n _; do
			split=$((split + n))
		done < <(grep -a -o '[0-9]* request(s) built for' "$log")
		[ "$garp" -gt 0 ] || why="$why no-gratuitous-arp($(wc -l < "$d/arp.txt")_arp_lines)"
	fi
	[ -n "$ind0" ] && echo "$ind0" > "$ind"
	[ -n "$ap" ] && { kill $ap 2>/dev/null; wait $ap 2>/dev/null; }
	[ -n "$sp" ] && { kill $sp 2>/dev/null; wait $sp 2>/dev/null; }
	grep -a -q -E 'Kernel panic|BUG:|WARNING:' "$log" 2>/dev/null && why="$why domU-oops"
	sleep 1
	$XL destroy "$name" >/dev/null 2>&1
	losetup -d "$loopb" 2>/dev/null
	rm -rf "$d"
	# Evidence of the testbed defect that also kills user processes in
	# dom0 now and then (README): xl itself dying of SIGSEGV or SIGABRT,
	# or a user process of the domU killed.
	FLAKE=""
	[ "$(dom0_faults)" = "$f0" ] && [ $xlcrash = 0 ] ||
		FLAKE="user-space-faults-in-dom0"
	grep -a -q -E '^(XCI-DMESG .*(segfault|general protection)|XCI-USERFAULT)' "$log" 2>/dev/null &&
		FLAKE="$FLAKE${FLAKE:+ }user-space-faults-in-domU"
	CASE_T0=$t0 CASE_WHY=$why
	CASE_DETAIL="xl save and restore during I/O, $(grep -a '^XCI-CHECK vbd-save-restore' "$log" | cut -d' ' -f4- | tr -d '\r'); xvdb limits $lim0 before, $lim1 after the restore to a backend with fewer features (${split:-0} requests in flight split again); $garp gratuitous ARP on the bridge; vif: $(grep -a '^XCI-CHECK vif-save-restore' "$log" | cut -d' ' -f4- | tr -d '\r'); TCP stream to the domU across it (in flight at the save: $inflight): $(grep -a '^XCI-CHECK vif-stream-save-restore' "$log" | cut -d' ' -f4- | tr -d '\r')"
}

# once_more NAME FUNC: FUNC NAME, run again (up to 3 tries in all) only
# while it fails together with evidence of a testbed defect.  FUNC sets CASE_T0, CASE_WHY (empty
# if it passed), CASE_DETAIL (what a pass showed) and FLAKE (the evidence).
once_more() {
	local name=$1 fn=$2 hist="" n=1
	"$fn" "$name"
	while [ -n "$CASE_WHY" ] && [ -n "$FLAKE" ] && [ $n -lt 3 ]; do
		hist="${hist:-retried: }try $n failed (${CASE_WHY# }) with $FLAKE; "
		mv "$OUT/guests/guest-$name.log" "$OUT/guests/guest-$name.log.try$n"
		say "case $name: retrying ($FLAKE)"
		# A clean slate: what a crashed xl left behind goes first.
		destroy_guests
		sleep 5
		n=$((n + 1))
		echo "$name try$n" > "$CURRENT"
		"$fn" "$name"
	done
	if [ -z "$CASE_WHY" ]; then
		result "$name" PASS "$CASE_T0" "guests/guest-$name.log" "$hist$CASE_DETAIL"
	else
		result "$name" FAIL "$CASE_T0" "guests/guest-$name.log" "$hist$CASE_WHY"
	fi
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
extra = "console=hvc0 quiet loglevel=1 panic=-1 xrole=bench kunit.enable=0"
memory = 400
vcpus = $(arg xvcpus)
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
extra = "console=hvc0 $5 panic=-1 xrole=domU xname=$1 xmode=bench xbenchn=$4 xip=10.99.0.2 xpeer=10.99.0.1${6:+ $6}"
memory = 400
vcpus = $(arg xvcpus)
on_poweroff = "destroy"
on_crash = "destroy"
disk = [ "format=raw,vdev=xvdb,access=rw,script=/xci/block-script,target=$3" ]
vif = [ "mac=00:16:3e:00:99:02,bridge=xenbr0,script=/xci/vif-script" ]
EOC
}

# bench_blk KIND KERNEL [EXTRA [N]]: the block and network benchmarks,
# N times (default xbenchn), in one domU whose kernel is the same as dom0's,
# so that both ends of the disk and of the vif are KIND's (as far as KIND's
# kernel has its own drivers; EXTRA=xmods=ours gives a stock domU our
# frontends).  The disk is a loop device on a 256 MiB file in dom0's RAM;
# the network peer is dom0's xnet servers on the bridge.
bench_blk() {
	local kind=$1 name=blk-$1 d=/var/lib/xci/blk loopb log n=${4:-$(arg xbenchn)}
	log="$OUT/guests/guest-$name.log"
	mkdir -p "$d"
	truncate -s 256M "$d/bench.img"
	loopb=$(losetup -f --show "$d/bench.img")
	bench_cfg "$name" "$2" "$loopb" "$n" "quiet loglevel=1" "${3:-}" > "$d/cfg"
	say "bench: block and network, $kind ends"
	rm -f "$log"
	if timeout 180 $XL create "$d/cfg" > "$d/create.log" 2>&1; then
		wait_log "$log" XCI-DOMU-DONE 1500 || echo "BLK $kind FAIL no-finish" >> "$OUT/bench"
	else
		echo "BLK $kind FAIL create" >> "$OUT/bench"
	fi
	# xmods=ours: the domU must have run our frontends (domu.sh).
	case " ${3:-} " in *" xmods=ours "*)
		grep -a -q '^XCI-CHECK mods-ours PASS' "$log" 2>/dev/null ||
			echo "BLK $kind FAIL frontends-not-ours" >> "$OUT/bench" ;;
	esac
	grep -a '^XBLK ' "$log" | while read -r _ test val _; do
		echo "BLK $kind $test $val"
	done >> "$OUT/bench"
	grep -a '^XNET ' "$log" | tr -d '\r' | while read -r _ test val _; do
		echo "NET $kind $test $val"
	done >> "$OUT/bench"
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
# itself once a round.
bench_mods() {
	local r
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
	done
	backends stock
}

# The supervisor and the watchdog below start no program in their loops:
# on this testbed a forked child now and then never runs on (README: a
# bash child of `$(...)` waiting forever in futex_wait), and one such
# hang in the supervisor's own `$(...)` once left a stuck case running
# until the host stopped the whole run.  What they need of /proc and of
# files they read with bash's builtins, and the time is $EPOCHSECONDS.

# proc_status PID: sets P_STATE and P_PPID from /proc/PID/status (both
# empty when the process is gone).
proc_status() {
	local k v rest
	P_STATE="" P_PPID=""
	while read -r k v rest; do
		case $k in
		State:) P_STATE=$v ;;
		PPid:) P_PPID=$v; return 0 ;;
		esac
	done 2>/dev/null < "/proc/$1/status"
}

# first_line FILE: sets REPLY to FILE's first line ("" if it has none).
first_line() {
	REPLY=""
	read -r REPLY 2>/dev/null < "$1"
	return 0
}

# list_procs: dom0's user processes on the console: pid, parent, state,
# name and where in the kernel each waits.  Not their command lines:
# reading one takes the process's mmap lock and blocks while it is held.
list_procs() {
	local p comm
	for p in /proc/[0-9]*; do
		[ -e "$p/exe" ] || continue	# a kernel thread
		proc_status "${p#/proc/}"
		first_line "$p/comm"
		comm=$REPLY
		first_line "$p/wchan"
		say "  ${p#/proc/} state,ppid $P_STATE $P_PPID $comm $REPLY"
	done
}

# children PID: sets KIDS to the pids of PID's child processes.
children() {
	local p
	KIDS=""
	for p in /proc/[0-9]*; do
		proc_status "${p#/proc/}"
		[ "$P_PPID" = "$1" ] && KIDS="$KIDS ${p#/proc/}"
	done
}

# kill_tree PID: SIGKILL PID and everything it started.
kill_tree() {
	local c kids
	children "$1"
	kids=$KIDS
	for c in $kids; do
		kill_tree "$c"
	done
	kill -KILL "$1" 2>/dev/null
}

# has_result NAME: the results file has NAME's line.
has_result() {
	local c n rest
	while read -r c n rest; do
		[ "$c $n" = "CASE $1" ] && return 0
	done 2>/dev/null < "$OUT/results"
	return 1
}

# in_tree PID ROOT: PID is ROOT or one of its descendants.
in_tree() {
	local p=$1 n=0
	while [ -n "$p" ] && [ "$p" != 0 ] && [ $n -lt 64 ]; do
		[ "$p" = "$2" ] && return 0
		proc_status "$p"
		p=$P_PPID n=$((n + 1))
	done
	return 1
}

# futex_bash ROOT: sets FUTEX to the pids of processes under ROOT that the
# testbed's defect in a forked child (README) has stuck for good, if seen
# twice: a bash waiting in a futex (it has one thread, so no one will ever
# wake it), or one of the one-threaded small tools the runner uses on
# small inputs (timeout, grep, dmesg, tail, awk, sed) waiting in a futex
# or running; seen spinning in dmesg | grep, and a timeout of xs_write.
futex_bash() {
	local p comm
	FUTEX=""
	for p in /proc/[0-9]*; do
		first_line "$p/comm"
		comm=$REPLY
		case $comm in bash|timeout|grep|dmesg|tail|awk|sed) ;; *) continue ;; esac
		first_line "$p/wchan"
		case $comm,$REPLY in *,futex*) ;; bash,*) continue ;; *,0) ;; *) continue ;; esac
		in_tree "${p#/proc/}" "$1" && FUTEX="$FUTEX ${p#/proc/}"
	done
}

# case_overran: sets OVER to why the running case has run too long, if it
# has (else to "").  A case of the ours and stock plans ends within a few
# minutes, retries included; one that runs past XCI_CASE_LIMIT (600 s)
# hangs, most likely on a process the testbed defect corrupted into
# spinning or stopped in a futex, and is stopped so that the supervisor
# runs it once more instead of the whole run timing out.  The benchmark
# plans are not limited.  A case with a bash stuck in a futex (see
# futex_bash) is stopped too.  The supervisor calls it every few seconds and
# keeps in CASE_SEEN, CASE_T and RESULT_T the case (and try: "NAME tryN"
# from the second) it last saw running, since when, and since when that
# case has had its result; in FUTEX and FUTEX_T, what the last futex look
# found and when it was.
case_overran() {
	OVER=""
	case $PLAN in ours|stock) ;; *) return 0 ;; esac
	first_line "$CURRENT"
	if [ "$REPLY" != "$CASE_SEEN" ]; then
		CASE_SEEN=$REPLY CASE_T=$EPOCHSECONDS RESULT_T=""
	fi
	[ -n "$CASE_SEEN" ] || return 0
	[ $((EPOCHSECONDS - CASE_T)) -gt "$CASE_LIMIT" ] && OVER="ran over $CASE_LIMIT s"
	# A bash of the case found waiting in a futex twice, 30 s apart, is
	# stuck for good, and so is the case.
	if [ $((EPOCHSECONDS - FUTEX_T)) -ge 30 ]; then
		local prev=$FUTEX p
		FUTEX_T=$EPOCHSECONDS
		futex_bash "$RUNNER"
		for p in $FUTEX; do
			case " $prev " in *" $p "*)
				OVER="had $p stuck in a futex wait, or a small tool spinning, for 30 s (the testbed's fork defect)" ;;
			esac
		done
	fi
	# A runner that stays in a case whose result is written has hung
	# between cases (twice, after the last case, in a futex of bash:
	# the testbed's defect, README): the next runner skips that case.
	if [ -z "$RESULT_T" ]; then
		has_result "${CASE_SEEN%% *}" && RESULT_T=$EPOCHSECONDS
	elif [ $((EPOCHSECONDS - RESULT_T)) -gt 90 ]; then
		OVER="stayed 90 s in case ${CASE_SEEN%% *} after its result"
	fi
	return 0
}

# watchdog: every 60 s, name the tasks that have been in D state since the
# previous look, with their kernel stacks, so that a hang in dom0 says where.
watchdog() {
	local prev="" now p case="" since=0 tick=0 stack trace
	while sleep 60; do
		[ -f /run/xci-frozen ] && continue
		# A heartbeat every 2 minutes: the host stops a run whose
		# console stays silent for XCI_HANG (360 s) as frozen.
		tick=$((tick + 1))
		[ $((tick % 2)) = 0 ] && say "watchdog: alive${case:+, case $case for $since min}"
		# A case still running after 5 minutes: list dom0's user
		# processes, every 5 minutes, so that a hang says where.
		first_line "$CURRENT"
		if [ "$REPLY" != "$case" ]; then
			case=$REPLY
			since=0
		fi
		since=$((since + 1))
		if [ $since -ge 5 ] && [ $((since % 5)) = 0 ]; then
			say "watchdog: case $case running for $since min; processes:"
			list_procs
		fi
		now=""
		for p in /proc/[0-9]*; do
			proc_status "${p#/proc/}"
			[ "$P_STATE" = D ] || continue
			now="$now ${p#/proc/}"
			case " $prev " in *" ${p#/proc/} "*)
				first_line "$p/comm"
				stack=()
				mapfile -t stack 2>/dev/null < "$p/stack"
				trace="${stack[*]}"
				say "watchdog: $REPLY (pid ${p#/proc/}) blocked: ${trace:0:700}" ;;
			esac
		done
		prev=$now
	done
}

# xcases=a+b on the command line (XCI_CASES on the host) runs only those.
# A case that already has a result line was run by an earlier runner (see
# supervise) and is not run again.  Otherwise the case is recorded as the
# one running, for the supervisor.
CASES=$(arg xcases)
selected() {
	if [ -n "$CASES" ]; then
		case "+$CASES+" in *"+$1+"*) ;; *) return 1 ;; esac
	fi
	has_result "$1" && return 1
	echo "$1" > "$CURRENT"
	# The host prints this as the case's start (boot.sh).
	say "case $1: start"
	# xdie=NAME (XCI_RUNNER_DIE): the runner kills itself on entering
	# NAME the first time, to exercise the supervisor's recovery;
	# xdie=NAME:2 the first two times, so that dom0 ends the boot.
	case "$(arg xdie)" in
	"$1") [ ! -f "/run/xci-retry-$1" ] && kill -9 $$ ;;
	"$1:2") [ ! -f "/run/xci-retry-$1-2" ] && [ "$(arg xreboot)" != 1 ] && kill -9 $$ ;;
	esac
	# xfreeze=NAME (XCI_FREEZE): dom0 goes silent in NAME, to check the
	# host's hang detection and retry; the line below stands in for the
	# evidence a real freeze of this testbed leaves (Segmentation fault).
	# xkillxs=NAME (XCI_KILL_XS): oxenstored dies on entering NAME, to
	# check that dom0 ends the boot and the host boots again; the line
	# stands in for the evidence, as above.
	if [ "$(arg xkillxs)" = "$1" ]; then
		say "case $1: injected death of oxenstored (XCI_KILL_XS); evidence stand-in: Segmentation fault"
		first_line /run/xenstored.pid
		kill -KILL "$REPLY"
		sleep 100000
	fi
	if [ "$(arg xfreeze)" = "$1" ]; then
		say "case $1: injected freeze (XCI_FREEZE); evidence stand-in: Segmentation fault"
		touch /run/xci-frozen	# the watchdog falls silent too
		sleep 100000
	fi
	return 0
}

# destroy_guests: remove every domU and loop device a dead runner left.
destroy_guests() {
	local d
	for d in $($XL list 2>/dev/null | awk 'NR > 2 { print $1 }'); do
		timeout 60 $XL destroy "$d" > /dev/null 2>&1
	done
	losetup -D 2>/dev/null
	rm -rf /var/lib/xci/*
}

# supervise: PID 1.  Sets up the toolstack, then runs the cases in a
# child bash (the runner) with a raised OOM score, so that the OOM killer
# can take it instead of finding nothing killable.  (A data size limit
# on the runner was tried: xl, date and xenstore-read then failed in
# ways that looked like the defect itself.)
# dom0's user processes are hit now and then by a memory corruption of
# this testbed (README: xl dies of malloc corruption; once PID 1 itself
# ran away and grew to 1.4 GB until dom0 panicked out of memory).  A
# runner that dies is replaced: the case it was in runs once more, saying
# so in its result, and a second death in the same case fails that case.
# The supervisor runs no case itself.
supervise() {
	local rc cur oops0 hangs0 deaths=0 RUNNER
	local CASE_SEEN CASE_T RESULT_T OVER CASE_LIMIT FUTEX FUTEX_T XS_PID
	CASE_LIMIT=$(arg xcaselimit)
	CASE_LIMIT=${CASE_LIMIT:-600}
	say "dom0 up: plan=$PLAN kernel=$(uname -r)"
	watchdog &
	if ! setup_toolstack; then
		echo "CASE toolstack FAIL 0 - toolstack-setup-failed" >> "$OUT/results"
		finish
	fi
	first_line /run/xenstored.pid
	XS_PID=$REPLY
	while :; do
		: > "$CURRENT"
		CASE_SEEN=""
		oops0=$(kernel_faults) hangs0=$(kernel_hangs)
		(
			echo 500 > /proc/self/oom_score_adj
			XCI_RUNNER=1 exec /bin/bash /xci/dom0.sh
		) &
		RUNNER=$!
		OVER="" FUTEX="" FUTEX_T=$EPOCHSECONDS
		while kill -0 $RUNNER 2>/dev/null; do
			sleep 5
			# xenstored cannot be started again with its state: a
			# boot that lost it (the testbed's defect killed it once)
			# ends, and the host boots again for the cases left.
			if [ -n "$XS_PID" ] && ! kill -0 "$XS_PID" 2>/dev/null; then
				first_line "$CURRENT"
				say "toolstack lost: oxenstored (pid $XS_PID) is gone in case ${REPLY:-none}; ending this boot (README)"
				list_procs
				kill_tree $RUNNER
				finish
			fi
			case_overran
			[ -z "$OVER" ] && continue
			say "dom0 case runner: case $CASE_SEEN $OVER; stopping it"
			list_procs
			kill_tree $RUNNER
			break
		done
		wait $RUNNER
		rc=$?
		[ $rc = 0 ] && break
		first_line "$CURRENT"
		cur=${REPLY%% *}
		deaths=$((deaths + 1))
		say "dom0 case runner died (exit $rc${OVER:+, $OVER}) in case ${cur:-none}; oom: $(dmesg | grep -c -i 'out of memory')"
		[ -n "$cur" ] && [ $deaths -le 4 ] || break
		destroy_guests
		# A kernel oops or hang is never the testbed's defect: no
		# retry then.
		if [ "$(kernel_faults)" != "$oops0" ]; then
			echo "CASE $cur FAIL 0 - dom0's case runner died (exit $rc) after a dom0 kernel oops or warning (console.log)" >> "$OUT/results"
		elif [ "$(kernel_hangs)" != "$hangs0" ]; then
			echo "CASE $cur FAIL 0 - dom0's case runner died (exit $rc${OVER:+, $OVER}) after dom0's kernel reported a hang (console.log)" >> "$OUT/results"
		elif [ -f "/run/xci-retry-$cur-2" ]; then
			echo "CASE $cur FAIL 0 - $(cat "/run/xci-retry-$cur") try 3 ended the same way" >> "$OUT/results"
		elif [ -f "/run/xci-retry-$cur" ] && [ "$(arg xreboot)" != 1 ]; then
			# Two deaths in one case: the damage may sit in a page of
			# a shared library in dom0's page cache (README), which
			# every try in this boot would map again.  End the boot;
			# the host boots once more for the cases left (matrix.sh).
			first_line "/run/xci-death1-$cur"
			say "dom0 userland lost: the case runner died twice in case $cur (exit $REPLY, then exit $rc${OVER:+, $OVER}); ending this boot (README)"
			list_procs
			finish
		elif [ -f "/run/xci-retry-$cur" ]; then
			# In the host's second boot the case gets a third try
			# here instead.
			printf ' %s' "try 2 ended the same way (exit $rc${OVER:+, $OVER});" >> "/run/xci-retry-$cur"
			: > "/run/xci-retry-$cur-2"
		else
			printf '%s' "retried: try 1 ended when dom0's case runner died (exit $rc${OVER:+, $OVER}; dom0 userland defect of this testbed, see README);" > "/run/xci-retry-$cur"
			echo "$rc${OVER:+, $OVER}" > "/run/xci-death1-$cur"
		fi
	done
	finish
}

# The hostile-backend and modules-cycle cases live in files of their own,
# which mkinitramfs.sh copies beside this script.
[ -f /xci/case-hostile-backend.sh ] && . /xci/case-hostile-backend.sh
[ -f /xci/case-modules-cycle.sh ] && . /xci/case-modules-cycle.sh

CURRENT=/run/xci-case
if [ -z "$XCI_RUNNER" ]; then
	supervise
	exit 1
fi
# The runner's stderr goes to the console and, for dom0_faults, to a file.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
exec 2> >(tee -a "$RUNNER_ERR" > /dev/console)
# Only our dom0 kernel is held to it (Debian's warns on some of what a
# frontend does: README, testbed notes).
[ "$PLAN" = ours ] && KFAULTS=$(kernel_faults)
case "$PLAN" in
ours)
	selected dom0 && case_dom0 dom0
	# PVH also runs our frontend with 16-page rings (multi-page rings
	# against our backend; the PV cases keep the one-page default), and
	# without persistent grants (each request's pages granted anew).
	# PVH goes first: after PV domUs have run, PVH domUs triple-fault
	# under TCG (4 of 4 full runs; alone, or first: 0 of 5).  The fork
	# stress is for the PV MMU, and in PVH its many process starts (CPUID
	# exits) only provoke those faults further.  Upstream's gntdev oopses
	# a PVH domU that maps its own grant (in __tlb_remove_folio_pages_size
	# on unmap) and the guest hangs, so xen_gnt is skipped there until our
	# gntdev replaces it.
	selected pvh && domu_run 3 pvh pvh "$OURS_K" "xforks=0 xen_blkfront.max_ring_page_order=4 xen_blkfront.feature_persistent=0 xhostile=51776 xskip=xen_gnt xskipwhy=upstream_gntdev_oopses_on_self-map_unmap_in_PVH"
	# xhostile: xvde (vdev 51776) is the hostile-frontend selftest's
	# victim; only our backend is held to disconnecting such a frontend.
	# xuntrusted: xvda's backend is declared untrusted (XSA-403 bounce
	# buffers); only our frontend's reaction is checked.
	# xwantrss: both ends hash (our netfront's control ring), so the
	# steering selftest may not skip.
	# xmtu: the TCP streams run over a 9000-byte MTU with GSO.
	# xrodisks: a read-only disk (xvdf) and a cdrom (xvdg) besides.
	# xip6: TCP streams over IPv6 as well (ipv6_streams).
	selected domU && domu_run 3 domU pv "$OURS_K" "xhostile=51776 xhostilevif=1 xuntrusted=51712 xwantrss=1 xmtu=9000 xrodisks=1 xip6=1"
	selected stock-domU && domu_run 3 stock-domU pv "$STOCK_K" "xhostile=51776 xhostilevif=1 xrodisks=1 xip6=1"
	selected hotplug && once_more hotplug hotplug_case
	selected hotplug-vif && once_more hotplug-vif vif_hotplug_case
	selected saverestore && once_more saverestore save_case
	# A hostile backend (xhostbe) storms our netfront with events while
	# its NAPI is disabled (XSA-391 class); case-hostile-backend.sh.
	if selected hostile-backend; then
		if declare -F hostile_backend_case > /dev/null; then
			once_more hostile-backend hostile_backend_case
		else
			result hostile-backend FAIL "$EPOCHREALTIME" - "case-hostile-backend.sh missing from /xci (initramfs)"
		fi
	fi
	;;
stock)
	selected stock-dom0-toolstack && case_dom0 stock-dom0-toolstack
	# Our frontend against upstream's backend with 16-page rings, and
	# granting each request's pages anew (no persistent grants).
	selected stock-dom0 && domu_run 3 stock-dom0 pv "$OURS_K" "xwantrss=1 xen_blkfront.max_ring_page_order=4 xen_blkfront.feature_persistent=0 xip6=1"
	# Our frontend against the stock backend, attached and detached.
	selected stock-hotplug-vif && once_more stock-hotplug-vif vif_hotplug_case
	# Our domU saved and restored under Debian's dom0.
	selected stock-saverestore && once_more stock-saverestore save_case
	[ -n "$CASES" ] && selected stock-hotplug && once_more stock-hotplug hotplug_case
	# Debian's kernel at both ends with our four drivers as its modules
	# (build-modules.sh): the stock-domU case's checks and attacks, with
	# our backends swapped in for it and out again.
	selected stock-kernel-our-modules &&
		domu_run 3 stock-kernel-our-modules pv "$STOCK_K" "xhostile=51776 xhostilevif=1 xrodisks=1 xip6=1 xmods=ours"
	# Rounds of a domU's I/O with Debian's and our backends swapped in
	# between (case-modules-cycle.sh; make stress).
	if [ -n "$CASES" ] && selected modules-cycle; then
		if declare -F modules_cycle_case > /dev/null; then
			once_more modules-cycle modules_cycle_case
		else
			result modules-cycle FAIL "$EPOCHREALTIME" - "case-modules-cycle.sh missing from /xci (initramfs)"
		fi
	fi
	;;
blk-ours)
	bench_blk ours "$OURS_K"
	;;
stock-blk)
	bench_blk stock "$STOCK_K"
	;;
stock-mods-bench)
	bench_mods
	;;
bench)
	for r in $(seq 1 "$(arg xbenchn)"); do
		bench_boot "boot-ours-$r" pv "$OURS_K"
		# The base variant: our configuration, upstream's Xen code
		# (build-kernel.sh base).
		[ -f "$BASE_K" ] && bench_boot "boot-base-$r" pv "$BASE_K"
		bench_boot "boot-stock-$r" pv "$STOCK_K"
	done
	;;
esac
# Every case has its result.  The runner shuts dom0 down itself: the
# supervisor, waiting for it to exit, went silent before its own
# shutdown in several runs (README, testbed notes).
say "cases done"
finish
