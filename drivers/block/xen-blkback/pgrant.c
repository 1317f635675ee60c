// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback persistent grants: frontend pages kept mapped for the life
 * of a connection.
 *
 * With "feature-persistent" negotiated, the frontend promises to reuse a
 * bounded set of grant references for its data and indirect pages.  Each
 * ring then maps a reference the first time a request names it and keeps
 * it mapped until the ring is torn down; later requests move their data
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
 * A cache belongs to its ring's thread; nothing here locks.
 */
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
 */
struct blkback_pgrant {
	struct page *page;
	grant_handle_t handle;
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
}

/**
 * blkback_pgrant_addr() - where a mapped reference can be read and written
 * @pg: the cache
 * @gref: a frontend grant reference
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
	return e ? page_address(e->page) : NULL;
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
	struct page *done[PGRANT_BATCH];
	struct blkback_pgrant *e;
	unsigned long gref;
	u32 i, n, nr_done;

	do {
		n = 0;
		xa_for_each(&pg->map, gref, e) {
			xa_erase(&pg->map, gref);
			gnttab_set_unmap_op(&ops[n],
					    (unsigned long)page_address(e->page),
					    GNTMAP_host_map, e->handle);
			pages[n++] = e->page;
			kfree(e);
			if (n == PGRANT_BATCH)
				break;
		}
		if (!n)
			break;
		nr_done = 0;
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
	} while (n == PGRANT_BATCH);
	xa_destroy(&pg->map);
}
