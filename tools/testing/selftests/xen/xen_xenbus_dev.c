// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/xen/xenbus at the level of raw messages: the framing of what a
 * process writes (partial writes, oversized and malformed messages), the
 * replies' req_id and tx_id, transactions tracked per file, watches that
 * belong to the file and the shape of their events, the per-file bounds
 * with the counters fdinfo shows, and what a close leaves behind (in
 * xenstored's own counts where it tells them).
 *
 * Every key lives below /local/domain/<domid>/data/xbdev-<pid>, which a
 * domain may write in dom0 and in a guest alike.  The bounds are those of
 * drivers/xen/xenbus/xenbus_dev_frontend.c; in a guest, xenstored's own
 * quotas on watches and transactions may come first, with the same
 * errors, and the tests allow for that.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen_common.h"
#include "xs_client.h"

/* XS_CONTROL in C xenstored, XS_DEBUG in oxenstored. */
#define XS_CONTROL		0
#define XS_GET_DOMAIN_PATH	10
#define XS_RESET_WATCHES	21
/* No xenstore message has this type. */
#define XS_TYPE_BOGUS		999
/* The header and body of one message the device buffers, at most. */
#define XS_PAYLOAD_MAX		4096
#define XS_HDR_SIZE		((unsigned int)sizeof(struct xs_hdr))
/* The longest body the device takes: the header counts against 4096. */
#define XS_USER_BODY_MAX	(XS_PAYLOAD_MAX - XS_HDR_SIZE)
/* drivers/xen/xenbus/xs_client_proto.h: XS_USER_TOKEN_MAX. */
#define XS_USER_TOKEN_MAX	256

/* The device's per-file bounds. */
#define BOUND_INFLIGHT		128
#define BOUND_QUEUED		(256 * 1024)
#define BOUND_WATCHES		1024
/* Registrations bound_watches asks for from one file, in all. */
#define MANY_WATCHES		10000
#define BOUND_TRANSACTIONS	64

#define PATH_LEN		256
/* Quiet period that shows that no (further) message arrives. */
#define QUIET_MS		500
/* Attempts for transactions that xenstored asks to repeat (EAGAIN). */
#define TX_ATTEMPTS		5
/* For the tests that go through a bound one request at a time. */
#define SLOW_TIMEOUT_S		240
/*
 * How long a closed file's leftovers may take to go: the device cleans
 * up from a work item, which a loaded guest may run late.
 */
#define CLEANUP_TIMEOUT_MS	30000

struct msg {
	struct xs_hdr hdr;
	char body[XS_BODY_MAX + 1];
};

static long fdinfo_counter(int fd, const char *name);

FIXTURE(xbdev) {
	int fd;
	unsigned int domid;
	char base[PATH_LEN];
	char path[PATH_LEN];
	__u32 req_id;
	struct msg m;
	bool ours;
};

/*
 * The cases that hold a kernel to our /dev/xen/xenbus's own rules (its
 * fdinfo counters and per-file bounds, and its replies to malformed
 * messages) skip on upstream's, which a stock guest runs.
 */
#define OURS_WHY \
	"upstream's /dev/xen/xenbus: no fdinfo counters, bounds or replies to malformed messages"

FIXTURE_SETUP(xbdev)
{
	static const char *const devs[] = { XS_DEV_PATH, NULL };
	const char *why;
	int ret;

	self->fd = -1;
	why = xen_dev_setup(devs, &self->domid, &ret);
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret) {
		TH_LOG("reading our domid: %s", strerror(-ret));
	}
	ASSERT_EQ(0, xen_fmt(self->base, sizeof(self->base),
			     "/local/domain/%u/data/xbdev-%d", self->domid,
			     getpid()));
	self->fd = open(XS_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", XS_DEV_PATH, strerror(errno));
	}
	self->req_id = 0x100;
	/* Our /dev/xen/xenbus shows its counters in fdinfo; upstream's not. */
	self->ours = fdinfo_counter(self->fd, "xenbus-inflight") >= 0;
}

FIXTURE_TEARDOWN(xbdev)
{
	struct xs_conn *c;

	if (self->fd < 0)
		return;
	close(self->fd);
	c = xs_open();
	if (c) {
		xs_rm(c, 0, self->base);
		xs_close(c);
	}
}

/* <base>/<name> in @path (PATH_LEN bytes); "" if it does not fit. */
static void key(char *path, const char *base, const char *name)
{
	if (xen_fmt(path, PATH_LEN, "%s/%s", base, name))
		path[0] = '\0';
}

/* One message, in one write(): 0 or -errno. */
static int raw_send(int fd, __u32 type, __u32 req_id, __u32 tx_id,
		    const void *body, size_t len)
{
	struct {
		struct xs_hdr hdr;
		char body[XS_PAYLOAD_MAX];
	} m;
	size_t total = sizeof(m.hdr) + len;
	ssize_t n;

	if (len > sizeof(m.body))
		return -E2BIG;
	m.hdr.type = type;
	m.hdr.req_id = req_id;
	m.hdr.tx_id = tx_id;
	m.hdr.len = len;
	memcpy(m.body, body, len);
	n = write(fd, &m, total);
	if (n < 0)
		return -errno;
	return (size_t)n == total ? 0 : -EIO;
}

/* A path, with its NUL, as the body of a request. */
static int raw_send_path(int fd, __u32 type, __u32 req_id, __u32 tx_id,
			 const char *path)
{
	return raw_send(fd, type, req_id, tx_id, path, strlen(path) + 1);
}

/* "path\0value", the body of XS_WRITE. */
static int raw_send_write(int fd, __u32 req_id, __u32 tx_id,
			  const char *path, const char *val)
{
	char buf[XS_BODY_MAX];
	int len = xs_pack2(buf, path, val, false);

	return len < 0 ? len : raw_send(fd, XS_WRITE, req_id, tx_id, buf, len);
}

/* "path\0token\0", the body of XS_WATCH and XS_UNWATCH. */
static int raw_send_watch(int fd, __u32 type, __u32 req_id, const char *path,
			  const char *token)
{
	char buf[XS_BODY_MAX];
	int len = xs_pack2(buf, path, token, true);

	return len < 0 ? len : raw_send(fd, type, req_id, 0, buf, len);
}

/* The next message, whatever it is; its body NUL-terminated. */
static int raw_recv(int fd, struct msg *m, int timeout_ms)
{
	int ret;

	ret = xs_read_exact(fd, &m->hdr, sizeof(m->hdr),
			    xen_now_ms() + timeout_ms);
	if (ret)
		return ret;
	if (m->hdr.len > XS_BODY_MAX)
		return -EPROTO;
	ret = xs_read_exact(fd, m->body, m->hdr.len,
			    xen_now_ms() + XS_TIMEOUT_MS);
	if (ret)
		return ret;
	m->body[m->hdr.len] = '\0';
	return 0;
}

/* The next message that is no watch event; *@events counts the others. */
static int raw_reply(int fd, struct msg *m, unsigned int *events)
{
	int ret;

	for (;;) {
		ret = raw_recv(fd, m, XS_TIMEOUT_MS);
		if (ret || m->hdr.type != XS_WATCH_EVENT)
			return ret;
		if (events)
			(*events)++;
	}
}

/* Whether @m is the reply @type with body @text and its NUL. */
static bool is_reply(const struct msg *m, __u32 type, __u32 req_id,
		     const char *text)
{
	return m->hdr.type == type && m->hdr.req_id == req_id &&
	       m->hdr.len == strlen(text) + 1 && !strcmp(m->body, text);
}

/* Whether nothing arrives for @ms milliseconds. */
static bool quiet(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, ms) == 0;
}

/* A counter from /proc/self/fdinfo/<fd>, or -1 if it is not there. */
static long fdinfo_counter(int fd, const char *name)
{
	size_t len = strlen(name);
	char path[64], line[256];
	long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, name, len) && line[len] == ':') {
			val = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Waits until no request of @fd is in flight: 0 or -ETIMEDOUT. */
static int settle(int fd)
{
	long long deadline = xen_now_ms() + XS_TIMEOUT_MS;

	while (fdinfo_counter(fd, "xenbus-inflight") != 0) {
		if (!xen_ms_left(deadline))
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

/* XS_TRANSACTION_START on @fd: the id, or 0 with the error in *@err. */
static __u32 tx_start(int fd, __u32 req_id, struct msg *m, int *err)
{
	unsigned long long id;

	*err = raw_send(fd, XS_TRANSACTION_START, req_id, 0, "", 1);
	if (!*err)
		*err = raw_reply(fd, m, NULL);
	if (*err)
		return 0;
	if (m->hdr.type == XS_ERROR) {
		*err = xs_error_to_errno(m->body);
		return 0;
	}
	if (m->hdr.type != XS_TRANSACTION_START || m->hdr.req_id != req_id ||
	    xen_parse_ull(m->body, 10, &id) || !id || id > UINT32_MAX) {
		*err = -EPROTO;
		return 0;
	}
	return (__u32)id;
}

/* XS_TRANSACTION_END: 0, or the error the reply names. */
static int tx_end(int fd, __u32 req_id, __u32 tx, bool commit,
		  struct msg *m)
{
	int ret;

	ret = raw_send(fd, XS_TRANSACTION_END, req_id, tx, commit ? "T" : "F",
		       2);
	if (!ret)
		ret = raw_reply(fd, m, NULL);
	if (ret)
		return ret;
	if (m->hdr.type == XS_ERROR)
		return xs_error_to_errno(m->body);
	return is_reply(m, XS_TRANSACTION_END, req_id, "OK") ? 0 : -EPROTO;
}

TEST_F(xbdev, read_node)
{
	const char *val = "raw-value";
	__u32 id = ++self->req_id;

	key(self->path, self->base, "node");
	ASSERT_EQ(0, raw_send_write(self->fd, id, 0, self->path, val));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	ASSERT_TRUE(is_reply(&self->m, XS_WRITE, id, "OK")) {
		TH_LOG("write: type %u req_id %u body '%s'",
		       self->m.hdr.type, self->m.hdr.req_id, self->m.body);
	}

	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, id, 0, self->path));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_EQ(XS_READ, (int)self->m.hdr.type);
	EXPECT_EQ(id, self->m.hdr.req_id);
	EXPECT_EQ(0U, self->m.hdr.tx_id);
	/* A value comes without a NUL of its own. */
	ASSERT_EQ(strlen(val), self->m.hdr.len);
	EXPECT_EQ(0, memcmp(self->m.body, val, strlen(val)));
}

TEST_F(xbdev, req_id_echoed)
{
	/* Ids at the edges, on forwarded and on made-up replies alike. */
	static const __u32 ids[] = { 0xfffffffe, 0, 0x80000001, 0x12345678 };
	const __u32 bogus_tx = 0x7eadbeef;
	unsigned int i, j, seen = 0, forwarded = 0;
	char body[XS_BODY_MAX];
	int len;

	if (!self->ours)
		SKIP(return, "%s", OURS_WHY);

	key(self->path, self->base, "missing");
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, ids[0], 0,
				   self->path));
	ASSERT_EQ(0, raw_send_path(self->fd, XS_GET_DOMAIN_PATH, ids[1], 0,
				   "0"));
	len = xs_pack2(body, self->base, "no-such-watch", true);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, raw_send(self->fd, XS_UNWATCH, ids[2], 0, body, len));
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, ids[3], bogus_tx,
				   self->base));

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
		for (j = 0; j < ARRAY_SIZE(ids); j++)
			if (ids[j] == self->m.hdr.req_id && !(seen & 1U << j))
				break;
		ASSERT_LT(j, ARRAY_SIZE(ids)) {
			TH_LOG("reply with unknown req_id %#x",
			       self->m.hdr.req_id);
		}
		seen |= 1U << j;
		switch (j) {
		case 0:
			/* Replies from xenstored come in the order sent. */
			EXPECT_EQ(0U, forwarded++);
			EXPECT_TRUE(is_reply(&self->m, XS_ERROR, ids[0],
					     "ENOENT"));
			break;
		case 1:
			EXPECT_EQ(1U, forwarded++);
			EXPECT_EQ(XS_GET_DOMAIN_PATH, (int)self->m.hdr.type);
			EXPECT_STREQ("/local/domain/0", self->m.body);
			break;
		case 2:
			EXPECT_TRUE(is_reply(&self->m, XS_UNWATCH, ids[2],
					     "OK"));
			break;
		case 3:
			EXPECT_TRUE(is_reply(&self->m, XS_ERROR, ids[3],
					     "ENOENT"));
			EXPECT_EQ(bogus_tx, self->m.hdr.tx_id);
			break;
		}
	}
	EXPECT_EQ((1U << ARRAY_SIZE(ids)) - 1, seen);
	EXPECT_TRUE(quiet(self->fd, QUIET_MS));
}

TEST_F(xbdev, transaction)
{
	__u32 tx = 0, id;
	int attempt, ret = -EAGAIN;

	key(self->path, self->base, "tx");
	ASSERT_EQ(0, raw_send_write(self->fd, ++self->req_id, 0,
				    self->path, "before"));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	ASSERT_EQ(XS_WRITE, (int)self->m.hdr.type);

	for (attempt = 0; attempt < TX_ATTEMPTS && ret == -EAGAIN; attempt++) {
		tx = tx_start(self->fd, ++self->req_id, &self->m, &ret);
		ASSERT_NE(0U, tx) {
			TH_LOG("start: %s", strerror(-ret));
		}
		if (self->ours)
			EXPECT_EQ(1, fdinfo_counter(self->fd, "xenbus-transactions"));

		id = ++self->req_id;
		ASSERT_EQ(0, raw_send_write(self->fd, id, tx, self->path,
					    "inside"));
		ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
		ASSERT_TRUE(is_reply(&self->m, XS_WRITE, id, "OK"));
		EXPECT_EQ(tx, self->m.hdr.tx_id);

		/* Outside the transaction, the old value still. */
		ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, ++self->req_id,
					   0, self->path));
		ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
		EXPECT_STREQ("before", self->m.body);

		/* A malformed end leaves the transaction open. */
		id = ++self->req_id;
		ASSERT_EQ(0, raw_send(self->fd, XS_TRANSACTION_END, id, tx,
				      "X", 2));
		ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
		EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EINVAL"));
		if (self->ours)
			EXPECT_EQ(1, fdinfo_counter(self->fd, "xenbus-transactions"));

		ret = tx_end(self->fd, ++self->req_id, tx, true, &self->m);
	}
	ASSERT_EQ(0, ret);
	if (self->ours)
		EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-transactions"));

	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, ++self->req_id, 0,
				   self->path));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_STREQ("inside", self->m.body);

	/* Once ended, the id is the file's no more. */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, id, tx, self->path));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "ENOENT"));
}

TEST_F(xbdev, watch_event_shape)
{
	char token[64], expect[PATH_LEN + 64];
	bool got_ok = false, got_event = false;
	size_t elen;
	__u32 id;
	int fd2, i;

	snprintf(token, sizeof(token), "tok-%d", getpid());
	key(self->path, self->base, "watched");
	ASSERT_EQ(0, raw_send_write(self->fd, ++self->req_id, 0,
				    self->path, "0"));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	elen = xs_pack2(expect, self->path, token, true);

	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_watch(self->fd, XS_WATCH, id, self->path,
				    token));
	/* The "OK" and the first event, in either order. */
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
		if (self->m.hdr.type == XS_WATCH) {
			EXPECT_TRUE(is_reply(&self->m, XS_WATCH, id, "OK"));
			EXPECT_EQ(0U, self->m.hdr.tx_id);
			got_ok = true;
			continue;
		}
		ASSERT_EQ(XS_WATCH_EVENT, (int)self->m.hdr.type);
		EXPECT_EQ(0U, self->m.hdr.req_id);
		EXPECT_EQ(0U, self->m.hdr.tx_id);
		ASSERT_EQ(elen, self->m.hdr.len);
		EXPECT_EQ(0, memcmp(expect, self->m.body, elen));
		got_event = true;
	}
	EXPECT_TRUE(got_ok);
	EXPECT_TRUE(got_event);
	if (self->ours)
		EXPECT_EQ(1, fdinfo_counter(self->fd, "xenbus-watches"));

	/* A change made elsewhere reaches the file's watch. */
	fd2 = open(XS_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, raw_send_write(fd2, 1, 0, self->path, "1"));
	ASSERT_EQ(0, raw_reply(fd2, &self->m, NULL));
	close(fd2);

	ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
	ASSERT_EQ(XS_WATCH_EVENT, (int)self->m.hdr.type);
	EXPECT_EQ(0U, self->m.hdr.req_id);
	EXPECT_EQ(0U, self->m.hdr.tx_id);
	ASSERT_EQ(elen, self->m.hdr.len);
	EXPECT_EQ(0, memcmp(expect, self->m.body, elen));
}

TEST_F(xbdev, unwatch)
{
	const char *token = "unwatch-token";
	unsigned int events = 0;
	__u32 id;

	key(self->path, self->base, "unwatched");
	ASSERT_EQ(0, raw_send_write(self->fd, ++self->req_id, 0,
				    self->path, "0"));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));

	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_watch(self->fd, XS_WATCH, id, self->path,
				    token));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, &events));
	ASSERT_TRUE(is_reply(&self->m, XS_WATCH, id, "OK"));
	/* The first event, unless it came before the "OK". */
	if (!events) {
		ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
		ASSERT_EQ(XS_WATCH_EVENT, (int)self->m.hdr.type);
	}

	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_watch(self->fd, XS_UNWATCH, id, self->path,
				    token));
	ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
	EXPECT_TRUE(is_reply(&self->m, XS_UNWATCH, id, "OK"));
	if (self->ours)
		EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-watches"));

	/* A change now brings the write's reply and nothing else. */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_write(self->fd, id, 0, self->path, "1"));
	ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
	EXPECT_TRUE(is_reply(&self->m, XS_WRITE, id, "OK"));
	EXPECT_TRUE(quiet(self->fd, QUIET_MS));

	/* Twice is fine: a watch the file does not have is "OK" too. */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_watch(self->fd, XS_UNWATCH, id, self->path,
				    token));
	ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
	EXPECT_TRUE(is_reply(&self->m, XS_UNWATCH, id, "OK"));
}

TEST_F(xbdev, malformed_framing)
{
	struct {
		struct xs_hdr hdr;
		char body[XS_PAYLOAD_MAX + 16];
	} w;
	__u32 id;

	memset(&w, 'x', sizeof(w));
	w.hdr.type = XS_READ;
	w.hdr.req_id = ++self->req_id;
	w.hdr.tx_id = 0;

	/* A header announcing too long a body fails at once. */
	w.hdr.len = XS_USER_BODY_MAX + 1;
	EXPECT_EQ(-1, write(self->fd, &w.hdr, sizeof(w.hdr)));
	EXPECT_EQ(E2BIG, errno);
	w.hdr.len = 0xffffffff;
	EXPECT_EQ(-1, write(self->fd, &w.hdr, sizeof(w.hdr)));
	EXPECT_EQ(E2BIG, errno);

	/* A write() that cannot fit the buffer fails ... */
	w.hdr.len = XS_USER_BODY_MAX + 1;
	EXPECT_EQ(-1, write(self->fd, &w, XS_PAYLOAD_MAX + 1));
	EXPECT_EQ(EINVAL, errno);
	/* ... and drops the half message before it. */
	w.hdr.len = 4;
	ASSERT_EQ(8, write(self->fd, &w.hdr, 8));
	EXPECT_EQ(-1, write(self->fd, w.body, XS_PAYLOAD_MAX));
	EXPECT_EQ(EINVAL, errno);

	/* None of it reached xenstored, and the file works as before. */
	EXPECT_TRUE(quiet(self->fd, QUIET_MS));
	id = ++self->req_id;
	key(self->path, self->base, "missing");
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, id, 0,
				   self->path));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "ENOENT"));

	/* The longest body there is goes through; xenstored answers it. */
	w.hdr.type = XS_WRITE;
	w.hdr.req_id = ++self->req_id;
	w.hdr.len = XS_USER_BODY_MAX;
	memcpy(w.body, self->path, strlen(self->path) + 1);
	ASSERT_EQ(XS_PAYLOAD_MAX, write(self->fd, &w, XS_PAYLOAD_MAX));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_EQ(w.hdr.req_id, self->m.hdr.req_id);
	EXPECT_TRUE(self->m.hdr.type == XS_WRITE ||
		    self->m.hdr.type == XS_ERROR);
}

TEST_F(xbdev, malformed_content)
{
	char body[XS_BODY_MAX], token[XS_USER_TOKEN_MAX + 2];
	unsigned int events = 0;
	__u32 id;
	int len;

	if (!self->ours)
		SKIP(return, "%s", OURS_WHY);

	/* A type no one knows: xenstored's error, the file still alive. */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_path(self->fd, XS_TYPE_BOGUS, id, 0,
				   self->base));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_EQ(XS_ERROR, (int)self->m.hdr.type);
	EXPECT_EQ(id, self->m.hdr.req_id);

	/*
	 * A path without its NUL, or with bytes after it: refused by our
	 * kernel itself with xenstored's error (Xen 4.17's C xenstored dies
	 * of it).
	 */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_READ, id, 0, self->base,
			      strlen(self->base)));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EINVAL"));
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_RM, id, 0, "", 0));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EINVAL"));
	/* A byte after the path's NUL: the same. */
	len = xs_pack2(body, self->base, "x", false);
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_READ, id, 0, body, len));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EINVAL"));

	/*
	 * XS_RESET_WATCHES: refused by the kernel, since xenstored would
	 * drop every watch and transaction of the connection, the kernel's
	 * own included.  (A kernel that forwards it breaks its own watches
	 * here: control/shutdown, the buses' and every open file's.)
	 */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_RESET_WATCHES, id, 0, "", 1));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EACCES")) {
		TH_LOG("reset: type %u body '%s'", self->m.hdr.type,
		       self->m.body);
	}

	/* Watches the kernel refuses itself: no token, an empty path ... */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_path(self->fd, XS_WATCH, id, 0, self->base));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EINVAL"));

	len = xs_pack2(body, "", "tok", true);
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_WATCH, id, 0, body, len));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EINVAL"));

	/* ... but an empty token is a token, events and all. */
	len = xs_pack2(body, self->base, "", true);
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_WATCH, id, 0, body, len));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, &events));
	ASSERT_TRUE(is_reply(&self->m, XS_WATCH, id, "OK"));
	EXPECT_EQ(1, fdinfo_counter(self->fd, "xenbus-watches"));
	if (!events) {
		ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
		ASSERT_EQ(XS_WATCH_EVENT, (int)self->m.hdr.type);
		ASSERT_EQ((__u32)len, self->m.hdr.len);
		EXPECT_EQ(0, memcmp(body, self->m.body, len));
	}
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_UNWATCH, id, 0, body, len));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_UNWATCH, id, "OK"));
	EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-watches"));

	/* Refused again: a token without its NUL, and one too long. */
	id = ++self->req_id;
	len = xs_pack2(body, self->base, "tok", false);
	ASSERT_EQ(0, raw_send(self->fd, XS_WATCH, id, 0, body, len));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EINVAL"));

	memset(token, 't', sizeof(token) - 1);
	token[sizeof(token) - 1] = '\0';
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_watch(self->fd, XS_WATCH, id, self->base,
				    token));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "EINVAL"));
	EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-watches"));

	/* And after all that, an ordinary request. */
	id = ++self->req_id;
	key(self->path, self->base, "after");
	ASSERT_EQ(0, raw_send_write(self->fd, id, 0, self->path, "1"));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_WRITE, id, "OK"));
}

TEST_F(xbdev, foreign_transaction)
{
	const __u32 bogus = 0x7eadbeef;
	__u32 tx, id;
	int fd2, err;

	/* An id no one handed out, ended: ENOENT, the header echoed. */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_TRANSACTION_END, id, bogus, "F", 2));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "ENOENT"));
	EXPECT_EQ(bogus, self->m.hdr.tx_id);

	/* The tx_id is checked before the body. */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send(self->fd, XS_TRANSACTION_END, id, bogus, "X", 2));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "ENOENT"));

	/* Another file's transaction is just as foreign. */
	fd2 = open(XS_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	tx = tx_start(fd2, 1, &self->m, &err);
	ASSERT_NE(0U, tx) {
		TH_LOG("start: %s", strerror(-err));
		close(fd2);
	}

	id = ++self->req_id;
	key(self->path, self->base, "f");
	ASSERT_EQ(0, raw_send_write(self->fd, id, tx, self->path, "1"));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_ERROR, id, "ENOENT"));
	EXPECT_EQ(-ENOENT, tx_end(self->fd, ++self->req_id, tx, false,
				  &self->m));

	/* ... and still its owner's to end. */
	EXPECT_EQ(0, tx_end(fd2, 2, tx, false, &self->m));
	close(fd2);
}

TEST_F(xbdev, partial_writes)
{
	struct {
		struct xs_hdr hdr;
		char body[XS_BODY_MAX];
	} w;
	char stream[2 * (XS_HDR_SIZE + 64)], junk[8] = "garbage";
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN | POLLOUT };
	size_t len, total = 0;
	ssize_t n;
	__u32 id;
	int i;

	if (!self->ours)
		SKIP(return, "%s", OURS_WHY);

	/* Nothing queued: not readable, and never writable either. */
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	/* One message in four pieces, the header itself cut in two. */
	key(self->path, self->base, "pieces");
	len = xs_pack2(w.body, self->path, "split value", false);
	w.hdr.type = XS_WRITE;
	id = ++self->req_id;
	w.hdr.req_id = id;
	w.hdr.tx_id = 0;
	w.hdr.len = len;
	ASSERT_EQ(5, write(self->fd, &w, 5));
	ASSERT_EQ(11, write(self->fd, (char *)&w + 5, 11));
	ASSERT_EQ(3, write(self->fd, w.body, 3));
	EXPECT_TRUE(quiet(self->fd, QUIET_MS));
	ASSERT_EQ((ssize_t)len - 3, write(self->fd, w.body + 3, len - 3));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_WRITE, id, "OK"));

	/* Bytes after a whole message are dropped, yet counted as written. */
	len = strlen(self->path) + 1;
	memcpy(w.body, self->path, len);
	w.hdr.type = XS_READ;
	id = ++self->req_id;
	w.hdr.req_id = id;
	w.hdr.len = len;
	memcpy(w.body + len, junk, sizeof(junk));
	ASSERT_EQ((ssize_t)(XS_HDR_SIZE + len + sizeof(junk)),
		  write(self->fd, &w, XS_HDR_SIZE + len + sizeof(junk)));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_EQ(XS_READ, (int)self->m.hdr.type);
	EXPECT_EQ(id, self->m.hdr.req_id);
	EXPECT_STREQ("split value", self->m.body);

	/* Two replies queued: one read() takes them across the boundary. */
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, ++self->req_id,
					   0, self->path));
	}
	ASSERT_EQ(0, settle(self->fd));
	pfd.revents = 0;
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents);
	n = read(self->fd, stream, sizeof(stream));
	ASSERT_EQ((ssize_t)(2 * (XS_HDR_SIZE + strlen("split value"))), n);
	EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-queued"));

	/* ... and a reply can be read a byte at a time. */
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, ++self->req_id, 0,
				   self->path));
	ASSERT_EQ(0, settle(self->fd));
	while (total < XS_HDR_SIZE + strlen("split value")) {
		ASSERT_EQ(1, read(self->fd, stream + total, 1));
		total++;
	}
	memcpy(&self->m.hdr, stream, XS_HDR_SIZE);
	EXPECT_EQ(self->req_id, self->m.hdr.req_id);
	EXPECT_EQ(0, memcmp(stream + XS_HDR_SIZE, "split value",
			    strlen("split value")));
	EXPECT_EQ(0, read(self->fd, stream, 0));
	/* Nothing queued: a non-blocking read() says so. */
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(self->fd, stream, sizeof(stream)));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F_TIMEOUT(xbdev, bound_transactions, SLOW_TIMEOUT_S)
{
	__u32 txs[BOUND_TRANSACTIONS + 1];
	unsigned int n, i;
	int err = 0;

	if (!self->ours)
		SKIP(return, "%s", OURS_WHY);

	for (n = 0; n < ARRAY_SIZE(txs); n++) {
		txs[n] = tx_start(self->fd, ++self->req_id, &self->m, &err);
		if (!txs[n])
			break;
	}
	/*
	 * Ours at 64 (ENOSPC), or before it xenstored's quota on a guest:
	 * ENOSPC from C xenstored, EQUOTA from oxenstored.
	 */
	TH_LOG("%u transactions, then %s", n, strerror(-err));
	EXPECT_TRUE(err == -ENOSPC ||
		    (n < BOUND_TRANSACTIONS && err == -EDQUOT));
	EXPECT_GE((unsigned int)BOUND_TRANSACTIONS, n);
	EXPECT_LT(0U, n);
	EXPECT_EQ((long)n, fdinfo_counter(self->fd, "xenbus-transactions"));

	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, tx_end(self->fd, ++self->req_id, txs[i], false,
				    &self->m));
	}
	EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-transactions"));
}

TEST_F_TIMEOUT(xbdev, bound_watches, SLOW_TIMEOUT_S)
{
	unsigned int n, k, refused = 0, events = 0;
	bool ours = false;
	char token[32];
	int err = 0;
	__u32 id;

	if (!self->ours)
		SKIP(return, "%s", OURS_WHY);

	for (n = 0; n <= BOUND_WATCHES; n++) {
		snprintf(token, sizeof(token), "w%u", n);
		id = ++self->req_id;
		/* xenstored's refusal of the registration fails the write(). */
		err = raw_send_watch(self->fd, XS_WATCH, id, self->base, token);
		if (err)
			break;
		ASSERT_EQ(0, raw_reply(self->fd, &self->m, &events));
		ASSERT_EQ(id, self->m.hdr.req_id);
		if (self->m.hdr.type == XS_ERROR) {
			ours = true;
			err = xs_error_to_errno(self->m.body);
			break;
		}
		ASSERT_TRUE(is_reply(&self->m, XS_WATCH, id, "OK"));
	}
	TH_LOG("%u watches, then %s (%s)", n, strerror(-err),
	       ours ? "the device's bound" : "xenstored's quota");
	if (ours) {
		/* The device's own answer, at its bound exactly. */
		EXPECT_EQ(-E2BIG, err);
		EXPECT_EQ((unsigned int)BOUND_WATCHES, n);
		/* The rest of MANY_WATCHES: each refused the same way. */
		for (k = n + 1; k < MANY_WATCHES; k++) {
			snprintf(token, sizeof(token), "w%u", k);
			id = ++self->req_id;
			ASSERT_EQ(0, raw_send_watch(self->fd, XS_WATCH, id,
						    self->base, token));
			ASSERT_EQ(0, raw_reply(self->fd, &self->m, &events));
			ASSERT_EQ(id, self->m.hdr.req_id);
			if (self->m.hdr.type != XS_ERROR ||
			    xs_error_to_errno(self->m.body) != -E2BIG)
				break;
			refused++;
		}
		EXPECT_EQ((unsigned int)(MANY_WATCHES - BOUND_WATCHES - 1), refused) {
			TH_LOG("registration %u of %u got %s", k + 1,
			       MANY_WATCHES, self->m.body);
		}
	} else {
		/* A guest's quota in xenstored, below the device's bound. */
		EXPECT_NE(0, err);
		EXPECT_GT((unsigned int)BOUND_WATCHES, n);
	}
	EXPECT_LT(0U, n);
	EXPECT_EQ((long)n, fdinfo_counter(self->fd, "xenbus-watches"));
	/* Each watch fired once, into a queue that had room for them all. */
	EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-merged"));

	/*
	 * Give the watches back before the next case: after the close the
	 * kernel would do it in the background, and in a guest the next
	 * case's registration could still meet xenstored's quota full.
	 * Each answer comes once xenstored has dropped the watch.
	 */
	while (n--) {
		snprintf(token, sizeof(token), "w%u", n);
		id = ++self->req_id;
		ASSERT_EQ(0, raw_send_watch(self->fd, XS_UNWATCH, id,
					    self->base, token));
		ASSERT_EQ(0, raw_reply(self->fd, &self->m, &events));
		EXPECT_TRUE(is_reply(&self->m, XS_UNWATCH, id, "OK"));
	}
	EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-watches"));
}

/* Waits until fdinfo's @name is at least @want: 0 or -ETIMEDOUT. */
static int counter_reaches(int fd, const char *name, long want)
{
	long long deadline = xen_now_ms() + XS_TIMEOUT_MS;

	while (fdinfo_counter(fd, name) < want) {
		if (!xen_ms_left(deadline))
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

/* Writes @val to @path from a file of its own, so @fd's watch fires. */
static int write_elsewhere(const char *path, const char *val, struct msg *m)
{
	int fd2, ret;

	fd2 = open(XS_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd2 < 0)
		return -errno;
	ret = raw_send_write(fd2, 1, 0, path, val);
	if (!ret)
		ret = raw_reply(fd2, m, NULL);
	if (!ret && m->hdr.type != XS_WRITE)
		ret = -EPROTO;
	close(fd2);
	return ret;
}

TEST_F_TIMEOUT(xbdev, bound_queue, SLOW_TIMEOUT_S)
{
	char val[1901], token[] = "queue-token";
	unsigned int events = 0, n, i;
	long queued, reply, event;
	int ret = 0;
	__u32 id;

	if (!self->ours)
		SKIP(return, "%s", OURS_WHY);

	/* A value whose reply is about 2 KiB: under every node quota. */
	memset(val, 'v', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	reply = XS_HDR_SIZE + strlen(val);
	key(self->path, self->base, "big");
	ASSERT_EQ(0, raw_send_write(self->fd, ++self->req_id, 0,
				    self->path, val));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	ASSERT_EQ(XS_WRITE, (int)self->m.hdr.type);

	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_watch(self->fd, XS_WATCH, id, self->path,
				    token));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, &events));
	ASSERT_TRUE(is_reply(&self->m, XS_WATCH, id, "OK"));
	if (!events) {
		ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
		ASSERT_EQ(XS_WATCH_EVENT, (int)self->m.hdr.type);
	}
	ASSERT_EQ(0, fdinfo_counter(self->fd, "xenbus-queued"));
	event = XS_HDR_SIZE + strlen(self->path) + 1 + strlen(token) + 1;

	/* Reads left unread, one at a time, until the device refuses. */
	for (n = 0; n < 2 * BOUND_QUEUED / reply; n++) {
		ret = raw_send_path(self->fd, XS_READ, ++self->req_id, 0,
				    self->path);
		if (ret)
			break;
		ASSERT_EQ(0, settle(self->fd));
	}
	ASSERT_EQ(-ENOBUFS, ret);
	queued = fdinfo_counter(self->fd, "xenbus-queued");
	/* Refused at the first message after the bound was reached. */
	EXPECT_EQ((long)n * reply, queued);
	EXPECT_LE(BOUND_QUEUED, queued);
	EXPECT_GT(BOUND_QUEUED, queued - reply);

	/* Over the bound, an event is still queued: none like it is. */
	ASSERT_EQ(0, write_elsewhere(self->path, "changed", &self->m));
	ASSERT_EQ(0, counter_reaches(self->fd, "xenbus-queued",
				     queued + event)) {
		TH_LOG("the event never came: %ld bytes queued",
		       fdinfo_counter(self->fd, "xenbus-queued"));
	}
	EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-merged"));
	/* The same event again is merged into the unread one. */
	ASSERT_EQ(0, write_elsewhere(self->path, "again", &self->m));
	ASSERT_EQ(0, counter_reaches(self->fd, "xenbus-merged", 1));
	EXPECT_EQ(1, fdinfo_counter(self->fd, "xenbus-merged"));
	EXPECT_EQ(queued + event, fdinfo_counter(self->fd, "xenbus-queued"));

	/* Every reply that was let in is there, whole, then the event. */
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
		ASSERT_EQ(XS_READ, (int)self->m.hdr.type);
		ASSERT_EQ(strlen(val), self->m.hdr.len);
	}
	ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
	ASSERT_EQ(XS_WATCH_EVENT, (int)self->m.hdr.type);
	EXPECT_EQ((__u32)(event - XS_HDR_SIZE), self->m.hdr.len);
	EXPECT_STREQ(self->path, self->m.body);
	EXPECT_TRUE(quiet(self->fd, QUIET_MS));
	EXPECT_EQ(0, fdinfo_counter(self->fd, "xenbus-queued"));

	/* Drained, the file takes requests again; the node as it is now. */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, id, 0, self->path));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_EQ(id, self->m.hdr.req_id);
	EXPECT_STREQ("again", self->m.body);
}

TEST_F_TIMEOUT(xbdev, bound_inflight, SLOW_TIMEOUT_S)
{
	unsigned int sent = 0, busy = 0, i;
	char val[1901];
	long most = 0, now;
	int ret;

	if (!self->ours)
		SKIP(return, "%s", OURS_WHY);

	/*
	 * Requests of 2 KiB each, written as fast as possible and never
	 * read: each takes two turns of the 1 KiB ring, so xenstored falls
	 * behind and the bound bites.  It must hold whenever it does.
	 */
	memset(val, 'i', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	key(self->path, self->base, "inflight");
	for (i = 0; i < 4 * BOUND_INFLIGHT; i++) {
		ret = raw_send_write(self->fd, ++self->req_id, 0, self->path,
				     val);
		if (!ret) {
			sent++;
		} else if (ret == -EBUSY) {
			busy++;
			now = fdinfo_counter(self->fd, "xenbus-inflight");
			most = now > most ? now : most;
			usleep(1000);
		} else {
			ASSERT_EQ(0, ret) {
				TH_LOG("write %u: %s", i, strerror(-ret));
			}
		}
	}
	now = fdinfo_counter(self->fd, "xenbus-inflight");
	most = now > most ? now : most;
	TH_LOG("%u sent, %u refused with EBUSY, at most %ld seen in flight",
	       sent, busy, most);

	/* Every request let in is answered, and nothing else comes. */
	ASSERT_EQ(0, settle(self->fd));
	for (i = 0; i < sent; i++) {
		ASSERT_EQ(0, raw_recv(self->fd, &self->m, XS_TIMEOUT_MS));
		ASSERT_TRUE(self->m.hdr.type == XS_WRITE ||
			    self->m.hdr.type == XS_ERROR);
	}
	ASSERT_TRUE(quiet(self->fd, QUIET_MS));

	/*
	 * Without a refusal the bound was never reached, and the count
	 * sampled once at the end proves nothing: xenstored may just have
	 * kept up, or the kernel may have no bound at all.
	 */
	if (!busy)
		SKIP(return, "xenstored kept up; bound not exercised");
	EXPECT_GE((long)BOUND_INFLIGHT, most);
	EXPECT_LE(0, most);
}

/*
 * What a closed file leaves takes a moment to go (the device cleans up
 * from a work item), so a guest's quota in xenstored may refuse for a
 * while: the transaction start, retried until CLEANUP_TIMEOUT_MS.
 */
static __u32 tx_start_retry(int fd, struct msg *m, int *err)
{
	long long deadline = xen_now_ms() + CLEANUP_TIMEOUT_MS;
	__u32 tx;

	for (;;) {
		tx = tx_start(fd, 1, m, err);
		if (tx || (*err != -ENOSPC && *err != -EDQUOT) ||
		    !xen_ms_left(deadline))
			return tx;
		usleep(10000);
	}
}

/* The same for a watch, whose refusal by xenstored fails the write(). */
static int watch_retry(int fd, __u32 req_id, const char *path,
		       const char *token, struct msg *m)
{
	long long deadline = xen_now_ms() + CLEANUP_TIMEOUT_MS;
	int ret;

	for (;;) {
		ret = raw_send_watch(fd, XS_WATCH, req_id, path, token);
		if (!ret)
			break;
		if (!xen_ms_left(deadline))
			return ret;
		usleep(10000);
	}
	ret = raw_reply(fd, m, NULL);
	if (ret)
		return ret;
	return is_reply(m, XS_WATCH, req_id, "OK") ? 0 : -EPROTO;
}

/* What xenstored counts for this domain; -1 where it does not say. */
struct xs_counts {
	long watches;
	long transactions;
};

/* The number in the line "<name> <spaces>: <number>..." of @text, or -1. */
static long stat_line(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *p = text, *q;
	char *end;
	long val;

	while (p && *p) {
		if (!strncmp(p, name, len)) {
			for (q = p + len; *q == ' '; q++)
				;
			if (*q == ':') {
				val = strtol(q + 1, &end, 10);
				if (end != q + 1 && val >= 0)
					return val;
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/*
 * How many watches the lines "watch D<domid>: <path> <token>" of
 * oxenstored's "watches" list give the domain's ring connection, the
 * kernel's; -1 if @text is not such a list.
 */
static long watch_lines(const char *text, unsigned int domid)
{
	const char *p = text;
	char prefix[32];
	long n = 0;

	snprintf(prefix, sizeof(prefix), "watch D%u: ", domid);
	while (p && *p) {
		if (strncmp(p, "watch ", 6))
			return -1;
		if (!strncmp(p, prefix, strlen(prefix)))
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/*
 * Asks xenstored over @fd what it counts for domain @domid, which only
 * a privileged domain may: C xenstored answers XS_CONTROL "quota
 * <domid>" with the watches and transactions of all the domain's
 * connections; oxenstored answers XS_DEBUG "watches" with every watch,
 * from which those of the kernel's connection are counted.  Returns 0
 * with at least one count, or -EOPNOTSUPP.
 */
static int counts_get(int fd, unsigned int domid, __u32 *req_id,
		      struct msg *m, struct xs_counts *c)
{
	char body[64], dom[16];
	int len;

	c->watches = -1;
	c->transactions = -1;

	snprintf(dom, sizeof(dom), "%u", domid);
	len = xs_pack2(body, "quota", dom, true);
	if (len > 0 && !raw_send(fd, XS_CONTROL, ++*req_id, 0, body, len) &&
	    !raw_reply(fd, m, NULL) && m->hdr.type == XS_CONTROL &&
	    !strncmp(m->body, "Domain ", 7)) {
		c->watches = stat_line(m->body, "watches");
		c->transactions = stat_line(m->body, "transactions");
		if (c->watches >= 0 || c->transactions >= 0)
			return 0;
	}

	/* Not a privileged domain, oxenstored acks with "OK". */
	if (!raw_send_path(fd, XS_CONTROL, ++*req_id, 0, "watches") &&
	    !raw_reply(fd, m, NULL) && m->hdr.type == XS_CONTROL &&
	    strcmp(m->body, "OK")) {
		c->watches = watch_lines(m->body, domid);
		if (c->watches >= 0)
			return 0;
	}
	return -EOPNOTSUPP;
}

/*
 * The counts once they held still for QUIET_MS: what the files of
 * earlier tests left has gone by then.
 */
static int counts_steady(int fd, unsigned int domid, __u32 *req_id,
			 struct msg *m, struct xs_counts *c)
{
	long long deadline = xen_now_ms() + CLEANUP_TIMEOUT_MS;
	struct xs_counts prev;
	int ret;

	ret = counts_get(fd, domid, req_id, m, c);
	do {
		if (ret)
			return ret;
		prev = *c;
		usleep(QUIET_MS * 1000);
		ret = counts_get(fd, domid, req_id, m, c);
	} while ((ret || c->watches != prev.watches ||
		  c->transactions != prev.transactions) &&
		 xen_ms_left(deadline));
	return ret;
}

/* Whether no count is above @before's; unknown counts pass. */
static bool counts_back(const struct xs_counts *now,
			const struct xs_counts *before)
{
	return now->watches <= before->watches &&
	       now->transactions <= before->transactions;
}

/*
 * Files closed with a transaction open, watches on and replies unread.
 * In a guest there are more of them than xenstored's quotas allow at
 * once (10 transactions, 128 watches by default): were any of it left
 * behind, a later round would be refused.  dom0 has no quotas, so there
 * the counts xenstored keeps for the domain must come back to what they
 * were before; a xenstored that does not tell them leaves nothing to
 * check in dom0, and the test is skipped.  Either way, nothing the
 * closed files did may be committed, and the node is free for others.
 * In dom0, another tool registering watches or opening transactions
 * meanwhile would look like a leak.
 */
TEST_F_TIMEOUT(xbdev, close_cleans_up, SLOW_TIMEOUT_S)
{
	const unsigned int rounds = 12, watches = 16;
	struct xs_counts before, after;
	long long deadline;
	bool counted;
	unsigned int r, w;
	char token[16];
	__u32 tx, id;
	int fd, err;

	if (!self->ours)
		SKIP(return, "%s", OURS_WHY);

	counted = !counts_steady(self->fd, self->domid, &self->req_id,
				 &self->m, &before);
	if (counted)
		TH_LOG("xenstored counts %ld watches, %ld transactions",
		       before.watches, before.transactions);
	else if (!self->domid)
		SKIP(return,
		     "dom0 has no xenstored quotas, and xenstored tells no counts (XS_CONTROL quota, XS_DEBUG watches)");

	key(self->path, self->base, "closed");
	ASSERT_EQ(0, raw_send_write(self->fd, ++self->req_id, 0,
				    self->path, "outside"));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));

	for (r = 0; r < rounds; r++) {
		fd = open(XS_DEV_PATH, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd);

		tx = tx_start_retry(fd, &self->m, &err);
		ASSERT_NE(0U, tx) {
			TH_LOG("round %u: start: %s", r, strerror(-err));
		}
		ASSERT_EQ(0, raw_send_write(fd, 2, tx, self->path, "in-tx"));
		ASSERT_EQ(0, raw_reply(fd, &self->m, NULL));
		ASSERT_EQ(XS_WRITE, (int)self->m.hdr.type);
		for (w = 0; w < watches; w++) {
			snprintf(token, sizeof(token), "c%u", w);
			err = watch_retry(fd, 3 + w, self->path, token,
					  &self->m);
			ASSERT_EQ(0, err) {
				TH_LOG("round %u, watch %u: %s", r, w,
				       strerror(-err));
			}
		}
		close(fd);
	}

	/* What the closed files held goes, in xenstored's counts too ... */
	if (counted) {
		deadline = xen_now_ms() + CLEANUP_TIMEOUT_MS;
		do {
			usleep(10000);
			ASSERT_EQ(0, counts_get(self->fd, self->domid,
						&self->req_id, &self->m,
						&after));
		} while (!counts_back(&after, &before) &&
			 xen_ms_left(deadline));
		EXPECT_TRUE(counts_back(&after, &before)) {
			TH_LOG("watches %ld -> %ld, transactions %ld -> %ld",
			       before.watches, after.watches,
			       before.transactions, after.transactions);
		}
	}

	/* ... nothing the closed files did was committed ... */
	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, id, 0, self->path));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_STREQ("outside", self->m.body);

	/* ... and the node is anyone's to write, in a transaction too. */
	fd = open(XS_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	tx = tx_start_retry(fd, &self->m, &err);
	ASSERT_NE(0U, tx) {
		TH_LOG("start: %s", strerror(-err));
	}
	ASSERT_EQ(0, raw_send_write(fd, 2, tx, self->path, "second"));
	ASSERT_EQ(0, raw_reply(fd, &self->m, NULL));
	EXPECT_TRUE(is_reply(&self->m, XS_WRITE, 2, "OK"));
	EXPECT_EQ(0, tx_end(fd, 3, tx, true, &self->m));
	close(fd);

	id = ++self->req_id;
	ASSERT_EQ(0, raw_send_path(self->fd, XS_READ, id, 0, self->path));
	ASSERT_EQ(0, raw_reply(self->fd, &self->m, NULL));
	EXPECT_STREQ("second", self->m.body);
}

TEST_HARNESS_MAIN
