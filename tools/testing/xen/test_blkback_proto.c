// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/block/xen-blkback/proto.c: protocol names, slot
 * conversion in all three ABIs, request checks with their reasons,
 * segment and range checks, responses, frontend keys, the toolstack's
 * discard-enable and the info bits, and ring choice; and of
 * include/xen/xenbus_parse.h.
 */
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include <xen/xenbus_parse.h>
#include "drivers/block/xen-blkback/proto.h"
#include "tap.h"

static const char *const abi_name[] = { "native", "x86_32", "x86_64" };

/* A request in every layout, built field by field. */
static void put_rw(enum blkback_abi abi, u8 *slot, u8 op, u8 nseg, u16 handle,
		   u64 id, u64 sector, const struct blkif_request_segment *segs)
{
	memset(slot, 0xee, BLKBACK_MAX_SLOT_SIZE);
	if (abi == BLKBACK_ABI_X86_32) {
		struct blkif_x86_32_request r = { .operation = op,
			.nr_segments = nseg, .handle = handle, .id = id,
			.sector_number = sector };

		memcpy(r.seg, segs, sizeof(r.seg));
		memcpy(slot, &r, sizeof(r));
	} else if (abi == BLKBACK_ABI_X86_64) {
		struct blkif_x86_64_request r = { .operation = op,
			.nr_segments = nseg, .handle = handle, .id = id,
			.sector_number = sector };

		memcpy(r.seg, segs, sizeof(r.seg));
		memcpy(slot, &r, sizeof(r));
	} else {
		struct blkif_request r = { .operation = op,
			.nr_segments = nseg, .handle = handle, .id = id,
			.sector_number = sector };

		memcpy(r.seg, segs, sizeof(r.seg));
		memcpy(slot, &r, sizeof(r));
	}
}

static void put_discard(enum blkback_abi abi, u8 *slot, u8 flag, u16 handle,
			u64 id, u64 sector, u64 count)
{
	memset(slot, 0xee, BLKBACK_MAX_SLOT_SIZE);
	if (abi == BLKBACK_ABI_X86_32) {
		struct blkif_x86_32_request_discard r = {
			.operation = BLKIF_OP_DISCARD, .flag = flag,
			.handle = handle, .id = id, .sector_number = sector,
			.nr_sectors = count };

		memcpy(slot, &r, sizeof(r));
	} else if (abi == BLKBACK_ABI_X86_64) {
		struct blkif_x86_64_request_discard r = {
			.operation = BLKIF_OP_DISCARD, .flag = flag,
			.handle = handle, .id = id, .sector_number = sector,
			.nr_sectors = count };

		memcpy(slot, &r, sizeof(r));
	} else {
		struct blkif_request_discard r = {
			.operation = BLKIF_OP_DISCARD, .flag = flag,
			.handle = handle, .id = id, .sector_number = sector,
			.nr_sectors = count };

		memcpy(slot, &r, sizeof(r));
	}
}

static void put_indirect(enum blkback_abi abi, u8 *slot, u8 op, u16 nseg,
			 u16 handle, u64 id, u64 sector, const u32 *grefs)
{
	memset(slot, 0xee, BLKBACK_MAX_SLOT_SIZE);
	if (abi == BLKBACK_ABI_X86_32) {
		struct blkif_x86_32_request_indirect r = {
			.operation = BLKIF_OP_INDIRECT, .indirect_op = op,
			.nr_segments = nseg, .handle = handle, .id = id,
			.sector_number = sector };

		memcpy(r.indirect_grefs, grefs, sizeof(r.indirect_grefs));
		memcpy(slot, &r, sizeof(r));
	} else if (abi == BLKBACK_ABI_X86_64) {
		struct blkif_x86_64_request_indirect r = {
			.operation = BLKIF_OP_INDIRECT, .indirect_op = op,
			.nr_segments = nseg, .handle = handle, .id = id,
			.sector_number = sector };

		memcpy(r.indirect_grefs, grefs, sizeof(r.indirect_grefs));
		memcpy(slot, &r, sizeof(r));
	} else {
		struct blkif_request_indirect r = {
			.operation = BLKIF_OP_INDIRECT, .indirect_op = op,
			.nr_segments = nseg, .handle = handle, .id = id,
			.sector_number = sector };

		memcpy(r.indirect_grefs, grefs, sizeof(r.indirect_grefs));
		memcpy(slot, &r, sizeof(r));
	}
}

static void test_protocol(void)
{
	enum blkback_abi abi = BLKBACK_ABI_NR;

	ok(!blkback_parse_protocol(NULL, &abi) && abi == BLKBACK_ABI_NATIVE,
	   "absent protocol: native");
	ok(!blkback_parse_protocol("x86_32-abi", &abi) &&
	   abi == BLKBACK_ABI_X86_32, "x86_32-abi");
	ok(!blkback_parse_protocol("x86_64-abi", &abi) &&
	   abi == BLKBACK_ABI_X86_64, "x86_64-abi");
	ok_eq(blkback_parse_protocol("", &abi), -EINVAL, "empty: -EINVAL");
	ok_eq(blkback_parse_protocol("x86_64-abi ", &abi), -EINVAL,
	      "trailing space: -EINVAL");
	ok_eq(blkback_parse_protocol("arm-abi", &abi), -EINVAL,
	      "arm-abi: -EINVAL");
	ok_eq(abi, BLKBACK_ABI_X86_64, "abi untouched on error");
	ok_eq(blkback_slot_size(BLKBACK_ABI_NATIVE), 112, "native slot 112");
	ok_eq(blkback_slot_size(BLKBACK_ABI_X86_32), 108, "x86_32 slot 108");
	ok_eq(blkback_slot_size(BLKBACK_ABI_X86_64), 112, "x86_64 slot 112");
	ok_eq(blkback_slot_size(BLKBACK_ABI_NR), 0, "invalid abi: 0");
}

static void test_copy(void)
{
	struct blkif_request_segment segs[11];
	u8 slot[BLKBACK_MAX_SLOT_SIZE];
	struct blkback_req r;
	u32 grefs[8];
	int a, i;

	for (i = 0; i < 11; i++) {
		segs[i].gref = 1000 + i;
		segs[i].first_sect = i % 8;
		segs[i].last_sect = 7;
	}
	for (i = 0; i < 8; i++)
		grefs[i] = 0xabc00 + i;

	for (a = 0; a < BLKBACK_ABI_NR; a++) {
		int good;

		put_rw(a, slot, BLKIF_OP_WRITE, 11, 0x1234,
		       0x0102030405060708ull, 0x1122334455667788ull, segs);
		good = !blkback_copy_req(a, slot, &r);
		good &= r.operation == BLKIF_OP_WRITE &&
			r.op == BLKIF_OP_WRITE && r.nr_segs == 11 &&
			r.handle == 0x1234 && r.id == 0x0102030405060708ull &&
			r.sector == 0x1122334455667788ull &&
			!r.nr_indirect_pages && !r.nr_sectors;
		for (i = 0; i < 11; i++)
			good &= r.segs[i].gref == segs[i].gref &&
				r.segs[i].first_sect == segs[i].first_sect &&
				r.segs[i].last_sect == 7;
		ok(good, "%s: write with 11 segments copied", abi_name[a]);

		put_rw(a, slot, BLKIF_OP_READ, 200, 1, 2, 3, segs);
		blkback_copy_req(a, slot, &r);
		ok(r.nr_segs == 200 && r.segs[10].gref == 1010,
		   "%s: nr_segments 200 kept for the check, 11 copied",
		   abi_name[a]);

		put_discard(a, slot, BLKIF_DISCARD_SECURE, 0x55, 0xfeed,
			    0x8000000000000001ull, 0x123456789ull);
		blkback_copy_req(a, slot, &r);
		ok(r.operation == BLKIF_OP_DISCARD &&
		   r.discard_flag == BLKIF_DISCARD_SECURE &&
		   r.handle == 0x55 && r.id == 0xfeed &&
		   r.sector == 0x8000000000000001ull &&
		   r.nr_sectors == 0x123456789ull && !r.nr_segs,
		   "%s: discard copied", abi_name[a]);

		put_indirect(a, slot, BLKIF_OP_READ, 1025, 0x77, 0xdead, 99,
			     grefs);
		blkback_copy_req(a, slot, &r);
		good = r.operation == BLKIF_OP_INDIRECT &&
		       r.op == BLKIF_OP_READ && r.nr_segs == 1025 &&
		       r.handle == 0x77 && r.id == 0xdead && r.sector == 99 &&
		       r.nr_indirect_pages == 3;
		for (i = 0; i < 3; i++)
			good &= r.indirect_grefs[i] == grefs[i];
		for (; i < 8; i++)
			good &= !r.indirect_grefs[i];
		ok(good, "%s: indirect with 1025 segments: 3 pages",
		   abi_name[a]);

		put_indirect(a, slot, BLKIF_OP_WRITE, 0xffff, 0, 1, 0, grefs);
		blkback_copy_req(a, slot, &r);
		good = r.nr_segs == 0xffff && r.nr_indirect_pages == 128;
		for (i = 0; i < 8; i++)
			good &= r.indirect_grefs[i] == grefs[i];
		ok(good, "%s: indirect with 65535 segments: 128 pages, 8 grefs",
		   abi_name[a]);

		memset(slot, 0, sizeof(slot));
		slot[0] = 200;
		put_rw(a, slot, 200, 0, 0, 0x4242, 0, segs);
		blkback_copy_req(a, slot, &r);
		ok(r.operation == 200 && r.id == 0x4242,
		   "%s: unknown op keeps operation and id", abi_name[a]);
	}
	ok_eq(blkback_copy_req(BLKBACK_ABI_NR, slot, &r), -EINVAL,
	      "invalid abi: -EINVAL");
	ok(!r.operation && !r.id, "invalid abi: output zeroed");

	/* The x86_32 and x86_64 layouts really differ. */
	memset(slot, 0, sizeof(slot));
	slot[0] = BLKIF_OP_READ;
	slot[4] = 0x11;
	slot[8] = 0x22;
	blkback_copy_req(BLKBACK_ABI_X86_32, slot, &r);
	ok_eq(r.id, 0x2200000011ull, "x86_32 reads the id at offset 4");
	blkback_copy_req(BLKBACK_ABI_X86_64, slot, &r);
	ok_eq(r.id, 0x22, "x86_64 reads the id at offset 8");
}

static struct blkback_disk disk(void)
{
	struct blkback_disk d = {
		.nr_sectors = 1000, .sect_shift = 9, .discard = true,
		.flush = true, .barrier = true, .max_indirect_segs = 256,
	};

	return d;
}

static struct blkback_req rw(u8 op, u64 sector, u16 nseg)
{
	struct blkback_req r = { .operation = op, .op = op, .id = 1,
				 .sector = sector, .nr_segs = nseg };
	u16 i;

	for (i = 0; i < nseg && i < 11; i++) {
		r.segs[i].gref = i;
		r.segs[i].first_sect = 0;
		r.segs[i].last_sect = 7;
	}
	return r;
}

static struct blkback_req ind(u8 inner, u64 sector, u16 nseg)
{
	struct blkback_req r = { .operation = BLKIF_OP_INDIRECT, .op = inner,
				 .id = 2, .sector = sector, .nr_segs = nseg };

	r.nr_indirect_pages = (nseg + 511) / 512;
	return r;
}

/* One blkback_check_req() case: the error and the reason it gives. */
static void check(struct blkback_req r, struct blkback_disk d, int err,
		  enum blkback_reject reason, const char *desc)
{
	enum blkback_reject why = 99;
	int e = blkback_check_req(&r, &d, &why);

	if (!ok(e == err && why == reason, "%s", desc))
		printf("#   got %d reason %d, want %d reason %d\n",
		       e, why, err, reason);
}

static void test_check(void)
{
	struct blkback_disk d = disk(), ro = disk(), big = disk(), k4 = disk();
	struct blkback_disk none = { .nr_sectors = 1000, .sect_shift = 9 };
	struct blkback_req r;
	enum blkback_reject why = 99;

	ro.readonly = true;
	big.nr_sectors = U64_MAX;
	k4.sect_shift = 12;
	k4.nr_sectors = 100;

	check(rw(BLKIF_OP_READ, 0, 1), d, 0, BLKBACK_REQ_OK, "read 1 seg");
	check(rw(BLKIF_OP_WRITE, 0, 11), d, 0, BLKBACK_REQ_OK,
	      "write 11 segs");
	check(rw(BLKIF_OP_READ, 992, 1), d, 0, BLKBACK_REQ_OK,
	      "read ending exactly at the end");
	check(rw(BLKIF_OP_READ, 993, 1), d, -EINVAL, BLKBACK_REQ_BAD_RANGE,
	      "read one sector past the end");
	check(rw(BLKIF_OP_READ, 1000, 1), d, -EINVAL, BLKBACK_REQ_BAD_RANGE,
	      "read starting at the end");
	check(rw(BLKIF_OP_READ, U64_MAX - 3, 1), big, -EINVAL,
	      BLKBACK_REQ_BAD_RANGE, "sector + count wraps around u64");
	check(rw(BLKIF_OP_READ, U64_MAX - 8, 1), big, 0, BLKBACK_REQ_OK,
	      "read ending at U64_MAX on a huge disk");
	check(rw(BLKIF_OP_READ, 0, 0), d, -EINVAL, BLKBACK_REQ_BAD_NR_SEGS,
	      "read with 0 segments");
	check(rw(BLKIF_OP_WRITE, 0, 12), d, -EINVAL, BLKBACK_REQ_BAD_NR_SEGS,
	      "write with 12 segments");
	check(rw(BLKIF_OP_WRITE, 0, 255), d, -EINVAL,
	      BLKBACK_REQ_BAD_NR_SEGS, "write with 255 segments");
	check(rw(BLKIF_OP_WRITE, 0, 1), ro, -EROFS, BLKBACK_REQ_READONLY,
	      "write to read-only");
	check(rw(BLKIF_OP_READ, 0, 1), ro, 0, BLKBACK_REQ_OK,
	      "read from read-only");

	r = rw(BLKIF_OP_READ, 0, 2);
	r.segs[1].first_sect = 5;
	r.segs[1].last_sect = 4;
	check(r, d, -EINVAL, BLKBACK_REQ_BAD_SEG, "first_sect > last_sect");
	r.segs[1].first_sect = 0;
	r.segs[1].last_sect = 8;
	check(r, d, -EINVAL, BLKBACK_REQ_BAD_SEG, "last_sect 8 with 512 B");
	r.segs[1].first_sect = 7;
	r.segs[1].last_sect = 7;
	check(r, d, 0, BLKBACK_REQ_OK, "single-sector segment 7..7");
	r = rw(BLKIF_OP_READ, 0, 1);
	check(r, k4, -EINVAL, BLKBACK_REQ_BAD_SEG,
	      "4K sectors: last_sect 7 is past the page");
	r.segs[0].last_sect = 0;
	check(r, k4, 0, BLKBACK_REQ_OK, "4K sectors: 0..0 is one page");
	r.sector = 99;
	check(r, k4, 0, BLKBACK_REQ_OK, "4K sectors: last sector of the disk");
	r.sector = 100;
	check(r, k4, -EINVAL, BLKBACK_REQ_BAD_RANGE,
	      "4K sectors: past the end");

	check(rw(BLKIF_OP_FLUSH_DISKCACHE, 12345, 0), d, 0, BLKBACK_REQ_OK,
	      "flush without data, sector ignored");
	check(rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 2), d, 0, BLKBACK_REQ_OK,
	      "flush with data");
	check(rw(BLKIF_OP_FLUSH_DISKCACHE, 999, 2), d, -EINVAL,
	      BLKBACK_REQ_BAD_RANGE, "flush with data past the end");
	check(rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 12), d, -EINVAL,
	      BLKBACK_REQ_BAD_NR_SEGS, "flush with 12 segments");
	check(rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0), none, -EOPNOTSUPP,
	      BLKBACK_REQ_NO_FLUSH, "flush not advertised");
	check(rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 1), ro, -EROFS,
	      BLKBACK_REQ_READONLY, "flush with data on read-only");
	check(rw(BLKIF_OP_WRITE_BARRIER, 0, 0), d, 0, BLKBACK_REQ_OK,
	      "barrier without data");
	check(rw(BLKIF_OP_WRITE_BARRIER, 0, 3), d, 0, BLKBACK_REQ_OK,
	      "barrier with data");
	check(rw(BLKIF_OP_WRITE_BARRIER, 0, 0), none, -EOPNOTSUPP,
	      BLKBACK_REQ_NO_BARRIER, "barrier not advertised");

	r = rw(BLKIF_OP_DISCARD, 10, 0);
	r.nr_sectors = 990;
	check(r, d, 0, BLKBACK_REQ_OK, "discard to the end");
	r.nr_sectors = 991;
	check(r, d, -EINVAL, BLKBACK_REQ_BAD_RANGE, "discard past the end");
	r.nr_sectors = U64_MAX - 5;
	check(r, d, -EINVAL, BLKBACK_REQ_BAD_RANGE,
	      "discard count wrapping u64");
	r.nr_sectors = 0;
	check(r, d, 0, BLKBACK_REQ_OK, "discard of 0 sectors: accepted");
	check(r, none, -EOPNOTSUPP, BLKBACK_REQ_NO_DISCARD,
	      "discard not advertised");
	check(r, ro, -EROFS, BLKBACK_REQ_READONLY, "discard on read-only");
	r.discard_flag = BLKIF_DISCARD_SECURE;
	check(r, d, 0, BLKBACK_REQ_OK,
	      "secure flag without discard-secure is ignored");

	check(ind(BLKIF_OP_READ, 0, 12), d, 0, BLKBACK_REQ_OK,
	      "indirect read 12 segs");
	check(ind(BLKIF_OP_WRITE, 0, 256), d, 0, BLKBACK_REQ_OK,
	      "indirect write at the advertised max");
	check(ind(BLKIF_OP_READ, 0, 5), d, 0, BLKBACK_REQ_OK,
	      "indirect with few segments is fine");
	check(ind(BLKIF_OP_READ, 0, 257), d, -EINVAL,
	      BLKBACK_REQ_BAD_INDIRECT_SEGS, "indirect above the max");
	check(ind(BLKIF_OP_READ, 0, 0), d, -EINVAL,
	      BLKBACK_REQ_BAD_INDIRECT_SEGS, "indirect with 0 segs");
	check(ind(BLKIF_OP_FLUSH_DISKCACHE, 0, 20), d, -EINVAL,
	      BLKBACK_REQ_BAD_INDIRECT_OP, "indirect flush");
	check(ind(BLKIF_OP_INDIRECT, 0, 20), d, -EINVAL,
	      BLKBACK_REQ_BAD_INDIRECT_OP, "indirect indirect");
	check(ind(BLKIF_OP_DISCARD, 0, 20), d, -EINVAL,
	      BLKBACK_REQ_BAD_INDIRECT_OP, "indirect discard");
	check(ind(BLKIF_OP_WRITE, 0, 20), ro, -EROFS, BLKBACK_REQ_READONLY,
	      "indirect write on read-only");
	check(ind(BLKIF_OP_READ, 0, 20), none, -EOPNOTSUPP,
	      BLKBACK_REQ_NO_INDIRECT, "indirect not advertised");
	check(ind(BLKIF_OP_READ, 1000, 20), d, -EINVAL,
	      BLKBACK_REQ_BAD_RANGE, "indirect starting past the end");
	r = ind(BLKIF_OP_READ, 0, 600);
	big.max_indirect_segs = 100000;
	check(r, big, 0, BLKBACK_REQ_OK, "600 segs, 2 pages");
	r.nr_indirect_pages = 1;
	check(r, big, -EINVAL, BLKBACK_REQ_BAD_INDIRECT_PAGES,
	      "page count inconsistent with segs");
	check(ind(BLKIF_OP_READ, 0, 4096), big, 0, BLKBACK_REQ_OK,
	      "4096 segs with a huge advertised max");
	check(ind(BLKIF_OP_READ, 0, 4097), big, -EINVAL,
	      BLKBACK_REQ_BAD_INDIRECT_SEGS,
	      "4097 segs: advertised max is capped at 8 pages");

	check(rw(BLKIF_OP_RESERVED_1, 0, 1), d, -EOPNOTSUPP,
	      BLKBACK_REQ_BAD_OP, "reserved op");
	check(rw(7, 0, 1), d, -EOPNOTSUPP, BLKBACK_REQ_BAD_OP, "op 7");
	check(rw(255, 0, 1), d, -EOPNOTSUPP, BLKBACK_REQ_BAD_OP, "op 255");
	d.sect_shift = 8;
	check(rw(BLKIF_OP_READ, 0, 1), d, -EINVAL, BLKBACK_REQ_BAD_DISK,
	      "disk with sect_shift 8");
	d.sect_shift = 13;
	check(rw(BLKIF_OP_READ, 0, 1), d, -EINVAL, BLKBACK_REQ_BAD_DISK,
	      "disk with sect_shift 13");
	d = disk();
	r = rw(BLKIF_OP_READ, 0, 1);
	ok_eq(blkback_check_req(&r, &d, NULL), 0, "why may be NULL");
	r.nr_segs = 0;
	ok_eq(blkback_check_req(&r, &d, &why), -EINVAL, "reason reported");
	ok_eq(why, BLKBACK_REQ_BAD_NR_SEGS, "reason is BAD_NR_SEGS");
}

static void test_segs_range(void)
{
	static struct blkif_request_segment page[512];
	struct blkback_disk d = disk();
	u64 total = 5;
	int i;

	for (i = 0; i < 512; i++) {
		page[i].first_sect = i % 8;
		page[i].last_sect = 7;
	}
	ok(!blkback_check_segs(page, 512, 9, &total) && total == 5 + 2304,
	   "a full indirect page: sectors summed onto the total");
	total = 0;
	ok(!blkback_check_segs(page, 0, 9, &total) && !total,
	   "zero segments: fine, nothing added");
	page[300].last_sect = 8;
	total = 1;
	ok_eq(blkback_check_segs(page, 512, 9, &total), -EINVAL,
	      "one bad segment in a page: -EINVAL");
	ok_eq(total, 1, "total untouched on error");
	ok(!blkback_check_segs(page, 300, 9, &total),
	   "bad segment beyond n is not looked at");
	page[300].last_sect = 7;
	page[0].first_sect = 0;
	page[0].last_sect = 1;
	total = 0;
	ok(!blkback_check_segs(page, 1, 10, &total) && total == 2,
	   "1K sectors: 0..1 is 2 sectors");
	page[0].last_sect = 4;
	ok_eq(blkback_check_segs(page, 1, 10, &total), -EINVAL,
	      "1K sectors: last_sect 4 is past the page");
	ok_eq(blkback_check_segs(page, 1, 8, &total), -EINVAL,
	      "sect_shift 8: -EINVAL");
	ok_eq(blkback_check_segs(page, 1, 13, &total), -EINVAL,
	      "sect_shift 13: -EINVAL");
	page[0].first_sect = 255;
	page[0].last_sect = 255;
	ok_eq(blkback_check_segs(page, 1, 9, &total), -EINVAL,
	      "first_sect 255: -EINVAL");

	ok(!blkback_check_range(&d, 0, 1000), "range: whole disk");
	ok(!blkback_check_range(&d, 1000, 0), "range: empty at the end");
	ok_eq(blkback_check_range(&d, 1001, 0), -EINVAL,
	      "range: empty past the end");
	ok_eq(blkback_check_range(&d, 1, 1000), -EINVAL,
	      "range: one past the end");
	ok_eq(blkback_check_range(&d, 500, U64_MAX), -EINVAL,
	      "range: huge count");
	ok_eq(blkback_check_range(&d, U64_MAX, 2), -EINVAL,
	      "range: wrapping");
}

static void test_rsp(void)
{
	u8 out[BLKBACK_MAX_RSP_SIZE + 4];
	struct blkif_x86_32_response r32;
	struct blkif_x86_64_response r64;
	struct blkif_response rn;
	struct blkback_req r = ind(BLKIF_OP_WRITE, 0, 20);

	memset(out, 0xcc, sizeof(out));
	ok_eq(blkback_build_rsp(BLKBACK_ABI_X86_32, 0x1122334455667788ull,
				BLKIF_OP_WRITE, BLKIF_RSP_ERROR, out), 12,
	      "x86_32 response is 12 bytes");
	memcpy(&r32, out, sizeof(r32));
	ok(r32.id == 0x1122334455667788ull && r32.operation == BLKIF_OP_WRITE &&
	   r32.status == BLKIF_RSP_ERROR && !r32._pad1 && out[12] == 0xcc,
	   "x86_32 response fields, padding zeroed, nothing beyond");

	memset(out, 0xcc, sizeof(out));
	ok_eq(blkback_build_rsp(BLKBACK_ABI_X86_64, 7, BLKIF_OP_DISCARD,
				BLKIF_RSP_EOPNOTSUPP, out), 16,
	      "x86_64 response is 16 bytes");
	memcpy(&r64, out, sizeof(r64));
	ok(r64.id == 7 && r64.operation == BLKIF_OP_DISCARD &&
	   r64.status == BLKIF_RSP_EOPNOTSUPP && !r64._pad1 && !r64._pad2 &&
	   out[16] == 0xcc, "x86_64 response fields, padding zeroed");

	memset(out, 0xcc, sizeof(out));
	ok_eq(blkback_build_rsp(BLKBACK_ABI_NATIVE, 9, BLKIF_OP_READ,
				BLKIF_RSP_OKAY, out),
	      sizeof(struct blkif_response), "native response size");
	memcpy(&rn, out, sizeof(rn));
	ok(rn.id == 9 && rn.operation == BLKIF_OP_READ && rn.status == 0 &&
	   out[9] == 0, "native response fields, padding zeroed");
	ok_eq(blkback_build_rsp(BLKBACK_ABI_NR, 9, 0, 0, out), 0,
	      "invalid abi: length 0");

	ok_eq(blkback_rsp_op(&r), BLKIF_OP_WRITE,
	      "indirect is answered with its inner op");
	r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
	ok_eq(blkback_rsp_op(&r), BLKIF_OP_FLUSH_DISKCACHE,
	      "flush is answered as flush");
	ok_eq(blkback_status(0), BLKIF_RSP_OKAY, "status 0: OKAY");
	ok_eq(blkback_status(-EOPNOTSUPP), BLKIF_RSP_EOPNOTSUPP,
	      "status -EOPNOTSUPP: EOPNOTSUPP");
	ok_eq(blkback_status(-EINVAL), BLKIF_RSP_ERROR, "status -EINVAL: ERROR");
	ok_eq(blkback_status(-EROFS), BLKIF_RSP_ERROR, "status -EROFS: ERROR");
	ok_eq(blkback_status(-EIO), BLKIF_RSP_ERROR, "status -EIO: ERROR");
}

static void test_keys(void)
{
	struct blkback_frontend fe;
	static const struct {
		const char *key;
		enum blkback_fe_key bit;
	} keys[] = {
		{ "ring-page-order", BLKBACK_FE_RING_ORDER },
		{ "num-ring-pages", BLKBACK_FE_RING_PAGES },
		{ "multi-queue-num-queues", BLKBACK_FE_QUEUES },
		{ "feature-persistent", BLKBACK_FE_PERSISTENT },
		{ "feature-large-sector-size", BLKBACK_FE_LARGE_SECTORS },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		memset(&fe, 0, sizeof(fe));
		ok(!blkback_parse_key(&fe, keys[i].key, "3") &&
		   fe.present == 1u << keys[i].bit &&
		   fe.ring_order + fe.ring_pages + fe.nr_queues +
		   fe.persistent + fe.large_sectors == 3,
		   "key %s parsed into its own field", keys[i].key);
		ok_eq(blkback_parse_key(&fe, keys[i].key, "4294967296"), -ERANGE,
		      "key %s above U32_MAX: -ERANGE", keys[i].key);
		ok_eq(blkback_parse_key(&fe, keys[i].key, "x"), -EINVAL,
		      "key %s garbage: -EINVAL", keys[i].key);
		ok(blkback_fe_key_name(keys[i].bit) &&
		   !strcmp(blkback_fe_key_name(keys[i].bit), keys[i].key),
		   "blkback_fe_key_name(%u) is %s", keys[i].bit, keys[i].key);
	}
	ok(!blkback_fe_key_name(BLKBACK_FE_NR), "no name for FE_NR");
	memset(&fe, 0, sizeof(fe));
	ok_eq(blkback_parse_key(&fe, "protocol", "x86_64-abi"), -ENOENT,
	      "protocol is not a number key: -ENOENT");
	ok_eq(blkback_parse_key(&fe, "ring-ref", "8"), -ENOENT,
	      "unknown key: -ENOENT");
	ok_eq(blkback_parse_key(&fe, "ring-page-orde", "1"), -ENOENT,
	      "prefix of a key: -ENOENT");
	ok_eq(blkback_parse_key(&fe, "ring-page-order ", "1"), -ENOENT,
	      "key with a trailing space: -ENOENT");
	ok_eq(blkback_parse_key(&fe, "ring-page-order", "-1"), -EINVAL,
	      "negative value: -EINVAL");
	ok_eq(fe.present, 0, "nothing recorded by failed parses");
}

/* @s with bytes outside printable ASCII as \xNN, for a TAP line. */
static const char *visible(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	if (!s)
		return "(absent)";
	for (; *s && n + 5 < size; s++) {
		unsigned char c = *s;

		if (c >= ' ' && c < 0x7f)
			buf[n++] = c;
		else
			n += snprintf(buf + n, size - n, "\\x%02x", c);
	}
	buf[n] = '\0';
	return buf;
}

static void test_disk_keys(void)
{
	static const struct {
		const char *val;
		bool enabled;
	} de[] = {
		/* As xenbus_read_unsigned(dir, "discard-enable", 1) reads. */
		{ NULL, true }, { "1", true }, { "0", false }, { "00", false },
		{ " 0", false }, { "\t\n0", false }, { "\2400", false },
		{ "0x1", false }, { "0 1", false }, { "2", true },
		{ "1abc", true }, { "", true }, { " ", true }, { "no", true },
		{ "-1", true }, { "-0", true }, { "+0", true }, { "x0", true },
		/* Kept modulo 2^32, as the %u conversion does. */
		{ "4294967296", false }, { "4294967297", true },
		{ "18446744073709551616", false }, { "99999999999999999999", true },
	};
	struct blkback_disk d = { .sect_shift = 9 };
	unsigned int i;
	char buf[64];

	for (i = 0; i < ARRAY_SIZE(de); i++)
		ok_eq(blkback_discard_enabled(de[i].val), de[i].enabled,
		      "discard-enable \"%s\": discard %s",
		      visible(de[i].val, buf, sizeof(buf)),
		      de[i].enabled ? "allowed" : "off");

	ok_eq(blkback_info(&d), 0, "info of a plain disk: 0");
	d.cdrom = true;
	ok_eq(blkback_info(&d), VDISK_CDROM, "info of a cdrom: VDISK_CDROM");
	d.cdrom = false;
	d.removable = true;
	ok_eq(blkback_info(&d), VDISK_REMOVABLE,
	      "info of removable media: VDISK_REMOVABLE");
	d.removable = false;
	d.readonly = true;
	ok_eq(blkback_info(&d), VDISK_READONLY,
	      "info of a read-only disk: VDISK_READONLY");
	d.cdrom = true;
	d.removable = true;
	ok_eq(blkback_info(&d), 7, "info of a read-only cdrom drive: 7");
	d.discard = true;
	d.discard_secure = true;
	d.flush = true;
	d.barrier = true;
	ok_eq(blkback_info(&d), 7, "features do not show in info");
}

static int choose(const char *order, const char *pages, const char *queues,
		  struct blkback_ring_conf *rc)
{
	struct blkback_limits lim = { .max_ring_order = 3, .max_queues = 4,
				      .persistent = true };
	struct blkback_frontend fe = { 0 };

	if (order)
		blkback_parse_key(&fe, "ring-page-order", order);
	if (pages)
		blkback_parse_key(&fe, "num-ring-pages", pages);
	if (queues)
		blkback_parse_key(&fe, "multi-queue-num-queues", queues);
	return blkback_choose_ring(&fe, &lim, rc);
}

static void test_choose(void)
{
	struct blkback_limits lim = { .max_ring_order = 9, .max_queues = 99 };
	struct blkback_frontend fe = { 0 };
	struct blkback_ring_conf rc;

	ok(!choose(NULL, NULL, NULL, &rc) && rc.ring_order == 0 &&
	   rc.nr_queues == 1 && !rc.persistent && !rc.large_sectors,
	   "no keys: one page, one queue");
	ok(!choose("3", NULL, NULL, &rc) && rc.ring_order == 3,
	   "order at the max");
	ok_eq(choose("4", NULL, NULL, &rc), -EINVAL, "order above the max");
	ok_eq(choose("4294967295", NULL, NULL, &rc), -EINVAL,
	      "order U32_MAX");
	ok(!choose("0", NULL, NULL, &rc) && rc.ring_order == 0, "order 0");
	ok(!choose(NULL, "8", NULL, &rc) && rc.ring_order == 3,
	   "legacy 8 pages: order 3");
	ok(!choose(NULL, "1", NULL, &rc) && rc.ring_order == 0,
	   "legacy 1 page: order 0");
	ok_eq(choose(NULL, "16", NULL, &rc), -EINVAL,
	      "legacy 16 pages: above the max");
	ok_eq(choose(NULL, "6", NULL, &rc), -EINVAL,
	      "legacy 6 pages: not a power of two");
	ok_eq(choose(NULL, "0", NULL, &rc), -EINVAL, "legacy 0 pages");
	ok_eq(choose(NULL, "2147483648", NULL, &rc), -EINVAL,
	      "legacy 2^31 pages");
	ok(!choose("2", "4", NULL, &rc) && rc.ring_order == 2,
	   "order and pages agreeing");
	ok_eq(choose("2", "8", NULL, &rc), -EINVAL,
	      "order and pages disagreeing");
	ok_eq(choose("0", "2", NULL, &rc), -EINVAL,
	      "order 0 with 2 pages: disagreeing");
	ok(!choose(NULL, NULL, "4", &rc) && rc.nr_queues == 4,
	   "queues at the max");
	ok(!choose(NULL, NULL, "1", &rc) && rc.nr_queues == 1, "one queue");
	ok_eq(choose(NULL, NULL, "5", &rc), -EINVAL, "queues above the max");
	ok_eq(choose(NULL, NULL, "0", &rc), -EINVAL, "zero queues");
	ok(!choose("1", NULL, "2", &rc) && rc.ring_order == 1 &&
	   rc.nr_queues == 2, "order 1 and two queues");

	blkback_parse_key(&fe, "ring-page-order", "5");
	ok_eq(blkback_choose_ring(&fe, &lim, &rc), -EINVAL,
	      "backend limit above BLKBACK_MAX_RING_ORDER is capped");
	memset(&fe, 0, sizeof(fe));
	blkback_parse_key(&fe, "multi-queue-num-queues", "17");
	ok_eq(blkback_choose_ring(&fe, &lim, &rc), -EINVAL,
	      "queue limit capped at BLKBACK_MAX_QUEUES");
	lim.max_queues = 0;
	memset(&fe, 0, sizeof(fe));
	blkback_parse_key(&fe, "multi-queue-num-queues", "1");
	ok(!blkback_choose_ring(&fe, &lim, &rc) && rc.nr_queues == 1,
	   "max_queues 0 counts as 1");
	blkback_parse_key(&fe, "feature-persistent", "1");
	blkback_parse_key(&fe, "feature-large-sector-size", "1");
	ok(!blkback_choose_ring(&fe, &lim, &rc) && !rc.persistent &&
	   rc.large_sectors, "persistent needs both ends; large sectors");
	lim.persistent = true;
	ok(!blkback_choose_ring(&fe, &lim, &rc) && rc.persistent,
	   "persistent when both want it");
	blkback_parse_key(&fe, "feature-persistent", "0");
	ok(!blkback_choose_ring(&fe, &lim, &rc) && !rc.persistent,
	   "frontend persistent 0: off");
}

int main(void)
{
	tap_start();
	test_protocol();
	test_copy();
	test_check();
	test_segs_range();
	test_rsp();
	test_keys();
	test_disk_keys();
	test_choose();
	return tap_done();
}
