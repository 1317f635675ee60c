#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The compile-only build of every other in-tree user of the Xen API that
# our configuration leaves out (xen-kbdfront, xen-fbfront, 9p's trans_xen,
# sound/xen, drm/xen, xen-tpmfront, xen-hcd, xen-scsifront, xen-scsiback,
# xen-pciback, xen-pcifront, pvcalls front and back, KVM's Xen emulation),
# and our xenfs as a module:
# each object compiled against the prepared tree, ours included, in
# build/obj-api, with no final link.  Prints "ok DESC" or "not ok DESC"
# for each option of api-users.config and each object ("ok" when it
# compiled with no warning); the reasons of the others go to
# build/out/api-users.log.  static-checks.sh numbers the lines into its TAP.
. "$(dirname "$0")/lib.sh"

OBJA=$B/obj-api
frag="$PIPE/kernel.config"
more="$PIPE/api-users.config"
log_f="$OUT/api-users.log"
# Each user's objects, as make targets relative to the tree.
objs=(
	drivers/input/misc/xen-kbdfront.o
	drivers/video/fbdev/xen-fbfront.o
	net/9p/trans_xen.o
	sound/xen/xen_snd_front.o sound/xen/xen_snd_front_cfg.o
	sound/xen/xen_snd_front_evtchnl.o sound/xen/xen_snd_front_alsa.o
	drivers/gpu/drm/xen/xen_drm_front.o drivers/gpu/drm/xen/xen_drm_front_kms.o
	drivers/gpu/drm/xen/xen_drm_front_conn.o drivers/gpu/drm/xen/xen_drm_front_evtchnl.o
	drivers/gpu/drm/xen/xen_drm_front_cfg.o drivers/gpu/drm/xen/xen_drm_front_gem.o
	drivers/char/tpm/xen-tpmfront.o
	drivers/usb/host/xen-hcd.o
	drivers/scsi/xen-scsifront.o
	drivers/xen/xen-scsiback.o
	drivers/xen/xen-pciback/xenbus.o drivers/xen/xen-pciback/pci_stub.o
	drivers/xen/xen-pciback/pciback_ops.o drivers/xen/xen-pciback/conf_space.o
	drivers/xen/xen-pciback/vpci.o drivers/xen/xen-pciback/passthrough.o
	drivers/pci/xen-pcifront.o
	drivers/xen/pvcalls-front.o drivers/xen/pvcalls-back.o
	drivers/xen/xen-front-pgdir-shbuf.o
	arch/x86/kvm/xen.o
	drivers/xen/xenfs/fs.o drivers/xen/xenfs/xsd.o drivers/xen/xenfs/xensyms.o
)

mkdir -p "$OBJA" "$OUT" "$CCACHE_DIR"
: > "$log_f"
kmake() { make -s -C "$SRC" O="$OBJA" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"; }

t0=$(now_s)
cfgkey=$( (cat "$frag" "$more"; cat "$BASE_DIR/.stamp") | sha256sum | cut -c1-16)
if [ "$(cat "$OBJA/.cfgkey" 2>/dev/null)" != "$cfgkey" ] || [ ! -f "$OBJA/.config" ]; then
	kmake tinyconfig >/dev/null
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJA" "$OBJA/.config" "$frag" "$more" >/dev/null
	kmake olddefconfig >/dev/null
	echo "$cfgkey" > "$OBJA/.cfgkey"
fi
# Every option asked for here must hold, or its users would not be built.
while IFS= read -r line; do
	case "$line" in CONFIG_*=*) ;; *) continue ;; esac
	if grep -qxF "$line" "$OBJA/.config"; then
		echo "ok api-users config $line"
	else
		echo "not ok api-users config $line"
		echo "== config: wanted $line, got $(grep -E "^${line%%=*}=" "$OBJA/.config" || echo 'not set')" >> "$log_f"
	fi
done < "$more"
if ! out=$(kmake prepare 2>&1); then
	echo "not ok api-users prepare"
	printf '== prepare\n%s\n' "$out" >> "$log_f"
	exit 0
fi
for o in "${objs[@]}"; do
	rm -f "$OBJA/$o"
	out=$(kmake "$o" 2>&1)
	rc=$?
	if [ $rc = 0 ] && [ -f "$OBJA/$o" ] && ! grep -q 'warning:' <<< "$out"; then
		echo "ok api-users $o"
	else
		echo "not ok api-users $o"
		printf '== %s (exit %s)\n%s\n' "$o" "$rc" "$out" >> "$log_f"
	fi
done
log "api users: ${#objs[@]} objects in $(elapsed "$t0") s" >&2
