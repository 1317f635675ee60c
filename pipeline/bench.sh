#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: measurements, never pass/fail.  Three Xen boots, one after
# the other, each repeating its measurement XCI_BENCH_N times (default 3):
#   bench           our dom0; our kernel and the stock kernel boot as PV
#                   domU in turn: seconds from "xl create" to the domU's init
#   benchblk-ours   our dom0 and our domU: both ends of the disk are ours
#   benchblk-stock  the stock dom0 and a stock domU: both ends are upstream's
# The block workloads (pipeline/tools/xblk.c, O_DIRECT on a loop device in
# dom0's RAM): 1 MiB sequential write and read of 256 MiB, 4 KiB random
# reads at queue depth 32 for 10 s, and 2000 random 4 KiB reads one at a
# time.  The network workloads (pipeline/tools/xnet.c, between the domU and
# dom0 over the bridge): a 256 MiB TCP stream each way, and one-byte
# request/response over TCP for 10 s.  Prints the medians and ratios; above
# 1.0 means ours is faster.
. "$(dirname "$0")/lib.sh"

n=${XCI_BENCH_N:-3}
for run in ${XCI_BENCH_RUNS:-bench benchblk-ours benchblk-stock}; do
	case $run in
	bench) plan=bench ;;
	benchblk-ours) plan=blk-ours ;;
	benchblk-stock) plan=stock-blk ;;
	*) die "unknown bench run $run" ;;
	esac
	"$PIPE/boot.sh" "$run" xen "$plan" "${XCI_TIMEOUT_BENCH:-1500}"
done
python3 - "$OUT" <<'PY'
import os, statistics, sys
out = sys.argv[1]
boot = {'ours': [], 'stock': []}
blk = {}
net = {}
for run in ('bench', 'benchblk-ours', 'benchblk-stock'):
    path = os.path.join(out, run, 'bench')
    if not os.path.exists(path):
        print('bench: %s has no results (see %s)' % (run, os.path.join(out, run, 'console.log')))
        continue
    for line in open(path):
        f = line.split()
        if f[0] == 'BENCH' and len(f) == 3:
            if f[2].startswith('FAIL'):
                print('bench: %s failed (%s)' % (f[1], f[2]))
            else:
                boot[f[1].split('-')[1]].append(float(f[2]))
        elif f[0] == 'NET' and len(f) == 4:
            net.setdefault(f[2], {}).setdefault(f[1], []).append(float(f[3]))
        elif f[0] == 'BLK' and len(f) == 4:
            if f[2] == 'FAIL':
                print('bench: block %s failed (%s)' % (f[1], f[3]))
            else:
                blk.setdefault(f[2], {}).setdefault(f[1], []).append(float(f[3]))

def med(v):
    return statistics.median(v) if v else None

print('== bench: domU boot, xl create -> init (seconds) ==')
for k in ('ours', 'stock'):
    v = boot[k]
    print('%-6s runs %s  median %s' % (k, ' '.join('%.1f' % x for x in v) or '-',
                                      '%.2f' % med(v) if v else '-'))
if boot['ours'] and boot['stock']:
    print('domU boot ratio (stock/ours, >1 = ours faster): %.2f' % (med(boot['stock']) / med(boot['ours'])))

def table(title, res, units, lower_is_better=()):
    """One line per test: the runs of each side, the medians and their ratio."""
    print(title)
    for test in units:
        r = res.get(test, {})
        o, s = med(r.get('ours', [])), med(r.get('stock', []))
        line = '%-9s ours %-24s stock %-24s' % (
            test, ' '.join('%g' % x for x in r.get('ours', [])) or '-',
            ' '.join('%g' % x for x in r.get('stock', [])) or '-')
        if o and s:
            ratio = s / o if test in lower_is_better else o / s
            line += ' median %g vs %g %s, ratio %.2f' % (o, s, units[test], ratio)
        print(line)

table('== bench: block, both ends ours vs both ends stock (median of runs) ==', blk,
      {'seqwrite': 'MB/s', 'seqread': 'MB/s', 'randread': 'IO/s', 'lat': 'us'}, ('lat',))
table('== bench: network, our kernel at both ends vs stock (median of runs) ==', net,
      {'tx': 'MB/s domU->dom0', 'rx': 'MB/s dom0->domU', 'rr': 'transactions/s'})
print('(ratio: ours/stock for throughput, stock/ours for latency; >1 = ours faster)')
PY
