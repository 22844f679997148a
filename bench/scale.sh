#!/bin/sh
# How socksim's cost grows with N on the peer workload of issue #14 (one
# client, one server, 5 ms link, 1 % loss both ways, N connections started
# over 1 s, each sends 1 KiB and closes; the server accepts in a loop and
# reads each connection to its end), with ns-3 beside it up to NS3_MAX_N.
# The scenario is bench/gen-peer-program.py N: the program of
# scenarios/programs/peer-workload.scn with the server on ceil(N / 20,000)
# ports, so that no destination runs out of ephemeral ports (28,232 per
# destination, each held 60 s in TIME_WAIT).  See bench/README.md.
#
# Usage: bench/scale.sh [N...]     (default: 1000 10000 100000 1000000)
# Environment: SOCKSIM    the socksim binary (default: build-release/socksim,
#                         else build/socksim; meson setup build-release
#                         --buildtype=release)
#              BENCH_DIR  where scenarios, logs and the ns-3 program go
#                         (default: /tmp/socksim-scale-bench)
#              TIMEOUT    seconds allowed per run (default: 600)
#              NS3_MAX_N  run ns-3 up to this N (default: 10000; ns-3 needs
#                         about 25 s at 10,000 and grows faster than N)
# Per N it prints: socksim check wall time; the run's wall and CPU time
# (user + system, loading included), events (socksim run --stats), events per
# CPU second, events and CPU microseconds per connection, peak RSS and peak
# RSS per connection; ns-3's wall, CPU, events and peak RSS and the CPU
# ratio.  "ok" is socksim's exit status 0: every client call returned what
# the scenario expects and both PassiveOpens and ActiveOpens are N.
# A benchmark, not a test: it never fails on a figure.
set -eu
cd "$(dirname "$0")/.."

if [ -z "${SOCKSIM:-}" ]; then
	SOCKSIM=build-release/socksim
	[ -x "$SOCKSIM" ] || SOCKSIM=build/socksim
fi
BENCH_DIR=${BENCH_DIR:-/tmp/socksim-scale-bench}
TIMEOUT=${TIMEOUT:-600}
NS3_MAX_N=${NS3_MAX_N:-10000}
PY=/usr/bin/python3
[ $# -gt 0 ] || set -- 1000 10000 100000 1000000

BENCH_NAME=scale
# shellcheck source=bench/lib.sh
. bench/lib.sh

echo "load before: $(uptime)"
echo "socksim: $SOCKSIM ($buildtype), scenario: bench/gen-peer-program.py N"
[ -n "$NS3" ] || echo "ns-3: skipped: $ns3_why"
rows=""
for n in "$@"; do
	case "$n" in '' | *[!0-9]* | 0) die "N must be a positive integer, not '$n'" ;; esac
	scn=$BENCH_DIR/peer-program-$n.scn
	$PY bench/gen-peer-program.py "$n" -o "$scn"
	ports=$(sed -n 's/^0 start srv \([0-9]*\)$/\1/p' "$scn")

	if run_timed "$BENCH_DIR/check-$n.out" "$BENCH_DIR/check-$n.time" "$SOCKSIM" check "$scn"; then
		ck_wall=$(wall_of "$BENCH_DIR/check-$n.time")
	else
		die "socksim check $scn failed: $(cat "$BENCH_DIR/check-$n.out" "$BENCH_DIR/check-$n.out.err")"
	fi
	ok=yes
	if run_timed "$BENCH_DIR/socksim-$n.out" "$BENCH_DIR/socksim-$n.time" \
		"$SOCKSIM" run "$scn" --trace none --stats; then :; else
		ok="no (exit $?)"
		echo "socksim N=$n: $(tail -n 3 "$BENCH_DIR/socksim-$n.out.err" | tr '\n' ' ')" >&2
	fi
	wall=$(wall_of "$BENCH_DIR/socksim-$n.time")
	cpu=$(cpu_of "$BENCH_DIR/socksim-$n.time")
	rss=$(rss_of "$BENCH_DIR/socksim-$n.time")
	ev=$(sed -n 's/^socksim: stats: events=\([0-9]*\) .*/\1/p' "$BENCH_DIR/socksim-$n.out.err")
	[ -n "$ev" ] || ev=-
	echo "socksim N=$n: ports=$ports wall=${wall}s cpu=${cpu}s events=$ev peak_rss=${rss}MiB ok=$ok"

	n3_wall=- n3_cpu=- n3_ev=- n3_rss=- ratio=-
	if [ -n "$NS3" ] && [ "$n" -le "$NS3_MAX_N" ]; then
		run_ns3 "$n" "ns-3 N=$n: "
		ratio=$(awk -v a="$n3_cpu" -v b="$cpu" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
	fi
	derived=$(awk -v e="$ev" -v c="$cpu" -v r="$rss" -v n="$n" 'BEGIN {
		evs = (e != "-" && c > 0) ? sprintf("%.0f", e / c) : "-"
		epc = (e != "-") ? sprintf("%.1f", e / n) : "-"
		printf "%s %s %.1f %.1f", evs, epc, c * 1e6 / n, r * 1024 / n }')
	rows="$rows$n|$ports|$ck_wall|$wall|$cpu|$ev|$derived|$rss|$n3_wall|$n3_cpu|$n3_ev|$n3_rss|$ratio|$ok
"
done
echo "load after:  $(uptime)"
echo
printf '%s' "$rows" | awk -F'|' 'BEGIN {
	print "| N | server ports | check wall s | wall s | CPU s | events | events per CPU s | events per connection | CPU us per connection | peak RSS MiB | peak RSS KiB per connection | ns-3 wall s | ns-3 CPU s | ns-3 events | ns-3 peak RSS MiB | ns-3/socksim CPU | ok |"
	print "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|" }
	{ split($7, d, " ")
	  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		$1, $2, $3, $4, $5, $6, d[1], d[2], d[3], $8, d[4], $9, $10, $11, $12, $13, $14 }'
echo
echo "wall/CPU is the whole 'socksim run --trace none --stats' (loading and checking"
echo "included); CPU is user + system, the steadier figure on a loaded machine."
