// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netback: the xenbus backend device and the module.
 *
 * All transitions run in the xenwatch thread under vif->mutex:
 *
 *   - probe: create the net_device "vif<domid>.<handle>" (the hotplug
 *     script looks for it), advertise our features, go to InitWait, and
 *     send the "online" uevent that udev-run hotplug scripts wait for;
 *   - frontend Connected while we wait in InitWait: read the frontend's
 *     keys once each, validate them in private memory, map every queue's
 *     rings and start them, and the control ring if it set one up,
 *     then go to Connected once the hotplug script said
 *     "hotplug-status" = "connected" (at once if it already did);
 *   - frontend Closing: stop the queues, go to Closing;
 *   - frontend Closed: the same, go to Closed, and remove the device if
 *     the toolstack has taken it offline;
 *   - frontend back in Initialising while we are Closed or Closing: go to
 *     InitWait again, so that it can reconnect;
 *   - remove: send the "offline" uevent while the net_device still exists.
 *
 * A queue that sees the frontend break the protocol stops itself at once
 * (without sleeping: it runs in NAPI) and a work item sends the device to
 * Closing with xenbus_dev_fatal(); only this vif goes down.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string_choices.h>
#include <xen/compat_param.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xenbus_parse.h>
#include <xen/xenbus_peer.h>
#include <xen/xenbus_state.h>
#include "netback.h"

/*
 * Runtime-writable parameters are read with READ_ONCE() when a vif
 * advertises its features (probe, and each return to InitWait), so a
 * change applies from the next connection on.
 */
static unsigned int max_queues;
module_param(max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues, "Most queues per vif a frontend may use (default 0: dom0's CPUs, at most 8); a change applies to the next connection");

static bool separate_tx_rx_irq = true;
module_param(separate_tx_rx_irq, bool, 0644);
MODULE_PARM_DESC(separate_tx_rx_irq, "Offer feature-split-event-channels: one event channel for each direction (default on); a change applies to the next connection");

static bool provides_xdp_headroom = true;
module_param(provides_xdp_headroom, bool, 0644);
MODULE_PARM_DESC(provides_xdp_headroom, "Offer feature-xdp-headroom and honour the frontend's xdp-headroom (default on); a change applies to the next connection");

/*
 * Stored for sysfs only: see XEN_PARAM_NO_EFFECT().  Upstream keeps the
 * Toeplitz hashes of this many recent flows per vif, in a list that each
 * packet searches with a memcmp() per entry.  We hash every packet
 * instead: on x86-64 netif_toeplitz() takes 83 ns for IPv4+TCP and 250 ns
 * for IPv6+TCP, for one flow as for many.  Such a list costs 2.6 (IPv4)
 * to 3.6 ns (IPv6) per entry searched, and each miss adds 400 to 500 ns
 * (the search, then a second one to insert and evict) to the hash it
 * does not save.  It would pay only above about 85% (IPv4) or 70% (IPv6)
 * hits near the front of the list, and a vif with more flows than entries
 * almost never hits.  "make bench" in tools/testing/xen measures both.
 */
static unsigned int hash_cache_size = 64;
XEN_PARAM_NO_EFFECT(hash_cache_size, hash_cache_size, uint, 0644,
		    "received packets are hashed as they come, with no cache of flows");
MODULE_PARM_DESC(hash_cache_size, "Accepted for compatibility, no effect: there is no cache of flow hashes (default 64)");

static unsigned int max_skb_slots = XEN_NETIF_NR_SLOTS_MIN;
module_param(max_skb_slots, uint, 0444);
MODULE_PARM_DESC(max_skb_slots, "Data slots of a transmitted packet above which it is dropped (at least 18)");

static unsigned int fatal_skb_slots = 20;
module_param(fatal_skb_slots, uint, 0444);
MODULE_PARM_DESC(fatal_skb_slots, "Data slots of a transmitted packet above which the frontend is disconnected (at most 32)");

/* A xenstore value we parse is at most this long. */
#define NETBACK_VAL_MAX		32

/*
 * Protects a vif from being freed while netback_uevent() reads it: the
 * driver data of every vif's xenbus device is set and cleared under it.
 * Userspace can ask for a uevent at any time (by writing to the device's
 * "uevent" file), without the device lock that orders probe and remove.
 * Innermost: taken at most inside the driver core's device lock.
 */
static DEFINE_MUTEX(netback_uevent_lock);

static void netback_set_drvdata(struct xenbus_device *dev,
				struct netback_vif *vif)
{
	mutex_lock(&netback_uevent_lock);
	dev_set_drvdata(&dev->dev, vif);
	mutex_unlock(&netback_uevent_lock);
}

/*
 * The variables upstream adds to the uevents of a vif's xenbus device,
 * for hotplug scripts run by udev: "script", the toolstack's "script" key
 * as read at probe, and "vif", the net_device's name.  Only between the
 * registration of the net_device in probe and its removal.
 */
static int netback_uevent(const struct xenbus_device *xdev,
			  struct kobj_uevent_env *env)
{
	struct netback_vif *vif;
	int err = 0;

	mutex_lock(&netback_uevent_lock);
	vif = dev_get_drvdata(&xdev->dev);
	if (vif && vif->hotplug_script)
		err = add_uevent_var(env, "script=%s", vif->hotplug_script);
	if (vif && !err)
		err = add_uevent_var(env, "vif=%s", netdev_name(vif->ndev));
	mutex_unlock(&netback_uevent_lock);
	return err;
}

static u32 netback_queue_limit(void)
{
	u32 n = READ_ONCE(max_queues);

	if (!n)
		n = num_online_cpus();

	return clamp_t(u32, n, 1, NETBACK_MAX_QUEUES);
}

/* Read the keys of one frontend directory with @parse; 0 or an error. */
static int netback_read_keys(struct netback_vif *vif, const char *dir,
			     unsigned int nr,
			     const char *(*name)(unsigned int),
			     int (*parse)(struct netback_keys *, const char *,
					  const char *),
			     struct netback_keys *keys)
{
	unsigned int k;
	int err;

	memset(keys, 0, sizeof(*keys));
	for (k = 0; k < nr; k++) {
		const char *key = name(k);
		char *s = xenbus_read_peer(dir, key, NETBACK_VAL_MAX);

		if (PTR_ERR(s) == -ENOENT)
			continue;
		if (IS_ERR(s)) {
			err = -EINVAL;
		} else {
			err = parse(keys, key, s);
			kfree(s);
		}
		if (err) {
			xenbus_dev_fatal(vif->xbdev, err, "frontend key %s/%s",
					 dir, key);
			return err;
		}
	}
	return 0;
}

/* Every queue's rings and event channels, validated. */
static int netback_read_queues(struct netback_vif *vif,
			       const struct netback_conf *conf,
			       struct netback_queue_conf *qc)
{
	struct xenbus_device *dev = vif->xbdev;
	struct netback_keys keys;
	const char *why;
	unsigned int i;
	int err = 0;

	for (i = 0; i < conf->nr_queues && !err; i++) {
		char *dir;

		if (conf->nr_queues == 1)
			dir = kstrdup(dev->otherend, GFP_KERNEL);
		else
			dir = kasprintf(GFP_KERNEL, "%s/queue-%u",
					dev->otherend, i);
		if (!dir)
			return -ENOMEM;
		err = netback_read_keys(vif, dir, NETBACK_Q_NR,
					netback_q_key_name, netback_parse_q_key,
					&keys);
		if (!err) {
			err = netback_choose_queue(&keys, &vif->offer, &qc[i],
						   &why);
			if (err)
				xenbus_dev_fatal(dev, err, "queue %u: %s", i,
						 why);
		}
		kfree(dir);
	}
	return err;
}

/* The toolstack's "rate" key: bytes per interval, or no limit. */
static void netback_read_rate(struct netback_vif *vif)
{
	char *s = xenbus_read(XBT_NIL, vif->xbdev->nodename, "rate", NULL);
	u64 bytes = 0;
	u32 usec = 0;

	if (!IS_ERR(s)) {
		if (netback_parse_rate(s, &bytes, &usec))
			dev_warn(&vif->xbdev->dev, "ignoring rate \"%s\"\n", s);
		kfree(s);
	}
	WRITE_ONCE(vif->rate_usec, usec);
	WRITE_ONCE(vif->rate_bytes, bytes);
}

static void netback_rate_changed(struct xenbus_watch *watch,
				 const char *path, const char *token)
{
	struct netback_vif *vif = container_of(watch, struct netback_vif,
					       rate_watch);

	mutex_lock(&vif->mutex);
	netback_read_rate(vif);
	mutex_unlock(&vif->mutex);
}

/* "request-multicast-control" may change while connected. */
static void netback_mcast_changed(struct xenbus_watch *watch,
				  const char *path, const char *token)
{
	struct netback_vif *vif = container_of(watch, struct netback_vif,
					       mcast_watch);
	char *s;
	u64 on = 0;

	mutex_lock(&vif->mutex);
	s = xenbus_read_peer(vif->xbdev->otherend, "request-multicast-control",
			     NETBACK_VAL_MAX);
	if (!IS_ERR(s)) {
		if (xenbus_parse_uint(s, 1, &on))
			on = 0;
		kfree(s);
	}
	if (vif->connected)
		WRITE_ONCE(vif->mcast_filter, on);
	mutex_unlock(&vif->mutex);
}

static void netback_unwatch(struct xenbus_watch *watch, bool *set)
{
	if (!*set)
		return;
	unregister_xenbus_watch(watch);
	kfree(watch->node);
	watch->node = NULL;
	*set = false;
}

static bool netback_hotplug_done(struct netback_vif *vif)
{
	char *s = xenbus_read(XBT_NIL, vif->xbdev->nodename, "hotplug-status",
			      NULL);
	bool done = !IS_ERR(s) && !strcmp(s, "connected");

	if (!IS_ERR(s))
		kfree(s);
	return done;
}

/* Connected in the store, once the rings are up and the script ran. */
static void netback_announce(struct netback_vif *vif)
{
	struct xenbus_device *dev = vif->xbdev;

	if (!vif->connected || dev->state != XENBUS_STATE_INITWAIT ||
	    !netback_hotplug_done(vif))
		return;
	netback_unwatch(&vif->hotplug_watch, &vif->hotplug_watch_set);
	xenbus_switch_state(dev, XENBUS_STATE_CONNECTED);
	netdev_info(vif->ndev, "connected: %u queue(s)%s, sg %s, gso%s%s, csum%s%s%s%s\n",
		    vif->nr_queues,
		    vif->queues && vif->queues[0].conf.split ? " with split event channels" : "",
		    str_on_off(vif->conf.sg),
		    vif->conf.gso_types & BIT(XEN_NETIF_GSO_TYPE_TCPV4) ? " tcpv4" : "",
		    vif->conf.gso_types & BIT(XEN_NETIF_GSO_TYPE_TCPV6) ? " tcpv6" : "",
		    vif->conf.ipv4_csum ? " ipv4" : "",
		    vif->conf.ipv6_csum ? " ipv6" : "",
		    vif->ctrl ? ", control ring" : "",
		    vif->rate_bytes ? ", rate limited" : "");
}

static void netback_hotplug_changed(struct xenbus_watch *watch,
				    const char *path, const char *token)
{
	struct netback_vif *vif = container_of(watch, struct netback_vif,
					       hotplug_watch);

	mutex_lock(&vif->mutex);
	netback_announce(vif);
	mutex_unlock(&vif->mutex);
}

static void netback_disconnect(struct netback_vif *vif)
{
	netback_unwatch(&vif->hotplug_watch, &vif->hotplug_watch_set);
	/* Its files point at the queues and the control ring. */
	netback_debugfs_del(vif);
	netback_ctrl_stop(vif);
	netback_queues_stop(vif);
	/*
	 * Nothing can queue it any more: a report of this connection must
	 * not close the next one.
	 */
	cancel_work_sync(&vif->fatal_work);
}

static void netback_try_connect(struct netback_vif *vif)
{
	struct xenbus_device *dev = vif->xbdev;
	struct netback_queue_conf *qc = NULL;
	struct netback_conf conf;
	struct netback_keys fe;
	const char *why;
	int err;

	if (vif->connected || dev->state != XENBUS_STATE_INITWAIT)
		return;
	if (xenbus_read_driver_state(dev->otherend) != XENBUS_STATE_CONNECTED)
		return;
	if (netback_read_keys(vif, dev->otherend, NETBACK_FE_NR,
			      netback_fe_key_name, netback_parse_fe_key, &fe))
		return;
	if (netback_choose(&fe, &vif->offer, &conf, &why)) {
		xenbus_dev_fatal(dev, -EINVAL, "%s", why);
		return;
	}
	/* Without it we would have to poll for receive buffers. */
	if (!conf.rx_notify) {
		xenbus_dev_fatal(dev, -EINVAL, "feature-rx-notify is required");
		return;
	}
	qc = kcalloc(conf.nr_queues, sizeof(*qc), GFP_KERNEL);
	if (!qc)
		return;
	if (netback_read_queues(vif, &conf, qc))
		goto out;

	/* Not offered: not honoured either (a frontend may write it anyway). */
	if (!vif->offer.xdp_headroom)
		conf.xdp_headroom = 0;
	else if (netback_xdp_headroom(&fe, &conf.xdp_headroom))
		dev_warn(&dev->dev, "xdp-headroom above %u: not honoured\n",
			 NETBACK_XDP_HEADROOM_MAX);
	rtnl_lock();
	vif->conf = conf;
	rtnl_unlock();
	WRITE_ONCE(vif->xdp_headroom, conf.xdp_headroom);
	vif->tx_lim.drop_slots = max_skb_slots;
	vif->tx_lim.fatal_slots = fatal_skb_slots;
	vif->tx_lim.gso_types = BIT(XEN_NETIF_GSO_TYPE_TCPV4) |
				BIT(XEN_NETIF_GSO_TYPE_TCPV6);
	netback_read_rate(vif);
	netback_mcast_clear(vif);
	WRITE_ONCE(vif->mcast_filter, conf.mcast);
	vif->fatal_why = NULL;

	err = netback_queues_start(vif, qc);
	if (err)
		goto out;
	if (conf.ctrl_ring && netback_ctrl_start(vif)) {
		netback_queues_stop(vif);
		goto out;
	}
	netback_debugfs_add(vif);
	if (!netback_hotplug_done(vif)) {
		/* The script has not run yet: Connected when it has. */
		err = xenbus_watch_pathfmt(dev, &vif->hotplug_watch, NULL,
					   netback_hotplug_changed, "%s/%s",
					   dev->nodename, "hotplug-status");
		if (!err)
			vif->hotplug_watch_set = true;
	}
	netback_announce(vif);
out:
	kfree(qc);
}

static void netback_fatal_work(struct work_struct *work)
{
	struct netback_vif *vif = container_of(work, struct netback_vif,
					       fatal_work);
	const char *why = READ_ONCE(vif->fatal_why);

	netdev_err(vif->ndev, "frontend broke the protocol: %s; closing the vif\n",
		   why);
	xenbus_dev_fatal(vif->xbdev, -EPROTO, "frontend broke the protocol: %s",
			 why);
}

/**
 * netback_fatal() - a queue saw the frontend break the protocol
 * @q: the queue, from its NAPI poll
 * @why: what the frontend did (a string constant)
 *
 * The queue stops at once: nothing more is consumed, produced or
 * acknowledged.  Never sleeps (XSA-90); closing the device is left to a
 * work item.  Only this vif is affected.
 */
void netback_fatal(struct netback_queue *q, const char *why)
{
	struct netback_vif *vif = q->vif;

	if (READ_ONCE(q->broken))
		return;
	WRITE_ONCE(q->broken, true);
	netif_tx_stop_queue(netdev_get_tx_queue(vif->ndev, q->index));
	netback_vif_fatal(vif, why);
}

/**
 * netback_vif_fatal() - the frontend broke the protocol: close the vif
 * @vif: the vif
 * @why: what the frontend did (a string constant)
 *
 * Counts the breach, turns the carrier off for the rest of the connection
 * (a queue the guest serves again does not turn it back on) and leaves
 * closing the device to a work item; the first reason is the one
 * reported.  Never sleeps.
 */
void netback_vif_fatal(struct netback_vif *vif, const char *why)
{
	atomic_inc(&vif->broken_count);
	cmpxchg(&vif->fatal_why, NULL, why);
	netback_carrier_broken(vif);
	schedule_work(&vif->fatal_work);
}

static int netback_fill_features(struct xenbus_transaction xbt, void *arg)
{
	struct netback_vif *vif = arg;
	const struct xenbus_uint_key keys[] = {
		{ "feature-sg", 1 },
		{ "feature-gso-tcpv4", 1 },
		{ "feature-gso-tcpv6", 1 },
		{ "feature-ipv6-csum-offload", 1 },
		{ "feature-rx-copy", 1 },
		{ "feature-rx-flip", 0 },
		{ "feature-multicast-control", 1 },
		{ "feature-dynamic-multicast-control", 1 },
		{ "feature-split-event-channels", vif->offer.split_evtchn },
		{ "feature-ctrl-ring", vif->offer.ctrl_ring },
		{ "feature-xdp-headroom", vif->offer.xdp_headroom },
		{ "multi-queue-max-queues", vif->offer.max_queues },
	};

	return xenbus_write_uints(xbt, vif->xbdev->nodename, keys,
				  ARRAY_SIZE(keys));
}

/*
 * Take the offer from the module parameters as they are now, and write
 * it to the store.  Before every InitWait, so that a parameter changed at
 * runtime applies to the next connection, and the frontend's choice is
 * judged against what it read.
 */
static int netback_advertise(struct netback_vif *vif)
{
	struct netback_offer old = vif->offer;
	int err;

	vif->offer.max_queues = netback_queue_limit();
	vif->offer.split_evtchn = READ_ONCE(separate_tx_rx_irq);
	vif->offer.xdp_headroom = READ_ONCE(provides_xdp_headroom);
	err = xenbus_transact(netback_fill_features, vif);
	if (err)
		vif->offer = old;	/* the transaction wrote nothing */
	return err;
}

static int netback_probe(struct xenbus_device *dev,
			 const struct xenbus_device_id *id)
{
	struct netback_vif *vif;
	char *s;
	u64 handle = 0;
	int err;

	s = xenbus_read(XBT_NIL, dev->nodename, "handle", NULL);
	if (IS_ERR(s)) {
		xenbus_dev_fatal(dev, PTR_ERR(s), "reading handle");
		return PTR_ERR(s);
	}
	err = xenbus_parse_uint(s, U32_MAX, &handle);
	kfree(s);
	if (err) {
		xenbus_dev_fatal(dev, err, "parsing handle");
		return err;
	}
	vif = netback_ndev_alloc(dev, handle);
	if (IS_ERR(vif)) {
		xenbus_dev_fatal(dev, PTR_ERR(vif), "creating the interface");
		return PTR_ERR(vif);
	}
	INIT_WORK(&vif->fatal_work, netback_fatal_work);
	vif->offer.ctrl_ring = true;
	/* Written by the toolstack for its scripts; we only pass it on. */
	s = xenbus_read(XBT_NIL, dev->nodename, "script", NULL);
	vif->hotplug_script = IS_ERR(s) ? NULL : s;

	err = register_netdev(vif->ndev);
	if (err) {
		xenbus_dev_fatal(dev, err, "registering the interface");
		goto fail_free;
	}
	/* From here on, uevents carry the vif's name and script. */
	netback_set_drvdata(dev, vif);
	err = netback_advertise(vif);
	if (err)
		goto fail;
	err = xenbus_watch_pathfmt(dev, &vif->rate_watch, NULL,
				   netback_rate_changed, "%s/%s",
				   dev->nodename, "rate");
	if (err)
		goto fail;
	vif->rate_watch_set = true;
	err = xenbus_watch_pathfmt(dev, &vif->mcast_watch, NULL,
				   netback_mcast_changed, "%s/%s",
				   dev->otherend, "request-multicast-control");
	if (err)
		goto fail;
	vif->mcast_watch_set = true;
	/* The hotplug script runs once this is in the store. */
	err = xenbus_switch_state(dev, XENBUS_STATE_INITWAIT);
	if (err)
		goto fail;
	/* Udev's rules for vif devices run the hotplug script on it. */
	kobject_uevent(&dev->dev.kobj, KOBJ_ONLINE);
	return 0;

fail:
	xenbus_dev_fatal(dev, err, "setting up the backend");
	netback_unwatch(&vif->mcast_watch, &vif->mcast_watch_set);
	netback_unwatch(&vif->rate_watch, &vif->rate_watch_set);
	netback_set_drvdata(dev, NULL);
	unregister_netdev(vif->ndev);
fail_free:
	kfree(vif->hotplug_script);
	free_netdev(vif->ndev);
	return err;
}

static void netback_remove(struct xenbus_device *dev)
{
	struct netback_vif *vif = dev_get_drvdata(&dev->dev);
	bool hotplug_set;

	/*
	 * Udev's rules for vif devices run the script's "offline" on it,
	 * which wants the net_device still there.  A device bound again
	 * waits for the script to run again, as a new one would.
	 */
	kobject_uevent(&dev->dev.kobj, KOBJ_OFFLINE);
	xenbus_rm(XBT_NIL, dev->nodename, "hotplug-status");
	netback_unwatch(&vif->mcast_watch, &vif->mcast_watch_set);
	netback_unwatch(&vif->rate_watch, &vif->rate_watch_set);
	/*
	 * Off xenwatch (an unbind, or rmmod), unregistering a watch waits
	 * for xenwatch, whose hotplug callback may be waiting for the
	 * mutex: take the watch out of the connection first, and drop it
	 * without the mutex.  The xenbus core stopped the frontend's watch,
	 * the only path that sets it up again, before calling us.
	 */
	mutex_lock(&vif->mutex);
	hotplug_set = vif->hotplug_watch_set;
	vif->hotplug_watch_set = false;
	mutex_unlock(&vif->mutex);
	netback_unwatch(&vif->hotplug_watch, &hotplug_set);
	mutex_lock(&vif->mutex);
	netback_disconnect(vif);
	mutex_unlock(&vif->mutex);
	cancel_work_sync(&vif->fatal_work);
	netback_set_drvdata(dev, NULL);
	unregister_netdev(vif->ndev);
	kfree(vif->hotplug_script);
	free_netdev(vif->ndev);
}

/*
 * Frontend Reconfiguring: it changed its "xdp-headroom".  Packets already
 * in its buffers keep the offset they were given; the next ones take the
 * new one.
 */
static void netback_reconfigure(struct netback_vif *vif)
{
	struct xenbus_device *dev = vif->xbdev;
	struct netback_keys fe;
	u16 headroom = 0;
	char *s;

	if (!vif->connected)
		return;
	memset(&fe, 0, sizeof(fe));
	s = ERR_PTR(-ENOENT);
	if (vif->offer.xdp_headroom)
		s = xenbus_read_peer(dev->otherend, "xdp-headroom",
				     NETBACK_VAL_MAX);
	if (!IS_ERR(s)) {
		if ((netback_parse_fe_key(&fe, "xdp-headroom", s) ||
		     netback_xdp_headroom(&fe, &headroom)) && net_ratelimit())
			dev_warn(&dev->dev, "xdp-headroom \"%s\" not honoured\n",
				 s);
		kfree(s);
	}
	/* A frontend may go back and forth: no log flood for it. */
	if (headroom != vif->xdp_headroom && net_ratelimit())
		netdev_info(vif->ndev, "receive headroom %u\n", headroom);
	WRITE_ONCE(vif->xdp_headroom, headroom);
	if (dev->state == XENBUS_STATE_CONNECTED)
		xenbus_switch_state(dev, XENBUS_STATE_RECONFIGURED);
}

static void netback_frontend_changed(struct xenbus_device *dev,
				     enum xenbus_state fstate)
{
	struct netback_vif *vif = dev_get_drvdata(&dev->dev);
	bool unregister = false;

	dev_dbg(&dev->dev, "frontend %s, we are %s\n", xenbus_strstate(fstate),
		xenbus_strstate(dev->state));
	mutex_lock(&vif->mutex);
	switch (fstate) {
	case XENBUS_STATE_INITIALISING:
		if (dev->state == XENBUS_STATE_CLOSED ||
		    dev->state == XENBUS_STATE_CLOSING) {
			netback_disconnect(vif);
			/* On failure both keep the previous offer. */
			if (netback_advertise(vif))
				dev_warn(&dev->dev, "could not update the features\n");
			xenbus_switch_state(dev, XENBUS_STATE_INITWAIT);
		}
		break;
	case XENBUS_STATE_CONNECTED:
		/* Its Initialising came and went between two events. */
		if (dev->state == XENBUS_STATE_CLOSED)
			xenbus_switch_state(dev, XENBUS_STATE_INITWAIT);
		/* Back from Reconfiguring. */
		if (dev->state == XENBUS_STATE_RECONFIGURED)
			xenbus_switch_state(dev, XENBUS_STATE_CONNECTED);
		netback_try_connect(vif);
		break;
	case XENBUS_STATE_RECONFIGURING:
		netback_reconfigure(vif);
		break;
	case XENBUS_STATE_CLOSING:
		netback_disconnect(vif);
		xenbus_switch_state(dev, XENBUS_STATE_CLOSING);
		break;
	case XENBUS_STATE_CLOSED:
	case XENBUS_STATE_UNKNOWN:
		netback_disconnect(vif);
		xenbus_switch_state(dev, XENBUS_STATE_CLOSED);
		unregister = fstate == XENBUS_STATE_UNKNOWN ||
			     !xenbus_dev_is_online(dev);
		break;
	default:
		break;
	}
	mutex_unlock(&vif->mutex);
	if (unregister)
		device_unregister(&dev->dev);
}

static ssize_t ring_pages_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&netback_nr_ring_pages));
}
static DRIVER_ATTR_RO(ring_pages);

static struct attribute *netback_drv_attrs[] = {
	&driver_attr_ring_pages.attr,
	NULL
};
ATTRIBUTE_GROUPS(netback_drv);

static const struct xenbus_device_id netback_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver netback_driver = {
	.ids = netback_ids,
	.probe = netback_probe,
	.remove = netback_remove,
	.otherend_changed = netback_frontend_changed,
	.uevent = netback_uevent,
	.allow_rebind = true,
	.driver.groups = netback_drv_groups,
};

static int __init netback_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	/* Before any vif can connect and look for it. */
	netback_debugfs_init();
	err = xenbus_register_backend(&netback_driver);
	if (err)
		netback_debugfs_exit();
	return err;
}
module_init(netback_init);

static void __exit netback_exit(void)
{
	xenbus_unregister_driver(&netback_driver);
	netback_debugfs_exit();
}
module_exit(netback_exit);

MODULE_DESCRIPTION("Xen virtual network device backend");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vif");
