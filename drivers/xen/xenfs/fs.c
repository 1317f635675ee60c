// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenfs, mounted on /proc/xen by the toolstack: the files through which
 * it reaches xenstore, the hypercall interface and, in dom0, the store's
 * ring and the hypervisor's symbols.
 *
 *   xenbus        0600  xenstore requests (the xenbus user device)
 *   capabilities  0444  "control_d\n" in dom0, empty elsewhere
 *   privcmd       0600  hypercalls (the privcmd device)
 *   xsd_kva       0600  dom0: the xenstore ring page, to map (xsd.c)
 *   xsd_port      0600  dom0: its event channel (xsd.c)
 *   xensyms       0400  dom0: Xen's symbols (xensyms.c, CONFIG_XEN_SYMS)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/kernel.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/string.h>

#include <xen/xen.h>
#include <xen/xenbus.h>

#include "../privcmd.h"
#include "xenfs.h"

static ssize_t xenfs_capabilities_read(struct file *file, char __user *buf,
				       size_t size, loff_t *off)
{
	const char *caps = xen_initial_domain() ? "control_d\n" : "";

	return simple_read_from_buffer(buf, size, off, caps, strlen(caps));
}

static const struct file_operations xenfs_capabilities_fops = {
	.read = xenfs_capabilities_read,
	.llseek = default_llseek,
};

/* The files, in the order of their inode numbers (from 2 on). */
static const struct {
	const char *name;
	const struct file_operations *fops;
	umode_t mode;
	bool dom0_only;
} xenfs_files[] = {
	{ "xenbus", &xen_xenbus_fops, 0600, false },
	{ "capabilities", &xenfs_capabilities_fops, 0444, false },
	{ "privcmd", &xen_privcmd_fops, 0600, false },
#ifdef CONFIG_XEN_DOM0
	{ "xsd_kva", &xenfs_xsd_kva_fops, 0600, true },
	{ "xsd_port", &xenfs_xsd_port_fops, 0600, true },
#endif
#ifdef CONFIG_XEN_SYMS
	{ "xensyms", &xenfs_xensyms_fops, 0400, true },
#endif
};

static int xenfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	/*
	 * simple_fill_super() gives entry i inode number i and skips the
	 * first two, which stand for the directory; "" ends the list.
	 */
	struct tree_descr descr[ARRAY_SIZE(xenfs_files) + 3] = {};
	unsigned int i, n = 2;

	for (i = 0; i < ARRAY_SIZE(xenfs_files); i++) {
		if (xenfs_files[i].dom0_only && !xen_initial_domain())
			continue;
		descr[n].name = xenfs_files[i].name;
		descr[n].ops = xenfs_files[i].fops;
		descr[n].mode = xenfs_files[i].mode;
		n++;
	}
	descr[n].name = "";
	return simple_fill_super(sb, XENFS_SUPER_MAGIC, descr);
}

static int xenfs_get_tree(struct fs_context *fc)
{
	return get_tree_single(fc, xenfs_fill_super);
}

static const struct fs_context_operations xenfs_context_ops = {
	.get_tree = xenfs_get_tree,
};

static int xenfs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &xenfs_context_ops;
	return 0;
}

static struct file_system_type xenfs_fs_type = {
	.owner = THIS_MODULE,
	.name = "xenfs",
	.init_fs_context = xenfs_init_fs_context,
	.kill_sb = kill_litter_super,
};
MODULE_ALIAS_FS("xenfs");

/* Registered only in a Xen domain, where its files mean something. */
static bool xenfs_registered;

static int __init xenfs_init(void)
{
	int ret;

	if (!xen_domain())
		return 0;
	ret = register_filesystem(&xenfs_fs_type);
	if (!ret)
		xenfs_registered = true;
	return ret;
}
module_init(xenfs_init);

static void __exit xenfs_exit(void)
{
	if (xenfs_registered)
		unregister_filesystem(&xenfs_fs_type);
}
module_exit(xenfs_exit);

MODULE_DESCRIPTION("Xen filesystem");
MODULE_LICENSE("GPL");
