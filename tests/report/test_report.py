#!/usr/bin/python3
"""Tests of `socksim report` (docs/sweeps-and-reports.md) on the fixed results
set in tests/report/fixture/: the expected files, PNGs of the expected size
that are not blank (decoded with zlib), SVGs, index.html linking every chart,
gnuplot failures failing the report, input errors.

usage: test_report.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import json
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
        self.assertIn("4 charts drawn, 9 not drawn", p.stderr)
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
        for stem in ("states", "throughput", "cwnd", "rto"):
            self.check_chart(out, stem)
        # one run: its CDF would be a single vertical step, so it is not drawn
        self.assertFalse(os.path.exists(os.path.join(out, "latency-cdf.png")))
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
        self.assertIn("every variant&apos;s connect() latency is a single value (send-loss-1.results.json: "
                      "20.009 ms (1 run))", html)
        # legends name the quantity, the axis has the unit
        rto = self.check_chart(out, "rto")
        self.assertIn("time (ms)", rto)
        self.assertIn("client sk#2 RTO", rto)
        self.assertIn("client sk#2 smoothed RTT", rto)
        self.assertNotIn("rto_ns", rto)
        self.assertNotIn("srtt_us", rto)
        # every chart says what it shows: scenario, parameters, seed
        for stem in ("states", "throughput", "cwnd", "rto", "windows"):
            self.assertIn("send-loss-1.scn; seed 1", self.check_chart(out, stem), stem)

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
        self.assertIn("socksim: error: %s:2:13: expected a JSON value, found ','" % bad, p.stderr)
        self.assertNotIn("<data>", p.stderr)
        rows = os.path.join(self.tmp, "bad-rows")
        shutil.copytree(os.path.join(FIXTURE, "sweep"), rows)
        with open(os.path.join(rows, "summary.jsonl")) as f:
            first = f.readline()
        with open(os.path.join(rows, "summary.jsonl"), "w") as f:
            f.write(first + '{"grid": 0,,}\n')
        p = self.report("e6", rows)
        self.assertEqual(p.returncode, 2)
        self.assertIn("summary.jsonl:2:12: not a summary row: expected a member name (a string) after ',', "
                      "found ','", p.stderr)
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



def gp_vars(out, stem):
    """The gnuplot variables socksim set for chart @stem (from render.sh, its PNG line)."""
    with open(os.path.join(out, "render.sh")) as f:
        for line in f:
            if "outfile='%s.png'" % stem in line.replace("'\\''", "'"):
                text = line.replace("'\\''", "'")
                return dict(re.findall(r"(\w+)=('[^']*'|[-\d.e]+)", text))
    raise AssertionError("no render.sh line for %s" % stem)


def blocks(path):
    """{title: [rows]} of a chart data file."""
    out, title = {}, None
    with open(path) as f:
        for line in f.read().split("\n"):
            if line.startswith('"'):
                title = line.strip('"')
                out[title] = []
            elif line and title is not None:
                out[title].append(line.split())
    return out


class BulkAndVsockTest(unittest.TestCase):
    """Reports that fit the question: a bulk-transfer sweep and a vsock sweep (issue #11 item 5)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="socksim-report-bulk-")
        cls.bulk = os.path.join(cls.tmp, "bulk")
        p = subprocess.run([SOCKSIM, "sweep", os.path.join(FIXTURE, "bulk-loss.scn"), "--vary", "p=0%,3%",
                            "--seeds", "3", "--out", cls.bulk], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        cls.vsock = os.path.join(cls.tmp, "vsock")
        p = subprocess.run([SOCKSIM, "sweep", os.path.join(FIXTURE, "vsock-pace.scn"), "--vary", "pace=5ms,10ms",
                            "--seeds", "2", "--out", cls.vsock], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def report(self, out, *args):
        out = os.path.join(self.tmp, out)
        p = subprocess.run([SOCKSIM, "report", *args, "--out", out], capture_output=True, text=True)
        return p, out

    def html(self, out):
        with open(os.path.join(out, "index.html")) as f:
            return f.read()

    def test_bulk_sweep(self):
        p, out = self.report("bulk-report", self.bulk)
        self.assertEqual(p.returncode, 0, p.stderr)
        html = self.html(out)
        # every connect() took one RTT: no degenerate CDF, no flat latency line, no SYN timeline
        self.assertIn("every variant&apos;s connect() latency is a single value (p=0%: 20.009 ms (3 runs), "
                      "p=3%: 20.009 ms (3 runs))", html)
        self.assertIn("connect() took 20.009 ms in every run that connected, whatever p: a flat line", html)
        self.assertIn("is a bulk transfer whose handshake took one SYN and one SYN-ACK", html)
        for stem in ("latency-cdf", "latency-vs-p", "syn-timeline"):
            self.assertFalse(os.path.exists(os.path.join(out, stem + ".png")), stem)
        # percentages are an axis
        self.assertIn("p (%)", ReportTest.check_chart(self, out, "throughput-vs-p"))
        # the default run drawn: the most retransmitted segments (p=3%, seed 3: 7)
        with open(os.path.join(self.bulk, "summary.jsonl")) as f:
            rows = [json.loads(l) for l in f]
        worst = max(rows, key=lambda r: (r["retrans_segs"], -r["seed"]))
        self.assertEqual((worst["p"], worst["seed"]), ("3%", 3))
        sub = "bulk-loss.scn; p=3%; seed 3"
        for stem in ("states", "throughput", "cwnd", "rto", "windows"):
            self.assertIn(sub, ReportTest.check_chart(self, out, stem), stem)
        self.assertIn("bulk-loss.scn; p = 0%, 3%; seeds 1-3", ReportTest.check_chart(self, out, "throughput-vs-p"))
        # summary table: throughput and retransmissions per variant, from the summary
        for pv in ("0%", "3%"):
            runs = [r for r in rows if r["p"] == pv]
            bps = sorted(r["throughput_bps"] for r in runs)
            med = bps[(50 * len(bps) + 99) // 100 - 1]
            retrans = sum(r["retrans_segs"] for r in runs) * 100 // len(runs)
            m = re.search(r"<td class=l>p=%s</td>(.*)</tr>" % re.escape(pv), html)
            cells = re.findall(r"<td>([^<]*)</td>", m.group(1))
            self.assertEqual(cells[11], "%d.%02d Mbit/s" % divmod((med + 5000) // 10000, 100), pv)
            self.assertEqual(cells[13], "%d.%02d" % divmod(retrans, 100), pv)
        self.assertIn("<th>median throughput</th>", html)
        self.assertIn("<th>retrans segs / run</th>", html)
        # time axes start where the data does
        data = blocks(os.path.join(out, "data", "throughput.dat"))
        first = min(int(r[0]) for rs in data.values() for r in rs)
        self.assertAlmostEqual(float(gp_vars(out, "throughput")["t0s"]), first / 1e9)
        self.assertGreater(first, 0)

    def test_state_colours_fixed(self):
        # a state has one colour whichever states the run visits (a SYN-loss sweep visits others)
        colour = {}
        for name, inp in (("bulk-c", self.bulk), ("syn-c", os.path.join(FIXTURE, "sweep")),
                          ("vsock-c", self.vsock)):
            p, out = self.report(name, inp)
            self.assertEqual(p.returncode, 0, p.stderr)
            states = list(blocks(os.path.join(out, "data", "states.dat")))
            colours = gp_vars(out, "states")["colours"].strip("'").split()
            self.assertEqual(len(states), len(colours), name)
            for s, c in zip(states, colours):
                self.assertEqual(colour.setdefault(s, c), c, "%s: %s" % (name, s))
        self.assertEqual(colour["ESTABLISHED"], "#2ca02c")
        self.assertGreaterEqual(len(colour), 5)

    def test_example_and_connect_line(self):
        p, out = self.report("ex", self.bulk, "--example", "p=0%,seed=2")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("bulk-loss.scn; p=0%; seed 2", ReportTest.check_chart(self, out, "cwnd"))
        self.assertIn("chosen with --example", self.html(out))
        with open(os.path.join(out, "data", "exemplar.results.json")) as f:
            r = json.load(f)
        self.assertEqual((r["seed"], r["sets"]), (2, ["p=0%"]))
        # a seed alone: that seed at the most eventful grid point
        p, out = self.report("ex2", self.bulk, "--example", "1")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("bulk-loss.scn; p=3%; seed 1", ReportTest.check_chart(self, out, "cwnd"))
        # a grid point alone: its most eventful seed
        p, out = self.report("ex3", self.bulk, "--example", "p=0%")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("bulk-loss.scn; p=0%; seed 1", ReportTest.check_chart(self, out, "cwnd"))
        for arg, why in (("q=1", "--example: the sweep %s does not vary 'q' (it varies: p)" % self.bulk),
                         ("p=7%", "no grid point of %s has these values" % self.bulk),
                         ("4", "the sweep %s has seeds 1-3" % self.bulk),
                         ("p=0%,seed=9", "seed=9: the sweep %s has seeds 1-3" % self.bulk),
                         ("junk", "expected SEED or KEY=VALUE,...[,seed=N], found 'junk'")):
            p, _ = self.report("ex-bad", self.bulk, "--example", arg)
            self.assertEqual(p.returncode, 2, arg)
            self.assertIn(why, p.stderr, arg)
        p, _ = self.report("ex-bad", os.path.join(FIXTURE, "send-loss-1.results.json"), "--example", "1")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no INPUT is a sweep directory", p.stderr)
        p, _ = self.report("ex-bad", self.bulk, "--connect-line", "x")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--connect-line expects a scenario line number, found 'x'", p.stderr)
        # a line that issues no connect(): the SYN timeline says so
        p, out = self.report("cl", self.bulk, "--connect-line", "16")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("has no connect() issued by line 16 on a connected socket", self.html(out))

    def test_bulk_with_syn_loss_draws_the_handshake(self):
        # two connects: line 29's loses one SYN and then carries data (its first segment lost too),
        # line 36's loses two SYNs and carries none
        stem = os.path.join(self.tmp, "two")
        p = subprocess.run([SOCKSIM, "run", os.path.join(SRC, "scenarios", "tcp", "send-after-syn-retrans.scn"),
                            "--results", stem + ".results.json", "--trace", stem + ".trace.jsonl",
                            "--trace-format", "jsonl"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)

        def timeline(line):
            p, out = self.report("two-%d" % line, stem + ".results.json", "--connect-line", str(line))
            self.assertEqual(p.returncode, 0, p.stderr)
            text = ReportTest.check_chart(self, out, "syn-timeline")
            rows = {}
            for name in ("syn-timeline", "syn-timeline-dropped"):
                with open(os.path.join(out, "data", name + ".dat")) as f:
                    rows[name] = [re.match(r'(\d+) (\d) (-?\d+) "(.*)"$', l).groups() for l in f.read().splitlines()]
            return out, text, rows["syn-timeline"], rows["syn-timeline-dropped"]

        # the bulk transfer: only its handshake, SYN times labelled; the data left out and said so
        out, text, sent, dropped = timeline(29)
        self.assertEqual([(r[1], r[3]) for r in dropped], [("1", "0 s")])
        self.assertEqual([(r[1], r[3]) for r in sent[:2]], [("1", "1.000 s"), ("2", "1.005 s")])
        self.assertTrue(all(int(r[0]) <= 1010000000 for r in sent))   # nothing after connect() returned
        self.assertIn("1.000 s", text)
        self.assertRegex(self.html(out), r"only the handshake is drawn; the \d+ later packets of data")
        self.assertIn("the connect() issued by line 29", self.html(out))
        # no data: every packet, three SYNs (linear SYN timeouts: 0, 1, 2 s)
        out, text, sent, dropped = timeline(36)
        self.assertEqual([r[3] for r in dropped], ["0 s", "1.000 s"])
        self.assertEqual(sent[0][3], "2.000 s")
        self.assertIn("3", [r[1] for r in sent])                      # the handshake's ACK
        self.assertNotIn("only the handshake is drawn", self.html(out))

    def test_vsock_sweep(self):
        p, out = self.report("vsock-report", self.vsock)
        self.assertEqual(p.returncode, 0, p.stderr)
        pk = ReportTest.check_chart(self, out, "vsock-packets")
        for label in ("REQUEST", "RESPONSE", "RW", "CREDIT_UPDATE", "guest to host", "host to guest",
                      "vsock-pace.scn; pace=5ms; seed 1"):
            self.assertIn(label, pk)
        data = blocks(os.path.join(out, "data", "vsock-packets.dat"))
        g2h = data["guest to host"]
        self.assertEqual(g2h[0][1], "1")                   # the REQUEST comes first
        self.assertEqual(sum(r[1] == "3" for r in g2h), 16)  # 16 RW of 64 KiB
        self.assertEqual(data["host to guest"][0][1], "2")  # answered by a RESPONSE
        rings = ReportTest.check_chart(self, out, "vsock-rings")
        for label in ("vm rx in use", "vm tx most in use", "ring size 128"):
            self.assertIn(label, rings)
        # the most in use of an interval is drawn over that interval only (10 ms samples)
        with open(os.path.join(out, "data", "vsock-rings.dat")) as f:
            most = f.read().split('"vm tx most in use"\n')[1].split("\n\n\n")[0]
        for seg in most.strip("\n").split("\n\n"):
            (t0, v0), (t1, v1) = (l.split() for l in seg.splitlines())
            self.assertEqual((int(t1) - int(t0), v1), (10000000, v0))
        # the transfer takes 80 ms, the run 8 s (the close timeout): a log time axis, labelled
        v = gp_vars(out, "vsock-packets")
        self.assertGreater(float(v["tlog"]), 0)
        self.assertIn("log scale", pk)
        self.assertIn("logarithmic", self.html(out))

    def test_deterministic(self):
        a = self.report("det-a", self.bulk, self.vsock)[1]
        b = self.report("det-b", self.bulk, self.vsock)[1]
        names = []
        for root, _, files in os.walk(a):
            for n in files:
                rel = os.path.relpath(os.path.join(root, n), a)
                if rel.endswith((".html", ".csv", ".jsonl", ".dat", ".sh", ".gp", ".json")):
                    names.append(rel)
        self.assertIn("index.html", names)
        self.assertIn(os.path.join("data", "bulk-summary.csv"), names)
        for rel in names:
            with open(os.path.join(a, rel), "rb") as f, open(os.path.join(b, rel), "rb") as g:
                self.assertEqual(f.read(), g.read().replace(b"det-b", b"det-a"), rel)

if __name__ == "__main__":
    SOCKSIM = os.path.abspath(sys.argv.pop(1))
    SRC = os.path.abspath(sys.argv.pop(1))
    FIXTURE = os.path.join(SRC, "tests", "report", "fixture")
    unittest.main(verbosity=2)
