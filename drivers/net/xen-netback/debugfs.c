// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen-netback: debugfs, for looking at a vif that misbehaves.
 *
 * While a vif is connected, /sys/kernel/debug/xen-netback/<vif>/ holds one
 * file io_ring_q<N> per queue and, if the frontend set up a control ring,
 * a file ctrl.  The names are upstream's; the contents are our own, one
 * "name: value" per line.  Every file is read-only: upstream's "kick"
 * write is not offered.
 *
 * The directory is made at connect, once the queues and the control ring
 * are up, and removed at disconnect before either goes.  Removing a
 * debugfs file waits for the reads in progress, so a read never sees a
 * queue or a control ring that is gone.  The values are a snapshot taken
 * without the owners' locks, except for the receive backlog: indices and
 * flags may move while they are printed.
 */
#define pr_fmt(fmt) "xen-netback: " fmt

#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include "netback.h"

/*
 * "xen-netback" in the debugfs root, or an error pointer if debugfs is
 * off.  Made before the driver registers and removed after it has
 * unregistered, so no vif sees it change.
 */
static struct dentry *netback_dbg_root;

/* One ring's shared indices (each read once) and our private ones. */
static void netback_dbg_ring(struct seq_file *m, const char *name,
			     const struct xenring *r)
{
	const struct xenring_shared *sh = r->sh;

	seq_printf(m, "%s_slots: %u\n", name, r->nr_slots);
	seq_printf(m, "%s_req_prod: %u\n", name, READ_ONCE(sh->req_prod));
	seq_printf(m, "%s_req_event: %u\n", name, READ_ONCE(sh->req_event));
	seq_printf(m, "%s_req_cons: %u\n", name, READ_ONCE(r->cons));
	seq_printf(m, "%s_rsp_prod: %u\n", name, READ_ONCE(sh->rsp_prod));
	seq_printf(m, "%s_rsp_prod_pvt: %u\n", name, READ_ONCE(r->prod));
	seq_printf(m, "%s_rsp_event: %u\n", name, READ_ONCE(sh->rsp_event));
}

static int netback_dbg_queue_show(struct seq_file *m, void *v)
{
	struct netback_queue *q = m->private;
	struct netback_vif *vif = q->vif;
	struct netdev_queue *txq = netdev_get_tx_queue(vif->ndev, q->index);
	unsigned long flags = READ_ONCE(q->flags);
	unsigned long end = READ_ONCE(q->credit_end), now = jiffies, since;
	struct netback_totals t;
	u32 backlog, backlog_bytes;

	seq_printf(m, "queue: %u\n", q->index);
	seq_printf(m, "tx_ring_ref: %u\n", q->conf.tx_ref);
	seq_printf(m, "rx_ring_ref: %u\n", q->conf.rx_ref);
	seq_printf(m, "tx_evtchn: %u\n", q->conf.tx_port);
	seq_printf(m, "rx_evtchn: %u\n", q->conf.rx_port);
	seq_printf(m, "split_evtchn: %d\n", q->conf.split);
	netback_dbg_ring(m, "tx", &q->tx);
	netback_dbg_ring(m, "rx", &q->rx);

	seq_printf(m, "rx_waiting: %d\n", !!(flags & BIT(NETBACK_RX_WAITING)));
	seq_printf(m, "rx_goal: %u\n", READ_ONCE(q->rx_goal));
	seq_printf(m, "rx_judged: %u\n", READ_ONCE(q->rx_judged));
	seq_printf(m, "rx_event_due: %d\n",
		   !!(flags & BIT(NETBACK_RX_EVENT_DUE)));
	seq_printf(m, "tx_eoi_owed: %d\n", !!(flags & BIT(NETBACK_TX_EOI)));
	seq_printf(m, "tx_armed: %d\n", !!(flags & BIT(NETBACK_TX_ARMED)));
	seq_printf(m, "tx_event_due: %d\n",
		   !!(flags & BIT(NETBACK_TX_EVENT_DUE)));
	spin_lock_bh(&q->rx_lock);
	backlog = skb_queue_len(&q->backlog);
	backlog_bytes = q->backlog_bytes;
	spin_unlock_bh(&q->rx_lock);
	seq_printf(m, "rx_backlog_packets: %u\n", backlog);
	seq_printf(m, "rx_backlog_bytes: %u\n", backlog_bytes);
	seq_printf(m, "stalled: %d\n", READ_ONCE(q->stalled));
	since = READ_ONCE(q->rx_short_since);
	/* A clock that started after our look at jiffies counts as 0. */
	seq_printf(m, "rx_short_ms: %u\n",
		   READ_ONCE(q->rx_short) && time_after(now, since) ?
		   jiffies_to_msecs(now - since) : 0);
	seq_printf(m, "carrier_stalled: %d\n",
		   READ_ONCE(q->rx_carrier_stalled));
	seq_printf(m, "stack_queue_stopped: %d\n",
		   netif_tx_queue_stopped(txq));
	seq_printf(m, "throttled: %d\n", READ_ONCE(q->throttled));
	seq_printf(m, "credit_bytes: %lld\n", READ_ONCE(q->credit));
	seq_printf(m, "credit_next_ms: %u\n",
		   time_after(end, now) ? jiffies_to_msecs(end - now) : 0);
	seq_printf(m, "rate_bytes: %llu\n", READ_ONCE(vif->rate_bytes));
	seq_printf(m, "rate_usec: %u\n", READ_ONCE(vif->rate_usec));
	seq_printf(m, "broken: %d\n", READ_ONCE(q->broken));

	netback_queue_totals(q, &t);
	seq_printf(m, "rx_packets: %llu\n", t.rx_packets);
	seq_printf(m, "rx_bytes: %llu\n", t.rx_bytes);
	seq_printf(m, "rx_errors: %llu\n", t.rx_errors);
	seq_printf(m, "rx_gso: %llu\n", t.rx_gso);
	seq_printf(m, "tx_packets: %llu\n", t.tx_packets);
	seq_printf(m, "tx_bytes: %llu\n", t.tx_bytes);
	seq_printf(m, "tx_dropped: %llu\n", t.tx_dropped);
	seq_printf(m, "tx_gso: %llu\n", t.tx_gso);
	seq_printf(m, "copy_errors: %llu\n", t.copy_errors);
	seq_printf(m, "credit_waits: %llu\n", t.credit_waits);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(netback_dbg_queue);

static const char *netback_dbg_algorithm(u8 algorithm)
{
	switch (algorithm) {
	case XEN_NETIF_CTRL_HASH_ALGORITHM_NONE:
		return "none";
	case XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ:
		return "toeplitz";
	default:
		return "unknown";
	}
}

/* The hash configuration the data path uses now. */
static void netback_dbg_hash(struct seq_file *m, const struct netback_hash *h)
{
	u32 i;

	if (!h) {
		seq_puts(m, "algorithm: none\n");
		return;
	}
	seq_printf(m, "algorithm: %s\n", netback_dbg_algorithm(h->algorithm));
	seq_puts(m, "types:");
	if (h->types & XEN_NETIF_CTRL_HASH_TYPE_IPV4)
		seq_puts(m, " ipv4");
	if (h->types & XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP)
		seq_puts(m, " ipv4+tcp");
	if (h->types & XEN_NETIF_CTRL_HASH_TYPE_IPV6)
		seq_puts(m, " ipv6");
	if (h->types & XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)
		seq_puts(m, " ipv6+tcp");
	seq_putc(m, '\n');
	seq_printf(m, "key_len: %u\n", h->key_len);
	seq_printf(m, "key: %*phN\n", (int)min_t(u32, h->key_len, sizeof(h->key)),
		   h->key);
	seq_printf(m, "mapping_size: %u\n", h->size);
	seq_puts(m, "mapping:");
	for (i = 0; i < h->size && i < ARRAY_SIZE(h->mapping); i++)
		seq_printf(m, " %u", h->mapping[i]);
	seq_putc(m, '\n');
}

static int netback_dbg_ctrl_show(struct seq_file *m, void *v)
{
	struct netback_vif *vif = m->private;
	struct netback_ctrl *c = vif->ctrl;

	seq_printf(m, "ring_ref: %u\n", vif->conf.ctrl_ref);
	seq_printf(m, "evtchn: %u\n", vif->conf.ctrl_port);
	netback_dbg_ring(m, "ctrl", &c->ring);
	seq_printf(m, "broken: %d\n", READ_ONCE(c->broken));
	seq_printf(m, "queues: %u\n", vif->nr_queues);
	rcu_read_lock();
	netback_dbg_hash(m, rcu_dereference(vif->hash));
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(netback_dbg_ctrl);

/**
 * netback_debugfs_init() - make the driver's debugfs directory
 *
 * Called once at module init, before the driver registers.  A failure
 * only leaves the vifs without their files.
 */
void netback_debugfs_init(void)
{
	netback_dbg_root = debugfs_create_dir("xen-netback", NULL);
}

/**
 * netback_debugfs_exit() - remove the driver's debugfs directory
 *
 * Called once at module exit, after the driver has unregistered.
 */
void netback_debugfs_exit(void)
{
	debugfs_remove_recursive(netback_dbg_root);
	netback_dbg_root = NULL;
}

/**
 * netback_debugfs_add() - the debugfs files of a connection
 * @vif: the vif, under its mutex, with its queues (and control ring, if
 *	any) started
 *
 * Makes <vif>/io_ring_q<N> for each queue and <vif>/ctrl with a control
 * ring.  A failure only leaves the vif without its files.
 */
void netback_debugfs_add(struct netback_vif *vif)
{
	char name[sizeof("io_ring_q") + 10];
	unsigned int i;

	if (IS_ERR_OR_NULL(netback_dbg_root) || vif->dbg_dir)
		return;
	vif->dbg_dir = debugfs_create_dir(netdev_name(vif->ndev),
					  netback_dbg_root);
	if (IS_ERR(vif->dbg_dir)) {
		vif->dbg_dir = NULL;
		return;
	}
	for (i = 0; i < vif->nr_queues; i++) {
		snprintf(name, sizeof(name), "io_ring_q%u", i);
		debugfs_create_file(name, 0400, vif->dbg_dir, &vif->queues[i],
				    &netback_dbg_queue_fops);
	}
	if (vif->ctrl)
		debugfs_create_file("ctrl", 0400, vif->dbg_dir, vif,
				    &netback_dbg_ctrl_fops);
}

/**
 * netback_debugfs_del() - remove the debugfs files of a connection
 * @vif: the vif, under its mutex, its queues and control ring still up
 *
 * Returns once no read of them is in progress.  Idempotent.
 */
void netback_debugfs_del(struct netback_vif *vif)
{
	debugfs_remove_recursive(vif->dbg_dir);
	vif->dbg_dir = NULL;
}
