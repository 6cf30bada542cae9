#!/bin/bash
# test/faults/sqlsmith.sh DATABASE OUTDIR: a bounded SQLsmith run (Debian
# package sqlsmith) against a database with chemeco data, on the cluster of
# PGHOST/PGPORT/PGUSER.  Fails when a backend crashed (the postmaster
# restarted, or its log says a server process was terminated by a signal).
# CHEMECO_SQLSMITH_QUERIES (default 5000) and CHEMECO_SQLSMITH_SECONDS
# (default 240) bound it; every query runs under statement_timeout = 5 s.
# Prints the query count, how many used chemeco, and the error mix.
set -uo pipefail
db=$1 out=$2 log=${3:-}
queries=${CHEMECO_SQLSMITH_QUERIES:-5000}
seconds=${CHEMECO_SQLSMITH_SECONDS:-240}
started=$(psql -X -Atc 'SELECT pg_postmaster_start_time()' -d "$db")
timeout "$seconds" sqlsmith --seed="${CHEMECO_SQLSMITH_SEED:-15}" --max-queries="$queries" --verbose --dump-all-queries \
	--target="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$db options='-c statement_timeout=5s -c search_path=public,chemeco'" \
	> "$out/sqlsmith.queries" 2> "$out/sqlsmith.log"
status=$?
generated=$(grep -c ';$' "$out/sqlsmith.queries" || true)
chemeco=$(grep ';$' "$out/sqlsmith.queries" | grep -c 'chemeco\.' || true)
echo "sqlsmith: exit $status, $generated queries generated, $chemeco of them calling chemeco objects"
echo "sqlsmith: most frequent errors (count, message; the last of its cumulative reports):"
tac "$out/sqlsmith.log" | awk '/^error rate/ { if (seen) exit; seen = 1; rate = $0; next }
	seen && /^[0-9]+\t/ { print; next } seen { exit } END { print rate }' | sort -rn | head -26
now=$(psql -X -Atc 'SELECT pg_postmaster_start_time()' -d "$db" 2>/dev/null)
if [ "$now" != "$started" ]; then
	echo "sqlsmith: the server restarted (a backend crashed)"
	exit 1
fi
if [ -n "$log" ] && grep -E 'terminated by signal|PANIC' "$log"; then
	echo "sqlsmith: a server process was terminated by a signal"
	exit 1
fi
# timeout (124) or --max-queries end it; anything else is sqlsmith losing its connection
[ "$status" = 0 ] || [ "$status" = 124 ]
