// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netback: the guest's multicast filter.
 *
 * A frontend that wrote "request-multicast-control" = 1 (at connect time,
 * or later: the key is watched) receives only the multicast groups it
 * asked for with MCAST_ADD extras, besides broadcasts.  The list is
 * bounded; an address beyond the bound turns the filter off for the vif
 * rather than losing traffic the guest asked for.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/etherdevice.h>
#include "netback.h"

static int netback_mcast_find(const struct netback_mcast *m, const u8 *addr)
{
	u32 i;

	for (i = 0; i < m->nr; i++)
		if (ether_addr_equal(m->addr[i], addr))
			return i;
	return -1;
}

/**
 * netback_mcast_change() - carry out an MCAST_ADD or MCAST_DEL extra
 * @vif: the vif
 * @op: XEN_NETIF_EXTRA_TYPE_MCAST_ADD or _DEL
 * @addr: the multicast address (checked by the protocol core)
 */
void netback_mcast_change(struct netback_vif *vif, u8 op, const u8 *addr)
{
	struct netback_mcast *m = &vif->mcast;
	bool full = false;
	int i;

	spin_lock_bh(&vif->mcast_lock);
	i = netback_mcast_find(m, addr);
	if (op == XEN_NETIF_EXTRA_TYPE_MCAST_ADD && i < 0) {
		if (m->nr < NETBACK_MCAST_MAX)
			ether_addr_copy(m->addr[m->nr++], addr);
		else
			full = true;
	} else if (op == XEN_NETIF_EXTRA_TYPE_MCAST_DEL && i >= 0) {
		ether_addr_copy(m->addr[i], m->addr[--m->nr]);
	}
	if (full)
		WRITE_ONCE(vif->mcast_filter, false);
	spin_unlock_bh(&vif->mcast_lock);
	if (full && net_ratelimit())
		netdev_info(vif->ndev, "more than %u multicast groups: filter off\n",
			    NETBACK_MCAST_MAX);
}

/**
 * netback_mcast_clear() - forget the filter list, as on a new connection
 * @vif: the vif
 */
void netback_mcast_clear(struct netback_vif *vif)
{
	spin_lock_bh(&vif->mcast_lock);
	vif->mcast.nr = 0;
	spin_unlock_bh(&vif->mcast_lock);
}

/**
 * netback_mcast_wanted() - whether the guest takes a multicast packet
 * @vif: the vif
 * @dest: the packet's destination, a multicast address
 *
 * Return: true without a filter, or if the guest asked for @dest.
 */
bool netback_mcast_wanted(struct netback_vif *vif, const u8 *dest)
{
	bool found;

	if (!READ_ONCE(vif->mcast_filter))
		return true;
	spin_lock_bh(&vif->mcast_lock);
	found = netback_mcast_find(&vif->mcast, dest) >= 0;
	spin_unlock_bh(&vif->mcast_lock);
	return found;
}
