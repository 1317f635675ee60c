/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * xen-blkfront protocol core: negotiation, request building and response
 * checking, in plain C.
 *
 * Nothing here touches xenstore, grants or the block layer.  The OS glue
 * (xenbus.c, ring.c, dev.c) reads each backend key once as a string and
 * hands it to blkfront_parse_key(), copies each response out of the ring
 * and hands the copy to blkfront_check_rsp(), and builds each request with
 * blkfront_build_rw() into private memory before copying it into the ring.
 * The same file is compiled in userspace by tools/testing/xen for unit
 * tests and fuzzing.
 */
#ifndef _XEN_BLKFRONT_PROTO_H
#define _XEN_BLKFRONT_PROTO_H

#include <linux/types.h>
#include <xen/xenring.h>
#include <xen/blkif.h>

/* Largest ring the frontend will ever offer: 2^4 pages. */
#define BLKFRONT_MAX_RING_ORDER		4
/* Most queues per device. */
#define BLKFRONT_MAX_QUEUES		16
/* Most indirect segments per request the frontend will ever use. */
#define BLKFRONT_MAX_INDIRECT_SEGS	\
	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * BLKIF_SEGS_PER_INDIRECT_PAGE)

/* Bits of struct blkfront_backend.present: which keys the backend wrote. */
enum blkfront_key {
	BLKFRONT_KEY_SECTORS,
	BLKFRONT_KEY_INFO,
	BLKFRONT_KEY_SECTOR_SIZE,
	BLKFRONT_KEY_PHYS_SECTOR_SIZE,
	BLKFRONT_KEY_MAX_RING_ORDER,
	BLKFRONT_KEY_MAX_RING_PAGES,
	BLKFRONT_KEY_MAX_QUEUES,
	BLKFRONT_KEY_MAX_INDIRECT,
	BLKFRONT_KEY_FLUSH,
	BLKFRONT_KEY_BARRIER,
	BLKFRONT_KEY_DISCARD,
	BLKFRONT_KEY_DISCARD_SECURE,
	BLKFRONT_KEY_DISCARD_GRAN,
	BLKFRONT_KEY_DISCARD_ALIGN,
	BLKFRONT_KEY_PERSISTENT,
	BLKFRONT_KEY_LARGE_SECTORS,
	BLKFRONT_KEY_NR
};

/**
 * struct blkfront_backend - backend keys, each parsed once
 * @present: bit (1 << enum blkfront_key) for each key that was found and
 *	parsed; the value of an absent key is 0
 * @sectors: "sectors"
 * @info: "info" (VDISK_*)
 * @sector_size: "sector-size"
 * @phys_sector_size: "physical-sector-size"
 * @max_ring_order: "max-ring-page-order"
 * @max_ring_pages: "max-ring-pages" (legacy)
 * @max_queues: "multi-queue-max-queues"
 * @max_indirect: "feature-max-indirect-segments"
 * @flush: "feature-flush-cache"
 * @barrier: "feature-barrier"
 * @discard: "feature-discard"
 * @discard_secure: "discard-secure"
 * @discard_gran: "discard-granularity"
 * @discard_align: "discard-alignment"
 * @persistent: "feature-persistent"
 * @large_sectors: "feature-large-sector-size": the backend will count
 *	sectors in units of "sector-size" if the frontend asks for it
 */
struct blkfront_backend {
	u32 present;
	u64 sectors;
	u64 info;
	u64 sector_size;
	u64 phys_sector_size;
	u64 max_ring_order;
	u64 max_ring_pages;
	u64 max_queues;
	u64 max_indirect;
	u64 flush;
	u64 barrier;
	u64 discard;
	u64 discard_secure;
	u64 discard_gran;
	u64 discard_align;
	u64 persistent;
	u64 large_sectors;
};

/**
 * struct blkfront_limits - what this frontend is willing to use
 * @max_ring_order: module parameter, at most BLKFRONT_MAX_RING_ORDER
 * @max_queues: module parameter and CPU count, at least 1
 * @max_indirect: module parameter; 0 disables indirect requests
 * @persistent: module parameter "feature_persistent"
 * @large_sectors: offer feature-large-sector-size
 */
struct blkfront_limits {
	u32 max_ring_order;
	u32 max_queues;
	u32 max_indirect;
	bool persistent;
	bool large_sectors;
};

/**
 * struct blkfront_ring_conf - the transport, chosen before connecting
 * @ring_order: ring pages are 1 << @ring_order
 * @nr_queues: number of rings
 * @legacy_keys: the backend only knows single-page, single-queue keys
 * @persistent: frontend writes feature-persistent = 1
 * @large_sectors: frontend writes feature-large-sector-size = 1
 */
struct blkfront_ring_conf {
	u32 ring_order;
	u32 nr_queues;
	bool legacy_keys;
	bool persistent;
	bool large_sectors;
};

/**
 * struct blkfront_disk_conf - the disk, as the backend describes it
 * @sect_shift: log2 of the protocol's sector unit (9, or log2 of
 *	@logical_size when large sectors were agreed)
 * @logical_size: logical block size in bytes
 * @physical_size: physical block size in bytes
 * @capacity: disk size in 512-byte sectors
 * @readonly: the disk is read-only
 * @cdrom: the disk is a cdrom
 * @removable: the media is removable
 * @flush: flushes are supported (by flush-cache or barrier)
 * @flush_op: BLKIF_OP_FLUSH_DISKCACHE or BLKIF_OP_WRITE_BARRIER
 * @fua: writes marked FUA go out as BLKIF_OP_WRITE_BARRIER with their
 *	data (a backend with barriers but not flush-cache, and no indirect
 *	requests, since the protocol has no indirect barrier)
 * @discard: discard is supported
 * @discard_secure: secure discard is supported
 * @discard_gran: discard granularity in bytes
 * @discard_align: discard alignment in bytes
 * @segs_per_req: data segments (pages) per request
 * @indirect: requests with more than 11 segments use BLKIF_OP_INDIRECT
 * @backend_persistent: the backend maps grants persistently
 */
struct blkfront_disk_conf {
	u32 sect_shift;
	u32 logical_size;
	u32 physical_size;
	u64 capacity;
	bool readonly;
	bool cdrom;
	bool removable;
	bool flush;
	u8 flush_op;
	bool fua;
	bool discard;
	bool discard_secure;
	u32 discard_gran;
	u32 discard_align;
	u32 segs_per_req;
	bool indirect;
	bool backend_persistent;
};

const char *blkfront_key_name(enum blkfront_key key);
int blkfront_parse_key(struct blkfront_backend *be, const char *key,
		       const char *val);
void blkfront_choose_ring(const struct blkfront_backend *be,
			  const struct blkfront_limits *lim,
			  struct blkfront_ring_conf *rc);
int blkfront_describe_disk(const struct blkfront_backend *be,
			   const struct blkfront_limits *lim,
			   const struct blkfront_ring_conf *rc,
			   struct blkfront_disk_conf *dc);

/**
 * struct blkfront_seg - one piece of a request's data
 * @gref: grant of the 4 KiB page holding it
 * @offset: byte offset in that page
 * @len: bytes, so that @offset + @len <= BLKIF_PAGE_SIZE
 */
struct blkfront_seg {
	u32 gref;
	u16 offset;
	u16 len;
};

/**
 * struct blkfront_io - a read or write to build into a ring request
 * @write: a write (else a read)
 * @fua: a write that goes out as BLKIF_OP_WRITE_BARRIER (needs @dc->fua)
 * @handle: the virtual device number
 * @id: the ring id
 * @sector: first sector, in 512-byte units
 * @segs: the data pieces, in order
 * @nr_segs: number of @segs
 * @indirect_grefs: grants of the indirect pages (used when @nr_segs > 11)
 * @indirect_pages: the indirect pages themselves, filled in here
 */
struct blkfront_io {
	bool write;
	bool fua;
	u16 handle;
	u64 id;
	u64 sector;
	const struct blkfront_seg *segs;
	u32 nr_segs;
	const u32 *indirect_grefs;
	struct blkif_request_segment *const *indirect_pages;
};

int blkfront_build_rw(const struct blkfront_io *io,
		      const struct blkfront_disk_conf *dc, void *slot);
int blkfront_build_discard(u16 handle, u64 id, u64 sector, u64 nr_sectors,
			   bool secure, const struct blkfront_disk_conf *dc,
			   void *slot);
void blkfront_build_flush(u16 handle, u64 id,
			  const struct blkfront_disk_conf *dc, void *slot);

/**
 * blkfront_indirect_pages() - indirect pages a request needs
 * @nr_segs: data segments of the request
 *
 * Return: 0 for a request that fits in a slot, else the page count.
 */
static inline u32 blkfront_indirect_pages(u32 nr_segs)
{
	if (nr_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return 0;
	return (nr_segs + BLKIF_SEGS_PER_INDIRECT_PAGE - 1) /
		BLKIF_SEGS_PER_INDIRECT_PAGE;
}

/*
 * The operation a response must carry, recorded per id by the caller in
 * the @ops array of blkfront_check_rsp(): the request's operation, with
 * BLKFRONT_OP_INDIRECT set if it went out as BLKIF_OP_INDIRECT (backends
 * answer those with the inner read or write operation).
 */
#define BLKFRONT_OP_INDIRECT		0x80
#define BLKFRONT_OP_MASK		0x7f

int blkfront_check_rsp(const struct blkif_response *rsp,
		       const struct xenring_ids *ids, const u8 *ops,
		       int *status);

/* Features a response can turn off until the next connection. */
#define BLKFRONT_OFF_FLUSH		0x1	/* flush, barrier and FUA */
#define BLKFRONT_OFF_DISCARD		0x2	/* discard and secure erase */

int blkfront_rsp_result(u8 op, bool has_data, s16 rsp_status, u32 *off);

/*
 * Majors of "virtual-device" numbers (Xen's docs/misc/vbd-interface.txt).
 * Whatever the major, the disk appears on BLKFRONT_XVD_MAJOR.
 */
#define BLKFRONT_XVD_MAJOR		202
#define BLKFRONT_IDE0_MAJOR		3	/* hda, hdb */
#define BLKFRONT_IDE1_MAJOR		22	/* hdc, hdd */
#define BLKFRONT_SD0_MAJOR		8	/* sda .. sdp */
#define BLKFRONT_SD1_MAJOR		65	/* .. 71: sdq .. sddx */
#define BLKFRONT_SD8_MAJOR		128	/* .. 135: sddy .. sdiv */
#define BLKFRONT_PARTS			16	/* minors per disk */
#define BLKFRONT_EXT_PARTS		256	/* minors per extended disk */
#define BLKFRONT_VDEV_EXT		0x10000000u	/* bit 28: extended form */
/* Minor numbers are 20 bits wide (MINORBITS). */
#define BLKFRONT_MINOR_BITS		20

/**
 * struct blkfront_vdev - where a "virtual-device" number puts the disk
 * @index: disk index, which gives the letters of its name (0 is xvda)
 * @first_minor: its first minor on BLKFRONT_XVD_MAJOR
 * @minors: minors it owns: BLKFRONT_PARTS, BLKFRONT_EXT_PARTS, or 1 for
 *	a number that names a partition
 * @part: with @minors 1, the partition number that ends the name
 * @emulated: the number names an emulated IDE or SCSI disk
 */
struct blkfront_vdev {
	u32 index;
	u32 first_minor;
	u32 minors;
	u32 part;
	bool emulated;
};

int blkfront_vdev_map(u32 vdev, struct blkfront_vdev *v);
int blkfront_vdev_name(const struct blkfront_vdev *v, char *buf,
		       unsigned int len);

/**
 * struct blkfront_geo - the CHS geometry a disk reports (HDIO_GETGEO)
 * @heads: heads
 * @sectors: sectors per track
 * @cylinders: cylinders, 0xffff when the capacity has more
 */
struct blkfront_geo {
	u8 heads;
	u8 sectors;
	u16 cylinders;
};

void blkfront_geometry(u64 capacity, struct blkfront_geo *geo);

#endif /* _XEN_BLKFRONT_PROTO_H */
