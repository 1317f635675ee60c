#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build tree preparation:
#   1. unpack the linux-source-6.12 tarball once into build/base (reused);
#   2. make build/src a copy of it that is kept between runs;
#   3. lay our overlay paths over it, apply patches/*.patch and delete
#      the base files that patches/series removes (the upstream files our
#      drivers replace: nothing may build them).
# Files are only rewritten when their content changes, so make and ccache
# see unchanged mtimes and a rebuild after touching one file stays quick.
. "$(dirname "$0")/lib.sh"

tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || die "$tarball missing: run pipeline/deps.sh"
pkgver=$(installed_version linux-source-6.12)

mkdir -p "$B"
if [ "$(cat "$BASE_DIR/.stamp" 2>/dev/null)" != "$pkgver" ]; then
	log "unpacking linux-source-6.12 $pkgver into $BASE_DIR"
	rm -rf "$BASE_DIR" "$SRC" "$OBJ"
	mkdir -p "$BASE_DIR.tmp"
	tar -C "$BASE_DIR.tmp" -xf "$tarball"
	mv "$BASE_DIR.tmp"/linux-source-6.12 "$BASE_DIR"
	rmdir "$BASE_DIR.tmp"
	echo "$pkgver" > "$BASE_DIR/.stamp"
fi
if [ "$(cat "$SRC/.stamp" 2>/dev/null)" != "$pkgver" ]; then
	log "copying base to $SRC"
	rm -rf "$SRC"
	# The base's contents, even where build/base is a symbolic link.
	mkdir -p "$SRC.tmp"
	cp -a "$BASE_DIR/." "$SRC.tmp/"
	mv "$SRC.tmp" "$SRC"
	: > "$SRC/.xenpv-overlay"
fi

# Restore every file we changed last time, then lay the current overlay.
stage=$(mktemp -d "$B/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
prev=$(cat "$SRC/.xenpv-overlay")

# Our files: everything tracked (or new and not ignored) under the overlay paths.
cd "$TOP"
git ls-files --cached --others --exclude-standard -- $OVERLAY_PATHS 2>/dev/null |
	while read -r f; do [ -f "$f" ] && echo "$f"; done | sort > "$stage/ours"
# Files touched by our patches to base files.
: > "$stage/patched"
for p in "$TOP"/patches/*.patch; do
	[ -e "$p" ] || continue
	lsdiff --strip=1 "$p" 2>/dev/null >> "$stage/patched" ||
		sed -n 's|^+++ b/\(.*\)|\1|p' "$p" >> "$stage/patched"
done
sort -u -o "$stage/patched" "$stage/patched"
# Base files the series removes.
sed -n 's/^Remove:[[:space:]]*//p' "$TOP/patches/series" 2>/dev/null | sort -u > "$stage/removed"
dup=$(sort "$stage/ours" "$stage/patched" | comm -12 - "$stage/removed")
[ -z "$dup" ] || die "patches/series removes files we also provide: $dup"

# Build the wanted content of every touched file in the stage.
mkdir -p "$stage/tree"
cat "$stage/ours" "$stage/patched" | sort -u | while read -r f; do
	mkdir -p "$stage/tree/$(dirname "$f")"
	if [ -f "$TOP/$f" ]; then cp -p "$TOP/$f" "$stage/tree/$f"
	elif [ -f "$BASE_DIR/$f" ]; then cp -p "$BASE_DIR/$f" "$stage/tree/$f"
	fi
done
for p in "$TOP"/patches/*.patch; do
	[ -e "$p" ] || continue
	patch -s -p1 -d "$stage/tree" --no-backup-if-mismatch < "$p" ||
		die "patch $(basename "$p") does not apply"
done

# Files we no longer touch go back to the base version (or away).
cat "$stage/ours" "$stage/patched" "$stage/removed" | sort -u > "$stage/now"
comm -23 <(printf '%s\n' $prev | sort -u) "$stage/now" | while read -r f; do
	[ -n "$f" ] || continue
	# A fresh mtime, so make rebuilds what the overlay version built.
	if [ -f "$BASE_DIR/$f" ]; then cp "$BASE_DIR/$f" "$SRC/$f"; else rm -f "$SRC/$f"; fi
done
# Copy in only what changed (checksum compare keeps mtimes of the rest).
rsync -rc --no-times "$stage/tree/" "$SRC/"
while read -r f; do rm -f "$SRC/$f"; done < "$stage/removed"
cp "$stage/now" "$SRC/.xenpv-overlay"
cp "$stage/ours" "$B/ours.list"
log "tree: $(wc -l < "$stage/ours") overlay files, $(ls "$TOP"/patches/*.patch 2>/dev/null | wc -l) patches, $(wc -l < "$stage/removed") base files removed"
