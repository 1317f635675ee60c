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
  patches.tap                        checks of the upstream series (with --patches)
  */guests/guest-{domU,stock-domU}.log  the XCI-ABI lines of both domUs,
                                     compared path by path (abi/...)
The last line is "N passed, N failed, N skipped": every matrix case, every
TAP test and every host test.  The exit status is 1 if anything failed.
"""
import glob
import os
import re
import sys

import retry  # the cases table and a boot's expected cases, shared

TAP_RESULT = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?([^#]*)(#\s*(\w+)(.*))?$')
TAP_PLAN = re.compile(r'^1\.\.(\d+)')
# Diagnostic lines kept for a failing TAP test, and log lines for a
# failing case, in the failures section at the end of the report: a CI
# system that keeps only the tail of the output shows them there.
DIAG_LINES = 4


class Tally:
    """Counts of passed, failed and skipped items, with the failures named."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def add(self, status, name, why='', detail=None):
        """Count one result; a failure keeps @why and @detail (lines)."""
        if status == 'pass':
            self.passed += 1
        elif status == 'skip':
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append((name, why, detail or []))


def parse_tap(lines, name, rc=None):
    """Return a list of (status, test, why) for one TAP stream.

    A plan with fewer results than announced, an empty stream, or an exit
    status other than 0 (pass) or 4 (kselftest skip) with no failing line
    each add a failure, so a crashed test can never look green.
    """
    out = []
    plan = None
    diag = []
    for raw in lines:
        line = raw.rstrip('\n')
        m = TAP_PLAN.match(line)
        if m:
            plan = int(m.group(1))
            continue
        m = TAP_RESULT.match(line)
        if not m:
            # kselftest's "# file.c:123:test:Expected ..." lines say why
            # the next result failed: keep the last few.
            if line.lstrip().startswith('#') and not line.lstrip().startswith('# XCI-'):
                diag = (diag + [line.strip()[:200]])[-DIAG_LINES:]
            continue
        desc = (m.group(3) or '').strip() or ('test %s' % m.group(2))
        directive = (m.group(5) or '').upper()
        test = '%s/%s' % (name, desc)
        if directive == 'SKIP':
            out.append(('skip', test, (m.group(6) or '').strip()))
        elif m.group(1) == 'ok' or directive == 'TODO':
            out.append(('pass', test, ''))
        else:
            out.append(('fail', test, 'not ok', diag))
        diag = []
    if not out and plan != 0:
        out.append(('fail', name, 'no TAP results'))
    elif plan is not None and len(out) < plan:
        out.append(('fail', name, 'only %d of %d planned results' % (len(out), plan)))
    if rc is not None and rc not in (0, 4) and not any(r[0] == 'fail' for r in out):
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


# KUnit suites built into our kernel (pipeline/kernel.config); each must
# report on the bare-metal console.
KUNIT_SUITES = ('xen_blkback_proto', 'xen_blkfront_proto', 'xen_netback_proto',
                'xen_netfront_proto', 'xen_control_parse', 'xen_hvc_ring',
                'xen_xenbus_path')
KTAP_STAMP = re.compile(r'^\[\s*[\d.]+\] ')
KUNIT_SUBTEST = re.compile(r'^ {4}# Subtest: (\S+)')
KUNIT_PLAN = re.compile(r'^ {4}1\.\.(\d+)')
KUNIT_CASE = re.compile(r'^ {4}(not ok|ok) \d+ (\S+)(.*)$')
KUNIT_SUITE_END = re.compile(r'^(not ok|ok) \d+ (\S+)')


def kunit_results(path, suites=KUNIT_SUITES):
    """Return {name: [(status, test, why)]} for the KUnit suites on a console.

    A suite that never started, or whose cases fall short of its plan,
    adds a failure, so a kernel that skipped or crashed in KUnit cannot
    look green.
    """
    found = {}
    cur = None
    plan = {}
    text = open(path, errors='replace').read() if os.path.exists(path) else ''
    for raw in text.splitlines():
        line = KTAP_STAMP.sub('', KTAP_STAMP.sub('', raw))
        m = KUNIT_SUBTEST.match(line)
        if m:
            cur = m.group(1)
            found.setdefault(cur, [])
            continue
        if cur is None:
            continue
        m = KUNIT_PLAN.match(line)
        if m:
            plan[cur] = int(m.group(1))
            continue
        m = KUNIT_CASE.match(line)
        if m:
            test = 'kunit/%s/%s' % (cur, m.group(2))
            if re.match(r'\s*#\s*SKIP', m.group(3), re.I):
                found[cur].append(('skip', test, m.group(3).strip()))
            elif m.group(1) == 'ok':
                found[cur].append(('pass', test, ''))
            else:
                found[cur].append(('fail', test, 'KUnit case failed (see the console)'))
            continue
        if KUNIT_SUITE_END.match(line):
            cur = None
    out = {}
    for suite in suites:
        res = found.get(suite, [])
        name = 'kunit/%s' % suite
        if suite not in found:
            res = [('fail', name, 'suite did not run')]
        elif len(res) < plan.get(suite, 1):
            res.append(('fail', name, 'ended after %d of %d cases' %
                        (len(res), plan.get(suite, 1))))
        out[name] = res
    return out


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


# Lines a looping guest prints again and again: only the last of each
# kind is worth a place in the failures section.
REPEATED = re.compile(r'^(XCI-COUNTERS|XCI-IO-OK|XCI-HEARTBEAT)\b')


def case_detail(log, n=8, width=160):
    """The last @n telling lines of a failed case's log, for the failures section."""
    out = []
    seen = set()
    if not os.path.exists(log):
        return out
    for l in reversed(tail(log, 200)):
        l = STAMP.sub('', l.rstrip('\r\n'))
        m = REPEATED.match(l)
        # XCI-T lines only time the checks (profile.py).
        if not l.strip() or l.startswith('XCI-T ') or (m and m.group(1) in seen):
            continue
        if m:
            seen.add(m.group(1))
        out.append(l[:width])
        if len(out) >= n:
            break
    return list(reversed(out))


VCPU_LINE = re.compile(r'VCPU(\d+): CPU(\d+) \[has=(\w)\] poll=(\d+) upcall_pend=(\w+) upcall_mask=(\w+)')
DOMAIN_HEAD = re.compile(r'General information for domain (\d+):')


def freeze_detail(con, n=4):
    """What dom0 said last before its console went silent, and its vCPUs.

    The last @n of dom0's own lines ("XCI: ...", the watchdog's heartbeat
    aside) before the host asked Xen for its dumps, and one line with the
    state of dom0's vCPUs from Xen's 'q' dump: a blocked vCPU with an
    unmasked event pending is the lost wakeup of the README's notes.
    """
    try:
        with open(con, errors='replace') as f:
            text = [STAMP.sub('', l.rstrip('\r\n')) for l in f]
    except OSError:
        return []
    end = next((i for i, l in enumerate(text) if 'Serial input to Xen' in l), len(text))
    said = [l for l in text[:end] if l.startswith('XCI:') and 'watchdog: alive' not in l]
    out = [l[:160] for l in said[-n:]]
    dom, vcpus = None, []
    for l in text[end:]:
        m = DOMAIN_HEAD.search(l)
        if m:
            dom = m.group(1)
        m = VCPU_LINE.search(l)
        if m and dom == '0':
            vcpus.append('VCPU%s on CPU%s has=%s poll=%s pending=%s mask=%s' % m.groups())
    if vcpus:
        out.append('dom0 in Xen\'s dump: ' + '; '.join(vcpus))
    return out


def qemu_state(rundir):
    try:
        rc, secs = open(os.path.join(rundir, 'qemu.rc')).read().split()
        return int(rc), float(secs)
    except (OSError, ValueError):
        return None, 0.0


CRASH_START = re.compile(r'BUG:|Oops|general protection|Kernel panic|invoked oom-killer'
                         r'|Out of memory|\(XEN\) Panic|\(XEN\) Assertion')
CRASH_FN = re.compile(r'^\s*(\? )?([A-Za-z_][\w.]*\+0x[0-9a-f]+/0x[0-9a-f]+)')
STAMP = re.compile(r'^\[\s*[\d.]+\]\s*(\[\s*[\d.]+\]\s*)?')


# retry.py's words for a try that crashed dom0 before the case's result.
CRASHED_TRY = re.compile(r"try (\d+) (?:gave no result|did not reach it): the boot "
                         r"crashed dom0's kernel.*?\(its console: (\S+)/console\.log\)")


def crash_excerpt(path, width=160):
    """Return a few lines that say what crashed in a console log.

    The first crash headline, the lines naming the task and RIP, and the
    call trace folded into one line; an empty list if the log shows no
    crash.  It goes at the very end of the report, where a CI system that
    keeps only the tail of the output still shows it.
    """
    try:
        with open(path, errors='replace') as f:
            text = [STAMP.sub('', l.rstrip('\n')) for l in f]
    except OSError:
        return []
    # "traps: xl[2490] general protection fault": a user process, not the
    # kernel; "XCI-CHECK ..." and "XCI: ...": a check's or dom0's line,
    # which may quote a guest's console.
    start = next((i for i, l in enumerate(text)
                  if CRASH_START.search(l) and 'traps:' not in l and
                  not l.startswith(('XCI-CHECK ', 'XCI: '))), None)
    if start is None:
        return []
    out = [text[start][:width]]
    trace = []
    for l in text[start + 1:start + 120]:
        if re.search(r'Comm:|RIP:|Out of memory|Kernel panic|BUG:', l) and l[:width] not in out:
            out.append(l[:width])
        m = CRASH_FN.match(l)
        if m and not m.group(1) and len(trace) < 12:
            trace.append(m.group(2).split('+')[0])
        if len(out) >= 6:
            break
    if trace:
        out.append(('trace: ' + ' < '.join(trace))[:width * 2])
    return out


def why_run_failed(rundir):
    rc, _ = qemu_state(rundir)
    con = os.path.join(rundir, 'console.log')
    text = open(con, errors='replace').read() if os.path.exists(con) else ''
    # A check's line may quote a guest's console (lib/checks.sh).
    text = '\n'.join(l for l in text.splitlines() if 'XCI-CHECK ' not in l)
    if rc is None:
        return 'not run'
    if 'Kernel panic' in text:
        return 'panic (kernel)'
    if '(XEN) Panic' in text or '****************************************' in text:
        return 'panic (Xen)'
    try:
        silent = open(os.path.join(rundir, 'hung')).read().strip()
        return ('froze: %s, and the run was stopped '
                '(Xen\'s dumps in console.log, QEMU\'s in hang.log)' % silent)
    except OSError:
        pass
    if rc == 124:
        return 'timeout'
    return 'case not reached (QEMU exit %d)' % rc


_TABLE = [(n, r['boot'], r['when']) for n, r in retry.table().items()]
# Every case the matrix must report, with the run that produces it: bare
# metal, and every case of cases.tbl that runs unasked.
CASES = [('bare', 'bare')] + [(n, b) for n, b, w in _TABLE if w == 'always']

# Cases that run only when asked for (XCI_CASES, make stress): reported
# when their run has a result for them.
OPTIONAL = [(n, b) for n, b, w in _TABLE if w == 'asked']


def case_checks(out, case_run):
    """The checks of each case: {case: [(check, status, detail)]}.

    From each run's checks file (dom0's lib/checks.sh), whose lines read
    "XCI-CHECK CASE CHECK PASS|FAIL|SKIP DETAIL", only for the cases that
    run produces; a check reported twice counts once, its last report.
    """
    checks = {}
    for run in sorted(set(case_run.values())):
        path = os.path.join(out, run, 'checks')
        if not os.path.exists(path):
            continue
        with open(path, errors='replace', newline='\n') as f:
            lines = f.readlines()
        for line in lines:
            parts = line.replace('\r', ' ').rstrip('\n').split(' ', 4)
            if (len(parts) < 4 or parts[0] != 'XCI-CHECK' or
                    case_run.get(parts[1]) != run):
                continue
            st = parts[3] if parts[3] in ('PASS', 'FAIL', 'SKIP') else 'FAIL'
            detail = parts[4].strip() if len(parts) > 4 else ''
            if st != parts[3]:
                detail = 'unknown status %r: %s' % (parts[3], detail)
            got = checks.setdefault(parts[1], [])
            got[:] = [c for c in got if c[0] != parts[2]]
            got.append((parts[2], st, detail))
    return checks


def matrix(out, tally, lines, crashes=None):
    """Fill tally with the matrix cases and lines with the table."""
    results = {}
    case_run = dict(CASES + OPTIONAL)
    for run in sorted(set(r for _, r in CASES + OPTIONAL)):
        path = os.path.join(out, run, 'results')
        if os.path.exists(path):
            # newline='\n': a CR inside a reason (a guest console's line
            # end) must not cut the line, and with it the reason, in two.
            for line in open(path, errors='replace', newline='\n'):
                parts = line.replace('\r', ' ').split(None, 5)
                # Only from the run that produces the case: another run's
                # directory may hold a line of an older layout.
                if (len(parts) >= 5 and parts[0] == 'CASE' and
                        case_run.get(parts[1]) == run):
                    results[parts[1]] = (parts[2], parts[3], parts[4],
                                         parts[5].strip() if len(parts) > 5 else '')
    checks = case_checks(out, case_run)
    check_lines = []
    lines.append('== boot matrix ==')
    asked = [(n, r) for n, r in OPTIONAL if n in results or n in retry.expected(os.path.join(out, r))]
    for name, run in CASES + asked:
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
            if crashes is not None and run not in crashes:
                crashes[run] = crash_excerpt(os.path.join(rundir, 'console.log'))
        st, secs, logf, why = results[name]
        # Each check of the case is a test; a failed one fails the
        # case, whatever its result line says.
        # A case that cannot work here (SKIP: a PVH case whose every try
        # met the testbed's defect) skips its checks too.
        failed = []
        for check, cst, cdetail in checks.get(name, []):
            tally.add('skip' if st == 'SKIP' else cst.lower(), 'check %s/%s' % (name, check), cdetail)
            if cst == 'FAIL':
                failed.append(check)
        if failed and st == 'PASS':
            st = 'FAIL'
            why = 'failed check(s) %s; the case said: %s' % (', '.join(failed), why)
        if name in checks:
            n = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
            for _, cst, _ in checks[name]:
                n[cst] += 1
            check_lines.append('%-22s %3d pass %3d fail %3d skip' % (name, n['PASS'], n['FAIL'], n['SKIP']))
        lines.append('%-22s %-4s %7ss  %s' % (name, st, secs, why))
        log = os.path.join(rundir, logf) if logf != '-' else os.path.join(rundir, 'console.log')
        detail = None
        if st not in ('PASS', 'SKIP'):
            # dom0's view of a domU that did not answer (guest/cases/domu.sh domu_diag)
            detail = case_detail(log) + case_detail(log[:-4] + '.diag', n=16)
            if why.startswith('froze'):
                detail = freeze_detail(os.path.join(rundir, 'console.log'))
            # A boot that crashed dom0 before the case's result (retry.py:
            # "try N ...: the boot crashed dom0's kernel ... (its console:
            # RUN.tryN/console.log)"): what crashed, first, since the
            # console's tail shows only the end of the trace.
            crashed = []
            for k, con in CRASHED_TRY.findall(why):
                ex = crash_excerpt(os.path.join(out, con, 'console.log'))
                if ex:
                    crashed += ['try %s (%s/console.log):' % (k, con)] + ex
            detail = crashed + detail
        tally.add({'PASS': 'pass', 'SKIP': 'skip'}.get(st, 'fail'), 'case ' + name, why, detail)
        if st not in ('PASS', 'SKIP'):
            lines.append('    log: %s' % log)
            lines.append('    last 40 lines:')
            lines.extend('    | ' + l.rstrip('\n') for l in tail(log))
            if logf != '-':
                con = os.path.join(rundir, 'console.log')
                lines.append('    dom0/Xen console: %s' % con)
                lines.extend('    | ' + l.rstrip('\n') for l in tail(con, 15))
    if check_lines:
        lines.append('== checks of the cases (XCI-CHECK) ==')
        lines.extend(check_lines)


# The userspace ABI compared between our domU and Debian's, both PV domUs
# of our dom0 (domu.sh's XCI-ABI lines): every path, its type and mode,
# and its content except where the value names the domain.
ABI_PAIR = ('domU', 'stock-domU')
ABI_DOMAIN_VALUES = {'/sys/hypervisor/uuid'}
# Counters of a frontend device's event channels: the domain's own
# traffic (and vCPUs) decide them, so only their mode must agree.
ABI_MODE_ONLY = re.compile(r'^/sys/bus/xen/devices/[^/]+/xenbus/'
                           r'(event_channels|events|spurious_events|jiffies_eoi_delayed)$')


def abi_listing(out, case):
    """CASE's XCI-ABI lines, from the newest guest log of it that has any:
    ({path: (type+mode, content)}, log), ({}, log) if none has, or
    (None, None) if the case left no guest log at all (not run)."""
    logs = glob.glob(os.path.join(out, '*', 'guests', 'guest-%s.log' % case))
    if not logs:
        return None, None
    for log in sorted(logs, key=os.path.getmtime, reverse=True):
        got = {}
        with open(log, errors='replace') as f:
            for line in f:
                parts = line.replace('\r', ' ').split()
                if len(parts) == 4 and parts[0] == 'XCI-ABI':
                    got[parts[1]] = (parts[2], parts[3])
        if got:
            return got, log
    return {}, sorted(logs)[-1]


def abi_compare(out):
    """Our domU's /sys/hypervisor, /proc/xen and frontend bus devices
    against Debian's domU's: one result per path, as (status, test, why)."""
    name = 'abi/%s-vs-%s' % ABI_PAIR
    ours, olog = abi_listing(out, ABI_PAIR[0])
    stock, slog = abi_listing(out, ABI_PAIR[1])
    if ours is None or stock is None:
        return [('skip', name, 'case %s not run' % (ABI_PAIR[0] if ours is None else ABI_PAIR[1]))]
    res = []
    for case, got, log in ((ABI_PAIR[0], ours, olog), (ABI_PAIR[1], stock, slog)):
        if not got:
            res.append(('fail', '%s/%s' % (name, case), 'no XCI-ABI lines in %s' % log))
    if res:
        return res
    for path in sorted(set(ours) | set(stock)):
        test = '%s%s' % (name, path)
        if path not in ours or path not in stock:
            res.append(('fail', test, 'only in %s' % (ABI_PAIR[0] if path in ours else ABI_PAIR[1])))
            continue
        (om, oc), (sm, sc) = ours[path], stock[path]
        if ABI_MODE_ONLY.match(path):
            oc = sc = 'not compared'
        elif path in ABI_DOMAIN_VALUES:
            # The value is the domain's own: only its length must agree.
            oc, sc = ('%d bytes' % (len(c) // 2) if c[:1] not in '-!' else c
                      for c in (oc, sc))
        if om != sm:
            res.append(('fail', test, 'mode %s, Debian\'s %s' % (om, sm)))
        elif oc != sc:
            res.append(('fail', test, 'content %s, Debian\'s %s' % (oc[:80], sc[:80])))
        else:
            res.append(('pass', test, ''))
    return res


def tap_all(out, tally, lines, extra):
    per = {}
    for path in sorted(glob.glob(os.path.join(out, '*', 'tap', '*.tap'))):
        name = os.path.basename(path)[:-4].replace('@', '/')
        per[name] = tap_file(path, name)
    for path in sorted(glob.glob(os.path.join(out, '*', 'guests', 'guest-*.log'))):
        for name, blines, rc in console_blocks(path):
            per[name] = block_results(name, blines, rc)
    bare = os.path.join(out, 'bare', 'console.log')
    if os.path.exists(bare):
        for name, res in kunit_results(bare).items():
            per['bare/' + name] = res
    for path in sorted(glob.glob(os.path.join(out, 'host', '*.tap'))):
        if 'host' in extra:
            name = 'host/' + os.path.basename(path)[:-4]
            per[name] = tap_file(path, name)
    if 'static' in extra:
        path = os.path.join(out, 'static.tap')
        # Asked for but not there: the static checks did not finish.
        per['static'] = (tap_file(path, 'static') if os.path.exists(path) else
                         [('fail', 'static', 'no static.tap: the static checks did not finish')])
    if 'patches' in extra:
        path = os.path.join(out, 'patches.tap')
        # Asked for but not there: the series was never checked.
        per['patches'] = (tap_file(path, 'patches') if os.path.exists(path) else
                          [('fail', 'patches', 'no patches.tap: the series was not checked')])
    per['abi/%s-vs-%s' % ABI_PAIR] = abi_compare(out)
    lines.append('== tests (TAP) ==')
    for name in sorted(per):
        c = {'pass': 0, 'fail': 0, 'skip': 0}
        for st, test, why, *detail in per[name]:
            c[st] += 1
            tally.add(st, test, why, detail[0] if detail else None)
        lines.append('%-34s %3d pass %3d fail %3d skip' % (name, c['pass'], c['fail'], c['skip']))


def main():
    out = sys.argv[1]
    extra = set(a.lstrip('-') for a in sys.argv[2:])
    tally = Tally()
    lines = []
    crashes = {}
    matrix(out, tally, lines, crashes)
    tap_all(out, tally, lines, extra)
    rep = os.path.join(out, 'still-upstream.txt')
    if os.path.exists(rep):
        lines.append('== still upstream ==')
        lines.append(open(rep).readline().lstrip('# ').rstrip())
        lines.append('    (list: %s)' % rep)
    if tally.failures:
        lines.append('== failures ==')
        for name, why, detail in tally.failures:
            lines.append('FAIL %s: %s' % (name, why))
            lines.extend('    | ' + l for l in detail)
        for run in sorted(crashes):
            if crashes[run]:
                lines.append('crash in %s (%s/%s/console.log):' % (run, out, run))
                lines.extend('  ' + l for l in crashes[run])
    print('\n'.join(lines))
    print('%d passed, %d failed, %d skipped' % (tally.passed, tally.failed, tally.skipped))
    return 1 if tally.failed else 0


if __name__ == '__main__':
    sys.exit(main())
