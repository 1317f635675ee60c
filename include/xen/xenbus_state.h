/* SPDX-License-Identifier: MIT */
/*
 * Values of a xenbus device's "state" key, the handshake every split
 * driver follows (Xen's io/xenbus.h).  These are the ABI numbers of enum
 * xenbus_state under names in kernel style, for code of ours that
 * compares or sets states.
 */
#ifndef _XEN_XENBUS_STATE_H
#define _XEN_XENBUS_STATE_H

#define XENBUS_STATE_UNKNOWN		0
#define XENBUS_STATE_INITIALISING	1
#define XENBUS_STATE_INITWAIT		2	/* backend waits for frontend */
#define XENBUS_STATE_INITIALISED	3	/* frontend published its rings */
#define XENBUS_STATE_CONNECTED		4
#define XENBUS_STATE_CLOSING		5
#define XENBUS_STATE_CLOSED		6
#define XENBUS_STATE_RECONFIGURING	7
#define XENBUS_STATE_RECONFIGURED	8

#endif /* _XEN_XENBUS_STATE_H */
