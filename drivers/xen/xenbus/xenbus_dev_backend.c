// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/xen/xenbus_backend: dom0's xenstore ring, for a xenstored that
 * runs in a domain of its own.
 *
 * dom0 starts without a xenstored (XS_LOCAL, xenbus_store_init.c): it
 * sets up a ring page and an event channel of its own, and xenstore is up
 * once the first event arrives on that channel.  A xenstored in dom0
 * itself finds the two through /proc/xen (xsd_kva, xsd_port).  For a
 * xenstore stub domain, the toolstack asks this device instead:
 *
 *  ioctl IOCTL_XENBUS_BACKEND_EVTCHN  the ring's event channel;
 *  ioctl IOCTL_XENBUS_BACKEND_SETUP   hand the ring over to the domain
 *                                     whose id is the argument: grant it
 *                                     the page, move the ring onto a new
 *                                     event channel that domain may bind,
 *                                     and return that channel;
 *  mmap                               the ring page: one page, offset 0.
 *
 * The device exists in the initial domain only.  Every operation needs
 * CAP_SYS_ADMIN, at each call: the file may have been handed to a process
 * without it.  The argument of SETUP is a domain id by value; nothing is
 * read from user memory.
 *
 * A handover is refused with -EEXIST once xenstore is up.  The watches
 * registered by then would have to be registered again over the new
 * channel, through a xenstored that does not run yet, while the caller
 * waits for the ioctl that is to start it.
 *
 * Lock order: setup_lock, then what xs_suspend() takes (xenstore's
 * watches, request gate and responses; xenbus_xs_suspend.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <asm/xen/hypercall.h>
#include <xen/grant_table.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/xen.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/xenbus_dev.h>

#include "xenbus.h"

/*
 * setup_lock makes handovers one at a time: from xs_suspend() to the end
 * of xs_resume(), which registers the watches again, no second caller
 * may quiesce xenstore.  It protects the grant of the ring page
 * (GNTTAB_RESERVED_XENSTORE) and, in an XS_LOCAL domain, every write of
 * xen_store_evtchn after boot.
 */
static DEFINE_MUTEX(setup_lock);

static int backend_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
}

/*
 * Why a handover is impossible now, before xenstore is even quiesced: 0
 * if it may be tried.  Once set, xenstored_ready stays set.
 */
static int handover_refused(void)
{
	if (READ_ONCE(xenstored_ready))
		return -EEXIST;
	switch (xen_store_domain_type) {
	case XS_LOCAL:
		return 0;
	case XS_UNKNOWN:	/* xenstore's client never started */
		return -ENODEV;
	default:		/* served by a xenstored elsewhere already */
		return -EEXIST;
	}
}

/*
 * IOCTL_XENBUS_BACKEND_SETUP: move dom0's ring to domain @arg.  Returns
 * the new event channel, or -errno with nothing changed.
 *
 * A first event that reaches xenbus_store_init.c between the check under
 * xs_suspend() and the move still brings xenstore up on the old channel,
 * as it always has: then two xenstoreds were started for one ring.
 */
static long store_handover(unsigned long arg)
{
	struct evtchn_alloc_unbound alloc = { .dom = DOMID_SELF };
	int err;

	err = handover_refused();
	if (err)
		return err;
	/* A domain Xen could have created; also rejects ids that truncate. */
	if (arg >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	alloc.remote_dom = arg;

	err = mutex_lock_killable(&setup_lock);
	if (err)
		return err;
	xs_suspend();
	if (READ_ONCE(xenstored_ready)) {
		err = -EEXIST;
		goto cancel;
	}
	/* The channel first: if Xen refuses it, the grant stays as it was. */
	err = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	if (err)
		goto cancel;
	gnttab_grant_foreign_access_ref(GNTTAB_RESERVED_XENSTORE,
					alloc.remote_dom,
					virt_to_gfn(xen_store_interface), 0);
	/* Unbinding the old channel closes it; xs_resume() binds the new. */
	xb_deinit_comms();
	WRITE_ONCE(xen_store_evtchn, alloc.port);
	xs_resume();
	mutex_unlock(&setup_lock);

	pr_info("xenstore ring handed to domain %u on event channel %u\n",
		alloc.remote_dom, alloc.port);
	return alloc.port;

cancel:
	xs_suspend_cancel();
	mutex_unlock(&setup_lock);
	return err;
}

static long backend_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	int port;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	switch (cmd) {
	case IOCTL_XENBUS_BACKEND_EVTCHN:
		port = READ_ONCE(xen_store_evtchn);
		if (port <= 0 || xen_store_domain_type == XS_UNKNOWN)
			return -ENODEV;
		return port;
	case IOCTL_XENBUS_BACKEND_SETUP:
		return store_handover(arg);
	default:
		return -ENOTTY;
	}
}

/*
 * The ring page, for a xenstored that maps it through this file.  Only a
 * page of the kernel's direct map is handed out: any other address would
 * not name the frame it seems to.
 */
static int backend_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	void *ring = READ_ONCE(xen_store_interface);

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len > PAGE_SIZE || vma->vm_pgoff)
		return -EINVAL;
	if (!ring || !virt_addr_valid(ring))
		return -ENODEV;
	if (remap_pfn_range(vma, vma->vm_start, virt_to_pfn(ring), len,
			    vma->vm_page_prot))
		return -EAGAIN;
	return 0;
}

/* No compat_ioctl: 32-bit callers have always had -ENOTTY here. */
static const struct file_operations backend_fops = {
	.owner		= THIS_MODULE,
	.open		= backend_open,
	.unlocked_ioctl	= backend_ioctl,
	.mmap		= backend_mmap,
};

/* No .mode: the node gets devtmpfs's default, 0600, root's alone. */
static struct miscdevice backend_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "xen/xenbus_backend",
	.fops	= &backend_fops,
};

/* The initial domain's alone: only its xenstore ring can be handed on. */
static int __init backend_dev_init(void)
{
	return xen_initial_domain() ? misc_register(&backend_miscdev) : -ENODEV;
}
device_initcall(backend_dev_init);
