-- Similarity functions against independent reference values on real spectra.
-- test/data/spectra_sample.csv: 30 MassBank LC-MS/MS spectra (licence in
-- test/data/LICENSES.md); test/data/*_reference.csv: numpy implementation of
-- the published definitions, test/reference/spectral_similarity.py.
SET search_path = chemeco, public;

CREATE TEMP TABLE sample (id int, accession text, name text, inchikey text, precursor_mz float8, spectrum spectrum);
\copy sample FROM 'test/data/spectra_sample.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE ref (a int, b int, cosine float8, cosine_matches int, cosine_mz1_tol002 float8,
	modified_cosine float8, entropy float8, entropy_unweighted float8, entropy_raw float8, entropy_tol005 float8,
	modified_cosine_matches int, cosine_ppm20 float8, cosine_ppm20_matches int, entropy_ppm10 float8,
	modified_cosine_ppm20 float8);
\copy ref FROM 'test/data/similarity_reference.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE clean_ref (id int, spectral_entropy float8, clean_npeaks int, clean_entropy float8,
	clean_max_npeaks int, clean_max_sum float8, clean_ppm_npeaks int, clean_ppm_entropy float8,
	clean_top_npeaks int, clean_top_mz_sum float8);
\copy clean_ref FROM 'test/data/clean_reference.csv' WITH (FORMAT csv, HEADER)

SELECT count(*) AS spectra, sum(npeaks(spectrum)) AS peaks FROM sample;

CREATE TEMP TABLE ours AS
SELECT r.*,
	cosine(x.spectrum, y.spectrum) AS c_cosine,
	cosine_matches(x.spectrum, y.spectrum) AS c_matches,
	cosine(x.spectrum, y.spectrum, 0.02, 1, 0.5) AS c_cosine_mz1,
	modified_cosine(x.spectrum, y.spectrum, x.precursor_mz, y.precursor_mz) AS c_modified,
	entropy_similarity(x.spectrum, y.spectrum) AS c_entropy,
	entropy_similarity(x.spectrum, y.spectrum, weighted => false) AS c_unweighted,
	entropy_similarity(x.spectrum, y.spectrum, weighted => false, clean => false) AS c_raw,
	entropy_similarity(x.spectrum, y.spectrum, 0.05) AS c_tol005,
	modified_cosine_matches(x.spectrum, y.spectrum, x.precursor_mz, y.precursor_mz) AS c_modified_matches,
	cosine(x.spectrum, y.spectrum, 20, tolerance_unit => 'ppm') AS c_cosine_ppm,
	cosine_matches(x.spectrum, y.spectrum, 20, tolerance_unit => 'ppm') AS c_cosine_ppm_matches,
	entropy_similarity(x.spectrum, y.spectrum, 10, tolerance_unit => 'ppm') AS c_entropy_ppm,
	modified_cosine(x.spectrum, y.spectrum, x.precursor_mz, y.precursor_mz, 20, tolerance_unit => 'ppm') AS c_modified_ppm
FROM ref r JOIN sample x ON x.id = r.a JOIN sample y ON y.id = r.b;

-- every pair within 1e-6 of the reference (expected: all counts equal the pair count)
SELECT count(*) AS pairs,
	count(*) FILTER (WHERE abs(c_cosine - cosine) <= 1e-6) AS cosine_ok,
	count(*) FILTER (WHERE c_matches = cosine_matches) AS matches_ok,
	count(*) FILTER (WHERE abs(c_cosine_mz1 - cosine_mz1_tol002) <= 1e-6) AS cosine_powers_ok,
	count(*) FILTER (WHERE abs(c_modified - modified_cosine) <= 1e-6) AS modified_ok,
	count(*) FILTER (WHERE abs(c_entropy - entropy) <= 1e-6) AS entropy_ok,
	count(*) FILTER (WHERE abs(c_unweighted - entropy_unweighted) <= 1e-6) AS unweighted_ok,
	count(*) FILTER (WHERE abs(c_raw - entropy_raw) <= 1e-6) AS raw_ok,
	count(*) FILTER (WHERE abs(c_tol005 - entropy_tol005) <= 1e-6) AS tol005_ok
FROM ours;
-- matchms' match count of the modified cosine; tolerances in ppm (test/reference: |a - b| <= a * ppm * 1e-6)
SELECT count(*) AS pairs,
	count(*) FILTER (WHERE c_modified_matches = modified_cosine_matches) AS modified_matches_ok,
	count(*) FILTER (WHERE abs(c_cosine_ppm - cosine_ppm20) <= 1e-6) AS cosine_ppm_ok,
	count(*) FILTER (WHERE c_cosine_ppm_matches = cosine_ppm20_matches) AS cosine_ppm_matches_ok,
	count(*) FILTER (WHERE abs(c_entropy_ppm - entropy_ppm10) <= 1e-6) AS entropy_ppm_ok,
	count(*) FILTER (WHERE abs(c_modified_ppm - modified_cosine_ppm20) <= 1e-6) AS modified_ppm_ok,
	count(*) FILTER (WHERE cosine_ppm20 <> cosine) AS ppm_differs_from_da
FROM ours;

-- the reference is not trivial: many pairs share peaks, some score high
SELECT count(*) FILTER (WHERE cosine > 0 AND a <> b) AS nonzero_cosine_pairs,
	count(*) FILTER (WHERE entropy > 0.5 AND a <> b) AS entropy_above_half,
	count(*) FILTER (WHERE modified_cosine > cosine + 1e-9) AS modified_gains
FROM ref;

-- symmetry of the greedy scores on real data
SELECT count(*) AS asymmetric
FROM sample x, sample y
WHERE abs(cosine(x.spectrum, y.spectrum) - cosine(y.spectrum, x.spectrum)) > 1e-12
   OR abs(entropy_similarity(x.spectrum, y.spectrum) - entropy_similarity(y.spectrum, x.spectrum)) > 1e-12;

-- cleaning and spectral entropy
SELECT count(*) AS spectra,
	count(*) FILTER (WHERE abs(spectral_entropy(s.spectrum) - c.spectral_entropy) <= 1e-9) AS entropy_ok,
	count(*) FILTER (WHERE npeaks(clean(s.spectrum)) = c.clean_npeaks) AS clean_npeaks_ok,
	count(*) FILTER (WHERE abs(spectral_entropy(clean(s.spectrum)) - c.clean_entropy) <= 1e-9) AS clean_entropy_ok,
	count(*) FILTER (WHERE npeaks(clean(s.spectrum, 0.05, 0.05, s.precursor_mz - 1.6, 'max')) = c.clean_max_npeaks) AS precursor_cut_ok,
	count(*) FILTER (WHERE abs((SELECT coalesce(sum(v), 0) FROM unnest(intensities(clean(s.spectrum, 0.05, 0.05, s.precursor_mz - 1.6, 'max'))) v)
	                          - c.clean_max_sum) <= 1e-9) AS max_norm_ok
FROM sample s JOIN clean_ref c USING (id);
-- clean with a ppm merge tolerance, min_mz, max_peak_num and the anchor's precursor removal
SELECT count(*) AS spectra,
	count(*) FILTER (WHERE npeaks(clean(s.spectrum, merge_tolerance => 200, merge_tolerance_unit => 'ppm')) = c.clean_ppm_npeaks) AS ppm_npeaks_ok,
	count(*) FILTER (WHERE abs(spectral_entropy(clean(s.spectrum, merge_tolerance => 200, merge_tolerance_unit => 'ppm')) - c.clean_ppm_entropy) <= 1e-9) AS ppm_entropy_ok,
	count(*) FILTER (WHERE npeaks(clean(s.spectrum, 0, "normalize" => 'none', min_mz => 60, max_peak_num => 5, precursor_mz => s.precursor_mz)) = c.clean_top_npeaks) AS top_npeaks_ok,
	count(*) FILTER (WHERE abs((SELECT coalesce(sum(v), 0) FROM unnest(mz(clean(s.spectrum, 0, "normalize" => 'none', min_mz => 60, max_peak_num => 5, precursor_mz => s.precursor_mz))) v)
	                          - c.clean_top_mz_sum) <= 1e-9) AS top_mz_ok
FROM sample s JOIN clean_ref c USING (id);
SELECT count(*) FILTER (WHERE clean_npeaks < npeaks(spectrum)) AS spectra_changed_by_clean
FROM sample JOIN clean_ref USING (id);

-- identification by eye: the best entropy match of a compound is mostly its other-lab spectrum
SELECT x.name, x.accession, y.name AS best_match, y.accession AS best_accession, round(entropy_similarity(x.spectrum, y.spectrum)::numeric, 4) AS entropy
FROM sample x CROSS JOIN LATERAL (
	SELECT y.* FROM sample y WHERE y.id <> x.id
	ORDER BY entropy_similarity(x.spectrum, y.spectrum) DESC, y.id LIMIT 1) y
WHERE x.name IN ('Valsartan', 'Oxazepam', 'Metoprolol', 'Irgarol')
ORDER BY x.accession;

-- edge cases
SELECT cosine('100:1', '100.1:1') AS at_tolerance_rounded,
	cosine('100:1', '100.5:1', 0.5) AS at_exact_tolerance,
	cosine('100:1', '100.5:1', 0.4999) AS beyond_tolerance,
	entropy_similarity('100:1', '100.02:1', 0.02, clean => false) AS entropy_at_tolerance,
	entropy_similarity('100:1', '100.0201:1', 0.02, clean => false) AS entropy_beyond;
SELECT cosine('100:5', '100:5') AS one_peak_identical, cosine('100:5', '200:5') AS one_peak_disjoint,
	entropy_similarity('100:5', '100:2') AS one_peak_scaled, cosine('100:0', '100:0') AS zero_intensity;

-- matchms 0.33.0 ModifiedCosineGreedy: precursors 500 and 501 at tolerance 1.0
-- differ by no more than the tolerance, so it is plain CosineGreedy: pairs
-- (100,100) and (101,101), score (1 + 0.81) / (1 + 0.81 + 0.64) = 0.738775...
-- (matchms tests/similarity/test_modified_cosine_greedy.py; the older
-- algorithm also paired 102 with 104 - 1 and gave 1.0)
SELECT round(modified_cosine('100:1 101:0.9 102:0.8', '100:1 101:0.9 104:0.8', 500, 501, 1.0)::numeric, 4) AS mc_500_501,
	modified_cosine_matches('100:1 101:0.9 102:0.8', '100:1 101:0.9 104:0.8', 500, 501, 1.0) AS mc_matches,
	round(cosine('100:1 101:0.9 102:0.8', '100:1 101:0.9 104:0.8', 1.0)::numeric, 4) AS cosine,
	round(modified_cosine('100:1 101:0.9 102:0.8', '100:1 101:0.9 104:0.8', 500, 502, 1.0)::numeric, 4) AS mc_500_502,
	modified_cosine_matches('100:1 101:0.9 102:0.8', '100:1 101:0.9 104:0.8', 500, 502, 1.0) AS mc_matches_502;
-- the shift is compared with the tolerance in ppm of precursor_a: 2000 ppm of 500 is 1.0 Da
SELECT round(modified_cosine('100:1 101:0.9 102:0.8', '100:1 101:0.9 104:0.8', 500, 501, 2000, tolerance_unit => 'ppm')::numeric, 4) AS mc_ppm;

-- match counts are 0 whenever the score is forced to 0 (no weight at all)
SELECT cosine('100:0 200:0', '100:0 200:0') AS zero_score, cosine_matches('100:0 200:0', '100:0 200:0') AS zero_matches,
	modified_cosine_matches('100:0 200:0', '100:0 200:0', 300, 310) AS modified_zero_matches,
	cosine_matches('100:1 200:0', '100:1 200:0') AS zero_peak_pairs_still_count;

-- ppm tolerance: 10 ppm of 1000 is 0.01 Da, of 100 it is 0.001 Da
SELECT cosine('1000:1', '1000.01:1', 10, tolerance_unit => 'ppm') AS at_10ppm,
	cosine('1000:1', '1000.0101:1', 10, tolerance_unit => 'ppm') AS beyond_10ppm,
	cosine('100:1', '100.002:1', 10, tolerance_unit => 'ppm') AS small_mz_beyond,
	entropy_similarity('1000:1', '1000.01:1', 10, clean => false, tolerance_unit => 'ppm') AS entropy_at_10ppm,
	entropy_similarity('1000:1', '1000.02:1', 10, clean => false, tolerance_unit => 'PPM') AS entropy_beyond;
-- existing calls give what they gave: the Da unit is the default
SELECT count(*) AS unchanged
FROM sample x, sample y
WHERE x.id <= 5 AND y.id <= 5
  AND cosine(x.spectrum, y.spectrum) = cosine(x.spectrum, y.spectrum, 0.1, 0, 1, 'Da')
  AND entropy_similarity(x.spectrum, y.spectrum) = entropy_similarity(x.spectrum, y.spectrum, 0.02, true, true, 'da');
\set VERBOSITY sqlstate
SELECT cosine('100:1', '100:1', 0.1, tolerance_unit => 'mDa');
SELECT clean('100:1', max_peak_num => 0);
SELECT clean('100:1', min_mz => -1);
\set VERBOSITY default
SELECT cosine('100:1', '100:1', 0.1, tolerance_unit => 'mDa');
-- clean: min_mz keeps m/z >= min_mz; max_peak_num keeps the most intense (ties: higher m/z);
-- precursor removal drops m/z >= precursor_mz - precursor_removal (FlashEntropySearch: 1.6 Da)
SELECT clean('50:1 60:2 70:3', min_mz => 60, "normalize" => 'none') AS min_mz,
	clean('50:3 60:1 70:3 80:2', max_peak_num => 2, "normalize" => 'none') AS top_two,
	clean('100:1 298.4:1 298.5:1 300:5', precursor_mz => 300, "normalize" => 'none') AS precursor_removed,
	clean('100:1 299:1 300:5', precursor_mz => 300, precursor_removal => 0.5, max_mz => 200, "normalize" => 'none') AS lower_cut_wins,
	clean('100:1', precursor_mz => 1, "normalize" => 'none') AS nothing_left;
-- ppm merging: 100 ppm of 1000.1 is 0.10001 Da, so 1000 and 1000.1 merge; 100 and 100.1 do not
SELECT clean('100:1 100.1:1 1000:1 1000.1:1', merge_tolerance => 100, merge_tolerance_unit => 'ppm', "normalize" => 'none') AS ppm_merge;

-- extreme but finite magnitudes (issue 15.3): s = spectrum('{100,200}', ARRAY[v, v]) is
-- identical to itself at every v: cosine 1, entropy similarity 1, distance 0, entropy ln 2
-- (scores rounded to 12 digits: the last bits are rounding)
SELECT v, round(cosine(s, s)::numeric, 12) AS cosine, round(modified_cosine(s, s, 300, 300)::numeric, 12) AS modified,
	round(cosine(s, s, mz_power => 200)::numeric, 12) AS mz_power_200,
	round(cosine(s, s, intensity_power => 1e308)::numeric, 12) AS intensity_power_1e308, entropy_similarity(s, s) AS entropy,
	s <~> s AS distance, spectral_entropy(s) = ln(2) AS entropy_ln2, clean(s) AS clean, clean(s, "normalize" => 'max') AS clean_max
FROM (VALUES (1e308::float8), (1.7976931348623157e308), (1e154), (1e-162), (1e-300), (4.9e-324)) t(v),
	LATERAL (SELECT spectrum('{100,200}', ARRAY[v, v])) s(s);
-- different intensities at the extremes keep their ratio
SELECT round(cosine('100:1e308 200:5e307', '100:2 200:1')::numeric, 12) AS cosine_ratio_kept,
	round(spectral_entropy('100:1e308 200:1e308 300:1e308')::numeric, 12) = round(ln(3)::numeric, 12) AS entropy_ln3,
	cosine('100:1e-320 200:1e-320', '100:1 200:1') AS subnormal_cosine,
	cosine('100:1 200:1', '100:1 300:1', mz_power => -200) AS negative_mz_power;
-- clean 'none' cannot return a merged intensity beyond the double range: 22003
\set VERBOSITY sqlstate
SELECT clean('100:1e308 100.01:1e308', "normalize" => 'none');
\set VERBOSITY default
SELECT clean('100:1e308 100.01:1e308', "normalize" => 'none');
SELECT clean('100:1e308 100.01:1e308') AS merged_then_normalised;

-- property: scores do not change when either spectrum's intensities are multiplied by
-- 10^k, k in -300..300 (random spectra; y is a noisy copy of x so that scores are not 0)
SELECT setseed(0.15);
CREATE TEMP TABLE rnd AS
SELECT g, spectrum(array_agg(mz ORDER BY p), array_agg(random() ORDER BY p)) AS x,
	spectrum(array_agg(mz + (random() - 0.5) * 0.05 ORDER BY p), array_agg(random() ORDER BY p)) AS y
FROM (SELECT g, p, 50 + random() * 400 AS mz FROM generate_series(1, 30) g, generate_series(1, 15) p) t
GROUP BY g;
CREATE FUNCTION pg_temp.scaled(s spectrum, k int) RETURNS spectrum LANGUAGE sql IMMUTABLE AS
$$ SELECT chemeco.spectrum(chemeco.mz(s), ARRAY(SELECT v * power(10::float8, k) FROM unnest(chemeco.intensities(s)) WITH ORDINALITY u(v, i) ORDER BY i)) $$;
CREATE TEMP TABLE scaled_scores AS
SELECT g, k, j,
	cosine(x, y) AS c0, cosine(pg_temp.scaled(x, k), pg_temp.scaled(y, j)) AS c1,
	cosine_matches(x, y) AS m0, cosine_matches(pg_temp.scaled(x, k), pg_temp.scaled(y, j)) AS m1,
	modified_cosine(x, y, 500, 510) AS mc0, modified_cosine(pg_temp.scaled(x, k), pg_temp.scaled(y, j), 500, 510) AS mc1,
	cosine(x, y, 0.1, 1, 0.5) AS p0, cosine(pg_temp.scaled(x, k), pg_temp.scaled(y, j), 0.1, 1, 0.5) AS p1,
	entropy_similarity(x, y) AS e0, entropy_similarity(pg_temp.scaled(x, k), pg_temp.scaled(y, j)) AS e1,
	x <~> y AS d0, pg_temp.scaled(x, k) <~> pg_temp.scaled(y, j) AS d1,
	spectral_entropy(x) AS s0, spectral_entropy(pg_temp.scaled(x, k)) AS s1,
	clean(x) AS cl0, clean(pg_temp.scaled(x, k)) AS cl1
FROM rnd, generate_series(-300, 300, 15) k, LATERAL (SELECT ((k * 7 + g * 13) % 601 + 601) % 601 - 300) jj(j);
SELECT count(*) AS cases, count(DISTINCT k) AS exponents, min(j) AS min_j, max(j) AS max_j,
	count(*) FILTER (WHERE c0 > 0.05 AND e0 > 0.05) AS nonzero_scores,
	count(*) FILTER (WHERE abs(c1 - c0) > 1e-9 OR m1 <> m0) AS cosine_changed,
	count(*) FILTER (WHERE abs(mc1 - mc0) > 1e-9) AS modified_changed,
	count(*) FILTER (WHERE abs(p1 - p0) > 1e-9) AS powers_changed,
	count(*) FILTER (WHERE abs(e1 - e0) > 1e-9 OR abs(d1 - d0) > 1e-9) AS entropy_changed,
	count(*) FILTER (WHERE abs(s1 - s0) > 1e-9) AS spectral_entropy_changed,
	count(*) FILTER (WHERE npeaks(cl1) <> npeaks(cl0)
		OR (SELECT max(abs(a - b)) FROM unnest(mz(cl0), mz(cl1)) u(a, b)) > 1e-9
		OR (SELECT max(abs(a - b)) FROM unnest(intensities(cl0), intensities(cl1)) u(a, b)) > 1e-12) AS clean_changed
FROM scaled_scores;
