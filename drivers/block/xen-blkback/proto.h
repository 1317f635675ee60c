/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * xen-blkback protocol core: frontend keys, ring requests and responses,
 * in plain C.
 *
 * Everything a frontend writes is untrusted.  The OS glue reads each
 * frontend key once and passes the string to blkback_parse_key(); it
 * copies each request slot out of the shared ring (xenring_take_req())
 * and passes the private copy to blkback_copy_req() and then to
 * blkback_check_req(); it copies each indirect page before checking it
 * with blkback_check_segs().  Only a request that passed every check may
 * be mapped or submitted.  Responses are built privately with
 * blkback_build_rsp() and written with xenring_put_rsp().
 *
 * The same file is compiled in userspace by tools/testing/xen for unit
 * tests and fuzzing.
 */
#ifndef _XEN_BLKBACK_PROTO_H
#define _XEN_BLKBACK_PROTO_H

#include <linux/types.h>
#include <linux/errno.h>
#include <xen/blkif.h>

/**
 * enum blkback_abi - layout of the ring, from the frontend's "protocol"
 * @BLKBACK_ABI_NATIVE: the backend's own layout ("protocol" absent)
 * @BLKBACK_ABI_X86_32: "x86_32-abi"
 * @BLKBACK_ABI_X86_64: "x86_64-abi"
 * @BLKBACK_ABI_NR: number of ABIs
 */
enum blkback_abi {
	BLKBACK_ABI_NATIVE,
	BLKBACK_ABI_X86_32,
	BLKBACK_ABI_X86_64,
	BLKBACK_ABI_NR
};

/* Big enough for a request slot or a response of any ABI. */
#define BLKBACK_MAX_SLOT_SIZE		112
#define BLKBACK_MAX_RSP_SIZE		16

/* Largest ring this backend maps: 2^4 pages (max-ring-page-order). */
#define BLKBACK_MAX_RING_ORDER		4
/* Most queues a frontend may ask for. */
#define BLKBACK_MAX_QUEUES		16
/* Most segments one indirect request can describe. */
#define BLKBACK_MAX_INDIRECT_SEGS	\
	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * BLKIF_SEGS_PER_INDIRECT_PAGE)

int blkback_parse_protocol(const char *s, enum blkback_abi *abi);
u32 blkback_slot_size(enum blkback_abi abi);

/**
 * struct blkback_req - a request in the backend's own, ABI-neutral form
 * @operation: BLKIF_OP_* as the frontend wrote it
 * @op: the operation to perform: @operation, or for BLKIF_OP_INDIRECT
 *	the inner read or write operation
 * @discard_flag: BLKIF_DISCARD_* flags of a discard
 * @handle: the virtual device the frontend named
 * @nr_segs: data segments: in @segs for a direct request, in the
 *	indirect pages for BLKIF_OP_INDIRECT
 * @nr_indirect_pages: indirect pages @nr_segs needs (BLKIF_OP_INDIRECT)
 * @id: the frontend's cookie, echoed in the response
 * @sector: first sector, in protocol units
 * @nr_sectors: sectors to discard, in protocol units (BLKIF_OP_DISCARD)
 * @indirect_grefs: grants of the indirect pages; the first
 *	min(@nr_indirect_pages, 8) are copied
 * @segs: the segments of a direct request; the first min(@nr_segs, 11)
 *	are copied
 */
struct blkback_req {
	u8 operation;
	u8 op;
	u8 discard_flag;
	u16 handle;
	u16 nr_segs;
	u32 nr_indirect_pages;
	u64 id;
	u64 sector;
	u64 nr_sectors;
	u32 indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct blkif_request_segment segs[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

int blkback_copy_req(enum blkback_abi abi, const void *slot,
		     struct blkback_req *out);

/**
 * struct blkback_disk - what the backend offers for one device
 * @nr_sectors: disk size in protocol units (512 bytes, or the logical
 *	block size when large sectors were agreed)
 * @sect_shift: log2 of the protocol unit, 9 to 12
 * @readonly: the device is read-only
 * @cdrom: the toolstack's "device-type" is "cdrom", or the device is a
 *	CD-ROM drive
 * @removable: the device has removable media
 * @discard: "feature-discard" was advertised
 * @discard_secure: "discard-secure" was advertised
 * @flush: "feature-flush-cache" was advertised
 * @barrier: "feature-barrier" was advertised (the device has a volatile
 *	write cache, as for @flush)
 * @max_indirect_segs: "feature-max-indirect-segments", 0 if not
 *	advertised; values above BLKBACK_MAX_INDIRECT_SEGS count as that
 */
struct blkback_disk {
	u64 nr_sectors;
	u32 sect_shift;
	bool readonly;
	bool cdrom;
	bool removable;
	bool discard;
	bool discard_secure;
	bool flush;
	bool barrier;
	u32 max_indirect_segs;
};

u32 blkback_info(const struct blkback_disk *disk);
bool blkback_discard_enabled(const char *val);

/**
 * enum blkback_reject - why blkback_check_req() refused a request
 * @BLKBACK_REQ_OK: accepted
 * @BLKBACK_REQ_BAD_OP: unknown operation
 * @BLKBACK_REQ_NO_FLUSH: flush without "feature-flush-cache"
 * @BLKBACK_REQ_NO_BARRIER: barrier without "feature-barrier"
 * @BLKBACK_REQ_NO_DISCARD: discard without "feature-discard"
 * @BLKBACK_REQ_NO_INDIRECT: indirect request without
 *	"feature-max-indirect-segments"
 * @BLKBACK_REQ_READONLY: the request would write a read-only device
 * @BLKBACK_REQ_BAD_NR_SEGS: direct request with too many segments, or a
 *	read or write with none
 * @BLKBACK_REQ_BAD_INDIRECT_OP: indirect request that is not a read or
 *	a write
 * @BLKBACK_REQ_BAD_INDIRECT_SEGS: indirect request with no segments or
 *	more than the backend advertised
 * @BLKBACK_REQ_BAD_INDIRECT_PAGES: indirect page count does not match
 *	the segment count
 * @BLKBACK_REQ_BAD_SEG: a segment runs backwards or past its page
 * @BLKBACK_REQ_BAD_RANGE: the sectors are not all on the device
 * @BLKBACK_REQ_BAD_DISK: the struct blkback_disk itself is invalid
 */
enum blkback_reject {
	BLKBACK_REQ_OK,
	BLKBACK_REQ_BAD_OP,
	BLKBACK_REQ_NO_FLUSH,
	BLKBACK_REQ_NO_BARRIER,
	BLKBACK_REQ_NO_DISCARD,
	BLKBACK_REQ_NO_INDIRECT,
	BLKBACK_REQ_READONLY,
	BLKBACK_REQ_BAD_NR_SEGS,
	BLKBACK_REQ_BAD_INDIRECT_OP,
	BLKBACK_REQ_BAD_INDIRECT_SEGS,
	BLKBACK_REQ_BAD_INDIRECT_PAGES,
	BLKBACK_REQ_BAD_SEG,
	BLKBACK_REQ_BAD_RANGE,
	BLKBACK_REQ_BAD_DISK,
};

int blkback_check_req(const struct blkback_req *req,
		      const struct blkback_disk *disk,
		      enum blkback_reject *why);
int blkback_check_segs(const struct blkif_request_segment *segs, u32 n,
		       u32 sect_shift, u64 *total_sectors);
int blkback_check_range(const struct blkback_disk *disk, u64 sector,
			u64 count);

/**
 * blkback_rsp_op() - the operation a response carries
 * @req: the request being answered
 *
 * An indirect request is answered with its inner operation, as frontends
 * expect.
 *
 * Return: the operation for blkback_build_rsp().
 */
static inline u8 blkback_rsp_op(const struct blkback_req *req)
{
	return req->operation == BLKIF_OP_INDIRECT ? req->op : req->operation;
}

/**
 * blkback_status() - the response status for a result
 * @err: 0 or a negative errno from checking or performing the request
 *
 * Return: BLKIF_RSP_OKAY, BLKIF_RSP_EOPNOTSUPP for -EOPNOTSUPP, else
 * BLKIF_RSP_ERROR.
 */
static inline s16 blkback_status(int err)
{
	if (!err)
		return BLKIF_RSP_OKAY;
	if (err == -EOPNOTSUPP)
		return BLKIF_RSP_EOPNOTSUPP;
	return BLKIF_RSP_ERROR;
}

size_t blkback_build_rsp(enum blkback_abi abi, u64 id, u8 op, s16 status,
			 void *out);

/* Bits of struct blkback_frontend.present: which keys the frontend wrote. */
enum blkback_fe_key {
	BLKBACK_FE_RING_ORDER,
	BLKBACK_FE_RING_PAGES,
	BLKBACK_FE_QUEUES,
	BLKBACK_FE_PERSISTENT,
	BLKBACK_FE_LARGE_SECTORS,
	BLKBACK_FE_NR
};

/**
 * struct blkback_frontend - frontend keys, each parsed once
 * @present: bit (1 << enum blkback_fe_key) for each key that was found
 *	and parsed; the value of an absent key is 0
 * @ring_order: "ring-page-order"
 * @ring_pages: "num-ring-pages" (legacy)
 * @nr_queues: "multi-queue-num-queues"
 * @persistent: "feature-persistent"
 * @large_sectors: "feature-large-sector-size"
 *
 * "protocol" is a string and goes to blkback_parse_protocol() instead.
 */
struct blkback_frontend {
	u32 present;
	u64 ring_order;
	u64 ring_pages;
	u64 nr_queues;
	u64 persistent;
	u64 large_sectors;
};

int blkback_parse_key(struct blkback_frontend *fe, const char *key,
		      const char *val);
const char *blkback_fe_key_name(enum blkback_fe_key key);

/**
 * struct blkback_limits - what this backend advertised
 * @max_ring_order: "max-ring-page-order"; above BLKBACK_MAX_RING_ORDER
 *	counts as that
 * @max_queues: "multi-queue-max-queues"; 0 counts as 1, above
 *	BLKBACK_MAX_QUEUES as that
 * @persistent: "feature-persistent"
 * @max_indirect: "feature-max-indirect-segments", 0 if not offered
 */
struct blkback_limits {
	u32 max_ring_order;
	u32 max_queues;
	bool persistent;
	u32 max_indirect;
};

/**
 * struct blkback_ring_conf - the transport the frontend chose
 * @ring_order: each ring is 1 << @ring_order pages; the grants are in
 *	"ring-ref" for a one-page ring, else in "ring-ref0", "ring-ref1", ...
 * @nr_queues: number of rings; with more than one, each ring's keys are
 *	in the "queue-N" subdirectory
 * @persistent: both ends want persistent grants
 * @large_sectors: sector quantities are in units of "sector-size"
 */
struct blkback_ring_conf {
	u32 ring_order;
	u32 nr_queues;
	bool persistent;
	bool large_sectors;
};

int blkback_choose_ring(const struct blkback_frontend *fe,
			const struct blkback_limits *lim,
			struct blkback_ring_conf *rc);

#endif /* _XEN_BLKBACK_PROTO_H */
