-- 15: search a spectral library with the chemeco_flash index and identify unknowns.
SET search_path = public, chemeco;
\pset footer off

-- a reference library: the real MassBank spectra of data/ plus 20,000 synthetic
-- ones (10-200 peaks, m/z 50-1000) so that the index has something to do
\set content `cat data/water_lcmsms_sample.mgf`
CREATE TABLE reference_library AS
SELECT name, precursor_mz, spectrum FROM read_mgf(:'content');
SELECT setseed(0.15) \g /dev/null
INSERT INTO reference_library
SELECT 'synthetic ' || g, 100 + random() * 900,
       spectrum(array_agg(round((50 + random() * 950)::numeric, 4)::float8), array_agg(random() * 1000))
FROM generate_series(1, 20000) g, generate_series(1, 10 + (g % 191)) p GROUP BY g;
CREATE INDEX reference_library_flash ON reference_library USING chemeco_flash (spectrum);
ANALYZE reference_library;

\echo 'An unknown: a caffeine spectrum measured on another instrument (APCI), with noise added.'
CREATE TABLE unknown AS
SELECT spectrum(mz(spectrum) || ARRAY[77.5, 333.3], intensities(spectrum) || ARRAY[2e5, 1e5]) AS spectrum,
       precursor_mz
FROM read_mgf(:'content') WHERE (metadata->>'instrument_type') = 'APCI-ITFT';

\echo 'Top-5 by entropy distance (<~>), answered by the index:'
EXPLAIN (COSTS OFF)
SELECT name FROM reference_library ORDER BY spectrum <~> (SELECT spectrum FROM unknown) LIMIT 5;
SELECT name, round(precursor_mz::numeric, 4) AS precursor_mz,
       round((1 - (spectrum <~> (SELECT spectrum FROM unknown)))::numeric, 3) AS entropy_similarity
FROM reference_library ORDER BY spectrum <~> (SELECT spectrum FROM unknown) LIMIT 5;

\echo 'identify(): identity search (precursor within 0.01), open search, hybrid search:'
SELECT mode, l.name, round(i.score::numeric, 3) AS score, i.matched_peaks
FROM unknown u,
     unnest(ARRAY['identity', 'open', 'hybrid']) mode,
     LATERAL identify(u.spectrum, u.precursor_mz, 'reference_library', k => 2, mode => mode) i
     JOIN reference_library l ON l.ctid = i.ctid
ORDER BY mode, i.score DESC;
