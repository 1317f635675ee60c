// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the xenbus path shapes as built into the kernel: the
 * device directories and watch paths the buses see, and near misses.
 *
 * tools/testing/xen runs the same functions through many more cases and
 * a fuzzer in userspace; these check the kernel build of them.
 */
#include <kunit/test.h>
#include <linux/errno.h>

#include "xenbus.h"
#include "xenbus_path.h"

static void xp_device_len(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xenbus_path_device_len("device/vif/0/state", 2), 12);
	KUNIT_EXPECT_EQ(test, xenbus_path_device_len("device/vif/0", 2), 12);
	KUNIT_EXPECT_EQ(test, xenbus_path_device_len("device/vif", 2), 0);
	KUNIT_EXPECT_EQ(test, xenbus_path_device_len("device//0", 2), 0);
	KUNIT_EXPECT_EQ(test,
			xenbus_path_device_len("backend/vbd/3/51712/state", 3),
			19);
	KUNIT_EXPECT_EQ(test, xenbus_path_device_len("backend/vbd/3/", 3), 0);
}

static void xp_within(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xenbus_path_within("device/vif/0/state",
						   "device/vif/0"));
	KUNIT_EXPECT_TRUE(test, xenbus_path_within("device/vif/0",
						   "device/vif/0"));
	KUNIT_EXPECT_FALSE(test, xenbus_path_within("device/vif/01",
						    "device/vif/0"));
}

static void xp_front_name(struct kunit *test)
{
	char name[XEN_BUS_ID_SIZE];

	KUNIT_EXPECT_EQ(test, xenbus_path_front_name("device/vbd/51712", name,
						     sizeof(name)), 0);
	KUNIT_EXPECT_STREQ(test, name, "vbd-51712");
	KUNIT_EXPECT_EQ(test,
			xenbus_path_front_name("device/vscsi/12345678901234",
					       name, sizeof(name)), -EINVAL);
	KUNIT_EXPECT_EQ(test, xenbus_path_front_name("device/vif/0/state",
						     name, sizeof(name)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, xenbus_path_front_name("", name, sizeof(name)),
			-EINVAL);
}

static void xp_back_name(struct kunit *test)
{
	struct xenbus_back_node parts;
	char name[XEN_BUS_ID_SIZE];

	KUNIT_ASSERT_EQ(test, xenbus_path_back_split("backend/vbd/3/51712",
						     &parts), 0);
	KUNIT_EXPECT_EQ(test, xenbus_path_back_name(&parts, 3, name,
						    sizeof(name)), 0);
	KUNIT_EXPECT_STREQ(test, name, "vbd-3-51712");
	KUNIT_ASSERT_EQ(test, xenbus_path_back_split("backend/qdisk/7/51712345",
						     &parts), 0);
	KUNIT_EXPECT_EQ(test, xenbus_path_back_name(&parts, 32752, name,
						    sizeof(name)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, xenbus_path_back_split("backend/vbd/3", &parts),
			-EINVAL);
}

static struct kunit_case xenbus_path_cases[] = {
	KUNIT_CASE(xp_device_len),
	KUNIT_CASE(xp_within),
	KUNIT_CASE(xp_front_name),
	KUNIT_CASE(xp_back_name),
	{}
};

static struct kunit_suite xenbus_path_suite = {
	.name = "xen_xenbus_path",
	.test_cases = xenbus_path_cases,
};

kunit_test_suite(xenbus_path_suite);
