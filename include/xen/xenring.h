/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Checked access to Xen shared I/O rings.
 *
 * A shared ring is one or more granted pages that start with a 64-byte
 * header of four free-running 32-bit indices and continue with a
 * power-of-two array of equally sized slots.  A slot holds either a
 * request (written by the frontend) or a response (written by the
 * backend), so its size is the larger of the two.  This layout is the
 * Xen io/ring.h ABI and must not change.
 *
 * Each end keeps a private struct xenring.  Everything the peer writes
 * into the shared page is read exactly once through the helpers below and
 * checked before it is used:
 *
 * - a producer index is read once, and it may never claim more entries
 *   than the reading end can have outstanding (xenring_rsp_avail() and
 *   xenring_req_avail() return -EIO otherwise, and the caller must treat
 *   the ring as broken);
 * - a slot is copied into private memory (xenring_take_rsp() and
 *   xenring_take_req()) and only that copy is parsed.
 *
 * Request ids are managed by struct xenring_ids, a free list in private
 * memory: the peer echoes an id, xenring_ids_busy() checks that it is
 * in range and outstanding, and only then may the caller look at its own
 * per-id state and free the id with xenring_ids_put().
 *
 * The file is plain C with no kernel dependencies beyond a few basic
 * headers, so that it is built and fuzzed in userspace as well
 * (tools/testing/xen).  None of the helpers sleeps or locks: each ring end
 * is serialised by its owner.  A backend that answers from more than one
 * context (xen-blkback answers from bio completion) must also serialise
 * its response side (xenring_put_rsp(), xenring_push_rsps()) against
 * xenring_req_avail(), which reads the response index, and
 * xenring_take_req(), whose request index xenring_put_rsp() reads.
 */
#ifndef _XEN_XENRING_H
#define _XEN_XENRING_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/barrier.h>

/**
 * struct xenring_shared - the header of a shared ring page
 * @req_prod: requests published by the frontend (free running)
 * @req_event: the backend wants an event when req_prod passes this
 * @rsp_prod: responses published by the backend (free running)
 * @rsp_event: the frontend wants an event when rsp_prod passes this
 * @pvt: four bytes some protocols use privately; untouched here
 * @pad: reserved, keeps the slots 64-byte aligned
 * @slots: the slot array
 */
struct xenring_shared {
	u32 req_prod;
	u32 req_event;
	u32 rsp_prod;
	u32 rsp_event;
	u8 pvt[4];
	u8 pad[44];
	u8 slots[];
};

/* Offset of the first slot in the first ring page. */
#define XENRING_HDR_SIZE	64

/**
 * struct xenring - one end's private view of a shared ring
 * @sh: the mapped shared pages
 * @nr_slots: number of slots, a power of two
 * @slot_size: bytes per slot
 * @prod: frontend: requests produced but maybe not yet published;
 *	backend: responses produced but maybe not yet published
 * @cons: frontend: next response to consume; backend: next request
 */
struct xenring {
	struct xenring_shared *sh;
	u32 nr_slots;
	u32 slot_size;
	u32 prod;
	u32 cons;
};

/**
 * xenring_nr_slots() - number of slots a ring area holds
 * @bytes: size of the shared area (all ring pages)
 * @slot_size: bytes per slot, non-zero
 *
 * Return: the largest power of two that fits after the header, or 0 if
 * not even one slot fits.
 */
static inline u32 xenring_nr_slots(size_t bytes, size_t slot_size)
{
	size_t fit;
	u32 n = 1;

	if (!slot_size || bytes < XENRING_HDR_SIZE)
		return 0;
	fit = (bytes - XENRING_HDR_SIZE) / slot_size;
	if (!fit)
		return 0;
	while ((size_t)n * 2 <= fit && n < 0x80000000u)
		n *= 2;
	return n;
}

static inline void *xenring_slot(const struct xenring *r, u32 idx)
{
	return r->sh->slots + (size_t)(idx & (r->nr_slots - 1)) * r->slot_size;
}

/**
 * xenring_init_front() - reset a ring the frontend owns
 * @r: private view to fill in
 * @sh: the shared area, @bytes long and writable
 * @bytes: size of the shared area
 * @slot_size: bytes per slot
 *
 * The frontend initialises the shared indices before granting the pages;
 * the backend only attaches to them.
 *
 * Return: 0, or -EINVAL if no slot fits.
 */
static inline int xenring_init_front(struct xenring *r, void *sh,
				     size_t bytes, size_t slot_size)
{
	r->nr_slots = xenring_nr_slots(bytes, slot_size);
	if (!r->nr_slots)
		return -EINVAL;
	r->sh = sh;
	r->slot_size = slot_size;
	r->prod = 0;
	r->cons = 0;
	memset(sh, 0, XENRING_HDR_SIZE);
	r->sh->req_event = 1;
	r->sh->rsp_event = 1;
	return 0;
}

/**
 * xenring_init_back() - attach the backend to a ring the frontend set up
 * @r: private view to fill in
 * @sh: the mapped shared area
 * @bytes: size of the shared area
 * @slot_size: bytes per slot
 *
 * The backend starts at index 0, as the frontend reset the ring before it
 * granted it.  Whatever the frontend really wrote is checked on every use.
 *
 * Return: 0, or -EINVAL if no slot fits.
 */
static inline int xenring_init_back(struct xenring *r, void *sh,
				    size_t bytes, size_t slot_size)
{
	r->nr_slots = xenring_nr_slots(bytes, slot_size);
	if (!r->nr_slots)
		return -EINVAL;
	r->sh = sh;
	r->slot_size = slot_size;
	r->prod = 0;
	r->cons = 0;
	return 0;
}

/*
 * Publish a producer index and tell whether the other end asked for an
 * event for one of the entries it now covers.
 */
static inline bool __xenring_publish(u32 *prod, u32 *event, u32 new)
{
	u32 old = READ_ONCE(*prod);
	u32 ev;

	/* The peer must see the slot contents before the new index. */
	virt_wmb();
	WRITE_ONCE(*prod, new);
	/* Publish the index before sampling the event index (pairs with rearm). */
	virt_mb();
	ev = READ_ONCE(*event);
	return (u32)(new - ev) < (u32)(new - old);
}

/*
 * Ask for an event when the peer's producer index reaches @cons + @n, then
 * look once more: true if @n entries are there already (no event will
 * come for them).
 */
static inline bool __xenring_rearm(u32 *event, u32 *prod, u32 cons, u32 n)
{
	WRITE_ONCE(*event, cons + n);
	/* Publish the event index before the final look at the producer. */
	virt_mb();
	return (u32)(READ_ONCE(*prod) - cons) >= n;
}

/* ------------------------------------------------------------------ */
/* Frontend: produce requests, consume responses                      */
/* ------------------------------------------------------------------ */

/**
 * xenring_req_space() - free request slots at the frontend
 * @r: frontend ring
 *
 * A slot is free once the response to the request that used it has been
 * consumed.
 *
 * Return: number of requests that can be produced now.
 */
static inline u32 xenring_req_space(const struct xenring *r)
{
	return r->nr_slots - (r->prod - r->cons);
}

/**
 * xenring_next_req() - the next request slot to fill in
 * @r: frontend ring with xenring_req_space() > 0
 *
 * The caller builds the request in private memory and copies it in with
 * one memcpy, then calls xenring_advance_req().
 *
 * Return: pointer into the shared page.
 */
static inline void *xenring_next_req(const struct xenring *r)
{
	return xenring_slot(r, r->prod);
}

static inline void xenring_advance_req(struct xenring *r)
{
	r->prod++;
}

/**
 * xenring_push_reqs() - publish produced requests
 * @r: frontend ring
 *
 * Return: true if the backend asked to be notified for one of them.
 */
static inline bool xenring_push_reqs(struct xenring *r)
{
	return __xenring_publish(&r->sh->req_prod, &r->sh->req_event, r->prod);
}

/**
 * xenring_rsp_avail() - how many responses can be consumed
 * @r: frontend ring
 *
 * Reads rsp_prod once.  The backend may publish at most one response per
 * outstanding request; a larger producer index is a protocol violation.
 *
 * Return: number of responses ready, or -EIO if the backend overran.
 */
static inline int xenring_rsp_avail(const struct xenring *r)
{
	u32 rp = READ_ONCE(r->sh->rsp_prod);
	u32 ready = rp - r->cons;

	/* Read the slots only after the index that covers them. */
	virt_rmb();
	if (ready > r->prod - r->cons)
		return -EIO;
	return ready;
}

/**
 * xenring_rsp_news() - judge an event of the backend by what it announces
 * @r: frontend ring, owned by someone else (its consumer may run meanwhile)
 * @seen: the response producer index that the last event judged as news
 *	announced; owned by the one event handler of this ring, 0 with a
 *	fresh ring
 *
 * An event handler that only schedules the consumer must not call every
 * event work just because responses are unconsumed: while the consumer
 * cannot run (its NAPI is off, say) a backend could then send events in
 * a loop, each acknowledged as real (XSA-391).  An event is news only if
 * the backend published responses since the last news, which it can do
 * at most once per request outstanding.
 *
 * Reads the consumer index, rsp_prod and the producer index once each, in
 * that order, so that an honest backend always passes the checks below
 * even while the consumer and the producer move on: cons <= rsp_prod <=
 * prod, and rsp_prod never behind *@seen.
 *
 * Return: 1 if rsp_prod moved forward since *@seen (which moves with it),
 * 0 if the event announces nothing new (it is spurious), or -EIO if
 * rsp_prod went backwards or beyond the requests: the ring is broken.
 */
static inline int xenring_rsp_news(const struct xenring *r, u32 *seen)
{
	u32 cons = READ_ONCE(r->cons);
	u32 rp, prod;

	/* rsp_prod only grows: read after cons, it is not behind it. */
	virt_rmb();
	rp = READ_ONCE(r->sh->rsp_prod);
	/* Nor can it pass a request produced before it was read. */
	virt_rmb();
	prod = READ_ONCE(r->prod);
	if (rp - cons > prod - cons || (s32)(rp - *seen) < 0)
		return -EIO;
	if (rp == *seen)
		return 0;
	*seen = rp;
	return 1;
}

/**
 * xenring_take_rsp() - copy out the next response and consume it
 * @r: frontend ring; xenring_rsp_avail() said one is ready
 * @dst: private buffer of at least @len bytes
 * @len: bytes to copy, at most the slot size
 */
static inline void xenring_take_rsp(struct xenring *r, void *dst, size_t len)
{
	memcpy(dst, xenring_slot(r, r->cons), len);
	r->cons++;
}

/**
 * xenring_rsp_rearm() - ask for an event at the next response
 * @r: frontend ring
 *
 * Return: true if responses arrived meanwhile and must be processed now
 * (no event will come for them).
 */
static inline bool xenring_rsp_rearm(struct xenring *r)
{
	return __xenring_rearm(&r->sh->rsp_event, &r->sh->rsp_prod, r->cons,
			       1);
}

/* ------------------------------------------------------------------ */
/* Backend: consume requests, produce responses                       */
/* ------------------------------------------------------------------ */

/**
 * xenring_req_avail() - how many requests can be consumed
 * @r: backend ring
 *
 * Reads req_prod once.  A frontend can never have more than nr_slots
 * requests unanswered: a larger producer index is a protocol violation.
 * Requests are only reported while their response slot is free, so a
 * consumed request can always be answered.
 *
 * Return: number of requests ready, or -EIO if the frontend overran.
 */
static inline int xenring_req_avail(const struct xenring *r)
{
	u32 rp = READ_ONCE(r->sh->req_prod);
	u32 ready = rp - r->cons;
	u32 unanswered = r->cons - r->prod;

	/* Read the slots only after the index that covers them. */
	virt_rmb();
	if (ready > r->nr_slots - unanswered)
		return -EIO;
	return ready;
}

/**
 * xenring_take_req() - copy out the next request and consume it
 * @r: backend ring; xenring_req_avail() said one is ready
 * @dst: private buffer of at least @len bytes
 * @len: bytes to copy, at most the slot size
 */
static inline void xenring_take_req(struct xenring *r, void *dst, size_t len)
{
	memcpy(dst, xenring_slot(r, r->cons), len);
	r->cons++;
}

/**
 * xenring_put_rsp() - write the next response
 * @r: backend ring
 * @src: the response, built in private memory
 * @len: its size, at most the slot size
 *
 * Return: 0, or -ENOSPC if every consumed request is already answered.
 */
static inline int xenring_put_rsp(struct xenring *r, const void *src,
				  size_t len)
{
	if (r->prod == r->cons)
		return -ENOSPC;
	memcpy(xenring_slot(r, r->prod), src, len);
	r->prod++;
	return 0;
}

/**
 * xenring_push_rsps() - publish produced responses
 * @r: backend ring
 *
 * Return: true if the frontend asked to be notified for one of them.
 */
static inline bool xenring_push_rsps(struct xenring *r)
{
	return __xenring_publish(&r->sh->rsp_prod, &r->sh->rsp_event, r->prod);
}

/**
 * xenring_req_rearm() - ask for an event at the next request
 * @r: backend ring
 *
 * Return: true if requests arrived meanwhile and must be processed now.
 */
static inline bool xenring_req_rearm(struct xenring *r)
{
	return __xenring_rearm(&r->sh->req_event, &r->sh->req_prod, r->cons,
			       1);
}

/**
 * xenring_req_rearm_for() - ask for an event once @n requests are ready
 * @r: backend ring
 * @n: requests wanted, from 1 to the ring's size
 *
 * For a backend that can only go on with @n requests at once (a packet
 * spread over several receive buffers): the frontend's event comes when
 * its producer index reaches @n past what was consumed.
 *
 * Return: true if @n requests are ready already (no event will come).
 */
static inline bool xenring_req_rearm_for(struct xenring *r, u32 n)
{
	return __xenring_rearm(&r->sh->req_event, &r->sh->req_prod, r->cons,
			       n);
}

/* ------------------------------------------------------------------ */
/* Request ids                                                        */
/* ------------------------------------------------------------------ */

/* Link values of struct xenring_ids: end of the free list, and in use. */
#define XENRING_ID_END		0xffffffffu
#define XENRING_ID_BUSY		0xfffffffeu

/**
 * struct xenring_ids - request ids, each free or outstanding
 * @link: @nr entries owned by the caller: the next free id for a free id,
 *	XENRING_ID_BUSY for an outstanding one
 * @nr: number of ids, below XENRING_ID_BUSY
 * @head: first free id, or XENRING_ID_END
 * @busy: number of outstanding ids
 */
struct xenring_ids {
	u32 *link;
	u32 nr;
	u32 head;
	u32 busy;
};

/**
 * xenring_ids_init() - make every id free
 * @ids: id table
 * @link: storage for @nr links
 * @nr: number of ids
 */
static inline void xenring_ids_init(struct xenring_ids *ids, u32 *link, u32 nr)
{
	u32 i;

	ids->link = link;
	ids->nr = nr;
	ids->busy = 0;
	for (i = 0; i < nr; i++)
		link[i] = i + 1 < nr ? i + 1 : XENRING_ID_END;
	ids->head = nr ? 0 : XENRING_ID_END;
}

/**
 * xenring_ids_get() - take a free id
 * @ids: id table
 *
 * Return: the id, or XENRING_ID_END if all are outstanding.
 */
static inline u32 xenring_ids_get(struct xenring_ids *ids)
{
	u32 id = ids->head;

	if (id == XENRING_ID_END)
		return id;
	ids->head = ids->link[id];
	ids->link[id] = XENRING_ID_BUSY;
	ids->busy++;
	return id;
}

/**
 * xenring_ids_busy() - is @id a valid outstanding id?
 * @ids: id table
 * @id: a value the peer returned
 *
 * Return: true if @id is in range and outstanding.
 */
static inline bool xenring_ids_busy(const struct xenring_ids *ids, u64 id)
{
	return id < ids->nr && ids->link[id] == XENRING_ID_BUSY;
}

/**
 * xenring_ids_put() - return an outstanding id to the free list
 * @ids: id table
 * @id: an id for which xenring_ids_busy() is true
 *
 * Return: 0, or -EINVAL if @id was not outstanding (nothing changes).
 */
static inline int xenring_ids_put(struct xenring_ids *ids, u64 id)
{
	if (!xenring_ids_busy(ids, id))
		return -EINVAL;
	ids->link[id] = ids->head;
	ids->head = id;
	ids->busy--;
	return 0;
}

#endif /* _XEN_XENRING_H */
