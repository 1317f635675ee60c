// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console page's rings against a console daemon that writes anything
 * into its indexes and its ring, between any calls the domain makes.
 *
 * Input: the starting out and in indexes (u32 each), then a sequence of
 * steps, one byte naming each and the bytes it needs.  A model of the
 * domain's side, kept apart from the ring state, checks every result:
 * writes never go past the room the daemon's out_cons left and change no
 * byte of the ring but those written, reads return exactly the bytes the
 * page held, the domain's indexes on the page are always its own, a ring
 * once broken stays broken until attached anew, and progress is reported
 * exactly when the model (written as ranges) sees it.
 */
#include <errno.h>
#include <stdint.h>
#include "drivers/tty/hvc/hvc_xen_ring.h"
#include "fuzz.h"

/* A page of its own, so that ASan sees any access outside it. */
static struct xencons_interface *page;

struct model {
	XENCONS_RING_IDX out_prod;
	XENCONS_RING_IDX in_cons;
	XENCONS_RING_IDX out_seen;	/* out_cons last seen to move */
	XENCONS_RING_IDX in_seen;	/* in_prod last seen as new input */
	bool broken;
};

static void model_attach(struct model *m)
{
	*m = (struct model){
		.out_prod = page->out_prod,
		.in_cons = page->in_cons,
		.out_seen = page->out_cons,
		.in_seen = page->in_cons,
	};
}

/* What xencons_ring_moved() must say, written as ranges. */
static bool model_moved(struct model *m)
{
	XENCONS_RING_IDX cons = page->out_cons, prod = page->in_prod;
	XENCONS_RING_IDX ahead = m->out_prod - m->out_seen;
	XENCONS_RING_IDX avail = prod - m->in_cons;
	bool moved = false;
	uint64_t dist;

	if (m->broken)
		return false;
	/* out_cons now somewhere in (out_seen, out_prod], on the circle. */
	dist = ((uint64_t)cons + (1ULL << 32) - m->out_seen) % (1ULL << 32);
	if (dist >= 1 && dist <= ahead) {
		m->out_seen = cons;
		moved = true;
	}
	/* in_prod now in (in_seen, in_cons + 1024], in_seen at or past in_cons. */
	if (avail <= 1024 && prod != m->in_seen &&
	    m->in_seen - m->in_cons < avail) {
		m->in_seen = prod;
		moved = true;
	}
	return moved;
}

static void check_write(struct xencons_ring *r, struct model *m,
			struct fuzz_in *in)
{
	char before[2048];
	u8 data[3000];
	size_t len = fz_u16(in) % sizeof(data);
	XENCONS_RING_IDX cons = page->out_cons, used = m->out_prod - cons;
	size_t room;
	int n, i;

	fz_bytes(in, data, len);
	memcpy(before, page->out, sizeof(before));
	n = xencons_ring_write(r, data, len);
	if (m->broken || used > 2048) {
		FZ_ASSERT(n == -EIO && r->broken);
		m->broken = true;
		return;
	}
	room = 2048 - used;
	FZ_ASSERT(n == (int)(len < room ? len : room));
	/* Nothing outside the bytes written moved. */
	for (i = n; i < 2048; i++)
		FZ_ASSERT(page->out[MASK_XENCONS_IDX(m->out_prod + i, page->out)] ==
			  before[MASK_XENCONS_IDX(m->out_prod + i, page->out)]);
	for (i = 0; i < n; i++)
		FZ_ASSERT((u8)page->out[MASK_XENCONS_IDX(m->out_prod + i, page->out)] == data[i]);
	m->out_prod += n;
	FZ_ASSERT(r->out_prod == m->out_prod);
	FZ_ASSERT(!n || page->out_prod == m->out_prod);
}

static void check_read(struct xencons_ring *r, struct model *m,
		       struct fuzz_in *in)
{
	u8 buf[1100], want[1100];
	size_t len = fz_u16(in) % sizeof(buf);
	XENCONS_RING_IDX avail = page->in_prod - m->in_cons;
	int n, i;

	for (i = 0; i < (int)sizeof(want); i++)
		want[i] = page->in[MASK_XENCONS_IDX(m->in_cons + i, page->in)];
	n = xencons_ring_read(r, buf, len);
	if (m->broken || avail > 1024) {
		FZ_ASSERT(n == -EIO && r->broken);
		m->broken = true;
		return;
	}
	FZ_ASSERT(n == (int)(len < avail ? len : avail));
	FZ_ASSERT(!memcmp(buf, want, n));
	m->in_cons += n;
	if (m->in_cons - m->in_seen <= 1024)
		m->in_seen = m->in_cons;
	FZ_ASSERT(r->in_cons == m->in_cons);
	FZ_ASSERT(!n || page->in_cons == m->in_cons);
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct xencons_ring r;
	struct model m;
	unsigned int steps = 0;
	bool moved;

	if (!page)
		page = malloc(sizeof(*page));
	memset(page, 0, sizeof(*page));
	page->out_prod = fz_u32(&in);
	page->out_cons = page->out_prod;
	page->in_prod = fz_u32(&in);
	page->in_cons = page->in_prod;
	xencons_ring_attach(&r, page);
	model_attach(&m);

	while (in.left && steps++ < 256) {
		switch (fz_u8(&in) % 8) {
		case 0:
			check_write(&r, &m, &in);
			break;
		case 1:
			check_read(&r, &m, &in);
			break;
		case 2:
			/* The daemon consumes, validly or not. */
			page->out_cons = fz_u8(&in) & 1 ?
				page->out_cons + fz_u16(&in) : fz_u32(&in);
			break;
		case 3: {
			/* The daemon sends input, and may lie about it. */
			unsigned int n = fz_u16(&in) % 1100, i;

			for (i = 0; i < n; i++)
				page->in[MASK_XENCONS_IDX(page->in_prod + i,
							  page->in)] = fz_u8(&in);
			page->in_prod = fz_u8(&in) & 1 ? page->in_prod + n :
				fz_u32(&in);
			break;
		}
		case 4:
			/* The daemon scribbles over the domain's indexes. */
			page->out_prod = fz_u32(&in);
			page->in_cons = fz_u32(&in);
			break;
		case 5:
			moved = xencons_ring_moved(&r);
			FZ_ASSERT(moved == model_moved(&m));
			/* Nothing changed: a second look finds nothing. */
			FZ_ASSERT(!xencons_ring_moved(&r));
			break;
		case 6:
			/* A resume: the page's indexes are taken anew. */
			xencons_ring_attach(&r, page);
			model_attach(&m);
			break;
		default:
			FZ_ASSERT(r.broken == m.broken);
			break;
		}
	}
	return 0;
}
