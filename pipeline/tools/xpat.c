// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpat - write a reproducible pseudo-random byte stream to stdout, or say
 * how stdin differs from it.
 *
 *   xpat SEED MIB        write MIB MiB of the stream for SEED
 *   xpat -d SEED MIB     compare stdin with those MIB MiB: exit 0 if they
 *                        are the same, 1 with one line on stdout that says
 *                        how they differ, 2 on a usage or read error
 *
 * The same SEED gives the same bytes on every machine, so one domain can
 * write a pattern and another can checksum it against a locally generated
 * copy.  The generator is splitmix64, which is enough to make every 8-byte
 * word of a disk or a TCP stream distinct and position dependent.
 *
 * Every splitmix64 step is a bijection, so a word of the stream tells
 * which seed and which offset it came from.  -d uses that to tell data
 * that went to the wrong place (a block holding another block's bytes,
 * or another seed's: another disk's) from data that was never written
 * (zeros) and from corrupted data (neither), which point at different
 * culprits: a request's segments or sectors, a lost write, a corrupted
 * buffer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xstream.h"

#define CHUNK 1048576u
#define BLOCK 4096u
#define WORDS (BLOCK / sizeof(uint64_t))
/* Blocks described one by one in the summary line. */
#define SHOWN 3
/* Seeds tried for a word that is not of the expected seed. */
#define SEEDS 64

/* The multiplicative inverse of odd @c modulo 2^64 (Newton's iteration). */
static uint64_t inverse(uint64_t c)
{
	uint64_t x = c;
	int i;

	for (i = 0; i < 6; i++)
		x *= 2 - c * x;
	return x;
}

/* The inverse of x ^= x >> @s. */
static uint64_t unshift(uint64_t x, unsigned int s)
{
	uint64_t y = x;
	unsigned int i;

	for (i = 0; i < 64 / s + 1; i++)
		y = x ^ (y >> s);
	return y;
}

/* The generator state that xstream_next() turned into @w. */
static uint64_t unmix(uint64_t w)
{
	w = unshift(w, 31);
	w *= inverse(0x94d049bb133111ebULL);
	w = unshift(w, 27);
	w *= inverse(0xbf58476d1ce4e5b9ULL);
	return unshift(w, 30);
}

/*
 * Where @w comes from: 1 with *@seed and *@off (a byte offset) if it is
 * the word at a plausible offset (below 2^40) of the stream of @want or of
 * a seed below SEEDS, 0 if not.
 */
static int origin(uint64_t w, uint64_t want, uint64_t *seed, uint64_t *off)
{
	uint64_t state = unmix(w), ginv = inverse(0x9e3779b97f4a7c15ULL);
	uint64_t s, k;

	for (s = 0; s <= SEEDS; s++) {
		uint64_t cand = s == 0 ? want : s - 1;

		k = (state - xstream_init(cand)) * ginv;
		if (k >= 1 && k - 1 < (1ULL << 37)) {
			*seed = cand;
			*off = (k - 1) * 8;
			return 1;
		}
	}
	return 0;
}

/* Read up to @len bytes; the count read, short only at the end, or -1. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

struct tally {
	unsigned long long blocks, bad, zeros, moved, foreign, partial, other;
	char shown[SHOWN * 96];
	unsigned int nshown;
};

/* Count the 4 KiB block at byte @at, @got, which differs from @exp, in @t. */
static void classify(struct tally *t, uint64_t want, unsigned long long at,
		     const uint64_t *got, const uint64_t *exp)
{
	uint64_t seed, off;
	unsigned int i, diff = 0, first = WORDS, zero = 1;
	char what[96];

	for (i = 0; i < WORDS; i++) {
		if (got[i] != exp[i]) {
			diff++;
			if (first == WORDS)
				first = i;
		}
		if (got[i])
			zero = 0;
	}
	t->bad++;
	if (zero) {
		t->zeros++;
		snprintf(what, sizeof(what), "zeros");
	} else if (diff < WORDS) {
		t->partial++;
		snprintf(what, sizeof(what), "%u of %zu words, the first at +%u",
			 diff, WORDS, first * 8);
	} else if (origin(got[0], want, &seed, &off) && seed == want) {
		t->moved++;
		snprintf(what, sizeof(what), "the bytes of offset 0x%llx",
			 (unsigned long long)off);
	} else if (origin(got[0], want, &seed, &off)) {
		t->foreign++;
		snprintf(what, sizeof(what), "seed %llu's bytes of offset 0x%llx",
			 (unsigned long long)seed, (unsigned long long)off);
	} else {
		t->other++;
		snprintf(what, sizeof(what), "other data (%016llx)",
			 (unsigned long long)got[0]);
	}
	if (t->nshown < SHOWN) {
		size_t used = strlen(t->shown);

		snprintf(t->shown + used, sizeof(t->shown) - used, "%s0x%llx: %s",
			 t->nshown ? "; " : "", at, what);
		t->nshown++;
	}
}

static int diff_mode(uint64_t seed, unsigned long long mib)
{
	static uint64_t exp[CHUNK / sizeof(uint64_t)], got[CHUNK / sizeof(uint64_t)];
	unsigned long long at = 0, total = mib * CHUNK;
	uint64_t state = xstream_init(seed);
	struct tally t = { 0 };
	char extra;
	ssize_t n = 0;

	while (at < total) {
		size_t i, b;

		for (i = 0; i < CHUNK / sizeof(uint64_t); i++)
			exp[i] = xstream_next(&state);
		n = read_full(0, got, CHUNK);
		if (n < 0) {
			fprintf(stderr, "xpat: read: %s\n", strerror(errno));
			return 2;
		}
		/* A short last block is compared as far as it goes. */
		if ((size_t)n < CHUNK)
			memset((char *)got + n, 0, CHUNK - (size_t)n);
		for (b = 0; b * BLOCK < (size_t)n; b++) {
			t.blocks++;
			if (memcmp(&got[b * WORDS], &exp[b * WORDS], BLOCK))
				classify(&t, seed, at + b * BLOCK, &got[b * WORDS],
					 &exp[b * WORDS]);
		}
		at += (unsigned long long)n;
		if ((size_t)n < CHUNK)
			break;
	}
	if (at == total && read_full(0, &extra, 1) == 1) {
		printf("more than the %llu bytes of %llu MiB\n", total, mib);
		return 1;
	}
	if (!t.bad && at == total)
		return 0;
	if (at < total)
		printf("%llu of %llu bytes; ", at, total);
	printf("%llu of %llu 4 KiB blocks differ ", t.bad, t.blocks);
	printf("(%llu zeros, %llu partly, %llu moved, %llu of another seed, %llu other)%s%s\n",
	       t.zeros, t.partial, t.moved, t.foreign, t.other,
	       t.nshown ? ": " : "", t.shown);
	return 1;
}

int main(int argc, char **argv)
{
	static uint64_t buf[CHUNK / sizeof(uint64_t)];
	unsigned long long mib;
	uint64_t state, seed;
	int diff = argc > 1 && !strcmp(argv[1], "-d");
	char *end;

	if (argc != 3 + diff) {
		fprintf(stderr, "usage: xpat [-d] SEED MIB\n");
		return 2;
	}
	seed = strtoull(argv[1 + diff], &end, 0);
	if (*end) {
		fprintf(stderr, "xpat: bad seed '%s'\n", argv[1 + diff]);
		return 2;
	}
	mib = strtoull(argv[2 + diff], &end, 0);
	if (*end || !*argv[2 + diff]) {
		fprintf(stderr, "xpat: bad size '%s'\n", argv[2 + diff]);
		return 2;
	}
	if (diff)
		return diff_mode(seed, mib);
	state = xstream_init(seed);
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
