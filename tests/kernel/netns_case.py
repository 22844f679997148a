# SPDX-License-Identifier: MIT
"""What the small differential tests of this directory share (diff_tw_overflow.py,
diff_fin_timeout.py): the shipped scenario they run, and their own "real"
half run in a fresh network namespace with loopback up."""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile

# the same lookups as the other differential tests of this directory
from diff_semantics import find_socksim, namespaces_available

__all__ = ["PYTHON", "SKIP", "command_line", "compare_main", "connected_pair", "proc_counter",
           "run_real", "run_socksim", "scenario", "time_wait_entries"]

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


def proc_counter(name):
    """A MIB counter of this namespace by its name in /proc/net/snmp or /proc/net/netstat."""
    for path in ("/proc/net/snmp", "/proc/net/netstat"):
        with open(path) as f:
            lines = f.read().splitlines()
        for head, vals in zip(lines[0::2], lines[1::2]):
            keys, nums = head.split()[1:], vals.split()[1:]
            if name in keys:
                return int(nums[keys.index(name)])
    raise KeyError(name)


def time_wait_entries():
    """TIME_WAIT entries of this namespace (/proc/net/tcp state 06)."""
    with open("/proc/net/tcp") as f:
        return sum(1 for line in f.readlines()[1:] if line.split()[3] == "06")


def connected_pair(backlog=16):
    """A listener on 127.0.0.1:80, a client connected to it and the accepted socket."""
    lsn = socket.socket()
    lsn.bind(("127.0.0.1", 80))
    lsn.listen(backlog)
    c = socket.socket()
    c.connect(("127.0.0.1", 80))
    a, _ = lsn.accept()
    return lsn, c, a


def run_socksim(binary, scn, *extra):
    """`socksim run` of @scn (and @extra options): its JSONL trace events and results counters."""
    with tempfile.TemporaryDirectory() as tmp:
        trace, res = os.path.join(tmp, "t.jsonl"), os.path.join(tmp, "r.json")
        p = subprocess.run([binary, "run", scn, "--trace", trace, "--trace-format", "jsonl",
                            "--results", res] + list(extra), capture_output=True, text=True,
                           timeout=60)
        if p.returncode not in (0, 1):
            raise RuntimeError("socksim exited %d: %s" % (p.returncode, p.stderr.strip()))
        with open(trace) as f:
            events = [json.loads(x) for x in f]
        with open(res) as f:
            counters = json.load(f)["counters"]
    return events, counters


def compare_main(doc, script, real, simulated, keys):
    """main() of a test whose one real run (real(), in a namespace) and one
    simulated(binary) each give a JSON object, compared key by key."""
    if sys.argv[1:] == ["real"]:
        return real()
    binary = command_line(doc)
    if binary is None:
        return SKIP
    kernel, err = run_real(script)
    if kernel is None:
        print("FAIL: the real-kernel run failed: %s" % err)
        return 1
    try:
        sim = simulated(binary)
    except (OSError, RuntimeError, ValueError, KeyError) as e:
        print("FAIL: the socksim run failed: %s" % e)
        return 1
    bad = 0
    for key in keys:
        ok = kernel[key] == sim[key]
        bad += not ok
        print("%s %-15s kernel %s, socksim %s" % ("ok  " if ok else "FAIL", key, kernel[key], sim[key]))
    return 1 if bad else 0
