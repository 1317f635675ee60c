// SPDX-License-Identifier: GPL-2.0-only
/*
 * Starting the kernel's xenstore client, and holding it still while the
 * connection to xenstored goes down and comes back: around a suspend of
 * the domain (save, migration), and when dom0 hands its ring to a
 * xenstore domain (xenbus_dev_backend.c).
 *
 * The request gate.  The connection may only go down when nothing uses
 * it: no request in flight and no kernel transaction open, since
 * xenstored forgets transactions across a suspend and a caller half-way
 * through one could not finish it.  So every request is counted in on
 * its way to the queue and out once its reply is handled, and every
 * kernel transaction from its start to its end.  Once a suspend has
 * begun, new requests sleep at the gate until it is over, except kernel
 * requests while any kernel transaction is open, whatever their tx_id:
 * the suspend waits for that transaction to end, and the code inside it
 * may send requests outside it too (xenbus_exists(XBT_NIL, ...), or
 * xenbus_dev_error() writing its record), or start another one.
 * Holding back any of them could wait for ever.  Requests of
 * /dev/xen/xenbus are always held back: its transactions are the
 * process's affair, and only their requests in flight count, as they
 * always have.
 *
 * A kernel XS_TRANSACTION_START counts its transaction on the way in,
 * so that no suspend can slip in between its reply and the count.  The
 * count is given back if the start fails, and by
 * xenbus_transaction_end() whatever the outcome: xenstored has dropped
 * the transaction after any answer, and a caller whose end failed does
 * not end it again.
 *
 * The steps, each undone in reverse:
 *
 *   xs_suspend()         1. watch registration blocked (xs_watch_rwsem
 *                           for writing)
 *                        2. the gate shut, and waited until idle
 *                        3. xs_response_mutex: the xenbus thread is
 *                           between two incoming messages
 *   xs_resume()          the ring taken up again; the mutex given back;
 *                        a new generation for /dev/xen/xenbus; the gate
 *                        open; every watch set again, with its token;
 *                        registration unblocked
 *   xs_suspend_cancel()  the same xenstored goes on: the same releases,
 *                        but no new generation and no watch set again
 *
 * Why watches come first: a registration holds xs_watch_rwsem for
 * reading across its XS_WATCH request.  Were the gate shut first, that
 * request would sleep at the gate for the suspend, and the suspend
 * would wait for the rwsem held by its sender: neither would move.  The
 * same order is why no watch may be registered or unregistered inside a
 * kernel transaction (<xen/xenbus.h> says so): the suspend, holding the
 * rwsem, would wait for the transaction, and the transaction's owner
 * for the rwsem.
 *
 * xs_suspend() to xs_resume() or xs_suspend_cancel() is one caller's
 * at a time (control/suspend.c, or xenbus_dev_backend.c's setup_lock),
 * and the rwsem makes it so anyway.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <asm/xen/hypercall.h>
#include <xen/interface/version.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "xenbus.h"
#include "xenbus_xs.h"

/*
 * The generation of the connection to xenstored, for /dev/xen/xenbus: a
 * file's transactions belong to the generation they began in.  Written
 * only by xs_resume(), with the gate shut, using WRITE_ONCE().
 */
unsigned int xb_dev_generation_id;

/* xs_gate_lock protects the four values below; nothing nests inside. */
static DEFINE_SPINLOCK(xs_gate_lock);
/* Requests past the gate whose reply has not been handled yet. */
static unsigned int xs_gate_in_flight;
/* Kernel transactions started (or starting) and not yet ended. */
static unsigned int xs_gate_kernel_tx;
/* From xs_suspend() until xs_resume() or xs_suspend_cancel(). */
static bool xs_gate_suspending;
/* The req_id of the next request; replies are matched by it. */
static u32 xs_gate_next_id;
/* Requests that found the gate shut sleep here until it opens. */
static DECLARE_WAIT_QUEUE_HEAD(xs_gate_open_wq);
/* xs_suspend() sleeps here until the last user is out. */
static DECLARE_WAIT_QUEUE_HEAD(xs_gate_idle_wq);

/* Whether @req may pass now; under xs_gate_lock. */
static bool xs_gate_may_pass(const struct xb_req_data *req)
{
	if (!xs_gate_suspending)
		return true;
	/*
	 * A kernel request while a kernel transaction is open: the
	 * suspend waits for that transaction to end, which it cannot if
	 * the code inside it is held back, in or out of the transaction.
	 * Once the suspend has stopped waiting, no kernel transaction is
	 * open, and nothing passes any more.
	 */
	return !req->user_req && xs_gate_kernel_tx;
}

/**
 * xs_gate_enter() - count a request in, once the gate lets it
 * @req: the request, with its type, tx_id and user_req set
 *
 * Sleeps while a suspend runs, unless @req is a kernel request and a
 * kernel transaction is open.  A kernel XS_TRANSACTION_START also counts
 * its transaction.  Gives @req the req_id it goes out with.
 */
void xs_gate_enter(struct xb_req_data *req)
{
	spin_lock(&xs_gate_lock);
	while (!xs_gate_may_pass(req)) {
		spin_unlock(&xs_gate_lock);
		wait_event(xs_gate_open_wq, !READ_ONCE(xs_gate_suspending));
		spin_lock(&xs_gate_lock);
	}
	xs_gate_in_flight++;
	if (!req->user_req && req->type == XS_TRANSACTION_START)
		xs_gate_kernel_tx++;
	req->msg.req_id = xs_gate_next_id++;
	spin_unlock(&xs_gate_lock);
}

/**
 * xs_gate_leave() - count a request out, or a kernel transaction ended
 * @request: a request's reply has been handled
 * @tx_end: a kernel transaction is over (or never began)
 *
 * Wakes a suspend that waited for the last of them.  Counting out what
 * was never counted in is a bug, which only warns: it must not make a
 * suspend wait for ever.
 */
void xs_gate_leave(bool request, bool tx_end)
{
	bool idle;

	spin_lock(&xs_gate_lock);
	if (request && !WARN_ON_ONCE(!xs_gate_in_flight))
		xs_gate_in_flight--;
	if (tx_end && !WARN_ON_ONCE(!xs_gate_kernel_tx))
		xs_gate_kernel_tx--;
	idle = xs_gate_suspending && !xs_gate_in_flight && !xs_gate_kernel_tx;
	spin_unlock(&xs_gate_lock);

	if (idle)
		wake_up(&xs_gate_idle_wq);
}

static bool xs_gate_idle(void)
{
	bool idle;

	spin_lock(&xs_gate_lock);
	idle = !xs_gate_in_flight && !xs_gate_kernel_tx;
	spin_unlock(&xs_gate_lock);
	return idle;
}

/* Holds back new requests, and waits until no one uses the connection. */
static void xs_gate_close(void)
{
	spin_lock(&xs_gate_lock);
	WRITE_ONCE(xs_gate_suspending, true);
	spin_unlock(&xs_gate_lock);

	wait_event(xs_gate_idle_wq, xs_gate_idle());
}

static void xs_gate_open(void)
{
	spin_lock(&xs_gate_lock);
	WRITE_ONCE(xs_gate_suspending, false);
	spin_unlock(&xs_gate_lock);

	wake_up_all(&xs_gate_open_wq);
}

/**
 * xs_suspend() - quiesce the xenstore client before the connection goes
 *
 * Returns with watch registration blocked, no request in flight, no
 * kernel transaction open, and the xenbus thread between messages.  New
 * requests sleep until xs_resume() or xs_suspend_cancel(), one of which
 * must follow.
 */
void xs_suspend(void)
{
	xs_watch_block();
	xs_gate_close();
	mutex_lock(&xs_response_mutex);
}

/**
 * xs_resume() - take the xenstore client up again on a new connection
 *
 * After xs_suspend(), once the domain runs again after a real suspend,
 * or once dom0's ring moved to a new event channel.  The ring is taken
 * up again (xb_init_comms()), and every registered watch is set again
 * with its own token, for a xenstored that may never have heard of it.
 */
void xs_resume(void)
{
	int err;

	err = xb_init_comms();
	if (err)
		pr_err("cannot take up the xenstore ring again: %d\n", err);
	mutex_unlock(&xs_response_mutex);
	/*
	 * Before the gate opens: a /dev/xen/xenbus request that passes it
	 * from now on is checked against the new generation.
	 */
	WRITE_ONCE(xb_dev_generation_id, xb_dev_generation_id + 1);
	xs_gate_open();
	xs_watch_resend();
	xs_watch_unblock();
}

/**
 * xs_suspend_cancel() - go on as before xs_suspend()
 *
 * The suspend did not happen: the connection, its transactions and its
 * watches are all still there.  Nothing is set again, and the
 * generation stays.
 */
void xs_suspend_cancel(void)
{
	mutex_unlock(&xs_response_mutex);
	xs_gate_open();
	xs_watch_unblock();
}

/*
 * A kernel started by kexec in an HVM domain inherits the watches the
 * previous kernel set, and their events would come here.  Where
 * xenstored can (control/platform-feature-xs_reset_watches says so),
 * XS_RESET_WATCHES drops them all.  The toolstacks of Xen 3 mishandle a
 * read of a key never written, so they are not even asked.  The initial
 * domain and PV domains are left alone, as they always were.
 */
static void xs_drop_inherited_watches(void)
{
	struct xs_msg m = {};
	int err;

	if (!xen_hvm_domain() || xen_initial_domain())
		return;
	if ((HYPERVISOR_xen_version(XENVER_version, NULL) >> 16) < 4)
		return;
	if (!xenbus_read_unsigned("control",
				  "platform-feature-xs_reset_watches", 0))
		return;

	xs_msg_add(&m, "", 1);
	err = xs_talk_ack(XBT_NIL, XS_RESET_WATCHES, &m);
	if (err && err != -EEXIST)
		pr_warn("cannot reset the previous kernel's watches: %d\n",
			err);
}

/**
 * xs_init() - start the kernel's xenstore client
 *
 * Called by xenbus_store_init.c once xen_store_interface and
 * xen_store_evtchn are known: at boot, or, in an HVM domain, when
 * xenstore comes up; callers are serialised.  Starts the xenwatch
 * thread, then the transport (xb_init_comms()), then has waiting
 * senders give up when the system goes down.  A failed call may be
 * made again; one that succeeded is not repeated.
 *
 * Return: 0, or the error of the step that failed.
 */
int xs_init(void)
{
	int err;

	err = xs_watch_start();
	if (err)
		return err;
	err = xb_init_comms();
	if (err)
		return err;
	/* Last: it can only be done once, and nothing after it fails. */
	err = xs_requests_init();
	if (err)
		return err;

	xs_drop_inherited_watches();
	return 0;
}
