// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback data path.
 *
 * Each ring has one kernel thread that owns it: it consumes requests,
 * gives each segment a page, copies write data in where that page is
 * ours, and submits bios.  When the bios have finished, a request with
 * nothing left to do is answered by the completion of its last bio
 * (blkback_io_done()); one whose read data must still be copied out to
 * the frontend, or a barrier, is answered by the thread.  Either way the
 * thread takes the request's pages and context back afterwards.  The
 * ring's response side and the done list are shared with bio completion
 * (and the stop flag with teardown) under blkback_ring.rsp_lock; the rest
 * of the ring is the thread's.
 *
 * A segment whose grant the ring keeps mapped (persistent grants) lends
 * the mapped page itself to the bio, so its data is not copied at all.
 * The frontend can change that page while the I/O runs, which harms only
 * the data it asked us to move, on a device that does not look at the
 * data itself.  One that does computes checksums or parity over the data
 * (dm-integrity, RAID 5, network digests, say so with
 * bdev_stable_writes(); T10 protection information is the block layer's
 * integrity profile), and data changing under them would fail or corrupt
 * more than this request (an iSCSI digest mismatch resets the whole
 * session, a RAID 5 stripe's parity covers other data, a protection
 * error is logged for each bio).  Such a device gets pages of ours, in
 * both directions.  A loop device does not pass on the need of
 * the device under its file (Linux 6.12); in its default buffered mode it
 * copies the data itself.
 *
 * Every request is copied out of the ring once (xenring_take_req()),
 * converted from the frontend's ABI into private memory
 * (blkback_copy_req()) and checked there (blkback_check_req()); indirect
 * segment pages are copied into private memory before they are checked.
 * A malformed request gets an error response; a frontend that keeps
 * sending them, or overruns the ring, is disconnected.
 *
 * A barrier (BLKIF_OP_WRITE_BARRIER) is ordered as io/blkif.h states: it
 * starts only once every request consumed before it on its ring has been
 * answered, and nothing after it is consumed until it has been answered
 * itself.  The thread parks the barrier (blkback_ring.barrier) and stops
 * consuming; while it is parked every finished request wakes the thread,
 * and the thread submits it once taking the others back has left it alone
 * in flight (blkback_barrier_go()).  Linux's
 * blkback drains the same way but consumes again as soon as the barrier
 * is submitted, which lets later writes overtake it; holding them costs
 * one round trip per barrier.  A frontend may send a FUA write as a
 * barrier (Linux's blkfront and ours do, to a backend that offers no
 * flush-cache), so a barrier is written with REQ_PREFLUSH | REQ_FUA: the
 * earlier writes are stable before it starts and its own data is stable
 * when it is answered (Linux's blkback sets REQ_PREFLUSH only).
 */
#define pr_fmt(fmt) "xen-blkback: " fmt

#include <linux/bio.h>
#include <linux/blk-integrity.h>
#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xenbus.h>
#include "blkback.h"

/* Malformed requests tolerated before the frontend is disconnected. */
#define BLKBACK_MAX_MALFORMED	16
/* Requests one turn of the thread consumes, at most. */
#define BLKBACK_CONSUME_BUDGET	64
/* How often a ring's thread wakes for its timed work, when it has any. */
#define BLKBACK_TICK		HZ
/* Time between two log_stats lines of a ring. */
#define BLKBACK_STATS_INTERVAL	(10 * HZ)
/* How a barrier is written, once the requests before it are done. */
#define BLKBACK_BARRIER_OPF	(REQ_OP_WRITE | REQ_PREFLUSH | REQ_FUA)

/*
 * The ring threads read these with READ_ONCE() between requests, so a
 * change applies within a second or so to every ring.
 */
static int max_buffer_pages = 1024;
module_param(max_buffer_pages, int, 0644);
MODULE_PARM_DESC(max_buffer_pages, "Most spare data pages each ring keeps between requests (default 1024); a change applies at once");

static unsigned int persistent_grant_unused_seconds = 60;
module_param(persistent_grant_unused_seconds, uint, 0644);
MODULE_PARM_DESC(persistent_grant_unused_seconds, "Seconds a persistently mapped frontend page may stay unused before it is unmapped (default 60, 0 for never); a change applies at once");

static int log_stats;
module_param(log_stats, int, 0644);
MODULE_PARM_DESC(log_stats, "Non-zero: each busy ring logs its request counts every 10 seconds (default 0); a change applies at once");

atomic_t blkback_nr_ring_pages = ATOMIC_INIT(0);
atomic_t blkback_nr_pages = ATOMIC_INIT(0);
atomic_t blkback_nr_inflight = ATOMIC_INIT(0);

/* Spare pages @r may keep now: none while memory is short. */
static u32 blkback_pool_limit(struct blkback_ring *r)
{
	int max = READ_ONCE(max_buffer_pages);

	if (max <= 0 || time_before(jiffies, READ_ONCE(r->be->squeeze_end)))
		return 0;
	return max;
}

static bool blkback_pool_over(struct blkback_ring *r)
{
	return r->pool_size > blkback_pool_limit(r);
}

static struct page *blkback_page_get(struct blkback_ring *r)
{
	struct page *page;

	page = list_first_entry_or_null(&r->pool, struct page, lru);
	if (!page) {
		page = alloc_page(GFP_NOIO);
		if (page)
			atomic_inc(&blkback_nr_pages);
		return page;
	}
	list_del(&page->lru);
	r->pool_size--;
	return page;
}

static void blkback_page_put(struct blkback_ring *r, struct page *page)
{
	if (r->pool_size >= blkback_pool_limit(r)) {
		__free_page(page);
		atomic_dec(&blkback_nr_pages);
		return;
	}
	list_add(&page->lru, &r->pool);
	r->pool_size++;
}

/* Give a request's pages back: lent ones to their mapping, ours to the pool. */
static void blkback_pages_put(struct blkback_ring *r, struct blkback_io *io)
{
	u32 i;

	for (i = 0; i < io->nr_pages; i++) {
		if (io->lent[i])
			blkback_pgrant_unpin(io->lent[i]);
		else
			blkback_page_put(r, io->pages[i]);
	}
	io->nr_pages = 0;
}

/* Write a request's response into the ring; under rsp_lock. */
static void blkback_put_rsp(struct blkback_ring *r, struct blkback_io *io,
			    int err)
{
	u8 rsp[BLKBACK_MAX_RSP_SIZE];
	size_t len;

	lockdep_assert_held(&r->rsp_lock);
	len = blkback_build_rsp(r->be->abi, io->req.id, blkback_rsp_op(&io->req),
				blkback_status(err), rsp);
	/* Cannot fail: the request was consumed and not yet answered. */
	xenring_put_rsp(&r->ring, rsp, len);
	atomic_dec(&blkback_nr_inflight);
}

/* Publish the responses written; under rsp_lock. */
static void blkback_push_locked(struct blkback_ring *r)
{
	lockdep_assert_held(&r->rsp_lock);
	if (xenring_push_rsps(&r->ring))
		notify_remote_via_irq(r->irq);
}

static void blkback_push(struct blkback_ring *r)
{
	spin_lock_irq(&r->rsp_lock);
	blkback_push_locked(r);
	spin_unlock_irq(&r->rsp_lock);
}

/* Give an answered request's pages and context back (thread only). */
static void blkback_recycle(struct blkback_ring *r, struct blkback_io *io)
{
	blkback_pages_put(r, io);
	if (io == r->barrier)
		r->barrier = NULL;	/* later requests may be consumed */
	list_add(&io->node, &r->free);
	r->inflight--;
}

/* Answer a request from the thread and give its context back. */
static void blkback_respond(struct blkback_ring *r, struct blkback_io *io,
			    int err)
{
	spin_lock_irq(&r->rsp_lock);
	blkback_put_rsp(r, io, err);
	spin_unlock_irq(&r->rsp_lock);
	blkback_recycle(r, io);
}

/*
 * Add @n to one of the ring's counts.  Only the ring's thread writes them.
 * On 32-bit the sequence count lets a reader see each value whole, and
 * interrupts are off meanwhile so that a reader never waits for a writer
 * that was preempted; on 64-bit both cost nothing.
 */
static void blkback_count(struct blkback_ring *r, enum blkback_stat stat,
			  unsigned long n)
{
	unsigned long flags = u64_stats_update_begin_irqsave(&r->st_sync);

	u64_stats_add(&r->st[stat], n);
	u64_stats_update_end_irqrestore(&r->st_sync, flags);
}

/* All of a ring's counts, from one consistent look at them. */
static void blkback_ring_stats(struct blkback_ring *r,
			       struct blkback_stats *snap)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&r->st_sync);
		for (i = 0; i < BLKBACK_ST_NR; i++)
			snap->n[i] = u64_stats_read(&r->st[i]);
	} while (u64_stats_fetch_retry(&r->st_sync, start));
}

static void blkback_broken(struct blkback_ring *r, const char *why)
{
	r->broken = true;
	/*
	 * The answers already written go out before the device says it is
	 * closing, so that a frontend never sees one consumed request
	 * answered after that (only the bios still in flight are).
	 */
	blkback_push(r);
	blkback_frontend_broken(r, why);
}

/* Count a request the frontend should not have sent; too many break. */
static void blkback_malformed(struct blkback_ring *r)
{
	if (++r->malformed > BLKBACK_MAX_MALFORMED)
		blkback_broken(r, "too many malformed requests");
}

/*
 * Move one segment's data by memcpy if its page is persistently mapped.
 * Return false if it is not (the caller grant-copies it).
 */
static bool blkback_copy_mapped(struct blkback_ring *r, grant_ref_t gref,
				void *ours, u32 off, u32 len, bool to_frontend)
{
	void *theirs = blkback_pgrant_addr(&r->pgrants, gref);

	if (!theirs)
		return false;
	if (to_frontend)
		memcpy(theirs + off, ours + off, len);
	else
		memcpy(ours + off, theirs + off, len);
	return true;
}

/* Map the not yet mapped pages of a request, if the cache is on. */
static void blkback_map_persistent(struct blkback_ring *r,
				   const struct blkif_request_segment *segs,
				   const u32 *grefs, u32 n)
{
	u32 i;

	if (!r->pgrants.max)
		return;
	for (i = 0; i < n; i++)
		r->grefs[i] = segs ? segs[i].gref : grefs[i];
	blkback_pgrants_add(&r->pgrants, r->grefs, n);
}

/*
 * Copy between the frontend's granted pages and ours, for the segments
 * that have pages of ours: by memcpy for persistently mapped grants, else
 * by one grant copy operation per segment whose own status is checked.
 */
static int blkback_copy_data(struct blkback_ring *r, struct blkback_io *io,
			     bool to_frontend)
{
	domid_t domid = r->be->xbdev->otherend_id;
	u32 shift = r->be->disk.sect_shift;
	u32 i, nr = 0;
	int err = 0;

	for (i = 0; i < io->nr_pages; i++) {
		const struct blkif_request_segment *s = &io->segs[i];
		u32 off = s->first_sect << shift;
		u32 len = (s->last_sect - s->first_sect + 1) << shift;
		struct gnttab_copy *op;
		struct gnttab_copy_ptr *theirs, *ours;

		if (io->lent[i])
			continue;
		if (blkback_copy_mapped(r, s->gref, page_address(io->pages[i]),
					off, len, to_frontend))
			continue;
		op = &r->copies[nr++];
		memset(op, 0, sizeof(*op));
		theirs = to_frontend ? &op->dest : &op->source;
		ours = to_frontend ? &op->source : &op->dest;
		theirs->u.ref = s->gref;
		theirs->domid = domid;
		ours->u.gmfn = xen_page_to_gfn(io->pages[i]);
		ours->domid = DOMID_SELF;
		theirs->offset = off;
		ours->offset = off;
		op->len = len;
		op->flags = to_frontend ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
	}
	if (!nr)
		return 0;
	gnttab_batch_copy(r->copies, nr);
	for (i = 0; i < nr; i++)
		if (r->copies[i].status != GNTST_okay)
			err = -EIO;
	return err;
}

/* Copy the indirect segment pages into io->segs and check them. */
static int blkback_fetch_indirect(struct blkback_ring *r,
				  struct blkback_io *io, u64 *total)
{
	domid_t domid = r->be->xbdev->otherend_id;
	u32 left = io->req.nr_segs;
	u32 p, nr = 0;

	blkback_map_persistent(r, NULL, io->req.indirect_grefs,
			       io->req.nr_indirect_pages);
	for (p = 0; p < io->req.nr_indirect_pages; p++) {
		struct blkif_request_segment *dst =
			&io->segs[p * BLKIF_SEGS_PER_INDIRECT_PAGE];
		u32 n = min_t(u32, left, BLKIF_SEGS_PER_INDIRECT_PAGE);
		void *mapped = blkback_pgrant_addr(&r->pgrants,
						   io->req.indirect_grefs[p]);
		struct gnttab_copy *op = &r->copies[nr];

		left -= n;
		if (mapped) {
			memcpy(dst, mapped, n * sizeof(*dst));
			continue;
		}
		nr++;
		memset(op, 0, sizeof(*op));
		op->source.u.ref = io->req.indirect_grefs[p];
		op->source.domid = domid;
		op->dest.u.gmfn = virt_to_gfn(dst);
		op->dest.domid = DOMID_SELF;
		op->dest.offset = offset_in_page(dst);
		op->len = n * sizeof(*dst);
		op->flags = GNTCOPY_source_gref;
	}
	if (nr)
		gnttab_batch_copy(r->copies, nr);
	for (p = 0; p < nr; p++)
		if (r->copies[p].status != GNTST_okay)
			return -EINVAL;
	return blkback_check_segs(io->segs, io->req.nr_segs,
				  r->be->disk.sect_shift, total);
}

/* Segments must cover whole logical blocks of the device. */
static int blkback_check_blocks(struct blkback_dev *be, struct blkback_io *io)
{
	u32 mask = bdev_logical_block_size(be->bdev) - 1;
	u32 shift = be->disk.sect_shift;
	u32 i;

	if (!io->req.nr_segs)
		return 0;	/* a flush: its sector means nothing */
	if ((io->req.sector << shift) & mask)
		return -EINVAL;
	for (i = 0; i < io->req.nr_segs; i++) {
		const struct blkif_request_segment *s = &io->segs[i];

		if (((u32)s->first_sect << shift) & mask ||
		    ((u32)(s->last_sect + 1) << shift) & mask)
			return -EINVAL;
	}
	return 0;
}

/*
 * All of a request's bios have finished.  A request with nothing left to
 * do but its response (see blkback_start()) is answered right here, in
 * whatever context the last bio ended in, and the thread is woken only
 * if it waits for that: upstream's blkback answers from completion too,
 * and a wakeup per request costs a context switch, often on the other
 * CPU, on the path of every synchronous I/O.  Any other request goes to
 * the thread.  Either way the request goes on the done list, where the
 * thread takes its pages and context back.
 */
static void blkback_io_done(struct blkback_io *io)
{
	struct blkback_ring *r = io->ring;
	unsigned long flags;
	bool wake = true;

	/*
	 * Everything under the lock, and the unlock is the last touch of @r
	 * and @io: once the thread can take this request (under the lock),
	 * it may reuse it, or answer the last one and leave, and teardown
	 * frees @r.  The request is on the done list before its response
	 * is visible, so a frontend that sees the response and posts again
	 * finds its context free for the taking (blkback_consume()).
	 */
	spin_lock_irqsave(&r->rsp_lock, flags);
	if (io->early) {
		blkback_put_rsp(r, io, io->error);
		io->answered = true;
		wake = r->barrier_waiting || r->stopping;
	}
	list_add_tail(&io->node, &r->done);
	if (io->early)
		blkback_push_locked(r);
	if (wake)
		wake_up(&r->wq);
	spin_unlock_irqrestore(&r->rsp_lock, flags);
}

static void blkback_bio_done(struct bio *bio)
{
	struct blkback_io *io = bio->bi_private;

	if (bio->bi_status)
		cmpxchg(&io->error, 0, blk_status_to_errno(bio->bi_status));
	bio_put(bio);
	if (atomic_dec_and_test(&io->pending))
		blkback_io_done(io);
}

static struct bio *blkback_new_bio(struct blkback_io *io, unsigned int nr,
				   blk_opf_t opf, sector_t sector)
{
	struct bio *bio = bio_alloc(io->ring->be->bdev, nr, opf, GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	bio->bi_private = io;
	bio->bi_end_io = blkback_bio_done;
	atomic_inc(&io->pending);
	return bio;
}

/* Submit a request's bios; returns the 512-byte sectors they cover. */
static sector_t blkback_submit(struct blkback_ring *r, struct blkback_io *io,
			       blk_opf_t opf)
{
	u32 shift = r->be->disk.sect_shift;
	sector_t first = io->req.sector << (shift - SECTOR_SHIFT);
	sector_t sector = first;
	struct bio *bio = NULL;
	struct blk_plug plug;
	u32 i;

	io->error = 0;
	atomic_set(&io->pending, 1);
	blk_start_plug(&plug);
	if (!io->nr_pages)
		bio = blkback_new_bio(io, 0, opf, 0);
	for (i = 0; i < io->nr_pages; i++) {
		const struct blkif_request_segment *s = &io->segs[i];
		u32 off = s->first_sect << shift;
		u32 len = (s->last_sect - s->first_sect + 1) << shift;

		if (!bio || bio_add_page(bio, io->pages[i], len, off) != len) {
			if (bio)
				submit_bio(bio);
			bio = blkback_new_bio(io, min_t(u32, io->nr_pages - i,
							BIO_MAX_VECS),
					      opf, sector);
			__bio_add_page(bio, io->pages[i], len, off);
		}
		sector += len >> SECTOR_SHIFT;
	}
	submit_bio(bio);
	blk_finish_plug(&plug);
	if (atomic_dec_and_test(&io->pending))
		blkback_io_done(io);
	return sector - first;
}

/* Submit a prepared request and count its sectors. */
static void blkback_run(struct blkback_ring *r, struct blkback_io *io,
			blk_opf_t opf)
{
	sector_t sects = blkback_submit(r, io, opf);

	/* Data a flush or barrier carries counts as written. */
	if (sects)
		blkback_count(r, op_is_write(opf) ? BLKBACK_ST_WR_SECT :
			      BLKBACK_ST_RD_SECT, sects);
}

/*
 * Submit the parked barrier once every request consumed before it has
 * been answered and taken back, that is once it is the only one in
 * flight.  Called when it is parked and whenever the thread has taken
 * requests back, which are the only times that can become true.
 */
static void blkback_barrier_go(struct blkback_ring *r)
{
	if (!r->barrier_waiting || r->inflight != 1)
		return;
	spin_lock_irq(&r->rsp_lock);
	r->barrier_waiting = false;
	spin_unlock_irq(&r->rsp_lock);
	blkback_run(r, r->barrier, BLKBACK_BARRIER_OPF);
}

static int blkback_discard(struct blkback_ring *r, struct blkback_io *io)
{
	struct blkback_dev *be = r->be;
	u32 extra = be->disk.sect_shift - SECTOR_SHIFT;
	sector_t start = io->req.sector << extra;
	sector_t count = io->req.nr_sectors << extra;

	if (!count)
		return 0;
	if ((io->req.discard_flag & BLKIF_DISCARD_SECURE) &&
	    be->disk.discard_secure)
		return blkdev_issue_secure_erase(be->bdev, start, count,
						 GFP_NOIO);
	return blkdev_issue_discard(be->bdev, start, count, GFP_NOIO);
}

/*
 * Give segment @i of @io the page its bio uses: the frontend's mapped page
 * if @lend allows and its grant is persistently mapped, else one of ours.
 * Returns the page, or NULL if we are out of memory.
 */
static struct page *blkback_seg_page(struct blkback_ring *r,
				     struct blkback_io *io, u32 i, bool lend)
{
	struct blkback_pgrant *e = NULL;

	if (lend)
		e = blkback_pgrant_pin(&r->pgrants, io->segs[i].gref);
	io->lent[i] = e;
	io->pages[i] = e ? blkback_pgrant_page(e) : blkback_page_get(r);
	return io->pages[i];
}

static void blkback_finish(struct blkback_ring *r);

/* Start one request copied out of the ring.  Answers it on any error. */
static void blkback_start(struct blkback_ring *r, struct blkback_io *io,
			  const void *slot)
{
	struct blkback_dev *be = r->be;
	enum blkback_reject why = BLKBACK_REQ_OK;
	blk_opf_t opf;
	u64 total = 0;
	bool lend;
	int err;
	u32 i;

	io->nr_pages = 0;
	io->early = false;
	io->answered = false;
	err = blkback_copy_req(be->abi, slot, &io->req);
	if (!err)
		err = blkback_check_req(&io->req, &be->disk, &why);
	if (err)
		goto fail;

	switch (io->req.op) {
	case BLKIF_OP_DISCARD:
		blkback_count(r, BLKBACK_ST_DS_REQ, 1);
		blkback_respond(r, io, blkback_discard(r, io));
		/* Answered at once and for nothing: it counts as malformed. */
		if (!io->req.nr_sectors)
			blkback_malformed(r);
		return;
	case BLKIF_OP_READ:
		blkback_count(r, BLKBACK_ST_RD_REQ, 1);
		opf = REQ_OP_READ;
		break;
	case BLKIF_OP_WRITE:
		blkback_count(r, BLKBACK_ST_WR_REQ, 1);
		opf = REQ_OP_WRITE;
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
		blkback_count(r, BLKBACK_ST_F_REQ, 1);
		opf = REQ_OP_WRITE | REQ_PREFLUSH;
		break;
	case BLKIF_OP_WRITE_BARRIER:
		blkback_count(r, BLKBACK_ST_F_REQ, 1);
		opf = BLKBACK_BARRIER_OPF;
		break;
	default:
		err = -EOPNOTSUPP;
		goto fail;
	}

	if (io->req.operation == BLKIF_OP_INDIRECT) {
		err = blkback_fetch_indirect(r, io, &total);
		if (!err)
			err = blkback_check_range(&be->disk, io->req.sector,
						  total);
		if (err) {
			why = BLKBACK_REQ_BAD_SEG;
			goto fail;
		}
	} else {
		memcpy(io->segs, io->req.segs,
		       io->req.nr_segs * sizeof(*io->segs));
	}
	err = blkback_check_blocks(be, io);
	if (err) {
		why = BLKBACK_REQ_BAD_SEG;
		goto fail;
	}

	blkback_map_persistent(r, io->segs, NULL, io->req.nr_segs);
	lend = !bdev_stable_writes(be->bdev) &&
	       !blk_get_integrity(be->bdev->bd_disk);
	for (i = 0; i < io->req.nr_segs; i++) {
		if (!blkback_seg_page(r, io, i, lend)) {
			err = -ENOMEM;
			goto fail;
		}
		io->nr_pages++;
	}
	if (op_is_write(opf) && io->nr_pages) {
		err = blkback_copy_data(r, io, false);
		if (err) {
			why = BLKBACK_REQ_BAD_SEG;
			goto fail;
		}
	}
	if (io->req.op == BLKIF_OP_WRITE_BARRIER) {
		/*
		 * Checked and filled: it waits only for the earlier ones.
		 * From here on their completions wake the thread; those
		 * answered before are taken back now, which may leave the
		 * barrier alone in flight.
		 */
		r->barrier = io;
		spin_lock_irq(&r->rsp_lock);
		r->barrier_waiting = true;
		spin_unlock_irq(&r->rsp_lock);
		blkback_finish(r);
		blkback_barrier_go(r);
		return;
	}
	/*
	 * Answered from bio completion unless the thread must copy read
	 * data out to the frontend afterwards (pages of ours, see
	 * blkback_seg_page()).
	 */
	io->early = true;
	for (i = 0; i < io->nr_pages && opf == REQ_OP_READ; i++)
		if (!io->lent[i])
			io->early = false;
	blkback_run(r, io, opf);
	return;

fail:
	/*
	 * A request refused at once counts (an unknown or unadvertised
	 * operation, a write to a read-only disk, a malformed one): each
	 * costs a turn of the loop and no I/O, and an honest frontend never
	 * sends one.  Not our own lack of memory, and not a range past the
	 * end: an honest frontend's I/O can race with an online shrink,
	 * which it learns of only after we cut the disk.
	 */
	blkback_respond(r, io, err);
	if (err != -ENOMEM && why != BLKBACK_REQ_BAD_RANGE)
		blkback_malformed(r);
}

/*
 * Take back every request whose bios have finished, answering those that
 * bio completion left to the thread, then submit a parked barrier that is
 * now alone in flight.
 */
static void blkback_finish(struct blkback_ring *r)
{
	struct blkback_io *io, *tmp;
	LIST_HEAD(done);

	spin_lock_irq(&r->rsp_lock);
	list_splice_init(&r->done, &done);
	spin_unlock_irq(&r->rsp_lock);
	if (list_empty(&done))
		return;
	list_for_each_entry_safe(io, tmp, &done, node) {
		list_del(&io->node);
		if (io->answered) {
			blkback_recycle(r, io);
			continue;
		}
		if (!io->error && io->req.op == BLKIF_OP_READ)
			io->error = blkback_copy_data(r, io, true);
		blkback_respond(r, io, io->error);
	}
	blkback_push(r);
	blkback_barrier_go(r);
}

/*
 * Consume what the frontend posted, in turns of BLKBACK_CONSUME_BUDGET
 * requests at most.  A frontend can keep requests coming for ever (it
 * sees each answer and posts again), so the thread yields after every
 * request and ends its turn when the budget is spent or it is asked to
 * stop: kthread_stop() is waited for on xenwatch, with the device's mutex
 * held.  A barrier also ends the turn (see the top of this file).
 * Returns true if requests may be left for the next turn, whose end
 * acknowledges the event.
 */
static bool blkback_consume(struct blkback_ring *r)
{
	unsigned int consumed = 0;

	do {
		int n;

		/* Bio completion writes responses (r->ring.prod) meanwhile. */
		spin_lock_irq(&r->rsp_lock);
		n = xenring_req_avail(&r->ring);
		spin_unlock_irq(&r->rsp_lock);
		if (n < 0) {
			/* No EOI: the frontend gets no further service. */
			blkback_broken(r, "request producer index overran the ring");
			return false;
		}
		while (n-- > 0) {
			u8 slot[BLKBACK_MAX_SLOT_SIZE];
			struct blkback_io *io;

			if (consumed >= BLKBACK_CONSUME_BUDGET ||
			    kthread_should_stop()) {
				blkback_push(r);
				return true;
			}
			/*
			 * Requests answered from bio completion wait on the
			 * done list, not yet free, and their pages still
			 * pinned: take them back before a new request looks
			 * for either (the frontend reuses its slots and
			 * grants at once).
			 */
			if (list_empty(&r->free) ||
			    /* A peek: what it misses is taken next time. */
			    data_race(!list_empty(&r->done)))
				blkback_finish(r);
			io = list_first_entry_or_null(&r->free,
						      struct blkback_io, node);
			if (WARN_ON_ONCE(!io)) {
				blkback_broken(r, "out of request contexts");
				return false;
			}
			list_del(&io->node);
			r->inflight++;
			atomic_inc(&blkback_nr_inflight);
			/* Bio completion reads r->ring.cons (xenring_put_rsp()). */
			spin_lock_irq(&r->rsp_lock);
			xenring_take_req(&r->ring, slot, r->ring.slot_size);
			spin_unlock_irq(&r->rsp_lock);
			consumed++;
			r->since_eoi++;
			blkback_start(r, io, slot);
			if (r->broken) {
				blkback_push(r);
				return false;
			}
			if (r->barrier) {
				/* The rest waits until the barrier's answer. */
				blkback_push(r);
				return true;
			}
			cond_resched();
		}
		blkback_push(r);
	} while (xenring_req_rearm(&r->ring));
	/*
	 * Not this turn's count: a turn cut short by the budget or by a
	 * barrier acknowledges nothing, and the work it did belongs to the
	 * acknowledgment that ends the next.
	 */
	xen_irq_lateeoi(r->irq, r->since_eoi ? 0 : XEN_EOI_FLAG_SPURIOUS);
	r->since_eoi = 0;
	return false;
}

/*
 * The frontend posted requests, and no barrier holds them back.  While a
 * barrier is in the works only answers matter: the kick stays set for
 * the turn after the barrier's answer.
 */
static bool blkback_may_consume(struct blkback_ring *r)
{
	return READ_ONCE(r->kick) && !r->barrier;
}

static bool blkback_done_pending(struct blkback_ring *r)
{
	bool pending;

	spin_lock_irq(&r->rsp_lock);
	pending = !list_empty(&r->done);
	spin_unlock_irq(&r->rsp_lock);
	return pending;
}

/* Give back the spare pages above what the ring may keep now. */
static void blkback_pool_trim(struct blkback_ring *r)
{
	u32 limit = blkback_pool_limit(r);
	struct page *page;

	while (r->pool_size > limit) {
		page = list_first_entry(&r->pool, struct page, lru);
		list_del(&page->lru);
		r->pool_size--;
		__free_page(page);
		atomic_dec(&blkback_nr_pages);
	}
}

static unsigned long blkback_pgrant_max_idle(void)
{
	unsigned long secs = READ_ONCE(persistent_grant_unused_seconds);

	return min_t(unsigned long, secs, MAX_JIFFY_OFFSET / HZ) * HZ;
}

/* Log the requests started since the last line: the sysfs counts' growth. */
static void blkback_print_stats(struct blkback_ring *r)
{
	const u64 *last = r->st_logged.n;
	struct blkback_stats now;

	blkback_ring_stats(r, &now);
	pr_info("%s: rd %llu | wr %llu | f %llu | ds %llu | pg %u/%u\n",
		r->name, now.n[BLKBACK_ST_RD_REQ] - last[BLKBACK_ST_RD_REQ],
		now.n[BLKBACK_ST_WR_REQ] - last[BLKBACK_ST_WR_REQ],
		now.n[BLKBACK_ST_F_REQ] - last[BLKBACK_ST_F_REQ],
		now.n[BLKBACK_ST_DS_REQ] - last[BLKBACK_ST_DS_REQ],
		r->pgrants.nr, r->pgrants.max);
	r->st_logged = now;
	r->st_print = jiffies + BLKBACK_STATS_INTERVAL;
}

/* The thread's timed work, between requests. */
static void blkback_housekeeping(struct blkback_ring *r)
{
	blkback_pool_trim(r);
	blkback_pgrants_expire(&r->pgrants, blkback_pgrant_max_idle());
	if (READ_ONCE(log_stats) && time_after_eq(jiffies, r->st_print))
		blkback_print_stats(r);
}

/*
 * How long the thread may sleep with no event: for ever if idle.  Not
 * while requests answered from bio completion may wait to be taken back
 * (they hold pages), which bio completion does not wake it for.
 */
static long blkback_sleep_time(struct blkback_ring *r)
{
	if ((r->pgrants.nr && READ_ONCE(persistent_grant_unused_seconds)) ||
	    READ_ONCE(log_stats) || r->inflight)
		return BLKBACK_TICK;
	return MAX_SCHEDULE_TIMEOUT;
}

static int blkback_thread(void *arg)
{
	struct blkback_ring *r = arg;

	for (;;) {
		/* A memory squeeze (blkback_reclaim()) wakes us too. */
		wait_event_interruptible_timeout(r->wq, blkback_may_consume(r) ||
						 blkback_done_pending(r) ||
						 blkback_pool_over(r) ||
						 kthread_should_stop(),
						 blkback_sleep_time(r));
		blkback_finish(r);
		if (kthread_should_stop()) {
			if (!r->inflight)
				break;
			/* Wait for the bios still running before leaving. */
			wait_event(r->wq, blkback_done_pending(r));
			continue;
		}
		if (r->index == 0 &&
		    bdev_nr_sectors(r->be->bdev) != r->be->size)
			blkback_announce_resize(r->be);
		/*
		 * Clear the kick even on a broken ring: left set, it would
		 * keep the wait above from ever sleeping, and this thread
		 * would spin until the device is torn down, starving the
		 * very work that tears it down.
		 */
		if (blkback_may_consume(r)) {
			WRITE_ONCE(r->kick, false);
			/* Requests left: another turn, after a look at the rest. */
			if (!r->broken && blkback_consume(r))
				WRITE_ONCE(r->kick, true);
		}
		blkback_housekeeping(r);
	}
	if (READ_ONCE(log_stats))
		blkback_print_stats(r);
	return 0;
}

static irqreturn_t blkback_interrupt(int irq, void *dev_id)
{
	struct blkback_ring *r = dev_id;

	WRITE_ONCE(r->kick, true);
	wake_up(&r->wq);
	return IRQ_HANDLED;
}

static void blkback_ring_free(struct blkback_ring *r)
{
	struct xenbus_device *dev = r->be->xbdev;
	struct page *page, *tmp;
	u32 i;

	/*
	 * The event first, so that the frontend wakes the thread no more,
	 * then the thread, and only then the binding.  Until the thread
	 * has stopped, bio completion still answers requests (and notifies
	 * the frontend) and wakes the thread for each.
	 */
	if (r->irq)
		disable_irq(r->irq);
	if (r->task) {
		/* From now on every finished request wakes the thread. */
		spin_lock_irq(&r->rsp_lock);
		r->stopping = true;
		spin_unlock_irq(&r->rsp_lock);
		kthread_stop(r->task);
		r->task = NULL;
	}
	if (r->irq) {
		unbind_from_irqhandler(r->irq, r);
		r->irq = 0;
	}
	/* No request runs any more: the mapped pages can go. */
	blkback_pgrants_release(&r->pgrants);
	kfree(r->grefs);
	r->grefs = NULL;
	if (r->ring_va) {
		xenbus_unmap_ring_vfree(dev, r->ring_va);
		r->ring_va = NULL;
		atomic_sub(1u << r->be->rc.ring_order, &blkback_nr_ring_pages);
	}
	for (i = 0; r->ios && i < r->nr_ios; i++) {
		kfree(r->ios[i].pages);
		kfree(r->ios[i].segs);
		kfree(r->ios[i].lent);
	}
	kfree(r->ios);
	r->ios = NULL;
	kfree(r->copies);
	r->copies = NULL;
	list_for_each_entry_safe(page, tmp, &r->pool, lru) {
		list_del(&page->lru);
		__free_page(page);
		atomic_dec(&blkback_nr_pages);
	}
	r->pool_size = 0;
}

static int blkback_ring_start(struct blkback_ring *r, u32 *refs, u32 port)
{
	struct blkback_dev *be = r->be;
	struct xenbus_device *dev = be->xbdev;
	unsigned int pages = 1u << be->rc.ring_order;
	u32 max_segs = max_t(u32, be->disk.max_indirect_segs,
			     BLKIF_MAX_SEGMENTS_PER_REQUEST);
	int err;
	u32 i;

	err = xenbus_map_ring_valloc(dev, refs, pages, &r->ring_va);
	if (err)
		return err;
	atomic_add(pages, &blkback_nr_ring_pages);
	err = xenring_init_back(&r->ring, r->ring_va, pages * XEN_PAGE_SIZE,
				blkback_slot_size(be->abi));
	if (err)
		return err;

	r->nr_ios = r->ring.nr_slots;
	r->ios = kcalloc(r->nr_ios, sizeof(*r->ios), GFP_KERNEL);
	r->copies = kcalloc(max_segs, sizeof(*r->copies), GFP_KERNEL);
	r->grefs = kcalloc(max_segs, sizeof(*r->grefs), GFP_KERNEL);
	if (!r->ios || !r->copies || !r->grefs)
		return -ENOMEM;
	for (i = 0; i < r->nr_ios; i++) {
		struct blkback_io *io = &r->ios[i];

		io->ring = r;
		io->pages = kcalloc(max_segs, sizeof(*io->pages), GFP_KERNEL);
		io->segs = kcalloc(max_segs, sizeof(*io->segs), GFP_KERNEL);
		io->lent = kcalloc(max_segs, sizeof(*io->lent), GFP_KERNEL);
		if (!io->pages || !io->segs || !io->lent)
			return -ENOMEM;
		list_add_tail(&io->node, &r->free);
	}

	snprintf(r->name, sizeof(r->name), "blkback.%d.%u-%u",
		 dev->otherend_id, be->handle, r->index);
	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(dev, port,
							    blkback_interrupt,
							    0, r->name, r);
	if (err < 0)
		return err;
	r->irq = err;
	r->task = kthread_run(blkback_thread, r, "%s", r->name);
	if (IS_ERR(r->task)) {
		err = PTR_ERR(r->task);
		r->task = NULL;
		return err;
	}
	return 0;
}

/**
 * blkback_rings_start() - map the frontend's rings and start serving them
 * @be: the device, with @be->rc, @be->abi and @be->disk set and the block
 *	device open
 * @refs: ring grant references, 1 << ring_order per ring, ring by ring
 * @ports: the frontend's event channel of each ring
 *
 * Return: 0, or a negative errno after undoing everything.
 */
int blkback_rings_start(struct blkback_dev *be, const u32 *refs,
			const u32 *ports)
{
	unsigned int pages = 1u << be->rc.ring_order;
	unsigned int i;
	int err;

	be->rings = kcalloc(be->rc.nr_queues, sizeof(*be->rings), GFP_KERNEL);
	if (!be->rings)
		return -ENOMEM;
	for (i = 0; i < be->rc.nr_queues; i++) {
		struct blkback_ring *r = &be->rings[i];

		r->be = be;
		r->index = i;
		init_waitqueue_head(&r->wq);
		spin_lock_init(&r->rsp_lock);
		INIT_LIST_HEAD(&r->done);
		INIT_LIST_HEAD(&r->free);
		INIT_LIST_HEAD(&r->pool);
		u64_stats_init(&r->st_sync);
		r->st_print = jiffies + BLKBACK_STATS_INTERVAL;
		blkback_pgrants_init(&r->pgrants, be->xbdev->otherend_id,
				     be->rc.persistent ?
				     READ_ONCE(blkback_max_persistent_grants) :
				     0);
	}
	for (i = 0; i < be->rc.nr_queues; i++) {
		u32 ring_refs[1 << BLKBACK_MAX_RING_ORDER];

		memcpy(ring_refs, &refs[i * pages], pages * sizeof(*refs));
		err = blkback_ring_start(&be->rings[i], ring_refs, ports[i]);
		if (err) {
			blkback_rings_stop(be);
			return err;
		}
	}
	return 0;
}

/* Add @from's counts to @to's. */
static void blkback_stats_add(struct blkback_stats *to,
			      const struct blkback_stats *from)
{
	unsigned int i;

	for (i = 0; i < BLKBACK_ST_NR; i++)
		to->n[i] += from->n[i];
}

/**
 * blkback_rings_stop() - stop serving and unmap every ring
 * @be: the device, under @be->mutex
 *
 * Waits for the bios in flight; their responses are still written, since
 * the ring stays mapped until they are done.  The rings' request counts
 * go into @be->st_gone.  Idempotent.
 */
void blkback_rings_stop(struct blkback_dev *be)
{
	struct blkback_stats snap;
	unsigned int i;

	if (!be->rings)
		return;
	for (i = 0; i < be->rc.nr_queues; i++) {
		blkback_ring_free(&be->rings[i]);
		/* Its thread is gone: these counts are final. */
		blkback_ring_stats(&be->rings[i], &snap);
		blkback_stats_add(&be->st_gone, &snap);
	}
	kfree(be->rings);
	be->rings = NULL;
}

/**
 * blkback_stats_sum() - a device's request counts since it was probed
 * @be: the device, under @be->mutex (which keeps its rings from going)
 * @sum: set to the counts of the rings already stopped plus those of the
 *	running rings as of now
 *
 * Counts keep growing across reconnects; each running ring's counts are
 * read consistently, but the rings are not read at one instant.
 */
void blkback_stats_sum(struct blkback_dev *be, struct blkback_stats *sum)
{
	struct blkback_stats snap;
	unsigned int i;

	lockdep_assert_held(&be->mutex);
	*sum = be->st_gone;
	for (i = 0; be->rings && i < be->rc.nr_queues; i++) {
		blkback_ring_stats(&be->rings[i], &snap);
		blkback_stats_add(sum, &snap);
	}
}
