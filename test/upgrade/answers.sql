-- test/upgrade/answers.sql: what a role's stored work answers; run before
-- and after ALTER EXTENSION chemeco UPDATE, the two outputs must be equal.
-- search_path: the role's own schema (set by upgrade.sh); chemeco names are qualified
\pset footer off

SELECT count(*) AS runs FROM chemeco.pmf_run;
SELECT (SELECT count(*) FROM chemeco.pmf_model) AS models, (SELECT count(*) FROM chemeco.pmf_profile) AS profiles,
	(SELECT count(*) FROM chemeco.pmf_contribution) AS contributions, (SELECT count(*) FROM chemeco.pmf_residual) AS residuals;
SELECT r.q_true, r.q_robust, p.factor, p.species, p.value
FROM chemeco.pmf_run r JOIN chemeco.pmf_profile p USING (run_id)
ORDER BY p.factor, p.species;
-- pmf_bootstrap on the old run re-runs its stored query
SELECT b.factor, b.species, b.base, b.p05, b.p50, b.p95, b.mapped
FROM chemeco.pmf_run r, chemeco.pmf_bootstrap(r.run_id, resamples => 4) b
ORDER BY b.factor, b.species;

SELECT name, version, algorithm, metrics FROM chemeco.model ORDER BY name, version;
SELECT m.name, m.version, x1, chemeco.predict(m.name, m.version, ARRAY[x1, sin(x1)]::float8[]) AS prediction
FROM chemeco.model m, (VALUES (0.5), (3.0), (17.25)) v(x1)
ORDER BY m.name, m.version, x1;

-- the chemeco_flash index answers as before, and as a sequential scan does
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM library ORDER BY spectrum <~> (SELECT spectrum FROM library WHERE id = 7) LIMIT 5;
SELECT id, spectrum <~> (SELECT spectrum FROM library WHERE id = 7) AS distance
FROM library ORDER BY spectrum <~> (SELECT spectrum FROM library WHERE id = 7), id LIMIT 5;
RESET enable_seqscan;
SELECT hit.ctid, hit.score, hit.matched_peaks FROM chemeco.identify((SELECT spectrum FROM library WHERE id = 11), 111, 'library', k => 3) hit;
SELECT round(chemeco.cosine(a.spectrum, b.spectrum)::numeric, 12) AS cosine,
	round(chemeco.modified_cosine(a.spectrum, b.spectrum, a.precursor_mz, b.precursor_mz)::numeric, 12) AS modified,
	round(chemeco.entropy_similarity(a.spectrum, b.spectrum)::numeric, 12) AS entropy,
	chemeco.clean(a.spectrum) AS cleaned
FROM library a, library b WHERE a.id = 3 AND b.id = 4;
