-- chemeco_flash index: ORDER BY spectrum <~> q through the index returns
-- exactly the rows, distances and order of a sequential scan ordered by
-- (spectrum <~> q, ctid), on random and real spectra, after INSERT, UPDATE,
-- DELETE, VACUUM (heap TIDs reused) and REINDEX.
SET search_path = chemeco, public;
SELECT setseed(0.42);

-- random spectra on a 0.01 Da grid (window edges hit exactly), duplicates
-- (distance ties), an empty spectrum and NULLs
CREATE TABLE flash_lib (id serial PRIMARY KEY, spectrum spectrum);
INSERT INTO flash_lib (spectrum)
SELECT spectrum(array_agg(round((50 + random() * 950)::numeric, 2)::float8), array_agg(1 + random() * 999))
FROM generate_series(1, 1500) g, generate_series(1, 5 + (g % 40)) p GROUP BY g;
-- fragments shared with other spectra, so that many rows match a query
INSERT INTO flash_lib (spectrum)
SELECT spectrum((mz(spectrum))[1:8] || array[101.01, 202.02, 303.03], (intensities(spectrum))[1:8] || array[50, 60, 70::float8])
FROM flash_lib WHERE id % 10 = 0;
INSERT INTO flash_lib (spectrum) SELECT spectrum FROM flash_lib WHERE id % 100 = 1;
INSERT INTO flash_lib (spectrum) VALUES (NULL), (''), (NULL);
-- one- and two-peak spectra: stored intensity terms of exactly 0 (x = 1) and of a dominant peak
INSERT INTO flash_lib (spectrum)
VALUES ('101.01:1'), ('101.02:5'), ('202.02:1 202.5:1000'), ('303.03:1000 310:20'), ('303.03:1000 310:20');

CREATE TABLE flash_queries AS
SELECT row_number() OVER () AS qid, spectrum AS q FROM (
  SELECT spectrum FROM flash_lib WHERE id % 61 = 3 AND spectrum IS NOT NULL
  UNION ALL
  SELECT spectrum(array_agg(round((50 + random() * 950)::numeric, 2)::float8), array_agg(1 + random() * 999))
  FROM generate_series(1, 20) g, generate_series(1, 30) p GROUP BY g
  UNION ALL SELECT '101.01:1 202.02:1 303.03:1'::spectrum
  UNION ALL SELECT '101.03:1 202.00:1'::spectrum
  UNION ALL SELECT ''::spectrum) s;

CREATE INDEX flash_lib_idx ON flash_lib USING chemeco_flash (spectrum);

-- the planner uses the index for ORDER BY <~> LIMIT
EXPLAIN (COSTS OFF) SELECT id FROM flash_lib ORDER BY spectrum <~> '100:1' LIMIT 10;

-- top k through the index and by a sequential scan, in order, with distances
CREATE FUNCTION flash_index_top(q spectrum, k int) RETURNS text
LANGUAGE sql STABLE SET enable_seqscan = off SET enable_sort = off
AS $$ SELECT string_agg(ctid::text || '=' || d::text, ' ') FROM (
        SELECT ctid, spectrum <~> q AS d FROM flash_lib ORDER BY spectrum <~> q LIMIT k) t $$;
CREATE FUNCTION flash_seq_top(q spectrum, k int) RETURNS text
LANGUAGE sql STABLE SET enable_indexscan = off SET enable_bitmapscan = off
AS $$ SELECT string_agg(ctid::text || '=' || d::text, ' ') FROM (
        SELECT ctid, spectrum <~> q AS d FROM flash_lib ORDER BY spectrum <~> q, ctid LIMIT k) t $$;
CREATE FUNCTION flash_mismatches(k int) RETURNS bigint
LANGUAGE sql AS $$ SELECT count(*) FROM flash_queries
                   WHERE flash_index_top(q, k) IS DISTINCT FROM flash_seq_top(q, k) $$;

SELECT count(*) AS queries, flash_mismatches(10) AS top10_mismatches,
       flash_mismatches(100000) AS full_order_mismatches
FROM flash_queries;
-- sanity: the comparison sees real hits (distances < 1) and ties
SELECT count(*) FILTER (WHERE spectrum <~> q < 1) > 1000 AS many_hits,
       count(DISTINCT spectrum <~> q) FILTER (WHERE spectrum <~> q < 1)
         < count(*) FILTER (WHERE spectrum <~> q < 1) AS ties
FROM flash_lib, flash_queries;

-- NULL query: every row, distance NULL
SELECT count(*) AS rows_for_null_query FROM (SELECT * FROM flash_lib ORDER BY spectrum <~> NULL LIMIT 100000) t;

-- pending inserts, updates and deletes
INSERT INTO flash_lib (spectrum)
SELECT spectrum(array_agg(round((50 + random() * 950)::numeric, 2)::float8), array_agg(1 + random() * 999))
FROM generate_series(1, 300) g, generate_series(1, 5 + (g % 30)) p GROUP BY g;
INSERT INTO flash_lib (spectrum) SELECT q FROM flash_queries WHERE qid % 3 = 0;
INSERT INTO flash_lib (spectrum) VALUES (NULL), ('');
-- a spectrum spanning several pending pages
INSERT INTO flash_lib (spectrum)
SELECT spectrum(array_agg(50 + g * 0.5), array_agg(100 + g::float8)) FROM generate_series(1, 1800) g;
UPDATE flash_lib SET spectrum = spectrum((mz(spectrum))[1:5], (intensities(spectrum))[1:5]) WHERE id % 37 = 0;
DELETE FROM flash_lib WHERE id % 7 = 0;
SELECT flash_mismatches(10) AS top10_after_dml, flash_mismatches(100000) AS full_after_dml;

-- VACUUM frees heap TIDs; new rows reuse them
VACUUM flash_lib;
INSERT INTO flash_lib (spectrum) SELECT q FROM flash_queries WHERE qid % 2 = 0;
INSERT INTO flash_lib (spectrum) SELECT spectrum FROM flash_lib WHERE id % 11 = 0;
SELECT flash_mismatches(10) AS top10_after_vacuum, flash_mismatches(100000) AS full_after_vacuum;
DELETE FROM flash_lib WHERE id % 5 = 0;
VACUUM flash_lib;
SELECT flash_mismatches(20) AS top20_after_second_vacuum;
REINDEX INDEX flash_lib_idx;
SELECT flash_mismatches(10) AS top10_after_reindex, flash_mismatches(100000) AS full_after_reindex;

-- real spectra: MassBank LC-MS/MS of water-relevant compounds, each spectrum as the query
TRUNCATE flash_lib;
CREATE TEMP TABLE massbank (name text, precursor float8, spectrum text);
\copy massbank FROM 'test/data/massbank_water_spectra.csv' WITH (FORMAT csv, HEADER)
INSERT INTO flash_lib (spectrum) SELECT spectrum::spectrum FROM massbank;
TRUNCATE flash_queries;
INSERT INTO flash_queries SELECT id, spectrum FROM flash_lib;
SELECT count(*) AS real_queries, flash_mismatches(10) AS real_top10_mismatches,
       flash_mismatches(100000) AS real_full_mismatches FROM flash_queries;
-- the same compound from another lab is the best non-identical match for most spectra
SELECT count(*) > 300 AS same_name_hits FROM flash_lib l
JOIN massbank m ON m.spectrum::spectrum::text = l.spectrum::text
WHERE (SELECT m2.name FROM flash_lib l2 JOIN massbank m2 ON m2.spectrum::spectrum::text = l2.spectrum::text
       WHERE l2.id <> l.id ORDER BY l2.spectrum <~> l.spectrum LIMIT 1) = m.name;

-- an index with another tolerance cannot answer <~>: the planner avoids it
CREATE INDEX flash_lib_wide ON flash_lib USING chemeco_flash (spectrum) WITH (tolerance = 0.05);
DROP INDEX flash_lib_idx;
EXPLAIN (COSTS OFF) SELECT id FROM flash_lib ORDER BY spectrum <~> '100:1' LIMIT 10;
SET enable_seqscan = off; SET enable_sort = off;
SELECT id FROM flash_lib ORDER BY spectrum <~> '100:1' LIMIT 1;
RESET enable_seqscan; RESET enable_sort;
CREATE INDEX ON flash_lib USING chemeco_flash (spectrum) WITH (tolerance = 0);
CREATE INDEX ON flash_lib USING chemeco_flash (spectrum) WITH (blocks = 3);

-- an index built on an empty table, then filled by inserts only (all pending);
-- CREATE INDEX CONCURRENTLY; unlogged and temporary tables
CREATE TABLE flash_small (spectrum spectrum);
CREATE INDEX flash_small_idx ON flash_small USING chemeco_flash (spectrum);
INSERT INTO flash_small SELECT spectrum FROM flash_lib WHERE id % 3 = 0;
CREATE UNLOGGED TABLE flash_unlogged AS SELECT spectrum FROM flash_lib WHERE id % 2 = 0;
CREATE INDEX ON flash_unlogged USING chemeco_flash (spectrum);
CREATE TEMP TABLE flash_temp AS SELECT spectrum FROM flash_lib WHERE id % 2 = 1;
CREATE INDEX ON flash_temp USING chemeco_flash (spectrum);
CREATE FUNCTION flash_table_mismatches(tab regclass, queries text DEFAULT 'SELECT spectrum FROM flash_lib WHERE id % 50 = 7')
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  mismatches bigint := 0;
  q spectrum;
  by_index text;
  by_seq text;
BEGIN
  FOR q IN EXECUTE queries LOOP
    SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off;
    EXECUTE format('SELECT string_agg(ctid::text || ''='' || d::text, '' '') FROM (SELECT ctid, spectrum <~> $1 AS d FROM %s ORDER BY spectrum <~> $1 LIMIT 20) t', tab)
      INTO by_index USING q;
    SET LOCAL enable_seqscan = on; SET LOCAL enable_sort = on; SET LOCAL enable_indexscan = off;
    EXECUTE format('SELECT string_agg(ctid::text || ''='' || d::text, '' '') FROM (SELECT ctid, spectrum <~> $1 AS d FROM %s ORDER BY spectrum <~> $1, ctid LIMIT 20) t', tab)
      INTO by_seq USING q;
    SET LOCAL enable_indexscan = on;
    IF by_index IS DISTINCT FROM by_seq OR by_index IS NULL THEN mismatches := mismatches + 1; END IF;
  END LOOP;
  RETURN mismatches;
END $$;
SELECT flash_table_mismatches('flash_small') AS inserts_only,
       flash_table_mismatches('flash_unlogged') AS unlogged,
       flash_table_mismatches('flash_temp') AS temporary;
CREATE INDEX CONCURRENTLY flash_small_cic ON flash_small USING chemeco_flash (spectrum);
DROP INDEX flash_small_idx;
SELECT flash_table_mismatches('flash_small') AS concurrently_built;
EXPLAIN (COSTS OFF) SELECT * FROM flash_small ORDER BY spectrum <~> '100:1' LIMIT 3;
-- a dense library (every peak within 100-106 Da): each query's windows hold
-- ~100,000 peaks, enough for the search to run its parts of the library on
-- threads (1 + max_parallel_workers_per_gather of them, at most the CPUs);
-- and the same with one thread
CREATE TABLE flash_dense AS
SELECT spectrum(array_agg(100 + p * 0.1 + round((random() * 0.04)::numeric, 2)::float8),
                array_agg(1 + random() * 999)) AS spectrum
FROM generate_series(1, 3000) g, generate_series(0, 59) p GROUP BY g;
CREATE INDEX ON flash_dense USING chemeco_flash (spectrum);
SET max_parallel_workers_per_gather = 2;
SELECT flash_table_mismatches('flash_dense', 'SELECT spectrum FROM flash_dense LIMIT 15') AS dense_threaded;
SET max_parallel_workers_per_gather = 0;
SELECT flash_table_mismatches('flash_dense', 'SELECT spectrum FROM flash_dense LIMIT 15') AS dense_one_thread;
RESET max_parallel_workers_per_gather;
DROP TABLE flash_small, flash_unlogged, flash_temp, flash_dense;
DROP FUNCTION flash_table_mismatches;

-- the operator's markings
SELECT oprcom = oid AS self_commutator FROM pg_operator WHERE oprname = '<~>';
SELECT provolatile, proisstrict, proparallel FROM pg_proc WHERE oid = 'entropy_distance'::regproc;
SELECT '100:1 200:1'::spectrum <~> '100.01:1 200.01:1' AS identical_within_tolerance,
       '100:1'::spectrum <~> '300:1' AS disjoint,
       round(('100:1 200:1'::spectrum <~> '100:1')::numeric, 10) AS half_matched;

DROP TABLE flash_lib, flash_queries;
DROP FUNCTION flash_index_top, flash_seq_top, flash_mismatches;
