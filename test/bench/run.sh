#!/bin/bash
# test/bench/run.sh: run by `make bench` inside a throw-away cluster.
# Runs every test/bench/bench_*.sh (or the one named in $CHEMECO_BENCH);
# each prints its figures next to a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p out
for f in bench_${CHEMECO_BENCH:-*}.sh; do
	echo "=================================================================="
	echo "== $f"
	echo "=================================================================="
	bash "$f"
done
