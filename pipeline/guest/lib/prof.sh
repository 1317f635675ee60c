# SPDX-License-Identifier: GPL-2.0-only
# What a workload costs a domain, for make bench's report: sourced by
# domu.sh (busybox sh) and dom0.sh; defines functions only.

# prof_now: this domain's CPU time so far by kind, in USER_HZ ticks
# (/proc/stat: user, system with hard irqs, softirq, steal, idle with
# iowait), and its Xen events: those of devices (xen-dyn, the split
# drivers' among them) and those of timers and IPIs (xen-percpu); then
# the busy (all but idle, iowait and steal) and steal ticks of CPUs 0
# and 1 (0 for a CPU the domain lacks).
prof_now() {
	awk '
	function sum(   j, n) {
		for (j = 2; j <= NF && $j ~ /^[0-9]+$/; j++)
			n += $j
		return n
	}
	$1 == "cpu" { u = $2 + $3; s = $4 + $7; q = $8; st = $9; i = $5 + $6 }
	$1 == "cpu0" || $1 == "cpu1" {
		c = substr($1, 4)
		b[c] = $2 + $3 + $4 + $7 + $8
		t[c] = $9
	}
	FILENAME ~ /interrupts/ && / xen-dyn/ { d += sum() }
	FILENAME ~ /interrupts/ && / xen-percpu/ { p += sum() }
	END {
		print u + 0, s + 0, q + 0, st + 0, i + 0, d + 0, p + 0,
		      b[0] + 0, t[0] + 0, b[1] + 0, t[1] + 0
	}' /proc/stat /proc/interrupts
}

# prof_diff TEST BEFORE AFTER: "XPROF TEST user= sys= softirq= steal= idle=
# ev= percpu= hotbusy= hotsteal=", the growth of prof_now's counts from
# BEFORE to AFTER; hot is whichever of CPUs 0 and 1 was busier, and its
# steal is the time it wanted its physical CPU and waited (with vCPUs
# pinned, mostly for another domain's vCPU on the same physical CPU).
prof_diff() {
	echo "$2 $3" | awk -v t="$1" '{
		b0 = $19 - $8; s0 = $20 - $9; b1 = $21 - $10; s1 = $22 - $11
		if (b1 > b0) { b0 = b1; s0 = s1 }
		printf "XPROF %s user=%d sys=%d softirq=%d steal=%d idle=%d ev=%d percpu=%d hotbusy=%d hotsteal=%d\n",
		       t, $12 - $1, $13 - $2, $14 - $3, $15 - $4, $16 - $5, $17 - $6, $18 - $7, b0, s0
	}'
}

# prof TEST CMD...: run CMD, then print its prof_diff line.
prof() {
	pf_t=$1
	shift
	pf_0=$(prof_now)
	"$@"
	prof_diff "$pf_t" "$pf_0" "$(prof_now)"
}
