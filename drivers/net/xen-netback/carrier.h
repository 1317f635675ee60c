/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-netback: what decides the carrier of a vif, as plain functions of
 * the state the driver keeps (dev.c and rx.c hold the state and its
 * locks; the KUnit suite tests these).
 *
 * A receive queue is short of buffers while its poll ends waiting for
 * the guest's receive buffers: for its next packet, or for the buffers
 * that end a drain.  Once short for rx_stall_timeout_msecs it counts as
 * stalled for the carrier, until the guest's buffers let it deliver a
 * packet or end the drain.  As with Linux's own netback, the carrier is
 * on while the vif is connected, no queue found the guest breaking the
 * protocol, and no queue is stalled: a bridge stops sending to a guest
 * that stopped taking packets on any of its queues, and sends again once
 * the guest serves all of them.
 */
#ifndef _XEN_NETBACK_CARRIER_H
#define _XEN_NETBACK_CARRIER_H

#include <linux/types.h>

/**
 * netback_rx_stall_reached() - has a queue been short long enough to stall?
 * @since: jiffies when it became short of buffers
 * @now: jiffies now
 * @timeout: the stall timeout in jiffies; 0 if queues never stall
 *
 * Correct across the wrap of jiffies, for a queue short for less than
 * half of their range.
 *
 * Return: true if it has been short for @timeout or longer.
 */
static inline bool netback_rx_stall_reached(unsigned long since,
					    unsigned long now,
					    unsigned long timeout)
{
	return timeout && now - since >= timeout;
}

/**
 * netback_carrier_wanted() - should a vif's carrier be on?
 * @live: its queues are connected
 * @broken: a queue or the control ring found the guest breaking the
 *	protocol in this connection
 * @nr_queues: its queues
 * @nr_stalled: those stalled for want of receive buffers
 *
 * Return: true if the carrier should be on.
 */
static inline bool netback_carrier_wanted(bool live, bool broken,
					  u32 nr_queues, u32 nr_stalled)
{
	return live && !broken && nr_queues && !nr_stalled;
}

#endif /* _XEN_NETBACK_CARRIER_H */
