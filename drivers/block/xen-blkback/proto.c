// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * xen-blkback protocol core.  See proto.h for who calls what; nothing
 * here reads shared memory, sleeps or allocates.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/build_bug.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <xen/xenbus_parse.h>
#include "proto.h"

/*
 * Where the fields of each request kind sit in one ABI's slot.  Byte 0 is
 * always the operation and the 64-bit id follows the first four bytes at
 * the same place in every kind of request.  Bytes 1-3 are nr_segments and
 * handle (read/write), flag and handle (discard), or indirect_op and a
 * 16-bit nr_segments (indirect).
 */
struct blkback_layout {
	u8 id;
	u8 sector;
	u8 seg;
	u8 nr_sectors;
	u8 ind_handle;
	u8 ind_grefs;
	u8 slot_size;
	u8 rsp_size;
};

static const struct blkback_layout blkback_layouts[BLKBACK_ABI_NR] = {
	[BLKBACK_ABI_NATIVE] = {
		.id = offsetof(struct blkif_request, id),
		.sector = offsetof(struct blkif_request, sector_number),
		.seg = offsetof(struct blkif_request, seg),
		.nr_sectors = offsetof(struct blkif_request_discard,
				       nr_sectors),
		.ind_handle = offsetof(struct blkif_request_indirect, handle),
		.ind_grefs = offsetof(struct blkif_request_indirect,
				      indirect_grefs),
		.slot_size = BLKIF_NATIVE_SLOT_SIZE,
		.rsp_size = sizeof(struct blkif_response),
	},
	[BLKBACK_ABI_X86_32] = {
		.id = offsetof(struct blkif_x86_32_request, id),
		.sector = offsetof(struct blkif_x86_32_request, sector_number),
		.seg = offsetof(struct blkif_x86_32_request, seg),
		.nr_sectors = offsetof(struct blkif_x86_32_request_discard,
				       nr_sectors),
		.ind_handle = offsetof(struct blkif_x86_32_request_indirect,
				       handle),
		.ind_grefs = offsetof(struct blkif_x86_32_request_indirect,
				      indirect_grefs),
		.slot_size = BLKIF_X86_32_SLOT_SIZE,
		.rsp_size = sizeof(struct blkif_x86_32_response),
	},
	[BLKBACK_ABI_X86_64] = {
		.id = offsetof(struct blkif_x86_64_request, id),
		.sector = offsetof(struct blkif_x86_64_request, sector_number),
		.seg = offsetof(struct blkif_x86_64_request, seg),
		.nr_sectors = offsetof(struct blkif_x86_64_request_discard,
				       nr_sectors),
		.ind_handle = offsetof(struct blkif_x86_64_request_indirect,
				       handle),
		.ind_grefs = offsetof(struct blkif_x86_64_request_indirect,
				      indirect_grefs),
		.slot_size = BLKIF_X86_64_SLOT_SIZE,
		.rsp_size = sizeof(struct blkif_x86_64_response),
	},
};

static_assert(BLKIF_NATIVE_SLOT_SIZE <= BLKBACK_MAX_SLOT_SIZE);
static_assert(BLKIF_X86_32_SLOT_SIZE <= BLKBACK_MAX_SLOT_SIZE);
static_assert(BLKIF_X86_64_SLOT_SIZE <= BLKBACK_MAX_SLOT_SIZE);
static_assert(sizeof(struct blkif_response) <= BLKBACK_MAX_RSP_SIZE);
static_assert(sizeof(struct blkif_x86_64_response) <= BLKBACK_MAX_RSP_SIZE);
static_assert(BLKBACK_MAX_INDIRECT_SEGS <= U16_MAX);

/**
 * blkback_parse_protocol() - the ring ABI from the frontend's "protocol"
 * @s: the value of "protocol", or NULL if the key is absent
 * @abi: the result; untouched on error
 *
 * Return: 0, or -EINVAL for a name this backend does not serve.
 */
int blkback_parse_protocol(const char *s, enum blkback_abi *abi)
{
	if (!s)
		*abi = BLKBACK_ABI_NATIVE;
	else if (!strcmp(s, "x86_32-abi"))
		*abi = BLKBACK_ABI_X86_32;
	else if (!strcmp(s, "x86_64-abi"))
		*abi = BLKBACK_ABI_X86_64;
	else
		return -EINVAL;
	return 0;
}

/**
 * blkback_slot_size() - bytes per ring slot
 * @abi: the ring ABI
 *
 * Return: the slot size, or 0 for an invalid @abi.
 */
u32 blkback_slot_size(enum blkback_abi abi)
{
	if ((unsigned int)abi >= BLKBACK_ABI_NR)
		return 0;
	return blkback_layouts[abi].slot_size;
}

static u16 get16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u32 get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 get64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/**
 * blkback_copy_req() - convert a request slot into struct blkback_req
 * @abi: the ring ABI
 * @slot: a private copy of the slot, blkback_slot_size() bytes
 * @out: the request; fields a kind of request does not have are 0
 *
 * Nothing is validated here beyond the ABI: counts are copied as the
 * frontend wrote them (with at most as many segments and indirect grants
 * as the structure holds), and blkback_check_req() judges them.  The id
 * and operation are always filled in, so that any request can be
 * answered.
 *
 * Return: 0, or -EINVAL for an invalid @abi (@out is then zeroed).
 */
int blkback_copy_req(enum blkback_abi abi, const void *slot,
		     struct blkback_req *out)
{
	const struct blkback_layout *l;
	const u8 *p = slot;
	u32 i, n;

	memset(out, 0, sizeof(*out));
	if ((unsigned int)abi >= BLKBACK_ABI_NR)
		return -EINVAL;
	l = &blkback_layouts[abi];

	out->operation = p[0];
	out->op = p[0];
	out->id = get64(p + l->id);
	out->sector = get64(p + l->sector);

	switch (out->operation) {
	case BLKIF_OP_INDIRECT:
		out->op = p[1];
		out->nr_segs = get16(p + 2);
		out->handle = get16(p + l->ind_handle);
		n = (out->nr_segs + BLKIF_SEGS_PER_INDIRECT_PAGE - 1) /
		    BLKIF_SEGS_PER_INDIRECT_PAGE;
		out->nr_indirect_pages = n;
		if (n > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST)
			n = BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST;
		for (i = 0; i < n; i++)
			out->indirect_grefs[i] =
				get32(p + l->ind_grefs + 4 * i);
		break;
	case BLKIF_OP_DISCARD:
		out->discard_flag = p[1];
		out->handle = get16(p + 2);
		out->nr_sectors = get64(p + l->nr_sectors);
		break;
	default:
		/* Read, write, flush, barrier: and unknown ones, harmlessly. */
		out->nr_segs = p[1];
		out->handle = get16(p + 2);
		n = out->nr_segs;
		if (n > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			n = BLKIF_MAX_SEGMENTS_PER_REQUEST;
		for (i = 0; i < n; i++) {
			const u8 *s = p + l->seg +
				      i * sizeof(struct blkif_request_segment);

			out->segs[i].gref = get32(s);
			out->segs[i].first_sect = s[4];
			out->segs[i].last_sect = s[5];
		}
		break;
	}
	return 0;
}

/**
 * blkback_check_segs() - validate segments and count their sectors
 * @segs: private copy of the segments (a direct request's, or one
 *	indirect page's)
 * @n: number of segments to check
 * @sect_shift: log2 of the protocol unit, 9 to 12
 * @total_sectors: incremented by the sectors of all segments, on success
 *
 * Each segment must satisfy first_sect <= last_sect < 4096 >> @sect_shift.
 *
 * Return: 0, or -EINVAL if a segment (or @sect_shift) is invalid.
 */
int blkback_check_segs(const struct blkif_request_segment *segs, u32 n,
		       u32 sect_shift, u64 *total_sectors)
{
	u64 sum = 0;
	u32 per_page, i;

	if (sect_shift < BLKIF_SECTOR_SHIFT || sect_shift > 12)
		return -EINVAL;
	per_page = BLKIF_PAGE_SIZE >> sect_shift;
	for (i = 0; i < n; i++) {
		u8 first = segs[i].first_sect, last = segs[i].last_sect;

		if (first > last || last >= per_page)
			return -EINVAL;
		sum += last - first + 1;
	}
	*total_sectors += sum;
	return 0;
}

/**
 * blkback_check_range() - are sectors [@sector, @sector + @count) on the disk?
 * @disk: the device
 * @sector: first sector, in protocol units
 * @count: number of sectors, in protocol units
 *
 * Return: 0, or -EINVAL if any of them lies past the end (or the range
 * wraps around).
 */
int blkback_check_range(const struct blkback_disk *disk, u64 sector,
			u64 count)
{
	if (sector > disk->nr_sectors || count > disk->nr_sectors - sector)
		return -EINVAL;
	return 0;
}

static int reject(enum blkback_reject *why, enum blkback_reject r, int err)
{
	if (why)
		*why = r;
	return err;
}

/* Read, write, flush and barrier with their segments in the slot. */
static int check_direct(const struct blkback_req *req,
			const struct blkback_disk *disk,
			enum blkback_reject *why)
{
	bool data_op = req->operation == BLKIF_OP_READ ||
		       req->operation == BLKIF_OP_WRITE;
	u64 total = 0;

	if (req->nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST ||
	    (data_op && !req->nr_segs))
		return reject(why, BLKBACK_REQ_BAD_NR_SEGS, -EINVAL);
	/* A flush without data carries no sectors at all. */
	if (!req->nr_segs)
		return reject(why, BLKBACK_REQ_OK, 0);
	if (req->operation != BLKIF_OP_READ && disk->readonly)
		return reject(why, BLKBACK_REQ_READONLY, -EROFS);
	if (blkback_check_segs(req->segs, req->nr_segs, disk->sect_shift,
			       &total))
		return reject(why, BLKBACK_REQ_BAD_SEG, -EINVAL);
	if (blkback_check_range(disk, req->sector, total))
		return reject(why, BLKBACK_REQ_BAD_RANGE, -EINVAL);
	return reject(why, BLKBACK_REQ_OK, 0);
}

static int check_indirect(const struct blkback_req *req,
			  const struct blkback_disk *disk,
			  enum blkback_reject *why)
{
	u32 max = disk->max_indirect_segs;
	u32 pages;

	if (!max)
		return reject(why, BLKBACK_REQ_NO_INDIRECT, -EOPNOTSUPP);
	if (max > BLKBACK_MAX_INDIRECT_SEGS)
		max = BLKBACK_MAX_INDIRECT_SEGS;
	if (req->op != BLKIF_OP_READ && req->op != BLKIF_OP_WRITE)
		return reject(why, BLKBACK_REQ_BAD_INDIRECT_OP, -EINVAL);
	if (req->op == BLKIF_OP_WRITE && disk->readonly)
		return reject(why, BLKBACK_REQ_READONLY, -EROFS);
	if (!req->nr_segs || req->nr_segs > max)
		return reject(why, BLKBACK_REQ_BAD_INDIRECT_SEGS, -EINVAL);
	pages = (req->nr_segs + BLKIF_SEGS_PER_INDIRECT_PAGE - 1) /
		BLKIF_SEGS_PER_INDIRECT_PAGE;
	if (req->nr_indirect_pages != pages ||
	    pages > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST)
		return reject(why, BLKBACK_REQ_BAD_INDIRECT_PAGES, -EINVAL);
	/* The segments are checked page by page, the full range after. */
	if (req->sector >= disk->nr_sectors)
		return reject(why, BLKBACK_REQ_BAD_RANGE, -EINVAL);
	return reject(why, BLKBACK_REQ_OK, 0);
}

/**
 * blkback_check_req() - may this request be carried out?
 * @req: the request from blkback_copy_req()
 * @disk: the device and the features advertised for it
 * @why: if not NULL, the reason for a refusal (BLKBACK_REQ_OK if none)
 *
 * A direct request is checked completely.  An indirect request is
 * checked as far as the slot goes; the caller must then copy each
 * indirect page, check its segments with blkback_check_segs() and the
 * whole range with blkback_check_range().  A discard of 0 sectors is
 * accepted (there is nothing to do); the BLKIF_DISCARD_SECURE flag is
 * only meaningful if @disk->discard_secure and is ignored otherwise.
 *
 * Return: 0; -EOPNOTSUPP for an unknown or unadvertised operation,
 * -EROFS for a write to a read-only device, -EINVAL for anything else
 * malformed.  blkback_status() turns this into the response status.
 */
int blkback_check_req(const struct blkback_req *req,
		      const struct blkback_disk *disk,
		      enum blkback_reject *why)
{
	if (disk->sect_shift < BLKIF_SECTOR_SHIFT || disk->sect_shift > 12)
		return reject(why, BLKBACK_REQ_BAD_DISK, -EINVAL);

	switch (req->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		return check_direct(req, disk, why);
	case BLKIF_OP_WRITE_BARRIER:
		if (!disk->barrier)
			return reject(why, BLKBACK_REQ_NO_BARRIER, -EOPNOTSUPP);
		return check_direct(req, disk, why);
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (!disk->flush)
			return reject(why, BLKBACK_REQ_NO_FLUSH, -EOPNOTSUPP);
		return check_direct(req, disk, why);
	case BLKIF_OP_DISCARD:
		if (!disk->discard)
			return reject(why, BLKBACK_REQ_NO_DISCARD, -EOPNOTSUPP);
		if (disk->readonly)
			return reject(why, BLKBACK_REQ_READONLY, -EROFS);
		if (blkback_check_range(disk, req->sector, req->nr_sectors))
			return reject(why, BLKBACK_REQ_BAD_RANGE, -EINVAL);
		return reject(why, BLKBACK_REQ_OK, 0);
	case BLKIF_OP_INDIRECT:
		return check_indirect(req, disk, why);
	default:
		return reject(why, BLKBACK_REQ_BAD_OP, -EOPNOTSUPP);
	}
}

/**
 * blkback_build_rsp() - lay out a response for the ring
 * @abi: the ring ABI
 * @id: the request's id
 * @op: the operation to report, from blkback_rsp_op()
 * @status: BLKIF_RSP_*, from blkback_status()
 * @out: private buffer of BLKBACK_MAX_RSP_SIZE bytes
 *
 * Padding bytes are zeroed, so nothing private leaks into the ring.
 *
 * Return: the response length to pass to xenring_put_rsp(), or 0 for an
 * invalid @abi.
 */
size_t blkback_build_rsp(enum blkback_abi abi, u64 id, u8 op, s16 status,
			 void *out)
{
	u8 *p = out;
	size_t len;

	if ((unsigned int)abi >= BLKBACK_ABI_NR)
		return 0;
	len = blkback_layouts[abi].rsp_size;
	memset(p, 0, len);
	/* id at 0, operation at 8 and status at 10 in every ABI. */
	memcpy(p + offsetof(struct blkif_response, id), &id, sizeof(id));
	p[offsetof(struct blkif_response, operation)] = op;
	memcpy(p + offsetof(struct blkif_response, status), &status,
	       sizeof(status));
	return len;
}

static_assert(offsetof(struct blkif_response, operation) ==
	      offsetof(struct blkif_x86_32_response, operation));
static_assert(offsetof(struct blkif_response, status) ==
	      offsetof(struct blkif_x86_32_response, status));
static_assert(offsetof(struct blkif_response, status) ==
	      offsetof(struct blkif_x86_64_response, status));

/**
 * blkback_info() - the "info" key for a disk
 * @disk: the device
 *
 * Return: the VDISK_* bits of @disk: VDISK_CDROM, VDISK_REMOVABLE and
 * VDISK_READONLY.
 */
u32 blkback_info(const struct blkback_disk *disk)
{
	return (disk->cdrom ? VDISK_CDROM : 0) |
	       (disk->removable ? VDISK_REMOVABLE : 0) |
	       (disk->readonly ? VDISK_READONLY : 0);
}

/* White space as the kernel's isspace() has it: Latin-1 NBSP included. */
static bool blkback_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

/**
 * blkback_discard_enabled() - may discard be offered, by "discard-enable"?
 * @val: the value of the toolstack's "discard-enable" in our directory,
 *	NUL-terminated, or NULL if the key is absent
 *
 * The key is read as Linux's blkback reads it, with xenbus_read_unsigned()
 * and a default of 1, so that a toolstack's value means the same to both
 * backends: white space is skipped, then a decimal number must start
 * (else the default applies), whatever follows its digits is ignored, and
 * the number is kept modulo 2^32.  Discard stays allowed unless the
 * number is 0: "0", " 0", "00" and "0x1" disable it; "", "no" and "-1"
 * do not.  It is only allowed: the device must support it too.
 *
 * Return: false if the toolstack disabled discard, else true.
 */
bool blkback_discard_enabled(const char *val)
{
	const unsigned char *p = (const unsigned char *)val;
	u32 n = 0;

	if (!p)
		return true;
	while (blkback_space(*p))
		p++;
	if (*p < '0' || *p > '9')
		return true;
	for (; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	return n != 0;
}

static const char *const blkback_fe_keys[BLKBACK_FE_NR] = {
	[BLKBACK_FE_RING_ORDER] = "ring-page-order",
	[BLKBACK_FE_RING_PAGES] = "num-ring-pages",
	[BLKBACK_FE_QUEUES] = "multi-queue-num-queues",
	[BLKBACK_FE_PERSISTENT] = "feature-persistent",
	[BLKBACK_FE_LARGE_SECTORS] = "feature-large-sector-size",
};

/**
 * blkback_fe_key_name() - the xenstore name of a frontend key
 * @key: one of enum blkback_fe_key
 *
 * Return: the name, relative to the frontend's directory, or NULL for a
 * value outside the enum.
 */
const char *blkback_fe_key_name(enum blkback_fe_key key)
{
	if ((unsigned int)key >= BLKBACK_FE_NR)
		return NULL;
	return blkback_fe_keys[key];
}

static u64 *fe_field(struct blkback_frontend *fe, enum blkback_fe_key k)
{
	switch (k) {
	case BLKBACK_FE_RING_ORDER:
		return &fe->ring_order;
	case BLKBACK_FE_RING_PAGES:
		return &fe->ring_pages;
	case BLKBACK_FE_QUEUES:
		return &fe->nr_queues;
	case BLKBACK_FE_PERSISTENT:
		return &fe->persistent;
	default:
		return &fe->large_sectors;
	}
}

/**
 * blkback_parse_key() - record one frontend key
 * @fe: the frontend description being collected
 * @key: key name relative to the frontend directory
 * @val: its value, NUL-terminated, as read (once) from xenstore
 *
 * Every key is an unsigned 32-bit decimal.  A value that does not parse
 * leaves the key absent.
 *
 * Return: 0, -ENOENT for a key not handled here, or the error of
 * xenbus_parse_uint().
 */
int blkback_parse_key(struct blkback_frontend *fe, const char *key,
		      const char *val)
{
	unsigned int k;

	for (k = 0; k < BLKBACK_FE_NR; k++) {
		u64 v;
		int err;

		if (strcmp(key, blkback_fe_keys[k]))
			continue;
		err = xenbus_parse_uint(val, U32_MAX, &v);
		if (err)
			return err;
		*fe_field(fe, k) = v;
		fe->present |= 1u << k;
		return 0;
	}
	return -ENOENT;
}

static bool fe_has(const struct blkback_frontend *fe, enum blkback_fe_key k)
{
	return fe->present & (1u << k);
}

/**
 * blkback_choose_ring() - validate the transport the frontend asked for
 * @fe: frontend keys read when the frontend reached Initialised
 * @lim: what this backend advertised
 * @rc: the result; only meaningful on success
 *
 * Unlike a frontend, which adapts to the backend's offer, the backend can
 * only accept or refuse: the frontend has already allocated and granted
 * its rings.  The ring size comes from "ring-page-order", or from the
 * legacy "num-ring-pages" (a power of two); if both are present they
 * must agree.  Absent keys mean one page and one queue.
 *
 * Return: 0, or -EINVAL if the request exceeds the offer or is
 * inconsistent.
 */
int blkback_choose_ring(const struct blkback_frontend *fe,
			const struct blkback_limits *lim,
			struct blkback_ring_conf *rc)
{
	u32 max_order = lim->max_ring_order;
	u32 max_queues = lim->max_queues;
	u64 order = 0;

	memset(rc, 0, sizeof(*rc));
	if (max_order > BLKBACK_MAX_RING_ORDER)
		max_order = BLKBACK_MAX_RING_ORDER;
	if (!max_queues)
		max_queues = 1;
	if (max_queues > BLKBACK_MAX_QUEUES)
		max_queues = BLKBACK_MAX_QUEUES;

	if (fe_has(fe, BLKBACK_FE_RING_PAGES)) {
		u64 pages = fe->ring_pages;

		if (!pages || (pages & (pages - 1)))
			return -EINVAL;
		while (pages > 1) {
			pages >>= 1;
			order++;
		}
	}
	if (fe_has(fe, BLKBACK_FE_RING_ORDER)) {
		if (fe_has(fe, BLKBACK_FE_RING_PAGES) &&
		    fe->ring_order != order)
			return -EINVAL;
		order = fe->ring_order;
	}
	if (order > max_order)
		return -EINVAL;
	rc->ring_order = order;

	rc->nr_queues = 1;
	if (fe_has(fe, BLKBACK_FE_QUEUES)) {
		if (!fe->nr_queues || fe->nr_queues > max_queues)
			return -EINVAL;
		rc->nr_queues = fe->nr_queues;
	}
	rc->persistent = lim->persistent && fe->persistent;
	rc->large_sectors = fe->large_sectors;
	return 0;
}
