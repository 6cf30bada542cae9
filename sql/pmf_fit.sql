-- pmf_fit(): long rows in, catalog rows out; recovery of known factors,
-- determinism, missing values, weak/bad species, errors, cancellation,
-- row-level security and SECURITY INVOKER.
SET search_path = chemeco, public;

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Synthetic data: 40 samples x 9 species from 3 known sources, x = W H exactly,
-- u = 5% of x + 0.02; contributions max(0, sin) are often 0, which makes the
-- factors unique (no rotation keeps W, H >= 0).  Source f is rich in the species with j % 3 = f.
CREATE TABLE pmf_true_profile AS
SELECT f AS source, 's' || j AS species, j,
       CASE WHEN j % 3 = f THEN 5 ELSE 0.3 END * (1 + j / 10.0) AS value
FROM generate_series(0, 2) f, generate_series(1, 9) j;
-- The rows are stored in one order on every PostgreSQL version (pmf_fit
-- reads them in it): sorted, and never updated (where an UPDATE puts the new
-- row versions differs between versions).
CREATE TABLE pmf_long AS
SELECT sample, species, j, conc, (0.05 * conc + 0.02)::float8 AS unc
FROM (SELECT 'day' || lpad(i::text, 2, '0') AS sample, p.species, p.j,
             sum(greatest(0, sin(i * (f + 1) * 1.7)) * 4 * p.value) AS conc
      FROM generate_series(1, 40) i, generate_series(0, 2) f
      JOIN pmf_true_profile p ON p.source = f
      GROUP BY i, p.species, p.j) t
ORDER BY sample, j;
SELECT count(*) AS cells, count(DISTINCT sample) AS samples, count(DISTINCT species) AS species FROM pmf_long;

-- the fit: one NOTICE per run
SELECT pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 3, runs => 3, converge_delta => 1e-4) AS run_id \gset
SELECT owner = current_user AS own_run, q_true < 1 AS near_exact, q_robust <= q_true AS robust_le_true,
       q_expected, converged, parameters->>'samples' AS samples, parameters->>'species' AS species,
       parameters->>'method' AS method, parameters->>'missing_cells' AS missing
FROM pmf_run WHERE run_id = :run_id;
-- every model stored; the kept one has the lowest Q(robust)
SELECT count(*) AS models, count(DISTINCT seed) AS distinct_seeds,
       min(q_robust) = (SELECT q_robust FROM pmf_run WHERE run_id = :run_id) AS best_kept
FROM pmf_model WHERE run_id = :run_id;
SELECT (SELECT count(*) FROM pmf_profile WHERE run_id = :run_id) AS profile_rows,
       (SELECT count(*) FROM pmf_contribution WHERE run_id = :run_id) AS contribution_rows,
       (SELECT count(*) FROM pmf_residual WHERE run_id = :run_id) AS residual_rows;
-- percent: each species' shares over the factors add up to 100
SELECT count(*) AS species_not_100 FROM (
	SELECT species, sum(percent) s FROM pmf_profile WHERE run_id = :run_id GROUP BY species) t
WHERE abs(s - 100) > 1e-9;
-- each true source profile matches a fitted factor with Pearson r > 0.99
SELECT t.source, max(r) > 0.99 AS recovered FROM (
	SELECT t.source, f.factor,
	       profile_similarity(array_agg(t.value ORDER BY t.j), array_agg(f.value ORDER BY t.j), 'pearson') AS r
	FROM pmf_true_profile t JOIN pmf_profile f ON f.species = t.species AND f.run_id = :run_id
	GROUP BY t.source, f.factor) t
GROUP BY t.source ORDER BY t.source;
-- stored residuals are (x - W H)/u of the stored W and H
SELECT max(abs(r.scaled_residual - (l.conc - fit.v) / l.unc)) < 1e-9 AS residuals_consistent
FROM pmf_residual r
JOIN pmf_long l USING (sample, species)
JOIN (SELECT c.sample, p.species, sum(c.value * p.value) AS v
      FROM pmf_contribution c JOIN pmf_profile p USING (run_id, factor)
      WHERE run_id = :run_id GROUP BY c.sample, p.species) fit USING (sample, species)
WHERE r.run_id = :run_id;

-- determinism: the same call gives bit-identical results; another seed other starts
SET client_min_messages = warning;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 3, runs => 3, converge_delta => 1e-4) AS run_again \gset
SELECT pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 3, runs => 3, seed => 43, converge_delta => 1e-4) AS run_seed43 \gset
RESET client_min_messages;
SELECT count(*) AS differing_profile_values FROM pmf_profile a JOIN pmf_profile b USING (factor, species)
WHERE a.run_id = :run_id AND b.run_id = :run_again AND a.value IS DISTINCT FROM b.value;
SELECT (SELECT array_agg(seed ORDER BY model) FROM pmf_model WHERE run_id = :run_id) =
       (SELECT array_agg(seed ORDER BY model) FROM pmf_model WHERE run_id = :run_again) AS same_seeds,
       (SELECT array_agg(seed ORDER BY model) FROM pmf_model WHERE run_id = :run_id) &&
       (SELECT array_agg(seed ORDER BY model) FROM pmf_model WHERE run_id = :run_seed43) AS seeds_overlap_43;

-- ws-nmf (weighted semi-NMF) through pmf_fit recovers the sources as well
SET client_min_messages = warning;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 3, runs => 2, method => 'ws-nmf',
               converge_delta => 1e-4) AS run_ws \gset
RESET client_min_messages;
SELECT parameters->>'method' AS method, q_true < 1 AS near_exact FROM pmf_run WHERE run_id = :run_ws;
SELECT t.source, max(r) > 0.99 AS recovered FROM (
	SELECT t.source, f.factor,
	       profile_similarity(array_agg(t.value ORDER BY t.j), array_agg(f.value ORDER BY t.j), 'pearson') AS r
	FROM pmf_true_profile t JOIN pmf_profile f ON f.species = t.species AND f.run_id = :run_ws
	GROUP BY t.source, f.factor) t
GROUP BY t.source ORDER BY t.source;

-- robust re-weighting (ESAT's robust mode): gross outliers (every 23rd
-- cell x 10, uncertainty unchanged) pull the plain fit away from the true
-- profiles; with reweight_after => 20 the fit down-weights them: lower
-- Q(robust), profiles closer to the true ones, parameter recorded
CREATE TABLE pmf_long_outliers AS
SELECT sample, species, j, CASE WHEN (row_number() OVER (ORDER BY sample, j)) % 23 = 0 THEN 10 * conc ELSE conc END AS conc, unc
FROM pmf_long;
SET client_min_messages = warning;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM pmf_long_outliers', 3, runs => 3) AS run_plain \gset
SELECT pmf_fit('SELECT sample, species, conc, unc FROM pmf_long_outliers', 3, runs => 3, reweight_after => 20) AS run_reweighted \gset
RESET client_min_messages;
SELECT (SELECT parameters->>'reweight_after' FROM pmf_run WHERE run_id = :run_reweighted) AS reweight_after,
       (SELECT q_robust FROM pmf_run WHERE run_id = :run_reweighted) <
       (SELECT q_robust FROM pmf_run WHERE run_id = :run_plain) AS lower_q_robust;
SELECT run, t.source, round(max(r)::numeric, 3) AS best_r, max(r) > 0.99 AS recovered FROM (
	SELECT f.run_id = :run_reweighted AS reweighted, t.source, f.factor,
	       profile_similarity(array_agg(t.value ORDER BY t.j), array_agg(f.value ORDER BY t.j), 'pearson') AS r
	FROM pmf_true_profile t JOIN pmf_profile f ON f.species = t.species AND f.run_id IN (:run_plain, :run_reweighted)
	GROUP BY f.run_id, t.source, f.factor) t,
	LATERAL (SELECT CASE WHEN reweighted THEN 'reweighted' ELSE 'plain' END AS run) l
GROUP BY run, t.source ORDER BY run, t.source;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 2, reweight_after => -1)$$) AS negative_reweight_after;

-- pmf_bootstrap: exact data, so every factor is matched in every resample, the
-- percentiles are ordered and the median stays within 2% of the base profile
SELECT factor, count(*) AS species, min(mapped) AS mapped,
       bool_and(p05 <= p25 AND p25 <= p50 AND p50 <= p75 AND p75 <= p95) AS ordered,
       bool_and(abs(p50 - base) <= 0.02 * base OR base < 0.1) AS median_at_base
FROM pmf_bootstrap(:run_id, resamples => 10, block_size => 5)
GROUP BY factor ORDER BY factor;
SELECT pg_temp.error_of('SELECT * FROM chemeco.pmf_bootstrap(-1)') AS no_such_run,
       pg_temp.error_of('SELECT * FROM chemeco.pmf_bootstrap(' || :run_id || ', 0)') AS zero_resamples,
       pg_temp.error_of('SELECT * FROM chemeco.pmf_bootstrap(' || :run_id || ', 5, 0)') AS zero_block;

-- pmf_disp: DISP intervals of the exact 3-source fit.  3 factors x 9 species
-- x 4 dQmax levels; every interval holds the base value and widens with
-- dQmax; the three well-separated sources never swap at dQmax 4; the large
-- profile values (> 1) move by less than half their value at dQmax 4.
CREATE TABLE pmf_disp_result AS SELECT * FROM pmf_disp(:run_id);
SELECT count(*) AS rows, count(DISTINCT (factor, species)) AS values, array_agg(DISTINCT dq_max ORDER BY dq_max) AS levels,
       bool_and(low <= base AND base <= high) AS holds_base,
       bool_and(low >= 0) AS non_negative,
       count(*) FILTER (WHERE dq_max = 4 AND (swap_low OR swap_high)) AS swaps_at_4,
       bool_and(q_drop >= 0) AS drops_non_negative
FROM pmf_disp_result;
SELECT count(*) AS narrower_at_higher_dq FROM pmf_disp_result a JOIN pmf_disp_result b USING (factor, species)
WHERE b.dq_max > a.dq_max AND (b.low > a.low OR b.high < a.high);
SELECT count(*) AS large_values, bool_and(high - low < base) AS tight_at_4
FROM pmf_disp_result WHERE dq_max = 4 AND base > 1;
SELECT pg_temp.error_of('SELECT * FROM chemeco.pmf_disp(-1)') AS no_such_run,
       pg_temp.error_of('SELECT * FROM chemeco.pmf_disp(' || :run_id || ', 0)') AS zero_refits,
       pg_temp.error_of('SELECT * FROM chemeco.pmf_disp(' || :run_id || ', 17)') AS too_many_refits;

-- missing values (absent row, NULL conc) -> species median, uncertainty 4 x median;
-- categories: s8 weak (uncertainty x 3), s9 bad (excluded)
CREATE TABLE pmf_long_gaps AS
SELECT sample, species, CASE WHEN sample = 'day02' AND species = 's1' THEN NULL ELSE conc END AS conc, unc,
       CASE species WHEN 's8' THEN 'weak' WHEN 's9' THEN 'Bad' END AS category
FROM pmf_long WHERE NOT (sample = 'day03' AND species = 's2');
SET client_min_messages = notice;
SELECT pmf_fit('SELECT * FROM pmf_long_gaps', 3, runs => 1) AS run_gaps \gset
SELECT parameters->'missing_cells' AS missing, parameters->'weak_species' AS weak,
       parameters->'bad_species' AS bad, parameters->'species' AS used_species, q_expected
FROM pmf_run WHERE run_id = :run_gaps;
SELECT count(*) FILTER (WHERE species = 's9') AS bad_rows, count(DISTINCT species) AS species
FROM pmf_residual WHERE run_id = :run_gaps;
-- the weak species' residual is scaled by 3 x its uncertainty
SELECT max(abs(r.scaled_residual - (l.conc - fit.v) / (3 * l.unc))) < 1e-9 AS weak_scaled_by_3
FROM pmf_residual r
JOIN pmf_long l USING (sample, species)
JOIN (SELECT c.sample, p.species, sum(c.value * p.value) AS v
      FROM pmf_contribution c JOIN pmf_profile p USING (run_id, factor)
      WHERE run_id = :run_gaps GROUP BY c.sample, p.species) fit USING (sample, species)
WHERE r.run_id = :run_gaps AND r.species = 's8';

-- errors name the sample and species
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, CASE WHEN sample = ''day05'' AND species = ''s4'' THEN 0 ELSE unc END FROM pmf_long', 2)$$) AS zero_unc;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, CASE WHEN sample = ''day05'' THEN -unc ELSE unc END FROM pmf_long', 2)$$) AS negative_unc;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, CASE WHEN species = ''s3'' THEN ''NaN'' ELSE unc END FROM pmf_long', 2)$$) AS nan_unc;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, CASE WHEN species = ''s3'' THEN ''Infinity'' ELSE conc END, unc FROM pmf_long', 2)$$) AS infinite_conc;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc - 100, unc FROM pmf_long', 2)$$) AS negative_conc;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT NULL::text, species, conc, unc FROM pmf_long', 2)$$) AS null_sample;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc, ''medium'' FROM pmf_long', 2)$$) AS unknown_category;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc, CASE WHEN sample = ''day01'' THEN ''weak'' END FROM pmf_long UNION ALL SELECT ''x'', ''s1'', 1, 1, ''strong''', 2)$$) AS conflicting_category;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM pmf_long UNION ALL SELECT ''day01'', ''s1'', 1, 1', 2)$$) AS duplicate;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc FROM pmf_long', 2)$$) AS three_columns;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc::text, unc FROM pmf_long', 2)$$) AS text_conc;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 10)$$) AS too_many_factors;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM pmf_long WHERE false', 2)$$) AS no_rows;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 2, method => 'pmf2')$$) AS method;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM pmf_long WHERE species = ''s1'' AND sample > ''day01''
                                                 UNION ALL SELECT ''day01'', ''s2'', NULL, NULL', 1)$$) AS species_without_values;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM no_such_table', 2)$$) AS bad_query;

-- nothing of the failed calls was stored
SELECT count(*) AS runs_stored FROM pmf_run;

-- cancellation: the fit stops at the timeout and leaves no rows behind
CREATE TABLE pmf_big AS
SELECT 'd' || i AS sample, 'sp' || j AS species, 1 + abs(sin(i * j)) * 10 + (i % 7) * (j % 5) AS conc,
       0.5 AS unc
FROM generate_series(1, 2000) i, generate_series(1, 60) j;
SET client_min_messages = warning;
SET statement_timeout = '1s';
-- terse: on a slow server (valgrind) the timeout may already hit the data
-- query, whose CONTEXT line would differ; either way nothing may be stored
\set VERBOSITY terse
SELECT pmf_fit('SELECT * FROM pmf_big', 8, runs => 50, converge_delta => 0);
\set VERBOSITY default
RESET statement_timeout;
RESET client_min_messages;
SELECT count(*) AS runs_stored_after_cancel FROM pmf_run;

-- row-level security: each role sees and deletes only its own runs; the data
-- query runs with the caller's rights
CREATE ROLE regress_pmf_alice;
CREATE ROLE regress_pmf_bob;
GRANT USAGE ON SCHEMA chemeco TO regress_pmf_alice, regress_pmf_bob;
GRANT SELECT ON pmf_long TO regress_pmf_alice;
SET ROLE regress_pmf_alice;
SET client_min_messages = warning;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 2, runs => 1) AS alice_run \gset
SELECT :alice_run > 0 AS alice_fitted;
RESET client_min_messages;
SELECT count(*) AS alice_sees_runs, count(*) FILTER (WHERE owner = 'regress_pmf_alice') AS own
FROM pmf_run;
SELECT count(*) AS alice_sees_profiles FROM pmf_profile;
-- runs not made by pmf_fit: a clear error, never a crash
INSERT INTO pmf_run (parameters) VALUES ('{"data": null, "factors": 2}') RETURNING run_id AS alice_bare_run \gset
SELECT regexp_replace(pg_temp.error_of('SELECT * FROM chemeco.pmf_bootstrap(' || :alice_bare_run || ')'), 'run \d+', 'run N') AS bootstrap_null_data;
SELECT regexp_replace(pg_temp.error_of('SELECT * FROM chemeco.pmf_disp(' || :alice_bare_run || ')'), 'run \d+', 'run N') AS disp_null_data;
INSERT INTO pmf_run (parameters) VALUES ('[1, 2]') RETURNING run_id AS alice_array_run \gset
SELECT regexp_replace(pg_temp.error_of('SELECT * FROM chemeco.pmf_bootstrap(' || :alice_array_run || ')'), 'run \d+', 'run N') AS bootstrap_parameters_not_object;
SET ROLE regress_pmf_bob;
SELECT count(*) AS bob_sees_runs FROM pmf_run;
SELECT count(*) AS bob_sees_profiles FROM pmf_profile;
DELETE FROM pmf_run;
SELECT pg_temp.error_of($$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM pmf_long', 2, runs => 1)$$) AS bob_cannot_read_data;
SELECT pg_temp.error_of('SELECT * FROM chemeco.pmf_bootstrap(' || :alice_run || ')') ~ 'does not exist or belongs to another role' AS bob_cannot_bootstrap_alice;
SELECT pg_temp.error_of('SELECT * FROM chemeco.pmf_disp(' || :alice_run || ')') ~ 'does not exist or belongs to another role' AS bob_cannot_disp_alice;
SELECT pg_temp.error_of($$INSERT INTO chemeco.pmf_run (owner, parameters) VALUES ('regress_pmf_alice', '{}')$$) AS bob_cannot_forge;
-- run_id is not insertable: no taking a future run_id (23505 for the next pmf_fit) or probing ids
SELECT pg_temp.error_of($$INSERT INTO chemeco.pmf_run (run_id, parameters) VALUES (1000000, '{}')$$) AS bob_cannot_choose_run_id;
SELECT pg_temp.error_of($$INSERT INTO chemeco.pmf_run (parameters) VALUES ('{}')$$) AS bob_may_insert_pmf_fit_columns;
-- rows of the other tables only for a run bob owns
SELECT pg_temp.error_of('INSERT INTO chemeco.pmf_model (run_id, model, seed) VALUES (' || :alice_run || ', 99, 1)') AS bob_cannot_add_model;
SELECT pg_temp.error_of('INSERT INTO chemeco.pmf_profile (run_id, factor, species, value) VALUES (' || :alice_run || ', 9, ''x'', 1)') AS bob_cannot_add_profile;
SELECT pg_temp.error_of('INSERT INTO chemeco.pmf_contribution (run_id, factor, sample, value) VALUES (' || :alice_run || ', 9, ''x'', 1)') AS bob_cannot_add_contribution;
SELECT pg_temp.error_of('INSERT INTO chemeco.pmf_residual (run_id, sample, species, scaled_residual) VALUES (' || :alice_run || ', ''x'', ''y'', 1)') AS bob_cannot_add_residual;
DELETE FROM pmf_run;
-- a superuser sees alice's runs, but pmf_bootstrap never runs a query another role stored
RESET ROLE;
SELECT count(*) > 0 AS superuser_sees_alice_runs FROM pmf_run WHERE owner = 'regress_pmf_alice';
SELECT pg_temp.error_of('SELECT * FROM chemeco.pmf_bootstrap(' || :alice_run || ')') ~ '^22023: .*does not exist or belongs to another role' AS superuser_cannot_bootstrap_alice;
SET ROLE regress_pmf_alice;
DELETE FROM pmf_run;
SELECT count(*) AS alice_after_delete, (SELECT count(*) FROM pmf_profile) AS profiles_after_delete FROM pmf_run;
RESET ROLE;
SELECT count(*) AS runs_left_for_superuser FROM pmf_run;

-- pg_dump keeps the rows: every table and the sequence are extension config
SELECT array_agg(c.relname ORDER BY c.relname) AS dumped
FROM pg_extension e, unnest(e.extconfig) AS config(relid) JOIN pg_class c ON c.oid = config.relid
WHERE e.extname = 'chemeco' AND c.relname LIKE 'pmf%';

DROP TABLE pmf_true_profile, pmf_long, pmf_long_gaps, pmf_big;
DELETE FROM pmf_run;
DROP OWNED BY regress_pmf_alice, regress_pmf_bob;
DROP ROLE regress_pmf_alice, regress_pmf_bob;
