// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercalls through /dev/xen/privcmd, checked against what the kernel
 * reports in /sys/hypervisor.
 *
 * In an unprivileged domain the kernel only lets privcmd act on the
 * domain named by the "target" xenstore key unless it was booted with
 * xen_privcmd.unrestricted=1, so there arbitrary hypercalls are refused
 * with EPERM; the tests that need them skip in that case.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/ioctl.h>
#include <linux/types.h>

#include "xen_common.h"
#include "xs_client.h"

/*
 * The uapi <xen/privcmd.h> depends on a kernel-internal header, so the
 * few ABI definitions needed here are spelled out instead.
 */
struct privcmd_hcall {
	__u64 op;
	__u64 arg[5];
};

#define PRIVCMD_IOCTL_HYPERCALL \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hcall))

#define PRIVCMD_DEV			"/dev/xen/privcmd"
#define HYPERCALL_XEN_VERSION		17
#define XENVER_VERSION			0
#define XENVER_EXTRAVERSION		1
#define XENVER_CAPABILITIES		3
#define XENVER_EXTRAVERSION_LEN		16
#define XENVER_CAPABILITIES_LEN		1024
/* A sub-op number far outside the ones Xen implements. */
#define XENVER_BOGUS			0x7fff

FIXTURE(privcmd) {
	int fd;
	unsigned int domid;
};

FIXTURE_SETUP(privcmd)
{
	static const char *const devs[] = { PRIVCMD_DEV, XS_DEV_PATH, NULL };
	const char *why;
	int ret;

	self->fd = -1;
	why = xen_dev_setup(devs, &self->domid, &ret);
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret) {
		TH_LOG("reading own domid from xenstore: %s", strerror(-ret));
	}

	self->fd = open(PRIVCMD_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", PRIVCMD_DEV, strerror(errno));
	}
}

FIXTURE_TEARDOWN(privcmd)
{
	if (self->fd >= 0)
		close(self->fd);
}

static long xen_version_call(int fd, unsigned int cmd, void *arg)
{
	struct privcmd_hcall call = {
		.op = HYPERCALL_XEN_VERSION,
		.arg = { cmd, (uintptr_t)arg },
	};

	return ioctl(fd, PRIVCMD_IOCTL_HYPERCALL, &call);
}

TEST_F(privcmd, xen_version_matches_sysfs)
{
	unsigned long long major, minor;
	long ret;

	ret = xen_version_call(self->fd, XENVER_VERSION, NULL);
	if (ret == -1 && errno == EPERM && self->domid != 0)
		SKIP(return, "privcmd hypercalls restricted in this domU");
	ASSERT_LT(0, ret) {
		TH_LOG("xen_version hypercall: %s", strerror(errno));
	}

	ASSERT_EQ(0, xen_read_ull(XEN_SYSFS_DIR "/version/major", 10, &major));
	ASSERT_EQ(0, xen_read_ull(XEN_SYSFS_DIR "/version/minor", 10, &minor));
	EXPECT_EQ(major, (unsigned long long)(ret >> 16));
	EXPECT_EQ(minor, (unsigned long long)(ret & 0xffff));
	EXPECT_LE(4, ret >> 16);
}

/* Buffer-returning sub-ops: the hypervisor writes into our memory. */
TEST_F(privcmd, xen_version_strings_match_sysfs)
{
	char caps[XENVER_CAPABILITIES_LEN + 1];
	char extra[XENVER_EXTRAVERSION_LEN + 1];
	char sysfs[XENVER_CAPABILITIES_LEN + 1];
	long ret;

	/* Xen must not hit a fault while copying into the buffers. */
	memset(caps, 0, sizeof(caps));
	memset(extra, 0, sizeof(extra));
	mlock(caps, sizeof(caps));
	mlock(extra, sizeof(extra));

	ret = xen_version_call(self->fd, XENVER_CAPABILITIES, caps);
	if (ret == -1 && errno == EPERM && self->domid != 0)
		SKIP(return, "privcmd hypercalls restricted in this domU");
	ASSERT_EQ(0, ret) {
		TH_LOG("XENVER_capabilities: %s", strerror(errno));
	}
	ASSERT_LE(0, xen_read_text(XEN_SYSFS_DIR "/properties/capabilities",
				   sysfs, sizeof(sysfs)));
	EXPECT_STREQ(sysfs, caps);

	ret = xen_version_call(self->fd, XENVER_EXTRAVERSION, extra);
	ASSERT_EQ(0, ret) {
		TH_LOG("XENVER_extraversion: %s", strerror(errno));
	}
	ASSERT_LE(0, xen_read_text(XEN_SYSFS_DIR "/version/extra", sysfs,
				   sizeof(sysfs)));
	EXPECT_STREQ(sysfs, extra);

	munlock(caps, sizeof(caps));
	munlock(extra, sizeof(extra));
}

/*
 * An unknown sub-op must fail.  Dom0 may issue it, so Xen answers
 * ENOSYS.  Other domains get EPERM: from the kernel's privcmd
 * restriction, or from Xen's default XSM policy, which reserves unknown
 * sub-ops to privileged domains.
 */
TEST_F(privcmd, xen_version_unknown_subop)
{
	long ret;

	errno = 0;
	ret = xen_version_call(self->fd, XENVER_BOGUS, NULL);
	ASSERT_EQ(-1, ret);
	EXPECT_EQ(self->domid == 0 ? XEN_ENOSYS : EPERM, errno);
}

TEST_HARNESS_MAIN
