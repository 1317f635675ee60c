/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-blkfront private interfaces between its three layers:
 *
 *   xenbus.c  negotiation with the backend and the connection state machine
 *   ring.c    shared rings, grants, event channels and the data path
 *   dev.c     the blk-mq disk and the module
 *
 * plus proto.c, the OS-independent protocol core.
 *
 * Data always travels through pages the frontend owns (struct blkfront_buf):
 * writes are copied into them before the request is posted and reads are
 * copied out after the response.  The backend therefore never sees a page
 * that holds anything but this disk's data, whatever the "trusted" setting,
 * and the same pages can stay granted for the whole connection when
 * persistent grants are on.
 *
 * Locking, outermost first:
 *   blkfront_info.mutex   connection state; held by the xenbus callbacks
 *                         (process context) and by release/open
 *   blkfront_queue.lock   one ring: its indices, ids, shadow and buffers;
 *                         taken with interrupts off by queue_rq and the
 *                         event handler
 *   blkfront_info.resubmit_lock
 *                         the bios to submit again; taken alone, by
 *                         queue_rq and the resubmit work, never in irq
 */
#ifndef _XEN_BLKFRONT_H
#define _XEN_BLKFRONT_H

#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include "proto.h"

struct blkfront_info;

/* Upper bound of buffer pages per ring, which bounds the ids in use. */
#define BLKFRONT_MAX_BUFS_PER_RING	4096

/*
 * Pages of ended connections a backend may keep mapped into the next one:
 * as many as the largest connection grants, buffers and rings.  An honest
 * backend lets go of everything before it closes, so only one that keeps
 * pages across reconnects gets here; it would otherwise run the domain
 * out of memory and grant references, a connection's worth at a time.
 */
#define BLKFRONT_RETIRED_MAX	(BLKFRONT_MAX_QUEUES * \
				 (BLKFRONT_MAX_BUFS_PER_RING + (1 << BLKFRONT_MAX_RING_ORDER)))

/**
 * struct blkfront_buf - a page the backend may access
 * @page: the page, owned by the frontend
 * @ref: its grant reference
 * @granted: the grant is active (always true in persistent mode)
 */
struct blkfront_buf {
	struct page *page;
	grant_ref_t ref;
	bool granted;
};

/**
 * struct blkfront_shadow - what the frontend remembers about one ring id
 * @rq: the block request it carries (NULL for none)
 * @nr_data: data buffers the request uses, from the first
 * @nr_ind: indirect page buffers the request uses, from the first
 * @bufs: this id's buffers, segs_per_req data pages then the indirect
 *	pages; owned by the id for the whole connection
 */
struct blkfront_shadow {
	struct request *rq;
	u32 nr_data;
	u32 nr_ind;
	struct blkfront_buf *bufs;
};

/**
 * struct blkfront_queue - one ring of a connected device
 * @info: the device
 * @index: ring number
 * @lock: protects @ring, @ids, @ops, @shadow and @broken
 * @ring: private view of the shared ring
 * @ring_va: the shared ring pages
 * @ring_refs: their grants
 * @evtchn: event channel port
 * @irq: its Linux irq, 0 when unbound
 * @irq_off: @irq is disabled for teardown (under the device's mutex)
 * @ids: outstanding request ids, one per ring slot
 * @id_links: storage of @ids
 * @ops: per id, the operation its response must carry
 * @shadow: per id state
 * @bufs: all buffers of this ring, @nr_bufs of them
 * @nr_bufs: size of @bufs
 * @segs: scratch segment list of the request being built
 * @broken: the backend broke the protocol; nothing more is posted or
 *	completed on this ring until it is torn down
 * @name: irq name
 */
struct blkfront_queue {
	struct blkfront_info *info;
	unsigned int index;
	spinlock_t lock;	/* see the kernel-doc above */
	struct xenring ring;
	void *ring_va;
	grant_ref_t ring_refs[1 << BLKFRONT_MAX_RING_ORDER];
	evtchn_port_t evtchn;
	unsigned int irq;
	bool irq_off;
	struct xenring_ids ids;
	u32 *id_links;
	u8 *ops;
	struct blkfront_shadow *shadow;
	struct blkfront_buf *bufs;
	u32 nr_bufs;
	struct blkfront_seg *segs;
	bool broken;
	char name[32];
};

/**
 * struct blkfront_info - one virtual block device
 * @xbdev: its xenbus device
 * @mutex: serialises connection changes (see the lock order above)
 * @vdevice: "virtual-device" value
 * @handle: ring handle (the vdevice)
 * @disk: the gendisk, NULL until the first connection
 * @tag_set: blk-mq tags, valid while @disk exists
 * @lim: limits this frontend uses
 * @rc: transport of the current connection
 * @dc: disk of the current connection
 * @queues: the rings, @rc.nr_queues of them
 * @connected: the data path is up; read locklessly by queue_rq, which
 *	the quiesce in every teardown path waits for
 * @quiesced: we hold the disk's queue quiesced
 * @trusted: the toolstack's "trusted" key and the "trusted" parameter
 *	both trust the backend (logged only: see the data rule above)
 * @fail_work: reports a broken ring from process context
 * @off: BLKFRONT_OFF_* features the backend refused on this connection;
 *	set by the event handler, cleared (under @mutex) by a reconnect
 *	while no ring is bound
 * @limits_work: applies @off to the queue limits from process context;
 *	cancelled, like @fail_work, whenever the rings are torn down
 * @vd: the disk's place on major 202; its minors are reserved while
 *	@disk exists
 * @resubmit_lock: protects @resubmit, between queue_rq and
 *	@resubmit_work
 * @resubmit: bios of requests built under an earlier connection's larger
 *	limits, to go through the block layer again (and be split) under
 *	this connection's
 * @nr_resubmitted: requests whose bios are in @resubmit, for the log
 *	(@resubmit_lock)
 * @resubmit_work: submits @resubmit from kblockd; flushed before the disk
 *	goes away
 * @retired: buffer arrays of ended connections with pages the backend
 *	still mapped at the end (struct blkfront_retired; under @mutex)
 * @nr_retired: pages in @retired the backend may still map (@mutex)
 */
struct blkfront_info {
	struct xenbus_device *xbdev;
	struct mutex mutex;	/* see the kernel-doc above */
	u32 vdevice;
	u16 handle;
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	struct blkfront_limits lim;
	struct blkfront_ring_conf rc;
	struct blkfront_disk_conf dc;
	struct blkfront_queue *queues;
	bool connected;
	bool quiesced;
	bool trusted;
	struct work_struct fail_work;
	atomic_t off;
	struct work_struct limits_work;
	struct blkfront_vdev vd;
	spinlock_t resubmit_lock;	/* see the kernel-doc above */
	struct bio_list resubmit;
	unsigned int nr_resubmitted;
	struct work_struct resubmit_work;
	struct list_head retired;
	unsigned int nr_retired;
};

/*
 * Totals over all devices, shown as driver attributes for leak checks:
 * grants given to backends, pages owned for rings and buffers, and pages
 * given up to the grant table because a backend kept them mapped.
 */
extern atomic_t blkfront_nr_grants;
extern atomic_t blkfront_nr_pages;
extern atomic_t blkfront_nr_lost;

/* ring.c */
int blkfront_rings_setup(struct blkfront_info *info);
void blkfront_rings_quiesce(struct blkfront_info *info);
void blkfront_rings_teardown(struct blkfront_info *info, bool requeue);
int blkfront_bufs_setup(struct blkfront_info *info);
void blkfront_retired_release(struct blkfront_info *info, bool final);
blk_status_t blkfront_queue_rq(struct blk_mq_hw_ctx *hctx,
			       const struct blk_mq_queue_data *bd);

/* dev.c */
int blkfront_disk_connect(struct blkfront_info *info);
void blkfront_disk_stop(struct blkfront_info *info);
void blkfront_disk_remove(struct blkfront_info *info);
void blkfront_disk_resized(struct blkfront_info *info);
void blkfront_limits_work(struct work_struct *work);
void blkfront_resubmit_work(struct work_struct *work);
void blkfront_resubmit(struct blkfront_info *info, struct request *rq);
void blkfront_limits_init(struct blkfront_limits *lim);
bool blkfront_trusted(struct xenbus_device *dev);

/* xenbus.c */
void blkfront_fail(struct blkfront_queue *q, const char *why);
int blkfront_xenbus_register(void);
void blkfront_xenbus_unregister(void);

#endif /* _XEN_BLKFRONT_H */
