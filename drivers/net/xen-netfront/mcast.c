// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netfront multicast control: a backend that offers
 * "feature-multicast-control" can drop the multicast packets the guest
 * has not joined, instead of flooding them all to it.
 *
 * We ask for that ("request-multicast-control" = 1) unless the device is
 * promiscuous, takes all multicast, or has joined more groups than a
 * backend keeps; and tell the backend each group joined or left with an
 * MCAST_ADD or MCAST_DEL extra on a dummy transmit request of queue 0.
 * Without "feature-dynamic-multicast-control" the key is only read when
 * we connect, so it stays as it was then.  The backend forgets its list
 * on a new connection, and so do we.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <xen/xenbus.h>
#include "netfront.h"

/* Retry delay when the transmit ring has no room for a request. */
#define NETFRONT_MC_RETRY	msecs_to_jiffies(20)

/*
 * Whether the backend may filter, and if so the groups the device has
 * joined into @want (unless NULL).
 */
static bool netfront_mc_wanted(struct net_device *ndev,
			       u8 want[][ETH_ALEN], u32 *nr)
{
	struct netdev_hw_addr *ha;
	bool filter;
	u32 n = 0;

	netif_addr_lock_bh(ndev);
	filter = !(ndev->flags & (IFF_PROMISC | IFF_ALLMULTI)) &&
		 netdev_mc_count(ndev) <= NETFRONT_MCAST_MAX;
	if (filter && want)
		netdev_for_each_mc_addr(ha, ndev)
			ether_addr_copy(want[n++], ha->addr);
	netif_addr_unlock_bh(ndev);
	*nr = n;
	return filter;
}

static bool netfront_mc_has(u8 list[][ETH_ALEN], u32 nr, const u8 *addr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (ether_addr_equal(list[i], addr))
			return true;
	return false;
}

/* Tell the backend one change; 0, or -ENOSPC to try again later. */
static int netfront_mc_send(struct netfront_info *info, u8 op, const u8 *addr)
{
	int err = netfront_tx_mcast(&info->queues[0], op, addr);

	if (!err)
		WRITE_ONCE(info->mc_requests, info->mc_requests + 1);
	return err;
}

/* Make the backend's list @want: leave what went, join what is new. */
static int netfront_mc_sync(struct netfront_info *info, u8 want[][ETH_ALEN],
			    u32 nr)
{
	u32 i = 0;
	int err;

	while (i < info->mc_nr) {
		if (netfront_mc_has(want, nr, info->mc_addrs[i])) {
			i++;
			continue;
		}
		err = netfront_mc_send(info, XEN_NETIF_EXTRA_TYPE_MCAST_DEL,
				       info->mc_addrs[i]);
		if (err)
			return err;
		ether_addr_copy(info->mc_addrs[i],
				info->mc_addrs[--info->mc_nr]);
	}
	for (i = 0; i < nr; i++) {
		if (netfront_mc_has(info->mc_addrs, info->mc_nr, want[i]))
			continue;
		err = netfront_mc_send(info, XEN_NETIF_EXTRA_TYPE_MCAST_ADD,
				       want[i]);
		if (err)
			return err;
		ether_addr_copy(info->mc_addrs[info->mc_nr++], want[i]);
	}
	return 0;
}

/**
 * netfront_mc_filter_wanted() - "request-multicast-control" for a connect
 * @info: the device
 *
 * Return: true if the backend may filter multicast packets now.
 */
bool netfront_mc_filter_wanted(struct netfront_info *info)
{
	u32 nr;

	return netfront_mc_wanted(info->ndev, NULL, &nr);
}

/**
 * netfront_mc_work() - bring the backend's multicast filter up to date
 * @work: the device's mc_work
 *
 * Runs after each change of the device's multicast list or flags, and
 * once a connection is up.
 */
void netfront_mc_work(struct work_struct *work)
{
	struct netfront_info *info = container_of(to_delayed_work(work),
						  struct netfront_info,
						  mc_work);
	u8 (*want)[ETH_ALEN];
	bool filter;
	u32 nr;

	want = kmalloc_array(NETFRONT_MCAST_MAX, ETH_ALEN, GFP_KERNEL);
	if (!want)
		return;
	mutex_lock(&info->mutex);
	if (!READ_ONCE(info->connected) || !info->conf.mcast)
		goto out;
	filter = netfront_mc_wanted(info->ndev, want, &nr);
	if (info->conf.dyn_mcast && filter != info->mc_filter &&
	    !xenbus_printf(XBT_NIL, info->xbdev->nodename,
			   "request-multicast-control", "%u", filter))
		info->mc_filter = filter;
	/* An unfiltered backend needs no list; keep the one it has. */
	if (filter && netfront_mc_sync(info, want, nr) == -ENOSPC)
		schedule_delayed_work(&info->mc_work, NETFRONT_MC_RETRY);
out:
	mutex_unlock(&info->mutex);
	kfree(want);
}

/**
 * netfront_set_rx_mode() - the device's multicast list or flags changed
 * @ndev: our device
 *
 * Called with the address list lock held: the backend is told from
 * process context.
 */
void netfront_set_rx_mode(struct net_device *ndev)
{
	struct netfront_info *info = netdev_priv(ndev);

	schedule_delayed_work(&info->mc_work, 0);
}
