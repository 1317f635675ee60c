/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace stand-in for <asm/barrier.h>.  The virt_*() barriers order
 * accesses to memory shared with another domain, here with another
 * thread at most, so C11 fences give the same guarantees.
 */
#ifndef _SHIM_ASM_BARRIER_H
#define _SHIM_ASM_BARRIER_H

/* Full barrier: orders earlier loads and stores before later ones. */
#define virt_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
/* Read barrier: earlier loads complete before later loads. */
#define virt_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
/* Write barrier: earlier stores are visible before later stores. */
#define virt_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

#endif
