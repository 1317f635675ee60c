#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make patches-build: the upstream series is bisectable.  The base, then
# the tree after each patch of patches/series in turn, is laid into
# build/series/src (a copy of the base; only the files that change are
# rewritten, so make and ccache rebuild little) and built with our
# kernel's configuration (build-kernel.sh series).  Prints one line per
# step and writes them to build/out/patches-build.txt; fails if any step
# did not build.  Not part of make check: about 20 minutes.
. "$(dirname "$0")/lib.sh"

tree=$B/series/src
stamp=$(cat "$BASE_DIR/.stamp")
if [ "$(cat "$tree/.stamp" 2>/dev/null)" != "$stamp" ]; then
	log "copying base to $tree"
	rm -rf "$tree" "$B/obj-series"
	mkdir -p "$tree.tmp"
	cp -a "$BASE_DIR/." "$tree.tmp/"
	mv "$tree.tmp" "$tree"
fi
n=$(python3 "$PIPE/patches.py" count)
mapfile -t subj < <(sed -n 's/^Subject: //p' "$TOP/patches/series" | grep -v '^cover$')
mkdir -p "$OUT"
res="$OUT/patches-build.txt"
: > "$res"
bad=0
for k in $(seq 0 "$n"); do
	changed=$(python3 "$PIPE/patches.py" lay "$k" "$tree" | wc -l)
	what=${subj[k - 1]:-}
	[ "$k" = 0 ] && what="the base"
	t0=$(now_s)
	if "$PIPE/build-kernel.sh" series > "$OUT/patches-build-$k.log" 2>&1; then
		st=ok
	else
		st=FAILED bad=1
	fi
	line=$(printf '%2d  %-6s %4s s  %3d files  %s' "$k" "$st" "$(elapsed "$t0")" "$changed" "$what")
	echo "$line" | tee -a "$res"
done
[ $bad = 0 ] || die "a step of the series did not build (build/out/patches-build-K.log)"
log "all $((n + 1)) steps built: $res"
