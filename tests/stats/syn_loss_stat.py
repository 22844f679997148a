#!/usr/bin/python3
"""Statistical check: connect latency under independent SYN/SYN-ACK loss.

Runs tests/stats/syn-loss.scn for seeds 1..N at several loss rates and
compares the distribution of connect() latencies with the closed form
P(latency = t_k + 2d) = (1 - q)^k q, q = (1 - p)^2, where t_k are the
linux-6.18 SYN transmit times (0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s).

Test: Pearson's chi-square over the buckets k = 0, 1, 2, 3 and k >= 4 must
stay below the 99.9 % critical value for 4 degrees of freedom (18.47).  The
seeds are fixed, so the test is deterministic; the threshold states how far
the model may deviate from the closed form before we call it wrong.
"""
import json
import os
import subprocess
import sys
import tempfile

SYN_TIMES_NS = [s * 10**9 for s in (0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67)]
RTT_NS = 2 * 10**6
CRITICAL_4DF_999 = 18.47


def latencies(socksim, scenario, p, seeds, tmp):
    out = []
    for seed in seeds:
        res = os.path.join(tmp, "r.json")
        proc = subprocess.run([socksim, "run", scenario, "--seed", str(seed), "--set", "p=%s" % p,
                               "--trace", "none", "--results", res], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit("socksim failed for seed %d: %s" % (seed, proc.stderr))
        with open(res) as f:
            r = json.load(f)
        call = [s for s in r["syscalls"] if s["call"] == "connect"][0]
        if call["errno"] is not None:
            out.append(None)
        else:
            out.append(call["t_return_ns"] - call["t_call_ns"])
    return out


def bucket(lat):
    for k, t in enumerate(SYN_TIMES_NS):
        if lat == t + RTT_NS:
            return k
    raise ValueError("latency %d ns is not t_k + 2d for any k" % lat)


def main():
    socksim, scenario = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for p in ("0.1", "0.3", "0.5"):
            q = (1 - float(p)) ** 2
            lats = latencies(socksim, scenario, p, range(1, n + 1), tmp)
            counts = [0] * 5
            for lat in lats:
                if lat is None:
                    counts[4] += 1
                else:
                    counts[min(bucket(lat), 4)] += 1
            expected = [n * (1 - q) ** k * q for k in range(4)]
            expected.append(n - sum(expected))
            chi2 = sum((o - e) ** 2 / e for o, e in zip(counts, expected))
            verdict = "ok" if chi2 < CRITICAL_4DF_999 else "FAIL"
            failed |= verdict == "FAIL"
            print("p=%s q=%.3f n=%d observed=%s expected=%s chi2=%.2f (< %.2f) %s" % (
                p, q, n, counts, ["%.1f" % e for e in expected], chi2, CRITICAL_4DF_999, verdict))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
