// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the domain control parser as built into the kernel: the
 * values libxl writes under control/ and cpu/, and near misses of them.
 *
 * tools/testing/xen runs the same parser through many more cases and a
 * fuzzer in userspace; these check the kernel build of it.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "control_parse.h"

static void xc_shutdown(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_shutdown("", true), XEN_CTL_NONE);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_shutdown("poweroff", true),
			XEN_CTL_POWEROFF);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_shutdown("halt", true),
			XEN_CTL_HALT);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_shutdown("reboot", true),
			XEN_CTL_REBOOT);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_shutdown("suspend", true),
			XEN_CTL_SUSPEND);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_shutdown("suspend", false),
			XEN_CTL_UNKNOWN);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_shutdown("reboot\n", true),
			XEN_CTL_UNKNOWN);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_shutdown("power", true),
			XEN_CTL_UNKNOWN);
	KUNIT_EXPECT_STREQ(test, xen_ctl_request_name(XEN_CTL_REBOOT),
			   "reboot");
}

static void xc_features(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, xen_ctl_feature_key(0, true),
			   "feature-poweroff");
	KUNIT_EXPECT_STREQ(test, xen_ctl_feature_key(1, true),
			   "feature-reboot");
	KUNIT_EXPECT_STREQ(test, xen_ctl_feature_key(2, true),
			   "feature-suspend");
	KUNIT_EXPECT_NULL(test, xen_ctl_feature_key(3, true));
	KUNIT_EXPECT_NULL(test, xen_ctl_feature_key(2, false));
}

static void xc_sysrq_availability(struct kunit *test)
{
	char key = 'x';

	KUNIT_EXPECT_EQ(test, xen_ctl_parse_sysrq("", &key), 0);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_sysrq("hb", &key), -EINVAL);
	KUNIT_EXPECT_EQ(test, key, 'x');
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_sysrq("h", &key), 1);
	KUNIT_EXPECT_EQ(test, key, 'h');
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_availability("online"), 1);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_availability("offline"), 0);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_availability("on"), -EINVAL);
}

static void xc_cpu_path(struct kunit *test)
{
	unsigned int cpu = 99;

	KUNIT_EXPECT_EQ(test, xen_ctl_parse_cpu_path("cpu", &cpu), -ENOENT);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_cpu_path("cpu/x1", &cpu), -EINVAL);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_cpu_path("cpu/4294967296", &cpu),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, cpu, 99U);
	KUNIT_EXPECT_EQ(test, xen_ctl_parse_cpu_path("cpu/1/availability",
						     &cpu), 0);
	KUNIT_EXPECT_EQ(test, cpu, 1U);
}

static struct kunit_case xc_cases[] = {
	KUNIT_CASE(xc_shutdown),
	KUNIT_CASE(xc_features),
	KUNIT_CASE(xc_sysrq_availability),
	KUNIT_CASE(xc_cpu_path),
	{}
};

static struct kunit_suite xc_suite = {
	.name = "xen_control_parse",
	.test_cases = xc_cases,
};

kunit_test_suite(xc_suite);
