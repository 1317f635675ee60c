// SPDX-License-Identifier: GPL-2.0-only
/*
 * Inter-processor interrupts over event channels, for PV and PVH guests.
 *
 * A Xen guest sends an IPI by notifying an event channel bound to the
 * target vCPU: each CPU binds one channel per kind of IPI when it comes
 * up (xen_smp_intr_init()), and the APIC driver's IPI hooks (apic.c) and
 * smp_ops map the kernel's vectors onto these kinds.  Each CPU also
 * binds Xen's debug VIRQ, which makes it print its event state (the 2-level
 * event ABI only; the FIFO one has no such dump).
 */

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/smp.h>

#include <asm/xen/hypercall.h>

#include <xen/events.h>
#include <xen/interface/sched.h>
#include <xen/xen.h>

#include "xen-ops.h"

static irqreturn_t xen_resched_ipi(int irq, void *dev_id)
{
	inc_irq_stat(irq_resched_count);
	scheduler_ipi();
	return IRQ_HANDLED;
}

static irqreturn_t xen_callfunc_ipi(int irq, void *dev_id)
{
	generic_smp_call_function_interrupt();
	inc_irq_stat(irq_call_count);
	return IRQ_HANDLED;
}

static irqreturn_t xen_callfunc_single_ipi(int irq, void *dev_id)
{
	generic_smp_call_function_single_interrupt();
	inc_irq_stat(irq_call_count);
	return IRQ_HANDLED;
}

/* One kind of event a CPU binds for itself at bring-up. */
struct xen_cpu_event {
	const char *name;	/* in /proc/interrupts, with the CPU number */
	bool virq;		/* a VIRQ, else an IPI */
	bool only_2l;		/* only with the 2-level event ABI */
	unsigned int port;	/* XEN_*_VECTOR, or the VIRQ */
	irq_handler_t handler;
};

static const struct xen_cpu_event xen_cpu_events[] = {
	{ "resched", false, false, XEN_RESCHEDULE_VECTOR, xen_resched_ipi },
	{ "callfunc", false, false, XEN_CALL_FUNCTION_VECTOR, xen_callfunc_ipi },
	{ "debug", true, true, VIRQ_DEBUG, xen_debug_interrupt },
	{ "callfuncsingle", false, false, XEN_CALL_FUNCTION_SINGLE_VECTOR,
	  xen_callfunc_single_ipi },
};

/*
 * Per CPU, the irqs of xen_cpu_events[], in the same order.  Changed only
 * by that CPU's hotplug callbacks (bring-up and teardown), which the CPU
 * hotplug lock serialises.
 */
static DEFINE_PER_CPU(struct xen_common_irq [ARRAY_SIZE(xen_cpu_events)],
		      xen_cpu_irqs) = {
	[0 ... ARRAY_SIZE(xen_cpu_events) - 1] = { .irq = -1 },
};

/**
 * xen_smp_intr_free() - unbind the IPIs and VIRQs of a CPU
 * @cpu: the CPU, which is down or failed to come up
 *
 * Idempotent: what is not bound is skipped.
 */
void xen_smp_intr_free(unsigned int cpu)
{
	struct xen_common_irq *ci = per_cpu(xen_cpu_irqs, cpu);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xen_cpu_events); i++) {
		if (ci[i].irq < 0)
			continue;
		unbind_from_irqhandler(ci[i].irq, NULL);
		ci[i].irq = -1;
	}
}

/**
 * xen_smp_intr_init() - bind the IPIs and VIRQs of a CPU coming up
 * @cpu: the CPU
 *
 * Return: 0, or a negative errno with nothing left bound.
 */
int xen_smp_intr_init(unsigned int cpu)
{
	struct xen_common_irq *ci = per_cpu(xen_cpu_irqs, cpu);
	unsigned int i;
	int irq;

	for (i = 0; i < ARRAY_SIZE(xen_cpu_events); i++) {
		const struct xen_cpu_event *ev = &xen_cpu_events[i];

		if (ev->only_2l && xen_fifo_events)
			continue;
		snprintf(ci[i].name, sizeof(ci[i].name), "%s%u", ev->name, cpu);
		if (ev->virq)
			irq = bind_virq_to_irqhandler(ev->port, cpu, ev->handler,
						      IRQF_PERCPU | IRQF_NOBALANCING,
						      ci[i].name, NULL);
		else
			irq = bind_ipi_to_irqhandler(ev->port, cpu, ev->handler,
						     IRQF_PERCPU | IRQF_NOBALANCING,
						     ci[i].name, NULL);
		if (irq < 0) {
			xen_smp_intr_free(cpu);
			return irq;
		}
		ci[i].irq = irq;
	}
	return 0;
}

/**
 * xen_smp_cpus_done() - smp_ops.smp_cpus_done of PV and PVH
 * @max_cpus: the most CPUs to bring up
 *
 * A PV guest has nothing left to do; PVH does what native does.
 */
void __init xen_smp_cpus_done(unsigned int max_cpus)
{
	if (xen_hvm_domain())
		native_smp_cpus_done(max_cpus);
}

/* Send the IPI of kind @xen_vector to each online CPU of @mask. */
static void xen_ipi_online(const struct cpumask *mask, int xen_vector,
			   bool but_self)
{
	unsigned int self = but_self ? smp_processor_id() : nr_cpu_ids;
	unsigned int cpu;

	for_each_cpu_and(cpu, mask, cpu_online_mask) {
		if (cpu != self)
			xen_send_IPI_one(cpu, xen_vector);
	}
}

/**
 * xen_smp_send_reschedule() - smp_ops.smp_send_reschedule
 * @cpu: the CPU to reschedule
 */
void xen_smp_send_reschedule(int cpu)
{
	xen_send_IPI_one(cpu, XEN_RESCHEDULE_VECTOR);
}

/**
 * xen_smp_send_call_function_ipi() - smp_ops.send_call_func_ipi
 * @mask: the CPUs that have functions to call
 *
 * If one of them is waiting for a physical CPU, we give ours up, so that
 * it may run sooner: the caller usually waits for it.
 */
void xen_smp_send_call_function_ipi(const struct cpumask *mask)
{
	unsigned int cpu;

	xen_ipi_online(mask, XEN_CALL_FUNCTION_VECTOR, false);
	for_each_cpu(cpu, mask) {
		if (xen_vcpu_stolen(cpu)) {
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
			return;
		}
	}
}

/**
 * xen_smp_send_call_function_single_ipi() - smp_ops.send_call_func_single_ipi
 * @cpu: the CPU that has a function to call
 */
void xen_smp_send_call_function_single_ipi(int cpu)
{
	xen_ipi_online(cpumask_of(cpu), XEN_CALL_FUNCTION_SINGLE_VECTOR, false);
}

/* The kind of IPI that stands for an APIC vector, or -1. */
static int xen_ipi_kind(int vector)
{
	switch (vector) {
	case RESCHEDULE_VECTOR:
		return XEN_RESCHEDULE_VECTOR;
	case CALL_FUNCTION_VECTOR:
		return XEN_CALL_FUNCTION_VECTOR;
	case CALL_FUNCTION_SINGLE_VECTOR:
		return XEN_CALL_FUNCTION_SINGLE_VECTOR;
	case IRQ_WORK_VECTOR:
		return XEN_IRQ_WORK_VECTOR;
	case NMI_VECTOR:
	case APIC_DM_NMI:	/* what some callers pass for an NMI */
		return XEN_NMI_VECTOR;
	}
	pr_err("xen: no IPI for vector %#x\n", vector);
	return -1;
}

/**
 * xen_send_IPI_mask() - apic->send_IPI_mask
 * @mask: the target CPUs (offline ones are skipped)
 * @vector: the APIC vector
 */
void xen_send_IPI_mask(const struct cpumask *mask, int vector)
{
	int kind = xen_ipi_kind(vector);

	if (kind >= 0)
		xen_ipi_online(mask, kind, false);
}

/**
 * xen_send_IPI_mask_allbutself() - apic->send_IPI_mask_allbutself
 * @mask: the target CPUs (offline ones and this one are skipped)
 * @vector: the APIC vector
 */
void xen_send_IPI_mask_allbutself(const struct cpumask *mask, int vector)
{
	int kind;

	if (num_online_cpus() < 2)
		return;
	kind = xen_ipi_kind(vector);
	if (kind >= 0)
		xen_ipi_online(mask, kind, true);
}

/**
 * xen_send_IPI_allbutself() - apic->send_IPI_allbutself
 * @vector: the APIC vector
 */
void xen_send_IPI_allbutself(int vector)
{
	xen_send_IPI_mask_allbutself(cpu_online_mask, vector);
}

/**
 * xen_send_IPI_all() - apic->send_IPI_all
 * @vector: the APIC vector
 */
void xen_send_IPI_all(int vector)
{
	xen_send_IPI_mask(cpu_online_mask, vector);
}

/**
 * xen_send_IPI_self() - apic->send_IPI_self
 * @vector: the APIC vector
 */
void xen_send_IPI_self(int vector)
{
	int kind = xen_ipi_kind(vector);

	if (kind >= 0)
		xen_send_IPI_one(smp_processor_id(), kind);
}
