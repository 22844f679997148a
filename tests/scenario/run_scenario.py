#!/usr/bin/python3
"""Run one shipped scenario as a regression test.

1. `socksim run` must exit with the status the scenario expects (0 unless the
   file says `# socksim-test: exit=N`): every expectation in the file holds.
2. A second run must produce byte-identical trace (JSON Lines) and results.
3. The state-transition trace derived from the results must equal the golden
   file tests/golden/<dir>-<name>.golden.  `--update` rewrites it: review the
   diff, then commit it (see tests/README.md).
"""
import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile


def run(socksim, scenario, outdir, tag, extra):
    trace = os.path.join(outdir, tag + ".jsonl")
    results = os.path.join(outdir, tag + ".json")
    cmd = [socksim, "run", scenario, "--trace", trace, "--trace-format", "jsonl",
           "--results", results] + extra
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc, trace, results


def golden_text(results):
    """The state transitions and syscall returns, one per line, integer ns."""
    out = ["# %s seed %d profile %s" % (results["scenario"]["title"], results["seed"],
                                                results["profile"])]
    for sc in results["syscalls"]:
        ret = "%s %s" % (sc["ret"], sc["errno"] or "") if sc["outcome"] == "returned" else sc["outcome"]
        out.append("syscall %-10s line %-3d pid %d %-10s call %-12d return %-12s %s" % (
            sc["proc"], sc["line"], sc["pid"], sc["call"], sc["t_call_ns"],
            sc["t_return_ns"] if sc["t_return_ns"] is not None else "-", ret.strip()))
    for so in results["sockets"]:
        out.append("socket sk#%d %s proc=%s fd=%s local=%s remote=%s" % (
            so["id"], so["host"], so["proc"], so["fd"], so["local"], so["remote"]))
        for t in so["transitions"]:
            out.append("  %14d %-16s %s" % (t["t_ns"], t["sk_state"], t["sock_state"]))
    for kind in ("sent", "dropped", "delivered"):
        out.append("packets %s %s" % (kind, " ".join(
            "%s=%d" % kv for kv in sorted(results["packets"][kind].items()))))
    vs = results.get("vsock")
    if vs:
        for kind in ("sent", "delivered", "dropped", "cancelled"):
            out.append("vsock %s %s" % (kind, " ".join(
                "%s=%d" % kv for kv in sorted(vs["packets"][kind].items()))))
    out.append("end %d" % results["end_time_ns"])
    return "\n".join(out) + "\n"


def expected_exit(scenario):
    with open(scenario) as f:
        m = re.search(r"^# socksim-test: exit=(\d+)", f.read(), re.M)
    return int(m.group(1)) if m else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socksim")
    ap.add_argument("scenario")
    ap.add_argument("golden")
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()

    want = expected_exit(args.scenario)
    with tempfile.TemporaryDirectory() as tmp:
        p1, t1, r1 = run(args.socksim, args.scenario, tmp, "a", [])
        if p1.returncode != want:
            sys.stderr.write(p1.stderr)
            print("FAIL: socksim exited %d, expected %d" % (p1.returncode, want))
            return 1
        p2, t2, r2 = run(args.socksim, args.scenario, tmp, "b", [])
        for x, y, what in ((t1, t2, "trace"), (r1, r2, "results")):
            with open(x, "rb") as fx, open(y, "rb") as fy:
                if fx.read() != fy.read():
                    print("FAIL: two runs with the same seed gave different %s" % what)
                    return 1
        with open(r1) as f:
            got = golden_text(json.load(f))

    if args.update:
        with open(args.golden, "w") as f:
            f.write(got)
        print("wrote %s" % args.golden)
        return 0
    if not os.path.exists(args.golden):
        print("FAIL: no golden trace %s; create it with --update and review it" % args.golden)
        return 1
    with open(args.golden) as f:
        want_text = f.read()
    if got != want_text:
        diff = difflib.unified_diff(want_text.splitlines(True), got.splitlines(True),
                                    args.golden, "this run", n=2)
        sys.stdout.writelines(diff)
        print("FAIL: transitions differ from the golden trace; if intended, rerun with --update")
        return 1
    print("ok: %s (expectations hold, deterministic, matches %s)" % (args.scenario,
                                                                    os.path.basename(args.golden)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
