#!/bin/sh
# Build the Debian package from the committed tree (issue #11):
#   tools/build-deb.sh [OUTDIR]     (default: the current directory)
# Exports HEAD with `git archive` into a temporary directory, runs
# `dpkg-buildpackage -b -us -uc` there (debian/: debhelper 13, meson) and
# copies socksim_*.deb to OUTDIR.  Needs debhelper, dpkg-dev and the build
# dependencies of debian/control (apt-get install debhelper dpkg-dev, then
# `apt-get build-dep .` or tools/setup.sh).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-.}" && cd "${1:-.}" && pwd)
command -v dpkg-buildpackage >/dev/null || { echo "build-deb: dpkg-buildpackage is missing (apt-get install dpkg-dev debhelper)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$src" archive --format=tar --prefix=socksim/ HEAD | tar -x -C "$work"
(cd "$work/socksim" && dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) || {
	tail -40 "$work/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed (log above)" >&2
	exit 1
}
cp "$work"/socksim_*.deb "$out/"
ls "$out"/socksim_*.deb
