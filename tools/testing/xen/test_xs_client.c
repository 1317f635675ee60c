// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of drivers/xen/xenbus/xs_client_proto.c: transaction ids
 * and directory lists in xenstored's replies, a reply's type against its
 * request's, the watch tokens the kernel makes and reads back, the
 * length of a joined path, and the parts of the messages a process
 * writes into /dev/xen/xenbus.
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
	return tap_done();
}
