#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host unit tests of report.py: a parser bug must never hide a failure.

Prints TAP.
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import report  # noqa: E402


def statuses(res):
    return [s for s, _, _ in res]


class ParseTap(unittest.TestCase):
    def test_all_pass(self):
        res = report.parse_tap(['TAP version 13', '1..2', 'ok 1 a', 'ok 2 b'], 't', 0)
        self.assertEqual(statuses(res), ['pass', 'pass'])

    def test_not_ok_fails(self):
        res = report.parse_tap(['1..2', 'ok 1 a', 'not ok 2 b'], 't', 1)
        self.assertEqual(statuses(res), ['pass', 'fail'])

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


class ConsoleBlocks(unittest.TestCase):
    def blocks(self, text):
        with tempfile.NamedTemporaryFile('w', delete=False) as f:
            f.write(text)
        try:
            return report.console_blocks(f.name)
        finally:
            os.unlink(f.name)

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
            self.assertIn(('case domU', 'domU:ping-dom0'), tally.failures)


class MatrixSkip(unittest.TestCase):
    def test_skip_case_counts_as_skip(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, 'xen-ours'))
            with open(os.path.join(d, 'xen-ours', 'results'), 'w') as f:
                f.write('CASE pvh SKIP 9.0 guests/guest-pvh.log cannot work here\n')
            tally = report.Tally()
            report.matrix(d, tally, [])
            self.assertEqual(tally.skipped, 1)
            self.assertNotIn('case pvh', [n for n, _ in tally.failures])


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


if __name__ == '__main__':
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    print('TAP version 13')
    print('1..%d' % suite.countTestCases())
    res = unittest.TextTestRunner(stream=open(os.devnull, 'w'), resultclass=TapResult).run(suite)
    sys.exit(0 if res.wasSuccessful() else 1)
