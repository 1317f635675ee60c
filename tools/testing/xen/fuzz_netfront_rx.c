// SPDX-License-Identifier: GPL-2.0-only
/*
 * netfront's receive path against a backend that writes anything into
 * its receive slots.
 *
 * The input is three bytes of limits, then slots of NETIF_RX_SLOT_SIZE
 * bytes; the id posted in each slot is its index.  Packets are gathered
 * one after the other; a good packet's fragments must lie within their
 * buffers, come from distinct slots of the packet in order, and add up to
 * its length.
 */
#include <stdint.h>
#include "drivers/net/xen-netfront/proto.h"
#include "fuzz.h"

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct netfront_rx_limits lim;
	struct netfront_rx_pkt p;
	u8 slot[NETIF_RX_SLOT_SIZE];
	u16 index = 0;
	u32 packets = 0, i, sum;

	lim.drop_slots = fz_u8(&in) % 40;
	lim.gso_types = fz_u8(&in) & 7;
	lim.hash = fz_u8(&in) & 1;
	while (in.left && packets++ < 500) {
		enum netfront_rx_verdict v = NETFRONT_RX_MORE;
		u32 fed = 0;

		netfront_rx_start(&p, &lim);
		while (v == NETFRONT_RX_MORE && in.left) {
			fz_bytes(&in, slot, sizeof(slot));
			v = netfront_rx_feed(&p, slot, index++);
			fed++;
		}
		if (v == NETFRONT_RX_MORE)
			break;
		FZ_ASSERT(p.nr_slots == fed && fed <= NETFRONT_MAX_RX_PKT_SLOTS);
		FZ_ASSERT(v == NETFRONT_RX_OK || p.why);
		if (v == NETFRONT_RX_FATAL)
			break;
		FZ_ASSERT(p.nr_frags + p.nr_extras == p.nr_slots);
		if (v != NETFRONT_RX_OK)
			continue;
		FZ_ASSERT(p.nr_frags >= 1 && p.nr_frags <= p.lim.drop_slots);
		for (i = 0, sum = 0; i < p.nr_frags; i++) {
			FZ_ASSERT(p.frags[i].offset + p.frags[i].size <=
				  NETIF_PAGE_SIZE);
			FZ_ASSERT(p.frags[i].slot < p.nr_slots);
			FZ_ASSERT(!i || p.frags[i].slot > p.frags[i - 1].slot);
			sum += p.frags[i].size;
		}
		FZ_ASSERT(sum == p.len && p.len);
		if (p.gso_type)
			FZ_ASSERT(p.gso_size &&
				  (p.lim.gso_types & (1u << p.gso_type)));
		FZ_ASSERT(!p.has_hash || p.lim.hash);
	}
	return 0;
}
