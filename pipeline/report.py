#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Collect the results of a pipeline run and print the report.

Inputs, all under build/out:
  <run>/qemu.rc, <run>/console.log   one QEMU boot (see boot.sh)
  <run>/results                      CASE lines written by dom0.sh
  <run>/tap/*.tap                    selftest TAP from bare metal and dom0
  <run>/guests/guest-*.log           domU consoles with XCI-TAP blocks
  host/*.tap                         host unit tests (with --host)
  static.tap                         static checks of our files (with --static)
The last line is "N passed, N failed, N skipped": every matrix case, every
TAP test and every host test.  The exit status is 1 if anything failed.
"""
import glob
import os
import re
import sys

TAP_RESULT = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?([^#]*)(#\s*(\w+)(.*))?$')
TAP_PLAN = re.compile(r'^1\.\.(\d+)')


class Tally:
    """Counts of passed, failed and skipped items, with the failures named."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def add(self, status, name, why=''):
        if status == 'pass':
            self.passed += 1
        elif status == 'skip':
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append((name, why))


def parse_tap(lines, name, rc=None):
    """Return a list of (status, test, why) for one TAP stream.

    A plan with fewer results than announced, an empty stream, or an exit
    status other than 0 (pass) or 4 (kselftest skip) with no failing line
    each add a failure, so a crashed test can never look green.
    """
    out = []
    plan = None
    for raw in lines:
        line = raw.rstrip('\n')
        m = TAP_PLAN.match(line)
        if m:
            plan = int(m.group(1))
            continue
        m = TAP_RESULT.match(line)
        if not m:
            continue
        desc = (m.group(3) or '').strip() or ('test %s' % m.group(2))
        directive = (m.group(5) or '').upper()
        test = '%s/%s' % (name, desc)
        if directive == 'SKIP':
            out.append(('skip', test, (m.group(6) or '').strip()))
        elif m.group(1) == 'ok' or directive == 'TODO':
            out.append(('pass', test, ''))
        else:
            out.append(('fail', test, 'not ok'))
    if not out and plan != 0:
        out.append(('fail', name, 'no TAP results'))
    elif plan is not None and len(out) < plan:
        out.append(('fail', name, 'only %d of %d planned results' % (len(out), plan)))
    if rc is not None and rc not in (0, 4) and not any(s == 'fail' for s, _, _ in out):
        out.append(('fail', name, 'exit status %d' % rc))
    return out


def tap_file(path, name):
    with open(path, errors='replace') as f:
        lines = f.readlines()
    rc = None
    for line in lines:
        m = re.match(r'^# XCI-EXIT rc=(\d+)', line)
        if m:
            rc = int(m.group(1))
    return parse_tap(lines, name, rc)


def console_blocks(path):
    """TAP blocks printed on a console between XCI-TAP-BEGIN/END markers."""
    blocks = []
    cur = None
    with open(path, errors='replace') as f:
        for raw in f:
            line = re.sub(r'^\[\s*[\d.]+\] ', '', raw.rstrip('\r\n'))
            m = re.search(r'XCI-TAP-BEGIN (\S+) (\S+)', line)
            if m:
                if cur:
                    blocks.append((cur[0], cur[1], None))
                cur = ('%s/%s' % (m.group(1), m.group(2)), [], None)
                continue
            m = re.search(r'XCI-TAP-END (\S+) (\S+) rc=(\d+)', line)
            if m and cur:
                blocks.append((cur[0], cur[1], int(m.group(3))))
                cur = None
                continue
            if cur:
                cur[1].append(line)
    if cur:
        blocks.append((cur[0], cur[1], None))
    return blocks


def block_results(name, lines, rc):
    res = parse_tap(lines, name, rc)
    if rc is None:
        res.append(('fail', name, 'output ended before the test finished'))
    return res


def tail(path, n=40):
    try:
        with open(path, errors='replace') as f:
            return f.readlines()[-n:]
    except OSError:
        return ['(no log at %s)\n' % path]


def qemu_state(rundir):
    try:
        rc, secs = open(os.path.join(rundir, 'qemu.rc')).read().split()
        return int(rc), float(secs)
    except (OSError, ValueError):
        return None, 0.0


def why_run_failed(rundir):
    rc, _ = qemu_state(rundir)
    con = os.path.join(rundir, 'console.log')
    text = open(con, errors='replace').read() if os.path.exists(con) else ''
    if rc is None:
        return 'not run'
    if 'Kernel panic' in text:
        return 'panic (kernel)'
    if '(XEN) Panic' in text or '****************************************' in text:
        return 'panic (Xen)'
    if rc == 124:
        return 'timeout'
    return 'case not reached (QEMU exit %d)' % rc


# Every case the matrix must report, with the run that produces it.
CASES = [
    ('bare', 'bare'),
    ('dom0', 'xen-ours'),
    ('domU', 'xen-ours'),
    ('stock-domU', 'xen-ours'),
    ('pvh', 'xen-ours'),
    ('stock-dom0-toolstack', 'xen-stock'),
    ('stock-dom0', 'xen-stock'),
]


def matrix(out, tally, lines):
    """Fill tally with the matrix cases and lines with the table."""
    results = {}
    for run in sorted(set(r for _, r in CASES)):
        path = os.path.join(out, run, 'results')
        if os.path.exists(path):
            for line in open(path, errors='replace'):
                parts = line.split(None, 5)
                if len(parts) >= 5 and parts[0] == 'CASE':
                    results[parts[1]] = (parts[2], parts[3], parts[4],
                                         parts[5].strip() if len(parts) > 5 else '')
    lines.append('== boot matrix ==')
    for name, run in CASES:
        rundir = os.path.join(out, run)
        if name == 'bare':
            rc, secs = qemu_state(rundir)
            done = os.path.exists(os.path.join(rundir, 'bare.done'))
            if rc == 0 and done:
                results[name] = ('PASS', '%.1f' % secs, '-', 'reached init, ran the guest tests')
            elif rc is not None:
                results[name] = ('FAIL', '%.1f' % secs, '-', why_run_failed(rundir))
        if name not in results:
            results[name] = ('FAIL', '-', '-', why_run_failed(rundir))
        st, secs, logf, why = results[name]
        lines.append('%-22s %-4s %7ss  %s' % (name, st, secs, why))
        tally.add({'PASS': 'pass', 'SKIP': 'skip'}.get(st, 'fail'), 'case ' + name, why)
        if st not in ('PASS', 'SKIP'):
            log = os.path.join(rundir, logf) if logf != '-' else os.path.join(rundir, 'console.log')
            lines.append('    log: %s' % log)
            lines.append('    last 40 lines:')
            lines.extend('    | ' + l.rstrip('\n') for l in tail(log))
            if logf != '-':
                con = os.path.join(rundir, 'console.log')
                lines.append('    dom0/Xen console: %s' % con)
                lines.extend('    | ' + l.rstrip('\n') for l in tail(con, 15))


def tap_all(out, tally, lines, extra):
    per = {}
    for path in sorted(glob.glob(os.path.join(out, '*', 'tap', '*.tap'))):
        name = os.path.basename(path)[:-4].replace('@', '/')
        per[name] = tap_file(path, name)
    for path in sorted(glob.glob(os.path.join(out, '*', 'guests', 'guest-*.log'))):
        for name, blines, rc in console_blocks(path):
            per[name] = block_results(name, blines, rc)
    for path in sorted(glob.glob(os.path.join(out, 'host', '*.tap'))):
        if 'host' in extra:
            name = 'host/' + os.path.basename(path)[:-4]
            per[name] = tap_file(path, name)
    if 'static' in extra and os.path.exists(os.path.join(out, 'static.tap')):
        per['static'] = tap_file(os.path.join(out, 'static.tap'), 'static')
    lines.append('== tests (TAP) ==')
    for name in sorted(per):
        c = {'pass': 0, 'fail': 0, 'skip': 0}
        for st, test, why in per[name]:
            c[st] += 1
            tally.add(st, test, why)
        lines.append('%-34s %3d pass %3d fail %3d skip' % (name, c['pass'], c['fail'], c['skip']))


def main():
    out = sys.argv[1]
    extra = set(a.lstrip('-') for a in sys.argv[2:])
    tally = Tally()
    lines = []
    matrix(out, tally, lines)
    tap_all(out, tally, lines, extra)
    rep = os.path.join(out, 'still-upstream.txt')
    if os.path.exists(rep):
        lines.append('== still upstream ==')
        lines.append(open(rep).readline().lstrip('# ').rstrip())
        lines.append('    (list: %s)' % rep)
    if tally.failures:
        lines.append('== failures ==')
        lines.extend('FAIL %s: %s' % f for f in tally.failures)
    print('\n'.join(lines))
    print('%d passed, %d failed, %d skipped' % (tally.passed, tally.failed, tally.skipped))
    return 1 if tally.failed else 0


if __name__ == '__main__':
    sys.exit(main())
