// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's xenstore requests: sending one and sleeping until its
 * reply is in, for the xenstore API (xenbus_xs.c) and the watches; and
 * sending the requests of /dev/xen/xenbus, whose replies go back to the
 * device through a callback.
 *
 * A kernel request is a struct xs_msg, pieces that point at the caller's
 * own strings; xs_talk() queues it for the xenbus thread, sleeps, and
 * hands back the reply's body only once it has the shape the request
 * calls for.  xenstored is a peer like any other: a reply of another
 * type is -EPROTO, and an XS_ERROR is the errno it names (-EINVAL if it
 * names none).  Parsing is the protocol cores' (xs_proto.c,
 * xs_client_proto.c); nothing here reads a body otherwise.
 *
 * Every request passes the request gate (xenbus_xs_suspend.c) on its way
 * to the queue, and leaves it once its reply has been handled.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <asm/barrier.h>
#include <xen/xenbus.h>

#include "xenbus.h"
#include "xenbus_xs.h"
#include "xs_client_proto.h"
#include "xs_proto.h"

/*
 * Set (never cleared) by the reboot notifier: the system is going down,
 * and a xenstored of this domain's own may be dead already.
 */
static bool xs_going_down;

/**
 * xs_free_req() - free a request once its last reference is gone
 * @kref: the request's kref
 *
 * The release function of every struct xb_req_data.  The reply's body
 * is not the request's: whoever took the reply frees it.
 */
void xs_free_req(struct kref *kref)
{
	kfree(container_of(kref, struct xb_req_data, kref));
}

/* What every request starts as; the one reference is the sender's. */
static void xs_req_init(struct xb_req_data *req,
			const struct xsd_sockmsg *msg)
{
	req->msg = *msg;
	req->caller_req_id = msg->req_id;
	req->type = msg->type;
	req->body = NULL;
	req->err = 0;
	req->state = xb_req_state_queued;
	init_waitqueue_head(&req->wq);
	kref_init(&req->kref);
}

/*
 * Queues @req, past the gate, for the xenbus thread, which takes a
 * reference of its own.  The thread is woken only if the queue was
 * empty: otherwise it has work already and comes to this request next.
 */
static void xs_send(struct xb_req_data *req)
{
	bool was_empty;

	kref_get(&req->kref);
	mutex_lock(&xb_write_mutex);
	was_empty = list_empty(&xb_write_list);
	list_add_tail(&req->list, &xb_write_list);
	mutex_unlock(&xb_write_mutex);

	if (was_empty)
		wake_up(&xb_waitq);
}

/*
 * Whether waiting for xenstored still makes sense.  A xenstored running
 * in this domain (XS_LOCAL) goes down with it: once the system is
 * halting, powering off or restarting, no reply may ever come, and a
 * caller on the way down must not hang.  The reboot notifier tells
 * before system_state does (it is set after the notifiers ran), so both
 * are asked.  A xenstored elsewhere is waited for; without a xenstore
 * nothing answers.
 */
static bool xs_may_wait(void)
{
	switch (xen_store_domain_type) {
	case XS_PV:
	case XS_HVM:
		return true;
	case XS_LOCAL:
		return !READ_ONCE(xs_going_down) &&
		       system_state != SYSTEM_HALT &&
		       system_state != SYSTEM_POWER_OFF &&
		       system_state != SYSTEM_RESTART;
	default:
		return false;
	}
}

static bool xs_reply_in(struct xb_req_data *req)
{
	if (READ_ONCE(req->state) != xb_req_state_got_reply)
		return false;
	/*
	 * The state before the reply it announces: pairs with the
	 * virt_wmb() between writing the reply and the state in
	 * xenbus_comms_queue.c.
	 */
	virt_rmb();
	return true;
}

/*
 * Sleeps until @req's reply is in (0), or until waiting makes no sense
 * any more (-EIO).  Giving up marks the request aborted under
 * xb_write_mutex; the xenbus thread then drops it, or its reply, and
 * sends zeros for the rest of its body if it was half on the ring.
 */
static int xs_wait(struct xb_req_data *req)
{
	bool gave_up = false;

	wait_event(req->wq, xs_reply_in(req) || !xs_may_wait());
	if (xs_reply_in(req))
		return 0;

	mutex_lock(&xb_write_mutex);
	if (req->state == xb_req_state_queued ||
	    req->state == xb_req_state_wait_reply) {
		req->state = xb_req_state_aborted;
		gave_up = true;
	}
	mutex_unlock(&xb_write_mutex);
	/* If not, the reply came meanwhile, written under the same mutex. */
	return gave_up ? -EIO : 0;
}

/* The callback of a kernel request, in the xenbus thread. */
static void xs_wake_sender(struct xb_req_data *req)
{
	wake_up(&req->wq);
}

/*
 * What the reply in @req says: 0 with its body (the caller's to free)
 * in *@body, or a negative errno with nothing to free.
 */
static int xs_reply_take(struct xb_req_data *req, char **body)
{
	int err;

	if (req->err)		/* failed by the transport: a static body */
		return req->err;
	err = xs_reply_type_check(req->type, req->msg.type);
	if (err)
		pr_warn_ratelimited("reply of type %u to a request of type %u\n",
				    req->msg.type, req->type);
	else if (req->msg.type == XS_ERROR)
		err = xs_reply_errno(req->body, req->msg.len);
	if (err) {
		kfree(req->body);
		return err;
	}
	*body = req->body;
	return 0;
}

/**
 * xs_msg_add_path() - add a path and its NUL to a request body
 * @m: the body
 * @dir: the directory, or the whole path
 * @node: the node under @dir, or "" for @dir itself
 *
 * The path is "@dir/@node", or @dir alone; a path longer than
 * XENSTORE_ABS_PATH_MAX fails the request with -E2BIG.
 */
void xs_msg_add_path(struct xs_msg *m, const char *dir, const char *node)
{
	int len = xs_path_join_len(dir, node);

	if (len < 0) {
		if (!m->err)
			m->err = len;
		return;
	}
	xs_msg_add(m, dir, strlen(dir));
	if (*node) {
		xs_msg_add(m, "/", 1);
		xs_msg_add(m, node, strlen(node));
	}
	xs_msg_add(m, "", 1);
}

/**
 * xs_talk() - send a kernel request and wait for its reply
 * @t: the transaction it belongs to, or XBT_NIL
 * @type: its type
 * @m: its body
 * @len: if not NULL, set to the reply body's length (0 on failure)
 *
 * Sleeps, in process context only, until the reply is in.  Allocations
 * are GFP_NOIO | __GFP_HIGH: xenstore is used on the writeback path.
 *
 * Return: the reply's body, kmalloc()ed with a NUL after its length, or
 * an ERR_PTR(): the building error of @m, -ENOMEM, -EIO (the transport
 * failed, or the system is going down with xenstored on board), -EPROTO
 * (a reply of another type) or the errno of an XS_ERROR reply.
 */
void *xs_talk(struct xenbus_transaction t, enum xsd_sockmsg_type type,
	      const struct xs_msg *m, unsigned int *len)
{
	struct xsd_sockmsg msg = { .type = type, .tx_id = t.id };
	struct xb_req_data *req;
	char *body = NULL;
	int err;

	might_sleep();
	if (len)
		*len = 0;
	if (m->err)
		return ERR_PTR(m->err);
	req = kmalloc(sizeof(*req), GFP_NOIO | __GFP_HIGH);
	if (!req)
		return ERR_PTR(-ENOMEM);
	msg.len = m->len;
	xs_req_init(req, &msg);
	req->vec = m->vec;
	req->num_vecs = m->nr;
	req->user_req = false;
	req->cb = xs_wake_sender;
	req->par = NULL;

	xs_gate_enter(req);
	xs_send(req);
	err = xs_wait(req);
	if (!err)
		err = xs_reply_take(req, &body);
	if (!err && len)
		*len = req->msg.len;
	/* A start that failed opened no transaction: give its count back. */
	xs_gate_leave(true, err && type == XS_TRANSACTION_START);
	kref_put(&req->kref, xs_free_req);

	return err ? ERR_PTR(err) : body;
}

/**
 * xs_talk_ack() - send a kernel request whose reply only says "done"
 * @t: the transaction it belongs to, or XBT_NIL
 * @type: its type
 * @m: its body
 *
 * Return: 0, or a negative errno as xs_talk() gives.
 */
int xs_talk_ack(struct xenbus_transaction t, enum xsd_sockmsg_type type,
		const struct xs_msg *m)
{
	void *reply = xs_talk(t, type, m, NULL);

	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

/* ---- /dev/xen/xenbus ------------------------------------------------ */

/* A request of the device's, and the one piece of its body. */
struct xs_user_req {
	struct xb_req_data req;
	struct kvec vec;
};

/* xs_free_req() frees the request's address: it must be the block's. */
static_assert(offsetof(struct xs_user_req, req) == 0);

/* The callback of a device request: accounted, then the device's. */
static void xs_user_replied(struct xb_req_data *req)
{
	xs_gate_leave(true, false);
	xenbus_dev_queue_reply(req);
}

static int xs_user_send(struct xsd_sockmsg *msg, void *par,
			const unsigned int *gen)
{
	struct xs_user_req *u;

	might_sleep();
	/* A process's write(), never on the writeback path. */
	u = kmalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	xs_req_init(&u->req, msg);
	u->vec.iov_base = msg + 1;
	u->vec.iov_len = msg->len;
	u->req.vec = &u->vec;
	u->req.num_vecs = 1;
	u->req.user_req = true;
	u->req.cb = xs_user_replied;
	u->req.par = par;

	xs_gate_enter(&u->req);
	/*
	 * Past the gate no suspend can complete, and xs_resume() bumps the
	 * generation before it opens the gate: what is read here still
	 * holds when the request goes out.
	 */
	if (gen && *gen != READ_ONCE(xb_dev_generation_id)) {
		xs_gate_leave(true, false);
		kfree(u);
		return -EAGAIN;
	}
	xs_send(&u->req);
	return 0;
}

/**
 * xenbus_dev_request_and_reply() - send a request of /dev/xen/xenbus
 * @msg: the header, followed by @msg->len bytes of body; the caller's
 *	until the reply callback ran (the xenbus thread reads the body
 *	while it writes the ring)
 * @par: the device's pointer, kept in the request's par
 *
 * The request holds two references: the xenbus thread drops one after
 * xenbus_dev_queue_reply() was called with the reply, which the device
 * drops the other of (kref_put(&req->kref, xs_free_req)).  The reply
 * carries @msg->req_id.  A request the transport fails gets the
 * callback all the same, with an XS_ERROR reply.  Sleeps while a
 * suspend runs.
 *
 * Return: 0 once queued, or -ENOMEM with nothing queued.
 */
int xenbus_dev_request_and_reply(struct xsd_sockmsg *msg, void *par)
{
	return xs_user_send(msg, par, NULL);
}
EXPORT_SYMBOL(xenbus_dev_request_and_reply);

/**
 * xenbus_dev_request_and_reply_gen() - send it, within one generation
 * @msg: as for xenbus_dev_request_and_reply()
 * @par: as for xenbus_dev_request_and_reply()
 * @gen: the xb_dev_generation_id the request belongs to
 *
 * As xenbus_dev_request_and_reply(), but only if no resume came since
 * @gen was read (say, for a request of a transaction begun then).  The
 * generation is checked once past the gate, so no resume can fall
 * between the check and the send.
 *
 * Return: 0 once queued; -EAGAIN (nothing sent) if @gen is stale; or
 * -ENOMEM.
 */
int xenbus_dev_request_and_reply_gen(struct xsd_sockmsg *msg, void *par,
				     unsigned int gen)
{
	return xs_user_send(msg, par, &gen);
}

/* ---- shutdown ------------------------------------------------------- */

static void xs_wake_list(struct list_head *reqs)
{
	struct xb_req_data *req;

	list_for_each_entry(req, reqs, list)
		wake_up(&req->wq);
}

/*
 * The system is going down: every sender asks xs_may_wait() again, and
 * with a xenstored of this domain's own gives up.
 */
static int xs_going_down_notify(struct notifier_block *nb,
				unsigned long code, void *unused)
{
	WRITE_ONCE(xs_going_down, true);
	mutex_lock(&xb_write_mutex);
	xs_wake_list(&xb_write_list);
	xs_wake_list(&xs_reply_list);
	mutex_unlock(&xb_write_mutex);
	return NOTIFY_DONE;
}

/*
 * The reboot notifier: registered once, by xs_requests_init() from
 * xs_init(), and never unregistered (the client is built in).
 */
static struct notifier_block xs_going_down_nb = {
	.notifier_call = xs_going_down_notify,
};

/**
 * xs_requests_init() - have waiting senders give up when the system stops
 *
 * Called once, by xs_init().
 *
 * Return: 0, or the error of registering the reboot notifier.
 */
int xs_requests_init(void)
{
	return register_reboot_notifier(&xs_going_down_nb);
}
