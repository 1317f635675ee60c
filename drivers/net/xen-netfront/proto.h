/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * xen-netfront protocol core: receive responses, transmit responses and
 * control ring responses, in plain C.
 *
 * Everything a backend writes is untrusted.  The OS glue copies each
 * response slot out of the shared ring once (xenring_take_rsp()) and
 * passes the private copy here.  A received packet is gathered slot by
 * slot with netfront_rx_feed() and judged: good, to be dropped (its
 * buffers are reposted, the device carries on), or fatal (the backend
 * broke the protocol and the device goes to its error state).  A transmit
 * response is judged by netfront_tx_rsp() against the ids in flight.
 *
 * With hashing on, netfront_reply_queue() names the queue the backend
 * will steer the replies to a packet we send to, so that a flow can
 * leave on the queue its replies come in on.
 *
 * Receive buffers are posted with the id of their ring slot, and the
 * protocol puts each response in the slot of the request it answers, so
 * the glue passes the id it posted in each slot along with the response.
 *
 * The same file is compiled in userspace by tools/testing/xen for unit
 * tests and fuzzing.
 */
#ifndef _XEN_NETFRONT_PROTO_H
#define _XEN_NETFRONT_PROTO_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <xen/netif.h>
#include <xen/xenring.h>
#include <xen/xenbus_parse.h>

/* Data slots of one received packet the backend may never exceed. */
#define NETFRONT_MAX_RX_SLOTS		32
/* Extra info slots of one received packet (fatal beyond). */
#define NETFRONT_MAX_RX_EXTRAS		4
#define NETFRONT_MAX_RX_PKT_SLOTS	(NETFRONT_MAX_RX_SLOTS + NETFRONT_MAX_RX_EXTRAS)

/**
 * struct netfront_rx_limits - what this frontend accepts
 * @drop_slots: data slots above which a packet is dropped
 * @gso_types: bit (1 << XEN_NETIF_GSO_TYPE_*) for each GSO type the
 *	frontend advertised
 * @hash: the frontend enabled hashing, so HASH extras may come
 */
struct netfront_rx_limits {
	u32 drop_slots;
	u32 gso_types;
	bool hash;
};

/**
 * enum netfront_rx_verdict - what became of a received packet
 * @NETFRONT_RX_MORE: not complete yet; feed the next slot
 * @NETFRONT_RX_OK: complete and good
 * @NETFRONT_RX_DROP: complete, but to be dropped
 * @NETFRONT_RX_FATAL: the backend broke the protocol
 */
enum netfront_rx_verdict {
	NETFRONT_RX_MORE,
	NETFRONT_RX_OK,
	NETFRONT_RX_DROP,
	NETFRONT_RX_FATAL,
};

/**
 * struct netfront_rx_frag - one data slot of a received packet
 * @slot: its position among the packet's slots (the buffer to take)
 * @offset: where the data start in the buffer
 * @size: bytes of data
 */
struct netfront_rx_frag {
	u16 slot;
	u16 offset;
	u16 size;
};

/**
 * struct netfront_rx_pkt - one received packet, from private copies
 * @lim: limits, set by netfront_rx_start()
 * @verdict: the packet's fate so far
 * @why: for a drop or a fatal verdict, what was wrong
 * @in_extras: the next slot is an extra info
 * @more_data: a data slot follows (after any extras)
 * @nr_slots: slots consumed, each of whose buffers the glue takes back
 * @nr_frags: data slots, the first min(@nr_frags, NETFRONT_MAX_RX_SLOTS)
 *	in @frags
 * @nr_extras: extra info slots consumed
 * @len: bytes of data in all
 * @flags: the first slot's NETRXF_csum_blank and NETRXF_data_validated
 * @gso_type: XEN_NETIF_GSO_TYPE_* from a GSO extra, or NONE
 * @gso_size: its segment size
 * @has_hash: a HASH extra came with the packet
 * @hash_type: its type's bit number
 * @hash: its value
 * @headroom: from an XDP extra: no data before this offset of a buffer
 * @frags: the data slots
 */
struct netfront_rx_pkt {
	struct netfront_rx_limits lim;
	enum netfront_rx_verdict verdict;
	const char *why;
	bool in_extras;
	bool more_data;
	u32 nr_slots;
	u32 nr_frags;
	u32 nr_extras;
	u32 len;
	u16 flags;
	u8 gso_type;
	u16 gso_size;
	bool has_hash;
	u8 hash_type;
	u32 hash;
	u16 headroom;
	struct netfront_rx_frag frags[NETFRONT_MAX_RX_SLOTS];
};

/* Most queues this frontend uses. */
#define NETFRONT_MAX_QUEUES		8

/* Keys of the backend's directory this frontend reads, each once. */
enum netfront_be_key {
	NETFRONT_BE_RX_COPY,	/* "feature-rx-copy" */
	NETFRONT_BE_SG,		/* "feature-sg" */
	NETFRONT_BE_GSO_TCPV4,	/* "feature-gso-tcpv4" */
	NETFRONT_BE_GSO_TCPV6,	/* "feature-gso-tcpv6" */
	NETFRONT_BE_IPV6_CSUM,	/* "feature-ipv6-csum-offload" */
	NETFRONT_BE_MAX_QUEUES,	/* "multi-queue-max-queues" */
	NETFRONT_BE_SPLIT,	/* "feature-split-event-channels" */
	NETFRONT_BE_CTRL_RING,	/* "feature-ctrl-ring" */
	NETFRONT_BE_MCAST,	/* "feature-multicast-control" */
	NETFRONT_BE_DYN_MCAST,	/* "feature-dynamic-multicast-control" */
	NETFRONT_BE_XDP,	/* "feature-xdp-headroom" */
	NETFRONT_BE_NR
};

/**
 * struct netfront_keys - the backend's keys, each parsed once
 * @present: bit (1 << enum netfront_be_key) for each key found and parsed
 * @val: the values; an absent key's is 0
 */
struct netfront_keys {
	u32 present;
	u64 val[NETFRONT_BE_NR];
};

/**
 * struct netfront_limits - what this frontend wants
 * @max_queues: queues it would use, at most NETFRONT_MAX_QUEUES
 * @ctrl_ring: it would set up a control ring for hashing
 * @xdp: it would ask for XDP headroom while an XDP program is attached
 */
struct netfront_limits {
	u32 max_queues;
	bool ctrl_ring;
	bool xdp;
};

/**
 * struct netfront_conf - the connection this frontend sets up
 * @nr_queues: queues, 1 to the lesser of both ends' maximum
 * @split: a transmit and a receive event channel per queue
 * @ctrl_ring: a control ring
 * @sg: packets may take several slots
 * @gso_types: bit (1 << XEN_NETIF_GSO_TYPE_*) for each GSO type the
 *	backend takes
 * @ipv6_csum: the backend takes IPv6 packets with a blank checksum
 * @mcast: multicast filtering can be asked for
 * @dyn_mcast: ...and changed while connected
 * @xdp: the backend takes an "xdp-headroom", and this frontend would ask
 */
struct netfront_conf {
	u32 nr_queues;
	bool split;
	bool ctrl_ring;
	bool sg;
	u32 gso_types;
	bool ipv6_csum;
	bool mcast;
	bool dyn_mcast;
	bool xdp;
};

/* Hash types this frontend asks for, and its mapping table's size. */
#define NETFRONT_HASH_TYPES	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV6 |	\
				 XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)
#define NETFRONT_HASH_KEY_LEN		40
#define NETFRONT_HASH_MAPPING_MAX	128

/* Most bytes a hash input takes: two IPv6 addresses and the TCP ports. */
#define NETFRONT_HASH_INPUT_MAX		36
/*
 * Bytes of a frame that decide its hash input: the Ethernet header, an
 * IPv4 header with the most options, and the TCP ports.
 */
#define NETFRONT_HASH_HDR_MAX		(14 + 60 + 4)

/**
 * struct netfront_hash - how the backend steers what it sends us
 * @types: XEN_NETIF_CTRL_HASH_TYPE_* it hashes, 0 while it hashes none
 * @size: entries of @table it took
 * @key: the Toeplitz key
 * @table: the queue of each hash value modulo @size
 */
struct netfront_hash {
	u32 types;
	u32 size;
	u8 key[NETFRONT_HASH_KEY_LEN];
	u32 table[NETFRONT_HASH_MAPPING_MAX];
};

const char *netfront_be_key_name(unsigned int key);
int netfront_parse_be_key(struct netfront_keys *be, const char *key,
			  const char *val);
int netfront_choose(const struct netfront_keys *be,
		    const struct netfront_limits *lim,
		    struct netfront_conf *c, const char **why);
int netfront_parse_mac(const char *s, u8 mac[6]);
int netfront_parse_mtu(const char *s, u32 *mtu);

void netfront_rx_start(struct netfront_rx_pkt *pkt,
		       const struct netfront_rx_limits *lim);
enum netfront_rx_verdict netfront_rx_feed(struct netfront_rx_pkt *pkt,
					  const void *slot, u16 posted_id);
int netfront_tx_rsp(const struct netif_tx_response *rsp,
		    const struct xenring_ids *ids, bool *answered);
int netfront_ctrl_rsp(const struct xen_netif_ctrl_response *rsp, u16 id,
		      u16 type, u32 *value);
int netfront_reply_hash_input(u32 types, const u8 *frame, u32 len, u8 *buf,
			      u8 *type);
bool netfront_reply_queue(const struct netfront_hash *h, const u8 *frame,
			  u32 len, u32 *queue);

#endif /* _XEN_NETFRONT_PROTO_H */
