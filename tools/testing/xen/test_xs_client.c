// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/xen/xenbus/xs_client_proto.c: transaction ids
 * and directory lists in xenstored's replies, a reply's type against its
 * request's, the watch tokens the kernel makes and reads back, the
 * length of a joined path, the parts of the messages a process writes
 * into /dev/xen/xenbus, and how those messages are gathered from its
 * write()s (xs_user_frame_*()).
 *
 * Bodies are handed to the parsers in heap blocks of exactly their
 * length, so that ASan catches a read past the end.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/xen/xenbus/xs_client_proto.h"
#include "drivers/xen/xenbus/xs_proto.h"
#include "tap.h"
#include "xs_frame_dev.h"

/* An exact-size heap string of N bytes of C and a NUL. */
static char *fill_str(char c, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		abort();
	memset(p, c, n);
	p[n] = '\0';
	return p;
}

/* ---- xs_tx_id_parse() ------------------------------------------------ */

static void test_tx_id(void)
{
	static const struct {
		const char *body;
		size_t len;
		int ret;
		u32 id;
		const char *what;
	} cases[] = {
		{ "1\0", 2, 0, 1, "1 and its NUL" },
		{ "1", 1, 0, 1, "1 without a NUL" },
		{ "42\0", 3, 0, 42, "42" },
		{ "4294967295\0", 11, 0, U32_MAX, "U32_MAX" },
		{ "4294967295", 10, 0, U32_MAX, "U32_MAX without a NUL" },
		{ "007\0", 4, 0, 7, "leading zeros: 007" },
		{ "000000000000000000000004294967295\0", 34, 0, U32_MAX,
		  "U32_MAX behind 23 zeros" },
		{ "12345", 3, 0, 123, "only len bytes count" },
		{ "4294967296\0", 11, -EPROTO, 0, "U32_MAX + 1" },
		{ "9999999999\0", 11, -EPROTO, 0, "ten nines" },
		{ "42949672950\0", 12, -EPROTO, 0, "eleven digits" },
		{ "18446744073709551616\0", 21, -EPROTO, 0, "2^64 (a u64 would wrap to 0)" },
		{ "18446744073709551617\0", 21, -EPROTO, 0, "2^64 + 1 (would wrap to 1)" },
		{ "0\0", 2, -EPROTO, 0, "0 is no transaction" },
		{ "0", 1, -EPROTO, 0, "0 without a NUL" },
		{ "000\0", 4, -EPROTO, 0, "000" },
		{ "", 0, -EPROTO, 0, "an empty body" },
		{ "\0", 1, -EPROTO, 0, "a lone NUL" },
		{ "\0\0", 2, -EPROTO, 0, "two NULs" },
		{ "12\0\0", 4, -EPROTO, 0, "a second NUL" },
		{ "1\0002\0", 4, -EPROTO, 0, "an embedded NUL" },	/* 1, NUL, 2, NUL */
		{ "5\0x", 3, -EPROTO, 0, "a byte after the NUL" },
		{ "+5\0", 3, -EPROTO, 0, "a plus sign" },
		{ "-1\0", 3, -EPROTO, 0, "a minus sign" },
		{ " 5\0", 3, -EPROTO, 0, "a leading space" },
		{ "5 \0", 3, -EPROTO, 0, "a trailing space" },
		{ "5\n\0", 3, -EPROTO, 0, "a trailing newline" },
		{ "0x10\0", 5, -EPROTO, 0, "a hex prefix" },
		{ "1a\0", 3, -EPROTO, 0, "a hex digit" },
		{ "\xb1\0", 2, -EPROTO, 0, "a byte with the top bit set" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *b = dup_n(cases[i].body, cases[i].len);
		u32 id = 0xdeadbeef;
		int r = xs_tx_id_parse(b, cases[i].len, &id);

		ok(r == cases[i].ret && id == cases[i].id, "tx id: %s", cases[i].what);
		if (r != cases[i].ret || id != cases[i].id)
			printf("#   got %d, id %u\n", r, id);
		free(b);
	}
}

/* ---- xs_reply_type_check() ------------------------------------------- */

static void test_reply_type(void)
{
	bool self = true, error = true;
	u32 t;

	for (t = 0; t < XS_TYPE_COUNT; t++) {
		self &= !xs_reply_type_check(t, t);
		error &= !xs_reply_type_check(t, XS_ERROR);
	}
	ok(self, "reply type: every type answers itself");
	ok(error, "reply type: XS_ERROR answers every type");
	ok_eq(xs_reply_type_check(XS_READ, XS_WRITE), -EPROTO, "reply type: XS_WRITE for XS_READ");
	ok_eq(xs_reply_type_check(XS_READ, XS_WATCH_EVENT), -EPROTO,
	      "reply type: a watch event is no reply");
	ok_eq(xs_reply_type_check(XS_TRANSACTION_START, XS_TRANSACTION_END), -EPROTO,
	      "reply type: XS_TRANSACTION_END for XS_TRANSACTION_START");
	ok_eq(xs_reply_type_check(XS_DIRECTORY, XS_DIRECTORY_PART), -EPROTO,
	      "reply type: XS_DIRECTORY_PART for XS_DIRECTORY");
	ok_eq(xs_reply_type_check(XS_READ, XS_READ | 0x10000), -EPROTO,
	      "reply type: no bits masked off");
	ok_eq(xs_reply_type_check(XS_READ, 0xffffffff), -EPROTO, "reply type: 0xffffffff");
	ok_eq(xs_reply_type_check(0xffffffff, 0xffffffff), 0,
	      "reply type: only equality counts, whatever the type");
}

/* ---- watch tokens ---------------------------------------------------- */

static void test_token_make(void)
{
	static const struct {
		u64 id;
		const char *token;
	} cases[] = {
		{ 0, "0000000000000000" },
		{ 1, "0000000000000001" },
		{ 0xdeadbeef, "00000000deadbeef" },
		{ 0x0123456789abcdef, "0123456789abcdef" },
		{ 0xfedcba9876543210, "fedcba9876543210" },
		{ U64_MAX, "ffffffffffffffff" },
	};
	char buf[XS_WATCH_TOKEN_LEN + 1];
	bool round = true;
	u64 id, back;
	size_t i;
	int s;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		xs_watch_token_make(buf, cases[i].id);
		ok(!strcmp(buf, cases[i].token), "token make: %s", cases[i].token);
	}

	memset(buf, 'Z', sizeof(buf));
	xs_watch_token_make(buf, 0x10);
	ok(strlen(buf) == XS_WATCH_TOKEN_LEN - 1 && buf[XS_WATCH_TOKEN_LEN] == 'Z',
	   "token make: 16 digits, the NUL, and not a byte more");

	for (s = 0; s < 64; s++) {
		id = 1ULL << s;
		xs_watch_token_make(buf, id);
		round &= !xs_watch_token_parse(buf, &back) && back == id;
		xs_watch_token_make(buf, id - 1);
		round &= !xs_watch_token_parse(buf, &back) && back == id - 1;
		xs_watch_token_make(buf, ~id);
		round &= !xs_watch_token_parse(buf, &back) && back == ~id;
	}
	ok(round, "token: parse(make(id)) == id for 2^n, 2^n - 1 and ~2^n");
}

static void test_token_parse(void)
{
	static const struct {
		const char *token;
		int ret;
		u64 id;
		const char *what;
	} cases[] = {
		{ "0000000000000000", 0, 0, "all zeros" },
		{ "ffffffffffffffff", 0, U64_MAX, "U64_MAX" },
		{ "00000000deadbeef", 0, 0xdeadbeef, "deadbeef" },
		{ "00000000DEADBEEF", -EINVAL, 0, "upper-case digits" },
		{ "00000000deadBeef", -EINVAL, 0, "one upper-case digit" },
		{ "FFFFFFFFFFFFFFFF", -EINVAL, 0, "upper-case U64_MAX" },
		{ "000000000000001", -EINVAL, 0, "15 digits" },
		{ "00000000000000001", -EINVAL, 0, "17 digits" },
		{ "", -EINVAL, 0, "an empty token" },
		{ "0x00000000000001", -EINVAL, 0, "a hex prefix in 16 characters" },
		{ " 000000000000001", -EINVAL, 0, "a leading space" },
		{ "-000000000000001", -EINVAL, 0, "a minus sign" },
		{ "000000000000000g", -EINVAL, 0, "a 'g'" },
		{ "0000000000000001\n", -EINVAL, 0, "a trailing newline" },
		{ "0000000000000001 ", -EINVAL, 0, "a trailing space" },
		/* Eight digits, a NUL and eight more, which are not copied. */
		{ "00000000\00000000001", -EINVAL, 0, "a NUL after 8 digits" },
		{ "0000000000000/00", -EINVAL, 0, "a '/'" },
		{ "0000000000000:00", -EINVAL, 0, "a ':'" },
		{ "0000000000000`00", -EINVAL, 0, "a '`'" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* A heap copy up to the first NUL, as the event gives it. */
		char *t = dup_n(cases[i].token, strlen(cases[i].token) + 1);
		u64 id = 0xdeadbeef;
		int r = xs_watch_token_parse(t, &id);

		ok(r == cases[i].ret && id == cases[i].id, "token parse: %s", cases[i].what);
		free(t);
	}
}

/* ---- xs_dir_split() -------------------------------------------------- */

#define NAMES_MAX	8

/* What the entries of a names array hold before a call. */
static const char unset_mark[] = "unset";
#define UNSET		unset_mark

static int dir(const char *body, size_t len, unsigned int max, const char **names,
	       char **copy)
{
	unsigned int i;

	for (i = 0; i < NAMES_MAX; i++)
		names[i] = UNSET;
	*copy = dup_n(body, len);
	return xs_dir_split(*copy, len, names, max);
}

/* Whether NAMES[0 .. N) are the strings of WANT, '|'-separated, in place. */
static bool dir_names(const char *b, const char **names, int n, const char *want)
{
	const char *at = b;
	size_t w;
	int i;

	for (i = 0; i < n; i++) {
		w = strcspn(want, "|");
		if (names[i] != at || strlen(names[i]) != w || memcmp(names[i], want, w))
			return false;
		at += w + 1;
		want += w + (want[w] == '|');
	}
	return !*want && (n >= NAMES_MAX || names[n] == UNSET);
}

static bool names_unset(const char **names)
{
	int i;

	for (i = 0; i < NAMES_MAX; i++)
		if (names[i] != UNSET)
			return false;
	return true;
}

static void test_dir(void)
{
	static const struct {
		const char *body;
		size_t len;
		unsigned int max;
		int ret;
		const char *names;	/* '|'-separated */
		const char *what;
	} cases[] = {
		{ "", 0, 4, 0, "", "an empty directory" },
		{ "vbd\0", 4, 4, 1, "vbd", "one name" },
		{ "vbd\0vif\0console\0", 16, 4, 3, "vbd|vif|console", "three names" },
		{ "a\0b\0c\0", 6, 3, 3, "a|b|c", "exactly max names" },
		{ "a\0b\0c\0d\0e\0f\0g\0h\0", 16, 8, 8, "a|b|c|d|e|f|g|h",
		  "eight names, max 8" },
		{ "a\0b\0c\0", 6, 2, -E2BIG, "", "max + 1 names" },
		{ "a\0", 2, 0, -E2BIG, "", "one name, max 0" },
		{ "a\0b\0xyz", 4, 4, 2, "a|b", "only len bytes count" },
		{ "\0", 1, 4, -EPROTO, "", "a lone NUL: one empty name" },
		{ "\0a\0", 3, 4, -EPROTO, "", "an empty first name" },
		{ "a\0\0b\0", 5, 4, -EPROTO, "", "an empty name in the middle" },
		{ "a\0\0", 3, 4, -EPROTO, "", "an empty last name" },
		{ "a\0b", 3, 4, -EPROTO, "", "the last name unterminated" },
		{ "abc", 3, 4, -EPROTO, "", "no NUL at all" },
		{ "abc\0", 3, 4, -EPROTO, "", "its NUL past len" },
		{ "a\0b\0c\0\0", 7, 1, -EPROTO, "", "malformed and too many: -EPROTO" },
		{ "a\0b\0c", 5, 1, -EPROTO, "", "unterminated and too many: -EPROTO" },
	};
	const char *names[NAMES_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *b;
		int r = dir(cases[i].body, cases[i].len, cases[i].max, names, &b);

		if (r < 0)
			ok(r == cases[i].ret && names_unset(names), "dir: %s", cases[i].what);
		else
			ok(r == cases[i].ret && dir_names(b, names, r, cases[i].names),
			   "dir: %s", cases[i].what);
		free(b);
	}
	ok_eq(xs_dir_split(NULL, 0, NULL, 0), 0, "dir: empty, with no array at all");
	ok_eq(xs_dir_split("a\0", 2, NULL, 0), -E2BIG, "dir: a name and no array");
	ok_eq(xs_dir_split("\0", 1, NULL, 0), -EPROTO, "dir: malformed, no array");
}

static void test_dir_large(void)
{
	/* 2048 names of one byte: a whole XENSTORE_PAYLOAD_MAX body. */
	enum { N = XENSTORE_PAYLOAD_MAX / 2 };
	const char **names = malloc(N * sizeof(*names));
	char *b = malloc(XENSTORE_PAYLOAD_MAX);
	bool in_place = true;
	int i, r;

	if (!names || !b)
		abort();
	for (i = 0; i < N; i++) {
		b[2 * i] = 'a' + i % 26;
		b[2 * i + 1] = '\0';
	}
	r = xs_dir_split(b, XENSTORE_PAYLOAD_MAX, names, N);
	ok_eq(r, N, "dir: 2048 names in 4096 bytes");
	for (i = 0; i < r; i++)
		in_place &= names[i] == b + 2 * i;
	ok(in_place, "dir: each of the 2048 in place");
	ok_eq(xs_dir_split(b, XENSTORE_PAYLOAD_MAX, names, N - 1), -E2BIG,
	      "dir: 2048 names, max 2047");
	free(b);

	b = fill_str('n', XENSTORE_PAYLOAD_MAX - 1);
	r = xs_dir_split(b, XENSTORE_PAYLOAD_MAX, names, 1);
	ok(r == 1 && names[0] == b, "dir: one name of 4095 bytes");
	ok_eq(xs_dir_split(b, XENSTORE_PAYLOAD_MAX - 1, names, 1), -EPROTO,
	      "dir: the same without its NUL");
	free(b);
	free(names);
}

/* ---- xs_path_join_len() ---------------------------------------------- */

static int join_n(size_t dir_len, size_t node_len)
{
	char *d = fill_str('d', dir_len), *n = fill_str('n', node_len);
	int r = xs_path_join_len(d, n);

	free(d);
	free(n);
	return r;
}

static void test_join(void)
{
	char *raw;
	int max = XENSTORE_ABS_PATH_MAX;

	ok_eq(xs_path_join_len("device/vbd", "51712"), 16, "join: device/vbd/51712");
	ok_eq(xs_path_join_len("device/vbd", ""), 10, "join: an empty node is the directory");
	ok_eq(xs_path_join_len("", ""), 0, "join: both empty");
	ok_eq(xs_path_join_len("", "x"), 2, "join: an empty directory and x: /x");
	ok_eq(xs_path_join_len("a", "b/c"), 5, "join: a node with a slash");
	ok_eq(join_n(3000, max - 3001), max, "join: dir + / + node exactly at the limit");
	ok_eq(join_n(3000, max - 3000), -E2BIG, "join: one byte over the limit");
	ok_eq(join_n(max, 0), max, "join: a directory of the limit alone");
	ok_eq(join_n(max + 1, 0), -E2BIG, "join: a directory one over the limit");
	ok_eq(join_n(max, 1), -E2BIG, "join: a directory of the limit and a node");
	ok_eq(join_n(max - 1, 0), max - 1, "join: a directory one under the limit");
	ok_eq(join_n(0, max - 1), max, "join: the limit with the slash, empty directory");
	ok_eq(join_n(0, max), -E2BIG, "join: a node of the limit and the slash");
	ok_eq(join_n(100000, 100000), -E2BIG, "join: two strings far over the limit");

	/* No NUL within the bound: neither string is read past it. */
	raw = malloc(XENSTORE_ABS_PATH_MAX + 1);
	if (!raw)
		abort();
	memset(raw, 'r', XENSTORE_ABS_PATH_MAX + 1);
	ok_eq(xs_path_join_len(raw, ""), -E2BIG,
	      "join: a directory read no further than the limit + 1");
	ok_eq(xs_path_join_len("", raw), -E2BIG,
	      "join: a node read no further than the limit + 1");
	free(raw);
}

/* ---- xs_user_classify() ---------------------------------------------- */

/* A message with a heap copy of its body; OUT starts full of junk. */
static int classify(u32 type, u32 tx_id, const char *body, u32 len,
		    struct xs_user_msg *out, char **copy)
{
	struct xsd_sockmsg h = { .type = type, .req_id = 3, .tx_id = tx_id, .len = len };

	out->type = 0xaaaa;
	out->tx_id = 0xbbbb;
	out->path = (const char *)1;
	out->token = (const char *)1;
	*copy = dup_n(body, len);
	return xs_user_classify(&h, *copy, out);
}

/* The result of one classify, with OUT's type and tx_id from the header. */
static bool classified(int r, int want, const struct xs_user_msg *out, u32 type,
		       u32 tx_id)
{
	return r == want && out->type == type && out->tx_id == tx_id;
}

static void test_classify_watch(void)
{
	static const struct {
		u32 type;
		const char *body;
		u32 len;
		const char *what;
	} bad[] = {
		{ XS_WATCH, "\0t\0", 3, "watch with an empty path" },
		{ XS_UNWATCH, "\0t\0", 3, "unwatch with an empty path" },
		{ XS_WATCH, "\0\0", 2, "watch with both empty" },
		{ XS_WATCH, "p\0t", 3, "watch with the token unterminated" },
		{ XS_WATCH, "p\0", 2, "watch without a token" },
		{ XS_WATCH, "p", 1, "watch with no NUL" },
		{ XS_WATCH, "", 0, "watch with an empty body" },
		{ XS_UNWATCH, "p\0t\0", 3, "unwatch with its NUL past len" },
	};
	struct xs_user_msg m;
	char *b, *big;
	size_t i;
	int r;

	r = classify(XS_WATCH, 0, "p\0t\0", 4, &m, &b);
	ok(classified(r, 0, &m, XS_WATCH, 0) && m.path == b && m.token == b + 2 &&
	   !strcmp(m.path, "p") && !strcmp(m.token, "t"), "classify: watch p t");
	free(b);
	r = classify(XS_UNWATCH, 0, "device/vif\0tok1\0", 16, &m, &b);
	ok(classified(r, 0, &m, XS_UNWATCH, 0) && m.path == b && m.token == b + 11,
	   "classify: unwatch device/vif tok1");
	free(b);
	r = classify(XS_WATCH, 9, "p\0t\0", 4, &m, &b);
	ok(classified(r, 0, &m, XS_WATCH, 9), "classify: a watch's tx_id copied as it is");
	free(b);
	r = classify(XS_WATCH, 0, "p\0t\0extra", 9, &m, &b);
	ok(classified(r, 0, &m, XS_WATCH, 0) && m.token == b + 2 && !strcmp(m.token, "t"),
	   "classify: bytes after the token ignored");
	free(b);
	/* An empty token is a token: the old device took it, and so do we. */
	r = classify(XS_WATCH, 0, "p\0\0", 3, &m, &b);
	ok(classified(r, 0, &m, XS_WATCH, 0) && m.path == b && m.token == b + 2 &&
	   !strcmp(m.path, "p") && !*m.token, "classify: watch with an empty token");
	free(b);
	r = classify(XS_UNWATCH, 0, "p\0\0", 3, &m, &b);
	ok(classified(r, 0, &m, XS_UNWATCH, 0) && m.token == b + 2 && !*m.token,
	   "classify: unwatch with an empty token");
	free(b);
	r = classify(XS_WATCH, 0, "p\0\0x\0", 5, &m, &b);
	ok(classified(r, 0, &m, XS_WATCH, 0) && m.token == b + 2 && !*m.token,
	   "classify: an empty token, then bytes that are ignored");
	free(b);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r = classify(bad[i].type, 4, bad[i].body, bad[i].len, &m, &b);
		ok(classified(r, -EINVAL, &m, bad[i].type, 4) && !m.path && !m.token,
		   "classify: %s", bad[i].what);
		free(b);
	}

	/* Path "p", then a token of 256 bytes and its NUL, then nothing. */
	big = malloc(2 + XS_USER_TOKEN_MAX + 2);
	if (!big)
		abort();
	memcpy(big, "p", 2);
	memset(big + 2, 'k', XS_USER_TOKEN_MAX + 1);
	big[2 + XS_USER_TOKEN_MAX] = '\0';
	r = classify(XS_WATCH, 0, big, 2 + XS_USER_TOKEN_MAX + 1, &m, &b);
	ok(classified(r, 0, &m, XS_WATCH, 0) && m.token == b + 2 &&
	   strlen(m.token) == XS_USER_TOKEN_MAX,
	   "classify: a token of 256 bytes, exactly at the end");
	free(b);
	big[2 + XS_USER_TOKEN_MAX] = 'k';
	big[3 + XS_USER_TOKEN_MAX] = '\0';
	r = classify(XS_WATCH, 0, big, 2 + XS_USER_TOKEN_MAX + 2, &m, &b);
	ok(classified(r, -EINVAL, &m, XS_WATCH, 0) && !m.path && !m.token,
	   "classify: a watch token of 257 bytes");
	free(b);
	r = classify(XS_UNWATCH, 0, big, 2 + XS_USER_TOKEN_MAX + 2, &m, &b);
	ok(classified(r, -EINVAL, &m, XS_UNWATCH, 0), "classify: an unwatch token of 257 bytes");
	free(b);
	free(big);

	/* A long path is xenstored's to refuse, not ours. */
	big = malloc(XS_USER_BODY_MAX);
	if (!big)
		abort();
	memset(big, 'p', XS_USER_BODY_MAX);
	big[XS_USER_BODY_MAX - 3] = '\0';
	big[XS_USER_BODY_MAX - 2] = 't';
	big[XS_USER_BODY_MAX - 1] = '\0';
	r = classify(XS_WATCH, 0, big, XS_USER_BODY_MAX, &m, &b);
	ok(classified(r, 0, &m, XS_WATCH, 0) && m.token == b + XS_USER_BODY_MAX - 2,
	   "classify: a path of 4077 bytes fills the body");
	free(b);
	free(big);
}

static void test_classify_other(void)
{
	static const u32 plain[] = {
		XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_INTRODUCE,
		XS_RELEASE, XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM,
		XS_SET_PERMS, XS_WATCH_EVENT, XS_ERROR, XS_IS_DOMAIN_INTRODUCED,
		XS_RESUME, XS_SET_TARGET, 20, XS_RESET_WATCHES,
		XS_DIRECTORY_PART, XS_TYPE_COUNT, 99, XS_INVALID, 0xffffffff,
	};
	static char huge[XS_USER_BODY_MAX + 1];
	struct xs_user_msg m;
	struct xsd_sockmsg h = { .type = XS_WRITE, .tx_id = 6 };
	bool all = true;
	char *b;
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(plain); i++) {
		r = classify(plain[i], 7, "\0", 1, &m, &b);
		all &= classified(r, 0, &m, plain[i], 7) && !m.path && !m.token;
		free(b);
	}
	ok(all, "classify: every other type goes on, with no path or token");
	r = classify(XS_READ, 5, "data/x\0", 7, &m, &b);
	ok(classified(r, 0, &m, XS_READ, 5) && !m.path && !m.token,
	   "classify: a read in transaction 5");
	free(b);
	r = classify(XS_TRANSACTION_START, 0, "", 0, &m, &b);
	ok(classified(r, 0, &m, XS_TRANSACTION_START, 0) && !m.path,
	   "classify: an empty transaction start");
	free(b);

	r = classify(XS_TRANSACTION_END, 3, "T\0", 2, &m, &b);
	ok(classified(r, 0, &m, XS_TRANSACTION_END, 3) && !m.path && !m.token,
	   "classify: commit");
	free(b);
	r = classify(XS_TRANSACTION_END, 3, "F\0", 2, &m, &b);
	ok(classified(r, 0, &m, XS_TRANSACTION_END, 3), "classify: abort");
	free(b);
	r = classify(XS_TRANSACTION_END, 3, "T", 1, &m, &b);
	ok(classified(r, -EINVAL, &m, XS_TRANSACTION_END, 3), "classify: \"T\" without its NUL");
	free(b);
	r = classify(XS_TRANSACTION_END, 3, "T\0\0", 3, &m, &b);
	ok(classified(r, -EINVAL, &m, XS_TRANSACTION_END, 3), "classify: \"T\" and two NULs");
	free(b);
	r = classify(XS_TRANSACTION_END, 3, "X\0", 2, &m, &b);
	ok(classified(r, -EINVAL, &m, XS_TRANSACTION_END, 3) && !m.path,
	   "classify: neither T nor F");
	free(b);
	r = classify(XS_TRANSACTION_END, 3, "", 0, &m, &b);
	ok(classified(r, -EINVAL, &m, XS_TRANSACTION_END, 3), "classify: an empty end");
	free(b);

	h.len = XS_USER_BODY_MAX;
	ok(xs_user_classify(&h, huge, &m) == 0 && m.type == XS_WRITE && m.tx_id == 6,
	   "classify: a body of 4080");
	h.len = XS_USER_BODY_MAX + 1;
	m.path = (const char *)1;
	ok(xs_user_classify(&h, huge, &m) == -E2BIG && m.type == XS_WRITE && !m.path,
	   "classify: a body of 4081 is -E2BIG");
	h.len = 0xffffffff;
	ok_eq(xs_user_classify(&h, NULL, &m), -E2BIG, "classify: a body of 2^32 - 1");
	h.type = XS_WATCH;
	h.len = XS_USER_BODY_MAX + 1;
	m.token = (const char *)1;
	ok(xs_user_classify(&h, NULL, &m) == -E2BIG && !m.path && !m.token,
	   "classify: the size checked before a watch's body");
}

/* xs_user_classify() fails wherever xs_user_check() does, and alike. */
static void test_classify_agrees(void)
{
	static const struct {
		u32 type;
		const char *body;
		u32 len;
	} msgs[] = {
		{ XS_WATCH, "p\0t\0", 4 }, { XS_WATCH, "p\0t", 3 },
		{ XS_WATCH, "\0\0", 2 }, { XS_UNWATCH, "", 0 },
		{ XS_TRANSACTION_END, "T\0", 2 }, { XS_TRANSACTION_END, "F", 1 },
		{ XS_WRITE, "a\0b", 3 }, { XS_READ, "", 0 },
	};
	bool agree = true;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(msgs); i++) {
		struct xsd_sockmsg h = { .type = msgs[i].type, .len = msgs[i].len };
		struct xs_user_msg m;
		char *b = dup_n(msgs[i].body, msgs[i].len);
		int check = xs_user_check(&h, b), r = xs_user_classify(&h, b, &m);

		agree &= !check ? (r == 0 || r == -EINVAL) : r == check;
		free(b);
	}
	ok(agree, "classify: every failure of xs_user_check() is its own");
}

/* ---- xs_user_frame_*() ----------------------------------------------- */

#define HDR_SIZE	((u32)sizeof(struct xsd_sockmsg))

/*
 * A message of BODY_LEN body bytes with EXTRA bytes after it (what a
 * write() may carry past the message), in a heap block of exactly that
 * size: header XS_WRITE, req_id 9, tx_id 0; body bytes 7 * i + 1; 0xee
 * after it.
 */
static u8 *frame_msg(u32 body_len, size_t extra)
{
	struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 9, .len = body_len };
	size_t total = HDR_SIZE + (size_t)body_len + extra, i;
	u8 *m = malloc(total);

	if (!m)
		abort();
	memcpy(m, &h, HDR_SIZE);
	for (i = 0; i < body_len; i++)
		m[HDR_SIZE + i] = (u8)(7 * i + 1);
	memset(m + HDR_SIZE + body_len, 0xee, extra);
	return m;
}

/*
 * xs_user_frame_next() with LEFT bytes left names the piece BODY, OFF,
 * LEN.  The piece starts full of other values, so that each field is
 * seen to be written.
 */
static void next_is(const struct xs_user_frame *fr, size_t left, bool body, u32 off,
		    u32 len, const char *what)
{
	struct xs_user_piece p = { .body = !body, .off = ~off, .len = ~len };
	bool named = xs_user_frame_next(fr, left, &p);

	if (!ok(named && p.body == body && p.off == off && p.len == len, "%s", what))
		printf("#   got %d: body %d off %u len %u\n", named, p.body, p.off, p.len);
}

/* xs_user_frame_next() names no piece, and leaves *p alone. */
static bool next_none(const struct xs_user_frame *fr, size_t left)
{
	struct xs_user_piece p = { .body = true, .off = 0xdead, .len = 0xbeef };

	return !xs_user_frame_next(fr, left, &p) && p.body && p.off == 0xdead &&
	       p.len == 0xbeef;
}

/*
 * Whether the device (xs_frame_dev.h) holds exactly the message at M,
 * whole, with no rule of xs_user_frame_*() broken on the way; then takes
 * it and starts afresh, as xbdev_write() does.
 */
static bool dev_take(struct xs_frame_dev *d, const u8 *m)
{
	struct xsd_sockmsg h;
	bool same;

	memcpy(&h, m, HDR_SIZE);
	same = !d->bad && xs_user_frame_whole(&d->fr) && d->body &&
	       d->fr.have == HDR_SIZE + h.len && !memcmp(&d->fr.hdr, &h, HDR_SIZE) &&
	       !memcmp(&d->msg, &h, HDR_SIZE) && !memcmp(d->body, m + HDR_SIZE, h.len);
	xfd_drop(d);
	return same;
}

/* A message written one step at a time, each call checked. */
static void test_frame_steps(void)
{
	struct xs_user_frame fr;
	u8 *m = frame_msg(100, 20);
	u8 *body = malloc(100);

	if (!body)
		abort();
	memset(&fr, 0xa5, sizeof(fr));
	xs_user_frame_reset(&fr);
	ok_eq(fr.have, 0, "frame: reset starts at no bytes");
	ok(!xs_user_frame_whole(&fr), "frame: no bytes is not whole");

	/* One write() of the message and 20 bytes more. */
	ok_eq(xs_user_frame_admit(&fr, 136), 0, "frame: a write() of 136 admitted");
	next_is(&fr, 136, false, 0, 16, "frame: one write: the 16-byte header first");
	memcpy(&fr.hdr, m, 16);
	ok_eq(xs_user_frame_took(&fr, 16), XS_USER_FRAME_HDR,
	      "frame: one write: the 16th header byte makes the header whole");
	ok(fr.have == 16 && !xs_user_frame_whole(&fr), "frame: one write: 16 bytes, not whole");
	next_is(&fr, 120, true, 0, 100, "frame: one write: the body, no more than it needs");
	memcpy(body, m + 16, 100);
	ok_eq(xs_user_frame_took(&fr, 100), 0, "frame: one write: the body taken");
	ok(fr.have == 116 && xs_user_frame_whole(&fr), "frame: one write: 116 bytes, whole");
	ok(next_none(&fr, 20), "frame: one write: the 20 bytes after it not asked for");
	ok(next_none(&fr, SIZE_MAX), "frame: one write: nothing asked of a whole message");
	ok(!memcmp(&fr.hdr, m, 16) && fr.hdr.len == 100 && !memcmp(body, m + 16, 100),
	   "frame: one write: header and body as written");
	xs_user_frame_reset(&fr);
	ok(fr.have == 0 && !xs_user_frame_whole(&fr), "frame: one write: reset after taking it");
	next_is(&fr, 1, false, 0, 1, "frame: reset: the next message's header at 0");

	/* The same message as a header, then a body in pieces of 30, 30, 40. */
	ok_eq(xs_user_frame_admit(&fr, 16), 0, "frame: pieces: a write() of 16 admitted");
	next_is(&fr, 16, false, 0, 16, "frame: pieces: the header");
	ok_eq(xs_user_frame_took(&fr, 16), XS_USER_FRAME_HDR, "frame: pieces: the header whole");
	ok(next_none(&fr, 0), "frame: pieces: nothing left of the write()");
	ok_eq(xs_user_frame_admit(&fr, 30), 0, "frame: pieces: a write() of 30 admitted");
	next_is(&fr, 30, true, 0, 30, "frame: pieces: body 0..30");
	ok_eq(xs_user_frame_took(&fr, 30), 0, "frame: pieces: body 0..30 taken");
	next_is(&fr, 30, true, 30, 30, "frame: pieces: body 30..60");
	ok_eq(xs_user_frame_took(&fr, 30), 0, "frame: pieces: body 30..60 taken");
	ok(fr.have == 76 && !xs_user_frame_whole(&fr), "frame: pieces: 76 bytes, not whole");
	next_is(&fr, 1000, true, 60, 40, "frame: pieces: body 60..100, capped at what it needs");
	ok_eq(xs_user_frame_took(&fr, 40), 0, "frame: pieces: body 60..100 taken");
	ok(fr.have == 116 && xs_user_frame_whole(&fr), "frame: pieces: whole");
	free(body);
	free(m);
}

/* Whole messages through the device, cut in different ways. */
static void test_frame_writes(void)
{
	struct xs_frame_dev d = { 0 };
	u8 *m = frame_msg(100, 20);
	bool ones = true, early = false;
	size_t i;

	ok(xfd_write(&d, m, 136, SIZE_MAX, false) == 136 && d.pieces == 2 && d.hdrs == 1 &&
	   dev_take(&d, m), "frame: write: one write() with 20 bytes after the message");

	d = (struct xs_frame_dev){ 0 };
	for (i = 0; i < 116; i++) {
		ones &= xfd_write(&d, m + i, 1, SIZE_MAX, false) == 1;
		if (i < 115)
			early |= xs_user_frame_whole(&d.fr);
	}
	ok(ones && !early, "frame: write: one byte at a time, each taken, whole only at the end");
	ok(d.hdrs == 1 && d.hdr_at == 16,
	   "frame: write: one byte at a time, the header whole at byte 16");
	ok(d.pieces == 116 && dev_take(&d, m),
	   "frame: write: one byte at a time, 116 pieces, same message");

	d = (struct xs_frame_dev){ 0 };
	ok(xfd_write(&d, m, 15, SIZE_MAX, false) == 15 && d.fr.have == 15 && !d.hdrs,
	   "frame: write: 15 header bytes, header not whole");
	next_is(&d.fr, 101, false, 15, 1, "frame: write: 15 + 1, the 16th byte asked for alone");
	ok(xfd_write(&d, m + 15, 101, SIZE_MAX, false) == 101 && d.hdrs == 1 && d.hdr_at == 2 &&
	   dev_take(&d, m), "frame: write: 15, then 1 + body");

	d = (struct xs_frame_dev){ 0 };
	ok(xfd_write(&d, m, 1, SIZE_MAX, false) == 1 && d.fr.have == 1 && !d.hdrs,
	   "frame: write: 1 header byte");
	next_is(&d.fr, 115, false, 1, 15, "frame: write: 1 + 15, the other 15 asked for");
	ok(xfd_write(&d, m + 1, 15, SIZE_MAX, false) == 15 && d.hdrs == 1 && d.hdr_at == 2 &&
	   d.fr.have == 16 && !xs_user_frame_whole(&d.fr),
	   "frame: write: 1, then 15: header whole");
	ok(xfd_write(&d, m + 16, 120, SIZE_MAX, false) == 120 && dev_take(&d, m),
	   "frame: write: 1 + 15, then body and 20 more");

	/* Two messages back to back on one device. */
	d = (struct xs_frame_dev){ 0 };
	ok(xfd_write(&d, m, 50, SIZE_MAX, false) == 50 &&
	   xfd_write(&d, m + 50, 86, SIZE_MAX, false) == 86 && dev_take(&d, m) &&
	   xfd_write(&d, m, 116, SIZE_MAX, false) == 116 && d.hdrs == 2 && dev_take(&d, m),
	   "frame: write: a second message after the first was taken");
	free(m);
}

static void test_frame_empty_body(void)
{
	struct xs_user_frame fr = { 0 };
	struct xs_frame_dev d = { 0 };
	u8 *m = frame_msg(0, 8);

	next_is(&fr, 24, false, 0, 16, "frame: empty body: the header");
	memcpy(&fr.hdr, m, 16);
	ok_eq(xs_user_frame_took(&fr, 16), XS_USER_FRAME_HDR, "frame: empty body: header whole");
	ok(xs_user_frame_whole(&fr), "frame: empty body: whole with the header");
	ok(next_none(&fr, 8), "frame: empty body: nothing asked for then");
	ok(next_none(&fr, 0), "frame: empty body: nothing asked for with nothing left");

	ok(xfd_write(&d, m, 24, SIZE_MAX, false) == 24 && d.pieces == 1 && d.hdrs == 1 &&
	   dev_take(&d, m), "frame: empty body: one write() of it and 8 bytes more");
	d = (struct xs_frame_dev){ 0 };
	ok(xfd_write(&d, m, 10, SIZE_MAX, false) == 10 && !xs_user_frame_whole(&d.fr),
	   "frame: empty body: 10 header bytes, not whole");
	ok(xfd_write(&d, m + 10, 6, SIZE_MAX, false) == 6 && dev_take(&d, m),
	   "frame: empty body: the other 6, whole");

	/* A header of len 0 is not yet a message before its 16 bytes. */
	fr.have = 15;
	fr.hdr.len = 0;
	ok(!xs_user_frame_whole(&fr), "frame: empty body: 15 bytes of a len-0 header not whole");
	fr.have = 0;
	ok(!xs_user_frame_whole(&fr), "frame: empty body: no bytes of a len-0 header not whole");
	fr.have = 15;
	fr.hdr.len = U32_MAX;
	ok(!xs_user_frame_whole(&fr), "frame: 15 bytes and a len of 2^32 - 1 not whole");
	free(m);
}

static void test_frame_big_body(void)
{
	static const u32 lens[] = { XS_USER_BODY_MAX + 1, XENSTORE_PAYLOAD_MAX, 0x10000,
				    0x80000000, U32_MAX };
	struct xs_user_frame fr = { 0 };
	struct xs_frame_dev d = { 0 };
	bool all = true;
	u8 *m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		xs_user_frame_reset(&fr);
		fr.hdr.len = lens[i];
		all &= xs_user_frame_took(&fr, 16) == -E2BIG;
	}
	ok(all, "frame: big body: 4081, 4096, 2^16, 2^31 and 2^32 - 1 are -E2BIG with the header");

	m = frame_msg(XS_USER_BODY_MAX + 1, 0);
	ok(xfd_write(&d, m, 16, SIZE_MAX, false) == -E2BIG && d.fr.have == 0 && !d.body,
	   "frame: big body: a header of 4081, -E2BIG and dropped");
	ok(xfd_write(&d, m, 8, SIZE_MAX, false) == 8 &&
	   xfd_write(&d, m + 8, 8, SIZE_MAX, false) == -E2BIG && d.fr.have == 0,
	   "frame: big body: -E2BIG from the write() completing the header");
	ok(xfd_write(&d, m, 4096, 16, false) == -E2BIG && d.fr.have == 0,
	   "frame: big body: -E2BIG before the body, even one that would fault");
	free(m);

	m = frame_msg(XS_USER_BODY_MAX, 0);
	d = (struct xs_frame_dev){ 0 };
	ok(xfd_write(&d, m, 4096, SIZE_MAX, false) == 4096 && d.pieces == 2 && dev_take(&d, m),
	   "frame: big body: 4080, the most, in one write() of 4096");
	ok(xfd_write(&d, m, 16, SIZE_MAX, false) == 16 && d.body && d.msg.len == XS_USER_BODY_MAX,
	   "frame: big body: the header of 4080, its body allocated");
	ok_eq(xs_user_frame_admit(&d.fr, XS_USER_BODY_MAX), 0,
	      "frame: big body: 4080 after the header admitted");
	next_is(&d.fr, XS_USER_BODY_MAX, true, 0, XS_USER_BODY_MAX,
		"frame: big body: all 4080 asked for");
	ok(xfd_write(&d, m + 16, XS_USER_BODY_MAX, SIZE_MAX, false) == XS_USER_BODY_MAX &&
	   dev_take(&d, m), "frame: big body: 4080 after the header, whole");
	free(m);
}

static void test_frame_admit(void)
{
	struct xs_user_frame fr = { 0 };

	ok_eq(xs_user_frame_admit(&fr, 0), 0, "frame: admit: 0 bytes");
	ok_eq(xs_user_frame_admit(&fr, 4096), 0, "frame: admit: 4096 onto nothing");
	ok_eq(xs_user_frame_admit(&fr, 4097), -EINVAL, "frame: admit: 4097 onto nothing");
	ok_eq(xs_user_frame_admit(&fr, SIZE_MAX), -EINVAL, "frame: admit: SIZE_MAX");
	ok_eq(xs_user_frame_admit(&fr, (size_t)U32_MAX + 1), -EINVAL,
	      "frame: admit: 2^32, which would be 0 as a u32");
	fr.have = 16;
	ok_eq(xs_user_frame_admit(&fr, 4080), 0, "frame: admit: 16 + 4080");
	ok_eq(xs_user_frame_admit(&fr, 4081), -EINVAL, "frame: admit: 16 + 4081");
	ok_eq(xs_user_frame_admit(&fr, SIZE_MAX - 15), -EINVAL,
	      "frame: admit: 16 + (SIZE_MAX - 15), which would wrap to 0");
	ok_eq(xs_user_frame_admit(&fr, (size_t)U32_MAX - 15), -EINVAL,
	      "frame: admit: 16 + (2^32 - 16), which would wrap to 0 as a u32");
	fr.have = 100;
	ok_eq(xs_user_frame_admit(&fr, 3996), 0, "frame: admit: 100 + 3996");
	ok_eq(xs_user_frame_admit(&fr, 3997), -EINVAL, "frame: admit: 100 + 3997");
	fr.have = 4095;
	ok_eq(xs_user_frame_admit(&fr, 1), 0, "frame: admit: 4095 + 1");
	ok_eq(xs_user_frame_admit(&fr, 2), -EINVAL, "frame: admit: 4095 + 2");
	fr.have = 4096;
	ok_eq(xs_user_frame_admit(&fr, 0), 0, "frame: admit: 4096 + 0");
	ok_eq(xs_user_frame_admit(&fr, 1), -EINVAL, "frame: admit: 4096 + 1");
	fr.have = 4097;
	ok_eq(xs_user_frame_admit(&fr, 0), -EINVAL,
	      "frame: admit: a frame past the limit refuses even 0");
	fr.have = U32_MAX;
	ok_eq(xs_user_frame_admit(&fr, 1), -EINVAL, "frame: admit: have U32_MAX + 1 does not wrap");

	/* The bytes after a whole message count too: the old driver's rule. */
	fr.have = 16;
	fr.hdr.len = 1;
	ok_eq(xs_user_frame_admit(&fr, 4081), -EINVAL,
	      "frame: admit: 4081 refused though the message needs only 1 of them");
}

static void test_frame_next(void)
{
	struct xs_user_frame fr = { 0 };
	bool none = true;

	none &= next_none(&fr, 0);
	fr.have = 7;
	none &= next_none(&fr, 0);
	fr.have = 16;
	fr.hdr.len = 5;
	none &= next_none(&fr, 0);
	fr.have = 18;
	none &= next_none(&fr, 0);
	ok(none, "frame: next: nothing left is no piece, at 0, 7, 16 and 18 of 21");

	fr.have = 5;
	next_is(&fr, 3, false, 5, 3, "frame: next: header at 5, 3 left: 3");
	next_is(&fr, 11, false, 5, 11, "frame: next: header at 5, 11 left: 11");
	next_is(&fr, 100, false, 5, 11, "frame: next: header at 5, 100 left: the 11 it needs");
	next_is(&fr, SIZE_MAX, false, 5, 11, "frame: next: header at 5, SIZE_MAX left: 11");
	fr.have = 15;
	next_is(&fr, 2, false, 15, 1, "frame: next: header at 15: its last byte");

	fr.have = 20;
	fr.hdr.len = 10;
	next_is(&fr, 3, true, 4, 3, "frame: next: body at 4 of 10, 3 left: 3");
	next_is(&fr, 6, true, 4, 6, "frame: next: body at 4 of 10, 6 left: 6");
	next_is(&fr, 100, true, 4, 6, "frame: next: body at 4 of 10, 100 left: the 6 it needs");
	next_is(&fr, SIZE_MAX, true, 4, 6, "frame: next: body at 4 of 10, SIZE_MAX left: 6");
	next_is(&fr, (size_t)U32_MAX + 1, true, 4, 6,
		"frame: next: 2^32 left, which would be 0 as a u32: 6");
	next_is(&fr, (size_t)U32_MAX + 3, true, 4, 6,
		"frame: next: 2^32 + 2 left, which would be 2 as a u32: 6");
	fr.have = 16;
	next_is(&fr, 1, true, 0, 1, "frame: next: body at 0 of 10, 1 left: 1");
	fr.have = 25;
	next_is(&fr, 4096, true, 9, 1, "frame: next: body at 9 of 10: its last byte");
	fr.have = 26;
	ok(next_none(&fr, 4096), "frame: next: body at 10 of 10 is whole: no piece");
}

static void test_frame_fault(void)
{
	struct xs_user_frame fr = { 0 };
	struct xs_frame_dev d = { 0 };
	u8 *m = frame_msg(100, 20);

	/* took() with fewer bytes than the piece: the next resumes there. */
	next_is(&fr, 116, false, 0, 16, "frame: fault: the header");
	ok_eq(xs_user_frame_took(&fr, 10), 0, "frame: fault: 10 of the header's 16 came");
	ok(fr.have == 10 && !xs_user_frame_whole(&fr), "frame: fault: 10 bytes, not whole");
	next_is(&fr, 106, false, 10, 6, "frame: fault: the header resumes at 10");
	ok_eq(xs_user_frame_took(&fr, 0), 0, "frame: fault: none of those came");
	next_is(&fr, 106, false, 10, 6, "frame: fault: the same piece again");
	fr.hdr.len = 100;
	ok_eq(xs_user_frame_took(&fr, 6), XS_USER_FRAME_HDR, "frame: fault: then the header whole");
	next_is(&fr, 100, true, 0, 100, "frame: fault: the body");
	ok_eq(xs_user_frame_took(&fr, 40), 0, "frame: fault: 40 of the body came");
	next_is(&fr, 60, true, 40, 60, "frame: fault: the body resumes at 40");
	ok_eq(xs_user_frame_took(&fr, 0), 0, "frame: fault: none of those came");
	ok(fr.have == 56 && !xs_user_frame_whole(&fr), "frame: fault: 56 bytes, not whole");

	ok(xfd_write(&d, m, 116, 0, false) == -EFAULT && d.fr.have == 0 && d.pieces == 1,
	   "frame: fault: at the first byte, -EFAULT and nothing taken");
	ok(xfd_write(&d, m, 116, 10, false) == 10 && d.fr.have == 10 && !d.hdrs,
	   "frame: fault: at byte 10, 10 taken");
	ok(xfd_write(&d, m + 10, 106, 0, false) == -EFAULT && d.fr.have == 10,
	   "frame: fault: at the first byte of the next write(), nothing taken");
	ok(xfd_write(&d, m + 10, 106, 6, false) == 6 && d.fr.have == 16 && d.hdrs == 1 && d.body,
	   "frame: fault: at the body's first byte, the header whole");
	ok(xfd_write(&d, m + 16, 100, 50, false) == 50 && d.fr.have == 66,
	   "frame: fault: at body byte 50, 50 taken");
	ok(xfd_write(&d, m + 66, 70, 60, false) == 70 && d.hdrs == 1 && dev_take(&d, m),
	   "frame: fault: after the message, never read: the whole length, same message");
	ok(xfd_write(&d, m, 116, 115, false) == 115 && !xs_user_frame_whole(&d.fr) &&
	   xfd_write(&d, m + 115, 1, SIZE_MAX, false) == 1 && dev_take(&d, m),
	   "frame: fault: at the last byte, then the last byte alone");
	free(m);
}

static void test_frame_nomem(void)
{
	struct xs_frame_dev d = { 0 };
	u8 *m = frame_msg(100, 0);

	ok(xfd_write(&d, m, 116, SIZE_MAX, true) == -ENOMEM && d.fr.have == 0 && !d.body &&
	   d.hdrs == 1, "frame: nomem: the write() of the header fails, nothing taken");
	ok(xfd_write(&d, m, 116, SIZE_MAX, false) == 116 && dev_take(&d, m),
	   "frame: nomem: the write() again, the same message");

	d = (struct xs_frame_dev){ 0 };
	ok(xfd_write(&d, m, 5, SIZE_MAX, false) == 5, "frame: nomem: 5 header bytes");
	ok(xfd_write(&d, m + 5, 111, SIZE_MAX, true) == -ENOMEM && d.fr.have == 5,
	   "frame: nomem: the rest fails, back to the 5 from before");
	next_is(&d.fr, 111, false, 5, 11, "frame: nomem: the header resumes at 5");
	ok(xfd_write(&d, m + 5, 111, SIZE_MAX, false) == 111 && dev_take(&d, m),
	   "frame: nomem: the rest again, the same message");
	free(m);
}

static void test_frame_reset(void)
{
	struct xs_frame_dev d = { 0 };
	u8 *m = frame_msg(100, 0), *e = frame_msg(0, 0);

	ok(xfd_write(&d, m, 50, SIZE_MAX, false) == 50, "frame: reset: 50 bytes of a message");
	xfd_drop(&d);
	ok(d.fr.have == 0 && !xs_user_frame_whole(&d.fr),
	   "frame: reset: mid-body, back to nothing");
	next_is(&d.fr, 116, false, 0, 16, "frame: reset: a header asked for again");
	ok(xfd_write(&d, m, 116, SIZE_MAX, false) == 116 && dev_take(&d, m),
	   "frame: reset: the next message whole");

	ok(xfd_write(&d, e, 16, SIZE_MAX, false) == 16 && xs_user_frame_whole(&d.fr),
	   "frame: reset: a message with no body, whole");
	xs_user_frame_reset(&d.fr);
	ok(!xs_user_frame_whole(&d.fr) && d.fr.hdr.len == 0,
	   "frame: reset: not whole after, its header's len 0 notwithstanding");
	xfd_drop(&d);

	ok(xfd_write(&d, m, 60, SIZE_MAX, false) == 60 &&
	   xfd_write(&d, m, 4097, SIZE_MAX, false) == -EINVAL && d.fr.have == 0 && !d.body,
	   "frame: reset: a write() of 4097 drops the message");
	ok(xfd_write(&d, m, 116, SIZE_MAX, false) == 116 && dev_take(&d, m),
	   "frame: reset: the next message after -EINVAL");
	free(m);
	free(e);
}

static void test_frame(void)
{
	test_frame_steps();
	test_frame_writes();
	test_frame_empty_body();
	test_frame_big_body();
	test_frame_admit();
	test_frame_next();
	test_frame_fault();
	test_frame_nomem();
	test_frame_reset();
}

int main(void)
{
	tap_start();
	test_tx_id();
	test_reply_type();
	test_token_make();
	test_token_parse();
	test_dir();
	test_dir_large();
	test_join();
	test_classify_watch();
	test_classify_other();
	test_classify_agrees();
	test_frame();
	return tap_done();
}
