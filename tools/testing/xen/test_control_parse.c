// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/xen/control/control_parse.c: the values libxl
 * writes under control/ and cpu/, and the near misses that must not count.
 */
#include <errno.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/xen/control/control_parse.h"
#include "tap.h"

static void test_shutdown(void)
{
	static const struct {
		const char *val;
		bool can_suspend;
		enum xen_ctl_request want;
	} cases[] = {
		{ "", true, XEN_CTL_NONE },
		{ "poweroff", true, XEN_CTL_POWEROFF },
		{ "halt", true, XEN_CTL_HALT },
		{ "reboot", true, XEN_CTL_REBOOT },
		{ "suspend", true, XEN_CTL_SUSPEND },
		{ "suspend", false, XEN_CTL_UNKNOWN },
		{ "poweroff", false, XEN_CTL_POWEROFF },
		{ "reboot\n", true, XEN_CTL_UNKNOWN },
		{ "Reboot", true, XEN_CTL_UNKNOWN },
		{ " poweroff", true, XEN_CTL_UNKNOWN },
		{ "power", true, XEN_CTL_UNKNOWN },
		{ "poweroffx", true, XEN_CTL_UNKNOWN },
		{ "crash", true, XEN_CTL_UNKNOWN },
		{ "s3", true, XEN_CTL_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *note = " (cannot suspend)";

		if (cases[i].can_suspend)
			note = "";
		ok_eq(xen_ctl_parse_shutdown(cases[i].val, cases[i].can_suspend),
		      cases[i].want, "shutdown \"%s\"%s", cases[i].val, note);
	}
	/* Every name parses back to its request. */
	for (i = XEN_CTL_POWEROFF; i <= XEN_CTL_SUSPEND; i++)
		ok_eq(xen_ctl_parse_shutdown(xen_ctl_request_name(i), true), i,
		      "the name of request %zu parses back", i);
	ok(!strcmp(xen_ctl_request_name(XEN_CTL_NONE), ""), "no request: \"\"");
	ok(!strcmp(xen_ctl_request_name(XEN_CTL_UNKNOWN), "unknown"),
	   "unknown request: \"unknown\"");
}

static void test_features(void)
{
	static const char *const want[] = {
		"feature-poweroff", "feature-reboot", "feature-suspend",
	};
	const char *k;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		k = xen_ctl_feature_key(i, true);
		ok(k && !strcmp(k, want[i]), "feature key %u is %s", i, want[i]);
		ok(k && strlen(k) < XEN_CTL_FEATURE_KEY_MAX,
		   "feature key %u fits XEN_CTL_FEATURE_KEY_MAX", i);
	}
	ok(!xen_ctl_feature_key(3, true), "three feature keys with suspend");
	ok(!xen_ctl_feature_key(2, false), "two without suspend");
	ok(xen_ctl_feature_key(1, false) &&
	   !strcmp(xen_ctl_feature_key(1, false), "feature-reboot"),
	   "feature-reboot without suspend");
	ok(!xen_ctl_feature_key(~0u, true), "a huge index is past the end");
}

static void test_sysrq(void)
{
	char key = 'x';

	ok_eq(xen_ctl_parse_sysrq("", &key), 0, "sysrq \"\": nothing");
	ok_eq(key, 'x', "sysrq \"\" leaves the key alone");
	ok_eq(xen_ctl_parse_sysrq("h", &key), 1, "sysrq \"h\"");
	ok_eq(key, 'h', "sysrq \"h\" is h");
	key = 'x';
	ok_eq(xen_ctl_parse_sysrq("hb", &key), -EINVAL, "sysrq \"hb\" refused");
	ok_eq(key, 'x', "a refused sysrq leaves the key alone");
	ok_eq(xen_ctl_parse_sysrq("h\n", &key), -EINVAL,
	      "sysrq with a newline refused");
	ok_eq(xen_ctl_parse_sysrq("\xff", &key), 1, "any single byte is a key");
	ok_eq((unsigned char)key, 0xff, "the byte is kept");
}

static void test_availability(void)
{
	ok_eq(xen_ctl_parse_availability("online"), 1, "online");
	ok_eq(xen_ctl_parse_availability("offline"), 0, "offline");
	ok_eq(xen_ctl_parse_availability(""), -EINVAL, "empty");
	ok_eq(xen_ctl_parse_availability("online\n"), -EINVAL, "online\\n");
	ok_eq(xen_ctl_parse_availability("Online"), -EINVAL, "Online");
	ok_eq(xen_ctl_parse_availability("on"), -EINVAL, "on");
	ok_eq(xen_ctl_parse_availability("1"), -EINVAL, "1");
}

static void test_cpu_path(void)
{
	static const struct {
		const char *path;
		int ret;
		unsigned int cpu;
	} cases[] = {
		{ "cpu/0/availability", 0, 0 },
		{ "cpu/3", 0, 3 },
		{ "cpu/17/availability", 0, 17 },
		{ "cpu/4294967295/availability", 0, 4294967295u },
		{ "cpu/4294967296/availability", -ERANGE, 0 },
		{ "cpu/99999999999/availability", -ERANGE, 0 },
		{ "cpu/007", 0, 7 },
		{ "cpu", -ENOENT, 0 },
		{ "cpu/", -ENOENT, 0 },
		{ "cpu//availability", -ENOENT, 0 },
		{ "cpux/1", -ENOENT, 0 },
		{ "control/shutdown", -ENOENT, 0 },
		{ "/local/domain/1/cpu/1", -ENOENT, 0 },
		{ "cpu/-1/availability", -EINVAL, 0 },
		{ "cpu/+1", -EINVAL, 0 },
		{ "cpu/1a/availability", -EINVAL, 0 },
		{ "cpu/ 1", -EINVAL, 0 },
		{ "cpu/0x1", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int cpu = 12345, want = cases[i].cpu;
		int ret = xen_ctl_parse_cpu_path(cases[i].path, &cpu);
		const char *note = "";

		if (cases[i].ret) {
			want = 12345;
			note = " (left alone)";
		}
		ok_eq(ret, cases[i].ret, "cpu path \"%s\"", cases[i].path);
		ok_eq(cpu, want, "cpu path \"%s\": vCPU %u%s", cases[i].path,
		      want, note);
	}
}

int main(void)
{
	tap_start();
	test_shutdown();
	test_features();
	test_sysrq();
	test_availability();
	test_cpu_path();
	return tap_done();
}
