// SPDX-License-Identifier: GPL-2.0-only
/*
 * Our include/xen/netif.h against Xen's public io/netif.h: every field
 * offset, structure size and constant, the slot sizes and the slots of a
 * one-page ring as <xen/xenring.h> counts them.
 */
#include <stdio.h>
#include <string.h>
#include <xen/xenring.h>
#include <xen/netif.h>
#include "abi_fields.h"
#include "tap.h"

const struct abi_val *xen_netif_abi(void);

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
	return tap_done();
}
