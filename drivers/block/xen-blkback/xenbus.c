// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-blkback: the xenbus backend device and the module.
 *
 * Two things must be known before a device can connect: the block device
 * (the hotplug script writes "physical-device" once it has set it up) and
 * the frontend's rings (the frontend reaches Initialised).  Either may come
 * first; blkback_try_connect() runs after each and connects when both are
 * there.  All transitions run in the xenwatch thread under be->mutex:
 *
 *   - probe: advertise the ring features, watch "physical-device", go to
 *     InitWait;
 *   - frontend Initialised or Connected (and the block device known): read
 *     the frontend's keys once, map its rings, start a thread per ring,
 *     write the disk description, go to Connected;
 *   - frontend Closing: stop the rings (waiting for I/O in flight), go to
 *     Closing;
 *   - frontend Closed: the same, go to Closed, and remove the device if
 *     the toolstack has taken it offline;
 *   - frontend back in Initialising while we are Closed: go to InitWait
 *     again, so that it can reconnect; frontend already Initialised while
 *     we are Closed: go to InitWait and connect.  Never InitWait once the
 *     frontend is closing again (blkback_initwait()).
 *
 * A ring thread that sees the frontend break the protocol switches the
 * device to Closing with xenbus_dev_fatal(); the frontend then closes and
 * the rules above tear the connection down.
 */
#define pr_fmt(fmt) "xen-blkback: " fmt

#include <linux/blkdev.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string_choices.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xenbus_parse.h>
#include <xen/xenbus_peer.h>
#include <xen/xenbus_state.h>
#include "blkback.h"

static unsigned int max_ring_page_order = BLKBACK_MAX_RING_ORDER;
module_param(max_ring_page_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "Log2 of the most pages per ring a frontend may use (0..4, default 4)");

/*
 * Runtime-writable parameters are read with READ_ONCE() when a device
 * advertises its features (probe, and each return to InitWait), so a
 * change applies from the next connection on.
 */
static unsigned int max_queues = 4;
module_param(max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues, "Most rings per device a frontend may use (default 4, 0 for the number of online CPUs, at most 16); a change applies to the next connection");

static unsigned int max_indirect_segments = 64;
module_param(max_indirect_segments, uint, 0644);
MODULE_PARM_DESC(max_indirect_segments, "Most data pages per indirect request (default 64, 0 disables indirect requests); a change applies to the next connection");

static bool feature_persistent = true;
module_param(feature_persistent, bool, 0644);
MODULE_PARM_DESC(feature_persistent, "Offer feature-persistent: keep the frontend's pages mapped (default on); a change applies to the next connection");

/* Read by ring.c through blkback_max_persistent_grants. */
unsigned int blkback_max_persistent_grants = 1056;
module_param_named(max_persistent_grants, blkback_max_persistent_grants,
		   uint, 0644);
MODULE_PARM_DESC(max_persistent_grants, "Most frontend pages each ring keeps mapped (default 1056); others are grant-copied; a change applies to the next connection");

/* Written by the parameter, read with READ_ONCE() by blkback_reclaim(). */
static unsigned int buffer_squeeze_duration_ms = 10;
module_param(buffer_squeeze_duration_ms, uint, 0644);
MODULE_PARM_DESC(buffer_squeeze_duration_ms, "Milliseconds during which the rings keep no spare pages once memory runs short (default 10)");

static bool large_sectors = true;
module_param(large_sectors, bool, 0444);
MODULE_PARM_DESC(large_sectors, "Offer feature-large-sector-size (default on)");

/* A xenstore value we parse is at most this long. */
#define BLKBACK_VAL_MAX		32

static u32 blkback_ring_order_limit(void)
{
	return min_t(u32, max_ring_page_order, BLKBACK_MAX_RING_ORDER);
}

static u32 blkback_queue_limit(void)
{
	u32 n = READ_ONCE(max_queues);

	if (!n)
		n = num_online_cpus();
	return clamp_t(u32, n, 1, BLKBACK_MAX_QUEUES);
}

static u32 blkback_indirect_limit(void)
{
	u32 segs = min_t(u32, READ_ONCE(max_indirect_segments),
			 BLKBACK_MAX_INDIRECT_SEGS);

	return segs > BLKIF_MAX_SEGMENTS_PER_REQUEST ? segs : 0;
}

/* Read one number the frontend wrote under @dir; -ENOENT if absent. */
static int blkback_read_uint(const char *dir, const char *key, u64 max,
			     u64 *val)
{
	char *s = xenbus_read_peer(dir, key, BLKBACK_VAL_MAX);
	int err;

	if (IS_ERR(s))
		return PTR_ERR(s) == -ENOENT ? -ENOENT : -EINVAL;
	err = xenbus_parse_uint(s, max, val);
	kfree(s);
	return err;
}

static int blkback_read_frontend(struct blkback_dev *be)
{
	struct xenbus_device *dev = be->xbdev;
	struct blkback_frontend fe = {};
	unsigned int k;
	char *proto;
	int err;

	for (k = 0; k < BLKBACK_FE_NR; k++) {
		const char *key = blkback_fe_key_name(k);
		char *s = xenbus_read_peer(dev->otherend, key, BLKBACK_VAL_MAX);

		if (PTR_ERR(s) == -ENOENT)
			continue;
		if (IS_ERR(s)) {
			err = -EINVAL;
		} else {
			err = blkback_parse_key(&fe, key, s);
			kfree(s);
		}
		if (err) {
			xenbus_dev_fatal(dev, err, "frontend key %s", key);
			return err;
		}
	}
	/* Judged against what the store shows, not today's parameters. */
	err = blkback_choose_ring(&fe, &be->offer, &be->rc);
	if (err) {
		xenbus_dev_fatal(dev, err, "frontend asks for an unusable ring");
		return err;
	}
	if (!large_sectors)
		be->rc.large_sectors = false;

	proto = xenbus_read(XBT_NIL, dev->otherend, "protocol", NULL);
	err = blkback_parse_protocol(IS_ERR(proto) ? NULL : proto, &be->abi);
	if (!IS_ERR(proto))
		kfree(proto);
	if (err)
		xenbus_dev_fatal(dev, err, "unknown frontend protocol");
	return err;
}

/* Ring references and event channels, queue by queue. */
static int blkback_read_rings(struct blkback_dev *be, u32 *refs, u32 *ports)
{
	struct xenbus_device *dev = be->xbdev;
	unsigned int pages = 1u << be->rc.ring_order;
	unsigned int q, i;
	int err = 0;

	for (q = 0; q < be->rc.nr_queues && !err; q++) {
		char *dir;
		u64 v;

		if (be->rc.nr_queues == 1)
			dir = kstrdup(dev->otherend, GFP_KERNEL);
		else
			dir = kasprintf(GFP_KERNEL, "%s/queue-%u", dev->otherend,
					q);
		if (!dir)
			return -ENOMEM;
		for (i = 0; i < pages && !err; i++) {
			char key[24];

			if (pages == 1)
				strscpy(key, "ring-ref");
			else
				snprintf(key, sizeof(key), "ring-ref%u", i);
			err = blkback_read_uint(dir, key, U32_MAX, &v);
			refs[q * pages + i] = v;
		}
		if (!err) {
			err = blkback_read_uint(dir, "event-channel", U32_MAX,
						&v);
			ports[q] = v;
		}
		kfree(dir);
	}
	if (err)
		xenbus_dev_fatal(dev, err, "reading the frontend's ring keys");
	return err;
}

/*
 * The toolstack's "discard-enable" in our directory (xl's no-discard
 * writes 0), read at each connect as Linux's blkback reads it.
 */
static bool blkback_discard_allowed(struct blkback_dev *be)
{
	char *s = xenbus_read(XBT_NIL, be->xbdev->nodename, "discard-enable",
			      NULL);
	bool allowed = blkback_discard_enabled(IS_ERR(s) ? NULL : s);

	if (!IS_ERR(s))
		kfree(s);
	return allowed;
}

static void blkback_describe(struct blkback_dev *be)
{
	struct block_device *bdev = be->bdev;
	struct gendisk *disk = bdev->bd_disk;
	u32 shift = SECTOR_SHIFT;

	if (be->rc.large_sectors)
		shift = ilog2(bdev_logical_block_size(bdev));
	be->size = bdev_nr_sectors(bdev);
	memset(&be->disk, 0, sizeof(be->disk));
	be->disk.sect_shift = shift;
	be->disk.nr_sectors = be->size >> (shift - SECTOR_SHIFT);
	be->disk.readonly = be->readonly || bdev_read_only(bdev);
	be->disk.cdrom = be->cdrom || disk_to_cdi(disk);
	be->disk.removable = disk->flags & GENHD_FL_REMOVABLE;
	be->disk.flush = bdev_write_cache(bdev);
	/*
	 * Offered with flush, as Linux's blkback does: a barrier is carried
	 * out as a flushing FUA write once the ring's earlier requests are
	 * done (ring.c).
	 */
	be->disk.barrier = be->disk.flush;
	be->discard_allowed = blkback_discard_allowed(be);
	be->disk.discard = be->discard_allowed && !be->disk.readonly &&
			   bdev_max_discard_sectors(bdev);
	be->disk.discard_secure = be->disk.discard &&
				  bdev_max_secure_erase_sectors(bdev);
	/* What the frontend read: a later change is for the next one. */
	be->disk.max_indirect_segs = be->offer.max_indirect;
}

/* Remove keys of an earlier connection; an absent one is no error. */
static int blkback_rm_keys(struct xenbus_transaction xbt, const char *dir,
			   const char *const *keys, unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = xenbus_rm(xbt, dir, keys[i]);
		if (err && err != -ENOENT)
			return err;
	}
	return 0;
}

/*
 * The discard keys, written as Linux's blkback writes them: all four with
 * feature-discard = 1, only feature-discard = 0 when the device cannot
 * discard, and none when the toolstack disabled discard.  Those not
 * written are removed, in case an earlier connection wrote them.
 */
static const char *const blkback_discard_keys[4] = {
	"feature-discard", "discard-granularity", "discard-alignment",
	"discard-secure",
};

static int blkback_fill_disk(struct xenbus_transaction xbt, void *arg)
{
	struct blkback_dev *be = arg;
	struct block_device *bdev = be->bdev;
	const struct blkback_disk *d = &be->disk;
	const char *dir = be->xbdev->nodename;
	u32 lbs = bdev_logical_block_size(bdev);
	const struct xenbus_uint_key keys[] = {
		{ "sectors", d->nr_sectors },
		{ "info", blkback_info(d) },
		{ "sector-size", lbs },
		{ "physical-sector-size", bdev_physical_block_size(bdev) },
		{ "feature-flush-cache", d->flush },
		{ "feature-barrier", d->barrier },
	};
	const struct xenbus_uint_key discard[] = {
		{ blkback_discard_keys[0], d->discard },
		{ blkback_discard_keys[1],
		  max(bdev_discard_granularity(bdev), lbs) },
		{ blkback_discard_keys[2], bdev_discard_alignment(bdev) },
		{ blkback_discard_keys[3], d->discard_secure },
	};
	unsigned int nr_discard = ARRAY_SIZE(discard);
	int err;

	if (!d->discard)
		nr_discard = be->discard_allowed ? 1 : 0;
	err = xenbus_write_uints(xbt, dir, keys, ARRAY_SIZE(keys));
	if (!err)
		err = xenbus_write_uints(xbt, dir, discard, nr_discard);
	if (!err)
		err = blkback_rm_keys(xbt, dir,
				      blkback_discard_keys + nr_discard,
				      ARRAY_SIZE(blkback_discard_keys) -
				      nr_discard);
	return err;
}

static int blkback_write_disk(struct blkback_dev *be)
{
	return xenbus_transact(blkback_fill_disk, be);
}

/*
 * Connect once both the block device and the frontend's rings are known.
 * Only from InitWait, which the store shows before the connect starts.
 * Connecting while the store still said Closed let a frontend that toggles
 * quickly see us Closed, replace its ring keys and wait in Initialising
 * for an InitWait that never came: we turned Connected to the old keys,
 * and each later watch event read Initialising, which a Connected backend
 * ignores.
 */
static void blkback_try_connect(struct blkback_dev *be)
{
	struct xenbus_device *dev = be->xbdev;
	enum xenbus_state fstate;
	u32 *refs = NULL, *ports = NULL;
	int err;

	if (be->rings || !be->bdev || dev->state != XENBUS_STATE_INITWAIT)
		return;
	fstate = xenbus_read_driver_state(dev->otherend);
	if (fstate != XENBUS_STATE_INITIALISED &&
	    fstate != XENBUS_STATE_CONNECTED)
		return;
	if (blkback_read_frontend(be))
		return;
	refs = kcalloc(be->rc.nr_queues << be->rc.ring_order, sizeof(*refs),
		       GFP_KERNEL);
	ports = kcalloc(be->rc.nr_queues, sizeof(*ports), GFP_KERNEL);
	if (!refs || !ports) {
		err = -ENOMEM;
		goto out;
	}
	err = blkback_read_rings(be, refs, ports);
	if (err)
		goto out;
	blkback_describe(be);
	err = blkback_rings_start(be, refs, ports);
	if (err) {
		xenbus_dev_fatal(dev, err, "mapping the frontend's rings");
		goto out;
	}
	err = blkback_write_disk(be);
	if (err) {
		blkback_rings_stop(be);
		xenbus_dev_fatal(dev, err, "writing the disk description");
		goto out;
	}
	xenbus_switch_state(dev, XENBUS_STATE_CONNECTED);
	dev_info(&dev->dev,
		 "connected: %u ring(s) of %u page(s), %s ABI, %llu sectors of %u bytes, persistent grants %s\n",
		 be->rc.nr_queues, 1u << be->rc.ring_order,
		 be->abi == BLKBACK_ABI_X86_32 ? "x86_32" :
		 be->abi == BLKBACK_ABI_X86_64 ? "x86_64" : "native",
		 (unsigned long long)be->disk.nr_sectors,
		 1u << be->disk.sect_shift,
		 str_on_off(be->rc.persistent));
out:
	kfree(refs);
	kfree(ports);
}

/*
 * Opens the disk without a holder, so not exclusively: during a migration
 * to the same host the incoming domain's backend opens the disk while the
 * outgoing one still holds it, and domains may share a read-only disk.
 * Who may use a disk is the toolstack's decision (its hotplug script's),
 * as with upstream's backend.
 */
static int blkback_open_bdev(struct blkback_dev *be, dev_t devt)
{
	blk_mode_t mode = BLK_OPEN_READ | (be->readonly ? 0 : BLK_OPEN_WRITE);
	struct file *f;

	f = bdev_file_open_by_dev(devt, mode, NULL, NULL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	be->bdev_file = f;
	be->bdev = file_bdev(f);
	be->devt = devt;
	return 0;
}

/* The hotplug script wrote (or rewrote) "physical-device". */
static void blkback_physdev_changed(struct xenbus_watch *watch,
				    const char *path, const char *token)
{
	struct blkback_dev *be = container_of(watch, struct blkback_dev, watch);
	struct xenbus_device *dev = be->xbdev;
	unsigned int major, minor;
	char *mode, *type;
	u64 handle;
	dev_t devt;
	int err;

	err = xenbus_scanf(XBT_NIL, dev->nodename, "physical-device", "%x:%x",
			   &major, &minor);
	if (err != 2)
		return;	/* not written yet */
	devt = MKDEV(major, minor);

	mutex_lock(&be->mutex);
	if (be->bdev) {
		if (devt != be->devt)
			dev_warn(&dev->dev, "changing physical-device is not supported\n");
		goto out;
	}
	mode = xenbus_read(XBT_NIL, dev->nodename, "mode", NULL);
	be->readonly = IS_ERR(mode) || !strchr(mode, 'w');
	if (!IS_ERR(mode))
		kfree(mode);
	type = xenbus_read(XBT_NIL, dev->nodename, "device-type", NULL);
	be->cdrom = !IS_ERR(type) && !strcmp(type, "cdrom");
	if (!IS_ERR(type))
		kfree(type);
	be->handle = 0;
	if (!blkback_read_uint(dev->nodename, "handle", U32_MAX, &handle))
		be->handle = handle;

	err = blkback_open_bdev(be, devt);
	if (err) {
		xenbus_dev_fatal(dev, err, "opening device %x:%x", major, minor);
		goto out;
	}
	blkback_try_connect(be);
out:
	mutex_unlock(&be->mutex);
}

static int blkback_fill_features(struct xenbus_transaction xbt, void *arg)
{
	struct blkback_dev *be = arg;
	const struct xenbus_uint_key keys[] = {
		{ "max-ring-page-order", be->offer.max_ring_order },
		{ "multi-queue-max-queues", be->offer.max_queues },
		{ "feature-max-indirect-segments", be->offer.max_indirect },
		{ "feature-persistent", be->offer.persistent },
		{ "feature-large-sector-size", large_sectors },
	};

	return xenbus_write_uints(xbt, be->xbdev->nodename, keys,
				  ARRAY_SIZE(keys));
}

/*
 * Take the limits from the module parameters as they are now, and write
 * them to the store.  Before every InitWait, so that a parameter changed
 * at runtime applies to the next connection, and the frontend's choice is
 * judged against what it read.
 */
static int blkback_advertise(struct blkback_dev *be)
{
	struct blkback_limits old = be->offer;
	int err;

	be->offer.max_ring_order = blkback_ring_order_limit();
	be->offer.max_queues = blkback_queue_limit();
	be->offer.persistent = READ_ONCE(feature_persistent);
	be->offer.max_indirect = blkback_indirect_limit();
	err = xenbus_transact(blkback_fill_features, be);
	if (err)
		be->offer = old;	/* the transaction wrote nothing */
	return err;
}

static int blkback_probe(struct xenbus_device *dev,
			 const struct xenbus_device_id *id)
{
	struct blkback_dev *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return -ENOMEM;
	be->xbdev = dev;
	mutex_init(&be->mutex);
	/* Not squeezing: a zero would lie in the future just after boot. */
	be->squeeze_end = jiffies;
	dev_set_drvdata(&dev->dev, be);

	err = blkback_advertise(be);
	if (err)
		goto fail;
	err = xenbus_watch_pathfmt(dev, &be->watch, NULL,
				   blkback_physdev_changed, "%s/%s",
				   dev->nodename, "physical-device");
	if (err)
		goto fail;
	be->watch_set = true;
	err = xenbus_switch_state(dev, XENBUS_STATE_INITWAIT);
	if (err)
		goto fail_watch;
	return 0;

fail_watch:
	unregister_xenbus_watch(&be->watch);
	kfree(be->watch.node);
fail:
	xenbus_dev_fatal(dev, err, "setting up the backend");
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
	return err;
}

static void blkback_remove(struct xenbus_device *dev)
{
	struct blkback_dev *be = dev_get_drvdata(&dev->dev);

	if (be->watch_set) {
		unregister_xenbus_watch(&be->watch);
		kfree(be->watch.node);
		be->watch_set = false;
	}
	mutex_lock(&be->mutex);
	blkback_rings_stop(be);
	if (be->bdev_file) {
		bdev_fput(be->bdev_file);
		be->bdev_file = NULL;
		be->bdev = NULL;
	}
	mutex_unlock(&be->mutex);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
}

/* Commits blkback_initwait() tries before it writes outside a transaction. */
#define BLKBACK_INITWAIT_TRIES	8

static bool blkback_fe_closing(int fstate)
{
	return fstate == XENBUS_STATE_CLOSING || fstate == XENBUS_STATE_CLOSED;
}

/*
 * InitWait, unless the frontend is closing again.  Its state is read in
 * the same transaction as our write, so a write of the frontend in between
 * fails the commit and we look again.  When we do not write, its later
 * write has queued an event of its own, which acts on what it says now.
 * Others' writes can fail commits too (oxenstored), and a frontend that
 * keeps writing could fail every one, so after a few tries, or an error of
 * the store, we look once more and write outside a transaction, as
 * xenbus_switch_state() does.  Returns whether we are in InitWait.
 */
static bool blkback_initwait(struct xenbus_device *dev)
{
	struct xenbus_transaction xbt;
	int tries = BLKBACK_INITWAIT_TRIES;
	int own, fstate, err;

	if (dev->state == XENBUS_STATE_INITWAIT)
		return true;
	do {
		if (xenbus_transaction_start(&xbt))
			break;
		err = xenbus_scanf(xbt, dev->nodename, "state", "%d", &own);
		if (err == 1)
			err = xenbus_scanf(xbt, dev->otherend, "state", "%d",
					   &fstate);
		if (err != 1 || blkback_fe_closing(fstate)) {
			xenbus_transaction_end(xbt, 1);
			/*
			 * A state node removed: the device is going away.
			 * Ours is not written again, as xenbus_switch_state()
			 * does not.
			 */
			if (err == 1 || err == -ENOENT)
				return false;
			break;
		}
		err = xenbus_printf(xbt, dev->nodename, "state", "%d",
				    XENBUS_STATE_INITWAIT);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			break;
		}
		err = xenbus_transaction_end(xbt, 0);
		if (!err) {
			dev->state = XENBUS_STATE_INITWAIT;
			return true;
		}
	} while (err == -EAGAIN && --tries);
	if (blkback_fe_closing(xenbus_read_driver_state(dev->otherend)))
		return false;
	xenbus_switch_state(dev, XENBUS_STATE_INITWAIT);
	return dev->state == XENBUS_STATE_INITWAIT;
}

static void blkback_frontend_changed(struct xenbus_device *dev,
				     enum xenbus_state fstate)
{
	struct blkback_dev *be = dev_get_drvdata(&dev->dev);
	bool unregister = false;

	dev_dbg(&dev->dev, "frontend %s, we are %s\n", xenbus_strstate(fstate),
		xenbus_strstate(dev->state));
	mutex_lock(&be->mutex);
	switch (fstate) {
	case XENBUS_STATE_INITIALISING:
		/*
		 * Starting over after a close.  We may still be Closing if
		 * the frontend's Closed came and went between two events,
		 * or if a ring thread closed the device (its rings are still
		 * up then).
		 */
		if (dev->state == XENBUS_STATE_CLOSED ||
		    dev->state == XENBUS_STATE_CLOSING) {
			blkback_rings_stop(be);
			/* On failure both keep the previous offer. */
			if (blkback_advertise(be))
				dev_warn(&dev->dev, "could not update the features\n");
			blkback_initwait(dev);
		}
		break;
	case XENBUS_STATE_INITIALISED:
	case XENBUS_STATE_CONNECTED:
		/*
		 * Its Initialising came and went between two events (it
		 * writes Initialised right after Initialising when our
		 * InitWait is already in the store).  Say InitWait before
		 * connecting, so that the store never shows Closed while a
		 * connect is under way.
		 */
		if (dev->state == XENBUS_STATE_CLOSED)
			blkback_initwait(dev);
		blkback_try_connect(be);
		break;
	case XENBUS_STATE_CLOSING:
		blkback_rings_stop(be);
		xenbus_switch_state(dev, XENBUS_STATE_CLOSING);
		break;
	case XENBUS_STATE_CLOSED:
	case XENBUS_STATE_UNKNOWN:
		blkback_rings_stop(be);
		xenbus_switch_state(dev, XENBUS_STATE_CLOSED);
		unregister = fstate == XENBUS_STATE_UNKNOWN ||
			     !xenbus_dev_is_online(dev);
		break;
	default:
		break;
	}
	mutex_unlock(&be->mutex);
	if (unregister)
		device_unregister(&dev->dev);
}

/**
 * blkback_frontend_broken() - a ring saw the frontend break the protocol
 * @ring: the ring, already marked broken
 * @why: what the frontend did
 *
 * Called from the ring's thread, without locks.  Only this device is
 * closed; other devices and the backend domain carry on.
 */
void blkback_frontend_broken(struct blkback_ring *ring, const char *why)
{
	struct xenbus_device *dev = ring->be->xbdev;

	dev_err(&dev->dev, "ring %u: frontend %s; closing the device\n",
		ring->index, why);
	xenbus_dev_fatal(dev, -EPROTO, "frontend broke the protocol: %s", why);
}

/*
 * Memory is short (the xenbus backend shrinker calls this): for
 * buffer_squeeze_duration_ms the rings keep no spare pages.  Runs under
 * the xenbus device's reclaim_sem, which probe and remove hold too, so
 * @be stays.  Never sleeps: a device whose mutex is busy has its rings'
 * pools emptied when their threads next wake.
 */
static void blkback_reclaim(struct xenbus_device *dev)
{
	struct blkback_dev *be = dev_get_drvdata(&dev->dev);
	unsigned int i;

	if (!be)
		return;
	WRITE_ONCE(be->squeeze_end, jiffies +
		   msecs_to_jiffies(READ_ONCE(buffer_squeeze_duration_ms)));
	if (!mutex_trylock(&be->mutex))
		return;
	for (i = 0; be->rings && i < be->rc.nr_queues; i++)
		wake_up(&be->rings[i].wq);
	mutex_unlock(&be->mutex);
}

static int blkback_fill_resize(struct xenbus_transaction xbt, void *arg)
{
	struct blkback_dev *be = arg;
	struct xenbus_device *dev = be->xbdev;
	const struct xenbus_uint_key keys[] = {
		{ "sectors", be->disk.nr_sectors },
		/* Rewriting our state makes the frontend look again. */
		{ "state", dev->state },
	};

	return xenbus_write_uints(xbt, dev->nodename, keys, ARRAY_SIZE(keys));
}

/**
 * blkback_announce_resize() - tell the frontend the device changed size
 * @be: the connected device
 *
 * Called from the thread of ring 0, which is the only one that updates
 * @be->size; the other rings only read @be->disk.nr_sectors.
 */
void blkback_announce_resize(struct blkback_dev *be)
{
	sector_t size = bdev_nr_sectors(be->bdev);

	be->size = size;
	WRITE_ONCE(be->disk.nr_sectors,
		   size >> (be->disk.sect_shift - SECTOR_SHIFT));
	if (!xenbus_transact(blkback_fill_resize, be))
		dev_info(&be->xbdev->dev, "resized to %llu sectors\n",
			 (unsigned long long)be->disk.nr_sectors);
}

static ssize_t ring_pages_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&blkback_nr_ring_pages));
}
static DRIVER_ATTR_RO(ring_pages);

static ssize_t pages_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&blkback_nr_pages));
}
static DRIVER_ATTR_RO(pages);

static ssize_t persistent_grants_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&blkback_nr_pgrants));
}
static DRIVER_ATTR_RO(persistent_grants);

static ssize_t lost_pages_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&blkback_nr_pgrants_lost));
}
static DRIVER_ATTR_RO(lost_pages);

static ssize_t inflight_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&blkback_nr_inflight));
}
static DRIVER_ATTR_RO(inflight);

static struct attribute *blkback_drv_attrs[] = {
	&driver_attr_ring_pages.attr,
	&driver_attr_pages.attr,
	&driver_attr_inflight.attr,
	&driver_attr_persistent_grants.attr,
	&driver_attr_lost_pages.attr,
	NULL
};
ATTRIBUTE_GROUPS(blkback_drv);

/*
 * Per-device attributes, with the names, formats and meaning of upstream's
 * (Documentation/ABI/stable/sysfs-bus-xen-backend), which toolstacks'
 * tools such as xentop read.  They exist while the driver is bound, and
 * so while the device's drvdata does.
 */

/* "major:minor" in hex of the opened block device, "0:0" before. */
static ssize_t physical_device_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct blkback_dev *be = dev_get_drvdata(dev);
	dev_t devt;

	if (mutex_lock_interruptible(&be->mutex))
		return -EINTR;
	devt = be->devt;	/* set when the device is opened */
	mutex_unlock(&be->mutex);
	return sysfs_emit(buf, "%x:%x\n", MAJOR(devt), MINOR(devt));
}
static DEVICE_ATTR_RO(physical_device);

/* The toolstack's "mode" once the device is open: "r" or "w". */
static ssize_t mode_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct blkback_dev *be = dev_get_drvdata(dev);
	bool opened, readonly;

	if (mutex_lock_interruptible(&be->mutex))
		return -EINTR;
	opened = be->bdev;
	readonly = be->readonly;
	mutex_unlock(&be->mutex);
	if (!opened)
		return -ENODATA;
	return sysfs_emit(buf, "%s\n", readonly ? "r" : "w");
}
static DEVICE_ATTR_RO(mode);

static struct attribute *blkback_dev_attrs[] = {
	&dev_attr_physical_device.attr,
	&dev_attr_mode.attr,
	NULL
};

static const struct attribute_group blkback_dev_group = {
	.attrs = blkback_dev_attrs,
};

/**
 * struct blkback_stat_attr - one file of a device's statistics/
 * @attr: the sysfs attribute
 * @stat: the count it shows
 */
struct blkback_stat_attr {
	struct device_attribute attr;
	enum blkback_stat stat;
};

static ssize_t blkback_stat_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct blkback_stat_attr *sa =
		container_of(attr, struct blkback_stat_attr, attr);
	struct blkback_dev *be = dev_get_drvdata(dev);
	struct blkback_stats sum;

	if (mutex_lock_interruptible(&be->mutex))
		return -EINTR;
	blkback_stats_sum(be, &sum);
	mutex_unlock(&be->mutex);
	return sysfs_emit(buf, "%llu\n", sum.n[sa->stat]);
}

#define BLKBACK_STAT_ATTR(_name, _stat)					\
	static struct blkback_stat_attr blkback_stat_##_name = {	\
		.attr = __ATTR(_name, 0444, blkback_stat_show, NULL),	\
		.stat = _stat,						\
	}

BLKBACK_STAT_ATTR(rd_req, BLKBACK_ST_RD_REQ);
BLKBACK_STAT_ATTR(wr_req, BLKBACK_ST_WR_REQ);
BLKBACK_STAT_ATTR(f_req, BLKBACK_ST_F_REQ);
BLKBACK_STAT_ATTR(ds_req, BLKBACK_ST_DS_REQ);
BLKBACK_STAT_ATTR(rd_sect, BLKBACK_ST_RD_SECT);
BLKBACK_STAT_ATTR(wr_sect, BLKBACK_ST_WR_SECT);

/*
 * Upstream counts here the requests left on the ring because every request
 * context was busy.  Each ring here has a context for every slot of the
 * ring, so a request is never left for that reason: always 0.
 */
static ssize_t oo_req_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "0\n");
}
static DEVICE_ATTR_RO(oo_req);

static struct attribute *blkback_stat_attrs[] = {
	&dev_attr_oo_req.attr,
	&blkback_stat_rd_req.attr.attr,
	&blkback_stat_wr_req.attr.attr,
	&blkback_stat_f_req.attr.attr,
	&blkback_stat_ds_req.attr.attr,
	&blkback_stat_rd_sect.attr.attr,
	&blkback_stat_wr_sect.attr.attr,
	NULL
};

static const struct attribute_group blkback_stat_group = {
	.name = "statistics",
	.attrs = blkback_stat_attrs,
};

static const struct attribute_group *blkback_dev_groups[] = {
	&blkback_dev_group,
	&blkback_stat_group,
	NULL
};

static const struct xenbus_device_id blkback_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver blkback_driver = {
	.ids = blkback_ids,
	.probe = blkback_probe,
	.remove = blkback_remove,
	.otherend_changed = blkback_frontend_changed,
	.reclaim_memory = blkback_reclaim,
	.allow_rebind = true,
	.driver.groups = blkback_drv_groups,
	.driver.dev_groups = blkback_dev_groups,
};

static int __init blkback_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	return xenbus_register_backend(&blkback_driver);
}
module_init(blkback_init);

static void __exit blkback_exit(void)
{
	xenbus_unregister_driver(&blkback_driver);
	blkback_pgrants_wait_late();
}
module_exit(blkback_exit);

MODULE_DESCRIPTION("Xen virtual block device backend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vbd");
