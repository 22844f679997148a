#!/usr/bin/python3
"""Determinism lint: the engine (sim/), the models (models/), the
environment (env/), the observers (observers/) and the scenario front end
(scenario/) must not read the wall clock, use a global or
OS-seeded random generator, iterate hash tables (undefined order) or print
pointers.  The command line, sweeps and reports (cli/, sweep/, report/) are
exempt: the sweep progress bar shows a wall-clock ETA, which never reaches
simulation output."""
import os
import re
import sys

FORBIDDEN = [
    (r"\bclock_gettime\s*\(", "wall clock"),
    (r"\bgettimeofday\s*\(", "wall clock"),
    (r"(?<![\w.>])time\s*\(\s*(NULL|0|&)", "wall clock"),
    (r"\bg_get_monotonic_time\s*\(", "wall clock"),
    (r"\bg_get_real_time\s*\(", "wall clock"),
    (r"\bg_timeout_add", "GLib main-loop timer"),
    (r"(?<![\w.>])s?rand\s*\(", "global RNG"),
    (r"(?<![\w.>])random\s*\(", "global RNG"),
    (r"\bg_random_", "OS-seeded RNG"),
    (r"\bg_hash_table_foreach", "hash iteration order"),
    (r"\bg_hash_table_iter_", "hash iteration order"),
    (r"\bg_hash_table_get_(keys|values)", "hash iteration order"),
    (r"%p", "pointer in output"),
]


def main():
    root = sys.argv[1]
    bad = []
    for top in ("sim", "models", "env", "observers", "scenario"):
        for d, dirs, files in os.walk(os.path.join(root, top)):
            dirs.sort()
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, f)
                for n, line in enumerate(open(path, encoding="utf-8"), 1):
                    code = re.sub(r"/\*.*?(\*/|$)", "", line.split("//")[0])
                    if code.lstrip().startswith("*"):
                        continue  # inside a block comment
                    for pat, why in FORBIDDEN:
                        if re.search(pat, code):
                            bad.append("%s:%d: %s: %s" % (os.path.relpath(path, root), n, why, line.strip()))
    for b in bad:
        print(b)
    print("%d forbidden uses" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
