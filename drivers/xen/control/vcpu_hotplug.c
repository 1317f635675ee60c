// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU hotplug for xl vcpu-set: the toolstack writes cpu/N/availability
 * ("online" or "offline") for each vCPU of a PV or PVH domain.
 *
 * "offline" takes the vCPU down and makes it not present; "online" makes
 * it present and registers its device again, which announces it to
 * userspace (a udev rule, or whoever writes cpuN/online, brings it up,
 * as on real hardware).  At boot, the vCPUs the toolstack marked offline
 * (vcpus < maxvcpus) are taken down.
 */
#define pr_fmt(fmt) "xen_control: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include <xen/xen.h>
#include <xen/xenbus.h>

#include <asm/xen/hypervisor.h>

#include "control.h"
#include "control_parse.h"

/*
 * xen_vcpu_wanted() - what cpu/@cpu/availability asks for
 *
 * Return: 1 (online), 0 (offline), or a negative errno when the key is
 * absent (as in dom0, which has no cpu/ directory) or malformed.
 */
static int xen_vcpu_wanted(unsigned int cpu)
{
	char dir[sizeof("cpu/") + XEN_CTL_CPU_DIGITS];
	char *val;
	int ret;

	snprintf(dir, sizeof(dir), "cpu/%u", cpu);
	val = xenbus_read(XBT_NIL, dir, "availability", NULL);
	if (IS_ERR(val))
		return PTR_ERR(val);
	ret = xen_ctl_parse_availability(val);
	if (ret < 0)
		pr_warn("%s/availability is neither online nor offline\n", dir);
	kfree(val);
	return ret;
}

/* Make @cpu present again, with its device, for userspace to bring up. */
static void xen_vcpu_plug(unsigned int cpu)
{
	lock_device_hotplug();
	if (!cpu_present(cpu)) {
		xen_arch_register_cpu(cpu);
		set_cpu_present(cpu, true);
	}
	unlock_device_hotplug();
}

/* Take @cpu down (if the kernel lets it go) and make it not present. */
static void xen_vcpu_unplug(unsigned int cpu)
{
	struct device *dev;

	if (!cpu_is_hotpluggable(cpu))
		return;
	lock_device_hotplug();
	dev = get_cpu_device(cpu);
	if (cpu_online(cpu) && dev)
		device_offline(dev);
	if (!cpu_online(cpu) && cpu_present(cpu)) {
		xen_arch_unregister_cpu(cpu);
		set_cpu_present(cpu, false);
	} else if (cpu_online(cpu)) {
		pr_warn("vCPU %u stays online: the kernel cannot take it down\n",
			cpu);
	}
	unlock_device_hotplug();
}

static void xen_vcpu_follow(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		/* Only the toolstack writes there, but it can be wrong. */
		pr_info_ratelimited("ignoring cpu/%u: no such vCPU (%u possible)\n",
				    cpu, nr_cpu_ids);
		return;
	}
	switch (xen_vcpu_wanted(cpu)) {
	case 1:
		xen_vcpu_plug(cpu);
		break;
	case 0:
		xen_vcpu_unplug(cpu);
		break;
	default:
		break;
	}
}

static void xen_vcpu_changed(struct xenbus_watch *watch, const char *path,
			     const char *token)
{
	unsigned int cpu;
	int err;

	/* "cpu" itself (the watch's first firing) names no vCPU. */
	err = xen_ctl_parse_cpu_path(path, &cpu);
	if (!err)
		xen_vcpu_follow(cpu);
	else if (err != -ENOENT)
		pr_info_ratelimited("ignoring %*pE: names no vCPU\n",
				    (int)strnlen(path, XEN_CTL_LOG_CHARS), path);
}

static struct xenbus_watch xen_vcpu_watch = {
	.node = "cpu",
	.callback = xen_vcpu_changed,
};

static int xen_vcpu_store_ready(struct notifier_block *nb, unsigned long ev,
				void *data)
{
	unsigned int cpu;
	int err;

	err = register_xenbus_watch(&xen_vcpu_watch);
	if (err)
		pr_err("cannot watch cpu/ (%d): xl vcpu-set will not work\n",
		       err);
	for_each_possible_cpu(cpu)
		if (xen_vcpu_wanted(cpu) == 0)
			xen_vcpu_unplug(cpu);
	return NOTIFY_DONE;
}

static struct notifier_block xen_vcpu_store_nb = {
	.notifier_call = xen_vcpu_store_ready,
};

static int __init xen_vcpu_hotplug_init(void)
{
	/* On x86, HVM guests hotplug vCPUs through ACPI instead. */
	if (IS_ENABLED(CONFIG_X86) ? !xen_pv_domain() && !xen_pvh_domain() :
	    !xen_domain())
		return -ENODEV;
	register_xenstore_notifier(&xen_vcpu_store_nb);
	return 0;
}
late_initcall(xen_vcpu_hotplug_init);
