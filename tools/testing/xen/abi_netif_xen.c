// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layouts and constants measured with Xen's public io/netif.h, and its
 * reference Toeplitz hash, for test_netif_abi.c.  A separate translation
 * unit: Xen's header and ours define the same struct names.
 */
#include <stddef.h>
#include <stdint.h>
#define XEN_NETIF_DEFINE_TOEPLITZ
#include "/usr/include/xen/io/netif.h"
#include "abi_fields.h"

#define NR_VALS	160

static struct abi_val vals[NR_VALS];
static unsigned int nr;

static void add(const char *name, unsigned long val)
{
	if (nr < NR_VALS - 1) {
		vals[nr].name = name;
		vals[nr].val = val;
		nr++;
	}
}

/**
 * xen_netif_abi() - Xen's netif layout and constants
 *
 * Return: name/value pairs, ended by a NULL name.
 */
const struct abi_val *xen_netif_abi(void)
{
	if (nr)
		return vals;
#define NF_FIELD(s, f)	add(#s "." #f, offsetof(struct s, f))
#define NF_SIZE(s)	add(#s, sizeof(struct s))
#define NF_CONST(c)	add(#c, (unsigned long)(long)(c))
#include "abi_netif_list.h"
	add("tx_ring_4k", __CONST_RING_SIZE(netif_tx, 4096));
	add("rx_ring_4k", __CONST_RING_SIZE(netif_rx, 4096));
	add("ctrl_ring_4k", __CONST_RING_SIZE(xen_netif_ctrl, 4096));
	add("tx_slot", sizeof(union netif_tx_sring_entry));
	add("rx_slot", sizeof(union netif_rx_sring_entry));
	add("ctrl_slot", sizeof(union xen_netif_ctrl_sring_entry));
	return vals;
}

/**
 * xen_netif_toeplitz() - the Toeplitz hash as Xen's header computes it
 * @key: the key
 * @key_len: its length in bytes
 * @buf: the input
 * @len: its length in bytes
 *
 * Return: the hash.
 */
unsigned int xen_netif_toeplitz(const unsigned char *key,
				unsigned int key_len,
				const unsigned char *buf, unsigned int len)
{
	return xen_netif_toeplitz_hash(key, key_len, buf, len);
}
