/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The ioctls of /dev/xen/xenbus_backend, the device through which dom0's
 * toolstack hands its xenstore ring to a xenstored running elsewhere.
 * Xen's tools carry their own copy of these numbers, so they never
 * change: type 'B', no data direction, no argument size.
 */
#ifndef _XEN_XENBUS_DEV_H
#define _XEN_XENBUS_DEV_H

#include <linux/ioctl.h>

/* Returns the event channel of this domain's xenstore ring (no argument). */
#define IOCTL_XENBUS_BACKEND_EVTCHN	_IO('B', 0)

/*
 * Hands the ring to the xenstore domain whose id is the argument (a
 * value, not a pointer); returns the new event channel, which that
 * domain is to bind.
 */
#define IOCTL_XENBUS_BACKEND_SETUP	_IO('B', 1)

#endif /* _XEN_XENBUS_DEV_H */
