#!/usr/bin/python3
"""tools/run-packetdrill-suite on a checkout made of socksim's own scripts
(packetdrill's are never fetched by a test): one script that passes, one
that fails; the failure is unexpected until EXPECTED_FAILURES lists it, and
a listed script that passes is reported too.  With a REAL_KERNEL record (the
real kernel's outcomes) the tool reports agreement: both pass, or both fail at
the same line; a changed agreement is unexpected until --update-expected."""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    socksim, tool, here = sys.argv[1:4]
    with tempfile.TemporaryDirectory(prefix="pd-suite-") as tmp:
        tcp = os.path.join(tmp, "gtests", "net", "tcp")
        for fam, src in (("blocking", "connect-client.pkt"), ("close", "fail/wrong-result.pkt"),
                         ("fastopen", "rst-refused.pkt")):
            os.makedirs(os.path.join(tcp, fam), exist_ok=True)
            shutil.copy(os.path.join(here, src), os.path.join(tcp, fam, os.path.basename(src)))
        exp = os.path.join(tmp, "EXPECTED_FAILURES")
        real = os.path.join(tmp, "REAL_KERNEL")

        def run(*extra):
            return subprocess.run([tool, tmp, "--socksim", socksim, "--expected", exp,
                                   "--real", real] + list(extra),
                                  capture_output=True, text=True)

        bad = []
        p = run()
        if p.returncode != 1 or "1 passed, 1 failed" not in p.stdout or \
           "unexpected: close/wrong-result.pkt fails: line 3: expectation failed" not in p.stdout or \
           "PASS  blocking/connect-client.pkt" not in p.stdout or "fastopen" in p.stdout:
            bad.append("first run (nothing expected):\n" + p.stdout + p.stderr)
        p = run("--update-expected")
        text = open(exp).read() if os.path.exists(exp) else ""
        if p.returncode != 0 or "close/wrong-result.pkt" not in text or "connect-client" in text:
            bad.append("--update-expected:\n" + p.stdout + text)
        p = run()
        if p.returncode != 0 or "unexpected" in p.stdout:
            bad.append("second run (failure listed):\n" + p.stdout)
        with open(exp, "a") as f:
            f.write("blocking/connect-client.pkt  listed but passes\n")
        p = run()
        if p.returncode != 1 or "blocking/connect-client.pkt passes but is listed" not in p.stdout:
            bad.append("third run (a listed script passes):\n" + p.stdout)
        # the real kernel's outcomes: the passing script agrees, the failing one
        # fails at line 3 in socksim but at line 9 on the "real kernel": differs
        with open(exp, "w") as f:
            f.write("close/wrong-result.pkt  listed\n")
        with open(real, "w") as f:
            f.write("# header\n"
                    "blocking/connect-client.pkt  ?  PASS\n"
                    "close/wrong-result.pkt  ?  line 9: timing error\n")
        p = run()
        if p.returncode != 1 or "1 agree with the real kernel, 1 differ" not in p.stdout or \
           "[real kernel: PASS; agrees]" not in p.stdout or \
           "[real kernel: fails line 9; DIFFERS]" not in p.stdout or \
           "close/wrong-result.pkt now differs with the real kernel" not in p.stdout:
            bad.append("real kernel record, agreement unknown:\n" + p.stdout)
        p = run("--update-expected")
        text = open(real).read()
        if p.returncode != 0 or not text.startswith("# header\n") or \
           not any(l.split() == ["close/wrong-result.pkt", "differs", "line", "9:", "timing", "error"]
                   for l in text.splitlines()):
            bad.append("--update-expected with a real kernel record:\n" + p.stdout + text)
        with open(real, "w") as f:
            f.write("blocking/connect-client.pkt  agrees  PASS\n"
                    "close/wrong-result.pkt  agrees  UNSTABLE: PASS | line 3: expected x\n")
        p = run()
        if p.returncode != 0 or "2 agree with the real kernel, 0 differ" not in p.stdout:
            bad.append("both fail at the same line (one of an UNSTABLE outcome):\n" + p.stdout)
        p = subprocess.run([tool, os.path.join(tmp, "nowhere"), "--socksim", socksim],
                           capture_output=True, text=True)
        if p.returncode != 2 or "no gtests/net/tcp" not in p.stderr:
            bad.append("a path without scripts:\n" + p.stderr)
    for b in bad:
        print("FAIL", b)
    print("%d checks failed" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
