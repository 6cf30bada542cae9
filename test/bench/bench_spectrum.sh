#!/bin/bash
# Spectral similarity throughput: the C kernels alone, then the same work
# through SQL (count(*) ... WHERE similarity > 0.7 over a generated table),
# so the per-call SQL overhead shows.  Run by `make bench`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
pairs=${CHEMECO_BENCH_PAIRS:-1000000}

make -s -C "$root" kernels
includes=$(for d in "$root"/src/*/; do printf -- '-I%s ' "$d"; done)
cc -O2 $includes -o "$here/out/bench_spectrum" "$here/bench_spectrum.c" \
	-L"$root/test" -lchemeco_kernels -lgsl -lgslcblas -ljansson -lm
echo "-- C kernels, $pairs pairs of 50-peak spectra"
"$here/out/bench_spectrum" "$pairs" 2>/dev/null

echo "-- SQL, $pairs pairs (one backend, no parallel workers)"
psql -X -q -v ON_ERROR_STOP=1 -v pairs="$pairs" <<'SQL'
CREATE EXTENSION IF NOT EXISTS chemeco;
SET search_path = chemeco, public;
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.42) \g /dev/null
DROP TABLE IF EXISTS bench_pairs;
CREATE TABLE bench_pairs AS
WITH base AS (
	SELECT g, array_agg(50 + random() * 950) AS mz, array_agg(random() * 1000) AS intensity
	FROM generate_series(1, 2000) g, generate_series(1, 50) p GROUP BY g)
SELECT spectrum(mz, intensity) AS a,
       CASE WHEN g % 2 = 1
            THEN spectrum((SELECT array_agg(m + (random() - 0.5) * 0.01) FROM unnest(mz) m),
                          (SELECT array_agg(i * (0.5 + random())) FROM unnest(intensity) i))
            ELSE spectrum((SELECT array_agg(50 + random() * 950) FROM unnest(mz) m), intensity) END AS b
FROM base, generate_series(1, :pairs / 2000);
VACUUM ANALYZE bench_pairs;
SELECT pg_size_pretty(pg_total_relation_size('bench_pairs')) AS table_size, count(*) AS pairs FROM bench_pairs;

CREATE TEMP TABLE timings (what text, ms float8);
CREATE FUNCTION pg_temp.time_query(what text, query text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; n bigint;
BEGIN
	t0 := clock_timestamp();
	EXECUTE query INTO n;
	INSERT INTO timings VALUES (what, extract(epoch FROM clock_timestamp() - t0) * 1000);
	RAISE NOTICE '% matched %', what, n;
END $$;
SELECT pg_temp.time_query('count(*) only (scan baseline)', 'SELECT count(*) FROM bench_pairs') \g /dev/null
SELECT pg_temp.time_query('cosine > 0.7', 'SELECT count(*) FROM bench_pairs WHERE cosine(a, b) > 0.7') \g /dev/null
SELECT pg_temp.time_query('modified_cosine > 0.7', 'SELECT count(*) FROM bench_pairs WHERE modified_cosine(a, b, 500, 480) > 0.7') \g /dev/null
SELECT pg_temp.time_query('entropy_similarity > 0.7', 'SELECT count(*) FROM bench_pairs WHERE entropy_similarity(a, b) > 0.7') \g /dev/null
SELECT what, round(ms::numeric) AS ms,
	round((SELECT count(*) FROM bench_pairs) / (ms / 1000)) AS pairs_per_s,
	round(((ms - (SELECT ms FROM timings WHERE what LIKE 'count%')) * 1000 / (SELECT count(*) FROM bench_pairs))::numeric, 3) AS us_per_pair_over_scan
FROM timings;
DROP TABLE bench_pairs;
SQL
