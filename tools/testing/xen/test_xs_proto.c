// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/xen/xenbus/xs_proto.c: the xenstore page's rings
 * with a xenstored that keeps the rules and one that does not, the
 * framing of replies and watch events, and the rules for messages a
 * process writes into /dev/xen/xenbus.
 *
 * Bodies are handed to the parsers in heap blocks of exactly their
 * length, so that ASan catches a read past the end.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/xen/xenbus/xs_proto.h"
#include "tap.h"

#define RING	XENSTORE_RING_SIZE

static struct xenstore_domain_interface page;

/* A fresh page: both request indexes at REQ, both reply indexes at RSP. */
static void fresh(XENSTORE_RING_IDX req, XENSTORE_RING_IDX rsp)
{
	memset(&page, 0, sizeof(page));
	page.req_cons = req;
	page.req_prod = req;
	page.rsp_cons = rsp;
	page.rsp_prod = rsp;
}

/* xenstored sends N bytes of S: into rsp, then rsp_prod moves. */
static void store_send(const void *s, size_t n)
{
	const char *c = s;
	size_t i;

	for (i = 0; i < n; i++)
		page.rsp[MASK_XENSTORE_IDX(page.rsp_prod + (u32)i)] = c[i];
	page.rsp_prod += n;
}

/* The byte of the request ring at free-running position POS. */
static char req_at(XENSTORE_RING_IDX pos)
{
	return page.req[MASK_XENSTORE_IDX(pos)];
}

static void test_put(void)
{
	char big[2000], *exact;
	int i;

	fresh(0, 0);
	ok_eq(xs_ring_put(&page, "hello", 5), 5, "put: 5 bytes on an empty ring");
	ok(page.req_prod == 5 && !memcmp(page.req, "hello", 5),
	   "put: the bytes and req_prod on the page");
	ok_eq(page.req_cons, 0, "put: req_cons is xenstored's, not touched");
	ok(page.rsp_prod == 0 && page.rsp_cons == 0 && !page.rsp[0],
	   "put: the reply ring not touched");
	ok_eq(xs_ring_put(&page, "x", 0), 0, "put: nothing asked, nothing put");
	ok_eq(page.req_prod, 5, "put: req_prod unchanged by an empty put");

	fresh(1022, 0);
	ok_eq(xs_ring_put(&page, "abcde", 5), 5, "put: across the ring's end");
	ok(page.req[1022] == 'a' && page.req[1023] == 'b' && !memcmp(page.req, "cde", 3),
	   "put: the wrapped bytes start the ring again");
	ok_eq(page.req_prod, 1027, "put: req_prod past the ring's end");

	fresh(0xfffffffe, 0);
	ok_eq(xs_ring_put(&page, "abcde", 5), 5, "put: across 2^32");
	ok_eq(page.req_prod, 3, "put: req_prod wrapped to 3");
	ok(req_at(0xfffffffe) == 'a' && req_at(0xffffffff) == 'b' && req_at(0) == 'c' &&
	   req_at(2) == 'e', "put: the bytes at the masked positions across 2^32");

	fresh(7, 0);
	memset(big, 'q', sizeof(big));
	ok_eq(xs_ring_put(&page, big, sizeof(big)), RING, "put: a ring's worth of 2000 fits");
	ok_eq(page.req_prod, 7 + RING, "put: req_prod a ring ahead");
	ok_eq(xs_ring_put(&page, big, 1), 0, "put: a full ring takes nothing");
	ok_eq(page.req_prod, 7 + RING, "put: req_prod unchanged when full");
	page.req_cons += 3;
	big[0] = 'X';
	big[1] = 'Y';
	big[2] = 'Z';
	ok_eq(xs_ring_put(&page, big, 5), 3, "put: only the 3 bytes xenstored freed");
	ok(req_at(7 + RING) == 'X' && req_at(9 + RING) == 'Z',
	   "put: the partial copy went where the consumer was");

	fresh(0, 0);
	page.req_prod = 1000;
	exact = dup_n("0123456789012345678901234567890123456789", 40);
	ok_eq(xs_ring_put(&page, exact, 40), 24, "put: 24 of 40 into 24 bytes of room");
	ok(!memcmp(page.req + 1000, exact, 24), "put: the first 24 bytes copied");
	free(exact);

	/* A message larger than the ring goes through as xenstored reads. */
	fresh(0xfffffc00, 0);
	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i * 7 + 1);
	{
		size_t done = 0, seen = 0;
		bool same = true;
		int n;

		while (done < sizeof(big)) {
			n = xs_ring_put(&page, big + done, sizeof(big) - done);
			if (n <= 0)
				break;
			done += n;
			/* xenstored reads 333 bytes at a time. */
			while (page.req_cons != page.req_prod) {
				u32 k = min_t(u32, 333, page.req_prod - page.req_cons);

				while (k--) {
					same &= req_at(page.req_cons) == big[seen++];
					page.req_cons++;
				}
			}
		}
		ok(done == sizeof(big) && seen == sizeof(big) && same,
		   "put: 2000 bytes stream in order across 2^32");
	}
}

static void test_put_hostile(void)
{
	char before[RING];

	fresh(100, 0);
	page.req_cons = 101;
	memcpy(before, page.req, RING);
	ok_eq(xs_ring_put(&page, "a", 1), -EIO, "put: req_cons ahead of req_prod");
	ok(page.req_prod == 100 && page.req_cons == 101 && !memcmp(before, page.req, RING),
	   "put: nothing on the page touched on -EIO");

	fresh(0, 0);
	page.req_prod = RING + 1;
	ok_eq(xs_ring_put(&page, "a", 1), -EIO, "put: req_prod 1025 ahead");
	page.req_prod = RING;
	ok_eq(xs_ring_put(&page, "a", 1), 0, "put: req_prod 1024 ahead is full, not broken");
	page.req_prod = 0x80000000;
	ok_eq(xs_ring_put(&page, "a", 1), -EIO, "put: req_prod 2^31 ahead");
	ok_eq(xs_ring_put(&page, "a", 0), -EIO, "put: indexes checked even for 0 bytes");

	fresh(0, 0);
	page.req_cons = 0xfffffff0;
	page.req_prod = 0x10;
	ok_eq(xs_ring_put(&page, "abc", 3), 3, "put: 32 used across 2^32 is consistent");
	page.req_cons = 0x10;
	page.req_prod = 0xfffffff0;
	ok_eq(xs_ring_put(&page, "abc", 3), -EIO, "put: req_prod behind req_cons across 2^32");
}

static void test_get(void)
{
	char buf[2000], *exact;
	int i;

	fresh(0, 0);
	store_send("reply", 5);
	memset(buf, '.', sizeof(buf));
	ok_eq(xs_ring_get(&page, buf, 16), 5, "get: the 5 bytes waiting");
	ok(!memcmp(buf, "reply", 5) && buf[5] == '.', "get: the bytes, and no more written");
	ok_eq(page.rsp_cons, 5, "get: rsp_cons advanced");
	ok_eq(page.rsp_prod, 5, "get: rsp_prod is xenstored's, not touched");
	ok(page.req_prod == 0 && page.req_cons == 0, "get: the request ring not touched");
	ok_eq(xs_ring_get(&page, buf, 16), 0, "get: an empty ring gives nothing");

	store_send("abcde", 5);
	ok_eq(xs_ring_get(&page, buf, 0), 0, "get: nothing asked, nothing taken");
	ok_eq(page.rsp_cons, 5, "get: rsp_cons unchanged by an empty get");
	exact = dup_n("..", 2);
	ok_eq(xs_ring_get(&page, exact, 2), 2, "get: 2 of 5 into a 2-byte buffer");
	ok(!memcmp(exact, "ab", 2), "get: the first 2 bytes");
	free(exact);
	ok_eq(xs_ring_get(&page, buf, 100), 3, "get: the remaining 3");
	ok(!memcmp(buf, "cde", 3), "get: the partial reads join up");

	fresh(0, 1020);
	store_send("0123456789", 10);
	ok_eq(xs_ring_get(&page, buf, 100), 10, "get: across the ring's end");
	ok(!memcmp(buf, "0123456789", 10), "get: the wrapped bytes in order");

	fresh(0, 0xfffffffc);
	store_send("ABCDEFGH", 8);
	ok_eq(xs_ring_get(&page, buf, 100), 8, "get: across 2^32");
	ok(!memcmp(buf, "ABCDEFGH", 8) && page.rsp_cons == 4,
	   "get: the bytes in order and rsp_cons wrapped to 4");

	fresh(0, 0);
	for (i = 0; i < RING; i++)
		buf[i] = (char)i;
	store_send(buf, RING);
	memset(buf, 0, sizeof(buf));
	ok_eq(xs_ring_get(&page, buf, sizeof(buf)), RING, "get: a full ring gives 1024");
	ok(buf[1] == 1 && buf[RING - 1] == (char)(RING - 1) && !buf[RING],
	   "get: all of a full ring and nothing past it");
}

static void test_get_hostile(void)
{
	char buf[8];

	fresh(0, 50);
	page.rsp_prod = 49;
	memset(buf, '.', sizeof(buf));
	ok_eq(xs_ring_get(&page, buf, 8), -EIO, "get: rsp_prod behind rsp_cons");
	ok(page.rsp_cons == 50 && buf[0] == '.', "get: nothing taken or moved on -EIO");
	page.rsp_prod = 50 + RING + 1;
	ok_eq(xs_ring_get(&page, buf, 8), -EIO, "get: rsp_prod 1025 ahead");
	page.rsp_prod = 50 + RING;
	ok_eq(xs_ring_get(&page, buf, 8), 8, "get: rsp_prod exactly 1024 ahead is a full ring");
	page.rsp_cons = 0xfffffff8;
	page.rsp_prod = 0x7ffffff8;
	ok_eq(xs_ring_get(&page, buf, 8), -EIO, "get: rsp_prod 2^31 ahead");
	page.rsp_cons = 8;
	page.rsp_prod = 0xfffffff8;
	ok_eq(xs_ring_get(&page, buf, 0), -EIO, "get: indexes checked even for 0 bytes");
}

static void test_predicates(void)
{
	fresh(0, 0);
	ok(xs_ring_can_put(&page), "can_put: an empty ring has room");
	ok(!xs_ring_has_data(&page), "has_data: an empty ring has none");
	page.req_prod = RING;
	ok(!xs_ring_can_put(&page), "can_put: a full ring has none");
	page.req_cons = 1;
	ok(xs_ring_can_put(&page), "can_put: one byte freed is room");
	page.req_cons = 0xffffffff;
	page.req_prod = RING - 1;
	ok(!xs_ring_can_put(&page), "can_put: full across 2^32");
	page.req_prod = RING + 5;
	ok(xs_ring_can_put(&page), "can_put: broken indexes count as room");
	page.req_cons = 10;
	page.req_prod = 9;
	ok(xs_ring_can_put(&page), "can_put: req_prod behind req_cons counts as room");

	store_send("x", 1);
	ok(xs_ring_has_data(&page), "has_data: one byte waiting");
	page.rsp_cons = 5;
	page.rsp_prod = 3;
	ok(xs_ring_has_data(&page), "has_data: rsp_prod behind rsp_cons counts as data");
	page.rsp_cons = 0xffffffff;
	page.rsp_prod = 0xffffffff;
	ok(!xs_ring_has_data(&page), "has_data: equal indexes at the top are empty");
}

static void test_takeover(void)
{
	char buf[8];

	fresh(0, 0);
	ok_eq(xs_ring_req_pending(&page), 0, "req_pending: an empty ring");
	ok_eq(xs_ring_put(&page, "abc", 3), 3, "req_pending: 3 bytes put");
	ok_eq(xs_ring_req_pending(&page), 3, "req_pending: the 3 bytes");
	page.req_cons = 0xfffffffe;
	page.req_prod = 0x2;
	ok_eq(xs_ring_req_pending(&page), 4, "req_pending: across 2^32");
	page.req_cons = 5;
	page.req_prod = 4;
	ok(xs_ring_req_pending(&page) > RING,
	   "req_pending: req_prod behind req_cons is more than a ring");
	ok(page.req_cons == 5 && page.req_prod == 4,
	   "req_pending: the indexes not touched");

	fresh(7, 100);
	store_send("stale", 5);
	ok_eq(xs_ring_rsp_drop(&page), 5, "rsp_drop: the 5 bytes waiting");
	ok(page.rsp_cons == 105 && page.rsp_prod == 105,
	   "rsp_drop: rsp_cons moved up to rsp_prod");
	ok(page.req_cons == 7 && page.req_prod == 7,
	   "rsp_drop: the request ring not touched");
	ok(!xs_ring_has_data(&page), "rsp_drop: nothing left to read");
	ok_eq(xs_ring_rsp_drop(&page), 0, "rsp_drop: an empty ring drops 0");
	store_send("new", 3);
	ok_eq(xs_ring_get(&page, buf, sizeof(buf)), 3, "rsp_drop: later bytes read");
	ok(!memcmp(buf, "new", 3), "rsp_drop: and they are the new ones");

	fresh(0, 50);
	page.rsp_prod = 49;
	ok(xs_ring_rsp_drop(&page) > RING,
	   "rsp_drop: rsp_prod behind rsp_cons is more than a ring");
	ok(page.rsp_cons == 49 && !xs_ring_has_data(&page),
	   "rsp_drop: impossible indexes made consistent");
	ok_eq(xs_ring_get(&page, buf, sizeof(buf)), 0,
	      "rsp_drop: the ring works again, empty");
}

static void test_hdr(void)
{
	struct xsd_sockmsg h = { 0 };
	u32 t;

	for (t = 0; t < XS_TYPE_COUNT; t++) {
		h.type = t;
		h.len = 0;
		ok_eq(xs_hdr_check(&h), t == 20 ? -EBADMSG : 0, "hdr: type %u", t);
	}
	h.type = XS_TYPE_COUNT;
	ok_eq(xs_hdr_check(&h), -EBADMSG, "hdr: XS_TYPE_COUNT is no type");
	h.type = XS_INVALID;
	ok_eq(xs_hdr_check(&h), -EBADMSG, "hdr: XS_INVALID");
	h.type = 0xffffffff;
	ok_eq(xs_hdr_check(&h), -EBADMSG, "hdr: type 0xffffffff");

	h.type = XS_READ;
	h.len = XENSTORE_PAYLOAD_MAX;
	ok_eq(xs_hdr_check(&h), 0, "hdr: a body of 4096");
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	ok_eq(xs_hdr_check(&h), -E2BIG, "hdr: a body of 4097");
	h.len = 0xffffffff;
	ok_eq(xs_hdr_check(&h), -E2BIG, "hdr: a body of 2^32 - 1");
	h.type = 20;
	ok_eq(xs_hdr_check(&h), -E2BIG, "hdr: length checked before type");
	h.type = XS_WATCH_EVENT;
	h.len = 10;
	ok_eq(xs_hdr_check(&h), 0, "hdr: a watch event");
	h.type = XS_ERROR;
	ok_eq(xs_hdr_check(&h), 0, "hdr: an error reply");
}

static void test_errors(void)
{
	static const struct {
		const char *body;
		size_t len;
	} unknown[] = {
		{ "", 0 },
		{ "\0", 1 },
		{ "EFOO", 4 },
		{ "EFOO\0", 5 },
		{ "ENOEN", 5 },
		{ "ENOENTX", 7 },
		{ "ENOENT\0X", 8 },
		{ "ENOENT\0\0", 8 },
		{ "enoent", 6 },
		{ " ENOENT", 7 },
		{ "EAC", 3 },
		{ "EINVAL\n", 7 },
	};
	char *b;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++) {
		const char *name = xsd_errors[i].errstring;

		n = strlen(name);
		b = dup_n(name, n);
		ok_eq(xs_reply_errno(b, n), -xsd_errors[i].errnum, "errno: %s", name);
		free(b);
		b = dup_n(name, n + 1);
		ok_eq(xs_reply_errno(b, n + 1), -xsd_errors[i].errnum, "errno: %s\\0", name);
		free(b);
		ok(!strcmp(xs_errno_name(-xsd_errors[i].errnum), name),
		   "errno name: -%s is %s", name, name);
	}
	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		b = dup_n(unknown[i].body, unknown[i].len);
		ok_eq(xs_reply_errno(b, unknown[i].len), -EINVAL,
		      "errno: unknown body %zu is EINVAL", i);
		free(b);
	}
	/* The name ends at len, whatever lies past it. */
	ok_eq(xs_reply_errno("EPERMISSIVE", 5), -EPERM, "errno: only len bytes count");
	ok_eq(xs_reply_errno("EIO", 2), -EINVAL, "errno: a name cut short");
	ok(!strcmp(xs_errno_name(-ENOTTY), "EINVAL"), "errno name: ENOTTY has none: EINVAL");
	ok(!strcmp(xs_errno_name(0), "EINVAL"), "errno name: 0 has none");
	ok(!strcmp(xs_errno_name(INT_MIN), "EINVAL"), "errno name: INT_MIN has none");
	ok(!strcmp(xs_errno_name(EPERM), "EINVAL"), "errno name: a positive errno has none");
}

static void test_event(void)
{
	static const struct {
		const char *body;
		size_t len;
		int ret;
		size_t path_len;	/* token starts at path_len + 1 */
		const char *token;
	} cases[] = {
		{ "device/vif/0/state\0tok\0", 23, 0, 18, "tok" },
		{ "\0\0", 2, 0, 0, "" },
		{ "p\0t\0extra\0", 10, 0, 1, "t" },
		{ "p\0t\0xyz", 7, 0, 1, "t" },
		{ "p\0\0", 3, 0, 1, "" },
		{ "a/b\0", 4, -EBADMSG, 0, NULL },	/* the token missing */
		{ "a/b\0tok", 7, -EBADMSG, 0, NULL },	/* the token unterminated */
		{ "a/b", 3, -EBADMSG, 0, NULL },	/* no NUL at all */
		{ "p\0t\0", 3, -EBADMSG, 0, NULL },	/* its NUL past len */
		{ "\0", 1, -EBADMSG, 0, NULL },
		{ "", 0, -EBADMSG, 0, NULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *path = "x", *token = "x";
		char *b = dup_n(cases[i].body, cases[i].len);
		int r = xs_event_split(b, cases[i].len, &path, &token);

		ok_eq(r, cases[i].ret, "event %zu: token \"%s\"", i, cases[i].token ?: "(none)");
		if (cases[i].ret)
			ok(!path && !token, "event %zu: both NULL when refused", i);
		else
			ok(path == b && token == b + cases[i].path_len + 1 &&
			   !strcmp(token, cases[i].token),
			   "event %zu: path and token in place", i);
		free(b);
	}
}

static void test_strings(void)
{
	static const struct {
		const char *body;
		size_t len;
		int ret;
	} cases[] = {
		{ "", 0, 0 },
		{ "\0", 1, 1 },
		{ "vbd\0vif\0console\0", 16, 3 },
		{ "a\0\0b\0", 5, 3 },
		{ "a\0b", 3, -EBADMSG },
		{ "abc", 3, -EBADMSG },
		{ "abc\0d", 4, 1 },		/* only len bytes count */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *b = dup_n(cases[i].body, cases[i].len);

		ok_eq(xs_strings_count(b, cases[i].len), cases[i].ret, "strings %zu", i);
		free(b);
	}
	ok_eq(xs_strings_count("", (size_t)S32_MAX + 1), -E2BIG,
	      "strings: an impossible length");
}

static int user(u32 type, const char *body, u32 len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = 7, .tx_id = 0, .len = len };
	char *b = dup_n(body, len);
	int r = xs_user_check(&h, b);

	free(b);
	return r;
}

static void test_user(void)
{
	static const u32 forwarded[] = {
		XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS,
		XS_TRANSACTION_START, XS_INTRODUCE, XS_RELEASE,
		XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS,
		XS_WATCH_EVENT, XS_ERROR, XS_IS_DOMAIN_INTRODUCED, XS_RESUME,
		XS_SET_TARGET, 20, XS_RESET_WATCHES, XS_DIRECTORY_PART,
		XS_TYPE_COUNT, 99, XS_INVALID, 0xffffffff,
	};
	static char huge[XS_USER_BODY_MAX];
	struct xsd_sockmsg h = { .type = XS_WRITE };
	size_t i;

	ok_eq(XS_USER_BODY_MAX, 4080, "user: 4080 bytes of body at most");
	for (i = 0; i < ARRAY_SIZE(forwarded); i++)
		ok_eq(user(forwarded[i], "x\0", 2), 0, "user: type %u goes on", forwarded[i]);
	ok_eq(user(XS_TRANSACTION_START, "", 0), 0, "user: an empty transaction start");

	/* A body that starts with a path must hold its NUL ... */
	{
		static const u32 pathed[] = {
			XS_READ, XS_DIRECTORY, XS_DIRECTORY_PART, XS_GET_PERMS,
			XS_MKDIR, XS_RM, XS_WRITE, XS_SET_PERMS,
		};

		for (i = 0; i < ARRAY_SIZE(pathed); i++) {
			ok_eq(user(pathed[i], "/a/b", 4), -EINVAL,
			      "user: type %u with its path unterminated", pathed[i]);
			ok_eq(user(pathed[i], "", 0), -EINVAL,
			      "user: type %u with an empty body", pathed[i]);
			ok_eq(user(pathed[i], "/a/b\0", 4), -EINVAL,
			      "user: type %u with its NUL past len", pathed[i]);
			ok_eq(user(pathed[i], "\0", 1), 0,
			      "user: type %u with an empty path goes on", pathed[i]);
			ok_eq(user(pathed[i], "/a/b\0", 5), 0,
			      "user: type %u with one path goes on", pathed[i]);
		}
	}
	/* ... and a body that is one path, nothing after its NUL. */
	{
		static const u32 one[] = {
			XS_READ, XS_DIRECTORY, XS_GET_PERMS, XS_MKDIR, XS_RM,
		};

		for (i = 0; i < ARRAY_SIZE(one); i++) {
			ok_eq(user(one[i], "/a\0x", 4), -EINVAL,
			      "user: type %u with a byte after the path", one[i]);
			ok_eq(user(one[i], "/a\0x\0", 5), -EINVAL,
			      "user: type %u with two strings", one[i]);
			ok_eq(user(one[i], "/a\0\0", 4), -EINVAL,
			      "user: type %u with two NULs", one[i]);
		}
	}
	ok_eq(user(XS_WRITE, "/a\0value", 8), 0, "user: a write's value needs no NUL");
	ok_eq(user(XS_WRITE, "/a\0v\0w", 6), 0, "user: a write's value may hold NULs");
	{
		static const char part[] = { '/', 'a', 0, '0', 0 };

		ok_eq(user(XS_DIRECTORY_PART, part, sizeof(part)), 0,
		      "user: directory_part path and offset");
	}
	ok_eq(user(XS_SET_PERMS, "/a\0n0", 6), 0, "user: set_perms as xenstored reads it");
	ok_eq(user(XS_GET_DOMAIN_PATH, "1", 1), 0, "user: a domid without NUL goes on");
	ok_eq(user(XS_CONTROL, "", 0), 0, "user: an empty control goes on");

	ok_eq(user(XS_WATCH, "p\0t\0", 4), 0, "user: watch p t");
	ok_eq(user(XS_UNWATCH, "p\0t\0", 4), 0, "user: unwatch p t");
	ok_eq(user(XS_WATCH, "\0\0", 2), 0, "user: watch with both strings empty");
	ok_eq(user(XS_WATCH, "p\0t\0more", 8), 0, "user: watch with bytes after the token");
	ok_eq(user(XS_WATCH, "p\0t", 3), -EINVAL, "user: watch with the token unterminated");
	ok_eq(user(XS_WATCH, "p\0", 2), -EINVAL, "user: watch without a token");
	ok_eq(user(XS_UNWATCH, "p", 1), -EINVAL, "user: unwatch with no NUL");
	ok_eq(user(XS_WATCH, "", 0), -EINVAL, "user: watch with an empty body");
	ok_eq(user(XS_UNWATCH, "p\0t\0", 3), -EINVAL, "user: unwatch with its NUL past len");

	ok_eq(user(XS_TRANSACTION_END, "T\0", 2), 0, "user: commit");
	ok_eq(user(XS_TRANSACTION_END, "F\0", 2), 0, "user: abort");
	ok_eq(user(XS_TRANSACTION_END, "T", 1), -EINVAL, "user: \"T\" without its NUL");
	ok_eq(user(XS_TRANSACTION_END, "T\0\0", 3), -EINVAL, "user: \"T\" and two NULs");
	ok_eq(user(XS_TRANSACTION_END, "TF", 2), -EINVAL, "user: \"TF\"");
	ok_eq(user(XS_TRANSACTION_END, "t\0", 2), -EINVAL, "user: lower-case t");
	ok_eq(user(XS_TRANSACTION_END, "", 0), -EINVAL, "user: an empty end");

	h.len = XS_USER_BODY_MAX;
	ok_eq(xs_user_check(&h, huge), 0, "user: a body of 4080");
	h.len = XS_USER_BODY_MAX + 1;
	ok_eq(xs_user_check(&h, NULL), -E2BIG, "user: a body of 4081");
	h.len = 0xffffffff;
	ok_eq(xs_user_check(&h, NULL), -E2BIG, "user: a body of 2^32 - 1");
	h.type = XS_WATCH;
	h.len = XS_USER_BODY_MAX + 1;
	ok_eq(xs_user_check(&h, NULL), -E2BIG, "user: the size checked before a watch's body");
}

int main(void)
{
	tap_start();
	test_put();
	test_put_hostile();
	test_get();
	test_get_hostile();
	test_predicates();
	test_takeover();
	test_hdr();
	test_errors();
	test_event();
	test_strings();
	test_user();
	return tap_done();
}
