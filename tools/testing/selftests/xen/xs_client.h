/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal xenstore client for the Xen selftests.
 *
 * Requests in the xenstore wire format are written to /dev/xen/xenbus,
 * one complete message per write(), and answers are read back from the
 * same file.  Watch events may arrive at any time, also between a request
 * and its answer, so they are kept in a small queue until a test waits
 * for them.
 */
#ifndef XEN_SELFTEST_XS_CLIENT_H
#define XEN_SELFTEST_XS_CLIENT_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen_common.h"

#define XS_DEV_PATH		"/dev/xen/xenbus"

/* Message types of the xenstore wire protocol. */
#define XS_DIRECTORY		1
#define XS_READ			2
#define XS_WATCH		4
#define XS_UNWATCH		5
#define XS_TRANSACTION_START	6
#define XS_TRANSACTION_END	7
#define XS_WRITE		11
#define XS_RM			13
#define XS_WATCH_EVENT		15
#define XS_ERROR		16

/* Largest message body the protocol allows. */
#define XS_BODY_MAX		4096
/* How long to wait for xenstored to answer a request. */
#define XS_TIMEOUT_MS		5000
/* Watch events that can be held back while waiting for a reply. */
#define XS_QUEUE_LEN		8

struct xs_hdr {
	__u32 type;
	__u32 req_id;
	__u32 tx_id;
	__u32 len;
};

struct xs_event {
	__u32 len;
	char body[XS_BODY_MAX + 1];
};

struct xs_conn {
	int fd;
	__u32 last_req_id;
	/* Type, length and body (NUL terminated) of the latest reply. */
	__u32 reply_type;
	__u32 reply_len;
	char reply[XS_BODY_MAX + 1];
	/* Watch events received but not consumed yet. */
	unsigned int nr_events;
	struct xs_event events[XS_QUEUE_LEN];
};

static inline struct xs_conn *xs_open(void)
{
	struct xs_conn *c;
	int err;

	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;

	c->fd = open(XS_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (c->fd < 0) {
		err = errno;
		free(c);
		errno = err;
		return NULL;
	}

	return c;
}

static inline void xs_close(struct xs_conn *c)
{
	if (!c)
		return;
	close(c->fd);
	free(c);
}

/* Translate the error name carried by an XS_ERROR reply to -errno. */
static inline int xs_error_to_errno(const char *name)
{
	static const struct {
		const char *name;
		int err;
	} names[] = {
		{ "EINVAL", EINVAL },	{ "EACCES", EACCES },
		{ "EEXIST", EEXIST },	{ "EISDIR", EISDIR },
		{ "ENOENT", ENOENT },	{ "ENOMEM", ENOMEM },
		{ "ENOSPC", ENOSPC },	{ "EIO", EIO },
		{ "ENOTEMPTY", ENOTEMPTY }, { "EROFS", EROFS },
		{ "EBUSY", EBUSY },
		{ "EAGAIN", EAGAIN },	{ "EISCONN", EISCONN },
		{ "E2BIG", E2BIG },	{ "EPERM", EPERM },
		{ "EQUOTA", EDQUOT },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(names[i].name, name))
			return -names[i].err;

	return -EIO;
}

/* Read exactly @len bytes, giving up at @deadline (monotonic ms). */
static inline int xs_read_exact(int fd, void *buf, size_t len,
				long long deadline)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int ret;

		ret = poll(&pfd, 1, xen_ms_left(deadline));
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (ret == 0)
			return -ETIMEDOUT;

		n = read(fd, p, len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;

		p += n;
		len -= n;
	}

	return 0;
}

/*
 * Receive one message.  @timeout_ms bounds the wait for its start; once
 * a header is in, the body follows it immediately.
 */
static inline int xs_recv(struct xs_conn *c, struct xs_hdr *hdr, char *body,
			  int timeout_ms)
{
	int ret;

	ret = xs_read_exact(c->fd, hdr, sizeof(*hdr),
			    xen_now_ms() + timeout_ms);
	if (ret)
		return ret;
	if (hdr->len > XS_BODY_MAX)
		return -EPROTO;

	ret = xs_read_exact(c->fd, body, hdr->len,
			    xen_now_ms() + XS_TIMEOUT_MS);
	if (ret)
		return ret;
	body[hdr->len] = '\0';

	return 0;
}

static inline int xs_queue_event(struct xs_conn *c, const char *body,
				 __u32 len)
{
	struct xs_event *ev;

	if (c->nr_events == XS_QUEUE_LEN)
		return -ENOBUFS;

	ev = &c->events[c->nr_events++];
	memcpy(ev->body, body, len);
	ev->body[len] = '\0';
	ev->len = len;

	return 0;
}

/*
 * Send one request and wait for its reply, queueing watch events that
 * turn up in between.  The reply is left in c->reply.  Returns 0, the
 * negated errno named by an XS_ERROR reply, or another negative errno.
 */
static inline int xs_request(struct xs_conn *c, __u32 type,
			     __u32 tx_id, const void *body, size_t len)
{
	struct {
		struct xs_hdr hdr;
		char body[XS_BODY_MAX];
	} msg;
	struct xs_hdr reply;
	size_t total;
	ssize_t n;
	int ret;

	if (len > XS_BODY_MAX)
		return -E2BIG;

	msg.hdr.type = type;
	msg.hdr.req_id = ++c->last_req_id;
	msg.hdr.tx_id = tx_id;
	msg.hdr.len = len;
	memcpy(msg.body, body, len);
	total = sizeof(msg.hdr) + len;

	n = write(c->fd, &msg, total);
	if (n < 0)
		return -errno;
	if ((size_t)n != total)
		return -EIO;

	for (;;) {
		ret = xs_recv(c, &reply, c->reply, XS_TIMEOUT_MS);
		if (ret)
			return ret;
		if (reply.type != XS_WATCH_EVENT)
			break;
		ret = xs_queue_event(c, c->reply, reply.len);
		if (ret)
			return ret;
	}

	c->reply_type = reply.type;
	c->reply_len = reply.len;

	if (reply.req_id != msg.hdr.req_id)
		return -EPROTO;
	if (reply.type == XS_ERROR)
		return xs_error_to_errno(c->reply);
	if (reply.type != type)
		return -EPROTO;

	return 0;
}

/*
 * Build "<first>\0<second>" in @buf, with a NUL after @second too when
 * @second_nul is set.  Returns the length or -E2BIG.
 */
static inline int xs_pack2(char *buf, const char *first, const char *second,
			   bool second_nul)
{
	size_t l1 = strlen(first) + 1;
	size_t l2 = strlen(second) + (second_nul ? 1 : 0);

	if (l1 + l2 > XS_BODY_MAX)
		return -E2BIG;

	memcpy(buf, first, l1);
	memcpy(buf + l1, second, l2);

	return (int)(l1 + l2);
}

/* Read @path into @val (NUL terminated).  Returns its length or -errno. */
static inline int xs_read(struct xs_conn *c, __u32 tx, const char *path,
			  char *val, size_t size)
{
	int ret;

	ret = xs_request(c, XS_READ, tx, path, strlen(path) + 1);
	if (ret)
		return ret;
	if (c->reply_len >= size)
		return -E2BIG;

	memcpy(val, c->reply, c->reply_len);
	val[c->reply_len] = '\0';

	return (int)c->reply_len;
}

static inline int xs_write(struct xs_conn *c, __u32 tx, const char *path,
			   const char *val)
{
	char buf[XS_BODY_MAX];
	int len;

	len = xs_pack2(buf, path, val, false);
	if (len < 0)
		return len;

	return xs_request(c, XS_WRITE, tx, buf, len);
}

static inline int xs_rm(struct xs_conn *c, __u32 tx, const char *path)
{
	return xs_request(c, XS_RM, tx, path, strlen(path) + 1);
}

/* List the children of @path; the names are left in c->reply. */
static inline int xs_directory(struct xs_conn *c, __u32 tx,
			       const char *path)
{
	return xs_request(c, XS_DIRECTORY, tx, path, strlen(path) + 1);
}

/* Number of names in the last directory reply. */
static inline unsigned int xs_dir_count(const struct xs_conn *c)
{
	unsigned int i, count = 0;

	for (i = 0; i < c->reply_len; i++)
		if (c->reply[i] == '\0')
			count++;

	return count;
}

/* Whether @name is one of the names in the last directory reply. */
static inline bool xs_dir_has(const struct xs_conn *c, const char *name)
{
	unsigned int pos = 0;

	while (pos < c->reply_len) {
		const char *entry = c->reply + pos;

		if (!strcmp(entry, name))
			return true;
		pos += strlen(entry) + 1;
	}

	return false;
}

/* XS_WATCH or XS_UNWATCH: both carry "<path>\0<token>\0". */
static inline int xs_watch_op(struct xs_conn *c, __u32 type, const char *path,
			      const char *token)
{
	char buf[XS_BODY_MAX];
	int len;

	len = xs_pack2(buf, path, token, true);
	if (len < 0)
		return len;

	return xs_request(c, type, 0, buf, len);
}

static inline int xs_watch(struct xs_conn *c, const char *path,
			   const char *token)
{
	return xs_watch_op(c, XS_WATCH, path, token);
}

static inline int xs_unwatch(struct xs_conn *c, const char *path,
			     const char *token)
{
	return xs_watch_op(c, XS_UNWATCH, path, token);
}

static inline int xs_transaction_start(struct xs_conn *c, __u32 *tx)
{
	unsigned long long id;
	int ret;

	ret = xs_request(c, XS_TRANSACTION_START, 0, "", 1);
	if (ret)
		return ret;
	if (xen_parse_ull(c->reply, 10, &id) || id == 0 || id > UINT32_MAX)
		return -EPROTO;

	*tx = (__u32)id;

	return 0;
}

static inline int xs_transaction_end(struct xs_conn *c, __u32 tx,
				     bool commit)
{
	return xs_request(c, XS_TRANSACTION_END, tx, commit ? "T" : "F", 2);
}

/* Whether a watch event body "<path>\0<token>\0" matches. */
static inline bool xs_event_matches(const char *body, __u32 len,
				    const char *path, const char *token)
{
	size_t plen = strnlen(body, len);

	if (plen >= len)
		return false;

	return !strcmp(body, path) && !strcmp(body + plen + 1, token);
}

/*
 * Wait up to @timeout_ms for a watch event for @path and @token and
 * consume it.  Other events are queued.  Returns 0 or -ETIMEDOUT (or
 * another negative errno when the connection misbehaves).
 */
static inline int xs_wait_watch(struct xs_conn *c, const char *path,
				const char *token, int timeout_ms)
{
	long long deadline = xen_now_ms() + timeout_ms;
	struct xs_hdr hdr;
	unsigned int i;
	int ret;

	for (i = 0; i < c->nr_events; i++) {
		struct xs_event *ev = &c->events[i];

		if (!xs_event_matches(ev->body, ev->len, path, token))
			continue;
		c->nr_events--;
		memmove(ev, ev + 1, (c->nr_events - i) * sizeof(*ev));
		return 0;
	}

	for (;;) {
		ret = xs_recv(c, &hdr, c->reply, xen_ms_left(deadline));
		if (ret)
			return ret;
		if (hdr.type != XS_WATCH_EVENT)
			return -EPROTO;
		if (xs_event_matches(c->reply, hdr.len, path, token))
			return 0;
		ret = xs_queue_event(c, c->reply, hdr.len);
		if (ret)
			return ret;
	}
}

/* Domain id of the domain we run in, from the relative key "domid". */
static inline int xs_get_domid(struct xs_conn *c, unsigned int *domid)
{
	unsigned long long val;
	char buf[32];
	int ret;

	ret = xs_read(c, 0, "domid", buf, sizeof(buf));
	if (ret < 0)
		return ret;
	if (xen_parse_ull(buf, 10, &val) || val >= XEN_DOMID_FIRST_RESERVED)
		return -ERANGE;

	*domid = (unsigned int)val;

	return 0;
}

/* Same as xs_get_domid() on a connection of its own. */
static inline int xen_own_domid(unsigned int *domid)
{
	struct xs_conn *c;
	int ret;

	c = xs_open();
	if (!c)
		return -errno;

	ret = xs_get_domid(c, domid);
	xs_close(c);

	return ret;
}

/*
 * Common set-up of the tests of a /dev/xen device: Xen must be running,
 * every node of the NULL-terminated @devs must exist, and xenstore must
 * tell our domid.  Returns the reason to skip the test, or NULL with
 * *@domid read and *@err set to 0 or -errno.
 */
static inline const char *xen_dev_setup(const char *const *devs,
					unsigned int *domid, int *err)
{
	static char why[128];

	*err = 0;
	if (!xen_is_running())
		return "not running on Xen";
	for (; *devs; devs++) {
		if (!xen_path_exists(*devs)) {
			snprintf(why, sizeof(why), "%s not present", *devs);
			return why;
		}
	}

	*err = xen_own_domid(domid);
	if (*err == -ETIMEDOUT)
		return "xenstore does not answer";

	return NULL;
}

#endif /* XEN_SELFTEST_XS_CLIENT_H */
