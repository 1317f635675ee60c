/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-netback private interfaces between its layers:
 *
 *   xenbus.c  the xenbus backend device: hotplug, negotiation, the
 *             connection state machine, the toolstack's watches, the module
 *   queue.c   mapped rings, event channels and the NAPI poll of each queue
 *   tx.c      what the guest transmits: slots gathered by the protocol
 *             core, grant-copied into fresh skbs, handed to the stack
 *   rx.c      what the guest receives: skbs queued by ndo_start_xmit,
 *             grant-copied into the guest's buffers
 *   mcast.c   the guest's multicast filter
 *   ctrl.c    the control ring, and steering by the guest's hash
 *   dev.c     the net_device, ethtool and the counters
 *   debugfs.c read-only state of each connected queue and of the control
 *             ring (CONFIG_DEBUG_FS only)
 *
 * plus proto.c, the OS-independent protocol core.
 *
 * No page of the guest is ever mapped, except the rings: packet data move
 * with grant copy operations only, between the guest's grants and pages
 * this backend owns.  A guest that revokes or reuses a grant at any
 * moment only makes its own packet fail.
 *
 * Locking, outermost first:
 *   netback_vif.mutex     connection state; held by the xenbus callbacks
 *                         and the watches (process context)
 *   rtnl                  taken inside the mutex to set the queue count
 *                         and the offloads
 *   netback_queue.rx_lock the queue's receive backlog; taken by
 *                         ndo_start_xmit and by the NAPI poll
 *   netback_vif.mcast_lock  the multicast filter list
 *   netback_vif.carrier_lock  the carrier's inputs (connected, broken,
 *                         stalled queues) and every carrier change
 *                         netback makes; innermost, irqs saved: taken by
 *                         the polls (netpoll may run one with irqs off),
 *                         by netback_vif_fatal() in any context, and
 *                         under rtnl at connect and disconnect
 * netback_uevent_lock (xenbus.c) stands apart: it orders the uevent
 * callback against probe and remove setting the driver data, and is
 * taken inside no lock of ours.
 * The hash configuration is RCU: the control ring's work publishes a new
 * copy, the data path only reads.
 * The rings of a queue belong to its NAPI poll, and to connect and
 * disconnect while NAPI is off.
 */
#ifndef _XEN_NETBACK_H
#define _XEN_NETBACK_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <xen/xenring.h>
#include "carrier.h"
#include "proto.h"

/* Bytes copied into an skb's linear area: all of a small packet. */
#define NETBACK_TX_LINEAR_ALL	2048
/* Of a larger one, enough for any header chain we parse. */
#define NETBACK_TX_LINEAR_HEAD	256
/* Grant copy operations of one transmitted packet, at most. */
#define NETBACK_TX_COPIES	(NETBACK_MAX_TX_SLOTS + 24)
/*
 * Grant copy operations of the received packets copied in one hypercall,
 * at most; a packet alone never needs more.
 */
#define NETBACK_RX_COPIES	256
/* Received packets copied in one hypercall, at most. */
#define NETBACK_RX_BATCH	16
/*
 * Receive requests one packet may take: 64 KiB of data after the largest
 * headroom, and three extras.
 */
#define NETBACK_RX_MAX_SLOTS	(DIV_ROUND_UP(65536, NETIF_PAGE_SIZE -	\
					      NETBACK_XDP_HEADROOM_MAX) + 3)
/* Bits of netback_queue.flags: the poll waits for receive buffers, */
#define NETBACK_RX_WAITING	0
/* owes the transmit event channel its EOI, */
#define NETBACK_TX_EOI		1
/* found a wait's buffers before the event the wait asked for came, */
#define NETBACK_RX_EVENT_DUE	2
/* asked for the transmit ring's next event, */
#define NETBACK_TX_ARMED	3
/* and took the requests of that event before it came. */
#define NETBACK_TX_EVENT_DUE	4
/* Multicast addresses a frontend may ask to receive. */
#define NETBACK_MCAST_MAX	64

/**
 * struct netback_stats - counters of one queue, from dom0's point of view
 * @syncp: lets 32-bit readers see consistent values
 * @rx_packets: packets the guest transmitted, passed to the stack
 * @rx_bytes: their bytes
 * @rx_errors: packets the guest transmitted that were refused
 * @tx_packets: packets delivered to the guest
 * @tx_bytes: their bytes
 * @tx_dropped: packets for the guest that were dropped
 * @rx_gso: GSO packets among @rx_packets
 * @tx_gso: GSO packets among @tx_packets
 * @copy_errors: grant copies that failed (the guest's grants were bad)
 * @credit_waits: times the transmit ring waited for credit (the "rate" key)
 */
struct netback_stats {
	struct u64_stats_sync syncp;
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t rx_errors;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t tx_dropped;
	u64_stats_t rx_gso;
	u64_stats_t tx_gso;
	u64_stats_t copy_errors;
	u64_stats_t credit_waits;
};

/**
 * struct netback_rx_pending - a received packet copied, not yet answered
 * @skb: the packet, off the backlog
 * @meta: what goes with it
 * @need: the receive requests it took
 * @ids: their ids, in ring order
 * @first_copy: its first operation in the queue's copies
 * @nr_copies: its operations; 0 if it could not be copied
 */
struct netback_rx_pending {
	struct sk_buff *skb;
	struct netback_rx_meta meta;
	u32 need;
	u16 ids[NETBACK_RX_MAX_SLOTS];
	u32 first_copy;
	u32 nr_copies;
};

/**
 * struct netback_queue - one transmit and one receive ring of a vif
 * @vif: the vif
 * @index: queue number
 * @napi: consumes the transmit ring and fills the receive ring
 * @conf: the rings' grants and event channels
 * @tx: private view of the transmit ring
 * @tx_va: the mapped transmit ring page
 * @rx: private view of the receive ring
 * @rx_va: the mapped receive ring page
 * @tx_irq: irq of the transmit event channel (the only one if not split)
 * @rx_irq: irq of the receive event channel when split, else 0
 * @flags: NETBACK_RX_WAITING while the poll waits for the guest's
 *	receive buffers: set by the poll, cleared by the first event that
 *	finds them posted, or moved to NETBACK_RX_EVENT_DUE by a claim that
 *	finds them first (netback_rx_claim(), from the poll or a handler);
 *	that mark lasts until the next event (netback_rx_event());
 *	NETBACK_TX_EOI while the event of @tx_irq that scheduled the poll
 *	waits for the poll to acknowledge it; NETBACK_TX_ARMED from the
 *	poll's asking for the next transmit event (and from the start: the
 *	frontend asks for the first) until an event finds requests waiting
 *	or the poll takes one, which moves it to NETBACK_TX_EVENT_DUE until
 *	the next event (netback_tx_event())
 * @rx_goal: the receive request producer index the poll waits for, set
 *	before NETBACK_RX_WAITING, and replaced by the poll's next wait
 * @rx_judged: the last receive request producer index that a look (an
 *	event's or the poll's) found at or past @rx_goal; the guest may
 *	never move it back
 * @pkt: the transmitted packet being gathered (NAPI only)
 * @copies: scratch grant copy operations (NAPI only)
 * @rx_batch: received packets whose copies are in @copies, not yet
 *	answered (NAPI only)
 * @rx_nr_batch: how many
 * @rx_nr_copies: copy operations they added to @copies
 * @rx_lock: protects @backlog and @backlog_bytes
 * @backlog: skbs waiting for the guest's receive buffers; each one's
 *	arrival time in jiffies is in its control buffer
 * @backlog_bytes: their bytes
 * @stalled: the guest posted no buffers for the drain timeout: its
 *	packets are dropped at once until it posts enough again
 * @stall_timer: wakes the poll when the oldest waiting packet's drain
 *	timeout ends, or when the queue has been short of buffers for the
 *	stall timeout (whichever comes first)
 * @rx_short: the queue is short of the guest's receive buffers: a run of
 *	its poll ended waiting for them and none since was served by them
 *	(netback_rx_stall_clock(); NAPI only, debugfs reads it)
 * @rx_short_since: jiffies when @rx_short was set (NAPI only; debugfs
 *	reads it)
 * @rx_carrier_stalled: short of buffers for rx_stall_timeout_msecs, and
 *	counted in the vif's @rx_stalled_queues until the guest's buffers
 *	let the poll deliver a packet or end a drain; written by the poll
 *	under the vif's @carrier_lock, read without it by the poll (its
 *	only writer) and debugfs
 * @rx_handoff: schedules the poll on another CPU, for a large packet
 *	(netback_start_xmit()); queued only by whoever claimed the poll's
 *	scheduling, so it holds that claim until it runs
 * @credit: bytes the guest may still send in this interval (may go
 *	negative by one packet)
 * @credit_end: jiffies at which the next interval starts
 * @credit_timer: wakes the poll when new credit is due
 * @throttled: out of credit: the transmit ring waits for @credit_timer
 * @broken: the guest broke the protocol; nothing more is consumed or
 *	produced, and its events are never acknowledged
 * @stats: the queue's counters (NAPI, and ndo_start_xmit for drops
 *	under @rx_lock)
 * @tx_name: irq name
 * @rx_name: irq name
 */
struct netback_queue {
	struct netback_vif *vif;
	unsigned int index;
	struct napi_struct napi;
	struct netback_queue_conf conf;

	struct xenring tx;
	void *tx_va;
	struct xenring rx;
	void *rx_va;
	unsigned int tx_irq;
	unsigned int rx_irq;
	unsigned long flags;
	u32 rx_goal;
	u32 rx_judged;

	struct netback_tx_pkt pkt;
	struct gnttab_copy copies[NETBACK_RX_COPIES];
	struct netback_rx_pending rx_batch[NETBACK_RX_BATCH];
	u32 rx_nr_batch;
	u32 rx_nr_copies;

	spinlock_t rx_lock;	/* see the kernel-doc above */
	struct sk_buff_head backlog;
	u32 backlog_bytes;
	bool stalled;
	struct timer_list stall_timer;
	bool rx_short;
	unsigned long rx_short_since;
	bool rx_carrier_stalled;
	struct work_struct rx_handoff;

	s64 credit;
	unsigned long credit_end;
	struct timer_list credit_timer;
	bool throttled;

	bool broken;
	struct netback_stats stats;
	char tx_name[IFNAMSIZ + 16];
	char rx_name[IFNAMSIZ + 16];
};

/* Add @n to one of @q's counters (its poll, or with the poll stopped). */
static inline void netback_count(struct netback_queue *q, u64_stats_t *what,
				 u64 n)
{
	u64_stats_update_begin(&q->stats.syncp);
	u64_stats_add(what, n);
	u64_stats_update_end(&q->stats.syncp);
}

/*
 * Move @q's flag @from to @to in one step, if @from is set, so that an
 * event handler that looks meanwhile finds one or the other.
 */
static inline bool netback_flag_move(struct netback_queue *q, int from,
				     int to)
{
	unsigned long old = READ_ONCE(q->flags);

	do {
		if (!(old & BIT(from)))
			return false;
	} while (!try_cmpxchg(&q->flags, &old, (old & ~BIT(from)) | BIT(to)));
	return true;
}

/**
 * struct netback_totals - counters of queues that are gone
 * @rx_packets: see struct netback_stats
 * @rx_bytes: see struct netback_stats
 * @rx_errors: see struct netback_stats
 * @tx_packets: see struct netback_stats
 * @tx_bytes: see struct netback_stats
 * @tx_dropped: see struct netback_stats
 * @rx_gso: see struct netback_stats
 * @tx_gso: see struct netback_stats
 * @copy_errors: see struct netback_stats
 * @credit_waits: see struct netback_stats
 */
struct netback_totals {
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_errors;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_dropped;
	u64 rx_gso;
	u64 tx_gso;
	u64 copy_errors;
	u64 credit_waits;
};

/**
 * struct netback_mcast - the guest's multicast filter
 * @nr: addresses in @addr
 * @addr: the addresses it asked for
 */
struct netback_mcast {
	u32 nr;
	u8 addr[NETBACK_MCAST_MAX][ETH_ALEN];
};

/**
 * struct netback_ctrl - a connected control ring
 * @vif: its vif
 * @va: the mapped ring page
 * @ring: private view of the ring
 * @irq: irq of its event channel
 * @work: answers the requests (the only user of @ring, @cfg and @data)
 * @broken: the frontend broke the protocol; its events stay
 *	unacknowledged
 * @cfg: the hash configuration as the requests so far left it
 * @data: what a request points at, grant-copied
 * @name: irq name
 */
struct netback_ctrl {
	struct netback_vif *vif;
	void *va;
	struct xenring ring;
	unsigned int irq;
	struct work_struct work;
	bool broken;
	struct netback_hash cfg;
	void *data;
	char name[IFNAMSIZ + 16];
};

/**
 * struct netback_vif - one virtual interface served to a frontend
 * @xbdev: its xenbus device
 * @ndev: its net_device ("vif<domid>.<handle>"), whose private area this
 *	is; registered from probe to remove
 * @mutex: serialises connection changes (see the lock order above)
 * @domid: the frontend's domain
 * @handle: the device's handle
 * @offer: what we advertised
 * @conf: the connection the frontend asked for (under @mutex; rtnl too
 *	while connected)
 * @queues: the queues, @nr_queues of them, or NULL while disconnected
 * @nr_queues: set under @mutex and rtnl with the transmit queues stopped
 * @connected: the rings are up; the state may still wait for the
 *	hotplug script (written under @mutex and rtnl; ndo_start_xmit reads
 *	it without them, and looks at @queues only once it saw it true)
 * @tx_lim: what a transmitted packet may look like
 * @rate_bytes: credit per interval, 0 for no limit (under @mutex; the
 *	queues' polls read it)
 * @rate_usec: the interval
 * @xdp_headroom: where each received data slot starts, the frontend's
 *	"xdp-headroom" (under @mutex; the queues' polls read it)
 * @ctrl: the control ring, or NULL (under @mutex)
 * @hash: the hash configuration the guest set, or NULL for none (RCU;
 *	replaced only by @ctrl's work, and cleared when it stops)
 * @hotplug_watch: on our "hotplug-status"; set while Connected waits for
 *	the script
 * @hotplug_watch_set: @hotplug_watch is registered
 * @rate_watch: on our "rate"
 * @rate_watch_set: @rate_watch is registered
 * @mcast_watch: on the frontend's "request-multicast-control"
 * @mcast_watch_set: @mcast_watch is registered
 * @mcast_filter: drop multicast packets not in @mcast (set by the
 *	frontend's key)
 * @mcast_lock: protects @mcast
 * @mcast: the filter list
 * @carrier_lock: protects @carrier_live, @carrier_broken and
 *	@rx_stalled_queues, and makes each carrier change netback makes
 *	follow from them in the order they changed (see the lock order
 *	above); nothing else turns the carrier of a registered vif on or off
 * @carrier_live: the queues are up; set last at connect, cleared first at
 *	disconnect
 * @carrier_broken: the guest broke the protocol in this connection: the
 *	carrier stays off until the next connect clears it
 * @rx_stalled_queues: queues whose @rx_carrier_stalled is set; 0 between
 *	connections (netback_carrier_reset())
 * @fatal_work: reports a broken queue from process context
 * @fatal_why: what the first broken queue saw
 * @broken_count: times a queue found the guest broken
 * @stats_lock: protects @gone, and @queues for the counters' readers
 * @gone: counters of queues already torn down
 * @speed: reported link speed in Mb/s, set with ethtool (rtnl)
 * @duplex: reported duplex, set with ethtool (rtnl)
 * @hotplug_script: the toolstack's "script" key as read at probe, or
 *	NULL; constant until remove frees it, for the uevent callback
 * @dbg_dir: this connection's debugfs directory, or NULL (under @mutex)
 */
struct netback_vif {
	struct xenbus_device *xbdev;
	struct net_device *ndev;
	struct mutex mutex;	/* see the kernel-doc above */
	domid_t domid;
	u32 handle;
	struct netback_offer offer;
	struct netback_conf conf;
	struct netback_queue *queues;
	unsigned int nr_queues;
	bool connected;
	struct netback_tx_limits tx_lim;
	u64 rate_bytes;
	u32 rate_usec;
	u16 xdp_headroom;
	struct netback_ctrl *ctrl;
	struct netback_hash __rcu *hash;

	struct xenbus_watch hotplug_watch;
	bool hotplug_watch_set;
	struct xenbus_watch rate_watch;
	bool rate_watch_set;
	struct xenbus_watch mcast_watch;
	bool mcast_watch_set;

	bool mcast_filter;
	spinlock_t mcast_lock;	/* see the kernel-doc above */
	struct netback_mcast mcast;

	/* Protects the three below, and orders netback's carrier changes. */
	spinlock_t carrier_lock;
	bool carrier_live;
	bool carrier_broken;
	u32 rx_stalled_queues;

	struct work_struct fatal_work;
	const char *fatal_why;
	atomic_t broken_count;

	spinlock_t stats_lock;	/* see the kernel-doc above */
	struct netback_totals gone;
	u32 speed;
	u8 duplex;
	char *hotplug_script;
	struct dentry *dbg_dir;
};

/* Ring pages mapped from frontends, over all vifs (a leak check). */
extern atomic_t netback_nr_ring_pages;

/* queue.c */
int netback_map(struct netback_vif *vif, u32 ref, void **va,
		struct xenring *r, size_t slot_size);
void netback_unmap(struct netback_vif *vif, void **va);
int netback_queues_start(struct netback_vif *vif,
			 const struct netback_queue_conf *qc);
void netback_queues_stop(struct netback_vif *vif);
void netback_sum_stats(struct netback_vif *vif, struct netback_totals *t);
void netback_queue_totals(const struct netback_queue *q,
			  struct netback_totals *t);

/* tx.c */
int netback_tx_poll(struct netback_queue *q, int budget);
bool netback_tx_rearm(struct netback_queue *q);
bool netback_tx_event(struct netback_queue *q, bool *due);
void netback_credit_init(struct netback_queue *q);
void netback_credit_timer(struct timer_list *t);

/* rx.c */
netdev_tx_t netback_start_xmit(struct sk_buff *skb, struct net_device *ndev);
int netback_rx_poll(struct netback_queue *q, int budget);
bool netback_rx_event(struct netback_queue *q, bool *run);
bool netback_rx_claim(struct netback_queue *q);
void netback_rx_handoff_work(struct work_struct *work);
void netback_rx_purge(struct netback_queue *q);
void netback_stall_timer(struct timer_list *t);

/* mcast.c */
void netback_mcast_change(struct netback_vif *vif, u8 op, const u8 *addr);
void netback_mcast_clear(struct netback_vif *vif);
bool netback_mcast_wanted(struct netback_vif *vif, const u8 *dest);

/* ctrl.c */
int netback_ctrl_start(struct netback_vif *vif);
void netback_ctrl_stop(struct netback_vif *vif);
u16 netback_select_queue(struct net_device *ndev, struct sk_buff *skb,
			 struct net_device *sb_dev);
bool netback_rx_hash(struct netback_vif *vif, const struct sk_buff *skb,
		     u32 *hash, u8 *type);

/* dev.c */
struct netback_vif *netback_ndev_alloc(struct xenbus_device *dev, u32 handle);
void netback_ndev_features(struct netback_vif *vif);
void netback_carrier_reset(struct netback_vif *vif);
void netback_carrier_live(struct netback_vif *vif, bool live);
void netback_carrier_broken(struct netback_vif *vif);
void netback_carrier_queue(struct netback_queue *q, bool stalled);

/* debugfs.c */
#ifdef CONFIG_DEBUG_FS
void netback_debugfs_init(void);
void netback_debugfs_exit(void);
void netback_debugfs_add(struct netback_vif *vif);
void netback_debugfs_del(struct netback_vif *vif);
#else
static inline void netback_debugfs_init(void) { }
static inline void netback_debugfs_exit(void) { }
static inline void netback_debugfs_add(struct netback_vif *vif) { }
static inline void netback_debugfs_del(struct netback_vif *vif) { }
#endif

/* xenbus.c */
void netback_fatal(struct netback_queue *q, const char *why);
void netback_vif_fatal(struct netback_vif *vif, const char *why);

#endif /* _XEN_NETBACK_H */
