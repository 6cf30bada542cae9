-- Malformed and unsupported model documents: ERROR 22P02 naming the JSON path
-- of the problem; scoring errors; a hand-computed chemeco-json model.
SET search_path = chemeco, public;

-- a hand-written chemeco-json model: one stump on x (x < 0.1 -> 1, else 2, missing -> right)
-- plus a one-hot categorical c; expected values worked out by hand below
\set stump '{"format": "chemeco-json", "algorithm": "gradient_boosting", "link": "identity", "features": [{"name": "x", "type": "numeric"}, {"name": "c", "type": "categorical", "categories": ["a", "b"]}], "trees": {"base_margin": 0.5, "trees": [{"feature": [0, 0, 0], "threshold": [0.1, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1], "default_left": [0, 0, 0], "value": [0, 1, 2]}, {"feature": [2, 0, 0], "threshold": [0.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1], "default_left": [1, 0, 0], "value": [0, 10, 20]}]}}'
SELECT model_import('stump', 'chemeco-json', :'stump') AS version;
-- columns: x, c=a, c=b; tree 2 tests c=b < 0.5 (i.e. not b -> 10, b -> 20, missing -> 10)
SELECT predict('stump', '{"x": 0.05, "c": "a"}'::jsonb) AS "0.5+1+10",
       predict('stump', '{"x": 0.2, "c": "b"}'::jsonb) AS "0.5+2+20",
       predict('stump', '{"c": "b"}'::jsonb) AS "missing x: 0.5+2+20",
       predict('stump', '{"x": 0.05}'::jsonb) AS "missing c: 0.5+1+10",
       predict('stump', '{"x": 0.05, "c": "z"}'::jsonb) AS "unknown c: 0.5+1+10",
       predict('stump', '{"x": null, "c": null, "other": [1]}'::jsonb, allow_extra_keys => true) AS "all missing: 0.5+2+10";
-- float32 comparison like XGBoost: 0.1 (double) is below float(0.1) = 0.100000001490116...
-- in double arithmetic, but float(0.1) < float(0.1) is false, so it goes right
SELECT predict('stump', ARRAY[0.1, 1, 0]) AS "x = 0.1: 0.5+2+10",
       predict('stump', ARRAY[0.09999999, 1, 0]) AS "x just below: 0.5+1+10",
       predict('stump', ARRAY['-Infinity', NULL, 'NaN']::float8[]) AS "-inf, missing c: 0.5+1+10",
       predict('stump', ARRAY['Infinity', 0, 1]::float8[]) AS "inf: 0.5+2+20";
-- a category given as a number matches its text; booleans are 1/0 for numeric features
SELECT model_import('coded', 'chemeco-json', replace(:'stump', '["a", "b"]', '["1", "2"]')) AS version;
SELECT predict('coded', '{"x": true, "c": 2}'::jsonb) AS "true=1, c=2: 0.5+2+20";
SELECT jsonb_pretty(model_export('stump') - 'features' - 'trees') AS exported_header;

-- scoring errors
\set VERBOSITY terse
SELECT predict('no_such_model', '{}'::jsonb);
SELECT predict('stump', ARRAY[1, 2]);
SELECT predict('stump', 9, '{}'::jsonb);
SELECT predict('stump', 0, ARRAY[1, 2, 3]);
SELECT predict('stump', ARRAY[[1, 2, 3]]);
SELECT predict('stump', '[1, 2, 3]'::jsonb);
SELECT predict('stump', '{"x": "0.5"}'::jsonb);
SELECT predict('stump', '{"c": {"a": 1}}'::jsonb);
-- a lookup that fails inside an exception block leaves the call site's cached
-- state usable: alternating known and unknown models in one transaction
-- (stump: 0.5+1+10; stump_b, base margin 100.5: 100.5+1+10)
SELECT model_import('stump_b', 'chemeco-json', replace(:'stump', '"base_margin": 0.5', '"base_margin": 100.5')) AS version;
CREATE FUNCTION try_predict(model text, features jsonb) RETURNS float8 LANGUAGE plpgsql AS $$
BEGIN
	RETURN chemeco.predict(model, features);
EXCEPTION WHEN undefined_object THEN
	RETURN NULL;
END $$;
BEGIN;
SELECT i, m, try_predict(m, '{"x": 0.05, "c": "a"}')
FROM unnest(ARRAY['stump', 'missing', 'stump', 'missing_too', 'stump_b', 'missing', 'missing', 'stump_b', 'stump', 'missing', 'stump_b']) WITH ORDINALITY AS t(m, i);
COMMIT;
DROP FUNCTION try_predict(text, jsonb);
DELETE FROM model WHERE name = 'stump_b';
SELECT model_export('no_such_model');
SELECT model_export('stump', 9);
SELECT model_import('x', 'onnx', '{}');
SELECT model_import(repeat('x', 201), 'chemeco-json', :'stump');
-- the 200-character limit counts characters, not bytes: 150 'é' (300 bytes) and
-- names of 200 four-byte characters differing only in the last one are distinct models
SELECT model_import(repeat('é', 150), 'chemeco-json', :'stump') AS version;
SELECT model_import(repeat('😀', 199) || 'a', 'chemeco-json', :'stump') AS version;
SELECT model_import(repeat('😀', 199) || 'b', 'chemeco-json', replace(:'stump', '"base_margin": 0.5', '"base_margin": 100.5')) AS version;
SELECT predict(repeat('é', 150), ARRAY[0.05, 1, 0]) AS "0.5+1+10",
       predict(repeat('😀', 199) || 'a', ARRAY[0.05, 1, 0]) AS "a: 0.5+1+10",
       predict(repeat('😀', 199) || 'b', ARRAY[0.05, 1, 0]) AS "b: 100.5+1+10";
SELECT predict(repeat('é', 201), ARRAY[0.05, 1, 0]);
DELETE FROM model WHERE char_length(name) > 100;

-- XGBoost documents
\set xgb `cat test/data/xgb_model_logistic.json`
SELECT model_import('x', 'xgboost-json', '{"learner": ');
SELECT model_import('x', 'xgboost-json', '[]');
SELECT model_import('x', 'xgboost-json', '{"version": [1, 7, 4]}');
SELECT model_import('x', 'xgboost-json', replace(:'xgb', 'binary:logistic', 'multi:softprob'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"name":"gbtree"', '"name":"dart"'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"base_score":"3E-1"', '"base_score":"1.5"'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"base_score":"3E-1"', '"base_score":"many"'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"split_indices":[44,', '"split_indices":[46,'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"split_indices":[44,', '"split_indices":["44",'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"split_type":[0,', '"split_type":[1,'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"left_children":[1,', '"left_children":[0,'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"left_children":[1,', '"left_children":[-1,'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"left_children":[1,', '"left_children":['));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"num_nodes":"13"', '"num_nodes":"-13"'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"tree_info":[0,', '"tree_info":[1,'));
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"product=chemise"', '"share1=chemise"'));
SELECT model_import('x', 'xgboost-json', regexp_replace(:'xgb', '"trees":\[.*\]}', '"trees":[]}'));

-- chemeco-json documents
SELECT model_import('x', 'chemeco-json', '{"format": "onnx"}');
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"identity"', '"probit"'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"gradient_boosting"', '"svm"'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"numeric"', '"date"'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"name": "c"', '"name": "x"'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '["a", "b"]', '[]'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"left": [1, -1, -1]', '"left": [0, -1, -1]'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"left": [1, -1, -1]', '"left": [1.5, -1, -1]'));
-- shared children (a DAG, not a tree): node 1 is both children of node 0; chained
-- over 40 nodes (left = right = [1, ..., 39, -1]) this used to overrun the packed nodes
SELECT model_document('chemeco-json', format('{"format": "chemeco-json", "algorithm": "gradient_boosting", "link": "identity", "features": [{"name": "x", "type": "numeric"}], "trees": {"base_margin": 0.5, "trees": [{"feature": %s, "threshold": %s, "left": %s, "right": %s, "default_left": %s, "value": %s}]}}',
	z, z, c, c, z, z)) IS NOT NULL AS "shared children"
FROM (SELECT to_jsonb(array_agg(0)) AS z, to_jsonb(array_agg(CASE WHEN g < 39 THEN g + 1 ELSE -1 END ORDER BY g)) AS c
      FROM generate_series(0, 39) g) nodes;
SELECT 'server still alive' AS check;
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"feature": [2, 0, 0]', '"feature": [3, 0, 0]'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"value": [0, 1, 2]', '"value": [0, 1]'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"value": [0, 1, 2]', '"value": [0, 1, 1e999]'));
SELECT model_import('x', 'chemeco-json', replace(:'stump', '"base_margin": 0.5', '"base_margin": "half"'));
SELECT model_import('x', 'chemeco-json', '{"format": "chemeco-json", "algorithm": "linear", "link": "identity", "features": [{"name": "x", "type": "numeric"}], "linear": {"intercept": 1, "coefficients": [1, 2], "column_means": [0]}}');
SELECT model_import('x', 'chemeco-json', '{"format": "chemeco-json", "format": "chemeco-json"}');
\set VERBOSITY sqlstate
SELECT predict('no_such_model', '{}'::jsonb);
SELECT predict('stump', ARRAY[1, 2]);
SELECT model_import('x', 'onnx', '{}');
SELECT model_import('x', 'xgboost-json', '{"learner": ');
SELECT model_import('x', 'chemeco-json', '{"format": "onnx"}');
SELECT model_export('no_such_model');
\set VERBOSITY default
-- with details
SELECT model_import('x', 'xgboost-json', replace(:'xgb', '"split_indices":[44,', '"split_indices":[46,'));
SELECT count(*) AS models_named_x FROM model WHERE name = 'x';
DELETE FROM model;
