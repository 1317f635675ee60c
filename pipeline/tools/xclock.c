// SPDX-License-Identifier: GPL-2.0-only
/*
 * xclock: the guest's clocks, as user space sees them.
 *
 *   xclock mono N   N reads of CLOCK_MONOTONIC, moving to the next online
 *                   CPU every 1000 reads: no read may be less than the one
 *                   before it, on whatever vCPU either was taken.
 *   xclock sleep    nanosleep() of 1, 10 and 100 ms, 5 times each, timed
 *                   with CLOCK_MONOTONIC: no sleep may end early, and the
 *                   median of each length must be under 10 times it (a
 *                   slow testbed oversleeps; a broken timer does so
 *                   grossly, or never wakes).
 *
 * Prints "XCLOCK <test> ok|FAIL <detail>" and exits 0 if ok, 1 if not,
 * 2 on a usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define HOP_READS	1000
#define SLEEP_TRIES	5

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Move to the next CPU after @cpu that we may run on; return it. */
static int hop(const cpu_set_t *allowed, int cpu)
{
	cpu_set_t one;
	int i;

	for (i = 1; i <= CPU_SETSIZE; i++) {
		int c = (cpu + i) % CPU_SETSIZE;

		if (!CPU_ISSET(c, allowed))
			continue;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		/* A CPU gone offline meanwhile: try the next one. */
		if (!sched_setaffinity(0, sizeof(one), &one))
			return c;
	}
	return cpu;
}

static int test_mono(long n)
{
	cpu_set_t allowed;
	int64_t prev, now, worst = 0;
	long i, back = 0, hops = 0;
	int cpu = -1, ncpus;

	if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
		perror("sched_getaffinity");
		return 2;
	}
	ncpus = CPU_COUNT(&allowed);
	cpu = hop(&allowed, cpu);
	prev = mono_ns();
	for (i = 0; i < n; i++) {
		if (i && i % HOP_READS == 0 && ncpus > 1) {
			cpu = hop(&allowed, cpu);
			hops++;
		}
		now = mono_ns();
		if (now < prev) {
			back++;
			if (prev - now > worst)
				worst = prev - now;
		}
		prev = now;
	}
	sched_setaffinity(0, sizeof(allowed), &allowed);
	printf("XCLOCK mono %s %ld reads on %d CPUs, %ld moves between them, ",
	       back ? "FAIL" : "ok", n, ncpus, hops);
	printf("%ld back (at most %lld ns)\n", back, (long long)worst);
	return back ? 1 : 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int test_sleep(void)
{
	static const long ms[] = { 1, 10, 100 };
	char detail[512];
	size_t len = 0;
	int bad = 0;
	unsigned int k;

	detail[0] = 0;
	for (k = 0; k < ARRAY_SIZE(ms); k++) {
		int64_t want = ms[k] * 1000000, took[SLEEP_TRIES];
		struct timespec ts = { .tv_sec = 0, .tv_nsec = want };
		int early = 0, t;

		for (t = 0; t < SLEEP_TRIES; t++) {
			int64_t t0 = mono_ns();
			struct timespec left = ts;

			/* A signal cuts it short: sleep what is left. */
			while (nanosleep(&left, &left) && errno == EINTR)
				;
			took[t] = mono_ns() - t0;
			if (took[t] < want)
				early++;
		}
		qsort(took, SLEEP_TRIES, sizeof(took[0]), cmp_i64);
		if (early || took[SLEEP_TRIES / 2] > 10 * want)
			bad = 1;
		len += snprintf(detail + len, sizeof(detail) - len,
				"%s%ld ms: %d early, median %.2f ms, max %.2f ms",
				k ? "; " : "", ms[k], early,
				took[SLEEP_TRIES / 2] / 1e6,
				took[SLEEP_TRIES - 1] / 1e6);
		if (len >= sizeof(detail))
			len = sizeof(detail) - 1;
	}
	printf("XCLOCK sleep %s %s\n", bad ? "FAIL" : "ok", detail);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "mono")) {
		long n = strtol(argv[2], NULL, 10);

		if (n > 0)
			return test_mono(n);
	}
	if (argc == 2 && !strcmp(argv[1], "sleep"))
		return test_sleep();
	fprintf(stderr, "usage: xclock mono N | sleep\n");
	return 2;
}
