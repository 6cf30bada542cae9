-- Source apportionment helpers: EPA PMF 5.0 uncertainty and S/N rules,
-- chemical mass balance, profile similarity, the nmf() array form, errors.
SET search_path = chemeco, public;

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- pmf_uncertainty: at/below MDL 5/6 MDL = 0.8333; above sqrt((0.1*10)^2 + (0.5*2)^2) = sqrt(2)
SELECT round(pmf_uncertainty(1, 1, 0.1)::numeric, 6) AS at_mdl,
       round(pmf_uncertainty(0.2, 1, 0.1)::numeric, 6) AS below_mdl,
       round(pmf_uncertainty(10, 2, 0.1)::numeric, 6) AS above_mdl;
SELECT pg_temp.error_of('SELECT chemeco.pmf_uncertainty(1, 0, 0.1)') AS zero_mdl,
       pg_temp.error_of('SELECT chemeco.pmf_uncertainty(''NaN'', 1, 0.1)') AS nan_conc,
       pg_temp.error_of('SELECT chemeco.pmf_uncertainty(1, 1, -0.1)') AS negative_fraction;

-- signal_to_noise: terms (3-1)/1 = 2, 0 (conc = unc), 0 (conc < unc), (5-2)/2 = 1.5 -> mean 0.875;
-- the NULL row is skipped
CREATE TEMP TABLE sn (species text, conc float8, unc float8);
INSERT INTO sn VALUES ('a', 3, 1), ('a', 1, 1), ('a', 0.5, 1), ('a', 5, 2), ('a', NULL, 1),
                      ('b', 10, 1), ('b', 20, 2), ('c', 0.1, 1);
SELECT species, signal_to_noise(conc, unc), species_category(signal_to_noise(conc, unc))
FROM sn GROUP BY species ORDER BY species;
SELECT signal_to_noise(conc, unc) AS no_rows FROM sn WHERE false;
SELECT species_category(0.49) AS c049, species_category(0.5) AS c05, species_category(1) AS c1;
SELECT pg_temp.error_of('SELECT chemeco.signal_to_noise(1, 0)') AS zero_unc,
       pg_temp.error_of('SELECT chemeco.signal_to_noise(''NaN'', 1)') AS nan_conc,
       pg_temp.error_of('SELECT chemeco.species_category(''NaN'')') AS nan_sn;

-- the same aggregate through parallel workers (combinefunc) equals the serial one
CREATE TEMP TABLE sn_big AS
SELECT g % 7 AS species, 1 + (g % 13) AS conc, 1 + (g % 5) * 0.5 AS unc FROM generate_series(1, 200000) g;
CREATE TABLE pmf_sn_big AS SELECT * FROM sn_big;	-- temp tables are not scanned in parallel
ANALYZE pmf_sn_big;
CREATE TEMP TABLE sn_serial AS SELECT species, signal_to_noise(conc, unc) AS sn FROM pmf_sn_big GROUP BY species;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT species, signal_to_noise(conc, unc) FROM pmf_sn_big GROUP BY species;
SELECT count(*) AS differing FROM sn_serial s
JOIN (SELECT species, signal_to_noise(conc, unc) AS sn FROM pmf_sn_big GROUP BY species) p USING (species)
WHERE abs(s.sn - p.sn) > 1e-12 * s.sn;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE pmf_sn_big;

-- cmb: sample = 2 x source1 + 3 x source2 exactly
SELECT contribution, round(residual_norm::numeric, 10) AS residual_norm, round(r2::numeric, 10) AS r2
FROM cmb(ARRAY[1.3, 0.9, 2.0, 0.8], ARRAY[[0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.6, 0.2]]);
-- cmb weighted: one source (1,1), sample (1,3), unc (1,0.5): weights 1,4 -> 13/5 = 2.6,
-- residual norm sqrt(1.6^2 + (0.4/0.5)^2) = sqrt(3.2) = 1.788854
SELECT contribution, round(residual_norm::numeric, 6) AS residual_norm
FROM cmb(ARRAY[1, 3], ARRAY[[1, 1]], ARRAY[1, 0.5]);
-- a source that would need a negative contribution is clipped to 0:
-- A = [[1,0],[0,1],[1,1]] (columns = sources), b = (1,-2,0): NNLS gives (0.5, 0)
SELECT contribution FROM cmb(ARRAY[1, -2, 0], ARRAY[[1, 0, 1], [0, 1, 1]]);
SELECT cmb(NULL, ARRAY[[1.0]]) IS NULL AS null_sample;
SELECT pg_temp.error_of('SELECT chemeco.cmb(ARRAY[1,2,3], ARRAY[[1,2]])') AS shape,
       pg_temp.error_of('SELECT chemeco.cmb(ARRAY[1,NULL], ARRAY[[1,2]])') AS null_element,
       pg_temp.error_of('SELECT chemeco.cmb(ARRAY[1,2], ARRAY[[1,NULL]])') AS null_profile,
       pg_temp.error_of('SELECT chemeco.cmb(ARRAY[1,2], ARRAY[[1,2]], ARRAY[1,0])') AS zero_unc,
       pg_temp.error_of('SELECT chemeco.cmb(ARRAY[1,''NaN''::float8], ARRAY[[1,2]])') AS nan_sample,
       pg_temp.error_of('SELECT chemeco.cmb(ARRAY[1,2], ARRAY[1,2])') AS one_dim_profiles;

-- profile_similarity: cosine((1,0),(1,1)) = 0.707107; pearson of proportional = 1,
-- of reversed = -1; euclidean (0,0)-(3,4) = 5; zero vector: NULL
SELECT round(profile_similarity(ARRAY[1, 0], ARRAY[1, 1])::numeric, 6) AS cosine,
       profile_similarity(ARRAY[1, 2, 3], ARRAY[2, 4, 6], 'pearson') AS pearson,
       profile_similarity(ARRAY[1, 2, 3], ARRAY[3, 2, 1], 'pearson') AS anti,
       profile_similarity(ARRAY[0, 0], ARRAY[3, 4], 'euclidean') AS euclidean,
       profile_similarity(ARRAY[0, 0], ARRAY[3, 4]) IS NULL AS zero_is_null;
SELECT pg_temp.error_of('SELECT chemeco.profile_similarity(ARRAY[1,2], ARRAY[1,2,3])') AS lengths,
       pg_temp.error_of('SELECT chemeco.profile_similarity(ARRAY[1,2], ARRAY[1,2], ''manhattan'')') AS method;

-- nmf(): a rank-one matrix is fitted exactly (Q ~ 0) with one factor;
-- x = w h with w = (1,2,3), h = (1,2)
SELECT q_true < 1e-6 AS exact, q_robust <= q_true AS robust_le_true,
       array_dims(w) AS w_dims, array_dims(h) AS h_dims
FROM nmf(ARRAY[[1, 2], [2, 4], [3, 6]], ARRAY[[0.1, 0.1], [0.1, 0.1], [0.1, 0.1]], 1, runs => 3);
-- deterministic: same seed, same bits; ws-nmf runs too
SELECT a.w = b.w AND a.h = b.h AND a.q_true = b.q_true AS same_seed_same_result
FROM nmf(ARRAY[[1, 2, 1], [2, 1, 3], [3, 3, 1], [1, 1, 1]], ARRAY[[.1, .1, .1], [.1, .1, .1], [.1, .1, .1], [.1, .1, .1]], 2, seed => 7) a,
     nmf(ARRAY[[1, 2, 1], [2, 1, 3], [3, 3, 1], [1, 1, 1]], ARRAY[[.1, .1, .1], [.1, .1, .1], [.1, .1, .1], [.1, .1, .1]], 2, seed => 7) b;
-- threads: at most 8 and the online CPUs, whatever max_parallel_workers_per_gather
-- says; one inside a parallel worker.  The result does not depend on them.
CREATE TABLE pmf_nmf_input AS
SELECT ARRAY[[1, 2, 1], [2, 1, 3], [3, 3, 1], [1, 1, 1], [2, 2, 2], [1, 3, 2]]::float8[] AS x,
       array_fill(0.1::float8, ARRAY[6, 3]) AS u;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE pmf_nmf_one_thread AS SELECT r.* FROM pmf_nmf_input i, nmf(i.x, i.u, 2, runs => 12, seed => 7) r;
SET max_parallel_workers_per_gather = 1024;
SELECT a.w = b.w AND a.h = b.h AND a.q_true = b.q_true AS many_workers_same_result
FROM pmf_nmf_one_thread a, pmf_nmf_input i, nmf(i.x, i.u, 2, runs => 12, seed => 7) b;
-- force_parallel_mode is debug_parallel_query since PostgreSQL 16
SELECT CASE WHEN current_setting('server_version_num')::int < 160000 THEN 'force_parallel_mode'
            ELSE 'debug_parallel_query' END AS force_parallel \gset
SET :force_parallel = on;
SELECT a.w = b.w AND a.h = b.h AND a.q_true = b.q_true AS in_parallel_worker_same_result
FROM pmf_nmf_one_thread a, pmf_nmf_input i, nmf(i.x, i.u, 2, runs => 12, seed => 7) b;
RESET :force_parallel;
RESET max_parallel_workers_per_gather;
DROP TABLE pmf_nmf_input, pmf_nmf_one_thread;
SELECT q_true < 1e-6 AS ws_exact
FROM nmf(ARRAY[[1, 2], [2, 4], [3, 6]], ARRAY[[0.1, 0.1], [0.1, 0.1], [0.1, 0.1]], 1, runs => 2, method => 'ws-nmf');
SELECT pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,2],[3,4]], ARRAY[[1,1],[1,0]], 1)') AS zero_unc,
       pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,2],[3,4]], ARRAY[[1,1],[1,-1]], 1)') AS negative_unc,
       pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,2],[3,4]], ARRAY[[1,''NaN''::float8],[1,1]], 1)') AS nan_unc;
SELECT pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,''NaN''::float8],[3,4]], ARRAY[[1,1],[1,1]], 1)') AS nan_value,
       pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,-2],[3,4]], ARRAY[[1,1],[1,1]], 1)') AS negative_value,
       pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,NULL],[3,4]], ARRAY[[1,1],[1,1]], 1)') AS null_value;
SELECT pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,2],[3,4]], ARRAY[[1,1,1],[1,1,1]], 1)') AS shapes,
       pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,2],[3,4]], ARRAY[[1,1],[1,1]], 3)') AS too_many_factors,
       pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,2],[3,4]], ARRAY[[1,1],[1,1]], 1, method => ''pca'')') AS method;
SELECT pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,2],[3,4]], ARRAY[[1,1],[1,1]], 1, runs => 0)') AS runs,
       pg_temp.error_of('SELECT chemeco.nmf(ARRAY[[1,2],[3,4]], ARRAY[[1,1],[1,1]], 1, converge_n => 0)') AS converge_n,
       pg_temp.error_of('SELECT chemeco.nmf(ARRAY[1,2], ARRAY[1,1], 1)') AS one_dim;
