/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The values the toolstack writes under a domain's control/ and cpu/
 * xenstore directories, and what each one asks of the kernel.  Plain C,
 * so that tools/testing/xen unit-tests and fuzzes it in userspace.
 */
#ifndef _XEN_CONTROL_PARSE_H
#define _XEN_CONTROL_PARSE_H

#include <linux/types.h>

/**
 * enum xen_ctl_request - what a value of control/shutdown asks for
 * @XEN_CTL_NONE: the empty value: nothing is asked (the node was
 *	acknowledged, or the watch fired on registration or on resume)
 * @XEN_CTL_POWEROFF: "poweroff"
 * @XEN_CTL_HALT: "halt", carried out as a poweroff (the toolstack tells
 *	the two apart only by the reason it recorded)
 * @XEN_CTL_REBOOT: "reboot"
 * @XEN_CTL_SUSPEND: "suspend", for xl save and migrate, when the kernel
 *	can suspend
 * @XEN_CTL_UNKNOWN: anything else; it is neither acknowledged nor acted on
 */
enum xen_ctl_request {
	XEN_CTL_NONE,
	XEN_CTL_POWEROFF,
	XEN_CTL_HALT,
	XEN_CTL_REBOOT,
	XEN_CTL_SUSPEND,
	XEN_CTL_UNKNOWN,
};

/* The longest key name xen_ctl_feature_key() returns, with its NUL. */
#define XEN_CTL_FEATURE_KEY_MAX	sizeof("feature-poweroff")

/* A vCPU number in a path has at most this many digits (UINT_MAX). */
#define XEN_CTL_CPU_DIGITS	10

enum xen_ctl_request xen_ctl_parse_shutdown(const char *val, bool can_suspend);
const char *xen_ctl_request_name(enum xen_ctl_request req);
const char *xen_ctl_feature_key(unsigned int i, bool can_suspend);
int xen_ctl_parse_sysrq(const char *val, char *key);
int xen_ctl_parse_availability(const char *val);
int xen_ctl_parse_cpu_path(const char *path, unsigned int *cpu);

#endif /* _XEN_CONTROL_PARSE_H */
