#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# boot.sh RUN ROLE PLAN TIMEOUT
# One QEMU TCG boot, bounded by TIMEOUT seconds.  ROLE is "bare" (our
# kernel on plain QEMU) or "xen" (Xen 4.17 with a dom0 running PLAN: ours,
# stock, bench, or the benchmark plans blk-ours, stock-blk and stock-mods-bench).  The console goes, time-stamped, to build/out/RUN/console.log;
# the guest side writes its results into build/out/RUN over virtio-9p.
. "$(dirname "$0")/lib.sh"

run=$1 role=$2 plan=$3 limit=$4
dir="$OUT/$run"
rm -rf "$dir"
mkdir -p "$dir/tap"
# The cases this boot must report (report.py: a case run only when asked
# for fails, like any other, if it then has no result).
echo "${XCI_EXPECT:-}" > "$dir/expect"
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
	case $plan in stock*) dk="/boot/vmlinuz-$stock" ;; *) dk=$kernel ;; esac
	# make bench's try side runs frontends of another build (mkinitramfs.sh).
	tryfront=${XCI_BENCH_TRY_FRONT:-}
	[ -n "${XCI_BENCH_TRY_BLKFRONT:-}${XCI_BENCH_TRY_NETFRONT:-}" ] && tryfront=try
	dargs="console=hvc0 panic=-1 watchdog_thresh=30 xrole=dom0 xtop=$TOP xplan=$plan xstock=$stock xmib=${XCI_MIB:-64} xbmib=${XCI_BMIB:-64} xtcpmib=${XCI_TCP_MIB:-64} xbenchn=${XCI_BENCH_N:-3} xcases=$(echo "${XCI_CASES:-}" | tr , +) xforks=${XCI_FORKS:-100} xcycles=${XCI_CYCLES:-10} xrounds=${XCI_ROUNDS:-2}${XCI_NETBACK_KO:+ xnetbackko=$XCI_NETBACK_KO}${XCI_BLKBACK_KO:+ xblkbackko=$XCI_BLKBACK_KO}${XCI_BENCH_TRY_BLKBACK:+ xtryblkbackko=$XCI_BENCH_TRY_BLKBACK}${XCI_BENCH_TRY_NETBACK:+ xtrynetbackko=$XCI_BENCH_TRY_NETBACK}${tryfront:+ xtryfront=$tryfront}${XCI_BENCH_WORK:+ xbenchwork=$XCI_BENCH_WORK}${XCI_BENCH_PIN:+ xbenchpin=$XCI_BENCH_PIN} xvcpus=${XCI_DOMU_VCPUS:-2} xcaselimit=${XCI_CASE_LIMIT:-700}${XCI_RUNNER_DIE:+ xdie=${XCI_RUNNER_DIE//,/+}}${XCI_FREEZE:+ xfreeze=$XCI_FREEZE}${XCI_KILL_XS:+ xkillxs=$XCI_KILL_XS}${XCI_REBOOT:+ xreboot=1}${XCI_XS_TRACE:+ xxstrace=1}"
	# Our netback's receive stall, shortened so that xen_vif_hostile's
	# rx_stall_carrier sees the carrier fall and rise within its run
	# (guest/lib/vifwatch.sh carrier_check); read-only at runtime, as upstream's.
	# Debian's dom0 keeps its own modules' defaults; our modules loaded
	# into it take the same value (guest/lib/modules.sh backends, xrxstallms).
	dargs+=" xrxstallms=${XCI_RX_STALL_MS:-5000}"
	# Extra words for dom0's and the domUs' command lines, for hunting a
	# fault (e.g. XCI_DOM0_ARGS=page_poison=1 XCI_DOMU_ARGS=page_poison=1
	# with Debian's kernel, which has PAGE_POISONING).
	# No ",": QEMU's -initrd separates the modules with it; no "+" for
	# the domUs, whose words it separates.
	case ${XCI_DOM0_ARGS:-}${XCI_DOMU_ARGS:-} in *,*) die "XCI_DOM0_ARGS and XCI_DOMU_ARGS take no ','" ;; esac
	case ${XCI_DOMU_ARGS:-} in *+*) die "XCI_DOMU_ARGS takes no '+'" ;; esac
	dargs+="${XCI_DOM0_ARGS:+ $XCI_DOM0_ARGS}${XCI_DOMU_ARGS:+ xdomuargs=${XCI_DOMU_ARGS// /+}}"
	# The lifecycle boot runs Xen's C xenstored, every other boot
	# oxenstored: both talk to our kernel's xenstore ring and xenfs
	# (guest/lib/toolstack.sh).
	[ "$run" = xen-ours-life ] && dargs+=" xxenstored=${XCI_XENSTORED_LIFE:-c}"
	[ "$run" = xen-ours ] && dargs+=" xxenstored=${XCI_XENSTORED_OURS:-o}"
	case $plan in stock*) ;; *) dargs+=" xen_netback.rx_stall_timeout_msecs=${XCI_RX_STALL_MS:-5000}" ;; esac
	# -smap,-smep: Xen's PV dom0 dies at its first fault otherwise;
	# -rdtscp: QEMU's SVM misreports RDTSCP exits and Xen kills HVM-type guests.
	qemu+=(-cpu "${XCI_XEN_CPU:-max,-smap,-smep,-rdtscp,-pku,-la57}" -kernel "$OUT/xen"
	       -append "console=com1 com1=115200,8n1 dom0_mem=1536M,max:1536M dom0_vcpus_pin loglvl=all guest_loglvl=all ${XCI_XEN_ARGS:-}"
	       -initrd "$dk $dargs,$OUT/initrd.gz"
	       -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	       -monitor "unix:$dir/monitor.sock,server=on,wait=off")
	;;
*) die "unknown role $role" ;;
esac

# hang_dump: once the console has been silent for XCI_SILENCE seconds
# (default 200), or shows no case progress for two minutes less than
# XCI_STALL, ask Xen for its register and stack dumps over the serial line
# (three Ctrl-A switch its input to Xen; 'd': every CPU, '0': dom0's
# vCPUs, 'q': the domains) and QEMU for the CPUs' registers.  A frozen run
# then says where it froze.  The monitor's answers go to hang.log.
# Silent for XCI_HANG seconds (default 360; dom0's watchdog prints a
# heartbeat every 2 minutes, and the dumps do not count), or without a
# new "XCI: case" line for XCI_STALL seconds (default 900; a case takes at
# most 10 minutes before dom0's supervisor stops it), the run is stopped
# and marked hung, with the reason in RUN/hung.
monitor() {
	python3 - "$dir/monitor.sock" "$1" <<'EOP' >> "$dir/hang.log" 2>&1
import re, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b'\n')
time.sleep(3)
try:
    out = s.recv(1 << 20).decode(errors='replace')
except OSError:
    out = ''
# Drop the monitor's line editing (escape sequences) and its echo.
out = re.sub(r'\x1b\[[0-9;]*[A-Za-z]', '', out)
print('\n'.join(l for l in out.splitlines() if not l.startswith('(qemu)')))
EOP
}
# all_reported: every case of XCI_EXPECT (set by matrix.sh) has its line
# in RUN/results and dom0 has not said XCI-DOM0-DONE.
all_reported() {
	local c
	[ -n "${XCI_EXPECT:-}" ] || return 1
	grep -q 'XCI-DOM0-DONE' "$dir/console.log" 2>/dev/null && return 1
	for c in $XCI_EXPECT; do
		grep -q "^CASE $c " "$dir/results" 2>/dev/null || return 1
	done
	return 0
}
hang_dump() {
	local quiet=${XCI_SILENCE:-200} hang=${XCI_HANG:-360} stall=${XCI_STALL:-900}
	local size last=-1 since=0 dumped=0 t steps prev=-1 still=0 why="" done_t=""
	# A failed command must not end the watch (lib.sh sets -e).
	set +e
	while sleep 20; do
		# Progress: dom0's case and benchmark lines (not its watchdog's).
		steps=$(grep -c -E 'XCI: (case |dom0 up|bench: )' "$dir/console.log" 2>/dev/null)
		if [ "$steps" != "$prev" ]; then prev=$steps still=0; else still=$((still + 20)); fi
		size=$(stat -c %s "$dir/console.log" 2>/dev/null || echo 0)
		if [ "$size" != "$last" ]; then last=$size since=0; else since=$((since + 20)); fi
		[ $since -ge "$hang" ] && why="console silent for $since s"
		[ $still -ge "$stall" ] && why="no case progress on the console for $still s"
		if all_reported; then
			[ -n "$done_t" ] || done_t=$(date +%s)
			if [ $(( $(date +%s) - done_t )) -ge "${XCI_DONE_WAIT:-120}" ]; then
				echo "== $(date +%T): every case reported $(( $(date +%s) - done_t )) s ago and dom0 did not finish: stopping QEMU (not a freeze)" >> "$dir/hang.log"
				log "$run: every case reported; dom0 did not finish within ${XCI_DONE_WAIT:-120} s (testbed, see README): stopped"
				pkill -TERM -f "path=$dir,mount_tag=xciout" || true
				return
			fi
		fi
		if [ -n "$why" ]; then
			echo "== $(date +%T): $why: stopping QEMU" >> "$dir/hang.log"
			echo "$why" > "$dir/hung"
			pkill -TERM -f "path=$dir,mount_tag=xciout" || true
			return
		fi
		[ $since -ge "$quiet" ] || [ $still -ge $((stall - 120)) ] || continue
		[ $dumped = 0 ] || continue
		dumped=1
		t=$(date +%s)
		echo "== $(date +%T): console silent for $since s, no progress for $still s; dumps" >> "$dir/hang.log"
		printf '\001\001\001' >&3; sleep 2
		printf 'q' >&3; sleep 10
		printf 'd' >&3; sleep 20
		printf '0' >&3; sleep 20
		printf '\001\001\001' >&3
		monitor "info registers -a"
		# What the dumps printed is not the guest's.
		last=$(stat -c %s "$dir/console.log" 2>/dev/null || echo 0)
		since=$((since + $(date +%s) - t))
		still=$((still + $(date +%s) - t))
	done
}

echo "${qemu[*]}" > "$dir/qemu-cmd"
# QEMU's serial input: a FIFO held open here, so that it never sees EOF.
rm -f "$dir/serial.in"
mkfifo "$dir/serial.in"
exec 3<> "$dir/serial.in"
watcher=""
if [ "$role" = xen ]; then
	hang_dump &
	watcher=$!
fi
t0=$(now_s)
set +e
# The console, time-stamped, to console.log; and live progress on stderr:
# each case's start and result as dom0 says them, with the time into the
# boot and the cases still without a result.
timeout --foreground -k 10 "$limit" "${qemu[@]}" < "$dir/serial.in" 2>&1 |
	XCI_RUN=$run perl -MTime::HiRes=time -MPOSIX=strftime -ne '
		BEGIN {
			$| = 1; $t0 = time;
			@order = split " ", ($ENV{XCI_EXPECT} // "");
			%left = map { $_ => 1 } @order;
		}
		s/\r//g;
		printf "[%7.2f] %s", time - $t0, $_;
		next unless /XCI: case (\S+): (start|PASS|FAIL|SKIP)\b ?(.{0,100})/;
		($c, $what, $why) = ($1, $2, $3);
		delete $left{$c} if $what ne "start";
		@l = grep { $left{$_} } @order;
		printf STDERR "[%s] %s: %s %s%s (%.0f s into the boot; left: %s)\n",
			strftime("%H:%M:%S", localtime), $ENV{XCI_RUN}, $c, $what,
			$what eq "start" ? "" : " $why", time - $t0,
			@l ? join(" ", @l) : "none";
	' > "$dir/console.log"
rc=${PIPESTATUS[0]}
set -e
[ -z "$watcher" ] || kill "$watcher" 2>/dev/null || true
exec 3>&-
rm -f "$dir/serial.in" "$dir/monitor.sock"
grep -q "dumps$" "$dir/hang.log" 2>/dev/null && log "$run: the console went silent; Xen's and QEMU's dumps are in console.log and $dir/hang.log"
echo "$rc $(elapsed "$t0")" > "$dir/qemu.rc"
[ "$rc" = 124 ] && log "$run: QEMU timed out after $limit s" || log "$run: QEMU exited ($rc) after $(elapsed "$t0") s"
exit 0
