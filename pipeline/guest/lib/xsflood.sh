# SPDX-License-Identifier: GPL-2.0-only
# XSA-349 in dom0: a domU's hostile frontend rewrites its own state key in
# a loop (xen_vbd_hostile's vbd_xsa349.state_rewrites), and every write
# fires the watch dom0's backend bus keeps on that key.  A kernel that
# queued each event for its xenwatch thread would grow that queue, and
# the slab under it, for as long as the guest writes.  Our dom0's xenbus
# accounts for each watch in debugfs (xenbus/watches): xsa349_watch reads
# it around the flood, and the check xsa349-bounded asserts the bound.
# Sourced by dom0.sh; defines functions and constants only.

# The most events the backend's watch on a frontend's state may ever have
# queued: the bus queues one only while none is (its will_handle), and
# coalesces events of one path anyway.
XSA349_PEAK_MAX=1
# How much dom0's slab may grow over the flood, in KiB: XSA349_SLAB_KB for
# other work of dom0's meanwhile (the bystander, the other selftests'
# backends: tens of KiB seen), plus XSA349_SLAB_B bytes a rewrite.  Each
# queued event takes a kmalloc-192 object, so a queue that held a third of
# the flood at once would be over it.
XSA349_SLAB_KB=512
XSA349_SLAB_B=64
# How long after the domU's "done" dom0 waits for every event of the flood
# to reach the watch's count (they come in order, on another connection
# to xenstored than the one that sees "done"), and how long the count may
# stand still before the wait ends early: under the C xenstored, which
# drops some (XSA349_C_PCT), the count never reaches the rewrites'.
XSA349_SETTLE_S=30
XSA349_STILL_S=5
# Under Xen's C xenstored, the share of the rewrites that must reach the
# watch, in percent: it drops an event identical to one still waiting in
# the connection's output (send_event(), since XSA-326), so only the
# rewrites that came while dom0's last event was out are seen (6445 of
# 10000 in one run).  oxenstored sends every one.
XSA349_C_PCT=10
# Our dom0 kernel's account of its watches (the host's tests point it
# elsewhere).
XS_WATCHES=/sys/kernel/debug/xenbus/watches

# xsa349_stats NODE: "EVENTS FILTERED MERGED DROPPED PEAK QUEUED" of the
# first watch on NODE in XS_WATCHES, or "- - - - - -" if there is none.
xsa349_stats() {
	awk -v n="$1" '$2 == n { print $8, $10, $12, $14, $6, $4; f = 1; exit }
		END { if (!f) print "- - - - - -" }' "$XS_WATCHES" 2>/dev/null ||
		echo "- - - - - -"
}

# xsa349_slab: dom0's Slab in /proc/meminfo, in KiB.
xsa349_slab() {
	awk '$1 == "Slab:" { print $2 }' /proc/meminfo
}

# xsa349_watch DOMID VDEV FILE WRITES: dom0's half of
# vbd_xsa349.state_rewrites, in the background of domu_case, for a flood
# of WRITES rewrites.  When the domU writes "start" to its
# data/xci-xsa349, read the baseline (the watch's line and dom0's slab)
# and answer "go"; when it writes "done WRITES MS" (within 600 s, and the
# flood's time budget beyond 10^4 rewrites: 15 ms each, as the selftest
# allows itself), wait until the watch
# has counted that many more events (at most XSA349_SETTLE_S s), read
# again and answer "seen NOW" (NOW as below).  FILE gets "started BASELINE SLAB0", then
# "done WRITES MS BASELINE NOW SLAB0 SLAB1 QPEAK", where BASELINE and NOW
# are xsa349_stats lines and QPEAK the xenwatch queue's peak.  TERM stops
# it.
xsa349_watch() {
	local key=/local/domain/$1/data/xci-xsa349
	local node=/local/domain/$1/device/vbd/$2/state
	local base now slab0 slab1 n ms e0 e end qpeak last moved w=${4:-0}
	[[ $w =~ ^[0-9]+$ ]] || w=0
	trap 'kill $XSW_PID 2>/dev/null; exit 0' TERM
	xs_key_wait "$key" start 1200 || return 0
	base=$(xsa349_stats "$node")
	slab0=$(xsa349_slab)
	echo "started $base $slab0" > "$3"
	xs_write "$key" go
	xs_key_wait "$key" done $((600 + (w > 10000 ? w * 15 / 1000 : 0))) || return 0
	read -r _ n ms _ <<< "$REPLY"
	[[ $n =~ ^[0-9]+$ ]] || n=-
	[[ $ms =~ ^[0-9]+$ ]] || ms=-
	e0=${base%% *}
	end=$((EPOCHSECONDS + XSA349_SETTLE_S))
	last="" moved=$EPOCHSECONDS
	while :; do
		now=$(xsa349_stats "$node")
		e=${now%% *}
		[ "$e" = - ] || [ "$e0" = - ] || [ "$n" = - ] && break
		[ $((e - e0)) -ge "${n:-0}" ] && break
		[ "$EPOCHSECONDS" -ge $end ] && break
		[ "$e" != "$last" ] && last=$e moved=$EPOCHSECONDS
		[ "$(arg xxenstored)" = c ] &&
			[ $((EPOCHSECONDS - moved)) -ge $XSA349_STILL_S ] && break
		sleep 0.5
	done
	slab1=$(xsa349_slab)
	qpeak=$(awk 'NR == 1 && $1 == "queued" { print $4 }' "$XS_WATCHES" 2>/dev/null)
	echo "done ${n:--} ${ms:--} $base $now $slab0 $slab1 ${qpeak:--}" > "$3"
	xs_write "$key" "seen $now"
}

# xsa349_check NAME LOG FILE WANT: the check xsa349-bounded of case NAME,
# from xsa349_watch's FILE and the domU's TAP line of
# vbd_xsa349.state_rewrites in its console LOG: the domU did all WANT
# rewrites (it stops early at a time budget), every one reached dom0's
# watch on the frontend's state (under the C xenstored, XSA349_C_PCT
# percent of them), which never had more than XSA349_PEAK_MAX
# events queued nor dropped one, and dom0's slab grew by at most
# XSA349_SLAB_KB plus XSA349_SLAB_B a rewrite.  SKIP where the domU's test
# skipped and never started.
xsa349_check() {
	local tap what="" n="" ms="" e0="" f0="" m0="" d0="" p0="" q0="" e="" f=""
	local m="" d="" p="" q="" s0="" s1="" qp="" why="" grew slab
	log_match "$2" last '^(not )?ok [0-9]+ vbd_xsa349\.state_rewrites.*'
	tap=${REPLY%$'\r'}
	read -r what n ms e0 f0 m0 d0 p0 q0 e f m d p q s0 s1 qp 2>/dev/null < "$3"
	case $what in
	"")
		case $tap in
		*"# SKIP"*) ck xsa349-bounded SKIP "the domU's test skipped: ${tap#*# SKIP }" ;;
		*) ck xsa349-bounded FAIL "the domU never started its flood (${tap:-no vbd_xsa349.state_rewrites result})" ;;
		esac
		return ;;
	started)
		ck xsa349-bounded FAIL "the domU started its flood but never said it was done (${tap:-no result})"
		return ;;
	esac
	if [ "$e0" = - ] || [ "$e" = - ]; then
		ck xsa349-bounded FAIL "no watch on the frontend's state in dom0's $XS_WATCHES"
		return
	fi
	if [ "$n" = - ]; then
		ck xsa349-bounded FAIL "the domU's \"done\" gave no count of its rewrites"
		return
	fi
	grew=$((s1 - s0))
	slab=$((XSA349_SLAB_KB + n * XSA349_SLAB_B / 1024))
	[ "$n" -lt "$4" ] &&
		why="$why; the domU did $n of $4 rewrites (its time budget ran out)"
	local want=$n
	[ "$(arg xxenstored)" = c ] && want=$((n * XSA349_C_PCT / 100))
	[ $((e - e0)) -lt "$want" ] &&
		why="$why; only $((e - e0)) of $n rewrites reached the watch in ${XSA349_SETTLE_S} s (at least $want must)"
	[ "$p" -gt $XSA349_PEAK_MAX ] &&
		why="$why; $p events queued at once (bound $XSA349_PEAK_MAX)"
	[ "$d" -gt "$d0" ] && why="$why; $((d - d0)) events dropped"
	[ $grew -gt $slab ] &&
		why="$why; dom0's slab grew by $grew KiB (bound $slab KiB)"
	what="$n rewrites in $ms ms; dom0's watch: $((e - e0)) events, $((f - f0)) filtered, $((m - m0)) merged, $((d - d0)) dropped, at most $p queued (bound $XSA349_PEAK_MAX); xenwatch queue peak $qp; slab grew by $grew KiB (bound $slab KiB); domU: ${tap:-no result}"
	if [ -z "$why" ]; then
		ck xsa349-bounded PASS "$what"
	else
		ck xsa349-bounded FAIL "${why#; }: $what"
	fi
}
