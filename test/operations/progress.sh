#!/bin/bash
# test/operations/progress.sh: another session sees what a running pmf_fit
# is doing (chemeco.progress over pg_stat_activity), and the row is gone once
# the call returns.  Runs inside the cluster test/run.sh starts.
set -uo pipefail
db=chemeco_progress
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" && psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL' || exit 1
CREATE EXTENSION chemeco;
CREATE TABLE meas AS
SELECT 's' || i AS sample, 'sp' || j AS species, abs(sin(i * j)) * 10 + 0.1 AS conc, 0.5 AS unc
FROM generate_series(1, 150) i, generate_series(1, 25) j;
SQL

# the fit: enough runs to last a few seconds on one thread
psql -X -q -d "$db" -c "SET chemeco.max_threads = 1" -c "SET client_min_messages = warning" \
	-c "SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM meas', 6, runs => 40, converge_delta => 1e-6) > 0 AS fitted" \
	>/tmp/chemeco-progress-fit.$$ 2>&1 &
fit=$!

seen=""
for _ in $(seq 1 600); do # at most ~60 s
	seen=$(psql -X -At -d "$db" -c "SELECT function || ' | ' || progress || ' | ' || query FROM chemeco.progress
		WHERE progress ~ '^run [0-9]+/40 done, Q\(true\) [0-9.]+, Q\(robust\) [0-9.]+$'")
	[ -n "$seen" ] && break
	kill -0 $fit 2>/dev/null || break
	sleep 0.1
done
wait $fit
fit_status=$?
after=$(psql -X -At -d "$db" -c "SELECT count(*) FROM chemeco.progress")
dropdb "$db"

failed=0
echo "seen from another session: ${seen:-nothing}"
[[ $seen == "pmf_fit | run "*"SELECT chemeco.pmf_fit('SELECT sample"* ]] || { echo "not ok - progress of the running fit was not visible"; failed=1; }
[ $fit_status -eq 0 ] && grep -q ' t$' /tmp/chemeco-progress-fit.$$ || { echo "not ok - the fit failed"; cat /tmp/chemeco-progress-fit.$$; failed=1; }
[ "$after" = 0 ] || { echo "not ok - chemeco.progress still lists $after calls after the fit"; failed=1; }
rm -f /tmp/chemeco-progress-fit.$$
if [ $failed -eq 0 ]; then echo "progress: 3 passed, 0 failed"; else echo "progress: failed"; fi
exit $failed
