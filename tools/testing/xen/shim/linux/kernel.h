/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Userspace stand-in for the parts of <linux/kernel.h> the cores use. */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/stddef.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#endif
