// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the xen-blkback protocol core, as built into the kernel:
 * a request as a 32-bit or 64-bit frontend lays it out, the checks that
 * refuse a malformed one, the toolstack's discard-enable against the
 * kernel's own sscanf(), the info bits, and a whole exchange between our frontend's
 * core and this one over a real ring page.
 *
 * tools/testing/xen runs the same cores through many more cases in
 * userspace; these check the kernel build of them.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <xen/xenring.h>
#include <xen/interface/io/protocols.h>
#include "proto.h"
#include "../xen-blkfront/proto.h"

/* A 1 MiB disk of 512-byte sectors that offers everything. */
static const struct blkback_disk kb_disk = {
	.nr_sectors = 2048, .sect_shift = 9, .discard = true,
	.discard_secure = true, .flush = true, .barrier = true,
	.max_indirect_segs = 256,
};

/* Where each ABI's own structure puts the fields of a read or write. */
#define KB_LAYOUT(t) {							\
	offsetof(t, nr_segments), offsetof(t, handle), offsetof(t, id),	\
	offsetof(t, sector_number), offsetof(t, seg) }

static const struct {
	size_t nr_segments, handle, id, sector, seg;
} kb_layouts[BLKBACK_ABI_NR] = {
	[BLKBACK_ABI_NATIVE] = KB_LAYOUT(struct blkif_request),
	[BLKBACK_ABI_X86_32] = KB_LAYOUT(struct blkif_x86_32_request),
	[BLKBACK_ABI_X86_64] = KB_LAYOUT(struct blkif_x86_64_request),
};

/*
 * Lay out a write of @nsegs whole pages at @sector, as a frontend of
 * @abi writes it into a ring slot.
 */
static void kb_put_write(enum blkback_abi abi, u8 *slot, u8 nsegs, u64 id,
			 u64 sector)
{
	u16 handle = 0x300;
	u32 i;

	slot[0] = BLKIF_OP_WRITE;
	slot[kb_layouts[abi].nr_segments] = nsegs;
	memcpy(slot + kb_layouts[abi].handle, &handle, sizeof(handle));
	memcpy(slot + kb_layouts[abi].id, &id, sizeof(id));
	memcpy(slot + kb_layouts[abi].sector, &sector, sizeof(sector));
	for (i = 0; i < nsegs && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		struct blkif_request_segment seg = {
			.gref = 40 + i, .first_sect = 0, .last_sect = 7,
		};

		memcpy(slot + kb_layouts[abi].seg + i * sizeof(seg), &seg,
		       sizeof(seg));
	}
}

static void kb_abis(struct kunit *test)
{
	static const struct {
		const char *protocol;
		enum blkback_abi abi;
		u32 slot, rsp;
	} abis[] = {
		{ XEN_IO_PROTO_ABI_X86_32, BLKBACK_ABI_X86_32, 108, 12 },
		{ XEN_IO_PROTO_ABI_X86_64, BLKBACK_ABI_X86_64, 112, 16 },
		{ NULL, BLKBACK_ABI_NATIVE, 112, 16 },
	};
	struct blkback_req req;
	u8 slot[BLKBACK_MAX_SLOT_SIZE], rsp[BLKBACK_MAX_RSP_SIZE];
	enum blkback_abi bad;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(abis); i++) {
		enum blkback_abi abi = BLKBACK_ABI_NR;
		s16 status;
		u64 id;

		if (abis[i].protocol) {
			int err = blkback_parse_protocol(abis[i].protocol, &abi);

			KUNIT_ASSERT_EQ(test, err, 0);
			KUNIT_EXPECT_EQ(test, abi, abis[i].abi);
		}
		abi = abis[i].abi;
		KUNIT_EXPECT_EQ(test, blkback_slot_size(abi), abis[i].slot);

		memset(slot, 0xa5, sizeof(slot));
		kb_put_write(abi, slot, 3, 0x1122334455667788ull, 2040);
		KUNIT_ASSERT_EQ(test, blkback_copy_req(abi, slot, &req), 0);
		KUNIT_EXPECT_EQ(test, req.operation, BLKIF_OP_WRITE);
		KUNIT_EXPECT_EQ(test, req.nr_segs, 3);
		KUNIT_EXPECT_EQ(test, req.handle, 0x300);
		KUNIT_EXPECT_EQ(test, req.id, 0x1122334455667788ull);
		KUNIT_EXPECT_EQ(test, req.sector, 2040);
		KUNIT_EXPECT_EQ(test, req.segs[2].gref, 42);
		KUNIT_EXPECT_EQ(test, req.segs[2].last_sect, 7);
		/* 24 sectors from 2040 run past the 2048 of the disk. */
		KUNIT_EXPECT_EQ(test, blkback_check_req(&req, &kb_disk, NULL),
				-EINVAL);
		req.sector = 2024;
		KUNIT_EXPECT_EQ(test, blkback_check_req(&req, &kb_disk, NULL),
				0);

		memset(rsp, 0xa5, sizeof(rsp));
		KUNIT_ASSERT_EQ(test, blkback_build_rsp(abi, req.id,
							blkback_rsp_op(&req),
							BLKIF_RSP_ERROR, rsp),
				abis[i].rsp);
		memcpy(&id, rsp, sizeof(id));
		memcpy(&status, rsp + 10, sizeof(status));
		KUNIT_EXPECT_EQ(test, id, 0x1122334455667788ull);
		KUNIT_EXPECT_EQ(test, rsp[8], BLKIF_OP_WRITE);
		KUNIT_EXPECT_EQ(test, status, BLKIF_RSP_ERROR);
		/* Padding is zeroed: nothing private leaks to the frontend. */
		KUNIT_EXPECT_EQ(test, rsp[9], 0);
		if (abis[i].rsp == 16)
			KUNIT_EXPECT_TRUE(test, !rsp[12] && !rsp[15]);
		else
			KUNIT_EXPECT_EQ(test, rsp[12], 0xa5);
	}
	KUNIT_EXPECT_EQ(test, blkback_parse_protocol("x86_16-abi", &bad),
			-EINVAL);
}

/* A request, what blkback_check_req() must say about it, and why. */
struct kb_reject_case {
	const char *what;
	struct blkback_req req;
	bool readonly;
	bool plain;		/* a disk that offers no optional feature */
	enum blkback_reject why;
};

#define KB_SEG(f, l)	{ .gref = 1, .first_sect = (f), .last_sect = (l) }

static const struct kb_reject_case kb_reject_cases[] = {
	{ "read of one page",
	  { .operation = BLKIF_OP_READ, .op = BLKIF_OP_READ, .nr_segs = 1,
	    .segs = { KB_SEG(0, 7) } }, false, false, BLKBACK_REQ_OK },
	{ "read without segments",
	  { .operation = BLKIF_OP_READ, .op = BLKIF_OP_READ },
	  false, false, BLKBACK_REQ_BAD_NR_SEGS },
	{ "write of 12 direct segments",
	  { .operation = BLKIF_OP_WRITE, .op = BLKIF_OP_WRITE, .nr_segs = 12 },
	  false, false, BLKBACK_REQ_BAD_NR_SEGS },
	{ "segment that runs backwards",
	  { .operation = BLKIF_OP_READ, .op = BLKIF_OP_READ, .nr_segs = 1,
	    .segs = { KB_SEG(5, 4) } }, false, false, BLKBACK_REQ_BAD_SEG },
	{ "segment past its page",
	  { .operation = BLKIF_OP_READ, .op = BLKIF_OP_READ, .nr_segs = 1,
	    .segs = { KB_SEG(0, 8) } }, false, false, BLKBACK_REQ_BAD_SEG },
	{ "read from the last sector on",
	  { .operation = BLKIF_OP_READ, .op = BLKIF_OP_READ, .nr_segs = 1,
	    .sector = 2047, .segs = { KB_SEG(0, 1) } },
	  false, false, BLKBACK_REQ_BAD_RANGE },
	{ "read at a sector near 2^64",
	  { .operation = BLKIF_OP_READ, .op = BLKIF_OP_READ, .nr_segs = 1,
	    .sector = U64_MAX - 2, .segs = { KB_SEG(0, 7) } },
	  false, false, BLKBACK_REQ_BAD_RANGE },
	{ "write to a read-only disk",
	  { .operation = BLKIF_OP_WRITE, .op = BLKIF_OP_WRITE, .nr_segs = 1,
	    .segs = { KB_SEG(0, 7) } }, true, false, BLKBACK_REQ_READONLY },
	{ "flush not offered",
	  { .operation = BLKIF_OP_FLUSH_DISKCACHE,
	    .op = BLKIF_OP_FLUSH_DISKCACHE }, false, true,
	  BLKBACK_REQ_NO_FLUSH },
	{ "barrier not offered",
	  { .operation = BLKIF_OP_WRITE_BARRIER, .op = BLKIF_OP_WRITE_BARRIER },
	  false, true, BLKBACK_REQ_NO_BARRIER },
	{ "discard not offered",
	  { .operation = BLKIF_OP_DISCARD, .op = BLKIF_OP_DISCARD,
	    .nr_sectors = 8 }, false, true, BLKBACK_REQ_NO_DISCARD },
	{ "discard past the end",
	  { .operation = BLKIF_OP_DISCARD, .op = BLKIF_OP_DISCARD,
	    .sector = 2000, .nr_sectors = 49 }, false, false,
	  BLKBACK_REQ_BAD_RANGE },
	{ "indirect not offered",
	  { .operation = BLKIF_OP_INDIRECT, .op = BLKIF_OP_READ,
	    .nr_segs = 20, .nr_indirect_pages = 1 }, false, true,
	  BLKBACK_REQ_NO_INDIRECT },
	{ "indirect flush",
	  { .operation = BLKIF_OP_INDIRECT, .op = BLKIF_OP_FLUSH_DISKCACHE,
	    .nr_segs = 20, .nr_indirect_pages = 1 }, false, false,
	  BLKBACK_REQ_BAD_INDIRECT_OP },
	{ "indirect beyond the advertised segments",
	  { .operation = BLKIF_OP_INDIRECT, .op = BLKIF_OP_READ,
	    .nr_segs = 257, .nr_indirect_pages = 1 }, false, false,
	  BLKBACK_REQ_BAD_INDIRECT_SEGS },
	{ "indirect page count that does not match",
	  { .operation = BLKIF_OP_INDIRECT, .op = BLKIF_OP_READ,
	    .nr_segs = 20, .nr_indirect_pages = 2 }, false, false,
	  BLKBACK_REQ_BAD_INDIRECT_PAGES },
	{ "unknown operation",
	  { .operation = 42, .op = 42 }, false, false, BLKBACK_REQ_BAD_OP },
};

static void kb_rejects(struct kunit *test)
{
	struct blkback_disk plain = {
		.nr_sectors = kb_disk.nr_sectors, .sect_shift = 9,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kb_reject_cases); i++) {
		const struct kb_reject_case *c = &kb_reject_cases[i];
		struct blkback_disk disk = c->plain ? plain : kb_disk;
		enum blkback_reject why = BLKBACK_REQ_BAD_DISK;
		int err;

		disk.readonly = c->readonly;
		err = blkback_check_req(&c->req, &disk, &why);
		KUNIT_EXPECT_EQ_MSG(test, why, c->why, "%s", c->what);
		KUNIT_EXPECT_EQ_MSG(test, !err, c->why == BLKBACK_REQ_OK,
				    "%s: returned %d", c->what, err);
	}
	/* A disk description outside 512 B to 4 KiB sectors is refused. */
	plain.sect_shift = 13;
	KUNIT_EXPECT_EQ(test, blkback_check_req(&kb_reject_cases[0].req, &plain,
						NULL), -EINVAL);
}

/*
 * The toolstack's discard-enable as the kernel's own sscanf() reads it in
 * xenbus_read_unsigned(): this build's parser must agree with it.
 */
static void kb_discard_enable(struct kunit *test)
{
	static const char *const vals[] = {
		"0", "1", "00", " 0", "\t0", "\2400", "0x1", "7", "-1",
		"+0", "", "no", "4294967296", "4294967297",
		"18446744073709551616",
	};
	/* The conversion xenbus_read_unsigned() makes, default 1. */
	static const char xenbus_uint_fmt[] = "%u";
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, blkback_discard_enabled(NULL));
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		unsigned int v = 0;
		bool want = sscanf(vals[i], xenbus_uint_fmt, &v) != 1 || v;

		KUNIT_EXPECT_EQ_MSG(test, blkback_discard_enabled(vals[i]), want,
				    "discard-enable \"%s\"", vals[i]);
	}
}

/* The info bits of upstream's VDISK_* flags, and nothing else. */
static void kb_info(struct kunit *test)
{
	struct blkback_disk d = kb_disk;

	KUNIT_EXPECT_EQ(test, blkback_info(&d), 0);
	d.cdrom = true;
	d.removable = true;
	d.readonly = true;
	KUNIT_EXPECT_EQ(test, blkback_info(&d),
			VDISK_CDROM | VDISK_REMOVABLE | VDISK_READONLY);
}

/*
 * Our frontend's core posts requests on a ring page, this core takes,
 * checks and answers them, and the frontend's core accepts the answers;
 * then each side meets a peer that overruns the ring.
 */
static void kb_ring_exchange(struct kunit *test)
{
	struct blkfront_disk_conf dc = {
		.sect_shift = 9, .logical_size = 512, .physical_size = 512,
		.capacity = kb_disk.nr_sectors, .segs_per_req = 11,
	};
	struct blkfront_seg seg = { .gref = 77, .len = BLKIF_PAGE_SIZE };
	struct blkfront_io io = { .handle = 0x300, .segs = &seg, .nr_segs = 1 };
	u8 slot[BLKBACK_MAX_SLOT_SIZE], rsp[BLKBACK_MAX_RSP_SIZE];
	struct xenring front, back;
	struct xenring_ids ids;
	u8 ops[32] = { 0 };
	u32 link[32], i, id;
	void *sh;
	int n;

	/* A kmalloc()ed page is page aligned, as a granted ring page is. */
	sh = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sh);
	KUNIT_ASSERT_TRUE(test, PAGE_ALIGNED(sh));
	KUNIT_ASSERT_EQ(test, xenring_init_front(&front, sh, PAGE_SIZE,
						 BLKIF_NATIVE_SLOT_SIZE), 0);
	KUNIT_ASSERT_EQ(test, xenring_init_back(&back, sh, PAGE_SIZE,
						BLKIF_NATIVE_SLOT_SIZE), 0);
	KUNIT_ASSERT_EQ(test, front.nr_slots, 32);
	xenring_ids_init(&ids, link, ARRAY_SIZE(link));

	/* Fill the ring: one read of 8 sectors per slot, 8 sectors apart. */
	for (i = 0; i < front.nr_slots; i++) {
		void *next = xenring_next_req(&front);

		KUNIT_ASSERT_NE(test, xenring_req_space(&front), 0);
		id = xenring_ids_get(&ids);
		io.id = id;
		io.sector = 8 * i;
		KUNIT_ASSERT_EQ(test, blkfront_build_rw(&io, &dc, next), 0);
		ops[id] = BLKIF_OP_READ;
		xenring_advance_req(&front);
	}
	KUNIT_EXPECT_EQ(test, xenring_req_space(&front), 0);
	KUNIT_EXPECT_TRUE(test, xenring_push_reqs(&front));

	/* The backend answers all of them; the 9th read's answer fails. */
	KUNIT_ASSERT_EQ(test, xenring_req_avail(&back), 32);
	for (i = 0; i < 32; i++) {
		struct blkback_req req;
		size_t len;

		xenring_take_req(&back, slot, BLKIF_NATIVE_SLOT_SIZE);
		KUNIT_ASSERT_EQ(test, blkback_copy_req(BLKBACK_ABI_NATIVE, slot,
						       &req), 0);
		KUNIT_EXPECT_EQ(test, blkback_check_req(&req, &kb_disk, NULL),
				0);
		KUNIT_EXPECT_EQ(test, req.sector, 8 * i);
		len = blkback_build_rsp(BLKBACK_ABI_NATIVE, req.id,
					blkback_rsp_op(&req),
					i == 8 ? BLKIF_RSP_ERROR :
						 BLKIF_RSP_OKAY, rsp);
		KUNIT_ASSERT_EQ(test, xenring_put_rsp(&back, rsp, len), 0);
	}
	KUNIT_EXPECT_EQ(test, xenring_put_rsp(&back, rsp, sizeof(rsp)),
			-ENOSPC);
	KUNIT_EXPECT_TRUE(test, xenring_push_rsps(&back));

	n = xenring_rsp_avail(&front);
	KUNIT_ASSERT_EQ(test, n, 32);
	for (i = 0; i < 32; i++) {
		struct blkif_response r;
		int st = 1;

		xenring_take_rsp(&front, &r, sizeof(r));
		KUNIT_EXPECT_EQ(test, blkfront_check_rsp(&r, &ids, ops, &st),
				0);
		KUNIT_EXPECT_EQ(test, st, i == 8 ? -EIO : 0);
		KUNIT_EXPECT_EQ(test, xenring_ids_put(&ids, r.id), 0);
	}
	KUNIT_EXPECT_EQ(test, ids.busy, 0);
	KUNIT_EXPECT_FALSE(test, xenring_rsp_rearm(&front));

	/* A backend that claims a response nobody asked for. */
	WRITE_ONCE(((struct xenring_shared *)sh)->rsp_prod, 33);
	KUNIT_EXPECT_EQ(test, xenring_rsp_avail(&front), -EIO);
	/* A frontend that claims more requests than the ring holds. */
	WRITE_ONCE(((struct xenring_shared *)sh)->req_prod, 32 + 33);
	KUNIT_EXPECT_EQ(test, xenring_req_avail(&back), -EIO);
}

static struct kunit_case kb_cases[] = {
	KUNIT_CASE(kb_abis),
	KUNIT_CASE(kb_rejects),
	KUNIT_CASE(kb_discard_enable),
	KUNIT_CASE(kb_info),
	KUNIT_CASE(kb_ring_exchange),
	{}
};

static struct kunit_suite kb_suite = {
	.name = "xen_blkback_proto",
	.test_cases = kb_cases,
};

kunit_test_suite(kb_suite);
