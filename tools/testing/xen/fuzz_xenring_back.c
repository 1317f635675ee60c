// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backend end of <xen/xenring.h> against a frontend that writes
 * anything into the shared ring, in any order.
 *
 * The input is a sequence of commands: set req_prod (relative or
 * absolute), scribble over slots, consume requests, answer them, push,
 * rearm.  The ring is allocated at its exact size so that any access
 * outside it is caught by ASan.  Invariants: the backend never has more
 * than nr_slots unanswered requests, never consumes what was not
 * reported available, and can always answer what it consumed.
 */
#include <stdint.h>
#include <xen/xenring.h>
#include "fuzz.h"

#define SLOT	112

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned char buf[SLOT];
	struct xenring r;
	size_t bytes;
	u8 *area;
	u32 start;
	int steps = 0;

	bytes = 4096u << (fz_u8(&in) % 3);
	start = fz_u32(&in);
	area = malloc(bytes);
	if (!area)
		return 0;
	memset(area, 0, bytes);
	FZ_ASSERT(!xenring_init_back(&r, area, bytes, SLOT));
	FZ_ASSERT(r.nr_slots == xenring_nr_slots(bytes, SLOT));
	r.prod = start;
	r.cons = start;
	r.sh->req_prod = start;

	while (in.left && steps++ < 1000) {
		u8 cmd = fz_u8(&in);
		int avail, n, i;

		switch (cmd % 7) {
		case 0:
			WRITE_ONCE(r.sh->req_prod, r.cons + (s8)fz_u8(&in));
			break;
		case 1:
			WRITE_ONCE(r.sh->req_prod, fz_u32(&in));
			break;
		case 2: {
			u32 off = fz_u16(&in) % bytes;
			u8 v = fz_u8(&in);

			area[off] = v;
			break;
		}
		case 3:
			avail = xenring_req_avail(&r);
			if (avail < 0)
				goto out;	/* the ring is broken: stop */
			FZ_ASSERT((u32)avail <= r.nr_slots - (r.cons - r.prod));
			n = fz_u8(&in) % (avail + 1);
			for (i = 0; i < n; i++)
				xenring_take_req(&r, buf, SLOT);
			FZ_ASSERT(r.cons - r.prod <= r.nr_slots);
			break;
		case 4:
			n = fz_u8(&in) % 40;
			for (i = 0; i < n; i++) {
				u32 unanswered = r.cons - r.prod;
				int err = xenring_put_rsp(&r, buf, 16);

				FZ_ASSERT(err == (unanswered ? 0 : -ENOSPC));
			}
			break;
		case 5:
			xenring_push_rsps(&r);
			FZ_ASSERT(r.sh->rsp_prod == r.prod);
			break;
		case 6:
			xenring_req_rearm(&r);
			FZ_ASSERT(r.sh->req_event == r.cons + 1);
			break;
		}
	}
out:
	free(area);
	return 0;
}
