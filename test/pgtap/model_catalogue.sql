-- The model catalogue: row-level security per owner (roles see, score and
-- version only their own models, and the per-backend cache keeps them apart),
-- pg_dump registration, and the markings the planner relies on.
BEGIN;
SET search_path = chemeco, public;
SELECT plan(16);

SELECT has_table('chemeco', 'model', 'catalogue table exists');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'chemeco.model'::regclass), 'row-level security is enabled');
SELECT ok((SELECT 'chemeco.model'::regclass::oid = ANY (extconfig) FROM pg_extension WHERE extname = 'chemeco'),
          'pg_dump keeps the catalogue rows (pg_extension_config_dump)');
SELECT is((SELECT string_agg(DISTINCT provolatile::text || proparallel::text, ',') FROM pg_proc
           WHERE proname = 'predict' AND pronamespace = 'chemeco'::regnamespace), 'ss',
          'predict() is STABLE and PARALLEL SAFE');

-- two unprivileged roles; results are collected in a table they can write
CREATE ROLE chemeco_alice NOLOGIN;
CREATE ROLE chemeco_bob NOLOGIN;
GRANT USAGE ON SCHEMA chemeco TO chemeco_alice, chemeco_bob;
CREATE TEMP TABLE seen (what text, value text);
GRANT ALL ON seen TO PUBLIC;
CREATE TEMP TABLE doc AS SELECT
	'{"format": "chemeco-json", "algorithm": "linear", "link": "identity", "features": [{"name": "x", "type": "numeric"}],
	  "linear": {"intercept": 0, "coefficients": [1], "column_means": [0]}}'::text AS identity_model,
	'{"format": "chemeco-json", "algorithm": "linear", "link": "identity", "features": [{"name": "x", "type": "numeric"}],
	  "linear": {"intercept": 100, "coefficients": [2], "column_means": [0]}}'::text AS affine_model;
GRANT SELECT ON doc TO PUBLIC;

SET ROLE chemeco_alice;
INSERT INTO seen SELECT 'alice v1', model_import('m', 'chemeco-json', identity_model) FROM doc;
INSERT INTO seen SELECT 'alice v2', model_import('m', 'chemeco-json', identity_model) FROM doc;
INSERT INTO seen SELECT 'alice predicts', predict('m', '{"x": 3}'::jsonb) FROM doc;
RESET ROLE;

SET ROLE chemeco_bob;
INSERT INTO seen SELECT 'bob sees', count(*) FROM model;
DO $$
BEGIN
	PERFORM chemeco.predict('m', '{"x": 3}'::jsonb);
EXCEPTION WHEN OTHERS THEN
	INSERT INTO seen VALUES ('bob predicts alice''s', SQLSTATE);
END $$;
INSERT INTO seen SELECT 'bob v1', model_import('m', 'chemeco-json', affine_model) FROM doc;
INSERT INTO seen SELECT 'bob predicts', predict('m', '{"x": 3}'::jsonb);
WITH changed AS (UPDATE model SET metrics = '{"hacked": true}' WHERE owner = 'chemeco_alice' RETURNING 1)
INSERT INTO seen SELECT 'bob updates alice''s', count(*) FROM changed;
DO $$
BEGIN
	INSERT INTO chemeco.model (name, version, algorithm, features, document, owner)
	VALUES ('spoof', 1, 'linear', '[]', '{}', 'chemeco_alice');
EXCEPTION WHEN OTHERS THEN
	INSERT INTO seen VALUES ('bob inserts as alice', SQLSTATE);
END $$;
RESET ROLE;

-- back to alice in the same backend: the cache must not hand her bob's model
SET ROLE chemeco_alice;
INSERT INTO seen SELECT 'alice predicts again', predict('m', '{"x": 3}'::jsonb);
INSERT INTO seen SELECT 'alice exports', model_export('m') -> 'linear' ->> 'intercept';
RESET ROLE;

SELECT is((SELECT value FROM seen WHERE what = 'alice v1'), '1', 'first import is version 1');
SELECT is((SELECT value FROM seen WHERE what = 'alice v2'), '2', 'second import is version 2');
SELECT is((SELECT value FROM seen WHERE what = 'alice predicts'), '3', 'alice scores her model');
SELECT is((SELECT value FROM seen WHERE what = 'bob sees'), '0', 'bob sees none of alice''s models');
SELECT is((SELECT value FROM seen WHERE what = 'bob predicts alice''s'), '42704', 'bob cannot score alice''s model');
SELECT is((SELECT value FROM seen WHERE what = 'bob v1'), '1', 'bob''s model of the same name starts at version 1');
SELECT is((SELECT value FROM seen WHERE what = 'bob predicts'), '106', 'bob scores his own model (100 + 2 * 3)');
SELECT is((SELECT value FROM seen WHERE what = 'bob updates alice''s'), '0', 'bob cannot update alice''s rows');
SELECT is((SELECT value FROM seen WHERE what = 'bob inserts as alice'), '42501', 'bob cannot insert rows owned by alice');
SELECT is((SELECT value FROM seen WHERE what = 'alice predicts again'), '3', 'the backend cache keeps owners apart');
SELECT is((SELECT value FROM seen WHERE what = 'alice exports'), '0', 'export returns the caller''s model');
SELECT is((SELECT count(*) FROM model WHERE name = 'm'), 3::bigint, 'the superuser sees all three rows');

SELECT * FROM finish();
ROLLBACK;
