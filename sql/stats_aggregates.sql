-- impact_summary, quantiles, weighted_mean against independent values
-- (pandas/numpy: test/reference/stats_reference.py -> test/data/stats_*.csv)
-- and against PostgreSQL's own percentile_cont.
SET search_path = chemeco, public;
CREATE TEMP TABLE v (grp text, value float8, weight float8);
\copy v FROM 'test/data/stats_values.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE expected (grp text, n bigint, mean float8, std float8, min float8, q1 float8,
	median float8, q3 float8, max float8, p05 float8, p95 float8, wmean float8);
\copy expected FROM 'test/data/stats_expected.csv' WITH (FORMAT csv, HEADER)
CREATE FUNCTION pg_temp.close(a float8, b float8, rel float8 DEFAULT 1e-12) RETURNS boolean
	LANGUAGE sql IMMUTABLE AS $$ SELECT a IS NOT DISTINCT FROM b OR abs(a - b) <= rel * greatest(abs(a), abs(b)) $$;

-- 1. every field against pandas (relative 1e-12; n, min, max exact)
CREATE TEMP TABLE ours AS
SELECT grp, impact_summary(value) AS s, quantiles(value, '{0.05,0.95}') AS p,
       weighted_mean(value, weight) AS wmean
FROM v GROUP BY grp;
SELECT e.grp, (o.s).n = e.n AS n, pg_temp.close((o.s).mean, e.mean) AS mean,
       pg_temp.close((o.s).stddev, e.std) AS stddev, (o.s).min = e.min AND (o.s).max = e.max AS min_max,
       pg_temp.close((o.s).q1, e.q1) AND pg_temp.close((o.s).median, e.median)
         AND pg_temp.close((o.s).q3, e.q3) AS quartiles,
       pg_temp.close(o.p[1], e.p05) AND pg_temp.close(o.p[2], e.p95) AS quantiles,
       pg_temp.close(o.wmean, e.wmean) AS weighted_mean,
       (o.s).iqr = (o.s).q3 - (o.s).q1 AND (o.s).lower_fence = (o.s).q1 - 1.5 * (o.s).iqr
         AND (o.s).upper_fence = (o.s).q3 + 1.5 * (o.s).iqr AS fences
FROM expected e JOIN ours o USING (grp) ORDER BY e.grp;

-- 2. quantiles are bit-identical to percentile_cont
SELECT grp,
       (s).q1 = pc[1] AND (s).median = pc[2] AND (s).q3 = pc[3] AS quartiles_identical,
       p = pc2 AS quantiles_identical
FROM ours JOIN (
	SELECT grp, percentile_cont('{0.25,0.5,0.75}'::float8[]) WITHIN GROUP (ORDER BY value) AS pc,
	       percentile_cont('{0.05,0.95}'::float8[]) WITHIN GROUP (ORDER BY value) AS pc2
	FROM v GROUP BY grp) native USING (grp)
ORDER BY grp;
SELECT quantiles(value, '{0,0.001,0.333,0.5,0.999,1}') =
       percentile_cont('{0,0.001,0.333,0.5,0.999,1}'::float8[]) WITHIN GROUP (ORDER BY value) AS all_rows_identical,
       quantiles(value, '{}') AS no_probs
FROM v;

-- 3. the outlier pattern as a window aggregate: same fences as the grouped summary
SELECT grp, count(*) FILTER (WHERE value < (w.ws).lower_fence OR value > (w.ws).upper_fence) AS outliers,
       bool_and((w.ws).median = (o.s).median AND (w.ws).upper_fence = (o.s).upper_fence) AS same_as_grouped
FROM (SELECT grp, value, impact_summary(value) OVER (PARTITION BY grp) AS ws FROM v) w
JOIN ours o USING (grp) GROUP BY grp ORDER BY grp;
-- running (growing-frame) window: finalising repeatedly keeps the state valid
SELECT bool_and(running[1] = pc) AS running_median_matches, count(*)
FROM (SELECT value,
             quantiles(value, '{0.5}') OVER (ORDER BY value, weight ROWS UNBOUNDED PRECEDING) AS running,
             row_number() OVER (ORDER BY value, weight) AS k
      FROM v WHERE grp = 'outliers') w
JOIN LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.value) AS pc
              FROM (SELECT value FROM v WHERE grp = 'outliers' ORDER BY value, weight LIMIT w.k) x) r ON true;

-- 4. empty, all-NULL, single value
SELECT impact_summary(x) IS NULL AS empty_is_null, quantiles(x, '{0.5}') IS NULL AS empty_q,
       weighted_mean(x, 1) IS NULL AS empty_w
FROM (SELECT 1.0::float8 AS x WHERE false) z;
SELECT impact_summary(x) IS NULL AS all_null, quantiles(x, '{0.5}') IS NULL AS all_null_q,
       weighted_mean(x, 1) IS NULL AS all_null_w
FROM (VALUES (NULL::float8), (NULL)) z(x);
SELECT (impact_summary(x)).*, quantiles(x, '{0,0.5,1}'), weighted_mean(x, 2)
FROM (VALUES (NULL::float8), (-0.0), (NULL)) z(x);
SELECT (impact_summary(x)).* FROM (VALUES (2.5::float8), (2.5), (2.5)) z(x);

-- 5. errors
\set VERBOSITY sqlstate
SELECT impact_summary(x) FROM (VALUES (1::float8), ('NaN')) z(x);
SELECT impact_summary(x) FROM (VALUES (1::float8), ('Infinity')) z(x);
SELECT quantiles(x, '{0.5}') FROM (VALUES (1::float8), ('-Infinity')) z(x);
SELECT quantiles(x, '{0.5,1.5}') FROM (VALUES (1::float8)) z(x);
SELECT quantiles(x, '{NaN}') FROM (VALUES (1::float8)) z(x);
SELECT quantiles(x, '{0.5,NULL}') FROM (VALUES (1::float8)) z(x);
SELECT quantiles(x, NULL) FROM (VALUES (1::float8)) z(x);
SELECT quantiles(x, CASE WHEN x > 1 THEN '{0.5}' ELSE '{0.25}' END::float8[]) FROM (VALUES (1::float8), (2)) z(x);
SELECT impact_summary(x) FROM (VALUES (-1e300::float8), (1e300)) z(x);
SELECT weighted_mean(x, w) FROM (VALUES (1::float8, -1::float8)) z(x, w);
SELECT weighted_mean(x, w) FROM (VALUES (1::float8, 0::float8), (2, 0)) z(x, w);
SELECT weighted_mean(x, w) FROM (VALUES ('NaN'::float8, 1::float8)) z(x, w);
SELECT weighted_mean(x, w) FROM (VALUES (1e300::float8, 1e300::float8)) z(x, w);
SELECT impact_summary_final('\x0102'::bytea);
SELECT impact_summary_final('\x0000000002000000000000000000000000000000'::bytea);
\set VERBOSITY default
SELECT impact_summary(x) FROM (VALUES (1::float8), ('NaN')) z(x);

-- 6. the transition functions leave their input alone outside an aggregate
-- (expected: {2}, then {2.5} with 10 added, then {2} again from the untouched state)
WITH a AS MATERIALIZED (
	SELECT quantiles_accum(quantiles_accum(quantiles_accum(NULL, 3, '{0.5}'), 1, '{0.5}'), 2, '{0.5}') AS s0)
SELECT quantiles_final(s0) AS before, quantiles_final(quantiles_accum(s0, 10, '{0.5}')) AS appended,
       quantiles_final(s0) AS after, impact_summary_final(impact_summary_accum(NULL, 7)) AS direct
FROM a;
-- the flat state after the varlena header: int32 nprobs, int64 n, probabilities, values (little-endian),
-- then zeroed room for 16 values at first: octet_length = 12 + 8 * (nprobs + 16)
SELECT octet_length(impact_summary_accum(impact_summary_accum(NULL, 1), 2)) AS two_values,
       octet_length(quantiles_accum(NULL, 1, '{0.1,0.5,0.9}')) AS three_probs_one_value,
       left(encode(impact_summary_accum(NULL, 0.5), 'hex'), 40) AS layout,
       ltrim(substr(encode(impact_summary_accum(NULL, 0.5), 'hex'), 41), '0') = '' AS room_zeroed;
