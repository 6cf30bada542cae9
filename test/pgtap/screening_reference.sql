-- Screening chemistry against independent values:
-- - chemeco.element_isotope (SQL) against the compiled table (C), row by row;
-- - MassBank's own precursor m/z (645 LC-ESI [M+H]+ records) and EXACTMASS
--   (253 GC-EI records), test/data/massbank_formulas.csv
--   (test/reference/massbank_formulas.py);
-- - nominal isotope clusters of 532 formulas from IsoSpec
--   (test/reference/isotope_reference.py, Debian python3-isospec).
BEGIN;
SET search_path = public, chemeco;
SELECT plan(16);

-- the SQL table and the C table agree
SELECT is((SELECT count(DISTINCT symbol) FROM element_isotope), 84::bigint,
          '84 elements H..U with a natural composition (not Tc, Pm, Po, At, Rn, Fr, Ra, Ac)');
SELECT is((SELECT count(*) FROM element_isotope
           WHERE formula_mass('[' || mass_number || symbol || ']') IS DISTINCT FROM mass),
          0::bigint, 'every isotope: the kernel''s mass of [A X] equals element_isotope.mass exactly');
SELECT is((SELECT count(*) FROM (
             SELECT symbol, formula_mass(symbol) AS kernel,
                    (array_agg(mass ORDER BY abundance DESC))[1] AS mono
             FROM element_isotope GROUP BY symbol) t
           WHERE kernel IS DISTINCT FROM mono),
          0::bigint, 'every element: monoisotopic mass = mass of the most abundant isotope in the table');
SELECT is((SELECT count(*) FROM (
             SELECT symbol, formula_mass(symbol, false) AS kernel, sum(mass * abundance) AS average
             FROM element_isotope GROUP BY symbol) t
           WHERE abs(kernel - average) > 1e-9 * average),
          0::bigint, 'every element: average mass = sum(mass * abundance) over the table');
SELECT is((SELECT count(*) FROM (SELECT symbol, sum(abundance) AS s FROM element_isotope GROUP BY symbol) t
           WHERE abs(s - 1) > 1e-9),
          0::bigint, 'abundances of every element sum to 1');
SELECT is((SELECT count(*) FROM element_isotope e,
             LATERAL (SELECT isotope_pattern('[' || e.mass_number || e.symbol || ']', NULL, 0, 0) AS p) x
           WHERE NOT (npeaks(x.p) = 1 AND (mz(x.p))[1] = e.mass AND (intensities(x.p))[1] = 1)),
          0::bigint, 'every isotope alone: one peak at its mass with intensity 1');

-- MassBank records
CREATE TEMP TABLE massbank (accession text, formula text, adduct text, mass float8);
\copy massbank FROM 'test/data/massbank_formulas.csv' WITH (FORMAT csv, HEADER)
SELECT is((SELECT count(*) FROM massbank WHERE adduct = '[M+H]+'), 645::bigint, '645 LC-ESI [M+H]+ records');
SELECT is((SELECT count(*) FROM massbank WHERE adduct IS NULL), 253::bigint, '253 GC-EI records with EXACTMASS');
SELECT is((SELECT count(*) FROM massbank
           WHERE adduct = '[M+H]+' AND NOT abs(adduct_mz(formula, adduct) - mass) <= 0.001),
          0::bigint, 'adduct_mz(formula, ''[M+H]+'') equals the precursor m/z within 1 mDa for all 645');
SELECT is((SELECT count(*) FROM massbank
           WHERE adduct IS NULL AND NOT abs(formula_mass(formula) - mass) <= 1e-4),
          0::bigint, 'formula_mass equals EXACTMASS within 1e-4 for all 253');

-- isotope patterns against IsoSpec
CREATE TEMP TABLE isospec (formula text, k int, intensity float8, mean_mass float8);
\copy isospec FROM 'test/data/isotope_reference.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE ours AS
SELECT f.formula, round(p.mz - formula_mass(f.formula))::int AS k, p.mz, p.intensity
FROM (SELECT DISTINCT formula FROM isospec) f,
     LATERAL unnest(mz(isotope_pattern(f.formula, NULL, 0.5, 0)),
                    intensities(isotope_pattern(f.formula, NULL, 0.5, 0))) AS p(mz, intensity);
SELECT cmp_ok((SELECT count(DISTINCT formula) FROM isospec), '>=', 500::bigint, 'at least 500 reference formulas');
SELECT is((SELECT count(*) FROM isospec r LEFT JOIN ours o USING (formula, k)
           WHERE r.intensity >= 1e-4 AND o.k IS NULL),
          0::bigint, 'every IsoSpec cluster >= 1e-4 has a peak');
SELECT is((SELECT count(*) FROM ours o LEFT JOIN isospec r USING (formula, k)
           WHERE o.intensity >= 1e-4 AND r.k IS NULL),
          0::bigint, 'every peak >= 1e-4 has an IsoSpec cluster');
SELECT is((SELECT count(*) FROM isospec r JOIN ours o USING (formula, k)
           WHERE NOT abs(r.intensity - o.intensity) <= 1e-4),
          0::bigint, 'nominal cluster intensities agree to 1e-4');
SELECT is((SELECT count(*) FROM isospec r JOIN ours o USING (formula, k)
           WHERE r.intensity >= 1e-4 AND NOT abs(r.mean_mass - o.mz) <= 1e-4),
          0::bigint, 'nominal cluster mean masses (clusters >= 1e-4) agree to 1e-4 u');
SELECT is((SELECT count(*) FROM (SELECT formula, sum(intensity) AS s FROM ours GROUP BY formula) t
           WHERE abs(s - 1) > 1e-6),
          0::bigint, 'pattern intensities are fractions of the total abundance (sum to 1 without a cut)');

SELECT * FROM finish();
ROLLBACK;
