/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Userspace stand-in for <linux/stddef.h>: offsetof() and NULL. */
#ifndef _SHIM_LINUX_STDDEF_H
#define _SHIM_LINUX_STDDEF_H

#include <stddef.h>

#endif
