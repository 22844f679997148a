#!/usr/bin/python3
"""Rewrite the scenario list in scenarios/meson.build from the files on disk (sorted)."""
import os
import re

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios")
files = sorted(os.path.relpath(os.path.join(d, f), root)
               for d, _, fs in os.walk(root) for f in fs if f.endswith(".scn"))
path = os.path.join(root, "meson.build")
text = open(path).read()
body = "shipped_scenarios = [\n" + "".join("  '%s',\n" % f for f in files) + "]\n"
text = re.sub(r"shipped_scenarios = \[.*?\]\n", body, text, flags=re.S)
open(path, "w").write(text)
print("%d scenarios" % len(files))
