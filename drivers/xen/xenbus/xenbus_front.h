/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the three files of the frontend bus module (xenbus_probe_frontend)
 * share.  The layers, top down:
 *
 *   xenbus_front.c        the "xen" bus itself: device names, uevents,
 *                         power management, driver registration, and the
 *                         notifier that starts it once xenstore is up
 *   xenbus_front_wait.c   waiting for frontends to connect, at boot and
 *                         when a driver registers
 *   xenbus_front_reset.c  stepping devices a previous kernel left
 *                         connected back to Initialising
 *
 * Only the top layer calls down: the lower two know nothing of the bus
 * file; the wait code is handed the bus to search when it is registered.
 * No locks are shared between the files.
 */
#ifndef _XENBUS_FRONT_H
#define _XENBUS_FRONT_H

#include <linux/device/bus.h>

struct xenbus_driver;

void xenbus_front_wait_attach(const struct bus_type *bus);
void xenbus_front_wait_for(struct xenbus_driver *drv);
void xenbus_front_reset_stale(void);

#endif /* _XENBUS_FRONT_H */
