// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkfront data path: shared rings, grants, event channels, posting
 * requests and completing them.
 *
 * A ring id owns a fixed set of buffers for the whole connection, so a
 * request never waits for memory or grant references.  In persistent mode
 * the buffers are granted once at connect; otherwise each is granted when
 * a request uses it and revoked when the response arrives.  A revocation
 * that fails means the backend still has the page mapped: the page is
 * handed to the grant table's deferred-free list, never reused, and the
 * ring is declared broken.  At the end of a connection, every page still
 * granted, ring pages included, waits on the device until the backend
 * closes (blkfront_bufs_retire()).
 */
#include <linux/blk-mq.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xenbus.h>
#include "blkfront.h"

/* A buffer, and each page of a ring, is one page of ours and one grant. */
static_assert(PAGE_SIZE == XEN_PAGE_SIZE);

atomic_t blkfront_nr_grants = ATOMIC_INIT(0);
atomic_t blkfront_nr_pages = ATOMIC_INIT(0);
atomic_t blkfront_nr_lost = ATOMIC_INIT(0);

static irqreturn_t blkfront_interrupt(int irq, void *dev_id);

static int blkfront_ring_alloc(struct blkfront_queue *q)
{
	struct blkfront_info *info = q->info;
	struct xenbus_device *dev = info->xbdev;
	unsigned int pages = 1u << info->rc.ring_order;
	int err;

	err = xenbus_setup_ring(dev, GFP_NOIO, &q->ring_va, pages, q->ring_refs);
	if (err)
		return err;
	atomic_add(pages, &blkfront_nr_grants);
	atomic_add(pages, &blkfront_nr_pages);
	err = xenring_init_front(&q->ring, q->ring_va, pages * XEN_PAGE_SIZE,
				 BLKIF_NATIVE_SLOT_SIZE);
	if (err)
		return err;
	err = xenbus_alloc_evtchn(dev, &q->evtchn);
	if (err)
		return err;
	snprintf(q->name, sizeof(q->name), "blkif-%s-q%u",
		 dev_name(&dev->dev), q->index);
	err = bind_evtchn_to_irqhandler_lateeoi(q->evtchn, blkfront_interrupt,
						0, q->name, q);
	if (err < 0)
		return err;
	q->irq = err;
	return 0;
}

/**
 * blkfront_rings_setup() - allocate and grant the rings of a connection
 * @info: the device, with @info->rc chosen and @info->queues allocated
 *
 * Return: 0, or a negative errno after undoing everything.
 */
int blkfront_rings_setup(struct blkfront_info *info)
{
	unsigned int i;
	int err;

	/* All first: a failure tears down every queue, set up or not. */
	for (i = 0; i < info->rc.nr_queues; i++) {
		struct blkfront_queue *q = &info->queues[i];

		q->info = info;
		q->index = i;
		spin_lock_init(&q->lock);
	}
	for (i = 0; i < info->rc.nr_queues; i++) {
		err = blkfront_ring_alloc(&info->queues[i]);
		if (err) {
			xenbus_dev_fatal(info->xbdev, err, "setting up ring %u", i);
			blkfront_rings_teardown(info, false);
			return err;
		}
	}
	return 0;
}

/*
 * Give a buffer's page back, with its grant.  A page the backend still
 * maps stays as it is unless @force, which hands it to the grant table to
 * free once unmapped.  Return true if the buffer is gone.
 */
static bool blkfront_buf_drop(struct blkfront_buf *b, bool force)
{
	if (!b->page)
		return true;
	if (!b->granted) {
		__free_page(b->page);
	} else if (gnttab_try_end_foreign_access(b->ref)) {
		__free_page(b->page);
		atomic_dec(&blkfront_nr_grants);
	} else if (force) {
		gnttab_end_foreign_access(b->ref, b->page);
		atomic_dec(&blkfront_nr_grants);
		atomic_inc(&blkfront_nr_lost);
	} else {
		return false;
	}
	atomic_dec(&blkfront_nr_pages);
	b->page = NULL;
	b->granted = false;
	return true;
}

/**
 * struct blkfront_retired - buffers of an ended connection that the
 *	backend still mapped
 * @node: in blkfront_info.retired
 * @nr: entries of @bufs
 * @bufs: only those buffers, so that a backend keeping one page mapped
 *	pins one entry here, not a connection's whole array
 */
struct blkfront_retired {
	struct list_head node;
	u32 nr;
	struct blkfront_buf bufs[] __counted_by(nr);
};

/* Drop what the backend no longer maps; true if all of @bufs is gone. */
static bool blkfront_bufs_drop(struct blkfront_buf *bufs, u32 nr, bool force)
{
	bool all = true;
	u32 b;

	for (b = 0; b < nr; b++)
		all &= blkfront_buf_drop(&bufs[b], force);
	return all;
}

/* How many of @bufs the backend may still use (their page is still ours). */
static u32 blkfront_bufs_mapped(const struct blkfront_buf *bufs, u32 nr)
{
	u32 b, n = 0;

	for (b = 0; b < nr; b++)
		n += !!bufs[b].page;
	return n;
}

/*
 * A connection's buffers and ring pages at its end; takes @bufs.  The
 * backend drops its mappings only once it sees us close, after this, and
 * until then it may still write into a granted page, by a mapping or by
 * a grant copy: even a grant that could be ended now would be taken
 * again by the next grant of this domain, and a late copy would land in
 * that page.  So no grant ends here; only pages never granted, or whose
 * grant ended with their request, are freed.  Handing the others to the
 * grant table would keep their references until its timer frees them,
 * ten a second for all devices, and a disk attached and detached often
 * then ran the domain out of grant references ("allocating buffers"
 * failed with -ENOSPC after some 60 cycles of make stress).  So they wait
 * here instead, and blkfront_retired_release() ends their grants once the
 * backend has closed, before the next connection, or at removal.
 */
static void blkfront_bufs_retire(struct blkfront_info *info,
				 struct blkfront_buf *bufs, u32 nr)
{
	struct blkfront_retired *r;
	u32 b, left;

	for (b = 0; bufs && b < nr; b++)
		if (!bufs[b].granted)
			blkfront_buf_drop(&bufs[b], false);
	left = bufs ? blkfront_bufs_mapped(bufs, nr) : 0;
	if (!left) {
		kfree(bufs);
		return;
	}
	r = kmalloc(struct_size(r, bufs, left), GFP_NOIO);
	if (!r) {
		blkfront_bufs_drop(bufs, nr, true);
		kfree(bufs);
		return;
	}
	r->nr = left;
	for (b = 0, left = 0; b < nr; b++)
		if (bufs[b].page)
			r->bufs[left++] = bufs[b];
	kfree(bufs);
	list_add_tail(&r->node, &info->retired);
	info->nr_retired += left;
}

/**
 * blkfront_retired_release() - free the buffers of ended connections
 * @info: the device, with its mutex held
 * @final: the device goes away: what the backend still maps goes to the
 *	grant table, which frees each page once it is unmapped
 *
 * Called when the backend has closed (and so unmapped what it had), before
 * a new connection takes grant references, and at removal.
 */
void blkfront_retired_release(struct blkfront_info *info, bool final)
{
	struct blkfront_retired *r, *tmp;
	unsigned int left = 0;

	list_for_each_entry_safe(r, tmp, &info->retired, node) {
		if (!blkfront_bufs_drop(r->bufs, r->nr, final)) {
			left += blkfront_bufs_mapped(r->bufs, r->nr);
			continue;
		}
		list_del(&r->node);
		kfree(r);
	}
	info->nr_retired = left;
}

/*
 * Close a queue's event channel and give up its ring pages.  The backend
 * may still map the ring (it answers requests in flight until it sees us
 * close), so the pages are retired like buffers, not freed: a response
 * written after this lands in our page, not in one that has been reused.
 */
static void blkfront_ring_free(struct blkfront_queue *q)
{
	struct xenbus_device *dev = q->info->xbdev;
	unsigned int i, pages = 1u << q->info->rc.ring_order;
	struct blkfront_buf *bufs;

	if (q->irq) {
		unbind_from_irqhandler(q->irq, q);	/* closes the port */
		q->irq = 0;
		q->irq_off = false;
		q->evtchn = 0;
	} else if (q->evtchn) {
		xenbus_free_evtchn(dev, q->evtchn);
		q->evtchn = 0;
	}
	if (!q->ring_va)
		return;
	bufs = kcalloc(pages, sizeof(*bufs), GFP_NOIO);
	for (i = 0; i < pages; i++) {
		struct blkfront_buf b = {
			.page = virt_to_page(q->ring_va + i * XEN_PAGE_SIZE),
			.ref = q->ring_refs[i],
			.granted = true,
		};

		if (bufs)
			bufs[i] = b;
		else
			blkfront_buf_drop(&b, true);
		q->ring_refs[i] = INVALID_GRANT_REF;
	}
	q->ring_va = NULL;
	if (bufs)
		blkfront_bufs_retire(q->info, bufs, pages);
}

/**
 * blkfront_bufs_setup() - allocate ids and buffers once the disk is known
 * @info: the device, with @info->dc filled in and the rings set up
 *
 * Return: 0, or -ENOMEM (what was allocated is freed at teardown).
 */
int blkfront_bufs_setup(struct blkfront_info *info)
{
	u32 per_id = info->dc.segs_per_req +
		     blkfront_indirect_pages(info->dc.segs_per_req);
	domid_t domid = info->xbdev->otherend_id;
	unsigned int i;

	for (i = 0; i < info->rc.nr_queues; i++) {
		struct blkfront_queue *q = &info->queues[i];
		u32 nr_ids = min(q->ring.nr_slots,
				 max(1u, BLKFRONT_MAX_BUFS_PER_RING / per_id));
		u32 id, b;

		q->id_links = kcalloc(nr_ids, sizeof(*q->id_links), GFP_KERNEL);
		q->ops = kcalloc(nr_ids, sizeof(*q->ops), GFP_KERNEL);
		q->shadow = kcalloc(nr_ids, sizeof(*q->shadow), GFP_KERNEL);
		q->segs = kcalloc(info->dc.segs_per_req, sizeof(*q->segs),
				  GFP_KERNEL);
		q->bufs = kcalloc(nr_ids * per_id, sizeof(*q->bufs), GFP_KERNEL);
		if (!q->id_links || !q->ops || !q->shadow || !q->segs || !q->bufs)
			return -ENOMEM;
		q->nr_bufs = nr_ids * per_id;
		for (b = 0; b < q->nr_bufs; b++) {
			struct blkfront_buf *buf = &q->bufs[b];
			int ref;

			buf->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!buf->page)
				return -ENOMEM;
			atomic_inc(&blkfront_nr_pages);
			if (!info->rc.persistent)
				continue;
			ref = gnttab_grant_foreign_access(domid,
							  xen_page_to_gfn(buf->page),
							  0);
			if (ref < 0)
				return ref;
			buf->ref = ref;
			buf->granted = true;
			atomic_inc(&blkfront_nr_grants);
		}
		for (id = 0; id < nr_ids; id++)
			q->shadow[id].bufs = &q->bufs[id * per_id];
		xenring_ids_init(&q->ids, q->id_links, nr_ids);
	}
	return 0;
}

/* The i-th buffer a request uses: data pages first, then indirect pages. */
static struct blkfront_buf *blkfront_shadow_buf(struct blkfront_queue *q,
						struct blkfront_shadow *sh,
						u32 i)
{
	if (i < sh->nr_data)
		return &sh->bufs[i];
	return &sh->bufs[q->info->dc.segs_per_req + i - sh->nr_data];
}

/*
 * Revoke the per-request grants of a finished request.  Return false if
 * the backend still maps one of them; that page is then lost to us.
 */
static bool blkfront_release_bufs(struct blkfront_queue *q,
				  struct blkfront_shadow *sh)
{
	bool ok = true;
	u32 i;

	if (q->info->rc.persistent)
		return true;
	for (i = 0; i < sh->nr_data + sh->nr_ind; i++) {
		struct blkfront_buf *b = blkfront_shadow_buf(q, sh, i);

		if (!b->granted)
			continue;
		atomic_dec(&blkfront_nr_grants);
		if (gnttab_try_end_foreign_access(b->ref)) {
			b->granted = false;
			continue;
		}
		gnttab_end_foreign_access(b->ref, b->page);
		atomic_dec(&blkfront_nr_pages);
		atomic_inc(&blkfront_nr_lost);
		b->page = NULL;
		b->granted = false;
		ok = false;
	}
	return ok;
}

/* Copy between a request's bios and the packed buffers of its id. */
static void blkfront_copy(struct blkfront_shadow *sh, struct request *rq,
			  bool to_bufs)
{
	struct req_iterator iter;
	struct bio_vec bv;
	size_t pos = 0;

	rq_for_each_segment(bv, rq, iter) {
		/* The iterator advances by bv.bv_len: consume a copy. */
		u32 done = 0;

		while (done < bv.bv_len) {
			struct page *p = sh->bufs[pos / XEN_PAGE_SIZE].page;
			size_t off = pos % XEN_PAGE_SIZE;
			size_t n = min_t(size_t, bv.bv_len - done,
					 XEN_PAGE_SIZE - off);
			void *buf = page_address(p) + off;
			void *data = kmap_local_page(bv.bv_page);

			if (to_bufs)
				memcpy(buf, data + bv.bv_offset + done, n);
			else
				memcpy(data + bv.bv_offset + done, buf, n);
			kunmap_local(data);
			done += n;
			pos += n;
		}
	}
}

static int blkfront_grant(struct blkfront_queue *q, struct blkfront_buf *b,
			  bool readonly)
{
	int ref;

	if (q->info->rc.persistent)
		return 0;
	ref = gnttab_grant_foreign_access(q->info->xbdev->otherend_id,
					  xen_page_to_gfn(b->page), readonly);
	if (ref < 0)
		return ref;
	b->ref = ref;
	b->granted = true;
	atomic_inc(&blkfront_nr_grants);
	return 0;
}

static int blkfront_fill_rw(struct blkfront_queue *q, u32 id,
			    struct request *rq, void *slot)
{
	struct blkfront_info *info = q->info;
	struct blkfront_shadow *sh = &q->shadow[id];
	struct blkif_request_segment *ind_pages[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	u32 ind_refs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	bool write = rq_data_dir(rq) == WRITE;
	u32 bytes = blk_rq_bytes(rq);
	u32 nsegs = DIV_ROUND_UP(bytes, XEN_PAGE_SIZE);
	u32 nind = blkfront_indirect_pages(nsegs);
	struct blkfront_io io = {
		.write = write,
		/* Once the backend refused a barrier, FUA writes go out plain. */
		.fua = write && (rq->cmd_flags & REQ_FUA) && info->dc.fua &&
		       !(atomic_read(&info->off) & BLKFRONT_OFF_FLUSH),
		.handle = info->handle,
		.id = id,
		.sector = blk_rq_pos(rq),
		.segs = q->segs,
		.nr_segs = nsegs,
		.indirect_grefs = ind_refs,
		.indirect_pages = ind_pages,
	};
	u32 i;
	int err;

	if (!nsegs || nsegs > info->dc.segs_per_req)
		return -EINVAL;
	for (i = 0; i < nsegs + nind; i++) {
		struct blkfront_buf *buf;

		if (i < nsegs)
			sh->nr_data++;
		else
			sh->nr_ind++;
		buf = blkfront_shadow_buf(q, sh, i);
		if (!buf->page)
			return -EIO;	/* lost to a misbehaving backend */
		err = blkfront_grant(q, buf, i >= nsegs || write);
		if (err)
			return err;
		if (i < nsegs) {
			q->segs[i].gref = buf->ref;
			q->segs[i].offset = 0;
			q->segs[i].len = min_t(u32, bytes - i * XEN_PAGE_SIZE,
					       XEN_PAGE_SIZE);
		} else {
			ind_pages[i - nsegs] = page_address(buf->page);
			ind_refs[i - nsegs] = buf->ref;
		}
	}
	if (write)
		blkfront_copy(sh, rq, true);
	err = blkfront_build_rw(&io, &info->dc, slot);
	if (err)
		return err;
	q->ops[id] = io.fua ? BLKIF_OP_WRITE_BARRIER :
		     (write ? BLKIF_OP_WRITE : BLKIF_OP_READ) |
		     (nind ? BLKFRONT_OP_INDIRECT : 0);
	return 0;
}

static int blkfront_fill(struct blkfront_queue *q, u32 id, struct request *rq,
			 void *slot)
{
	const struct blkfront_disk_conf *dc = &q->info->dc;
	u16 handle = q->info->handle;

	q->shadow[id].nr_data = 0;
	q->shadow[id].nr_ind = 0;
	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		return blkfront_fill_rw(q, id, rq, slot);
	case REQ_OP_FLUSH:
		if (!dc->flush)
			return -EOPNOTSUPP;
		blkfront_build_flush(handle, id, dc, slot);
		q->ops[id] = dc->flush_op;
		return 0;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		/*
		 * Refused before, or not offered by this backend: a discard
		 * requeued across a restore to one without it fails as
		 * unsupported, not as invalid.
		 */
		if ((atomic_read(&q->info->off) & BLKFRONT_OFF_DISCARD) ||
		    !dc->discard ||
		    (req_op(rq) == REQ_OP_SECURE_ERASE && !dc->discard_secure))
			return -EOPNOTSUPP;
		q->ops[id] = BLKIF_OP_DISCARD;
		return blkfront_build_discard(handle, id, blk_rq_pos(rq),
					      blk_rq_sectors(rq),
					      req_op(rq) == REQ_OP_SECURE_ERASE,
					      dc, slot);
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * blkfront_queue_rq() - blk-mq entry point: post one request on a ring
 * @hctx: the hardware context, one per ring
 * @bd: the request
 *
 * Return: BLK_STS_OK once posted, BLK_STS_DEV_RESOURCE when the ring is
 * full (the event handler restarts the queue), or an error status.
 */
blk_status_t blkfront_queue_rq(struct blk_mq_hw_ctx *hctx,
			       const struct blk_mq_queue_data *bd)
{
	struct blkfront_info *info = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct blkfront_queue *q;
	unsigned long flags;
	bool notify;
	void *slot;
	int err;
	u32 id;

	if (!READ_ONCE(info->connected))
		return BLK_STS_IOERR;
	/*
	 * A disk that reconnected with fewer rings than it has hardware
	 * queues shares them; everything below is under the ring's lock.
	 */
	q = &info->queues[hctx->queue_num % info->rc.nr_queues];
	blk_mq_start_request(rq);

	/*
	 * A flush the backend cannot do is done: it never offered one, so it
	 * writes through, or it refused one and the limits will follow (see
	 * blkfront_limits_work()).
	 */
	if (req_op(rq) == REQ_OP_FLUSH &&
	    (!info->dc.flush ||
	     (atomic_read(&info->off) & BLKFRONT_OFF_FLUSH))) {
		blk_mq_end_request(rq, BLK_STS_OK);
		return BLK_STS_OK;
	}

	/*
	 * Built under an earlier backend's larger limits and requeued by a
	 * resume: the block layer splits it again under this one's.  Not a
	 * request whose completion belongs to someone else (a request-based
	 * dm clone, which dm retries under the new limits), except the flush
	 * machinery's, which completes without its bios.
	 */
	if ((req_op(rq) == REQ_OP_READ || req_op(rq) == REQ_OP_WRITE) &&
	    DIV_ROUND_UP(blk_rq_bytes(rq), XEN_PAGE_SIZE) > info->dc.segs_per_req) {
		if (rq->end_io && !(rq->rq_flags & RQF_FLUSH_SEQ))
			return BLK_STS_IOERR;
		blkfront_resubmit(info, rq);
		return BLK_STS_OK;
	}

	spin_lock_irqsave(&q->lock, flags);
	if (q->broken) {
		spin_unlock_irqrestore(&q->lock, flags);
		return BLK_STS_IOERR;
	}
	if (!xenring_req_space(&q->ring))
		goto busy;
	id = xenring_ids_get(&q->ids);
	if (id == XENRING_ID_END)
		goto busy;
	slot = xenring_next_req(&q->ring);
	err = blkfront_fill(q, id, rq, slot);
	if (err) {
		blkfront_release_bufs(q, &q->shadow[id]);
		xenring_ids_put(&q->ids, id);
		spin_unlock_irqrestore(&q->lock, flags);
		return errno_to_blk_status(err);
	}
	q->shadow[id].rq = rq;
	xenring_advance_req(&q->ring);
	notify = xenring_push_reqs(&q->ring);
	spin_unlock_irqrestore(&q->lock, flags);
	if (notify)
		notify_remote_via_irq(q->irq);
	return BLK_STS_OK;

busy:
	/* Stopped under the lock, so the handler's restart cannot be missed. */
	blk_mq_stop_hw_queue(hctx);
	spin_unlock_irqrestore(&q->lock, flags);
	return BLK_STS_DEV_RESOURCE;
}

static const char *blkfront_op_name(u8 op)
{
	switch (op) {
	case BLKIF_OP_DISCARD:
		return "discard";
	case BLKIF_OP_WRITE_BARRIER:
		return "barrier";
	default:
		return "flush";
	}
}

/*
 * The backend refused a feature (see blkfront_rsp_result()): stop using
 * it at once, and have the queue limits follow from process context.
 */
static void blkfront_feature_off(struct blkfront_queue *q, u8 op, u32 off)
{
	struct blkfront_info *info = q->info;

	if ((atomic_fetch_or(off, &info->off) & off) == off)
		return;		/* already off */
	dev_warn_ratelimited(&info->xbdev->dev,
			     "backend refused a %s; %s off\n",
			     blkfront_op_name(op),
			     off & BLKFRONT_OFF_DISCARD ? "discard" : "flush");
	schedule_work(&info->limits_work);
}

/*
 * Complete one validated response; called and returns with q->lock held,
 * drops it around the block layer completion.
 */
static bool blkfront_complete(struct blkfront_queue *q, u32 id,
			      s16 rsp_status, unsigned long *flags)
	__must_hold(&q->lock)
{
	struct blkfront_shadow *sh = &q->shadow[id];
	struct request *rq = sh->rq;
	u8 op = q->ops[id] & BLKFRONT_OP_MASK;
	u32 off;
	int status;

	status = blkfront_rsp_result(op, sh->nr_data, rsp_status, &off);
	if (off)
		blkfront_feature_off(q, op, off);
	if (!blkfront_release_bufs(q, sh))
		return false;	/* id stays busy: its buffers are gone */
	if (!status && req_op(rq) == REQ_OP_READ)
		blkfront_copy(sh, rq, false);
	sh->rq = NULL;
	xenring_ids_put(&q->ids, id);
	spin_unlock_irqrestore(&q->lock, *flags);
	/* A refused FUA barrier goes out again, now as a plain write. */
	if (status == -EAGAIN)
		blk_mq_requeue_request(rq, true);
	else
		blk_mq_end_request(rq, errno_to_blk_status(status));
	spin_lock_irqsave(&q->lock, *flags);
	return true;
}

static irqreturn_t blkfront_interrupt(int irq, void *dev_id)
{
	struct blkfront_queue *q = dev_id;
	unsigned int eoi = XEN_EOI_FLAG_SPURIOUS;
	const char *why = NULL;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (q->broken) {
		/* No EOI: a broken backend gets no more events from us. */
		spin_unlock_irqrestore(&q->lock, flags);
		return IRQ_HANDLED;
	}
	do {
		int n = xenring_rsp_avail(&q->ring);

		if (n < 0) {
			why = "response producer index overran the ring";
			goto broken;
		}
		while (n--) {
			struct blkif_response rsp;
			int status;

			xenring_take_rsp(&q->ring, &rsp, sizeof(rsp));
			eoi = 0;
			if (blkfront_check_rsp(&rsp, &q->ids, q->ops, &status)) {
				why = "response with a bad id or operation";
				goto broken;
			}
			if (!blkfront_complete(q, rsp.id, rsp.status, &flags)) {
				why = "backend kept a data page mapped";
				goto broken;
			}
			if (q->broken)
				goto out;
		}
	} while (xenring_rsp_rearm(&q->ring));
out:
	spin_unlock_irqrestore(&q->lock, flags);
	xen_irq_lateeoi(irq, eoi);
	if (q->info->disk)
		blk_mq_start_stopped_hw_queues(q->info->disk->queue, true);
	return IRQ_HANDLED;

broken:
	q->broken = true;
	spin_unlock_irqrestore(&q->lock, flags);
	blkfront_fail(q, why);
	return IRQ_HANDLED;
}

/**
 * blkfront_rings_quiesce() - let no ring's event handler run any more
 * @info: the device
 *
 * Waits for handlers that are running.  A handler that finds the backend
 * broken queues the device's fail_work, so this comes before that work
 * is cancelled, and both before blkfront_rings_teardown() unbinds the
 * irqs.  Idempotent: an irq stays disabled until it is unbound.
 */
void blkfront_rings_quiesce(struct blkfront_info *info)
{
	unsigned int i;

	for (i = 0; info->queues && i < info->rc.nr_queues; i++) {
		struct blkfront_queue *q = &info->queues[i];

		if (q->irq && !q->irq_off) {
			disable_irq(q->irq);
			q->irq_off = true;
		}
	}
}

/**
 * blkfront_rings_teardown() - end a connection's data path
 * @info: the device; its queues are quiesced and the backend is no longer
 *	expected to answer
 * @requeue: give in-flight requests back to blk-mq (resume) instead of
 *	failing them
 *
 * Idempotent: every step checks what is still allocated.
 */
void blkfront_rings_teardown(struct blkfront_info *info, bool requeue)
{
	unsigned int i;
	u32 id;

	if (!info->queues)
		return;
	for (i = 0; i < info->rc.nr_queues; i++) {
		struct blkfront_queue *q = &info->queues[i];

		/* After this no handler runs, so the lock is not needed. */
		blkfront_ring_free(q);
		for (id = 0; q->shadow && id < q->ids.nr; id++) {
			struct blkfront_shadow *sh = &q->shadow[id];
			struct request *rq = sh->rq;

			if (!rq)
				continue;
			/*
			 * Its grants stay: the backend may still be
			 * writing into its pages (blkfront_bufs_retire()).
			 */
			sh->rq = NULL;
			if (requeue)
				blk_mq_requeue_request(rq, false);
			else
				blk_mq_end_request(rq, BLK_STS_IOERR);
		}
		blkfront_bufs_retire(info, q->bufs, q->nr_bufs);
		kfree(q->segs);
		kfree(q->shadow);
		kfree(q->ops);
		kfree(q->id_links);
		q->bufs = NULL;
		q->segs = NULL;
		q->shadow = NULL;
		q->ops = NULL;
		q->id_links = NULL;
		q->nr_bufs = 0;
		memset(&q->ids, 0, sizeof(q->ids));
		q->broken = false;
	}
}
