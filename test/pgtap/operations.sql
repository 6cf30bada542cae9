-- chemeco.run_history: every PMF run and model version of the reading role
-- (row-level security through a security_invoker view), with duration,
-- parameters and quality figures; chemeco.progress is empty when nothing runs.
BEGIN;
SET search_path = public, chemeco;
SELECT plan(8);

CREATE ROLE ops_ana;
CREATE ROLE ops_ben;
CREATE TEMP TABLE meas AS
SELECT 's' || i AS sample, 'sp' || j AS species, abs(sin(i * j)) * 10 + 0.1 AS conc, 0.5 AS unc
FROM generate_series(1, 20) i, generate_series(1, 6) j;
CREATE TEMP TABLE rows_xy AS SELECT i::float8 AS x, 2 * i + 1::float8 AS y FROM generate_series(1, 60) i;
GRANT SELECT ON meas, rows_xy TO ops_ana, ops_ben;

SET client_min_messages = warning;
SET ROLE ops_ana;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM meas', 2, runs => 3, max_iter => 200) AS ana_run \gset
SELECT train('ana_line', 'linear', 'SELECT x, y FROM rows_xy', 'y');
SET ROLE ops_ben;
SELECT train('ben_line', 'linear', 'SELECT x, y FROM rows_xy', 'y');
SELECT train('ben_line', 'linear', 'SELECT x, y FROM rows_xy', 'y');
RESET client_min_messages;

SET ROLE ops_ana;
SELECT is((SELECT count(*) FROM run_history), 2::bigint, 'ops_ana sees its own two rows');
SELECT is((SELECT id FROM run_history WHERE kind = 'pmf_fit'), :ana_run::bigint, 'the PMF run, by run_id');
SELECT ok((SELECT seconds > 0 AND algorithm = 'ls-nmf' AND (parameters ->> 'factors')::int = 2
		AND (quality ->> 'q_true')::float8 > 0 AND (quality ->> 'near_best_runs')::int BETWEEN 1 AND 3
		FROM run_history WHERE kind = 'pmf_fit'), 'the run''s duration, method, parameters and Q figures');
SELECT ok((SELECT name = 'ana_line' AND id = 1 AND algorithm = 'linear' AND quality ? 'r2'
		AND NOT quality ? 'params' FROM run_history WHERE kind = 'model'), 'the model version with its hold-out figures');
SET ROLE ops_ben;
SELECT is((SELECT array_agg(name || ' v' || id ORDER BY id) FROM run_history), ARRAY['ben_line v1', 'ben_line v2'],
	'ops_ben sees only its two model versions');
SELECT is((SELECT count(*) FROM run_history WHERE owner <> current_user), 0::bigint, 'no other role''s rows');
RESET ROLE;
SELECT is((SELECT count(*) FROM progress), 0::bigint, 'chemeco.progress: no chemeco call running');
SELECT is((SELECT count(*) FROM run_history WHERE owner IN ('ops_ana', 'ops_ben')), 4::bigint,
	'the superuser (BYPASSRLS) sees both roles'' rows');

SELECT * FROM finish();
ROLLBACK;
