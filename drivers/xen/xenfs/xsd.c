// SPDX-License-Identifier: GPL-2.0-only
/*
 * dom0's xsd_kva and xsd_port: a xenstored started after the kernel takes
 * over the ring that the kernel set up to its own store domain, by mapping
 * the ring page through xsd_kva and binding the event channel that
 * xsd_port names.  Reading xsd_kva gives the page's address as "%p" shows
 * it (hashed), which tells a xenstored that the ring is local.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>

#include <xen/page.h>
#include <xen/xenbus.h>

#include "xenfs.h"

/* Long enough for "0x" and a pointer, or a signed int, and the NUL. */
#define XSD_TEXT_MAX	24

static ssize_t xsd_kva_read(struct file *file, char __user *buf, size_t size,
			    loff_t *off)
{
	char text[XSD_TEXT_MAX];
	int len;

	len = scnprintf(text, sizeof(text), "0x%p", xen_store_interface);
	return simple_read_from_buffer(buf, size, off, text, len);
}

/* The ring page itself, once, from offset 0.  (Neither file seeks.) */
static int xsd_kva_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;

	if (vma->vm_pgoff || size > PAGE_SIZE)
		return -EINVAL;
	if (remap_pfn_range(vma, vma->vm_start,
			    virt_to_pfn(xen_store_interface), size,
			    vma->vm_page_prot))
		return -EAGAIN;
	return 0;
}

const struct file_operations xenfs_xsd_kva_fops = {
	.read = xsd_kva_read,
	.mmap = xsd_kva_mmap,
};

static ssize_t xsd_port_read(struct file *file, char __user *buf,
			     size_t size, loff_t *off)
{
	char text[XSD_TEXT_MAX];
	int len;

	len = scnprintf(text, sizeof(text), "%d", xen_store_evtchn);
	return simple_read_from_buffer(buf, size, off, text, len);
}

const struct file_operations xenfs_xsd_port_fops = {
	.read = xsd_port_read,
};
