#!/usr/bin/python3
"""Tests of a CLI that explains itself (issue #11 item 3): --version (also in
results JSON and sweep.json), `help`, `help CMD` and `CMD --help`, the list-*
commands, "did you mean" for commands and options, --set of a sysctl's short
name, --profile and --set timers=wheel on `run`, and stdout flushed before
the summary on stderr.

usage: test_explain.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import json
import os
import re
import subprocess
import sys
import unittest

import test_cli
from test_cli import CliTest, scn_path

COMMANDS = ["run", "check", "list-params", "list-directives", "list-syscalls", "list-faults",
            "list-errnos", "list-counters", "list-sysctls", "list-profiles", "sweep", "task",
            "merge", "report", "help"]


def project_version():
    with open(os.path.join(test_cli.SRC, "meson.build")) as f:
        return re.search(r"version\s*:\s*'([^']+)'", f.read()).group(1)


class Version(CliTest):
    def version(self):
        p = self.socksim("--version")
        self.assertStatus(p, 0)
        m = re.fullmatch(r"socksim (\S+)(?: \(git ([0-9a-f]{7,40}(?:-dirty)?)\))?\n", p.stdout)
        self.assertIsNotNone(m, p.stdout)
        return m.group(1), m.group(2)

    def test_version_is_the_project_version(self):
        version, rev = self.version()
        self.assertEqual(version, project_version())
        in_git = subprocess.run(["git", "-C", test_cli.SRC, "rev-parse", "HEAD"],
                                capture_output=True, text=True)
        if in_git.returncode == 0:
            self.assertIsNotNone(rev, "built from a git checkout: the revision is shown")
        self.assertEqual(self.socksim("-V").stdout, self.socksim("--version").stdout)

    def test_results_record_the_version(self):
        version, rev = self.version()
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", "none",
                         "--results", self.path("r.json"))
        self.assertStatus(p, 0)
        r = self.load("r.json")
        self.assertEqual(list(r)[:3], ["format", "version", "socksim"])
        self.assertEqual(r["socksim"], {"version": version, "revision": rev})

    def test_sweep_json_records_the_version_and_resumes(self):
        version, rev = self.version()
        scn = os.path.join(test_cli.SRC, "tests", "stats", "syn-loss.scn")
        args = ["sweep", scn, "--vary", "p=0,0.5", "--seeds", "1", "--jobs", "1",
                "--out", self.path("sw")]
        self.assertStatus(self.socksim(*args), 0)
        m = self.load(os.path.join("sw", "sweep.json"))
        self.assertEqual(m["socksim"], {"version": version, "revision": rev})
        # a sweep.json written by another build still resumes (the version is not part of the sweep)
        m["socksim"] = {"version": "0.0.1", "revision": "0123456789ab"}
        with open(self.path("sw/sweep.json"), "w") as f:
            json.dump(m, f, indent=2)
        p = self.socksim(*args)
        self.assertStatus(p, 0)
        m["seeds"] = 2
        with open(self.path("sw/sweep.json"), "w") as f:
            json.dump(m, f, indent=2)
        p = self.socksim(*args)
        self.assertStatus(p, 2)
        self.assertIn("holds a different sweep", p.stderr)


class Help(CliTest):
    def test_help_lists_every_command(self):
        p = self.socksim("help")
        self.assertStatus(p, 0)
        listed = re.findall(r"^  (\S+) +\S", p.stdout, re.M)
        self.assertEqual(listed, COMMANDS)
        self.assertEqual(self.socksim("--help").stdout, p.stdout)

    def help(self, cmd):
        p = self.socksim("help", cmd)
        self.assertStatus(p, 0)
        self.assertTrue(p.stdout.startswith("usage: socksim %s" % cmd), p.stdout)
        q = self.socksim(cmd, "--help")
        self.assertStatus(q, 0)
        self.assertEqual(q.stdout, p.stdout)
        return p.stdout

    def test_every_command_has_help_and_takes_its_options(self):
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                text = self.help(cmd)
                opts = re.findall(r"^  (--[a-z-]+)( \S+)?", text, re.M)
                self.assertIn(("--help", ""), opts)
                for opt, arg in opts:
                    if opt == "--help":
                        continue
                    args = [cmd, opt] + (["1"] if arg else [])
                    p = self.socksim(*args)
                    self.assertNotIn("unknown option", p.stderr, args)

    def test_run_help_names_every_option_of_the_parser(self):
        # and an option not in the help is refused, with the closest one suggested
        for cmd, typo, want in (("run", "--sed", "--seed"), ("run", "--result", "--results"),
                                ("sweep", "--seed", "--seeds"), ("report", "--closedform", "--closed-form"),
                                ("merge", "--outt", "--out"), ("task", "--recrod", "--record")):
            with self.subTest(cmd=cmd, typo=typo):
                p = self.socksim(cmd, typo, "1")
                self.assertStatus(p, 2)
                self.assertIn("socksim: error: unknown option '%s' for %s (did you mean '%s'?)"
                              % (typo, cmd, want), p.stderr)

    def test_unknown_command_suggests(self):
        p = self.socksim("rnu")
        self.assertStatus(p, 2)
        self.assertIn("unknown command 'rnu' (did you mean 'run'?)", p.stderr)
        p = self.socksim("help", "list-erronos")
        self.assertStatus(p, 2)
        self.assertIn("no command 'list-erronos' (did you mean 'list-errnos'?)", p.stderr)


class Lists(CliTest):
    def lines(self, cmd):
        p = self.socksim(cmd)
        self.assertStatus(p, 0)
        self.assertEqual(p.stderr, "")
        out = p.stdout.splitlines()
        # every entry has a description: "NAME  DOC" or NAME on its own line, DOC indented below
        for i, line in enumerate(out):
            self.assertTrue(re.match(r"^\S.*\S  +\S", line) or
                            (re.match(r"^\S", line) and i + 1 < len(out) and re.match(r"^ +\S", out[i + 1])) or
                            re.match(r"^ +\S", line), (cmd, line))
        return p.stdout

    def test_lists(self):
        self.assertRegex(self.lines("list-errnos"), r"(?m)^ETIMEDOUT \(110\) +Connection timed out$")
        self.assertRegex(self.lines("list-errnos"), r"(?m)^EWOULDBLOCK \(11\) ")
        self.assertRegex(self.lines("list-syscalls"), r"(?m)^poll\(FD, EVENTS \[, FD, EVENTS\]\.\.\., TIMEOUT\)\n +wait for events")
        self.assertRegex(self.lines("list-counters"), r"(?m)^HOST\.TCPSynRetrans +SYN and SYN-ACK")
        self.assertRegex(self.lines("list-counters"), r"(?m)^packets\.dropped\.KIND ")
        self.assertRegex(self.lines("list-faults"), r"(?m)^fault loss p= from= to= kind= during= +drop each")
        self.assertRegex(self.lines("list-directives"), r"(?m)^virtio-vsock +a virtio-vsock device")
        # list-profiles: the names as the other lists, then the flag table (tests/profiles)
        p = self.socksim("list-profiles")
        self.assertStatus(p, 0)
        self.assertRegex(p.stdout.split("\n\n")[0], r"\Alinux-6\.18 +the default: models 6\.18\.y")
        p = self.socksim("list-errnos", "extra")
        self.assertStatus(p, 2)

    def test_list_sysctls_is_list_params_table(self):
        params = self.socksim("list-params").stdout
        names = re.findall(r"^(net\.\S+)", params, re.M)
        listed = re.findall(r"^(net\.\S+)", self.lines("list-sysctls"), re.M)
        self.assertTrue(set(names) <= set(listed), set(names) - set(listed))

    def test_every_listed_name_is_accepted(self):
        # the lists are what the checker accepts: an expect line per counter, a lsm line per errno
        counters = re.findall(r"^HOST\.(\S+)", self.lines("list-counters"), re.M)
        errnos = re.findall(r"^(E[A-Z]+) \((\d+)\)", self.lines("list-errnos"), re.M)
        text = "host a 10.0.0.1\nprocess p on a\n"
        text += "".join("expect counter a.%s = 0\n" % c for c in counters)
        text += "".join("lsm deny connect %s\n" % e for e, v in errnos if int(v) < 512)
        p = self.socksim("check", self.write("all.scn", text))
        self.assertStatus(p, 0)
        self.assertGreater(len(counters), 40)


class Suggestions(CliTest):
    def test_set_of_a_sysctl_short_name(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--set", "tcp_syn_retries=3")
        self.assertStatus(p, 2)
        self.assertEqual(p.stderr, "<command line>: error: unknown parameter 'tcp_syn_retries' (declared: none)\n"
                         "<command line>: note: 'tcp_syn_retries' is not a parameter of this scenario; "
                         "did you mean the sysctl: --set net.ipv4.tcp_syn_retries=3?\n")

    def test_sysctl_typo(self):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--set", "net.ipv4.tcp_syn_retires=3")
        self.assertStatus(p, 2)
        self.assertIn("unknown sysctl 'net.ipv4.tcp_syn_retires' (did you mean 'net.ipv4.tcp_syn_retries'?)",
                      p.stderr)


class RunSettings(CliTest):
    def results(self, *args):
        p = self.socksim("run", scn_path("syn-lost-once.scn"), "--trace", "none",
                         "--results", self.path("r.json"), *args)
        return p, self.load("r.json") if os.path.exists(self.path("r.json")) else None

    def test_timers_wheel(self):
        p, exact = self.results()
        self.assertStatus(p, 0)
        p, wheel = self.results("--set", "timers=wheel")
        self.assertEqual((exact["timers"], wheel["timers"]), ("exact", "wheel"))
        self.assertIn("timers=wheel", wheel["sets"])
        # the wheel's granularity moves the 1 s SYN retransmission (and the expectations fail)
        self.assertStatus(p, 1)
        self.assertNotEqual(exact["end_time_ns"], wheel["end_time_ns"])

    def test_profile(self):
        p, r = self.results("--profile", "linux-5.0")
        self.assertStatus(p, 0)
        self.assertEqual(r["profile"], "linux-5.0")
        p, r = self.results("--set", "profile=linux-5.0")
        self.assertEqual(r["profile"], "linux-5.0")

    def test_bad_settings(self):
        for args, msg in ((["--profile", "linux-6.8"], "--set profile=linux-6.8: expected a kernel profile "
                           "(see `socksim list-profiles`) (did you mean 'linux-6.6', the nearest older profile?)"),
                          (["--set", "timers=whell"], "--set timers=whell: expected exact or wheel")):
            with self.subTest(args=args):
                p = self.socksim("run", scn_path("syn-lost-once.scn"), *args)
                self.assertStatus(p, 2)
                self.assertEqual(p.stderr, "<command line>: error: %s\n" % msg)


class Flush(CliTest):
    def test_trace_before_summary_on_one_pipe(self):
        for extra in ([], ["--verbose"]):
            with self.subTest(extra=extra):
                p = subprocess.run([test_cli.SOCKSIM, "run", scn_path("syn-lost-once.scn")] + extra,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
                lines = p.stdout.splitlines()
                self.assertEqual(lines[-1], "%s: 11 expectations, 0 failed" % scn_path("syn-lost-once.scn"))
                trace_end = max(i for i, l in enumerate(lines) if "inet_sock_set_state" in l)
                report = [i for i, l in enumerate(lines) if l.startswith(scn_path("syn-lost-once.scn"))]
                self.assertEqual(len(report), 12 if extra else 1)
                self.assertLess(trace_end, report[0], "\n".join(lines[-20:]))

    def test_check_ok_lines_before_errors(self):
        bad = self.write("bad.scn", "hots a 10.0.0.1\n")
        p = subprocess.run([test_cli.SOCKSIM, "check", scn_path("syn-lost-once.scn"), bad],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
        lines = p.stdout.splitlines()
        self.assertRegex(lines[0], r"syn-lost-once\.scn: ok \(2 hosts, ")
        self.assertIn("unknown directive 'hots' (did you mean 'host'?)", lines[1])


if __name__ == "__main__":
    test_cli.main()
