// SPDX-License-Identifier: GPL-2.0-only
/*
 * Secondary Xen consoles: the xenbus frontend of device/console/N (N > 0;
 * console 0 is the primary console, which has no xenbus device).  Each
 * gets a page granted to its backend, an event channel, and an hvc
 * terminal of number XENCONS_VTERM_PRIMARY + N.
 *
 * States: probe connects (Initialised); the backend's Connected makes us
 * Connected; its Closing or Closed removes the terminal and closes us;
 * its InitWait after that connects anew, with a new page and channel.
 * The page is freed only once the backend no longer maps it.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xenbus.h>
#include <xen/xenbus_peer.h>
#include <xen/xenbus_state.h>

#include "hvc_console.h"
#include "hvc_xen.h"

/* The console number of NODENAME (device/console/N), or 0 if none. */
static unsigned int xencons_front_devid(const char *nodename)
{
	const char *slash = strrchr(nodename, '/');
	unsigned int devid;

	if (!slash || kstrtouint(slash + 1, 10, &devid))
		return 0;
	if (devid > U32_MAX - XENCONS_VTERM_PRIMARY)
		return 0;
	return devid;
}

static int xencons_front_keys(struct xenbus_transaction xbt, void *arg)
{
	struct xencons *c = arg;
	const struct xenbus_uint_key keys[] = {
		{ "ring-ref", c->gref },
		{ "port", c->evtchn },
	};

	return xenbus_write_uints(xbt, c->xbdev->nodename, keys,
				  ARRAY_SIZE(keys));
}

/*
 * Takes the terminal away: the irq handler no longer reaches it, and no
 * hv_ops call comes for it, so nothing queues broken_work again; then
 * the work already queued is cancelled, or waited for.
 */
static void xencons_front_quiesce(struct xencons *c)
{
	struct hvc_struct *hvc = c->hvc;

	if (!hvc)
		return;
	WRITE_ONCE(c->hvc, NULL);
	if (c->irq)
		synchronize_irq(c->irq);
	hvc_remove(hvc);
	cancel_work_sync(&c->broken_work);
}

/* The backend broke the ring: the device goes to Closing. */
static void xencons_front_broken(struct work_struct *work)
{
	struct xencons *c = container_of(work, struct xencons, broken_work);

	xenbus_dev_fatal(c->xbdev, -EIO, "console ring index out of range");
}

/*
 * Gives back everything the connection holds.  The terminal goes first,
 * with the error work it may have queued, then the console leaves the
 * list (no hv_ops call uses it after that), then the channel, and last
 * the page, whose grant ends only once the backend has unmapped it.
 */
static void xencons_front_disconnect(struct xencons *c)
{
	xencons_front_quiesce(c);
	if (!list_empty(&c->node)) {
		xencons_del(c);
		INIT_LIST_HEAD(&c->node);
	}
	if (c->irq) {
		unbind_from_irqhandler(c->irq, c);
		c->irq = 0;
	} else if (c->evtchn) {
		xenbus_free_evtchn(c->xbdev, c->evtchn);
	}
	c->evtchn = 0;
	if (c->ring.intf) {
		if (c->gref != INVALID_GRANT_REF)
			gnttab_end_foreign_access(c->gref,
						  virt_to_page(c->ring.intf));
		else
			free_page((unsigned long)c->ring.intf);
		c->ring.intf = NULL;
	}
	c->gref = INVALID_GRANT_REF;
}

static int xencons_front_connect(struct xencons *c)
{
	struct xenbus_device *dev = c->xbdev;
	struct xencons_interface *intf;
	struct hvc_struct *hvc;
	int err, irq;

	intf = (void *)get_zeroed_page(GFP_KERNEL);
	if (!intf)
		return -ENOMEM;
	c->ring.intf = intf;
	err = gnttab_grant_foreign_access(dev->otherend_id,
					  virt_to_gfn(intf), 0);
	if (err < 0)
		goto fail;
	c->gref = err;
	/* Fresh state before the handler can run. */
	xencons_ring_attach(&c->ring, intf);
	c->stalled = false;
	c->reported = false;
	err = xenbus_alloc_evtchn(dev, &c->evtchn);
	if (err)
		goto fail;
	irq = bind_evtchn_to_irq_lateeoi(c->evtchn);
	if (irq < 0) {
		err = irq;
		goto fail;
	}
	err = request_irq(irq, xencons_interrupt, 0, "hvc_console", c);
	if (err) {
		/* This closes the channel too. */
		evtchn_put(c->evtchn);
		c->evtchn = 0;
		goto fail;
	}
	c->irq = irq;
	err = xenbus_transact(xencons_front_keys, c);
	if (err)
		goto fail;
	xencons_add(c);
	hvc = hvc_alloc(c->vtermno, irq, &xencons_domu_ops, XENCONS_OUTBUF);
	if (IS_ERR(hvc)) {
		err = PTR_ERR(hvc);
		goto fail;
	}
	/* The handler sees an hvc that hvc_alloc() finished. */
	smp_store_release(&c->hvc, hvc);
	xenbus_switch_state(dev, XENBUS_STATE_INITIALISED);
	return 0;

fail:
	xencons_front_disconnect(c);
	return err;
}

static int xencons_front_probe(struct xenbus_device *dev,
			       const struct xenbus_device_id *id)
{
	unsigned int devid = xencons_front_devid(dev->nodename);
	struct xencons *c;
	int err;

	if (!devid)
		return -ENODEV;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	xencons_init(c, XENCONS_VTERM_PRIMARY + devid);
	INIT_WORK(&c->broken_work, xencons_front_broken);
	c->xbdev = dev;
	c->gref = INVALID_GRANT_REF;
	dev_set_drvdata(&dev->dev, c);
	err = xencons_front_connect(c);
	if (err) {
		xenbus_dev_fatal(dev, err, "connecting console %u", devid);
		dev_set_drvdata(&dev->dev, NULL);
		kfree(c);
	}
	return err;
}

static void xencons_front_remove(struct xenbus_device *dev)
{
	struct xencons *c = dev_get_drvdata(&dev->dev);

	xencons_front_disconnect(c);
	kfree(c);
}

/* After a resume the backend is new: connect to it from scratch. */
static int xencons_front_resume(struct xenbus_device *dev)
{
	struct xencons *c = dev_get_drvdata(&dev->dev);

	xencons_front_disconnect(c);
	return xencons_front_connect(c);
}

static void xencons_front_backend_changed(struct xenbus_device *dev,
					  enum xenbus_state state)
{
	struct xencons *c = dev_get_drvdata(&dev->dev);
	int err;

	switch (state) {
	case XENBUS_STATE_INITWAIT:
		/* A backend that closed us and came back: connect anew. */
		if (dev->state != XENBUS_STATE_CLOSED)
			break;
		xencons_front_disconnect(c);
		xenbus_switch_state(dev, XENBUS_STATE_INITIALISING);
		err = xencons_front_connect(c);
		if (err)
			xenbus_dev_fatal(dev, err, "reconnecting");
		break;
	case XENBUS_STATE_CONNECTED:
		if (dev->state == XENBUS_STATE_INITIALISED)
			xenbus_switch_state(dev, XENBUS_STATE_CONNECTED);
		break;
	case XENBUS_STATE_CLOSING:
	case XENBUS_STATE_CLOSED:
		if (dev->state == XENBUS_STATE_CLOSED)
			break;
		/*
		 * Users lose the terminal now; the page and channel stay
		 * until the backend is gone or comes back.
		 */
		xencons_front_quiesce(c);
		xenbus_frontend_closed(dev);
		break;
	default:
		break;
	}
}

static const struct xenbus_device_id xencons_front_ids[] = {
	{ "console" },
	{ "" }
};

static struct xenbus_driver xencons_front_driver = {
	.name = "xenconsole",
	.ids = xencons_front_ids,
	.probe = xencons_front_probe,
	.remove = xencons_front_remove,
	.resume = xencons_front_resume,
	.otherend_changed = xencons_front_backend_changed,
	.not_essential = true,
};

/**
 * xencons_front_register() - register the secondary consoles' frontend
 *
 * Return: 0 or the error of xenbus_register_frontend().
 */
int xencons_front_register(void)
{
	return xenbus_register_frontend(&xencons_front_driver);
}
