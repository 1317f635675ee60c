// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netback: the control ring and Toeplitz steering.
 *
 * A frontend that set up a control ring configures hashing through it:
 * the algorithm, the hash types, the key and the mapping from hash to
 * queue.  Its event schedules a work item that answers every request in
 * order, then acknowledges the event (late EOI, spurious if it brought
 * nothing).  Each request is copied once, judged by the protocol core,
 * and only then is the data it points at grant-copied into a private
 * buffer; a configuration change is applied to a private copy and
 * published with RCU only if the whole request was valid (XSA-270).
 *
 * With Toeplitz hashing on, packets for the guest are steered by their
 * hash and carry it to the guest in a HASH extra.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/if_ether.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include "netback.h"

/* The most a request may ask us to copy: a full mapping table. */
#define NETBACK_CTRL_DATA	(NETBACK_HASH_MAPPING_MAX * sizeof(u32))
/* Requests one run of the work answers before it makes way for others. */
#define NETBACK_CTRL_BUDGET	64

static irqreturn_t netback_ctrl_interrupt(int irq, void *dev_id)
{
	struct netback_ctrl *c = dev_id;

	/* Never acknowledged once broken; else the work acknowledges it. */
	if (!READ_ONCE(c->broken))
		schedule_work(&c->work);
	return IRQ_HANDLED;
}

/* Copy @len bytes at offset 0 of the frontend's @gref into @dst. */
static bool netback_ctrl_fetch(struct netback_vif *vif, u32 gref, void *dst,
			       u32 len)
{
	struct gnttab_copy op = {};

	op.source.u.ref = gref;
	op.source.domid = vif->domid;
	op.dest.u.gmfn = virt_to_gfn(dst);
	op.dest.domid = DOMID_SELF;
	op.dest.offset = offset_in_page(dst);
	op.len = len;
	op.flags = GNTCOPY_source_gref;
	gnttab_batch_copy(&op, 1);
	return op.status == GNTST_okay;
}

/* Apply @req to a copy of the configuration; publish it if valid. */
static u32 netback_ctrl_set(struct netback_vif *vif, struct netback_ctrl *c,
			    const struct xen_netif_ctrl_request *req,
			    const void *data, u32 *result)
{
	struct netback_hash *next, *old;
	u32 st;

	next = kmemdup(&c->cfg, sizeof(*next), GFP_KERNEL);
	/* The protocol has no status for our lack of memory; the closest. */
	if (!next)
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	st = netback_ctrl_apply(next, req, data, vif->nr_queues, result);
	if (st != XEN_NETIF_CTRL_STATUS_SUCCESS) {
		kfree(next);
		return st;
	}
	c->cfg = *next;
	old = rcu_replace_pointer(vif->hash, next, true);
	kfree_rcu_mightsleep(old);
	return st;
}

static void netback_ctrl_answer(struct netback_vif *vif,
				struct netback_ctrl *c,
				const struct xen_netif_ctrl_request *req)
{
	struct xen_netif_ctrl_response rsp = {
		.id = req->id,
		.type = req->type,
	};
	struct netback_ctrl_copy copy;
	const void *data = NULL;
	u32 st;

	st = netback_ctrl_check(&c->cfg, req, &copy);
	if (st == XEN_NETIF_CTRL_STATUS_SUCCESS && copy.len) {
		if (netback_ctrl_fetch(vif, copy.gref, c->data, copy.len))
			data = c->data;
		else
			st = XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	}
	if (st == XEN_NETIF_CTRL_STATUS_SUCCESS)
		st = netback_ctrl_set(vif, c, req, data, &rsp.data);
	rsp.status = st;
	/* A consumed request always has its response slot. */
	xenring_put_rsp(&c->ring, &rsp, sizeof(rsp));
}

static void netback_ctrl_work(struct work_struct *work)
{
	struct netback_ctrl *c = container_of(work, struct netback_ctrl, work);
	struct xen_netif_ctrl_request req;
	bool notify = false;
	u32 done = 0;
	int avail;

	if (READ_ONCE(c->broken))
		return;
	for (;;) {
		avail = xenring_req_avail(&c->ring);
		if (avail < 0) {
			/* Its event stays unacknowledged: no more come. */
			WRITE_ONCE(c->broken, true);
			netback_vif_fatal(c->vif,
					  "control ring producer index beyond the ring");
			return;
		}
		if (!avail) {
			if (xenring_req_rearm(&c->ring))
				continue;
			break;
		}
		/*
		 * A frontend that keeps posting must not keep this work
		 * running: netback_ctrl_stop() waits for it on xenwatch.  Go
		 * on in a new run, which acknowledges the event.
		 */
		if (done >= NETBACK_CTRL_BUDGET) {
			if (notify)
				notify_remote_via_irq(c->irq);
			schedule_work(&c->work);
			return;
		}
		for (; avail && done < NETBACK_CTRL_BUDGET; avail--, done++) {
			xenring_take_req(&c->ring, &req, sizeof(req));
			netback_ctrl_answer(c->vif, c, &req);
		}
		notify |= xenring_push_rsps(&c->ring);
	}
	if (notify)
		notify_remote_via_irq(c->irq);
	xen_irq_lateeoi(c->irq, done ? 0 : XEN_EOI_FLAG_SPURIOUS);
}

/**
 * netback_ctrl_start() - connect the frontend's control ring
 * @vif: the vif, under its mutex, with its queues started and
 *	@vif->conf.ctrl_ring set
 *
 * Maps the ring, binds its event channel with late EOI and resets the
 * hash configuration: no hashing until the frontend asks for it.
 *
 * Return: 0, or an error after which the device has been sent to
 * Closing with the reason.
 */
int netback_ctrl_start(struct netback_vif *vif)
{
	struct xenbus_device *dev = vif->xbdev;
	struct netback_ctrl *c;
	int err = -ENOMEM;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		goto fail;
	c->vif = vif;
	INIT_WORK(&c->work, netback_ctrl_work);
	netback_hash_reset(&c->cfg);
	vif->ctrl = c;
	/* A power of two: it never crosses a page (one grant copy). */
	c->data = kmalloc(NETBACK_CTRL_DATA, GFP_KERNEL);
	if (!c->data)
		goto fail;
	err = netback_map(vif, vif->conf.ctrl_ref, &c->va, &c->ring,
			  NETIF_CTRL_SLOT_SIZE);
	if (err)
		goto fail;
	snprintf(c->name, sizeof(c->name), "%s-ctrl", netdev_name(vif->ndev));
	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(dev,
							    vif->conf.ctrl_port,
							    netback_ctrl_interrupt,
							    0, c->name, c);
	if (err < 0)
		goto fail;
	c->irq = err;
	return 0;

fail:
	xenbus_dev_fatal(dev, err, "connecting the control ring");
	netback_ctrl_stop(vif);
	return err;
}

/**
 * netback_ctrl_stop() - disconnect the control ring, if there is one
 * @vif: the vif, under its mutex
 *
 * Hashing stops before the queues go.  Idempotent.
 */
void netback_ctrl_stop(struct netback_vif *vif)
{
	struct netback_ctrl *c = vif->ctrl;
	struct netback_hash *old;

	if (!c)
		return;
	/*
	 * Also undoes a netback_ctrl_start() that stopped half way.  The
	 * work acknowledges and notifies through the irq: quiesce the irq
	 * so that its handler cannot queue the work again, wait for the
	 * work, and only then unbind the irq, whose number may be reused.
	 */
	if (c->irq)
		disable_irq(c->irq);
	cancel_work_sync(&c->work);
	if (c->irq)
		unbind_from_irqhandler(c->irq, c);
	old = rcu_replace_pointer(vif->hash, NULL, true);
	synchronize_rcu();
	kfree(old);
	netback_unmap(vif, &c->va);
	kfree(c->data);
	kfree(c);
	vif->ctrl = NULL;
}

/* The Toeplitz hash of @skb's IP header and ports, as @h asks. */
static bool netback_hash_skb(const struct netback_hash *h,
			     const struct sk_buff *skb, u32 *hash, u8 *type)
{
	/* An IPv4 header with options and the ports after it. */
	u8 hdr[64], in[36];
	const u8 *ip;
	u32 len;
	int n;

	if (h->algorithm != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ ||
	    !h->types)
		return false;
	if (skb->protocol != htons(ETH_P_IP) &&
	    skb->protocol != htons(ETH_P_IPV6))
		return false;
	/* skb->data is the Ethernet header (any VLAN tag is out of band). */
	if (skb->len <= ETH_HLEN)
		return false;
	len = min_t(u32, skb->len - ETH_HLEN, sizeof(hdr));
	ip = skb_header_pointer(skb, ETH_HLEN, len, hdr);
	if (!ip)
		return false;
	n = netback_hash_input(h->types, ip, len, in, type);
	if (n <= 0)
		return false;
	*hash = netback_toeplitz(h->key, h->key_len, in, n);
	return true;
}

/**
 * netback_select_queue() - ndo_select_queue: steer by the guest's hash
 * @ndev: the vif
 * @skb: a packet for the guest
 * @sb_dev: the subordinate device, if any
 *
 * Without Toeplitz hashing of some packet types the stack picks the
 * queue.  With it, a packet
 * that can be hashed goes where the guest's mapping sends its hash, and
 * one that cannot is steered as if its hash were 0.
 *
 * Return: the queue index.
 */
u16 netback_select_queue(struct net_device *ndev, struct sk_buff *skb,
			 struct net_device *sb_dev)
{
	struct netback_vif *vif = netdev_priv(ndev);
	const struct netback_hash *h;
	u32 hash = 0;
	u16 qi;
	u8 type;

	rcu_read_lock();
	h = rcu_dereference(vif->hash);
	/* No hash types: the guest leaves the steering to us. */
	if (!h || h->algorithm != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ ||
	    !h->types) {
		rcu_read_unlock();
		return netdev_pick_tx(ndev, skb, sb_dev);
	}
	if (!netback_hash_skb(h, skb, &hash, &type))
		hash = 0;
	qi = netback_hash_queue(h, hash, ndev->real_num_tx_queues);
	rcu_read_unlock();
	return qi;
}

/**
 * netback_rx_hash() - the HASH extra a packet for the guest carries
 * @vif: the vif
 * @skb: the packet, from ndo_start_xmit
 * @hash: set to its Toeplitz hash
 * @type: set to the hash type's bit number
 *
 * Return: true if the guest enabled hashing of this kind of packet.
 */
bool netback_rx_hash(struct netback_vif *vif, const struct sk_buff *skb,
		     u32 *hash, u8 *type)
{
	const struct netback_hash *h;
	bool on;

	rcu_read_lock();
	h = rcu_dereference(vif->hash);
	on = h && netback_hash_skb(h, skb, hash, type);
	rcu_read_unlock();
	return on;
}
