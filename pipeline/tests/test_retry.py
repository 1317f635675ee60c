#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host unit tests of retry.py, the boots' retry policy against the
testbed's defect: a retry must never hide a failure of ours.

Prints TAP.
"""
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import retry  # noqa: E402
from test_report import tap_run  # noqa: E402

ROWS = {'a': {'boot': 'r', 'type': 'pv', 'retry': '100', 'secs': 100},
        'b': {'boot': 'r', 'type': 'pv', 'retry': '200', 'secs': 200},
        'c': {'boot': 'r', 'type': 'pv', 'retry': '300', 'secs': 300},
        'n': {'boot': 'r', 'type': '-', 'retry': 'none', 'secs': None},
        'p': {'boot': 'r', 'type': 'pvh', 'retry': '100', 'secs': 100},
        'q': {'boot': 'r', 'type': 'pvh', 'run': 'control_case', 'retry': '100', 'secs': 100}}
PANIC = '[ 854.2] [  853.1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x%08x\n'


class Boots(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def boot(self, name, expect, results='', console='', checks='', hung=None):
        d = os.path.join(self.out, name)
        os.makedirs(d)
        for f, text in (('expect', ' '.join(expect) + '\n'), ('results', results),
                        ('console.log', console), ('checks', checks)):
            with open(os.path.join(d, f), 'w') as fh:
                fh.write(text)
        if hung:
            with open(os.path.join(d, 'hung'), 'w') as fh:
                fh.write(hung + '\n')
        return d

    def clean(self):
        """No boots any more."""
        for name in os.listdir(self.out):
            shutil.rmtree(os.path.join(self.out, name))

    def end(self, console, plan='ours', hung=None):
        self.n = getattr(self, 'n', 0) + 1
        return retry.boot_end(self.boot('x%d' % self.n, [], console=console, hung=hung), plan)


class InitKilled(unittest.TestCase):
    def test_fault_signals(self):
        self.assertEqual(retry.init_killed(PANIC % 0x0b), 11)
        self.assertEqual(retry.init_killed(PANIC % 0x86), 6)   # SIGABRT with a core

    def test_not_faults(self):
        self.assertIsNone(retry.init_killed(PANIC % 0x100))   # exit status 1
        self.assertIsNone(retry.init_killed(PANIC % 0x09))    # SIGKILL
        self.assertIsNone(retry.init_killed('[ 1.0] [ 1.0] Kernel panic - not syncing: Fatal exception\n'))


class BootEnd(Boots):
    def test_a_boot_that_ended_normally(self):
        self.assertEqual(self.end('XCI: cases done\n'), (None, False))

    def test_runner_lost_is_evidence(self):
        why, ev = self.end('XCI: dom0 userland lost: the case runner died twice (in case a, '
                           'then in case b: exit 139); ending this boot (README)\n')
        self.assertTrue(ev)
        self.assertIn('died twice', why)
        self.assertNotIn('ending this boot', why)

    def test_init_killed_is_evidence(self):
        why, ev = self.end(PANIC % 0x0b)
        self.assertTrue(ev)
        self.assertIn('signal 11', why)

    def test_freeze_needs_the_defects_marks(self):
        self.assertEqual(self.end('XCI: case a: start\n', hung='console silent for 360 s'),
                         ('froze dom0 (console silent for 360 s)', False))
        why, ev = self.end('[ 5.0] xl[99]: segfault at 0 ip 0\n', hung='silent')
        self.assertTrue(ev)

    def test_a_checks_detail_is_no_evidence(self):
        _, ev = self.end('XCI-CHECK a domu-faults PASS no Segmentation fault\n', hung='silent')
        self.assertFalse(ev)

    def test_xens_lost_wakeup_is_evidence(self):
        con = ('(XEN) VCPU0: CPU1 [has=F] poll=0 upcall_pend=01 upcall_mask=00\n'
               '(XEN)    R arch/x86/domain.c#default_idle+0x1\n')
        _, ev = self.end(con, hung='silent')
        self.assertTrue(ev)
        _, ev = self.end(con.split('\n')[0], hung='silent')
        self.assertFalse(ev)

    def test_toolstack_lost(self):
        why, ev = self.end('XCI: toolstack lost: xenstored (pid 5) is gone\nSegmentation fault\n')
        self.assertEqual(why, "lost dom0's toolstack (xenstored died)")
        self.assertTrue(ev)

    def test_our_kernels_oops_is_never_the_defect(self):
        con = PANIC % 0x0b + '[ 9.0] [  8.0] BUG: kernel NULL pointer dereference\n'
        why, ev = self.end(con)
        self.assertFalse(ev)
        self.assertIn('oops', why)
        # A user process's fault and the panic for PID 1 are not the kernel's.
        _, ev = self.end(PANIC % 0x0b + '[ 9.0] [  8.0] traps: xl[9] general protection fault\n')
        self.assertTrue(ev)

    def test_dom0_crash(self):
        con = ('[ 9.0] [  8.0] BUG: unable to handle page fault\n'
               '[ 9.5] (XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.\n')
        # Ours, or Debian's once a case ran: never the defect by itself.
        self.assertEqual(self.end(con), ("crashed dom0's kernel after a dom0 kernel oops, "
                                         "warning or hang report", False))
        self.assertEqual(self.end('XCI: case a: start\n' + con, plan='stock'),
                         ("crashed dom0's kernel", False))
        # Debian's before any case: nothing of ours had run.
        why, ev = self.end(con, plan='stock')
        self.assertTrue(ev)
        self.assertIn("Debian's, before any case started", why)
        # Once a case started, the crash's own general protection fault
        # and an earlier user fault are no evidence: our modules may be in.
        gp = ('XCI: case a: start\n[ 7.0] xl[9]: segfault at 0 ip 0\n'
              '[ 9.0] [  8.0] Oops: general protection fault [xen_netback]\n'
              '[ 9.5] (XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.\n')
        self.assertEqual(self.end(gp, plan='stock'), ("crashed dom0's kernel", False))
        # PID 1 that exited by itself (not a fault signal) is ours.
        self.assertFalse(self.end(PANIC % 0x100 + con, plan='stock')[1])

    def test_debians_kernel_is_not_held_to_it(self):
        con = PANIC % 0x0b + '[ 9.0] [  8.0] WARNING: CPU: 0 at somewhere\n'
        self.assertTrue(self.end(con, plan='stock')[1])


class NextCases(Boots):
    def next(self, tries=1):
        return retry.next_cases(self.out, 'r', 'ours', tries, ROWS)[0]

    def test_a_failure_with_evidence_is_tried_again(self):
        self.boot('r', ['a', 'b', 'c', 'n'],
                  'CASE a PASS 1 - ok\nEVIDENCE b user-space-faults-in-domU\nCASE b FAIL 1 - x\n'
                  'CASE c FAIL 1 - y\nEVIDENCE n dom0-case-runner-died\nCASE n FAIL 1 - z\n')
        # c failed without evidence, n allows no retry.
        self.assertEqual(self.next(), ['b'])

    def test_no_more_than_max_tries(self):
        self.boot('r', ['b'], 'EVIDENCE b x\nCASE b FAIL 1 - x\n')
        self.assertEqual(self.next(retry.MAX_TRIES - 1), ['b'])
        self.assertEqual(self.next(retry.MAX_TRIES), [])
        self.assertIn('try %d was the last' % retry.MAX_TRIES,
                      retry.next_cases(self.out, 'r', 'ours', retry.MAX_TRIES, ROWS)[1])

    def test_a_boot_again_must_fit_in_the_time_left(self):
        # b took 300 s: a boot again needs 60 + 450 s.
        self.boot('r', ['b'], 'EVIDENCE b x\nCASE b FAIL 300 - x\n')
        nxt = lambda left: retry.next_cases(self.out, 'r', 'ours', 1, ROWS, left)
        self.assertEqual(nxt(None)[0], ['b'])
        self.assertEqual(nxt(420)[0], ['b'])
        again, why = nxt(419)
        self.assertEqual(again, [])
        self.assertIn('needs about 420 s, and 419 s are left', why)
        self.assertIn('0 s are left', nxt(-30)[1])

    def test_the_cases_that_fit_go_first(self):
        # b needs 360 s, c (a runner that died) its row's 300 s: 360 s.
        self.boot('r', ['b', 'c'], 'EVIDENCE b x\nCASE b FAIL 300 - x\n'
                  'EVIDENCE c dom0-case-runner-died\nCASE c FAIL 0 - y\n')
        nxt = lambda left: retry.next_cases(self.out, 'r', 'ours', 1, ROWS, left)
        self.assertEqual(nxt(780)[0], ['b', 'c'])
        again, why = nxt(779)
        self.assertEqual(again, ['b'])
        self.assertIn('booting again for b only: c would need about 360 s more, '
                      'and 359 s are left', why)
        self.assertEqual(nxt(420)[0], ['b'])
        self.assertEqual(nxt(419)[0], [])

    def test_a_case_without_its_time_counts_its_rows(self):
        # A runner that died in it (0 s): the table's 200 s, as a case
        # never reached (matrix.sh bounds a boot again that hangs).
        self.boot('r', ['b'], 'EVIDENCE b dom0-case-runner-died\nCASE b FAIL 0 - x\n')
        self.assertEqual(retry.next_cases(self.out, 'r', 'ours', 1, ROWS, 299)[0], [])
        self.assertEqual(retry.next_cases(self.out, 'r', 'ours', 1, ROWS, 300)[0], ['b'])
        # Without a time in the table (never for a row that retries): its
        # limit.
        self.assertEqual(retry.case_secs({'x': ('FAIL', '0', '-', 'y')}, 'x', ROWS),
                         retry.CASE_LIMIT_SECS)
        # Stopped for running over the limit: it may hang again.
        self.assertEqual(retry.case_secs({'b': ('FAIL', '0', '-', "dom0's case runner died "
                                                "(exit 137, ran over 700 s; ...)")}, 'b', ROWS),
                         retry.CASE_LIMIT_SECS)
        # Stopped for a bash stuck in a futex: the row's time.
        self.assertEqual(retry.case_secs({'b': ('FAIL', '0', '-', "dom0's case runner died "
                                                "(exit 137, had 2960 stuck in a futex wait)")},
                                         'b', ROWS), retry.RETRY_FACTOR * 200)
        # A short case counts CASE_MIN_SECS.
        self.clean()
        self.boot('r', ['b'], 'EVIDENCE b x\nCASE b FAIL 5 - x\n')
        self.assertEqual(retry.next_cases(self.out, 'r', 'ours', 1, ROWS, 180)[0], ['b'])
        self.assertEqual(retry.next_cases(self.out, 'r', 'ours', 1, ROWS, 179)[0], [])

    def test_nothing_to_say_when_all_passed(self):
        self.boot('r', ['a'], 'CASE a PASS 1 - ok\n')
        self.assertEqual(retry.next_cases(self.out, 'r', 'ours', retry.MAX_TRIES, ROWS), ([], ''))

    def test_evidence_without_its_case_line_does_not_count(self):
        # The runner died between the two lines; the supervisor wrote
        # the case's line after a kernel oops, without evidence.
        self.boot('r', ['b'], 'EVIDENCE b x\nRUNNER-DIED b 137\n'
                  'CASE b FAIL 0 - died after a dom0 kernel oops\n')
        self.assertEqual(self.next(), [])
        self.boot('r2', ['b'], 'EVIDENCE b x\nCASE a FAIL 0 - y\nCASE b FAIL 0 - z\n')
        self.assertEqual(retry.results(os.path.join(self.out, 'r2'))[1], {})

    def test_evidence_of_an_earlier_case_does_not_count(self):
        # dom0 writes the EVIDENCE line of a try before its CASE line; a
        # stale EVIDENCE of another case names only that case.
        self.boot('r', ['a', 'b'], 'EVIDENCE a x\nCASE a PASS 1 - ok\nCASE b FAIL 1 - y\n')
        self.assertEqual(self.next(), [])

    def test_a_boot_that_ended_with_evidence(self):
        self.boot('r', ['a', 'b', 'c'], 'CASE a PASS 1 - ok\n',
                  'XCI: case a: start\nXCI: case b: start\n' + PANIC % 0x0b)
        self.assertEqual(self.next(), ['b', 'c'])

    def test_a_case_never_reached_counts_its_rows_time(self):
        # b and c (200 s and 300 s in the table) were not reached: a boot
        # again needs 60 + 240 + 360 s; n, without a time, its limit.
        self.boot('r', ['a', 'b', 'c'], 'CASE a PASS 1 - ok\n',
                  'XCI: case a: start\n' + PANIC % 0x0b)
        nxt = lambda left: retry.next_cases(self.out, 'r', 'ours', 1, ROWS, left)
        self.assertEqual(nxt(660)[0], ['b', 'c'])
        self.assertEqual(nxt(659)[0], ['b'])
        self.assertEqual(retry.cost(self.out, 'r', 'ours', 1, ROWS), 660)
        self.assertEqual(retry.case_secs({}, 'n', ROWS), retry.CASE_LIMIT_SECS)
        self.assertEqual(retry.case_secs({}, 'x', ROWS), retry.CASE_LIMIT_SECS)

    def test_cost_is_zero_without_a_boot_again(self):
        self.boot('r', ['a'], 'CASE a PASS 1 - ok\n')
        self.assertEqual(retry.cost(self.out, 'r', 'ours', 1, ROWS), 0)
        self.clean()
        self.boot('r', ['b'], 'EVIDENCE b x\nCASE b FAIL 300 - x\n')
        self.assertEqual(retry.cost(self.out, 'r', 'ours', retry.MAX_TRIES, ROWS), 0)
        self.assertEqual(retry.cost(self.out, 'r', 'ours', 1, ROWS), 420)

    def test_the_table_gives_each_case_its_time(self):
        rows = retry.table()
        self.assertTrue(all(r['retry'] == 'none' or r['secs'] for r in rows.values()))
        self.assertIsInstance(rows['domU']['secs'], int)

    def test_a_boot_that_ended_without_evidence(self):
        self.boot('r', ['a', 'b'], 'CASE a PASS 1 - ok\n', 'XCI: case b: start\n',
                  hung='console silent for 360 s')
        self.assertEqual(self.next(), [])


class Merge(Boots):
    def merge(self, tries):
        return retry.merge(self.out, 'r', 'ours', tries, ROWS)

    def test_results_and_checks_of_three_boots(self):
        self.boot('r.try1', ['a', 'b', 'c'],
                  'CASE a PASS 3 guests/guest-a.log ok\nEVIDENCE b x y\nCASE b FAIL 4 guests/guest-b.log bad\n',
                  'XCI: case a: start\nXCI: case b: start\nXCI: case c: start\n'
                  'XCI: dom0 userland lost: the case runner died twice (in case b, then in case c); '
                  'ending this boot\n',
                  'XCI-CHECK a one PASS fine\nXCI-CHECK b two FAIL bad\n')
        self.boot('r.try2', ['b', 'c'],
                  'CASE b PASS 5 guests/guest-b.log good\nEVIDENCE c z\nCASE c FAIL 6 - worse\n',
                  'XCI: case b: start\nXCI: case c: start\n',
                  'XCI-CHECK b two PASS fine\nXCI-CHECK c three FAIL worse\n')
        self.boot('r', ['c'], 'CASE c PASS 7 - fine\n', 'XCI: case c: start\n',
                  'XCI-CHECK c three PASS fine\n')
        res, checks, order = self.merge(3)
        self.assertEqual(order, ['a', 'b', 'c'])
        self.assertEqual(res['a'], ('PASS', '3', '../r.try1/guests/guest-a.log', 'ok'))
        self.assertEqual(res['b'][:3], ('PASS', '5', '../r.try2/guests/guest-b.log'))
        self.assertEqual(res['b'][3], 'retried: try 1 failed (bad) with x y; good')
        st, _, logf, why = res['c']
        self.assertEqual((st, logf), ('PASS', '-'))
        self.assertTrue(why.startswith('retried: try 1 gave no result: the boot lost '
                                       "dom0's case runner"), why)
        self.assertIn('(its console: r.try1/console.log); try 2 failed (worse) with z; fine', why)
        # The checks of the try that stands, none of an earlier one.
        self.assertEqual(checks, ['XCI-CHECK a one PASS fine', 'XCI-CHECK b two PASS fine',
                                  'XCI-CHECK c three PASS fine'])

    def test_a_retried_case_the_last_boot_did_not_reach(self):
        self.boot('r.try1', ['a', 'b'], 'EVIDENCE a x\nCASE a FAIL 1 - bad\n'
                  'EVIDENCE b x\nCASE b FAIL 1 - bad\n')
        self.boot('r', ['a', 'b'], '', 'XCI: case a: start\n', hung='console silent for 360 s')
        res, _, _ = self.merge(2)
        self.assertEqual(res['a'][0], 'FAIL')
        self.assertIn('try 1 failed (bad) with x; try 2 gave no result: the boot froze dom0', res['a'][3])
        self.assertIn('try 2 did not reach it', res['b'][3])

    def test_a_case_an_earlier_boot_left_fails_with_its_console(self):
        # report.py looks at the last boot only: it would blame that one.
        self.boot('r.try1', ['a', 'b'], 'EVIDENCE a x\nCASE a FAIL 1 - bad\n',
                  'XCI: case a: start\nXCI: case b: start\n', hung='console silent for 360 s')
        self.boot('r', ['a'], 'CASE a PASS 1 - ok\n')
        res, _, order = self.merge(2)
        self.assertEqual(order, ['a', 'b'])
        self.assertEqual(res['b'][0], 'FAIL')
        self.assertEqual(res['b'][2], '../r.try1/console.log')
        self.assertTrue(res['b'][3].startswith('try 1 gave no result: the boot froze dom0'), res['b'][3])

    def test_a_case_the_last_boot_left_is_left_to_the_report(self):
        self.boot('r.try1', ['a', 'b'], 'EVIDENCE a x\nCASE a FAIL 1 - bad\n')
        self.boot('r', ['a', 'c'], 'CASE a PASS 1 - ok\n', hung='console silent for 360 s')
        res, _, order = self.merge(2)
        self.assertNotIn('c', res)
        self.assertEqual(order, ['a', 'b', 'c'])

    def test_an_earlier_boots_console_log(self):
        self.boot('r.try1', ['d', 'a'], 'CASE d FAIL 1 - xl\nEVIDENCE a x\nCASE a FAIL 1 - bad\n')
        self.boot('r', ['a'], 'CASE a PASS 1 - ok\n')
        res, _, _ = self.merge(2)
        self.assertEqual(res['d'], ('FAIL', '1', '../r.try1/console.log', 'xl'))
        self.assertEqual(res['a'][2], '-')

    def boots(self):
        """The directories of MAX_TRIES boots, first to last."""
        return ['r.try%d' % k for k in range(1, retry.MAX_TRIES)] + ['r']

    def test_pvh_whose_every_try_met_the_defect_skips(self):
        for name in self.boots():
            self.boot(name, ['p'], 'EVIDENCE p Xen-reported-triple-fault\nCASE p FAIL 9 - no-init\n')
        res, _, _ = self.merge(retry.MAX_TRIES)
        self.assertEqual(res['p'][0], 'SKIP')
        self.assertTrue(res['p'][3].startswith('cannot work here: each of %d tries failed' %
                                               retry.MAX_TRIES))

    def test_a_pvh_control_case_never_skips(self):
        # Its domU is saved, restored and migrated: a triple fault every
        # time may be a bug of our resume path.
        for name in self.boots():
            self.boot(name, ['q'], 'EVIDENCE q Xen-reported-triple-fault\nCASE q FAIL 9 - no-init\n')
        self.assertEqual(self.merge(retry.MAX_TRIES)[0]['q'][0], 'FAIL')

    def test_pvh_skips_after_fewer_tries_when_time_ran_out(self):
        # make check's deadline ended the retries after PVH_SKIP_TRIES.
        n = retry.PVH_SKIP_TRIES
        for name in ['r.try%d' % k for k in range(1, n)] + ['r']:
            self.boot(name, ['p'], 'EVIDENCE p Xen-reported-triple-fault\nCASE p FAIL 9 - no-init\n')
        self.assertEqual(self.merge(n)[0]['p'][0], 'SKIP')
        self.clean()
        for name in ['r.try%d' % k for k in range(1, n - 1)] + ['r']:
            self.boot(name, ['p'], 'EVIDENCE p Xen-reported-triple-fault\nCASE p FAIL 9 - no-init\n')
        self.assertEqual(self.merge(n - 1)[0]['p'][0], 'FAIL')

    def test_pvh_stopped_or_runner_lost_is_no_skip(self):
        # A case stopped for its time limit may be a hang of ours.
        for name in self.boots()[:-1]:
            self.boot(name, ['p'], 'EVIDENCE p Xen-reported-triple-fault\nCASE p FAIL 9 - no-init\n')
        self.boot('r', ['p'], 'EVIDENCE p dom0-case-runner-stopped\nCASE p FAIL 0 - ran over 600 s\n')
        self.assertEqual(self.merge(retry.MAX_TRIES)[0]['p'][0], 'FAIL')

    def test_pvh_with_fewer_tries_is_no_skip(self):
        self.boot('r.try1', ['a'], 'EVIDENCE a x\nCASE a FAIL 1 - bad\n')
        self.boot('r.try2', ['a', 'p'], 'EVIDENCE a x\nCASE a FAIL 1 - bad\n'
                  'EVIDENCE p x\nCASE p FAIL 1 - bad\n')
        self.boot('r', ['a', 'p'], 'CASE a PASS 1 - ok\nEVIDENCE p x\nCASE p FAIL 1 - bad\n')
        self.assertEqual(self.merge(3)[0]['p'][0], 'FAIL')

    def test_pv_whose_every_try_met_the_defect_fails(self):
        for name in ('r.try1', 'r'):
            self.boot(name, ['a'], 'EVIDENCE a x\nCASE a FAIL 9 - no-init\n')
        self.assertEqual(self.merge(2)[0]['a'][0], 'FAIL')

    def test_a_pvh_failure_without_evidence_fails(self):
        self.boot('r.try1', ['p'], 'EVIDENCE p x\nCASE p FAIL 9 - no-init\n')
        self.boot('r', ['p'], 'CASE p FAIL 9 - disk\n')
        self.assertEqual(self.merge(2)[0]['p'][0], 'FAIL')

    def test_main_writes_the_run_and_keeps_the_boots_own(self):
        self.boot('r.try1', ['a', 'b'], 'CASE a PASS 1 - ok\nEVIDENCE b x\nCASE b FAIL 1 - bad\n')
        self.boot('r', ['b'], 'CASE b PASS 2 - good\n', checks='XCI-CHECK b c PASS fine\n')
        self.assertEqual(retry.main(['retry.py', 'merge', self.out, 'r', 'ours', '2']), 0)
        d = os.path.join(self.out, 'r')
        got = open(os.path.join(d, 'results')).read().splitlines()
        self.assertEqual(got[0], 'CASE a PASS 1 ../r.try1/console.log ok')
        self.assertEqual(got[1], 'CASE b PASS 2 - retried: try 1 failed (bad) with x; good')
        self.assertEqual(open(os.path.join(d, 'expect')).read().split(), ['a', 'b'])
        self.assertEqual(open(os.path.join(d, 'results.boot')).read(), 'CASE b PASS 2 - good\n')
        self.assertEqual(open(os.path.join(d, 'checks')).read(), 'XCI-CHECK b c PASS fine\n')


if __name__ == '__main__':
    sys.exit(0 if tap_run(sys.modules[__name__]) else 1)
