-- Data queries (the text the caller passes to pmf_fit and train, the query
-- pmf_bootstrap and pmf_disp run again): read-only (a data-modifying WITH,
-- a row lock or a non-SELECT is an error and changes nothing), and
-- re-entrant: every function that runs a query can be called from inside
-- another one's data query (issue 15: an inner pmf_fit overwrote the outer
-- one's schema name, "relation ies.pmf_run does not exist").
SET search_path = chemeco, public;
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE TABLE meas AS SELECT 's' || i AS sample, 'sp' || j AS species, abs(sin(i * j)) * 10 + 0.1 AS conc, 0.5 AS unc
FROM generate_series(1, 30) i, generate_series(1, 8) j;
CREATE TABLE lib (id serial PRIMARY KEY, spectrum spectrum, precursor_mz float8);
INSERT INTO lib (spectrum, precursor_mz)
SELECT spectrum(ARRAY[100 + i, 150 + i, 200 + 2 * i]::float8[], ARRAY[1, i, 10]::float8[]), 300 + i
FROM generate_series(1, 20) i;
CREATE INDEX lib_flash ON lib USING chemeco_flash (spectrum);

-- ---------------------------------------------------------------- nesting
-- pmf_fit inside pmf_fit's data query (the issue's repro)
SELECT pmf_fit($$SELECT sample, species, conc, unc FROM meas WHERE
  (SELECT pmf_fit('SELECT sample, species, conc, unc FROM meas', 1, 1, max_iter => 5)) > 0$$,
  1, 1, max_iter => 5) > 0 AS nested_pmf_fit;
-- both runs stored in full (the inner one first)
SELECT count(*) AS runs, count(DISTINCT run_id) FILTER (WHERE run_id IN (SELECT run_id FROM pmf_residual)) AS with_residuals
FROM pmf_run;
-- train and predict inside pmf_fit's data query (the data query sees the
-- snapshot of the calling statement: it predicts with a model trained before)
SELECT train('before', 'linear', 'SELECT conc, unc + length(sample) AS u FROM meas', 'conc', '{"test_fraction": 0}');
SELECT pmf_fit($$SELECT sample, species, conc, unc FROM meas WHERE
  (SELECT train('inner', 'linear', 'SELECT conc, unc + length(sample) AS u FROM meas', 'conc', '{"test_fraction": 0}')) > 0
  AND predict('before', '{"u": 3}'::jsonb) IS NOT NULL$$, 1, 1, max_iter => 5) > 0 AS train_inside_pmf_fit;
-- pmf_fit and train inside train's data query
SELECT train('outer', 'linear', $$SELECT conc, length(sample) AS l FROM meas WHERE
  (SELECT pmf_fit('SELECT sample, species, conc, unc FROM meas', 1, 1, max_iter => 5)) > 0
  AND (SELECT train('inner', 'linear', 'SELECT conc, unc FROM meas', 'conc', '{"test_fraction": 0}')) > 0$$,
  'conc', '{"test_fraction": 0}') AS outer_version;
SELECT name, max(version) AS version FROM model WHERE name IN ('before', 'inner', 'outer') GROUP BY name ORDER BY name;
-- identify inside pmf_fit's and train's data queries, and inside an index scan of the same library
SELECT pmf_fit($$SELECT sample, species, conc, unc FROM meas WHERE
  (SELECT count(*) FROM identify('101:1 151:1 202:10', 301, 'lib', 3, 0.5, 'open')) = 3$$,
  1, 1, max_iter => 5) > 0 AS identify_inside_pmf_fit;
SELECT train('ident', 'linear', $$SELECT conc, unc FROM meas WHERE
  (SELECT max(score) FROM identify('101:1 151:1 202:10', 301, 'lib', 3, 0.5, 'hybrid')) > 0.99$$,
  'conc', '{"test_fraction": 0}') AS identify_inside_train;
SELECT l.id, (SELECT count(*) FROM identify(l.spectrum, l.precursor_mz, 'lib', 2, 0.5, 'identity')) AS inner_hits
FROM (SELECT * FROM lib ORDER BY spectrum <~> '105:1 155:5 210:10' LIMIT 3) l ORDER BY l.id;
-- pmf_bootstrap and pmf_disp re-running a stored query that itself calls pmf_fit, pmf_bootstrap and identify
SELECT pmf_fit($$SELECT sample, species, conc, unc FROM meas WHERE
  (SELECT count(*) FROM identify('101:1 151:1 202:10', 301, 'lib', 3, 0.5, 'open')) = 3
  AND (SELECT pmf_fit('SELECT sample, species, conc, unc FROM meas', 1, 1, max_iter => 5)) > 0$$,
  2, 1, max_iter => 20) AS nesting_run \gset
SELECT count(*) AS bootstrap_rows FROM pmf_bootstrap(:nesting_run, 3, NULL, 1);
SELECT pmf_fit(format($$SELECT sample, species, conc, unc FROM meas WHERE
  (SELECT count(*) FROM pmf_bootstrap(%s, 2, NULL, 1)) = 16$$, :nesting_run), 2, 1, max_iter => 20) AS bootstrap_inside \gset
SELECT count(*) AS bootstrap_of_bootstrap_rows FROM pmf_bootstrap(:bootstrap_inside, 2, NULL, 1);
SELECT count(*) AS disp_rows FROM pmf_disp(:bootstrap_inside);

-- ---------------------------------------------------------------- read-only
CREATE TABLE victim AS SELECT * FROM meas;
SELECT pg_temp.error_of($$SELECT pmf_fit('WITH d AS (DELETE FROM victim RETURNING *) SELECT sample, species, conc, unc FROM victim', 1)$$);
SELECT pg_temp.error_of($$SELECT pmf_fit('WITH d AS (UPDATE victim SET conc = 0 RETURNING *) SELECT sample, species, conc, unc FROM d', 1)$$);
SELECT pg_temp.error_of($$SELECT pmf_fit('SELECT sample, species, conc, unc FROM victim FOR UPDATE', 1)$$);
SELECT pg_temp.error_of($$SELECT pmf_fit('DELETE FROM victim RETURNING sample, species, conc, unc', 1)$$);
SELECT pg_temp.error_of($$SELECT pmf_fit('SELECT sample, species, conc, unc FROM victim; DELETE FROM victim', 1)$$);
SELECT pg_temp.error_of($$SELECT pmf_fit('SELECT sample, species, conc, unc INTO victim2 FROM victim', 1)$$);
SELECT pg_temp.error_of($$SELECT pmf_fit('', 1)$$);
SELECT pg_temp.error_of($$SELECT train('x', 'linear', 'WITH d AS (DELETE FROM victim RETURNING *) SELECT conc, unc FROM victim', 'conc')$$);
SELECT pg_temp.error_of($$SELECT train('x', 'linear', 'SELECT conc, unc FROM victim FOR SHARE', 'conc')$$);
SELECT pg_temp.error_of($$SELECT train_document('linear', 'INSERT INTO victim SELECT * FROM meas RETURNING conc, unc', 'conc')$$);
-- a stored query changed to a data-modifying one is refused when pmf_bootstrap and pmf_disp run it again
UPDATE pmf_run SET parameters = jsonb_set(parameters, '{data}',
  to_jsonb('WITH d AS (DELETE FROM victim RETURNING *) SELECT sample, species, conc, unc FROM meas'::text))
WHERE run_id = :nesting_run;
SELECT pg_temp.error_of(format('SELECT count(*) FROM pmf_bootstrap(%s, 3)', :nesting_run));
SELECT pg_temp.error_of(format('SELECT count(*) FROM pmf_disp(%s)', :nesting_run));
-- nothing was deleted, updated or created
SELECT count(*) AS victim_rows, sum(conc) = (SELECT sum(conc) FROM meas) AS unchanged FROM victim;
SELECT to_regclass('victim2') IS NULL AS no_victim2;
-- read-only forms still work: VALUES, TABLE, a view, a CTE without modification
CREATE VIEW meas_view AS SELECT * FROM meas;
SELECT pmf_fit('TABLE meas_view', 1, 1, max_iter => 5) > 0 AS table_form,
       pmf_fit('WITH m AS (SELECT * FROM meas) SELECT * FROM m', 1, 1, max_iter => 5) > 0 AS cte_form;
SELECT train('vals', 'linear', 'VALUES (1.0, 2.0), (2.0, 4.1), (3.0, 6.0)', 'column1', '{"test_fraction": 0}') AS values_form;

-- ---------------------------------------------------------------- number columns
-- One rule for a number in a data query's column, shared by pmf_fit and train
-- (chemeco_is_number_type, src/common/pg_numeric.c): int2/4/8, float4/8 and
-- numeric, and bool as 1 (true) or 0 (false); any other type is 42804.  Each
-- side must give with a bool what it gives with the same 1/0 as int.
SELECT pmf_fit('SELECT sample, species, conc, conc > 5 OR true AS unc FROM meas', 1, 1, max_iter => 5) AS bool_run \gset
SELECT pmf_fit('SELECT sample, species, conc, 1 AS unc FROM meas', 1, 1, max_iter => 5) AS int_run \gset
SELECT b.q_robust = i.q_robust AS pmf_fit_reads_true_as_1
FROM pmf_model b, pmf_model i WHERE b.run_id = :bool_run AND i.run_id = :int_run AND b.model = 1 AND i.model = 1;
SELECT train_document('linear', 'SELECT conc, conc > 5 AS high FROM meas', 'conc', '{"test_fraction": 0}') -> 'linear' =
       train_document('linear', 'SELECT conc, (conc > 5)::int AS high FROM meas', 'conc', '{"test_fraction": 0}') -> 'linear'
       AS train_reads_bool_as_1_0;
-- a date is no number on either side; text is none as pmf_fit's conc or unc, nor as train's target
SELECT pg_temp.error_of($$SELECT pmf_fit('SELECT sample, species, conc, current_date AS unc FROM meas', 1, 1)$$);
SELECT pg_temp.error_of($$SELECT train_document('linear', 'SELECT conc, current_date AS day FROM meas', 'conc')$$);
SELECT pg_temp.error_of($$SELECT pmf_fit('SELECT sample, species, conc::text, unc FROM meas', 1, 1)$$);
SELECT pg_temp.error_of($$SELECT train_document('linear', 'SELECT conc::text AS c, unc FROM meas', 'c')$$);

-- leave the catalogue as found (later files count its rows)
DELETE FROM pmf_run;
DELETE FROM model WHERE name IN ('before', 'inner', 'outer', 'ident', 'vals');
