#!/bin/bash
# bench_stats.sh: impact_summary() against the native combination
#   count, avg, stddev, min, max, percentile_cont(0.25 / 0.5 / 0.75)
# on the same generated table, in the same run, with 0 and 2 parallel workers
# (native percentile_cont is an ordered-set aggregate: never parallel).
# Rows: STATS_BENCH_ROWS (default 10^6; the documented figures use 10^7).
# Each figure is the best of 3 runs, in ms.  work_mem is 1GB so the native
# sort stays in memory (no disk spill to penalise it).
set -euo pipefail
rows=${STATS_BENCH_ROWS:-1000000}
db=chemeco_bench_stats
dropdb --if-exists "$db" >/dev/null
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
CREATE EXTENSION chemeco;
SELECT setseed(0.42);
-- skewed, impact-like values (log-normal), 1000 groups
CREATE TABLE bench_values AS
SELECT (g % 1000) AS grp, exp(2 + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS value
FROM generate_series(1, $rows) g;
VACUUM ANALYZE bench_values;
SQL

best_ms() { # best_ms workers query
	local workers=$1 query=$2 best=
	for _ in 1 2 3; do
		t=$(psql -X -q -d "$db" -c "SET work_mem = '1GB'" -c "SET max_parallel_workers_per_gather = $workers" \
			-c "SET parallel_setup_cost = 0" -c '\timing on' -c "$query" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
	done
	echo "$best"
}

native="SELECT count(value), avg(value), stddev(value), min(value), max(value),
	percentile_cont(0.25) WITHIN GROUP (ORDER BY value), percentile_cont(0.5) WITHIN GROUP (ORDER BY value),
	percentile_cont(0.75) WITHIN GROUP (ORDER BY value) FROM bench_values"
ours="SELECT chemeco.impact_summary(value) FROM bench_values"
native_grouped="SELECT grp, count(value), avg(value), stddev(value), min(value), max(value),
	percentile_cont(0.25) WITHIN GROUP (ORDER BY value), percentile_cont(0.5) WITHIN GROUP (ORDER BY value),
	percentile_cont(0.75) WITHIN GROUP (ORDER BY value) FROM bench_values GROUP BY grp"
ours_grouped="SELECT grp, chemeco.impact_summary(value) FROM bench_values GROUP BY grp"

echo "rows: $rows (one group, then 1000 groups); best of 3, ms"
printf '%-34s %10s %10s %9s\n' query native impact_summary speed-up
for workers in 0 2; do
	n=$(best_ms "$workers" "$native")
	o=$(best_ms "$workers" "$ours")
	printf '%-34s %10s %10s %8.2fx\n' "one group, $workers workers" "$n" "$o" "$(awk -v a="$n" -v b="$o" 'BEGIN { print a / b }')"
	n=$(best_ms "$workers" "$native_grouped")
	o=$(best_ms "$workers" "$ours_grouped")
	printf '%-34s %10s %10s %8.2fx\n' "1000 groups, $workers workers" "$n" "$o" "$(awk -v a="$n" -v b="$o" 'BEGIN { print a / b }')"
done
echo "plan with 2 workers:"
psql -X -q -d "$db" -c "SET max_parallel_workers_per_gather = 2" -c "SET parallel_setup_cost = 0" \
	-c "EXPLAIN (COSTS OFF) $ours"
# exact quantiles keep every value: 8 bytes each, in a buffer grown by doubling
echo "exact-quantile state: 8 bytes/value in a buffer of 16*2^k >= n slots:" \
	"$(awk -v n="$rows" 'BEGIN { c = 16; while (c < n) c *= 2; printf "%.0f MB of values, %.0f MB buffer for %d values", n * 8 / 1e6, c * 8 / 1e6, n }')"
dropdb "$db"
