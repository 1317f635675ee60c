# SPDX-License-Identifier: GPL-2.0-only
# The hostile-backend case of the ours plan, sourced by dom0.sh (which
# mkinitramfs.sh puts in /xci, with this file in /xci/cases).  It only
# defines functions; it uses dom0.sh's and lib/'s helpers (say, sleep,
# simple_domu, wait_log, wait_more, log_match, dom0_faults, $XL, $OUT)
# and is run by case_once (cases.tbl, lib/retry.sh).
#
# An event storm while NAPI is disabled (XSA-391 class), against our
# netfront: an idle PV domU of ours gets a vif whose backend is xhostbe
# (pipeline/tools/xhostbe.c), on a backend path dom0's netback does not
# watch.  Nobody brings the domU's eth0 up, so its NAPI stays disabled
# while the receive requests it posted at connect wait in the ring.
# xhostbe then
#  1. (storm) moves rx rsp_prod one forward, with a plausible response,
#     and sends events in a tight loop for 30 s;
#  2. (backwards) moves rsp_prod one back and sends events for up to 10 s;
#  3. (closing while mapped) goes Closing with the receive ring still
#     mapped, and writes over its slots once the frontend has closed.
# Then a second vif, which the domU brings up, gets the page-take attack
# (hb_take: a long packet answered into a page the backend still maps).
# Checks:
#  - the storm costs the domU no more than HB_BUDGET of vCPU time above
#    its rate in a quiet 10 s window just before (xl list's Time(s));
#  - the storm reaches the frontend's handler at most HB_IRQ_MAX times
#    (the domU counts the vif's interrupts, domu.sh idle mode);
#  - on the backwards step the frontend goes Closing (xenbus_dev_fatal);
#  - closed while the backend is still Closing with its receive ring
#    mapped, the frontend still owns every page of the connection (its
#    page count is what it was while connected): a grant ended then goes
#    to the next grant of the domain, and a late copy of the backend
#    would land in that page; once the backend has unmapped and closed,
#    its pages are back at their count before the vif, none lost;
#  - the domU is alive afterwards (it still prints its heartbeat, xl
#    knows it), without an oops; xhostbe removed its xenstore nodes.
# A netfront that takes every event as work while it cannot do any (one
# that only compares rsp_prod with its consumer index) acknowledges each
# one at once, and one vCPU spends the storm in its handler; one that
# takes an event as spurious unless the unconsumed responses grew lets
# late EOI slow the storm down to about one event a second, and it finds
# the producer index going backwards and closes the device.

# The storm's length and the quiet window's, in seconds.
HB_STORM=30
HB_QUIET=10
# The storm's budget, in tenths of a second of the domU's vCPU time above
# the quiet rate, for HB_STORM seconds of storm: 5 s, a sixth of one vCPU.
# A netfront that acknowledges every event as work keeps one vCPU in its
# handler for nearly all of the 30 s (it takes events as fast as dom0 can
# send them).  One that takes them as spurious gets the first event after
# rsp_prod moved as work and the rest with late EOI: at most two events
# a jiffy reach it (see HB_IRQ_MAX), 1.8 s of vCPU measured over the 30 s
# against 7.9 s before the fix.  5 s lies between the two and
# leaves room for the testbed's noise (TCG, xl's 0.1 s resolution, the
# domU's 2 s heartbeat).
HB_BUDGET=50
# Interrupts of the vif the storm may bring to the domU.  Late EOI, as
# Linux's events core does it, lets through at most two spurious events a
# jiffy (its worker that sends a held-back EOI resets the spurious count):
# 500 a second at HZ=250, 15000 in 30 s (measured: 6390).  A netfront that
# takes every event as work takes one per event: 503224 measured before
# the fix.
HB_IRQ_MAX=20000
# The vif's handle (xl's vifs count from 0; this one is none of theirs),
# and the page-take step's.
HB_HANDLE=7
HB_TAKE_HANDLE=8
HB_BASE=/local/domain/0/backend/xci-vif

# hb_tool: the path of xhostbe (built by build-tools.sh into build/out/tools,
# which dom0 sees over 9p; /xci if an initramfs carries it).
hb_tool() {
	local t
	for t in /xci/xhostbe "$XTOP/build/out/tools/xhostbe"; do
		[ -x "$t" ] && { echo "$t"; return 0; }
	done
	return 1
}

# hb_cpu NAME: sets HB_CPU to the CPU time domain NAME has used so far, in
# tenths of a second (xl list's Time(s), all vCPUs), or to "" if xl could
# not tell (3 tries: xl dies of the testbed's defect now and then), and
# HB_T to when, in tenths of a second (the middle of the xl call).
hb_cpu() {
	local i out line t a b
	HB_CPU=""
	for i in 1 2 3; do
		a=${EPOCHREALTIME//[.,]/}
		out=$(timeout 20 $XL list "$1" 2>/dev/null)
		b=${EPOCHREALTIME//[.,]/}
		line=${out#*$'\n'}
		t=""
		read -r _ _ _ _ _ t _ <<< "$line"
		case $t in
		[0-9]*.[0-9]) HB_CPU=$((10#${t/./})); break ;;
		esac
	done
	HB_T=$(((a + b) / 200000))
}

# hb_secs TENTHS: TENTHS of a second as seconds, "12.3" ("-0.4").
hb_secs() {
	local v=$1 s=""
	[ "$v" -lt 0 ] && s=- v=$((-v))
	echo "$s$((v / 10)).$((v % 10))"
}

# hb_irqs LOG: sets HB_IRQS to the vif's interrupt count in the domU's last
# heartbeat ("" if it has none yet).
hb_irqs() {
	log_match "$1" last '^XCI-IDLE [0-9]+ eth0=[^ ]+ irqs=[0-9]+'
	HB_IRQS=${REPLY##*irqs=}
	[ -n "$REPLY" ] || HB_IRQS=""
}

# hb_pages LOG: HB_PAGES and HB_LOST, the pages our netfront owns and
# has lost, from the domU's last heartbeat ("" if none says).
hb_pages() {
	log_match "$1" last '^XCI-IDLE [0-9]+ eth0=[^ ]+ irqs=[^ ]+ pages=[0-9]+ lost=[0-9]+'
	HB_PAGES="" HB_LOST=""
	[[ $REPLY =~ pages=([0-9]+)\ lost=([0-9]+) ]] &&
		HB_PAGES=${BASH_REMATCH[1]} HB_LOST=${BASH_REMATCH[2]}
	return 0
}

# hb_beat LOG SECONDS: wait for the domU's next heartbeat.
hb_beat() {
	log_match "$1" count '^XCI-IDLE [0-9]+ '
	wait_more "$1" '^XCI-IDLE [0-9]+ ' "$REPLY" "$2"
}

# hb_stop PID SECONDS: wait up to SECONDS for xhostbe to end, then stop it
# (it cleans up on SIGTERM, in at most 30 s), then kill it.  Sets HB_RC to
# its exit status.
hb_stop() {
	local end=$((EPOCHSECONDS + $2))
	while kill -0 "$1" 2>/dev/null && [ "$EPOCHSECONDS" -lt $end ]; do
		sleep 0.5
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -TERM "$1" 2>/dev/null
		end=$((EPOCHSECONDS + 35))
		while kill -0 "$1" 2>/dev/null && [ "$EPOCHSECONDS" -lt $end ]; do
			sleep 0.5
		done
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	HB_RC=$?
}

# hb_take NAME TOOL DOMID LOG DIR P0 L0: the page-take step.  A second vif,
# whose backend (xhostbe -t) answers a receive request with a 3000-byte
# packet while it still maps the request's page; the domU brings this
# vif up (its MAC, domu.sh idle mode), so that its NAPI takes the packet.
# Our netfront makes a long packet's slot pages skb fragments: it must
# find the grant still in use, and close rather than hand a page the
# backend can write to its stack.  Then, unmapped and closed, every page
# is back (P0 and L0, the pages owned and lost before any vif).  Checks
# take-connected, take-vif-up, take-closing, take-said, take-pages-back;
# sets HB_TAKE to a summary.  Keeps HB_RC, unless xhostbe -t died of a
# fault signal (the testbed's defect, for hb_end).
hb_take() {
	local name=$1 tool=$2 domid=$3 log=$4 d=$5 p0=$6 l0=$7
	local out=$5/take.out pid rc=$HB_RC line res gref
	HB_TAKE="no page-take step"
	say "case $name: xhostbe -t plays the backend of vif $domid/$HB_TAKE_HANDLE"
	"$tool" -t -w 60 -g 30 -l 150 "$domid" $HB_TAKE_HANDLE > "$out" 2> "$d/take.err" &
	pid=$!
	wait_log "$out" '^XHOSTBE (connected|result)' 90
	log_match "$out" first '^XHOSTBE connected.*'
	if [ -n "$REPLY" ]; then
		ck take-connected PASS "${REPLY#XHOSTBE }"
		if wait_log "$log" '^XCI-IDLE-UP eth0' 20; then
			ck take-vif-up PASS "the domU brought eth0 up"
			# Up for a heartbeat: its NAPI is enabled.
			hb_beat "$log" 10
		else
			ck take-vif-up FAIL "no XCI-IDLE-UP in 20 s"
		fi
		kill -USR1 "$pid"
		wait_log "$out" '^XHOSTBE result' 60
	else
		log_match "$out" first '^XHOSTBE error.*'
		ck take-connected FAIL "${REPLY:-xhostbe -t said nothing in 90 s}"
		kill -TERM "$pid" 2>/dev/null
	fi
	hb_stop "$pid" 40
	log_match "$out" first '^XHOSTBE take .*'
	line=${REPLY#XHOSTBE take }
	log_match "$out" first '^XHOSTBE result take .*'
	res=$REPLY
	# Closing, and xhostbe -t ended by itself, cleaned up.
	if [[ $line == *closing=yes* && $res == *closing=yes\ exit=0 && $HB_RC == 0 ]]; then
		ck take-closing PASS "$line"
	else
		ck take-closing FAIL "${line:-no take step}; ${res:-no result line} (xhostbe -t exit $HB_RC)"
	fi
	log_match "$out" first '^XHOSTBE cleanup .*removed=yes'
	[ -z "$REPLY" ] && HB_TAKE_MORE=", xhostbe -t left xenstore nodes (removed by the case)"
	# The one grant the breach may be logged for (domu_kernel_check).
	log_match "$out" first '^XHOSTBE take-start .* gref=[0-9]+'
	gref=${REPLY##*gref=}
	[ -n "$gref" ] && HB_KTYPE=$(printf 'grant-breach:%#x' "$gref")
	log_match "$log" first "vif-$HB_TAKE_HANDLE [^ ]*: queue [0-9]+: backend still uses a receive buffer it answered"
	if [ -n "$REPLY" ]; then
		ck take-said PASS "${REPLY//$'\r'/}"
	else
		ck take-said FAIL "the domU did not say the backend still used a receive buffer"
	fi
	if hb_beat "$log" 10 && hb_beat "$log" 10; then
		hb_pages "$log"
	else
		HB_PAGES="" HB_LOST=""
	fi
	if [ -n "$p0" ] && [ "$HB_PAGES" = "$p0" ] && [ "$HB_LOST" = "$l0" ]; then
		ck take-pages-back PASS "pages=$HB_PAGES lost=$HB_LOST"
	else
		ck take-pages-back FAIL "pages=${HB_PAGES:-?} lost=${HB_LOST:-?} (no fresh heartbeat if ?), want pages=${p0:-?} lost=${l0:-?}"
	fi
	HB_TAKE="a 3000-byte packet answered into a page the backend still mapped: ${line:-no verdict}"
	cp "$out" "$OUT/$name-xhostbe-take.txt" 2>/dev/null
	case $HB_RC in 134|135|139) ;; *) HB_RC=$rc ;; esac
	return 0
}

# hb_domu NAME DIR LOG: how both hostile cases start: xhostbe found
# (HB_TOOL), and an idle PV domU NAME created from DIR/cfg and ready
# (checks xhostbe-tool, xl-create, domu-ready).
hb_domu() {
	if HB_TOOL=$(hb_tool); then
		ck xhostbe-tool PASS "$HB_TOOL"
	else
		ck xhostbe-tool FAIL "neither /xci/xhostbe nor build/out/tools/xhostbe"
	fi
	simple_domu "$1" "xmode=idle" 256 "" > "$2/cfg"
	if ck_ok; then
		say "case $1: xl create"
		ck_xl_create "$1" "$2"
	fi
	ck_ok && ck_if domu-ready "XCI-IDLE-READY" "no XCI-IDLE-READY in 120 s" \
		wait_log "$3" '^XCI-IDLE-READY' 120
	return 0
}

# hb_end NAME DIR LOG PID DOMID F0 NODE...: how both hostile cases end,
# once xhostbe (PID, its output in DIR/xhostbe.out) has stopped: the
# xenstore NODEs it could not remove go (HB_MORE says so), the domU must
# still be alive with a clean kernel (domu-heartbeat-after,
# domu-alive-after, domu-kernel, of TYPE HB_KTYPE), is destroyed,
# xhostbe's output is kept in $OUT, DIR goes, and FLAKE is set (xhostbe
# killed by a fault counts).
hb_end() {
	local name=$1 d=$2 log=$3 pid=$4 domid=$5 f0=$6 node
	shift 6
	HB_MORE=""
	log_match "$d/xhostbe.out" first '^XHOSTBE cleanup .*removed=yes'
	[ -n "$pid" ] && [ -z "$REPLY" ] && HB_MORE=", xhostbe left xenstore nodes (removed by the case)"
	for node in "$@"; do
		timeout 10 xenstore-rm "$node" 2>/dev/null
	done
	if [ -n "$domid" ]; then
		ck_if domu-heartbeat-after "a heartbeat within 20 s" "no heartbeat within 20 s after the attack" \
			hb_beat "$log" 20
		ck_if domu-alive-after "xl still knows it" "xl domid failed: the domU died" \
			timeout 30 $XL domid "$name" > /dev/null 2>&1
	fi
	domu_kernel_check "$log" domu-kernel "${HB_KTYPE:-}"
	$XL destroy "$name" >/dev/null 2>&1
	cp "$d/xhostbe.out" "$OUT/$name-xhostbe.txt" 2>/dev/null
	[ -s "$d/xhostbe.err" ] && cp "$d/xhostbe.err" "$OUT/$name-xhostbe.err"
	rm -rf "$d"
	flake_evidence "$f0" "$log"
	# xhostbe itself killed by a fault (SIGSEGV, SIGABRT, SIGBUS).
	case $HB_RC in 134|135|139) FLAKE="$FLAKE${FLAKE:+ }xhostbe-killed-by-signal-$((HB_RC - 128))" ;; esac
	return 0
}

# hostile_backend_case NAME: see the top of this file.  Sets CASE_T0,
# CASE_WHY (empty if it passed), CASE_DETAIL and FLAKE, for case_once.
hostile_backend_case() {
	local name=$1 t0 d=/var/lib/xci/hostbe log out f0 tool domid="" i
	local pid="" q0="" q1="" s1="" qt0 qt1 st1 qcpu scpu want extra="" irq0="" irq1=""
	local irqs="" events="" back="" fe="" more="" sent="" p0="" l0="" pc="" pconn="" closed=""
	HB_RC="" HB_TAKE="no page-take step" HB_TAKE_MORE=""
	# Set by the page-take step to the grant its breach is logged for.
	HB_KTYPE=""
	t0=$EPOCHREALTIME
	f0=$(dom0_faults)
	log="$OUT/guests/guest-$name.log"
	out=$d/xhostbe.out
	mkdir -p "$d"
	# What an earlier try that was killed may have left.
	timeout 10 xenstore-rm "$HB_BASE" 2>/dev/null
	hb_domu "$name" "$d" "$log"
	tool=$HB_TOOL
	if ck_ok; then
		# Our netfront's pages before the vif.
		hb_beat "$log" 10
		hb_pages "$log"
		p0=$HB_PAGES l0=$HB_LOST
		ck_if xl-domid "xl domid answered" "xl domid failed" domu_id "$name"
		domid=$DOMID
	fi
	if ck_ok; then
		fe=/local/domain/$domid/device/vif/$HB_HANDLE
		say "case $name: xhostbe plays the backend of vif $domid/$HB_HANDLE"
		# Holds of up to 60 s for our SIGUSR1 before each attack; the
		# whole run bounded to 240 s.
		"$tool" -s $HB_STORM -b 10 -w 60 -g 60 -l 240 "$domid" $HB_HANDLE \
			> "$out" 2> "$d/xhostbe.err" &
		pid=$!
		wait_log "$out" '^XHOSTBE (connected|result)' 90
		log_match "$out" first '^XHOSTBE connected.*'
		if [ -n "$REPLY" ]; then
			ck backend-connected PASS "$REPLY"
		else
			log_match "$out" first '^XHOSTBE error.*'
			ck backend-connected FAIL "${REPLY:-xhostbe said nothing in 90 s}"
		fi
	fi
	if ck_ok; then
		# The new eth0, seen by the domU, and down.
		ck_if vif-seen-in-domU "eth0 in the domU's heartbeat" "no eth0 in the domU's heartbeat in 30 s" \
			wait_log "$log" '^XCI-IDLE [0-9]+ eth0=0x' 30
		hb_beat "$log" 10
		# And the pages our netfront owns for this connection.
		hb_pages "$log"
		pconn=$HB_PAGES
		log_match "$log" last '^XCI-IDLE [0-9]+ eth0=[^ ]+'
		case ${REPLY##*eth0=} in
		0x*[13579bdfBDF]) ck vif-down-in-domU FAIL "eth0 flags ${REPLY##*eth0=}: up" ;;
		*) ck vif-down-in-domU PASS "eth0 flags ${REPLY##*eth0=}" ;;
		esac
	fi
	if ck_ok; then
		say "case $name: quiet window of $HB_QUIET s"
		hb_cpu "$name"; q0=$HB_CPU qt0=$HB_T
		sleep $HB_QUIET
		hb_cpu "$name"; q1=$HB_CPU qt1=$HB_T
		hb_irqs "$log"; irq0=$HB_IRQS
		say "case $name: storm for $HB_STORM s"
		kill -USR1 "$pid"
		wait_log "$out" '^XHOSTBE (storm |result)' $((HB_STORM + 60))
		hb_cpu "$name"; s1=$HB_CPU st1=$HB_T
		# The first heartbeat after the storm has the interrupt count.
		hb_beat "$log" 10
		hb_irqs "$log"; irq1=$HB_IRQS
		log_match "$out" first '^XHOSTBE storm events=[0-9]+'
		events=${REPLY##*=}
		if [ "${events:-0}" -ge 1000 ]; then
			ck storm-sent PASS "$events events in $HB_STORM s"
		else
			ck storm-sent FAIL "${events:-no} events (at least 1000 wanted)"
		fi
		say "case $name: rsp_prod backwards"
		kill -USR1 "$pid"
		sent=1
		# Then xhostbe goes Closing with the ring still mapped; what
		# our netfront owns once it has closed, two heartbeats later.
		wait_log "$out" '^XHOSTBE (closed-mapped|result)' 40
		log_match "$out" first '^XHOSTBE closed-mapped frontend-state=6 .*'
		closed=$REPLY
		if [ -n "$closed" ]; then
			hb_beat "$log" 10
			hb_beat "$log" 10
			hb_pages "$log"
			pc=$HB_PAGES
		fi
		if [ -z "$closed" ]; then
			log_match "$out" first '^XHOSTBE (closed-mapped|error).*'
			ck pages-kept-until-closed FAIL "${REPLY:-no closed-mapped step} (xhostbe exit ${HB_RC:-still running})"
		elif [ -n "$pconn" ] && [ "$pc" = "$pconn" ] && [ "$pconn" -gt "${p0:-0}" ]; then
			ck pages-kept-until-closed PASS "closed, the backend still Closing with the ring mapped: all $pc pages of the connection kept ($p0 before the vif)"
		else
			ck pages-kept-until-closed FAIL "closed, the backend still Closing with the ring mapped: ${pc:-?} pages owned, ${pconn:-?} while connected, ${p0:-?} before the vif: pages given up (or their grants ended) while the backend could still write them"
		fi
		kill -USR1 "$pid"
	fi
	# Phase 2 lasts up to 10 s, the clean-up a few more.  An xhostbe we
	# did not let attack stops now, cleaning up.
	[ -n "$pid" ] && [ -z "$sent" ] && kill -TERM "$pid" 2>/dev/null
	[ -n "$pid" ] && hb_stop "$pid" 60
	if [ -n "$sent" ] && ck_ok; then
		log_match "$out" first '^XHOSTBE error frontend left Connected.*'
		if [ -n "$REPLY" ]; then
			ck connected-through-storm FAIL "the frontend left Connected during the storm"
		else
			ck connected-through-storm PASS "the frontend stayed Connected"
		fi
		log_match "$out" first '^XHOSTBE backwards .*'
		back=$REPLY
		case $back in
		*closing=yes*) ck closing-after-rsp-back PASS "${back#XHOSTBE backwards }" ;;
		*closing=no*) ck closing-after-rsp-back FAIL "not Closing after rsp_prod went back: ${back#XHOSTBE backwards }" ;;
		*) ck closing-after-rsp-back FAIL "no backwards step (xhostbe exit $HB_RC)" ;;
		esac
		# Why, where the toolstack reads it: xenbus_dev_fatal()'s
		# record "<errno> <message>" in the domU's
		# error/<nodename>/error (EPROTO, 71, from our netfront).
		if [[ $back == *closing=yes* ]]; then
			v=$(xs_read "/local/domain/$domid/error/device/vif/$HB_HANDLE/error")
			if [[ $v =~ ^[1-9][0-9]*\ [^\ ] ]]; then
				ck error-recorded PASS "error/device/vif/$HB_HANDLE/error: $v"
			else
				ck error-recorded FAIL "error/device/vif/$HB_HANDLE/error: '$v', not \"<errno> <message>\""
			fi
		fi
		if [ "$HB_RC" = 0 ] || [ "$HB_RC" = 1 ]; then
			ck xhostbe-exit PASS "exit $HB_RC"
		else
			ck xhostbe-exit FAIL "exit $HB_RC"
		fi
	fi
	# Unmapped and Closed: every page back, none lost.
	# (On the backend's Closed or, if the frontend missed that before
	# xhostbe removed the directories, on the device's removal.)
	if [ -n "$closed" ] && { [ "$HB_RC" = 0 ] || [ "$HB_RC" = 1 ]; }; then
		hb_beat "$log" 10
		hb_beat "$log" 10
		hb_pages "$log"
		if [ -n "$p0" ] && [ "$HB_PAGES" = "$p0" ] && [ "$HB_LOST" = "$l0" ]; then
			ck pages-back-after-close PASS "pages=$HB_PAGES lost=$HB_LOST"
		else
			ck pages-back-after-close FAIL "pages=${HB_PAGES:-?} lost=${HB_LOST:-?}, want pages=${p0:-?} lost=${l0:-?}"
		fi
	fi
	# The vCPU time of the storm, against the quiet rate.
	if [ -n "$events" ]; then
		if [ -n "$q0" ] && [ -n "$q1" ] && [ -n "$s1" ] && [ $((qt1 - qt0)) -gt 0 ]; then
			qcpu=$((q1 - q0))
			scpu=$((s1 - q1))
			want=$((qcpu * (st1 - qt1) / (qt1 - qt0)))
			extra=$((scpu - want))
			say "case $name: quiet $(hb_secs $qcpu) s of vCPU in $(hb_secs $((qt1 - qt0))) s; storm $(hb_secs $scpu) s in $(hb_secs $((st1 - qt1))) s, $(hb_secs $extra) s above the quiet rate (budget $(hb_secs $HB_BUDGET) s)"
			if [ "$extra" -le "$HB_BUDGET" ]; then
				ck storm-vcpu-cost PASS "$(hb_secs $extra) s of vCPU above the quiet rate in $HB_STORM s (budget $(hb_secs $HB_BUDGET) s)"
			else
				ck storm-vcpu-cost FAIL "$(hb_secs $extra) s of vCPU above the quiet rate in $HB_STORM s (budget $(hb_secs $HB_BUDGET) s)"
			fi
		else
			ck storm-vcpu-cost FAIL "the domU's CPU time unreadable (${q0:-?},${q1:-?},${s1:-?})"
		fi
		if [ -n "$irq0" ] && [ -n "$irq1" ]; then
			irqs=$((irq1 - irq0))
			if [ "$irqs" -le "$HB_IRQ_MAX" ]; then
				ck storm-handler-calls PASS "$irqs (max $HB_IRQ_MAX)"
			else
				ck storm-handler-calls FAIL "$irqs (max $HB_IRQ_MAX)"
			fi
		fi
	fi
	# The page-take step, on a vif of its own, once the first one is
	# gone (or the new one would not be eth0), from the pages and losses
	# owned now.
	if [ -n "$domid" ] && [ -n "$tool" ]; then
		[ -n "$fe" ] && timeout 10 xenstore-rm "$fe" 2>/dev/null
		hb_beat "$log" 10
		hb_pages "$log"
		hb_take "$name" "$tool" "$domid" "$log" "$d" "$HB_PAGES" "$HB_LOST"
	fi
	# Something in the domU brought eth0 up: the attack missed its mark.
	log_match "$log" first '^XCI-IDLE-WAS-UP.*'
	if [ -n "$REPLY" ]; then
		ck vif-stayed-down FAIL "${REPLY//$'\r'/}"
	elif [ -n "$domid" ]; then
		ck vif-stayed-down PASS "no XCI-IDLE-WAS-UP"
	fi
	# What the domU said of the connection's end.
	log_match "$log" first '[^ ]*: .*disconnecting'
	[ -n "$REPLY" ] && more="; the domU said: ${REPLY//$'\r'/}"
	# xhostbe removes both directories; whatever it could not goes now.
	hb_end "$name" "$d" "$log" "$pid" "$domid" "$f0" ${fe:+"$fe"} \
		${domid:+"/local/domain/$domid/device/vif/$HB_TAKE_HANDLE"} "$HB_BASE"
	more="$HB_MORE$HB_TAKE_MORE$more"
	ck_why
	CASE_T0=$t0 CASE_WHY=$REPLY
	CASE_DETAIL="xhostbe as the backend of vif $HB_HANDLE of an idle domU, eth0 down: a storm of ${events:-?} events in $HB_STORM s cost $(hb_secs "${extra:-0}") s of vCPU above the quiet rate (budget $(hb_secs $HB_BUDGET) s), ${irqs:-?} reached the handler (max $HB_IRQ_MAX); rsp_prod one back: the frontend went Closing (${back#XHOSTBE backwards }); closed with its ring still mapped, it kept ${pc:-?} of ${pconn:-?} pages ($p0 before the vif); $HB_TAKE; the domU alive afterwards$more"
}

# The hostile-console case: a console backend that breaks the rules,
# against our console's frontend.  An idle PV domU of ours gets a
# secondary console, device/console/$HC_HANDLE, whose backend is
# xhostbe -k, on a backend path nothing else watches; the domU holds the
# terminal open (domu.sh idle mode), so that its input is echoed.
# Checks:
#  - the console connects and echoes input (both directions of the page);
#  - a storm of events that bring nothing: at most HC_IRQ_MAX reach the
#    handler (late EOI, as for the vif), and the domU stays alive;
#  - out_cons moved ahead of the domain's producer: the kernel reports the
#    ring broken, once, stops using it, and the frontend goes Closing by
#    itself (xenbus_dev_fatal), without an oops;
#  - the backend goes Closing: the frontend closes; it goes InitWait
#    again: the frontend connects anew (a new page) and echoes again;
#  - in_prod two ring sizes ahead of the domain's consumer: reported as
#    a broken ring too (so two reports in all), and the frontend goes
#    Closing by itself rather than read past its input ring;
#  - the domU alive afterwards, without an oops; nothing left in xenstore.
HC_HANDLE=1
HC_BASE=/local/domain/0/backend/xci-console
# The console storm's length in seconds, and the interrupts it may bring
# to the domU: late EOI's two a jiffy are 5000 in 10 s; a console that
# takes every event as work takes one per event, 10^5 and more.
HC_STORM=10
HC_IRQ_MAX=7000

# hc_field LOG FIELD: sets REPLY to FIELD's value in the domU's last
# heartbeat ("" if none has it).
hc_field() {
	log_match "$1" last "^XCI-IDLE [0-9]+ .* $2=[0-9]+"
	[[ $REPLY =~ \ $2=([0-9]+) ]] && REPLY=${BASH_REMATCH[1]} || REPLY=""
	return 0
}

# hostile_console_case NAME: see above.  Sets CASE_T0, CASE_WHY,
# CASE_DETAIL and FLAKE, for case_once.
hostile_console_case() {
	local name=$1 t0 d=/var/lib/xci/hostcons log out f0 tool domid="" pid=""
	local irq0="" irq1="" irqs="" events="" b0="" b1="" res="" more=""
	HB_RC="" HB_KTYPE=""
	t0=$EPOCHREALTIME
	f0=$(dom0_faults)
	log="$OUT/guests/guest-$name.log"
	out=$d/xhostbe.out
	mkdir -p "$d"
	timeout 10 xenstore-rm "$HC_BASE" 2>/dev/null
	hb_domu "$name" "$d" "$log"
	tool=$HB_TOOL
	if ck_ok; then
		hb_beat "$log" 10
		hc_field "$log" consbroken
		b0=$REPLY
		ck_if xl-domid "xl domid answered" "xl domid failed" domu_id "$name"
		domid=$DOMID
	fi
	if ck_ok; then
		say "case $name: xhostbe plays the backend of console $domid/$HC_HANDLE"
		"$tool" -k -s $HC_STORM -w 60 -g 60 -l 300 "$domid" $HC_HANDLE \
			> "$out" 2> "$d/xhostbe.err" &
		pid=$!
		wait_log "$out" '^XHOSTBE (cons-echo|result)' 120
		log_match "$out" first '^XHOSTBE cons-connected.*'
		if [ -n "$REPLY" ]; then
			ck console-connected PASS "${REPLY#XHOSTBE }"
		else
			log_match "$out" first '^XHOSTBE error.*'
			ck console-connected FAIL "${REPLY:-xhostbe said nothing in 120 s}"
		fi
	fi
	if ck_ok; then
		log_match "$out" first '^XHOSTBE cons-echo round=1 .*'
		case $REPLY in
		*ok=yes*) ck console-echo PASS "${REPLY#XHOSTBE }" ;;
		*) ck console-echo FAIL "${REPLY:-no echo round}" ;;
		esac
		hb_beat "$log" 10
		hc_field "$log" cons
		irq0=$REPLY
		say "case $name: storm for $HC_STORM s"
		kill -USR1 "$pid"
		wait_log "$out" '^XHOSTBE (storm |result)' $((HC_STORM + 60))
		hb_beat "$log" 10
		hc_field "$log" cons
		irq1=$REPLY
		log_match "$out" first '^XHOSTBE storm events=[0-9]+'
		events=${REPLY##*=}
		if [ -n "$irq0" ] && [ -n "$irq1" ] && [ "${events:-0}" -ge 1000 ]; then
			irqs=$((irq1 - irq0))
			if [ "$irqs" -le "$HC_IRQ_MAX" ]; then
				ck storm-handler-calls PASS "$irqs of $events events (max $HC_IRQ_MAX)"
			else
				ck storm-handler-calls FAIL "$irqs of $events events (max $HC_IRQ_MAX)"
			fi
		else
			ck storm-handler-calls FAIL "events ${events:-none} (at least 1000 wanted), interrupts ${irq0:-?} then ${irq1:-?}"
		fi
		say "case $name: out_cons ahead, then Closing and InitWait"
		kill -USR1 "$pid"
		wait_log "$out" '^XHOSTBE result' 90
		hb_beat "$log" 10
		hb_beat "$log" 10
		hc_field "$log" consbroken
		b1=$REPLY
		# Once for each connection broken: out_cons ahead, then in_prod.
		if [ -n "$b0" ] && [ -n "$b1" ] && [ $((b1 - b0)) = 2 ]; then
			ck broken-ring-reported PASS "once for each of the 2 broken connections"
		else
			ck broken-ring-reported FAIL "the kernel reported ${b0:-?} then ${b1:-?} broken rings: one report for each of the 2 broken connections wanted"
		fi
		log_match "$out" first '^XHOSTBE cons-bad-index .*'
		case $REPLY in
		*frontend-state=[56]) ck frontend-closing-on-bad-index PASS "${REPLY#XHOSTBE }" ;;
		*) ck frontend-closing-on-bad-index FAIL "${REPLY:-no bad-index step}: the frontend did not go Closing by itself" ;;
		esac
		log_match "$out" first '^XHOSTBE cons-closed .*'
		case $REPLY in
		*frontend-state=6) ck frontend-closed PASS "${REPLY#XHOSTBE }" ;;
		*) ck frontend-closed FAIL "${REPLY:-no closing step}" ;;
		esac
		log_match "$out" first '^XHOSTBE cons-reconnected .*'
		case $REPLY in
		*ok=yes*) ck frontend-reconnected PASS "${REPLY#XHOSTBE }" ;;
		*) ck frontend-reconnected FAIL "${REPLY:-no reconnection step}" ;;
		esac
		log_match "$out" first '^XHOSTBE cons-echo round=2 .*'
		case $REPLY in
		*ok=yes*) ck console-echo-again PASS "${REPLY#XHOSTBE }" ;;
		*) ck console-echo-again FAIL "${REPLY:-no second echo round}" ;;
		esac
		log_match "$out" first '^XHOSTBE cons-bad-prod .*'
		case $REPLY in
		*frontend-state=[56]) ck frontend-closing-on-bad-prod PASS "${REPLY#XHOSTBE }" ;;
		*) ck frontend-closing-on-bad-prod FAIL "${REPLY:-no bad-producer step}: the frontend did not go Closing by itself" ;;
		esac
	fi
	[ -n "$pid" ] && hb_stop "$pid" 60
	log_match "$out" first '^XHOSTBE result.*'
	res=$REPLY
	if [ -n "$pid" ]; then
		if [ "$HB_RC" = 0 ]; then
			ck xhostbe-exit PASS "exit 0"
		else
			ck xhostbe-exit FAIL "exit $HB_RC: ${res:-no result line}"
		fi
	fi
	hb_end "$name" "$d" "$log" "$pid" "$domid" "$f0" \
		${domid:+"/local/domain/$domid/device/console/$HC_HANDLE"} "$HC_BASE"
	more=$HB_MORE
	ck_why
	CASE_T0=$t0 CASE_WHY=$REPLY
	CASE_DETAIL="xhostbe -k as the backend of console $HC_HANDLE of an idle domU: echoed input, a storm of ${events:-?} events of which ${irqs:-?} reached the handler (max $HC_IRQ_MAX), out_cons ahead reported as a broken ring, closed and connected anew, echoed again, in_prod two ring sizes ahead reported as a broken ring too; the domU alive afterwards$more"
}
