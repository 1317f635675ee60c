// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenfs, the filesystem the toolstack mounts on /proc/xen: its files and
 * their modes, capabilities, and in dom0 the xenstore ring and event
 * channel that xsd_kva and xsd_port hand to a xenstored, and xensyms.
 * Each test mounts its own instance over /tmp in a mount namespace of its
 * own, so that it writes nothing to the root filesystem and leaves no
 * mount behind if it dies.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xen_common.h"

/* /dev/xen/xenbus_backend's ioctl: the store's event channel (dom0). */
#define XENFS_BACKEND_EVTCHN	_IOC(_IOC_NONE, 'B', 0, 0)
#define XENFS_RING_SIZE		1024U
#define XENFS_PAGE		4096

FIXTURE(xenfs) {
	char dir[64];
	char buf[4096];
	bool mounted;
	bool dom0;
};

FIXTURE_SETUP(xenfs)
{
	unsigned long long initdomain = 0;
	struct stat st;

	if (!xen_is_running())
		SKIP(return, "not running on Xen");
	ASSERT_EQ(0, xen_fmt(self->dir, sizeof(self->dir), "%s", "/tmp"));
	if (stat(self->dir, &st) || !S_ISDIR(st.st_mode))
		SKIP(return, "no %s to mount on", self->dir);
	if (unshare(CLONE_NEWNS)) {
		if (errno == EPERM)
			SKIP(return, "cannot mount xenfs (not root)");
		ASSERT_EQ(0, errno);
	}
	/* Nothing this test mounts propagates back to the system's view. */
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		TH_LOG("making / private: %s", strerror(errno));
	}
	if (mount("xenfs", self->dir, "xenfs", 0, NULL)) {
		if (errno == ENODEV)
			SKIP(return, "no xenfs in this kernel");
		ASSERT_EQ(0, errno) {
			TH_LOG("mounting xenfs on %s: %s", self->dir,
			       strerror(errno));
		}
	}
	self->mounted = true;
	xen_read_ull(XEN_SYSFS_DIR "/start_flags/initdomain", 10, &initdomain);
	self->dom0 = initdomain == 1;
}

FIXTURE_TEARDOWN(xenfs)
{
	if (self->mounted)
		umount(self->dir);
}

/* The mode of NAME in the mount, or -1 if it is not there. */
static int xenfs_mode(const char *dir, const char *name)
{
	char path[128];
	struct stat st;

	if (xen_fmt(path, sizeof(path), "%s/%s", dir, name) ||
	    stat(path, &st))
		return -1;
	return st.st_mode & 07777;
}

TEST_F(xenfs, files)
{
	EXPECT_EQ(0600, xenfs_mode(self->dir, "xenbus"));
	EXPECT_EQ(0444, xenfs_mode(self->dir, "capabilities"));
	EXPECT_EQ(0600, xenfs_mode(self->dir, "privcmd"));
	if (self->dom0) {
		EXPECT_EQ(0600, xenfs_mode(self->dir, "xsd_kva"));
		EXPECT_EQ(0600, xenfs_mode(self->dir, "xsd_port"));
		/* Only with CONFIG_XEN_SYMS, but then read-only for root. */
		if (xenfs_mode(self->dir, "xensyms") != -1)
			EXPECT_EQ(0400, xenfs_mode(self->dir, "xensyms"));
	} else {
		EXPECT_EQ(-1, xenfs_mode(self->dir, "xsd_kva"));
		EXPECT_EQ(-1, xenfs_mode(self->dir, "xsd_port"));
		EXPECT_EQ(-1, xenfs_mode(self->dir, "xensyms"));
	}
}

/* The whole of a file of the mount into buf; its length, or -errno. */
static int xenfs_read(const char *dir, const char *name, char *buf,
		      size_t size)
{
	char path[128];

	if (xen_fmt(path, sizeof(path), "%s/%s", dir, name))
		return -ENAMETOOLONG;
	return xen_read_raw(path, buf, size);
}

TEST_F(xenfs, capabilities)
{
	ASSERT_LE(0, xenfs_read(self->dir, "capabilities", self->buf,
				sizeof(self->buf)));
	EXPECT_STREQ(self->dom0 ? "control_d\n" : "", self->buf);
}

/* xsd_port names the event channel the backend device reports. */
TEST_F(xenfs, xsd_port)
{
	unsigned long long port;
	int fd, ret;

	if (!self->dom0)
		SKIP(return, "not dom0");
	ASSERT_LT(0, xenfs_read(self->dir, "xsd_port", self->buf,
				sizeof(self->buf)));
	ASSERT_EQ(0, xen_parse_ull(self->buf, 10, &port)) {
		TH_LOG("xsd_port reads '%s'", self->buf);
	}
	fd = open("/dev/xen/xenbus_backend", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "no /dev/xen/xenbus_backend: %s", strerror(errno));
	ret = ioctl(fd, XENFS_BACKEND_EVTCHN);
	close(fd);
	EXPECT_EQ((int)port, ret);
}

/*
 * xsd_kva reads "0x" and a (hashed) address, and maps the ring page: one
 * page from offset 0, and nothing else.  Its indexes are those of a ring
 * in use.
 */
TEST_F(xenfs, xsd_kva)
{
	unsigned int req_cons, req_prod, rsp_cons, rsp_prod;
	char path[128];
	char *ring;
	int fd, i;

	if (!self->dom0)
		SKIP(return, "not dom0");
	ASSERT_LT(2, xenfs_read(self->dir, "xsd_kva", self->buf,
				sizeof(self->buf)));
	EXPECT_EQ(0, strncmp(self->buf, "0x", 2));
	for (i = 2; self->buf[i]; i++)
		EXPECT_TRUE(isxdigit((unsigned char)self->buf[i])) {
			TH_LOG("xsd_kva reads '%s'", self->buf);
		}
	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/xsd_kva", self->dir));
	fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * XENFS_PAGE, PROT_READ, MAP_SHARED,
				   fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, XENFS_PAGE, PROT_READ, MAP_SHARED,
				   fd, XENFS_PAGE));
	EXPECT_EQ(EINVAL, errno);
	ring = mmap(NULL, XENFS_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, ring);
	/* struct xenstore_domain_interface: the indexes after both rings. */
	memcpy(&req_cons, ring + 2 * XENFS_RING_SIZE, 4);
	memcpy(&req_prod, ring + 2 * XENFS_RING_SIZE + 4, 4);
	memcpy(&rsp_cons, ring + 2 * XENFS_RING_SIZE + 8, 4);
	memcpy(&rsp_prod, ring + 2 * XENFS_RING_SIZE + 12, 4);
	munmap(ring, XENFS_PAGE);
	EXPECT_GE(XENFS_RING_SIZE, req_prod - req_cons);
	EXPECT_GE(XENFS_RING_SIZE, rsp_prod - rsp_cons);
	TH_LOG("ring: req %u/%u rsp %u/%u", req_cons, req_prod, rsp_cons,
	       rsp_prod);
}

/* xensyms: "ADDRESS TYPE NAME" lines, as /proc/kallsyms has them. */
TEST_F(xenfs, xensyms)
{
	unsigned int lines = 0;
	char path[128], line[512];
	FILE *f;

	if (!self->dom0)
		SKIP(return, "not dom0");
	if (xenfs_mode(self->dir, "xensyms") == -1)
		SKIP(return, "no xensyms (CONFIG_XEN_SYMS)");
	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/xensyms", self->dir));
	f = fopen(path, "re");
	ASSERT_NE(NULL, f);
	/* Each symbol is a hypercall: the first 64 are enough. */
	while (lines < 64 && fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];
		int n;

		n = sscanf(line, "%16llx %c %255s", &addr, &type, name);
		EXPECT_EQ(3, n) {
			TH_LOG("line %u: %s", lines, line);
		}
		EXPECT_EQ(' ', line[16]);
		lines++;
	}
	fclose(f);
	EXPECT_EQ(64U, lines);
}

TEST_HARNESS_MAIN
