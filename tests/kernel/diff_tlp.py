#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test: socksim's tail loss probe against the running kernel.

Runs every case of tlp_tun.py on the real kernel (a scripted peer behind a
TUN device, one fresh network namespace per case) and the matching
scenario with socksim, and compares what the client sends after its
send() of the data:

  * the same data segments in the same order (relative sequence number
    and length): the originals, the probe, the retransmissions;
  * the time of every retransmission, measured from the event before it
    (the send() or the previous retransmission: each timer runs from
    there), within a one-sided tolerance: real >= sim - 1 ms (a kernel
    timer never fires early) and real <= sim + 48 ms (the timer wheel
    rounds a 252 ms timer up by up to 32 ms; the rest is scheduling on a
    shared VM); a case whose only difference is a late real timer is
    measured again, up to 3 times (load delays the peer's ACKs, which grows
    the kernel's RTT estimate and RTO), and agrees if one measurement does;
  * the counters TCPLossProbes, TCPLossProbeRecovery, TCPTimeouts,
    RetransSegs, and the final snd_cwnd and snd_ssthresh.

Exit status: 0 every case agrees; 1 a mismatch; 77 (skip) without the
privileges for network namespaces and TUN devices.

Usage: diff_tlp.py [--socksim PATH]
Environment: SOCKSIM (binary), SOCKSIM_BUILD_ROOT.
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlp_tun as T  # noqa: E402  (socksim_default, tun_usable)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON = "/usr/bin/python3"
SKIP = 77
# case -> (scenario, time of the scenario's send() in seconds)
SIM = {
    "tail2": ("scenarios/tcp/tlp-tail2.scn", 0.150),
    "tail1": ("scenarios/tcp/tlp-tail1.scn", 0.150),
    "tail1-rto": ("scenarios/tcp/tlp-probe-lost.scn", 0.150),
}
EARLY_MS, LATE_MS = 1.0, 48.0
ATTEMPTS = 3
COUNTERS = {"TCPLossProbes": "TcpExt.TCPLossProbes",
            "TCPLossProbeRecovery": "TcpExt.TCPLossProbeRecovery",
            "TCPTimeouts": "TcpExt.TCPTimeouts", "RetransSegs": "Tcp.RetransSegs"}


def sim_case(socksim, scenario, t_send):
    """Data segments of host local after t_send, counters and the last TCP_INFO."""
    with tempfile.TemporaryDirectory() as tmp:
        res = os.path.join(tmp, "r.json")
        out = subprocess.run([socksim, "run", os.path.join(ROOT, scenario), "--trace", "-",
                              "--trace-format", "jsonl", "--results", res],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             check=False)
        if out.returncode != 0:
            sys.exit("socksim %s exited %d:\n%s" % (scenario, out.returncode, out.stderr))
        with open(res) as f:
            results = json.load(f)
    isn = None
    segs = []
    for line in out.stdout.splitlines():
        ev = json.loads(line)
        if ev.get("event") != "net_dev_xmit" or ev.get("host") != "local":
            continue
        f = ev.get("fields", ev)
        if isn is None:
            isn = int(f["seq"])
        if int(f.get("len", 0)) and ev["t_ns"] / 1e9 >= t_send:
            segs.append({"t_ms": ev["t_ns"] / 1e6 - t_send * 1000,
                         "rseq": (int(f["seq"]) - isn) & 0xffffffff, "len": int(f["len"])})
    counters = results["counters"].get("local", {})
    return segs, {k: counters.get(k, 0) for k in COUNTERS}


def compare(case, segs, counters):
    """Print one case's comparison; its problems and whether they are all late timers."""
    name = case["case"]
    rsegs = [s for s in case["segments"] if s["len"]]
    problems = []
    timing_only = True
    if [(s["rseq"], s["len"]) for s in rsegs] != [(s["rseq"], s["len"]) for s in segs]:
        problems.append("segments: real %s, sim %s" % (
            [(s["rseq"], s["len"]) for s in rsegs], [(s["rseq"], s["len"]) for s in segs]))
        timing_only = False
    else:
        seen = set()
        prev_r = prev_s = 0.0
        for r, s in zip(rsegs, segs):
            key = (s["rseq"], s["len"])
            retrans = key in seen
            seen.add(key)
            if not retrans:
                continue    # an original: sent by the application's send()
            # each timer runs from the event before it: compare the gaps
            gr, gs = r["t_ms"] - prev_r, s["t_ms"] - prev_s
            prev_r, prev_s = r["t_ms"], s["t_ms"]
            ok = gs - EARLY_MS <= gr <= gs + LATE_MS
            print("  %-10s rseq=%-5d real %8.1f ms (+%6.1f)  sim %8.1f ms (+%6.1f)  %s" % (
                name, s["rseq"], r["t_ms"], gr, s["t_ms"], gs, "ok" if ok else "MISMATCH"))
            if not ok:
                problems.append("retransmission of %d %.1f ms after the previous event, "
                                "sim %.1f ms" % (s["rseq"], gr, gs))
                timing_only &= gr > gs    # early is never load: a kernel timer never fires early
    for k, rk in COUNTERS.items():
        if case["counters"].get(rk, 0) != counters[k]:
            problems.append("%s: real %d, sim %d" % (k, case["counters"].get(rk, 0),
                                                      counters[k]))
            timing_only = False
    print("%-10s %s" % (name, "ok" if not problems else "MISMATCH"))
    for p in problems:
        print("    " + p)
    return problems, timing_only


def main():
    socksim = T.diff_test_socksim(ROOT)
    if socksim is None:
        return SKIP
    sim = {name: sim_case(socksim, scenario, t_send) for name, (scenario, t_send) in SIM.items()}
    # A late real timer is the machine's load (the peer's ACKs come late, so
    # the kernel's srtt and RTO grow): such a case is measured again, up to
    # ATTEMPTS times, and agrees if one measurement does.  Anything else
    # (segments, counters, an early timer) fails at once.
    pending = set(SIM)
    for attempt in range(1, ATTEMPTS + 1):
        real = subprocess.run([PYTHON, os.path.join(HERE, "tlp_tun.py")], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, check=False)
        if real.returncode == SKIP:
            print("SKIP: %s" % real.stderr.strip())
            return SKIP
        if real.returncode != 0:
            print("tlp_tun.py failed:\n" + real.stderr)
            return 1
        doc = json.loads(real.stdout)
        print("kernel %s, measurement %d" % (doc["kernel"], attempt))
        late = set()
        for case in doc["cases"]:
            if case["case"] not in pending:
                continue
            problems, timing_only = compare(case, *sim[case["case"]])
            if not problems:
                pending.discard(case["case"])
            elif timing_only:
                late.add(case["case"])
            else:
                print("%d passed, 1 failed (not a late timer)" % (len(SIM) - len(pending)))
                return 1
        if not pending:
            break
        print("late timers in %s: measuring again" % ", ".join(sorted(late)))
    print("%d passed, %d failed" % (len(SIM) - len(pending), len(pending)))
    return 1 if pending else 0


if __name__ == "__main__":
    sys.exit(main())
