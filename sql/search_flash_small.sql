-- chemeco_flash on a small library, every code path of the index once:
-- build (with NULL, empty and duplicate spectra), ordered scans, pending
-- pages from INSERT, UPDATE, DELETE + VACUUM, REINDEX, rescans in a join and
-- identify() in its four modes.  Small enough to run under valgrind
-- (test/memory/server_valgrind.sh), which skips the larger search_flash.
SET search_path = chemeco, public;
SELECT setseed(0.17);

CREATE TABLE small_lib (id serial PRIMARY KEY, spectrum spectrum, precursor_mz float8);
INSERT INTO small_lib (spectrum, precursor_mz)
SELECT spectrum(array_agg(round((50 + random() * 450)::numeric, 2)::float8), array_agg(1 + random() * 99)),
       500 + g
FROM generate_series(1, 60) g, generate_series(1, 3 + g % 12) p GROUP BY g;
INSERT INTO small_lib (spectrum, precursor_mz)
VALUES (NULL, 1), ('', 2), ('101.01:1 202.02:3', 3), ('101.01:1 202.02:3', 3);

CREATE INDEX small_lib_idx ON small_lib USING chemeco_flash (spectrum);

CREATE TABLE small_queries AS
SELECT row_number() OVER () AS qid, q FROM (
	SELECT spectrum AS q FROM small_lib WHERE id IN (5, 17, 33)
	UNION ALL SELECT '101.01:1 202.02:3 300:2'::spectrum
	UNION ALL SELECT ''::spectrum) s;

-- top 5 and full order through the index (ties come in TID order) and by a
-- sequential scan ordered by (distance, ctid)
CREATE FUNCTION small_index_top(q spectrum, k int) RETURNS text
LANGUAGE sql STABLE SET enable_seqscan = off SET enable_sort = off
AS $$ SELECT string_agg(ctid::text || '=' || d::text, ' ') FROM (
        SELECT ctid, spectrum <~> q AS d FROM small_lib ORDER BY spectrum <~> q LIMIT k) t $$;
CREATE FUNCTION small_seq_top(q spectrum, k int) RETURNS text
LANGUAGE sql STABLE SET enable_indexscan = off SET enable_bitmapscan = off
AS $$ SELECT string_agg(ctid::text || '=' || d::text, ' ') FROM (
        SELECT ctid, spectrum <~> q AS d FROM small_lib ORDER BY spectrum <~> q, ctid LIMIT k) t $$;
CREATE FUNCTION small_mismatches() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM small_queries, (VALUES (5), (1000)) k(k)
	WHERE small_index_top(q, k) IS DISTINCT FROM small_seq_top(q, k) $$;

SELECT small_mismatches() AS after_build;
-- the index plan is used for the ordered scan
EXPLAIN (COSTS OFF) SELECT id FROM small_lib ORDER BY spectrum <~> '101.01:1' LIMIT 3;

-- pending pages, updates, deletes, vacuum (TIDs reused), then reindex
INSERT INTO small_lib (spectrum, precursor_mz)
SELECT spectrum(array_agg(round((50 + random() * 450)::numeric, 2)::float8), array_agg(1 + random() * 99)), 600 + g
FROM generate_series(1, 20) g, generate_series(1, 4 + g % 5) p GROUP BY g;
UPDATE small_lib SET spectrum = '101.01:2 202.02:1' WHERE id % 9 = 0;
SELECT small_mismatches() AS after_insert_update;
DELETE FROM small_lib WHERE id % 4 = 0;
VACUUM small_lib;
INSERT INTO small_lib (spectrum, precursor_mz) VALUES ('101.01:1 202.02:3', 3), (NULL, 4);
SELECT small_mismatches() AS after_delete_vacuum;
REINDEX INDEX small_lib_idx;
SELECT small_mismatches() AS after_reindex;

-- rescans: one index scan per outer row
SET enable_seqscan = off;
SELECT count(*) AS rescanned_rows FROM small_queries,
	LATERAL (SELECT id FROM small_lib ORDER BY spectrum <~> q LIMIT 2) t;
RESET enable_seqscan;

-- identify() in each mode finds the library's own spectrum first
SELECT mode, (SELECT l.id FROM identify(s.spectrum, s.precursor_mz, 'small_lib', 3, 0.01, mode) i
              JOIN small_lib l ON l.ctid = i.ctid ORDER BY i.score DESC, l.id LIMIT 1) = s.id AS finds_itself
FROM small_lib s, (VALUES ('identity'), ('open'), ('hybrid'), ('neutral_loss')) m(mode)
WHERE s.id = 17 ORDER BY mode;

-- HOT updates: an updated row keeps the index entry of its first version, so ties come back
-- in index-entry order, which after a HOT update is not ctid order (docs/reference/search.md):
-- (0,4) (the HOT successor of (0,1)) first through the index, last by ctid; rows and distances
-- are those of the sequential scan.  identify() breaks ties by the row's ctid either way.
CREATE TABLE hot_lib (id int, note text, spectrum spectrum) WITH (fillfactor = 50);
INSERT INTO hot_lib SELECT g, 'x', '100:1 200:1' FROM generate_series(1, 3) g;
CREATE INDEX hot_lib_idx ON hot_lib USING chemeco_flash (spectrum);
UPDATE hot_lib SET note = 'y' WHERE id = 1;
SET enable_seqscan = off;
SELECT string_agg(ctid::text || ' id ' || id, ', ') AS index_order
FROM (SELECT ctid, id FROM hot_lib ORDER BY spectrum <~> '100:1 200:1' LIMIT 3) t;
RESET enable_seqscan;
SET enable_indexscan = off;
SELECT string_agg(ctid::text || ' id ' || id, ', ') AS sequential_order
FROM (SELECT ctid, id FROM hot_lib ORDER BY spectrum <~> '100:1 200:1', ctid LIMIT 3) t;
RESET enable_indexscan;
ALTER TABLE hot_lib ADD precursor_mz float8;
SELECT string_agg(ctid::text, ', ') AS identify_top2 FROM identify('100:1 200:1', 1, 'hot_lib', 2, mode => 'open');
DROP TABLE hot_lib;

-- leave the extension's schema as it was (trust_entry_points lists its functions)
DROP TABLE small_lib, small_queries;
DROP FUNCTION small_index_top, small_seq_top, small_mismatches;
