// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/xen/xenbus, and xenfs's "xenbus" file (the same file_operations):
 * a process talks to xenstored over the kernel's own connection, in the
 * wire format of xs_wire.h.
 *
 * What a process sees (the ABI that libxenstore and others were written
 * for; the rules are the old ones, but for the few marked "new"):
 *
 *  write()  takes a message, struct xsd_sockmsg then hdr.len body bytes,
 *           in as many write() calls as the process likes; the bytes
 *           gather until the message is whole.  A write() that would
 *           gather more than XENSTORE_PAYLOAD_MAX bytes fails with -EINVAL
 *           and drops what was gathered; a header announcing a body over
 *           XS_USER_BODY_MAX fails its write() with -E2BIG, same.  Bytes
 *           after a whole message in the same write() are dropped, and
 *           the write() returns its full length.  New: a write() that
 *           faults part-way keeps the bytes before the fault and returns
 *           their count, or -EFAULT if there are none (the old driver
 *           failed it whole with -EFAULT).
 *  read()   hands out the queued replies and watch events, a byte stream
 *           that a read() may cut anywhere; it blocks (or -EAGAIN) only
 *           when nothing at all is queued.  New: a read() of 0 bytes
 *           returns 0 (the old driver spun for ever).
 *  poll()   EPOLLIN | EPOLLRDNORM when something is queued, else nothing
 *           (never EPOLLOUT).
 *
 *  XS_WATCH, XS_UNWATCH   handled here: the watch belongs to the file,
 *           and its events carry the process's own token, as
 *           XS_WATCH_EVENT with req_id 0 and tx_id 0 and body
 *           "path\0token\0" (new: req_id and tx_id were left
 *           uninitialised).  The reply is made up here: the request's
 *           header with the same type and body "OK\0".  Unwatching a
 *           watch the file does not have is "OK" too.  A watch xenstored
 *           refuses fails the write() with its error.  New: the path
 *           must not be empty, and the token (which may be) is at most
 *           XS_USER_TOKEN_MAX bytes (xs_user_classify()).
 *  XS_TRANSACTION_START   goes to xenstored; the id it hands out is
 *           remembered for this file.
 *  XS_RESET_WATCHES   new: refused with XS_ERROR "EACCES".  The file
 *           shares the kernel's connection, on which xenstored would
 *           drop every watch and transaction: the kernel's own (its
 *           control/shutdown watch, the buses') and every other file's.
 *           The kernel's own reset at boot is not affected.
 *  a path first   new: the body of XS_READ, XS_DIRECTORY,
 *           XS_GET_PERMS, XS_MKDIR and XS_RM must be exactly "path\0",
 *           and that of XS_DIRECTORY_PART, XS_WRITE and XS_SET_PERMS
 *           must hold the path's NUL; otherwise XS_ERROR "EINVAL" comes
 *           from here, as xenstored would answer, where Xen 4.17's C
 *           xenstored dies of the first kind (xs_user_check()).
 *  everything else        goes to xenstored as it is, once its tx_id
 *           is 0 or a transaction of this file.
 *
 * Answers made up here are XS_ERROR replies whose body is the errno's
 * name and a NUL, with the request's req_id and tx_id: "ENOENT" for a
 * tx_id this file did not start, "EINVAL" for a message
 * xs_user_classify() rejects, "EACCES" for XS_RESET_WATCHES, "EAGAIN" for
 * a transaction from before a resume (below), and two bounds of our own
 * ("E2BIG", "ENOSPC").
 *
 * Transactions and resume.  A resume gives xenstored a new connection, on
 * which the transactions from before are unknown (and their ids may be
 * handed out again).  Each transaction remembers the generation
 * (xb_dev_generation_id) it was started in, and every request in it goes
 * out through xenbus_dev_request_and_reply_gen() with that generation,
 * which refuses it with -EAGAIN, atomically with the send, once a resume
 * has come between.  XS_TRANSACTION_END on such a transaction gets
 * XS_ERROR "EAGAIN" for a commit ("T") and XS_TRANSACTION_END "OK" for an
 * abort ("F"), without xenstored, as it always has; any other request in
 * it gets XS_ERROR "EAGAIN" (xenstored would have said "ENOENT", or
 * worse, acted in someone else's transaction of the same id).
 *
 * Bounds (new), so that one process cannot make dom0 hold unbounded
 * memory for it:
 *
 *  - XBDEV_MAX_INFLIGHT requests sent and not yet answered: the write()
 *    of one more fails with -EBUSY, and the message is dropped.
 *  - XBDEV_MAX_QUEUED bytes of replies and events unread.  A reply
 *    cannot be dropped (the process waits for it), so once the unread
 *    replies alone (answers made up here included) hold that much, the
 *    write() of a new message fails with -ENOBUFS.  The queue can then
 *    still grow by the replies to the requests in flight,
 *    XBDEV_MAX_INFLIGHT of them at most.  Only replies count there, for
 *    the sake of libxenstore, which closes its handle when a write()
 *    fails: it has one request out at a time, whose reply is read (by
 *    the caller, or by libxenstore's reader thread) before the next
 *    request is written.  So no reply of its is unread when it writes,
 *    and it is never refused, however many watch events wait.
 *    A watch event is not dropped for the bound.  One that would take
 *    the queue over it is merged into an identical unread event (same
 *    path and token) if there is one: the process is still to read that
 *    one, and looks at the node only then.  Otherwise it is queued all
 *    the same, so past the bound the queue grows by distinct events
 *    only.
 *  - XBDEV_MAX_WATCHES watches: XS_WATCH gets XS_ERROR "E2BIG", which is
 *    what xenstored answers when a domain's watch quota is used up.
 *  - XBDEV_MAX_TRANSACTIONS transactions open or being opened:
 *    XS_TRANSACTION_START gets XS_ERROR "ENOSPC", as from xenstored's
 *    own quota.
 *
 * fdinfo shows the counters: xenbus-queued (bytes of replies and events
 * unread), xenbus-inflight, xenbus-watches, xenbus-transactions and
 * xenbus-merged (watch events merged into an identical unread one).
 *
 * Contexts.  write(), read() and the cleanup work run in process context
 * and may sleep.  xenbus_dev_queue_reply() runs in the xenbus thread,
 * which every xenstore reply in the domain waits on, and a watch callback
 * runs in the one xenwatch thread: both take only the file's spinlock,
 * and the reply callback allocates nothing.  A writer may sleep
 * in the transport (a suspend holds new requests back until the resume,
 * and the suspend waits for the requests in flight): if a callback
 * needed anything the writer holds, that would deadlock.
 *
 * Lock order:
 *   xbdev_file.wlock  ->  (xenstore's own locks, inside the xenbus calls)
 *   xbdev_file.wlock  ->  xbdev_file.lock
 *   xbdev_file.rlock  ->  xbdev_file.lock
 * Nothing is taken under xbdev_file.lock, and no xenbus call is made
 * under it.
 *
 * Lifetime.  A file's struct xbdev_file is reference counted: one
 * reference for the open file, one for each request in flight (dropped
 * by its reply callback), one while the cleanup work is queued or runs.
 * release() never sleeps on xenstore: a close may come while a suspend
 * holds xenstore still, when unregistering a watch would block.  It
 * queues the cleanup work, which unregisters the watches and aborts the
 * transactions that are still current.  Whoever drops the last
 * reference frees what is left; that needs no sleeping, so it may be
 * the xenbus thread.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "xenbus.h"
#include "xs_client_proto.h"
#include "xs_proto.h"

/* The per-file bounds described at the top of this file. */
#define XBDEV_MAX_INFLIGHT	128U
#define XBDEV_MAX_QUEUED	(256U * 1024U)
#define XBDEV_MAX_WATCHES	1024U
#define XBDEV_MAX_TRANSACTIONS	64U

/* Room for a body made up here: "OK", or an errno's name, and a NUL. */
#define XBDEV_SHORT_BODY	16

#define XBDEV_HDR_SIZE		((u32)sizeof(struct xsd_sockmsg))

/**
 * struct xbdev_msg - a reply or watch event queued for read()
 * @list: in xbdev_file.readq, under xbdev_file.lock
 * @hdr: the header the process reads first
 * @body: @hdr.len bytes read after it: @data, or a reply body that the
 *	transport allocated and handed over (freed with the message)
 * @done: bytes of header and body read so far; only readers, under
 *	xbdev_file.rlock, touch it
 * @event: a watch event (its body is @data); otherwise a reply
 * @data: the body, when it is made here
 */
struct xbdev_msg {
	struct list_head list;
	struct xsd_sockmsg hdr;
	char *body;
	u32 done;
	bool event;
	char data[];
};

/**
 * struct xbdev_tx - a transaction of the file, started or being started
 * @list: in xbdev_file.txs once xenstored gave it an id (xbdev_file.lock)
 * @id: xenstored's id for it
 * @gen: the xb_dev_generation_id it was started in
 * @ending: an XS_TRANSACTION_END for it is in flight; the cleanup work
 *	leaves it alone
 */
struct xbdev_tx {
	struct list_head list;
	u32 id;
	unsigned int gen;
	bool ending;
};

/**
 * struct xbdev_watch - a watch a process registered through the file
 * @list: in xbdev_file.watches (xbdev_file.wlock)
 * @watch: the kernel's watch; its node is the path in @strings
 * @file: the file the events go to; outlives the watch
 * @token: the process's token, in @strings, put into every event
 * @strings: the path, its NUL, the token, its NUL
 */
struct xbdev_watch {
	struct list_head list;
	struct xenbus_watch watch;
	struct xbdev_file *file;
	const char *token;
	char strings[];
};

/**
 * struct xbdev_req - a message of the process on its way to xenstored
 * @file: the file it came from, which it holds a reference on
 * @reply: where its reply goes, allocated before the send so that the
 *	reply callback does not allocate
 * @tx: for XS_TRANSACTION_START, the entry its success fills in
 * @type: its type, as sent
 * @tx_id: its tx_id, as sent
 * @gen: the generation it was sent for (transactions only)
 * @msg: its header ...
 * @body: ... and @msg.len bytes of body right after it, as the transport
 *	wants them; they stay until the reply callback is done
 */
struct xbdev_req {
	struct xbdev_file *file;
	struct xbdev_msg *reply;
	struct xbdev_tx *tx;
	u32 type;
	u32 tx_id;
	unsigned int gen;
	struct xsd_sockmsg msg;
	char body[];
};

static_assert(offsetof(struct xbdev_req, body) ==
	      offsetof(struct xbdev_req, msg) + sizeof(struct xsd_sockmsg));

/**
 * struct xbdev_file - the state of one open file
 * @wlock: serialises writers; protects @wframe, @wreq, @watches and
 *	@nwatches (the cleanup work takes it too).  Sleeps in xenstore calls.
 * @wframe: how much of the current message was gathered, and its header
 * @wreq: once the header is whole, the request its body gathers in
 * @watches: the file's watches
 * @nwatches: how many; written under @wlock, read by fdinfo unlocked
 * @rlock: serialises readers, so that one message is consumed by one
 *	read() at a time without holding @lock across copy_to_user()
 * @lock: protects @readq, @queued, @rqueued, @inflight, @txs, @ntx,
 *	@merged and @closed.  The reply and watch callbacks take it, so
 *	nothing under it sleeps; never taken from interrupt context.
 * @readq: replies and events for read(), oldest first; only the first
 *	may be part-read
 * @queued: the bytes in @readq, headers included, not read to the end
 * @rqueued: the part of @queued that is replies, for xbdev_admit()
 * @inflight: requests sent whose reply callback has not run
 * @txs: the transactions xenstored opened for the file
 * @ntx: @txs plus the starts in flight
 * @merged: watch events merged into an identical unread one, over
 *	@queued's bound
 * @closed: released; replies and events are thrown away
 * @read_wait: readers and pollers wait here for @readq
 * @kref: see "Lifetime" at the top of the file
 * @cleanup: unregisters watches and aborts transactions after release
 */
struct xbdev_file {
	struct mutex wlock;	/* the writer's side, see above */
	struct xs_user_frame wframe;
	struct xbdev_req *wreq;
	struct list_head watches;
	unsigned int nwatches;

	struct mutex rlock;	/* one reader at a time */

	spinlock_t lock;	/* the queue, counters and transactions */
	struct list_head readq;
	u32 queued;
	u32 rqueued;
	unsigned int inflight;
	struct list_head txs;
	unsigned int ntx;
	unsigned long merged;
	bool closed;

	wait_queue_head_t read_wait;
	struct kref kref;
	struct work_struct cleanup;
};

/* ---- messages for read() --------------------------------------------- */

static u32 xbdev_msg_size(const struct xbdev_msg *m)
{
	return XBDEV_HDR_SIZE + m->hdr.len;
}

static void xbdev_msg_free(struct xbdev_msg *m)
{
	if (m->body != m->data)
		kfree(m->body);
	kfree(m);
}

static void xbdev_msg_free_list(struct list_head *list)
{
	struct xbdev_msg *m, *next;

	list_for_each_entry_safe(m, next, list, list)
		xbdev_msg_free(m);
}

/* A message with room for @len bytes of body of its own. */
static struct xbdev_msg *xbdev_msg_alloc(size_t len, gfp_t gfp)
{
	struct xbdev_msg *m = kmalloc(struct_size(m, data, len), gfp);

	if (m) {
		m->body = m->data;
		m->done = 0;
		m->event = false;
	}
	return m;
}

/* Queues @m for read(); under xbdev_file.lock. */
static void xbdev_enqueue_locked(struct xbdev_file *f, struct xbdev_msg *m)
{
	list_add_tail(&m->list, &f->readq);
	f->queued += xbdev_msg_size(m);
	if (!m->event)
		f->rqueued += xbdev_msg_size(m);
}

/*
 * The answer to @r made up here: its header with @type, and @text and a
 * NUL as the body.  Queued now, whatever the bound on queued bytes:
 * xbdev_admit() let @r in.
 */
static int xbdev_answer(struct xbdev_file *f, const struct xbdev_req *r,
			u32 type, const char *text)
{
	size_t len = strlen(text) + 1;
	struct xbdev_msg *m;

	m = xbdev_msg_alloc(len, GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;
	m->hdr = r->msg;
	m->hdr.type = type;
	m->hdr.len = len;
	memcpy(m->data, text, len);

	spin_lock(&f->lock);
	xbdev_enqueue_locked(f, m);
	spin_unlock(&f->lock);
	wake_up(&f->read_wait);
	return 0;
}

/* XS_ERROR naming @err, in answer to @r. */
static int xbdev_answer_err(struct xbdev_file *f, const struct xbdev_req *r,
			    int err)
{
	return xbdev_answer(f, r, XS_ERROR, xs_errno_name(err));
}

/* ---- requests -------------------------------------------------------- */

static void xbdev_req_free(struct xbdev_req *r)
{
	if (r->reply)
		xbdev_msg_free(r->reply);
	kfree(r->tx);
	kfree(r);
}

/* Answers @r with XS_ERROR naming @err, and frees it. */
static int xbdev_refuse(struct xbdev_file *f, struct xbdev_req *r, int err)
{
	int ret = xbdev_answer_err(f, r, err);

	xbdev_req_free(r);
	return ret;
}

static void xbdev_file_free(struct kref *kref);

/*
 * Hands @r to the transport.  @in_tx: it belongs to a transaction of
 * generation @gen, and is refused with -EAGAIN if a resume came since.
 * On 0, @r belongs to xenbus_dev_queue_reply(), which may have run
 * already: the caller must not touch it again.  On an error, nothing was
 * sent and @r is still the caller's.
 */
static int xbdev_send(struct xbdev_file *f, struct xbdev_req *r, bool in_tx,
		      unsigned int gen)
{
	int err;

	if (!r->reply) {
		r->reply = xbdev_msg_alloc(XBDEV_SHORT_BODY,
					   GFP_KERNEL_ACCOUNT);
		if (!r->reply)
			return -ENOMEM;
	}
	r->file = f;
	r->type = r->msg.type;
	r->tx_id = r->msg.tx_id;
	r->gen = gen;

	kref_get(&f->kref);
	spin_lock(&f->lock);
	f->inflight++;
	spin_unlock(&f->lock);

	if (in_tx)
		err = xenbus_dev_request_and_reply_gen(&r->msg, r, gen);
	else
		err = xenbus_dev_request_and_reply(&r->msg, r);
	if (!err)
		return 0;

	spin_lock(&f->lock);
	f->inflight--;
	spin_unlock(&f->lock);
	/* Not the last reference: the caller's file or work holds one. */
	kref_put(&f->kref, xbdev_file_free);
	return err;
}

/* ---- transactions ---------------------------------------------------- */

static bool xbdev_gen_current(unsigned int gen)
{
	return gen == READ_ONCE(xb_dev_generation_id);
}

/*
 * The file's transaction @id; one of the current generation first, in
 * case an id from before a resume was handed out again.  Under
 * xbdev_file.lock.
 */
static struct xbdev_tx *xbdev_tx_find_locked(struct xbdev_file *f, u32 id)
{
	struct xbdev_tx *tx, *found = NULL;

	list_for_each_entry(tx, &f->txs, list) {
		if (tx->id != id)
			continue;
		if (xbdev_gen_current(tx->gen))
			return tx;
		found = tx;
	}
	return found;
}

/*
 * Takes transaction @id of generation @gen out of the table and returns
 * it (NULL if gone already) for the caller to free.  Under
 * xbdev_file.lock.
 */
static struct xbdev_tx *xbdev_tx_unlink_locked(struct xbdev_file *f, u32 id,
					       unsigned int gen)
{
	struct xbdev_tx *tx;

	list_for_each_entry(tx, &f->txs, list) {
		if (tx->id == id && tx->gen == gen) {
			list_del(&tx->list);
			f->ntx--;
			return tx;
		}
	}
	return NULL;
}

/*
 * XS_TRANSACTION_START.  The table entry is allocated and counted now,
 * so that the reply callback only links it in.  The start itself goes
 * out with the generation the entry records: were a resume to fall
 * between reading the generation and the send, the entry would name the
 * wrong one.
 */
static int xbdev_tx_start(struct xbdev_file *f, struct xbdev_req *r)
{
	unsigned int gen;
	bool full;
	int err;

	r->tx = kzalloc(sizeof(*r->tx), GFP_KERNEL_ACCOUNT);
	if (!r->tx) {
		xbdev_req_free(r);
		return -ENOMEM;
	}

	spin_lock(&f->lock);
	full = f->ntx >= XBDEV_MAX_TRANSACTIONS;
	if (!full)
		f->ntx++;
	spin_unlock(&f->lock);
	if (full)
		return xbdev_refuse(f, r, -ENOSPC);

	/* A second resume in this window is not worth a loop. */
	gen = READ_ONCE(xb_dev_generation_id);
	err = xbdev_send(f, r, true, gen);
	if (err == -EAGAIN) {
		gen = READ_ONCE(xb_dev_generation_id);
		err = xbdev_send(f, r, true, gen);
	}
	if (!err)
		return 0;

	spin_lock(&f->lock);
	f->ntx--;
	spin_unlock(&f->lock);
	if (err == -EAGAIN)
		return xbdev_refuse(f, r, -EAGAIN);
	xbdev_req_free(r);
	return err;
}

/*
 * XS_TRANSACTION_END of the file's transaction, which was of generation
 * @gen when looked up.  From before a resume, it is answered here (see
 * the top of the file) and forgotten.
 */
static int xbdev_tx_end(struct xbdev_file *f, struct xbdev_req *r,
			unsigned int gen)
{
	/* xs_user_classify() let only "T\0" and "F\0" through. */
	bool commit = r->body[0] == 'T';
	u32 id = r->msg.tx_id;
	struct xbdev_tx *tx;
	bool marked = false;
	int err = -EAGAIN;

	if (xbdev_gen_current(gen)) {
		spin_lock(&f->lock);
		tx = xbdev_tx_find_locked(f, id);
		if (tx && tx->gen == gen && !tx->ending) {
			tx->ending = true;
			marked = true;
		}
		spin_unlock(&f->lock);

		err = xbdev_send(f, r, true, gen);
		if (!err)
			return 0;
	}

	spin_lock(&f->lock);
	if (err == -EAGAIN) {
		tx = xbdev_tx_unlink_locked(f, id, gen);
	} else {
		tx = NULL;
		if (marked) {
			struct xbdev_tx *t = xbdev_tx_find_locked(f, id);

			if (t && t->gen == gen)
				t->ending = false;
		}
	}
	spin_unlock(&f->lock);
	kfree(tx);

	if (err != -EAGAIN) {
		xbdev_req_free(r);
		return err;
	}
	err = commit ? xbdev_answer_err(f, r, -EAGAIN) :
		       xbdev_answer(f, r, XS_TRANSACTION_END, "OK");
	xbdev_req_free(r);
	return err;
}

/*
 * Every type but XS_WATCH, XS_UNWATCH and XS_TRANSACTION_START.  @bad is
 * what xs_user_classify() said; the check of tx_id comes before it, as
 * it always has.
 */
static int xbdev_forward(struct xbdev_file *f, struct xbdev_req *r, int bad)
{
	u32 id = r->msg.tx_id;
	unsigned int gen = 0;
	struct xbdev_tx *tx;
	int err;

	if (id) {
		spin_lock(&f->lock);
		tx = xbdev_tx_find_locked(f, id);
		if (tx)
			gen = tx->gen;
		spin_unlock(&f->lock);
		if (!tx)
			return xbdev_refuse(f, r, -ENOENT);
	}
	if (bad)
		return xbdev_refuse(f, r, bad);
	/* An END with tx_id 0 goes to xenstored, which answers it. */
	if (id && r->msg.type == XS_TRANSACTION_END)
		return xbdev_tx_end(f, r, gen);

	/* A stale transaction fails here or, racing a resume, in the send. */
	if (id && !xbdev_gen_current(gen))
		err = -EAGAIN;
	else
		err = xbdev_send(f, r, id != 0, gen);
	if (!err)
		return 0;
	if (err == -EAGAIN)
		return xbdev_refuse(f, r, -EAGAIN);
	xbdev_req_free(r);
	return err;
}

/* ---- watches --------------------------------------------------------- */

/*
 * Whether an event with @m's body is in @f's queue and not yet being
 * read: any but the first message, which a reader may have begun.
 * Under xbdev_file.lock.
 */
static bool xbdev_event_unread_locked(struct xbdev_file *f,
				      const struct xbdev_msg *m)
{
	struct xbdev_msg *old;

	if (list_empty(&f->readq))
		return false;
	old = list_first_entry(&f->readq, struct xbdev_msg, list);
	list_for_each_entry_continue(old, &f->readq, list) {
		if (old->event && old->hdr.len == m->hdr.len &&
		    !memcmp(old->data, m->data, m->hdr.len))
			return true;
	}
	return false;
}

/*
 * An event for one of the file's watches, in the xenwatch thread: the
 * path xenstored reported and the process's token.  Over the
 * XBDEV_MAX_QUEUED bound, merged into an identical unread event if there
 * is one (see the top of the file), else queued all the same.  The file
 * outlives the watch: the cleanup work unregisters it (which waits for
 * this callback) before it drops its reference.
 */
static void xbdev_watch_fired(struct xenbus_watch *watch, const char *path,
			      const char *token)
{
	struct xbdev_watch *w = container_of(watch, struct xbdev_watch, watch);
	struct xbdev_file *f = w->file;
	size_t plen = strlen(path) + 1;
	size_t tlen = strlen(w->token) + 1;
	bool queued = false, over;
	struct xbdev_msg *m;

	/* Only a xenstored past its own path limit could send that. */
	if (plen + tlen > XENSTORE_PAYLOAD_MAX) {
		pr_warn_ratelimited("watch event longer than a message, lost\n");
		return;
	}
	/* Small: the allocator retries, and warns should it fail anyway. */
	m = xbdev_msg_alloc(plen + tlen, GFP_KERNEL);
	if (!m)
		return;
	m->event = true;
	m->hdr.type = XS_WATCH_EVENT;
	m->hdr.req_id = 0;
	m->hdr.tx_id = 0;
	m->hdr.len = plen + tlen;
	memcpy(m->data, path, plen);
	memcpy(m->data + plen, w->token, tlen);

	spin_lock(&f->lock);
	over = f->queued + xbdev_msg_size(m) > XBDEV_MAX_QUEUED;
	/* After release(), thrown away as everything else. */
	if (!f->closed && over && xbdev_event_unread_locked(f, m)) {
		f->merged++;
	} else if (!f->closed) {
		xbdev_enqueue_locked(f, m);
		queued = true;
	}
	spin_unlock(&f->lock);

	if (queued)
		wake_up(&f->read_wait);
	else
		xbdev_msg_free(m);
}

/*
 * XS_WATCH.  The answer is allocated before the watch is registered, so
 * that a registered watch always gets its "OK".  A registration that
 * xenstored refuses fails the write(), as it always has.
 */
static int xbdev_watch_add(struct xbdev_file *f, struct xbdev_req *r,
			   const struct xs_user_msg *um)
{
	size_t plen = strlen(um->path) + 1;
	size_t tlen = strlen(um->token) + 1;
	struct xbdev_watch *w;
	struct xbdev_msg *ok;
	int err;

	if (f->nwatches >= XBDEV_MAX_WATCHES)
		return xbdev_refuse(f, r, -E2BIG);

	ok = xbdev_msg_alloc(sizeof("OK"), GFP_KERNEL_ACCOUNT);
	w = kmalloc(struct_size(w, strings, plen + tlen), GFP_KERNEL_ACCOUNT);
	if (!ok || !w) {
		err = -ENOMEM;
		goto fail;
	}
	memcpy(w->strings, um->path, plen);
	memcpy(w->strings + plen, um->token, tlen);
	w->token = w->strings + plen;
	w->file = f;
	w->watch = (struct xenbus_watch) {
		.node = w->strings,
		.callback = xbdev_watch_fired,
	};

	err = register_xenbus_watch(&w->watch);
	if (err)
		goto fail;
	list_add_tail(&w->list, &f->watches);
	WRITE_ONCE(f->nwatches, f->nwatches + 1);

	ok->hdr = r->msg;
	ok->hdr.len = sizeof("OK");
	memcpy(ok->data, "OK", sizeof("OK"));
	spin_lock(&f->lock);
	xbdev_enqueue_locked(f, ok);
	spin_unlock(&f->lock);
	wake_up(&f->read_wait);
	xbdev_req_free(r);
	return 0;

fail:
	kfree(w);
	kfree(ok);
	xbdev_req_free(r);
	return err;
}

static void xbdev_watch_release(struct xbdev_file *f, struct xbdev_watch *w)
{
	unregister_xenbus_watch(&w->watch);
	list_del(&w->list);
	WRITE_ONCE(f->nwatches, f->nwatches - 1);
	kfree(w);
}

/* XS_UNWATCH: the file's first watch of that path and token, if any. */
static int xbdev_watch_del(struct xbdev_file *f, struct xbdev_req *r,
			   const struct xs_user_msg *um)
{
	struct xbdev_watch *w;
	int err;

	list_for_each_entry(w, &f->watches, list) {
		if (!strcmp(w->watch.node, um->path) &&
		    !strcmp(w->token, um->token)) {
			xbdev_watch_release(f, w);
			break;
		}
	}
	err = xbdev_answer(f, r, XS_UNWATCH, "OK");
	xbdev_req_free(r);
	return err;
}

/* ---- the reply callback ---------------------------------------------- */

/*
 * The reply as the process will read it.  The transport's body becomes
 * the message's; a request the transport failed may come without one
 * (no memory for its copy), and then gets an XS_ERROR made up here.
 */
static void xbdev_reply_take(struct xbdev_msg *m, struct xb_req_data *req)
{
	m->hdr = req->msg;
	if (req->body) {
		m->body = req->body;
		req->body = NULL;
		return;
	}
	if (req->msg.type == XS_ERROR || req->msg.len) {
		strscpy(m->data, xs_errno_name(req->err ? req->err : -EIO),
			XBDEV_SHORT_BODY);
		m->hdr.type = XS_ERROR;
		m->hdr.len = strlen(m->data) + 1;
	}
}

/*
 * The transaction table after the reply to XS_TRANSACTION_START: on
 * success @r's entry is linked in with xenstored's id, replacing any
 * entry with that id from before a resume (onto @gone, to be freed);
 * otherwise the reservation is given back.  Under xbdev_file.lock.
 * Returns whether a transaction was added to a closed file, which the
 * cleanup work is then to abort.
 */
static bool xbdev_tx_started_locked(struct xbdev_file *f, struct xbdev_req *r,
				    const struct xbdev_msg *m,
				    struct list_head *gone)
{
	struct xbdev_tx *tx, *next;
	u32 id;

	if (m->hdr.type != XS_TRANSACTION_START ||
	    xs_tx_id_parse(m->body, m->hdr.len, &id)) {
		if (m->hdr.type == XS_TRANSACTION_START)
			pr_warn_ratelimited("transaction id that is no number, not tracked\n");
		f->ntx--;
		return false;
	}

	list_for_each_entry_safe(tx, next, &f->txs, list) {
		if (tx->id == id) {
			list_move(&tx->list, gone);
			f->ntx--;
		}
	}
	tx = r->tx;
	r->tx = NULL;
	tx->id = id;
	tx->gen = r->gen;
	list_add_tail(&tx->list, &f->txs);
	return f->closed;
}

static void xbdev_schedule_cleanup(struct xbdev_file *f);

/**
 * xenbus_dev_queue_reply() - the reply to a request of /dev/xen/xenbus
 * @req: the transport's request; req->par is our struct xbdev_req
 *
 * Runs in the xenbus thread, with no xenstore lock held, once for every
 * request xenbus_dev_request_and_reply*() accepted, with xenstored's
 * reply or the transport's XS_ERROR.  It takes only the file's spinlock
 * and allocates nothing: it updates the transaction table, queues the
 * reply for read() (or drops it if the file was closed), and wakes the
 * readers.  It takes over req->body, and drops its reference on @req and
 * the request's on the file, which may be the last one.
 *
 * Context: the xenbus thread; must not sleep.
 */
void xenbus_dev_queue_reply(struct xb_req_data *req)
{
	struct xbdev_req *r = req->par;
	struct xbdev_file *f = r->file;
	struct xbdev_msg *m = r->reply;
	struct xbdev_tx *ended = NULL;
	bool kick = false;
	LIST_HEAD(gone);

	r->reply = NULL;
	xbdev_reply_take(m, req);

	spin_lock(&f->lock);
	f->inflight--;
	if (r->type == XS_TRANSACTION_START)
		kick = xbdev_tx_started_locked(f, r, m, &gone);
	else if (r->type == XS_TRANSACTION_END)
		/* Ended whatever the answer: xenstored forgets it either way. */
		ended = xbdev_tx_unlink_locked(f, r->tx_id, r->gen);
	if (!f->closed) {
		xbdev_enqueue_locked(f, m);
		m = NULL;
	}
	spin_unlock(&f->lock);

	if (!m)
		wake_up(&f->read_wait);
	else
		xbdev_msg_free(m);
	kfree(ended);
	while (!list_empty(&gone)) {
		ended = list_first_entry(&gone, struct xbdev_tx, list);
		list_del(&ended->list);
		kfree(ended);
	}
	xbdev_req_free(r);
	if (kick)
		xbdev_schedule_cleanup(f);

	kref_put(&req->kref, xs_free_req);
	kref_put(&f->kref, xbdev_file_free);
}

/* ---- write() --------------------------------------------------------- */

static void xbdev_wdrop(struct xbdev_file *f)
{
	kfree(f->wreq);
	f->wreq = NULL;
	xs_user_frame_reset(&f->wframe);
}

/*
 * Gathers the @len bytes of a write() into the current message, in the
 * pieces xs_user_frame_next() names: bytes after a whole message are
 * dropped.  Under wlock.
 *
 * Returns how many bytes were taken: @len, or fewer when a fault stopped
 * the copy part-way (the bytes before it are kept); -EFAULT if the fault
 * came first, or -ENOMEM, with nothing of this write() taken; -EINVAL or
 * -E2BIG, which drop the message.
 */
static ssize_t xbdev_gather(struct xbdev_file *f, const char __user *ubuf,
			    size_t len)
{
	struct xs_user_frame *fr = &f->wframe;
	u32 start = fr->have;
	struct xs_user_piece p;
	size_t off = 0, left;
	void *to;
	int st;

	st = xs_user_frame_admit(fr, len);
	if (st) {
		xbdev_wdrop(f);
		return st;
	}
	while (xs_user_frame_next(fr, len - off, &p)) {
		to = p.body ? (void *)(f->wreq->body + p.off) :
			      (void *)((u8 *)&fr->hdr + p.off);
		left = copy_from_user(to, ubuf + off, p.len);
		off += p.len - left;
		st = xs_user_frame_took(fr, p.len - left);
		if (st < 0) {
			/* Refused before the body comes: it never has to fit. */
			xbdev_wdrop(f);
			return st;
		}
		if (st == XS_USER_FRAME_HDR) {
			f->wreq = kzalloc(struct_size(f->wreq, body,
						      fr->hdr.len),
					  GFP_KERNEL_ACCOUNT);
			if (!f->wreq) {
				/* The header's bytes came in this write(). */
				fr->have = start;
				return -ENOMEM;
			}
			f->wreq->msg = fr->hdr;
		}
		if (left)
			return off ? off : -EFAULT;
	}
	return len;
}

/*
 * Whether a new message may go in: the bounds on requests in flight and
 * on unread replies (not events: see the top of the file).
 */
static int xbdev_admit(struct xbdev_file *f)
{
	int err = 0;

	spin_lock(&f->lock);
	if (f->inflight >= XBDEV_MAX_INFLIGHT)
		err = -EBUSY;
	else if (f->rqueued >= XBDEV_MAX_QUEUED)	/* replies only */
		err = -ENOBUFS;
	spin_unlock(&f->lock);
	return err;
}

/*
 * Acts on a whole message, which this takes over.  Nothing is forwarded
 * or registered before xs_user_classify() has looked at it.  Returns 0,
 * also when the answer is an XS_ERROR to read, or the error for write().
 */
static int xbdev_dispatch(struct xbdev_file *f, struct xbdev_req *r)
{
	struct xs_user_msg um;
	int err, bad;

	err = xbdev_admit(f);
	if (err) {
		xbdev_req_free(r);
		return err;
	}

	bad = xs_user_classify(&r->msg, r->body, &um);
	if (bad == -E2BIG) {
		/* xbdev_gather() refused such a body already; as a framing error. */
		xbdev_req_free(r);
		return bad;
	}
	switch (r->msg.type) {
	case XS_RESET_WATCHES:
		/* The whole connection's, the kernel's included. */
		return xbdev_refuse(f, r, -EACCES);
	case XS_WATCH:
		if (bad)
			return xbdev_refuse(f, r, bad);
		return xbdev_watch_add(f, r, &um);
	case XS_UNWATCH:
		if (bad)
			return xbdev_refuse(f, r, bad);
		return xbdev_watch_del(f, r, &um);
	case XS_TRANSACTION_START:
		if (bad)
			return xbdev_refuse(f, r, bad);
		return xbdev_tx_start(f, r);
	default:
		return xbdev_forward(f, r, bad);
	}
}

static ssize_t xbdev_write(struct file *filp, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct xbdev_file *f = filp->private_data;
	struct xbdev_req *r;
	ssize_t ret;
	int err;

	if (!len)
		return 0;
	if (mutex_lock_killable(&f->wlock))
		return -EINTR;

	ret = xbdev_gather(f, ubuf, len);
	/* Whole only if no fault came: then @ret is @len. */
	if (ret > 0 && f->wreq && xs_user_frame_whole(&f->wframe)) {
		/* Whatever becomes of it, the next byte starts anew. */
		r = f->wreq;
		f->wreq = NULL;
		xs_user_frame_reset(&f->wframe);
		err = xbdev_dispatch(f, r);
		if (err)
			ret = err;
	}
	mutex_unlock(&f->wlock);
	return ret;
}

/* ---- read() and poll() ----------------------------------------------- */

static bool xbdev_readable(struct xbdev_file *f)
{
	bool ret;

	spin_lock(&f->lock);
	ret = !list_empty(&f->readq);
	spin_unlock(&f->lock);
	return ret;
}

/*
 * Copies what is left of @m, header then body, to @ubuf, at most @len
 * bytes.  Returns the bytes copied, or -EFAULT if not even one was.
 */
static ssize_t xbdev_msg_copy(struct xbdev_msg *m, char __user *ubuf,
			      size_t len)
{
	size_t copied = 0, n, left;
	const char *from;

	while (copied < len && m->done < xbdev_msg_size(m)) {
		if (m->done < XBDEV_HDR_SIZE) {
			from = (const char *)&m->hdr + m->done;
			n = XBDEV_HDR_SIZE - m->done;
		} else {
			from = m->body + (m->done - XBDEV_HDR_SIZE);
			n = xbdev_msg_size(m) - m->done;
		}
		n = min(n, len - copied);
		left = copy_to_user(ubuf + copied, from, n);
		m->done += n - left;
		copied += n - left;
		if (left)
			return copied ? copied : -EFAULT;
	}
	return copied;
}

/*
 * Hands out queued bytes, across messages, until @len or the queue runs
 * out.  Under rlock: only readers take messages off the queue, so the
 * head stays put while @lock is dropped for the copy.
 */
static ssize_t xbdev_drain(struct xbdev_file *f, char __user *ubuf,
			   size_t len)
{
	struct xbdev_msg *m;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		spin_lock(&f->lock);
		m = list_first_entry_or_null(&f->readq, struct xbdev_msg, list);
		spin_unlock(&f->lock);
		if (!m)
			break;

		n = xbdev_msg_copy(m, ubuf + done, len - done);
		if (n < 0)
			return done ? done : n;
		done += n;
		if (m->done < xbdev_msg_size(m))
			break;	/* @len reached, or a fault */

		spin_lock(&f->lock);
		list_del(&m->list);
		f->queued -= xbdev_msg_size(m);
		if (!m->event)
			f->rqueued -= xbdev_msg_size(m);
		spin_unlock(&f->lock);
		xbdev_msg_free(m);
	}
	return done;
}

static ssize_t xbdev_read(struct file *filp, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	struct xbdev_file *f = filp->private_data;
	ssize_t ret;

	if (!len)
		return 0;
	for (;;) {
		if (mutex_lock_interruptible(&f->rlock))
			return -ERESTARTSYS;
		ret = xbdev_drain(f, ubuf, len);
		mutex_unlock(&f->rlock);
		if (ret)
			return ret;

		if (filp->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(f->read_wait, xbdev_readable(f));
		if (ret)
			return ret;
	}
}

static __poll_t xbdev_poll(struct file *filp, poll_table *wait)
{
	struct xbdev_file *f = filp->private_data;

	poll_wait(filp, &f->read_wait, wait);
	return xbdev_readable(f) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* ---- open, release, cleanup ------------------------------------------ */

static void xbdev_file_free(struct kref *kref)
{
	struct xbdev_file *f = container_of(kref, struct xbdev_file, kref);
	struct xbdev_tx *tx, *next;

	/* The cleanup work unregistered every watch before its last put. */
	WARN_ON_ONCE(!list_empty(&f->watches));
	xbdev_msg_free_list(&f->readq);
	/* Left over: stale ones, and aborts that could not be sent. */
	list_for_each_entry_safe(tx, next, &f->txs, list)
		kfree(tx);
	kfree(f->wreq);
	kfree(f);
}

/* Queues the cleanup work, with a reference; the caller holds another. */
static void xbdev_schedule_cleanup(struct xbdev_file *f)
{
	kref_get(&f->kref);
	if (!queue_work(system_long_wq, &f->cleanup))
		kref_put(&f->kref, xbdev_file_free);
}

/*
 * Sends XS_TRANSACTION_END "F" for each transaction of the closed file
 * that is of the current generation and not being ended already.  Those
 * from before a resume are unknown to xenstored and only freed.  The
 * reply callbacks take the entries out of the table.
 */
static void xbdev_abort_transactions(struct xbdev_file *f)
{
	struct xbdev_tx *tx;
	struct xbdev_req *r;
	unsigned int gen;
	u32 id;
	int err;

	for (;;) {
		/* xs_tx_id_parse() lets no id 0 into the table. */
		spin_lock(&f->lock);
		id = 0;
		gen = 0;
		list_for_each_entry(tx, &f->txs, list) {
			if (!tx->ending) {
				tx->ending = true;
				id = tx->id;
				gen = tx->gen;
				break;
			}
		}
		spin_unlock(&f->lock);
		if (!id)
			return;
		if (!xbdev_gen_current(gen))
			continue;

		r = kzalloc(struct_size(r, body, 2), GFP_KERNEL);
		err = -ENOMEM;
		if (r) {
			r->msg.type = XS_TRANSACTION_END;
			r->msg.tx_id = id;
			r->msg.len = 2;
			memcpy(r->body, "F", 2);
			err = xbdev_send(f, r, true, gen);
			if (err)
				xbdev_req_free(r);
		}
		if (err && err != -EAGAIN)
			pr_warn_ratelimited("transaction %u of a closed file not ended: %d\n",
					    id, err);
	}
}

/*
 * After release(), from a work item because unregistering a watch and
 * sending a request may each wait for a suspend to end.  Queued again if
 * a start that was in flight at release() succeeds later.
 */
static void xbdev_cleanup_work(struct work_struct *work)
{
	struct xbdev_file *f = container_of(work, struct xbdev_file, cleanup);
	struct xbdev_watch *w, *next;

	mutex_lock(&f->wlock);
	list_for_each_entry_safe(w, next, &f->watches, list)
		xbdev_watch_release(f, w);
	mutex_unlock(&f->wlock);

	xbdev_abort_transactions(f);
	kref_put(&f->kref, xbdev_file_free);
}

static int xbdev_open(struct inode *inode, struct file *filp)
{
	struct xbdev_file *f;

	/* No xenstore in this domain (yet): as it has always failed. */
	if (!READ_ONCE(xen_store_evtchn))
		return -ENOENT;

	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->wlock);
	INIT_LIST_HEAD(&f->watches);
	mutex_init(&f->rlock);
	spin_lock_init(&f->lock);
	INIT_LIST_HEAD(&f->readq);
	INIT_LIST_HEAD(&f->txs);
	init_waitqueue_head(&f->read_wait);
	kref_init(&f->kref);
	INIT_WORK(&f->cleanup, xbdev_cleanup_work);

	filp->private_data = f;
	return stream_open(inode, filp);
}

/*
 * Nothing here waits for xenstore (see "Lifetime" at the top).  Unread
 * replies and events go at once; later ones are thrown away.
 */
static int xbdev_release(struct inode *inode, struct file *filp)
{
	struct xbdev_file *f = filp->private_data;
	LIST_HEAD(unread);

	spin_lock(&f->lock);
	f->closed = true;
	list_splice_init(&f->readq, &unread);
	f->queued = 0;
	f->rqueued = 0;
	spin_unlock(&f->lock);
	xbdev_msg_free_list(&unread);

	xbdev_schedule_cleanup(f);
	kref_put(&f->kref, xbdev_file_free);	/* the open file's */
	return 0;
}

/* The counters of the bounds at the top of the file. */
static void xbdev_show_fdinfo(struct seq_file *sf, struct file *filp)
{
	struct xbdev_file *f = filp->private_data;
	unsigned int inflight, ntx;
	unsigned long merged;
	u32 queued;

	spin_lock(&f->lock);
	queued = f->queued;
	inflight = f->inflight;
	ntx = f->ntx;
	merged = f->merged;
	spin_unlock(&f->lock);

	seq_printf(sf, "xenbus-queued:\t%u\n", queued);
	seq_printf(sf, "xenbus-inflight:\t%u\n", inflight);
	seq_printf(sf, "xenbus-watches:\t%u\n", READ_ONCE(f->nwatches));
	seq_printf(sf, "xenbus-transactions:\t%u\n", ntx);
	seq_printf(sf, "xenbus-merged:\t%lu\n", merged);
}

/* xenfs's "xenbus" file uses these too (declared in <xen/xenbus.h>). */
const struct file_operations xen_xenbus_fops = {
	.owner		= THIS_MODULE,
	.open		= xbdev_open,
	.release	= xbdev_release,
	.read		= xbdev_read,
	.write		= xbdev_write,
	.poll		= xbdev_poll,
	.show_fdinfo	= xbdev_show_fdinfo,
};
EXPORT_SYMBOL_GPL(xen_xenbus_fops);

/* No .mode: devtmpfs's default 0600, as the node has always been. */
static struct miscdevice xbdev_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/xenbus",
	.fops	= &xen_xenbus_fops,
};

/* Every Xen domain talks to a xenstore, so every one gets the node. */
static int __init xbdev_init(void)
{
	int err = xen_domain() ? misc_register(&xbdev_miscdev) : -ENODEV;

	if (err && err != -ENODEV)
		pr_err("cannot register /dev/xen/xenbus: %d\n", err);
	return err;
}
device_initcall(xbdev_init);
