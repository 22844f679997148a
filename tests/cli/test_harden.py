#!/usr/bin/python3
"""Hardening against bad input (issue #13): outputs only ever replace regular
files, an output is never an input or another output, temporary files vanish
on SIGINT/SIGTERM, and bad scenarios are errors, never aborts.

usage: test_harden.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cli  # noqa: E402  (the CliTest fixture: temp dir, socksim(), assertStatus)
from test_cli import scn_path  # noqa: E402


# A transfer that never ends on its own: only a signal or --max-events stops it.
FOREVER = """\
scenario "endless transfer"
host client 10.0.0.1
host server 10.0.0.2
link client server delay=1ms
process srv on server
process cli on client
0    srv  s = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   srv  bind(s, 10.0.0.2:80) = 0
+0   srv  listen(s, 8) = 0
+0   srv  a = accept(s) = 4
+0   srv  repeat=forever recv(a, 100000)
0    cli  c = socket(AF_INET, SOCK_STREAM, 0) = 3
+0   cli  connect(c, 10.0.0.2:80) = 0
+0   cli  repeat=forever send(c, 1000)
"""


class HardenTest(test_cli.CliTest):
    def assertNoTemp(self, where=None):
        left = [n for n in os.listdir(where or self.dir) if ".tmp." in n]
        self.assertEqual(left, [], "temporary files left behind")


class Outputs(HardenTest):
    def test_dev_null_written_in_place(self):
        # As root the old temp+rename replaced the device node itself.
        before = os.stat("/dev/null")
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--results", "/dev/null",
                         "--trace", "/dev/null")
        self.assertStatus(p, 0)
        after = os.stat("/dev/null")
        self.assertTrue(stat.S_ISCHR(after.st_mode))
        self.assertEqual((before.st_ino, before.st_rdev), (after.st_ino, after.st_rdev))
        self.assertEqual(p.stdout, "")

    def test_fifo_written_in_place(self):
        fifo = self.path("trace.fifo")
        os.mkfifo(fifo)
        got = []

        def reader():
            with open(fifo, "rb") as f:
                got.append(f.read())
        t = threading.Thread(target=reader)
        t.start()
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", fifo)
        t.join(30)
        self.assertStatus(p, 0)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced")
        self.assertTrue(got and got[0].startswith(b"# scenario: "))
        self.assertEqual(self.read_default_trace(), got[0])
        self.assertNoTemp()

    def read_default_trace(self):
        return self.socksim("run", scn_path("syn-lost-once.scn")).stdout.encode()

    def test_trace_directory_is_an_error(self):
        os.mkdir(self.path("d"))
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", self.path("d"))
        self.assertStatus(p, 2)
        self.assertIn("socksim: error: cannot write trace: '%s' is a directory" % self.path("d"), p.stderr)
        self.assertEqual(os.listdir(self.path("d")), [])
        self.assertNoTemp()

    def test_results_directory_is_an_error(self):
        os.mkdir(self.path("d"))
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--results", self.path("d"))
        self.assertStatus(p, 2)
        self.assertIn("is a directory", p.stderr)

    def test_symlink_to_regular_file_keeps_the_link(self):
        real = self.write("real.json", "old\n")
        os.symlink("real.json", self.path("link.json"))
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--results", self.path("link.json"))
        self.assertStatus(p, 0)
        self.assertTrue(os.path.islink(self.path("link.json")))
        self.assertIn(b'"socksim-results"', self.read(real))
        self.assertNoTemp()

    def test_symlink_to_directory_or_nothing_refused(self):
        os.mkdir(self.path("d"))
        os.symlink("d", self.path("to-dir"))
        os.symlink("missing", self.path("dangling"))
        for name, why in (("to-dir", "is a directory"), ("dangling", "symbolic link to a missing file")):
            with self.subTest(name=name):
                p = self.socksim("run", scn_path("syn-lost-once.scn"), "--results", self.path(name))
                self.assertStatus(p, 2)
                self.assertIn(why, p.stderr)
                self.assertTrue(os.path.islink(self.path(name)))
        self.assertFalse(os.path.exists(self.path("missing")))

    def test_output_is_the_scenario(self):
        with open(scn_path("syn-lost-once.scn")) as f:
            scn = self.write("s.scn", f.read())
        text = self.read(scn)
        os.symlink("s.scn", self.path("alias.scn"))
        for opt, target in (("--results", "s.scn"), ("--trace", "./s.scn"), ("--results", "alias.scn")):
            with self.subTest(opt=opt, target=target):
                p = self.socksim("run", scn, opt, target)
                self.assertStatus(p, 2)
                self.assertIn("is the input", p.stderr)
                self.assertEqual(self.read(scn), text)
        self.assertNoTemp()

    def test_results_equal_to_trace(self):
        # Neither exists yet: compared by canonical path.
        os.mkdir(self.path("d"))
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", "out",
                         "--results", "d/../out")
        self.assertStatus(p, 2)
        self.assertIn("--trace 'out' and --results 'd/../out' are the same file", p.stderr)
        self.assertFalse(os.path.exists(self.path("out")))

    def test_signal_removes_temporary_files(self):
        scn = self.write("forever.scn", FOREVER)
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(sig=sig):
                proc = subprocess.Popen([test_cli.SOCKSIM, "run", scn, "--trace", "t.txt", "--results", "r.json"],
                                        cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                deadline = time.time() + 20
                while time.time() < deadline and not any(".tmp." in n for n in os.listdir(self.dir)):
                    time.sleep(0.01)
                self.assertTrue(any(".tmp." in n for n in os.listdir(self.dir)), "no temporary trace seen")
                proc.send_signal(sig)
                self.assertEqual(proc.wait(30), -sig)
                self.assertNoTemp()
                self.assertFalse(os.path.exists(self.path("t.txt")))


class KilledProcess(HardenTest):
    """A line of a process an earlier signal killed is skipped and reported (item 1)."""

    def test_line_after_fatal_signal(self):
        scn = self.write("k.scn", 'scenario "killed"\nhost a 10.0.0.1\nprocess p on a\n'
                         "0 signal p SIGTERM\n1ms p c = open() = 3\n+0 p close(c)\n")
        p = self.socksim("run", scn, "--trace", "none")
        self.assertStatus(p, 1)
        self.assertIn("k.scn:5: expectation failed: expected c=open() = 3, got skipped: "
                      "the process was killed at 0.000000000s by SIGTERM", p.stderr)
        self.assertIn("k.scn:6: skipped close(c): the process was killed at 0.000000000s by SIGTERM",
                      p.stderr)

    def test_no_expectation_is_not_a_failure(self):
        scn = self.write("k.scn", 'scenario "killed"\nhost a 10.0.0.1\nprocess p on a\n'
                         "0 signal p SIGKILL\n1ms p c = open()\nexpect exit p SIGKILL\n")
        p = self.socksim("run", scn, "--trace", "none")
        self.assertStatus(p, 0)
        self.assertIn("k.scn:5: skipped c=open(): the process was killed at 0.000000000s by SIGKILL",
                      p.stderr)

    def test_sigpipe_kills_the_thread_group(self):
        # The thread's send() on an unconnected socket raises SIGPIPE; the
        # leader's line at the same instant was already scheduled.
        scn = self.write("k.scn", 'scenario "SIGPIPE"\nhost a 10.0.0.1\nprocess p on a\nthread t of p\n'
                         "0    p  c = socket(AF_INET, SOCK_STREAM, 0) = 3\n"
                         "1ms  t  send(c, 10) = -1 EPIPE\n"
                         "1ms  p  d = socket(AF_INET, SOCK_STREAM, 0) = 4\n"
                         "expect exit p SIGPIPE\n")
        p = self.socksim("run", scn, "--trace", "none")
        self.assertStatus(p, 1)
        self.assertIn("k.scn:6: expectation failed: expected send(c,10) = -1 EPIPE, got did not return: "
                      "the process was killed at 0.001000000s by SIGPIPE", p.stderr)
        self.assertIn("k.scn:7: expectation failed: expected d=socket(AF_INET,SOCK_STREAM,0) = 4, got "
                      "skipped: the process was killed at 0.001000000s by SIGPIPE", p.stderr)
        self.assertNotIn("assertion", p.stderr)


class EndOfTime(HardenTest):
    """Times at the end of simulated time: sums saturate, the run stops there (item 2)."""

    def here(self, name):
        return os.path.join(os.path.dirname(os.path.abspath(__file__)), name)

    def test_tcp_link_and_faults(self):
        # connect() times out at 131 s; the SYNs in flight would arrive after the end.
        p = self.socksim("run", self.here("harden-time-end-tcp.scn"), "--trace", "none",
                         "--set", "limit.sim-time=4611686019")
        self.assertStatus(p, 3)
        self.assertIn("run limit hit: the end of simulated time (4611686018.427387904s) at t=131.000000000s",
                      p.stderr)

    def test_vsock_device_and_faults(self):
        # past the end of simulated time: no limit.sim-time (its default, 1 h, stops it first)
        p = self.socksim("run", self.here("harden-time-end-vsock.scn"), "--trace", "none",
                         "--set", "limit.sim-time=4611686019")
        self.assertStatus(p, 3)
        self.assertIn("run limit hit: the end of simulated time (4611686018.427387904s) at "
                      "t=4611686018.427387904s", p.stderr)

    def test_past_the_end_is_a_scenario_error(self):
        scn = self.write("t.scn", "host a 10.0.0.1\nhost b 10.0.0.2\nlink a b delay=18446744073.709551615s\n")
        p = self.socksim("run", scn)
        self.assertStatus(p, 2)
        self.assertIn("t.scn:3:16: error: time '18446744073.709551615s' is past the end of simulated time",
                      p.stderr)


class IntegerEdges(HardenTest):
    """'Blocked' is not a return value; fd limit; MAX_RW_COUNT; option clamping (items 7, 8)."""

    here = EndOfTime.here

    def test_send_100000_and_4_gib(self):
        p = self.socksim("run", self.here("harden-int-edges.scn"), "--trace", "-")
        self.assertStatus(p, 0)
        exits = [ln for ln in p.stdout.splitlines() if "sys_exit" in ln and "call=send" in ln]
        self.assertEqual(len(exits), 2, p.stdout)
        self.assertIn("ret=100000 ", exits[0])
        # capped at MAX_RW_COUNT, then limited by the send buffer: a count, not -1
        self.assertRegex(exits[1], r"ret=[1-9][0-9]* ")

    def test_file_size_limit(self):
        # reading /dev/zero as a scenario grew without bound
        p = self.socksim("check", "/dev/zero")
        self.assertStatus(p, 2)
        self.assertIn("/dev/zero:1:1: error: the file exceeds limit.file-bytes=67108864; "
                      "raise it with --set limit.file-bytes=N", p.stderr)

    def run_set(self, scn, setting, status, message=None):
        p = self.socksim("run", scn, "--trace", "none", "--set", setting)
        self.assertStatus(p, status)
        if message:
            self.assertIn(message, p.stderr)

    def test_limits_table(self):
        # --set limit.NAME=N (scenario/limit.c, docs/scenario-language.md, "Adjustable limits"): a breach names the limit
        scn = self.write("inst.scn", 'scenario "instances"\nhost h 10.0.0.1\n'
                         "program w on h\n  sleep 1ms\nend\n0 start w 5\n")
        def run(setting, status, message=None):
            self.run_set(scn, setting, status, message)
        run("limit.instances=4", 2, "inst.scn:6:9: error: the number of instances of program 'w' "
            "exceeds limit.instances=4; raise it with --set limit.instances=N")
        run("limit.instances=5", 0)
        run("limit.file-bytes=10", 2, "inst.scn:1:1: error: the file exceeds limit.file-bytes=10; "
            "raise it with --set limit.file-bytes=N")
        run("limit.hosts=1", 0)
        run("limit.processes=1", 0)  # instances count under limit.instances
        scn = self.write("hosts.scn", 'scenario "hosts"\nhost a 10.0.0.1\nhost b 10.0.0.2\n'
                         "process p on a\nprocess q on b\n")
        run("limit.hosts=2", 0)
        run("limit.hosts=1", 2, "hosts.scn:3:6: error: the number of hosts exceeds limit.hosts=1; "
            "raise it with --set limit.hosts=N")
        run("limit.processes=2", 0)
        run("limit.processes=1", 2, "hosts.scn:5:9: error: the number of processes exceeds "
            "limit.processes=1; raise it with --set limit.processes=N")
        run("limit.nosuch=1", 2, "<command line>: error: --set limit.nosuch=1: unknown limit")
        for bad in ("0", "x", "10000001", "18446744073709551616"):
            run("limit.instances=" + bad, 2, "expected limit.instances=N with N in 1..10000000")

    def test_limits_rows(self):
        # line-bytes, params, variables, sample-interval: each a row of scenario/limit.c,
        # its breach an error at FILE:LINE:COL naming it, and --set moves it
        scn = self.write("rows.scn", 'scenario "rows"\nparam n = 3\nparam m = 4\n'
                         "sample interval=20us\nhost h 10.0.0.1\nprogram w on h\n"
                         "  a = socket(AF_INET, SOCK_STREAM, 0) = 3\n"
                         "  b = epoll_create1(0) = 4\n  for e in b\n  end\nend\n")
        def run(setting, status, message=None):
            self.run_set(scn, setting, status, message)
        run("limit.line-bytes=40", 2, "rows.scn:7:41: error: line 7 (41 bytes) exceeds "
            "limit.line-bytes=40; raise it with --set limit.line-bytes=N")
        run("limit.line-bytes=41", 0)
        run("limit.params=1", 2, "rows.scn:3:7: error: the number of params exceeds limit.params=1; "
            "raise it with --set limit.params=N")
        run("limit.params=2", 0)
        run("limit.variables=2", 2, "rows.scn:9:7: error: the number of variables of program 'w' "
            "exceeds limit.variables=2; raise it with --set limit.variables=N")
        run("limit.variables=1", 2, "rows.scn:8:3: error: the number of variables of program 'w' "
            "exceeds limit.variables=1")
        run("limit.variables=3", 0)
        # a lower bound: the default is 10 us
        run("limit.sample-interval=20001", 2, "rows.scn:4:17: error: the sample interval '20us' "
            "(20000 ns) is below limit.sample-interval=20001; lower it with --set limit.sample-interval=N")
        run("limit.sample-interval=20000", 0)
        scn = self.write("rows.scn", "sample interval=9999ns\nhost h 10.0.0.1\n")
        run("limit.params=1", 2, "rows.scn:1:17: error: the sample interval '9999ns' (9999 ns) is below "
            "limit.sample-interval=10000")
        run("limit.sample-interval=9999", 0)
        # the default line limit is 64 KiB
        scn = self.write("rows.scn", "host h 10.0.0.1 " + "#" * 65521 + "\n")
        run("limit.params=1", 2, "rows.scn:1:65537: error: line 1 (65537 bytes) exceeds limit.line-bytes=65536")
        run("limit.line-bytes=65536", 2)
        run("limit.line-bytes=65537", 0)

    def test_limit_threads(self):
        # `spawn` in a loop starts threads as the run goes: limit.threads is a run limit (exit 3)
        scn = self.write("spawn.scn", "host h 10.0.0.1\nprogram w on h\n  loop 5\n    spawn\n"
                         "      sleep 1ms\n    end\n    sleep 1ms\n  end\nend\n")
        self.run_set(scn, "limit.threads=4", 3, "socksim: run limit hit at t=0.004000000s after 12 events: "
                     "the number of threads spawned exceeds limit.threads=4; raise it with "
                     "--set limit.threads=N; stopped cleanly")
        self.run_set(scn, "limit.threads=5", 0)
        p = self.socksim("run", scn, "--trace", "none", "--set", "limit.threads=4", "--results", "r.json")
        self.assertStatus(p, 3)
        self.assertEqual(json.loads(self.read(self.path("r.json")))["exit"], "run-limit")

    def test_limit_sim_time(self):
        # a run without `stop at=` or --until ends after limit.sim-time seconds (default 1 h)
        scn = self.write("long.scn", "host h 10.0.0.1\nprogram w on h\n  sleep 7200s\n"
                         "  s = socket(AF_INET, SOCK_STREAM, 0) = 3\nend\n")
        p = self.socksim("run", scn, "--trace", "none")
        self.assertStatus(p, 3)
        # t is the last event's time: the next one (the sleep's end) is past the limit
        self.assertIn("socksim: run limit hit at t=0.000000000s after 1 events: the simulated time "
                      "(no stop line, no --until) exceeds limit.sim-time=3600; raise it with "
                      "--set limit.sim-time=N; stopped cleanly", p.stderr)
        self.run_set(scn, "limit.sim-time=7199", 3, "exceeds limit.sim-time=7199")
        self.run_set(scn, "limit.sim-time=7200", 0)
        self.assertStatus(self.socksim("run", scn, "--trace", "none", "--until", "10800s"), 0)
        self.assertStatus(self.socksim("run", self.write("stop.scn", self.read(scn).decode() + "stop at=10800s\n"),
                                       "--trace", "none"), 0)
        self.run_set(scn, "limit.sim-time=4611686020", 2, "expected limit.sim-time=N with N in 1..4611686019")

    def test_fd_limit(self):
        p = self.socksim("run", self.here("harden-fd-limit.scn"), "--trace", "none")
        self.assertStatus(p, 0)
        self.assertIn("4 expectations, 0 failed", p.stderr)


class JsonReadBack(HardenTest):
    """JSON read back from disk is type-checked (item 5)."""

    def sweep(self):
        p = self.socksim("sweep", os.path.join(test_cli.SRC, "tests", "stats", "syn-loss.scn"),
                         "--vary", "p=0", "--seeds", "1", "--jobs", "1", "--out", "sw")
        self.assertStatus(p, 0)
        return self.path("sw")

    def test_summary_outcome_not_a_string(self):
        sw = self.sweep()
        rows = self.read(os.path.join(sw, "summary.jsonl")).decode()
        rows = re.sub(r'"outcome":"[a-z-]*"', '"outcome":7', rows, count=1)
        with open(os.path.join(sw, "summary.jsonl"), "w") as f:
            f.write(rows)
        p = self.socksim("report", "sw", "--out", "rep")
        self.assertStatus(p, 2)
        col = rows.index('"outcome":7') + len('"outcome":') + 1  # where the value starts
        self.assertIn("sw/summary.jsonl:1:%d: field 'outcome': expected a string, found an integer" % col,
                      p.stderr)

    def test_manifest_field_without_equals(self):
        sw = self.sweep()
        m = json.loads(self.read(os.path.join(sw, "sweep.json")))
        m["fields"] = ["noequals"]
        with open(os.path.join(sw, "sweep.json"), "w") as f:
            json.dump(m, f)
        p = self.socksim("merge", "sw")
        self.assertStatus(p, 2)
        self.assertIn("sw/sweep.json:1:1: --field expects NAME=[AGG:]JSONPATH, found 'noequals'", p.stderr)

    def test_results_with_null_and_wrong_types(self):
        self.socksim("run", scn_path("syn-lost-once.scn"), "--results", "r.json", "--trace", "none")
        doc = json.loads(self.read(self.path("r.json")))
        doc["packets"] = None
        doc["syscalls"] = [7]
        text = json.dumps(doc, indent=1)
        with open(self.path("bad.json"), "w") as f:
            f.write(text)
        p = self.socksim("report", "bad.json", "--out", "rep")
        self.assertStatus(p, 2)
        # the element itself: the line after '"syscalls": [', indented two spaces
        line = text[:text.index('"syscalls": [')].count("\n") + 2
        self.assertIn("bad.json:%d:3: field 'syscalls': expected objects, found an integer" % line, p.stderr)
        self.assertNotIn("CRITICAL", p.stderr)


class FullDisk(HardenTest):
    """A full disk is a clear error and the previous output stays intact (item 10).

    The outputs go to a small tmpfs mounted over a directory of the test's
    temporary directory; that needs root (CI runs as root), else the tests
    are skipped with the reason."""

    def setUp(self):
        super().setUp()
        self.disk = self.path("disk")
        os.mkdir(self.disk)
        m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", self.disk],
                           capture_output=True, text=True)
        if m.returncode != 0:
            self.skipTest("cannot mount a tmpfs here (%s): the full-disk tests need root"
                          % m.stderr.strip())

    def tearDown(self):
        subprocess.run(["umount", self.disk], capture_output=True)
        super().tearDown()

    def fill(self):
        # Fill what is left, one block at a time, until ENOSPC.
        fd = os.open(os.path.join(self.disk, "fill"), os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            while os.write(fd, b"\0" * 4096) > 0:
                pass
        except OSError:
            pass
        finally:
            os.close(fd)

    def on_disk(self, name):
        return os.path.join(self.disk, name)

    def assertNoSpaceError(self, p, name):
        self.assertStatus(p, 2)
        self.assertIn("'%s' failed: No space left on device" % self.on_disk(name), p.stderr)
        self.assertNotIn("CRITICAL", p.stderr)
        self.assertNotIn("Assertion", p.stderr)

    def test_run_outputs_keep_the_previous_files(self):
        outputs = {"t.txt": b"previous trace\n", "r.json": b'{"previous": 1}\n',
                   "p.pcapng": b"previous pcap", "tl.json": b"[]\n"}
        for name, data in outputs.items():
            with open(self.on_disk(name), "wb") as f:
                f.write(data)
        self.fill()
        p = self.socksim("run", scn_path("send-loss-5.scn"), "--trace", self.on_disk("t.txt"),
                         "--results", self.on_disk("r.json"), "--pcap", self.on_disk("p.pcapng"),
                         "--timeline", self.on_disk("tl.json"))
        self.assertNoSpaceError(p, "t.txt")
        for name in ("r.json", "p.pcapng", "tl.json"):
            self.assertIn("'%s' failed: No space left on device" % self.on_disk(name), p.stderr)
        for name, data in outputs.items():
            self.assertEqual(self.read(self.on_disk(name)), data, name + " changed")
        self.assertNoTemp(self.disk)

    def test_report_keeps_the_previous_report(self):
        sweep = self.path("sw")
        self.assertStatus(self.socksim("sweep", scn_path("syn-lost-once.scn"), "--out", sweep,
                                       "--seeds", "3", "--jobs", "1"), 0)
        rep = self.on_disk("rep")
        self.assertStatus(self.socksim("report", sweep, "--out", rep), 0)
        before = {n: self.read(os.path.join(rep, n)) for n in sorted(os.listdir(rep))
                  if os.path.isfile(os.path.join(rep, n))}
        self.fill()
        p = self.socksim("report", sweep, "--out", rep)
        self.assertStatus(p, 2)
        self.assertIn("No space left on device", p.stderr)
        after = {n: self.read(os.path.join(rep, n)) for n in sorted(os.listdir(rep))
                 if os.path.isfile(os.path.join(rep, n))}
        self.assertEqual(before, after)
        self.assertEqual([n for n in os.listdir(self.disk) if n.startswith("rep.tmp")], [])

    def test_sweep_on_a_full_disk(self):
        self.fill()
        p = self.socksim("sweep", scn_path("syn-lost-once.scn"), "--out", self.on_disk("sw"),
                         "--seeds", "3", "--jobs", "1")
        self.assertStatus(p, 2)
        self.assertIn("No space left on device", p.stderr)
        self.assertNotIn("CRITICAL", p.stderr)


def main():
    argv = sys.argv[1:]
    if len(argv) >= 2 and not argv[0].startswith("-"):
        test_cli.SOCKSIM, test_cli.SRC = os.path.abspath(argv[0]), os.path.abspath(argv[1])
        argv = argv[2:]
    if not test_cli.SOCKSIM or not test_cli.SRC:
        sys.exit(__doc__)
    unittest.main(argv=[sys.argv[0]] + argv, verbosity=2)


if __name__ == "__main__":
    main()
