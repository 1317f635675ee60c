// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the xen-netback protocol core, as built into the kernel:
 * transmitted packets judged good, dropped or fatal, a hash mapping that
 * names a queue that does not exist (XSA-270), the Toeplitz hash against
 * Microsoft's RSS examples, the frontend's keys, and what decides the
 * carrier of a vif whose guest stops taking packets (carrier.h).
 *
 * tools/testing/xen runs the same core through many more cases in
 * userspace; these check the kernel build of it.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include "carrier.h"
#include "proto.h"

static const struct netback_tx_limits kn_lim = {
	.drop_slots = XEN_NETIF_NR_SLOTS_MIN,
	.fatal_slots = 20,
	.gso_types = 1u << XEN_NETIF_GSO_TYPE_TCPV4,
};

/* Gather @n data slots of @sizes (the first is the total); the verdict. */
static enum netback_tx_verdict kn_run(struct netback_tx_pkt *p,
				      const u16 *sizes, const u16 *offs, u32 n)
{
	enum netback_tx_verdict v = NETBACK_TX_MORE;
	u32 i;

	netback_tx_start(p, &kn_lim);
	for (i = 0; i < n && v == NETBACK_TX_MORE; i++) {
		struct netif_tx_request r = {
			.gref = 100 + i, .offset = offs ? offs[i] : 0,
			.flags = i + 1 < n ? NETTXF_more_data : 0,
			.id = i, .size = sizes[i],
		};

		v = netback_tx_feed(p, &r);
	}
	return v;
}

static void kn_tx_verdicts(struct kunit *test)
{
	static const u16 good[] = { 5000, 2048, 952 };
	static const u16 cross[] = { 5000, 2048, 952 };
	static const u16 cross_off[] = { 0, 0, 3200 };
	static const u16 empty[] = { 3000, 0, 1000 };
	static const u16 longer[] = { 100, 200 };
	static const u16 runt[] = { 13 };
	struct netif_tx_response rsp;
	struct netback_tx_pkt *p;
	u16 many[21];
	u32 i;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);

	KUNIT_EXPECT_EQ(test, kn_run(p, good, NULL, 3), NETBACK_TX_OK);
	KUNIT_EXPECT_EQ(test, p->frags[0].size, 2000);
	netback_tx_rsp(p, 2, netback_tx_status(p), &rsp);
	KUNIT_EXPECT_EQ(test, rsp.id, 2);
	KUNIT_EXPECT_EQ(test, rsp.status, NETIF_RSP_OKAY);

	KUNIT_EXPECT_EQ(test, kn_run(p, cross, cross_off, 3), NETBACK_TX_FATAL);
	KUNIT_EXPECT_STREQ(test, p->why, "fragment crosses its page");
	KUNIT_EXPECT_EQ(test, kn_run(p, empty, NULL, 3), NETBACK_TX_DROP);
	KUNIT_EXPECT_STREQ(test, p->why, "empty fragment");
	KUNIT_EXPECT_EQ(test, netback_tx_status(p), NETIF_RSP_ERROR);
	KUNIT_EXPECT_EQ(test, kn_run(p, longer, NULL, 2), NETBACK_TX_DROP);
	KUNIT_EXPECT_EQ(test, kn_run(p, runt, NULL, 1), NETBACK_TX_DROP);

	many[0] = 4000;
	for (i = 1; i < ARRAY_SIZE(many); i++)
		many[i] = 100;
	KUNIT_EXPECT_EQ(test, kn_run(p, many, NULL, 19), NETBACK_TX_DROP);
	KUNIT_EXPECT_EQ(test, p->nr_slots, 19);
	KUNIT_EXPECT_EQ(test, kn_run(p, many, NULL, 21), NETBACK_TX_FATAL);
}

static void kn_tx_extras(struct kunit *test)
{
	struct netif_tx_request first = {
		.gref = 1, .flags = NETTXF_extra_info, .id = 7, .size = 1500,
	};
	struct netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
	struct netif_tx_response rsp;
	struct netback_tx_pkt *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	gso.u.gso.size = 1448;
	gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
	netback_tx_start(p, &kn_lim);
	KUNIT_EXPECT_EQ(test, netback_tx_feed(p, &first), NETBACK_TX_MORE);
	KUNIT_EXPECT_EQ(test, netback_tx_feed(p, &gso), NETBACK_TX_OK);
	KUNIT_EXPECT_EQ(test, p->gso_size, 1448);
	netback_tx_rsp(p, 1, NETIF_RSP_OKAY, &rsp);
	KUNIT_EXPECT_EQ(test, rsp.status, NETIF_RSP_NULL);

	gso.type = XEN_NETIF_EXTRA_TYPE_MAX;
	netback_tx_start(p, &kn_lim);
	netback_tx_feed(p, &first);
	KUNIT_EXPECT_EQ(test, netback_tx_feed(p, &gso), NETBACK_TX_FATAL);
}

static void kn_ctrl(struct kunit *test)
{
	struct xen_netif_ctrl_request req = {
		.type = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE,
		.data = { 4 },
	};
	u32 good[4] = { 0, 1, 0, 1 }, bad[4] = { 0, 1, 2, 1 };
	struct netback_ctrl_copy cp;
	struct netback_hash h;
	u32 res;

	netback_hash_reset(&h);
	KUNIT_EXPECT_EQ(test, netback_ctrl_apply(&h, &req, NULL, 2, &res),
			XEN_NETIF_CTRL_STATUS_SUCCESS);
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING;
	req.data[1] = 4;
	KUNIT_EXPECT_EQ(test, netback_ctrl_check(&h, &req, &cp),
			XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, cp.len, 16);
	KUNIT_EXPECT_EQ(test, netback_ctrl_apply(&h, &req, good, 2, &res),
			XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, netback_ctrl_apply(&h, &req, bad, 2, &res),
			XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, h.mapping[2], 0);
	KUNIT_EXPECT_EQ(test, netback_hash_queue(&h, 5, 2), 1);
}

static void kn_toeplitz(struct kunit *test)
{
	static const u8 key[40] = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
		0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
		0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
		0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
		0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
	};
	static const u8 tcp4[12] = { 66, 9, 149, 187, 161, 142, 100, 80,
				     0x0a, 0xea, 0x06, 0xe6 };

	KUNIT_EXPECT_EQ(test, netback_toeplitz(key, 40, tcp4, 12), 0x51ccc178);
	KUNIT_EXPECT_EQ(test, netback_toeplitz(key, 40, tcp4, 8), 0x323e8fc2);
}

static void kn_keys(struct kunit *test)
{
	struct netback_offer offer = { .max_queues = 4, .split_evtchn = true };
	struct netback_queue_conf qc;
	struct netback_keys k = {};
	struct netback_conf c;
	const char *why;

	KUNIT_EXPECT_EQ(test, netback_parse_fe_key(&k, "request-rx-copy", "1"), 0);
	KUNIT_EXPECT_EQ(test, netback_parse_fe_key(&k, "feature-sg", "1 "), -EINVAL);
	KUNIT_EXPECT_EQ(test,
			netback_parse_fe_key(&k, "multi-queue-num-queues", "2"), 0);
	KUNIT_EXPECT_EQ(test, netback_choose(&k, &offer, &c, &why), 0);
	KUNIT_EXPECT_EQ(test, c.nr_queues, 2);
	KUNIT_EXPECT_FALSE(test, c.sg);

	memset(&k, 0, sizeof(k));
	netback_parse_q_key(&k, "tx-ring-ref", "8");
	netback_parse_q_key(&k, "rx-ring-ref", "9");
	netback_parse_q_key(&k, "event-channel-tx", "10");
	KUNIT_EXPECT_EQ(test, netback_choose_queue(&k, &offer, &qc, &why),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "only one of the split event channels");
	netback_parse_q_key(&k, "event-channel-rx", "11");
	KUNIT_EXPECT_EQ(test, netback_choose_queue(&k, &offer, &qc, &why), 0);
	KUNIT_EXPECT_EQ(test, qc.rx_port, 11);
}

/* A queue's stall clock, also across the wrap of jiffies. */
static void kn_rx_stall_clock(struct kunit *test)
{
	unsigned long late = ULONG_MAX - 10;

	KUNIT_EXPECT_FALSE(test, netback_rx_stall_reached(100, 199, 100));
	KUNIT_EXPECT_TRUE(test, netback_rx_stall_reached(100, 200, 100));
	KUNIT_EXPECT_TRUE(test, netback_rx_stall_reached(100, 100000, 100));
	KUNIT_EXPECT_FALSE(test, netback_rx_stall_reached(late, late + 99, 100));
	KUNIT_EXPECT_TRUE(test, netback_rx_stall_reached(late, late + 100, 100));
	/* A timeout of 0: never stalled, however long the wait. */
	KUNIT_EXPECT_FALSE(test, netback_rx_stall_reached(0, ULONG_MAX / 2, 0));
}

/*
 * The carrier of a live vif of two queues as they stall and recover, as
 * dev.c counts them; then a breach, which no recovery undoes.
 */
static void kn_carrier(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, netback_carrier_wanted(true, false, 2, 0));
	/* As upstream: one stalled queue is enough to turn it off. */
	KUNIT_EXPECT_FALSE(test, netback_carrier_wanted(true, false, 2, 1));
	KUNIT_EXPECT_FALSE(test, netback_carrier_wanted(true, false, 2, 2));
	/* A breach keeps it off, stalled or not. */
	KUNIT_EXPECT_FALSE(test, netback_carrier_wanted(true, true, 2, 0));
	KUNIT_EXPECT_FALSE(test, netback_carrier_wanted(true, true, 2, 1));
	/* A single queue: its stall is the vif's. */
	KUNIT_EXPECT_FALSE(test, netback_carrier_wanted(true, false, 1, 1));
	KUNIT_EXPECT_TRUE(test, netback_carrier_wanted(true, false, 1, 0));
	/* Not connected, or no queue: off. */
	KUNIT_EXPECT_FALSE(test, netback_carrier_wanted(false, false, 2, 0));
	KUNIT_EXPECT_FALSE(test, netback_carrier_wanted(true, false, 0, 0));
}

static struct kunit_case kn_cases[] = {
	KUNIT_CASE(kn_tx_verdicts),
	KUNIT_CASE(kn_tx_extras),
	KUNIT_CASE(kn_ctrl),
	KUNIT_CASE(kn_toeplitz),
	KUNIT_CASE(kn_keys),
	KUNIT_CASE(kn_rx_stall_clock),
	KUNIT_CASE(kn_carrier),
	{}
};

static struct kunit_suite kn_suite = {
	.name = "xen_netback_proto",
	.test_cases = kn_cases,
};

kunit_test_suite(kn_suite);
