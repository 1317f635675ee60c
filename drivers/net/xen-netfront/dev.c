// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netfront: the network interface a Xen virtual interface appears as,
 * its ethtool view, and the module.
 *
 * The net_device lives from probe to remove.  Connections come and go
 * underneath it (backend restarts, save/restore, migration): the offloads
 * it shows are the ones the last connected backend took, and its counters
 * add up over all connections.
 */
#define pr_fmt(fmt) "xen-netfront: " fmt

#include <linux/cpumask.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/tcp.h>
#include <xen/compat_param.h>
#include <xen/platform_pci.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include "netfront.h"

/* Read with READ_ONCE() each time a device connects. */
static unsigned int max_queues = 8;
module_param(max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues,
		 "Most queue pairs per interface (default 8, at most the CPU count); a change applies to the next connection");

/* Read with READ_ONCE() when a device is probed; see netfront_trusted(). */
static bool trusted = true;
XEN_PARAM_NO_EFFECT(trusted, trusted, bool, 0644,
		    "packet data always travel through pages the frontend owns");
MODULE_PARM_DESC(trusted,
		 "Trust the backend if its \"trusted\" key allows it too (default on); no effect: a backend only ever sees packet data");

static bool hashing = true;
module_param(hashing, bool, 0444);
MODULE_PARM_DESC(hashing, "Set up a control ring, if the backend offers one, and ask it to steer received packets by their Toeplitz hash (default on)");

static unsigned int link_speed = SPEED_10000;
module_param(link_speed, uint, 0444);
MODULE_PARM_DESC(link_speed,
		 "Link speed reported to ethtool, in Mb/s (default 10000; ethtool -s changes it per interface)");

/**
 * netfront_limits_init() - what this frontend asks of a connection
 * @lim: filled in from the module parameters
 */
void netfront_limits_init(struct netfront_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->max_queues = clamp(READ_ONCE(max_queues), 1u,
				min_t(u32, num_online_cpus(),
				      NETFRONT_MAX_QUEUES));
	lim->ctrl_ring = hashing;
	lim->xdp = true;
}

/**
 * netfront_trusted() - whether a device's backend counts as trusted
 * @dev: the xenbus device, being probed
 *
 * Both the "trusted" parameter and the toolstack's "trusted" key (absent
 * means yes) must allow it.  Nothing but a log line depends on it: data
 * are copied through the frontend's own pages either way.
 *
 * Return: true if the backend is trusted.
 */
bool netfront_trusted(struct xenbus_device *dev)
{
	return READ_ONCE(trusted) &&
	       xenbus_read_unsigned(dev->nodename, "trusted", 1);
}

static int netfront_open(struct net_device *ndev)
{
	struct netfront_info *info = netdev_priv(ndev);

	if (info->connected)
		netfront_napi_set(info, true);
	netif_tx_start_all_queues(ndev);
	return 0;
}

static int netfront_stop(struct net_device *ndev)
{
	struct netfront_info *info = netdev_priv(ndev);

	netif_tx_stop_all_queues(ndev);
	netfront_napi_set(info, false);
	return 0;
}

static void netfront_get_stats64(struct net_device *ndev,
				 struct rtnl_link_stats64 *st)
{
	struct netfront_totals t;

	netfront_sum_stats(netdev_priv(ndev), &t);
	st->rx_packets = t.rx_packets;
	st->rx_bytes = t.rx_bytes;
	st->rx_dropped = t.rx_dropped;
	st->tx_packets = t.tx_packets;
	st->tx_bytes = t.tx_bytes;
	st->tx_errors = t.tx_errors;
}

static int netfront_change_mtu(struct net_device *ndev, int mtu)
{
	int max = ndev->features & NETIF_F_SG ? XEN_NETIF_MAX_TX_SIZE :
						ETH_DATA_LEN;

	if (mtu > max)
		return -EINVAL;
	WRITE_ONCE(ndev->mtu, mtu);
	return 0;
}

/* Offloads the backend of the current (or last) connection takes. */
static netdev_features_t netfront_fix_features(struct net_device *ndev,
					       netdev_features_t features)
{
	struct netfront_info *info = netdev_priv(ndev);
	const struct netfront_conf *c = &info->conf;

	if (!c->sg)
		features &= ~NETIF_F_SG;
	if (!(c->gso_types & BIT(XEN_NETIF_GSO_TYPE_TCPV4)))
		features &= ~NETIF_F_TSO;
	if (!(c->gso_types & BIT(XEN_NETIF_GSO_TYPE_TCPV6)))
		features &= ~NETIF_F_TSO6;
	if (!c->ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;
	return features;
}

/*
 * As upstream: the address may change only while the device is down, and
 * the backend is not told.  Unlike upstream it is not read again from the
 * store on a reconnect, so an administrator's address survives migration.
 * ndo_select_queue follows the control ring: while the backend hashes for
 * us, a packet leaves on the queue the mapping table gives the Toeplitz
 * hash of its replies, where the backend steers them; otherwise, and for
 * what the backend does not hash, the stack's own choice (XPS, the
 * recorded receive queue, then the flow hash) stands (ctrl.c, and
 * Documentation/virt/xen/netif.rst).
 */
static const struct net_device_ops netfront_ndev_ops = {
	.ndo_open = netfront_open,
	.ndo_stop = netfront_stop,
	.ndo_select_queue = netfront_select_queue,
	.ndo_start_xmit = netfront_start_xmit,
	.ndo_get_stats64 = netfront_get_stats64,
	.ndo_change_mtu = netfront_change_mtu,
	.ndo_fix_features = netfront_fix_features,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_set_rx_mode = netfront_set_rx_mode,
	.ndo_bpf = netfront_bpf,
	.ndo_xdp_xmit = netfront_xdp_xmit,
};

/* ------------------------------------------------------------------ */
/* ethtool                                                             */
/* ------------------------------------------------------------------ */

static void netfront_get_drvinfo(struct net_device *ndev,
				 struct ethtool_drvinfo *drv)
{
	struct netfront_info *info = netdev_priv(ndev);

	strscpy(drv->driver, "xen-netfront", sizeof(drv->driver));
	strscpy(drv->bus_info, dev_name(&info->xbdev->dev),
		sizeof(drv->bus_info));
}

static int netfront_get_link_ksettings(struct net_device *ndev,
				       struct ethtool_link_ksettings *cmd)
{
	struct netfront_info *info = netdev_priv(ndev);

	cmd->base.speed = info->speed;
	cmd->base.duplex = info->duplex;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

/* Like virtio-net: speed and duplex are the administrator's to set. */
static int netfront_set_link_ksettings(struct net_device *ndev,
				       const struct ethtool_link_ksettings *cmd)
{
	struct netfront_info *info = netdev_priv(ndev);
	u32 speed = cmd->base.speed;

	if (cmd->base.autoneg != AUTONEG_DISABLE ||
	    cmd->base.port != PORT_OTHER ||
	    !ethtool_validate_speed(speed) ||
	    !ethtool_validate_duplex(cmd->base.duplex))
		return -EINVAL;
	info->speed = speed;
	info->duplex = cmd->base.duplex;
	return 0;
}

/*
 * ethtool -S: one line per counter, in this order, then the packets each
 * possible queue received, then the packets each sent.
 */
static const char netfront_stat_names[][ETH_GSTRING_LEN] = {
	"rx_packets", "rx_bytes", "rx_dropped", "rx_gso", "rx_csum_fixups",
	"rx_pages_taken", "tx_packets", "tx_bytes", "tx_errors", "tx_gso",
	"xdp_pass", "xdp_drop", "xdp_tx", "xdp_redirect", "xdp_xmit",
	"queues", "backend_broken", "mcast_requests", "mcast_groups",
};

static int netfront_get_sset_count(struct net_device *ndev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(netfront_stat_names) +
				      2 * NETFRONT_MAX_QUEUES : -EOPNOTSUPP;
}

static void netfront_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(netfront_stat_names); i++)
		ethtool_puts(&data, netfront_stat_names[i]);
	for (i = 0; i < NETFRONT_MAX_QUEUES; i++)
		ethtool_sprintf(&data, "rx_queue_%u_packets", i);
	for (i = 0; i < NETFRONT_MAX_QUEUES; i++)
		ethtool_sprintf(&data, "tx_queue_%u_packets", i);
}

static void netfront_get_ethtool_stats(struct net_device *ndev,
				       struct ethtool_stats *stats, u64 *data)
{
	struct netfront_info *info = netdev_priv(ndev);
	struct netfront_totals t;
	unsigned int i = 0, q;

	netfront_sum_stats(info, &t);
	data[i++] = t.rx_packets;
	data[i++] = t.rx_bytes;
	data[i++] = t.rx_dropped;
	data[i++] = t.rx_gso;
	data[i++] = t.rx_csum_fixups;
	data[i++] = t.rx_pages_taken;
	data[i++] = t.tx_packets;
	data[i++] = t.tx_bytes;
	data[i++] = t.tx_errors;
	data[i++] = t.tx_gso;
	for (q = 0; q < ARRAY_SIZE(t.xdp); q++)
		data[i++] = t.xdp[q];
	data[i++] = READ_ONCE(info->connected) ? info->conf.nr_queues : 0;
	data[i++] = atomic_read(&info->broken_count);
	data[i++] = READ_ONCE(info->mc_requests);
	data[i++] = READ_ONCE(info->mc_nr);
	for (q = 0; q < NETFRONT_MAX_QUEUES; q++)
		data[i++] = netfront_queue_packets(info, q, false);
	for (q = 0; q < NETFRONT_MAX_QUEUES; q++)
		data[i++] = netfront_queue_packets(info, q, true);
}

static const struct ethtool_ops netfront_ethtool_ops = {
	.get_drvinfo = netfront_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = netfront_get_link_ksettings,
	.set_link_ksettings = netfront_set_link_ksettings,
	.get_sset_count = netfront_get_sset_count,
	.get_strings = netfront_get_strings,
	.get_ethtool_stats = netfront_get_ethtool_stats,
	.get_rxnfc = netfront_get_rxnfc,
	.get_rxfh_key_size = netfront_get_rxfh_key_size,
	.get_rxfh_indir_size = netfront_get_rxfh_indir_size,
	.get_rxfh = netfront_get_rxfh,
	.set_rxfh = netfront_set_rxfh,
	.get_ts_info = ethtool_op_get_ts_info,
};

/**
 * netfront_ndev_alloc() - allocate the net_device of a virtual interface
 * @dev: its xenbus device
 * @mac: the address the toolstack gave it
 * @mtu: the MTU the toolstack gave it, or ETH_DATA_LEN
 *
 * The device starts with its carrier off and no offloads until a backend
 * connects.  Its private area is the struct netfront_info.
 *
 * Return: the device's info, or an ERR_PTR().
 */
struct netfront_info *netfront_ndev_alloc(struct xenbus_device *dev,
					  const u8 *mac, u32 mtu)
{
	struct netfront_info *info;
	struct net_device *ndev;

	ndev = alloc_etherdev_mq(sizeof(*info), NETFRONT_MAX_QUEUES);
	if (!ndev)
		return ERR_PTR(-ENOMEM);
	info = netdev_priv(ndev);
	info->ndev = ndev;
	info->xbdev = dev;
	info->speed = link_speed;
	info->duplex = DUPLEX_FULL;
	spin_lock_init(&info->stats_lock);
	atomic_set(&info->broken_count, 0);
	netfront_limits_init(&info->lim);
	netdev_rss_key_fill(info->hash.key, sizeof(info->hash.key));

	ndev->netdev_ops = &netfront_ndev_ops;
	ndev->ethtool_ops = &netfront_ethtool_ops;
	ndev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			    NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM;
	ndev->features = ndev->hw_features;
	ndev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			     NETDEV_XDP_ACT_NDO_XMIT;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = XEN_NETIF_MAX_TX_SIZE;
	ndev->mtu = mtu;
	netif_set_tso_max_size(ndev, XEN_NETIF_MAX_TX_SIZE - MAX_TCP_HEADER);
	eth_hw_addr_set(ndev, mac);
	SET_NETDEV_DEV(ndev, &dev->dev);
	netif_set_real_num_tx_queues(ndev, 1);
	netif_set_real_num_rx_queues(ndev, 1);
	netif_carrier_off(ndev);
	return info;
}

static int __init netfront_init(void)
{
	if (!xen_domain() || !xen_has_pv_nic_devices())
		return -ENODEV;
	if (PAGE_SIZE != XEN_PAGE_SIZE) {
		pr_err("needs %lu-byte pages\n", XEN_PAGE_SIZE);
		return -ENODEV;
	}
	return netfront_xenbus_register();
}
module_init(netfront_init);

static void __exit netfront_exit(void)
{
	netfront_xenbus_unregister();
}
module_exit(netfront_exit);

MODULE_DESCRIPTION("Xen virtual network interface frontend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vif");
MODULE_ALIAS("xennet");
