#!/usr/bin/python3
"""Docs that are true (issue #11 item 6):
- every fenced block of docs/scenario-language.md has a language; each
  ```scn block is a whole scenario that `socksim check`s and `socksim run`s
  with every expectation holding;
- the JSON examples of docs/results-format.md are real output: each is
  matched against a run of the scenario it came from (arrays in the example
  may hold fewer entries than the run's, in the same order; the build's
  "socksim" version is normalised, it differs per build).

usage: test_docs.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

SOCKSIM = SRC = ""


def fences(path):
    """[(line, language, text)] of every fenced block of a markdown file."""
    out, cur = [], None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            m = re.match(r"^```(\S*)\s*$", line)
            if m and cur is None:
                cur = (n, m.group(1), [])
            elif m and not m.group(1):
                out.append((cur[0], cur[1], "".join(cur[2])))
                cur = None
            elif cur is not None:
                cur[2].append(line)
    assert cur is None, "%s: unclosed fence at line %d" % (path, cur[0])
    return out


def matches(doc, real, where="$"):
    """None if @doc is @real with arrays cut to a subsequence; else where they differ."""
    if isinstance(doc, dict):
        if not isinstance(real, dict) or list(doc) != [k for k in real if k in doc]:
            return "%s: keys %s, run has %s" % (where, list(doc), list(real) if isinstance(real, dict) else real)
        if set(doc) != set(real):
            return "%s: the run also has %s" % (where, sorted(set(real) - set(doc)))
        for k in doc:
            if where == "$" and k == "socksim":
                continue
            why = matches(doc[k], real[k], "%s.%s" % (where, k))
            if why:
                return why
        return None
    if isinstance(doc, list):
        if not isinstance(real, list):
            return "%s: a list, the run has %r" % (where, real)
        j = 0
        for i, d in enumerate(doc):
            while j < len(real) and matches(d, real[j]) is not None:
                j += 1
            if j == len(real):
                return "%s[%d] = %s is not in the run's list (in order)" % (where, i, json.dumps(d)[:300])
            j += 1
        return None
    return None if doc == real and type(doc) == type(real) else "%s: %r, the run has %r" % (where, doc, real)


class Docs(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="socksim-docs-")
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def socksim(self, *args):
        return subprocess.run([SOCKSIM] + list(args), capture_output=True, text=True, cwd=SRC, timeout=120)

    def test_scenario_language_examples_run(self):
        blocks = fences(os.path.join(SRC, "docs", "scenario-language.md"))
        for line, lang, _ in blocks:
            self.assertIn(lang, ("scn", "pkt", "ebnf", "text"), "docs/scenario-language.md:%d: a fence needs a "
                          "language (scn for a scenario that CI runs, pkt for a packetdrill script)" % line)
        scns = [(line, lang, text) for line, lang, text in blocks if lang in ("scn", "pkt")]
        self.assertGreaterEqual(len(scns), 3)
        self.assertGreaterEqual(len([s for s in scns if s[1] == "pkt"]), 1)
        for line, lang, text in scns:
            with self.subTest(line=line):
                path = os.path.join(self.dir, "example-line-%d.%s" % (line, lang))
                with open(path, "w") as f:
                    f.write(text)
                p = self.socksim("check", path)
                self.assertEqual(p.returncode, 0, "docs/scenario-language.md:%d:\n%s" % (line, p.stderr))
                p = self.socksim("run", path, "--trace", "none")
                self.assertEqual(p.returncode, 0, "docs/scenario-language.md:%d:\n%s" % (line, p.stderr))
                self.assertRegex(p.stderr, r"\d+ expectations?, 0 failed\n$")

    def run_results(self, scn):
        out = os.path.join(self.dir, "r.json")
        p = self.socksim("run", scn, "--trace", "none", "--results", out)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        with open(out) as f:
            return json.load(f)

    def test_results_format_examples_are_real(self):
        blocks = [b for b in fences(os.path.join(SRC, "docs", "results-format.md")) if b[1] == "json"]
        self.assertEqual(len(blocks), 2)
        main = json.loads(blocks[0][2])
        real = self.run_results(main["scenario"]["path"])
        self.assertEqual(set(main["socksim"]), {"version", "revision"})
        self.assertIsNone(matches(main, real))
        vsock = json.loads("{" + blocks[1][2] + "}")["vsock"]
        real = self.run_results("scenarios/vsock/bulk-reader-paced.scn")
        self.assertIsNone(matches(vsock, real["vsock"], "$.vsock"))

    def test_matcher(self):
        # the comparison can fail: a changed value, a missing entry, a reordered list
        self.assertIsNone(matches({"a": [1, 3]}, {"a": [1, 2, 3]}))
        self.assertIsNotNone(matches({"a": [3, 1]}, {"a": [1, 2, 3]}))
        self.assertIsNotNone(matches({"a": 1}, {"a": 1, "b": 2}))
        self.assertIsNotNone(matches({"a": {"pid": 2}}, {"a": {"pid": 100}}))
        self.assertIsNotNone(matches({"a": 1}, {"a": True}))


def main():
    global SOCKSIM, SRC
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit("usage: test_docs.py SOCKSIM SOURCE_ROOT [unittest options]")
    SOCKSIM, SRC = os.path.abspath(args[0]), os.path.abspath(args[1])
    unittest.main(argv=[sys.argv[0]] + args[2:], verbosity=2)


if __name__ == "__main__":
    main()
