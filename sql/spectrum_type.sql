-- chemeco.spectrum: text and binary I/O, constructor, accessors, errors.
SET search_path = chemeco, public;

-- canonical output: sorted by m/z, shortest round-trip numbers
SELECT '200:5, 100:1;150 : 2'::spectrum;
SELECT E'85.0 999\n41.5\t120\n'::spectrum AS msp_lines;
SELECT '0.1:1e-300 1e22:3.0000000000000004'::spectrum AS extremes;
SELECT ''::spectrum AS empty, npeaks(''::spectrum), mz(''), intensities('');

-- exact round trip through text and binary
CREATE TEMP TABLE rt AS
SELECT spectrum(array_agg(1 + random() * 999), array_agg(random() * 1e6)) AS s
FROM generate_series(1, 200) g, generate_series(1, 20) p GROUP BY g;
SELECT count(*) AS round_trip_failures FROM rt
WHERE s::text::spectrum::text <> s::text
   OR mz(s::text::spectrum) <> mz(s) OR intensities(s::text::spectrum) <> intensities(s);
-- binary COPY goes through spectrum_send and spectrum_recv
\copy rt TO 'results/spectrum_rt.bin' WITH (FORMAT binary)
CREATE TEMP TABLE rt_binary (s spectrum);
\copy rt_binary FROM 'results/spectrum_rt.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_rows, count(*) FILTER (WHERE s::text IN (SELECT s::text FROM rt)) AS binary_equal
FROM rt_binary;

-- constructor and accessors
SELECT spectrum(ARRAY[300, 100, 200], ARRAY[3, 1, 2]);
SELECT mz(s), intensities(s), npeaks(s) FROM (SELECT '300:3 100:1 200:2'::spectrum AS s) t;

-- bad input: SQLSTATE and position
\set VERBOSITY sqlstate
SELECT 'nan:1'::spectrum;
SELECT '100:-1'::spectrum;
SELECT '100:1e999'::spectrum;
SELECT '100:1e-400'::spectrum;
SELECT '100:4.9e-324'::spectrum AS smallest_subnormal_is_accepted;
\set VERBOSITY default
SELECT '100:1 200'::spectrum;
SELECT E'100 1\n200\n'::spectrum;
SELECT '-5:1'::spectrum;
SELECT '100:1:2'::spectrum;
SELECT 'abc'::spectrum;
SELECT '100:infinity'::spectrum;
SELECT spectrum(ARRAY[1, 2], ARRAY[1]);
SELECT spectrum(ARRAY[1, 'NaN']::float8[], ARRAY[1, 1]);
SELECT spectrum(ARRAY[[1, 2]], ARRAY[[1, 1]]);
SELECT spectrum(ARRAY[1, NULL], ARRAY[1, 1]);
SELECT '0x10:1'::spectrum AS hex_mz;
SELECT '100:0X1p3'::spectrum AS hex_intensity;
\set VERBOSITY sqlstate
SELECT '0x10:1'::spectrum;
SELECT '100:inf'::spectrum;
SELECT '100:NaN'::spectrum;
SELECT '1e400:1'::spectrum;
\set VERBOSITY default

-- -0 is stored and printed as 0 at every entry point: text, arrays, binary
SELECT '100:-0 200:-0.0'::spectrum AS text_minus_zero,
	spectrum(ARRAY[100], ARRAY['-0'::float8]) AS array_minus_zero;
-- binary COPY of a bytea writes its raw bytes: a hand-made recv payload
-- (count 1, m/z 100, intensity -0; then m/z -0, which is no m/z)
CREATE TEMP TABLE payload (b bytea);
INSERT INTO payload VALUES ('\x0000000140590000000000008000000000000000');
\copy payload TO 'results/spectrum_minus_zero.bin' WITH (FORMAT binary)
CREATE TEMP TABLE received (s spectrum);
\copy received FROM 'results/spectrum_minus_zero.bin' WITH (FORMAT binary)
SELECT s AS binary_minus_zero, s = '100:0' AS equals_zero, intensities(s) FROM received;
TRUNCATE payload;
INSERT INTO payload VALUES ('\x0000000180000000000000003ff0000000000000');
\copy payload TO 'results/spectrum_minus_zero_mz.bin' WITH (FORMAT binary)
\copy received FROM 'results/spectrum_minus_zero_mz.bin' WITH (FORMAT binary)
TRUNCATE payload;
INSERT INTO payload VALUES ('\x0001');
\copy payload TO 'results/spectrum_short.bin' WITH (FORMAT binary)
\copy received FROM 'results/spectrum_short.bin' WITH (FORMAT binary)

-- equality, order, hashing
CREATE TEMP TABLE eq (id int, s spectrum);
INSERT INTO eq VALUES (1, '100:1 200:2'), (2, '200:2 100:1'), (3, '100:1'), (4, '100:1 200:3'),
	(5, '100:1 150:9'), (6, ''), (7, '100:0'), (8, spectrum(ARRAY[100], ARRAY['-0'::float8]));
SELECT '100:1 200:2'::spectrum = '200:2 100:1' AS same_peaks_any_order,
	'100:1'::spectrum = '100:1.0000000000000002' AS one_ulp_apart,
	'100:1'::spectrum <> '100:2' AS differ,
	'100:0'::spectrum = '100:-0' AS minus_zero_equal;
-- the documented order: fewer peaks first, then m/z in order, then intensities
SELECT id, s FROM eq ORDER BY s, id;
SELECT id, s FROM eq ORDER BY s DESC, id;
SELECT count(*) AS rows, count(DISTINCT s) AS distinct_spectra FROM eq;
SELECT s, count(*) FROM eq GROUP BY s ORDER BY s;
SELECT s FROM eq WHERE id <= 3 UNION SELECT s FROM eq WHERE id >= 3 ORDER BY 1;
SELECT id FROM eq WHERE s IN ('100:1', '100:0', '300:1') ORDER BY id;
SELECT min(id) FILTER (WHERE s < '100:1 200:2') AS below, count(*) FILTER (WHERE s >= '100:1 200:2') AS at_or_above FROM eq;
-- a btree index and the planner's hashed paths
CREATE INDEX eq_s ON eq (s);
SET enable_seqscan = off;
SELECT id FROM eq WHERE s = '100:1 200:2' ORDER BY id;
RESET enable_seqscan;
SET enable_sort = off;
SET enable_mergejoin = off;
SET enable_nestloop = off;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT DISTINCT s FROM eq;
SELECT count(*) AS hashed_distinct FROM (SELECT DISTINCT s FROM eq) d;
EXPLAIN (COSTS OFF) SELECT x.id, y.id FROM eq x JOIN eq y ON x.s = y.s;
SELECT x.id, y.id FROM eq x JOIN eq y ON x.s = y.s WHERE x.id < y.id ORDER BY 1, 2;
RESET enable_sort;
RESET enable_mergejoin;
RESET enable_nestloop;
RESET enable_indexscan;
RESET enable_bitmapscan;
-- hash and order agree with equality on many random spectra
CREATE TEMP TABLE many AS
SELECT g, spectrum(array_agg(round((1 + random() * 5)::numeric, 0)::float8), array_agg(round(random()::numeric, 1)::float8)) AS s
FROM generate_series(1, 600) g, generate_series(1, 2) p GROUP BY g;
SELECT count(*) AS inconsistent
FROM many x JOIN many y ON x.g < y.g
WHERE (x.s = y.s) <> (spectrum_hash(x.s) = spectrum_hash(y.s)) AND x.s = y.s
   OR (x.s = y.s) <> (spectrum_cmp(x.s, y.s) = 0)
   OR spectrum_cmp(x.s, y.s) <> -spectrum_cmp(y.s, x.s)
   OR (x.s = y.s) <> (x.s::text = y.s::text);
