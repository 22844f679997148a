#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measurement (not a test): packetdrill's eor/no-coalesce-retrans.pkt
replayed against the running kernel, the kernel as the client, through the
TUN peer of tlp_tun.py (MSS 1000, SACK, wscale 10; SYN-ACK after 10 ms, each
ACK 1 ms after the segment it answers).  Prints every segment the kernel
sends with its tcp_info (lost, sacked, cwnd, min_rtt, ...) read as it left.
See MEASURED.md "RACK and an ambiguous retransmission RTT".

    unshare -n /usr/bin/python3 rack_ambiguous_tun.py eor
    unshare -n /usr/bin/python3 rack_ambiguous_tun.py dsack   (duplicates to the kernel)
"""
import fcntl
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlp_tun as T  # noqa: E402

def info(s):
    b = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 232)
    u = lambda o: struct.unpack_from("I", b, o)[0]
    return {"ca": b[1], "unacked": u(24), "sacked": u(28), "lost": u(32), "retrans": u(36),
            "cwnd": u(80), "ssthresh": u(76), "rtt": u(68), "min_rtt": u(148), "reord_seen": u(220) if len(b) >= 224 else None,
            "dsack_dups": u(216) if len(b) >= 220 else None}

def main():
    mode = sys.argv[1]
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, T.TUNSETIFF, struct.pack("16sH", b"tlp0", T.IFF_TUN | T.IFF_NO_PI))
    subprocess.run(["ip", "addr", "add", T.LOCAL + "/24", "dev", "tlp0"], check=True)
    subprocess.run(["ip", "link", "set", "tlp0", "up"], check=True)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
    cli.bind((T.LOCAL, 0)); T.build.cport = cli.getsockname()[1]
    cli.setblocking(False)
    try: cli.connect((T.PEER, T.PORT))
    except BlockingIOError: pass
    pending = []; log = []; cisn = None; t0 = time.monotonic(); est = False
    A = T.PEER_ISS + 1
    def ack(t, a, sack=None, payload=b"", seq=A, win=514):
        opts = b""
        if sack:
            opts = b"\x01\x01" + struct.pack("!BB", 5, 2 + 8 * len(sack)) + b"".join(struct.pack("!II", cisn + s, cisn + e) for s, e in sack)
        pending.append((t, T.build(seq, cisn + a if mode == "eor" else cisn + 1 + a, 0x10 | (0x08 if payload else 0), win, opts, payload)))
        pending.sort(key=lambda x: x[0])
    seen = {}; infos = []; wrote = False; end = t0 + 3
    while time.monotonic() < end:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            os.write(tun, pending.pop(0)[1])
            infos.append((round((time.monotonic() - t0) * 1000, 3), "after-inject"))
        if est and not wrote:
            wrote = True
            if mode == "eor":
                cli.send(b"a" * 10400)
                for _ in range(10): cli.send(b"b" * 400, socket.MSG_EOR)
                cli.send(b"c" * 10000)
            else:
                # D-SACK: peer sends 1000 bytes, then again
                ack(now + 0.01, 0, payload=b"d" * 1000)
                ack(now + 0.05, 0, payload=b"d" * 1000)
                ack(now + 0.09, 0, payload=b"e" * 1000, seq=A + 2000)
                ack(now + 0.13, 0, payload=b"e" * 1000, seq=A + 2000)
                end = now + 0.3
        r, _, _ = select.select([tun], [], [], 0.0002)
        if not r: continue
        pkt = os.read(tun, 65535); t = time.monotonic(); p = T.parse(pkt)
        if not p or p["dport"] != T.PORT: continue
        if p["flags"] & 0x02:
            cisn = p["seq"]
            opts = struct.pack("!BBH", 2, 4, 1000) + b"\x01\x01\x04\x02" + b"\x01\x03\x03\x0a"
            pending.append((t + 0.010, T.build(T.PEER_ISS, cisn + 1, 0x12, 32792, opts)))
            continue
        rel = (p["seq"] - cisn - 1) & 0xffffffff
        ihl = (pkt[0] & 15) * 4; off = (pkt[ihl + 12] >> 4) * 4; o = pkt[ihl + 20: ihl + off]
        sacks = []; i = 0
        while i < len(o):
            if o[i] == 1: i += 1; continue
            if o[i] == 0: break
            if o[i] == 5:
                for k in range(i + 2, i + o[i + 1], 8):
                    s, e = struct.unpack("!II", o[k:k + 8]); sacks.append((s - A, e - A))
            i += o[i + 1]
        log.append({"t": round((t - t0) * 1000, 3), "seq": rel + 1, "len": p["len"], "ack": (p["ack"] - A) & 0xffffffff, "sack": sacks, "info": info(cli) if est else None})
        if not est:
            est = True
            continue
        if mode != "eor" or not p["len"]: continue
        s = rel + 1; n = seen.get(s, 0) + 1; seen[s] = n
        if s == 1: ack(t + 0.001, 10001)
        elif s == 14401:
            b = t
            for k, a in enumerate([10401, 10801, 11201, 11601]): ack(b + 0.001 * (k + 1), a)
            ack(b + 0.005, 12001, [(13201, 14401)])
        elif s == 12001 and n == 2: ack(t + 0.001, 12401, [(13201, 14401)])
        elif s == 12801 and n == 2:
            ack(t + 0.001, 12801, [(13201, 14401)]); ack(t + 0.002, 14401); ack(t + 0.003, 24401); end = t + 0.1
    print(json.dumps({"kernel": os.uname().release, "log": log, "final": info(cli)}, indent=0))

if __name__ == "__main__":
    main()
