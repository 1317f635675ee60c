// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain's control/ directory in xenstore: the toolstack's shutdown,
 * reboot, halt and suspend requests on control/shutdown, the magic SysRq
 * keys of xl sysrq on control/sysrq, and the control/feature-* keys that
 * tell the toolstack this kernel listens.
 *
 * Both watches run on the xenwatch thread, one callback at a time.  A
 * request is read and acknowledged (the key emptied) in one transaction,
 * so that the toolstack sees it taken exactly when it will be carried out;
 * libxl waits for that acknowledgment before it waits for the domain.
 */
#define pr_fmt(fmt) "xen_control: " fmt

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sysrq.h>

#include <xen/xen.h>
#include <xen/xen-ops.h>
#include <xen/xenbus.h>

#include "control.h"
#include "control_parse.h"

/*
 * Commit attempts of one request's transaction.  Each conflict means the
 * store changed under it; if the key itself changed, its watch fires
 * again, so giving up after a few conflicts loses no request.
 */
#define XEN_CTL_TX_TRIES	8

/*
 * Set once, when a reboot request is taken or by the reboot notifier when
 * the kernel starts going down (for whatever reason); read by the
 * control/shutdown watch, which then ignores further requests.  Accessed
 * with READ_ONCE/WRITE_ONCE only.
 */
static bool xen_ctl_going_down;

/* Whether control/shutdown may say "suspend" to this kernel. */
static bool xen_ctl_can_suspend(void)
{
	return IS_ENABLED(CONFIG_HIBERNATE_CALLBACKS);
}

/*
 * A decision on a control key's value: >0 to take it (empty the key, and
 * the caller acts), 0 to leave the key as it is and do nothing.  @out
 * receives what the caller needs to act.
 */
typedef int (*xen_ctl_decide_t)(const char *val, void *out);

/*
 * xen_ctl_take() - read control/@key, and empty it if @decide takes it
 *
 * Return: >0 if @decide took the value and the transaction committed
 * (the caller acts on @out), 0 if there is nothing to do.
 */
static int xen_ctl_take(const char *key, xen_ctl_decide_t decide, void *out)
{
	unsigned int tries;

	for (tries = 0; tries < XEN_CTL_TX_TRIES; tries++) {
		struct xenbus_transaction xbt;
		char *val;
		int take, err;

		if (tries)
			cond_resched();
		err = xenbus_transaction_start(&xbt);
		if (err) {
			pr_err("control/%s: no transaction (%d)\n", key, err);
			return 0;
		}
		val = xenbus_read(xbt, "control", key, NULL);
		if (IS_ERR(val)) {
			/* Absent (as in dom0) or unreadable: nothing asked. */
			xenbus_transaction_end(xbt, 1);
			return 0;
		}
		take = decide(val, out);
		kfree(val);
		if (take <= 0) {
			xenbus_transaction_end(xbt, 1);
			return 0;
		}
		err = xenbus_write(xbt, "control", key, "");
		if (err) {
			xenbus_transaction_end(xbt, 1);
			pr_err("control/%s: cannot acknowledge (%d)\n", key, err);
			return 0;
		}
		err = xenbus_transaction_end(xbt, 0);
		if (err == -EAGAIN)
			continue;
		if (err) {
			pr_err("control/%s: commit failed (%d)\n", key, err);
			return 0;
		}
		return take;
	}
	pr_warn("control/%s kept changing; its next change is read again\n",
		key);
	return 0;
}

static int xen_ctl_decide_shutdown(const char *val, void *out)
{
	enum xen_ctl_request *req = out;

	*req = xen_ctl_parse_shutdown(val, xen_ctl_can_suspend());
	if (*req == XEN_CTL_UNKNOWN)
		pr_info_ratelimited("ignoring control/shutdown \"%*pE\"\n",
				    (int)strnlen(val, XEN_CTL_LOG_CHARS), val);
	return *req != XEN_CTL_NONE && *req != XEN_CTL_UNKNOWN;
}

static void xen_ctl_poweroff(void)
{
	switch (system_state) {
	case SYSTEM_BOOTING:
	case SYSTEM_SCHEDULING:
		/* Init may not run a poweroff yet: force it if it cannot. */
		orderly_poweroff(true);
		break;
	case SYSTEM_RUNNING:
		orderly_poweroff(false);
		break;
	default:
		pr_info("already going down; the request changes nothing\n");
		break;
	}
}

static void xen_ctl_shutdown_changed(struct xenbus_watch *watch,
				     const char *path, const char *token)
{
	enum xen_ctl_request req = XEN_CTL_NONE;

	if (READ_ONCE(xen_ctl_going_down))
		return;
	if (xen_ctl_take("shutdown", xen_ctl_decide_shutdown, &req) <= 0)
		return;
	pr_info("the toolstack asks for %s\n", xen_ctl_request_name(req));
	switch (req) {
	case XEN_CTL_POWEROFF:
	case XEN_CTL_HALT:
		xen_ctl_poweroff();
		break;
	case XEN_CTL_REBOOT:
		/* orderly_reboot() always ends in a restart: nothing after. */
		WRITE_ONCE(xen_ctl_going_down, true);
		orderly_reboot();
		break;
	case XEN_CTL_SUSPEND:
		xen_ctl_suspend();
		break;
	default:
		break;
	}
}

static struct xenbus_watch xen_ctl_shutdown_watch = {
	.node = "control/shutdown",
	.callback = xen_ctl_shutdown_changed,
};

#ifdef CONFIG_MAGIC_SYSRQ
static int xen_ctl_decide_sysrq(const char *val, void *out)
{
	int ret = xen_ctl_parse_sysrq(val, out);

	if (ret < 0) {
		/* Taken all the same, so that the next key gets through. */
		pr_info_ratelimited("ignoring control/sysrq \"%*pE\": not one key\n",
				    (int)strnlen(val, XEN_CTL_LOG_CHARS), val);
		*(char *)out = '\0';
		return 1;
	}
	return ret;
}

static void xen_ctl_sysrq_changed(struct xenbus_watch *watch,
				  const char *path, const char *token)
{
	char key = '\0';

	if (xen_ctl_take("sysrq", xen_ctl_decide_sysrq, &key) > 0 && key)
		handle_sysrq(key);
}

static struct xenbus_watch xen_ctl_sysrq_watch = {
	.node = "control/sysrq",
	.callback = xen_ctl_sysrq_changed,
};
#endif /* CONFIG_MAGIC_SYSRQ */

/* Runs once xenstore is up: listen, then say so. */
static int xen_ctl_store_ready(struct notifier_block *nb, unsigned long ev,
			       void *data)
{
	const char *key;
	unsigned int i;
	int err;

	err = register_xenbus_watch(&xen_ctl_shutdown_watch);
	if (err) {
		pr_err("cannot watch control/shutdown (%d)\n", err);
		return NOTIFY_DONE;
	}
#ifdef CONFIG_MAGIC_SYSRQ
	err = register_xenbus_watch(&xen_ctl_sysrq_watch);
	if (err)
		pr_err("cannot watch control/sysrq (%d)\n", err);
#endif
	for (i = 0; (key = xen_ctl_feature_key(i, xen_ctl_can_suspend())); i++) {
		err = xenbus_write(XBT_NIL, "control", key, "1");
		if (err) {
			pr_err("cannot write control/%s (%d)\n", key, err);
			break;
		}
	}
	return NOTIFY_DONE;
}

static struct notifier_block xen_ctl_store_nb = {
	.notifier_call = xen_ctl_store_ready,
};

static int xen_ctl_reboot_event(struct notifier_block *nb,
				unsigned long code, void *unused)
{
	if (code == SYS_DOWN || code == SYS_HALT || code == SYS_POWER_OFF)
		WRITE_ONCE(xen_ctl_going_down, true);
	return NOTIFY_DONE;
}

static struct notifier_block xen_ctl_reboot_nb = {
	.notifier_call = xen_ctl_reboot_event,
};

/**
 * xen_setup_shutdown_event() - start listening to the toolstack's requests
 *
 * Registers for xenstore's arrival (the watches on control/shutdown and
 * control/sysrq and the feature keys follow then) and for the kernel's
 * own shutdown.  Runs as an initcall; a later call does nothing.
 *
 * Return: 0, or -ENODEV outside Xen.
 */
int xen_setup_shutdown_event(void)
{
	/* Bit 0: the notifiers are registered.  Set once, never cleared. */
	static unsigned long registered;

	if (!xen_domain())
		return -ENODEV;
	if (test_and_set_bit(0, &registered))
		return 0;
	register_xenstore_notifier(&xen_ctl_store_nb);
	register_reboot_notifier(&xen_ctl_reboot_nb);
	return 0;
}
EXPORT_SYMBOL_GPL(xen_setup_shutdown_event);

subsys_initcall(xen_setup_shutdown_event);
