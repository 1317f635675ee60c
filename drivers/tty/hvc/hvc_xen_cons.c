// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen's consoles under hvc.  The primary console, hvc0, is Xen's own
 * console in dom0 (reached by hypercall) and a shared page served by
 * xenconsoled in any other domain; secondary consoles come from the
 * frontend (hvc_xen_front.c).  Each console is a struct xencons on one
 * list, found by hvc's terminal number.
 *
 * The console daemon is not trusted: its indexes are checked
 * (hvc_xen_ring.c), a ring it broke is reported once and left alone, a
 * writer never waits longer than XENCONS_STALL_NS for it, and an event
 * that brings neither input nor consumed output counts as spurious, so
 * that late EOI throttles a daemon that only sends events.
 */
#include <linux/console.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/rculist.h>
#include <linux/sched/clock.h>
#include <linux/time64.h>

#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/page.h>

#include <xen/events.h>
#include <xen/hvc-console.h>
#include <xen/hvm.h>
#include <xen/interface/hvm/params.h>
#include <xen/interface/sched.h>
#include <xen/page.h>
#include <xen/xen.h>

#include "hvc_console.h"
#include "hvc_xen.h"

/* How long a writer waits for the daemon to consume output, at most. */
#define XENCONS_STALL_NS	(2 * NSEC_PER_SEC)
/* ... and how many times it yields meanwhile, should the clock not run. */
#define XENCONS_STALL_YIELDS	BIT(20)

/* Every console of this domain; written under xencons_list_lock. */
static LIST_HEAD(xencons_list);
/* Serialises additions to and removals from xencons_list. */
static DEFINE_SPINLOCK(xencons_list_lock);

/*
 * The primary console.  Static, so that it serves before any allocator
 * runs (the early console writes through it too), and never freed.
 */
static struct xencons xencons_primary;

/**
 * xencons_init() - set up a console's record before it is used
 * @c: the record, zeroed by the caller
 * @vtermno: hvc's terminal number for it
 */
void xencons_init(struct xencons *c, u32 vtermno)
{
	INIT_LIST_HEAD(&c->node);
	spin_lock_init(&c->lock);
	c->vtermno = vtermno;
}

/**
 * xencons_add() - make a console findable by its terminal number
 * @c: the console, attached to its page
 */
void xencons_add(struct xencons *c)
{
	unsigned long flags;

	spin_lock_irqsave(&xencons_list_lock, flags);
	list_add_tail_rcu(&c->node, &xencons_list);
	spin_unlock_irqrestore(&xencons_list_lock, flags);
}

/**
 * xencons_del() - take a console off the list
 * @c: the console
 *
 * Waits until no hv_ops call can still be using @c.  Sleeps.
 */
void xencons_del(struct xencons *c)
{
	unsigned long flags;

	spin_lock_irqsave(&xencons_list_lock, flags);
	list_del_rcu(&c->node);
	spin_unlock_irqrestore(&xencons_list_lock, flags);
	synchronize_rcu();
}

/* The console of terminal VTERMNO, or NULL.  Under rcu_read_lock(). */
static struct xencons *xencons_find(u32 vtermno)
{
	struct xencons *c;

	list_for_each_entry_rcu(c, &xencons_list, node)
		if (c->vtermno == vtermno)
			return c;
	return NULL;
}

/*
 * Whether to say that the daemon broke C's ring: once per attach.  Under
 * c->lock; the caller prints after unlocking, since printing reaches the
 * console, and so this lock, again.
 */
static bool xencons_first_report(struct xencons *c)
{
	if (c->reported)
		return false;
	c->reported = true;
	return true;
}

static void xencons_say_broken(struct xencons *c)
{
	pr_err_ratelimited("xen console %#x: the console daemon wrote an impossible ring index; the console is stopped\n",
			   c->vtermno);
	/* A secondary console goes to an error state; its frontend acts. */
	if (c->xbdev)
		schedule_work(&c->broken_work);
}

/*
 * After a ring operation that moved N bytes (or failed), with c->lock
 * dropped: tell the daemon, which may wait for data or for room, and say
 * that the ring broke if SAY (xencons_first_report()).
 */
static void xencons_after_io(struct xencons *c, int n, bool say)
{
	if (n > 0)
		notify_remote_via_evtchn(c->evtchn);
	if (say)
		xencons_say_broken(c);
}

/* One try at queueing output: how much went, or -EIO. */
static int xencons_write_once(struct xencons *c, const u8 *data, size_t len,
			      bool *stalled)
{
	unsigned long flags;
	bool say = false;
	int n;

	/* A CPU stopped by a panic may hold the lock: do not wait for it. */
	if (unlikely(oops_in_progress)) {
		if (!spin_trylock_irqsave(&c->lock, flags))
			return -EBUSY;
	} else {
		spin_lock_irqsave(&c->lock, flags);
	}
	n = xencons_ring_write(&c->ring, data, len);
	if (n > 0)
		c->stalled = false;
	if (n == -EIO)
		say = xencons_first_report(c);
	*stalled = c->stalled;
	spin_unlock_irqrestore(&c->lock, flags);
	xencons_after_io(c, n, say);
	return n;
}

/**
 * xencons_write_all() - queue output, waiting a bounded time for room
 * @c: the console
 * @data: the bytes
 * @len: how many
 *
 * The most useful output is written when the kernel is in trouble, so
 * writers wait for the daemon rather than rely on hvc to retry; but one
 * call waits at most XENCONS_STALL_NS (and yields to Xen at most
 * XENCONS_STALL_YIELDS times) in all, however the daemon trickles, and
 * then the console counts as stalled: writers queue only what fits until
 * the daemon consumes again.  Callable from any context.
 *
 * Return: how many bytes were queued, or a negative error (-EIO: the
 * ring is broken) if nothing was.
 */
int xencons_write_all(struct xencons *c, const u8 *data, size_t len)
{
	unsigned long yields = 0;
	bool waiting = false;
	size_t done = 0;
	bool stalled;
	u64 since = 0;
	int n;

	while (done < len) {
		n = xencons_write_once(c, data + done, len - done, &stalled);
		if (n < 0)
			return done ? done : n;
		done += n;
		if (n || done == len)
			continue;
		if (stalled)
			break;
		if (!waiting) {
			waiting = true;
			since = local_clock();
		} else if (local_clock() - since > XENCONS_STALL_NS ||
			   ++yields > XENCONS_STALL_YIELDS) {
			unsigned long flags;

			spin_lock_irqsave(&c->lock, flags);
			c->stalled = true;
			spin_unlock_irqrestore(&c->lock, flags);
			break;
		}
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return done;
}

static ssize_t xencons_put_chars(u32 vtermno, const u8 *data, size_t len)
{
	struct xencons *c;
	int n = -ENODEV;

	/* The primary console is never removed: no RCU around the wait. */
	if (vtermno == XENCONS_VTERM_PRIMARY)
		return xencons_primary.ring.intf ?
			xencons_write_all(&xencons_primary, data, len) : n;
	rcu_read_lock();
	c = xencons_find(vtermno);
	if (c)
		n = xencons_write_all(c, data, len);
	rcu_read_unlock();
	return n;
}

/*
 * Input.  A broken ring hangs the terminal up (-EPIPE), so that its users
 * see the console is gone.
 */
static ssize_t xencons_get_chars(u32 vtermno, u8 *buf, size_t len)
{
	unsigned long flags;
	struct xencons *c;
	bool say = false;
	int n = -ENODEV;

	rcu_read_lock();
	c = xencons_find(vtermno);
	if (c) {
		spin_lock_irqsave(&c->lock, flags);
		n = xencons_ring_read(&c->ring, buf, len);
		if (n == -EIO)
			say = xencons_first_report(c);
		spin_unlock_irqrestore(&c->lock, flags);
		xencons_after_io(c, n, say);
		if (n == -EIO)
			n = -EPIPE;
	}
	rcu_read_unlock();
	return n;
}

/*
 * hvc asks for the interrupt when a terminal opens and gives it back when
 * it closes.  Ours stays bound, with xencons_interrupt(), from connect to
 * disconnect, so that every event gets its EOI; hvc only learns whether
 * to poll.
 */
static int xencons_notifier_add(struct hvc_struct *hp, int irq)
{
	hp->irq_requested = irq ? 1 : 0;
	return 0;
}

static void xencons_notifier_del(struct hvc_struct *hp, int irq)
{
	hp->irq_requested = 0;
}

/**
 * xencons_interrupt() - an event from a console daemon
 * @irq: the console's irq, bound with late EOI
 * @dev_id: the console
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t xencons_interrupt(int irq, void *dev_id)
{
	struct xencons *c = dev_id;
	struct hvc_struct *hvc;
	unsigned long flags;
	bool moved;

	spin_lock_irqsave(&c->lock, flags);
	moved = xencons_ring_moved(&c->ring);
	if (moved)
		c->stalled = false;
	spin_unlock_irqrestore(&c->lock, flags);

	/* Paired with the release that published it. */
	hvc = smp_load_acquire(&c->hvc);
	if (moved && hvc && hvc_poll(hvc))
		hvc_kick();
	xen_irq_lateeoi(irq, moved ? 0 : XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

const struct hv_ops xencons_domu_ops = {
	.get_chars = xencons_get_chars,
	.put_chars = xencons_put_chars,
	.notifier_add = xencons_notifier_add,
	.notifier_del = xencons_notifier_del,
	.notifier_hangup = xencons_notifier_del,
};

/* dom0's console is Xen's: reading and writing are hypercalls. */
static ssize_t xencons_dom0_get_chars(u32 vtermno, u8 *buf, size_t len)
{
	return HYPERVISOR_console_io(CONSOLEIO_read, len, (char *)buf);
}

/**
 * xencons_hypercall_write() - write to Xen's own console
 * @s: the text
 * @len: its length
 *
 * Xen takes output from dom0, and from other domains if it was built
 * with debugging.
 *
 * Return: 0, or Xen's error where it does not take the output.
 */
int xencons_hypercall_write(const char *s, size_t len)
{
	int rc = HYPERVISOR_console_io(CONSOLEIO_write, len, (char *)s);

	return rc < 0 ? rc : 0;
}

static ssize_t xencons_dom0_put_chars(u32 vtermno, const u8 *data, size_t len)
{
	int rc = xencons_hypercall_write((const char *)data, len);

	return rc < 0 ? rc : len;
}

static const struct hv_ops xencons_dom0_ops = {
	.get_chars = xencons_dom0_get_chars,
	.put_chars = xencons_dom0_put_chars,
	.notifier_add = notifier_add_irq,
	.notifier_del = notifier_del_irq,
	.notifier_hangup = notifier_hangup_irq,
};

/* The primary page and channel of an HVM or PVH domain, from Xen. */
static int xencons_hvm_params(evtchn_port_t *evtchn, u64 *pfn)
{
	u64 v = 0;

	/* A toolstack that set no console leaves both 0, never valid. */
	if (hvm_get_parameter(HVM_PARAM_CONSOLE_EVTCHN, &v) < 0 || !v ||
	    v > U32_MAX)
		return -ENODEV;
	*evtchn = v;
	v = 0;
	if (hvm_get_parameter(HVM_PARAM_CONSOLE_PFN, &v) < 0 || !v)
		return -ENODEV;
	*pfn = v;
	return 0;
}

/**
 * xencons_primary_attach() - find the primary console's page and channel
 *
 * Idempotent: the early console, the console initcall and the device
 * initcall each call it, and the first that runs attaches.  Not for
 * dom0, whose console has no page.
 *
 * Return: 0, or -ENODEV if the domain has no such console.
 */
int xencons_primary_attach(void)
{
	struct xencons *c = &xencons_primary;
	struct xencons_interface *intf;
	evtchn_port_t evtchn;
	u64 pfn;

	if (c->ring.intf)
		return 0;
	if (xen_initial_domain())
		return -ENODEV;
	if (xen_pv_domain()) {
		evtchn = xen_start_info->console.domU.evtchn;
		if (!evtchn)
			return -ENODEV;
		/* A PV domain's frames are machine frames. */
		intf = gfn_to_virt(xen_start_info->console.domU.mfn);
	} else if (xen_hvm_domain()) {
		if (xencons_hvm_params(&evtchn, &pfn))
			return -ENODEV;
		intf = memremap(pfn << XEN_PAGE_SHIFT, XEN_PAGE_SIZE,
				MEMREMAP_WB);
		if (!intf)
			return -ENODEV;
	} else {
		return -ENODEV;
	}
	xencons_init(c, XENCONS_VTERM_PRIMARY);
	c->evtchn = evtchn;
	xencons_ring_attach(&c->ring, intf);
	xencons_add(c);
	return 0;
}

/**
 * xencons_primary_get() - the primary console, if it has a page
 *
 * Return: the primary console, or NULL before xencons_primary_attach()
 * found its page, and in dom0.
 */
struct xencons *xencons_primary_get(void)
{
	return xencons_primary.ring.intf ? &xencons_primary : NULL;
}

/**
 * xen_console_resume() - take the primary console back after a resume
 *
 * The domain may be on another host, with the page cleared and a new
 * channel: the channel is looked up again, the ring re-attached and the
 * irq moved to the new channel.  Called once Xen has resumed the domain,
 * before the devices.
 */
void xen_console_resume(void)
{
	struct xencons *c = &xencons_primary;
	evtchn_port_t evtchn = c->evtchn;
	unsigned long flags;
	u64 pfn;

	if (xen_initial_domain() || !c->ring.intf)
		return;
	if (xen_pv_domain())
		evtchn = xen_start_info->console.domU.evtchn;
	else if (xencons_hvm_params(&evtchn, &pfn))
		evtchn = c->evtchn;
	spin_lock_irqsave(&c->lock, flags);
	c->evtchn = evtchn;
	xencons_ring_attach(&c->ring, c->ring.intf);
	c->stalled = false;
	c->reported = false;
	spin_unlock_irqrestore(&c->lock, flags);
	if (c->irq)
		rebind_evtchn_irq(evtchn, c->irq);
}

/* hvc0 as the system console, before interrupts and allocators. */
static int __init xencons_console_init(void)
{
	if (!xen_domain())
		return 0;
	if (xen_initial_domain())
		return hvc_instantiate(XENCONS_VTERM_PRIMARY, 0,
				       &xencons_dom0_ops);
	if (xencons_primary_attach())
		return 0;
	return hvc_instantiate(XENCONS_VTERM_PRIMARY, 0, &xencons_domu_ops);
}
console_initcall(xencons_console_init);

/* dom0's hvc0: Xen tells of input with VIRQ_CONSOLE. */
static int __init xencons_dom0_init(void)
{
	struct hvc_struct *hvc;
	int irq;

	irq = bind_virq_to_irq(VIRQ_CONSOLE, 0, false);
	if (irq < 0)
		irq = 0;
	else
		irq_set_noprobe(irq);
	hvc = hvc_alloc(XENCONS_VTERM_PRIMARY, irq, &xencons_dom0_ops,
			XENCONS_OUTBUF);
	if (IS_ERR(hvc)) {
		pr_err("xen console: no hvc0 (%ld)\n", PTR_ERR(hvc));
		return PTR_ERR(hvc);
	}
	return 0;
}

/* Any other domain's hvc0, on the page xencons_primary_attach() found. */
static int __init xencons_domu_init(void)
{
	struct xencons *c = &xencons_primary;
	struct hvc_struct *hvc;
	int irq;

	if (xencons_primary_attach())
		return -ENODEV;
	irq = bind_evtchn_to_irqhandler_lateeoi(c->evtchn, xencons_interrupt,
						0, "hvc_console", c);
	if (irq < 0) {
		/* hvc polls a console without an interrupt. */
		pr_warn("xen console: no interrupt (%d); polling\n", irq);
		irq = 0;
	} else {
		irq_set_noprobe(irq);
	}
	c->irq = irq;
	hvc = hvc_alloc(XENCONS_VTERM_PRIMARY, irq, &xencons_domu_ops,
			XENCONS_OUTBUF);
	if (IS_ERR(hvc)) {
		/* The channel stays bound: the early console may use it. */
		pr_err("xen console: no hvc0 (%ld)\n", PTR_ERR(hvc));
		return PTR_ERR(hvc);
	}
	/* The handler sees an hvc that hvc_alloc() finished. */
	smp_store_release(&c->hvc, hvc);
	return 0;
}

static int __init xencons_hvc_init(void)
{
	int rc, front;

	if (!xen_domain())
		return -ENODEV;
	if (xen_initial_domain())
		rc = xencons_dom0_init();
	else
		rc = xencons_domu_init();
	/* A domain without a primary console may still have others. */
	if (rc == -ENODEV)
		rc = 0;
	front = xencons_front_register();
	return rc ? rc : front;
}
device_initcall(xencons_hvc_init);
