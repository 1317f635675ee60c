// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/net/xen-netback/proto.c: gathering and judging
 * transmitted packets (good, dropped, fatal, with extras), their
 * responses, receive responses, control requests and the Toeplitz hash.
 */
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/net/xen-netback/proto.h"
#include "rss_key.h"
#include "tap.h"

static const struct netback_tx_limits lim = {
	.drop_slots = XEN_NETIF_NR_SLOTS_MIN,
	.fatal_slots = 20,
	.gso_types = 1u << XEN_NETIF_GSO_TYPE_TCPV4,
};

/* A packet's slots as the frontend would lay them out. */
struct txs {
	u8 slot[NETBACK_MAX_TX_PKT_SLOTS + 4][NETIF_TX_SLOT_SIZE];
	u32 n;
};

static void data(struct txs *t, u32 gref, u16 off, u16 flags, u16 id,
		 u16 size)
{
	struct netif_tx_request r = { .gref = gref, .offset = off,
				      .flags = flags, .id = id, .size = size };

	memset(t->slot[t->n], 0xee, NETIF_TX_SLOT_SIZE);
	memcpy(t->slot[t->n++], &r, sizeof(r));
}

static void extra(struct txs *t, const struct netif_extra_info *x)
{
	memset(t->slot[t->n], 0xee, NETIF_TX_SLOT_SIZE);
	memcpy(t->slot[t->n++], x, sizeof(*x));
}

/* Feed every slot; return the verdict and how many slots were taken. */
static enum netback_tx_verdict run(struct netback_tx_pkt *p,
				   const struct txs *t, u32 *taken)
{
	enum netback_tx_verdict v = NETBACK_TX_MORE;
	u32 i;

	netback_tx_start(p, &lim);
	for (i = 0; i < t->n && v == NETBACK_TX_MORE; i++)
		v = netback_tx_feed(p, t->slot[i]);
	*taken = i;
	return v;
}

static void test_tx_simple(void)
{
	struct netback_tx_pkt p;
	struct netif_tx_response rsp;
	struct txs t = { .n = 0 };
	u32 taken;

	data(&t, 7, 100, NETTXF_csum_blank, 3, 60);
	ok_eq(run(&p, &t, &taken), NETBACK_TX_OK, "one-slot packet is good");
	ok_eq(taken, 1, "one slot taken");
	ok_eq(p.len, 60, "length from the slot");
	ok_eq(p.frags[0].size, 60, "first fragment holds it all");
	ok_eq(p.frags[0].gref, 7, "grant kept");
	ok_eq(p.flags, NETTXF_csum_blank, "checksum flag kept");
	netback_tx_rsp(&p, 0, netback_tx_status(&p), &rsp);
	ok(rsp.id == 3 && rsp.status == NETIF_RSP_OKAY, "answered OKAY with id 3");
}

static void test_tx_frags(void)
{
	struct netback_tx_pkt p;
	struct txs t = { .n = 0 };
	u32 taken;

	/* 5000 bytes: 2000 in the first slot, then 2048 and 952. */
	data(&t, 1, 2096, NETTXF_more_data, 10, 5000);
	data(&t, 2, 0, NETTXF_more_data, 11, 2048);
	data(&t, 3, 4096 - 952, 0, 12, 952);
	data(&t, 9, 0, 0, 99, 60);	/* the next packet */
	ok_eq(run(&p, &t, &taken), NETBACK_TX_OK, "three-slot packet is good");
	ok_eq(taken, 3, "the next packet is not touched");
	ok_eq(p.nr_frags, 3, "three fragments");
	ok_eq(p.frags[0].size, 2000, "first fragment is the rest of the total");
	ok_eq(p.frags[2].offset, 4096 - 952, "offset kept");
	ok_eq(netback_tx_feed(&p, t.slot[3]), NETBACK_TX_OK,
	      "feeding after the verdict consumes nothing");
	ok_eq(p.nr_slots, 3, "still three slots");
}

static void test_tx_extras(void)
{
	struct netback_tx_pkt p;
	struct netif_tx_response rsp;
	struct netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO,
					.flags = XEN_NETIF_EXTRA_FLAG_MORE };
	struct netif_extra_info hash = { .type = XEN_NETIF_EXTRA_TYPE_HASH };
	struct txs t = { .n = 0 };
	u32 taken;

	gso.u.gso.size = 1448;
	gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
	hash.u.hash.type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
	hash.u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
	hash.u.hash.value[0] = 0x78;
	hash.u.hash.value[3] = 0x51;
	data(&t, 1, 0, NETTXF_extra_info | NETTXF_more_data, 20, 3000);
	extra(&t, &gso);
	extra(&t, &hash);
	data(&t, 2, 0, 0, 21, 1000);
	ok_eq(run(&p, &t, &taken), NETBACK_TX_OK, "GSO packet is good");
	ok_eq(taken, 4, "four slots");
	ok(p.gso_type == XEN_NETIF_GSO_TYPE_TCPV4 && p.gso_size == 1448,
	   "GSO extra taken");
	ok(p.has_hash && p.hash == 0x51000078 &&
	   p.hash_type == _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, "hash extra taken");
	ok_eq(p.frags[0].size, 2000, "extras take no data");
	netback_tx_rsp(&p, 1, NETIF_RSP_OKAY, &rsp);
	ok_eq(rsp.status, NETIF_RSP_NULL, "extra slot answered NULL");
	netback_tx_rsp(&p, 3, NETIF_RSP_OKAY, &rsp);
	ok(rsp.id == 21 && rsp.status == NETIF_RSP_OKAY, "last slot answered by id");

	/* GSO type not negotiated: dropped, not fatal. */
	t.n = 0;
	gso.flags = 0;
	gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
	data(&t, 1, 0, NETTXF_extra_info, 20, 100);
	extra(&t, &gso);
	ok_eq(run(&p, &t, &taken), NETBACK_TX_DROP, "TCPv6 GSO not negotiated: drop");
	ok_eq(netback_tx_status(&p), NETIF_RSP_ERROR, "dropped packet answered ERROR");
}

static void test_tx_mcast(void)
{
	struct netback_tx_pkt p;
	struct netif_extra_info mc = { .type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD };
	static const u8 addr[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	struct txs t = { .n = 0 };
	u32 taken;

	memcpy(mc.u.mcast.addr, addr, 6);
	data(&t, 0, 0, NETTXF_extra_info, 5, 0);
	extra(&t, &mc);
	ok_eq(run(&p, &t, &taken), NETBACK_TX_CTRL, "multicast add on a dummy request");
	ok(p.mcast_op == XEN_NETIF_EXTRA_TYPE_MCAST_ADD &&
	   !memcmp(p.mcast_addr, addr, 6), "address kept");
	ok_eq(netback_tx_status(&p), NETIF_RSP_OKAY, "answered OKAY");

	t.n = 0;
	mc.u.mcast.addr[0] = 0x02;
	data(&t, 0, 0, NETTXF_extra_info, 5, 0);
	extra(&t, &mc);
	ok_eq(run(&p, &t, &taken), NETBACK_TX_DROP, "unicast address: drop");
}

/* One bad field each, and what it must lead to. */
static void test_tx_rejects(void)
{
	static const struct {
		const char *what;
		enum netback_tx_verdict want;
		const char *why;
	} cases[] = {
		{ "first fragment crosses its page", NETBACK_TX_FATAL,
		  "first fragment crosses its page" },
		{ "first offset beyond the page", NETBACK_TX_FATAL,
		  "first fragment starts beyond its page" },
		{ "later fragment crosses its page", NETBACK_TX_FATAL,
		  "fragment crosses its page" },
		{ "empty fragment (XSA-448)", NETBACK_TX_DROP, "empty fragment" },
		{ "fragments longer than the packet", NETBACK_TX_DROP,
		  "fragments longer than the packet" },
		{ "runt packet", NETBACK_TX_DROP,
		  "first fragment shorter than an Ethernet header" },
		{ "19 data slots", NETBACK_TX_DROP, "more data slots than negotiated" },
		{ "21 data slots", NETBACK_TX_FATAL,
		  "more data slots than any frontend may use" },
		{ "extra of type 0", NETBACK_TX_FATAL, "unknown extra info type" },
		{ "extra of type 5", NETBACK_TX_FATAL, "unknown extra info type" },
		{ "GSO size 0", NETBACK_TX_FATAL, "GSO segment size 0" },
		{ "GSO type 3", NETBACK_TX_FATAL, "unknown GSO type" },
		{ "endless extras", NETBACK_TX_FATAL, "too many extra info slots" },
	};
	unsigned int c, i;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct netif_extra_info x = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
		const char *why;
		struct netback_tx_pkt p;
		struct txs t = { .n = 0 };
		u32 taken;

		x.u.gso.size = 1448;
		x.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
		switch (c) {
		case 0:
			data(&t, 1, 4000, 0, 1, 200);
			break;
		case 1:
			data(&t, 1, 4096, NETTXF_more_data, 1, 200);
			data(&t, 1, 0, 0, 2, 100);
			break;
		case 2:
			data(&t, 1, 0, NETTXF_more_data, 1, 200);
			data(&t, 1, 4000, 0, 2, 100);
			break;
		case 3:
			data(&t, 1, 0, NETTXF_more_data, 1, 200);
			data(&t, 1, 0, NETTXF_more_data, 2, 0);
			data(&t, 1, 0, 0, 3, 100);
			break;
		case 4:
			data(&t, 1, 0, NETTXF_more_data, 1, 200);
			data(&t, 1, 0, 0, 2, 300);
			break;
		case 5:
			data(&t, 1, 0, 0, 1, 13);
			break;
		case 6:
		case 7:
			data(&t, 1, 0, NETTXF_more_data, 0, 4000);
			for (i = 1; i < (c == 6 ? 19u : 21u); i++)
				data(&t, 1, 0, i + 1 < (c == 6 ? 19u : 21u) ?
				     NETTXF_more_data : 0, i, 100);
			break;
		case 8:
		case 9:
			x.type = c == 8 ? 0 : XEN_NETIF_EXTRA_TYPE_MAX;
			data(&t, 1, 0, NETTXF_extra_info, 1, 100);
			extra(&t, &x);
			break;
		case 10:
		case 11:
			if (c == 10)
				x.u.gso.size = 0;
			else
				x.u.gso.type = 3;
			data(&t, 1, 0, NETTXF_extra_info, 1, 100);
			extra(&t, &x);
			break;
		case 12:
			x.flags = XEN_NETIF_EXTRA_FLAG_MORE;
			data(&t, 1, 0, NETTXF_extra_info, 1, 100);
			for (i = 0; i < NETBACK_MAX_TX_EXTRAS + 2; i++)
				extra(&t, &x);
			break;
		}
		ok_eq(run(&p, &t, &taken), cases[c].want, "%s: verdict", cases[c].what);
		why = p.why;
		if (!why)
			why = "(none)";
		ok(!strcmp(why, cases[c].why), "%s: reason '%s'", cases[c].what, why);
		ok(p.nr_slots == taken && taken <= NETBACK_MAX_TX_PKT_SLOTS,
		   "%s: every slot taken is recorded for its answer", cases[c].what);
	}
}

static void test_rx_build(void)
{
	struct netback_rx_meta meta = { .flags = NETRXF_csum_blank };
	struct netif_rx_response r;
	struct netif_extra_info x;
	u16 ids[20];
	u8 out[20][NETIF_RX_SLOT_SIZE];
	u32 i, n;

	for (i = 0; i < 20; i++)
		ids[i] = 100 + i;
	ok_eq(netback_rx_slots(60, &meta), 1, "small packet: one slot");
	ok_eq(netback_rx_slots(4097, &meta), 2, "4097 bytes: two slots");
	ok_eq(netback_rx_slots(0, &meta), 0, "empty packet: none");
	n = netback_rx_build(&meta, 60, ids, 20, out, 20);
	memcpy(&r, out[0], sizeof(r));
	ok(n == 1 && r.id == 100 && r.status == 60 && r.offset == 0 &&
	   r.flags == NETRXF_csum_blank, "one response, csum flag, size 60");

	meta.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
	meta.gso_size = 1448;
	meta.has_hash = true;
	meta.hash = 0x12345678;
	meta.hash_type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
	n = netback_rx_build(&meta, 9000, ids, 20, out, 20);
	ok_eq(n, 5, "9000 bytes with GSO and hash: 3 data + 2 extras");
	memcpy(&r, out[0], sizeof(r));
	ok(r.id == 100 && r.status == 4096 &&
	   r.flags == (NETRXF_csum_blank | NETRXF_extra_info | NETRXF_more_data),
	   "first: a page, extra info and more data");
	memcpy(&x, out[1], sizeof(x));
	ok(x.type == XEN_NETIF_EXTRA_TYPE_GSO && x.flags == XEN_NETIF_EXTRA_FLAG_MORE &&
	   x.u.gso.size == 1448 && x.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4,
	   "slot 1: GSO extra, more extras follow");
	memcpy(&x, out[2], sizeof(x));
	ok(x.type == XEN_NETIF_EXTRA_TYPE_HASH && !x.flags &&
	   x.u.hash.value[0] == 0x78 && x.u.hash.value[3] == 0x12,
	   "slot 2: hash extra, least significant byte first, last extra");
	memcpy(&r, out[3], sizeof(r));
	ok(r.id == 103 && r.status == 4096 && r.flags == NETRXF_more_data,
	   "slot 3: second page, by its own request's id");
	memcpy(&r, out[4], sizeof(r));
	ok(r.id == 104 && r.status == 9000 - 8192 && r.flags == 0, "slot 4: the rest");
	ok_eq(netback_rx_build(&meta, 9000, ids, 4, out, 20), 0,
	      "too few requests: nothing built");
	meta.gso_size = 0;
	ok_eq(netback_rx_build(&meta, 9000, ids, 20, out, 20), 0,
	      "GSO without a segment size: nothing built");
}

/* "xdp-headroom": every data slot starts there, and an XDP extra says so. */
static void test_rx_headroom(void)
{
	struct netback_rx_meta meta = { .headroom = 256 };
	struct netif_rx_response r;
	struct netif_extra_info x;
	u16 ids[24];
	u8 out[24][NETIF_RX_SLOT_SIZE];
	u32 i, n, sum = 0, bad = 0;

	for (i = 0; i < 24; i++)
		ids[i] = i;
	ok_eq(netback_rx_slots(3840, &meta), 2, "3840 bytes: one data slot and the XDP extra");
	ok_eq(netback_rx_slots(3841, &meta), 3, "3841 bytes: two data slots");
	ok_eq(netback_rx_slots(65535, &meta), 19, "64 KiB: 18 data slots, as Linux frontends take");
	n = netback_rx_build(&meta, 65535, ids, 24, out, 24);
	ok_eq(n, 19, "64 KiB built");
	memcpy(&r, out[0], sizeof(r));
	ok(r.offset == 256 && r.status == 3840 &&
	   (r.flags & NETRXF_extra_info), "first slot at the headroom, full to the page's end");
	memcpy(&x, out[1], sizeof(x));
	ok(x.type == XEN_NETIF_EXTRA_TYPE_XDP && !x.flags &&
	   x.u.xdp.headroom == 256, "slot 1: XDP extra with the headroom, last extra");
	for (i = 0; i < n; i++) {
		if (i == 1)
			continue;
		memcpy(&r, out[i], sizeof(r));
		bad += r.offset != 256 || r.offset + (u32)r.status > NETIF_PAGE_SIZE;
		sum += r.status;
	}
	ok(!bad && sum == 65535, "every data slot at the headroom, within its page");

	meta.has_hash = true;
	meta.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
	meta.gso_size = 1448;
	n = netback_rx_build(&meta, 100, ids, 24, out, 24);
	memcpy(&x, out[3], sizeof(x));
	ok(n == 4 && x.type == XEN_NETIF_EXTRA_TYPE_XDP && !x.flags,
	   "GSO, hash, then XDP: the XDP extra ends the chain");
	memcpy(&x, out[2], sizeof(x));
	ok(x.type == XEN_NETIF_EXTRA_TYPE_HASH && x.flags == XEN_NETIF_EXTRA_FLAG_MORE,
	   "the hash extra says more follow");

	meta.headroom = NETBACK_XDP_HEADROOM_MAX + 1;
	ok_eq(netback_rx_slots(100, &meta), 0, "headroom above the maximum: nothing");
	ok_eq(netback_rx_build(&meta, 100, ids, 24, out, 24), 0,
	      "headroom above the maximum: nothing built");
}

static void test_ctrl(void)
{
	struct netback_hash h;
	struct netback_ctrl_copy cp;
	struct xen_netif_ctrl_request req = { .type = 0 };
	u32 res, map[4] = { 0, 1, 1, 0 }, bad[2] = { 1, 2 };
	u8 key[40];

	netback_hash_reset(&h);
	req.type = XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS;
	ok_eq(netback_ctrl_apply(&h, &req, NULL, 2, &res),
	      XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED, "flags before an algorithm");
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM;
	req.data[0] = 7;
	ok_eq(netback_ctrl_apply(&h, &req, NULL, 2, &res),
	      XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, "unknown algorithm");
	req.data[0] = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
	ok_eq(netback_ctrl_apply(&h, &req, NULL, 2, &res),
	      XEN_NETIF_CTRL_STATUS_SUCCESS, "Toeplitz");
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS;
	req.data[0] = 0x10;
	ok_eq(netback_ctrl_apply(&h, &req, NULL, 2, &res),
	      XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, "unknown hash type");
	req.data[0] = XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
	ok_eq(netback_ctrl_apply(&h, &req, NULL, 2, &res),
	      XEN_NETIF_CTRL_STATUS_SUCCESS, "IPv4 TCP hashing");

	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_KEY;
	req.data[0] = 33;
	req.data[1] = 41;
	ok_eq(netback_ctrl_check(&h, &req, &cp),
	      XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW, "41-byte key");
	req.data[1] = 40;
	ok(netback_ctrl_check(&h, &req, &cp) == XEN_NETIF_CTRL_STATUS_SUCCESS &&
	   cp.gref == 33 && cp.len == 40, "40-byte key: copy 40 bytes of grant 33");
	memset(key, 0xab, sizeof(key));
	ok_eq(netback_ctrl_apply(&h, &req, key, 2, &res),
	      XEN_NETIF_CTRL_STATUS_SUCCESS, "key set");
	ok(h.key_len == 40 && h.key[39] == 0xab, "key kept");

	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING;
	req.data[1] = 1;
	req.data[2] = 0;
	ok_eq(netback_ctrl_check(&h, &req, &cp),
	      XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, "mapping before its size");
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE;
	req.data[0] = NETBACK_HASH_MAPPING_MAX + 1;
	ok_eq(netback_ctrl_apply(&h, &req, NULL, 2, &res),
	      XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, "mapping too large");
	req.data[0] = 4;
	ok_eq(netback_ctrl_apply(&h, &req, NULL, 2, &res),
	      XEN_NETIF_CTRL_STATUS_SUCCESS, "mapping of 4");
	req.type = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING;
	req.data[1] = 3;
	req.data[2] = 2;
	ok_eq(netback_ctrl_check(&h, &req, &cp),
	      XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, "entries past the table");
	req.data[1] = 0xffffffffu;
	req.data[2] = 1;
	ok_eq(netback_ctrl_check(&h, &req, &cp),
	      XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, "length wraps past the table");
	req.data[1] = 4;
	req.data[2] = 0;
	ok(netback_ctrl_check(&h, &req, &cp) == XEN_NETIF_CTRL_STATUS_SUCCESS &&
	   cp.len == 16 && cp.dst_off == 0, "whole table: 16 bytes");
	ok_eq(netback_ctrl_apply(&h, &req, map, 2, &res),
	      XEN_NETIF_CTRL_STATUS_SUCCESS, "table set");
	ok_eq(netback_hash_queue(&h, 6, 2), 1, "hash 6 -> entry 2 -> queue 1");
	req.data[1] = 2;
	req.data[2] = 2;
	ok_eq(netback_ctrl_apply(&h, &req, bad, 2, &res),
	      XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER, "queue 2 of 2 (XSA-270)");
	ok(h.mapping[2] == 1 && h.mapping[3] == 0, "a rejected table changes nothing");

	req.type = XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING;
	ok_eq(netback_ctrl_check(&h, &req, &cp),
	      XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED, "static grants not offered");
	req.type = 0xffff;
	ok_eq(netback_ctrl_check(&h, &req, &cp),
	      XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED, "unknown request");
}

/* Microsoft's RSS verification key and two of its IPv4 examples. */
static void test_toeplitz(void)
{
	const u8 *key = rss_key;
	/* 66.9.149.187:2794 -> 161.142.100.80:1766 */
	static const u8 tcp4[12] = { 66, 9, 149, 187, 161, 142, 100, 80,
				     0x0a, 0xea, 0x06, 0xe6 };
	/* 199.92.111.2:14230 -> 65.69.140.83:4739 */
	static const u8 tcp4b[12] = { 199, 92, 111, 2, 65, 69, 140, 83,
				      0x37, 0x96, 0x12, 0x83 };
	u8 ip[40] = { 0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6 };
	u8 buf[36], type = 0xff;

	ok_eq(netback_toeplitz(key, 40, tcp4, 12), 0x51ccc178, "RSS example 1, TCP");
	ok_eq(netback_toeplitz(key, 40, tcp4, 8), 0x323e8fc2, "RSS example 1, IP");
	ok_eq(netback_toeplitz(key, 40, tcp4b, 12), 0xc626b0ea, "RSS example 2, TCP");
	ok_eq(netback_toeplitz(key, 40, tcp4b, 8), 0xd718262a, "RSS example 2, IP");
	ok_eq(netback_toeplitz(key, 0, tcp4, 12), 0, "empty key hashes to 0");

	memcpy(ip + 12, tcp4, 8);
	memcpy(ip + 20, tcp4 + 8, 4);
	ok(netback_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, ip, 40, buf, &type) == 12 &&
	   type == _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP && !memcmp(buf, tcp4, 12),
	   "IPv4 TCP input: addresses and ports");
	ok_eq(netback_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV6, ip, 40, buf, &type), 0,
	      "IPv4 packet, only IPv6 hashing: none");
	ip[6] = 0x20;	/* more fragments */
	ok(netback_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |
			      XEN_NETIF_CTRL_HASH_TYPE_IPV4, ip, 40, buf, &type) == 8 &&
	   type == _XEN_NETIF_CTRL_HASH_TYPE_IPV4, "fragment: addresses only");
	ip[0] = 0x44;	/* header length 16 */
	ok_eq(netback_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4, ip, 40, buf, &type), 0,
	      "bad header length: none");
	ip[0] = 0x4f;	/* 60-byte header, 40 bytes of packet */
	ok_eq(netback_hash_input(XEN_NETIF_CTRL_HASH_TYPE_IPV4, ip, 40, buf, &type), 0,
	      "header past the packet: none");
}

static void parse_all(struct netback_keys *k, bool queue, const char *const *kv)
{
	memset(k, 0, sizeof(*k));
	for (; kv[0]; kv += 2) {
		int err = queue ? netback_parse_q_key(k, kv[0], kv[1]) :
				  netback_parse_fe_key(k, kv[0], kv[1]);

		if (err && err != -ENOENT)
			printf("# %s=%s: %d\n", kv[0], kv[1], err);
	}
}

static void test_negotiation(void)
{
	static const char *const linux_fe[] = {
		"request-rx-copy", "1", "feature-rx-notify", "1",
		"feature-sg", "1", "feature-gso-tcpv4", "1",
		"feature-gso-tcpv6", "1", "feature-ipv6-csum-offload", "1",
		"multi-queue-num-queues", "2", "tx-ring-ref", "8",
		"mac", "00:16:3e:00:00:01", NULL,
	};
	static const char *const queue[] = {
		"tx-ring-ref", "9", "rx-ring-ref", "10",
		"event-channel-tx", "20", "event-channel-rx", "21", NULL,
	};
	static const char *const one_port[] = {
		"tx-ring-ref", "9", "rx-ring-ref", "10", "event-channel", "5",
		NULL,
	};
	static const char *const bad[][8] = {
		{ "multi-queue-num-queues", "1", NULL },
		{ "request-rx-copy", "1", "multi-queue-num-queues", "0", NULL },
		{ "request-rx-copy", "1", "multi-queue-num-queues", "5", NULL },
		{ "request-rx-copy", "1", "ctrl-ring-ref", "7", NULL },
		{ "request-rx-copy", "1", "ctrl-ring-ref", "7",
		  "event-channel-ctrl", "9", NULL },
	};
	static const char *const bad_why[] = {
		"the frontend did not ask for receive copy",
		"queue count out of range", "queue count out of range",
		"control ring with only one of its keys",
		"control ring not offered",
	};
	static const char *const bad_q[][9] = {
		{ "tx-ring-ref", "9", "event-channel", "5", NULL },
		{ "tx-ring-ref", "9", "rx-ring-ref", "10",
		  "event-channel-tx", "20", NULL },
		{ "tx-ring-ref", "9", "rx-ring-ref", "10", NULL },
		{ "tx-ring-ref", "9", "rx-ring-ref", "10",
		  "event-channel-tx", "20", "event-channel-rx", "21", NULL },
	};
	static const char *const bad_q_why[] = {
		"ring grant missing", "only one of the split event channels",
		"event channel missing", "split event channels not offered",
	};
	struct netback_offer offer = { .max_queues = 4, .split_evtchn = true };
	struct netback_offer plain = { .max_queues = 4 };
	struct netback_keys k;
	struct netback_conf c;
	struct netback_queue_conf qc;
	const char *why;
	unsigned int i;

	parse_all(&k, false, linux_fe);
	ok(!netback_choose(&k, &offer, &c, &why) && c.nr_queues == 2 && c.sg &&
	   c.rx_notify && c.gso_types == 6 && c.ipv4_csum && c.ipv6_csum &&
	   !c.mcast && !c.ctrl_ring, "Linux frontend's keys");
	ok(!(k.present & (1u << NETBACK_FE_CTRL_REF)), "queue keys are not frontend keys");
	ok_eq(netback_parse_fe_key(&k, "feature-sg", "1x"), -EINVAL, "'1x' is no number");
	ok_eq(netback_parse_fe_key(&k, "multi-queue-num-queues", "4294967296"),
	      -ERANGE, "2^32 queues out of range");
	ok_eq(netback_parse_fe_key(&k, "frobnicate", "1"), -ENOENT, "unknown key");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		parse_all(&k, false, bad[i]);
		ok(netback_choose(&k, &plain, &c, &why) == -EINVAL && why &&
		   !strcmp(why, bad_why[i]), "refused: %s", bad_why[i]);
	}
	parse_all(&k, false, (const char *const[]){ "request-rx-copy", "1",
		  "xdp-headroom", "256", NULL });
	ok(!netback_choose(&k, &plain, &c, &why) && c.xdp_headroom == 256,
	   "xdp-headroom 256 honoured");
	parse_all(&k, false, (const char *const[]){ "request-rx-copy", "1",
		  "xdp-headroom", "32767", NULL });
	ok(!netback_choose(&k, &plain, &c, &why) && c.xdp_headroom == 0,
	   "xdp-headroom 32767: connects, data at 0");
	{
		u16 h = 1;

		ok(netback_xdp_headroom(&k, &h) == -ERANGE && h == 0,
		   "xdp-headroom above %u: -ERANGE, none", NETBACK_XDP_HEADROOM_MAX);
	}
	parse_all(&k, false, bad[4]);
	offer.ctrl_ring = true;
	ok(!netback_choose(&k, &offer, &c, &why) && c.ctrl_ring &&
	   c.ctrl_ref == 7 && c.ctrl_port == 9, "control ring when offered");
	parse_all(&k, false, (const char *const[]){ "request-rx-copy", "1",
		  "feature-no-csum-offload", "1", NULL });
	ok(!netback_choose(&k, &plain, &c, &why) && !c.ipv4_csum &&
	   !c.ipv6_csum && c.nr_queues == 1 && !c.sg && !c.gso_types,
	   "checksum offload turned off, one queue by default");

	parse_all(&k, true, queue);
	ok(!netback_choose_queue(&k, &offer, &qc, &why) && qc.split &&
	   qc.tx_ref == 9 && qc.rx_ref == 10 && qc.tx_port == 20 &&
	   qc.rx_port == 21, "split queue");
	parse_all(&k, true, one_port);
	ok(!netback_choose_queue(&k, &plain, &qc, &why) && !qc.split &&
	   qc.tx_port == 5 && qc.rx_port == 5, "one event channel for both");
	for (i = 0; i < ARRAY_SIZE(bad_q); i++) {
		parse_all(&k, true, bad_q[i]);
		ok(netback_choose_queue(&k, &plain, &qc, &why) == -EINVAL && why &&
		   !strcmp(why, bad_q_why[i]), "queue refused: %s", bad_q_why[i]);
	}
	{
		u64 bytes = 0;
		u32 usec = 0;

		ok(!netback_parse_rate("125000,20000", &bytes, &usec) &&
		   bytes == 125000 && usec == 20000, "rate 125000 bytes per 20 ms");
		ok_eq(netback_parse_rate("125000,0", &bytes, &usec), -EINVAL,
		      "zero interval");
		ok_eq(netback_parse_rate("125000,1000001", &bytes, &usec), -EINVAL,
		      "interval above 1 s");
		ok_eq(netback_parse_rate("125000", &bytes, &usec), -EINVAL, "no comma");
		ok_eq(netback_parse_rate(",20000", &bytes, &usec), -EINVAL, "no bytes");
		ok_eq(netback_parse_rate("1,2,3", &bytes, &usec), -EINVAL, "two commas");
		ok_eq(netback_parse_rate("123456789012345678901,1", &bytes, &usec),
		      -EINVAL, "21 digits");
		ok(bytes == 125000 && usec == 20000, "a refused rate changes nothing");
	}
	ok(!strcmp(netback_fe_key_name(NETBACK_FE_CTRL_PORT), "event-channel-ctrl") &&
	   !strcmp(netback_q_key_name(NETBACK_Q_RX_PORT), "event-channel-rx") &&
	   !*netback_fe_key_name(NETBACK_FE_NR), "key names");
}

int main(void)
{
	tap_start();
	test_tx_simple();
	test_tx_frags();
	test_tx_extras();
	test_tx_mcast();
	test_tx_rejects();
	test_rx_build();
	test_rx_headroom();
	test_ctrl();
	test_toeplitz();
	test_negotiation();
	return tap_done();
}
