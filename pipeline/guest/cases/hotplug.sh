# SPDX-License-Identifier: GPL-2.0-only
# The hotplug cases (hotplug, hotplug-vif, stock-hotplug,
# stock-hotplug-vif): disks and vifs attached and detached under I/O.
# Sourced by dom0.sh; defines functions and constants only.

# hotplug_case: an online resize of xvdd, then 20 block-attach/block-detach
# cycles of xvdd while the domU writes and reads it; afterwards the grant
# and page counters of both ends are back at their baseline and the domU
# is still alive.
hotplug_case() {
	local name=$1 t0 d=/var/lib/xci/hotplug loopd i b0 b1 c0 c1 log
	local spec fails=0 f0 ferr
	XL_CRASHES=0 XL_OTHER=0
	t0=$EPOCHREALTIME
	f0=$(dom0_faults)
	log="$OUT/guests/guest-$name.log"
	mkdir -p "$d"
	truncate -s 16M "$d/hot.img"
	if loopd=$(losetup -f --show "$d/hot.img"); then
		ck losetup PASS "xvdd's disk on $loopd"
	else
		ck losetup FAIL "no loop device for xvdd's disk"
	fi
	simple_domu "$name" "xmode=hotplug" 256 "" > "$d/cfg"
	spec="format=raw,vdev=xvdd,access=rw,script=/xci/block-script,target=$loopd"
	say "case $name: xl create"
	ck_xl_create "$name" "$d"
	ck_ok && ck_if domu-ready "XCI-HOTPLUG-READY" "no XCI-HOTPLUG-READY in 120 s" \
		wait_log "$log" XCI-HOTPLUG-READY 120
	b0=$(bk_counters)
	# The frontend's baseline: printed before READY, with no xvdd yet.
	c0=$(fe_counters "$log" first)
	# Online resize first: grow the loop device under a connected xvdd.
	if ck_ok && xl_dev "$name" attach "$spec"; then
		ck first-attach PASS "xvdd attached"
		sleep 2
		truncate -s 32M "$d/hot.img"
		losetup -c "$loopd"
		if wait_log "$log" '^XCI-XVDD-SIZE 65536' 30; then
			ck online-resize PASS "16 -> 32 MiB seen by the domU"
		else
			ck online-resize FAIL "the domU saw: $(grep -a '^XCI-XVDD-SIZE' "$log" | tail -1)"
		fi
		ck_if detach-after-resize "xvdd detached" "xl block-detach failed" \
			xl_dev "$name" detach "$spec"
	elif ck_ok; then
		ck first-attach FAIL "xl block-attach failed: xl exit $XL_RC: $(tail -1 "$XL_LOG")"
	fi
	if ck_ok; then
		for i in $(seq 1 "$CYCLES"); do
			xl_dev "$name" attach "$spec" || fails=$((fails + 1))
			# Let the domU's loop reach the disk, then pull it away.
			sleep 1
			xl_dev "$name" detach "$spec" || fails=$((fails + 1))
		done
		if [ $fails = 0 ]; then
			ck attach-detach-cycles PASS "$CYCLES cycles under I/O"
		else
			ck attach-detach-cycles FAIL "$fails of $((2 * CYCLES)) attach/detach calls failed (xl exit $XL_RC: $(tail -1 "$XL_LOG"))"
		fi
		sleep 5
	fi
	# The frontend's counters now: a line printed after this point (the
	# domU prints one every 2 s while xvdd is away).
	wait_more "$log" "$FE_COUNTERS_RE" "$(fe_count "$log")" 15
	b1=$(bk_counters)
	c1=$(fe_counters "$log" last)
	say "case $name: backend $b0 -> $b1; frontend $c0 -> $c1"
	if [ "$b0" = "$b1" ]; then
		ck backend-counters PASS "$b1"
	else
		ck backend-counters FAIL "$b0 -> $b1"
	fi
	if [ -n "$c0" ] && [ "$c0" = "$c1" ]; then
		ck frontend-counters PASS "$c1"
	else
		ck frontend-counters FAIL "${c0:-none} -> ${c1:-none}"
	fi
	ck_if io-reached-xvdd "XCI-IO-OK" "no XCI-IO-OK from the domU" \
		grep -a -q 'XCI-IO-OK' "$log"
	if grep -a -q '^XCI-IO-MISMATCH' "$log" 2>/dev/null; then
		ck xvdd-read-back FAIL "$(grep -a -m 1 '^XCI-IO-MISMATCH' "$log")"
	else
		ck xvdd-read-back PASS "no XCI-IO-MISMATCH"
	fi
	ck_if domu-alive "xl still knows it" "xl domid failed: the domU died" \
		$XL domid "$name" > /dev/null 2>&1
	domu_kernel_check "$log" domu-kernel
	# Every attach must connect: an error our frontend reported to the
	# store (xenbus_dev_fatal: "vbd vbd-51760: 28 allocating buffers",
	# the grant references run out) fails the case.
	ferr=$(grep -a -c -E 'vbd vbd-51760: -?[0-9]+ ' "$log" 2>/dev/null)
	if [ "${ferr:-0}" = 0 ]; then
		ck frontend-errors PASS "none reported to the store"
	else
		ck frontend-errors FAIL "$ferr, the last: $(grep -a -E 'vbd vbd-51760: -?[0-9]+ ' "$log" | tail -1 | sed 's/.*vbd-51760: //')"
	fi
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
	local flips_attach=""
	ck_ok && { xl_dev "$name" attach "$spec" && flips_attach=1 ||
		ck flips-attach FAIL "xl block-attach failed: xl exit $XL_RC: $(tail -1 "$XL_LOG")"; }
	if [ -n "$flips_attach" ]; then
		local be fe domid poller cz seen
		ck flips-attach PASS "xvdd attached for the restarts"
		ck_if xl-domid "xl domid answered" "xl domid failed" domu_id "$name"
		domid=$DOMID
		be=/local/domain/0/backend/vbd/$domid/51760
		fe=/local/domain/$domid/device/vbd/51760
		# Every 0.25 s: each restart holds the frontend Closed for
		# over a second, and every read is two process starts, which
		# the testbed's defect feeds on (README).
		( while :; do xs_read "$fe/state" || echo x; sleep 0.25; done ) > "$d/fe-states" &
		poller=$!
		sleep 1
		ck_ok && backend_restart "$name" "$be" "$fe" "$log" first
		cz=$RESTART_CLOSED_COUNTERS
		if ck_ok; then
			if [ "$cz" = "$c0" ]; then
				ck counters-when-closed PASS "$cz"
			else
				ck counters-when-closed FAIL "$c0 -> ${cz:-none}"
			fi
		fi
		if ck_ok; then
			say "case $name: 20 fast rounds of backend states"
			for i in $(seq 1 20); do
				xs_write "$be/state" 5; sleep 0.1
				xs_write "$be/state" 2; sleep 0.1
				xs_write "$be/state" 4; sleep 0.1
			done
			sleep 3
			backend_restart "$name" "$be" "$fe" "$log" last
			cz=$RESTART_CLOSED_COUNTERS
			if ck_ok; then
				if [ "$cz" = "$c0" ]; then
					ck counters-when-closed-after-flips PASS "$cz"
				else
					ck counters-when-closed-after-flips FAIL "$c0 -> ${cz:-none}"
				fi
			fi
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
		if ck_ok; then
			if [ "${seen:-0}" -ge 2 ]; then
				ck frontend-reconnects PASS "$seen closes and reconnects seen"
			else
				ck frontend-reconnects FAIL "${seen:-unreadable} closes and reconnects seen, not 2 or more"
			fi
		fi
		ck_if domu-alive-after-flips "xl still knows it" "xl domid failed: the domU died in the state flips" \
			$XL domid "$name" > /dev/null 2>&1
		domu_kernel_check "$log" domu-kernel-after-flips
		flips=", backend restarts and 60 fast state flips: the frontend closed and reconnected $seen times, closed with counters at baseline ($cz), and carried I/O after each restart"
	fi
	$XL destroy "$name" >/dev/null 2>&1
	sleep 3
	b2=$(bk_counters)
	if [ "$b0" = "$b2" ]; then
		ck backend-counters-after-destroy PASS "$b2"
	else
		ck backend-counters-after-destroy FAIL "$b0 -> $b2"
	fi
	losetup -d "$loopd" 2>/dev/null
	rm -rf "$d"
	local crashes=""
	[ $XL_CRASHES = 0 ] || crashes=", xl failed $XL_CRASHES times ($XL_OTHER of them neither a crash nor the hotplug script's defect) and was retried (testbed, see README; last failures in xl-failures.log)"
	flake_evidence "$f0" "$log" "${XL_CRASHES#0}"
	ck_why
	CASE_T0=$t0 CASE_WHY="$REPLY${REPLY:+$crashes}"
	CASE_DETAIL="online resize 16->32 MiB seen by the domU, $CYCLES attach/detach cycles under I/O, counters back at baseline ($b1; $c1)$flips$crashes"
}

# VIF_COUNTERS_RE: a complete vif counters line of domu.sh's vifhotplug mode.
VIF_COUNTERS_RE='^XCI-VIF-COUNTERS grants=[0-9]+ pages=[0-9]+ lost=[0-9]+ oopses=[0-9]+'

# rate_check NAME IP: the toolstack's "rate" key, set while the vif is
# connected.  dom0's 60 KB pings make the domU answer with 41 fragments
# each against a credit of 20 KB per 100 ms: the answers must come, and
# our netback must have made its transmit ring wait for credit
# (credit_waits; Debian's netback has no such counter, so with it only
# the answers count).  Without the key again, the domU must answer as
# before.  Its checks are rate-vif, rate-key, rate-pings, rate-credit-waits
# (our netback only) and rate-removed; sets RATE_DETAIL.
rate_check() {
	local domid dev be="" ifc w0 w1 got
	RATE_DETAIL=""
	domid=$($XL domid "$1" 2>/dev/null)
	for dev in $(timeout 10 xenstore-list "/local/domain/0/backend/vif/$domid" 2>/dev/null); do
		[ "$(xs_read "/local/domain/0/backend/vif/$domid/$dev/state")" = 4 ] &&
			be=/local/domain/0/backend/vif/$domid/$dev ifc=vif$domid.$dev
	done
	if [ -z "$be" ]; then
		ck rate-vif FAIL "no connected vif of domain ${domid:-?} in the store"
		return 0
	fi
	ck rate-vif PASS "$be"
	w0=$(xnet stat "$ifc" credit_waits 2>/dev/null)
	ck_if rate-key "20000,100000" "$be/rate not written" xs_write "$be/rate" "20000,100000" || return 0
	sleep 1		# for the backend's watch
	got=$(ping -q -c 4 -i 0.5 -W 10 -s 60000 "$2" 2>/dev/null | awk '/transmitted/ { print $4 }')
	w1=$(xnet stat "$ifc" credit_waits 2>/dev/null)
	timeout 10 xenstore-rm "$be/rate" 2>/dev/null
	if [ "${got:-0}" -gt 0 ]; then
		ck rate-pings PASS "${got:-0} of 4 60 KB pings answered"
	else
		ck rate-pings FAIL "none of 4 60 KB pings answered"
	fi
	RATE_DETAIL=", rate 20000,100000 set while connected: ${got:-0} of 4 60 KB pings answered"
	if [ -n "$w0" ]; then
		if [ "${w1:-0}" -gt "$w0" ]; then
			ck rate-credit-waits PASS "$w0 -> $w1"
		else
			ck rate-credit-waits FAIL "$w0 -> ${w1:-none}: the transmit ring never waited for credit"
		fi
		RATE_DETAIL="$RATE_DETAIL, credit waits $w0 -> $w1"
	fi
	ck_if rate-removed "the domU answers once the key is gone" "no ping once the key was removed" \
		ping_domu "$2" 30 > /dev/null
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
	local name=$1 t0 d=/var/lib/xci/vifhot log c0 c1 b0 b1 i fails=0 f0 slow=0 secs
	local flood sent=0 got=0 RATE_DETAIL=""
	local spec="mac=$VIF_MAC,bridge=xenbr0,script=/xci/vif-script" ip=10.99.0.4
	XL_CRASHES=0 XL_OTHER=0
	t0=$EPOCHREALTIME
	f0=$(dom0_faults)
	log="$OUT/guests/guest-$name.log"
	mkdir -p "$d"
	simple_domu "$name" "xmode=vifhotplug xip=$ip xpeer=10.99.0.1" 256 "" > "$d/cfg"
	say "case $name: xl create"
	ck_xl_create "$name" "$d"
	ck_ok && ck_if domu-ready "XCI-VIFHOT-READY" "no XCI-VIFHOT-READY in 120 s" \
		wait_log "$log" XCI-VIFHOT-READY 120
	c0=$(fe_counters "$log" first "$VIF_COUNTERS_RE")
	b0=$(vif_bk)
	if ck_ok; then
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
			if ! secs=$(ping_domu $ip 60); then
				slow=$((slow + 1))
				# What the bridge had (each port's flags and
				# state), and both ends' states and the hotplug
				# script's status in xenstore, for the log: the
				# domU's console says which eth* it brought up.
				say "case $name: attach $i: no ping in 60 s; on xenbr0: $(ip -o link show master xenbr0 2>/dev/null | awk '{ s = "?"; for (k = 1; k < NF; k++) if ($k == "state") s = $(k + 1); printf "%s %s %s; ", $2, $3, s }')xenstore: $(timeout 5 xenstore-ls -f /local/domain 2>/dev/null | grep -E '/(backend|device)/vif/[0-9/]+/(state|hotplug-status) =' | tr -s ' \n' ' ')"
			fi
			xl_dev "$name" detach "$spec" vif || fails=$((fails + 1))
		done
		children "$flood"
		{ kill -KILL "$flood"; wait "$flood"; } 2>/dev/null
		kill -INT $KIDS 2>/dev/null
		sleep 1
		read -r sent got < <(awk '/transmitted/ { s += $1; r += $4 } END { print s + 0, r + 0 }' "$d/flood.txt")
		if [ "$got" -gt 0 ]; then
			ck flood-answered PASS "$got of $sent pings answered during the cycles"
		else
			ck flood-answered FAIL "none of $sent pings answered during the cycles"
		fi
		if [ $fails = 0 ]; then
			ck attach-detach-cycles PASS "$CYCLES cycles under a ping flood"
		else
			ck attach-detach-cycles FAIL "$fails of $((2 * CYCLES)) attach/detach calls failed (xl exit $XL_RC: $(tail -1 "$XL_LOG"))"
		fi
		if [ $slow = 0 ]; then
			ck ping-after-each-attach PASS "each of $CYCLES attaches pinged both ways"
		else
			ck ping-after-each-attach FAIL "no ping after $slow of $CYCLES attaches"
		fi
		# Nothing of ours may be left attached (a failed detach).
		vif_sweep "$name"
		sleep 3
	fi
	wait_more "$log" "$VIF_COUNTERS_RE" "$(fe_count "$log" "$VIF_COUNTERS_RE")" 15
	c1=$(fe_counters "$log" last "$VIF_COUNTERS_RE")
	say "case $name: frontend $c0 -> $c1"
	if [ -n "$c0" ] && [ "$c0" = "$c1" ]; then
		ck frontend-counters PASS "$c1"
	else
		ck frontend-counters FAIL "${c0:-none} -> ${c1:-none}"
	fi
	b1=$(vif_bk)
	[ -n "$b0" ] && say "case $name: backend $b0 -> $b1"
	if [ "$b0" = "$b1" ]; then
		ck backend-counters PASS "${b1:-not our backend}"
	else
		ck backend-counters FAIL "${b0:-none} -> ${b1:-none}"
	fi
	# Once more, and the domU must be reachable.
	if ck_ok && xl_dev "$name" attach "$spec" vif; then
		ck last-attach PASS "vif attached"
		if secs=$(ping_domu $ip 60); then
			ck ping-after-last-attach PASS "in $secs s"
			rate_check "$name" "$ip"
		else
			ck ping-after-last-attach FAIL "no answer in 60 s"
		fi
	elif ck_ok; then
		ck last-attach FAIL "xl network-attach failed: xl exit $XL_RC: $(tail -1 "$XL_LOG")"
	fi
	ck_if domu-alive "xl still knows it" "xl domid failed: the domU died" \
		$XL domid "$name" > /dev/null 2>&1
	domu_kernel_check "$log" domu-kernel
	$XL destroy "$name" >/dev/null 2>&1
	rm -rf "$d"
	local crashes=""
	[ $XL_CRASHES = 0 ] || crashes=", xl failed $XL_CRASHES times ($XL_OTHER of them neither a crash nor a hotplug script's defect) and was retried (testbed, see README; last failures in xl-failures.log)"
	flake_evidence "$f0" "$log" "${XL_CRASHES#0}"
	ck_why
	CASE_T0=$t0 CASE_WHY="$REPLY${REPLY:+$crashes}"
	CASE_DETAIL="$CYCLES network-attach/detach cycles under a ping flood from dom0 ($got of $sent answered), each pinged both ways, our frontend's counters back at baseline ($c1)${b1:+, our backend at baseline too ($b1)}, a last attach pinged in ${secs:-?} s$RATE_DETAIL$crashes"
}
