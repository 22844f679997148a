#!/usr/bin/python3
"""Memcheck tier (issue #13): socksim under valgrind on a representative set.

    run_valgrind.py SOCKSIM SOURCE_ROOT

Runs a TCP scenario with every output, a vsock scenario, a scenario that
ends with calls still blocked, `check`, a small sweep (its runs under
valgrind too) and a report on it, each under `valgrind --tool=memcheck`.
Any invalid read or write, use of an uninitialised value, invalid free or
definitely lost block fails the test (valgrind exits 99); the first lines
of valgrind's report are printed.  Skipped (exit 77) when valgrind is not
installed; the sanitizer build does not register this test (ASan and
valgrind do not mix).
"""
import os
import shutil
import subprocess
import sys
import tempfile

VALGRIND_ERROR = 99


def valgrind_cmd(log):
    return ["valgrind", "--tool=memcheck", "--error-exitcode=%d" % VALGRIND_ERROR,
            "--leak-check=full", "--errors-for-leak-kinds=definite",
            "--show-leak-kinds=definite", "--track-origins=yes",
            # sweep runs each point as a child socksim; gnuplot is not ours.
            "--trace-children=yes", "--trace-children-skip=*gnuplot*,*/sh,*/bash",
            "--log-file=" + log]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    socksim, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if shutil.which("valgrind") is None:
        print("SKIP: valgrind is not installed (tools/setup.sh installs it)")
        return 77
    env = dict(os.environ, G_SLICE="always-malloc", G_DEBUG="gc-friendly")
    tcp = os.path.join(src, "scenarios", "tcp")
    vsock = os.path.join(src, "scenarios", "vsock")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="socksim-valgrind-") as tmp:
        runs = [
            ("tcp-all-outputs", ["run", os.path.join(tcp, "send-loss-5.scn"),
                                 "--trace", "t.txt", "--results", "r.json",
                                 "--pcap", "p.pcapng", "--timeline", "tl.json"], 0),
            ("tcp-jsonl", ["run", os.path.join(tcp, "syn-lost-once.scn"),
                           "--trace-format", "jsonl", "--trace", "t.jsonl"], 0),
            ("vsock", ["run", os.path.join(vsock, "bulk-buf-alloc.scn"),
                       "--trace", "none", "--results", "v.json", "--pcap", "v.pcapng"], 0),
            ("blocked-at-end", ["run", os.path.join(tcp, "syn-timeout-6x.scn"),
                                "--until", "10s", "--trace", "none"], 3),
            ("check", ["check", os.path.join(tcp, "app-timeout-1s.scn")], 0),
            ("sweep", ["sweep", os.path.join(tcp, "syn-lost-once.scn"), "--out", "sw",
                       "--seeds", "2", "--jobs", "1", "--keep-results"], 0),
            ("report", ["report", "sw", "--out", "rep"], 0),
        ]
        for name, args, want in runs:
            log = os.path.join(tmp, name + ".%p.log")
            p = subprocess.run(valgrind_cmd(log) + [socksim] + args, cwd=tmp, env=env,
                               capture_output=True, text=True, timeout=900)
            ok = p.returncode == want
            print("%-18s exit %d (want %d) %s" % (name, p.returncode, want, "ok" if ok else "FAILED"))
            if not ok:
                failed += 1
                print(p.stderr[-3000:])
                for f in sorted(os.listdir(tmp)):
                    if f.startswith(name + ".") and f.endswith(".log"):
                        with open(os.path.join(tmp, f)) as lf:
                            text = lf.read()
                        if "ERROR SUMMARY: 0 errors" not in text:
                            print("== %s\n%s" % (f, text[-6000:]))
    print("%d of %d runs failed under memcheck" % (failed, len(runs)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
