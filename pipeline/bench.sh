#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: measurements, never pass/fail.  One Xen boot with our dom0;
# in it our kernel and the stock kernel boot as PV domU in turn, XCI_BENCH_N
# times each (default 3), and the time from "xl create" until the domU's
# /init runs is recorded.  Prints the medians and the speed ratio
# stock/ours (above 1.0: ours is faster).
. "$(dirname "$0")/lib.sh"

n=${XCI_BENCH_N:-3}
"$PIPE/boot.sh" bench xen bench "${XCI_TIMEOUT_BENCH:-1200}"
dir="$OUT/bench"
python3 - "$dir/bench" "$n" <<'PY'
import statistics, sys
path, n = sys.argv[1], int(sys.argv[2])
rows = {'ours': [], 'stock': []}
try:
    for line in open(path):
        _, name, val = line.split()
        kind = name.split('-')[1]
        if val.startswith('FAIL'):
            print('bench: %s failed (%s)' % (name, val))
            continue
        rows[kind].append(float(val))
except OSError:
    print('bench: no results (see build/out/bench/console.log)')
    sys.exit(1)
print('== bench: domU boot, xl create -> init (seconds) ==')
for k in ('ours', 'stock'):
    v = rows[k]
    print('%-6s runs %s  median %s' % (k, ' '.join('%.1f' % x for x in v) or '-',
                                      '%.2f' % statistics.median(v) if v else '-'))
if rows['ours'] and rows['stock']:
    r = statistics.median(rows['stock']) / statistics.median(rows['ours'])
    print('domU boot ratio (stock/ours, >1 = ours faster): %.2f' % r)
else:
    sys.exit(1)
PY
