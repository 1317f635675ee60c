// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Where this domain's xenstore is, and the moment it is up.
 *
 * xenstored reaches a domain through one shared page and one event
 * channel.  Where they come from depends on the domain
 * (xen_store_domain_type):
 *
 * XS_PV     a PV domain's start info names both, and xenstored, in
 *           another domain, already serves them.
 * XS_HVM    an HVM or PVH domain reads both from HVM parameters.  The
 *           page may not be ready yet (the parameter is all ones, or the
 *           page is not yet marked connected): its first event says when.
 *           The event callback may not work before the platform PCI
 *           device sets it up, which xen_set_callback_via() reports.
 * XS_LOCAL  the initial domain, before xenstored runs: this kernel
 *           allocates the page and an unbound event channel, which
 *           xenstored later finds in /proc/xen/xsd_kva and xsd_port;
 *           its first event says it is up.
 *
 * Once xenstore is up, xenstored_ready is set and the notifier chain
 * tells whoever registered (the buses, then probe their devices).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/proc_fs.h>
#include <linux/wait.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <xen/events.h>
#include <xen/hvm.h>
#include <xen/interface/event_channel.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xen-ops.h>
#include <xen/xenbus.h>

#include "xenbus.h"

/*
 * The event channel to xenstored: set at boot, again after a resume (by
 * the resume notifier below), and by /dev/xen/xenbus_backend when a
 * xenstore domain is set up.
 */
int xen_store_evtchn;
EXPORT_SYMBOL_GPL(xen_store_evtchn);

/* The page shared with xenstored, once known (NULL before). */
struct xenstore_domain_interface *xen_store_interface;
EXPORT_SYMBOL_GPL(xen_store_interface);

/* How this domain reaches xenstore; XS_UNKNOWN if it cannot. */
enum xenstore_init xen_store_domain_type;
EXPORT_SYMBOL_GPL(xen_store_domain_type);

/*
 * Nonzero once xenstore is up (in a PV domain whose xenstored runs
 * elsewhere, as soon as its client started, at boot).  Written under
 * up_lock; read without it by those who only want to know
 * (sys-hypervisor, /dev/xen/xenbus_backend).
 */
int xenstored_ready;

/*
 * up_lock orders registering on up_chain against xenstore coming up, so
 * that each notifier is called exactly once: either at registration,
 * once xenstored_ready is set, or from the chain.  It also makes
 * store_up() run once (store_started), whoever calls it.
 */
static DEFINE_MUTEX(up_lock);
static BLOCKING_NOTIFIER_HEAD(up_chain);
static bool store_started;

/* The frame of the shared page, for a mapping made late (XS_HVM). */
static unsigned long store_gfn;

/*
 * The IRQ that waits for a not-yet-ready HVM xenstore's first event, or
 * -1.  Set at boot, freed (by store_up()) once xenstore is up.
 */
static int late_irq = -1;

/**
 * register_xenstore_notifier() - be told when xenstore is up
 * @nb: the notifier; called once, with event 0
 *
 * If xenstore is up already, @nb is called now, from this context.
 *
 * Return: what @nb returned if it was called now, else 0.
 */
int register_xenstore_notifier(struct notifier_block *nb)
{
	bool now;

	mutex_lock(&up_lock);
	now = xenstored_ready > 0;
	if (!now)
		blocking_notifier_chain_register(&up_chain, nb);
	mutex_unlock(&up_lock);

	return now ? nb->notifier_call(nb, 0, NULL) : 0;
}
EXPORT_SYMBOL_GPL(register_xenstore_notifier);

/**
 * unregister_xenstore_notifier() - take a notifier off the chain
 * @nb: a notifier registered with register_xenstore_notifier(); one the
 *	chain has called stays on it until unregistered
 */
void unregister_xenstore_notifier(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&up_chain, nb);
}
EXPORT_SYMBOL_GPL(unregister_xenstore_notifier);

/* Whether the shared page is there and marked connected by its peer. */
static bool store_page_ready(void)
{
	return xen_store_interface &&
	       xen_store_interface->connection == XENSTORE_CONNECTED;
}

/*
 * An HVM domain whose event callback is not working yet (no vector
 * callback, and the platform PCI device has not set one) cannot take
 * xenstore's events, so xenstore waits for xen_set_callback_via().
 */
static bool waits_for_callback(void)
{
#ifdef CONFIG_XEN_PVHVM	/* the only configuration that has the flag */
	if (xen_store_domain_type == XS_HVM)
		return !xen_have_vector_callback;
#endif
	return false;
}

/* The xenstore page of frame store_gfn, mapped. */
static struct xenstore_domain_interface *map_store_page(void)
{
	return memremap((phys_addr_t)store_gfn << XEN_PAGE_SHIFT,
			XEN_PAGE_SIZE, MEMREMAP_WB);
}

/*
 * Xenstore is up: start its client if not done yet, and tell everyone.
 * Runs once; a failed start may be tried again by a later caller.
 */
static void store_up(void)
{
	mutex_lock(&up_lock);
	if (store_started)
		goto unlock;
	if (!xen_store_interface) {
		xen_store_interface = map_store_page();
		if (!xen_store_interface) {
			pr_err("cannot map the xenstore page (frame %#lx)\n",
			       store_gfn);
			goto unlock;
		}
	}
	/*
	 * The late IRQ's event channel is the one the xenstore client binds
	 * again (xs_init()).  Freeing the handler keeps the channel open;
	 * unbinding would close it, and its events would be lost.
	 */
	if (late_irq >= 0) {
		free_irq(late_irq, &xb_waitq);
		late_irq = -1;
	}
	if (xen_store_domain_type == XS_HVM && xs_init()) {
		pr_err("cannot start the xenstore client\n");
		goto unlock;
	}
	store_started = true;
	xenstored_ready = 1;
	mutex_unlock(&up_lock);

	blocking_notifier_call_chain(&up_chain, 0, NULL);
	return;
unlock:
	mutex_unlock(&up_lock);
}

/* Waits for xenstore's first event (xb_waitq), then brings it up. */
static int wait_for_store(void *unused)
{
	DEFINE_WAIT(wait);

	prepare_to_wait(&xb_waitq, &wait, TASK_INTERRUPTIBLE);
	schedule();
	finish_wait(&xb_waitq, &wait);

	store_up();
	return 0;
}

static int __init xenbus_store_up_initcall(void)
{
	struct task_struct *waiter;

	if (!xen_domain() || xen_store_domain_type == XS_UNKNOWN)
		return -ENODEV;

	if (xen_store_domain_type == XS_PV ||
	    (xen_store_domain_type == XS_HVM && !waits_for_callback() &&
	     store_page_ready()))
		store_up();

	/* Local xenstored, or a page not ready: its first event tells. */
	if (xen_store_domain_type == XS_LOCAL || !store_page_ready()) {
		waiter = kthread_run(wait_for_store, NULL, "xenbus_probe");
		if (IS_ERR(waiter))
			return PTR_ERR(waiter);
	}
	return 0;
}
device_initcall(xenbus_store_up_initcall);

/**
 * xen_set_callback_via() - set how Xen delivers this domain's events
 * @via: HVM_PARAM_CALLBACK_IRQ's value
 *
 * Called by the event core or the platform PCI device.  Once events can
 * be delivered, a xenstore whose page is ready and that waited only for
 * them comes up; one whose page is not ready yet is brought up by its
 * first event.
 *
 * Return: 0, or the hypercall's error.
 */
int xen_set_callback_via(uint64_t via)
{
	struct xen_hvm_param param = {
		.domid = DOMID_SELF,
		.index = HVM_PARAM_CALLBACK_IRQ,
		.value = via,
	};
	int err;

	err = HYPERVISOR_hvm_op(HVMOP_set_param, &param);
	if (err)
		return err;
	if (waits_for_callback() && store_page_ready())
		store_up();
	return 0;
}
EXPORT_SYMBOL_GPL(xen_set_callback_via);

/*
 * XS_LOCAL: a zeroed page and an unbound event channel of this domain's
 * own, for a xenstored that starts later.
 */
static int __init local_store_setup(void)
{
	struct evtchn_alloc_unbound alloc = {
		.dom = DOMID_SELF,
		.remote_dom = DOMID_SELF,
	};
	unsigned long page;
	int err;

	page = get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	err = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	if (err) {
		free_page(page);
		return err;
	}
	store_gfn = virt_to_gfn((void *)page);
	xen_store_interface = gfn_to_virt(store_gfn);
	xen_store_evtchn = alloc.port;
	return 0;
}

/*
 * After a resume, xenstore's event channel may have another number.  A
 * failure is only logged: an errno returned to the chain would stop the
 * notifiers after this one.
 */
static int store_resumed(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	u64 port = 0;
	int err;

	if (!xen_hvm_domain()) {
		xen_store_evtchn = xen_start_info->store_evtchn;
		return NOTIFY_DONE;
	}
	err = hvm_get_parameter(HVM_PARAM_STORE_EVTCHN, &port);
	if (!err && port)
		xen_store_evtchn = port;
	else
		pr_warn("xenstore's event channel after resume: unknown (%d)\n",
			err);
	return NOTIFY_DONE;
}

static struct notifier_block store_resume_nb = {
	.notifier_call = store_resumed,
};

/*
 * XS_HVM, page not ready: an event on xenstore's channel.  Once the page's
 * frame is known, the waiting thread may bring xenstore up.
 */
static irqreturn_t late_store_event(int irq, void *unused)
{
	u64 frame = 0;

	if (hvm_get_parameter(HVM_PARAM_STORE_PFN, &frame) || !frame ||
	    frame == ~0ULL || frame != (unsigned long)frame)
		return IRQ_HANDLED;
	store_gfn = frame;
	wake_up(&xb_waitq);
	return IRQ_HANDLED;
}

/*
 * XS_HVM: the page's frame from its HVM parameter (0: no xenstore; all
 * ones: not yet), mapped if known; an IRQ waits for the first event if
 * the page is not ready.
 */
static int __init hvm_store_setup(void)
{
	u64 frame = 0;
	int err;

	err = hvm_get_parameter(HVM_PARAM_STORE_PFN, &frame);
	if (err)
		return err;
	if (!frame)
		return -ENOENT;
	if (frame != ~0ULL) {
		if (frame != (unsigned long)frame) {
			pr_err("xenstore frame %#llx out of reach\n", frame);
			return -EINVAL;
		}
		store_gfn = frame;
		xen_store_interface = map_store_page();
		if (!xen_store_interface) {
			pr_err("cannot map xenstore frame %#llx\n", frame);
			return -EINVAL;
		}
	}
	if (store_page_ready())
		return 0;

	err = bind_evtchn_to_irqhandler(xen_store_evtchn, late_store_event, 0,
					"xenstore_late_init", &xb_waitq);
	if (err < 0) {
		pr_err("cannot wait for xenstore's event: %d\n", err);
		return err;
	}
	late_irq = err;
	return 0;
}

/* Which of the three ways this domain reaches xenstore, and set it up. */
static int __init find_store(void)
{
	u64 port = 0;
	int err;

	if (xen_pv_domain()) {
		if (!xen_start_info->store_evtchn) {
			xen_store_domain_type = XS_LOCAL;
			return local_store_setup();
		}
		xen_store_domain_type = XS_PV;
		xen_store_evtchn = xen_start_info->store_evtchn;
		store_gfn = xen_start_info->store_mfn;
		xen_store_interface = gfn_to_virt(store_gfn);
		return 0;
	}

	err = hvm_get_parameter(HVM_PARAM_STORE_EVTCHN, &port);
	if (err)
		return err;
	xen_store_evtchn = port;
	if (!port && xen_initial_domain()) {
		xen_store_domain_type = XS_LOCAL;
		return local_store_setup();
	}
	xen_store_domain_type = XS_HVM;
	return hvm_store_setup();
}

static int __init xenbus_store_initcall(void)
{
	int err;

	xen_store_domain_type = XS_UNKNOWN;
	if (!xen_domain())
		return -ENODEV;

	xenbus_ring_ops_init();

	err = find_store();
	/* XS_HVM starts its client in store_up(), when events work. */
	if (!err && xen_store_domain_type != XS_HVM)
		err = xs_init();
	if (err) {
		pr_warn("no xenstore: %d\n", err);
		xen_store_domain_type = XS_UNKNOWN;
		return err;
	}
	/*
	 * A PV domain's xenstored runs already: the buses, registering
	 * next, find it up and add their devices at once.
	 */
	if (xen_store_domain_type == XS_PV) {
		mutex_lock(&up_lock);
		xenstored_ready = 1;
		mutex_unlock(&up_lock);
	}
	if (xen_store_domain_type != XS_LOCAL)
		xen_resume_notifier_register(&store_resume_nb);
#ifdef CONFIG_XEN_COMPAT_XENFS
	/* Where tools that predate /dev/xen find "xenbus". */
	proc_create_mount_point("xen");
#endif
	return 0;
}
postcore_initcall(xenbus_store_initcall);

MODULE_LICENSE("Dual MIT/GPL");
