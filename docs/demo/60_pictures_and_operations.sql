-- 60: pictures (SVG files an analyst can open) and the operations views.
SET search_path = public, chemeco;
\pset footer off
\set pictures /tmp/chemeco-demo-pictures
\! mkdir -p /tmp/chemeco-demo-pictures

-- the PMF run of 20_source_apportionment (the newest run in the catalogue)
SELECT max(run_id) AS run_id FROM pmf_run \gset

\set QUIET on
\pset format unaligned
\pset tuples_only on
\o :pictures/mirror.svg
SELECT plot_mirror(u.spectrum, l.spectrum, 0.02, 'unknown (top) against its best library hit: ' || l.name)
FROM unknown u, LATERAL (SELECT name, spectrum FROM reference_library
	ORDER BY spectrum <~> u.spectrum LIMIT 1) l;
\o :pictures/pmf_profiles.svg
SELECT plot_pmf_profiles(:run_id, 'St. Louis, 6 factors: profiles');
\o :pictures/pmf_contributions.svg
SELECT plot_pmf_contributions(:run_id, 'St. Louis, 6 factors: contributions');
\o :pictures/ecs_jean.svg
SELECT plot_distribution(array_agg((impacts->>'ecs')::float8), 'jean: ecs single score (µPt)')
FROM textile_products WHERE inputs->>'product' = 'jean';
\o
\pset format aligned
\pset tuples_only off
\set QUIET off
\echo 'Pictures written (open them in a browser, or rsvg-convert -o x.png x.svg):'
\! ls -l /tmp/chemeco-demo-pictures/*.svg | awk '{print "  " $NF " (" $5 " bytes)"}'

\echo 'What ran, from the catalogue (chemeco.run_history; each role sees its own):'
SELECT kind, coalesce(name, 'run ' || id) AS what, algorithm, round(seconds::numeric, 2) AS seconds,
       coalesce(quality ->> 'q_robust', quality ->> 'r2') AS "Q(robust) or R2",
       quality ->> 'near_best_runs' AS near_best_runs
FROM run_history ORDER BY created_at;
\echo 'What runs now (chemeco.progress; a long pmf_fit shows "run 7/20 done, Q(robust) ..." here):'
SELECT pid, function, progress FROM progress;
