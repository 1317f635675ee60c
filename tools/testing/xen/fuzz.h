/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the libFuzzer targets: a cursor over the input and a
 * check that aborts (so libFuzzer records a crash) when an invariant of
 * the code under test does not hold.
 */
#ifndef _XEN_TEST_FUZZ_H
#define _XEN_TEST_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The target's entry point; the Makefile links it as libFuzzer's
 * LLVMFuzzerTestOneInput.  Returns 0.
 */
int fuzz_one_input(const uint8_t *data, size_t size);

struct fuzz_in {
	const unsigned char *p;
	size_t left;
};

/* Next byte of input, 0 once it is used up. */
static unsigned char fz_u8(struct fuzz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

/* Little-endian; the low part is taken first, whatever the compiler. */
static unsigned int fz_u16(struct fuzz_in *in)
{
	unsigned int lo = fz_u8(in);

	return lo | (unsigned int)fz_u8(in) << 8;
}

static unsigned int fz_u32(struct fuzz_in *in)
{
	unsigned int lo = fz_u16(in);

	return lo | (unsigned int)fz_u16(in) << 16;
}

static unsigned long long fz_u64(struct fuzz_in *in)
{
	unsigned long long lo = fz_u32(in);

	return lo | (unsigned long long)fz_u32(in) << 32;
}

/* Copy up to @len bytes of input to @dst, zero-filling the rest. */
static void fz_bytes(struct fuzz_in *in, void *dst, size_t len)
{
	size_t n = len < in->left ? len : in->left;

	memcpy(dst, in->p, n);
	memset((unsigned char *)dst + n, 0, len - n);
	in->p += n;
	in->left -= n;
}

/*
 * Next "key=value" line of input into @line (at most @size - 1 bytes; a
 * longer line is cut there and its remainder starts the next one).
 * Returns false once the input is used up; *@val is NULL for a line
 * without '=', else points at the value and the key ends at the '='.
 */
static bool fz_key_line(struct fuzz_in *in, char *line, size_t size,
			char **val)
{
	size_t n = 0;
	char *eq;

	if (!in->left)
		return false;
	while (in->left && n < size - 1) {
		char c = fz_u8(in);

		if (c == '\n')
			break;
		line[n++] = c;
	}
	line[n] = 0;
	eq = strchr(line, '=');
	if (eq)
		*eq++ = 0;
	*val = eq;
	return true;
}

#define FZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

#endif
