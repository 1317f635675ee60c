#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The retry policy of the Xen boots against the testbed's defect.

This testbed corrupts dom0's and the domUs' user processes now and then
(README, testbed notes).  dom0 runs each case once per boot and says what
it saw: a "CASE" line per case in RUN/results, and before the line of a
case that failed, "EVIDENCE CASE KIND..." when user processes died or were
corrupted during it (guest/lib/retry.sh).  matrix.sh boots again for the
cases this module names, at most MAX_TRIES boots per run, and then has it
merge the boots' results into RUN, the one directory report.py reads.

    retry.py next OUT RUN PLAN TRY [LEFT]
                                       the cases to boot again for, one
                                       line, comma-separated (empty: none);
                                       why, on stderr.  LEFT: the seconds
                                       this run may still take (make
                                       check's deadline, matrix.sh)
    retry.py cost OUT RUN PLAN TRY     the seconds a boot again for all of
                                       those cases would need (0: none)
    retry.py merge OUT RUN PLAN TRY    RUN.try1 .. RUN.try<TRY-1> and RUN
                                       (the last boot) into RUN/results,
                                       RUN/checks and RUN/expect

A case is booted again when its try failed with evidence and its row of
cases.tbl allows retries, or when it has no result because the boot
ended early with evidence (dom0's case runner lost, its PID 1 killed by a
fault signal, or a freeze or a lost toolstack with the defect's marks on
the console).  A kernel oops, warning or hang report of our dom0 is never
the testbed's defect: no retry after one.  A PVH case whose
PVH_SKIP_TRIES tries or more each failed with evidence the case saw
itself (not only a runner that died or was stopped in it, which a hang
of ours could cause) cannot work here and SKIPs (the matrix allows that
for the PVH domU case only: a control case's PVH domU is saved, restored
and migrated, where a triple fault could be a bug of our resume path);
any other case FAILs with its history.

A run boots again only while the boot fits in the time LEFT: about
BOOT_SECS for dom0 and its toolstack, and for each case RETRY_FACTOR
times as long as its last try took (at least CASE_MIN_SECS, at most
dom0's case limit, CASE_LIMIT_SECS).  A case its boot never reached
counts RETRY_FACTOR times what its row of cases.tbl says it takes, and
so does one whose runner died or was stopped in it, unless it was
stopped for running over the limit: that one counts the limit, since it
may hang again.  If not all the cases
fit, the boot again is for those that do, taken in the table's order.
make check has 90 minutes in CI; the retries take what its first boots
leave, and in each round matrix.sh boots the cheapest run first (cost).
"""
import os
import re
import sys

# Boots per run.  Before this policy moved to the host, a case got up to
# 3 tries in a boot, again after a runner death, and again in a second
# boot; with the defect at its worst (a full run on 2026-12-03 lost
# stock-domU's 3 tries, to a runner death, a hung domU and user faults in
# the domU), 3 boots were too few.
# With the time rule below, a run that has time left may try a case up to
# 6 times; the CI run of 2026-12-03 lost stock-dom0's 4 tries to the
# defect.  A PVH case SKIPs once PVH_SKIP_TRIES tries each had evidence.
MAX_TRIES = 6
PVH_SKIP_TRIES = 4
# A boot's cost beyond its cases (dom0 boots in 10-20 s), and the bounds
# of a case's expected time in a boot again (dom0.sh's xcaselimit).
BOOT_SECS = 60
CASE_MIN_SECS = 120
CASE_LIMIT_SECS = 700
# A case's time in a boot again, against its last try's.  Its tries took
# within 10 % of each other in the CI runs of 2026-12-03..06, and a boot
# that overruns has make check's 400 s after the deadline (Makefile,
# CHECK_BUDGET).  It was 1.5 until the CI run of 2026-12-06, whose third
# try of stock-kernel-our-modules (504 s) would have needed 816 s with
# 570 s left, and the case failed with the defect's evidence.
RETRY_FACTOR = 1.2
HERE = os.path.dirname(os.path.abspath(__file__))

# A user process of dom0 killed or corrupted, a bash (one thread) stuck in
# a futex in dom0's process list (the supervisor's list_procs), or bash's
# own report of a child killed by a fault.
CONSOLE_EVIDENCE = re.compile(
    r'segfault|general protection|corrupted|Segmentation fault|'
    r'Inconsistency detected by ld\.so|invalid time interval|'
    r'state,ppid [A-Z] [0-9]+ (bash|timeout) futex_wait')
# Xen's dumps showing a lost wakeup, which no guest can cause: a vCPU not
# running and not polling with an unmasked event pending, while a CPU of
# Xen idles.
LOST_WAKEUP = re.compile(r'VCPU[0-9]+: CPU[0-9]+ \[has=F\] poll=0 upcall_pend=01 upcall_mask=00')
XEN_IDLE = 'R arch/x86/domain.c#default_idle'
# Xen's line when dom0's kernel panicked.
DOM0_CRASHED = 'Hardware Dom0 crashed'
# A line of dom0's kernel: the console's time stamp (boot.sh), then the
# kernel's.
DOM0_KERNEL_LINE = re.compile(r'^\[ *[0-9.]+\] \[ *[0-9.]+\] ')
KERNEL_FAULT = re.compile(r'BUG:|Oops|WARNING:|Kernel panic|blocked for more than|'
                          r'detected stalls?|hard LOCKUP')
# Not a fault of the kernel: a user process's ("traps: xl[..] general
# protection ..."), or the panic for a PID 1 that died.
NOT_KERNEL_FAULT = re.compile(r'traps:|Attempted to kill init! exitcode=')
INIT_KILLED = re.compile(r'Attempted to kill init! exitcode=0x([0-9a-f]+)')
# The signals of a process's own faults: SIGILL, SIGABRT, SIGBUS, SIGSEGV.
FAULT_SIGNALS = (4, 6, 7, 11)


def table(path=os.path.join(HERE, 'cases.tbl')):
    """cases.tbl's rows, in order: {name: {'boot', 'type', 'when', 'run',
    'retry', 'secs'}}; RETRY is 'none' or the seconds the case takes (secs, an int;
    None when it is not a number).

    A short row is the table's defect: its name is still a case that must
    be reported (and will fail), with boot '?'.
    """
    rows = {}
    with open(path) as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            cols = [x.strip() for x in line.split('|')]
            cols += ['?', '', '', '', 'always', '', ''][len(cols) - 1:]
            rows[cols[0]] = {'boot': cols[1], 'type': cols[4], 'when': cols[5],
                             'run': cols[6], 'retry': cols[7],
                             'secs': int(cols[7]) if cols[7].isdigit() else None}
    return rows


def read(path):
    """PATH's text ('' if it is missing), lines split on LF only."""
    try:
        with open(path, errors='replace', newline='\n') as f:
            return f.read()
    except OSError:
        return ''


def results(rundir):
    """RUNDIR's results: ({case: (status, secs, log, why)}, {case: evidence}).

    The last line of a case counts; a reason's CR (a guest console's line
    end) is a blank.  An EVIDENCE line belongs to the CASE line right
    after it, of the same case (dom0 writes them in that order): one left
    alone, by a runner that died between the two, says nothing.
    """
    res, ev = {}, {}
    pending = None
    for line in read(os.path.join(rundir, 'results')).split('\n'):
        parts = line.replace('\r', ' ').split(None, 5)
        if len(parts) >= 5 and parts[0] == 'CASE':
            res[parts[1]] = (parts[2], parts[3], parts[4],
                             parts[5].strip() if len(parts) > 5 else '')
            if pending and pending[0] == parts[1]:
                ev[parts[1]] = pending[1]
            else:
                ev.pop(parts[1], None)
        pending = None
        if len(parts) >= 3 and parts[0] == 'EVIDENCE':
            pending = (parts[1], ' '.join(line.split()[2:]))
    return res, ev


def init_killed(console):
    """The fault signal that killed dom0's PID 1 (its panic), or None."""
    m = INIT_KILLED.search(console)
    if not m:
        return None
    sig = int(m.group(1), 16) & 127
    return sig if sig in FAULT_SIGNALS else None


def kernel_faults(console):
    """dom0's kernel's own oopses, warnings and hang reports on CONSOLE."""
    return [l for l in console.split('\n')
            if DOM0_KERNEL_LINE.match(l) and not NOT_KERNEL_FAULT.search(l) and
            KERNEL_FAULT.search(l)]


def console_evidence(console):
    """Whether CONSOLE shows the testbed's defect (not in a check's line,
    whose detail may quote a guest's console)."""
    lines = [l for l in console.split('\n') if 'XCI-CHECK ' not in l]
    if any(CONSOLE_EVIDENCE.search(l) for l in lines):
        return True
    return bool(LOST_WAKEUP.search(console)) and XEN_IDLE in console


def boot_end(rundir, plan):
    """How RUNDIR's boot ended early: (why, evidence), or (None, False).

    Early: dom0 froze (boot.sh marked it hung), lost its toolstack, its
    case runner (too many deaths: dom0 ended the boot) or its PID 1.
    """
    con = read(os.path.join(rundir, 'console.log'))
    evidence = False
    # Whether the console's other marks of the defect may count (not
    # after a dom0 crash, below).
    console = True
    m = re.search(r'XCI: dom0 userland lost: ([^\r\n]*)', con)
    hung = read(os.path.join(rundir, 'hung')).strip()
    sig = init_killed(con)
    if m:
        why = "lost dom0's case runner: %s" % m.group(1).split('; ending')[0]
        evidence = True
    elif hung:
        why = 'froze dom0 (%s)' % hung
    elif 'XCI: toolstack lost' in con:
        why = "lost dom0's toolstack (xenstored died)"
    elif sig:
        # PID 1 is dom0.sh's supervisor, a bash: killed by a fault
        # signal, it takes dom0 down with the kernel's panic, which is
        # no fault of the kernel.
        why = "lost dom0's init (the case supervisor, a bash) to signal %d" % sig
        evidence = True
    elif DOM0_CRASHED in con:
        # The crash is the evidence or nothing is: its own oops line
        # (a general protection fault, say) is no sign of the testbed's
        # defect.  Only Debian's dom0 before any case started counts: no
        # code of ours had run in that boot but user space (our modules
        # load inside a case, lib/modules.sh), and an init that exited by
        # itself (its panic prints Xen's line too) is ours.  The CI run
        # of 2026-12-07 lost such a boot again.
        why = "crashed dom0's kernel"
        if (plan == 'stock' and not started(rundir) and
                not INIT_KILLED.search(con)):
            return why + " (Debian's, before any case started)", True
        console = False
    else:
        return None, False
    # Only our dom0 kernel is held to it: Debian's warns on some of what a
    # frontend does (README).
    if plan == 'ours' and kernel_faults(con):
        return why + ' after a dom0 kernel oops, warning or hang report', False
    return why, evidence or (console and console_evidence(con))


def started(rundir):
    """The cases dom0 started in RUNDIR's boot, in order."""
    con = read(os.path.join(rundir, 'console.log'))
    seen = []
    for c in re.findall(r'XCI: case (\S+): start', con):
        if c not in seen:
            seen.append(c)
    return seen


def expected(rundir):
    """The cases RUNDIR's boot was asked for (boot.sh's expect file)."""
    return read(os.path.join(rundir, 'expect')).split()


def case_secs(res, c, rows):
    """The seconds case C should take in a boot again, from RES (its try),
    or from its row of ROWS if the try never reached it."""
    if c not in res:
        secs = rows.get(c, {}).get('secs') or CASE_LIMIT_SECS
    else:
        try:
            secs = float(res[c][1])
        except ValueError:
            secs = CASE_LIMIT_SECS
    if secs <= 0:
        # A runner that died in it, or was stopped for a process stuck
        # after fork: the time a passing try takes, from the table.
        # Counting the whole case limit (700 s) kept stop 32's CI from a
        # third try, and stop 33's first make check from a boot again
        # for domU-cxenstored (260 s).  A case stopped because it ran
        # over the limit may hang again: that counts the limit.  (A
        # boot again that hangs is stopped 300 s past the deadline by
        # matrix.sh, within CI's limit.)
        why = res[c][3] if c in res and len(res[c]) > 3 else ''
        secs = CASE_LIMIT_SECS
        if 'ran over' not in why:
            secs = rows.get(c, {}).get('secs') or CASE_LIMIT_SECS
    return min(CASE_LIMIT_SECS, max(CASE_MIN_SECS, RETRY_FACTOR * secs))


def next_cases(out, run, plan, tries, rows, left=None):
    """(cases, why): the cases of RUN's boot number TRIES to boot again for,
    none if the boot would not fit in LEFT seconds (None: no time rule)."""
    rundir = os.path.join(out, run)
    res, ev = results(rundir)
    end, end_ev = boot_end(rundir, plan)
    again, whys = [], []
    for c in expected(rundir):
        if c in res:
            if (res[c][0] == 'FAIL' and c in ev and
                    rows.get(c, {}).get('retry', 'none') != 'none'):
                again.append(c)
                whys.append('%s failed with %s' % (c, ev[c]))
        elif end_ev:
            again.append(c)
    if end and any(c not in res for c in expected(rundir)):
        whys.append('the boot %s, %s evidence of the testbed\'s defect' %
                    (end, 'with' if end_ev else 'without'))
    if again and tries >= MAX_TRIES:
        whys.append('no boot again: try %d was the last' % tries)
        again = []
    if again and left is not None:
        # The cases that fit, in the table's order; the others give way.
        fit, over, need = [], [], BOOT_SECS
        for c in again:
            secs = case_secs(res, c, rows)
            if need + secs <= left:
                fit.append(c)
                need += secs
            else:
                over.append(c)
        if not fit:
            need = BOOT_SECS + sum(case_secs(res, c, rows) for c in again)
            whys.append('no boot again: it needs about %d s, and %d s are left '
                        'before make check\'s deadline' % (need, max(left, 0)))
        elif over:
            whys.append('booting again for %s only: %s would need about %d s '
                        'more, and %d s are left before make check\'s deadline' %
                        (' '.join(fit), ' '.join(over),
                         sum(case_secs(res, c, rows) for c in over), max(left - need, 0)))
        again = fit
    return again, '; '.join(whys)


def cost(out, run, plan, tries, rows):
    """The seconds RUN's boot number TRIES + 1 would need for all the cases
    it would boot again for, 0 if none."""
    again, _ = next_cases(out, run, plan, tries, rows)
    if not again:
        return 0
    res, _ = results(os.path.join(out, run))
    return int(BOOT_SECS + sum(case_secs(res, c, rows) for c in again))


def tries_of(out, run, tries):
    """The directories of RUN's boots, first to last."""
    return ([os.path.join(out, '%s.try%d' % (run, k)) for k in range(1, tries)] +
            [os.path.join(out, run)])


def merge(out, run, plan, tries, rows):
    """RUN's boots merged: (results, checks lines, expected cases).

    results is {case: (status, secs, log, why)}: a case's last try
    stands, its log relative to RUN, and its reason first says what each
    try before it ended with.  A case that the last boot gave no result
    has none here either (report.py says why), unless it was tried
    before: then it FAILs with its history.
    """
    dirs = tries_of(out, run, tries)
    cur = {}        # case: (try, (status, secs, log, why) or None, evidence or what stopped it)
    hist = {}       # case: [what each earlier try ended with]
    kinds = {}      # case: [each try's evidence, '' if it had none or no result]
    order = []
    for k, d in enumerate(dirs, 1):
        res, ev = results(d)
        end, end_ev = boot_end(d, plan)
        starts = started(d)
        rel = '' if k == len(dirs) else '../%s/' % os.path.basename(d)
        name = os.path.basename(d)
        for c in expected(d):
            if c not in order:
                order.append(c)
            if c in cur:
                hist.setdefault(c, []).append(outcome(*cur.pop(c)))
            kinds.setdefault(c, []).append(ev.get(c, '') if c in res else '')
            if c in res:
                st, secs, logf, why = res[c]
                # A log of "-" is that boot's console.
                if rel:
                    logf = rel + ('console.log' if logf == '-' else logf)
                cur[c] = (k, (st, secs, logf, why), ev.get(c, ''))
            else:
                cur[c] = (k, None, 'try %d %s: the boot %s%s (its console: %s/console.log)' % (
                    k, 'gave no result' if c in starts else 'did not reach it',
                    end or 'ended without its result',
                    ', with evidence of the testbed\'s defect' if end_ev else '', name))
    merged = {}
    for c in order:
        h = hist.get(c, [])
        k, res, ev = cur[c]
        if res:
            st, secs, logf, why = res
            if h:
                why = 'retried: %s; %s' % ('; '.join(h), why)
            if (st == 'FAIL' and rows.get(c, {}).get('type') == 'pvh' and
                    rows[c].get('run', 'domu_case') == 'domu_case' and
                    rows[c].get('retry') != 'none' and len(kinds[c]) >= PVH_SKIP_TRIES and
                    all(x and not x.startswith('dom0-case-runner-') for x in kinds[c])):
                st = 'SKIP'
                why = ('cannot work here: each of %d tries failed with evidence of '
                       'the testbed\'s defect (see README): %s' % (len(h) + 1, why))
            merged[c] = (st, secs, logf, why)
        elif h or k < len(dirs):
            # Tried before, or left by an earlier boot (that report.py,
            # which looks at the last boot, would not see).
            rel = '' if k == len(dirs) else '../%s/' % os.path.basename(dirs[k - 1])
            merged[c] = ('FAIL', '0', rel + 'console.log',
                         'retried: %s; %s' % ('; '.join(h), ev) if h else ev)
    checks = []
    for c in order:
        # The checks of the try that stands (or that ran the case last).
        for line in read(os.path.join(dirs[cur[c][0] - 1], 'checks')).split('\n'):
            parts = line.split(' ', 2)
            if len(parts) > 2 and parts[0] == 'XCI-CHECK' and parts[1] == c:
                checks.append(line)
    return merged, checks, order


def outcome(k, res, ev):
    """What try K of a case ended with, in words, for a later try."""
    if res is None:
        return ev
    if ev:
        return 'try %d failed (%s) with %s' % (k, res[3], ev)
    return 'try %d: %s (%s)' % (k, res[0], res[3])


def main(argv):
    cmd, out, run, plan, tries = argv[1], argv[2], argv[3], argv[4], int(argv[5])
    rows = table()
    if cmd == 'next':
        left = float(argv[6]) if len(argv) > 6 and argv[6] else None
        again, why = next_cases(out, run, plan, tries, rows, left)
        if why:
            print('try %d: %s' % (tries, why), file=sys.stderr)
        print(','.join(again))
        return 0
    if cmd == 'cost':
        print(cost(out, run, plan, tries, rows))
        return 0
    if cmd == 'merge':
        if tries < 2:
            return 0
        merged, checks, order = merge(out, run, plan, tries, rows)
        rundir = os.path.join(out, run)
        new = {'results': ''.join('CASE %s %s %s %s %s\n' % ((c,) + merged[c])
                                  for c in order if c in merged),
               'checks': ''.join(l + '\n' for l in checks),
               'expect': ' '.join(order) + '\n'}
        for name, text in new.items():
            with open(os.path.join(rundir, name + '.new'), 'w') as f:
                f.write(text)
        # The last boot's own files stay, for a look at what it said.
        for name in new:
            path = os.path.join(rundir, name)
            if os.path.exists(path):
                os.replace(path, path + '.boot')
            os.replace(path + '.new', path)
        return 0
    print('usage: retry.py next|cost|merge OUT RUN PLAN TRY [LEFT]', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
