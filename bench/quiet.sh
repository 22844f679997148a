#!/bin/sh
# Issue #14's quiet-run figure: the CPU cost of one run of the 131 s SYN
# give-up (scenarios/tcp/syn-timeout-6x.scn, default sysctls), separated into
# the run itself (bench-quiet: REPEAT runs in one process through libsocksim,
# load + execute + free per run) and process start (perf stat of a whole
# `socksim run`, of `socksim list-errnos`, which starts and exits, and of
# /bin/true).  A benchmark, not a test: it never fails on a figure.
# Usage: bench/quiet.sh [SCENARIO [REPEAT]]
# Environment: BUILD  the build directory (default: build-release, else build)
#              PERF_REPEAT  perf stat's -r (default 50)
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-release}
[ -x "$BUILD/socksim" ] || BUILD=build
scn=${1:-scenarios/tcp/syn-timeout-6x.scn}
repeat=${2:-2000}
[ -x "$BUILD/bench-quiet" ] || { echo "quiet: $BUILD/bench-quiet not built (ninja -C $BUILD bench-quiet)" >&2; exit 2; }
echo "load: $(uptime)"
# what the dynamic loader maps and relocates at each start (-Dstatic_glib)
echo "quiet: $BUILD/socksim needs: $(readelf -d "$BUILD/socksim" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
"$BUILD/bench-quiet" "$scn" "$repeat"
if command -v perf >/dev/null 2>&1; then
	r=${PERF_REPEAT:-50}
	ms() { perf stat -r "$r" -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ { printf "%.2f", $1 }'; }
	echo "quiet: process CPU ms (perf stat -r $r, task-clock): socksim run --trace none $(ms "$BUILD/socksim" run "$scn" --trace none)," \
		"socksim list-errnos $(ms "$BUILD/socksim" list-errnos), /bin/true $(ms /bin/true)"
else
	echo "quiet: perf not installed: process start not measured"
fi
