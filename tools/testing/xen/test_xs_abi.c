// SPDX-License-Identifier: GPL-2.0-only
/*
 * Our xenstore layer's interface headers (include/xen/interface: io/xs_wire.h,
 * io/xenbus.h, io/console.h, io/protocols.h and version.h) against Xen's
 * public ones: every constant, field offset, structure size and string,
 * and xenstored's error table entry by entry.
 */
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/types.h>

/* What <xen/interface/xen.h> makes it on x86_64, for version.h. */
#define xen_ulong_t	unsigned long

#include <xen/interface/io/xs_wire.h>
#include <xen/interface/io/xenbus.h>
#include <xen/interface/io/console.h>
#include <xen/interface/io/protocols.h>
#include <xen/interface/version.h>
#include "abi_fields.h"
#include "tap.h"

static long xen(const char *name)
{
	const struct abi_val *v;

	for (v = xen_xs_abi(); v->name; v++)
		if (!strcmp(v->name, name))
			return v->val;
	printf("# no value for %s in Xen's table\n", name);
	return -12345;
}

static const char *xen_str(const char *name)
{
	const struct abi_str *v;

	for (v = xen_xs_strings(); v->name; v++)
		if (!strcmp(v->name, name))
			return v->str;
	printf("# no string for %s in Xen's table\n", name);
	return "";
}

/* A string constant of ours, named NAME, against Xen's of that name. */
static void test_str(const char *name, const char *ours)
{
	ok(!strcmp(ours, xen_str(name)), "%s is \"%s\"", name, ours);
}

/* Ours names every error Xen's does, in the same order, and no other. */
static void test_errors(void)
{
	const struct abi_err *x = xen_xs_errors();
	unsigned int n = ARRAY_SIZE(xsd_errors), i;

	for (i = 0; i < n && x[i].name; i++)
		ok(xsd_errors[i].errnum == x[i].errnum &&
		   !strcmp(xsd_errors[i].errstring, x[i].name),
		   "xsd_errors[%u] is %s (%d)", i, x[i].name, x[i].errnum);
	ok(i == n && !x[i].name, "xsd_errors has Xen's %u entries", i);
}

/* A struct the kernel declares where Xen has a char array of that size. */
static void test_buffers(void)
{
	struct xen_extraversion ev;
	struct xen_capabilities_info ci;
	struct xen_changeset_info cs;
	struct xen_commandline cl;

	ok_eq((long)sizeof(ev), xen("extraversion"), "extraversion buffer");
	ok_eq((long)sizeof(ev.extraversion), xen("extraversion"),
	      "extraversion's characters");
	ok_eq((long)sizeof(ci), xen("capabilities"), "capabilities buffer");
	ok_eq((long)sizeof(ci.info), xen("capabilities"),
	      "capabilities' characters");
	ok_eq((long)sizeof(cs), xen("changeset"), "changeset buffer");
	ok_eq((long)sizeof(cs.info), xen("changeset"), "changeset's characters");
	ok_eq((long)sizeof(cl), xen("commandline"), "command line buffer");
	ok_eq((long)sizeof(cl.buf), xen("commandline"),
	      "command line's characters");
}

/* The console's index mask works on either ring by its own size. */
static void test_console_mask(void)
{
	struct xencons_interface c;

	ok_eq((long)MASK_XENCONS_IDX(1030u, c.in), 6L,
	      "MASK_XENCONS_IDX wraps the input ring at 1024");
	ok_eq((long)MASK_XENCONS_IDX(2050u, c.out), 2L,
	      "MASK_XENCONS_IDX wraps the output ring at 2048");
}

int main(void)
{
	tap_start();
#define XS_CONST(c)	ok_eq((long)(c), xen(#c), "%s", #c)
#define XS_FIELD(s, f)	ok_eq((long)offsetof(struct s, f), xen(#s "." #f), \
			      "offset of %s.%s", #s, #f)
#define XS_SIZE(s)	ok_eq((long)sizeof(struct s), xen(#s), "sizeof %s", #s)
#define XS_STR(c)	test_str(#c, c)
#include "abi_xs_list.h"
	test_errors();
	test_buffers();
	test_console_mask();
	return tap_done();
}
