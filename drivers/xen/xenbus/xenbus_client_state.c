// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a split driver publishes about itself in xenstore: its state in
 * <nodename>/state, its errors in error/<nodename>/error, and the watches
 * it keeps on the other end's keys.
 *
 * The state key is this end's side of the handshake both ends follow
 * (Xen's io/xenbus.h).  A state is written in a transaction that first
 * checks that the key still exists: once the toolstack has removed the
 * device's directory, writing would create it again.
 */

#include <linux/export.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <xen/xenbus.h>
#include <xen/xenbus_state.h>

/*
 * Rounds of a state switch whose transaction xenstored asked to redo
 * (-EAGAIN: a conflicting write meanwhile), each after a pause one
 * millisecond longer than the last, up to SWITCH_PAUSE_MAX_MS: about
 * 1.8 s in all before a switch that keeps conflicting is given up as
 * failed, rather than retried for ever.
 */
#define SWITCH_ROUNDS		100
#define SWITCH_PAUSE_MAX_MS	20

/* The longest message of an error record, after its errno. */
#define ERROR_TEXT_MAX	4000

static const char *const state_names[] = {
	[XENBUS_STATE_UNKNOWN]		= "Unknown",
	[XENBUS_STATE_INITIALISING]	= "Initialising",
	[XENBUS_STATE_INITWAIT]		= "InitWait",
	[XENBUS_STATE_INITIALISED]	= "Initialised",
	[XENBUS_STATE_CONNECTED]		= "Connected",
	[XENBUS_STATE_CLOSING]		= "Closing",
	[XENBUS_STATE_CLOSED]		= "Closed",
	[XENBUS_STATE_RECONFIGURING]	= "Reconfiguring",
	[XENBUS_STATE_RECONFIGURED]	= "Reconfigured",
};

/**
 * xenbus_strstate() - the name of a xenbus state
 * @state: the state, possibly one a peer made up
 *
 * Return: the state's name as the protocol spells it, or "INVALID" for a
 * value outside the protocol.
 */
const char *xenbus_strstate(enum xenbus_state state)
{
	if ((unsigned int)state < ARRAY_SIZE(state_names))
		return state_names[state];
	return "INVALID";
}
EXPORT_SYMBOL_GPL(xenbus_strstate);

/*
 * record_error - log "@err's errno, then the message" for @dev and write
 * the same line to error/<nodename>/error, where the toolstack reads it.
 * The line is cut to what one xenstore value holds.
 */
static __printf(3, 0) void record_error(struct xenbus_device *dev, int err,
					const char *fmt, va_list ap)
{
	char *what, *line = NULL, *dir = NULL;

	what = kvasprintf(GFP_KERNEL, fmt, ap);
	if (what)
		line = kasprintf(GFP_KERNEL, "%i %.*s", -err,
				 ERROR_TEXT_MAX, what);
	if (line) {
		dev_err(&dev->dev, "%s\n", line);
		dir = kasprintf(GFP_KERNEL, "error/%s", dev->nodename);
	}
	if (dir)
		xenbus_write(XBT_NIL, dir, "error", line);
	kfree(dir);
	kfree(line);
	kfree(what);
}

/**
 * xenbus_dev_error() - report an error of a device
 * @dev: the device
 * @err: the error, a negative errno
 * @fmt: what failed, printf-style
 *
 * The error goes to the kernel log and to error/<nodename>/error in the
 * store, as "<errno> <message>".  The device's state does not change.
 */
void xenbus_dev_error(struct xenbus_device *dev, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_error(dev, err, fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(xenbus_dev_error);

static void switch_state(struct xenbus_device *dev, enum xenbus_state state,
			 bool nested);

/*
 * switch_failed - a state switch of @dev failed at @what: record it, and
 * close the device, unless this was already the switch to Closing that
 * an earlier failure asked for (@nested), which ends there.
 */
static void switch_failed(struct xenbus_device *dev, bool nested, int err,
			  const char *what)
{
	xenbus_dev_error(dev, err, "%s", what);
	if (!nested)
		switch_state(dev, XENBUS_STATE_CLOSING, true);
}

/*
 * switch_state - publish @state for @dev unless it is what @dev last
 * published.  A device whose state key is gone is being removed: nothing
 * is written, and @state counts as published.  Failures are reported
 * through switch_failed().
 */
static void switch_state(struct xenbus_device *dev, enum xenbus_state state,
			 bool nested)
{
	struct xenbus_transaction xbt;
	unsigned int round;
	int cur, err;

	if (state == dev->state)
		return;

	for (round = 0; round < SWITCH_ROUNDS; round++) {
		if (round)
			msleep(min(round, SWITCH_PAUSE_MAX_MS));
		err = xenbus_transaction_start(&xbt);
		if (err) {
			switch_failed(dev, nested, err, "starting transaction");
			return;
		}

		if (xenbus_scanf(xbt, dev->nodename, "state", "%d", &cur) != 1) {
			err = xenbus_transaction_end(xbt, 1);
			if (err)
				switch_failed(dev, nested, err, "ending transaction");
			else
				dev->state = state;
			return;
		}

		err = xenbus_printf(xbt, dev->nodename, "state", "%d", state);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			switch_failed(dev, nested, err, "writing new state");
			return;
		}

		err = xenbus_transaction_end(xbt, 0);
		if (!err) {
			dev->state = state;
			return;
		}
		if (err != -EAGAIN) {
			switch_failed(dev, nested, err, "ending transaction");
			return;
		}
	}
	switch_failed(dev, nested, -EAGAIN, "ending transaction");
}

/**
 * xenbus_switch_state() - publish a device's new state
 * @dev: the device
 * @state: the state to publish
 *
 * Writes @state to <nodename>/state, in a transaction, unless it is the
 * state @dev last published (so that the other end's watch does not fire
 * for nothing) or the key is gone (the device is being removed, and its
 * directory must not be created again).  On failure the error is
 * recorded in the store and the device switches to Closing.
 *
 * Return: 0; failures are reported through the store, as above.
 */
int xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state state)
{
	switch_state(dev, state, false);
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_switch_state);

/**
 * xenbus_dev_fatal() - report an error of a device and close it
 * @dev: the device
 * @err: the error, a negative errno
 * @fmt: what failed, printf-style
 *
 * As xenbus_dev_error(), then the device switches to Closing, which asks
 * both ends to tear the connection down in order.
 */
void xenbus_dev_fatal(struct xenbus_device *dev, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_error(dev, err, fmt, ap);
	va_end(ap);

	switch_state(dev, XENBUS_STATE_CLOSING, false);
}
EXPORT_SYMBOL_GPL(xenbus_dev_fatal);

/**
 * xenbus_frontend_closed() - a frontend has closed
 * @dev: the frontend's device
 *
 * Publishes Closed and wakes whoever waits in the bus for the frontend
 * to be down (@dev->down).
 *
 * Return: 0.
 */
int xenbus_frontend_closed(struct xenbus_device *dev)
{
	switch_state(dev, XENBUS_STATE_CLOSED, false);
	complete(&dev->down);
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_frontend_closed);

/**
 * xenbus_read_driver_state() - read the state a device end published
 * @path: the end's xenstore directory
 *
 * Return: the value of @path/state, read once, or XENBUS_STATE_UNKNOWN if
 * it is missing or not a number.  The value is the peer's and may lie
 * outside the protocol's states.
 */
enum xenbus_state xenbus_read_driver_state(const char *path)
{
	int state;

	if (xenbus_scanf(XBT_NIL, path, "state", "%d", &state) != 1)
		return XENBUS_STATE_UNKNOWN;
	return state;
}
EXPORT_SYMBOL_GPL(xenbus_read_driver_state);

/*
 * arm_watch - set up @watch on @path and register it; on failure leave it
 * cleared and close @dev with the error recorded.
 */
static int arm_watch(struct xenbus_device *dev, struct xenbus_watch *watch,
		     const char *path,
		     bool (*will_handle)(struct xenbus_watch *,
					 const char *, const char *),
		     void (*callback)(struct xenbus_watch *,
				      const char *, const char *))
{
	int err;

	*watch = (struct xenbus_watch) {
		.node = path,
		.will_handle = will_handle,
		.callback = callback,
	};
	err = register_xenbus_watch(watch);
	if (err) {
		*watch = (struct xenbus_watch) {};
		xenbus_dev_fatal(dev, err, "cannot watch %s", path);
	}
	return err;
}

/**
 * xenbus_watch_path() - watch a path for a device
 * @dev: the device the watch serves
 * @path: the path; on success the watch keeps it, the caller frees it
 *	after unregistering the watch
 * @watch: the watch to set up and register
 * @will_handle: optional filter of the watch's events
 * @callback: what each event calls
 *
 * On failure @watch is left cleared and the device is closed with the
 * error recorded (xenbus_dev_fatal()).
 *
 * Return: 0, or the negative errno of the registration.
 */
int xenbus_watch_path(struct xenbus_device *dev, const char *path,
		      struct xenbus_watch *watch,
		      bool (*will_handle)(struct xenbus_watch *,
					  const char *, const char *),
		      void (*callback)(struct xenbus_watch *,
				       const char *, const char *))
{
	return arm_watch(dev, watch, path, will_handle, callback);
}
EXPORT_SYMBOL_GPL(xenbus_watch_path);

/**
 * xenbus_watch_pathfmt() - watch a path built from a format
 * @dev: the device the watch serves
 * @watch: the watch to set up and register
 * @will_handle: optional filter of the watch's events
 * @callback: what each event calls
 * @pathfmt: the path, printf-style
 *
 * As xenbus_watch_path(), with the path allocated here (without I/O: a
 * block driver may call this); on success the watch owns it
 * (@watch->node, kfree() after unregistering).
 *
 * Return: 0, -ENOMEM, or the negative errno of the registration.
 */
int xenbus_watch_pathfmt(struct xenbus_device *dev, struct xenbus_watch *watch,
			 bool (*will_handle)(struct xenbus_watch *,
					     const char *, const char *),
			 void (*callback)(struct xenbus_watch *,
					  const char *, const char *),
			 const char *pathfmt, ...)
{
	va_list ap;
	char *path;
	int err = -ENOMEM;

	va_start(ap, pathfmt);
	path = kvasprintf(GFP_NOIO | __GFP_HIGH, pathfmt, ap);
	va_end(ap);
	if (path)
		err = arm_watch(dev, watch, path, will_handle, callback);
	else
		xenbus_dev_fatal(dev, err, "no memory for the path of a watch");
	if (err)
		kfree(path);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_watch_pathfmt);
