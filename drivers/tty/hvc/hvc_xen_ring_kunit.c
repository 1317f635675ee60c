// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Xen console page's rings as built into the kernel:
 * writes and reads across the ring's end, a full ring, a console daemon's
 * index out of range, and which events count as progress.
 *
 * tools/testing/xen runs the same code through many more cases and a
 * fuzzer in userspace; these check the kernel build of it, with the
 * kernel's barriers and accessors.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hvc_xen_ring.h"

/* A zeroed page whose indexes all start at OUT and IN, attached to R. */
static struct xencons_interface *xcr_page(struct kunit *test,
					  struct xencons_ring *r,
					  u32 out, u32 in)
{
	struct xencons_interface *p = kunit_kzalloc(test, sizeof(*p),
						     GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->out_prod = out;
	p->out_cons = out;
	p->in_prod = in;
	p->in_cons = in;
	xencons_ring_attach(r, p);
	return p;
}

static void xcr_write(struct kunit *test)
{
	struct xencons_ring r;
	struct xencons_interface *p = xcr_page(test, &r, 2046, 0);
	static const u8 big[2100];

	KUNIT_EXPECT_EQ(test, xencons_ring_write(&r, (const u8 *)"abcde", 5),
			5);
	KUNIT_EXPECT_EQ(test, p->out_prod, 2051U);
	KUNIT_EXPECT_EQ(test, p->out[2047], 'b');
	KUNIT_EXPECT_EQ(test, p->out[0], 'c');
	KUNIT_EXPECT_EQ(test, xencons_ring_write(&r, big, sizeof(big)), 2043);
	KUNIT_EXPECT_EQ(test, xencons_ring_write(&r, big, 1), 0);
	KUNIT_EXPECT_FALSE(test, r.broken);
}

static void xcr_read(struct kunit *test)
{
	struct xencons_ring r;
	struct xencons_interface *p = xcr_page(test, &r, 0, 1022);
	u8 buf[8];

	memcpy(p->in + 1022, "ab", 2);
	memcpy(p->in, "cd", 2);
	p->in_prod = 1026;
	KUNIT_EXPECT_EQ(test, xencons_ring_read(&r, buf, sizeof(buf)), 4);
	KUNIT_EXPECT_MEMEQ(test, buf, "abcd", 4);
	KUNIT_EXPECT_EQ(test, p->in_cons, 1026U);
	KUNIT_EXPECT_EQ(test, xencons_ring_read(&r, buf, sizeof(buf)), 0);
}

static void xcr_hostile(struct kunit *test)
{
	struct xencons_ring r;
	struct xencons_interface *p = xcr_page(test, &r, 100, 0);
	u8 buf[4];

	p->out_cons = 101;
	KUNIT_EXPECT_EQ(test, xencons_ring_write(&r, (const u8 *)"a", 1),
			-EIO);
	p->out_cons = 100;
	KUNIT_EXPECT_EQ(test, xencons_ring_write(&r, (const u8 *)"a", 1),
			-EIO);
	KUNIT_EXPECT_EQ(test, xencons_ring_read(&r, buf, sizeof(buf)), -EIO);
	xencons_ring_attach(&r, p);
	KUNIT_EXPECT_EQ(test, xencons_ring_write(&r, (const u8 *)"a", 1), 1);
	p->in_prod = 1025;
	KUNIT_EXPECT_EQ(test, xencons_ring_read(&r, buf, sizeof(buf)), -EIO);
}

static void xcr_moved(struct kunit *test)
{
	struct xencons_ring r;
	struct xencons_interface *p = xcr_page(test, &r, 0, 0);

	KUNIT_EXPECT_FALSE(test, xencons_ring_moved(&r));
	xencons_ring_write(&r, (const u8 *)"0123456789", 10);
	p->out_cons = 4;
	KUNIT_EXPECT_TRUE(test, xencons_ring_moved(&r));
	KUNIT_EXPECT_FALSE(test, xencons_ring_moved(&r));
	p->out_cons = 11;
	KUNIT_EXPECT_FALSE(test, xencons_ring_moved(&r));
	p->in_prod = 1;
	KUNIT_EXPECT_TRUE(test, xencons_ring_moved(&r));
	KUNIT_EXPECT_FALSE(test, xencons_ring_moved(&r));
}

static struct kunit_case xcr_cases[] = {
	KUNIT_CASE(xcr_write),
	KUNIT_CASE(xcr_read),
	KUNIT_CASE(xcr_hostile),
	KUNIT_CASE(xcr_moved),
	{}
};

static struct kunit_suite xcr_suite = {
	.name = "xen_hvc_ring",
	.test_cases = xcr_cases,
};

kunit_test_suite(xcr_suite);
