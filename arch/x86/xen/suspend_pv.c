// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a PV guest's memory must look like while it is saved.
 *
 * Xen's toolstack saves a PV guest's memory frame by frame and rewrites
 * machine frame numbers on restore, so every reference to a machine frame
 * must be one it can find and rewrite: the page tables (which it reads
 * while they are pinned), and the p2m list it is given.  The frames of
 * xenstore's and the console's rings in start_info are turned into
 * guest frame numbers here, for a cancelled suspend to turn back; a
 * restore writes the new domain's machine frames there itself.  The
 * shared_info page is Xen's, not the guest's, and must not be mapped.
 */

#include <linux/bug.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>

#include <asm/fixmap.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include <xen/interface/xen.h>

#include "xen-ops.h"

/**
 * xen_pv_pre_suspend() - make the guest's memory ready to be saved
 *
 * Context: the only CPU running, interrupts off.
 */
void xen_pv_pre_suspend(void)
{
	unsigned long va = fix_to_virt(FIX_PARAVIRT_BOOTMAP);

	WARN_ON_ONCE(!irqs_disabled());
	xen_mm_pin_all();
	xen_start_info->store_mfn = mfn_to_pfn(xen_start_info->store_mfn);
	xen_start_info->console.domU.mfn =
		mfn_to_pfn(xen_start_info->console.domU.mfn);

	/* Until it is mapped again, vcpu_info reads go to the stand-in. */
	HYPERVISOR_shared_info = &xen_dummy_shared_info;
	WARN_ON(HYPERVISOR_update_va_mapping(va, __pte_ma(0), 0));
}

/**
 * xen_pv_post_suspend() - the guest's memory after the suspend
 * @cancelled: nonzero if this is still the domain that suspended
 *
 * Context: the only CPU running, interrupts off.
 */
void xen_pv_post_suspend(int cancelled)
{
	xen_build_mfn_list_list();
	set_fixmap(FIX_PARAVIRT_BOOTMAP, xen_start_info->shared_info);
	HYPERVISOR_shared_info = (void *)fix_to_virt(FIX_PARAVIRT_BOOTMAP);
	xen_setup_mfn_list_list();

	if (cancelled) {
		xen_start_info->store_mfn =
			pfn_to_mfn(xen_start_info->store_mfn);
		xen_start_info->console.domU.mfn =
			pfn_to_mfn(xen_start_info->console.domU.mfn);
	} else {
		/*
		 * A new domain, whose online vCPUs the restore brought back
		 * as they were: they count as initialised, and each one's
		 * vcpu_info and runstate area are registered again.
		 */
#ifdef CONFIG_SMP
		cpumask_copy(xen_cpu_initialized_map, cpu_online_mask);
#endif
		xen_vcpu_restore();
	}
	xen_mm_unpin_all();
}
