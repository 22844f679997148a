#!/bin/sh
# Quick start, step 1 (as root on Debian 12): install what is missing, build,
# and replay an example scenario in which a SYN is lost.
set -eu
cd "$(dirname "$0")/.."

# chromium: the report test opens index.html in headless Chromium (tests/report/test_report_browser.py);
# valgrind: the memcheck tier (tests/valgrind)
PKGS="gcc meson ninja-build pkg-config libglib2.0-dev python3 cmake iproute2 util-linux gnuplot-nox parallel tshark valgrind chromium"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing:$missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

if [ ! -d build ]; then
	meson setup build --werror
fi
ninja -C build

echo
echo "== socksim run scenarios/tcp/syn-lost-once.scn =="
./build/socksim run scenarios/tcp/syn-lost-once.scn
