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

#include "xstream.h"

#define CHUNK 1048576u

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
	state = xstream_init(strtoull(argv[1], &end, 0));
	if (*end) {
		fprintf(stderr, "xpat: bad seed '%s'\n", argv[1]);
		return 2;
	}
	mib = strtoull(argv[2], &end, 0);
	if (*end) {
		fprintf(stderr, "xpat: bad size '%s'\n", argv[2]);
		return 2;
	}
	while (mib--) {
		size_t i;

		for (i = 0; i < CHUNK / sizeof(uint64_t); i++)
			buf[i] = xstream_next(&state);
		if (xstream_write_all(1, buf, CHUNK)) {
			fprintf(stderr, "xpat: write: %s\n", strerror(errno));
			return 1;
		}
	}
	return 0;
}
