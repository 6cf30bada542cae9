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
SELECT count(*) FROM (SELECT id FROM library ORDER BY entropy_similarity(spectrum, '100:1 200:1 300:1 400:1') DESC) s;
\timing off
RESET statement_timeout;
\set ON_ERROR_STOP on
SELECT 'backend still usable' AS status,
       (SELECT count(*) FROM pmf_run) AS pmf_runs, (SELECT count(*) FROM pmf_profile) AS pmf_profiles,
       (SELECT count(*) FROM model WHERE name = 'fault_gbm') AS models,
       (SELECT count(*) FROM pg_class WHERE relname = 'library_flash') AS indexes;
