/* SPDX-License-Identifier: MIT */
/*
 * The states a xenbus device's ends write to their "state" keys, as
 * Xen's public io/xenbus.h (4.17) numbers them; test_xs_abi checks each.
 */
#ifndef __XEN_INTERFACE_IO_XENBUS_H__
#define __XEN_INTERFACE_IO_XENBUS_H__

/*
 * Each end moves through these on its own; the pair together tells how
 * far the connection has got.  They say nothing about whether the device
 * is usable to the rest of the kernel.
 */
enum xenbus_state {
	XenbusStateUnknown	= 0,
	/* Setting itself up. */
	XenbusStateInitialising	= 1,
	/* Set up, waiting for the other end or the hotplug scripts. */
	XenbusStateInitWait	= 2,
	/* Its keys are written; waiting for the other end to connect. */
	XenbusStateInitialised	= 3,
	XenbusStateConnected	= 4,
	/* Going away: an unplug, or an error. */
	XenbusStateClosing	= 5,
	XenbusStateClosed	= 6,
	/* A connected device being changed in place, and done with it. */
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured	= 8,
};

#endif /* __XEN_INTERFACE_IO_XENBUS_H__ */
