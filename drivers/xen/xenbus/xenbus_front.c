// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The frontend xenbus bus, "xen": a device for each directory
 * device/<type>/<id> the toolstack writes into this domain's part of
 * xenstore, named "<type>-<id>", with the generic bus (xenbus_bus.c)
 * doing the adding, binding and removing.
 *
 * This file holds what only a frontend does: its device names and
 * uevents, restoring from a suspend while this domain runs xenstored
 * itself, closing its connections when the system goes down, and
 * starting the bus once xenstore answers.  Waiting for devices to
 * connect (xenbus_front_wait.c) and resetting what a previous kernel
 * left behind (xenbus_front_reset.c) are layers below it.
 *
 * The bus, its sysfs files, uevent variables and module name
 * (xenbus_probe_frontend) are what udev and the toolstack expect.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xenbus_state.h>

#include "xenbus.h"
#include "xenbus_front.h"
#include "xenbus_path.h"

/*
 * How long the system's shutdown waits for the backend of a connected
 * device to acknowledge that the frontend is closing.
 */
#define CLOSE_ON_SHUTDOWN_WAIT	(5 * HZ)

/*
 * The device name of the node "device/<type>/<id>" is "<type>-<id>".
 * A node of another shape, or a name longer than the driver core's
 * XEN_BUS_ID_SIZE allows here, is refused.
 */
static int front_dev_name(char bus_id[XEN_BUS_ID_SIZE], const char *nodename)
{
	int err = xenbus_path_front_name(nodename, bus_id, XEN_BUS_ID_SIZE);

	if (err)
		pr_warn("%s: not device/<type>/<id>, or a name too long\n",
			nodename);
	return err;
}

/*
 * Entry console/0 is the domain's first console, which hvc_xen drives
 * from the start-info page without a device: not a device of this bus.
 */
static bool is_first_console(const char *type, const char *name)
{
	return !strcmp(type, "console") && !strcmp(name, "0");
}

/* Add the device of the entry device/@type/@name, if it is one. */
static int front_add_entry(struct xen_bus_type *bus, const char *type,
			   const char *name)
{
	char *node = NULL;
	int ret = 0;

	if (!is_first_console(type, name)) {
		node = kasprintf(GFP_KERNEL, "%s/%s/%s", bus->root, type, name);
		ret = node ? xenbus_probe_node(bus, type, node) : -ENOMEM;
	}
	kfree(node);
	return ret;
}

/* The one variable a frontend's uevent carries: its module alias. */
static int front_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "MODALIAS=xen:%s",
			      to_xenbus_device(dev)->devicetype);
}

/*
 * Whether to queue an event of the backend's state key: not while one
 * is pending, since the callback reads the state then anyway.  A
 * backend (or driver domain) rewriting its state in a loop can then not
 * make this domain queue events without bound (XSA-349's other side).
 */
static bool front_peer_will_handle(struct xenbus_watch *watch,
				   const char *path, const char *token)
{
	return !watch->nr_pending;
}

/*
 * A backend's state changed.  Once the system is going down, only a
 * backend closing is still answered (the generic code's shutdown rule).
 */
static void front_peer_changed(struct xenbus_watch *watch, const char *path,
			       const char *token)
{
	xenbus_otherend_changed(watch, path, token, 1);
}

/*
 * The restore deferred while this domain's own xenstored is not back yet;
 * it holds a reference to the device, taken by front_restore().  Under
 * the device's lock, and only if a driver is still bound: an unbind may
 * have come first.
 */
static void front_deferred_restore(struct work_struct *work)
{
	struct xenbus_device *xdev =
		container_of(work, struct xenbus_device, work);
	struct device *dev = &xdev->dev;

	device_lock(dev);
	if (dev->driver)
		xenbus_dev_resume(dev);
	device_unlock(dev);
	put_device(dev);
}

/*
 * Restore, when the domain runs again after a suspend that was not
 * cancelled (xl save and restore, migration).  When xenstored runs in
 * this domain (XS_LOCAL) it is not running again yet, and a xenstore
 * access now would wait for it for ever, holding up the whole restore:
 * the device is resumed later from its work item instead.  A device
 * with no driver has nothing to resume.
 */
static int front_restore(struct device *dev)
{
	if (xen_store_domain_type != XS_LOCAL)
		return xenbus_dev_resume(dev);
	if (!dev->driver)
		return 0;

	get_device(dev);
	if (!schedule_work(&to_xenbus_device(dev)->work))
		put_device(dev);
	return 0;
}

/*
 * Every device of the bus gets its deferred-restore work once, when it
 * is added, so that no bind can set up a work item that is pending.
 */
static int front_dev_added(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	if (action == BUS_NOTIFY_ADD_DEVICE)
		INIT_WORK(&to_xenbus_device((struct device *)data)->work,
			  front_deferred_restore);
	return NOTIFY_DONE;
}

static struct notifier_block front_dev_nb = {
	.notifier_call = front_dev_added,
};

/*
 * The system is going down: tell the backend of a connected device that
 * the frontend closes, and give it a little time to finish its I/O and
 * acknowledge (the driver completes dev->down when the backend has).
 */
static void front_shutdown(struct device *dev)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);

	get_device(dev);
	if (xdev->state != XENBUS_STATE_CONNECTED) {
		pr_info("%s: %s, not Connected: nothing to close\n",
			xdev->nodename, xenbus_strstate(xdev->state));
	} else {
		xenbus_switch_state(xdev, XENBUS_STATE_CLOSING);
		if (!wait_for_completion_timeout(&xdev->down,
						 CLOSE_ON_SHUTDOWN_WAIT))
			pr_info("%s: the backend did not close in time\n",
				xdev->nodename);
	}
	put_device(dev);
}

static const struct dev_pm_ops front_pm_ops = {
	.freeze		= xenbus_dev_suspend,
	.thaw		= xenbus_dev_cancel,
	.restore	= front_restore,
};

/*
 * The frontend bus.  Written only here, before bus_register(); the
 * driver core and the generic bus code read it afterwards.
 */
static struct xen_bus_type front_bus = {
	.root			= "device",
	.levels			= 2,	/* device/<type>/<id> */
	.get_bus_id		= front_dev_name,
	.probe			= front_add_entry,
	.otherend_will_handle	= front_peer_will_handle,
	.otherend_changed	= front_peer_changed,
	.bus = {
		.name		= "xen",
		.match		= xenbus_match,
		.uevent		= front_uevent,
		.probe		= xenbus_dev_probe,
		.remove		= xenbus_dev_remove,
		.shutdown	= front_shutdown,
		.dev_groups	= xenbus_dev_groups,
		.pm		= &front_pm_ops,
	},
};

/* Something under device/ appeared, changed or went away. */
static void front_dir_changed(struct xenbus_watch *watch, const char *path,
			      const char *token)
{
	xenbus_dev_changed(path, &front_bus);
}

/*
 * The watch on device/, registered once from front_store_up() and never
 * unregistered; the xenstore core owns its list linkage.
 */
static struct xenbus_watch front_dir_watch = {
	.node		= "device",
	.callback	= front_dir_changed,
};

/* A frontend finds its backend in the keys backend-id and backend. */
static int front_find_backend(struct xenbus_device *dev)
{
	return xenbus_read_otherend_details(dev, "backend-id", "backend");
}

/**
 * __xenbus_register_frontend() - register a driver of the frontend bus
 * @drv: the driver
 * @owner: the module of the driver
 * @mod_name: the name of that module
 *
 * Use xenbus_register_frontend().  Once the boot has waited for its own
 * devices, a driver registering (a module loaded later) also waits here
 * for the devices it binds to connect, as the boot does.
 *
 * Return: 0, or the negative errno of the driver core.
 */
int __xenbus_register_frontend(struct xenbus_driver *drv,
			       struct module *owner, const char *mod_name)
{
	int err;

	drv->read_otherend_details = front_find_backend;
	err = xenbus_register_driver_common(drv, &front_bus, owner, mod_name);
	if (err)
		return err;

	xenbus_front_wait_for(drv);
	return 0;
}
EXPORT_SYMBOL_GPL(__xenbus_register_frontend);

/*
 * Xenstore answers: reset what a previous kernel of this HVM domain
 * left connected (a PV domain's devices start afresh), then add the
 * devices there are and watch for more.
 */
static int front_store_up(struct notifier_block *nb, unsigned long event,
			  void *data)
{
	int err;

	if (xen_hvm_domain())
		xenbus_front_reset_stale();

	err = xenbus_probe_devices(&front_bus);
	if (err && !XENBUS_EXIST_ERR(err))
		pr_warn("not every frontend device could be added: %d\n", err);

	err = register_xenbus_watch(&front_dir_watch);
	if (err)
		pr_err("cannot watch device/ for new devices: %d\n", err);
	return NOTIFY_DONE;
}

/* Called once xenstore is up; the chain is the xenstore core's. */
static struct notifier_block front_store_nb = {
	.notifier_call = front_store_up,
};

static int __init front_init(void)
{
	int err;

	err = bus_register(&front_bus.bus);
	if (err) {
		pr_err("cannot register the frontend bus: %d\n", err);
		return err;
	}

	err = bus_register_notifier(&front_bus.bus, &front_dev_nb);
	if (!err)
		err = register_xenstore_notifier(&front_store_nb);
	if (err) {
		pr_err("cannot wait for xenstore: %d\n", err);
		bus_unregister(&front_bus.bus);
		return err;
	}

	xenbus_front_wait_attach(&front_bus.bus);
	return 0;
}
subsys_initcall(front_init);

MODULE_DESCRIPTION("Xen frontend bus");
MODULE_LICENSE("Dual MIT/GPL");
