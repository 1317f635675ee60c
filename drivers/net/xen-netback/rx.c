// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netback: packets for the guest.
 *
 * ndo_start_xmit puts an skb on its queue's backlog and wakes the poll
 * (on another CPU for a large packet that finds it idle, see
 * netback_rx_schedule()), which grant-copies it into as many of the
 * guest's receive buffers as it needs and answers them.  The guest
 * decides how fast its buffers come back, so the backlog is bounded
 * (XSA-392): above rx_backlog_kib the stack's queue is stopped, a packet
 * that waited for rx_drain_msecs is dropped with all behind it, and
 * until the guest posts buffers again its packets are dropped at once
 * instead of queued.
 *
 * Apart from that, a queue whose poll has waited rx_stall_timeout_msecs
 * for the guest's buffers (for its next packet, or for the end of a
 * drain) counts as stalled, and while any queue of the vif is stalled
 * its carrier is off (dev.c), so that a bridge stops sending to a guest
 * that stopped taking packets.  The first packet the guest's buffers let through,
 * or the end of a drain, ends the stall.  Only the guest's buffers end
 * it: a stalled queue with nothing to deliver waits for as many as end a
 * drain, and an event is work only once they are posted.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/sched/isolation.h>
#include <linux/skbuff.h>
#include <xen/events.h>
#include <xen/page.h>
#include "netback.h"

static unsigned int rx_backlog_kib = 512;
module_param(rx_backlog_kib, uint, 0644);
MODULE_PARM_DESC(rx_backlog_kib, "KiB of packets a queue holds for a guest before the stack waits (default 512)");

/* Read with READ_ONCE() each time a waiting packet's deadline is set. */
static unsigned int rx_drain_msecs = 10000;
module_param(rx_drain_msecs, uint, 0644);
MODULE_PARM_DESC(rx_drain_msecs, "Milliseconds a packet waits for the guest's buffers before the queue is drained (default 10000); a change applies at once");
/* The same setting under the name older drivers gave it, read-only. */
module_param_named(rx_drain_timeout_msecs, rx_drain_msecs, uint, 0444);
MODULE_PARM_DESC(rx_drain_timeout_msecs, "Same as rx_drain_msecs (read-only under this name)");

/* Read-only once loaded: set at boot or at module load. */
static unsigned int rx_stall_timeout_msecs = 60000;
module_param(rx_stall_timeout_msecs, uint, 0444);
MODULE_PARM_DESC(rx_stall_timeout_msecs, "Milliseconds a queue waits for the guest's receive buffers before it counts as stalled; the carrier is off while any queue of the vif is (default 60000, 0: never)");

/* Receive buffers that make a stalled queue usable again. */
#define NETBACK_RX_UNSTALL	NETBACK_RX_MAX_SLOTS

/**
 * struct netback_rx_cb - what the backlog keeps with an skb
 * @queued: jiffies when it was queued
 * @hash: its Toeplitz hash, if @has_hash
 * @hash_type: the hash type's bit number
 * @has_hash: the guest enabled hashing of this packet
 */
struct netback_rx_cb {
	unsigned long queued;
	u32 hash;
	u8 hash_type;
	bool has_hash;
};

static_assert(sizeof(struct netback_rx_cb) <= sizeof_field(struct sk_buff, cb));

static struct netback_rx_cb *netback_rx_cb(struct sk_buff *skb)
{
	return (struct netback_rx_cb *)skb->cb;
}

static unsigned long netback_drain_jiffies(void)
{
	return max(msecs_to_jiffies(READ_ONCE(rx_drain_msecs)), 1ul);
}

/* 0 if queues never stall; at least a jiffy otherwise. */
static unsigned long netback_stall_jiffies(void)
{
	return msecs_to_jiffies(rx_stall_timeout_msecs);
}

/*
 * A packet of at least this many bytes (a TCP stream's GSO packet, say)
 * that finds the poll idle has it scheduled on another CPU.  Scheduled
 * here, the poll would run on the sender's CPU as soon as its transmit
 * ends, and the sender would wait while its packets are copied; on
 * another CPU the copies overlap with its next packets.  A smaller packet
 * (a request, a reply, an ACK) is copied here, at once, for its latency.
 */
#define NETBACK_RX_HANDOFF_BYTES	(16 * 1024)

/**
 * netback_rx_handoff_work() - run a queue's poll on this CPU
 * @work: the queue's @rx_handoff
 *
 * netback_rx_schedule() claimed the poll's scheduling (the NAPI SCHED
 * state) before it queued this, so nobody else has scheduled it.
 */
void netback_rx_handoff_work(struct work_struct *work)
{
	struct netback_queue *q = container_of(work, struct netback_queue,
					       rx_handoff);

	/* The poll runs when bottom halves are enabled again. */
	local_bh_disable();
	__napi_schedule(&q->napi);
	local_bh_enable();
}

/* Schedule @q's poll for a packet of @len bytes; see above. */
static void netback_rx_schedule(struct netback_queue *q, unsigned int len)
{
	const struct cpumask *hk = housekeeping_cpumask(HK_TYPE_WQ);
	unsigned int cpu, this;

	if (len < NETBACK_RX_HANDOFF_BYTES) {
		napi_schedule(&q->napi);
		return;
	}
	if (!napi_schedule_prep(&q->napi))
		return;		/* scheduled already, or being disabled */
	/*
	 * The claim is ours now: nobody else schedules the poll until it
	 * has run.  The next CPU that runs work items (not an isolated one),
	 * else this one.
	 */
	this = smp_processor_id();
	cpu = cpumask_next_and(this, cpu_online_mask, hk);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first_and(cpu_online_mask, hk);
	if (cpu >= nr_cpu_ids || cpu == this) {
		__napi_schedule(&q->napi);
		return;
	}
	/* Queued only with the claim, so never still pending here. */
	WARN_ON_ONCE(!queue_work_on(cpu, system_highpri_wq, &q->rx_handoff));
}

/**
 * netback_start_xmit() - queue a packet for the guest
 * @skb: the packet
 * @ndev: the vif
 *
 * Return: NETDEV_TX_OK; a packet that cannot go is dropped and counted.
 */
netdev_tx_t netback_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct netback_vif *vif = netdev_priv(ndev);
	u16 index = skb_get_queue_mapping(skb);
	struct netback_queue *queues, *q;
	struct netback_rx_cb *cb;
	unsigned int len;
	bool stop;

	/*
	 * A poll may wake a stack queue while the vif disconnects.  The
	 * queues stay until every transmit that saw the vif connected has
	 * returned (netback_queues_stop() waits for the RCU-bh section we
	 * run in); later ones drop their packet here.
	 */
	if (!smp_load_acquire(&vif->connected))
		goto drop;
	queues = READ_ONCE(vif->queues);
	if (!queues || index >= READ_ONCE(vif->nr_queues))
		goto drop;
	q = &queues[index];
	if (READ_ONCE(q->broken))
		goto drop;
	/* skb->data is the Ethernet header here. */
	if (is_multicast_ether_addr(skb->data) &&
	    !is_broadcast_ether_addr(skb->data) &&
	    !netback_mcast_wanted(vif, skb->data))
		goto drop;
	if (skb_has_frag_list(skb) && __skb_linearize(skb))
		goto drop;

	len = skb->len;
	cb = netback_rx_cb(skb);
	cb->queued = jiffies;
	cb->has_hash = netback_rx_hash(vif, skb, &cb->hash, &cb->hash_type);
	spin_lock(&q->rx_lock);
	if (q->stalled) {
		spin_unlock(&q->rx_lock);
		goto drop;
	}
	__skb_queue_tail(&q->backlog, skb);
	q->backlog_bytes += skb->len;
	stop = q->backlog_bytes >= READ_ONCE(rx_backlog_kib) * 1024;
	if (stop)
		netif_tx_stop_queue(netdev_get_tx_queue(ndev, index));
	spin_unlock(&q->rx_lock);
	/* The poll may have taken @skb already. */
	netback_rx_schedule(q, len);
	return NETDEV_TX_OK;

drop:
	/* The poll owns the queue's counters; these are per CPU. */
	dev_core_stats_tx_dropped_inc(ndev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* Take the backlog's head off (the poll's; nobody else dequeues). */
static void netback_rx_unlink(struct netback_queue *q, struct sk_buff *skb)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->vif->ndev, q->index);

	spin_lock(&q->rx_lock);
	__skb_unlink(skb, &q->backlog);
	q->backlog_bytes -= skb->len;
	if (netif_tx_queue_stopped(txq) &&
	    q->backlog_bytes < READ_ONCE(rx_backlog_kib) * 512)
		netif_tx_wake_queue(txq);
	spin_unlock(&q->rx_lock);
}

/**
 * netback_rx_purge() - drop every packet waiting for the guest
 * @q: the queue, from its poll, or with the poll and ndo_start_xmit
 *	stopped
 */
void netback_rx_purge(struct netback_queue *q)
{
	struct sk_buff_head gone;
	u32 n;

	__skb_queue_head_init(&gone);
	spin_lock_bh(&q->rx_lock);
	skb_queue_splice_init(&q->backlog, &gone);
	q->backlog_bytes = 0;
	n = skb_queue_len(&gone);
	if (n)
		netback_count(q, &q->stats.tx_dropped, n);
	spin_unlock_bh(&q->rx_lock);
	__skb_queue_purge(&gone);
}

/*
 * Has the guest's request producer reached the goal the poll waits for?
 * If so, what it found becomes what the guest may never take back.
 */
static bool netback_rx_reached(struct netback_queue *q)
{
	u32 prod;

	if (READ_ONCE(q->broken) || !test_bit(NETBACK_RX_WAITING, &q->flags))
		return false;
	/*
	 * The goal was set before the flag (netback_rx_wait()); a wait
	 * still on may have its goal replaced, and either is judged.
	 */
	smp_rmb();
	prod = READ_ONCE(q->rx.sh->req_prod);
	if ((s32)(prod - READ_ONCE(q->rx_goal)) < 0)
		return false;
	/* What the poll may never see undone. */
	smp_store_release(&q->rx_judged, prod);
	return true;
}

/*
 * Does an event let the poll deliver more packets?  An event is work only
 * if it makes progress possible (XSA-332): the poll waits for the guest's
 * receive buffers, for the next packet or for the end of a stall, and the
 * guest's request producer has reached what it waits for.  Each wait is
 * ended by one event at most, or by a claim (netback_rx_claim()), which
 * marks an event due instead; the others, with buffers that are too few
 * or with none at all, are spurious, and late EOI slows a guest that
 * sends them in a loop.
 */
static bool netback_rx_pending(struct netback_queue *q)
{
	return netback_rx_reached(q) &&
	       test_and_clear_bit(NETBACK_RX_WAITING, &q->flags);
}

/**
 * netback_rx_event() - judge an event of the receive ring
 * @q: the queue, from an event handler
 * @run: set to whether the poll must run for the event
 *
 * Work is the event a wait asked for.  Either it ends the wait itself
 * (netback_rx_pending()), and the poll must run; or a claim found the
 * buffers before it came and marked an event due (netback_rx_claim()):
 * judged spurious, it would slow the guest's next events with late EOI.
 * An event takes one wait's judgment only: if a later wait has ended
 * too, it claims that one, leaving the mark to the next event (most
 * often that wait's own; merged notifications may leave it to a later
 * one).  Marks come from waits that ended, one each, so a guest that
 * sends events in a loop still gets all but those judged spurious.
 *
 * Return: true if the event is work.
 */
bool netback_rx_event(struct netback_queue *q, bool *run)
{
	*run = netback_rx_pending(q);
	if (*run)
		return true;
	/*
	 * The wait first, then the mark: the poll moves one to the other in
	 * one step, so a wait gone from under us left its mark.
	 */
	if (!test_and_clear_bit(NETBACK_RX_EVENT_DUE, &q->flags))
		return false;
	*run = netback_rx_claim(q);
	return true;
}

/**
 * netback_rx_claim() - the poll ends the wait itself, if it can
 * @q: the queue, from its NAPI poll or an event handler
 *
 * If the guest's buffers reached the goal of the wait, the wait ends
 * here, and the next event (most often the one the wait asked for, on
 * its way) is marked due for netback_rx_event().  One step, so that an
 * event that looks meanwhile, at the wait first and then at the mark,
 * finds one of them.
 *
 * Return: true if the wait ended here.
 */
bool netback_rx_claim(struct netback_queue *q)
{
	return netback_rx_reached(q) &&
	       netback_flag_move(q, NETBACK_RX_WAITING, NETBACK_RX_EVENT_DUE);
}

/*
 * The poll's netback_rx_claim(): what the claim found moves *@judged on
 * too, so that the poll's next look catches a guest that took the
 * buffers back.
 */
static bool netback_rx_claim_judged(struct netback_queue *q, u32 *judged)
{
	u32 j;

	if (!netback_rx_claim(q))
		return false;
	/* Pairs with netback_rx_reached(): what the claim found. */
	j = smp_load_acquire(&q->rx_judged);
	if ((s32)(j - *judged) > 0)
		*judged = j;
	return true;
}

/*
 * Wait until the guest has posted @n buffers beyond those consumed: the
 * next event that finds them is work (netback_rx_pending()).  Returns
 * true, and waits no more, if they are there already, or if a wait still
 * on has just ended (the poll looks again); *@judged then moves to what
 * was found, since the guest may not take it back either.
 */
static bool netback_rx_wait(struct netback_queue *q, u32 n, u32 *judged)
{
	u32 goal = q->rx.cons + n;

	/* A wait still on whose buffers came ends here (a claim). */
	if (netback_rx_claim_judged(q, judged))
		return true;
	WRITE_ONCE(q->rx_goal, goal);
	/* The goal before the flag that makes events look at it. */
	smp_mb__before_atomic();
	set_bit(NETBACK_RX_WAITING, &q->flags);
	/* The flag before the event index that the guest's event follows. */
	smp_mb__after_atomic();
	if (!xenring_req_rearm_for(&q->rx, n))
		return false;
	clear_bit(NETBACK_RX_WAITING, &q->flags);
	if ((s32)(goal - *judged) > 0)
		*judged = goal;
	return true;
}

/**
 * netback_stall_timer() - a waiting packet's drain time is up, or the
 *	queue's stall timeout
 * @t: the queue's stall timer
 */
void netback_stall_timer(struct timer_list *t)
{
	struct netback_queue *q = from_timer(q, t, stall_timer);

	napi_schedule(&q->napi);
}

/* What goes with @skb to the guest; false if the guest cannot take it. */
static bool netback_rx_meta(struct netback_queue *q, struct sk_buff *skb,
			    struct netback_rx_meta *meta)
{
	const struct netback_conf *c = &q->vif->conf;

	memset(meta, 0, sizeof(*meta));
	meta->gso_type = XEN_NETIF_GSO_TYPE_NONE;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		meta->flags = NETRXF_csum_blank | NETRXF_data_validated;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		meta->flags = NETRXF_data_validated;
	if (skb_is_gso(skb)) {
		unsigned int t = skb_shinfo(skb)->gso_type;

		if (t & SKB_GSO_TCPV4)
			meta->gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
		else if (t & SKB_GSO_TCPV6)
			meta->gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
		if (meta->gso_type == XEN_NETIF_GSO_TYPE_NONE ||
		    !(c->gso_types & (1u << meta->gso_type)))
			return false;
		meta->gso_size = skb_shinfo(skb)->gso_size;
	}
	/* Read once per packet: the frontend may change it while we run. */
	meta->headroom = READ_ONCE(q->vif->xdp_headroom);
	if (!c->sg && skb->len > NETIF_PAGE_SIZE)
		return false;
	meta->has_hash = netback_rx_cb(skb)->has_hash;
	meta->hash_type = netback_rx_cb(skb)->hash_type;
	meta->hash = netback_rx_cb(skb)->hash;
	return true;
}

/**
 * struct netback_rx_dst - where a received packet goes in the guest
 * @grefs: the grants of its receive requests, in ring order
 * @extras: requests after the first that carry extras, not data
 * @headroom: where the data start in each buffer
 */
struct netback_rx_dst {
	const grant_ref_t *grefs;
	u32 extras;
	u32 headroom;
};

/*
 * Copy operations for @len bytes of our @page (at @off, which may run
 * past the first page of a compound page) into the guest's buffers, at
 * byte @*pos of the packet.
 */
static bool netback_rx_copy_add(struct netback_queue *q, u32 *nr,
				struct page *page, u32 off, u32 len, u32 *pos,
				const struct netback_rx_dst *dst)
{
	u32 room = NETIF_PAGE_SIZE - dst->headroom;

	while (len) {
		struct page *p = page + (off >> PAGE_SHIFT);
		u32 poff = off & ~PAGE_MASK;
		u32 doff = *pos % room;
		u32 slot = *pos / room;
		u32 chunk = min3(len, (u32)PAGE_SIZE - poff, room - doff);
		struct gnttab_copy *op;

		if (*nr >= NETBACK_RX_COPIES)
			return false;
		op = &q->copies[(*nr)++];
		memset(op, 0, sizeof(*op));
		op->source.u.gmfn = xen_page_to_gfn(p);
		op->source.domid = DOMID_SELF;
		op->source.offset = poff;
		/* The extras' requests follow the first data request. */
		op->dest.u.ref = dst->grefs[slot ? slot + dst->extras : 0];
		op->dest.domid = q->vif->domid;
		op->dest.offset = dst->headroom + doff;
		op->len = chunk;
		op->flags = GNTCOPY_dest_gref;
		off += chunk;
		*pos += chunk;
		len -= chunk;
	}
	return true;
}

/* Add the copy operations of @skb from operation @*nr on; false if full. */
static bool netback_rx_copy(struct netback_queue *q, struct sk_buff *skb,
			    const struct netback_rx_dst *dst, u32 *nr)
{
	u32 pos = 0, i;

	if (!netback_rx_copy_add(q, nr, virt_to_page(skb->data),
				 offset_in_page(skb->data), skb_headlen(skb),
				 &pos, dst))
		return false;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		if (!netback_rx_copy_add(q, nr, skb_frag_page(f),
					 skb_frag_off(f), skb_frag_size(f),
					 &pos, dst))
			return false;
	}
	return true;
}

/* Answer one packet of the batch whose copies are done. */
static void netback_rx_answer(struct netback_queue *q,
			      struct netback_rx_pending *p)
{
	u8 rsps[NETBACK_RX_MAX_SLOTS][NETIF_RX_SLOT_SIZE];
	struct sk_buff *skb = p->skb;
	bool ok = p->nr_copies;
	u32 i;

	for (i = 0; i < p->nr_copies; i++)
		if (q->copies[p->first_copy + i].status != GNTST_okay)
			ok = false;
	ok = ok && netback_rx_build(&p->meta, skb->len, p->ids, p->need, rsps,
				    p->need) == p->need;
	for (i = 0; i < p->need; i++) {
		struct netif_rx_response r;

		if (ok) {
			xenring_put_rsp(&q->rx, rsps[i], NETIF_RX_SLOT_SIZE);
			continue;
		}
		/* The packet failed: each buffer is answered as an error. */
		memset(&r, 0, sizeof(r));
		r.id = p->ids[i];
		r.status = NETIF_RSP_ERROR;
		xenring_put_rsp(&q->rx, &r, sizeof(r));
	}
	u64_stats_update_begin(&q->stats.syncp);
	if (ok) {
		u64_stats_inc(&q->stats.tx_packets);
		u64_stats_add(&q->stats.tx_bytes, skb->len);
		if (skb_is_gso(skb))
			u64_stats_inc(&q->stats.tx_gso);
	} else {
		u64_stats_inc(&q->stats.tx_dropped);
		u64_stats_inc(&q->stats.copy_errors);
	}
	u64_stats_update_end(&q->stats.syncp);
}

static void netback_rx_push(struct netback_queue *q)
{
	if (xenring_push_rsps(&q->rx))
		notify_remote_via_irq(q->rx_irq ? q->rx_irq : q->tx_irq);
}

/*
 * Copy the batch in one hypercall, then answer its packets in ring order
 * and free them.
 */
static void netback_rx_flush(struct netback_queue *q, int budget)
{
	u32 i;

	if (!q->rx_nr_batch)
		return;
	gnttab_batch_copy(q->copies, q->rx_nr_copies);
	for (i = 0; i < q->rx_nr_batch; i++) {
		netback_rx_answer(q, &q->rx_batch[i]);
		napi_consume_skb(q->rx_batch[i].skb, budget);
	}
	q->rx_nr_batch = 0;
	q->rx_nr_copies = 0;
	netback_rx_push(q);
}

/*
 * Take @need of the guest's buffers for @skb and add its copies to the
 * batch, copying the batch first if it is full.
 */
static void netback_rx_add(struct netback_queue *q, struct sk_buff *skb,
			   const struct netback_rx_meta *meta, u32 need,
			   int budget)
{
	grant_ref_t grefs[NETBACK_RX_MAX_SLOTS];
	struct netback_rx_dst dst = {
		.grefs = grefs,
		.headroom = meta->headroom,
		.extras = need - DIV_ROUND_UP(skb->len, NETIF_PAGE_SIZE -
						       meta->headroom),
	};
	struct netback_rx_pending *p;
	u32 i, nr, start;
	bool ok;

	if (q->rx_nr_batch == NETBACK_RX_BATCH)
		netback_rx_flush(q, budget);
	p = &q->rx_batch[q->rx_nr_batch++];
	p->skb = skb;
	p->meta = *meta;
	p->need = need;
	for (i = 0; i < need; i++) {
		struct netif_rx_request req;

		xenring_take_req(&q->rx, &req, sizeof(req));
		p->ids[i] = req.id;
		grefs[i] = req.gref;
	}
	start = q->rx_nr_copies;
	nr = start;
	ok = netback_rx_copy(q, skb, &dst, &nr);
	if (!ok && q->rx_nr_batch > 1) {
		/* No room left: copy the others first, then this one alone. */
		q->rx_nr_batch--;
		netback_rx_flush(q, budget);
		q->rx_batch[0] = *p;
		p = &q->rx_batch[0];
		q->rx_nr_batch = 1;
		start = 0;
		nr = 0;
		ok = netback_rx_copy(q, skb, &dst, &nr);
	}
	/* One that does not fit even alone is answered as an error. */
	p->first_copy = start;
	p->nr_copies = ok ? nr - start : 0;
	q->rx_nr_copies = ok ? nr : start;
}

/*
 * Run the queue's stall clock after a run of its poll: the guest's
 * buffers let it deliver a packet, end a drain or end a stall (@served),
 * and the run ended waiting for more of them (@waits); either, both or
 * neither.  The clock starts at the first run that waits after one that
 * did not, or after one that was served.
 */
static void netback_rx_stall_clock(struct netback_queue *q, bool served,
				   bool waits)
{
	unsigned long timeout = netback_stall_jiffies(), now = jiffies;

	if (served) {
		WRITE_ONCE(q->rx_short, false);
		if (q->rx_carrier_stalled)
			netback_carrier_queue(q, false);
	} else if (!waits && !q->rx_carrier_stalled) {
		/* Nothing waits for buffers (a stalled queue always does). */
		WRITE_ONCE(q->rx_short, false);
	}
	if (!waits)
		return;
	if (!q->rx_short) {
		WRITE_ONCE(q->rx_short_since, now);
		WRITE_ONCE(q->rx_short, true);
	}
	if (q->rx_carrier_stalled || !timeout)
		return;
	if (netback_rx_stall_reached(q->rx_short_since, now, timeout))
		netback_carrier_queue(q, true);
	else
		/* The poll runs again then, or earlier for a drain. */
		timer_reduce(&q->stall_timer, q->rx_short_since + timeout);
}

/**
 * netback_rx_poll() - deliver waiting packets into the guest's buffers
 * @q: the queue, from its NAPI poll
 * @budget: most packets to deliver
 *
 * Return: packets delivered or dropped.
 */
int netback_rx_poll(struct netback_queue *q, int budget)
{
	bool served = false, waits = false;
	u32 judged;
	int done = 0;

	/*
	 * A wait whose buffers are there ends here, and its event, on its
	 * way, is marked due.  One still short stays: the guest may end it
	 * while we run, and its event is then work too.
	 */
	netback_rx_claim(q);
	/* Pairs with netback_rx_reached(): the ring shows what it judged. */
	judged = smp_load_acquire(&q->rx_judged);
	while (done < budget && !q->broken) {
		struct netback_rx_meta meta;
		struct sk_buff *skb;
		int avail;
		u32 need;

		avail = xenring_req_avail(&q->rx);
		if (avail < 0) {
			netback_fatal(q, "receive request producer beyond the ring");
			break;
		}
		/*
		 * An event, or our own look, found buffers that the guest
		 * took back: flipping its producer index would keep this
		 * loop going without ever delivering a packet.
		 */
		if ((s32)(q->rx.cons + avail - judged) < 0) {
			netback_fatal(q, "receive request producer moved backwards");
			break;
		}
		if (READ_ONCE(q->stalled)) {
			if (avail < NETBACK_RX_UNSTALL) {
				if (netback_rx_wait(q, NETBACK_RX_UNSTALL, &judged))
					continue;
				waits = true;
				break;
			}
			WRITE_ONCE(q->stalled, false);
			served = true;
			netdev_info(q->vif->ndev, "queue %u: the guest posts receive buffers again\n",
				    q->index);
		}
		spin_lock(&q->rx_lock);
		skb = skb_peek(&q->backlog);
		spin_unlock(&q->rx_lock);
		if (!skb) {
			/*
			 * Nothing to deliver, but a queue that counts as
			 * stalled for the carrier (perhaps the only thing
			 * that keeps it off) waits on for the guest's
			 * buffers, as many as end a drain: else no event
			 * would ever end its stall.
			 */
			if (!q->rx_carrier_stalled)
				break;
			if (avail >= NETBACK_RX_UNSTALL) {
				served = true;
				break;
			}
			if (netback_rx_wait(q, NETBACK_RX_UNSTALL, &judged))
				continue;
			waits = true;
			break;
		}
		need = netback_rx_meta(q, skb, &meta) ?
		       netback_rx_slots(skb->len, &meta) : 0;
		/* A packet the guest cannot take, now or ever. */
		if (!need || need > NETBACK_RX_MAX_SLOTS ||
		    need > q->rx.nr_slots) {
			netback_rx_unlink(q, skb);
			netback_count(q, &q->stats.tx_dropped, 1);
			dev_kfree_skb_any(skb);
			done++;
			continue;
		}
		if (avail < need) {
			unsigned long due = netback_rx_cb(skb)->queued +
					    netback_drain_jiffies();

			if (netback_rx_wait(q, need, &judged))
				continue;
			if (time_before(jiffies, due)) {
				mod_timer(&q->stall_timer, due);
				waits = true;
				break;
			}
			/* The guest took no buffers for too long. */
			WRITE_ONCE(q->stalled, true);
			netdev_info(q->vif->ndev, "queue %u: the guest posted no receive buffers for %u ms; dropping its packets\n",
				    q->index, jiffies_to_msecs(netback_drain_jiffies()));
			netback_rx_purge(q);
			netif_tx_wake_queue(netdev_get_tx_queue(q->vif->ndev,
								q->index));
			/* Now wait for the buffers that end the stall. */
			continue;
		}
		/* Buffers a wait asked for, taken before its event came. */
		netback_rx_claim_judged(q, &judged);
		netback_rx_unlink(q, skb);
		netback_rx_add(q, skb, &meta, need, budget);
		served = true;
		done++;
	}
	netback_rx_flush(q, budget);
	/* A broken queue's carrier is off for good (netback_vif_fatal()). */
	if (!q->broken)
		netback_rx_stall_clock(q, served, waits);
	return done;
}
