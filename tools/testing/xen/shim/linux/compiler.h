/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace stand-in for <linux/compiler.h>.  READ_ONCE() and WRITE_ONCE()
 * are relaxed atomic accesses: exactly one untorn access each, which is
 * what the kernel's volatile accesses promise for these scalar types.
 */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#include <linux/compiler_types.h>

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

#endif
