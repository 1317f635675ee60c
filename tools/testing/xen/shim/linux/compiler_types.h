/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace stand-in for <linux/compiler_types.h>.  Like the kernel's
 * build, the harness includes it on the command line (-include), so
 * headers may use __packed and friends without including anything.
 */
#ifndef _SHIM_LINUX_COMPILER_TYPES_H
#define _SHIM_LINUX_COMPILER_TYPES_H

/* All attributes go through here: this file defines the kernel's names. */
#define shim_attr(...)		__attribute__((__VA_ARGS__))

#define __packed		shim_attr(__packed__)
#define __aligned(x)		shim_attr(__aligned__(x))
#define __maybe_unused		shim_attr(__unused__)
#define __printf(a, b)		shim_attr(__format__(printf, a, b))
#define fallthrough		shim_attr(__fallthrough__)

#endif
