-- chemeco demo 1: compare mass spectra of water contaminants measured by two labs.
SET search_path = public, chemeco;
\pset footer off

CREATE TABLE demo_spectra (id int, accession text, name text, inchikey text, precursor_mz float8, spectrum spectrum);
\copy demo_spectra FROM 'data/spectra_demo.csv' WITH (FORMAT csv, HEADER)

\echo 'The spectra (peaks are stored sorted by m/z):'
SELECT accession, name, precursor_mz, npeaks(spectrum) AS peaks,
       round(spectral_entropy(spectrum)::numeric, 3) AS entropy,
       left(spectrum::text, 48) || '...' AS first_peaks
FROM demo_spectra ORDER BY name, accession;

\echo 'Same compound, different records (labs, instruments, collision energies):'
SELECT a.name,
       round(cosine(a.spectrum, b.spectrum)::numeric, 3) AS cosine,
       cosine_matches(a.spectrum, b.spectrum) AS matched,
       round(modified_cosine(a.spectrum, b.spectrum, a.precursor_mz, b.precursor_mz)::numeric, 3) AS modified_cosine,
       round(entropy_similarity(a.spectrum, b.spectrum)::numeric, 3) AS entropy
FROM demo_spectra a JOIN demo_spectra b ON a.inchikey = b.inchikey AND a.accession < b.accession
ORDER BY entropy DESC;

\echo 'Identify each spectrum: its best entropy match among the others:'
SELECT q.name AS query, q.accession, hit.name AS best_hit, round(hit.score::numeric, 3) AS entropy
FROM demo_spectra q CROSS JOIN LATERAL (
	SELECT r.name, entropy_similarity(q.spectrum, r.spectrum) AS score
	FROM demo_spectra r WHERE r.accession <> q.accession
	ORDER BY score DESC LIMIT 1) hit
ORDER BY q.name, q.accession;

\echo 'Cleaning: drop the precursor region and noise, normalise to the base peak:'
SELECT accession, npeaks(spectrum) AS before, npeaks(c) AS after, c AS cleaned
FROM demo_spectra, clean(spectrum, 0.05, 0.05, precursor_mz - 1.6, 'max') c
WHERE name = 'Irgarol';
