-- A small database with chemeco data of every kind for SQLsmith to combine:
-- spectra (with a chemeco_flash index), PMF measurements and a stored run,
-- impact values and models.  Its own database: SQLsmith also writes.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS chemeco;
SET search_path = public, chemeco;
SELECT setseed(0.25) \g /dev/null
CREATE TABLE spectra (id serial PRIMARY KEY, name text, precursor_mz float8, spectrum spectrum);
INSERT INTO spectra (name, precursor_mz, spectrum)
SELECT 'compound ' || g, 100 + random() * 900,
       spectrum(array_agg(round((50 + random() * 950)::numeric, 3)::float8), array_agg(1 + random() * 999))
FROM generate_series(1, 300) g, generate_series(1, 1 + g % 30) p GROUP BY g;
INSERT INTO spectra (name, precursor_mz, spectrum) VALUES ('empty', NULL, ''), ('null', 500, NULL);
CREATE INDEX spectra_flash ON spectra USING chemeco_flash (spectrum);
CREATE TABLE measurements AS
SELECT 's' || i AS sample, 'sp' || j AS species, abs(sin(i * j)) * 10 + 0.1 AS conc, 0.5 + j * 0.01 AS unc
FROM generate_series(1, 30) i, generate_series(1, 8) j;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM measurements', 2, 2, max_iter => 50) \g /dev/null
CREATE TABLE impacts AS
SELECT g AS id, jsonb_build_object('cch', random() * 10, 'acd', random(), 'ior', random()) AS impacts,
       random() * 100 AS ecs, random() AS mass, (ARRAY['jean', 'shirt', 'coat'])[1 + g % 3] AS product
FROM generate_series(1, 200) g;
SELECT train('smith_linear', 'linear', 'SELECT mass, product, ecs FROM impacts', 'ecs') \g /dev/null
SELECT train('smith_trees', 'gradient_boosting', 'SELECT mass, product, ecs FROM impacts', 'ecs', '{"n_trees": 5}') \g /dev/null
ANALYZE;
