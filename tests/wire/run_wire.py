#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hold a scenario to the packets it puts on the wire.

    run_wire.py SOCKSIM SCENARIO WIRE

WIRE lists, in order, every packet the hosts it names transmit
(net_dev_xmit in the JSONL trace); packets of hosts it does not name are
not checked.  One packet per line, '#' starts a comment:

    TIME HOST FLAGS [key=value ...]

TIME is seconds with a unit-free decimal (0.020) or '*' for any time; FLAGS
is tcpdump's notation as the trace prints it (S, S., ., P., F., R); the keys
compare with the trace's fields (len, win, mss, kind), plus rseq and rack:
seq and ack relative to the first sequence number each side used, as
packetdrill and tcpdump print them.  Prints every mismatch with the WIRE
line and exits 1; exit 0 when the wire matches.
"""
import json
import subprocess
import sys
from decimal import Decimal


def parse_wire(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            words = text.split()
            if len(words) < 3:
                sys.exit("%s:%d:1: expected TIME HOST FLAGS [key=value ...]" % (path, lineno))
            keys = {}
            for w in words[3:]:
                if "=" not in w:
                    col = line.index(w) + 1
                    sys.exit("%s:%d:%d: expected key=value, got '%s'" % (path, lineno, col, w))
                k, v = w.split("=", 1)
                keys[k] = v
            if words[0] != "*":
                try:
                    Decimal(words[0])
                except Exception:
                    sys.exit("%s:%d:1: expected a time in seconds or '*', got '%s'"
                             % (path, lineno, words[0]))
            rows.append((lineno, words[0], words[1], words[2], keys))
    return rows


def transmissions(socksim, scenario):
    out = subprocess.run([socksim, "run", scenario, "--trace", "-", "--trace-format", "jsonl"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    if out.returncode != 0:
        sys.exit("socksim exited %d:\n%s" % (out.returncode, out.stderr))
    isn = {}
    pkts = []
    for line in out.stdout.splitlines():
        ev = json.loads(line)
        if ev.get("event") != "net_dev_xmit":
            continue
        # each direction of each connection has its own ISN; a SYN starts it
        fwd, rev = (ev.get("src"), ev.get("dst")), (ev.get("dst"), ev.get("src"))
        if "seq" in ev and (fwd not in isn or "S" in ev.get("flags", "")):
            isn[fwd] = ev["seq"]
        ev["rseq"] = (ev["seq"] - isn[fwd]) % 2**32 if "seq" in ev else None
        ev["rack"] = (ev["ack"] - isn[rev]) % 2**32 if "ack" in ev and rev in isn else None
        pkts.append(ev)
    return pkts


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    socksim, scenario, wire = argv[1:]
    rows = parse_wire(wire)
    hosts = {r[2] for r in rows}
    pkts = [p for p in transmissions(socksim, scenario) if p["host"] in hosts]
    bad = 0
    for i, (lineno, t, host, flags, keys) in enumerate(rows):
        if i >= len(pkts):
            print("%s:%d: expected %s %s, but the run sent no more packets" % (wire, lineno, host, flags))
            bad += 1
            break
        p = pkts[i]
        got = {"host": p["host"], "flags": p.get("flags")}
        want = {"host": host, "flags": flags}
        if t != "*":
            got["t"] = str(Decimal(p["t_ns"]) / Decimal(10**9))
            want["t"] = str(Decimal(t))
        for k, v in keys.items():
            got[k] = str(p.get(k))
            want[k] = v
        if got != want:
            diff = " ".join("%s=%s (expected %s)" % (k, got.get(k), v)
                            for k, v in want.items() if got.get(k) != v)
            print("%s:%d: packet %d: %s" % (wire, lineno, i + 1, diff))
            bad += 1
    if len(pkts) > len(rows):
        p = pkts[len(rows)]
        print("%s: the run sent more packets, the next: %s %s rseq=%s len=%s at %s s"
              % (wire, p["host"], p.get("flags"), p.get("rseq"), p.get("len"),
                 Decimal(p["t_ns"]) / Decimal(10**9)))
        bad += 1
    if bad:
        print("FAIL: %d wire mismatch(es)" % bad)
        return 1
    print("%s: %d packets match" % (wire, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
