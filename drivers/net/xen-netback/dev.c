// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netback: the net_device of a vif, its carrier and its ethtool view.
 *
 * The device exists from probe to remove, named "vif<domid>.<handle>" as
 * the toolstack's hotplug script expects.  Its carrier is on while the
 * guest is connected, unless a queue has waited rx_stall_timeout_msecs
 * for the guest's receive buffers (rx.c; a bridge then stops sending to a
 * guest that stopped taking packets, and the carrier comes back once the
 * guest serves every queue again), and off for good, until the next
 * connection, once the guest broke the protocol.  carrier.h decides;
 * every change is made under vif->carrier_lock, so that the last one
 * always matches the state.  What the device may hand us (checksum
 * offload, scatter-gather, TSO) is what the guest said it can receive.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/tcp.h>
#include "netback.h"

static unsigned int link_speed = SPEED_10000;
module_param(link_speed, uint, 0444);
MODULE_PARM_DESC(link_speed,
		 "Link speed reported to ethtool, in Mb/s (default 10000; ethtool -s changes it per interface)");

static int netback_open(struct net_device *ndev)
{
	struct netback_vif *vif = netdev_priv(ndev);

	if (vif->connected)
		netif_tx_start_all_queues(ndev);
	return 0;
}

static int netback_stop(struct net_device *ndev)
{
	netif_tx_stop_all_queues(ndev);
	return 0;
}

/* From dom0's side: the guest's transmits are our receives. */
static void netback_get_stats64(struct net_device *ndev,
				struct rtnl_link_stats64 *st)
{
	struct netback_totals t;

	netback_sum_stats(netdev_priv(ndev), &t);
	st->rx_packets = t.rx_packets;
	st->rx_bytes = t.rx_bytes;
	st->rx_errors = t.rx_errors;
	st->tx_packets = t.tx_packets;
	st->tx_bytes = t.tx_bytes;
	st->tx_dropped = t.tx_dropped;
}

static int netback_change_mtu(struct net_device *ndev, int mtu)
{
	struct netback_vif *vif = netdev_priv(ndev);
	/*
	 * Until a guest connects, what it takes is unknown: the hotplug
	 * script may set a large MTU, which is cut back at connect if the
	 * guest cannot take scatter-gather.
	 */
	bool sg = !vif->connected || (ndev->features & NETIF_F_SG);
	int max = sg ? ndev->max_mtu : ETH_DATA_LEN;

	if (mtu > max)
		return -EINVAL;
	WRITE_ONCE(ndev->mtu, mtu);
	return 0;
}

/* Offloads the guest of the current (or last) connection takes. */
static netdev_features_t netback_fix_features(struct net_device *ndev,
					      netdev_features_t features)
{
	struct netback_vif *vif = netdev_priv(ndev);
	const struct netback_conf *c = &vif->conf;

	if (!c->sg)
		features &= ~NETIF_F_SG;
	if (!(c->gso_types & BIT(XEN_NETIF_GSO_TYPE_TCPV4)))
		features &= ~NETIF_F_TSO;
	if (!(c->gso_types & BIT(XEN_NETIF_GSO_TYPE_TCPV6)))
		features &= ~NETIF_F_TSO6;
	if (!c->ipv4_csum)
		features &= ~NETIF_F_IP_CSUM;
	if (!c->ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;
	return features;
}

static const struct net_device_ops netback_ndev_ops = {
	.ndo_open = netback_open,
	.ndo_stop = netback_stop,
	.ndo_start_xmit = netback_start_xmit,
	.ndo_select_queue = netback_select_queue,
	.ndo_get_stats64 = netback_get_stats64,
	.ndo_change_mtu = netback_change_mtu,
	.ndo_fix_features = netback_fix_features,
	.ndo_validate_addr = eth_validate_addr,
};

/*
 * Turn the carrier on or off as the state under vif->carrier_lock says,
 * with that lock held.  Returns whether it is on.  @vif->nr_queues does
 * not change while @vif->carrier_live is set.
 */
static bool netback_carrier_apply(struct netback_vif *vif)
{
	bool on = netback_carrier_wanted(vif->carrier_live,
					 vif->carrier_broken,
					 READ_ONCE(vif->nr_queues),
					 vif->rx_stalled_queues);

	lockdep_assert_held(&vif->carrier_lock);
	if (on)
		netif_carrier_on(vif->ndev);
	else
		netif_carrier_off(vif->ndev);
	return on;
}

/**
 * netback_carrier_reset() - forget the carrier state of a connection
 * @vif: the vif, under its mutex, with no queue started
 *
 * No queue stalled, no breach, not live: the carrier is off.  Called
 * before the queues of a connection start and once they have all stopped,
 * so that each connection starts from the same state however the last one
 * ended.  Idempotent.
 */
void netback_carrier_reset(struct netback_vif *vif)
{
	unsigned long flags;

	spin_lock_irqsave(&vif->carrier_lock, flags);
	vif->carrier_live = false;
	vif->carrier_broken = false;
	vif->rx_stalled_queues = 0;
	netback_carrier_apply(vif);
	spin_unlock_irqrestore(&vif->carrier_lock, flags);
}

/**
 * netback_carrier_live() - the queues of a vif come up or go down
 * @vif: the vif, under its mutex and rtnl, with @vif->nr_queues set
 * @live: true once the queues are up, false before they stop
 *
 * The carrier comes on with @live unless the guest already broke the
 * protocol or a queue stalled; it goes off without.  Idempotent.
 */
void netback_carrier_live(struct netback_vif *vif, bool live)
{
	unsigned long flags;

	spin_lock_irqsave(&vif->carrier_lock, flags);
	vif->carrier_live = live;
	netback_carrier_apply(vif);
	spin_unlock_irqrestore(&vif->carrier_lock, flags);
}

/**
 * netback_carrier_broken() - the guest broke the protocol: carrier off
 * @vif: the vif, in any context
 *
 * The carrier stays off, whatever the queues do, until the next
 * connection.  Never sleeps.
 */
void netback_carrier_broken(struct netback_vif *vif)
{
	unsigned long flags;

	spin_lock_irqsave(&vif->carrier_lock, flags);
	vif->carrier_broken = true;
	netback_carrier_apply(vif);
	spin_unlock_irqrestore(&vif->carrier_lock, flags);
}

/**
 * netback_carrier_queue() - a queue stalls for want of receive buffers,
 *	or the guest serves it again
 * @q: the queue, from its poll
 * @stalled: true once it has been short of buffers for the stall timeout,
 *	false once the guest's buffers let it deliver or end a drain
 *
 * Counts the queue in or out of the vif's stalled queues; the carrier
 * goes off when a queue stalls and comes back once the last stalled
 * queue recovers.  Logs each such change.  Never sleeps.
 */
void netback_carrier_queue(struct netback_queue *q, bool stalled)
{
	struct netback_vif *vif = q->vif;
	unsigned long flags;
	bool was, on;

	spin_lock_irqsave(&vif->carrier_lock, flags);
	if (q->rx_carrier_stalled == stalled) {
		spin_unlock_irqrestore(&vif->carrier_lock, flags);
		return;
	}
	WRITE_ONCE(q->rx_carrier_stalled, stalled);
	if (stalled)
		vif->rx_stalled_queues++;
	else
		vif->rx_stalled_queues--;
	was = netif_carrier_ok(vif->ndev);
	on = netback_carrier_apply(vif);
	spin_unlock_irqrestore(&vif->carrier_lock, flags);

	/*
	 * Outside the lock: a slow console must not hold it.  A guest can
	 * flip the carrier once per stall timeout, so the lines are
	 * ratelimited.
	 */
	if (was != on && !net_ratelimit())
		return;
	if (was && !on)
		netdev_info(vif->ndev, "carrier off: queue %u waited rx_stall_timeout_msecs for the guest's receive buffers\n",
			    q->index);
	else if (!was && on)
		netdev_info(vif->ndev, "carrier on: queue %u has the guest's receive buffers again\n",
			    q->index);
}

/**
 * netback_ndev_features() - apply a new connection's offloads
 * @vif: the vif, under rtnl, with @vif->conf set
 *
 * An MTU above what the guest can take without scatter-gather is cut
 * back to 1500.
 */
void netback_ndev_features(struct netback_vif *vif)
{
	struct net_device *ndev = vif->ndev;

	netdev_update_features(ndev);
	if (!(ndev->features & NETIF_F_SG) && ndev->mtu > ETH_DATA_LEN)
		dev_set_mtu(ndev, ETH_DATA_LEN);
}

static void netback_get_drvinfo(struct net_device *ndev,
				struct ethtool_drvinfo *drv)
{
	struct netback_vif *vif = netdev_priv(ndev);

	strscpy(drv->driver, "xen-netback", sizeof(drv->driver));
	strscpy(drv->bus_info, dev_name(&vif->xbdev->dev),
		sizeof(drv->bus_info));
}

static int netback_get_link_ksettings(struct net_device *ndev,
				      struct ethtool_link_ksettings *cmd)
{
	struct netback_vif *vif = netdev_priv(ndev);

	cmd->base.speed = vif->speed;
	cmd->base.duplex = vif->duplex;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

static int netback_set_link_ksettings(struct net_device *ndev,
				      const struct ethtool_link_ksettings *cmd)
{
	struct netback_vif *vif = netdev_priv(ndev);

	if (cmd->base.autoneg != AUTONEG_DISABLE ||
	    cmd->base.port != PORT_OTHER ||
	    !ethtool_validate_speed(cmd->base.speed) ||
	    !ethtool_validate_duplex(cmd->base.duplex))
		return -EINVAL;
	vif->speed = cmd->base.speed;
	vif->duplex = cmd->base.duplex;
	return 0;
}

/* ethtool -S, from dom0's side like the interface counters. */
static const char netback_stat_names[][ETH_GSTRING_LEN] = {
	"rx_packets", "rx_bytes", "rx_errors", "rx_gso",
	"tx_packets", "tx_bytes", "tx_dropped", "tx_gso",
	"copy_errors", "queues", "frontend_broken", "credit_waits",
};

static int netback_get_sset_count(struct net_device *ndev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(netback_stat_names) :
				      -EOPNOTSUPP;
}

static void netback_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, netback_stat_names, sizeof(netback_stat_names));
}

static void netback_get_ethtool_stats(struct net_device *ndev,
				      struct ethtool_stats *stats, u64 *data)
{
	struct netback_vif *vif = netdev_priv(ndev);
	struct netback_totals t;
	unsigned int i = 0;

	netback_sum_stats(vif, &t);
	data[i++] = t.rx_packets;
	data[i++] = t.rx_bytes;
	data[i++] = t.rx_errors;
	data[i++] = t.rx_gso;
	data[i++] = t.tx_packets;
	data[i++] = t.tx_bytes;
	data[i++] = t.tx_dropped;
	data[i++] = t.tx_gso;
	data[i++] = t.copy_errors;
	data[i++] = READ_ONCE(vif->nr_queues);
	data[i++] = atomic_read(&vif->broken_count);
	data[i++] = t.credit_waits;
}

static const struct ethtool_ops netback_ethtool_ops = {
	.get_drvinfo = netback_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = netback_get_link_ksettings,
	.set_link_ksettings = netback_set_link_ksettings,
	.get_sset_count = netback_get_sset_count,
	.get_strings = netback_get_strings,
	.get_ethtool_stats = netback_get_ethtool_stats,
};

/**
 * netback_ndev_alloc() - allocate the net_device of a vif
 * @dev: its xenbus device
 * @handle: the device's handle, from the toolstack
 *
 * The device starts with its carrier off and no offloads until a guest
 * connects.  Its address is fe:ff:ff:ff:ff:ff, which a bridge never
 * picks as its own.  Its private area is the struct netback_vif.
 *
 * Return: the vif, or an ERR_PTR().
 */
struct netback_vif *netback_ndev_alloc(struct xenbus_device *dev, u32 handle)
{
	static const u8 addr[ETH_ALEN] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct netback_vif *vif;
	struct net_device *ndev;
	char name[IFNAMSIZ];

	snprintf(name, sizeof(name), "vif%u.%u", dev->otherend_id, handle);
	ndev = alloc_netdev_mq(sizeof(*vif), name, NET_NAME_PREDICTABLE,
			       ether_setup, NETBACK_MAX_QUEUES);
	if (!ndev)
		return ERR_PTR(-ENOMEM);
	vif = netdev_priv(ndev);
	vif->ndev = ndev;
	vif->xbdev = dev;
	vif->domid = dev->otherend_id;
	vif->handle = handle;
	vif->speed = link_speed;
	vif->duplex = DUPLEX_FULL;
	spin_lock_init(&vif->stats_lock);
	spin_lock_init(&vif->mcast_lock);
	spin_lock_init(&vif->carrier_lock);
	mutex_init(&vif->mutex);
	atomic_set(&vif->broken_count, 0);

	ndev->netdev_ops = &netback_ndev_ops;
	ndev->ethtool_ops = &netback_ethtool_ops;
	ndev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			    NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM;
	ndev->features = ndev->hw_features;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = XEN_NETIF_MAX_TX_SIZE - ETH_HLEN;
	netif_set_tso_max_size(ndev, XEN_NETIF_MAX_TX_SIZE - MAX_TCP_HEADER);
	/* A guest slow to take its packets must not hold up a bridge. */
	ndev->tx_queue_len = 256;
	eth_hw_addr_set(ndev, addr);
	SET_NETDEV_DEV(ndev, &dev->dev);
	netif_set_real_num_tx_queues(ndev, 1);
	netif_set_real_num_rx_queues(ndev, 1);
	netif_carrier_off(ndev);
	return vif;
}
