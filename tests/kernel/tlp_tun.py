#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measure the running kernel's tail loss probe against a scripted TCP peer.

    tlp_tun.py [CASE ...]        run cases (default: all), print one JSON document
    tlp_tun.py list              print the case names

Each case re-executes this script inside a fresh network namespace
(`unshare -n`).  There a TUN device `tlp0` (192.0.2.2/24, peer 192.0.2.1,
TEST-NET-1: nothing leaves the namespace) connects the kernel's TCP client
to a peer written here (congestion control cubic, as socksim's default): it reads every segment the kernel sends from the
TUN file descriptor and writes its answers back, each after the case's
delay, so the path's RTT is known and a segment can be "lost" by
not answering it.  No netem, no iptables: the peer is the network.

The client (a kernel socket bound to 192.0.2.2) connects to
192.0.2.1:5000; the peer's SYN-ACK announces MSS 1000, SACK and window
scale 7, no timestamps.  100 ms after the handshake the client sends the
case's bytes in one send().  Every client segment is recorded with its
time relative to that send(); at the end the namespace's TcpExt/Tcp
counters and the socket's TCP_INFO (ca_state, cwnd, ssthresh,
total_retrans) are read.

Cases (socksim's counterparts are scenarios/tcp/tlp-*.scn):
  tail2  2 segments, both lost; the probe (the 2nd again) is SACKed, RACK
         marks the 1st lost, fast retransmit, everything acked.
  tail1  1 segment, lost; the probe is acked; 1 s later a 2nd send is acked
         beyond the probe's snd_nxt (TCPLossProbeRecovery, CWR).
  tail1-rto  1 segment, lost, and so is the probe: the RTO fires one RTO
         after the probe (no backoff in between).

Only the Python standard library is used.  Needs root (TUN, unshare).
"""

import ctypes
import fcntl
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

PYTHON = "/usr/bin/python3"
SELF = os.path.abspath(__file__)
LOCAL, PEER, PORT = "192.0.2.2", "192.0.2.1", 5000
PEER_ISS = 1000000
MSS = 1000
# The SYN-ACK comes 50 ms after the SYN, every ACK of data 70 ms after the
# segment: the probe's RTT sample must not fall below min_rtt, or RACK
# ignores it as ambiguous (tcp_rack_advance) and only the RTO repairs tail2.
SYNACK_DELAY = 0.050
TUNSETIFF = 0x400454ca
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000

CASES = {
    "tail2": {"bytes": 2000, "delay_ms": 70},
    "tail1": {"bytes": 500, "delay_ms": 70, "second_send_ms": 1000},
    "tail1-rto": {"bytes": 500, "delay_ms": 70},
}


def socksim_default(root):
    """The socksim binary the differential tests run: $SOCKSIM, else the build tree's."""
    return os.environ.get("SOCKSIM") or os.path.join(
        os.environ.get("SOCKSIM_BUILD_ROOT", os.path.join(root, "build")), "socksim")


def diff_test_socksim(root):
    """A differential test's command line (--socksim PATH): the socksim
    binary, or None (after printing why: the test is skipped) without root
    and a TUN device, what a scripted peer in a namespace needs."""
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--socksim", default=socksim_default(root))
    args = ap.parse_args()
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun"):
        print("SKIP: needs root and /dev/net/tun")
        return None
    return args.socksim


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def build(seq, ack, flags, win=512, opts=b"", payload=b""):
    """An IPv4/TCP packet from the peer to the client."""
    src, dst = socket.inet_aton(PEER), socket.inet_aton(LOCAL)
    while len(opts) % 4:
        opts += b"\x01"
    doff = (20 + len(opts)) // 4
    tcp = struct.pack("!HHIIBBHHH", PORT, build.cport, seq, ack, doff << 4, flags, win, 0, 0)
    tcp += opts + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp


build.cport = 0


def parse(pkt):
    if len(pkt) < 40 or pkt[0] >> 4 != 4 or pkt[9] != 6:
        return None
    ihl = (pkt[0] & 15) * 4
    tcp = pkt[ihl:]
    sport, dport, seq, ack, off, flags, win = struct.unpack("!HHIIBBH", tcp[:16])
    payload = tcp[(off >> 4) * 4:]
    return {"sport": sport, "dport": dport, "seq": seq, "ack": ack, "flags": flags,
            "win": win, "len": len(payload)}


def counters():
    out = {}
    for path in ("/proc/net/snmp", "/proc/net/netstat"):
        with open(path) as f:
            lines = f.read().splitlines()
        for names, vals in zip(lines[0::2], lines[1::2]):
            prefix = names.split(":")[0]
            for n, v in zip(names.split()[1:], vals.split()[1:]):
                out[prefix + "." + n] = int(v)
    return out


def tcp_info(sock):
    b = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    return {"ca_state": b[1], "rto_us": struct.unpack_from("I", b, 8)[0],
            "rtt_us": struct.unpack_from("I", b, 68)[0],
            "rttvar_us": struct.unpack_from("I", b, 72)[0],
            "snd_ssthresh": struct.unpack_from("I", b, 76)[0],
            "snd_cwnd": struct.unpack_from("I", b, 80)[0],
            "total_retrans": struct.unpack_from("I", b, 100)[0]}


def run_case(name):
    case = CASES[name]
    delay = case["delay_ms"] / 1000.0
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", b"tlp0", IFF_TUN | IFF_NO_PI))
    subprocess.run(["ip", "addr", "add", LOCAL + "/24", "dev", "tlp0"], check=True)
    subprocess.run(["ip", "link", "set", "tlp0", "up"], check=True)
    before = counters()

    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # socksim's default; this machine's kernel may default to bbr (a netns
    # cannot change it), whose pacing moves the timers and whose ssthresh
    # ignores loss
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
    cli.bind((LOCAL, 0))
    build.cport = cli.getsockname()[1]
    cli.setblocking(False)
    try:
        cli.connect((PEER, PORT))
    except BlockingIOError:
        pass

    pending = []        # (due, packet)
    log = []            # client segments: (t, seq_rel, len, flags)
    cisn = None
    t_send = None
    data_seen = {}      # rel seq -> times seen
    established = False
    second_sent = False
    done_at = None
    t_start = time.monotonic()
    rcv_nxt = 0         # what the peer has "received" in order (relative)
    states = []         # changes of (ca_state, cwnd, ssthresh) after the first send
    while True:
        now = time.monotonic()
        if t_send is not None:
            i = tcp_info(cli)
            st = [i["ca_state"], i["snd_cwnd"], i["snd_ssthresh"]]
            if os.environ.get("TLP_DEBUG"):
                st.append(counters().get("TcpExt.TCPLossProbeRecovery", 0))
            if not states or states[-1][1:] != st:
                states.append([round((now - t_send) * 1000, 1)] + st)
        if now - t_start > 10:
            break
        if done_at is not None and now >= done_at:
            break
        while pending and pending[0][0] <= now:
            os.write(tun, pending.pop(0)[1])
        if not established:
            _, w, _ = select.select([], [cli], [], 0)
            if w and cli.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0 and cisn is not None \
                    and now >= pending_t_est:
                established = True
                t_send_due = now + 0.1
                info_est = tcp_info(cli)
        if established and t_send is None and now >= t_send_due:
            t_send = time.monotonic()
            cli.send(b"x" * case["bytes"])
        if (t_send is not None and not second_sent and "second_send_ms" in case
                and now >= t_send + case["second_send_ms"] / 1000.0):
            second_sent = True
            cli.send(b"y" * case["bytes"])
        timeout = 0.0005
        if pending:
            timeout = max(0.0, min(timeout, pending[0][0] - now))
        r, _, _ = select.select([tun], [], [], timeout)
        if not r:
            continue
        pkt = os.read(tun, 65535)
        t = time.monotonic()
        p = parse(pkt)
        if not p or p["dport"] != PORT:
            continue
        if p["flags"] & 0x02:           # SYN
            cisn = p["seq"]
            t_syn = t - t_start
            # MSS 1000, NOP NOP SACK-permitted, NOP window scale 7
            opts = struct.pack("!BBH", 2, 4, MSS) + b"\x01\x01\x04\x02" + b"\x01\x03\x03\x07"
            pending.append((t + SYNACK_DELAY, build(PEER_ISS, cisn + 1, 0x12, 65535, opts)))
            pending_t_est = t + SYNACK_DELAY
            continue
        rel = (p["seq"] - cisn - 1) & 0xffffffff
        if t_send is not None:
            log.append({"t_ms": round((t - t_send) * 1000, 3), "rseq": rel + 1,
                        "len": p["len"], "flags": p["flags"]})
        if not p["len"]:
            continue
        n = data_seen.get(rel, 0) + 1
        data_seen[rel] = n
        ack_base = PEER_ISS + 1
        if name == "tail2":
            # both originals lost; the probe (rel 1000) is SACKed, the
            # retransmission of rel 0 acked cumulatively
            if n == 1:
                continue
            if rel == 1000:
                sack = struct.pack("!BBBBII", 1, 1, 5, 10, cisn + 1 + 1000, cisn + 1 + 2000)
                pending.append((t + delay, build(ack_base, cisn + 1, 0x10, 512, sack)))
            else:
                pending.append((t + delay, build(ack_base, cisn + 1 + 2000, 0x10, 512)))
                done_at = t + delay + 0.3
        elif name == "tail1":
            if rel == 0 and n == 1:
                continue
            end = rel + p["len"]
            rcv_nxt = max(rcv_nxt, end)
            pending.append((t + delay, build(ack_base, cisn + 1 + rcv_nxt, 0x10, 512)))
            if rel == case["bytes"]:
                done_at = t + delay + 0.3
        elif name == "tail1-rto":
            if rel == 0 and n <= 2:
                continue
            pending.append((t + delay, build(ack_base, cisn + 1 + case["bytes"], 0x10, 512)))
            done_at = t + delay + 0.3
        pending.sort(key=lambda x: x[0])
    after = counters()
    keys = ["TcpExt.TCPLossProbes", "TcpExt.TCPLossProbeRecovery", "TcpExt.TCPSackRecovery",
            "TcpExt.TCPTimeouts", "Tcp.RetransSegs", "TcpExt.TCPFastRetrans"]
    return {"case": name, "syn_ms": round(t_syn * 1000, 3), "tcp_info_established": info_est,
            "segments": log, "ca_state_cwnd_ssthresh": states, "tcp_info": tcp_info(cli),
            "counters": {k: after.get(k, 0) - before.get(k, 0) for k in keys},
            "early_retrans": int(open("/proc/sys/net/ipv4/tcp_early_retrans").read())}


def main():
    args = sys.argv[1:]
    if args and args[0] == "list":
        print("\n".join(CASES))
        return 0
    if args and args[0] == "case":
        print(json.dumps(run_case(args[1])))
        return 0
    names = args or list(CASES)
    out = {"kernel": os.uname().release, "cases": []}
    for n in names:
        r = subprocess.run(["unshare", "-n", PYTHON, SELF, "case", n], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, check=False)
        if r.returncode != 0:
            sys.stderr.write(r.stderr)
            return 77 if "Operation not permitted" in r.stderr else 1
        out["cases"].append(json.loads(r.stdout))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
