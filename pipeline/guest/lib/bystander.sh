# SPDX-License-Identifier: GPL-2.0-only
# Another guest of dom0 while a hostile one attacks it: a small domU, the
# bystander, reads its disk past the page cache and pings dom0 without end
# (domu.sh, xmode=bystander), while a sampler in dom0 watches the backends
# of its disk and its vif.  The check bystander-served says how long either
# went without serving it while the hostile domU lived.
# Sourced by dom0.sh; defines functions and constants only.

# The longest time, in ms, either backend of the bystander may go without
# serving it.  It reads every 0.2 s and pings about every second, so a dom0 that
# serves it at all does so several times a second even under TCG; what
# fails is a hang, not slowness: the same bound as the detach of an
# attacked disk would be too generous, a few seconds too tight for TCG.
BYSTANDER_GAP_MS=30000
# Where bystander_watch reads the backends' counters (the host's tests
# point it elsewhere).
BY_SYS=/sys
# What bystander_watch writes: "UP DISK NET DISK_GAP_MS NET_GAP_MS SAMPLES".
BYSTANDER_RE='^[01]( [0-9]+){5}$'

# bystander_start NAME KERNEL MODS: create the bystander of case NAME, the
# domU by-NAME (xentop's 10 characters tell it from NAME) with KERNEL, two
# vCPUs (one loses copy-on-write under TCG now and then, README), an 8 MiB
# disk (xvda) and a vif on xenbr0 (10.99.0.5, which no other case uses),
# with xmods=MODS on its command line if MODS is not empty.  Sets BY_DOMID
# and BY_LOOP (its disk's loop device, "" if none); returns non-zero, with
# the reason in BY_WHY, if there is no bystander (and BY_DEFECT the kind
# if xl met the testbed's defect, xl_create_defect).
bystander_start() {
	local d=/var/lib/xci/by-$1 rc
	BY_DOMID="" BY_LOOP="" BY_WHY="" BY_DEFECT=""
	mkdir -p "$d"
	truncate -s 8M "$d/disk.img"
	BY_LOOP=$(losetup -f --show "$d/disk.img") ||
		{ BY_LOOP="" BY_WHY="no loop device"; return 1; }
	cat > "$d/cfg" <<EOC
name = "by-$1"
type = "pv"
kernel = "$2"
ramdisk = "$INITRD"
extra = "console=hvc0 quiet loglevel=1 panic=-1 xrole=domU xmode=bystander xname=by-$1 xip=10.99.0.5 xpeer=10.99.0.1${3:+ xmods=$3}"
memory = 200
vcpus = 2
$(vcpu_pins 2)
tsc_mode = "native"
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
disk = [ "format=raw,vdev=xvda,access=rw,script=/xci/block-script,target=$BY_LOOP" ]
vif = [ "mac=00:16:3e:00:99:05,bridge=xenbr0,script=/xci/vif-script" ]
EOC
	timeout 180 $XL create "$d/cfg" > "$d/create.log" 2>&1
	rc=$?
	if [ $rc != 0 ]; then
		xl_why "$d/create.log"
		BY_WHY="xl create: $REPLY"
		xl_create_defect $rc "$d/create.log" "$2" && BY_DEFECT=$REPLY
		[ -z "${OUT:-}" ] || cp "$d/create.log" "$OUT/by-$1-create.log"
		return 1
	fi
	domu_id "by-$1" || { BY_WHY="no domid"; return 1; }
	BY_DOMID=$DOMID
	return 0
}

# bystander_alive NAME: whether the bystander of case NAME is still the
# domain bystander_start created.
bystander_alive() {
	domu_id "by-$1" && [ "$DOMID" = "$BY_DOMID" ]
}

# bystander_stop NAME: destroy the bystander of case NAME (gone_domu: xl
# fails now and then here), free its loop device and remove its files.
bystander_stop() {
	gone_domu "by-$1"
	[ -n "$BY_LOOP" ] && losetup -d "$BY_LOOP" 2>/dev/null
	BY_LOOP=""
	rm -rf "/var/lib/xci/by-$1"
	return 0
}

# bystander_watch DOMID HANDLE FILE: twice a second, the read requests our
# blkback took from the disk of domain DOMID (vbd 51712's rd_req) and the
# packets dom0 took from its vif HANDLE (rx_packets), until FILE.stop
# exists, the runner is gone or 20 minutes have passed.  From the first
# sample by which both have moved on (the bystander is up), it keeps, for
# each, the longest time without a move, a counter that can no longer be
# read (its device gone with the domain) counting as one that does not
# move.  FILE holds, after each sample,
# "UP DISK NET DISK_GAP_MS NET_GAP_MS SAMPLES": UP 1 once it is up, the
# requests and packets since then, the two longest times.  Bash builtins
# only, like irq_watch; run under watch_keep, it resumes from FILE, and the
# time before a restart is not counted in the next gap.
bystander_watch() {
	local vbd=$BY_SYS/bus/xen-backend/devices/vbd-$1-51712/statistics/rd_req
	local net=$BY_SYS/class/net/vif$1.$2/statistics/rx_packets
	local end=$((EPOCHSECONDS + 1200)) up=0 dn=0 nn=0 dg=0 ng=0 s=0
	local d n dp="" np="" dt nt now dm=0 nm=0
	read -r up dn nn dg ng s 2>/dev/null < "$3"
	[[ "$up $dn $nn $dg $ng $s" =~ $BYSTANDER_RE ]] ||
		up=0 dn=0 nn=0 dg=0 ng=0 s=0
	while [ ! -e "$3.stop" ] && kill -0 $$ 2>/dev/null &&
	      [ "$EPOCHSECONDS" -lt $end ]; do
		d="" n=""
		read -r d 2>/dev/null < "$vbd"
		read -r n 2>/dev/null < "$net"
		now=${EPOCHREALTIME/./}
		now=$((now / 1000))
		s=$((s + 1))
		if [ -z "$dp" ]; then
			# The first sample (or the first after a restart).
			[[ $d =~ ^[0-9]+$ && $n =~ ^[0-9]+$ ]] &&
				dp=$d np=$n dt=$now nt=$now
		else
			if [[ $d =~ ^[0-9]+$ ]] && [ "$d" != "$dp" ]; then
				[ $up = 1 ] && dn=$((dn + d - dp))
				dp=$d dt=$now dm=1
			fi
			if [[ $n =~ ^[0-9]+$ ]] && [ "$n" != "$np" ]; then
				[ $up = 1 ] && nn=$((nn + n - np))
				np=$n nt=$now nm=1
			fi
			[ $up = 0 ] && [ $dm = 1 ] && [ $nm = 1 ] &&
				up=1 dt=$now nt=$now
		fi
		if [ $up = 1 ] && [ -n "$dp" ]; then
			[ $((now - dt)) -gt "$dg" ] && dg=$((now - dt))
			[ $((now - nt)) -gt "$ng" ] && ng=$((now - nt))
		fi
		echo "$up $dn $nn $dg $ng $s" > "$3"
		sleep 0.5
	done
}

# bystander_check FILE: the check bystander-served, from bystander_watch's
# FILE: the bystander came up, and neither its disk nor its vif went longer
# than BYSTANDER_GAP_MS without being served.
bystander_check() {
	local up="" dn="" nn="" dg="" ng="" s="" detail why="" ds ns
	read -r up dn nn dg ng s 2>/dev/null < "$1"
	if [[ ! "$up $dn $nn $dg $ng $s" =~ $BYSTANDER_RE ]]; then
		ck bystander-served FAIL "no samples of the bystander's backends$(watch_restarts "$1")"
		return 0
	fi
	printf -v ds '%d.%03d' $((dg / 1000)) $((dg % 1000))
	printf -v ns '%d.%03d' $((ng / 1000)) $((ng % 1000))
	detail="$dn disk reads served, at most $ds s seen without one; $nn packets from its vif, at most $ns s seen without one (budget $((BYSTANDER_GAP_MS / 1000)) s each; sampled every 0.5 s); $s samples$(watch_restarts "$1")"
	if [ "$up" != 1 ]; then
		why="never-served"
	elif [ "$dg" -gt $BYSTANDER_GAP_MS ]; then
		why="disk-unserved-${dg}ms>budget"
	elif [ "$ng" -gt $BYSTANDER_GAP_MS ]; then
		why="net-unserved-${ng}ms>budget"
	fi
	if [ -n "$why" ]; then
		ck bystander-served FAIL "$why: $detail"
	else
		ck bystander-served PASS "$detail"
	fi
	return 0
}
