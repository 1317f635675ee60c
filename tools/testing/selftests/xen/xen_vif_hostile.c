// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile Xen network frontend in user space.
 *
 * The test takes one virtual network interface of this domain away from
 * the kernel's frontend and drives its backend directly: it grants its
 * own transmit and receive ring pages and a few data pages with
 * /dev/xen/gntalloc, binds an event channel with /dev/xen/evtchn and
 * negotiates through /dev/xen/xenbus.  It then transmits malformed
 * packets and checks that the backend answers a packet it merely refuses
 * with NETIF_RSP_ERROR and carries on, and that it closes this one
 * interface, answering everything it consumed, when the frontend breaks
 * the protocol.
 *
 * XEN_SELFTEST_HOSTILE_VIF=<handle> names the interface by its xenstore
 * handle (1 for the second vif).  Without it every test is skipped, as
 * it is when not running on Xen.  The interface should be a spare one:
 * the test leaves it unbound from the kernel's driver with the frontend
 * Closed.  Writing vif-<handle> to /sys/bus/xen/drivers/vif/bind hands it
 * back.
 *
 * Set-up of every test, with bounded waits throughout: find the backend;
 * unbind the kernel's driver if it holds the device; write frontend state
 * Closed and wait for the backend's Closed; remove the ring keys of the
 * earlier frontend; write Initialising and wait for InitWait; grant the
 * rings and pages, bind an event channel; write "tx-ring-ref",
 * "rx-ring-ref", "event-channel", "request-rx-copy", "feature-rx-notify"
 * and "feature-sg", then state Connected, and wait for the backend's
 * Connected.  One queue, one event channel, no receive buffers posted.
 *
 * rx_stall_event_storm (XSA-332 class) has a broadcast frame sent from
 * another interface of this domain that is up (the first one that is not
 * loopback and not the hostile vif; skipped if there is none), so that a
 * bridge in the backend's domain hands the hostile vif a packet it has no
 * buffer for.  It waits XEN_SELFTEST_RX_STALL_MS (default 15000: our
 * backend's rx_drain_msecs, 10000 by default, and a margin) for the
 * backend to declare the queue stalled, posts one receive buffer, too few
 * to unstall it, and notifies the event channel in a tight loop for 10 s.
 * None of those events makes progress possible, so a backend must take
 * them as spurious and let late EOI slow them down.  The test only sees
 * that the backend stays Connected, answers a frame afterwards and left
 * the one buffer unfilled (else the queue had not stalled); the cost of
 * the storm is measured in the backend's domain, from the interrupt count
 * of the event channel (the boot matrix's dom0 does, see its vif-rx-storm
 * check).  It prints how many notifications it sent.
 *
 * rx_stall_carrier sends the same frames and waits as long, in which the
 * backend stalls the receive queue and, in its domain, turns the vif's
 * carrier off; then it posts RX_UNSTALL_BUFS receive buffers, more than
 * a 64 KiB packet takes, and requires a broadcast sent afterwards to
 * arrive in one of them within RSP_TIMEOUT_MS: the stall has ended, and
 * the carrier, on again, lets the bridge forward to the vif.  It holds
 * the connection CARRIER_HOLD_MS more, for the backend's domain to see
 * the carrier back on (the boot matrix's dom0 does, see its
 * vif-rx-carrier check).
 *
 * rx_req_prod_flip_storm is the same attack before any stall: it moves
 * the receive ring's req_prod back and forth between two values, both
 * too few buffers for the frame that waits, and notifies after each
 * move.  A frame with no extras takes one receive request, which leaves
 * no two values below it, so the test first connects again asking for
 * "xdp-headroom" FLIP_HEADROOM (skipped if the backend does not offer
 * it): every frame then takes FLIP_NEED requests, its data and an XDP
 * extra.  A queue stalls once its head packet has waited rx_drain_msecs
 * (10 s by default in our backend), and its carrier goes off once it has
 * been short of buffers for rx_stall_timeout_msecs (5 s in the boot
 * matrix); the flips reset neither, since a packet's wait counts from
 * when it was queued and only a delivered packet ends the shortage.  So
 * the storm runs in rounds of FLIP_ROUND_MS: a broadcast tagged with the
 * round's number waits for buffers while the test flips req_prod between
 * the consumer index and one above it; then the test publishes the two
 * buffers, which the frame takes, and starts the next round, for 10 s.
 * None of the flips makes progress possible, so a backend must take
 * their events as spurious.  Nor may it close the vif for them: req_prod
 * never goes back behind buffers that were enough for a frame, which is
 * what our backend breaks a queue for (rx.c).  The test requires that
 * every round's frame arrives in its two buffers at FLIP_HEADROOM (no
 * stall: a stalled queue needs far more), that nothing is taken during
 * the flips, and that the backend stays Connected and answers a frame
 * afterwards.  It does not wait for a stall, so XEN_SELFTEST_RX_STALL_MS
 * plays no part.  As for rx_stall_event_storm, the cost of the storm is
 * measured in the backend's domain; the test prints how many
 * notifications it sent.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xen_common.h"
#include "xs_client.h"

#include <linux/if_ether.h>
#include <xen/evtchn.h>
#include <xen/gntalloc.h>

#define HOSTILE_ENV		"XEN_SELFTEST_HOSTILE_VIF"
#define RX_STALL_ENV		"XEN_SELFTEST_RX_STALL_MS"
#define EVTCHN_DEV		"/dev/xen/evtchn"
#define GNTALLOC_DEV		"/dev/xen/gntalloc"
#define VIF_DEVICES		"/sys/bus/xen/devices"
#define VIF_UNBIND		"/sys/bus/xen/drivers/vif/unbind"
#define NET_SYSFS		"/sys/class/net"

#define PATH_LEN		256
#define VAL_LEN			64
#define WHY_LEN			512
#define STATE_TIMEOUT_MS	30000
#define RSP_TIMEOUT_MS		10000
#define STATE_POLL_MS		100
#define EVENT_POLL_MS		50
/* Our backend's rx_drain_msecs by default, and a margin. */
#define RX_STALL_MS		15000
#define RX_STALL_MAX_MS		100000ULL
#define STORM_MS		10000
/* Notifications between two looks at the clock. */
#define STORM_BATCH		256
/* Time for the backend's domain to count the storm's last interrupts. */
#define STORM_HOLD_MS		3000
#define STALL_FRAMES		3
/* Receive buffers that end any backend's stall: our netback needs 22. */
#define RX_UNSTALL_BUFS		32
/* Time for the backend's domain to see the carrier back on. */
#define CARRIER_HOLD_MS		3000
/* Receive headroom rx_req_prod_flip_storm asks for: Linux's XDP one. */
#define FLIP_HEADROOM		256
/* Receive requests a small frame then takes: its data and an XDP extra. */
#define FLIP_NEED		2
/* Flipping between two deliveries: well below any stall (see the header). */
#define FLIP_ROUND_MS		2000
/* Frames a round may take before its own: other broadcasts, resent ones. */
#define FLIP_TAKE_MAX		8
/* Until the first frame arrives, it is sent again this often. */
#define FLIP_RESEND_MS		500
#define ETH_TYPE_LOCAL		0x88b5

#define XB_INITIALISING		1
#define XB_INITWAIT		2
#define XB_CONNECTED		4
#define XB_CLOSING		5
#define XB_CLOSED		6
#define XB_BIT(state)		(1U << (state))

/* The netif protocol (Xen's io/netif.h). */
#define NIF_PAGE_SIZE		4096
#define NIF_RING_HDR_SIZE	64
#define NIF_TX_SLOTS		256
#define NIF_RX_SLOTS		256
#define NETTXF_more_data	0x4
#define NETTXF_extra_info	0x8
#define NETIF_RSP_ERROR		(-1)
#define NETIF_RSP_OKAY		0
#define NETIF_RSP_NULL		1
#define NETRXF_more_data	0x4
#define NETRXF_extra_info	0x8
#define NETIF_EXTRA_TYPE_XDP	5
#define NETIF_EXTRA_FLAG_MORE	0x1
/* Data slots our backend drops a packet above, and disconnects above. */
#define DROP_SLOTS		18
#define FATAL_SLOTS		20

/* A grant reference no domain hands out. */
#define BAD_GREF		0x7ffffff0U
#define NR_DATA			4
#define FRAME_LEN		60

struct nif_tx_req {
	__u32 gref;
	__u16 offset;
	__u16 flags;
	__u16 id;
	__u16 size;
};

struct nif_tx_rsp {
	__u16 id;
	__s16 status;
};

/* An extra info; an XDP one has its headroom in pad[0]. */
struct nif_extra {
	__u8 type;
	__u8 flags;
	__u16 pad[3];
};

union nif_tx_slot {
	struct nif_tx_req req;
	struct nif_tx_rsp rsp;
	struct nif_extra extra;
};

struct nif_tx_sring {
	__u32 req_prod;
	__u32 req_event;
	__u32 rsp_prod;
	__u32 rsp_event;
	__u8 pad[NIF_RING_HDR_SIZE - 16];
	union nif_tx_slot slots[NIF_TX_SLOTS];
};

struct nif_rx_req {
	__u16 id;
	__u16 pad;
	__u32 gref;
};

struct nif_rx_rsp {
	__u16 id;
	__u16 offset;
	__u16 flags;
	__s16 status;
};

union nif_rx_slot {
	struct nif_rx_req req;
	struct nif_rx_rsp rsp;
};

struct nif_rx_sring {
	__u32 req_prod;
	__u32 req_event;
	__u32 rsp_prod;
	__u32 rsp_event;
	__u8 pad[NIF_RING_HDR_SIZE - 16];
	union nif_rx_slot slots[NIF_RX_SLOTS];
};

static_assert(sizeof(struct nif_tx_req) == 12, "netif tx request");
static_assert(sizeof(union nif_tx_slot) == 12, "netif tx slot");
static_assert(sizeof(struct nif_extra) == 8, "netif extra info");
static_assert(offsetof(struct nif_tx_sring, slots) == NIF_RING_HDR_SIZE,
	      "ring header");
static_assert(sizeof(struct nif_tx_sring) <= NIF_PAGE_SIZE, "ring page");
static_assert(sizeof(union nif_rx_slot) == 8, "netif rx slot");
static_assert(sizeof(struct nif_extra) == sizeof(union nif_rx_slot),
	      "netif rx extra info");
static_assert(offsetof(struct nif_rx_sring, slots) == NIF_RING_HDR_SIZE,
	      "rx ring header");
static_assert(sizeof(struct nif_rx_sring) <= NIF_PAGE_SIZE, "rx ring page");

struct gpage {
	void *va;
	__u64 index;
	__u32 gref;
};

/* Our end of the connection to the backend of one vif. */
struct vif_conn {
	struct xs_conn *xs;
	unsigned int handle;
	unsigned int backend_id;
	char fe[PATH_LEN];
	char be[PATH_LEN];
	bool touched;
	int gnt_fd;
	int evt_fd;
	unsigned int port;
	struct gpage tx;
	struct gpage rx;
	struct gpage data[NR_DATA];
	struct nif_tx_sring *sring;
	struct nif_rx_sring *rx_sring;
	__u32 req_prod;
	__u32 rsp_cons;
	__u16 next_id;
	/* "xdp-headroom" to ask for when connecting; 0: none. */
	unsigned int headroom;
	char why[WHY_LEN];
};

FIXTURE(vif_hostile) {
	struct vif_conn c;
};

/* Shared by all tests' processes: a failed set-up is not retried. */
static bool *setup_failed;

static void __attribute__((constructor)) hostile_init(void)
{
	void *p = mmap(NULL, sizeof(*setup_failed), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	setup_failed = p == MAP_FAILED ? NULL : p;
}

static __printf(2, 3) int fail(struct vif_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return -1;
}

static int xs_num(struct vif_conn *c, const char *dir, const char *key,
		  unsigned long long *val)
{
	char path[PATH_LEN], buf[VAL_LEN];
	int ret;

	if (xen_fmt(path, sizeof(path), "%s/%s", dir, key))
		return -ENAMETOOLONG;
	ret = xs_read(c->xs, 0, path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	return xen_parse_ull(buf, 10, val) ? -EPROTO : 0;
}

static int be_state(struct vif_conn *c)
{
	unsigned long long st;
	int ret = xs_num(c, c->be, "state", &st);

	return ret ? ret : (st > 31 ? -ERANGE : (int)st);
}

/* Wait for a backend state in @want; -1 with the reason otherwise. */
static int be_expect(struct vif_conn *c, unsigned int want, const char *after)
{
	long long deadline = xen_now_ms() + STATE_TIMEOUT_MS;
	int st;

	for (;;) {
		st = be_state(c);
		if (st >= 0 && (want & XB_BIT(st)))
			return 0;
		if (!xen_ms_left(deadline))
			return fail(c, "backend %s in state %d %d s after %s",
				    c->be, st, STATE_TIMEOUT_MS / 1000, after);
		usleep(STATE_POLL_MS * 1000);
	}
}

static int fe_write(struct vif_conn *c, const char *key, const char *val)
{
	char path[PATH_LEN];
	int ret;

	if (xen_fmt(path, sizeof(path), "%s/%s", c->fe, key))
		return fail(c, "path %s/%s too long", c->fe, key);
	ret = xs_write(c->xs, 0, path, val);
	return ret ? fail(c, "writing %s: %s", path, strerror(-ret)) : 0;
}

static int fe_uint(struct vif_conn *c, const char *key, unsigned int v)
{
	char val[16];

	snprintf(val, sizeof(val), "%u", v);
	return fe_write(c, key, val);
}

static int fe_state(struct vif_conn *c, int state)
{
	c->touched = true;
	return fe_uint(c, "state", state);
}

static int vif_find(struct vif_conn *c)
{
	unsigned long long id;
	char path[PATH_LEN];
	int ret;

	if (xen_fmt(c->fe, sizeof(c->fe), "device/vif/%u", c->handle) ||
	    xen_fmt(path, sizeof(path), "%s/backend", c->fe))
		return fail(c, "handle %u: path too long", c->handle);
	ret = xs_read(c->xs, 0, path, c->be, sizeof(c->be));
	if (ret <= 0)
		return fail(c, "reading %s: %s; is %s=%u a vif of this domain?",
			    path, ret ? strerror(-ret) : "empty", HOSTILE_ENV,
			    c->handle);
	ret = xs_num(c, c->fe, "backend-id", &id);
	if (ret || id >= XEN_DOMID_FIRST_RESERVED)
		return fail(c, "reading %s/backend-id: %s", c->fe,
			    ret ? strerror(-ret) : "out of range");
	c->backend_id = id;
	return 0;
}

/* Take the device from the kernel's netfront if it holds it. */
static int vif_take(struct vif_conn *c)
{
	char path[PATH_LEN], name[32];
	int fd, ret = 0;

	if (xen_fmt(path, sizeof(path), "%s/vif-%u/driver", VIF_DEVICES,
		    c->handle))
		return fail(c, "handle %u: path too long", c->handle);
	if (!xen_path_exists(path))
		return 0;
	snprintf(name, sizeof(name), "vif-%u", c->handle);
	fd = open(VIF_UNBIND, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, name, strlen(name)) != (ssize_t)strlen(name))
		ret = -errno;
	if (fd >= 0)
		close(fd);
	if (ret)
		return fail(c, "writing %s to %s: %s", name, VIF_UNBIND,
			    strerror(-ret));
	c->touched = true;
	return be_expect(c, XB_BIT(XB_CLOSED) | XB_BIT(XB_INITWAIT),
			 "the kernel's frontend let go");
}

/* Remove the keys of the frontend before us. */
static int vif_clean_keys(struct vif_conn *c)
{
	static const char *const prefixes[] = {
		"tx-ring-ref", "rx-ring-ref", "event-channel", "queue-",
		"multi-queue-num-queues", "ctrl-ring-ref", "request-",
		"feature-", "xdp-headroom",
	};
	char names[XS_BODY_MAX + 1], path[PATH_LEN];
	unsigned int len, pos, i;
	int ret;

	ret = xs_directory(c->xs, 0, c->fe);
	if (ret)
		return fail(c, "listing %s: %s", c->fe, strerror(-ret));
	len = c->xs->reply_len;
	memcpy(names, c->xs->reply, len);
	names[len] = '\0';
	for (pos = 0; pos < len; pos += strlen(names + pos) + 1) {
		for (i = 0; i < ARRAY_SIZE(prefixes); i++)
			if (!strncmp(names + pos, prefixes[i],
				     strlen(prefixes[i])))
				break;
		if (i == ARRAY_SIZE(prefixes))
			continue;
		if (xen_fmt(path, sizeof(path), "%s/%s", c->fe, names + pos))
			return fail(c, "path too long");
		ret = xs_rm(c->xs, 0, path);
		if (ret && ret != -ENOENT)
			return fail(c, "removing %s: %s", path, strerror(-ret));
	}
	return 0;
}

static int gpage_alloc(struct vif_conn *c, struct gpage *p, const char *what)
{
	struct ioctl_gntalloc_alloc_gref op = {
		.domid = c->backend_id,
		.flags = GNTALLOC_FLAG_WRITABLE,
		.count = 1,
	};
	void *va;

	if (ioctl(c->gnt_fd, IOCTL_GNTALLOC_ALLOC_GREF, &op))
		return fail(c, "granting the %s page: %s", what,
			    strerror(errno));
	p->index = op.index;
	p->gref = op.gref_ids[0];
	va = mmap(NULL, NIF_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		  c->gnt_fd, op.index);
	if (va == MAP_FAILED)
		return fail(c, "mapping the %s page: %s", what,
			    strerror(errno));
	p->va = va;
	memset(va, 0, NIF_PAGE_SIZE);
	return 0;
}

static void gpage_free(struct vif_conn *c, struct gpage *p)
{
	struct ioctl_gntalloc_dealloc_gref del = {
		.index = p->index,
		.count = 1,
	};

	if (!p->va)
		return;
	munmap(p->va, NIF_PAGE_SIZE);
	/* gntalloc keeps the page until the backend has let go of it. */
	ioctl(c->gnt_fd, IOCTL_GNTALLOC_DEALLOC_GREF, &del);
	p->va = NULL;
}

/* A broadcast Ethernet header from @src, of a locally used type. */
static void broadcast_header(__u8 *frame, const void *src)
{
	memset(frame, 0xff, ETH_ALEN);
	memcpy(frame + ETH_ALEN, src, ETH_ALEN);
	frame[2 * ETH_ALEN] = ETH_TYPE_LOCAL >> 8;
	frame[2 * ETH_ALEN + 1] = ETH_TYPE_LOCAL & 0xff;
}

static void vif_release(struct vif_conn *c)
{
	int i;

	if (c->evt_fd >= 0)
		close(c->evt_fd);
	c->evt_fd = -1;
	if (c->gnt_fd < 0)
		return;
	gpage_free(c, &c->tx);
	gpage_free(c, &c->rx);
	for (i = 0; i < NR_DATA; i++)
		gpage_free(c, &c->data[i]);
	close(c->gnt_fd);
	c->gnt_fd = -1;
}

static int vif_alloc(struct vif_conn *c)
{
	struct ioctl_evtchn_bind_unbound_port bind = {
		.remote_domain = c->backend_id,
	};
	int i, port;

	c->gnt_fd = open(GNTALLOC_DEV, O_RDWR | O_CLOEXEC);
	if (c->gnt_fd < 0)
		return fail(c, "open %s: %s", GNTALLOC_DEV, strerror(errno));
	if (gpage_alloc(c, &c->tx, "transmit ring") ||
	    gpage_alloc(c, &c->rx, "receive ring"))
		return -1;
	for (i = 0; i < NR_DATA; i++)
		if (gpage_alloc(c, &c->data[i], "data"))
			return -1;
	c->sring = c->tx.va;
	c->sring->req_event = 1;
	c->sring->rsp_event = 1;
	c->rx_sring = c->rx.va;
	c->rx_sring->req_event = 1;
	c->rx_sring->rsp_event = 1;
	/* Every data page starts with a harmless frame: broadcast, type 0x88b5. */
	for (i = 0; i < NR_DATA; i++)
		broadcast_header(c->data[i].va, "\x02\x00\x00\x00\x99\x77");

	c->evt_fd = open(EVTCHN_DEV, O_RDWR | O_CLOEXEC);
	if (c->evt_fd < 0)
		return fail(c, "open %s: %s", EVTCHN_DEV, strerror(errno));
	port = ioctl(c->evt_fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &bind);
	if (port < 0)
		return fail(c, "binding an event channel: %s", strerror(errno));
	c->port = port;
	return 0;
}

static int vif_connect(struct vif_conn *c)
{
	if (fe_state(c, XB_CLOSED) ||
	    be_expect(c, XB_BIT(XB_CLOSED), "the frontend wrote Closed") ||
	    vif_clean_keys(c) ||
	    fe_state(c, XB_INITIALISING) ||
	    be_expect(c, XB_BIT(XB_INITWAIT),
		      "the frontend wrote Initialising") ||
	    vif_alloc(c))
		return -1;
	if (fe_uint(c, "tx-ring-ref", c->tx.gref) ||
	    fe_uint(c, "rx-ring-ref", c->rx.gref) ||
	    fe_uint(c, "event-channel", c->port) ||
	    fe_write(c, "request-rx-copy", "1") ||
	    fe_write(c, "feature-rx-notify", "1") ||
	    fe_write(c, "feature-sg", "1") ||
	    (c->headroom && fe_uint(c, "xdp-headroom", c->headroom)) ||
	    fe_state(c, XB_CONNECTED))
		return -1;
	return be_expect(c, XB_BIT(XB_CONNECTED), "the frontend wrote Connected");
}

static int vif_close(struct vif_conn *c)
{
	if (fe_state(c, XB_CLOSED))
		return -1;
	return be_expect(c, XB_BIT(XB_CLOSED), "the frontend wrote Closed");
}

/*
 * Close the connection and make a new one that asks for what @c asks for
 * now: the backend reads the frontend's keys as it connects.
 */
static int vif_reconnect(struct vif_conn *c)
{
	if (vif_close(c))
		return -1;
	vif_release(c);
	c->req_prod = 0;
	c->rsp_cons = 0;
	return vif_connect(c);
}

FIXTURE_SETUP(vif_hostile)
{
	static const char *const devs[] = {
		XS_DEV_PATH, EVTCHN_DEV, GNTALLOC_DEV, NULL
	};
	struct vif_conn *c = &self->c;
	unsigned long long handle;
	unsigned int domid;
	const char *env, *why;
	int ret;

	c->gnt_fd = -1;
	c->evt_fd = -1;
	env = getenv(HOSTILE_ENV);
	if (!xen_is_running())
		SKIP(return, "not running on Xen");
	if (!env || !*env)
		SKIP(return, "set " HOSTILE_ENV " to the handle of a spare vif to run");
	why = xen_dev_setup(devs, &domid, &ret);
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret);
	if (sysconf(_SC_PAGESIZE) != NIF_PAGE_SIZE)
		SKIP(return, "page size is not %d", NIF_PAGE_SIZE);
	ASSERT_EQ(0, xen_parse_ull(env, 10, &handle)) {
		TH_LOG("%s=%s is not a handle", HOSTILE_ENV, env);
	}
	ASSERT_GT(1ULL << 16, handle);
	ASSERT_NE(NULL, setup_failed);
	ASSERT_FALSE(*setup_failed) {
		TH_LOG("the set-up failed in an earlier test; not trying again");
	}
	*setup_failed = true;

	c->handle = handle;
	c->next_id = (__u16)getpid();
	c->xs = xs_open();
	ASSERT_NE(NULL, c->xs);
	ret = vif_find(c);
	if (!ret)
		ret = vif_take(c);
	if (!ret)
		ret = vif_connect(c);
	if (ret && c->touched) {
		char first[WHY_LEN];

		memcpy(first, c->why, sizeof(first));
		vif_close(c);
		memcpy(c->why, first, sizeof(c->why));
	}
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", c->why);
	}
	*setup_failed = false;
}

FIXTURE_TEARDOWN(vif_hostile)
{
	struct vif_conn *c = &self->c;

	if (c->touched) {
		EXPECT_EQ(0, vif_close(c)) {
			TH_LOG("%s", c->why);
		}
	}
	vif_release(c);
	xs_close(c->xs);
}

/* Put @n slots on the ring, publish them and notify the backend. */
static int post(struct vif_conn *c, const union nif_tx_slot *s, unsigned int n)
{
	struct ioctl_evtchn_notify notify = { .port = c->port };
	unsigned int i;

	for (i = 0; i < n; i++)
		memcpy(&c->sring->slots[(c->req_prod + i) % NIF_TX_SLOTS],
		       &s[i], sizeof(s[i]));
	c->req_prod += n;
	__atomic_store_n(&c->sring->req_prod, c->req_prod, __ATOMIC_RELEASE);
	return ioctl(c->evt_fd, IOCTL_EVTCHN_NOTIFY, &notify) ? -errno : 0;
}

static void wait_event(struct vif_conn *c, int ms)
{
	struct pollfd pfd = { .fd = c->evt_fd, .events = POLLIN };
	unsigned int ports[8];
	ssize_t n;

	if (poll(&pfd, 1, ms) <= 0)
		return;
	n = read(c->evt_fd, ports, sizeof(ports));
	if (n > 0 && write(c->evt_fd, ports, n) != n)
		return;
}

/* Copy the next response out; 0, -ETIMEDOUT or -EPROTO (overrun). */
static int next_rsp(struct vif_conn *c, struct nif_tx_rsp *rsp)
{
	long long deadline = xen_now_ms() + RSP_TIMEOUT_MS;

	__atomic_store_n(&c->sring->rsp_event, c->rsp_cons + 1,
			 __ATOMIC_SEQ_CST);
	for (;;) {
		__u32 prod = __atomic_load_n(&c->sring->rsp_prod,
					     __ATOMIC_ACQUIRE);
		__u32 ready = prod - c->rsp_cons;
		int left;

		if (ready > c->req_prod - c->rsp_cons)
			return -EPROTO;
		if (ready) {
			memcpy(rsp,
			       &c->sring->slots[c->rsp_cons % NIF_TX_SLOTS],
			       sizeof(*rsp));
			c->rsp_cons++;
			return 0;
		}
		left = xen_ms_left(deadline);
		if (!left)
			return -ETIMEDOUT;
		wait_event(c, left < EVENT_POLL_MS ? left : EVENT_POLL_MS);
	}
}

/* A data slot of @size bytes at @offset of @gref. */
static void data_slot(struct vif_conn *c, union nif_tx_slot *s, __u32 gref,
		      __u16 offset, __u16 size, __u16 flags)
{
	memset(s, 0, sizeof(*s));
	s->req.gref = gref;
	s->req.offset = offset;
	s->req.size = size;
	s->req.flags = flags;
	s->req.id = c->next_id++;
}

/*
 * Send the @n slots of one packet and check every answer: each data slot
 * with its own id and @want, each extra info with NETIF_RSP_NULL.
 */
static void send_expect(struct __test_metadata *_metadata,
			struct vif_conn *c, union nif_tx_slot *s,
			unsigned int n, const bool *extra, int want,
			const char *what)
{
	unsigned int i;
	int ret;

	ret = post(c, s, n);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s: notifying the backend: %s", what, strerror(-ret));
	}
	for (i = 0; i < n; i++) {
		struct nif_tx_rsp rsp;

		ret = next_rsp(c, &rsp);
		ASSERT_EQ(0, ret) {
			TH_LOG("%s: slot %u of %u: %s; backend state %d", what,
			       i, n, ret == -ETIMEDOUT ?
			       "no response within 10 s" :
			       "more responses than requests", be_state(c));
		}
		if (extra && extra[i]) {
			EXPECT_EQ(NETIF_RSP_NULL, rsp.status) {
				TH_LOG("%s: extra slot %u: status %d", what, i,
				       rsp.status);
			}
			continue;
		}
		EXPECT_EQ(s[i].req.id, rsp.id) {
			TH_LOG("%s: slot %u: response for id %u, sent %u", what,
			       i, rsp.id, s[i].req.id);
		}
		EXPECT_EQ(want, rsp.status) {
			TH_LOG("%s: slot %u: status %d", what, i, rsp.status);
		}
	}
}

/* A good one-slot frame goes through. */
static void expect_service(struct __test_metadata *_metadata,
			   struct vif_conn *c, const char *after)
{
	union nif_tx_slot s;

	data_slot(c, &s, c->data[0].gref, 0, FRAME_LEN, 0);
	send_expect(_metadata, c, &s, 1, NULL, NETIF_RSP_OKAY, after);
	EXPECT_EQ(XB_CONNECTED, be_state(c));
}

/* The backend closes the vif after a protocol violation. */
static void expect_closed(struct __test_metadata *_metadata,
			  struct vif_conn *c, const char *what)
{
	EXPECT_EQ(0, be_expect(c, XB_BIT(XB_CLOSING) | XB_BIT(XB_CLOSED),
			       what)) {
		TH_LOG("%s", c->why);
	}
}

/* Is network interface @name the hostile vif (if netfront still has it)? */
static bool is_hostile_if(struct vif_conn *c, const char *name)
{
	char path[PATH_LEN], real[PATH_MAX], dev[32];
	const char *base;

	snprintf(dev, sizeof(dev), "vif-%u", c->handle);
	if (xen_fmt(path, sizeof(path), NET_SYSFS "/%s/device", name) ||
	    !realpath(path, real))
		return false;
	base = strrchr(real, '/');
	return base && !strcmp(base + 1, dev);
}

/*
 * An interface to send a broadcast from: up, Ethernet, not loopback and
 * not the hostile vif.  Fills @ifr with its name and hardware address.
 * Returns its index, 0 if there is none, or a negative errno.
 */
static int broadcast_if(struct vif_conn *c, int fd, struct ifreq *ifr)
{
	struct if_nameindex *all, *i;
	int found = 0;

	all = if_nameindex();
	if (!all)
		return -errno;
	for (i = all; i->if_index && !found; i++) {
		size_t len = strlen(i->if_name);

		if (len >= IFNAMSIZ || is_hostile_if(c, i->if_name))
			continue;
		memset(ifr, 0, sizeof(*ifr));
		memcpy(ifr->ifr_name, i->if_name, len);
		if (ioctl(fd, SIOCGIFFLAGS, ifr) || !(ifr->ifr_flags & IFF_UP) ||
		    (ifr->ifr_flags & IFF_LOOPBACK))
			continue;
		if (ioctl(fd, SIOCGIFHWADDR, ifr) ||
		    ifr->ifr_hwaddr.sa_family != ARPHRD_ETHER)
			continue;
		found = i->if_index;
	}
	if_freenameindex(all);
	return found;
}

/*
 * Send @n broadcast frames out of interface @index, through @fd, each
 * with @tag after its header (big-endian), by which its receiver can
 * tell it from other broadcasts.
 */
static int send_broadcasts(int fd, int index, const struct ifreq *ifr,
			   unsigned int n, __u32 tag)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_TYPE_LOCAL),
		.sll_ifindex = index,
		.sll_halen = ETH_ALEN,
	};
	__u8 frame[FRAME_LEN] = { 0 };
	__u32 be = htonl(tag);

	memset(to.sll_addr, 0xff, ETH_ALEN);
	broadcast_header(frame, ifr->ifr_hwaddr.sa_data);
	memcpy(frame + ETH_HLEN, &be, sizeof(be));
	while (n--)
		if (sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&to,
			   sizeof(to)) != sizeof(frame))
			return -errno;
	return 0;
}

TEST_F_TIMEOUT(vif_hostile, good_frames, 120)
{
	union nif_tx_slot s[2];
	int i;

	for (i = 0; i < 8; i++)
		expect_service(_metadata, &self->c, "a good frame");
	/* The same frame in two slots. */
	data_slot(&self->c, &s[0], self->c.data[1].gref, 0, FRAME_LEN,
		  NETTXF_more_data);
	data_slot(&self->c, &s[1], self->c.data[2].gref, 100, FRAME_LEN - 20, 0);
	send_expect(_metadata, &self->c, s, 2, NULL, NETIF_RSP_OKAY,
		    "a frame in two slots");
}

TEST_F_TIMEOUT(vif_hostile, refused_packets_keep_the_vif, 120)
{
	struct vif_conn *c = &self->c;
	union nif_tx_slot s[DROP_SLOTS + 1];
	unsigned int i;

	/* XSA-448: an empty fragment. */
	data_slot(c, &s[0], c->data[0].gref, 0, FRAME_LEN, NETTXF_more_data);
	data_slot(c, &s[1], c->data[1].gref, 0, 0, 0);
	send_expect(_metadata, c, s, 2, NULL, NETIF_RSP_ERROR,
		    "an empty fragment");
	expect_service(_metadata, c, "after an empty fragment");

	data_slot(c, &s[0], BAD_GREF, 0, FRAME_LEN, 0);
	send_expect(_metadata, c, s, 1, NULL, NETIF_RSP_ERROR, "a bad grant");
	expect_service(_metadata, c, "after a bad grant");

	data_slot(c, &s[0], c->data[0].gref, 0, 10, 0);
	send_expect(_metadata, c, s, 1, NULL, NETIF_RSP_ERROR,
		    "a frame shorter than its header");
	expect_service(_metadata, c, "after a short frame");

	data_slot(c, &s[0], c->data[0].gref, 0, FRAME_LEN, NETTXF_more_data);
	data_slot(c, &s[1], c->data[1].gref, 0, 2 * FRAME_LEN, 0);
	send_expect(_metadata, c, s, 2, NULL, NETIF_RSP_ERROR,
		    "fragments longer than the packet");
	expect_service(_metadata, c, "after overlong fragments");

	/* XSA-39's graded response: too many slots, but not fatally many. */
	for (i = 0; i <= DROP_SLOTS; i++)
		data_slot(c, &s[i], c->data[i % NR_DATA].gref, 0, FRAME_LEN,
			  i < DROP_SLOTS ? NETTXF_more_data : 0);
	s[0].req.size = (DROP_SLOTS + 1) * FRAME_LEN;
	send_expect(_metadata, c, s, DROP_SLOTS + 1, NULL, NETIF_RSP_ERROR,
		    "19 data slots");
	expect_service(_metadata, c, "after 19 data slots");
}

TEST_F_TIMEOUT(vif_hostile, event_storm, 120)
{
	struct ioctl_evtchn_notify notify = { .port = self->c.port };
	int i;

	for (i = 0; i < 20000; i++)
		ASSERT_EQ(0, ioctl(self->c.evt_fd, IOCTL_EVTCHN_NOTIFY, &notify));
	expect_service(_metadata, &self->c, "after 20000 empty events");
}

/*
 * How long the rx_stall_* tests wait for the backend to stall a queue:
 * @env in milliseconds if set, else RX_STALL_MS, in *@wait.  Returns 0,
 * or -EINVAL if @env is not a number up to RX_STALL_MAX_MS.
 */
static int rx_stall_ms(const char *env, unsigned long long *wait)
{
	*wait = RX_STALL_MS;
	if (!env || !*env)
		return 0;
	if (xen_parse_ull(env, 10, wait) || *wait > RX_STALL_MAX_MS)
		return -EINVAL;
	return 0;
}

/*
 * XSA-332 through a stalled receive queue: see the header.  Its cost is
 * measured where it falls, in the backend's domain.
 */
TEST_F_TIMEOUT(vif_hostile, rx_stall_event_storm, 240)
{
	struct ioctl_evtchn_notify notify = { .port = self->c.port };
	unsigned long long wait = RX_STALL_MS, sent = 0;
	const char *env = getenv(RX_STALL_ENV);
	struct vif_conn *c = &self->c;
	struct nif_rx_req *req;
	struct ifreq ifr;
	int fd, index, ret;
	unsigned int i;
	long long end;

	ASSERT_EQ(0, rx_stall_ms(env, &wait)) {
		TH_LOG("%s=%s is not a number of milliseconds up to %llu",
		       RX_STALL_ENV, env, RX_STALL_MAX_MS);
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd) {
		TH_LOG("an AF_PACKET socket: %s", strerror(errno));
	}
	index = broadcast_if(c, fd, &ifr);
	if (index <= 0) {
		close(fd);
		SKIP(return, "no other interface up to send a broadcast from (%s)",
		     index ? strerror(-index) : "none found");
	}
	ret = send_broadcasts(fd, index, &ifr, STALL_FRAMES, 0);
	close(fd);
	ASSERT_EQ(0, ret) {
		TH_LOG("sending broadcasts from %s: %s", ifr.ifr_name,
		       strerror(-ret));
	}
	/* The backend holds them for want of a buffer, then stalls. */
	poll(NULL, 0, wait);
	ASSERT_EQ(XB_CONNECTED, be_state(c));

	/* One buffer, far too few to unstall the queue. */
	req = &c->rx_sring->slots[0].req;
	req->id = 0;
	req->gref = c->data[NR_DATA - 1].gref;
	__atomic_store_n(&c->rx_sring->req_prod, 1, __ATOMIC_RELEASE);
	end = xen_now_ms() + STORM_MS;
	ret = 0;
	do {
		for (i = 0; i < STORM_BATCH && !ret; i++)
			if (ioctl(c->evt_fd, IOCTL_EVTCHN_NOTIFY, &notify))
				ret = -errno;
		sent += i;
	} while (!ret && xen_ms_left(end));
	ksft_print_msg("rx_stall_event_storm: %llu notifications in %d s (via %s)\n",
		       sent, STORM_MS / 1000, ifr.ifr_name);
	ASSERT_EQ(0, ret) {
		TH_LOG("notifying the backend: %s", strerror(-ret));
	}
	/* Let the backend's domain count the storm's last interrupts. */
	poll(NULL, 0, STORM_HOLD_MS);

	EXPECT_EQ(0U, __atomic_load_n(&c->rx_sring->rsp_prod, __ATOMIC_ACQUIRE)) {
		TH_LOG("the one buffer was filled: no stall after %llu ms; raise %s",
		       wait, RX_STALL_ENV);
	}
	expect_service(_metadata, c, "after the event storm");
}

/*
 * The carrier through a stall and back: see the header.  The carrier
 * itself is checked in the backend's domain.
 */
TEST_F_TIMEOUT(vif_hostile, rx_stall_carrier, 240)
{
	struct ioctl_evtchn_notify notify = { .port = self->c.port };
	unsigned long long wait = RX_STALL_MS;
	const char *env = getenv(RX_STALL_ENV);
	struct vif_conn *c = &self->c;
	struct ifreq ifr;
	int fd, index, ret, st;
	__u32 rsp_prod;
	unsigned int i;
	long long end;

	ASSERT_EQ(0, rx_stall_ms(env, &wait)) {
		TH_LOG("%s=%s is not a number of milliseconds up to %llu",
		       RX_STALL_ENV, env, RX_STALL_MAX_MS);
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd) {
		TH_LOG("an AF_PACKET socket: %s", strerror(errno));
	}
	index = broadcast_if(c, fd, &ifr);
	if (index <= 0) {
		close(fd);
		SKIP(return, "no other interface up to send a broadcast from (%s)",
		     index ? strerror(-index) : "none found");
	}
	ret = send_broadcasts(fd, index, &ifr, STALL_FRAMES, 0);
	if (ret)
		close(fd);
	ASSERT_EQ(0, ret) {
		TH_LOG("sending broadcasts from %s: %s", ifr.ifr_name,
		       strerror(-ret));
	}
	/* The backend holds them for want of a buffer, then stalls. */
	poll(NULL, 0, wait);
	st = be_state(c);
	if (st != XB_CONNECTED)
		close(fd);
	ASSERT_EQ(XB_CONNECTED, st);

	for (i = 0; i < RX_UNSTALL_BUFS; i++) {
		struct nif_rx_req *req = &c->rx_sring->slots[i].req;

		req->id = i;
		req->pad = 0;
		req->gref = c->data[i % NR_DATA].gref;
	}
	__atomic_store_n(&c->rx_sring->req_prod, RX_UNSTALL_BUFS,
			 __ATOMIC_RELEASE);
	ret = ioctl(c->evt_fd, IOCTL_EVTCHN_NOTIFY, &notify) ? -errno : 0;
	/* Until one arrives: the bridge forwards again once it sees the carrier. */
	end = xen_now_ms() + RSP_TIMEOUT_MS;
	do {
		if (!ret)
			ret = send_broadcasts(fd, index, &ifr, 1, 0);
		poll(NULL, 0, 200);
		rsp_prod = __atomic_load_n(&c->rx_sring->rsp_prod,
					   __ATOMIC_ACQUIRE);
	} while (!ret && !rsp_prod && xen_ms_left(end));
	close(fd);
	ASSERT_EQ(0, ret) {
		TH_LOG("after the stall, via %s: %s", ifr.ifr_name,
		       strerror(-ret));
	}
	ksft_print_msg("rx_stall_carrier: stalled for %llu ms, %u buffers posted, %u answered\n",
		       wait, RX_UNSTALL_BUFS, rsp_prod);
	EXPECT_NE(0U, rsp_prod) {
		TH_LOG("no frame arrived in %u posted buffers within %d s: the stall did not end",
		       RX_UNSTALL_BUFS, RSP_TIMEOUT_MS / 1000);
	}
	/* Let the backend's domain see the carrier back on. */
	poll(NULL, 0, CARRIER_HOLD_MS);
	expect_service(_metadata, c, "after the stall ended");
}

/* Where rx_req_prod_flip_storm's frames come from. */
struct flip_src {
	int fd;
	int index;
	struct ifreq ifr;
};

/* What rx_req_prod_flip_storm did. */
struct flip_stats {
	unsigned long long sent;
	unsigned int rounds;
	unsigned int others;
};

/*
 * Write FLIP_NEED receive requests from ring index @base on, unpublished:
 * the first buffer for a frame's data, the second for its XDP extra.
 */
static void rx_offer(struct vif_conn *c, __u32 base)
{
	unsigned int i;

	for (i = 0; i < FLIP_NEED; i++) {
		struct nif_rx_req *req;

		req = &c->rx_sring->slots[(base + i) % NIF_RX_SLOTS].req;
		req->id = (__u16)(base + i);
		req->pad = 0;
		req->gref = c->data[NR_DATA - 1 - i].gref;
	}
}

/* Move the receive ring's req_prod to @prod and notify the backend. */
static int rx_publish(struct vif_conn *c, __u32 prod)
{
	struct ioctl_evtchn_notify notify = { .port = c->port };

	__atomic_store_n(&c->rx_sring->req_prod, prod, __ATOMIC_RELEASE);
	return ioctl(c->evt_fd, IOCTL_EVTCHN_NOTIFY, &notify) ? -errno : 0;
}

/*
 * Publish the requests rx_offer() wrote at @base and wait for their
 * answers: a frame in the first buffer at FLIP_HEADROOM, then its XDP
 * extra.  Until they come, @src, unless NULL, sends a frame tagged @tag
 * every FLIP_RESEND_MS.  Points *@frame at the frame, in its data page,
 * and sets *@len.  Returns 0, or -1 with the reason in c->why.
 */
static int rx_take(struct vif_conn *c, __u32 base, const struct flip_src *src,
		   __u32 tag, const __u8 **frame, unsigned int *len)
{
	long long deadline = xen_now_ms() + RSP_TIMEOUT_MS, resend = 0;
	struct nif_rx_rsp rsp;
	struct nif_extra x;
	int ret, left;
	__u32 prod;

	/* Our answers' event wakes wait_event() at once. */
	__atomic_store_n(&c->rx_sring->rsp_event, base + FLIP_NEED,
			 __ATOMIC_SEQ_CST);
	ret = rx_publish(c, base + FLIP_NEED);
	if (ret)
		return fail(c, "notifying the backend: %s", strerror(-ret));
	for (;;) {
		prod = __atomic_load_n(&c->rx_sring->rsp_prod,
				       __ATOMIC_ACQUIRE);
		if (prod - base > FLIP_NEED)
			return fail(c, "rsp_prod %u: more answers than requests from %u",
				    prod, base);
		if (prod - base == FLIP_NEED)
			break;
		left = xen_ms_left(deadline);
		/* A stalled queue, or a frame that needs more buffers. */
		if (!left)
			return fail(c, "no frame from %u on in %d s: rsp_prod %u, state %d",
				    base, RSP_TIMEOUT_MS / 1000, prod,
				    be_state(c));
		if (src && xen_now_ms() >= resend) {
			ret = send_broadcasts(src->fd, src->index, &src->ifr,
					      1, tag);
			if (ret)
				return fail(c, "sending a broadcast from %s: %s",
					    src->ifr.ifr_name, strerror(-ret));
			resend = xen_now_ms() + FLIP_RESEND_MS;
		}
		wait_event(c, left < EVENT_POLL_MS ? left : EVENT_POLL_MS);
	}
	memcpy(&rsp, &c->rx_sring->slots[base % NIF_RX_SLOTS].rsp,
	       sizeof(rsp));
	memcpy(&x, &c->rx_sring->slots[(base + 1) % NIF_RX_SLOTS], sizeof(x));
	if (rsp.id != (__u16)base || rsp.status <= 0 ||
	    rsp.status > NIF_PAGE_SIZE - FLIP_HEADROOM ||
	    rsp.offset != FLIP_HEADROOM ||
	    (rsp.flags & (NETRXF_more_data | NETRXF_extra_info)) !=
	    NETRXF_extra_info || x.type != NETIF_EXTRA_TYPE_XDP ||
	    (x.flags & NETIF_EXTRA_FLAG_MORE) || x.pad[0] != FLIP_HEADROOM)
		return fail(c, "answers at %u: id %u status %d offset %u flags %#x, xdp %u/%#x/%u",
			    base, rsp.id, rsp.status, rsp.offset, rsp.flags,
			    x.type, x.flags, x.pad[0]);
	*frame = (const __u8 *)c->data[NR_DATA - 1].va + rsp.offset;
	*len = rsp.status;
	return 0;
}

/* Is @frame the broadcast that send_broadcasts() sent from @ifr with @tag? */
static bool flip_frame_ours(const __u8 *frame, unsigned int len,
			    const struct ifreq *ifr, __u32 tag)
{
	__u8 want[ETH_HLEN + sizeof(tag)];
	__u32 be = htonl(tag);

	broadcast_header(want, ifr->ifr_hwaddr.sa_data);
	memcpy(want + ETH_HLEN, &be, sizeof(be));
	return len >= sizeof(want) && !memcmp(frame, want, sizeof(want));
}

/*
 * The storm of rx_req_prod_flip_storm (see the header), on a connection
 * with FLIP_HEADROOM and an empty receive ring.  Returns 0, or -1 with
 * the reason in c->why.
 */
static int flip_storm(struct vif_conn *c, const struct flip_src *src,
		      struct flip_stats *st)
{
	long long end, round_end;
	unsigned int len, i, n;
	const __u8 *frame;
	__u32 base = 0;
	int ret = 0;

	/* A first frame: the bridge forwards once it sees the new carrier. */
	rx_offer(c, base);
	if (rx_take(c, base, src, 0, &frame, &len))
		return -1;
	base += FLIP_NEED;
	end = xen_now_ms() + STORM_MS;
	do {
		/* The round's frame, waiting for buffers from now on. */
		ret = send_broadcasts(src->fd, src->index, &src->ifr, 1,
				      st->rounds + 1);
		if (ret)
			return fail(c, "sending a broadcast from %s: %s",
				    src->ifr.ifr_name, strerror(-ret));
		rx_offer(c, base);
		round_end = xen_now_ms() + FLIP_ROUND_MS;
		if (round_end > end)
			round_end = end;
		do {
			/*
			 * No buffer, then one, where the frame needs
			 * FLIP_NEED: never back behind enough of them.
			 */
			for (i = 0; i < STORM_BATCH && !ret; i++)
				ret = rx_publish(c, base + (i & 1));
			st->sent += i;
		} while (!ret && xen_ms_left(round_end));
		if (ret)
			return fail(c, "notifying the backend: %s",
				    strerror(-ret));
		st->rounds++;
		if (__atomic_load_n(&c->rx_sring->rsp_prod,
				    __ATOMIC_ACQUIRE) != base)
			return fail(c, "buffers from %u answered while too few for a frame",
				    base);
		/* The round's frame, behind any broadcast that came first. */
		for (n = 0;; n++) {
			if (n == FLIP_TAKE_MAX)
				return fail(c, "%d frames in a row, none of them the round's",
					    FLIP_TAKE_MAX);
			if (rx_take(c, base, NULL, 0, &frame, &len))
				return -1;
			base += FLIP_NEED;
			if (flip_frame_ours(frame, len, &src->ifr, st->rounds))
				break;
			st->others++;
			rx_offer(c, base);
		}
	} while (xen_ms_left(end));
	return 0;
}

/*
 * XSA-332 before any stall, by moving req_prod back and forth: see the
 * header.  Its cost is measured where it falls, in the backend's domain.
 */
TEST_F_TIMEOUT(vif_hostile, rx_req_prod_flip_storm, 240)
{
	struct flip_stats st = { 0 };
	struct vif_conn *c = &self->c;
	unsigned long long offered;
	struct flip_src src;
	int ret;

	ret = xs_num(c, c->be, "feature-xdp-headroom", &offered);
	if (ret || offered != 1)
		SKIP(return, "no feature-xdp-headroom: a frame takes one buffer, only 0 below it");
	src.fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, src.fd) {
		TH_LOG("an AF_PACKET socket: %s", strerror(errno));
	}
	src.index = broadcast_if(c, src.fd, &src.ifr);
	if (src.index <= 0) {
		close(src.fd);
		SKIP(return, "no other interface up to send a broadcast from (%s)",
		     src.index ? strerror(-src.index) : "none found");
	}
	c->headroom = FLIP_HEADROOM;
	ret = vif_reconnect(c);
	if (!ret)
		ret = flip_storm(c, &src, &st);
	close(src.fd);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s (after %u rounds, %llu notifications)", c->why,
		       st.rounds, st.sent);
	}
	ksft_print_msg("rx_req_prod_flip_storm: %llu notifications in %d s (via %s)\n",
		       st.sent, STORM_MS / 1000, src.ifr.ifr_name);
	ksft_print_msg("rx_req_prod_flip_storm: %u rounds, %u other frames\n",
		       st.rounds, st.others);
	/* Let the backend's domain count the storm's last interrupts. */
	poll(NULL, 0, STORM_HOLD_MS);
	expect_service(_metadata, c, "after the flips");
}

TEST_F_TIMEOUT(vif_hostile, too_many_slots_closes, 120)
{
	struct vif_conn *c = &self->c;
	union nif_tx_slot s[FATAL_SLOTS + 1];
	unsigned int i;

	expect_service(_metadata, c, "before");
	for (i = 0; i <= FATAL_SLOTS; i++)
		data_slot(c, &s[i], c->data[i % NR_DATA].gref, 0, FRAME_LEN,
			  NETTXF_more_data);
	s[0].req.size = (FATAL_SLOTS + 1) * FRAME_LEN;
	send_expect(_metadata, c, s, FATAL_SLOTS + 1, NULL, NETIF_RSP_ERROR,
		    "21 data slots");
	expect_closed(_metadata, c, "21 data slots");
}

TEST_F_TIMEOUT(vif_hostile, fragment_crossing_its_page_closes, 120)
{
	struct vif_conn *c = &self->c;
	union nif_tx_slot s[2];

	expect_service(_metadata, c, "before");
	data_slot(c, &s[0], c->data[0].gref, 0, 300, NETTXF_more_data);
	data_slot(c, &s[1], c->data[1].gref, NIF_PAGE_SIZE - 100, 200, 0);
	send_expect(_metadata, c, s, 2, NULL, NETIF_RSP_ERROR,
		    "a fragment crossing its page");
	expect_closed(_metadata, c, "a fragment crossing its page");
}

TEST_F_TIMEOUT(vif_hostile, unknown_extra_closes, 120)
{
	struct vif_conn *c = &self->c;
	bool extra[2] = { false, true };
	union nif_tx_slot s[2];

	expect_service(_metadata, c, "before");
	data_slot(c, &s[0], c->data[0].gref, 0, FRAME_LEN, NETTXF_extra_info);
	memset(&s[1], 0, sizeof(s[1]));
	s[1].extra.type = 9;
	send_expect(_metadata, c, s, 2, extra, NETIF_RSP_ERROR,
		    "an extra info of type 9");
	expect_closed(_metadata, c, "an extra info of type 9");
}

TEST_F_TIMEOUT(vif_hostile, ring_overrun_closes, 120)
{
	struct ioctl_evtchn_notify notify = { .port = self->c.port };
	struct vif_conn *c = &self->c;

	expect_service(_metadata, c, "before");
	/* A producer index two rings ahead of what was answered. */
	__atomic_store_n(&c->sring->req_prod, c->req_prod + 2 * NIF_TX_SLOTS,
			 __ATOMIC_RELEASE);
	ASSERT_EQ(0, ioctl(c->evt_fd, IOCTL_EVTCHN_NOTIFY, &notify));
	expect_closed(_metadata, c, "a producer index beyond the ring");
}

TEST_HARNESS_MAIN
