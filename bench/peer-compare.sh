#!/bin/sh
# Side-by-side benchmark of issue #14: the peer workload (one client, one
# server, 5 ms link, 1 % loss both ways, N connections started over 1 s, each
# sends 1 KiB and closes; the server accepts and reads to EOF) in ns-3
# (bench/peers/ns3-peer-workload.cc, when Debian's libns3-dev is installed)
# and in socksim (scenarios/programs/peer-workload.scn with --set n=N, or
# bench/gen-peer-workload.py with WORKLOAD=generated), once per N.  See
# bench/README.md.
#
# Usage: bench/peer-compare.sh [N...]          (default: 1000 10000)
# Environment: SOCKSIM   the socksim binary (default: build/socksim; use a
#                        release build: meson setup build --buildtype=release)
#              BENCH_DIR where the ns-3 program, scenarios and results go
#                        (default: /tmp/socksim-peer-bench)
#              TIMEOUT   seconds allowed per run (default: 1800)
#              WORKLOAD  program (default: scenarios/programs/peer-workload.scn,
#                        one template started N times, an accept loop that
#                        spawns a reader per connection) or generated (the
#                        N-process, N-thread file of bench/gen-peer-workload.py)
#              GEN_ARGS  extra options of bench/gen-peer-workload.py
#                        (--accept-at-start: every server thread waits in
#                        accept() from the start, the thundering-herd case)
# A benchmark, not a test: it prints figures and never fails on them; the
# exit status is non-zero only if a run could not be made.
set -eu
cd "$(dirname "$0")/.."

SOCKSIM=${SOCKSIM:-build/socksim}
BENCH_DIR=${BENCH_DIR:-/tmp/socksim-peer-bench}
TIMEOUT=${TIMEOUT:-1800}
WORKLOAD=${WORKLOAD:-program}
case "$WORKLOAD" in program | generated) ;; *) echo "peer-compare: WORKLOAD is program or generated, not '$WORKLOAD'" >&2; exit 2 ;; esac
PY=/usr/bin/python3
[ $# -gt 0 ] || set -- 1000 10000

BENCH_NAME=peer-compare
# shellcheck source=bench/lib.sh
. bench/lib.sh

echo "load before: $(uptime)"
if [ "$WORKLOAD" = program ]; then
	echo "socksim: $SOCKSIM ($buildtype), scenario: scenarios/programs/peer-workload.scn --set n=N"
else
	echo "socksim: $SOCKSIM ($buildtype), scenarios: bench/gen-peer-workload.py ${GEN_ARGS:-} N"
fi
[ -n "$NS3" ] || echo "ns-3: skipped: $ns3_why"
rows=""
for n in "$@"; do
	case "$n" in '' | *[!0-9]*) die "N must be a positive integer, not '$n'" ;; esac
	scn=$BENCH_DIR/peer-$n.scn
	res=$BENCH_DIR/peer-$n.json
	set_n=""
	if [ "$WORKLOAD" = program ]; then
		# `socksim check` takes no --set: check a copy whose parameter is N
		sed "s/^param n = .*/param n = $n/" scenarios/programs/peer-workload.scn >"$scn"
		set_n="--set n=$n"
	else
		# shellcheck disable=SC2086 # GEN_ARGS is a list
		$PY bench/gen-peer-workload.py ${GEN_ARGS:-} "$n" -o "$scn"
	fi

	n3_wall=- n3_cpu=- n3_ev=- n3_rss=- n3_ok=-
	if [ -n "$NS3" ]; then
		run_ns3 "$n" "ns-3:    "
		[ "$(field completed "$n3_line")" = "$n" ] && n3_ok=yes || n3_ok=no
	fi

	ck_wall=-
	if run_timed "$BENCH_DIR/check-$n.out" "$BENCH_DIR/check-$n.time" "$SOCKSIM" check "$scn"; then
		ck_wall=$(wall_of "$BENCH_DIR/check-$n.time")
	else
		die "socksim check $scn failed: $(cat "$BENCH_DIR/check-$n.out" "$BENCH_DIR/check-$n.out.err")"
	fi
	rm -f "$res"
	# shellcheck disable=SC2086 # set_n is empty or one option and its value
	if run_timed "$BENCH_DIR/socksim-$n.out" "$BENCH_DIR/socksim-$n.time" \
		"$SOCKSIM" run "$scn" $set_n --trace none --results "$res"; then :; else
		echo "socksim N=$n: exit status $? ($(tail -n 2 "$BENCH_DIR/socksim-$n.out.err" | tr '\n' ' '))" >&2
	fi
	ss_wall=$(wall_of "$BENCH_DIR/socksim-$n.time")
	ss_cpu=$(cpu_of "$BENCH_DIR/socksim-$n.time")
	ss_rss=$(rss_of "$BENCH_DIR/socksim-$n.time")
	ss_ev=- ss_ok=no
	if [ -s "$res" ]; then
		if line=$($PY bench/peer-summary.py "$res" "$n"); then ss_ok=yes; fi
		echo "socksim: $line"
		ss_ev=$(field events "$line")
	fi
	# events per CPU second and peak RSS per connection (KiB), of the whole run
	ss_evs=$(awk -v e="$ss_ev" -v c="$ss_cpu" 'BEGIN { if (e != "-" && c > 0) printf "%.0f", e / c; else print "-" }')
	ss_kib=$(awk -v r="$ss_rss" -v n="$n" 'BEGIN { printf "%.1f", r * 1024 / n }')
	ratio=- cratio=-
	if [ -n "$NS3" ]; then
		ratio=$(awk -v a="$n3_wall" -v b="$ss_wall" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		cratio=$(awk -v a="$n3_cpu" -v b="$ss_cpu" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	fi
	rows="$rows$n $n3_wall $n3_cpu $n3_ev $n3_rss $ck_wall $ss_wall $ss_cpu $ss_ev $ss_rss $ratio $cratio $n3_ok/$ss_ok $ss_evs $ss_kib
"
done
echo "load after:  $(uptime)"
echo
printf '%s' "$rows" | awk 'BEGIN {
	print "| N | ns-3 wall s | ns-3 CPU s | ns-3 events | ns-3 peak RSS MiB | socksim check wall s | socksim wall s | socksim CPU s | socksim events | socksim events per CPU s | socksim peak RSS MiB | socksim peak RSS KiB per connection | ns-3/socksim wall | ns-3/socksim CPU | all done ns-3/socksim |"
	print "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|" }
	{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $14, $10, $15, $11, $12, $13 }'
echo
echo "socksim wall/CPU is the whole 'socksim run --trace none --results' (loading and"
echo "checking the scenario included; 'check wall s' times 'socksim check' alone)."
echo "CPU s is user + system time: on a loaded machine it is the steadier figure."
echo "Events per CPU s and RSS per connection are of the whole run (loading included)."
