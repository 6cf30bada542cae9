-- ------------------------------------------------------------------
-- Operations: what runs now, and what ran (src/common/pg_progress.c)
-- ------------------------------------------------------------------

-- Long calls (pmf_fit, pmf_bootstrap, pmf_disp, train, screen) prefix their
-- backend's pg_stat_activity.query with /* chemeco <function>: <progress> */;
-- chemeco_flash builds report in pg_stat_progress_create_index.  The view
-- runs with the reader's rights: other roles' rows need pg_read_all_stats,
-- as in pg_stat_activity itself.
CREATE VIEW progress WITH (security_invoker = true) AS
SELECT a.pid, a.usename AS role, a.datname AS database, a.query_start,
	now() - a.query_start AS running_for,
	substring(a.query FROM '^/\* chemeco (\w+): ') AS function,
	substring(a.query FROM '^/\* chemeco \w+: (.*?) \*/') AS progress,
	substring(a.query FROM '^/\* chemeco .*? \*/ (.*)$') AS query
FROM pg_catalog.pg_stat_activity a
WHERE a.query LIKE '/* chemeco %'
UNION ALL
SELECT a.pid, a.usename, a.datname, a.query_start, now() - a.query_start,
	'create_index', concat_ws(', ', p.phase,
		CASE WHEN p.tuples_total > 0 THEN p.tuples_done || '/' || p.tuples_total || ' rows' END),
	a.query
FROM pg_catalog.pg_stat_progress_create_index p
	JOIN pg_catalog.pg_stat_activity a USING (pid)
	JOIN pg_catalog.pg_class i ON i.oid = p.index_relid
	JOIN pg_catalog.pg_am am ON am.oid = i.relam
WHERE am.amname = 'chemeco_flash';
COMMENT ON VIEW progress IS 'chemeco calls running now, with their progress, readable from any session';
GRANT SELECT ON progress TO PUBLIC;

-- One row per PMF run and per model version, with the reader's rights: row-
-- level security on pmf_run and model shows each role its own.
CREATE VIEW run_history WITH (security_invoker = true) AS
SELECT 'pmf_fit'::text AS kind, NULL::text AS name, r.run_id AS id, r.owner, r.created_at,
	r.seconds, r.parameters ->> 'method' AS algorithm, r.parameters,
	jsonb_strip_nulls(jsonb_build_object('q_true', r.q_true, 'q_robust', r.q_robust,
		'q_expected', r.q_expected, 'converged', r.converged, 'iterations', r.iterations,
		'near_best_runs', r.near_best_runs, 'other_solutions', r.other_solutions)) AS quality
FROM @extschema@.pmf_run r
UNION ALL
SELECT 'model', m.name, m.version, m.owner, m.created_at,
	(m.metrics ->> 'seconds')::float8, m.algorithm, coalesce(m.metrics -> 'params', '{}'),
	m.metrics - 'params'
FROM @extschema@.model m;
COMMENT ON VIEW run_history IS 'every PMF run and model version the reader owns: when, how long, parameters and quality figures';
GRANT SELECT ON run_history TO PUBLIC;
