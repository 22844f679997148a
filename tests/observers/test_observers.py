#!/usr/bin/python3
"""`socksim run --pcap` and `--timeline` (observers/, docs/results-format.md
"Packet captures and timelines"): the pcapng file is well formed, one
interface per link direction with nanosecond timestamps, every IPv4 and TCP
checksum is right (checked here, without tshark), drops carry the rule in
their comment; the timeline is JSON with a process per host, syscalls as
slices lasting as long as the call blocked, socket states as slices, timers
and packet flows; both files are byte-identical across runs.

usage: test_observers.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

SOCKSIM = os.environ.get("SOCKSIM", "")
SRC = os.environ.get("SOCKSIM_SOURCE_ROOT", "")


def scn(path):
    return os.path.join(SRC, "scenarios", path)


def run(*args):
    return subprocess.run([SOCKSIM, "run", *args], capture_output=True, text=True)


def slurp(path):
    with open(path, "rb") as f:
        return f.read()


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def options(body):
    """pcapng options -> {code: [value, ...]}"""
    out, i = {}, 0
    while i + 4 <= len(body):
        code, ln = struct.unpack_from("<HH", body, i)
        if code == 0:
            break
        out.setdefault(code, []).append(body[i + 4:i + 4 + ln])
        i += 4 + ln + (-ln % 4)
    return out


def read_pcapng(path):
    """(interfaces, packets): [(linktype, {opt})], [(iface, t_ns, data, {opt})]"""
    data = slurp(path)
    ifaces, pkts, i = [], [], 0
    while i < len(data):
        btype, blen = struct.unpack_from("<II", data, i)
        assert blen % 4 == 0 and blen >= 12, "block length %d at %d" % (blen, i)
        assert struct.unpack_from("<I", data, i + blen - 4)[0] == blen, "trailing length at %d" % i
        body = data[i + 8:i + blen - 4]
        if btype == 0x0A0D0D0A:
            assert struct.unpack_from("<IHH", body, 0) == (0x1A2B3C4D, 1, 0)
        elif btype == 1:
            linktype = struct.unpack_from("<H", body, 0)[0]
            ifaces.append((linktype, options(body[8:])))
        elif btype == 6:
            iface, hi, lo, cap, orig = struct.unpack_from("<IIIII", body, 0)
            assert cap == orig
            pkt = body[20:20 + cap]
            pkts.append((iface, hi << 32 | lo, pkt, options(body[20 + cap + (-cap % 4):])))
        else:
            raise AssertionError("unexpected block type %#x" % btype)
        i += blen
    return ifaces, pkts


class Pcap(unittest.TestCase):
    def capture(self, scenario, *extra):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "c.pcapng")
            p = run(scn(scenario), "--trace", "none", "--pcap", out, *extra)
            self.assertIn(p.returncode, (0, 1), p.stderr)
            self.assertEqual(sorted(os.listdir(d)), ["c.pcapng"])  # no temporary left
            return out, slurp(out), read_pcapng(out)

    def test_syn_lost_once(self):
        _, raw, (ifaces, pkts) = self.capture("tcp/syn-lost-once.scn")
        names = [o[2][0].decode() for _, o in ifaces]
        self.assertEqual(sorted(names), ["client>server", "server>client"])
        for linktype, o in ifaces:
            self.assertEqual(linktype, 101)
            self.assertEqual(o[9], [b"\x09"])          # if_tsresol: ns
        self.assertEqual(len(pkts), 7)                 # the server ACKs the FIN on its own FIN
        first, second = pkts[0], pkts[1]
        self.assertEqual((names[first[0]], first[1]), ("client>server", 0))
        self.assertEqual(second[1], 1000000000)        # the retransmission at the initial RTO
        self.assertIn(b"dropped: fault@15:drop", first[3][1][0])
        self.assertNotIn(1, second[3])                 # comments only on the exceptions
        self.assertEqual(struct.unpack_from("!H", second[2], 4)[0], 2)   # IP ID = socksim id
        self.assertEqual(first[2][33], 0x02)           # SYN
        self.assertEqual(pkts[2][2][33], 0x12)         # SYN-ACK
        _, raw2, _ = self.capture("tcp/syn-lost-once.scn")
        self.assertEqual(raw, raw2)

    def test_checksums_and_options(self):
        _, _, (_, pkts) = self.capture("tcp/send-loss-1.scn")
        sacks = 0
        for _, _, p, _ in pkts:
            ihl = (p[0] & 15) * 4
            self.assertEqual(p[0] >> 4, 4)
            self.assertEqual(csum(p[:ihl]), 0xFFFF, "IPv4 header checksum")
            self.assertEqual(struct.unpack_from("!H", p, 2)[0], len(p))
            if p[9] != 6:
                continue
            seg = p[ihl:]
            pseudo = p[12:20] + struct.pack("!BBH", 0, 6, len(seg))
            self.assertEqual(csum(pseudo + seg), 0xFFFF, "TCP checksum")
            doff = (seg[12] >> 4) * 4
            opts, j = seg[20:doff], 0
            while j < len(opts):
                kind = opts[j]
                if kind in (0, 1):
                    j += 1
                    continue
                if kind == 5:
                    sacks += 1
                    left, right = struct.unpack_from("!II", opts, j + 2)
                    self.assertTrue(0 < (right - left) % (1 << 32) < 1 << 20)
                self.assertIn(kind, (2, 3, 4, 5, 8))
                j += opts[j + 1]
        self.assertGreater(sacks, 0, "a lossy SACK transfer carries SACK blocks")

    def test_vsock_linktype_and_header(self):
        _, _, (ifaces, pkts) = self.capture("vsock/faults-delay-drop.scn")
        self.assertTrue(all(lt == 271 for lt, _ in ifaces))
        dropped = [p for p in pkts if b"dropped" in b"".join(p[3].get(1, []))]
        self.assertEqual(len(dropped), 1)
        hdr = dropped[0][2]
        # af_vsockmon_hdr: op CONTROL (3), transport VIRTIO (2), len 44; then the virtio op 6
        self.assertEqual(struct.unpack_from("<HHH", hdr, 24), (3, 2, 44))
        self.assertEqual(struct.unpack_from("<H", hdr, 32 + 30)[0], 6)
        self.assertIn(b"fault@17:vsock-drop", dropped[0][3][1][0])

    def test_unwritable(self):
        p = run(scn("tcp/syn-lost-once.scn"), "--trace", "none", "--pcap", "/nonexistent/dir/x.pcapng")
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot write pcap '/nonexistent/dir/x.pcapng'", p.stderr)
        p = run(scn("tcp/syn-lost-once.scn"), "--trace", "none", "--timeline", "/nonexistent/t.json")
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot write timeline", p.stderr)


BLOCKED = """\
scenario "connect blocked until the run limit"
host client 10.0.0.1
host server 10.0.0.2
link client server delay=10ms
process cli on client
fault drop kind=SYN
0    cli  c = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   cli  connect(c, 10.0.0.2:80)
"""


class Timeline(unittest.TestCase):
    def timeline(self, scenario, *extra):
        with tempfile.TemporaryDirectory() as d:
            out, res = os.path.join(d, "t.json"), os.path.join(d, "r.json")
            p = run(scenario, "--trace", "none", "--timeline", out, "--results", res, *extra)
            self.assertIn(p.returncode, (0, 1, 3), p.stderr)
            raw = slurp(out)
            self.results = json.loads(slurp(res))
            return raw, json.loads(raw)["traceEvents"]

    def assert_states_match_results(self, ev):
        """Every socket's state slices are its transitions in the results document."""
        procs = {v: k[0] for k, v in self.names(ev, "process_name").items()}
        for sock in self.results["sockets"]:
            want_sk, want_ss = [], []
            for t in sock["transitions"]:
                if not want_sk or want_sk[-1][1] != t["sk_state"]:
                    want_sk.append((t["t_ns"], t["sk_state"]))
                if t["sock_state"] and (not want_ss or want_ss[-1][1] != t["sock_state"]):
                    want_ss.append((t["t_ns"], t["sock_state"]))
            for tid, want in ((100000, want_sk), (200000, want_ss)):
                # a track's slices are written as they close: in time order
                got = [(round(e["ts"] * 1000), e["name"]) for e in ev
                       if e["ph"] == "X" and e["pid"] == procs[sock["host"]] and
                       e["tid"] == tid + sock["id"]]
                self.assertEqual(got, want, "sk#%d" % sock["id"])

    def names(self, ev, what):
        return {(e["pid"], e["tid"]): e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == what}

    def track(self, ev, pname, tname):
        procs = {v: k[0] for k, v in self.names(ev, "process_name").items()}
        threads = {v: k for k, v in self.names(ev, "thread_name").items() if k[0] == procs[pname]}
        pid, tid = threads[tname]
        return [e for e in ev if e["pid"] == pid and e["tid"] == tid and e["ph"] != "M"]

    def test_syn_lost_once(self):
        raw, ev = self.timeline(scn("tcp/syn-lost-once.scn"))
        self.assertEqual(sorted(self.names(ev, "process_name").values()), ["client", "server", "timers"])
        connect = [e for e in self.track(ev, "client", "cli (pid 101)") if e["name"] == "connect"]
        self.assertEqual(len(connect), 1)
        self.assertEqual((connect[0]["ph"], connect[0]["ts"], connect[0]["dur"]), ("X", 0, 1020000))
        self.assertEqual(connect[0]["args"]["ret"], "0")
        accept = [e for e in self.track(ev, "server", "srv (pid 100)") if e["name"] == "accept"][0]
        self.assertEqual((accept["ts"], accept["dur"]), (0, 1030000))
        states = [(e["ts"], e["name"]) for e in self.track(ev, "client", "sk#2") if e["ph"] == "X"]
        self.assertEqual([s for _, s in states], ["TCP_CLOSE", "TCP_SYN_SENT", "TCP_ESTABLISHED",
                                                  "TCP_FIN_WAIT1", "TCP_FIN_WAIT2",
                                                  "TCP_CLOSE"])
        self.assertEqual(states[2][0], 1020000)
        self.assert_states_match_results(ev)
        timer = [e for e in self.track(ev, "client", "sk#2") if e["name"].startswith("tcp_write_timer")]
        self.assertEqual([(e["name"], e["ts"]) for e in timer[:3]],
                         [("tcp_write_timer armed", 0), ("tcp_write_timer fired", 1000000),
                          ("tcp_write_timer armed", 1000000)])
        self.assertEqual(timer[0]["args"]["expires_ns"], 1000000000)
        synack = self.track(ev, "timers", "reqsk_timer_handler")   # a request sock's: no track of its own
        self.assertEqual([(e["name"], e["ts"]) for e in synack], [("armed", 1010000), ("deleted", 1030000)])
        starts = {e["id"] for e in ev if e["ph"] == "s"}
        ends = [e["id"] for e in ev if e["ph"] == "f"]
        self.assertEqual(len(starts), 7)               # every packet sent, the lost SYN too
        self.assertEqual(len(ends), 6)                 # every packet delivered
        self.assertTrue(set(ends) <= starts)
        raw2, _ = self.timeline(scn("tcp/syn-lost-once.scn"))
        self.assertEqual(raw, raw2)

    def test_blocked_call_and_counters(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "blocked.scn")
            with open(path, "w") as f:
                f.write(BLOCKED)
            _, ev = self.timeline(path, "--until", "2s")
        connect = [e for e in self.track(ev, "client", "cli (pid 100)") if e["name"] == "connect"][0]
        self.assertEqual(connect["args"].get("unfinished"), 1)
        self.assertEqual((connect["ts"], connect["dur"]), (0, 2000000))   # drawn up to the end of the run
        _, ev = self.timeline(scn("vsock/bulk-reader-paced.scn"))
        counters = {e["name"] for e in ev if e["ph"] == "C"}
        self.assertIn("vq vm/rx", counters)
        self.assertIn("sk#2 peer credit", counters)
        self.assertTrue(all(e["args"]["in_use"] >= 0 for e in ev if e["name"] == "vq vm/tx"))
        ss = [e["name"] for e in self.track(ev, "vm", "sk#2 sock_state") if e["ph"] == "X"]
        self.assertEqual(ss[:3], ["SS_UNCONNECTED", "SS_CONNECTING", "SS_CONNECTED"])
        self.assert_states_match_results(ev)
        self.assertTrue(any(e["ph"] == "f" for e in ev))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and not sys.argv[1].startswith("-"):
        SOCKSIM, SRC = sys.argv[1], sys.argv[2]
        del sys.argv[1:3]
    unittest.main(verbosity=1)
