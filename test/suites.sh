#!/bin/bash
# test/suites.sh: every test suite, run inside the throw-away cluster that
# test/run.sh starts (PGHOST/PGPORT/PGUSER come from pg_virtualenv).
# Ends with one tally line and a non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

failed_suites=()

echo "== pg_regress"
if ! make -s installcheck; then
	failed_suites+=(pg_regress)
	[ -f regression.diffs ] && head -n 200 regression.diffs
fi

echo "== pgTAP"
tapdb=chemeco_tap
dropdb --if-exists "$tapdb" && createdb "$tapdb" &&
	psql -X -q -v ON_ERROR_STOP=1 -d "$tapdb" -c 'CREATE EXTENSION pgtap; CREATE EXTENSION chemeco;' ||
	failed_suites+=(pgtap-setup)
pg_prove -d "$tapdb" --failures test/pgtap/*.sql || failed_suites+=(pgtap)

echo "== C unit tests"
make -s unit || failed_suites+=(unit)

echo "== C unit tests under AddressSanitizer + UBSan"
make -s unit-asan || failed_suites+=(unit-asan)

echo "== upgrade from 0.1: data kept, schema equal to a fresh install"
test/upgrade/upgrade.sh || failed_suites+=(upgrade)

echo "== progress of a running call, read from another session"
test/operations/progress.sh || failed_suites+=(progress)

echo "== docs/operations.md recipes under pg_cron"
test/operations/cron.sh || failed_suites+=(cron)

echo "== chemeco_flash through WAL: streaming standby and crash recovery (TAP)"
test/recovery/run.sh || failed_suites+=(recovery)

echo "== pictures: valid SVG, rendered by librsvg"
test/plot/render.sh || failed_suites+=(plots)
echo "== clients: psycopg2 and ODBC (Debian python3-psycopg2, odbc-postgresql, python3-pyodbc)"
clientdb=chemeco_clients
dropdb --if-exists "$clientdb" && createdb "$clientdb" || failed_suites+=(clients-setup)
PGDATABASE=$clientdb /usr/bin/python3 test/clients/psycopg2_predict.py &&
	PGDATABASE=$clientdb /usr/bin/python3 test/clients/odbc_spectrum.py || failed_suites+=(clients)

echo "== scale-out over three postgres_fdw shards"
test/scaleout/fdw_shards.sh || failed_suites+=(scale-out)

total=11 # pg_regress, pgTAP, unit, unit-asan, upgrade, progress, cron, recovery, plots, clients, scale-out
failed=${#failed_suites[@]}
if [ "$failed" -gt 0 ]; then
	echo "suites: $((total > failed ? total - failed : 0)) passed, $failed failed (${failed_suites[*]})"
	exit 1
fi
echo "suites: $total passed, 0 failed"
