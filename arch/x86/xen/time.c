// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time in a Xen guest: Xen's clock as the clocksource, Xen's per-vCPU
 * one-shot timer as the clock event device, sched_clock and the wall
 * clock from the same source.
 *
 * Xen keeps, in each vCPU's vcpu_info, the parameters that turn the TSC
 * into its system time (nanoseconds since the host booted): pvclock.
 * That is the "xen" clocksource, 1 GHz.  The wall clock is system time
 * plus the wall-clock time of system time zero, in shared_info.
 *
 * Timers: Xen delivers VIRQ_TIMER to a vCPU when its one-shot timer
 * expires (VCPUOP_set_singleshot_timer, an absolute system time).  Xen
 * also starts each vCPU with a 100 Hz periodic timer on the same VIRQ,
 * which we stop; a Xen that will not stop it (older than 3.0.4) gets the
 * old set_timer_op interface instead, whose tick we cannot stop.
 *
 * Across a suspend, sched_clock must not jump: its offset from system
 * time is moved so that it resumes where it stopped, since a restored
 * domain may run on a host whose system time is anywhere.
 *
 * PVH and HVM guests use the same clocksource and timer once they have
 * the vector callback and a Xen whose pvclock is safe for HVM.
 */

#include <linux/clockchips.h>
#include <linux/clocksource.h>
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/pvclock_gtod.h>
#include <linux/sched/clock.h>
#include <linux/static_call.h>
#include <linux/timekeeper_internal.h>

#include <asm/pvclock.h>
#include <asm/timer.h>
#include <asm/tsc.h>
#include <asm/x86_init.h>
#include <asm/xen/cpuid.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>

#include <xen/events.h>
#include <xen/features.h>
#include <xen/interface/platform.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/xen.h>

#include "xen-ops.h"

/* The clock event device's resolution: 1 ns, unless xen_timer_slop= says. */
#define XEN_TIMER_MIN_NS	1

/* How often dom0 gives Xen its wall clock, as the CMOS clock is synced. */
#define XEN_WALLCLOCK_SYNC_S	(11 * 60)

/*
 * System time when sched_clock() was zero: sched_clock() is system time
 * minus this.  Set at boot, and moved at each resume (see the top).
 */
static u64 xen_sched_clock_offset __read_mostly;

/* sched_clock() at the last suspend, for the resume to go on from. */
static u64 xen_sched_clock_at_suspend;

/*
 * The second copy of vCPU 0's time info that Xen keeps for the vDSO
 * (pvclock in user space), or NULL where Xen has none or the TSC is not
 * stable.  Set once at boot.
 */
static struct pvclock_vsyscall_time_info *xen_vdso_pvti __read_mostly;

/* Set at boot: Xen's one-shot vCPU timer, else set_timer_op. */
static bool xen_timer_vcpuop __ro_after_init;

static u64 xen_clocksource_read(void)
{
	u64 now;

	preempt_disable_notrace();
	now = pvclock_clocksource_read(&__this_cpu_read(xen_vcpu)->time);
	preempt_enable_notrace();
	return now;
}

static u64 xen_clocksource_get_cycles(struct clocksource *cs)
{
	return xen_clocksource_read();
}

static noinstr u64 xen_sched_clock(void)
{
	struct pvclock_vcpu_time_info *pvti = &__this_cpu_read(xen_vcpu)->time;

	return pvclock_clocksource_read_nowd(pvti) - xen_sched_clock_offset;
}

/* The TSC's frequency, as Xen scales it: known, not to be calibrated. */
static unsigned long xen_tsc_khz(void)
{
	setup_force_cpu_cap(X86_FEATURE_TSC_KNOWN_FREQ);
	return pvclock_tsc_khz(&HYPERVISOR_shared_info->vcpu_info[0].time);
}

static void xen_get_wallclock(struct timespec64 *ts)
{
	struct vcpu_info *vi = get_cpu_var(xen_vcpu);

	pvclock_read_wallclock(&HYPERVISOR_shared_info->wc, &vi->time, ts);
	put_cpu_var(xen_vcpu);
}

/* A domU has no clock to set: Xen's is dom0's to set. */
static int xen_set_wallclock(const struct timespec64 *ts)
{
	return -ENODEV;
}

static int xen_cs_enable(struct clocksource *cs)
{
	vclocks_set_used(VDSO_CLOCKMODE_PVCLOCK);
	return 0;
}

static struct clocksource xen_clocksource __read_mostly = {
	.name = "xen",
	.rating = 400,
	.read = xen_clocksource_get_cycles,
	.mask = CLOCKSOURCE_MASK(64),
	.flags = CLOCK_SOURCE_IS_CONTINUOUS,
	.enable = xen_cs_enable,
};

/*
 * dom0 keeps Xen's wall clock: whenever the time is set, and every 11
 * minutes otherwise.  The timekeeping core calls this serialised, so the
 * statics need no lock.
 */
static int xen_pvclock_gtod_notify(struct notifier_block *nb,
				   unsigned long was_set, void *priv)
{
	static struct timespec64 next_sync;
	static bool no_settime64;
	struct timekeeper *tk = priv;
	struct xen_platform_op op = {
		.interface_version = XENPF_INTERFACE_VERSION,
	};
	struct timespec64 now = {
		.tv_sec = tk->xtime_sec,
		.tv_nsec = tk->tkr_mono.xtime_nsec >> tk->tkr_mono.shift,
	};
	int err;

	if (!was_set && timespec64_compare(&now, &next_sync) < 0)
		return NOTIFY_OK;

	for (;;) {
		u64 system_time = xen_clocksource_read();

		if (!no_settime64) {
			op.cmd = XENPF_settime64;
			op.u.settime64.mbz = 0;
			op.u.settime64.secs = now.tv_sec;
			op.u.settime64.nsecs = now.tv_nsec;
			op.u.settime64.system_time = system_time;
		} else {
			op.cmd = XENPF_settime32;
			op.u.settime32.secs = now.tv_sec;
			op.u.settime32.nsecs = now.tv_nsec;
			op.u.settime32.system_time = system_time;
		}
		err = HYPERVISOR_platform_op(&op);
		if (err != -ENOSYS || no_settime64)
			break;
		/* A Xen older than 4.6 has only the 32-bit call. */
		no_settime64 = true;
	}
	if (err < 0)
		return NOTIFY_BAD;
	next_sync = now;
	next_sync.tv_sec += XEN_WALLCLOCK_SYNC_S;
	return NOTIFY_OK;
}

static struct notifier_block xen_pvclock_gtod_notifier = {
	.notifier_call = xen_pvclock_gtod_notify,
};

/* ---- The clock event device -------------------------------------- */

/* Each CPU's clock event device and its irq's name. */
struct xen_clock_event {
	struct clock_event_device evt;
	char name[16];
};

/*
 * Per CPU: bound by xen_setup_timer() before the CPU comes up, unbound
 * by xen_teardown_timer() once it is down; evt.irq is -1 while unbound.
 */
static DEFINE_PER_CPU(struct xen_clock_event, xen_clock_events) = {
	.evt.irq = -1,
};

static int xen_timer_stop_periodic(unsigned int cpu)
{
	return HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer,
				  xen_vcpu_nr(cpu), NULL);
}

static int xen_timer_shutdown(struct clock_event_device *evt)
{
	unsigned int cpu = smp_processor_id();
	int err;

	if (!xen_timer_vcpuop) {
		HYPERVISOR_set_timer_op(0);	/* nothing to do if it fails */
		return 0;
	}
	err = HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer,
				 xen_vcpu_nr(cpu), NULL);
	if (!err)
		err = xen_timer_stop_periodic(cpu);
	WARN_ONCE(err, "xen: CPU %u: timer not stopped (%d)\n", cpu, err);
	return err;
}

static int xen_timer_set_oneshot(struct clock_event_device *evt)
{
	unsigned int cpu = smp_processor_id();
	int err = xen_timer_stop_periodic(cpu);

	WARN_ONCE(err, "xen: CPU %u: periodic timer not stopped (%d)\n",
		  cpu, err);
	return err;
}

/*
 * Xen's timers take an absolute system time.  The kernel's own idea of
 * time may drift from Xen's (NTP adjusts it), so the deadline is taken
 * from Xen's clock now rather than from the kernel's expiry time.  A
 * deadline already past still raises the event at once.
 */
static int xen_timer_set_next_event(unsigned long delta,
				    struct clock_event_device *evt)
{
	u64 deadline = xen_clocksource_read() + delta;
	unsigned int cpu = smp_processor_id();
	int err;

	WARN_ON_ONCE(!clockevent_state_oneshot(evt));
	if (xen_timer_vcpuop) {
		struct vcpu_set_singleshot_timer t = {
			.timeout_abs_ns = deadline,
			.flags = 0,	/* an event even if already expired */
		};

		err = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer,
					 xen_vcpu_nr(cpu), &t);
	} else {
		err = HYPERVISOR_set_timer_op(deadline);
	}
	WARN_ONCE(err, "xen: CPU %u: timer not set (%d)\n", cpu, err);
	return err;
}

/* Filled in at boot; every CPU's device is a copy. */
static struct clock_event_device xen_clock_event_template __ro_after_init = {
	.name = "xen",
	.features = CLOCK_EVT_FEAT_ONESHOT,
	.rating = 500,
	.mult = 1,
	.shift = 0,
	.max_delta_ns = 0xffffffff,
	.max_delta_ticks = 0xffffffff,
	.min_delta_ns = XEN_TIMER_MIN_NS,
	.min_delta_ticks = XEN_TIMER_MIN_NS,
	.set_state_shutdown = xen_timer_shutdown,
	.set_next_event = xen_timer_set_next_event,
};

static irqreturn_t xen_timer_interrupt(int irq, void *dev_id)
{
	struct clock_event_device *evt = this_cpu_ptr(&xen_clock_events.evt);

	if (!evt->event_handler)
		return IRQ_NONE;
	evt->event_handler(evt);
	return IRQ_HANDLED;
}

/**
 * xen_teardown_timer() - unbind a CPU's timer VIRQ
 * @cpu: the CPU, which is down
 */
void xen_teardown_timer(int cpu)
{
	struct clock_event_device *evt = &per_cpu(xen_clock_events, cpu).evt;

	if (evt->irq < 0)
		return;
	unbind_from_irqhandler(evt->irq, NULL);
	evt->irq = -1;
}

/**
 * xen_setup_timer() - bind a CPU's timer VIRQ and prepare its device
 * @cpu: the CPU, which is about to come up
 *
 * The device is registered by the CPU itself, with
 * xen_setup_cpu_clockevents().
 */
void xen_setup_timer(int cpu)
{
	struct xen_clock_event *xce = &per_cpu(xen_clock_events, cpu);
	int irq;

	if (WARN(xce->evt.irq >= 0, "xen: CPU %d: timer irq %d still bound\n",
		 cpu, xce->evt.irq))
		xen_teardown_timer(cpu);

	pr_info("installing Xen timer for CPU %d\n", cpu);
	snprintf(xce->name, sizeof(xce->name), "timer%d", cpu);
	irq = bind_virq_to_irqhandler(VIRQ_TIMER, cpu, xen_timer_interrupt,
				      IRQF_PERCPU | IRQF_NOBALANCING |
				      IRQF_TIMER | IRQF_FORCE_RESUME |
				      IRQF_EARLY_RESUME,
				      xce->name, NULL);
	if (irq < 0) {
		pr_err("xen: CPU %d: no timer VIRQ (%d)\n", cpu, irq);
		return;
	}
	xen_set_irq_priority(irq, XEN_IRQ_PRIORITY_MAX);

	xce->evt = xen_clock_event_template;
	xce->evt.cpumask = cpumask_of(cpu);
	xce->evt.irq = irq;
}

/**
 * xen_setup_cpu_clockevents() - register this CPU's clock event device
 */
void xen_setup_cpu_clockevents(void)
{
	clockevents_register_device(this_cpu_ptr(&xen_clock_events.evt));
}

/**
 * xen_timer_resume() - stop the periodic timers of a restored domain
 *
 * A new domain's vCPUs start with Xen's 100 Hz timer running again.
 */
void xen_timer_resume(void)
{
	unsigned int cpu;
	int err;

	if (!xen_timer_vcpuop)
		return;
	for_each_online_cpu(cpu) {
		err = xen_timer_stop_periodic(cpu);
		WARN_ONCE(err, "xen: CPU %u: periodic timer not stopped (%d)\n",
			  cpu, err);
	}
}

/* ---- Suspend and resume ------------------------------------------ */

static int xen_register_vdso_pvti(struct pvclock_vsyscall_time_info *ti)
{
	struct vcpu_register_time_memory_area area = {
		.addr.v = ti ? &ti->pvti : NULL,
	};

	return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0,
				  &area);
}

/**
 * xen_save_time_memory_area() - note the time, and stop the vDSO's copy
 *
 * Context: the suspending CPU, interrupts off.
 */
void xen_save_time_memory_area(void)
{
	int err;

	xen_sched_clock_at_suspend = xen_clocksource_read() -
				     xen_sched_clock_offset;
	if (!xen_vdso_pvti)
		return;
	err = xen_register_vdso_pvti(NULL);
	if (err)
		pr_notice("xen: vDSO time info kept across the suspend (%d)\n",
			  err);
	else
		clear_page(xen_vdso_pvti);	/* user space falls back to syscalls */
}

/**
 * xen_restore_time_memory_area() - the time after a suspend
 *
 * Registers the vDSO's copy again.  If Xen refuses it, or the new host's
 * TSC is not stable, user space finds no stable bit there and asks the
 * kernel instead.  sched_clock() goes on from where it stopped.
 *
 * Context: the suspending CPU, interrupts off.
 */
void xen_restore_time_memory_area(void)
{
	int err;

	if (xen_vdso_pvti) {
		err = xen_register_vdso_pvti(xen_vdso_pvti);
		if (err)
			pr_notice("xen: no vDSO time info after the resume (%d)\n",
				  err);
	}
	/* pvclock's last value belongs to the old host's system time. */
	pvclock_resume();
	xen_sched_clock_offset = xen_clocksource_read() -
				 xen_sched_clock_at_suspend;
}

/* ---- Boot ----------------------------------------------------------- */

/*
 * Where Xen promises a stable TSC, let the vDSO read pvclock in user
 * space: Xen keeps a second copy of vCPU 0's time info in a page of ours
 * that is mapped for user space.
 */
static void __init xen_setup_vdso_pvti(void)
{
	struct pvclock_vsyscall_time_info *ti;
	int err;

	ti = (struct pvclock_vsyscall_time_info *)get_zeroed_page(GFP_KERNEL);
	if (!ti)
		return;
	err = xen_register_vdso_pvti(ti);
	if (err) {
		pr_notice("xen: no pvclock in the vDSO (%d)\n", err);
		free_page((unsigned long)ti);
		return;
	}
	/* The same time info as vcpu_info's; still, believe only this one. */
	if (!(ti->pvti.flags & PVCLOCK_TSC_STABLE_BIT)) {
		pr_notice("xen: no pvclock in the vDSO (TSC not stable)\n");
		/* A page Xen may still write is never freed. */
		if (!xen_register_vdso_pvti(NULL))
			free_page((unsigned long)ti);
		return;
	}
	xen_vdso_pvti = ti;
	pvclock_set_pvti_cpu0_va(ti);
	xen_clocksource.vdso_clock_mode = VDSO_CLOCKMODE_PVCLOCK;
}

/*
 * The TSC is a better clocksource than Xen's if it is invariant, stable,
 * and never emulated by Xen (its TSC mode, CPUID leaf 3 of Xen's range).
 */
static bool __init xen_tsc_is_safe(void)
{
	u32 eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_CONSTANT_TSC) ||
	    !boot_cpu_has(X86_FEATURE_NONSTOP_TSC) || check_tsc_unstable())
		return false;
	cpuid_count(xen_cpuid_base() + 3, 0, &eax, &ebx, &ecx, &edx);
	return ebx == XEN_CPUID_TSC_MODE_NEVER_EMULATE;
}

/*
 * The boot CPU's part: the clocksource, the kind of timer, the time of
 * day, and its own timer and steal time.  PV: x86_init.timers.timer_init;
 * HVM and PVH: x86_init.timers.setup_percpu_clockev.
 */
static void __init xen_time_init(void)
{
	unsigned int cpu = smp_processor_id();
	struct timespec64 now;

	/*
	 * dom0 never moves to another host, so the TSC costs it nothing;
	 * a domU prefers the TSC only where it is safe.
	 */
	if (xen_initial_domain())
		xen_clocksource.rating = 275;
	else if (xen_tsc_is_safe())
		xen_clocksource.rating = 299;
	clocksource_register_hz(&xen_clocksource, NSEC_PER_SEC);

	xen_timer_vcpuop = !xen_timer_stop_periodic(cpu);
	if (xen_timer_vcpuop) {
		pr_debug("xen: one-shot vCPU timers\n");
		xen_clock_event_template.set_state_oneshot = xen_timer_set_oneshot;
	}

	xen_get_wallclock(&now);
	do_settimeofday64(&now);

	setup_force_cpu_cap(X86_FEATURE_TSC);
	if (__this_cpu_read(xen_vcpu)->time.flags & PVCLOCK_TSC_STABLE_BIT) {
		pvclock_set_flags(PVCLOCK_TSC_STABLE_BIT);
		xen_setup_vdso_pvti();
	}

	xen_setup_runstate_info(cpu);
	xen_setup_timer(cpu);
	xen_setup_cpu_clockevents();
	xen_time_setup_guest();

	if (xen_initial_domain())
		pvclock_gtod_register_notifier(&xen_pvclock_gtod_notifier);
}

/* What PV, HVM and PVH share: sched_clock, steal time, TSC and wall clock. */
static void __init xen_init_time_common(void)
{
	xen_sched_clock_offset = xen_clocksource_read();
	static_call_update(pv_steal_clock, xen_steal_clock);
	paravirt_set_sched_clock(xen_sched_clock);
	x86_platform.calibrate_tsc = xen_tsc_khz;
	x86_platform.get_wallclock = xen_get_wallclock;
}

/**
 * xen_init_time_ops() - a PV guest's time hooks
 */
void __init xen_init_time_ops(void)
{
	xen_init_time_common();
	x86_init.timers.timer_init = xen_time_init;
	x86_init.timers.setup_percpu_clockev = x86_init_noop;
	x86_cpuinit.setup_percpu_clockev = x86_init_noop;
	/* dom0 sets the hardware clock the native way. */
	if (!xen_initial_domain())
		x86_platform.set_wallclock = xen_set_wallclock;
}

#ifdef CONFIG_XEN_PVHVM
/* A secondary CPU of an HVM or PVH guest, as it comes up. */
static void xen_hvm_setup_cpu_clockevents(void)
{
	xen_setup_runstate_info(smp_processor_id());
	/*
	 * Its timer was bound before it came up (by the CPU hotplug
	 * callbacks of enlighten_hvm.c), where allocating is allowed.
	 */
	xen_setup_cpu_clockevents();
}

/**
 * xen_hvm_init_time_ops() - an HVM or PVH guest's time hooks
 *
 * Only where every vCPU can take Xen's timer event (the vector
 * callback) and Xen says pvclock is safe for HVM; else native time stays.
 * Called at platform setup and again when the boot CPU is prepared for
 * SMP, since a boot CPU whose vcpu_info is not yet known (a vCPU beyond
 * the ones shared_info holds) must wait for it.  Idempotent.
 */
void __init xen_hvm_init_time_ops(void)
{
	static bool done;

	if (done || !xen_have_vector_callback)
		return;
	if (!xen_feature(XENFEAT_hvm_safe_pvclock)) {
		pr_info_once("xen: pvclock not safe for HVM here, native timers kept\n");
		return;
	}
	if (!__this_cpu_read(xen_vcpu)) {
		pr_info("xen: boot vCPU %d has no vcpu_info yet, Xen time later\n",
			xen_vcpu_nr(0));
		return;
	}

	xen_init_time_common();
	x86_init.timers.setup_percpu_clockev = xen_time_init;
	x86_cpuinit.setup_percpu_clockev = xen_hvm_setup_cpu_clockevents;
	x86_platform.set_wallclock = xen_set_wallclock;
	done = true;
}
#endif

/* xen_timer_slop=NS: the shortest timer the clock event devices take. */
static int __init xen_parse_timer_slop(char *arg)
{
	unsigned long ns = memparse(arg, NULL);

	xen_clock_event_template.min_delta_ns = ns;
	xen_clock_event_template.min_delta_ticks = ns;
	return 0;
}
early_param("xen_timer_slop", xen_parse_timer_slop);
