// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * xen-netfront protocol core; see proto.h.  Plain C: no allocation, no
 * locks, no kernel calls, so that tools/testing/xen builds it as it is.
 */
#include <linux/minmax.h>
#include "proto.h"

static enum netfront_rx_verdict rx_fatal(struct netfront_rx_pkt *pkt,
					 const char *why)
{
	pkt->verdict = NETFRONT_RX_FATAL;
	pkt->why = why;
	return NETFRONT_RX_FATAL;
}

/* Keep gathering (the buffers must all come back), then drop. */
static void rx_drop(struct netfront_rx_pkt *pkt, const char *why)
{
	if (!pkt->why)
		pkt->why = why;
}

/**
 * netfront_rx_start() - get ready to gather the next received packet
 * @pkt: gathering state, private to the ring's owner
 * @lim: what this frontend accepts; out of range values are clamped
 */
void netfront_rx_start(struct netfront_rx_pkt *pkt,
		       const struct netfront_rx_limits *lim)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->lim = *lim;
	if (!pkt->lim.drop_slots)
		pkt->lim.drop_slots = 1;
	if (pkt->lim.drop_slots > NETFRONT_MAX_RX_SLOTS)
		pkt->lim.drop_slots = NETFRONT_MAX_RX_SLOTS;
	pkt->verdict = NETFRONT_RX_MORE;
}

static enum netfront_rx_verdict rx_extra(struct netfront_rx_pkt *pkt,
					 const struct netif_extra_info *x)
{
	if (++pkt->nr_extras > NETFRONT_MAX_RX_EXTRAS)
		return rx_fatal(pkt, "too many extra info slots");
	pkt->in_extras = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;

	switch (x->type) {
	case XEN_NETIF_EXTRA_TYPE_GSO:
		if (!netif_gso_type_known(x->u.gso.type))
			return rx_fatal(pkt, "unknown GSO type");
		if (!x->u.gso.size)
			rx_drop(pkt, "GSO segment size 0");
		if (!(pkt->lim.gso_types & (1u << x->u.gso.type)))
			rx_drop(pkt, "GSO type not advertised");
		pkt->gso_type = x->u.gso.type;
		pkt->gso_size = x->u.gso.size;
		break;
	case XEN_NETIF_EXTRA_TYPE_HASH:
		/* A hint only: one we cannot use is ignored. */
		if (pkt->lim.hash && netif_extra_hash_known(x)) {
			pkt->has_hash = true;
			pkt->hash_type = x->u.hash.type;
			pkt->hash = netif_extra_hash(x);
		}
		break;
	case XEN_NETIF_EXTRA_TYPE_XDP:
		/* Where the data start: see rx_headroom(). */
		if (x->u.xdp.headroom > XEN_NETIF_MAX_XDP_HEADROOM)
			rx_drop(pkt, "XDP headroom out of range");
		else
			pkt->headroom = x->u.xdp.headroom;
		break;
	default:
		/* Multicast changes go the other way only. */
		return rx_fatal(pkt, "extra info type not valid on receive");
	}
	return NETFRONT_RX_MORE;
}

/*
 * A packet with an XDP extra has its data at the headroom of each buffer.
 * Linux's netback says so in the extra only: its responses give offset 0
 * and a size that counts the headroom too.  Ours give the offset itself.
 * Either way a slot's data end where offset + size says, and start at
 * the headroom at the earliest.
 */
static void rx_headroom(struct netfront_rx_pkt *pkt)
{
	u32 nr = min_t(u32, pkt->nr_frags, NETFRONT_MAX_RX_SLOTS);
	u32 i, end;

	for (i = 0; i < nr; i++) {
		struct netfront_rx_frag *f = &pkt->frags[i];

		if (!f->size || f->offset >= pkt->headroom)
			continue;
		end = f->offset + f->size;
		if (end < pkt->headroom) {
			rx_drop(pkt, "data inside the XDP headroom");
			return;
		}
		pkt->len -= pkt->headroom - f->offset;
		f->offset = pkt->headroom;
		f->size = end - pkt->headroom;
	}
}

static enum netfront_rx_verdict rx_finish(struct netfront_rx_pkt *pkt)
{
	if (pkt->headroom)
		rx_headroom(pkt);
	if (pkt->nr_frags > pkt->lim.drop_slots)
		rx_drop(pkt, "more data slots than this frontend takes");
	if (!pkt->len)
		rx_drop(pkt, "no data");
	pkt->verdict = pkt->why ? NETFRONT_RX_DROP : NETFRONT_RX_OK;
	return pkt->verdict;
}

/**
 * netfront_rx_feed() - add the next receive response to a packet
 * @pkt: gathering state from netfront_rx_start()
 * @slot: a private copy of the response slot (NETIF_RX_SLOT_SIZE bytes)
 * @posted_id: the id of the request this frontend posted in that slot
 *
 * The slot is consumed whatever the outcome; its buffer comes back to the
 * frontend.  A data response must carry @posted_id, must lie within its
 * page, and may not flag anything the frontend did not ask for.
 *
 * Return: NETFRONT_RX_MORE while the packet goes on, then its verdict.
 * Once a verdict is given, further calls return it and consume nothing.
 */
enum netfront_rx_verdict netfront_rx_feed(struct netfront_rx_pkt *pkt,
					  const void *slot, u16 posted_id)
{
	struct netif_rx_response r;
	struct netfront_rx_frag *f;
	u32 idx;

	if (pkt->verdict != NETFRONT_RX_MORE)
		return pkt->verdict;
	if (pkt->nr_slots >= NETFRONT_MAX_RX_PKT_SLOTS)
		return rx_fatal(pkt, "packet longer than the ring allows");
	idx = pkt->nr_slots++;

	if (pkt->in_extras) {
		struct netif_extra_info x;

		memcpy(&x, slot, sizeof(x));
		if (rx_extra(pkt, &x) == NETFRONT_RX_FATAL)
			return NETFRONT_RX_FATAL;
	} else {
		memcpy(&r, slot, sizeof(r));
		if (r.id != posted_id)
			return rx_fatal(pkt, "response id is not its slot's request");
		if (pkt->nr_frags >= NETFRONT_MAX_RX_SLOTS)
			return rx_fatal(pkt, "more data slots than any backend may use");
		if (r.status >= 0 && r.offset + (u32)r.status > NETIF_PAGE_SIZE)
			return rx_fatal(pkt, "data cross the end of the buffer");
		if (r.flags & NETRXF_gso_prefix)
			rx_drop(pkt, "GSO prefix slot not asked for");
		f = &pkt->frags[pkt->nr_frags++];
		f->slot = idx;
		f->offset = r.offset;
		if (r.status < 0) {
			rx_drop(pkt, "backend reported an error");
			f->size = 0;
		} else {
			f->size = r.status;
			pkt->len += r.status;
		}
		pkt->more_data = r.flags & NETRXF_more_data;
		if (pkt->nr_frags == 1) {
			pkt->flags = r.flags & (NETRXF_csum_blank |
						NETRXF_data_validated);
			pkt->in_extras = r.flags & NETRXF_extra_info;
		}
	}
	if (pkt->in_extras || pkt->more_data)
		return NETFRONT_RX_MORE;
	return rx_finish(pkt);
}

/**
 * netfront_tx_rsp() - judge a transmit response
 * @rsp: a private copy of the response
 * @ids: the transmit ring's ids in flight
 * @answered: set if @rsp answers a data slot; the glue then completes
 *	@rsp->id and returns it to @ids
 *
 * A NETIF_RSP_NULL response answers an extra info slot and frees nothing.
 * Any other must name an id in flight; its status is only counted.
 *
 * Return: 0, or -EIO if the backend broke the protocol.
 */
int netfront_tx_rsp(const struct netif_tx_response *rsp,
		    const struct xenring_ids *ids, bool *answered)
{
	*answered = false;
	if (rsp->status == NETIF_RSP_NULL)
		return 0;
	if (!xenring_ids_busy(ids, rsp->id))
		return -EIO;
	*answered = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Negotiation                                                         */
/* ------------------------------------------------------------------ */

static const char *const be_keys[NETFRONT_BE_NR] = {
	[NETFRONT_BE_RX_COPY] = "feature-rx-copy",
	[NETFRONT_BE_SG] = "feature-sg",
	[NETFRONT_BE_GSO_TCPV4] = "feature-gso-tcpv4",
	[NETFRONT_BE_GSO_TCPV6] = "feature-gso-tcpv6",
	[NETFRONT_BE_IPV6_CSUM] = "feature-ipv6-csum-offload",
	[NETFRONT_BE_MAX_QUEUES] = "multi-queue-max-queues",
	[NETFRONT_BE_SPLIT] = "feature-split-event-channels",
	[NETFRONT_BE_CTRL_RING] = "feature-ctrl-ring",
	[NETFRONT_BE_MCAST] = "feature-multicast-control",
	[NETFRONT_BE_DYN_MCAST] = "feature-dynamic-multicast-control",
	[NETFRONT_BE_XDP] = "feature-xdp-headroom",
};

/**
 * netfront_be_key_name() - the xenstore name of a backend key
 * @key: an enum netfront_be_key
 *
 * Return: the name, relative to the backend's directory.
 */
const char *netfront_be_key_name(unsigned int key)
{
	return key < NETFRONT_BE_NR ? be_keys[key] : "";
}

/**
 * netfront_parse_be_key() - record one key of the backend's directory
 * @be: the keys collected so far
 * @key: the key's name
 * @val: its value, NUL-terminated, as read (once) from xenstore
 *
 * Every key is an unsigned 32-bit decimal; one that does not parse stays
 * absent.
 *
 * Return: 0, -ENOENT for a key not handled here, or the error of
 * xenbus_parse_uint().
 */
int netfront_parse_be_key(struct netfront_keys *be, const char *key,
			  const char *val)
{
	return xenbus_parse_named_uint(be_keys, NETFRONT_BE_NR, key, val,
				       U32_MAX, be->val, &be->present);
}

static bool be_on(const struct netfront_keys *be, unsigned int key)
{
	return (be->present & (1u << key)) && be->val[key];
}

/**
 * netfront_choose() - the connection to set up with this backend
 * @be: the backend's keys, read when it reached InitWait
 * @lim: what this frontend wants
 * @c: the result; only meaningful on success
 * @why: set to the reason on failure
 *
 * Every feature is used only if both ends have it; the queue count is the
 * lesser of both maximums.  Receive copy is the only receive mode this
 * frontend has, so a backend without it cannot be used.
 *
 * Return: 0, or -EINVAL with @why set.
 */
int netfront_choose(const struct netfront_keys *be,
		    const struct netfront_limits *lim,
		    struct netfront_conf *c, const char **why)
{
	u64 queues = 1;

	memset(c, 0, sizeof(*c));
	*why = NULL;
	if (!be_on(be, NETFRONT_BE_RX_COPY)) {
		*why = "the backend cannot copy received packets";
		return -EINVAL;
	}
	if (be_on(be, NETFRONT_BE_MAX_QUEUES))
		queues = be->val[NETFRONT_BE_MAX_QUEUES];
	if (queues > lim->max_queues)
		queues = lim->max_queues;
	if (queues > NETFRONT_MAX_QUEUES)
		queues = NETFRONT_MAX_QUEUES;
	c->nr_queues = queues ? queues : 1;
	c->split = be_on(be, NETFRONT_BE_SPLIT);
	c->ctrl_ring = lim->ctrl_ring && be_on(be, NETFRONT_BE_CTRL_RING);
	c->sg = be_on(be, NETFRONT_BE_SG);
	if (be_on(be, NETFRONT_BE_GSO_TCPV4))
		c->gso_types |= 1u << XEN_NETIF_GSO_TYPE_TCPV4;
	if (be_on(be, NETFRONT_BE_GSO_TCPV6))
		c->gso_types |= 1u << XEN_NETIF_GSO_TYPE_TCPV6;
	c->ipv6_csum = be_on(be, NETFRONT_BE_IPV6_CSUM);
	c->mcast = be_on(be, NETFRONT_BE_MCAST);
	c->dyn_mcast = c->mcast && be_on(be, NETFRONT_BE_DYN_MCAST);
	c->xdp = lim->xdp && be_on(be, NETFRONT_BE_XDP);
	return 0;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/**
 * netfront_parse_mac() - parse the "mac" key the toolstack wrote
 * @s: the value, NUL-terminated
 * @mac: the address; written only on success
 *
 * Exactly six two-digit hex bytes separated by colons, and a unicast
 * address that is not all zeros.
 *
 * Return: 0, or -EINVAL.
 */
int netfront_parse_mac(const char *s, u8 mac[6])
{
	u8 out[6];
	unsigned int i;
	int hi, lo;

	if (!s)
		return -EINVAL;
	for (i = 0; i < 6; i++, s += 3) {
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0 || s[2] != (i < 5 ? ':' : '\0'))
			return -EINVAL;
		out[i] = hi << 4 | lo;
	}
	if ((out[0] & 1) ||
	    !(out[0] | out[1] | out[2] | out[3] | out[4] | out[5]))
		return -EINVAL;
	memcpy(mac, out, sizeof(out));
	return 0;
}

/**
 * netfront_parse_mtu() - parse the "mtu" key the toolstack may write
 * @s: the value, NUL-terminated
 * @mtu: the MTU; written only on success
 *
 * Return: 0, -EINVAL if @s is not a number, -ERANGE outside 68..65535.
 */
int netfront_parse_mtu(const char *s, u32 *mtu)
{
	u64 v;
	int err = xenbus_parse_uint(s, 65535, &v);

	if (err)
		return err;
	if (v < 68)
		return -ERANGE;
	*mtu = v;
	return 0;
}

/**
 * netfront_ctrl_rsp() - judge a control ring response
 * @rsp: a private copy of the response
 * @id: the id of the one request outstanding
 * @type: its type
 * @value: set to the result on success: the hash types the backend
 *	computes (only those this frontend knows) for GET_HASH_FLAGS, its
 *	mapping table size (at most NETFRONT_HASH_MAPPING_MAX) for
 *	GET_HASH_MAPPING_SIZE, else 0
 *
 * Return: 0; -EPROTO if @rsp does not answer the outstanding request;
 * -EOPNOTSUPP, -EINVAL, -ENOSPC or -EIO for a request the backend
 * refused.
 */
int netfront_ctrl_rsp(const struct xen_netif_ctrl_response *rsp, u16 id,
		      u16 type, u32 *value)
{
	*value = 0;
	if (rsp->id != id || rsp->type != type)
		return -EPROTO;
	switch (rsp->status) {
	case XEN_NETIF_CTRL_STATUS_SUCCESS:
		break;
	case XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER:
		return -EINVAL;
	case XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW:
		return -ENOSPC;
	default:
		return -EIO;
	}
	if (type == XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS)
		*value = rsp->data & NETFRONT_HASH_TYPES;
	else if (type == XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE)
		*value = min_t(u32, rsp->data, NETFRONT_HASH_MAPPING_MAX);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Sending a flow on the queue its replies come in on                  */
/* ------------------------------------------------------------------ */

/* The Ethernet header: the IP version its type says. */
#define FRAME_ETH_HLEN		14
#define FRAME_ETH_P_IP		0x0800
#define FRAME_ETH_P_IPV6	0x86dd

/**
 * netfront_reply_hash_input() - what the backend hashes our replies over
 * @types: XEN_NETIF_CTRL_HASH_TYPE_* the backend hashes
 * @frame: a packet this frontend sends, from its Ethernet header on
 * @len: bytes at @frame; NETFRONT_HASH_HDR_MAX of them are enough
 * @buf: set to the hash input, at most NETFRONT_HASH_INPUT_MAX bytes
 * @type: set to the hash type's bit number
 *
 * A reply to @frame is the same flow with source and destination swapped,
 * addresses and ports alike.  The input is the one the protocol defines
 * for that reply, by the rules the backend applies to what it sends us
 * (netif_hash_input(), which our netback uses too).  Only an untagged
 * IPv4 or IPv6 frame whose Ethernet type names its IP version is hashed.
 *
 * Return: bytes written to @buf, or 0 if the backend would not hash the
 * replies.
 */
int netfront_reply_hash_input(u32 types, const u8 *frame, u32 len, u8 *buf,
			      u8 *type)
{
	const u8 *ip = frame + FRAME_ETH_HLEN;
	u32 proto, version;

	if (len <= FRAME_ETH_HLEN)
		return 0;
	proto = frame[12] << 8 | frame[13];
	if (proto == FRAME_ETH_P_IP)
		version = 4;
	else if (proto == FRAME_ETH_P_IPV6)
		version = 6;
	else
		return 0;
	if (ip[0] >> 4 != version)
		return 0;
	return netif_hash_input(types, ip, len - FRAME_ETH_HLEN, true, buf,
				type);
}

/**
 * netfront_reply_queue() - the queue the replies to a packet come in on
 * @h: how the backend steers what it sends us
 * @frame: a packet this frontend sends, from its Ethernet header on
 * @len: bytes at @frame; NETFRONT_HASH_HDR_MAX of them are enough
 * @queue: set to the queue: as the protocol defines for the mapping table
 *	(XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING), the entry at the replies'
 *	Toeplitz hash modulo the table's size
 *
 * The caller checks that the queue exists: @h->table is only as good as
 * the queue count it was set for.
 *
 * Return: true with @queue set, or false if the backend does not hash
 * the replies by @h.
 */
bool netfront_reply_queue(const struct netfront_hash *h, const u8 *frame,
			  u32 len, u32 *queue)
{
	u8 in[NETFRONT_HASH_INPUT_MAX], type;
	u32 hash;
	int n;

	if (!h->size || h->size > NETFRONT_HASH_MAPPING_MAX)
		return false;
	n = netfront_reply_hash_input(h->types, frame, len, in, &type);
	if (!n)
		return false;
	hash = netif_toeplitz(h->key, NETFRONT_HASH_KEY_LEN, in, n);
	*queue = h->table[hash % h->size];
	return true;
}
