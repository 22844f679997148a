# Shared by bench/peer-compare.sh and bench/scale.sh (sourced, not run):
# the checks of the tools, the build type of $SOCKSIM, building and running the ns-3
# program, and reading GNU time -v reports.  The caller sets SOCKSIM,
# BENCH_DIR, TIMEOUT, PY and BENCH_NAME (its name, for messages) and is in
# the source tree's root.
# shellcheck shell=sh
# shellcheck disable=SC2034 # NS3, ns3_why and buildtype are for the caller

die() { echo "$BENCH_NAME: $*" >&2; exit 2; }

[ -x /usr/bin/time ] || die "/usr/bin/time is missing (GNU time, for peak RSS): run bench/setup-peers.sh"
[ -x "$SOCKSIM" ] || die "$SOCKSIM not found: meson setup build --buildtype=release && ninja -C build"
mkdir -p "$BENCH_DIR"

buildtype=$($PY -c 'import json,sys
try:
    o = json.load(open(sys.argv[1]))
    print(next(x["value"] for x in o if x["name"] == "buildtype"))
except Exception:
    print("unknown")' "$(dirname "$SOCKSIM")/meson-info/intro-buildoptions.json")
[ "$buildtype" = release ] || echo "$BENCH_NAME: warning: $SOCKSIM is a '$buildtype' build, not release" >&2

# Build the ns-3 program if ns-3 is installed.  Debian's ns3 .pc files carry a
# broken "-I/usr\;" and name static paths of libraries (libgsl.so) whose -dev
# packages are not installed; the ns-3 libraries link them themselves, so drop
# both.
NS3=""
ns3_why=""
NS3_MODULES="ns3-core ns3-network ns3-internet ns3-point-to-point ns3-applications"
# shellcheck disable=SC2086 # NS3_MODULES is a list
if ! command -v pkg-config >/dev/null 2>&1; then
	ns3_why="pkg-config is not installed"
elif ! pkg-config --exists $NS3_MODULES 2>/dev/null; then
	ns3_why="ns-3 is not installed (pkg-config $NS3_MODULES; bench/setup-peers.sh installs libns3-dev)"
elif ! command -v g++ >/dev/null 2>&1; then
	ns3_why="g++ is not installed (bench/setup-peers.sh)"
else
	NS3=$BENCH_DIR/ns3-peer-workload
	src=bench/peers/ns3-peer-workload.cc
	if [ ! -x "$NS3" ] || [ -n "$(find "$src" -newer "$NS3")" ]; then
		flags=""
		# shellcheck disable=SC2086 # a list of modules
		for f in $(pkg-config --cflags --libs $NS3_MODULES); do
			case "$f" in
			*'\;'*) ;;
			/*) [ -e "$f" ] && flags="$flags $f" ;;
			*) flags="$flags $f" ;;
			esac
		done
		echo "$BENCH_NAME: building $NS3" >&2
		# shellcheck disable=SC2086
		g++ -O2 -std=c++17 -o "$NS3" "$src" $flags || die "building $src failed"
	fi
fi

# run_timed OUT TIMEFILE CMD...: run CMD with GNU time -v, stdout to OUT.
run_timed() {
	out=$1 tf=$2
	shift 2
	rc=0
	/usr/bin/time -v -o "$tf" timeout "$TIMEOUT" "$@" >"$out" 2>"$out.err" || rc=$?
	return $rc
}
# wall seconds and peak RSS (MiB) from a GNU time -v report
wall_of() {
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"
}
cpu_of() { # user + system CPU seconds
	awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"
}
rss_of() {
	awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"
}
field() { # field NAME LINE: the value of NAME=... in LINE
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}


# run_ns3 N LABEL: run the ns-3 program for N connections and print its line
# after LABEL; sets n3_line, n3_wall, n3_cpu, n3_rss and n3_ev (peak RSS in MiB).
run_ns3() {
	if run_timed "$BENCH_DIR/ns3-$1.out" "$BENCH_DIR/ns3-$1.time" "$NS3" --n="$1"; then :; else
		echo "ns-3 N=$1: exit status $? ($(tail -n 2 "$BENCH_DIR/ns3-$1.out.err" | tr '\n' ' '))" >&2
	fi
	n3_line=$(cat "$BENCH_DIR/ns3-$1.out")
	echo "$2$n3_line"
	n3_wall=$(wall_of "$BENCH_DIR/ns3-$1.time")
	n3_cpu=$(cpu_of "$BENCH_DIR/ns3-$1.time")
	n3_rss=$(rss_of "$BENCH_DIR/ns3-$1.time")
	n3_ev=$(field events "$n3_line")
}
