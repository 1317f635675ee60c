/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * xen-netback protocol core: transmit requests, receive responses, the
 * control ring and the Toeplitz hash, in plain C.
 *
 * Everything a frontend writes is untrusted.  The OS glue copies each
 * transmit slot out of the shared ring once (xenring_take_req()) and feeds
 * the private copy to netback_tx_feed(), which gathers one packet and
 * judges it: good, to be dropped (answered with an error, the frontend
 * carries on) or fatal (the frontend broke the protocol and the vif is
 * disconnected).  Every slot consumed, good or bad, is answered exactly
 * once from the gathered packet (netback_tx_rsp()).
 *
 * Control requests are judged by netback_ctrl_check() before anything
 * they point at is copied, and a copied hash mapping is judged entry by
 * entry before it replaces the old one (XSA-270).
 *
 * The same file is compiled in userspace by tools/testing/xen for unit
 * tests and fuzzing.
 */
#ifndef _XEN_NETBACK_PROTO_H
#define _XEN_NETBACK_PROTO_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <xen/netif.h>

/* Data slots of one packet a frontend may never exceed (fatal beyond). */
#define NETBACK_MAX_TX_SLOTS		32
/* Extra info slots of one packet (fatal beyond). */
#define NETBACK_MAX_TX_EXTRAS		8
/* Every slot one packet can take, data and extras. */
#define NETBACK_MAX_TX_PKT_SLOTS	(NETBACK_MAX_TX_SLOTS + NETBACK_MAX_TX_EXTRAS)
/* The shortest packet worth passing on: an Ethernet header. */
#define NETBACK_MIN_TX_LEN		14

/**
 * struct netback_tx_limits - what this vif accepts from its frontend
 * @drop_slots: data slots above which a packet is dropped, at least
 *	XEN_NETIF_NR_SLOTS_MIN
 * @fatal_slots: data slots above which the frontend is broken, at least
 *	@drop_slots and at most NETBACK_MAX_TX_SLOTS
 * @gso_types: bit (1 << XEN_NETIF_GSO_TYPE_*) for each GSO type negotiated
 */
struct netback_tx_limits {
	u32 drop_slots;
	u32 fatal_slots;
	u32 gso_types;
};

/**
 * enum netback_tx_verdict - what became of a packet
 * @NETBACK_TX_MORE: not complete yet; feed the next slot
 * @NETBACK_TX_OK: complete and good; pass it on
 * @NETBACK_TX_CTRL: complete, a multicast filter change with no data
 * @NETBACK_TX_DROP: complete, but answered with an error and not passed on
 * @NETBACK_TX_FATAL: the frontend broke the protocol; disconnect it.
 *	The slots gathered so far are answered nevertheless.
 */
enum netback_tx_verdict {
	NETBACK_TX_MORE,
	NETBACK_TX_OK,
	NETBACK_TX_CTRL,
	NETBACK_TX_DROP,
	NETBACK_TX_FATAL,
};

/**
 * struct netback_tx_frag - one data slot of a packet
 * @gref: the frontend's grant
 * @offset: where the data starts in the granted page
 * @size: bytes in this slot (for the first slot: its own share, the
 *	packet's total minus the other slots)
 */
struct netback_tx_frag {
	u32 gref;
	u16 offset;
	u16 size;
};

/**
 * struct netback_tx_slot - how to answer one consumed slot
 * @id: the request's id (data slots)
 * @extra: an extra info slot, answered with NETIF_RSP_NULL
 */
struct netback_tx_slot {
	u16 id;
	bool extra;
};

/**
 * struct netback_tx_pkt - one packet, gathered from private slot copies
 * @lim: limits, set by netback_tx_start()
 * @verdict: the packet's fate so far (NETBACK_TX_MORE while gathering)
 * @why: for NETBACK_TX_DROP and NETBACK_TX_FATAL, what was wrong
 * @in_extras: the next slot is an extra info
 * @more_data: a data slot follows (after any extras)
 * @nr_slots: slots consumed, each in @slots
 * @nr_frags: data slots, the first min(@nr_frags, @lim.fatal_slots) in
 *	@frags
 * @nr_extras: extra info slots consumed
 * @len: the packet's total length, from its first slot
 * @rest: bytes of the data slots after the first, summed
 * @flags: the first slot's NETTXF_csum_blank and NETTXF_data_validated
 * @gso_type: XEN_NETIF_GSO_TYPE_* from a GSO extra, or NONE
 * @gso_size: its segment size
 * @mcast_op: XEN_NETIF_EXTRA_TYPE_MCAST_ADD or _DEL, or 0
 * @mcast_addr: its address
 * @has_hash: a HASH extra came with the packet
 * @hash_type: its hash type's bit number
 * @hash: its value
 * @frags: the data slots
 * @slots: every consumed slot, in order, for the responses
 */
struct netback_tx_pkt {
	struct netback_tx_limits lim;
	enum netback_tx_verdict verdict;
	const char *why;
	bool in_extras;
	bool more_data;
	u32 nr_slots;
	u32 nr_frags;
	u32 nr_extras;
	u32 len;
	u32 rest;
	u16 flags;
	u8 gso_type;
	u16 gso_size;
	u8 mcast_op;
	u8 mcast_addr[6];
	bool has_hash;
	u8 hash_type;
	u32 hash;
	struct netback_tx_frag frags[NETBACK_MAX_TX_SLOTS];
	struct netback_tx_slot slots[NETBACK_MAX_TX_PKT_SLOTS];
};

void netback_tx_start(struct netback_tx_pkt *pkt,
		      const struct netback_tx_limits *lim);
enum netback_tx_verdict netback_tx_feed(struct netback_tx_pkt *pkt,
					const void *slot);
s16 netback_tx_status(const struct netback_tx_pkt *pkt);
void netback_tx_rsp(const struct netback_tx_pkt *pkt, u32 i, s16 status,
		    struct netif_tx_response *rsp);

/* ------------------------------------------------------------------ */
/* Negotiation: the frontend's keys                                    */
/* ------------------------------------------------------------------ */

/*
 * Largest "xdp-headroom" this backend honours: twice Linux's XDP headroom,
 * leaving most of each page for data.
 */
#define NETBACK_XDP_HEADROOM_MAX	512

/* Most queues a frontend may ask for. */
#define NETBACK_MAX_QUEUES		8

/* Keys of the frontend's directory this backend reads, each once. */
enum netback_fe_key {
	NETBACK_FE_RX_COPY,	/* "request-rx-copy" */
	NETBACK_FE_RX_NOTIFY,	/* "feature-rx-notify" */
	NETBACK_FE_SG,		/* "feature-sg" */
	NETBACK_FE_GSO_TCPV4,	/* "feature-gso-tcpv4" */
	NETBACK_FE_GSO_TCPV6,	/* "feature-gso-tcpv6" */
	NETBACK_FE_NO_CSUM,	/* "feature-no-csum-offload" */
	NETBACK_FE_IPV6_CSUM,	/* "feature-ipv6-csum-offload" */
	NETBACK_FE_MCAST,	/* "request-multicast-control" */
	NETBACK_FE_QUEUES,	/* "multi-queue-num-queues" */
	NETBACK_FE_CTRL_REF,	/* "ctrl-ring-ref" */
	NETBACK_FE_CTRL_PORT,	/* "event-channel-ctrl" */
	NETBACK_FE_XDP_HEADROOM,	/* "xdp-headroom" */
	NETBACK_FE_NR
};

/* Keys of a queue's directory (the frontend's own for a single queue). */
enum netback_q_key {
	NETBACK_Q_TX_REF,	/* "tx-ring-ref" */
	NETBACK_Q_RX_REF,	/* "rx-ring-ref" */
	NETBACK_Q_PORT,		/* "event-channel" */
	NETBACK_Q_TX_PORT,	/* "event-channel-tx" */
	NETBACK_Q_RX_PORT,	/* "event-channel-rx" */
	NETBACK_Q_NR
};

/**
 * struct netback_keys - keys of one directory, each parsed once
 * @present: bit (1 << key) for each key found and parsed
 * @val: the values, by key; an absent key's is 0
 */
struct netback_keys {
	u32 present;
	u64 val[NETBACK_FE_NR];
};

const char *netback_fe_key_name(unsigned int key);
const char *netback_q_key_name(unsigned int key);
int netback_parse_fe_key(struct netback_keys *fe, const char *key,
			 const char *val);
int netback_parse_q_key(struct netback_keys *q, const char *key,
			const char *val);

/**
 * struct netback_offer - what this backend advertised
 * @max_queues: "multi-queue-max-queues"
 * @split_evtchn: "feature-split-event-channels"
 * @ctrl_ring: "feature-ctrl-ring"
 * @xdp_headroom: "feature-xdp-headroom"; without it the frontend's
 *	"xdp-headroom" is not honoured
 */
struct netback_offer {
	u32 max_queues;
	bool split_evtchn;
	bool ctrl_ring;
	bool xdp_headroom;
};

/**
 * struct netback_conf - the connection the frontend asked for
 * @nr_queues: queues, 1 to the offer
 * @rx_notify: the frontend kicks us for new receive buffers
 * @sg: the frontend takes packets of several slots
 * @gso_types: bit (1 << XEN_NETIF_GSO_TYPE_*) for each GSO type it takes
 * @ipv4_csum: it takes packets with a blank IPv4 TCP/UDP checksum
 * @ipv6_csum: the same for IPv6
 * @mcast: it asked for multicast filtering at connect time
 * @ctrl_ring: it set up a control ring: @ctrl_ref, @ctrl_port
 * @ctrl_ref: the control ring's grant
 * @ctrl_port: its event channel
 * @xdp_headroom: where each data slot of a received packet starts
 */
struct netback_conf {
	u32 nr_queues;
	bool rx_notify;
	bool sg;
	u32 gso_types;
	bool ipv4_csum;
	bool ipv6_csum;
	bool mcast;
	bool ctrl_ring;
	u32 ctrl_ref;
	u32 ctrl_port;
	u16 xdp_headroom;
};

/**
 * struct netback_queue_conf - one queue's rings and event channels
 * @tx_ref: grant of the transmit ring
 * @rx_ref: grant of the receive ring
 * @tx_port: event channel for transmit (and receive, if not split)
 * @rx_port: event channel for receive; equal to @tx_port if not split
 * @split: two event channels
 */
struct netback_queue_conf {
	u32 tx_ref;
	u32 rx_ref;
	u32 tx_port;
	u32 rx_port;
	bool split;
};

int netback_choose(const struct netback_keys *fe,
		   const struct netback_offer *offer, struct netback_conf *c,
		   const char **why);
int netback_parse_rate(const char *s, u64 *bytes, u32 *usec);
int netback_xdp_headroom(const struct netback_keys *fe, u16 *headroom);
int netback_choose_queue(const struct netback_keys *q,
			 const struct netback_offer *offer,
			 struct netback_queue_conf *qc, const char **why);

/* ------------------------------------------------------------------ */
/* Receive side: responses to the frontend's buffers                  */
/* ------------------------------------------------------------------ */

/**
 * struct netback_rx_meta - what goes with a packet to the frontend
 * @flags: NETRXF_csum_blank and NETRXF_data_validated as wanted
 * @gso_type: XEN_NETIF_GSO_TYPE_*, NONE for no GSO extra
 * @gso_size: the segment size, non-zero with a GSO type
 * @has_hash: send a HASH extra
 * @hash_type: its hash type's bit number
 * @hash: its value
 * @headroom: the frontend's "xdp-headroom": each data slot starts at
 *	this offset, and an XDP extra says so; at most
 *	NETBACK_XDP_HEADROOM_MAX
 */
struct netback_rx_meta {
	u16 flags;
	u8 gso_type;
	u16 gso_size;
	bool has_hash;
	u8 hash_type;
	u32 hash;
	u16 headroom;
};

u32 netback_rx_slots(u32 len, const struct netback_rx_meta *meta);
u32 netback_rx_build(const struct netback_rx_meta *meta, u32 len,
		     const u16 *ids, u32 nr_ids, void *out, u32 max_slots);

/* ------------------------------------------------------------------ */
/* Control ring and hashing                                           */
/* ------------------------------------------------------------------ */

/* Longest hash key this backend keeps, and its hash mapping table. */
#define NETBACK_HASH_KEY_MAX		40
#define NETBACK_HASH_MAPPING_MAX	128
/* Hash types this backend computes. */
#define NETBACK_HASH_TYPES	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV6 |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

/**
 * struct netback_hash - the hash configuration a frontend set
 * @algorithm: XEN_NETIF_CTRL_HASH_ALGORITHM_*
 * @types: XEN_NETIF_CTRL_HASH_TYPE_* to compute
 * @key_len: bytes of @key set; the rest are zero
 * @key: the Toeplitz key
 * @size: entries in @mapping; 0 maps by hash modulo the queue count
 * @mapping: queue of each hash value modulo @size, each below the queue
 *	count
 */
struct netback_hash {
	u8 algorithm;
	u32 types;
	u32 key_len;
	u8 key[NETBACK_HASH_KEY_MAX];
	u32 size;
	u32 mapping[NETBACK_HASH_MAPPING_MAX];
};

/**
 * struct netback_ctrl_copy - data a control request points at
 * @gref: the frontend's grant; the data starts at offset 0
 * @len: bytes to copy, 0 for none
 * @dst_off: for a mapping, the first entry it replaces
 */
struct netback_ctrl_copy {
	u32 gref;
	u32 len;
	u32 dst_off;
};

void netback_hash_reset(struct netback_hash *h);
u32 netback_ctrl_check(const struct netback_hash *h,
		       const struct xen_netif_ctrl_request *req,
		       struct netback_ctrl_copy *copy);
u32 netback_ctrl_apply(struct netback_hash *h,
		       const struct xen_netif_ctrl_request *req,
		       const void *data, u32 nr_queues, u32 *result);
int netback_hash_input(u32 types, const u8 *ip, u32 len, u8 *buf,
		       u8 *type);
u32 netback_hash_queue(const struct netback_hash *h, u32 hash,
		       u32 nr_queues);

/* The protocol's Toeplitz hash, shared with the frontend (<xen/netif.h>). */
static inline u32 netback_toeplitz(const u8 *key, u32 key_len, const u8 *buf,
				   u32 len)
{
	return netif_toeplitz(key, key_len, buf, len);
}

#endif /* _XEN_NETBACK_PROTO_H */
