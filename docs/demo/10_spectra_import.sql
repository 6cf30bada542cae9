-- 10: import spectral libraries (MGF, MSP) into a table with read_mgf / read_msp.
-- The sample files in data/ are real MassBank records (see data/LICENSES.md).
SET search_path = public, chemeco;

-- psql reads the file on the client side; the text goes in as one parameter.
\set content `cat data/water_lcmsms_sample.mgf`
CREATE TABLE imported_spectra AS
SELECT 'water_lcmsms_sample.mgf' AS source, * FROM read_mgf(:'content');

\set content `cat data/pfas_gc_ei_sample.msp`
INSERT INTO imported_spectra
SELECT 'pfas_gc_ei_sample.msp', * FROM read_msp(:'content');
\unset content

-- one row per spectrum: the name, precursor m/z and the peaks as a chemeco.spectrum
SELECT source, ordinal, name, round(precursor_mz::numeric, 4) AS precursor_mz,
	npeaks(spectrum) AS peaks, metadata->>'instrument_type' AS instrument
FROM imported_spectra ORDER BY source DESC, ordinal;

-- every header field is in metadata (keys lower-cased; plain numbers are JSON numbers)
SELECT jsonb_pretty(metadata - 'smiles' - 'copyright') AS caffeine_metadata
FROM imported_spectra WHERE name = 'Caffeine' ORDER BY ordinal LIMIT 1;

-- metadata is queryable like any jsonb: the licences and labs behind the sample
SELECT metadata->>'license' AS licence, split_part(metadata->>'title', '-', 2) AS lab, count(*) AS spectra
FROM imported_spectra WHERE source LIKE '%.mgf' GROUP BY 1, 2 ORDER BY 1, 2;
SELECT name, metadata->>'formula' AS formula, metadata->'exactmass' AS exact_mass
FROM imported_spectra WHERE source LIKE '%.msp' AND (metadata->>'exactmass')::numeric > 450 ORDER BY name;

-- a malformed record is an error naming record and line; on_error => 'skip' warns and goes on
SELECT ordinal, name, spectrum
FROM read_msp(E'Name: good\nNum Peaks: 2\n69 100\n131 45\n\nName: truncated\nNum Peaks: 3\n69 100\n\n'
	'Name: also good\nNum Peaks: 1\n69 7\n', on_error => 'skip');

DROP TABLE imported_spectra;
