// SPDX-License-Identifier: GPL-2.0-only
/*
 * Suspending the domain for xl save and xl migrate, and the chain of
 * callbacks that run when it comes back.
 *
 * The toolstack asks through control/shutdown ("suspend"); shutdown.c
 * calls xen_ctl_suspend() on the xenwatch thread.  The domain then stops
 * every other vCPU, quiesces its devices and xenstore, and makes the
 * SCHEDOP_shutdown(suspend) hypercall on vCPU 0.  The hypercall returns
 * either in a new domain built from the saved image (a resume) or in the
 * same one if the toolstack gave up (a cancelled suspend, return value 1),
 * and everything stopped on the way down is started again to match.
 */
#define pr_fmt(fmt) "xen_control: " fmt

#include <linux/export.h>
#include <linux/freezer.h>
#include <linux/notifier.h>
#include <linux/pm.h>
#include <linux/printk.h>
#include <linux/stop_machine.h>
#include <linux/syscore_ops.h>

#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/hvc-console.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xen-ops.h>
#include <xen/xenbus.h>

#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>

#include "control.h"

/*
 * Called on the xenwatch thread once the domain runs again (resumed or
 * cancelled), after stop_machine() returned and before devices resume.
 * Users register at boot, before the first suspend can run; a raw chain
 * has no lock of its own, and nothing else serialises registration
 * against a resume.
 */
static RAW_NOTIFIER_HEAD(xen_ctl_resume_chain);

/**
 * xen_resume_notifier_register() - be called back when the domain resumes
 * @nb: the callback, called with no arguments of interest, in process
 *	context on the xenwatch thread, after the domain came back from a
 *	suspend (resumed or cancelled) and before devices resume
 *
 * Register at boot: there is no lock against a suspend in progress.
 */
void xen_resume_notifier_register(struct notifier_block *nb)
{
	raw_notifier_chain_register(&xen_ctl_resume_chain, nb);
}
EXPORT_SYMBOL_GPL(xen_resume_notifier_register);

/**
 * xen_resume_notifier_unregister() - undo xen_resume_notifier_register()
 * @nb: the callback registered
 */
void xen_resume_notifier_unregister(struct notifier_block *nb)
{
	raw_notifier_chain_unregister(&xen_ctl_resume_chain, nb);
}
EXPORT_SYMBOL_GPL(xen_resume_notifier_unregister);

#ifdef CONFIG_HIBERNATE_CALLBACKS
/*
 * The part that runs on vCPU 0 alone, under stop_machine().  @data points
 * to the caller's "cancelled" flag, which stays 1 unless the hypercall
 * was made and returned 0 (a real resume in a new domain).
 */
static int xen_ctl_suspend_alone(void *data)
{
	int *cancelled = data;
	unsigned long arg;
	int err;

	lockdep_assert_irqs_disabled();

	err = syscore_suspend();
	if (err) {
		pr_err("suspend: system core devices refused (%d)\n", err);
		return err;
	}

	/* Grant and time state to stop, pages to canonicalise, then go. */
	gnttab_suspend();
	xen_manage_runstate_time(-1);
	xen_arch_pre_suspend();
	/* A PV domain names its start_info page, where Xen rewrites the mfns. */
	arg = xen_pv_domain() ? virt_to_gfn(xen_start_info) : 0;
	*cancelled = HYPERVISOR_suspend(arg);

	/* Back: in a new domain, or in the same one if it was cancelled. */
	xen_arch_post_suspend(*cancelled);
	xen_manage_runstate_time(*cancelled ? 1 : 0);
	gnttab_resume();
	if (!*cancelled) {
		/* A new domain: every event channel and timer is gone. */
		xen_irq_resume();
		xen_timer_resume();
	}
	syscore_resume();
	return 0;
}

/**
 * xen_ctl_suspend() - suspend the domain for the toolstack, and resume it
 *
 * Called on the xenwatch thread (no other watch runs meanwhile).  Returns
 * when the domain runs again: resumed, cancelled, or never suspended
 * because a stage on the way down failed, which is logged.
 */
void xen_ctl_suspend(void)
{
	pm_message_t back;
	int cancelled = 1;
	int err;

	err = freeze_processes();
	if (err) {
		pr_err("suspend: cannot freeze processes (%d)\n", err);
		return;
	}
	err = freeze_kernel_threads();
	if (err) {
		pr_err("suspend: cannot freeze kernel threads (%d)\n", err);
		goto thaw;
	}
	err = dpm_suspend_start(PMSG_FREEZE);
	if (err) {
		pr_err("suspend: devices refused to suspend (%d)\n", err);
		goto resume_devices;
	}

	/* No xenstore request may be in flight across the hypercall. */
	xs_suspend();
	err = dpm_suspend_end(PMSG_FREEZE);
	if (err) {
		/* Nothing has changed on Xen's side: thaw as if cancelled. */
		pr_err("suspend: late device suspend failed (%d)\n", err);
		goto resume_store;
	}

	xen_arch_suspend();
	err = stop_machine(xen_ctl_suspend_alone, &cancelled, cpumask_of(0));
	if (err)
		pr_err("suspend: did not suspend (%d)\n", err);
	/* The console first, so that what follows can be seen. */
	if (!cancelled)
		xen_console_resume();
	raw_notifier_call_chain(&xen_ctl_resume_chain, 0, NULL);
	xen_arch_resume();
	dpm_resume_start(cancelled ? PMSG_THAW : PMSG_RESTORE);

resume_store:
	if (cancelled)
		xs_suspend_cancel();
	else
		xs_resume();
resume_devices:
	/* RESTORE makes the frontends connect again to their new backends. */
	back = cancelled ? PMSG_THAW : PMSG_RESTORE;
	dpm_resume_end(back);
thaw:
	thaw_processes();
	pr_info("suspend: %s\n", cancelled ? "cancelled, running on" :
		"resumed");
}
#endif /* CONFIG_HIBERNATE_CALLBACKS */
