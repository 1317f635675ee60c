// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The backend xenbus bus, "xen-backend": a device for each directory
 * backend/<type>/<frontend-domid>/<id> the toolstack writes for this
 * domain, named "<type>-<frontend-domid>-<id>", with the generic bus
 * (xenbus_bus.c) doing the adding, binding and removing.
 *
 * This file holds what only a backend does: its device names, checked
 * against the frontend the node points to; the uevent variables the
 * toolstack's hotplug scripts read (XENBUS_TYPE, XENBUS_PATH,
 * XENBUS_BASE_PATH); the bound on events from a frontend's state key;
 * and a shrinker that asks the backend drivers to give memory back
 * under pressure.
 *
 * The frontend is another domain, and may be hostile; the nodes under
 * backend/ are the toolstack's, but are still checked before use.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/semaphore.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/interface/xen.h>
#include <xen/xenbus.h>
#include <xen/xenbus_parse.h>
#include <xen/xenbus_peer.h>

#include "xenbus.h"
#include "xenbus_bus.h"
#include "xenbus_path.h"

/* The bus's root in xenstore, also a uevent variable's value. */
#define BACK_ROOT		"backend"

/*
 * The device name of "backend/<type>/<domid>/<id>": "<type>-<fe>-<id>",
 * where <fe> is the node's frontend-id, whose frontend directory must
 * exist.  -ENOSPC if the name does not fit in XEN_BUS_ID_SIZE.
 */
static int back_dev_name(char bus_id[XEN_BUS_ID_SIZE], const char *nodename)
{
	struct xenbus_back_node parts;
	unsigned int domid;
	const char *bad;
	int err;

	err = xenbus_path_back_split(nodename, &parts);
	if (err) {
		pr_warn("%s: not of the form %s/<type>/<domid>/<id>\n",
			nodename, BACK_ROOT);
		return err;
	}

	err = xenbus_read_otherend_node(nodename, "frontend-id", "frontend",
					&domid, NULL, &bad);
	if (err) {
		pr_warn("%s: %s refused (%d)\n", nodename, bad, err);
		return err;
	}
	return xenbus_path_back_name(&parts, domid, bus_id, XEN_BUS_ID_SIZE);
}

/*
 * The variables of a backend's uevents, in the order hotplug scripts
 * have always seen them; the bound driver may add its own.
 */
static int back_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	const struct xenbus_device *xdev = to_xenbus_device(dev);
	const struct device_driver *drv = READ_ONCE(dev->driver);
	const struct xenbus_driver *xdrv;
	int err;

	err = add_uevent_var(env, "MODALIAS=xen-backend:%s", xdev->devicetype);
	if (!err)
		err = add_uevent_var(env, "XENBUS_TYPE=%s", xdev->devicetype);
	if (!err)
		err = add_uevent_var(env, "XENBUS_PATH=%s", xdev->nodename);
	if (!err)
		err = add_uevent_var(env, "XENBUS_BASE_PATH=%s", BACK_ROOT);
	if (err || !drv)
		return err;

	xdrv = to_xenbus_driver(drv);
	return xdrv->uevent ? xdrv->uevent(xdev, env) : 0;
}

/*
 * Add the devices of backend/@type/@domid: each entry below it is one.
 * An entry that cannot be added does not keep the others out.
 */
static int back_add_frontend_dir(struct xen_bus_type *bus, const char *type,
				 const char *domid)
{
	unsigned int i, nr;
	char *dir, *node;
	char **ids;
	int err, first = 0;

	dir = kasprintf(GFP_KERNEL, "%s/%s/%s", bus->root, type, domid);
	if (!dir)
		return -ENOMEM;
	ids = xenbus_directory(XBT_NIL, dir, "", &nr);
	if (IS_ERR(ids)) {
		kfree(dir);
		return PTR_ERR(ids);
	}

	for (i = 0; i < nr; i++) {
		node = kasprintf(GFP_KERNEL, "%s/%s", dir, ids[i]);
		if (!node) {
			first = first ?: -ENOMEM;
			break;
		}
		err = xenbus_probe_node(bus, type, node);
		kfree(node);
		if (err && !first)
			first = err;
	}
	kfree(ids);
	kfree(dir);
	return first;
}

/*
 * Whether to queue an event of a frontend's state key.  A frontend can
 * write its state as fast as it likes; with an event still pending the
 * new one is dropped, since the callback reads the current state anyway
 * (XSA-349: otherwise the queue grows without bound).
 */
static bool back_peer_will_handle(struct xenbus_watch *watch,
				  const char *path, const char *token)
{
	return watch->nr_pending == 0;
}

/*
 * A frontend's state changed.  Once the system is going down, the
 * backend driver is no longer told (the generic code's shutdown rule).
 */
static void back_peer_changed(struct xenbus_watch *watch, const char *path,
			      const char *token)
{
	xenbus_otherend_changed(watch, path, token, 0);
}

/*
 * The backend bus.  Written only here, before bus_register(); the
 * driver core and the generic bus code read it afterwards.
 */
static struct xen_bus_type back_bus = {
	.root			= BACK_ROOT,
	.levels			= 3,	/* backend/<type>/<domid>/<id> */
	.get_bus_id		= back_dev_name,
	.probe			= back_add_frontend_dir,
	.otherend_will_handle	= back_peer_will_handle,
	.otherend_changed	= back_peer_changed,
	.bus = {
		.name		= "xen-backend",
		.match		= xenbus_match,
		.uevent		= back_uevent,
		.probe		= xenbus_dev_probe,
		.remove		= xenbus_dev_remove,
		.dev_groups	= xenbus_dev_groups,
	},
};

/* Something under backend/ appeared, changed or went away. */
static void back_dir_changed(struct xenbus_watch *watch, const char *path,
			     const char *token)
{
	xenbus_dev_changed(path, &back_bus);
}

/*
 * The watch on backend/, registered once from back_store_up() and never
 * unregistered; the xenstore core owns its list linkage.
 */
static struct xenbus_watch back_dir_watch = {
	.node		= BACK_ROOT,
	.callback	= back_dir_changed,
};

/* A backend finds its frontend in the keys frontend-id and frontend. */
static int back_find_frontend(struct xenbus_device *dev)
{
	return xenbus_read_otherend_details(dev, "frontend-id", "frontend");
}

/**
 * xenbus_dev_is_online() - whether the toolstack wants a backend online
 * @dev: the backend device
 *
 * Reads the device's "online" key, which the toolstack clears to ask
 * for the device to be taken down; a missing or unparsable key counts
 * as offline.
 *
 * Return: 1 if online, 0 if not.
 */
int xenbus_dev_is_online(struct xenbus_device *dev)
{
	return xenbus_read_unsigned(dev->nodename, "online", 0) ? 1 : 0;
}
EXPORT_SYMBOL_GPL(xenbus_dev_is_online);

/**
 * __xenbus_register_backend() - register a driver of the backend bus
 * @drv: the driver
 * @owner: the module of the driver
 * @mod_name: the name of that module
 *
 * Use xenbus_register_backend().
 *
 * Return: 0, or the negative errno of the driver core.
 */
int __xenbus_register_backend(struct xenbus_driver *drv,
			      struct module *owner, const char *mod_name)
{
	drv->read_otherend_details = back_find_frontend;
	return xenbus_register_driver_common(drv, &back_bus, owner, mod_name);
}
EXPORT_SYMBOL_GPL(__xenbus_register_backend);

/* Xenstore answers: add the backend devices there are, watch for more. */
static int back_store_up(struct notifier_block *nb, unsigned long event,
			 void *data)
{
	int err;

	err = xenbus_probe_devices(&back_bus);
	if (err && !XENBUS_EXIST_ERR(err))
		pr_warn("not every backend device could be added: %d\n", err);

	err = register_xenbus_watch(&back_dir_watch);
	if (err)
		pr_err("cannot watch %s/ for new devices: %d\n", BACK_ROOT, err);
	return NOTIFY_DONE;
}

/* Called once xenstore is up; the chain is the xenstore core's. */
static struct notifier_block back_store_nb = {
	.notifier_call = back_store_up,
};

/*
 * Ask the driver of one backend device to give memory back.  The device
 * lock keeps the driver bound throughout, and reclaim_sem keeps the
 * driver's own probe and remove out; either being busy skips the device
 * (reclaim must not wait).
 */
static int back_reclaim_dev(struct device *dev, void *unused)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);
	const struct xenbus_driver *xdrv;

	if (!device_trylock(dev))
		return 0;
	if (dev->driver) {
		xdrv = to_xenbus_driver(dev->driver);
		if (xdrv->reclaim_memory && !down_trylock(&xdev->reclaim_sem)) {
			xdrv->reclaim_memory(xdev);
			up(&xdev->reclaim_sem);
		}
	}
	device_unlock(dev);
	return 0;
}

/*
 * The shrinker's count: memory is short, so every backend driver is
 * asked to reclaim now.  It has nothing for the shrinker to scan: 0.
 */
static unsigned long back_shrink_count(struct shrinker *shrinker,
				       struct shrink_control *sc)
{
	bus_for_each_dev(&back_bus.bus, NULL, NULL, back_reclaim_dev);
	return 0;
}

static int __init back_init(void)
{
	struct shrinker *shrinker;
	int err;

	err = bus_register(&back_bus.bus);
	if (err) {
		pr_err("cannot register the backend bus: %d\n", err);
		return err;
	}

	err = register_xenstore_notifier(&back_store_nb);
	if (err) {
		pr_err("cannot wait for xenstore: %d\n", err);
		bus_unregister(&back_bus.bus);
		return err;
	}

	/* The shrinker lives as long as the kernel, like the bus. */
	shrinker = shrinker_alloc(0, "xen-backend");
	if (!shrinker) {
		pr_warn("no shrinker: backends will not reclaim under memory pressure\n");
		return 0;
	}
	shrinker->count_objects = back_shrink_count;
	shrinker_register(shrinker);
	return 0;
}
subsys_initcall(back_init);
