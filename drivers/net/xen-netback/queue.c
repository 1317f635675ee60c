// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netback: the queues of a connected vif.
 *
 * Each queue maps the guest's transmit and receive ring pages, binds its
 * event channel (or the transmit and receive pair) with late EOI, and
 * runs one NAPI poll that takes transmitted packets and delivers waiting
 * ones.  An event that brings no work is acknowledged as spurious, so
 * that Xen slows a guest that storms us (XSA-332); a queue that found
 * the guest broken never acknowledges an event again.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <xen/events.h>
#include <xen/xenbus.h>
#include "netback.h"

/* Read by xenbus.c's driver attribute. */
atomic_t netback_nr_ring_pages = ATOMIC_INIT(0);

static int netback_poll(struct napi_struct *napi, int budget)
{
	struct netback_queue *q = container_of(napi, struct netback_queue,
					       napi);
	int tx, rx;

	if (READ_ONCE(q->broken)) {
		napi_complete_done(napi, 0);
		return 0;
	}
	tx = netback_tx_poll(q, budget);
	/* netpoll only asks for transmit completions, which we have none. */
	rx = budget ? netback_rx_poll(q, budget) : 0;
	if (tx >= budget || rx >= budget)
		return budget;
	/* The transmit ring's next event, asked for while the poll owns it. */
	if (netback_tx_rearm(q))
		return budget;
	if (!napi_complete_done(napi, tx))
		return tx;
	if (netback_rx_claim(q))
		napi_schedule(napi);
	else if (test_and_clear_bit(NETBACK_TX_EOI, &q->flags))
		xen_irq_lateeoi(q->tx_irq, 0);
	return tx;
}

/*
 * The transmit event channel (and the receive one too, unless split).
 * Requests waiting on the transmit ring are work the poll will take, but
 * a guest could keep some there and send events in a loop; so the event
 * that schedules the poll is acknowledged by the poll, once it has taken
 * everything, and until then the guest's events on this channel wait.
 */
static irqreturn_t netback_tx_interrupt(int irq, void *dev_id)
{
	struct netback_queue *q = dev_id;
	bool run, due, rx_run;

	/* Never acknowledged: a broken guest's events stop here. */
	if (READ_ONCE(q->broken))
		return IRQ_HANDLED;
	run = netback_tx_event(q, &due);
	/* Shared with the receive ring: its part of the event is judged too. */
	if (!q->rx_irq && netback_rx_event(q, &rx_run)) {
		due = true;
		run = run || rx_run;
	}
	if (!run) {
		xen_irq_lateeoi(irq, due ? 0 : XEN_EOI_FLAG_SPURIOUS);
		return IRQ_HANDLED;
	}
	set_bit(NETBACK_TX_EOI, &q->flags);
	napi_schedule(&q->napi);
	return IRQ_HANDLED;
}

static irqreturn_t netback_rx_interrupt(int irq, void *dev_id)
{
	struct netback_queue *q = dev_id;
	bool work, run;

	if (READ_ONCE(q->broken))
		return IRQ_HANDLED;
	work = netback_rx_event(q, &run);
	if (run)
		napi_schedule(&q->napi);
	xen_irq_lateeoi(irq, work ? 0 : XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

/**
 * netback_map() - map one ring page of the frontend
 * @vif: the vif
 * @ref: the frontend's grant of the page
 * @va: set to the mapping, or left NULL if mapping failed
 * @r: the private view to attach
 * @slot_size: bytes per slot
 *
 * Return: 0 or an error; on error *@va may still need netback_unmap().
 */
int netback_map(struct netback_vif *vif, u32 ref, void **va,
		struct xenring *r, size_t slot_size)
{
	grant_ref_t gref = ref;
	int err;

	/* Leaves *@va NULL on failure. */
	err = xenbus_map_ring_valloc(vif->xbdev, &gref, 1, va);
	if (err)
		return err;
	atomic_inc(&netback_nr_ring_pages);
	return xenring_init_back(r, *va, PAGE_SIZE, slot_size);
}

/**
 * netback_unmap() - unmap a ring page mapped by netback_map()
 * @vif: the vif
 * @va: the mapping, set to NULL; nothing if already NULL
 */
void netback_unmap(struct netback_vif *vif, void **va)
{
	if (!*va)
		return;
	xenbus_unmap_ring_vfree(vif->xbdev, *va);
	*va = NULL;
	atomic_dec(&netback_nr_ring_pages);
}

/*
 * Stop one queue, in the one order that leaves nothing running on what
 * goes away: quiesce its events, so that nothing can schedule the poll
 * (transmits stopped before); let a hand-off to another CPU run; disable
 * the poll, which waits for a running one (it may still notify
 * through the irqs); stop the timers, whose callbacks only schedule the
 * disabled poll; and only then unbind the irqs and free what they used.
 */
static void netback_queue_stop(struct netback_queue *q)
{
	if (q->rx_irq)
		disable_irq(q->rx_irq);
	if (q->tx_irq)
		disable_irq(q->tx_irq);
	/*
	 * No transmit queues a hand-off any more (netback_queues_stop()).
	 * One still queued holds the poll's scheduling, which napi_disable()
	 * would wait for in vain: let it run, not cancel it.
	 */
	flush_work(&q->rx_handoff);
	napi_disable(&q->napi);
	timer_delete_sync(&q->credit_timer);
	timer_delete_sync(&q->stall_timer);
	if (q->rx_irq)
		unbind_from_irqhandler(q->rx_irq, q);
	if (q->tx_irq)
		unbind_from_irqhandler(q->tx_irq, q);
	q->rx_irq = 0;
	q->tx_irq = 0;
	netif_napi_del(&q->napi);
	netback_rx_purge(q);
	netback_unmap(q->vif, &q->rx_va);
	netback_unmap(q->vif, &q->tx_va);
}

static int netback_queue_start(struct netback_queue *q,
			       const struct netback_queue_conf *qc)
{
	struct netback_vif *vif = q->vif;
	struct xenbus_device *dev = vif->xbdev;
	int err;

	q->conf = *qc;
	spin_lock_init(&q->rx_lock);
	skb_queue_head_init(&q->backlog);
	timer_setup(&q->stall_timer, netback_stall_timer, 0);
	timer_setup(&q->credit_timer, netback_credit_timer, 0);
	INIT_WORK(&q->rx_handoff, netback_rx_handoff_work);
	u64_stats_init(&q->stats.syncp);
	netback_tx_start(&q->pkt, &vif->tx_lim);
	netback_credit_init(q);
	/* The frontend's ring asks for the first transmit event. */
	set_bit(NETBACK_TX_ARMED, &q->flags);
	netif_napi_add(vif->ndev, &q->napi, netback_poll);
	napi_enable(&q->napi);

	err = netback_map(vif, qc->tx_ref, &q->tx_va, &q->tx,
			  NETIF_TX_SLOT_SIZE);
	if (!err)
		err = netback_map(vif, qc->rx_ref, &q->rx_va, &q->rx,
				  NETIF_RX_SLOT_SIZE);
	if (err) {
		xenbus_dev_fatal(dev, err, "mapping the rings of queue %u",
				 q->index);
		goto fail;
	}

	snprintf(q->tx_name, sizeof(q->tx_name), "%s-q%u-%s",
		 netdev_name(vif->ndev), q->index, qc->split ? "tx" : "txrx");
	err = bind_interdomain_evtchn_to_irqhandler_lateeoi(dev, qc->tx_port,
							    netback_tx_interrupt,
							    0, q->tx_name, q);
	if (err < 0)
		goto fail_evtchn;
	q->tx_irq = err;
	if (qc->split) {
		snprintf(q->rx_name, sizeof(q->rx_name), "%s-q%u-rx",
			 netdev_name(vif->ndev), q->index);
		err = bind_interdomain_evtchn_to_irqhandler_lateeoi(dev,
								    qc->rx_port,
								    netback_rx_interrupt,
								    0, q->rx_name, q);
		if (err < 0)
			goto fail_evtchn;
		q->rx_irq = err;
	}
	return 0;

fail_evtchn:
	xenbus_dev_fatal(dev, err, "binding the event channels of queue %u",
			 q->index);
fail:
	netback_queue_stop(q);
	return err;
}

/**
 * netback_queues_start() - bring the data path of a vif up
 * @vif: the vif, with @vif->conf chosen, under its mutex
 * @qc: each queue's rings and event channels, @vif->conf.nr_queues
 *
 * Forgets the carrier state of the last connection, maps every queue's
 * rings, binds the event channels, sets the transmit queue count and the
 * offloads, and turns the carrier on (unless a queue already found the
 * guest broken).  On failure the queues are down again, the carrier is
 * off and, unless memory ran out, the device has been sent to Closing
 * with the reason.
 *
 * Return: 0 or an error.
 */
int netback_queues_start(struct netback_vif *vif,
			 const struct netback_queue_conf *qc)
{
	u32 n = vif->conf.nr_queues, i;
	struct netback_queue *queues;
	int err = 0;

	/* Before any poll can run: no breach or stall of the last one counts. */
	netback_carrier_reset(vif);
	queues = kvcalloc(n, sizeof(*queues), GFP_KERNEL);
	if (!queues)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		queues[i].vif = vif;
		queues[i].index = i;
		err = netback_queue_start(&queues[i], &qc[i]);
		if (err)
			break;
	}
	if (err)
		goto fail;

	rtnl_lock();
	err = netif_set_real_num_tx_queues(vif->ndev, n);
	if (!err)
		err = netif_set_real_num_rx_queues(vif->ndev, n);
	if (err) {
		rtnl_unlock();
		xenbus_dev_fatal(vif->xbdev, err, "setting %u queues", n);
		goto fail;
	}
	spin_lock_bh(&vif->stats_lock);
	vif->queues = queues;
	vif->nr_queues = n;
	spin_unlock_bh(&vif->stats_lock);
	/* ndo_start_xmit looks at the queues once it sees this. */
	smp_store_release(&vif->connected, true);
	netback_ndev_features(vif);
	netback_carrier_live(vif, true);
	netif_tx_wake_all_queues(vif->ndev);
	rtnl_unlock();
	return 0;

fail:
	/* @i queues were started. */
	while (i--)
		netback_queue_stop(&queues[i]);
	kvfree(queues);
	return err;
}

static u64 netback_read(const struct netback_stats *s, const u64_stats_t *v)
{
	unsigned int start;
	u64 val;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		val = u64_stats_read(v);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	return val;
}

static void netback_add_queue(struct netback_totals *t,
			      const struct netback_queue *q)
{
	const struct netback_stats *s = &q->stats;

	t->rx_packets += netback_read(s, &s->rx_packets);
	t->rx_bytes += netback_read(s, &s->rx_bytes);
	t->rx_errors += netback_read(s, &s->rx_errors);
	t->tx_packets += netback_read(s, &s->tx_packets);
	t->tx_bytes += netback_read(s, &s->tx_bytes);
	t->tx_dropped += netback_read(s, &s->tx_dropped);
	t->rx_gso += netback_read(s, &s->rx_gso);
	t->tx_gso += netback_read(s, &s->tx_gso);
	t->copy_errors += netback_read(s, &s->copy_errors);
	t->credit_waits += netback_read(s, &s->credit_waits);
}

/**
 * netback_queue_totals() - the counters of one queue
 * @q: a started queue
 * @t: set to its counters
 */
void netback_queue_totals(const struct netback_queue *q,
			  struct netback_totals *t)
{
	memset(t, 0, sizeof(*t));
	netback_add_queue(t, q);
}

/**
 * netback_sum_stats() - counters of a vif over its life
 * @vif: the vif
 * @t: set to the sums of the current queues and those already gone
 */
void netback_sum_stats(struct netback_vif *vif, struct netback_totals *t)
{
	unsigned int i;

	spin_lock_bh(&vif->stats_lock);
	*t = vif->gone;
	for (i = 0; vif->queues && i < vif->nr_queues; i++)
		netback_add_queue(t, &vif->queues[i]);
	spin_unlock_bh(&vif->stats_lock);
}

/**
 * netback_queues_stop() - take the data path of a vif down
 * @vif: the vif, under its mutex
 *
 * Turns the carrier off, stops the stack's transmit queues and waits for
 * the transmits in progress, quiesces the event channels, waits for the
 * polls, unbinds the event channels, drops what waited for the guest,
 * unmaps the rings and forgets the carrier state of the connection.
 * Idempotent.
 */
void netback_queues_stop(struct netback_vif *vif)
{
	struct netback_queue *queues = vif->queues;
	unsigned int n = vif->nr_queues, i;

	if (!queues)
		return;
	rtnl_lock();
	WRITE_ONCE(vif->connected, false);
	/* A poll may still count a stall, but turns no carrier on now. */
	netback_carrier_live(vif, false);
	netif_tx_disable(vif->ndev);
	rtnl_unlock();
	/*
	 * A poll still running may wake a stack queue again, so transmits
	 * can still come; they drop their packet once they see us
	 * disconnected.  Wait for those that saw us connected: after this
	 * none queues a packet or schedules a poll on what goes below.
	 */
	synchronize_net();
	for (i = 0; i < n; i++)
		netback_queue_stop(&queues[i]);
	spin_lock_bh(&vif->stats_lock);
	for (i = 0; i < n; i++)
		netback_add_queue(&vif->gone, &queues[i]);
	vif->queues = NULL;
	vif->nr_queues = 0;
	spin_unlock_bh(&vif->stats_lock);
	kvfree(queues);
	/* No poll is left to count in or out of the stalled queues. */
	netback_carrier_reset(vif);
}
