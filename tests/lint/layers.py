#!/usr/bin/python3
"""Layering lint (docs/architecture.md): every folder may include headers only
from itself and from the folders below it.  The layers, lowest first:

    sim (engine, with include/sim)  <-  models (kernel models)  <-  env
    (the world around them)  <-  observers  <-  scenario  <-  common  <-
    sweep  <-  report  <-  cli

A quoted #include is resolved the way the build resolves it: first beside the
including file, then in each folder's public include directories; the folder
that owns the header found is the one the include depends on.  The kernel
models (models/net, models/drivers, models/kernel, models/fs) additionally may not
name the environment in an include at all (an "env/" path), as
`grep -rl 'env/' models/net models/drivers models/kernel` checks."""
import os
import re
import sys

LAYERS = ["sim", "models", "env", "observers", "scenario", "common", "sweep", "report", "cli"]
# Where a quoted include is looked up, per folder (besides the file's own folder).
SEARCH = {
    "sim": ["include", "sim"],
    "models": ["include", "models/include", "models"],
    "env": ["env/include", "env"],
}
KERNEL_DIRS = ("models/net", "models/drivers", "models/kernel", "models/fs")
ENV_DIRS = ("env",)


def owner(rel):
    top = rel.split(os.sep)[0]
    if top == "include":
        return "sim"
    return top if top in LAYERS else None


def search_path(layer):
    """Include directories visible from @layer: its own and every lower layer's."""
    dirs = []
    for l in LAYERS[: LAYERS.index(layer) + 1]:
        dirs += SEARCH.get(l, [l])
    return dirs


def main():
    root = sys.argv[1]
    bad = []
    all_dirs = []
    for l in LAYERS:
        all_dirs += SEARCH.get(l, [l])
    for layer in LAYERS:
        for d, dirs, files in os.walk(os.path.join(root, layer)):
            dirs.sort()
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)
                for n, line in enumerate(open(path, encoding="utf-8"), 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    inc = m.group(1)
                    if rel.startswith(KERNEL_DIRS) and inc.startswith("env/"):
                        bad.append("%s:%d: kernel model names the environment: %s"
                                   % (rel, n, inc))
                    found = None
                    for cand in [os.path.dirname(rel)] + all_dirs:
                        p = os.path.normpath(os.path.join(cand, inc))
                        if os.path.exists(os.path.join(root, p)):
                            found = p
                            break
                    if found is None:
                        continue  # generated or system header
                    dep = owner(found)
                    if dep is None:
                        continue
                    if LAYERS.index(dep) > LAYERS.index(owner(rel)):
                        bad.append("%s:%d: %s (layer %s) includes %s (layer %s, above it)"
                                   % (rel, n, rel, owner(rel), found, dep))
                    if rel.startswith(KERNEL_DIRS) and found.startswith(ENV_DIRS):
                        bad.append("%s:%d: kernel model includes the environment: %s"
                                   % (rel, n, found))
    for b in bad:
        print(b)
    print("%d layering violations" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
