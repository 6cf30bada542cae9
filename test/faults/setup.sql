-- Fault tests: data for a long PMF fit, a long training, a large index build.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS chemeco;
SET search_path = public, chemeco;

CREATE TABLE con_raw (n serial, line text);
CREATE TABLE unc_raw (n serial, line text);
\copy con_raw(line) FROM 'test/data/Dataset-BatonRouge-con.csv'
\copy unc_raw(line) FROM 'test/data/Dataset-BatonRouge-unc.csv'
CREATE TABLE batonrouge AS
SELECT c.n AS row_no, k AS col_no, c.f[1] AS sample, h.f[k] AS species, c.f[k]::float8 AS conc, u.f[k]::float8 AS unc
FROM (SELECT string_to_array(line, ',') f FROM con_raw WHERE n = 1) h,
     (SELECT n, string_to_array(line, ',') f FROM con_raw WHERE n > 1) c
     JOIN (SELECT n, string_to_array(line, ',') f FROM unc_raw WHERE n > 1) u USING (n),
     generate_series(2, 42) k;

SELECT setseed(0.5) \g /dev/null
CREATE TABLE products AS
SELECT g AS id, 0.1 + random() AS mass, random() AS share, (ARRAY['FR', 'CN', 'IN'])[1 + g % 3] AS country,
       random() * 100 AS ecs
FROM generate_series(1, 50000) g;

CREATE TABLE library (id serial PRIMARY KEY, precursor_mz float8, spectrum spectrum);
INSERT INTO library (precursor_mz, spectrum)
SELECT 100 + random() * 900, spectrum(array_agg(50 + floor(random() * 20000) * 0.0475), array_agg(1 + random() * 999))
FROM generate_series(1, :library_size) g, generate_series(1, 40) p GROUP BY g;
ANALYZE;
