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
for t in xpat xnet; do
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
{
	echo "TAP version 13"
	echo "1..$n"
	printf '%s\n' "${res[@]}"
} > "$dir/tools.tap"

# --- report parser -----------------------------------------------------
python3 "$PIPE/tests/test_report.py" > "$dir/report.tap" 2>&1 || true

log "host tests: $(cat "$dir"/*.tap | grep -c '^ok') ok, $(cat "$dir"/*.tap | grep -c '^not ok') not ok"
