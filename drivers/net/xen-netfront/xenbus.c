// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netfront negotiation with the backend over xenstore.
 *
 * The frontend follows the backend's state; every transition below is
 * taken from the xenbus "otherend changed" callback (process context, no
 * locks held) or from resume, under info->mutex:
 *
 *   backend InitWait, we Initialising  -> read the backend's features once,
 *                                         set up and publish the queues,
 *                                         go to Connected
 *   backend Connected, we Initialising -> the same first (the backend
 *                                         raced ahead)
 *   backend Connected, we Connected    -> start the data path: carrier on,
 *                                         ask for hashing, announce our
 *                                         address
 *   backend Closing or Closed, we not
 *   Closed                             -> stop and free the data path, go
 *                                         to Closed
 *   backend InitWait, we Closed        -> start over from Initialising
 *
 *   an XDP program attached or detached while Connected, and the backend
 *   offers XDP headroom -> write "xdp-headroom", Reconfiguring, wait for
 *                          the backend's Reconfigured, Connected (xdp.c)
 *
 *   resume (after save/restore or migration): free the data path but keep
 *   the net_device; the xenbus core resets our state to Initialising and
 *   the table above reconnects, announcing our address again.
 *
 * Each step checks what already exists, so a backend that repeats or
 * toggles its state cannot make us set something up or tear it down twice.
 * Unlike blkfront, we go from Initialising straight to Connected: the
 * backend connects when it sees us Connected.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string_choices.h>
#include <net/sch_generic.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xenbus_peer.h>
#include <xen/xenbus_state.h>
#include "netfront.h"

/* A value read from xenstore is at most this long. */
#define NETFRONT_KEY_MAX_LEN	32

static void netfront_read_keys(struct netfront_info *info,
			       struct netfront_keys *be)
{
	struct xenbus_device *dev = info->xbdev;
	unsigned int k;

	memset(be, 0, sizeof(*be));
	for (k = 0; k < NETFRONT_BE_NR; k++) {
		const char *name = netfront_be_key_name(k);
		char *val;
		int err;

		val = xenbus_read_peer(dev->otherend, name,
				       NETFRONT_KEY_MAX_LEN);
		if (PTR_ERR(val) == -ENOENT)
			continue;
		if (IS_ERR(val)) {
			err = PTR_ERR(val);
		} else {
			err = netfront_parse_be_key(be, name, val);
			kfree(val);
		}
		if (err)
			dev_warn(&dev->dev, "ignoring malformed backend key %s\n",
				 name);
	}
}

static int netfront_write_queue(struct netfront_info *info,
				struct xenbus_transaction xbt,
				const struct netfront_queue *q,
				const char *dir)
{
	const struct xenbus_uint_key rings[] = {
		{ "tx-ring-ref", q->tx_ring_ref },
		{ "rx-ring-ref", q->rx_ring_ref },
	};
	const struct xenbus_uint_key split[] = {
		{ "event-channel-tx", q->tx_evtchn },
		{ "event-channel-rx", q->rx_evtchn },
	};
	int err;

	err = xenbus_write_uints(xbt, dir, rings, ARRAY_SIZE(rings));
	if (err)
		return err;
	if (info->conf.split)
		return xenbus_write_uints(xbt, dir, split, ARRAY_SIZE(split));
	return xenbus_printf(xbt, dir, "event-channel", "%u", q->tx_evtchn);
}

/* Keys of any earlier connection, which must not mislead the backend. */
static void netfront_clear_keys(struct xenbus_transaction xbt,
				const char *node)
{
	static const char *const stale[] = {
		"multi-queue-num-queues", "tx-ring-ref", "rx-ring-ref",
		"event-channel", "event-channel-tx", "event-channel-rx",
		"ctrl-ring-ref", "event-channel-ctrl", "xdp-headroom",
		"request-multicast-control",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stale); i++)
		xenbus_rm(xbt, node, stale[i]);
	for (i = 0; i < NETFRONT_MAX_QUEUES; i++) {
		char name[16];

		snprintf(name, sizeof(name), "queue-%u", i);
		xenbus_rm(xbt, node, name);
	}
}

/* What netfront_fill_keys() was writing when it failed. */
struct netfront_publish_ctx {
	struct netfront_info *info;
	const char *what;
};

static int netfront_fill_keys(struct xenbus_transaction xbt, void *arg)
{
	struct netfront_publish_ctx *ctx = arg;
	struct netfront_info *info = ctx->info;
	const char *node = info->xbdev->nodename;
	/* What this frontend takes on receive, and its receive mode. */
	static const struct xenbus_uint_key features[] = {
		{ "request-rx-copy", 1 },
		{ "feature-rx-notify", 1 },
		{ "feature-sg", 1 },
		{ "feature-gso-tcpv4", 1 },
		{ "feature-gso-tcpv6", 1 },
		{ "feature-ipv6-csum-offload", 1 },
	};
	struct xenbus_uint_key ctrl[] = {
		{ "ctrl-ring-ref", 0 },
		{ "event-channel-ctrl", 0 },
	};
	u32 ref, evtchn;
	unsigned int i;
	int err = 0;

	netfront_clear_keys(xbt, node);
	ctx->what = "queues";
	if (info->conf.nr_queues == 1)
		err = netfront_write_queue(info, xbt, &info->queues[0], node);
	else
		err = xenbus_printf(xbt, node, "multi-queue-num-queues", "%u",
				    info->conf.nr_queues);
	if (err)
		return err;
	for (i = 0; info->conf.nr_queues > 1 && i < info->conf.nr_queues; i++) {
		char *dir = kasprintf(GFP_KERNEL, "%s/queue-%u", node, i);

		if (!dir)
			return -ENOMEM;
		err = netfront_write_queue(info, xbt, &info->queues[i], dir);
		kfree(dir);
		if (err)
			return err;
	}
	if (netfront_ctrl_keys(info, &ref, &evtchn)) {
		ctrl[0].val = ref;
		ctrl[1].val = evtchn;
		ctx->what = "control ring";
		err = xenbus_write_uints(xbt, node, ctrl, ARRAY_SIZE(ctrl));
		if (err)
			return err;
	}
	if (info->conf.mcast) {
		/* A new connection: the backend's filter list is empty. */
		info->mc_nr = 0;
		info->mc_filter = netfront_mc_filter_wanted(info);
		ctx->what = "request-multicast-control";
		err = xenbus_printf(xbt, node, "request-multicast-control",
				    "%u", info->mc_filter);
		if (err)
			return err;
	}
	if (info->conf.xdp) {
		/* The headroom an XDP program attached now wants. */
		info->xdp_headroom = rcu_access_pointer(info->xdp_prog) ?
				     XDP_PACKET_HEADROOM : 0;
		ctx->what = "xdp-headroom";
		err = xenbus_printf(xbt, node, "xdp-headroom", "%u",
				    info->xdp_headroom);
		if (err)
			return err;
	}
	ctx->what = "features";
	return xenbus_write_uints(xbt, node, features, ARRAY_SIZE(features));
}

static void netfront_disconnect(struct netfront_info *info)
{
	if (info->queues) {
		rtnl_lock();
		netfront_data_stop(info);
		netfront_ctrl_teardown(info);
		netfront_rings_teardown(info);
		rtnl_unlock();
	}
	/*
	 * With NAPI off and the irqs unbound nothing can queue it again: a
	 * report of this connection must not close the next one.  The
	 * announcement requeues itself only while connected.  Also without
	 * queues: a set-up that failed had its irqs bound for a while.
	 */
	cancel_work_sync(&info->fail_work);
	cancel_delayed_work_sync(&info->announce_work);
}

/* Jiffies the announcement waits at most for the qdiscs. */
#define NETFRONT_ANNOUNCE_WAIT	50

/*
 * Tell the network where we are, which after a restore or a migration may
 * be another host.  netif_carrier_on() activates the qdiscs later, from
 * linkwatch, and what is sent before that is dropped: wait for them, a
 * jiffy at a time, a bounded number of times.
 */
static void netfront_announce_work(struct work_struct *work)
{
	struct netfront_info *info =
		container_of(to_delayed_work(work), struct netfront_info,
			     announce_work);
	struct net_device *ndev = info->ndev;

	rtnl_lock();
	if (READ_ONCE(info->connected) && netif_running(ndev)) {
		if (qdisc_tx_changing(ndev) &&
		    info->announce_wait++ < NETFRONT_ANNOUNCE_WAIT)
			schedule_delayed_work(&info->announce_work, 1);
		else
			__netdev_notify_peers(ndev);
	}
	rtnl_unlock();
}

/*
 * Pages of ended connections a backend may keep mapped into the next one:
 * as many as one connection of eight queues grants, buffers, rings and
 * the control ring's two pages.  An honest backend lets go of everything
 * before it closes, so only one that keeps pages across reconnects gets
 * here; it would otherwise run the domain out of grant references, a
 * connection's worth at a time.
 */
#define NETFRONT_RETIRED_MAX \
	(8 * (NETIF_TX_RING_SIZE + NETIF_RX_RING_SIZE + 2) + 2)

/* Backend InitWait: choose the connection, set up the queues, publish. */
static int netfront_talk(struct netfront_info *info)
{
	struct netfront_publish_ctx ctx = { .info = info, .what = "keys" };
	struct xenbus_device *dev = info->xbdev;
	struct netfront_keys be;
	struct netfront_conf conf;
	const char *why;
	int err;

	if (info->queues)
		return 0;	/* already done for this connection */
	netfront_retired_release(info, false);
	if (info->nr_retired > NETFRONT_RETIRED_MAX) {
		xenbus_dev_fatal(dev, -EBUSY,
				 "the backend still maps %u pages of ended connections",
				 info->nr_retired);
		return -EBUSY;
	}
	/* The module parameters as they are now. */
	netfront_limits_init(&info->lim);
	netfront_read_keys(info, &be);
	err = netfront_choose(&be, &info->lim, &conf, &why);
	if (err) {
		xenbus_dev_fatal(dev, err, "%s", why);
		return err;
	}
	rtnl_lock();
	info->conf = conf;
	err = netfront_rings_setup(info);
	if (!err && conf.ctrl_ring) {
		err = netfront_ctrl_setup(info);
		if (err)
			netfront_rings_teardown(info);
	}
	rtnl_unlock();
	if (err) {
		/* Its irqs are gone; a bad event they took must not linger. */
		cancel_work_sync(&info->fail_work);
		return err;
	}
	err = xenbus_transact(netfront_fill_keys, &ctx);
	if (err) {
		xenbus_dev_fatal(dev, err, "writing %s", ctx.what);
		netfront_disconnect(info);
		return err;
	}
	dev_info(&dev->dev,
		 "%u queue(s), %s event channels, sg %s, gso%s%s, ipv6 csum %s, control ring %s\n",
		 conf.nr_queues, conf.split ? "split" : "shared",
		 str_on_off(conf.sg),
		 conf.gso_types & BIT(XEN_NETIF_GSO_TYPE_TCPV4) ? " tcpv4" : "",
		 conf.gso_types & BIT(XEN_NETIF_GSO_TYPE_TCPV6) ? " tcpv6" : "",
		 str_on_off(conf.ipv6_csum), str_on_off(conf.ctrl_ring));
	return xenbus_switch_state(dev, XENBUS_STATE_CONNECTED);
}

/* Backend Connected while we are: let packets flow. */
static void netfront_connect(struct netfront_info *info)
{
	if (!info->queues || info->connected)
		return;
	rtnl_lock();
	netfront_data_start(info);
	netfront_ctrl_start(info);
	info->announce_wait = 0;
	schedule_delayed_work(&info->announce_work, 0);
	rtnl_unlock();
	/* The groups we joined, for the backend's filter. */
	if (info->conf.mcast)
		schedule_delayed_work(&info->mc_work, 0);
}

static void netfront_backend_changed(struct xenbus_device *dev,
				     enum xenbus_state backend_state)
{
	struct netfront_info *info = dev_get_drvdata(&dev->dev);

	dev_dbg(&dev->dev, "backend %s, we are %s\n",
		xenbus_strstate(backend_state), xenbus_strstate(dev->state));
	mutex_lock(&info->mutex);
	switch (backend_state) {
	case XENBUS_STATE_INITWAIT:
		if (dev->state == XENBUS_STATE_CLOSED) {
			netfront_disconnect(info);
			xenbus_switch_state(dev, XENBUS_STATE_INITIALISING);
		}
		if (dev->state == XENBUS_STATE_INITIALISING)
			netfront_talk(info);
		break;
	case XENBUS_STATE_CONNECTED:
		if (dev->state == XENBUS_STATE_INITIALISING &&
		    netfront_talk(info))
			break;
		if (dev->state == XENBUS_STATE_CONNECTED)
			netfront_connect(info);
		break;
	case XENBUS_STATE_CLOSING:
	case XENBUS_STATE_CLOSED:
		/* A closed backend has let go of what it mapped. */
		if (dev->state == XENBUS_STATE_CLOSED) {
			if (backend_state == XENBUS_STATE_CLOSED)
				netfront_retired_release(info, false);
			break;
		}
		netfront_disconnect(info);
		xenbus_frontend_closed(dev);
		if (backend_state == XENBUS_STATE_CLOSED)
			netfront_retired_release(info, false);
		break;
	default:
		break;
	}
	mutex_unlock(&info->mutex);
}

/**
 * netfront_fail() - a queue saw the backend break the protocol
 * @q: the queue
 * @why: what the backend did
 *
 * Called from the queue's NAPI poll.  The queue takes nothing more from
 * its rings and acknowledges no more events; the device closes from
 * process context, and the backend may then reconnect it.
 */
void netfront_fail(struct netfront_queue *q, const char *why)
{
	if (READ_ONCE(q->broken))
		return;
	WRITE_ONCE(q->broken, true);
	netdev_err(q->info->ndev, "queue %u: %s\n", q->index, why);
	netfront_info_fail(q->info, why);
}

/**
 * netfront_info_fail() - the backend broke the protocol: close the device
 * @info: the device
 * @why: what the backend did
 *
 * Any context.  Counts the breach, turns the carrier off and leaves
 * closing the device to process context.
 */
void netfront_info_fail(struct netfront_info *info, const char *why)
{
	atomic_inc(&info->broken_count);
	netif_carrier_off(info->ndev);
	netdev_err(info->ndev, "%s; disconnecting\n", why);
	schedule_work(&info->fail_work);
}

static void netfront_fail_work(struct work_struct *work)
{
	struct netfront_info *info = container_of(work, struct netfront_info,
						  fail_work);

	xenbus_dev_fatal(info->xbdev, -EPROTO, "backend broke the protocol");
}

/* The "mac" and optional "mtu" keys the toolstack wrote for us. */
static int netfront_read_own_keys(struct xenbus_device *dev, u8 *mac, u32 *mtu)
{
	char *val;
	int err;

	val = xenbus_read_peer(dev->nodename, "mac", NETFRONT_KEY_MAX_LEN);
	if (IS_ERR(val))
		return PTR_ERR(val);
	err = netfront_parse_mac(val, mac);
	kfree(val);
	if (err)
		return err;
	*mtu = ETH_DATA_LEN;
	val = xenbus_read_peer(dev->nodename, "mtu", NETFRONT_KEY_MAX_LEN);
	if (IS_ERR(val))
		return 0;
	if (netfront_parse_mtu(val, mtu))
		dev_warn(&dev->dev, "ignoring malformed mtu key\n");
	kfree(val);
	return 0;
}

static int netfront_probe(struct xenbus_device *dev,
			  const struct xenbus_device_id *id)
{
	struct netfront_info *info;
	u8 mac[ETH_ALEN];
	u32 mtu;
	int err;

	err = netfront_read_own_keys(dev, mac, &mtu);
	if (err) {
		xenbus_dev_fatal(dev, err, "reading the mac key");
		return err;
	}
	info = netfront_ndev_alloc(dev, mac, mtu);
	if (IS_ERR(info))
		return PTR_ERR(info);
	mutex_init(&info->mutex);
	INIT_LIST_HEAD(&info->retired);
	INIT_WORK(&info->fail_work, netfront_fail_work);
	INIT_WORK(&info->xdp_work, netfront_xdp_work);
	INIT_DELAYED_WORK(&info->mc_work, netfront_mc_work);
	INIT_DELAYED_WORK(&info->announce_work, netfront_announce_work);
	info->trusted = netfront_trusted(dev);
	dev_set_drvdata(&dev->dev, info);
	err = register_netdev(info->ndev);
	if (err) {
		dev_set_drvdata(&dev->dev, NULL);
		free_netdev(info->ndev);
		xenbus_dev_fatal(dev, err, "registering the net device");
		return err;
	}
	dev_info(&dev->dev, "%s: %pM%s\n", netdev_name(info->ndev), mac,
		 info->trusted ? "" :
		 ", backend not trusted (it only ever sees packet data)");
	return 0;
}

static void netfront_remove(struct xenbus_device *dev)
{
	struct netfront_info *info = dev_get_drvdata(&dev->dev);

	cancel_work_sync(&info->xdp_work);
	cancel_delayed_work_sync(&info->mc_work);
	mutex_lock(&info->mutex);
	netfront_disconnect(info);
	netfront_retired_release(info, true);
	mutex_unlock(&info->mutex);
	/* Detaches any XDP program, which may queue the works again. */
	unregister_netdev(info->ndev);
	cancel_work_sync(&info->xdp_work);
	cancel_delayed_work_sync(&info->mc_work);
	dev_set_drvdata(&dev->dev, NULL);
	free_netdev(info->ndev);
}

static int netfront_resume(struct xenbus_device *dev)
{
	struct netfront_info *info = dev_get_drvdata(&dev->dev);

	mutex_lock(&info->mutex);
	netfront_disconnect(info);
	mutex_unlock(&info->mutex);
	return 0;
}

static ssize_t grants_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&netfront_nr_grants));
}
static DRIVER_ATTR_RO(grants);

static ssize_t pages_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&netfront_nr_pages));
}
static DRIVER_ATTR_RO(pages);

static ssize_t lost_pages_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&netfront_nr_lost));
}
static DRIVER_ATTR_RO(lost_pages);

static struct attribute *netfront_drv_attrs[] = {
	&driver_attr_grants.attr,
	&driver_attr_pages.attr,
	&driver_attr_lost_pages.attr,
	NULL
};
ATTRIBUTE_GROUPS(netfront_drv);

static const struct xenbus_device_id netfront_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver netfront_driver = {
	.ids = netfront_ids,
	.probe = netfront_probe,
	.remove = netfront_remove,
	.resume = netfront_resume,
	.otherend_changed = netfront_backend_changed,
	.not_essential = true,
	.driver.groups = netfront_drv_groups,
};

/**
 * netfront_xenbus_register() - register the xenbus frontend driver
 *
 * Return: 0 or a negative errno.
 */
int netfront_xenbus_register(void)
{
	return xenbus_register_frontend(&netfront_driver);
}

/**
 * netfront_xenbus_unregister() - unregister the xenbus frontend driver
 */
void netfront_xenbus_unregister(void)
{
	xenbus_unregister_driver(&netfront_driver);
}
