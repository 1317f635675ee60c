#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""kdoc-coverage.py FILE...: every non-static function has kernel-doc.

A function definition starts at column 0, is not static and is followed
(on its own or a later line) by "{" at column 0 before any ";".  Its
kernel-doc is a "/**" comment that ends on the line right above it.
Prints one line per undocumented function; exits 1 if there is any.
"""
import re
import sys

SIG = re.compile(r'^(?!static\b|typedef\b|struct\b.*;|enum\b|union\b|extern\b)'
                 r'[A-Za-z_][\w \t\*]*?\b(\w+)\s*\(')


def undocumented(path):
    lines = open(path, errors='replace').read().split('\n')
    out = []
    for i, line in enumerate(lines):
        m = SIG.match(line)
        if not m or line.rstrip().endswith(';'):
            continue
        # A definition: the body opens at column 0 before any ';'.
        j = i
        while j < len(lines) and not lines[j].startswith('{'):
            if lines[j].rstrip().endswith(';') or (j > i and lines[j][:1] not in (' ', '\t', '')):
                break
            j += 1
        if j >= len(lines) or not lines[j].startswith('{'):
            continue
        k = i - 1
        if k >= 0 and lines[k].strip() == '*/':
            while k >= 0 and not lines[k].startswith('/*'):
                k -= 1
            if k >= 0 and lines[k].startswith('/**'):
                continue
        out.append('%s:%d: %s() has no kernel-doc' % (path, i + 1, m.group(1)))
    return out


def main():
    bad = []
    for f in sys.argv[1:]:
        bad += undocumented(f)
    print('\n'.join(bad)) if bad else None
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
