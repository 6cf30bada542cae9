-- 50: suspect screening of an LC-HRMS run.  Suspects: the real compounds of the MassBank water
-- records (test/data/massbank_lcmsms_water.mgf.gz: KWR, Eawag, UFZ, HBM4EU; CC BY / CC0), each
-- with its formula and a reference MS/MS spectrum.  The "run" is synthetic: features built from
-- the suspects' isotope patterns with up to 3 ppm mass error and 10% intensity noise, their
-- MassBank spectra with noise as MS/MS, and decoys.  A logistic confidence model is trained on a
-- first (calibration) run whose truth is known and applied to a second run.
SET search_path = public, chemeco;
\pset footer off
\set QUIET on
\set content `zcat ../../test/data/massbank_lcmsms_water.mgf.gz`
CREATE TABLE massbank AS SELECT * FROM read_mgf(:'content');
\set QUIET off

SELECT setseed(0.5) \g /dev/null
\echo 'Suspects: one per compound of the MassBank [M+H]+ records, with its first spectrum as reference.'
CREATE TABLE suspect AS
SELECT row_number() OVER (ORDER BY name) AS suspect_id, name, formula, ms2,
       round((1 + 19 * random())::numeric, 2)::float8 AS rt
FROM (SELECT DISTINCT ON (lower(name)) name, metadata ->> 'formula' AS formula, spectrum AS ms2
      FROM massbank WHERE metadata ->> 'precursor_type' = '[M+H]+' AND metadata ? 'formula'
      ORDER BY lower(name), ordinal) m;
SELECT count(*) AS suspects, count(DISTINCT formula) AS formulas,
       round(min(formula_mass(formula))::numeric, 1) AS min_mass, round(max(formula_mass(formula))::numeric, 1) AS max_mass
FROM suspect;

-- A run: 60% of the suspects are present (under [M+H]+, [M+Na]+ or [M+NH4]+, the whole MS1
-- cluster off by up to 3 ppm, each isotope peak's intensity by up to 10%, rt by up to 0.1 min,
-- the reference spectrum with 20% intensity noise as MS/MS for two thirds of them), plus decoys:
-- features within 5 ppm of a suspect's [M+H]+ that carry the cluster of another suspect and a
-- random retention time, and features at random m/z.
CREATE FUNCTION noisy(s spectrum, noise float8) RETURNS spectrum LANGUAGE sql VOLATILE AS $$
	SELECT spectrum(mz(s), ARRAY(SELECT i * (1 + noise * (2 * random() - 1)) FROM unnest(intensities(s)) i)) $$;
CREATE FUNCTION shifted(s spectrum, factor float8) RETURNS spectrum LANGUAGE sql IMMUTABLE AS $$
	SELECT spectrum(ARRAY(SELECT m * factor FROM unnest(mz(s)) m), intensities(s)) $$;
CREATE FUNCTION make_run(run text, seed float8) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM setseed(seed);
	EXECUTE format('CREATE TABLE %I (feature_id text, mz float8, rt float8, intensity float8, ms1 spectrum, ms2 spectrum,
	                                 true_suspect bigint, true_adduct text)', run);
	EXECUTE format($q$
		INSERT INTO %I
		SELECT 'F' || suspect_id, adduct_mz(formula, adduct) * e, rt + 0.2 * (random() - 0.5), 1e5 * (1 + 9 * random()),
		       noisy(shifted(isotope_pattern(formula, adduct), e), 0.1),
		       CASE WHEN random() < 2.0 / 3 THEN noisy(ms2, 0.2) END, suspect_id, adduct
		FROM (SELECT s.*, (ARRAY['[M+H]+', '[M+H]+', '[M+Na]+', '[M+NH4]+'])[1 + floor(random() * 4)::int] AS adduct,
		             1 + 3e-6 * (2 * random() - 1) AS e
		      FROM suspect s WHERE random() < 0.6) x$q$, run);
	EXECUTE format($q$
		INSERT INTO %I
		SELECT 'D' || t.suspect_id, adduct_mz(t.formula, '[M+H]+') * e, 1 + 19 * random(), 1e5,
		       noisy(shifted(isotope_pattern(o.formula, '[M+H]+'), adduct_mz(t.formula, '[M+H]+') * e / adduct_mz(o.formula, '[M+H]+')), 0.1),
		       CASE WHEN random() < 0.5 THEN o.ms2 END, NULL, NULL
		FROM (SELECT s.*, 1 + 5e-6 * (2 * random() - 1) AS e, 1 + floor(random() * (SELECT count(*) FROM suspect))::int AS other
		      FROM suspect s WHERE random() < 0.4) t JOIN suspect o ON o.suspect_id = t.other AND o.formula <> t.formula$q$, run);
	EXECUTE format($q$
		INSERT INTO %I SELECT 'R' || g, 100 + 700 * random(), 1 + 19 * random(), 1e5,
		       isotope_pattern('C' || (5 + g %% 20) || 'H' || (8 + g %% 25) || 'NO' || (1 + g %% 5), '[M+H]+'), NULL, NULL, NULL
		FROM generate_series(1, 200) g$q$, run);
END $$;
SELECT make_run('calibration_run', 0.11), make_run('sample_run', 0.42);
SELECT 'calibration_run' AS run, count(*) AS features, count(true_suspect) AS true_features FROM calibration_run
UNION ALL SELECT 'sample_run', count(*), count(true_suspect) FROM sample_run;

\echo 'Screening the calibration run (5 ppm, the common positive adducts of chemeco.adduct):'
CREATE TABLE calibration AS
SELECT c.*, coalesce(f.true_suspect::text = c.suspect_id AND f.true_adduct = c.adduct, false) AS is_true
FROM screen('SELECT feature_id, mz, rt, intensity, ms1, ms2 FROM calibration_run',
            'SELECT suspect_id, name, formula, rt, ms2 FROM suspect') c
JOIN calibration_run f USING (feature_id);
SELECT level, count(*) FILTER (WHERE is_true) AS true_candidates, count(*) FILTER (WHERE NOT is_true) AS false_candidates
FROM calibration GROUP BY level ORDER BY level;

\echo 'A logistic confidence model from the calibration candidates (25% held out):'
SELECT train('screen_confidence', 'logistic',
             'SELECT abs(mz_error_ppm) AS abs_mz_error_ppm, abs(rt_error) AS abs_rt_error, isotope_score, ms2_score, is_true
              FROM calibration', 'is_true') AS version;
SELECT round((metrics ->> 'roc_auc')::numeric, 3) AS holdout_roc_auc, round((metrics ->> 'log_loss')::numeric, 3) AS log_loss,
       round((metrics ->> 'brier')::numeric, 3) AS brier,
       (SELECT jsonb_object_agg(f ->> 'name', round(c::numeric, 3))
        FROM jsonb_array_elements(document -> 'features') WITH ORDINALITY a(f, k)
        JOIN jsonb_array_elements_text(document -> 'linear' -> 'coefficients') WITH ORDINALITY b(c, j) ON j = k) AS coefficients
FROM model WHERE name = 'screen_confidence';

\echo 'The sample run, screened with the model: the best candidates first'
CREATE TABLE result AS
SELECT c.*, s.name, coalesce(f.true_suspect::text = c.suspect_id AND f.true_adduct = c.adduct, false) AS is_true
FROM screen('SELECT feature_id, mz, rt, intensity, ms1, ms2 FROM sample_run',
            'SELECT suspect_id, name, formula, rt, ms2 FROM suspect', model => 'screen_confidence') c
JOIN sample_run f USING (feature_id) JOIN suspect s ON s.suspect_id::text = c.suspect_id;
SELECT feature_id, left(name, 28) AS suspect, adduct, round(mz::numeric, 4) AS mz, round(mz_error_ppm::numeric, 1) AS ppm,
       round(rt_error::numeric, 2) AS rt_err, round(isotope_score::numeric, 2) AS iso, round(ms2_score::numeric, 2) AS ms2,
       level, round(probability::numeric, 3) AS p
FROM result ORDER BY probability DESC, feature_id LIMIT 8;
\echo '... and the weakest level-4 candidates (decoys among them):'
SELECT feature_id, left(name, 28) AS suspect, adduct, round(mz_error_ppm::numeric, 1) AS ppm,
       round(rt_error::numeric, 2) AS rt_err, round(isotope_score::numeric, 2) AS iso, level,
       round(probability::numeric, 3) AS p, is_true
FROM result WHERE level = '4' ORDER BY probability, feature_id LIMIT 5;

\echo 'How well it worked on the sample run:'
SELECT (SELECT count(*) FROM sample_run WHERE true_suspect IS NOT NULL) AS present,
       count(*) FILTER (WHERE is_true AND level IN ('2a', '3', '4')) AS found_at_level_4_or_better,
       count(*) FILTER (WHERE NOT is_true) AS false_candidates,
       round(avg((NOT is_true)::int)::numeric, 3) AS false_candidate_rate,
       round(avg((NOT is_true)::int) FILTER (WHERE probability >= 0.5)::numeric, 3) AS false_rate_p_over_half,
       round((SELECT avg(CASE WHEN a.probability > b.probability THEN 1 WHEN a.probability = b.probability THEN 0.5 ELSE 0 END)
              FROM result a, result b WHERE a.is_true AND NOT b.is_true)::numeric, 3) AS roc_auc
FROM result;
