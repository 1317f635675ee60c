# SPDX-License-Identifier: GPL-2.0-only
# What a workload costs a domain, for make bench's report: sourced by
# domu.sh (busybox sh) and dom0.sh; defines functions only.

# prof_now: this domain's CPU time so far by kind, in USER_HZ ticks
# (/proc/stat: user, system with hard irqs, softirq, steal, idle with
# iowait), and its Xen events: those of devices (xen-dyn, the split
# drivers' among them) and those of timers and IPIs (xen-percpu).
prof_now() {
	awk '
	function sum(   j, n) {
		for (j = 2; j <= NF && $j ~ /^[0-9]+$/; j++)
			n += $j
		return n
	}
	$1 == "cpu" { u = $2 + $3; s = $4 + $7; q = $8; st = $9; i = $5 + $6 }
	FILENAME ~ /interrupts/ && / xen-dyn/ { d += sum() }
	FILENAME ~ /interrupts/ && / xen-percpu/ { p += sum() }
	END { print u + 0, s + 0, q + 0, st + 0, i + 0, d + 0, p + 0 }' /proc/stat /proc/interrupts
}

# prof_diff TEST BEFORE AFTER: "XPROF TEST user= sys= softirq= steal= idle=
# ev= percpu=", the growth of prof_now's counts from BEFORE to AFTER.
prof_diff() {
	echo "$2 $3" | awk -v t="$1" '{
		printf "XPROF %s user=%d sys=%d softirq=%d steal=%d idle=%d ev=%d percpu=%d\n",
		       t, $8 - $1, $9 - $2, $10 - $3, $11 - $4, $12 - $5, $13 - $6, $14 - $7
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
