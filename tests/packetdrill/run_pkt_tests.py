#!/usr/bin/python3
"""socksim's own packetdrill-notation scripts (tests/packetdrill/).

    run_pkt_tests.py SOCKSIM DIR [--update]

- DIR/*.pkt: `socksim check` exits 0; `socksim run` exits 0 (every packet,
  syscall result and tcpi_* assertion holds) and a second run gives a
  byte-identical JSONL trace.
- DIR/fail/*.pkt: `socksim run` exits 1 and prints exactly fail/NAME.out
  (each failed expectation, expected vs actual, with its script line).
- DIR/errors/*.pkt: `socksim check` exits 2 and prints exactly
  errors/NAME.err (file:line:col: error: ...).
`--update` rewrites the .out and .err files; review them before committing.
"""
import os
import subprocess
import sys


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def golden(path, got, update):
    if update:
        with open(path, "w") as f:
            f.write(got)
        return True
    want = open(path).read() if os.path.exists(path) else "<missing %s>" % os.path.basename(path)
    if got != want:
        print("  want: %s\n  got:  %s" % (want, got))
        return False
    return True


def main():
    socksim, folder = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    update = "--update" in sys.argv
    failed = total = 0
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".pkt")):
        total += 1
        chk = run([socksim, "check", name], folder)
        traces = []
        ok = chk.returncode == 0
        for _ in range(2):
            r = run([socksim, "run", name, "--trace", "-", "--trace-format", "jsonl"], folder)
            ok = ok and r.returncode == 0
            traces.append(r.stdout)
            if r.returncode != 0:
                print(r.stdout[-2000:], r.stderr)
        ok = ok and traces[0] == traces[1] and traces[0] != ""
        print("%s %s" % ("ok  " if ok else "FAIL", name))
        failed += not ok
    for sub, cmd, status, ext in (("fail", "run", 1, ".out"), ("errors", "check", 2, ".err")):
        d = os.path.join(folder, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(f for f in os.listdir(d) if f.endswith(".pkt")):
            total += 1
            extra = ["--trace", "none"] if cmd == "run" else []
            r = run([socksim, cmd, name] + extra, d)
            got = r.stdout + r.stderr if cmd == "run" else r.stderr
            ok = golden(os.path.join(d, name[:-4] + ext), got, update) and (update or r.returncode == status)
            if not ok:
                print("  exit %d (want %d)" % (r.returncode, status))
            print("%s %s/%s" % ("ok  " if ok else "FAIL", sub, name))
            failed += not ok
    print("%d scripts, %d failed" % (total, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
