// SPDX-License-Identifier: GPL-2.0-only
/*
 * The APIC of a PV guest, which has none it may touch.
 *
 * Xen delivers a PV guest's interrupts as events, and its IPIs go over
 * event channels (smp.c), so the APIC driver here only answers the few
 * questions the kernel still asks of an APIC: the IDs of the CPUs, the
 * version, and the I/O APICs' registers, which dom0 reads through Xen.
 * The performance counter interrupt's register goes to Xen's vPMU
 * (pmu.c).  Anything else reaching the APIC is a bug and warns.
 *
 * The driver must come before the flat driver in .apicdrivers, whose
 * probe always succeeds: arch/x86/Kbuild links xen/ before kernel/.
 */

#include <linux/bug.h>
#include <linux/init.h>
#include <linux/smp.h>

#include <asm/apic.h>
#include <asm/io_apic.h>
#include <asm/x86_init.h>
#include <asm/xen/hypercall.h>

#include <xen/interface/physdev.h>
#include <xen/interface/platform.h>
#include <xen/xen.h>

#include "xen-ops.h"

/* An APIC ID as the ID register holds it: in its top byte. */
#define XEN_APIC_ID_SHIFT	24

/* The local APIC version we report: an integrated APIC. */
#define XEN_APIC_VERSION	0x14

/*
 * What an I/O APIC's registers read as when Xen will not read them for
 * us: version 0x20 with 24 redirection entries, and no other bits.
 */
#define XEN_IOAPIC_REG_ID	0x0
#define XEN_IOAPIC_REG_VERSION	0x1
#define XEN_IOAPIC_FAKE_VERSION	((23 << 16) | 0x20)
#define XEN_IOAPIC_FAKE_OTHER	0xfd

static unsigned int xen_io_apic_read(unsigned int apic, unsigned int reg)
{
	struct physdev_apic op = {
		.apic_physbase = mpc_ioapic_addr(apic),
		.reg = reg,
	};

	if (!HYPERVISOR_physdev_op(PHYSDEVOP_apic_read, &op))
		return op.value;
	switch (reg) {
	case XEN_IOAPIC_REG_ID:
		return apic << XEN_APIC_ID_SHIFT;
	case XEN_IOAPIC_REG_VERSION:
		return XEN_IOAPIC_FAKE_VERSION;
	default:
		return XEN_IOAPIC_FAKE_OTHER;
	}
}

static u32 xen_get_apic_id(u32 reg)
{
	return (reg >> XEN_APIC_ID_SHIFT) & 0xff;
}

/*
 * This CPU's APIC ID: dom0 asks Xen for the physical CPU's; a domU has
 * the one its CPU number was given at boot (0 for the boot CPU).
 */
static u32 xen_this_apic_id(void)
{
	struct xen_platform_op op = {
		.cmd = XENPF_get_cpuinfo,
		.interface_version = XENPF_INTERFACE_VERSION,
	};
	int cpu = smp_processor_id();

	if (!xen_initial_domain())
		return cpu ? cpuid_to_apicid[cpu] : 0;
	op.u.pcpu_info.xen_cpuid = cpu;
	if (HYPERVISOR_platform_op(&op))
		return BAD_APICID;
	return op.u.pcpu_info.apic_id;
}

static u32 xen_apic_read(u32 reg)
{
	switch (reg) {
	case APIC_LVR:
		return XEN_APIC_VERSION;
	case APIC_ID:
		return xen_this_apic_id() << XEN_APIC_ID_SHIFT;
	default:
		return 0;
	}
}

static void xen_apic_write(u32 reg, u32 val)
{
	if (reg == APIC_LVTPC) {
		pmu_apic_update(val);
		return;
	}
	WARN_ONCE(1, "xen: APIC write of %#x to register %#x\n", val, reg);
}

static void xen_apic_eoi(void)
{
	WARN_ON_ONCE(1);
}

static u64 xen_apic_icr_read(void)
{
	return 0;
}

static void xen_apic_icr_write(u32 low, u32 id)
{
	WARN_ON_ONCE(1);
}

static int xen_apic_probe(void)
{
	return xen_pv_domain();
}

static int xen_apic_madt_oem_check(char *oem_id, char *oem_table_id)
{
	return xen_pv_domain();
}

static u32 xen_cpu_present_to_apicid(int cpu)
{
	return cpu_present(cpu) ? cpu_data(cpu).topo.apicid : BAD_APICID;
}

static struct apic xen_pv_apic __ro_after_init = {
	.name = "Xen PV",
	.probe = xen_apic_probe,
	.acpi_madt_oem_check = xen_apic_madt_oem_check,
	.max_apic_id = UINT_MAX,
	.get_apic_id = xen_get_apic_id,
	.cpu_present_to_apicid = xen_cpu_present_to_apicid,
	.calc_dest_apicid = apic_flat_calc_apicid,
	.read = xen_apic_read,
	.write = xen_apic_write,
	.eoi = xen_apic_eoi,
	.icr_read = xen_apic_icr_read,
	.icr_write = xen_apic_icr_write,
#ifdef CONFIG_SMP
	.send_IPI_mask = xen_send_IPI_mask,
	.send_IPI_mask_allbutself = xen_send_IPI_mask_allbutself,
	.send_IPI_allbutself = xen_send_IPI_allbutself,
	.send_IPI_all = xen_send_IPI_all,
	.send_IPI_self = xen_send_IPI_self,
#endif
};

apic_driver(xen_pv_apic);

/**
 * xen_init_apic() - have the I/O APICs' registers read through Xen
 */
void __init xen_init_apic(void)
{
	x86_apic_ops.io_apic_read = xen_io_apic_read;
}
