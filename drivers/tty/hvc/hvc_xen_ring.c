// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The byte rings of a Xen PV console page: copying into "out" and out of
 * "in", with every index the console daemon owns checked before use.
 * Plain C (see hvc_xen_ring.h).
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/minmax.h>
#include <asm/barrier.h>

#include "hvc_xen_ring.h"

#define OUT_SIZE	((XENCONS_RING_IDX)sizeof(((struct xencons_interface *)0)->out))
#define IN_SIZE		((XENCONS_RING_IDX)sizeof(((struct xencons_interface *)0)->in))

/**
 * xencons_ring_attach() - start using a console page
 * @r: the ring state, reset here
 * @intf: the page
 *
 * The page may already hold output (the domain builder's, or this
 * kernel's before a resume), so the domain's indexes are taken from it;
 * they are the domain's own, and a daemon that rewrote them shows as an
 * out-of-range distance at the first read or write.
 */
void xencons_ring_attach(struct xencons_ring *r,
			 struct xencons_interface *intf)
{
	r->intf = intf;
	r->out_prod = READ_ONCE(intf->out_prod);
	r->in_cons = READ_ONCE(intf->in_cons);
	r->out_cons_seen = READ_ONCE(intf->out_cons);
	/* Input already waiting counts as new. */
	r->in_prod_seen = r->in_cons;
	r->broken = false;
}

/* Copies LEN bytes of SRC into RING (of SIZE bytes, a power of 2) at IDX. */
static void ring_put(char *ring, XENCONS_RING_IDX size, XENCONS_RING_IDX idx,
		     const u8 *src, size_t len)
{
	size_t off = idx & (size - 1);
	size_t first = min_t(size_t, len, size - off);

	memcpy(ring + off, src, first);
	memcpy(ring, src + first, len - first);
}

/* Copies LEN bytes of RING (of SIZE bytes) from IDX into DST. */
static void ring_get(const char *ring, XENCONS_RING_IDX size,
		     XENCONS_RING_IDX idx, u8 *dst, size_t len)
{
	size_t off = idx & (size - 1);
	size_t first = min_t(size_t, len, size - off);

	memcpy(dst, ring + off, first);
	memcpy(dst + first, ring, len - first);
}

/**
 * xencons_ring_write() - queue output for the console daemon
 * @r: the ring
 * @data: the bytes
 * @len: how many
 *
 * Return: how many bytes were queued (0 if the ring is full), or -EIO if
 * the daemon's out_cons is not within the ring's size behind our
 * producer; the ring is broken from then on.
 */
int xencons_ring_write(struct xencons_ring *r, const u8 *data, size_t len)
{
	struct xencons_interface *intf = r->intf;
	XENCONS_RING_IDX used;
	size_t n;

	if (r->broken)
		return -EIO;
	used = r->out_prod - READ_ONCE(intf->out_cons);
	if (used > OUT_SIZE) {
		r->broken = true;
		return -EIO;
	}
	/* The daemon has read what it consumed before we overwrite it. */
	virt_mb();
	n = min_t(size_t, len, OUT_SIZE - used);
	if (!n)
		return 0;
	ring_put(intf->out, OUT_SIZE, r->out_prod, data, n);
	/* The bytes are in place before the daemon can see them. */
	virt_wmb();
	r->out_prod += n;
	WRITE_ONCE(intf->out_prod, r->out_prod);
	return n;
}

/**
 * xencons_ring_read() - take input the console daemon sent
 * @r: the ring
 * @buf: where to copy it
 * @len: at most this many bytes
 *
 * Return: how many bytes were taken (0 if none are waiting), or -EIO if
 * the daemon's in_prod is more than the ring's size ahead of our
 * consumer; the ring is broken from then on.
 */
int xencons_ring_read(struct xencons_ring *r, u8 *buf, size_t len)
{
	struct xencons_interface *intf = r->intf;
	XENCONS_RING_IDX avail;
	size_t n;

	if (r->broken)
		return -EIO;
	avail = READ_ONCE(intf->in_prod) - r->in_cons;
	if (avail > IN_SIZE) {
		r->broken = true;
		return -EIO;
	}
	n = min_t(size_t, len, avail);
	if (!n)
		return 0;
	/* The index is read before the bytes it covers. */
	virt_rmb();
	ring_get(intf->in, IN_SIZE, r->in_cons, buf, n);
	/* The bytes are copied before the daemon may reuse their space. */
	virt_mb();
	r->in_cons += n;
	WRITE_ONCE(intf->in_cons, r->in_cons);
	/* Input read here needs no event any more (xencons_ring_moved()). */
	if (r->in_cons - r->in_prod_seen <= IN_SIZE)
		r->in_prod_seen = r->in_cons;
	return n;
}

/**
 * xencons_ring_moved() - whether the daemon made progress since last asked
 * @r: the ring
 *
 * Progress is new input not yet read, or output consumed: a notification
 * that brings neither is spurious, however much is still pending.  An
 * index moved backwards or past what exists is not progress, and both
 * indexes are only ever taken forwards.
 *
 * Return: true if the daemon moved either index forwards.
 */
bool xencons_ring_moved(struct xencons_ring *r)
{
	struct xencons_interface *intf = r->intf;
	XENCONS_RING_IDX cons, prod;
	bool moved = false;

	if (r->broken)
		return false;
	cons = READ_ONCE(intf->out_cons);
	if (cons != r->out_cons_seen &&
	    cons - r->out_cons_seen <= r->out_prod - r->out_cons_seen) {
		r->out_cons_seen = cons;
		moved = true;
	}
	prod = READ_ONCE(intf->in_prod);
	if (prod != r->in_prod_seen && prod - r->in_cons <= IN_SIZE &&
	    prod - r->in_prod_seen <= prod - r->in_cons) {
		r->in_prod_seen = prod;
		moved = true;
	}
	return moved;
}

/**
 * xencons_line() - the first line of a piece of console output
 * @s: the text
 * @len: its length
 * @newline: set if a newline ends the line (it is not counted)
 *
 * Return: the length of the line, without its newline.
 */
size_t xencons_line(const char *s, size_t len, bool *newline)
{
	const char *nl = memchr(s, '\n', len);

	*newline = nl;
	return nl ? (size_t)(nl - s) : len;
}
