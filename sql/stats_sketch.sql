-- Sketch mode (quantiles_approx, impact_summary_approx): the documented
-- bound against exact percentile_cont on data of many shapes, the same
-- results in serial and forced parallel plans, bounded state size, errors,
-- and forged states rejected cleanly.
SET search_path = chemeco, public;
SELECT setseed(0.2);
-- shapes: log-normal, Pareto (infinite variance), ties, all equal, signs with
-- zeros, a narrow uniform, 2 values, 1 value
CREATE TABLE sketch_data AS
SELECT 'lognormal' AS shape, exp(2 + 1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS v
FROM generate_series(1, 30000)
UNION ALL SELECT 'pareto', power(1 - random(), -1 / 1.1) FROM generate_series(1, 30000)
UNION ALL SELECT 'ties', round(exp(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) * 4) / 4 FROM generate_series(1, 20000)
UNION ALL SELECT 'all equal', 3.25 FROM generate_series(1, 1000)
UNION ALL SELECT 'signs and zeros', CASE WHEN g % 5 = 0 THEN 0 ELSE (CASE WHEN random() < 0.3 THEN -1 ELSE 1 END)
                  * exp(3 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) END FROM generate_series(1, 20000) g
UNION ALL SELECT 'narrow uniform', 1000 + random() FROM generate_series(1, 20000)
UNION ALL SELECT 'two values', v FROM unnest('{1,100}'::float8[]) v
UNION ALL SELECT 'one value', 42;
ANALYZE sketch_data;
CREATE TEMP TABLE ranked AS
SELECT shape, v, row_number() OVER (PARTITION BY shape ORDER BY v) - 1 AS r, count(*) OVER (PARTITION BY shape) AS n
FROM sketch_data;
CREATE INDEX ON ranked (shape, r);
CREATE TEMP TABLE probs AS SELECT array_agg(i / 100.0 ORDER BY i) || '{0.001,0.999,0.9999}'::float8[] AS p
FROM generate_series(0, 100) i;

-- worst ratio |estimate - exact| / (a ((1 - f) |x_lo| + f |x_hi|)) over 104 probabilities: at most 1
SELECT shape, a, max(abs(est - exact) / nullif(bound, 0)) <= 1 + 1e-9 AS within_bound,
       bool_and(bound > 0 OR est = exact) AS zeros_exact, count(*) AS probabilities
FROM (SELECT e.shape, e.a, e.est, lo.v + x.f * (hi.v - lo.v) AS exact,
             e.a * ((1 - x.f) * abs(lo.v) + x.f * abs(hi.v)) AS bound
      FROM (SELECT s.shape, a, unnest(quantiles_approx(v, (SELECT p FROM probs), a)) AS est,
                   unnest((SELECT p FROM probs)) AS p, count(*) AS n
            FROM sketch_data s, unnest('{0.01,0.005,0.05}'::float8[]) a GROUP BY s.shape, a) e
      CROSS JOIN LATERAL (SELECT e.p * (e.n - 1) - floor(e.p * (e.n - 1)) AS f) x
      JOIN ranked lo ON lo.shape = e.shape AND lo.r = floor(e.p * (e.n - 1))
      JOIN ranked hi ON hi.shape = e.shape AND hi.r = ceil(e.p * (e.n - 1))) c
GROUP BY shape, a ORDER BY shape, a;

-- n, mean, min, max exact; quartiles within 1 %; stddev from exact sums (a few ulps)
SELECT shape, (a).n = (e).n AS n, (a).mean = (e).mean AS mean, (a).min = (e).min AND (a).max = (e).max AS extremes,
       abs((a).median - (e).median) <= 0.01 * abs((e).median) AS median,
       abs((a).stddev - (e).stddev) <= 1e-13 * (e).stddev AS stddev
FROM (SELECT shape, impact_summary_approx(v) AS a, impact_summary(v) AS e FROM sketch_data GROUP BY shape) s
WHERE shape NOT IN ('two values', 'one value', 'all equal') ORDER BY shape;
SELECT impact_summary_approx(v) FROM sketch_data WHERE shape = 'one value';
SELECT quantiles_approx(v, '{0,0.5,1}') FROM sketch_data WHERE shape = 'two values';

-- bounded state whatever the row count: 1236 bytes + 8 per probability and bucket
CREATE AGGREGATE pg_temp.sketch_state(float8) (SFUNC = chemeco.impact_summary_approx_accum, STYPE = bytea,
	COMBINEFUNC = chemeco.quantile_sketch_combine);
SELECT shape, count(*) AS n, length(pg_temp.sketch_state(v)) AS state_bytes
FROM sketch_data GROUP BY shape ORDER BY shape;

-- NULLs ignored; no value gives NULL; window use
SELECT quantiles_approx(v, '{0.5}') IS NULL AS no_rows, impact_summary_approx(v) IS NULL AS summary_no_rows
FROM sketch_data WHERE false;
SELECT quantiles_approx(v, '{0.5}'), (impact_summary_approx(v)).n FROM (VALUES (NULL::float8), (2), (NULL)) t(v);
SELECT v, quantiles_approx(v, '{0.5}') OVER (ORDER BY v) FROM (VALUES (1::float8), (2), (4)) t(v);

-- serial and forced parallel plans give the same results (merging adds counts)
CREATE TEMP TABLE serial AS
SELECT shape, quantiles_approx(v, '{0.01,0.25,0.5,0.75,0.99}') AS q, impact_summary_approx(v, 0.02) AS s
FROM sketch_data GROUP BY shape;
CREATE TEMP TABLE serial_all AS
SELECT quantiles_approx(v, '{0.01,0.25,0.5,0.75,0.99}') AS q, impact_summary_approx(v, 0.02) AS s FROM sketch_data;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
-- force_parallel_mode is debug_parallel_query since PostgreSQL 16
SELECT CASE WHEN current_setting('server_version_num')::int < 160000 THEN 'force_parallel_mode'
            ELSE 'debug_parallel_query' END AS force_parallel \gset
SET :force_parallel = on;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT quantiles_approx(v, '{0.5}') FROM sketch_data;
SELECT q = (SELECT q FROM serial_all) AS quantiles_identical, s = (SELECT s FROM serial_all) AS summary_identical
FROM (SELECT quantiles_approx(v, '{0.01,0.25,0.5,0.75,0.99}') AS q, impact_summary_approx(v, 0.02) AS s
      FROM sketch_data) p;
SELECT count(*) AS groups_identical
FROM (SELECT shape, quantiles_approx(v, '{0.01,0.25,0.5,0.75,0.99}') AS q, impact_summary_approx(v, 0.02) AS s
      FROM sketch_data GROUP BY shape) p JOIN serial USING (shape) WHERE p.q = serial.q AND p.s = serial.s;
SET enable_hashagg = on;
SET enable_sort = off;
SELECT count(*) AS hashed_groups_identical
FROM (SELECT shape, quantiles_approx(v, '{0.01,0.25,0.5,0.75,0.99}') AS q, impact_summary_approx(v, 0.02) AS s
      FROM sketch_data GROUP BY shape) p JOIN serial USING (shape) WHERE p.q = serial.q AND p.s = serial.s;
RESET ALL;
SET search_path = chemeco, public;

-- errors
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN EXECUTE statement; RETURN 'no error';
   EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM; END $$;
SELECT pg_temp.error_of(s) AS error FROM unnest(ARRAY[
	$$SELECT chemeco.quantiles_approx(x, '{0.5}', 0.001) FROM (VALUES (1::float8)) t(x)$$,
	$$SELECT chemeco.quantiles_approx(x, '{0.5}', NULL) FROM (VALUES (1::float8)) t(x)$$,
	$$SELECT chemeco.impact_summary_approx(x, 'NaN') FROM (VALUES (1::float8)) t(x)$$,
	$$SELECT chemeco.quantiles_approx(x, '{1.5}') FROM (VALUES (1::float8)) t(x)$$,
	$$SELECT chemeco.quantiles_approx(x, NULL) FROM (VALUES (1::float8)) t(x)$$,
	$$SELECT chemeco.quantiles_approx(x, ARRAY[x / 10]) FROM (VALUES (1::float8), (2)) t(x)$$,
	$$SELECT chemeco.quantiles_approx(x, '{0.5}', x / 10) FROM (VALUES (1::float8), (2)) t(x)$$,
	$$SELECT chemeco.impact_summary_approx(x) FROM (VALUES ('NaN'::float8)) t(x)$$,
	$$SELECT chemeco.impact_summary_approx(x) FROM (VALUES ('-Infinity'::float8)) t(x)$$,
	$$SELECT chemeco.impact_summary_approx(x) FROM (VALUES (1e200::float8)) t(x)$$,
	$$SELECT chemeco.quantile_sketch_combine(chemeco.quantiles_approx_accum(NULL, 1, '{0.5}'),
	                                         chemeco.quantiles_approx_accum(NULL, 1, '{0.6}'))$$,
	$$SELECT chemeco.quantile_sketch_combine(chemeco.impact_summary_approx_accum(NULL, 1, 0.01),
	                                         chemeco.impact_summary_approx_accum(NULL, 1, 0.02))$$]) s;

-- forged states: 22P03 (layout) or 22023 (parameters), never a crash.  After
-- the varlena header: uint32 magic, float8 relative_error, int64 count, int64
-- zeros, float8 min, float8 max, int32 nprobs, int32 low[2], int32 len[2],
-- int32 reserved, two exact sums, probabilities, counts (little-endian)
CREATE TEMP TABLE good AS SELECT impact_summary_approx_accum(impact_summary_approx_accum(NULL, 5), -3) AS s;
SELECT length(s) AS bytes, (impact_summary_approx_final(s)).n FROM good;
SELECT what, pg_temp.error_of(format('SELECT chemeco.%s(%L::bytea)', f, forged)) AS error
FROM good, LATERAL (VALUES
	('too short', 'impact_summary_approx_final', '\x0102'::bytea),
	('empty', 'quantiles_approx_final', ''::bytea),
	('wrong magic', 'impact_summary_approx_final', overlay(s placing '\x00000000' from 1 for 4)),
	('relative_error 0.9', 'impact_summary_approx_final', overlay(s placing float8send(0.9) from 5 for 8)),
	('count off', 'impact_summary_approx_final', overlay(s placing '\x0300000000000000' from 13 for 8)),
	('negative zeros', 'impact_summary_approx_final', overlay(s placing '\xffffffffffffffff' from 21 for 8)),
	('nprobs huge', 'quantiles_approx_final', overlay(s placing '\x00000040' from 45 for 4)),
	('low out of range', 'impact_summary_approx_final', overlay(s placing '\xffffff7f' from 53 for 4)),
	('len beyond size', 'impact_summary_approx_final', overlay(s placing '\x10000000' from 61 for 4)),
	('truncated', 'impact_summary_approx_final', substr(s, 1, length(s) - 8)),
	('negative count', 'impact_summary_approx_final', overlay(s placing '\xffffffffffffffff' from length(s) - 7 for 8))
) t(what, f, forged) ORDER BY what;
SELECT pg_temp.error_of(format('SELECT chemeco.quantile_sketch_combine(%L::bytea, %L::bytea)',
                               s, overlay(s placing '\x00000000' from 1 for 4))) AS combine_forged,
       pg_temp.error_of(format('SELECT chemeco.impact_summary_approx_accum(%L::bytea, 1)', '\x01'::bytea)) AS accum_forged
FROM good;
-- a forged initial state (the in-place path): the final function checks it fully
CREATE AGGREGATE pg_temp.forged_sketch(float8) (
	SFUNC = chemeco.impact_summary_approx_accum, STYPE = bytea, FINALFUNC = chemeco.impact_summary_approx_final,
	INITCOND = '\x01');
SELECT pg_temp.error_of($$SELECT pg_temp.forged_sketch(x) FROM (VALUES (1::float8), (2)) z(x)$$) AS forged_initcond;

-- exact mode: past chemeco.exact_quantile_max_values, 54000 with a hint
SET chemeco.exact_quantile_max_values = 1000;
SELECT pg_temp.error_of($$SELECT chemeco.quantiles(v, '{0.5}') FROM sketch_data$$) AS exact_limit;
SELECT quantiles(v, '{0.5}') FROM sketch_data WHERE shape = 'lognormal';
RESET chemeco.exact_quantile_max_values;
DROP TABLE sketch_data;
