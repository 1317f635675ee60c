// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transport between this kernel's xenstore client and xenstored: the
 * two byte rings of the xenstore page (xen_store_interface) and its event
 * channel (xen_store_evtchn).  One kernel thread, "xenbus", moves every
 * byte; the IRQ "xenbus" only wakes it.
 *
 *   xenbus_xs*.c, /dev/xen/xenbus -> xb_write_list -> thread -> req ring
 *   req->cb() <- xs_reply_list, by req_id <- thread <- rsp ring
 *   xs_watch_msg() <- XS_WATCH_EVENT <------ thread <- rsp ring
 *
 * This file owns the wire: the thread, the messages coming in, the IRQ
 * and setting up.  The request queue, and what happens to a request, is
 * xenbus_comms_queue.c's.
 *
 * xenstored is a peer.  xs_proto.c reads each index once and copies bytes
 * off the ring before anything looks at them.  A header longer than
 * XENSTORE_PAYLOAD_MAX, or ring indexes that cannot be true, leave a
 * stream that can no longer be framed: the connection is then broken.
 * The thread stops touching the ring, and every request, waiting or new,
 * fails with -EIO until xb_init_comms() takes the ring up again (resume).
 * A reply of a type the protocol does not define still goes to its
 * request: /dev/xen/xenbus may send any type, and xenstored echoes it.
 *
 * Lock order: xs_response_mutex, then xb_write_mutex: the thread writes
 * requests while a message is only partly in.  xs_watch_msg() and the
 * callback of an answered request run with neither held.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <xen/events.h>
#include <xen/xenbus.h>

#include "xenbus.h"
#include "xenbus_comms.h"
#include "xs_proto.h"

/*
 * xs_response_mutex is held by the thread from the first byte of a reply
 * or watch event it takes off the ring to the last, so that a suspend
 * (xs_suspend() takes it) never falls inside a message.  xs_resume()
 * holds it while it calls xb_init_comms().
 */
DEFINE_MUTEX(xs_response_mutex);

/*
 * Where the thread sleeps.  The IRQ wakes it, and so does xs_send() when
 * it queues on an empty list.  xenbus_store_init.c waits on it, too, for
 * the first event of a xenstore that is not up yet.
 */
DECLARE_WAIT_QUEUE_HEAD(xb_waitq);

/*
 * The IRQ of xen_store_evtchn (0: none) and the thread, set only by
 * xb_init_comms() and xb_deinit_comms(), whose callers serialise them: at
 * boot, or with xenstore suspended and xs_response_mutex held.
 */
static int xb_irq;
static struct task_struct *xb_task;

/*
 * Set by the thread when xenstored broke the protocol, cleared by
 * xb_init_comms() when the ring is taken up again.  While set, the thread
 * leaves the ring alone and fails every request with -EIO.
 */
static bool xb_broken;

/* The message coming in: the thread's own. */
static struct {
	struct xsd_sockmsg hdr;	/* its header */
	void *buf;		/* what was allocated for it, or NULL */
	char *body;		/* where its body goes, within buf */
	u32 got;		/* bytes of the header, then of the body, in */
	bool active;		/* inside a message: xs_response_mutex held */
	bool in_body;		/* the header is in and was checked */
} xb_rx;

static irqreturn_t xb_event(int irq, void *dev_id)
{
	wake_up(&xb_waitq);
	return IRQ_HANDLED;
}

/* Forgets the message coming in, and lets a suspend in. */
static void xb_rx_reset(void)
{
	kfree(xb_rx.buf);
	xb_rx.buf = NULL;
	xb_rx.body = NULL;
	xb_rx.got = 0;
	xb_rx.in_body = false;
	if (xb_rx.active) {
		xb_rx.active = false;
		mutex_unlock(&xs_response_mutex);
	}
}

static void xb_break(const char *why)
{
	pr_err_ratelimited("xenstore ring broken (%s): requests fail until resume\n",
			   why);
	WRITE_ONCE(xb_broken, true);
	xb_rx_reset();
	xb_queue_fail_all(-EIO);
}

/*
 * Hands a whole XS_WATCH_EVENT on: xs_watch_msg() splits and checks the
 * body (xenstored is a peer), and takes the event whatever it finds.
 */
static void xb_rx_event(struct xs_watch_event *event, u32 len)
{
	int err;

	event->len = len;
	err = xs_watch_msg(event);
	if (err)
		pr_warn_ratelimited("watch event dropped: %d\n", err);
}

/*
 * A buffer for the body of xb_rx.hdr: len + 1 bytes (a NUL after it), in
 * struct xs_watch_event for an event.  len is at most
 * XENSTORE_PAYLOAD_MAX: xs_hdr_check() said so.
 */
static int xb_rx_alloc(void)
{
	u32 len = xb_rx.hdr.len;
	struct xs_watch_event *event;

	if (xb_rx.hdr.type == XS_WATCH_EVENT) {
		event = kmalloc(struct_size(event, body, len + 1),
				GFP_NOIO | __GFP_HIGH);
		xb_rx.buf = event;
		xb_rx.body = event ? event->body : NULL;
	} else {
		xb_rx.buf = kmalloc(len + 1, GFP_NOIO | __GFP_HIGH);
		xb_rx.body = xb_rx.buf;
	}
	return xb_rx.buf ? 0 : -ENOMEM;
}

/*
 * Takes what is on the reply ring of the message coming in, and hands the
 * message on once whole.  Returns 0, -ENOMEM (try again later), -EIO
 * (impossible indexes) or -E2BIG (a header that cannot be framed).
 */
static int xb_rx_step(struct xenstore_domain_interface *intf, bool *kick)
{
	struct xsd_sockmsg hdr;
	void *buf;
	int n;

	if (!xb_rx.active) {
		mutex_lock(&xs_response_mutex);
		/* A resume may have dropped what woke us. */
		if (!xs_ring_has_data(intf)) {
			mutex_unlock(&xs_response_mutex);
			return 0;
		}
		xb_rx.active = true;
	}
	if (!xb_rx.in_body) {
		n = xs_ring_get(intf, (u8 *)&xb_rx.hdr + xb_rx.got,
				sizeof(xb_rx.hdr) - xb_rx.got);
		if (n < 0)
			return n;
		*kick |= n > 0;
		xb_rx.got += n;
		if (xb_rx.got < sizeof(xb_rx.hdr))
			return 0;
		/* An undefined type (-EBADMSG) still goes to its request. */
		if (xs_hdr_check(&xb_rx.hdr) == -E2BIG)
			return -E2BIG;
		xb_rx.in_body = true;
		xb_rx.got = 0;
	}
	if (!xb_rx.buf && xb_rx_alloc())
		return -ENOMEM;
	n = xs_ring_get(intf, xb_rx.body + xb_rx.got, xb_rx.hdr.len - xb_rx.got);
	if (n < 0)
		return n;
	*kick |= n > 0;
	xb_rx.got += n;
	if (xb_rx.got < xb_rx.hdr.len)
		return 0;

	xb_rx.body[xb_rx.hdr.len] = '\0';
	hdr = xb_rx.hdr;
	buf = xb_rx.buf;
	xb_rx.buf = NULL;
	xb_rx_reset();
	if (hdr.type == XS_WATCH_EVENT)
		xb_rx_event(buf, hdr.len);
	else
		xb_queue_reply(&hdr, buf);
	return 0;
}

static bool xb_has_work(void)
{
	struct xenstore_domain_interface *intf = xen_store_interface;

	if (kthread_should_stop())
		return true;
	if (READ_ONCE(xb_broken))
		return !list_empty(&xb_write_list);
	if (xb_rx.in_body && !xb_rx.buf)	/* its buffer still to get */
		return true;
	return xs_ring_has_data(intf) ||
	       (!list_empty(&xb_write_list) && xs_ring_can_put(intf));
}

/*
 * Every round takes a step on each ring, and each step moves bytes, ends
 * requests, breaks the connection or waits for memory: the loop never
 * spins without progress, and it yields every round.
 */
static int xb_thread(void *unused)
{
	struct xenstore_domain_interface *intf = xen_store_interface;
	bool kick;
	int err;

	while (!kthread_should_stop()) {
		if (wait_event_interruptible(xb_waitq, xb_has_work()))
			continue;
		kick = false;
		err = READ_ONCE(xb_broken) ? 0 : xb_rx_step(intf, &kick);
		if (err == -E2BIG)
			xb_break("reply longer than XENSTORE_PAYLOAD_MAX");
		else if (err && err != -ENOMEM)
			xb_break("reply ring indexes");
		if (READ_ONCE(xb_broken))
			xb_queue_fail_all(-EIO);	/* queued since */
		else if (xb_queue_write(intf, &kick))
			xb_break("request ring indexes");
		if (kick)
			notify_remote_via_evtchn(READ_ONCE(xen_store_evtchn));
		if (err == -ENOMEM)	/* let reclaim run */
			schedule_timeout_interruptible(msecs_to_jiffies(20));
		cond_resched();
	}
	xb_rx_reset();
	return 0;
}

/**
 * xb_init_comms() - take up xenstore's ring and event channel
 *
 * Called by xs_init() once xen_store_interface and xen_store_evtchn are
 * known (at boot, or when a late xenstore comes up), and by xs_resume()
 * with xs_response_mutex held and no request in flight: after a resume,
 * and after /dev/xen/xenbus_backend moved xenstore to a new channel.
 *
 * Bytes left on the request ring are only reported: xenstored will take
 * them, and its replies will go to no request.  Bytes left on the reply
 * ring answer requests this kernel never sent (an earlier kernel's, or
 * from before a suspend), whose ids new requests would reuse: they are
 * dropped, except under reset_devices (a kdump kernel), which leaves the
 * ring as found.  A connection xenstored broke is usable again.  An IRQ
 * still bound (resume) is bound again to xen_store_evtchn.
 *
 * Return: 0; -ENODEV if there is no xenstore page; or the error of
 * binding the event channel or of starting the thread.
 */
int xb_init_comms(void)
{
	struct xenstore_domain_interface *intf = xen_store_interface;
	struct task_struct *task;
	bool was_broken;
	u32 n;
	int err;

	if (!intf)
		return -ENODEV;

	n = xs_ring_req_pending(intf);
	if (n)
		pr_err("request ring not empty: %u bytes not taken\n", n);
	if (xs_ring_has_data(intf) && reset_devices) {
		pr_warn("reply ring not empty: left as found (reset_devices)\n");
	} else if (xs_ring_has_data(intf)) {
		n = xs_ring_rsp_drop(intf);
		pr_warn("reply ring not empty: %u stale bytes dropped\n", n);
		/* The room made is news to xenstored, as any read is. */
		notify_remote_via_evtchn(xen_store_evtchn);
	}
	was_broken = READ_ONCE(xb_broken);
	WRITE_ONCE(xb_broken, false);

	if (xb_irq) {
		rebind_evtchn_irq(xen_store_evtchn, xb_irq);
	} else {
		err = bind_evtchn_to_irqhandler(xen_store_evtchn, xb_event, 0,
						"xenbus", &xb_waitq);
		if (err < 0) {
			pr_err("cannot bind event channel %d: %d\n",
			       xen_store_evtchn, err);
			return err;
		}
		xb_irq = err;
	}

	if (!xb_task) {
		task = kthread_run(xb_thread, NULL, "xenbus");
		if (IS_ERR(task)) {
			pr_err("cannot start the xenbus thread: %ld\n",
			       PTR_ERR(task));
			xb_deinit_comms();
			return PTR_ERR(task);
		}
		xb_task = task;
	}
	/*
	 * A wake-up the broken connection swallowed is work now.  Only
	 * then: any wake-up of xb_waitq tells a dom0 waiting for its
	 * xenstored that it runs (xenbus_store_init.c).
	 */
	if (was_broken)
		wake_up(&xb_waitq);
	return 0;
}

/**
 * xb_deinit_comms() - unbind xenstore's event channel
 *
 * Called with xenstore suspended, by /dev/xen/xenbus_backend before it
 * moves xenstore to a new channel: unbinding closes the old one, and
 * xb_init_comms() binds the new one.  The thread stays.  Does nothing if
 * the channel is not bound.
 */
void xb_deinit_comms(void)
{
	if (!xb_irq)
		return;
	unbind_from_irqhandler(xb_irq, &xb_waitq);
	xb_irq = 0;
}
