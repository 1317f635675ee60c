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

# mc_round NAME ROUND WHICH DISK: one round, its checks named round-N-*
# (lib/checks.sh); sets MC_MORE (what the domU measured) and MC_FLAKE
# (evidence of the testbed's defect, for the host's retry).
mc_round() {
	local name=$1 r=$2 which=$3 d=/var/lib/xci/$1 log domid="" i done=""
	MC_MORE="" MC_FLAKE=""
	log="$OUT/guests/guest-$name.log"
	backends "$which"
	if [ -n "$BK_WHY" ]; then
		ck "round-$r-backends" FAIL "$which:${BK_WHY}"
		return
	fi
	ck "round-$r-backends" PASS "$which loaded"
	bench_cfg "$name" "$STOCK_K" "$4" 1 loglevel=5 xmods=ours > "$d/cfg"
	rm -f "$log"
	if ! timeout 180 $XL create "$d/cfg" > "$d/create.log" 2>&1; then
		tail -1 "$d/create.log" > "$d/create.last" 2>/dev/null
		first_line "$d/create.last"
		ck "round-$r-xl-create" FAIL "$REPLY"
		$XL destroy "$name" > /dev/null 2>&1
		return
	fi
	ck "round-$r-xl-create" PASS "domU $name created"
	# Until the domU says it is done, or is gone (xl says so three
	# times running: xl itself fails now and then here), at most 900 s.
	local gone=0 t=$((EPOCHSECONDS + 900))
	while ! grep -a -q '^XCI-DOMU-DONE' "$log" 2>/dev/null; do
		if [ "$EPOCHSECONDS" -ge $t ] || [ $gone -ge 3 ]; then
			done=no
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
	if [ -z "$done" ]; then
		ck "round-$r-domu-done" PASS "XCI-DOMU-DONE"
	elif grep -a -q 'Kernel panic' "$log" 2>/dev/null &&
	     ! grep -a -q 'XCI-DOMU-START' "$log" 2>/dev/null; then
		ck "round-$r-domu-done" FAIL "the domU's kernel died at boot, before our modules"
		MC_FLAKE=" domU-kernel-died-at-boot-before-our-modules"
	else
		ck "round-$r-domu-done" FAIL "no XCI-DOMU-DONE within 900 s, or the domU gone"
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
	if [ "$i" -ge 4 ] && [ "$REPLY" -ge 3 ]; then
		ck "round-$r-workloads" PASS "$MC_MORE"
	else
		ck "round-$r-workloads" FAIL "$MC_MORE (4 xblk and 3 xnet wanted)"
	fi
	domu_checks_read "$log"
	if [ -n "${DOMU_PASS[mods-ours]+x}" ]; then
		ck "round-$r-frontends-ours" PASS "${DOMU_PASS[mods-ours]}"
	else
		ck "round-$r-frontends-ours" FAIL "no mods-ours PASS from the domU"
	fi
	ck_ok || cp "$log" "$OUT/guests/guest-$name.round$r.log" 2>/dev/null
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
	if loopb=$(losetup -f --show "$d/disk.img"); then
		ck losetup PASS "xvdb on $loopb"
	else
		ck losetup FAIL "no loop device for xvdb"
	fi
	for r in $(seq 1 "$rounds"); do
		ck_ok || break
		which=ours
		[ $((r % 2)) = 0 ] && which=stock
		say "case $name: round $r of $rounds, $which backends"
		mc_round "$name" "$r" "$which" "$loopb"
		FLAKE="$FLAKE$MC_FLAKE"
		if [ "$(mc_faults)" = "$k0" ]; then
			ck "round-$r-dom0-kernel" PASS "no BUG, oops, list corruption or trace through our modules"
		else
			ck "round-$r-dom0-kernel" FAIL "$(dmesg | grep -E 'BUG:|Oops|list_(add|del) corruption|\[xen_(blk|net)back\]' | tail -1)"
		fi
		ck_ok || break
		done=$r
		[ "$which" = ours ] && ours=$((ours + 1))
		say "case $name: round $r passed: $MC_MORE"
	done
	backends stock
	if [ -z "$BK_WHY" ]; then
		ck stock-backends-back PASS "ours unloaded, Debian's loaded"
	else
		ck stock-backends-back FAIL "${BK_WHY# }"
	fi
	[ -n "$loopb" ] && losetup -d "$loopb" 2>/dev/null
	rm -rf "$d"
	local mcf=${FLAKE# }
	flake_evidence "$f0" "$OUT/guests/guest-$name.log"
	FLAKE="$mcf${mcf:+${FLAKE:+ }}$FLAKE"
	ck_why
	CASE_WHY=$REPLY
	CASE_DETAIL="$done of $rounds rounds (our backends in $ours) of a stock domU with our frontends running xblk and xnet against dom0, powered off and destroyed, with Debian's and our backends swapped between rounds; no BUG, oops, list corruption or trace through our modules in dom0${XNB_KO:+; xen-netback from $XNB_KO}"
}
