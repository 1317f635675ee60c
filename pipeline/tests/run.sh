#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host unit tests, as TAP in build/out/host/: the pipeline's own tools
# (pattern generator, TCP end points) and the report parser.  Later the
# protocol cores of the drivers add their unit tests and fuzzers here.
. "$(dirname "$0")/../lib.sh"

dir="$OUT/host"
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; kill $(jobs -p) 2>/dev/null || true' EXIT

# XCI_HOST_PART: "pipeline" runs only the pipeline's own tests, "xen" only
# the protocol cores' unit tests and fuzzers (make check runs those beside
# the boot matrix, pipeline/check.sh), anything else both.
part=${XCI_HOST_PART:-all}
if [ "$part" != xen ]; then
# --- tools -------------------------------------------------------------
for t in xpat xnet xblk xhostbe; do
	gcc -O2 -Wall -Wextra -Werror -static -o "$tmp/$t" "$PIPE/tools/$t.c"
done
n=0
res=()
t() { # t NAME CMD...: one TAP result from a command's exit status
	local name=$1
	shift
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then res+=("ok $n $name"); else res+=("not ok $n $name"); fi
}
md5() { md5sum | cut -d' ' -f1; }
port=$((20000 + RANDOM % 20000))

t "xpat is deterministic" bash -c "[ \"\$($tmp/xpat 7 3 | md5sum)\" = \"\$($tmp/xpat 7 3 | md5sum)\" ]"
t "xpat seeds differ" bash -c "[ \"\$($tmp/xpat 7 1 | md5sum)\" != \"\$($tmp/xpat 8 1 | md5sum)\" ]"
t "xpat writes exactly N MiB" bash -c "[ \$($tmp/xpat 3 5 | wc -c) = 5242880 ]"
t "xpat first MiB is a prefix" bash -c "[ \"\$($tmp/xpat 9 1 | md5sum)\" = \"\$($tmp/xpat 9 4 | head -c 1048576 | md5sum)\" ]"
t "xpat rejects a bad seed" bash -c "! $tmp/xpat 12x 1"
t "xpat rejects a missing size" bash -c "! $tmp/xpat 12"
# xpat -d: how data differ from the stream (the disk and TCP checks' detail).
t "xpat -d accepts its own stream" bash -c "$tmp/xpat 5 2 | $tmp/xpat -d 5 2"
t "xpat -d names a moved block" bash -c "{ $tmp/xpat 5 1 | tail -c 4096; $tmp/xpat 5 1 | tail -c +4097; } |
	$tmp/xpat -d 5 1 | grep -q '1 moved.*0x0: the bytes of offset 0xff000'"
t "xpat -d names another seed's block" bash -c "{ $tmp/xpat 11 1 | head -c 8192; $tmp/xpat 5 1 | tail -c +8193; } |
	$tmp/xpat -d 5 1 | grep -q '2 of another seed.*0x0: seed 11.s bytes of offset 0x0; 0x1000: seed 11.s bytes of offset 0x1000'"
t "xpat -d counts corrupted data" bash -c "{ head -c 4096 /dev/urandom; $tmp/xpat 5 1 | tail -c +4097; } |
	$tmp/xpat -d 5 1 | grep -q '^1 of 256 .* 1 other)'"
t "xpat -d notices short and long input" bash -c "[ \"\$($tmp/xpat 5 1 | head -c 5000 | $tmp/xpat -d 5 1)\" = '5000 of 1048576 bytes; 1 of 2 4 KiB blocks differ (0 zeros, 1 partly, 0 moved, 0 of another seed, 0 other): 0x1000: 399 of 512 words, the first at +904' ] &&
	{ $tmp/xpat 5 1; echo; } | { ! $tmp/xpat -d 5 1; }"
("$tmp/xnet" recv "$port" | md5 > "$tmp/recv.md5") &
t "xnet send reaches xnet recv" "$tmp/xnet" send 127.0.0.1 "$port" 21 6
wait
t "xnet stream equals xpat stream" bash -c "[ \"\$(cat $tmp/recv.md5)\" = \"\$($tmp/xpat 21 6 | md5sum | cut -d' ' -f1)\" ]"
"$tmp/xnet" echo $((port + 1)) &
echo_pid=$!
sleep 0.3
t "xnet echo returns what it gets" python3 -c "
import socket, os
s = socket.create_connection(('127.0.0.1', $((port + 1))))
data = os.urandom(300000)
s.sendall(data); s.shutdown(socket.SHUT_WR)
got = b''
while True:
    b = s.recv(65536)
    if not b: break
    got += b
assert got == data, (len(got), len(data))
"
kill $echo_pid 2>/dev/null
t "xnet rejects bad usage" bash -c "! $tmp/xnet frob"
t "xnet stat: an interface without ethtool counters" bash -c "$tmp/xnet stat lo rx_packets; [ \$? = 1 ]"
t "xnet stat: an interface that is not there" bash -c "$tmp/xnet stat xci-none0 rx_packets; [ \$? = 1 ]"
# xblk check: the hotplug case's I/O must never create a file where a
# device node went away, nor count a regular file as the disk.
t "xblk check leaves a missing node missing" bash -c "$tmp/xblk check $tmp/gone 1; [ \$? = 1 ] && [ ! -e $tmp/gone ]"
t "xblk check refuses a regular file" bash -c "truncate -s 2M $tmp/plain; $tmp/xblk check $tmp/plain 1; [ \$? = 3 ]"
# xblk cdcap (the domU case's vbd-cdrom): the ioctl's failure on what is
# no cdrom is exit 1 with the return value printed; a node that is not
# there is exit 3 and is not created.
t "xblk cdcap: no cdrom, the ioctl fails (exit 1) and says so" bash -c "truncate -s 1M $tmp/notcd; out=\$($tmp/xblk cdcap $tmp/notcd); rc=\$?; [ \$rc = 1 ] && echo \"\$out\" | grep -q '^XBLK cdcap -1 '"
t "xblk cdcap leaves a missing node missing (exit 3)" bash -c "$tmp/xblk cdcap $tmp/nocd; [ \$? = 3 ] && [ ! -e $tmp/nocd ]"
# xhostbe (the hostile-backend case's backend in dom0) against a stand-in
# xenstored: the nodes and permissions the toolstack would write, in one
# transaction, and nothing of them left however it ends.  Without Xen it
# cannot map the ring, which ends the run as a set-up failure (exit 2).
xhb() { # xhb MODE ARGS...: xhostbe against the fake xenstored in MODE
	local mode=$1 fpid i
	shift
	rm -f "$tmp/xs.sock" "$tmp/xs.json"
	python3 "$PIPE/tests/fake_xenstored.py" "$tmp/xs.sock" "$tmp/xs.json" "$mode" &
	fpid=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -S "$tmp/xs.sock" ] && break
		sleep 0.2
	done
	XHB_RC=0
	XHOSTBE_XS="$tmp/xs.sock" timeout 60 "$tmp/xhostbe" "$@" > "$tmp/xhb.out" 2>&1 ||
		XHB_RC=$?
	wait $fpid || true
}
xhb_check() { # xhb_check PYTHON: a check of the fake's record (d)
	python3 -c "
import json
d = json.load(open('$tmp/xs.json'))
be = '/local/domain/0/backend/xci-vif/5/7'
fe = '/local/domain/5/device/vif/7'
left = [k for k in d['tree'] if k.startswith(fe) or '/xci-vif' in k]
perms = {p: r for t, tx, p, r in d['ops'] if t == 14}
$1"
}
xhb connect -w 10 5 7
t "xhostbe writes the toolstack's nodes and permissions in one transaction" xhb_check "
c = d['committed']
want = {fe + '/backend': be, fe + '/backend-id': '0', fe + '/handle': '7',
        fe + '/mac': '00:16:3e:00:99:07', fe + '/state': '1',
        be + '/frontend': fe, be + '/frontend-id': '5', be + '/handle': '7',
        be + '/online': '1', be + '/feature-rx-copy': '1', be + '/state': '2'}
for k, v in want.items():
    assert c.get(k) == v, (k, c.get(k))
assert perms[fe] == ['n5', 'r0'] and perms[fe + '/state'] == ['n5', 'r0'], perms
assert perms[be] == ['n0', 'r5'] and perms[be + '/state'] == ['n0', 'r5'], perms
assert all(tx == 1 for t, tx, p, r in d['ops'] if t in (12, 14))
assert not [k for k in c if k.startswith(be + '/multi') or 'split' in k or 'ctrl' in k]
"
t "xhostbe closes a connected frontend and removes its nodes" xhb_check "
assert not left, left
assert [p for t, tx, p, r in d['ops'] if t == 11 and r == ['5'] and p == be + '/state']
"
t "xhostbe says why it stopped (no gntdev here), exit 2" bash -c "[ $XHB_RC = 2 ] && grep -q '^XHOSTBE error mapping rx-ring-ref' $tmp/xhb.out && grep -q '^XHOSTBE result closing=no .* exit=2' $tmp/xhb.out"
xhb never -w 1 5 7
t "xhostbe gives up on a frontend that never connects, nodes removed" bash -c "[ $XHB_RC = 2 ] && grep -q '^XHOSTBE error frontend did not connect' $tmp/xhb.out"
t "xhostbe leaves nothing after a frontend that never connected" xhb_check "assert not left, left"
xhb exists 5 7
t "xhostbe refuses a vif that exists and leaves it alone" bash -c "[ $XHB_RC = 2 ] && grep -q '^XHOSTBE error the frontend directory exists' $tmp/xhb.out"
t "xhostbe writes nothing beside a vif that exists" xhb_check "assert fe in d['tree'] and not [k for k in d['tree'] if '/xci-vif' in k]"
t "xhostbe rejects bad usage" bash -c "$tmp/xhostbe 0 7; [ \$? = 2 ] && ! $tmp/xhostbe -s x 5 7"
xhb connect -t -w 10 5 7
t "xhostbe -t offers the MAC the idle domU brings up" xhb_check "
assert d['committed'].get(fe + '/mac') == '00:16:3e:00:99:08', d['committed'].get(fe + '/mac')
assert not left, left
"
t "xhostbe -t refuses -k with it" bash -c "$tmp/xhostbe -k -t 5 7; [ \$? = 2 ]"
{
	echo "TAP version 13"
	echo "1..$n"
	printf '%s\n' "${res[@]}"
} > "$dir/tools.tap"

# --- report parser, retry policy, supervisor ------------------------------
python3 "$PIPE/tests/test_report.py" > "$dir/report.tap" 2>&1 || true
python3 "$PIPE/tests/test_patches.py" > "$dir/patches.tap" 2>&1 || true
python3 "$PIPE/tests/test_retry.py" > "$dir/retry.tap" 2>&1 || true
bash "$PIPE/tests/test_supervisor.sh" > "$dir/supervisor.tap" 2>/dev/null ||
	printf 'TAP version 13\n1..1\nnot ok 1 supervisor tests ran\n' > "$dir/supervisor.tap"
bash "$PIPE/tests/test_matrix.sh" > "$dir/matrix.tap" 2>/dev/null ||
	printf 'TAP version 13\n1..1\nnot ok 1 matrix tests ran\n' > "$dir/matrix.tap"
fi

if [ "$part" != pipeline ]; then
# --- Xen protocol cores: unit tests and fuzzers --------------------------
# tools/testing/xen writes one TAP file per unit test and fuzz.tap with one
# line per fuzz target; each is copied here as xen-<name>.tap.  A harness
# that breaks before writing its TAP still shows up as a failure.
xo="$tmp/xen"
rm -f "$dir"/xen-*.tap "$dir"/xen-*.crash-*
# Until the unit tests have run, a failure stands in for them: a run
# stopped here is not a run that passed.
printf 'TAP version 13\n1..1\nnot ok 1 xen unit tests ran (see xen-check.log)\n' > "$dir/xen-check.tap"
make -s -C "$TOP/tools/testing/xen" O="$xo" check > "$dir/xen-check.log" 2>&1 || true
make -s -C "$TOP/tools/testing/xen" O="$xo" fuzz \
	FUZZ_SECONDS="${XCI_FUZZ_SECONDS:-10}" > "$dir/xen-fuzz.log" 2>&1 || true
for f in "$xo"/*.tap "$xo"/*.crash-*; do
	if [ -e "$f" ]; then cp "$f" "$dir/xen-$(basename "$f")"; fi
done
[ -e "$dir/xen-test_xenring.tap" ] && rm -f "$dir/xen-check.tap"
[ -e "$dir/xen-fuzz.tap" ] ||
	printf 'TAP version 13\n1..1\nnot ok 1 xen fuzzers ran (see xen-fuzz.log)\n' > "$dir/xen-fuzz.tap"
fi

log "host tests: $(cat "$dir"/*.tap | grep -c '^ok') ok, $(cat "$dir"/*.tap | grep '^not ok' | grep -vc '# TODO') not ok"
