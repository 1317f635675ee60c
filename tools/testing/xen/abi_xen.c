// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layouts measured with Xen's public io/blkif.h, built natively (x86_64).
 * Kept apart from test_blkif_abi.c because Xen's and our headers define
 * the same struct names.
 */
#include <stddef.h>
#include <stdint.h>
#include "/usr/include/xen/io/blkif.h"
#include "abi_fields.h"

#define NR_VALS	80

static struct abi_val vals[NR_VALS];
static unsigned int nr;

static void add(const char *name, unsigned long val)
{
	if (nr < NR_VALS - 1) {
		vals[nr].name = name;
		vals[nr].val = val;
		nr++;
	}
}

#define ABI_FIELD(kind, field, ...) \
	add(#kind "." #field, offsetof(struct blkif_##kind, field))
#define ABI_SIZE(kind, ...) \
	add(#kind, sizeof(struct blkif_##kind))
#define XEN_CONST(name)	add(#name, (unsigned long)(name))

const struct abi_val *xen_abi(void)
{
	if (nr)
		return vals;
#include "abi_list.h"
	add("sring.req_prod", offsetof(struct blkif_sring, req_prod));
	add("sring.req_event", offsetof(struct blkif_sring, req_event));
	add("sring.rsp_prod", offsetof(struct blkif_sring, rsp_prod));
	add("sring.rsp_event", offsetof(struct blkif_sring, rsp_event));
	add("sring.ring", offsetof(struct blkif_sring, ring));
	add("slot", sizeof(union blkif_sring_entry));
	add("ring_4k", __CONST_RING_SIZE(blkif, 4096));
	add("ring_64k", __CONST_RING_SIZE(blkif, 65536));
	XEN_CONST(BLKIF_OP_READ);
	XEN_CONST(BLKIF_OP_WRITE);
	XEN_CONST(BLKIF_OP_WRITE_BARRIER);
	XEN_CONST(BLKIF_OP_FLUSH_DISKCACHE);
	XEN_CONST(BLKIF_OP_RESERVED_1);
	XEN_CONST(BLKIF_OP_DISCARD);
	XEN_CONST(BLKIF_OP_INDIRECT);
	XEN_CONST(BLKIF_RSP_EOPNOTSUPP);
	XEN_CONST(BLKIF_RSP_ERROR);
	XEN_CONST(BLKIF_RSP_OKAY);
	XEN_CONST(BLKIF_DISCARD_SECURE);
	XEN_CONST(BLKIF_MAX_SEGMENTS_PER_REQUEST);
	XEN_CONST(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
	XEN_CONST(VDISK_CDROM);
	XEN_CONST(VDISK_REMOVABLE);
	XEN_CONST(VDISK_READONLY);
	return vals;
}
