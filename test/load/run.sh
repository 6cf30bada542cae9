#!/bin/bash
# test/load/run.sh [seconds] [clients]: pgbench load over every capability.
# Run inside a throw-away cluster (`make load`).  8 clients mix top-10 index
# search, inserts into the indexed library, predict and impact_summary; every
# transaction logs its answer, and check.sql compares them with a serial
# re-run.  Fails on any pgbench error or differing answer.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
clients=${2:-8}
export PGOPTIONS="${PGOPTIONS:-} -c search_path=public,chemeco"
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS chemeco'
echo "== set-up"
psql -X -q -v ON_ERROR_STOP=1 -f setup.sql
echo "== pgbench: $clients clients, $seconds s"
pgbench -n -c "$clients" -j 2 -T "$seconds" -P 10 \
	-f search.sql@4 -f insert.sql@2 -f predict.sql@3 -f summary.sql@1 2>&1 | tee out.log
grep -q '^number of failed transactions: 0' out.log || { echo "pgbench reported failed transactions"; exit 1; }
echo "== serial re-run"
psql -X -v ON_ERROR_STOP=1 -f check.sql | tee check.log
if grep -E '^ *(search|predict|summary) *\|' check.log | awk -F'|' '$4 + 0 != 0 { bad = 1 } END { exit !bad }'; then
	echo "load: answers differ from the serial re-run"; exit 1
fi
awk 'found { if ($1 + 0 != 0) exit 1; found = 0 } /search_differing_from_seqscan/ { getline; found = 1 }' check.log ||
	{ echo "load: index differs from sequential scan"; exit 1; }
echo "load: 1 passed, 0 failed"
