// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkfront: the block device a Xen virtual disk appears as, and the
 * module.
 *
 * The gendisk is created at the first connection and lives until the
 * backend closes the device or the device goes away; a resume reconnects
 * underneath it and replays the requests that were in flight.
 */
#define pr_fmt(fmt) "xen-blkfront: " fmt

#include <linux/bitmap.h>
#include <linux/blk-mq.h>
#include <linux/cdrom.h>
#include <linux/cpumask.h>
#include <linux/hdreg.h>
#include <linux/interrupt.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <xen/compat_param.h>
#include <xen/platform_pci.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include "blkfront.h"

/* The protocol core's major (plain C) is the kernel's. */
static_assert(XENVBD_MAJOR == BLKFRONT_XVD_MAJOR);

/*
 * Minors of major 202 that a disk owns, one bit each, grown on demand:
 * two "virtual-device" numbers can map to the same minors (hda and sda).
 */
static DEFINE_MUTEX(blkfront_minors_lock);
static unsigned long *blkfront_minors;	/* under blkfront_minors_lock */
static unsigned int blkfront_nr_minors;	/* under blkfront_minors_lock */

static unsigned int max_indirect_segments = 32;
module_param(max_indirect_segments, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Most data pages per request (above 11 uses indirect descriptors; default 32)");

static unsigned int max_queues = 4;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "Most rings per disk (default 4, at most the CPU count)");

static unsigned int max_ring_page_order;
module_param(max_ring_page_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "Log2 of the most pages per ring (0..4, default 0)");

/* Read with READ_ONCE() each time a device connects. */
static bool feature_persistent = true;
module_param(feature_persistent, bool, 0644);
MODULE_PARM_DESC(feature_persistent, "Keep data pages granted for the whole connection (default on); a change applies to the next connection");

/* Read with READ_ONCE() when a device is probed; see blkfront_trusted(). */
static bool trusted = true;
XEN_PARAM_NO_EFFECT(trusted, trusted, bool, 0644,
		    "data always travel through pages the frontend owns");
MODULE_PARM_DESC(trusted,
		 "Trust the backend if its \"trusted\" key allows it too (default on); no effect: data are always bounced");

static bool large_sectors = true;
module_param(large_sectors, bool, 0444);
MODULE_PARM_DESC(large_sectors,
		 "Count sectors in the disk's own sector size when the backend offers it (default on)");

/**
 * blkfront_limits_init() - the limits set by the module parameters
 * @lim: filled in
 */
void blkfront_limits_init(struct blkfront_limits *lim)
{
	lim->max_ring_order = min(max_ring_page_order, BLKFRONT_MAX_RING_ORDER);
	lim->max_queues = clamp(max_queues, 1u, num_online_cpus());
	lim->max_indirect = min_t(u32, max_indirect_segments,
				  BLKFRONT_MAX_INDIRECT_SEGS);
	lim->persistent = READ_ONCE(feature_persistent);
	lim->large_sectors = large_sectors;
}

/**
 * blkfront_trusted() - whether a device's backend counts as trusted
 * @dev: the xenbus device, being probed
 *
 * Both the "trusted" parameter and the toolstack's "trusted" key (absent
 * means yes) must allow it.  Nothing but a log line depends on it: data
 * are bounced through the frontend's own pages either way.
 *
 * Return: true if the backend is trusted.
 */
bool blkfront_trusted(struct xenbus_device *dev)
{
	return READ_ONCE(trusted) &&
	       xenbus_read_unsigned(dev->nodename, "trusted", 1);
}

static const struct blk_mq_ops blkfront_mq_ops = {
	.queue_rq = blkfront_queue_rq,
};

static int blkfront_getgeo(struct block_device *bdev, struct hd_geometry *hg)
{
	struct blkfront_geo geo;

	blkfront_geometry(get_capacity(bdev->bd_disk), &geo);
	hg->heads = geo.heads;
	hg->sectors = geo.sectors;
	hg->cylinders = geo.cylinders;
	return 0;
}

/*
 * The two cdrom ioctls Linux's blkfront has always answered, the same
 * way: no multisession data, and a capability query that only succeeds
 * on a cdrom.  The block layer has handled every generic ioctl already.
 */
static int blkfront_ioctl(struct block_device *bdev, blk_mode_t mode,
			  unsigned int cmd, unsigned long arg)
{
	struct blkfront_info *info = bdev->bd_disk->private_data;

	switch (cmd) {
	case CDROMMULTISESSION:
		if (clear_user((void __user *)arg,
			       sizeof(struct cdrom_multisession)))
			return -EFAULT;
		return 0;
	case CDROM_GET_CAPABILITY:
		return READ_ONCE(info->dc.cdrom) ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

static const struct block_device_operations blkfront_fops = {
	.owner = THIS_MODULE,
	.getgeo = blkfront_getgeo,
	.ioctl = blkfront_ioctl,
	.compat_ioctl = blkdev_compat_ptr_ioctl,
};

/* Claim minors [first, first + nr) of major 202 for one disk. */
static int blkfront_reserve_minors(u32 first, u32 nr)
{
	u32 end = first + nr;
	int err = 0;

	mutex_lock(&blkfront_minors_lock);
	if (end > blkfront_nr_minors) {
		unsigned int size = round_up(end, BITS_PER_LONG);
		unsigned long *bits = bitmap_zalloc(size, GFP_KERNEL);

		if (!bits) {
			err = -ENOMEM;
			goto out;
		}
		if (blkfront_minors)
			bitmap_copy(bits, blkfront_minors, blkfront_nr_minors);
		bitmap_free(blkfront_minors);
		blkfront_minors = bits;
		blkfront_nr_minors = size;
	}
	if (find_next_bit(blkfront_minors, end, first) < end)
		err = -EBUSY;
	else
		bitmap_set(blkfront_minors, first, nr);
out:
	mutex_unlock(&blkfront_minors_lock);
	return err;
}

static void blkfront_release_minors(u32 first, u32 nr)
{
	mutex_lock(&blkfront_minors_lock);
	bitmap_clear(blkfront_minors, first, nr);
	mutex_unlock(&blkfront_minors_lock);
}

/*
 * The queue limits of the current connection: everything comes from the
 * backend's keys of this connection, less what it refused since, so a
 * reconnect to another backend (migration) replaces every value.
 */
static void blkfront_fill_limits(struct blkfront_info *info,
				 struct queue_limits *lim)
{
	const struct blkfront_disk_conf *dc = &info->dc;
	u32 off = atomic_read(&info->off);

	lim->logical_block_size = dc->logical_size;
	lim->physical_block_size = dc->physical_size;
	lim->io_min = dc->physical_size;
	lim->max_hw_sectors = dc->segs_per_req *
			      (XEN_PAGE_SIZE >> SECTOR_SHIFT);
	/* Data is packed into our own pages: any bio layout fits. */
	lim->max_segments = USHRT_MAX;

	lim->features &= ~(BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA);
	if (dc->flush && !(off & BLKFRONT_OFF_FLUSH)) {
		lim->features |= BLK_FEAT_WRITE_CACHE;
		if (dc->fua)
			lim->features |= BLK_FEAT_FUA;
	}

	lim->max_hw_discard_sectors = 0;
	lim->max_secure_erase_sectors = 0;
	lim->discard_granularity = 0;
	lim->discard_alignment = 0;
	if (dc->discard && !(off & BLKFRONT_OFF_DISCARD)) {
		lim->max_hw_discard_sectors = UINT_MAX;
		lim->discard_granularity = dc->discard_gran;
		lim->discard_alignment = dc->discard_align;
		if (dc->discard_secure)
			lim->max_secure_erase_sectors = UINT_MAX;
	}
}

/* Replace the live disk's limits; process context, the disk exists. */
static int blkfront_apply_limits(struct blkfront_info *info)
{
	struct request_queue *q = info->disk->queue;
	struct queue_limits lim = queue_limits_start_update(q);
	int err;

	blkfront_fill_limits(info, &lim);
	err = queue_limits_commit_update(q, &lim);
	if (err)
		dev_err(&info->xbdev->dev, "%s: queue limits refused: %d\n",
			info->disk->disk_name, err);
	return err;
}

/**
 * blkfront_limits_work() - apply features the backend refused
 * @work: &blkfront_info.limits_work
 *
 * Queued by the event handler after a response turned a feature off;
 * the queue limits can only change in process context.  Runs only while
 * the rings of a connection are bound: their teardown cancels it, so it
 * never races with a reconnect, which applies every limit itself.
 */
void blkfront_limits_work(struct work_struct *work)
{
	struct blkfront_info *info = container_of(work, struct blkfront_info,
						  limits_work);

	if (info->disk)
		blkfront_apply_limits(info);
}

static void blkfront_log_features(struct blkfront_info *info)
{
	const struct blkfront_disk_conf *dc = &info->dc;

	dev_info(&info->xbdev->dev,
		 "%s: %llu sectors, %u/%u byte sectors%s%s%s%s%s, %u pages per request\n",
		 info->disk->disk_name, (unsigned long long)dc->capacity,
		 dc->logical_size, dc->physical_size,
		 info->rc.large_sectors ? " (large sector units)" : "",
		 !dc->flush ? "" : dc->flush_op == BLKIF_OP_WRITE_BARRIER ?
		 ", barrier" : ", flush",
		 dc->fua ? ", fua" : "",
		 dc->discard ? ", discard" : "",
		 dc->readonly ? ", read-only" : "",
		 dc->segs_per_req);
}

static int blkfront_disk_create(struct blkfront_info *info)
{
	struct blk_mq_tag_set *set = &info->tag_set;
	struct blkfront_vdev *vd = &info->vd;
	struct queue_limits lim = {};
	struct gendisk *disk;
	int err;

	err = blkfront_vdev_map(info->vdevice, vd);
	if (err) {
		dev_warn(&info->xbdev->dev,
			 "virtual-device %#x has no xvd name; use an xvd device instead\n",
			 info->vdevice);
		return err;
	}
	err = blkfront_reserve_minors(vd->first_minor, vd->minors);
	if (err) {
		dev_warn(&info->xbdev->dev,
			 "virtual-device %#x: minors %u..%u of major %d: %d\n",
			 info->vdevice, vd->first_minor,
			 vd->first_minor + vd->minors - 1, XENVBD_MAJOR, err);
		return err;
	}

	memset(set, 0, sizeof(*set));
	set->ops = &blkfront_mq_ops;
	set->nr_hw_queues = info->rc.nr_queues;
	set->queue_depth = info->queues[0].ids.nr;
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		goto release_minors;

	blkfront_fill_limits(info, &lim);
	disk = blk_mq_alloc_disk(set, &lim, info);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto free_tag_set;
	}
	/* Every disk lives on major 202, whatever its number's major. */
	disk->major = XENVBD_MAJOR;
	disk->first_minor = vd->first_minor;
	disk->minors = vd->minors;
	disk->fops = &blkfront_fops;
	disk->private_data = info;
	/* DISK_NAME_LEN holds any name of blkfront_vdev_map()'s range. */
	blkfront_vdev_name(vd, disk->disk_name, sizeof(disk->disk_name));
	set_capacity(disk, info->dc.capacity);
	set_disk_ro(disk, info->dc.readonly);
	if (info->dc.removable)
		disk->flags |= GENHD_FL_REMOVABLE;

	info->disk = disk;
	WRITE_ONCE(info->connected, true);
	err = device_add_disk(&info->xbdev->dev, disk, NULL);
	if (err) {
		WRITE_ONCE(info->connected, false);
		info->disk = NULL;
		put_disk(disk);
		goto free_tag_set;
	}
	blkfront_log_features(info);
	return 0;

free_tag_set:
	blk_mq_free_tag_set(set);
release_minors:
	blkfront_release_minors(vd->first_minor, vd->minors);
	return err;
}

/*
 * In a PV domain each ring's event goes to the CPUs whose requests the
 * ring carries (blkfront_queue_rq()), so that a completion wakes the task
 * that waits for it without an IPI.  Left alone if that fails: only
 * slower.  An event whose CPUs all go offline moves to the others for
 * good, until the next connection.
 *
 * Not in PVH or HVM, where the event layer spreads events by load when an
 * irq starts: there, 2 of 12 control runs under Xen 4.17 stopped after a
 * save/restore or a cancelled checkpoint with both disks' ring 1 on vCPU 1
 * (a per-vCPU upcall that stopped coming is suspected, not proven), and
 * no PV run did.
 */
static void blkfront_rings_affine(struct blkfront_info *info)
{
	const struct blk_mq_queue_map *map = &info->tag_set.map[HCTX_TYPE_DEFAULT];
	cpumask_var_t mask;
	unsigned int i, cpu;

	if (!xen_pv_domain() || !map->mq_map ||
	    !alloc_cpumask_var(&mask, GFP_KERNEL))
		return;
	for (i = 0; i < info->rc.nr_queues; i++) {
		cpumask_clear(mask);
		for_each_possible_cpu(cpu)
			if (map->mq_map[cpu] % info->rc.nr_queues == i)
				cpumask_set_cpu(cpu, mask);
		if (cpumask_intersects(mask, cpu_online_mask))
			irq_set_affinity(info->queues[i].irq, mask);
	}
	free_cpumask_var(mask);
}

/**
 * blkfront_disk_connect() - expose the disk, or resume it after reconnect
 * @info: the device, connected with buffers set up
 *
 * Return: 0 or a negative errno.
 */
int blkfront_disk_connect(struct blkfront_info *info)
{
	int err;

	/* A new connection: the new backend's features, all of them. */
	atomic_set(&info->off, 0);
	if (!info->disk) {
		err = blkfront_disk_create(info);
		if (!err)
			blkfront_rings_affine(info);
		return err;
	}

	/*
	 * Reconnected underneath an existing disk (resume, migration): the
	 * new backend may differ in every limit.  The queue is quiesced, so
	 * nothing is dispatched under the old limits from here on.
	 */
	err = blkfront_apply_limits(info);
	if (err)
		return err;
	blkfront_log_features(info);
	if (info->dc.capacity != get_capacity(info->disk))
		set_capacity_and_notify(info->disk, info->dc.capacity);
	blkfront_rings_affine(info);
	WRITE_ONCE(info->connected, true);
	if (info->quiesced) {
		blk_mq_unquiesce_queue(info->disk->queue);
		info->quiesced = false;
	}
	blk_mq_kick_requeue_list(info->disk->queue);
	blk_mq_start_stopped_hw_queues(info->disk->queue, true);
	return 0;
}

/**
 * blkfront_resubmit() - send a request's bios through the block layer again
 * @info: the device
 * @rq: a started read or write, larger than this connection can carry
 *
 * A request built while an earlier backend took larger requests, and
 * given back to blk-mq by a resume, may not fit the new backend.  Its
 * bios are taken off it and submitted again, so that the block layer
 * splits them under the limits that blkfront_disk_connect() applied; the
 * request itself ends with no bios left to complete.
 */
void blkfront_resubmit(struct blkfront_info *info, struct request *rq)
{
	struct bio_list bios = { .head = rq->bio, .tail = rq->biotail };

	rq->bio = NULL;
	rq->biotail = NULL;
	spin_lock(&info->resubmit_lock);
	bio_list_merge(&info->resubmit, &bios);
	info->nr_resubmitted++;
	spin_unlock(&info->resubmit_lock);
	blk_mq_end_request(rq, BLK_STS_OK);
	/* The bios may be writeback that reclaim waits for. */
	kblockd_schedule_work(&info->resubmit_work);
}

/**
 * blkfront_resubmit_work() - submit the bios blkfront_resubmit() took
 * @work: &blkfront_info.resubmit_work
 *
 * Process context, as submitting may sleep.  On a disk that is going
 * away the block layer fails them.  The request and its bios were counted
 * once already; the split bios count again, and trace as new I/O.
 */
void blkfront_resubmit_work(struct work_struct *work)
{
	struct blkfront_info *info =
		container_of(work, struct blkfront_info, resubmit_work);
	struct bio_list bios;
	unsigned int n;
	struct bio *bio;

	spin_lock(&info->resubmit_lock);
	bios = info->resubmit;
	bio_list_init(&info->resubmit);
	n = info->nr_resubmitted;
	info->nr_resubmitted = 0;
	spin_unlock(&info->resubmit_lock);
	if (n)
		dev_info_ratelimited(&info->xbdev->dev,
				     "%u request(s) built for the last backend's larger limits, split again\n",
				     n);
	while ((bio = bio_list_pop(&bios))) {
		/*
		 * Accepted long ago: waiting for a tag now must not fail it
		 * with BLK_STS_AGAIN.
		 */
		bio->bi_opf &= ~REQ_NOWAIT;
		submit_bio_noacct(bio);
	}
}

/**
 * blkfront_disk_stop() - stop posting requests before the rings go away
 * @info: the device
 *
 * After this, blkfront_queue_rq() is not running and will not start until
 * blkfront_disk_connect() or blkfront_disk_remove().
 */
void blkfront_disk_stop(struct blkfront_info *info)
{
	/*
	 * Quiesced first: a request blk-mq dispatches meanwhile still goes
	 * on the ring, which the teardown then requeues (resume) or fails
	 * (close).  Disconnected first, blkfront_queue_rq() would fail it at
	 * once, and writeback during a save would see I/O errors.
	 */
	if (info->disk && !info->quiesced) {
		blk_mq_quiesce_queue(info->disk->queue);
		info->quiesced = true;
	}
	WRITE_ONCE(info->connected, false);
}

/**
 * blkfront_disk_remove() - delete the disk, even with open users
 * @info: the device, stopped and with its rings torn down
 *
 * Requests still queued fail; users that keep the disk open see errors
 * until they close it.
 */
void blkfront_disk_remove(struct blkfront_info *info)
{
	struct gendisk *disk = info->disk;

	if (!disk)
		return;
	blk_mark_disk_dead(disk);
	if (info->quiesced) {
		blk_mq_unquiesce_queue(disk->queue);
		info->quiesced = false;
	}
	/*
	 * Requests a resume gave back to blk-mq wait on the requeue list,
	 * and those a full ring turned away wait on a hardware queue that
	 * blkfront_queue_rq() stopped, which only a response restarts: no
	 * timeout finds either, and del_gendisk() would wait for them for
	 * ever.  Dispatched now, blkfront_queue_rq() fails them.
	 */
	blk_mq_start_stopped_hw_queues(disk->queue, true);
	blk_mq_kick_requeue_list(disk->queue);
	del_gendisk(disk);
	/*
	 * Disconnected, queue_rq takes no more bios for resubmission; those
	 * it took fail on the dead disk, which the work must still hold.
	 */
	flush_work(&info->resubmit_work);
	put_disk(disk);
	blk_mq_free_tag_set(&info->tag_set);
	blkfront_release_minors(info->vd.first_minor, info->vd.minors);
	info->disk = NULL;
}

/**
 * blkfront_disk_resized() - the backend changed the capacity
 * @info: the connected device, with the new capacity in @info->dc
 */
void blkfront_disk_resized(struct blkfront_info *info)
{
	if (!info->disk)
		return;
	dev_info(&info->xbdev->dev, "%s: resized to %llu sectors\n",
		 info->disk->disk_name, (unsigned long long)info->dc.capacity);
	set_capacity_and_notify(info->disk, info->dc.capacity);
}

static int __init blkfront_init(void)
{
	int err;

	if (!xen_domain() || !xen_has_pv_disk_devices())
		return -ENODEV;
	if (PAGE_SIZE != XEN_PAGE_SIZE) {
		pr_err("needs %lu-byte pages\n", XEN_PAGE_SIZE);
		return -ENODEV;
	}
	err = register_blkdev(XENVBD_MAJOR, "xvd");
	if (err) {
		pr_err("cannot get major %d\n", XENVBD_MAJOR);
		return err;
	}
	err = blkfront_xenbus_register();
	if (err)
		unregister_blkdev(XENVBD_MAJOR, "xvd");
	return err;
}
module_init(blkfront_init);

static void __exit blkfront_exit(void)
{
	blkfront_xenbus_unregister();
	unregister_blkdev(XENVBD_MAJOR, "xvd");
	bitmap_free(blkfront_minors);
}
module_exit(blkfront_exit);

MODULE_DESCRIPTION("Xen virtual block device frontend");
MODULE_LICENSE("GPL");
MODULE_ALIAS_BLOCKDEV_MAJOR(XENVBD_MAJOR);
MODULE_ALIAS("xen:vbd");
MODULE_ALIAS("xenblk");
