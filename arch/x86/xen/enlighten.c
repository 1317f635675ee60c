// SPDX-License-Identifier: GPL-2.0-only
/*
 * What every kind of Xen guest (PV, PVH, HVM) shares: the global state
 * Xen gives it, the hypercall static call, each vCPU's vcpu_info, CPU
 * hotplug callbacks, reboot and panic, and extra memory.
 *
 * The hypercall static call starts at xen_hypercall_hvm (xen-head.S),
 * which finds out the CPU vendor on its first use, through
 * __xen_hypercall_setfunc(), and patches the call to vmcall or vmmcall;
 * a PV guest points it at its syscall-based stub before its first
 * hypercall.  On bare metal nothing calls it.
 */

#include <linux/console.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/instrumentation.h>
#include <linux/kexec.h>
#include <linux/memblock.h>
#include <linux/panic_notifier.h>
#include <linux/percpu.h>
#include <linux/static_call.h>

#include <asm/cpu.h>
#include <asm/e820/api.h>
#include <asm/setup.h>
#include <asm/xen/events.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>

#include <xen/features.h>
#include <xen/interface/sched.h>
#include <xen/interface/version.h>
#include <xen/page.h>
#include <xen/xen.h>

#include "xen-ops.h"

DEFINE_STATIC_CALL(xen_hypercall, xen_hypercall_hvm);
EXPORT_STATIC_CALL_TRAMP(xen_hypercall);

/*
 * Each CPU's vcpu_info: at first the one in shared_info (only the first
 * MAX_VIRT_CPUS vCPUs have one there), later xen_vcpu_info, the CPU's
 * own copy in per-CPU memory that xen_vcpu_setup() registers with Xen.
 * Set at boot, at bring-up and at restore, for CPUs not running.
 */
DEFINE_PER_CPU(struct vcpu_info *, xen_vcpu);
/*
 * Cache-line aligned: a vcpu_info (64 bytes) must not cross a page, as
 * Xen maps it by one frame and an offset.
 */
DEFINE_PER_CPU_ALIGNED(struct vcpu_info, xen_vcpu_info);

/* Each CPU's vCPU number in Xen: set before the CPU comes up. */
DEFINE_PER_CPU(uint32_t, xen_vcpu_id);
EXPORT_PER_CPU_SYMBOL(xen_vcpu_id);

/* Xen's read-only machine-to-physical table, and its size (PV). */
unsigned long *machine_to_phys_mapping = (void *)MACH2PHYS_VIRT_START;
EXPORT_SYMBOL(machine_to_phys_mapping);
unsigned long machine_to_phys_nr;
EXPORT_SYMBOL(machine_to_phys_nr);

/* The start_info page of a PV domain (NULL elsewhere); set at boot. */
struct start_info *xen_start_info;
EXPORT_SYMBOL_GPL(xen_start_info);

/* shared_info's stand-in until the real one is mapped, and in a suspend. */
struct shared_info xen_dummy_shared_info;
struct shared_info *HYPERVISOR_shared_info = &xen_dummy_shared_info;

/* HVM: Xen delivers events through a vector; cleared at boot if not. */
__read_mostly bool xen_have_vector_callback = true;
EXPORT_SYMBOL_GPL(xen_have_vector_callback);

/*
 * What kind of domain this is, and the SIF_* flags of its start info.
 * In .data, not .bss: PVH sets them before the kernel clears its bss.
 */
enum xen_domain_type __ro_after_init xen_domain_type = XEN_NATIVE;
EXPORT_SYMBOL_GPL(xen_domain_type);
u32 __ro_after_init xen_start_flags;
EXPORT_SYMBOL(xen_start_flags);

/* Pages of the initial allocation given back to Xen (setup.c), for balloon. */
unsigned long xen_released_pages;

/* Extra memory regions of the memory map, beyond the initial allocation. */
struct xen_memory_region xen_extra_mem[XEN_EXTRA_MEM_MAX_REGIONS] __initdata;

/* ---- Hypercalls ------------------------------------------------------ */

/**
 * xen_hypercall_setfunc() - choose vmcall or vmmcall for an HVM guest
 *
 * Only while the static call is still at its first target: a guest
 * whose first hypercall already chose, or a PV guest, keeps its own.
 */
void xen_hypercall_setfunc(void)
{
	if (static_call_query(xen_hypercall) != xen_hypercall_hvm)
		return;
	static_call_update(xen_hypercall,
			   xen_cpu_amd_like() ? xen_hypercall_amd :
						   xen_hypercall_intel);
}

/* The vendor, before early_cpu_init() has found it. */
static __ref void xen_find_vendor(void)
{
	init_cpu_devs();
	cpu_detect(&boot_cpu_data);
	get_cpu_vendor(&boot_cpu_data);
}

/**
 * __xen_hypercall_setfunc() - the first hypercall of a PVH or HVM guest
 *
 * Called by xen_hypercall_hvm, possibly before early_cpu_init() (then
 * X86_FEATURE_CPUID is still clear): finds the vendor, patches the
 * static call, and returns the stub the hypercall then goes through.
 * noinstr because hypercalls are (PV makes them from noinstr code); the
 * vendor probe and the early patching are instrumentable.
 *
 * Return: xen_hypercall_amd or xen_hypercall_intel.
 */
noinstr void *__xen_hypercall_setfunc(void)
{
	void (*stub)(void);

	instrumentation_begin();
	if (!boot_cpu_has(X86_FEATURE_CPUID))
		xen_find_vendor();
	stub = xen_cpu_amd_like() ? xen_hypercall_amd : xen_hypercall_intel;
	static_call_update_early(xen_hypercall, stub);
	instrumentation_end();
	return stub;
}

/* ---- vCPUs ----------------------------------------------------------- */

static int xen_cpu_online(unsigned int cpu)
{
	xen_init_lock_cpu(cpu);
	return 0;
}

/**
 * xen_cpuhp_setup() - the CPU hotplug callbacks of a Xen guest
 * @cpu_up_prepare_cb: binds a CPU's timer and IPIs before it comes up
 * @cpu_dead_cb: unbinds them once it is down
 *
 * Return: 0, or a negative errno with neither callback left registered.
 */
int xen_cpuhp_setup(int (*cpu_up_prepare_cb)(unsigned int),
		    int (*cpu_dead_cb)(unsigned int))
{
	int err;

	err = cpuhp_setup_state_nocalls(CPUHP_XEN_PREPARE,
					"x86/xen/guest:prepare",
					cpu_up_prepare_cb, cpu_dead_cb);
	if (err < 0)
		return err;
	err = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					"x86/xen/guest:online",
					xen_cpu_online, NULL);
	if (err < 0) {
		cpuhp_remove_state_nocalls(CPUHP_XEN_PREPARE);
		return err;
	}
	return 0;
}

/**
 * xen_vcpu_info_reset() - point a CPU back at its vcpu_info in shared_info
 * @cpu: the CPU
 *
 * A vCPU beyond those shared_info holds gets NULL: using it before
 * xen_vcpu_setup() then faults at once instead of corrupting.
 */
void xen_vcpu_info_reset(int cpu)
{
	u32 id = xen_vcpu_nr(cpu);

	per_cpu(xen_vcpu, cpu) = id < MAX_VIRT_CPUS ?
		&HYPERVISOR_shared_info->vcpu_info[id] : NULL;
}

/**
 * xen_vcpu_setup() - have Xen use a CPU's vcpu_info in per-CPU memory
 * @cpu: the CPU
 *
 * Xen takes this once per vCPU and domain, with no way to undo it:
 * called at boot (PV: vcpu_info placement; HVM: as each CPU is prepared)
 * and again after a restore, in a new domain.  An HVM CPU brought up
 * again after hotplug already has it.  A refusal leaves the CPU with no
 * vcpu_info at all, and the kernel panics.
 */
void xen_vcpu_setup(int cpu)
{
	struct vcpu_info *vi = &per_cpu(xen_vcpu_info, cpu);
	struct vcpu_register_vcpu_info reg;
	int err;

	BUILD_BUG_ON(sizeof(*vi) > SMP_CACHE_BYTES);
	WARN_ON(HYPERVISOR_shared_info == &xen_dummy_shared_info);

	if (xen_hvm_domain() && per_cpu(xen_vcpu, cpu) == vi)
		return;
	reg.mfn = arbitrary_virt_to_mfn(vi);
	reg.offset = offset_in_page(vi);
	err = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, xen_vcpu_nr(cpu),
				 &reg);
	if (err)
		panic("register_vcpu_info failed: cpu=%d err=%d\n", cpu, err);
	per_cpu(xen_vcpu, cpu) = vi;
}

/**
 * xen_vcpu_restore() - register every vCPU's areas again after a restore
 *
 * A restored domain is new to Xen: it knows none of our vcpu_info and
 * runstate areas.  Each other vCPU that is up is taken down meanwhile, so
 * that it does not run with stale pointers, and set running again.
 * HVM CPUs that are offline are set up when they come up (hotplug).
 *
 * Context: the suspending CPU, interrupts off.
 */
void xen_vcpu_restore(void)
{
	unsigned int self = smp_processor_id();
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		u32 id = xen_vcpu_nr(cpu);
		bool pause;

		if (id == XEN_VCPU_ID_INVALID)
			continue;
		/* VCPUOP_is_up: Xen 4.5 and later. */
		pause = cpu != self &&
			HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL) > 0;
		if (pause && HYPERVISOR_vcpu_op(VCPUOP_down, id, NULL))
			panic("xen: vCPU %u not taken down for the restore\n", id);

		if (xen_pv_domain() || xen_feature(XENFEAT_hvm_safe_pvclock))
			xen_setup_runstate_info(cpu);
		xen_vcpu_info_reset(cpu);
		if (xen_pv_domain() || cpu_online(cpu))
			xen_vcpu_setup(cpu);

		if (pause && HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL))
			panic("xen: vCPU %u not set running after the restore\n", id);
	}
}

/* ---- Version, consoles ----------------------------------------------- */

/**
 * xen_banner() - say which Xen this kernel boots on
 */
void __init xen_banner(void)
{
	unsigned int version = HYPERVISOR_xen_version(XENVER_version, NULL);
	struct xen_extraversion extra;

	HYPERVISOR_xen_version(XENVER_extraversion, &extra);
	pr_info("Booting kernel on %s\n", pv_info.name);
	pr_info("Xen version: %u.%u%s%s\n", version >> 16, version & 0xffff,
		extra.extraversion,
		xen_feature(XENFEAT_mmu_pt_update_preserve_ad) ?
		" (preserve-AD)" : "");
}

/**
 * xen_running_on_version_or_later() - is Xen at least @major.@minor?
 * @major: the major version
 * @minor: the minor version
 *
 * Return: true if this is a Xen guest and Xen's version is that or later.
 */
bool xen_running_on_version_or_later(unsigned int major, unsigned int minor)
{
	unsigned int version;

	if (!xen_domain())
		return false;
	version = HYPERVISOR_xen_version(XENVER_version, NULL);
	return (version >> 16) > major ||
	       ((version >> 16) == major && (version & 0xffff) >= minor);
}

/**
 * xen_add_preferred_consoles() - the consoles a Xen guest prefers
 *
 * The early Xen console, then hvc; a virtual terminal before hvc only
 * where there is no VGA display, after it where there is.
 */
void __init xen_add_preferred_consoles(void)
{
	bool vga = boot_params.screen_info.orig_video_isVGA;

	add_preferred_console("xenboot", 0, NULL);
	if (!vga)
		add_preferred_console("tty", 0, NULL);
	add_preferred_console("hvc", 0, NULL);
	if (vga)
		add_preferred_console("tty", 0, NULL);
}

/* ---- Reboot and panic ------------------------------------------------ */

/**
 * xen_reboot() - end the domain, or have it reset
 * @reason: SHUTDOWN_poweroff, _reboot, _crash, _soft_reset, ...
 *
 * Returns only after a soft reset (kexec in an HVM guest goes on in the
 * domain the toolstack reset), or if Xen refused, which warns.
 */
void xen_reboot(int reason)
{
	struct sched_shutdown sd = { .reason = reason };
	unsigned int cpu;
	int err;

	for_each_online_cpu(cpu)
		xen_pmu_finish(cpu);
	err = HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
	WARN(err, "xen: shutdown (reason %d) refused: %d\n", reason, err);
}

/*
 * The reason an emergency restart gives Xen: a crash once the kernel has
 * panicked.  Written by the panic notifier only.
 */
static int xen_restart_reason = SHUTDOWN_reboot;

/* xen_legacy_crash: a panic ends the domain at once, as a crash. */
static bool xen_legacy_crash;

/**
 * xen_emergency_restart() - machine_ops.emergency_restart
 */
void xen_emergency_restart(void)
{
	xen_reboot(xen_restart_reason);
}

static int xen_panic_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	if (kexec_crash_loaded())
		return NOTIFY_DONE;
	if (xen_legacy_crash)
		xen_reboot(SHUTDOWN_crash);
	xen_restart_reason = SHUTDOWN_crash;
	/*
	 * panic=0 would wait for ever; a Xen guest ends as a crash instead,
	 * and the toolstack's on_crash decides what then (dom0: Xen's).
	 */
	if (!panic_timeout)
		panic_timeout = -1;
	return NOTIFY_DONE;
}

static int __init xen_parse_legacy_crash(char *arg)
{
	xen_legacy_crash = true;
	return 0;
}
early_param("xen_legacy_crash", xen_parse_legacy_crash);

static struct notifier_block xen_panic_nb = {
	.notifier_call = xen_panic_event,
	.priority = INT_MIN,	/* after every other panic notifier */
};

/**
 * xen_panic_handler_init() - make a panic end the domain as a crash
 *
 * Return: 0.
 */
int xen_panic_handler_init(void)
{
	atomic_notifier_chain_register(&panic_notifier_list, &xen_panic_nb);
	return 0;
}

/**
 * xen_pin_vcpu() - run this vCPU on one physical CPU for now (dom0)
 * @cpu: the physical CPU, or negative to end the pinning
 *
 * For firmware calls that must run on a given CPU.  Given up for good
 * once Xen says it cannot or we may not.
 */
void xen_pin_vcpu(int cpu)
{
	static bool pin_gone;
	struct sched_pin_override po = { .pcpu = cpu };
	int err;

	if (pin_gone)
		return;
	err = HYPERVISOR_sched_op(SCHEDOP_pin_override, &po);
	if (cpu < 0 || !err)
		return;
	if (err == -ENOSYS) {
		pr_warn("Unable to pin on physical cpu %d. In case of problems consider vcpu pinning.\n",
			cpu);
		pin_gone = true;
	} else if (err == -EINVAL || err == -EBUSY) {
		pr_warn("Physical cpu %d not available for pinning. Check Xen cpu configuration.\n",
			cpu);
	} else {
		WARN(1, "xen: pinning to physical CPU %d: %d\n", cpu, err);
		pin_gone = true;
	}
}

#ifdef CONFIG_HOTPLUG_CPU
/**
 * xen_arch_register_cpu() - a vCPU Xen made available
 * @num: its CPU number
 */
void xen_arch_register_cpu(int num)
{
	arch_register_cpu(num);
}
EXPORT_SYMBOL(xen_arch_register_cpu);

/**
 * xen_arch_unregister_cpu() - a vCPU Xen took away
 * @num: its CPU number
 */
void xen_arch_unregister_cpu(int num)
{
	arch_unregister_cpu(num);
}
EXPORT_SYMBOL(xen_arch_unregister_cpu);
#endif

/* ---- Extra memory ---------------------------------------------------- */

/**
 * xen_add_extra_mem() - note a range of the memory map Xen has no memory in
 * @start_pfn: its first frame
 * @n_pfns: its length in frames
 *
 * Merged with a region it continues; reserved in memblock, for balloon
 * or unpopulated-alloc to fill later.
 */
void __init xen_add_extra_mem(unsigned long start_pfn, unsigned long n_pfns)
{
	struct xen_memory_region *r;

	for (r = xen_extra_mem; r < xen_extra_mem + XEN_EXTRA_MEM_MAX_REGIONS; r++) {
		if (!r->n_pfns) {
			r->start_pfn = start_pfn;
			r->n_pfns = n_pfns;
			break;
		}
		if (r->start_pfn + r->n_pfns == start_pfn) {
			r->n_pfns += n_pfns;
			break;
		}
	}
	if (r == xen_extra_mem + XEN_EXTRA_MEM_MAX_REGIONS)
		pr_warn("Warning: not enough extra memory regions\n");
	memblock_reserve(PFN_PHYS(start_pfn), PFN_PHYS(n_pfns));
}

#ifdef CONFIG_XEN_UNPOPULATED_ALLOC
/**
 * arch_xen_unpopulated_init() - the extra memory, for unpopulated-alloc
 * @res: where the resource to allocate address space from goes
 *
 * The extra regions are handed over page by page, counted as unpopulated
 * (balloon sets its target from that), and emptied so that balloon does
 * not take them too.
 *
 * Return: 0, or -ENODEV outside Xen.
 */
int __init arch_xen_unpopulated_init(struct resource **res)
{
	struct xen_memory_region *r;
	unsigned long i;

	if (!xen_domain())
		return -ENODEV;
	/* Before any page is freed into it. */
	*res = &iomem_resource;
	for (r = xen_extra_mem; r < xen_extra_mem + XEN_EXTRA_MEM_MAX_REGIONS; r++) {
		for (i = 0; i < r->n_pfns; i++) {
			struct page *pg = pfn_to_page(r->start_pfn + i);

			xen_free_unpopulated_pages(1, &pg);
		}
		xen_unpopulated_pages += r->n_pfns;
		r->n_pfns = 0;
	}
	return 0;
}
#endif
