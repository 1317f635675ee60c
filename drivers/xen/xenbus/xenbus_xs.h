/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the kernel's xenstore client.  Four files, top down:
 *
 *   xenbus_xs_suspend.c  xs_init(); the request gate; xs_suspend(),
 *                        xs_resume() and xs_suspend_cancel(), which hold
 *                        everything below still around a suspend
 *   xenbus_xs.c          the xenstore API: xenbus_read() and the rest
 *   xenbus_xs_watch.c    watches: the table of registered watches and
 *                        their tokens, the events queued for them, and
 *                        the "xenwatch" thread that runs their callbacks
 *   xenbus_xs_req.c      sending a request through the gate and waiting
 *                        for its reply, for the two above; and the
 *                        requests of /dev/xen/xenbus
 *
 * below which the transport (xenbus_comms*.c) moves the bytes, and the
 * protocol cores (xs_proto.c, xs_client_proto.c) parse everything
 * xenstored sends.
 *
 * Requests sleep: they are for process context only, with no spinlock
 * held.  A caller may hold its own mutexes, but none that a watch
 * callback takes if it also unregisters a watch (which waits for the
 * running callback).
 *
 * Locks, outermost first:
 *   xs_watch_cb_mutex   (watch) held by the xenwatch thread around each
 *                       callback; a callback may take all that follows
 *   xs_watch_rwsem      (watch) read: one registration or unregistration
 *                       with its request, never inside a kernel
 *                       transaction (a suspend holding it for writing
 *                       waits for every such transaction to end);
 *                       write: xs_suspend() until xs_resume() or
 *                       xs_suspend_cancel()
 *   the request gate    (suspend) no lock is held across it, but a
 *                       request sleeps there while a suspend runs:
 *                       whoever holds something a suspend needs must
 *                       not send one, and xs_suspend() takes
 *                       xs_watch_rwsem before shutting the gate for
 *                       that reason
 *   xs_response_mutex   (comms) taken by xs_suspend() once the gate is
 *                       shut and idle
 *   xb_write_mutex      (comms queue) queueing a request, or giving up
 *                       on one
 *   xs_watch_lock       (watch) spinlock: the watch table; a watch's
 *                       will_handle runs under it
 *   xs_event_lock       (watch) spinlock: the event queue, each watch's
 *                       queued events and nr_pending
 *   xs_gate_lock        (suspend) spinlock, innermost: the gate's counts
 */
#ifndef _XENBUS_XS_H
#define _XENBUS_XS_H

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <xen/xenbus.h>

struct xb_req_data;

/* The most pieces a request of this client's is made of: XS_WRITE's. */
#define XS_MSG_VECS	5

/**
 * struct xs_msg - the body of a request, in pieces
 * @vec: the pieces, pointing at the caller's own strings
 * @nr: how many pieces are in use
 * @len: their total length
 * @err: the first error met building it; xs_talk() then fails with it
 *
 * Starts zeroed.  A path goes in as its pieces ("dir", "/", "node" and
 * a NUL) and is never copied.  The strings must stay untouched until
 * xs_talk() returns.
 */
struct xs_msg {
	struct kvec vec[XS_MSG_VECS];
	unsigned int nr;
	u32 len;
	int err;
};

/**
 * xs_msg_add() - add a piece to a request body
 * @m: the body
 * @data: the piece, which must outlive the request
 * @len: its length, including its NUL if the NUL is to go out
 *
 * A body longer than XENSTORE_PAYLOAD_MAX fails (-E2BIG), as xenstored
 * would fail it; more pieces than XS_MSG_VECS is a bug (-EINVAL).
 */
static inline void xs_msg_add(struct xs_msg *m, const void *data, size_t len)
{
	if (m->err)
		return;
	if (WARN_ON_ONCE(m->nr == XS_MSG_VECS)) {
		m->err = -EINVAL;
		return;
	}
	if (len > XENSTORE_PAYLOAD_MAX - m->len) {
		m->err = -E2BIG;
		return;
	}
	m->vec[m->nr].iov_base = (void *)data;
	m->vec[m->nr].iov_len = len;
	m->nr++;
	m->len += len;
}

/* xenbus_xs_suspend.c */
void xs_gate_enter(struct xb_req_data *req);
void xs_gate_leave(bool request, bool tx_end);

/* xenbus_xs_req.c */
void xs_msg_add_path(struct xs_msg *m, const char *dir, const char *node);
void *xs_talk(struct xenbus_transaction t, enum xsd_sockmsg_type type,
	      const struct xs_msg *m, unsigned int *len);
int xs_talk_ack(struct xenbus_transaction t, enum xsd_sockmsg_type type,
		const struct xs_msg *m);
int xs_requests_init(void);

/* xenbus_xs_watch.c */
int xs_watch_start(void);
void xs_watch_block(void);
void xs_watch_unblock(void);
void xs_watch_resend(void);

#endif /* _XENBUS_XS_H */
