/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The xenbus interface of Linux's Xen drivers: the devices and drivers of
 * the xenbus frontend and backend buses, xenstore access, watches, and
 * the helpers a split driver uses to publish its state and share or map
 * its rings.
 *
 * Every Xen driver in the tree builds against this header, so its names,
 * types and semantics are those the drivers were written for; only the
 * text is ours.
 */
#ifndef _XEN_XENBUS_H
#define _XEN_XENBUS_H

/* Drivers rely on what this header has always pulled in. */
#include <linux/device.h>
#include <linux/notifier.h>
#include <linux/mutex.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/completion.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/semaphore.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/xenbus.h>
#include <xen/interface/io/xs_wire.h>
#include <xen/interface/event_channel.h>

/* A shared ring is at most 2^4 pages, whatever the peer asks for. */
#define XENBUS_MAX_RING_GRANT_ORDER 4
#define XENBUS_MAX_RING_GRANTS      16U
static_assert(XENBUS_MAX_RING_GRANTS == 1U << XENBUS_MAX_RING_GRANT_ORDER);

/**
 * struct xenbus_watch - a watch on a xenstore path
 * @list: unused by the xenstore core; free for whoever registered the
 *	watch
 * @node: the path watched, owned by whoever registered the watch
 * @nr_pending: events queued for @callback and not yet delivered
 * @will_handle: optional filter, called before an event is queued, with
 *	the core's watch-table and event spinlocks held (so it must not
 *	sleep, and @nr_pending holds still); returning false drops the
 *	event.  Every watch has at most one event per path queued; one
 *	with a filter (a watch on a path another domain may write) also
 *	at most 1024 in all.
 * @callback: called for each event on the xenwatch thread, one callback at
 *	a time (under its mutex: see Documentation/virt/xen/xenbus.rst)
 */
struct xenbus_watch {
	struct list_head list;
	const char *node;
	unsigned int nr_pending;
	bool (*will_handle)(struct xenbus_watch *watch,
			    const char *path, const char *token);
	void (*callback)(struct xenbus_watch *watch,
			 const char *path, const char *token);
};

/**
 * struct xenbus_device - one device of a xenbus bus
 * @devicetype: the device class, "vbd" or "vif" say
 * @nodename: this end's xenstore directory
 * @otherend: the other end's xenstore directory
 * @otherend_id: the other end's domain
 * @otherend_watch: the bus's watch on @otherend's state
 * @dev: the driver-model device
 * @state: the state this end last published (xenbus_switch_state())
 * @down: completed when a frontend has closed (xenbus_frontend_closed())
 * @work: the bus's deferred work for this device
 * @reclaim_sem: held while the bus asks the driver to reclaim memory
 * @event_channels: event channels bound for this device
 * @events: events received on them
 * @spurious_events: events acknowledged as spurious (found no work)
 * @jiffies_eoi_delayed: time the EOI of its events was held back for
 * @spurious_threshold: spurious events in a row before EOI is delayed
 */
struct xenbus_device {
	const char *devicetype;
	const char *nodename;
	const char *otherend;
	int otherend_id;
	struct xenbus_watch otherend_watch;
	struct device dev;
	enum xenbus_state state;
	struct completion down;
	struct work_struct work;
	struct semaphore reclaim_sem;

	atomic_t event_channels;
	atomic_t events;
	atomic_t spurious_events;
	atomic_t jiffies_eoi_delayed;
	unsigned int spurious_threshold;
};

#define to_xenbus_device(__dev)	container_of_const(__dev, struct xenbus_device, dev)

/**
 * struct xenbus_device_id - a device class a driver serves
 * @devicetype: the class, the <type> of .../device/<type>/<id>
 */
struct xenbus_device_id {
	char devicetype[32];
};

/**
 * struct xenbus_driver - a driver of the xenbus frontend or backend bus
 * @name: the driver's name; @ids[0].devicetype if not set
 * @ids: the classes served, ending with an empty one
 * @allow_rebind: do not publish Closed when the driver is unbound
 * @not_essential: the boot need not wait for its devices to connect
 * @probe: a device of one of @ids appeared
 * @otherend_changed: the other end published @backend_state
 * @remove: the device is going away
 * @suspend: the domain is about to be suspended
 * @resume: the domain runs again, possibly on another host
 * @uevent: adds the driver's variables to the device's uevents
 * @driver: the driver-model driver
 * @read_otherend_details: finds the other end (set by the bus)
 * @is_ready: whether the device counts as connected for the boot's wait
 * @reclaim_memory: gives back memory the backend holds for the device
 */
struct xenbus_driver {
	const char *name;
	const struct xenbus_device_id *ids;
	bool allow_rebind;
	bool not_essential;
	int (*probe)(struct xenbus_device *dev,
		     const struct xenbus_device_id *id);
	void (*otherend_changed)(struct xenbus_device *dev,
				 enum xenbus_state backend_state);
	void (*remove)(struct xenbus_device *dev);
	int (*suspend)(struct xenbus_device *dev);
	int (*resume)(struct xenbus_device *dev);
	int (*uevent)(const struct xenbus_device *dev,
		      struct kobj_uevent_env *env);
	struct device_driver driver;
	int (*read_otherend_details)(struct xenbus_device *dev);
	int (*is_ready)(struct xenbus_device *dev);
	void (*reclaim_memory)(struct xenbus_device *dev);
};

#define to_xenbus_driver(__drv)	container_of_const(__drv, struct xenbus_driver, driver)

int __must_check __xenbus_register_frontend(struct xenbus_driver *drv,
					    struct module *owner,
					    const char *mod_name);
int __must_check __xenbus_register_backend(struct xenbus_driver *drv,
					   struct module *owner,
					   const char *mod_name);

#define xenbus_register_frontend(drv) \
	__xenbus_register_frontend(drv, THIS_MODULE, KBUILD_MODNAME)
#define xenbus_register_backend(drv) \
	__xenbus_register_backend(drv, THIS_MODULE, KBUILD_MODNAME)

void xenbus_unregister_driver(struct xenbus_driver *drv);

/**
 * struct xenbus_transaction - a xenstore transaction
 * @id: xenstored's transaction id; 0 for none (XBT_NIL)
 */
struct xenbus_transaction {
	u32 id;
};

/* Outside any transaction. */
#define XBT_NIL ((struct xenbus_transaction) { 0 })

/* Xenstore access: the node is @dir/@node, or @dir alone if @node is "". */
char **xenbus_directory(struct xenbus_transaction t,
			const char *dir, const char *node, unsigned int *num);
void *xenbus_read(struct xenbus_transaction t,
		  const char *dir, const char *node, unsigned int *len);
int xenbus_write(struct xenbus_transaction t,
		 const char *dir, const char *node, const char *string);
int xenbus_mkdir(struct xenbus_transaction t,
		 const char *dir, const char *node);
int xenbus_exists(struct xenbus_transaction t,
		  const char *dir, const char *node);
int xenbus_rm(struct xenbus_transaction t, const char *dir, const char *node);

/*
 * Transactions.  A suspend of the domain waits until every kernel
 * transaction has ended, so end one soon, on every path.  Inside one,
 * any other request may be made, with XBT_NIL or in another transaction,
 * but no watch may be registered or unregistered: that waits for a
 * suspend in progress, which waits for the transaction.
 */
int xenbus_transaction_start(struct xenbus_transaction *t);
int xenbus_transaction_end(struct xenbus_transaction t, int abort);

/*
 * sscanf() of a value: the number of fields matched (at least one), or
 * -errno (-ERANGE if none matched).
 */
__scanf(4, 5)
int xenbus_scanf(struct xenbus_transaction t,
		 const char *dir, const char *node, const char *fmt, ...);

/* One unsigned value, @default_val if it is missing or not a number. */
unsigned int xenbus_read_unsigned(const char *dir, const char *node,
				  unsigned int default_val);

__printf(4, 5)
int xenbus_printf(struct xenbus_transaction t,
		  const char *dir, const char *node, const char *fmt, ...);

/*
 * Several values: (name, format, pointer) triples ending with a NULL
 * name; a NULL format stores the kmalloc()ed string itself.
 */
int xenbus_gather(struct xenbus_transaction t, const char *dir, ...);

/* Set once xenstored answers; the notifier chain is told then. */
extern int xenstored_ready;
int register_xenstore_notifier(struct notifier_block *nb);
void unregister_xenstore_notifier(struct notifier_block *nb);

/* Sleep; never inside a transaction (see above). */
int register_xenbus_watch(struct xenbus_watch *watch);
void unregister_xenbus_watch(struct xenbus_watch *watch);

/* Around the domain's suspend: quiesce and restart the xenstore client. */
void xs_suspend(void);
void xs_resume(void);
void xs_suspend_cancel(void);

struct work_struct;

/* Use XENBUS_IS_ERR_READ(). */
static inline bool xenbus_is_err_read(void **value)
{
	char *s = *value;

	if (!IS_ERR(s) && !*s) {
		kfree(s);
		*value = ERR_PTR(-ERANGE);
	}
	return IS_ERR(*value);
}

/*
 * XENBUS_IS_ERR_READ: whether a xenbus_read() result, a pointer variable,
 * is an error; an empty value counts as one: it is freed and the
 * variable set to ERR_PTR(-ERANGE).
 */
#define XENBUS_IS_ERR_READ(str) xenbus_is_err_read((void **)&(str))

/* Use XENBUS_EXIST_ERR(). */
static inline bool xenbus_exist_err(int err)
{
	return err == -ENOENT || err == -ERANGE;
}

/* Whether the error @err means the node is missing (or empty). */
#define XENBUS_EXIST_ERR(err) xenbus_exist_err(err)

/* The client helpers of a split driver (drivers/xen/xenbus/). */
int xenbus_watch_path(struct xenbus_device *dev, const char *path,
		      struct xenbus_watch *watch,
		      bool (*will_handle)(struct xenbus_watch *,
					  const char *, const char *),
		      void (*callback)(struct xenbus_watch *,
				       const char *, const char *));
__printf(5, 6)
int xenbus_watch_pathfmt(struct xenbus_device *dev, struct xenbus_watch *watch,
			 bool (*will_handle)(struct xenbus_watch *,
					     const char *, const char *),
			 void (*callback)(struct xenbus_watch *,
					  const char *, const char *),
			 const char *pathfmt, ...);

int xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state new_state);

int xenbus_setup_ring(struct xenbus_device *dev, gfp_t gfp, void **vaddr,
		      unsigned int nr_pages, grant_ref_t *grefs);
void xenbus_teardown_ring(void **vaddr, unsigned int nr_pages,
			  grant_ref_t *grefs);
int xenbus_map_ring_valloc(struct xenbus_device *dev, grant_ref_t *gnt_refs,
			   unsigned int nr_grefs, void **vaddr);
int xenbus_unmap_ring_vfree(struct xenbus_device *dev, void *vaddr);

int xenbus_alloc_evtchn(struct xenbus_device *dev, evtchn_port_t *port);
int xenbus_free_evtchn(struct xenbus_device *dev, evtchn_port_t port);

enum xenbus_state xenbus_read_driver_state(const char *path);

__printf(3, 4)
void xenbus_dev_error(struct xenbus_device *dev, int err, const char *fmt, ...);
__printf(3, 4)
void xenbus_dev_fatal(struct xenbus_device *dev, int err, const char *fmt, ...);

const char *xenbus_strstate(enum xenbus_state state);
int xenbus_dev_is_online(struct xenbus_device *dev);
int xenbus_frontend_closed(struct xenbus_device *dev);

/* /dev/xen/xenbus and xenfs's xenbus file. */
extern const struct file_operations xen_xenbus_fops;
/* The xenstore ring page and its event channel. */
extern struct xenstore_domain_interface *xen_store_interface;
extern int xen_store_evtchn;

#endif /* _XEN_XENBUS_H */
