// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C side of a PV guest's trap entries and of its event upcall.
 *
 * Natively, #DB, NMI, #DF and #MC switch to stacks of their own (IST).
 * Xen delivers them on the kernel stack like any other trap, so the trap
 * table points them at xenpv_ entries (xen-asm.S, idtentry.h), whose C
 * bodies here choose the native handler that fits where the trap came
 * from.
 *
 * A toolstack hypercall through privcmd can run for seconds.  Without
 * kernel preemption, privcmd marks such a hypercall preemptible
 * (xen_preemptible_hcall_begin()); an event that interrupts it may then
 * reschedule the task, which comes back to the hypercall later, maybe on
 * another CPU: the mark is cleared while it sleeps and set again after.
 */

#include <linux/entry-common.h>
#include <linux/export.h>
#include <linux/instrumentation.h>
#include <linux/kdebug.h>
#include <linux/irq.h>
#include <linux/percpu.h>
#include <linux/sched.h>

#include <asm/idtentry.h>
#include <asm/irq_stack.h>
#include <asm/traps.h>

#include <xen/events.h>
#include <xen/xen-ops.h>

#include "xen-ops.h"

void noist_exc_debug(struct pt_regs *regs);

DEFINE_IDTENTRY_RAW(xenpv_exc_nmi)
{
	exc_nmi(regs);
}

DEFINE_IDTENTRY_RAW_ERRORCODE(xenpv_exc_double_fault)
{
	exc_double_fault(regs, error_code);
}

/* From user mode, the native handler is the one that runs without IST. */
DEFINE_IDTENTRY_RAW(xenpv_exc_debug)
{
	if (user_mode(regs))
		noist_exc_debug(regs);
	else
		exc_debug(regs);
}

/*
 * A gate the trap table could not convert (xen_trap_entry() found no Xen
 * entry for its handler): a kernel bug, with nothing to return to.
 */
DEFINE_IDTENTRY_RAW(exc_xen_unknown_trap)
{
	instrumentation_begin();
	die("xen: a trap with no PV entry", regs, 0);
	instrumentation_end();
}

#ifdef CONFIG_X86_MCE
DEFINE_IDTENTRY_RAW(xenpv_exc_machine_check)
{
	if (user_mode(regs))
		noist_exc_machine_check(regs);
	else
		exc_machine_check(regs);
}
#endif

#ifndef CONFIG_PREEMPTION
/*
 * Set while this CPU runs a preemptible hypercall for privcmd (see the
 * top); written by that task and by the upcall on this CPU only.
 */
DEFINE_PER_CPU(bool, xen_in_preemptible_hcall);
EXPORT_PER_CPU_SYMBOL_GPL(xen_in_preemptible_hcall);

static __always_inline bool xen_take_hcall_mark(void)
{
	bool marked = __this_cpu_read(xen_in_preemptible_hcall);

	__this_cpu_write(xen_in_preemptible_hcall, false);
	return marked;
}

static __always_inline void xen_put_hcall_mark(bool marked)
{
	__this_cpu_write(xen_in_preemptible_hcall, marked);
}
#else
static __always_inline bool xen_take_hcall_mark(void)
{
	return false;
}

static __always_inline void xen_put_hcall_mark(bool marked)
{
}
#endif

static void xen_pv_upcall_on_stack(struct pt_regs *regs)
{
	struct pt_regs *old = set_irq_regs(regs);

	inc_irq_stat(irq_hv_callback_count);
	xen_evtchn_do_upcall();
	set_irq_regs(old);
}

/**
 * xen_pv_evtchn_do_upcall() - Xen's event callback, from entry_64.S
 * @regs: what it interrupted
 *
 * Handles the pending events on the irq stack.  If it interrupted a
 * preemptible hypercall, the task may be rescheduled here, as if the
 * kernel were preemptible.
 */
__visible noinstr void xen_pv_evtchn_do_upcall(struct pt_regs *regs)
{
	irqentry_state_t state = irqentry_enter(regs);
	bool marked;

	instrumentation_begin();
	run_sysvec_on_irqstack_cond(xen_pv_upcall_on_stack, regs);

	marked = xen_take_hcall_mark();
	if (!marked || WARN_ON_ONCE(state.exit_rcu)) {
		instrumentation_end();
		irqentry_exit(regs, state);
		return;
	}
	irqentry_exit_cond_resched();
	instrumentation_end();
	xen_put_hcall_mark(marked);
}
