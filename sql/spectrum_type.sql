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
