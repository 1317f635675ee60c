// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a backend maps of its frontend: the ring pages the frontend
 * granted, mapped side by side at one kernel address.
 *
 * Two ways, picked once at boot (xenbus_ring_ops_init()):
 * - a PV domain (no auto-translation) has Xen write the foreign frames
 *   straight into the page-table entries of a VM area it reserved;
 * - an auto-translated domain (PVH, HVM, Arm) maps them over unpopulated
 *   pages of its own physical space and vmap()s those.
 *
 * A mapping is remembered by its address until it is unmapped.  A grant
 * that cannot be unmapped leaves its VM area or pages allocated for good:
 * reusing them would expose the frontend's page where this domain
 * expects its own memory.  Neither a grant the peer got wrong nor a
 * failed unmap is a BUG.
 */

#include <linux/export.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <xen/balloon.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "xenbus.h"

#define RING_PAGES_MAX	DIV_ROUND_UP(XENBUS_MAX_RING_GRANTS, XEN_PFN_PER_PAGE)

/**
 * struct ring_map - a peer's ring mapped by xenbus_map_ring_valloc()
 * @list: in mapped_rings
 * @addr: where the ring is mapped; the key xenbus_unmap_ring_vfree() gets
 * @nr: grants mapped
 * @handles: each grant's mapping handle
 * @host: the address each grant's map operation took: a PTE's machine
 *	address (PV) or a kernel address of an unpopulated page (else)
 * @area: PV: the VM area whose entries hold the grants
 * @pages: else: the unpopulated pages the grants are mapped over
 * @nr_pages: else: how many of @pages
 */
struct ring_map {
	struct list_head list;
	void *addr;
	unsigned int nr;
	grant_handle_t handles[XENBUS_MAX_RING_GRANTS];
	phys_addr_t host[XENBUS_MAX_RING_GRANTS];
	struct vm_struct *area;
	struct page *pages[RING_PAGES_MAX];
	unsigned int nr_pages;
};

/* mapped_lock protects mapped_rings, the ring_maps now mapped. */
static DEFINE_SPINLOCK(mapped_lock);
static LIST_HEAD(mapped_rings);

/*
 * map_by_pte: whether grants are mapped into page-table entries (PV);
 * set once at boot, before any driver can map.
 */
static bool map_by_pte __read_mostly;

/* The GNTMAP_* flags of this domain's map and unmap operations. */
static unsigned int map_flags(void)
{
	return GNTMAP_host_map | (map_by_pte ? GNTMAP_contains_pte : 0);
}

/*
 * unmap_grants - unmap those of @map's grants whose handle is valid; a
 * failure is recorded for @dev if @record.  Return: 0 if all went, else
 * the first failure's GNTST_* status (the hypercall's own failure counts
 * as GNTST_general_error).
 */
static int unmap_grants(struct xenbus_device *dev, struct ring_map *map,
			bool record)
{
	/* On the stack: an unmap must not depend on an allocation. */
	struct gnttab_unmap_grant_ref ops[XENBUS_MAX_RING_GRANTS];
	unsigned int flags = map_flags();
	unsigned int i, n = 0;
	int status = GNTST_okay;

	for (i = 0; i < map->nr; i++) {
		if (map->handles[i] == INVALID_GRANT_HANDLE)
			continue;
		gnttab_set_unmap_op(&ops[n++], map->host[i], flags,
				    map->handles[i]);
	}
	if (n && HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, ops, n))
		status = GNTST_general_error;
	for (i = 0; i < n && status == GNTST_okay; i++)
		status = ops[i].status;
	if (status != GNTST_okay && record)
		xenbus_dev_error(dev, status, "unmapping the ring of domain %d",
				 dev->otherend_id);
	return status;
}

/*
 * map_grants - map @gnt_refs of the other end at @map->host.  On failure
 * the device is closed with the error recorded, and the grants that did
 * map are unmapped again (the record stays the map's); *@leaked says
 * whether that unmap failed.
 */
static int map_grants(struct xenbus_device *dev, struct ring_map *map,
		      grant_ref_t *gnt_refs, bool *leaked)
{
	struct gnttab_map_grant_ref *ops;
	unsigned int flags = map_flags();
	unsigned int i;
	int err = 0;

	*leaked = false;
	ops = kcalloc(map->nr, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (i = 0; i < map->nr; i++) {
		gnttab_set_map_op(&ops[i], map->host[i], flags, gnt_refs[i],
				  dev->otherend_id);
		map->handles[i] = INVALID_GRANT_HANDLE;
	}
	gnttab_batch_map(ops, map->nr);

	for (i = 0; i < map->nr; i++) {
		if (ops[i].status == GNTST_okay) {
			map->handles[i] = ops[i].handle;
		} else if (!err) {
			xenbus_dev_fatal(dev, ops[i].status,
					 "mapping grant %u of domain %d",
					 ops[i].ref, dev->otherend_id);
			err = -ENOENT;
		}
	}
	kfree(ops);
	if (err)
		*leaked = unmap_grants(dev, map, false) != GNTST_okay;
	return err;
}

#ifdef CONFIG_XEN_PV
/* pte_host - note the machine address of the PTE behind each page. */
static int pte_host(pte_t *pte, unsigned long addr, void *data)
{
	phys_addr_t **next = data;

	*(*next)++ = arbitrary_virt_to_machine(pte).maddr;
	return 0;
}

static int map_pv(struct xenbus_device *dev, struct ring_map *map,
		  grant_ref_t *gnt_refs)
{
	unsigned long size = (unsigned long)map->nr * XEN_PAGE_SIZE;
	phys_addr_t *next = map->host;
	bool leaked = false;
	int err;

	map->area = get_vm_area(size, VM_IOREMAP);
	if (!map->area)
		return -ENOMEM;
	err = apply_to_page_range(&init_mm, (unsigned long)map->area->addr,
				  size, pte_host, &next);
	if (!err)
		err = map_grants(dev, map, gnt_refs, &leaked);
	if (err) {
		if (leaked)
			pr_alert("xenbus: leaking the VM area of %u grants of domain %d\n",
				 map->nr, dev->otherend_id);
		else
			free_vm_area(map->area);
		return err;
	}
	map->addr = map->area->addr;
	return 0;
}
#else
static int map_pv(struct xenbus_device *dev, struct ring_map *map,
		  grant_ref_t *gnt_refs)
{
	return -ENODEV;
}
#endif

/* page_host - note the kernel address of each Xen page of the pages. */
static void page_host(unsigned long gfn, unsigned int offset,
		      unsigned int len, void *data)
{
	phys_addr_t **next = data;

	*(*next)++ = (unsigned long)gfn_to_virt(gfn);
}

static int map_translated(struct xenbus_device *dev, struct ring_map *map,
			  grant_ref_t *gnt_refs)
{
	phys_addr_t *next = map->host;
	bool leaked = false;
	int err;

	map->nr_pages = DIV_ROUND_UP(map->nr, XEN_PFN_PER_PAGE);
	err = xen_alloc_unpopulated_pages(map->nr_pages, map->pages);
	if (err)
		return err;
	gnttab_foreach_grant(map->pages, map->nr, page_host, &next);

	err = map_grants(dev, map, gnt_refs, &leaked);
	if (!err) {
		map->addr = vmap(map->pages, map->nr_pages, VM_MAP | VM_IOREMAP,
				 PAGE_KERNEL);
		if (map->addr)
			return 0;
		err = -ENOMEM;
		leaked = unmap_grants(dev, map, true) != GNTST_okay;
	}
	if (leaked)
		pr_alert("xenbus: leaking %u pages mapping grants of domain %d\n",
			 map->nr_pages, dev->otherend_id);
	else
		xen_free_unpopulated_pages(map->nr_pages, map->pages);
	return err;
}

/**
 * xenbus_map_ring_valloc() - map a ring the other end granted
 * @dev: the device whose other end granted the ring
 * @gnt_refs: the ring's grant references, in page order
 * @nr_grefs: how many (1 to XENBUS_MAX_RING_GRANTS)
 * @vaddr: where the ring's address is stored (NULL on failure)
 *
 * The pages are mapped side by side at one address, which
 * xenbus_unmap_ring_vfree() takes to undo it.  A grant that fails to map
 * closes the device with the error recorded (xenbus_dev_fatal()).
 *
 * Return: 0, -EINVAL for a count out of range, -ENOMEM, or -ENOENT when
 * a grant did not map.
 */
int xenbus_map_ring_valloc(struct xenbus_device *dev, grant_ref_t *gnt_refs,
			   unsigned int nr_grefs, void **vaddr)
{
	struct ring_map *map;
	int err;

	*vaddr = NULL;
	if (!nr_grefs || nr_grefs > XENBUS_MAX_RING_GRANTS)
		return -EINVAL;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map->nr = nr_grefs;

	if (map_by_pte)
		err = map_pv(dev, map, gnt_refs);
	else
		err = map_translated(dev, map, gnt_refs);
	if (err) {
		kfree(map);
		return err;
	}

	spin_lock(&mapped_lock);
	list_add(&map->list, &mapped_rings);
	spin_unlock(&mapped_lock);
	*vaddr = map->addr;
	return 0;
}
EXPORT_SYMBOL_GPL(xenbus_map_ring_valloc);

/**
 * xenbus_unmap_ring_vfree() - unmap a ring xenbus_map_ring_valloc() mapped
 * @dev: the device the ring was mapped for
 * @vaddr: the ring's address
 *
 * Return: GNTST_okay (0); GNTST_bad_virt_addr if nothing is mapped at
 * @vaddr; or the GNTST_* status of a grant that did not unmap, whose
 * memory then stays allocated.  Failures are recorded in the store.
 */
int xenbus_unmap_ring_vfree(struct xenbus_device *dev, void *vaddr)
{
	struct ring_map *map, *found = NULL;
	int status;

	spin_lock(&mapped_lock);
	list_for_each_entry(map, &mapped_rings, list) {
		if (map->addr == vaddr) {
			list_del(&map->list);
			found = map;
			break;
		}
	}
	spin_unlock(&mapped_lock);

	if (!found) {
		xenbus_dev_error(dev, -ENOENT, "no ring mapped at %p", vaddr);
		return GNTST_bad_virt_addr;
	}

	if (!map_by_pte)
		vunmap(found->addr);
	status = unmap_grants(dev, found, true);
	if (status == GNTST_okay) {
		if (map_by_pte)
			free_vm_area(found->area);
		else
			xen_free_unpopulated_pages(found->nr_pages, found->pages);
	} else {
		pr_alert("xenbus: leaking the ring of %u grants of domain %d\n",
			 found->nr, dev->otherend_id);
	}
	kfree(found);
	return status;
}
EXPORT_SYMBOL_GPL(xenbus_unmap_ring_vfree);

/**
 * xenbus_ring_ops_init() - pick how rings are mapped in this domain
 *
 * Called once by the xenbus core at boot, before any driver maps a ring.
 */
void __init xenbus_ring_ops_init(void)
{
	map_by_pte = IS_ENABLED(CONFIG_XEN_PV) &&
		     !xen_feature(XENFEAT_auto_translated_physmap);
}
