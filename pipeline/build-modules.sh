#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build our four split drivers as out-of-tree modules for Debian's stock
# kernel (linux-image-6.12-amd64), with its headers package and kbuild:
#   $B/modules/src     the module source package: pipeline/modules/
#                      (Kbuild, Makefile, dkms.conf) and our drivers and
#                      helper headers, as the README's install uses it
#   $OUT/modules/*.ko  the four modules, without debug information
# Only our headers that the stock kernel lacks go into the package: where
# it has a header of the same name, the modules must build against the
# kernel's own interface, not against our tree's.
. "$(dirname "$0")/lib.sh"

stock=$(stock_kver)
kdir=/usr/src/linux-headers-$stock
[ -f "$kdir/Makefile" ] || die "no kernel headers for $stock in $kdir (linux-headers-6.12-amd64; make deps)"
common=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$kdir/Makefile" | head -1)

ver=0
if git -C "$TOP" rev-parse HEAD >/dev/null 2>&1; then
	ver="0.$(git -C "$TOP" rev-list --count HEAD)"
fi

pkg=$B/modules/src
mkdir -p "$pkg/include/xen" "$OUT/modules"
# rsync keeps the modification times, so kbuild rebuilds only what changed.
for d in drivers/block/xen-blkfront drivers/block/xen-blkback \
	 drivers/net/xen-netfront drivers/net/xen-netback; do
	mkdir -p "$pkg/$d"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*' \
		--exclude='*.mod*' --exclude='modules.order' "$TOP/$d/" "$pkg/$d/"
done
shadowed=""
for h in "$TOP"/include/xen/*.h; do
	h=${h##*/}
	rm -f "$pkg/include/xen/$h.new"
	if [ -e "${common:-$kdir}/include/xen/$h" ] || [ -e "$kdir/include/xen/$h" ]; then
		shadowed="$shadowed $h"
		rm -f "$pkg/include/xen/$h"
		continue
	fi
	cmp -s "$TOP/include/xen/$h" "$pkg/include/xen/$h" ||
		cp -p "$TOP/include/xen/$h" "$pkg/include/xen/$h"
done
cp -p "$PIPE/modules/Kbuild" "$PIPE/modules/Makefile" "$pkg/"
sed "s/@VERSION@/$ver/" "$PIPE/modules/dkms.conf" > "$pkg/dkms.conf.new"
cmp -s "$pkg/dkms.conf.new" "$pkg/dkms.conf" && rm -f "$pkg/dkms.conf.new" ||
	mv "$pkg/dkms.conf.new" "$pkg/dkms.conf"

t0=$(now_s)
log "modules: building for $stock (${kdir##*/})${shadowed:+; headers of the kernel used instead of ours:$shadowed}"
make -C "$kdir" M="$pkg" -j"$JOBS" modules > "$B/modules/build.log" 2>&1 ||
	{ tail -40 "$B/modules/build.log"; die "module build failed (log: $B/modules/build.log)"; }
if grep -E 'warning:|error:' "$B/modules/build.log"; then
	die "the module build warned (log: $B/modules/build.log)"
fi
list=""
for ko in xen-blkfront xen-blkback xen-netfront xen-netback; do
	f=$(find "$pkg/drivers" -name "$ko.ko" | head -1)
	[ -n "$f" ] || die "$ko.ko was not built"
	vm=$(modinfo -F vermagic "$f" | awk '{ print $1 }')
	[ "$vm" = "$stock" ] || die "$ko.ko is for $vm, not $stock"
	# Without debug information, as Debian ships its own (the initramfs
	# carries the frontends).
	strip --strip-debug -o "$OUT/modules/$ko.ko" "$f"
	list="$list $ko"
done
log "modules:$list for $stock (version $ver) in $(elapsed "$t0") s: $OUT/modules"
