// SPDX-License-Identifier: GPL-2.0-only
/*
 * pv_ops.cpu of a PV guest, but for the descriptor tables (pv_desc.c).
 *
 * A PV kernel runs in ring 3 (x86-64), so the privileged instructions
 * behind these hooks either fault or do not do what the kernel means:
 * each hook does it through Xen, or filters what Xen would refuse.
 *
 * The lazy CPU mode: between the start and end of a context switch,
 * descriptor and stack-switch hypercalls are batched (multicalls) and
 * issued together at its end.
 */

#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/processor.h>
#include <linux/sched.h>

#include <asm/apic.h>
#include <asm/msr-index.h>
#include <asm/mwait.h>
#include <asm/paravirt.h>
#include <asm/xen/cpuid.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#ifdef CONFIG_X86_IOPL_IOPERM
#include <asm/io_bitmap.h>
#endif

#include <xen/interface/physdev.h>
#include <xen/interface/xen.h>

#include "xen-ops.h"
#include "pv.h"

/*
 * Each CPU's lazy mode (XEN_LAZY_NONE, _MMU or _CPU) and how deeply the
 * current one is nested; only that CPU changes them, with preemption off
 * (asm/xen/hypervisor.h's enter_lazy() and leave_lazy()).
 */
DEFINE_PER_CPU(enum xen_lazy_mode, xen_lazy_mode) = XEN_LAZY_NONE;
DEFINE_PER_CPU(unsigned int, xen_lazy_nesting);

/**
 * xen_get_lazy_mode() - the lazy mode batches of this CPU belong to
 *
 * Interrupt handlers never batch: their hypercalls go at once.
 *
 * Return: XEN_LAZY_NONE in interrupt context, else this CPU's mode.
 */
enum xen_lazy_mode xen_get_lazy_mode(void)
{
	return in_interrupt() ? XEN_LAZY_NONE : this_cpu_read(xen_lazy_mode);
}

/*
 * xen_msr_safe=<bool>: whether read_msr and write_msr of an MSR Xen
 * refuses return an error (logged by the MSR code) instead of faulting.
 * Set at boot only.
 */
static bool xen_msr_safe __read_mostly = IS_ENABLED(CONFIG_XEN_PV_MSR_SAFE);

static int __init xen_parse_msr_safe(char *arg)
{
	return arg ? kstrtobool(arg, &xen_msr_safe) : -EINVAL;
}
early_param("xen_msr_safe", xen_parse_msr_safe);

/* ---- cpuid ------------------------------------------------------- */

/*
 * MWAIT's leaf as dom0 found it on the hardware, when Xen lets dom0's
 * ACPI processor driver use MWAIT C-states (xen_pv_check_mwait()); zero
 * otherwise.  Set at boot only.
 */
unsigned int xen_mwait_leaf_ecx __read_mostly;
unsigned int xen_mwait_leaf_edx __read_mostly;

/**
 * xen_pv_cpuid() - pv_ops.cpu.cpuid: cpuid as Xen emulates it for us
 * @ax: the leaf; eax's result
 * @bx: ebx's result
 * @cx: the subleaf; ecx's result
 * @dx: edx's result
 *
 * cpuid with Xen's prefix, which Xen emulates with its own policy for
 * this domain.  On top of that: leaf 1's initial APIC ID is the CPU
 * number (as xen_pv_smp_config() registered them), leaf 5 is what dom0
 * found or nothing, and leaf 0xb's topology is hidden.
 */
void xen_pv_cpuid(unsigned int *ax, unsigned int *bx, unsigned int *cx,
		  unsigned int *dx)
{
	unsigned int leaf = *ax;

	if (leaf == CPUID_MWAIT_LEAF) {
		*ax = 0;
		*bx = 0;
		*cx = xen_mwait_leaf_ecx;
		*dx = xen_mwait_leaf_edx;
		return;
	}
	asm(XEN_EMULATE_PREFIX "cpuid"
	    : "=a" (*ax), "=b" (*bx), "=c" (*cx), "=d" (*dx)
	    : "0" (*ax), "2" (*cx));
	if (leaf == 1)
		*bx = (*bx & 0x00ffffff) | (smp_processor_id() << 24);
	else if (leaf == 0xb)
		*bx = 0;
}

/* ---- Debug and control registers ---------------------------------- */

/**
 * xen_pv_set_debugreg() - pv_ops.cpu.set_debugreg: Xen owns them
 * @reg: the debug register's number
 * @val: its new value; Xen refuses one that would let a breakpoint
 *       reach Xen itself
 */
noinstr void xen_pv_set_debugreg(int reg, unsigned long val)
{
	HYPERVISOR_set_debugreg(reg, val);
}

/**
 * xen_pv_get_debugreg() - pv_ops.cpu.get_debugreg
 * @reg: the debug register's number
 *
 * Return: its value, as Xen keeps it for this vCPU.
 */
noinstr unsigned long xen_pv_get_debugreg(int reg)
{
	return HYPERVISOR_get_debugreg(reg);
}

/*
 * CR0 as the kernel last wrote it: Xen owns the real one.  Read from the
 * hardware the first time (0 means not yet); per CPU, by that CPU only.
 */
static DEFINE_PER_CPU(unsigned long, xen_cr0_shadow);

/**
 * xen_pv_read_cr0() - pv_ops.cpu.read_cr0
 *
 * Return: CR0 as the kernel last wrote it on this CPU.
 */
unsigned long xen_pv_read_cr0(void)
{
	unsigned long cr0 = this_cpu_read(xen_cr0_shadow);

	if (unlikely(!cr0)) {
		cr0 = native_read_cr0();
		this_cpu_write(xen_cr0_shadow, cr0);
	}
	return cr0;
}

/**
 * xen_pv_write_cr0() - pv_ops.cpu.write_cr0
 * @cr0: the new value; of it, only TS means anything to Xen (lazy FPU
 *       switching), and it is batched in the lazy CPU mode
 */
void xen_pv_write_cr0(unsigned long cr0)
{
	struct multicall_space mc;

	this_cpu_write(xen_cr0_shadow, cr0);
	mc = xen_mc_entry(0);
	MULTI_fpu_taskswitch(mc.mc, !!(cr0 & X86_CR0_TS));
	xen_mc_issue(XEN_LAZY_CPU);
}

/**
 * xen_pv_write_cr4() - pv_ops.cpu.write_cr4
 * @cr4: the new value, less global pages, large pages and rdpmc for user
 *       space, which are Xen's to set
 */
void xen_pv_write_cr4(unsigned long cr4)
{
	native_write_cr4(cr4 & ~(X86_CR4_PGE | X86_CR4_PSE | X86_CR4_PCE));
}

/* ---- MSRs ---------------------------------------------------------- */

static u64 xen_pv_msr_read(unsigned int msr, int *err)
{
	u64 val = 0;

	if (pmu_msr_read(msr, &val, err))
		return val;
	val = err ? native_read_msr_safe(msr, err) : native_read_msr(msr);
	/* No x2APIC here; the boot CPU is CPU 0, whatever Xen ran it on. */
	if (msr == MSR_IA32_APICBASE) {
		val &= ~(X2APIC_ENABLE | MSR_IA32_APICBASE_BSP);
		if (!smp_processor_id())
			val |= MSR_IA32_APICBASE_BSP;
	}
	return val;
}

/* A segment base goes through Xen; @err as in xen_pv_msr_write(). */
static void xen_pv_set_seg(unsigned int which, u64 base, int *err)
{
	if (!HYPERVISOR_set_segment_base(which, base))
		return;
	if (err)
		*err = -EIO;
	else
		WARN(1, "Xen set_segment_base(%u, %llx) failed\n", which, base);
}

/*
 * @err NULL: write_msr, which faults on an MSR Xen refuses; else
 * write_msr_safe, with *@err (0 on entry) set on a refusal.
 */
static void xen_pv_msr_write(unsigned int msr, u32 low, u32 high, int *err)
{
	u64 val = ((u64)high << 32) | low;

	switch (msr) {
	case MSR_FS_BASE:
		xen_pv_set_seg(SEGBASE_FS, val, err);
		return;
	case MSR_KERNEL_GS_BASE:
		xen_pv_set_seg(SEGBASE_GS_USER, val, err);
		return;
	case MSR_GS_BASE:
		xen_pv_set_seg(SEGBASE_GS_KERNEL, val, err);
		return;
	/* System call entry is set up with hypercalls: nothing to write. */
	case MSR_STAR:
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_SYSCALL_MASK:
	case MSR_IA32_SYSENTER_CS:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		return;
	}
	if (pmu_msr_write(msr, low, high, err))
		return;
	if (err)
		*err = native_write_msr_safe(msr, low, high);
	else
		native_write_msr(msr, low, high);
}

/**
 * xen_pv_read_msr_safe() - pv_ops.cpu.read_msr_safe
 * @msr: the MSR
 * @err: set to 0, or to an error if the read faulted
 *
 * Return: the MSR's value as a PV guest sees it (0 after a fault).
 */
u64 xen_pv_read_msr_safe(unsigned int msr, int *err)
{
	return xen_pv_msr_read(msr, err);
}

/**
 * xen_pv_write_msr_safe() - pv_ops.cpu.write_msr_safe
 * @msr: the MSR
 * @low: the value's low 32 bits
 * @high: its high 32 bits
 *
 * Segment bases go through Xen, the system call MSRs are ignored (Xen
 * sets up system call entry), and the vPMU's MSRs go to pmu.c.
 *
 * Return: 0, or an error if the write was refused.
 */
int xen_pv_write_msr_safe(unsigned int msr, unsigned int low,
			  unsigned int high)
{
	int err = 0;

	xen_pv_msr_write(msr, low, high, &err);
	return err;
}

/**
 * xen_pv_read_msr() - pv_ops.cpu.read_msr
 * @msr: the MSR
 *
 * With xen_msr_safe (the xen_msr_safe= parameter) a read that faults
 * returns 0 rather than oopsing.
 *
 * Return: the MSR's value as a PV guest sees it.
 */
u64 xen_pv_read_msr(unsigned int msr)
{
	int err;

	return xen_pv_msr_read(msr, xen_msr_safe ? &err : NULL);
}

/**
 * xen_pv_write_msr() - pv_ops.cpu.write_msr
 * @msr: the MSR
 * @low: the value's low 32 bits
 * @high: its high 32 bits
 *
 * As xen_pv_write_msr_safe(); a refusal faults unless xen_msr_safe.
 */
void xen_pv_write_msr(unsigned int msr, unsigned int low, unsigned int high)
{
	int err = 0;

	xen_pv_msr_write(msr, low, high, xen_msr_safe ? &err : NULL);
}

/* ---- Stacks, I/O ----------------------------------------------------- */

/**
 * xen_pv_load_sp0() - pv_ops.cpu.load_sp0
 * @sp0: the kernel stack Xen switches to on an entry from user mode
 */
void xen_pv_load_sp0(unsigned long sp0)
{
	struct multicall_space mc = xen_mc_entry(0);

	MULTI_stack_switch(mc.mc, __KERNEL_DS, sp0);
	xen_mc_issue(XEN_LAZY_CPU);
	this_cpu_write(cpu_tss_rw.x86_tss.sp0, sp0);
}

#ifdef CONFIG_X86_IOPL_IOPERM
/* The task's I/O permission bitmap is Xen's to enforce. */
static void xen_pv_set_io_bitmap(u8 *bitmap, unsigned int nr_ports)
{
	struct physdev_set_iobitmap op = {
		.nr_ports = nr_ports,
	};

	set_xen_guest_handle(op.bitmap, bitmap);
	HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &op);
}

/**
 * xen_pv_invalidate_io_bitmap() - pv_ops.cpu.invalidate_io_bitmap
 *
 * The next task has no I/O ports: Xen is given an empty bitmap.
 */
void xen_pv_invalidate_io_bitmap(void)
{
	native_tss_invalidate_io_bitmap();
	xen_pv_set_io_bitmap(NULL, 0);
}

/**
 * xen_pv_update_io_bitmap() - pv_ops.cpu.update_io_bitmap
 *
 * The TSS's bitmap, which the native code has just updated, is the one
 * Xen enforces.
 */
void xen_pv_update_io_bitmap(void)
{
	struct x86_hw_tss *tss = &this_cpu_ptr(&cpu_tss_rw)->x86_tss;
	bool none;

	native_tss_update_io_bitmap();
	none = tss->io_bitmap_base == IO_BITMAP_OFFSET_INVALID;
	xen_pv_set_io_bitmap((u8 *)tss + tss->io_bitmap_base,
			     none ? 0 : IO_BITMAP_BITS);
}
#endif

/**
 * xen_pv_io_delay() - pv_ops.cpu.io_delay: nothing; port 0x80 delays are
 * for real hardware
 */
void xen_pv_io_delay(void)
{
}

/* ---- Context switch --------------------------------------------------- */

/*
 * A task switched out in the middle of lazy MMU updates takes the mode
 * with it (TIF_LAZY_MMU_UPDATES), and gets it back when switched in.
 */

/**
 * xen_pv_start_context_switch() - pv_ops.cpu.start_context_switch
 * @prev: the task switched out
 *
 * The CPU updates of the switch are batched (the lazy CPU mode).
 */
void xen_pv_start_context_switch(struct task_struct *prev)
{
	lockdep_assert_preemption_disabled();
	if (this_cpu_read(xen_lazy_mode) == XEN_LAZY_MMU) {
		arch_leave_lazy_mmu_mode();
		set_ti_thread_flag(task_thread_info(prev), TIF_LAZY_MMU_UPDATES);
	}
	enter_lazy(XEN_LAZY_CPU);
}

/**
 * xen_pv_end_context_switch() - pv_ops.cpu.end_context_switch
 * @next: the task switched in
 *
 * The batch is issued.
 */
void xen_pv_end_context_switch(struct task_struct *next)
{
	lockdep_assert_preemption_disabled();
	xen_mc_flush();
	leave_lazy(XEN_LAZY_CPU);
	if (test_and_clear_ti_thread_flag(task_thread_info(next),
					  TIF_LAZY_MMU_UPDATES))
		arch_enter_lazy_mmu_mode();
}
