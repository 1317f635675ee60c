// SPDX-License-Identifier: GPL-2.0-only
/*
 * Our include/xen/netif.h against Xen's public io/netif.h: every field
 * offset, structure size and constant, the slot sizes and the slots of a
 * one-page ring as <xen/xenring.h> counts them; and our Toeplitz hash
 * against the reference implementation in Xen's header.
 */
#include <stdio.h>
#include <string.h>
#include <xen/xenring.h>
#include <xen/netif.h>
#include "abi_fields.h"
#include "tap.h"

/*
 * netif_toeplitz() against Xen's reference over random keys and inputs:
 * every key length from none to 40 bytes and inputs up to 64 bytes, so
 * that the key runs out before the input does.
 */
static void test_toeplitz(void)
{
	u8 key[40], buf[64];
	u32 seed = 0x70e9117u, i, j, key_len, len, bad = 0;

	for (i = 0; i < 20000; i++) {
		for (j = 0; j < sizeof(key); j++) {
			seed = seed * 1103515245u + 12345u;
			key[j] = seed >> 16;
		}
		for (j = 0; j < sizeof(buf); j++) {
			seed = seed * 1103515245u + 12345u;
			buf[j] = seed >> 16;
		}
		key_len = i % 41;
		len = (i / 41) % 65;
		if (netif_toeplitz(key, key_len, buf, len) !=
		    xen_netif_toeplitz(key, key_len, buf, len)) {
			if (!bad)
				printf("# key_len %u len %u differs\n", key_len,
				       len);
			bad++;
		}
	}
	ok(!bad, "netif_toeplitz() is Xen's reference hash (20000 cases)");
}

static long xen(const char *name)
{
	const struct abi_val *v;

	for (v = xen_netif_abi(); v->name; v++)
		if (!strcmp(v->name, name))
			return v->val;
	printf("# no value for %s in Xen's table\n", name);
	return -12345;
}

int main(void)
{
	tap_start();
#define NF_FIELD(s, f)	ok_eq((long)offsetof(struct s, f), xen(#s "." #f), \
			      "offset of %s.%s", #s, #f)
#define NF_SIZE(s)	ok_eq((long)sizeof(struct s), xen(#s), "sizeof %s", #s)
#define NF_CONST(c)	ok_eq((long)(c), xen(#c), "%s", #c)
#include "abi_netif_list.h"
	ok_eq((long)NETIF_TX_SLOT_SIZE, xen("tx_slot"), "transmit slot size");
	ok_eq((long)NETIF_RX_SLOT_SIZE, xen("rx_slot"), "receive slot size");
	ok_eq((long)NETIF_CTRL_SLOT_SIZE, xen("ctrl_slot"), "control slot size");
	ok_eq((long)xenring_nr_slots(4096, NETIF_TX_SLOT_SIZE), xen("tx_ring_4k"),
	      "transmit slots in a page");
	ok_eq((long)xenring_nr_slots(4096, NETIF_RX_SLOT_SIZE), xen("rx_ring_4k"),
	      "receive slots in a page");
	ok_eq((long)xenring_nr_slots(4096, NETIF_CTRL_SLOT_SIZE),
	      xen("ctrl_ring_4k"), "control slots in a page");
	ok_eq((long)NETIF_TX_RING_SIZE, xen("tx_ring_4k"), "NETIF_TX_RING_SIZE");
	ok_eq((long)NETIF_RX_RING_SIZE, xen("rx_ring_4k"), "NETIF_RX_RING_SIZE");
	ok_eq((long)NETIF_CTRL_RING_SIZE, xen("ctrl_ring_4k"), "NETIF_CTRL_RING_SIZE");
	test_toeplitz();
	return tap_done();
}
