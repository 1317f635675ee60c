/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-blkback private interfaces between its layers:
 *
 *   xenbus.c  the xenbus backend device: hotplug, negotiation, the
 *             connection state machine and the module
 *   ring.c    mapped rings, one kernel thread per ring, grant copies and
 *             bios
 *
 * plus proto.c, the OS-independent protocol core.
 *
 * With persistent grants, bios use the frontend's pages that the ring
 * keeps mapped (pgrant.c) directly, unless the device wants stable pages
 * (ring.c).  Other data moves between the frontend's grants and pages the
 * backend owns, with grant copy operations (or a memcpy from a mapped
 * page).  A frontend that revokes or reuses a grant at any moment, or
 * changes its data under I/O, can only harm its own request's data.
 *
 * Locking, outermost first:
 *   blkback_dev.mutex     connection state; held by the xenbus callbacks,
 *                         and by the sysfs readers, which it keeps from
 *                         seeing the rings freed
 *   blkback_ring.rsp_lock the ring's response side and the list of
 *                         finished requests, shared by the thread and bio
 *                         completion (any context), which answers and
 *                         wakes the thread under it
 *   wait queue lock       (blkback_ring.wq), taken inside rsp_lock
 *   blkback_ring.st_sync  the ring's request counts: written by its
 *                         thread, read by sysfs under the mutex
 * Everything else of a ring belongs to its thread.
 */
#ifndef _XEN_BLKBACK_H
#define _XEN_BLKBACK_H

#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/xenring.h>
#include "proto.h"

struct blkback_dev;
struct blkback_pgrant;

/*
 * Request counts, shown as the device's statistics/ attributes and logged
 * by log_stats.  Requests are counted when started, whether they then
 * succeed or not; sectors are 512-byte units of the reads and writes
 * submitted.
 */
enum blkback_stat {
	BLKBACK_ST_RD_REQ,
	BLKBACK_ST_WR_REQ,
	BLKBACK_ST_F_REQ,
	BLKBACK_ST_DS_REQ,
	BLKBACK_ST_RD_SECT,
	BLKBACK_ST_WR_SECT,
	BLKBACK_ST_NR
};

/**
 * struct blkback_stats - request counts at one moment
 * @n: the counts, indexed by enum blkback_stat
 */
struct blkback_stats {
	u64 n[BLKBACK_ST_NR];
};

/**
 * struct blkback_pgrants - a ring's persistently mapped frontend pages
 * @map: grant reference -> struct blkback_pgrant
 * @nr: entries in @map
 * @max: most entries; 0 when persistent grants are off
 * @domid: the frontend's domain
 * @next_scan: jiffies from which blkback_pgrants_expire() looks again
 *
 * Used by the ring's thread only; the bios of a request use the pages it
 * pinned (see pgrant.c).
 */
struct blkback_pgrants {
	struct xarray map;
	u32 nr;
	u32 max;
	domid_t domid;
	unsigned long next_scan;
};

/**
 * struct blkback_io - one request being performed
 * @ring: the ring it came from
 * @req: the validated request
 * @segs: its segments (the slot's or the private copy of the indirect
 *	pages)
 * @nr_pages: pages holding its data, one per segment
 * @pages: those pages: the backend's, or mapped frontend pages lent to
 *	the bios
 * @lent: for each of @pages, its pinned persistent mapping, or NULL for
 *	a page of the backend's
 * @pending: bios not yet finished, plus one while submitting
 * @error: first error of any bio, or of copying read data out
 * @early: set before submission: bio completion answers it (nothing is
 *	left to copy out to the frontend)
 * @answered: bio completion answered it; the thread only takes it back
 *	(under the ring's rsp_lock until it is on the done list)
 * @node: on the ring's free or done list
 */
struct blkback_io {
	struct blkback_ring *ring;
	struct blkback_req req;
	struct blkif_request_segment *segs;
	u32 nr_pages;
	struct page **pages;
	struct blkback_pgrant **lent;
	atomic_t pending;
	int error;
	bool early;
	bool answered;
	struct list_head node;
};

/**
 * struct blkback_ring - one ring of a connected device
 * @be: the device
 * @index: ring number
 * @ring: private view of the mapped ring: its request side (@ring.cons
 *	and the request slots) is the thread's, its response side
 *	(@ring.prod and the response slots) is under @rsp_lock, and the
 *	thread takes @rsp_lock to read @ring.prod or write @ring.cons
 * @ring_va: the mapped ring pages
 * @irq: the bound event channel's irq, 0 when unbound
 * @task: the ring's thread
 * @wq: the thread waits here for events and finished bios
 * @kick: an event arrived since the thread last looked at the ring
 * @rsp_lock: protects the response side of @ring, @done, @stopping and
 *	the writes of @barrier_waiting
 * @done: requests whose bios all finished, answered or not, for the
 *	thread to take back
 * @stopping: the thread is being stopped: every finished request wakes
 *	it
 * @free: unused request contexts (thread only)
 * @ios: all request contexts, one per ring slot
 * @nr_ios: number of @ios
 * @inflight: requests consumed and not yet taken back (thread only)
 * @since_eoi: requests consumed since the event was last acknowledged;
 *	an acknowledgment is spurious only if it is 0 (thread only)
 * @barrier: the barrier request consumed and not yet taken back, NULL if
 *	none; meanwhile nothing more is consumed (thread only)
 * @barrier_waiting: @barrier waits for the requests before it to be
 *	taken back, and is not yet submitted; meanwhile every finished
 *	request wakes the thread (written by the thread under @rsp_lock,
 *	read by bio completion under it)
 * @malformed: malformed requests seen (thread only)
 * @broken: the frontend broke the protocol; nothing more is consumed
 * @pool: spare data pages (thread only)
 * @pool_size: pages in @pool
 * @copies: scratch array of grant copy operations (thread only)
 * @grefs: scratch array of grant references (thread only)
 * @pgrants: persistently mapped frontend pages (thread only)
 * @st_sync: makes a reader on another CPU see @st whole (on 32-bit)
 * @st: requests and sectors started since the ring was set up, indexed
 *	by enum blkback_stat; written by the thread only
 * @st_logged: @st as of the last log_stats line (thread only)
 * @st_print: jiffies from which the next log_stats line is due
 * @name: irq and thread name
 */
struct blkback_ring {
	struct blkback_dev *be;
	unsigned int index;
	struct xenring ring;
	void *ring_va;
	unsigned int irq;
	struct task_struct *task;
	wait_queue_head_t wq;
	bool kick;
	spinlock_t rsp_lock;	/* see the kernel-doc above */
	struct list_head done;
	bool stopping;
	struct list_head free;
	struct blkback_io *ios;
	u32 nr_ios;
	u32 inflight;
	u32 since_eoi;
	struct blkback_io *barrier;
	bool barrier_waiting;
	u32 malformed;
	bool broken;
	struct list_head pool;
	u32 pool_size;
	struct gnttab_copy *copies;
	grant_ref_t *grefs;
	struct blkback_pgrants pgrants;
	struct u64_stats_sync st_sync;
	u64_stats_t st[BLKBACK_ST_NR];
	struct blkback_stats st_logged;
	unsigned long st_print;
	char name[32];
};

/**
 * struct blkback_dev - one virtual block device served to a frontend
 * @xbdev: its xenbus device
 * @mutex: serialises connection changes (see the lock order above)
 * @watch: watch on our "physical-device" key (hotplug)
 * @watch_set: @watch is registered
 * @devt: the block device the hotplug script named, 0 until known
 * @readonly: "mode" is "r"
 * @cdrom: "device-type" is "cdrom"
 * @discard_allowed: the toolstack's "discard-enable" as of the last
 *	connect (see blkback_discard_enabled())
 * @bdev_file: the opened block device, NULL while closed
 * @bdev: its block_device
 * @offer: the limits last written to the store, which the frontend's
 *	choice is checked against (under @mutex)
 * @squeeze_end: jiffies until which rings keep no spare pages; written
 *	by blkback_reclaim(), read locklessly by the ring threads
 * @abi: ring ABI the frontend chose
 * @rc: transport the frontend chose
 * @disk: what the protocol core checks requests against
 * @size: device size in 512-byte sectors when last announced
 * @rings: the rings, @rc.nr_queues of them, NULL while disconnected
 * @st_gone: request counts of the rings already stopped, so that the
 *	device's counts do not drop at a reconnect (under @mutex)
 * @handle: the device's vdevice number, for logging
 */
struct blkback_dev {
	struct xenbus_device *xbdev;
	struct mutex mutex;	/* see the kernel-doc above */
	struct xenbus_watch watch;
	bool watch_set;
	dev_t devt;
	bool readonly;
	bool cdrom;
	bool discard_allowed;
	struct file *bdev_file;
	struct block_device *bdev;
	struct blkback_limits offer;
	unsigned long squeeze_end;
	enum blkback_abi abi;
	struct blkback_ring_conf rc;
	struct blkback_disk disk;
	sector_t size;
	struct blkback_ring *rings;
	struct blkback_stats st_gone;
	u32 handle;
};

/*
 * Totals over all devices, shown as driver attributes for leak checks:
 * frontend ring pages mapped, data pages held (in flight or spare) and
 * requests in flight.
 */
extern atomic_t blkback_nr_ring_pages;
extern atomic_t blkback_nr_pages;
extern atomic_t blkback_nr_inflight;
/*
 * Frontend pages mapped persistently (including those whose unmap waits
 * for a lower layer to let go), and pages given up for good: their unmap
 * failed, someone held them right after it, there was no memory to unmap
 * them later, or their mapping failed half way (pgrant.c).
 */
extern atomic_t blkback_nr_pgrants;
extern atomic_t blkback_nr_pgrants_lost;

/* ring.c */
int blkback_rings_start(struct blkback_dev *be, const u32 *refs,
			const u32 *ports);
void blkback_rings_stop(struct blkback_dev *be);
void blkback_stats_sum(struct blkback_dev *be, struct blkback_stats *sum);

/* pgrant.c */
void blkback_pgrants_init(struct blkback_pgrants *pg, domid_t domid, u32 max);
void *blkback_pgrant_addr(struct blkback_pgrants *pg, grant_ref_t gref);
struct blkback_pgrant *blkback_pgrant_pin(struct blkback_pgrants *pg,
					  grant_ref_t gref);
struct page *blkback_pgrant_page(const struct blkback_pgrant *e);
void blkback_pgrant_unpin(struct blkback_pgrant *e);
void blkback_pgrants_add(struct blkback_pgrants *pg, const grant_ref_t *grefs,
			 u32 n);
void blkback_pgrants_expire(struct blkback_pgrants *pg,
			    unsigned long max_idle);
void blkback_pgrants_release(struct blkback_pgrants *pg);
void blkback_pgrants_wait_late(void);

/* xenbus.c */
void blkback_frontend_broken(struct blkback_ring *ring, const char *why);
void blkback_announce_resize(struct blkback_dev *be);
extern unsigned int blkback_max_persistent_grants;

#endif /* _XEN_BLKBACK_H */
