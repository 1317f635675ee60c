// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore client's message rules against any reply body xenstored
 * may send and any message a process may write into /dev/xen/xenbus.
 *
 * Input: a (u32), b (u32), id (u64), dir_len (u16), node_len (u16),
 * max (u8), then the body: the rest of the input, in a heap block of
 * exactly its size.  Every parser of xs_client_proto.c runs on it and
 * each result is compared with a model written as a plain scan:
 *
 *   xs_tx_id_parse()        the body, and its first 11 bytes
 *   xs_watch_token_make()   id: 16 lower-case digits that parse back to
 *                           id, in a block of exactly 17 bytes
 *   xs_watch_token_parse()  the body as a string (a NUL appended):
 *                           accepted only if make(parse(s)) is s again
 *   xs_dir_split()          the body with max entries, and with as many
 *                           as it could need: the names lie inside the
 *                           body, back to back, each non-empty and ending
 *                           with its own NUL, entries past the count and
 *                           every entry on failure left alone
 *   xs_path_join_len()      a directory of dir_len % 8192 bytes and a
 *                           node of node_len % 4096, made of body bytes
 *                           (NULs included, so strings may be shorter);
 *                           with a odd and dir_len over the limit, the
 *                           directory is a block of exactly
 *                           XENSTORE_ABS_PATH_MAX + 1 bytes with no NUL
 *   xs_reply_type_check()   a and b, and both modulo 32
 *   xs_user_classify()      type a (modulo 32 below 256) and tx_id b on
 *                           the body; then on a zero-filled body of
 *                           id % 8192 bytes; path and token inside the
 *                           body, and every failure of xs_user_check()
 *                           returned as it is
 */
#include <errno.h>
#include <stdint.h>
#include <linux/kernel.h>
#include "drivers/xen/xenbus/xs_client_proto.h"
#include "drivers/xen/xenbus/xs_proto.h"
#include "fuzz.h"

/* What the entries of a names array hold before a call. */
static const char unset_mark[] = "unset";

/* The first NUL in B[0..LEN), or LEN if none. */
static size_t scan_nul(const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len && b[i]; i++)
		;
	return i;
}

/* ---- transaction ids -------------------------------------------------- */

static void check_tx(const char *b, size_t len)
{
	u32 id = 0xdeadbeef;
	int r = xs_tx_id_parse(b, len, &id);
	size_t n = len, i, first;
	u64 want = 0;
	bool good;

	if (n && !b[n - 1])
		n--;
	good = n > 0;
	for (i = 0; i < n; i++)
		good &= b[i] >= '0' && b[i] <= '9';
	if (good) {
		/* Leading zeros do not count towards the ten digits of U32_MAX. */
		for (first = 0; first < n && b[first] == '0'; first++)
			;
		good = n - first <= 10;
		for (i = first; good && i < n; i++)
			want = want * 10 + (u64)(b[i] - '0');
		good &= want >= 1 && want <= U32_MAX;
	}
	if (good)
		FZ_ASSERT(r == 0 && id == want);
	else
		FZ_ASSERT(r == -EPROTO && id == 0);
}

/* ---- watch tokens ----------------------------------------------------- */

static bool is_token_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static void check_token_make(u64 id)
{
	char *t = malloc(XS_WATCH_TOKEN_LEN);
	u64 back = ~id;
	int i;

	FZ_ASSERT(t);
	xs_watch_token_make(t, id);
	for (i = 0; i < XS_WATCH_TOKEN_LEN - 1; i++)
		FZ_ASSERT(is_token_digit(t[i]));
	FZ_ASSERT(!t[XS_WATCH_TOKEN_LEN - 1]);
	FZ_ASSERT(xs_watch_token_parse(t, &back) == 0 && back == id);
	free(t);
}

static void check_token_parse(const char *b, size_t len)
{
	char *s = malloc(len + 1), again[XS_WATCH_TOKEN_LEN];
	u64 id = 0xdeadbeef;
	bool good;
	size_t i, n;
	int r;

	FZ_ASSERT(s);
	memcpy(s, b, len);
	s[len] = '\0';
	r = xs_watch_token_parse(s, &id);
	n = strlen(s);
	good = n == XS_WATCH_TOKEN_LEN - 1;
	for (i = 0; good && i < n; i++)
		good = is_token_digit(s[i]);
	if (good) {
		FZ_ASSERT(r == 0 && id == strtoull(s, NULL, 16));
		/* Only the canonical form is accepted. */
		xs_watch_token_make(again, id);
		FZ_ASSERT(!strcmp(again, s));
	} else {
		FZ_ASSERT(r == -EINVAL && id == 0);
	}
	free(s);
}

/* ---- directories ------------------------------------------------------ */

static void check_dir_max(const char *b, size_t len, unsigned int max)
{
	const char **names = malloc((max + 1) * sizeof(*names));
	size_t i, n, at, count = 0;
	bool good = true;
	int r;

	FZ_ASSERT(names);
	for (i = 0; i <= max; i++)
		names[i] = unset_mark;
	r = xs_dir_split(b, len, names, max);

	/* The model: non-empty names, each with its NUL, up to len. */
	for (at = 0; good && at < len; at += n + 1) {
		n = scan_nul(b + at, len - at);
		good = n > 0 && n < len - at;
		count++;
	}
	if (!good || count > max) {
		FZ_ASSERT(r == (good ? -E2BIG : -EPROTO));
		for (i = 0; i <= max; i++)
			FZ_ASSERT(names[i] == unset_mark);
		free(names);
		return;
	}
	FZ_ASSERT(r >= 0 && (size_t)r == count);
	for (i = 0, at = 0; i < count; i++) {
		FZ_ASSERT(names[i] == b + at);
		n = scan_nul(names[i], len - at);
		FZ_ASSERT(n > 0 && at + n < len && !names[i][n]);
		at += n + 1;
	}
	FZ_ASSERT(at == len);
	for (; i <= max; i++)
		FZ_ASSERT(names[i] == unset_mark);
	free(names);
}

static void check_dir(const char *b, size_t len, unsigned int max)
{
	check_dir_max(b, len, max);
	/* Never more than len / 2 names: with that many, never -E2BIG. */
	check_dir_max(b, len, len / 2);
}

/* ---- paths ------------------------------------------------------------ */

/* A string of N bytes taken from B (cycled, 'x' if empty) and a NUL. */
static char *make_str(const char *b, size_t len, size_t n)
{
	char *s = malloc(n + 1);
	size_t i;

	FZ_ASSERT(s);
	for (i = 0; i < n; i++)
		s[i] = len ? b[i % len] : 'x';
	s[n] = '\0';
	return s;
}

static void check_join(const char *b, size_t len, u32 a, size_t dir_len,
		       size_t node_len)
{
	char *dir, *node = make_str(b, len, node_len);
	size_t want;
	int r;

	if ((a & 1) && dir_len > XENSTORE_ABS_PATH_MAX) {
		/* No NUL within the bound: nothing past it may be read. */
		dir = malloc(XENSTORE_ABS_PATH_MAX + 1);
		FZ_ASSERT(dir);
		memset(dir, 'u', XENSTORE_ABS_PATH_MAX + 1);
		FZ_ASSERT(xs_path_join_len(dir, node) == -E2BIG);
		free(dir);
		free(node);
		return;
	}
	dir = make_str(b, len, dir_len);
	r = xs_path_join_len(dir, node);
	want = strlen(dir) + (*node ? 1 + strlen(node) : 0);
	if (want > XENSTORE_ABS_PATH_MAX)
		FZ_ASSERT(r == -E2BIG);
	else
		FZ_ASSERT(r >= 0 && (size_t)r == want);
	free(dir);
	free(node);
}

/* ---- reply types ------------------------------------------------------ */

static void check_type(u32 sent, u32 got)
{
	int r = xs_reply_type_check(sent, got);

	FZ_ASSERT(r == ((got == sent || got == XS_ERROR) ? 0 : -EPROTO));
}

/* ---- /dev/xen/xenbus -------------------------------------------------- */

static void check_classify(u32 type, u32 tx_id, const char *b, u32 len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = 1, .tx_id = tx_id, .len = len };
	struct xs_user_msg m = {
		.type = ~type, .tx_id = ~tx_id,
		.path = unset_mark, .token = unset_mark,
	};
	int r = xs_user_classify(&h, b, &m), check = xs_user_check(&h, b), want;
	size_t p = 0, t = 0;

	FZ_ASSERT(m.type == type && m.tx_id == tx_id);
	if (len > XS_USER_BODY_MAX) {
		want = -E2BIG;
	} else if (type == XS_WATCH || type == XS_UNWATCH) {
		p = scan_nul(b, len);
		if (p < len)
			t = scan_nul(b + p + 1, len - p - 1);
		/* A non-empty path; the token may be empty. */
		want = (p > 0 && p < len && t < len - p - 1 &&
			t <= XS_USER_TOKEN_MAX) ? 0 : -EINVAL;
	} else if (type == XS_TRANSACTION_END) {
		want = (len == 2 && (b[0] == 'T' || b[0] == 'F') && !b[1]) ? 0 : -EINVAL;
	} else if (type == XS_READ || type == XS_DIRECTORY ||
		   type == XS_GET_PERMS || type == XS_MKDIR || type == XS_RM) {
		/* One path: its NUL is the first and the last byte. */
		want = len && scan_nul(b, len) == len - 1 ? 0 : -EINVAL;
	} else if (type == XS_DIRECTORY_PART || type == XS_WRITE ||
		   type == XS_SET_PERMS) {
		/* A path first, with its NUL within len. */
		want = scan_nul(b, len) < len ? 0 : -EINVAL;
	} else {
		want = 0;
	}
	FZ_ASSERT(r == want);
	/* xs_user_check()'s verdicts come through unchanged. */
	if (check)
		FZ_ASSERT(r == check);
	if (!r && (type == XS_WATCH || type == XS_UNWATCH)) {
		FZ_ASSERT(m.path == b && m.token == b + p + 1);
		FZ_ASSERT(!m.path[p] && !m.token[t] && m.token + t < b + len);
	} else {
		FZ_ASSERT(!m.path && !m.token);
	}
}

int fuzz_one_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { .p = data, .left = size };
	u32 a = fz_u32(&in), b = fz_u32(&in);
	u64 id = fz_u64(&in);
	size_t dir_len = fz_u16(&in) % 8192, node_len = fz_u16(&in) % 4096;
	unsigned int max = fz_u8(&in);
	size_t len = in.left;
	char *body = malloc(len ? len : 1);
	u32 type = a < 0x100 ? a % 32 : a;

	FZ_ASSERT(body);
	fz_bytes(&in, body, len);

	check_tx(body, len);
	check_tx(body, len < 11 ? len : 11);
	check_token_make(id);
	check_token_parse(body, len);
	check_dir(body, len, max);
	check_join(body, len, a, dir_len, node_len);
	check_type(a, b);
	check_type(a % 32, b % 32);
	check_classify(type, b, body, len);
	{
		/* The header's own length, on a zero-filled body that long. */
		u32 hlen = id % 8192;
		char *hb = calloc(hlen ? hlen : 1, 1);

		FZ_ASSERT(hb);
		memcpy(hb, body, len < hlen ? len : hlen);
		check_classify(XS_WATCH + (a & 1), b, hb, hlen);
		free(hb);
	}
	free(body);
	return 0;
}
