-- Source apportionment with chemeco: EPA PMF-style factorisation of the
-- St. Louis PM2.5 example data (418 hourly samples x 13 species, shipped
-- with EPA PMF 5.0), then chemical mass balance with the profiles found.
SET search_path = public, chemeco;
\pset footer off

-- The EPA files are wide (Date, one column per species); make long rows.
CREATE TEMP TABLE con_raw (n serial, line text);
CREATE TEMP TABLE unc_raw (n serial, line text);
\copy con_raw(line) FROM 'data/Dataset-StLouis-con.csv'
\copy unc_raw(line) FROM 'data/Dataset-StLouis-unc.csv'
CREATE TEMP TABLE stl AS
SELECT c.n AS row_no, k AS col_no, c.f[1] AS sample, h.f[k] AS species,
       c.f[k]::float8 AS conc, u.f[k]::float8 AS unc
FROM (SELECT string_to_array(line, ',') f FROM con_raw WHERE n = 1) h,
     (SELECT n, string_to_array(line, ',') f FROM con_raw WHERE n > 1) c
     JOIN (SELECT n, string_to_array(line, ',') f FROM unc_raw WHERE n > 1) u USING (n),
     generate_series(2, 14) k;

-- 1. Data preparation: EPA PMF 5.0 uncertainty rule and signal-to-noise.
SELECT pmf_uncertainty(0.002, 0.005, 0.1) AS below_mdl,
       round(pmf_uncertainty(2.0, 0.005, 0.1)::numeric, 4) AS above_mdl;

SELECT species, round(signal_to_noise(conc, unc)::numeric, 2) AS s_n,
       species_category(signal_to_noise(conc, unc)) AS category
FROM stl GROUP BY species ORDER BY signal_to_noise(conc, unc) LIMIT 5;

-- 2. Factorise: 6 factors, 10 seeded random starts (the default is 20);
--    total mass is a 'weak' species as EPA recommends for totals.
SELECT pmf_fit($$SELECT sample, species, conc, unc,
                        CASE WHEN species = 'Mass' THEN 'weak' END
                 FROM stl ORDER BY row_no, col_no$$, 6, runs => 10) AS run_id \gset

SELECT run_id, round(q_true) AS q_true, round(q_robust) AS q_robust, q_expected,
       converged, iterations, parameters->'weak_species' AS weak
FROM pmf_run WHERE run_id = :run_id;

-- every random start, best first
SELECT model, round(q_robust) AS q_robust, round(q_true) AS q_true, converged
FROM pmf_model WHERE run_id = :run_id ORDER BY q_robust LIMIT 4;

-- 3. What the factors are: the species each factor explains most of.
SELECT factor, string_agg(species || ' ' || round(percent) || '%', ', ' ORDER BY percent DESC) AS dominant_species
FROM (SELECT factor, species, percent, rank() OVER (PARTITION BY factor ORDER BY percent DESC) r
      FROM pmf_profile WHERE run_id = :run_id) t
WHERE r <= 3 GROUP BY factor ORDER BY factor;

-- mean contribution of each factor to the samples' total Mass
SELECT c.factor, round(avg(c.value * p.value)::numeric, 2) AS mean_mass
FROM pmf_contribution c JOIN pmf_profile p USING (run_id, factor)
WHERE c.run_id = :run_id AND p.species = 'Mass' GROUP BY c.factor ORDER BY c.factor;

-- residual check: share of |scaled residual| > 3 per species (worst first)
SELECT species, round(100.0 * avg((abs(scaled_residual) > 3)::int), 1) AS pct_above_3
FROM pmf_residual WHERE run_id = :run_id GROUP BY species ORDER BY 2 DESC LIMIT 3;

-- 4. Profile matching: which factors look most alike?  (Species shares, so
--    that Mass, the largest value, does not dominate; low values: distinct factors.)
WITH f AS (SELECT factor, array_agg(percent ORDER BY species) v
           FROM pmf_profile WHERE run_id = :run_id GROUP BY factor)
SELECT a.factor AS factor_a, b.factor AS factor_b,
       round(profile_similarity(a.v, b.v, 'cosine')::numeric, 3) AS cosine,
       round(profile_similarity(a.v, b.v, 'pearson')::numeric, 3) AS pearson
FROM f a JOIN f b ON a.factor < b.factor
ORDER BY 3 DESC LIMIT 3;

-- 5. Chemical mass balance of one sample against the six profiles found.  At
--    convergence each row of PMF's W is the weighted NNLS fit of its sample, so
--    CMB with the same uncertainties reproduces PMF's contributions.
\set sample '''11/10/2001 18:00'''
WITH s AS (SELECT array_agg(conc ORDER BY species) x, array_agg(unc ORDER BY species) u
           FROM stl WHERE sample = :sample),
     p AS (SELECT array_agg(v ORDER BY factor) m
           FROM (SELECT factor, array_agg(value ORDER BY species) v
                 FROM pmf_profile WHERE run_id = :run_id GROUP BY factor) t),
     cmb AS (SELECT (cmb(s.x, p.m, s.u)).* FROM s, p)
SELECT f AS factor, round(cmb.contribution[f]::numeric, 3) AS cmb,
       round((SELECT value FROM pmf_contribution
              WHERE run_id = :run_id AND factor = f AND sample = :sample)::numeric, 3) AS pmf,
       round(cmb.r2::numeric, 3) AS r2
FROM cmb, generate_series(1, 6) f;

-- 6. Uncertainty of the profiles: block bootstrap (20 resamples here; EPA
--    suggests 100), factors matched by contribution correlation >= 0.6.
SELECT factor, species, round(base::numeric, 3) AS base, round(p05::numeric, 3) AS p05,
       round(p50::numeric, 3) AS p50, round(p95::numeric, 3) AS p95, mapped
FROM pmf_bootstrap(:run_id, resamples => 20)
WHERE species = 'SO4' ORDER BY factor;
