// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watches: the table of registered watches, the events xenstored fires
 * for them, and the "xenwatch" thread that runs their callbacks.
 *
 * Tokens.  Each registration takes the next number of a 64-bit counter
 * as its token (xs_watch_token_make()); an event's token is parsed back
 * (xs_watch_token_parse()) and looked up in a hash table.  An event
 * whose token does not parse or names no registered watch (one just
 * unregistered, or a previous kernel's, kexec'ed from) is dropped: what
 * xenstored sends is never taken for a kernel address.  The counter
 * starts at random, away from the numbers of a previous kernel of ours.
 *
 * Bounded queues (XSA-349).  xs_watch_msg() queues events, the xenwatch
 * thread runs them, and a peer writing a watched node in a loop could
 * queue them faster.  After the watch's own will_handle, as always:
 *  - coalescing, for every watch: an event whose path already has an
 *    event queued for the same watch is dropped.  Events carry no
 *    value, only a path, and a callback reads the store when it runs;
 *    the queued event has not run yet, so its callback will see this
 *    change too.  Nothing is lost, and a watch's queue is bounded by
 *    the number of distinct paths under its node;
 *  - a cap, only for a watch with a will_handle: past
 *    XS_WATCH_PENDING_MAX queued events (nr_pending, which the buses
 *    also read in their will_handle), further ones are dropped, counted
 *    and reported.  A will_handle marks a watch on a path another domain
 *    may write (the buses' watches on the other end), which is where a
 *    flood can come from; those of the buses queue one event at most
 *    anyway.  Every other watch, such as the buses' own on "backend" or
 *    "device", where each event may add or remove a device, or those of
 *    /dev/xen/xenbus, never loses an event.
 *
 * Accounting.  Each watch counts the events that came for it and what
 * became of them, and the most it ever had queued; the queue counts its
 * length and its peak.  debugfs shows both, in xenbus/watches: one line
 * for the queue, then one per watch (xs_watch_stats_show()), which is
 * how the boot matrix asserts the bounds above under a real flood.
 *
 * Lifetime.  A watch is in the table before its XS_WATCH goes out:
 * xenstored fires it at once, maybe before the reply.  On the way out,
 * whether its registration failed or it is unregistered, it leaves the
 * table (no event is queued for it any more), its queued events are
 * freed, and a callback the xenwatch thread may be running is waited
 * for.  Then nothing of it runs or is referred to: it may be freed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/hashtable.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringhash.h>
#include <linux/wait.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "xenbus.h"
#include "xenbus_xs.h"
#include "xs_client_proto.h"
#include "xs_proto.h"

/* The most events a watch with a will_handle may have queued. */
#define XS_WATCH_PENDING_MAX	1024U
/* The size of the two tables of registered watches. */
#define XS_WATCH_HASH_BITS	8

/**
 * struct xs_watch_ref - a registered watch, as the table knows it
 * @by_id: its place in xs_watch_by_id
 * @by_watch: its place in xs_watch_by_ptr
 * @queued: its events in the xenwatch queue, oldest first
 * @watch: the caller's watch
 * @id: the number in its token
 * @events: events that came for it since it was registered
 * @filtered: of those, the ones its will_handle refused
 * @merged: the ones coalesced with an event of the same path
 * @dropped: the ones dropped over the cap (will_handle watches only)
 * @peak: the most events it ever had queued
 * @token: its token, as sent with XS_WATCH
 *
 * @by_id and @by_watch are xs_watch_lock's; @queued, the four counters
 * and @peak are xs_event_lock's.  The rest is set before the watch
 * enters the table.
 */
struct xs_watch_ref {
	struct hlist_node by_id;
	struct hlist_node by_watch;
	struct list_head queued;
	struct xenbus_watch *watch;
	u64 id;
	unsigned long events;
	unsigned long filtered;
	unsigned long merged;
	unsigned long dropped;
	unsigned int peak;
	char token[XS_WATCH_TOKEN_LEN];
};

/*
 * xs_watch_rwsem: read by a registration or unregistration across its
 * table change and request; written from xs_suspend() to xs_resume() or
 * xs_suspend_cancel(): the table holds still while xs_resume() walks it.
 */
static DECLARE_RWSEM(xs_watch_rwsem);

/*
 * xs_watch_lock protects the two tables of registered watches (each
 * entry is in both) and xs_watch_next_id.  will_handle runs under it.
 */
static DEFINE_SPINLOCK(xs_watch_lock);
static DEFINE_HASHTABLE(xs_watch_by_id, XS_WATCH_HASH_BITS);
static DEFINE_HASHTABLE(xs_watch_by_ptr, XS_WATCH_HASH_BITS);
static u64 xs_watch_next_id;

/*
 * xs_event_lock, taken under xs_watch_lock, protects xs_event_queue (all
 * events for the xenwatch thread, oldest first), its length and peak
 * (xs_event_count, xs_event_peak), each entry's queued events and
 * counters, and the nr_pending of every registered watch.
 */
static DEFINE_SPINLOCK(xs_event_lock);
static LIST_HEAD(xs_event_queue);
static unsigned int xs_event_count;
static unsigned int xs_event_peak;
/* The xenwatch thread sleeps here until an event is queued. */
static DECLARE_WAIT_QUEUE_HEAD(xs_event_wq);

/*
 * Held by the xenwatch thread from taking an event off the queue until
 * its callback returned: whoever takes it knows no callback is running.
 */
static DEFINE_MUTEX(xs_watch_cb_mutex);

/* The xenwatch thread; set once, before it first runs. */
static struct task_struct *xs_watch_task;

/* The two lookups, under xs_watch_lock. */
static struct xs_watch_ref *xs_ref_by_id(u64 id)
{
	struct xs_watch_ref *ref;

	hash_for_each_possible(xs_watch_by_id, ref, by_id, id)
		if (ref->id == id)
			return ref;
	return NULL;
}

static struct xs_watch_ref *xs_ref_of(const struct xenbus_watch *watch)
{
	struct xs_watch_ref *ref;

	hash_for_each_possible(xs_watch_by_ptr, ref, by_watch,
			       (unsigned long)watch)
		if (ref->watch == watch)
			return ref;
	return NULL;
}

/*
 * Under xs_watch_lock: queues @event for @ref's watch, unless the
 * watch's filter, an event of the same path already queued, or (for a
 * watch with a filter) the cap says no.  Returns whether it did; the
 * queue owns @event then.
 */
static bool xs_event_add(struct xs_watch_ref *ref,
			 struct xs_watch_event *event)
{
	struct xenbus_watch *watch = ref->watch;
	struct xs_watch_event *old;
	bool queued = false;

	spin_lock(&xs_event_lock);
	ref->events++;
	/* Under both locks: the filter may read nr_pending, which holds. */
	if (watch->will_handle &&
	    !watch->will_handle(watch, event->path, event->token)) {
		ref->filtered++;
		goto out;
	}
	list_for_each_entry(old, &ref->queued, watch_list) {
		if (old->path_hash == event->path_hash &&
		    !strcmp(old->path, event->path)) {
			ref->merged++;	/* coalesced: see the head comment */
			goto out;
		}
	}
	if (watch->will_handle && watch->nr_pending >= XS_WATCH_PENDING_MAX) {
		ref->dropped++;
		pr_warn_ratelimited("watch on %s: %u events queued, %lu dropped\n",
				    watch->node, watch->nr_pending,
				    ref->dropped);
		goto out;
	}
	event->handle = watch;
	list_add_tail(&event->list, &xs_event_queue);
	list_add_tail(&event->watch_list, &ref->queued);
	watch->nr_pending++;
	ref->peak = max(ref->peak, watch->nr_pending);
	xs_event_count++;
	xs_event_peak = max(xs_event_peak, xs_event_count);
	queued = true;
	wake_up(&xs_event_wq);
out:
	spin_unlock(&xs_event_lock);
	return queued;
}

/**
 * xs_watch_msg() - take in a watch event, in the xenbus thread
 * @event: the event, with its body and len; this takes it
 *
 * Splits the body into path and token (the transport does not look
 * inside it), finds the watch by the token and queues the event for the
 * xenwatch thread, or frees it by the rules above.  Never sleeps.
 *
 * Return: 0, also for an event dropped by rule; -EBADMSG or -EINVAL for
 * a malformed body or token.
 */
int xs_watch_msg(struct xs_watch_event *event)
{
	struct xs_watch_ref *ref;
	bool queued = false;
	u64 id;
	int err;

	err = xs_event_split(event->body, event->len, &event->path,
			     &event->token);
	if (!err)
		err = xs_watch_token_parse(event->token, &id);
	if (err) {
		kfree(event);
		return err;
	}
	event->path_hash = full_name_hash(NULL, event->path,
					  strlen(event->path));

	spin_lock(&xs_watch_lock);
	ref = xs_ref_by_id(id);
	if (ref)
		queued = xs_event_add(ref, event);
	spin_unlock(&xs_watch_lock);

	if (!queued)
		kfree(event);
	return 0;
}

/* Runs the oldest queued event, if any, under xs_watch_cb_mutex. */
static void xs_watch_run_one(void)
{
	struct xs_watch_event *event;

	mutex_lock(&xs_watch_cb_mutex);
	spin_lock(&xs_event_lock);
	event = list_first_entry_or_null(&xs_event_queue,
					 struct xs_watch_event, list);
	if (event) {
		list_del(&event->list);
		list_del(&event->watch_list);
		event->handle->nr_pending--;
		xs_event_count--;
	}
	spin_unlock(&xs_event_lock);

	/* The callback may unregister and free its watch: no use after. */
	if (event) {
		event->handle->callback(event->handle, event->path,
					event->token);
		kfree(event);
	}
	mutex_unlock(&xs_watch_cb_mutex);
}

static int xs_watch_thread(void *unused)
{
	for (;;) {
		wait_event_idle(xs_event_wq, !list_empty(&xs_event_queue));
		xs_watch_run_one();
	}
	return 0;
}

/**
 * xs_watch_start() - start the xenwatch thread, unless it runs already
 *
 * Return: 0, or the error of creating the thread.
 */
int xs_watch_start(void)
{
	struct task_struct *task;

	if (xs_watch_task)
		return 0;
	task = kthread_create(xs_watch_thread, NULL, "xenwatch");
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* Known before it runs, for unregister_xenbus_watch() to compare. */
	WRITE_ONCE(xs_watch_task, task);
	spin_lock(&xs_watch_lock);
	xs_watch_next_id = get_random_u64();
	spin_unlock(&xs_watch_lock);
	wake_up_process(task);
	return 0;
}

/* XS_WATCH or XS_UNWATCH of @ref's watch, with its token. */
static int xs_watch_send(const struct xs_watch_ref *ref,
			 enum xsd_sockmsg_type type)
{
	struct xs_msg m = {};

	xs_msg_add_path(&m, ref->watch->node, "");
	xs_msg_add(&m, ref->token, sizeof(ref->token));
	return xs_talk_ack(XBT_NIL, type, &m);
}

/* Takes @watch's entry out of both tables; NULL if it is in neither. */
static struct xs_watch_ref *xs_watch_unhash(const struct xenbus_watch *watch)
{
	struct xs_watch_ref *ref;

	spin_lock(&xs_watch_lock);
	ref = xs_ref_of(watch);
	if (ref) {
		hash_del(&ref->by_id);
		hash_del(&ref->by_watch);
	}
	spin_unlock(&xs_watch_lock);
	return ref;
}

/*
 * @ref has left the table: frees its queued events, waits for the
 * callback the xenwatch thread may be running, and frees @ref.  On the
 * xenwatch thread itself (a callback unregistering a watch) that
 * callback is the caller, and the mutex is held already.
 */
static void xs_watch_forget(struct xs_watch_ref *ref)
{
	struct xs_watch_event *event, *next;

	spin_lock(&xs_event_lock);
	list_for_each_entry_safe(event, next, &ref->queued, watch_list) {
		list_del(&event->list);
		list_del(&event->watch_list);
		kfree(event);
		xs_event_count--;
	}
	ref->watch->nr_pending = 0;
	spin_unlock(&xs_event_lock);

	if (current != READ_ONCE(xs_watch_task)) {
		mutex_lock(&xs_watch_cb_mutex);
		mutex_unlock(&xs_watch_cb_mutex);
	}
	kfree(ref);
}

/**
 * register_xenbus_watch() - watch a path in xenstore
 * @watch: the watch, with its node and callback (and will_handle, if
 *	any) set; it must stay as it is until unregistered
 *
 * The callback runs in the xenwatch thread, once soon after this (for
 * the watch's setting) and then for each change at or under the node.
 * Sleeps; blocks while a suspend runs, so it must not be called inside
 * a kernel transaction, which that suspend waits for.
 *
 * Return: 0; -EINVAL without node or callback; -EEXIST if registered
 * already; or the error of setting it, after which nothing of @watch
 * runs or is queued any more.
 */
int register_xenbus_watch(struct xenbus_watch *watch)
{
	struct xs_watch_ref *ref;
	int err = 0;

	if (!watch->node || !watch->callback)
		return -EINVAL;
	ref = kzalloc(sizeof(*ref), GFP_NOIO | __GFP_HIGH);
	if (!ref)
		return -ENOMEM;
	ref->watch = watch;
	INIT_LIST_HEAD(&ref->queued);

	down_read(&xs_watch_rwsem);
	spin_lock(&xs_watch_lock);
	if (xs_ref_of(watch)) {
		err = -EEXIST;
	} else {
		watch->nr_pending = 0;	/* not in the table: no one counts */
		ref->id = xs_watch_next_id++;
		xs_watch_token_make(ref->token, ref->id);
		hash_add(xs_watch_by_id, &ref->by_id, ref->id);
		hash_add(xs_watch_by_ptr, &ref->by_watch, (unsigned long)watch);
	}
	spin_unlock(&xs_watch_lock);
	if (err) {
		up_read(&xs_watch_rwsem);
		kfree(ref);
		return err;
	}

	/* In the table already: its first event may beat the reply. */
	err = xs_watch_send(ref, XS_WATCH);
	if (err)
		xs_watch_unhash(watch);
	up_read(&xs_watch_rwsem);

	if (err)	/* not under the rwsem: a callback may wait for it */
		xs_watch_forget(ref);
	return err;
}
EXPORT_SYMBOL_GPL(register_xenbus_watch);

/**
 * unregister_xenbus_watch() - stop watching
 * @watch: a watch registered with register_xenbus_watch()
 *
 * Drops the events queued for @watch and waits until its callback, if
 * running, has returned (unless called from that callback).  The caller
 * may then free @watch and its node.  Must not be called holding a lock
 * that any watch callback takes, nor inside a kernel transaction.
 * Sleeps; blocks while a suspend runs.
 */
void unregister_xenbus_watch(struct xenbus_watch *watch)
{
	struct xs_watch_ref *ref;
	int err;

	down_read(&xs_watch_rwsem);
	ref = xs_watch_unhash(watch);
	if (WARN_ON_ONCE(!ref)) {
		up_read(&xs_watch_rwsem);
		return;
	}
	/* Out of the table first: events from now on are dropped. */
	err = xs_watch_send(ref, XS_UNWATCH);
	up_read(&xs_watch_rwsem);
	if (err)
		pr_warn("cannot unwatch %s: %d\n", watch->node, err);

	xs_watch_forget(ref);
}
EXPORT_SYMBOL_GPL(unregister_xenbus_watch);

/**
 * xs_watch_block() - block watch (un)registration, for xs_suspend()
 */
void xs_watch_block(void)
{
	down_write(&xs_watch_rwsem);
}

/**
 * xs_watch_unblock() - undo xs_watch_block()
 */
void xs_watch_unblock(void)
{
	up_write(&xs_watch_rwsem);
}

/**
 * xs_watch_resend() - set every registered watch again, for xs_resume()
 *
 * With registration blocked (xs_watch_block()) and the request gate
 * open.  Each watch keeps its token; xenstored fires each once, so every
 * callback reads the store as it is now.  A failure is only reported.
 */
void xs_watch_resend(void)
{
	struct xs_watch_ref *ref;
	unsigned int bkt;
	int err;

	/* Every writer of the table holds the rwsem: the walk needs no lock. */
	lockdep_assert_held_write(&xs_watch_rwsem);
	hash_for_each(xs_watch_by_id, bkt, ref, by_id) {
		err = xs_watch_send(ref, XS_WATCH);
		if (err)
			pr_warn("cannot watch %s again: %d\n",
				ref->watch->node, err);
	}
}

/*
 * debugfs xenbus/watches: "queued N peak N" for the xenwatch queue, then
 * one line per registered watch: its token and node, the events it has
 * queued and the most it ever had, and what became of the events that
 * came for it.  Tokens hold no blanks (xs_watch_token_make()); a node is
 * escaped, since a process's watch through /dev/xen/xenbus is listed
 * before xenstored has refused a path with blanks or newlines.
 */
static int xs_watch_stats_show(struct seq_file *m, void *unused)
{
	struct xs_watch_ref *ref;
	unsigned int bkt;

	spin_lock(&xs_watch_lock);
	spin_lock(&xs_event_lock);
	seq_printf(m, "queued %u peak %u\n", xs_event_count, xs_event_peak);
	hash_for_each(xs_watch_by_id, bkt, ref, by_id) {
		seq_printf(m, "%s ", ref->token);
		seq_escape(m, ref->watch->node, " \t\n\\");
		seq_printf(m, " queued %u peak %u events %lu filtered %lu merged %lu dropped %lu\n",
			   ref->watch->nr_pending, ref->peak, ref->events,
			   ref->filtered, ref->merged, ref->dropped);
	}
	spin_unlock(&xs_event_lock);
	spin_unlock(&xs_watch_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xs_watch_stats);

static int __init xs_watch_debugfs_init(void)
{
	struct dentry *dir;

	if (!xen_domain())
		return 0;
	dir = debugfs_create_dir("xenbus", NULL);
	debugfs_create_file("watches", 0400, dir, NULL, &xs_watch_stats_fops);
	return 0;
}
late_initcall(xs_watch_debugfs_init);
