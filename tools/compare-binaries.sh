#!/bin/sh
# Byte-identical check for refactorings (docs/architecture.md): every shipped
# scenario (scenarios/*/*.scn, tests/stats/*.scn) run by two socksim binaries,
# with the text and the JSONL trace, the results document, stdout/stderr and
# the exit status compared byte for byte (the results' "revision" line aside),
# each run once with --results and once without (a run without it keeps
# fewer records: scenario/run_private.h, struct step_recs).
#   tools/compare-binaries.sh BASE_SOCKSIM NEW_SOCKSIM SRCDIR
# Prints each difference and "N runs compared, M differences"; exits 1 if M > 0.
set -u
BASE=$1; NEW=$2; SRC=$3
OUT=$(mktemp -d); n=0; bad=0
trap 'rm -rf "$OUT"' EXIT
for f in $(cd "$SRC" && ls scenarios/*/*.scn tests/stats/*.scn 2>/dev/null); do
  for fmt in text jsonl nores; do
    for b in base new; do
      bin=$BASE; [ $b = new ] && bin=$NEW
      rm -f "$OUT/$b.json"
      if [ $fmt = nores ]; then
        (cd "$SRC" && "$bin" run "$f" --trace "$OUT/$b.trace" \
           >"$OUT/$b.out" 2>&1; echo "rc=$?" >>"$OUT/$b.out")
      else
        (cd "$SRC" && "$bin" run "$f" --trace "$OUT/$b.trace" --trace-format $fmt \
           --results "$OUT/$b.json" >"$OUT/$b.out" 2>&1; echo "rc=$?" >>"$OUT/$b.out")
      fi
    done
    n=$((n + 1))
    # The results name the build's git revision: two builds differ there.
    for b in base new; do
      [ -f "$OUT/$b.json" ] && sed -i '/^ *"revision": /d' "$OUT/$b.json"
    done
    for k in trace out $([ $fmt = nores ] || echo json); do
      cmp -s "$OUT/base.$k" "$OUT/new.$k" || { echo "DIFF $f $fmt $k"; bad=$((bad + 1)); }
    done
  done
done
echo "$n runs compared, $bad differences"
[ $bad -eq 0 ]
