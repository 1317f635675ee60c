// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback persistent grants: frontend pages kept mapped for the life
 * of a connection.
 *
 * With "feature-persistent" negotiated, the frontend promises to reuse a
 * bounded set of grant references for its data and indirect pages.  Each
 * ring then maps a reference the first time a request names it and keeps
 * it mapped until the ring is torn down, or until no request has used it
 * for persistent_grant_unused_seconds (blkback_pgrants_expire()), which
 * makes room for references in use now.  Later requests need no
 * hypercall for their data: a mapped page is lent to the request's bios
 * (blkback_pgrant_pin()), or, where the data must be copied (a device that
 * wants stable pages, see ring.c), moved with a memcpy.
 *
 * The frontend stays untrusted:
 *   - a ring maps at most max_persistent_grants references; once full,
 *     other references go through grant copy as before, so a frontend
 *     that never reuses a reference costs us a bounded amount of memory;
 *   - a reference that cannot be mapped writable (bad, read-only or
 *     revoked) is not cached, and the request falls back to grant copy,
 *     which fails that request alone;
 *   - the mapped pages come from gnttab_alloc_pages() and go back only
 *     after their unmap succeeded and nobody else holds a reference to
 *     them; any other page is leaked and counted, never reused.
 *
 * A cache belongs to its ring's thread; nothing here locks.  Outside the
 * thread a page is used by the bios of a request that pinned it (the
 * thread pins it when it starts the request and unpins it when it takes
 * the request back, after the answer), and perhaps beyond: a lower
 * layer may keep a reference to a page after the bio ended (a network
 * block device until its send completes).  So an entry is unmapped only
 * when it is not pinned and its page has no reference but ours.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include "blkback.h"

/* References mapped or unmapped per hypercall batch (bounds stack use). */
#define PGRANT_BATCH	16

atomic_t blkback_nr_pgrants = ATOMIC_INIT(0);
atomic_t blkback_nr_pgrants_lost = ATOMIC_INIT(0);

/**
 * struct blkback_pgrant - one mapped frontend page
 * @page: the ballooned page its frame is mapped over
 * @handle: grant handle, for the unmap
 * @pinned: a request in flight lends @page to its bios
 * @last_used: jiffies when a request last used it
 */
struct blkback_pgrant {
	struct page *page;
	grant_handle_t handle;
	bool pinned;
	unsigned long last_used;
};

/**
 * blkback_pgrants_init() - set up an empty cache
 * @pg: the cache, in a ring
 * @domid: the frontend's domain
 * @max: most references to keep mapped; 0 disables the cache
 */
void blkback_pgrants_init(struct blkback_pgrants *pg, domid_t domid, u32 max)
{
	xa_init(&pg->map);
	pg->nr = 0;
	pg->max = max;
	pg->domid = domid;
	pg->next_scan = jiffies;
}

/**
 * blkback_pgrant_addr() - where a mapped reference can be read and written
 * @pg: the cache
 * @gref: a frontend grant reference
 *
 * The caller is about to use the page: it counts as used now.
 *
 * Return: the kernel address of the mapped page, or NULL if @gref is not
 * in the cache.
 */
void *blkback_pgrant_addr(struct blkback_pgrants *pg, grant_ref_t gref)
{
	struct blkback_pgrant *e;

	if (!pg->nr)
		return NULL;
	e = xa_load(&pg->map, gref);
	if (!e)
		return NULL;
	e->last_used = jiffies;
	return page_address(e->page);
}

/**
 * blkback_pgrant_pin() - lend a mapped reference's page to a request
 * @pg: the cache
 * @gref: a frontend grant reference
 *
 * The entry stays mapped until blkback_pgrant_unpin(), however long the
 * request's bios take.  One segment at a time may have it: a frontend
 * that names a reference twice in requests in flight gets a page of ours
 * for the second, so that none of our mapped pages is in two I/Os at
 * once.  (A frontend may still grant one of its frames under two
 * references, and have both lent at once; what that does to the data is
 * its own business, the page being its own.)
 *
 * Return: the entry, or NULL if @gref is not in the cache or is pinned.
 */
struct blkback_pgrant *blkback_pgrant_pin(struct blkback_pgrants *pg,
					  grant_ref_t gref)
{
	struct blkback_pgrant *e;

	if (!pg->nr)
		return NULL;
	e = xa_load(&pg->map, gref);
	if (!e || e->pinned)
		return NULL;
	e->last_used = jiffies;
	e->pinned = true;
	return e;
}

/**
 * blkback_pgrant_page() - the page a pinned entry lends
 * @e: an entry from blkback_pgrant_pin()
 *
 * Return: the page the frontend's frame is mapped over.
 */
struct page *blkback_pgrant_page(const struct blkback_pgrant *e)
{
	return e->page;
}

/**
 * blkback_pgrant_unpin() - give back a page blkback_pgrant_pin() lent
 * @e: the entry; the request's bios have all finished
 */
void blkback_pgrant_unpin(struct blkback_pgrant *e)
{
	WARN_ON_ONCE(!e->pinned);
	e->pinned = false;
	e->last_used = jiffies;
}

/*
 * In use beyond the cache: pinned by a request, or referenced by someone
 * a finished bio left it with.  Such a page is not unmapped by expiry.
 */
static bool pgrant_busy(const struct blkback_pgrant *e)
{
	return e->pinned || page_count(e->page) > 1;
}

/* Map up to PGRANT_BATCH distinct new references, each not yet cached. */
static void pgrant_map_batch(struct blkback_pgrants *pg,
			     const grant_ref_t *want, u32 nr)
{
	struct gnttab_map_grant_ref ops[PGRANT_BATCH];
	struct page *pages[PGRANT_BATCH];
	struct page *spare[PGRANT_BATCH];
	u32 i, nr_spare = 0;
	bool failed;

	if (gnttab_alloc_pages(nr, pages))
		return;
	for (i = 0; i < nr; i++)
		gnttab_set_map_op(&ops[i], (unsigned long)page_address(pages[i]),
				  GNTMAP_host_map, want[i], pg->domid);
	/*
	 * On failure the hypercall failed, or it mapped and the p2m update
	 * after it did not: a page whose op says mapped may still show the
	 * frontend's frame, and is given up (counted).
	 */
	failed = gnttab_map_refs(ops, NULL, pages, nr);
	for (i = 0; i < nr; i++) {
		struct gnttab_unmap_grant_ref unmap;
		struct blkback_pgrant *e;

		if (ops[i].status != GNTST_okay) {
			spare[nr_spare++] = pages[i];
			continue;
		}
		if (failed) {
			atomic_inc(&blkback_nr_pgrants_lost);
			continue;
		}
		e = kmalloc(sizeof(*e), GFP_NOIO);
		if (e) {
			e->page = pages[i];
			e->handle = ops[i].handle;
			e->pinned = false;
			e->last_used = jiffies;
			if (!xa_err(xa_store(&pg->map, want[i], e, GFP_NOIO))) {
				pg->nr++;
				atomic_inc(&blkback_nr_pgrants);
				continue;
			}
			kfree(e);
		}
		/* No memory to remember it: undo this one mapping. */
		gnttab_set_unmap_op(&unmap, (unsigned long)page_address(pages[i]),
				    GNTMAP_host_map, ops[i].handle);
		if (!gnttab_unmap_refs(&unmap, NULL, &pages[i], 1) &&
		    unmap.status == GNTST_okay)
			spare[nr_spare++] = pages[i];
		else
			atomic_inc(&blkback_nr_pgrants_lost);
	}
	if (nr_spare)
		gnttab_free_pages(nr_spare, spare);
}

/**
 * blkback_pgrants_add() - map references not yet in the cache
 * @pg: the cache
 * @grefs: references a request names; duplicates and ones already mapped
 *	are allowed
 * @n: number of @grefs
 *
 * Maps as many of the new references as the cache has room for.
 * Failures are not errors: such references stay unmapped and the caller
 * copies their data with grant copy.
 */
void blkback_pgrants_add(struct blkback_pgrants *pg, const grant_ref_t *grefs,
			 u32 n)
{
	grant_ref_t want[PGRANT_BATCH];
	u32 i, j, nr = 0;

	for (i = 0; i < n && pg->nr + nr < pg->max; i++) {
		if (xa_load(&pg->map, grefs[i]))
			continue;
		for (j = 0; j < nr && want[j] != grefs[i]; j++)
			;
		if (j < nr)
			continue;
		want[nr++] = grefs[i];
		if (nr == PGRANT_BATCH) {
			pgrant_map_batch(pg, want, nr);
			nr = 0;
		}
	}
	if (nr)
		pgrant_map_batch(pg, want, nr);
}

/* Take @e, cached for @gref, out of the map and into an unmap batch. */
static void pgrant_take(struct blkback_pgrants *pg, unsigned long gref,
			struct blkback_pgrant *e,
			struct gnttab_unmap_grant_ref *op, struct page **page)
{
	xa_erase(&pg->map, gref);
	gnttab_set_unmap_op(op, (unsigned long)page_address(e->page),
			    GNTMAP_host_map, e->handle);
	*page = e->page;
	kfree(e);
}

/*
 * Unmap a batch of pages taken out of the map.  A page whose unmap failed
 * stays allocated forever (and is counted in blkback_nr_pgrants_lost): it
 * may still show the frontend's frame.  So does a page someone else still
 * holds a reference to, whose unmap succeeded: it must not go back to the
 * balloon under them.
 */
static void pgrant_unmap_batch(struct blkback_pgrants *pg,
			       struct gnttab_unmap_grant_ref *ops,
			       struct page **pages, u32 n)
{
	struct page *done[PGRANT_BATCH];
	u32 i, nr_done = 0;

	if (!gnttab_unmap_refs(ops, NULL, pages, n)) {
		for (i = 0; i < n; i++) {
			if (ops[i].status == GNTST_okay &&
			    page_count(pages[i]) == 1)
				done[nr_done++] = pages[i];
		}
	}
	atomic_sub(n, &blkback_nr_pgrants);
	atomic_add(n - nr_done, &blkback_nr_pgrants_lost);
	pg->nr -= n;
	if (nr_done)
		gnttab_free_pages(nr_done, done);
}

/**
 * blkback_pgrants_expire() - unmap references no request used lately
 * @pg: the cache
 * @max_idle: jiffies a reference may stay unused; 0 keeps them all
 *
 * Called by the ring's thread between requests, as often as it likes:
 * the cache is walked at most once a second.  The room freed goes to the
 * references requests name next.
 */
void blkback_pgrants_expire(struct blkback_pgrants *pg, unsigned long max_idle)
{
	struct gnttab_unmap_grant_ref ops[PGRANT_BATCH];
	struct page *pages[PGRANT_BATCH];
	struct blkback_pgrant *e;
	unsigned long gref;
	u32 n = 0;

	if (!max_idle || !pg->nr || time_before(jiffies, pg->next_scan))
		return;
	pg->next_scan = jiffies + HZ;
	/* Erasing the entry just visited is allowed by xa_for_each(). */
	xa_for_each(&pg->map, gref, e) {
		if (pgrant_busy(e) ||
		    !time_after(jiffies, e->last_used + max_idle))
			continue;
		pgrant_take(pg, gref, e, &ops[n], &pages[n]);
		if (++n == PGRANT_BATCH) {
			pgrant_unmap_batch(pg, ops, pages, n);
			n = 0;
		}
	}
	if (n)
		pgrant_unmap_batch(pg, ops, pages, n);
}

/*
 * Give up @e, cached for @gref, for good, its frame still mapped: a
 * request still pins it (our bug), or there was no memory to unmap it
 * later.
 */
static void pgrant_abandon(struct blkback_pgrants *pg, unsigned long gref,
			   struct blkback_pgrant *e)
{
	xa_erase(&pg->map, gref);
	kfree(e);
	pg->nr--;
	atomic_dec(&blkback_nr_pgrants);
	atomic_inc(&blkback_nr_pgrants_lost);
}

/**
 * struct pgrant_late - the unmap of one page someone still holds
 * @q: the grant table's request: it retries until the page is ours alone
 * @op: the unmap
 * @page: the page
 * @node: on pgrant_late_finished once the unmap is done
 */
struct pgrant_late {
	struct gntab_unmap_queue_data q;
	struct gnttab_unmap_grant_ref op;
	struct page *page;
	struct list_head node;
};

/*
 * Unmaps left running at teardown, each waiting for a lower layer to let
 * go of its page (pgrant_unmap_late()).  pgrant_late_lock protects the
 * count of those still running, pgrant_nr_late, and the list of finished
 * ones, pgrant_late_finished, which wait there to be freed in process
 * context, once the grant table's worker has returned from them
 * (pgrant_late_reap()): their completion is this module's code.
 */
static DEFINE_SPINLOCK(pgrant_late_lock);
static unsigned int pgrant_nr_late;
static LIST_HEAD(pgrant_late_finished);
static DECLARE_WAIT_QUEUE_HEAD(pgrant_late_wq);

static void pgrant_late_done(int result, struct gntab_unmap_queue_data *q)
{
	struct pgrant_late *l = container_of(q, struct pgrant_late, q);
	unsigned long flags;

	atomic_dec(&blkback_nr_pgrants);
	if (!result && l->op.status == GNTST_okay && page_count(l->page) == 1)
		gnttab_free_pages(1, &l->page);
	else
		atomic_inc(&blkback_nr_pgrants_lost);
	/* The last touch of anything of ours but the return. */
	spin_lock_irqsave(&pgrant_late_lock, flags);
	list_add_tail(&l->node, &pgrant_late_finished);
	pgrant_nr_late--;
	wake_up(&pgrant_late_wq);
	spin_unlock_irqrestore(&pgrant_late_lock, flags);
}

/* Free the finished late unmaps, once the worker is out of each. */
static void pgrant_late_reap(void)
{
	struct pgrant_late *l, *tmp;
	LIST_HEAD(done);

	spin_lock_irq(&pgrant_late_lock);
	list_splice_init(&pgrant_late_finished, &done);
	spin_unlock_irq(&pgrant_late_lock);
	list_for_each_entry_safe(l, tmp, &done, node) {
		/* A no-op if the unmap finished at once, not on the worker. */
		flush_delayed_work(&l->q.gnttab_work);
		kfree(l);
	}
}

/*
 * Unmap @e, cached for @gref, once nobody else holds its page: a lower
 * layer may keep a page a finished bio used (a network block device until
 * its send completes).  Teardown does not wait for that; the grant
 * table's worker does, and the mapping counts until it is undone.
 */
static void pgrant_unmap_late(struct blkback_pgrants *pg, unsigned long gref,
			      struct blkback_pgrant *e)
{
	struct pgrant_late *l = kzalloc(sizeof(*l), GFP_KERNEL);

	if (!l) {
		pgrant_abandon(pg, gref, e);
		return;
	}
	pgrant_take(pg, gref, e, &l->op, &l->page);
	pg->nr--;
	l->q.done = pgrant_late_done;
	l->q.unmap_ops = &l->op;
	l->q.pages = &l->page;
	l->q.count = 1;
	spin_lock_irq(&pgrant_late_lock);
	pgrant_nr_late++;
	spin_unlock_irq(&pgrant_late_lock);
	gnttab_unmap_refs_async(&l->q);
}

/**
 * blkback_pgrants_wait_late() - wait for the unmaps teardown left running
 *
 * Called at module exit, when no ring is left: the unmaps' completion is
 * this module's code.  Waits as long as a lower layer holds a page (for
 * ever, if it never lets go).
 */
void blkback_pgrants_wait_late(void)
{
	spin_lock_irq(&pgrant_late_lock);
	wait_event_lock_irq(pgrant_late_wq, !pgrant_nr_late, pgrant_late_lock);
	spin_unlock_irq(&pgrant_late_lock);
	pgrant_late_reap();
}

/**
 * blkback_pgrants_release() - unmap every cached reference
 * @pg: the cache; empty afterwards and usable again
 *
 * Called, in process context, when the ring's thread has stopped and no
 * request uses the pages.  A page a lower layer still holds is unmapped
 * later, when it lets go (pgrant_unmap_late()).  A page whose unmap fails
 * stays allocated forever, counted in blkback_nr_pgrants_lost.
 */
void blkback_pgrants_release(struct blkback_pgrants *pg)
{
	struct gnttab_unmap_grant_ref ops[PGRANT_BATCH];
	struct page *pages[PGRANT_BATCH];
	struct blkback_pgrant *e;
	unsigned long gref;
	u32 n;

	pgrant_late_reap();
	do {
		n = 0;
		xa_for_each(&pg->map, gref, e) {
			if (WARN_ON_ONCE(e->pinned)) {
				pgrant_abandon(pg, gref, e);
				continue;
			}
			if (page_count(e->page) > 1) {
				pgrant_unmap_late(pg, gref, e);
				continue;
			}
			pgrant_take(pg, gref, e, &ops[n], &pages[n]);
			if (++n == PGRANT_BATCH)
				break;
		}
		if (n)
			pgrant_unmap_batch(pg, ops, pages, n);
	} while (n == PGRANT_BATCH);
	xa_destroy(&pg->map);
}
