#!/usr/bin/python3
"""index.html of a report opened in headless Chromium (issue #11 item 5): the
page has a figure for every chart drawn, every image on it loads (the SVG
shown and the PNG it links to), for the report of a bulk-transfer sweep and of
a vsock sweep.  Skipped, saying so, only when chromium is not installed
(tools/setup.sh installs Debian's `chromium`).

usage: test_report_browser.py SOCKSIM SOURCE_ROOT [unittest options]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SOCKSIM = SRC = FIXTURE = ""
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Appended to a copy of index.html beside it: once the page has loaded, every
# <img> must have decoded, and every PNG a figure links to is loaded too.
PROBE = """<script>
window.addEventListener('load', function () {
  var lines = [];
  document.querySelectorAll('figure').forEach(function (f) { lines.push('figure ' + f.id); });
  document.querySelectorAll('img').forEach(function (i) {
    lines.push('img ' + i.getAttribute('src') + ' ' + (i.complete && i.naturalWidth > 0 ? 'ok' : 'broken'));
  });
  var pngs = Array.from(document.querySelectorAll('figure > a')).map(function (a) {
    return new Promise(function (done) {
      var im = new Image();
      im.onload = function () { done('png ' + a.getAttribute('href') + ' ' + im.naturalWidth + 'x' + im.naturalHeight); };
      im.onerror = function () { done('png ' + a.getAttribute('href') + ' broken'); };
      im.src = a.getAttribute('href');
    });
  });
  Promise.all(pngs).then(function (r) {
    var pre = document.createElement('pre');
    pre.id = 'probe';
    pre.textContent = 'PROBE-BEGIN\\n' + lines.concat(r).join('\\n') + '\\nPROBE-END';
    document.body.appendChild(pre);
  });
});
</script>
"""


def open_in_chromium(report_dir, tmp):
    """The probe's lines for REPORT_DIR/index.html, as Chromium renders it."""
    with open(os.path.join(report_dir, "index.html")) as f:
        html = f.read()
    probe = os.path.join(report_dir, "probe-index.html")
    with open(probe, "w") as f:
        f.write(html.replace("</body>", PROBE + "</body>"))
    p = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                        "--user-data-dir=" + os.path.join(tmp, "chromium-profile"), "--virtual-time-budget=10000",
                        "--dump-dom", "file://" + os.path.abspath(probe)],
                       capture_output=True, text=True, timeout=300)
    os.remove(probe)
    m = re.search(r"PROBE-BEGIN\n(.*)\nPROBE-END", p.stdout, re.S)
    assert m, "chromium rendered no probe result (exit %d): %s" % (p.returncode, p.stderr[-2000:])
    return m.group(1).splitlines()


@unittest.skipIf(CHROMIUM is None, "chromium is not installed (apt-get install chromium; tools/setup.sh installs it)")
class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="socksim-report-browser-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def sweep_and_report(self, name, scn, *vary):
        d = os.path.join(self.tmp, name)
        p = subprocess.run([SOCKSIM, "sweep", scn, *vary, "--seeds", "2", "--out", d], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = d + "-report"
        p = subprocess.run([SOCKSIM, "report", d, "--out", out], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        drawn = int(re.search(r"(\d+) charts drawn", p.stderr).group(1))
        return out, drawn

    def check_page(self, out, drawn, expected):
        lines = open_in_chromium(out, self.tmp)
        figures = [l.split()[1] for l in lines if l.startswith("figure ")]
        pngs = sorted(n[:-4] for n in os.listdir(out) if n.endswith(".png"))
        self.assertEqual(len(figures), drawn)
        self.assertEqual(sorted(figures), pngs, "a figure for every chart drawn, none for one not drawn")
        for stem in expected:
            self.assertIn(stem, figures)
        imgs = [l for l in lines if l.startswith("img ")]
        self.assertEqual(len(imgs), drawn)
        self.assertEqual([l for l in imgs if not l.endswith(" ok")], [], "broken images")
        links = [l for l in lines if l.startswith("png ")]
        self.assertEqual(len(links), drawn)
        self.assertEqual([l for l in links if not l.endswith(" 960x600")], [], "PNGs that do not load at 960x600")

    def test_bulk_sweep_page(self):
        out, drawn = self.sweep_and_report("bulk", os.path.join(FIXTURE, "bulk-loss.scn"), "--vary", "p=0%,3%")
        self.check_page(out, drawn, ("throughput-vs-p", "states", "throughput", "cwnd", "rto", "windows"))

    def test_vsock_sweep_page(self):
        out, drawn = self.sweep_and_report("vsock", os.path.join(FIXTURE, "vsock-pace.scn"), "--vary",
                                           "pace=5ms,10ms")
        self.check_page(out, drawn, ("throughput-vs-pace", "states", "vsock-throughput", "vsock-credit",
                                     "vsock-packets", "vsock-rings"))
        # the check can fail: an image that is not there is reported broken
        broken = os.path.join(self.tmp, "vsock-broken")
        shutil.copytree(out, broken)
        os.remove(os.path.join(broken, "vsock-rings.svg"))
        os.remove(os.path.join(broken, "states.png"))
        lines = open_in_chromium(broken, self.tmp)
        self.assertIn("img vsock-rings.svg broken", lines)
        self.assertIn("png states.png broken", lines)


if __name__ == "__main__":
    SOCKSIM = os.path.abspath(sys.argv.pop(1))
    SRC = os.path.abspath(sys.argv.pop(1))
    FIXTURE = os.path.join(SRC, "tests", "report", "fixture")
    if CHROMIUM is None:
        print("SKIPPED: chromium is not installed, so index.html is not opened in a browser "
              "(apt-get install chromium; tools/setup.sh installs it)", file=sys.stderr)
    unittest.main(verbosity=2)
