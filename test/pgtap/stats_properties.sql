-- Impact statistics: catalogue properties the planner and Citus rely on,
-- real Ecobalyse data against pandas (test/reference/stats_reference.py),
-- product_id invariance and SQLSTATEs.
BEGIN;
SET search_path = chemeco, public;
SELECT plan(16);

SELECT is((SELECT count(*) FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
           JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'chemeco' AND p.proname IN ('impact_summary', 'quantiles', 'weighted_mean')
             AND a.aggcombinefn <> 0 AND a.aggtranstype = 'bytea'::regtype
             AND a.aggserialfn = 0 AND p.proparallel = 's'),
          3::bigint, 'the three aggregates have a combinefunc, a bytea state and are PARALLEL SAFE');

SELECT is((SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'chemeco'
             AND p.proname IN ('impact_summary_accum', 'impact_summary_final', 'value_buffer_combine',
                               'quantiles_accum', 'quantiles_final', 'weighted_mean_accum',
                               'weighted_mean_combine', 'weighted_mean_final', 'canonical_json', 'product_id')
             AND NOT (p.provolatile = 'i' AND p.proparallel = 's')),
          0::bigint, 'support functions are IMMUTABLE PARALLEL SAFE');

SELECT is((SELECT count(*) FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
           JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'chemeco' AND p.proname IN ('quantiles_approx', 'impact_summary_approx')
             AND a.aggcombinefn = 'chemeco.quantile_sketch_combine'::regproc AND a.aggtranstype = 'bytea'::regtype
             AND a.aggserialfn = 0 AND p.proparallel = 's'),
          4::bigint, 'the four sketch aggregates combine with quantile_sketch_combine, a bytea state (Citus pushes them down)');
SELECT is((SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'chemeco'
             AND p.proname IN ('quantiles_approx_accum', 'impact_summary_approx_accum', 'quantile_sketch_combine',
                               'quantiles_approx_final', 'impact_summary_approx_final')
             AND p.provolatile = 'i' AND p.proparallel = 's'
             AND p.proisstrict = (p.proname NOT LIKE '%accum')),
          7::bigint, 'sketch support functions are IMMUTABLE PARALLEL SAFE, strict except the transitions');

SELECT is((SELECT provolatile::text || proparallel::text || proisstrict::text
           FROM pg_proc WHERE oid = 'chemeco.single_score(jsonb,text,boolean)'::regprocedure),
          'sstrue', 'single_score is STABLE (reads impact_category) STRICT PARALLEL SAFE');

SELECT is((SELECT count(*) FROM impact_category WHERE shipped), 32::bigint, '16 categories for each of pef and ecs');
SELECT ok(has_table_privilege('public', 'chemeco.impact_category', 'SELECT')
          AND NOT has_table_privilege('public', 'chemeco.impact_category', 'INSERT'),
          'impact_category: everyone reads, only the owner writes');
SELECT ok((SELECT 'chemeco.impact_category'::regclass = ANY (extconfig) FROM pg_extension WHERE extname = 'chemeco'),
          'impact_category is registered for pg_dump');

-- real data: every impact of the 15 e2e textile cases against pandas
CREATE TEMP TABLE e2e (case_no int, name text, impacts jsonb, pef float8, ecs float8, ecs_impacts float8);
CREATE TEMP TABLE e2e_expected (code text, n bigint, mean float8, std float8, min float8, q1 float8,
	median float8, q3 float8, max float8, p05 float8, p95 float8);
\copy e2e FROM 'test/data/ecobalyse_e2e_textile.csv' WITH (FORMAT csv, HEADER)
\copy e2e_expected FROM 'test/data/ecobalyse_e2e_expected.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP VIEW e2e_long AS SELECT case_no, key AS code, value::float8 AS value FROM e2e, jsonb_each_text(impacts);

SELECT is((SELECT count(*) FROM e2e_expected e JOIN (
             SELECT code, impact_summary(value) AS s, quantiles(value, '{0.05,0.95}') AS p
             FROM e2e_long GROUP BY code) o USING (code)
           WHERE (o.s).n = e.n AND (o.s).min = e.min AND (o.s).max = e.max
             AND abs((o.s).mean - e.mean) <= 1e-12 * abs(e.mean)
             AND abs((o.s).stddev - e.std) <= 1e-12 * e.std
             AND abs((o.s).q1 - e.q1) <= 1e-12 * abs(e.q1) AND abs((o.s).median - e.median) <= 1e-12 * abs(e.median)
             AND abs((o.s).q3 - e.q3) <= 1e-12 * abs(e.q3)
             AND abs(o.p[1] - e.p05) <= 1e-12 * abs(e.p05) AND abs(o.p[2] - e.p95) <= 1e-12 * abs(e.p95)),
          21::bigint, 'all 21 impacts of the e2e cases match pandas');

SELECT is((SELECT count(*) FROM (
             SELECT value, impact_summary(value) OVER (PARTITION BY code) AS s FROM e2e_long) w
           WHERE value > (s).upper_fence OR value < (s).lower_fence),
          (SELECT count(*) FROM e2e_long l JOIN e2e_expected e USING (code)
           WHERE value > e.q3 + 1.5 * (e.q3 - e.q1) OR value < e.q1 - 1.5 * (e.q3 - e.q1)),
          'window outlier flags agree with fences from the pandas quartiles');

SELECT is((SELECT count(DISTINCT product_id(j)) FROM (
             SELECT (SELECT jsonb_object_agg(k, v ORDER BY md5(k || s)) FROM jsonb_each(impacts) e(k, v)) AS j
             FROM e2e, generate_series(1, 5) s) t),
          15::bigint, 'product_id is the same for every key order');

SELECT throws_ok($$SELECT impact_summary(x) FROM (VALUES ('NaN'::float8)) z(x)$$, '22023', NULL, 'NaN is rejected');
SELECT throws_ok($$SELECT impact_summary(x) FROM (VALUES ('-Infinity'::float8)) z(x)$$, '22003', NULL, 'infinity is out of range');
SELECT throws_ok($$SELECT weighted_mean(1, -2)$$, '22023', NULL, 'negative weights are rejected');
SELECT throws_ok($$SELECT single_score('{}', 'nope')$$, '22023', NULL, 'unknown method is rejected');
SELECT throws_ok($$SELECT quantiles(1, '{{0.5},{0.6}}')$$, '22023', NULL, 'probs must be one-dimensional');

SELECT * FROM finish();
ROLLBACK;
