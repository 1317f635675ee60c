// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkfront negotiation with the backend over xenstore.
 *
 * The frontend follows the backend's state; every transition below is
 * taken from the xenbus "otherend changed" callback (process context, no
 * locks held) or from resume, under info->mutex:
 *
 *   - we are Initialising, the backend is in InitWait: set up and publish
 *     the rings, go to Initialised;
 *   - we are Initialising or Initialised, the backend is Connected: set up
 *     the rings if the backend raced ahead, read the disk, allocate the
 *     buffers, add the disk, go to Connected;
 *   - both are Connected: re-read "sectors" (online resize);
 *   - we are not Closed, the backend is Closing or Closed: tear down the
 *     data path and the disk, go to Closed;
 *   - we are Closed, the backend is back in InitWait: start over.
 *
 *   resume (after save/restore or migration): tear down the rings but
 *   keep the disk and its in-flight requests; the xenbus core resets our
 *   state to Initialising and the table above reconnects.
 *
 * Each action checks what already exists, so a backend that toggles its
 * state quickly or repeats a state cannot make us set something up twice
 * or tear it down twice.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string_choices.h>
#include <linux/workqueue.h>
#include <xen/platform_pci.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xenbus_parse.h>
#include <xen/xenbus_peer.h>
#include <xen/xenbus_state.h>
#include <xen/interface/io/protocols.h>
#include "blkfront.h"

/* A value read from xenstore is at most this long. */
#define BLKFRONT_KEY_MAX_LEN	32

static void blkfront_read_keys(struct blkfront_info *info,
			       struct blkfront_backend *be, u32 keys)
{
	struct xenbus_device *dev = info->xbdev;
	unsigned int k;

	memset(be, 0, sizeof(*be));
	for (k = 0; k < BLKFRONT_KEY_NR; k++) {
		const char *name = blkfront_key_name(k);
		char *val;
		int err;

		if (!(keys & (1u << k)))
			continue;
		val = xenbus_read_peer(dev->otherend, name,
				       BLKFRONT_KEY_MAX_LEN);
		if (PTR_ERR(val) == -ENOENT)
			continue;
		if (IS_ERR(val)) {
			err = PTR_ERR(val);
		} else {
			err = blkfront_parse_key(be, name, val);
			kfree(val);
		}
		if (err)
			dev_warn(&dev->dev, "ignoring malformed backend key %s\n",
				 name);
	}
}

#define RING_KEYS (BIT(BLKFRONT_KEY_MAX_RING_ORDER) | \
		   BIT(BLKFRONT_KEY_MAX_RING_PAGES) | \
		   BIT(BLKFRONT_KEY_MAX_QUEUES) | \
		   BIT(BLKFRONT_KEY_LARGE_SECTORS))
#define DISK_KEYS (GENMASK(BLKFRONT_KEY_NR - 1, 0) & ~RING_KEYS)

static int blkfront_write_ring(struct blkfront_info *info,
			       struct xenbus_transaction xbt,
			       struct blkfront_queue *q, const char *dir)
{
	unsigned int pages = 1u << info->rc.ring_order;
	unsigned int i;
	int err;

	if (pages == 1) {
		err = xenbus_printf(xbt, dir, "ring-ref", "%u", q->ring_refs[0]);
	} else {
		for (i = 0; i < pages; i++) {
			char key[24];

			snprintf(key, sizeof(key), "ring-ref%u", i);
			err = xenbus_printf(xbt, dir, key, "%u", q->ring_refs[i]);
			if (err)
				return err;
		}
	}
	if (err)
		return err;
	return xenbus_printf(xbt, dir, "event-channel", "%u", q->evtchn);
}

/* What blkfront_fill_keys() was writing when it failed. */
struct blkfront_publish_ctx {
	struct blkfront_info *info;
	const char *what;
};

static int blkfront_fill_keys(struct xenbus_transaction xbt, void *arg)
{
	struct blkfront_publish_ctx *ctx = arg;
	struct blkfront_info *info = ctx->info;
	const struct blkfront_ring_conf *rc = &info->rc;
	const char *node = info->xbdev->nodename;
	const struct xenbus_uint_key order_keys[] = {
		{ "ring-page-order", rc->ring_order },
		{ "num-ring-pages", 1u << rc->ring_order },
	};
	const struct xenbus_uint_key feature_keys[] = {
		{ "feature-persistent", rc->persistent },
		{ "feature-large-sector-size", rc->large_sectors },
	};
	unsigned int i;
	int err = 0;

	/* Keys of an earlier connection must not mislead the backend. */
	xenbus_rm(xbt, node, "multi-queue-num-queues");
	xenbus_rm(xbt, node, "ring-page-order");
	xenbus_rm(xbt, node, "num-ring-pages");

	ctx->what = "ring-page-order";
	if (rc->ring_order)
		err = xenbus_write_uints(xbt, node, order_keys,
					 rc->legacy_keys ? 2 : 1);
	if (err)
		return err;
	ctx->what = "rings";
	if (rc->nr_queues == 1)
		err = blkfront_write_ring(info, xbt, &info->queues[0], node);
	else
		err = xenbus_printf(xbt, node, "multi-queue-num-queues", "%u",
				    rc->nr_queues);
	for (i = 0; !err && rc->nr_queues > 1 && i < rc->nr_queues; i++) {
		char *dir = kasprintf(GFP_KERNEL, "%s/queue-%u", node, i);

		if (!dir)
			return -ENOMEM;
		err = blkfront_write_ring(info, xbt, &info->queues[i], dir);
		kfree(dir);
	}
	if (err)
		return err;
	ctx->what = "features";
	err = xenbus_printf(xbt, node, "protocol", "%s",
			    XEN_IO_PROTO_ABI_NATIVE);
	if (!err)
		err = xenbus_write_uints(xbt, node, feature_keys,
					 ARRAY_SIZE(feature_keys));
	return err;
}

static int blkfront_publish(struct blkfront_info *info)
{
	struct blkfront_publish_ctx ctx = { .info = info, .what = "keys" };
	int err;

	err = xenbus_transact(blkfront_fill_keys, &ctx);
	if (err)
		xenbus_dev_fatal(info->xbdev, err, "writing %s", ctx.what);
	return err;
}

/*
 * End the data path in the one safe order: no new requests; the rings'
 * events quiesced, so that no handler can queue fail_work or limits_work
 * again; a work already queued waited for; and only then the irqs unbound
 * and the rings freed.  A fail_work left behind would run after remove
 * freed the device, or close the next connection after a resume; a
 * limits_work would apply an old backend's refusal to the next one.
 */
static void blkfront_stop_io(struct blkfront_info *info, bool requeue)
{
	blkfront_disk_stop(info);
	blkfront_rings_quiesce(info);
	cancel_work_sync(&info->fail_work);
	cancel_work_sync(&info->limits_work);
	blkfront_rings_teardown(info, requeue);
}

/* Backend InitWait: choose the transport, set up the rings, publish. */
static int blkfront_talk(struct blkfront_info *info)
{
	struct blkfront_backend be;
	int err;

	if (info->queues)
		return 0;	/* already done for this connection */
	/* The last connection's buffers first: their grants are needed. */
	blkfront_retired_release(info, false);
	if (info->nr_retired > BLKFRONT_RETIRED_MAX) {
		xenbus_dev_fatal(info->xbdev, -EBUSY,
				 "the backend still maps %u pages of ended connections",
				 info->nr_retired);
		return -EBUSY;
	}
	/* The module parameters as they are now, for this connection. */
	blkfront_limits_init(&info->lim);
	blkfront_read_keys(info, &be, RING_KEYS);
	blkfront_choose_ring(&be, &info->lim, &info->rc);
	/*
	 * A disk that survives a reconnect keeps its hardware queues; more
	 * rings than those would never be used, fewer are shared.
	 */
	if (info->disk && info->rc.nr_queues > info->tag_set.nr_hw_queues)
		info->rc.nr_queues = info->tag_set.nr_hw_queues;

	info->queues = kcalloc(info->rc.nr_queues, sizeof(*info->queues),
			       GFP_KERNEL);
	if (!info->queues)
		return -ENOMEM;
	err = blkfront_rings_setup(info);
	if (!err)
		err = blkfront_publish(info);
	if (err) {
		blkfront_stop_io(info, false);
		kfree(info->queues);
		info->queues = NULL;
		return err;
	}
	dev_info(&info->xbdev->dev,
		 "%u queue(s), ring order %u, persistent grants %s\n",
		 info->rc.nr_queues, info->rc.ring_order,
		 str_on_off(info->rc.persistent));
	return xenbus_switch_state(info->xbdev, XENBUS_STATE_INITIALISED);
}

/* Backend Connected: learn the disk, allocate buffers, expose the disk. */
static int blkfront_connect(struct blkfront_info *info)
{
	struct xenbus_device *dev = info->xbdev;
	struct blkfront_backend be;
	int err;

	blkfront_read_keys(info, &be, DISK_KEYS);
	err = blkfront_describe_disk(&be, &info->lim, &info->rc, &info->dc);
	if (err) {
		xenbus_dev_fatal(dev, err, "backend describes an unusable disk");
		return err;
	}
	err = blkfront_bufs_setup(info);
	if (err) {
		xenbus_dev_fatal(dev, err, "allocating buffers");
		return err;
	}
	err = blkfront_disk_connect(info);
	if (err) {
		xenbus_dev_fatal(dev, err, "adding the disk");
		return err;
	}
	return xenbus_switch_state(dev, XENBUS_STATE_CONNECTED);
}

/* Backend Connected again while we are: it may have resized the disk. */
static void blkfront_recheck(struct blkfront_info *info)
{
	struct blkfront_backend be;
	struct blkfront_disk_conf dc;

	blkfront_read_keys(info, &be, DISK_KEYS);
	if (blkfront_describe_disk(&be, &info->lim, &info->rc, &dc))
		return;
	if (dc.capacity != info->dc.capacity) {
		info->dc.capacity = dc.capacity;
		blkfront_disk_resized(info);
	}
}

/* Tear the connection down completely; the device may start over. */
static void blkfront_disconnect(struct blkfront_info *info)
{
	blkfront_stop_io(info, false);
	blkfront_disk_remove(info);
	kfree(info->queues);
	info->queues = NULL;
}

static void blkfront_backend_changed(struct xenbus_device *dev,
				     enum xenbus_state backend_state)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);

	dev_dbg(&dev->dev, "backend %s, we are %s\n",
		xenbus_strstate(backend_state), xenbus_strstate(dev->state));
	mutex_lock(&info->mutex);
	switch (backend_state) {
	case XENBUS_STATE_INITWAIT:
		if (dev->state == XENBUS_STATE_CLOSED) {
			blkfront_disconnect(info);
			xenbus_switch_state(dev, XENBUS_STATE_INITIALISING);
		}
		if (dev->state == XENBUS_STATE_INITIALISING)
			blkfront_talk(info);
		break;
	case XENBUS_STATE_CONNECTED:
		if (dev->state == XENBUS_STATE_INITIALISING &&
		    blkfront_talk(info))
			break;
		if (dev->state == XENBUS_STATE_INITIALISED)
			blkfront_connect(info);
		else if (dev->state == XENBUS_STATE_CONNECTED)
			blkfront_recheck(info);
		break;
	case XENBUS_STATE_CLOSING:
	case XENBUS_STATE_CLOSED:
		if (dev->state != XENBUS_STATE_CLOSED) {
			blkfront_disconnect(info);
			xenbus_frontend_closed(dev);
		}
		/* A closed backend has unmapped our buffers. */
		if (backend_state == XENBUS_STATE_CLOSED)
			blkfront_retired_release(info, false);
		break;
	default:
		break;
	}
	mutex_unlock(&info->mutex);
}

/**
 * blkfront_fail() - a ring saw a protocol violation
 * @q: the ring, already marked broken
 * @why: what the backend did
 *
 * Called from the event handler.  The device is switched to Closing from
 * process context; its requests fail or wait for teardown.
 */
void blkfront_fail(struct blkfront_queue *q, const char *why)
{
	struct blkfront_info *info = q->info;

	dev_err(&info->xbdev->dev, "ring %u: %s; disconnecting\n", q->index,
		why);
	schedule_work(&info->fail_work);
}

static void blkfront_fail_work(struct work_struct *work)
{
	struct blkfront_info *info = container_of(work, struct blkfront_info,
						  fail_work);

	xenbus_dev_fatal(info->xbdev, -EPROTO, "backend broke the protocol");
}

/*
 * In an HVM guest whose emulated disks were not unplugged, a number that
 * names an emulated disk is that disk, not ours; and an HVM guest keeps
 * its emulated cdrom.  Linux's blkfront has always left both alone.
 */
static int blkfront_hvm_check(struct xenbus_device *dev, u32 vdevice)
{
	struct blkfront_vdev vd;
	char *type;
	bool cdrom;

	if (xen_has_pv_and_legacy_disk_devices() &&
	    (blkfront_vdev_map(vdevice, &vd) || vd.emulated)) {
		dev_info(&dev->dev, "HVM: vbd %#x is an emulated disk; skipped\n",
			 vdevice);
		return -ENODEV;
	}
	type = xenbus_read(XBT_NIL, dev->nodename, "device-type", NULL);
	if (IS_ERR(type))
		return -ENODEV;
	cdrom = !strncmp(type, "cdrom", 5);
	kfree(type);
	return cdrom ? -ENODEV : 0;
}

static int blkfront_probe(struct xenbus_device *dev,
			  const struct xenbus_device_id *id)
{
	struct blkfront_info *info;
	u64 vdevice;
	char *val;
	int err;

	val = xenbus_read(XBT_NIL, dev->nodename, "virtual-device", NULL);
	if (IS_ERR(val))
		val = xenbus_read(XBT_NIL, dev->nodename,
				  "virtual-device-ext", NULL);
	if (IS_ERR(val)) {
		xenbus_dev_fatal(dev, PTR_ERR(val), "reading virtual-device");
		return PTR_ERR(val);
	}
	err = xenbus_parse_uint(val, U32_MAX, &vdevice);
	kfree(val);
	if (err) {
		xenbus_dev_fatal(dev, err, "parsing virtual-device");
		return err;
	}
	if (xen_hvm_domain()) {
		err = blkfront_hvm_check(dev, vdevice);
		if (err)
			return err;
	}

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->xbdev = dev;
	info->vdevice = vdevice;
	info->handle = vdevice;
	info->trusted = blkfront_trusted(dev);
	mutex_init(&info->mutex);
	INIT_WORK(&info->fail_work, blkfront_fail_work);
	INIT_LIST_HEAD(&info->retired);
	INIT_WORK(&info->limits_work, blkfront_limits_work);
	spin_lock_init(&info->resubmit_lock);
	bio_list_init(&info->resubmit);
	INIT_WORK(&info->resubmit_work, blkfront_resubmit_work);
	blkfront_limits_init(&info->lim);
	dev_set_drvdata(&dev->dev, info);
	if (!info->trusted)
		dev_info(&dev->dev, "backend not trusted (data is always bounced)\n");
	return 0;
}

static void blkfront_remove(struct xenbus_device *dev)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);

	mutex_lock(&info->mutex);
	/* After this nothing can queue fail_work again, and it is done. */
	blkfront_disconnect(info);
	blkfront_retired_release(info, true);
	mutex_unlock(&info->mutex);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(info);
}

static int blkfront_resume(struct xenbus_device *dev)
{
	struct blkfront_info *info = dev_get_drvdata(&dev->dev);

	mutex_lock(&info->mutex);
	/* A fail_work of the old connection must not close the new one. */
	blkfront_stop_io(info, true);
	kfree(info->queues);
	info->queues = NULL;
	mutex_unlock(&info->mutex);
	return 0;
}

static ssize_t grants_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&blkfront_nr_grants));
}
static DRIVER_ATTR_RO(grants);

static ssize_t pages_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&blkfront_nr_pages));
}
static DRIVER_ATTR_RO(pages);

static ssize_t lost_pages_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&blkfront_nr_lost));
}
static DRIVER_ATTR_RO(lost_pages);

static struct attribute *blkfront_drv_attrs[] = {
	&driver_attr_grants.attr,
	&driver_attr_pages.attr,
	&driver_attr_lost_pages.attr,
	NULL
};
ATTRIBUTE_GROUPS(blkfront_drv);

static const struct xenbus_device_id blkfront_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver blkfront_driver = {
	.ids = blkfront_ids,
	.probe = blkfront_probe,
	.remove = blkfront_remove,
	.resume = blkfront_resume,
	.otherend_changed = blkfront_backend_changed,
	.not_essential = true,
	.driver.groups = blkfront_drv_groups,
};

/**
 * blkfront_xenbus_register() - register the xenbus frontend driver
 *
 * Return: 0 or a negative errno.
 */
int blkfront_xenbus_register(void)
{
	return xenbus_register_frontend(&blkfront_driver);
}

/**
 * blkfront_xenbus_unregister() - unregister the xenbus frontend driver
 */
void blkfront_xenbus_unregister(void)
{
	xenbus_unregister_driver(&blkfront_driver);
}
