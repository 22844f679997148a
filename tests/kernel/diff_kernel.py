#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test: socksim against the real Linux kernel.

For every case of real_kernel.py this runs the matching scenario of
tests/kernel/scenarios/ with socksim, under the profile of the running kernel
(the same version, else the nearest older profile; the report names it), measures the same thing on the running
kernel (loopback, one fresh network namespace per case, see real_kernel.py)
and compares the calls of process "cli" one by one:

connect() cases -- every connect():
  * same return value and errno;
  * return time, measured from the first compared connect() call, within a
    one-sided tolerance: real >= sim - 5 ms and
    real <= sim + max(200 ms, 5% of sim) (real timers only ever fire late:
    timer wheel, HZ=250 gives up to 256 ms per 4 s timer).

send() cases -- every send(), with runs of successful calls merged into one
"ok" step (a non-blocking loop takes a different number of calls on each
side), so that the compared sequence is e.g. "ok, EAGAIN, EAGAIN":
  * same sequence of steps: ok / errno / killed by a signal;
  * SIGPIPE raised by each failing call, where the real side can see it
    (disposition "block" there; socksim's trace always shows it);
  * times of each step's last return, same tolerance as above;
  * bytes EXACTLY: the return value of every successful call, call by call
    (the real kernel gives the same counts on every run for every send case,
    MEASURED.md "Send byte counts"); the ratio real/sim of the step is shown.

A case with "xfail" in SIM_CASES is a known model discrepancy: its failure
is reported as XFAIL with the note and does not fail the test; if it passes,
it is reported as XPASS and fails the test, so that the mark gets removed.

Exit status: 0 all cases agree; 1 a mismatch, a failed socksim run or a missing
socksim binary; 77 (skip) when network namespaces are not available here
(not root, unshare(1) missing or refused).  ctest needs the test property
SKIP_RETURN_CODE 77 to report the skip; Meson treats 77 as a skip by itself.

Usage: diff_kernel.py [--cases a,b] [--real-json FILE] [--save-real FILE]
                      [--keep DIR] [--socksim PATH]
Environment: SOCKSIM (binary), SOCKSIM_BUILD_ROOT, SOCKSIM_SOURCE_ROOT.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, HERE)
import real_kernel  # noqa: E402

SCN_DIR = os.path.join(HERE, "scenarios")
MS = 1000000
# the measured connect() starts at this time in every scenario
SIM_START_MS = 100
SIM_PROC = "cli"

SKIP = 77


def syn_sets(r, l):
    return ["net.ipv4.tcp_syn_retries=%d" % r,
            "net.ipv4.tcp_syn_linear_timeouts=%d" % l]


def giveup_set(ideal_ms):
    return ["giveup=%dms" % (SIM_START_MS + ideal_ms)]


# case -> scenario file, --set values, ideal return times (ms after the first
# connect() was issued, one per compared call; facts-sheet arithmetic without
# timer-wheel lateness, confirmed on Linux 6.18, see MEASURED.md)
def _giveup(r, l, ideal):
    return {"scn": "syn-giveup.scn", "sets": syn_sets(r, l) + giveup_set(ideal),
            "ideal_ms": [ideal]}


def _syncnt(n, ideal):
    return {"scn": "syn-giveup-syncnt.scn",
            "sets": syn_sets(6, 4) + ["syncnt=%d" % n] + giveup_set(ideal),
            "ideal_ms": [ideal]}


SIM_CASES = {
    "syn-r1-l0": _giveup(1, 0, 3000),
    "syn-r2-l0": _giveup(2, 0, 7000),
    "syn-r1-l1": _giveup(1, 1, 4000),
    "syn-r1-l2": _giveup(1, 2, 3000),
    "syn-r2-l1": _giveup(2, 1, 8000),
    "syncnt1-l4": _syncnt(1, 3000),
    "syncnt2-l4": _syncnt(2, 7000),
    "user-timeout-2500": {"scn": "user-timeout.scn", "sets": syn_sets(6, 4),
                          "ideal_ms": [2500]},
    "refused": {"scn": "refused.scn", "sets": syn_sets(6, 4), "ideal_ms": [0]},
    "sndtimeo-500": {"scn": "sndtimeo.scn", "sets": syn_sets(6, 4),
                     "ideal_ms": [500, 1000]},
    "sig-eintr": {"scn": "sig-eintr.scn", "sets": syn_sets(1, 0),
                  "ideal_ms": [300, 3000]},
    "sig-restart": {"scn": "sig-restart.scn", "sets": syn_sets(1, 0),
                    "ideal_ms": [3000]},
    "sig-restart-sndtimeo": {"scn": "sig-restart-sndtimeo.scn",
                             "sets": syn_sets(1, 0), "ideal_ms": [300]},
    # send() cases: "ideal_ms" per step (a run of ok calls is one step), from
    # the first send(); "call": "send" selects the step comparison
    "send-nb-fill": {"scn": "send-nb-fill.scn", "call": "send",
                     "ideal_ms": [0, 0, 0]},
    "send-sndtimeo-500": {"scn": "send-sndtimeo.scn", "call": "send",
                          "sets": ["sndtimeo=500ms"], "ideal_ms": [500, 1000]},
    "send-peer-rst": {"scn": "send-peer-rst.scn", "call": "send",
                      "ideal_ms": [0, 200, 200, 200]},
    "sigpipe-default-rst": {"scn": "sigpipe-default-rst.scn", "call": "send",
                            "ideal_ms": [0, 200, 200]},
    "sigpipe-default-shutwr": {"scn": "sigpipe-default-shutwr.scn", "call": "send",
                               "ideal_ms": [0]},
    "sigpipe-nosignal": {"scn": "sigpipe-nosignal.scn", "call": "send",
                         "ideal_ms": [0, 0]},
    "sigpipe-ignored": {"scn": "sigpipe-ignored.scn", "call": "send",
                        "ideal_ms": [0, 200, 200, 200]},
    # issue #10 item 8, loopback with 4 KiB buffers on both sides
    "lo-nb-fill-4k": {"scn": "lo-nb-fill-4k.scn", "call": "send",
                      "ideal_ms": [0, 0]},
    "lo-send-eintr": {"scn": "lo-send-eintr.scn", "call": "send",
                      "ideal_ms": [0, 0, 100]},
    "lo-send-restart": {"scn": "lo-send-restart.scn", "call": "send",
                        "ideal_ms": [0, 0, 400]},
}
assert set(SIM_CASES) == set(real_kernel.CASES)


def find_socksim(explicit):
    if explicit:
        return explicit
    if os.environ.get("SOCKSIM"):
        return os.environ["SOCKSIM"]
    root = os.environ.get("SOCKSIM_BUILD_ROOT") or \
        os.path.join(os.environ.get("SOCKSIM_SOURCE_ROOT",
                                    os.path.dirname(os.path.dirname(HERE))), "build")
    for cand in (os.path.join(root, "socksim"), os.path.join(root, "sim", "socksim")):
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return os.path.join(root, "socksim")


def kernel_version(release):
    """(major, minor) of a kernel release string such as "6.18.44-fc", or None."""
    m = re.match(r"(?:linux-)?(\d+)\.(\d+)", release or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def choose_profile(binary, release):
    """The socksim profile to compare the running kernel with: the one of the
    same version, else the nearest older one, else the oldest.  Returns
    (profile name, why) or (None, problem)."""
    try:
        p = subprocess.run([binary, "list-profiles"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "socksim list-profiles: %s" % e
    names = re.findall(r"^(linux-\d+\.\d+) ", p.stdout.split("\n\n")[0], re.M)
    if p.returncode != 0 or not names:
        return None, "socksim list-profiles gave no profile names"
    versions = sorted((kernel_version(n), n) for n in names)
    running = kernel_version(release)
    if running is None:
        return versions[-1][1], "kernel release %r not understood: the newest profile" % release
    older = [vn for vn in versions if vn[0] <= running]
    if not older:
        return versions[0][1], "older than every profile: the oldest"
    v, name = older[-1]
    return name, "same version" if v == running else "nearest older profile"


def table_diff_main(argv, script, real_side, sim_side, compare, prefix):
    """main() of a one-table differential test (diff_ipv6.py, diff_icmp6.py).

    @script re-runs itself with --inside in a fresh network namespace (loopback
    up), where real_side() gives a JSON value; sim_side(binary, outdir, profile)
    runs socksim (RuntimeError on failure); compare(real, sim) prints the rows
    and returns the number that disagree.  Exit 0 agree, 1 not, 77 no
    namespaces here."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--socksim", default=os.environ.get("SOCKSIM"))
    ap.add_argument("--keep")
    ap.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.inside:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        json.dump(real_side(), sys.stdout)
        return 0
    why = real_kernel.namespace_unavailable_reason()
    if why:
        print("SKIP: " + why)
        return 77
    binary = a.socksim or os.path.join(os.environ.get("SOCKSIM_BUILD_ROOT", "build"), "socksim")
    profile, how = choose_profile(binary, os.uname().release)
    if profile is None:
        print("FAIL: " + how)
        return 1
    p = subprocess.run(["unshare", "-n", sys.executable, os.path.abspath(script), "--inside"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        print("FAIL: real side: " + p.stderr.strip())
        return 1
    real = json.loads(p.stdout)
    outdir = a.keep or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(outdir, exist_ok=True)
    try:
        sim = sim_side(binary, outdir, profile)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        print("FAIL: socksim: %s" % e)
        return 1
    print("kernel %s, profile %s (%s)" % (os.uname().release, profile, how))
    return 1 if compare(real, sim) else 0


def run_generated(binary, outdir, name, text, profile):
    """Write a generated scenario @text to OUTDIR/NAME.scn, run it under
    @profile and return its results document (RuntimeError when socksim wrote
    none): the socksim side of table_diff_main's tests."""
    scn = os.path.join(outdir, name + ".scn")
    res = os.path.join(outdir, name + ".json")
    with open(scn, "w") as f:
        f.write(text)
    p = subprocess.run([binary, "run", scn, "--results", res, "--profile", profile],
                       capture_output=True, text=True, timeout=120)
    if not os.path.exists(res):
        raise RuntimeError("socksim exited %d: %s" % (p.returncode, p.stderr.strip()))
    with open(res) as f:
        return json.load(f)


def run_sim(binary, case, outdir, profile):
    """Run socksim on the case's scenario under @profile.  Returns (results or None, problem or None)."""
    spec = SIM_CASES[case]
    out = os.path.join(outdir, case + ".json")
    trace = os.path.join(outdir, case + ".trace.jsonl")
    cmd = [binary, "run", os.path.join(SCN_DIR, spec["scn"]), "--results", out,
           "--profile", profile]
    if spec.get("call") == "send":
        cmd += ["--trace", trace, "--trace-format", "jsonl"]
    for s in spec.get("sets", []):
        cmd += ["--set", s]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "socksim: %s" % e
    with open(os.path.join(outdir, case + ".log"), "w") as f:
        f.write("$ %s\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
    if not os.path.exists(out):
        msg = (p.stderr.strip() or p.stdout.strip()).splitlines()
        return None, "socksim exited %d without results: %s" % (
            p.returncode, msg[-1] if msg else "(no output)")
    try:
        with open(out) as f:
            res = json.load(f)
        if spec.get("call") == "send":
            res["_sigpipe"] = sim_sigpipes(trace, SIM_PROC, "send")
    except (ValueError, OSError) as e:
        return None, "unreadable results: %s" % e
    problem = None
    if res.get("exit") != "ok" or p.returncode != 0:
        failed = [x for x in res.get("expectations", []) if x.get("outcome") != "pass"]
        problem = "socksim exit %d (%s)%s" % (
            p.returncode, res.get("exit"),
            "".join("; line %s: expected %s, got %s" % (x.get("line"), x.get("expected"),
                                                       x.get("actual")) for x in failed))
    return res, problem


def sim_calls(res):
    calls = [c for c in res.get("syscalls", [])
             if c.get("proc") == SIM_PROC and c.get("call") == "connect"]
    if not calls:
        return []
    t0 = calls[0]["t_call_ns"]
    return [{"t_ns": c["t_return_ns"] - t0, "ret": c["ret"], "errno": c["errno"],
             "outcome": c.get("outcome"), "restarts": c.get("restarts")} for c in calls]


def sim_sigpipes(trace, proc, call):
    """For each `call` of `proc`, in order: did it raise SIGPIPE (trace)?"""
    sigs, cur = [], None
    with open(trace) as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("comm") != proc:
                continue
            if ev.get("event") == "sys_enter":
                cur = None
                if ev.get("call") == call:
                    sigs.append(False)
                    cur = len(sigs) - 1
            elif ev.get("event") == "sys_exit":
                cur = None
            elif ev.get("event") == "signal_generate" and ev.get("sig") == "SIGPIPE" \
                    and cur is not None:
                sigs[cur] = True
    return sigs


def sim_send_calls(res):
    calls = [c for c in res.get("syscalls", [])
             if c.get("proc") == SIM_PROC and c.get("call") == "send"]
    sigs = res.get("_sigpipe", [])
    if not calls:
        return []
    t0 = calls[0]["t_call_ns"]
    out = []
    for i, c in enumerate(calls):
        killed = c.get("outcome") == "killed"
        t_end = c["t_call_ns"] if c.get("t_return_ns") is None else c["t_return_ns"]
        out.append({"t_ns": t_end - t0, "ret": c["ret"], "errno": c["errno"],
                    "outcome": c.get("outcome"),
                    "killed": "SIGPIPE" if killed and i < len(sigs) and sigs[i] else
                              ("signal" if killed else None),
                    "sigpipe": sigs[i] if i < len(sigs) else None})
    return out


def real_send_calls(r):
    """The real side's sends.  SIGPIPE is seen directly with disposition
    "block" (sigpending); with "default" a call that returned raised none
    (it would have killed the child); with "ignore" it cannot be seen."""
    disp = r.get("sigpipe_disposition")
    out = []
    for c in r["calls"]:
        killed = c.get("outcome") == "killed"
        sig = c.get("sigpipe")
        if sig is None and disp == "default" and not killed:
            sig = False
        out.append({"t_ns": c["t_return_ns"], "ret": c["ret"], "errno": c["errno"],
                    "outcome": c.get("outcome"),
                    "killed": c.get("signal") if killed else None, "sigpipe": sig})
    return out


def send_steps(calls):
    """Merge runs of successful calls: [{kind, n, bytes, t_ns, sigpipe}]."""
    steps = []
    for c in calls:
        if c["outcome"] == "killed":
            steps.append({"kind": "killed by " + (c["killed"] or "?"), "t_ns": c["t_ns"],
                          "sigpipe": True if c["killed"] == "SIGPIPE" else c["sigpipe"]})
        elif c["outcome"] not in (None, "returned"):
            steps.append({"kind": "sim call " + c["outcome"], "t_ns": c["t_ns"], "sigpipe": None})
        elif c["ret"] is not None and c["ret"] >= 0:
            if steps and steps[-1]["kind"] == "ok":
                st = steps[-1]
                st["n"] += 1
                st["bytes"] += c["ret"]
                st["rets"].append(c["ret"])
                st["t_ns"] = c["t_ns"]
                st["sigpipe"] = st["sigpipe"] or c["sigpipe"]
            else:
                steps.append({"kind": "ok", "n": 1, "bytes": c["ret"], "rets": [c["ret"]],
                              "t_ns": c["t_ns"], "sigpipe": c["sigpipe"]})
        else:
            steps.append({"kind": c["errno"], "t_ns": c["t_ns"], "sigpipe": c["sigpipe"]})
    return steps


def fmt_step(st):
    if st is None:
        return "-"
    if st["kind"] == "ok":
        what = "%dB" % st["bytes"] if st["n"] == 1 else \
            "+".join(map(str, st["rets"])) + "B" if st["n"] <= 4 else \
            "%dx %dB" % (st["n"], st["bytes"])
    else:
        what = st["kind"]
        if st["sigpipe"] is None and not what.startswith("killed"):
            what += "(SIGPIPE?)"
        elif st["sigpipe"] and not what.startswith("killed"):
            what += "+SIGPIPE"
    return "%s %.3fs" % (what, st["t_ns"] / 1e9)


def compare_send(case, res, real):
    """Rows and verdict of a send() case (steps, see the module doc)."""
    rows, ok, notes = [], True, []
    ideal = SIM_CASES[case]["ideal_ms"]
    ss = send_steps(sim_send_calls(res))
    rs = send_steps(real_send_calls(real))
    for i in range(max(len(ss), len(rs))):
        s = ss[i] if i < len(ss) else None
        r = rs[i] if i < len(rs) else None
        idl = "%.3fs" % (ideal[i] / 1000) if i < len(ideal) else "-"
        if s is None or r is None:
            verdict = "FAIL: step count sim %d real %d" % (len(ss), len(rs))
        elif s["kind"] != r["kind"]:
            verdict = "FAIL: errno differs"
        elif r["sigpipe"] is not None and s["sigpipe"] is not None and \
                bool(r["sigpipe"]) != bool(s["sigpipe"]):
            verdict = "FAIL: SIGPIPE sim %s real %s" % (bool(s["sigpipe"]), bool(r["sigpipe"]))
        elif not time_ok(s["t_ns"], r["t_ns"]):
            verdict = "FAIL: time (real %+.0f ms)" % ((r["t_ns"] - s["t_ns"]) / MS)
        else:
            verdict = "ok (real %+.0f ms)" % ((r["t_ns"] - s["t_ns"]) / MS)
            if s["kind"] == "ok" and s["rets"] != r["rets"]:
                verdict = "FAIL: bytes sim %s real %s (real/sim %.2f)" % (
                    s["rets"], r["rets"], r["bytes"] / s["bytes"] if s["bytes"] else 0.0)
        ok = ok and verdict.startswith("ok")
        rows.append([case if i == 0 else "", str(i + 1), idl, fmt_step(s), fmt_step(r), verdict])
    return rows, ok


def real_calls(r):
    return [{"t_ns": c["t_return_ns"], "ret": c["ret"], "errno": c["errno"]}
            for c in r["calls"]]


def sim_syns(res):
    v = res.get("counters", {}).get("server", {}).get("ListenOverflows")
    return v


def time_ok(sim_ns, real_ns):
    return sim_ns - 5 * MS <= real_ns <= sim_ns + max(200 * MS, sim_ns // 20)


def fmt_call(c):
    if c is None:
        return "-"
    what = c["errno"] if c["errno"] else str(c["ret"])
    return "%s %.3fs" % (what, c["t_ns"] / 1e9)


def compare(case, res, sim_problem, real):
    """Rows for the table and whether the case passed."""
    rows, ok = [], True
    ideal = SIM_CASES[case]["ideal_ms"]
    if "error" in real:
        return [(case, "", "", "", "", "FAIL real kernel: " + real["error"])], False
    if SIM_CASES[case].get("call") == "send":
        if res is None:
            return [(case, "", "", "", "", "FAIL sim: " + sim_problem)], False
        rows, ok = compare_send(case, res, real)
        if sim_problem:
            ok = False
            rows.append(["", "", "", "", "", "FAIL sim: " + sim_problem])
        return [tuple(r) for r in rows], ok
    rc = real_calls(real)
    sc = sim_calls(res) if res is not None else []
    n = max(len(rc), len(sc) if res is not None else 0)
    for i in range(n):
        s = sc[i] if i < len(sc) else None
        r = rc[i] if i < len(rc) else None
        idl = "%.3fs" % (ideal[i] / 1000) if i < len(ideal) else "-"
        if res is None:
            verdict = "FAIL sim: " + sim_problem
        elif s is None or r is None:
            verdict = "FAIL: call count sim %d real %d" % (len(sc), len(rc))
        elif s["outcome"] not in (None, "returned"):
            verdict = "FAIL: sim call %s" % s["outcome"]
        elif (s["ret"], s["errno"]) != (r["ret"], r["errno"]):
            verdict = "FAIL: errno differs"
        elif not time_ok(s["t_ns"], r["t_ns"]):
            verdict = "FAIL: time (real %+.0f ms)" % ((r["t_ns"] - s["t_ns"]) / MS)
        else:
            verdict = "ok (real %+.0f ms)" % ((r["t_ns"] - s["t_ns"]) / MS)
        ok = ok and verdict.startswith("ok")
        rows.append((case if i == 0 else "", str(i + 1), idl, fmt_call(s), fmt_call(r), verdict))
    if res is not None and sim_problem:
        ok = False
        rows.append(("", "", "", "", "", "FAIL sim: " + sim_problem))
    # SYNs the listener dropped (= SYNs the client sent): compared only when
    # socksim reports the server's ListenOverflows counter
    if res is not None and "syns_dropped" in real and rows:
        ss = sim_syns(res)
        note = "SYNs dropped sim %s real %s" % ("n/a" if ss is None else ss, real["syns_dropped"])
        if ss is not None and ss != real["syns_dropped"]:
            ok = False
            note = "FAIL: " + note
        rows[0] = rows[0][:5] + (rows[0][5] + "; " + note,)
    return rows, ok


def print_table(rows):
    head = ("case", "#", "ideal", "sim", "real", "verdict")
    w = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
    for r in [head] + rows:
        print("  ".join(r[i].ljust(w[i]) for i in range(5)) + "  " + r[5])


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", help="comma-separated subset of: " + ",".join(SIM_CASES))
    ap.add_argument("--real-json", help="use saved real_kernel.py output instead of measuring")
    ap.add_argument("--save-real", help="write the real-kernel measurements here")
    ap.add_argument("--keep", help="keep socksim results and logs in this directory")
    ap.add_argument("--socksim", help="path of the socksim binary")
    a = ap.parse_args(argv)
    cases = a.cases.split(",") if a.cases else list(SIM_CASES)
    for c in cases:
        if c not in SIM_CASES:
            print("unknown case %r" % c, file=sys.stderr)
            return 2

    binary = find_socksim(a.socksim)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print("FAIL: socksim binary not found or not executable: %s" % binary)
        return 1

    real = None
    if a.real_json:
        with open(a.real_json) as f:
            real = json.load(f)
    else:
        reason = real_kernel.namespace_unavailable_reason()
        if reason:
            print("SKIP: %s" % reason)
            return SKIP
    # the profile matching the running (or recorded) kernel
    release = real.get("kernel") if real is not None else os.uname().release
    profile, why = choose_profile(binary, release)
    if profile is None:
        print("FAIL: %s" % why)
        return 1
    # measure the kernel (~8 s, mostly sleeping) while socksim runs
    box = {}
    th = None
    if real is None:
        th = threading.Thread(target=lambda: box.update(real=real_kernel.run_cases(cases)))
        th.start()

    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
        outdir, tmp = a.keep, None
    else:
        tmp = tempfile.TemporaryDirectory(prefix="kernel-diff-")
        outdir = tmp.name
    sims = {c: run_sim(binary, c, outdir, profile) for c in cases}
    if th is not None:
        th.join()
        real = box["real"]
    if a.save_real:
        with open(a.save_real, "w") as f:
            json.dump(real, f, indent=1, sort_keys=True)

    print("real kernel %s, CONFIG_HZ=%s; socksim %s" % (real.get("kernel"), real.get("hz"), binary))
    print("socksim profile %s (kernel %s: %s)" % (profile, release, why))
    print("times: return of each connect() (send() step) of '%s', from the first such call;"
          " pass if real in [sim-5ms, sim+max(200ms,5%%)]" % SIM_PROC)
    print("send steps: 'N x B' = N successful calls copying B bytes in all;"
          " +SIGPIPE = the call raised SIGPIPE, (SIGPIPE?) = not observable (ignored)")
    rows, all_ok = [], True
    for c in cases:
        res, problem = sims[c]
        r, ok = compare(c, res, problem, real["cases"].get(c, {"error": "not measured"}))
        xfail = SIM_CASES[c].get("xfail")
        if xfail and r:
            mark = "XFAIL (known model discrepancy: %s)" % xfail if not ok else \
                "XPASS: FAIL, remove the xfail mark (%s)" % xfail
            r[0] = r[0][:5] + (mark + "; " + r[0][5],)
            ok = not ok
        rows += r
        all_ok = all_ok and ok
    print_table(rows)
    if tmp is not None:
        tmp.cleanup()
    elif a.keep:
        print("socksim results and logs kept in %s" % a.keep)
    print("PASS" if all_ok else "FAIL")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
