#!/usr/bin/python3
"""Tests of `socksim report` (docs/sweeps-and-reports.md) on the fixed results
set in tests/report/fixture/: the expected files, PNGs of the expected size
that are not blank (decoded with zlib), SVGs, index.html linking every chart,
gnuplot failures failing the report, input errors.

usage: test_report.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zlib

SOCKSIM = ""
SRC = ""
FIXTURE = ""
WIDTH, HEIGHT = 960, 600


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, ihdr
    bpp = 3 if ctype == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def ink(path):
    """(variance of the grey level, fraction of pixels that are not background)."""
    w, h, bpp, rows = png_pixels(path)
    greys = [sum(row[x:x + 3]) // 3 for row in rows for x in range(0, w * bpp, bpp)]
    mean = sum(greys) / len(greys)
    var = sum((g - mean) ** 2 for g in greys) / len(greys)
    background = max(set(greys), key=greys.count)
    return var, sum(g != background for g in greys) / len(greys)


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="socksim-report-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def report(self, out, *inputs, env=None, extra=()):
        return subprocess.run([SOCKSIM, "report", *inputs, "--out", os.path.join(self.tmp, out), *extra],
                              capture_output=True, text=True, env=env)

    def check_chart(self, out, stem):
        png, svg = os.path.join(out, stem + ".png"), os.path.join(out, stem + ".svg")
        w, h, _, _ = png_pixels(png)
        self.assertEqual((w, h), (WIDTH, HEIGHT), stem)
        var, inked = ink(png)
        self.assertGreater(var, 100, "%s.png looks blank" % stem)
        self.assertGreater(inked, 0.01, "%s.png looks blank" % stem)
        root = ET.parse(svg).getroot()
        self.assertTrue(root.tag.endswith("svg"), stem)
        text = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
        return text

    def test_sweep_report(self):
        out = os.path.join(self.tmp, "sweep")
        p = self.report("sweep", os.path.join(FIXTURE, "sweep"), extra=("--closed-form", "syn-loss:p"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("4 charts drawn, 7 not drawn", p.stderr)
        for stem in ("latency-cdf", "latency-vs-p", "syn-timeline", "states"):
            text = self.check_chart(out, stem)
            self.assertIn("(s", text, "%s: an axis in seconds" % stem)
        vs = self.check_chart(out, "latency-vs-p")
        for label in ("closed form: median", "closed form: p99", "median", "shaded: median to p99"):
            self.assertIn(label, vs)
        cdf = self.check_chart(out, "latency-cdf")
        for label in ("p=0", "p=0.2", "p=0.4", "fraction of runs connected"):
            self.assertIn(label, cdf)
        for name in ("latency-cdf.dat", "latency-vs-p.dat", "latency-vs-p-closed-form.dat", "syn-timeline.dat",
                     "states.dat", "exemplar.results.json", "exemplar.trace.jsonl", "sweep-summary.csv"):
            self.assertTrue(os.path.isfile(os.path.join(out, "data", name)), name)
        with open(os.path.join(out, "data", "latency-vs-p-closed-form.dat")) as f:
            self.assertEqual(f.read().splitlines()[1:], ["0 2000000 2000000", "0.2 2000000 4002000000",
                                                         "0.4 1002000000 35002000000"])
        with open(os.path.join(out, "index.html")) as f:
            html = f.read()
        with open(os.path.join(SRC, "docs", "sweeps-and-reports.md")) as f:
            doc = f.read()
        self.assertIn('`<img src="STEM.svg">`', doc)    # as the docs describe index.html
        self.assertNotIn("SVG inline", doc)
        for stem in ("latency-cdf", "latency-vs-p", "syn-timeline", "states"):
            self.assertIn('<img src="%s.svg"' % stem, html)
            self.assertIn('href="%s.png"' % stem, html)
        self.assertNotIn("http", html.replace("http-equiv", ""), "index.html must work offline")
        self.assertIn("no connections[] with two or more samples[].cwnd, ssthresh, in_flight (not in this run)", html)
        self.assertRegex(html, r"<td class=l>p=0.4</td><td>20</td>")
        # render.sh redraws the same charts from the data files
        p = subprocess.run(["sh", os.path.join(out, "render.sh")], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")

    def test_vsock_series(self):
        # vsock.connections[] of a real run: credit and receive queue samples,
        # bytes received per interval (docs/sweeps-and-reports.md)
        results = os.path.join(self.tmp, "vsock.results.json")
        scn = os.path.join(SRC, "scenarios", "vsock", "bulk-reader-paced.scn")
        p = subprocess.run([SOCKSIM, "run", scn, "--trace", "none", "--results", results],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(self.tmp, "vsock")
        p = self.report("vsock", results)
        self.assertEqual(p.returncode, 0, p.stderr)
        text = self.check_chart(out, "vsock-credit")
        self.assertIn("hv sk#3 rx_bytes", text)
        self.assertIn("vm sk#2 peer_free", text)
        self.assertIn("Mbit/s", self.check_chart(out, "vsock-throughput"))
        with open(os.path.join(out, "data", "vsock-credit.dat")) as f:
            data = f.read()
        values = [int(l.split()[1]) for l in data.splitlines() if l and l[0].isdigit()]
        self.assertIn(262144, values)                   # rx_bytes reaches buf_alloc
        self.assertIn(0, values)                        # the sender runs out of credit
        self.assertFalse(os.path.exists(os.path.join(out, "cwnd.png")))

    def test_vsock_sweep(self):
        # a sweep of a vsock scenario: no TCP packets, so no SYN timeline, and no gnuplot error
        d = os.path.join(self.tmp, "vsock-sweep")
        scn = os.path.join(SRC, "scenarios", "vsock", "bulk-reader-paced.scn")
        p = subprocess.run([SOCKSIM, "sweep", scn, "--seeds", "2", "--out", d], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(self.tmp, "vsock-sweep-report")
        p = self.report("vsock-sweep-report", d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("error", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(out, "syn-timeline.png")))
        self.assertFalse(os.path.exists(os.path.join(out, "syn-timeline.svg")))
        self.check_chart(out, "vsock-credit")
        with open(os.path.join(out, "index.html")) as f:
            self.assertIn("no TCP packet of the connection of its connect()", f.read())

    def test_time_valued_axis(self):
        # --vary d=1ms:5ms:2ms: the axis is drawn in the values' unit and labelled with it
        with open(os.path.join(SRC, "tests", "stats", "syn-loss.scn")) as f:
            text = f.read().replace("param p = 0.3", "param p = 0.3\nparam d = 1ms")
        text = text.replace("delay=1ms", "delay=$d")
        scn = os.path.join(self.tmp, "delay.scn")
        with open(scn, "w") as f:
            f.write(text)
        d = os.path.join(self.tmp, "delay-sweep")
        p = subprocess.run([SOCKSIM, "sweep", scn, "--vary", "d=1ms:5ms:2ms", "--set", "p=0", "--seeds", "2",
                            "--out", d], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.report("delay-report", d)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(self.tmp, "delay-report")
        self.assertIn("d (ms)", self.check_chart(out, "latency-vs-d"))
        with open(os.path.join(out, "data", "latency-vs-d.dat")) as f:
            rows = [l.split() for l in f.read().splitlines() if l and l[0].isdigit()]
        self.assertEqual([(r[0], r[1]) for r in rows], [("1", "2000000"), ("3", "6000000"), ("5", "10000000")])

    def test_throughput_vs_param(self):
        # a vsock sweep over the reader's pace: throughput (summary column throughput_bps)
        # against pace, in Mbit/s; 1 MiB read in 16 reads of 64 KiB, the first at the connection's
        # start and the last 15 paces of 5/10 ms later: 1 MiB x 8 / 75 ms, / 150 ms
        d = os.path.join(self.tmp, "pace-sweep")
        p = subprocess.run([SOCKSIM, "sweep", os.path.join(FIXTURE, "vsock-pace.scn"), "--vary", "pace=5ms,10ms,20ms",
                            "--seeds", "2", "--out", d], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.report("pace-report", d)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(self.tmp, "pace-report")
        text = self.check_chart(out, "throughput-vs-pace")
        self.assertIn("pace (ms)", text)
        self.assertIn("Mbit/s", text)
        with open(os.path.join(out, "data", "throughput-vs-pace.dat")) as f:
            rows = [l.split() for l in f.read().splitlines() if l and l[0].isdigit()]
        self.assertEqual([r[0] for r in rows], ["5", "10", "20"])
        self.assertEqual([int(r[1]) for r in rows[:2]], [1048576 * 8 * 10**9 // 75000000,
                                                         1048576 * 8 * 10**9 // 150000000])
        self.assertTrue(all(r[4] == "2" for r in rows))

    def test_results_with_samples(self):
        out = os.path.join(self.tmp, "samples")
        p = self.report("samples", os.path.join(FIXTURE, "send-loss-1.results.json"))
        self.assertEqual(p.returncode, 0, p.stderr)
        for stem in ("latency-cdf", "states", "throughput", "cwnd", "rto"):
            self.check_chart(out, stem)
        self.assertIn("Mbit/s", self.check_chart(out, "throughput"))
        cwnd = self.check_chart(out, "cwnd")
        self.assertIn("client sk#2 ssthresh", cwnd)
        self.assertNotIn("server", cwnd)                # the receiver sent nothing
        windows = self.check_chart(out, "windows")
        self.assertIn("client sk#2 snd_wnd", windows)
        self.assertIn("server sk#3 rcv_wnd", windows)
        self.assertFalse(os.path.exists(os.path.join(out, "vsock-credit.png")))
        with open(os.path.join(out, "data", "throughput.dat")) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], '"client sk#2"')
        t0, t1 = (int(l.split()[0]) for l in lines[1:3])
        self.assertEqual(t1 - t0, 100000000)            # interval_ns
        with open(os.path.join(out, "index.html")) as f:
            html = f.read()
        self.assertIn("no vsock.connections[] with two or more samples[].peer_free, rx_bytes (the results have no such array)", html)
        self.assertIn("no JSONL trace beside", html)

    def test_gnuplot_error_fails(self):
        broken = os.path.join(self.tmp, "analysis-broken")
        shutil.copytree(os.path.join(SRC, "analysis"), broken)
        with open(os.path.join(broken, "latency-cdf.gp"), "a") as f:
            f.write("plot no_such_variable\n")
        env = dict(os.environ, SOCKSIM_ANALYSIS_DIR=broken)
        p = self.report("broken", os.path.join(FIXTURE, "sweep"), env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("chart latency-cdf: gnuplot failed on latency-cdf.gp", p.stderr)
        with open(os.path.join(self.tmp, "broken", "index.html")) as f:
            self.assertIn("gnuplot failed on latency-cdf.gp", f.read())

    def test_replaces_previous_report(self):
        def tree(d):
            files = {}
            for root, _, names in os.walk(d):
                for n in names:
                    with open(os.path.join(root, n), "rb") as f:
                        files[os.path.relpath(os.path.join(root, n), d)] = f.read()
            return files

        out = os.path.join(self.tmp, "again")
        p = self.report("again", os.path.join(FIXTURE, "sweep"))
        self.assertEqual(p.returncode, 0, p.stderr)
        before = tree(out)
        self.assertIn("latency-vs-p.png", before)
        # a report that fails part way leaves the previous one as it was
        broken = os.path.join(self.tmp, "analysis-incomplete")
        shutil.copytree(os.path.join(SRC, "analysis"), broken)
        os.remove(os.path.join(broken, "latency-cdf.gp"))
        with open(os.path.join(broken, "common.gp"), "a") as f:
            f.write("# changed\n")
        p = self.report("again", os.path.join(FIXTURE, "sweep"), env=dict(os.environ, SOCKSIM_ANALYSIS_DIR=broken))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(tree(out), before)
        # a report that succeeds leaves none of the previous one's files
        results = os.path.join(FIXTURE, "send-loss-1.results.json")
        self.assertEqual(self.report("again", results).returncode, 0)
        self.assertEqual(self.report("fresh", results).returncode, 0)
        self.assertEqual(sorted(tree(out)), sorted(tree(os.path.join(self.tmp, "fresh"))))
        self.assertFalse([n for n in os.listdir(self.tmp) if ".tmp-" in n])

    def test_input_errors(self):
        p = self.report("e1", os.path.join(self.tmp, "nonexistent"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("no such sweep directory or results file", p.stderr)
        bogus = os.path.join(self.tmp, "bogus.json")
        with open(bogus, "w") as f:
            f.write('{"format": "something else"}\n')
        p = self.report("e2", bogus)
        self.assertEqual(p.returncode, 2)
        self.assertIn("bogus.json:1:1: not a socksim results document", p.stderr)
        bad = os.path.join(self.tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"a": 1,\n "b": [1, 2,,]}\n')
        p = self.report("e5", bad)
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, r"socksim: error: %s:2:\d+: Parse error" % re.escape(bad))
        self.assertNotIn("<data>", p.stderr)
        rows = os.path.join(self.tmp, "bad-rows")
        shutil.copytree(os.path.join(FIXTURE, "sweep"), rows)
        with open(os.path.join(rows, "summary.jsonl")) as f:
            first = f.readline()
        with open(os.path.join(rows, "summary.jsonl"), "w") as f:
            f.write(first + '{"grid": 0,,}\n')
        p = self.report("e6", rows)
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, r"summary.jsonl:2:\d+: not a summary row: Parse error")
        self.assertNotIn("<data>", p.stderr)
        for key in ("q", "seed"):
            p = self.report("e4", os.path.join(FIXTURE, "sweep"), extra=("--closed-form", "syn-loss:" + key))
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("--closed-form syn-loss:%s: no sweep among the INPUTs varies '%s'" % (key, key), p.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "e4")))
        p = self.report("e3", os.path.join(FIXTURE, "sweep"), env=dict(os.environ, SOCKSIM_GNUPLOT="no-such-gnuplot"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("'no-such-gnuplot' not found", p.stderr)
        os.makedirs(os.path.join(self.tmp, "mine"))
        with open(os.path.join(self.tmp, "mine", "keep.txt"), "w") as f:
            f.write("x")
        p = self.report("mine", os.path.join(FIXTURE, "sweep"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("is not a socksim report", p.stderr)
        self.assertEqual(os.listdir(os.path.join(self.tmp, "mine")), ["keep.txt"])


if __name__ == "__main__":
    SOCKSIM = os.path.abspath(sys.argv.pop(1))
    SRC = os.path.abspath(sys.argv.pop(1))
    FIXTURE = os.path.join(SRC, "tests", "report", "fixture")
    unittest.main(verbosity=2)
