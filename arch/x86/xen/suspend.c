// SPDX-License-Identifier: GPL-2.0-only
/*
 * The x86 side of suspending a Xen guest (xl save, migration, and the
 * checkpoints that are cancelled suspends), for PV and HVM/PVH alike.
 *
 * drivers/xen/control calls the hooks here in this order:
 *   xen_arch_suspend()      every CPU, before the other CPUs are stopped:
 *                           ticks and vPMU off, speculation controls
 *                           saved and cleared (Xen's save does not keep
 *                           the guest's MSRs for a PV guest);
 *   xen_arch_pre_suspend()  the last CPU running, interrupts off;
 *   xen_arch_post_suspend() the same, back from the suspend hypercall;
 *   xen_arch_resume()       every CPU again: the reverse of the first.
 */

#include <linux/cpufeature.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/tick.h>
#include <linux/types.h>

#include <asm/msr.h>

#include <xen/xen.h>
#include <xen/xen-ops.h>

#include "xen-ops.h"

/*
 * Per CPU, MSR_IA32_SPEC_CTRL from before a suspend of a PV guest.
 * Written and read only by its own CPU, in xen_arch_suspend() and
 * xen_arch_resume().
 */
static DEFINE_PER_CPU(u64, xen_saved_spec_ctrl);

/* A PV guest keeps its speculation controls itself across a suspend. */
static bool xen_keeps_spec_ctrl(void)
{
	return xen_pv_domain() && boot_cpu_has(X86_FEATURE_SPEC_CTRL);
}

static void xen_cpu_suspend(void *unused)
{
	u64 val;

	tick_suspend_local();
	if (xen_keeps_spec_ctrl()) {
		rdmsrl(MSR_IA32_SPEC_CTRL, val);
		this_cpu_write(xen_saved_spec_ctrl, val);
		wrmsrl(MSR_IA32_SPEC_CTRL, 0);
	}
}

static void xen_cpu_resume(void *unused)
{
	if (xen_keeps_spec_ctrl())
		wrmsrl(MSR_IA32_SPEC_CTRL, this_cpu_read(xen_saved_spec_ctrl));
	/* The boot CPU's tick comes back with timekeeping_resume(). */
	if (smp_processor_id())
		tick_resume_local();
}

/**
 * xen_arch_suspend() - quiesce every CPU before a suspend
 */
void xen_arch_suspend(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		xen_pmu_finish(cpu);
	on_each_cpu(xen_cpu_suspend, NULL, 1);
}

/**
 * xen_arch_resume() - undo xen_arch_suspend() after a resume or a
 * cancelled suspend
 */
void xen_arch_resume(void)
{
	unsigned int cpu;

	on_each_cpu(xen_cpu_resume, NULL, 1);
	for_each_online_cpu(cpu)
		xen_pmu_init(cpu);
}

/**
 * xen_arch_pre_suspend() - the last step before the suspend hypercall
 *
 * Context: the only CPU running, interrupts off.
 */
void xen_arch_pre_suspend(void)
{
	xen_save_time_memory_area();
	if (xen_pv_domain())
		xen_pv_pre_suspend();
}

/**
 * xen_arch_post_suspend() - the first step after the suspend hypercall
 * @cancelled: nonzero if the suspend was cancelled and this is the same
 *	domain, zero if it is a new one (restored or migrated)
 *
 * Context: the only CPU running, interrupts off.
 */
void xen_arch_post_suspend(int cancelled)
{
	if (xen_pv_domain())
		xen_pv_post_suspend(cancelled);
	else
		xen_hvm_post_suspend(cancelled);
	xen_restore_time_memory_area();
}
