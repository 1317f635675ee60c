// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Waiting for frontend devices to connect, so that the root file system
 * and the network a domain boots from are there before init mounts or
 * configures them.
 *
 * The boot waits once, from a late initcall (after the drivers built in
 * have registered, before the root file system is mounted), for every
 * device of the frontend bus.  A driver that registers after that (a
 * module) waits for its own devices when it registers.  Either way the
 * wait is bounded: devices of drivers that are not essential (the
 * virtual keyboard and frame buffer) at most NONESSENTIAL_WAIT_SECS from
 * the start, the others at most ESSENTIAL_WAIT_SECS in all; then each
 * device still not connected is named in the log.
 *
 * A device counts as connecting while it has a driver and its state is
 * below Connected, or is Connected but its driver's is_ready() says it
 * is not ready yet.  A device with no driver never connects, so it is
 * not waited for, only logged.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <xen/platform_pci.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xenbus_state.h>

#include "xenbus_front.h"

/* The longest wait for the devices of drivers that are not essential. */
#define NONESSENTIAL_WAIT_SECS	30
/* The longest wait for all devices, counted from the same start. */
#define ESSENTIAL_WAIT_SECS	270
/* How often the devices' states are looked at again. */
#define POLL_INTERVAL		(HZ / 10)
/* How often a wait that goes on says so. */
#define REPORT_INTERVAL		(5 * HZ)

/*
 * The frontend bus, whose devices are waited for.  Set once by the bus's
 * initcall, after bus_register() and before any driver can register or
 * the late initcall runs; only read afterwards.
 */
static const struct bus_type *wait_bus __read_mostly;

/*
 * Whether the boot's own wait has started: set once by the late initcall
 * of a built-in bus, read by drivers registering.  Before it is set,
 * registering drivers do not wait, since the boot will wait for their
 * devices too.  A driver registering at the very moment it is set may
 * miss its own wait; the boot's wait covers its devices then.  Never set
 * when the bus is a module: then no driver waits.
 */
static bool boot_wait_started __read_mostly;

/**
 * struct wait_scope - which devices a wait looks at
 * @drv: only devices bound to this driver; NULL: all devices
 * @skip_nonessential: leave out devices whose driver is not essential
 */
struct wait_scope {
	struct device_driver *drv;
	bool skip_nonessential;
};

/*
 * Whether @dev is in @scope and still on its way to being connected.
 * The caller holds the device's lock, so that its driver stays bound
 * while is_ready() looks at it.  No xenstore access here: the lock may
 * be wanted by the xenstore watch thread.
 */
static bool dev_connecting(struct device *dev, const struct wait_scope *scope)
{
	struct xenbus_device *xdev = to_xenbus_device(dev);
	enum xenbus_state state = xdev->state;
	struct xenbus_driver *xdrv;

	if (!dev->driver || (scope->drv && dev->driver != scope->drv))
		return false;
	xdrv = to_xenbus_driver(dev->driver);
	if (scope->skip_nonessential && xdrv->not_essential)
		return false;

	if (state < XENBUS_STATE_CONNECTED)
		return true;
	return state == XENBUS_STATE_CONNECTED &&
	       xdrv->is_ready && !xdrv->is_ready(xdev);
}

/*
 * bus_for_each_dev() callback: stop (1) at the first device connecting.
 * A device whose lock is taken (a driver binding or unbinding) counts
 * as connecting: the wait goes on, bounded, rather than block on it.
 */
static int find_connecting(struct device *dev, void *scope)
{
	bool connecting;

	if (!device_trylock(dev))
		return 1;
	connecting = dev_connecting(dev, scope);
	device_unlock(dev);
	return connecting;
}

static bool any_connecting(struct wait_scope *scope)
{
	return bus_for_each_dev(wait_bus, NULL, scope, find_connecting) > 0;
}

/*
 * Sleep in steps of POLL_INTERVAL while a device of @scope is
 * connecting, until @deadline.  A wait that goes on is reported every
 * REPORT_INTERVAL (@next_report, shared by the phases of one wait).  A
 * signal (a module load being killed) ends the wait early.
 */
static void wait_phase(struct wait_scope *scope, unsigned long deadline,
		       unsigned long *next_report)
{
	unsigned long now;

	while (any_connecting(scope)) {
		now = jiffies;
		if (time_after_eq(now, deadline) || signal_pending(current))
			return;
		if (time_after_eq(now, *next_report)) {
			pr_info("devices still connecting; this wait ends in %lus at the latest\n",
				DIV_ROUND_UP(deadline - now, HZ));
			*next_report += REPORT_INTERVAL;
		}
		schedule_timeout_interruptible(POLL_INTERVAL);
	}
}

/*
 * bus_for_each_dev() callback: log a device of the scope (a driver, or
 * NULL for all) that has no driver or did not connect in time.  The
 * device's lock keeps its driver and its other end's path in place
 * while they are looked at and the path copied; the other end's state
 * is read from xenstore after it is dropped.
 */
static int log_unconnected(struct device *dev, void *drv)
{
	const struct wait_scope scope = { .drv = drv };
	struct xenbus_device *xdev = to_xenbus_device(dev);
	enum xenbus_state remote = XENBUS_STATE_UNKNOWN;
	bool unbound, late = false;
	char *peer = NULL;

	device_lock(dev);
	unbound = !dev->driver;
	if (!unbound && dev_connecting(dev, &scope)) {
		late = true;
		if (xdev->otherend)
			peer = kstrdup(xdev->otherend, GFP_KERNEL);
	}
	device_unlock(dev);

	if (unbound && !scope.drv)
		pr_info("%s: no driver for this device\n", xdev->nodename);
	if (!late)
		return 0;
	if (peer)
		remote = xenbus_read_driver_state(peer);
	kfree(peer);
	pr_warn("%s: not connected in time (local state %s, remote state %s)\n",
		xdev->nodename, xenbus_strstate(xdev->state),
		xenbus_strstate(remote));
	return 0;
}

/**
 * xenbus_front_wait_attach() - name the bus whose devices are waited for
 * @bus: the registered frontend bus
 *
 * Called once, by the bus's initcall, before any driver can register.
 */
void xenbus_front_wait_attach(const struct bus_type *bus)
{
	wait_bus = bus;
}

/**
 * xenbus_front_wait_for() - wait, bounded, for frontends to connect
 * @drv: wait for the devices of this driver; NULL: for all devices
 *
 * Does nothing outside a Xen domain, before the frontend bus exists, or
 * before the boot's own wait started.  Sleeps interruptibly, polling,
 * for about ESSENTIAL_WAIT_SECS at most (a poll skips a device being
 * bound or unbound rather than wait for it); then logs the devices with
 * no driver and those still not connected.
 */
void xenbus_front_wait_for(struct xenbus_driver *drv)
{
	struct wait_scope scope = { .drv = drv ? &drv->driver : NULL };
	unsigned long start = jiffies;
	unsigned long next_report = start + REPORT_INTERVAL;

	if (!READ_ONCE(boot_wait_started) || !wait_bus || !xen_domain())
		return;

	/* First every device, the inessential ones for a short while... */
	wait_phase(&scope, start + NONESSENTIAL_WAIT_SECS * HZ, &next_report);
	/* ...then only those that the boot cannot do without. */
	scope.skip_nonessential = true;
	if (!signal_pending(current))
		wait_phase(&scope, start + ESSENTIAL_WAIT_SECS * HZ,
			   &next_report);

	bus_for_each_dev(wait_bus, NULL, scope.drv, log_unconnected);
}

#ifndef MODULE
/*
 * The boot's wait, once the built-in drivers have registered and before
 * the root file system is mounted.  A domain that uses emulated devices
 * instead of PV ones, or is not a Xen guest at all, has none to wait for.
 */
static int __init front_boot_wait(void)
{
	if (!xen_has_pv_devices())
		return -ENODEV;

	WRITE_ONCE(boot_wait_started, true);
	xenbus_front_wait_for(NULL);
	return 0;
}
late_initcall(front_boot_wait);
#endif
