// SPDX-License-Identifier: GPL-2.0-only
/*
 * pv_ops.irq of a PV guest.
 *
 * A PV vCPU has no interrupt flag of its own: what stands for it is the
 * event mask in its vcpu_info (evtchn_upcall_mask).  The hooks that read
 * and write that mask are the direct versions in xen-asm.S, installed
 * once each vCPU's vcpu_info has its place in per-CPU memory
 * (xen_setup_vcpu_info_placement()).  Before that, early in boot,
 * interrupts are off and stay off: the flag reads as clear, disabling
 * changes nothing, and enabling them would be a bug.
 *
 * What is left here is halting: an idle vCPU blocks in Xen until an
 * event comes, and a vCPU halted with interrupts off is taken down.
 */

#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/smp.h>

#include <asm/paravirt.h>
#include <asm/x86_init.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>

#include <xen/events.h>
#include <xen/interface/sched.h>
#include <xen/interface/version.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/xen.h>

#include "xen-ops.h"

/**
 * xen_force_evtchn_callback() - have Xen deliver the events pending now
 *
 * Called after unmasking events, when one was already pending: on the
 * way back from any hypercall, Xen delivers the pending events of a vCPU
 * that does not mask them, so the cheapest hypercall there is will do.
 */
noinstr void xen_force_evtchn_callback(void)
{
	(void)HYPERVISOR_xen_version(XENVER_version, NULL);
}

/*
 * Wait for an event with interrupts enabled.  SCHEDOP_block unmasks
 * events and blocks as one step, so an event that comes between the two
 * still wakes us.  Xen never refuses it; if it did, interrupts are
 * enabled here as the caller expects, and its idle loop comes back.
 */
static noinstr void xen_safe_halt(void)
{
	if (HYPERVISOR_sched_op(SCHEDOP_block, NULL))
		raw_local_irq_enable();
}

/*
 * Halt: with interrupts off nothing could wake the vCPU again, so it is
 * taken down (its CPU is being stopped); else as xen_safe_halt().
 */
static void xen_halt(void)
{
	if (irqs_disabled())
		HYPERVISOR_vcpu_op(VCPUOP_down,
				   xen_vcpu_nr(smp_processor_id()), NULL);
	else
		xen_safe_halt();
}

/*
 * The early hooks.  A table of this name, not assignments: objtool reads
 * it (its init_pv_ops()) to know what pv_ops.irq may call from noinstr
 * code, and checks those functions.
 */
static const typeof(pv_ops) xen_irq_ops __initconst = {
	.irq = {
		.save_fl = __PV_IS_CALLEE_SAVE(paravirt_ret0),
		.irq_disable = __PV_IS_CALLEE_SAVE(paravirt_nop),
		.irq_enable = __PV_IS_CALLEE_SAVE(BUG_func),
		.safe_halt = xen_safe_halt,
		.halt = xen_halt,
	},
};

/**
 * xen_init_irq_ops() - install a PV guest's interrupt hooks for early boot
 *
 * Also has the interrupt setup of boot bind event channels instead of
 * programming interrupt controllers.
 */
void __init xen_init_irq_ops(void)
{
	pv_ops.irq = xen_irq_ops.irq;
	x86_init.irqs.intr_init = xen_init_IRQ;
}
