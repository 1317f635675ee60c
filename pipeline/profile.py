#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Where make check's boot matrix spends its time, from its last run.

  profile.py [OUT] [N]

OUT is build/out.  Each boot's dom0 writes check-times ("CASE CHECK
UPTIME", a line per check, lib/checks.sh's ck), and each domU says
"XCI-T UPTIME CHECK" after each of its checks (domu.sh's check).  A
check's cost is the time since the check before it in the same case (in
the same domain), so it includes whatever ran between the two.  Prints
each case's span in dom0 and the N costliest steps of dom0 and of the
domUs.
"""

import glob
import os
import re
import sys


def dom0_steps(out):
    """(run, case, check, seconds) of every dom0 check with one before it."""
    steps, spans = [], []
    for path in sorted(glob.glob(os.path.join(out, '*', 'check-times'))):
        run = os.path.basename(os.path.dirname(path))
        last = {}
        first = {}
        with open(path, errors='replace') as f:
            for line in f:
                parts = line.split()
                if len(parts) != 3:
                    continue
                case, check, up = parts
                try:
                    t = float(up)
                except ValueError:
                    continue
                if case in last:
                    steps.append((run, case, check, t - last[case]))
                first.setdefault(case, t)
                last[case] = t
        for case, t0 in first.items():
            spans.append((run, case, last[case] - t0))
    return steps, spans


def domu_steps(out):
    """(log, '', check, seconds) of every domU check with one before it."""
    steps = []
    pat = re.compile(r'^XCI-T ([0-9.]+) (\S+)')
    for path in sorted(glob.glob(os.path.join(out, '*', 'guests', 'guest-*.log'))):
        prev = None
        with open(path, 'rb') as f:
            for raw in f:
                m = pat.match(raw.decode('utf-8', 'replace').strip())
                if not m:
                    continue
                t = float(m.group(1))
                if prev is not None and t >= prev:
                    steps.append((os.path.basename(path), '', m.group(2), t - prev))
                prev = t
    return steps


def main(argv):
    out = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'build', 'out')
    n = int(argv[2]) if len(argv) > 2 else 25
    steps, spans = dom0_steps(out)
    print('# cases: dom0 seconds from their first check to their last')
    for run, case, s in sorted(spans, key=lambda x: -x[2]):
        print('%8.1f  %s/%s' % (s, run, case))
    print('# dom0: the %d costliest steps (seconds since the check before)' % n)
    for run, case, check, s in sorted(steps, key=lambda x: -x[3])[:n]:
        print('%8.1f  %s/%s %s' % (s, run, case, check))
    print('# domUs: the %d costliest steps' % n)
    for log, _, check, s in sorted(domu_steps(out), key=lambda x: -x[3])[:n]:
        print('%8.1f  %s %s' % (s, log, check))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
