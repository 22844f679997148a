#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden tests for the scenario parser.

usage: run_errors.py [--update] CHECKER DIR...

For every NAME.scn in each DIR (sorted), runs `CHECKER [ARGS] NAME.scn` in
DIR and compares its stdout with NAME.err (a one-line error message; the
checker must exit 1) or NAME.ast (the AST dump; the checker must exit 0).
ARGS come from an optional first line "# args: --set x=1 ...".

--update rewrites NAME.err / NAME.ast from the current output (a new .scn
gets .err or .ast depending on whether it parses).  Review the diff.
"""
import difflib
import os
import shlex
import subprocess
import sys

ARGS_PREFIX = "# args:"


def case_args(scn):
    with open(scn, encoding="utf-8", errors="replace") as f:
        first = f.readline()
    if first.startswith(ARGS_PREFIX):
        return shlex.split(first[len(ARGS_PREFIX):])
    return []


def run_case(checker, d, name, update):
    scn = name + ".scn"
    errf, astf = os.path.join(d, name + ".err"), os.path.join(d, name + ".ast")
    args = [checker] + case_args(os.path.join(d, scn)) + [scn]
    env = dict(os.environ, LC_ALL="C")
    try:
        p = subprocess.run(args, cwd=d, capture_output=True, timeout=20, env=env)
    except subprocess.TimeoutExpired:
        return "%s: timed out" % scn
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode not in (0, 1) or p.stderr:
        return "%s: checker exited %d\n%s" % (scn, p.returncode,
                                             p.stderr.decode("utf-8", "replace"))
    if update:
        new, old = (errf, astf) if p.returncode == 1 else (astf, errf)
        with open(new, "w", encoding="utf-8") as f:
            f.write(out)
        if os.path.exists(old):
            os.unlink(old)
        return None
    if os.path.exists(errf):
        want_rc, path = 1, errf
    elif os.path.exists(astf):
        want_rc, path = 0, astf
    else:
        return "%s: no %s.err or %s.ast (run with --update)" % (scn, name, name)
    with open(path, encoding="utf-8") as f:
        want = f.read()
    if p.returncode != want_rc:
        return "%s: checker exited %d, expected %d; output:\n%s" % (
            scn, p.returncode, want_rc, out)
    if want_rc == 1 and want.count("\n") != 1:
        return "%s: must hold exactly one line" % path
    if out != want:
        diff = difflib.unified_diff(want.splitlines(True), out.splitlines(True),
                                    path, "actual")
        return "%s: output differs\n%s" % (scn, "".join(diff))
    return None


def main(argv):
    update = "--update" in argv
    argv = [a for a in argv if a != "--update"]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    checker, dirs = os.path.abspath(argv[0]), argv[1:]
    failures, count = [], 0
    for d in dirs:
        names = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".scn"))
        if not names:
            failures.append("%s: no .scn files" % d)
        for f in sorted(os.listdir(d)):
            base, ext = os.path.splitext(f)
            if ext in (".err", ".ast") and base not in names:
                failures.append("%s: %s has no %s.scn" % (d, f, base))
        for name in names:
            count += 1
            msg = run_case(checker, d, name, update)
            status = "ok" if msg is None else "FAIL"
            print("%s %d - %s/%s" % (status, count, os.path.basename(d), name))
            if msg:
                failures.append(msg)
    for msg in failures:
        print(msg, file=sys.stderr)
    print("%d cases, %d failures" % (count, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
