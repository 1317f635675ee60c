// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks of the Xen hypervisor properties the kernel exports in
 * /sys/hypervisor (CONFIG_XEN_SYS_HYPERVISOR).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xen_common.h"

#define HYP_BUF_LEN	4096

FIXTURE(hyp) {
	char buf[HYP_BUF_LEN];
};

FIXTURE_SETUP(hyp)
{
	/*
	 * Xen is detected independently of the files under test: the
	 * xenbus device exists in every Xen domain, and nowhere else.
	 */
	if (!xen_path_exists("/dev/xen/xenbus") &&
	    !xen_path_exists(XEN_SYSFS_DIR "/type"))
		SKIP(return, "not running on Xen");
}

FIXTURE_TEARDOWN(hyp)
{
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

TEST_F(hyp, type)
{
	ASSERT_EQ(3, xen_read_text(XEN_SYSFS_DIR "/type", self->buf,
				   sizeof(self->buf)));
	EXPECT_STREQ("xen", self->buf);
}

TEST_F(hyp, version)
{
	unsigned long long major, minor;
	int ret;

	ASSERT_EQ(0, xen_read_ull(XEN_SYSFS_DIR "/version/major", 10, &major));
	ASSERT_EQ(0, xen_read_ull(XEN_SYSFS_DIR "/version/minor", 10, &minor));
	EXPECT_LE(4ULL, major);

	ret = xen_read_text(XEN_SYSFS_DIR "/version/extra", self->buf,
			    sizeof(self->buf));
	EXPECT_GE(ret, 0);
	TH_LOG("Xen %llu.%llu%s", major, minor, ret >= 0 ? self->buf : "");
}

TEST_F(hyp, capabilities)
{
	char *tok, *save = NULL;
	unsigned int xen_caps = 0;
	int ret;

	ret = xen_read_text(XEN_SYSFS_DIR "/properties/capabilities",
			    self->buf, sizeof(self->buf));
	ASSERT_GT(ret, 0);
	EXPECT_NE(NULL, strstr(self->buf, "xen-3.0-"));

	/* Every entry has the form "<kind>-3.0-<arch>". */
	for (tok = strtok_r(self->buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *ver = strstr(tok, "-3.0-");

		EXPECT_NE(NULL, ver) {
			TH_LOG("bad capability entry '%s'", tok);
		}
		if (!ver)
			continue;
		EXPECT_GT(ver - tok, 0);
		EXPECT_NE('\0', ver[5]);
		if (!strncmp(tok, "xen-", 4))
			xen_caps++;
	}
	EXPECT_LT(0U, xen_caps);
}

TEST_F(hyp, uuid)
{
	int i;

	ASSERT_EQ(36, xen_read_text(XEN_SYSFS_DIR "/uuid", self->buf,
				    sizeof(self->buf)));

	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = self->buf[i];

		EXPECT_TRUE(dash ? c == '-' : isxdigit((unsigned char)c)) {
			TH_LOG("bad character '%c' at %d in %s", c, i,
			       self->buf);
		}
	}
}

TEST_F(hyp, compilation)
{
	static const char * const names[] = {
		"compiler", "compiled_by", "compile_date",
	};
	char path[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		int ret;

		ASSERT_EQ(0, xen_fmt(path, sizeof(path),
				     XEN_SYSFS_DIR "/compilation/%s", names[i]));
		ret = xen_read_text(path, self->buf, sizeof(self->buf));
		EXPECT_GE(ret, 0) {
			TH_LOG("reading %s: %s", path, strerror(-ret));
		}
	}

	/* Whoever built Xen, a compiler and a date are always known. */
	EXPECT_GT(xen_read_text(XEN_SYSFS_DIR "/compilation/compiler",
				self->buf, sizeof(self->buf)), 0);
	EXPECT_GT(xen_read_text(XEN_SYSFS_DIR "/compilation/compile_date",
				self->buf, sizeof(self->buf)), 0);
}

TEST_F(hyp, properties)
{
	unsigned long long pagesize;
	int ret;

	/* Readable, but empty when Xen was built outside a repository. */
	ret = xen_read_text(XEN_SYSFS_DIR "/properties/changeset", self->buf,
			    sizeof(self->buf));
	EXPECT_GE(ret, 0);

	/* The page size is printed in hex and is a power of two >= 4 KiB. */
	ASSERT_EQ(0, xen_read_ull(XEN_SYSFS_DIR "/properties/pagesize", 16,
				  &pagesize));
	EXPECT_LE(0x1000ULL, pagesize);
	EXPECT_EQ(0ULL, pagesize & (pagesize - 1));

	/* Feature submaps: one run of 8 hex digits per submap. */
	ret = xen_read_text(XEN_SYSFS_DIR "/properties/features", self->buf,
			    sizeof(self->buf));
	ASSERT_GT(ret, 0);
	EXPECT_EQ(0, ret % 8);
	EXPECT_TRUE(all_hex(self->buf));
}

/*
 * Entries Xen may legitimately refuse to a guest (build id restricted by
 * XSM or not built in, platform parameters): whenever they exist they
 * must either read fine or fail with a "not allowed / not available"
 * error, never with anything else.
 */
TEST_F(hyp, optional_entries)
{
	static const char * const names[] = {
		"properties/buildid", "properties/virtual_start",
	};
	char path[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		int ret;

		ASSERT_EQ(0, xen_fmt(path, sizeof(path), XEN_SYSFS_DIR "/%s",
				     names[i]));
		if (!xen_path_exists(path))
			continue;

		ret = xen_read_text(path, self->buf, sizeof(self->buf));
		if (ret >= 0)
			continue;
		EXPECT_TRUE(ret == -EPERM || ret == -EACCES ||
			    ret == -ENODATA || ret == -EINVAL ||
			    ret == -XEN_ENOSYS || ret == -EOPNOTSUPP) {
			TH_LOG("reading %s: %s", path, strerror(-ret));
		}
	}
}

TEST_F(hyp, guest_type)
{
	ASSERT_GT(xen_read_text(XEN_SYSFS_DIR "/guest_type", self->buf,
				sizeof(self->buf)), 0);
	EXPECT_TRUE(!strcmp(self->buf, "PV") || !strcmp(self->buf, "PVH") ||
		    !strcmp(self->buf, "HVM") || !strcmp(self->buf, "Xen")) {
		TH_LOG("unexpected guest type '%s'", self->buf);
	}
}

/*
 * start_flags/ has a file for each of the 32 bits of the domain's start
 * flags: "privileged" and "initdomain" for bits 0 and 1, "unknownNN" for
 * the others, each "0" or "1".  The initial domain is privileged, and
 * only it may have pmu/.
 */
TEST_F(hyp, start_flags)
{
	unsigned long long val[32];
	unsigned int bit, entries = 0;
	char path[128];
	struct dirent *de;
	DIR *dir;

	for (bit = 0; bit < 32; bit++) {
		char name[16];

		ASSERT_EQ(0, xen_fmt(name, sizeof(name), "unknown%02u", bit));
		ASSERT_EQ(0, xen_fmt(path, sizeof(path), XEN_SYSFS_DIR
				     "/start_flags/%s", bit == 0 ? "privileged" :
				     bit == 1 ? "initdomain" : name));
		ASSERT_EQ(0, xen_read_ull(path, 10, &val[bit])) {
			TH_LOG("reading %s", path);
		}
		EXPECT_GE(1ULL, val[bit]) {
			TH_LOG("%s is %llu", path, val[bit]);
		}
	}
	dir = opendir(XEN_SYSFS_DIR "/start_flags");
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.')
			entries++;
	closedir(dir);
	EXPECT_EQ(32U, entries);
	if (val[1])
		EXPECT_EQ(1ULL, val[0]);
	/* (Not every dom0 has pmu/: only with CONFIG_XEN_HAVE_VPMU.) */
	if (xen_path_exists(XEN_SYSFS_DIR "/pmu"))
		EXPECT_EQ(1ULL, val[1]);
}

/* dom0's pmu/: the mode by name, the features as a hex number. */
TEST_F(hyp, pmu)
{
	unsigned long long features;
	int ret;

	if (!xen_path_exists(XEN_SYSFS_DIR "/pmu"))
		SKIP(return, "no pmu/ (not the initial domain)");
	ret = xen_read_text(XEN_SYSFS_DIR "/pmu/pmu_mode", self->buf,
			    sizeof(self->buf));
	if (ret == -XEN_ENOSYS || ret == -EOPNOTSUPP)
		SKIP(return, "Xen has no virtual PMU");
	ASSERT_GT(ret, 0);
	EXPECT_TRUE(!strcmp(self->buf, "off") || !strcmp(self->buf, "self") ||
		    !strcmp(self->buf, "hv") || !strcmp(self->buf, "all")) {
		TH_LOG("unexpected pmu_mode '%s'", self->buf);
	}
	ret = xen_read_text(XEN_SYSFS_DIR "/pmu/pmu_features", self->buf,
			    sizeof(self->buf));
	ASSERT_GT(ret, 2);
	EXPECT_EQ(0, strncmp(self->buf, "0x", 2));
	EXPECT_EQ(0, xen_parse_ull(self->buf + 2, 16, &features));
}

TEST_HARNESS_MAIN
