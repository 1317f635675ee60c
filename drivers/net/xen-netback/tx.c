// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netback: packets the guest transmits.
 *
 * The NAPI poll copies each transmit slot once out of the shared ring
 * and feeds the copy to the protocol core, which gathers a packet and
 * judges it.  A good packet's bytes are grant-copied from the guest's
 * pages into a fresh skb: a linear head that holds every header we parse
 * (XSA-423/432: headers split over slots arrive in one piece), then whole
 * pages.  Every consumed slot is answered exactly once, whatever became
 * of its packet.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <xen/events.h>
#include <xen/page.h>
#include "netback.h"

static_assert(PAGE_SIZE == NETIF_PAGE_SIZE);
static_assert(NETBACK_TX_COPIES <= NETBACK_RX_COPIES);
/* The pages after the head hold the rest of the largest packet. */
static_assert(DIV_ROUND_UP(65535 - NETBACK_TX_LINEAR_HEAD, PAGE_SIZE) <=
	      MAX_SKB_FRAGS);

/**
 * netback_tx_rearm() - ask for the transmit ring's next event
 * @q: the queue, from the end of its NAPI poll
 *
 * Asked for only as the poll ends, not each time its loop finds the ring
 * empty: an event for requests that the poll then takes itself would
 * find nothing left, and count as spurious.  A throttled queue asks for
 * none; its credit timer resumes it.
 *
 * Return: true if requests are waiting and the poll must run again.
 */
bool netback_tx_rearm(struct netback_queue *q)
{
	if (READ_ONCE(q->broken) || READ_ONCE(q->throttled))
		return false;
	set_bit(NETBACK_TX_ARMED, &q->flags);
	/* The mark before the index: the event it asks for may come at once. */
	smp_mb__after_atomic();
	if (!xenring_req_rearm(&q->tx))
		return false;
	/* Posted before the index moved: most likely no event comes for them. */
	clear_bit(NETBACK_TX_ARMED, &q->flags);
	return true;
}

/**
 * netback_tx_event() - judge an event of the transmit ring
 * @q: the queue, from the transmit event handler, not broken
 * @due: set to whether the event is work that needs no poll
 *
 * An event is work if requests wait on the ring, and the poll must run
 * for them unless the queue is throttled (its credit timer resumes it).
 * It is work as well, with nothing waiting, if it is the event the poll
 * asked for and a poll took its requests before it came: one that runs
 * for a received packet takes whatever waits.  Such an event is marked
 * due once, when the first of its requests is taken; a guest that sends
 * events in a loop, with nothing new on the ring, still has them judged
 * spurious.  One look at the ring decides: a poll may empty it while we
 * judge.
 *
 * Return: true if the poll must run.
 */
bool netback_tx_event(struct netback_queue *q, bool *due)
{
	bool waiting = READ_ONCE(q->tx.sh->req_prod) != READ_ONCE(q->tx.cons);

	/*
	 * Requests wait: this is the event asked for, and a later take
	 * marks none due, even while the queue is throttled.
	 */
	if (waiting)
		clear_bit(NETBACK_TX_ARMED, &q->flags);
	*due = test_and_clear_bit(NETBACK_TX_EVENT_DUE, &q->flags);
	return waiting && !READ_ONCE(q->throttled);
}

/**
 * netback_credit_init() - a full interval's credit, from now
 * @q: the queue, before its poll runs or from it
 */
void netback_credit_init(struct netback_queue *q)
{
	struct netback_vif *vif = q->vif;

	q->credit = READ_ONCE(vif->rate_bytes);
	q->credit_end = jiffies +
		max(usecs_to_jiffies(READ_ONCE(vif->rate_usec)), 1ul);
}

/**
 * netback_credit_timer() - new credit is due: resume the transmit ring
 * @t: the queue's credit timer
 */
void netback_credit_timer(struct timer_list *t)
{
	struct netback_queue *q = from_timer(q, t, credit_timer);

	WRITE_ONCE(q->throttled, false);
	napi_schedule(&q->napi);
}

/*
 * The toolstack's "rate": may the next packet start?  A packet may
 * overdraw the credit once; the debt is paid from the next interval's.
 */
static bool netback_credit_ok(struct netback_queue *q)
{
	struct netback_vif *vif = q->vif;
	u64 bytes = READ_ONCE(vif->rate_bytes);
	unsigned long now = jiffies;

	if (!bytes)
		return true;
	if (time_after_eq(now, q->credit_end)) {
		q->credit = min_t(s64, q->credit + bytes, bytes);
		q->credit_end = now +
			max(usecs_to_jiffies(READ_ONCE(vif->rate_usec)), 1ul);
	}
	if (q->credit > 0)
		return true;
	WRITE_ONCE(q->throttled, true);
	netback_count(q, &q->stats.credit_waits, 1);
	mod_timer(&q->credit_timer, q->credit_end);
	return false;
}

/* Copy operations for @len bytes of a guest page into our memory at @dst. */
static bool netback_tx_copy_add(struct netback_queue *q, u32 *nr,
				grant_ref_t gref, u32 off, u8 *dst, u32 len)
{
	while (len) {
		u32 chunk = min_t(u32, len, PAGE_SIZE - offset_in_page(dst));
		struct gnttab_copy *op;

		if (*nr >= NETBACK_TX_COPIES)
			return false;
		op = &q->copies[(*nr)++];
		memset(op, 0, sizeof(*op));
		op->source.u.ref = gref;
		op->source.domid = q->vif->domid;
		op->source.offset = off;
		op->dest.u.gmfn = virt_to_gfn(dst);
		op->dest.domid = DOMID_SELF;
		op->dest.offset = offset_in_page(dst);
		op->len = chunk;
		op->flags = GNTCOPY_source_gref;
		dst += chunk;
		off += chunk;
		len -= chunk;
	}
	return true;
}

/*
 * The copy operations that fill @skb (its head and page frags already
 * sized to the packet) from the gathered slots, in order.
 */
static int netback_tx_copies(struct netback_queue *q, struct sk_buff *skb)
{
	const struct netback_tx_pkt *pkt = &q->pkt;
	u32 nr = 0, si = 0, soff = 0, i;
	int seg;

	for (seg = -1; seg < skb_shinfo(skb)->nr_frags; seg++) {
		u8 *dst;
		u32 len;

		if (seg < 0) {
			dst = skb->data;
			len = skb_headlen(skb);
		} else {
			skb_frag_t *f = &skb_shinfo(skb)->frags[seg];

			dst = page_address(skb_frag_page(f)) + skb_frag_off(f);
			len = skb_frag_size(f);
		}
		while (len) {
			const struct netback_tx_frag *src;
			u32 n;

			if (si >= pkt->nr_frags)
				return -EINVAL;
			src = &pkt->frags[si];
			n = min(len, src->size - soff);
			if (!n) {
				si++;
				soff = 0;
				continue;
			}
			if (!netback_tx_copy_add(q, &nr, src->gref,
						 src->offset + soff, dst, n))
				return -E2BIG;
			dst += n;
			len -= n;
			soff += n;
		}
	}
	gnttab_batch_copy(q->copies, nr);
	for (i = 0; i < nr; i++)
		if (q->copies[i].status != GNTST_okay)
			return -EFAULT;
	return 0;
}

static struct sk_buff *netback_tx_skb(struct netback_queue *q)
{
	u32 len = q->pkt.len;
	u32 head = len <= NETBACK_TX_LINEAR_ALL ? len : NETBACK_TX_LINEAR_HEAD;
	struct sk_buff *skb;
	u32 rest, i;

	skb = napi_alloc_skb(&q->napi, head);
	if (!skb)
		return NULL;
	skb_put(skb, head);
	for (i = 0, rest = len - head; rest; i++) {
		u32 n = min_t(u32, rest, PAGE_SIZE);
		struct page *page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);

		if (!page) {
			kfree_skb(skb);
			return NULL;
		}
		skb_add_rx_frag(skb, i, page, 0, n, PAGE_SIZE);
		rest -= n;
	}
	return skb;
}

/* Checksum state and GSO from what came with the packet. */
static int netback_tx_offloads(struct netback_queue *q, struct sk_buff *skb)
{
	const struct netback_tx_pkt *pkt = &q->pkt;
	bool gso = pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE;
	int err;

	skb->protocol = eth_type_trans(skb, q->vif->ndev);
	skb_reset_network_header(skb);
	if ((pkt->flags & NETTXF_csum_blank) || gso) {
		/* Pulls what it parses into the head; fails a bad header. */
		err = skb_checksum_setup(skb, true);
		if (err)
			return err;
	} else if (pkt->flags & NETTXF_data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	if (!gso)
		return 0;
	/* TCP, of the family the GSO type names. */
	if (skb->ip_summed != CHECKSUM_PARTIAL ||
	    skb->csum_offset != offsetof(struct tcphdr, check) ||
	    skb->protocol != htons(pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ?
				   ETH_P_IP : ETH_P_IPV6))
		return -EPROTO;
	skb_shinfo(skb)->gso_size = pkt->gso_size;
	skb_shinfo(skb)->gso_type = SKB_GSO_DODGY |
		(pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ? SKB_GSO_TCPV4 :
							     SKB_GSO_TCPV6);
	/* The stack counts the segments of a DODGY packet itself. */
	skb_shinfo(skb)->gso_segs = 0;
	return 0;
}

/* A good packet: copy it in and hand it on; its answer's status. */
static s16 netback_tx_deliver(struct netback_queue *q)
{
	struct sk_buff *skb;
	int err;

	skb = netback_tx_skb(q);
	if (!skb) {
		netback_count(q, &q->stats.rx_errors, 1);
		return NETIF_RSP_ERROR;
	}
	err = netback_tx_copies(q, skb);
	if (err) {
		if (err == -EFAULT)
			netback_count(q, &q->stats.copy_errors, 1);
		goto drop;
	}
	err = netback_tx_offloads(q, skb);
	if (err)
		goto drop;
	u64_stats_update_begin(&q->stats.syncp);
	u64_stats_inc(&q->stats.rx_packets);
	u64_stats_add(&q->stats.rx_bytes, q->pkt.len);
	if (skb_is_gso(skb))
		u64_stats_inc(&q->stats.rx_gso);
	u64_stats_update_end(&q->stats.syncp);
	napi_gro_receive(&q->napi, skb);
	return NETIF_RSP_OKAY;

drop:
	kfree_skb(skb);
	netback_count(q, &q->stats.rx_errors, 1);
	return NETIF_RSP_ERROR;
}

/* A packet has its verdict: act on it and answer each of its slots. */
static void netback_tx_done(struct netback_queue *q,
			    enum netback_tx_verdict v)
{
	struct netback_tx_pkt *pkt = &q->pkt;
	s16 status = netback_tx_status(pkt);
	u32 i;

	switch (v) {
	case NETBACK_TX_OK:
		status = netback_tx_deliver(q);
		if (status == NETIF_RSP_OKAY && READ_ONCE(q->vif->rate_bytes))
			q->credit -= pkt->len;
		break;
	case NETBACK_TX_CTRL:
		netback_mcast_change(q->vif, pkt->mcast_op, pkt->mcast_addr);
		break;
	default:
		netback_count(q, &q->stats.rx_errors, 1);
		if (net_ratelimit())
			netdev_info(q->vif->ndev, "queue %u: dropped a transmitted packet: %s\n",
				    q->index, pkt->why ? pkt->why : "refused");
		break;
	}
	for (i = 0; i < pkt->nr_slots; i++) {
		struct netif_tx_response rsp;

		netback_tx_rsp(pkt, i, status, &rsp);
		/* Cannot fail: each answer is for a slot consumed. */
		xenring_put_rsp(&q->tx, &rsp, sizeof(rsp));
	}
}

static void netback_tx_push(struct netback_queue *q)
{
	if (xenring_push_rsps(&q->tx))
		notify_remote_via_irq(q->tx_irq);
}

/**
 * netback_tx_poll() - take what the guest transmitted
 * @q: the queue, from its NAPI poll
 * @budget: most packets to take
 *
 * Return: packets taken (delivered or refused).
 */
int netback_tx_poll(struct netback_queue *q, int budget)
{
	struct netback_vif *vif = q->vif;
	u8 slot[NETIF_TX_SLOT_SIZE];
	int done = 0;

	while (done < budget && !q->broken) {
		enum netback_tx_verdict v;
		int avail = xenring_req_avail(&q->tx);

		if (avail < 0) {
			netback_fatal(q, "transmit request producer beyond the ring");
			break;
		}
		/* The next event is asked for once the poll ends. */
		if (!avail)
			break;
		if (!q->pkt.nr_slots && !netback_credit_ok(q))
			break;
		/* Requests of the event asked for, taken before it came. */
		netback_flag_move(q, NETBACK_TX_ARMED, NETBACK_TX_EVENT_DUE);
		xenring_take_req(&q->tx, slot, sizeof(slot));
		v = netback_tx_feed(&q->pkt, slot);
		if (v == NETBACK_TX_MORE)
			continue;
		netback_tx_done(q, v);
		done++;
		if (v == NETBACK_TX_FATAL) {
			netback_fatal(q, q->pkt.why);
			break;
		}
		netback_tx_start(&q->pkt, &vif->tx_lim);
		if (!(done % 64))
			netback_tx_push(q);
	}
	netback_tx_push(q);
	return done;
}
