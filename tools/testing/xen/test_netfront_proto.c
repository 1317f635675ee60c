// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/net/xen-netfront/proto.c: gathering and judging
 * received packets (good, dropped, fatal, with extras) and transmit
 * responses; control ring responses; and one packet through our backend's
 * receive builder and our frontend's receive parser, and our frontend's
 * hash settings through our backend's control core.
 */
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/net/xen-netfront/proto.h"
#include "drivers/net/xen-netback/proto.h"
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
	return tap_done();
}
