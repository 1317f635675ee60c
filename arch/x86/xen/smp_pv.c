// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMP of a PV guest: its smp_ops.
 *
 * Xen starts a secondary vCPU in a context we give it (VCPUOP_initialise):
 * its registers, the frame of its GDT, the trap table, the event and
 * failsafe callbacks, its kernel stack and page tables.  VCPUOP_up then
 * sets it running at asm_cpu_bringup_and_idle (xen-head.S), which calls
 * cpu_bringup_and_idle() here.  A vCPU taken down keeps its context in
 * Xen, so one brought up again (xl vcpu-set, CPU hotplug) is only set
 * running: xen_cpu_initialized_map says which vCPUs have a context.
 *
 * A domU has no firmware tables: it registers one APIC ID per vCPU that
 * Xen gave it.  dom0 reads the MADT as native does.  vCPUs move between
 * physical CPUs, so no topology is worth knowing: each is a package.
 */

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq_work.h>
#include <linux/nmi.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/idtentry.h>
#include <asm/io_apic.h>
#include <asm/spec-ctrl.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/interface.h>
#include <asm/xen/page.h>

#include <xen/events.h>
#include <xen/features.h>
#include <xen/hvc-console.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/xen.h>
#include <xen/xen.h>

#include "xen-ops.h"

/*
 * The vCPUs whose context Xen has (see the top).  A CPU's bit is set
 * when it first comes up, and by a restore for every online CPU
 * (suspend_pv.c); bring-ups are serialised by the CPU hotplug lock.
 */
cpumask_var_t xen_cpu_initialized_map;

/*
 * Per CPU: IRQ work's IPI and the vPMU's VIRQ.  Changed only by that
 * CPU's bring-up and teardown, which the CPU hotplug lock serialises.
 */
static DEFINE_PER_CPU(struct xen_common_irq, xen_irq_work_irq) = { .irq = -1 };
static DEFINE_PER_CPU(struct xen_common_irq, xen_pmu_virq) = { .irq = -1 };

static irqreturn_t xen_irq_work_ipi(int irq, void *dev_id)
{
	irq_work_run();
	inc_irq_stat(apic_irq_work_irqs);
	return IRQ_HANDLED;
}

static void xen_pv_cpu_irq_free(struct xen_common_irq *ci)
{
	if (ci->irq < 0)
		return;
	unbind_from_irqhandler(ci->irq, NULL);
	ci->irq = -1;
}

/**
 * xen_smp_intr_free_pv() - unbind the PV-only events of a CPU
 * @cpu: the CPU, which is down or failed to come up
 */
void xen_smp_intr_free_pv(unsigned int cpu)
{
	xen_pv_cpu_irq_free(&per_cpu(xen_irq_work_irq, cpu));
	xen_pv_cpu_irq_free(&per_cpu(xen_pmu_virq, cpu));
}

/**
 * xen_smp_intr_init_pv() - bind the PV-only events of a CPU coming up
 * @cpu: the CPU
 *
 * IRQ work's IPI ("irqwork<N>"), and the vPMU's VIRQ ("pmu<N>") where
 * Xen gave us a vPMU.
 *
 * Return: 0, or a negative errno with neither bound.
 */
int xen_smp_intr_init_pv(unsigned int cpu)
{
	struct xen_common_irq *work = &per_cpu(xen_irq_work_irq, cpu);
	struct xen_common_irq *pmu = &per_cpu(xen_pmu_virq, cpu);
	int irq;

	snprintf(work->name, sizeof(work->name), "irqwork%u", cpu);
	irq = bind_ipi_to_irqhandler(XEN_IRQ_WORK_VECTOR, cpu, xen_irq_work_ipi,
				     IRQF_PERCPU | IRQF_NOBALANCING,
				     work->name, NULL);
	if (irq < 0)
		return irq;
	work->irq = irq;
	if (!is_xen_pmu)
		return 0;

	snprintf(pmu->name, sizeof(pmu->name), "pmu%u", cpu);
	irq = bind_virq_to_irqhandler(VIRQ_XENPMU, cpu, xen_pmu_irq_handler,
				      IRQF_PERCPU | IRQF_NOBALANCING,
				      pmu->name, NULL);
	if (irq < 0) {
		xen_smp_intr_free_pv(cpu);
		return irq;
	}
	pmu->irq = irq;
	return 0;
}

/* A secondary CPU's first steps, with interrupts still off. */
static void xen_pv_cpu_bringup(void)
{
	unsigned int cpu;

	cr4_init();
	cpuhp_ap_sync_alive();
	cpu_init();
	fpu__init_cpu();
	touch_softlockup_watchdog();

	/* Where the kernel runs in ring 0 (never, for 64-bit PV), natively. */
	if (!xen_feature(XENFEAT_supervisor_mode_kernel)) {
		xen_enable_sysenter();
		xen_enable_syscall();
	}
	cpu = smp_processor_id();
	smp_store_cpu_info(cpu);
	set_cpu_sibling_map(cpu);
	speculative_store_bypass_ht_init();
	xen_setup_cpu_clockevents();
	notify_cpu_starting(cpu);
	set_cpu_online(cpu, true);
	/* Online before the first interrupt can see it. */
	smp_mb();
	local_irq_enable();
}

/**
 * cpu_bringup_and_idle() - where a secondary vCPU starts, in C
 *
 * Called from asm_cpu_bringup_and_idle on the vCPU's idle stack.
 */
asmlinkage __visible void cpu_bringup_and_idle(void)
{
	xen_pv_cpu_bringup();
	cpu_startup_entry(CPUHP_AP_ONLINE_IDLE);
}

/* smp_config of a domU: one APIC ID per vCPU Xen gave it, 0 the boot one. */
static void __init xen_pv_smp_config(void)
{
	u32 id;

	topology_register_boot_apic(0);
	for (id = 0; id < nr_cpu_ids; id++)
		topology_register_apic(id, CPU_ACPIID_INVALID, true);
	smp_found_config = 1;
}

static void __init xen_pv_smp_prepare_boot_cpu(void)
{
	WARN_ON(smp_processor_id());
	native_smp_prepare_boot_cpu();

	/*
	 * The boot CPU has moved to its per-CPU GDT: the boot one's page,
	 * read-only while Xen used it, can go back to being memory.
	 */
	if (!xen_feature(XENFEAT_writable_page_tables))
		make_lowmem_page_readwrite(xen_initial_gdt);

	xen_setup_vcpu_info_placement();

	/* Before the kernel's spinlocks are patched by alternatives. */
	xen_init_spinlocks();
}

#define XEN_NOAPIC_WHY	"The noapic parameter is incompatible with Xen"
#define XEN_NOSMP_WHY \
	"The nosmp parameter is incompatible with Xen; use Xen dom0_max_vcpus=1 parameter"

static void __init xen_pv_smp_prepare_cpus(unsigned int max_cpus)
{
	unsigned int cpu;

	/* Xen has no "no SMP" or "no APIC" mode to give a PV guest. */
	if (ioapic_is_disabled) {
		const char *why = max_cpus ? XEN_NOAPIC_WHY : XEN_NOSMP_WHY;

		xen_raw_printk("%s\n", why);
		panic("%s", why);
	}
	xen_init_lock_cpu(0);
	smp_prepare_cpus_common();
	speculative_store_bypass_ht_init();
	xen_pmu_init(0);

	if (xen_smp_intr_init(0) || xen_smp_intr_init_pv(0))
		panic("xen: no IPIs for the boot CPU\n");
	if (!alloc_cpumask_var(&xen_cpu_initialized_map, GFP_KERNEL))
		panic("xen: no memory for the map of initialised vCPUs\n");
	cpumask_copy(xen_cpu_initialized_map, cpumask_of(0));

	/* No more possible CPUs than max_cpus: the highest ones go. */
	while (num_possible_cpus() > 1 && num_possible_cpus() > max_cpus) {
		for (cpu = nr_cpu_ids - 1; !cpu_possible(cpu); cpu--)
			;
		set_cpu_possible(cpu, false);
	}
	for_each_possible_cpu(cpu)
		set_cpu_present(cpu, true);
}

/*
 * Give Xen the context @cpu starts in, the first time it comes up: see
 * the top.  Its GDT page must be read-only in every mapping we have of
 * it, as for any page Xen uses as a descriptor table.
 */
static int xen_pv_vcpu_context(unsigned int cpu, struct task_struct *idle)
{
	struct desc_struct *gdt = get_cpu_gdt_rw(cpu);
	struct vcpu_guest_context *ctxt;
	unsigned long gdt_mfn;
	int err;

	if (cpumask_test_and_set_cpu(cpu, xen_cpu_initialized_map))
		return 0;
	ctxt = kzalloc(sizeof(*ctxt), GFP_KERNEL);
	if (!ctxt) {
		cpumask_clear_cpu(cpu, xen_cpu_initialized_map);
		return -ENOMEM;
	}

	/* In kernel mode, IOPL 1, on the idle task's stack below its pt_regs. */
	ctxt->flags = VGCF_IN_KERNEL;
	ctxt->user_regs.eip = (unsigned long)asm_cpu_bringup_and_idle;
	ctxt->user_regs.eflags = 1UL << X86_EFLAGS_IOPL_BIT;
	ctxt->user_regs.cs = __KERNEL_CS;
	ctxt->user_regs.ss = __KERNEL_DS;
	ctxt->user_regs.ds = __USER_DS;
	ctxt->user_regs.es = __USER_DS;
	ctxt->user_regs.esp = (unsigned long)task_pt_regs(idle);

	xen_copy_trap_info(ctxt->trap_ctxt);

	WARN_ON(offset_in_page(gdt));
	gdt_mfn = arbitrary_virt_to_mfn(gdt);
	make_lowmem_page_readonly(gdt);
	make_lowmem_page_readonly(mfn_to_virt(gdt_mfn));
	ctxt->gdt_frames[0] = gdt_mfn;
	ctxt->gdt_ents = GDT_ENTRIES;

	/* Where Xen switches to on an entry from user mode (load_sp0 later). */
	ctxt->kernel_ss = __KERNEL_DS;
	ctxt->kernel_sp = task_top_of_stack(idle);

	ctxt->gs_base_kernel = per_cpu_offset(cpu);
	ctxt->event_callback_eip =
		(unsigned long)xen_asm_exc_xen_hypervisor_callback;
	ctxt->failsafe_callback_eip = (unsigned long)xen_failsafe_callback;

	per_cpu(xen_cr3, cpu) = __pa(swapper_pg_dir);
	ctxt->ctrlreg[3] = xen_pfn_to_cr3(virt_to_gfn(swapper_pg_dir));

	err = HYPERVISOR_vcpu_op(VCPUOP_initialise, xen_vcpu_nr(cpu), ctxt);
	kfree(ctxt);
	if (err) {
		pr_err("xen: vCPU %u: context refused (%d)\n", cpu, err);
		cpumask_clear_cpu(cpu, xen_cpu_initialized_map);
	}
	return err;
}

static int xen_pv_kick_ap(unsigned int cpu, struct task_struct *idle)
{
	int err;

	err = common_cpu_up(cpu, idle);
	if (err)
		return err;
	xen_setup_runstate_info(cpu);

	/* It starts with events masked, as a CPU starts with IF clear. */
	per_cpu(xen_vcpu, cpu)->evtchn_upcall_mask = 1;

	err = xen_pv_vcpu_context(cpu, idle);
	if (err)
		return err;
	xen_pmu_init(cpu);

	err = HYPERVISOR_vcpu_op(VCPUOP_up, xen_vcpu_nr(cpu), NULL);
	if (err)
		pr_err("xen: vCPU %u: not set running (%d)\n", cpu, err);
	return err;
}

/* While waiting for a vCPU coming up or going down: let it run. */
static void xen_pv_poll_sync_state(void)
{
	HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

#ifdef CONFIG_HOTPLUG_CPU
static int xen_pv_cpu_disable(void)
{
	if (!smp_processor_id())
		return -EBUSY;
	cpu_disable_common();
	/* Hold no process's page tables pinned while down. */
	load_cr3(swapper_pg_dir);
	return 0;
}

/* Wait until the dying vCPU is down in Xen. */
static void xen_pv_cpu_die(unsigned int cpu)
{
	while (HYPERVISOR_vcpu_op(VCPUOP_is_up, xen_vcpu_nr(cpu), NULL) > 0)
		schedule_timeout_uninterruptible(HZ / 10);
}

static void xen_pv_cleanup_dead_cpu(unsigned int cpu)
{
	xen_smp_intr_free(cpu);
	xen_uninit_lock_cpu(cpu);
	xen_teardown_timer(cpu);
	xen_pmu_finish(cpu);
}

/*
 * The dying CPU's last steps: down in Xen, and when it is set running
 * again (it keeps its context), up again from the top of its stack.
 */
static void __noreturn xen_pv_play_dead(void)
{
	play_dead_common();
	HYPERVISOR_vcpu_op(VCPUOP_down, xen_vcpu_nr(smp_processor_id()), NULL);
	xen_cpu_bringup_again((unsigned long)task_pt_regs(current));
}
#endif

/* On each other CPU, when the system stops: down for good. */
static void xen_pv_stop_this_cpu(void *unused)
{
	unsigned int cpu = smp_processor_id();

	load_cr3(swapper_pg_dir);
	set_cpu_online(cpu, false);
	HYPERVISOR_vcpu_op(VCPUOP_down, xen_vcpu_nr(cpu), NULL);
	/* Xen refused: stay here, giving the physical CPU away. */
	WARN_ONCE(1, "xen: CPU %u not taken down\n", cpu);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static void xen_pv_stop_other_cpus(int wait)
{
	smp_call_function(xen_pv_stop_this_cpu, NULL, wait);
}

/**
 * xen_smp_count_cpus() - have as many CPU IDs as Xen gave us vCPUs
 *
 * vCPUs are numbered from 0 without gaps; asking about the first one
 * past the last fails.
 */
void __init xen_smp_count_cpus(void)
{
	unsigned int n;

	for (n = 0; n < nr_cpu_ids; n++) {
		if (HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) < 0)
			break;
	}
	pr_info("Xen PV: Detected %u vCPUS\n", n);
	if (n < nr_cpu_ids)
		set_nr_cpu_ids(n);
}

static const struct smp_ops xen_pv_smp_ops __initconst = {
	.smp_prepare_boot_cpu = xen_pv_smp_prepare_boot_cpu,
	.smp_prepare_cpus = xen_pv_smp_prepare_cpus,
	.smp_cpus_done = xen_smp_cpus_done,
	.kick_ap_alive = xen_pv_kick_ap,
	.poll_sync_state = xen_pv_poll_sync_state,
#ifdef CONFIG_HOTPLUG_CPU
	.cpu_disable = xen_pv_cpu_disable,
	.cpu_die = xen_pv_cpu_die,
	.cleanup_dead_cpu = xen_pv_cleanup_dead_cpu,
	.play_dead = xen_pv_play_dead,
#endif
	.stop_other_cpus = xen_pv_stop_other_cpus,
	.smp_send_reschedule = xen_smp_send_reschedule,
	.send_call_func_ipi = xen_smp_send_call_function_ipi,
	.send_call_func_single_ipi = xen_smp_send_call_function_single_ipi,
};

/**
 * xen_smp_init() - a PV guest's smp_ops, and no MP tables to look for
 */
void __init xen_smp_init(void)
{
	smp_ops = xen_pv_smp_ops;
	x86_init.mpparse.find_mptable = x86_init_noop;
	x86_init.mpparse.early_parse_smp_cfg = x86_init_noop;
	/* dom0's CPUID and MADT say enough; a domU is told by Xen. */
	if (xen_initial_domain())
		x86_init.mpparse.parse_smp_cfg = x86_init_noop;
	else
		x86_init.mpparse.parse_smp_cfg = xen_pv_smp_config;
}
