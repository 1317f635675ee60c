// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * xen-blkfront protocol core.  See proto.h for the division of labour;
 * everything here works on private copies and never sleeps.
 */
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <xen/xenbus_parse.h>
#include "proto.h"

struct blkfront_key_desc {
	const char *name;
	size_t offset;		/* of the u64 in struct blkfront_backend */
	u64 max;
};

#define KEY(_k, _name, _field, _max) \
	[_k] = { _name, offsetof(struct blkfront_backend, _field), _max }

static const struct blkfront_key_desc blkfront_keys[BLKFRONT_KEY_NR] = {
	KEY(BLKFRONT_KEY_SECTORS, "sectors", sectors, U64_MAX),
	KEY(BLKFRONT_KEY_INFO, "info", info, U32_MAX),
	KEY(BLKFRONT_KEY_SECTOR_SIZE, "sector-size", sector_size, U32_MAX),
	KEY(BLKFRONT_KEY_PHYS_SECTOR_SIZE, "physical-sector-size",
	    phys_sector_size, U32_MAX),
	KEY(BLKFRONT_KEY_MAX_RING_ORDER, "max-ring-page-order",
	    max_ring_order, U32_MAX),
	KEY(BLKFRONT_KEY_MAX_RING_PAGES, "max-ring-pages", max_ring_pages,
	    U32_MAX),
	KEY(BLKFRONT_KEY_MAX_QUEUES, "multi-queue-max-queues", max_queues,
	    U32_MAX),
	KEY(BLKFRONT_KEY_MAX_INDIRECT, "feature-max-indirect-segments",
	    max_indirect, U32_MAX),
	KEY(BLKFRONT_KEY_FLUSH, "feature-flush-cache", flush, U32_MAX),
	KEY(BLKFRONT_KEY_BARRIER, "feature-barrier", barrier, U32_MAX),
	KEY(BLKFRONT_KEY_DISCARD, "feature-discard", discard, U32_MAX),
	KEY(BLKFRONT_KEY_DISCARD_SECURE, "discard-secure", discard_secure,
	    U32_MAX),
	KEY(BLKFRONT_KEY_DISCARD_GRAN, "discard-granularity", discard_gran,
	    U32_MAX),
	KEY(BLKFRONT_KEY_DISCARD_ALIGN, "discard-alignment", discard_align,
	    U32_MAX),
	KEY(BLKFRONT_KEY_PERSISTENT, "feature-persistent", persistent,
	    U32_MAX),
	KEY(BLKFRONT_KEY_LARGE_SECTORS, "feature-large-sector-size",
	    large_sectors, U32_MAX),
};

#undef KEY

/**
 * blkfront_key_name() - the xenstore name of a backend key
 * @key: one of enum blkfront_key
 *
 * Return: the name, or NULL for an unknown key.
 */
const char *blkfront_key_name(enum blkfront_key key)
{
	if ((unsigned int)key >= BLKFRONT_KEY_NR)
		return NULL;
	return blkfront_keys[key].name;
}

/**
 * blkfront_parse_key() - record one backend key
 * @be: the backend description being collected
 * @key: key name relative to the backend directory
 * @val: its value, NUL-terminated, as read (once) from xenstore
 *
 * A key that does not parse stays absent in @be.
 *
 * Return: 0, -ENOENT for a key this frontend does not use, or the error
 * of xenbus_parse_uint().
 */
int blkfront_parse_key(struct blkfront_backend *be, const char *key,
		       const char *val)
{
	unsigned int k;

	for (k = 0; k < BLKFRONT_KEY_NR; k++) {
		const struct blkfront_key_desc *d = &blkfront_keys[k];
		u64 v;
		int err;

		if (strcmp(key, d->name))
			continue;
		err = xenbus_parse_uint(val, d->max, &v);
		if (err)
			return err;
		memcpy((u8 *)be + d->offset, &v, sizeof(v));
		be->present |= 1u << k;
		return 0;
	}
	return -ENOENT;
}

static bool has(const struct blkfront_backend *be, enum blkfront_key k)
{
	return be->present & (1u << k);
}

static u32 floor_log2(u64 v)
{
	u32 l = 0;

	while (v >>= 1)
		l++;
	return l;
}

static bool power_of_2(u64 v)
{
	return v && !(v & (v - 1));
}

/**
 * blkfront_choose_ring() - pick ring size, queue count and features
 * @be: backend keys read during InitWait
 * @lim: this frontend's limits
 * @rc: the result
 *
 * Every value is clamped to what both ends allow; nothing the backend
 * writes can make the result invalid.  The large-sector mode is only used
 * when the backend advertises it too, because a backend that ignores the
 * frontend's request would count in 512-byte units.
 */
void blkfront_choose_ring(const struct blkfront_backend *be,
			  const struct blkfront_limits *lim,
			  struct blkfront_ring_conf *rc)
{
	u64 order = 0;
	u64 queues = 1;

	memset(rc, 0, sizeof(*rc));
	if (has(be, BLKFRONT_KEY_MAX_RING_ORDER)) {
		order = be->max_ring_order;
	} else if (has(be, BLKFRONT_KEY_MAX_RING_PAGES) &&
		   be->max_ring_pages) {
		order = floor_log2(be->max_ring_pages);
		rc->legacy_keys = true;
	}
	if (order > lim->max_ring_order)
		order = lim->max_ring_order;
	if (order > BLKFRONT_MAX_RING_ORDER)
		order = BLKFRONT_MAX_RING_ORDER;
	rc->ring_order = order;

	if (has(be, BLKFRONT_KEY_MAX_QUEUES) && be->max_queues)
		queues = be->max_queues;
	if (queues > lim->max_queues)
		queues = lim->max_queues;
	if (queues > BLKFRONT_MAX_QUEUES)
		queues = BLKFRONT_MAX_QUEUES;
	rc->nr_queues = queues ? queues : 1;

	rc->persistent = lim->persistent;
	rc->large_sectors = lim->large_sectors &&
			    has(be, BLKFRONT_KEY_LARGE_SECTORS) &&
			    be->large_sectors;
}

/**
 * blkfront_describe_disk() - validate the backend's disk description
 * @be: backend keys read when the backend reached Connected
 * @lim: this frontend's limits
 * @rc: the transport chosen by blkfront_choose_ring()
 * @dc: the result; only meaningful on success
 *
 * Sizes the block layer cannot represent are rejected; optional values
 * out of range are clamped to a safe default.
 *
 * Return: 0, or -EINVAL if the disk cannot be used.
 */
int blkfront_describe_disk(const struct blkfront_backend *be,
			   const struct blkfront_limits *lim,
			   const struct blkfront_ring_conf *rc,
			   struct blkfront_disk_conf *dc)
{
	u64 lsize, psize, units;

	memset(dc, 0, sizeof(*dc));
	if (!has(be, BLKFRONT_KEY_SECTORS) ||
	    !has(be, BLKFRONT_KEY_SECTOR_SIZE))
		return -EINVAL;
	lsize = be->sector_size;
	if (!power_of_2(lsize) || lsize < 512 || lsize > BLKIF_PAGE_SIZE)
		return -EINVAL;
	dc->logical_size = lsize;
	dc->sect_shift = rc->large_sectors ? floor_log2(lsize) :
			 BLKIF_SECTOR_SHIFT;

	/* Capacity in 512-byte units; whole logical blocks only. */
	units = be->sectors;
	if (units > (U64_MAX >> (dc->sect_shift + 1)))
		return -EINVAL;
	units <<= dc->sect_shift - BLKIF_SECTOR_SHIFT;
	units &= ~((lsize >> BLKIF_SECTOR_SHIFT) - 1);
	dc->capacity = units;

	psize = lsize;
	if (has(be, BLKFRONT_KEY_PHYS_SECTOR_SIZE) &&
	    power_of_2(be->phys_sector_size) &&
	    be->phys_sector_size >= lsize &&
	    be->phys_sector_size <= (1u << 20))
		psize = be->phys_sector_size;
	dc->physical_size = psize;

	dc->readonly = be->info & VDISK_READONLY;
	dc->cdrom = be->info & VDISK_CDROM;
	dc->removable = be->info & VDISK_REMOVABLE;

	if (be->flush) {
		dc->flush = true;
		dc->flush_op = BLKIF_OP_FLUSH_DISKCACHE;
	} else if (be->barrier) {
		dc->flush = true;
		dc->flush_op = BLKIF_OP_WRITE_BARRIER;
	}

	if (be->discard) {
		u64 gran = lsize, align = 0;

		if (power_of_2(be->discard_gran) &&
		    be->discard_gran >= lsize && be->discard_gran <= (1u << 30))
			gran = be->discard_gran;
		if (be->discard_align < gran &&
		    !(be->discard_align & (lsize - 1)))
			align = be->discard_align;
		dc->discard = true;
		dc->discard_secure = be->discard_secure;
		dc->discard_gran = gran;
		dc->discard_align = align;
	}

	dc->segs_per_req = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	if (be->max_indirect > BLKIF_MAX_SEGMENTS_PER_REQUEST &&
	    lim->max_indirect > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		u64 segs = be->max_indirect;

		if (segs > lim->max_indirect)
			segs = lim->max_indirect;
		if (segs > BLKFRONT_MAX_INDIRECT_SEGS)
			segs = BLKFRONT_MAX_INDIRECT_SEGS;
		dc->segs_per_req = segs;
		dc->indirect = true;
	}
	/*
	 * A barrier orders and flushes, so it also serves for FUA; a flush
	 * of the cache does not (the block layer then follows a FUA write
	 * with a flush).  The protocol has no indirect barrier: with
	 * indirect requests FUA is left to the block layer too.
	 */
	dc->fua = dc->flush && dc->flush_op == BLKIF_OP_WRITE_BARRIER &&
		  !dc->indirect;
	dc->backend_persistent = rc->persistent && be->persistent;
	return 0;
}

/* Convert a 512-byte sector count to protocol units, exactly. */
static int to_units(u64 sectors, u32 sect_shift, u64 *units)
{
	u32 extra = sect_shift - BLKIF_SECTOR_SHIFT;

	if (sectors & ((1ull << extra) - 1))
		return -EINVAL;
	*units = sectors >> extra;
	return 0;
}

static int fill_seg(const struct blkfront_seg *s, u32 shift,
		    struct blkif_request_segment *out)
{
	u32 mask = (1u << shift) - 1;
	u32 end = (u32)s->offset + s->len;

	if (!s->len || end > BLKIF_PAGE_SIZE || (s->offset & mask) ||
	    (s->len & mask))
		return -EINVAL;
	out->gref = s->gref;
	out->first_sect = s->offset >> shift;
	out->last_sect = (end >> shift) - 1;
	return 0;
}

/**
 * blkfront_build_rw() - build a read or write request
 * @io: the request
 * @dc: the connected disk
 * @slot: the ring slot (or a private buffer of the slot size) to fill
 *
 * A request with more than BLKIF_MAX_SEGMENTS_PER_REQUEST segments becomes
 * BLKIF_OP_INDIRECT; its segment array goes into @io->indirect_pages,
 * which the backend can read through @io->indirect_grefs.  A FUA write
 * becomes BLKIF_OP_WRITE_BARRIER with its data.
 *
 * Return: 0, or -EINVAL if the request does not fit the disk's limits or
 * a segment is not aligned to the protocol's sector unit.
 */
int blkfront_build_rw(const struct blkfront_io *io,
		      const struct blkfront_disk_conf *dc, void *slot)
{
	u8 op = io->write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
	u64 sector;
	u32 i;
	int err;

	if (!io->nr_segs || io->nr_segs > dc->segs_per_req)
		return -EINVAL;
	if (io->fua) {
		if (!io->write || !dc->fua ||
		    io->nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			return -EINVAL;
		op = BLKIF_OP_WRITE_BARRIER;
	}
	err = to_units(io->sector, dc->sect_shift, &sector);
	if (err)
		return err;

	/* Nothing stale, and no padding of ours, reaches the backend. */
	memset(slot, 0, BLKIF_NATIVE_SLOT_SIZE);
	if (io->nr_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		struct blkif_request *req = slot;

		for (i = 0; i < io->nr_segs; i++) {
			err = fill_seg(&io->segs[i], dc->sect_shift,
				       &req->seg[i]);
			if (err)
				return err;
		}
		req->operation = op;
		req->nr_segments = io->nr_segs;
		req->handle = io->handle;
		req->id = io->id;
		req->sector_number = sector;
	} else {
		struct blkif_request_indirect *req = slot;
		u32 pages = blkfront_indirect_pages(io->nr_segs);

		if (!dc->indirect)
			return -EINVAL;
		for (i = 0; i < io->nr_segs; i++) {
			struct blkif_request_segment *page;

			page = io->indirect_pages[i / BLKIF_SEGS_PER_INDIRECT_PAGE];
			err = fill_seg(&io->segs[i], dc->sect_shift,
				       &page[i % BLKIF_SEGS_PER_INDIRECT_PAGE]);
			if (err)
				return err;
		}
		i = io->nr_segs % BLKIF_SEGS_PER_INDIRECT_PAGE;
		if (i)
			memset(&io->indirect_pages[pages - 1][i], 0,
			       (BLKIF_SEGS_PER_INDIRECT_PAGE - i) *
			       sizeof(struct blkif_request_segment));
		req->operation = BLKIF_OP_INDIRECT;
		req->indirect_op = op;
		req->nr_segments = io->nr_segs;
		req->id = io->id;
		req->sector_number = sector;
		req->handle = io->handle;
		for (i = 0; i < pages; i++)
			req->indirect_grefs[i] = io->indirect_grefs[i];
	}
	return 0;
}

/**
 * blkfront_build_discard() - build a discard request
 * @handle: the virtual device number
 * @id: the ring id
 * @sector: first sector, in 512-byte units
 * @nr_sectors: sectors to discard, in 512-byte units
 * @secure: ask for a secure discard
 * @dc: the connected disk
 * @slot: the ring slot to fill
 *
 * Return: 0, or -EINVAL if discard is off or the range is not aligned to
 * the protocol's sector unit.
 */
int blkfront_build_discard(u16 handle, u64 id, u64 sector, u64 nr_sectors,
			   bool secure, const struct blkfront_disk_conf *dc,
			   void *slot)
{
	struct blkif_request_discard *req = slot;
	u64 first, count;

	if (!dc->discard || !nr_sectors || (secure && !dc->discard_secure))
		return -EINVAL;
	if (to_units(sector, dc->sect_shift, &first) ||
	    to_units(nr_sectors, dc->sect_shift, &count))
		return -EINVAL;
	memset(slot, 0, BLKIF_NATIVE_SLOT_SIZE);
	req->operation = BLKIF_OP_DISCARD;
	req->flag = secure ? BLKIF_DISCARD_SECURE : 0;
	req->handle = handle;
	req->id = id;
	req->sector_number = first;
	req->nr_sectors = count;
	return 0;
}

/**
 * blkfront_build_flush() - build a cache flush request without data
 * @handle: the virtual device number
 * @id: the ring id
 * @dc: the connected disk, with @dc->flush set
 * @slot: the ring slot to fill
 */
void blkfront_build_flush(u16 handle, u64 id,
			  const struct blkfront_disk_conf *dc, void *slot)
{
	struct blkif_request *req = slot;

	memset(slot, 0, BLKIF_NATIVE_SLOT_SIZE);
	req->operation = dc->flush_op;
	req->nr_segments = 0;
	req->handle = handle;
	req->id = id;
	req->sector_number = 0;
}

/**
 * blkfront_check_rsp() - validate a response copied out of the ring
 * @rsp: private copy of the response
 * @ids: the ring's id table
 * @ops: per id, the operation the response must carry (BLKFRONT_OP_*)
 * @status: the request's result as 0 or a negative errno, on success
 *
 * Unknown status values count as I/O errors.
 *
 * Return: 0 if @rsp answers an outstanding request with the right
 * operation; -EIO if the backend broke the protocol.
 */
int blkfront_check_rsp(const struct blkif_response *rsp,
		       const struct xenring_ids *ids, const u8 *ops,
		       int *status)
{
	u8 want;

	if (!xenring_ids_busy(ids, rsp->id))
		return -EIO;
	want = ops[rsp->id];
	if (rsp->operation != (want & BLKFRONT_OP_MASK) &&
	    !((want & BLKFRONT_OP_INDIRECT) &&
	      rsp->operation == BLKIF_OP_INDIRECT))
		return -EIO;
	switch (rsp->status) {
	case BLKIF_RSP_OKAY:
		*status = 0;
		break;
	case BLKIF_RSP_EOPNOTSUPP:
		*status = -EOPNOTSUPP;
		break;
	default:
		*status = -EIO;
		break;
	}
	return 0;
}

/**
 * blkfront_rsp_result() - what a checked response means for its request
 * @op: the operation the request went out as (BLKFRONT_OP_MASK applied)
 * @has_data: the request carried data segments
 * @rsp_status: the response's status, from the private copy
 * @off: set to the BLKFRONT_OFF_* features to turn off, or 0
 *
 * Backends may drop a feature at any time, and say so with
 * BLKIF_RSP_EOPNOTSUPP.  A discard so answered fails as not supported
 * and turns discard off.  Any error to a flush or barrier turns flushes
 * off; an empty one answered EOPNOTSUPP or ERROR then counts as done,
 * since the backend writes through.  A barrier that carried a FUA write
 * and was refused must be posted again, as a plain write.
 *
 * Return: 0, a negative errno to complete the request with, or -EAGAIN
 * to post it again.
 */
int blkfront_rsp_result(u8 op, bool has_data, s16 rsp_status, u32 *off)
{
	*off = 0;
	if (rsp_status == BLKIF_RSP_OKAY)
		return 0;
	switch (op) {
	case BLKIF_OP_DISCARD:
		if (rsp_status != BLKIF_RSP_EOPNOTSUPP)
			return -EIO;
		*off = BLKFRONT_OFF_DISCARD;
		return -EOPNOTSUPP;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		*off = BLKFRONT_OFF_FLUSH;
		if (has_data)
			return rsp_status == BLKIF_RSP_EOPNOTSUPP ? -EAGAIN :
								    -EIO;
		if (rsp_status == BLKIF_RSP_EOPNOTSUPP ||
		    rsp_status == BLKIF_RSP_ERROR)
			return 0;
		return -EIO;
	default:
		return -EIO;
	}
}

/**
 * blkfront_vdev_map() - the disk a "virtual-device" number stands for
 * @vdev: the number, as the toolstack wrote it
 * @v: the result; only meaningful on success
 *
 * Every disk appears on BLKFRONT_XVD_MAJOR, under a name and minors that
 * depend on the number only: an emulated IDE or SCSI disk keeps its
 * letter (hda and sda are both xvda), and a number that names a
 * partition gives a disk of one minor named after it (sdb2 is xvdb2).
 * IDE numbers give whole disks, as their minors name no partition here.
 *
 * Return: 0, or -ENODEV for a number this frontend cannot represent.
 */
int blkfront_vdev_map(u32 vdev, struct blkfront_vdev *v)
{
	u32 nr_parts = BLKFRONT_PARTS;
	u32 major, minor;

	memset(v, 0, sizeof(*v));
	if (vdev >> 28 > 1)
		return -ENODEV;
	if (vdev & BLKFRONT_VDEV_EXT) {
		minor = vdev & ~BLKFRONT_VDEV_EXT;
		nr_parts = BLKFRONT_EXT_PARTS;
		v->index = minor / nr_parts;
	} else {
		major = vdev >> 8;
		minor = vdev & 0xff;
		v->emulated = major != BLKFRONT_XVD_MAJOR;
		switch (major) {
		case BLKFRONT_XVD_MAJOR:
		case BLKFRONT_SD0_MAJOR:
			v->index = minor / nr_parts;
			break;
		case BLKFRONT_IDE0_MAJOR:
		case BLKFRONT_IDE1_MAJOR:
			/* Two disks of 64 minors per major. */
			v->index = minor / 64;
			if (major == BLKFRONT_IDE1_MAJOR)
				v->index += 2;
			minor = v->index * nr_parts;
			break;
		case BLKFRONT_SD1_MAJOR ... BLKFRONT_SD1_MAJOR + 6:
			v->index = (major - BLKFRONT_SD1_MAJOR + 1) * 16 +
				   minor / nr_parts;
			minor += (major - BLKFRONT_SD1_MAJOR + 1) * 16 * nr_parts;
			break;
		case BLKFRONT_SD8_MAJOR ... BLKFRONT_SD8_MAJOR + 7:
			v->index = (major - BLKFRONT_SD8_MAJOR + 8) * 16 +
				   minor / nr_parts;
			minor += (major - BLKFRONT_SD8_MAJOR + 8) * 16 * nr_parts;
			break;
		default:
			return -ENODEV;
		}
	}
	if (minor >> BLKFRONT_MINOR_BITS)
		return -ENODEV;
	v->first_minor = minor;
	v->part = minor % nr_parts;
	v->minors = v->part ? 1 : nr_parts;
	return 0;
}

/**
 * blkfront_vdev_name() - the disk's name: xvd, letters, partition
 * @v: the disk, from blkfront_vdev_map()
 * @buf: the result, NUL-terminated
 * @len: size of @buf
 *
 * The letters count a, ..., z, aa, ab, ... from index 0.
 *
 * Return: 0, or -ENAMETOOLONG if @buf is too small.
 */
int blkfront_vdev_name(const struct blkfront_vdev *v, char *buf,
		       unsigned int len)
{
	char letters[8], digits[12];
	unsigned int nl = 0, nd = 0, i = 0;
	u32 index = v->index, part = v->part;

	for (;;) {
		letters[nl++] = 'a' + index % 26;
		index /= 26;
		if (!index)
			break;
		index--;
	}
	if (v->minors == 1) {
		do {
			digits[nd++] = '0' + part % 10;
			part /= 10;
		} while (part);
	}
	if (len < 3 + nl + nd + 1)
		return -ENAMETOOLONG;
	memcpy(buf, "xvd", 3);
	i = 3;
	while (nl)
		buf[i++] = letters[--nl];
	while (nd)
		buf[i++] = digits[--nd];
	buf[i] = '\0';
	return 0;
}

/* Upstream's fake geometry: 255 heads, 63 sectors a track. */
#define BLKFRONT_GEO_HEADS		255
#define BLKFRONT_GEO_SECTORS		63
#define BLKFRONT_GEO_TRACKS		(BLKFRONT_GEO_HEADS * BLKFRONT_GEO_SECTORS)

/**
 * blkfront_geometry() - a CHS geometry consistent with the capacity
 * @capacity: disk size in 512-byte sectors
 * @geo: the result
 *
 * Xen disks have no geometry; partitioning tools get 255 heads, 63
 * sectors a track, and as many whole cylinders as fit, 0xffff when they
 * do not fit in 16 bits.  The same numbers as Linux's blkfront has always
 * reported.
 */
void blkfront_geometry(u64 capacity, struct blkfront_geo *geo)
{
	geo->heads = BLKFRONT_GEO_HEADS;
	geo->sectors = BLKFRONT_GEO_SECTORS;
	/* Below this bound the capacity fits in 32 bits: no 64-bit divide. */
	if (capacity >= 0x10000ull * BLKFRONT_GEO_TRACKS)
		geo->cylinders = 0xffff;
	else
		geo->cylinders = (u32)capacity / BLKFRONT_GEO_TRACKS;
}
