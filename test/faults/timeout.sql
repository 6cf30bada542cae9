-- statement_timeout = 1 s stops each long operation: SQLSTATE 57014, the
-- elapsed time is printed, nothing partial is left, the session goes on.
SET search_path = public, chemeco;
SET client_min_messages = warning;
-- psql prints each statement's time (\timing) and its error.
SET statement_timeout = '1s';
\set ON_ERROR_STOP off
\timing on
SELECT pmf_fit('SELECT sample, species, conc, unc FROM batonrouge ORDER BY row_no, col_no', 6, runs => 2000);
SELECT train('fault_gbm', 'gradient_boosting', 'SELECT mass, share, country, ecs FROM products', 'ecs', '{"n_trees": 100000}');
CREATE INDEX library_flash ON library USING chemeco_flash (spectrum);
RESET statement_timeout;
CREATE INDEX library_search ON library USING chemeco_flash (spectrum);
SET statement_timeout = '1s';
-- many open searches through the index in one statement
SELECT count(*) FROM (SELECT spectrum FROM library LIMIT 100000) q,
	LATERAL chemeco.identify(q.spectrum, 500, 'library', 10, mode => 'open') hit;
-- the same on the searches' threads (1 + max_parallel_workers_per_gather): queries of six
-- library spectra (~240 peaks) visit ~96,000 library peaks each, enough for threads
SET max_parallel_workers_per_gather = 2;
SELECT count(*) FROM (SELECT (SELECT spectrum(array_agg(m), array_agg(i))
                              FROM library l, unnest(mz(l.spectrum), intensities(l.spectrum)) u(m, i)
                              WHERE l.id BETWEEN g AND g + 5) AS q
                      FROM generate_series(1, 100000) g) qs,
	LATERAL (SELECT id FROM library ORDER BY spectrum <~> qs.q LIMIT 10) hit;
RESET max_parallel_workers_per_gather;
\timing off
RESET statement_timeout;
DROP INDEX library_search;
\set ON_ERROR_STOP on
SELECT 'backend still usable' AS status,
       (SELECT count(*) FROM pmf_run) AS pmf_runs, (SELECT count(*) FROM pmf_profile) AS pmf_profiles,
       (SELECT count(*) FROM model WHERE name = 'fault_gbm') AS models,
       (SELECT count(*) FROM pg_class WHERE relname = 'library_flash') AS indexes;
