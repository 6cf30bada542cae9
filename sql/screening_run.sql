-- chemeco.screen on a synthetic LC-HRMS run with known truth: features built from the suspects'
-- isotope patterns (mass error <= 3 ppm, cluster m/z jitter <= 0.5 ppm, intensities +-10%),
-- hard decoys (a suspect ion's m/z within 5 ppm, the cluster of another formula, a random
-- retention time and MS/MS) and random-m/z decoys.  Checks: >= 99% of the true suspects found at
-- level <= 4, the false-candidate rate, the plain-SQL BETWEEN join gives the same candidates,
-- and a logistic confidence model separates true from decoy candidates (AUC >= 0.95 on held-out
-- features, computed here from screen()'s probabilities).
-- The generator draws from md5 (u(key) is uniform in [0, 1)), so every PostgreSQL version builds
-- the same run.
SET search_path = public, chemeco;
CREATE FUNCTION u(key text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
	$$ SELECT ('x' || substr(md5(key), 1, 8))::bit(32)::bigint / 4294967296.0 $$;
-- n random peaks between 50 and 350 (MS/MS-like)
CREATE FUNCTION random_spectrum(key text, n int) RETURNS spectrum LANGUAGE sql IMMUTABLE AS $$
	SELECT spectrum(array_agg(mz ORDER BY mz), array_agg(i ORDER BY mz))
	FROM (SELECT DISTINCT ON (round(mz::numeric, 1)) mz, i
	      FROM (SELECT 50 + 300 * u(key || 'm' || k) AS mz, 1 + 99 * u(key || 'i' || k) AS i
	            FROM generate_series(1, n) k) p) q $$;
-- a spectrum with each intensity times (1 +- noise) and each m/z times (1 +- mz_ppm 1e-6)
CREATE FUNCTION jitter(s spectrum, key text, noise float8, mz_ppm float8) RETURNS spectrum LANGUAGE sql IMMUTABLE AS $$
	SELECT spectrum(array_agg(m * (1 + mz_ppm * 1e-6 * (2 * u(key || 'm' || k) - 1)) ORDER BY k),
	                array_agg(i * (1 + noise * (2 * u(key || 'i' || k) - 1)) ORDER BY k))
	FROM unnest(mz(s), intensities(s)) WITH ORDINALITY t(m, i, k) $$;
CREATE FUNCTION random_formula(key text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT 'C' || c || 'H' || (c + floor(u(key || 'h') * c)::int)
	       || CASE WHEN n > 0 THEN 'N' || n ELSE '' END || CASE WHEN o > 0 THEN 'O' || o ELSE '' END
	       || CASE WHEN u(key || 'cl') < 0.2 THEN 'Cl' || (1 + floor(u(key || 'cln') * 3)::int) ELSE '' END
	       || CASE WHEN u(key || 's') < 0.15 THEN 'S' ELSE '' END
	FROM (SELECT 6 + floor(u(key || 'c') * 20)::int AS c, floor(u(key || 'n') * 5)::int AS n,
	             floor(u(key || 'o') * 7)::int AS o) e $$;

-- 500 suspects; half have a reference MS/MS spectrum
CREATE TABLE suspect AS
SELECT s AS suspect_id, 'compound ' || s AS name, random_formula('f' || s) AS formula,
       round((1 + 19 * u('rt' || s))::numeric, 2)::float8 AS rt,
       CASE WHEN u('hasms2' || s) < 0.5 THEN random_spectrum('ms2' || s, 6) END AS ms2
FROM generate_series(1, 500) s;

-- 300 true features (suspects 1..300, each under one of the common positive adducts)
CREATE TABLE truth AS
SELECT s AS feature_id, s AS suspect_id,
       (ARRAY['[M+H]+', '[M+H]+', '[M+Na]+', '[M+NH4]+'])[1 + floor(u('a' || s) * 4)::int] AS adduct
FROM generate_series(1, 300) s;
-- the feature's m/z is off by up to 3 ppm, and its whole MS1 cluster with it
CREATE TABLE feature AS
SELECT t.feature_id, adduct_mz(s.formula, t.adduct) * e AS mz,
       s.rt + 0.2 * (u('drt' || t.feature_id) - 0.5) AS rt,
       1e5 * (1 + 10 * u('int' || t.feature_id)) AS intensity,
       (SELECT spectrum(array_agg(m * e ORDER BY m), array_agg(i ORDER BY m)) FROM
        unnest(mz(p), intensities(p)) q(m, i)) AS ms1,
       CASE WHEN s.ms2 IS NOT NULL THEN jitter(s.ms2, 'fms2' || t.feature_id, 0.2, 2) END AS ms2
FROM truth t JOIN suspect s USING (suspect_id),
     LATERAL (SELECT 1 + 3e-6 * (2 * u('e' || t.feature_id) - 1) AS e,
                     jitter(isotope_pattern(s.formula, t.adduct), 'ms1' || t.feature_id, 0.1, 0.5) AS p) x;
-- 300 hard decoys: within 5 ppm of a suspect's [M+H]+, the cluster of an unrelated formula moved there
INSERT INTO feature
SELECT 1000 + d, target_mz,
       round((1 + 19 * u('drt' || d))::numeric, 2)::float8,
       1e5 * (1 + 10 * u('dint' || d)),
       spectrum(ARRAY(SELECT m - decoy_mz + target_mz FROM unnest(mz(p)) m), intensities(p)),
       CASE WHEN u('dhasms2' || d) < 0.5 THEN random_spectrum('dms2' || d, 6) END
FROM (SELECT d, adduct_mz(formula, '[M+H]+') * (1 + 5e-6 * (2 * u('de' || d) - 1)) AS target_mz,
             adduct_mz(random_formula('decoy' || d), '[M+H]+') AS decoy_mz,
             isotope_pattern(random_formula('decoy' || d), '[M+H]+') AS p
      FROM generate_series(1, 300) d JOIN suspect ON suspect_id = 1 + floor(u('dt' || d) * 500)::int) x;
-- 400 decoys at random m/z
INSERT INTO feature
SELECT 2000 + d, 100 + 800 * u('rmz' || d), 1 + 19 * u('rrt' || d), 1e5,
       isotope_pattern(random_formula('rnd' || d), '[M+H]+'), NULL
FROM generate_series(1, 400) d;

CREATE TABLE candidate AS
SELECT c.*, (t.feature_id IS NOT NULL) AS is_true
FROM screen('SELECT feature_id, mz, rt, intensity, ms1, ms2 FROM feature',
            'SELECT suspect_id, name, formula, rt, ms2 FROM suspect') c
LEFT JOIN truth t ON t.feature_id::text = c.feature_id AND t.suspect_id::text = c.suspect_id AND t.adduct = c.adduct;

-- recall of the true suspects at level <= 4, and how many candidates are false
SELECT count(*) AS candidates, count(*) FILTER (WHERE is_true) AS true_candidates,
       (SELECT count(*) FROM truth) AS true_suspects,
       count(DISTINCT feature_id) FILTER (WHERE is_true AND level IN ('2a', '3', '4')) >= 0.99 * 300 AS found_99pct,
       round(count(*) FILTER (WHERE is_true AND level IN ('2a', '3', '4'))::numeric / 300, 3) AS recall_level_4,
       round(count(*) FILTER (WHERE NOT is_true)::numeric / count(*), 3) AS false_candidate_rate,
       round(count(*) FILTER (WHERE NOT is_true AND level IN ('2a', '3', '4'))::numeric
             / nullif(count(*) FILTER (WHERE level IN ('2a', '3', '4')), 0), 3) AS false_rate_level_4,
       max(abs(mz_error_ppm)) <= 5 AS within_window
FROM candidate;
SELECT level, count(*) FILTER (WHERE is_true) AS true_candidates, count(*) FILTER (WHERE NOT is_true) AS false_candidates
FROM candidate GROUP BY level ORDER BY level;

-- the plain-SQL equivalent (docs/reference/screening.md): materialised ions, btree on m/z, BETWEEN
CREATE TABLE suspect_ion AS
SELECT s.suspect_id, a.adduct, adduct_mz(s.formula, a.adduct) AS mz
FROM suspect s CROSS JOIN chemeco.adduct a WHERE a.common AND a.ion_mode = 'positive';
CREATE INDEX ON suspect_ion (mz);
WITH plain AS (
	SELECT f.feature_id::text AS feature_id, i.suspect_id::text AS suspect_id, i.adduct
	FROM feature f JOIN suspect_ion i ON i.mz BETWEEN f.mz / (1 + 5e-6) AND f.mz / (1 - 5e-6)
	WHERE abs(ppm_error(f.mz, i.mz)) <= 5)
SELECT (SELECT count(*) FROM plain) AS plain_rows,
       NOT EXISTS (SELECT feature_id, suspect_id, adduct FROM plain EXCEPT SELECT feature_id, suspect_id, adduct FROM candidate)
       AND NOT EXISTS (SELECT feature_id, suspect_id, adduct FROM candidate EXCEPT SELECT feature_id, suspect_id, adduct FROM plain)
       AS same_candidates;

-- a confidence model trained on the candidates of two thirds of the features
SELECT train('screen_confidence', 'logistic',
             $$SELECT abs(mz_error_ppm) AS abs_mz_error_ppm, abs(rt_error) AS abs_rt_error, isotope_score, ms2_score,
                      is_true FROM candidate WHERE feature_id::int % 3 <> 0$$, 'is_true', '{"lambda": 0.1}') AS version;
SELECT (metrics ->> 'roc_auc')::float8 >= 0.95 AS holdout_auc_ok FROM model WHERE name = 'screen_confidence';
-- ... and applied by screen() to the held-out third: ROC AUC of its probabilities (pairwise, ties 1/2)
CREATE TABLE scored AS
SELECT c.*, (t.feature_id IS NOT NULL) AS is_true
FROM screen('SELECT feature_id, mz, rt, intensity, ms1, ms2 FROM feature WHERE feature_id % 3 = 0',
            'SELECT suspect_id, name, formula, rt, ms2 FROM suspect', model => 'screen_confidence') c
LEFT JOIN truth t ON t.feature_id::text = c.feature_id AND t.suspect_id::text = c.suspect_id AND t.adduct = c.adduct;
SELECT count(*) FILTER (WHERE is_true) AS held_out_true, count(*) FILTER (WHERE NOT is_true) AS held_out_false,
       (SELECT avg(CASE WHEN a.probability > b.probability THEN 1 WHEN a.probability = b.probability THEN 0.5 ELSE 0 END)
        FROM scored a, scored b WHERE a.is_true AND NOT b.is_true) >= 0.95 AS auc_ok,
       round((SELECT avg(CASE WHEN a.probability > b.probability THEN 1 WHEN a.probability = b.probability THEN 0.5 ELSE 0 END)
              FROM scored a, scored b WHERE a.is_true AND NOT b.is_true)::numeric, 3) AS auc
FROM scored;
-- screen()'s probability is predict() of the same inputs
SELECT bool_and(abs(probability - predict('screen_confidence',
           jsonb_build_object('abs_mz_error_ppm', abs(mz_error_ppm), 'abs_rt_error', abs(rt_error),
                              'isotope_score', isotope_score, 'ms2_score', ms2_score))) < 1e-12) AS same_as_predict
FROM scored;
DROP TABLE suspect, truth, feature, candidate, suspect_ion, scored;
DROP FUNCTION u(text), random_spectrum(text, int), jitter(spectrum, text, float8, float8), random_formula(text);
