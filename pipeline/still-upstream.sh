#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The still-upstream report: every upstream Xen-specific file that went into
# our kernel and is not ours.  A source counts when it produced an object
# (its .o.cmd names it); a header counts when a compiled object depends on
# it.  Xen-specific means under arch/x86/xen, arch/x86/include/asm/xen,
# drivers/xen, include/xen, or drivers/block/xen-blk*, drivers/net/xen-net*,
# drivers/tty/hvc/hvc_xen.c, plus any other file named *xen*.
# Writes build/out/still-upstream.txt and prints the summary line.
. "$(dirname "$0")/lib.sh"

[ -d "$OBJ" ] || die "no kernel build in $OBJ"
mkdir -p "$OUT"
rep="$OUT/still-upstream.txt"
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.all"' EXIT

# Every source and dependency path named by the .cmd file of an object that
# is linked into vmlinux (vmlinux.a lists them; stale objects of options
# turned off since are not), relative to the tree.
(cd "$OBJ" && ar t vmlinux.a) | while read -r o; do
	c="$OBJ/$(dirname "$o")/.$(basename "$o").cmd"
	[ -f "$c" ] && printf '%s\0' "$c"
done |
	xargs -0 awk '
		/^source_/ { print $3; next }
		/^deps_/ { dep = 1; next }
		dep && /\\$/ { sub(/^[ \t]+/, ""); sub(/[ \t]*\\$/, ""); if ($0 !~ /^\$\(wildcard/) print; next }
		{ dep = 0 }' | sort -u > "$tmp.all"
# An absolute path may name the tree through another path to the same
# directory (a build directory shared by a second git worktree through a
# symlink): resolved, it is under the tree's real path.
real=$(realpath -m "$SRC")
{ grep -v '^/' "$tmp.all"; grep '^/' "$tmp.all" | xargs -r -d '\n' realpath -m; } |
	sed -e 's|^\.\./src/||' -e "s|^$SRC/||" -e "s|^$real/||" -e ':a' -e 's|[^/]*/\.\./||' -e 'ta' |
	grep -v '^/' | sort -u |
	grep -E '^(arch/x86/xen/|arch/x86/include/asm/xen/|drivers/xen/|include/xen/|drivers/block/xen-blk|drivers/net/xen-net|drivers/tty/hvc/hvc_xen\.c$)|(^|/)[^/]*xen[^/]*$' |
	grep -v -E '^include/(generated|config)/' > "$tmp" || true

: > "$rep"
n=0 loc=0 nsrc=0 nhdr=0
ours="$B/ours.list"
while read -r f; do
	[ -f "$SRC/$f" ] || continue
	if [ -f "$ours" ] && grep -qxF "$f" "$ours"; then continue; fi
	l=$(wc -l < "$SRC/$f")
	printf '%6d %s\n' "$l" "$f" >> "$rep"
	n=$((n + 1)); loc=$((loc + l))
	case "$f" in *.h) nhdr=$((nhdr + 1)) ;; *) nsrc=$((nsrc + 1)) ;; esac
done < "$tmp"
summary="still upstream: $n files ($nsrc sources, $nhdr headers), $loc lines"
sed -i "1i # $summary" "$rep"
echo "$summary"
