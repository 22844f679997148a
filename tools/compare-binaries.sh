#!/bin/sh
# Byte-identical check: every shipped scenario, text and JSONL trace plus results JSON,
# with the baseline binary (d47f9b0) vs this branch.  Usage: arch-compare.sh BASE NEW SRCDIR
BASE=$1; NEW=$2; SRC=$3; OUT=$(mktemp -d); n=0; bad=0
for f in $(cd $SRC && ls scenarios/*/*.scn tests/stats/*.scn 2>/dev/null); do
  for fmt in text jsonl; do
    for b in base new; do
      bin=$BASE; [ $b = new ] && bin=$NEW
      (cd $SRC && $bin run $f --trace $OUT/$b.trace --trace-format $fmt --results $OUT/$b.json >$OUT/$b.out 2>&1; echo "rc=$?" >> $OUT/$b.out)
    done
    n=$((n+1))
    for k in trace json out; do cmp -s $OUT/base.$k $OUT/new.$k || { echo "DIFF $f $fmt $k"; bad=$((bad+1)); }; done
  done
done
echo "$n runs compared, $bad differences"
