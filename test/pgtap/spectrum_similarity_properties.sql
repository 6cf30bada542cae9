-- Properties of the similarity functions on random spectra: range [0,1],
-- symmetry where the definition is symmetric, identity gives 1, empty gives 0,
-- and the function markings the planner relies on.
BEGIN;
SET search_path = chemeco, public;
SELECT plan(12);

CREATE TEMP TABLE r AS
SELECT g AS id,
       spectrum(array_agg(round((50 + random() * 950)::numeric, 2)::float8),
                array_agg(1 + random() * 999)) AS s
FROM generate_series(1, 60) g, generate_series(1, 25) p GROUP BY g;

SELECT is((SELECT count(*) FROM r a, r b
           WHERE NOT (cosine(a.s, b.s) BETWEEN 0 AND 1
                  AND entropy_similarity(a.s, b.s) BETWEEN 0 AND 1
                  AND modified_cosine(a.s, b.s, 500, 480) BETWEEN 0 AND 1)),
          0::bigint, 'every similarity lies in [0, 1]');

SELECT is((SELECT count(*) FROM r a, r b
           WHERE abs(entropy_similarity(a.s, b.s) - entropy_similarity(b.s, a.s)) > 1e-12),
          0::bigint, 'entropy similarity is symmetric');

SELECT is((SELECT count(*) FROM r WHERE abs(cosine(s, s) - 1) > 1e-12
                                     OR abs(entropy_similarity(s, s) - 1) > 1e-12
                                     OR abs(modified_cosine(s, s, 300, 300) - 1) > 1e-12),
          0::bigint, 'a spectrum is identical to itself');

SELECT is((SELECT count(*) FROM r WHERE cosine(s, '') <> 0 OR entropy_similarity('', s) <> 0
                                     OR modified_cosine(s, '', 100, 100) <> 0 OR cosine_matches(s, '') <> 0),
          0::bigint, 'similarity with the empty spectrum is 0');

SELECT is((SELECT count(*) FROM r WHERE cosine_matches(s, s) <> npeaks(s)),
          0::bigint, 'cosine_matches of a spectrum with itself is its peak count');

SELECT is(entropy_similarity('100:1 200:1', '300:1 400:1'), 0::float8, 'disjoint spectra score 0');

SELECT throws_ok($$SELECT cosine('100:1', '100:1', -0.1)$$, '22023', NULL, 'negative tolerance is rejected');
SELECT throws_ok($$SELECT entropy_similarity('100:1', '100:1', 'NaN')$$, '22023', NULL, 'NaN tolerance is rejected');
SELECT throws_ok($$SELECT modified_cosine('100:1', '100:1', 0, 100)$$, '22023', NULL, 'precursor must be positive');
SELECT throws_ok($$SELECT clean('100:1', "normalize" => 'median')$$, '22023', NULL, 'unknown normalisation is rejected');

SELECT is((SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'chemeco'
             AND p.proname IN ('cosine', 'cosine_matches', 'modified_cosine', 'entropy_similarity',
                               'spectral_entropy', 'spectrum', 'mz', 'intensities', 'npeaks')
             AND NOT (p.provolatile = 'i' AND p.proisstrict AND p.proparallel = 's')),
          0::bigint, 'similarity functions are IMMUTABLE STRICT PARALLEL SAFE');

SELECT is((SELECT provolatile::text || proparallel::text FROM pg_proc WHERE oid = 'chemeco.clean'::regproc),
          'is', 'clean is IMMUTABLE PARALLEL SAFE (not strict: max_mz defaults to NULL)');

SELECT * FROM finish();
ROLLBACK;
