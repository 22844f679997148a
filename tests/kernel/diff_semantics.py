#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test of syscall semantics: socksim against the running kernel.

For every case of real_semantics.py (a fixed sequence of calls on loopback,
in a fresh network namespace) this runs the case's shipped scenario
(scenarios/tcp/epoll-semantics.scn, poll-many.scn, read-write-ioctl.scn,
reuseaddr-bind.scn, tcp-inq.scn) with socksim and compares the compared calls of the case (epoll: epoll_ctl
and epoll_wait; poll: poll; rw: socket, fcntl, accept4, read, write,
sendmsg, recvmsg, ioctl; reuse: bind, listen; inq: setsockopt, getsockopt
and its value, recvmsg and its TCP_CM_INQ value, read, write) one by one, in order: the return value (a new
descriptor only as "a descriptor"), the errno, an ioctl's value, and the
events reported -- descriptor (by the name of the scenario
variable it was bound to) and mask, in the order the kernel's ready list
gave them (epoll_wait) or the array's (poll's revents).  Times
are not compared (every call here returns at once or after a timeout).

Exit status: 0 every case agrees, 1 a mismatch or a failed run, 77 (skip)
when network namespaces are not available (not root, no unshare(1)).

Usage: diff_semantics.py [--cases a,b] [--socksim PATH]
Environment: SOCKSIM (binary), SOCKSIM_BUILD_ROOT, SOCKSIM_SOURCE_ROOT.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCN_DIR = os.path.join(os.path.dirname(os.path.dirname(HERE)), "scenarios")
PYTHON = "/usr/bin/python3"
SKIP = 77

# case -> (its scenario under scenarios/, the calls compared; the real side
# records exactly these, in order)
CASES = {
    "epoll": ("tcp/epoll-semantics.scn", ("epoll_ctl", "epoll_wait")),
    "poll": ("tcp/poll-many.scn", ("poll",)),
    "rw": ("tcp/read-write-ioctl.scn", ("socket", "fcntl", "accept4", "read", "write",
                                        "sendmsg", "recvmsg", "ioctl")),
    "reuse": ("tcp/reuseaddr-bind.scn", ("bind", "listen")),
    "inq": ("tcp/tcp-inq.scn", ("setsockopt", "getsockopt", "recvmsg", "read", "write")),
}
# calls whose return is a new descriptor: compared as "fd" (numbers differ per process)
NEW_FD = ("socket", "accept4", "accept")

ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(socket|accept4?|epoll_create1?|open)\(")


def find_socksim(explicit):
    if explicit:
        return explicit
    if os.environ.get("SOCKSIM"):
        return os.environ["SOCKSIM"]
    root = os.environ.get("SOCKSIM_BUILD_ROOT") or \
        os.path.join(os.environ.get("SOCKSIM_SOURCE_ROOT",
                                    os.path.dirname(os.path.dirname(HERE))), "build")
    return os.path.join(root, "socksim")


def run_real(case):
    cmd = ["unshare", "-n", "sh", "-c",
           "ip link set lo up && exec %s %s case %s" %
           (PYTHON, os.path.join(HERE, "real_semantics.py"), case)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        return None, p.stderr.strip()
    return json.loads(p.stdout), None


def run_sim(binary, scn, calls):
    """The compared calls of the scenario, from its JSONL trace."""
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.jsonl")
        p = subprocess.run([binary, "run", os.path.join(SCN_DIR, scn),
                            "--trace", trace, "--trace-format", "jsonl"],
                           capture_output=True, text=True, timeout=120)
        if p.returncode not in (0, 1):
            return None, "socksim exited %d: %s" % (p.returncode, p.stderr.strip())
        with open(trace) as f:
            lines = [json.loads(x) for x in f]
    names, steps, pending = {}, [], {}
    for ev in lines:
        if ev.get("event") == "sys_enter":
            pending[ev["obj"]] = ev.get("args", "")
        elif ev.get("event") == "sys_exit":
            args = pending.pop(ev["obj"], "")
            m = ASSIGN.match(args)
            if m and ev["ret"] >= 0:
                names[ev["ret"]] = m.group(1)
            if ev["call"] == "close" and ev["ret"] == 0:
                fd = args[len("close("):-1]
                names = {k: v for k, v in names.items() if v != fd and str(k) != fd}
            if ev["call"] not in calls:
                continue
            evs = None
            if ev["call"] in ("epoll_wait", "poll") and ev["ret"] >= 0:
                evs = []
                for item in filter(None, str(ev.get("events", "")).split(",")):
                    fd, mask = item.split(":")
                    evs.append([names.get(int(fd), fd), int(mask, 16)])
            if "out" in ev and ev["call"] in ("poll", "ioctl", "getsockopt", "recvmsg"):
                # poll() on one descriptor reports its revents as out, ioctl() and
                # getsockopt() their value, recvmsg() its TCP_CM_INQ control message
                evs = [[args[len(ev["call"]) + 1:].split(",")[0], ev["out"]]]
            ret = "fd" if ev["call"] in NEW_FD and ev["ret"] >= 0 else ev["ret"]
            steps.append([ev["call"], ret, ev.get("errno"), evs])
    return steps, None


def namespaces_available():
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases")
    ap.add_argument("--socksim")
    args = ap.parse_args()
    if not namespaces_available():
        print("SKIP: network namespaces are not available (needs root and unshare -n)")
        return SKIP
    binary = find_socksim(args.socksim)
    cases = args.cases.split(",") if args.cases else sorted(CASES)
    bad = 0
    for case in cases:
        real, err = run_real(case)
        for step in real or []:
            if step[0] in NEW_FD and step[1] >= 0:
                step[1] = "fd"
        if real is None:
            print("FAIL %s: the real-kernel run failed: %s" % (case, err))
            bad += 1
            continue
        sim, err = run_sim(binary, *CASES[case])
        if sim is None:
            print("FAIL %s: %s" % (case, err))
            bad += 1
            continue
        mism = []
        for i in range(max(len(real), len(sim))):
            r = real[i] if i < len(real) else None
            s = sim[i] if i < len(sim) else None
            if r != s:
                mism.append("  step %d: kernel %s, socksim %s" % (i + 1, r, s))
        if mism:
            print("FAIL %s: %d of %d steps differ" % (case, len(mism), len(real)))
            print("\n".join(mism))
            bad += 1
        else:
            print("ok   %s: %d steps agree" % (case, len(real)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
