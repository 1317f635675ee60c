#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Configure (tinyconfig + pipeline/kernel.config) and build our kernel in
# build/obj with ccache.  Prints the build time; fails if any option of the
# fragment did not end up as requested.
#   build-kernel.sh base   the same configuration from the pristine base,
#                          upstream's Xen code and no overlay, in
#                          build/obj-base (make bench's like-for-like domU
#                          boot); options of ours that the base lacks are
#                          left out instead of failing the build
#   build-kernel.sh series the same configuration from build/series/src, a
#                          state of the upstream patch series
#                          (patches-build.sh), in build/obj-series;
#                          configured afresh every time, options the state
#                          lacks left out as for "base"
. "$(dirname "$0")/lib.sh"

variant=${1:-ours}
case $variant in
base)
	SRC=$BASE_DIR
	OBJ=$B/obj-base ;;
series)
	SRC=$B/series/src
	OBJ=$B/obj-series
	rm -f "$OBJ/.cfgkey" ;;
esac

mkdir -p "$OBJ" "$CCACHE_DIR"
ccache -M 8G >/dev/null
frag="$PIPE/kernel.config"
kmake() { make -s -C "$SRC" O="$OBJ" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"; }

t0=$(now_s)
# Regenerate .config only when the fragment or the base changed.
cfgkey=$( (cat "$frag"; cat "$BASE_DIR/.stamp") | sha256sum | cut -c1-16)
if [ "$(cat "$OBJ/.cfgkey" 2>/dev/null)" != "$cfgkey" ] || [ ! -f "$OBJ/.config" ]; then
	log "configuring: tinyconfig + $(basename "$frag")"
	kmake tinyconfig >/dev/null
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" "$frag" >/dev/null
	kmake olddefconfig >/dev/null
	# Every request of the fragment must hold.
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) opt=${line%%=*}; want=$line ;;
		'# CONFIG_'*' is not set') opt=${line#\# }; opt=${opt%% *}; want="# $opt is not set" ;;
		*) continue ;;
		esac
		got=$(grep -E "^$opt=|^# $opt is not set" "$OBJ/.config" || echo "# $opt is not set")
		# The base has no Kconfig entry for an option of ours.
		if [ "$variant" != ours ] && ! grep -rqs --include='Kconfig*' -E "^(menu)?config ${opt#CONFIG_}\$" "$SRC"; then
			continue
		fi
		if [ "$got" != "$want" ]; then
			printf 'config: wanted "%s", got "%s"\n' "$want" "$got" >&2; bad=1
		fi
	done < "$frag"
	[ $bad = 0 ] || die "config fragment not satisfied"
	echo "$cfgkey" > "$OBJ/.cfgkey"
fi
log "building kernel${variant:+ ($variant)} (-j$JOBS, ccache)"
kmake bzImage >&2 || die "kernel build failed"
kmake headers_install INSTALL_HDR_PATH="$OBJ/usr-headers" >/dev/null
krel=$(cat "$OBJ/include/config/kernel.release")
echo "$krel" > "$OBJ/.krel"
log "kernel $krel built in $(elapsed "$t0") s: $OBJ/arch/x86/boot/bzImage"
echo "$(elapsed "$t0")" > "$OBJ/.build-seconds"
