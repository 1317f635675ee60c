/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the xenstore transport: the request queue (xenbus_comms_queue.c)
 * as the ring side (xenbus_comms.c) drives it.  Only the xenbus thread
 * calls these, with no lock held.  Everything the rest of xenbus uses is
 * declared in xenbus.h.
 */
#ifndef _XENBUS_COMMS_H
#define _XENBUS_COMMS_H

#include <linux/types.h>
#include <xen/interface/io/xs_wire.h>

int xb_queue_write(struct xenstore_domain_interface *intf, bool *kick);
void xb_queue_reply(const struct xsd_sockmsg *hdr, char *body);
void xb_queue_fail_all(int err);

#endif /* _XENBUS_COMMS_H */
