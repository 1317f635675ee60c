#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: measurements, never pass/fail.  Xen boots, one after the
# other, each repeating its measurement XCI_BENCH_N times (default 5):
#   bench           our dom0; our kernel, the base variant (the same
#                   configuration built from the pristine base, upstream's
#                   Xen code: build-kernel.sh base) and the stock kernel
#                   boot as PV domU in turn: seconds from "xl create" to
#                   the domU's init; ours against base is like for like,
#                   ours against stock a configuration difference too
#   benchmods       like for like: Debian's kernel at both ends, in rounds
#                   that alternate Debian's own modules and ours (make
#                   modules) at both ends, and the block workloads on
#                   dom0's own loop device once a round
#                   (XCI_BENCH_TRY_BLKBACK=PATH, XCI_BENCH_TRY_NETBACK=
#                   PATH: a third side, "try", ours with that
#                   xen-blkback.ko or xen-netback.ko, and with
#                   XCI_BENCH_TRY_FRONT=stock Debian's frontends in its
#                   domU, with XCI_BENCH_TRY_BLKFRONT=PATH or
#                   XCI_BENCH_TRY_NETFRONT=PATH that build of our
#                   frontend; XCI_BENCH_WORK=blk: the block workloads
#                   only, net: the network ones only; XCI_BENCH_PIN=0:
#                   the domUs' vCPUs not pinned, dom0's still are)
# and, only with XCI_BENCH_RUNS, the older configuration comparison:
#   benchblk-ours   our dom0 and our domU: both ends of the disk are ours
#   benchblk-stock  the stock dom0 and a stock domU: both ends are upstream's
# The block workloads (pipeline/tools/xblk.c, O_DIRECT on a loop device in
# dom0's RAM): 1 MiB sequential write and read of 256 MiB, 4 KiB random
# reads at queue depth 32 for 10 s, and 2000 random 4 KiB reads one at a
# time.  The network workloads (pipeline/tools/xnet.c, between the domU and
# dom0 over the bridge): a 256 MiB TCP stream each way, and one-byte
# request/response over TCP for 10 s.  bench_report.py prints the runs,
# medians, spreads and ratios (above 1.0 means ours is faster), and writes
# build/out/bench.json and build/out/bench.png.
. "$(dirname "$0")/lib.sh"

export XCI_BENCH_N=${XCI_BENCH_N:-5}
# The domU boot's like-for-like peer: the base with our configuration.
case " ${XCI_BENCH_RUNS:-bench benchmods} " in *" bench "*)
	"$PIPE/build-kernel.sh" base ;;
esac
for run in ${XCI_BENCH_RUNS:-bench benchmods}; do
	case $run in
	bench) plan=bench ;;
	benchblk-ours) plan=blk-ours ;;
	benchblk-stock) plan=stock-blk ;;
	benchmods) plan=stock-mods-bench ;;
	*) die "unknown bench run $run" ;;
	esac
	# benchmods: two domUs and dom0's own disk a round, 5 to 6 minutes.
	limit=1500
	[ "$run" = benchmods ] && limit=$((900 + 480 * XCI_BENCH_N))
	[ "$run" = benchmods ] && [ -n "${XCI_BENCH_TRY_BLKBACK:-}${XCI_BENCH_TRY_NETBACK:-}${XCI_BENCH_TRY_FRONT:-}${XCI_BENCH_TRY_BLKFRONT:-}${XCI_BENCH_TRY_NETFRONT:-}" ] &&
		limit=$((limit + 240 * XCI_BENCH_N))
	limit=${XCI_TIMEOUT_BENCH:-$limit}
	"$PIPE/boot.sh" "$run" xen "$plan" "$limit"
done
if [ "${XCI_BENCH_PIN:-1}" = 0 ]; then
	log "bench: the domUs' vCPUs were not pinned (XCI_BENCH_PIN=0)"
else
	log "bench: the domUs' vCPUs were pinned as make check's are (vcpu_pins)"
fi
python3 "$PIPE/bench_report.py" "$OUT"
