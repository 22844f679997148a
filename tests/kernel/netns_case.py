# SPDX-License-Identifier: MIT
"""What the small differential tests of this directory share (diff_tw_overflow.py,
diff_fin_timeout.py): the shipped scenario they run, and their own "real"
half run in a fresh network namespace with loopback up."""

import argparse
import json
import os
import subprocess

# the same lookups as the other differential tests of this directory
from diff_semantics import find_socksim, namespaces_available

__all__ = ["PYTHON", "SKIP", "command_line", "run_real", "scenario"]

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
SKIP = 77


def scenario(name):
    """The path of scenarios/tcp/NAME."""
    return os.path.join(os.path.dirname(os.path.dirname(HERE)), "scenarios", "tcp", name)


def run_real(script, *args):
    """`script real ARGS...` in a fresh namespace: (its JSON object, None) or (None, stderr)."""
    cmd = "ip link set lo up && exec %s %s real %s" % (
        PYTHON, os.path.abspath(script), " ".join(str(a) for a in args))
    p = subprocess.run(["unshare", "-n", "sh", "-c", cmd], capture_output=True, text=True,
                       timeout=60)
    if p.returncode != 0:
        return None, p.stderr.strip()
    return json.loads(p.stdout), None


def command_line(doc):
    """The socksim binary of `--socksim PATH` (or the default), or None, after
    printing why, when network namespaces are not available (skip)."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--socksim")
    args = ap.parse_args()
    if not namespaces_available():
        print("SKIP: network namespaces are not available (needs root and unshare -n)")
        return None
    return find_socksim(args.socksim)
