/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Userspace stand-in for <linux/log2.h>. */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#include <linux/types.h>

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

/* Undefined for 0, as in the kernel. */
#define ilog2(n)	((int)(63 - __builtin_clzll((unsigned long long)(n))))

#endif
