-- EPA PMF 5.0 example "St. Louis" (test/data, licence in test/data/LICENSES.md)
-- as a temporary long table stl(sample, species, conc, unc): 418 samples x 13
-- species.  Included (\ir) by the pgTAP files that fit it.
CREATE TEMP TABLE con_raw (n serial, line text);
CREATE TEMP TABLE unc_raw (n serial, line text);
\copy con_raw(line) FROM 'test/data/Dataset-StLouis-con.csv'
\copy unc_raw(line) FROM 'test/data/Dataset-StLouis-unc.csv'
CREATE TEMP TABLE stl AS
SELECT c.f[1] AS sample, h.f[k] AS species, c.f[k]::float8 AS conc, u.f[k]::float8 AS unc
FROM (SELECT string_to_array(line, ',') f FROM con_raw WHERE n = 1) h,
     (SELECT n, string_to_array(line, ',') f FROM con_raw WHERE n > 1) c
     JOIN (SELECT n, string_to_array(line, ',') f FROM unc_raw WHERE n > 1) u USING (n),
     generate_series(2, 14) k;
