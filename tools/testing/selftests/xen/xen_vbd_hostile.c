// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile Xen block frontend in user space.
 *
 * The test takes one virtual block device of this domain away from the
 * kernel's frontend and drives its backend directly: it grants its own
 * ring and data pages with /dev/xen/gntalloc, binds an event channel
 * with /dev/xen/evtchn and negotiates through /dev/xen/xenbus.  It then
 * sends malformed requests and checks that the backend answers each of
 * them with an error, still serves good requests, and disconnects this
 * one device (and nothing else) when the frontend overruns the ring.
 *
 * XEN_SELFTEST_HOSTILE_VBD=<vdev> names the device by its xenstore vdev
 * number (51824 for xvdh).  Without it every test is skipped, as it is
 * when not running on Xen.  The device should be a scratch disk: the test
 * writes its last 4 KiB, discards the whole disk (its first GiB if it is
 * larger), puts the old contents of the last 4 KiB back unless the test
 * fails first, and leaves the device unbound from the kernel's driver with
 * the frontend Closed.
 * Writing vbd-<vdev> to /sys/bus/xen/drivers/vbd/bind hands it back.
 * XEN_SELFTEST_DETACH_KEY=<xenstore key> also runs the last test, which asks
 * the toolstack through that key to take the device away while it floods
 * it (see vbd_detach below); the device is gone after that.
 *
 * Set-up of every test (the fixture), with bounded waits throughout:
 *  1. Read "device/vbd/<vdev>/backend" and "backend-id" (relative paths
 *     resolve below our own /local/domain/<domid>).
 *  2. If the kernel's vbd driver holds the device, and the disk is neither
 *     mounted, used for swap nor held by another block device, write
 *     "vbd-<vdev>" to /sys/bus/xen/drivers/vbd/unbind.  The kernel's
 *     frontend goes to Closed, and so does the backend, which stays
 *     because the toolstack keeps it online.
 *  3. Write frontend state Closed (6), whatever an earlier test left
 *     behind, and wait for the backend to be Closed.  Remove the ring keys
 *     the kernel's frontend wrote; then write state Initialising (1) and
 *     wait for the backend's InitWait (2).
 *  4. Grant one ring page, a few data pages, an indirect segment page and
 *     one read-only page to the backend domain; initialise the ring
 *     header (req_event = rsp_event = 1).  Bind an unbound event channel
 *     for the backend domain.
 *  5. Write "ring-ref", "event-channel", "protocol" = "x86_64-abi",
 *     "feature-persistent" (0 in the "copy" variant, 1 in the
 *     "persistent" one) and then state Initialised (3); wait for the
 *     backend's Connected (4) and read "sectors", "sector-size", "info"
 *     and the feature keys.
 *
 * Every test but close_under_flood runs in both variants.  With
 * "persistent", a backend that offers feature-persistent may keep our
 * pages mapped across requests: bad and read-only grants must still fail
 * alone, a changed indirect page must be re-read, and the teardown must
 * get every mapping back.
 *
 * Most tests post one request at a time (slot, then req_prod with release
 * ordering, then a notification) and poll rsp_prod for its answer for at
 * most 10 s.  A response is copied out of the shared page once and only
 * the copy is checked: its id must echo the request's, and its status
 * must be OKAY (0) for a good request and ERROR (-1) or EOPNOTSUPP (-2)
 * for a bad one.  Each test connects afresh, so the backend's count of
 * malformed requests (it disconnects a frontend after 16) starts at 0.
 * Every request the backend answers at once with an error counts towards
 * that limit, and so does every discard of no sectors.
 *
 * The flood tests instead keep the ring busy for a bounded time: they spin
 * on the ring and post the next batch of half the ring as soon as the
 * backend has taken the one before (it wrote the first answer into its
 * slot), so the backend's consume loop finds new requests every time it
 * looks.  A backend must neither serve an endless flood of requests it
 * answers at once with an error, nor let a flood of good ones keep its
 * ring thread from stopping when the frontend closes.
 *
 * The teardown writes frontend state Closed and waits for the backend to
 * close, so the device is left Closed at the end.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen_common.h"
#include "xs_client.h"

#include <xen/evtchn.h>
#include <xen/gntalloc.h>

#define HOSTILE_ENV		"XEN_SELFTEST_HOSTILE_VBD"
#define DETACH_ENV		"XEN_SELFTEST_DETACH_KEY"
#define EVTCHN_DEV		"/dev/xen/evtchn"
#define GNTALLOC_DEV		"/dev/xen/gntalloc"
#define XEN_BUS_DEVICES		"/sys/bus/xen/devices"
#define VBD_UNBIND		"/sys/bus/xen/drivers/vbd/unbind"

#define PATH_LEN		256
#define VAL_LEN			64
#define WHY_LEN			512

#define STATE_TIMEOUT_MS	30000
#define RSP_TIMEOUT_MS		10000
#define STATE_POLL_MS		100
#define EVENT_POLL_MS		50
/* How long a backend that gave up on the ring must stay silent. */
#define QUIET_MS		2000
#define HOSTILE_TIMEOUT_S	200

/* Xenbus states. */
#define XB_INITIALISING		1
#define XB_INITWAIT		2
#define XB_INITIALISED		3
#define XB_CONNECTED		4
#define XB_CLOSING		5
#define XB_CLOSED		6
#define XB_BIT(state)		(1U << (state))

/* The blkif protocol, "x86_64-abi" layout. */
#define VBD_PAGE_SIZE		4096
#define VBD_SECTORS_PER_PAGE	8
#define VBD_OP_READ		0
#define VBD_OP_WRITE		1
#define VBD_OP_FLUSH		3
#define VBD_OP_RESERVED		4
#define VBD_OP_DISCARD		5
#define VBD_OP_INDIRECT		6
#define VBD_OP_BOGUS		0x7f
#define VBD_MAX_SEGS		11
#define VBD_MAX_IND_PAGES	8
#define VBD_SEGS_PER_IND_PAGE	(VBD_PAGE_SIZE / sizeof(struct vbd_seg))
#define VBD_RSP_OKAY		0
#define VBD_RSP_ERROR		(-1)
#define VBD_RSP_EOPNOTSUPP	(-2)
#define VBD_RING_HDR_SIZE	64
#define VBD_SLOT_SIZE		112
#define VBD_RING_SLOTS		32
#define VDISK_READONLY		0x4

/* A grant reference no domain hands out. */
#define BAD_GREF		0x7ffffff0U
/* Malformed requests our backend answers before it disconnects. */
#define MAX_MALFORMED		16
#define NR_DATA			4

struct vbd_seg {
	__u32 gref;
	__u8 first_sect;
	__u8 last_sect;
	__u16 pad;
};

struct vbd_req {
	__u8 operation;
	__u8 nr_segments;
	__u16 handle;
	__u32 pad;
	__u64 id;
	__u64 sector_number;
	struct vbd_seg seg[VBD_MAX_SEGS];
};

struct vbd_ind_req {
	__u8 operation;
	__u8 indirect_op;
	__u16 nr_segments;
	__u32 pad1;
	__u64 id;
	__u64 sector_number;
	__u16 handle;
	__u16 pad2;
	__u32 indirect_grefs[VBD_MAX_IND_PAGES];
	__u32 pad3;
};

struct vbd_discard_req {
	__u8 operation;
	__u8 flag;
	__u16 handle;
	__u32 pad;
	__u64 id;
	__u64 sector_number;
	__u64 nr_sectors;
};

struct vbd_rsp {
	__u64 id;
	__u8 operation;
	__u8 pad1;
	__s16 status;
	__u32 pad2;
};

union vbd_slot {
	struct vbd_req rw;
	struct vbd_ind_req ind;
	struct vbd_discard_req discard;
	struct vbd_rsp rsp;
	__u8 bytes[VBD_SLOT_SIZE];
};

struct vbd_sring {
	__u32 req_prod;
	__u32 req_event;
	__u32 rsp_prod;
	__u32 rsp_event;
	__u8 pad[VBD_RING_HDR_SIZE - 16];
	union vbd_slot slots[VBD_RING_SLOTS];
};

static_assert(sizeof(struct vbd_seg) == 8, "blkif segment");
static_assert(sizeof(struct vbd_req) == VBD_SLOT_SIZE, "blkif request");
static_assert(offsetof(struct vbd_req, seg) == 24, "blkif request");
static_assert(sizeof(struct vbd_ind_req) == 64, "blkif indirect request");
static_assert(offsetof(struct vbd_ind_req, handle) == 24,
	      "blkif indirect request");
static_assert(offsetof(struct vbd_ind_req, indirect_grefs) == 28,
	      "blkif indirect request");
static_assert(sizeof(struct vbd_discard_req) == 32, "blkif discard request");
static_assert(sizeof(struct vbd_rsp) == 16, "blkif response");
static_assert(offsetof(struct vbd_ind_req, id) == offsetof(struct vbd_req, id),
	      "id at the same place in every request");
static_assert(offsetof(struct vbd_discard_req, id) ==
	      offsetof(struct vbd_req, id),
	      "id at the same place in every request");
static_assert(sizeof(union vbd_slot) == VBD_SLOT_SIZE, "ring slot");
static_assert(offsetof(struct vbd_sring, slots) == VBD_RING_HDR_SIZE,
	      "ring header");
static_assert(sizeof(struct vbd_sring) <= VBD_PAGE_SIZE, "ring page");

/* A page granted to the backend and mapped here. */
struct gpage {
	void *va;
	__u64 index;
	__u32 gref;
};

/* Our end of the connection to the backend of one vbd. */
struct vbd_conn {
	struct xs_conn *xs;
	unsigned int vdev;
	__u16 handle;
	unsigned int backend_id;
	char fe[PATH_LEN];
	char be[PATH_LEN];
	/* We changed the frontend state: close the device in the end. */
	bool touched;
	/* Write feature-persistent = 1 when connecting. */
	bool persistent;

	int gnt_fd;
	int evt_fd;
	unsigned int port;
	struct gpage ring;
	struct gpage data[NR_DATA];
	struct gpage ind;
	struct gpage ro;
	struct vbd_sring *sring;
	__u32 req_prod;
	__u32 rsp_cons;
	__u64 next_id;

	/* The disk, as the backend describes it. */
	__u64 sectors;
	__u64 last_page;
	unsigned long long sector_size;
	unsigned long long info;
	unsigned long long flush;
	unsigned long long discard;
	unsigned long long max_indirect;

	char why[WHY_LEN];
};

FIXTURE(vbd_hostile) {
	struct vbd_conn c;
};

FIXTURE_VARIANT(vbd_hostile) {
	bool persistent;
};

FIXTURE_VARIANT_ADD(vbd_hostile, copy) {
	.persistent = false,
};

FIXTURE_VARIANT_ADD(vbd_hostile, persistent) {
	.persistent = true,
};

/*
 * Set while a fixture set-up runs and left set if it does not finish, in
 * memory shared by the processes of all tests: after one failed set-up
 * the others fail at once instead of waiting for the same timeouts.
 */
static bool *setup_failed;

static void __attribute__((constructor)) hostile_init(void)
{
	void *p = mmap(NULL, sizeof(*setup_failed), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	setup_failed = p == MAP_FAILED ? NULL : p;
}

/* Record why the connection failed; returns -1. */
static __printf(2, 3) int fail(struct vbd_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);

	return -1;
}

static const char *state_name(int state)
{
	static const char *const names[] = {
		"Unknown", "Initialising", "InitWait", "Initialised",
		"Connected", "Closing", "Closed", "Reconfiguring",
		"Reconfigured",
	};
	static char buf[64];

	if (state >= 0 && state < (int)ARRAY_SIZE(names))
		return names[state];
	if (state < 0)
		snprintf(buf, sizeof(buf), "unreadable (%s)", strerror(-state));
	else
		snprintf(buf, sizeof(buf), "%d (invalid)", state);

	return buf;
}

static int write_text(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);

	return err;
}

/* Read the unsigned number at <@dir>/@key. */
static int xs_read_num(struct xs_conn *xs, const char *dir, const char *key,
		       unsigned long long *val)
{
	char path[PATH_LEN], buf[VAL_LEN];
	int ret;

	if (xen_fmt(path, sizeof(path), "%s/%s", dir, key))
		return -ENAMETOOLONG;
	ret = xs_read(xs, 0, path, buf, sizeof(buf));
	if (ret < 0)
		return ret;

	return xen_parse_ull(buf, 10, val) ? -EPROTO : 0;
}

/* The xenbus state at <@dir>/state, or -errno. */
static int xs_state(struct xs_conn *xs, const char *dir)
{
	unsigned long long state;
	int ret;

	ret = xs_read_num(xs, dir, "state", &state);
	if (ret)
		return ret;

	return state > INT_MAX ? -ERANGE : (int)state;
}

static int be_state(struct vbd_conn *c)
{
	return xs_state(c->xs, c->be);
}

/* What the toolstack answers at the detach key (vbd_detach). */
enum detach_answer {
	DETACH_NONE,		/* nothing yet */
	DETACH_GONE,		/* "gone": dom0 no longer has the backend */
	DETACH_STUCK,		/* "stuck": dom0 still had it at its limit */
};

/* The toolstack's answer at @key: a detach_answer. */
static int detach_answer(struct xs_conn *xs, const char *key)
{
	char val[VAL_LEN];

	if (xs_read(xs, 0, key, val, sizeof(val)) < 0)
		return DETACH_NONE;
	if (!strcmp(val, "gone"))
		return DETACH_GONE;
	if (!strcmp(val, "stuck"))
		return DETACH_STUCK;

	return DETACH_NONE;
}

/*
 * Whether anything is at the detach @key: vbd_detach's request ("flood")
 * or the toolstack's answer.  Once the request is there the device is on
 * its way out, answered or not.
 */
static bool detach_asked(struct xs_conn *xs, const char *key)
{
	char val[VAL_LEN];

	return xs_read(xs, 0, key, val, sizeof(val)) >= 0;
}

/*
 * Poll the backend's state until it is in @want or @stop (masks of
 * XB_BIT()), for at most @timeout_ms.  Returns the last state seen, or
 * -errno if it could not be read.
 */
static int be_wait(struct vbd_conn *c, unsigned int want, unsigned int stop,
		   int timeout_ms)
{
	long long deadline = xen_now_ms() + timeout_ms;
	int state;

	for (;;) {
		state = be_state(c);
		if (state >= 0 && state < 32 && (want | stop) & XB_BIT(state))
			return state;
		if (!xen_ms_left(deadline))
			return state;
		usleep(STATE_POLL_MS * 1000);
	}
}

/* Wait for backend state @target; fails at once on one of @stop. */
static int be_expect(struct vbd_conn *c, int target, unsigned int stop,
		     const char *after)
{
	int state = be_wait(c, XB_BIT(target), stop, STATE_TIMEOUT_MS);

	if (state == target)
		return 0;

	return fail(c, "backend %s not %s %d s after %s; last state seen: %s",
		    c->be, state_name(target), STATE_TIMEOUT_MS / 1000, after,
		    state_name(state));
}

static int fe_write(struct vbd_conn *c, const char *key, const char *val)
{
	char path[PATH_LEN];
	int ret;

	if (xen_fmt(path, sizeof(path), "%s/%s", c->fe, key))
		return fail(c, "path %s/%s too long", c->fe, key);
	ret = xs_write(c->xs, 0, path, val);
	if (ret)
		return fail(c, "writing %s = %s: %s", path, val, strerror(-ret));

	return 0;
}

static int fe_set_state(struct vbd_conn *c, int state)
{
	char val[8];

	snprintf(val, sizeof(val), "%d", state);
	c->touched = true;

	return fe_write(c, "state", val);
}

/* Find the frontend and backend directories of the device. */
static int vbd_find(struct vbd_conn *c)
{
	unsigned long long id;
	char path[PATH_LEN];
	int ret;

	if (xen_fmt(c->fe, sizeof(c->fe), "device/vbd/%u", c->vdev) ||
	    xen_fmt(path, sizeof(path), "%s/backend", c->fe))
		return fail(c, "vdev %u: path too long", c->vdev);
	ret = xs_read(c->xs, 0, path, c->be, sizeof(c->be));
	if (ret <= 0)
		return fail(c, "reading %s: %s; is %s=%u a vbd of this domain?",
			    path, ret ? strerror(-ret) : "empty", HOSTILE_ENV,
			    c->vdev);
	ret = xs_read_num(c->xs, c->fe, "backend-id", &id);
	if (ret)
		return fail(c, "reading %s/backend-id: %s", c->fe,
			    strerror(-ret));
	if (id >= XEN_DOMID_FIRST_RESERVED)
		return fail(c, "%s/backend-id is %llu", c->fe, id);
	c->backend_id = id;

	return 0;
}

/* Whether @line holds @tok followed by white space or its end. */
static bool has_token(const char *line, const char *tok)
{
	size_t len = strlen(tok);
	const char *p;

	for (p = strstr(line, tok); p; p = strstr(p + 1, tok))
		if (!p[len] || isspace((unsigned char)p[len]))
			return true;

	return false;
}

/* Whether a line of @file holds @tok. */
static bool file_has_token(const char *file, const char *tok)
{
	char line[1024];
	bool found = false;
	FILE *f;

	f = fopen(file, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = has_token(line, tok);
	fclose(f);

	return found;
}

/* Whether /sys/class/block/@name/@sub is a non-empty directory. */
static bool dir_has_entries(const char *name, const char *sub)
{
	char path[PATH_LEN];
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (xen_fmt(path, sizeof(path), "/sys/class/block/%s/%s", name, sub))
		return false;
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		found = de->d_name[0] != '.';
	closedir(d);

	return found;
}

/*
 * Whether block device @name (a disk or a partition) is mounted, used for
 * swap or held by another block device.
 */
static bool blk_in_use(const char *name, char *why, size_t size)
{
	char path[PATH_LEN], tok[PATH_LEN];

	if (dir_has_entries(name, "holders")) {
		xen_fmt(why, size, "%s has holders", name);
		return true;
	}
	if (!xen_fmt(tok, sizeof(tok), "/dev/%s", name) &&
	    (file_has_token("/proc/self/mountinfo", tok) ||
	     file_has_token("/proc/swaps", tok))) {
		xen_fmt(why, size, "%s is mounted or used for swap", tok);
		return true;
	}
	/* Mount sources may be spelled otherwise; the device number is not. */
	if (!xen_fmt(path, sizeof(path), "/sys/class/block/%s/dev", name) &&
	    xen_read_text(path, tok + 1, sizeof(tok) - 2) > 0) {
		tok[0] = ' ';
		if (file_has_token("/proc/self/mountinfo", tok)) {
			xen_fmt(why, size, "%s (%s) is mounted", name, tok + 1);
			return true;
		}
	}

	return false;
}

/* Whether the kernel's disk on vbd-@vdev or one of its partitions is busy. */
static bool vbd_in_use(unsigned int vdev, char *why, size_t size)
{
	char path[PATH_LEN], disk[NAME_MAX + 1] = "";
	struct dirent *de;
	bool busy;
	DIR *d;

	if (xen_fmt(path, sizeof(path), "%s/vbd-%u/block", XEN_BUS_DEVICES,
		    vdev))
		return false;
	d = opendir(path);
	if (!d)
		return false;	/* no disk: nothing can use it */
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(disk, sizeof(disk), "%s", de->d_name);
			break;
		}
	closedir(d);
	if (!disk[0])
		return false;

	busy = blk_in_use(disk, why, size);
	if (busy || xen_fmt(path, sizeof(path), "/sys/class/block/%s", disk))
		return busy;
	d = opendir(path);
	if (!d)
		return false;
	while (!busy && (de = readdir(d))) {
		char part[PATH_LEN];

		if (strncmp(de->d_name, disk, strlen(disk)) ||
		    xen_fmt(part, sizeof(part), "%s/%s/partition", path,
			    de->d_name) ||
		    !xen_path_exists(part))
			continue;
		busy = blk_in_use(de->d_name, why, size);
	}
	closedir(d);

	return busy;
}

/* Take the device from the kernel's frontend driver if it holds it. */
static int vbd_take(struct vbd_conn *c)
{
	char path[PATH_LEN], name[32], why[PATH_LEN] = "";
	int ret;

	if (xen_fmt(path, sizeof(path), "%s/vbd-%u/driver", XEN_BUS_DEVICES,
		    c->vdev))
		return fail(c, "vdev %u: path too long", c->vdev);
	if (!xen_path_exists(path))
		return 0;
	if (vbd_in_use(c->vdev, why, sizeof(why)))
		return fail(c, "refusing to take vbd-%u from the kernel: %s",
			    c->vdev, why);

	snprintf(name, sizeof(name), "vbd-%u", c->vdev);
	ret = write_text(VBD_UNBIND, name);
	if (ret)
		return fail(c, "writing %s to %s: %s", name, VBD_UNBIND,
			    strerror(-ret));
	c->touched = true;

	return be_expect(c, XB_CLOSED, 0, "the kernel's frontend let go");
}

/* Remove the ring keys a previous frontend wrote. */
static int vbd_clean_keys(struct vbd_conn *c)
{
	static const char *const prefixes[] = {
		"ring-ref", "event-channel", "queue-", "ring-page-order",
		"num-ring-pages", "multi-queue-num-queues", "protocol",
		"feature-persistent", "feature-large-sector-size",
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
		const char *name = names + pos;

		for (i = 0; i < ARRAY_SIZE(prefixes); i++)
			if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
				break;
		if (i == ARRAY_SIZE(prefixes))
			continue;
		if (xen_fmt(path, sizeof(path), "%s/%s", c->fe, name))
			return fail(c, "path %s/%s too long", c->fe, name);
		ret = xs_rm(c->xs, 0, path);
		if (ret && ret != -ENOENT)
			return fail(c, "removing %s: %s", path, strerror(-ret));
	}

	return 0;
}

/* Grant one fresh page to the backend and map it. */
static int gpage_alloc(struct vbd_conn *c, struct gpage *p, bool writable,
		       const char *what)
{
	struct ioctl_gntalloc_alloc_gref op = {
		.domid = c->backend_id,
		.flags = writable ? GNTALLOC_FLAG_WRITABLE : 0,
		.count = 1,
	};
	struct ioctl_gntalloc_dealloc_gref del = { .count = 1 };
	void *va;
	int err;

	if (ioctl(c->gnt_fd, IOCTL_GNTALLOC_ALLOC_GREF, &op))
		return fail(c, "granting the %s page to domain %u: %s", what,
			    c->backend_id, strerror(errno));
	va = mmap(NULL, VBD_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		  c->gnt_fd, op.index);
	if (va == MAP_FAILED) {
		err = errno;
		del.index = op.index;
		ioctl(c->gnt_fd, IOCTL_GNTALLOC_DEALLOC_GREF, &del);
		return fail(c, "mapping the %s page: %s", what, strerror(err));
	}
	p->va = va;
	p->index = op.index;
	p->gref = op.gref_ids[0];

	return 0;
}

static void gpage_free(struct vbd_conn *c, struct gpage *p)
{
	struct ioctl_gntalloc_dealloc_gref del = {
		.index = p->index,
		.count = 1,
	};

	if (!p->va)
		return;
	munmap(p->va, VBD_PAGE_SIZE);
	/* gntalloc keeps the page until the backend has let go of it. */
	ioctl(c->gnt_fd, IOCTL_GNTALLOC_DEALLOC_GREF, &del);
	p->va = NULL;
}

/* Give up the ring, the pages and the event channel. */
static void vbd_release(struct vbd_conn *c)
{
	int i;

	if (c->evt_fd >= 0)
		close(c->evt_fd);
	c->evt_fd = -1;
	c->sring = NULL;
	if (c->gnt_fd < 0)
		return;
	gpage_free(c, &c->ring);
	for (i = 0; i < NR_DATA; i++)
		gpage_free(c, &c->data[i]);
	gpage_free(c, &c->ind);
	gpage_free(c, &c->ro);
	close(c->gnt_fd);
	c->gnt_fd = -1;
}

static int vbd_alloc(struct vbd_conn *c)
{
	struct ioctl_evtchn_bind_unbound_port bind = {
		.remote_domain = c->backend_id,
	};
	int i, port;

	c->gnt_fd = open(GNTALLOC_DEV, O_RDWR | O_CLOEXEC);
	if (c->gnt_fd < 0)
		return fail(c, "open %s: %s", GNTALLOC_DEV, strerror(errno));
	if (gpage_alloc(c, &c->ring, true, "ring") ||
	    gpage_alloc(c, &c->ind, true, "indirect") ||
	    gpage_alloc(c, &c->ro, false, "read-only"))
		return -1;
	for (i = 0; i < NR_DATA; i++)
		if (gpage_alloc(c, &c->data[i], true, "data"))
			return -1;

	c->sring = c->ring.va;
	memset(c->sring, 0, VBD_PAGE_SIZE);
	c->sring->req_event = 1;
	c->sring->rsp_event = 1;
	c->req_prod = 0;
	c->rsp_cons = 0;

	c->evt_fd = open(EVTCHN_DEV, O_RDWR | O_CLOEXEC);
	if (c->evt_fd < 0)
		return fail(c, "open %s: %s", EVTCHN_DEV, strerror(errno));
	port = ioctl(c->evt_fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &bind);
	if (port < 0)
		return fail(c, "binding an event channel for domain %u: %s",
			    c->backend_id, strerror(errno));
	c->port = port;

	return 0;
}

/* An optional number the backend wrote, 0 if it is absent. */
static unsigned long long be_optional(struct vbd_conn *c, const char *key)
{
	unsigned long long val;

	return xs_read_num(c->xs, c->be, key, &val) ? 0 : val;
}

static int vbd_read_disk(struct vbd_conn *c)
{
	unsigned long long sectors;
	int ret;

	ret = xs_read_num(c->xs, c->be, "sectors", &sectors);
	if (!ret)
		ret = xs_read_num(c->xs, c->be, "sector-size", &c->sector_size);
	if (ret)
		return fail(c, "reading the disk size from %s: %s", c->be,
			    strerror(-ret));
	if (sectors < 2 * VBD_SECTORS_PER_PAGE)
		return fail(c, "disk of %llu sectors is too small", sectors);
	c->sectors = sectors;
	/* The last whole page, aligned for any logical block size. */
	c->last_page = (sectors & ~(__u64)(VBD_SECTORS_PER_PAGE - 1)) -
		       VBD_SECTORS_PER_PAGE;

	c->info = be_optional(c, "info");
	c->flush = be_optional(c, "feature-flush-cache");
	c->discard = be_optional(c, "feature-discard");
	c->max_indirect = be_optional(c, "feature-max-indirect-segments");

	return 0;
}

/*
 * Connect as a new frontend, from whatever state the device is in, and
 * leave the backend Connected to our ring.
 */
static int vbd_connect(struct vbd_conn *c)
{
	char val[VAL_LEN];

	if (fe_set_state(c, XB_CLOSED) ||
	    be_expect(c, XB_CLOSED, 0, "the frontend wrote Closed") ||
	    vbd_clean_keys(c) ||
	    fe_set_state(c, XB_INITIALISING) ||
	    be_expect(c, XB_INITWAIT, 0, "the frontend wrote Initialising") ||
	    vbd_alloc(c))
		return -1;

	snprintf(val, sizeof(val), "%u", c->ring.gref);
	if (fe_write(c, "ring-ref", val))
		return -1;
	snprintf(val, sizeof(val), "%u", c->port);
	if (fe_write(c, "event-channel", val) ||
	    fe_write(c, "protocol", "x86_64-abi") ||
	    fe_write(c, "feature-persistent", c->persistent ? "1" : "0") ||
	    fe_set_state(c, XB_INITIALISED) ||
	    be_expect(c, XB_CONNECTED, XB_BIT(XB_CLOSING) | XB_BIT(XB_CLOSED),
		      "the frontend wrote Initialised"))
		return -1;

	return vbd_read_disk(c);
}

/* Write frontend state Closed and wait for the backend to close. */
static int vbd_close(struct vbd_conn *c)
{
	if (fe_set_state(c, XB_CLOSED))
		return -1;

	return be_expect(c, XB_CLOSED, 0, "the frontend wrote Closed");
}

/*
 * The set-up of both fixtures: take the device from the kernel's frontend
 * and connect to its backend, feature-persistent as @persistent says.
 * Returns early, with the test SKIPped or failed, where it cannot.
 */
static void hostile_setup(struct __test_metadata *_metadata,
			  struct vbd_conn *c, bool persistent)
{
	static const char *const devs[] = {
		XS_DEV_PATH, EVTCHN_DEV, GNTALLOC_DEV, NULL
	};
	unsigned long long vdev;
	unsigned int domid;
	const char *env, *why;
	int ret;

	c->gnt_fd = -1;
	c->evt_fd = -1;
	env = getenv(HOSTILE_ENV);
	if (!xen_is_running())
		SKIP(return, "not running on Xen");
	if (!env || !*env)
		SKIP(return, "set " HOSTILE_ENV " to the vdev of a scratch vbd to run");
	why = xen_dev_setup(devs, &domid, &ret);
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, ret) {
		TH_LOG("reading own domid from xenstore: %s", strerror(-ret));
	}
	if (sysconf(_SC_PAGESIZE) != VBD_PAGE_SIZE)
		SKIP(return, "page size is not %d", VBD_PAGE_SIZE);
	ASSERT_EQ(0, xen_parse_ull(env, 10, &vdev)) {
		TH_LOG("%s=%s is not a vdev number", HOSTILE_ENV, env);
	}
	ASSERT_GT(1ULL << 32, vdev);

	/*
	 * A second run of this program (after a fault of the testbed, say)
	 * finds the device taken away by the first one's vbd_detach, or
	 * still being taken away: the toolstack acts on the request alone,
	 * and the backend is Closing until it has answered.
	 */
	env = getenv(DETACH_ENV);
	if (env && *env) {
		struct xs_conn *xs = xs_open();
		bool asked = xs && detach_asked(xs, env);

		xs_close(xs);
		if (asked)
			SKIP(return, "an earlier run asked for the device's detach (%s)", env);
	}

	ASSERT_NE(NULL, setup_failed);
	ASSERT_FALSE(*setup_failed) {
		TH_LOG("the set-up failed in an earlier test; not trying again");
	}
	*setup_failed = true;

	c->vdev = vdev;
	c->persistent = persistent;
	c->handle = (__u16)vdev;
	c->next_id = (__u64)getpid() << 32;
	c->xs = xs_open();
	ASSERT_NE(NULL, c->xs) {
		TH_LOG("open %s: %s", XS_DEV_PATH, strerror(errno));
	}

	ret = vbd_find(c);
	if (!ret)
		ret = vbd_take(c);
	if (!ret)
		ret = vbd_connect(c);
	if (ret && c->touched) {
		char why_connect[WHY_LEN];

		/* Leave the device Closed; keep the first reason. */
		memcpy(why_connect, c->why, sizeof(why_connect));
		vbd_close(c);
		memcpy(c->why, why_connect, sizeof(c->why));
	}
	ASSERT_EQ(0, ret) {
		TH_LOG("%s", c->why);
	}

	*setup_failed = false;
}

/* The teardown of both fixtures: leave the device Closed, if we touched it. */
static void hostile_teardown(struct __test_metadata *_metadata,
			     struct vbd_conn *c)
{
	if (c->touched) {
		EXPECT_EQ(0, vbd_close(c)) {
			TH_LOG("%s", c->why);
		}
	}
	vbd_release(c);
	xs_close(c->xs);
}

FIXTURE_SETUP(vbd_hostile)
{
	hostile_setup(_metadata, &self->c, variant->persistent);
}

FIXTURE_TEARDOWN(vbd_hostile)
{
	hostile_teardown(_metadata, &self->c);
}

/* Wait up to @ms for an event on our port and unmask the port again. */
static int vbd_wait_event(struct vbd_conn *c, int ms)
{
	struct pollfd pfd = { .fd = c->evt_fd, .events = POLLIN };
	unsigned int ports[8];
	ssize_t n;

	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	n = read(c->evt_fd, ports, sizeof(ports));
	if (n <= 0)
		return 0;
	/* A port that fired stays masked until it is written back. */
	if (write(c->evt_fd, ports, n) != n)
		return -EIO;

	return 0;
}

/* Copy the request in @s to the next slot, not yet visible to the backend. */
static void vbd_queue(struct vbd_conn *c, const union vbd_slot *s)
{
	memcpy(&c->sring->slots[c->req_prod % VBD_RING_SLOTS], s, sizeof(*s));
	c->req_prod++;
}

/*
 * Publish the queued requests.  Notify the backend always if @always, else
 * only if it asked for an event (req_event) at one of them: the flood tests
 * post thousands of requests, and a notification for each would slow them
 * down to where the backend always catches up.
 */
static int vbd_push(struct vbd_conn *c, bool always)
{
	struct ioctl_evtchn_notify notify = { .port = c->port };
	__u32 old = __atomic_load_n(&c->sring->req_prod, __ATOMIC_RELAXED);
	__u32 event;

	/* The slots must be visible before the index that publishes them. */
	__atomic_store_n(&c->sring->req_prod, c->req_prod, __ATOMIC_RELEASE);
	/* ... and that index before we look whether the backend sleeps. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	event = __atomic_load_n(&c->sring->req_event, __ATOMIC_RELAXED);
	if (!always && (__u32)(c->req_prod - event) >= (__u32)(c->req_prod - old))
		return 0;

	return ioctl(c->evt_fd, IOCTL_EVTCHN_NOTIFY, &notify) ? -errno : 0;
}

/* Publish the request in @s and notify the backend. */
static int vbd_post(struct vbd_conn *c, const union vbd_slot *s)
{
	vbd_queue(c, s);

	return vbd_push(c, true);
}

/*
 * Wait up to @timeout_ms for the next response and copy it to @rsp.
 * Returns 0, -ETIMEDOUT, or -EPROTO if the backend claims more responses
 * than there are requests.
 */
static int vbd_wait_rsp(struct vbd_conn *c, struct vbd_rsp *rsp,
			int timeout_ms)
{
	long long deadline = xen_now_ms() + timeout_ms;
	int ret;

	/* Ask for an event when the next response is published. */
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
			memcpy(rsp, &c->sring->slots[c->rsp_cons % VBD_RING_SLOTS],
			       sizeof(*rsp));
			c->rsp_cons++;
			return 0;
		}
		left = xen_ms_left(deadline);
		if (!left)
			return -ETIMEDOUT;
		ret = vbd_wait_event(c, left < EVENT_POLL_MS ? left :
					EVENT_POLL_MS);
		if (ret)
			return ret;
	}
}

/*
 * Send the request in @s with a fresh id and wait for its answer, which
 * must carry the same id.  Returns the response status.
 */
static int roundtrip(struct __test_metadata *_metadata, struct vbd_conn *c,
		     union vbd_slot *s, const char *what)
{
	__u8 op = s->rw.operation;
	struct vbd_rsp rsp;
	int ret;

	if (op == VBD_OP_INDIRECT)
		op = s->ind.indirect_op;
	s->rw.id = c->next_id++;
	ret = vbd_post(c, s);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s: notifying the backend: %s", what, strerror(-ret));
	}
	ret = vbd_wait_rsp(c, &rsp, RSP_TIMEOUT_MS);
	ASSERT_EQ(0, ret) {
		TH_LOG("%s: %s; backend state: %s", what,
		       ret == -ETIMEDOUT ? "no response within 10 s" :
		       ret == -EPROTO ? "more responses than requests" :
		       strerror(-ret), state_name(be_state(c)));
	}
	ASSERT_EQ(s->rw.id, rsp.id) {
		TH_LOG("%s: response carries id %#llx, expected %#llx", what,
		       (unsigned long long)rsp.id,
		       (unsigned long long)s->rw.id);
	}
	EXPECT_EQ(op, rsp.operation) {
		TH_LOG("%s: response for operation %u", what, rsp.operation);
	}

	return rsp.status;
}

static void expect_ok(struct __test_metadata *_metadata, struct vbd_conn *c,
		      union vbd_slot *s, const char *what)
{
	int status = roundtrip(_metadata, c, s, what);

	EXPECT_EQ(VBD_RSP_OKAY, status) {
		TH_LOG("%s: status %d", what, status);
	}
}

static void expect_error(struct __test_metadata *_metadata,
			 struct vbd_conn *c, union vbd_slot *s,
			 const char *what)
{
	int status = roundtrip(_metadata, c, s, what);

	EXPECT_TRUE(status == VBD_RSP_ERROR || status == VBD_RSP_EOPNOTSUPP) {
		TH_LOG("%s: status %d, expected an error", what, status);
	}
}

/* A direct request for sectors @first..@last of the page @gref. */
static void rw_req(struct vbd_conn *c, union vbd_slot *s, __u8 op,
		   __u64 sector, __u32 gref, __u8 first, __u8 last)
{
	memset(s, 0, sizeof(*s));
	s->rw.operation = op;
	s->rw.nr_segments = 1;
	s->rw.handle = c->handle;
	s->rw.sector_number = sector;
	s->rw.seg[0].gref = gref;
	s->rw.seg[0].first_sect = first;
	s->rw.seg[0].last_sect = last;
}

/*
 * An indirect request for @nr whole pages from @sector, with its segments
 * in our indirect page (as many as fit) pointing at the data pages.
 */
static void ind_req(struct vbd_conn *c, union vbd_slot *s, __u8 op,
		    __u16 nr, __u64 sector)
{
	struct vbd_seg *segs = c->ind.va;
	unsigned int i;

	memset(segs, 0, VBD_PAGE_SIZE);
	for (i = 0; i < nr && i < VBD_SEGS_PER_IND_PAGE; i++) {
		segs[i].gref = c->data[i % NR_DATA].gref;
		segs[i].last_sect = VBD_SECTORS_PER_PAGE - 1;
	}

	memset(s, 0, sizeof(*s));
	s->ind.operation = VBD_OP_INDIRECT;
	s->ind.indirect_op = op;
	s->ind.nr_segments = nr;
	s->ind.sector_number = sector;
	s->ind.handle = c->handle;
	s->ind.indirect_grefs[0] = c->ind.gref;
}

/* A good read of the last page of the disk still works. */
static void expect_service(struct __test_metadata *_metadata,
			   struct vbd_conn *c, const char *after)
{
	union vbd_slot s;

	rw_req(c, &s, VBD_OP_READ, c->last_page, c->data[3].gref, 0,
	       VBD_SECTORS_PER_PAGE - 1);
	expect_ok(_metadata, c, &s, after);
}

/* Backends of our other vbds that are Connected. */
struct others {
	unsigned int nr;
	char be[8][PATH_LEN];
};

static void others_connected(struct vbd_conn *c, struct others *o)
{
	char names[XS_BODY_MAX + 1], path[PATH_LEN];
	unsigned int len, pos;

	o->nr = 0;
	if (xs_directory(c->xs, 0, "device/vbd"))
		return;
	len = c->xs->reply_len;
	memcpy(names, c->xs->reply, len);
	names[len] = '\0';

	for (pos = 0; pos < len && o->nr < ARRAY_SIZE(o->be);
	     pos += strlen(names + pos) + 1) {
		unsigned long long vdev;

		if (xen_parse_ull(names + pos, 10, &vdev) || vdev == c->vdev ||
		    xen_fmt(path, sizeof(path), "device/vbd/%s/backend",
			    names + pos) ||
		    xs_read(c->xs, 0, path, o->be[o->nr], PATH_LEN) <= 0)
			continue;
		if (xs_state(c->xs, o->be[o->nr]) == XB_CONNECTED)
			o->nr++;
	}
}

static void expect_others_connected(struct __test_metadata *_metadata,
				    struct vbd_conn *c,
				    const struct others *o)
{
	unsigned int i;

	for (i = 0; i < o->nr; i++) {
		int state = xs_state(c->xs, o->be[i]);

		EXPECT_EQ(XB_CONNECTED, state) {
			TH_LOG("backend %s of another vbd is now %s",
			       o->be[i], state_name(state));
		}
	}
}

/* The backend gives up on this device, within the bounded wait. */
static void expect_disconnect(struct __test_metadata *_metadata,
			      struct vbd_conn *c, const char *after)
{
	int state;

	state = be_wait(c, XB_BIT(XB_CLOSING) | XB_BIT(XB_CLOSED), 0,
			STATE_TIMEOUT_MS);
	ASSERT_TRUE(state == XB_CLOSING || state == XB_CLOSED) {
		TH_LOG("backend %s is still %s %d s after %s", c->be,
		       state_name(state), STATE_TIMEOUT_MS / 1000, after);
	}
}

/* Sanity: the hand-made frontend works, for direct and multi-page I/O. */
TEST_F_TIMEOUT(vbd_hostile, valid_read, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	union vbd_slot s;

	memset(c->data[0].va, 0xa5, VBD_PAGE_SIZE);
	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
	expect_ok(_metadata, c, &s, "4 KiB read of sector 0");

	expect_service(_metadata, c, "4 KiB read of the last page");

	/* Two segments: the first one must read what the first read did. */
	memset(c->data[1].va, 0x5a, VBD_PAGE_SIZE);
	rw_req(c, &s, VBD_OP_READ, 0, c->data[1].gref, 0, 7);
	s.rw.nr_segments = 2;
	s.rw.seg[1] = s.rw.seg[0];
	s.rw.seg[1].gref = c->data[2].gref;
	expect_ok(_metadata, c, &s, "8 KiB read of sector 0");
	EXPECT_EQ(0, memcmp(c->data[0].va, c->data[1].va, VBD_PAGE_SIZE));
}

/*
 * Writing the same granted page twice stores what it holds at the time of
 * each request: a backend that keeps the page mapped must not serve a
 * stale copy, and reads land in the page each time.
 */
TEST_F_TIMEOUT(vbd_hostile, rewrite_same_page, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	unsigned long long seed;
	union vbd_slot s;

	for (seed = 1; seed <= 3; seed++) {
		xen_fill_pattern(c->data[0].va, VBD_PAGE_SIZE, seed);
		memset(c->data[1].va, 0, VBD_PAGE_SIZE);
		rw_req(c, &s, VBD_OP_WRITE, c->last_page, c->data[0].gref, 0,
		       VBD_SECTORS_PER_PAGE - 1);
		expect_ok(_metadata, c, &s, "write of the last page");
		rw_req(c, &s, VBD_OP_READ, c->last_page, c->data[1].gref, 0,
		       VBD_SECTORS_PER_PAGE - 1);
		expect_ok(_metadata, c, &s, "read of the last page");
		EXPECT_EQ(0, memcmp(c->data[0].va, c->data[1].va,
				    VBD_PAGE_SIZE)) {
			TH_LOG("pass %llu read back something else", seed);
		}
	}
}

TEST_F_TIMEOUT(vbd_hostile, zero_segments, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	union vbd_slot s;

	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
	s.rw.nr_segments = 0;
	expect_error(_metadata, c, &s, "read of no segments");

	rw_req(c, &s, VBD_OP_WRITE, c->last_page, c->data[0].gref, 0, 7);
	s.rw.nr_segments = 0;
	expect_error(_metadata, c, &s, "write of no segments");

	expect_service(_metadata, c, "good read after empty requests");
}

TEST_F_TIMEOUT(vbd_hostile, too_many_segments, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	union vbd_slot s;
	int i;

	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
	for (i = 1; i < VBD_MAX_SEGS; i++) {
		s.rw.seg[i] = s.rw.seg[0];
		s.rw.seg[i].gref = c->data[i % NR_DATA].gref;
	}
	s.rw.nr_segments = VBD_MAX_SEGS + 1;
	expect_error(_metadata, c, &s, "read of 12 segments");
	s.rw.nr_segments = 255;
	expect_error(_metadata, c, &s, "read of 255 segments");

	expect_service(_metadata, c, "good read after too many segments");
}

TEST_F_TIMEOUT(vbd_hostile, past_end, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	union vbd_slot s;

	rw_req(c, &s, VBD_OP_READ, c->sectors, c->data[0].gref, 0, 7);
	expect_error(_metadata, c, &s, "read one past the end");

	rw_req(c, &s, VBD_OP_READ, c->sectors - 4, c->data[0].gref, 0, 7);
	expect_error(_metadata, c, &s, "read across the end");

	/* Start plus length wraps around 2^64. */
	rw_req(c, &s, VBD_OP_READ, ~0ULL - 3, c->data[0].gref, 0, 7);
	expect_error(_metadata, c, &s, "read at sector 2^64 - 4");

	rw_req(c, &s, VBD_OP_WRITE, c->sectors, c->data[0].gref, 0, 7);
	expect_error(_metadata, c, &s, "write one past the end");

	expect_service(_metadata, c, "good read after reads past the end");
}

TEST_F_TIMEOUT(vbd_hostile, bad_segment_bounds, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	union vbd_slot s;

	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 5, 2);
	expect_error(_metadata, c, &s, "segment with first_sect 5 > last_sect 2");

	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 8);
	expect_error(_metadata, c, &s, "segment with last_sect 8");

	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 8, 8);
	expect_error(_metadata, c, &s, "segment with first_sect 8");

	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 255, 255);
	expect_error(_metadata, c, &s, "segment with sectors 255..255");

	/* A good first segment does not excuse a bad second one. */
	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
	s.rw.nr_segments = 2;
	s.rw.seg[1] = s.rw.seg[0];
	s.rw.seg[1].first_sect = 7;
	s.rw.seg[1].last_sect = 6;
	expect_error(_metadata, c, &s, "second segment running backwards");

	expect_service(_metadata, c, "good read after bad segments");
}

TEST_F_TIMEOUT(vbd_hostile, bad_grant, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	unsigned char before[VBD_PAGE_SIZE], pattern[VBD_PAGE_SIZE];
	union vbd_slot s;

	rw_req(c, &s, VBD_OP_READ, 0, BAD_GREF, 0, 7);
	expect_error(_metadata, c, &s, "read into grant 0x7ffffff0");

	/* The backend cannot write through a read-only grant. */
	xen_fill_pattern(pattern, sizeof(pattern), 0x726f6772616e74ULL);
	memcpy(c->ro.va, pattern, sizeof(pattern));
	rw_req(c, &s, VBD_OP_READ, 0, c->ro.gref, 0, 7);
	expect_error(_metadata, c, &s, "read into a read-only grant");
	EXPECT_EQ(0, memcmp(c->ro.va, pattern, sizeof(pattern)));

	/* A write from a bad grant fails and leaves the disk alone. */
	expect_service(_metadata, c, "read of the last page");
	memcpy(before, c->data[3].va, sizeof(before));
	rw_req(c, &s, VBD_OP_WRITE, c->last_page, BAD_GREF, 0, 7);
	expect_error(_metadata, c, &s, "write from grant 0x7ffffff0");
	expect_service(_metadata, c, "read of the last page after a bad write");
	EXPECT_EQ(0, memcmp(before, c->data[3].va, sizeof(before)));
}

TEST_F_TIMEOUT(vbd_hostile, indirect, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	struct vbd_seg *segs = c->ind.va;
	union vbd_slot s;

	if (c->max_indirect) {
		rw_req(c, &s, VBD_OP_READ, 0, c->data[1].gref, 0, 7);
		expect_ok(_metadata, c, &s, "direct read of sector 0");
		memset(c->data[0].va, 0xa5, VBD_PAGE_SIZE);
		ind_req(c, &s, VBD_OP_READ, 1, 0);
		expect_ok(_metadata, c, &s, "indirect read of sector 0");
		EXPECT_EQ(0, memcmp(c->data[0].va, c->data[1].va,
				    VBD_PAGE_SIZE));
	} else {
		TH_LOG("backend offers no indirect requests; they must fail");
	}

	ind_req(c, &s, VBD_OP_READ, 0, 0);
	expect_error(_metadata, c, &s, "indirect read of no segments");

	ind_req(c, &s, VBD_OP_READ, 1, 0);
	s.ind.indirect_grefs[0] = BAD_GREF;
	expect_error(_metadata, c, &s, "indirect page grant 0x7ffffff0");

	ind_req(c, &s, VBD_OP_BOGUS, 1, 0);
	expect_error(_metadata, c, &s, "indirect operation 0x7f");

	ind_req(c, &s, VBD_OP_INDIRECT, 1, 0);
	expect_error(_metadata, c, &s, "indirect request inside indirect");

	ind_req(c, &s, VBD_OP_READ, 0xffff, 0);
	expect_error(_metadata, c, &s, "indirect read of 65535 segments");

	if (c->max_indirect && c->max_indirect < VBD_SEGS_PER_IND_PAGE) {
		ind_req(c, &s, VBD_OP_READ, c->max_indirect + 1, 0);
		expect_error(_metadata, c, &s,
			     "indirect read of more segments than offered");
	}

	/* The segments in the indirect page are checked too. */
	ind_req(c, &s, VBD_OP_READ, 1, 0);
	segs[0].first_sect = 5;
	segs[0].last_sect = 2;
	expect_error(_metadata, c, &s, "indirect segment running backwards");

	ind_req(c, &s, VBD_OP_READ, 1, 0);
	segs[0].gref = BAD_GREF;
	expect_error(_metadata, c, &s, "indirect segment grant 0x7ffffff0");

	ind_req(c, &s, VBD_OP_READ, 1, c->sectors);
	expect_error(_metadata, c, &s, "indirect read past the end");

	expect_service(_metadata, c, "good read after bad indirect requests");
}

TEST_F_TIMEOUT(vbd_hostile, unknown_operation, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	union vbd_slot s;

	rw_req(c, &s, VBD_OP_BOGUS, 0, c->data[0].gref, 0, 7);
	expect_error(_metadata, c, &s, "operation 0x7f");

	rw_req(c, &s, VBD_OP_RESERVED, 0, c->data[0].gref, 0, 7);
	expect_error(_metadata, c, &s, "reserved operation 4");

	/* Discards past the end, which nothing may carry out. */
	memset(&s, 0, sizeof(s));
	s.discard.operation = VBD_OP_DISCARD;
	s.discard.handle = c->handle;
	s.discard.sector_number = c->sectors;
	s.discard.nr_sectors = VBD_SECTORS_PER_PAGE;
	expect_error(_metadata, c, &s, "discard past the end");
	s.discard.sector_number = c->last_page;
	s.discard.nr_sectors = ~0ULL;
	expect_error(_metadata, c, &s, "discard of 2^64 - 1 sectors");

	if (c->flush) {
		memset(&s, 0, sizeof(s));
		s.rw.operation = VBD_OP_FLUSH;
		s.rw.handle = c->handle;
		expect_ok(_metadata, c, &s, "cache flush");
	}

	expect_service(_metadata, c, "good read after unknown operations");
}

/* One of each malformed request, then a pattern written and read back. */
TEST_F_TIMEOUT(vbd_hostile, good_after_malformed, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	unsigned char orig[VBD_PAGE_SIZE];
	union vbd_slot s;
	int i;

	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
	s.rw.nr_segments = 0;
	expect_error(_metadata, c, &s, "read of no segments");
	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
	for (i = 1; i < VBD_MAX_SEGS; i++)
		s.rw.seg[i] = s.rw.seg[0];
	s.rw.nr_segments = VBD_MAX_SEGS + 1;
	expect_error(_metadata, c, &s, "read of 12 segments");
	rw_req(c, &s, VBD_OP_READ, c->sectors, c->data[0].gref, 0, 7);
	expect_error(_metadata, c, &s, "read one past the end");
	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 5, 2);
	expect_error(_metadata, c, &s, "segment running backwards");
	rw_req(c, &s, VBD_OP_READ, 0, BAD_GREF, 0, 7);
	expect_error(_metadata, c, &s, "read into grant 0x7ffffff0");
	ind_req(c, &s, VBD_OP_READ, 0, 0);
	expect_error(_metadata, c, &s, "indirect read of no segments");
	ind_req(c, &s, VBD_OP_READ, 1, 0);
	s.ind.indirect_grefs[0] = BAD_GREF;
	expect_error(_metadata, c, &s, "indirect page grant 0x7ffffff0");
	rw_req(c, &s, VBD_OP_BOGUS, 0, c->data[0].gref, 0, 7);
	expect_error(_metadata, c, &s, "operation 0x7f");

	rw_req(c, &s, VBD_OP_READ, c->last_page, c->data[0].gref, 0, 7);
	expect_ok(_metadata, c, &s, "read of the last page");
	memcpy(orig, c->data[0].va, sizeof(orig));
	if (c->info & VDISK_READONLY)
		SKIP(return, "the disk is read-only");

	xen_fill_pattern(c->data[1].va, VBD_PAGE_SIZE, c->next_id);
	rw_req(c, &s, VBD_OP_WRITE, c->last_page, c->data[1].gref, 0, 7);
	expect_ok(_metadata, c, &s, "write of a pattern to the last page");
	memset(c->data[2].va, 0, VBD_PAGE_SIZE);
	rw_req(c, &s, VBD_OP_READ, c->last_page, c->data[2].gref, 0, 7);
	expect_ok(_metadata, c, &s, "read back of the pattern");
	EXPECT_EQ(0, memcmp(c->data[1].va, c->data[2].va, VBD_PAGE_SIZE));

	/* Put the old contents back. */
	memcpy(c->data[1].va, orig, sizeof(orig));
	rw_req(c, &s, VBD_OP_WRITE, c->last_page, c->data[1].gref, 0, 7);
	expect_ok(_metadata, c, &s, "write of the old contents");
	rw_req(c, &s, VBD_OP_READ, c->last_page, c->data[2].gref, 0, 7);
	expect_ok(_metadata, c, &s, "read back of the old contents");
	EXPECT_EQ(0, memcmp(orig, c->data[2].va, VBD_PAGE_SIZE));
}

/* Our backend disconnects a frontend after 16 malformed requests. */
TEST_F_TIMEOUT(vbd_hostile, malformed_flood, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	struct vbd_rsp rsp;
	struct others o;
	union vbd_slot s;
	int i;

	others_connected(c, &o);
	for (i = 0; i <= MAX_MALFORMED; i++) {
		rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
		s.rw.nr_segments = 0;
		expect_error(_metadata, c, &s, "read of no segments");
	}
	expect_disconnect(_metadata, c, "17 malformed requests");

	/* It must not serve the ring it gave up on. */
	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
	s.rw.id = c->next_id++;
	ASSERT_EQ(0, vbd_post(c, &s));
	EXPECT_EQ(-ETIMEDOUT, vbd_wait_rsp(c, &rsp, QUIET_MS)) {
		TH_LOG("the backend answered after disconnecting");
	}
	expect_others_connected(_metadata, c, &o);
}

/* Publish far more requests than the ring holds. */
static void runaway(struct __test_metadata *_metadata, struct vbd_conn *c)
{
	struct ioctl_evtchn_notify notify = { .port = c->port };
	__u32 rsp_prod;

	rsp_prod = __atomic_load_n(&c->sring->rsp_prod, __ATOMIC_ACQUIRE);
	ASSERT_EQ(c->rsp_cons, rsp_prod);
	__atomic_store_n(&c->sring->req_prod, rsp_prod + 1000,
			 __ATOMIC_RELEASE);
	ASSERT_EQ(0, ioctl(c->evt_fd, IOCTL_EVTCHN_NOTIFY, &notify));
	expect_disconnect(_metadata, c, "req_prod ran 1000 ahead");

	/* Nothing was answered: the backend stopped at the bad index. */
	usleep(QUIET_MS * 1000);
	EXPECT_EQ(rsp_prod, __atomic_load_n(&c->sring->rsp_prod,
					    __ATOMIC_ACQUIRE));
}

TEST_F_TIMEOUT(vbd_hostile, runaway_producer, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	struct others o;

	others_connected(c, &o);
	expect_service(_metadata, c, "good read before the overrun");
	runaway(_metadata, c);
	expect_others_connected(_metadata, c, &o);
}

/* After a disconnect the device can connect again and works. */
/*
 * Close the device, connect afresh, and read sector 0 and the last page
 * through the new connection.
 */
static void expect_reconnect(struct __test_metadata *_metadata,
			     struct vbd_conn *c, const char *after)
{
	union vbd_slot s;

	ASSERT_EQ(0, vbd_close(c)) {
		TH_LOG("closing after %s: %s", after, c->why);
	}
	vbd_release(c);
	ASSERT_EQ(0, vbd_connect(c)) {
		TH_LOG("reconnecting after %s: %s", after, c->why);
	}
	rw_req(c, &s, VBD_OP_READ, 0, c->data[0].gref, 0, 7);
	expect_ok(_metadata, c, &s, "read of sector 0 after reconnecting");
	expect_service(_metadata, c, "read of the last page after reconnecting");
}

/*
 * XSA-350 style: the frontend flips between Initialised, Closing, Closed
 * and Initialising as fast as it can write, with its ring keys in place,
 * so the backend connects and tears down over and over in any order.  The
 * backend must end up serving a clean reconnect, and the other vbds must
 * stay connected.
 */
TEST_F_TIMEOUT(vbd_hostile, fast_toggle, HOSTILE_TIMEOUT_S)
{
	static const int states[] = {
		XB_CLOSING, XB_CLOSED, XB_INITIALISING, XB_INITIALISED,
		XB_CLOSED, XB_INITIALISED, XB_INITIALISING, XB_CLOSING,
	};
	struct vbd_conn *c = &self->c;
	struct others o;
	unsigned int i;

	others_connected(c, &o);
	for (i = 0; i < 20 * ARRAY_SIZE(states); i++)
		ASSERT_EQ(0, fe_set_state(c, states[i % ARRAY_SIZE(states)]));
	expect_reconnect(_metadata, c, "the toggles");
	expect_others_connected(_metadata, c, &o);
}

TEST_F_TIMEOUT(vbd_hostile, reconnect, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;

	runaway(_metadata, c);
	expect_reconnect(_metadata, c, "a runaway producer");
}

/* How long the flood tests keep the ring busy before they judge. */
#define FLOOD_MS		10000
/* How long a backend may take to stop a busy ring when the frontend closes. */
#define FLOOD_CLOSE_MS		120000
/*
 * Most answers to a flood of requests that fail at once: the backend
 * tolerates MAX_MALFORMED and closes the device at the next one.  The rest
 * is slack; a backend that never gives up answers tens of thousands.
 */
#define FLOOD_MAX_ANSWERED	64UL
/* Idle spins of the flood between two looks at the clock. */
#define FLOOD_SPINS		1024
/*
 * The flood posts at most this many requests for each batch the backend
 * takes, half the ring: the other half is the batch it works on.
 */
#define FLOOD_BURST		(VBD_RING_SLOTS / 2)
/* How long close_under_flood lets the flood settle before it closes. */
#define FLOOD_SETTLE_MS		1000
/* Most a discard of close_under_flood covers (the disk may be larger). */
#define FLOOD_DISCARD_BYTES	(1024ULL * 1024 * 1024)

/* How a flood ended. */
enum flood_end {
	FLOOD_TIMEOUT,		/* it ran for the time it was given */
	FLOOD_STATE,		/* the backend reached a state it stops at */
	FLOOD_QUIET,		/* the backend stopped answering */
	FLOOD_FAILED,		/* see flood.err */
	FLOOD_TOLD,		/* the toolstack answered (flood.told) */
};

/*
 * One flood: the same request over and over, each with a fresh id.  The
 * counters add up over every flood_run() on it.
 */
struct flood {
	struct vbd_conn *c;
	union vbd_slot req;
	/* Answers must be OKAY; else ERROR or EOPNOTSUPP. */
	bool want_ok;
	/* Ids of this flood start here. */
	__u64 base;
	/*
	 * The oldest request not answered yet (rsp_cons) when the flood last
	 * looked, whether it posted a batch since the backend took that one,
	 * and whether it posted a first batch into an empty ring.
	 */
	__u32 turn;
	bool turn_posted;
	bool turn_started;

	unsigned long posted;
	unsigned long answered;
	/* Answers with a foreign id, another operation or a wrong status. */
	unsigned long bad;
	struct vbd_rsp first_bad;
	/*
	 * -EPROTO: more answers than requests; -EIO: the frontend state could
	 * not be written (c->why says why); else from a notification.
	 */
	int err;

	/*
	 * Shared with the watcher thread, which does all xenstore work
	 * while the flood runs: the frontend state to write first (0 for
	 * none) and how long to wait before writing it, whether that failed,
	 * and then the last backend state read, or -errno.
	 */
	int fe_state;
	int fe_delay_ms;
	bool fe_failed;
	int be_state;
	bool stop_watch;
	pthread_t watcher;

	/*
	 * vbd_detach only: the xenstore key through which the test talks to
	 * the toolstack, the value the watcher writes to it when it starts
	 * (NULL for none), and what the toolstack answered there (a
	 * DETACH_* value), which ends the flood.
	 */
	const char *ask_key;
	const char *ask_val;
	int told;
};

static void flood_init(struct vbd_conn *c, struct flood *f, bool want_ok)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->want_ok = want_ok;
	f->base = c->next_id;
	f->turn = c->rsp_cons;
}

/*
 * A read of xenstore takes a round trip through dom0.  Made by the flood
 * itself, it would leave the ring idle long enough for the backend to catch
 * up and sleep, so a separate thread makes it and publishes the result.
 */
static void *flood_watch(void *arg)
{
	struct flood *f = arg;
	int state, ret;

	if (f->ask_key && f->ask_val) {
		ret = xs_write(f->c->xs, 0, f->ask_key, f->ask_val);
		if (ret) {
			fail(f->c, "writing %s = %s: %s", f->ask_key,
			     f->ask_val, strerror(-ret));
			__atomic_store_n(&f->fe_failed, true, __ATOMIC_RELEASE);
			return NULL;
		}
	}
	if (f->fe_state) {
		usleep(f->fe_delay_ms * 1000);
		if (fe_set_state(f->c, f->fe_state)) {
			__atomic_store_n(&f->fe_failed, true, __ATOMIC_RELEASE);
			return NULL;
		}
	}
	while (!__atomic_load_n(&f->stop_watch, __ATOMIC_ACQUIRE)) {
		state = be_state(f->c);
		__atomic_store_n(&f->be_state, state, __ATOMIC_RELEASE);
		if (f->ask_key)
			__atomic_store_n(&f->told,
					 detach_answer(f->c->xs, f->ask_key),
					 __ATOMIC_RELEASE);
		usleep(STATE_POLL_MS * 1000);
	}

	return NULL;
}

/* Check one answer of the flood; only the copy @rsp is looked at. */
static void flood_check(struct flood *f, const struct vbd_rsp *rsp)
{
	bool ok;

	f->answered++;
	if (f->want_ok)
		ok = rsp->status == VBD_RSP_OKAY;
	else
		ok = rsp->status == VBD_RSP_ERROR ||
		     rsp->status == VBD_RSP_EOPNOTSUPP;
	ok = ok && rsp->id >= f->base && rsp->id < f->c->next_id &&
	     rsp->operation == f->req.rw.operation;
	if (!ok && !f->bad++)
		f->first_bad = *rsp;
}

/* CLOCK_MONOTONIC in microseconds. */
static long long flood_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/*
 * Whether the backend has taken the oldest request not answered yet: it
 * writes each answer into the request's slot at once and publishes it
 * (rsp_prod) only with the rest of its batch, and the answer overwrites
 * the request's id with its operation and status.
 */
static bool flood_taken(const struct flood *f)
{
	const struct vbd_conn *c = f->c;
	const union vbd_slot *s = &c->sring->slots[c->rsp_cons % VBD_RING_SLOTS];
	__u64 id = c->next_id - (c->req_prod - c->rsp_cons);

	return __atomic_load_n(&s->rw.id, __ATOMIC_RELAXED) != id;
}

/* How many requests to post now; the caller posts at most the free slots. */
static unsigned int flood_want(struct flood *f)
{
	struct vbd_conn *c = f->c;

	if (f->turn != c->rsp_cons) {
		f->turn = c->rsp_cons;
		f->turn_posted = false;
		f->turn_started = false;
	}
	if (c->req_prod == c->rsp_cons) {
		if (f->turn_started)
			return 0;
		f->turn_started = true;
		return FLOOD_BURST;
	}
	if (f->turn_posted || !flood_taken(f))
		return 0;
	f->turn_posted = true;

	return FLOOD_BURST;
}

/*
 * Keep the ring busy with copies of f->req, posting new ones as answers
 * appear, for at most @ms; after writing frontend state @fe_state if it is
 * not 0, f->fe_delay_ms after the start.  End early once the backend is in
 * one of the states of @stop (a mask of XB_BIT()), if @quiet_ms is not 0
 * and the backend has answered nothing for that long, or once the
 * toolstack has answered at f->ask_key (if set).
 *
 * The backend's consume loop takes all requests posted when it looks,
 * carries them out, publishes their answers and looks again at once: it
 * goes on only if requests came meanwhile.  A request posted before it
 * looks joins the batch it takes; one posted after it has published the
 * batch's answers comes too late.  So the flood posts only while the
 * backend works on a batch: once the backend has written the answer to
 * the oldest outstanding request into its slot (not published yet), it
 * has taken its batch, and the flood posts the next one, at most half the
 * ring, at once; then it waits for the next batch.  Batches of half the
 * ring each, every one posted while the backend works on the one before,
 * and the backend finds a new batch every time it looks.  Into an empty
 * ring the flood posts a first batch without waiting.  It spins instead of
 * waiting for events, and a separate thread does the xenstore work.
 */
static enum flood_end flood_run(struct flood *f, int ms, unsigned int stop,
				int quiet_ms, int fe_state)
{
	struct vbd_conn *c = f->c;
	long long now = flood_now_us(), end = now + ms * 1000LL;
	long long last = now;
	enum flood_end why = FLOOD_TIMEOUT;
	unsigned int spins = 0, want;
	union vbd_slot s;
	int ret, state;

	f->fe_state = fe_state;
	f->fe_failed = false;
	f->be_state = -EAGAIN;
	f->told = DETACH_NONE;
	f->stop_watch = false;
	ret = pthread_create(&f->watcher, NULL, flood_watch, f);
	if (ret) {
		f->err = -ret;
		return FLOOD_FAILED;
	}

	for (;;) {
		__u32 prod = __atomic_load_n(&c->sring->rsp_prod,
					     __ATOMIC_ACQUIRE);
		bool busy = false, acted;

		if (prod - c->rsp_cons > c->req_prod - c->rsp_cons) {
			f->err = -EPROTO;
			why = FLOOD_FAILED;
			break;
		}
		while (c->rsp_cons != prod) {
			struct vbd_rsp rsp;

			memcpy(&rsp, &c->sring->slots[c->rsp_cons % VBD_RING_SLOTS],
			       sizeof(rsp));
			c->rsp_cons++;
			flood_check(f, &rsp);
			busy = true;
		}
		want = flood_want(f);
		acted = busy || want;
		while (want-- && c->req_prod - c->rsp_cons < VBD_RING_SLOTS) {
			s = f->req;
			s.rw.id = c->next_id++;
			vbd_queue(c, &s);
			f->posted++;
			/* One at a time: the backend may take the first now. */
			ret = vbd_push(c, false);
			if (ret) {
				f->err = ret;
				why = FLOOD_FAILED;
				goto out;
			}
		}
		/* Nothing happened: look at the clock only now and then. */
		if (!acted && ++spins % FLOOD_SPINS)
			continue;

		now = flood_now_us();
		if (busy)
			last = now;
		if (now >= end)
			break;
		if (quiet_ms && now - last >= quiet_ms * 1000LL) {
			why = FLOOD_QUIET;
			break;
		}
		if (__atomic_load_n(&f->fe_failed, __ATOMIC_ACQUIRE)) {
			f->err = -EIO;
			why = FLOOD_FAILED;
			break;
		}
		state = __atomic_load_n(&f->be_state, __ATOMIC_ACQUIRE);
		if (state >= 0 && state < 32 && stop & XB_BIT(state)) {
			why = FLOOD_STATE;
			break;
		}
		if (__atomic_load_n(&f->told, __ATOMIC_ACQUIRE) != DETACH_NONE) {
			why = FLOOD_TOLD;
			break;
		}
	}
out:
	__atomic_store_n(&f->stop_watch, true, __ATOMIC_RELEASE);
	pthread_join(f->watcher, NULL);

	return why;
}

static void flood_report(struct __test_metadata *_metadata, struct flood *f,
			 const char *what)
{
	EXPECT_EQ(0, f->err) {
		TH_LOG("%s: %s", what, f->err == -EPROTO ?
		       "more responses than requests" : f->err == -EIO ?
		       f->c->why : strerror(-f->err));
	}
	EXPECT_EQ(0UL, f->bad) {
		TH_LOG("%s: %lu of %lu answers wrong", what, f->bad,
		       f->answered);
		TH_LOG("the first: id %#llx (ours from %#llx), op %u, status %d",
		       (unsigned long long)f->first_bad.id,
		       (unsigned long long)f->base, f->first_bad.operation,
		       f->first_bad.status);
	}
}

/*
 * Requests of an unknown operation fail at once, without I/O.  Sent
 * without end, they would keep the backend's ring thread busy for ever;
 * they count as malformed, so the 17th must close the device.
 *
 * Today's backend fails this: it answers the unknown operation with
 * EOPNOTSUPP but does not count it, so it answers the flood for the whole
 * 10 s, thousands of requests, and stays Connected; the check of
 * the number of answers fails.
 */
TEST_F_TIMEOUT(vbd_hostile, at_once_flood_closes, HOSTILE_TIMEOUT_S)
{
	struct vbd_conn *c = &self->c;
	const char *what = "flood of operation 0x7f";
	struct vbd_rsp rsp;
	struct others o;
	struct flood f;
	int end;

	others_connected(c, &o);
	flood_init(c, &f, false);
	rw_req(c, &f.req, VBD_OP_BOGUS, 0, c->data[0].gref, 0, 7);
	end = flood_run(&f, FLOOD_MS, XB_BIT(XB_CLOSING) | XB_BIT(XB_CLOSED),
			QUIET_MS, 0);
	flood_report(_metadata, &f, what);
	ASSERT_NE(FLOOD_FAILED, end);
	ASSERT_LE(f.answered, FLOOD_MAX_ANSWERED) {
		TH_LOG("%s: the backend answered %lu requests and is %s", what,
		       f.answered, state_name(be_state(c)));
	}
	expect_disconnect(_metadata, c, what);

	/* It must answer nothing more on the ring it gave up on. */
	EXPECT_EQ(-ETIMEDOUT, vbd_wait_rsp(c, &rsp, QUIET_MS)) {
		TH_LOG("the backend answered after disconnecting");
	}
	expect_others_connected(_metadata, c, &o);
}

/*
 * A good discard for close_under_flood: as much of the disk as one may
 * cover (at most FLOOD_DISCARD_BYTES), aligned to the discard geometry the
 * backend publishes, so that each takes the backend long enough that the
 * flood posts the next batch while it works on this one.
 */
static void flood_discard(struct vbd_conn *c, union vbd_slot *s)
{
	unsigned long long bs = c->sector_size, gran, align, nr, max;

	if (bs < 512 || bs > VBD_PAGE_SIZE || bs & (bs - 1))
		bs = 512;
	gran = be_optional(c, "discard-granularity") / bs;
	if (!gran)
		gran = 1;
	align = be_optional(c, "discard-alignment") / bs % gran;
	max = FLOOD_DISCARD_BYTES / bs;
	nr = align < c->sectors ? c->sectors - align : 0;
	if (nr > max)
		nr = max;
	nr -= nr % gran;
	if (!nr) {
		/* The geometry leaves nothing whole: the whole disk then. */
		align = 0;
		nr = c->sectors < max ? c->sectors : max;
	}

	memset(s, 0, sizeof(*s));
	s->discard.operation = VBD_OP_DISCARD;
	s->discard.handle = c->handle;
	s->discard.sector_number = align;
	s->discard.nr_sectors = nr;
}

/*
 * The frontend closes while it keeps the ring busy with good requests:
 * discards of the whole disk (of its first GiB if it is larger), which the
 * backend carries out one after the other in its consume loop.  The flood
 * keeps two batches of half the ring going (see flood_run()): while the
 * backend works on one, the next one is posted, so its consume loop never
 * finds the ring empty.  The backend's xenbus code stops the rings,
 * waiting for each ring thread to end, and only then switches to Closing,
 * so the switch shows that the thread stopped; from then on nothing may
 * be answered.  The flood settles for FLOOD_SETTLE_MS before the frontend
 * writes Closing, and goes on until the backend switches, for at most
 * 120 s.
 *
 * A backend whose consume loop neither yields nor checks
 * kthread_should_stop() fails this: it never leaves the loop, so
 * kthread_stop() never returns and the backend stays Connected for the
 * whole 120 s (with xenwatch stuck for every guest).  Once the flood
 * stops, the thread ends and the teardown closes the device as usual.
 */
TEST_F_TIMEOUT(vbd_hostile, close_under_flood, HOSTILE_TIMEOUT_S)
{
	const char *what = "flood of discards";
	unsigned int stop = XB_BIT(XB_CLOSING) | XB_BIT(XB_CLOSED);
	struct vbd_conn *c = &self->c;
	unsigned char orig[VBD_PAGE_SIZE];
	unsigned long before;
	struct others o;
	union vbd_slot s;
	struct flood f;
	__u32 seen;
	int end, state;

	if (variant->persistent)
		SKIP(return, "runs in the copy variant only, to save 35 s");
	if (!c->discard)
		SKIP(return, "no feature-discard: no good request to flood with");

	others_connected(c, &o);
	/* The discards zero the disk: keep what its last page holds. */
	expect_service(_metadata, c, "read of the last page");
	memcpy(orig, c->data[3].va, sizeof(orig));

	flood_init(c, &f, true);
	flood_discard(c, &f.req);
	TH_LOG("discards of %llu sectors from sector %llu",
	       (unsigned long long)f.req.discard.nr_sectors,
	       (unsigned long long)f.req.discard.sector_number);

	/* Good requests: the backend serves them all and stays connected. */
	end = flood_run(&f, FLOOD_MS, stop, RSP_TIMEOUT_MS, 0);
	flood_report(_metadata, &f, what);
	ASSERT_EQ(FLOOD_TIMEOUT, end) {
		TH_LOG("%s: %s after %lu answers; backend %s", what,
		       end == FLOOD_QUIET ? "no answer for 10 s" :
		       end == FLOOD_STATE ? "the backend closed" : "failed",
		       f.answered, state_name(be_state(c)));
	}
	ASSERT_LT(0UL, f.answered);

	/* Close while the flood goes on, once it has settled again. */
	before = f.answered;
	f.fe_delay_ms = FLOOD_SETTLE_MS;
	end = flood_run(&f, FLOOD_SETTLE_MS + FLOOD_CLOSE_MS, stop, 0,
			XB_CLOSING);
	state = f.be_state;
	flood_report(_metadata, &f, "flood while closing");
	ASSERT_EQ(FLOOD_STATE, end) {
		TH_LOG("backend %s still %s %d s after frontend Closing",
		       c->be, state_name(state), FLOOD_CLOSE_MS / 1000);
		TH_LOG("it answered %lu discards meanwhile: its ring thread never stopped",
		       f.answered - before);
		TH_LOG("(its consume loop always found requests and never checks for a stop)");
	}

	/*
	 * The rings were stopped before the backend switched state: nothing
	 * that is not answered yet may be answered now.
	 */
	seen = __atomic_load_n(&c->sring->rsp_prod, __ATOMIC_ACQUIRE);
	flood_run(&f, QUIET_MS, 0, 0, 0);
	EXPECT_EQ(seen, c->rsp_cons) {
		TH_LOG("the backend answered %u requests after it said %s",
		       c->rsp_cons - seen, state_name(state));
	}
	expect_others_connected(_metadata, c, &o);

	/* The device works again, and gets its last page back. */
	expect_reconnect(_metadata, c, "closing under a flood");
	memcpy(c->data[1].va, orig, sizeof(orig));
	rw_req(c, &s, VBD_OP_WRITE, c->last_page, c->data[1].gref, 0, 7);
	expect_ok(_metadata, c, &s, "write of the old contents");
	expect_service(_metadata, c, "read back of the old contents");
	EXPECT_EQ(0, memcmp(orig, c->data[3].va, sizeof(orig)));
}

/*
 * XSA-349: the frontend rewrites its own state key, with the value it
 * already has, as fast as xenstored takes the writes (XSA349_BATCH of
 * them in flight on a connection of their own).  It does so
 * XEN_SELFTEST_XSA349_WRITES times (10^4 by default, XSA349_WRITES_MAX at
 * most), or until its time budget runs out: XSA349_MS_PER_WRITE for each
 * write asked for, and at least XSA349_BUDGET_MS.  xenstored takes 2.4 to
 * 5.6 ms a write here, so only a stalled one exhausts the budget.  Each
 * write fires the backend's watch on that key in dom0; a backend kernel
 * that queued every event would grow its queue without bound.  The
 * backend must stay Connected and keep serving, and the other vbds
 * connected.
 *
 * The bound itself is dom0's to see.  With XEN_SELFTEST_XSA349_KEY set to
 * a key of this domain's (such as "data/xci-xsa349"), the test writes
 * "start" there and waits a little for "go" (dom0 has read its
 * baseline), then writes "done WRITES MS" after the flood and waits for
 * dom0's answer, "seen" and its counts, which it logs.  Neither answer is
 * required: the case in dom0 decides.
 */
#define XSA349_WRITES_ENV	"XEN_SELFTEST_XSA349_WRITES"
#define XSA349_KEY_ENV		"XEN_SELFTEST_XSA349_KEY"
#define XSA349_WRITES		10000UL
#define XSA349_WRITES_MAX	120000
#define XSA349_BUDGET_MS	150000
#define XSA349_MS_PER_WRITE	15
#define XSA349_BATCH		32U
#define XSA349_GO_MS		15000
#define XSA349_SEEN_MS		60000

FIXTURE(vbd_xsa349) {
	struct vbd_conn c;
	const char *key;
	unsigned long writes;
};

FIXTURE_SETUP(vbd_xsa349)
{
	const char *env = getenv(XSA349_WRITES_ENV);
	unsigned long long n = XSA349_WRITES;

	self->c.gnt_fd = -1;
	self->c.evt_fd = -1;
	if (env && *env) {
		ASSERT_EQ(0, xen_parse_ull(env, 10, &n)) {
			TH_LOG("%s=%s is not a number", XSA349_WRITES_ENV, env);
		}
		ASSERT_LT(0ULL, n);
		ASSERT_GE((unsigned long long)XSA349_WRITES_MAX, n);
	}
	self->writes = n;
	self->key = getenv(XSA349_KEY_ENV);
	if (self->key && !*self->key)
		self->key = NULL;
	hostile_setup(_metadata, &self->c, false);
}

FIXTURE_TEARDOWN(vbd_xsa349)
{
	hostile_teardown(_metadata, &self->c);
}

/*
 * Wait up to @ms for the value at @key to start with @prefix; copies it
 * to @val.  Returns whether it did.
 */
static bool xsa349_wait(struct xs_conn *xs, const char *key,
			const char *prefix, char *val, size_t size, int ms)
{
	long long deadline = xen_now_ms() + ms;

	do {
		if (xs_read(xs, 0, key, val, size) >= 0 &&
		    !strncmp(val, prefix, strlen(prefix)))
			return true;
		usleep(STATE_POLL_MS * 1000);
	} while (xen_ms_left(deadline));

	return false;
}

/*
 * Writes @n (at most XSA349_BATCH) XS_WRITEs of @path = @val on @xs, then
 * reads their replies, which xenstored sends in order: 0, or the first
 * error.  @xs has no watches, so nothing else arrives on it.
 */
static int xsa349_burst(struct xs_conn *xs, const char *path,
			const char *val, unsigned int n)
{
	struct {
		struct xs_hdr hdr;
		char body[XS_BODY_MAX];
	} msg;
	__u32 first = xs->last_req_id + 1;
	struct xs_hdr reply;
	unsigned int i;
	size_t total;
	int len, ret;
	ssize_t w;

	len = xs_pack2(msg.body, path, val, false);
	if (len < 0)
		return len;
	total = sizeof(msg.hdr) + (size_t)len;
	for (i = 0; i < n; i++) {
		msg.hdr.type = XS_WRITE;
		msg.hdr.req_id = ++xs->last_req_id;
		msg.hdr.tx_id = 0;
		msg.hdr.len = (__u32)len;
		w = write(xs->fd, &msg, total);
		if (w < 0)
			return -errno;
		if ((size_t)w != total)
			return -EIO;
	}
	for (i = 0; i < n; i++) {
		ret = xs_recv(xs, &reply, xs->reply, XS_TIMEOUT_MS);
		if (ret)
			return ret;
		if (reply.type == XS_ERROR)
			return xs_error_to_errno(xs->reply);
		if (reply.type != XS_WRITE || reply.req_id != first + i)
			return -EPROTO;
	}
	return 0;
}

/*
 * The harness's limit must cover the largest flood the fixture takes at
 * its budget (XSA349_MS_PER_WRITE each); the runner of the selftests
 * (pipeline/guest/run-selftests.sh) bounds the whole program by the
 * flood asked for.
 */
TEST_F_TIMEOUT(vbd_xsa349, state_rewrites,
	       2 * HOSTILE_TIMEOUT_S + XSA349_WRITES_MAX / 1000 * XSA349_MS_PER_WRITE)
{
	struct vbd_conn *c = &self->c;
	char state[VAL_LEN], val[PATH_LEN], path[PATH_LEN];
	unsigned long done, n;
	struct xs_conn *flood;
	long long t0, ms, budget;
	struct others o;
	bool go = false;
	int ret;

	others_connected(c, &o);
	ASSERT_EQ(0, xen_fmt(path, sizeof(path), "%s/state", c->fe));
	ASSERT_LT(0, xs_read(c->xs, 0, path, state, sizeof(state))) {
		TH_LOG("cannot read our own %s", path);
	}
	if (self->key) {
		ASSERT_EQ(0, xs_write(c->xs, 0, self->key, "start"));
		go = xsa349_wait(c->xs, self->key, "go", val, sizeof(val),
				 XSA349_GO_MS);
		if (!go)
			TH_LOG("no \"go\" at %s within %d s; flooding anyway",
			       self->key, XSA349_GO_MS / 1000);
	}

	flood = xs_open();
	ASSERT_NE(NULL, flood) {
		TH_LOG("open %s: %s", XS_DEV_PATH, strerror(errno));
	}
	budget = (long long)self->writes * XSA349_MS_PER_WRITE;
	if (budget < XSA349_BUDGET_MS)
		budget = XSA349_BUDGET_MS;
	t0 = xen_now_ms();
	for (done = 0; done < self->writes; done += n) {
		n = self->writes - done;
		if (n > XSA349_BATCH)
			n = XSA349_BATCH;
		ret = xsa349_burst(flood, path, state, n);
		if (ret)
			xs_close(flood);
		ASSERT_EQ(0, ret) {
			TH_LOG("rewrites %lu to %lu of %s: %s", done + 1,
			       done + n, path, strerror(-ret));
		}
		if (xen_now_ms() - t0 > budget) {
			done += n;
			break;
		}
	}
	ms = xen_now_ms() - t0;
	xs_close(flood);
	TH_LOG("%lu rewrites of %s = %s in %lld ms%s", done, path, state, ms,
	       done < self->writes ? " (stopped at the time budget)" : "");

	if (self->key) {
		snprintf(val, sizeof(val), "done %lu %lld", done, ms);
		ASSERT_EQ(0, xs_write(c->xs, 0, self->key, val));
		if (xsa349_wait(c->xs, self->key, "seen", val, sizeof(val),
				XSA349_SEEN_MS))
			TH_LOG("dom0's watch on it: %s (events, filtered, %s)",
			       val + 5, "merged, dropped, peak, queued");
		else
			TH_LOG("no answer from dom0 at %s", self->key);
	}

	ASSERT_EQ(0, be_expect(c, XB_CONNECTED,
			       XB_BIT(XB_CLOSING) | XB_BIT(XB_CLOSED),
			       "the rewrites")) {
		TH_LOG("%s", c->why);
	}
	expect_service(_metadata, c, "the rewrites");
	expect_others_connected(_metadata, c, &o);
}

/*
 * The toolstack takes the disk away while the frontend floods it.  With
 * XEN_SELFTEST_DETACH_KEY set to a xenstore key of this domain's (such as
 * "data/xci-detach"), the test floods the device with requests of an
 * unknown operation, which a backend answers at once (the flood of
 * at_once_flood_closes), writes "flood" to that key, and expects dom0's
 * toolstack to run "xl block-detach" of the device meanwhile and to answer
 * at the key once it is done: "gone" when dom0's backend device went away
 * within its limit, "stuck" when it did not.  Without the key the test is
 * skipped: nobody would detach the disk.
 *
 * libxl's removal writes the backend's "online" = 0 and state Closing
 * itself, and waits 10 s for the backend to be Closed before it removes
 * the device.  The frontend answers the first Closing it sees (the
 * backend's own, after too many malformed requests, or the toolstack's)
 * as a frontend must, with Closed, but keeps the ring busy meanwhile, as
 * a hostile one may.  The backend's xenbus code then stops the rings, and
 * writes Closed only once they have stopped.  A ring thread whose consume
 * loop answers such requests without end, and neither yields nor checks
 * kthread_should_stop(), never stops: the backend never gets to Closed,
 * dom0's xenwatch stays in kthread_stop() for every guest, xl fails after
 * its 10 s and the backend device stays.  The flood goes on until the
 * backend is Closed or the toolstack has answered, for at most
 * FLOOD_CLOSE_MS (the toolstack's own limit is shorter).
 *
 * A flood of good requests does not show this: with real I/O to wait
 * for, the thread sleeps now and then, and a stop gets through.
 *
 * The device is gone afterwards: this fixture's test runs after every test
 * of vbd_hostile, in the order the harness registers them.
 */
FIXTURE(vbd_detach) {
	struct vbd_conn c;
	const char *key;
};

FIXTURE_SETUP(vbd_detach)
{
	self->c.gnt_fd = -1;
	self->c.evt_fd = -1;
	self->key = getenv(DETACH_ENV);
	if (!self->key || !*self->key)
		SKIP(return, "set " DETACH_ENV " to a key for the toolstack");
	hostile_setup(_metadata, &self->c, false);
}

FIXTURE_TEARDOWN(vbd_detach)
{
	hostile_teardown(_metadata, &self->c);
}

TEST_F_TIMEOUT(vbd_detach, flood, HOSTILE_TIMEOUT_S)
{
	unsigned int closing = XB_BIT(XB_CLOSING) | XB_BIT(XB_CLOSED);
	struct vbd_conn *c = &self->c;
	unsigned long long online = 1;
	long long t0, t1;
	struct flood f;
	int end, state;

	/* Ask for the detach as the flood starts. */
	flood_init(c, &f, false);
	rw_req(c, &f.req, VBD_OP_BOGUS, 0, c->data[0].gref, 0, 7);
	f.ask_key = self->key;
	f.ask_val = "flood";
	t0 = xen_now_ms();
	end = flood_run(&f, FLOOD_CLOSE_MS, closing, 0, 0);
	flood_report(_metadata, &f, "flood of operation 0x7f");
	ASSERT_EQ(FLOOD_STATE, end) {
		TH_LOG("backend %s: no Closing %d s after asking for the detach at %s (%s)",
		       c->be, FLOOD_CLOSE_MS / 1000, self->key,
		       end == FLOOD_TOLD ? "the toolstack answered" :
		       end == FLOOD_TIMEOUT ? "nobody detached it" : c->why);
	}
	xs_read_num(c->xs, c->be, "online", &online);
	TH_LOG("%lu answers, then Closing (%s) after %lld ms", f.answered,
	       online ? "the backend's own" : "the toolstack's",
	       xen_now_ms() - t0);

	/* Answer Closed while the flood goes on, until the backend is gone. */
	f.ask_val = NULL;
	f.fe_delay_ms = 0;
	end = flood_run(&f, FLOOD_CLOSE_MS, XB_BIT(XB_CLOSED), 0, XB_CLOSED);
	state = f.be_state;
	t1 = xen_now_ms();
	flood_report(_metadata, &f, "flood while closed");
	TH_LOG("%lu answers in all; backend %s %lld ms after the request%s",
	       f.answered, end == FLOOD_STATE ? "Closed" :
	       f.told == DETACH_GONE ? "gone" : state_name(state), t1 - t0,
	       f.told == DETACH_STUCK ? "; the toolstack says it is stuck" : "");
	EXPECT_TRUE(end == FLOOD_STATE || (end == FLOOD_TOLD && f.told == DETACH_GONE)) {
		TH_LOG("backend %s never closed under the flood: %s", c->be,
		       end == FLOOD_TOLD ? "dom0 still had the device at its limit" :
		       end == FLOOD_TIMEOUT ? "no answer from the toolstack either" :
		       c->why);
		TH_LOG("(its ring thread never stopped: the consume loop always found requests)");
	}
	/* The toolstack removes the device: nothing of it is ours to close. */
	c->touched = false;
}

TEST_HARNESS_MAIN
