// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkback's request path against a frontend that writes anything into
 * the ring and the indirect pages.
 *
 * Input: the ABI, the disk (size, sector unit, features), req_prod, the
 * ring contents and up to eight pages that stand for granted indirect
 * pages.  The backend loop copies each slot, converts and checks it,
 * reads the indirect pages it names (private copies), and answers it.
 * Every accepted request is re-checked here, independently: a known
 * operation, segment counts within the limits, every segment inside its
 * page, every sector on the disk, no write to a read-only disk.
 */
#include <stdint.h>
#include <linux/limits.h>
#include <xen/xenring.h>
#include "drivers/block/xen-blkback/proto.h"
#include "fuzz.h"

#define NR_PAGES	8

/* Sectors of @n segments, or -1 if one is invalid (independent check). */
static long long seg_sectors(const struct blkif_request_segment *s, u32 n,
			     u32 shift)
{
	long long sum = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		if (s[i].first_sect > s[i].last_sect ||
		    s[i].last_sect >= (4096u >> shift))
			return -1;
		sum += s[i].last_sect - s[i].first_sect + 1;
	}
	return sum;
}

static bool on_disk(const struct blkback_disk *d, u64 sector, u64 count)
{
	u64 end;

	return !__builtin_add_overflow(sector, count, &end) &&
	       end <= d->nr_sectors;
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	static struct blkif_request_segment pages[NR_PAGES][512];
	static struct blkif_request_segment copy[512];
	struct fuzz_in in = { data, size };
	u8 slot[BLKBACK_MAX_SLOT_SIZE], rsp[BLKBACK_MAX_RSP_SIZE];
	struct blkback_disk disk = { 0 };
	enum blkback_abi abi;
	struct xenring r;
	size_t bytes;
	u8 *area;
	u8 b;
	int avail, i;

	b = fz_u8(&in);
	abi = b % BLKBACK_ABI_NR;
	bytes = 4096u << ((b >> 2) % 2);
	b = fz_u8(&in);
	disk.sect_shift = 9 + b % 4;
	disk.readonly = b & 0x04;
	disk.discard = b & 0x08;
	disk.discard_secure = b & 0x10;
	disk.flush = b & 0x20;
	disk.barrier = b & 0x40;
	disk.max_indirect_segs = (b & 0x80) ? fz_u16(&in) : 0;
	disk.nr_sectors = fz_u64(&in);

	area = malloc(bytes);
	if (!area)
		return 0;
	fz_bytes(&in, area, bytes);
	fz_bytes(&in, pages, sizeof(pages));
	FZ_ASSERT(!xenring_init_back(&r, area, bytes, blkback_slot_size(abi)));

	avail = xenring_req_avail(&r);
	if (avail < 0)
		goto out;
	for (i = 0; i < avail; i++) {
		struct blkback_req req;
		enum blkback_reject why;
		u64 total = 0;
		size_t len;
		int err;
		u32 p;

		xenring_take_req(&r, slot, blkback_slot_size(abi));
		FZ_ASSERT(!blkback_copy_req(abi, slot, &req));
		err = blkback_check_req(&req, &disk, &why);
		FZ_ASSERT(!err == (why == BLKBACK_REQ_OK));
		if (!err && req.operation == BLKIF_OP_INDIRECT) {
			u32 left = req.nr_segs;

			for (p = 0; p < req.nr_indirect_pages && !err; p++) {
				u32 n = left < 512 ? left : 512;

				/* "map" the grant, copy the page, check it */
				memcpy(copy,
				       pages[req.indirect_grefs[p] % NR_PAGES],
				       sizeof(copy));
				err = blkback_check_segs(copy, n,
							 disk.sect_shift,
							 &total);
				if (!err)
					FZ_ASSERT(seg_sectors(copy, n,
							      disk.sect_shift) >= 0);
				left -= n;
			}
			if (!err) {
				FZ_ASSERT(!left);
				err = blkback_check_range(&disk, req.sector,
							  total);
			}
		}
		if (!err) {
			long long s;

			switch (req.operation) {
			case BLKIF_OP_READ:
			case BLKIF_OP_WRITE:
				FZ_ASSERT(req.nr_segs >= 1);
				fallthrough;
			case BLKIF_OP_FLUSH_DISKCACHE:
			case BLKIF_OP_WRITE_BARRIER:
				FZ_ASSERT(req.nr_segs <= 11);
				FZ_ASSERT(req.operation != BLKIF_OP_FLUSH_DISKCACHE ||
					  disk.flush);
				FZ_ASSERT(req.operation != BLKIF_OP_WRITE_BARRIER ||
					  disk.barrier);
				FZ_ASSERT(!disk.readonly || !req.nr_segs ||
					  req.operation == BLKIF_OP_READ);
				s = seg_sectors(req.segs, req.nr_segs,
						disk.sect_shift);
				FZ_ASSERT(s >= 0);
				FZ_ASSERT(!req.nr_segs ||
					  on_disk(&disk, req.sector, s));
				break;
			case BLKIF_OP_DISCARD:
				FZ_ASSERT(disk.discard && !disk.readonly);
				FZ_ASSERT(on_disk(&disk, req.sector,
						  req.nr_sectors));
				break;
			case BLKIF_OP_INDIRECT:
				FZ_ASSERT(req.op == BLKIF_OP_READ ||
					  req.op == BLKIF_OP_WRITE);
				FZ_ASSERT(!disk.readonly ||
					  req.op == BLKIF_OP_READ);
				FZ_ASSERT(req.nr_segs >= 1);
				FZ_ASSERT(req.nr_segs <= disk.max_indirect_segs);
				FZ_ASSERT(req.nr_segs <= BLKBACK_MAX_INDIRECT_SEGS);
				FZ_ASSERT(req.nr_indirect_pages <= 8);
				FZ_ASSERT(total >= req.nr_segs);
				FZ_ASSERT(on_disk(&disk, req.sector, total));
				break;
			default:
				FZ_ASSERT(0);
			}
		}
		len = blkback_build_rsp(abi, req.id, blkback_rsp_op(&req),
					blkback_status(err), rsp);
		FZ_ASSERT(len == 12 || len == 16);
		FZ_ASSERT(!xenring_put_rsp(&r, rsp, len));
	}
	xenring_push_rsps(&r);
	FZ_ASSERT(r.sh->rsp_prod == r.cons);
out:
	free(area);
	return 0;
}
