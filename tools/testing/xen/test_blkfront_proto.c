// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/block/xen-blkfront/proto.c: the number parser,
 * backend keys, ring choice, disk description, request building and
 * response checking.
 */
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include <xen/xenbus_parse.h>
#include "drivers/block/xen-blkfront/proto.h"
#include "tap.h"

static void test_parse_uint(void)
{
	u64 v = 77;

	ok(!xenbus_parse_uint("0", 0, &v) && v == 0, "parse \"0\" with max 0");
	ok(!xenbus_parse_uint("512", U32_MAX, &v) && v == 512, "parse 512");
	ok(!xenbus_parse_uint("0012", 100, &v) && v == 12,
	   "leading zeros accepted");
	ok(!xenbus_parse_uint("18446744073709551615", U64_MAX, &v) &&
	   v == U64_MAX, "U64_MAX");
	ok(!xenbus_parse_uint("4294967295", U32_MAX, &v) && v == U32_MAX,
	   "exactly max");
	v = 77;
	ok_eq(xenbus_parse_uint("4294967296", U32_MAX, &v), -ERANGE,
	      "max + 1: -ERANGE");
	ok_eq(xenbus_parse_uint("18446744073709551616", U64_MAX, &v), -ERANGE,
	      "U64_MAX + 1: -ERANGE");
	ok_eq(xenbus_parse_uint("99999999999999999999", U64_MAX, &v), -ERANGE,
	      "20 nines: -ERANGE");
	ok(xenbus_parse_uint("123456789012345678901", U64_MAX, &v) < 0,
	   "21 digits: an error");
	ok(xenbus_parse_uint("000000000000000000001", U64_MAX, &v) < 0,
	   "21 digits with leading zeros: an error");
	ok_eq(xenbus_parse_uint("", 10, &v), -EINVAL, "empty: -EINVAL");
	ok_eq(xenbus_parse_uint(NULL, 10, &v), -EINVAL, "NULL: -EINVAL");
	ok_eq(xenbus_parse_uint("+5", 10, &v), -EINVAL, "plus: -EINVAL");
	ok_eq(xenbus_parse_uint("-5", 10, &v), -EINVAL, "minus: -EINVAL");
	ok_eq(xenbus_parse_uint(" 5", 10, &v), -EINVAL, "leading space");
	ok_eq(xenbus_parse_uint("5 ", 10, &v), -EINVAL, "trailing space");
	ok_eq(xenbus_parse_uint("5\n", 10, &v), -EINVAL, "trailing newline");
	ok_eq(xenbus_parse_uint("0x5", 10, &v), -EINVAL, "hex prefix");
	ok_eq(xenbus_parse_uint("5k", 10, &v), -EINVAL, "unit suffix");
	ok_eq(xenbus_parse_uint("1.0", 10, &v), -EINVAL, "decimal point");
	ok_eq(v, 77, "value untouched by every error");
}

static const struct {
	const char *name;
	enum blkfront_key key;
	size_t off;
} keys[] = {
#define K(n, k, f) { n, k, offsetof(struct blkfront_backend, f) }
	K("sectors", BLKFRONT_KEY_SECTORS, sectors),
	K("info", BLKFRONT_KEY_INFO, info),
	K("sector-size", BLKFRONT_KEY_SECTOR_SIZE, sector_size),
	K("physical-sector-size", BLKFRONT_KEY_PHYS_SECTOR_SIZE,
	  phys_sector_size),
	K("max-ring-page-order", BLKFRONT_KEY_MAX_RING_ORDER, max_ring_order),
	K("max-ring-pages", BLKFRONT_KEY_MAX_RING_PAGES, max_ring_pages),
	K("multi-queue-max-queues", BLKFRONT_KEY_MAX_QUEUES, max_queues),
	K("feature-max-indirect-segments", BLKFRONT_KEY_MAX_INDIRECT,
	  max_indirect),
	K("feature-flush-cache", BLKFRONT_KEY_FLUSH, flush),
	K("feature-barrier", BLKFRONT_KEY_BARRIER, barrier),
	K("feature-discard", BLKFRONT_KEY_DISCARD, discard),
	K("discard-secure", BLKFRONT_KEY_DISCARD_SECURE, discard_secure),
	K("discard-granularity", BLKFRONT_KEY_DISCARD_GRAN, discard_gran),
	K("discard-alignment", BLKFRONT_KEY_DISCARD_ALIGN, discard_align),
	K("feature-persistent", BLKFRONT_KEY_PERSISTENT, persistent),
	K("feature-large-sector-size", BLKFRONT_KEY_LARGE_SECTORS,
	  large_sectors),
#undef K
};

static void test_keys(void)
{
	struct blkfront_backend be;
	unsigned int i;
	u64 v;

	ok_eq(ARRAY_SIZE(keys), BLKFRONT_KEY_NR,
	      "every key is tested");
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		memset(&be, 0, sizeof(be));
		memcpy(&v, (u8 *)&be + keys[i].off, sizeof(v));
		ok(!blkfront_parse_key(&be, keys[i].name, "4000000000") &&
		   be.present == 1u << keys[i].key &&
		   !memcmp((u8 *)&be + keys[i].off,
			   &(u64){ 4000000000ull }, sizeof(u64)),
		   "%s parsed into its field", keys[i].name);
		be.present = 0;
		if (keys[i].key == BLKFRONT_KEY_SECTORS)
			ok(!blkfront_parse_key(&be, keys[i].name,
					       "18446744073709551615"),
			   "sectors takes a u64");
		else
			ok_eq(blkfront_parse_key(&be, keys[i].name,
						 "4294967296"), -ERANGE,
			      "%s above U32_MAX: -ERANGE", keys[i].name);
		memset(&be, 0, sizeof(be));
		ok(blkfront_parse_key(&be, keys[i].name, "1 ") == -EINVAL &&
		   !be.present, "%s malformed: -EINVAL, stays absent",
		   keys[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		ok(blkfront_key_name(keys[i].key) &&
		   !strcmp(blkfront_key_name(keys[i].key), keys[i].name),
		   "blkfront_key_name(%u) is %s", keys[i].key, keys[i].name);
	ok(!blkfront_key_name(BLKFRONT_KEY_NR), "no name for KEY_NR");
	memset(&be, 0, sizeof(be));
	ok_eq(blkfront_parse_key(&be, "ring-ref", "1"), -ENOENT,
	      "unknown key: -ENOENT");
	ok_eq(blkfront_parse_key(&be, "sector", "1"), -ENOENT,
	      "prefix of a key: -ENOENT");
	ok_eq(blkfront_parse_key(&be, "sectors-", "1"), -ENOENT,
	      "key plus a suffix: -ENOENT");
	ok_eq(blkfront_parse_key(&be, "", "1"), -ENOENT, "empty key");
	ok_eq(be.present, 0, "unknown keys record nothing");
}

static const struct blkfront_limits def_lim = {
	.max_ring_order = 4, .max_queues = 4, .max_indirect = 1024,
	.persistent = true, .large_sectors = true,
};

static void test_choose(void)
{
	struct blkfront_limits lim = def_lim;
	struct blkfront_backend be = { 0 };
	struct blkfront_ring_conf rc;

	blkfront_choose_ring(&be, &lim, &rc);
	ok(rc.ring_order == 0 && rc.nr_queues == 1 && !rc.legacy_keys &&
	   rc.persistent && !rc.large_sectors,
	   "no keys: one page, one queue");
	blkfront_parse_key(&be, "max-ring-page-order", "2");
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.ring_order, 2, "backend order 2");
	blkfront_parse_key(&be, "max-ring-page-order", "4294967295");
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.ring_order, 4, "huge backend order clamped to ours");
	lim.max_ring_order = 1;
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.ring_order, 1, "clamped to the module limit");
	lim.max_ring_order = 30;
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.ring_order, BLKFRONT_MAX_RING_ORDER,
	      "module limit above BLKFRONT_MAX_RING_ORDER is capped");
	lim = def_lim;

	memset(&be, 0, sizeof(be));
	blkfront_parse_key(&be, "max-ring-pages", "8");
	blkfront_choose_ring(&be, &lim, &rc);
	ok(rc.ring_order == 3 && rc.legacy_keys, "legacy 8 pages: order 3");
	blkfront_parse_key(&be, "max-ring-pages", "6");
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.ring_order, 2, "legacy 6 pages: rounded down to 4");
	blkfront_parse_key(&be, "max-ring-pages", "0");
	blkfront_choose_ring(&be, &lim, &rc);
	ok(rc.ring_order == 0 && !rc.legacy_keys, "legacy 0 pages: ignored");
	blkfront_parse_key(&be, "max-ring-pages", "4294967295");
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.ring_order, 4, "legacy huge: clamped");
	blkfront_parse_key(&be, "max-ring-page-order", "1");
	blkfront_choose_ring(&be, &lim, &rc);
	ok(rc.ring_order == 1 && !rc.legacy_keys,
	   "max-ring-page-order wins over max-ring-pages");

	memset(&be, 0, sizeof(be));
	blkfront_parse_key(&be, "multi-queue-max-queues", "3");
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.nr_queues, 3, "backend 3 queues");
	blkfront_parse_key(&be, "multi-queue-max-queues", "100");
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.nr_queues, 4, "queues clamped to ours");
	blkfront_parse_key(&be, "multi-queue-max-queues", "0");
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.nr_queues, 1, "backend 0 queues: 1");
	blkfront_parse_key(&be, "multi-queue-max-queues", "100");
	lim.max_queues = 0;
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.nr_queues, 1, "our limit 0: still 1 queue");
	lim.max_queues = 1000;
	blkfront_choose_ring(&be, &lim, &rc);
	ok_eq(rc.nr_queues, BLKFRONT_MAX_QUEUES, "capped at MAX_QUEUES");
	lim = def_lim;

	memset(&be, 0, sizeof(be));
	blkfront_parse_key(&be, "feature-large-sector-size", "1");
	blkfront_choose_ring(&be, &lim, &rc);
	ok(rc.large_sectors, "large sectors when both ends offer them");
	lim.large_sectors = false;
	blkfront_choose_ring(&be, &lim, &rc);
	ok(!rc.large_sectors, "no large sectors when we do not");
	lim = def_lim;
	blkfront_parse_key(&be, "feature-large-sector-size", "0");
	blkfront_choose_ring(&be, &lim, &rc);
	ok(!rc.large_sectors, "no large sectors when the backend says 0");
	lim.persistent = false;
	blkfront_choose_ring(&be, &lim, &rc);
	ok(!rc.persistent, "persistent follows our parameter");
}

/* Describe a disk from key/value pairs, NULL-terminated. */
static int describe(const char *const *kv, bool large,
		    struct blkfront_disk_conf *dc)
{
	struct blkfront_backend be = { 0 };
	struct blkfront_ring_conf rc = { .ring_order = 0, .nr_queues = 1,
					 .persistent = true,
					 .large_sectors = large };

	for (; kv[0]; kv += 2)
		if (blkfront_parse_key(&be, kv[0], kv[1]))
			printf("# bad test key %s=%s\n", kv[0], kv[1]);
	return blkfront_describe_disk(&be, &def_lim, &rc, dc);
}

#define D(large, dc, ...) \
	describe((const char *const[]){ __VA_ARGS__, NULL }, large, dc)

static void test_describe(void)
{
	struct blkfront_disk_conf dc;

	ok(!D(false, &dc, "sectors", "2048", "sector-size", "512") &&
	   dc.sect_shift == 9 && dc.logical_size == 512 &&
	   dc.physical_size == 512 && dc.capacity == 2048 && !dc.readonly &&
	   !dc.flush && !dc.discard && dc.segs_per_req == 11 &&
	   !dc.indirect && !dc.backend_persistent, "minimal disk");
	ok_eq(D(false, &dc, "sector-size", "512"), -EINVAL, "no sectors");
	ok_eq(D(false, &dc, "sectors", "8"), -EINVAL, "no sector-size");
	ok_eq(D(false, &dc, "sectors", "8", "sector-size", "0"), -EINVAL,
	      "sector-size 0");
	ok_eq(D(false, &dc, "sectors", "8", "sector-size", "100"), -EINVAL,
	      "sector-size 100");
	ok_eq(D(false, &dc, "sectors", "8", "sector-size", "256"), -EINVAL,
	      "sector-size 256");
	ok_eq(D(false, &dc, "sectors", "8", "sector-size", "8192"), -EINVAL,
	      "sector-size 8192");
	ok_eq(D(false, &dc, "sectors", "8", "sector-size", "1536"), -EINVAL,
	      "sector-size 1536 (not a power of two)");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "1024") &&
	   dc.logical_size == 1024 && dc.sect_shift == 9,
	   "1K sectors without large-sector mode: unit stays 512");
	ok(!D(false, &dc, "sectors", "1001", "sector-size", "4096") &&
	   dc.capacity == 1000,
	   "4K logical, 512 units: capacity rounded down to whole blocks");
	ok(!D(true, &dc, "sectors", "1001", "sector-size", "4096") &&
	   dc.sect_shift == 12 && dc.capacity == 8008,
	   "4K large-sector mode: unit 4K, capacity in 512s");
	ok(!D(true, &dc, "sectors", "8", "sector-size", "512") &&
	   dc.sect_shift == 9, "large-sector mode with 512: unit 512");
	ok(!D(true, &dc, "sectors", "2251799813685247",
	      "sector-size", "4096") && dc.capacity == 2251799813685247ull << 3,
	   "4K sectors: largest capacity that fits");
	ok_eq(D(true, &dc, "sectors", "2251799813685248",
		"sector-size", "4096"), -EINVAL,
	      "4K sectors: capacity overflow");
	ok_eq(D(true, &dc, "sectors", "18446744073709551615",
		"sector-size", "4096"), -EINVAL, "4K sectors: U64_MAX");
	ok_eq(D(false, &dc, "sectors", "18446744073709551615",
		"sector-size", "512"), -EINVAL, "512: U64_MAX sectors");

	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "physical-sector-size", "4096") && dc.physical_size == 4096,
	   "physical 4096");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "physical-sector-size", "1000") && dc.physical_size == 512,
	   "physical not a multiple: logical");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "4096",
	      "physical-sector-size", "512") && dc.physical_size == 4096,
	   "physical smaller than logical: logical");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "physical-sector-size", "0") && dc.physical_size == 512,
	   "physical 0: logical");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "physical-sector-size", "2097152") && dc.physical_size == 512,
	   "physical 2 MiB: logical");

	ok(!D(false, &dc, "sectors", "8", "sector-size", "512", "info", "7") &&
	   dc.readonly && dc.cdrom && dc.removable, "info bits");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512", "info", "4") &&
	   dc.readonly && !dc.cdrom && !dc.removable, "info readonly only");

	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-flush-cache", "1") && dc.flush &&
	   dc.flush_op == BLKIF_OP_FLUSH_DISKCACHE, "flush-cache");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-barrier", "1") && dc.flush &&
	   dc.flush_op == BLKIF_OP_WRITE_BARRIER, "barrier only");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-barrier", "1", "feature-flush-cache", "1") &&
	   dc.flush_op == BLKIF_OP_FLUSH_DISKCACHE, "flush preferred");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-barrier", "0", "feature-flush-cache", "0") && !dc.flush,
	   "both 0: no flush");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-barrier", "1") && dc.fua,
	   "barrier only, no indirect: FUA by barrier");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-barrier", "1", "feature-flush-cache", "1") && !dc.fua,
	   "flush-cache and barrier: no FUA");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-flush-cache", "1") && !dc.fua, "flush-cache: no FUA");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-barrier", "1", "feature-max-indirect-segments",
	      "256") && dc.flush && dc.indirect && !dc.fua,
	   "barrier with indirect: flush by barrier, no FUA");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512") && !dc.fua,
	   "neither: no FUA");

	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-discard", "1") && dc.discard &&
	   dc.discard_gran == 512 && dc.discard_align == 0 &&
	   !dc.discard_secure, "discard defaults");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-discard", "1", "discard-granularity", "1048576",
	      "discard-alignment", "4096", "discard-secure", "1") &&
	   dc.discard_gran == 1048576 && dc.discard_align == 4096 &&
	   dc.discard_secure, "discard 1 MiB granularity, 4K alignment");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "4096",
	      "feature-discard", "1", "discard-granularity", "512") &&
	   dc.discard_gran == 4096, "granularity below logical: logical");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-discard", "1", "discard-granularity", "3000") &&
	   dc.discard_gran == 512, "granularity not a power of two");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-discard", "1", "discard-granularity", "2147483648") &&
	   dc.discard_gran == 512, "granularity 2 GiB: clamped");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-discard", "1", "discard-granularity", "4096",
	      "discard-alignment", "4096") && dc.discard_align == 0,
	   "alignment not below granularity: 0");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-discard", "1", "discard-granularity", "4096",
	      "discard-alignment", "100") && dc.discard_align == 0,
	   "alignment not a sector multiple: 0");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "discard-granularity", "4096") && !dc.discard &&
	   !dc.discard_gran, "granularity without feature-discard: off");

	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-max-indirect-segments", "256") && dc.indirect &&
	   dc.segs_per_req == 256, "indirect 256");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-max-indirect-segments", "4294967295") &&
	   dc.indirect && dc.segs_per_req == 1024, "indirect: our limit");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-max-indirect-segments", "11") && !dc.indirect &&
	   dc.segs_per_req == 11, "indirect 11: off");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-max-indirect-segments", "0") && !dc.indirect &&
	   dc.segs_per_req == 11, "indirect 0: off");
	ok(!D(false, &dc, "sectors", "8", "sector-size", "512",
	      "feature-persistent", "1") && dc.backend_persistent,
	   "backend persistent");
}

static struct blkfront_disk_conf conf(u32 shift, u32 segs)
{
	struct blkfront_disk_conf dc = {
		.sect_shift = shift, .logical_size = 1u << shift,
		.physical_size = 1u << shift, .capacity = 1u << 20,
		.flush = true, .flush_op = BLKIF_OP_FLUSH_DISKCACHE,
		.discard = true, .discard_gran = 1u << shift,
		.segs_per_req = segs, .indirect = segs > 11,
	};

	return dc;
}

static struct blkfront_seg segs[1100];
static struct blkif_request_segment ipage[8][512];
static struct blkif_request_segment *const ipages[8] = {
	ipage[0], ipage[1], ipage[2], ipage[3],
	ipage[4], ipage[5], ipage[6], ipage[7],
};

static const u32 igrefs[8] = { 90, 91, 92, 93, 94, 95, 96, 97 };

static void test_build_rw(void)
{
	struct blkfront_disk_conf dc = conf(9, 11), k4 = conf(12, 1024);
	struct blkfront_disk_conf ind = conf(9, 1024);
	struct blkfront_io io = {
		.write = true, .handle = 0x301, .id = 17, .sector = 8,
		.segs = segs, .nr_segs = 3, .indirect_grefs = igrefs,
		.indirect_pages = ipages,
	};
	union {
		struct blkif_request rw;
		struct blkif_request_indirect ind;
		u8 raw[BLKIF_NATIVE_SLOT_SIZE];
	} s;
	u32 i;
	int good;

	for (i = 0; i < 1100; i++) {
		segs[i].gref = 5000 + i;
		segs[i].offset = 0;
		segs[i].len = 4096;
	}
	segs[1].offset = 512;
	segs[1].len = 1024;

	memset(&s, 0xee, sizeof(s));
	ok_eq(blkfront_build_rw(&io, &dc, &s), 0, "direct write, 3 segs");
	ok(s.rw.operation == BLKIF_OP_WRITE && s.rw.nr_segments == 3 &&
	   s.rw.handle == 0x301 && s.rw.id == 17 && s.rw.sector_number == 8 &&
	   s.rw.seg[0].gref == 5000 && s.rw.seg[0].first_sect == 0 &&
	   s.rw.seg[0].last_sect == 7 && s.rw.seg[1].first_sect == 1 &&
	   s.rw.seg[1].last_sect == 2 && s.rw.seg[2].last_sect == 7,
	   "direct write fields");
	ok(s.rw.seg[3].gref == 0 && s.raw[4] == 0,
	   "unused slot bytes are zeroed (no stale data to the backend)");
	io.write = false;
	io.nr_segs = 11;
	ok(!blkfront_build_rw(&io, &dc, &s) &&
	   s.rw.operation == BLKIF_OP_READ && s.rw.nr_segments == 11,
	   "direct read, 11 segs");
	io.nr_segs = 12;
	ok_eq(blkfront_build_rw(&io, &dc, &s), -EINVAL,
	      "12 segs without indirect: -EINVAL");
	io.nr_segs = 0;
	ok_eq(blkfront_build_rw(&io, &dc, &s), -EINVAL, "0 segs: -EINVAL");

	io.nr_segs = 3;
	segs[2].len = 0;
	ok_eq(blkfront_build_rw(&io, &dc, &s), -EINVAL,
	      "zero-length segment: -EINVAL");
	segs[2].len = 100;
	ok_eq(blkfront_build_rw(&io, &dc, &s), -EINVAL,
	      "segment length not a sector multiple: -EINVAL");
	segs[2].offset = 3584;
	segs[2].len = 1024;
	ok_eq(blkfront_build_rw(&io, &dc, &s), -EINVAL,
	      "segment past the end of its page: -EINVAL");
	segs[2].offset = 100;
	segs[2].len = 512;
	ok_eq(blkfront_build_rw(&io, &dc, &s), -EINVAL,
	      "segment offset not sector aligned: -EINVAL");
	segs[2].offset = 0;
	segs[2].len = 4096;

	/* 4K protocol sectors. */
	ok_eq(blkfront_build_rw(&io, &k4, &s), -EINVAL,
	      "4K sectors: 512-byte aligned segment rejected");
	segs[1].offset = 0;
	segs[1].len = 4096;
	ok(!blkfront_build_rw(&io, &k4, &s) && s.rw.sector_number == 1 &&
	   s.rw.seg[0].first_sect == 0 && s.rw.seg[0].last_sect == 0,
	   "4K sectors: sector 8 becomes unit 1, a page is 0..0");
	io.sector = 12;
	ok_eq(blkfront_build_rw(&io, &k4, &s), -EINVAL,
	      "4K sectors: start not 4K aligned");
	io.sector = 8;

	/* Indirect across pages. */
	memset(ipage, 0xee, sizeof(ipage));
	io.nr_segs = 600;
	io.write = true;
	ok_eq(blkfront_build_rw(&io, &ind, &s), 0, "indirect write, 600 segs");
	good = s.ind.operation == BLKIF_OP_INDIRECT &&
	       s.ind.indirect_op == BLKIF_OP_WRITE &&
	       s.ind.nr_segments == 600 && s.ind.id == 17 &&
	       s.ind.sector_number == 8 && s.ind.handle == 0x301 &&
	       s.ind.indirect_grefs[0] == 90 && s.ind.indirect_grefs[1] == 91;
	ok(good, "indirect header, two grefs");
	good = 1;
	for (i = 0; i < 600; i++) {
		const struct blkif_request_segment *g = &ipage[i / 512][i % 512];

		good &= g->gref == 5000 + i && g->first_sect == 0 &&
			g->last_sect == 7;
	}
	ok(good, "all 600 segments in the indirect pages, across pages");
	ok(ipage[1][88].gref == 0 && ipage[1][511].gref == 0 &&
	   ipage[2][0].gref == 0xeeeeeeee,
	   "rest of the last indirect page zeroed, nothing beyond it");
	ok_eq(blkfront_indirect_pages(600), 2, "indirect pages for 600");
	ok_eq(blkfront_indirect_pages(11), 0, "indirect pages for 11");
	ok_eq(blkfront_indirect_pages(12), 1, "indirect pages for 12");
	ok_eq(blkfront_indirect_pages(512), 1, "indirect pages for 512");
	ok_eq(blkfront_indirect_pages(513), 2, "indirect pages for 513");
	ok_eq(blkfront_indirect_pages(4096), 8, "indirect pages for 4096");
	io.nr_segs = 1024;
	ok_eq(blkfront_build_rw(&io, &ind, &s), 0, "indirect at segs_per_req");
	io.nr_segs = 1025;
	ok_eq(blkfront_build_rw(&io, &ind, &s), -EINVAL,
	      "above segs_per_req: -EINVAL");
	io.nr_segs = 100;
	segs[99].len = 0;
	ok_eq(blkfront_build_rw(&io, &ind, &s), -EINVAL,
	      "indirect with a zero-length segment: -EINVAL");
	segs[99].len = 4096;
	ind.indirect = false;
	ok_eq(blkfront_build_rw(&io, &ind, &s), -EINVAL,
	      "indirect needed but off: -EINVAL");
	io.nr_segs = 4;
	ok_eq(blkfront_build_rw(&io, &ind, &s), 0,
	      "few segments stay direct");
	ok_eq(s.rw.operation, BLKIF_OP_WRITE, "direct op for 4 segs");
}

static void test_build_other(void)
{
	struct blkfront_disk_conf dc = conf(9, 11), k4 = conf(12, 11);
	union {
		struct blkif_request_discard d;
		struct blkif_request r;
	} sd;
	struct blkif_request f;

	memset(&sd, 0xee, sizeof(sd));
	ok(!blkfront_build_discard(3, 44, 100, 50, false, &dc, &sd) &&
	   sd.d.operation == BLKIF_OP_DISCARD && sd.d.flag == 0 &&
	   sd.d.handle == 3 && sd.d.id == 44 && sd.d.sector_number == 100 &&
	   sd.d.nr_sectors == 50,
	   "discard fields");
	ok_eq(blkfront_build_discard(3, 44, 100, 50, true, &dc, &sd), -EINVAL,
	      "secure discard not offered: -EINVAL");
	dc.discard_secure = true;
	ok(!blkfront_build_discard(3, 44, 100, 50, true, &dc, &sd) &&
	   sd.d.flag == BLKIF_DISCARD_SECURE, "secure discard");
	ok_eq(blkfront_build_discard(3, 44, 100, 0, false, &dc, &sd), -EINVAL,
	      "zero-length discard: -EINVAL");
	dc.discard = false;
	ok_eq(blkfront_build_discard(3, 44, 100, 50, false, &dc, &sd), -EINVAL,
	      "discard off: -EINVAL");
	ok(!blkfront_build_discard(3, 44, 16, 80, false, &k4, &sd) &&
	   sd.d.sector_number == 2 && sd.d.nr_sectors == 10,
	   "4K discard converted to units");
	ok_eq(blkfront_build_discard(3, 44, 16, 81, false, &k4, &sd), -EINVAL,
	      "4K discard with a partial block: -EINVAL");
	ok_eq(blkfront_build_discard(3, 44, 15, 80, false, &k4, &sd), -EINVAL,
	      "4K discard misaligned start: -EINVAL");

	memset(&f, 0xee, sizeof(f));
	blkfront_build_flush(9, 55, &dc, &f);
	ok(f.operation == BLKIF_OP_FLUSH_DISKCACHE && f.nr_segments == 0 &&
	   f.handle == 9 && f.id == 55 && f.sector_number == 0,
	   "flush-cache request");
	dc.flush_op = BLKIF_OP_WRITE_BARRIER;
	blkfront_build_flush(9, 56, &dc, &f);
	ok(f.operation == BLKIF_OP_WRITE_BARRIER && f.nr_segments == 0,
	   "barrier request");
}

static void test_check_rsp(void)
{
	struct xenring_ids ids;
	u32 link[4];
	u8 ops[4] = { 0 };
	struct blkif_response r = { 0 };
	int st = 99;

	xenring_ids_init(&ids, link, 4);
	xenring_ids_get(&ids);		/* 0: read */
	xenring_ids_get(&ids);		/* 1: indirect write */
	xenring_ids_get(&ids);		/* 2: flush */
	ops[0] = BLKIF_OP_READ;
	ops[1] = BLKIF_OP_WRITE | BLKFRONT_OP_INDIRECT;
	ops[2] = BLKIF_OP_FLUSH_DISKCACHE;

	r.id = 0;
	r.operation = BLKIF_OP_READ;
	ok(!blkfront_check_rsp(&r, &ids, ops, &st) && st == 0, "read okay");
	r.status = BLKIF_RSP_ERROR;
	ok(!blkfront_check_rsp(&r, &ids, ops, &st) && st == -EIO,
	   "error status: -EIO");
	r.status = BLKIF_RSP_EOPNOTSUPP;
	ok(!blkfront_check_rsp(&r, &ids, ops, &st) && st == -EOPNOTSUPP,
	   "EOPNOTSUPP status");
	r.status = 1;
	ok(!blkfront_check_rsp(&r, &ids, ops, &st) && st == -EIO,
	   "unknown status 1: -EIO");
	r.status = -32768;
	ok(!blkfront_check_rsp(&r, &ids, ops, &st) && st == -EIO,
	   "unknown status -32768: -EIO");
	r.status = 0;
	r.operation = BLKIF_OP_WRITE;
	ok_eq(blkfront_check_rsp(&r, &ids, ops, &st), -EIO, "wrong op: -EIO");
	r.operation = BLKIF_OP_INDIRECT;
	ok_eq(blkfront_check_rsp(&r, &ids, ops, &st), -EIO,
	      "indirect op for a direct request: -EIO");

	r.id = 1;
	r.operation = BLKIF_OP_WRITE;
	ok(!blkfront_check_rsp(&r, &ids, ops, &st),
	   "indirect answered with its inner op");
	r.operation = BLKIF_OP_INDIRECT;
	ok(!blkfront_check_rsp(&r, &ids, ops, &st),
	   "indirect answered with BLKIF_OP_INDIRECT");
	r.operation = BLKIF_OP_READ;
	ok_eq(blkfront_check_rsp(&r, &ids, ops, &st), -EIO,
	      "indirect answered with another op: -EIO");
	r.id = 2;
	r.operation = BLKIF_OP_FLUSH_DISKCACHE;
	ok(!blkfront_check_rsp(&r, &ids, ops, &st), "flush answered");

	r.id = 3;
	ok_eq(blkfront_check_rsp(&r, &ids, ops, &st), -EIO,
	      "id not outstanding: -EIO");
	r.id = 4;
	ok_eq(blkfront_check_rsp(&r, &ids, ops, &st), -EIO,
	      "id out of range: -EIO");
	r.id = (1ull << 32) | 0;
	r.operation = BLKIF_OP_READ;
	ok_eq(blkfront_check_rsp(&r, &ids, ops, &st), -EIO,
	      "id with high bits: -EIO");
	r.id = U64_MAX;
	ok_eq(blkfront_check_rsp(&r, &ids, ops, &st), -EIO, "id U64_MAX: -EIO");
	xenring_ids_put(&ids, 0);
	r.id = 0;
	ok_eq(blkfront_check_rsp(&r, &ids, ops, &st), -EIO,
	      "id completed already: -EIO");
}

static void test_build_fua(void)
{
	struct blkfront_disk_conf dc = conf(9, 11);
	struct blkfront_io io = {
		.write = true, .fua = true, .handle = 0x301, .id = 3,
		.sector = 16, .segs = segs, .nr_segs = 2,
	};
	struct blkif_request rw;

	segs[0] = (struct blkfront_seg){ .gref = 7, .offset = 0, .len = 4096 };
	segs[1] = (struct blkfront_seg){ .gref = 8, .offset = 0, .len = 512 };
	ok_eq(blkfront_build_rw(&io, &dc, &rw), -EINVAL,
	      "FUA write without dc.fua: -EINVAL");
	dc.fua = true;
	dc.flush_op = BLKIF_OP_WRITE_BARRIER;
	ok(!blkfront_build_rw(&io, &dc, &rw) &&
	   rw.operation == BLKIF_OP_WRITE_BARRIER && rw.nr_segments == 2 &&
	   rw.sector_number == 16 && rw.seg[1].gref == 8 &&
	   rw.seg[1].last_sect == 0, "FUA write: barrier with its data");
	io.write = false;
	ok_eq(blkfront_build_rw(&io, &dc, &rw), -EINVAL, "FUA read: -EINVAL");
	io.write = true;
	io.nr_segs = 12;
	dc.segs_per_req = 1024;
	dc.indirect = true;
	ok_eq(blkfront_build_rw(&io, &dc, &rw), -EINVAL,
	      "FUA write of 12 segments: -EINVAL");
}

static void test_rsp_result(void)
{
	u32 off = 77;

	ok(!blkfront_rsp_result(BLKIF_OP_READ, true, BLKIF_RSP_OKAY, &off) &&
	   !off, "read okay");
	ok(blkfront_rsp_result(BLKIF_OP_READ, true, BLKIF_RSP_EOPNOTSUPP,
			       &off) == -EIO && !off,
	   "read refused: I/O error, nothing off");
	ok(blkfront_rsp_result(BLKIF_OP_WRITE, true, BLKIF_RSP_ERROR,
			       &off) == -EIO && !off, "write error");
	ok(blkfront_rsp_result(BLKIF_OP_DISCARD, false, BLKIF_RSP_EOPNOTSUPP,
			       &off) == -EOPNOTSUPP &&
	   off == BLKFRONT_OFF_DISCARD, "discard refused: not supported, off");
	ok(blkfront_rsp_result(BLKIF_OP_DISCARD, false, BLKIF_RSP_ERROR,
			       &off) == -EIO && !off, "discard error: stays on");
	ok(!blkfront_rsp_result(BLKIF_OP_DISCARD, false, BLKIF_RSP_OKAY,
				&off) && !off, "discard okay");
	ok(!blkfront_rsp_result(BLKIF_OP_FLUSH_DISKCACHE, false,
				BLKIF_RSP_EOPNOTSUPP, &off) &&
	   off == BLKFRONT_OFF_FLUSH, "empty flush refused: done, flush off");
	ok(!blkfront_rsp_result(BLKIF_OP_WRITE_BARRIER, false,
				BLKIF_RSP_ERROR, &off) &&
	   off == BLKFRONT_OFF_FLUSH, "empty barrier error: done, flush off");
	ok(blkfront_rsp_result(BLKIF_OP_FLUSH_DISKCACHE, false, 7, &off) ==
	   -EIO && off == BLKFRONT_OFF_FLUSH,
	   "empty flush, unknown status: I/O error, flush off");
	ok(blkfront_rsp_result(BLKIF_OP_WRITE_BARRIER, true,
			       BLKIF_RSP_EOPNOTSUPP, &off) == -EAGAIN &&
	   off == BLKFRONT_OFF_FLUSH, "FUA barrier refused: post again");
	ok(blkfront_rsp_result(BLKIF_OP_WRITE_BARRIER, true, BLKIF_RSP_ERROR,
			       &off) == -EIO && off == BLKFRONT_OFF_FLUSH,
	   "FUA barrier error: I/O error, flush off");
	ok(!blkfront_rsp_result(BLKIF_OP_WRITE_BARRIER, true, BLKIF_RSP_OKAY,
				&off) && !off, "FUA barrier okay");
}

/* One "virtual-device" number and the disk upstream makes of it. */
static const struct {
	u32 vdev;
	const char *name;
	u32 first_minor, minors;
	bool emulated;
} vdevs[] = {
	{ 202 << 8 | 0, "xvda", 0, 16, false },
	{ 202 << 8 | 16, "xvdb", 16, 16, false },
	{ 202 << 8 | 17, "xvdb1", 17, 1, false },
	{ 202 << 8 | 255, "xvdp15", 255, 1, false },
	{ 3 << 8 | 0, "xvda", 0, 16, true },		/* hda */
	{ 3 << 8 | 64, "xvdb", 16, 16, true },		/* hdb */
	{ 3 << 8 | 1, "xvda", 0, 16, true },		/* hda1: whole disk */
	{ 3 << 8 | 129, "xvdc", 32, 16, true },
	{ 22 << 8 | 0, "xvdc", 32, 16, true },		/* hdc */
	{ 22 << 8 | 64, "xvdd", 48, 16, true },		/* hdd */
	{ 22 << 8 | 255, "xvdf", 80, 16, true },
	{ 8 << 8 | 0, "xvda", 0, 16, true },		/* sda */
	{ 8 << 8 | 2, "xvda2", 2, 1, true },		/* sda2 */
	{ 8 << 8 | 240, "xvdp", 240, 16, true },	/* sdp */
	{ 65 << 8 | 0, "xvdq", 256, 16, true },		/* sdq */
	{ 65 << 8 | 19, "xvdr3", 275, 1, true },	/* sdr3 */
	{ 71 << 8 | 240, "xvddx", 2032, 16, true },	/* sddx */
	{ 128 << 8 | 0, "xvddy", 2048, 16, true },	/* sddy */
	{ 135 << 8 | 240, "xvdiv", 4080, 16, true },	/* sdiv */
	{ 1 << 28 | 0, "xvda", 0, 256, false },
	{ 1 << 28 | 26 << 8, "xvdaa", 6656, 256, false },
	{ 1 << 28 | 4 << 8 | 5, "xvde5", 1029, 1, false },
	{ 1 << 28 | 0xfffff, "xvdfan255", 0xfffff, 1, false },
	{ 1 << 28 | 0xfff00, "xvdfan", 0xfff00, 256, false },
};

static const u32 bad_vdevs[] = {
	0, 1 << 8, 72 << 8, 127 << 8, 136 << 8, 201 << 8, 203 << 8,
	(1 << 16) | (202 << 8), 1 << 20, 1 << 28 | 1 << 20, 2 << 28,
	3 << 28, U32_MAX,
};

/* Upstream's recursive encoding of a disk index, for comparison. */
static char *name_ref(char *p, unsigned int n)
{
	if (n >= 26)
		p = name_ref(p, n / 26 - 1);
	*p = 'a' + n % 26;
	return p + 1;
}

static void test_vdev(void)
{
	struct blkfront_vdev v;
	unsigned int i, bad;
	char name[32];

	for (i = 0; i < ARRAY_SIZE(vdevs); i++) {
		int err = blkfront_vdev_map(vdevs[i].vdev, &v);

		if (!err)
			err = blkfront_vdev_name(&v, name, sizeof(name));
		ok(!err && !strcmp(name, vdevs[i].name) &&
		   v.first_minor == vdevs[i].first_minor &&
		   v.minors == vdevs[i].minors &&
		   v.emulated == vdevs[i].emulated,
		   "vdev %#x: %s, minors %u+%u%s", vdevs[i].vdev,
		   vdevs[i].name, vdevs[i].first_minor, vdevs[i].minors,
		   vdevs[i].emulated ? ", emulated" : "");
	}
	for (i = 0; i < ARRAY_SIZE(bad_vdevs); i++)
		ok_eq(blkfront_vdev_map(bad_vdevs[i], &v), -ENODEV,
		      "vdev %#x: -ENODEV", bad_vdevs[i]);

	v = (struct blkfront_vdev){ .index = 25, .minors = 16 };
	ok(!blkfront_vdev_name(&v, name, sizeof(name)) &&
	   !strcmp(name, "xvdz"), "index 25: xvdz");
	v.index = 701;
	ok(!blkfront_vdev_name(&v, name, sizeof(name)) &&
	   !strcmp(name, "xvdzz"), "index 701: xvdzz");
	v.index = 702;
	ok(!blkfront_vdev_name(&v, name, sizeof(name)) &&
	   !strcmp(name, "xvdaaa"), "index 702: xvdaaa");
	for (i = 0, bad = 0; i < 20000; i++) {
		char ref[32] = "xvd";

		*name_ref(ref + 3, i) = '\0';
		v.index = i;
		bad += blkfront_vdev_name(&v, name, sizeof(name)) ||
		       strcmp(name, ref);
	}
	ok_eq(bad, 0, "upstream's letters for indexes 0 .. 19999");
	v.minors = 16;
	v.index = 0;
	ok_eq(blkfront_vdev_name(&v, name, 4), -ENAMETOOLONG,
	      "no room for the NUL: -ENAMETOOLONG");
	ok(!blkfront_vdev_name(&v, name, 5) && !strcmp(name, "xvda"),
	   "exactly enough room");
	v.index = U32_MAX;
	v.minors = 1;
	v.part = U32_MAX;
	ok(!blkfront_vdev_name(&v, name, sizeof(name)) && strlen(name) == 20,
	   "largest index and partition fit in 32 bytes");
}

/* Upstream's blkif_getgeo(), as written there, for comparison. */
static struct blkfront_geo geo_ref(u64 nsect)
{
	struct blkfront_geo g = { .heads = 0xff, .sectors = 0x3f };

	g.cylinders = nsect / (g.heads * g.sectors);
	if ((u64)(g.cylinders + 1) * g.heads * g.sectors < nsect)
		g.cylinders = 0xffff;
	return g;
}

static void test_geometry(void)
{
	static const u64 caps[] = {
		0, 1, 16064, 16065, 16066, 2097152, 1052819775, 1052819776,
		1052835839, 1052835840, 1052835841, 2105671679, 2105671680,
		U32_MAX, 1ull << 32, (1ull << 32) + 16065, 1ull << 40,
		U64_MAX,
	};
	struct blkfront_geo g, r;
	unsigned int i, bad = 0;
	u64 c;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		blkfront_geometry(caps[i], &g);
		r = geo_ref(caps[i]);
		ok(g.heads == 255 && g.sectors == 63 &&
		   g.cylinders == r.cylinders,
		   "capacity %llu: 255/63/%u", (unsigned long long)caps[i],
		   r.cylinders);
	}
	for (c = 0; c < 0x20000ull * 16065; c += 4099) {
		blkfront_geometry(c, &g);
		r = geo_ref(c);
		bad += g.cylinders != r.cylinders;
	}
	ok_eq(bad, 0, "upstream's cylinders over 0 .. 2^17 cylinders");
}

int main(void)
{
	tap_start();
	test_parse_uint();
	test_keys();
	test_choose();
	test_describe();
	test_build_rw();
	test_build_other();
	test_check_rsp();
	test_build_fua();
	test_rsp_result();
	test_vdev();
	test_geometry();
	return tap_done();
}
