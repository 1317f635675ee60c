// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * xen-netback protocol core; see proto.h.  Plain C: no allocation, no
 * locks, no kernel calls, so that tools/testing/xen builds it as it is.
 */
#include <xen/xenbus_parse.h>
#include "proto.h"

/* A slot too many, or an unrepairable field: the frontend is broken. */
static enum netback_tx_verdict tx_fatal(struct netback_tx_pkt *pkt,
					const char *why)
{
	pkt->verdict = NETBACK_TX_FATAL;
	pkt->why = why;
	return NETBACK_TX_FATAL;
}

/* Keep gathering, but answer the packet with an error in the end. */
static void tx_drop(struct netback_tx_pkt *pkt, const char *why)
{
	if (!pkt->why)
		pkt->why = why;
}

/**
 * netback_tx_start() - get ready to gather the next transmitted packet
 * @pkt: gathering state, private to the ring's owner
 * @lim: what this vif accepts; out of range values are clamped
 */
void netback_tx_start(struct netback_tx_pkt *pkt,
		      const struct netback_tx_limits *lim)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->lim = *lim;
	if (pkt->lim.drop_slots < XEN_NETIF_NR_SLOTS_MIN)
		pkt->lim.drop_slots = XEN_NETIF_NR_SLOTS_MIN;
	if (pkt->lim.drop_slots > NETBACK_MAX_TX_SLOTS)
		pkt->lim.drop_slots = NETBACK_MAX_TX_SLOTS;
	if (pkt->lim.fatal_slots < pkt->lim.drop_slots)
		pkt->lim.fatal_slots = pkt->lim.drop_slots;
	if (pkt->lim.fatal_slots > NETBACK_MAX_TX_SLOTS)
		pkt->lim.fatal_slots = NETBACK_MAX_TX_SLOTS;
	pkt->verdict = NETBACK_TX_MORE;
}

static enum netback_tx_verdict tx_extra(struct netback_tx_pkt *pkt,
					const struct netif_extra_info *x)
{
	if (++pkt->nr_extras > NETBACK_MAX_TX_EXTRAS)
		return tx_fatal(pkt, "too many extra info slots");
	pkt->in_extras = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;

	switch (x->type) {
	case XEN_NETIF_EXTRA_TYPE_GSO:
		if (!netif_gso_type_known(x->u.gso.type))
			return tx_fatal(pkt, "unknown GSO type");
		if (!x->u.gso.size)
			return tx_fatal(pkt, "GSO segment size 0");
		if (!(pkt->lim.gso_types & (1u << x->u.gso.type)))
			tx_drop(pkt, "GSO type not negotiated");
		pkt->gso_type = x->u.gso.type;
		pkt->gso_size = x->u.gso.size;
		break;
	case XEN_NETIF_EXTRA_TYPE_MCAST_ADD:
	case XEN_NETIF_EXTRA_TYPE_MCAST_DEL:
		if (!(x->u.mcast.addr[0] & 1))
			tx_drop(pkt, "multicast filter change for a unicast address");
		pkt->mcast_op = x->type;
		memcpy(pkt->mcast_addr, x->u.mcast.addr, sizeof(pkt->mcast_addr));
		break;
	case XEN_NETIF_EXTRA_TYPE_HASH:
		/* Only a hint: one we do not understand is ignored. */
		if (netif_extra_hash_known(x)) {
			pkt->has_hash = true;
			pkt->hash_type = x->u.hash.type;
			pkt->hash = netif_extra_hash(x);
		}
		break;
	default:
		return tx_fatal(pkt, "unknown extra info type");
	}
	return NETBACK_TX_MORE;
}

/* The last slot is in: judge the packet as a whole. */
static enum netback_tx_verdict tx_finish(struct netback_tx_pkt *pkt)
{
	struct netback_tx_frag *first = &pkt->frags[0];
	u32 own;

	/* A multicast filter change rides on a dummy one-slot request. */
	if (pkt->mcast_op) {
		if (pkt->nr_frags > 1)
			tx_drop(pkt, "multicast filter change with data");
		pkt->verdict = pkt->why ? NETBACK_TX_DROP : NETBACK_TX_CTRL;
		return pkt->verdict;
	}
	if (pkt->rest > pkt->len) {
		tx_drop(pkt, "fragments longer than the packet");
		own = 0;
	} else {
		own = pkt->len - pkt->rest;
	}
	/* Checked before any drop: the frontend cannot mean this. */
	if (first->offset + own > NETIF_PAGE_SIZE)
		return tx_fatal(pkt, "first fragment crosses its page");
	first->size = own;
	if (own < NETBACK_MIN_TX_LEN)
		tx_drop(pkt, "first fragment shorter than an Ethernet header");
	if (pkt->nr_frags > pkt->lim.drop_slots)
		tx_drop(pkt, "more data slots than negotiated");
	pkt->verdict = pkt->why ? NETBACK_TX_DROP : NETBACK_TX_OK;
	return pkt->verdict;
}

/**
 * netback_tx_feed() - add the next transmit slot to a packet
 * @pkt: gathering state from netback_tx_start()
 * @slot: a private copy of the slot (NETIF_TX_SLOT_SIZE bytes)
 *
 * The slot is consumed whatever the outcome and must be answered: it is
 * recorded in @pkt->slots.  Fields of a packet are judged as they come
 * in, and the packet as a whole once its last slot has been fed.
 *
 * Return: NETBACK_TX_MORE while the packet goes on, then its verdict.
 * Once a verdict is given, further calls return it and consume nothing.
 */
enum netback_tx_verdict netback_tx_feed(struct netback_tx_pkt *pkt,
					const void *slot)
{
	struct netback_tx_slot *s;
	struct netif_tx_request req;
	u32 idx;

	if (pkt->verdict != NETBACK_TX_MORE)
		return pkt->verdict;
	if (pkt->nr_slots >= NETBACK_MAX_TX_PKT_SLOTS)
		return tx_fatal(pkt, "packet longer than the ring allows");
	s = &pkt->slots[pkt->nr_slots++];

	if (pkt->in_extras) {
		struct netif_extra_info x;

		memcpy(&x, slot, sizeof(x));
		s->extra = true;
		if (tx_extra(pkt, &x) == NETBACK_TX_FATAL)
			return NETBACK_TX_FATAL;
	} else {
		memcpy(&req, slot, sizeof(req));
		s->id = req.id;
		idx = pkt->nr_frags++;
		if (idx >= pkt->lim.fatal_slots)
			return tx_fatal(pkt, "more data slots than any frontend may use");
		pkt->frags[idx].gref = req.gref;
		pkt->frags[idx].offset = req.offset;
		pkt->more_data = req.flags & NETTXF_more_data;
		if (idx == 0) {
			/* The first slot's size is the whole packet's. */
			if (req.offset >= NETIF_PAGE_SIZE)
				return tx_fatal(pkt, "first fragment starts beyond its page");
			pkt->len = req.size;
			pkt->flags = req.flags & (NETTXF_csum_blank |
						  NETTXF_data_validated);
			pkt->in_extras = req.flags & NETTXF_extra_info;
		} else {
			if (req.offset + req.size > NETIF_PAGE_SIZE)
				return tx_fatal(pkt, "fragment crosses its page");
			/* XSA-448: an empty fragment is never valid. */
			if (!req.size)
				tx_drop(pkt, "empty fragment");
			pkt->frags[idx].size = req.size;
			pkt->rest += req.size;
		}
	}
	if (pkt->in_extras || pkt->more_data)
		return NETBACK_TX_MORE;
	return tx_finish(pkt);
}

/**
 * netback_tx_status() - the status a gathered packet is answered with
 * @pkt: a packet with a verdict
 *
 * Return: NETIF_RSP_OKAY for a good packet or a multicast change,
 * NETIF_RSP_ERROR otherwise.  The OS glue answers a good packet with an
 * error itself if it then fails to copy it.
 */
s16 netback_tx_status(const struct netback_tx_pkt *pkt)
{
	return pkt->verdict == NETBACK_TX_OK ||
	       pkt->verdict == NETBACK_TX_CTRL ? NETIF_RSP_OKAY :
						 NETIF_RSP_ERROR;
}

/**
 * netback_tx_rsp() - the response to one consumed slot
 * @pkt: the gathered packet
 * @i: the slot, below @pkt->nr_slots, in the order consumed
 * @status: the packet's status, for its data slots
 * @rsp: filled in
 *
 * Extra info slots are answered with NETIF_RSP_NULL, data slots with
 * their id and @status.
 */
void netback_tx_rsp(const struct netback_tx_pkt *pkt, u32 i, s16 status,
		    struct netif_tx_response *rsp)
{
	const struct netback_tx_slot *s = &pkt->slots[i];

	memset(rsp, 0, sizeof(*rsp));
	if (s->extra) {
		rsp->status = NETIF_RSP_NULL;
	} else {
		rsp->id = s->id;
		rsp->status = status;
	}
}

/* ------------------------------------------------------------------ */
/* Negotiation                                                         */
/* ------------------------------------------------------------------ */

static const char *const fe_keys[NETBACK_FE_NR] = {
	[NETBACK_FE_RX_COPY] = "request-rx-copy",
	[NETBACK_FE_RX_NOTIFY] = "feature-rx-notify",
	[NETBACK_FE_SG] = "feature-sg",
	[NETBACK_FE_GSO_TCPV4] = "feature-gso-tcpv4",
	[NETBACK_FE_GSO_TCPV6] = "feature-gso-tcpv6",
	[NETBACK_FE_NO_CSUM] = "feature-no-csum-offload",
	[NETBACK_FE_IPV6_CSUM] = "feature-ipv6-csum-offload",
	[NETBACK_FE_MCAST] = "request-multicast-control",
	[NETBACK_FE_QUEUES] = "multi-queue-num-queues",
	[NETBACK_FE_CTRL_REF] = "ctrl-ring-ref",
	[NETBACK_FE_CTRL_PORT] = "event-channel-ctrl",
	[NETBACK_FE_XDP_HEADROOM] = "xdp-headroom",
};

static const char *const q_keys[NETBACK_Q_NR] = {
	[NETBACK_Q_TX_REF] = "tx-ring-ref",
	[NETBACK_Q_RX_REF] = "rx-ring-ref",
	[NETBACK_Q_PORT] = "event-channel",
	[NETBACK_Q_TX_PORT] = "event-channel-tx",
	[NETBACK_Q_RX_PORT] = "event-channel-rx",
};

/**
 * netback_fe_key_name() - the xenstore name of a frontend key
 * @key: an enum netback_fe_key
 *
 * Return: the name, relative to the frontend's directory.
 */
const char *netback_fe_key_name(unsigned int key)
{
	return key < NETBACK_FE_NR ? fe_keys[key] : "";
}

/**
 * netback_q_key_name() - the xenstore name of a queue key
 * @key: an enum netback_q_key
 *
 * Return: the name, relative to the queue's directory.
 */
const char *netback_q_key_name(unsigned int key)
{
	return key < NETBACK_Q_NR ? q_keys[key] : "";
}

/**
 * netback_parse_fe_key() - record one key of the frontend's directory
 * @fe: the keys collected so far
 * @key: the key's name
 * @val: its value, NUL-terminated, as read (once) from xenstore
 *
 * Every key is an unsigned 32-bit decimal; one that does not parse stays
 * absent.
 *
 * Return: 0, -ENOENT for a key not handled here, or the error of
 * xenbus_parse_uint().
 */
int netback_parse_fe_key(struct netback_keys *fe, const char *key,
			 const char *val)
{
	return xenbus_parse_named_uint(fe_keys, NETBACK_FE_NR, key, val,
				       U32_MAX, fe->val, &fe->present);
}

/**
 * netback_parse_q_key() - record one key of a queue's directory
 * @q: the queue's keys collected so far
 * @key: the key's name
 * @val: its value, as read (once) from xenstore
 *
 * Return: as netback_parse_fe_key().
 */
int netback_parse_q_key(struct netback_keys *q, const char *key,
			const char *val)
{
	return xenbus_parse_named_uint(q_keys, NETBACK_Q_NR, key, val,
				       U32_MAX, q->val, &q->present);
}

static bool has(const struct netback_keys *k, unsigned int key)
{
	return k->present & (1u << key);
}

/* A boolean feature: present and non-zero. */
static bool on(const struct netback_keys *k, unsigned int key)
{
	return has(k, key) && k->val[key];
}

/**
 * netback_choose() - validate the connection the frontend asked for
 * @fe: the frontend's keys, read when it reached Connected
 * @offer: what this backend advertised
 * @c: the result; only meaningful on success
 * @why: set to the reason on failure
 *
 * Receive copy is the only receive mode: a frontend without
 * "request-rx-copy" is refused.  IPv4 checksum offload is on unless the
 * frontend turned it off, IPv6's only if it turned it on.  A control ring
 * needs both its keys, and the offer.
 *
 * Return: 0, or -EINVAL with @why set.
 */
int netback_choose(const struct netback_keys *fe,
		   const struct netback_offer *offer, struct netback_conf *c,
		   const char **why)
{
	u32 max_queues = offer->max_queues;

	memset(c, 0, sizeof(*c));
	if (!max_queues)
		max_queues = 1;
	if (max_queues > NETBACK_MAX_QUEUES)
		max_queues = NETBACK_MAX_QUEUES;
	*why = NULL;
	if (!on(fe, NETBACK_FE_RX_COPY))
		*why = "the frontend did not ask for receive copy";
	c->nr_queues = 1;
	if (has(fe, NETBACK_FE_QUEUES)) {
		if (!fe->val[NETBACK_FE_QUEUES] ||
		    fe->val[NETBACK_FE_QUEUES] > max_queues)
			*why = "queue count out of range";
		else
			c->nr_queues = fe->val[NETBACK_FE_QUEUES];
	}
	if (has(fe, NETBACK_FE_CTRL_REF) != has(fe, NETBACK_FE_CTRL_PORT))
		*why = "control ring with only one of its keys";
	else if (has(fe, NETBACK_FE_CTRL_REF) && !offer->ctrl_ring)
		*why = "control ring not offered";
	if (*why)
		return -EINVAL;

	c->rx_notify = on(fe, NETBACK_FE_RX_NOTIFY);
	c->sg = on(fe, NETBACK_FE_SG);
	if (on(fe, NETBACK_FE_GSO_TCPV4))
		c->gso_types |= 1u << XEN_NETIF_GSO_TYPE_TCPV4;
	if (on(fe, NETBACK_FE_GSO_TCPV6))
		c->gso_types |= 1u << XEN_NETIF_GSO_TYPE_TCPV6;
	c->ipv4_csum = !on(fe, NETBACK_FE_NO_CSUM);
	c->ipv6_csum = on(fe, NETBACK_FE_IPV6_CSUM);
	c->mcast = on(fe, NETBACK_FE_MCAST);
	c->ctrl_ring = has(fe, NETBACK_FE_CTRL_REF);
	c->ctrl_ref = fe->val[NETBACK_FE_CTRL_REF];
	c->ctrl_port = fe->val[NETBACK_FE_CTRL_PORT];
	/* One out of range is not honoured: the data start at 0. */
	netback_xdp_headroom(fe, &c->xdp_headroom);
	return 0;
}

/**
 * netback_xdp_headroom() - the receive headroom the frontend asked for
 * @fe: the frontend's keys (only "xdp-headroom" is looked at)
 * @headroom: set to the headroom to use: the key's value, or 0 if it is
 *	absent or out of range
 *
 * Return: 0, or -ERANGE for a value above NETBACK_XDP_HEADROOM_MAX.
 */
int netback_xdp_headroom(const struct netback_keys *fe, u16 *headroom)
{
	u64 v = fe->val[NETBACK_FE_XDP_HEADROOM];

	*headroom = 0;
	if (!has(fe, NETBACK_FE_XDP_HEADROOM))
		return 0;
	if (v > NETBACK_XDP_HEADROOM_MAX)
		return -ERANGE;
	*headroom = v;
	return 0;
}

/**
 * netback_choose_queue() - validate one queue's keys
 * @q: the queue's keys
 * @offer: what this backend advertised
 * @qc: the result; only meaningful on success
 * @why: set to the reason on failure
 *
 * Both ring grants are needed, and either "event-channel" or, if split
 * event channels were offered, both "event-channel-tx" and
 * "event-channel-rx".
 *
 * Return: 0, or -EINVAL with @why set.
 */
int netback_choose_queue(const struct netback_keys *q,
			 const struct netback_offer *offer,
			 struct netback_queue_conf *qc, const char **why)
{
	bool tx = has(q, NETBACK_Q_TX_PORT), rx = has(q, NETBACK_Q_RX_PORT);

	memset(qc, 0, sizeof(*qc));
	*why = NULL;
	if (!has(q, NETBACK_Q_TX_REF) || !has(q, NETBACK_Q_RX_REF))
		*why = "ring grant missing";
	else if (tx != rx)
		*why = "only one of the split event channels";
	else if (tx && !offer->split_evtchn)
		*why = "split event channels not offered";
	else if (!tx && !has(q, NETBACK_Q_PORT))
		*why = "event channel missing";
	if (*why)
		return -EINVAL;
	qc->tx_ref = q->val[NETBACK_Q_TX_REF];
	qc->rx_ref = q->val[NETBACK_Q_RX_REF];
	qc->split = tx;
	qc->tx_port = q->val[tx ? NETBACK_Q_TX_PORT : NETBACK_Q_PORT];
	qc->rx_port = q->val[tx ? NETBACK_Q_RX_PORT : NETBACK_Q_PORT];
	return 0;
}

/**
 * netback_parse_rate() - parse the toolstack's "rate" key
 * @s: the value, "BYTES,USEC", NUL-terminated
 * @bytes: credit per interval; written only on success
 * @usec: the interval in microseconds; written only on success
 *
 * Two decimal numbers and one comma, nothing else; the interval is 1 us
 * to 1 s (a longer one would let a burst of many seconds' credit through
 * at once).
 *
 * Return: 0, or -EINVAL.
 */
int netback_parse_rate(const char *s, u64 *bytes, u32 *usec)
{
	char num[XENBUS_PARSE_MAX_DIGITS + 1];
	const char *comma;
	u64 b, u;
	size_t n;

	if (!s)
		return -EINVAL;
	comma = strchr(s, ',');
	if (!comma)
		return -EINVAL;
	n = comma - s;
	if (n > XENBUS_PARSE_MAX_DIGITS)
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (xenbus_parse_uint(num, U64_MAX, &b) ||
	    xenbus_parse_uint(comma + 1, 1000000, &u) || !u)
		return -EINVAL;
	*bytes = b;
	*usec = u;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Receive side                                                        */
/* ------------------------------------------------------------------ */

/* The extras of a packet, in the order they are sent. */
static u32 rx_extras(const struct netback_rx_meta *meta, u8 *types)
{
	u32 n = 0;

	if (meta->gso_type != XEN_NETIF_GSO_TYPE_NONE)
		types[n++] = XEN_NETIF_EXTRA_TYPE_GSO;
	if (meta->has_hash)
		types[n++] = XEN_NETIF_EXTRA_TYPE_HASH;
	if (meta->headroom)
		types[n++] = XEN_NETIF_EXTRA_TYPE_XDP;
	return n;
}

/**
 * netback_rx_slots() - receive requests one packet consumes
 * @len: the packet's length
 * @meta: what goes with it
 *
 * The data fill each request's page from @meta->headroom to its end;
 * each extra info takes a request of its own.
 *
 * Return: the number of requests, or 0 for an empty packet or a headroom
 * out of range.
 */
u32 netback_rx_slots(u32 len, const struct netback_rx_meta *meta)
{
	u32 room = NETIF_PAGE_SIZE - meta->headroom;
	u8 types[3];

	if (!len || meta->headroom > NETBACK_XDP_HEADROOM_MAX)
		return 0;
	return (len + room - 1) / room + rx_extras(meta, types);
}

/**
 * netback_rx_build() - the responses for one received packet
 * @meta: what goes with the packet
 * @len: its length
 * @ids: ids of the consumed receive requests, in ring order
 * @nr_ids: how many were consumed
 * @out: NETIF_RX_SLOT_SIZE bytes per response, written in ring order
 * @max_slots: room in @out
 *
 * Each response lands in the slot of the request it answers, as old
 * frontends assume.  The data go into the pages of requests 0 and
 * 1 + extras onwards: the extras (GSO, then the hash, then XDP) follow
 * the first data slot.
 *
 * Return: the number of responses written, netback_rx_slots(); 0 if
 * @nr_ids or @max_slots is too small or the metadata is invalid.
 */
u32 netback_rx_build(const struct netback_rx_meta *meta, u32 len,
		     const u16 *ids, u32 nr_ids, void *out, u32 max_slots)
{
	u32 room = NETIF_PAGE_SIZE - meta->headroom;
	u32 n = netback_rx_slots(len, meta);
	u8 *slot = out, types[3];
	u32 extras = rx_extras(meta, types);
	u32 i, data = 0;

	if (!n || n > nr_ids || n > max_slots)
		return 0;
	if (meta->gso_type != XEN_NETIF_GSO_TYPE_NONE &&
	    (!netif_gso_type_known(meta->gso_type) || !meta->gso_size))
		return 0;
	for (i = 0; i < n; i++, slot += NETIF_RX_SLOT_SIZE) {
		struct netif_extra_info x;
		struct netif_rx_response r;
		u32 chunk;

		if (i >= 1 && i <= extras) {
			memset(&x, 0, sizeof(x));
			x.type = types[i - 1];
			if (x.type == XEN_NETIF_EXTRA_TYPE_GSO) {
				x.u.gso.size = meta->gso_size;
				x.u.gso.type = meta->gso_type;
			} else if (x.type == XEN_NETIF_EXTRA_TYPE_HASH) {
				netif_extra_set_hash(&x, meta->hash_type,
						     meta->hash);
			} else {
				x.u.xdp.headroom = meta->headroom;
			}
			x.flags = i < extras ? XEN_NETIF_EXTRA_FLAG_MORE : 0;
			memcpy(slot, &x, sizeof(x));
			continue;
		}
		chunk = len - data;
		if (chunk > room)
			chunk = room;
		memset(&r, 0, sizeof(r));
		r.id = ids[i];
		r.offset = meta->headroom;
		r.status = chunk;
		data += chunk;
		if (data < len)
			r.flags |= NETRXF_more_data;
		if (i == 0) {
			r.flags |= meta->flags & (NETRXF_csum_blank |
						  NETRXF_data_validated);
			if (extras)
				r.flags |= NETRXF_extra_info;
		}
		memcpy(slot, &r, sizeof(r));
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Control ring                                                        */
/* ------------------------------------------------------------------ */

/**
 * netback_hash_reset() - no hashing, as on a new connection
 * @h: the vif's hash configuration
 */
void netback_hash_reset(struct netback_hash *h)
{
	memset(h, 0, sizeof(*h));
	h->algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_NONE;
}

/* Entries of a mapping request, and whether they fit the table. */
static u32 mapping_check(const struct netback_hash *h, u32 len, u32 off)
{
	if (!h->size || off >= h->size || len > h->size - off)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	if (len > NETIF_PAGE_SIZE / sizeof(u32))
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

/**
 * netback_ctrl_check() - judge a control request before copying its data
 * @h: the vif's hash configuration
 * @req: a private copy of the request
 * @copy: set to what the OS glue must grant-copy from the frontend
 *	before netback_ctrl_apply(); @copy->len is 0 if nothing
 *
 * Return: XEN_NETIF_CTRL_STATUS_SUCCESS to go on, or the status to answer
 * with at once.
 */
u32 netback_ctrl_check(const struct netback_hash *h,
		       const struct xen_netif_ctrl_request *req,
		       struct netback_ctrl_copy *copy)
{
	u32 st;

	memset(copy, 0, sizeof(*copy));
	switch (req->type) {
	case XEN_NETIF_CTRL_TYPE_SET_HASH_KEY:
		if (req->data[1] > NETBACK_HASH_KEY_MAX)
			return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
		copy->gref = req->data[0];
		copy->len = req->data[1];
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING:
		st = mapping_check(h, req->data[1], req->data[2]);
		if (st != XEN_NETIF_CTRL_STATUS_SUCCESS)
			return st;
		copy->gref = req->data[0];
		copy->len = req->data[1] * sizeof(u32);
		copy->dst_off = req->data[2];
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM:
	case XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS:
	case XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS:
	case XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE:
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE:
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	default:
		/* Static grant mappings are not offered. */
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	}
}

/**
 * netback_ctrl_apply() - carry out a control request
 * @h: the vif's hash configuration
 * @req: the request, which passed netback_ctrl_check()
 * @data: the copied data netback_ctrl_check() asked for, or NULL
 * @nr_queues: queues of the vif; a mapping may name only these
 * @result: set to the response's data
 *
 * Nothing changes unless the whole request is valid (XSA-270: every
 * mapping entry is checked before any is taken).
 *
 * Return: the status to answer with.
 */
u32 netback_ctrl_apply(struct netback_hash *h,
		       const struct xen_netif_ctrl_request *req,
		       const void *data, u32 nr_queues, u32 *result)
{
	u32 i, st, len, off, entry;

	*result = 0;
	switch (req->type) {
	case XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM:
		if (req->data[0] != XEN_NETIF_CTRL_HASH_ALGORITHM_NONE &&
		    req->data[0] != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		h->algorithm = req->data[0];
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS:
		if (h->algorithm == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE)
			return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
		*result = NETBACK_HASH_TYPES;
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS:
		if (req->data[0] & ~NETBACK_HASH_TYPES)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		if (h->algorithm == XEN_NETIF_CTRL_HASH_ALGORITHM_NONE)
			return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
		h->types = req->data[0];
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_KEY:
		len = req->data[1];
		if (len > NETBACK_HASH_KEY_MAX || (len && !data))
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		memset(h->key, 0, sizeof(h->key));
		if (len)
			memcpy(h->key, data, len);
		h->key_len = len;
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE:
		*result = NETBACK_HASH_MAPPING_MAX;
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE:
		if (req->data[0] > NETBACK_HASH_MAPPING_MAX)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		h->size = req->data[0];
		memset(h->mapping, 0, sizeof(h->mapping));
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING:
		len = req->data[1];
		off = req->data[2];
		st = mapping_check(h, len, off);
		if (st != XEN_NETIF_CTRL_STATUS_SUCCESS)
			return st;
		if (len && !data)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		for (i = 0; i < len; i++) {
			memcpy(&entry, (const u8 *)data + i * sizeof(u32),
			       sizeof(entry));
			if (entry >= nr_queues)
				return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		}
		for (i = 0; i < len; i++)
			memcpy(&h->mapping[off + i],
			       (const u8 *)data + i * sizeof(u32), sizeof(u32));
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	default:
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	}
}

/**
 * netback_hash_input() - the bytes a packet is hashed over
 * @types: XEN_NETIF_CTRL_HASH_TYPE_* enabled
 * @ip: the packet from its IP header on
 * @len: bytes at @ip
 * @buf: set to the hash input, at least 36 bytes
 * @type: set to the hash type's bit number
 *
 * As netif_hash_input(), which a frontend also uses to find the queue
 * its replies come in on.
 *
 * Return: bytes written to @buf, or 0 if the packet is not hashed.
 */
int netback_hash_input(u32 types, const u8 *ip, u32 len, u8 *buf, u8 *type)
{
	return netif_hash_input(types, ip, len, false, buf, type);
}

/**
 * netback_hash_queue() - the queue a hash steers a packet to
 * @h: the vif's hash configuration
 * @hash: the packet's hash
 * @nr_queues: queues of the vif, non-zero
 *
 * Return: a queue index below @nr_queues.
 */
u32 netback_hash_queue(const struct netback_hash *h, u32 hash, u32 nr_queues)
{
	u32 q = h->size ? h->mapping[hash % h->size] : hash;

	/* Checked when set; a reconnect with fewer queues resets it too. */
	return q < nr_queues ? q : q % nr_queues;
}
