# SPDX-License-Identifier: GPL-2.0-only
# xl and xenstore helpers with timeouts and retries, guest console
# logs, and the grant and page counters of both ends.
# Sourced by dom0.sh; defines functions and constants only.

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

# vcpu_pins N: the xl.cfg line that pins a domU's N vCPUs, vCPU i to
# physical CPU i mod 2 (a single vCPU to CPU 1), as Xen's dom0_vcpus_pin does
# for dom0 (boot.sh).  A vCPU that moves between the testbed's two CPUs
# is what loses copy-on-write most (README, testbed notes): a 1-vCPU
# domU of ours lost it 9 to 29 times in 1,200 forks unpinned, 1 to 3
# times pinned.
vcpu_pins() {
	local i l=""
	if [ "${1:-1}" -le 1 ]; then
		echo 'cpus = ["1"]'
		return
	fi
	for ((i = 0; i < $1; i++)); do
		l+="${l:+, }\"$((i % 2))\""
	done
	echo "cpus = [$l]"
}

# domu_args: the words XCI_DOMU_ARGS asked for (boot.sh), with a space
# first, for every domU's command line.
domu_args() {
	local a
	a=$(arg xdomuargs)
	[ -n "$a" ] && echo " ${a//+/ }"
	return 0
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
extra = "console=hvc0 quiet loglevel=5 panic=-1 xrole=domU xname=$1 $2$(domu_args)"
memory = $3
vcpus = $(arg xvcpus)
$(vcpu_pins "$(arg xvcpus)")
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
disk = [ $4 ]
EOC
}

# xl_defect RC LOG: true if an xl that exited RC (through timeout, which
# passes 128+n on) and printed LOG met the testbed's defect: killed by
# SIGABRT or SIGSEGV, or its hotplug script's tools failing ("xenstore-read:
# not found"); grep itself may die here too.
xl_defect() {
	[ "$1" = 134 ] || [ "$1" = 139 ] ||
		grep -a -q -E '(block|vif)-script.*(not found|Segmentation fault|Aborted)' "$2" 2>/dev/null
}

# KERNEL_MD5: each domU kernel's checksum as dom0 first read it
# (kernel_sum, at dom0's start), by path.
declare -A KERNEL_MD5=()

# kernel_sum KERNEL: KERNEL's checksum as dom0 reads it now, in REPLY
# (empty if it cannot be read); the first is kept in KERNEL_MD5.
kernel_sum() {
	REPLY=$(md5sum 2> /dev/null < "$1")
	REPLY=${REPLY%% *}
	[ -n "${KERNEL_MD5[$1]+x}" ] || KERNEL_MD5[$1]=$REPLY
	return 0
}

# xl_create_defect RC LOG KERNEL: true if xl create of a domU of KERNEL,
# which exited RC with its output in LOG, met the testbed's defect; the
# kind in REPLY.  Either xl crashed (xl_defect: "crashed"), or it could
# not decompress KERNEL (xc_dom_do_gunzip: inflate failed, once in CI on
# 2026-12-04, for the kernel the domUs before it in the same boot had
# started from) while KERNEL still reads as dom0 first read it, so the
# bytes went wrong in xl, not in the file
# ("inflate-failed-on-intact-kernel").
xl_create_defect() {
	local first
	REPLY=crashed
	xl_defect "$1" "$2" && return 0
	grep -a -q 'xc_dom_do_gunzip: inflate failed' "$2" 2> /dev/null || return 1
	first=${KERNEL_MD5[$3]:-}
	kernel_sum "$3"
	[ -n "$first" ] && [ "$REPLY" = "$first" ] || return 1
	REPLY=inflate-failed-on-intact-kernel
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
		# Anything but the testbed's defect is counted apart, and
		# tried again as well.
		xl_defect $rc "$XL_LOG" || XL_OTHER=$((XL_OTHER + 1))
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
# destroy_domus: xl destroy every domU; REPLY: their names, each after a
# blank ("" if there was none).
destroy_domus() {
	local d
	REPLY=""
	for d in $($XL list 2>/dev/null | awk 'NR > 2 { print $1 }'); do
		REPLY+=" $d"
		timeout 60 $XL destroy "$d" > /dev/null 2>&1
	done
}

# xen_has_cap CAP: 0 if xl info lists CAP among Xen's virt_caps (pv,
# hvm, hap, shadow, ...), 1 if it does not, 2 if xl info gave no
# virt_caps (it failed: a caller must not take that for a missing
# capability); the list in REPLY.
xen_has_cap() {
	REPLY=$(timeout 30 $XL info 2>/dev/null | awk -F' *: *' '$1 == "virt_caps" { print $2 }')
	[ -n "$REPLY" ] || return 2
	[[ " $REPLY " == *" $1 "* ]]
}

# xl_migrate_local NAME LOG: xl migrate of domain NAME to this same host,
# bounded in time, xl's output in LOG.  xl's -s "" makes the host
# argument the receiver's command, where it would run it through ssh: an
# xl migrate-receive here, which builds the domain anew (as NAME--incoming,
# renamed once it runs) while the sender suspends it through the same
# path as xl save.  True if xl succeeded and NAME answers again; REPLY
# says what happened.  Sets xlcrash if xl died of SIGSEGV or SIGABRT.
xl_migrate_local() {
	local rc
	timeout 300 $XL -vvv migrate -s "" "$1" "xl migrate-receive" > "$2" 2>&1
	rc=$?
	[ $rc = 134 ] || [ $rc = 139 ] && xlcrash=$((${xlcrash:-0} + 1))
	if [ $rc != 0 ]; then
		xl_why "$2"
		REPLY="xl migrate: exit $rc: $REPLY"
		return 1
	fi
	if ! domu_id "$1"; then
		REPLY="xl migrate returned 0, but xl domid $1 does not answer"
		return 1
	fi
	REPLY="migrated to this host, now domain $DOMID"
	return 0
}

# xl_migrate_cleanup NAME: destroys what a failed xl_migrate_local may
# leave besides NAME: the receiver's NAME--incoming and the sender's
# NAME--migratedaway.
xl_migrate_cleanup() {
	local n
	for n in "$1--incoming" "$1--migratedaway"; do
		timeout 60 $XL destroy "$n" > /dev/null 2>&1
	done
	return 0
}

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

# xs_key_wait KEY PREFIX SECS: wait at most SECS s until xenstore KEY's
# value starts with PREFIX; REPLY is the value.  A xenstore watch wakes it;
# if the watch dies (the testbed's defect), it reads the key twice a
# second.  XSW_PID is the watch's process while it runs.
XSW_PID=""
xs_key_wait() {
	local fd line end=$((EPOCHSECONDS + $3))
	REPLY=$(xs_read "$1")
	[[ $REPLY == "$2"* ]] && return 0
	exec {fd}< <(exec timeout "$3" xenstore-watch "$1" 2>/dev/null)
	XSW_PID=$!
	while read -r -u "$fd" line; do
		REPLY=$(xs_read "$1")
		[[ $REPLY == "$2"* ]] && break
	done
	exec {fd}<&-
	kill "$XSW_PID" 2>/dev/null
	XSW_PID=""
	while [[ $REPLY != "$2"* ]] && [ "$EPOCHSECONDS" -lt $end ]; do
		sleep 0.5
		REPLY=$(xs_read "$1")
	done
	[[ $REPLY == "$2"* ]]
}

# backend_restart NAME BE FE LOG first|last: make xvdd's backend look as if
# it restarted, through its state node: Closing (rewritten every 2 s until
# the frontend is Closed, since blkback may still be answering an earlier
# flip), then, once blkback is Closed too, InitWait.  The frontend must
# close, reconnect and carry I/O on xvdd again: the check
# "first-restart" or "last-restart" (lib/checks.sh), and the status.  Sets
# RESTART_CLOSED_COUNTERS to the frontend's counters printed while it was
# closed.
RESTART_CLOSED_COUNTERS=""
backend_restart() {
	local be=$2 fe=$3 log=$4 i n st
	RESTART_CLOSED_COUNTERS=""
	say "case $1: $5 backend restart: Closing"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		xs_write "$be/state" 5
		xs_wait "$fe/state" 6 2 && break
	done
	st=$(xs_read "$fe/state")
	if [ "$st" != 6 ]; then
		ck "$5-restart" FAIL "the frontend did not close: state $st"
		return 1
	fi
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
	if ! xs_wait "$fe/state" 4 30; then
		ck "$5-restart" FAIL "the frontend did not reconnect: state $(xs_read "$fe/state")"
		return 1
	fi
	ck_if "$5-restart" "closed, reconnected, I/O on xvdd again" "no I/O on xvdd after the reconnect" \
		wait_more "$log" '^XCI-IO-OK' "$n" 30
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
