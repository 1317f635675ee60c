/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The two byte rings of a Xen PV console page, as the domain sees them:
 * "out" carries what it writes to the console daemon, "in" what the
 * daemon sends it.  The domain owns out_prod and in_cons and keeps its
 * own copies of them; the daemon's out_cons and in_prod are read once per
 * use and checked before they are trusted.  Plain C, so that
 * tools/testing/xen unit-tests and fuzzes it in userspace; the caller
 * serialises all calls on one ring.
 */
#ifndef _HVC_XEN_RING_H
#define _HVC_XEN_RING_H

#include <linux/types.h>
#include <xen/interface/io/console.h>

/**
 * struct xencons_ring - the domain's view of one console page
 * @intf: the shared page
 * @out_prod: the producer index of "out", private: the page's copy is
 *	only ever written from here
 * @in_cons: the consumer index of "in", private in the same way
 * @out_cons_seen: the daemon's out_cons when it was last seen to move
 * @in_prod_seen: the daemon's in_prod when new input was last seen
 * @broken: latched when the daemon wrote an index that cannot be: the
 *	ring is not used again until it is attached anew
 */
struct xencons_ring {
	struct xencons_interface *intf;
	XENCONS_RING_IDX out_prod;
	XENCONS_RING_IDX in_cons;
	XENCONS_RING_IDX out_cons_seen;
	XENCONS_RING_IDX in_prod_seen;
	bool broken;
};

void xencons_ring_attach(struct xencons_ring *r,
			 struct xencons_interface *intf);
int xencons_ring_write(struct xencons_ring *r, const u8 *data, size_t len);
int xencons_ring_read(struct xencons_ring *r, u8 *buf, size_t len);
bool xencons_ring_moved(struct xencons_ring *r);
size_t xencons_line(const char *s, size_t len, bool *newline);

#endif /* _HVC_XEN_RING_H */
