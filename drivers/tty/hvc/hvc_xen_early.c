// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console output before hvc runs: the "xenboot" boot console
 * (earlyprintk=xen), the "xenboot" earlycon, and xen_raw_console_write()
 * and xen_raw_printk() for the platform code that may print before
 * anything else is set up.
 *
 * Xen's own console takes dom0's output, and any domain's if Xen was
 * built with debugging; an HVM or PVH domain can also write to port 0xe9,
 * which Xen (or QEMU) prints.  A PV domain other than dom0 writes to its
 * console page, through the primary console's record (hvc_xen_cons.c).
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/serial_core.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>
#include <linux/string.h>

#include <asm/xen/hypervisor.h>

#include <xen/hvc-console.h>
#include <xen/xen.h>

#include "hvc_xen.h"

/* The longest line xen_raw_printk() prints; the rest is cut. */
#define XEN_RAW_PRINTK_MAX	512

/* Writes to the debug port an HVM or PVH domain has under Xen. */
static void xencons_port_write(const char *s, size_t len)
{
#ifdef CONFIG_X86
	if (xen_cpuid_base())
		outsb(0xe9, s, len);
#endif
}

#ifdef CONFIG_EARLY_PRINTK
static int __init xenboot_setup(struct console *con, char *options)
{
	if (xen_pv_domain() && !xen_initial_domain())
		xencons_primary_attach();
	return 0;
}

/* A PV domU's console page wants "\r\n": hvc adds it later, not here. */
static void xenboot_page_write(const char *s, size_t len)
{
	struct xencons *c = xencons_primary_get();
	bool newline;
	size_t line;

	if (!c)
		return;
	if (xencons_write_all(c, (const u8 *)"(early) ", 8) < 0)
		return;
	while (len) {
		line = xencons_line(s, len, &newline);
		if (xencons_write_all(c, (const u8 *)s, line) < 0)
			return;
		if (!newline)
			break;
		if (xencons_write_all(c, (const u8 *)"\r\n", 2) < 0)
			return;
		s += line + 1;
		len -= line + 1;
	}
}

static void xenboot_write(struct console *con, const char *s,
			  unsigned int len)
{
	if (!xencons_hypercall_write(s, len))
		return;
	if (xen_pv_domain())
		xenboot_page_write(s, len);
	else
		xencons_port_write(s, len);
}

/* arch/x86/kernel/early_printk.c registers it for earlyprintk=xen. */
struct console xenboot_console = {
	.name = "xenboot",
	.write = xenboot_write,
	.setup = xenboot_setup,
	.flags = CON_PRINTBUFFER | CON_BOOT | CON_ANYTIME,
	.index = -1,
};
#endif /* CONFIG_EARLY_PRINTK */

/**
 * xen_raw_console_write() - print without any console set up
 * @str: the text, NUL-terminated
 *
 * Goes to Xen's console.  An HVM or PVH domain whose hypervisor has no
 * such hypercall (-ENOSYS), or that does not know yet that it runs on
 * Xen (early in a PVH boot), writes to the debug port instead.  Callable
 * from any context, and before the kernel's own consoles exist.
 */
void xen_raw_console_write(const char *str)
{
	size_t len = strlen(str);

	if (xen_domain() &&
	    (xencons_hypercall_write(str, len) != -ENOSYS || xen_pv_domain()))
		return;
	xencons_port_write(str, len);
}

/**
 * xen_raw_printk() - xen_raw_console_write() with a format
 * @fmt: printf-style format
 *
 * Lines longer than XEN_RAW_PRINTK_MAX - 1 bytes are cut.  The buffer is
 * on the stack, so that concurrent callers (two CPUs starting) do not
 * share it.
 */
void xen_raw_printk(const char *fmt, ...)
{
	char buf[XEN_RAW_PRINTK_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	xen_raw_console_write(buf);
}

static void xenboot_earlycon_write(struct console *con, const char *s,
				   unsigned int len)
{
	xencons_hypercall_write(s, len);
}

static int __init xenboot_earlycon_setup(struct earlycon_device *dev,
					 const char *opt)
{
	dev->con->write = xenboot_earlycon_write;
	return 0;
}

EARLYCON_DECLARE(xenboot, xenboot_earlycon_setup);
