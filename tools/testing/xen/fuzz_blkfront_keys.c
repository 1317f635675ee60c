// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkfront's negotiation against a backend that writes anything into
 * its xenstore keys.
 *
 * Input: four bytes of frontend limits, then lines "key=value"; every
 * line goes through blkfront_parse_key(), then blkfront_choose_ring()
 * and blkfront_describe_disk() run, and every result they produce must
 * be something the block layer and the ring code can use.
 */
#include <stdint.h>
#include <linux/limits.h>
#include "drivers/block/xen-blkfront/proto.h"
#include "fuzz.h"

static bool pow2(u64 v)
{
	return v && !(v & (v - 1));
}

static void check(const struct blkfront_limits *lim,
		  const struct blkfront_ring_conf *rc,
		  const struct blkfront_disk_conf *dc)
{
	static struct blkfront_seg segs[BLKFRONT_MAX_INDIRECT_SEGS + 1];
	static struct blkif_request_segment pages[8][512];
	static struct blkif_request_segment *const pp[8] = {
		pages[0], pages[1], pages[2], pages[3],
		pages[4], pages[5], pages[6], pages[7],
	};
	static const u32 grefs[8];
	union {
		struct blkif_request_indirect ind;
		u8 raw[BLKIF_NATIVE_SLOT_SIZE];
	} slot;
	struct blkfront_io io = { .segs = segs, .indirect_grefs = grefs,
				  .indirect_pages = pp };
	u32 i;

	FZ_ASSERT(pow2(dc->logical_size));
	FZ_ASSERT(dc->logical_size >= 512 && dc->logical_size <= 4096);
	FZ_ASSERT(dc->sect_shift >= 9 && dc->sect_shift <= 12);
	FZ_ASSERT(rc->large_sectors ?
		  1u << dc->sect_shift == dc->logical_size :
		  dc->sect_shift == 9);
	FZ_ASSERT(pow2(dc->physical_size));
	FZ_ASSERT(dc->physical_size >= dc->logical_size);
	FZ_ASSERT(!(dc->capacity & ((dc->logical_size >> 9) - 1)));
	FZ_ASSERT(dc->capacity <= (U64_MAX >> 10));
	if (dc->flush)
		FZ_ASSERT(dc->flush_op == BLKIF_OP_FLUSH_DISKCACHE ||
			  dc->flush_op == BLKIF_OP_WRITE_BARRIER);
	if (dc->discard) {
		FZ_ASSERT(pow2(dc->discard_gran));
		FZ_ASSERT(dc->discard_gran >= dc->logical_size);
		FZ_ASSERT(dc->discard_align < dc->discard_gran);
		FZ_ASSERT(!(dc->discard_align & (dc->logical_size - 1)));
	} else {
		FZ_ASSERT(!dc->discard_secure);
	}
	FZ_ASSERT(dc->segs_per_req >= BLKIF_MAX_SEGMENTS_PER_REQUEST);
	FZ_ASSERT(dc->segs_per_req <= BLKFRONT_MAX_INDIRECT_SEGS);
	FZ_ASSERT(dc->indirect ==
		  (dc->segs_per_req > BLKIF_MAX_SEGMENTS_PER_REQUEST));
	if (dc->indirect)
		FZ_ASSERT(dc->segs_per_req <= lim->max_indirect);
	FZ_ASSERT(!dc->backend_persistent || rc->persistent);

	/* A request of full pages at segs_per_req must build; one more not. */
	for (i = 0; i <= dc->segs_per_req; i++) {
		segs[i].gref = i;
		segs[i].offset = 0;
		segs[i].len = 4096;
	}
	io.nr_segs = dc->segs_per_req;
	io.sector = dc->capacity ? dc->capacity - (dc->logical_size >> 9) : 0;
	FZ_ASSERT(!blkfront_build_rw(&io, dc, &slot));
	io.nr_segs++;
	FZ_ASSERT(blkfront_build_rw(&io, dc, &slot) == -EINVAL);
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct blkfront_backend be = { 0 };
	struct blkfront_limits lim;
	struct blkfront_ring_conf rc;
	struct blkfront_disk_conf dc;
	char line[128], *eq;
	u8 b0;

	b0 = fz_u8(&in);
	lim.max_ring_order = b0 & 7;
	lim.persistent = b0 & 0x40;
	lim.large_sectors = b0 & 0x80;
	lim.max_queues = fz_u8(&in);
	lim.max_indirect = fz_u16(&in);

	while (fz_key_line(&in, line, sizeof(line), &eq)) {
		if (!eq)
			continue;
		blkfront_parse_key(&be, line, eq);
	}

	blkfront_choose_ring(&be, &lim, &rc);
	FZ_ASSERT(rc.ring_order <= BLKFRONT_MAX_RING_ORDER);
	FZ_ASSERT(rc.ring_order <= lim.max_ring_order);
	FZ_ASSERT(rc.nr_queues >= 1 && rc.nr_queues <= BLKFRONT_MAX_QUEUES);
	FZ_ASSERT(rc.nr_queues == 1 || rc.nr_queues <= lim.max_queues);
	FZ_ASSERT(!rc.large_sectors || lim.large_sectors);
	FZ_ASSERT(rc.persistent == lim.persistent);

	if (!blkfront_describe_disk(&be, &lim, &rc, &dc))
		check(&lim, &rc, &dc);
	return 0;
}
