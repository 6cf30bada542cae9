#!/bin/bash
# test/operations/cron.sh: the recipes of docs/operations.md run under pg_cron.
#
# A private cluster with shared_preload_libraries = 'pg_cron' runs every
# ```sql block of docs/operations.md in order, on generated data (a library
# file, 120 days of measurements, products).  The weekly refit and the
# retrain run once by hand first, so that the scheduled run has a previous
# run to compare with and a promoted version to beat.  Then every job is
# moved to the next minute, and the test waits (at most ~3 minutes) until each
# has succeeded in cron.job_run_details and checks what it did to the data.
# Skips (exit 0, saying so) where pg_cron is not installed for this server.
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/lib/cluster.sh

if [ ! -f "$(pg_config --sharedir)/extension/pg_cron.control" ]; then
	echo "cron: skipped, pg_cron is not installed for $(pg_config --version)"
	exit 0
fi
cluster_workdir cron
dir=$cluster_work/data
port=${CRON_TEST_PORT:-55441}
cluster_init "$dir"
cluster_start "$dir" "$port" -c shared_preload_libraries=pg_cron -c cron.database_name=lab \
	-c cron.use_background_workers=on -c max_worker_processes=16 -c cron.max_running_jobs=5
export PGHOST=$cluster_work PGPORT=$port PGUSER=postgres PGDATABASE=lab
"${cluster_run_as[@]}" cp docs/demo/data/water_lcmsms_sample.mgf "$cluster_work/library.mgf"
records=$(grep -c '^BEGIN IONS' docs/demo/data/water_lcmsms_sample.mgf)
createdb lab
awk '/^```sql$/ { inside = 1; next } /^```$/ { inside = 0 } inside' docs/operations.md >"$cluster_work/recipes.sql"

psql -X -q -v ON_ERROR_STOP=1 -v library_file="$cluster_work/library.mgf" >"$cluster_work/setup.log" 2>&1 <<SQL || { cat "$cluster_work/setup.log"; exit 1; }
CREATE EXTENSION pg_cron;
CREATE EXTENSION chemeco;
SET client_min_messages = warning;
\i $cluster_work/recipes.sql
-- four sources over 120 days, 10 species; products of three kinds
INSERT INTO lab.measurement
SELECT timestamptz '2026-01-01' + d * interval '1 day', 'sp' || j,
	(1 + (d % 7)) * (j % 4 + 1) + 0.5 * (d % 3) * (10 - j) + 0.3 * (d % 5) * j + 0.1 * ((d * j) % 11) + 0.5, 0.3
FROM generate_series(1, 120) d, generate_series(1, 10) j;
INSERT INTO lab.product
SELECT i, (ARRAY['pull', 'jean', 'chemise'])[1 + i % 3], 0.2 + (i % 17) * 0.05,
	10 + 40 * (0.2 + (i % 17) * 0.05) + (i % 7) - 3
FROM generate_series(1, 300) i;
CALL lab.refit_pmf(90, 4);
CALL lab.retrain_and_promote('ecs_model');
SQL

# every job at the next minute, then wait for one success each
psql -X -q -c "SELECT cron.alter_job(jobid, schedule => '* * * * *') FROM cron.job" >/dev/null
jobs=$(psql -X -At -c "SELECT count(*) FROM cron.job")
for _ in $(seq 1 90); do
	done_jobs=$(psql -X -At -c "SELECT count(DISTINCT jobid) FROM cron.job_run_details WHERE status = 'succeeded'")
	[ "$done_jobs" = "$jobs" ] && break
	sleep 2
done
psql -X -c "SELECT j.jobname, d.status, d.end_time - d.start_time AS took, left(d.return_message, 60) AS message
	FROM cron.job_run_details d JOIN cron.job j USING (jobid) ORDER BY d.start_time"
psql -X -q -c "SELECT cron.unschedule(jobid) FROM cron.job" >/dev/null
sleep 1

passed=0
failed=0
check() { # check NAME SQL: the query must return t
	local got
	got=$(psql -X -At -c "$2" 2>&1)
	if [ "$got" = t ]; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		echo "not ok - $1 (got: $got)"
	fi
}
echo "cron jobs that succeeded: $done_jobs of $jobs"
check "five jobs scheduled, each succeeded, none failed" \
	"SELECT $jobs = 5 AND $done_jobs = 5 AND NOT EXISTS (SELECT FROM cron.job_run_details WHERE status = 'failed')"
check "the library holds the file's $records records, searchable through its valid index" \
	"SELECT (SELECT count(*) FROM lab.library) = $records
	    AND (SELECT indisvalid FROM pg_index WHERE indexrelid = 'lab.library_flash'::regclass)
	    AND (SELECT count(*) FROM (SELECT id FROM lab.library ORDER BY spectrum OPERATOR(chemeco.<~>)
	         (SELECT spectrum FROM lab.library WHERE id = 1) LIMIT 3) t) = 3"
check "the scheduled refit stored a run beside the previous one, with the profile comparison" \
	"SELECT count(*) = 2 AND bool_or(previous_run_id IS NOT NULL AND worst_factor_match BETWEEN -1 AND 1)
	 FROM lab.pmf_refit"
check "the retrain stored version 2 and kept version 1 in use (same hold-out R2, not better)" \
	"SELECT (SELECT max(version) FROM chemeco.model WHERE name = 'ecs_model') = 2
	    AND (SELECT version FROM lab.model_in_use WHERE name = 'ecs_model') = 1
	    AND (SELECT count(*) FROM lab.product_scored WHERE ecs_predicted > 0) = 300"
check "the materialised statistics hold one row per product kind" \
	"SELECT count(*) = 3 AND bool_and(n = 100) FROM lab.product_statistics"
echo "cron: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
