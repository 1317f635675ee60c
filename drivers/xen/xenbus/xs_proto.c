// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The xenstore page's byte rings, message framing, and the checks on
 * what a process writes into /dev/xen/xenbus.  Plain C (see xs_proto.h).
 *
 * Memory ordering on the page.  Each ring has one producer index and one
 * consumer index; each side writes one of them and only reads the other.
 * Four orderings make the byte copies safe against a peer running on
 * another CPU, and each of ours pairs with the mirror-image one that
 * xenstored performs on the same ring:
 *
 *   A  producer: ring bytes written, then *_prod advanced  (virt_wmb)
 *   B  consumer: *_prod read, then ring bytes read          (virt_rmb)
 *   C  consumer: ring bytes read, then *_cons advanced      (virt_mb)
 *   D  producer: *_cons read, then ring bytes written       (virt_mb)
 *
 * A pairs with B: whoever sees a producer index also sees the bytes it
 * covers.  C pairs with D: no one overwrites bytes the consumer may still
 * be reading.  C and D are full barriers because they order loads
 * against later stores, which a write or read barrier does not.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <asm/barrier.h>

#include "xs_proto.h"

/* ---- ring ------------------------------------------------------------ */

/*
 * How many bytes lie between a consumer and a producer index; more than
 * XENSTORE_RING_SIZE means the indexes cannot both be true.  The indexes
 * run freely, so unsigned subtraction is right across 2^32 too.
 */
static u32 xs_ring_fill(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod)
{
	return prod - cons;
}

/* Copies @n bytes into @ring at free-running position @pos, wrapping. */
static void xs_ring_copy_in(char *ring, XENSTORE_RING_IDX pos,
			    const u8 *src, size_t n)
{
	u32 at = MASK_XENSTORE_IDX(pos);
	size_t head = min_t(size_t, n, XENSTORE_RING_SIZE - at);

	memcpy(ring + at, src, head);
	memcpy(ring, src + head, n - head);
}

/* Copies @n bytes out of @ring from free-running position @pos. */
static void xs_ring_copy_out(u8 *dst, const char *ring,
			     XENSTORE_RING_IDX pos, size_t n)
{
	u32 at = MASK_XENSTORE_IDX(pos);
	size_t head = min_t(size_t, n, XENSTORE_RING_SIZE - at);

	memcpy(dst, ring + at, head);
	memcpy(dst + head, ring, n - head);
}

/**
 * xs_ring_put() - queue bytes for xenstored on the request ring
 * @intf: the xenstore page
 * @buf: the bytes
 * @len: how many; any number, only what fits is taken
 *
 * req_cons (xenstored's) and req_prod (ours, but on a page xenstored can
 * write) are each read once.  A message need not go in whole: the caller
 * puts the rest once xs_ring_can_put() says there is room again.
 *
 * Return: the number of bytes queued, 0 if the ring is full (or @len is
 * 0), or -EIO if req_prod is not within XENSTORE_RING_SIZE ahead of
 * req_cons; the page is then left untouched, and the connection is to be
 * treated as broken.
 */
int xs_ring_put(struct xenstore_domain_interface *intf, const void *buf,
		size_t len)
{
	XENSTORE_RING_IDX cons = READ_ONCE(intf->req_cons);
	XENSTORE_RING_IDX prod = READ_ONCE(intf->req_prod);
	u32 used = xs_ring_fill(cons, prod);
	size_t n;

	if (used > XENSTORE_RING_SIZE)
		return -EIO;
	n = min_t(size_t, len, XENSTORE_RING_SIZE - used);
	if (!n)
		return 0;
	/*
	 * D: req_cons was read before we write the space it freed, so we
	 * never overwrite bytes xenstored has not finished reading; pairs
	 * with xenstored's barrier between reading the bytes and advancing
	 * req_cons.
	 */
	virt_mb();
	xs_ring_copy_in(intf->req, prod, buf, n);
	/*
	 * A: the bytes are in the ring before req_prod covers them; pairs
	 * with xenstored's read barrier between reading req_prod and the
	 * bytes.
	 */
	virt_wmb();
	WRITE_ONCE(intf->req_prod, prod + (u32)n);
	return n;
}

/**
 * xs_ring_get() - take bytes xenstored sent on the reply ring
 * @intf: the xenstore page
 * @buf: where to copy them
 * @len: at most this many
 *
 * rsp_prod (xenstored's) and rsp_cons (ours, on a page xenstored can
 * write) are each read once.  The bytes are copied into @buf before
 * anything looks at them, so a message is parsed from private memory.
 *
 * Return: the number of bytes taken, 0 if none are waiting (or @len is
 * 0), or -EIO if rsp_prod is not within XENSTORE_RING_SIZE ahead of
 * rsp_cons; the page is then left untouched, and the connection is to be
 * treated as broken.
 */
int xs_ring_get(struct xenstore_domain_interface *intf, void *buf,
		size_t len)
{
	XENSTORE_RING_IDX prod = READ_ONCE(intf->rsp_prod);
	XENSTORE_RING_IDX cons = READ_ONCE(intf->rsp_cons);
	u32 avail = xs_ring_fill(cons, prod);
	size_t n;

	if (avail > XENSTORE_RING_SIZE)
		return -EIO;
	n = min_t(size_t, len, avail);
	if (!n)
		return 0;
	/*
	 * B: rsp_prod was read before the bytes it covers; pairs with
	 * xenstored's write barrier between writing them and advancing
	 * rsp_prod.
	 */
	virt_rmb();
	xs_ring_copy_out(buf, intf->rsp, cons, n);
	/*
	 * C: our reads of the bytes are done before rsp_cons lets xenstored
	 * reuse their space; pairs with xenstored's barrier between reading
	 * rsp_cons and writing into the ring.
	 */
	virt_mb();
	WRITE_ONCE(intf->rsp_cons, cons + (u32)n);
	return n;
}

/**
 * xs_ring_can_put() - whether xs_ring_put() would do something now
 * @intf: the xenstore page
 *
 * For a wait condition.  Indexes that cannot be true count as room, so
 * that the waiter goes on to xs_ring_put() and gets its -EIO instead of
 * waiting for ever.
 *
 * Return: false only if the request ring is exactly full.
 */
bool xs_ring_can_put(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX cons = READ_ONCE(intf->req_cons);
	XENSTORE_RING_IDX prod = READ_ONCE(intf->req_prod);

	return xs_ring_fill(cons, prod) != XENSTORE_RING_SIZE;
}

/**
 * xs_ring_has_data() - whether xs_ring_get() would do something now
 * @intf: the xenstore page
 *
 * For a wait condition.  Indexes that cannot be true count as data, for
 * the reason given at xs_ring_can_put().
 *
 * Return: false only if the reply ring is empty.
 */
bool xs_ring_has_data(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX prod = READ_ONCE(intf->rsp_prod);
	XENSTORE_RING_IDX cons = READ_ONCE(intf->rsp_cons);

	return xs_ring_fill(cons, prod) != 0;
}

/**
 * xs_ring_req_pending() - how many request bytes xenstored has not taken
 * @intf: the xenstore page
 *
 * For the check when a connection is (re)established: bytes still on the
 * request ring then were written by an earlier kernel, or before a
 * suspend.  Each index is read once; nothing is written.
 *
 * Return: req_prod - req_cons; more than XENSTORE_RING_SIZE if the
 * indexes cannot be true.
 */
u32 xs_ring_req_pending(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX cons = READ_ONCE(intf->req_cons);
	XENSTORE_RING_IDX prod = READ_ONCE(intf->req_prod);

	return xs_ring_fill(cons, prod);
}

/**
 * xs_ring_rsp_drop() - throw away everything on the reply ring
 * @intf: the xenstore page
 *
 * For a connection this kernel takes up: replies already on the ring
 * answer requests it never sent (an earlier kernel's, or ones from
 * before a suspend), and their ids would be matched against new requests.
 * rsp_prod and rsp_cons are each read once, and rsp_cons is set to
 * rsp_prod, which also makes indexes that could not be true consistent
 * again.  No ring byte is read, so there is nothing for a barrier to
 * order.
 *
 * Return: the number of bytes dropped, rsp_prod - rsp_cons as found;
 * more than XENSTORE_RING_SIZE if the indexes could not be true.
 */
u32 xs_ring_rsp_drop(struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX prod = READ_ONCE(intf->rsp_prod);
	XENSTORE_RING_IDX cons = READ_ONCE(intf->rsp_cons);

	WRITE_ONCE(intf->rsp_cons, prod);
	return xs_ring_fill(cons, prod);
}

/* ---- framing --------------------------------------------------------- */

/* Type 20 was XS_RESTRICT; it was withdrawn and has no name any more. */
#define XS_TYPE_WITHDRAWN	(XS_SET_TARGET + 1)

static bool xs_type_defined(u32 type)
{
	return type < XS_TYPE_COUNT && type != XS_TYPE_WITHDRAWN;
}

/**
 * xs_hdr_check() - whether a header read off the reply ring can be true
 * @hdr: the header, copied off the ring
 *
 * A reply or watch event carries one of the protocol's types (XS_ERROR
 * and XS_WATCH_EVENT included) and at most XENSTORE_PAYLOAD_MAX bytes of
 * body.  Either failure means the stream can no longer be framed: the
 * connection is broken.
 *
 * Return: 0; -E2BIG if @hdr->len is over XENSTORE_PAYLOAD_MAX (checked
 * first); -EBADMSG if @hdr->type is not a type the protocol defines.
 */
int xs_hdr_check(const struct xsd_sockmsg *hdr)
{
	u32 type = hdr->type;
	u32 len = hdr->len;

	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	if (!xs_type_defined(type))
		return -EBADMSG;
	return 0;
}

/**
 * xs_reply_errno() - the errno an XS_ERROR reply names
 * @body: the reply's body
 * @len: its length
 *
 * The body is one of the names in xsd_errors[], with or without its NUL.
 * Only an exact name counts: "ENOENT" and "ENOENT\0" do, while "ENOEN",
 * "ENOENTX" and "ENOENT\0X" do not.  The protocol says a name it does
 * not list means EINVAL, and so does any body that is not a name.
 *
 * Return: the negative errno; -EINVAL for anything unknown.
 */
int xs_reply_errno(const char *body, size_t len)
{
	size_t i, n;

	if (len && !body[len - 1])
		len--;
	if (!len)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++) {
		n = strlen(xsd_errors[i].errstring);
		if (n == len && !memcmp(body, xsd_errors[i].errstring, n))
			return -xsd_errors[i].errnum;
	}
	return -EINVAL;
}

/**
 * xs_errno_name() - the name an XS_ERROR body gives an errno
 * @err: a negative errno, as the kernel's own calls return it
 *
 * For replies the kernel makes up itself, as /dev/xen/xenbus does.  The
 * body is the name and its NUL.
 *
 * Return: the name in xsd_errors[], or "EINVAL" for an errno the
 * protocol has no name for (which xs_reply_errno() reads back as
 * -EINVAL all the same).
 */
const char *xs_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (err == -xsd_errors[i].errnum)
			return xsd_errors[i].errstring;
	return "EINVAL";
}

/*
 * The first two strings of @body, each NUL-terminated within @len; NULL
 * in *@second if there are not two.
 */
static void xs_two_strings(const char *body, size_t len, const char **second)
{
	const char *nul = len ? memchr(body, '\0', len) : NULL;
	size_t rest;

	*second = NULL;
	if (!nul)
		return;
	rest = len - (size_t)(nul + 1 - body);
	if (rest && memchr(nul + 1, '\0', rest))
		*second = nul + 1;
}

/**
 * xs_event_split() - the path and token of an XS_WATCH_EVENT body
 * @body: the body, copied off the ring
 * @len: its length
 * @path: set to the path, which starts @body
 * @token: set to the token, which follows the path's NUL
 *
 * xenstored sends exactly "path\0token\0".  Anything after the token's
 * NUL is ignored here, so that the event still parses should the
 * protocol ever append to it; the path and the token themselves must
 * each end with a NUL within @len.  Either string may be empty.
 *
 * Return: 0 with @path and @token pointing into @body, or -EBADMSG with
 * both set to NULL.
 */
int xs_event_split(const char *body, size_t len, const char **path,
		   const char **token)
{
	const char *second;

	xs_two_strings(body, len, &second);
	if (!second) {
		*path = NULL;
		*token = NULL;
		return -EBADMSG;
	}
	*path = body;
	*token = second;
	return 0;
}

/**
 * xs_strings_count() - how many strings a list reply holds
 * @body: the body of an XS_DIRECTORY (or similar) reply
 * @len: its length
 *
 * The body is a run of NUL-terminated strings, each possibly empty; an
 * empty body is an empty list.
 *
 * Return: the number of strings; -EBADMSG if @len is not 0 and the last
 * byte is not a NUL; -E2BIG if @len is over S32_MAX, which no reply
 * comes near.
 */
int xs_strings_count(const char *body, size_t len)
{
	size_t i;
	int n = 0;

	if (!len)
		return 0;
	if (len > S32_MAX)
		return -E2BIG;
	if (body[len - 1])
		return -EBADMSG;
	for (i = 0; i < len; i++)
		n += !body[i];
	return n;
}

/* ---- /dev/xen/xenbus ------------------------------------------------- */

/**
 * xs_user_check() - the checks on a message a process wrote to the device
 * @hdr: the message's header, in the device's private buffer
 * @body: its @hdr->len bytes of body, in the same buffer (may be NULL
 *	when @hdr->len is 0)
 *
 * These are the stateless rules of /dev/xen/xenbus, and their results
 * reach the process in one of two ways, as they always have:
 *
 * - -E2BIG: a body over XS_USER_BODY_MAX.  The write() fails with it and
 *   the buffered message is dropped.  The device should apply this check
 *   as soon as the header is in, before waiting for the body.
 * - -EINVAL: an XS_WATCH or XS_UNWATCH whose body is not "path\0token\0"
 *   (two NUL-terminated strings within the length; more bytes after may
 *   follow and are ignored), an XS_TRANSACTION_END whose body is not
 *   exactly "T\0" or "F\0", a message whose body is one path
 *   (XS_READ, XS_DIRECTORY, XS_GET_PERMS, XS_MKDIR, XS_RM) but not
 *   exactly "path\0" (one NUL, the last byte), or one whose body starts
 *   with a path (XS_DIRECTORY_PART, XS_WRITE, XS_SET_PERMS) with no NUL
 *   within the length.  The write() succeeds, and the process reads an
 *   XS_ERROR reply "EINVAL" (see xs_errno_name()) with its own req_id and
 *   tx_id.  xenstored answers these with the same error, except that Xen
 *   4.17's C xenstored dies of a one-path body of any other shape: the
 *   kernel does not pass them on.
 *
 * Every type may be written, whether the protocol defines it or not:
 * XS_WATCH and XS_UNWATCH are handled by the kernel, and every other
 * message goes to xenstored, which answers what it does not accept.
 * The device's own rule on tx_id (an XS_ERROR "ENOENT" reply for a
 * transaction this file did not start, on every type but XS_WATCH,
 * XS_UNWATCH and XS_TRANSACTION_START) needs its state and is not made
 * here; it comes before the XS_TRANSACTION_END check above, so the
 * device applies it before calling this.
 *
 * Return: 0 if the message goes on, or -E2BIG or -EINVAL as above.
 */
int xs_user_check(const struct xsd_sockmsg *hdr, const char *body)
{
	u32 type = hdr->type;
	u32 len = hdr->len;
	const char *second;

	if (len > XS_USER_BODY_MAX)
		return -E2BIG;
	switch (type) {
	case XS_WATCH:
	case XS_UNWATCH:
		xs_two_strings(body, len, &second);
		return second ? 0 : -EINVAL;
	case XS_TRANSACTION_END:
		if (len == 2 && (body[0] == 'T' || body[0] == 'F') && !body[1])
			return 0;
		return -EINVAL;
	case XS_READ:
	case XS_DIRECTORY:
	case XS_GET_PERMS:
	case XS_MKDIR:
	case XS_RM:
		return len && memchr(body, '\0', len) == body + len - 1 ?
		       0 : -EINVAL;
	case XS_DIRECTORY_PART:
	case XS_WRITE:
	case XS_SET_PERMS:
		return len && memchr(body, '\0', len) ? 0 : -EINVAL;
	default:
		return 0;
	}
}
