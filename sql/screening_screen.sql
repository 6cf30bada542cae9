-- chemeco.screen: hand-checked candidates, adduct defaults and lists, retention time window,
-- levels, read-only enforcement of both queries, and bad input.
SET search_path = public, chemeco;
CREATE TABLE suspects (id int, name text, formula text, rt float8, ms2 spectrum);
INSERT INTO suspects VALUES
	(1, 'caffeine', 'C8H10N4O2', 5.0, '110.071:20 138.066:100'),
	(2, 'atrazine', 'C8H14ClN5', 10, NULL),
	(3, 'no formula', NULL, NULL, NULL),
	(4, 'water', 'H2O', NULL, NULL);
CREATE TABLE features (id int, mz float8, rt float8, intensity float8, ms1 spectrum, ms2 spectrum);
-- caffeine [M+H]+ 195.087652 (hand: 8 x 12 + 10 x 1.00782503 + 4 x 14.00307401 + 2 x 15.99491462
-- + 1.00782503 - 0.00054858); 195.0877 is +0.246 ppm.  Atrazine [M+H]+ 216.101049 (216.1010: -0.23 ppm).
INSERT INTO features VALUES
	(10, 195.0877, 5.1, 1e5, isotope_pattern('C8H10N4O2', '[M+H]+'), '110.071:25 138.066:90'),
	(11, 216.1010, 10.2, 1e4, NULL, NULL),
	(12, 300, 1, 1, NULL, NULL),
	(13, 217.0830, 5.0, 1e4, NULL, NULL);

-- default: the common positive adducts of chemeco.adduct.  Feature 13 (217.0830) is 61.7 ppm from
-- caffeine [M+Na]+ (217.069596): no candidate at 5 ppm
SELECT feature_id, suspect_id, adduct, round(mz::numeric, 6) AS mz, round(mz_error_ppm::numeric, 3) AS ppm,
       round(rt_error::numeric, 2) AS rt_error, round(isotope_score::numeric, 3) AS isotope,
       round(ms2_score::numeric, 3) AS ms2, level, probability
FROM screen('SELECT * FROM features', 'SELECT * FROM suspects') ORDER BY feature_id, suspect_id;
-- the same against the plain SQL of the docs
SELECT f.id, s.id, a.adduct, round(adduct_mz(s.formula, a.adduct)::numeric, 6) AS mz,
       round(ppm_error(f.mz, adduct_mz(s.formula, a.adduct))::numeric, 3) AS ppm
FROM features f, suspects s, chemeco.adduct a
WHERE a.common AND a.ion_mode = 'positive' AND s.formula IS NOT NULL
  AND abs(ppm_error(f.mz, adduct_mz(s.formula, a.adduct))) <= 5 ORDER BY 1, 2;
-- a 100 ppm window finds it
SELECT feature_id, suspect_id, adduct, round(mz_error_ppm::numeric, 1) AS ppm, level
FROM screen('SELECT * FROM features WHERE id = 13', 'SELECT * FROM suspects', ppm => 100);
-- an explicit adduct list (an adduct that cannot apply, [M-H2O+H]+ of a formula without enough O, is skipped)
SELECT feature_id, suspect_id, adduct FROM screen('SELECT * FROM features', 'SELECT * FROM suspects',
	ARRAY['[M+Na]+', '[M-2H2O+H]+', '[M+H]+']) ORDER BY 1, 2;
-- negative mode: the common negative adducts, none of which matches these features
SELECT count(*) FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ion_mode => 'negative');
-- the retention time window drops atrazine (0.2 min off) at 0.15 min, keeps caffeine (0.1)
SELECT feature_id, suspect_id FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', rt_window => 0.15);
-- levels: without MS/MS caffeine is level 4 (its own isotope pattern scores 1 >= 0.5) ...
SELECT level FROM screen('SELECT id, mz, rt, intensity, ms1, NULL::spectrum FROM features WHERE id = 10',
	'SELECT * FROM suspects');
-- ... and level 5 with a cluster whose M+1 is 40% of M (caffeine's is 10.5%)
SELECT round(isotope_score::numeric, 3) AS isotope, level
FROM screen('SELECT id, mz, rt, intensity, ''195.0877:100 196.0907:40''::spectrum, NULL::spectrum FROM features WHERE id = 10',
	'SELECT * FROM suspects');
-- ... an MS/MS match below ms2_match is level 3
SELECT level FROM screen('SELECT * FROM features WHERE id = 10', 'SELECT * FROM suspects', ms2_match => 1);
-- two suspects with the same formula and matching MS/MS are ambiguous: level 3 for both
SELECT suspect_id, level FROM screen('SELECT * FROM features WHERE id = 10',
	'SELECT id, name, formula, rt, ms2 FROM suspects UNION ALL SELECT 5, ''caffeine twin'', ''C8H10N4O2'', 5, ''110.071:20 138.066:100''')
ORDER BY 1;
-- ids of any type come back as text; rt and the spectra may be NULL
SELECT feature_id, suspect_id, rt_error, isotope_score, ms2_score, level
FROM screen('SELECT ''f'' || id, mz, NULL::float8, intensity, NULL::spectrum, NULL::spectrum FROM features WHERE id = 11',
	'SELECT name, name, formula, NULL::numeric, NULL::spectrum FROM suspects');

-- read-only: data-modifying queries are refused before they run ...
\set VERBOSITY terse
SELECT * FROM screen('DELETE FROM features RETURNING *', 'SELECT * FROM suspects');
SELECT * FROM screen('SELECT * FROM features', 'WITH d AS (DELETE FROM suspects RETURNING *) SELECT * FROM d');
SELECT * FROM screen('SELECT * FROM features FOR UPDATE', 'SELECT * FROM suspects');
SELECT * FROM screen('SELECT * FROM features', 'SELECT * INTO copy FROM suspects');
SELECT * FROM screen('SELECT * FROM features; SELECT * FROM features', 'SELECT * FROM suspects');
-- ... and a function that writes, called by a query, fails in the read-only state
CREATE FUNCTION sneaky() RETURNS float8 LANGUAGE plpgsql AS $$ BEGIN DELETE FROM suspects; RETURN 1; END $$;
SELECT * FROM screen('SELECT id, mz * sneaky(), rt, intensity, ms1, ms2 FROM features', 'SELECT * FROM suspects');
SELECT count(*) AS suspects_left FROM suspects;
-- the transaction is writable again afterwards
BEGIN;
SELECT count(*) FROM screen('SELECT * FROM features', 'SELECT * FROM suspects');
INSERT INTO features (id) VALUES (99);
ROLLBACK;
-- the queries run with the caller's rights
CREATE ROLE regress_screen_stranger;
GRANT USAGE ON SCHEMA chemeco TO regress_screen_stranger;
SET ROLE regress_screen_stranger;
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects');
RESET ROLE;

-- bad input
SELECT * FROM screen('SELECT id, ''NaN''::float8, rt, intensity, ms1, ms2 FROM features', 'SELECT * FROM suspects');
SELECT * FROM screen('SELECT id, NULL::float8, rt, intensity, ms1, ms2 FROM features', 'SELECT * FROM suspects');
SELECT * FROM screen('SELECT id, mz, rt, intensity, NULL, ms2 FROM features', 'SELECT * FROM suspects');
SELECT * FROM screen('SELECT id, mz FROM features', 'SELECT * FROM suspects');
SELECT * FROM screen('SELECT * FROM features', 'SELECT id, name, ''C8H10N4O2(('', rt, ms2 FROM suspects');
SELECT * FROM screen('SELECT * FROM features', 'SELECT id, name, ''C100000'', rt, ms2 FROM suspects');
SELECT * FROM screen('SELECT * FROM features', 'SELECT id, name, ''Xx2'', rt, ms2 FROM suspects');
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ppm => 0);
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ppm => -1);
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ppm => 'NaN');
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ppm => NULL);
SELECT * FROM screen(NULL, 'SELECT * FROM suspects');
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ARRAY['[M+Xx]+']);
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ARRAY['[M+H]+', NULL]);
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ARRAY[]::text[]);
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ion_mode => 'both');
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', rt_window => -1);
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', ms2_match => 0.2, ms2_evidence => 0.3);
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', isotope_threshold => 2);
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', model => 'no such model');
-- a model whose inputs screen cannot provide
SELECT model_import('screen_odd', 'chemeco-json', '{"format": "chemeco-json", "algorithm": "logistic", "link": "logistic",
	"features": [{"name": "colour", "type": "numeric"}], "linear": {"intercept": 0, "coefficients": [1], "column_means": [0]}}');
SELECT * FROM screen('SELECT * FROM features', 'SELECT * FROM suspects', model => 'screen_odd');
DROP TABLE suspects, features;
DROP FUNCTION sneaky();
REVOKE USAGE ON SCHEMA chemeco FROM regress_screen_stranger;
DROP ROLE regress_screen_stranger;
