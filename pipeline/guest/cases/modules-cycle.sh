# SPDX-License-Identifier: GPL-2.0-only
# The modules-cycle case of dom0.sh (sourced by it; only when asked for:
# make stress, or XCI_CASES=modules-cycle).
#
# Issue 11, item 7: Debian's dom0 died once in net_rx_action with our
# xen-netback loaded as a module, in the 5th of 11 rounds of a benchmark
# that loaded our backends or upstream's between rounds.  This case repeats
# that: XCI_ROUNDS rounds (xrounds=) of
#   - our xen-blkback and xen-netback loaded (odd rounds) or Debian's
#     (even rounds), each swap unloading the other's;
#   - a stock domU with our frontends (xmods=ours) that runs the bench
#     workloads once (domu.sh xmode=bench: xblk on xvdb, then xnet streams
#     both ways and request/response with dom0's servers) and powers off.
# A round fails when a swap fails, the domU does not finish its workloads,
# or dom0's kernel logs a BUG, an oops, a list corruption or a trace
# through our modules.  Debian's kernel has CONFIG_DEBUG_LIST and
# CONFIG_BUG_ON_DATA_CORRUPTION, so a NAPI context freed while on a poll
# list stops dom0 at the next list operation; dom0 then never reports, and
# the host reports the boot as frozen or crashed.
# XCI_NETBACK_KO=PATH (xnetbackko=) loads that xen-netback.ko as "ours",
# to run the case against another build (the one before a fix, say).

# mc_faults: dom0 kernel lines that fail a round
mc_faults() { dmesg | grep -c -E 'BUG:|Oops|list_(add|del) corruption|\[xen_(blk|net)back\]'; }

# mc_round NAME ROUND WHICH DISK: one round; sets MC_WHY (reasons, each
# with a leading space), MC_MORE (what the domU measured) and MC_FLAKE
# (evidence of the testbed's defect, for once_more's retry).
mc_round() {
	local name=$1 r=$2 which=$3 d=/var/lib/xci/$1 log domid="" i
	MC_WHY="" MC_MORE="" MC_FLAKE=""
	log="$OUT/guests/guest-$name.log"
	backends "$which"
	[ -n "$BK_WHY" ] && { MC_WHY=" round-$r:backends-$which:${BK_WHY# }"; return; }
	bench_cfg "$name" "$STOCK_K" "$4" 1 loglevel=5 xmods=ours > "$d/cfg"
	rm -f "$log"
	if ! timeout 180 $XL create "$d/cfg" > "$d/create.log" 2>&1; then
		tail -1 "$d/create.log" > "$d/create.last" 2>/dev/null
		first_line "$d/create.last"
		MC_WHY=" round-$r:xl-create-failed(${REPLY// /_})"
		$XL destroy "$name" > /dev/null 2>&1
		return
	fi
	# Until the domU says it is done, or is gone (xl says so three
	# times running: xl itself fails now and then here), at most 900 s.
	local gone=0 t=$((EPOCHSECONDS + 900))
	while ! grep -a -q '^XCI-DOMU-DONE' "$log" 2>/dev/null; do
		if [ "$EPOCHSECONDS" -ge $t ] || [ $gone -ge 3 ]; then
			MC_WHY=" round-$r:domU-did-not-finish"
			break
		fi
		if timeout 20 $XL domid "$name" > /dev/null 2>&1; then
			gone=0
		else
			gone=$((gone + 1))
		fi
		sleep 2
	done
	# A stock domU that died before its modules loaded: Debian's kernel
	# on this testbed (an int3 oops in its own boot once), not ours.
	if [ -n "$MC_WHY" ] && grep -a -q 'Kernel panic' "$log" 2>/dev/null &&
	   ! grep -a -q 'XCI-DOMU-START' "$log" 2>/dev/null; then
		MC_WHY="$MC_WHY(domU-kernel-died-at-boot)"
		MC_FLAKE=" domU-kernel-died-at-boot-before-our-modules"
	fi
	# It powers itself off; xl destroy only if it has not within 60 s.
	for i in $(seq 1 60); do
		$XL domid "$name" > /dev/null 2>&1 || break
		sleep 1
	done
	$XL domid "$name" > /dev/null 2>&1 && $XL destroy "$name" > /dev/null 2>&1
	log_match "$log" count '^XBLK '
	i=$REPLY
	log_match "$log" count '^XNET '
	MC_MORE="$i xblk and $REPLY xnet results"
	[ "$i" -ge 4 ] && [ "$REPLY" -ge 3 ] || MC_WHY="$MC_WHY round-$r:workloads-missing($MC_MORE)"
	grep -a -q '^XCI-CHECK mods-ours PASS' "$log" 2>/dev/null || MC_WHY="$MC_WHY round-$r:domU-frontends-not-ours"
	if [ -n "$MC_WHY" ]; then
		cp "$log" "$OUT/guests/guest-$name.round$r.log" 2>/dev/null
	fi
}

# modules_cycle_case NAME: the case (see the top of this file).
modules_cycle_case() {
	local name=$1 d=/var/lib/xci/$1 rounds r which loopb="" k0 f0 done=0 ours=0
	CASE_T0=$EPOCHREALTIME CASE_WHY="" CASE_DETAIL="" FLAKE=""
	rounds=$(arg xrounds)
	[[ $rounds =~ ^[1-9][0-9]*$ ]] || rounds=2
	f0=$(dom0_faults)
	k0=$(mc_faults)
	mkdir -p "$d"
	truncate -s 256M "$d/disk.img"
	loopb=$(losetup -f --show "$d/disk.img") || CASE_WHY=" losetup"
	for r in $(seq 1 "$rounds"); do
		[ -n "$CASE_WHY" ] && break
		which=ours
		[ $((r % 2)) = 0 ] && which=stock
		say "case $name: round $r of $rounds, $which backends"
		mc_round "$name" "$r" "$which" "$loopb"
		CASE_WHY="$CASE_WHY$MC_WHY"
		FLAKE="$FLAKE$MC_FLAKE"
		[ "$(mc_faults)" = "$k0" ] ||
			CASE_WHY="$CASE_WHY round-$r:dom0-kernel($(dmesg | grep -E 'BUG:|Oops|list_(add|del) corruption|\[xen_(blk|net)back\]' | tail -1 | tr -s ' ' _))"
		[ -n "$CASE_WHY" ] && break
		done=$r
		[ "$which" = ours ] && ours=$((ours + 1))
		say "case $name: round $r passed: $MC_MORE"
	done
	backends stock
	CASE_WHY="$CASE_WHY${BK_WHY:+ back to the stock backends:$BK_WHY}"
	[ -n "$loopb" ] && losetup -d "$loopb" 2>/dev/null
	rm -rf "$d"
	local mcf=${FLAKE# }
	flake_evidence "$f0" "$OUT/guests/guest-$name.log"
	FLAKE="$mcf${mcf:+${FLAKE:+ }}$FLAKE"
	CASE_DETAIL="$done of $rounds rounds (our backends in $ours) of a stock domU with our frontends running xblk and xnet against dom0, powered off and destroyed, with Debian's and our backends swapped between rounds; no BUG, oops, list corruption or trace through our modules in dom0${XNB_KO:+; xen-netback from $XNB_KO}"
}
