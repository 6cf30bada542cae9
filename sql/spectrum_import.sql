-- chemeco.read_msp / read_mgf on real library files (test/data, see LICENSES.md).
-- Reference counts and checksums come from test/reference/spectra_import.py,
-- an independent regex-based reader; spot values were checked by hand
-- against the files (quoted in the comments).
SET search_path = chemeco, public;

CREATE TEMP TABLE lib (file text, ordinal int, name text, precursor_mz float8, metadata jsonb, spectrum spectrum);
\set content `cat test/data/Hydrogen_chloride.msp`
INSERT INTO lib SELECT 'Hydrogen_chloride.msp', * FROM read_msp(:'content');
\set content `cat test/data/comments_with_quotes.msp`
INSERT INTO lib SELECT 'comments_with_quotes.msp', * FROM read_msp(:'content');
\set content `cat test/data/edge_golm.msp`
INSERT INTO lib SELECT 'edge_golm.msp', * FROM read_msp(:'content');
\set content `cat test/data/golm.msp`
INSERT INTO lib SELECT 'golm.msp', * FROM read_msp(:'content');
\set content `cat test/data/massbank_five_spectra.msp`
INSERT INTO lib SELECT 'massbank_five_spectra.msp', * FROM read_msp(:'content');
\set content `cat test/data/multiline_semicolon.msp`
INSERT INTO lib SELECT 'multiline_semicolon.msp', * FROM read_msp(:'content');
\set content `cat test/data/riken_style_five_spectra.msp`
INSERT INTO lib SELECT 'riken_style_five_spectra.msp', * FROM read_msp(:'content');
\set content `cat test/data/test_spectra_collection.msp`
INSERT INTO lib SELECT 'test_spectra_collection.msp', * FROM read_msp(:'content');
\set content `gzip -dc test/data/massbank_gc_ei.msp.gz`
INSERT INTO lib SELECT 'massbank_gc_ei.msp.gz', * FROM read_msp(:'content');
\set content `cat test/data/JL_2021_V2.msl`
INSERT INTO lib SELECT 'JL_2021_V2.msl', * FROM read_msp(:'content');
\set content `cat test/data/testdata.mgf`
INSERT INTO lib SELECT 'testdata.mgf', * FROM read_mgf(:'content');
\set content `gzip -dc test/data/massbank_lcmsms_water.mgf.gz`
INSERT INTO lib SELECT 'massbank_lcmsms_water.mgf.gz', * FROM read_mgf(:'content');
\set content `gzip -dc test/data/pesticides.mgf.gz`
INSERT INTO lib SELECT 'pesticides.mgf.gz', * FROM read_mgf(:'content');
\unset content

-- every file: counts and checksums equal to the independent reader
CREATE TEMP TABLE ref (file text, records int, peaks bigint, with_precursor int, precursor_sum float8,
	mz_sum float8, intensity_sum float8, fields int, names_md5 text, npeaks_md5 text);
\copy ref FROM 'test/data/spectra_import_reference.csv' WITH (FORMAT csv, HEADER)
WITH ours AS (
	SELECT file, count(*) AS records, sum(npeaks(spectrum)) AS peaks,
		count(precursor_mz) AS with_precursor, coalesce(sum(precursor_mz), 0) AS precursor_sum,
		(SELECT sum(m) FROM lib l2, unnest(mz(l2.spectrum)) m WHERE l2.file = l.file) AS mz_sum,
		(SELECT sum(i) FROM lib l2, unnest(intensities(l2.spectrum)) i WHERE l2.file = l.file) AS intensity_sum,
		(SELECT sum(CASE jsonb_typeof(v) WHEN 'array' THEN jsonb_array_length(v) ELSE 1 END)
		 FROM lib l2, jsonb_each(l2.metadata) e(k, v) WHERE l2.file = l.file) AS fields,
		md5(string_agg(coalesce(name, ''), '|' ORDER BY ordinal)) AS names_md5,
		md5(string_agg(npeaks(spectrum)::text, ',' ORDER BY ordinal)) AS npeaks_md5,
		bool_and(ordinal = expected_ordinal) AS ordinals_consecutive
	FROM (SELECT *, row_number() OVER (PARTITION BY file ORDER BY ordinal) AS expected_ordinal FROM lib) l
	GROUP BY file)
SELECT r.file, o.records, o.peaks, o.with_precursor, o.fields,
	o.records = r.records AND o.peaks = r.peaks AND o.with_precursor = r.with_precursor
	AND abs(o.precursor_sum - r.precursor_sum) <= 0.0015 AND abs(o.mz_sum - r.mz_sum) <= 0.0015
	AND abs(o.intensity_sum - r.intensity_sum) <= 1e-6 * r.intensity_sum
	AND o.fields = r.fields AND o.names_md5 = r.names_md5 AND o.npeaks_md5 = r.npeaks_md5 AND o.ordinals_consecutive AS matches_reference
FROM ref r LEFT JOIN ours o USING (file) ORDER BY r.file;

-- every spectrum is sorted by m/z and valid
SELECT count(*) AS unsorted_or_invalid FROM lib
WHERE mz(spectrum) <> (SELECT array_agg(m ORDER BY m) FROM unnest(mz(spectrum)) m)
   OR EXISTS (SELECT FROM unnest(mz(spectrum), intensities(spectrum)) p(m, i) WHERE m <= 0 OR i < 0);

-- Hydrogen_chloride.msp: CRLF line ends, upper-case keys, tab-separated peaks
SELECT name, precursor_mz, spectrum, metadata FROM lib WHERE file = 'Hydrogen_chloride.msp';

-- JL_2021_V2.msl (AMDIS/NIST .msl, "( 52    3) ( 55  136)" peak lines): as matchms reads it,
-- 1 spectrum of 30 peaks from m/z 52 (intensity 3) to 102 (4), base peak 73 (1000), and the
-- header fields name G3P, ri 1586.2, rt 9.648, an empty rw, num peaks 30 (read off the file)
SELECT name, precursor_mz, npeaks(spectrum), (mz(spectrum))[1] AS first_mz, (intensities(spectrum))[1] AS first_int,
	(mz(spectrum))[30] AS last_mz, (intensities(spectrum))[30] AS last_int,
	(mz(spectrum))[array_position(intensities(spectrum), 1000)] AS base_mz, metadata
FROM lib WHERE file = 'JL_2021_V2.msl';

-- multiline_semicolon.msp: several "mz intensity;" pairs per line, leading blanks
SELECT ordinal, name, npeaks(spectrum), spectrum FROM lib WHERE file = 'multiline_semicolon.msp' ORDER BY ordinal;

-- golm.msp: "mz:intensity" pairs, a trailing blank per line; repeated keys become arrays;
-- "175,301" (decimal comma) stays a string, "17" becomes a number
SELECT ordinal, npeaks(spectrum), (mz(spectrum))[1:3] AS first_mz, (intensities(spectrum))[1:3] AS first_intensity,
	metadata->'metb n' AS metb_n, metadata->'mw' AS mw, metadata->'db#' AS db
FROM lib WHERE file = 'golm.msp' ORDER BY ordinal;

-- comments_with_quotes.msp: 248 peaks, the quoted comment kept verbatim as a string
SELECT npeaks(spectrum), (mz(spectrum))[1] AS first_mz, (mz(spectrum))[248] AS last_mz,
	jsonb_typeof(metadata->'comments') AS comments_type, left(metadata->>'comments', 60) AS comments,
	metadata->'exactmass' AS exactmass
FROM lib WHERE file = 'comments_with_quotes.msp';

-- test_spectra_collection.msp: full-precision precursor, empty values, NAME/Name spelling
SELECT ordinal, name, precursor_mz, metadata->'ontology' AS ontology, metadata->'retentiontime' AS rt,
	metadata->'precursor_type' AS precursor_type
FROM lib WHERE file = 'test_spectra_collection.msp' ORDER BY ordinal;

-- MassBank and RIKEN spellings of the same five spectra give the same spectra and precursors
SELECT count(*) AS pairs, count(*) FILTER (WHERE m.spectrum::text = r.spectrum::text
	AND m.precursor_mz = r.precursor_mz AND m.name = r.name) AS identical
FROM lib m JOIN lib r USING (ordinal)
WHERE m.file = 'massbank_five_spectra.msp' AND r.file = 'riken_style_five_spectra.msp';
SELECT ordinal, name, precursor_mz, npeaks(spectrum), metadata->'precursormz' AS riken_key
FROM lib WHERE file = 'riken_style_five_spectra.msp' ORDER BY ordinal;

-- testdata.mgf: PEPMASS is the precursor; CHARGE=0 a number, CHARGE=1+ a string; NAME wins over TITLE
SELECT ordinal, name, precursor_mz, metadata->'charge' AS charge, npeaks(spectrum),
	(mz(spectrum))[1] AS first_mz, (intensities(spectrum))[1] AS first_intensity
FROM lib WHERE file = 'testdata.mgf' AND ordinal <= 3 ORDER BY ordinal;

-- massbank_lcmsms_water.mgf, first record (by hand: 4 peaks, PEPMASS=279.0933)
SELECT name, precursor_mz, metadata->>'title' AS title, spectrum
FROM lib WHERE file = 'massbank_lcmsms_water.mgf.gz' AND ordinal = 1;

-- massbank_gc_ei.msp, first record (by hand: "NAME: 6:2 FTBr", 55 peaks, no precursor, empty INCHIKEY)
SELECT name, precursor_mz, npeaks(spectrum), (mz(spectrum))[1] AS first_mz, metadata->'inchikey' AS inchikey,
	metadata->'exactmass' AS exactmass
FROM lib WHERE file = 'massbank_gc_ei.msp.gz' AND ordinal = 1;

-- the imported spectra work with the similarity functions
SELECT round(cosine(a.spectrum, a.spectrum)::numeric, 6) AS self_cosine
FROM lib a WHERE file = 'pesticides.mgf.gz' AND ordinal = 1;

-- syntax variants written inline
SELECT name, spectrum, metadata FROM read_msp(E'# a comment line\nName: annotated\nNum Peaks: 3\n'
	'100.5 10 "y1+"; 200 20 "b2 (with ; and :)"\n300\t30\t"p"\n');
SELECT ordinal, name, precursor_mz, spectrum, metadata FROM read_mgf(E'COM=global comment\nCHARGE=2+\n'
	'BEGIN IONS\nTITLE=first\nPEPMASS=500.25 12000\n100 1 1+\n200\t2\nEND IONS\n\n'
	'# between records\nbegin ions\nTITLE=second\nCHARGE=3-\nPEPMASS=(401.5, 77)\n150 3\nend ions\n');
SELECT ordinal, name, precursor_mz, spectrum FROM read_msp(E'Name: a\nPrecursorMZ: NaN\nNum Peaks: 0\n'
	'Name: b\nPRECURSOR_MZ: 0\nNum Peaks: 1\n10 1\nName: c\nNum Peaks: 1\n20 2\n');
SELECT count(*) AS empty_input_rows FROM read_msp('');
SELECT count(*) AS blank_input_rows FROM read_mgf(E'\n\n  \n# only a comment\n');
SELECT count(*) AS null_input_rows FROM read_msp(NULL);
-- a number whose JSON form would be ambiguous stays a string
SELECT metadata FROM read_msp(E'Name: n\nA: 007\nB: 1.5e3\nC: -0.25\nH: 12345678901234567890.50\nD: 1.\nE: .5\nF: 1e999\nG: +1\nNum Peaks: 0\n');

-- a large generated library: 100,000 records (one progress NOTICE), then one spectrum of 200,000
-- peaks written in descending m/z; by arithmetic: sum of m/z 1..100000 = 5000050000,
-- sum of precursors 2..100001 = 5000150000
SELECT count(*) AS records, sum(npeaks(spectrum)) AS peaks, sum((mz(spectrum))[1])::bigint AS mz_sum,
	sum(precursor_mz)::bigint AS precursor_sum, count(DISTINCT name) AS names, min(ordinal), max(ordinal)
FROM read_msp((SELECT string_agg(format(E'Name: s%s\nPrecursorMZ: %s\nNum Peaks: 1\n%s 1\n', g, g + 1, g), E'\n')
	FROM generate_series(1, 100000) g));
SELECT ordinal, npeaks(spectrum), (mz(spectrum))[1] AS first_mz, (mz(spectrum))[200000] AS last_mz,
	(intensities(spectrum))[200000] AS last_intensity, precursor_mz
FROM read_mgf((SELECT E'BEGIN IONS\nPEPMASS=1e5\n' || string_agg(format('%s %s', g, g % 7), E'\n') || E'\nEND IONS\n'
	FROM generate_series(200000, 1, -1) g));
