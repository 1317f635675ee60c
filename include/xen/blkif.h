/* SPDX-License-Identifier: MIT */
/*
 * The Xen block device ring protocol (blkif): wire formats and constants.
 *
 * Everything here is ABI shared with other operating systems and with the
 * hypervisor's tools; the authority is Xen's public io/blkif.h.  Sizes and
 * offsets are checked at compile time below.
 *
 * The ring itself (one header plus power-of-two slots) is described in
 * <xen/xenring.h>.  A slot is large enough for a request; responses are
 * smaller and use the start of the slot.
 *
 * Three ring ABIs exist on x86, selected by the frontend's "protocol"
 * xenstore key.  They differ only in the alignment of 64-bit fields:
 * "x86_64-abi" aligns them to 8 bytes, "x86_32-abi" to 4.  The native
 * structures below follow the compiler's natural layout (which is one of
 * the two), and the _x86_32 and _x86_64 variants spell each one out for a
 * backend that must serve either.
 */
#ifndef _XEN_BLKIF_H
#define _XEN_BLKIF_H

/*
 * This header takes the place of <xen/interface/io/blkif.h>, under the same
 * names (Xen's public ones): a file gets one or the other, never both.
 */
#ifdef __XEN_PUBLIC_IO_BLKIF_H__
#error "<xen/blkif.h> and <xen/interface/io/blkif.h> define the same ABI: include one"
#endif

#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>

typedef u16 blkif_vdev_t;
typedef u64 blkif_sector_t;

/* Request operations. */
#define BLKIF_OP_READ			0
#define BLKIF_OP_WRITE			1
#define BLKIF_OP_WRITE_BARRIER		2	/* "feature-barrier" */
#define BLKIF_OP_FLUSH_DISKCACHE	3	/* "feature-flush-cache" */
#define BLKIF_OP_RESERVED_1		4
#define BLKIF_OP_DISCARD		5	/* "feature-discard" */
#define BLKIF_OP_INDIRECT		6	/* "feature-max-indirect-segments" */

/* Response status. */
#define BLKIF_RSP_EOPNOTSUPP		(-2)
#define BLKIF_RSP_ERROR			(-1)
#define BLKIF_RSP_OKAY			0

/* Flag of a discard request, honoured only with "discard-secure". */
#define BLKIF_DISCARD_SECURE		0x1

/* Bits of the backend's "info" key. */
#define VDISK_CDROM			0x1
#define VDISK_REMOVABLE			0x2
#define VDISK_READONLY			0x4

/* Segments that fit in one request slot, and indirect pages per request. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST	11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

/*
 * Sector quantities (sector_number, first_sect, last_sect, nr_sectors) are
 * in units of 512 bytes, unless the frontend wrote "feature-large-sector-
 * size" = 1, in which case they are in units of the backend's
 * "sector-size".  Data pages are always 4096 bytes.
 */
#define BLKIF_SECTOR_SHIFT		9
#define BLKIF_PAGE_SIZE			4096u

/**
 * struct blkif_request_segment - one granted data page of a request
 * @gref: grant reference of the page
 * @first_sect: first sector of the page to transfer (inclusive)
 * @last_sect: last sector of the page to transfer (inclusive)
 */
struct blkif_request_segment {
	u32 gref;
	u8 first_sect;
	u8 last_sect;
};

/* Segments in one indirect page. */
#define BLKIF_SEGS_PER_INDIRECT_PAGE \
	(BLKIF_PAGE_SIZE / sizeof(struct blkif_request_segment))

/**
 * struct blkif_request - read, write, barrier and flush requests
 * @operation: BLKIF_OP_*
 * @nr_segments: segments in @seg (0 for a flush)
 * @handle: the virtual device, echoed from "virtual-device"
 * @id: frontend's cookie, echoed in the response
 * @sector_number: first sector on the disk
 * @seg: the data pages
 */
struct blkif_request {
	u8 operation;
	u8 nr_segments;
	blkif_vdev_t handle;
	u64 id;
	blkif_sector_t sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/**
 * struct blkif_request_discard - BLKIF_OP_DISCARD
 * @operation: BLKIF_OP_DISCARD
 * @flag: 0 or BLKIF_DISCARD_SECURE
 * @handle: the virtual device
 * @id: frontend's cookie
 * @sector_number: first sector to discard
 * @nr_sectors: number of sectors to discard
 */
struct blkif_request_discard {
	u8 operation;
	u8 flag;
	blkif_vdev_t handle;
	u64 id;
	blkif_sector_t sector_number;
	u64 nr_sectors;
};

/**
 * struct blkif_request_indirect - BLKIF_OP_INDIRECT
 * @operation: BLKIF_OP_INDIRECT
 * @indirect_op: BLKIF_OP_READ or BLKIF_OP_WRITE
 * @nr_segments: segments described by the indirect pages
 * @id: frontend's cookie
 * @sector_number: first sector on the disk
 * @handle: the virtual device
 * @indirect_grefs: grants of the pages holding the segment array,
 *	BLKIF_SEGS_PER_INDIRECT_PAGE segments per page
 * @_pad_x86_32: makes the structure 64 bytes on i386 as well
 */
struct blkif_request_indirect {
	u8 operation;
	u8 indirect_op;
	u16 nr_segments;
	u64 id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	u32 indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
#ifdef CONFIG_X86_32
	u64 _pad_x86_32;
#endif
} __aligned(8);

/**
 * struct blkif_response - the answer to one request
 * @id: the request's @id
 * @operation: the request's @operation
 * @status: BLKIF_RSP_*
 */
struct blkif_response {
	u64 id;
	u8 operation;
	s16 status;
};

/* ---- The two x86 ABIs spelled out, for the backend ---- */

/* x86_32-abi: 64-bit fields are 4-byte aligned. */
struct blkif_x86_32_request {
	u8 operation;
	u8 nr_segments;
	blkif_vdev_t handle;
	u64 id;
	blkif_sector_t sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
} __packed;

struct blkif_x86_32_request_discard {
	u8 operation;
	u8 flag;
	blkif_vdev_t handle;
	u64 id;
	blkif_sector_t sector_number;
	u64 nr_sectors;
} __packed;

struct blkif_x86_32_request_indirect {
	u8 operation;
	u8 indirect_op;
	u16 nr_segments;
	u64 id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	u16 _pad1;
	u32 indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u64 _pad2;
} __packed;

struct blkif_x86_32_response {
	u64 id;
	u8 operation;
	u8 _pad1;
	s16 status;
} __packed;

/* x86_64-abi: 64-bit fields are 8-byte aligned. */
struct blkif_x86_64_request {
	u8 operation;
	u8 nr_segments;
	blkif_vdev_t handle;
	u32 _pad1;
	u64 id;
	blkif_sector_t sector_number;
	struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
} __packed;

struct blkif_x86_64_request_discard {
	u8 operation;
	u8 flag;
	blkif_vdev_t handle;
	u32 _pad1;
	u64 id;
	blkif_sector_t sector_number;
	u64 nr_sectors;
} __packed;

struct blkif_x86_64_request_indirect {
	u8 operation;
	u8 indirect_op;
	u16 nr_segments;
	u32 _pad1;
	u64 id;
	blkif_sector_t sector_number;
	blkif_vdev_t handle;
	u16 _pad2;
	u32 indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u32 _pad3;
} __packed;

struct blkif_x86_64_response {
	u64 id;
	u8 operation;
	u8 _pad1;
	s16 status;
	u32 _pad2;
} __packed;

/* Slot sizes: a slot holds the largest request (or response). */
#define BLKIF_X86_32_SLOT_SIZE		108
#define BLKIF_X86_64_SLOT_SIZE		112

static_assert(sizeof(struct blkif_request_segment) == 8);
static_assert(sizeof(struct blkif_x86_32_request) == BLKIF_X86_32_SLOT_SIZE);
static_assert(sizeof(struct blkif_x86_32_request_discard) == 28);
static_assert(sizeof(struct blkif_x86_32_request_indirect) == 64);
static_assert(sizeof(struct blkif_x86_32_response) == 12);
static_assert(offsetof(struct blkif_x86_32_request, id) == 4);
static_assert(offsetof(struct blkif_x86_32_request_indirect, handle) == 20);
static_assert(offsetof(struct blkif_x86_32_request_indirect,
		       indirect_grefs) == 24);
static_assert(sizeof(struct blkif_x86_64_request) == BLKIF_X86_64_SLOT_SIZE);
static_assert(sizeof(struct blkif_x86_64_request_discard) == 32);
static_assert(sizeof(struct blkif_x86_64_request_indirect) == 64);
static_assert(sizeof(struct blkif_x86_64_response) == 16);
static_assert(offsetof(struct blkif_x86_64_request, id) == 8);
static_assert(offsetof(struct blkif_x86_64_request_indirect, handle) == 24);
static_assert(offsetof(struct blkif_x86_64_request_indirect,
		       indirect_grefs) == 28);

/* The native slot: a request is always larger than a response. */
#define BLKIF_NATIVE_SLOT_SIZE		sizeof(struct blkif_request)
static_assert(sizeof(struct blkif_request_indirect) == 64);
static_assert(sizeof(struct blkif_request_discard) <= BLKIF_NATIVE_SLOT_SIZE);
#ifdef CONFIG_X86_64
static_assert(sizeof(struct blkif_request) == BLKIF_X86_64_SLOT_SIZE);
static_assert(offsetof(struct blkif_request_indirect, indirect_grefs) == 28);
static_assert(sizeof(struct blkif_response) == 16);
#endif

#endif /* _XEN_BLKIF_H */
