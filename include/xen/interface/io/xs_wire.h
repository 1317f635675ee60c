/* SPDX-License-Identifier: MIT */
/*
 * The xenstore wire protocol: the message header, the message types and
 * the error names a reply may carry, and the shared page through which a
 * domain talks to xenstored.
 *
 * Every number here is fixed by Xen's public io/xs_wire.h (4.17), which
 * tools/testing/xen/test_xs_abi compares this file against.
 */
#ifndef __XEN_INTERFACE_IO_XS_WIRE_H__
#define __XEN_INTERFACE_IO_XS_WIRE_H__

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>

/*
 * The type of a message.  A request and its reply carry the same type,
 * except for a failed request, whose reply is XS_ERROR with the error's
 * name as payload.  XS_WATCH_EVENT messages arrive unasked.  Value 20
 * (XS_RESTRICT) was withdrawn and is never sent.
 */
enum xsd_sockmsg_type {
	XS_CONTROL		= 0,
	XS_DIRECTORY		= 1,
	XS_READ			= 2,
	XS_GET_PERMS		= 3,
	XS_WATCH		= 4,
	XS_UNWATCH		= 5,
	XS_TRANSACTION_START	= 6,
	XS_TRANSACTION_END	= 7,
	XS_INTRODUCE		= 8,
	XS_RELEASE		= 9,
	XS_GET_DOMAIN_PATH	= 10,
	XS_WRITE		= 11,
	XS_MKDIR		= 12,
	XS_RM			= 13,
	XS_SET_PERMS		= 14,
	XS_WATCH_EVENT		= 15,
	XS_ERROR		= 16,
	XS_IS_DOMAIN_INTRODUCED	= 17,
	XS_RESUME		= 18,
	XS_SET_TARGET		= 19,
	XS_RESET_WATCHES	= 21,
	XS_DIRECTORY_PART	= 22,
	/* One past the highest type in use. */
	XS_TYPE_COUNT		= 23,
	/* A type no message will ever have. */
	XS_INVALID		= 0xffff,
};

/* The old name of XS_CONTROL. */
#define XS_DEBUG		XS_CONTROL

/* Modes of the historical write request; kept for their names only. */
#define XS_WRITE_NONE		"NONE"
#define XS_WRITE_CREATE		"CREATE"
#define XS_WRITE_CREATE_EXCL	"CREATE|EXCL"

/* An error xenstored may name in an XS_ERROR reply, and its errno. */
struct xsd_errors {
	int errnum;
	const char *errstring;
};

#define XSD_ERROR(e)		{ e, #e }

/*
 * The names xenstored uses, in the protocol's order (new ones are only
 * ever appended).  A name not listed is to be treated as EINVAL.
 */
static const struct xsd_errors xsd_errors[] __maybe_unused = {
	XSD_ERROR(EINVAL),
	XSD_ERROR(EACCES),
	XSD_ERROR(EEXIST),
	XSD_ERROR(EISDIR),
	XSD_ERROR(ENOENT),
	XSD_ERROR(ENOMEM),
	XSD_ERROR(ENOSPC),
	XSD_ERROR(EIO),
	XSD_ERROR(ENOTEMPTY),
	XSD_ERROR(ENOSYS),
	XSD_ERROR(EROFS),
	XSD_ERROR(EBUSY),
	XSD_ERROR(EAGAIN),
	XSD_ERROR(EISCONN),
	XSD_ERROR(E2BIG),
	XSD_ERROR(EPERM),
};

/*
 * The header in front of every message, in either direction, followed by
 * len bytes of payload: mostly NUL-terminated strings.  req_id is the
 * requester's and comes back unchanged in the reply; tx_id names the
 * transaction, 0 for none.
 */
struct xsd_sockmsg {
	u32 type;
	u32 req_id;
	u32 tx_id;
	u32 len;
};

/* The strings of a watch event's payload, by position. */
enum xs_watch_type {
	XS_WATCH_PATH		= 0,
	XS_WATCH_TOKEN		= 1,
};

/*
 * The shared page.  Each direction is a byte ring of XENSTORE_RING_SIZE
 * bytes with free-running indexes: the writer advances *_prod, the reader
 * *_cons, and an index masked with MASK_XENSTORE_IDX() is the offset in
 * the ring.  req carries our requests to xenstored, rsp its replies and
 * watch events.
 */
#define XENSTORE_RING_SIZE	1024
#define XENSTORE_RING_IDX	u32
#define MASK_XENSTORE_IDX(idx)	((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];
	char rsp[XENSTORE_RING_SIZE];
	XENSTORE_RING_IDX req_cons, req_prod;
	XENSTORE_RING_IDX rsp_cons, rsp_prod;
	/* XENSTORE_SERVER_FEATURE_* bits that xenstored offers. */
	u32 server_features;
	/* XENSTORE_CONNECTED or XENSTORE_RECONNECT. */
	u32 connection;
	/* XENSTORE_ERROR_*: why xenstored gave up on the ring. */
	u32 error;
};

/* The most payload one message may carry. */
#define XENSTORE_PAYLOAD_MAX	4096

/* The longest path, absolute and relative to the domain's home. */
#define XENSTORE_ABS_PATH_MAX	3072
#define XENSTORE_REL_PATH_MAX	2048

/* server_features: the connection field works (a reset of the rings). */
#define XENSTORE_SERVER_FEATURE_RECONNECTION	1
/* server_features: the error field is written. */
#define XENSTORE_SERVER_FEATURE_ERROR		2

/* connection: in use; a reset asked for by the domain. */
#define XENSTORE_CONNECTED	0
#define XENSTORE_RECONNECT	1

/* error: none; broken communication; an index out of range; a message too long. */
#define XENSTORE_ERROR_NONE	0
#define XENSTORE_ERROR_COMM	1
#define XENSTORE_ERROR_RINGIDX	2
#define XENSTORE_ERROR_PROTO	3

#endif /* __XEN_INTERFACE_IO_XS_WIRE_H__ */
