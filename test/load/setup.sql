-- Load test set-up: an indexed spectral library, a products table, a model.
SET search_path = public, chemeco;
SET client_min_messages = warning;
DROP TABLE IF EXISTS load_library, load_products, load_result;
SELECT setseed(0.31) \g /dev/null

-- spectra drawn from a vocabulary of 5000 fragment m/z values, so every
-- library spectrum shares peaks with hundreds of others: top-10 answers
-- never reach the distance-1 tail where concurrent inserts would land
CREATE TABLE load_library (id serial PRIMARY KEY, precursor_mz float8, spectrum spectrum);
INSERT INTO load_library (precursor_mz, spectrum)
SELECT 100 + random() * 900,
       spectrum(array_agg(50 + floor(random() * 5000) * 0.19), array_agg(1 + random() * 999))
FROM generate_series(1, 20000) g, generate_series(1, 30) p GROUP BY g;
CREATE INDEX load_library_flash ON load_library USING chemeco_flash (spectrum);

CREATE TABLE load_products (id int PRIMARY KEY, grp int, mass float8, cotton_share float8, country text, ecs float8);
INSERT INTO load_products
SELECT g, 1 + g % 10, 0.1 + random(), random(), (ARRAY['FR', 'CN', 'IN', 'TR', 'BD'])[1 + g % 5], 0
FROM generate_series(1, 100000) g;
UPDATE load_products SET ecs = 100 * mass * (1 + cotton_share) + CASE country WHEN 'CN' THEN 30 WHEN 'BD' THEN 40 ELSE 0 END
	+ random() * 10;
ANALYZE load_library, load_products;

SELECT train('load_gbm', 'gradient_boosting',
	'SELECT mass, cotton_share, country, ecs FROM load_products WHERE id <= 20000', 'ecs',
	'{"n_trees": 50, "max_depth": 4, "seed": 1}') \g /dev/null

-- every transaction logs what it saw; afterwards a serial re-run must agree
CREATE TABLE load_result (kind text, key int, result text);
