// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore transport's request queue: requests from xenbus_xs*.c and
 * /dev/xen/xenbus wait on xb_write_list until the xenbus thread has put
 * them on the ring, then on xs_reply_list until their reply comes.  A
 * request's state changes under xb_write_mutex:
 *
 *   queued      on xb_write_list, whose head goes out first: its header,
 *               then its kvecs, as the ring has room.
 *   wait_reply  wholly on the ring; on xs_reply_list.
 *   got_reply   off both lists: req->msg has the reply's type and len and
 *               the caller's req_id (its tx_id stays), req->body the
 *               reply's body with a NUL after it; then req->cb() runs.  A
 *               request the transport fails gets an XS_ERROR naming the
 *               errno, and req->err.
 *   aborted     its waiter gave up (shutdown).  Not begun, it is dropped;
 *               half written, the rest of its body goes out as zeros (its
 *               kvecs were the waiter's), so the stream stays framed.  Its
 *               reply is thrown away.
 *
 * req->cb() runs in the xenbus thread, never under xb_write_mutex, so
 * that a callback is free to take any lock a sender holds around
 * xs_send().  The kernel's callback only wakes its sender;
 * /dev/xen/xenbus's takes its file's spinlock, allocates nothing and
 * never sends.  (The callback of a request refused before it went out
 * may run under xs_response_mutex, as every callback used to; nothing in
 * a callback takes that mutex.)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/barrier.h>

#include "xenbus.h"
#include "xenbus_comms.h"
#include "xs_proto.h"

/* Requests not yet wholly on the ring, oldest first (xb_write_mutex). */
LIST_HEAD(xb_write_list);

/* Requests wholly on the ring, waiting for their reply (xb_write_mutex). */
LIST_HEAD(xs_reply_list);

/*
 * xb_write_mutex protects xb_write_list, xs_reply_list, xb_tx_sent and
 * the state of every request on the lists.  xs_send() queues under it,
 * and a waiter marks its request aborted under it.
 */
DEFINE_MUTEX(xb_write_mutex);

/* How many bytes of xb_write_list's head are on the ring already. */
static u32 xb_tx_sent;

/* What goes out for the rest of an aborted request's body. */
static const u8 xb_zeros[64];

/*
 * @req, off its list, gets XS_ERROR @err instead of a reply; under
 * xb_write_mutex.  The body is the errno's name, as xenstored would
 * write it: /dev/xen/xenbus hands it to the process.  A kernel waiter
 * never reads or frees it (it returns req->err instead); a user request
 * gets a copy from xb_fail_list(), since its callback frees it.
 */
static void xb_fail_locked(struct xb_req_data *req, int err)
{
	if (req->state == xb_req_state_aborted)
		return;
	req->msg.req_id = req->caller_req_id;
	req->msg.type = XS_ERROR;
	req->body = (char *)xs_errno_name(err);
	req->msg.len = strlen(req->body) + 1;
	req->err = err;
	/* The reply before its state: pairs with xs_reply_in()'s virt_rmb(). */
	virt_wmb();
	req->state = xb_req_state_got_reply;
}

/* After xb_fail_locked(), without the mutex: tells the owners. */
static void xb_fail_list(struct list_head *done)
{
	struct xb_req_data *req, *next;

	list_for_each_entry_safe(req, next, done, list) {
		list_del(&req->list);
		if (req->state == xb_req_state_got_reply && req->user_req) {
			req->body = kstrdup(req->body, GFP_NOIO | __GFP_HIGH);
			req->msg.len = req->body ? strlen(req->body) + 1 : 0;
		}
		if (req->state == xb_req_state_got_reply)
			req->cb(req);
		kref_put(&req->kref, xs_free_req);
	}
}

/**
 * xb_queue_fail_all() - end every request queued or waiting, unanswered
 * @err: the negative errno each gets, as an XS_ERROR reply and req->err
 *
 * For a connection that is broken: the half-written request goes too, and
 * the next request starts afresh.  Requests whose waiter gave up are only
 * dropped.
 */
void xb_queue_fail_all(int err)
{
	struct xb_req_data *req;
	LIST_HEAD(done);

	mutex_lock(&xb_write_mutex);
	list_splice_tail_init(&xs_reply_list, &done);
	list_splice_tail_init(&xb_write_list, &done);
	list_for_each_entry(req, &done, list)
		xb_fail_locked(req, err);
	xb_tx_sent = 0;
	mutex_unlock(&xb_write_mutex);

	xb_fail_list(&done);
}

/**
 * xb_queue_reply() - hand a reply to the request it answers
 * @hdr: the reply's header; its len was checked against
 *	 XENSTORE_PAYLOAD_MAX, its type is anything but XS_WATCH_EVENT
 * @body: @hdr->len bytes and a NUL, kmalloc()ed; this takes it
 *
 * The request is the one on xs_reply_list with @hdr->req_id.  A reply to
 * no request is dropped, and so is one whose waiter gave up.
 */
void xb_queue_reply(const struct xsd_sockmsg *hdr, char *body)
{
	struct xb_req_data *req = NULL, *it;
	bool deliver = false;

	mutex_lock(&xb_write_mutex);
	list_for_each_entry(it, &xs_reply_list, list) {
		if (it->msg.req_id == hdr->req_id) {
			req = it;
			list_del(&req->list);
			break;
		}
	}
	if (req && req->state == xb_req_state_wait_reply) {
		req->msg.req_id = req->caller_req_id;
		req->msg.type = hdr->type;
		req->msg.len = hdr->len;
		req->body = body;
		/* The reply before its state: pairs with xs_reply_in(). */
		virt_wmb();
		req->state = xb_req_state_got_reply;
		deliver = true;
	}
	mutex_unlock(&xb_write_mutex);

	if (!req) {
		pr_warn_ratelimited("reply to no request dropped (id %u, type %u)\n",
				    hdr->req_id, hdr->type);
		kfree(body);
		return;
	}
	if (deliver)
		req->cb(req);	/* the body is the owner's now */
	else
		kfree(body);	/* the waiter gave up */
	kref_put(&req->kref, xs_free_req);
}

/* Whether @req can be framed: kvecs adding up to its length, in bounds. */
static int xb_req_check(const struct xb_req_data *req)
{
	size_t sum = 0;
	int i;

	if (req->msg.len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	for (i = 0; i < req->num_vecs; i++) {
		if (req->vec[i].iov_len > XENSTORE_PAYLOAD_MAX)
			return -E2BIG;
		sum += req->vec[i].iov_len;
	}
	return sum == req->msg.len && req->num_vecs >= 0 ? 0 : -EINVAL;
}

/*
 * The next run of @req's bytes from offset xb_tx_sent on: the header,
 * then each kvec, or zeros for the body of an aborted request.
 */
static u32 xb_tx_next(const struct xb_req_data *req, const void **from)
{
	u32 off = xb_tx_sent;
	int i;

	if (off < sizeof(req->msg)) {
		*from = (const u8 *)&req->msg + off;
		return sizeof(req->msg) - off;
	}
	off -= sizeof(req->msg);
	if (req->state == xb_req_state_aborted) {
		*from = xb_zeros;
		return min_t(u32, req->msg.len - off, sizeof(xb_zeros));
	}
	for (i = 0; i < req->num_vecs; i++) {
		if (off < req->vec[i].iov_len) {
			*from = (const u8 *)req->vec[i].iov_base + off;
			return req->vec[i].iov_len - off;
		}
		off -= req->vec[i].iov_len;
	}
	return 0;
}

/**
 * xb_queue_write() - put queued requests on the request ring
 * @intf: the xenstore page
 * @kick: set if bytes went onto the ring (xenstored is to be notified)
 *
 * In order, as far as the ring has room, and one ring's worth at most.
 * Before its first byte goes out, a request whose waiter gave up is
 * dropped, and one whose kvecs do not add up to its length, or that is
 * longer than XENSTORE_PAYLOAD_MAX (xenstored would drop the connection),
 * fails with -EINVAL or -E2BIG.  A request wholly written moves to
 * xs_reply_list.
 *
 * Return: 0, or -EIO if the ring's indexes cannot be true.
 */
int xb_queue_write(struct xenstore_domain_interface *intf, bool *kick)
{
	u32 budget = XENSTORE_RING_SIZE, len;
	struct xb_req_data *req;
	const void *from;
	LIST_HEAD(done);
	int n = 0, err;

	mutex_lock(&xb_write_mutex);
	while (budget) {
		req = list_first_entry_or_null(&xb_write_list,
					       struct xb_req_data, list);
		if (!req)
			break;
		/* An aborted request's kvecs are gone: test that first. */
		if (!xb_tx_sent && req->state == xb_req_state_aborted) {
			list_move_tail(&req->list, &done);
			continue;
		}
		err = xb_tx_sent ? 0 : xb_req_check(req);
		if (err) {
			pr_warn_ratelimited("request of type %u not sent: %d\n",
					    req->msg.type, err);
			xb_fail_locked(req, err);
			list_move_tail(&req->list, &done);
			continue;
		}
		len = xb_tx_next(req, &from);
		n = xs_ring_put(intf, from, min(len, budget));
		if (n <= 0)
			break;
		*kick = true;
		budget -= n;
		xb_tx_sent += n;
		if (xb_tx_sent < sizeof(req->msg) + req->msg.len)
			continue;
		/* Wholly written: from now on xenstored may answer it. */
		if (req->state == xb_req_state_queued)
			req->state = xb_req_state_wait_reply;
		list_move_tail(&req->list, &xs_reply_list);
		xb_tx_sent = 0;
	}
	mutex_unlock(&xb_write_mutex);

	xb_fail_list(&done);
	return min(n, 0);
}
