// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the xen-blkfront protocol core, as built into the kernel:
 * how a backend's response is judged, how a request of many segments is
 * laid out as an indirect request, and the names, minors and geometry
 * the disk shows to the guest.
 *
 * tools/testing/xen runs the same core through many more cases in
 * userspace; these check the kernel build of it, with the kernel's own
 * structure layouts.
 */
#include <kunit/test.h>
#include <linux/blkdev.h>
#include <linux/kernel.h>
#include <xen/xenring.h>
#include "proto.h"

/* One response and how blkfront_check_rsp() must judge it. */
struct kf_rsp_case {
	const char *what;
	u64 id;
	u8 operation;
	s16 status;
	int ret;		/* 0: accepted, else the return value */
	int st;			/* the I/O status of an accepted response */
};

/*
 * Ids 0, 1 and 2 are outstanding as a read, an indirect write and a
 * flush; id 3 is free; the ring has four ids.
 */
static const struct kf_rsp_case kf_rsp_cases[] = {
	{ "read okay", 0, BLKIF_OP_READ, BLKIF_RSP_OKAY, 0, 0 },
	{ "read failed", 0, BLKIF_OP_READ, BLKIF_RSP_ERROR, 0, -EIO },
	{ "read refused", 0, BLKIF_OP_READ, BLKIF_RSP_EOPNOTSUPP, 0,
	  -EOPNOTSUPP },
	{ "status 7", 0, BLKIF_OP_READ, 7, 0, -EIO },
	{ "read answered as a write", 0, BLKIF_OP_WRITE, 0, -EIO, 0 },
	{ "indirect write, inner op", 1, BLKIF_OP_WRITE, 0, 0, 0 },
	{ "indirect write, indirect op", 1, BLKIF_OP_INDIRECT, 0, 0, 0 },
	{ "indirect write answered as a read", 1, BLKIF_OP_READ, 0, -EIO, 0 },
	{ "flush okay", 2, BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0 },
	{ "flush answered as a barrier", 2, BLKIF_OP_WRITE_BARRIER, 0, -EIO,
	  0 },
	{ "id not outstanding", 3, BLKIF_OP_READ, 0, -EIO, 0 },
	{ "id past the ring", 4, BLKIF_OP_READ, 0, -EIO, 0 },
	{ "id with high bits", BIT_ULL(32), BLKIF_OP_READ, 0, -EIO, 0 },
};

static void kf_check_rsp(struct kunit *test)
{
	u8 ops[4] = { BLKIF_OP_READ, BLKIF_OP_WRITE | BLKFRONT_OP_INDIRECT,
		      BLKIF_OP_FLUSH_DISKCACHE, 0 };
	struct blkif_response rsp;
	struct xenring_ids ids;
	u32 link[4];
	unsigned int i;

	xenring_ids_init(&ids, link, ARRAY_SIZE(link));
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, xenring_ids_get(&ids), i);

	for (i = 0; i < ARRAY_SIZE(kf_rsp_cases); i++) {
		const struct kf_rsp_case *c = &kf_rsp_cases[i];
		int st = 12345;

		memset(&rsp, 0, sizeof(rsp));
		rsp.id = c->id;
		rsp.operation = c->operation;
		rsp.status = c->status;
		KUNIT_EXPECT_EQ_MSG(test, blkfront_check_rsp(&rsp, &ids, ops,
							     &st),
				    c->ret, "%s", c->what);
		if (!c->ret)
			KUNIT_EXPECT_EQ_MSG(test, st, c->st, "%s", c->what);
	}
	/* Judging a response must not release its id. */
	KUNIT_EXPECT_EQ(test, ids.busy, 3);
}

static void kf_indirect_layout(struct kunit *test)
{
	const u32 nsegs = BLKIF_SEGS_PER_INDIRECT_PAGE + 3;
	struct blkfront_disk_conf dc = {
		.sect_shift = 9, .logical_size = 512, .physical_size = 512,
		.capacity = 1 << 20, .segs_per_req = 1024, .indirect = true,
	};
	struct blkif_request_segment *pages[2];
	u32 grefs[2] = { 900, 901 };
	struct blkfront_seg *segs;
	struct blkfront_io io = {
		.write = true, .handle = 0xca00, .id = 5, .sector = 64,
		.indirect_grefs = grefs,
	};
	struct blkif_request_indirect *req;
	u32 i;

	segs = kunit_kcalloc(test, nsegs, sizeof(*segs), GFP_KERNEL);
	req = kunit_kzalloc(test, BLKIF_NATIVE_SLOT_SIZE, GFP_KERNEL);
	pages[0] = kunit_kzalloc(test, BLKIF_PAGE_SIZE, GFP_KERNEL);
	pages[1] = kunit_kzalloc(test, BLKIF_PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, segs && req && pages[0] && pages[1]);
	for (i = 0; i < nsegs; i++) {
		segs[i].gref = 100 + i;
		segs[i].len = BLKIF_PAGE_SIZE;
	}
	/* The last one covers sectors 2 and 3 of its page only. */
	segs[nsegs - 1].offset = 1024;
	segs[nsegs - 1].len = 1024;
	io.segs = segs;
	io.nr_segs = nsegs;
	io.indirect_pages = pages;

	KUNIT_ASSERT_EQ(test, blkfront_indirect_pages(nsegs), 2);
	KUNIT_ASSERT_EQ(test, blkfront_build_rw(&io, &dc, req), 0);
	KUNIT_EXPECT_EQ(test, req->operation, BLKIF_OP_INDIRECT);
	KUNIT_EXPECT_EQ(test, req->indirect_op, BLKIF_OP_WRITE);
	KUNIT_EXPECT_EQ(test, req->nr_segments, nsegs);
	KUNIT_EXPECT_EQ(test, req->handle, 0xca00);
	KUNIT_EXPECT_EQ(test, req->id, 5);
	KUNIT_EXPECT_EQ(test, req->sector_number, 64);
	KUNIT_EXPECT_EQ(test, req->indirect_grefs[0], 900);
	KUNIT_EXPECT_EQ(test, req->indirect_grefs[1], 901);
	KUNIT_EXPECT_EQ(test, req->indirect_grefs[2], 0);
	KUNIT_EXPECT_EQ(test, pages[0][0].gref, 100);
	KUNIT_EXPECT_EQ(test, pages[0][0].last_sect, 7);
	i = BLKIF_SEGS_PER_INDIRECT_PAGE;
	KUNIT_EXPECT_EQ(test, pages[1][0].gref, 100 + i);
	KUNIT_EXPECT_EQ(test, pages[1][2].gref, 100 + nsegs - 1);
	KUNIT_EXPECT_EQ(test, pages[1][2].first_sect, 2);
	KUNIT_EXPECT_EQ(test, pages[1][2].last_sect, 3);
	/* Past the last segment the page holds nothing of ours. */
	KUNIT_EXPECT_EQ(test, pages[1][3].gref, 0);

	/* One segment more than the disk allows is refused. */
	dc.segs_per_req = nsegs - 1;
	KUNIT_EXPECT_EQ(test, blkfront_build_rw(&io, &dc, req), -EINVAL);
}

/* A few numbers and the disks Linux's blkfront has always made of them. */
static void kf_vdev(struct kunit *test)
{
	static const struct {
		u32 vdev;
		const char *name;
		u32 first_minor, minors;
	} c[] = {
		{ 202 << 8 | 16, "xvdb", 16, 16 },
		{ 3 << 8 | 64, "xvdb", 16, 16 },	/* hdb */
		{ 22 << 8 | 0, "xvdc", 32, 16 },	/* hdc */
		{ 8 << 8 | 2, "xvda2", 2, 1 },		/* sda2 */
		{ 65 << 8 | 0, "xvdq", 256, 16 },	/* sdq */
		{ 1 << 28 | 26 << 8, "xvdaa", 6656, 256 },
	};
	struct blkfront_vdev v;
	char name[DISK_NAME_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		KUNIT_ASSERT_EQ(test, blkfront_vdev_map(c[i].vdev, &v), 0);
		KUNIT_ASSERT_EQ(test, blkfront_vdev_name(&v, name,
							 sizeof(name)), 0);
		KUNIT_EXPECT_STREQ(test, name, c[i].name);
		KUNIT_EXPECT_EQ(test, v.first_minor, c[i].first_minor);
		KUNIT_EXPECT_EQ(test, v.minors, c[i].minors);
	}
	KUNIT_EXPECT_EQ(test, blkfront_vdev_map(72 << 8, &v), -ENODEV);
	KUNIT_EXPECT_EQ(test, blkfront_vdev_map(2u << 28, &v), -ENODEV);
}

static void kf_geometry(struct kunit *test)
{
	struct blkfront_geo geo;

	blkfront_geometry(2097152, &geo);	/* 1 GiB */
	KUNIT_EXPECT_EQ(test, geo.heads, 255);
	KUNIT_EXPECT_EQ(test, geo.sectors, 63);
	KUNIT_EXPECT_EQ(test, geo.cylinders, 130);
	blkfront_geometry(1ull << 40, &geo);
	KUNIT_EXPECT_EQ(test, geo.cylinders, 0xffff);
}

static void kf_rsp_result(struct kunit *test)
{
	u32 off;

	KUNIT_EXPECT_EQ(test, blkfront_rsp_result(BLKIF_OP_DISCARD, false,
						  BLKIF_RSP_EOPNOTSUPP, &off),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, off, BLKFRONT_OFF_DISCARD);
	KUNIT_EXPECT_EQ(test, blkfront_rsp_result(BLKIF_OP_FLUSH_DISKCACHE,
						  false, BLKIF_RSP_EOPNOTSUPP,
						  &off), 0);
	KUNIT_EXPECT_EQ(test, off, BLKFRONT_OFF_FLUSH);
	KUNIT_EXPECT_EQ(test, blkfront_rsp_result(BLKIF_OP_WRITE_BARRIER, true,
						  BLKIF_RSP_EOPNOTSUPP, &off),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, blkfront_rsp_result(BLKIF_OP_READ, true,
						  BLKIF_RSP_EOPNOTSUPP, &off),
			-EIO);
	KUNIT_EXPECT_EQ(test, off, 0);
}

static struct kunit_case kf_cases[] = {
	KUNIT_CASE(kf_check_rsp),
	KUNIT_CASE(kf_indirect_layout),
	KUNIT_CASE(kf_vdev),
	KUNIT_CASE(kf_geometry),
	KUNIT_CASE(kf_rsp_result),
	{}
};

static struct kunit_suite kf_suite = {
	.name = "xen_blkfront_proto",
	.test_cases = kf_cases,
};

kunit_test_suite(kf_suite);
