/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The files of xenfs that live in files of their own: dom0's view of the
 * xenstore ring (xsd.c) and of the hypervisor's symbols (xensyms.c).
 */
#ifndef _XEN_XENFS_XENFS_H
#define _XEN_XENFS_XENFS_H

#include <linux/fs.h>

extern const struct file_operations xenfs_xsd_kva_fops;
extern const struct file_operations xenfs_xsd_port_fops;
extern const struct file_operations xenfs_xensyms_fops;

#endif /* _XEN_XENFS_XENFS_H */
