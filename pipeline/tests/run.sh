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

# --- tools -------------------------------------------------------------
for t in xpat xnet xblk; do
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
{
	echo "TAP version 13"
	echo "1..$n"
	printf '%s\n' "${res[@]}"
} > "$dir/tools.tap"

# --- report parser -----------------------------------------------------
python3 "$PIPE/tests/test_report.py" > "$dir/report.tap" 2>&1 || true
bash "$PIPE/tests/test_supervisor.sh" > "$dir/supervisor.tap" 2>/dev/null ||
	printf 'TAP version 13\n1..1\nnot ok 1 supervisor tests ran\n' > "$dir/supervisor.tap"

# --- Xen protocol cores: unit tests and fuzzers --------------------------
# tools/testing/xen writes one TAP file per unit test and fuzz.tap with one
# line per fuzz target; each is copied here as xen-<name>.tap.  A harness
# that breaks before writing its TAP still shows up as a failure.
xo="$tmp/xen"
rm -f "$dir"/xen-*.tap "$dir"/xen-*.crash-*
make -s -C "$TOP/tools/testing/xen" O="$xo" check > "$dir/xen-check.log" 2>&1 || true
make -s -C "$TOP/tools/testing/xen" O="$xo" fuzz \
	FUZZ_SECONDS="${XCI_FUZZ_SECONDS:-20}" > "$dir/xen-fuzz.log" 2>&1 || true
for f in "$xo"/*.tap "$xo"/*.crash-*; do
	if [ -e "$f" ]; then cp "$f" "$dir/xen-$(basename "$f")"; fi
done
[ -e "$dir/xen-test_xenring.tap" ] ||
	printf 'TAP version 13\n1..1\nnot ok 1 xen unit tests ran (see xen-check.log)\n' > "$dir/xen-check.tap"
[ -e "$dir/xen-fuzz.tap" ] ||
	printf 'TAP version 13\n1..1\nnot ok 1 xen fuzzers ran (see xen-fuzz.log)\n' > "$dir/xen-fuzz.tap"

log "host tests: $(cat "$dir"/*.tap | grep -c '^ok') ok, $(cat "$dir"/*.tap | grep '^not ok' | grep -vc '# TODO') not ok"
