/* SPDX-License-Identifier: MIT */
/*
 * The shared page of a PV console: two byte rings with free-running
 * indexes, laid out as in Xen's public io/console.h (4.17); test_xs_abi
 * checks every offset.
 */
#ifndef __XEN_INTERFACE_IO_CONSOLE_H__
#define __XEN_INTERFACE_IO_CONSOLE_H__

#include <linux/types.h>

#define XENCONS_RING_IDX	u32

/* The offset in RING (an array, so sizeof() is its size) of index IDX. */
#define MASK_XENCONS_IDX(idx, ring)	((idx) & (sizeof(ring) - 1))

/*
 * in: what the console daemon sends to the domain, which consumes it
 * (advances in_cons); out: what the domain writes for the daemon.
 */
struct xencons_interface {
	char in[1024];
	char out[2048];
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
};

#endif /* __XEN_INTERFACE_IO_CONSOLE_H__ */
