#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host unit tests of report.py: a parser bug must never hide a failure.

Prints TAP.
"""
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import report  # noqa: E402
import bench_report  # noqa: E402


def statuses(res):
    return [r[0] for r in res]


class ParseTap(unittest.TestCase):
    def test_all_pass(self):
        res = report.parse_tap(['TAP version 13', '1..2', 'ok 1 a', 'ok 2 b'], 't', 0)
        self.assertEqual(statuses(res), ['pass', 'pass'])

    def test_not_ok_fails(self):
        res = report.parse_tap(['1..2', 'ok 1 a', 'not ok 2 b'], 't', 1)
        self.assertEqual(statuses(res), ['pass', 'fail'])

    def test_failure_keeps_its_diagnostics(self):
        res = report.parse_tap(['1..2', '# about a', 'ok 1 a',
                                '# xen_gnt.c:150:map_own_grant:Expected 0 (0) == x (-22)',
                                '# map_own_grant: Test failed', 'not ok 2 b'], 't', 1)
        self.assertEqual(res[1][3], ['# xen_gnt.c:150:map_own_grant:Expected 0 (0) == x (-22)',
                                     '# map_own_grant: Test failed'])

    def test_skip_directive(self):
        res = report.parse_tap(['1..1', 'ok 1 a # SKIP not under Xen'], 't', 4)
        self.assertEqual(statuses(res), ['skip'])

    def test_not_ok_skip_is_skip(self):
        res = report.parse_tap(['1..1', 'not ok 1 a # SKIP no device'], 't', 4)
        self.assertEqual(statuses(res), ['skip'])

    def test_short_plan_is_failure(self):
        res = report.parse_tap(['1..3', 'ok 1 a'], 't', 0)
        self.assertEqual(statuses(res), ['pass', 'fail'])

    def test_empty_stream_is_failure(self):
        self.assertEqual(statuses(report.parse_tap([], 't', 0)), ['fail'])

    def test_crash_exit_status_is_failure(self):
        res = report.parse_tap(['1..1', 'ok 1 a'], 't', 139)
        self.assertEqual(statuses(res), ['pass', 'fail'])

    def test_diagnostics_ignored(self):
        res = report.parse_tap(['1..1', '# ok 5 not a result', '#  RUN x', 'ok 1 x'], 't', 0)
        self.assertEqual(statuses(res), ['pass'])

    def test_names_are_prefixed(self):
        res = report.parse_tap(['1..1', 'ok 1 global.read'], 'domU/xen_xenbus', 0)
        self.assertEqual(res[0][1], 'domU/xen_xenbus/global.read')


def on_file(text, fn):
    """Return fn(path) for a temporary file holding text."""
    with tempfile.NamedTemporaryFile('w', delete=False) as f:
        f.write(text)
    try:
        return fn(f.name)
    finally:
        os.unlink(f.name)


class ConsoleBlocks(unittest.TestCase):
    def blocks(self, text):
        return on_file(text, report.console_blocks)

    def test_complete_block(self):
        b = self.blocks('noise\nXCI-TAP-BEGIN domU xen_a\n1..1\nok 1 x\nXCI-TAP-END domU xen_a rc=0\n')
        self.assertEqual(len(b), 1)
        name, lines, rc = b[0]
        self.assertEqual((name, rc), ('domU/xen_a', 0))
        self.assertEqual(statuses(report.block_results(name, lines, rc)), ['pass'])

    def test_cut_off_block_fails(self):
        b = self.blocks('XCI-TAP-BEGIN domU xen_a\n1..2\nok 1 x\n[ 5.0] Kernel panic\n')
        name, lines, rc = b[0]
        self.assertIsNone(rc)
        self.assertIn('fail', statuses(report.block_results(name, lines, rc)))

    def test_timestamps_stripped(self):
        b = self.blocks('[   1.20] XCI-TAP-BEGIN p t\n[   1.30] ok 1 x\n[   1.40] XCI-TAP-END p t rc=0\n')
        self.assertEqual(statuses(report.block_results(*b[0])), ['pass'])


class Matrix(unittest.TestCase):
    def test_missing_run_fails_every_case(self):
        with tempfile.TemporaryDirectory() as d:
            tally = report.Tally()
            report.matrix(d, tally, [])
            self.assertEqual(tally.failed, len(report.CASES))
            self.assertEqual(tally.passed, 0)

    def test_results_file_is_read(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-ours'))
            with open(os.path.join(d, 'xen-ours', 'qemu.rc'), 'w') as f:
                f.write('0 100.0\n')
            with open(os.path.join(d, 'xen-ours', 'results'), 'w') as f:
                f.write('CASE dom0 PASS 3.0 - fine\nCASE domU FAIL 9.0 guests/guest-domU.log domU:ping-dom0\n')
            tally = report.Tally()
            lines = []
            report.matrix(d, tally, lines)
            self.assertEqual(tally.passed, 1)
            self.assertIn(('case domU', 'domU:ping-dom0'), [f[:2] for f in tally.failures])

    def test_checks_are_tests_and_a_failed_one_fails_the_case(self):
        with tempfile.TemporaryDirectory() as d:
            run = os.path.join(d, 'xen-ours-life')
            os.makedirs(run)
            with open(os.path.join(run, 'results'), 'w') as f:
                f.write('CASE saverestore PASS 9.0 g.log all fine\n'
                        'CASE hotplug PASS 9.0 g.log fine\n')
            with open(os.path.join(run, 'checks'), 'w') as f:
                f.write('XCI-CHECK saverestore xl-save PASS saved\n'
                        'XCI-CHECK saverestore gratuitous-arp FAIL none\r\n'
                        'XCI-CHECK hotplug resize PASS 16->32\n'
                        'XCI-CHECK hotplug resize FAIL later report\n'
                        'XCI-CHECK hotplug odd MAYBE x\n'
                        'XCI-CHECK domU vbd PASS from another run: not taken\n'
                        'garbage\n')
            tally = report.Tally()
            lines = []
            report.matrix(d, tally, lines)
            fails = dict((f[0], f[1]) for f in tally.failures)
            self.assertEqual(fails['check saverestore/gratuitous-arp'], 'none')
            self.assertTrue(fails['case saverestore'].startswith('failed check(s) gratuitous-arp; the case said: all fine'))
            # The last report of a check wins; an unknown status fails.
            self.assertEqual(fails['check hotplug/resize'], 'later report')
            self.assertIn("unknown status 'MAYBE'", fails['check hotplug/odd'])
            self.assertNotIn('check domU/vbd', fails)
            self.assertIn('saverestore              1 pass   1 fail   0 skip', lines)
            self.assertIn('== checks of the cases (XCI-CHECK) ==', lines)

    def test_checks_of_a_skipped_case_are_skipped(self):
        with tempfile.TemporaryDirectory() as d:
            run = os.path.join(d, 'xen-ours')
            os.makedirs(run)
            with open(os.path.join(run, 'results'), 'w') as f:
                f.write('CASE pvh SKIP 9.0 g.log cannot work here: each of 3 tries failed\n')
            with open(os.path.join(run, 'checks'), 'w') as f:
                f.write('XCI-CHECK pvh ping-domU FAIL no answer\nXCI-CHECK pvh xl-create PASS x\n')
            tally = report.Tally()
            report.matrix(d, tally, [])
            self.assertNotIn('case pvh', [f[0] for f in tally.failures])
            self.assertNotIn('check pvh/ping-domU', [f[0] for f in tally.failures])
            self.assertEqual((tally.passed, tally.skipped), (0, 3))

    def test_carriage_return_keeps_the_whole_reason(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-ours-life'))
            with open(os.path.join(d, 'xen-ours-life', 'results'), 'w', newline='') as f:
                f.write('CASE hotplug FAIL 9.0 g.log counters(a\r->b\r) domU-died\n')
            tally = report.Tally()
            report.matrix(d, tally, [])
            self.assertIn(('case hotplug', 'counters(a ->b ) domU-died'), [f[:2] for f in tally.failures])

    def test_line_of_another_run_is_not_taken(self):
        # An older layout's hotplug line in xen-ours must not stand in for
        # xen-ours-life's, which has none.
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-ours'))
            with open(os.path.join(d, 'xen-ours', 'results'), 'w') as f:
                f.write('CASE hotplug PASS 9.0 g.log old\n')
            tally = report.Tally()
            report.matrix(d, tally, [])
            self.assertIn('case hotplug', [f[0] for f in tally.failures])

    def test_case_asked_for_is_reported_when_it_ran(self):
        # modules-cycle runs only when asked for: absent, it is neither
        # a failure nor a line; present, it counts like any case.
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-stock'))
            tally = report.Tally()
            lines = []
            report.matrix(d, tally, lines)
            self.assertFalse(any(l.startswith('modules-cycle') for l in lines))
            self.assertEqual(tally.failed, len(report.CASES))
            with open(os.path.join(d, 'xen-stock', 'results'), 'w') as f:
                f.write('CASE modules-cycle FAIL 9.0 g.log round-5:dom0-kernel(BUG:)\n')
            tally = report.Tally()
            lines = []
            report.matrix(d, tally, lines)
            self.assertTrue(any(l.startswith('modules-cycle') for l in lines))
            self.assertIn(('case modules-cycle', 'round-5:dom0-kernel(BUG:)'),
                          [f[:2] for f in tally.failures])

    def test_case_asked_for_without_result_fails(self):
        # dom0 died in modules-cycle: no result line, but the boot was
        # asked for it, so it must not vanish from the report.
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-stock'))
            with open(os.path.join(d, 'xen-stock', 'expect'), 'w') as f:
                f.write('modules-cycle\n')
            tally = report.Tally()
            lines = []
            report.matrix(d, tally, lines)
            self.assertIn('case modules-cycle', [f[0] for f in tally.failures])

    def test_failed_case_shows_its_last_log_lines(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-ours-life', 'guests'))
            with open(os.path.join(d, 'xen-ours-life', 'results'), 'w') as f:
                f.write('CASE hotplug FAIL 9.0 guests/g.log no-io\n')
            with open(os.path.join(d, 'xen-ours-life', 'guests', 'g.log'), 'w') as f:
                f.write('[    1.0] XCI-COUNTERS a\nXCI-IO-OK 1\nXCI-IO-OK 2\n'
                        'blkfront: xvdd: stuck\nXCI-COUNTERS b\n')
            tally = report.Tally()
            report.matrix(d, tally, [])
            detail = [f[2] for f in tally.failures if f[0] == 'case hotplug'][0]
            self.assertEqual(detail, ['XCI-IO-OK 2', 'blkfront: xvdd: stuck', 'XCI-COUNTERS b'])

    def test_silent_domu_shows_dom0s_view(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-ours', 'guests'))
            with open(os.path.join(d, 'xen-ours', 'results'), 'w') as f:
                f.write('CASE domU FAIL 9.0 guests/guest-domU.log ping-domU-failed\n')
            open(os.path.join(d, 'xen-ours', 'guests', 'guest-domU.log'), 'w').close()
            with open(os.path.join(d, 'xen-ours', 'guests', 'guest-domU.diag'), 'w') as f:
                f.write('XCI-DIAG console log: 0 bytes\nXCI-DIAG xenconsoled is gone\n')
            tally = report.Tally()
            report.matrix(d, tally, [])
            detail = [f[2] for f in tally.failures if f[0] == 'case domU'][0]
            self.assertEqual(detail, ['XCI-DIAG console log: 0 bytes', 'XCI-DIAG xenconsoled is gone'])


    def test_frozen_case_says_where_dom0_was(self):
        with tempfile.TemporaryDirectory() as d:
            run = os.path.join(d, 'xen-ours-life')
            os.makedirs(run)
            with open(os.path.join(run, 'hung'), 'w') as f:
                f.write('console silent for 375 s\n')
            with open(os.path.join(run, 'qemu.rc'), 'w') as f:
                f.write('143 900.0\n')
            with open(os.path.join(run, 'console.log'), 'w') as f:
                f.write('[  1.0] XCI: case hotplug: cycle 3\n'
                        '[  2.0] XCI: watchdog: alive, case hotplug for 2 min\n'
                        '[  3.0] (XEN) *** Serial input to Xen (type \'CTRL-a\' three times to switch input)\n'
                        '[  4.0] (XEN) General information for domain 0:\n'
                        '[  4.1] (XEN)     VCPU0: CPU1 [has=F] poll=0 upcall_pend=01 upcall_mask=00 dirty_cpu=1\n'
                        '[  4.2] (XEN) General information for domain 3:\n'
                        '[  4.3] (XEN)     VCPU0: CPU0 [has=T] poll=0 upcall_pend=00 upcall_mask=00 dirty_cpu=0\n'
                        '[  5.0] (XEN) r9:  00007f407f92d6d0\n')
            tally = report.Tally()
            report.matrix(d, tally, [])
            detail = [f[2] for f in tally.failures if f[0] == 'case hotplug'][0]
            self.assertEqual(detail, ['XCI: case hotplug: cycle 3',
                                      "dom0 in Xen's dump: VCPU0 on CPU1 has=F poll=0 pending=01 mask=00"])


class MatrixSkip(unittest.TestCase):
    @staticmethod
    def retried_detail(end, console):
        """The failure's detail of a case whose try 2 ended with END."""
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-stock'))
            os.makedirs(os.path.join(d, 'xen-stock.try2'))
            with open(os.path.join(d, 'xen-stock', 'results'), 'w') as f:
                f.write('CASE stock-dom0 FAIL 9.0 - retried: try 1 failed (x); try 2 did not '
                        'reach it: the boot %s (its console: xen-stock.try2/console.log)\n' % end)
            with open(os.path.join(d, 'xen-stock.try2', 'console.log'), 'w') as f:
                f.write(console)
            tally = report.Tally()
            report.matrix(d, tally, [])
            return [f[2] for f in tally.failures if f[0] == 'case stock-dom0'][0]

    def test_boot_again_that_crashed_names_the_crash(self):
        detail = self.retried_detail(
            "crashed dom0's kernel",
            # dom0's line quoting a domU's oops starts no excerpt.
            '[ 1.0] XCI: case a: FAIL BUG: in the domU\n[ 2.0] BUG: unable to handle page fault\n'
            '[ 2.1] RIP: e030:xenvif_poll+0x1/0x10\n[ 2.2]  napi_poll+0x3/0x30\n'
            '[ 2.3]  cpu_bringup_and_idle+0x74/0x80\n[ 2.4] ---[ end trace ]---\n')
        self.assertEqual(detail[:4], ['try 2 (xen-stock.try2/console.log):',
                                      'BUG: unable to handle page fault',
                                      'RIP: e030:xenvif_poll+0x1/0x10',
                                      'trace: napi_poll < cpu_bringup_and_idle'])

    def test_boot_again_that_did_not_crash_names_no_crash(self):
        # An earlier case's oops, quoted by dom0: not this case's crash.
        detail = self.retried_detail(
            'ended without its result',
            '[ 1.0] XCI: case a: FAIL BUG: in the domU\n[ 2.0] BUG: unable to handle page fault\n')
        self.assertNotIn('BUG: unable to handle page fault', detail)

    def test_skip_case_counts_as_skip(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-ours'))
            with open(os.path.join(d, 'xen-ours', 'results'), 'w') as f:
                f.write('CASE pvh SKIP 9.0 guests/guest-pvh.log cannot work here\n')
            tally = report.Tally()
            report.matrix(d, tally, [])
            self.assertEqual(tally.skipped, 1)
            self.assertNotIn('case pvh', [f[0] for f in tally.failures])


class Kunit(unittest.TestCase):
    LOG = ('[ 0.9] [    0.80] KTAP version 1\n[ 0.9] [    0.80] 1..2\n'
           '[ 0.9] [    0.81]     KTAP version 1\n'
           '[ 0.9] [    0.81]     # Subtest: s_a\n[ 0.9] [    0.81]     1..2\n'
           '[ 0.9] [    0.82]     # c1: EXPECTATION FAILED at x.c:5\n'
           '[ 0.9] [    0.82]     not ok 1 c1\n[ 0.9] [    0.83]     ok 2 c2\n'
           '[ 0.9] [    0.84] not ok 1 s_a\n'
           '[ 0.9] [    0.85]     # Subtest: s_b\n[ 0.9] [    0.85]     1..3\n'
           '[ 0.9] [    0.86]     ok 1 c1 # SKIP no Xen\n'
           '[ 0.9] [    0.86]     ok 2 c2\n[ 1.0] [    0.90] Kernel panic\n')

    def results(self, suites):
        return on_file(self.LOG, lambda p: report.kunit_results(p, suites))

    def test_cases_are_counted(self):
        res = self.results(('s_a',))['kunit/s_a']
        self.assertEqual(statuses(res), ['fail', 'pass'])
        self.assertEqual(res[1][1], 'kunit/s_a/c2')

    def test_short_suite_fails(self):
        res = self.results(('s_b',))['kunit/s_b']
        self.assertEqual(statuses(res), ['skip', 'pass', 'fail'])

    def test_missing_suite_fails(self):
        self.assertEqual(statuses(self.results(('s_c',))['kunit/s_c']), ['fail'])


class AbiCompare(unittest.TestCase):
    """Our domU's /sys/hypervisor and /proc/xen against Debian's domU's."""

    def write(self, d, run, case, lines):
        os.makedirs(os.path.join(d, run, 'guests'), exist_ok=True)
        with open(os.path.join(d, run, 'guests', 'guest-%s.log' % case), 'w') as f:
            f.write('\r\n'.join(['boot noise'] + lines) + '\r\n')

    SAME = ['XCI-ABI /sys/hypervisor d755 -',
            'XCI-ABI /sys/hypervisor/type f444 78656e0a',
            'XCI-ABI /proc/xen/privcmd f400 -']

    def test_identical_lists_pass(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'xen-ours', 'domU', self.SAME + ['XCI-ABI /sys/hypervisor/uuid f444 31'])
            self.write(d, 'xen-ours', 'stock-domU', self.SAME + ['XCI-ABI /sys/hypervisor/uuid f444 32'])
            self.assertEqual(statuses(report.abi_compare(d)), ['pass'] * 4)

    def test_uuid_of_another_length_fails(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'xen-ours', 'domU', self.SAME + ['XCI-ABI /sys/hypervisor/uuid f444 3132'])
            self.write(d, 'xen-ours', 'stock-domU', self.SAME + ['XCI-ABI /sys/hypervisor/uuid f444 31'])
            self.assertEqual(statuses(report.abi_compare(d)), ['pass'] * 3 + ['fail'])

    def test_bus_counters_compare_their_mode_only(self):
        bus = 'XCI-ABI /sys/bus/xen/devices/vbd-51712/'
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'xen-ours', 'domU', self.SAME + [
                bus + 'xenbus/events f444 33350a', bus + 'state f444 436f6e6e65637465640a',
                bus + 'xenbus/spurious_threshold f644 310a'])
            self.write(d, 'xen-ours', 'stock-domU', self.SAME + [
                bus + 'xenbus/events f444 390a', bus + 'state f444 436c6f7365640a',
                bus + 'xenbus/spurious_threshold f644 320a'])
            res = {r[1].split('stock-domU')[-1]: r[0] for r in report.abi_compare(d)}
            dev = '/sys/bus/xen/devices/vbd-51712/'
            self.assertEqual(res[dev + 'xenbus/events'], 'pass')
            self.assertEqual(res[dev + 'state'], 'fail')
            self.assertEqual(res[dev + 'xenbus/spurious_threshold'], 'fail')

    def test_content_mode_and_missing_path_fail(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'xen-ours', 'domU', ['XCI-ABI /sys/hypervisor/type f444 78656e',
                                               'XCI-ABI /proc/xen/privcmd f600 -',
                                               'XCI-ABI /sys/hypervisor d755 -'])
            self.write(d, 'xen-ours', 'stock-domU', self.SAME + ['XCI-ABI /sys/hypervisor/pmu d755 -'])
            res = {r[1].split('stock-domU')[-1]: r for r in report.abi_compare(d)}
            self.assertEqual(res['/sys/hypervisor/type'][0], 'fail')
            self.assertIn('content', res['/sys/hypervisor/type'][2])
            self.assertEqual(res['/proc/xen/privcmd'][0], 'fail')
            self.assertIn('mode f600', res['/proc/xen/privcmd'][2])
            self.assertEqual(res['/sys/hypervisor/pmu'][0], 'fail')
            self.assertEqual(res['/sys/hypervisor'][0], 'pass')

    def test_a_domu_that_printed_nothing_fails(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'xen-ours', 'domU', ['no list'])
            self.write(d, 'xen-ours', 'stock-domU', self.SAME)
            self.assertEqual(statuses(report.abi_compare(d)), ['fail'])

    def test_newest_log_with_a_list_counts(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'xen-ours.try1', 'domU', ['XCI-ABI /sys/hypervisor/type f444 00'])
            self.write(d, 'xen-ours', 'domU', self.SAME)
            os.utime(os.path.join(d, 'xen-ours.try1', 'guests', 'guest-domU.log'), (1, 1))
            self.write(d, 'xen-ours', 'stock-domU', self.SAME)
            self.assertEqual(statuses(report.abi_compare(d)), ['pass'] * 3)

    def test_case_not_run_skips(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'xen-ours', 'domU', self.SAME)
            self.assertEqual(statuses(report.abi_compare(d)), ['skip'])


class CasesTable(unittest.TestCase):
    """cases.tbl, which matrix.sh, report.py and dom0.sh all read."""

    GUEST = os.path.join(os.path.dirname(__file__), '..', 'guest')

    def rows(self):
        path = os.path.join(os.path.dirname(__file__), '..', 'cases.tbl')
        out = []
        for line in open(path):
            if line.strip() and not line.lstrip().startswith('#'):
                out.append([x.strip() for x in line.split('|')])
        return out

    def test_rows_are_complete_and_consistent(self):
        names = set()
        for r in self.rows():
            self.assertEqual(len(r), 9, r)
            name, boot, dom0, domu, typ, when, run, retry, args = r
            self.assertNotIn(name, names)
            names.add(name)
            self.assertIn(boot, ('xen-ours', 'xen-ours-life', 'xen-stock'), name)
            self.assertEqual(dom0, 'stock' if boot == 'xen-stock' else 'ours', name)
            self.assertIn(domu, ('ours', 'stock', '-'), name)
            self.assertIn(typ, ('pv', 'pvh', '-'), name)
            self.assertEqual(typ == '-', domu == '-', name)
            self.assertIn(when, ('always', 'asked'), name)
            self.assertTrue(retry == 'none' or retry.isdigit(), name)
            # Only domu_case takes ARGS (the domU's command line).
            if args:
                self.assertEqual(run, 'domu_case', name)

    def test_every_run_function_is_defined_in_a_case_file(self):
        defined = set()
        for f in os.listdir(os.path.join(self.GUEST, 'cases')):
            text = open(os.path.join(self.GUEST, 'cases', f)).read()
            defined.update(re.findall(r'^([a-z0-9_]+)\(\) \{', text, re.M))
        for r in self.rows():
            self.assertIn(r[6], defined, r[0])

    def test_report_expects_the_unasked_cases(self):
        always = [r[0] for r in self.rows() if r[5] == 'always']
        self.assertEqual([n for n, _ in report.CASES], ['bare'] + always)
        self.assertEqual(sorted(n for n, _ in report.OPTIONAL),
                         sorted(r[0] for r in self.rows() if r[5] == 'asked'))


class TapResult(unittest.TextTestResult):
    """Print one TAP line per test."""

    n = 0

    def _line(self, ok, test, extra=''):
        TapResult.n += 1
        print('%s %d %s%s' % ('ok' if ok else 'not ok', TapResult.n, test.id(), extra))

    def addSuccess(self, test):
        self._line(True, test)

    def addFailure(self, test, err):
        self._line(False, test)
        print('# ' + self._exc_info_to_string(err, test).replace('\n', '\n# '))

    addError = addFailure


def tap_run(module):
    """Run MODULE's tests, printing TAP; True if all passed."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    print('TAP version 13')
    print('1..%d' % suite.countTestCases())
    return unittest.TextTestRunner(stream=open(os.devnull, 'w'),
                                   resultclass=TapResult).run(suite).wasSuccessful()



class CrashExcerpt(unittest.TestCase):
    def excerpt(self, text):
        return on_file(text, report.crash_excerpt)

    def test_oops_named_with_trace(self):
        ex = self.excerpt('[ 1.0] fine\n[ 2.0] [ 1.9] BUG: kernel NULL pointer dereference\n'
                          '[ 2.0] [ 1.9] CPU: 0 UID: 0 PID: 7 Comm: xbk.1\n'
                          '[ 2.0] [ 1.9] RIP: e030:foo+0x1/0x10\n[ 2.0] [ 1.9]  ? bar+0x2/0x20\n'
                          '[ 2.0] [ 1.9]  baz+0x3/0x30\n[ 2.0] [ 1.9]  qux+0x4/0x40\n')
        self.assertEqual(ex[0], 'BUG: kernel NULL pointer dereference')
        self.assertIn('CPU: 0 UID: 0 PID: 7 Comm: xbk.1', ex)
        self.assertEqual(ex[-1], 'trace: baz < qux')

    def test_user_process_fault_is_no_crash(self):
        ex = self.excerpt('[ 5.3] [ 5.2] traps: xl[2490] general protection fault ip:7f50 '
                          'sp:7fff error:0 in libc.so.6\n'
                          '[ 9.0] [ 8.9] Oops: general protection fault, probably for '
                          'non-canonical address 0xdead: 0000 [#1] SMP\n')
        self.assertEqual(ex[0], 'Oops: general protection fault, probably for '
                                'non-canonical address 0xdead: 0000 [#1] SMP')
        self.assertEqual(self.excerpt('[ 5.3] traps: xl[2490] general protection fault\n'), [])

    def test_check_line_quoting_a_panic_is_no_crash(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, 'console.log')
            with open(p, 'w') as f:
                f.write('[ 80.1] XCI-CHECK domU domu-no-panic FAIL [ 12.0] Kernel panic - not syncing: x\n'
                        '[ 80.2] XCI-CHECK domU domu-kernel PASS no Kernel panic here\n')
            self.assertEqual(report.crash_excerpt(p), [])
            os.makedirs(os.path.join(d, 'run'))
            os.rename(p, os.path.join(d, 'run', 'console.log'))
            with open(os.path.join(d, 'run', 'qemu.rc'), 'w') as f:
                f.write('0 10.0\n')
            self.assertEqual(report.why_run_failed(os.path.join(d, 'run')), 'case not reached (QEMU exit 0)')

    def test_clean_log_has_none(self):
        self.assertEqual(self.excerpt('[ 1.0] all good\n'), [])

    def test_missing_log_has_none(self):
        self.assertEqual(report.crash_excerpt('/nonexistent/console.log'), [])

class BenchReport(unittest.TestCase):
    """bench_report.py: the like-for-like ratios point the right way."""
    def write(self, d, run, text):
        os.makedirs(os.path.join(d, run), exist_ok=True)
        with open(os.path.join(d, run, 'bench'), 'w') as f:
            f.write(text)

    def run_main(self, d):
        with open(os.devnull, 'w') as null:
            old = sys.stdout
            sys.stdout = null
            try:
                bench_report.main(d)
            finally:
                sys.stdout = old
        import json
        with open(os.path.join(d, 'bench.json')) as f:
            return json.load(f)

    def test_same_kernel_ratios_and_efficiency(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'benchmods',
                       'BLK dom0 seqread 400\nBLK upstream seqread 100\nBLK ours seqread 200\n'
                       'BLK dom0 seqread 400\nBLK upstream seqread 100\nBLK ours seqread 300\n'
                       'BLK dom0 lat 10\nBLK upstream lat 40\nBLK ours lat 20\n'
                       'NET upstream rx 50\nNET ours rx 25\n'
                       'BLK ours FAIL backends\n')
            rep = self.run_main(d)
            rows = {r['workload']: r for r in rep['same_kernel']}
            # throughput: ours/upstream on medians (250 vs 100)
            self.assertAlmostEqual(rows['blk seqread']['ratio'], 2.5)
            self.assertEqual(rows['blk seqread']['ours']['min'], 200)
            self.assertEqual(rows['blk seqread']['ours']['max'], 300)
            # latency: lower is better, so upstream/ours
            self.assertAlmostEqual(rows['blk lat']['ratio'], 2.0)
            # efficiency against dom0's own disk, better-is-higher both ways
            self.assertAlmostEqual(rows['blk seqread']['efficiency_ours'], 250 / 400)
            self.assertAlmostEqual(rows['blk lat']['efficiency_upstream'], 10 / 40)
            self.assertAlmostEqual(rows['net rx']['ratio'], 0.5)
            self.assertNotIn('dom0', rows['net rx'])

    def test_profile_medians_per_workload_and_side(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'benchmods',
                       'PROF ours dom0-all user=1 sys=10 ev=100\n'
                       'PROF ours dom0-all user=3 sys=30 ev=300\n'
                       'PROF ours dom0-all user=2 sys=20 ev=200\n'
                       'PROF upstream domU-rx sys=7 softirq=x ev=9 hotsteal=4\n'
                       'PROF ours\n')
            prof = self.run_main(d)['profile']
            self.assertEqual(prof['dom0-all']['ours']['sys'], 20)
            self.assertEqual(prof['dom0-all']['ours']['ev'], 200)
            # a count missing from a line is 0; a malformed one too
            self.assertEqual(prof['dom0-all']['ours']['percpu'], 0)
            self.assertEqual(prof['domU-rx']['upstream']['softirq'], 0)
            self.assertEqual(prof['domU-rx']['upstream']['ev'], 9)
            self.assertEqual(prof['domU-rx']['upstream']['hotsteal'], 4)
            self.assertEqual(prof['dom0-all']['ours']['hotbusy'], 0)
            self.assertNotIn('ours', prof['domU-rx'])

    def test_try_side_against_ours_and_upstream(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'benchmods',
                       'BLK upstream seqread 100\nBLK ours seqread 200\nBLK try seqread 300\n'
                       'BLK upstream lat 40\nBLK ours lat 20\n'
                       'PROF try domU-seqread sys=5\n')
            rep = self.run_main(d)
            tried = {r['workload']: r for r in rep['try_vs_ours']}
            self.assertAlmostEqual(tried['blk seqread']['ratio'], 1.5)
            # a workload the tried side did not run is left out
            self.assertNotIn('blk lat', tried)
            up = {r['workload']: r for r in rep['try_vs_upstream']}
            self.assertAlmostEqual(up['blk seqread']['ratio'], 3.0)
            self.assertNotIn('blk lat', up)
            self.assertEqual(rep['profile']['domU-seqread']['try']['sys'], 5)

    def test_no_try_side_no_try_rows(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'benchmods', 'BLK upstream seqread 100\nBLK ours seqread 200\n')
            rep = self.run_main(d)
            self.assertNotIn('try_vs_ours', rep)

    def test_configuration_comparison_kept_apart(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, 'benchblk-ours', 'BLK ours seqwrite 90\n')
            self.write(d, 'benchblk-stock', 'BLK stock seqwrite 30\n')
            self.write(d, 'bench', 'BENCH boot-ours-1 10.0\nBENCH boot-stock-1 20.0\n'
                                   'BENCH boot-base-1 12.0\n'
                                   'BENCH boot-ours-2 FAIL no-init\n')
            rep = self.run_main(d)
            self.assertEqual(rep['same_kernel'], [])
            self.assertAlmostEqual(rep['configuration'][0]['ratio'], 3.0)
            self.assertAlmostEqual(rep['boot']['ratio'], 2.0)
            self.assertAlmostEqual(rep['boot']['ratio_base'], 1.2)


if __name__ == '__main__':
    sys.exit(0 if tap_run(sys.modules[__name__]) else 1)
