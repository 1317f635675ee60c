/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of the xenbus core share, below include/xen/xenbus.h:
 *
 *   xenbus_store_init.c    where this domain's xenstore is, and when it
 *                          comes up
 *   xenbus_comms*.c        the transport: the ring, the "xenbus" thread
 *                          that alone touches it, the request queue
 *   xenbus_xs*.c           the kernel's xenstore client: requests and the
 *                          xenstore API, watches and the "xenwatch"
 *                          thread, suspend and resume (xenbus_xs.h)
 *   xenbus_dev_frontend.c  /dev/xen/xenbus: a process's own connection
 *   xenbus_dev_backend.c   /dev/xen/xenbus_backend: dom0's ring, handed on
 *   xenbus_bus.c, xenbus_front*.c, xenbus_back.c
 *                          the frontend and backend buses
 *
 * A request travels as a struct xb_req_data: its sender fills it in and
 * queues it on xb_write_list; the xenbus thread writes it to the ring,
 * moves it to xs_reply_list, puts the reply in it and calls its ->cb().
 * Watch events travel as struct xs_watch_event, from the xenbus thread
 * to xs_watch_msg() and on to the xenwatch thread.
 *
 * Locks across these files, outermost first (each file's head says what
 * else it takes, and xenbus_xs.h has the client's own):
 *   xs_watch_rwsem      watch (un)registration against a suspend
 *   xs_response_mutex   the xenbus thread is inside an incoming message
 *   xb_write_mutex      the two request lists and each request's state
 */
#ifndef _XENBUS_XENBUS_H
#define _XENBUS_XENBUS_H

#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <xen/xenbus.h>

/* The longest device name a bus gives, with its NUL. */
#define XEN_BUS_ID_SIZE			20

/**
 * struct xen_bus_type - one of the two xenbus buses
 * @root: the xenstore directory its devices live under
 * @levels: how many path components below @root name one device
 * @get_bus_id: writes the name of the device whose directory is
 *	@nodename into @bus_id
 * @probe: adds the devices of entry @dir of class @type (a device id on
 *	the frontend bus, a frontend domain on the backend bus)
 * @otherend_will_handle: the filter of its devices' watches on their
 *	other end's state
 * @otherend_changed: the callback of those watches
 * @bus: the driver-model bus
 */
struct xen_bus_type {
	char *root;
	unsigned int levels;
	int (*get_bus_id)(char bus_id[XEN_BUS_ID_SIZE], const char *nodename);
	int (*probe)(struct xen_bus_type *bus, const char *type,
		     const char *dir);
	bool (*otherend_will_handle)(struct xenbus_watch *watch,
				     const char *path, const char *token);
	void (*otherend_changed)(struct xenbus_watch *watch, const char *path,
				 const char *token);
	const struct bus_type bus;
};

/**
 * enum xenstore_init - how this domain reaches xenstore
 * @XS_UNKNOWN: it does not (no Xen, or no xenstore found)
 * @XS_PV: a PV domain: page and event channel named by its start info
 * @XS_HVM: an HVM or PVH domain: both named by HVM parameters
 * @XS_LOCAL: the initial domain: its own page, for a xenstored it starts
 */
enum xenstore_init {
	XS_UNKNOWN,
	XS_PV,
	XS_HVM,
	XS_LOCAL,
};

/**
 * struct xs_watch_event - an XS_WATCH_EVENT taken off the ring
 * @list: its place in the xenwatch thread's queue
 * @watch_list: its place among the queued events of its own watch
 * @len: the length of @body, without the NUL after it
 * @handle: the watch it was queued for
 * @path: the path that changed, within @body
 * @token: the token the watch was set with, within @body
 * @path_hash: a hash of @path, to find a queued event of the same path
 * @body: "path\0token\0" as xenstored sent it, and a NUL
 *
 * The xenbus thread allocates it and fills in @len and @body;
 * xs_watch_msg() checks the body and does the rest.  @list, @watch_list and the watch's
 * nr_pending change under the watch code's event lock
 * (xenbus_xs_watch.c).
 */
struct xs_watch_event {
	struct list_head list;
	struct list_head watch_list;
	unsigned int len;
	struct xenbus_watch *handle;
	const char *path;
	const char *token;
	u32 path_hash;
	char body[];
};

/**
 * enum xb_req_state - where a request is (xenbus_comms_queue.c says more)
 * @xb_req_state_queued: on xb_write_list, not yet wholly on the ring
 * @xb_req_state_wait_reply: on xs_reply_list, waiting for its reply
 * @xb_req_state_got_reply: answered, or failed by the transport: the
 *	reply is in the request
 * @xb_req_state_aborted: its kernel waiter gave up (shutdown); the
 *	xenbus thread drops it, or its reply
 */
enum xb_req_state {
	xb_req_state_queued,
	xb_req_state_wait_reply,
	xb_req_state_got_reply,
	xb_req_state_aborted
};

/**
 * struct xb_req_data - one request to xenstored and, later, its reply
 * @list: its place on xb_write_list, then on xs_reply_list
 * @wq: where a kernel sender sleeps until the reply is in
 * @kref: one reference for the sender and one for the xenbus thread;
 *	xs_free_req() frees the request
 * @msg: the header sent, with the transport's own req_id; once the
 *	reply is in, the reply's type and len and the sender's req_id
 * @caller_req_id: the req_id the sender chose, given back in the reply
 * @type: the type sent (@msg.type becomes the reply's)
 * @body: the reply's body, @msg.len bytes and a NUL after them
 * @vec: the request's body, in pieces the sender owns until the reply
 *	is in (or, for a kernel request, until it gave up waiting)
 * @num_vecs: how many pieces
 * @err: 0, or the negative errno the transport failed the request with;
 *	the reply is then an XS_ERROR naming it, and the @body of a kernel
 *	request is a static string, not to be freed
 * @state: where the request is
 * @user_req: sent for /dev/xen/xenbus rather than by kernel code
 * @cb: called by the xenbus thread once the reply is in
 * @par: the /dev/xen/xenbus file's own pointer
 *
 * @list, @state, and @msg and @body once sent, change under
 * xb_write_mutex.  A reader without the mutex checks @state first and
 * the rest after a read barrier: the xenbus thread writes the reply,
 * then a write barrier, then @state.
 */
struct xb_req_data {
	struct list_head list;
	wait_queue_head_t wq;
	struct kref kref;
	struct xsd_sockmsg msg;
	u32 caller_req_id;
	enum xsd_sockmsg_type type;
	char *body;
	const struct kvec *vec;
	int num_vecs;
	int err;
	enum xb_req_state state;
	bool user_req;
	void (*cb)(struct xb_req_data *req);
	void *par;
};

/* Set once at boot (xenbus_store_init.c); XS_UNKNOWN if none. */
extern enum xenstore_init xen_store_domain_type;
/* The device attributes of both buses (xenbus_bus.c). */
extern const struct attribute_group *xenbus_dev_groups[];
/* The transport's locks, lists and wait queue (xenbus_comms*.c). */
extern struct mutex xs_response_mutex;
extern struct list_head xs_reply_list;
extern struct list_head xb_write_list;
extern wait_queue_head_t xb_waitq;
extern struct mutex xb_write_mutex;
/*
 * The generation of the connection to xenstored, bumped by xs_resume()
 * alone (xenbus_xs_suspend.c); read it with READ_ONCE().
 */
extern unsigned int xb_dev_generation_id;

/* The transport (xenbus_comms.c). */
int xb_init_comms(void);
void xb_deinit_comms(void);

/* The kernel's xenstore client (xenbus_xs*.c). */
int xs_init(void);
int xs_watch_msg(struct xs_watch_event *event);
void xs_free_req(struct kref *kref);
int xenbus_dev_request_and_reply(struct xsd_sockmsg *msg, void *par);
int xenbus_dev_request_and_reply_gen(struct xsd_sockmsg *msg, void *par,
				     unsigned int gen);

/* /dev/xen/xenbus (xenbus_dev_frontend.c). */
void xenbus_dev_queue_reply(struct xb_req_data *req);

/* The buses (xenbus_bus.c). */
int xenbus_match(struct device *_dev, const struct device_driver *_drv);
int xenbus_dev_probe(struct device *_dev);
void xenbus_dev_remove(struct device *_dev);
int xenbus_register_driver_common(struct xenbus_driver *drv,
				  struct xen_bus_type *bus,
				  struct module *owner,
				  const char *mod_name);
int xenbus_probe_node(struct xen_bus_type *bus,
		      const char *type,
		      const char *nodename);
int xenbus_probe_devices(struct xen_bus_type *bus);

void xenbus_dev_changed(const char *node, struct xen_bus_type *bus);

int xenbus_dev_suspend(struct device *dev);
int xenbus_dev_resume(struct device *dev);
int xenbus_dev_cancel(struct device *dev);

void xenbus_otherend_changed(struct xenbus_watch *watch,
			     const char *path, const char *token,
			     int ignore_on_shutdown);

int xenbus_read_otherend_details(struct xenbus_device *xendev,
				 char *id_node, char *path_node);

/* The backend's ring mapping (xenbus_client_map.c). */
void xenbus_ring_ops_init(void);

#endif /* _XENBUS_XENBUS_H */
