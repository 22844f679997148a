#!/bin/sh
# Regenerate every golden state-transition trace; review with `git diff tests/golden/`.
set -eu
cd "$(dirname "$0")/.."
for s in scenarios/*/*.scn; do
	stem=$(echo "${s#scenarios/}" | sed 's|/|-|; s|\.scn$||')
	/usr/bin/python3 tests/scenario/run_scenario.py --update build/socksim "$s" "tests/golden/$stem.golden"
done
