// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The part of a xenbus bus that the frontend bus ("xen") and the backend
 * bus ("xen-backend") share: how devices are found in xenstore and
 * added or removed as their directories come and go, how a driver is
 * bound to one and told where the other end is, and the sysfs files of
 * each device.
 *
 * A bus subclass (xenbus_front.c, xenbus_back.c) describes itself with a
 * struct xen_bus_type: the xenstore directory its devices live under,
 * how many path components name a device, the device name it derives
 * from a node, and how it enumerates one device type.  Everything here
 * runs in process context: from the xenstore watch thread, from the
 * notifier that runs once xenstore is up, or from the driver core.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/kernfs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/xenbus.h>
#include <xen/xenbus_parse.h>
#include <xen/xenbus_peer.h>
#include <xen/xenbus_state.h>

#include "xenbus.h"
#include "xenbus_bus.h"
#include "xenbus_path.h"

/* The device class @type among @ids (which end with an empty one). */
static const struct xenbus_device_id *
find_id(const struct xenbus_device_id *ids, const char *type)
{
	if (!ids)
		return NULL;
	for (; ids->devicetype[0]; ids++)
		if (!strcmp(ids->devicetype, type))
			return ids;
	return NULL;
}

/**
 * xenbus_match() - the bus's match: does a driver serve a device's class
 * @_dev: the device
 * @_drv: the driver
 *
 * Return: 1 if one of the driver's ids is the device's type, else 0.
 */
int xenbus_match(struct device *_dev, const struct device_driver *_drv)
{
	const struct xenbus_driver *drv = to_xenbus_driver(_drv);

	return !!find_id(drv->ids, to_xenbus_device(_dev)->devicetype);
}
EXPORT_SYMBOL_GPL(xenbus_match);

/* The xen_bus_type a device of a xenbus bus belongs to. */
static struct xen_bus_type *bus_of(struct xenbus_device *dev)
{
	return container_of(dev->dev.bus, struct xen_bus_type, bus);
}

/*
 * Stop watching the other end's state (the watch's path is freed once
 * it is unregistered, which waits for a callback that is running), and
 * with @forget also drop the other end's path.
 */
static void drop_otherend(struct xenbus_device *dev, bool forget)
{
	struct xenbus_watch *watch = &dev->otherend_watch;
	const char *node = watch->node;

	if (node) {
		unregister_xenbus_watch(watch);
		watch->node = NULL;
		kfree(node);
	}
	if (!forget)
		return;
	kfree(dev->otherend);
	dev->otherend = NULL;
}

/* Find the other end again, through the bus's driver-side reader. */
static int find_otherend(struct xenbus_device *dev)
{
	struct xenbus_driver *drv = to_xenbus_driver(dev->dev.driver);

	drop_otherend(dev, true);
	return drv->read_otherend_details(dev);
}

/* Watch <otherend>/state; the watch owns the path it is given. */
static int watch_otherend(struct xenbus_device *dev)
{
	struct xen_bus_type *bus = bus_of(dev);

	return xenbus_watch_pathfmt(dev, &dev->otherend_watch,
				    bus->otherend_will_handle,
				    bus->otherend_changed,
				    "%s/state", dev->otherend);
}

/**
 * xenbus_read_otherend_node() - read and check where a node's other end is
 * @nodename: the device's directory in xenstore
 * @id_node: the key that holds the other end's domain ("backend-id" or
 *	"frontend-id")
 * @path_node: the key that holds the other end's directory ("backend" or
 *	"frontend")
 * @id: where the other end's domain goes
 * @path: where the other end's directory goes (to be freed with kfree()),
 *	or NULL if the caller only checks that it exists
 * @bad: on failure, the key that was refused (@id_node or @path_node)
 *
 * Each key is the toolstack's and is read once.  Refused: a domain that
 * is not a plain decimal number below DOMID_FIRST_RESERVED; a directory
 * that is empty, longer than a xenstore path can be, absent, or that
 * this domain cannot read.
 *
 * Return: 0; or -ENOENT (a key or the directory missing), -E2BIG,
 * -EINVAL or -ERANGE (a value that is no domain or path).
 */
int xenbus_read_otherend_node(const char *nodename, const char *id_node,
			      const char *path_node, unsigned int *id,
			      char **path, const char **bad)
{
	char *value;
	u64 val;
	int err;

	*bad = id_node;
	value = xenbus_read_peer(nodename, id_node, XENBUS_PARSE_MAX_DIGITS);
	if (IS_ERR(value))
		return PTR_ERR(value);
	err = xenbus_parse_uint(value, DOMID_FIRST_RESERVED - 1, &val);
	kfree(value);
	if (err)
		return err;

	*bad = path_node;
	value = xenbus_read_peer(nodename, path_node, XENSTORE_ABS_PATH_MAX);
	if (IS_ERR(value))
		return PTR_ERR(value);
	if (!value[0] || !xenbus_exists(XBT_NIL, value, "")) {
		kfree(value);
		return -ENOENT;
	}
	*id = val;
	if (path)
		*path = value;
	else
		kfree(value);
	return 0;
}

/**
 * xenbus_read_otherend_details() - find the other end of a device
 * @xendev: the device
 * @id_node: the key of @xendev's directory that holds the other end's
 *	domain ("backend-id" or "frontend-id")
 * @path_node: the key that holds the other end's directory ("backend" or
 *	"frontend")
 *
 * Sets @xendev's otherend_id and otherend from the keys, as
 * xenbus_read_otherend_node() reads and checks them.  A failure closes
 * the device with the error recorded.
 *
 * Return: 0, or a negative errno.
 */
int xenbus_read_otherend_details(struct xenbus_device *xendev,
				 char *id_node, char *path_node)
{
	const char *bad;
	unsigned int id;
	char *path;
	int err;

	err = xenbus_read_otherend_node(xendev->nodename, id_node, path_node,
					&id, &path, &bad);
	if (err) {
		xenbus_dev_fatal(xendev, err, "reading %s/%s",
				 xendev->nodename, bad);
		return err;
	}
	xendev->otherend_id = id;
	xendev->otherend = path;
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_read_otherend_details);

/**
 * xenbus_otherend_changed() - the watch callback on the other end's state
 * @watch: the device's otherend_watch
 * @path: the path that changed
 * @token: the watch's token
 * @ignore_on_shutdown: nonzero on the frontend bus: once the system is
 *	going down, a backend that is closing gets the frontend's Closed,
 *	and nothing else is answered.  Zero (the backend bus): nothing is
 *	answered once the system is going down.
 *
 * Reads the other end's state and hands it to the driver.  An event
 * for a path outside the current other end (one queued before a resume
 * moved it) is dropped.
 */
void xenbus_otherend_changed(struct xenbus_watch *watch,
			     const char *path, const char *token,
			     int ignore_on_shutdown)
{
	struct xenbus_device *xdev =
		container_of(watch, struct xenbus_device, otherend_watch);
	const char *peer = xdev->otherend;
	bool going_down = system_state > SYSTEM_RUNNING;
	struct xenbus_driver *drv;
	enum xenbus_state state;

	if (!peer || !xenbus_path_within(path, peer)) {
		dev_dbg(&xdev->dev, "event for %s is not for %s: dropped\n",
			path, peer ?: "(none)");
		return;
	}
	state = xenbus_read_driver_state(peer);
	dev_dbg(&xdev->dev, "the other end is %s\n", xenbus_strstate(state));

	/* On the way down, the root file system may be gone already. */
	if (going_down) {
		if (state == XENBUS_STATE_CLOSING && ignore_on_shutdown)
			xenbus_frontend_closed(xdev);
		return;
	}
	drv = to_xenbus_driver(xdev->dev.driver);
	if (drv->otherend_changed)
		drv->otherend_changed(xdev, state);
}
EXPORT_SYMBOL_GPL(xenbus_otherend_changed);

/*
 * The event-channel accounting a bound device shows in its xenbus/
 * directory: counters the event core keeps in the device (atomics it
 * writes), each a file named after its field, and the writable
 * spurious_threshold.
 */
struct counter_attr {
	struct device_attribute attr;
	size_t offset;
};

static ssize_t counter_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	const struct counter_attr *c =
		container_of(attr, struct counter_attr, attr);
	const atomic_t *count =
		(const atomic_t *)((const char *)to_xenbus_device(dev) + c->offset);

	return sysfs_emit(buf, "%d\n", atomic_read(count));
}

static struct counter_attr counters[] = {
	{ __ATTR(event_channels, 0444, counter_show, NULL),
	  offsetof(struct xenbus_device, event_channels) },
	{ __ATTR(events, 0444, counter_show, NULL),
	  offsetof(struct xenbus_device, events) },
	{ __ATTR(spurious_events, 0444, counter_show, NULL),
	  offsetof(struct xenbus_device, spurious_events) },
	{ __ATTR(jiffies_eoi_delayed, 0444, counter_show, NULL),
	  offsetof(struct xenbus_device, jiffies_eoi_delayed) },
};

static ssize_t spurious_threshold_show(struct device *dev,
				       struct device_attribute *attr,
				       char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  to_xenbus_device(dev)->spurious_threshold);
}

static ssize_t spurious_threshold_store(struct device *dev,
					struct device_attribute *attr,
					const char *buf, size_t count)
{
	unsigned int val;
	int err;

	err = kstrtouint(buf, 0, &val);
	if (err)
		return err;
	to_xenbus_device(dev)->spurious_threshold = val;
	return count;
}
static DEVICE_ATTR_RW(spurious_threshold);

static struct attribute *counter_attrs[] = {
	&counters[0].attr.attr,
	&counters[1].attr.attr,
	&counters[2].attr.attr,
	&counters[3].attr.attr,
	&dev_attr_spurious_threshold.attr,
	NULL
};

static_assert(ARRAY_SIZE(counter_attrs) == ARRAY_SIZE(counters) + 2);

static const struct attribute_group counter_group = {
	.name = "xenbus",
	.attrs = counter_attrs,
};

/*
 * Remove the xenbus/ directory if the device has it: a failed creation
 * (memory) leaves none, and removing a missing group warns.
 */
static void remove_counters(struct xenbus_device *xdev)
{
	struct kernfs_node *dir;

	dir = kernfs_find_and_get(xdev->dev.kobj.sd, counter_group.name);
	if (!dir)
		return;
	kernfs_put(dir);
	sysfs_remove_group(&xdev->dev.kobj, &counter_group);
}

/*
 * Call the driver's probe (@id set) or its remove (@id NULL, if it has
 * one), with reclaim_sem held: the backend bus's shrinker then leaves
 * the device alone meanwhile.
 */
static int driver_call(struct xenbus_driver *drv, struct xenbus_device *xdev,
		       const struct xenbus_device_id *id)
{
	int ret = 0;

	down(&xdev->reclaim_sem);
	if (id)
		ret = drv->probe(xdev, id);
	else if (drv->remove)
		drv->remove(xdev);
	up(&xdev->reclaim_sem);
	return ret;
}

/**
 * xenbus_dev_probe() - the bus's probe: bind a driver to a device
 * @dev: the device
 *
 * Finds the other end, holds the driver's module while it is bound,
 * calls the driver's probe, then watches the other end's state and adds
 * the device's xenbus/ counters.  A failure to find the other end is
 * recorded by the reader; any later failure, and a driver that does not
 * serve the device, here.
 *
 * Return: 0, or a negative errno.
 */
int xenbus_dev_probe(struct device *dev)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);
	struct xenbus_driver *drv = to_xenbus_driver(dev->driver);
	const struct xenbus_device_id *id = find_id(drv->ids, xdev->devicetype);
	int err;

	if (!id || !drv->probe) {
		err = -ENODEV;
		goto record;
	}
	err = find_otherend(xdev);
	if (err) {
		dev_warn(dev, "no other end for %s: %d\n", xdev->nodename, err);
		return err;
	}
	if (!try_module_get(drv->driver.owner)) {
		err = -ESRCH;
		goto forget;
	}
	err = driver_call(drv, xdev, id);
	if (!err) {
		err = watch_otherend(xdev);
		if (err)
			driver_call(drv, xdev, NULL);
	}
	if (err) {
		module_put(drv->driver.owner);
		goto forget;
	}

	xdev->spurious_threshold = 1;
	if (sysfs_create_group(&dev->kobj, &counter_group))
		dev_warn(dev, "no xenbus/ counters in sysfs\n");
	return 0;

forget:
	drop_otherend(xdev, true);
record:
	xenbus_dev_error(xdev, err, "binding %s", xdev->nodename);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_dev_probe);

/**
 * xenbus_dev_remove() - the bus's remove: unbind a device's driver
 * @dev: the device
 *
 * Stops the other end's watch before the driver's remove, so no state
 * change reaches a driver that is going; the driver may still read
 * the other end's path, which is forgotten after it.  Then, when the
 * driver does not allow binding again, or the toolstack has set the
 * device Closing, publishes Closed so that the toolstack can clean up.
 */
void xenbus_dev_remove(struct device *dev)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);
	struct xenbus_driver *drv = to_xenbus_driver(dev->driver);
	bool publish_closed;

	remove_counters(xdev);
	drop_otherend(xdev, false);
	driver_call(drv, xdev, NULL);
	module_put(drv->driver.owner);
	drop_otherend(xdev, true);

	publish_closed = !drv->allow_rebind ||
		xenbus_read_driver_state(xdev->nodename) == XENBUS_STATE_CLOSING;
	if (publish_closed)
		xenbus_switch_state(xdev, XENBUS_STATE_CLOSED);
}
EXPORT_SYMBOL_GPL(xenbus_dev_remove);

/**
 * xenbus_register_driver_common() - register a driver on a xenbus bus
 * @drv: the driver; its name defaults to its first device class
 * @bus: the bus
 * @owner: the driver's module
 * @mod_name: the module's name
 *
 * Return: 0, or a negative errno from the driver core.
 */
int xenbus_register_driver_common(struct xenbus_driver *drv,
				  struct xen_bus_type *bus,
				  struct module *owner, const char *mod_name)
{
	struct device_driver *core = &drv->driver;

	core->bus = &bus->bus;
	core->owner = owner;
	core->mod_name = mod_name;
	core->name = drv->name;
	if (!core->name)
		core->name = drv->ids[0].devicetype;
	return driver_register(core);
}
EXPORT_SYMBOL_GPL(xenbus_register_driver_common);

/**
 * xenbus_unregister_driver() - unregister a driver of either xenbus bus
 * @drv: the driver; its devices are unbound first
 */
void xenbus_unregister_driver(struct xenbus_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(xenbus_unregister_driver);

/*
 * The files every device of both buses has, one show for all: its
 * directory, its class, its module alias ("<bus>:<class>") and the
 * name of the state it last published.
 */
static ssize_t info_show(struct device *dev, struct device_attribute *attr,
			 char *buf);

static struct device_attribute info_attrs[] = {
	__ATTR(nodename, 0444, info_show, NULL),
	__ATTR(devtype, 0444, info_show, NULL),
	__ATTR(modalias, 0444, info_show, NULL),
	__ATTR(state, 0444, info_show, NULL),
};

static ssize_t info_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	const struct xenbus_device *xdev = to_xenbus_device(dev);

	switch (attr - info_attrs) {
	case 0:
		return sysfs_emit(buf, "%s\n", xdev->nodename);
	case 1:
		return sysfs_emit(buf, "%s\n", xdev->devicetype);
	case 2:
		return sysfs_emit(buf, "%s:%s\n", dev->bus->name,
				  xdev->devicetype);
	default:
		return sysfs_emit(buf, "%s\n", xenbus_strstate(xdev->state));
	}
}

static struct attribute *device_attrs[] = {
	&info_attrs[0].attr,
	&info_attrs[1].attr,
	&info_attrs[2].attr,
	&info_attrs[3].attr,
	NULL,
};

static_assert(ARRAY_SIZE(device_attrs) == ARRAY_SIZE(info_attrs) + 1);

static const struct attribute_group device_group = {
	.attrs = device_attrs,
};

/* The bus type's dev_groups, for both buses. */
const struct attribute_group *xenbus_dev_groups[] = {
	&device_group,
	NULL,
};
EXPORT_SYMBOL_GPL(xenbus_dev_groups);

/*
 * A device's memory holds the device and its two strings; the other
 * end's path is normally gone already (unbinding drops it).
 */
static void release_device(struct device *dev)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);

	kfree(xdev->otherend);
	kfree(xdev);
}

/**
 * xenbus_probe_node() - add the device a xenstore directory describes
 * @bus: the bus
 * @type: the device class
 * @nodename: the device's directory
 *
 * Only a device in state Initialising is new: one in any other state is
 * an old device on its way out, and is left alone.
 *
 * Return: 0 (also when nothing was added), or a negative errno.
 */
int xenbus_probe_node(struct xen_bus_type *bus, const char *type,
		      const char *nodename)
{
	size_t node_len = strlen(nodename) + 1, type_len = strlen(type) + 1;
	char name[XEN_BUS_ID_SIZE];
	struct xenbus_device *dev;
	char *strings;
	int err;

	if (xenbus_read_driver_state(nodename) != XENBUS_STATE_INITIALISING)
		return 0;

	dev = kzalloc(sizeof(*dev) + node_len + type_len, GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	strings = (char *)(dev + 1);
	memcpy(strings, nodename, node_len);
	memcpy(strings + node_len, type, type_len);
	dev->nodename = strings;
	dev->devicetype = strings + node_len;
	dev->state = XENBUS_STATE_INITIALISING;
	init_completion(&dev->down);
	sema_init(&dev->reclaim_sem, 1);

	err = bus->get_bus_id(name, dev->nodename);
	if (err) {
		kfree(dev);
		return err;
	}
	dev->dev.bus = &bus->bus;
	dev->dev.release = release_device;
	device_initialize(&dev->dev);
	err = dev_set_name(&dev->dev, "%s", name);
	if (!err)
		err = device_add(&dev->dev);
	if (err)
		put_device(&dev->dev);	/* frees it, with its name */
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_probe_node);

/*
 * Keep in @first the error worth reporting of a walk over many entries:
 * the first, unless it only said an entry was gone (removed meanwhile)
 * and a real one came later.
 */
static void note_error(int *first, int err)
{
	if (err && (!*first || (XENBUS_EXIST_ERR(*first) &&
				!XENBUS_EXIST_ERR(err))))
		*first = err;
}

/* One device type's entries under the bus's root, each to the bus. */
static int probe_type(struct xen_bus_type *bus, const char *type)
{
	unsigned int i, n;
	char **names;
	int err, first = 0;

	names = xenbus_directory(XBT_NIL, bus->root, type, &n);
	if (IS_ERR(names))
		return PTR_ERR(names);
	for (i = 0; i < n; i++) {
		err = bus->probe(bus, type, names[i]);
		note_error(&first, err);
	}
	kfree(names);
	return first;
}

/**
 * xenbus_probe_devices() - add every device under a bus's root
 * @bus: the bus
 *
 * An entry that cannot be added does not keep the others from being
 * added.
 *
 * Return: 0, or the first error met (the first other than a missing
 * entry's, if there is one).
 */
int xenbus_probe_devices(struct xen_bus_type *bus)
{
	unsigned int i, n;
	char **types;
	int err, first = 0;

	types = xenbus_directory(XBT_NIL, bus->root, "", &n);
	if (IS_ERR(types))
		return PTR_ERR(types);
	for (i = 0; i < n; i++) {
		err = probe_type(bus, types[i]);
		note_error(&first, err);
	}
	kfree(types);
	return first;
}
EXPORT_SYMBOL_GPL(xenbus_probe_devices);

/* bus_find_device() matches: the device at a path, or at or below it. */
static int node_is(struct device *dev, const void *path)
{
	return !strcmp(to_xenbus_device(dev)->nodename, path);
}

static int node_within(struct device *dev, const void *path)
{
	return xenbus_path_within(to_xenbus_device(dev)->nodename, path);
}

/* Remove the devices at @path or below it, one at a time. */
static void remove_devices_within(const struct bus_type *bus, const char *path)
{
	struct device *dev;

	while ((dev = bus_find_device(bus, NULL, path, node_within))) {
		device_unregister(dev);
		put_device(dev);
	}
}

/**
 * xenbus_dev_changed() - the bus's watch saw @node change
 * @node: the path that changed, under the bus's root
 * @bus: the bus
 *
 * Only a path of at least three components (<root>/<type>/...) counts.
 * One that no longer exists takes the devices at or below it away.
 * Otherwise the device it belongs to, whose directory is @node up to
 * its (bus->levels + 1)th slash, is added if the bus does not have it.
 */
void xenbus_dev_changed(const char *node, struct xen_bus_type *bus)
{
	size_t dir_len, type_len;
	const char *type_at;
	struct device *found;
	char *dir, *type;

	if (!xenbus_path_device_len(node, 2))
		return;
	if (!xenbus_exists(XBT_NIL, node, "")) {
		remove_devices_within(&bus->bus, node);
		return;
	}

	dir_len = xenbus_path_device_len(node, bus->levels);
	type_at = xenbus_path_type(node, &type_len);
	if (!dir_len || !type_at)
		return;
	dir = kmemdup_nul(node, dir_len, GFP_KERNEL);
	type = kmemdup_nul(type_at, type_len, GFP_KERNEL);
	if (dir && type) {
		found = bus_find_device(&bus->bus, NULL, dir, node_is);
		if (found)
			put_device(found);
		else
			xenbus_probe_node(bus, type, dir);
	}
	kfree(type);
	kfree(dir);
}
EXPORT_SYMBOL_GPL(xenbus_dev_changed);

/**
 * xenbus_dev_suspend() - the bus's freeze: tell the driver
 * @dev: the device
 *
 * Return: 0; a driver's failure is only logged, as the domain suspends
 * anyway.
 */
int xenbus_dev_suspend(struct device *dev)
{
	struct xenbus_driver *drv;
	int err;

	if (!dev->driver)
		return 0;
	drv = to_xenbus_driver(dev->driver);
	if (!drv->suspend)
		return 0;
	err = drv->suspend(to_xenbus_device(dev));
	if (err)
		dev_warn(dev, "suspend failed: %d\n", err);
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_dev_suspend);

/**
 * xenbus_dev_resume() - the bus's restore: the domain runs again
 * @dev: the device
 *
 * The other end may have moved (a migration), so it is found again and
 * the device starts over from Initialising before the driver resumes;
 * then the other end's state is watched again.
 *
 * Return: 0, or a negative errno.
 */
int xenbus_dev_resume(struct device *dev)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);
	struct xenbus_driver *drv;
	int err;

	if (!dev->driver)
		return 0;
	drv = to_xenbus_driver(dev->driver);
	err = find_otherend(xdev);
	if (err) {
		dev_warn(dev, "resume: no other end: %d\n", err);
		return err;
	}
	xdev->state = XENBUS_STATE_INITIALISING;
	if (drv->resume) {
		err = drv->resume(xdev);
		if (err) {
			dev_warn(dev, "resume failed: %d\n", err);
			return err;
		}
	}
	err = watch_otherend(xdev);
	if (err)
		dev_warn(dev, "resume: cannot watch the other end: %d\n", err);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_dev_resume);

/**
 * xenbus_dev_cancel() - the bus's thaw: a suspend was cancelled
 * @dev: the device
 *
 * The connection was never torn down, so there is nothing to do.
 *
 * Return: 0.
 */
int xenbus_dev_cancel(struct device *dev)
{
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_dev_cancel);
