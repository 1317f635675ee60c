/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen console's interface to the rest of the kernel
 * (drivers/tty/hvc/hvc_xen*.c): its boot console, the raw output that
 * works before any console is set up, and taking the console back after
 * a resume.
 */
#ifndef _XEN_HVC_CONSOLE_H
#define _XEN_HVC_CONSOLE_H

#include <linux/compiler_attributes.h>

struct console;

/* The "xenboot" boot console, which earlyprintk=xen registers. */
extern struct console xenboot_console;

#ifdef CONFIG_HVC_XEN
void xen_console_resume(void);
void xen_raw_console_write(const char *str);
__printf(1, 2) void xen_raw_printk(const char *fmt, ...);
#else
static inline void xen_console_resume(void)
{
}

static inline void xen_raw_console_write(const char *str)
{
}

static inline __printf(1, 2) void xen_raw_printk(const char *fmt, ...)
{
}
#endif

#endif /* _XEN_HVC_CONSOLE_H */
