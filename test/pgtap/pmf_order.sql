-- A fit depends on the data alone: samples and species are put in byte order
-- of their names before fitting, so the same values with the same seed give
-- the same bits whatever the order of the query's rows, the table's physical
-- order, the collation of an ORDER BY, or the number of threads.  Names mix
-- case, digits and accents so that collations order them differently.
BEGIN;
SET search_path = public, chemeco;
SELECT plan(12);

CREATE TEMP TABLE meas AS
SELECT s.name AS sample, sp.name AS species,
	abs(sin(s.i * 1.7 + sp.j)) * 10 + 0.2 * s.i + 0.1 AS conc, 0.3 + 0.05 * sp.j AS unc
FROM (SELECT i, (ARRAY['day10', 'Day2', 'day1', 'éte3', 'Ete4', 'b7', 'B8', 'a9', '_x', 'z0',
		'day11', 'Day12', 'day13', 'éte14', 'Ete15', 'b16', 'B17', 'a18', '_y', 'Z19'])[i] AS name
	FROM generate_series(1, 20) i) s,
	(SELECT j, (ARRAY['Zn', 'fe', 'Fe2', 'OC', 'oc', 'NO3', 'so4', 'Éc'])[j] AS name
	FROM generate_series(1, 8) j) sp;
-- the same rows, stored in another physical order
CREATE TEMP TABLE meas_shuffled AS SELECT * FROM meas ORDER BY md5(sample || species);

CREATE TEMP TABLE fits (label text, run_id bigint);
CREATE FUNCTION pg_temp.fit(label text, query text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO fits VALUES (label, chemeco.pmf_fit(query, 3, runs => 4, seed => 7, max_iter => 400));
END $$;
-- what a run produced, as exact text (float8 prints round-trip exact)
CREATE FUNCTION pg_temp.result_of(wanted text) RETURNS text LANGUAGE sql AS $$
	SELECT (SELECT q_true::text || '/' || q_robust::text || ' | ' FROM chemeco.pmf_run r WHERE r.run_id = f.run_id)
		|| (SELECT string_agg(factor || ':' || species || '=' || value, ' ' ORDER BY factor, species COLLATE "C")
			FROM chemeco.pmf_profile p WHERE p.run_id = f.run_id)
		|| (SELECT string_agg(factor || ':' || sample || '=' || value, ' ' ORDER BY factor, sample COLLATE "C")
			FROM chemeco.pmf_contribution c WHERE c.run_id = f.run_id)
	FROM fits f WHERE f.label = wanted
$$;

SET client_min_messages = warning;
SELECT pg_temp.fit('heap order', 'SELECT sample, species, conc, unc FROM meas');
SELECT pg_temp.fit('species first, descending', 'SELECT sample, species, conc, unc FROM meas ORDER BY species DESC, sample DESC');
SELECT pg_temp.fit('shuffled table', 'SELECT sample, species, conc, unc FROM meas_shuffled');
SELECT pg_temp.fit('collation C', 'SELECT sample, species, conc, unc FROM meas ORDER BY sample COLLATE "C", species COLLATE "C"');
-- a linguistic collation: ICU's root one, else a libc en_US one (a server built without ICU)
SELECT coalesce((SELECT quote_ident(collname) FROM pg_collation WHERE collname = 'und-x-icu'),
	(SELECT quote_ident(min(collname)) FROM pg_collation WHERE collname ILIKE 'en_US%'), '"C"') AS linguistic \gset
SELECT pg_temp.fit('collation ' || :'linguistic', format('SELECT sample, species, conc, unc FROM meas ORDER BY sample COLLATE %s, species COLLATE %s', :'linguistic', :'linguistic'));
SELECT pg_temp.fit('random order', 'SELECT sample, species, conc, unc FROM meas ORDER BY md5(species || sample || ''x'')');
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT pg_temp.fit('one thread', 'SELECT sample, species, conc, unc FROM meas ORDER BY md5(species || sample)');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL chemeco.max_threads = 1;
SELECT pg_temp.fit('chemeco.max_threads = 1', 'SELECT sample, species, conc, unc FROM meas ORDER BY md5(sample)');
RESET chemeco.max_threads;
RESET client_min_messages;

-- chemeco.max_threads: -1 (follow max_parallel_workers_per_gather) by default, 1..8
SELECT is(current_setting('chemeco.max_threads'), '-1', 'chemeco.max_threads defaults to -1');
SELECT throws_ok('SET LOCAL chemeco.max_threads = 9', '22023', NULL, 'chemeco.max_threads above 8 is refused');
SELECT throws_ok('SET LOCAL chemeco.max_thread = 2', '42602', NULL, 'a misspelt chemeco.* setting is refused (prefix reserved)');

-- the two collations really order these names differently
SELECT ok(:'linguistic' = '"C"' OR
	(SELECT string_agg(sample, ',' ORDER BY sample COLLATE "C") FROM (SELECT DISTINCT sample FROM meas) d) <>
	(SELECT string_agg(sample, ',' ORDER BY sample COLLATE :linguistic) FROM (SELECT DISTINCT sample FROM meas) d),
	'C and ' || :'linguistic' || ' order the sample names differently (where the server has a linguistic collation)');
SELECT is(pg_temp.result_of(label), pg_temp.result_of('heap order'), label || ': same bits as the heap order')
FROM fits WHERE label <> 'heap order' ORDER BY label;
-- stored rows keep the user's names
SELECT is((SELECT count(DISTINCT sample) FROM chemeco.pmf_contribution c JOIN fits f USING (run_id)
		WHERE f.label = 'heap order' AND c.sample IN ('éte3', 'Day2', '_x')), 3::bigint,
	'contributions keep the sample names as given');

SELECT * FROM finish();
ROLLBACK;
