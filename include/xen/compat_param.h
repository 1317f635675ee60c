/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module parameters a Xen PV driver accepts only to stand in for the
 * driver it replaces.
 *
 * A distribution may pass the old driver's options on the kernel command
 * line, in modprobe.d, or write them under /sys/module/<module>/parameters
 * at runtime.  Where an option means nothing in the new design, the driver
 * still declares it, with the old name, type, permission and default, so
 * that none of these fails; it then stores the value, which nothing reads
 * but the sysfs file, and says once per setting that it has no effect.
 * The notice comes from the parameter's set callback, that is at boot, at
 * module load or on a sysfs write, and never from a data path.
 *
 * The notice goes through pr_notice(): define pr_fmt before including this
 * header, so that it names the driver.
 */
#ifndef _XEN_COMPAT_PARAM_H
#define _XEN_COMPAT_PARAM_H

#include <linux/build_bug.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

/**
 * xen_param_set_no_effect() - store a setting that has no effect; say so
 * @val: the text given for the parameter; NULL for a bool given alone
 * @kp: the parameter
 * @ops: the standard operations of its type, such as &param_ops_uint
 * @why: why no setting of it changes what the driver does
 *
 * For the set callback of a parameter declared with XEN_PARAM_NO_EFFECT().
 *
 * Return: 0, or the error @ops->set() returned for a value it could not
 * parse; the stored value is then unchanged and nothing is logged.
 */
static inline int xen_param_set_no_effect(const char *val,
					  const struct kernel_param *kp,
					  const struct kernel_param_ops *ops,
					  const char *why)
{
	int err = ops->set(val, kp);

	if (!err)
		pr_notice("parameter %s is accepted but has no effect: %s\n",
			  kp->name, why);
	return err;
}

/* A bool may be given without a value ("trusted" alone means "trusted=1"). */
#define __XEN_PARAM_FLAGS_bool	KERNEL_PARAM_OPS_FL_NOARG
#define __XEN_PARAM_FLAGS_int	0
#define __XEN_PARAM_FLAGS_uint	0

/* The C type each parameter type stores, as module_param() checks it. */
#define __XEN_PARAM_CTYPE_bool	bool
#define __XEN_PARAM_CTYPE_int	int
#define __XEN_PARAM_CTYPE_uint	unsigned int

/**
 * XEN_PARAM_NO_EFFECT() - declare a module parameter that has no effect
 * @name: the parameter's name, as the replaced driver spelled it
 * @var: the variable that stores it, initialised to the old default; its
 *	type must be that of @type (checked at compile time)
 * @type: bool, int or uint
 * @perm: sysfs permissions, as the replaced driver had them
 * @why: string constant: why no setting of it changes anything
 *
 * Like module_param_named(), but every successful setting is logged by
 * xen_param_set_no_effect().  Document the parameter with
 * MODULE_PARM_DESC() as usual.
 */
#define XEN_PARAM_NO_EFFECT(name, var, type, perm, why)			\
	static_assert(__builtin_types_compatible_p(typeof(var),		\
						   __XEN_PARAM_CTYPE_##type), \
		      "variable of the wrong type for the parameter");	\
	static int __xen_param_set_##name(const char *val,		\
					  const struct kernel_param *kp) \
	{								\
		return xen_param_set_no_effect(val, kp,		\
					       &param_ops_##type, why); \
	}								\
	static const struct kernel_param_ops __xen_param_ops_##name = {	\
		.flags = __XEN_PARAM_FLAGS_##type,			\
		.set = __xen_param_set_##name,				\
		.get = param_get_##type,				\
	};								\
	module_param_cb(name, &__xen_param_ops_##name, &(var), perm);	\
	__MODULE_INFO(parmtype, name##type, #name ":" #type)

#endif /* _XEN_COMPAT_PARAM_H */
