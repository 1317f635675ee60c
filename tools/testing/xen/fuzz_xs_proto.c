// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore protocol core against a xenstored that writes anything
 * into the page, and against any body a reply or a process may carry.
 *
 * Input: one byte choosing the mode.
 *
 * Even: the rings.  The four indexes (u32 each, req_cons, req_prod,
 * rsp_cons, rsp_prod) and a byte to fill both rings with, then steps,
 * one byte naming each and the bytes it needs:
 *   0 put n (u16) bytes      1 get up to n (u16) bytes
 *   2 req_cons = u32         3 rsp_prod = u32
 *   4 req_cons += u8         5 xenstored sends n (u8) bytes
 *   6 req_prod = u32         7 rsp_cons = u32
 * Each put and get is checked against the page as it was before the
 * call: -EIO exactly when the indexes cannot be true, otherwise exactly
 * min(len, room) bytes moved, to or from the right place, never more
 * than asked, nothing else on the page changed, and the caller's buffer
 * written only as far as the count returned.
 *
 * Odd: the parsers.  type (u32), len (u32), then the body: the rest of
 * the input, in a heap block of exactly its size.  Every parser runs on
 * it and each result is compared with a model written as a plain scan.
 */
#include <errno.h>
#include <stdint.h>
#include <linux/kernel.h>
#include "drivers/xen/xenbus/xs_proto.h"
#include "fuzz.h"

#define RING		XENSTORE_RING_SIZE
#define MAX_COPY	1500
#define CANARY		0xa5

/* ---- rings ------------------------------------------------------------ */

static void check_put(struct xenstore_domain_interface *pg, struct fuzz_in *in)
{
	struct xenstore_domain_interface before = *pg;
	size_t len = fz_u16(in) % (MAX_COPY + 1), i;
	u32 used = before.req_prod - before.req_cons;
	u8 *data = malloc(len ? len : 1);
	size_t want;
	int n;

	FZ_ASSERT(data);
	fz_bytes(in, data, len);
	n = xs_ring_put(pg, data, len);
	/* The reply ring and xenstored's index are never written. */
	FZ_ASSERT(!memcmp(pg->rsp, before.rsp, RING));
	FZ_ASSERT(pg->rsp_cons == before.rsp_cons && pg->rsp_prod == before.rsp_prod);
	FZ_ASSERT(pg->req_cons == before.req_cons);
	if (used > RING) {
		FZ_ASSERT(n == -EIO);
		FZ_ASSERT(!memcmp(pg, &before, sizeof(before)));
		free(data);
		return;
	}
	want = len < RING - used ? len : RING - used;
	FZ_ASSERT(n >= 0 && (size_t)n == want && (size_t)n <= len);
	FZ_ASSERT(pg->req_prod == before.req_prod + (u32)n);
	for (i = 0; i < RING; i++) {
		u32 at = MASK_XENSTORE_IDX(before.req_prod + (u32)i);

		if (i < (size_t)n)
			FZ_ASSERT((u8)pg->req[at] == data[i]);
		else
			FZ_ASSERT(pg->req[at] == before.req[at]);
	}
	free(data);
}

static void check_get(struct xenstore_domain_interface *pg, struct fuzz_in *in)
{
	struct xenstore_domain_interface before = *pg;
	size_t len = fz_u16(in) % (MAX_COPY + 1), i;
	u32 avail = before.rsp_prod - before.rsp_cons;
	/* One byte more than asked for, to see that it is left alone. */
	u8 *buf = malloc(len + 1);
	size_t want;
	int n;

	FZ_ASSERT(buf);
	memset(buf, CANARY, len + 1);
	n = xs_ring_get(pg, buf, len);
	/* The rings' bytes and the request side are never written. */
	FZ_ASSERT(!memcmp(pg->rsp, before.rsp, RING));
	FZ_ASSERT(!memcmp(pg->req, before.req, RING));
	FZ_ASSERT(pg->req_cons == before.req_cons && pg->req_prod == before.req_prod);
	FZ_ASSERT(pg->rsp_prod == before.rsp_prod);
	if (avail > RING) {
		FZ_ASSERT(n == -EIO);
		FZ_ASSERT(pg->rsp_cons == before.rsp_cons);
		for (i = 0; i <= len; i++)
			FZ_ASSERT(buf[i] == CANARY);
		free(buf);
		return;
	}
	want = len < avail ? len : avail;
	FZ_ASSERT(n >= 0 && (size_t)n == want && (size_t)n <= len);
	FZ_ASSERT(pg->rsp_cons == before.rsp_cons + (u32)n);
	for (i = 0; i < (size_t)n; i++)
		FZ_ASSERT(buf[i] == (u8)before.rsp[MASK_XENSTORE_IDX(before.rsp_cons + (u32)i)]);
	for (; i <= len; i++)
		FZ_ASSERT(buf[i] == CANARY);
	free(buf);
}

static void check_predicates(const struct xenstore_domain_interface *pg)
{
	FZ_ASSERT(xs_ring_can_put(pg) == (pg->req_prod - pg->req_cons != RING));
	FZ_ASSERT(xs_ring_has_data(pg) == (pg->rsp_prod != pg->rsp_cons));
	FZ_ASSERT(xs_ring_req_pending(pg) == pg->req_prod - pg->req_cons);
	/* Waiting is never for ever: "no" means the call would do nothing. */
	if (!xs_ring_can_put(pg))
		FZ_ASSERT(pg->req_prod - pg->req_cons == RING);
	if (!xs_ring_has_data(pg))
		FZ_ASSERT(pg->rsp_prod == pg->rsp_cons);
}

static void fuzz_rings(struct fuzz_in *in)
{
	struct xenstore_domain_interface *pg = malloc(sizeof(*pg));
	unsigned int steps = 0;
	u32 k;

	FZ_ASSERT(pg);
	memset(pg, 0, sizeof(*pg));
	pg->req_cons = fz_u32(in);
	pg->req_prod = fz_u32(in);
	pg->rsp_cons = fz_u32(in);
	pg->rsp_prod = fz_u32(in);
	memset(pg->req, fz_u8(in), RING);
	memset(pg->rsp, pg->req[0] ^ 0x5a, RING);
	while (in->left && steps++ < 256) {
		check_predicates(pg);
		switch (fz_u8(in) & 7) {
		case 0:
			check_put(pg, in);
			break;
		case 1:
			check_get(pg, in);
			break;
		case 2:
			pg->req_cons = fz_u32(in);
			break;
		case 3:
			pg->rsp_prod = fz_u32(in);
			break;
		case 4:
			pg->req_cons += fz_u8(in);
			break;
		case 5:
			for (k = fz_u8(in); k; k--)
				pg->rsp[MASK_XENSTORE_IDX(pg->rsp_prod++)] = fz_u8(in);
			break;
		case 6:
			pg->req_prod = fz_u32(in);
			break;
		default:
			pg->rsp_cons = fz_u32(in);
			break;
		}
	}
	check_predicates(pg);
	free(pg);
}

/* ---- parsers ---------------------------------------------------------- */

/* The first NUL in B[0..LEN), or LEN if none. */
static size_t scan_nul(const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len && b[i]; i++)
		;
	return i;
}

static void check_errno(const char *b, size_t len)
{
	int r = xs_reply_errno(b, len);
	size_t i, n = len;
	int want = -EINVAL;

	if (n && !b[n - 1])
		n--;
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (strlen(xsd_errors[i].errstring) == n &&
		    !memcmp(b, xsd_errors[i].errstring, n))
			want = -xsd_errors[i].errnum;
	FZ_ASSERT(r == want);
	/* Whatever came back has a name that reads back as itself. */
	FZ_ASSERT(xs_reply_errno(xs_errno_name(r), strlen(xs_errno_name(r)) + 1) == r);
}

static void check_event(const char *b, size_t len)
{
	const char *path = (const char *)1, *token = (const char *)1;
	int r = xs_event_split(b, len, &path, &token);
	size_t p = scan_nul(b, len), t;

	if (p == len || scan_nul(b + p + 1, len - p - 1) == len - p - 1) {
		FZ_ASSERT(r == -EBADMSG && !path && !token);
		return;
	}
	t = scan_nul(b + p + 1, len - p - 1);
	FZ_ASSERT(r == 0);
	FZ_ASSERT(path == b && token == b + p + 1);
	/* Both strings end inside the body. */
	FZ_ASSERT(token + t < b + len && !token[t]);
}

static void check_strings(const char *b, size_t len)
{
	int r = xs_strings_count(b, len);
	size_t i;
	int n = 0;

	if (len && b[len - 1]) {
		FZ_ASSERT(r == -EBADMSG);
		return;
	}
	for (i = 0; i < len; i++)
		n += !b[i];
	FZ_ASSERT(r == n && (size_t)r <= len);
}

static void check_hdr(u32 type, u32 len)
{
	struct xsd_sockmsg h = { .type = type, .len = len };
	int r = xs_hdr_check(&h);

	if (len > XENSTORE_PAYLOAD_MAX)
		FZ_ASSERT(r == -E2BIG);
	else if (type >= XS_TYPE_COUNT || type == 20)
		FZ_ASSERT(r == -EBADMSG);
	else
		FZ_ASSERT(r == 0);
}

static void check_user(u32 type, const char *b, size_t len)
{
	struct xsd_sockmsg h = { .type = type, .len = len };
	int r = xs_user_check(&h, b);
	size_t p;

	if (len > XS_USER_BODY_MAX) {
		FZ_ASSERT(r == -E2BIG);
		return;
	}
	switch (type) {
	case XS_WATCH:
	case XS_UNWATCH:
		p = scan_nul(b, len);
		FZ_ASSERT(r == ((p < len && scan_nul(b + p + 1, len - p - 1) < len - p - 1) ?
				0 : -EINVAL));
		break;
	case XS_TRANSACTION_END:
		FZ_ASSERT(r == ((len == 2 && (!memcmp(b, "T", 2) || !memcmp(b, "F", 2))) ?
				0 : -EINVAL));
		break;
	case XS_READ:
	case XS_DIRECTORY:
	case XS_GET_PERMS:
	case XS_MKDIR:
	case XS_RM:
		/* One path: its NUL is the first and the last byte of len. */
		FZ_ASSERT(r == (len && scan_nul(b, len) == len - 1 ? 0 : -EINVAL));
		break;
	case XS_DIRECTORY_PART:
	case XS_WRITE:
	case XS_SET_PERMS:
		/* The path first, NUL-terminated within len. */
		FZ_ASSERT(r == (scan_nul(b, len) < len ? 0 : -EINVAL));
		break;
	default:
		FZ_ASSERT(r == 0);
	}
}

static void fuzz_parsers(struct fuzz_in *in)
{
	u32 type = fz_u32(in);
	u32 hlen = fz_u32(in);
	size_t len = in->left;
	char *b = malloc(len ? len : 1);

	FZ_ASSERT(b);
	fz_bytes(in, b, len);
	check_hdr(type, hlen);
	check_errno(b, len);
	check_event(b, len);
	check_strings(b, len);
	/* Small types are the interesting ones; keep the rest possible. */
	check_user(type < 0x100 ? type % 32 : type, b, len);
	/*
	 * The header's own length, on a body that long (zero past the input;
	 * cut at 8192 bytes, which only an over-long message has).
	 */
	{
		size_t cap = hlen < 8192 ? hlen : 8192;
		char *hb = calloc(max_t(size_t, max(cap, len), 1), 1);

		FZ_ASSERT(hb);
		memcpy(hb, b, len);
		check_user(XS_WATCH + (type & 1) * (XS_TRANSACTION_END - XS_WATCH), hb, hlen);
		free(hb);
	}
	check_errno(b, len < 8 ? len : 8);
	FZ_ASSERT(xs_errno_name((int)type));
	free(b);
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { .p = data, .left = size };

	if (!size)
		return 0;
	if (fz_u8(&in) & 1)
		fuzz_parsers(&in);
	else
		fuzz_rings(&in);
	return 0;
}
