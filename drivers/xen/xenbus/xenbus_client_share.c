// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a frontend shares with its backend: ring pages it grants, and an
 * unbound event channel the backend binds to.
 *
 * A ring's pages are never freed while the backend may still map them:
 * a grant the backend still uses is handed to the grant table's deferred
 * release, which holds its own reference to the page until the backend
 * lets go.
 */

#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <asm/xen/hypercall.h>
#include <xen/grant_table.h>
#include <xen/interface/event_channel.h>
#include <xen/page.h>
#include <xen/xenbus.h>

/**
 * xenbus_setup_ring() - allocate a ring and grant it to the other end
 * @dev: the device whose other end gets the grants
 * @gfp: how to allocate the ring's pages
 * @vaddr: where the ring's address is stored (NULL on failure)
 * @nr_pages: the ring's size in Xen pages
 * @grefs: the ring's grant references, one per page (all
 *	INVALID_GRANT_REF on failure)
 *
 * The ring is zeroed, physically contiguous, and granted writable, page
 * by page.  Failing to get grant references closes the device with the
 * error recorded (xenbus_dev_fatal()).
 *
 * Return: 0, -EINVAL for an empty ring, -ENOMEM, or the grant table's
 * negative errno.
 */
int xenbus_setup_ring(struct xenbus_device *dev, gfp_t gfp, void **vaddr,
		      unsigned int nr_pages, grant_ref_t *grefs)
{
	size_t size = (size_t)nr_pages * XEN_PAGE_SIZE;
	grant_ref_t head;
	unsigned int i;
	char *ring;
	int err;

	*vaddr = NULL;
	for (i = 0; i < nr_pages; i++)
		grefs[i] = INVALID_GRANT_REF;
	if (!nr_pages)
		return -EINVAL;

	ring = alloc_pages_exact(size, gfp | __GFP_ZERO);
	if (!ring)
		return -ENOMEM;

	err = gnttab_alloc_grant_references(nr_pages, &head);
	if (err) {
		free_pages_exact(ring, size);
		xenbus_dev_fatal(dev, err, "no grant references for a ring of %u pages",
				 nr_pages);
		return err;
	}

	/* head holds exactly nr_pages references: no claim can fail. */
	for (i = 0; i < nr_pages; i++) {
		grefs[i] = gnttab_claim_grant_reference(&head);
		gnttab_grant_foreign_access_ref(grefs[i], dev->otherend_id,
						virt_to_gfn(ring + i * XEN_PAGE_SIZE),
						0);
	}
	*vaddr = ring;
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_setup_ring);

/**
 * xenbus_teardown_ring() - end a ring's grants and free it
 * @vaddr: where the ring's address is stored; set to NULL
 * @nr_pages: the ring's size in Xen pages, as set up
 * @grefs: the ring's grant references; each set to INVALID_GRANT_REF
 *
 * A grant the other end still maps is released later, by the grant
 * table, which keeps its page allocated until then (it takes a reference
 * of its own to the page, gnttab_add_deferred()): freeing the ring here
 * then only drops this driver's reference.  Safe on a ring that
 * xenbus_setup_ring() failed to set up.
 */
void xenbus_teardown_ring(void **vaddr, unsigned int nr_pages,
			  grant_ref_t *grefs)
{
	unsigned int i;

	for (i = 0; i < nr_pages; i++) {
		if (grefs[i] == INVALID_GRANT_REF)
			continue;
		gnttab_end_foreign_access(grefs[i], NULL);
		grefs[i] = INVALID_GRANT_REF;
	}
	if (*vaddr)
		free_pages_exact(*vaddr, (size_t)nr_pages * XEN_PAGE_SIZE);
	*vaddr = NULL;
}
EXPORT_SYMBOL_GPL(xenbus_teardown_ring);

/**
 * xenbus_alloc_evtchn() - allocate an event channel for the other end
 * @dev: the device whose other end may bind the channel
 * @port: where the local port is stored
 *
 * On failure the device is closed with the error recorded.
 *
 * Return: 0 or the hypercall's negative errno.
 */
int xenbus_alloc_evtchn(struct xenbus_device *dev, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF,
		.remote_dom = dev->otherend_id,
	};
	int err;

	err = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);
	if (err) {
		xenbus_dev_fatal(dev, err, "allocating an event channel for domain %d",
				 dev->otherend_id);
		return err;
	}
	*port = op.port;
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_alloc_evtchn);

/**
 * xenbus_free_evtchn() - close an event channel of a device
 * @dev: the device, for the error record
 * @port: the local port
 *
 * A failure is recorded in the store; the device's state stays.
 *
 * Return: 0 or the hypercall's negative errno.
 */
int xenbus_free_evtchn(struct xenbus_device *dev, evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };
	int err;

	err = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
	if (err)
		xenbus_dev_error(dev, err, "closing event channel %u", port);
	return err;
}
EXPORT_SYMBOL_GPL(xenbus_free_evtchn);
