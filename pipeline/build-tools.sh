#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the static userspace the guests run: our test tools (pipeline/tools;
# xhostbe runs in dom0 only, which reads it from build/out/tools over 9p)
# and the kselftests of tools/testing/selftests/xen from the overlaid tree,
# against our kernel's exported headers.
. "$(dirname "$0")/lib.sh"

mkdir -p "$OUT/tools" "$OUT/selftests"
for t in xpat xnet xblk xhostbe xclock xuser; do
	if [ ! -x "$OUT/tools/$t" ] || [ "$PIPE/tools/$t.c" -nt "$OUT/tools/$t" ] ||
	   [ "$PIPE/tools/xstream.h" -nt "$OUT/tools/$t" ] ||
	   [ "$PIPE/tools/xdp_attach.h" -nt "$OUT/tools/$t" ]; then
		gcc -O2 -Wall -Wextra -Werror -static -o "$OUT/tools/$t" "$PIPE/tools/$t.c"
	fi
done
hdr="$OBJ/usr-headers/include"
[ -d "$hdr" ] || die "kernel headers missing: build the kernel first"
if [ -f "$SRC/tools/testing/selftests/xen/Makefile" ]; then
	make -s -C "$SRC/tools/testing/selftests/xen" OUTPUT="$OUT/selftests" \
		KHDR_INCLUDES="-isystem $hdr" LDFLAGS=-static CC=gcc >&2 ||
		die "selftests/xen build failed"
fi
log "tools: $(ls "$OUT/tools" | tr '\n' ' ')selftests: $(cd "$OUT/selftests" && ls xen_* 2>/dev/null | tr '\n' ' ')"
