/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A simulated /dev/xen/xenbus write path, shared by test_xs_client.c and
 * fuzz_xs_frame.c: a process's write()s gathered into messages with
 * xs_user_frame_*(), as xbdev_gather() and xbdev_write() in
 * drivers/xen/xenbus/xenbus_dev_frontend.c do it.
 *
 * xfd_write() is one write() (xbdev_gather()): xs_user_frame_admit(),
 * then each piece xs_user_frame_next() names is copied with memcpy() up
 * to the first byte that cannot be read and reported to
 * xs_user_frame_took(); when the header is whole, the body is allocated
 * in a heap block of exactly hdr.len bytes (1 for none), so that ASan
 * sees a piece past it, unless the caller makes that allocation fail.
 * The caller takes a whole message after the write() and starts anew
 * with xfd_drop(), as xbdev_write() does (xbdev_wdrop()).
 *
 * On the way the device checks the rules of xs_user_frame_*(): admit()
 * refuses only with -EINVAL and never lets through a write() that would
 * not fit; every piece is at least 1 byte, no longer than what is left
 * of the write(), and where the frame stands, inside the header or
 * inside the body's hdr.len bytes; took() counts exactly the bytes it is
 * given and says XS_USER_FRAME_HDR (or -E2BIG for a len over
 * XS_USER_BODY_MAX) exactly when they complete the header, else 0; a
 * message gets one body; next() leaves the piece alone when it names
 * none, and names none before the write() ends only for a whole
 * message.  The first rule broken is kept in ->bad and stops the write()
 * with -EPROTO, which the device itself never returns: the unit test
 * turns it into a failed ok(), the fuzzer into a failed FZ_ASSERT().
 */
#ifndef _XEN_TEST_XS_FRAME_DEV_H
#define _XEN_TEST_XS_FRAME_DEV_H

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include "drivers/xen/xenbus/xs_client_proto.h"
#include "drivers/xen/xenbus/xs_proto.h"

#define XFD_HDR_SIZE	((u32)sizeof(struct xsd_sockmsg))

/* What a piece holds before xs_user_frame_next() names one. */
#define XFD_NO_PIECE	((struct xs_user_piece){ .body = true, .off = 0xdead, .len = 0xbeef })

/*
 * One open /dev/xen/xenbus, its writing side.  All zero is a device with
 * nothing written yet.
 */
struct xs_frame_dev {
	struct xs_user_frame fr;
	struct xsd_sockmsg msg;	/* the header, when the body was allocated */
	u8 *body;		/* msg.len bytes (1 for none), once allocated */
	unsigned int writes;	/* write() calls */
	unsigned int pieces;	/* pieces named */
	unsigned int hdrs;	/* XS_USER_FRAME_HDR returned */
	unsigned int hdr_at;	/* the write() that returned the last one */
	const char *bad;	/* the first rule of xs_user_frame_*() broken */
};

/* Drops the message so far: xbdev_wdrop().  The counters and ->bad stay. */
static void xfd_drop(struct xs_frame_dev *d)
{
	free(d->body);
	d->body = NULL;
	xs_user_frame_reset(&d->fr);
}

/* Keeps the first rule broken, WHAT; returns what the write() returns. */
static long xfd_bad(struct xs_frame_dev *d, const char *what)
{
	if (!d->bad)
		d->bad = what;
	return -EPROTO;
}

/*
 * Which rule the piece P, with LEFT bytes of the write() left, breaks;
 * NULL if it is where the frame stands, within LEFT and its part.
 */
static const char *xfd_piece_bad(const struct xs_frame_dev *d, const struct xs_user_piece *p,
				 size_t left)
{
	u32 have = d->fr.have;

	if (!p->len || p->len > left)
		return "piece: empty or longer than the write()'s rest";
	if (!p->body) {
		if (have >= XFD_HDR_SIZE || p->off != have)
			return "piece: header bytes not where the frame stands";
		if (p->len > XFD_HDR_SIZE - p->off)
			return "piece: past the header";
		return NULL;
	}
	if (!d->body || have < XFD_HDR_SIZE || p->off != have - XFD_HDR_SIZE)
		return "piece: body bytes not where the frame stands";
	if (p->off >= d->msg.len || p->len > d->msg.len - p->off)
		return "piece: past the body";
	return NULL;
}

/*
 * One write() of LEN bytes at BUF (which may be NULL if LEN is over
 * XENSTORE_PAYLOAD_MAX), of which those from FAULT on cannot be read
 * (LEN or more: none fault); NOMEM: the body's allocation fails, should
 * this write() complete a header.  xbdev_gather().
 *
 * Returns what the write() returns: LEN, or fewer when a fault stopped
 * the copy part-way; -EFAULT for a fault before any byte, -ENOMEM with
 * nothing of this write() kept; -EINVAL or -E2BIG, which drop the
 * message.  -EPROTO: a rule broken, in ->bad.
 */
static long xfd_write(struct xs_frame_dev *d, const u8 *buf, size_t len, size_t fault,
		      bool nomem)
{
	struct xs_user_piece p = XFD_NO_PIECE;
	u32 start = d->fr.have, before, got;
	const char *why;
	size_t off = 0;
	int st, want;
	u8 *to;

	d->writes++;
	st = xs_user_frame_admit(&d->fr, len);
	if (st) {
		if (st != -EINVAL)
			return xfd_bad(d, "admit: refused other than with -EINVAL");
		xfd_drop(d);
		return st;
	}
	if (start > XENSTORE_PAYLOAD_MAX || len > XENSTORE_PAYLOAD_MAX - start)
		return xfd_bad(d, "admit: let through a write() that does not fit");
	while (xs_user_frame_next(&d->fr, len - off, &p)) {
		d->pieces++;
		why = xfd_piece_bad(d, &p, len - off);
		if (why)
			return xfd_bad(d, why);
		if (off >= fault)
			got = 0;
		else
			got = fault - off < p.len ? (u32)(fault - off) : p.len;
		to = p.body ? d->body + p.off : (u8 *)&d->fr.hdr + p.off;
		memcpy(to, buf + off, got);
		off += got;
		before = d->fr.have;
		st = xs_user_frame_took(&d->fr, got);
		if (d->fr.have != before + got)
			return xfd_bad(d, "took: counted other than the bytes that came");
		want = 0;
		if (before < XFD_HDR_SIZE && d->fr.have == XFD_HDR_SIZE)
			want = d->fr.hdr.len > XS_USER_BODY_MAX ? -E2BIG : XS_USER_FRAME_HDR;
		if (st != want)
			return xfd_bad(d, "took: not HDR (or -E2BIG) exactly when the header came");
		if (st < 0) {
			xfd_drop(d);
			return st;
		}
		if (st == XS_USER_FRAME_HDR) {
			if (d->body)
				return xfd_bad(d, "took: HDR again, a body already allocated");
			d->hdrs++;
			d->hdr_at = d->writes;
			if (nomem) {
				d->fr.have = start;
				return -ENOMEM;
			}
			d->msg = d->fr.hdr;
			d->body = malloc(d->msg.len ? d->msg.len : 1);
			if (!d->body)
				abort();
		}
		if (got < p.len)
			return off ? (long)off : -EFAULT;
		p = XFD_NO_PIECE;
	}
	if (p.body != XFD_NO_PIECE.body || p.off != XFD_NO_PIECE.off ||
	    p.len != XFD_NO_PIECE.len)
		return xfd_bad(d, "next: named no piece but wrote one");
	if (off != len && !xs_user_frame_whole(&d->fr))
		return xfd_bad(d, "next: no piece before the write()'s end, message not whole");
	return (long)len;
}

#endif
