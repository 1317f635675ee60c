// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netfront data path: shared rings, grants, event channels, sending
 * and receiving packets.
 *
 * Every page the backend may touch is allocated, zeroed and granted when a
 * queue is set up, or when a received packet takes its slot's page, whose
 * grant then ends first.  The pages the slots hold when the queue is torn
 * down end their grants once the backend has closed
 * (netfront_retired_release(); see netfront.h).
 * A queue's transmit completions and received packets are both handled
 * by its NAPI poll; the event handlers only schedule it.  A
 * backend that breaks the protocol marks the queue broken: its events are
 * then never acknowledged (late EOI), so that it cannot flood us, and the
 * device closes from process context.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xenbus.h>
#include "netfront.h"

/*
 * A received packet up to NETFRONT_RX_COPYBREAK bytes is copied whole into
 * the skb's linear area; of a longer one, NETFRONT_RX_HEAD bytes are
 * copied there and the rest stays in its slots' pages, which become the
 * skb's page fragments (netfront_rx_frags()).
 */
#define NETFRONT_RX_COPYBREAK	2048
#define NETFRONT_RX_HEAD	256
/* The longest packet taken on receive: 64 KiB of GSO and an 802.1Q header. */
#define NETFRONT_RX_MAX_LEN	(XEN_NETIF_MAX_TX_SIZE + VLAN_ETH_HLEN)

static_assert(DIV_ROUND_UP(NETFRONT_RX_MAX_LEN - NETFRONT_RX_HEAD,
			   PAGE_SIZE) <= MAX_SKB_FRAGS);
static_assert(NETFRONT_TX_MAX_SLOTS <= XEN_NETIF_NR_SLOTS_MIN);
static_assert(PAGE_SIZE == NETIF_PAGE_SIZE);

atomic_t netfront_nr_grants = ATOMIC_INIT(0);
atomic_t netfront_nr_pages = ATOMIC_INIT(0);
atomic_t netfront_nr_lost = ATOMIC_INIT(0);

/* ------------------------------------------------------------------ */
/* Pages and rings                                                     */
/* ------------------------------------------------------------------ */

/**
 * netfront_buf_alloc() - a zeroed page granted to the backend
 * @info: the device
 * @b: set to the page and its grant
 * @readonly: the backend may only read it
 *
 * Return: 0 or a negative errno.
 */
int netfront_buf_alloc(struct netfront_info *info, struct netfront_buf *b,
		       bool readonly)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	int ref;

	if (!page)
		return -ENOMEM;
	ref = gnttab_grant_foreign_access(info->xbdev->otherend_id,
					  xen_page_to_gfn(page), readonly);
	if (ref < 0) {
		__free_page(page);
		return ref;
	}
	b->page = page;
	b->ref = ref;
	atomic_inc(&netfront_nr_grants);
	atomic_inc(&netfront_nr_pages);
	return 0;
}

/* End the grant of @b's page and free it, unless the backend maps it. */
static bool netfront_buf_try_free(struct netfront_buf *b)
{
	if (!gnttab_try_end_foreign_access(b->ref))
		return false;
	__free_page(b->page);
	atomic_dec(&netfront_nr_grants);
	atomic_dec(&netfront_nr_pages);
	b->page = NULL;
	return true;
}

/**
 * netfront_buf_free() - end a page's grant and free it
 * @b: the page; nothing if it has none
 *
 * A page the backend still maps goes to the grant table, which frees it
 * once the backend lets go.
 */
void netfront_buf_free(struct netfront_buf *b)
{
	if (!b->page || netfront_buf_try_free(b))
		return;
	/* The backend still maps it: the grant table frees it later. */
	gnttab_end_foreign_access(b->ref, b->page);
	atomic_dec(&netfront_nr_grants);
	atomic_dec(&netfront_nr_pages);
	atomic_inc(&netfront_nr_lost);
	b->page = NULL;
}

/**
 * struct netfront_retired - a buffer page the backend still mapped when its
 *	connection ended
 * @node: in netfront_info.retired
 * @b: the page and its grant, still counted in the grant and page totals
 */
struct netfront_retired {
	struct list_head node;
	struct netfront_buf b;
};

/**
 * netfront_buf_retire() - give up a page at the end of its connection
 * @info: the device; called with its mutex held
 * @b: the page and its grant; emptied
 *
 * We tear down when the backend says Closing, and until it has
 * disconnected it may still use the page: one that maps transmitted pages
 * (upstream's netback) can hold one in a packet in flight, and one that
 * copies (ours) can still copy a received packet into a page or write a
 * response into a ring.  A grant ended now would be taken again by the
 * next grant of this domain, and such a late copy would land in that
 * page; a page freed now could be anyone's.  So the page keeps its grant
 * and waits on the device (netfront_retired_release()), rather than going
 * to the grant table, which would keep its reference until its timer
 * frees it, ten a second for the whole domain.
 */
void netfront_buf_retire(struct netfront_info *info, struct netfront_buf *b)
{
	struct netfront_retired *r;

	if (!b->page)
		return;
	r = kmalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		netfront_buf_free(b);
		return;
	}
	r->b = *b;
	b->page = NULL;
	list_add_tail(&r->node, &info->retired);
	info->nr_retired++;
}

/**
 * netfront_retired_release() - free the retired pages the backend let go
 * @info: the device; called with its mutex held
 * @final: the device goes away: hand what is still mapped to the grant
 *	table (counted in lost_pages)
 *
 * Called when the backend has closed, before a new connection and at
 * removal.
 */
void netfront_retired_release(struct netfront_info *info, bool final)
{
	struct netfront_retired *r, *tmp;

	list_for_each_entry_safe(r, tmp, &info->retired, node) {
		if (!netfront_buf_try_free(&r->b)) {
			if (!final)
				continue;
			netfront_buf_free(&r->b);
		}
		list_del(&r->node);
		kfree(r);
		info->nr_retired--;
	}
}

/**
 * netfront_ring_alloc() - a one-page shared ring granted to the backend
 * @info: the device
 * @va: set to the ring page
 * @ref: set to its grant
 * @r: the private view to reset
 * @slot_size: bytes per slot
 *
 * Return: 0 or a negative errno; on error *@va may still need
 * netfront_ring_free().
 */
int netfront_ring_alloc(struct netfront_info *info, void **va,
			grant_ref_t *ref, struct xenring *r, size_t slot_size)
{
	int err;

	err = xenbus_setup_ring(info->xbdev, GFP_KERNEL, va, 1, ref);
	if (err)
		return err;
	atomic_inc(&netfront_nr_grants);
	atomic_inc(&netfront_nr_pages);
	return xenring_init_front(r, *va, XEN_PAGE_SIZE, slot_size);
}

/**
 * netfront_ring_free() - give up a ring page
 * @info: the device; called with its mutex held
 * @va: the ring page, set to NULL; nothing if already NULL
 * @ref: its grant, set to INVALID_GRANT_REF
 *
 * The backend may still write into the ring until it has closed, so the
 * page is retired with its grant, as the buffers are, not freed.
 */
void netfront_ring_free(struct netfront_info *info, void **va,
			grant_ref_t *ref)
{
	struct netfront_buf b;

	if (!*va)
		return;
	b.page = virt_to_page(*va);
	b.ref = *ref;
	netfront_buf_retire(info, &b);
	*va = NULL;
	*ref = INVALID_GRANT_REF;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/*
 * Did the backend announce something new on @r since the last event?
 * Only news makes an event work (xenring_rsp_news()): unconsumed
 * responses alone do not, since while NAPI is off (the interface is down)
 * they stay, and a backend could otherwise keep us here with events that
 * are all acknowledged as real (XSA-391).
 */
static int netfront_news(struct netfront_queue *q, const struct xenring *r,
			 u32 *seen, const char *which)
{
	int news = xenring_rsp_news(r, seen);

	if (news < 0)
		netfront_fail(q, which);
	return news;
}

/* Schedule the poll for news on @tx and/or @rx; acknowledge the event. */
static irqreturn_t netfront_event(struct netfront_queue *q, int irq, bool tx,
				  bool rx)
{
	int news = 0, n;

	/* Never acknowledged: a broken backend's events stop here. */
	if (READ_ONCE(q->broken))
		return IRQ_HANDLED;
	if (tx) {
		n = netfront_news(q, &q->tx, &q->tx_rsp_seen,
				  "transmit response producer moved backwards or beyond the requests");
		if (n < 0)
			return IRQ_HANDLED;
		news |= n;
	}
	if (rx) {
		n = netfront_news(q, &q->rx, &q->rx_rsp_seen,
				  "receive response producer moved backwards or beyond the requests");
		if (n < 0)
			return IRQ_HANDLED;
		news |= n;
	}
	if (news)
		napi_schedule(&q->napi);
	xen_irq_lateeoi(irq, news ? 0 : XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

/* The one event channel of both rings. */
static irqreturn_t netfront_interrupt(int irq, void *dev_id)
{
	return netfront_event(dev_id, irq, true, true);
}

/* Split event channels: each ring's handler judges only its own ring. */
static irqreturn_t netfront_tx_interrupt(int irq, void *dev_id)
{
	return netfront_event(dev_id, irq, true, false);
}

static irqreturn_t netfront_rx_interrupt(int irq, void *dev_id)
{
	return netfront_event(dev_id, irq, false, true);
}

static int netfront_bind_one(struct netfront_queue *q, evtchn_port_t *port,
			     unsigned int *irq, irq_handler_t handler,
			     char *name, size_t len, const char *suffix)
{
	struct netfront_info *info = q->info;
	int err;

	err = xenbus_alloc_evtchn(info->xbdev, port);
	if (err)
		return err;
	snprintf(name, len, "%s-q%u%s", netdev_name(info->ndev), q->index,
		 suffix);
	err = bind_evtchn_to_irqhandler_lateeoi(*port, handler, 0, name, q);
	if (err < 0) {
		xenbus_free_evtchn(info->xbdev, *port);
		*port = 0;
		return err;
	}
	*irq = err;
	return 0;
}

static int netfront_bind(struct netfront_queue *q)
{
	int err;

	if (!q->info->conf.split) {
		err = netfront_bind_one(q, &q->tx_evtchn, &q->tx_irq,
					netfront_interrupt, q->tx_name,
					sizeof(q->tx_name), "");
		q->rx_evtchn = q->tx_evtchn;
		return err;
	}
	err = netfront_bind_one(q, &q->tx_evtchn, &q->tx_irq,
				netfront_tx_interrupt, q->tx_name,
				sizeof(q->tx_name), "-tx");
	if (!err)
		err = netfront_bind_one(q, &q->rx_evtchn, &q->rx_irq,
					netfront_rx_interrupt, q->rx_name,
					sizeof(q->rx_name), "-rx");
	return err;
}

static void netfront_unbind(struct netfront_queue *q)
{
	/* Unbinding closes the port; no handler runs afterwards. */
	if (q->rx_irq)
		unbind_from_irqhandler(q->rx_irq, q);
	if (q->tx_irq)
		unbind_from_irqhandler(q->tx_irq, q);
	q->rx_irq = 0;
	q->tx_irq = 0;
	q->rx_evtchn = 0;
	q->tx_evtchn = 0;
}

/* ------------------------------------------------------------------ */
/* Transmit                                                            */
/* ------------------------------------------------------------------ */

/* The GSO extra for @skb in @x; false if the backend cannot take it. */
static bool netfront_tx_gso(const struct netfront_info *info,
			    const struct sk_buff *skb,
			    struct netif_extra_info *x)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);
	u8 type;

	if (sh->gso_type & SKB_GSO_TCPV4)
		type = XEN_NETIF_GSO_TYPE_TCPV4;
	else if (sh->gso_type & SKB_GSO_TCPV6)
		type = XEN_NETIF_GSO_TYPE_TCPV6;
	else
		return false;
	if (!(info->conf.gso_types & (1u << type)) || !sh->gso_size)
		return false;
	memset(x, 0, sizeof(*x));
	x->type = XEN_NETIF_EXTRA_TYPE_GSO;
	x->u.gso.type = type;
	x->u.gso.size = sh->gso_size;
	return true;
}

/*
 * Copy a packet of @len bytes, from @skb or else from @lin, into the pages
 * of fresh ids and queue its requests.
 */
static void netfront_tx_post(struct netfront_queue *q,
			     const struct sk_buff *skb, const void *lin,
			     u32 len, unsigned int data, u16 flags,
			     const struct netif_extra_info *gso)
{
	u8 slot[NETIF_TX_SLOT_SIZE];
	unsigned int i, off = 0;

	for (i = 0; i < data; i++) {
		u32 id = xenring_ids_get(&q->tx_ids);
		u32 chunk = min_t(u32, len - off, NETIF_PAGE_SIZE);
		void *dst = page_address(q->tx_bufs[id].page);
		struct netif_tx_request req = {
			.gref = q->tx_bufs[id].ref,
			.id = id,
			.size = i ? chunk : len,
			.flags = i ? 0 : flags,
		};

		/* Within the skb by construction, so it cannot fail. */
		if (skb)
			skb_copy_bits(skb, off, dst, chunk);
		else
			memcpy(dst, lin + off, chunk);
		off += chunk;
		if (i + 1 < data)
			req.flags |= NETTXF_more_data;
		if (!i && gso)
			req.flags |= NETTXF_extra_info;
		memcpy(xenring_next_req(&q->tx), &req, sizeof(req));
		xenring_advance_req(&q->tx);
		if (!i && gso) {
			memset(slot, 0, sizeof(slot));
			memcpy(slot, gso, sizeof(*gso));
			memcpy(xenring_next_req(&q->tx), slot, sizeof(slot));
			xenring_advance_req(&q->tx);
		}
	}
}

/**
 * netfront_start_xmit() - send one packet
 * @skb: the packet
 * @ndev: our device
 *
 * The packet is copied into pages this queue owns and freed at once.
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY if the ring is full.
 */
netdev_tx_t netfront_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct netfront_info *info = netdev_priv(ndev);
	u16 qi = skb_get_queue_mapping(skb);
	struct netif_extra_info gso;
	struct netfront_queue *q;
	struct netdev_queue *txq;
	unsigned int data, slots;
	bool has_gso = false, notify;
	u16 flags = 0;

	if (unlikely(!READ_ONCE(info->connected) ||
		     qi >= info->conf.nr_queues))
		goto drop;
	q = &info->queues[qi];
	txq = netdev_get_tx_queue(ndev, qi);
	if (unlikely(skb->len > XEN_NETIF_MAX_TX_SIZE || !skb->len))
		goto drop;
	data = DIV_ROUND_UP(skb->len, NETIF_PAGE_SIZE);
	if (unlikely(data > 1 && !info->conf.sg))
		goto drop;
	if (skb_is_gso(skb)) {
		if (unlikely(!netfront_tx_gso(info, skb, &gso)))
			goto drop;
		has_gso = true;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		flags = NETTXF_csum_blank | NETTXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		flags = NETTXF_data_validated;
	slots = data + has_gso;

	spin_lock(&q->tx_lock);
	if (unlikely(READ_ONCE(q->broken))) {
		spin_unlock(&q->tx_lock);
		goto drop;
	}
	if (unlikely(xenring_req_space(&q->tx) < slots ||
		     q->tx_ids.nr - q->tx_ids.busy < data)) {
		netif_tx_stop_queue(txq);
		spin_unlock(&q->tx_lock);
		return NETDEV_TX_BUSY;
	}
	netfront_tx_post(q, skb, NULL, skb->len, data, flags,
			 has_gso ? &gso : NULL);
	notify = xenring_push_reqs(&q->tx);
	u64_stats_update_begin(&q->tx_stats.syncp);
	u64_stats_inc(&q->tx_stats.packets);
	u64_stats_add(&q->tx_stats.bytes, skb->len);
	if (has_gso)
		u64_stats_inc(&q->tx_stats.gso);
	u64_stats_update_end(&q->tx_stats.syncp);
	/* Woken by the completion path once a whole packet fits again. */
	if (xenring_req_space(&q->tx) < NETFRONT_TX_MAX_SLOTS)
		netif_tx_stop_queue(txq);
	spin_unlock(&q->tx_lock);

	if (notify)
		notify_remote_via_evtchn(q->tx_evtchn);
	skb_tx_timestamp(skb);
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;

drop:
	dev_core_stats_tx_dropped_inc(ndev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/**
 * netfront_tx_linear() - send one packet from a linear buffer
 * @q: the queue to send it on
 * @data: the packet
 * @len: its length
 * @redirected: it is an XDP frame of another device's program (counted)
 *
 * For XDP: the packet is copied into pages of the queue, so the caller may
 * free @data on return.  Called with bottom halves disabled.
 *
 * Return: 0; -ENETDOWN, -EMSGSIZE or -ENOSPC if it was not sent.
 */
int netfront_tx_linear(struct netfront_queue *q, const void *data, u32 len,
		       bool redirected)
{
	struct netfront_info *info = q->info;
	unsigned int slots = DIV_ROUND_UP(len, NETIF_PAGE_SIZE);
	bool notify;

	if (!len || len > XEN_NETIF_MAX_TX_SIZE ||
	    (slots > 1 && !info->conf.sg))
		return -EMSGSIZE;
	spin_lock(&q->tx_lock);
	if (unlikely(!READ_ONCE(info->connected) || READ_ONCE(q->broken))) {
		spin_unlock(&q->tx_lock);
		return -ENETDOWN;
	}
	/* Room is kept for a whole packet of the stack's own. */
	if (xenring_req_space(&q->tx) < slots + NETFRONT_TX_MAX_SLOTS ||
	    q->tx_ids.nr - q->tx_ids.busy < slots + NETFRONT_TX_MAX_DATA) {
		spin_unlock(&q->tx_lock);
		return -ENOSPC;
	}
	netfront_tx_post(q, NULL, data, len, slots, 0, NULL);
	notify = xenring_push_reqs(&q->tx);
	u64_stats_update_begin(&q->tx_stats.syncp);
	u64_stats_inc(&q->tx_stats.packets);
	u64_stats_add(&q->tx_stats.bytes, len);
	if (redirected)
		u64_stats_inc(&q->tx_stats.xdp_xmit);
	u64_stats_update_end(&q->tx_stats.syncp);
	spin_unlock(&q->tx_lock);
	if (notify)
		notify_remote_via_evtchn(q->tx_evtchn);
	return 0;
}

/**
 * netfront_tx_mcast() - ask the backend to join or leave a multicast group
 * @q: the queue to send the request on
 * @op: XEN_NETIF_EXTRA_TYPE_MCAST_ADD or _DEL
 * @addr: the group's address
 *
 * The extra rides on a dummy request of no data, answered like a packet.
 * Process context.
 *
 * Return: 0; -ENETDOWN, or -ENOSPC while the ring is full.
 */
int netfront_tx_mcast(struct netfront_queue *q, u8 op, const u8 *addr)
{
	u8 slot[NETIF_TX_SLOT_SIZE] = { 0 };
	struct netif_extra_info x = { .type = op };
	struct netif_tx_request req = { .flags = NETTXF_extra_info };
	bool notify;

	ether_addr_copy(x.u.mcast.addr, addr);
	spin_lock_bh(&q->tx_lock);
	if (unlikely(!READ_ONCE(q->info->connected) || READ_ONCE(q->broken))) {
		spin_unlock_bh(&q->tx_lock);
		return -ENETDOWN;
	}
	/* Room is kept for a whole packet of the stack's own. */
	if (xenring_req_space(&q->tx) < 2 + NETFRONT_TX_MAX_SLOTS ||
	    q->tx_ids.nr - q->tx_ids.busy < 1 + NETFRONT_TX_MAX_DATA) {
		spin_unlock_bh(&q->tx_lock);
		return -ENOSPC;
	}
	req.id = xenring_ids_get(&q->tx_ids);
	req.gref = q->tx_bufs[req.id].ref;
	memcpy(xenring_next_req(&q->tx), &req, sizeof(req));
	xenring_advance_req(&q->tx);
	memcpy(slot, &x, sizeof(x));
	memcpy(xenring_next_req(&q->tx), slot, sizeof(slot));
	xenring_advance_req(&q->tx);
	notify = xenring_push_reqs(&q->tx);
	spin_unlock_bh(&q->tx_lock);
	if (notify)
		notify_remote_via_evtchn(q->tx_evtchn);
	return 0;
}

/* Take the transmit responses; the ids they answer are free again. */
static void netfront_tx_complete(struct netfront_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->info->ndev, q->index);
	struct netif_tx_response rsp;
	const char *why = NULL;
	bool answered;
	int avail;

	spin_lock(&q->tx_lock);
	if (READ_ONCE(q->broken))
		goto out;
	do {
		avail = xenring_rsp_avail(&q->tx);
		if (avail < 0) {
			why = "transmit responses overran the requests";
			goto out;
		}
		for (; avail; avail--) {
			xenring_take_rsp(&q->tx, &rsp, sizeof(rsp));
			if (netfront_tx_rsp(&rsp, &q->tx_ids, &answered)) {
				why = "transmit response for an id not in flight";
				goto out;
			}
			if (!answered)
				continue;
			xenring_ids_put(&q->tx_ids, rsp.id);
			if (rsp.status != NETIF_RSP_OKAY) {
				u64_stats_update_begin(&q->tx_stats.syncp);
				u64_stats_inc(&q->tx_stats.errors);
				u64_stats_update_end(&q->tx_stats.syncp);
			}
		}
	} while (xenring_rsp_rearm(&q->tx));
	/* Every id in flight holds a slot whose answer has not come yet. */
	if (q->tx_ids.busy > q->tx.prod - q->tx.cons) {
		why = "transmit ids never answered";
		goto out;
	}
	if (netif_tx_queue_stopped(txq) && READ_ONCE(q->info->connected) &&
	    xenring_req_space(&q->tx) >= NETFRONT_TX_MAX_SLOTS)
		netif_tx_wake_queue(txq);
out:
	spin_unlock(&q->tx_lock);
	if (why)
		netfront_fail(q, why);
}

/* ------------------------------------------------------------------ */
/* Receive                                                             */
/* ------------------------------------------------------------------ */

/* Post a request for every free receive slot. */
static void netfront_rx_refill(struct netfront_queue *q)
{
	u32 mask = q->rx.nr_slots - 1;
	/* The slots of a packet still being gathered hold its data. */
	u32 done = q->rx_pkt_busy ? q->rx_pkt_first : q->rx.cons;
	bool posted = false;

	while (q->rx.prod - done < q->rx.nr_slots) {
		u32 i = q->rx.prod & mask;
		struct netif_rx_request req = {
			.id = i,
			.gref = q->rx_bufs[i].ref,
		};

		memcpy(xenring_next_req(&q->rx), &req, sizeof(req));
		xenring_advance_req(&q->rx);
		posted = true;
	}
	if (posted && xenring_push_reqs(&q->rx))
		notify_remote_via_evtchn(q->rx_evtchn);
}

/**
 * netfront_rx_read() - copy data of the packet being gathered
 * @q: the queue, in its NAPI poll
 * @pos: offset in the packet
 * @dst: where to copy to
 * @len: bytes to copy; the packet has at least @pos + @len
 */
void netfront_rx_read(const struct netfront_queue *q, u32 pos, u8 *dst,
		      u32 len)
{
	const struct netfront_rx_pkt *pkt = &q->rx_pkt;
	u32 nr = min_t(u32, pkt->nr_frags, NETFRONT_MAX_RX_SLOTS);
	u32 mask = q->rx.nr_slots - 1;
	u32 i, n;

	for (i = 0; i < nr && len; i++) {
		const struct netfront_rx_frag *f = &pkt->frags[i];
		const u8 *src;

		if (pos >= f->size) {
			pos -= f->size;
			continue;
		}
		n = min_t(u32, f->size - pos, len);
		src = page_address(q->rx_bufs[(q->rx_pkt_first + f->slot) &
					      mask].page);
		memcpy(dst, src + f->offset + pos, n);
		dst += n;
		len -= n;
		pos = 0;
	}
}

/**
 * netfront_count() - add one to a queue's counter
 * @s: the queue's receive or transmit counters, with their writer's
 *	exclusion held (NAPI poll, or the transmit lock)
 * @what: the counter, within @s
 */
void netfront_count(struct netfront_stats *s, u64_stats_t *what)
{
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(what);
	u64_stats_update_end(&s->syncp);
}

static void netfront_rx_count(struct netfront_queue *q, u64_stats_t *what)
{
	netfront_count(&q->rx_stats, what);
}

static void netfront_rx_drop(struct netfront_queue *q, const char *why)
{
	netfront_rx_count(q, &q->rx_stats.dropped);
	if (net_ratelimit())
		netdev_info(q->info->ndev, "queue %u: dropped a received packet: %s\n",
			    q->index, why);
}

/* Checksum and GSO of a received packet; non-zero to drop it. */
static int netfront_rx_offloads(struct netfront_queue *q, struct sk_buff *skb)
{
	const struct netfront_rx_pkt *pkt = &q->rx_pkt;
	bool gso = pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE;

	if (gso) {
		struct skb_shared_info *sh = skb_shinfo(skb);

		sh->gso_size = pkt->gso_size;
		sh->gso_type = pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ?
			       SKB_GSO_TCPV4 : SKB_GSO_TCPV6;
		/* The backend's word only: the stack checks the headers. */
		sh->gso_type |= SKB_GSO_DODGY;
		sh->gso_segs = 0;
	}
	if ((pkt->flags & NETRXF_csum_blank) || gso) {
		/*
		 * Finds the checksum field from the headers, or fails.  A
		 * blank checksum holds the pseudo-header's sum already, as
		 * the protocol has it (a backend that lies spoils only its
		 * own packets' checksums); only a GSO packet that came
		 * without one needs it computed, as upstream does.
		 */
		if (skb_checksum_setup(skb, !(pkt->flags & NETRXF_csum_blank)))
			return -EPROTO;
		netfront_rx_count(q, &q->rx_stats.csum_fixups);
	} else if (pkt->flags & NETRXF_data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	return 0;
}

/* Copy the gathered packet into a new skb. */
static struct sk_buff *netfront_rx_copy(struct netfront_queue *q)
{
	const struct netfront_rx_pkt *pkt = &q->rx_pkt;
	u32 head = pkt->len <= NETFRONT_RX_COPYBREAK ? pkt->len :
						      NETFRONT_RX_HEAD;
	struct sk_buff *skb;
	u32 pos, nr = 0;

	skb = napi_alloc_skb(&q->napi, head);
	if (!skb)
		return NULL;
	netfront_rx_read(q, 0, skb_put(skb, head), head);
	for (pos = head; pos < pkt->len; nr++) {
		u32 n = min_t(u32, pkt->len - pos, PAGE_SIZE);
		struct page *page = dev_alloc_page();

		if (!page) {
			kfree_skb(skb);
			return NULL;
		}
		netfront_rx_read(q, pos, page_address(page), n);
		skb_add_rx_frag(skb, nr, page, 0, n, PAGE_SIZE);
		pos += n;
	}
	return skb;
}

/*
 * Take receive slot @idx's page for the stack: end its grant, and grant a
 * fresh zeroed page to the backend under the same reference in its place.
 * NULL if no page is free: the slot keeps its page, granted as before.
 * ERR_PTR(-EBUSY) if the grant would not end: the backend still maps the
 * page or writes to it, after it answered the slot, which breaks the
 * protocol (the grant table has logged it; on grant table v2 the grant is
 * revoked all the same).
 */
static struct page *netfront_rx_take(struct netfront_queue *q, u32 idx)
{
	struct netfront_buf *b = &q->rx_bufs[idx];
	struct page *fresh, *page = b->page;

	fresh = alloc_page(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO);
	if (!fresh)
		return NULL;
	if (!gnttab_end_foreign_access_ref(b->ref)) {
		__free_page(fresh);
		return ERR_PTR(-EBUSY);
	}
	gnttab_grant_foreign_access_ref(b->ref, q->info->xbdev->otherend_id,
					xen_page_to_gfn(fresh), 0);
	b->page = fresh;
	return page;
}

/*
 * The gathered packet's data slots, less the @head bytes copied into the
 * skb already: at most how many page fragments they make.
 */
static u32 netfront_rx_nr_frags(const struct netfront_rx_pkt *pkt, u32 head)
{
	u32 nr = min_t(u32, pkt->nr_frags, NETFRONT_MAX_RX_SLOTS);
	u32 i, pos = 0, n = 0;

	for (i = 0; i < nr; i++) {
		pos += pkt->frags[i].size;
		if (pos > head)
			n++;
	}
	return n;
}

/*
 * Build an skb whose head is a copy of the gathered packet's first
 * NETFRONT_RX_HEAD bytes and whose fragments are its slots' pages
 * themselves, each taken from the backend (netfront_rx_take()); a slot
 * whose page cannot be taken for want of memory is copied instead.  The
 * stack sees no byte of a page before its grant has ended.  NULL if out
 * of memory, or if the backend broke the protocol (the queue is then
 * broken).
 */
static struct sk_buff *netfront_rx_frags(struct netfront_queue *q)
{
	const struct netfront_rx_pkt *pkt = &q->rx_pkt;
	u32 nr = min_t(u32, pkt->nr_frags, NETFRONT_MAX_RX_SLOTS);
	u32 mask = q->rx.nr_slots - 1;
	u32 head = NETFRONT_RX_HEAD;
	u32 i, pos = 0, n = 0;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&q->napi, head);
	if (!skb)
		return NULL;
	netfront_rx_read(q, 0, skb_put(skb, head), head);
	for (i = 0; i < nr; i++) {
		const struct netfront_rx_frag *f = &pkt->frags[i];
		u32 idx = (q->rx_pkt_first + f->slot) & mask;
		u32 skip = pos < head ? min_t(u32, f->size, head - pos) : 0;
		u32 off = f->offset + skip, len = f->size - skip;
		struct page *page;

		pos += f->size;
		if (!len)
			continue;
		page = netfront_rx_take(q, idx);
		if (IS_ERR(page)) {
			netfront_fail(q, "backend still uses a receive buffer it answered");
			kfree_skb(skb);
			return NULL;
		}
		if (page) {
			netfront_rx_count(q, &q->rx_stats.pages_taken);
		} else {
			page = dev_alloc_page();
			if (!page) {
				kfree_skb(skb);
				return NULL;
			}
			memcpy(page_address(page),
			       page_address(q->rx_bufs[idx].page) + off, len);
			off = 0;
		}
		skb_add_rx_frag(skb, n++, page, off, len, PAGE_SIZE);
	}
	return skb;
}

/*
 * An skb of the gathered packet: a short one, or one spread over more
 * slots than an skb has fragments, is copied; a longer one takes its
 * slots' pages.
 */
static struct sk_buff *netfront_rx_skb(struct netfront_queue *q)
{
	const struct netfront_rx_pkt *pkt = &q->rx_pkt;

	if (pkt->len <= NETFRONT_RX_COPYBREAK ||
	    netfront_rx_nr_frags(pkt, NETFRONT_RX_HEAD) > MAX_SKB_FRAGS)
		return netfront_rx_copy(q);
	return netfront_rx_frags(q);
}

/* Build an skb from the gathered packet and pass it up. */
static void netfront_rx_deliver(struct netfront_queue *q, bool *xdp_flush)
{
	const struct netfront_rx_pkt *pkt = &q->rx_pkt;
	struct net_device *ndev = q->info->ndev;
	struct bpf_prog *prog;
	struct sk_buff *skb;

	if (pkt->len < ETH_HLEN || pkt->len > NETFRONT_RX_MAX_LEN) {
		netfront_rx_drop(q, "bad length");
		return;
	}
	prog = rcu_dereference(q->info->xdp_prog);
	if (prog) {
		/* NULL if the program took the packet, or on a failure. */
		skb = netfront_rx_xdp(q, prog, xdp_flush);
		if (!skb)
			return;
	} else {
		skb = netfront_rx_skb(q);
		if (!skb) {
			if (READ_ONCE(q->broken))
				return;
			netfront_rx_drop(q, "no memory");
			return;
		}
	}
	if (pkt->has_hash)
		skb_set_hash(skb, pkt->hash,
			     pkt->hash_type == _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP ||
			     pkt->hash_type == _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP ?
			     PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
	/*
	 * The ring the backend chose: with hashing on, the one our mapping
	 * table names.  RPS, XPS by receive queue and forwarding use it.
	 */
	skb_record_rx_queue(skb, q->index);
	skb->protocol = eth_type_trans(skb, ndev);
	/* The checksum setup finds the IP header here. */
	skb_reset_network_header(skb);
	if (netfront_rx_offloads(q, skb)) {
		kfree_skb(skb);
		netfront_rx_drop(q, "checksum offsets not found");
		return;
	}
	u64_stats_update_begin(&q->rx_stats.syncp);
	u64_stats_inc(&q->rx_stats.packets);
	u64_stats_add(&q->rx_stats.bytes, skb->len + ETH_HLEN);
	if (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE)
		u64_stats_inc(&q->rx_stats.gso);
	u64_stats_update_end(&q->rx_stats.syncp);
	napi_gro_receive(&q->napi, skb);
}

/* Gather and deliver up to @budget packets; returns how many ended. */
static int netfront_rx(struct netfront_queue *q, int budget)
{
	u8 slot[NETIF_RX_SLOT_SIZE];
	enum netfront_rx_verdict v;
	bool xdp_flush = false;
	int work = 0, avail;
	u32 idx;

	/* The XDP program, if any, lives until this poll ends. */
	rcu_read_lock();
	while (work < budget) {
		avail = xenring_rsp_avail(&q->rx);
		if (avail < 0) {
			netfront_fail(q, "receive responses overran the requests");
			goto out;
		}
		if (!avail)
			break;
		for (; avail && work < budget; avail--) {
			idx = q->rx.cons;
			if (!q->rx_pkt_busy) {
				netfront_rx_start(&q->rx_pkt, &q->rx_lim);
				q->rx_pkt_first = idx;
				q->rx_pkt_busy = true;
			}
			xenring_take_rsp(&q->rx, slot, sizeof(slot));
			v = netfront_rx_feed(&q->rx_pkt, slot,
					     idx & (q->rx.nr_slots - 1));
			if (v == NETFRONT_RX_MORE)
				continue;
			if (v == NETFRONT_RX_FATAL) {
				netfront_fail(q, q->rx_pkt.why);
				goto out;
			}
			if (v == NETFRONT_RX_OK)
				netfront_rx_deliver(q, &xdp_flush);
			else
				netfront_rx_drop(q, q->rx_pkt.why);
			q->rx_pkt_busy = false;
			work++;
			if (READ_ONCE(q->broken))
				goto out;
		}
	}
	netfront_rx_refill(q);
out:
	if (xdp_flush)
		xdp_do_flush();
	rcu_read_unlock();
	return work;
}

static int netfront_poll(struct napi_struct *napi, int budget)
{
	struct netfront_queue *q = container_of(napi, struct netfront_queue,
						napi);
	int work = 0;

	netfront_tx_complete(q);
	/* netpoll asks for transmit completions only. */
	if (!budget)
		return 0;
	if (!READ_ONCE(q->broken))
		work = netfront_rx(q, budget);
	if (READ_ONCE(q->broken)) {
		napi_complete_done(napi, 0);
		return min(work, budget - 1);
	}
	/* Responses that came while we looked are taken at once. */
	if (work < budget && napi_complete_done(napi, work) &&
	    xenring_rsp_rearm(&q->rx))
		napi_schedule(napi);
	return work;
}

/* ------------------------------------------------------------------ */
/* Set-up and teardown                                                 */
/* ------------------------------------------------------------------ */

static void netfront_queue_free(struct netfront_queue *q)
{
	struct netfront_info *info = q->info;
	unsigned int i;

	netfront_unbind(q);
	netfront_xdp_rxq_unreg(q);
	if (q->napi_added) {
		netif_napi_del(&q->napi);
		q->napi_added = false;
	}
	for (i = 0; i < ARRAY_SIZE(q->tx_bufs); i++)
		netfront_buf_retire(info, &q->tx_bufs[i]);
	for (i = 0; i < ARRAY_SIZE(q->rx_bufs); i++)
		netfront_buf_retire(info, &q->rx_bufs[i]);
	netfront_ring_free(info, &q->tx_va, &q->tx_ring_ref);
	netfront_ring_free(info, &q->rx_va, &q->rx_ring_ref);
}

static int netfront_queue_setup(struct netfront_queue *q)
{
	struct netfront_info *info = q->info;
	unsigned int i;
	int err;

	spin_lock_init(&q->tx_lock);
	u64_stats_init(&q->tx_stats.syncp);
	u64_stats_init(&q->rx_stats.syncp);
	xenring_ids_init(&q->tx_ids, q->tx_links, ARRAY_SIZE(q->tx_links));
	q->rx_lim.drop_slots = NETFRONT_MAX_RX_SLOTS;
	q->rx_lim.gso_types = BIT(XEN_NETIF_GSO_TYPE_TCPV4) |
			      BIT(XEN_NETIF_GSO_TYPE_TCPV6);
	/* Only a backend we configure through a control ring hashes. */
	q->rx_lim.hash = info->conf.ctrl_ring;

	err = netfront_ring_alloc(info, &q->tx_va, &q->tx_ring_ref, &q->tx,
				  NETIF_TX_SLOT_SIZE);
	if (!err)
		err = netfront_ring_alloc(info, &q->rx_va, &q->rx_ring_ref,
					  &q->rx, NETIF_RX_SLOT_SIZE);
	if (err)
		return err;
	/* Ids and slots index the page arrays. */
	if (q->tx.nr_slots != ARRAY_SIZE(q->tx_bufs) ||
	    q->rx.nr_slots != ARRAY_SIZE(q->rx_bufs))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(q->tx_bufs); i++) {
		err = netfront_buf_alloc(info, &q->tx_bufs[i], true);
		if (err)
			return err;
	}
	for (i = 0; i < ARRAY_SIZE(q->rx_bufs); i++) {
		err = netfront_buf_alloc(info, &q->rx_bufs[i], false);
		if (err)
			return err;
	}
	/* Added disabled: the events below cannot start it before us. */
	netif_napi_add(info->ndev, &q->napi, netfront_poll);
	q->napi_added = true;
	err = netfront_xdp_rxq_reg(q);
	if (err)
		return err;
	err = netfront_bind(q);
	if (err)
		return err;
	netfront_rx_refill(q);
	return 0;
}

/**
 * netfront_rings_setup() - set up the queues of a connection
 * @info: the device, with @info->conf chosen and no queues
 *
 * Called with the device mutex and rtnl held.
 *
 * Return: 0, or a negative errno after undoing everything.
 */
int netfront_rings_setup(struct netfront_info *info)
{
	struct netfront_queue *queues;
	unsigned int i;
	int err = 0;

	ASSERT_RTNL();
	queues = kvcalloc(info->conf.nr_queues, sizeof(*queues), GFP_KERNEL);
	if (!queues)
		return -ENOMEM;
	spin_lock_bh(&info->stats_lock);
	info->queues = queues;
	spin_unlock_bh(&info->stats_lock);
	for (i = 0; i < info->conf.nr_queues && !err; i++) {
		queues[i].info = info;
		queues[i].index = i;
		err = netfront_queue_setup(&queues[i]);
	}
	if (err) {
		xenbus_dev_fatal(info->xbdev, err, "setting up queue %u", i - 1);
		netfront_rings_teardown(info);
	}
	return err;
}

static u64 netfront_read(const struct netfront_stats *s, const u64_stats_t *v)
{
	unsigned int start;
	u64 val;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		val = u64_stats_read(v);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	return val;
}

static void netfront_add_queue(struct netfront_totals *t,
			       const struct netfront_queue *q)
{
	const struct netfront_stats *rx = &q->rx_stats, *tx = &q->tx_stats;

	t->rx_packets += netfront_read(rx, &rx->packets);
	t->rx_bytes += netfront_read(rx, &rx->bytes);
	t->rx_dropped += netfront_read(rx, &rx->dropped);
	t->rx_gso += netfront_read(rx, &rx->gso);
	t->rx_csum_fixups += netfront_read(rx, &rx->csum_fixups);
	t->rx_pages_taken += netfront_read(rx, &rx->pages_taken);
	t->tx_packets += netfront_read(tx, &tx->packets);
	t->tx_bytes += netfront_read(tx, &tx->bytes);
	t->tx_errors += netfront_read(tx, &tx->errors);
	t->tx_gso += netfront_read(tx, &tx->gso);
	t->xdp[0] += netfront_read(rx, &rx->xdp_pass);
	t->xdp[1] += netfront_read(rx, &rx->xdp_drop);
	t->xdp[2] += netfront_read(rx, &rx->xdp_tx);
	t->xdp[3] += netfront_read(rx, &rx->xdp_redirect);
	t->xdp[4] += netfront_read(tx, &tx->xdp_xmit);
}

/**
 * netfront_sum_stats() - counters of the device since it was probed
 * @info: the device
 * @t: filled with the totals of the queues gone and those in use
 *
 * Any context that may take a bottom-half spinlock.
 */
void netfront_sum_stats(struct netfront_info *info, struct netfront_totals *t)
{
	unsigned int i;

	spin_lock_bh(&info->stats_lock);
	*t = info->gone;
	for (i = 0; info->queues && i < info->conf.nr_queues; i++)
		netfront_add_queue(t, &info->queues[i]);
	spin_unlock_bh(&info->stats_lock);
}

/**
 * netfront_queue_packets() - packets one queue of the connection handled
 * @info: the device
 * @index: the queue
 * @tx: count the packets it sent rather than those it received
 *
 * Return: the count, or 0 if there is no such queue now.
 */
u64 netfront_queue_packets(struct netfront_info *info, unsigned int index,
			   bool tx)
{
	const struct netfront_stats *st;
	u64 n = 0;

	spin_lock_bh(&info->stats_lock);
	if (info->queues && index < info->conf.nr_queues) {
		st = tx ? &info->queues[index].tx_stats :
			  &info->queues[index].rx_stats;
		n = netfront_read(st, &st->packets);
	}
	spin_unlock_bh(&info->stats_lock);
	return n;
}

/**
 * netfront_rings_teardown() - free the queues of a connection
 * @info: the device; its data path is stopped (netfront_data_stop())
 *
 * Called with the device mutex and rtnl held.  Idempotent.
 */
void netfront_rings_teardown(struct netfront_info *info)
{
	struct netfront_queue *queues = info->queues;
	unsigned int i;

	ASSERT_RTNL();
	if (!queues)
		return;
	for (i = 0; i < info->conf.nr_queues; i++)
		netfront_queue_free(&queues[i]);
	spin_lock_bh(&info->stats_lock);
	for (i = 0; i < info->conf.nr_queues; i++)
		netfront_add_queue(&info->gone, &queues[i]);
	info->queues = NULL;
	spin_unlock_bh(&info->stats_lock);
	kvfree(queues);
}

/**
 * netfront_napi_set() - enable or disable the queues' NAPI
 * @info: the device
 * @on: the state wanted
 *
 * Called with rtnl held, by open and stop and around a connection.  An
 * enabled poll is run once at once, for responses that came meanwhile.
 */
void netfront_napi_set(struct netfront_info *info, bool on)
{
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; info->queues && i < info->conf.nr_queues; i++) {
		struct netfront_queue *q = &info->queues[i];

		if (!q->napi_added || q->napi_on == on)
			continue;
		q->napi_on = on;
		if (on) {
			napi_enable(&q->napi);
			/* Runs the poll here, as bottom halves come back on. */
			local_bh_disable();
			napi_schedule(&q->napi);
			local_bh_enable();
		} else {
			napi_disable(&q->napi);
		}
	}
}

/**
 * netfront_data_start() - let packets flow on a connected device
 * @info: the device, with its queues set up and the backend Connected
 *
 * Called with the device mutex and rtnl held.
 */
void netfront_data_start(struct netfront_info *info)
{
	struct net_device *ndev = info->ndev;

	ASSERT_RTNL();
	netif_set_real_num_tx_queues(ndev, info->conf.nr_queues);
	netif_set_real_num_rx_queues(ndev, info->conf.nr_queues);
	netdev_update_features(ndev);
	if (!info->conf.sg && ndev->mtu > ETH_DATA_LEN)
		dev_set_mtu(ndev, ETH_DATA_LEN);
	WRITE_ONCE(info->connected, true);
	if (netif_running(ndev))
		netfront_napi_set(info, true);
	netif_carrier_on(ndev);
	netif_tx_wake_all_queues(ndev);
}

/**
 * netfront_data_stop() - stop all traffic before a teardown
 * @info: the device
 *
 * On return no transmit runs and no poll is scheduled.  Called with the
 * device mutex and rtnl held.  Idempotent.
 */
void netfront_data_stop(struct netfront_info *info)
{
	struct net_device *ndev = info->ndev;

	ASSERT_RTNL();
	WRITE_ONCE(info->connected, false);
	/* XDP frames of other devices' polls now see us down. */
	synchronize_net();
	netif_carrier_off(ndev);
	/* Takes each queue's transmit lock: a transmit in progress ends. */
	netif_tx_disable(ndev);
	netfront_napi_set(info, false);
}
