-- Privileges end to end: after CREATE EXTENSION nothing needs a superuser.
-- Two plain NOLOGIN roles, each given only a schema of its own, import,
-- search, aggregate, fit, train and predict on their own tables; each sees
-- and deletes only its own pmf runs and models; a role without SELECT on a
-- table is refused by pmf_fit/train (query text) and identify (regclass);
-- no chemeco function is SECURITY DEFINER; hostile identifiers are quoted
-- by identify and train, and text passed as a query runs as the caller.
-- (Single-role RLS details are in sql/pmf_fit.sql and model_catalogue.sql.)
BEGIN;
SET search_path = chemeco, public;
SELECT plan(27);

SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'chemeco'::regnamespace AND prosecdef), 0::bigint,
          'no chemeco function is SECURITY DEFINER');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'chemeco'::regnamespace
           AND NOT has_function_privilege('public', oid, 'EXECUTE')), 0::bigint,
          'every chemeco function is executable by PUBLIC');

-- the only superuser set-up: two roles, a schema each, a place to report results
CREATE ROLE trust_alice NOLOGIN;
CREATE ROLE trust_bob NOLOGIN;
CREATE SCHEMA trust_alice AUTHORIZATION trust_alice;
CREATE SCHEMA trust_bob AUTHORIZATION trust_bob;
-- a hostile schema name, owned by alice
CREATE SCHEMA "s"" x; DROP TABLE trust_alice.victim; --" AUTHORIZATION trust_alice;
CREATE TEMP TABLE seen (what text, value text);
GRANT ALL ON seen TO PUBLIC;
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- the same workload for both roles, each on its own schema
CREATE FUNCTION pg_temp.workload(who text) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
	EXECUTE format($$
		CREATE TABLE %1$I.library AS
		SELECT name, precursor_mz, spectrum FROM chemeco.read_msp(E'Name: caffeine\nPrecursorMZ: 195.0877\nNum Peaks: 3\n110 20\n138 100\n195 40\n\nName: other\nPrecursorMZ: 195.09\nNum Peaks: 2\n80 10\n90 5\n');
		CREATE INDEX ON %1$I.library USING chemeco_flash (spectrum);
		CREATE TABLE %1$I.impacts AS SELECT g AS id, g::float8 AS score, (g %% 3 + 1)::float8 AS weight FROM generate_series(1, 100) g;
		CREATE TABLE %1$I.train_data AS SELECT g::float8 AS x, (3 * g + 2)::float8 AS y FROM generate_series(1, 30) g;
		CREATE TABLE %1$I.pmf_data AS
		SELECT 'd' || i AS sample, 's' || j AS species,
		       (i %% 3 + 1) * (CASE WHEN j = 1 THEN 1 ELSE 0.2 END) + (i %% 2 + 1) * (CASE WHEN j = 3 THEN 1 ELSE 0.3 END) AS conc,
		       0.1::float8 AS unc
		FROM generate_series(1, 8) i, generate_series(1, 3) j;
		CREATE TABLE %1$I.victim (id int);
	$$, who);
	EXECUTE format($$INSERT INTO seen SELECT %1$L || ' imports', count(*) FROM %1$I.library$$, who);
	EXECUTE format($$INSERT INTO seen SELECT %1$L || ' similarity', round(chemeco.cosine(a.spectrum, b.spectrum)::numeric, 6)
		FROM %1$I.library a, %1$I.library b WHERE a.name = 'caffeine' AND b.name = 'caffeine'$$, who);
	EXECUTE format($$INSERT INTO seen SELECT %1$L || ' identify', l.name
		FROM chemeco.identify('110:20 138:100 195:40', 195.0877, %2$L) i JOIN %1$I.library l ON l.ctid = i.ctid
		ORDER BY i.score DESC LIMIT 1$$, who, quote_ident(who) || '.library');
	EXECUTE format($$INSERT INTO seen SELECT %1$L || ' stats',
		concat_ws(' ', (chemeco.impact_summary(score)).median, (chemeco.quantiles(score, '{0.5}'))[1],
		          round(chemeco.weighted_mean(score, weight)::numeric, 6))
		FROM %1$I.impacts$$, who);
	EXECUTE format($$INSERT INTO seen SELECT %1$L || ' pmf_fit',
		chemeco.pmf_fit('SELECT sample, species, conc, unc FROM %1$I.pmf_data', 2, runs => 1, max_iter => 500) > 0$$, who);
	EXECUTE format($$INSERT INTO seen SELECT %1$L || ' train', chemeco.train('shared name', 'linear',
		'SELECT x, y FROM %1$I.train_data', 'y', '{"lambda": 0, "test_fraction": 0}')$$, who);
	EXECUTE format($$INSERT INTO seen SELECT %1$L || ' predict', round(chemeco.predict('shared name', '{"x": 10}'::jsonb)::numeric, 6)$$, who);
END $fn$;

SET ROLE trust_alice;
SET client_min_messages = warning;
DO $$ BEGIN PERFORM pg_temp.workload('trust_alice'); END $$;
RESET ROLE;
SET ROLE trust_bob;
DO $$ BEGIN PERFORM pg_temp.workload('trust_bob'); END $$;
RESET ROLE;

SELECT is((SELECT array_agg(value ORDER BY what) FROM seen WHERE what LIKE 'trust_alice %'),
          ARRAY['caffeine', '2', 'true', '32.000000', '1.000000', '50.5 50.5 50.335000', '1'],
          'alice (no superuser) uses import, identify, cosine, stats, pmf_fit, predict and train on her tables');
SELECT is((SELECT array_agg(value ORDER BY what) FROM seen WHERE what LIKE 'trust_bob %'),
          ARRAY['caffeine', '2', 'true', '32.000000', '1.000000', '50.5 50.5 50.335000', '1'],
          'bob does the same in his own schema (his model ''shared name'' is his version 1)');

-- each role sees only its own pmf runs (and their rows) and models
SET ROLE trust_bob;
INSERT INTO seen SELECT 'bob runs', count(*) || ' ' || bool_and(owner = 'trust_bob') FROM pmf_run;
INSERT INTO seen SELECT 'bob profiles', count(*) FROM pmf_profile;
INSERT INTO seen SELECT 'bob models', count(*) || ' ' || bool_and(owner = 'trust_bob') FROM model;
WITH gone AS (DELETE FROM pmf_run RETURNING owner) INSERT INTO seen SELECT 'bob deletes runs', string_agg(owner, ',') FROM gone;
WITH gone AS (DELETE FROM model RETURNING owner) INSERT INTO seen SELECT 'bob deletes models', string_agg(owner, ',') FROM gone;
RESET ROLE;
SET ROLE trust_alice;
INSERT INTO seen SELECT 'alice runs', count(*) || ' ' || bool_and(owner = 'trust_alice') FROM pmf_run;
INSERT INTO seen SELECT 'alice profiles', count(*) FROM pmf_profile;
INSERT INTO seen SELECT 'alice models', count(*) || ' ' || bool_and(owner = 'trust_alice') FROM model;
INSERT INTO seen SELECT 'alice predicts after bob deleted', round(predict('shared name', '{"x": 10}'::jsonb)::numeric, 6);
RESET ROLE;
SELECT is((SELECT value FROM seen WHERE what = 'bob runs'), '1 true', 'bob sees one run, his own');
SELECT is((SELECT value FROM seen WHERE what = 'bob profiles'), '6', 'bob sees only his run''s profiles (2 factors x 3 species)');
SELECT is((SELECT value FROM seen WHERE what = 'bob models'), '1 true', 'bob sees one model, his own');
SELECT is((SELECT value FROM seen WHERE what = 'bob deletes runs'), 'trust_bob', 'DELETE FROM pmf_run removes only bob''s run');
SELECT is((SELECT value FROM seen WHERE what = 'bob deletes models'), 'trust_bob', 'DELETE FROM model removes only bob''s model');
SELECT is((SELECT value FROM seen WHERE what = 'alice runs'), '1 true', 'alice''s run survives bob''s delete');
SELECT is((SELECT value FROM seen WHERE what = 'alice profiles'), '6', 'with its profiles');
SELECT is((SELECT value FROM seen WHERE what = 'alice models'), '1 true', 'alice''s model survives bob''s delete');
SELECT is((SELECT value FROM seen WHERE what = 'alice predicts after bob deleted'), '32.000000', 'and still scores');

-- no SELECT on another role's tables: refused, even with USAGE on the schema
SET ROLE trust_alice;
GRANT USAGE ON SCHEMA trust_alice TO trust_bob;
RESET ROLE;
SET ROLE trust_bob;
INSERT INTO seen SELECT 'bob pmf_fit on alice', pg_temp.sqlstate_of(
	$$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM trust_alice.pmf_data', 2, runs => 1)$$);
INSERT INTO seen SELECT 'bob train on alice', pg_temp.sqlstate_of(
	$$SELECT chemeco.train('stolen', 'linear', 'SELECT x, y FROM trust_alice.train_data', 'y')$$);
INSERT INTO seen SELECT 'bob train_document on alice', pg_temp.sqlstate_of(
	$$SELECT chemeco.train_document('linear', 'SELECT x, y FROM trust_alice.train_data', 'y')$$);
INSERT INTO seen SELECT 'bob identify on alice', pg_temp.sqlstate_of(
	$$SELECT * FROM chemeco.identify('110:20 138:100', 195.0877, 'trust_alice.library')$$);
-- injections in the query text are bob's own SQL, run with bob's rights and read-only:
-- reading alice's table through a UNION fails (42501); a stacked statement is refused
-- before anything runs (22023: the data query is one read-only SELECT)
INSERT INTO seen SELECT 'bob union into alice', pg_temp.sqlstate_of(
	$$SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM trust_bob.pmf_data
	                          UNION ALL SELECT sample, species, conc, unc FROM trust_alice.pmf_data', 2, runs => 1)$$);
INSERT INTO seen SELECT 'bob stacked drop', pg_temp.sqlstate_of(
	$$SELECT chemeco.train('x', 'linear', 'DROP TABLE trust_alice.victim; SELECT x, y FROM trust_bob.train_data', 'y')$$);
INSERT INTO seen SELECT 'bob stacked drop in pmf_fit', pg_temp.sqlstate_of(
	$$SELECT chemeco.pmf_fit('SELECT 1; DROP TABLE trust_alice.victim; SELECT sample, species, conc, unc FROM trust_bob.pmf_data', 2, runs => 1)$$);
-- the same stacked statement on bob's own table is refused too: data queries change nothing
INSERT INTO seen SELECT 'bob drops his own', pg_temp.sqlstate_of(
	$$SELECT chemeco.train('own', 'linear', 'DROP TABLE trust_bob.victim; SELECT x, y FROM trust_bob.train_data', 'y')$$);
RESET ROLE;
SELECT is((SELECT value FROM seen WHERE what = 'bob pmf_fit on alice'), '42501', 'pmf_fit: no SELECT on the data table -> 42501');
SELECT is((SELECT value FROM seen WHERE what = 'bob train on alice'), '42501', 'train: no SELECT on the data table -> 42501');
SELECT is((SELECT value FROM seen WHERE what = 'bob train_document on alice'), '42501', 'train_document: 42501');
SELECT is((SELECT value FROM seen WHERE what = 'bob identify on alice'), '42501', 'identify: no SELECT on the library -> 42501');
SELECT is((SELECT value FROM seen WHERE what = 'bob union into alice'), '42501', 'a UNION in the query text cannot read alice''s table');
SELECT is((SELECT value FROM seen WHERE what = 'bob stacked drop'), '22023', 'a stacked DROP in train''s query: refused (one read-only SELECT)');
SELECT is((SELECT value FROM seen WHERE what = 'bob stacked drop in pmf_fit'), '22023', 'a stacked DROP in pmf_fit''s query: refused (one read-only SELECT)');
SELECT ok(to_regclass('trust_alice.victim') IS NOT NULL, 'alice''s victim table still exists');
SELECT is((SELECT value FROM seen WHERE what = 'bob drops his own'), '22023', 'bob''s own stacked statement is refused too');
SELECT ok(to_regclass('trust_bob.victim') IS NOT NULL, '(and bob''s own table is still there)');

-- hostile identifiers: schema, table and column names with quotes, spaces,
-- semicolons and comments work with identify and train, and execute nothing
SET ROLE trust_alice;
CREATE TABLE "s"" x; DROP TABLE trust_alice.victim; --"."lib; DROP TABLE trust_alice.victim; --" (
	"name"" x; DROP TABLE trust_alice.victim; --" text, precursor_mz float8, spectrum spectrum,
	"y; DROP TABLE trust_alice.victim; --" float8, "x"" 2" float8);
INSERT INTO "s"" x; DROP TABLE trust_alice.victim; --"."lib; DROP TABLE trust_alice.victim; --"
SELECT name, precursor_mz, spectrum, g, 2 * g FROM trust_alice.library, generate_series(1, 10) g;
INSERT INTO seen SELECT 'hostile identify', count(*) || ' ' || max(i.score)
FROM identify('110:20 138:100 195:40', 195.0877,
	format('%I.%I', 's" x; DROP TABLE trust_alice.victim; --', 'lib; DROP TABLE trust_alice.victim; --')::regclass) i;
INSERT INTO seen SELECT 'hostile train', train('m''; DROP TABLE trust_alice.victim; --', 'linear',
	'SELECT "x"" 2", "y; DROP TABLE trust_alice.victim; --" FROM "s"" x; DROP TABLE trust_alice.victim; --"."lib; DROP TABLE trust_alice.victim; --"',
	'y; DROP TABLE trust_alice.victim; --', '{"lambda": 0, "test_fraction": 0}');
INSERT INTO seen SELECT 'hostile predict', round(predict('m''; DROP TABLE trust_alice.victim; --', '{"x\" 2": 8}'::jsonb)::numeric, 6);
RESET ROLE;
SELECT is((SELECT value FROM seen WHERE what = 'hostile identify'), '5 1', 'identify on a hostile schema and table name: 5 matches, best scores 1');
SELECT is((SELECT value FROM seen WHERE what = 'hostile train'), '1', 'train with a hostile model name, target and feature columns');
SELECT is((SELECT value FROM seen WHERE what = 'hostile predict'), '4.000000', 'the hostile model predicts y = x / 2 at x = 8');
SELECT ok(to_regclass('trust_alice.victim') IS NOT NULL, 'nothing else was executed: the victim table still exists');

SELECT * FROM finish();
ROLLBACK;
