// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The xenstore client's message rules: reply bodies, watch tokens, path
 * lengths and the shape of device messages.  Plain C (see
 * xs_client_proto.h).
 *
 * Every parser here is strict: it accepts what xenstored (or a process
 * keeping to the protocol) writes and nothing near it, so that a body
 * that is almost right is reported as wrong rather than guessed at.
 */
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/types.h>

#include "xs_client_proto.h"
#include "xs_proto.h"

/* ---- replies --------------------------------------------------------- */

/**
 * xs_tx_id_parse() - the transaction id in an XS_TRANSACTION_START reply
 * @body: the reply's body, copied off the ring
 * @len: its length
 * @id: where the id goes; set to 0 on failure
 *
 * xenstored writes the id in decimal with a NUL after it.  Accepted are
 * one or more decimal digits, then at most one NUL, and nothing else:
 * no sign, space, base prefix or second NUL.  Leading zeros are allowed,
 * as in xenbus_parse_uint().  Id 0 means "no transaction" on the wire,
 * so xenstored cannot have given it.
 *
 * Return: 0 with the id in *@id, or -EPROTO if @body is not such a
 * number or its value is 0 or over U32_MAX.
 */
int xs_tx_id_parse(const char *body, size_t len, u32 *id)
{
	u64 acc = 0;
	size_t i;

	*id = 0;
	if (len && !body[len - 1])
		len--;
	if (!len)
		return -EPROTO;
	for (i = 0; i < len; i++) {
		if (body[i] < '0' || body[i] > '9')
			return -EPROTO;
		/* acc is at most U32_MAX before this, so it cannot wrap. */
		acc = acc * 10 + (u64)(body[i] - '0');
		if (acc > U32_MAX)
			return -EPROTO;
	}
	if (!acc)
		return -EPROTO;
	*id = (u32)acc;
	return 0;
}

/**
 * xs_reply_type_check() - whether a reply answers the request it matched
 * @sent: the type of the request
 * @got: the type in the reply's header
 *
 * A reply carries its request's type, or XS_ERROR when the request
 * failed.  Anything else means that xenstored, or the matching of
 * replies to requests by req_id, went wrong.
 *
 * Return: 0 if @got is @sent or XS_ERROR, else -EPROTO.
 */
int xs_reply_type_check(u32 sent, u32 got)
{
	return (got == sent || got == XS_ERROR) ? 0 : -EPROTO;
}

/*
 * Walks the names of a directory body; with @names, stores the first
 * @max of them.  Returns the count, or -EPROTO at the first empty or
 * unterminated name.
 */
static int xs_dir_walk(const char *body, size_t len, const char **names,
		       unsigned int max)
{
	size_t at = 0, count = 0;
	const char *nul;

	while (at < len) {
		nul = memchr(body + at, '\0', len - at);
		if (!nul || nul == body + at)
			return -EPROTO;
		if (names && count < max)
			names[count] = body + at;
		count++;
		at = (size_t)(nul - body) + 1;
	}
	/* Each name takes at least two bytes, so count <= len / 2. */
	return count > S32_MAX ? -E2BIG : (int)count;
}

/**
 * xs_dir_split() - the names in an XS_DIRECTORY reply
 * @body: the reply's body, copied off the ring
 * @len: its length; 0 is an empty directory
 * @names: where the names go, as pointers into @body; may be NULL if @max
 *	is 0
 * @max: the number of entries in @names
 *
 * The body is the children's names back to back, each ending with a NUL
 * (xenstored sends an empty body, not a lone NUL, for no children).  A
 * node's name is never empty, so an empty name (a NUL at the start or
 * two NULs in a row) makes the body malformed, as does a last name that
 * has no NUL within @len.  The whole body is checked before anything is
 * stored, so a malformed body is reported as such even when it also has
 * too many names, and @names is written only on success.
 *
 * Return: the number of names, each in @names[0 .. count - 1] and
 * NUL-terminated within @body; -EPROTO if @body is malformed; -E2BIG if
 * it holds more than @max names (or more than S32_MAX, which no reply
 * comes near).
 */
int xs_dir_split(const char *body, size_t len, const char **names,
		 unsigned int max)
{
	int count = xs_dir_walk(body, len, NULL, 0);

	if (count < 0)
		return count;
	if ((unsigned int)count > max)
		return -E2BIG;
	return xs_dir_walk(body, len, names, max);
}

/* ---- watches --------------------------------------------------------- */

static const char xs_hex_digits[] = "0123456789abcdef";

/* The value of a lower-case hex digit, or -1 for any other byte. */
static int xs_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/**
 * xs_watch_token_make() - the token under which a watch is registered
 * @token: where the token goes, XS_WATCH_TOKEN_LEN bytes
 * @id: the watch's id
 *
 * The token is @id in lower-case hex, always 16 digits (zero-padded),
 * and a NUL.  Its form is fixed so that xs_watch_token_parse() can
 * insist on it when an event comes back.
 */
void xs_watch_token_make(char token[XS_WATCH_TOKEN_LEN], u64 id)
{
	int i;

	for (i = XS_WATCH_TOKEN_LEN - 2; i >= 0; i--) {
		token[i] = xs_hex_digits[id & 0xf];
		id >>= 4;
	}
	token[XS_WATCH_TOKEN_LEN - 1] = '\0';
}

/**
 * xs_watch_token_parse() - the watch id in a watch event's token
 * @token: the token, NUL-terminated (as xs_event_split() gives it)
 * @id: where the id goes; set to 0 on failure
 *
 * Only a token xs_watch_token_make() could have made is accepted:
 * exactly 16 lower-case hex digits, then the NUL.  The bytes are read in
 * order and reading stops at the first one that does not fit, so
 * nothing past @token's NUL is read.
 *
 * Return: 0 with the id in *@id, or -EINVAL.
 */
int xs_watch_token_parse(const char *token, u64 *id)
{
	u64 acc = 0;
	int i, digit;

	*id = 0;
	for (i = 0; i < XS_WATCH_TOKEN_LEN - 1; i++) {
		digit = xs_hex_value(token[i]);
		if (digit < 0)
			return -EINVAL;
		acc = (acc << 4) | (u64)digit;
	}
	if (token[XS_WATCH_TOKEN_LEN - 1])
		return -EINVAL;
	*id = acc;
	return 0;
}

/* ---- paths ----------------------------------------------------------- */

/**
 * xs_path_join_len() - the length of a path built from a directory
 * @dir: the directory, NUL-terminated
 * @node: a node under it, NUL-terminated; "" for @dir itself
 *
 * The path is "@dir/@node", or @dir alone when @node is empty.  Neither
 * string is read further than one byte past XENSTORE_ABS_PATH_MAX, so a
 * caller may ask before allocating the path.
 *
 * Return: the path's length without its NUL, at most
 * XENSTORE_ABS_PATH_MAX; -E2BIG if it would be longer.
 */
int xs_path_join_len(const char *dir, const char *node)
{
	size_t dir_len = strnlen(dir, XENSTORE_ABS_PATH_MAX + 1);
	size_t node_len = strnlen(node, XENSTORE_ABS_PATH_MAX + 1);
	size_t len = dir_len;

	if (node_len)
		len += 1 + node_len;
	return len > XENSTORE_ABS_PATH_MAX ? -E2BIG : (int)len;
}

/* ---- /dev/xen/xenbus ------------------------------------------------- */

/*
 * The path and token of an XS_WATCH or XS_UNWATCH body: a non-empty
 * path, and a token (possibly empty, as it always could be) of at most
 * XS_USER_TOKEN_MAX bytes, each with its NUL within @len.  Bytes after
 * the token's NUL are ignored, as in xs_user_check().
 */
static int xs_user_watch_split(const char *body, size_t len,
			       struct xs_user_msg *out)
{
	const char *path_end, *token, *token_end;
	size_t rest;

	path_end = len ? memchr(body, '\0', len) : NULL;
	if (!path_end || path_end == body)
		return -EINVAL;
	token = path_end + 1;
	rest = len - (size_t)(token - body);
	if (rest > XS_USER_TOKEN_MAX + 1)
		rest = XS_USER_TOKEN_MAX + 1;
	token_end = rest ? memchr(token, '\0', rest) : NULL;
	if (!token_end)
		return -EINVAL;
	out->path = body;
	out->token = token;
	return 0;
}

/*
 * Gathering a message.  A process may write a message in any number of
 * write() calls, cut anywhere.  For each write() the device asks
 * xs_user_frame_admit() first, then, while xs_user_frame_next() names a
 * piece, copies that piece from the process and reports what it got with
 * xs_user_frame_took().  Bytes of the write() after a whole message are
 * not asked for: they are dropped.  The frame only counts; where the
 * body lives and how it is copied is the device's.
 */

/**
 * xs_user_frame_admit() - whether a write() of @len bytes may go on
 * @fr: the message so far
 * @len: the write()'s length
 *
 * The old driver's rule: the bytes of one message, this write()'s
 * included, must fit XENSTORE_PAYLOAD_MAX, counted before a byte is
 * taken (bytes after a whole message count too).
 *
 * Return: 0, or -EINVAL: the write() fails and the message is dropped
 * (xs_user_frame_reset()).
 */
int xs_user_frame_admit(const struct xs_user_frame *fr, size_t len)
{
	if (fr->have > XENSTORE_PAYLOAD_MAX ||
	    len > XENSTORE_PAYLOAD_MAX - fr->have)
		return -EINVAL;
	return 0;
}

/**
 * xs_user_frame_next() - the next piece of a write() to copy
 * @fr: the message so far
 * @left: bytes of the write() not taken yet
 * @p: the piece; written only when this returns true
 *
 * The header comes first, then, once xs_user_frame_took() has accepted
 * it, the body: never more than the message still needs, nor more than
 * @left.
 *
 * Return: true with the piece in *@p; false when nothing is left or the
 * message is whole.
 */
bool xs_user_frame_next(const struct xs_user_frame *fr, size_t left,
			struct xs_user_piece *p)
{
	const u32 hdr_size = sizeof(fr->hdr);
	u32 need;

	if (!left || xs_user_frame_whole(fr))
		return false;
	if (fr->have < hdr_size) {
		p->body = false;
		p->off = fr->have;
		need = hdr_size - fr->have;
	} else {
		p->body = true;
		p->off = fr->have - hdr_size;
		need = fr->hdr.len - p->off;
	}
	p->len = left < need ? (u32)left : need;
	return true;
}

/**
 * xs_user_frame_took() - count the bytes of a piece that were copied
 * @fr: the message so far
 * @n: how many bytes of the piece xs_user_frame_next() named arrived,
 *	from its start; at most its length (fewer when the copy faulted)
 *
 * Return: 0; XS_USER_FRAME_HDR when these bytes completed the header and
 * its body may be allocated (@fr->hdr.len bytes); -E2BIG when they
 * completed a header announcing a body over XS_USER_BODY_MAX, which is
 * refused before any of it comes: the write() fails and the message is
 * dropped.
 */
int xs_user_frame_took(struct xs_user_frame *fr, u32 n)
{
	const u32 hdr_size = sizeof(fr->hdr);
	u32 before = fr->have;

	fr->have += n;
	if (before >= hdr_size || fr->have < hdr_size)
		return 0;
	return fr->hdr.len > XS_USER_BODY_MAX ? -E2BIG : XS_USER_FRAME_HDR;
}

/**
 * xs_user_frame_whole() - whether the message has all its bytes
 * @fr: the message so far
 *
 * Return: true once the header and all @fr->hdr.len bytes of body came.
 */
bool xs_user_frame_whole(const struct xs_user_frame *fr)
{
	return fr->have >= sizeof(fr->hdr) &&
	       fr->have - sizeof(fr->hdr) == fr->hdr.len;
}

/**
 * xs_user_frame_reset() - start the next message afresh
 * @fr: the frame
 *
 * After a whole message was taken, or one was dropped.
 */
void xs_user_frame_reset(struct xs_user_frame *fr)
{
	fr->have = 0;
}

/**
 * xs_user_classify() - check a device message and find its parts
 * @hdr: the message's header, in the device's private buffer
 * @body: its @hdr->len bytes of body, in the same buffer (may be NULL
 *	when @hdr->len is 0)
 * @out: what was found; always written
 *
 * First the rules of xs_user_check(), with its results.  Then, for
 * XS_WATCH and XS_UNWATCH, the body must hold a non-empty path and a
 * token of at most XS_USER_TOKEN_MAX bytes, which may be empty, each
 * NUL-terminated within @hdr->len; bytes after the token's NUL are
 * ignored.  An XS_TRANSACTION_END body is exactly "T\0" or "F\0", which
 * xs_user_check() has made sure of.  Every other type goes on as it is.
 *
 * @out->type and @out->tx_id are copied from @hdr.  @out->path and
 * @out->token point into @body for an XS_WATCH or XS_UNWATCH that is
 * accepted, and are NULL otherwise.
 *
 * Return: 0 if the message goes on; -E2BIG if its body is over
 * XS_USER_BODY_MAX (the write() fails); -EINVAL if it breaks a rule
 * above (the process reads an XS_ERROR "EINVAL" reply).
 */
int xs_user_classify(const struct xsd_sockmsg *hdr, const char *body,
		     struct xs_user_msg *out)
{
	u32 type = hdr->type;
	u32 len = hdr->len;
	int err;

	out->type = type;
	out->tx_id = hdr->tx_id;
	out->path = NULL;
	out->token = NULL;

	err = xs_user_check(hdr, body);
	if (err)
		return err;
	switch (type) {
	case XS_WATCH:
	case XS_UNWATCH:
		return xs_user_watch_split(body, len, out);
	default:
		return 0;
	}
}
