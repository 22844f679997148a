#!/usr/bin/python3
"""socksim run --pcap, read back with tshark: every packet socksim put on the
wire (or through a virtio-vsock device) is in the file, with valid IPv4/TCP
checksums, and tshark's own counts (frames, SYN/SYN-ACK/FIN/RST flags, drops
in packet comments, its TCP retransmission analysis, vsock ops) equal
socksim's counters in the results document of the same run.

usage: pcap_tshark.py SOCKSIM SCENARIO|DIR... [--report]   (DIR: its *.scn)
Exits 77 (skipped) when tshark is not installed."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FIELDS = ["frame.interface_id", "frame.interface_name", "ip.proto", "ipv6.nxt", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.fin",
          "tcp.flags.reset", "tcp.analysis.retransmission", "tcp.analysis.spurious_retransmission",
          "tcp.analysis.out_of_order", "tcp.checksum.status",
          "ip.checksum.status", "icmpv6.checksum.status", "vsock.virtio.op", "frame.comment"]
RETRANS_FLAGS = {"tcp.analysis.retransmission", "tcp.analysis.spurious_retransmission",
                 "tcp.analysis.out_of_order"}
VSOCK_OPS = {1: "REQUEST", 2: "RESPONSE", 3: "RST", 4: "SHUTDOWN", 5: "RW",
             6: "CREDIT_UPDATE", 7: "CREDIT_REQUEST"}


def tshark_rows(path):
    cmd = ["tshark", "-n", "-r", path, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
           "-o", "tcp.analyze_sequence_numbers:TRUE", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("tshark failed on %s: %s" % (path, p.stderr))
    errs = [l for l in p.stderr.splitlines() if l and not l.startswith("Running as user")]
    if errs:
        raise SystemExit("tshark complained about %s: %s" % (path, errs))
    rows = []
    for line in p.stdout.splitlines():
        vals = line.split("\t")
        vals += [""] * (len(FIELDS) - len(vals))
        row = dict(zip(FIELDS, vals))
        if not row["ip.proto"]:             # an IPv6 packet: its next header
            row["ip.proto"] = row["ipv6.nxt"]
        rows.append(row)
    return rows


def flag(row, name):
    return row[name] in ("1", "True")


def matches(got, want):
    """@want is a count, or (lo, hi) when socksim's counters bound it."""
    if isinstance(want, tuple):
        return want[0] <= got <= want[1]
    return got == want


def scripted_hosts(scn):
    """Hosts declared `scripted`: they have no stack, so no counter counts what
    the scenario injects through them (an overlapping segment tshark calls a
    retransmission, for one)."""
    names = set()
    for line in open(scn):
        m = re.match(r"\s*host\s+(\S+)\s.*\bscripted\b", line.split("#")[0])
        if m:
            names.add(m.group(1))
    return names


def sender(row):
    """The sending host of a frame: interfaces are named "FROM>TO" or "HOST lo"."""
    return re.split(r"[> ]", row["frame.interface_name"])[0]


def measure(socksim, scn, tmp):
    base = os.path.join(tmp, os.path.basename(scn))
    pcap, res = base + ".pcapng", base + ".json"
    p = subprocess.run([socksim, "run", scn, "--trace", "none", "--pcap", pcap, "--results", res],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit("socksim run %s failed (%d): %s" % (scn, p.returncode, p.stderr))
    r = json.load(open(res))
    rows = tshark_rows(pcap)
    tcp = [x for x in rows if x["ip.proto"] == "6"]
    scripted = scripted_hosts(scn)
    got = {
        "frames": len(rows),
        "tcp": len(tcp),
        "icmp": sum(1 for x in rows if x["ip.proto"] in ("1", "58")),   # ICMP, ICMPv6
        "SYN": sum(1 for x in tcp if flag(x, "tcp.flags.syn") and not flag(x, "tcp.flags.ack")),
        "SYNACK": sum(1 for x in tcp if flag(x, "tcp.flags.syn") and flag(x, "tcp.flags.ack")),
        "FIN": sum(1 for x in tcp if flag(x, "tcp.flags.fin") and not flag(x, "tcp.flags.reset")),
        "RST": sum(1 for x in tcp if flag(x, "tcp.flags.reset")),
        "dropped": sum(1 for x in rows if "dropped:" in x["frame.comment"]),
        # tshark labels a segment whose sequence space it has seen before a
        # retransmission, a spurious retransmission, or (sent within an RTT
        # of the highest one) out-of-order: together, the retransmissions.
        # SYN-ACKs included: tcp_rtx_synack counts them in RetransSegs.
        "retrans": sum(1 for x in tcp if RETRANS_FLAGS & {k for k in x if x[k]} and sender(x) not in scripted),
        "tcp.analysis.retransmission": sum(1 for x in tcp if x["tcp.analysis.retransmission"]),
        "bad_checksums": sum(1 for x in rows if "2" in (x["tcp.checksum.status"], x["ip.checksum.status"],
                                                         x["icmpv6.checksum.status"])),
    }
    for op, name in VSOCK_OPS.items():
        got["vsock." + name] = sum(1 for x in rows if x["vsock.virtio.op"] == str(op))
    sent, dropped = r["packets"]["sent"], r["packets"]["dropped"]
    want = {
        "tcp": sum(v for k, v in sent.items() if k != "ICMP"),
        "icmp": sent.get("ICMP", 0),
        "SYN": sent.get("SYN", 0), "SYNACK": sent.get("SYNACK", 0),
        "FIN": sent.get("FIN", 0), "RST": sent.get("RST", 0),
        "dropped": sum(dropped.values()),
        # a copy made by a duplicate rule looks like a retransmission on the wire
        "retrans": sum(h.get("RetransSegs", 0) for h in r["counters"].values()) +
        sum(f["fired"] for f in r["faults"] if f["rule"].endswith(":duplicate")),
        "bad_checksums": 0,
    }
    if "vsock" in r:
        # vsock: a packet is recorded when it passes the device (or is dropped
        # before reaching one).  A message cancelled before that never shows;
        # one still queued at the end of the run may or may not have passed.
        v = r["vsock"]["packets"]
        ctr = r["vsock"]["counters"]
        lo_drop = sum(h.get("VsockFaultDrops", 0) + h.get("VsockDeviceDrops", 0) for h in ctr.values())
        want["dropped"] = (want["dropped"] + lo_drop, want["dropped"] + sum(v["dropped"].values()))
        for name in VSOCK_OPS.values():
            sent, can = v["sent"].get(name, 0), v["cancelled"].get(name, 0)
            decided = v["delivered"].get(name, 0) + v["dropped"].get(name, 0)
            want["vsock." + name] = sent - can if decided + can == sent else (decided, sent - can)
    lo = hi = 0
    for k in ["tcp", "icmp"] + ["vsock." + n for n in VSOCK_OPS.values()]:
        w = want.get(k, 0)
        lo += w[0] if isinstance(w, tuple) else w
        hi += w[1] if isinstance(w, tuple) else w
    want["frames"] = lo if lo == hi else (lo, hi)
    return got, want


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    report = "--report" in sys.argv
    if not shutil.which("tshark"):
        print("SKIP: tshark is not installed (apt-get install tshark; tools/setup.sh does)")
        return 77
    socksim, scenarios = args[0], []
    for a in args[1:]:
        scenarios += sorted(glob.glob(os.path.join(a, "*.scn"))) if os.path.isdir(a) else [a]
    if not scenarios:
        raise SystemExit("no scenarios given")
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for scn in scenarios:
            got, want = measure(socksim, scn, tmp)
            diff = {k: (got.get(k), w) for k, w in want.items() if not matches(got.get(k), w)}
            if report or diff:
                print("%s: %s" % (scn, " ".join("%s=%s" % (k, got[k]) for k in sorted(got))))
            if diff:
                bad += 1
                for k, (g, w) in sorted(diff.items()):
                    print("  MISMATCH %s: tshark %s, socksim %s" % (k, g, w))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
