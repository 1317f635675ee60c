// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PV guest's descriptor tables.
 *
 * Xen owns the real GDT, LDT and IDT of a PV guest:
 *   - GDT and LDT pages are the guest's, but Xen validates every
 *     descriptor in them, so they must be read-only in every mapping the
 *     guest has, and entries change only through update_descriptor;
 *   - the IDT becomes Xen's trap table: a list of (vector, flags, cs,
 *     address), where each handler is the Xen entry stub of the native
 *     one (xen-asm.S), because Xen enters with %rcx and %r11 pushed.
 * TLS descriptors change at every context switch; shadow copies of what
 * we last gave Xen let an unchanged one be skipped.
 */

#include <linux/init.h>
#include <linux/percpu.h>
#include <linux/pgtable.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <asm/desc.h>
#include <asm/traps.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include <trace/events/xen.h>

#include "xen-ops.h"
#include "pv.h"

/* ---- GDT --------------------------------------------------------------- */

/*
 * CPU 0's gdt_page in the initial per-CPU area: made read-only while Xen
 * uses it, writable again by smp_pv.c once the boot CPU has moved on.
 */
void *xen_initial_gdt;

/* A GDT Xen takes is one page at most, and starts a page. */
static void xen_pv_check_gdt(unsigned long va, unsigned int bytes)
{
	if (bytes > PAGE_SIZE || offset_in_page(va))
		panic("xen: GDT at %#lx of %u bytes is not within a page\n",
		      va, bytes);
}

static unsigned long xen_gdt_frame(const struct desc_ptr *dtr, void **alias)
{
	unsigned long va = dtr->address;
	unsigned long pfn;
	pte_t *pte;
	int level;

	/* A per-CPU GDT may sit in vmalloc space: walk to its frame. */
	pte = lookup_address(va, &level);
	if (!pte || level != PG_LEVEL_4K)
		panic("xen: GDT at %#lx is not mapped by a 4 KiB page\n", va);
	pfn = pte_pfn(*pte);
	*alias = __va(PFN_PHYS(pfn));
	return pfn;
}

/**
 * xen_pv_load_gdt() - pv_ops.cpu.load_gdt: make a GDT this CPU's
 * @dtr: the GDT's address and limit
 *
 * The page (and its direct-map alias) becomes read-only, as Xen wants of
 * a page it uses as a GDT, and Xen loads it.
 */
void xen_pv_load_gdt(const struct desc_ptr *dtr)
{
	unsigned int bytes = dtr->size + 1;
	unsigned long pfn, mfn;
	void *alias;
	int err;

	xen_pv_check_gdt(dtr->address, bytes);
	pfn = xen_gdt_frame(dtr, &alias);
	mfn = pfn_to_mfn(pfn);
	make_lowmem_page_readonly((void *)dtr->address);
	make_lowmem_page_readonly(alias);
	err = HYPERVISOR_set_gdt(&mfn, bytes / sizeof(struct desc_struct));
	if (err)
		xen_pv_refused("set_gdt", err);
}

/* Early boot: the GDT is mapped once, in the kernel image. */
/**
 * xen_pv_load_gdt_boot() - load_gdt before the direct map is set up
 * @dtr: the GDT's address and limit, in the kernel image
 */
void __init xen_pv_load_gdt_boot(const struct desc_ptr *dtr)
{
	unsigned int bytes = dtr->size + 1;
	unsigned long va = dtr->address;
	unsigned long pfn = virt_to_pfn((void *)va);
	unsigned long mfn = pfn_to_mfn(pfn);
	int err;

	xen_pv_check_gdt(va, bytes);
	err = HYPERVISOR_update_va_mapping(va, pfn_pte(pfn, PAGE_KERNEL_RO), 0);
	if (!err)
		err = HYPERVISOR_set_gdt(&mfn, bytes / sizeof(struct desc_struct));
	if (err)
		xen_pv_refused("the boot GDT", err);
}

/* LDT and TSS descriptors are Xen's business, not the GDT's. */
static bool xen_gdt_type_ours(int type)
{
	return type != DESC_LDT && type != DESC_TSS;
}

/**
 * xen_pv_write_gdt_entry() - pv_ops.cpu.write_gdt_entry through Xen
 * @dt: the GDT
 * @entry: the entry's index
 * @desc: the new descriptor
 * @type: its type: LDT and TSS descriptors are Xen's, and are left alone
 */
void xen_pv_write_gdt_entry(struct desc_struct *dt, int entry,
			    const void *desc, int type)
{
	int err;

	trace_xen_cpu_write_gdt_entry(dt, entry, desc, type);
	if (!xen_gdt_type_ours(type))
		return;
	preempt_disable();
	xen_mc_flush();
	err = HYPERVISOR_update_descriptor(arbitrary_virt_to_machine(&dt[entry]).maddr,
					   *(const u64 *)desc);
	preempt_enable();
	/* The old descriptor stays, in Xen's copy and ours alike. */
	WARN_ONCE(err, "xen: GDT entry %d refused: %d\n", entry, err);
}

/* Early boot: where Xen does not take it, the GDT is still writable. */
/**
 * xen_pv_write_gdt_entry_boot() - write_gdt_entry during early boot
 * @dt: the GDT
 * @entry: the entry's index
 * @desc: the new descriptor
 * @type: its type, as for xen_pv_write_gdt_entry()
 *
 * A GDT Xen does not use yet is still writable: the entry is written
 * directly when Xen refuses the update.
 */
void __init xen_pv_write_gdt_entry_boot(struct desc_struct *dt, int entry,
					const void *desc, int type)
{
	trace_xen_cpu_write_gdt_entry(dt, entry, desc, type);
	if (!xen_gdt_type_ours(type))
		return;
	if (HYPERVISOR_update_descriptor(virt_to_machine(&dt[entry]).maddr,
					 *(const u64 *)desc))
		dt[entry] = *(const struct desc_struct *)desc;
}

/* ---- TLS ---------------------------------------------------------------- */

/* Per CPU, the TLS descriptors last given to Xen; that CPU's only. */
static DEFINE_PER_CPU(struct desc_struct [GDT_ENTRY_TLS_ENTRIES], xen_tls_shadow);

/**
 * xen_pv_load_tls() - pv_ops.cpu.load_tls: the TLS descriptors of a task
 * @t: the task's thread
 * @cpu: the CPU it runs on next
 *
 * Only the descriptors that differ from what @cpu last gave Xen are
 * updated, in one multicall.
 */
void xen_pv_load_tls(struct thread_struct *t, unsigned int cpu)
{
	struct desc_struct *shadow = per_cpu(xen_tls_shadow, cpu);
	struct desc_struct *gdt = get_cpu_gdt_rw(cpu);
	unsigned int i;

	/*
	 * Batched in the lazy CPU mode: %fs must not keep a selector whose
	 * descriptor changes before __switch_to() reloads it.
	 */
	if (xen_get_lazy_mode() == XEN_LAZY_CPU)
		loadsegment(fs, 0);

	xen_mc_batch();
	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		struct multicall_space mc;
		xmaddr_t ma;

		if (!memcmp(&shadow[i], &t->tls_array[i], sizeof(shadow[i])))
			continue;
		shadow[i] = t->tls_array[i];
		ma = arbitrary_virt_to_machine(&gdt[GDT_ENTRY_TLS_MIN + i]);
		mc = __xen_mc_entry(0);
		MULTI_update_descriptor(mc.mc, ma.maddr, t->tls_array[i]);
	}
	xen_mc_issue(XEN_LAZY_CPU);
}

/**
 * xen_pv_load_gs_index() - pv_ops.cpu.load_gs_index: the user GS selector
 * @sel: the selector; one Xen refuses loads the null selector instead
 */
void xen_pv_load_gs_index(unsigned int sel)
{
	/* As natively, where the fault's fixup loads the null selector. */
	if (HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, sel))
		HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0);
}

/* ---- LDT ---------------------------------------------------------------- */

/*
 * Make the page at @v, and its direct-map alias if @v is elsewhere
 * (vmalloc), @prot.  Xen checks descriptor pages only when it faults an
 * LDT in, and wants them read-only then.
 */
static void xen_set_page_and_alias(void *v, pgprot_t prot)
{
	unsigned long pfn;
	unsigned char probe;
	pte_t *ptep, pte;
	void *alias;
	int level, err;

	ptep = lookup_address((unsigned long)v, &level);
	if (!ptep || level != PG_LEVEL_4K)
		panic("xen: LDT page %p is not mapped by a 4 KiB page\n", v);
	pfn = pte_pfn(*ptep);
	pte = pfn_pte(pfn, prot);
	alias = __va(PFN_PHYS(pfn));

	/*
	 * update_va_mapping needs @v mapped in the page tables in use: the
	 * same mm for the probe and the hypercalls (no preemption), and a
	 * probe that makes a lazily copied top-level entry of vmalloc space
	 * appear in this mm.
	 */
	preempt_disable();
	copy_from_kernel_nofault(&probe, v, 1);
	err = HYPERVISOR_update_va_mapping((unsigned long)v, pte, 0);
	if (!err && alias != v)
		err = HYPERVISOR_update_va_mapping((unsigned long)alias, pte, 0);
	if (err)
		xen_pv_refused("an LDT page's protection", err);
	preempt_enable();
}

#define XEN_LDT_PER_PAGE	(PAGE_SIZE / LDT_ENTRY_SIZE)

/**
 * xen_pv_alloc_ldt() - pv_ops.cpu.alloc_ldt: make a new LDT read-only
 * @ldt: the LDT's first descriptor
 * @entries: how many it has
 */
void xen_pv_alloc_ldt(struct desc_struct *ldt, unsigned int entries)
{
	unsigned int i;

	for (i = 0; i < entries; i += XEN_LDT_PER_PAGE)
		xen_set_page_and_alias(ldt + i, PAGE_KERNEL_RO);
}

/**
 * xen_pv_free_ldt() - pv_ops.cpu.free_ldt: make an LDT writable again
 * @ldt: the LDT's first descriptor
 * @entries: how many it has
 */
void xen_pv_free_ldt(struct desc_struct *ldt, unsigned int entries)
{
	unsigned int i;

	for (i = 0; i < entries; i += XEN_LDT_PER_PAGE)
		xen_set_page_and_alias(ldt + i, PAGE_KERNEL);
}

/**
 * xen_pv_set_ldt() - pv_ops.cpu.set_ldt: make an LDT this CPU's
 * @addr: the LDT's address
 * @entries: how many descriptors it has (0: none)
 *
 * Batched in the lazy CPU mode of a context switch.
 */
void xen_pv_set_ldt(const void *addr, unsigned int entries)
{
	struct multicall_space mc = xen_mc_entry(sizeof(struct mmuext_op));
	struct mmuext_op *op = mc.args;

	trace_xen_cpu_set_ldt(addr, entries);
	op->cmd = MMUEXT_SET_LDT;
	op->arg1.linear_addr = (unsigned long)addr;
	op->arg2.nr_ents = entries;
	MULTI_mmuext_op(mc.mc, op, 1, NULL, DOMID_SELF);
	xen_mc_issue(XEN_LAZY_CPU);
}

/**
 * xen_pv_write_ldt_entry() - pv_ops.cpu.write_ldt_entry through Xen
 * @dt: the LDT
 * @entry: the entry's index
 * @desc: the new descriptor
 */
void xen_pv_write_ldt_entry(struct desc_struct *dt, int entry, const void *desc)
{
	u64 val = *(const u64 *)desc;
	xmaddr_t ma = arbitrary_virt_to_machine(&dt[entry]);
	int err;

	trace_xen_cpu_write_ldt_entry(dt, entry, val);
	preempt_disable();
	xen_mc_flush();
	err = HYPERVISOR_update_descriptor(ma.maddr, val);
	preempt_enable();
	/*
	 * modify_ldt() checked the descriptor; if Xen still refuses it, the
	 * old one stays and a load of its selector faults in user space.
	 */
	WARN_ONCE(err, "xen: LDT entry %d refused: %d\n", entry, err);
}

/* ---- IDT → trap table ------------------------------------------------- */

/* A native entry stub and its Xen entry stub (xen-asm.S). */
struct xen_trap_stub {
	void (*native)(void);
	void (*xen)(void);
	bool ist;	/* may natively use an IST stack */
};

#define XEN_STUB(f)		{ asm_##f, xen_asm_##f, false }
#define XEN_STUB_NOIST(f)	{ asm_##f, xen_asm_xenpv_##f, true }

static const struct xen_trap_stub xen_trap_stubs[] = {
	XEN_STUB_NOIST(exc_debug),
	XEN_STUB_NOIST(exc_double_fault),
#ifdef CONFIG_X86_MCE
	XEN_STUB_NOIST(exc_machine_check),
#endif
	XEN_STUB_NOIST(exc_nmi),
	XEN_STUB(exc_int3),
	XEN_STUB(exc_overflow),
#ifdef CONFIG_IA32_EMULATION
	XEN_STUB(int80_emulation),
#endif
	XEN_STUB(exc_page_fault),
	XEN_STUB(exc_divide_error),
	XEN_STUB(exc_bounds),
	XEN_STUB(exc_invalid_op),
	XEN_STUB(exc_device_not_available),
	XEN_STUB(exc_coproc_segment_overrun),
	XEN_STUB(exc_invalid_tss),
	XEN_STUB(exc_segment_not_present),
	XEN_STUB(exc_stack_segment),
	XEN_STUB(exc_general_protection),
	XEN_STUB(exc_spurious_interrupt_bug),
	XEN_STUB(exc_coprocessor_error),
	XEN_STUB(exc_alignment_check),
	XEN_STUB(exc_simd_coprocessor_error),
#ifdef CONFIG_X86_CET
	XEN_STUB(exc_control_protection),
#endif
};

/*
 * The Xen entry for a native handler: its stub, an early handler's Xen
 * twin, or the unknown-trap entry.  False for a known handler on an IST
 * stack that PV cannot give it (a kernel bug, which warns).
 */
static bool __ref xen_trap_entry(unsigned long *addr, unsigned int ist)
{
	void *early0 = (void *)early_idt_handler_array[0];
	void *early_end = (void *)early_idt_handler_array[NUM_EXCEPTION_VECTORS];
	void *h = (void *)*addr;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xen_trap_stubs); i++) {
		if (h != xen_trap_stubs[i].native)
			continue;
		*addr = (unsigned long)xen_trap_stubs[i].xen;
		return !WARN_ON(ist && !xen_trap_stubs[i].ist);
	}
	if (h >= early0 && h < early_end) {
		i = (h - early0) / EARLY_IDT_HANDLER_SIZE;
		*addr = (unsigned long)xen_early_idt_handler_array[i];
		return !WARN_ON(ist);
	}
	*addr = (unsigned long)xen_asm_exc_xen_unknown_trap;
	return true;
}

/* Bit 2 of trap_info.flags: entering clears the event mask's opposite (IF). */
#define XEN_TRAP_CLEARS_IF	BIT(2)

/* One gate as a trap table entry; false for a gate Xen is not given. */
static bool xen_gate_to_trap(unsigned int vector, const gate_desc *g,
			     struct trap_info *ti)
{
	unsigned long addr = gate_offset(g);

	if (g->bits.type != GATE_TRAP && g->bits.type != GATE_INTERRUPT)
		return false;
	if (!xen_trap_entry(&addr, g->bits.ist))
		return false;
	ti->vector = vector;
	ti->flags = g->bits.dpl;
	if (g->bits.type == GATE_INTERRUPT)
		ti->flags |= XEN_TRAP_CLEARS_IF;
	ti->cs = gate_segment(g);
	ti->address = addr;
	return true;
}

/* Where each CPU's IDT is (its last load_idt); that CPU's only. */
static DEFINE_PER_CPU(struct desc_ptr, xen_idt);

/*
 * The trap table of an IDT: with @holes, one entry per gate, unused ones
 * left as they are (a vCPU context's fixed-size table); else only the
 * gates Xen is given.  Returns how many entries were written.
 */
static unsigned int xen_idt_to_traps(const struct desc_ptr *idt,
				     struct trap_info *traps, bool holes)
{
	unsigned int n = (idt->size + 1) / sizeof(gate_desc);
	const gate_desc *g = (const gate_desc *)idt->address;
	unsigned int v, out = 0;

	if (WARN_ON(n > 256))
		n = 256;
	for (v = 0; v < n; v++) {
		if (xen_gate_to_trap(v, &g[v], &traps[out]) || holes)
			out++;
	}
	return out;
}

/**
 * xen_copy_trap_info() - this CPU's trap table, for a new vCPU's context
 * @traps: room for 256 entries
 */
void xen_copy_trap_info(struct trap_info *traps)
{
	xen_idt_to_traps(this_cpu_ptr(&xen_idt), traps, true);
}

/**
 * xen_pv_load_idt() - pv_ops.cpu.load_idt: an IDT becomes Xen's trap table
 * @desc: the IDT's address and limit
 *
 * Every gate Xen can deliver is converted; the IDT is remembered per CPU
 * for xen_pv_write_idt_entry().
 */
void xen_pv_load_idt(const struct desc_ptr *desc)
{
	/* One table for every CPU, to keep 4 KiB off the stack. */
	static DEFINE_SPINLOCK(lock);
	static struct trap_info traps[256 + 1];
	unsigned int n;
	int err;

	trace_xen_cpu_load_idt(desc);
	spin_lock(&lock);
	*this_cpu_ptr(&xen_idt) = *desc;
	n = xen_idt_to_traps(desc, traps, false);
	memset(&traps[n], 0, sizeof(traps[n]));	/* the end */
	xen_mc_flush();
	err = HYPERVISOR_set_trap_table(traps);
	if (err)
		xen_pv_refused("set_trap_table", err);
	spin_unlock(&lock);
}

/* A gate changes: Xen hears of it if it is in the IDT this CPU uses. */
/**
 * xen_pv_write_idt_entry() - pv_ops.cpu.write_idt_entry
 * @dt: the IDT
 * @entry: the gate's vector
 * @g: the new gate
 *
 * The gate is written, and Xen hears of it if @dt is this CPU's IDT.
 */
void xen_pv_write_idt_entry(gate_desc *dt, int entry, const gate_desc *g)
{
	unsigned long at = (unsigned long)&dt[entry];
	unsigned long start, end;

	trace_xen_cpu_write_idt_entry(dt, entry, g);
	preempt_disable();
	start = __this_cpu_read(xen_idt.address);
	end = start + __this_cpu_read(xen_idt.size) + 1;
	xen_mc_flush();
	native_write_idt_entry(dt, entry, g);
	if (at >= start && at + sizeof(*g) <= end) {
		struct trap_info one[2] = { };

		int err = 0;

		if (xen_gate_to_trap(entry, g, &one[0]))
			err = HYPERVISOR_set_trap_table(one);
		if (err)
			xen_pv_refused("a trap table entry", err);
	}
	preempt_enable();
}
