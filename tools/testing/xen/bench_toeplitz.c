// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host microbenchmark: what a hash cache would save our netback.
 *
 * With Toeplitz hashing on, our backend hashes each packet for the guest
 * with netback_toeplitz() (drivers/net/xen-netback/proto.h and proto.c,
 * built here as they are).  Upstream's keeps a per-vif list of the
 * hashes of its last hash_cache_size (64) flows.  A lookup walks that
 * list under RCU and compares each entry's tag (the hashed bytes) with
 * memcmp().  A hit stamps the entry from a shared atomic counter.  A miss
 * hashes, then allocates an entry and takes a spinlock.  Under the lock
 * it walks the list again, for a duplicate and for the oldest stamp,
 * adds the new entry at the head and evicts the oldest past the size.
 *
 * This program measures, in nanoseconds per packet on this host:
 *
 *  - our Toeplitz over the four inputs: IPv4 (8 bytes), IPv4+TCP (12),
 *    IPv6 (32) and IPv6+TCP (36), a new random tuple each packet, as
 *    many flows give, and through a call that does not know the key, as
 *    in the driver.  The "new tuple and call" rows are what those rows
 *    pay besides the hash.  A row for one flow (the same tuple each
 *    packet) shows whether the cost depends on the CPU learning the
 *    input's bits: a hash with a branch per input bit costs several
 *    times as much on random tuples as on one flow's;
 *  - gathering that input from an IPv4+TCP header (netback_hash_input()),
 *    which a cache keyed by the input needs as much as the hash does;
 *  - a model of upstream's cache, written from the description above,
 *    with 64 entries: a hit on the first entry, a hit on the 33rd, a
 *    miss (64 compares), the insert and eviction that follow a miss, and
 *    the whole miss (lookup, hash, insert).  The entries are 64 flows
 *    between the same two hosts: they share the addresses and the
 *    destination port, so each compare runs through the addresses into
 *    the source port (byte 8 or 9 of 12, 32 or 33 of 36).  One miss row
 *    has flows from 64 different hosts, whose compares stop at the first
 *    word.  The model takes no lock and frees at once: upstream adds
 *    spin_lock_irqsave() to every insert, rcu_read_lock() to every
 *    lookup and kfree_rcu() to every eviction, and its stamp, written on
 *    every hit, bounces between the CPUs that share a vif.  A hit row
 *    looks up one flow over and over, the best case for the cache;
 *  - for scale, copying 1500 bytes and 64 KiB (glibc's memcpy), which a
 *    grant copy into the guest does at least once per packet.
 *
 * Each figure is the median of RUNS runs of ITERS operations (the first
 * argument overrides ITERS; 64 KiB copies do 1/64 as many), taken in
 * rounds of every case, after one round to warm up; the time is the
 * thread's CPU time.  The code is built as the kernel's is: -O2, no SSE,
 * no red zone.  The Makefile's "bench" target builds and runs this; it is
 * not part of "check", because timings are not pass or fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/kernel.h>
#include "drivers/net/xen-netback/proto.h"
#include "rss_key.h"

#define RUNS		15
#define ITERS		65536
#define NR_TUPLES	256		/* 9 KiB of tuples, for the header row */
#define CACHE_SIZE	64		/* upstream's default hash_cache_size */
#define TAG_SIZE	40		/* upstream's XEN_NETBK_HASH_TAG_SIZE */

#define noipa		__attribute__((__noipa__))

static u8 tuples[NR_TUPLES][36];
static unsigned int iters = ITERS;
/* Every result is folded in here and printed, so none is optimised out. */
static u32 sink;

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * This thread's CPU time: a run that the scheduler interrupts (the host
 * may be busy building) is not charged for the time it waited.
 */
static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * The driver's call: the key and lengths are the frontend's, unknown to
 * the compiler, wherever netback_toeplitz() is defined.
 */
static noipa u32 hash_tuple(const u8 *key, u32 key_len, const u8 *buf,
			    u32 len)
{
	return netback_toeplitz(key, key_len, buf, len);
}

/* ---- the cache model ------------------------------------------------ */

struct model_link {
	struct model_link *next, *prev;
};

/* Laid out as upstream's entry: list link, RCU head, tag, len, val, seq. */
struct model_entry {
	struct model_link link;
	void *rcu[2];
	u8 tag[TAG_SIZE];
	unsigned int len;
	u32 val;
	int seq;
};

struct model_cache {
	struct model_link list;		/* newest first */
	unsigned int count;
	int seq;			/* upstream's is an atomic_t */
};

static struct model_entry *entry_of(struct model_link *l)
{
	return (struct model_entry *)((char *)l -
				      offsetof(struct model_entry, link));
}

/*
 * The compare an x86-64 kernel makes: lib/string.c's memcmp(), a word at
 * a time while eight bytes are left, then a byte at a time.
 */
static noipa int model_memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;
	u64 x, y;

	for (; n >= sizeof(u64); n -= sizeof(u64), p += 8, q += 8) {
		memcpy(&x, p, sizeof(x));
		memcpy(&y, q, sizeof(y));
		if (x != y)
			break;
	}
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

static void model_init(struct model_cache *c)
{
	c->list.next = &c->list;
	c->list.prev = &c->list;
	c->count = 0;
	c->seq = 0;
}

static void model_unlink(struct model_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
}

/* The lookup: true and @val set on a hit, which stamps the entry. */
static noipa bool model_find(struct model_cache *c, const u8 *tag,
			     unsigned int len, u32 *val)
{
	struct model_link *l;

	for (l = c->list.next; l != &c->list; l = l->next) {
		struct model_entry *e = entry_of(l);

		if (e->len == len && !model_memcmp(e->tag, tag, len)) {
			*val = e->val;
			e->seq = __atomic_add_fetch(&c->seq, 1,
						    __ATOMIC_SEQ_CST);
			return true;
		}
	}
	return false;
}

/* The insert after a miss, where upstream holds the cache's spinlock. */
static noipa void model_add(struct model_cache *c, const u8 *tag,
			    unsigned int len, u32 val)
{
	struct model_entry *new, *oldest = NULL;
	struct model_link *l;
	bool found = false;

	new = malloc(sizeof(*new));
	if (!new)
		return;
	memcpy(new->tag, tag, len);
	new->len = len;
	new->val = val;

	for (l = c->list.next; l != &c->list; l = l->next) {
		struct model_entry *e = entry_of(l);

		if (e->len == len && !model_memcmp(e->tag, tag, len))
			found = true;
		if (!oldest || e->seq < oldest->seq)
			oldest = e;
	}
	if (found) {
		free(new);
		return;
	}
	new->seq = __atomic_add_fetch(&c->seq, 1, __ATOMIC_SEQ_CST);
	new->link.next = c->list.next;
	new->link.prev = &c->list;
	c->list.next->prev = &new->link;
	c->list.next = &new->link;
	if (++c->count > CACHE_SIZE) {
		model_unlink(&oldest->link);
		c->count--;
		free(oldest);
	}
}

/* A packet's hash through the cache: upstream's whole per-packet path. */
static noipa u32 model_hash(struct model_cache *c, const u8 *tag,
			    unsigned int len)
{
	u32 val;

	if (model_find(c, tag, len, &val))
		return val;
	val = hash_tuple(rss_key, sizeof(rss_key), tag, len);
	model_add(c, tag, len, val);
	return val;
}

static void model_free(struct model_cache *c)
{
	while (c->list.next != &c->list) {
		struct model_link *l = c->list.next;

		model_unlink(l);
		free(entry_of(l));
	}
	c->count = 0;
}

/*
 * A flow's tag: @len is 12 (IPv4+TCP) or 36 (IPv6+TCP).  Flows between
 * the same two hosts differ in the source port; with @spread, in the
 * first byte too, as flows from different hosts would.
 */
static void make_tag(u8 *tag, unsigned int len, u32 sport, bool spread)
{
	unsigned int addrs = len - 4, i;

	for (i = 0; i < addrs; i++)
		tag[i] = 0x20 + i;
	if (spread)
		tag[0] = (u8)sport;
	tag[addrs] = (u8)(sport >> 8);
	tag[addrs + 1] = (u8)sport;
	tag[addrs + 2] = 0x01;		/* destination port 443 */
	tag[addrs + 3] = 0xbb;
}

/* Fill @c with 64 flows, source ports 40000 to 40063; 40063 is first. */
static void model_fill(struct model_cache *c, unsigned int len, bool spread)
{
	u8 tag[TAG_SIZE];
	u32 i;

	model_init(c);
	for (i = 0; i < CACHE_SIZE; i++) {
		make_tag(tag, len, 40000 + i, spread);
		model_add(c, tag, len,
			  hash_tuple(rss_key, sizeof(rss_key), tag, len));
	}
}

/* ---- the cases ------------------------------------------------------ */

struct bench_case {
	const char *name;
	unsigned int len;
	/* Runs @n operations; returns ns taken. */
	u64 (*run)(const struct bench_case *bc, unsigned int n);
	bool spread;
	u32 pos;	/* for a hit: which entry, 0 the newest */
};

static noipa u32 empty_call(const u8 *buf, u32 len)
{
	return buf[len - 1];
}

/* @len random bytes at @buf, which has room for 40. */
static void fill_random(u8 *buf, unsigned int len, u64 *state)
{
	unsigned int i;
	u64 x = *state;

	for (i = 0; i < len; i += sizeof(x)) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(buf + i, &x, sizeof(x));
	}
	*state = x;
}

/* What each Toeplitz row pays besides the hash: a new tuple, a call. */
static u64 run_empty(const struct bench_case *bc, unsigned int n)
{
	u64 state = rng(), t = now_ns();
	unsigned int i;
	u8 buf[40];

	for (i = 0; i < n; i++) {
		fill_random(buf, bc->len, &state);
		sink += empty_call(buf, bc->len);
	}
	return now_ns() - t;
}

/*
 * A new random tuple each packet, as many flows give: a hash that
 * branches on each input bit has branches the CPU cannot learn.
 */
static u64 run_toeplitz(const struct bench_case *bc, unsigned int n)
{
	u64 state = rng(), t = now_ns();
	unsigned int i;
	u8 buf[40];

	for (i = 0; i < n; i++) {
		fill_random(buf, bc->len, &state);
		sink += hash_tuple(rss_key, sizeof(rss_key), buf, bc->len);
	}
	return now_ns() - t;
}

/* One flow: the same tuple each packet, the best case for the branches. */
static u64 run_toeplitz_one(const struct bench_case *bc, unsigned int n)
{
	u64 t = now_ns();
	unsigned int i;

	for (i = 0; i < n; i++)
		sink += hash_tuple(rss_key, sizeof(rss_key), tuples[0],
				   bc->len);
	return now_ns() - t;
}

/* Gathering the input from an IPv4+TCP header, cache or none. */
static u64 run_input(const struct bench_case *bc, unsigned int n)
{
	u8 ip[NR_TUPLES][40], in[36], type;
	unsigned int i;
	u64 t;

	(void)bc;
	for (i = 0; i < NR_TUPLES; i++) {
		memset(ip[i], 0, sizeof(ip[i]));
		ip[i][0] = 0x45;
		ip[i][6] = 0x40;	/* don't fragment */
		ip[i][9] = 6;		/* TCP */
		memcpy(ip[i] + 12, tuples[i], 12);
	}
	t = now_ns();
	for (i = 0; i < n; i++)
		sink += netback_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP,
					   ip[i % NR_TUPLES], 40, in, &type);
	return now_ns() - t;
}

static u64 run_hit(const struct bench_case *bc, unsigned int n)
{
	struct model_cache c;
	u8 tag[TAG_SIZE];
	unsigned int i;
	u32 val = 0;
	u64 t;

	model_fill(&c, bc->len, bc->spread);
	make_tag(tag, bc->len, 40000 + CACHE_SIZE - 1 - bc->pos, bc->spread);
	t = now_ns();
	for (i = 0; i < n; i++) {
		if (!model_find(&c, tag, bc->len, &val))
			abort();
		sink += val;
	}
	t = now_ns() - t;
	if (val != hash_tuple(rss_key, sizeof(rss_key), tag, bc->len))
		abort();
	model_free(&c);
	return t;
}

/* The lookup alone, for flows that are not in the cache. */
static u64 run_miss(const struct bench_case *bc, unsigned int n)
{
	struct model_cache c;
	u8 tag[TAG_SIZE];
	unsigned int i;
	u32 val = 0;
	u64 t;

	model_fill(&c, bc->len, bc->spread);
	make_tag(tag, bc->len, 50000, bc->spread);
	t = now_ns();
	for (i = 0; i < n; i++) {
		tag[bc->len - 4] = (u8)(i >> 8) & 0x7f;	/* ports < 32768 */
		tag[bc->len - 3] = (u8)i;
		if (model_find(&c, tag, bc->len, &val))
			abort();
		sink += tag[bc->len - 3];
	}
	t = now_ns() - t;
	model_free(&c);
	return t;
}

/* A new flow each packet; @hash: the whole miss, else the insert alone. */
static u64 run_new_flows(const struct bench_case *bc, unsigned int n,
			 bool hash)
{
	struct model_cache c;
	u8 tag[TAG_SIZE];
	unsigned int i;
	u64 t;

	model_fill(&c, bc->len, bc->spread);
	make_tag(tag, bc->len, 50000, bc->spread);
	t = now_ns();
	for (i = 0; i < n; i++) {
		/* The whole tail of the tag, so every flow is new. */
		tag[bc->len - 4] = (u8)(i >> 24) & 0x7f;
		tag[bc->len - 3] = (u8)(i >> 16);
		tag[bc->len - 2] = (u8)(i >> 8);
		tag[bc->len - 1] = (u8)i;
		if (hash) {
			sink += model_hash(&c, tag, bc->len);
		} else {
			model_add(&c, tag, bc->len, i);
			sink += c.count;
		}
	}
	t = now_ns() - t;
	if (c.count != CACHE_SIZE)
		abort();
	model_free(&c);
	return t;
}

static u64 run_insert(const struct bench_case *bc, unsigned int n)
{
	return run_new_flows(bc, n, false);
}

static u64 run_miss_path(const struct bench_case *bc, unsigned int n)
{
	return run_new_flows(bc, n, true);
}

static u64 run_copy(const struct bench_case *bc, unsigned int n)
{
	static u8 src[65536], dst[65536];
	unsigned int i;
	u64 t;

	memset(src, 0x5a, sizeof(src));
	t = now_ns();
	for (i = 0; i < n; i++) {
		src[i % 64] = (u8)i;
		memcpy(dst, src, bc->len);
		sink += dst[i % 64];
	}
	return now_ns() - t;
}

#define RUN(n, l, f)	{ .name = (n), .len = (l), .run = (f) }
#define HIT(l, p)	{ .name = "cache hit at entry " #p, \
			  .len = (l), .run = run_hit, .pos = (p) }
#define MISS(n, l, s)	{ .name = (n), .len = (l), .run = run_miss, \
			  .spread = (s) }

static const struct bench_case cases[] = {
	RUN("new tuple and call, no hash", 12, run_empty),
	RUN("new tuple and call, no hash", 36, run_empty),
	RUN("toeplitz IPv4", 8, run_toeplitz),
	RUN("toeplitz IPv4+TCP", 12, run_toeplitz),
	RUN("toeplitz IPv6", 32, run_toeplitz),
	RUN("toeplitz IPv6+TCP", 36, run_toeplitz),
	RUN("toeplitz IPv4+TCP, one flow", 12, run_toeplitz_one),
	RUN("toeplitz IPv6+TCP, one flow", 36, run_toeplitz_one),
	RUN("hash input from IPv4+TCP header", 12, run_input),
	HIT(12, 0),
	HIT(12, 32),
	MISS("cache miss lookup, 64 compares", 12, false),
	MISS("cache miss lookup, 64 hosts", 12, true),
	RUN("cache insert+evict, no lock", 12, run_insert),
	RUN("cache whole miss: find+hash+add", 12, run_miss_path),
	HIT(36, 0),
	HIT(36, 32),
	MISS("cache miss lookup, 64 compares", 36, false),
	MISS("cache miss lookup, 64 hosts", 36, true),
	RUN("cache insert+evict, no lock", 36, run_insert),
	RUN("cache whole miss: find+hash+add", 36, run_miss_path),
	RUN("memcpy 1500 bytes, for scale", 1500, run_copy),
	RUN("memcpy 64 KiB, for scale", 65536, run_copy),
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Prints @ns for @n operations as nanoseconds per operation, to 0.1. */
static void print_per_op(u64 ns, unsigned int n)
{
	u64 tenths = (ns * 10 + n / 2) / n;

	printf(" %7llu.%llu", (unsigned long long)(tenths / 10),
	       (unsigned long long)(tenths % 10));
}

/* Operations per run of @bc: 64 KiB copies take longer, fewer of them. */
static unsigned int ops(const struct bench_case *bc)
{
	if (bc->len > 4096)
		return iters / 64 ? iters / 64 : 1;
	return iters;
}

/*
 * Runs every case once per round, so that a slow spell of the host (a
 * neighbour, a frequency change) falls on all cases alike rather than on
 * the runs of one.  Round 0 warms up and is not kept.
 */
static void bench(void)
{
	static u64 t[ARRAY_SIZE(cases)][RUNS];
	unsigned int c;
	int r;

	for (r = -1; r < RUNS; r++)
		for (c = 0; c < ARRAY_SIZE(cases); c++) {
			u64 ns = cases[c].run(&cases[c], ops(&cases[c]));

			if (r >= 0)
				t[c][r] = ns;
		}
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		qsort(t[c], RUNS, sizeof(t[c][0]), cmp_u64);
		printf("%-34s %5u", cases[c].name, cases[c].len);
		print_per_op(t[c][RUNS / 2], ops(&cases[c]));
		print_per_op(t[c][0], ops(&cases[c]));
		print_per_op(t[c][RUNS - 1], ops(&cases[c]));
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	/* 66.9.149.187:2794 -> 161.142.100.80:1766, Microsoft's example. */
	static const u8 rss_tcp4[12] = { 66, 9, 149, 187, 161, 142, 100, 80,
					 0x0a, 0xea, 0x06, 0xe6 };
	unsigned int i, j;

	if (argc > 1)
		iters = strtoul(argv[1], NULL, 0);
	if (!iters) {
		fprintf(stderr, "usage: %s [iterations per run]\n", argv[0]);
		return 2;
	}
	/* Measure nothing if the core under test is wrong. */
	if (hash_tuple(rss_key, sizeof(rss_key), rss_tcp4, 12) !=
	    0x51ccc178) {
		fprintf(stderr, "netback_toeplitz() fails the RSS example\n");
		return 1;
	}
	for (i = 0; i < NR_TUPLES; i++)
		for (j = 0; j < sizeof(tuples[i]); j++)
			tuples[i][j] = (u8)rng();
	printf("# ns per operation, median (min, max) of %d runs of %u\n",
	       RUNS, iters);
	printf("%-34s %5s %9s %9s %9s\n", "# case", "bytes", "median", "min",
	       "max");
	bench();
	printf("# sink %08x\n", sink);
	return 0;
}
