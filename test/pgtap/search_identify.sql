-- chemeco.identify: the modes against hand-made libraries, scores equal to
-- entropy_similarity, caller's rights, clear errors.
BEGIN;
SET search_path = chemeco, public;
SELECT plan(43);

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

-- neutral_loss: scores on losses (precursor - m/z) only, as FlashEntropySearch's neutral-loss search
SELECT is((SELECT round(i.score::numeric, 12) FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 5, mode => 'neutral_loss') i
           JOIN named n ON n.row_ctid = i.ctid WHERE n.name = 'homologue'), 1.0::numeric,
          'neutral_loss: the CH2 homologue shares every loss');
SELECT is((SELECT i.matched_peaks FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 5, mode => 'neutral_loss') i
           JOIN named n ON n.row_ctid = i.ctid WHERE n.name = 'homologue'), 3, 'neutral_loss: three losses matched');
SELECT is((SELECT i.score FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 5, mode => 'neutral_loss') i
           JOIN named n ON n.row_ctid = i.ctid WHERE n.name = 'unrelated'), 0::float8, 'neutral_loss: no shared loss scores 0');
SELECT is((SELECT array_agg(n.name ORDER BY i.score DESC, n.name) FROM identify('100:20 150:30 250:50', 300, '"Water Lib"', 2, mode => 'neutral_loss') i
           JOIN named n ON n.row_ctid = i.ctid), ARRAY['exact', 'homologue'], 'neutral_loss: the two rows with all losses, ties by ctid');

-- ppm, precursor removal and merge distance.  Scores from test/reference/identify_reference.py, an
-- independent numpy re-implementation of ms_entropy's clean_spectrum, weighting and peak match.
CREATE TABLE opts (name text, precursor_mz float8, spectrum spectrum);
INSERT INTO opts VALUES
  ('intact',  300, '100:20 150:30 250:45'),
  ('shifted', 300, '100.002:20 150.002:30 250.002:45'),
  ('split',   300, '99.9775:10 100.0225:10 150:30 250:45');
CREATE TEMP VIEW opts_named AS SELECT ctid AS row_ctid, name FROM opts;
CREATE FUNCTION pg_temp.opt_score(q spectrum, row_name text, mode text DEFAULT 'open', ppm float8 DEFAULT NULL,
	removal float8 DEFAULT NULL, merge float8 DEFAULT 0.04) RETURNS float8 LANGUAGE sql AS $$
	SELECT i.score FROM chemeco.identify(q, 300, 'opts', 10, 0.01, mode, ppm, removal, merge) i
	JOIN opts_named n ON n.row_ctid = i.ctid WHERE n.name = row_name $$;
SELECT ok(abs(pg_temp.opt_score('100:20 150:30 250:45 300:5', 'intact') - 0.942996025554277) < 1e-12,
          'the query''s intact precursor peak lowers the score (reference 0.942996025554277)');
SELECT ok(abs(pg_temp.opt_score('100:20 150:30 250:45 300:5', 'intact', removal => 1.6) - 1) < 1e-12,
          'precursor_removal => 1.6 drops it, as FlashEntropySearch does: score 1');
SELECT ok(abs(pg_temp.opt_score('100:20 150:30 250:45 300:5', 'intact', 'identity', removal => 1.6) - 1) < 1e-12,
          'precursor_removal in identity mode');
SELECT ok(abs(pg_temp.opt_score('100:20 150:30 250:45', 'shifted') - 1) < 1e-12, '0.002 Da shifts match at 0.02 Da');
SELECT ok(abs(pg_temp.opt_score('100:20 150:30 250:45', 'shifted', ppm => 10) - 0.404337506292651) < 1e-12,
          '10 ppm: only the peak at 250 (window 0.0025 Da) matches (reference 0.404337506292651)');
SELECT is((SELECT i.matched_peaks FROM identify('100:20 150:30 250:45', 300, 'opts', 10, 0.01, 'open', 10) i
           JOIN opts_named n ON n.row_ctid = i.ctid WHERE n.name = 'shifted'), 1, '10 ppm: one matched peak');
SELECT ok(abs(pg_temp.opt_score('100:20 150:30 250:45', 'split') - 0.701747337965106) < 1e-12,
          'merging within 0.04 Da keeps 99.9775 and 100.0225 apart (reference 0.701747337965106)');
SELECT ok(abs(pg_temp.opt_score('100:20 150:30 250:45', 'split', merge => 0.05) - 1) < 1e-12,
          'merge_tolerance => 0.05 (FlashEntropySearch) merges them into 100: score 1');
SELECT ok(abs(pg_temp.opt_score('100:20 150:30 250:45', 'split', 'hybrid', 10, 1.6, 0.05)
              - pg_temp.opt_score('100:20 150:30 250:45', 'split', 'open', 10, 1.6, 0.05)) < 1e-12,
          'hybrid with every option: no loss pairs beyond the direct ones for equal precursors');
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, 'opts', ms2_tolerance_ppm => 0)$$, '22023', NULL, 'ppm must be > 0');
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, 'opts', precursor_removal => -1)$$, '22023', NULL,
                 'precursor_removal must be >= 0');
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, 'opts', merge_tolerance => NULL)$$, '22023', NULL,
                 'merge_tolerance must not be NULL');
SELECT is((SELECT count(*) FROM identify(NULL, 300, 'opts')), 0::bigint, 'a NULL query gives no rows');

-- ties at the k-th place are broken by ctid, with or without the index, also after a HOT update
-- (which leaves the row at its old index entry)
CREATE TABLE dups (id int, note text, precursor_mz float8, spectrum spectrum) WITH (fillfactor = 50);
INSERT INTO dups SELECT g, 'x', 300, '100:1 200:1' FROM generate_series(1, 4) g;
CREATE INDEX ON dups USING chemeco_flash (spectrum);
UPDATE dups SET note = 'y' WHERE id = 1;
SET LOCAL enable_seqscan = off;
SELECT is((SELECT array_agg(ctid::text) FROM identify('100:1 200:1', 300, 'dups', 2, mode => 'open')),
          ARRAY['(0,2)', '(0,3)'], 'ties cut by ctid through the index');
RESET enable_seqscan;
SET LOCAL enable_indexscan = off;
SELECT is((SELECT array_agg(ctid::text) FROM identify('100:1 200:1', 300, 'dups', 2, mode => 'open')),
          ARRAY['(0,2)', '(0,3)'], 'the same without the index');
RESET enable_indexscan;

-- a precursor_mz column that is not a number is named before any SQL runs
CREATE TABLE text_precursor (precursor_mz text, spectrum spectrum);
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, 'text_precursor')$$, '42804',
                 'column "precursor_mz" of library "text_precursor" is of type text, not a number',
                 'a text precursor_mz is a datatype mismatch naming the column');
CREATE TABLE numeric_precursor (precursor_mz numeric, spectrum spectrum);
INSERT INTO numeric_precursor VALUES (300, '100:1');
SELECT is((SELECT count(*) FROM identify('100:1', 300, 'numeric_precursor')), 1::bigint, 'a numeric precursor_mz works');

-- views: no ctid, so key_column identifies the rows and breaks ties
CREATE VIEW cc0_lib AS SELECT name, precursor_mz, spectrum FROM "Water Lib" WHERE name <> 'other mass';
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, 'cc0_lib')$$, '42809', NULL,
                 'a view without key_column: a clear error');
SELECT is((SELECT array_agg(key ORDER BY score DESC, key) FROM identify('100:20 150:30 250:50', 300, 'cc0_lib', key_column => 'name')),
          ARRAY['exact', 'near', 'unrelated'], 'a view with key_column: identity mode');
SELECT is((SELECT array_agg(key) FROM identify('100:20 150:30 250:50', 300, 'cc0_lib', 3, mode => 'hybrid', key_column => 'name')),
          ARRAY['exact', 'homologue', 'near'], 'a view: hybrid, ties by key');
SELECT is((SELECT count(*) FROM identify('100:20 150:30 250:50', 300, 'cc0_lib', key_column => 'name') WHERE ctid IS NOT NULL),
          0::bigint, 'a view: ctid is NULL');
SELECT ok((SELECT bool_and(v.score = t.score AND v.matched_peaks = t.matched_peaks)
           FROM identify('100:20 150:30 250:45 400:5', 300, 'cc0_lib', 10, mode => 'open', key_column => 'name') v
           JOIN identify('100:20 150:30 250:45 400:5', 300, '"Water Lib"', 10, mode => 'open', key_column => 'name') t USING (key)),
          'a view scores its rows as the table does');
SELECT throws_ok($$SELECT * FROM identify('100:1', 300, 'cc0_lib', key_column => 'nope')$$, '42703', NULL,
                 'a missing key_column is named');

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
