/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny TAP producer for the host unit tests.
 *
 * ok(cond, fmt, ...) prints one "ok N desc" or "not ok N desc" line;
 * tap_done() prints the plan and returns the exit status (1 if anything
 * failed).  A test that crashes never reaches the plan, so the report
 * counts it as failed.  dup_n() is for tests that hand a parser an
 * exact-size buffer, so that AddressSanitizer sees any read past it.
 */
#ifndef _XEN_TEST_TAP_H
#define _XEN_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned int tap_run, tap_failed;

__printf(2, 3)
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %u ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

/* A test that shows a known problem: never counts as a failure. */
__printf(2, 3)
static void ok_todo(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	printf("%sok %u ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # TODO\n");
	fflush(stdout);
}

/* ok() comparing two integers, printing both on failure. */
#define ok_eq(a, b, ...) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (!ok(_a == _b, __VA_ARGS__))					\
		printf("#   got %lld, want %lld\n", _a, _b);		\
} while (0)

static void tap_start(void)
{
	printf("TAP version 13\n");
}

static int tap_done(void)
{
	printf("1..%u\n", tap_run);
	if (tap_failed)
		printf("# %u of %u failed\n", tap_failed, tap_run);
	return tap_failed ? 1 : 0;
}

/* An exact-size heap copy of N bytes of S (NULL for N == 0). */
static char *dup_n(const char *s, size_t n)
{
	char *p;

	if (!n)
		return NULL;
	p = malloc(n);
	if (!p)
		abort();
	memcpy(p, s, n);
	return p;
}

#endif
