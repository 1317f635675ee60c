// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netfront: the control ring and receive-side hashing.
 *
 * When the backend offers a control ring, the frontend sets one up with
 * the data rings and, once connected, asks for Toeplitz hashing of IPv4
 * and IPv6 packets (with TCP ports where it can): the key, the hash types
 * and a mapping table from hash to queue, the table being ethtool's
 * indirection table.  The backend then steers each packet to the queue
 * the table names and passes its hash in a HASH extra, which becomes the
 * skb's hash.
 *
 * Requests go one at a time, under rtnl: ethtool's callers hold it, and
 * connect and teardown take it.  The key or table a request points at is
 * written to a page granted read-only to the backend.  Each response is
 * copied once and must answer the one outstanding request (id and type);
 * anything else is a protocol violation that closes the device.  A
 * backend that does not answer in time leaves hashing off for this
 * connection; its late answer is still accepted.
 *
 * While the backend hashes for us, each packet we send leaves on the
 * queue the backend will steer its replies to (netfront_select_queue()):
 * the mapping table's entry for the Toeplitz hash of the flow with source
 * and destination swapped, so a flow's transmit completions and received
 * packets are handled by the same queue's NAPI poll.  What the backend
 * does not hash, and everything while hashing is off, goes where the
 * stack picks (netdev_pick_tx()).
 *
 * The hash settings belong to rtnl.  The transmit path, which cannot take
 * it, reads a copy published with RCU: whoever changes the settings under
 * rtnl (connect, teardown, ethtool's set_rxfh) publishes a new copy whole
 * and frees the old one after a grace period, so a reader sees either
 * the old key and table or the new ones, never a mix.  The copy is
 * allocated before the backend is asked, so that publishing what the
 * backend took cannot fail.
 */
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/xenbus.h>
#include "netfront.h"

/* How long a request may wait for its response. */
#define NETFRONT_CTRL_TIMEOUT_MS	2000

/**
 * struct netfront_ctrl - the control ring of a connection
 * @info: the device
 * @ring: private view of the ring
 * @va: the ring page
 * @ring_ref: its grant
 * @data: page the backend reads a request's key or table from
 * @evtchn: the ring's event channel
 * @irq: its irq, 0 when unbound
 * @lock: protects everything below, between the requester and the irq
 * @done: completed when the outstanding request is answered
 * @waiting: a request is outstanding: @id, @type
 * @id: id of the last request sent
 * @type: its type
 * @err: its result (netfront_ctrl_rsp())
 * @value: its result's value
 * @dead: the backend did not answer in time; no more requests
 * @broken: the backend broke the protocol; its events stay
 *	unacknowledged
 * @name: irq name
 */
struct netfront_ctrl {
	struct netfront_info *info;
	struct xenring ring;
	void *va;
	grant_ref_t ring_ref;
	struct netfront_buf data;
	evtchn_port_t evtchn;
	unsigned int irq;

	spinlock_t lock;	/* see the kernel-doc above */
	struct completion done;
	bool waiting;
	u16 id;
	u16 type;
	int err;
	u32 value;
	bool dead;
	bool broken;
	char name[IFNAMSIZ + 16];
};

/* Take the responses; the reason if the backend broke the protocol. */
static const char *netfront_ctrl_take(struct netfront_ctrl *c)
{
	struct xen_netif_ctrl_response rsp;
	int avail, err;
	u32 value;

	for (;;) {
		avail = xenring_rsp_avail(&c->ring);
		if (avail < 0)
			return "control response producer beyond the ring";
		if (!avail) {
			if (xenring_rsp_rearm(&c->ring))
				continue;
			return NULL;
		}
		xenring_take_rsp(&c->ring, &rsp, sizeof(rsp));
		if (!c->waiting)
			return "control response to no request";
		err = netfront_ctrl_rsp(&rsp, c->id, c->type, &value);
		if (err == -EPROTO)
			return "control response to another request";
		c->waiting = false;
		c->err = err;
		c->value = value;
		complete(&c->done);
	}
}

static irqreturn_t netfront_ctrl_interrupt(int irq, void *dev_id)
{
	struct netfront_ctrl *c = dev_id;
	u32 cons;
	const char *why;

	spin_lock(&c->lock);
	if (c->broken) {
		/* Never acknowledged: a broken backend's events stop here. */
		spin_unlock(&c->lock);
		return IRQ_HANDLED;
	}
	cons = c->ring.cons;
	why = netfront_ctrl_take(c);
	if (why) {
		c->broken = true;
		c->waiting = false;
		c->err = -EPROTO;
		complete(&c->done);
	}
	spin_unlock(&c->lock);
	if (why) {
		netfront_info_fail(c->info, why);
		return IRQ_HANDLED;
	}
	xen_irq_lateeoi(irq, c->ring.cons == cons ? XEN_EOI_FLAG_SPURIOUS : 0);
	return IRQ_HANDLED;
}

/* Send one request and wait for its answer; 0 or a negative errno. */
static int netfront_ctrl_req(struct netfront_ctrl *c, u16 type, u32 d0,
			     u32 d1, u32 d2, u32 *value)
{
	struct xen_netif_ctrl_request req = {
		.type = type,
		.data = { d0, d1, d2 },
	};
	unsigned long left;
	bool notify;
	int err;

	ASSERT_RTNL();
	spin_lock_irq(&c->lock);
	/* One request at a time: the ring always has room for it. */
	if (c->broken || c->dead || c->waiting || !xenring_req_space(&c->ring)) {
		spin_unlock_irq(&c->lock);
		return -EIO;
	}
	req.id = ++c->id;
	c->type = type;
	c->waiting = true;
	reinit_completion(&c->done);
	memcpy(xenring_next_req(&c->ring), &req, sizeof(req));
	xenring_advance_req(&c->ring);
	notify = xenring_push_reqs(&c->ring);
	spin_unlock_irq(&c->lock);
	if (notify)
		notify_remote_via_irq(c->irq);

	left = wait_for_completion_timeout(&c->done,
					   msecs_to_jiffies(NETFRONT_CTRL_TIMEOUT_MS));
	spin_lock_irq(&c->lock);
	if (!left && c->waiting) {
		c->dead = true;
		err = -ETIMEDOUT;
	} else {
		err = c->err;
		if (value)
			*value = c->value;
	}
	spin_unlock_irq(&c->lock);
	return err;
}

/* Tell the backend the key (in our data page). */
static int netfront_ctrl_set_key(struct netfront_ctrl *c, const u8 *key)
{
	memcpy(page_address(c->data.page), key, NETFRONT_HASH_KEY_LEN);
	return netfront_ctrl_req(c, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY,
				 c->data.ref, NETFRONT_HASH_KEY_LEN, 0, NULL);
}

/* Tell the backend the whole mapping table (in our data page). */
static int netfront_ctrl_set_table(struct netfront_ctrl *c, const u32 *table,
				   u32 size)
{
	memcpy(page_address(c->data.page), table, size * sizeof(u32));
	return netfront_ctrl_req(c, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
				 c->data.ref, size, 0, NULL);
}

/* Ask for hashing as the device's key and table say. */
static int netfront_ctrl_hash_on(struct netfront_info *info)
{
	struct netfront_ctrl *c = info->ctrl;
	u32 n = info->conf.nr_queues, types, size, i;
	bool keep;
	int err;

	err = netfront_ctrl_req(c, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
				XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0,
				NULL);
	if (!err)
		err = netfront_ctrl_req(c, XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS,
					0, 0, 0, &types);
	if (!err && !types)
		err = -EOPNOTSUPP;
	if (!err)
		err = netfront_ctrl_req(c, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
					types, 0, 0, NULL);
	if (!err)
		err = netfront_ctrl_set_key(c, info->hash.key);
	if (!err)
		err = netfront_ctrl_req(c,
					XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE,
					0, 0, 0, &size);
	/* Steering needs a table of at least one entry per queue. */
	if (!err && size < n)
		err = -EOPNOTSUPP;
	if (err)
		return err;
	err = netfront_ctrl_req(c, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE,
				size, 0, 0, NULL);
	if (err)
		return err;
	/* The administrator's table survives a reconnect if it still fits. */
	keep = info->hash.size == size;
	for (i = 0; keep && i < size; i++)
		keep = info->hash.table[i] < n;
	for (i = 0; !keep && i < size; i++)
		info->hash.table[i] = ethtool_rxfh_indir_default(i, n);
	err = netfront_ctrl_set_table(c, info->hash.table, size);
	if (err)
		return err;
	info->hash.size = size;
	info->hash.types = types;
	return 0;
}

static bool netfront_hashing(const struct netfront_info *info)
{
	return info->ctrl && info->hash.types;
}

/*
 * Publish the hash settings for the transmit path in @s, allocated by the
 * caller (and freed here if hashing is off), or nothing while hashing is
 * off.  The copy it replaces is freed after a grace period.  Under rtnl.
 */
static void netfront_steer_publish(struct netfront_info *info,
				   struct netfront_steer *s)
{
	struct netfront_steer *old = rtnl_dereference(info->steer);

	if (s && netfront_hashing(info)) {
		s->hash = info->hash;
	} else {
		kfree(s);
		s = NULL;
	}
	rcu_assign_pointer(info->steer, s);
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * netfront_ctrl_setup() - set up the control ring of a new connection
 * @info: the device, with @info->conf.ctrl_ring chosen
 *
 * Called with the device mutex and rtnl held, before the keys are
 * published.
 *
 * Return: 0, or a negative errno after undoing everything.
 */
int netfront_ctrl_setup(struct netfront_info *info)
{
	struct xenbus_device *dev = info->xbdev;
	struct netfront_ctrl *c;
	int err;

	ASSERT_RTNL();
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->info = info;
	spin_lock_init(&c->lock);
	init_completion(&c->done);
	info->ctrl = c;
	err = netfront_ring_alloc(info, &c->va, &c->ring_ref, &c->ring,
				  NETIF_CTRL_SLOT_SIZE);
	if (!err)
		err = netfront_buf_alloc(info, &c->data, true);
	if (!err)
		err = xenbus_alloc_evtchn(dev, &c->evtchn);
	if (err)
		goto fail;
	snprintf(c->name, sizeof(c->name), "%s-ctrl", netdev_name(info->ndev));
	err = bind_evtchn_to_irqhandler_lateeoi(c->evtchn,
						netfront_ctrl_interrupt, 0,
						c->name, c);
	if (err < 0) {
		xenbus_free_evtchn(dev, c->evtchn);
		c->evtchn = 0;
		goto fail;
	}
	c->irq = err;
	return 0;

fail:
	xenbus_dev_fatal(dev, err, "setting up the control ring");
	netfront_ctrl_teardown(info);
	return err;
}

/**
 * netfront_ctrl_teardown() - free the control ring, if there is one
 * @info: the device
 *
 * Called with the device mutex and rtnl held.  Idempotent.
 */
void netfront_ctrl_teardown(struct netfront_info *info)
{
	struct netfront_ctrl *c = info->ctrl;

	ASSERT_RTNL();
	if (!c)
		return;
	/* Unbinding closes the port; no handler runs afterwards. */
	if (c->irq)
		unbind_from_irqhandler(c->irq, c);
	netfront_buf_retire(info, &c->data);
	netfront_ring_free(info, &c->va, &c->ring_ref);
	kfree(c);
	info->ctrl = NULL;
	info->hash.types = 0;
	netfront_steer_publish(info, NULL);
}

/**
 * netfront_ctrl_keys() - the control ring's keys for the store
 * @info: the device
 * @ref: set to the ring's grant
 * @evtchn: set to its event channel
 *
 * Return: true if there is a control ring to publish.
 */
bool netfront_ctrl_keys(const struct netfront_info *info, u32 *ref,
			u32 *evtchn)
{
	if (!info->ctrl)
		return false;
	*ref = info->ctrl->ring_ref;
	*evtchn = info->ctrl->evtchn;
	return true;
}

/**
 * netfront_ctrl_start() - turn hashing on once connected
 * @info: the device, connected, with a control ring
 *
 * Called with the device mutex and rtnl held.  A backend that refuses
 * leaves the device working without hashing.
 */
void netfront_ctrl_start(struct netfront_info *info)
{
	struct netfront_steer *s;
	int err;

	ASSERT_RTNL();
	if (!info->ctrl)
		return;
	s = kmalloc(sizeof(*s), GFP_KERNEL);
	err = s ? netfront_ctrl_hash_on(info) : -ENOMEM;
	if (err) {
		info->hash.types = 0;
		/* Whatever it took of our settings: no hashing after all. */
		if (err != -ETIMEDOUT && err != -EIO)
			netfront_ctrl_req(info->ctrl,
					  XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
					  XEN_NETIF_CTRL_HASH_ALGORITHM_NONE, 0,
					  0, NULL);
	}
	/* Frees @s if hashing is off. */
	netfront_steer_publish(info, s);
	if (err) {
		netdev_warn(info->ndev, "backend hashing not set up (%d); the backend picks the queues\n",
			    err);
		return;
	}
	netdev_info(info->ndev, "Toeplitz hashing, %u-entry table over %u queue(s); each flow sent on its replies' queue\n",
		    info->hash.size, info->conf.nr_queues);
}

/**
 * netfront_select_queue() - ndo_select_queue: send where the replies come
 * @ndev: our device
 * @skb: a packet to send, from its Ethernet header on
 * @sb_dev: the subordinate device, if any
 *
 * While the backend hashes for us, a packet it would hash the replies of
 * goes on the queue those replies come in on; anything else goes where
 * netdev_pick_tx() says.  Called with bottom halves off; takes the RCU
 * read lock for the published hash settings.
 *
 * Return: a queue below @ndev->real_num_tx_queues.
 */
u16 netfront_select_queue(struct net_device *ndev, struct sk_buff *skb,
			  struct net_device *sb_dev)
{
	struct netfront_info *info = netdev_priv(ndev);
	const struct netfront_steer *s;
	u8 hdr[NETFRONT_HASH_HDR_MAX];
	const u8 *frame;
	bool found = false;
	u32 q, len;

	rcu_read_lock();
	s = rcu_dereference(info->steer);
	/*
	 * A tag still out of band goes into the frame after this: the
	 * backend sees a tagged frame, which it does not hash.
	 */
	if (s && !skb_vlan_tag_present(skb)) {
		len = min_t(u32, skb->len, sizeof(hdr));
		frame = skb_header_pointer(skb, 0, len, hdr);
		found = frame && netfront_reply_queue(&s->hash, frame, len, &q);
	}
	rcu_read_unlock();
	/* A table set for more queues than a reconnect brought is not used. */
	if (found && q < ndev->real_num_tx_queues)
		return q;
	return netdev_pick_tx(ndev, skb, sb_dev);
}

/* ------------------------------------------------------------------ */
/* ethtool                                                             */
/* ------------------------------------------------------------------ */

/**
 * netfront_get_rxfh_key_size() - ethtool: the hash key's size
 * @ndev: the device
 *
 * Return: the key size, or 0 while the backend does not hash for us.
 */
u32 netfront_get_rxfh_key_size(struct net_device *ndev)
{
	return netfront_hashing(netdev_priv(ndev)) ? NETFRONT_HASH_KEY_LEN : 0;
}

/**
 * netfront_get_rxfh_indir_size() - ethtool: the indirection table's size
 * @ndev: the device
 *
 * Return: the backend's mapping table size, or 0 while it does not hash
 * for us.
 */
u32 netfront_get_rxfh_indir_size(struct net_device *ndev)
{
	struct netfront_info *info = netdev_priv(ndev);

	return netfront_hashing(info) ? info->hash.size : 0;
}

/**
 * netfront_get_rxfh() - ethtool: the hash function, key and table
 * @ndev: the device
 * @rxfh: filled in
 *
 * Return: 0, or -EOPNOTSUPP while the backend does not hash for us.
 */
int netfront_get_rxfh(struct net_device *ndev, struct ethtool_rxfh_param *rxfh)
{
	struct netfront_info *info = netdev_priv(ndev);

	if (!netfront_hashing(info))
		return -EOPNOTSUPP;
	rxfh->hfunc = ETH_RSS_HASH_TOP;
	if (rxfh->indir)
		memcpy(rxfh->indir, info->hash.table,
		       info->hash.size * sizeof(u32));
	if (rxfh->key)
		memcpy(rxfh->key, info->hash.key, NETFRONT_HASH_KEY_LEN);
	return 0;
}

/**
 * netfront_set_rxfh() - ethtool: a new key or table for the backend
 * @ndev: the device
 * @rxfh: what to change; the hash function can only stay Toeplitz
 * @extack: for error messages
 *
 * Return: 0, or a negative errno; the device, and the transmit path with
 * it, keeps what the backend took.
 */
int netfront_set_rxfh(struct net_device *ndev, struct ethtool_rxfh_param *rxfh,
		      struct netlink_ext_ack *extack)
{
	struct netfront_info *info = netdev_priv(ndev);
	struct netfront_steer *s;
	u32 i;
	int err = 0;

	if (!netfront_hashing(info))
		return -EOPNOTSUPP;
	if (rxfh->hfunc != ETH_RSS_HASH_NO_CHANGE &&
	    rxfh->hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if (!rxfh->indir && !rxfh->key)
		return 0;
	for (i = 0; rxfh->indir && i < info->hash.size; i++)
		if (rxfh->indir[i] >= info->conf.nr_queues)
			return -EINVAL;
	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	if (rxfh->indir) {
		err = netfront_ctrl_set_table(info->ctrl, rxfh->indir,
					      info->hash.size);
		if (!err)
			memcpy(info->hash.table, rxfh->indir,
			       info->hash.size * sizeof(u32));
	}
	if (!err && rxfh->key) {
		err = netfront_ctrl_set_key(info->ctrl, rxfh->key);
		if (!err)
			memcpy(info->hash.key, rxfh->key,
			       NETFRONT_HASH_KEY_LEN);
	}
	netfront_steer_publish(info, s);
	return err;
}

/**
 * netfront_get_rxnfc() - ethtool: the receive ring count
 * @ndev: the device
 * @cmd: the query; only ETHTOOL_GRXRINGS is answered
 * @rules: unused
 *
 * Return: 0, or -EOPNOTSUPP.
 */
int netfront_get_rxnfc(struct net_device *ndev, struct ethtool_rxnfc *cmd,
		       u32 *rules)
{
	if (cmd->cmd != ETHTOOL_GRXRINGS)
		return -EOPNOTSUPP;
	cmd->data = ndev->real_num_rx_queues;
	return 0;
}
