// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Resetting the frontend devices a previous kernel of this domain left
 * behind.  In an HVM domain the kernel may have been started by kexec
 * (the devices are then Closed) or as a crash kernel (they are still
 * Connected), and the backends still hold the old connections.  Before
 * the bus adds the devices, each such frontend walks its backend back
 * to InitWait, so that the new drivers can connect afresh:
 *
 *   backend seen       the frontend then
 *   Connected   ->  writes Closing,       awaits Closing from the backend
 *   Closing     ->  writes Closed,        awaits Closed from the backend
 *   Closed      ->  writes Initialising,  awaits InitWait from the backend
 *
 * The walk starts at the row of the backend's current state and runs
 * the rows below it in turn.  Each wait is bounded; a backend that does
 * not follow in time is logged and the walk goes on, as the next write
 * still moves the frontend on.  Every value read is the toolstack's or
 * the backend's: a state is only compared with the states of the walk,
 * and the backend's path is bounded in length.
 *
 * This runs once, from the frontend bus's xenstore notifier, before the
 * bus adds any device; nothing else runs it at the same time.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/array_size.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <xen/xenbus.h>
#include <xen/xenbus_state.h>

#include "xenbus_front.h"

/* How long each step waits for the backend to follow. */
#define BACKEND_STEP_WAIT	(5 * HZ)

/*
 * Small allocations here may be made while the block device a swap or
 * root file system lives on is being reset: no I/O, and a dip into the
 * reserves rather than a failure.
 */
#define RESET_GFP		(GFP_NOIO | __GFP_HIGH)

/**
 * struct reset_step - one row of the walk drawn at the top of this file
 * @backend_at: the backend's state the row starts from
 * @write: the state the frontend then publishes
 * @await: the backend's state the row waits for
 */
struct reset_step {
	int backend_at;
	int write;
	int await;
};

static const struct reset_step reset_steps[] = {
	{ XENBUS_STATE_CONNECTED, XENBUS_STATE_CLOSING, XENBUS_STATE_CLOSING },
	{ XENBUS_STATE_CLOSING, XENBUS_STATE_CLOSED, XENBUS_STATE_CLOSED },
	{ XENBUS_STATE_CLOSED, XENBUS_STATE_INITIALISING,
	  XENBUS_STATE_INITWAIT },
};

/**
 * struct backend_watch - a backend's state, as a temporary watch sees it
 * @watch: the watch on <backend>/state
 * @state: the state the watch last read; written by the watch callback
 *	(the xenstore watch thread), read by the resetting thread, through
 *	WRITE_ONCE()/READ_ONCE(); the wake-up on @seen orders the two
 * @seen: woken on every event of @watch
 *
 * Lives on the resetting thread's stack, and only while @watch is
 * registered: unregistering waits for a running callback and drops
 * queued events, so no callback touches it afterwards.
 */
struct backend_watch {
	struct xenbus_watch watch;
	int state;
	wait_queue_head_t seen;
};

/*
 * An event of a backend's state key: read the key itself again (not the
 * event's path, which may be a node below it), and wake up the walk.
 */
static void backend_state_event(struct xenbus_watch *watch, const char *path,
				const char *token)
{
	struct backend_watch *bw =
		container_of(watch, struct backend_watch, watch);
	int state;

	if (xenbus_scanf(XBT_NIL, watch->node, "", "%i", &state) != 1)
		state = XENBUS_STATE_UNKNOWN;
	WRITE_ONCE(bw->state, state);
	wake_up(&bw->seen);
}

/*
 * The row of the walk that starts at the backend's state @state, or
 * ARRAY_SIZE(reset_steps) if none does.
 */
static unsigned int first_step(int state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reset_steps); i++)
		if (reset_steps[i].backend_at == state)
			break;
	return i;
}

/*
 * Walk the frontend @fe and its backend @be, now in state @be_state,
 * back to Initialising and InitWait.
 */
static void reset_pair(const char *fe, const char *be, int be_state)
{
	struct backend_watch bw = { .state = XENBUS_STATE_UNKNOWN };
	unsigned int i = first_step(be_state);
	int err;

	if (i == ARRAY_SIZE(reset_steps)) {
		pr_info("%s: backend %s is %s: left alone\n",
			fe, be, xenbus_strstate(be_state));
		return;
	}

	bw.watch.node = kasprintf(RESET_GFP, "%s/state", be);
	if (!bw.watch.node)
		return;
	bw.watch.callback = backend_state_event;
	init_waitqueue_head(&bw.seen);
	err = register_xenbus_watch(&bw.watch);
	if (err) {
		pr_warn("%s: cannot watch %s: %d\n", fe, bw.watch.node, err);
		goto free;
	}

	pr_info("%s: resetting the connection to %s (%s)\n",
		fe, be, xenbus_strstate(be_state));
	for (; i < ARRAY_SIZE(reset_steps); i++) {
		const struct reset_step *step = &reset_steps[i];

		err = xenbus_printf(XBT_NIL, fe, "state", "%d", step->write);
		if (err) {
			pr_warn("%s: cannot write state %s: %d\n", fe,
				xenbus_strstate(step->write), err);
			break;
		}
		if (!wait_event_timeout(bw.seen,
					READ_ONCE(bw.state) == step->await,
					BACKEND_STEP_WAIT))
			pr_info("%s: backend %s did not reach %s in time\n",
				fe, be, xenbus_strstate(step->await));
	}

	unregister_xenbus_watch(&bw.watch);
	pr_info("%s: reset done\n", fe);
free:
	kfree(bw.watch.node);
}

/*
 * Look at the device device/@class/@id: reset it if a previous kernel
 * left it Connected or Closed and its backend can be found.
 */
static void reset_one(const char *class, const char *id)
{
	char *fe, *be;
	int fe_state, be_state;

	fe = kasprintf(RESET_GFP, "device/%s/%s", class, id);
	if (!fe)
		return;

	if (xenbus_scanf(XBT_NIL, fe, "state", "%i", &fe_state) != 1 ||
	    (fe_state != XENBUS_STATE_CONNECTED &&
	     fe_state != XENBUS_STATE_CLOSED))
		goto free_fe;

	be = xenbus_read(XBT_NIL, fe, "backend", NULL);
	if (XENBUS_IS_ERR_READ(be))
		goto free_fe;
	if (strnlen(be, XENSTORE_ABS_PATH_MAX + 1) > XENSTORE_ABS_PATH_MAX) {
		pr_warn("%s: backend path too long\n", fe);
		goto free_be;
	}

	if (xenbus_scanf(XBT_NIL, be, "state", "%i", &be_state) == 1)
		reset_pair(fe, be, be_state);
free_be:
	kfree(be);
free_fe:
	kfree(fe);
}

/**
 * xenbus_front_reset_stale() - reset devices a previous kernel left behind
 *
 * For an HVM domain, once xenstore is up and before the frontend bus
 * adds its devices: each device/<class>/<id> whose state is Connected or
 * Closed is walked, with its backend, back to Initialising, waiting at
 * most BACKEND_STEP_WAIT for each step of the backend.  Runs in process
 * context, once; it sleeps.
 */
void xenbus_front_reset_stale(void)
{
	unsigned int nr_classes, nr_ids, i, j;
	char **classes, **ids;

	classes = xenbus_directory(XBT_NIL, "device", "", &nr_classes);
	if (IS_ERR(classes))
		return;

	for (i = 0; i < nr_classes; i++) {
		ids = xenbus_directory(XBT_NIL, "device", classes[i], &nr_ids);
		if (IS_ERR(ids))
			continue;
		for (j = 0; j < nr_ids; j++)
			reset_one(classes[i], ids[j]);
		kfree(ids);
	}
	kfree(classes);
}
