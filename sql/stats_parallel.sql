-- Forced parallel plans give bit-identical results to serial ones (exact
-- sums make mean and stddev independent of the row order; selection is exact).
SET search_path = chemeco, public;
CREATE TABLE stats_par AS
SELECT g % 7 AS grp,
       -- deterministic, skewed values with ties
       round((exp(3 * abs(sin(g * 12.9898))) * (1 + (g % 13)))::numeric, 3)::float8 AS value,
       1 + (g % 5) AS weight
FROM generate_series(1, 300000) g;
ANALYZE stats_par;

CREATE TEMP TABLE serial AS
SELECT grp, impact_summary(value) AS s, quantiles(value, '{0.1,0.9}') AS q,
       weighted_mean(value, weight) AS w
FROM stats_par GROUP BY grp;
CREATE TEMP TABLE serial_scores AS
SELECT count(*) AS n, impact_summary(single_score(jsonb_build_object('acd', value, 'cch', weight), 'pef', false)) AS s
FROM stats_par;
CREATE TEMP TABLE serial_all AS
SELECT impact_summary(value) AS s, quantiles(value, '{0.1,0.9}') AS q, weighted_mean(value, weight) AS w
FROM stats_par;

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

EXPLAIN (COSTS OFF)
SELECT impact_summary(value), quantiles(value, '{0.1,0.9}'), weighted_mean(value, weight) FROM stats_par;
EXPLAIN (COSTS OFF)
SELECT grp, impact_summary(value) FROM stats_par GROUP BY grp;

SELECT s = (SELECT s FROM serial_all) AS summary_identical, q = (SELECT q FROM serial_all) AS quantiles_identical,
       w = (SELECT w FROM serial_all) AS weighted_identical, (s).n
FROM (SELECT impact_summary(value) AS s, quantiles(value, '{0.1,0.9}') AS q,
             weighted_mean(value, weight) AS w FROM stats_par) p;

SELECT grp, p.s = serial.s AS summary_identical, p.q = serial.q AS quantiles_identical,
       p.w = serial.w AS weighted_identical
FROM (SELECT grp, impact_summary(value) AS s, quantiles(value, '{0.1,0.9}') AS q,
             weighted_mean(value, weight) AS w FROM stats_par GROUP BY grp) p
JOIN serial USING (grp) ORDER BY grp;

-- single_score reads impact_category through SPI, also inside parallel workers
EXPLAIN (COSTS OFF)
SELECT impact_summary(single_score(jsonb_build_object('acd', value, 'cch', weight), 'pef', false)) FROM stats_par;
SELECT s = (SELECT s FROM serial_scores) AS scores_identical
FROM (SELECT impact_summary(single_score(jsonb_build_object('acd', value, 'cch', weight), 'pef', false)) AS s
      FROM stats_par) p;

-- the same with hashed partial and final aggregation
SET enable_hashagg = on;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT grp, impact_summary(value) FROM stats_par GROUP BY grp;
SELECT count(*) AS groups_identical
FROM (SELECT grp, impact_summary(value) AS s, quantiles(value, '{0.1,0.9}') AS q,
             weighted_mean(value, weight) AS w FROM stats_par GROUP BY grp) p
JOIN serial USING (grp) WHERE p.s = serial.s AND p.q = serial.q AND p.w = serial.w;
RESET enable_sort;

-- the parallel result also agrees with native aggregates
SELECT (s).n = count AS n, abs((s).mean - avg) < 1e-12 * avg AS mean, abs((s).stddev - sd) < 1e-10 * sd AS stddev,
       ARRAY[(s).min, (s).q1, (s).median, (s).q3, (s).max] = pc AS order_statistics
FROM (SELECT impact_summary(value) AS s FROM stats_par) p,
     (SELECT count(*) AS count, avg(value) AS avg, stddev(value) AS sd,
             percentile_cont('{0,0.25,0.5,0.75,1}'::float8[]) WITHIN GROUP (ORDER BY value) AS pc
      FROM stats_par) n;
DROP TABLE stats_par;
