-- test/upgrade/fill.sql: what a role keeps in chemeco's catalogue before an
-- upgrade: a PMF run, two models (trained and imported), and a table of
-- spectra with a chemeco_flash index.  Run as each test role, with :seed
-- making the roles' data differ.
-- search_path: the role's own schema (set by upgrade.sh); chemeco names are qualified

CREATE TABLE meas AS
SELECT 's' || lpad(i::text, 2, '0') AS sample, 'sp' || j AS species,
	abs(sin(i * j + :seed)) * 10 + 0.1 AS conc, 0.5 AS unc
FROM generate_series(1, 30) i, generate_series(1, 8) j;
SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM meas', 2, runs => 3,
	seed => :seed, max_iter => 300) IS NOT NULL AS fitted;

CREATE TABLE train_rows AS
SELECT i::float8 / 10 AS x1, sin(i + :seed) AS x2, 3 * i::float8 / 10 - 2 * sin(i + :seed) + 1 AS y
FROM generate_series(1, 200) i;
SELECT chemeco.train('ridge', 'linear', 'SELECT x1, x2, y FROM train_rows', 'y') AS version;
SELECT chemeco.train('trees', 'gradient_boosting', 'SELECT x1, x2, y FROM train_rows', 'y',
	'{"n_trees": 5, "max_depth": 2}') AS version;
SELECT chemeco.model_import('imported', 'chemeco-json', chemeco.model_export('ridge')::text) AS version;

CREATE TABLE library (id int PRIMARY KEY, spectrum chemeco.spectrum, precursor_mz float8);
INSERT INTO library
SELECT i, chemeco.spectrum(array_agg(50 + ((i * 37 + j * 11 + :seed) % 400) + j / 100.0 ORDER BY j),
		array_agg(1 + ((i + j * 7) % 13) ORDER BY j)), 100 + i
FROM generate_series(1, 300) i, generate_series(1, 12) j
GROUP BY i;
CREATE INDEX library_flash ON library USING chemeco_flash (spectrum);
