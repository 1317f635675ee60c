// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/xen/xenbus_backend, through which dom0's toolstack hands its
 * xenstore ring to a xenstore stub domain: the device is dom0's alone and
 * root's alone (CAP_SYS_ADMIN at open, ioctl and mmap), reports the
 * ring's event channel, maps the ring page (one page at offset 0), and
 * once xenstore answers refuses to hand the ring over (EEXIST) whatever
 * the domain asked for.  No test here moves the ring: SETUP is only
 * called while xenstore answers, when it must fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/capability.h>

#include "xen_common.h"
#include "xs_client.h"

#define BACKEND_DEV		"/dev/xen/xenbus_backend"
/* The misc device's name, "xen/xenbus_backend", as sysfs spells it. */
#define BACKEND_SYSFS		"/sys/class/misc/xen!xenbus_backend"
#define MISC_MAJOR_NR		10U

/* include/xen/xenbus_dev.h, which is not uapi: the numbers themselves. */
#define BACKEND_EVTCHN		_IOC(_IOC_NONE, 'B', 0, 0)
#define BACKEND_SETUP		_IOC(_IOC_NONE, 'B', 1, 0)

/* struct xenstore_domain_interface: 1 KiB rings, then the indexes. */
#define XS_RING_SIZE		1024U
/* The most event channels any Xen ABI has (FIFO: 2^17). */
#define XEN_MAX_EVTCHNS		131072U
/* A domain id below the reserved ones that no test system has. */
#define UNUSED_DOMID		((unsigned long)XEN_DOMID_FIRST_RESERVED - 1)

FIXTURE(backend) {
	int fd;
	unsigned int domid;
	long page;
};

FIXTURE_SETUP(backend)
{
	static const char *const devs[] = { BACKEND_DEV, XS_DEV_PATH, NULL };
	const char *why;
	int ret;

	self->fd = -1;
	self->page = sysconf(_SC_PAGESIZE);
	why = xen_dev_setup(devs, &self->domid, &ret);
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret) {
		TH_LOG("reading own domid from xenstore: %s", strerror(-ret));
	}
	self->fd = open(BACKEND_DEV, O_RDWR | O_CLOEXEC);
	if (self->fd < 0 && errno == EPERM)
		SKIP(return, "opening %s needs CAP_SYS_ADMIN", BACKEND_DEV);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", BACKEND_DEV, strerror(errno));
	}
}

FIXTURE_TEARDOWN(backend)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* The device is the initial domain's (xenstore says its id is 0). */
TEST_F(backend, dom0_only)
{
	EXPECT_EQ(0U, self->domid);
}

/* A misc device (major 10); the node allows nobody but its owner. */
TEST_F(backend, node)
{
	unsigned int major, minor;
	char text[32];
	struct stat st;
	int n;

	ASSERT_LT(0, xen_read_text(BACKEND_SYSFS "/dev", text, sizeof(text)));
	n = sscanf(text, "%u:%u", &major, &minor);
	ASSERT_EQ(2, n) {
		TH_LOG("%s/dev reads '%s'", BACKEND_SYSFS, text);
	}
	EXPECT_EQ(MISC_MAJOR_NR, major);
	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(major, major(st.st_rdev));
	EXPECT_EQ(minor, minor(st.st_rdev));
	EXPECT_EQ(0U, st.st_mode & 077) {
		TH_LOG("%s has mode %o", BACKEND_DEV, st.st_mode & 07777);
	}
}

/* The ring's event channel: a port that exists, the same each time. */
TEST_F(backend, evtchn)
{
	int port;

	port = ioctl(self->fd, BACKEND_EVTCHN);
	ASSERT_LT(0, port) {
		TH_LOG("IOCTL_XENBUS_BACKEND_EVTCHN: %s", strerror(errno));
	}
	EXPECT_GT((int)XEN_MAX_EVTCHNS, port);
	/* The argument means nothing to this ioctl. */
	EXPECT_EQ(port, ioctl(self->fd, BACKEND_EVTCHN, ULONG_MAX));
}

/*
 * Once xenstore answers (the fixture asked it), SETUP is refused with
 * EEXIST for any argument, a usable domain id or not, and the ring stays
 * where it was: same event channel, xenstore still answering.  The first
 * call names a domain that does not exist, so that even a kernel that
 * went ahead would change nothing (Xen refuses the channel); only once
 * that is refused come the ids that could name dom0 itself.
 */
TEST_F(backend, setup_refused_once_up)
{
	static const unsigned long args[] = {
		XEN_DOMID_FIRST_RESERVED, 0x10000, ULONG_MAX,
	};
	unsigned int i, domid;
	int port;

	port = ioctl(self->fd, BACKEND_EVTCHN);
	ASSERT_LT(0, port);
	errno = 0;
	ASSERT_EQ(-1, ioctl(self->fd, BACKEND_SETUP, UNUSED_DOMID));
	ASSERT_EQ(EEXIST, errno) {
		TH_LOG("SETUP(%#lx): %s", UNUSED_DOMID, strerror(errno));
	}
	for (i = 0; i < ARRAY_SIZE(args); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, BACKEND_SETUP, args[i]));
		EXPECT_EQ(EEXIST, errno) {
			TH_LOG("SETUP(%#lx): %s", args[i], strerror(errno));
		}
	}
	EXPECT_EQ(port, ioctl(self->fd, BACKEND_EVTCHN));
	ASSERT_EQ(0, xen_own_domid(&domid));
	EXPECT_EQ(self->domid, domid);
}

/* Any other command, even one that differs only in size or direction. */
TEST_F(backend, unknown_ioctl)
{
	static const unsigned long cmds[] = {
		_IOC(_IOC_NONE, 'B', 2, 0),
		_IOC(_IOC_WRITE, 'B', 0, sizeof(int)),
		_IOC(_IOC_READ, 'B', 1, sizeof(int)),
		_IOC(_IOC_NONE, 'P', 0, 0),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], 0UL));
		EXPECT_EQ(ENOTTY, errno) {
			TH_LOG("cmd %#lx: %s", cmds[i], strerror(errno));
		}
	}
}

/* Neither read, written nor seeked. */
TEST_F(backend, no_io)
{
	char c = 0;

	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, read(self->fd, &c, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fd, &c, 1));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * The ring page maps whole, from offset 0, and nothing else does; its
 * indexes are those of a ring in use.
 */
TEST_F(backend, mmap)
{
	unsigned int idx[4];	/* req_cons, req_prod, rsp_cons, rsp_prod */
	char *ring;

	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * self->page, PROT_READ,
				   MAP_SHARED, self->fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, self->page, PROT_READ, MAP_SHARED,
				   self->fd, self->page));
	EXPECT_EQ(EINVAL, errno);
	ring = mmap(NULL, self->page, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, ring) {
		TH_LOG("mmap of the ring page: %s", strerror(errno));
	}
	memcpy(idx, ring + 2 * XS_RING_SIZE, sizeof(idx));
	munmap(ring, self->page);
	EXPECT_GE(XS_RING_SIZE, idx[1] - idx[0]);
	EXPECT_GE(XS_RING_SIZE, idx[3] - idx[2]);
}

/* Drop CAP_SYS_ADMIN from this test's effective set; 0 or -errno. */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &=
		~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	return data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
	       CAP_TO_MASK(CAP_SYS_ADMIN) ? -EPERM : 0;
}

/*
 * Without CAP_SYS_ADMIN, even a file opened with it does nothing: every
 * ioctl (known or not) and mmap fail with EPERM, as does a new open.
 * Each test runs in a process of its own, so the capability is lost for
 * this one only.
 */
TEST_F(backend, needs_sys_admin)
{
	ASSERT_EQ(0, drop_sys_admin());

	errno = 0;
	EXPECT_EQ(-1, open(BACKEND_DEV, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(EPERM, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, BACKEND_EVTCHN));
	EXPECT_EQ(EPERM, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, BACKEND_SETUP, UNUSED_DOMID));
	EXPECT_EQ(EPERM, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IOC(_IOC_NONE, 'B', 2, 0)));
	EXPECT_EQ(EPERM, errno);
	errno = 0;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, self->page, PROT_READ, MAP_SHARED,
				   self->fd, 0));
	EXPECT_EQ(EPERM, errno);
}

/* Another domain's view: the fixture above skips there. */
FIXTURE(domu) {
	unsigned long long initdomain;
};

FIXTURE_SETUP(domu)
{
	if (!xen_is_running())
		SKIP(return, "not running on Xen");
	if (xen_read_ull(XEN_SYSFS_DIR "/start_flags/initdomain", 10,
			 &self->initdomain))
		SKIP(return, "no %s/start_flags/initdomain", XEN_SYSFS_DIR);
	if (self->initdomain)
		SKIP(return, "this is the initial domain");
}

FIXTURE_TEARDOWN(domu)
{
}

/* Outside the initial domain there is no such device. */
TEST_F(domu, no_device)
{
	EXPECT_FALSE(xen_path_exists(BACKEND_SYSFS));
	EXPECT_FALSE(xen_path_exists(BACKEND_DEV));
}

TEST_HARNESS_MAIN
