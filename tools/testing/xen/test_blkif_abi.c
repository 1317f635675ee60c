// SPDX-License-Identifier: GPL-2.0-only
/*
 * Our include/xen/blkif.h against Xen's public io/blkif.h:
 * every field offset and structure size of the x86_64 and native layouts
 * against Xen's header built natively, the x86_32 layout against the
 * hand-computed table in abi_list.h (which Xen's header built with -m32
 * confirms at build time), and every constant.
 */
#include <stdio.h>
#include <string.h>
#include <xen/xenring.h>
#include <xen/blkif.h>
#include "abi_fields.h"
#include "tap.h"
#include "xen32_result.h"

/* Our x86_64 and x86_32 ABIs share the segment structure. */
#define blkif_x86_64_request_segment	blkif_request_segment
#define blkif_x86_32_request_segment	blkif_request_segment

static long xen(const char *name)
{
	const struct abi_val *v;

	for (v = xen_abi(); v->name; v++)
		if (!strcmp(v->name, name))
			return v->val;
	printf("# no value for %s in Xen's table\n", name);
	return -1;
}

static void check_x86_64(void)
{
#define ABI_FIELD(kind, field, ...)					\
	ok_eq(offsetof(struct blkif_x86_64_##kind, field),		\
	      xen(#kind "." #field), "x86_64 %s.%s offset", #kind, #field)
#define ABI_SIZE(kind, ...)						\
	ok_eq(sizeof(struct blkif_x86_64_##kind), xen(#kind),		\
	      "x86_64 sizeof %s", #kind)
#include "abi_list.h"
#undef ABI_FIELD
#undef ABI_SIZE
}

static void check_native(void)
{
#define ABI_FIELD(kind, field, ...)					\
	ok_eq(offsetof(struct blkif_##kind, field),			\
	      xen(#kind "." #field), "native %s.%s offset", #kind, #field)
#define ABI_SIZE(kind, ...)						\
	ok_eq(sizeof(struct blkif_##kind), xen(#kind),			\
	      "native sizeof %s", #kind)
#include "abi_list.h"
#undef ABI_FIELD
#undef ABI_SIZE
}

static void check_x86_32(void)
{
#define ABI_FIELD(kind, field, off32)					\
	ok_eq(offsetof(struct blkif_x86_32_##kind, field), off32,	\
	      "x86_32 %s.%s offset", #kind, #field)
#define ABI_SIZE(kind, size32)						\
	ok_eq(sizeof(struct blkif_x86_32_##kind), size32,		\
	      "x86_32 sizeof %s", #kind)
#include "abi_list.h"
#undef ABI_FIELD
#undef ABI_SIZE
}

#define CONST(name)	ok_eq((long)(name), (long)(s16)xen(#name), "%s", #name)

int main(void)
{
	tap_start();

	check_x86_64();
	check_native();
	check_x86_32();
	ok(!XEN32_RC, "Xen's blkif.h built with -m32 matches the x86_32 table");

	ok_eq(BLKIF_X86_64_SLOT_SIZE, xen("slot"), "x86_64 slot size");
	ok_eq(BLKIF_NATIVE_SLOT_SIZE, xen("slot"), "native slot size");
	ok_eq(BLKIF_X86_32_SLOT_SIZE, ABI_X86_32_SLOT, "x86_32 slot size");
	ok_eq(offsetof(struct xenring_shared, req_prod), xen("sring.req_prod"),
	      "ring header req_prod");
	ok_eq(offsetof(struct xenring_shared, req_event),
	      xen("sring.req_event"), "ring header req_event");
	ok_eq(offsetof(struct xenring_shared, rsp_prod), xen("sring.rsp_prod"),
	      "ring header rsp_prod");
	ok_eq(offsetof(struct xenring_shared, rsp_event),
	      xen("sring.rsp_event"), "ring header rsp_event");
	ok_eq(offsetof(struct xenring_shared, slots), xen("sring.ring"),
	      "ring header size (offsetof slots)");
	ok_eq(XENRING_HDR_SIZE, xen("sring.ring"), "XENRING_HDR_SIZE");
	ok_eq(xenring_nr_slots(4096, BLKIF_X86_64_SLOT_SIZE), xen("ring_4k"),
	      "x86_64 slots in one page");
	ok_eq(xenring_nr_slots(65536, BLKIF_X86_64_SLOT_SIZE),
	      xen("ring_64k"), "x86_64 slots in 16 pages");
	ok_eq(xenring_nr_slots(4096, BLKIF_X86_32_SLOT_SIZE),
	      ABI_X86_32_RING_4K, "x86_32 slots in one page");
	ok_eq(BLKIF_SEGS_PER_INDIRECT_PAGE, 512, "segments per indirect page");

	CONST(BLKIF_OP_READ);
	CONST(BLKIF_OP_WRITE);
	CONST(BLKIF_OP_WRITE_BARRIER);
	CONST(BLKIF_OP_FLUSH_DISKCACHE);
	CONST(BLKIF_OP_RESERVED_1);
	CONST(BLKIF_OP_DISCARD);
	CONST(BLKIF_OP_INDIRECT);
	CONST(BLKIF_RSP_EOPNOTSUPP);
	CONST(BLKIF_RSP_ERROR);
	CONST(BLKIF_RSP_OKAY);
	CONST(BLKIF_DISCARD_SECURE);
	CONST(BLKIF_MAX_SEGMENTS_PER_REQUEST);
	CONST(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
	CONST(VDISK_CDROM);
	CONST(VDISK_REMOVABLE);
	CONST(VDISK_READONLY);
	return tap_done();
}
