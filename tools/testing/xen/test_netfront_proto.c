// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/net/xen-netfront/proto.c: gathering and judging
 * received packets (good, dropped, fatal, with extras) and transmit
 * responses; control ring responses; and one packet through our backend's
 * receive builder and our frontend's receive parser, and our frontend's
 * hash settings through our backend's control core.  The transmit queue
 * for a flow: the shared Toeplitz hash against Microsoft's published RSS
 * results, the reply's hash input (source and destination swapped) for
 * those vectors, what the backend does not hash, and for random flows,
 * keys and tables, the queue our backend steers the reply to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/net/xen-netfront/proto.h"
#include "drivers/net/xen-netback/proto.h"
#include "rss_key.h"
#include "tap.h"

static const struct netfront_rx_limits lim = {
	.drop_slots = XEN_NETIF_NR_SLOTS_MIN,
	.gso_types = 1u << XEN_NETIF_GSO_TYPE_TCPV4,
	.hash = true,
};

struct rxs {
	u8 slot[NETFRONT_MAX_RX_PKT_SLOTS + 4][NETIF_RX_SLOT_SIZE];
	u16 posted[NETFRONT_MAX_RX_PKT_SLOTS + 4];
	u32 n;
};

static void data(struct rxs *t, u16 id, u16 off, u16 flags, s16 status)
{
	struct netif_rx_response r = { .id = id, .offset = off,
				       .flags = flags, .status = status };

	t->posted[t->n] = id;
	memcpy(t->slot[t->n++], &r, sizeof(r));
}

static void extra(struct rxs *t, const struct netif_extra_info *x)
{
	t->posted[t->n] = 0x7777;	/* extras carry no id */
	memcpy(t->slot[t->n++], x, sizeof(*x));
}

static enum netfront_rx_verdict run(struct netfront_rx_pkt *p,
				    const struct rxs *t, u32 *taken)
{
	enum netfront_rx_verdict v = NETFRONT_RX_MORE;
	u32 i;

	netfront_rx_start(p, &lim);
	for (i = 0; i < t->n && v == NETFRONT_RX_MORE; i++)
		v = netfront_rx_feed(p, t->slot[i], t->posted[i]);
	*taken = i;
	return v;
}

static void test_rx_good(void)
{
	struct netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
	struct netfront_rx_pkt p;
	struct rxs t = { .n = 0 };
	u32 taken;

	data(&t, 4, 10, NETRXF_data_validated, 1500);
	data(&t, 5, 0, 0, 60);
	ok_eq(run(&p, &t, &taken), NETFRONT_RX_OK, "one-slot packet");
	ok(taken == 1 && p.len == 1500 && p.frags[0].offset == 10 &&
	   p.flags == NETRXF_data_validated, "size, offset and flag kept");

	t.n = 0;
	gso.u.gso.size = 1448;
	gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
	data(&t, 8, 0, NETRXF_extra_info | NETRXF_more_data | NETRXF_csum_blank, 4096);
	extra(&t, &gso);
	data(&t, 10, 0, NETRXF_more_data, 4096);
	data(&t, 11, 0, 0, 808);
	ok_eq(run(&p, &t, &taken), NETFRONT_RX_OK, "GSO packet over three pages");
	ok(p.nr_slots == 4 && p.nr_frags == 3 && p.len == 9000 &&
	   p.gso_type == XEN_NETIF_GSO_TYPE_TCPV4 && p.gso_size == 1448,
	   "four slots, three fragments, GSO taken");
	ok(p.frags[1].slot == 2 && p.frags[2].slot == 3, "fragments know their slots");

	/* Linux's netback with "xdp-headroom": offset 0, size from 0. */
	t.n = 0;
	gso.type = XEN_NETIF_EXTRA_TYPE_XDP;
	gso.u.xdp.headroom = 256;
	data(&t, 3, 0, NETRXF_extra_info | NETRXF_more_data, 4096);
	extra(&t, &gso);
	data(&t, 4, 0, 0, 256 + 100);
	ok_eq(run(&p, &t, &taken), NETFRONT_RX_OK, "XDP headroom, Linux's way");
	ok(p.len == 3840 + 100 && p.frags[0].offset == 256 &&
	   p.frags[0].size == 3840 && p.frags[1].offset == 256 &&
	   p.frags[1].size == 100, "data taken from the headroom on");
}

static void test_rx_rejects(void)
{
	static const struct {
		const char *what;
		enum netfront_rx_verdict want;
		const char *why;
	} cases[] = {
		{ "id of another slot", NETFRONT_RX_FATAL,
		  "response id is not its slot's request" },
		{ "data past the page", NETFRONT_RX_FATAL,
		  "data cross the end of the buffer" },
		{ "error status", NETFRONT_RX_DROP, "backend reported an error" },
		{ "empty packet", NETFRONT_RX_DROP, "no data" },
		{ "19 data slots", NETFRONT_RX_DROP,
		  "more data slots than this frontend takes" },
		{ "33 data slots", NETFRONT_RX_FATAL,
		  "more data slots than any backend may use" },
		{ "multicast extra", NETFRONT_RX_FATAL,
		  "extra info type not valid on receive" },
		{ "GSO type 7", NETFRONT_RX_FATAL, "unknown GSO type" },
		{ "GSO not advertised", NETFRONT_RX_DROP, "GSO type not advertised" },
		{ "GSO size 0", NETFRONT_RX_DROP, "GSO segment size 0" },
		{ "endless extras", NETFRONT_RX_FATAL, "too many extra info slots" },
		{ "GSO prefix", NETFRONT_RX_DROP, "GSO prefix slot not asked for" },
		{ "XDP headroom 0x8000", NETFRONT_RX_DROP,
		  "XDP headroom out of range" },
		{ "data ending inside the XDP headroom", NETFRONT_RX_DROP,
		  "data inside the XDP headroom" },
	};
	unsigned int c, i;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct netif_extra_info x = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
		const char *why;
		struct netfront_rx_pkt p;
		struct rxs t = { .n = 0 };
		u32 taken, n;

		x.u.gso.size = 1448;
		x.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
		switch (c) {
		case 0:
			data(&t, 1, 0, 0, 100);
			t.posted[0] = 2;
			break;
		case 1:
			data(&t, 1, 4000, 0, 100);
			break;
		case 2:
			data(&t, 1, 0, NETRXF_more_data, 100);
			data(&t, 2, 0, 0, NETIF_RSP_ERROR);
			break;
		case 3:
			data(&t, 1, 0, 0, 0);
			break;
		case 4:
		case 5:
			n = c == 4 ? 19 : 33;
			for (i = 0; i < n; i++)
				data(&t, i, 0, i + 1 < n ? NETRXF_more_data : 0, 100);
			break;
		case 6:
		case 7:
		case 8:
		case 9:
			if (c == 6)
				x.type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
			else if (c == 7)
				x.u.gso.type = 7;
			else if (c == 8)
				x.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
			else
				x.u.gso.size = 0;
			data(&t, 1, 0, NETRXF_extra_info, 100);
			extra(&t, &x);
			break;
		case 10:
			x.flags = XEN_NETIF_EXTRA_FLAG_MORE;
			data(&t, 1, 0, NETRXF_extra_info, 100);
			for (i = 0; i < NETFRONT_MAX_RX_EXTRAS + 2; i++)
				extra(&t, &x);
			break;
		case 11:
			data(&t, 1, 0, NETRXF_gso_prefix, 100);
			break;
		case 12:
		case 13:
			x.type = XEN_NETIF_EXTRA_TYPE_XDP;
			x.u.xdp.headroom = c == 12 ? 0x8000 : 256;
			data(&t, 1, 0, NETRXF_extra_info, 100);
			extra(&t, &x);
			break;
		}
		ok_eq(run(&p, &t, &taken), cases[c].want, "%s: verdict", cases[c].what);
		why = p.why;
		if (!why)
			why = "(none)";
		ok(!strcmp(why, cases[c].why), "%s: reason '%s'", cases[c].what, why);
		ok(p.nr_slots == taken, "%s: every slot taken is counted", cases[c].what);
	}
}

static void test_tx_rsp(void)
{
	u32 link[8];
	struct xenring_ids ids;
	struct netif_tx_response r = { .id = 3, .status = NETIF_RSP_OKAY };
	bool answered;
	u32 id;

	xenring_ids_init(&ids, link, 8);
	id = xenring_ids_get(&ids);
	ok(netfront_tx_rsp(&r, &ids, &answered) == -EIO, "id 3 not in flight");
	r.id = id;
	ok(!netfront_tx_rsp(&r, &ids, &answered) && answered, "id in flight");
	r.status = NETIF_RSP_NULL;
	r.id = 0xffff;
	ok(!netfront_tx_rsp(&r, &ids, &answered) && !answered,
	   "NULL response answers an extra, whatever its id");
	r.status = NETIF_RSP_DROPPED;
	r.id = 8;
	ok(netfront_tx_rsp(&r, &ids, &answered) == -EIO, "id out of range");
}

static void test_ctrl_rsp(void)
{
	struct xen_netif_ctrl_response r = {
		.id = 7, .type = XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS,
		.status = XEN_NETIF_CTRL_STATUS_SUCCESS, .data = 0xffffffff,
	};
	u16 t = XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS;
	u32 v = 1;

	ok(!netfront_ctrl_rsp(&r, 7, t, &v) && v == NETFRONT_HASH_TYPES,
	   "hash flags: only the types we know");
	ok_eq(netfront_ctrl_rsp(&r, 8, t, &v), -EPROTO, "another id");
	ok(v == 0, "no value from a response that answers nothing");
	ok_eq(netfront_ctrl_rsp(&r, 7, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, &v),
	      -EPROTO, "another type");
	r.type = XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE;
	r.data = 4096;
	ok(!netfront_ctrl_rsp(&r, 7, r.type, &v) &&
	   v == NETFRONT_HASH_MAPPING_MAX, "mapping size capped at our table");
	r.data = 64;
	ok(!netfront_ctrl_rsp(&r, 7, r.type, &v) && v == 64,
	   "a smaller mapping size kept");
	r.type = XEN_NETIF_CTRL_TYPE_SET_HASH_KEY;
	ok(!netfront_ctrl_rsp(&r, 7, r.type, &v) && v == 0,
	   "no value for a SET");
	r.status = XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	ok_eq(netfront_ctrl_rsp(&r, 7, r.type, &v), -EOPNOTSUPP, "not supported");
	r.status = XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	ok_eq(netfront_ctrl_rsp(&r, 7, r.type, &v), -EINVAL, "invalid");
	r.status = XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	ok_eq(netfront_ctrl_rsp(&r, 7, r.type, &v), -ENOSPC, "overflow");
	r.status = 99;
	ok_eq(netfront_ctrl_rsp(&r, 7, r.type, &v), -EIO, "unknown status");
}

/*
 * Our frontend's hash settings through our backend's control core: the
 * table the frontend sends steers every hash to the queue it names.
 */
static void test_ctrl_front_to_back(void)
{
	struct netback_hash h;
	struct netback_ctrl_copy cp;
	struct xen_netif_ctrl_request req = { .id = 1 };
	struct xen_netif_ctrl_response rsp = { .id = 1 };
	u32 table[NETFRONT_HASH_MAPPING_MAX], i, res, v, bad = 0;
	u8 key[NETFRONT_HASH_KEY_LEN];
	int err;

	netback_hash_reset(&h);
	for (i = 0; i < sizeof(key); i++)
		key[i] = i * 7;
	for (i = 0; i < NETFRONT_HASH_MAPPING_MAX; i++)
		table[i] = 1;
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM;
	req.data[0] = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
	rsp.status = netback_ctrl_apply(&h, &req, NULL, 2, &rsp.data);
	rsp.type = req.type;
	ok(!netfront_ctrl_rsp(&rsp, 1, req.type, &v), "algorithm taken");
	req.type = XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE;
	rsp.status = netback_ctrl_apply(&h, &req, NULL, 2, &rsp.data);
	rsp.type = req.type;
	err = netfront_ctrl_rsp(&rsp, 1, req.type, &v);
	ok(!err && v == NETFRONT_HASH_MAPPING_MAX, "both tables hold 128");
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE;
	req.data[0] = v;
	ok(netback_ctrl_apply(&h, &req, NULL, 2, &res) == 0, "size set");
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING;
	req.data[0] = 5;
	req.data[1] = v;
	req.data[2] = 0;
	ok(netback_ctrl_check(&h, &req, &cp) == 0 &&
	   cp.len == sizeof(table) && cp.gref == 5,
	   "the backend copies the whole table from our grant");
	ok(netback_ctrl_apply(&h, &req, table, 2, &res) == 0, "table set");
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_KEY;
	req.data[1] = sizeof(key);
	ok(netback_ctrl_check(&h, &req, &cp) == 0 && cp.len == sizeof(key),
	   "the backend copies our 40-byte key");
	ok(netback_ctrl_apply(&h, &req, key, 2, &res) == 0, "key set");
	for (i = 0; i < 1000; i++)
		bad += netback_hash_queue(&h, i * 2654435761u, 2) != 1;
	ok(bad == 0, "every hash steered to queue 1");
}

/* Our backend's responses, as our frontend reads them. */
static void test_back_to_front(void)
{
	struct netback_rx_meta meta = { .flags = NETRXF_csum_blank,
		.gso_type = XEN_NETIF_GSO_TYPE_TCPV4, .gso_size = 1400,
		.has_hash = true, .hash = 0xdeadbeef,
		.hash_type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP };
	u8 out[24][NETIF_RX_SLOT_SIZE];
	u16 ids[24];
	struct netfront_rx_pkt p;
	enum netfront_rx_verdict v = NETFRONT_RX_MORE;
	u32 i, n;

	for (i = 0; i < 24; i++)
		ids[i] = i;
	n = netback_rx_build(&meta, 20000, ids, 24, out, 24);
	ok_eq(n, 7, "20000 bytes: 5 pages and 2 extras");
	netfront_rx_start(&p, &lim);
	for (i = 0; i < n && v == NETFRONT_RX_MORE; i++)
		v = netfront_rx_feed(&p, out[i], ids[i]);
	ok(v == NETFRONT_RX_OK && i == n, "frontend takes the whole packet");
	ok(p.len == 20000 && p.nr_frags == 5 && p.gso_size == 1400 &&
	   p.has_hash && p.hash == 0xdeadbeef && p.flags == NETRXF_csum_blank,
	   "length, GSO, hash and flags arrive");
}

/* Our backend's responses with XDP headroom, as our frontend reads them. */
static void test_back_to_front_headroom(void)
{
	struct netback_rx_meta meta = { .headroom = 256,
		.gso_type = XEN_NETIF_GSO_TYPE_TCPV4, .gso_size = 1448 };
	u8 out[24][NETIF_RX_SLOT_SIZE];
	u16 ids[24];
	struct netfront_rx_pkt p;
	enum netfront_rx_verdict v = NETFRONT_RX_MORE;
	u32 i, n, bad = 0;

	for (i = 0; i < 24; i++)
		ids[i] = i;
	n = netback_rx_build(&meta, 65535, ids, 24, out, 24);
	netfront_rx_start(&p, &lim);
	for (i = 0; i < n && v == NETFRONT_RX_MORE; i++)
		v = netfront_rx_feed(&p, out[i], ids[i]);
	ok(v == NETFRONT_RX_OK && i == n && p.len == 65535 && p.nr_frags == 18,
	   "frontend takes 64 KiB in 18 slots at headroom 256");
	for (i = 0; i < p.nr_frags; i++)
		bad += p.frags[i].offset != 256;
	ok(!bad, "each fragment read from the headroom on");
}

static void test_negotiation(void)
{
	static const struct {
		const char *key, *val;
	} linux_be[] = {
		{ "feature-rx-copy", "1" }, { "feature-sg", "1" },
		{ "feature-gso-tcpv4", "1" }, { "feature-gso-tcpv6", "1" },
		{ "feature-ipv6-csum-offload", "1" },
		{ "multi-queue-max-queues", "4" },
		{ "feature-split-event-channels", "1" },
		{ "feature-ctrl-ring", "1" }, { "feature-multicast-control", "1" },
		{ "feature-dynamic-multicast-control", "1" },
		{ "feature-xdp-headroom", "1" }, { "hotplug-status", "connected" },
	};
	struct netfront_limits lim = { .max_queues = 2, .ctrl_ring = true };
	struct netfront_keys be;
	struct netfront_conf c;
	const char *why;
	unsigned int i;
	u8 mac[6] = { 0 };
	u32 mtu = 0;

	memset(&be, 0, sizeof(be));
	for (i = 0; i < ARRAY_SIZE(linux_be); i++)
		netfront_parse_be_key(&be, linux_be[i].key, linux_be[i].val);
	ok(!netfront_choose(&be, &lim, &c, &why) && c.nr_queues == 2 &&
	   c.split && c.ctrl_ring && c.sg && c.gso_types == 6 && c.ipv6_csum &&
	   c.mcast && c.dyn_mcast && !c.xdp, "Linux backend, two queues wanted");
	lim.max_queues = 16;
	lim.xdp = true;
	ok(!netfront_choose(&be, &lim, &c, &why) && c.nr_queues == 4 && c.xdp,
	   "backend's four queues, XDP");
	ok_eq(netfront_parse_be_key(&be, "feature-rx-copy", "0"), 0, "rx-copy 0 parses");
	ok(netfront_choose(&be, &lim, &c, &why) == -EINVAL && why &&
	   !strcmp(why, "the backend cannot copy received packets"), "no rx-copy: refused");
	memset(&be, 0, sizeof(be));
	netfront_parse_be_key(&be, "feature-rx-copy", "1");
	netfront_parse_be_key(&be, "multi-queue-max-queues", "0");
	ok_eq(netfront_parse_be_key(&be, "feature-sg", "-1"), -EINVAL, "'-1' refused");
	ok(!netfront_choose(&be, &lim, &c, &why) && c.nr_queues == 1 && !c.sg &&
	   !c.split && !c.ctrl_ring && !c.gso_types && !c.mcast, "bare backend");

	ok(!netfront_parse_mac("00:16:3e:0A:bc:ff", mac) && mac[0] == 0 &&
	   mac[2] == 0x3e && mac[3] == 0x0a && mac[5] == 0xff, "MAC parsed");
	ok_eq(netfront_parse_mac("01:16:3e:00:00:01", mac), -EINVAL, "multicast MAC");
	ok_eq(netfront_parse_mac("00:00:00:00:00:00", mac), -EINVAL, "zero MAC");
	ok_eq(netfront_parse_mac("00:16:3e:00:00:01:", mac), -EINVAL, "trailing colon");
	ok_eq(netfront_parse_mac("00:16:3e:00:00", mac), -EINVAL, "five bytes");
	ok_eq(netfront_parse_mac("00-16-3e-00-00-01", mac), -EINVAL, "dashes");
	ok_eq(netfront_parse_mac("0:16:3e:00:00:01", mac), -EINVAL, "one digit");
	ok(mac[3] == 0x0a, "a refused MAC leaves the old one");
	ok(!netfront_parse_mtu("9000", &mtu) && mtu == 9000, "MTU 9000");
	ok_eq(netfront_parse_mtu("65536", &mtu), -ERANGE, "MTU above 65535");
	ok_eq(netfront_parse_mtu("67", &mtu), -ERANGE, "MTU below 68");
	ok_eq(netfront_parse_mtu("1500 ", &mtu), -EINVAL, "MTU with a space");
}

/* ------------------------------------------------------------------ */
/* The transmit queue: where the backend steers a flow's replies        */
/* ------------------------------------------------------------------ */

/*
 * Microsoft's published verification results for that key: a packet
 * from src to dst, hashed over the addresses alone and with the TCP
 * ports.
 */
struct rss_vec {
	bool v6;
	u8 src[16], dst[16];
	u16 sport, dport;
	u32 ip_hash, tcp_hash;
};

static const struct rss_vec rss_vecs[] = {
	{ false, { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ false, { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739,
	  0xd718262a, 0xc626b0ea },
	{ false, { 24, 19, 198, 95 }, { 12, 22, 207, 184 }, 12898, 38024,
	  0xd2d0a5de, 0x5c2b394a },
	{ false, { 38, 27, 205, 30 }, { 209, 142, 163, 6 }, 48228, 2217,
	  0x82989176, 0xafc7327f },
	{ false, { 153, 39, 163, 191 }, { 202, 188, 127, 2 }, 44251, 1303,
	  0x5d1809c5, 0x10e828a2 },
	/* 3ffe:2501:200:1fff::7 -> 3ffe:2501:200:3::1 */
	{ true, { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff,
		  0, 0, 0, 0, 0, 0, 0, 0x07 },
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03,
	    0, 0, 0, 0, 0, 0, 0, 0x01 }, 2794, 1766, 0x2cc18cd5, 0x40207d3d },
	/* 3ffe:501:8::260:97ff:fe40:efab -> ff02::1 */
	{ true, { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0x00, 0x00,
		  0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab },
	  { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 },
	  14230, 4739, 0x0f0c461c, 0xdde51bbf },
	/* 3ffe:1900:4545:3:200:f8ff:fe21:67cf -> fe80::200:f8ff:fe21:67cf */
	{ true, { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03,
		  0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
	    0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  44251, 38024, 0x4b61e985, 0x02d1feef },
};

#define ALL_TYPES	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 |		\
			 XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |		\
			 XEN_NETIF_CTRL_HASH_TYPE_IPV6 |		\
			 XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

/* The protocol's input for a packet from src to dst: addresses, ports. */
static u32 rss_input(const struct rss_vec *v, u8 *buf, bool ports)
{
	u32 alen = v->v6 ? 16 : 4;

	memcpy(buf, v->src, alen);
	memcpy(buf + alen, v->dst, alen);
	if (!ports)
		return 2 * alen;
	buf[2 * alen] = v->sport >> 8;
	buf[2 * alen + 1] = v->sport;
	buf[2 * alen + 2] = v->dport >> 8;
	buf[2 * alen + 3] = v->dport;
	return 2 * alen + 4;
}

/**
 * struct flow - a packet to build
 * @v6: IPv6, else IPv4
 * @proto: IP protocol (IPv4) or next header (IPv6)
 * @src: source address
 * @dst: destination address
 * @sport: source port
 * @dport: destination port
 * @frag: IPv4 flags and fragment offset field (host order)
 * @opts: IPv4 option words (0 to 10)
 */
struct flow {
	bool v6;
	u8 proto;
	u8 src[16], dst[16];
	u16 sport, dport;
	u16 frag;
	u8 opts;
};

/* An Ethernet frame of @f with 8 bytes of ports and payload; its length. */
static u32 build_frame(u8 *fr, const struct flow *f)
{
	u8 *ip = fr + 14, *l4;
	u32 hl;

	memset(fr, 0, 14 + 60 + 8);
	memcpy(fr, "\x00\x16\x3e\x00\x00\x01\x00\x16\x3e\x00\x00\x02", 12);
	if (f->v6) {
		fr[12] = 0x86;
		fr[13] = 0xdd;
		ip[0] = 0x60;
		ip[5] = 8;
		ip[6] = f->proto;
		ip[7] = 64;
		memcpy(ip + 8, f->src, 16);
		memcpy(ip + 24, f->dst, 16);
		hl = 40;
	} else {
		fr[12] = 0x08;
		fr[13] = 0x00;
		hl = 20 + 4 * f->opts;
		ip[0] = 0x40 | hl / 4;
		ip[3] = hl + 8;
		ip[6] = f->frag >> 8;
		ip[7] = f->frag;
		ip[8] = 64;
		ip[9] = f->proto;
		memcpy(ip + 12, f->src, 4);
		memcpy(ip + 16, f->dst, 4);
		memset(ip + 20, 1, hl - 20);	/* NOPs */
	}
	l4 = ip + hl;
	l4[0] = f->sport >> 8;
	l4[1] = f->sport;
	l4[2] = f->dport >> 8;
	l4[3] = f->dport;
	return 14 + hl + 8;
}

/* The reply to @f: the same flow the other way. */
static struct flow reply_of(const struct flow *f)
{
	struct flow r = *f;

	memcpy(r.src, f->dst, sizeof(r.src));
	memcpy(r.dst, f->src, sizeof(r.dst));
	r.sport = f->dport;
	r.dport = f->sport;
	return r;
}

/* The flow we send whose reply is the vector's packet. */
static struct flow flow_of_vec(const struct rss_vec *v)
{
	struct flow f = { .v6 = v->v6, .proto = 6 };

	memcpy(f.src, v->dst, sizeof(f.src));
	memcpy(f.dst, v->src, sizeof(f.dst));
	f.sport = v->dport;
	f.dport = v->sport;
	return f;
}

/* The shared Toeplitz against the published results. */
static void test_toeplitz_vectors(void)
{
	u8 in[36];
	u32 i, n;

	for (i = 0; i < ARRAY_SIZE(rss_vecs); i++) {
		const struct rss_vec *v = &rss_vecs[i];

		n = rss_input(v, in, false);
		ok_eq(netif_toeplitz(rss_key, 40, in, n), v->ip_hash,
		      "RSS %s example %u, addresses", v->v6 ? "IPv6" : "IPv4",
		      v->v6 ? i - 4 : i + 1);
		n = rss_input(v, in, true);
		ok_eq(netif_toeplitz(rss_key, 40, in, n), v->tcp_hash,
		      "RSS %s example %u, with TCP ports",
		      v->v6 ? "IPv6" : "IPv4", v->v6 ? i - 4 : i + 1);
	}
	ok_eq(netif_toeplitz(rss_key, 0, in, 12), 0, "no key: hash 0");
	ok_eq(netif_toeplitz(rss_key, 40, in, 0), 0, "no input: hash 0");
}

/*
 * We send the vectors' flows the other way: the replies are the vectors'
 * packets, so the input must be the vector's own and the hash its result.
 */
static void test_reply_vectors(void)
{
	struct netfront_hash h = { .types = ALL_TYPES, .size = 128 };
	u8 fr[128], in[36], want[36], type = 0xff;
	u32 i, n, wn, len, q = 0xdead, bad_in = 0, bad_tcp = 0, bad_ip = 0;
	u32 bad_q = 0, bad_type = 0;
	struct flow f;

	memcpy(h.key, rss_key, sizeof(h.key));
	for (i = 0; i < 128; i++)
		h.table[i] = i;
	for (i = 0; i < ARRAY_SIZE(rss_vecs); i++) {
		const struct rss_vec *v = &rss_vecs[i];

		f = flow_of_vec(v);
		len = build_frame(fr, &f);
		n = netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type);
		wn = rss_input(v, want, true);
		bad_in += n != wn || memcmp(in, want, wn);
		bad_type += type != (v->v6 ? _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP :
					     _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
		bad_tcp += netif_toeplitz(rss_key, 40, in, n) != v->tcp_hash;
		bad_q += !netfront_reply_queue(&h, fr, len, &q) ||
			 q != v->tcp_hash % 128;

		/* Addresses only, when TCP is not hashed. */
		n = netfront_reply_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4 |
					      XEN_NETIF_CTRL_HASH_TYPE_IPV6,
					      fr, len, in, &type);
		wn = rss_input(v, want, false);
		bad_in += n != wn || memcmp(in, want, wn);
		bad_ip += netif_toeplitz(rss_key, 40, in, n) != v->ip_hash;
	}
	ok(!bad_in, "a reply's input is the vector's: addresses and ports swapped");
	ok(!bad_type, "TCP hash types named");
	ok(!bad_tcp, "the replies hash to the published TCP results");
	ok(!bad_ip, "the replies hash to the published address-only results");
	ok(!bad_q, "queue: table entry at the hash modulo 128");

	/* A table size that is not a power of two: modulo, not a mask. */
	f = flow_of_vec(&rss_vecs[0]);
	len = build_frame(fr, &f);
	h.size = 100;
	ok(netfront_reply_queue(&h, fr, len, &q) && q == 0x51ccc178u % 100,
	   "100 entries: hash modulo 100, not a mask");
	h.size = 0;
	q = 0xdead;
	ok(!netfront_reply_queue(&h, fr, len, &q) && q == 0xdead,
	   "no table: no queue, none written");
	h.size = NETFRONT_HASH_MAPPING_MAX + 1;
	ok(!netfront_reply_queue(&h, fr, len, &q), "oversized table: no queue");
}

/* Frames the backend would not hash, or only by their addresses. */
static void test_reply_rejects(void)
{
	struct flow f = flow_of_vec(&rss_vecs[0]);
	u8 fr[128], in[36], type;
	u32 len, i, bad = 0;
	u8 *copy;

	len = build_frame(fr, &f);
	ok_eq(len, 14 + 20 + 8, "IPv4 frame built");
	fr[12] = 0x08;
	fr[13] = 0x06;	/* ARP */
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 0, "ARP: none");
	fr[12] = 0x81;
	fr[13] = 0x00;	/* an 802.1Q tag in the frame */
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 0,
	      "VLAN-tagged: none, as the backend");
	fr[12] = 0x86;
	fr[13] = 0xdd;
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 0,
	      "IPv6 EtherType on an IPv4 header: none");
	fr[12] = 0x08;
	fr[13] = 0x00;
	ok_eq(netfront_reply_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV6 |
					XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP,
					fr, len, in, &type), 0,
	      "IPv4 while only IPv6 is hashed: none");
	ok_eq(netfront_reply_hash_input(0, fr, len, in, &type), 0, "no types: none");
	ok(netfront_reply_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4, fr, len, in,
				     &type) == 8 &&
	   type == _XEN_NETIF_CTRL_HASH_TYPE_IPV4, "TCP, only addresses hashed: 8 bytes");
	fr[14] = 0x44;	/* a 16-byte header */
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 0,
	      "header length below 20: none");

	/* Every truncation, each in a buffer of exactly its length. */
	len = build_frame(fr, &f);
	for (i = 0; i <= len; i++) {
		int n, want = i < 14 + 20 ? 0 : i < 14 + 24 ? 8 : 12;

		copy = malloc(i ? i : 1);
		memcpy(copy, fr, i);
		n = netfront_reply_hash_input(ALL_TYPES, copy, i, in, &type);
		free(copy);
		if (n != want) {
			printf("# IPv4 cut at %u: %d bytes, want %d\n", i, n, want);
			bad++;
		}
	}
	ok(!bad, "IPv4 truncated: addresses once the header is whole, ports once there");

	f.opts = 10;	/* 60-byte header: the ports are at its end */
	len = build_frame(fr, &f);
	ok(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type) == 12 &&
	   in[8] == 0x0a && in[9] == 0xea && in[10] == 0x06 && in[11] == 0xe6,
	   "IPv4 options: ports after them");
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, 14 + 60, in, &type), 8,
	      "IPv4 options, ports cut off: addresses");
	fr[14] = 0x4f;
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, 14 + 59, in, &type), 0,
	      "IPv4 header longer than the frame: none");
	f.opts = 0;

	f.frag = 0x2000;	/* more fragments */
	len = build_frame(fr, &f);
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 8,
	      "first fragment: addresses only");
	f.frag = 0x0010;	/* offset 128 */
	len = build_frame(fr, &f);
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 8,
	      "later fragment: addresses only");
	ok_eq(netfront_reply_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, fr,
					len, in, &type), 0,
	      "fragment, only TCP hashed: none");
	f.frag = 0x4000;	/* don't fragment */
	len = build_frame(fr, &f);
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 12,
	      "DF alone is no fragment");
	f.frag = 0;
	f.proto = 17;
	len = build_frame(fr, &f);
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 8, "UDP: addresses");
	ok_eq(netfront_reply_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, fr,
					len, in, &type), 0, "UDP, only TCP hashed: none");

	f = flow_of_vec(&rss_vecs[5]);
	len = build_frame(fr, &f);
	ok_eq(len, 14 + 40 + 8, "IPv6 frame built");
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, 14 + 43, in, &type), 32,
	      "IPv6, ports cut off: addresses");
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, 14 + 39, in, &type), 0,
	      "IPv6 header cut: none");
	fr[20] = 0;	/* hop-by-hop options first */
	ok(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type) == 32 &&
	   type == _XEN_NETIF_CTRL_HASH_TYPE_IPV6,
	   "IPv6 extension header: addresses, as our backend");
	fr[14] = 0x40;
	ok_eq(netfront_reply_hash_input(ALL_TYPES, fr, len, in, &type), 0,
	      "IPv4 header under the IPv6 EtherType: none");
}

static u32 xorshift(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Random flows, keys, tables and hash types: the queue this frontend
 * picks for a packet is the one our backend steers the packet's reply to,
 * and a reply's reply hashes as the packet itself.
 */
static void test_reply_is_backend_steering(void)
{
	static const u8 protos[] = { 6, 6, 6, 17, 1, 0, 58 };
	u32 seed = 0x5eed1234, i, j, n, bn, fq, bq, hash;
	u32 bad_in = 0, bad_q = 0, bad_back = 0, nr_tcp = 0, nr_ip = 0;
	u32 nr_none = 0;
	u8 fr[128], rfr[128], in[36], bin[36], type, btype;
	struct netfront_hash *h = calloc(1, sizeof(*h));
	struct netback_hash *bh = calloc(1, sizeof(*bh));

	for (i = 0; i < 20000; i++) {
		struct flow f = { 0 }, r;
		u32 len, rlen, nr_queues = 1 + xorshift(&seed) % 8;
		bool found;

		if (i % 64 == 0) {
			h->types = xorshift(&seed) & ALL_TYPES;
			h->size = 1 + xorshift(&seed) % NETFRONT_HASH_MAPPING_MAX;
			for (j = 0; j < NETFRONT_HASH_KEY_LEN; j++)
				h->key[j] = xorshift(&seed);
			netback_hash_reset(bh);
			bh->algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
			bh->types = h->types;
			bh->key_len = NETFRONT_HASH_KEY_LEN;
			memcpy(bh->key, h->key, NETFRONT_HASH_KEY_LEN);
			bh->size = h->size;
		}
		/* A table per packet, since nr_queues varies. */
		for (j = 0; j < h->size; j++) {
			h->table[j] = xorshift(&seed) % nr_queues;
			bh->mapping[j] = h->table[j];
		}
		f.v6 = xorshift(&seed) & 1;
		f.proto = protos[xorshift(&seed) % sizeof(protos)];
		for (j = 0; j < 16; j++) {
			f.src[j] = xorshift(&seed);
			f.dst[j] = xorshift(&seed);
		}
		f.sport = xorshift(&seed);
		f.dport = xorshift(&seed);
		if (!f.v6) {
			f.opts = xorshift(&seed) % 4 ? 0 : xorshift(&seed) % 11;
			f.frag = xorshift(&seed) % 4 ? 0x4000 :
							xorshift(&seed) & 0xffff;
		}
		len = build_frame(fr, &f);
		r = reply_of(&f);
		rlen = build_frame(rfr, &r);

		/* What our backend does with the reply (ctrl.c's glue). */
		bn = netback_hash_input(bh->types, rfr + 14, rlen - 14, bin, &btype);
		n = netfront_reply_hash_input(h->types, fr, len, in, &type);
		bad_in += n != bn || (n && (memcmp(in, bin, n) || type != btype));
		found = netfront_reply_queue(h, fr, len, &fq);
		if (bn) {
			hash = netback_toeplitz(bh->key, bh->key_len, bin, bn);
			bq = netback_hash_queue(bh, hash, nr_queues);
			bad_q += !found || fq != bq;
		} else {
			bad_q += found;
		}
		nr_tcp += bn == 12 || bn == 36;
		nr_ip += bn == 8 || bn == 32;
		nr_none += !bn;

		/* The reply of the reply is the packet: its direct input. */
		bn = netback_hash_input(bh->types, fr + 14, len - 14, bin, &btype);
		n = netfront_reply_hash_input(h->types, rfr, rlen, in, &type);
		bad_back += n != bn || (n && memcmp(in, bin, n));
	}
	ok(!bad_in, "reply input = our backend's input for the reply (20000 flows)");
	ok(!bad_q, "queue picked = queue our backend steers the reply to");
	ok(!bad_back, "the reply's reply hashes as the packet");
	ok(nr_tcp > 2000 && nr_ip > 2000 && nr_none > 2000,
	   "all cases seen: %u with ports, %u addresses, %u unhashed",
	   nr_tcp, nr_ip, nr_none);
	free(h);
	free(bh);
}

int main(void)
{
	tap_start();
	test_rx_good();
	test_rx_rejects();
	test_tx_rsp();
	test_back_to_front();
	test_back_to_front_headroom();
	test_ctrl_rsp();
	test_ctrl_front_to_back();
	test_negotiation();
	test_toeplitz_vectors();
	test_reply_vectors();
	test_reply_rejects();
	test_reply_is_backend_steering();
	return tap_done();
}
