#!/bin/bash
# test/faults/run.sh: cancellation and crash safety (issue "Trust and scale").
#   1. statement_timeout = 1 s interrupts pmf_fit, train, a chemeco_flash
#      index build and a long similarity scan: each ends with SQLSTATE 57014,
#      leaves no catalogue rows or index, and the session stays usable.
#   2. kill -9 of the postmaster during an index build, during inserts into
#      an indexed library and during pmf_fit; after each restart (crash
#      recovery replays the WAL) the index answers like a sequential scan and
#      the PMF catalogue holds only whole runs.
# Starts its own cluster on loopback; needs the extension installed.
# Ends with "faults: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

bindir=$(pg_config --bindir)
port=${CHEMECO_FAULTS_PORT:-55461}
work=$(mktemp -d /tmp/chemeco-faults.XXXXXX)
run_as=()
if [ "$(id -u)" = 0 ]; then
	chown postgres "$work"
	run_as=(runuser -u postgres --)
fi
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
pg() { "${run_as[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/log" -w "$@" >/dev/null; }
cleanup() { pg -m immediate stop 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"${run_as[@]}" "$bindir/initdb" -D "$work/data" -A trust -U postgres >/dev/null
start() { pg -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_parallel_workers_per_gather=0" start; }
start

passed=0 failed=0
check() { # check "what" condition-status
	if [ "$2" = 0 ]; then echo "ok $1"; passed=$((passed + 1)); else echo "not ok $1"; failed=$((failed + 1)); fi
}

echo "== set-up"
psql -X -q -v ON_ERROR_STOP=1 -v library_size="${CHEMECO_FAULTS_LIBRARY:-200000}" -f test/faults/setup.sql

echo "== statement_timeout"
psql -X -f test/faults/timeout.sql > "$work/timeout.out" 2>&1 || true
cat "$work/timeout.out"
cancels=$(grep -c 'canceling statement due to statement timeout' "$work/timeout.out" || true)
check "statement_timeout stopped pmf_fit, train, index build and scan ($cancels of 4)" "$([ "$cancels" = 4 ]; echo $?)"
grep -A2 'backend still usable' "$work/timeout.out" | tail -1 | grep -qE '^ *backend still usable *\| *0 *\| *0 *\| *0 *\| *0 *$'
check "no partial catalogue rows or index after the timeouts" $?

crash_during() { # crash_during "what" sql
	psql -X -q -c "$2" >/dev/null 2>&1 &
	local client=$!
	sleep "${3:-2}"
	"${run_as[@]}" kill -9 "$(head -1 "$work/data/postmaster.pid")"
	wait $client || true
	sleep 1
	rm -f "$work/data/postmaster.pid"
	start
	psql -X -f test/faults/crash_check.sql > "$work/crash.out" 2>&1
	cat "$work/crash.out"
	awk '/index_equals_scan/ { getline; getline; exit !($1 + 0 == $2 + 0) }' FS='|' "$work/crash.out"
	check "after kill -9 during $1: index equals sequential scan" $?
	awk '/runs_without_profiles/ { getline; getline; exit !($2 + 0 == 0) }' FS='|' "$work/crash.out" &&
		awk '/orphan_profiles/ { getline; getline; exit !($1 + 0 == 0 && $2 + 0 == 0) }' FS='|' "$work/crash.out"
	check "after kill -9 during $1: PMF catalogue holds only whole runs" $?
}

echo "== kill -9"
psql -X -q -c 'CREATE INDEX library_flash ON library USING chemeco_flash (spectrum)'
psql -X -q -c "SELECT pmf_fit('SELECT sample, species, conc, unc FROM batonrouge', 3, runs => 2)" >/dev/null
crash_during "inserts into the indexed library" \
	"INSERT INTO library (precursor_mz, spectrum) SELECT 500, spectrum(array_agg(50 + floor(random() * 20000) * 0.0475), array_agg(1 + random() * 999)) FROM generate_series(1, 100000) g, generate_series(1, 40) p GROUP BY g"
crash_during "pmf_fit" \
	"SELECT pmf_fit('SELECT sample, species, conc, unc FROM batonrouge', 6, runs => 2000)"
psql -X -q -c 'DROP INDEX library_flash'
crash_during "CREATE INDEX" "CREATE INDEX library_flash ON library USING chemeco_flash (spectrum)" 1
psql -X -q -c 'DROP INDEX IF EXISTS library_flash' -c 'CREATE INDEX library_flash ON library USING chemeco_flash (spectrum)'
psql -X -f test/faults/crash_check.sql | grep -A2 index_equals_scan | tail -1 | awk -F'|' '{ exit !($1 + 0 == $2 + 0) }'
check "index rebuilt after the crashed build equals sequential scan" $?

echo "faults: $passed passed, $failed failed"
[ "$failed" = 0 ]
