// SPDX-License-Identifier: GPL-2.0-only
/*
 * Steal time of a Xen guest, from the runstate areas of its vCPUs.
 *
 * Each vCPU registers with Xen an area where Xen keeps its current
 * runstate (running, runnable, blocked or offline), when it entered it,
 * and the total time spent in each.  A vCPU's stolen time is what it
 * spent runnable, waiting for a physical CPU, or offline against its will.
 *
 * A domain restored from a saved image (or migrated) is a new domain to
 * Xen, whose runstate totals start again from zero.  The totals from
 * before are kept here and added to every read, so that steal time never
 * goes backwards.  A suspend that is cancelled (a checkpoint) leaves the
 * domain and its totals as they were, so nothing is added then.
 */

#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/static_call.h>
#include <linux/string.h>

#include <asm/barrier.h>
#include <asm/paravirt.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>

#include <xen/interface/vcpu.h>
#include <xen/interface/xen.h>
#include <xen/xen-ops.h>

#define XEN_RUNSTATES	ARRAY_SIZE(((struct vcpu_runstate_info *)0)->time)

/*
 * The area Xen writes for each vCPU, registered by
 * xen_setup_runstate_info().  Only Xen writes it; we only read it.
 */
static DEFINE_PER_CPU(struct vcpu_runstate_info, xen_runstate);

/*
 * Per vCPU, the runstate totals of the domains this one was before its
 * last restore, added to what Xen reports now.  Written only by
 * xen_manage_runstate_time() on the suspending CPU, while every other
 * CPU is stopped; read by anyone.
 */
static DEFINE_PER_CPU(u64 [XEN_RUNSTATES], xen_runstate_before);

/*
 * Per vCPU, Xen's totals when the domain suspended: added to
 * xen_runstate_before if the domain comes back as a new one.  Used only
 * by xen_manage_runstate_time(), between its two calls of one suspend.
 */
static DEFINE_PER_CPU(u64 [XEN_RUNSTATES], xen_runstate_at_suspend);

/*
 * A 64-bit value that Xen may change while we read it.  Where a long is
 * 32 bits, the high word is read before and after the low one until
 * they agree (Xen's guests that have 32-bit longs are little-endian).
 */
static u64 xen_read_u64(const u64 *p)
{
#if BITS_PER_LONG == 64
	return READ_ONCE(*p);
#else
	const u32 *w = (const u32 *)p;
	u32 hi, lo;

	do {
		hi = READ_ONCE(w[1]);
		lo = READ_ONCE(w[0]);
	} while (READ_ONCE(w[1]) != hi);
	return ((u64)hi << 32) | lo;
#endif
}

/*
 * A consistent copy of what Xen reports for @cpu, without the totals
 * from before a restore.  Xen marks an update in progress in
 * state_entry_time (XEN_RUNSTATE_UPDATE, once the runstate_update_flag
 * assist is on) and changes state_entry_time with every update: a copy
 * taken while the mark was clear and the time did not change is whole.
 */
static void xen_runstate_copy(unsigned int cpu, struct vcpu_runstate_info *out)
{
	const struct vcpu_runstate_info *rs = per_cpu_ptr(&xen_runstate, cpu);
	u64 entry;

	for (;;) {
		entry = xen_read_u64(&rs->state_entry_time);
		/* The copy is of the update that this entry time began... */
		virt_rmb();
		memcpy(out, rs, sizeof(*out));
		/* ...and ended before the entry time is read again. */
		virt_rmb();
		if (!(entry & XEN_RUNSTATE_UPDATE) &&
		    xen_read_u64(&rs->state_entry_time) == entry)
			return;
		cpu_relax();
	}
}

/* As xen_runstate_copy(), with the totals from before a restore added. */
static void xen_runstate_total(unsigned int cpu, struct vcpu_runstate_info *out)
{
	unsigned int i;

	xen_runstate_copy(cpu, out);
	for (i = 0; i < XEN_RUNSTATES; i++)
		out->time[i] += per_cpu(xen_runstate_before, cpu)[i];
}

/**
 * xen_get_runstate_snapshot() - the runstate of the current vCPU
 * @res: where to put it; its totals include those from before a restore
 *
 * Context: preemption disabled, so that "current" stays this vCPU.
 */
void xen_get_runstate_snapshot(struct vcpu_runstate_info *res)
{
	lockdep_assert_preemption_disabled();
	xen_runstate_total(smp_processor_id(), res);
}

/**
 * xen_vcpu_stolen() - is a vCPU waiting for a physical CPU?
 * @vcpu: the CPU number of the vCPU
 *
 * Return: true if Xen reports @vcpu runnable but not running.
 */
bool xen_vcpu_stolen(int vcpu)
{
	return READ_ONCE(per_cpu(xen_runstate, vcpu).state) == RUNSTATE_runnable;
}

/**
 * xen_steal_clock() - the time stolen from a vCPU
 * @cpu: the CPU number of the vCPU
 *
 * The pv_steal_clock of a Xen guest.
 *
 * Return: nanoseconds @cpu spent runnable or offline since boot.
 */
u64 xen_steal_clock(int cpu)
{
	struct vcpu_runstate_info rs;

	xen_runstate_total(cpu, &rs);
	return rs.time[RUNSTATE_runnable] + rs.time[RUNSTATE_offline];
}

/**
 * xen_manage_runstate_time() - keep the runstate totals across a suspend
 * @action: -1 just before the domain suspends; after it returns, 0 if it
 *	came back as a new domain, or 1 if the suspend was cancelled
 *
 * Context: the suspending CPU, with every other CPU stopped.
 */
void xen_manage_runstate_time(int action)
{
	struct vcpu_runstate_info rs;
	unsigned int cpu, i;

	for_each_possible_cpu(cpu) {
		u64 *at = per_cpu(xen_runstate_at_suspend, cpu);

		switch (action) {
		case -1:
			xen_runstate_copy(cpu, &rs);
			memcpy(at, rs.time, sizeof(rs.time));
			break;
		case 0:
			for (i = 0; i < XEN_RUNSTATES; i++)
				per_cpu(xen_runstate_before, cpu)[i] += at[i];
			fallthrough;
		default:
			memset(at, 0, sizeof(rs.time));
			break;
		}
	}
}

/**
 * xen_setup_runstate_info() - have Xen keep a vCPU's runstate area
 * @cpu: the CPU number of the vCPU
 *
 * Called for each vCPU as it comes up, and again after a restore, which
 * forgets the areas.  If Xen refuses, the area is cleared, so that what
 * an earlier domain left there counts for nothing: that vCPU's steal
 * time then stays where it was, and it never seems to wait.
 */
void xen_setup_runstate_info(int cpu)
{
	struct vcpu_runstate_info *rs = per_cpu_ptr(&xen_runstate, cpu);
	struct vcpu_register_runstate_memory_area area = { .addr.v = rs };
	int err;

	err = HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area,
				 xen_vcpu_nr(cpu), &area);
	if (err) {
		memset(rs, 0, sizeof(*rs));
		pr_warn("xen: vCPU %d: runstate area refused (%d): no steal time\n",
			cpu, err);
	}
}

/**
 * xen_time_setup_guest() - account steal time from the runstate areas
 *
 * The scheduler also subtracts steal time from a run queue's clock if
 * any CPU may read any vCPU's area, which needs Xen to mark its updates
 * (the runstate_update_flag assist).
 */
void __init xen_time_setup_guest(void)
{
	bool marked = !HYPERVISOR_vm_assist(VMASST_CMD_enable,
					    VMASST_TYPE_runstate_update_flag);

	static_call_update(pv_steal_clock, xen_steal_clock);
	static_key_slow_inc(&paravirt_steal_enabled);
	if (marked)
		static_key_slow_inc(&paravirt_steal_rq_enabled);
}
