// SPDX-License-Identifier: GPL-2.0-only
/*
 * xblk - block device benchmark for make bench, O_DIRECT only.
 *
 *   xblk seqwrite DEV MIB        1 MiB writes over the first MIB MiB
 *   xblk seqread DEV MIB         1 MiB reads over the first MIB MiB
 *   xblk randread DEV SEC QD     4 KiB random reads for SEC seconds, QD in
 *                                flight (Linux native AIO)
 *   xblk lat DEV N               N random 4 KiB reads one at a time
 *   xblk check DEV SEED          write 1 MiB of a pattern from SEED at the
 *                                start of DEV and read it back; DEV must
 *                                be a block device (never created)
 *   xblk cdcap DEV               the CDROM_GET_CAPABILITY ioctl on DEV:
 *                                prints "XBLK cdcap <return> <error|ok>"
 *   xblk bufwrite DEV FILE MIB STOP
 *                                write FILE at MIB MiB into DEV through the
 *                                page cache, again and again, until the
 *                                file STOP exists; then fsync.  One
 *                                process: a shell loop of dd would fork,
 *                                which this testbed punishes (README)
 *
 * Prints one line "XBLK <test> <value> <unit>": MB/s, IO/s or microseconds
 * per read.  Random offsets are 4 KiB aligned within the first 64 MiB of
 * the device (or all of it, if smaller), from a fixed seed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/cdrom.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

#define MIB		1048576u
#define BLK		4096u
#define MAX_QD		256
#define SPAN		(64ull << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void *aligned(size_t len)
{
	void *p;

	if (posix_memalign(&p, BLK, len)) {
		perror("posix_memalign");
		exit(1);
	}
	memset(p, 0x5a, len);
	return p;
}

static int open_dev(const char *dev, int flags, uint64_t *size)
{
	int fd = open(dev, flags | O_DIRECT);
	off_t end;

	if (fd < 0) {
		perror(dev);
		exit(1);
	}
	if (ioctl(fd, BLKGETSIZE64, size)) {
		/* A regular file, for testing on the host. */
		end = lseek(fd, 0, SEEK_END);
		if (end < 0) {
			perror(dev);
			exit(1);
		}
		*size = end;
	}
	return fd;
}

static int seq(const char *dev, unsigned long mib, int write)
{
	uint64_t size;
	int fd = open_dev(dev, write ? O_WRONLY : O_RDONLY, &size);
	char *buf = aligned(MIB);
	double t0 = now(), dt;
	unsigned long i;

	if ((uint64_t)mib * MIB > size)
		mib = size / MIB;
	for (i = 0; i < mib; i++) {
		ssize_t n = write ? pwrite(fd, buf, MIB, (off_t)i * MIB) :
				    pread(fd, buf, MIB, (off_t)i * MIB);

		if (n != MIB) {
			perror(write ? "pwrite" : "pread");
			return 1;
		}
	}
	if (write && fsync(fd)) {
		perror("fsync");
		return 1;
	}
	dt = now() - t0;
	printf("XBLK %s %.1f MB/s\n", write ? "seqwrite" : "seqread",
	       mib * (double)MIB / 1e6 / dt);
	return 0;
}

static uint64_t rand_off(uint64_t size)
{
	uint64_t span = size < SPAN ? size : SPAN;

	return (next_rand() % (span / BLK)) * BLK;
}

static long sys_io(long nr, long a, long b, long c, long d, long e)
{
	return syscall(nr, a, b, c, d, e);
}

static int randread(const char *dev, double secs, unsigned int qd)
{
	static struct iocb cbs[MAX_QD];
	static struct iocb *ptrs[MAX_QD];
	static struct io_event evs[MAX_QD];
	aio_context_t ctx = 0;
	uint64_t size, done = 0;
	double t0, dt;
	char *bufs;
	unsigned int i;
	int fd;

	if (qd < 1 || qd > MAX_QD)
		return 2;
	fd = open_dev(dev, O_RDONLY, &size);
	bufs = aligned((size_t)qd * BLK);
	if (sys_io(SYS_io_setup, qd, (long)&ctx, 0, 0, 0)) {
		perror("io_setup");
		return 1;
	}
	for (i = 0; i < qd; i++) {
		cbs[i].aio_fildes = fd;
		cbs[i].aio_lio_opcode = IOCB_CMD_PREAD;
		cbs[i].aio_buf = (uint64_t)(uintptr_t)(bufs + (size_t)i * BLK);
		cbs[i].aio_nbytes = BLK;
		cbs[i].aio_offset = rand_off(size);
		cbs[i].aio_data = i;
		ptrs[i] = &cbs[i];
	}
	t0 = now();
	if (sys_io(SYS_io_submit, ctx, qd, (long)ptrs, 0, 0) != qd) {
		perror("io_submit");
		return 1;
	}
	for (;;) {
		long n = sys_io(SYS_io_getevents, ctx, 1, qd, (long)evs, 0);
		long k;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("io_getevents");
			return 1;
		}
		dt = now() - t0;
		for (k = 0; k < n; k++) {
			struct iocb *cb = &cbs[evs[k].data];

			if (evs[k].res != BLK) {
				fprintf(stderr, "read failed: %lld\n",
					(long long)evs[k].res);
				return 1;
			}
			done++;
			if (dt < secs) {
				cb->aio_offset = rand_off(size);
				ptrs[0] = cb;
				if (sys_io(SYS_io_submit, ctx, 1, (long)ptrs, 0, 0) != 1) {
					perror("io_submit");
					return 1;
				}
			} else {
				qd--;
			}
		}
		if (!qd)
			break;
	}
	printf("XBLK %s %.0f IO/s\n", "randread", done / dt);
	return 0;
}

static int lat(const char *dev, unsigned long n)
{
	uint64_t size;
	int fd = open_dev(dev, O_RDONLY, &size);
	char *buf = aligned(BLK);
	double t0 = now();
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (pread(fd, buf, BLK, rand_off(size)) != BLK) {
			perror("pread");
			return 1;
		}
	}
	printf("XBLK %s %.1f us\n", "lat", (now() - t0) * 1e6 / n);
	return 0;
}

/*
 * The hotplug case's I/O on a disk that comes and goes.  Opening without
 * O_CREAT matters: a shell redirection or dd to a device node that has
 * just gone creates a regular file in its place, which then takes all
 * the "I/O" and hides the disk when it comes back.
 * Exit status: 0 read back as written, 1 an I/O error, 2 a mismatch,
 * 3 not a block device.
 */
static int check(const char *dev, unsigned long seed)
{
	uint32_t *out = aligned(MIB), *in = aligned(MIB);
	struct stat st;
	unsigned int i;
	int fd, rc = 0;

	fd = open(dev, O_RDWR | O_DIRECT);
	if (fd < 0)
		return 1;
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode)) {
		close(fd);
		return 3;
	}
	rng = 0x9e3779b97f4a7c15ull ^ seed;
	for (i = 0; i < MIB / 4; i++)
		out[i] = (uint32_t)next_rand();
	if (pwrite(fd, out, MIB, 0) != MIB || pread(fd, in, MIB, 0) != MIB)
		rc = 1;
	else if (memcmp(out, in, MIB))
		rc = 2;
	close(fd);
	return rc;
}

/*
 * The cdrom query blkfront answers: CDROM_GET_CAPABILITY succeeds on a
 * disk whose backend says it is a cdrom (VDISK_CDROM) and fails on any
 * other.  DEV is opened read-only (never created), non-blocking as a cdrom
 * is.  Exit status: 0 the ioctl succeeded, 1 it failed, 3 DEV could not be
 * opened.
 */
static int cdcap(const char *dev)
{
	int fd = open(dev, O_RDONLY | O_NONBLOCK);
	int ret, err;

	if (fd < 0) {
		perror(dev);
		return 3;
	}
	ret = ioctl(fd, CDROM_GET_CAPABILITY, 0);
	err = errno;
	close(fd);
	printf("XBLK %s %d %s\n", "cdcap", ret, ret < 0 ? strerror(err) : "ok");
	return ret < 0 ? 1 : 0;
}

/*
 * Buffered writes of @file's contents at @mib MiB of @dev until @stop
 * exists, 10 ms apart.  Exit status: 0 all written and synced, 1 a write
 * or the sync failed, 3 a file could not be opened or read.
 */
static int bufwrite(const char *dev, const char *file, unsigned long mib,
		    const char *stop)
{
	int fd = open(file, O_RDONLY), rc = 0;
	off_t off = (off_t)mib * MIB;
	static char buf[16 * MIB];
	ssize_t n;

	if (fd < 0) {
		perror(file);
		return 3;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	fd = open(dev, O_WRONLY);
	if (n <= 0 || fd < 0) {
		perror(dev);
		if (fd >= 0)
			close(fd);
		return 3;
	}
	while (access(stop, F_OK)) {
		if (pwrite(fd, buf, n, off) != n)
			rc = 1;
		usleep(10000);
	}
	if (fsync(fd))
		rc = 1;
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "bufwrite"))
		return bufwrite(argv[2], argv[3], strtoul(argv[4], NULL, 10),
				argv[5]);
	if (argc == 3 && !strcmp(argv[1], "cdcap"))
		return cdcap(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "check"))
		return check(argv[2], strtoul(argv[3], NULL, 10));
	if (argc == 4 && !strcmp(argv[1], "seqwrite"))
		return seq(argv[2], strtoul(argv[3], NULL, 10), 1);
	if (argc == 4 && !strcmp(argv[1], "seqread"))
		return seq(argv[2], strtoul(argv[3], NULL, 10), 0);
	if (argc == 5 && !strcmp(argv[1], "randread"))
		return randread(argv[2], atof(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "lat"))
		return lat(argv[2], strtoul(argv[3], NULL, 10));
	fprintf(stderr, "usage: xblk seqwrite|seqread DEV MIB | randread DEV SEC QD\n"
			"       xblk lat DEV N | check DEV SEED | cdcap DEV\n"
			"       xblk bufwrite DEV FILE MIB STOP\n");
	return 2;
}
