# SPDX-License-Identifier: GPL-2.0-only
# The saverestore cases (saverestore, stock-saverestore): xl save and
# restore of a domU in the middle of its I/O.
# Sourced by dom0.sh; defines functions and constants only.

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
	flake_evidence "$f0" "$log" "${xlcrash#0}"
	CASE_T0=$t0 CASE_WHY=$why
	CASE_DETAIL="xl save and restore during I/O, $(grep -a '^XCI-CHECK vbd-save-restore' "$log" | cut -d' ' -f4- | tr -d '\r'); xvdb limits $lim0 before, $lim1 after the restore to a backend with fewer features (${split:-0} requests in flight split again); $garp gratuitous ARP on the bridge; vif: $(grep -a '^XCI-CHECK vif-save-restore' "$log" | cut -d' ' -f4- | tr -d '\r'); TCP stream to the domU across it (in flight at the save: $inflight): $(grep -a '^XCI-CHECK vif-stream-save-restore' "$log" | cut -d' ' -f4- | tr -d '\r')"
}
