-- Properties of read_msp / read_mgf on random spectra: writing a library as MSP or
-- MGF text (in any peak order, with any of the allowed separators) and reading it
-- back gives every spectrum, precursor and name exactly, in order; skip mode keeps
-- exactly the good records; and the markings the planner relies on.
BEGIN;
SET search_path = chemeco, public;
SELECT plan(8);

-- full-precision random values: the shortest round-trip text of a double reads back bit for bit
CREATE TEMP TABLE r AS
SELECT g AS id, 'compound ' || g AS name, 100 + random() * 900 AS precursor,
       spectrum(array_agg(50 + random() * 950), array_agg(random() * 1e6)) AS s
FROM generate_series(1, 300) g, generate_series(1, 1 + (g % 40)) p GROUP BY g;

-- peak lines in reverse m/z order, so reading must sort them
CREATE TEMP TABLE text_of AS
SELECT id, (SELECT string_agg(m::text || sep || i::text, E'\n' ORDER BY m DESC)
            FROM unnest(mz(s), intensities(s)) p(m, i)) AS peaks,
       npeaks(s) AS n
FROM r, LATERAL (SELECT (ARRAY[' ', E'\t', ':', ', ', ' ; '])[1 + id % 5] AS sep) x;

CREATE TEMP TABLE msp AS
SELECT * FROM read_msp((SELECT string_agg(format(E'Name: %s\nPrecursorMZ: %s\nNum Peaks: %s\n%s\n',
                                                 r.name, r.precursor, t.n, t.peaks), E'\n' ORDER BY r.id)
                        FROM r JOIN text_of t USING (id)));
CREATE TEMP TABLE mgf AS
SELECT * FROM read_mgf((SELECT string_agg(format(E'BEGIN IONS\nTITLE=%s\nPEPMASS=%s 1000\nCHARGE=1+\n%s\nEND IONS\n',
                                                 r.name, r.precursor, replace(t.peaks, ':', ' ')), E'\n' ORDER BY r.id)
                        FROM r JOIN text_of t USING (id)));

SELECT is((SELECT count(*) FROM msp JOIN r ON r.id = msp.ordinal
           WHERE msp.spectrum::text = r.s::text AND msp.precursor_mz = r.precursor AND msp.name = r.name),
          300::bigint, 'MSP: every spectrum, precursor and name reads back exactly, in file order');
SELECT is((SELECT count(*) FROM mgf JOIN r ON r.id = mgf.ordinal
           WHERE mgf.spectrum::text = r.s::text AND mgf.precursor_mz = r.precursor AND mgf.name = r.name),
          300::bigint, 'MGF: every spectrum, precursor and name reads back exactly, in file order');
SELECT is((SELECT count(*) FROM msp WHERE (metadata->>'num peaks')::int <> npeaks(spectrum)
                                       OR (metadata->'precursormz')::text::float8 <> precursor_mz),
          0::bigint, 'metadata numbers equal the values they describe');

-- every third record broken (a negative intensity): skip keeps exactly the others
-- (its 100 warnings are not shown)
SET LOCAL client_min_messages = error;
CREATE TEMP TABLE skipped AS
SELECT * FROM read_mgf((SELECT string_agg(format(E'BEGIN IONS\nTITLE=%s\n%s\n%s\nEND IONS\n', r.name,
                                                 replace(t.peaks, ':', ' '), CASE WHEN r.id % 3 = 0 THEN '100 -1' ELSE '' END),
                                          E'\n' ORDER BY r.id)
                        FROM r JOIN text_of t USING (id)), on_error => 'skip');
RESET client_min_messages;
SELECT is((SELECT array_agg(ordinal ORDER BY ordinal) FROM skipped),
          (SELECT array_agg(id ORDER BY id) FROM r WHERE id % 3 <> 0),
          'on_error => skip returns exactly the well-formed records with their ordinals');
SELECT throws_ok($$SELECT * FROM read_msp(E'Name: a\nNum Peaks: 1\n10 1\n\nName: b\nNum Peaks: 1\n10 -1\n')$$,
                 '22P02', 'invalid MSP record 2 at line 7: intensity must not be negative at column 1',
                 'a malformed record is an ERROR naming record and line');

SELECT is((SELECT array_agg(DISTINCT format('%s %s %s %s', provolatile, proisstrict, proparallel, proretset))
           FROM pg_proc WHERE proname IN ('read_msp', 'read_mgf')
             AND pronamespace = 'chemeco'::regnamespace),
          ARRAY['i t s t'], 'read_msp and read_mgf are IMMUTABLE STRICT PARALLEL SAFE set-returning');
SELECT is((SELECT count(*) FROM read_msp(NULL)), 0::bigint, 'NULL content gives no rows');
SELECT is((SELECT count(*) FROM read_mgf(repeat(E'\n', 100000))), 0::bigint, 'blank content gives no rows');

SELECT * FROM finish();
ROLLBACK;
