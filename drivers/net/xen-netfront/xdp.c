// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netfront XDP: a program attached to the device runs on every
 * received packet before an skb exists, and XDP frames of other devices
 * may be redirected to us for sending.
 *
 * A program never runs on the receive pages, which the backend may write
 * until a packet takes them (ring.c): each packet is copied, whole and
 * linear, into a buffer of its own with XDP headroom in front, the
 * program runs on that copy, and a passed packet becomes an skb
 * around the same buffer.  A GSO packet thus reaches the program in one
 * piece too, as it would with generic XDP.  Frames to send are copied into
 * the transmit pages like any packet, so they are freed at once.
 *
 * The protocol's "xdp-headroom" asks the backend to start its data at an
 * offset; we need no such room, since we copy anyway, but we ask for it
 * while a program is attached, as the protocol expects, and the receive
 * path takes data at whatever offset each response names.
 */
#include <linux/bpf.h>
#include <linux/delay.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/xdp.h>
#include <trace/events/xdp.h>
#include <xen/xenbus.h>
#include <xen/xenbus_state.h>
#include "netfront.h"

/* How long the backend has to take a new "xdp-headroom". */
#define NETFRONT_XDP_RECONF_MS	5000

/* A buffer for @len bytes of packet with XDP headroom and skb tailroom. */
static unsigned int netfront_xdp_order(u32 len)
{
	return get_order(XDP_PACKET_HEADROOM + len +
			 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)));
}

/**
 * netfront_rx_xdp() - run the XDP program on the gathered packet
 * @q: the queue, in its NAPI poll, under rcu_read_lock()
 * @prog: the program
 * @flush: set if a packet was redirected (xdp_do_flush() is then due)
 *
 * Return: an skb to pass up if the program said XDP_PASS, else NULL (the
 * packet was dropped, sent back or redirected, and counted).
 */
struct sk_buff *netfront_rx_xdp(struct netfront_queue *q,
				struct bpf_prog *prog, bool *flush)
{
	const struct netfront_rx_pkt *pkt = &q->rx_pkt;
	struct net_device *ndev = q->info->ndev;
	unsigned int order = netfront_xdp_order(pkt->len);
	struct netfront_stats *st = &q->rx_stats;
	struct sk_buff *skb;
	struct xdp_buff xdp;
	struct page *page;
	void *va;
	u32 act;

	page = dev_alloc_pages(order);
	if (!page) {
		netfront_count(st, &st->dropped);
		return NULL;
	}
	va = page_address(page);
	netfront_rx_read(q, 0, va + XDP_PACKET_HEADROOM, pkt->len);
	xdp_init_buff(&xdp, PAGE_SIZE << order, &q->xdp_rxq);
	xdp_prepare_buff(&xdp, va, XDP_PACKET_HEADROOM, pkt->len, false);

	act = bpf_prog_run_xdp(prog, &xdp);
	switch (act) {
	case XDP_PASS:
		skb = napi_build_skb(va, PAGE_SIZE << order);
		if (!skb)
			break;
		skb_reserve(skb, xdp.data - xdp.data_hard_start);
		skb_put(skb, xdp.data_end - xdp.data);
		netfront_count(st, &st->xdp_pass);
		return skb;
	case XDP_TX:
		if (netfront_tx_linear(q, xdp.data, xdp.data_end - xdp.data,
				       false))
			break;
		put_page(page);
		netfront_count(st, &st->xdp_tx);
		return NULL;
	case XDP_REDIRECT:
		if (xdp_do_redirect(ndev, &xdp, prog))
			break;
		/* The buffer is the target's now. */
		*flush = true;
		netfront_count(st, &st->xdp_redirect);
		return NULL;
	case XDP_DROP:
		put_page(page);
		netfront_count(st, &st->xdp_drop);
		return NULL;
	default:
		bpf_warn_invalid_xdp_action(ndev, prog, act);
		break;
	case XDP_ABORTED:
		break;
	}
	trace_xdp_exception(ndev, prog, act);
	put_page(page);
	netfront_count(st, &st->xdp_drop);
	return NULL;
}

/**
 * netfront_xdp_xmit() - send XDP frames redirected to this device
 * @ndev: our device
 * @n: frames in @frames
 * @frames: the frames
 * @flags: XDP_XMIT_* (each frame is handed to the backend at once, so
 *	XDP_XMIT_FLUSH asks nothing more)
 *
 * Called under RCU from another device's poll.  Frames are copied into
 * the transmit pages of the queue of this CPU and freed.
 *
 * Return: frames sent (the caller frees the rest), or a negative errno.
 */
int netfront_xdp_xmit(struct net_device *ndev, int n,
		      struct xdp_frame **frames, u32 flags)
{
	struct netfront_info *info = netdev_priv(ndev);
	struct netfront_queue *q;
	int i;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	/* netfront_data_stop() waits for us before it frees the queues. */
	if (unlikely(!READ_ONCE(info->connected)))
		return -ENETDOWN;
	q = &info->queues[smp_processor_id() % info->conf.nr_queues];
	for (i = 0; i < n; i++) {
		if (netfront_tx_linear(q, frames[i]->data, frames[i]->len,
				       true))
			break;
		xdp_return_frame(frames[i]);
	}
	return i;
}

/**
 * netfront_xdp_rxq_reg() - describe a receive queue to XDP
 * @q: the queue, being set up
 *
 * Return: 0 or a negative errno.
 */
int netfront_xdp_rxq_reg(struct netfront_queue *q)
{
	int err;

	err = xdp_rxq_info_reg(&q->xdp_rxq, q->info->ndev, q->index, 0);
	if (err)
		return err;
	/* Buffers are whole pages of the page allocator, freed by put_page. */
	err = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (err)
		xdp_rxq_info_unreg(&q->xdp_rxq);
	return err;
}

/**
 * netfront_xdp_rxq_unreg() - undo netfront_xdp_rxq_reg()
 * @q: the queue, being freed; nothing if it was never registered
 */
void netfront_xdp_rxq_unreg(struct netfront_queue *q)
{
	if (xdp_rxq_info_is_reg(&q->xdp_rxq))
		xdp_rxq_info_unreg(&q->xdp_rxq);
}

/**
 * netfront_bpf() - attach or detach an XDP program
 * @ndev: our device
 * @bpf: the command
 *
 * Called with rtnl held.  The program takes effect at once; the backend is
 * told of the headroom from process context later.
 *
 * Return: 0 or a negative errno.
 */
int netfront_bpf(struct net_device *ndev, struct netdev_bpf *bpf)
{
	struct netfront_info *info = netdev_priv(ndev);
	struct bpf_prog *old;

	if (bpf->command != XDP_SETUP_PROG)
		return -EINVAL;
	/* We hold the reference the core passed with the program. */
	old = rcu_replace_pointer(info->xdp_prog, bpf->prog,
				  lockdep_rtnl_is_held());
	if (old)
		bpf_prog_put(old);
	schedule_work(&info->xdp_work);
	return 0;
}

/* Wait for the backend to reach @state, or give up. */
static bool netfront_wait_backend(struct xenbus_device *dev,
				  enum xenbus_state state)
{
	unsigned long end = jiffies + msecs_to_jiffies(NETFRONT_XDP_RECONF_MS);

	do {
		if (xenbus_read_driver_state(dev->otherend) == state)
			return true;
		msleep(20);
	} while (time_before(jiffies, end));
	return false;
}

/**
 * netfront_xdp_work() - tell the backend the headroom the program wants
 * @work: the device's xdp_work
 *
 * A connected backend that offers XDP headroom is asked to re-read
 * "xdp-headroom": we go to Reconfiguring, wait for it to reach
 * Reconfigured, and go back to Connected.  A backend that does not
 * answer in time costs nothing but a warning: our receive path takes data
 * at any offset.
 */
void netfront_xdp_work(struct work_struct *work)
{
	struct netfront_info *info = container_of(work, struct netfront_info,
						  xdp_work);
	struct xenbus_device *dev = info->xbdev;
	u16 want;

	mutex_lock(&info->mutex);
	want = rcu_access_pointer(info->xdp_prog) ? XDP_PACKET_HEADROOM : 0;
	if (!info->conf.xdp || dev->state != XENBUS_STATE_CONNECTED ||
	    want == info->xdp_headroom)
		goto out;
	if (xenbus_printf(XBT_NIL, dev->nodename, "xdp-headroom", "%u", want))
		goto out;
	info->xdp_headroom = want;
	xenbus_switch_state(dev, XENBUS_STATE_RECONFIGURING);
	if (!netfront_wait_backend(dev, XENBUS_STATE_RECONFIGURED))
		dev_warn(&dev->dev, "backend did not take xdp-headroom %u\n",
			 want);
	xenbus_switch_state(dev, XENBUS_STATE_CONNECTED);
out:
	mutex_unlock(&info->mutex);
}
