#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# boot.sh RUN ROLE PLAN TIMEOUT
# One QEMU TCG boot, bounded by TIMEOUT seconds.  ROLE is "bare" (our
# kernel on plain QEMU) or "xen" (Xen 4.17 with a dom0 running PLAN: ours,
# stock or bench).  The console goes, time-stamped, to build/out/RUN/console.log;
# the guest side writes its results into build/out/RUN over virtio-9p.
. "$(dirname "$0")/lib.sh"

run=$1 role=$2 plan=$3 limit=$4
dir="$OUT/$run"
rm -rf "$dir"
mkdir -p "$dir/tap"
kernel="$OBJ/arch/x86/boot/bzImage"
stock=$(stock_kver)
# -nic none: the guests never get a path to any network outside QEMU.
qemu=(qemu-system-x86_64 ${XCI_QEMU_ACCEL:+-accel $XCI_QEMU_ACCEL} -machine q35 -m 3072 -smp 2 -nographic -no-reboot -nic none
      -virtfs "local,path=$dir,mount_tag=xciout,security_model=none")

case $role in
bare)
	qemu+=(-cpu max -kernel "$kernel" -initrd "$OUT/initrd.gz"
	       -append "console=ttyS0 panic=-1 xrole=bare")
	;;
xen)
	[ -f "$OUT/xen" ] && [ "$OUT/xen" -nt /boot/xen-4.17-amd64.gz ] ||
		zcat /boot/xen-4.17-amd64.gz > "$OUT/xen"
	if [ "$plan" = stock ]; then dk="/boot/vmlinuz-$stock"; else dk=$kernel; fi
	dargs="console=hvc0 panic=-1 xrole=dom0 xtop=$TOP xplan=$plan xstock=$stock xmib=${XCI_MIB:-64} xbenchn=${XCI_BENCH_N:-3} xcases=$(echo "${XCI_CASES:-}" | tr , +) xforks=${XCI_FORKS:-100} xvcpus=${XCI_DOMU_VCPUS:-2}"
	# -smap,-smep: Xen's PV dom0 dies at its first fault otherwise;
	# -rdtscp: QEMU's SVM misreports RDTSCP exits and Xen kills HVM-type guests.
	qemu+=(-cpu "${XCI_XEN_CPU:-max,-smap,-smep,-rdtscp,-pku,-la57}" -kernel "$OUT/xen"
	       -append "console=com1 com1=115200,8n1 dom0_mem=1536M,max:1536M loglvl=all guest_loglvl=all ${XCI_XEN_ARGS:-}"
	       -initrd "$dk $dargs,$OUT/initrd.gz"
	       -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap")
	;;
*) die "unknown role $role" ;;
esac

echo "${qemu[*]}" > "$dir/qemu-cmd"
t0=$(now_s)
set +e
timeout --foreground -k 10 "$limit" "${qemu[@]}" < /dev/null 2>&1 |
	perl -MTime::HiRes=time -ne 'BEGIN { $|=1; $t0 = time } s/\r//g; printf "[%7.2f] %s", time - $t0, $_' \
	> "$dir/console.log"
rc=${PIPESTATUS[0]}
set -e
echo "$rc $(elapsed "$t0")" > "$dir/qemu.rc"
[ "$rc" = 124 ] && log "$run: QEMU timed out after $limit s" || log "$run: QEMU exited ($rc) after $(elapsed "$t0") s"
exit 0
