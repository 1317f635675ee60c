#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build build/out/initrd.gz: busybox, the guest scripts, our static test
# tools and selftests, and the few modules the stock Debian kernel needs
# before it can reach its root (9p for dom0) or its disks (domU), with our
# own frontends built for that kernel beside Debian's.
. "$(dirname "$0")/lib.sh"

stock=$(stock_kver)
root=$(mktemp -d "$B/initrd.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$OUT" "$root"/{bin,sbin,xci/selftests,proc,sys,dev,tmp}

cp /bin/busybox "$root/bin/busybox"
cp "$PIPE/guest/init" "$root/init"
cp "$PIPE/guest/domu.sh" "$PIPE/guest/dom0.sh" "$PIPE/guest/run-selftests.sh" \
   "$PIPE/guest/block-script" "$PIPE/guest/vif-script" "$PIPE/cases.tbl" "$root/xci/"
mkdir -p "$root/xci/lib" "$root/xci/cases"
cp "$PIPE"/guest/lib/*.sh "$root/xci/lib/"
cp "$PIPE"/guest/cases/*.sh "$root/xci/cases/"
cp "$OUT/tools/xpat" "$OUT/tools/xnet" "$OUT/tools/xblk" "$OUT/tools/xclock" \
   "$OUT/tools/xuser" "$root/xci/"
cp "$OUT/selftests/"xen_* "$root/xci/selftests/" 2>/dev/null || true
chmod +x "$root/init" "$root"/xci/*

# Xen's xenstore-* utilities (xenstore-utils, one binary under many names)
# and the libraries they load: a domU runs them through /dev/xen/xenbus
# (domu.sh's xenstore-utils check).  dom0 has its own, on its root.
xsbin=/usr/bin/xenstore
[ -x "$xsbin" ] || die "$xsbin missing (xenstore-utils; make deps)"
mkdir -p "$root/usr/bin"
cp "$xsbin" "$root/usr/bin/xenstore"
for t in read write ls list rm watch exists; do
	ln -s xenstore "$root/usr/bin/xenstore-$t"
done
ldd "$xsbin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done

# Stock kernel modules, in load order, decompressed for busybox insmod.
moddir=$root/lib/modules/$stock
mkdir -p "$moddir"
for role in dom0 domU; do
	case $role in
	dom0) mods="virtio_pci 9pnet_virtio 9p overlay" ;;
	domU) mods="xen-blkfront xen-netfront xen-evtchn xenfs xen-gntdev xen-gntalloc xen-privcmd" ;;
	esac
	: > "$moddir/$role.order"
	for m in $mods; do
		modprobe -S "$stock" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
	done | awk '!seen[$0]++' | while read -r ko; do
		base=$(basename "$ko" .xz)
		[ -f "$moddir/$base" ] || xz -dc "$ko" > "$moddir/$base"
		echo "$base" >> "$moddir/$role.order"
	done
done
# Our frontends built for the stock kernel (build-modules.sh): a stock
# domU with xmods=ours on its command line loads them instead (init).
mkdir -p "$moddir/ours"
for m in xen-blkfront xen-netfront; do
	[ -f "$OUT/modules/$m.ko" ] || die "$OUT/modules/$m.ko missing (make modules)"
	cp "$OUT/modules/$m.ko" "$moddir/ours/"
done
# make bench's try side (bench.sh): XCI_BENCH_TRY_BLKFRONT=PATH and
# XCI_BENCH_TRY_NETFRONT=PATH, frontends a domU with xmods=try loads
# instead of ours (init).
if [ -n "${XCI_BENCH_TRY_BLKFRONT:-}${XCI_BENCH_TRY_NETFRONT:-}" ]; then
	mkdir -p "$moddir/try"
	for f in "${XCI_BENCH_TRY_BLKFRONT:-}" "${XCI_BENCH_TRY_NETFRONT:-}"; do
		[ -z "$f" ] && continue
		[ -f "$f" ] || die "$f missing (XCI_BENCH_TRY_BLKFRONT or _NETFRONT)"
		case ${f##*/} in
		xen-blkfront.ko | xen-netfront.ko) cp "$f" "$moddir/try/" ;;
		*) die "$f: not xen-blkfront.ko or xen-netfront.ko" ;;
		esac
	done
fi

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$OUT/initrd.gz.tmp"
mv "$OUT/initrd.gz.tmp" "$OUT/initrd.gz"
log "initramfs: $OUT/initrd.gz ($(du -h "$OUT/initrd.gz" | cut -f1)), stock modules for $stock"
