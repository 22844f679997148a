#!/bin/sh
# Determinism across builds and environments (issue #13): every shipped
# scenario gives byte-identical traces (text and JSONL), results, stdout,
# stderr and exit status
#   - with the gcc build and a clang build (-O2, another compiler),
#   - with the gcc build and the sanitizer build, when given,
#   - under LC_ALL=C vs C.UTF-8 (and de_DE.UTF-8 when installed),
#     and TZ=UTC vs TZ=Pacific/Kiritimati (UTC+14).
#
#   tools/check-determinism.sh GCC_BUILD_DIR [SANITIZER_BUILD_DIR]
#
# Builds build-clang (CC=clang, --buildtype=release) next to the source
# if it is missing.  Uses tools/compare-binaries.sh; exits 1 on any
# difference.  .ci/run runs it after the test suites.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
gcc_build=$(cd "$1" && pwd)
asan_build=${2:-}
clang_build=$src/build-clang

command -v clang >/dev/null || { echo "check-determinism: clang is not installed" >&2; exit 2; }
if [ ! -f "$clang_build/build.ninja" ]; then
	CC=clang meson setup "$clang_build" "$src" --buildtype=release --werror >/dev/null
fi
if ! out=$(ninja -C "$clang_build" socksim 2>&1); then
	echo "$out" >&2
	echo "check-determinism: the clang build failed" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A wrapper per environment: compare-binaries.sh takes two programs.
wrap() { # NAME BINARY ENV...
	name=$1 bin=$2
	shift 2
	printf '#!/bin/sh\nexec env %s "%s" "$@"\n' "$*" "$bin" >"$work/$name"
	chmod +x "$work/$name"
}
gcc=$gcc_build/socksim
wrap base "$gcc" LC_ALL=C TZ=UTC
wrap clang "$clang_build/socksim" LC_ALL=C TZ=UTC
wrap utf8 "$gcc" LC_ALL=C.UTF-8 TZ=Pacific/Kiritimati
status=0
run() { # LABEL OTHER
	echo "== $1"
	"$src/tools/compare-binaries.sh" "$work/base" "$2" "$src" || status=1
}
run "gcc vs clang -O2" "$work/clang"
run "LC_ALL=C TZ=UTC vs LC_ALL=C.UTF-8 TZ=Pacific/Kiritimati" "$work/utf8"
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\{0,1\}8$'; then
	wrap de "$gcc" LC_ALL=de_DE.UTF-8 TZ=Europe/Berlin
	run "LC_ALL=C vs LC_ALL=de_DE.UTF-8" "$work/de"
else
	echo "== de_DE.UTF-8 is not installed here: that comparison is skipped"
fi
if [ -n "$asan_build" ]; then
	wrap asan "$(cd "$asan_build" && pwd)/socksim" LC_ALL=C TZ=UTC \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1
	run "gcc vs the sanitizer build" "$work/asan"
fi
exit $status
