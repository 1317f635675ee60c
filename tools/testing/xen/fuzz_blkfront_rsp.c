// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkfront's response path against a backend that writes anything into
 * the shared ring.
 *
 * The input is a sequence of commands: the frontend issues a request
 * (with a recorded operation), the backend writes bytes into the ring or
 * sets rsp_prod, the frontend consumes with xenring_rsp_avail(),
 * xenring_take_rsp() and blkfront_check_rsp().  A shadow table checks
 * that only outstanding ids are ever completed, each once, and the ring
 * is allocated at its exact size so that ASan sees any stray access.
 */
#include <stdint.h>
#include "drivers/block/xen-blkfront/proto.h"
#include "fuzz.h"

#define NR_IDS	64

int fuzz_one_input(const uint8_t *data, size_t size)
{
	static const u8 opsel[] = {
		BLKIF_OP_READ, BLKIF_OP_WRITE, BLKIF_OP_FLUSH_DISKCACHE,
		BLKIF_OP_WRITE_BARRIER, BLKIF_OP_DISCARD,
		BLKIF_OP_READ | BLKFRONT_OP_INDIRECT,
		BLKIF_OP_WRITE | BLKFRONT_OP_INDIRECT,
	};
	struct fuzz_in in = { data, size };
	struct xenring r;
	struct xenring_ids ids;
	u32 link[NR_IDS];
	u8 ops[NR_IDS];
	bool shadow[NR_IDS] = { false };
	u32 nr_shadow = 0, nr_ids, steps = 0;
	size_t bytes;
	u8 *area;

	bytes = 4096u << (fz_u8(&in) % 2);
	nr_ids = 1 + fz_u8(&in) % NR_IDS;
	area = malloc(bytes);
	if (!area)
		return 0;
	FZ_ASSERT(!xenring_init_front(&r, area, bytes,
				      BLKIF_NATIVE_SLOT_SIZE));
	xenring_ids_init(&ids, link, nr_ids);
	memset(ops, 0xff, sizeof(ops));

	while (in.left && steps++ < 2000) {
		u8 cmd = fz_u8(&in);
		struct blkif_response rsp;
		int avail, i, st;
		u32 id;

		switch (cmd % 6) {
		case 0:		/* issue a request */
			if (!xenring_req_space(&r))
				break;
			id = xenring_ids_get(&ids);
			if (id == XENRING_ID_END) {
				FZ_ASSERT(nr_shadow == nr_ids);
				break;
			}
			FZ_ASSERT(id < nr_ids && !shadow[id]);
			shadow[id] = true;
			nr_shadow++;
			ops[id] = opsel[fz_u8(&in) % sizeof(opsel)];
			memset(xenring_next_req(&r), 0, BLKIF_NATIVE_SLOT_SIZE);
			xenring_advance_req(&r);
			xenring_push_reqs(&r);
			break;
		case 1:		/* backend writes a response-shaped slot */
			rsp.id = fz_u8(&in) % (nr_ids + 2);
			rsp.operation = fz_u8(&in) % 8;
			rsp.status = (s8)fz_u8(&in);
			memcpy(xenring_slot(&r, fz_u16(&in)), &rsp, sizeof(rsp));
			break;
		case 2:		/* backend writes raw bytes */
			area[fz_u16(&in) % bytes] = fz_u8(&in);
			break;
		case 3:
			WRITE_ONCE(r.sh->rsp_prod, r.cons + fz_u8(&in) % 80);
			break;
		case 4:
			WRITE_ONCE(r.sh->rsp_prod, fz_u32(&in));
			break;
		case 5:		/* consume */
			avail = xenring_rsp_avail(&r);
			if (avail < 0)
				goto out;	/* backend broke the ring */
			FZ_ASSERT((u32)avail <= r.prod - r.cons);
			for (i = 0; i < avail; i++) {
				xenring_take_rsp(&r, &rsp, sizeof(rsp));
				if (blkfront_check_rsp(&rsp, &ids, ops, &st))
					goto out;
				FZ_ASSERT(rsp.id < nr_ids && shadow[rsp.id]);
				FZ_ASSERT(st == 0 || st == -EIO ||
					  st == -EOPNOTSUPP);
				FZ_ASSERT(rsp.operation ==
					  (ops[rsp.id] & BLKFRONT_OP_MASK) ||
					  ((ops[rsp.id] & BLKFRONT_OP_INDIRECT) &&
					   rsp.operation == BLKIF_OP_INDIRECT));
				FZ_ASSERT(!xenring_ids_put(&ids, rsp.id));
				shadow[rsp.id] = false;
				nr_shadow--;
			}
			FZ_ASSERT(ids.busy == nr_shadow);
			xenring_rsp_rearm(&r);
			break;
		}
	}
out:
	free(area);
	return 0;
}
