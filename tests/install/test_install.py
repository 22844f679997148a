#!/usr/bin/python3
"""`meson install --destdir` (issue #11 item 4): the binary, socksim(1) and
socksim-scenario(5), bash completion, the analysis scripts, the shipped
scenarios and the docs land where they belong, and the installed socksim runs
on its own (it finds its installed analysis scripts, not the source tree's).

The library: examples/run-scenario.c, built in the tree against
libsocksim, gives what `socksim run` gives; libsocksim.so exports only
socksim_*; the installed header, library and pkg-config file build the same
example outside the tree.

usage: test_install.py SOCKSIM SOURCE_ROOT BUILD_ROOT [unittest options]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOCKSIM = SRC = BUILD = ""


def build_option(name):
    import json
    out = subprocess.run(["meson", "introspect", BUILD, "--buildoptions"], capture_output=True,
                         text=True, check=True).stdout
    return {o["name"]: o["value"] for o in json.loads(out)}[name]


class Library(unittest.TestCase):
    """The example program built in the tree (BUILD/run-scenario)."""

    def example(self, *args):
        return subprocess.run([os.path.join(BUILD, "run-scenario")] + list(args), capture_output=True,
                              text=True, cwd=SRC, timeout=120)

    def test_example_matches_socksim_run(self):
        scn = "scenarios/tcp/syn-lost-once.scn"
        with tempfile.TemporaryDirectory() as tmp:
            r = os.path.join(tmp, "r.json")
            subprocess.run([SOCKSIM, "run", scn, "--trace", "none", "--results", r], cwd=SRC, check=True,
                           capture_output=True)
            size = os.path.getsize(r)
        version = subprocess.run([SOCKSIM, "--version"], capture_output=True, text=True).stdout
        p = self.example(scn)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "lib" + version.strip().replace("(git ", "git ").rstrip(")"))
        self.assertEqual(lines[1], "%s: status 0, 11 expectations, 0 failed, end 61040000000 ns, results %d bytes"
                         % (scn, size))

    def test_example_seed_sets_and_errors(self):
        scn = "scenarios/tcp/syn-lost-once.scn"
        p = self.example(scn, "1", "net.ipv4.tcp_syn_retries=3", "timers=wheel")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("status 1, 11 expectations, 2 failed, ", p.stdout)
        self.assertIn("expectation failed", p.stdout)
        p = self.example(scn, "1", "tcp_syn_retries=0")
        self.assertEqual(p.returncode, 2)
        self.assertIn("did you mean the sysctl: --set net.ipv4.tcp_syn_retries=0?", p.stderr)
        p = self.example("nosuch.scn")
        self.assertEqual(p.returncode, 2)
        self.assertIn("nosuch.scn", p.stderr)

    def test_only_the_api_is_exported(self):
        nm = shutil.which("nm")
        if not nm:
            self.skipTest("no nm")
        lib = [f for f in os.listdir(os.path.join(BUILD, "libsocksim")) if re.fullmatch(r"libsocksim\.so\.\d+\.\d+\.\d+", f)]
        self.assertEqual(len(lib), 1, lib)
        out = subprocess.run([nm, "-D", "--defined-only", os.path.join(BUILD, "libsocksim", lib[0])],
                             capture_output=True, text=True, check=True).stdout
        names = sorted(l.split()[-1] for l in out.splitlines() if l.split()[-2] in "TDBR")
        self.assertIn("socksim_run_load", names)
        self.assertEqual([n for n in names if not n.startswith("socksim_")], [])


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        meson = shutil.which("meson")
        if not meson:
            raise unittest.SkipTest("meson not in PATH")
        cls._tmp = tempfile.TemporaryDirectory(prefix="socksim-install-")
        cls.dest = cls._tmp.name
        prefix = subprocess.run([meson, "introspect", BUILD, "--buildoptions"], capture_output=True,
                                text=True, check=True).stdout
        import json
        opts = {o["name"]: o["value"] for o in json.loads(prefix)}
        cls.prefix = cls.dest + opts["prefix"]
        cls.datadir = os.path.join(cls.prefix, opts["datadir"])
        cls.bindir = os.path.join(cls.prefix, opts["bindir"])
        cls.mandir = os.path.join(cls.prefix, opts["mandir"])
        p = subprocess.run([meson, "install", "-C", BUILD, "--destdir", cls.dest, "--no-rebuild", "--quiet"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError("meson install failed:\n" + p.stdout + p.stderr)
        cls.exe = os.path.join(cls.bindir, "socksim")

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def run_installed(self, *args, **kw):
        env = dict(os.environ)
        env.pop("SOCKSIM_ANALYSIS_DIR", None)
        return subprocess.run([self.exe] + list(args), capture_output=True, text=True, env=env,
                              timeout=120, **kw)

    def test_files_in_place(self):
        share = os.path.join(self.datadir, "socksim")
        for f in [self.exe,
                  os.path.join(self.mandir, "man1", "socksim.1"),
                  os.path.join(self.mandir, "man5", "socksim-scenario.5"),
                  os.path.join(self.datadir, "bash-completion", "completions", "socksim"),
                  os.path.join(share, "scenarios", "tcp", "syn-lost-once.scn"),
                  os.path.join(share, "scenarios", "vsock", "connect-timeout.scn"),
                  os.path.join(share, "scenarios", "packetdrill", "fr-4pkt.scn"),
                  os.path.join(self.datadir, "doc", "socksim", "scenario-language.md"),
                  os.path.join(self.datadir, "doc", "socksim", "results-format.md")]:
            self.assertTrue(os.path.isfile(f), f)
        self.assertTrue(os.access(self.exe, os.X_OK))
        self.assertEqual(sorted(os.listdir(os.path.join(share, "analysis"))),
                         sorted(f for f in os.listdir(os.path.join(SRC, "analysis"))))
        shipped = sorted(os.path.relpath(os.path.join(d, f), os.path.join(SRC, "scenarios"))
                         for d, _, fs in os.walk(os.path.join(SRC, "scenarios")) for f in fs
                         if f.endswith((".scn", ".wire")))
        installed = sorted(os.path.relpath(os.path.join(d, f), os.path.join(share, "scenarios"))
                           for d, _, fs in os.walk(os.path.join(share, "scenarios")) for f in fs)
        self.assertEqual(installed, shipped)   # every scenario and .wire file, and no meson.build

    def test_installed_binary_runs(self):
        p = self.run_installed("--version")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout, subprocess.run([SOCKSIM, "--version"], capture_output=True, text=True).stdout)
        scn = os.path.join(self.datadir, "socksim", "scenarios", "tcp", "syn-lost-once.scn")
        p = self.run_installed("run", scn, "--trace", "none")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stderr.endswith("11 expectations, 0 failed\n"), p.stderr)
        scns = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(self.datadir, "socksim", "scenarios"))
                for f in sorted(fs) if f.endswith(".scn")]
        p = self.run_installed("check", *scns)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_installed_report_uses_installed_scripts(self):
        if not shutil.which("gnuplot"):
            self.skipTest("no gnuplot")
        with tempfile.TemporaryDirectory() as tmp:
            scn = os.path.join(self.datadir, "socksim", "scenarios", "tcp", "send-loss-1.scn")
            r = os.path.join(tmp, "r.json")
            self.assertEqual(self.run_installed("run", scn, "--trace", "none", "--results", r).returncode, 0)
            # mark the installed copy of a script: the report must carry the mark
            installed = os.path.join(self.datadir, "socksim", "analysis", "common.gp")
            with open(installed, "a") as f:
                f.write("# installed copy\n")
            p = self.run_installed("report", r, "--out", os.path.join(tmp, "rep"), cwd=tmp)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(os.path.isfile(os.path.join(tmp, "rep", "index.html")))
            with open(os.path.join(tmp, "rep", "gnuplot", "common.gp")) as f:
                self.assertTrue(f.read().endswith("# installed copy\n"))

    def test_man_pages_cover_the_commands(self):
        with open(os.path.join(self.mandir, "man1", "socksim.1")) as f:
            man1 = f.read().replace("\\-", "-")
        with open(os.path.join(self.mandir, "man5", "socksim-scenario.5")) as f:
            man5 = f.read()
        commands = re.findall(r"^  (\S+) +\S", self.run_installed("help").stdout, re.M)
        self.assertGreater(len(commands), 10)
        for cmd in commands:
            self.assertIn(cmd, man1)
            for opt in re.findall(r"^  (--[a-z-]+)", self.run_installed("help", cmd).stdout, re.M):
                if opt != "--help":
                    self.assertIn(opt, man1, "socksim(1) lacks %s %s" % (cmd, opt))
        for d in re.findall(r"^(\S+)", self.run_installed("list-directives").stdout, re.M):
            self.assertRegex(man5, r"\.(B|BI|BR) \"?%s\b" % re.escape(d), "socksim-scenario(5) lacks " + d)
        if shutil.which("man"):
            for page in (("man1", "socksim.1"), ("man5", "socksim-scenario.5")):
                p = subprocess.run(["man", "--warnings", "-l", os.path.join(self.mandir, *page)],
                                   capture_output=True, text=True, env=dict(os.environ, MANWIDTH="80"))
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stderr, "", page)
                self.assertIn("SYNOPSIS" if page[0] == "man1" else "DESCRIPTION", p.stdout)

    def test_installed_library_builds_the_example(self):
        cc, pkgconf = shutil.which("cc"), shutil.which("pkg-config")
        if not cc or not pkgconf:
            self.skipTest("no cc or pkg-config")
        if build_option("b_sanitize") != "none":
            self.skipTest("a sanitized libsocksim needs the sanitizer runtime in the program too")
        libdir = os.path.join(self.prefix, build_option("libdir"))
        header = os.path.join(self.prefix, build_option("includedir"), "socksim", "socksim.h")
        self.assertTrue(os.path.isfile(header))
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"),
                   PKG_CONFIG_SYSROOT_DIR=self.dest)
        flags = subprocess.run([pkgconf, "--cflags", "--libs", "socksim"], capture_output=True, text=True,
                               env=env, check=True).stdout.split()
        with tempfile.TemporaryDirectory() as tmp:
            exe = os.path.join(tmp, "run-scenario")
            p = subprocess.run([cc, os.path.join(SRC, "examples", "run-scenario.c"), "-o", exe] + flags,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            scn = os.path.join(self.datadir, "socksim", "scenarios", "tcp", "syn-lost-once.scn")
            p = subprocess.run([exe, scn], capture_output=True, text=True,
                               env=dict(os.environ, LD_LIBRARY_PATH=libdir))
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn(": status 0, 11 expectations, 0 failed, end 61040000000 ns", p.stdout)

    def test_bash_completion(self):
        comp = os.path.join(self.datadir, "bash-completion", "completions", "socksim")
        script = ('source "$1"; COMP_WORDS=("$2" list-er); COMP_CWORD=1; _socksim; echo "${COMPREPLY[*]}";'
                  'COMP_WORDS=("$2" run x.scn --tr); COMP_CWORD=3; _socksim; echo "${COMPREPLY[*]}";'
                  'COMP_WORDS=("$2" run x.scn --profile linux-5); COMP_CWORD=4; _socksim; echo "${COMPREPLY[*]}";'
                  'COMP_WORDS=("$2" run x.scn --profile ""); COMP_CWORD=4; _socksim; echo "${COMPREPLY[*]}"')
        p = subprocess.run(["bash", "-c", script, "bash", comp, self.exe], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.splitlines(), ["list-errnos", "--trace --trace-format",
                                                 "linux-5.0 linux-5.10 linux-5.15",
                                                 "linux-6.18 linux-5.0 linux-5.10 linux-5.15 linux-6.1 "
                                                 "linux-6.6 linux-6.12"])


def main():
    global SOCKSIM, SRC, BUILD
    args = sys.argv[1:]
    if len(args) < 3:
        sys.exit("usage: test_install.py SOCKSIM SOURCE_ROOT BUILD_ROOT [unittest options]")
    SOCKSIM, SRC, BUILD = (os.path.abspath(a) for a in args[:3])
    unittest.main(argv=[sys.argv[0]] + args[3:], verbosity=2)


if __name__ == "__main__":
    main()
