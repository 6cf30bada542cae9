-- Quality bar on real data: EPA PMF 5.0 example "Baton Rouge" (307 samples x
-- 41 VOC species, files as distributed with ESAT, every species strong).
-- 6 factors, 20 runs, ls-nmf, robust selection, defaults: the best Q(true)
-- must lie within 1% of 64,250 (an independent LS-NMF gives 64,246; EPA PMF 5.0
-- reports 64,510; ESAT's best of 200 starts 63,824).
BEGIN;
SET search_path = chemeco, public;
SELECT plan(10);

CREATE TEMP TABLE con_raw (n serial, line text);
CREATE TEMP TABLE unc_raw (n serial, line text);
\copy con_raw(line) FROM 'test/data/Dataset-BatonRouge-con.csv'
\copy unc_raw(line) FROM 'test/data/Dataset-BatonRouge-unc.csv'
-- wide CSV (Date, one column per species) to long rows, in file order
CREATE TEMP TABLE br AS
SELECT c.n AS row_no, k AS col_no, c.f[1] AS sample, h.f[k] AS species, c.f[k]::float8 AS conc, u.f[k]::float8 AS unc
FROM (SELECT string_to_array(line, ',') f FROM con_raw WHERE n = 1) h,
     (SELECT n, string_to_array(line, ',') f FROM con_raw WHERE n > 1) c
     JOIN (SELECT n, string_to_array(line, ',') f FROM unc_raw WHERE n > 1) u USING (n),
     generate_series(2, 42) k;

SELECT is((SELECT count(*) FROM br), 12587::bigint, 'Baton Rouge: 307 x 41 values');

SET client_min_messages = warning;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM br ORDER BY row_no, col_no', 6) AS run_id \gset
RESET client_min_messages;

SELECT ok((SELECT abs(q_true - 64250) / 64250 < 0.01 FROM pmf_run WHERE run_id = :run_id),
          'best Q(true) within 1% of 64,250: ' || (SELECT round(q_true) FROM pmf_run WHERE run_id = :run_id));
SELECT is((SELECT count(*) FROM pmf_model WHERE run_id = :run_id), 20::bigint, '20 models stored');
SELECT is((SELECT min(q_robust) FROM pmf_model WHERE run_id = :run_id),
          (SELECT q_robust FROM pmf_run WHERE run_id = :run_id), 'the kept model has the lowest Q(robust)');
SELECT ok((SELECT bool_and(converged) FROM pmf_model WHERE run_id = :run_id), 'every run converged');
SELECT ok((SELECT q_robust < q_true AND q_expected = 307 * 41 - 6 * (307 + 41) FROM pmf_run WHERE run_id = :run_id),
          'Q(robust) < Q(true); Q expected = 12587 - 6 x 348');
-- every residual row and factor row is there
SELECT is((SELECT count(*) FROM pmf_residual WHERE run_id = :run_id) +
          (SELECT count(*) FROM pmf_profile WHERE run_id = :run_id) +
          (SELECT count(*) FROM pmf_contribution WHERE run_id = :run_id),
          (12587 + 6 * 41 + 6 * 307)::bigint, 'residuals, profiles and contributions stored');

-- the stability report agrees with the stored models (Q(robust) ranks the runs)
SELECT is((SELECT near_best_runs FROM pmf_run WHERE run_id = :run_id),
          (SELECT count(*)::int FROM pmf_model m, pmf_run r WHERE r.run_id = :run_id AND m.run_id = :run_id
             AND m.q_robust <= r.q_robust * 1.005),
          'near_best_runs counts the models within 0.5% of the kept Q(robust)');
SELECT ok((SELECT bool_and(CASE WHEN model = (parameters->>'best_model')::int THEN profile_match = 1
                                ELSE profile_match BETWEEN -1 AND 1 END)
           FROM pmf_model JOIN pmf_run USING (run_id) WHERE run_id = :run_id),
          'profile_match is 1 for the kept model and a correlation for the others');

-- the array form on the same matrices and seed gives the same best Q bit for
-- bit, with rows and columns in pmf_fit's canonical order (byte order of the
-- sample and species names, i.e. COLLATE "C")
SELECT is((SELECT q_true FROM nmf(
              (SELECT array_agg(r ORDER BY sample COLLATE "C") FROM (
                  SELECT sample, array_agg(conc ORDER BY species COLLATE "C") r FROM br GROUP BY sample) t),
              (SELECT array_agg(r ORDER BY sample COLLATE "C") FROM (
                  SELECT sample, array_agg(unc ORDER BY species COLLATE "C") r FROM br GROUP BY sample) t),
              6, runs => 2)),
          (SELECT q_true FROM pmf_model WHERE run_id = :run_id AND model <= 2 ORDER BY q_robust LIMIT 1),
          'nmf() and pmf_fit() agree (best of the first two runs)');

SELECT * FROM finish();
ROLLBACK;
