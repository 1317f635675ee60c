/* SPDX-License-Identifier: MIT */
/*
 * The Xen network device ring protocol (netif): wire formats, constants
 * and the Toeplitz hash the control ring configures.
 *
 * Everything here is ABI shared with other operating systems and with the
 * hypervisor's tools; the authority is Xen's public io/netif.h.  Sizes and
 * offsets are checked at compile time below, and against Xen's header by
 * the host tests (tools/testing/xen/test_netif_abi.c).
 *
 * A vif has, per queue, a transmit ring (guest to backend) and a receive
 * ring (backend to guest), each one page laid out as in <xen/xenring.h>,
 * plus an optional control ring.  No field is wider than 32 bits, so the
 * layout is the same for every guest ABI.
 *
 * A packet takes several consecutive slots: its first data slot, then any
 * "extra info" slots (flagged on the first slot, chained by their MORE
 * flag), then its further data slots (chained by the more_data flag).  An
 * extra info overlays a request or response slot of the same ring.
 */
#ifndef _XEN_NETIF_H
#define _XEN_NETIF_H

/*
 * This header takes the place of <xen/interface/io/netif.h>, under the same
 * names (Xen's public ones): a file gets one or the other, never both.
 */
#ifdef __XEN_PUBLIC_IO_XEN_NETIF_H__
#error "<xen/netif.h> and <xen/interface/io/netif.h> define the same ABI: include one"
#endif

#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/string.h>

/* Data pages are always this size, whatever the guest's page size. */
#define NETIF_PAGE_SIZE			4096u

/*
 * Data slots of one packet that every backend must accept, even without
 * negotiating anything: the MAX_SKB_FRAGS of old Linux frontends.
 */
#define XEN_NETIF_NR_SLOTS_MIN		18

/* Largest "xdp-headroom" a frontend may ask for, in bytes. */
#define XEN_NETIF_MAX_XDP_HEADROOM	0x7fff

/* Largest packet a transmit request's total size can describe. */
#define XEN_NETIF_MAX_TX_SIZE		0xffff

/* Flags of a transmit request (guest to backend). */
#define NETTXF_csum_blank		0x1	/* checksum to be filled in */
#define NETTXF_data_validated		0x2	/* checksum known good */
#define NETTXF_more_data		0x4	/* another data slot follows */
#define NETTXF_extra_info		0x8	/* extra info slots follow */

/* Flags of a receive response (backend to guest). */
#define NETRXF_data_validated		0x1
#define NETRXF_csum_blank		0x2
#define NETRXF_more_data		0x4
#define NETRXF_extra_info		0x8
#define NETRXF_gso_prefix		0x10	/* old GSO prefix slot */

/* Response status; a positive receive status is the fragment's size. */
#define NETIF_RSP_DROPPED		(-2)
#define NETIF_RSP_ERROR			(-1)
#define NETIF_RSP_OKAY			0
#define NETIF_RSP_NULL			1	/* answers an extra info slot */

/* Extra info types and flags. */
#define XEN_NETIF_EXTRA_TYPE_NONE	0	/* never valid */
#define XEN_NETIF_EXTRA_TYPE_GSO	1
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD	2
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL	3
#define XEN_NETIF_EXTRA_TYPE_HASH	4
/* Xen 4.17's bound, which predates XDP; Linux's copy of netif.h has 6. */
#define XEN_NETIF_EXTRA_TYPE_MAX	5
/* Receive only: the "xdp-headroom" the data slots of the packet start at. */
#define XEN_NETIF_EXTRA_TYPE_XDP	5
#define XEN_NETIF_EXTRA_FLAG_MORE	0x1

/* GSO types of a GSO extra. */
#define XEN_NETIF_GSO_TYPE_NONE		0
#define XEN_NETIF_GSO_TYPE_TCPV4	1
#define XEN_NETIF_GSO_TYPE_TCPV6	2

/* Hash types: bit numbers (in a HASH extra) and their masks. */
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4		0
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP	1
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6		2
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP	3
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4		0x1
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP	0x2
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6		0x4
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP	0x8

/* Hash algorithms. */
#define XEN_NETIF_CTRL_HASH_ALGORITHM_NONE	0
#define XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ	1

/* Control ring request types. */
#define XEN_NETIF_CTRL_TYPE_INVALID		0
#define XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS	1
#define XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS	2
#define XEN_NETIF_CTRL_TYPE_SET_HASH_KEY	3
#define XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE 4
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE 5
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING	6
#define XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM	7
#define XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE 8
#define XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING	9
#define XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING	10

/* Control ring response status. */
#define XEN_NETIF_CTRL_STATUS_SUCCESS		0
#define XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED	1
#define XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER	2
#define XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW	3

/* Flag of a static grant entry (struct xen_netif_gref). */
#define XEN_NETIF_CTRLF_GREF_readonly		0x1

/**
 * struct netif_tx_request - one transmit slot, filled in by the guest
 * @gref: grant of the page holding this fragment
 * @offset: where the fragment starts in that page
 * @flags: NETTXF_*
 * @id: echoed in the response
 * @size: the whole packet's size in a packet's first slot, the fragment's
 *	size in the others (so the first fragment's own size is the total
 *	minus the others)
 */
struct netif_tx_request {
	u32 gref;
	u16 offset;
	u16 flags;
	u16 id;
	u16 size;
};

/**
 * struct netif_tx_response - the backend's answer to one transmit slot
 * @id: the request's id (meaningless for NETIF_RSP_NULL)
 * @status: NETIF_RSP_*
 */
struct netif_tx_response {
	u16 id;
	s16 status;
};

/**
 * struct netif_rx_request - an empty receive buffer the guest offers
 * @id: echoed in the response
 * @pad: unused
 * @gref: grant of the page the backend copies into
 */
struct netif_rx_request {
	u16 id;
	u16 pad;
	u32 gref;
};

/**
 * struct netif_rx_response - one received fragment
 * @id: the request's id
 * @offset: where the data starts in the granted page
 * @flags: NETRXF_*
 * @status: the fragment's size, or a negative NETIF_RSP_* error
 */
struct netif_rx_response {
	u16 id;
	u16 offset;
	u16 flags;
	s16 status;
};

/**
 * struct netif_extra_info - an extra info slot
 * @type: XEN_NETIF_EXTRA_TYPE_*
 * @flags: XEN_NETIF_EXTRA_FLAG_*
 * @u: by type
 * @u.gso: GSO: @size is the MSS, @type a XEN_NETIF_GSO_TYPE_*, @pad
 *	unused, @features XEN_NETIF_GSO_FEAT_* (none defined)
 * @u.mcast: MCAST_ADD and MCAST_DEL: the Ethernet address
 * @u.hash: HASH: @type the hash type's bit number, @algorithm a
 *	XEN_NETIF_CTRL_HASH_ALGORITHM_*, @value the hash, least
 *	significant byte first
 * @u.xdp: XDP: @headroom the offset the backend put each data slot at,
 *	@pad unused
 * @u.pad: the union's size
 *
 * Eight bytes, so that it fits a receive slot; in a transmit slot the
 * remaining four bytes are unused.
 */
struct netif_extra_info {
	u8 type;
	u8 flags;
	union {
		struct {
			u16 size;
			u8 type;
			u8 pad;
			u16 features;
		} gso;
		struct {
			u8 addr[6];
		} mcast;
		struct {
			u8 type;
			u8 algorithm;
			u8 value[4];
		} hash;
		struct {
			u16 headroom;
			u16 pad[2];
		} xdp;
		u16 pad[3];
	} u;
};

/**
 * struct xen_netif_ctrl_request - a control ring request
 * @id: echoed in the response
 * @type: XEN_NETIF_CTRL_TYPE_*
 * @data: arguments, by type
 */
struct xen_netif_ctrl_request {
	u16 id;
	u16 type;
	u32 data[3];
};

/**
 * struct xen_netif_ctrl_response - a control ring response
 * @id: the request's id
 * @type: the request's type
 * @status: XEN_NETIF_CTRL_STATUS_*
 * @data: the result, by type
 */
struct xen_netif_ctrl_response {
	u16 id;
	u16 type;
	u32 status;
	u32 data;
};

/**
 * struct xen_netif_gref - an entry of a static grant mapping list
 * @ref: the grant
 * @flags: XEN_NETIF_CTRLF_GREF_*
 * @status: XEN_NETIF_CTRL_STATUS_*, written by the backend
 */
struct xen_netif_gref {
	u32 ref;
	u16 flags;
	u16 status;
};

/* Slot sizes: the larger of each ring's request and response. */
#define NETIF_TX_SLOT_SIZE	sizeof(struct netif_tx_request)
#define NETIF_RX_SLOT_SIZE	sizeof(struct netif_rx_response)
#define NETIF_CTRL_SLOT_SIZE	sizeof(struct xen_netif_ctrl_request)

/* Slots of one-page rings: 256 transmit, 256 receive, 128 control. */
#define NETIF_TX_RING_SIZE	256u
#define NETIF_RX_RING_SIZE	256u
#define NETIF_CTRL_RING_SIZE	128u

static_assert(sizeof(struct netif_tx_request) == 12);
static_assert(offsetof(struct netif_tx_request, offset) == 4);
static_assert(offsetof(struct netif_tx_request, flags) == 6);
static_assert(offsetof(struct netif_tx_request, id) == 8);
static_assert(offsetof(struct netif_tx_request, size) == 10);
static_assert(sizeof(struct netif_tx_response) == 4);
static_assert(sizeof(struct netif_rx_request) == 8);
static_assert(offsetof(struct netif_rx_request, gref) == 4);
static_assert(sizeof(struct netif_rx_response) == 8);
static_assert(offsetof(struct netif_rx_response, status) == 6);
static_assert(sizeof(struct netif_extra_info) == 8);
static_assert(offsetof(struct netif_extra_info, u.gso.type) == 4);
static_assert(offsetof(struct netif_extra_info, u.gso.features) == 6);
static_assert(offsetof(struct netif_extra_info, u.hash.value) == 4);
static_assert(sizeof(struct xen_netif_ctrl_request) == 16);
static_assert(sizeof(struct xen_netif_ctrl_response) == 12);
static_assert(sizeof(struct xen_netif_gref) == 8);
static_assert(sizeof(struct netif_rx_request) <= NETIF_RX_SLOT_SIZE);
static_assert(sizeof(struct netif_tx_response) <= NETIF_TX_SLOT_SIZE);
static_assert(sizeof(struct netif_extra_info) <= NETIF_RX_SLOT_SIZE);

/* A GSO type this protocol defines. */
static inline bool netif_gso_type_known(u8 type)
{
	return type == XEN_NETIF_GSO_TYPE_TCPV4 ||
	       type == XEN_NETIF_GSO_TYPE_TCPV6;
}

/* A HASH extra of a defined hash type, made with the Toeplitz algorithm. */
static inline bool netif_extra_hash_known(const struct netif_extra_info *x)
{
	return x->u.hash.type <= _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP &&
	       x->u.hash.algorithm == XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
}

/* The value of a HASH extra: least significant byte first. */
static inline u32 netif_extra_hash(const struct netif_extra_info *x)
{
	return x->u.hash.value[0] | x->u.hash.value[1] << 8 |
	       x->u.hash.value[2] << 16 | (u32)x->u.hash.value[3] << 24;
}

/* Fill in a Toeplitz HASH extra. */
static inline void netif_extra_set_hash(struct netif_extra_info *x, u8 type,
					u32 value)
{
	x->type = XEN_NETIF_EXTRA_TYPE_HASH;
	x->u.hash.type = type;
	x->u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
	x->u.hash.value[0] = value;
	x->u.hash.value[1] = value >> 8;
	x->u.hash.value[2] = value >> 16;
	x->u.hash.value[3] = value >> 24;
}

/**
 * netif_toeplitz() - the hash XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ names
 * @key: the key the frontend set (SET_HASH_KEY)
 * @key_len: its length in bytes; the key reads as zeros beyond it
 * @buf: the hash input, laid out as the hash type defines
 * @len: its length in bytes
 *
 * Bits are numbered from the most significant bit of the first byte, in
 * @buf and in @key alike.  Each set bit n of @buf XORs into the result the
 * 32 key bits n to n + 31.  The backend steers a packet by this hash; the
 * frontend computes it too, for each packet it sends, to send a flow on
 * the queue its replies come in on.  Without a branch per input bit: the
 * bits of addresses and ports are as good as random, and mispredicted
 * branches would cost more than the XORs.
 *
 * Return: the hash.
 */
static inline u32 netif_toeplitz(const u8 *key, u32 key_len, const u8 *buf,
				 u32 len)
{
	u64 window = 0;
	u32 hash = 0, i, bit, mask;

	/* Key bytes i to i + 4: the 32-bit windows of byte i's eight bits. */
	for (i = 0; i < 4; i++)
		window = window << 8 | (i < key_len ? key[i] : 0);
	for (i = 0; i < len; i++) {
		window = window << 8 | (i + 4 < key_len ? key[i + 4] : 0);
		for (bit = 0; bit < 8; bit++) {
			/* All ones if input bit 8i + bit is set, else 0. */
			mask = -(u32)((buf[i] >> (7 - bit)) & 1);
			hash ^= (u32)(window >> (8 - bit)) & mask;
		}
	}
	return hash;
}

/* Two fields of @n bytes each, as @src then @dst, or swapped. */
static inline void netif_hash_put_pair(u8 *buf, const u8 *src, const u8 *dst,
				       u32 n, bool swap)
{
	memcpy(buf, swap ? dst : src, n);
	memcpy(buf + n, swap ? src : dst, n);
}

/**
 * netif_hash_input() - the bytes a packet is hashed over, by hash type
 * @types: XEN_NETIF_CTRL_HASH_TYPE_* enabled
 * @ip: the packet from its IP header on
 * @len: bytes at @ip
 * @swap: hash the reply instead: source and destination swapped,
 *	addresses and ports alike (a frontend choosing the queue its
 *	replies come in on)
 * @buf: set to the hash input, at least 36 bytes
 * @type: set to the hash type's bit number
 *
 * The most specific enabled type that the packet allows is used: with TCP
 * ports for a TCP packet that is not an IPv4 fragment (for IPv6: its TCP
 * header follows the fixed header) if enabled, else the addresses.
 *
 * Return: bytes written to @buf, or 0 if the packet is not hashed.
 */
static inline int netif_hash_input(u32 types, const u8 *ip, u32 len,
				   bool swap, u8 *buf, u8 *type)
{
	u32 hl;

	if (len < 1)
		return 0;
	if (ip[0] >> 4 == 4) {
		hl = (ip[0] & 0xf) * 4;
		if (hl < 20 || len < hl)
			return 0;
		netif_hash_put_pair(buf, ip + 12, ip + 16, 4, swap);
		/* TCP (6), not a fragment: no more-fragments flag or offset. */
		if ((types & XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP) && ip[9] == 6 &&
		    !((ip[6] << 8 | ip[7]) & 0x3fff) && len >= hl + 4) {
			netif_hash_put_pair(buf + 8, ip + hl, ip + hl + 2, 2,
					    swap);
			*type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
			return 12;
		}
		if (!(types & XEN_NETIF_CTRL_HASH_TYPE_IPV4))
			return 0;
		*type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4;
		return 8;
	}
	if (ip[0] >> 4 == 6) {
		if (len < 40)
			return 0;
		netif_hash_put_pair(buf, ip + 8, ip + 24, 16, swap);
		/* TCP straight after the fixed header. */
		if ((types & XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP) && ip[6] == 6 &&
		    len >= 44) {
			netif_hash_put_pair(buf + 32, ip + 40, ip + 42, 2,
					    swap);
			*type = _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
			return 36;
		}
		if (!(types & XEN_NETIF_CTRL_HASH_TYPE_IPV6))
			return 0;
		*type = _XEN_NETIF_CTRL_HASH_TYPE_IPV6;
		return 32;
	}
	return 0;
}

#endif /* _XEN_NETIF_H */
