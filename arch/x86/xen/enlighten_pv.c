// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot of a PV guest: its first C code, the hooks it installs, and
 * the PV hypervisor description.  The CPU hooks themselves are in
 * pv_cpu.c, the descriptor tables in pv_desc.c, the trap bodies in
 * pv_traps.c.
 *
 * startup_xen (xen-head.S) calls xen_start_kernel() with the start_info
 * page, interrupts (events) masked and the kernel mapped by Xen's initial
 * page tables.  It installs the PV hooks, builds the kernel's own page
 * tables and GDT, edits the CPU's capabilities, fills in boot_params from
 * start_info, and enters the native boot at x86_64_start_reservations().
 * Order matters throughout; each step says what needs it.
 */

#include <linux/acpi.h>
#include <linux/cpu.h>
#include <linux/edd.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/pci.h>
#include <linux/reboot.h>
#include <linux/start_kernel.h>
#include <linux/virtio_anchor.h>

#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/hypervisor.h>
#include <asm/mach_traps.h>
#include <asm/mtrr.h>
#include <asm/mwait.h>
#include <asm/paravirt.h>
#include <asm/pci_x86.h>
#include <asm/proto.h>
#include <asm/reboot.h>
#include <asm/setup.h>
#include <asm/xen/cpuid.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/pci.h>

#ifdef CONFIG_ACPI
#include <acpi/proc_cap_intel.h>
#include <acpi/processor.h>
#endif

#include <xen/acpi.h>
#include <xen/events.h>
#include <xen/features.h>
#include <xen/hvc-console.h>
#include <xen/interface/nmi.h>
#include <xen/interface/physdev.h>
#include <xen/interface/platform.h>
#include <xen/interface/xen.h>
#include <xen/page.h>
#include <xen/xen.h>

#include "xen-ops.h"
#include "pv.h"

#include "../kernel/cpu/cpu.h"	/* get_cpu_cap() */

/* ---- pv_ops ------------------------------------------------------------ */

static const struct pv_info xen_info __initconst = {
	.name = "Xen",
	.extra_user_64bit_cs = FLAT_USER_CS64,
};

/* Xen keeps the TSS; the kernel never asks which it is. */
static unsigned long xen_pv_store_tr(void)
{
	return 0;
}

/*
 * The CPU hooks.  A table of this name: objtool reads it (init_pv_ops())
 * to know what pv_ops.cpu may call from noinstr code.
 */
static const typeof(pv_ops) xen_cpu_ops __initconst = {
	.cpu = {
		.cpuid = xen_pv_cpuid,
		.set_debugreg = xen_pv_set_debugreg,
		.get_debugreg = xen_pv_get_debugreg,
		.read_cr0 = xen_pv_read_cr0,
		.write_cr0 = xen_pv_write_cr0,
		.write_cr4 = xen_pv_write_cr4,
		.wbinvd = pv_native_wbinvd,
		.read_msr = xen_pv_read_msr,
		.write_msr = xen_pv_write_msr,
		.read_msr_safe = xen_pv_read_msr_safe,
		.write_msr_safe = xen_pv_write_msr_safe,
		.read_pmc = xen_read_pmc,
		.load_tr_desc = paravirt_nop,
		.store_tr = xen_pv_store_tr,
		.set_ldt = xen_pv_set_ldt,
		.load_gdt = xen_pv_load_gdt,
		.load_idt = xen_pv_load_idt,
		.load_tls = xen_pv_load_tls,
		.load_gs_index = xen_pv_load_gs_index,
		.alloc_ldt = xen_pv_alloc_ldt,
		.free_ldt = xen_pv_free_ldt,
		.write_ldt_entry = xen_pv_write_ldt_entry,
		.write_gdt_entry = xen_pv_write_gdt_entry,
		.write_idt_entry = xen_pv_write_idt_entry,
		.load_sp0 = xen_pv_load_sp0,
#ifdef CONFIG_X86_IOPL_IOPERM
		.invalidate_io_bitmap = xen_pv_invalidate_io_bitmap,
		.update_io_bitmap = xen_pv_update_io_bitmap,
#endif
		.io_delay = xen_pv_io_delay,
		.start_context_switch = xen_pv_start_context_switch,
		.end_context_switch = xen_pv_end_context_switch,
	},
};

/**
 * xen_setup_vcpu_info_placement() - every vCPU's vcpu_info in per-CPU memory
 *
 * Once cpu_possible_mask is known and shared_info mapped.  From then on
 * the interrupt-flag hooks and cr2 are the direct ones of xen-asm.S.
 */
void __init xen_setup_vcpu_info_placement(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		/* A PV guest's vCPU n is its CPU n. */
		per_cpu(xen_vcpu_id, cpu) = cpu;
		xen_vcpu_setup(cpu);
	}
	pv_ops.irq.save_fl = __PV_IS_CALLEE_SAVE(xen_save_fl_direct);
	pv_ops.irq.irq_disable = __PV_IS_CALLEE_SAVE(xen_irq_disable_direct);
	pv_ops.irq.irq_enable = __PV_IS_CALLEE_SAVE(xen_irq_enable_direct);
	pv_ops.mmu.read_cr2 = __PV_IS_CALLEE_SAVE(xen_read_cr2_direct);
}

/* ---- Capabilities ------------------------------------------------------ */

/*
 * dom0's ACPI processor driver may use MWAIT C-states if Xen (4.2 or
 * later) allows: MWAIT is then shown, and leaf 5 as the hardware has it
 * where Xen wants FFH C-states.  Xen's CPUID policy hides MWAIT itself.
 */
static bool __init xen_pv_check_mwait(void)
{
#ifdef CONFIG_ACPI
	struct xen_platform_op op = {
		.cmd = XENPF_set_processor_pminfo,
		.u.set_pminfo.id = -1,
		.u.set_pminfo.type = XEN_PM_PDC,
	};
	unsigned int need = BIT(X86_FEATURE_EST % 32) |
			    BIT(X86_FEATURE_MWAIT % 32);
	unsigned int ax, bx, cx, dx;
	u32 pdc[3];

	if (!xen_initial_domain() || !xen_running_on_version_or_later(4, 2))
		return false;
	ax = 1;
	cx = 0;
	native_cpuid(&ax, &bx, &cx, &dx);
	if ((cx & need) != need)
		return false;

	ax = CPUID_MWAIT_LEAF;
	bx = 0;
	cx = 0;
	dx = 0;
	native_cpuid(&ax, &bx, &cx, &dx);

	pdc[0] = ACPI_PDC_REVISION_ID;
	pdc[1] = 1;
	pdc[2] = ACPI_PROC_CAP_C_CAPABILITY_SMP | ACPI_PROC_CAP_EST_CAPABILITY_SWSMP;
	set_xen_guest_handle(op.u.set_pminfo.pdc, pdc);
	if (!HYPERVISOR_platform_op(&op) &&
	    (pdc[2] & (ACPI_PROC_CAP_C_C1_FFH | ACPI_PROC_CAP_C_C2C3_FFH))) {
		xen_mwait_leaf_ecx = cx;
		xen_mwait_leaf_edx = dx;
	}
	return true;
#else
	return false;
#endif
}

/* XSAVE only where Xen turned CR4.OSXSAVE on for us. */
static bool __init xen_pv_has_xsave(void)
{
	unsigned int need = BIT(X86_FEATURE_XSAVE % 32) |
			    BIT(X86_FEATURE_OSXSAVE % 32);

	return (cpuid_ecx(1) & need) == need;
}

static void __init xen_pv_init_capabilities(void)
{
	static const unsigned int never[] __initconst = {
		X86_FEATURE_DCA, X86_FEATURE_APERFMPERF, X86_FEATURE_MTRR,
		X86_FEATURE_ACC, X86_FEATURE_X2APIC, X86_FEATURE_SME,
		X86_FEATURE_LKGS,
		/* Xen's CR3 and TLB-flush handling for PV know no PCID. */
		X86_FEATURE_PCID,
	};
	unsigned int i;

	setup_force_cpu_cap(X86_FEATURE_XENPV);
	for (i = 0; i < ARRAY_SIZE(never); i++)
		setup_clear_cpu_cap(never[i]);
	if (!xen_initial_domain())
		setup_clear_cpu_cap(X86_FEATURE_ACPI);
	if (xen_pv_check_mwait())
		setup_force_cpu_cap(X86_FEATURE_MWAIT);
	else
		setup_clear_cpu_cap(X86_FEATURE_MWAIT);
	if (!xen_pv_has_xsave()) {
		setup_clear_cpu_cap(X86_FEATURE_XSAVE);
		setup_clear_cpu_cap(X86_FEATURE_OSXSAVE);
	}
}

/* ---- Platform ----------------------------------------------------------- */

/*
 * dom0's MTRRs, as Xen reports them.  dom0's RAM is mapped 1:1 to machine
 * frames as far as MTRRs go, so machine frames serve as physical ones.
 */
static void __init xen_pv_read_mtrrs(void)
{
#ifdef CONFIG_MTRR
	static struct mtrr_var_range var[MTRR_MAX_VAR_RANGES] __initdata;
	struct xen_platform_op op = {
		.cmd = XENPF_read_memtype,
		.interface_version = XENPF_INTERFACE_VERSION,
	};
	unsigned int width = 36, n;
	u32 eax = cpuid_eax(0x80000000);

	if ((eax >> 16) == 0x8000 && eax >= 0x80000008)
		width = cpuid_eax(0x80000008) & 0xff;

	for (n = 0; n < MTRR_MAX_VAR_RANGES; n++) {
		unsigned long mask;

		op.u.read_memtype.reg = n;
		if (HYPERVISOR_platform_op(&op))
			break;
		var[n].base_lo = op.u.read_memtype.type |
				 (op.u.read_memtype.mfn << PAGE_SHIFT);
		var[n].base_hi = op.u.read_memtype.mfn >> (32 - PAGE_SHIFT);
		mask = ~((op.u.read_memtype.nr_mfns << PAGE_SHIFT) - 1) &
		       ((1UL << width) - 1);
		if (mask)
			mask |= MTRR_PHYSMASK_V;
		var[n].mask_lo = mask;
		var[n].mask_hi = mask >> 32;
	}
	if (n)
		guest_force_mtrr_state(var, n, MTRR_TYPE_UNCACHABLE);
#endif
}

static void __init xen_pv_init_platform(void)
{
	/* A PV guest reaches virtio devices only through grants. */
	if (IS_ENABLED(CONFIG_XEN_VIRTIO))
		virtio_set_mem_acc_cb(xen_virtio_restricted_mem_acc);

	populate_extra_pte(fix_to_virt(FIX_PARAVIRT_BOOTMAP));
	set_fixmap(FIX_PARAVIRT_BOOTMAP, xen_start_info->shared_info);
	HYPERVISOR_shared_info = (void *)fix_to_virt(FIX_PARAVIRT_BOOTMAP);

	/* The boot CPU's vcpu_info (pvclock) is in the real shared_info now. */
	xen_vcpu_info_reset(0);
	xen_init_time_ops();

	if (xen_initial_domain())
		xen_pv_read_mtrrs();
	else
		guest_force_mtrr_state(NULL, 0, MTRR_TYPE_WRBACK);

	/* Before the CPUs are enumerated. */
	xen_smp_count_cpus();
}

static void __init xen_pv_guest_late_init(void)
{
	/* With SMP, smp_prepare_boot_cpu does it. */
	if (!IS_ENABLED(CONFIG_SMP))
		xen_setup_vcpu_info_placement();
}

/* What port 0x61 would say of an NMI, from Xen's reason bits. */
static unsigned char xen_pv_nmi_reason(void)
{
	unsigned long *why = &HYPERVISOR_shared_info->arch.nmi_reason;
	unsigned char reason = 0;

	if (test_bit(_XEN_NMIREASON_io_error, why))
		reason |= NMI_REASON_IOCHK;
	if (test_bit(_XEN_NMIREASON_pci_serr, why))
		reason |= NMI_REASON_SERR;
	return reason;
}

static void __init xen_dom0_set_legacy_features(void)
{
	x86_platform.legacy.rtc = 1;
}

static void __init xen_domu_set_legacy_features(void)
{
	x86_platform.legacy.rtc = 0;
}

/* dom0's BIOS disk information (EDD), which Xen kept from its boot. */
static void __init xen_pv_read_edd(void)
{
#if IS_ENABLED(CONFIG_EDD)
	struct xen_platform_op op = { .cmd = XENPF_firmware_info };
	unsigned int n;

	op.u.firmware_info.type = XEN_FW_DISK_INFO;
	for (n = 0; n < EDDMAXNR; n++) {
		struct edd_info *info = &boot_params.eddbuf[n];

		op.u.firmware_info.index = n;
		info->params.length = sizeof(info->params);
		set_xen_guest_handle(op.u.firmware_info.u.disk_info.edd_params,
				     &info->params);
		if (HYPERVISOR_platform_op(&op))
			break;
		info->device = op.u.firmware_info.u.disk_info.device;
		info->version = op.u.firmware_info.u.disk_info.version;
		info->interface_support =
			op.u.firmware_info.u.disk_info.interface_support;
		info->legacy_max_cylinder =
			op.u.firmware_info.u.disk_info.legacy_max_cylinder;
		info->legacy_max_head =
			op.u.firmware_info.u.disk_info.legacy_max_head;
		info->legacy_sectors_per_track =
			op.u.firmware_info.u.disk_info.legacy_sectors_per_track;
	}
	boot_params.eddbuf_entries = n;

	op.u.firmware_info.type = XEN_FW_DISK_MBR_SIGNATURE;
	for (n = 0; n < EDD_MBR_SIG_MAX; n++) {
		op.u.firmware_info.index = n;
		if (HYPERVISOR_platform_op(&op))
			break;
		boot_params.edd_mbr_sig_buffer[n] =
			op.u.firmware_info.u.disk_mbr_signature.mbr_signature;
	}
	boot_params.edd_mbr_sig_buf_entries = n;
#endif
}

/* ---- machine_ops ------------------------------------------------------- */

static void xen_pv_restart(char *cmd)
{
	xen_reboot(SHUTDOWN_reboot);
}

static void xen_pv_halt(void)
{
	xen_reboot(SHUTDOWN_poweroff);
}

static void xen_pv_power_off(void)
{
	do_kernel_power_off();
	xen_reboot(SHUTDOWN_poweroff);
}

static void xen_pv_crash_shutdown(struct pt_regs *regs)
{
	xen_reboot(SHUTDOWN_crash);
}

static const struct machine_ops xen_pv_machine_ops __initconst = {
	.restart = xen_pv_restart,
	.halt = xen_pv_halt,
	.power_off = xen_pv_power_off,
	.shutdown = xen_pv_halt,
	.crash_shutdown = xen_pv_crash_shutdown,
	.emergency_restart = xen_emergency_restart,
};

/* ---- CPU hotplug -------------------------------------------------------- */

static int xen_pv_cpu_prepare(unsigned int cpu)
{
	int err;

	if (!per_cpu(xen_vcpu, cpu))
		return -ENODEV;
	xen_setup_timer(cpu);
	err = xen_smp_intr_init(cpu);
	if (err) {
		WARN(1, "xen: CPU %u: IPIs not bound: %d\n", cpu, err);
		return err;
	}
	err = xen_smp_intr_init_pv(cpu);
	if (err)
		WARN(1, "xen: CPU %u: PV IPIs not bound: %d\n", cpu, err);
	return err;
}

static int xen_pv_cpu_dead(unsigned int cpu)
{
	xen_smp_intr_free(cpu);
	xen_smp_intr_free_pv(cpu);
	xen_teardown_timer(cpu);
	return 0;
}

/* ---- Boot ---------------------------------------------------------------- */

/*
 * The GDT and per-CPU base for the stack protector's canary: until this,
 * no stack-protected function may run.  The switch itself uses the
 * boot-time GDT hooks, for a GDT mapped only once.
 */
static void __init xen_pv_setup_gdt(unsigned int cpu)
{
	pv_ops.cpu.write_gdt_entry = xen_pv_write_gdt_entry_boot;
	pv_ops.cpu.load_gdt = xen_pv_load_gdt_boot;
	switch_gdt_and_percpu_base(cpu);
	pv_ops.cpu.write_gdt_entry = xen_pv_write_gdt_entry;
	pv_ops.cpu.load_gdt = xen_pv_load_gdt;
}

/* Where the native return-to-kernel path jumps to xen_iret on XENPV. */
extern void early_xen_iret_patch(void);

/* The hooks that do not depend on memory being set up. */
static void __init xen_pv_install_hooks(void)
{
	pv_info = xen_info;
	pv_ops.cpu = xen_cpu_ops.cpu;
	xen_init_irq_ops();
	/* printk's irqs_disabled() reads vcpu_info from here on. */
	xen_vcpu_info_reset(0);

	x86_platform.get_nmi_reason = xen_pv_nmi_reason;
	x86_platform.realmode_reserve = x86_init_noop;
	x86_platform.realmode_init = x86_init_noop;
	x86_init.resources.memory_setup = xen_memory_setup;
	x86_init.irqs.intr_mode_select = x86_init_noop;
	x86_init.irqs.intr_mode_init = x86_64_probe_apic;
	x86_init.oem.arch_setup = xen_arch_setup;
	x86_init.oem.banner = xen_banner;
	x86_init.hyper.init_platform = xen_pv_init_platform;
	x86_init.hyper.guest_late_init = xen_pv_guest_late_init;
}

/* dom0's console, keyboard, ACPI and PCI setup from Xen's information. */
static void __init xen_pv_dom0_setup(void)
{
	const struct dom0_vga_console_info *vga =
		(void *)xen_start_info + xen_start_info->console.dom0.info_off;
	struct xen_platform_op op = {
		.cmd = XENPF_firmware_info,
		.interface_version = XENPF_INTERFACE_VERSION,
		.u.firmware_info.type = XEN_FW_KBD_SHIFT_FLAGS,
	};

	x86_platform.set_legacy_features = xen_dom0_set_legacy_features;
	xen_init_vga(vga, xen_start_info->console.dom0.info_size,
		     &boot_params.screen_info);
	/* dom0's console is Xen's own, not a page. */
	xen_start_info->console.domU.mfn = 0;
	xen_start_info->console.domU.evtchn = 0;
	if (!HYPERVISOR_platform_op(&op))
		boot_params.kbd_status = op.u.firmware_info.u.kbd_shift_flags;
	pci_request_acs();
	xen_acpi_sleep_register();
	xen_pv_read_edd();
#ifdef CONFIG_ACPI
	/* Firmware-first handling of corrected errors is Xen's to choose. */
	acpi_disable_cmcff = 1;
#endif
}

/* boot_params from start_info: initrd, command line, loader. */
static void __init xen_pv_fill_boot_params(void)
{
	unsigned long initrd = 0;

	if (xen_start_info->mod_start)
		initrd = xen_start_info->flags & SIF_MOD_START_PFN ?
			 PFN_PHYS(xen_start_info->mod_start) :
			 __pa(xen_start_info->mod_start);
	boot_params.hdr.type_of_loader = 9 << 4;	/* Xen, version 0 */
	boot_params.hdr.ramdisk_image = initrd;
	boot_params.hdr.ramdisk_size = xen_start_info->mod_len;
	boot_params.hdr.cmd_line_ptr = __pa(xen_start_info->cmd_line);
	boot_params.hdr.hardware_subarch = X86_SUBARCH_XEN;
}

/**
 * xen_start_kernel() - the first C code of a PV domain
 * @si: its start_info page
 *
 * Called by startup_xen on the init stack; never returns.
 */
asmlinkage __visible void __init xen_start_kernel(struct start_info *si)
{
	struct physdev_set_iopl iopl = { .iopl = 1 };
	int err;

	if (!si)
		return;
	clear_bss();
	xen_start_info = si;

	/* The native return to kernel mode goes through Xen. */
	__text_gen_insn(&early_xen_iret_patch, JMP32_INSN_OPCODE,
			&early_xen_iret_patch, &xen_iret, JMP32_INSN_SIZE);

	xen_domain_type = XEN_PV_DOMAIN;
	xen_start_flags = si->flags;
	early_boot_irqs_disabled = true;	/* Xen starts us masked */
	/* Before the first hypercall. */
	static_call_update_early(xen_hypercall, xen_hypercall_pv);
	xen_setup_features();
	xen_pv_install_hooks();

	/* Page tables: the machine-to-physical table, then the p2m list. */
	xen_setup_machphys_mapping();
	xen_init_mmu_ops();
	/* Xen does not let a PV guest have global pages. */
	__supported_pte_mask &= ~_PAGE_GLOBAL;
	__default_kernel_pte_mask &= ~_PAGE_GLOBAL;
	xen_build_dynamic_phys_to_machine();

	get_cpu_cap(&boot_cpu_data);
	x86_configure_nx();
	xen_pv_setup_gdt(0);
	get_cpu_address_sizes(&boot_cpu_data);
	/* The boot vCPU is vCPU 0. */
	per_cpu(xen_vcpu_id, 0) = 0;
	idt_setup_early_handler();
	xen_pv_init_capabilities();
	xen_init_apic();
	machine_ops = xen_pv_machine_ops;
	/* The boot GDT page, to be given back once it is no longer used. */
	xen_initial_gdt = &per_cpu(gdt_page, 0);
	xen_smp_init();
#ifdef CONFIG_ACPI_NUMA
	/* Guest frames have nothing to do with the machine's NUMA nodes. */
	disable_srat();
#endif
	WARN_ON(xen_cpuhp_setup(xen_pv_cpu_prepare, xen_pv_cpu_dead));

	local_irq_disable();
	xen_raw_console_write("mapping kernel into physical memory\n");
	xen_setup_kernel_pagetable((pgd_t *)si->pt_base, si->nr_pages);
	xen_reserve_special_pages();

	/* I/O ports before early_cpu_init(), which probes 0xcf8 on AMD. */
	err = HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl);
	if (err)
		xen_raw_printk("physdev_op failed %d\n", err);

	xen_pv_fill_boot_params();
	if (xen_initial_domain()) {
		xen_pv_dom0_setup();
	} else {
		if (pci_xen)
			x86_init.pci.arch_init = pci_xen_init;
		x86_platform.set_legacy_features = xen_domu_set_legacy_features;
	}
	xen_add_preferred_consoles();
#ifdef CONFIG_PCI
	/* No PCI BIOS calls from a PV guest. */
	pci_probe &= ~PCI_PROBE_BIOS;
#endif
	xen_raw_console_write("about to get started...\n");

	/* printk's timestamps need sched_clock, which needs this. */
	xen_setup_runstate_info(0);
	xen_efi_init(&boot_params);

	cr4_init_shadow();
	x86_64_start_reservations((char *)__pa_symbol(&boot_params));
}

/* ---- Detection ---------------------------------------------------------- */

static u32 __init xen_pv_detect(void)
{
	return xen_pv_domain() ? xen_cpuid_base() : 0;
}

const __initconst struct hypervisor_x86 x86_hyper_xen_pv = {
	.name = "Xen PV",
	.detect = xen_pv_detect,
	.type = X86_HYPER_XEN_PV,
	.runtime.pin_vcpu = xen_pin_vcpu,
	.ignore_nopv = true,
};
