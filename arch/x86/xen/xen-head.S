/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen's entry points into the kernel image, and the ELF notes through
 * which Xen's domain builders learn how to load it.
 *
 * Included by arch/x86/kernel/head_64.S (its relative path), not built
 * on its own.
 *
 *   startup_xen              where a PV domain starts (the ENTRY note),
 *                            with %rsi pointing at its start_info;
 *   asm_cpu_bringup_and_idle where a secondary PV vCPU starts (smp_pv.c
 *                            puts it in the vCPU's initial context);
 *   xen_cpu_bringup_again    where a PV vCPU set running again after
 *                            hotplug goes on, on a fresh stack;
 *   xen_hypercall_hvm        the first target of the xen_hypercall static
 *                            call (enlighten.c): it lets C choose vmcall or
 *                            vmmcall, then makes this hypercall with it.
 */

#ifdef CONFIG_XEN

#include <linux/elfnote.h>
#include <linux/init.h>
#include <linux/instrumentation.h>

#include <asm/asm.h>
#include <asm/boot.h>
#include <asm/frame.h>
#include <asm/msr.h>
#include <asm/page_types.h>
#include <asm/percpu.h>
#include <asm/unwind_hints.h>

#include <xen/interface/elfnote.h>
#include <xen/interface/features.h>
#include <xen/interface/xen.h>
#include <xen/interface/xen-mca.h>
#include <asm/xen/interface.h>

#ifdef CONFIG_XEN_PV
	__INIT
/*
 * Xen enters in 64-bit mode on its own stack, with our page tables, and
 * interrupts (events) masked.  The boot stack is the init task's; the GS
 * base is the boot CPU's per-CPU data of the init section (the stack
 * protector's canary lives there) until the per-CPU areas exist.
 */
SYM_CODE_START(startup_xen)
	UNWIND_HINT_END_OF_STACK
	ANNOTATE_NOENDBR
	cld
	leaq	__top_init_kernel_stack(%rip), %rsp

	movq	$INIT_PER_CPU_VAR(fixed_percpu_data), %rax
	movq	%rax, %rdx
	shrq	$32, %rdx
	movl	$MSR_GS_BASE, %ecx
	wrmsr

	/* xen_start_kernel(start_info) */
	movq	%rsi, %rdi
	call	xen_start_kernel
SYM_CODE_END(startup_xen)
	__FINIT

#ifdef CONFIG_XEN_PV_SMP
	.pushsection .text
/* The stack is the idle task's, which the vCPU's context gave it. */
SYM_CODE_START(asm_cpu_bringup_and_idle)
	UNWIND_HINT_END_OF_STACK
	ENDBR
	call	cpu_bringup_and_idle
SYM_CODE_END(asm_cpu_bringup_and_idle)

/* xen_cpu_bringup_again(stack): the idle task's stack, from its top. */
SYM_CODE_START(xen_cpu_bringup_again)
	UNWIND_HINT_FUNC
	movq	%rdi, %rsp
	UNWIND_HINT_REGS
	call	cpu_bringup_and_idle
SYM_CODE_END(xen_cpu_bringup_again)
	.popsection
#endif /* CONFIG_XEN_PV_SMP */
#endif /* CONFIG_XEN_PV */

/*
 * The registers a hypercall may use or the C call may change: the
 * number (%eax), the arguments and what the C ABI lets a callee clobber.
 * %rax is pushed first and popped last; on 64-bit, an odd count is made
 * even so that the C call finds its stack 16-byte aligned.
 */
#ifdef CONFIG_X86_32
.macro XEN_HCALL_SAVE
	push	%eax
	push	%ebx
	push	%ecx
	push	%edx
	push	%esi
	push	%edi
.endm
.macro XEN_HCALL_RESTORE
	pop	%edi
	pop	%esi
	pop	%edx
	pop	%ecx
	pop	%ebx
	pop	%eax
.endm
#else
.macro XEN_HCALL_SAVE
	push	%rax
	push	%rcx
	push	%rdx
	push	%rdi
	push	%rsi
	push	%r11
	push	%r10
	push	%r9
	push	%r8
#ifdef CONFIG_FRAME_POINTER
	pushq	$0
#endif
.endm
.macro XEN_HCALL_RESTORE
#ifdef CONFIG_FRAME_POINTER
	pop	%rax
#endif
	pop	%r8
	pop	%r9
	pop	%r10
	pop	%r11
	pop	%rsi
	pop	%rdi
	pop	%rdx
	pop	%rcx
	pop	%rax
.endm
#endif

	.pushsection .noinstr.text, "ax"
/*
 * A hypercall: number in %eax; arguments in %rdi, %rsi, %rdx, %r10, %r8
 * (64-bit) or %ebx, %ecx, %edx, %esi, %edi (32-bit); result in %[er]ax.
 *
 * The first one an HVM or PVH guest makes: __xen_hypercall_setfunc()
 * patches the static call and returns the stub to use, which this one
 * then jumps to with every register as it came.
 */
SYM_FUNC_START(xen_hypercall_hvm)
	ENDBR
	FRAME_BEGIN
	XEN_HCALL_SAVE
	call	__xen_hypercall_setfunc
	/* ZF: the stub is the AMD one.  Neither pop nor jmp changes it. */
#ifdef CONFIG_X86_32
	lea	xen_hypercall_amd, %ebx
	cmp	%eax, %ebx
#else
	lea	xen_hypercall_amd(%rip), %rcx
	cmp	%rax, %rcx
#endif
	XEN_HCALL_RESTORE
	FRAME_END
	jz	xen_hypercall_amd
	jmp	xen_hypercall_intel
SYM_FUNC_END(xen_hypercall_hvm)

SYM_FUNC_START(xen_hypercall_amd)
	vmmcall
	RET
SYM_FUNC_END(xen_hypercall_amd)

SYM_FUNC_START(xen_hypercall_intel)
	vmcall
	RET
SYM_FUNC_END(xen_hypercall_intel)
	.popsection

/*
 * The notes Xen's domain builders read (xen/include/public/elfnote.h).
 * PV: where to map the kernel and the initial p2m list, the entry, the
 * features it needs and takes, and that the initrd comes as a frame
 * number.  Every kind: the features it supports (PV's writable page
 * tables, PVH's RSDP anywhere, dom0), and that a suspend may come back
 * cancelled.  PVH's entry notes are in arch/x86/platform/pvh/head.S.
 */
	ELFNOTE(Xen, XEN_ELFNOTE_GUEST_OS,       .asciz "linux")
	ELFNOTE(Xen, XEN_ELFNOTE_GUEST_VERSION,  .asciz "2.6")
	ELFNOTE(Xen, XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0")
#ifdef CONFIG_XEN_PV
	ELFNOTE(Xen, XEN_ELFNOTE_VIRT_BASE,      _ASM_PTR __START_KERNEL_map)
	/* Xen maps the initial p2m list here: 512 GiB, in user space. */
	ELFNOTE(Xen, XEN_ELFNOTE_INIT_P2M,       .quad (PTRS_PER_PUD * PUD_SIZE))
	ELFNOTE(Xen, XEN_ELFNOTE_ENTRY,          _ASM_PTR startup_xen)
	/* "!": required, though we handle read-only page tables too. */
	ELFNOTE(Xen, XEN_ELFNOTE_FEATURES,       .ascii "!writable_page_tables")
	ELFNOTE(Xen, XEN_ELFNOTE_PAE_MODE,       .asciz "yes")
	/* An L1 entry's frame is a machine frame when it is present. */
	ELFNOTE(Xen, XEN_ELFNOTE_L1_MFN_VALID,   .quad _PAGE_PRESENT; .quad _PAGE_PRESENT)
	ELFNOTE(Xen, XEN_ELFNOTE_MOD_START_PFN,  .long 1)
	ELFNOTE(Xen, XEN_ELFNOTE_PADDR_OFFSET,   _ASM_PTR 0)
#define XEN_SUPPORTED_PV	(1 << XENFEAT_writable_page_tables)
#else
#define XEN_SUPPORTED_PV	0
#endif
#ifdef CONFIG_XEN_PVH
#define XEN_SUPPORTED_PVH	(1 << XENFEAT_linux_rsdp_unrestricted)
#else
#define XEN_SUPPORTED_PVH	0
#endif
#ifdef CONFIG_XEN_DOM0
#define XEN_SUPPORTED_DOM0	(1 << XENFEAT_dom0)
#else
#define XEN_SUPPORTED_DOM0	0
#endif
	ELFNOTE(Xen, XEN_ELFNOTE_SUPPORTED_FEATURES,
		.long XEN_SUPPORTED_PV | XEN_SUPPORTED_PVH | XEN_SUPPORTED_DOM0)
	ELFNOTE(Xen, XEN_ELFNOTE_LOADER,         .asciz "generic")
	ELFNOTE(Xen, XEN_ELFNOTE_SUSPEND_CANCEL, .long 1)

#endif /* CONFIG_XEN */
