#!/usr/bin/python3
"""Tests of the `socksim` command line: exit statuses, error formats, --results,
--trace, --seed, --set, `check` and `list-params` (README.md "Using it",
docs/scenario-language.md, docs/results-format.md).

usage: test_cli.py SOCKSIM SOURCE_ROOT [unittest options]
(or SOCKSIM / SOCKSIM_SOURCE_ROOT in the environment)
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

SOCKSIM = os.environ.get("SOCKSIM", "")
SRC = os.environ.get("SOCKSIM_SOURCE_ROOT", "")


def scn_path(name):
    return os.path.join(SRC, "scenarios", "tcp", name)


# A clean handshake whose link delay and expected connect() time are parameters.
HANDSHAKE = """\
scenario "cli handshake"
param delay = 10ms
param rtt = 20ms
host client 10.0.0.1
host server 10.0.0.2
link client server delay=$delay
process srv on server
process cli on client
0    srv  s = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   srv  bind(s, 10.0.0.2:80) = 0
+0   srv  listen(s, 128) = 0
0    cli  c = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   cli  connect(c, 10.0.0.2:80) = 0 @ $rtt
"""

# The same handshake with a wrong expectation on line 11.
WRONG = """\
scenario "wrong expectation"
host client 10.0.0.1
host server 10.0.0.2
link client server delay=10ms
process srv on server
process cli on client
0    srv  s = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   srv  bind(s, 10.0.0.2:80) = 0
+0   srv  listen(s, 128) = 0
0    cli  c = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   cli  connect(c, 10.0.0.2:80) = 0 @ 25ms
"""

# Random SYN loss; connect() carries no expectation so every seed exits 0.
RANDOM = """\
scenario "random SYN loss"
seed 7
host client 10.0.0.1
host server 10.0.0.2
link client server delay=10ms
process srv on server
process cli on client
fault loss p=0.5 kind=SYN
0    srv  s = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   srv  bind(s, 10.0.0.2:80) = 0
+0   srv  listen(s, 128) = 0
0    cli  c = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   cli  connect(c, 10.0.0.2:80)
"""

SYNTAX_ERROR = "host a 10.0.0.1\nlink a b delay=10msx\n"
SEMANTIC_ERROR = "host a 10.0.0.1\nprocess p on nohost\n"


class CliTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="socksim-cli-")
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def socksim(self, *args):
        return subprocess.run([SOCKSIM] + list(args), capture_output=True, text=True,
                              cwd=self.dir, timeout=60)

    def assertStatus(self, proc, status):
        self.assertEqual(proc.returncode, status,
                         "exit %d, expected %d\nstdout:\n%s\nstderr:\n%s" % (
                             proc.returncode, status, proc.stdout[-2000:], proc.stderr[-2000:]))

    def load(self, name):
        with open(self.path(name)) as f:
            return json.load(f)

    def read(self, p):
        with open(p, "rb") as f:
            return f.read()


class ExitStatus(CliTest):
    def test_0_passing_scenario(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", "none")
        self.assertStatus(p, 0)
        self.assertEqual(p.stdout, "")
        self.assertEqual(p.stderr.splitlines()[-1],
                         "%s: 11 expectations, 0 failed" % scn_path("syn-lost-once.scn"))

    def test_1_wrong_expectation(self):
        f = self.write("wrong.scn", WRONG)
        p = self.socksim("run", f, "--trace", "none", "--results", self.path("r.json"))
        self.assertStatus(p, 1)
        self.assertIn("%s:11: expectation failed: expected connect(c,10.0.0.2:80) = 0 @ 25ms, "
                      "got 0 @ 0.020000000s\n" % f, p.stderr)
        self.assertEqual(p.stderr.splitlines()[-1], "%s: 5 expectations, 1 failed" % f)
        r = self.load("r.json")
        self.assertEqual(r["exit"], "expectation-failed")
        failed = [e for e in r["expectations"] if e["outcome"] == "fail"]
        self.assertEqual([e["line"] for e in failed], [11])

    def check_usage(self, p, message):
        self.assertStatus(p, 2)
        self.assertIn("socksim: error: %s\n" % message, p.stderr)
        self.assertIn("usage: socksim run FILE", p.stderr)

    def test_2_unknown_command(self):
        p = self.socksim("frobnicate")
        self.assertStatus(p, 2)
        self.assertIn("socksim: error: unknown command 'frobnicate' (run, check, list-params, ", p.stderr)
        self.assertIn(" report or help)\nusage: socksim COMMAND", p.stderr)

    def test_2_no_arguments(self):
        p = self.socksim()
        self.assertStatus(p, 2)
        self.assertTrue(p.stderr.startswith("usage: socksim COMMAND"))

    def test_help_is_status_0(self):
        p = self.socksim("--help")
        self.assertStatus(p, 0)
        self.assertTrue(p.stdout.startswith("usage: socksim COMMAND"))

    def test_2_unknown_option(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--bogus", "1")
        self.assertStatus(p, 2)
        self.assertEqual(p.stderr, "socksim: error: unknown option '--bogus' for run (see `socksim help run`)\n"
                         "usage: socksim run FILE [options]\n")

    def test_2_option_without_value(self):
        self.check_usage(self.socksim("run", scn_path("syn-lost-once.scn"), "--seed"),
                         "option '--seed' needs a value")

    def test_2_run_without_file(self):
        self.check_usage(self.socksim("run"), "run needs a scenario file")

    def test_2_two_files(self):
        self.check_usage(self.socksim("run", scn_path("syn-lost-once.scn"), "extra.scn"),
                         "unexpected argument 'extra.scn' (one scenario per run)")

    def test_2_missing_file(self):
        missing = self.path("no-such.scn")
        p = self.socksim("run", missing)
        self.assertStatus(p, 2)
        self.assertTrue(p.stderr.startswith("%s: error: " % missing), p.stderr)
        self.assertEqual(p.stdout, "")

    def test_2_bad_seed(self):
        for bad in ("abc", "-1", "1x", "", "99999999999999999999999"):
            with self.subTest(seed=bad):
                self.check_usage(self.socksim("run", scn_path("syn-lost-once.scn"), "--seed", bad),
                                 "--seed expects a non-negative integer, found '%s'" % bad)

    def test_2_bad_set_format(self):
        for bad in ("foo", "=3"):
            with self.subTest(set=bad):
                self.check_usage(self.socksim("run", scn_path("syn-lost-once.scn"), "--set", bad),
                                 "--set expects KEY=VALUE, found '%s'" % bad)

    def test_2_bad_trace_format(self):
        self.check_usage(self.socksim("run", scn_path("syn-lost-once.scn"), "--trace-format", "xml"),
                         "--trace-format expects text or jsonl, found 'xml'")

    def test_2_bad_until(self):
        for bad in ("1", "+1s", "-1s"):
            with self.subTest(until=bad):
                p = self.socksim("run", scn_path("syn-lost-once.scn"), "--until", bad)
                self.assertStatus(p, 2)
                self.assertIn("socksim: error: --until: ", p.stderr)

    def test_2_bad_max_events(self):
        self.check_usage(self.socksim("run", scn_path("syn-lost-once.scn"), "--max-events", "x"),
                         "--max-events expects a non-negative integer, found 'x'")

    def test_2_unknown_sysctl_in_set(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--set", "net.ipv4.nosuch=1")
        self.assertStatus(p, 2)
        self.assertRegex(p.stderr, r"^<command line>: error: .*unknown sysctl 'net\.ipv4\.nosuch'")

    def test_2_bad_sysctl_value_in_set(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--set", "net.ipv4.tcp_syn_retries=abc")
        self.assertStatus(p, 2)
        self.assertRegex(p.stderr, r"^<command line>: error: .*tcp_syn_retries")

    def test_2_unknown_host_in_set(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--set",
                         "nohost:net.ipv4.tcp_syn_retries=1")
        self.assertStatus(p, 2)
        self.assertRegex(p.stderr, r"^<command line>: error: .*unknown host 'nohost'")

    def test_2_unknown_parameter_in_set(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--set", "nosuch=1")
        self.assertStatus(p, 2)
        self.assertEqual(p.stderr, "<command line>: error: unknown parameter 'nosuch' (declared: none)\n")
        f = self.write("h.scn", HANDSHAKE)
        p = self.socksim("run", f, "--set", "tmo=1s")
        self.assertStatus(p, 2)
        self.assertEqual(p.stderr, "<command line>: error: unknown parameter 'tmo' (declared: delay, rtt)\n")

    def test_2_bad_parameter_value_in_set(self):
        # docs/scenario-language.md: COL counts from the start of NAME=VALUE.
        f = self.write("h.scn", HANDSHAKE)
        p = self.socksim("run", f, "--set", "delay=2x")
        self.assertStatus(p, 2)
        self.assertEqual(p.stderr, "<command line>:1:7: error: unknown time unit 'x' in '2x', "
                         "expected ns, us, ms or s\n")
        p = self.socksim("run", f, "--set", "delay=$rtt")
        self.assertStatus(p, 2)
        self.assertTrue(p.stderr.startswith("<command line>:1:7: error: "), p.stderr)

    def test_2_syntax_error(self):
        f = self.write("syntax.scn", SYNTAX_ERROR)
        p = self.socksim("run", f, "--trace", "none")
        self.assertStatus(p, 2)
        self.assertEqual(p.stderr, "%s:2:16: error: unknown time unit 'msx' in '10msx', "
                         "expected ns, us, ms or s\n" % f)
        self.assertEqual(p.stdout, "")

    def test_2_semantic_error(self):
        f = self.write("semantic.scn", SEMANTIC_ERROR)
        p = self.socksim("run", f)
        self.assertStatus(p, 2)
        self.assertRegex(p.stderr, r"^%s:2:14: error: unknown host 'nohost'.*\n\Z" % re.escape(f))
        self.assertEqual(p.stdout, "")

    def test_3_until(self):
        f = scn_path("syn-timeout-6x.scn")
        p = self.socksim("run", f, "--until", "1s", "--trace", self.path("t.txt"),
                         "--results", self.path("r.json"))
        self.assertStatus(p, 3)
        self.assertRegex(p.stderr, r"(?m)^socksim: run limit hit: --until at t=1\.000000000s "
                         r"after \d+ events; stopped cleanly$")
        self.assertRegex(p.stderr, r"(?m)^%s: 8 expectations, \d+ failed \(run limit hit\)$" % re.escape(f))
        r = self.load("r.json")
        self.assertEqual(r["exit"], "run-limit")
        self.assertLessEqual(r["end_time_ns"], 1000000000)
        connect = [s for s in r["syscalls"] if s["call"] == "connect"]
        self.assertEqual(connect[0]["outcome"], "pending")
        # Stopped cleanly: the trace was completed and renamed into place.
        self.assertTrue(self.read(self.path("t.txt")).startswith(b"# scenario: "))
        self.assertEqual(sorted(os.listdir(self.dir)), ["r.json", "t.txt"])

    def test_3_max_events(self):
        f = scn_path("syn-timeout-6x.scn")
        p = self.socksim("run", f, "--max-events", "5", "--trace", "none",
                         "--results", self.path("r.json"))
        self.assertStatus(p, 3)
        self.assertRegex(p.stderr, r"(?m)^socksim: run limit hit: --max-events at t=\d+\.\d{9}s "
                         r"after 5 events; stopped cleanly$")
        r = self.load("r.json")
        self.assertEqual(r["exit"], "run-limit")
        self.assertEqual(r["events"], 5)

    def test_limit_not_reached(self):
        p = self.socksim("run", scn_path("syn-timeout-6x.scn"), "--until", "300s",
                         "--trace", "none")
        self.assertStatus(p, 0)


class Results(CliTest):
    def test_documented_fields(self):
        f = scn_path("syn-lost-once.scn")
        p = self.socksim("run", f, "--trace", "none", "--results", self.path("r.json"))
        self.assertStatus(p, 0)
        r = self.load("r.json")
        self.assertEqual(r["format"], "socksim-results")
        self.assertEqual(r["version"], 1)
        self.assertEqual(r["scenario"], {"path": f, "title": "one SYN lost"})
        self.assertEqual(r["seed"], 1)
        self.assertEqual(r["profile"], "linux-6.18")
        self.assertEqual(r["params"], {})
        self.assertEqual(r["sets"], [])
        self.assertEqual(r["exit"], "ok")
        self.assertIsInstance(r["end_time_ns"], int)
        self.assertIsInstance(r["events"], int)
        self.assertGreater(r["events"], 0)
        order = [k for k in ("format", "version", "scenario", "seed", "profile", "params", "sets",
                             "end_time_ns", "events", "exit", "syscalls", "sockets", "packets",
                             "counters", "expectations") if k in r]
        self.assertEqual([k for k in r if k in order], order, "documented key order")

        for sc in r["syscalls"]:
            for key in ("host", "pid", "proc", "call", "fd", "line", "t_call_ns", "t_return_ns",
                        "ret", "errno", "restarts", "outcome"):
                self.assertIn(key, sc)
            self.assertIn(sc["outcome"], ("returned", "killed", "pending"))
            if sc["outcome"] == "returned" and sc["ret"] >= 0:
                self.assertIsNone(sc["errno"])
        connect = [s for s in r["syscalls"] if s["call"] == "connect"]
        self.assertEqual(len(connect), 1)
        c = connect[0]
        self.assertEqual((c["host"], c["proc"], c["fd"], c["line"], c["t_call_ns"], c["t_return_ns"],
                          c["ret"], c["errno"], c["restarts"], c["outcome"]),
                         ("client", "cli", 3, 24, 0, 1020000000, 0, None, 0, "returned"))

        cli = [s for s in r["sockets"] if s["proc"] == "cli"]
        self.assertEqual(len(cli), 1)
        s = cli[0]
        for key in ("id", "host", "fd", "family", "local", "remote", "transitions"):
            self.assertIn(key, s)
        self.assertEqual(s["remote"], "10.0.0.2:80")
        self.assertEqual(s["transitions"][0],
                         {"t_ns": 0, "sk_state": "TCP_CLOSE", "sock_state": "SS_UNCONNECTED"})
        for t in s["transitions"]:
            self.assertEqual(sorted(t), ["sk_state", "sock_state", "t_ns"])
        sk_states = [t["sk_state"] for t in s["transitions"]]
        self.assertIn("TCP_SYN_SENT", sk_states)
        self.assertIn("TCP_ESTABLISHED", sk_states)

        self.assertEqual(r["packets"]["sent"]["SYN"], 2)
        self.assertEqual(r["packets"]["dropped"], {"SYN": 1})
        self.assertEqual(r["packets"]["delivered"]["SYN"], 1)
        self.assertEqual(r["counters"]["client"]["TCPSynRetrans"], 1)

        self.assertEqual(len(r["expectations"]), 11)
        for e in r["expectations"]:
            self.assertIsInstance(e["line"], int)
            self.assertEqual(e["outcome"], "pass")
        self.assertIn(24, [e["line"] for e in r["expectations"]])

    def test_connections_account_every_byte(self):
        # connections[] under loss: the receiver's per-interval bytes include
        # what a retransmission released from the out-of-order queue, so
        # they add up to what recv() returned; the sender's to what was acked.
        p = self.socksim("run", scn_path("send-loss-1.scn"), "--trace", "none",
                         "--results", self.path("r.json"))
        self.assertStatus(p, 0)
        r = self.load("r.json")
        conns = {c["host"]: c for c in r["connections"]}
        received = sum(s["ret"] for s in r["syscalls"]
                       if s["host"] == "server" and s["call"] == "recv" and s["ret"] > 0)
        self.assertEqual(received, 4000000)
        self.assertEqual(conns["server"]["bytes_received"], received)
        self.assertEqual(sum(conns["server"]["received_per_interval"]), received)
        self.assertEqual(sum(conns["client"]["acked_per_interval"]), conns["client"]["bytes_acked"])
        self.assertGreater(conns["client"]["segs_retrans"], 0)

    def test_results_on_stdout_trace_untouched(self):
        # --results does not disturb the trace on stdout, nor what goes to
        # stderr: without it the run keeps no TCP series (scn_run_opts.no_results),
        # so also connections that carry data with losses (the series' samples).
        for name in ("syn-lost-once.scn", "send-congestion-reno.scn", "send-burst-outage.scn"):
            with self.subTest(name):
                f = scn_path(name)
                a = self.socksim("run", f, "--stats")
                b = self.socksim("run", f, "--stats", "--results", self.path("r.json"))
                self.assertEqual(a.returncode, b.returncode)
                self.assertEqual(a.stdout, b.stdout)
                self.assertEqual(a.stderr, b.stderr)
                self.assertIn("socksim: stats: events=", a.stderr)
                conns = self.load("r.json")["connections"]
                if name != "syn-lost-once.scn":	# these do keep series with --results
                    self.assertTrue(any(c["samples"] for c in conns))

    # Program lines whose calls fail out of issue order (cli.1 returns before
    # cli.0), stay blocked at the end, or die with their process; a repeated
    # line; a process killed in accept().  Without --results the run keeps
    # only the records the report shows (scenario/run_private.h, struct
    # step_recs): the report must not change.
    RECORDS_SCN = """scenario "records kept without --results"
host client 10.0.0.1
host server 10.0.0.2
link client server delay=10ms
process srv on server
0    srv s = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   srv bind(s, 10.0.0.2:80) = 0
+0   srv listen(s, 16) = 0
+0   srv repeat=5 getsockopt(s, SOL_SOCKET, SO_RCVBUF)
+0   srv getsockopt(s, SOL_SOCKET, SO_RCVBUF) = 0 val=1
+0   srv a1 = accept(s) = 4
+0   srv a2 = accept(s) = 5
100ms srv close(a2) = 0
CLOSE_A1
process k on server
0    k s = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   k bind(s, 10.0.0.2:81) = 0
+0   k listen(s, 1) = 0
+0   k accept(s) = 4
1ms signal k SIGKILL
program cli on client
  c = socket(AF_INET, SOCK_STREAM, 0) = 3
  connect(c, 10.0.0.2:80) = 0
  loop 20
    getsockopt(c, SOL_SOCKET, SO_RCVBUF) = 0 val=7
  end
  recv(c, 100) = 5 @ 150ms
  send(c, 10) = 10
end
0 start cli 3 over=10ms
stop at=1s
"""

    def test_records_without_results_same_report(self):
        for close_a1 in ("200ms srv close(a1) = 0", ""):
            with self.subTest(close_a1=close_a1):
                f = self.write("r.scn", self.RECORDS_SCN.replace("CLOSE_A1", close_a1))
                a = self.socksim("run", f, "-v", "--trace", "none")
                b = self.socksim("run", f, "-v", "--trace", "none", "--results", self.path("r.json"))
                self.assertStatus(a, 1)
                self.assertEqual(a.returncode, b.returncode)
                self.assertEqual(a.stdout, b.stdout)
                self.assertEqual(a.stderr, b.stderr)
                # the first call that failed in issue order, not in return order
                self.assertIn("(cli.0; 3 of 3 calls failed)", a.stderr)
                self.assertIn("got 0 @ 0.210000000s" if close_a1 else "still blocked", a.stderr)
                self.assertIn("killed at 0.001000000s by SIGKILL", a.stderr)
                # --results keeps every call: srv's 12 (13 with close(a1)), k's 4,
                # 23 per instance up to recv(), a send() after each recv() that returned
                self.assertEqual(len(self.load("r.json")["syscalls"]),
                                 (13 if close_a1 else 12) + 4 + 3 * 23 + (2 if close_a1 else 1))

    def test_records_memory_does_not_grow_with_calls(self):
        # 4x10^5 more calls of one program line keep no more records without
        # --results: the peak RSS stays (the records alone would be ~45 MB).
        def peak_kb(n):
            f = self.write("loop.scn", "host a 10.0.0.1\nprogram p on a\n"
                           "  s = socket(AF_INET, SOCK_STREAM, 0) = 3\n"
                           "  loop %d\n    getsockopt(s, SOL_SOCKET, SO_RCVBUF) = 0\n  end\n"
                           "end\n" % n)
            # Under ASan, freed memory waits in a quarantine (up to 256 MB) instead
            # of being reused, which would look like growth: turn it off.
            env = dict(os.environ)
            env["ASAN_OPTIONS"] = ":".join(o for o in (env.get("ASAN_OPTIONS"), "quarantine_size_mb=0") if o)
            proc = subprocess.Popen([SOCKSIM, "run", f, "--trace", "none"], cwd=self.dir, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            self.assertEqual(proc.returncode, 0)
            return usage.ru_maxrss
        small, big = peak_kb(1000), peak_kb(401000)
        self.assertLess(big - small, 8 * 1024, (small, big))


class Atomicity(CliTest):
    OLD_RESULTS = b'{"old": "results"}\n'
    OLD_TRACE = b"old trace\n"

    def check_untouched(self, *args):
        results, trace = self.path("out.json"), self.path("out.trace")
        with open(results, "wb") as f:
            f.write(self.OLD_RESULTS)
        with open(trace, "wb") as f:
            f.write(self.OLD_TRACE)
        before = sorted(os.listdir(self.dir))
        p = self.socksim(*(list(args) + ["--results", results, "--trace", trace]))
        self.assertStatus(p, 2)
        self.assertEqual(self.read(results), self.OLD_RESULTS)
        self.assertEqual(self.read(trace), self.OLD_TRACE)
        self.assertEqual(sorted(os.listdir(self.dir)), before, "temporary files left behind")

    def test_syntax_error(self):
        self.check_untouched("run", self.write("bad.scn", SYNTAX_ERROR))

    def test_semantic_error(self):
        self.check_untouched("run", self.write("bad.scn", SEMANTIC_ERROR))

    def test_missing_file(self):
        self.check_untouched("run", self.path("missing.scn"))

    def test_bad_set(self):
        self.check_untouched("run", scn_path("syn-lost-once.scn"), "--set", "net.ipv4.nosuch=1")

    def test_bad_seed(self):
        self.check_untouched("run", scn_path("syn-lost-once.scn"), "--seed", "x")

    def test_unwritable_trace(self):
        results = self.path("out.json")
        with open(results, "wb") as f:
            f.write(self.OLD_RESULTS)
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--results", results,
                         "--trace", self.path("no-dir/t.txt"))
        self.assertStatus(p, 2)
        self.assertIn("socksim: error: cannot write trace", p.stderr)
        self.assertEqual(self.read(results), self.OLD_RESULTS)
        self.assertEqual(os.listdir(self.dir), ["out.json"])

    def test_unwritable_results_leaves_no_temp(self):
        os.mkdir(self.path("sub"))
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", "none",
                         "--results", self.path("sub"))
        self.assertStatus(p, 2)
        self.assertIn("socksim: error: cannot write results", p.stderr)
        self.assertEqual(os.listdir(self.dir), ["sub"])
        self.assertEqual(os.listdir(self.path("sub")), [])

    def test_success_replaces_and_leaves_no_temp(self):
        for status, scn in ((0, scn_path("syn-lost-once.scn")), (1, self.write("w.scn", WRONG))):
            with self.subTest(status=status):
                results, trace = self.path("out.json"), self.path("out.trace")
                for p_, old in ((results, self.OLD_RESULTS), (trace, self.OLD_TRACE)):
                    with open(p_, "wb") as f:
                        f.write(old)
                before = sorted(os.listdir(self.dir))
                p = self.socksim("run", scn, "--results", results, "--trace", trace)
                self.assertStatus(p, status)
                self.assertEqual(self.load("out.json")["format"], "socksim-results")
                self.assertTrue(self.read(trace).startswith(b"# scenario: "))
                self.assertEqual(sorted(os.listdir(self.dir)), before)


class Trace(CliTest):
    def test_text_file_equals_stdout(self):
        f = scn_path("syn-lost-once.scn")
        p = self.socksim("run", f, "--trace", self.path("t.txt"))
        self.assertStatus(p, 0)
        self.assertEqual(p.stdout, "")
        text = self.read(self.path("t.txt")).decode()
        lines = text.splitlines()
        self.assertEqual(lines[0], "# scenario: %s" % f)
        self.assertIn("# profile: linux-6.18", lines[:8])
        self.assertIn("# seed: 1", lines[:8])
        self.assertGreater(len([l for l in lines if not l.startswith("#")]), 10)
        self.assertEqual(self.socksim("run", f).stdout, text)
        self.assertEqual(self.socksim("run", f, "--trace", "-").stdout, text)

    def test_text_profile_header_5_0(self):
        p = self.socksim("run", scn_path("syn-timeout-5.0.scn"))
        self.assertStatus(p, 0)
        self.assertIn("# profile: linux-5.0", p.stdout.splitlines()[:8])

    def test_jsonl(self):
        f = scn_path("syn-lost-once.scn")
        p = self.socksim("run", f, "--trace", self.path("t.jsonl"), "--trace-format", "jsonl")
        self.assertStatus(p, 0)
        self.assertEqual(p.stdout, "")
        raw = self.read(self.path("t.jsonl")).decode()
        self.assertTrue(raw.endswith("\n"))
        headers, events = {}, []
        for n, line in enumerate(raw.splitlines(), 1):
            obj = json.loads(line)   # every line parses
            self.assertIsInstance(obj, dict, "line %d" % n)
            if "header" in obj:
                self.assertEqual(events, [], "header line %d after events" % n)
                headers[obj["header"]] = obj["value"]
            else:
                for key in ("t_ns", "host", "event"):
                    self.assertIn(key, obj, "line %d: %s" % (n, line))
                self.assertIsInstance(obj["t_ns"], int)
                events.append(obj)
        self.assertEqual(headers.get("scenario"), f)
        self.assertEqual(headers.get("profile"), "linux-6.18")
        self.assertEqual(headers.get("seed"), "1")
        times = [e["t_ns"] for e in events]
        self.assertEqual(times, sorted(times), "simulated time goes backwards")
        self.assertIn("sys_exit", {e["event"] for e in events})
        # jsonl on stdout is the same document
        q = self.socksim("run", f, "--trace-format", "jsonl")
        self.assertEqual(q.stdout, raw)

    def test_none(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", "none")
        self.assertStatus(p, 0)
        self.assertEqual(p.stdout, "")
        self.assertEqual(os.listdir(self.dir), [])
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", "none",
                         "--trace-format", "jsonl")
        self.assertEqual(p.stdout, "")
        self.assertEqual(os.listdir(self.dir), [])


class Seed(CliTest):
    def run_seed(self, scn, tag, *extra):
        t, r = self.path(tag + ".jsonl"), self.path(tag + ".json")
        p = self.socksim("run", scn, "--trace", t, "--trace-format", "jsonl", "--results", r, *extra)
        self.assertStatus(p, 0)
        return self.read(t), self.read(r)

    def test_same_seed_identical(self):
        scn = self.write("random.scn", RANDOM)
        a = self.run_seed(scn, "a", "--seed", "3")
        b = self.run_seed(scn, "b", "--seed", "3")
        self.assertEqual(a, b)
        self.assertEqual(json.loads(a[1])["seed"], 3)

    def test_same_seed_identical_text_trace(self):
        f = scn_path("syn-timeout-6x.scn")
        a = self.socksim("run", f, "--seed", "42")
        b = self.socksim("run", f, "--seed", "42")
        self.assertEqual(a.stdout, b.stdout)
        self.assertEqual(a.stderr, b.stderr)

    def test_different_seeds_differ(self):
        scn = self.write("random.scn", RANDOM)
        traces = {}
        results = {}
        for seed in ("1", "2", "3"):
            t, r = self.run_seed(scn, "s" + seed, "--seed", seed)
            traces[seed] = t
            results[seed] = json.loads(r)
            self.assertEqual(results[seed]["seed"], int(seed))
        self.assertEqual(len(set(traces.values())), 3, "three seeds, three traces")
        self.assertGreater(len({r["end_time_ns"] for r in results.values()}), 1)

    def test_seed_directive_and_override(self):
        scn = self.write("random.scn", RANDOM)
        default = self.run_seed(scn, "d")
        self.assertEqual(json.loads(default[1])["seed"], 7)
        self.assertEqual(default, self.run_seed(scn, "e", "--seed", "7"))
        self.assertNotEqual(default[0], self.run_seed(scn, "f", "--seed", "8")[0])


class Set(CliTest):
    F = None

    def setUp(self):
        super().setUp()
        self.F = scn_path("syn-timeout-6x.scn")

    def test_sysctl_changes_outcome(self):
        p = self.socksim("run", self.F, "--trace", "none", "--results", self.path("r.json"),
                         "--set", "net.ipv4.tcp_syn_linear_timeouts=0")
        self.assertStatus(p, 1)
        self.assertIn("%s:16: expectation failed: expected connect(c,10.0.0.2:80) = -1 ETIMEDOUT @ 131s, "
                      "got -1 ETIMEDOUT @ 127.000000000s\n" % self.F, p.stderr)
        r = self.load("r.json")
        self.assertEqual(r["exit"], "expectation-failed")
        self.assertEqual(r["sets"], ["net.ipv4.tcp_syn_linear_timeouts=0"])
        c = [s for s in r["syscalls"] if s["call"] == "connect"][0]
        self.assertEqual((c["t_return_ns"], c["ret"], c["errno"]), (127000000000, -1, "ETIMEDOUT"))

    def test_sysctl_last_wins(self):
        p = self.socksim("run", self.F, "--trace", "none",
                         "--set", "net.ipv4.tcp_syn_linear_timeouts=0",
                         "--set", "net.ipv4.tcp_syn_linear_timeouts=4")
        self.assertStatus(p, 0)

    def test_host_form(self):
        p = self.socksim("run", self.F, "--trace", "none", "--results", self.path("r.json"),
                         "--set", "client:net.ipv4.tcp_syn_linear_timeouts=0")
        self.assertStatus(p, 1)
        self.assertIn("got -1 ETIMEDOUT @ 127.000000000s", p.stderr)
        self.assertEqual(self.load("r.json")["sets"], ["client:net.ipv4.tcp_syn_linear_timeouts=0"])
        # The same sysctl on the other host leaves the client alone.
        p = self.socksim("run", self.F, "--trace", "none",
                         "--set", "server:net.ipv4.tcp_syn_linear_timeouts=0")
        self.assertStatus(p, 0)

    def test_param(self):
        f = self.write("h.scn", HANDSHAKE)
        p = self.socksim("run", f, "--trace", "none", "--results", self.path("r.json"))
        self.assertStatus(p, 0)
        self.assertEqual(self.load("r.json")["params"], {"delay": "10ms", "rtt": "20ms"})

        p = self.socksim("run", f, "--trace", "none", "--set", "delay=50ms")
        self.assertStatus(p, 1)
        self.assertIn("%s:13: expectation failed: expected connect(c,10.0.0.2:80) = 0 @ 20ms, "
                      "got 0 @ 0.100000000s\n" % f, p.stderr)

        p = self.socksim("run", f, "--trace", "none", "--results", self.path("r.json"),
                         "--set", "delay=50ms", "--set", "rtt=100ms")
        self.assertStatus(p, 0)
        r = self.load("r.json")
        self.assertEqual(r["params"], {"delay": "50ms", "rtt": "100ms"})
        self.assertEqual(r["sets"], ["delay=50ms", "rtt=100ms"])

        # The last --set of a name wins.
        p = self.socksim("run", f, "--trace", "none", "--set", "delay=50ms", "--set", "delay=10ms")
        self.assertStatus(p, 0)


class Check(CliTest):
    def test_all_shipped(self):
        files = sorted(glob.glob(os.path.join(SRC, "scenarios", "tcp", "*.scn")))
        self.assertGreater(len(files), 0)
        p = self.socksim("check", *files)
        self.assertStatus(p, 0)
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), len(files))
        for f, line in zip(files, lines):
            self.assertRegex(line, r"^%s: ok \(" % re.escape(f))
        self.assertEqual(p.stderr, "")

    def test_bad_file(self):
        good = scn_path("clean-handshake.scn")
        bad = self.write("bad.scn", SYNTAX_ERROR)
        sem = self.write("sem.scn", SEMANTIC_ERROR)
        p = self.socksim("check", bad)
        self.assertStatus(p, 2)
        self.assertEqual(p.stdout, "")
        self.assertTrue(p.stderr.startswith("%s:2:16: error: " % bad))
        # Every file is checked; one bad file makes the status 2.
        p = self.socksim("check", good, sem, good)
        self.assertStatus(p, 2)
        self.assertEqual(len([l for l in p.stdout.splitlines() if ": ok (" in l]), 2)
        self.assertRegex(p.stderr, r"^%s:2:14: error: " % re.escape(sem))

    def test_no_files(self):
        p = self.socksim("check")
        self.assertStatus(p, 2)


class ListParams(CliTest):
    def params(self, *args):
        p = self.socksim("list-params", *args)
        self.assertStatus(p, 0)
        table = {}
        for line in p.stdout.splitlines():
            if line and not line[0].isspace() and not line.startswith("#"):
                fields = line.split()
                table[fields[0]] = fields[1]
        return table

    def test_default_profile(self):
        t = self.params()
        self.assertEqual(t["net.ipv4.tcp_syn_retries"], "6")
        self.assertEqual(t["net.ipv4.tcp_syn_linear_timeouts"], "4")
        self.assertEqual(t["net.core.somaxconn"], "4096")

    def test_profile_5_0(self):
        t = self.params("--profile", "linux-5.0")
        self.assertEqual(t["net.core.somaxconn"], "128")
        self.assertEqual(t["net.ipv4.tcp_syn_retries"], "6")

    def test_errors(self):
        p = self.socksim("list-params", "--profile", "linux-9.9")
        self.assertStatus(p, 2)
        self.assertIn("socksim: error: unknown profile 'linux-9.9'", p.stderr)
        p = self.socksim("list-params", "--bogus")
        self.assertStatus(p, 2)


def main():
    global SOCKSIM, SRC
    args = sys.argv[1:]
    if len(args) >= 2 and not args[0].startswith("-"):
        SOCKSIM, SRC = os.path.abspath(args[0]), os.path.abspath(args[1])
        args = args[2:]
    if not SOCKSIM or not SRC:
        sys.exit("usage: test_cli.py SOCKSIM SOURCE_ROOT [unittest options]")
    unittest.main(argv=[sys.argv[0]] + args, verbosity=2)


if __name__ == "__main__":
    main()
