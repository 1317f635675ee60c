/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen console driver's own declarations, shared by its files:
 * hvc_xen_cons.c (the consoles, their hv_ops and the primary console),
 * hvc_xen_early.c (output before hvc runs) and hvc_xen_front.c (the
 * secondary consoles' xenbus frontend).
 */
#ifndef _HVC_XEN_H
#define _HVC_XEN_H

#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/interface/event_channel.h>

#include "hvc_xen_ring.h"

/* hvc's terminal number of the primary console ("Xen" in ASCII). */
#define XENCONS_VTERM_PRIMARY	0x58656e
/* The size of hvc's output buffer of each console. */
#define XENCONS_OUTBUF		256

struct xenbus_device;
struct hvc_struct;

/**
 * struct xencons - one console of this domain
 * @node: on the list of consoles, which xencons_list_lock protects;
 *	lookups walk it under RCU
 * @vtermno: hvc's terminal number
 * @lock: protects @ring, @stalled and @reported, from any context
 * @ring: the shared page's rings (none for dom0's console, which is
 *	Xen's own and reached by hypercall)
 * @stalled: the daemon left the output ring full for longer than a
 *	writer may wait; writers do not wait again until it moves
 * @reported: the broken ring has been reported
 * @evtchn: the event channel to the console daemon
 * @irq: its irq, 0 if none is bound; the handler is xencons_interrupt()
 * @hvc: the hvc device, NULL until it exists; read by the irq handler
 * @xbdev: the xenbus device of a secondary console, NULL for the primary
 * @gref: the grant of a secondary console's page to its backend
 * @broken_work: puts a secondary console whose ring the backend broke
 *	into an error state (Closing), from process context
 */
struct xencons {
	struct list_head node;
	u32 vtermno;
	spinlock_t lock;	/* ring, stalled and reported */
	struct xencons_ring ring;
	bool stalled;
	bool reported;
	evtchn_port_t evtchn;
	int irq;
	struct hvc_struct *hvc;
	struct xenbus_device *xbdev;
	grant_ref_t gref;
	struct work_struct broken_work;
};

extern const struct hv_ops xencons_domu_ops;

void xencons_init(struct xencons *c, u32 vtermno);
void xencons_add(struct xencons *c);
void xencons_del(struct xencons *c);
irqreturn_t xencons_interrupt(int irq, void *dev_id);
int xencons_primary_attach(void);
struct xencons *xencons_primary_get(void);
int xencons_write_all(struct xencons *c, const u8 *data, size_t len);
int xencons_hypercall_write(const char *s, size_t len);

#ifdef CONFIG_HVC_XEN_FRONTEND
int xencons_front_register(void);
#else
static inline int xencons_front_register(void)
{
	return 0;
}
#endif

#endif /* _HVC_XEN_H */
