// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables from user space: a page granted to our own domain with
 * /dev/xen/gntalloc is mapped back through /dev/xen/gntdev, and both
 * mappings must show the same memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen_common.h"
#include "xs_client.h"

#include <xen/gntalloc.h>
#include <xen/gntdev.h>

#define GNTALLOC_DEV	"/dev/xen/gntalloc"
#define GNTDEV_DEV	"/dev/xen/gntdev"

FIXTURE(gnt) {
	int alloc_fd;
	int dev_fd;
	unsigned int domid;
	size_t page;
};

FIXTURE_SETUP(gnt)
{
	static const char *const devs[] = {
		GNTALLOC_DEV, GNTDEV_DEV, XS_DEV_PATH, NULL
	};
	const char *why;
	int ret;

	self->alloc_fd = -1;
	self->dev_fd = -1;
	self->page = sysconf(_SC_PAGESIZE);

	why = xen_dev_setup(devs, &self->domid, &ret);
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret) {
		TH_LOG("reading own domid from xenstore: %s", strerror(-ret));
	}

	self->alloc_fd = open(GNTALLOC_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->alloc_fd) {
		TH_LOG("open %s: %s", GNTALLOC_DEV, strerror(errno));
	}
	self->dev_fd = open(GNTDEV_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev_fd) {
		TH_LOG("open %s: %s", GNTDEV_DEV, strerror(errno));
	}
}

FIXTURE_TEARDOWN(gnt)
{
	if (self->dev_fd >= 0)
		close(self->dev_fd);
	if (self->alloc_fd >= 0)
		close(self->alloc_fd);
}

/* Grant one fresh page to @domid; returns 0 and fills @index, @gref. */
static int gnt_alloc(int fd, unsigned int domid, bool writable,
		     __u64 *index, __u32 *gref)
{
	struct ioctl_gntalloc_alloc_gref op = {
		.domid = domid,
		.flags = writable ? GNTALLOC_FLAG_WRITABLE : 0,
		.count = 1,
	};

	if (ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &op))
		return -errno;

	*index = op.index;
	*gref = op.gref_ids[0];

	return 0;
}

static int gnt_dealloc(int fd, __u64 index)
{
	struct ioctl_gntalloc_dealloc_gref op = {
		.index = index,
		.count = 1,
	};

	return ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &op) ? -errno : 0;
}

/* Register grant @gref of @domid with gntdev; fills the mmap @index. */
static int gnt_map_ref(int fd, unsigned int domid, __u32 gref,
		       __u64 *index)
{
	struct ioctl_gntdev_map_grant_ref op = {
		.count = 1,
		.refs[0] = { .domid = domid, .ref = gref },
	};

	if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &op))
		return -errno;

	*index = op.index;

	return 0;
}

static int gnt_unmap_ref(int fd, __u64 index)
{
	struct ioctl_gntdev_unmap_grant_ref op = {
		.index = index,
		.count = 1,
	};

	return ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &op) ? -errno : 0;
}

static bool all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

TEST_F(gnt, map_own_grant)
{
	struct ioctl_gntdev_get_offset_for_vaddr off = { 0 };
	__u64 alloc_index = 0, map_index = 0;
	unsigned char *local, *mapped;
	unsigned char *expect;
	__u32 gref = 0;

	expect = malloc(self->page);
	ASSERT_NE(NULL, expect);

	ASSERT_EQ(0, gnt_alloc(self->alloc_fd, self->domid, true,
			       &alloc_index, &gref));
	local = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		     self->alloc_fd, alloc_index);
	ASSERT_NE(MAP_FAILED, local) {
		TH_LOG("mmap gntalloc: %s", strerror(errno));
	}

	/* Granted pages start out cleared. */
	EXPECT_TRUE(all_zero(local, self->page));

	xen_fill_pattern(expect, self->page, 0x6772616e74ULL ^ gref);
	memcpy(local, expect, self->page);

	ASSERT_EQ(0, gnt_map_ref(self->dev_fd, self->domid, gref,
				 &map_index));
	mapped = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		      self->dev_fd, map_index);
	ASSERT_NE(MAP_FAILED, mapped) {
		TH_LOG("mmap gntdev: %s", strerror(errno));
	}

	/* gntdev knows which of its grants lives at this address. */
	off.vaddr = (uintptr_t)mapped;
	ASSERT_EQ(0, ioctl(self->dev_fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR,
			   &off));
	EXPECT_EQ(map_index, off.offset);
	EXPECT_EQ(1U, off.count);

	/* Same memory, seen through both mappings, in both directions. */
	EXPECT_EQ(0, memcmp(mapped, expect, self->page));

	xen_fill_pattern(expect, self->page, 0x6d6170706564ULL ^ gref);
	memcpy(mapped, expect, self->page);
	EXPECT_EQ(0, memcmp(local, expect, self->page));

	ASSERT_EQ(0, munmap(mapped, self->page));
	ASSERT_EQ(0, gnt_unmap_ref(self->dev_fd, map_index));
	EXPECT_EQ(-ENOENT, gnt_unmap_ref(self->dev_fd, map_index));

	ASSERT_EQ(0, munmap(local, self->page));
	ASSERT_EQ(0, gnt_dealloc(self->alloc_fd, alloc_index));
	EXPECT_EQ(-EINVAL, gnt_dealloc(self->alloc_fd, alloc_index));

	free(expect);
}

TEST_F(gnt, readonly_grant)
{
	__u64 alloc_index = 0, map_index = 0;
	unsigned char *local, *mapped;
	__u32 gref = 0;

	ASSERT_EQ(0, gnt_alloc(self->alloc_fd, self->domid, false,
			       &alloc_index, &gref));
	local = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		     self->alloc_fd, alloc_index);
	ASSERT_NE(MAP_FAILED, local);
	xen_fill_pattern(local, self->page, 0x726fULL ^ gref);

	/* Xen refuses a writable mapping of a read-only grant. */
	ASSERT_EQ(0, gnt_map_ref(self->dev_fd, self->domid, gref,
				 &map_index));
	mapped = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		      self->dev_fd, map_index);
	EXPECT_EQ(MAP_FAILED, mapped);
	if (mapped != MAP_FAILED)
		munmap(mapped, self->page);
	ASSERT_EQ(0, gnt_unmap_ref(self->dev_fd, map_index));

	/* A read-only mapping works and shows the granted data. */
	ASSERT_EQ(0, gnt_map_ref(self->dev_fd, self->domid, gref,
				 &map_index));
	mapped = mmap(NULL, self->page, PROT_READ, MAP_SHARED, self->dev_fd,
		      map_index);
	ASSERT_NE(MAP_FAILED, mapped) {
		TH_LOG("read-only mmap gntdev: %s", strerror(errno));
	}
	EXPECT_EQ(0, memcmp(mapped, local, self->page));

	ASSERT_EQ(0, munmap(mapped, self->page));
	ASSERT_EQ(0, gnt_unmap_ref(self->dev_fd, map_index));
	ASSERT_EQ(0, munmap(local, self->page));
	ASSERT_EQ(0, gnt_dealloc(self->alloc_fd, alloc_index));
}

/* Grant references that were never handed out cannot be mapped. */
TEST_F(gnt, map_bogus_grant)
{
	__u64 map_index = 0;
	void *mapped;

	ASSERT_EQ(0, gnt_map_ref(self->dev_fd, self->domid, 0xfffffff0U,
				 &map_index));
	mapped = mmap(NULL, self->page, PROT_READ, MAP_SHARED, self->dev_fd,
		      map_index);
	EXPECT_EQ(MAP_FAILED, mapped);
	if (mapped != MAP_FAILED)
		munmap(mapped, self->page);
	EXPECT_EQ(0, gnt_unmap_ref(self->dev_fd, map_index));

	/* Indexes that were never returned are unknown to both devices. */
	EXPECT_EQ(-ENOENT, gnt_unmap_ref(self->dev_fd, 0x7ff00000ULL));
	EXPECT_EQ(-EINVAL, gnt_dealloc(self->alloc_fd, 0x7ff00000ULL));
}

TEST_HARNESS_MAIN
