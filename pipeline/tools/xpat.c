// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpat - write a reproducible pseudo-random byte stream to stdout.
 *
 *   xpat SEED MIB        write MIB MiB of the stream for SEED
 *
 * The same SEED gives the same bytes on every machine, so one domain can
 * write a pattern and another can checksum it against a locally generated
 * copy.  The generator is splitmix64, which is enough to make every 8-byte
 * word of a disk or a TCP stream distinct and position dependent.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 1048576u

static uint64_t next_word(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
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

int main(int argc, char **argv)
{
	static uint64_t buf[CHUNK / sizeof(uint64_t)];
	unsigned long long mib;
	uint64_t state;
	char *end;

	if (argc != 3) {
		fprintf(stderr, "usage: xpat SEED MIB\n");
		return 2;
	}
	state = strtoull(argv[1], &end, 0);
	if (*end) {
		fprintf(stderr, "xpat: bad seed '%s'\n", argv[1]);
		return 2;
	}
	mib = strtoull(argv[2], &end, 0);
	if (*end) {
		fprintf(stderr, "xpat: bad size '%s'\n", argv[2]);
		return 2;
	}
	state ^= 0x6a09e667f3bcc909ULL;
	while (mib--) {
		size_t i;

		for (i = 0; i < CHUNK / sizeof(uint64_t); i++)
			buf[i] = next_word(&state);
		if (write_all(1, (unsigned char *)buf, CHUNK)) {
			fprintf(stderr, "xpat: write: %s\n", strerror(errno));
			return 1;
		}
	}
	return 0;
}
