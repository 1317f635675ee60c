#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host unit tests of patches.py: the series is cut from a base and a
prepared tree as patches/series says, every change has exactly one owner,
and the last state is the tree.  Prints TAP.
"""
import os
import subprocess
import sys
import tempfile
import unittest

TMP = tempfile.mkdtemp(prefix='xci-patches-')
os.environ['B'] = TMP
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import patches  # noqa: E402
from test_report import tap_run  # noqa: E402

MAINT_BASE = 'HEADER\n\nALPHA DRIVER\nM:\tA <a@a>\nF:\tdrivers/alpha.c\n\nZETA\nM:\tZ <z@z>\n'
MAINT_FINAL = ('HEADER\n\nALPHA DRIVER\nM:\tA <a@a>\nM:\tUs <us@x>\nF:\tdrivers/alpha/\n\n'
               'BETA DRIVER\nM:\tUs <us@x>\nF:\tdrivers/beta/\n\nZETA\nM:\tZ <z@z>\n')
SERIES = '''# comment
Subject: cover

The cover text.
%%
Subject: alpha: rewrite
Files: drivers/alpha/
Remove: drivers/alpha.c
Edit: MAINTAINERS :: ^(\\+M:|[-+]F:) :: ^ALPHA

Alpha, rewritten.
%%
Subject: beta: new driver
Files: drivers/beta/ drivers/Makefile
Edit: MAINTAINERS :: . :: ^BETA

Beta.
%%
'''


def put(root, path, text, mode=0o644):
    """Write TEXT (str or bytes) to ROOT/PATH."""
    p = os.path.join(root, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'wb') as f:
        f.write(text.encode() if isinstance(text, str) else text)
    os.chmod(p, mode)


class Ignores(unittest.TestCase):
    def ignores(self, *files):
        p = os.path.join(tempfile.mkdtemp(dir=TMP), 'x.patch')
        with open(p, 'w') as f:
            for n in files:
                f.write('diff --git a/%s b/%s\n+x\n' % (n, n))
        return patches.checkpatch_ignores(p)

    def test_interface_headers_keep_xens_names(self):
        self.assertEqual(self.ignores('include/xen/interface/io/xenbus.h'),
                         ['--ignore', 'CAMELCASE,ENOSYS'])

    def test_other_files_are_checked_in_full(self):
        self.assertEqual(self.ignores('drivers/net/xen-netback/rx.c', 'include/xen/netif.h'), [])

    def test_drivers_xen_needs_no_maintainers_change(self):
        self.assertEqual(self.ignores('drivers/xen/xenfs/fs.c', 'tools/testing/xen/abi_xs_list.h'),
                         ['--ignore', 'CAMELCASE,FILE_PATH_CHANGES'])


    def test_xens_enosys_in_the_pvops_files(self):
        # The patches' checks ignore what the files' checks ignore (the
        # first CI run of the pvops series failed on this).
        self.assertEqual(self.ignores('arch/x86/xen/time.c', 'arch/x86/xen/pmu.c'),
                         ['--ignore', 'ENOSYS,FILE_PATH_CHANGES'])

    def test_static_checks_read_the_same_table(self):
        # static-checks.sh's cp_ignores gives, for every row's path, the
        # types of every row whose prefix it has.
        script = os.path.join(os.path.dirname(__file__), '..', 'static-checks.sh')
        with open(script) as f:
            src = f.read()
        fn = src[src.index('cp_ignores() {'):]
        fn = fn[:fn.index('\n}\n') + 3]
        pipe = os.path.dirname(patches.IGNORES_TBL)
        rows = patches.read_ignores()
        for pre, _ in rows:
            path = pre + 'x.c' if pre.endswith('/') else pre
            types = {t for p, ts in rows if path.startswith(p) for t in ts}
            out = subprocess.run(['bash', '-c', fn + '\ncp_ignores "$1"', 'sh', path],
                                 env=dict(os.environ, PIPE=pipe), stdout=subprocess.PIPE,
                                 text=True, check=True).stdout
            self.assertEqual(set(out.split(',')), types, path)
        out = subprocess.run(['bash', '-c', fn + '\ncp_ignores drivers/net/x.c'],
                             env=dict(os.environ, PIPE=pipe), stdout=subprocess.PIPE,
                             text=True, check=True).stdout
        self.assertEqual(out, '')


class Cut(unittest.TestCase):
    """A two-patch series over a small tree."""

    def setUp(self):
        self.d = tempfile.mkdtemp(dir=TMP)
        patches.BASE = os.path.join(self.d, 'base')
        patches.SRC = os.path.join(self.d, 'src')
        patches.WORK = os.path.join(self.d, 'work')
        base = {'MAINTAINERS': MAINT_BASE, 'drivers/alpha.c': 'int alpha;\n',
                'drivers/Makefile': 'obj-y += alpha.o\n', 'README': 'same\n'}
        final = {'MAINTAINERS': MAINT_FINAL, 'drivers/alpha/a.c': 'int a;\n',
                 'drivers/beta/b.c': 'int b;\n', 'drivers/beta/corpus': b'\x01\x02seed\n',
                 'drivers/Makefile': 'obj-y += alpha/\nobj-y += beta/\n', 'README': 'same\n'}
        for k, v in base.items():
            put(patches.BASE, k, v)
        for k, v in final.items():
            put(patches.SRC, k, v)
        put(patches.SRC, 'drivers/beta/gen.sh', '#!/bin/sh\n', 0o755)
        touched = ['MAINTAINERS', 'drivers/alpha.c', 'drivers/alpha/a.c', 'drivers/beta/b.c',
                   'drivers/beta/corpus', 'drivers/beta/gen.sh', 'drivers/Makefile']
        put(patches.SRC, '.xenpv-overlay', '\n'.join(touched) + '\n')
        self.series = os.path.join(self.d, 'series')
        self.set_series(SERIES)

    def set_series(self, text):
        with open(self.series, 'w') as f:
            f.write(text)

    def cut(self):
        return patches.Series(self.series)

    def text(self, s, path, k):
        data, _ = s.state(path, k)
        return None if data is None else data.decode()

    def test_states_follow_the_owners(self):
        s = self.cut()
        self.assertEqual(s.cover, 'The cover text.')
        self.assertEqual([p['subject'] for p in s.patches], ['alpha: rewrite', 'beta: new driver'])
        self.assertEqual(self.text(s, 'drivers/alpha.c', 0), 'int alpha;\n')
        self.assertIsNone(self.text(s, 'drivers/alpha.c', 1))
        self.assertIsNone(self.text(s, 'drivers/alpha/a.c', 0))
        self.assertEqual(self.text(s, 'drivers/alpha/a.c', 1), 'int a;\n')
        self.assertIsNone(self.text(s, 'drivers/beta/b.c', 1))
        self.assertEqual(self.text(s, 'drivers/beta/b.c', 2), 'int b;\n')
        self.assertEqual(self.text(s, 'drivers/Makefile', 1), 'obj-y += alpha.o\n')
        self.assertEqual(self.text(s, 'drivers/Makefile', 2), 'obj-y += alpha/\nobj-y += beta/\n')

    def test_edit_rules_split_a_shared_file(self):
        s = self.cut()
        self.assertEqual(self.text(s, 'MAINTAINERS', 0), MAINT_BASE)
        self.assertEqual(self.text(s, 'MAINTAINERS', 1),
                         'HEADER\n\nALPHA DRIVER\nM:\tA <a@a>\nM:\tUs <us@x>\nF:\tdrivers/alpha/\n'
                         '\nZETA\nM:\tZ <z@z>\n')
        # The blank line before BETA went with BETA, the next change.
        self.assertEqual(self.text(s, 'MAINTAINERS', 2), MAINT_FINAL)

    def test_last_state_is_the_tree_binary_and_modes_too(self):
        s = self.cut()
        for path in s.paths:
            data, ex = s.state(path, 2)
            self.assertEqual(data, patches.read_file(patches.SRC, path), path)
            self.assertEqual(ex, patches.is_exec(patches.SRC, path), path)
        self.assertTrue(s.state('drivers/beta/gen.sh', 2)[1])

    def test_lay_rewrites_only_what_differs(self):
        s = self.cut()
        tree = os.path.join(self.d, 'tree')
        subprocess.run(['cp', '-a', patches.BASE + '/.', tree + '/'], check=True)
        self.assertEqual(s.lay(0, tree), [])
        changed = s.lay(1, tree)
        self.assertEqual(sorted(changed), ['MAINTAINERS', 'drivers/alpha.c', 'drivers/alpha/a.c'])
        self.assertFalse(os.path.exists(os.path.join(tree, 'drivers/alpha.c')))
        s.lay(2, tree)
        self.assertEqual(s.lay(2, tree), [])

    def test_unowned_change_is_refused(self):
        self.set_series(SERIES.replace('Files: drivers/beta/ drivers/Makefile',
                                       'Files: drivers/beta/'))
        with self.assertRaisesRegex(patches.SeriesError, r"drivers/Makefile: no stanza .*obj-y"):
            self.cut()

    def test_line_claimed_twice_is_refused(self):
        self.set_series(SERIES.replace('Edit: MAINTAINERS :: . :: ^BETA',
                                       'Edit: MAINTAINERS :: . :: ^(BETA|ALPHA)'))
        with self.assertRaisesRegex(patches.SeriesError, r'claimed by patches \[1, 2\]'):
            self.cut()

    def test_rule_matching_nothing_is_refused(self):
        self.set_series(SERIES.replace('Beta.\n', 'Beta.\n', 1).replace(
            'Edit: MAINTAINERS :: . :: ^BETA',
            'Edit: MAINTAINERS :: . :: ^BETA\nEdit: drivers/Makefile :: nothing-like-this'))
        with self.assertRaisesRegex(patches.SeriesError, r'matches no changed line'):
            self.cut()

    def test_removing_a_file_still_in_the_tree_is_refused(self):
        self.set_series(SERIES.replace('Files: drivers/beta/ drivers/Makefile',
                                       'Files: drivers/beta/ drivers/Makefile\nRemove: README'))
        with self.assertRaisesRegex(patches.SeriesError, r'README: not among the paths'):
            self.cut()
        with open(os.path.join(patches.SRC, '.xenpv-overlay'), 'a') as f:
            f.write('README\n')
        with self.assertRaisesRegex(patches.SeriesError, r'README: removed by patch 2 but in the tree'):
            self.cut()

    def test_unclaimed_binary_is_refused(self):
        self.set_series(SERIES.replace('Files: drivers/beta/ drivers/Makefile',
                                       'Files: drivers/beta/b.c drivers/beta/gen.sh drivers/Makefile'))
        with self.assertRaisesRegex(patches.SeriesError, r'corpus: binary'):
            self.cut()

    def test_header_in_a_message_is_refused(self):
        self.set_series(SERIES.replace('Beta.\n', 'Beta.\nFiles: drivers/beta/\n'))
        with self.assertRaisesRegex(patches.SeriesError, r'a header in the commit message'):
            self.cut()

    def test_files_matching_nothing_are_refused(self):
        self.set_series(SERIES.replace('Files: drivers/alpha/', 'Files: drivers/alpha/ drivers/gamma/'))
        with self.assertRaisesRegex(patches.SeriesError, r'drivers/gamma/ matches no path'):
            self.cut()

    def test_a_patch_that_changes_nothing_is_refused(self):
        self.set_series(SERIES + 'Subject: empty: nothing\n\nNothing.\n%%\n')
        with self.assertRaisesRegex(patches.SeriesError, r'patch 3 \(empty: nothing\): changes nothing'):
            self.cut()

    def test_write_gives_a_cover_and_one_patch_per_stanza(self):
        s = self.cut()
        out = os.path.join(self.d, 'out')
        names = patches.write(s, out)
        self.assertEqual(len(names), 3)
        cover = open(os.path.join(out, names[0])).read()
        self.assertIn('The cover text.', cover)
        self.assertIn('Subject: [PATCH 0/2]', cover)
        p1 = open(os.path.join(out, names[1])).read()
        self.assertIn('Subject: [PATCH 1/2] alpha: rewrite', p1)
        self.assertIn('Signed-off-by: Xen PV from scratch <xenpv@example.invalid>', p1)
        self.assertIn('deleted file mode', p1)
        p2 = open(os.path.join(out, names[2])).read()
        self.assertIn('GIT binary patch', p2)
        self.assertIn('new file mode 100755', p2)


if __name__ == '__main__':
    ok = tap_run(sys.modules[__name__])
    subprocess.run(['rm', '-rf', TMP], check=False)
    sys.exit(0 if ok else 1)
