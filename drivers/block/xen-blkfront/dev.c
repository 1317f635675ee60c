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

#include <linux/blk-mq.h>
#include <linux/cpumask.h>
#include <linux/major.h>
#include <linux/module.h>
#include <xen/compat_param.h>
#include <xen/platform_pci.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include "blkfront.h"

#define XENVBD_MAJOR		202
#define XENVBD_MINORS		16	/* per disk on major 202 */

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

static const struct block_device_operations blkfront_fops = {
	.owner = THIS_MODULE,
};

/*
 * Disk index and whether it lives on major 202, from "virtual-device"
 * (see Xen's docs/misc/vbd-interface.txt).
 */
static int blkfront_vdev_index(u32 vdev, u32 *index, bool *xvd_major)
{
	u32 major = (vdev >> 8) & 0xff, minor = vdev & 0xff;

	*xvd_major = false;
	if (vdev & (1u << 28)) {
		*index = (vdev & ((1u << 28) - 1)) >> 8;
		return (vdev & 0xff) ? -EINVAL : 0;
	}
	switch (major) {
	case XENVBD_MAJOR:
		*index = minor / XENVBD_MINORS;
		*xvd_major = true;
		return (minor % XENVBD_MINORS) ? -EINVAL : 0;
	case 3:		/* hda, hdb */
		*index = minor >> 6;
		break;
	case 22:	/* hdc, hdd */
		*index = 2 + (minor >> 6);
		break;
	case 8:		/* sda..sdp */
		*index = minor >> 4;
		break;
	default:
		return -ENODEV;
	}
	return 0;
}

static void blkfront_disk_name(char *buf, size_t len, u32 index)
{
	char rev[8];
	int n = 0, i;

	do {
		rev[n++] = 'a' + index % 26;
		index = index / 26;
	} while (index-- && n < (int)sizeof(rev));
	i = snprintf(buf, len, "xvd");
	while (n && i + 1 < (int)len)
		buf[i++] = rev[--n];
	buf[i] = '\0';
}

static void blkfront_fill_limits(struct blkfront_info *info,
				 struct queue_limits *lim)
{
	const struct blkfront_disk_conf *dc = &info->dc;

	lim->logical_block_size = dc->logical_size;
	lim->physical_block_size = dc->physical_size;
	lim->io_min = dc->physical_size;
	lim->max_hw_sectors = dc->segs_per_req *
			      (XEN_PAGE_SIZE >> SECTOR_SHIFT);
	/* Data is packed into our own pages: any bio layout fits. */
	lim->max_segments = USHRT_MAX;
	if (dc->flush)
		lim->features |= BLK_FEAT_WRITE_CACHE;
	if (dc->discard) {
		lim->max_hw_discard_sectors = UINT_MAX >> SECTOR_SHIFT;
		lim->discard_granularity = dc->discard_gran;
		lim->discard_alignment = dc->discard_align;
		if (dc->discard_secure)
			lim->max_secure_erase_sectors = UINT_MAX >> SECTOR_SHIFT;
	}
}

static int blkfront_disk_create(struct blkfront_info *info)
{
	struct blk_mq_tag_set *set = &info->tag_set;
	struct queue_limits lim = {};
	struct gendisk *disk;
	bool xvd_major;
	u32 index;
	int err;

	err = blkfront_vdev_index(info->vdevice, &index, &xvd_major);
	if (err)
		return err;

	memset(set, 0, sizeof(*set));
	set->ops = &blkfront_mq_ops;
	set->nr_hw_queues = info->rc.nr_queues;
	set->queue_depth = info->queues[0].ids.nr;
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		return err;

	blkfront_fill_limits(info, &lim);
	disk = blk_mq_alloc_disk(set, &lim, info);
	if (IS_ERR(disk)) {
		blk_mq_free_tag_set(set);
		return PTR_ERR(disk);
	}
	if (xvd_major) {
		disk->major = XENVBD_MAJOR;
		disk->first_minor = index * XENVBD_MINORS;
		disk->minors = XENVBD_MINORS;
	}
	disk->fops = &blkfront_fops;
	disk->private_data = info;
	blkfront_disk_name(disk->disk_name, sizeof(disk->disk_name), index);
	set_capacity(disk, info->dc.capacity);
	set_disk_ro(disk, info->dc.readonly);
	if (info->dc.removable || info->dc.cdrom)
		disk->flags |= GENHD_FL_REMOVABLE;

	info->disk = disk;
	WRITE_ONCE(info->connected, true);
	err = device_add_disk(&info->xbdev->dev, disk, NULL);
	if (err) {
		WRITE_ONCE(info->connected, false);
		info->disk = NULL;
		put_disk(disk);
		blk_mq_free_tag_set(set);
		return err;
	}
	dev_info(&info->xbdev->dev,
		 "%s: %llu sectors, %u/%u byte sectors%s%s%s%s, %u pages per request\n",
		 disk->disk_name, (unsigned long long)info->dc.capacity,
		 info->dc.logical_size, info->dc.physical_size,
		 info->rc.large_sectors ? " (large sector units)" : "",
		 info->dc.flush ? ", flush" : "",
		 info->dc.discard ? ", discard" : "",
		 info->dc.readonly ? ", read-only" : "",
		 info->dc.segs_per_req);
	return 0;
}

/**
 * blkfront_disk_connect() - expose the disk, or resume it after reconnect
 * @info: the device, connected with buffers set up
 *
 * Return: 0 or a negative errno.
 */
int blkfront_disk_connect(struct blkfront_info *info)
{
	if (!info->disk)
		return blkfront_disk_create(info);

	/* Reconnected underneath an existing disk (resume). */
	if (info->dc.capacity != get_capacity(info->disk))
		set_capacity_and_notify(info->disk, info->dc.capacity);
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
 * blkfront_disk_stop() - stop posting requests before the rings go away
 * @info: the device
 *
 * After this, blkfront_queue_rq() is not running and will not start until
 * blkfront_disk_connect() or blkfront_disk_remove().
 */
void blkfront_disk_stop(struct blkfront_info *info)
{
	WRITE_ONCE(info->connected, false);
	if (info->disk && !info->quiesced) {
		blk_mq_quiesce_queue(info->disk->queue);
		info->quiesced = true;
	}
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
	 * where no timeout finds them; del_gendisk() would wait for them for
	 * ever.  Dispatched now, blkfront_queue_rq() fails them.
	 */
	blk_mq_kick_requeue_list(disk->queue);
	del_gendisk(disk);
	put_disk(disk);
	blk_mq_free_tag_set(&info->tag_set);
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
}
module_exit(blkfront_exit);

MODULE_DESCRIPTION("Xen virtual block device frontend");
MODULE_LICENSE("GPL");
MODULE_ALIAS_BLOCKDEV_MAJOR(XENVBD_MAJOR);
MODULE_ALIAS("xen:vbd");
MODULE_ALIAS("xenblk");
