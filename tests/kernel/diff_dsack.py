#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test: D-SACK (RFC 2883) blocks of the running kernel's ACKs
against socksim's (scenarios/tcp/dsack-duplicate.scn, recv-partial-overlap.scn).

In a fresh network namespace a TUN device puts a scripted peer on the wire
(the helpers of tlp_tun.py: 192.0.2.2 is the kernel's socket, 192.0.2.1 the
peer; SACK permitted, no timestamps).  After the handshake the peer sends,
40 ms apart, what the scenario injects: bytes 1-1000, the same again, 2001-3000
(out of order), the same again, then 501-1500 (overlapping rcv_nxt).  Every
ACK the kernel sends for them is recorded as (ack, SACK blocks), relative to
the peer's ISN, and compared with the ACKs socksim's host sends in the
scenario: the first SACK block of each duplicate's ACK must be the D-SACK
block (tcp_dsack_set), in the same order as the kernel writes them.  A
second case sends 1-1000, then 501-1500 with FIN: no D-SACK (tcp_fin resets
the SACK state), as in recv-partial-overlap.scn.

Exit status: 0 agree; 1 mismatch; 77 (skip) without root, unshare or TUN.

Usage: diff_dsack.py [--socksim PATH]     (or `diff_dsack.py peer CASE`, internal)
"""

import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import tlp_tun as T  # noqa: E402  (the TUN peer's packet helpers)

PYTHON = "/usr/bin/python3"
SKIP = 77
PSH_ACK, FIN_PSH_ACK = 0x18, 0x19
# case -> (scenario, time of its first data segment, the segments the peer
# sends 40 ms apart as the scenario injects them: (relative seq, length, flags))
CASES = {
    "duplicates": ("scenarios/tcp/dsack-duplicate.scn", 0.250,
                   [(1, 1000, PSH_ACK), (1, 1000, PSH_ACK), (2001, 1000, PSH_ACK),
                    (2001, 1000, PSH_ACK), (501, 1000, PSH_ACK)]),
    # a FIN riding on a partly duplicate segment: tcp_fin's tcp_sack_reset
    # drops the D-SACK block again, so the ACK carries none
    "partial-fin": ("scenarios/tcp/recv-partial-overlap.scn", 0.250,
                    [(1, 1000, PSH_ACK), (501, 1000, FIN_PSH_ACK)]),
}


def sack_blocks(pkt):
    ihl = (pkt[0] & 15) * 4
    off = (pkt[ihl + 12] >> 4) * 4
    o = pkt[ihl + 20:ihl + off]
    blocks, i = [], 0
    while i < len(o):
        if o[i] == 1:
            i += 1
            continue
        if o[i] == 0 or i + 1 >= len(o):
            break
        if o[i] == 5:
            for k in range(i + 2, i + o[i + 1], 8):
                s, e = struct.unpack("!II", o[k:k + 8])
                blocks.append("%d-%d" % (s - T.PEER_ISS, e - T.PEER_ISS))
        i += max(o[i + 1], 2)
    return blocks


def peer(sends):
    """Inside the namespace: run the peer, print the kernel's data-phase ACKs."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, T.TUNSETIFF, struct.pack("16sH", b"tlp0", T.IFF_TUN | T.IFF_NO_PI))
    subprocess.run(["ip", "addr", "add", T.LOCAL + "/24", "dev", "tlp0"], check=True)
    subprocess.run(["ip", "link", "set", "tlp0", "up"], check=True)
    cli = T.socket.socket(T.socket.AF_INET, T.socket.SOCK_STREAM)
    cli.bind((T.LOCAL, 0))
    T.build.cport = cli.getsockname()[1]
    cli.setblocking(False)
    try:
        cli.connect((T.PEER, T.PORT))
    except BlockingIOError:
        pass
    pending, acks, cisn, end = [], [], None, time.monotonic() + 5
    while time.monotonic() < end:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            os.write(tun, pending.pop(0)[1])
        r, _, _ = select.select([tun], [], [], 0.001)
        if not r:
            continue
        pkt = os.read(tun, 65535)
        p = T.parse(pkt)
        if not p or p["dport"] != T.PORT:
            continue
        if p["flags"] & 0x02:
            cisn = p["seq"]
            opts = struct.pack("!BBH", 2, 4, T.MSS) + b"\x01\x01\x04\x02"
            t = time.monotonic()
            pending.append((t + 0.01, T.build(T.PEER_ISS, cisn + 1, 0x12, 65535, opts)))
            for i, (seq, ln, flags) in enumerate(sends):
                pending.append((t + 0.05 + 0.04 * i,
                                T.build(T.PEER_ISS + seq, cisn + 1, flags, 512, b"", b"x" * ln)))
            # the FIN's ACK may wait for the delayed-ACK timer (pingpong)
            end = t + 0.05 + 0.04 * len(sends) + 0.3
            continue
        ack = (p["ack"] - T.PEER_ISS) & 0xffffffff
        if ack > 1:     # the handshake's ACK (ack 1) is not compared
            acks.append({"ack": ack, "sack": sack_blocks(pkt)})
    print(json.dumps({"kernel": os.uname().release, "acks": acks}))
    return 0


def sim(socksim, scenario, t_first_data):
    out = subprocess.run([socksim, "run", os.path.join(ROOT, scenario), "--trace", "-",
                          "--trace-format", "jsonl"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, check=False)
    if out.returncode != 0:
        sys.exit("socksim %s exited %d:\n%s" % (scenario, out.returncode, out.stderr))
    acks = []
    for line in out.stdout.splitlines():
        ev = json.loads(line)
        if ev.get("event") != "net_dev_xmit" or ev.get("host") != "local":
            continue
        if ev["t_ns"] / 1e9 >= t_first_data and not int(ev.get("len", 0)):
            acks.append({"ack": int(ev["ack"]),
                         "sack": ev["sack"].split(",") if ev.get("sack") else []})
    return acks


def main():
    if sys.argv[1:2] == ["peer"]:
        return peer(CASES[sys.argv[2]][2])
    socksim = T.diff_test_socksim(ROOT)
    if socksim is None:
        return SKIP
    bad = 0
    for name, (scenario, t_first_data, _) in CASES.items():
        real = subprocess.run(["unshare", "-n", PYTHON, os.path.abspath(__file__), "peer", name],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              check=False)
        if real.returncode != 0:
            print("peer failed:\n" + real.stderr)
            return SKIP if "Operation not permitted" in real.stderr else 1
        doc = json.loads(real.stdout)
        ref = sim(socksim, scenario, t_first_data)
        print("%s (kernel %s, %s)" % (name, doc["kernel"], scenario))
        n = max(len(doc["acks"]), len(ref))
        for r, s in zip(doc["acks"] + [None] * n, (ref + [None] * n)[:n]):
            print("  real %-40s sim %-40s %s" % (r, s, "ok" if r == s else "MISMATCH"))
        ok = doc["acks"] == ref
        print("  " + ("agree" if ok else "MISMATCH"))
        bad += not ok
    print("%d cases agree, %d differ" % (len(CASES) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
