/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The xenstore client's protocol core: the two byte rings of the
 * xenstore page, the framing of the messages that travel on them, and
 * the rules for the messages a process writes into /dev/xen/xenbus.
 *
 * Layers, from the bottom:
 *
 *   ring      xs_ring_put(), xs_ring_get() and the wait predicates copy
 *             bytes in and out of struct xenstore_domain_interface, and
 *             xs_ring_req_pending() and xs_ring_rsp_drop() check and
 *             clear a ring taken over; they know nothing of messages.
 *   framing   xs_hdr_check() on a header taken off the ring, then the
 *             body parsers: xs_reply_errno(), xs_event_split(),
 *             xs_strings_count().
 *   device    xs_user_check() on a message a process wrote, before it is
 *             handled by the kernel or forwarded to xenstored.
 *
 * Trust: xenstored (or whoever maps the page) may write anything into
 * the page at any time.  The ring helpers read each index once, check
 * the distance between producer and consumer, and never touch memory
 * outside the two rings.  The parsers only ever see private copies (a
 * header and body already copied off the ring, or a process's message
 * already copied from userspace) and never trust a NUL terminator they
 * did not find within the length they were given.
 *
 * Plain C with no locking and no sleeping: the caller serialises all
 * writers of the request ring and all readers of the reply ring (one
 * lock each is enough), and notifies xenstored's event channel after any
 * call that moved an index.  tools/testing/xen builds this file in
 * userspace for unit tests and a fuzzer.
 */
#ifndef _XEN_XS_PROTO_H
#define _XEN_XS_PROTO_H

#include <linux/types.h>
#include <xen/interface/io/xs_wire.h>

/*
 * The longest body a process may write into /dev/xen/xenbus: the header
 * and the body together must fit XENSTORE_PAYLOAD_MAX bytes, which is
 * 16 bytes less than xenstored itself accepts.  A longer one fails the
 * write() with -E2BIG.
 */
#define XS_USER_BODY_MAX \
	(XENSTORE_PAYLOAD_MAX - (u32)sizeof(struct xsd_sockmsg))

int xs_ring_put(struct xenstore_domain_interface *intf, const void *buf,
		size_t len);
int xs_ring_get(struct xenstore_domain_interface *intf, void *buf,
		size_t len);
bool xs_ring_can_put(const struct xenstore_domain_interface *intf);
bool xs_ring_has_data(const struct xenstore_domain_interface *intf);
u32 xs_ring_req_pending(const struct xenstore_domain_interface *intf);
u32 xs_ring_rsp_drop(struct xenstore_domain_interface *intf);

int xs_hdr_check(const struct xsd_sockmsg *hdr);
int xs_reply_errno(const char *body, size_t len);
const char *xs_errno_name(int err);
int xs_event_split(const char *body, size_t len, const char **path,
		   const char **token);
int xs_strings_count(const char *body, size_t len);

int xs_user_check(const struct xsd_sockmsg *hdr, const char *body);

#endif /* _XEN_XS_PROTO_H */
