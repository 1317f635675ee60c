/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reproducible byte stream shared by xpat and xnet: splitmix64 words
 * from a seed, so that "xpat SEED MIB" and "xnet send HOST PORT SEED MIB"
 * produce the same bytes and either end can check the other with md5sum.
 */
#ifndef XCI_XSTREAM_H
#define XCI_XSTREAM_H

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

/* Generator state for @seed. */
static inline uint64_t xstream_init(uint64_t seed)
{
	return seed ^ 0x6a09e667f3bcc909ULL;
}

/* The next 8 bytes of the stream. */
static inline uint64_t xstream_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Write all of @len bytes; 0 or -1 with errno set. */
static inline int xstream_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

#endif /* XCI_XSTREAM_H */
