/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The xenstore client's message rules, above the framing of xs_proto.h:
 * what the kernel's client (xenbus_xs*.c) and /dev/xen/xenbus
 * (xenbus_dev_frontend.c) accept in a reply body, the watch tokens the
 * kernel makes up, the length of a path it builds, and the shape of the
 * messages a process writes into the device.
 *
 * Layers, from the bottom:
 *
 *   framing   xs_proto.h: a header and body copied off the ring and
 *             checked for length and type.
 *   replies   xs_reply_type_check() matches a reply to its request, then
 *             xs_tx_id_parse() and xs_dir_split() take the bodies of
 *             XS_TRANSACTION_START and XS_DIRECTORY apart.
 *   watches   xs_watch_token_make() names a kernel watch in xenstore,
 *             xs_watch_token_parse() finds the name again in an event.
 *   paths     xs_path_join_len() says whether dir/node fits a path.
 *   device    xs_user_frame_*() gather a message a process writes, in
 *             pieces, into a header and a body; xs_user_classify()
 *             checks the whole message, after xs_user_check().
 *
 * Trust: reply bodies come from xenstored and a device message from any
 * process that can open the device; both are untrusted.  Every parser
 * works on a private copy of @len bytes, reads nothing past it, trusts
 * no NUL it did not find within it, and hands back pointers into the
 * body only.  Nothing here allocates, sleeps, recurses or takes a lock.
 * tools/testing/xen builds this file in userspace for unit tests and a
 * fuzzer.
 */
#ifndef _XEN_XS_CLIENT_PROTO_H
#define _XEN_XS_CLIENT_PROTO_H

#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#include <xen/interface/io/xs_wire.h>

/* A watch token the kernel makes: 16 lower-case hex digits and a NUL. */
#define XS_WATCH_TOKEN_LEN	17

/*
 * The longest token, without its NUL, that a process may give a watch
 * through /dev/xen/xenbus.  The kernel keeps a copy of it for as long as
 * the watch lasts and puts it into every event, so it is bounded.
 */
#define XS_USER_TOKEN_MAX	256

/**
 * struct xs_user_msg - what xs_user_classify() found in a device message
 * @type: the message's type, from its header
 * @tx_id: its transaction, from its header
 * @path: for XS_WATCH and XS_UNWATCH, the path (NUL-terminated, in the
 *	body); NULL for every other type
 * @token: for XS_WATCH and XS_UNWATCH, the token (NUL-terminated, in the
 *	body, after the path); NULL for every other type
 */
struct xs_user_msg {
	u32 type;
	u32 tx_id;
	const char *path;
	const char *token;
};

/**
 * struct xs_user_frame - how much of its next message a process has
 *	written into /dev/xen/xenbus
 * @hdr: the message's header, whole once @have reaches its size
 * @have: bytes of the message taken so far, the header's first
 */
struct xs_user_frame {
	struct xsd_sockmsg hdr;
	u32 have;
};

/**
 * struct xs_user_piece - the next bytes of a write() to copy
 * @body: whether they go into the body (else into the frame's header)
 * @off: where, from the start of the header or of the body
 * @len: how many, at least 1
 */
struct xs_user_piece {
	bool body;
	u32 off;
	u32 len;
};

/* xs_user_frame_took(): the header is whole, its body can be allocated. */
#define XS_USER_FRAME_HDR	1

int xs_user_frame_admit(const struct xs_user_frame *fr, size_t len);
bool xs_user_frame_next(const struct xs_user_frame *fr, size_t left,
			struct xs_user_piece *p);
int xs_user_frame_took(struct xs_user_frame *fr, u32 n);
bool xs_user_frame_whole(const struct xs_user_frame *fr);
void xs_user_frame_reset(struct xs_user_frame *fr);

int xs_tx_id_parse(const char *body, size_t len, u32 *id);
void xs_watch_token_make(char token[XS_WATCH_TOKEN_LEN], u64 id);
int xs_watch_token_parse(const char *token, u64 *id);
int xs_reply_type_check(u32 sent, u32 got);
int xs_dir_split(const char *body, size_t len, const char **names,
		 unsigned int max);
int xs_path_join_len(const char *dir, const char *node);
int xs_user_classify(const struct xsd_sockmsg *hdr, const char *body,
		     struct xs_user_msg *out);

#endif /* _XEN_XS_CLIENT_PROTO_H */
