#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The upstream patch series of our work (patches/series).

  patches.py write          build/out/patches: one git format-patch file per
                            stanza of patches/series, and a cover letter
  patches.py check          TAP on stdout: checkpatch --strict and
                            get_maintainer.pl on every patch, git am of the
                            series onto the base, and the result compared
                            with the prepared tree (build/src)
  patches.py lay K TREE     make TREE (a copy of the base) hold the state
                            after patch K (0: the base); files rewritten only
                            where their content differs
  patches.py count          the number of patches

The prepared tree (pipeline/prepare-tree.sh) is the truth: the series is
cut from the difference between the base and it, so the last patch always
ends at exactly the tree we build and test.  Each stanza owns whole files
(Files:) and single changed lines of others (Edit:); a change that no
stanza owns, or that two own, stops the series with a message saying
which.  Environment: B (build directory), as pipeline/lib.sh.
"""

import concurrent.futures
import difflib
import glob
import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.environ.get('B', os.path.join(TOP, 'build'))
BASE = os.path.join(B, 'base')
SRC = os.path.join(B, 'src')
OUT = os.path.join(B, 'out')
SERIES = os.path.join(TOP, 'patches', 'series')
WORK = os.path.join(B, 'patches')
# Checks run at once (pipeline/lib.sh's JOBS).
JOBS = int(os.environ.get('JOBS', '2'))
IDENT = ('Xen PV from scratch', 'xenpv@example.invalid')
# A fixed date: the same tree always gives the same patches.
DATE = '2024-01-01T00:00:00+00:00'


class SeriesError(Exception):
    """The series file, or its fit to the tree, is wrong."""


def die(msg):
    """Print MSG as an error and exit 1."""
    print('ERROR: ' + msg, file=sys.stderr)
    sys.exit(1)


def read_series(path=SERIES):
    """Parse patches/series into (cover text, list of stanza dicts)."""
    stanzas = []
    cur = None
    in_body = False
    for n, raw in enumerate(open(path).read().split('\n'), 1):
        if cur is None:
            if raw.startswith('#') or not raw.strip():
                continue
            cur = {'subject': None, 'files': [], 'edits': [], 'removes': [],
                   'body': [], 'line': n}
            in_body = False
        if raw == '%%':
            stanzas.append(cur)
            cur = None
            continue
        if in_body:
            if re.match(r'^(Subject|Files|Edit|Remove):', raw):
                raise SeriesError('%s:%d: a header in the commit message (headers end at the '
                                  'first blank line): %s' % (path, n, raw))
            cur['body'].append(raw)
            continue
        if not raw.strip():
            in_body = True
            continue
        key, sep, val = raw.partition(':')
        if not sep:
            raise SeriesError('%s:%d: not a header: %s' % (path, n, raw))
        val = val.strip()
        if key == 'Subject':
            cur['subject'] = val
        elif key == 'Files':
            cur['files'] += val.split()
        elif key == 'Remove':
            cur['removes'].append(val)
        elif key == 'Edit':
            parts = [p.strip() for p in val.split(' :: ')]
            if len(parts) not in (2, 3):
                raise SeriesError('%s:%d: Edit: FILE :: LINE [:: PARAGRAPH]' % (path, n))
            para = re.compile(parts[2]) if len(parts) == 3 else None
            cur['edits'].append({'file': parts[0], 'line': re.compile(parts[1]),
                                 'para': para, 'hits': 0, 'src': n})
        else:
            raise SeriesError('%s:%d: unknown header %s' % (path, n, key))
    if cur is not None:
        raise SeriesError('%s: the last stanza has no "%%%%" line' % path)
    if not stanzas or stanzas[0]['subject'] != 'cover':
        raise SeriesError('%s: the first stanza must be "Subject: cover"' % path)
    for s in stanzas:
        while s['body'] and not s['body'][-1].strip():
            s['body'].pop()
        if not s['subject']:
            raise SeriesError('%s:%d: a stanza without Subject' % (path, s['line']))
    return '\n'.join(stanzas[0]['body']), stanzas[1:]


def read_file(root, path):
    """Bytes of ROOT/PATH, or None if it is not a file."""
    p = os.path.join(root, path)
    if not os.path.isfile(p):
        return None
    with open(p, 'rb') as f:
        return f.read()


def is_exec(root, path):
    """Whether ROOT/PATH is executable by its owner."""
    try:
        return bool(os.stat(os.path.join(root, path)).st_mode & 0o100)
    except OSError:
        return False


def as_lines(data):
    """DATA split into lines with their endings, or None for data that is
    not text: not UTF-8, or with control characters other than tab, form
    feed and line endings (checkpatch's test of a patch's text)."""
    if data is None:
        return []
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        return None
    if re.search(r'[\x00-\x08\x0b\x0e-\x1f\x7f]', text):
        return None
    # Lines end at \n only (splitlines() would also cut at \f, \x85, ...).
    return re.findall(r'[^\n]*\n|[^\n]+$', text)


def para_title(lines, i):
    """The first line of the paragraph that line I of LINES is in."""
    while i > 0 and lines[i - 1].strip():
        i -= 1
    return lines[i].rstrip('\n') if i < len(lines) else ''


class Series:
    """The series cut from the base and the prepared tree."""

    def __init__(self, path=SERIES):
        self.cover, self.patches = read_series(path)
        listed = os.path.join(SRC, '.xenpv-overlay')
        if not os.path.exists(listed):
            raise SeriesError('%s missing: run pipeline/prepare-tree.sh' % listed)
        self.paths = sorted(set(open(listed).read().split()))
        self.files = {}
        errors = []
        for path in self.paths:
            try:
                self.files[path] = self._cut(path)
            except SeriesError as e:
                errors.append(str(e))
        for k, p in enumerate(self.patches, 1):
            for f in p['files']:
                if not any(x == f or (f.endswith('/') and x.startswith(f)) for x in self.paths):
                    errors.append('patch %d (%s): Files: %s matches no path of the prepared tree'
                                  % (k, p['subject'], f))
            if not errors and not any(self._changes_in(path, k) for path in self.paths):
                errors.append('patch %d (%s): changes nothing' % (k, p['subject']))
            for r in p['removes']:
                if r not in self.files:
                    errors.append('%s: not among the paths of the prepared tree, which '
                                  'pipeline/prepare-tree.sh removes: run it' % r)
            for e in p['edits']:
                if not e['hits']:
                    errors.append('patch %d (series line %d): Edit rule for %s matches no changed line'
                                  % (k, e['src'], e['file']))
        if errors:
            raise SeriesError('\n'.join(errors))

    def _changes_in(self, path, k):
        """Whether patch K changes PATH."""
        return self.state(path, k) != self.state(path, k - 1)

    def _owner(self, path):
        """The patch (1-based) whose Files: claims PATH, or None."""
        best, blen, tie = None, -1, False
        for k, p in enumerate(self.patches, 1):
            for f in p['files']:
                if f == path or (f.endswith('/') and path.startswith(f)):
                    if len(f) > blen:
                        best, blen, tie = k, len(f), False
                    elif len(f) == blen and k != best:
                        tie = True
        if tie:
            raise SeriesError('%s: claimed by two stanzas equally' % path)
        return best

    def _remover(self, path):
        """The patch (1-based) that removes PATH, or None."""
        ks = [k for k, p in enumerate(self.patches, 1) if path in p['removes']]
        if len(ks) > 1:
            raise SeriesError('%s: removed by patches %s' % (path, ks))
        return ks[0] if ks else None

    def _line_owner(self, path, text, title, fallback, where):
        """The patch owning changed line TEXT ("+..."/"-...") of PATH."""
        hits = []
        for k, p in enumerate(self.patches, 1):
            for e in p['edits']:
                if e['file'] != path or not e['line'].search(text.rstrip('\n')):
                    continue
                if e['para'] and not e['para'].search(title):
                    continue
                hits.append((k, e))
        if len({k for k, _ in hits}) > 1:
            raise SeriesError('%s: line %r (%s) is claimed by patches %s'
                              % (path, text.rstrip('\n'), where, sorted({k for k, _ in hits})))
        if hits:
            for _, e in hits:
                e['hits'] += 1
            return hits[0][0]
        if fallback is None:
            raise SeriesError('%s: no stanza of patches/series owns the change %r (%s, paragraph "%s"): '
                              'add the file to a Files: line or the line to an Edit: rule'
                              % (path, text.rstrip('\n'), where, title))
        return fallback

    def _cut(self, path):
        """How PATH changes along the series: a dict for state()."""
        base = read_file(BASE, path)
        final = read_file(SRC, path)
        owner = self._owner(path)
        remover = self._remover(path)
        info = {'base': base, 'final': final, 'exec_base': is_exec(BASE, path),
                'exec_final': is_exec(SRC, path)}
        if remover is not None:
            if final is not None or base is None:
                raise SeriesError('%s: removed by patch %d but %s' % (
                    path, remover, 'in the tree' if final is not None else 'not in the base'))
            info['whole'] = remover
            return info
        if base == final and info['exec_base'] == info['exec_final']:
            info['whole'] = 0
            return info
        bl, fl = as_lines(base), as_lines(final)
        if bl is None or fl is None:
            if owner is None:
                raise SeriesError('%s: binary, and no Files: line claims it' % path)
            info['whole'] = owner
            return info
        ops = []
        sm = difflib.SequenceMatcher(None, bl, fl, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == 'equal':
                ops.append(('equal', bl[i1:i2]))
                continue
            units = [('-', bl[i], para_title(bl, i), 'base line %d' % (i + 1)) for i in range(i1, i2)]
            units += [('+', fl[j], para_title(fl, j), 'line %d' % (j + 1)) for j in range(j1, j2)]
            own = [None] * len(units)
            for u, (sign, text, title, where) in enumerate(units):
                if text.strip():
                    own[u] = self._line_owner(path, sign + text, title, owner, where)
            # A blank line goes with the next non-blank change, else the last.
            for u in range(len(units)):
                if own[u] is None:
                    nxt = [own[v] for v in range(u + 1, len(units)) if own[v] is not None]
                    prv = [own[v] for v in range(u - 1, -1, -1) if own[v] is not None]
                    own[u] = (nxt or prv or [owner])[0]
                    if own[u] is None:
                        raise SeriesError('%s: a changed blank line with no owner' % path)
            ops.append(('change', [(units[u][0], units[u][1], own[u]) for u in range(len(units))]))
        first = min(o for _, ch in ops if _ == 'change' for _s, _t, o in ch) if any(
            t == 'change' for t, _ in ops) else owner
        if first is None:
            raise SeriesError('%s: its mode changes, and no Files: line claims it' % path)
        if base is None and owner is not None and first < owner:
            raise SeriesError('%s: an Edit: rule of patch %d adds to it before patch %d creates it'
                              % (path, first, owner))
        info['ops'] = ops
        info['born'] = owner if base is None and owner is not None else first
        # Mode changes go with the file's owner, else its first change.
        info['mode_at'] = owner if owner is not None else first
        return info

    def state(self, path, k):
        """(bytes or None, executable) of PATH after patch K."""
        f = self.files[path]
        if 'whole' in f:
            if f['whole'] == 0 or k < f['whole']:
                return f['base'], f['exec_base']
            return f['final'], f['exec_final']
        if f['base'] is None and k < f['born']:
            return None, False
        out = []
        for tag, data in f['ops']:
            if tag == 'equal':
                out += data
                continue
            out += [t for s, t, o in data if s == '-' and o > k]
            out += [t for s, t, o in data if s == '+' and o <= k]
        ex = f['exec_final'] if k >= f['mode_at'] else f['exec_base']
        return ''.join(out).encode('utf-8'), ex

    def lay(self, k, tree):
        """Make TREE hold the state after patch K; the paths rewritten."""
        changed = []
        for path in self.paths:
            data, ex = self.state(path, k)
            dst = os.path.join(tree, path)
            if data is None:
                if os.path.lexists(dst):
                    os.remove(dst)
                    changed.append(path)
                continue
            if read_file(tree, path) != data:
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                with open(dst, 'wb') as fo:
                    fo.write(data)
                changed.append(path)
            mode = 0o755 if ex else 0o644
            if os.stat(dst).st_mode & 0o777 != mode:
                os.chmod(dst, mode)
        return changed


def git_env():
    """An environment in which git ignores the user's configuration."""
    env = dict(os.environ)
    env.update({'GIT_CONFIG_GLOBAL': '/dev/null', 'GIT_CONFIG_NOSYSTEM': '1',
                'GIT_AUTHOR_NAME': IDENT[0], 'GIT_AUTHOR_EMAIL': IDENT[1],
                'GIT_COMMITTER_NAME': IDENT[0], 'GIT_COMMITTER_EMAIL': IDENT[1],
                'GIT_AUTHOR_DATE': DATE, 'GIT_COMMITTER_DATE': DATE})
    return env


def git(repo, *args, **kw):
    """Run git in REPO; its stdout."""
    return subprocess.run(['git', '-C', repo] + list(args), env=git_env(), check=True,
                          stdout=subprocess.PIPE, text=True, **kw).stdout


def base_repo(series, repo):
    """A fresh git repository at REPO holding the base of every touched path."""
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(repo)
    git(repo, 'init', '-q', '-b', 'series')
    # What is not UTF-8 text goes into the patches as a binary diff.
    with open(os.path.join(repo, '.git', 'info', 'attributes'), 'w') as f:
        for path in series.paths:
            info = series.files[path]
            if as_lines(info['base']) is None or as_lines(info['final']) is None:
                f.write('/%s binary\n' % path)
    series.lay(0, repo)
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'base: linux-source-6.12, the files the series touches')
    git(repo, 'tag', 'base')


def results_text():
    """What the last runs in build/out recorded, for the cover letter."""
    lines = []
    for pat, what in (('static.tap', 'static checks (checkpatch, kernel-doc, sparse, W=1, coccicheck)'),
                      ('host/*.tap', 'host unit tests and fuzzer corpora')):
        ok = bad = 0
        for p in glob.glob(os.path.join(OUT, pat)):
            t = open(p, errors='replace').read()
            ok += len(re.findall(r'^ok ', t, re.M))
            bad += len(re.findall(r'^not ok ', t, re.M))
        if ok or bad:
            lines.append('- %s: %d passed, %d failed' % (what, ok, bad))
    for run in ('bare', 'xen-ours', 'xen-ours-life', 'xen-stock'):
        p = os.path.join(OUT, run, 'results')
        if not os.path.exists(p):
            continue
        res = {}
        for ln in open(p, errors='replace'):
            f = ln.split()
            if len(f) >= 3 and f[0] == 'CASE':
                res[f[2]] = res.get(f[2], 0) + 1
        lines.append('- boot matrix, run %s: %s' % (
            run, ', '.join('%d %s' % (n, r) for r, n in sorted(res.items())) or 'no cases'))
    if not lines:
        return 'No test results were recorded in build/out when this was written.'
    return ('The last results recorded in build/out when this was written\n'
            '(make check):\n\n' + '\n'.join(lines))


def write(series, outdir):
    """Commit each patch in a scratch repository; format-patch to OUTDIR."""
    repo = os.path.join(WORK, 'work')
    base_repo(series, repo)
    sob = 'Signed-off-by: %s <%s>' % IDENT
    for k, p in enumerate(series.patches, 1):
        series.lay(k, repo)
        git(repo, 'add', '-A')
        msg = p['subject'] + '\n\n' + '\n'.join(p['body']) + '\n\n' + sob + '\n'
        git(repo, 'commit', '-q', '--allow-empty', '-F', '-', input=msg)
    shutil.rmtree(outdir, ignore_errors=True)
    git(repo, 'format-patch', '-q', '--no-renames', '--binary', '--cover-letter',
        '--no-signature', '--zero-commit', '-o', outdir, 'base..HEAD')
    cover = os.path.join(outdir, '0000-cover-letter.patch')
    text = open(cover).read()
    text = text.replace('*** SUBJECT HERE ***', 'Xen block and network split drivers, rewritten')
    text = text.replace('*** BLURB HERE ***', series.cover + '\n\n' + results_text())
    with open(cover, 'w') as f:
        f.write(text)
    return sorted(x for x in os.listdir(outdir) if x.endswith('.patch'))


class Tap:
    """TAP lines on stdout, and a failure count."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.lines = []

    def emit(self, ok, desc, detail=''):
        """One result; DETAIL goes below it as TAP comments."""
        self.n += 1
        self.failed += 0 if ok else 1
        self.lines.append('%s %d %s' % ('ok' if ok else 'not ok', self.n, desc))
        for ln in detail.rstrip('\n').split('\n') if detail.strip() else []:
            self.lines.append('# ' + ln)

    def done(self):
        """Print the plan and the results."""
        print('TAP version 13')
        print('1..%d' % self.n)
        print('\n'.join(self.lines))


# checkpatch's tests that do not apply to some files, with their reasons:
# pipeline/checkpatch-ignores.tbl, which static-checks.sh reads too.
IGNORES_TBL = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           'checkpatch-ignores.tbl')


def read_ignores(path=IGNORES_TBL):
    """The table's rows as (path prefix, (type, ...)) pairs."""
    rows = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            pre, types = (c.strip() for c in line.split('|'))
            rows.append((pre, tuple(t for t in types.split(',') if t)))
    return rows


def checkpatch_ignores(patch):
    """checkpatch's --ignore for the files PATCH changes, or []."""
    files = set()
    with open(patch, errors='replace') as f:
        for line in f:
            m = re.match(r'^diff --git a/(\S+) b/(\S+)', line)
            if m:
                files.update(m.groups())
    types = sorted({t for pre, ts in read_ignores() for t in ts
                    if any(f.startswith(pre) for f in files)})
    return ['--ignore', ','.join(types)] if types else []


def check(outdir):
    """The checks of the series (TAP); returns the number that failed."""
    tap = Tap()
    try:
        series = Series()
        names = write(series, outdir)
        tap.emit(True, 'series: %d patches cover every change of the tree' % len(series.patches))
    except (SeriesError, subprocess.CalledProcessError) as e:
        tap.emit(False, 'series: written', str(e))
        tap.done()
        return tap.failed
    pats = [n for n in names if not n.startswith('0000-')]

    def run(cmd):
        return subprocess.run(cmd, cwd=SRC, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)

    def checkpatch(n):
        p = os.path.join(outdir, n)
        return run(['perl', 'scripts/checkpatch.pl', '--strict', '--terse', '--no-summary',
                    '--show-types'] + checkpatch_ignores(p) + [p])

    def maintainers(n):
        return run(['perl', 'scripts/get_maintainer.pl', '--no-git', '--no-git-fallback',
                    '--no-rolestats', os.path.join(outdir, n)])

    # Two at a time (the machine's cores); reported in the series' order.
    # The first alone: checkpatch writes its cache of CamelCase names on
    # its first run in a tree, which the others would read half-written.
    cps = [checkpatch(n) for n in pats[:1]]
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        cps += list(pool.map(checkpatch, pats[1:]))
        gms = list(pool.map(maintainers, pats))
    for n, r in zip(pats, cps):
        tap.emit(r.returncode == 0 and not r.stdout.strip(), 'checkpatch --strict ' + n, r.stdout)
    for n, r in zip(pats, gms):
        to = [ln for ln in r.stdout.split('\n') if ln.strip()]
        # The list that reviews Xen's code must be among them.
        xen = any('xen-devel@lists.xenproject.org' in ln for ln in to)
        tap.emit(r.returncode == 0 and xen, 'get_maintainer %s: %s' % (n, ', '.join(to)),
                 '' if xen else r.stdout)
    # git am of the whole series onto the base, then the result against
    # the prepared tree: every touched path, content and mode.
    repo = os.path.join(WORK, 'am')
    base_repo(series, repo)
    r = subprocess.run(['git', '-C', repo, 'am', '-q'] + [os.path.join(outdir, n) for n in pats],
                       env=git_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tap.emit(r.returncode == 0, 'git am of %d patches onto the base' % len(pats), r.stdout)
    diff = []
    for path in series.paths:
        want = read_file(SRC, path)
        got = read_file(repo, path)
        if want != got:
            diff.append('%s: %s' % (path, 'differs' if want is not None and got is not None else
                                    'missing after git am' if want is not None else 'left by git am'))
        elif want is not None and is_exec(SRC, path) != is_exec(repo, path):
            diff.append('%s: mode differs' % path)
    tap.emit(not diff and r.returncode == 0,
             'the series ends at the prepared tree (%d paths compared)' % len(series.paths),
             '\n'.join(diff[:40]))
    # Nothing else of the prepared tree differs from the base: every file
    # (-N: one only in either tree counts as differing), through the
    # trees' own paths even where build/base is a symbolic link.
    # Not files of the tree: our build's stamps, and the cache that
    # checkpatch --strict leaves at the top of the tree it runs in.
    r = subprocess.run(['diff', '-rqN', '--no-dereference', '-x', '.stamp', '-x', '.xenpv-overlay',
                        '-x', '.checkpatch-camelcase.*', BASE + '/', SRC + '/'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    extra = []
    touched = set(series.paths)
    for ln in r.stdout.split('\n'):
        if not ln:
            continue
        m = re.match(r'Files (.+) and (.+) differ$', ln)
        path = os.path.relpath(m.group(1), BASE) if m else None
        if path not in touched:
            extra.append(ln if path is None else path)
    tap.emit(r.returncode in (0, 1) and not extra,
             'the prepared tree differs from the base only in the series\' paths',
             '\n'.join(extra[:40]))
    tap.done()
    return tap.failed


def main(argv):
    """Command line: see the module's docstring."""
    outdir = os.path.join(OUT, 'patches')
    try:
        if argv[1:] == ['write']:
            series = Series()
            for n in write(series, outdir):
                print(os.path.join(outdir, n))
        elif argv[1:] == ['check']:
            return 1 if check(outdir) else 0
        elif argv[1:] == ['count']:
            print(len(Series().patches))
        elif len(argv) == 4 and argv[1] == 'lay':
            series = Series()
            for p in series.lay(int(argv[2]), argv[3]):
                print(p)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except SeriesError as e:
        die(str(e))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
