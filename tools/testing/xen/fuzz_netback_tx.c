// SPDX-License-Identifier: GPL-2.0-only
/*
 * netback's transmit path against a frontend that writes anything into
 * its transmit slots.
 *
 * The input is two bytes of limits, then slots of NETIF_TX_SLOT_SIZE
 * bytes.  Packets are gathered one after the other until the input runs
 * out.  Every verdict is checked against what it promises: a good packet's
 * fragments lie within their pages and add up to its length, every slot
 * consumed is answered once, extras with NULL.
 */
#include <stdint.h>
#include "drivers/net/xen-netback/proto.h"
#include "fuzz.h"

static void check_pkt(const struct netback_tx_pkt *p, u32 fed)
{
	struct netif_tx_response rsp;
	u32 i, sum = 0, data = 0;

	FZ_ASSERT(p->nr_slots == fed);
	FZ_ASSERT(p->nr_slots <= NETBACK_MAX_TX_PKT_SLOTS);
	FZ_ASSERT(p->nr_extras <= NETBACK_MAX_TX_EXTRAS + 1);
	FZ_ASSERT(p->verdict == NETBACK_TX_OK || p->verdict == NETBACK_TX_CTRL ||
		  p->why);
	for (i = 0; i < p->nr_slots; i++) {
		netback_tx_rsp(p, i, netback_tx_status(p), &rsp);
		if (p->slots[i].extra) {
			FZ_ASSERT(rsp.status == NETIF_RSP_NULL);
		} else {
			FZ_ASSERT(rsp.status == netback_tx_status(p));
			data++;
		}
	}
	FZ_ASSERT(data == p->nr_frags);
	if (p->verdict != NETBACK_TX_OK)
		return;
	FZ_ASSERT(!p->mcast_op);
	FZ_ASSERT(p->nr_frags >= 1 && p->nr_frags <= p->lim.drop_slots);
	FZ_ASSERT(p->frags[0].size >= NETBACK_MIN_TX_LEN);
	for (i = 0; i < p->nr_frags; i++) {
		FZ_ASSERT(p->frags[i].size);
		FZ_ASSERT(p->frags[i].offset + p->frags[i].size <= NETIF_PAGE_SIZE);
		sum += p->frags[i].size;
	}
	FZ_ASSERT(sum == p->len);
	if (p->gso_type)
		FZ_ASSERT(p->gso_size && (p->lim.gso_types & (1u << p->gso_type)));
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct netback_tx_limits lim;
	struct netback_tx_pkt p;
	u8 slot[NETIF_TX_SLOT_SIZE];
	u32 packets = 0;

	lim.drop_slots = fz_u8(&in) % 40;
	lim.fatal_slots = fz_u8(&in) % 40;
	lim.gso_types = fz_u8(&in) & 7;
	while (in.left && packets++ < 500) {
		enum netback_tx_verdict v = NETBACK_TX_MORE;
		u32 fed = 0;

		netback_tx_start(&p, &lim);
		FZ_ASSERT(p.lim.drop_slots >= XEN_NETIF_NR_SLOTS_MIN &&
			  p.lim.drop_slots <= p.lim.fatal_slots &&
			  p.lim.fatal_slots <= NETBACK_MAX_TX_SLOTS);
		while (v == NETBACK_TX_MORE && in.left) {
			fz_bytes(&in, slot, sizeof(slot));
			v = netback_tx_feed(&p, slot);
			fed++;
		}
		if (v == NETBACK_TX_MORE)
			break;	/* the ring ran dry mid-packet */
		check_pkt(&p, fed);
		/* A verdict is final. */
		FZ_ASSERT(netback_tx_feed(&p, slot) == v && p.nr_slots == fed);
		if (v == NETBACK_TX_FATAL)
			break;
	}
	return 0;
}
