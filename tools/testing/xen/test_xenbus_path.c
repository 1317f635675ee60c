// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/xen/xenbus/xenbus_path.h: which device a path
 * under a bus's root belongs to, and the names the frontend and backend
 * buses give device directories, for the paths xenstore gives and for
 * the malformed ones it must not.
 */
#include <errno.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/xen/xenbus/xenbus_path.h"
#include "tap.h"

/* The driver core's limit for the buses' device names (xenbus.h). */
#define BUS_ID_SIZE 20

static void test_device_len(void)
{
	static const struct {
		const char *path;
		unsigned int slashes;
		size_t want;
	} cases[] = {
		{ "device/vif/0/state", 2, 12 },
		{ "device/vif/0", 2, 12 },
		{ "device/vif", 2, 0 },
		{ "device", 2, 0 },
		{ "", 2, 0 },
		{ "device/vif/", 2, 0 },
		{ "device//0", 2, 0 },
		{ "/device/vif/0", 2, 0 },
		{ "backend/vbd/3/51712/state", 3, 19 },
		{ "backend/vbd/3/51712", 3, 19 },
		{ "backend/vbd/3", 3, 0 },
		{ "backend/vbd/3/", 3, 0 },
		{ "backend/vbd//51712", 3, 0 },
		{ "device/vif/0", 0, 6 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		ok(xenbus_path_device_len(cases[i].path, cases[i].slashes) ==
		   cases[i].want, "device part of \"%s\" (%u slashes) is %zu",
		   cases[i].path, cases[i].slashes, cases[i].want);
}

static void test_within(void)
{
	ok(xenbus_path_within("device/vif/0", "device/vif/0"), "a path is within itself");
	ok(xenbus_path_within("device/vif/0/state", "device/vif/0"), "a child is within");
	ok(!xenbus_path_within("device/vif/01", "device/vif/0"), "a longer sibling is not");
	ok(!xenbus_path_within("device/vif", "device/vif/0"), "a parent is not");
	ok(!xenbus_path_within("backend/vbd/1/51712", "backend/vbd/1/5"),
	   "a prefix of a component is not");
}

static void test_type(void)
{
	size_t len = 0;
	const char *t;

	t = xenbus_path_type("backend/vbd/3/51712", &len);
	ok(t && len == 3 && !strncmp(t, "vbd", 3), "type of a backend path");
	t = xenbus_path_type("device/vif", &len);
	ok(t && len == 3 && !strncmp(t, "vif", 3), "type of device/vif");
	ok(!xenbus_path_type("device", &len), "no type without a slash");
	ok(!xenbus_path_type("device//0", &len), "no type when it is empty");
}

static void test_front_name(void)
{
	static const struct {
		const char *node;
		int err;
		const char *name;
	} cases[] = {
		{ "device/vbd/51712", 0, "vbd-51712" },
		{ "device/vif/0", 0, "vif-0" },
		{ "device/console/1", 0, "console-1" },
		{ "device/vscsi/1234567890123", 0, "vscsi-1234567890123" }, /* 19 */
		{ "device/vscsi/12345678901234", -EINVAL, NULL },	/* 20 */
		{ "device/vif", -EINVAL, NULL },
		{ "device/vif/", -EINVAL, NULL },
		{ "device/vif/0/state", -EINVAL, NULL },
		{ "device//0", -EINVAL, NULL },
		{ "", -EINVAL, NULL },
	};
	char name[BUS_ID_SIZE];
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(name, 'x', sizeof(name));
		err = xenbus_path_front_name(cases[i].node, name, sizeof(name));
		if (cases[i].name)
			ok(!err && !strcmp(name, cases[i].name),
			   "front name of \"%s\" is \"%s\"", cases[i].node, cases[i].name);
		else
			ok(err == cases[i].err, "front name of \"%s\" is refused",
			   cases[i].node);
	}
}

static void test_back_name(void)
{
	static const struct {
		const char *node;
		unsigned int domid;
		int err;
		const char *name;
	} cases[] = {
		{ "backend/vbd/3/51712", 3, 0, "vbd-3-51712" },
		{ "backend/vif/12/0", 12, 0, "vif-12-0" },
		{ "backend/vbd/0/0", 0, 0, "vbd-0-0" },
		{ "backend/vbd/7/51712", 32752, 0, "vbd-32752-51712" },	/* 15 */
		{ "backend/vbd/7/5171234", 32752, 0, "vbd-32752-5171234" },
		{ "backend/qdisk/7/51712345", 32752, -ENOSPC, NULL },	/* 20 */
		{ "backend/vbd/3", 3, -EINVAL, NULL },
		{ "backend/vbd/3/", 3, -EINVAL, NULL },
		{ "backend/vbd/3/51712/state", 3, -EINVAL, NULL },
		{ "backend//3/51712", 3, -EINVAL, NULL },
	};
	struct xenbus_back_node parts;
	char name[BUS_ID_SIZE];
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(name, 'x', sizeof(name));
		err = xenbus_path_back_split(cases[i].node, &parts);
		if (!err)
			err = xenbus_path_back_name(&parts, cases[i].domid, name,
						    sizeof(name));
		if (cases[i].name)
			ok(!err && !strcmp(name, cases[i].name),
			   "back name of \"%s\" (frontend %u) is \"%s\"",
			   cases[i].node, cases[i].domid, cases[i].name);
		else
			ok(err == cases[i].err, "back name of \"%s\" is refused (%d)",
			   cases[i].node, cases[i].err);
	}
	/* The largest domain id a frontend can have, and a tiny buffer. */
	xenbus_path_back_split("backend/v/1/2", &parts);
	ok(!xenbus_path_back_name(&parts, 4294967295u, name, sizeof(name)) &&
	   !strcmp(name, "v-4294967295-2"), "all ten digits of a domain id");
	name[0] = 'x';
	ok(xenbus_path_back_name(&parts, 1, name, 1) == -ENOSPC && !name[0],
	   "a one-byte buffer holds no name, only its end");
}

int main(void)
{
	test_device_len();
	test_within();
	test_type();
	test_front_name();
	test_back_name();
	return tap_done();
}
