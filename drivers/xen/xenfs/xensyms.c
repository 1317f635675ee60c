// SPDX-License-Identifier: GPL-2.0-only
/*
 * dom0's xensyms: the hypervisor's symbol table, one "ADDRESS TYPE NAME"
 * line per symbol as /proc/kallsyms has it, read one symbol at a time
 * with the XENPF_get_symbol platform operation.
 *
 * The operation takes the number of the symbol wanted and returns it with
 * the number of the next one; the same number back means there is none.
 * A name longer than our buffer comes back with the length it needs: the
 * buffer grows and the same symbol is asked for again.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <asm/xen/hypercall.h>

#include <xen/interface/platform.h>

#include "xenfs.h"

/* The name buffer to start with; a longer name grows it. */
#define XENSYMS_NAME_START	128
/* Beyond this a name is refused rather than followed. */
#define XENSYMS_NAME_MAX	4096

/* One reader's walk: the operation as last answered, and the name. */
struct xensyms_walk {
	struct xen_platform_op op;
	char *name;
	u32 size;
};

/*
 * Symbol NUM into the walk.  Returns 0 with it there (and the next one's
 * number in op.u.symdata.symnum), 1 past the last, or an error.
 */
static int xensyms_fetch(struct xensyms_walk *w, u32 num)
{
	struct xenpf_symdata *sd = &w->op.u.symdata;
	int ret, tries;

	for (tries = 0; tries < 2; tries++) {
		memset(w->name, 0, w->size);
		sd->symnum = num;
		sd->namelen = w->size - 1;
		set_xen_guest_handle(sd->name, w->name);
		ret = HYPERVISOR_platform_op(&w->op);
		if (ret < 0)
			return ret;
		if (sd->namelen < w->size)
			return sd->symnum == num;
		/* Too short: grow to what Xen asks for, then once more. */
		if (sd->namelen >= XENSYMS_NAME_MAX)
			return -E2BIG;
		kfree(w->name);
		w->size = sd->namelen + 1;
		w->name = kzalloc(w->size, GFP_KERNEL);
		if (!w->name) {
			w->size = 0;
			return -ENOMEM;
		}
	}
	return -EIO;
}

static void *xensyms_start(struct seq_file *m, loff_t *pos)
{
	struct xensyms_walk *w = m->private;

	if (*pos > U32_MAX || xensyms_fetch(w, *pos))
		return NULL;
	return w;
}

static void *xensyms_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct xensyms_walk *w = m->private;

	*pos = w->op.u.symdata.symnum;
	if (xensyms_fetch(w, *pos))
		return NULL;
	return w;
}

static int xensyms_show(struct seq_file *m, void *v)
{
	struct xensyms_walk *w = v;

	seq_printf(m, "%016llx %c %s\n", w->op.u.symdata.address,
		   w->op.u.symdata.type, w->name);
	return 0;
}

static void xensyms_stop(struct seq_file *m, void *v)
{
}

static const struct seq_operations xensyms_seq_ops = {
	.start = xensyms_start,
	.next = xensyms_next,
	.show = xensyms_show,
	.stop = xensyms_stop,
};

static int xensyms_open(struct inode *inode, struct file *file)
{
	struct xensyms_walk *w;

	w = __seq_open_private(file, &xensyms_seq_ops, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->size = XENSYMS_NAME_START;
	w->name = kzalloc(w->size, GFP_KERNEL);
	if (!w->name) {
		seq_release_private(inode, file);
		return -ENOMEM;
	}
	w->op.cmd = XENPF_get_symbol;
	return 0;
}

static int xensyms_release(struct inode *inode, struct file *file)
{
	struct xensyms_walk *w = ((struct seq_file *)file->private_data)->private;

	kfree(w->name);
	return seq_release_private(inode, file);
}

const struct file_operations xenfs_xensyms_fops = {
	.open = xensyms_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = xensyms_release,
};
