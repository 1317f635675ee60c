// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen's virtual PMU for a PV guest.
 *
 * Where Xen offers a vPMU (its "vpmu" option; XENPMU_init fails
 * otherwise), each vCPU shares a page with it (struct xen_pmu_data).
 * Xen raises VIRQ_XENPMU for a counter overflow, with the interrupted
 * registers and a copy of the PMU's MSRs in that page.  While the guest
 * handles that interrupt, its reads and writes of PMU MSRs go to the copy,
 * which XENPMU_flush then writes back to the hardware; at any other time
 * they go to the MSRs themselves, which Xen lets a PV guest access.
 *
 * dom0 with Xen in XENPMU_MODE_ALL also gets samples of other domains:
 * the perf guest callbacks say whose they are.
 */

#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/percpu.h>

#include <asm/msr.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include <xen/interface/vcpu.h>
#include <xen/interface/xen.h>
#include <xen/interface/xenpmu.h>
#include <xen/page.h>
#include <xen/xen.h>

#include "xen-ops.h"

/* x86_pmu.handle_irq */
#include "../events/perf_event.h"

/* A vCPU's page shared with Xen's vPMU, and whether its interrupt runs. */
struct xen_pmu_cpu {
	struct xen_pmu_data *data;
	bool in_irq;
};

/*
 * Per CPU: set by xen_pmu_init() and cleared by xen_pmu_finish() for
 * that CPU, while it is not running a PMU interrupt; in_irq only by the
 * CPU itself, in xen_pmu_irq_handler().
 */
static DEFINE_PER_CPU(struct xen_pmu_cpu, xen_pmu_cpu);

/* AMD (and Hygon): family 15h has 6 counter pairs, 2 MSRs apart. */
#define AMD_F15H_COUNTERS	6
#define AMD_K7_COUNTERS		4

/* Intel: counts of general and fixed counters, CPUID leaf 0xa. */
#define INTEL_PMU_LEAF			0xa
#define INTEL_ARCH_COUNTERS(eax)	(((eax) >> 8) & 0xff)
#define INTEL_FIXED_COUNTERS(edx)	((edx) & 0x1f)
/* MSR_IA32_PMC0 and up are full-width aliases of MSR_IA32_PERFCTR0 and up. */
#define INTEL_PMC_ALIAS_BITS		(MSR_IA32_PERFCTR0 ^ MSR_IA32_PMC0)
/* rdpmc's counter: bit 30 selects the fixed counters. */
#define INTEL_RDPMC_FIXED		BIT(30)

/*
 * Where the PMU's MSRs are, for the CPU vendor: set once, by the first
 * CPU whose vPMU comes up, before is_xen_pmu is.
 */
static struct {
	u32 amd_ctr;		/* first counter MSR */
	u32 amd_ctl;		/* first control MSR */
	unsigned int amd_step;	/* MSRs from one counter to the next */
	unsigned int amd_nr;
	bool amd_k7_alias;	/* K7 MSR numbers name the F15h ones */
	unsigned int intel_arch_nr;
	unsigned int intel_fixed_nr;
} xen_pmu_layout __read_mostly;

/* Xen gave us a vPMU: set once, by the first CPU whose vPMU comes up. */
bool is_xen_pmu;

static bool xen_pmu_intel_like(void)
{
	return boot_cpu_data.x86_vendor == X86_VENDOR_INTEL ||
	       boot_cpu_data.x86_vendor == X86_VENDOR_CENTAUR ||
	       boot_cpu_data.x86_vendor == X86_VENDOR_ZHAOXIN;
}

static void xen_pmu_layout_init(void)
{
	u32 eax, ebx, ecx, edx;

	if (xen_cpu_amd_like()) {
		if (boot_cpu_data.x86_vendor == X86_VENDOR_AMD &&
		    boot_cpu_data.x86 == 0x15) {
			xen_pmu_layout.amd_nr = AMD_F15H_COUNTERS;
			xen_pmu_layout.amd_ctr = MSR_F15H_PERF_CTR;
			xen_pmu_layout.amd_ctl = MSR_F15H_PERF_CTL;
			xen_pmu_layout.amd_step = 2;
			xen_pmu_layout.amd_k7_alias = true;
		} else {
			xen_pmu_layout.amd_nr = AMD_K7_COUNTERS;
			xen_pmu_layout.amd_ctr = MSR_K7_PERFCTR0;
			xen_pmu_layout.amd_ctl = MSR_K7_EVNTSEL0;
			xen_pmu_layout.amd_step = 1;
		}
		return;
	}
	cpuid(INTEL_PMU_LEAF, &eax, &ebx, &ecx, &edx);
	xen_pmu_layout.intel_arch_nr = INTEL_ARCH_COUNTERS(eax);
	xen_pmu_layout.intel_fixed_nr = INTEL_FIXED_COUNTERS(edx);
}

/*
 * The page shared with Xen's vPMU, if this CPU is handling a PMU
 * interrupt: then its MSR copy is the PMU.  NULL otherwise.
 */
static struct xen_pmu_data *xen_pmu_in_irq(void)
{
	struct xen_pmu_cpu *pc = this_cpu_ptr(&xen_pmu_cpu);

	return pc->data && pc->in_irq ? pc->data : NULL;
}

/*
 * Register @idx of an array of @size-byte entries that Xen placed @off
 * bytes into the vendor context @ctxt, within the shared page; NULL if
 * Xen's offset would put it outside.
 */
static void *xen_pmu_slot(struct xen_pmu_data *data, void *ctxt, u32 off,
			  unsigned int idx, size_t size)
{
	size_t at = (ctxt - (void *)data) + off + (size_t)idx * size;

	if (at + size > PAGE_SIZE)
		return NULL;
	return (void *)data + at;
}

/* ---- AMD ---------------------------------------------------------- */

static bool xen_pmu_is_amd_msr(u32 msr)
{
	unsigned int nr = xen_pmu_layout.amd_nr;

	if (!xen_cpu_amd_like())
		return false;
	return (msr >= MSR_F15H_PERF_CTL && msr < MSR_F15H_PERF_CTR + 2 * nr) ||
	       (msr >= MSR_K7_EVNTSEL0 && msr < MSR_K7_PERFCTR0 + nr);
}

/* The MSR copy's slot of an AMD PMU MSR, or NULL (outside an interrupt too). */
static u64 *xen_pmu_amd_reg(u32 msr)
{
	struct xen_pmu_data *data = xen_pmu_in_irq();
	struct xen_pmu_amd_ctxt *ctxt;
	unsigned int i;

	if (!data)
		return NULL;
	ctxt = &data->pmu.c.amd;
	/* The K7 numbers name the first four F15h pairs. */
	if (xen_pmu_layout.amd_k7_alias) {
		if (msr >= MSR_K7_EVNTSEL0 && msr <= MSR_K7_EVNTSEL3)
			msr = MSR_F15H_PERF_CTL + 2 * (msr - MSR_K7_EVNTSEL0);
		else if (msr >= MSR_K7_PERFCTR0 && msr <= MSR_K7_PERFCTR3)
			msr = MSR_F15H_PERF_CTR + 2 * (msr - MSR_K7_PERFCTR0);
	}
	for (i = 0; i < xen_pmu_layout.amd_nr; i++) {
		u32 step = i * xen_pmu_layout.amd_step;

		if (msr == xen_pmu_layout.amd_ctl + step)
			return xen_pmu_slot(data, ctxt, ctxt->ctrls, i, sizeof(u64));
		if (msr == xen_pmu_layout.amd_ctr + step)
			return xen_pmu_slot(data, ctxt, ctxt->counters, i,
					    sizeof(u64));
	}
	return NULL;
}

/* ---- Intel -------------------------------------------------------- */

enum xen_pmu_intel_kind {
	INTEL_NOT_PMU,
	INTEL_GLOBAL,		/* one of the PMU's own registers */
	INTEL_FIXED_CTR,	/* fixed counter idx */
	INTEL_ARCH_CTR,		/* general counter idx */
	INTEL_ARCH_CTL,		/* general counter idx's event select */
};

static enum xen_pmu_intel_kind xen_pmu_intel_kind(u32 msr, unsigned int *idx)
{
	u32 pmc = msr & ~INTEL_PMC_ALIAS_BITS;

	if (!xen_pmu_intel_like())
		return INTEL_NOT_PMU;
	switch (msr) {
	case MSR_CORE_PERF_GLOBAL_CTRL:
	case MSR_CORE_PERF_GLOBAL_STATUS:
	case MSR_CORE_PERF_GLOBAL_OVF_CTRL:
	case MSR_CORE_PERF_FIXED_CTR_CTRL:
	case MSR_IA32_DS_AREA:
	case MSR_IA32_PEBS_ENABLE:
		return INTEL_GLOBAL;
	}
	if (msr >= MSR_CORE_PERF_FIXED_CTR0 &&
	    msr - MSR_CORE_PERF_FIXED_CTR0 < xen_pmu_layout.intel_fixed_nr) {
		*idx = msr - MSR_CORE_PERF_FIXED_CTR0;
		return INTEL_FIXED_CTR;
	}
	if (msr >= MSR_P6_EVNTSEL0 &&
	    msr - MSR_P6_EVNTSEL0 < xen_pmu_layout.intel_arch_nr) {
		*idx = msr - MSR_P6_EVNTSEL0;
		return INTEL_ARCH_CTL;
	}
	if (pmc >= MSR_IA32_PERFCTR0 &&
	    pmc - MSR_IA32_PERFCTR0 < xen_pmu_layout.intel_arch_nr) {
		*idx = pmc - MSR_IA32_PERFCTR0;
		return INTEL_ARCH_CTR;
	}
	return INTEL_NOT_PMU;
}

/*
 * The MSR copy's slot of an Intel PMU MSR, or NULL (outside an interrupt
 * too, and for the DS area and PEBS, which the copy does not hold).
 */
static u64 *xen_pmu_intel_reg(u32 msr, enum xen_pmu_intel_kind kind,
			      unsigned int idx)
{
	struct xen_pmu_data *data = xen_pmu_in_irq();
	struct xen_pmu_intel_ctxt *ctxt;
	struct xen_pmu_cntr_pair *pair;

	if (!data)
		return NULL;
	ctxt = &data->pmu.c.intel;
	switch (kind) {
	case INTEL_GLOBAL:
		switch (msr) {
		case MSR_CORE_PERF_GLOBAL_CTRL:
			return &ctxt->global_ctrl;
		case MSR_CORE_PERF_GLOBAL_STATUS:
			return &ctxt->global_status;
		case MSR_CORE_PERF_GLOBAL_OVF_CTRL:
			return &ctxt->global_ovf_ctrl;
		case MSR_CORE_PERF_FIXED_CTR_CTRL:
			return &ctxt->fixed_ctrl;
		}
		return NULL;
	case INTEL_FIXED_CTR:
		return xen_pmu_slot(data, ctxt, ctxt->fixed_counters, idx,
				    sizeof(u64));
	case INTEL_ARCH_CTR:
	case INTEL_ARCH_CTL:
		pair = xen_pmu_slot(data, ctxt, ctxt->arch_counters, idx,
				    sizeof(*pair));
		if (!pair)
			return NULL;
		return kind == INTEL_ARCH_CTR ? &pair->counter : &pair->control;
	default:
		return NULL;
	}
}

/* ---- MSR and counter access --------------------------------------- */

/*
 * Is @msr a PMU MSR?  If so, *@reg is its slot in the MSR copy while a
 * PMU interrupt is handled, else NULL (the MSR itself is to be used).
 */
static bool xen_pmu_msr(u32 msr, u64 **reg)
{
	enum xen_pmu_intel_kind kind;
	unsigned int idx = 0;

	if (xen_pmu_is_amd_msr(msr)) {
		*reg = xen_pmu_amd_reg(msr);
		return true;
	}
	kind = xen_pmu_intel_kind(msr, &idx);
	if (kind == INTEL_NOT_PMU)
		return false;
	*reg = xen_pmu_intel_reg(msr, kind, idx);
	return true;
}

/**
 * pmu_msr_read() - read a PMU MSR the way Xen's vPMU wants it
 * @msr: the MSR
 * @val: where its value goes
 * @err: where rdmsr's fault goes (0 or -EIO), or NULL to read unsafely
 *
 * Return: false if @msr is not a PMU MSR (nothing was read).
 */
bool pmu_msr_read(unsigned int msr, uint64_t *val, int *err)
{
	u64 *reg;

	if (!xen_pmu_msr(msr, &reg))
		return false;
	if (reg)
		*val = *reg;
	else if (err)
		*val = native_read_msr_safe(msr, err);
	else
		*val = native_read_msr(msr);
	return true;
}

/**
 * pmu_msr_write() - write a PMU MSR the way Xen's vPMU wants it
 * @msr: the MSR
 * @low: its low 32 bits
 * @high: its high 32 bits
 * @err: where wrmsr's fault goes (0 or -EIO), or NULL to write unsafely
 *
 * Return: false if @msr is not a PMU MSR (nothing was written).
 */
bool pmu_msr_write(unsigned int msr, uint32_t low, uint32_t high, int *err)
{
	u64 val = ((u64)high << 32) | low;
	u64 *reg;

	if (!xen_pmu_msr(msr, &reg))
		return false;
	if (reg) {
		*reg = val;
		/* Clearing overflow bits clears them in the status too. */
		if (msr == MSR_CORE_PERF_GLOBAL_OVF_CTRL)
			xen_pmu_in_irq()->pmu.c.intel.global_status &= ~val;
	} else if (err) {
		*err = native_write_msr_safe(msr, low, high);
	} else {
		native_write_msr(msr, low, high);
	}
	return true;
}

/**
 * xen_read_pmc() - pv_ops.cpu.read_pmc: rdpmc through Xen's vPMU
 * @counter: rdpmc's counter number
 *
 * Return: the counter, from the MSR copy while a PMU interrupt is
 * handled, else from its MSR (0 if that faults).
 */
unsigned long long xen_read_pmc(int counter)
{
	struct xen_pmu_data *data = xen_pmu_in_irq();
	unsigned int idx = counter & 0xffff;
	u64 *reg = NULL;
	u32 msr;
	int err;

	if (xen_cpu_amd_like()) {
		msr = xen_pmu_layout.amd_ctr + counter * xen_pmu_layout.amd_step;
		if (data)
			reg = xen_pmu_slot(data, &data->pmu.c.amd,
					   data->pmu.c.amd.counters, counter,
					   sizeof(u64));
	} else if (counter & INTEL_RDPMC_FIXED) {
		msr = MSR_CORE_PERF_FIXED_CTR0 + idx;
		if (data)
			reg = xen_pmu_slot(data, &data->pmu.c.intel,
					   data->pmu.c.intel.fixed_counters,
					   idx, sizeof(u64));
	} else {
		struct xen_pmu_cntr_pair *pair = NULL;

		msr = MSR_IA32_PERFCTR0 + counter;
		if (data)
			pair = xen_pmu_slot(data, &data->pmu.c.intel,
					    data->pmu.c.intel.arch_counters,
					    counter, sizeof(*pair));
		if (pair)
			reg = &pair->counter;
	}
	if (reg)
		return *reg;
	return native_read_msr_safe(msr, &err);
}

/**
 * pmu_apic_update() - the PMU interrupt's LVT entry, for Xen's vPMU
 * @val: what the kernel wrote to APIC_LVTPC (Xen uses its mask bit)
 *
 * Return: 0, or a negative errno if this CPU has no vPMU.
 */
int pmu_apic_update(uint32_t val)
{
	struct xen_pmu_cpu *pc = this_cpu_ptr(&xen_pmu_cpu);

	if (!pc->data) {
		pr_warn_once("xen: APIC_LVTPC written without a vPMU\n");
		return -EINVAL;
	}
	pc->data->pmu.l.lapic_lvtpc = val;
	/* In the interrupt, XENPMU_flush passes it on. */
	if (pc->in_irq)
		return 0;
	return HYPERVISOR_xenpmu_op(XENPMU_lvtpc_set, NULL);
}

/* ---- The PMU interrupt and perf's guest callbacks ------------------ */

static struct xen_pmu_data *xen_pmu_data_or_warn(void)
{
	struct xen_pmu_data *data = this_cpu_read(xen_pmu_cpu.data);

	if (!data)
		pr_warn_once("xen: PMU sample without a vPMU\n");
	return data;
}

/* Is the sample user mode?  Xen says so for a PV domain, else its CPL. */
static bool xen_pmu_sample_user(const struct xen_pmu_data *data)
{
	if (data->pmu.pmu_flags & PMU_SAMPLE_PV)
		return data->pmu.pmu_flags & PMU_SAMPLE_USER;
	return data->pmu.r.regs.cpl & 3;
}

/* perf's guest state: only dom0 gets samples of other domains. */
static unsigned int xen_pmu_guest_state(void)
{
	const struct xen_pmu_data *data = xen_pmu_data_or_warn();
	unsigned int state;

	if (!data || !xen_initial_domain() || data->domain_id >= DOMID_SELF)
		return 0;
	state = PERF_GUEST_ACTIVE;
	if (xen_pmu_sample_user(data))
		state |= PERF_GUEST_USER;
	return state;
}

static unsigned long xen_pmu_guest_ip(void)
{
	const struct xen_pmu_data *data = xen_pmu_data_or_warn();

	return data ? data->pmu.r.regs.ip : 0;
}

static struct perf_guest_info_callbacks xen_pmu_guest_cbs = {
	.state = xen_pmu_guest_state,
	.get_ip = xen_pmu_guest_ip,
};

/**
 * xen_pmu_irq_handler() - VIRQ_XENPMU: a counter overflowed
 * @irq: the VIRQ's irq
 * @dev_id: unused
 *
 * Hands perf the sampled registers, with the PMU's MSRs read and written
 * in the shared copy, which Xen then writes back.
 *
 * Return: IRQ_HANDLED if perf handled an overflow.
 */
irqreturn_t xen_pmu_irq_handler(int irq, void *dev_id)
{
	struct xen_pmu_cpu *pc = this_cpu_ptr(&xen_pmu_cpu);
	const struct xen_pmu_data *data = xen_pmu_data_or_warn();
	struct pt_regs regs = { 0 };
	bool handled;
	int err;

	if (!data)
		return IRQ_NONE;
	regs.ip = data->pmu.r.regs.ip;
	regs.sp = data->pmu.r.regs.sp;
	regs.cs = data->pmu.r.regs.cs & ~3;
	if (xen_pmu_sample_user(data))
		regs.cs |= 3;

	pc->in_irq = true;
	handled = x86_pmu.handle_irq(&regs);
	err = HYPERVISOR_xenpmu_op(XENPMU_flush, NULL);
	pc->in_irq = false;
	if (err) {
		pr_warn_once("xen: XENPMU_flush failed (%d)\n", err);
		return IRQ_NONE;
	}
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

/* ---- Per-CPU setup ------------------------------------------------ */

static int xen_pmu_op(unsigned int op, int cpu, unsigned long mfn)
{
	struct xen_pmu_params p = {
		.version.maj = XENPMU_VER_MAJ,
		.version.min = XENPMU_VER_MIN,
		.val = mfn,
		.vcpu = cpu,
	};

	return HYPERVISOR_xenpmu_op(op, &p);
}

/**
 * xen_pmu_init() - share a page with Xen's vPMU for a vCPU
 * @cpu: the vCPU
 *
 * The boot CPU finds out whether Xen has a vPMU for us; the others only
 * ask if it had.  PV only.
 */
void xen_pmu_init(int cpu)
{
	struct xen_pmu_data *data;
	int err;

	BUILD_BUG_ON(sizeof(struct xen_pmu_data) > PAGE_SIZE);
	if (xen_hvm_domain() || (cpu && !is_xen_pmu))
		return;

	data = (struct xen_pmu_data *)get_zeroed_page(GFP_KERNEL);
	if (!data) {
		pr_err("xen: no memory for the vPMU of CPU %d\n", cpu);
		return;
	}
	err = xen_pmu_op(XENPMU_init, cpu, pfn_to_mfn(virt_to_pfn(data)));
	if (err) {
		if (err == -EOPNOTSUPP || err == -ENOSYS)
			pr_info_once("VPMU disabled by hypervisor.\n");
		else
			pr_info_once("Could not initialize VPMU for cpu %d, error %d\n",
				     cpu, err);
		free_page((unsigned long)data);
		return;
	}
	per_cpu(xen_pmu_cpu, cpu).in_irq = false;
	per_cpu(xen_pmu_cpu, cpu).data = data;
	if (!is_xen_pmu) {
		xen_pmu_layout_init();
		is_xen_pmu = true;
		perf_register_guest_info_callbacks(&xen_pmu_guest_cbs);
	}
}

/**
 * xen_pmu_finish() - stop sharing a vCPU's page with Xen's vPMU
 * @cpu: the vCPU, going down or suspending
 */
void xen_pmu_finish(int cpu)
{
	struct xen_pmu_cpu *pc = &per_cpu(xen_pmu_cpu, cpu);

	if (xen_hvm_domain() || !pc->data)
		return;
	xen_pmu_op(XENPMU_finish, cpu, 0);
	free_page((unsigned long)pc->data);
	pc->data = NULL;
}
