-- chemeco.identify: the modes against hand-made libraries, scores equal to
-- entropy_similarity, caller's rights, clear errors.
BEGIN;
SET search_path = chemeco, public;
SELECT plan(16);

CREATE TABLE "Water Lib" (name text, precursor_mz float8, spectrum spectrum);
INSERT INTO "Water Lib" VALUES
  ('exact',       300.00, '100:20 150:30 250:50'),
  ('near',        300.005,'100:20 150:30 251:50'),
  ('other mass',  350.00, '100:20 150:30 250:50'),
  ('homologue',   314.0157, '114.0157:20 164.0157:30 264.0157:50'),
  ('unrelated',   300.00, '500:1 600:1'),
  ('no spectrum', 300.00, NULL);
CREATE INDEX ON "Water Lib" USING chemeco_flash (spectrum);
CREATE TEMP VIEW named AS SELECT ctid AS row_ctid, name, spectrum FROM "Water Lib";

SELECT is((SELECT array_agg(n.name ORDER BY i.score DESC, n.name) FROM identify('100:20 150:30 250:50', 300, '"Water Lib"') i
           JOIN named n ON n.row_ctid = i.ctid),
          ARRAY['exact', 'near', 'unrelated'], 'identity keeps precursors within 0.01 of 300, best first');
SELECT is((SELECT array_agg(n.name) FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', k => 2, mode => 'open') i
           JOIN named n ON n.row_ctid = i.ctid),
          ARRAY['exact', 'other mass'], 'open ignores the precursor; ties in ctid order');
SELECT is((SELECT i.score FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 1) i), 1::float8,
          'an identical spectrum scores 1');
SELECT is((SELECT i.matched_peaks FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 3) i
           JOIN named n ON n.row_ctid = i.ctid WHERE n.name = 'near'), 2, 'near shares two of three peaks');
SELECT ok((SELECT bool_and(abs(i.score - entropy_similarity(n.spectrum, '100:20 150:30 250:45 400:5')) < 1e-12)
           FROM identify('100:20 150:30 250:45 400:5', 300, '"Water Lib"', 10, mode => 'open') i
           JOIN named n ON n.row_ctid = i.ctid), 'scores are entropy_similarity');
SELECT is((SELECT count(*) FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 10, 0.01, 'open')), 5::bigint,
          'open returns every row with a spectrum when k is large');
SELECT is((SELECT n.name FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 1, mode => 'hybrid') i
           JOIN named n ON n.row_ctid = i.ctid), 'exact', 'hybrid: the exact match comes first');
SELECT is((SELECT round(i.score::numeric, 12) FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 5, mode => 'hybrid') i
           JOIN named n ON n.row_ctid = i.ctid WHERE n.name = 'homologue'), 1.0::numeric,
          'hybrid: a CH2 homologue matches all peaks by neutral loss');
SELECT is((SELECT i.score FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 5, mode => 'open') i
           JOIN named n ON n.row_ctid = i.ctid WHERE n.name = 'homologue'), 0::float8, 'open: the homologue shares no fragment');

CREATE TABLE no_precursor (spectrum spectrum);
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, 'no_precursor')$$, '42703',
                 'library "no_precursor" has no column "precursor_mz"', 'missing precursor_mz is named');
CREATE TABLE no_spectrum (precursor_mz float8);
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, 'no_spectrum')$$, '42703',
                 'library "no_spectrum" has no column "spectrum"', 'missing spectrum is named');
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, '"Water Lib"', mode => 'fuzzy')$$, '22023', NULL, 'unknown mode');
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, '"Water Lib"', 0)$$, '22023', NULL, 'k must be positive');
SELECT throws_ok($$SELECT * FROM identify('100:1', 'NaN', '"Water Lib"')$$, '22023', NULL, 'NaN precursor');

-- the caller's rights: a role without SELECT on the library is refused
CREATE ROLE chemeco_identify_nobody;
GRANT USAGE ON SCHEMA chemeco TO chemeco_identify_nobody;
SET ROLE chemeco_identify_nobody;
SELECT throws_ok($$SELECT * FROM chemeco.identify('100:1', 300, '"Water Lib"')$$, '42501', NULL,
                 'no SELECT on the library: permission denied');
RESET ROLE;
SET search_path = public;
SELECT is((SELECT count(*) FROM chemeco.identify('100:20', 300, 'chemeco."Water Lib"', mode => 'open')), 5::bigint,
          'works without chemeco on the search_path');

SELECT * FROM finish();
ROLLBACK;
