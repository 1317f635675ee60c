/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of arch/x86/xen give each other.
 *
 * The code here falls into three parts, and this header is their seam:
 *   - the memory half of PV (mmu_pv.c, p2m.c, setup.c, multicalls.c):
 *     page tables, the physical-to-machine map, the memory map and
 *     multicall batching;
 *   - the CPU half of PV (enlighten.c, enlighten_pv.c, irq.c, apic.c,
 *     pmu.c, smp.c, smp_pv.c, time.c, suspend.c, suspend_pv.c, vga.c,
 *     xen-head.S and xen-asm.S): boot, the CPU and interrupt hooks, the
 *     entry code, time, SMP and suspend;
 *   - PVH and HVM (enlighten_pvh.c, enlighten_hvm.c, smp_hvm.c,
 *     suspend_hvm.c, mmu_hvm.c), which share the CPU half's time, SMP and
 *     vCPU code.
 * Each part's section below lists what it defines for the others.  What
 * is also declared in <xen/xen-ops.h>, <asm/xen/hypervisor.h> or
 * <asm/xen/page.h> (for code outside this directory) is not repeated.
 * Nothing outside arch/x86/xen includes this header.
 */
#ifndef _ARCH_X86_XEN_XEN_OPS_H
#define _ARCH_X86_XEN_XEN_OPS_H

#include <linux/clocksource.h>
#include <linux/init.h>
#include <linux/irqreturn.h>
#include <linux/linkage.h>
#include <linux/processor.h>

#include <asm/page.h>

#include <xen/interface/xenpmu.h>
#include <xen/xen-ops.h>

#include <trace/events/xen.h>

struct boot_params;
struct dentry;
struct dom0_vga_console_info;
struct screen_info;
struct trap_info;

/* ---- State shared by every part ---------------------------------- */

/*
 * A per-CPU event (IPI or VIRQ) of smp.c and smp_pv.c: its irq, -1 while
 * unbound, and the name it is bound under, which must outlive the binding.
 */
struct xen_common_irq {
	int irq;
	char name[24];
};

/* AMD and Hygon: vmmcall for hypercalls, AMD's PMU MSRs. */
static __always_inline bool xen_cpu_amd_like(void)
{
	return boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
	       boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
}

/* The start_info page Xen gave a PV domain (NULL elsewhere). */
extern struct start_info *xen_start_info;
/* The shared_info page, and the stand-in used until it is mapped. */
extern struct shared_info *HYPERVISOR_shared_info;
extern struct shared_info xen_dummy_shared_info;
/* Each vCPU's vcpu_info, where it has been placed in per-CPU memory. */
DECLARE_PER_CPU_ALIGNED(struct vcpu_info, xen_vcpu_info);

/*
 * How much extra memory (beyond the initial allocation) the memory map
 * may describe, as a multiple of the initial size: its struct pages
 * have to fit in the initial memory.
 */
#define EXTRA_MEM_RATIO		10

/* ---- Defined by the memory half ---------------------------------- */

/* The page-table levels, as the p2m and page-table code name them. */
enum pt_level {
	PT_PGD,
	PT_P4D,
	PT_PUD,
	PT_PMD,
	PT_PTE,
};

/* Each CPU's current cr3, as Xen knows it. */
DECLARE_PER_CPU(unsigned long, xen_cr3);

/* mmu_pv.c: boot, pinning and the pv_ops.mmu hooks. */
void xen_init_mmu_ops(void);
void xen_setup_machphys_mapping(void);
void xen_setup_kernel_pagetable(pgd_t *pgd, unsigned long max_pfn);
void __init xen_reserve_special_pages(void);
void __init xen_pt_check_e820(void);
void __init xen_relocate_p2m(void);
void xen_mm_pin_all(void);
void xen_mm_unpin_all(void);
void set_pte_mfn(unsigned long vaddr, unsigned long pfn, pgprot_t flags);

/* p2m.c: the physical-to-machine map and its list for the toolstack. */
void __init xen_build_dynamic_phys_to_machine(void);
void __init xen_vmalloc_p2m_tree(void);
void xen_build_mfn_list_list(void);
void xen_setup_mfn_list_list(void);
bool __set_phys_to_machine(unsigned long pfn, unsigned long mfn);

/* setup.c: the memory map, extra memory, and the syscall entries. */
char * __init xen_memory_setup(void);
void __init xen_arch_setup(void);
void __init xen_remap_memory(void);
void __init xen_do_remap_nonram(void);
void __init xen_add_remap_nonram(phys_addr_t maddr, phys_addr_t paddr,
				 unsigned long size);
void __init xen_chk_is_e820_usable(phys_addr_t start, phys_addr_t size,
				   const char *component);
unsigned long __ref xen_chk_extra_mem(unsigned long pfn);
void __init xen_inv_extra_mem(void);
phys_addr_t __init xen_find_free_area(phys_addr_t size);
void xen_enable_syscall(void);
void xen_enable_sysenter(void);

/*
 * multicalls.c: batches of hypercalls.  A batch is per CPU and runs with
 * interrupts off, from xen_mc_batch() (or xen_mc_entry()) until
 * xen_mc_issue(), which sends it unless a lazy mode of its kind defers
 * it to xen_mc_flush().
 */
struct multicall_space {
	struct multicall_entry *mc;	/* the entry to fill in */
	void *args;			/* room for its arguments */
};

/* The interrupt flags of the current batch's CPU, from before it. */
DECLARE_PER_CPU(unsigned long, xen_mc_irq_flags);

struct multicall_space __xen_mc_entry(size_t args);
struct multicall_space xen_mc_extend_args(unsigned long op, size_t arg_size);
void xen_mc_callback(void (*fn)(void *), void *data);
void xen_mc_flush(void);

static inline void xen_mc_batch(void)
{
	unsigned long flags;

	local_irq_save(flags);
	__this_cpu_write(xen_mc_irq_flags, flags);
	trace_xen_mc_batch(xen_get_lazy_mode());
}

static inline struct multicall_space xen_mc_entry(size_t args)
{
	xen_mc_batch();
	return __xen_mc_entry(args);
}

/* @mode: the lazy mode (XEN_LAZY_*) whose batches may wait for a flush. */
static inline void xen_mc_issue(unsigned int mode)
{
	bool deferred = xen_get_lazy_mode() & mode;

	trace_xen_mc_issue(mode);
	if (!deferred)
		xen_mc_flush();
	local_irq_restore(this_cpu_read(xen_mc_irq_flags));
}

/* ---- Defined by the CPU half ------------------------------------- */

/* xen-head.S and xen-asm.S: entry points, not functions to call. */
void xen_start_kernel(struct start_info *si);
void xen_entry_SYSCALL_64(void);
void xen_entry_SYSCALL_compat(void);
void xen_entry_SYSENTER_compat(void);
__visible void xen_iret(void);
__visible unsigned long xen_read_cr2(void);
__visible unsigned long xen_read_cr2_direct(void);
__visible void xen_irq_enable_direct(void);
__visible void xen_irq_disable_direct(void);
__visible unsigned long xen_save_fl_direct(void);

/* The failsafe callback is in the common entry code (entry_64.S). */
extern const char xen_failsafe_callback[];

/* Hypercalls: the static call's possible targets and their choice. */
void xen_hypercall_pv(void);
void xen_hypercall_hvm(void);
void xen_hypercall_amd(void);
void xen_hypercall_intel(void);
void xen_hypercall_setfunc(void);
void *__xen_hypercall_setfunc(void);

/*
 * enlighten.c, enlighten_pv.c and pv_desc.c: boot, vCPU info, reboot,
 * extra memory, the boot GDT and the trap table.
 */
extern void *xen_initial_gdt;
void xen_copy_trap_info(struct trap_info *traps);
void xen_banner(void);
void xen_add_preferred_consoles(void);
void xen_vcpu_setup(int cpu);
void xen_vcpu_info_reset(int cpu);
void xen_vcpu_restore(void);
void xen_setup_vcpu_info_placement(void);
void xen_pin_vcpu(int cpu);
int xen_cpuhp_setup(int (*cpu_up_prepare_cb)(unsigned int),
		    int (*cpu_dead_cb)(unsigned int));
int xen_panic_handler_init(void);
void xen_emergency_restart(void);
void xen_add_extra_mem(unsigned long start_pfn, unsigned long n_pfns);

/* irq.c and apic.c */
void xen_init_irq_ops(void);
void xen_force_evtchn_callback(void);
void __init xen_init_apic(void);

/* time.c */
void xen_init_time_ops(void);
void xen_hvm_init_time_ops(void);
void xen_setup_timer(int cpu);
void xen_teardown_timer(int cpu);
void xen_setup_cpu_clockevents(void);
void xen_save_time_memory_area(void);
void xen_restore_time_memory_area(void);

/* pmu.c */
extern bool is_xen_pmu;
irqreturn_t xen_pmu_irq_handler(int irq, void *dev_id);
bool pmu_msr_read(unsigned int msr, uint64_t *val, int *err);
bool pmu_msr_write(unsigned int msr, uint32_t low, uint32_t high, int *err);
int pmu_apic_update(uint32_t reg);
unsigned long long xen_read_pmc(int counter);
#ifdef CONFIG_XEN_HAVE_VPMU
void xen_pmu_init(int cpu);
void xen_pmu_finish(int cpu);
#else
static inline void xen_pmu_init(int cpu) { }
static inline void xen_pmu_finish(int cpu) { }
#endif

/* vga.c: dom0's display, from Xen's description of it. */
#ifdef CONFIG_XEN_DOM0
void __init xen_init_vga(const struct dom0_vga_console_info *info,
			 size_t size, struct screen_info *si);
#else
static inline void __init xen_init_vga(const struct dom0_vga_console_info *info,
				       size_t size, struct screen_info *si)
{
}
#endif

/* suspend_pv.c */
#ifdef CONFIG_XEN_PV
void xen_pv_pre_suspend(void);
void xen_pv_post_suspend(int suspend_cancelled);
#else
static inline void xen_pv_pre_suspend(void) { }
static inline void xen_pv_post_suspend(int suspend_cancelled) { }
#endif

/* smp.c (PV and PVH) and smp_pv.c */
#ifdef CONFIG_SMP
extern cpumask_var_t xen_cpu_initialized_map;

void xen_smp_init(void);
void xen_smp_count_cpus(void);
void xen_smp_cpus_done(unsigned int max_cpus);
int xen_smp_intr_init(unsigned int cpu);
void xen_smp_intr_free(unsigned int cpu);
int xen_smp_intr_init_pv(unsigned int cpu);
void xen_smp_intr_free_pv(unsigned int cpu);
void xen_smp_send_reschedule(int cpu);
void xen_smp_send_call_function_ipi(const struct cpumask *mask);
void xen_smp_send_call_function_single_ipi(int cpu);
void xen_send_IPI_mask(const struct cpumask *mask, int vector);
void xen_send_IPI_mask_allbutself(const struct cpumask *mask, int vector);
void xen_send_IPI_allbutself(int vector);
void xen_send_IPI_all(int vector);
void xen_send_IPI_self(int vector);
void asm_cpu_bringup_and_idle(void);
asmlinkage void cpu_bringup_and_idle(void);
void __noreturn xen_cpu_bringup_again(unsigned long stack);
#else
static inline void xen_smp_init(void) { }
static inline void xen_smp_count_cpus(void) { }
static inline int xen_smp_intr_init(unsigned int cpu) { return 0; }
static inline void xen_smp_intr_free(unsigned int cpu) { }
static inline int xen_smp_intr_init_pv(unsigned int cpu) { return 0; }
static inline void xen_smp_intr_free_pv(unsigned int cpu) { }
#endif

/* ---- Defined by PVH and HVM -------------------------------------- */

void xen_hvm_init_shared_info(void);
void xen_hvm_init_mmu_ops(void);
void xen_unplug_emulated_devices(void);
#ifdef CONFIG_XEN_PVHVM
void xen_hvm_post_suspend(int suspend_cancelled);
#else
static inline void xen_hvm_post_suspend(int suspend_cancelled) { }
#endif
#ifdef CONFIG_SMP
void __init xen_hvm_smp_init(void);
#else
static inline void xen_hvm_smp_init(void) { }
#endif

/* ---- Defined by files a configuration may leave out -------------- */

/* spinlock.c: paravirtual spinlocks. */
#ifdef CONFIG_PARAVIRT_SPINLOCKS
void __init xen_init_spinlocks(void);
void xen_init_lock_cpu(int cpu);
void xen_uninit_lock_cpu(int cpu);
#else
static inline void xen_init_spinlocks(void) { }
static inline void xen_init_lock_cpu(int cpu) { }
static inline void xen_uninit_lock_cpu(int cpu) { }
#endif

/* efi.c: a dom0 booted by EFI. */
#ifdef CONFIG_XEN_EFI
void xen_efi_init(struct boot_params *boot_params);
#else
static inline void __init xen_efi_init(struct boot_params *boot_params)
{
}
#endif

/* debugfs.c */
struct dentry * __init xen_init_debugfs(void);

#endif /* _ARCH_X86_XEN_XEN_OPS_H */
