// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Parsing of the domain control keys.
 *
 * The values come from the toolstack (xl and libxl in dom0), which holds
 * the domain's life in its hands anyway; they are still parsed strictly,
 * because the same keys are writable by the domain's own processes
 * through /dev/xen/xenbus, and a value that matches nothing exactly is
 * ignored rather than guessed at.
 */
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <xen/xenbus_parse.h>

#include "control_parse.h"

/*
 * The requests control/shutdown carries, by the names libxl writes
 * (libxl_domain_shutdown, libxl_domain_reboot, the suspend of xl save).
 * @feature says whether the kernel advertises it as control/feature-<name>;
 * libxl never asks for "halt" and upstream never advertised it.
 */
static const struct {
	const char *name;
	enum xen_ctl_request req;
	bool feature;
} xen_ctl_requests[] = {
	{ "poweroff",	XEN_CTL_POWEROFF,	true },
	{ "halt",	XEN_CTL_HALT,		false },
	{ "reboot",	XEN_CTL_REBOOT,		true },
	{ "suspend",	XEN_CTL_SUSPEND,	true },
};

/**
 * xen_ctl_parse_shutdown() - what a value of control/shutdown asks for
 * @val: the value, NUL-terminated
 * @can_suspend: whether this kernel can suspend (HIBERNATE_CALLBACKS)
 *
 * Only an exact name counts: "reboot\n" or "Reboot" is %XEN_CTL_UNKNOWN.
 *
 * Return: the request; "suspend" is %XEN_CTL_UNKNOWN without @can_suspend.
 */
enum xen_ctl_request xen_ctl_parse_shutdown(const char *val, bool can_suspend)
{
	size_t i;

	if (!*val)
		return XEN_CTL_NONE;
	for (i = 0; i < ARRAY_SIZE(xen_ctl_requests); i++) {
		if (strcmp(val, xen_ctl_requests[i].name))
			continue;
		if (xen_ctl_requests[i].req == XEN_CTL_SUSPEND && !can_suspend)
			break;
		return xen_ctl_requests[i].req;
	}
	return XEN_CTL_UNKNOWN;
}

/**
 * xen_ctl_request_name() - the value of control/shutdown that means @req
 * @req: a request
 *
 * Return: its name, or "" for %XEN_CTL_NONE and "unknown" for the rest.
 */
const char *xen_ctl_request_name(enum xen_ctl_request req)
{
	size_t i;

	if (req == XEN_CTL_NONE)
		return "";
	for (i = 0; i < ARRAY_SIZE(xen_ctl_requests); i++)
		if (xen_ctl_requests[i].req == req)
			return xen_ctl_requests[i].name;
	return "unknown";
}

/**
 * xen_ctl_feature_key() - the control/ keys that say what the kernel handles
 * @i: an index, from 0 up
 * @can_suspend: whether this kernel can suspend
 *
 * The toolstack reads control/feature-poweroff, feature-reboot and
 * feature-suspend (each written as "1") to learn that the guest listens
 * on control/shutdown.
 *
 * Return: the @i-th key name relative to control/, or NULL past the last.
 */
const char *xen_ctl_feature_key(unsigned int i, bool can_suspend)
{
	static const char *const keys[] = {
		"feature-poweroff", "feature-reboot", "feature-suspend",
	};
	/* The last one, suspend, only where the kernel can suspend. */
	size_t n = ARRAY_SIZE(keys) - !can_suspend;

	BUILD_BUG_ON(sizeof("feature-poweroff") != XEN_CTL_FEATURE_KEY_MAX);
	return i < n ? keys[i] : NULL;
}

/**
 * xen_ctl_parse_sysrq() - the key a value of control/sysrq asks for
 * @val: the value, NUL-terminated
 * @key: where the key goes; written only when one is asked for
 *
 * xl sysrq writes exactly one character.  The empty value is the
 * kernel's own acknowledgment (or the watch firing on registration).
 *
 * Return: 1 and @key set for one character, 0 for the empty value, or
 * -EINVAL for anything longer.
 */
int xen_ctl_parse_sysrq(const char *val, char *key)
{
	if (!val[0])
		return 0;
	if (val[1])
		return -EINVAL;
	*key = val[0];
	return 1;
}

/**
 * xen_ctl_parse_availability() - the state cpu/N/availability asks for
 * @val: the value, NUL-terminated
 *
 * Return: 1 for "online", 0 for "offline", -EINVAL for anything else.
 */
int xen_ctl_parse_availability(const char *val)
{
	if (!strcmp(val, "online"))
		return 1;
	if (!strcmp(val, "offline"))
		return 0;
	return -EINVAL;
}

/**
 * xen_ctl_parse_cpu_path() - the vCPU a path under cpu/ names
 * @path: a watch event's path: "cpu/N" or "cpu/N/..." (relative, as the
 *	watch was registered)
 * @cpu: where N goes; written only on success
 *
 * N is decimal, as libxl writes it; "cpu" itself and anything that is not
 * under one vCPU's directory name no vCPU.
 *
 * Return: 0, -ENOENT if @path names no vCPU, -EINVAL or -ERANGE for a
 * malformed or too large N.
 */
int xen_ctl_parse_cpu_path(const char *path, unsigned int *cpu)
{
	char digits[XEN_CTL_CPU_DIGITS + 1];
	const char *p, *end;
	u64 n;
	int err;

	if (strncmp(path, "cpu/", 4))
		return -ENOENT;
	p = path + 4;
	end = strchr(p, '/');
	if (!end)
		end = p + strlen(p);
	if (end == p)
		return -ENOENT;
	if ((size_t)(end - p) >= sizeof(digits))
		return -ERANGE;
	memcpy(digits, p, end - p);
	digits[end - p] = '\0';
	err = xenbus_parse_uint(digits, U32_MAX, &n);
	if (err)
		return err;
	*cpu = n;
	return 0;
}
