-- Screening chemistry: formulas, adducts, isotope patterns, scores.
-- Expected values are hand-checked: caffeine C8H10N4O2 194.080376 and its
-- [M+H]+ 195.087652 (issue 13; 8*12 + 10*1.00782503 + 4*14.00307401 +
-- 2*15.99491462, then + 1.00782503 - 0.00054858); other ions as
-- (n*M + added - removed - z*0.00054858) / |z| from the same isotope masses.
SET search_path = public, chemeco;
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- peaks rounded to 6 decimals (m/z) and 7 (intensity)
CREATE FUNCTION pg_temp.show(s chemeco.spectrum) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(round(m::numeric, 6) || ':' || round(i::numeric, 7), ' ')
	FROM unnest(chemeco.mz(s), chemeco.intensities(s)) AS p(m, i) $$;

-- masses
SELECT f, round(formula_mass(f)::numeric, 6) AS mono, round(formula_mass(f, false)::numeric, 4) AS average
FROM unnest(ARRAY['C8H10N4O2', 'H2O', 'Ca(OH)2', 'HC(CH3)3', '[13C]2C4H12', 'CD3OD', 'C5H14NO+', 'C2O4 2-',
				  'SO4-2', 'C6Cl6', 'Fe2(SO4)3', 'K4[Fe(CN)6]'::text]) AS f;
-- canonical forms
SELECT f, formula_hill(f), formula_elements(f)
FROM unnest(ARRAY['C8H10N4O2', 'O2N4H10C8', 'CH3CH2OH', 'OC(H)3[13C]', 'CD3OD', 'NaCl', 'H2SO4', 'OH2',
				  'C(C(C)2)2', 'C5H14NO+', 'SO4--', 'C2O4 2-', ' C8 H10 ', 'C0H2O'::text]) AS f;
SELECT formula_hill(formula_hill(f)) = formula_hill(f) AS hill_reads_back
FROM unnest(ARRAY['[13C]2C4H12', 'C5H14NO+', 'SO4-2', 'D2O'::text]) AS f;

-- adducts: every form of the issue, then combinations
SELECT a, adduct_charge(a) AS z, round(adduct_mz('C8H10N4O2', a)::numeric, 6) AS mz
FROM unnest(ARRAY['[M+H]+', '[M+Na]+', '[M+NH4]+', '[M+K]+', '[M-H]-', '[M+Cl]-', '[M+HCOO]-',
				  '[M+CH3COO]-', '[M-H2O+H]+', '[2M+H]+', '[M+2H]2+', '[M]+', '[M]-',
				  '[M+H-H2O]+', '[2M+Na]+', '[3M-H]-', '[M+2Na-H]+', '[M-H2O-H]-', '[M+H+NH4]2+',
				  '[M+ACN+H]+', '[M+Hac-H]-', '[M+FA-H]-', '[M+TFA-H]-', '[M+DMSO+H]+',
				  '[M+IsoProp+H]+', '[M+MeOH+H]+', '[M+EtOH+H]+', '[M+(CH3)2CO+H]+', '[M+[13C]H3+H]+',
				  '[M+3H]3+', '[M-2H]2-', '[M+H]++', '[M+2H]+2', ' [ M + H ] + '::text]) AS a;
-- a permanently charged formula under [M]+: the formula's own charge is not counted twice
SELECT round(adduct_mz('C5H14NO+', '[M]+')::numeric, 6) AS choline, round(formula_mass('C5H14NO+')::numeric, 6);
-- the catalogue
SELECT ion_mode, count(*), count(*) FILTER (WHERE common) AS common, min(charge), max(charge)
FROM adduct GROUP BY ion_mode ORDER BY ion_mode;
SELECT adduct FROM adduct WHERE common ORDER BY charge DESC, adduct;
SELECT pg_temp.error_of($$INSERT INTO adduct (adduct) VALUES ('[M+Zz]+')$$);
INSERT INTO adduct (adduct) VALUES ('[M+C2H5OH+Na]+') RETURNING *;

-- isotope patterns
SELECT pg_temp.show(isotope_pattern('C8H10N4O2', '[M+H]+'));
SELECT pg_temp.show(isotope_pattern('C8H10N4O2', '[M+H]+', merge_mz => 0.5));
SELECT pg_temp.show(isotope_pattern('C2H6Cl2', merge_mz => 0.5));
SELECT pg_temp.show(isotope_pattern('C8H10N4O2', '[M+2H]2+', merge_mz => 0.25));
SELECT npeaks(isotope_pattern('C8H10N4O2', '[M+H]+', 0, 0)) AS fine, npeaks(isotope_pattern('C8H10N4O2', '[M+H]+', 0)) AS fine_cut,
	   round((SELECT sum(i) FROM unnest(intensities(isotope_pattern('C8H10N4O2', '[M+H]+', 0, 0))) i)::numeric, 9) AS total;
SELECT pg_temp.show(isotope_pattern('[13C]6H6', merge_mz => 0.5)), isotope_pattern(NULL);
SELECT pg_temp.error_of($$SELECT isotope_pattern('Os200Hg200', merge_mz => 0)$$);

-- isotope score
WITH t AS (SELECT isotope_pattern('C8H10N4O2', '[M+H]+', 0.5) AS p)
SELECT round(isotope_score(p, p)::numeric, 6) AS same,
	   round(isotope_score(spectrum(ARRAY(SELECT m * (1 + 2e-6) FROM unnest(mz(p)) m), intensities(p)), p)::numeric, 6) AS shift_2ppm,
	   round(isotope_score(spectrum(mz(p), ARRAY(SELECT i * CASE WHEN o = 2 THEN 1.2 ELSE 1 END
												 FROM unnest(intensities(p)) WITH ORDINALITY x(i, o))), p)::numeric, 6) AS m1_20pct_high,
	   round(isotope_score(spectrum((mz(p))[1:1], (intensities(p))[1:1]), p)::numeric, 6) AS only_m0,
	   round(isotope_score(spectrum(ARRAY(SELECT m * 1e3 FROM unnest(mz(p)) m), intensities(p)), p)::numeric, 6) AS unrelated,
	   round(isotope_score('', p)::numeric, 6) AS empty_observed,
	   round(isotope_score(isotope_pattern('C8H10N4O2', '[M+H]+', 0.5), isotope_pattern('C9H10N2O3', '[M+H]+', 0.5), ppm => 100)::numeric, 6) AS isobar_c9h10n2o3_100ppm
FROM t;
SELECT ppm_error(195.0880, 195.087652) AS ppm, ppm_error(100, 100) AS zero;

-- bad input: each a clear SQLSTATE
SELECT q, pg_temp.error_of(q) FROM unnest(ARRAY[
	$$SELECT formula_mass('')$$, $$SELECT formula_mass('   ')$$, $$SELECT formula_mass('C0')$$,
	$$SELECT formula_mass('C100000')$$, $$SELECT formula_mass('C99999999999999999999999')$$,
	$$SELECT formula_mass('(C1000)20')$$, $$SELECT formula_mass('C8H10Xx4O2')$$, $$SELECT formula_mass('c8h10')$$,
	$$SELECT formula_mass('C8H10N4O2)')$$, $$SELECT formula_mass('Ca(OH2')$$, $$SELECT formula_mass('Ca()2')$$,
	$$SELECT formula_mass('[13C')$$, $$SELECT formula_mass('[C]')$$, $$SELECT formula_mass('[14C]')$$,
	$$SELECT formula_mass('[13X]')$$, $$SELECT formula_mass('C8+H')$$, $$SELECT formula_mass('C8 2')$$,
	$$SELECT formula_mass('C8+0')$$, $$SELECT formula_mass('C8+1000')$$, $$SELECT formula_mass('C8H10.H2O')$$,
	$$SELECT formula_mass('Tc')$$, $$SELECT formula_mass('((((((((((((((((((C))))))))))))))))))')$$,
	$$SELECT formula_mass(repeat('C', 5000))$$,
	$$SELECT adduct_mz('C8H10N4O2', '')$$, $$SELECT adduct_mz('C8H10N4O2', 'M+H')$$,
	$$SELECT adduct_mz('C8H10N4O2', '[M+H]')$$, $$SELECT adduct_mz('C8H10N4O2', '[M+H]0')$$,
	$$SELECT adduct_mz('C8H10N4O2', '[M+Zz]+')$$, $$SELECT adduct_mz('C8H10N4O2', '[M+]+')$$,
	$$SELECT adduct_mz('C8H10N4O2', '[X+H]+')$$, $$SELECT adduct_mz('C8H10N4O2', '[0M+H]+')$$,
	$$SELECT adduct_mz('C8H10N4O2', '[11M+H]+')$$, $$SELECT adduct_mz('C8H10N4O2', '[M+H]+ x')$$,
	$$SELECT adduct_mz('C8H10N4O2', '[M+H+]+')$$, $$SELECT adduct_mz('C8H10N4O2', '[M+H+2]+')$$,
	$$SELECT adduct_mz('H2O', '[M-2H2O+H]+')$$, $$SELECT adduct_mz('C8H10N4O2', '[M-C8H10N4O2]+')$$,
	$$SELECT adduct_mz('Xx', '[M+H]+')$$,
	$$SELECT isotope_pattern('C8H10N4O2', '[M+H]+', -1)$$, $$SELECT isotope_pattern('C8H10N4O2', '[M+H]+', 'NaN')$$,
	$$SELECT isotope_pattern('C8H10N4O2', '[M+H]+', 0.005, 2)$$, $$SELECT isotope_pattern('C8H10N4O2', '[M+H]+', NULL)$$,
	$$SELECT isotope_pattern('C8H10N4O2', '[M+H]+', 0.005, NULL)$$,
	$$SELECT isotope_score(NULL, isotope_pattern('C'))$$, $$SELECT isotope_score(isotope_pattern('C'), NULL)$$,
	$$SELECT isotope_score(isotope_pattern('C'), isotope_pattern('C'), 0)$$,
	$$SELECT isotope_score(isotope_pattern('C'), isotope_pattern('C'), -5)$$,
	$$SELECT isotope_score(isotope_pattern('C'), isotope_pattern('C'), 'NaN')$$,
	$$SELECT isotope_score(isotope_pattern('C'), isotope_pattern('C'), NULL)$$,
	$$SELECT isotope_score(isotope_pattern('C'), isotope_pattern('C'), 5, 0)$$,
	$$SELECT isotope_score(isotope_pattern('C'), '')$$,
	$$SELECT ppm_error('NaN', 100)$$, $$SELECT ppm_error(100, 'NaN')$$, $$SELECT ppm_error(100, 0)$$,
	$$SELECT ppm_error(-1, 100)$$, $$SELECT ppm_error('Infinity', 100)$$]) AS q;
