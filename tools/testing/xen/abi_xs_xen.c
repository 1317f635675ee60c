// SPDX-License-Identifier: GPL-2.0-only
/*
 * The numbers and strings of Xen's public xenstore, xenbus, console,
 * protocol and version headers, for test_xs_abi.c.  A translation unit of
 * its own: Xen's headers and ours define the same names.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include "/usr/include/xen/xen.h"
#include "/usr/include/xen/version.h"
#include "/usr/include/xen/io/xs_wire.h"
#include "/usr/include/xen/io/xenbus.h"
#include "/usr/include/xen/io/console.h"
#include "/usr/include/xen/io/protocols.h"
#include "abi_fields.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NR_VALS		160
#define NR_STRS		16

static struct abi_val vals[NR_VALS];
static struct abi_str strs[NR_STRS];
static struct abi_err errs[ARRAY_SIZE(xsd_errors) + 1];
static unsigned int nr, nr_strs;

static void add(const char *name, unsigned long val)
{
	if (nr < NR_VALS - 1) {
		vals[nr].name = name;
		vals[nr].val = val;
		nr++;
	}
}

static void add_str(const char *name, const char *str)
{
	if (nr_strs < NR_STRS - 1) {
		strs[nr_strs].name = name;
		strs[nr_strs].str = str;
		nr_strs++;
	}
}

static void measure(void)
{
	unsigned int i;

	if (nr)
		return;
#define XS_CONST(c)	add(#c, (unsigned long)(c))
#define XS_FIELD(s, f)	add(#s "." #f, offsetof(struct s, f))
#define XS_SIZE(s)	add(#s, sizeof(struct s))
#define XS_STR(c)	add_str(#c, c)
#include "abi_xs_list.h"
	/* The buffers the kernel declares as structures. */
	add("extraversion", sizeof(xen_extraversion_t));
	add("capabilities", sizeof(xen_capabilities_info_t));
	add("changeset", sizeof(xen_changeset_info_t));
	add("commandline", sizeof(xen_commandline_t));
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++) {
		errs[i].errnum = xsd_errors[i].errnum;
		errs[i].name = xsd_errors[i].errstring;
	}
}

/**
 * xen_xs_abi() - Xen's numbers for test_xs_abi
 *
 * Return: name/value pairs, ended by a NULL name.
 */
const struct abi_val *xen_xs_abi(void)
{
	measure();
	return vals;
}

/**
 * xen_xs_strings() - Xen's string constants for test_xs_abi
 *
 * Return: name/string pairs, ended by a NULL name.
 */
const struct abi_str *xen_xs_strings(void)
{
	measure();
	return strs;
}

/**
 * xen_xs_errors() - xenstored's error table as Xen's header has it
 *
 * Return: errno/name pairs in the table's order, ended by a NULL name.
 */
const struct abi_err *xen_xs_errors(void)
{
	measure();
	return errs;
}
