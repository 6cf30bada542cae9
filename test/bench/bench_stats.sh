#!/bin/bash
# bench_stats.sh: exact and sketch impact statistics against native
# percentile_cont, side by side on the same generated table, in one run:
#   * native: count, avg, stddev, min, max, percentile_cont(0.25/0.5/0.75)
#     (an ordered-set aggregate: PostgreSQL never runs it in parallel);
#   * exact: chemeco.impact_summary(value), 0 and 2 parallel workers;
#   * sketch: chemeco.impact_summary_approx(value) (relative error 1 %),
#     0 and 2 workers;
# for one group (FROM t) and 1000 groups (GROUP BY grp), then the partial
# state sizes (what one worker or shard ships per group) and a 10^7-row case
# (one group) unless STATS_BENCH_LARGE=0.
# Rows: STATS_BENCH_ROWS (default 10^6).  Each figure is the best of
# STATS_BENCH_REPEAT runs (default 3), in ms; work_mem is 1GB so the native
# sort stays in memory (no disk spill to penalise it).
set -euo pipefail
rows=${STATS_BENCH_ROWS:-1000000}
large=${STATS_BENCH_LARGE:-10000000}
repeat=${STATS_BENCH_REPEAT:-3}
db=chemeco_bench_stats
dropdb --if-exists "$db" >/dev/null
createdb "$db"

make_table() { # make_table NAME ROWS: skewed, impact-like (log-normal) values, 1000 groups
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
SELECT setseed(0.42);
DROP TABLE IF EXISTS $1;
CREATE TABLE $1 AS
SELECT (g % 1000) AS grp, exp(2 + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS value
FROM generate_series(1, $2) g;
VACUUM ANALYZE $1;
SQL
}
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION chemeco'
make_table bench_values "$rows"

best_ms() { # best_ms workers query
	local workers=$1 query=$2 best=
	for _ in $(seq "$repeat"); do
		t=$(psql -X -q -d "$db" -c "SET work_mem = '1GB'" -c "SET max_parallel_workers_per_gather = $workers" \
			-c "SET parallel_setup_cost = 0" -c '\timing on' -c "$query" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
	done
	echo "$best"
}

native_of() { # native_of TABLE [GROUP BY column]
	local by=${2:-}
	echo "SELECT ${by:+$by, }count(value), avg(value), stddev(value), min(value), max(value),
	percentile_cont(0.25) WITHIN GROUP (ORDER BY value), percentile_cont(0.5) WITHIN GROUP (ORDER BY value),
	percentile_cont(0.75) WITHIN GROUP (ORDER BY value) FROM $1${by:+ GROUP BY $by}"
}

row() { # row LABEL TABLE [GROUP BY column]
	local label=$1 table=$2 by=${3:-} n e0 e2 s0 s2
	n=$(best_ms 0 "$(native_of "$table" "$by")")
	e0=$(best_ms 0 "SELECT ${by:+$by, }chemeco.impact_summary(value) FROM $table${by:+ GROUP BY $by}")
	e2=$(best_ms 2 "SELECT ${by:+$by, }chemeco.impact_summary(value) FROM $table${by:+ GROUP BY $by}")
	s0=$(best_ms 0 "SELECT ${by:+$by, }chemeco.impact_summary_approx(value) FROM $table${by:+ GROUP BY $by}")
	s2=$(best_ms 2 "SELECT ${by:+$by, }chemeco.impact_summary_approx(value) FROM $table${by:+ GROUP BY $by}")
	printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$n" "$e0" "$e2" "$s0" "$s2"
}

echo "best of $repeat, ms; native = count/avg/stddev/min/max + 3 percentile_cont (never parallel)"
echo '| query | native | exact, 0 workers | exact, 2 workers | sketch, 0 workers | sketch, 2 workers |'
echo '|---|---:|---:|---:|---:|---:|'
row "one group, $rows rows" bench_values
row "1000 groups, $rows rows" bench_values grp

echo "partial state per group (what a worker or shard ships), $rows rows:"
psql -X -q -d "$db" <<'SQL'
CREATE AGGREGATE pg_temp.exact_state(float8) (SFUNC = chemeco.impact_summary_accum, STYPE = bytea,
	COMBINEFUNC = chemeco.value_buffer_combine);
CREATE AGGREGATE pg_temp.sketch_state(float8) (SFUNC = chemeco.impact_summary_approx_accum, STYPE = bytea,
	COMBINEFUNC = chemeco.quantile_sketch_combine);
SELECT 'one group' AS groups, pg_size_pretty(octet_length(pg_temp.exact_state(value))::bigint) AS exact,
       pg_size_pretty(octet_length(pg_temp.sketch_state(value))::bigint) AS sketch FROM bench_values
UNION ALL
SELECT '1000 groups (mean)', pg_size_pretty(avg(e)::bigint), pg_size_pretty(avg(s)::bigint)
FROM (SELECT octet_length(pg_temp.exact_state(value)) AS e, octet_length(pg_temp.sketch_state(value)) AS s
      FROM bench_values GROUP BY grp) g;
SQL
echo "plan with 2 workers:"
psql -X -q -d "$db" -c "SET max_parallel_workers_per_gather = 2" -c "SET parallel_setup_cost = 0" \
	-c "EXPLAIN (COSTS OFF) SELECT chemeco.impact_summary(value) FROM bench_values"

if [ "$large" != 0 ] && [ "$large" != "$rows" ]; then
	make_table bench_large "$large"
	echo '| query | native | exact, 0 workers | exact, 2 workers | sketch, 0 workers | sketch, 2 workers |'
	echo '|---|---:|---:|---:|---:|---:|'
	row "one group, $large rows" bench_large
fi
dropdb "$db"
