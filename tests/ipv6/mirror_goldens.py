#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The v4-mapped mirrors behave exactly as their IPv4 originals.

For every scenarios/ipv6/mapped-NAME.scn (an IPv4 scenario of scenarios/tcp/
with AF_INET6 sockets and ::ffff:a.b.c.d addresses), its golden
tests/golden/ipv6-mapped-NAME.golden must equal tests/golden/tcp-NAME.golden
record for record: same calls, return times, results and state transitions.
Only the title line and the source line numbers (the mirror has a longer
header comment) are left out of the comparison.

Usage: mirror_goldens.py SOURCE_ROOT
"""

import glob
import os
import re
import sys


def records(path):
    with open(path) as f:
        lines = f.read().splitlines()
    return [re.sub(r"\bline +\d+ ", "line N ", l) for l in lines[1:]]


def main(argv):
    root = argv[0] if argv else "."
    mirrors = sorted(glob.glob(os.path.join(root, "scenarios", "ipv6", "mapped-*.scn")))
    if not mirrors:
        print("FAIL: no scenarios/ipv6/mapped-*.scn")
        return 1
    bad = 0
    for scn in mirrors:
        name = os.path.basename(scn)[len("mapped-"):-len(".scn")]
        mine = os.path.join(root, "tests", "golden", "ipv6-mapped-%s.golden" % name)
        orig = os.path.join(root, "tests", "golden", "tcp-%s.golden" % name)
        a, b = records(mine), records(orig)
        if a != b:
            bad += 1
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            print("FAIL %s: record %d differs:\n  v6: %s\n  v4: %s" % (
                name, first + 2, a[first] if first < len(a) else "(end)",
                b[first] if first < len(b) else "(end)"))
        else:
            print("ok   %s (%d records)" % (name, len(a)))
    print("%d of %d mirrors agree with IPv4" % (len(mirrors) - bad, len(mirrors)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
