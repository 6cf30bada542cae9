-- Quality bar of issue 19 on a representative case (the whole table: make
-- pmf-sweep, docs/benchmarks-pmf.md): EPA PMF 5.0 example "St. Louis" (418
-- samples x 13 species, every species strong), k = 5, 20 runs, seed 42.
-- Reference figures, published by ESAT's developers
-- (test/data/published_q_pmf5_esat.csv): EPA PMF 5.0's Q(true) 12,388.04;
-- the lowest Q(true) of ESAT's 200 ls-nmf models 12,279.07.
BEGIN;
SET search_path = chemeco, public;
SELECT plan(6);

\ir lib/stlouis.sql
SELECT is((SELECT count(*) FROM stl), (418 * 13)::bigint, 'St. Louis: 418 x 13 values');

SET client_min_messages = warning;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM stl', 5, method => 'pmf5') AS pmf5 \gset
SELECT pmf_fit('SELECT sample, species, conc, unc FROM stl', 5, method => 'ls-nmf', robust => false) AS strict \gset
RESET client_min_messages;

SELECT ok((SELECT q_true <= 12388.04 FROM pmf_run WHERE run_id = :pmf5),
          'pmf5: best Q(true) at most EPA PMF 5.0''s 12,388.04: ' ||
          (SELECT round(q_true::numeric, 1) FROM pmf_run WHERE run_id = :pmf5));
SELECT ok((SELECT q_robust < q_true FROM pmf_run WHERE run_id = :pmf5),
          'pmf5 reports Q(true) and Q(robust), as PMF 5.0 does');
SELECT ok((SELECT q_true <= 12279.07 * 1.001 FROM pmf_run WHERE run_id = :strict),
          'strict ls-nmf: best Q(true) within 0.1% of ESAT''s best of 200 (12,279.07): ' ||
          (SELECT round(q_true::numeric, 1) FROM pmf_run WHERE run_id = :strict));
-- the bound: no contribution below -0.2 x its factor's mean (1% slack: the
-- bound of the last half step comes from the means before it)
SELECT ok((SELECT bool_and(c.value >= -0.2 * m.mean * 1.01 - 1e-12)
           FROM pmf_contribution c
           JOIN (SELECT factor, avg(value) AS mean FROM pmf_contribution WHERE run_id = :pmf5 GROUP BY factor) m
             USING (factor)
           WHERE c.run_id = :pmf5),
          'pmf5 contributions stay at or above -0.2 x the factor mean');
SELECT ok((SELECT bool_and(value >= 0) FROM pmf_contribution WHERE run_id = :strict),
          'ls-nmf contributions are non-negative');

SELECT * FROM finish();
ROLLBACK;
