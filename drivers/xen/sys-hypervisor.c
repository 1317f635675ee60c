// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/hypervisor in a Xen domain: what the xen_version hypercall says
 * about the hypervisor, the domain's start flags and, in dom0, the
 * virtual PMU's mode and features.
 *
 * Layout (Documentation/ABI/stable/sysfs-hypervisor-xen):
 *   type guest_type uuid
 *   version/{major,minor,extra}
 *   compilation/{compiler,compiled_by,compile_date}
 *   properties/{capabilities,changeset,virtual_start,pagesize,features,
 *               buildid}
 *   start_flags/{privileged,initdomain,unknown02..unknown31}
 *   pmu/{pmu_mode,pmu_features}		(dom0, CONFIG_XEN_HAVE_VPMU)
 *
 * Every read asks the hypervisor afresh; nothing is cached.  The files
 * are kobj_attributes of hypervisor_kobj, whose own sysfs operations
 * call them, so the kobject is used as the driver core made it.
 */
#define pr_fmt(fmt) "xen-sys-hypervisor: " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>

#include <xen/features.h>
#include <xen/xen.h>
#include <xen/xenbus.h>
#include <xen/interface/version.h>
#include <xen/interface/xen.h>
#ifdef CONFIG_XEN_HAVE_VPMU
#include <xen/interface/xenpmu.h>
#endif

/* A file of ours: the attribute and the number it is about. */
struct xen_hyp_attr {
	struct kobj_attribute kattr;
	unsigned long arg;
};

static unsigned long xen_hyp_arg(struct kobj_attribute *kattr)
{
	return container_of(kattr, struct xen_hyp_attr, kattr)->arg;
}

#define XEN_HYP_RO(_var, _name, _show, _arg)				\
	static struct xen_hyp_attr _var = {				\
		.kattr = __ATTR(_name, 0444, _show, NULL),		\
		.arg = (_arg),						\
	}

/*
 * A NUL-terminated string the hypervisor writes into a buffer of SIZE
 * bytes for command CMD, at OFFSET in it, shown with a newline.  The
 * buffer has one byte more, always zero, so that a string that fills it
 * ends all the same.
 */
static ssize_t xen_hyp_string(char *buf, int cmd, size_t size, size_t offset)
{
	char *info;
	ssize_t ret;

	info = kzalloc(size + 1, GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	ret = HYPERVISOR_xen_version(cmd, info);
	if (!ret)
		ret = sysfs_emit(buf, "%s\n", info + offset);
	kfree(info);
	return ret;
}

/* The commands whose answer is a string, and where in their buffer. */
enum {
	XEN_HYP_EXTRA,
	XEN_HYP_COMPILER,
	XEN_HYP_COMPILED_BY,
	XEN_HYP_COMPILE_DATE,
	XEN_HYP_CAPABILITIES,
	XEN_HYP_CHANGESET,
};

static const struct {
	int cmd;
	size_t size;
	size_t offset;
} xen_hyp_strings[] = {
	[XEN_HYP_EXTRA] = { XENVER_extraversion, XEN_EXTRAVERSION_LEN, 0 },
	[XEN_HYP_COMPILER] = {
		XENVER_compile_info, sizeof(struct xen_compile_info),
		offsetof(struct xen_compile_info, compiler) },
	[XEN_HYP_COMPILED_BY] = {
		XENVER_compile_info, sizeof(struct xen_compile_info),
		offsetof(struct xen_compile_info, compile_by) },
	[XEN_HYP_COMPILE_DATE] = {
		XENVER_compile_info, sizeof(struct xen_compile_info),
		offsetof(struct xen_compile_info, compile_date) },
	[XEN_HYP_CAPABILITIES] = {
		XENVER_capabilities, XEN_CAPABILITIES_INFO_LEN, 0 },
	[XEN_HYP_CHANGESET] = { XENVER_changeset, XEN_CHANGESET_INFO_LEN, 0 },
};

static ssize_t string_show(struct kobject *kobj, struct kobj_attribute *kattr,
			   char *buf)
{
	unsigned long i = xen_hyp_arg(kattr);

	return xen_hyp_string(buf, xen_hyp_strings[i].cmd,
			      xen_hyp_strings[i].size,
			      xen_hyp_strings[i].offset);
}

/* Top level */

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *kattr,
			 char *buf)
{
	return sysfs_emit(buf, "xen\n");
}

static ssize_t guest_type_show(struct kobject *kobj,
			       struct kobj_attribute *kattr, char *buf)
{
	if (xen_pv_domain())
		return sysfs_emit(buf, "PV\n");
	if (xen_pvh_domain())
		return sysfs_emit(buf, "PVH\n");
	if (xen_hvm_domain())
		return sysfs_emit(buf, "HVM\n");
	/* A domain of its own type only on Arm, where Xen is "native". */
	if (xen_domain_type == XEN_NATIVE)
		return sysfs_emit(buf, "Xen\n");
	return -EINVAL;
}

/*
 * The domain's handle from the hypervisor; a hypervisor that does not
 * give it leaves the toolstack's copy in xenstore, under the domain's
 * "vm" path.
 */
static ssize_t uuid_from_store(char *buf)
{
	char *vm, *uuid;
	ssize_t ret;

	if (!xenstored_ready)
		return -EBUSY;
	vm = xenbus_read(XBT_NIL, "vm", "", NULL);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	uuid = xenbus_read(XBT_NIL, vm, "uuid", NULL);
	kfree(vm);
	if (IS_ERR(uuid))
		return PTR_ERR(uuid);
	ret = sysfs_emit(buf, "%s\n", uuid);
	kfree(uuid);
	return ret;
}

static ssize_t uuid_show(struct kobject *kobj, struct kobj_attribute *kattr,
			 char *buf)
{
	xen_domain_handle_t handle;

	if (HYPERVISOR_xen_version(XENVER_guest_handle, handle))
		return uuid_from_store(buf);
	return sysfs_emit(buf, "%pU\n", handle);
}

XEN_HYP_RO(type_attr, type, type_show, 0);
XEN_HYP_RO(guest_type_attr, guest_type, guest_type_show, 0);
XEN_HYP_RO(uuid_attr, uuid, uuid_show, 0);

static struct attribute *top_attrs[] = {
	&type_attr.kattr.attr,
	&guest_type_attr.kattr.attr,
	&uuid_attr.kattr.attr,
	NULL
};

static const struct attribute_group top_group = {
	.attrs = top_attrs,
};

/* version/ */

/*
 * XENVER_version gives (major << 16) | minor.  minor has always been
 * shown as its low byte only, and still is: no Xen release has needed
 * more.
 */
static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *kattr,
			    char *buf)
{
	int version = HYPERVISOR_xen_version(XENVER_version, NULL);

	if (!version)
		return -ENODEV;
	if (xen_hyp_arg(kattr))
		return sysfs_emit(buf, "%d\n", version & 0xff);
	return sysfs_emit(buf, "%d\n", version >> 16);
}

XEN_HYP_RO(major_attr, major, version_show, 0);
XEN_HYP_RO(minor_attr, minor, version_show, 1);
XEN_HYP_RO(extra_attr, extra, string_show, XEN_HYP_EXTRA);

static struct attribute *version_attrs[] = {
	&major_attr.kattr.attr,
	&minor_attr.kattr.attr,
	&extra_attr.kattr.attr,
	NULL
};

static const struct attribute_group version_group = {
	.name = "version",
	.attrs = version_attrs,
};

/* compilation/ */

XEN_HYP_RO(compiler_attr, compiler, string_show, XEN_HYP_COMPILER);
XEN_HYP_RO(compiled_by_attr, compiled_by, string_show, XEN_HYP_COMPILED_BY);
XEN_HYP_RO(compile_date_attr, compile_date, string_show,
	   XEN_HYP_COMPILE_DATE);

static struct attribute *compilation_attrs[] = {
	&compiler_attr.kattr.attr,
	&compiled_by_attr.kattr.attr,
	&compile_date_attr.kattr.attr,
	NULL
};

static const struct attribute_group compilation_group = {
	.name = "compilation",
	.attrs = compilation_attrs,
};

/* properties/ */

/* Where the hypervisor's part of the address space starts, in hex. */
static ssize_t virtual_start_show(struct kobject *kobj,
				  struct kobj_attribute *kattr, char *buf)
{
	struct xen_platform_parameters params = { 0 };
	int ret;

	ret = HYPERVISOR_xen_version(XENVER_platform_parameters, &params);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%llx\n", (unsigned long long)params.virt_start);
}

/* In hexadecimal, as it always was; nothing at all if Xen says 0. */
static ssize_t pagesize_show(struct kobject *kobj,
			     struct kobj_attribute *kattr, char *buf)
{
	int ret = HYPERVISOR_xen_version(XENVER_pagesize, NULL);

	if (ret <= 0)
		return ret;
	return sysfs_emit(buf, "%x\n", ret);
}

/*
 * Every 32-bit word of the feature bitmap as eight hex digits, the
 * highest word first, then a newline.  A word Xen refuses ends the list;
 * if it refuses the first, that is the error.
 */
static ssize_t features_show(struct kobject *kobj,
			     struct kobj_attribute *kattr, char *buf)
{
	struct xen_feature_info info;
	ssize_t len = 0;
	int i, ret;

	for (i = XENFEAT_NR_SUBMAPS - 1; i >= 0; i--) {
		info.submap_idx = i;
		info.submap = 0;
		ret = HYPERVISOR_xen_version(XENVER_get_features, &info);
		if (ret) {
			if (!len)
				return ret;
			break;
		}
		len += sysfs_emit_at(buf, len, "%08x", info.submap);
	}
	return len + sysfs_emit_at(buf, len, "\n");
}

/*
 * The build id, as the raw bytes Xen gives (it is binary: no newline).
 * A domain Xen does not tell reads "<denied>".
 */
static ssize_t buildid_show(struct kobject *kobj,
			    struct kobj_attribute *kattr, char *buf)
{
	static const char denied[] = "<denied>";
	struct xen_build_id *id;
	int len, ret;

	len = HYPERVISOR_xen_version(XENVER_build_id, NULL);
	if (len == -EPERM) {
		memcpy(buf, denied, sizeof(denied) - 1);
		return sizeof(denied) - 1;
	}
	if (len < 0)
		return len;
	if (len > PAGE_SIZE)
		return -ENOSPC;
	id = kzalloc(struct_size(id, buf, len), GFP_KERNEL);
	if (!id)
		return -ENOMEM;
	id->len = len;
	ret = HYPERVISOR_xen_version(XENVER_build_id, id);
	if (ret > 0)
		memcpy(buf, id->buf, min(ret, len));
	kfree(id);
	return ret > 0 ? min(ret, len) : ret;
}

XEN_HYP_RO(capabilities_attr, capabilities, string_show,
	   XEN_HYP_CAPABILITIES);
XEN_HYP_RO(changeset_attr, changeset, string_show, XEN_HYP_CHANGESET);
XEN_HYP_RO(virtual_start_attr, virtual_start, virtual_start_show, 0);
XEN_HYP_RO(pagesize_attr, pagesize, pagesize_show, 0);
XEN_HYP_RO(features_attr, features, features_show, 0);
XEN_HYP_RO(buildid_attr, buildid, buildid_show, 0);

static struct attribute *properties_attrs[] = {
	&capabilities_attr.kattr.attr,
	&changeset_attr.kattr.attr,
	&virtual_start_attr.kattr.attr,
	&pagesize_attr.kattr.attr,
	&features_attr.kattr.attr,
	&buildid_attr.kattr.attr,
	NULL
};

static const struct attribute_group properties_group = {
	.name = "properties",
	.attrs = properties_attrs,
};

/*
 * start_flags/: one file per bit of xen_start_flags, "1" or "0".  The two
 * bits with a meaning have their names; the others are unknownNN, NN
 * being the bit's number, so that a flag Xen adds is seen before it has
 * a name here.
 */
#define XEN_NR_START_FLAGS	(sizeof(xen_start_flags) * BITS_PER_BYTE)
/* The names of the bits without one. */
#define XEN_FLAG_NAME_MAX	sizeof("unknownNN")

static ssize_t flag_show(struct kobject *kobj, struct kobj_attribute *kattr,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n", !!(xen_start_flags & xen_hyp_arg(kattr)));
}

/* Filled in by xen_hyp_flags_init() and never changed after. */
static struct xen_hyp_attr flag_attrs[XEN_NR_START_FLAGS];
static char flag_names[XEN_NR_START_FLAGS][XEN_FLAG_NAME_MAX];
static struct attribute *flags_attrs[XEN_NR_START_FLAGS + 1];

static const struct attribute_group flags_group = {
	.name = "start_flags",
	.attrs = flags_attrs,
};

static void __init xen_hyp_flags_init(void)
{
	unsigned int bit;

	for (bit = 0; bit < XEN_NR_START_FLAGS; bit++) {
		struct xen_hyp_attr *fa = &flag_attrs[bit];

		if (BIT(bit) == SIF_PRIVILEGED) {
			fa->kattr.attr.name = "privileged";
		} else if (BIT(bit) == SIF_INITDOMAIN) {
			fa->kattr.attr.name = "initdomain";
		} else {
			snprintf(flag_names[bit], XEN_FLAG_NAME_MAX,
				 "unknown%02u", bit);
			fa->kattr.attr.name = flag_names[bit];
		}
		fa->kattr.attr.mode = 0444;
		fa->kattr.show = flag_show;
		fa->arg = BIT(bit);
		flags_attrs[bit] = &fa->kattr.attr;
	}
}

/* pmu/: dom0 reads and sets how Xen shares the PMU. */
#ifdef CONFIG_XEN_HAVE_VPMU
static const struct {
	const char *name;
	u32 mode;
} pmu_modes[] = {
	{ "off", XENPMU_MODE_OFF },
	{ "self", XENPMU_MODE_SELF },
	{ "hv", XENPMU_MODE_HV },
	{ "all", XENPMU_MODE_ALL },
};

/* One XENPMU_* operation OP carrying *VAL in and out. */
static int xen_pmu_op(unsigned int op, u64 *val)
{
	struct xen_pmu_params xp = {
		.version.maj = XENPMU_VER_MAJ,
		.version.min = XENPMU_VER_MIN,
		.val = *val,
	};
	int ret;

	ret = HYPERVISOR_xenpmu_op(op, &xp);
	if (!ret)
		*val = xp.val;
	return ret;
}

static ssize_t pmu_mode_show(struct kobject *kobj,
			     struct kobj_attribute *kattr, char *buf)
{
	u64 val = 0;
	unsigned int i;
	int ret;

	ret = xen_pmu_op(XENPMU_mode_get, &val);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(pmu_modes); i++)
		if ((u32)val == pmu_modes[i].mode)
			return sysfs_emit(buf, "%s\n", pmu_modes[i].name);
	return -EINVAL;
}

/* One of the names, with or without a newline. */
static ssize_t pmu_mode_store(struct kobject *kobj,
			      struct kobj_attribute *kattr, const char *buf,
			      size_t count)
{
	unsigned int i;
	u64 val;
	int ret;

	for (i = 0; i < ARRAY_SIZE(pmu_modes); i++)
		if (sysfs_streq(buf, pmu_modes[i].name))
			break;
	if (i == ARRAY_SIZE(pmu_modes))
		return -EINVAL;
	val = pmu_modes[i].mode;
	ret = xen_pmu_op(XENPMU_mode_set, &val);
	return ret ? ret : count;
}

static ssize_t pmu_features_show(struct kobject *kobj,
				 struct kobj_attribute *kattr, char *buf)
{
	u64 val = 0;
	int ret;

	ret = xen_pmu_op(XENPMU_feature_get, &val);
	if (ret)
		return ret;
	return sysfs_emit(buf, "0x%x\n", (u32)val);
}

/* A 32-bit number in any base kstrtou32() reads. */
static ssize_t pmu_features_store(struct kobject *kobj,
				  struct kobj_attribute *kattr,
				  const char *buf, size_t count)
{
	u32 features;
	u64 val;
	int ret;

	ret = kstrtou32(buf, 0, &features);
	if (ret)
		return ret;
	val = features;
	ret = xen_pmu_op(XENPMU_feature_set, &val);
	return ret ? ret : count;
}

static struct kobj_attribute pmu_mode_attr = __ATTR_RW(pmu_mode);
static struct kobj_attribute pmu_features_attr = __ATTR_RW(pmu_features);

static struct attribute *pmu_attrs[] = {
	&pmu_mode_attr.attr,
	&pmu_features_attr.attr,
	NULL
};

/* Only dom0 may ask: no other domain has the directory at all. */
static bool pmu_group_visible(struct kobject *kobj)
{
	return xen_initial_domain();
}

DEFINE_SIMPLE_SYSFS_GROUP_VISIBLE(pmu);

static const struct attribute_group pmu_group = {
	.name = "pmu",
	.attrs = pmu_attrs,
	.is_visible = SYSFS_GROUP_VISIBLE(pmu),
};
#endif

static const struct attribute_group *xen_hyp_groups[] = {
	&top_group,
	&version_group,
	&compilation_group,
	&properties_group,
	&flags_group,
#ifdef CONFIG_XEN_HAVE_VPMU
	&pmu_group,
#endif
	NULL
};

static int __init xen_hyp_sysfs_init(void)
{
	int ret;

	if (!xen_domain())
		return -ENODEV;
	if (!hypervisor_kobj)
		return -ENODEV;
	xen_hyp_flags_init();
	ret = sysfs_create_groups(hypervisor_kobj, xen_hyp_groups);
	if (ret)
		pr_err("cannot create /sys/hypervisor's files: %d\n", ret);
	return ret;
}
device_initcall(xen_hyp_sysfs_init);
