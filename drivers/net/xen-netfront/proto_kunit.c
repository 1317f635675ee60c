// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the xen-netfront protocol core, as built into the
 * kernel: received packets judged good, dropped or fatal, transmit
 * responses against the ids in flight, the backend's keys, packets built
 * by our backend's core crossing a real receive ring page into this one,
 * and the transmit queue of a flow against our backend's steering of its
 * replies.
 *
 * tools/testing/xen runs the same core through many more cases in
 * userspace; these check the kernel build of it.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include "proto.h"
#include "../xen-netback/proto.h"

static const struct netfront_rx_limits kf_lim = {
	.drop_slots = XEN_NETIF_NR_SLOTS_MIN,
	.gso_types = 1u << XEN_NETIF_GSO_TYPE_TCPV4,
	.hash = true,
};

static enum netfront_rx_verdict kf_one(struct netfront_rx_pkt *p, u16 id,
				       u16 posted, u16 off, u16 flags,
				       s16 status)
{
	struct netif_rx_response r = {
		.id = id, .offset = off, .flags = flags, .status = status,
	};

	netfront_rx_start(p, &kf_lim);
	return netfront_rx_feed(p, &r, posted);
}

static void kf_rx_verdicts(struct kunit *test)
{
	struct netfront_rx_pkt *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, kf_one(p, 3, 3, 64, 0, 1500), NETFRONT_RX_OK);
	KUNIT_EXPECT_EQ(test, p->len, 1500);
	KUNIT_EXPECT_EQ(test, kf_one(p, 3, 4, 0, 0, 1500), NETFRONT_RX_FATAL);
	KUNIT_EXPECT_STREQ(test, p->why, "response id is not its slot's request");
	KUNIT_EXPECT_EQ(test, kf_one(p, 3, 3, 4000, 0, 200), NETFRONT_RX_FATAL);
	KUNIT_EXPECT_EQ(test, kf_one(p, 3, 3, 0, 0, NETIF_RSP_ERROR),
			NETFRONT_RX_DROP);
	KUNIT_EXPECT_EQ(test, kf_one(p, 3, 3, 0, 0, 0), NETFRONT_RX_DROP);
}

static void kf_tx_rsp(struct kunit *test)
{
	struct netif_tx_response r = { .id = 5, .status = NETIF_RSP_OKAY };
	struct xenring_ids ids;
	bool answered;
	u32 link[8];

	xenring_ids_init(&ids, link, 8);
	KUNIT_EXPECT_EQ(test, netfront_tx_rsp(&r, &ids, &answered), -EIO);
	r.id = xenring_ids_get(&ids);
	KUNIT_EXPECT_EQ(test, netfront_tx_rsp(&r, &ids, &answered), 0);
	KUNIT_EXPECT_TRUE(test, answered);
	r.status = NETIF_RSP_NULL;
	r.id = 0xffff;
	KUNIT_EXPECT_EQ(test, netfront_tx_rsp(&r, &ids, &answered), 0);
	KUNIT_EXPECT_FALSE(test, answered);
}

static void kf_keys(struct kunit *test)
{
	struct netfront_limits lim = { .max_queues = 2 };
	struct netfront_keys be = {};
	struct netfront_conf c;
	const char *why;
	u8 mac[6];

	KUNIT_EXPECT_EQ(test, netfront_choose(&be, &lim, &c, &why), -EINVAL);
	netfront_parse_be_key(&be, "feature-rx-copy", "1");
	netfront_parse_be_key(&be, "multi-queue-max-queues", "8");
	netfront_parse_be_key(&be, "feature-split-event-channels", "1");
	KUNIT_EXPECT_EQ(test, netfront_choose(&be, &lim, &c, &why), 0);
	KUNIT_EXPECT_EQ(test, c.nr_queues, 2);
	KUNIT_EXPECT_TRUE(test, c.split);
	KUNIT_EXPECT_EQ(test, netfront_parse_mac("00:16:3e:00:99:02", mac), 0);
	KUNIT_EXPECT_EQ(test, mac[5], 2);
	KUNIT_EXPECT_EQ(test, netfront_parse_mac("ff:ff:ff:ff:ff:ff", mac),
			-EINVAL);
}

/* Our backend fills a receive ring page; this core reads it back. */
static void kf_ring_exchange(struct kunit *test)
{
	struct netback_rx_meta meta = {
		.flags = NETRXF_data_validated,
		.gso_type = XEN_NETIF_GSO_TYPE_TCPV4, .gso_size = 1448,
	};
	enum netfront_rx_verdict v = NETFRONT_RX_MORE;
	u8 out[8][NETIF_RX_SLOT_SIZE];
	struct xenring front, back;
	struct netfront_rx_pkt *p;
	u16 ids[8];
	void *sh;
	int i, n;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	sh = (void *)__get_free_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, sh);
	KUNIT_ASSERT_EQ(test, xenring_init_front(&front, sh, PAGE_SIZE,
						 NETIF_RX_SLOT_SIZE), 0);
	KUNIT_ASSERT_EQ(test, xenring_init_back(&back, sh, PAGE_SIZE,
						NETIF_RX_SLOT_SIZE), 0);
	KUNIT_EXPECT_EQ(test, front.nr_slots, NETIF_RX_RING_SIZE);

	/* The frontend posts eight buffers, each with its slot's id. */
	for (i = 0; i < 8; i++) {
		struct netif_rx_request req = { .id = i, .gref = 500 + i };

		memcpy(xenring_next_req(&front), &req, sizeof(req));
		xenring_advance_req(&front);
	}
	xenring_push_reqs(&front);

	/* The backend takes four for a 9000-byte GSO packet. */
	KUNIT_ASSERT_EQ(test, xenring_req_avail(&back), 8);
	for (i = 0; i < 4; i++) {
		struct netif_rx_request req;

		xenring_take_req(&back, &req, sizeof(req));
		ids[i] = req.id;
	}
	n = netback_rx_build(&meta, 9000, ids, 4, out, 8);
	KUNIT_ASSERT_EQ(test, n, 4);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, xenring_put_rsp(&back, out[i],
						      NETIF_RX_SLOT_SIZE), 0);
	xenring_push_rsps(&back);

	KUNIT_ASSERT_EQ(test, xenring_rsp_avail(&front), 4);
	netfront_rx_start(p, &kf_lim);
	for (i = 0; i < 4 && v == NETFRONT_RX_MORE; i++) {
		u8 slot[NETIF_RX_SLOT_SIZE];

		xenring_take_rsp(&front, slot, sizeof(slot));
		v = netfront_rx_feed(p, slot, i);
	}
	KUNIT_EXPECT_EQ(test, v, NETFRONT_RX_OK);
	KUNIT_EXPECT_EQ(test, p->len, 9000);
	KUNIT_EXPECT_EQ(test, p->nr_frags, 3);
	KUNIT_EXPECT_EQ(test, p->gso_size, 1448);
	KUNIT_EXPECT_EQ(test, p->flags, NETRXF_data_validated);

	/* A backend that answers more than was posted. */
	WRITE_ONCE(((struct xenring_shared *)sh)->rsp_prod, 9);
	KUNIT_EXPECT_EQ(test, xenring_rsp_avail(&front), -EIO);
	free_page((unsigned long)sh);
}

/*
 * We send 161.142.100.80:1766 -> 66.9.149.187:2794 (TCP): the reply is
 * Microsoft's first RSS example, whose hash with the verification key is
 * published, and our backend steers that reply to the queue we pick.
 */
static void kf_reply_queue(struct kunit *test)
{
	static const u8 key[NETFRONT_HASH_KEY_LEN] = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
		0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
		0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
		0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
		0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
	};
	static const u8 reply_in[12] = { 66, 9, 149, 187, 161, 142, 100, 80,
					 0x0a, 0xea, 0x06, 0xe6 };
	u8 frame[14 + 20 + 4] = { [12] = 0x08, [14] = 0x45, [20] = 0x40,
				  [23] = 6 };
	u8 reply[20 + 4] = { 0x45, [6] = 0x40, [9] = 6 };
	struct netfront_hash *h;
	struct netback_hash *bh;
	u8 in[NETFRONT_HASH_INPUT_MAX], type;
	u32 i, q = 0, bq;
	int n;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	bh = kunit_kzalloc(test, sizeof(*bh), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_NOT_NULL(test, bh);
	/* Our packet: source and destination the other way round. */
	memcpy(frame + 14 + 12, reply_in + 4, 4);
	memcpy(frame + 14 + 16, reply_in, 4);
	memcpy(frame + 14 + 20, reply_in + 10, 2);
	memcpy(frame + 14 + 22, reply_in + 8, 2);
	n = netfront_reply_hash_input(NETFRONT_HASH_TYPES, frame, sizeof(frame),
				      in, &type);
	KUNIT_ASSERT_EQ(test, n, 12);
	KUNIT_EXPECT_EQ(test, type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	KUNIT_EXPECT_MEMEQ(test, in, reply_in, sizeof(reply_in));
	KUNIT_EXPECT_EQ(test, netif_toeplitz(key, sizeof(key), in, n),
			0x51ccc178);

	/* Both ends set up alike: 100 entries over three queues. */
	h->types = NETFRONT_HASH_TYPES;
	h->size = 100;
	memcpy(h->key, key, sizeof(key));
	netback_hash_reset(bh);
	bh->algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
	bh->types = NETBACK_HASH_TYPES;
	bh->key_len = sizeof(key);
	memcpy(bh->key, key, sizeof(key));
	bh->size = 100;
	for (i = 0; i < 100; i++) {
		h->table[i] = (i * 7) % 3;
		bh->mapping[i] = h->table[i];
	}
	KUNIT_ASSERT_TRUE(test, netfront_reply_queue(h, frame, sizeof(frame),
						     &q));
	memcpy(reply + 12, reply_in, 8);
	memcpy(reply + 20, reply_in + 8, 4);
	n = netback_hash_input(bh->types, reply, sizeof(reply), in, &type);
	KUNIT_ASSERT_EQ(test, n, 12);
	bq = netback_hash_queue(bh, netback_toeplitz(bh->key, bh->key_len, in,
						     n), 3);
	KUNIT_EXPECT_EQ(test, q, bq);
	KUNIT_EXPECT_EQ(test, q, ((0x51ccc178 % 100) * 7) % 3);

	/* Not IP: the stack picks. */
	frame[13] = 0x06;
	KUNIT_EXPECT_FALSE(test, netfront_reply_queue(h, frame, sizeof(frame),
						      &q));
}

static struct kunit_case kf_cases[] = {
	KUNIT_CASE(kf_rx_verdicts),
	KUNIT_CASE(kf_tx_rsp),
	KUNIT_CASE(kf_keys),
	KUNIT_CASE(kf_ring_exchange),
	KUNIT_CASE(kf_reply_queue),
	{}
};

static struct kunit_suite kf_suite = {
	.name = "xen_netfront_proto",
	.test_cases = kf_cases,
};

kunit_test_suite(kf_suite);
