/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small helpers shared by the Xen selftests: Xen detection, reading
 * sysfs text attributes, number parsing, timing and test patterns.
 * Including this also brings in the kselftest harness.
 */
#ifndef XEN_SELFTEST_COMMON_H
#define XEN_SELFTEST_COMMON_H

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

/*
 * The harness's SIGALRM handler ignores one of its parameters; keep
 * -Wextra from complaining about code that is not ours.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "../kselftest_harness.h"
#pragma GCC diagnostic pop

/*
 * The harness runs each test body after a setjmp() and longjmp()s only on
 * the way to abort(), so no local is ever used after a longjmp(); the
 * compiler cannot know that and warns about clobbered locals.
 */
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wclobbered"
#endif

/*
 * The Xen uapi headers refer to these Xen interface types without
 * defining them, so user space has to provide them before inclusion.
 */
typedef __u16 domid_t;
typedef __u32 grant_ref_t;

#define XEN_SYSFS_DIR		"/sys/hypervisor"
#define XEN_DOMID_FIRST_RESERVED	0x7ff0U
/*
 * Hypercalls fail with Xen's own error numbers (public/errno.h).  They
 * match Linux' on x86 and Arm; this one is spelled out as Xen's since it
 * is what Xen returns for an unimplemented operation.
 */
#define XEN_ENOSYS		38

/*
 * Read a small file into @buf, NUL terminated, as it is.  Returns its
 * length or a negative errno.
 */
static inline int xen_read_raw(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd, err;

	if (size < 1)
		return -EINVAL;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;

	len = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (len < 0)
		return -err;

	buf[len] = '\0';
	return (int)len;
}

/*
 * Read a small text file into @buf (NUL terminated, one trailing newline
 * removed).  Returns the length of the text or a negative errno.
 */
static inline int xen_read_text(const char *path, char *buf, size_t size)
{
	int len = xen_read_raw(path, buf, size);

	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';

	return len;
}

/* snprintf() that reports truncation: returns 0 or -ENAMETOOLONG. */
static inline int __printf(3, 4) xen_fmt(char *buf, size_t size,
					 const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static inline bool xen_path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* True when the kernel reports that it runs on the Xen hypervisor. */
static inline bool xen_is_running(void)
{
	char type[16];

	if (xen_read_text(XEN_SYSFS_DIR "/type", type, sizeof(type)) < 0)
		return false;

	return strcmp(type, "xen") == 0;
}

/*
 * Parse an unsigned number that must make up all of @s.  Returns 0 on
 * success or -EINVAL.
 */
static inline int xen_parse_ull(const char *s, int base,
				unsigned long long *val)
{
	char *end;

	if (!isxdigit((unsigned char)s[0]))
		return -EINVAL;

	errno = 0;
	*val = strtoull(s, &end, base);
	if (errno || *end != '\0')
		return -EINVAL;

	return 0;
}

/* Read a sysfs attribute holding one unsigned number. */
static inline int xen_read_ull(const char *path, int base,
			       unsigned long long *val)
{
	char buf[64];
	int ret;

	ret = xen_read_text(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;

	return xen_parse_ull(buf, base, val);
}

/* Monotonic time in milliseconds. */
static inline long long xen_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Milliseconds left until @deadline, never negative. */
static inline int xen_ms_left(long long deadline)
{
	long long left = deadline - xen_now_ms();

	return left > 0 ? (int)left : 0;
}

/*
 * Fill @buf with bytes from a splitmix64 sequence started at @seed, so
 * that any two calls with the same seed produce the same bytes.
 */
static inline void xen_fill_pattern(void *buf, size_t len, __u64 seed)
{
	unsigned char *p = buf;
	__u64 state = seed;
	size_t i;

	for (i = 0; i < len; i += sizeof(__u64)) {
		__u64 z;
		size_t n;

		state += 0x9e3779b97f4a7c15ULL;
		z = state;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;

		n = len - i < sizeof(z) ? len - i : sizeof(z);
		memcpy(p + i, &z, n);
	}
}

#endif /* XEN_SELFTEST_COMMON_H */
