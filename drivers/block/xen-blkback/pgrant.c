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
 * makes room for references in use now; later requests move their data
 * with a memcpy instead of a grant copy hypercall.
 *
 * The frontend stays untrusted:
 *   - a ring maps at most max_persistent_grants references; once full,
 *     other references go through grant copy as before, so a frontend
 *     that never reuses a reference costs us a bounded amount of memory;
 *   - a reference that cannot be mapped writable (bad, read-only or
 *     revoked) is not cached, and the request falls back to grant copy,
 *     which fails that request alone;
 *   - the mapped pages come from gnttab_alloc_pages() and go back only
 *     after their unmap succeeded; a page whose unmap failed is leaked and
 *     counted, never reused.
 *
 * A cache belongs to its ring's thread; nothing here locks.  Its pages
 * are only touched while the thread handles a request, so between
 * requests any of them may be unmapped.
 */
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>
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
 * @last_used: jiffies when a request last used it
 */
struct blkback_pgrant {
	struct page *page;
	grant_handle_t handle;
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

/* Map up to PGRANT_BATCH distinct new references, each not yet cached. */
static void pgrant_map_batch(struct blkback_pgrants *pg,
			     const grant_ref_t *want, u32 nr)
{
	struct gnttab_map_grant_ref ops[PGRANT_BATCH];
	struct page *pages[PGRANT_BATCH];
	struct page *spare[PGRANT_BATCH];
	u32 i, nr_spare = 0;

	if (gnttab_alloc_pages(nr, pages))
		return;
	for (i = 0; i < nr; i++)
		gnttab_set_map_op(&ops[i], (unsigned long)page_address(pages[i]),
				  GNTMAP_host_map, want[i], pg->domid);
	if (gnttab_map_refs(ops, NULL, pages, nr)) {
		/* The batch failed as a whole: nothing was mapped. */
		gnttab_free_pages(nr, pages);
		return;
	}
	for (i = 0; i < nr; i++) {
		struct gnttab_unmap_grant_ref unmap;
		struct blkback_pgrant *e;

		if (ops[i].status != GNTST_okay) {
			spare[nr_spare++] = pages[i];
			continue;
		}
		e = kmalloc(sizeof(*e), GFP_NOIO);
		if (e) {
			e->page = pages[i];
			e->handle = ops[i].handle;
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
 * may still show the frontend's frame.
 */
static void pgrant_unmap_batch(struct blkback_pgrants *pg,
			       struct gnttab_unmap_grant_ref *ops,
			       struct page **pages, u32 n)
{
	struct page *done[PGRANT_BATCH];
	u32 i, nr_done = 0;

	if (!gnttab_unmap_refs(ops, NULL, pages, n)) {
		for (i = 0; i < n; i++) {
			if (ops[i].status == GNTST_okay)
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
		if (!time_after(jiffies, e->last_used + max_idle))
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

/**
 * blkback_pgrants_release() - unmap every cached reference
 * @pg: the cache; empty afterwards and usable again
 *
 * Called when the ring's thread has stopped and no request uses the
 * pages.  A page whose unmap fails stays allocated forever (and is counted
 * in blkback_nr_pgrants_lost): it may still show the frontend's frame.
 */
void blkback_pgrants_release(struct blkback_pgrants *pg)
{
	struct gnttab_unmap_grant_ref ops[PGRANT_BATCH];
	struct page *pages[PGRANT_BATCH];
	struct blkback_pgrant *e;
	unsigned long gref;
	u32 n;

	do {
		n = 0;
		xa_for_each(&pg->map, gref, e) {
			pgrant_take(pg, gref, e, &ops[n], &pages[n]);
			if (++n == PGRANT_BATCH)
				break;
		}
		if (n)
			pgrant_unmap_batch(pg, ops, pages, n);
	} while (n == PGRANT_BATCH);
	xa_destroy(&pg->map);
}
