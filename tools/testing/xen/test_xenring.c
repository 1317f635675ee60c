// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of include/xen/xenring.h: both ends of one ring in one local
 * buffer, index wrap-around, event decisions, overrun detection, the
 * judging of events by their news and the request id table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/kernel.h>
#include <xen/xenring.h>
#include "tap.h"

#define PAGE	4096
#define SLOT	112

struct msg {
	u32 seq;
	u8 fill[SLOT - 4];
};

static u8 area[16 * PAGE] __aligned(PAGE);
static struct xenring fr, bk;

static void fill(struct msg *m, u32 seq)
{
	m->seq = seq;
	memset(m->fill, (u8)seq, sizeof(m->fill));
}

static int same(const struct msg *m, u32 seq)
{
	struct msg want;

	fill(&want, seq);
	return !memcmp(m, &want, sizeof(want));
}

/* Put both ends at index @start, as if @start requests had been done. */
static void rings_at(u32 start, size_t bytes)
{
	memset(area, 0xa5, sizeof(area));
	xenring_init_front(&fr, area, bytes, SLOT);
	xenring_init_back(&bk, area, bytes, SLOT);
	fr.prod = start;
	fr.cons = start;
	bk.prod = start;
	bk.cons = start;
	fr.sh->req_prod = start;
	fr.sh->rsp_prod = start;
	fr.sh->req_event = start + 1;
	fr.sh->rsp_event = start + 1;
}

static void test_nr_slots(void)
{
	ok_eq(xenring_nr_slots(PAGE, 112), 32, "one page, 112-byte slots: 32");
	ok_eq(xenring_nr_slots(PAGE, 108), 32, "one page, 108-byte slots: 32");
	ok_eq(xenring_nr_slots(2 * PAGE, 112), 64, "two pages: 64");
	ok_eq(xenring_nr_slots(4 * PAGE, 112), 128, "four pages: 128");
	ok_eq(xenring_nr_slots(16 * PAGE, 112), 512, "16 pages: 512");
	ok_eq(xenring_nr_slots(PAGE, 8), 256, "8-byte slots: 504 fit, 256");
	ok_eq(xenring_nr_slots(64 + 112, 112), 1, "header plus one slot: 1");
	ok_eq(xenring_nr_slots(64 + 111, 112), 0, "not even one slot: 0");
	ok_eq(xenring_nr_slots(63, 1), 0, "smaller than the header: 0");
	ok_eq(xenring_nr_slots(PAGE, 0), 0, "slot size 0: 0");
	ok_eq(xenring_nr_slots(SIZE_MAX, 1), 0x80000000u,
	      "huge area: capped at 2^31");
	ok_eq(xenring_init_front(&fr, area, 100, SLOT), -EINVAL,
	      "init_front on a too small area: -EINVAL");
	ok_eq(xenring_init_back(&bk, area, 100, SLOT), -EINVAL,
	      "init_back on a too small area: -EINVAL");
}

static void test_basic(void)
{
	struct msg m;
	int r, good;
	u32 i;

	memset(area, 0xa5, PAGE);
	ok_eq(xenring_init_front(&fr, area, PAGE, SLOT), 0, "init_front");
	ok(fr.sh->req_prod == 0 && fr.sh->rsp_prod == 0 &&
	   fr.sh->req_event == 1 && fr.sh->rsp_event == 1,
	   "init_front resets the shared indices");
	ok_eq(xenring_init_back(&bk, area, PAGE, SLOT), 0, "init_back");
	ok_eq(xenring_req_space(&fr), 32, "empty ring: 32 free slots");
	ok_eq(xenring_req_avail(&bk), 0, "backend sees no request yet");
	ok_eq(xenring_rsp_avail(&fr), 0, "frontend sees no response yet");

	fill(&m, 100);
	memcpy(xenring_next_req(&fr), &m, sizeof(m));
	xenring_advance_req(&fr);
	ok_eq(xenring_req_avail(&bk), 0, "unpublished request is invisible");
	ok(xenring_push_reqs(&fr), "first push notifies (req_event = 1)");
	fill(&m, 101);
	memcpy(xenring_next_req(&fr), &m, sizeof(m));
	xenring_advance_req(&fr);
	ok(!xenring_push_reqs(&fr), "second push before rearm: no notify");
	ok_eq(xenring_req_space(&fr), 30, "two requests out: 30 free slots");

	ok_eq(xenring_req_avail(&bk), 2, "backend sees two requests");
	xenring_take_req(&bk, &m, sizeof(m));
	ok(same(&m, 100), "first request arrives intact");
	xenring_take_req(&bk, &m, sizeof(m));
	ok(same(&m, 101), "second request arrives intact");
	ok(!xenring_req_rearm(&bk), "rearm with nothing pending: false");
	ok_eq(fr.sh->req_event, 3, "rearm sets req_event to cons + 1");

	fill(&m, 200);
	ok_eq(xenring_put_rsp(&bk, &m, sizeof(m)), 0, "put first response");
	fill(&m, 201);
	ok_eq(xenring_put_rsp(&bk, &m, sizeof(m)), 0, "put second response");
	ok_eq(xenring_put_rsp(&bk, &m, sizeof(m)), -ENOSPC,
	      "third response for two requests: -ENOSPC");
	ok_eq(xenring_rsp_avail(&fr), 0, "unpublished responses invisible");
	ok(xenring_push_rsps(&bk), "first response push notifies");
	ok_eq(xenring_rsp_avail(&fr), 2, "frontend sees two responses");
	xenring_take_rsp(&fr, &m, sizeof(m));
	ok(same(&m, 200), "first response intact");
	xenring_take_rsp(&fr, &m, sizeof(m));
	ok(same(&m, 201), "second response intact");
	ok(!xenring_rsp_rearm(&fr), "frontend rearm, nothing pending: false");
	ok_eq(fr.sh->rsp_event, 3, "rearm sets rsp_event to cons + 1");
	ok_eq(xenring_req_space(&fr), 32, "all slots free again");

	fill(&m, 102);
	memcpy(xenring_next_req(&fr), &m, sizeof(m));
	xenring_advance_req(&fr);
	ok(xenring_push_reqs(&fr), "push after backend rearm notifies");

	/* A request published between rearm and the final check. */
	fill(&m, 103);
	memcpy(xenring_next_req(&fr), &m, sizeof(m));
	xenring_advance_req(&fr);
	xenring_push_reqs(&fr);
	ok(xenring_req_rearm(&bk), "backend rearm sees pending requests");

	/* Fill the ring: exactly nr_slots unanswered is legal. */
	rings_at(0, PAGE);
	for (i = 0; i < 32; i++) {
		fill(&m, i);
		memcpy(xenring_next_req(&fr), &m, sizeof(m));
		xenring_advance_req(&fr);
	}
	ok_eq(xenring_req_space(&fr), 0, "full ring: no free slot");
	xenring_push_reqs(&fr);
	ok_eq(xenring_req_avail(&bk), 32, "backend sees a full ring");
	good = 1;
	for (i = 0; i < 32; i++) {
		xenring_take_req(&bk, &m, sizeof(m));
		good &= same(&m, i);
	}
	ok(good, "all 32 requests intact");
	r = xenring_req_avail(&bk);
	ok_eq(r, 0, "nothing more after consuming all");
}

static void test_wrap(void)
{
	static const u32 starts[] = { 0xffffffe0u, 0xfffffff0u, 0xffffffffu,
				       0x7ffffff0u };
	struct msg m;
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(starts); s++) {
		u32 seq = 0, got = 0, round, k;
		int good = 1;

		rings_at(starts[s], 2 * PAGE);
		for (round = 0; round < 20; round++) {
			u32 batch = 1 + (round * 7) % 64;

			if (batch > xenring_req_space(&fr))
				batch = xenring_req_space(&fr);
			for (k = 0; k < batch; k++) {
				fill(&m, seq++);
				memcpy(xenring_next_req(&fr), &m, sizeof(m));
				xenring_advance_req(&fr);
			}
			xenring_push_reqs(&fr);
			if (xenring_req_avail(&bk) != (int)batch)
				good = 0;
			for (k = 0; k < batch; k++) {
				xenring_take_req(&bk, &m, sizeof(m));
				good &= same(&m, got);
				m.seq += 1000;
				if (xenring_put_rsp(&bk, &m, sizeof(m)))
					good = 0;
				got++;
			}
			xenring_push_rsps(&bk);
			if (xenring_rsp_avail(&fr) != (int)batch)
				good = 0;
			for (k = 0; k < batch; k++)
				xenring_take_rsp(&fr, &m, sizeof(m));
		}
		ok(good && fr.prod == starts[s] + seq && fr.cons == fr.prod &&
		   bk.cons == fr.prod,
		   "wrap-around from 0x%08x: %u requests round trip",
		   starts[s], seq);
	}

	/* Event decisions across the wrap. */
	rings_at(0xffffffffu, PAGE);
	fill(&m, 1);
	memcpy(xenring_next_req(&fr), &m, sizeof(m));
	xenring_advance_req(&fr);
	ok(xenring_push_reqs(&fr), "notify when req_prod wraps to 0");
	ok_eq(fr.sh->req_prod, 0, "req_prod wrapped to 0");
	memcpy(xenring_next_req(&fr), &m, sizeof(m));
	xenring_advance_req(&fr);
	ok(!xenring_push_reqs(&fr), "no second notify after the wrap");
	ok_eq(xenring_req_avail(&bk), 2, "backend counts across the wrap");
}

static void test_overrun(void)
{
	struct msg m;
	u32 i;

	/* Frontend side: the backend claims too many responses. */
	rings_at(0xfffffffeu, PAGE);
	for (i = 0; i < 3; i++)
		xenring_advance_req(&fr);
	xenring_push_reqs(&fr);
	fr.sh->rsp_prod = fr.cons + 3;
	ok_eq(xenring_rsp_avail(&fr), 3, "rsp_prod = outstanding: fine");
	fr.sh->rsp_prod = fr.cons + 4;
	ok_eq(xenring_rsp_avail(&fr), -EIO, "rsp_prod past outstanding: -EIO");
	fr.sh->rsp_prod = fr.cons - 1;
	ok_eq(xenring_rsp_avail(&fr), -EIO, "rsp_prod moved backwards: -EIO");
	fr.sh->rsp_prod = fr.cons + 0x80000000u;
	ok_eq(xenring_rsp_avail(&fr), -EIO, "rsp_prod half a ring away: -EIO");
	rings_at(5, PAGE);
	fr.sh->rsp_prod = 6;
	ok_eq(xenring_rsp_avail(&fr), -EIO, "response with nothing out: -EIO");

	/* Backend side: the frontend claims too many requests. */
	rings_at(0xfffffff0u, PAGE);
	bk.sh->req_prod = bk.cons + 32;
	ok_eq(xenring_req_avail(&bk), 32, "req_prod = nr_slots ahead: fine");
	bk.sh->req_prod = bk.cons + 33;
	ok_eq(xenring_req_avail(&bk), -EIO, "req_prod past nr_slots: -EIO");
	bk.sh->req_prod = bk.cons - 1;
	ok_eq(xenring_req_avail(&bk), -EIO, "req_prod moved backwards: -EIO");
	bk.sh->req_prod = bk.cons + 5;
	for (i = 0; i < 5; i++)
		xenring_take_req(&bk, &m, sizeof(m));
	bk.sh->req_prod = bk.cons + 27;
	ok_eq(xenring_req_avail(&bk), 27,
	      "5 unanswered: 27 more requests fine");
	bk.sh->req_prod = bk.cons + 28;
	ok_eq(xenring_req_avail(&bk), -EIO,
	      "5 unanswered: 28 more requests is an overrun");
	for (i = 0; i < 5; i++)
		xenring_put_rsp(&bk, &m, sizeof(m));
	ok_eq(xenring_req_avail(&bk), 28, "after answering them: fine again");
}

static void test_ids(void)
{
	struct xenring_ids ids;
	u32 link[4], got[4], i;
	int good = 1;

	xenring_ids_init(&ids, link, 4);
	for (i = 0; i < 4; i++) {
		got[i] = xenring_ids_get(&ids);
		good &= got[i] < 4 && xenring_ids_busy(&ids, got[i]);
	}
	ok(good && got[0] != got[1] && got[1] != got[2] && got[2] != got[3] &&
	   got[0] != got[3] && got[0] != got[2] && got[1] != got[3],
	   "four distinct busy ids");
	ok_eq(ids.busy, 4, "busy count 4");
	ok_eq(xenring_ids_get(&ids), XENRING_ID_END, "exhausted: ID_END");
	ok_eq(xenring_ids_put(&ids, got[2]), 0, "put an outstanding id");
	ok(!xenring_ids_busy(&ids, got[2]), "it is no longer busy");
	ok_eq(xenring_ids_put(&ids, got[2]), -EINVAL, "double put: -EINVAL");
	ok_eq(ids.busy, 3, "double put does not change the count");
	ok_eq(xenring_ids_get(&ids), got[2], "the freed id comes back");
	ok_eq(xenring_ids_put(&ids, 4), -EINVAL, "id == nr: -EINVAL");
	ok_eq(xenring_ids_put(&ids, (1ull << 32) | got[0]), -EINVAL,
	      "id with high bits set: -EINVAL");
	ok_eq(xenring_ids_put(&ids, U64_MAX), -EINVAL, "id U64_MAX: -EINVAL");
	ok(!xenring_ids_busy(&ids, XENRING_ID_BUSY), "ID_BUSY is not an id");
	ok(!xenring_ids_busy(&ids, XENRING_ID_END), "ID_END is not an id");
	for (i = 0; i < 4; i++)
		good &= !xenring_ids_put(&ids, got[i]);
	ok(good && ids.busy == 0, "all ids returned");
	for (i = 0; i < 4; i++)
		good &= xenring_ids_get(&ids) != XENRING_ID_END;
	ok(good && xenring_ids_get(&ids) == XENRING_ID_END,
	   "all four can be taken again, not five");

	xenring_ids_init(&ids, link, 0);
	ok_eq(xenring_ids_get(&ids), XENRING_ID_END, "empty table: ID_END");
	ok_eq(xenring_ids_put(&ids, 0), -EINVAL, "empty table: put -EINVAL");
}

/* A backend that needs several requests at once waits for all of them. */
static void test_rearm_for(void)
{
	struct msg m;
	int i;

	rings_at(0, PAGE);
	for (i = 0; i < 3; i++) {
		fill(&m, i);
		memcpy(xenring_next_req(&fr), &m, sizeof(m));
		xenring_advance_req(&fr);
	}
	xenring_push_reqs(&fr);
	ok(!xenring_req_rearm_for(&bk, 5), "rearm for 5 with 3 ready: false");
	ok_eq(fr.sh->req_event, 5, "req_event is cons + 5");
	fill(&m, 3);
	memcpy(xenring_next_req(&fr), &m, sizeof(m));
	xenring_advance_req(&fr);
	ok(!xenring_push_reqs(&fr), "the fourth request: no event yet");
	fill(&m, 4);
	memcpy(xenring_next_req(&fr), &m, sizeof(m));
	xenring_advance_req(&fr);
	ok(xenring_push_reqs(&fr), "the fifth request: event");
	ok(xenring_req_rearm_for(&bk, 5), "rearm for 5 with 5 ready: true");
	ok(xenring_req_rearm_for(&bk, 1), "rearm for 1 with 5 ready: true");
}

/*
 * An event is news only if rsp_prod moved forward since the last news:
 * a backend that sends events without new responses, while the consumer
 * cannot run, gets them judged spurious (XSA-391); one that moves rsp_prod
 * back or past the requests breaks the ring.
 */
static void test_rsp_news(void)
{
	u32 seen = 0, i;
	u8 b;

	rings_at(0, PAGE);
	ok_eq(xenring_rsp_news(&fr, &seen), 0, "fresh ring: no news");
	for (i = 0; i < 4; i++)
		xenring_advance_req(&fr);
	xenring_push_reqs(&fr);
	ok_eq(xenring_rsp_news(&fr, &seen), 0, "requests alone: no news");
	fr.sh->rsp_prod = 1;
	ok_eq(xenring_rsp_news(&fr, &seen), 1, "one response: news");
	ok_eq(seen, 1, "the mark moves to it");
	ok_eq(xenring_rsp_news(&fr, &seen), 0,
	      "the same unconsumed response again: spurious");
	ok_eq(xenring_rsp_news(&fr, &seen), 0, "and again: spurious");
	fr.sh->rsp_prod = 3;
	ok_eq(xenring_rsp_news(&fr, &seen), 1, "two more: news");
	fr.sh->rsp_prod = 2;
	ok_eq(xenring_rsp_news(&fr, &seen), -EIO,
	      "rsp_prod moved back behind the mark: -EIO");
	fr.sh->rsp_prod = 5;
	ok_eq(xenring_rsp_news(&fr, &seen), -EIO,
	      "rsp_prod past the requests: -EIO");
	fr.sh->rsp_prod = 4;
	ok_eq(xenring_rsp_news(&fr, &seen), 1, "rsp_prod = requests: news");
	for (i = 0; i < 4; i++)
		xenring_take_rsp(&fr, &b, 1);
	ok_eq(xenring_rsp_news(&fr, &seen), 0,
	      "all consumed, nothing new: spurious");

	/* The consumer ran ahead of the mark (events were not needed). */
	rings_at(0xfffffffeu, PAGE);
	seen = 0xfffffffeu;
	for (i = 0; i < 8; i++)
		xenring_advance_req(&fr);
	xenring_push_reqs(&fr);
	fr.sh->rsp_prod = fr.cons + 6;
	for (i = 0; i < 6; i++)
		xenring_take_rsp(&fr, &b, 1);
	fr.sh->rsp_prod = fr.cons + 1;
	ok_eq(xenring_rsp_news(&fr, &seen), 1,
	      "across the wrap, past a stale mark: news");
	ok_eq(seen, 5, "the mark wraps with it");
	fr.sh->rsp_prod = fr.cons - 1;
	ok_eq(xenring_rsp_news(&fr, &seen), -EIO,
	      "behind what was consumed: -EIO");
}

int main(void)
{
	tap_start();
	test_nr_slots();
	test_basic();
	test_wrap();
	test_overrun();
	test_ids();
	test_rearm_for();
	test_rsp_news();
	return tap_done();
}
