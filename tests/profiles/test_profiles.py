#!/usr/bin/python3
"""Kernel profiles (issue #12): every scenarios/profiles/ file shows one side
of a profile flag; here the same file runs under the profile on the other
side and the difference is checked.  Also: the SYN schedule under every
profile against the table in docs/models.md, and `socksim list-profiles`
against the registry.

usage: test_profiles.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

SOCKSIM = SRC = None
PROFILES = ["linux-5.0", "linux-5.10", "linux-5.15", "linux-6.1", "linux-6.6",
            "linux-6.12", "linux-6.18"]
S = 1000000000


def scn(name):
    return os.path.join(SRC, "scenarios", name)


class ProfileTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="profiles-")

    def tearDown(self):
        self.tmp.cleanup()

    def run_sim(self, scenario, profile, status=None, trace=False):
        """Run @scenario under @profile: (process, results, trace events)."""
        res = os.path.join(self.tmp.name, "r.json")
        tr = os.path.join(self.tmp.name, "t.jsonl")
        if os.path.exists(res):
            os.unlink(res)
        cmd = [SOCKSIM, "run", scn(scenario), "--profile", profile, "--results", res,
               "--trace", tr if trace else "none"] + (["--trace-format", "jsonl"] if trace else [])
        p = subprocess.run(cmd, capture_output=True, text=True)
        if status is not None:
            self.assertEqual(p.returncode, status, "%s under %s: %s%s" % (
                scenario, profile, p.stdout[-2000:], p.stderr[-2000:]))
        r = None
        if os.path.exists(res):
            with open(res) as f:
                r = json.load(f)
            self.assertEqual(r["profile"], profile)
        events = []
        if trace and os.path.exists(tr):
            with open(tr) as f:
                events = [json.loads(line) for line in f]
        return p, r, events

    @staticmethod
    def calls(r, proc, call):
        return [c for c in r["syscalls"] if c["proc"] == proc and c["call"] == call]


class SynSchedule(ProfileTest):
    def docs_table(self):
        with open(os.path.join(SRC, "docs", "models.md")) as f:
            text = f.read()
        rows = re.findall(r"^\| (linux-[0-9.]+) \| ([0-9 ]+) \| (\d+) s \|$", text, re.M)
        return {name: ([int(x) for x in syns.split()], int(giveup)) for name, syns, giveup in rows}

    def test_every_profile_gives_the_docs_schedule(self):
        table = self.docs_table()
        self.assertEqual(sorted(table), sorted(PROFILES))
        for prof in PROFILES:
            with self.subTest(profile=prof):
                p, r, ev = self.run_sim("profiles/syn-timeout-6.1.scn", prof, trace=True)
                syns = [e["t_ns"] for e in ev
                        if e.get("event") == "net_dev_xmit" and e.get("kind") == "SYN"]
                want_syns, want_giveup = table[prof]
                self.assertEqual(syns, [t * S for t in want_syns])
                (conn,) = self.calls(r, "cli", "connect")
                self.assertEqual((conn["errno"], conn["t_return_ns"]), ("ETIMEDOUT", want_giveup * S))

    def test_linear_timeouts_sysctl_only_from_6_6(self):
        for prof in PROFILES:
            with self.subTest(profile=prof):
                p = subprocess.run([SOCKSIM, "list-params", "--profile", prof],
                                   capture_output=True, text=True)
                self.assertEqual(p.returncode, 0)
                has = "net.ipv4.tcp_syn_linear_timeouts" in p.stdout
                self.assertEqual(has, prof in ("linux-6.6", "linux-6.12", "linux-6.18"))


class Pairs(ProfileTest):
    def test_disconnect_while_waiting(self):
        f = "profiles/concurrent-disconnect-5.10.scn"
        for prof in ("linux-5.10", "linux-5.15"):	# ebusy: the sleeper goes on
            p, r, _ = self.run_sim(f, prof, status=0)
            self.assertEqual(self.calls(r, "helper", "connect")[0]["errno"], "EBUSY")
            self.assertEqual(self.calls(r, "cli", "connect")[0]["t_return_ns"], 1002000000)
        for prof, errno in (("linux-6.1", "EPIPE"), ("linux-6.18", "EPIPE"),
                            ("linux-5.0", "ECONNRESET")):
            p, r, _ = self.run_sim(f, prof, status=1)
            helper = self.calls(r, "helper", "connect")[0]
            cli = self.calls(r, "cli", "connect")[0]
            self.assertEqual((helper["ret"], helper["errno"]), (0, None), prof)
            self.assertEqual((cli["errno"], cli["t_return_ns"]), (errno, 500000000), prof)

    def test_disconnect_with_a_reader(self):
        f = "profiles/disconnect-recv-waiter-5.10.scn"
        p, r, _ = self.run_sim(f, "linux-5.15", status=0)
        p, r, _ = self.run_sim(f, "linux-6.1", status=1)
        self.assertEqual(self.calls(r, "helper", "connect")[0]["errno"], None)
        recv = self.calls(r, "cli", "recv")[0]
        self.assertEqual((recv["errno"], recv["t_return_ns"]), ("ECONNRESET", 500000000))

    def test_rcv_window(self):
        # rcv_wnd_init_uncapped (6.11) and rcv_scaling_ratio (6.6): the same
        # three segments get windows 268, 279, 291 x 256 up to 6.6 and
        # 1064, 1075, 1087 x 256 on 6.12 and 6.18
        f = "profiles/rcv-window-6.1.scn"
        for prof in ("linux-5.0", "linux-6.1", "linux-6.6"):
            self.run_sim(f, prof, status=0)
        for prof in ("linux-6.12", "linux-6.18"):
            p, r, _ = self.run_sim(f, prof, status=1)
            got = re.findall(r"got \. sport=80 dport=\d+ seq=1 ack=(\d+) len=0 win=(\d+)",
                             p.stdout + p.stderr)
            self.assertEqual(got, [("1449", "1064"), ("2897", "1075"), ("4345", "1087")])

    def test_ofo_measure_rcv_mss(self):
        # 6.17+: out-of-order segments measure the scaling ratio too
        f = "profiles/rcv-ofo-ratio-6.12.scn"
        self.run_sim(f, "linux-6.12", status=0)
        p, r, _ = self.run_sim(f, "linux-6.18", status=1)
        self.assertIn("got 0 tcpi_rcv_ssthresh=234140", p.stdout + p.stderr)

    def test_rto_max_ms(self):
        f = "profiles/rto-max-ms-6.12.scn"
        p, r, _ = self.run_sim(f, "linux-6.12", status=0)
        p, r18, _ = self.run_sim(f, "linux-6.18", status=1)
        opt = self.calls(r18, "cli", "setsockopt")[0]
        conn = self.calls(r18, "cli", "connect")[0]
        self.assertEqual((opt["ret"], opt["errno"]), (0, None))
        self.assertEqual((conn["errno"], conn["t_return_ns"]), ("ETIMEDOUT", 7 * S))

    def test_rto_min_us(self):
        f = "profiles/rto-min-us-6.12.scn"
        p, r, _ = self.run_sim(f, "linux-6.12", status=0)
        self.assertEqual(self.calls(r, "srv", "recv")[0]["t_return_ns"], 132000000)
        p, r, _ = self.run_sim(f, "linux-6.18", status=0)	# 6.18 has it too
        p, r, _ = self.run_sim(f, "linux-6.6", status=2)
        self.assertIn("sysctl 'net.ipv4.tcp_rto_min_us' does not exist in profile linux-6.6",
                      p.stderr)

    def test_grow_skb(self):
        f = "profiles/grow-skb-6.6.scn"
        p, r, _ = self.run_sim(f, "linux-6.6", status=0)
        self.assertEqual([c["ret"] for c in self.calls(r, "cli", "send")], [6144, 2048, -1])
        p, r, _ = self.run_sim(f, "linux-6.18", status=1)
        self.assertEqual([c["ret"] for c in self.calls(r, "cli", "send")], [6144, 2048, 2048])

    def test_tx_credit_cap(self):
        f = "profiles/vsock-tx-credit-bounds-6.6.scn"
        for prof in ("linux-6.6", "linux-5.10", "linux-6.12"):
            p, r, _ = self.run_sim(f, prof, status=0)
        for prof in ("linux-6.1", "linux-6.18"):	# capped at the client's 64 KiB
            p, r, _ = self.run_sim(f, prof, status=1)
            sends = self.calls(r, "client", "send")
            self.assertEqual([c["errno"] for c in sends], [None] * 16 + ["EAGAIN"], prof)

    def test_sigpipe(self):
        f = "profiles/vsock-shut-wr-epipe-6.6.scn"
        p, r, _ = self.run_sim(f, "linux-6.6", status=0)
        self.assertEqual([c["outcome"] for c in self.calls(r, "victim", "send")],
                         ["returned"] * 3)
        p, r, _ = self.run_sim(f, "linux-6.12", status=1)
        self.assertEqual([c["outcome"] for c in self.calls(r, "victim", "send")],
                         ["returned", "killed"])

    def test_rcvlowat_credit_update(self):
        f = "profiles/vsock-rcvlowat-6.1.scn"
        p, r, _ = self.run_sim(f, "linux-6.1", status=0)
        p, r, _ = self.run_sim(f, "linux-6.6", status=1)
        poll = self.calls(r, "server", "poll")[0]
        self.assertEqual(poll["ret"], 1)
        self.assertLess(poll["t_return_ns"], 21000000)
        self.assertEqual(r["vsock"]["packets"]["sent"]["CREDIT_UPDATE"], 2)


    def test_buffer_defaults(self):
        f = "profiles/buffer-defaults-6.12.scn"
        for prof, buf in (("linux-6.12", 425984), ("linux-6.18", 8388608), ("linux-5.10", 425984)):
            p, r, _ = self.run_sim(f, prof, status=0 if buf == 425984 else 1)
            outs = [c["out"] for c in self.calls(r, "cli", "getsockopt")]
            self.assertEqual(outs[1:], [buf, buf], prof)
        self.assertIn("tcpi_rcv_wscale=10", self.run_sim(f, "linux-6.18")[0].stderr)

    def test_seqpacket(self):
        f = "profiles/vsock-seqpacket-5.10.scn"
        p, r, _ = self.run_sim(f, "linux-5.10", status=0)
        p, r, _ = self.run_sim(f, "linux-5.15", status=1)
        self.assertEqual([c["ret"] for c in self.calls(r, "app", "socket")], [3, 4])

    def test_rcvlowat_target(self):
        f = "profiles/vsock-poll-rcvlowat-5.15.scn"
        for prof in ("linux-5.10", "linux-5.15"):
            p, r, _ = self.run_sim(f, prof, status=0)
        for prof in ("linux-6.1", "linux-6.18"):
            p, r, _ = self.run_sim(f, prof, status=1)
            poll = self.calls(r, "server", "poll")[0]
            self.assertEqual((poll["ret"], poll["t_return_ns"]), (0, 110000000), prof)
            opt = self.calls(r, "server", "setsockopt")[0]
            self.assertEqual(opt["errno"], "EINVAL", prof)


    def test_tx_fast_path(self):
        f = "profiles/vsock-tx-fast-path-6.6.scn"
        p, r, _ = self.run_sim(f, "linux-6.6", status=0)
        for prof in ("linux-6.12", "linux-6.18"):
            p, r, _ = self.run_sim(f, prof, status=1)
            self.assertEqual(self.calls(r, "server", "recv")[0]["t_return_ns"], 5007000, prof)


    def test_rx_buf_linear(self):
        f = "profiles/vsock-rx-buf-6.12.scn"
        p, r, _ = self.run_sim(f, "linux-6.12", status=0)
        self.assertEqual(r["vsock"]["packets"]["sent"]["RW"], 16)
        p, r, _ = self.run_sim(f, "linux-6.18", status=1)
        self.assertEqual(r["vsock"]["packets"]["sent"]["RW"], 18)
        self.assertEqual([c["ret"] for c in self.calls(r, "svc", "recv")], [26124, 39412])


class KernelDiffProfile(unittest.TestCase):
    """tests/kernel/diff_kernel.py compares with the profile of the running kernel."""
    def test_choose_profile(self):
        sys.path.insert(0, os.path.join(SRC, "tests", "kernel"))
        sys.dont_write_bytecode = True
        import diff_kernel
        for release, want in (("6.18.44-fc-v1045", ("linux-6.18", "same version")),
                              ("6.8.0-49-generic", ("linux-6.6", "nearest older profile")),
                              ("5.14.0-427.el9.x86_64", ("linux-5.10", "nearest older profile")),
                              ("6.1.0-26-amd64", ("linux-6.1", "same version")),
                              ("5.4.0-200-generic", ("linux-5.0", "nearest older profile")),
                              ("4.19.0", ("linux-5.0", "older than every profile: the oldest")),
                              ("7.2.1", ("linux-6.18", "nearest older profile"))):
            with self.subTest(release=release):
                self.assertEqual(diff_kernel.choose_profile(SOCKSIM, release), want)


class Table(unittest.TestCase):
    def test_list_profiles_prints_the_registry(self):
        p = subprocess.run([SOCKSIM, "list-profiles"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        names, table = p.stdout.split("\n\n", 1)
        self.assertEqual(sorted(line.split()[0] for line in names.splitlines()), sorted(PROFILES))
        head = re.search(r"^flag +(.*)$", table, re.M).group(1).split()
        self.assertEqual(head, ["5.0", "5.10", "5.15", "6.1", "6.6", "6.12", "6.18",
                                "first", "confidence", "source"])
        with open(os.path.join(SRC, "models", "include", "net", "profile_flags.h")) as f:
            rows = re.findall(r"^\tPF\(A, (\w+),", f.read(), re.M)
        listed = re.findall(r"^(\w+) +(?:\S+ +){7}\d+\.\d+ +(?:sourced|assumed) ", table, re.M)
        self.assertEqual(listed, rows)
        for want in (r"^rto_min_tunable +no +no +no +no +no +yes +yes +6\.11 +sourced ",
                     r"^disconnect_while_waiting +proceeds +ebusy\+ +ebusy\+ +epipe\* +epipe "
                     r"+epipe +epipe +6\.6 ",
                     r"^tx_cap_own_buf_alloc +no +no +no +yes\* +no +no +yes\* +6\.19 ",
                     r"^max_pkt_payload +4096 +65536 +65536 +65536 +65536 +65536 +65536 +5\.4 "
                     r"+assumed "):
            self.assertRegex(table, re.compile(want, re.M))

    def test_unknown_profile_suggests_the_nearest_older(self):
        p = subprocess.run([SOCKSIM, "run", scn("tcp/syn-lost-once.scn"), "--profile",
                            "linux-6.14"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("(did you mean 'linux-6.12', the nearest older profile?)", p.stderr)


if __name__ == "__main__":
    SOCKSIM, SRC = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)
