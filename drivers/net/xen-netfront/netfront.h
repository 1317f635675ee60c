/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-netfront private interfaces between its layers:
 *
 *   xenbus.c  negotiation with the backend and the connection state machine
 *   ring.c    shared rings, grants, event channels, transmit and receive
 *   ctrl.c    the control ring: hashing, ethtool's view of it, and the
 *             transmit queue that matches it
 *   xdp.c     XDP programs on received packets, and XDP transmit
 *   mcast.c   multicast control: the backend's filter of our groups
 *   dev.c     the net_device, ethtool and the module
 *
 * plus proto.c, the OS-independent protocol core.
 *
 * Packet data only ever travel through pages the frontend owns.  Each
 * transmit id and each receive slot owns one page, granted to the backend
 * (read-only for transmit): a transmitted skb is copied into the pages of
 * its ids and freed at once.  A short received packet is copied out of
 * its slots' pages into a fresh skb; a long one takes them: each slot's
 * grant ends, its page goes up the stack, and a fresh zeroed page is
 * granted under the same reference (ring.c).  The backend never sees any
 * other memory of the guest, whatever the "trusted" key says (XSA-403),
 * no grant reference is claimed or released per packet, and a page is
 * only freed when its grant has ended, or handed to the grant table to
 * free later if the backend still maps it.
 *
 * Locking, outermost first:
 *   netfront_info.mutex   connection state; held by the xenbus callbacks
 *                         and resume (process context)
 *   rtnl                  taken inside the mutex to bring the data path
 *                         up and down; ndo_open and ndo_stop hold it and
 *                         never take the mutex
 *   netfront_queue.tx_lock
 *                         one transmit ring: its indices, ids and pages;
 *                         taken by ndo_start_xmit and by the NAPI poll
 *                         (both with bottom halves off)
 * The receive ring belongs to the queue's NAPI poll, and to connect and
 * teardown while NAPI is off.  The control ring and the hash settings
 * belong to rtnl (ctrl.c); ndo_select_queue reads an RCU-published copy
 * of the hash settings, which rtnl replaces whole.  The XDP program is
 * set under rtnl and read under RCU by the NAPI polls.
 */
#ifndef _XEN_NETFRONT_H
#define _XEN_NETFRONT_H

#include <linux/ethtool.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/xdp.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include "proto.h"

/* Multicast groups we ask a backend to filter for, at most. */
#define NETFRONT_MCAST_MAX	64

/* Slots one transmitted packet may take: its data pages and a GSO extra. */
#define NETFRONT_TX_MAX_DATA	DIV_ROUND_UP(XEN_NETIF_MAX_TX_SIZE, \
					     NETIF_PAGE_SIZE)
#define NETFRONT_TX_MAX_SLOTS	(NETFRONT_TX_MAX_DATA + 1)

/**
 * struct netfront_buf - a page the backend may access
 * @page: the page, owned by the frontend
 * @ref: its grant reference, valid while @page is set
 */
struct netfront_buf {
	struct page *page;
	grant_ref_t ref;
};

/**
 * struct netfront_stats - counters of one queue
 * @syncp: lets 32-bit readers see consistent values
 * @packets: packets delivered (receive) or handed to the backend
 * @bytes: their bytes
 * @dropped: packets dropped (malformed receive, or unsendable transmit)
 * @errors: transmit: slots the backend answered with an error
 * @gso: GSO packets among @packets
 * @csum_fixups: receive: packets whose checksum offsets were set up
 * @pages_taken: receive: slot pages given to received packets, their
 *	grant ended and a fresh page granted in their place
 * @xdp_pass: receive: packets the XDP program passed on
 * @xdp_drop: receive: packets the XDP program dropped or failed on
 * @xdp_tx: receive: packets the XDP program sent back
 * @xdp_redirect: receive: packets the XDP program redirected
 * @xdp_xmit: transmit: XDP frames sent for other devices' programs
 */
struct netfront_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t dropped;
	u64_stats_t errors;
	u64_stats_t gso;
	u64_stats_t csum_fixups;
	u64_stats_t pages_taken;
	u64_stats_t xdp_pass;
	u64_stats_t xdp_drop;
	u64_stats_t xdp_tx;
	u64_stats_t xdp_redirect;
	u64_stats_t xdp_xmit;
};

/**
 * struct netfront_queue - one transmit and one receive ring
 * @info: the device
 * @index: queue number
 * @napi: completes transmits and receives packets
 * @napi_added: @napi is registered with the net_device
 * @napi_on: @napi is enabled
 * @tx_lock: protects @tx, @tx_ids and @tx_bufs (see the lock order above)
 * @tx: private view of the transmit ring
 * @tx_va: the transmit ring page
 * @tx_ring_ref: its grant
 * @tx_ids: transmit ids, one per ring slot, each owning a page
 * @tx_links: storage of @tx_ids
 * @tx_bufs: per transmit id, its page
 * @rx: private view of the receive ring
 * @rx_va: the receive ring page
 * @rx_ring_ref: its grant
 * @rx_bufs: per receive slot (and id), its page
 * @rx_pkt: the packet being gathered
 * @rx_pkt_first: ring index of its first slot
 * @rx_pkt_busy: a packet is being gathered; its slots are not reposted
 * @rx_lim: what this frontend accepts on receive
 * @xdp_rxq: what XDP programs see of this receive queue
 * @tx_evtchn: transmit event channel (the only one without split channels)
 * @rx_evtchn: receive event channel, or the same as @tx_evtchn
 * @tx_irq: Linux irq of @tx_evtchn, 0 when unbound
 * @rx_irq: Linux irq of @rx_evtchn when split, else 0
 * @tx_rsp_seen: the transmit ring's rsp_prod as the last event that
 *	brought news found it (the handler of @tx_irq only)
 * @rx_rsp_seen: the same for the receive ring (the handler of @rx_irq,
 *	or of @tx_irq without split channels)
 * @broken: the backend broke the protocol; nothing more is posted or
 *	consumed on this queue, and its events are never acknowledged
 * @tx_stats: transmit counters, under @tx_lock
 * @rx_stats: receive counters, NAPI only
 * @tx_name: irq name
 * @rx_name: irq name
 */
struct netfront_queue {
	struct netfront_info *info;
	unsigned int index;
	struct napi_struct napi;
	bool napi_added;
	bool napi_on;

	spinlock_t tx_lock;	/* see the kernel-doc above */
	struct xenring tx;
	void *tx_va;
	grant_ref_t tx_ring_ref;
	struct xenring_ids tx_ids;
	u32 tx_links[NETIF_TX_RING_SIZE];
	struct netfront_buf tx_bufs[NETIF_TX_RING_SIZE];

	struct xenring rx;
	void *rx_va;
	grant_ref_t rx_ring_ref;
	struct netfront_buf rx_bufs[NETIF_RX_RING_SIZE];
	struct netfront_rx_pkt rx_pkt;
	u32 rx_pkt_first;
	bool rx_pkt_busy;
	struct netfront_rx_limits rx_lim;
	struct xdp_rxq_info xdp_rxq;

	evtchn_port_t tx_evtchn;
	evtchn_port_t rx_evtchn;
	unsigned int tx_irq;
	unsigned int rx_irq;
	u32 tx_rsp_seen;
	u32 rx_rsp_seen;
	bool broken;

	struct netfront_stats tx_stats;
	struct netfront_stats rx_stats;
	char tx_name[IFNAMSIZ + 16];
	char rx_name[IFNAMSIZ + 16];
};

/**
 * struct netfront_steer - the backend's hashing, as the transmit path sees it
 * @rcu: frees a copy that was replaced
 * @hash: a copy of the device's settings, never changed once published
 */
struct netfront_steer {
	struct rcu_head rcu;
	struct netfront_hash hash;
};

/**
 * struct netfront_totals - counters of queues that are gone
 * @rx_packets: packets received
 * @rx_bytes: bytes received
 * @rx_dropped: received packets dropped
 * @rx_gso: GSO packets received
 * @rx_csum_fixups: received packets whose checksum offsets were set up
 * @rx_pages_taken: receive slot pages given to received packets
 * @tx_packets: packets sent
 * @tx_bytes: bytes sent
 * @tx_errors: transmit slots the backend failed
 * @tx_gso: GSO packets sent
 * @xdp: XDP verdicts and XDP frames sent, in the order of
 *	struct netfront_stats
 */
struct netfront_totals {
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_dropped;
	u64 rx_gso;
	u64 rx_csum_fixups;
	u64 rx_pages_taken;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_errors;
	u64 tx_gso;
	u64 xdp[5];
};

/**
 * struct netfront_info - one virtual network interface
 * @xbdev: its xenbus device
 * @ndev: its net_device, whose private area this is; registered from
 *	probe to remove
 * @mutex: serialises connection changes (see the lock order above)
 * @lim: what this frontend wants from a connection
 * @conf: the current (or last) connection; written under rtnl
 * @queues: the rings, @conf.nr_queues of them, or NULL; set under rtnl
 *	and @stats_lock
 * @stats_lock: protects @gone, and @queues for the counters' readers
 * @connected: the data path is up: set and cleared under rtnl, read by
 *	ndo_start_xmit under its transmit queue's lock
 * @announce_work: announces our addresses (gratuitous ARP, unsolicited
 *	IPv6 neighbour advertisements) once a connection's carrier has
 *	reached the qdiscs (takes rtnl); cancelled by every disconnect
 * @announce_wait: jiffies @announce_work has waited for that (rtnl)
 * @trusted: the toolstack's "trusted" key and the "trusted" parameter
 *	both trust the backend (logged only: see the data rule above)
 * @broken_count: times a queue found the backend broken
 * @gone: counters of queues already torn down
 * @speed: reported link speed in Mb/s, set with ethtool (rtnl)
 * @duplex: reported duplex, set with ethtool (rtnl)
 * @fail_work: reports a broken queue from process context
 * @ctrl: the control ring of the connection, or NULL (rtnl)
 * @hash: the backend's hashing for us (rtnl): @hash.types is 0 for none
 *	and cleared with each connection; the key and the table stay as the
 *	administrator set them
 * @steer: a copy of @hash while its types are not 0, for ndo_select_queue;
 *	replaced under rtnl, read under RCU
 * @xdp_prog: the XDP program run on received packets, or NULL; set under
 *	rtnl, read under RCU
 * @xdp_headroom: the "xdp-headroom" last written for the backend (@mutex)
 * @xdp_work: tells the backend of a changed XDP program (takes @mutex)
 * @mc_work: brings the backend's multicast filter up to date (takes
 *	@mutex)
 * @mc_filter: the "request-multicast-control" last written (@mutex)
 * @mc_nr: groups the backend of this connection holds for us (@mutex)
 * @mc_addrs: those groups (@mutex)
 * @mc_requests: MCAST_ADD and MCAST_DEL requests sent (@mutex)
 * @retired: buffer and ring pages of ended connections, still granted,
 *	waiting for the backend to close (@mutex)
 * @nr_retired: entries of @retired (@mutex)
 */
struct netfront_info {
	struct xenbus_device *xbdev;
	struct net_device *ndev;
	struct mutex mutex;	/* see the kernel-doc above */
	struct netfront_limits lim;
	struct netfront_conf conf;
	struct netfront_queue *queues;
	spinlock_t stats_lock;	/* see the kernel-doc above */
	bool connected;
	struct delayed_work announce_work;
	unsigned int announce_wait;
	bool trusted;
	atomic_t broken_count;
	struct netfront_totals gone;
	u32 speed;
	u8 duplex;
	struct work_struct fail_work;
	struct netfront_ctrl *ctrl;
	struct netfront_hash hash;
	struct netfront_steer __rcu *steer;
	struct bpf_prog __rcu *xdp_prog;
	u16 xdp_headroom;
	struct work_struct xdp_work;
	struct delayed_work mc_work;
	bool mc_filter;
	u32 mc_nr;
	u8 mc_addrs[NETFRONT_MCAST_MAX][ETH_ALEN];
	u64 mc_requests;
	struct list_head retired;
	unsigned int nr_retired;
};

/*
 * Totals over all devices, shown as driver attributes for leak checks:
 * grants given to backends, pages owned for rings and buffers, and pages
 * given up to the grant table because a backend kept them mapped.
 */
extern atomic_t netfront_nr_grants;
extern atomic_t netfront_nr_pages;
extern atomic_t netfront_nr_lost;

/* ring.c */
int netfront_buf_alloc(struct netfront_info *info, struct netfront_buf *b,
		       bool readonly);
void netfront_buf_free(struct netfront_buf *b);
void netfront_buf_retire(struct netfront_info *info, struct netfront_buf *b);
int netfront_ring_alloc(struct netfront_info *info, void **va,
			grant_ref_t *ref, struct xenring *r, size_t slot_size);
void netfront_ring_free(struct netfront_info *info, void **va,
			grant_ref_t *ref);
int netfront_rings_setup(struct netfront_info *info);
void netfront_rings_teardown(struct netfront_info *info);
void netfront_retired_release(struct netfront_info *info, bool final);
void netfront_data_start(struct netfront_info *info);
void netfront_data_stop(struct netfront_info *info);
void netfront_napi_set(struct netfront_info *info, bool on);
netdev_tx_t netfront_start_xmit(struct sk_buff *skb, struct net_device *ndev);
void netfront_sum_stats(struct netfront_info *info,
			struct netfront_totals *t);
u64 netfront_queue_packets(struct netfront_info *info, unsigned int index,
			   bool tx);
void netfront_rx_read(const struct netfront_queue *q, u32 pos, u8 *dst,
		      u32 len);
void netfront_count(struct netfront_stats *s, u64_stats_t *what);
int netfront_tx_linear(struct netfront_queue *q, const void *data, u32 len,
		       bool redirected);
int netfront_tx_mcast(struct netfront_queue *q, u8 op, const u8 *addr);

/* mcast.c */
bool netfront_mc_filter_wanted(struct netfront_info *info);
void netfront_mc_work(struct work_struct *work);
void netfront_set_rx_mode(struct net_device *ndev);

/* xdp.c */
struct sk_buff *netfront_rx_xdp(struct netfront_queue *q,
				struct bpf_prog *prog, bool *flush);
int netfront_bpf(struct net_device *ndev, struct netdev_bpf *bpf);
int netfront_xdp_xmit(struct net_device *ndev, int n,
		      struct xdp_frame **frames, u32 flags);
int netfront_xdp_rxq_reg(struct netfront_queue *q);
void netfront_xdp_rxq_unreg(struct netfront_queue *q);

/* ctrl.c */
int netfront_ctrl_setup(struct netfront_info *info);
void netfront_ctrl_teardown(struct netfront_info *info);
bool netfront_ctrl_keys(const struct netfront_info *info, u32 *ref,
			u32 *evtchn);
void netfront_ctrl_start(struct netfront_info *info);
u32 netfront_get_rxfh_key_size(struct net_device *ndev);
u32 netfront_get_rxfh_indir_size(struct net_device *ndev);
int netfront_get_rxfh(struct net_device *ndev, struct ethtool_rxfh_param *rxfh);
int netfront_set_rxfh(struct net_device *ndev, struct ethtool_rxfh_param *rxfh,
		      struct netlink_ext_ack *extack);
int netfront_get_rxnfc(struct net_device *ndev, struct ethtool_rxnfc *cmd,
		       u32 *rules);
u16 netfront_select_queue(struct net_device *ndev, struct sk_buff *skb,
			  struct net_device *sb_dev);

/* dev.c */
struct netfront_info *netfront_ndev_alloc(struct xenbus_device *dev,
					  const u8 *mac, u32 mtu);
void netfront_limits_init(struct netfront_limits *lim);
bool netfront_trusted(struct xenbus_device *dev);

/* xenbus.c */
void netfront_fail(struct netfront_queue *q, const char *why);
void netfront_info_fail(struct netfront_info *info, const char *why);
void netfront_xdp_work(struct work_struct *work);
int netfront_xenbus_register(void);
void netfront_xenbus_unregister(void);

#endif /* _XEN_NETFRONT_H */
