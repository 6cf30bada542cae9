-- Similarity functions against independent reference values on real spectra.
-- test/data/spectra_sample.csv: 30 MassBank LC-MS/MS spectra (licence in
-- test/data/LICENSES.md); test/data/*_reference.csv: numpy implementation of
-- the published definitions, test/reference/spectral_similarity.py.
SET search_path = chemeco, public;

CREATE TEMP TABLE sample (id int, accession text, name text, inchikey text, precursor_mz float8, spectrum spectrum);
\copy sample FROM 'test/data/spectra_sample.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE ref (a int, b int, cosine float8, cosine_matches int, cosine_mz1_tol002 float8,
	modified_cosine float8, entropy float8, entropy_unweighted float8, entropy_raw float8, entropy_tol005 float8);
\copy ref FROM 'test/data/similarity_reference.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE clean_ref (id int, spectral_entropy float8, clean_npeaks int, clean_entropy float8,
	clean_max_npeaks int, clean_max_sum float8);
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
	entropy_similarity(x.spectrum, y.spectrum, 0.05) AS c_tol005
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
