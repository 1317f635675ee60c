// SPDX-License-Identifier: GPL-2.0-only
/*
 * xhostbe - a hostile network backend, run in dom0 as root (the boot
 * matrix's hostile-backend case, pipeline/guest/cases/hostile-backend.sh).
 *
 *   xhostbe [-k | -t] [-s STORM] [-b BACK] [-w WAIT] [-g HOLD] [-l LIMIT]
 *           [-m MAC] [-p BASE] DOMID HANDLE
 *
 * It adds a vif HANDLE to the running domain DOMID and plays its backend
 * itself, on a backend path no kernel backend watches (BASE, by default
 * /local/domain/0/backend/xci-vif, then DOMID/HANDLE), so that dom0's
 * netback leaves it alone:
 *
 *  1. creates the frontend directory /local/domain/DOMID/device/vif/HANDLE
 *     (backend, backend-id, handle, mac, state 1; owned by DOMID, readable
 *     by dom0) and the backend directory (frontend, frontend-id, handle,
 *     online, feature-rx-copy, state 2 InitWait; owned by dom0, readable
 *     by DOMID) in one xenstore transaction, as the toolstack would;
 *  2. waits up to WAIT seconds (60) for the frontend to publish one queue
 *     (tx-ring-ref, rx-ring-ref, event-channel) and go Initialised or
 *     Connected; multi-queue, split event channels and a control ring are
 *     not offered;
 *  3. maps the receive ring (/dev/xen/gntdev), binds the event channel
 *     (/dev/xen/evtchn) and goes Connected.  Nothing in the domU brings
 *     the new interface up, so its NAPI stays disabled, while the
 *     frontend's receive requests are posted;
 *  4. storm: one plausible response (the id of the posted request in that
 *     slot, status 1: one byte) and rsp_prod one further, then events in
 *     a tight loop for STORM seconds (30);
 *  5. backwards: rsp_prod one back, then events for up to BACK seconds
 *     (10) or until the frontend goes Closing (or Closed);
 *  6. closing while mapped: goes Closing with the receive ring still
 *     mapped, waits up to 10 s for the frontend to close, and then writes
 *     over the ring's slots, as a late response would: a frontend that
 *     freed the page on closing gave a page the backend still maps to
 *     someone else;
 *  7. unmaps the ring, unbinds the event channel, walks the backend to
 *     Closing and Closed, and removes both directories.
 *
 * With -t it makes one other attack instead of steps 4 to 6, on a vif the
 * domU brings up (domu.sh idle mode does so for the MAC 00:16:3e:00:99:08,
 * which -t takes as its default), so that its NAPI runs:
 *  4t. take (after a hold): maps the data page of the receive request in
 *      the next slot (/dev/xen/gntdev) and, keeping it mapped, answers that
 *      request with a packet of TAKE_LEN (3000) bytes, longer than a
 *      frontend copies whole, with an event once a second; waits up to 10 s
 *      for the frontend to go Closing.  A frontend that makes such a
 *      packet's pages skb fragments must find the grant still in use (a
 *      backend that writes a buffer after answering it) and close, never
 *      give the page to its stack; then writes the page over and unmaps it.
 * Its lines: "take-start rsp_prod=M->M+1 id=I gref=G len=L",
 * "take frontend-state=F closing=yes|no wrote=N" and "result take
 * closing=yes|no exit=E", exit 0 if the frontend went Closing, else 1.
 *
 * Before steps 4, 5 and 7 it waits up to HOLD seconds (60; 0: not at
 * all) for a SIGUSR1, so that the caller can measure the domain between
 * the phases; it goes on when the hold runs out.  LIMIT (180)
 * bounds the whole run: then, or on SIGTERM or SIGINT, it cleans up
 * (itself bounded to 30 s) and exits.
 *
 * Output: one line per step on stdout, each starting with "XHOSTBE ":
 *   XHOSTBE connected domid=D handle=H rx-ref=R tx-ref=T port=P req_prod=N rsp_prod=M
 *   XHOSTBE storm-start rsp_prod=M->M+1 id=I
 *   XHOSTBE storm events=N seconds=S rate=R state=F
 *   XHOSTBE back-start rsp_prod=M+1->M state=F
 *   XHOSTBE backwards events=N seconds=S state=F closing=yes|no
 *   XHOSTBE closed-mapped frontend-state=F wrote=N
 *   XHOSTBE cleanup frontend-state=F removed=yes|no
 *   XHOSTBE result closing=yes|no storm_events=N back_events=N exit=E
 * and "XHOSTBE error WHAT: REASON" when something fails.  F is the
 * frontend's xenbus state (-1 if it has none).
 *
 * Exit status: 0 the frontend went Closing on the backwards step; 1 the
 * attack ran and it did not; 2 set-up failed; 3 stopped by a signal or
 * LIMIT; 4 the clean-up itself ran out of time.
 *
 * With -k it plays the backend of a secondary console instead,
 * device/console/HANDLE (base /local/domain/0/backend/xci-console), the
 * page's ABI that of Xen's io/console.h.  Once the frontend is
 * Initialised (ring-ref, port) it maps the page, binds the channel, goes
 * Connected and then:
 *  1. echo: sends "xci-cons-ping-1" and a carriage return as input, and
 *     takes output until the domain's terminal has echoed it (tried
 *     again every 5 s, 6 times, while nothing there holds it open);
 *  2. storm (after a hold): events that bring nothing, for STORM s;
 *  3. bad index (after a hold): out_cons 1000 ahead of the domain's
 *     out_prod, then input whose echo must find it; waits up to 5 s for
 *     the frontend to go Closing by itself;
 *  4. goes Closing and waits up to 10 s for the frontend to close;
 *     unmaps and unbinds, goes InitWait, and waits up to 30 s for the
 *     frontend to connect anew; then 1. again with "xci-cons-ping-2";
 *  5. bad producer: sends a line, and once its echo is in the output
 *     ring sets in_prod two ring sizes ahead of the domain's in_cons,
 *     then consumes the echo with an event (progress, on which the
 *     domain reads its input); waits up to 10 s for the frontend to go
 *     Closing (its reader must refuse the index, not read past the ring);
 *  6. cleans up as in 7.
 * Its lines: "cons-connected", "cons-echo round=N ok=yes|no",
 * "storm events=...", "cons-bad-index ... frontend-state=F",
 * "cons-closed frontend-state=F",
 * "cons-reconnected ok=yes|no", "cons-bad-prod ... frontend-state=F",
 * and "result console echo1=... echo2=... closed=... reconnected=...
 * overrun=... storm_events=N exit=E"; exit 0 if both echoes came back,
 * the frontend closed and connected again and then closed on the bad
 * producer, else 1.
 *
 * Xenstore is spoken over /dev/xen/xenbus, the wire protocol of Xen's
 * io/xs_wire.h (or over the socket named by XHOSTBE_XS, or xenstored's
 * socket if the device cannot be opened).
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
/* The kernel's uapi headers below use these Xen types without defining them. */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/evtchn.h>
#include <xen/gntdev.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* ------------------------------------------------------------------ */
/* ABI facts: Xen's io/xs_wire.h, io/ring.h, io/netif.h, io/console.h */
/* ------------------------------------------------------------------ */

enum {
	XS_READ = 2,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_WRITE = 11,
	XS_MKDIR = 12,
	XS_RM = 13,
	XS_SET_PERMS = 14,
	XS_WATCH_EVENT = 15,
	XS_ERROR = 16,
	XS_DIRECTORY = 1,
};

struct xs_msg_hdr {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
};

#define XS_PAYLOAD_MAX	4096

/* The header of a shared ring page; the slots follow it. */
struct ring_hdr {
	uint32_t req_prod;
	uint32_t req_event;
	uint32_t rsp_prod;
	uint32_t rsp_event;
	uint8_t pvt[4];
	uint8_t pad[44];
};

struct rx_request {
	uint16_t id;
	uint16_t pad;
	uint32_t gref;
};

struct rx_response {
	uint16_t id;
	uint16_t offset;
	uint16_t flags;
	int16_t status;
};

static_assert(sizeof(struct xs_msg_hdr) == 16, "xsd_sockmsg");
static_assert(sizeof(struct ring_hdr) == 64, "ring header");
static_assert(sizeof(struct rx_request) == 8, "netif_rx_request");
static_assert(sizeof(struct rx_response) == 8, "netif_rx_response");

#define PAGE_BYTES	4096u
#define RX_SLOT_SIZE	8u
/* The largest power of two that fits after the header: 256 slots. */
#define RX_SLOTS	256u
static_assert(RX_SLOTS * RX_SLOT_SIZE <= PAGE_BYTES - sizeof(struct ring_hdr) &&
	      2 * RX_SLOTS * RX_SLOT_SIZE > PAGE_BYTES - sizeof(struct ring_hdr),
	      "rx ring size");

/* The console page (io/console.h): "in" to the domain, "out" from it. */
struct cons_page {
	char in[1024];
	char out[2048];
	uint32_t in_cons, in_prod;
	uint32_t out_cons, out_prod;
};

static_assert(sizeof(struct cons_page) == 3088, "xencons_interface");

/* xenbus states */
enum {
	ST_INITIALISING = 1,
	ST_INITWAIT = 2,
	ST_INITIALISED = 3,
	ST_CONNECTED = 4,
	ST_CLOSING = 5,
	ST_CLOSED = 6,
};

/* ------------------------------------------------------------------ */
/* Signals, time, output                                               */
/* ------------------------------------------------------------------ */

/* Shared with the signal handlers: lock-free atomics, safe to use there. */
static atomic_int go_count;
static atomic_int stop;
static atomic_int cleaning;

static void on_go(int sig)
{
	(void)sig;
	go_count++;
}

static void on_stop(int sig)
{
	/* The clean-up's own time limit ran out. */
	if (sig == SIGALRM && cleaning)
		_exit(4);
	stop = 1;
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a wait returns early and looks at the flags. */
	sigaction(sig, &sa, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("XHOSTBE ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* A small xenstore client                                             */
/* ------------------------------------------------------------------ */

/* How long xenstored may take to answer one request. */
#define XS_REPLY_MS	5000

struct xs {
	int fd;
	uint32_t req_id;
	uint32_t len;			/* of the last reply */
	char reply[XS_PAYLOAD_MAX + 1];
};

static int xs_open(struct xs *xs)
{
	static const char *const socks[] = {
		"/run/xenstored/socket", "/var/run/xenstored/socket",
	};
	const char *env = getenv("XHOSTBE_XS");
	struct sockaddr_un sa;
	unsigned int i;

	memset(xs, 0, sizeof(*xs));
	if (!env || !*env) {
		xs->fd = open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
		if (xs->fd >= 0)
			return 0;
	}
	for (i = 0; i < 2; i++) {
		const char *path = env && *env ? env : socks[i];
		size_t len = strlen(path);

		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		if (len >= sizeof(sa.sun_path))
			return -ENAMETOOLONG;
		memcpy(sa.sun_path, path, len + 1);
		xs->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (xs->fd < 0)
			return -errno;
		if (!connect(xs->fd, (struct sockaddr *)&sa, sizeof(sa)))
			return 0;
		close(xs->fd);
		xs->fd = -1;
		if (env && *env)
			break;
	}
	return -ENOENT;
}

/* Read exactly @len bytes before @deadline (monotonic seconds). */
static int xs_read_all(struct xs *xs, void *buf, size_t len, double deadline)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = xs->fd, .events = POLLIN };
		double left = deadline - now();
		ssize_t n;
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			continue;	/* the deadline is checked above */
		n = read(xs->fd, p, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EPIPE;
		p += n;
		len -= n;
	}
	return 0;
}

static int xs_errno(const char *name)
{
	static const struct {
		const char *name;
		int err;
	} map[] = {
		{ "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST },
		{ "EISDIR", EISDIR }, { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM },
		{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "ENOTEMPTY", ENOTEMPTY },
		{ "EROFS", EROFS }, { "EBUSY", EBUSY }, { "EAGAIN", EAGAIN },
		{ "EISCONN", EISCONN }, { "E2BIG", E2BIG }, { "EPERM", EPERM },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(map[i].name, name))
			return -map[i].err;
	return -EIO;
}

/*
 * One request and its reply (in xs->reply, NUL-terminated).  Replies to
 * older requests that timed out, and watch events, are skipped.
 */
static int xs_req(struct xs *xs, uint32_t type, uint32_t tx, const void *body,
		  size_t len)
{
	struct {
		struct xs_msg_hdr h;
		char body[XS_PAYLOAD_MAX];
	} msg;
	struct xs_msg_hdr h;
	double deadline = now() + XS_REPLY_MS / 1000.0;
	size_t total, off = 0;
	int r;

	if (len > XS_PAYLOAD_MAX)
		return -E2BIG;
	msg.h.type = type;
	msg.h.req_id = ++xs->req_id;
	msg.h.tx_id = tx;
	msg.h.len = len;
	memcpy(msg.body, body, len);
	total = sizeof(msg.h) + len;
	/* The device wants the whole message in one write; a socket may
	 * take it in parts.
	 */
	while (off < total) {
		ssize_t n = write(xs->fd, (char *)&msg + off, total - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += n;
	}
	for (;;) {
		r = xs_read_all(xs, &h, sizeof(h), deadline);
		if (r)
			return r;
		if (h.len > XS_PAYLOAD_MAX)
			return -EPROTO;
		r = xs_read_all(xs, xs->reply, h.len, deadline + 1);
		if (r)
			return r;
		xs->reply[h.len] = '\0';
		xs->len = h.len;
		if (h.type == XS_WATCH_EVENT || h.req_id != msg.h.req_id)
			continue;
		if (h.type == XS_ERROR)
			return xs_errno(xs->reply);
		return h.type == type ? 0 : -EPROTO;
	}
}

/* "first\0second" (with a NUL after second too if @nul2) into @buf. */
static int pack2(char *buf, const char *first, const char *second, bool nul2)
{
	size_t a = strlen(first) + 1, b = strlen(second) + nul2;

	if (a + b > XS_PAYLOAD_MAX)
		return -E2BIG;
	memcpy(buf, first, a);
	memcpy(buf + a, second, b);
	return (int)(a + b);
}

static int xs_read(struct xs *xs, const char *path, char *val, size_t size)
{
	int r = xs_req(xs, XS_READ, 0, path, strlen(path) + 1);

	if (r)
		return r;
	if (xs->len >= size)
		return -E2BIG;
	memcpy(val, xs->reply, xs->len + 1);
	return 0;
}

static int xs_write(struct xs *xs, uint32_t tx, const char *path,
		    const char *val)
{
	char buf[XS_PAYLOAD_MAX];
	int n = pack2(buf, path, val, false);

	return n < 0 ? n : xs_req(xs, XS_WRITE, tx, buf, n);
}

static int xs_path_op(struct xs *xs, uint32_t type, uint32_t tx,
		      const char *path)
{
	return xs_req(xs, type, tx, path, strlen(path) + 1);
}

/*
 * Permissions: the first entry names the owner, whose letter is what
 * every other domain may do; each further entry gives one domain access.
 */
static int xs_perms(struct xs *xs, uint32_t tx, const char *path,
		    const char *owner, const char *other)
{
	char buf[XS_PAYLOAD_MAX];
	int n = pack2(buf, path, owner, true);
	size_t o = strlen(other) + 1;

	if (n < 0 || (size_t)n + o > XS_PAYLOAD_MAX)
		return -E2BIG;
	memcpy(buf + n, other, o);
	return xs_req(xs, XS_SET_PERMS, tx, buf, (size_t)n + o);
}

static int xs_tx_start(struct xs *xs, uint32_t *tx)
{
	char *end;
	unsigned long id;
	int r = xs_req(xs, XS_TRANSACTION_START, 0, "", 1);

	if (r)
		return r;
	errno = 0;
	id = strtoul(xs->reply, &end, 10);
	if (errno || end == xs->reply || !id || id > UINT32_MAX)
		return -EPROTO;
	*tx = id;
	return 0;
}

static int xs_tx_end(struct xs *xs, uint32_t tx, bool commit)
{
	return xs_req(xs, XS_TRANSACTION_END, tx, commit ? "T" : "F", 2);
}

/* A node's value as an unsigned number; -ENOENT, -EINVAL, ... */
static int xs_read_uint(struct xs *xs, const char *path, unsigned long *v)
{
	char buf[64], *end;
	int r = xs_read(xs, path, buf, sizeof(buf));

	if (r)
		return r;
	errno = 0;
	*v = strtoul(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The device                                                          */
/* ------------------------------------------------------------------ */

struct hostbe {
	struct xs xs;
	unsigned int domid;
	unsigned int handle;
	const char *mac;
	char fe[128];		/* frontend directory */
	char be[160];		/* backend directory */
	char be_dom[128];	/* its parent, BASE/DOMID */
	const char *be_base;
	bool created;
	int gnt_fd;
	uint64_t gnt_index;
	void *ring;		/* the shared rx ring page */
	int evt_fd;
	int port;		/* our end, or -1 */
	unsigned long rx_ref, tx_ref, evtchn;
	unsigned long long storm_events, back_events;
	bool console;		/* -k: a console, device/console/HANDLE */
	bool take;		/* -t: the page-take attack */
};

static int fe_state(struct hostbe *h)
{
	char path[192];
	unsigned long v;

	snprintf(path, sizeof(path), "%s/state", h->fe);
	return xs_read_uint(&h->xs, path, &v) || v > INT_MAX ? -1 : (int)v;
}

static int be_set_state(struct hostbe *h, int state)
{
	char path[192], val[8];

	snprintf(path, sizeof(path), "%s/state", h->be);
	snprintf(val, sizeof(val), "%d", state);
	return xs_write(&h->xs, 0, path, val);
}

/* Write DIR/KEY = VAL and give it PERMS (owner, other). */
static int put(struct hostbe *h, uint32_t tx, const char *dir, const char *key,
	       const char *val, const char *owner, const char *other)
{
	char path[256];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	r = xs_write(&h->xs, tx, path, val);
	return r ? r : xs_perms(&h->xs, tx, path, owner, other);
}

/* Both directories, in one transaction (tried again on EAGAIN). */
static int create_nodes(struct hostbe *h, const char **what)
{
	char dom[16], d0[16], dn[16], rd[16], hd[16], v[16];
	uint32_t tx;
	int r, try;

	snprintf(dom, sizeof(dom), "%u", h->domid);
	snprintf(d0, sizeof(d0), "n0");
	snprintf(dn, sizeof(dn), "n%u", h->domid);
	snprintf(rd, sizeof(rd), "r%u", h->domid);
	snprintf(hd, sizeof(hd), "%u", h->handle);
	for (try = 0; try < 5; try++) {
		*what = "transaction";
		r = xs_tx_start(&h->xs, &tx);
		if (r)
			return r;
		/* Backend: dom0's, readable by the domain. */
		*what = "backend directory";
		r = xs_path_op(&h->xs, XS_MKDIR, tx, h->be);
		if (!r)
			r = xs_perms(&h->xs, tx, h->be, d0, rd);
		if (!r)
			r = put(h, tx, h->be, "frontend", h->fe, d0, rd);
		if (!r)
			r = put(h, tx, h->be, "frontend-id", dom, d0, rd);
		if (!r)
			r = put(h, tx, h->be, "handle", hd, d0, rd);
		if (!r)
			r = put(h, tx, h->be, "online", "1", d0, rd);
		if (!r && !h->console)
			r = put(h, tx, h->be, "mac", h->mac, d0, rd);
		if (!r && !h->console)
			r = put(h, tx, h->be, "feature-rx-copy", "1", d0, rd);
		if (!r) {
			snprintf(v, sizeof(v), "%d", ST_INITWAIT);
			r = put(h, tx, h->be, "state", v, d0, rd);
		}
		/* Frontend: the domain's, readable by dom0. */
		if (!r) {
			*what = "frontend directory";
			r = xs_path_op(&h->xs, XS_MKDIR, tx, h->fe);
		}
		if (!r)
			r = xs_perms(&h->xs, tx, h->fe, dn, "r0");
		if (!r)
			r = put(h, tx, h->fe, "backend", h->be, dn, "r0");
		if (!r)
			r = put(h, tx, h->fe, "backend-id", "0", dn, "r0");
		if (!r)
			r = put(h, tx, h->fe, "handle", hd, dn, "r0");
		if (!r && !h->console)
			r = put(h, tx, h->fe, "mac", h->mac, dn, "r0");
		if (!r) {
			snprintf(v, sizeof(v), "%d", ST_INITIALISING);
			r = put(h, tx, h->fe, "state", v, dn, "r0");
		}
		if (r) {
			xs_tx_end(&h->xs, tx, false);
			return r;
		}
		*what = "commit";
		r = xs_tx_end(&h->xs, tx, true);
		if (r != -EAGAIN)
			return r;
		nap_ms(100);
	}
	return -EAGAIN;
}

/* Wait for the frontend to publish its queue; 0, or an error. */
static int wait_frontend(struct hostbe *h, int secs, const char **what)
{
	double end = now() + secs;
	char path[192];
	unsigned long v;
	int st = -1;

	while (now() < end && !stop) {
		st = fe_state(h);
		if (st == ST_INITIALISED || st == ST_CONNECTED)
			break;
		if (st == ST_CLOSING || st == ST_CLOSED) {
			*what = "frontend closed before connecting";
			return -ECONNREFUSED;
		}
		nap_ms(100);
	}
	if (st != ST_INITIALISED && st != ST_CONNECTED) {
		*what = stop ? "stopped" : "frontend did not connect";
		return -ETIMEDOUT;
	}
	if (h->console) {
		*what = "ring-ref";
		snprintf(path, sizeof(path), "%s/ring-ref", h->fe);
		if (xs_read_uint(&h->xs, path, &h->rx_ref))
			return -EPROTO;
		*what = "port";
		snprintf(path, sizeof(path), "%s/port", h->fe);
		if (xs_read_uint(&h->xs, path, &h->evtchn) ||
		    h->evtchn > UINT_MAX)
			return -EPROTO;
		return 0;
	}
	/* One queue on one event channel is all we offered. */
	snprintf(path, sizeof(path), "%s/multi-queue-num-queues", h->fe);
	if (!xs_read_uint(&h->xs, path, &v) && v != 1) {
		*what = "frontend asked for several queues";
		return -EPROTO;
	}
	*what = "rx-ring-ref";
	snprintf(path, sizeof(path), "%s/rx-ring-ref", h->fe);
	if (xs_read_uint(&h->xs, path, &h->rx_ref))
		return -EPROTO;
	*what = "tx-ring-ref";
	snprintf(path, sizeof(path), "%s/tx-ring-ref", h->fe);
	if (xs_read_uint(&h->xs, path, &h->tx_ref))
		return -EPROTO;
	*what = "event-channel";
	snprintf(path, sizeof(path), "%s/event-channel", h->fe);
	if (xs_read_uint(&h->xs, path, &h->evtchn) || h->evtchn > UINT_MAX)
		return -EPROTO;
	return 0;
}

/* Unmap what map_data() mapped (@va may be MAP_FAILED). */
static void unmap_data(struct hostbe *h, void *va, uint64_t index)
{
	struct ioctl_gntdev_unmap_grant_ref unmap;

	if (va != MAP_FAILED)
		munmap(va, PAGE_BYTES);
	memset(&unmap, 0, sizeof(unmap));
	unmap.index = index;
	unmap.count = 1;
	ioctl(h->gnt_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
}

/* Map the frontend's grant @gref read-write; MAP_FAILED on failure. */
static void *map_data(struct hostbe *h, uint32_t gref, uint64_t *index)
{
	struct ioctl_gntdev_map_grant_ref map;
	void *va;

	memset(&map, 0, sizeof(map));
	map.count = 1;
	map.refs[0].domid = h->domid;
	map.refs[0].ref = gref;
	if (ioctl(h->gnt_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map))
		return MAP_FAILED;
	*index = map.index;
	va = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
		  h->gnt_fd, map.index);
	if (va == MAP_FAILED) {
		int e = errno;	/* what the caller reports */

		unmap_data(h, MAP_FAILED, map.index);
		errno = e;
	}
	return va;
}

static int map_ring(struct hostbe *h)
{
	h->gnt_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	if (h->gnt_fd < 0)
		return -errno;
	h->ring = map_data(h, h->rx_ref, &h->gnt_index);
	if (h->ring == MAP_FAILED) {
		h->ring = NULL;
		return -errno;
	}
	return 0;
}

static void unmap_ring(struct hostbe *h)
{
	if (h->gnt_fd < 0)
		return;
	unmap_data(h, h->ring ? h->ring : MAP_FAILED, h->gnt_index);
	h->ring = NULL;
	close(h->gnt_fd);
	h->gnt_fd = -1;
}

static int bind_port(struct hostbe *h)
{
	struct ioctl_evtchn_bind_interdomain bind = {
		.remote_domain = h->domid,
		.remote_port = h->evtchn,
	};
	int r;

	h->evt_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (h->evt_fd < 0)
		return -errno;
	r = ioctl(h->evt_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (r < 0)
		return -errno;
	h->port = r;
	return 0;
}

static void unbind_port(struct hostbe *h)
{
	struct ioctl_evtchn_unbind unbind = { .port = h->port };

	if (h->evt_fd < 0)
		return;
	if (h->port >= 0)
		ioctl(h->evt_fd, IOCTL_EVTCHN_UNBIND, &unbind);
	h->port = -1;
	close(h->evt_fd);
	h->evt_fd = -1;
}

static int notify(struct hostbe *h)
{
	struct ioctl_evtchn_notify n = { .port = h->port };

	return ioctl(h->evt_fd, IOCTL_EVTCHN_NOTIFY, &n);
}

/*
 * The ring page is shared with the frontend: its indices are only read
 * and written with __atomic_load_n() and __atomic_store_n().
 */
static struct ring_hdr *hdr(struct hostbe *h)
{
	return h->ring;
}

/* Wait up to @secs for one more SIGUSR1 than holds before consumed. */
static void hold_for_go(int secs)
{
	static int used;
	double end = now() + secs;

	if (secs <= 0)
		return;
	while (go_count <= used && !stop && now() < end)
		nap_ms(20);
	if (go_count <= used && !stop)
		say("hold-timeout after %d s", secs);
	used++;
}

/*
 * Send events for up to @secs; from every @check_ms, look at the
 * frontend's state and stop early if @until_closing and it closes.
 * Returns the events sent; *@state is the last state seen.
 */
static unsigned long long send_events(struct hostbe *h, double secs,
				      long check_ms, bool until_closing,
				      int *state, double *took)
{
	double t0 = now(), next = t0 + check_ms / 1000.0, t = t0;
	unsigned long long n = 0;
	int err = 0;

	*state = fe_state(h);
	while (!stop && t - t0 < secs) {
		unsigned int i;

		for (i = 0; i < 256; i++) {
			if (notify(h)) {
				err = errno;
				break;
			}
			n++;
		}
		if (err) {
			say("error notify: %s", strerror(err));
			break;
		}
		t = now();
		if (t < next)
			continue;
		next = t + check_ms / 1000.0;
		*state = fe_state(h);
		if (until_closing &&
		    (*state == ST_CLOSING || *state == ST_CLOSED))
			break;
	}
	*took = now() - t0;
	*state = fe_state(h);
	return n;
}

/* Undo everything, bounded in time; true if both directories are gone. */
static bool clean_up(struct hostbe *h)
{
	double end;
	bool gone;
	int st;

	cleaning = 1;
	alarm(30);
	/* The frontend ends its grants cleanly once we let go of them. */
	unmap_ring(h);
	unbind_port(h);
	if (!h->created)
		return true;
	be_set_state(h, ST_CLOSING);
	end = now() + 5;
	while ((st = fe_state(h)) != ST_CLOSED && st != -1 && now() < end)
		nap_ms(100);
	be_set_state(h, ST_CLOSED);
	nap_ms(200);
	xs_path_op(&h->xs, XS_RM, 0, h->fe);
	xs_path_op(&h->xs, XS_RM, 0, h->be_dom);
	/* The base directory too, if no other domain's device is in it. */
	if (!xs_path_op(&h->xs, XS_DIRECTORY, 0, h->be_base) &&
	    (!h->xs.len || (h->xs.len == 1 && !h->xs.reply[0])))
		xs_path_op(&h->xs, XS_RM, 0, h->be_base);
	gone = xs_path_op(&h->xs, XS_READ, 0, h->fe) == -ENOENT &&
	       xs_path_op(&h->xs, XS_READ, 0, h->be) == -ENOENT;
	say("cleanup frontend-state=%d removed=%s", st, gone ? "yes" : "no");
	alarm(0);
	return gone;
}

/* ------------------------------------------------------------------ */
/* -k: a console                                                       */
/* ------------------------------------------------------------------ */

#define CONS_IN_SIZE	1024u
#define CONS_OUT_SIZE	2048u

static struct cons_page *cons(struct hostbe *h)
{
	return h->ring;
}

/* Send TEXT to the domain as input, as much as fits; then an event. */
static void cons_send(struct hostbe *h, const char *text)
{
	struct cons_page *p = cons(h);
	uint32_t prod = __atomic_load_n(&p->in_prod, __ATOMIC_RELAXED);
	uint32_t used = prod - __atomic_load_n(&p->in_cons, __ATOMIC_ACQUIRE);
	size_t i, n = strlen(text);

	if (used > CONS_IN_SIZE)
		used = CONS_IN_SIZE;
	if (n > CONS_IN_SIZE - used)
		n = CONS_IN_SIZE - used;
	for (i = 0; i < n; i++)
		p->in[(prod + i) & (CONS_IN_SIZE - 1)] = text[i];
	/* The bytes are in place before the index shows them. */
	__atomic_store_n(&p->in_prod, prod + (uint32_t)n, __ATOMIC_RELEASE);
	notify(h);
}

/*
 * Take the domain's output for up to SECS seconds, until what was taken
 * holds WANT; true if it did.  Everything read is consumed (out_cons),
 * with an event after each read, as xenconsoled does.
 */
static bool cons_expect(struct hostbe *h, const char *want, double secs,
			size_t *got)
{
	struct cons_page *p = cons(h);
	double end = now() + secs;
	char seen[4096];
	size_t len = 0;

	*got = 0;
	while (!stop && now() < end) {
		uint32_t c = __atomic_load_n(&p->out_cons, __ATOMIC_RELAXED);
		uint32_t prod = __atomic_load_n(&p->out_prod, __ATOMIC_ACQUIRE);
		uint32_t n = prod - c;

		if (n > CONS_OUT_SIZE)
			return false;
		if (n) {
			while (n--) {
				if (len == sizeof(seen)) {
					memmove(seen, seen + 2048, len - 2048);
					len -= 2048;
				}
				seen[len++] = p->out[c++ & (CONS_OUT_SIZE - 1)];
				(*got)++;
			}
			__atomic_store_n(&p->out_cons, c, __ATOMIC_RELEASE);
			notify(h);
			if (memmem(seen, len, want, strlen(want)))
				return true;
		}
		nap_ms(50);
	}
	return false;
}

/* Input the domain's terminal echoes back once it holds it open. */
static bool cons_echo(struct hostbe *h, int round)
{
	char ping[32];
	size_t got = 0, all = 0;
	bool ok = false;
	int i;

	snprintf(ping, sizeof(ping), "xci-cons-ping-%d", round);
	/* Sent again while nothing in the domain has the terminal open. */
	for (i = 0; i < 6 && !ok && !stop; i++) {
		cons_send(h, ping);
		cons_send(h, "\r");
		ok = cons_expect(h, ping, 5, &got);
		all += got;
	}
	say("cons-echo round=%d ok=%s tries=%d bytes=%zu", round,
	    ok ? "yes" : "no", i, all);
	return ok;
}

/* Wait up to SECS for the frontend's state to be one of A and B. */
static int wait_fe_state(struct hostbe *h, int a, int b, double secs)
{
	double end = now() + secs;
	int st;

	while ((st = fe_state(h)) != a && st != b && !stop && now() < end)
		nap_ms(100);
	return st;
}

/* Map the frontend's page, bind its channel and go Connected. */
static int cons_connect(struct hostbe *h, const char **what)
{
	int r;

	*what = "mapping ring-ref";
	r = map_ring(h);
	if (r)
		return r;
	*what = "binding port";
	r = bind_port(h);
	if (r)
		return r;
	*what = "writing Connected";
	r = be_set_state(h, ST_CONNECTED);
	if (r)
		return r;
	*what = "frontend did not go Connected";
	return wait_fe_state(h, ST_CONNECTED, ST_CONNECTED, 10) ==
		ST_CONNECTED ? 0 : -ETIMEDOUT;
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* The console attack's last line; returns @rc, its exit status. */
static int cons_result(struct hostbe *h, bool echo1, bool echo2, bool closed,
		       bool again, bool overrun, int rc)
{
	char tail[80];

	snprintf(tail, sizeof(tail), " overrun=%s storm_events=%llu exit=%d",
		 yes_no(overrun), h->storm_events, rc);
	say("result console echo1=%s echo2=%s closed=%s reconnected=%s%s",
	    yes_no(echo1), yes_no(echo2), yes_no(closed), yes_no(again), tail);
	return rc;
}

/*
 * The console attack, once the frontend is Initialised: see the top of
 * this file.  Returns the exit status.
 */
static int run_console(struct hostbe *h, int storm, int hold_s)
{
	bool echo1 = false, echo2 = false, closed = false, again = false;
	bool overrun = false;
	const char *what = "";
	unsigned long ref1 = h->rx_ref;
	double took;
	int r, st, rc;

	r = cons_connect(h, &what);
	if (r)
		goto fail;
	say("cons-connected domid=%u handle=%u ring-ref=%lu port=%lu",
	    h->domid, h->handle, h->rx_ref, h->evtchn);
	echo1 = cons_echo(h, 1);

	/* Events that bring nothing. */
	hold_for_go(hold_s);
	if (stop)
		goto stopped;
	h->storm_events = send_events(h, storm, 1000, false, &st, &took);
	say("storm events=%llu seconds=%.1f rate=%.0f/s state=%d",
	    h->storm_events, took, took > 0 ? h->storm_events / took : 0.0, st);

	/* out_cons ahead of the domain's producer, then input to echo. */
	hold_for_go(hold_s);
	if (stop)
		goto stopped;
	{
		struct cons_page *p = cons(h);
		uint32_t c = __atomic_load_n(&p->out_cons, __ATOMIC_RELAXED);
		uint32_t prod = __atomic_load_n(&p->out_prod, __ATOMIC_ACQUIRE);

		__atomic_store_n(&p->out_cons, prod + 1000, __ATOMIC_RELEASE);
		cons_send(h, "xci-cons-bad\r");
		/* The frontend puts itself into an error state: Closing. */
		st = wait_fe_state(h, ST_CLOSING, ST_CLOSED, 5);
		say("cons-bad-index out_cons=%u->%u out_prod=%u frontend-state=%d",
		    c, prod + 1000, prod, st);
	}

	/* Closing, then back for a new connection. */
	be_set_state(h, ST_CLOSING);
	st = wait_fe_state(h, ST_CLOSED, -1, 10);
	closed = st == ST_CLOSED;
	say("cons-closed frontend-state=%d", st);
	unmap_ring(h);
	unbind_port(h);
	be_set_state(h, ST_INITWAIT);
	st = wait_fe_state(h, ST_INITIALISED, ST_CONNECTED, 30);
	if (st == ST_INITIALISED || st == ST_CONNECTED) {
		r = wait_frontend(h, 1, &what);
		if (!r)
			r = cons_connect(h, &what);
		again = !r;
	}
	say("cons-reconnected ok=%s ring-ref=%lu->%lu port=%lu frontend-state=%d",
	    again ? "yes" : "no", ref1, h->rx_ref, h->evtchn, fe_state(h));
	if (again)
		echo2 = cons_echo(h, 2);
	if (echo2) {
		/*
		 * in_prod more than the input ring ahead of its consumer.  An
		 * index that is no progress brings no event the domain acts
		 * on, so the overrun rides on progress: a line's echo is left
		 * unconsumed until in_prod is set, and then consumed with an
		 * event, on which the domain reads its input and finds it.
		 */
		struct cons_page *p = cons(h);
		uint32_t c, prod, out = __atomic_load_n(&p->out_prod,
							__ATOMIC_ACQUIRE);
		double until = now() + 5;

		cons_send(h, "xci-cons-last\r");
		while (__atomic_load_n(&p->out_prod, __ATOMIC_ACQUIRE) == out &&
		       now() < until && !stop)
			nap_ms(10);
		c = __atomic_load_n(&p->in_cons, __ATOMIC_ACQUIRE);
		prod = c + 2 * CONS_IN_SIZE;
		__atomic_store_n(&p->in_prod, prod, __ATOMIC_RELEASE);
		__atomic_store_n(&p->out_cons,
				 __atomic_load_n(&p->out_prod, __ATOMIC_ACQUIRE),
				 __ATOMIC_RELEASE);
		notify(h);
		st = wait_fe_state(h, ST_CLOSING, ST_CLOSED, 10);
		overrun = st == ST_CLOSING || st == ST_CLOSED;
		say("cons-bad-prod in_cons=%u in_prod=%u frontend-state=%d",
		    c, prod, st);
	}
	clean_up(h);
	rc = echo1 && echo2 && closed && again && overrun ? 0 : 1;
	return cons_result(h, echo1, echo2, closed, again, overrun, rc);

stopped:
	say("error stopped (signal or time limit)");
	clean_up(h);
	return cons_result(h, echo1, false, false, false, false, 3);
fail:
	say("error %s: %s", what, strerror(r < 0 ? -r : r));
	clean_up(h);
	return cons_result(h, false, false, false, false, false, 2);
}

/* ------------------------------------------------------------------ */
/* -t: a receive buffer answered while still mapped                     */
/* ------------------------------------------------------------------ */

/* The packet's length: over the 2048 bytes a frontend copies whole. */
#define TAKE_LEN	3000u

/*
 * The take attack, once connected: see the top of this file.  Returns the
 * exit status.
 */
static int run_take(struct hostbe *h, int hold_s)
{
	struct ring_hdr *rh = hdr(h);
	uint8_t *slots = (uint8_t *)h->ring + sizeof(*rh);
	struct rx_request req;
	struct rx_response rsp;
	uint64_t index = 0;
	bool closing = false;
	double end;
	void *va;
	uint32_t idx;
	int st, rc;

	/* The caller brings the domU's interface up meanwhile. */
	hold_for_go(hold_s);
	if (stop) {
		say("error stopped in take (signal or time limit)");
		clean_up(h);
		say("result take closing=no exit=3");
		return 3;
	}
	idx = __atomic_load_n(&rh->rsp_prod, __ATOMIC_ACQUIRE);
	memcpy(&req, slots + (size_t)(idx & (RX_SLOTS - 1)) * RX_SLOT_SIZE,
	       sizeof(req));
	va = map_data(h, req.gref, &index);
	if (va == MAP_FAILED) {
		say("error mapping the data page of rx request id=%u gref=%u: %s",
		    req.id, req.gref, strerror(errno));
		clean_up(h);
		say("result take closing=no exit=2");
		return 2;
	}
	/* Something that looks like a frame, for what it is worth. */
	memset(va, 0xa5, PAGE_BYTES);
	rsp.id = req.id;
	rsp.offset = 0;
	rsp.flags = 0;
	rsp.status = TAKE_LEN;
	memcpy(slots + (size_t)(idx & (RX_SLOTS - 1)) * RX_SLOT_SIZE, &rsp,
	       sizeof(rsp));
	/* The response is in its slot before the index shows it. */
	__atomic_store_n(&rh->rsp_prod, idx + 1, __ATOMIC_RELEASE);
	say("take-start rsp_prod=%u->%u id=%u gref=%u len=%u", idx, idx + 1,
	    req.id, req.gref, TAKE_LEN);
	end = now() + 10;
	st = fe_state(h);
	while (!stop && now() < end) {
		notify(h);
		st = wait_fe_state(h, ST_CLOSING, ST_CLOSED, 1);
		if (st == ST_CLOSING || st == ST_CLOSED)
			break;
	}
	closing = st == ST_CLOSING || st == ST_CLOSED;
	/* Still ours to write: a frontend that gave it away loses data. */
	memset(va, 0x5a, PAGE_BYTES);
	say("take frontend-state=%d closing=%s wrote=%u", st, yes_no(closing),
	    PAGE_BYTES);
	unmap_data(h, va, index);
	clean_up(h);
	rc = closing ? 0 : 1;
	say("result take closing=%s exit=%d", yes_no(closing), rc);
	return rc;
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: xhostbe [-k | -t] [-s STORM] [-b BACK] [-w WAIT] [-g HOLD]\n"
		"               [-l LIMIT] [-m MAC] [-p BASE] DOMID HANDLE\n");
	exit(2);
}

static unsigned long num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		bad_usage();
	return v;
}

/* The line that reports the connection, kept whole for grep. */
#define CONNECTED_FMT "connected domid=%u handle=%u rx-ref=%lu tx-ref=%lu port=%lu req_prod=%u rsp_prod=%u"

int main(int argc, char **argv)
{
	int storm = 30, back = 10, wait = 60, hold_s = 60, limit = 180;
	struct hostbe h = { .gnt_fd = -1, .evt_fd = -1, .port = -1 };
	const char *what = "", *phase = "set-up", *mac = NULL;
	bool closing = false, connected = false;
	double took;
	int c, r, st, rc;

	h.be_base = "/local/domain/0/backend/xci-vif";
	while ((c = getopt(argc, argv, "kts:b:w:g:l:m:p:")) != -1) {
		switch (c) {
		case 'k':
			h.console = true;
			break;
		case 't':
			h.take = true;
			break;
		case 's':
			storm = num(optarg, 3600);
			break;
		case 'b':
			back = num(optarg, 3600);
			break;
		case 'w':
			wait = num(optarg, 3600);
			break;
		case 'g':
			hold_s = num(optarg, 3600);
			break;
		case 'l':
			limit = num(optarg, 86400);
			break;
		case 'm':
			mac = optarg;
			break;
		case 'p':
			h.be_base = optarg;
			break;
		default:
			bad_usage();
		}
	}
	if (argc - optind != 2 || (h.console && h.take))
		bad_usage();
	/* The MAC domu.sh's idle mode brings up for -t. */
	h.mac = mac ? mac : h.take ? "00:16:3e:00:99:08" : "00:16:3e:00:99:07";
	h.domid = num(argv[optind], 32751);
	h.handle = num(argv[optind + 1], 65535);
	if (!h.domid || strlen(h.be_base) > 100)
		bad_usage();
	if (h.console && !strcmp(h.be_base, "/local/domain/0/backend/xci-vif"))
		h.be_base = "/local/domain/0/backend/xci-console";
	snprintf(h.fe, sizeof(h.fe), "/local/domain/%u/device/%s/%u",
		 h.domid, h.console ? "console" : "vif", h.handle);
	snprintf(h.be_dom, sizeof(h.be_dom), "%s/%u", h.be_base, h.domid);
	snprintf(h.be, sizeof(h.be), "%s/%u", h.be_dom, h.handle);

	set_handler(SIGUSR1, on_go);
	set_handler(SIGTERM, on_stop);
	set_handler(SIGINT, on_stop);
	set_handler(SIGHUP, on_stop);
	set_handler(SIGALRM, on_stop);
	signal(SIGPIPE, SIG_IGN);
	if (limit)
		alarm(limit);

	r = xs_open(&h.xs);
	if (r) {
		say("error xenstore: %s", strerror(-r));
		say("result closing=no storm_events=0 back_events=0 exit=2");
		return 2;
	}
	/* The domain must exist, and the device must not. */
	{
		char dom[64];

		snprintf(dom, sizeof(dom), "/local/domain/%u", h.domid);
		r = xs_path_op(&h.xs, XS_READ, 0, dom);
		if (r) {
			what = "no such domain in xenstore";
			goto fail;
		}
		r = xs_path_op(&h.xs, XS_READ, 0, h.fe);
		if (r != -ENOENT) {
			what = "the frontend directory exists already";
			r = r ? r : -EEXIST;
			goto fail;
		}
	}
	r = create_nodes(&h, &what);
	if (r) {
		/* Whatever a failed commit left is ours to remove. */
		h.created = true;
		goto fail;
	}
	h.created = true;
	r = wait_frontend(&h, wait, &what);
	if (r)
		goto fail;
	if (h.console)
		return run_console(&h, storm, hold_s);
	what = "mapping rx-ring-ref";
	r = map_ring(&h);
	if (r)
		goto fail;
	what = "binding event-channel";
	r = bind_port(&h);
	if (r)
		goto fail;
	what = "writing Connected";
	r = be_set_state(&h, ST_CONNECTED);
	if (r)
		goto fail;
	/* The frontend starts its data path on seeing us Connected. */
	nap_ms(1000);
	connected = true;
	{
		uint32_t req = __atomic_load_n(&hdr(&h)->req_prod, __ATOMIC_ACQUIRE);
		uint32_t rsp = __atomic_load_n(&hdr(&h)->rsp_prod, __ATOMIC_ACQUIRE);

		say(CONNECTED_FMT, h.domid, h.handle, h.rx_ref, h.tx_ref, h.evtchn, req, rsp);
		if (req - rsp == 0 || req - rsp > RX_SLOTS) {
			what = "no receive requests posted";
			r = -EPROTO;
			goto fail;
		}
	}

	if (h.take)
		return run_take(&h, hold_s);

	/* Phase 1: one new response, then events as fast as we can. */
	phase = "storm";
	hold_for_go(hold_s);
	if (stop)
		goto stopped;
	{
		struct ring_hdr *rh = hdr(&h);
		uint32_t idx = __atomic_load_n(&rh->rsp_prod, __ATOMIC_ACQUIRE);
		uint8_t *slots = (uint8_t *)h.ring + sizeof(*rh);
		size_t off = (size_t)(idx & (RX_SLOTS - 1)) * RX_SLOT_SIZE;
		struct rx_request req;
		struct rx_response rsp;

		memcpy(&req, slots + off, sizeof(req));
		rsp.id = req.id;
		rsp.offset = 0;
		rsp.flags = 0;
		rsp.status = 1;
		memcpy(slots + off, &rsp, sizeof(rsp));
		/* The response is in its slot before the index shows it. */
		__atomic_store_n(&rh->rsp_prod, idx + 1, __ATOMIC_RELEASE);
		say("storm-start rsp_prod=%u->%u id=%u", idx, idx + 1, req.id);
	}
	h.storm_events = send_events(&h, storm, 1000, false, &st, &took);
	say("storm events=%llu seconds=%.1f rate=%.0f/s state=%d",
	    h.storm_events, took, took > 0 ? h.storm_events / took : 0.0, st);
	if (stop)
		goto stopped;

	/* Phase 2: the producer index goes back behind what was seen. */
	phase = "backwards";
	hold_for_go(hold_s);
	if (stop)
		goto stopped;
	st = fe_state(&h);
	{
		struct ring_hdr *rh = hdr(&h);
		uint32_t idx = __atomic_load_n(&rh->rsp_prod, __ATOMIC_ACQUIRE);

		__atomic_store_n(&rh->rsp_prod, idx - 1, __ATOMIC_RELEASE);
		say("back-start rsp_prod=%u->%u state=%d", idx, idx - 1, st);
	}
	if (st != ST_CONNECTED) {
		/* It left Connected already: no verdict on this step. */
		say("error frontend left Connected during the storm (state %d)", st);
		h.back_events = 0;
	} else {
		h.back_events = send_events(&h, back, 50, true, &st, &took);
		closing = st == ST_CLOSING || st == ST_CLOSED;
		say("backwards events=%llu seconds=%.1f state=%d closing=%s",
		    h.back_events, took, st, closing ? "yes" : "no");
	}
	if (stop)
		goto stopped;

	/* Phase 3: Closing while the receive ring is still mapped. */
	phase = "closing";
	be_set_state(&h, ST_CLOSING);
	{
		double end = now() + 10;
		size_t n = PAGE_BYTES - sizeof(struct ring_hdr);

		while ((st = fe_state(&h)) != ST_CLOSED && st != -1 && !stop &&
		       now() < end)
			nap_ms(100);
		memset((uint8_t *)h.ring + sizeof(struct ring_hdr), 0x5a, n);
		say("closed-mapped frontend-state=%d wrote=%zu", st, n);
	}
	hold_for_go(hold_s);
	if (stop)
		goto stopped;
	clean_up(&h);
	rc = closing ? 0 : 1;
	say("result closing=%s storm_events=%llu back_events=%llu exit=%d",
	    closing ? "yes" : "no", h.storm_events, h.back_events, rc);
	return rc;

stopped:
	say("error stopped in %s (signal or time limit)", phase);
	clean_up(&h);
	say("result closing=no storm_events=%llu back_events=%llu exit=3",
	    h.storm_events, h.back_events);
	return 3;

fail:
	if (stop && !connected) {
		say("error stopped in %s: %s", phase, what);
		clean_up(&h);
		say("result closing=no storm_events=0 back_events=0 exit=3");
		return 3;
	}
	say("error %s: %s", what, strerror(r < 0 ? -r : r));
	{
		char path[192], err[256];

		snprintf(path, sizeof(path), "/local/domain/%u/error/device/vif/%u/error",
			 h.domid, h.handle);
		if (h.created && !xs_read(&h.xs, path, err, sizeof(err)))
			say("error frontend says: %s", err);
	}
	clean_up(&h);
	say("result closing=no storm_events=%llu back_events=%llu exit=2",
	    h.storm_events, h.back_events);
	return 2;
}
