#!/usr/bin/python3
"""Tests of `socksim sweep`, `task` and `merge` (docs/sweeps-and-reports.md):
summaries independent of --jobs, resume after Ctrl-C, a killed sweep or a
killed worker, failed runs recorded, --emit-tasks through GNU parallel then
merge equal to the local sweep, the progress bar only on a terminal, errors.

usage: test_sweep.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

SOCKSIM = ""
SRC = ""
SCN = ""
GRID = ["--vary", "p=0:0.4:0.1"]


# About a second of simulation (a 400 MB transfer), to be killed midway.
LONG = """\
scenario "long transfer"
param n = 1000
host client 10.0.0.1
host server 10.0.0.2
link client server delay=10ms rate=100000000 queue=250000
process srv on server
process cli on client
0   srv  s = socket(AF_INET, SOCK_STREAM, 0) = 3
+0  srv  bind(s, 10.0.0.2:80) = 0
+0  srv  listen(s, 8) = 0
+0  srv  a = accept(s) = 4
+0  srv  repeat=forever recv(a, 1000000)
0   cli  c = socket(AF_INET, SOCK_STREAM, 0) = 3
+0  cli  connect(c, 10.0.0.2:80) = 0
+0  cli  send(c, $n)
"""


def sweep(out, *extra, jobs=2, seeds=30, **kw):
    return subprocess.run([SOCKSIM, "sweep", SCN, *GRID, "--seeds", str(seeds), "--jobs", str(jobs),
                           "--out", out, *extra], capture_output=True, text=True, **kw)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def records(d):
    runs = os.path.join(d, "runs")
    return [n for n in os.listdir(runs) if n.endswith(".json")] if os.path.isdir(runs) else []


class SweepTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="socksim-sweep-")
        cls.ref = os.path.join(cls.tmp, "ref")
        p = sweep(cls.ref, jobs=1)
        assert p.returncode == 0, p.stderr
        cls.ref100 = os.path.join(cls.tmp, "ref100")     # for the interrupted sweeps
        p = sweep(cls.ref100, seeds=100)
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def dir(self, name):
        return os.path.join(self.tmp, name)

    def assert_same_summary(self, d, ref=None):
        ref = ref or self.ref
        for name in ("summary.csv", "summary.jsonl"):
            self.assertEqual(read(os.path.join(d, name)), read(os.path.join(ref, name)), name)

    def test_columns_and_rows(self):
        with open(os.path.join(self.ref, "summary.csv")) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "grid,seed,p,outcome,exit,connect_status,connect_ret,connect_errno,"
                         "connect_latency_ns,syn_sent,synack_sent,pkts_sent,pkts_dropped,syn_retrans,"
                         "retrans_segs,timeouts,bytes_acked,segs_retrans,bytes_received,throughput_bps,end_time_ns,"
                         "events,expectations_failed,message")
        self.assertEqual(len(lines), 1 + 5 * 30)
        self.assertTrue(lines[1].startswith("0,1,0.0,ok,0,returned,0,,2000000,"))
        rows = jsonl(os.path.join(self.ref, "summary.jsonl"))
        self.assertEqual([(r["grid"], r["seed"]) for r in rows],
                         [(g, s) for g in range(5) for s in range(1, 31)])
        self.assertEqual(list(rows[0].keys()), lines[0].split(","))
        # Seeds 1..N at every grid point: p=0.4 shows retransmissions, latencies are t_k + 2 ms.
        lat = {r["connect_latency_ns"] for r in rows if r["p"] == "0.4" and r["connect_ret"] == 0}
        self.assertIn(1002000000, lat)
        self.assertTrue(all((l - 2000000) % 1000000000 == 0 for l in lat))

    def test_throughput_columns(self):
        # bytes received in order (TCP and vsock) and the throughput they make over the
        # exact time data arrived: 1 MiB read by a paced vsock reader from the connection's
        # start at 1.007 ms to its 16th read at 160 ms -> 52.76 Mbit/s (not rounded to the
        # 10 ms sample interval, which gave 52.43 Mbit/s)
        d = self.dir("vsock")
        scn = os.path.join(SRC, "scenarios", "vsock", "bulk-reader-paced.scn")
        p = subprocess.run([SOCKSIM, "sweep", scn, "--seeds", "1", "--keep-results", "--out", d],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        row = jsonl(os.path.join(d, "summary.jsonl"))[0]
        with open(os.path.join(d, "runs", "g000000-s00001.results.json")) as f:
            conns = json.load(f)["vsock"]["connections"]
        recv = [c for c in conns if c["bytes_received"]]
        self.assertEqual(len(recv), 1)
        self.assertEqual((recv[0]["t_start_ns"], recv[0]["t_last_received_ns"]), (1007000, 160000000))
        self.assertEqual(row["bytes_received"], 1048576)
        self.assertEqual(row["throughput_bps"], 1048576 * 8 * 10**9 // (160000000 - 1007000))
        self.assertEqual(row["throughput_bps"], 52760863)

    def test_jobs_1_and_2_identical(self):
        d = self.dir("jobs2")
        p = sweep(d, jobs=2)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_same_summary(d)

    def test_fields(self):
        d = self.dir("fields")
        p = sweep(d, "--field", "synretr=sum:$.counters.*.TCPSynRetrans", "--field", "path=$.scenario.path",
                  "--field", "ncalls=count:$.syscalls[*]", "--field", "nothing=$.no.such", "--keep-results", seeds=3)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(d, "runs", "g000004-s00003.results.json")) as f:
            self.assertEqual(json.load(f)["params"], {"p": "0.4"})
        for r in jsonl(os.path.join(d, "summary.jsonl")):
            self.assertEqual(r["synretr"], r["syn_retrans"])
            self.assertEqual(r["path"], "syn-loss.scn")
            self.assertEqual(r["ncalls"], 5)
            self.assertIsNone(r["nothing"])
            self.assertEqual(list(r.keys())[-5:], ["synretr", "path", "ncalls", "nothing", "message"])

    def test_interrupted_by_sigint_resumes(self):
        self.interrupt_and_resume("sigint", signal.SIGINT, expect_status=130)

    def test_killed_sweep_resumes(self):
        self.interrupt_and_resume("sigkill", signal.SIGKILL, expect_status=-signal.SIGKILL)

    def interrupt_and_resume(self, name, sig, expect_status):
        d = self.dir(name)
        proc = subprocess.Popen([SOCKSIM, "sweep", SCN, *GRID, "--seeds", "100", "--jobs", "2", "--out", d],
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 60
        while len(records(d)) < 20 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.005)
        os.killpg(proc.pid, sig)           # like Ctrl-C (or kill -9) on the whole process group
        err = proc.communicate()[1]
        self.assertEqual(proc.returncode, expect_status, err)
        done = len(records(d))
        self.assertLess(done, 500, "the sweep finished before it was interrupted")
        self.assertGreaterEqual(done, 20)
        if sig == signal.SIGINT:
            self.assertIn("interrupted; finished runs are kept", err)
            rows = jsonl(os.path.join(d, "summary.jsonl"))
            self.assertEqual(sum(r["outcome"] == "missing" for r in rows), 500 - done)
        p = sweep(d, seeds=100)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("resuming: %d of 500 runs already recorded" % done, p.stderr)
        self.assert_same_summary(d, self.ref100)

    def test_killed_worker_resumes(self):
        d = self.dir("worker")
        proc = subprocess.Popen([SOCKSIM, "sweep", SCN, *GRID, "--seeds", "100", "--jobs", "2", "--out", d],
                                stderr=subprocess.PIPE, text=True)
        killed = False
        while proc.poll() is None and not killed:
            try:
                with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
                    kids = f.read().split()
                if kids and len(records(d)) > 20:
                    os.kill(int(kids[0]), signal.SIGKILL)
                    killed = True
            except (FileNotFoundError, ProcessLookupError):
                pass
        err = proc.communicate()[1]
        self.assertTrue(killed)
        self.assertIn(proc.returncode, (0, 4), err)
        if proc.returncode == 4:
            self.assertIn("worker killed by signal 9", err)
        p = sweep(d, seeds=100)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_same_summary(d, self.ref100)

    def test_failed_runs_recorded(self):
        d = self.dir("failed")
        p = subprocess.run([SOCKSIM, "sweep", SCN, "--vary", "p=0.5,1.5", "--seeds", "2", "--out", d],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("2 failed, 0 missing", p.stderr)
        rows = jsonl(os.path.join(d, "summary.jsonl"))
        self.assertEqual([r["outcome"] for r in rows], ["ok", "ok", "error", "error"])
        self.assertEqual(rows[2]["exit"], 2)
        self.assertIn("syn-loss.scn:18:14: error: expected a probability", rows[2]["message"])
        with open(os.path.join(d, "summary.csv")) as f:
            self.assertIn('"syn-loss.scn:18:14: error: expected a probability', f.read())

    def test_crash_recorded(self):
        """A run that dies of a crash signal becomes a "crashed" record with its message."""
        d = self.dir("crash")
        os.makedirs(os.path.join(d, "runs"))
        with open(os.path.join(d, "long.scn"), "w") as f:
            f.write(LONG)
        proc = subprocess.Popen([SOCKSIM, "task", "long.scn", "--grid", "0", "--seed", "1", "--vary", "n=400000000",
                                 "--record", "runs/g000000-s00001.json"], cwd=d, stderr=subprocess.PIPE, text=True)
        child = None
        while proc.poll() is None and child is None:
            try:
                with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
                    child = int(f.read().split()[0])
            except (FileNotFoundError, IndexError):
                time.sleep(0.001)
        time.sleep(0.1)
        os.kill(child, signal.SIGABRT)
        err = proc.communicate()[1]
        self.assertEqual(proc.returncode, 0, err)
        row = jsonl(os.path.join(d, "runs", "g000000-s00001.json"))[0]
        self.assertEqual((row["outcome"], row["exit"], row["n"]), ("crashed", 128 + 6, "400000000"))
        self.assertTrue(row["message"].startswith("crashed: signal 6 (Aborted)"), row["message"])

    def test_emit_tasks_parallel_and_merge(self):
        if not shutil.which("parallel"):
            raise unittest.SkipTest("GNU parallel is not installed (apt-get install parallel)")
        d = self.dir("emit")
        p = sweep(d, "--emit-tasks")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(d, "tasks.txt")) as f:
            tasks = f.read().splitlines()
        self.assertEqual(len(tasks), 150)
        self.assertIn(" task syn-loss.scn --grid 0 --seed 1 --vary p=0.0 --record runs/g000000-s00001.json",
                      tasks[0])
        self.assertEqual(records(d), [])
        # Half the tasks on "one host" (GNU parallel, local), half on "another" via
        # --sshloginfile (':' is the local machine), each in its own copy of the directory.
        other = self.dir("emit-other")
        shutil.copytree(d, other, ignore=shutil.ignore_patterns(".lock"))
        with open(os.path.join(d, "half1.txt"), "w") as f:
            f.write("\n".join(tasks[:75]) + "\n")
        with open(os.path.join(other, "half2.txt"), "w") as f:
            f.write("\n".join(tasks[75:]) + "\n")
        with open(os.path.join(self.tmp, "hosts"), "w") as f:
            f.write(":\n")
        p = subprocess.run("parallel --will-cite -j2 < half1.txt", shell=True, cwd=d, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = subprocess.run("parallel --will-cite -j2 --sshloginfile %s < half2.txt" % os.path.join(self.tmp, "hosts"),
                           shell=True, cwd=other, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = subprocess.run([SOCKSIM, "merge", d], capture_output=True, text=True)
        self.assertEqual(p.returncode, 4, p.stderr)        # half of the runs are elsewhere
        self.assertIn("75 missing", p.stderr)
        merged = self.dir("merged")
        p = subprocess.run([SOCKSIM, "merge", d, other, "--out", merged], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_same_summary(merged)
        # The full task list through GNU parallel in one directory, then merge in place.
        p = subprocess.run("parallel --will-cite -j2 < tasks.txt", shell=True, cwd=other, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(subprocess.run([SOCKSIM, "merge", other], capture_output=True).returncode, 0)
        self.assert_same_summary(other)

    def test_slurm_template(self):
        d = self.dir("slurm")
        self.assertEqual(sweep(d, "--emit-tasks", seeds=3).returncode, 0)
        tmpl = os.path.join(SRC, "tools", "slurm-sweep.sbatch")
        for task_id in (0, 1):      # 2 array tasks of 8 tasks each
            env = dict(os.environ, SLURM_ARRAY_TASK_ID=str(task_id), SWEEP_DIR=d, TASKS_PER_JOB="8")
            p = subprocess.run(["bash", tmpl], env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(records(d)), 15)
        ref = self.dir("slurm-ref")
        self.assertEqual(sweep(ref, seeds=3).returncode, 0)
        self.assertEqual(subprocess.run([SOCKSIM, "merge", d], capture_output=True).returncode, 0)
        self.assert_same_summary(d, ref)

    def test_progress_only_on_a_terminal(self):
        p = sweep(self.dir("quiet"), seeds=2)
        self.assertNotIn("\r", p.stderr)
        self.assertNotIn("ETA", p.stderr)
        master, slave = pty.openpty()
        p = subprocess.run([SOCKSIM, "sweep", SCN, *GRID, "--seeds", "20", "--out", self.dir("tty")],
                           stderr=slave, stdout=subprocess.DEVNULL)
        os.close(slave)
        out = b""
        try:
            while True:
                chunk = os.read(master, 65536)
                if not chunk:
                    break
                out += chunk
        except OSError:
            pass
        os.close(master)
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"\r[", out)
        self.assertIn(b"100/100 runs", out)
        self.assertIn(b"ETA", out)

    def corrupt_copy(self, name):
        d = self.dir(name)
        shutil.copytree(self.ref, d, ignore=shutil.ignore_patterns(".lock"))
        rec = os.path.join(d, "runs", "g000000-s00003.json")
        with open(rec) as f:
            text = f.read()
        with open(rec, "w") as f:
            f.write(text[:18])
        return d, rec

    def test_corrupt_record_position(self):
        d, rec = self.corrupt_copy("corrupt-merge")
        p = subprocess.run([SOCKSIM, "merge", d], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertRegex(p.stderr, r"socksim: error: %s:1:\d+: \S" % re.escape(rec))
        self.assertNotIn("<data>", p.stderr)

    def test_corrupt_record_runs_again(self):
        d, rec = self.corrupt_copy("corrupt-resume")
        p = sweep(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("sweep: warning: %s:1:" % rec, p.stderr)
        self.assertIn("removing the record to run it again", p.stderr)
        self.assertIn("149 of 150 runs already recorded", p.stderr)
        self.assert_same_summary(d)

    def test_connect_line(self):
        d = self.dir("connect-line")
        p = sweep(d, "--connect-line", "25", seeds=2)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(",none,", read(os.path.join(d, "summary.csv")).decode())

    def test_usage_errors(self):
        cases = [
            (["--vary", "p"], "--vary expects KEY=V1,V2,... or KEY=START:STOP:STEP"),
            (["--vary", "p=0:1"], "a range is START:STOP:STEP"),
            (["--vary", "p=0.5:0.1:0.1"], "STEP > 0 and START <= STOP"),
            (["--vary", "p=0:1:1ms"], "the same unit"),
            (["--vary", "q=0,1"], "unknown parameter 'q'"),
            (["--vary", "p=0.1", "--vary", "p=0.2"], "column 'p' appears twice"),
            (["--field", "seed=$.seed"], "column 'seed' appears twice"),
            (["--field", "x=avg:$.seed"], "optionally after first:, sum:"),
            (["--seeds", "0"], "bad option or value: --seeds 0"),
            (["--seeds", "99999999999"], "--seeds 99999999999: at most 1000000 seeds"),
            (["--seeds", "1000001"], "--seeds 1000001: at most 1000000 seeds"),
            (["--vary", "p=0:1:0.0001", "--seeds", "1001"],
             "the sweep is too large: 10001 grid points x 1001 seeds; at most 10000000 runs"),
            ([a for k in "abcd" for a in ("--vary", k + "=0:99999:1")],
             "the sweep is too large: more than 2^64 grid points"),
            (["--connect-line", "999"], "--connect-line 999: line 999 of %s has no connect() call" % SCN),
            (["--connect-line", "8"], "--connect-line 8: line 8 of %s has no connect() call" % SCN),
        ]
        for args, msg in cases:
            p = subprocess.run([SOCKSIM, "sweep", SCN, *args, "--out", self.dir("bad")], capture_output=True, text=True)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertIn(msg, p.stderr, args)
            self.assertFalse(os.path.exists(self.dir("bad")), args)
        # Another sweep in the same directory, or a directory that is not a sweep: refused, untouched.
        p = subprocess.run([SOCKSIM, "sweep", SCN, "--vary", "p=0.3", "--out", self.ref], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("holds a different sweep", p.stderr)
        os.makedirs(self.dir("user"))
        with open(self.dir("user/notes.txt"), "w") as f:
            f.write("mine\n")
        p = sweep(self.dir("user"), seeds=1)
        self.assertEqual(p.returncode, 2)
        self.assertIn("is not a sweep directory", p.stderr)
        self.assertEqual(os.listdir(self.dir("user")), ["notes.txt"])
        p = subprocess.run([SOCKSIM, "merge", self.dir("user")], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("missing sweep.json", p.stderr)


if __name__ == "__main__":
    SOCKSIM = os.path.abspath(sys.argv.pop(1))
    SRC = os.path.abspath(sys.argv.pop(1))
    SCN = os.path.join(SRC, "tests", "stats", "syn-loss.scn")
    unittest.main(verbosity=2)
