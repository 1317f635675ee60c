/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The assembly side of a PV guest: hypercalls, the event mask as the
 * interrupt flag, and every way Xen enters the kernel or the kernel
 * returns through Xen.
 *
 * Xen enters a PV kernel much as the CPU would, with a hardware-style
 * frame (ss, rsp, rflags, cs, rip, and an error code where the CPU pushes
 * one), but with %rcx and %r11 pushed below it: Xen's own exit path uses
 * them (it leaves guest context with sysret where it can).  Each entry
 * here pops them and goes on at the native entry, which then sees the
 * frame it expects.  A PV kernel has no sysret of its own: every return,
 * to user or kernel mode, is the iret hypercall.
 */

#include <asm/asm-offsets.h>
#include <asm/asm.h>
#include <asm/errno.h>
#include <asm/frame.h>
#include <asm/percpu.h>
#include <asm/processor-flags.h>
#include <asm/segment.h>
#include <asm/thread_info.h>
#include <asm/unwind_hints.h>

#include <xen/interface/xen.h>

#include <linux/init.h>
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <../entry/calling.h>

/* This CPU's vcpu_info, where it has been placed in per-CPU memory. */
#define VCPU_MASK	PER_CPU_VAR(xen_vcpu_info + XEN_vcpu_info_mask)
#define VCPU_PENDING	PER_CPU_VAR(xen_vcpu_info + XEN_vcpu_info_pending)
#define VCPU_CR2	PER_CPU_VAR(xen_vcpu_info + XEN_vcpu_info_arch_cr2)

.pushsection .noinstr.text, "ax"
/*
 * A PV hypercall: number in %eax, arguments in %rdi, %rsi, %rdx, %r10 and
 * %r8, result in %rax.  The syscall instruction goes to Xen, which keeps
 * nothing of %rcx and %r11; inline asm callers expect them kept.
 */
SYM_FUNC_START(xen_hypercall_pv)
	ANNOTATE_NOENDBR
	push	%rcx
	push	%r11
	UNWIND_HINT_SAVE
	syscall
	UNWIND_HINT_RESTORE
	pop	%r11
	pop	%rcx
	RET
SYM_FUNC_END(xen_hypercall_pv)

/*
 * pv_ops.irq with this CPU's vcpu_info in per-CPU memory.  Callee-save:
 * only %rax (and the flags) may change.  Xen's mask is the opposite of
 * IF: nonzero means events (interrupts) are held back.
 */

/* irq_disable: set the mask. */
SYM_FUNC_START(xen_irq_disable_direct)
	movb	$1, VCPU_MASK
	RET
SYM_FUNC_END(xen_irq_disable_direct)

/*
 * An event came while the mask was set: a hypercall delivers it (Xen
 * checks for pending events on its way back).  Called from
 * xen_irq_enable_direct, which must keep every register: so keeps the
 * ones the C call may change.
 */
SYM_FUNC_START(check_events)
	FRAME_BEGIN
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	call	xen_force_evtchn_callback
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	FRAME_END
	RET
SYM_FUNC_END(check_events)

/*
 * irq_enable: clear the mask, then look for an event that came while it
 * was set.  Whatever arrives after the clear is delivered by Xen itself;
 * a preemption in between at worst makes the look happen on another CPU,
 * which costs a needless hypercall and nothing else.
 */
SYM_FUNC_START(xen_irq_enable_direct)
	FRAME_BEGIN
	movb	$0, VCPU_MASK
	cmpb	$0, VCPU_PENDING
	je	1f
	call	check_events
1:
	FRAME_END
	RET
SYM_FUNC_END(xen_irq_enable_direct)

/* save_fl: X86_EFLAGS_IF if the mask is clear, else 0. */
SYM_FUNC_START(xen_save_fl_direct)
	cmpb	$0, VCPU_MASK
	sete	%al
	movzbl	%al, %eax
	shll	$X86_EFLAGS_IF_BIT, %eax
	RET
SYM_FUNC_END(xen_save_fl_direct)

/* cr2 of the last page fault, which Xen writes into vcpu_info. */
SYM_FUNC_START(xen_read_cr2)
	FRAME_BEGIN
	_ASM_MOV PER_CPU_VAR(xen_vcpu), %_ASM_AX
	_ASM_MOV XEN_vcpu_info_arch_cr2(%_ASM_AX), %_ASM_AX
	FRAME_END
	RET
SYM_FUNC_END(xen_read_cr2)

SYM_FUNC_START(xen_read_cr2_direct)
	FRAME_BEGIN
	_ASM_MOV VCPU_CR2, %_ASM_AX
	FRAME_END
	RET
SYM_FUNC_END(xen_read_cr2_direct)
.popsection

/* Drop what Xen pushed below the hardware-style frame. */
.macro XEN_DROP_RCX_R11
	pop	%rcx
	pop	%r11
.endm

/*
 * The trap table's entries (xen_copy_trap_info() in pv_desc.c):
 * xen_<stub> for each native idtentry stub <stub>.  #DB, NMI, #DF and #MC
 * use stacks of their own natively (IST), which PV cannot; they go to
 * the xenpv_ variants, which run on the kernel stack.
 */
.macro XEN_TRAP stub
SYM_CODE_START(xen_\stub)
	UNWIND_HINT_ENTRY
	ENDBR
	XEN_DROP_RCX_R11
	jmp	\stub
SYM_CODE_END(xen_\stub)
_ASM_NOKPROBE(xen_\stub)
.endm

XEN_TRAP asm_exc_divide_error
XEN_TRAP asm_xenpv_exc_debug
XEN_TRAP asm_exc_int3
XEN_TRAP asm_xenpv_exc_nmi
XEN_TRAP asm_exc_overflow
XEN_TRAP asm_exc_bounds
XEN_TRAP asm_exc_invalid_op
XEN_TRAP asm_exc_device_not_available
XEN_TRAP asm_xenpv_exc_double_fault
XEN_TRAP asm_exc_coproc_segment_overrun
XEN_TRAP asm_exc_invalid_tss
XEN_TRAP asm_exc_segment_not_present
XEN_TRAP asm_exc_stack_segment
XEN_TRAP asm_exc_general_protection
XEN_TRAP asm_exc_page_fault
XEN_TRAP asm_exc_spurious_interrupt_bug
XEN_TRAP asm_exc_coprocessor_error
XEN_TRAP asm_exc_alignment_check
#ifdef CONFIG_X86_CET
XEN_TRAP asm_exc_control_protection
#endif
#ifdef CONFIG_X86_MCE
XEN_TRAP asm_xenpv_exc_machine_check
#endif
XEN_TRAP asm_exc_simd_coprocessor_error
#ifdef CONFIG_IA32_EMULATION
XEN_TRAP asm_int80_emulation
#endif
XEN_TRAP asm_exc_xen_unknown_trap
XEN_TRAP asm_exc_xen_hypervisor_callback

/*
 * The early trap table, before the real one: one slot per exception
 * vector, each XEN_EARLY_IDT_HANDLER_SIZE bytes (asm/segment.h) and
 * padded with int3, going on at the native early handler of its vector.
 */
	__INIT
SYM_CODE_START(xen_early_idt_handler_array)
	vector = 0
	.rept NUM_EXCEPTION_VECTORS
	UNWIND_HINT_UNDEFINED
	ENDBR
	XEN_DROP_RCX_R11
	jmp	early_idt_handler_array + vector * EARLY_IDT_HANDLER_SIZE
	vector = vector + 1
	.fill xen_early_idt_handler_array + vector * XEN_EARLY_IDT_HANDLER_SIZE - ., 1, 0xcc
	.endr
SYM_CODE_END(xen_early_idt_handler_array)
	__FINIT

/*
 * Return through the iret hypercall.  On the stack, the hardware iret
 * frame (ss, rsp, rflags, cs, rip); Xen wants below it a flags word
 * (0: no VGCF_in_syscall), %rcx, %r11 and %rax, which it restores.
 */
.macro XEN_IRET
	pushq	$0
	push	%rcx
	push	%r11
	push	%rax
	mov	$__HYPERVISOR_iret, %eax
	syscall
#ifdef CONFIG_MITIGATION_SLS
	int3
#endif
.endm

SYM_CODE_START(xen_iret)
	UNWIND_HINT_UNDEFINED
	ANNOTATE_NOENDBR
	XEN_IRET
SYM_CODE_END(xen_iret)

/*
 * Back to user mode (the XENPV alternative in entry_64.S).  The native
 * path moves to the trampoline stack first; PV has none, and its kernel
 * stack is where that would copy the iret frame, so the frame stays where
 * it is, below %rsp only while the hypercall takes it.
 */
SYM_CODE_START(xenpv_restore_regs_and_return_to_usermode)
	UNWIND_HINT_REGS
	POP_REGS
	/* The stack below the iret frame is free to clear. */
	STACKLEAK_ERASE_NOCLOBBER
	addq	$8, %rsp	/* orig_ax */
	jmp	xen_iret
SYM_CODE_END(xenpv_restore_regs_and_return_to_usermode)

/*
 * System calls.  Xen delivers them like exceptions: on the kernel stack,
 * with the kernel's GS, an iret frame, and %rcx and %r11 below it.  The
 * frame's cs and ss are Xen's guesses; the kernel's entry code checks
 * for its own user selectors, so they are written in (@cs: 64-bit or
 * compat).
 */
.macro XEN_SYSCALL_FRAME cs
	XEN_DROP_RCX_R11
	movq	$__USER_DS, 4*8(%rsp)	/* ss */
	movq	$\cs, 1*8(%rsp)		/* cs */
.endm

SYM_CODE_START(xen_entry_SYSCALL_64)
	UNWIND_HINT_ENTRY
	ENDBR
	XEN_SYSCALL_FRAME __USER_CS
	jmp	entry_SYSCALL_64_after_hwframe
SYM_CODE_END(xen_entry_SYSCALL_64)

#ifdef CONFIG_IA32_EMULATION
SYM_CODE_START(xen_entry_SYSCALL_compat)
	UNWIND_HINT_ENTRY
	ENDBR
	XEN_SYSCALL_FRAME __USER32_CS
	jmp	entry_SYSCALL_compat_after_hwframe
SYM_CODE_END(xen_entry_SYSCALL_compat)

/* Xen clears TF for sysenter, so no single-step trap can hit this. */
SYM_CODE_START(xen_entry_SYSENTER_compat)
	UNWIND_HINT_ENTRY
	ENDBR
	XEN_SYSCALL_FRAME __USER32_CS
	jmp	entry_SYSENTER_compat_after_hwframe
SYM_CODE_END(xen_entry_SYSENTER_compat)
#else
/* Without 32-bit user space: -ENOSYS, straight back. */
SYM_CODE_START(xen_entry_SYSCALL_compat)
SYM_CODE_START(xen_entry_SYSENTER_compat)
	UNWIND_HINT_ENTRY
	ENDBR
	addq	$16, %rsp	/* %rcx and %r11, which Xen restores */
	mov	$-ENOSYS, %rax
	XEN_IRET
SYM_CODE_END(xen_entry_SYSENTER_compat)
SYM_CODE_END(xen_entry_SYSCALL_compat)
#endif
