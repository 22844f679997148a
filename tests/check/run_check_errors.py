#!/usr/bin/python3
"""Golden semantic errors: `socksim check FILE` on each errors/*.scn must exit 2
and print exactly errors/NAME.err (with the file path shown relative to this
directory).  `--update` rewrites the .err files; review them before committing."""
import os
import subprocess
import sys


def main():
    socksim, folder = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = "--update" in sys.argv
    failed = 0
    names = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".scn"))
    for name in names:
        proc = subprocess.run([socksim, "check", name + ".scn"], cwd=folder,
                              capture_output=True, text=True)
        got = proc.stderr
        err_path = os.path.join(folder, name + ".err")
        if update:
            with open(err_path, "w") as f:
                f.write(got)
            continue
        want = open(err_path).read() if os.path.exists(err_path) else "<missing .err file>"
        if proc.returncode != 2 or got != want:
            failed += 1
            print("FAIL %s: exit %d\n  want: %s  got:  %s" % (name, proc.returncode, want, got))
        else:
            print("ok   %s" % name)
    print("%d cases, %d failed" % (len(names), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
