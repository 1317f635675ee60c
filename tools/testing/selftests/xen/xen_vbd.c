// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen virtual block device (xen-blkfront) I/O tests.
 *
 * DESTRUCTIVE: the device named by $XEN_SELFTEST_VBD (e.g. /dev/xvdb) is
 * overwritten.  Without that variable every test is skipped, and so is
 * any device that is not backed by the Xen vbd frontend.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/fs.h>

#include "xen_common.h"
#include "xs_client.h"

#define VBD_ENV		"XEN_SELFTEST_VBD"
#define MIB		(1024ULL * 1024ULL)
#define CHUNK_MAX	(4 * MIB)
#define BUF_ALIGN	4096
#define IO_TIMEOUT_S	180

FIXTURE(vbd) {
	int fd;
	const char *dev;
	/* sysfs directory of the device and of the whole disk holding it */
	char sysdir[PATH_MAX];
	char diskdir[PATH_MAX];
	bool partition;
	unsigned long long size;
	unsigned int lbs;
	void *wbuf;
	void *rbuf;
};

/* Does the disk directory belong to a device on the Xen bus named vbd-*? */
static bool is_xen_vbd(const char *diskdir)
{
	char path[PATH_MAX], real[PATH_MAX];

	if (xen_fmt(path, sizeof(path), "%s/device/subsystem", diskdir) ||
	    !realpath(path, real) || strcmp(basename(real), "xen"))
		return false;

	if (xen_fmt(path, sizeof(path), "%s/device", diskdir) ||
	    !realpath(path, real))
		return false;

	return !strncmp(basename(real), "vbd-", 4);
}

FIXTURE_SETUP(vbd)
{
	char path[PATH_MAX];
	struct stat st;
	int lbs;

	self->fd = -1;
	if (!xen_is_running())
		SKIP(return, "not running on Xen");
	self->dev = getenv(VBD_ENV);
	if (!self->dev || !*self->dev)
		SKIP(return, "set " VBD_ENV " to a scratch Xen vbd to run");
	if (!xen_path_exists(self->dev))
		SKIP(return, "%s does not exist", self->dev);

	ASSERT_EQ(0, stat(self->dev, &st));
	ASSERT_TRUE(S_ISBLK(st.st_mode)) {
		TH_LOG("%s is not a block device", self->dev);
	}

	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "/sys/dev/block/%u:%u",
			     major(st.st_rdev), minor(st.st_rdev)));
	ASSERT_NE(NULL, realpath(path, self->sysdir));
	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/partition",
			     self->sysdir));
	self->partition = xen_path_exists(path);
	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s%s", self->sysdir,
			     self->partition ? "/.." : ""));
	ASSERT_NE(NULL, realpath(path, self->diskdir));

	if (!is_xen_vbd(self->diskdir))
		SKIP(return, "%s is not a Xen vbd, refusing to overwrite it",
		     self->dev);

	self->fd = open(self->dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", self->dev, strerror(errno));
	}
	ASSERT_EQ(0, ioctl(self->fd, BLKGETSIZE64, &self->size));
	ASSERT_EQ(0, ioctl(self->fd, BLKSSZGET, &lbs));
	ASSERT_LT(0, lbs);
	self->lbs = lbs;

	if (self->size < 4 * MIB)
		SKIP(return, "%s is smaller than 4 MiB", self->dev);

	ASSERT_EQ(0, posix_memalign(&self->wbuf, BUF_ALIGN, CHUNK_MAX));
	ASSERT_EQ(0, posix_memalign(&self->rbuf, BUF_ALIGN, CHUNK_MAX));
}

FIXTURE_TEARDOWN(vbd)
{
	if (self->fd >= 0)
		close(self->fd);
	free(self->wbuf);
	free(self->rbuf);
}

/* Full-length positioned I/O; returns 0 or -errno (-EIO if short). */
static int pio(int fd, void *buf, size_t len, unsigned long long off,
	       bool write)
{
	char *p = buf;

	while (len) {
		ssize_t n;

		if (write)
			n = pwrite(fd, p, len, off);
		else
			n = pread(fd, p, len, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= n;
		off += n;
	}

	return 0;
}

static int read_queue_attr(const char *diskdir, const char *name,
			   unsigned long long *val)
{
	char path[PATH_MAX];

	if (xen_fmt(path, sizeof(path), "%s/queue/%s", diskdir, name))
		return -ENAMETOOLONG;

	return xen_read_ull(path, 10, val);
}

/*
 * Write a distinct pattern to each of the @nr regions of @len bytes at
 * @offs, then read them all back.  @wbuf and @rbuf hold @len bytes.
 */
static int write_verify(int fd, void *wbuf, void *rbuf,
			const unsigned long long *offs, unsigned int nr,
			size_t len, __u64 seed)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++) {
		xen_fill_pattern(wbuf, len, seed ^ offs[i]);
		ret = pio(fd, wbuf, len, offs[i], true);
		if (ret)
			return ret;
	}
	if (fdatasync(fd))
		return -errno;

	for (i = 0; i < nr; i++) {
		memset(rbuf, 0, len);
		ret = pio(fd, rbuf, len, offs[i], false);
		if (ret)
			return ret;
		xen_fill_pattern(wbuf, len, seed ^ offs[i]);
		if (memcmp(wbuf, rbuf, len))
			return -EILSEQ;
	}

	return 0;
}

TEST_F(vbd, size_matches_sysfs)
{
	unsigned long long sectors;
	char path[PATH_MAX];

	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/size", self->sysdir));
	ASSERT_EQ(0, xen_read_ull(path, 10, &sectors));
	EXPECT_EQ(sectors * 512, self->size);
	EXPECT_EQ(0ULL, self->size % self->lbs);
}

TEST_F(vbd, logical_block_size)
{
	unsigned long long sysfs_lbs;

	EXPECT_TRUE(self->lbs == 512 || self->lbs == 4096) {
		TH_LOG("odd logical block size %u", self->lbs);
	}
	ASSERT_EQ(0, read_queue_attr(self->diskdir, "logical_block_size",
				     &sysfs_lbs));
	EXPECT_EQ(self->lbs, sysfs_lbs);
}

/*
 * Read the optional flag @dir/@key from xenstore into @on: false if the
 * key is absent, else whether its number is non-zero (as both drivers
 * take it).  Returns 0 or -errno.
 */
static int vbd_read_flag(struct xs_conn *xs, const char *dir,
			 const char *key, bool *on)
{
	char path[PATH_MAX], val[64];
	unsigned long long v;
	int ret;

	if (xen_fmt(path, sizeof(path), "%s/%s", dir, key))
		return -ENAMETOOLONG;
	ret = xs_read(xs, 0, path, val, sizeof(val));
	if (ret == -ENOENT) {
		*on = false;
		return 0;
	}
	if (ret < 0)
		return ret;
	ret = xen_parse_ull(val, 10, &v);
	if (ret)
		return ret;
	*on = v != 0;
	return 0;
}

/* The size and sector size blkfront uses come from the backend. */
TEST_F(vbd, matches_backend)
{
	char path[PATH_MAX], node[256], backend[256], val[64];
	unsigned long long sectors, sector_size, unit, bytes;
	bool fe_large, be_large;
	struct xs_conn *xs;

	if (self->partition)
		SKIP(return, "%s is a partition", self->dev);
	if (!xen_path_exists(XS_DEV_PATH))
		SKIP(return, XS_DEV_PATH " not present");

	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/device/nodename",
			     self->diskdir));
	ASSERT_LT(0, xen_read_text(path, node, sizeof(node)));

	xs = xs_open();
	ASSERT_NE(NULL, xs);
	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/backend", node));
	ASSERT_LT(0, xs_read(xs, 0, path, backend, sizeof(backend)));

	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/sector-size", backend));
	ASSERT_LT(0, xs_read(xs, 0, path, val, sizeof(val)));
	ASSERT_EQ(0, xen_parse_ull(val, 10, &sector_size));
	ASSERT_EQ(sector_size, self->lbs);

	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/sectors", backend));
	ASSERT_LT(0, xs_read(xs, 0, path, val, sizeof(val)));
	ASSERT_EQ(0, xen_parse_ull(val, 10, &sectors));

	/*
	 * The unit of "sectors": logical blocks of "sector-size" bytes if
	 * large sector units were negotiated, else 512 bytes.  They are
	 * negotiated when the frontend wrote feature-large-sector-size = 1
	 * and the backend offers feature-large-sector-size = 1: our blkback
	 * counts in "sector-size" units only when it offers them and the
	 * frontend asked, and our blkfront asks only when the backend
	 * offers them.  A backend without the feature (upstream's) writes
	 * no such key and counts 512-byte units, and so does ours with its
	 * large_sectors parameter off (it offers 0).
	 */
	ASSERT_EQ(0, vbd_read_flag(xs, node, "feature-large-sector-size",
				   &fe_large));
	ASSERT_EQ(0, vbd_read_flag(xs, backend, "feature-large-sector-size",
				   &be_large));
	xs_close(xs);

	unit = fe_large && be_large ? sector_size : 512;
	ASSERT_FALSE(__builtin_mul_overflow(sectors, unit, &bytes)) {
		TH_LOG("%llu sectors of %llu bytes overflow", sectors, unit);
	}
	/* blkfront keeps whole logical blocks only. */
	bytes -= bytes % sector_size;
	EXPECT_EQ(bytes, self->size) {
		TH_LOG("%llu sectors of %llu bytes, large sector units %s",
		       sectors, unit, fe_large && be_large ? "on" : "off");
	}
}

TEST_F_TIMEOUT(vbd, write_read_pattern, IO_TIMEOUT_S)
{
	unsigned long long offs[3], chunk;
	char *tail;

	/* Three disjoint regions: start, middle and end of the device. */
	chunk = self->size / 4;
	if (chunk > CHUNK_MAX)
		chunk = CHUNK_MAX;
	chunk -= chunk % self->lbs;
	offs[0] = 0;
	offs[1] = (self->size / 2 - chunk / 2) / self->lbs * self->lbs;
	offs[2] = self->size - chunk;

	ASSERT_EQ(0, write_verify(self->fd, self->wbuf, self->rbuf, offs, 3,
				  chunk, 0x7662640001ULL));

	/* The last sector holds the tail of the last region's pattern. */
	xen_fill_pattern(self->wbuf, chunk, 0x7662640001ULL ^ offs[2]);
	tail = (char *)self->wbuf + chunk - self->lbs;
	ASSERT_EQ(0, pio(self->fd, self->rbuf, self->lbs,
			 self->size - self->lbs, false));
	EXPECT_EQ(0, memcmp(tail, self->rbuf, self->lbs));

	/* Nothing can be read or written past the end. */
	EXPECT_EQ(0, pread(self->fd, self->rbuf, self->lbs, self->size));
	EXPECT_EQ(-1, pwrite(self->fd, self->wbuf, self->lbs, self->size));
	EXPECT_EQ(ENOSPC, errno);
}

TEST_F_TIMEOUT(vbd, flush, IO_TIMEOUT_S)
{
	unsigned long long off = self->size / 3 / self->lbs * self->lbs;
	size_t len = MIB;
	int fd2;

	xen_fill_pattern(self->wbuf, len, 0x666c757368ULL);
	ASSERT_EQ(0, pio(self->fd, self->wbuf, len, off, true));
	ASSERT_EQ(0, fsync(self->fd)) {
		TH_LOG("fsync: %s", strerror(errno));
	}
	ASSERT_EQ(0, fdatasync(self->fd)) {
		TH_LOG("fdatasync: %s", strerror(errno));
	}

	/* Flushed data is there for anyone opening the device afresh. */
	fd2 = open(self->dev, O_RDONLY | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, pio(fd2, self->rbuf, len, off, false));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, len));
	close(fd2);
}

TEST_F_TIMEOUT(vbd, discard, IO_TIMEOUT_S)
{
	unsigned long long max_bytes, gran, len, off, offs[2];
	__u64 range[2];

	ASSERT_EQ(0, read_queue_attr(self->diskdir, "discard_max_bytes",
				     &max_bytes));
	if (!max_bytes)
		SKIP(return, "%s does not support discard", self->dev);
	ASSERT_EQ(0, read_queue_attr(self->diskdir, "discard_granularity",
				     &gran));
	if (gran < self->lbs)
		gran = self->lbs;

	/* Discard the middle one of three adjacent regions. */
	len = (MIB + gran - 1) / gran * gran;
	if (len > CHUNK_MAX || len > max_bytes || 3 * len > self->size)
		SKIP(return, "discard granularity %llu too large", gran);
	off = (self->size - 3 * len) / 2 / gran * gran;
	offs[0] = off;
	offs[1] = off + 2 * len;
	ASSERT_EQ(0, write_verify(self->fd, self->wbuf, self->rbuf, offs, 2,
				  len, 0x6469736361ULL));

	range[0] = off + len;
	range[1] = len;
	ASSERT_EQ(0, ioctl(self->fd, BLKDISCARD, range)) {
		TH_LOG("BLKDISCARD: %s", strerror(errno));
	}

	/* The neighbours are untouched. */
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, pio(self->fd, self->rbuf, len, offs[i], false));
		xen_fill_pattern(self->wbuf, len, 0x6469736361ULL ^ offs[i]);
		EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, len));
	}

	/* Misaligned and out-of-range requests are rejected. */
	range[0] = 1;
	range[1] = self->lbs;
	EXPECT_EQ(-1, ioctl(self->fd, BLKDISCARD, range));
	EXPECT_EQ(EINVAL, errno);
	range[0] = self->size;
	range[1] = self->lbs;
	EXPECT_EQ(-1, ioctl(self->fd, BLKDISCARD, range));
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
