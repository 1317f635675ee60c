/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace stand-in for <linux/build_bug.h>: static_assert() with an
 * optional message, as in the kernel.  A false condition declares an
 * array of negative size, which no compiler accepts; repeating the
 * declaration with size 1 is harmless, at file and at block scope.
 */
#ifndef _SHIM_LINUX_BUILD_BUG_H
#define _SHIM_LINUX_BUILD_BUG_H

#ifdef static_assert
#undef static_assert
#endif
#define static_assert(expr, ...) \
	extern char shim_static_assert_failed[(expr) ? 1 : -1]

#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))

#endif
