/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the PV guest's boot and CPU files give each other (enlighten_pv.c,
 * pv_cpu.c, pv_desc.c, pv_traps.c).  Private to arch/x86/xen; nothing here
 * is used by the memory half or by PVH/HVM.
 */
#ifndef _ARCH_X86_XEN_PV_H
#define _ARCH_X86_XEN_PV_H

#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/panic.h>
#include <linux/types.h>

#include <asm/desc_defs.h>

struct desc_ptr;
struct task_struct;
struct thread_struct;

/* pv_cpu.c: pv_ops.cpu apart from descriptor tables. */
extern unsigned int xen_mwait_leaf_ecx;
extern unsigned int xen_mwait_leaf_edx;
void xen_pv_cpuid(unsigned int *ax, unsigned int *bx, unsigned int *cx,
		  unsigned int *dx);
void xen_pv_set_debugreg(int reg, unsigned long val);
unsigned long xen_pv_get_debugreg(int reg);
unsigned long xen_pv_read_cr0(void);
void xen_pv_write_cr0(unsigned long cr0);
void xen_pv_write_cr4(unsigned long cr4);
u64 xen_pv_read_msr(unsigned int msr);
void xen_pv_write_msr(unsigned int msr, unsigned int low, unsigned int high);
u64 xen_pv_read_msr_safe(unsigned int msr, int *err);
int xen_pv_write_msr_safe(unsigned int msr, unsigned int low,
			  unsigned int high);
void xen_pv_load_sp0(unsigned long sp0);
void xen_pv_invalidate_io_bitmap(void);
void xen_pv_update_io_bitmap(void);
void xen_pv_io_delay(void);
void xen_pv_start_context_switch(struct task_struct *prev);
void xen_pv_end_context_switch(struct task_struct *next);

/* pv_desc.c: GDT, LDT, TLS and the IDT as Xen's trap table. */
void xen_pv_load_gdt(const struct desc_ptr *dtr);
void __init xen_pv_load_gdt_boot(const struct desc_ptr *dtr);
void xen_pv_write_gdt_entry(struct desc_struct *dt, int entry,
			    const void *desc, int type);
void __init xen_pv_write_gdt_entry_boot(struct desc_struct *dt, int entry,
					const void *desc, int type);
void xen_pv_load_tls(struct thread_struct *t, unsigned int cpu);
void xen_pv_load_gs_index(unsigned int sel);
void xen_pv_alloc_ldt(struct desc_struct *ldt, unsigned int entries);
void xen_pv_free_ldt(struct desc_struct *ldt, unsigned int entries);
void xen_pv_set_ldt(const void *addr, unsigned int entries);
void xen_pv_write_ldt_entry(struct desc_struct *dt, int entry,
			    const void *desc);
void xen_pv_load_idt(const struct desc_ptr *desc);
void xen_pv_write_idt_entry(gate_desc *dt, int entry, const gate_desc *g);

/*
 * Xen refused what the CPU cannot run without (a GDT, the trap table, an
 * LDT page's protection): nothing is left to fall back on.
 */
static inline void __noreturn xen_pv_refused(const char *what, int err)
{
	panic("xen: Xen refused %s: %d\n", what, err);
}

#endif /* _ARCH_X86_XEN_PV_H */
