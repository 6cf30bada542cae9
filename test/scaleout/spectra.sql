-- Coordinator: a spectral library hash-partitioned over the shards as
-- foreign partitions, against the same rows in one local table.
SET search_path = public, chemeco;
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS library, library_local CASCADE;
CREATE TABLE library (id int, name text, precursor_mz float8, spectrum spectrum) PARTITION BY HASH (id);
CREATE FOREIGN TABLE library_1 PARTITION OF library FOR VALUES WITH (MODULUS 3, REMAINDER 0)
	SERVER shard1 OPTIONS (schema_name 'public', table_name 'library_part');
CREATE FOREIGN TABLE library_2 PARTITION OF library FOR VALUES WITH (MODULUS 3, REMAINDER 1)
	SERVER shard2 OPTIONS (schema_name 'public', table_name 'library_part');
CREATE FOREIGN TABLE library_3 PARTITION OF library FOR VALUES WITH (MODULUS 3, REMAINDER 2)
	SERVER shard3 OPTIONS (schema_name 'public', table_name 'library_part');
CREATE TABLE library_local (LIKE library);

-- real spectra plus generated ones
CREATE TEMP TABLE sample (id int, accession text, name text, inchikey text, precursor_mz float8, spectrum spectrum);
\copy sample FROM 'test/data/spectra_sample.csv' WITH (FORMAT csv, HEADER)
SELECT setseed(0.7) \g /dev/null
INSERT INTO library_local
SELECT id, name, precursor_mz, spectrum FROM sample
UNION ALL
SELECT 1000 + g, 'generated ' || g, 100 + random() * 900,
       spectrum(array_agg(round((50 + random() * 950)::numeric, 3)::float8), array_agg(random() * 1000))
FROM generate_series(1, 3000) g, generate_series(1, 30) p GROUP BY g;
INSERT INTO library SELECT * FROM library_local;

SELECT CASE WHEN (SELECT count(*) FROM library) = (SELECT count(*) FROM library_local)
             AND (SELECT count(*) FROM library_1) > 0 AND (SELECT count(*) FROM library_3) > 0
       THEN 'ok' ELSE 'not ok' END || ' library rows spread over three shards';

-- top-10 by entropy similarity for every real spectrum as a query
WITH q AS (SELECT id, spectrum FROM sample),
dist AS (
	SELECT q.id, array(SELECT l.id FROM library l ORDER BY entropy_similarity(l.spectrum, q.spectrum) DESC, l.id LIMIT 10) AS ids
	FROM q),
local AS (
	SELECT q.id, array(SELECT l.id FROM library_local l ORDER BY entropy_similarity(l.spectrum, q.spectrum) DESC, l.id LIMIT 10) AS ids
	FROM q)
SELECT CASE WHEN count(*) = 30 AND bool_and(d.ids = l.ids) THEN 'ok' ELSE 'not ok' END
       || ' top-10 entropy search on shards equals one node (' || count(*) || ' queries)'
FROM dist d JOIN local l USING (id);

-- the similarity runs on the shards: postgres_fdw ships chemeco functions
CREATE TEMP TABLE plan_text (line text);
DO $$
DECLARE r record;
BEGIN
	FOR r IN EXECUTE 'EXPLAIN (VERBOSE) SELECT id FROM library WHERE chemeco.cosine(spectrum, ''100:1''::chemeco.spectrum) > 0.5' LOOP
		INSERT INTO plan_text VALUES (r."QUERY PLAN");
	END LOOP;
END $$;
SELECT CASE WHEN count(*) = 3 THEN 'ok' ELSE 'not ok' END || ' similarity filter pushed down to all three shards'
FROM plan_text WHERE line LIKE '%Remote SQL:%chemeco.cosine(%';

-- the same through the <~> operator: each shard orders by its chemeco_flash index
ANALYZE library_local;
WITH q AS (SELECT id, spectrum FROM sample),
dist AS (SELECT q.id, array(SELECT l.id FROM library l ORDER BY l.spectrum <~> q.spectrum, l.id LIMIT 10) AS ids FROM q),
local AS (SELECT q.id, array(SELECT l.id FROM library_local l ORDER BY l.spectrum <~> q.spectrum, l.id LIMIT 10) AS ids FROM q)
SELECT CASE WHEN count(*) = 30 AND bool_and(d.ids = l.ids) THEN 'ok' ELSE 'not ok' END
       || ' top-10 <~> search on shards equals one node (' || count(*) || ' queries)'
FROM dist d JOIN local l USING (id);
TRUNCATE plan_text;
DO $$
DECLARE r record;
BEGIN
	FOR r IN EXECUTE 'EXPLAIN (VERBOSE) SELECT id FROM library ORDER BY spectrum OPERATOR(chemeco.<~>) ''100:1 200:1''::chemeco.spectrum LIMIT 10' LOOP
		INSERT INTO plan_text VALUES (r."QUERY PLAN");
	END LOOP;
END $$;
SELECT CASE WHEN count(*) = 3 THEN 'ok' ELSE 'not ok' END || ' ORDER BY <~> pushed down to all three shards (merged on the coordinator)'
FROM plan_text WHERE line LIKE '%Remote SQL:%ORDER BY (spectrum OPERATOR(chemeco.<~>)%';
