#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench's report: tables, build/out/bench.json and build/out/bench.png.

Reads the "bench" files that dom0.sh writes in each bench run's directory:
  BENCH boot-ours-N SECONDS | BENCH boot-stock-N SECONDS   (domU boot)
  BLK KIND TEST VALUE       (KIND: upstream, ours, dom0, try; or, in the older
  NET KIND TEST VALUE        configuration comparison, ours and stock)
  BLK KIND FAIL WHY
  PROF KIND WHAT KEY=N...   (what a domU's run cost dom0, WHAT dom0-all,
                             or a workload the domU, WHAT domU-TEST: CPU
                             ticks by kind and Xen events, the busier
                             CPU's busy and steal ticks, prof.sh; or
                             WHAT dom0-vbd, dom0-vif: the domU's backends'
                             spurious events and late-EOI jiffies)
The like-for-like comparison is "upstream" against "ours": Debian's kernel
at both ends, with Debian's modules or ours.  "dom0" is the block workload
on dom0's own loop device, the limit the paravirtual path is measured
against.  Nothing here passes or fails: it reports.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys

# test -> (unit, True if lower is better)
BLK_TESTS = {'seqwrite': ('MB/s', False), 'seqread': ('MB/s', False),
             'randread': ('IO/s', False), 'lat': ('us', True)}
NET_TESTS = {'tx': ('MB/s domU->dom0', False), 'rx': ('MB/s dom0->domU', False),
             'rr': ('transactions/s', False)}
RUNS = ('bench', 'benchmods', 'benchblk-ours', 'benchblk-stock')


def parse(out):
    """Collect every run's lines: {'boot': {side: [s]}, 'blk': {run: {test:
    {kind: [v]}}}, 'net': ..., 'notes': [str]}."""
    res = {'boot': {'ours': [], 'stock': []}, 'blk': {}, 'net': {}, 'prof': {},
           'notes': []}
    for run in RUNS:
        path = os.path.join(out, run, 'bench')
        if not os.path.exists(path):
            continue
        for line in open(path, errors='replace'):
            f = line.split()
            if len(f) >= 3 and f[0] == 'BENCH':
                if f[2].startswith('FAIL'):
                    res['notes'].append('%s: %s failed (%s)' % (run, f[1], ' '.join(f[2:])))
                elif '-' in f[1]:
                    res['boot'].setdefault(f[1].split('-')[1], []).append(float(f[2]))
            elif len(f) >= 4 and f[0] == 'PROF':
                counts = {}
                for kv in f[3:]:
                    k, _, v = kv.partition('=')
                    if v.lstrip('-').isdigit():
                        counts[k] = int(v)
                res['prof'].setdefault(run, {}).setdefault(f[2], {}).setdefault(
                    f[1], []).append(counts)
            elif len(f) >= 4 and f[0] in ('BLK', 'NET'):
                if f[2] == 'FAIL':
                    res['notes'].append('%s: %s %s failed (%s)' % (run, f[0].lower(), f[1], f[3]))
                    continue
                try:
                    v = float(f[3])
                except ValueError:
                    continue
                key = 'blk' if f[0] == 'BLK' else 'net'
                res[key].setdefault(run, {}).setdefault(f[2], {}).setdefault(f[1], []).append(v)
    return res


def summary(v):
    """Median and spread of a side's runs, or None."""
    if not v:
        return None
    return {'runs': v, 'median': statistics.median(v), 'min': min(v), 'max': max(v)}


def ratio(a, b, lower_better):
    """How much better side a is than side b (>1: a is better)."""
    if not a or not b or not a['median'] or not b['median']:
        return None
    return b['median'] / a['median'] if lower_better else a['median'] / b['median']


def compare(res, kind, run, a, b, tests):
    """Rows of side a against side b for every test."""
    rows = []
    for test, (unit, lower) in tests.items():
        r = res[kind].get(run, {}).get(test, {})
        sa, sb = summary(r.get(a, [])), summary(r.get(b, []))
        if not sa and not sb:
            continue
        row = {'workload': '%s %s' % (kind, test), 'unit': unit, 'lower_is_better': lower,
               a: sa, b: sb, 'ratio': ratio(sa, sb, lower)}
        if kind == 'blk':
            d = summary(r.get('dom0', []))
            if d:
                row['dom0'] = d
                # domU/dom0, as a fraction of what dom0 gets itself
                for side in (a, b):
                    e = ratio(row[side], d, lower) if row[side] else None
                    row['efficiency_' + side] = e
        rows.append(row)
    return rows


def fmt_side(s):
    if not s:
        return '-'
    return '%s (med %g, %g-%g)' % (' '.join('%g' % x for x in s['runs']),
                                   s['median'], s['min'], s['max'])


def print_rows(title, rows, a, b):
    print(title)
    for r in rows:
        line = '%-13s %-3s %s  %-3s %s' % (r['workload'], a, fmt_side(r[a]), b, fmt_side(r[b]))
        line += '  ratio %s' % ('%.2f' % r['ratio'] if r['ratio'] else '-')
        if 'dom0' in r:
            line += '  dom0 %g, efficiency %s %s / %s %s' % (
                r['dom0']['median'], a,
                '%.2f' % r['efficiency_' + a] if r.get('efficiency_' + a) else '-', b,
                '%.2f' % r['efficiency_' + b] if r.get('efficiency_' + b) else '-')
        print('  ' + line + '  [%s]' % r['unit'])


PROF_KEYS = ('user', 'sys', 'softirq', 'steal', 'idle', 'ev', 'percpu', 'hotbusy', 'hotsteal',
             'spur', 'eoidly')


def profile(res, run, sides):
    """Per WHAT and side, the median of each count over the runs:
    {what: {side: {key: median}}}."""
    table = {}
    for what, by_side in sorted(res['prof'].get(run, {}).items()):
        for side in sides:
            runs = by_side.get(side, [])
            if runs:
                table.setdefault(what, {})[side] = {
                    k: statistics.median([c.get(k, 0) for c in runs]) for k in PROF_KEYS}
    return table


def print_profile(title, table, sides):
    if not table:
        return
    print(title)
    print('  %-16s %-9s %s' % ('what', 'side', ' '.join('%8s' % k for k in PROF_KEYS)))
    for what, by_side in table.items():
        for side in sides:
            m = by_side.get(side)
            if m:
                print('  %-16s %-9s %s' % (what, side, ' '.join('%8g' % m[k] for k in PROF_KEYS)))


def plot(rows, a, b, png):
    """Bars per workload, a and b side by side, min-max as error bars,
    each normalised to b's median (so that MB/s and IO/s share an axis)."""
    if not rows or not shutil.which('gnuplot'):
        return False
    dat = png[:-4] + '.dat'
    with open(dat, 'w') as f:
        for r in rows:
            if not r[a] or not r[b]:
                continue
            base = r[b]['median']
            vals = []
            for side in (a, b):
                s = r[side]
                if r['lower_is_better']:
                    # invert: higher is better everywhere on the picture
                    vals += [base / s['median'], base / s['max'], base / s['min']]
                else:
                    vals += [s['median'] / base, s['min'] / base, s['max'] / base]
            f.write('"%s" %s\n' % (r['workload'], ' '.join('%.4f' % v for v in vals)))
    script = '''
set terminal pngcairo size 1000,500
set output "%s"
set title "Same kernel (Debian 6.12), only the drivers differ: %s vs %s\\n(relative to %s's median; higher is better; bars: min-max of the runs)"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set ylabel "relative performance"
set xtics rotate by -30
plot "%s" using 2:3:4:xtic(1) title "%s", "" using 5:6:7 title "%s"
''' % (png, a, b, b, dat, a, b)
    try:
        subprocess.run(['gnuplot'], input=script, text=True, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    except (subprocess.SubprocessError, OSError) as e:
        print('bench: gnuplot failed: %s' % e)
        return False
    return True


def main(out):
    res = parse(out)
    for n in res['notes']:
        print('bench: ' + n)
    report = {'boot': {}, 'same_kernel': [], 'configuration': [], 'profile': {}}
    print('== bench: domU boot, xl create -> init (seconds) ==')
    for side in ('ours', 'base', 'stock'):
        s = summary(res['boot'].get(side, []))
        report['boot'][side] = s
        print('  %-6s %s' % (side, fmt_side(s)))
    rb = ratio(report['boot']['ours'], report['boot']['base'], True)
    report['boot']['ratio_base'] = rb
    if rb:
        print('  like for like, our kernel vs the base built with the same configuration '
              '(base/ours, >1 = ours faster): %.2f' % rb)
    rb = ratio(report['boot']['ours'], report['boot']['stock'], True)
    report['boot']['ratio'] = rb
    if rb:
        print("  our kernel vs Debian's, a configuration difference too "
              '(stock/ours, >1 = ours faster): %.2f' % rb)
    same = (compare(res, 'blk', 'benchmods', 'ours', 'upstream', BLK_TESTS) +
            compare(res, 'net', 'benchmods', 'ours', 'upstream', NET_TESTS))
    report['same_kernel'] = same
    if same:
        print_rows("== bench: Debian's kernel at both ends, our modules vs upstream's "
                   '(interleaved rounds; ratio >1 = ours faster) ==', same, 'ours', 'upstream')
    # XCI_BENCH_TRY_BLKBACK, _NETBACK: a third side, ours with other backends.
    tried = (compare(res, 'blk', 'benchmods', 'try', 'ours', BLK_TESTS) +
             compare(res, 'net', 'benchmods', 'try', 'ours', NET_TESTS))
    tried = [r for r in tried if r['try']]
    if tried:
        report['try_vs_ours'] = tried
        report['try_vs_upstream'] = [
            r for r in (compare(res, 'blk', 'benchmods', 'try', 'upstream', BLK_TESTS) +
                        compare(res, 'net', 'benchmods', 'try', 'upstream', NET_TESTS))
            if r['try']]
        print_rows('== bench: the try side (other backends, or Debian\'s frontends: '
                   'XCI_BENCH_TRY_*) against ours, same rounds (ratio >1 = try faster) ==',
                   tried, 'try', 'ours')
        print_rows("== bench: the try side against upstream's, same rounds "
                   '(ratio >1 = try faster) ==', report['try_vs_upstream'], 'try', 'upstream')
    sides = ('ours', 'upstream', 'try') if tried else ('ours', 'upstream')
    prof = profile(res, 'benchmods', sides)
    report['profile'] = prof
    print_profile('== bench: what each run cost, medians (CPU in USER_HZ ticks: dom0-all is '
                  "a whole domU's run in dom0, domU-TEST one workload in the domU; ev: Xen "
                  'device events, percpu: timer and IPI events; hotbusy, hotsteal: the busier '
                  'of CPUs 0 and 1, and the time it waited for its physical CPU) ==', prof, sides)
    conf = []
    for kind, tests in (('blk', BLK_TESTS), ('net', NET_TESTS)):
        merged = {}
        for run in ('benchblk-ours', 'benchblk-stock'):
            for test, sides in res[kind].get(run, {}).items():
                for side, v in sides.items():
                    merged.setdefault(test, {}).setdefault(side, []).extend(v)
        res[kind]['conf'] = merged
        conf += compare(res, kind, 'conf', 'ours', 'stock', tests)
    report['configuration'] = conf
    if conf:
        print_rows("== bench: our kernel at both ends vs Debian's kernel at both ends "
                   '(a configuration difference too) ==', conf, 'ours', 'stock')
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'bench.json'), 'w') as f:
        json.dump(report, f, indent=1, sort_keys=True)
    print('bench: %s' % os.path.join(out, 'bench.json'))
    png = os.path.join(out, 'bench.png')
    if plot(same, 'ours', 'upstream', png):
        print('bench: %s' % png)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else 'build/out'))
