-- Models with numbers at extreme magnitudes (issue 15.2): jsonb keeps 1e19
-- as the integer 10000000000000000000 and 1e300 as 301 digits, and 5e-324
-- as 340 decimals; a stored model must load again from that text.  Every
-- number is read as a double (float32 where the format stores float32:
-- thresholds, leaves, base_margin; out of that range is 22P02 at import,
-- not later).  Expected values are computed by PostgreSQL's own float8 and
-- float4 arithmetic on the same numbers.
SET search_path = chemeco, public;

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

CREATE FUNCTION pg_temp.linear_doc(intercept text, coefficient text) RETURNS text LANGUAGE sql AS $$
	SELECT format('{"format": "chemeco-json", "algorithm": "linear", "link": "identity",
	  "features": [{"name": "x", "type": "numeric"}],
	  "linear": {"intercept": %s, "coefficients": [%s], "column_means": [0]}}', intercept, coefficient) $$;
CREATE FUNCTION pg_temp.tree_doc(base text, threshold text, low text, high text) RETURNS text LANGUAGE sql AS $$
	SELECT format('{"format": "chemeco-json", "algorithm": "gradient_boosting", "link": "identity",
	  "features": [{"name": "x", "type": "numeric"}],
	  "trees": {"base_margin": %s, "trees": [{"feature": [0, 0, 0], "threshold": [%s, 0, 0], "left": [1, -1, -1],
	    "right": [2, -1, -1], "default_left": [1, 0, 0], "value": [0, %s, %s]}]}}', base, threshold, low, high) $$;

-- linear: intercept + coefficient * x at +-1e19, +-1e300 and denormals,
-- imported, predicted, exported, imported again and predicted again
CREATE TABLE linear_case (label text, intercept text, coefficient text, x float8);
INSERT INTO linear_case VALUES
	('1e19', '1e19', '-1e19', 3), ('-1e19', '-1e19', '2', 0.5), ('1e19 integer', '10000000000000000000', '1', 1),
	('1e300', '1e300', '-1e300', 2), ('-1e300', '-1e300', '1e-300', 1e300), ('1e308', '1.7976931348623157e308', '0', 1),
	('denormal', '5e-324', '2.2250738585072009e-308', 1), ('-denormal', '-4.9406564584124654e-324', '0', 7);
SELECT label, model_import('lin ' || label, 'chemeco-json', pg_temp.linear_doc(intercept, coefficient)) AS version
FROM linear_case ORDER BY label;
-- the stored document holds the long integer form the JSON reader once rejected
SELECT document -> 'linear' ->> 'intercept' AS stored_intercept FROM model WHERE name = 'lin 1e19 integer';
SELECT label,
       predict('lin ' || label, jsonb_build_object('x', x)) AS predicted,
       predict('lin ' || label, jsonb_build_object('x', x)) = intercept::float8 + coefficient::float8 * x AS exact
FROM linear_case ORDER BY label;
-- the documented round trip (a statement of its own: predict reads the catalogue in the statement's snapshot)
SELECT label, model_import('lin ' || label, 'chemeco-json', model_export('lin ' || label)::text) AS reimported
FROM linear_case ORDER BY label;
SELECT label,
       predict('lin ' || label, 2, jsonb_build_object('x', x)) = predict('lin ' || label, 1, jsonb_build_object('x', x)) AS same_after_round_trip,
       model_export('lin ' || label, 2) = model_export('lin ' || label, 1) AS same_document
FROM linear_case ORDER BY label;

-- trees: base_margin, threshold and leaves at float32 extremes (+-1e19, the
-- largest float32, float32 denormals); the margin is a float32 sum
CREATE TABLE tree_case (label text, base text, threshold text, low text, high text, x float8);
INSERT INTO tree_case VALUES
	('1e19 left', '1e19', '1e19', '-1e19', '1e-45', 0),
	('1e19 right', '-1e19', '-1e19', '3', '10000000000000000000', 0),
	('max float32', '0', '3.4028234663852886e38', '-3.4028234663852886e38', '1', 1e38),
	('denormals', '1.401298464324817e-45', '1e-45', '-1.1754942e-38', '1e-40', 1e-44);
SELECT label, model_import('tree ' || label, 'chemeco-json', pg_temp.tree_doc(base, threshold, low, high)) AS version
FROM tree_case ORDER BY label;
SELECT label,
       predict('tree ' || label, jsonb_build_object('x', x)) AS predicted,
       predict('tree ' || label, jsonb_build_object('x', x)) =
         (base::float4 + CASE WHEN x::float4 < threshold::float4 THEN low ELSE high END::float4)::float8 AS exact
FROM tree_case ORDER BY label;
SELECT label, model_import('tree ' || label, 'chemeco-json', model_export('tree ' || label)::text) AS reimported
FROM tree_case ORDER BY label;
SELECT label,
       predict('tree ' || label, 2, jsonb_build_object('x', x)) = predict('tree ' || label, 1, jsonb_build_object('x', x)) AS same_after_round_trip,
       model_export('tree ' || label, 2) = model_export('tree ' || label, 1) AS same_document
FROM tree_case ORDER BY label;

-- beyond float32, and beyond double: rejected at import (22P02 with the path), nothing stored
SELECT pg_temp.error_of(format($$SELECT model_import('bad', 'chemeco-json', %L)$$, pg_temp.tree_doc('0', '1e300', '0', '0')));
SELECT pg_temp.error_of(format($$SELECT model_import('bad', 'chemeco-json', %L)$$, pg_temp.tree_doc('0', '0', '-1e39', '0')));
SELECT pg_temp.error_of(format($$SELECT model_import('bad', 'chemeco-json', %L)$$, pg_temp.tree_doc('1e300', '0', '0', '0')));
SELECT pg_temp.error_of(format($$SELECT model_import('bad', 'chemeco-json', %L)$$, pg_temp.linear_doc('1e400', '0')));
SELECT pg_temp.error_of(format($$SELECT model_import('bad', 'chemeco-json', %L)$$, pg_temp.linear_doc('0', '-1e309')));
SELECT count(*) AS bad_models FROM model WHERE name = 'bad';

-- a tree index written as 1.0 or 1e0 (numbers are doubles) is still an index; 1.5 is not
SELECT model_import('tree index as real', 'chemeco-json', replace(pg_temp.tree_doc('0', '0', '1', '2'), '"left": [1,', '"left": [1e0,')) AS version;
SELECT pg_temp.error_of(format($$SELECT model_import('bad', 'chemeco-json', %L)$$,
       replace(pg_temp.tree_doc('0', '0', '1', '2'), '"left": [1,', '"left": [1.5,')));

-- train -> predict on targets of magnitude 1e19 (y = 1e19 x: slope 1e19 exactly
-- by least squares) and 1e300 (beyond the float32 of tree models: 22003 before
-- anything is stored; linear models are doubles and keep it)
CREATE TABLE huge (x float8, y float8, z float8, tiny float8);
INSERT INTO huge SELECT i, 1e19 * i, 1e300 * (i % 3), 5e-324 * (i % 2) FROM generate_series(1, 50) i;
SELECT train('huge 1e19', 'linear', 'SELECT x, y FROM huge', 'y', '{"lambda": 0, "test_fraction": 0}') AS version;
SELECT train('huge trees', 'gradient_boosting', 'SELECT x, y FROM huge', 'y', '{"n_trees": 3, "test_fraction": 0}') AS version;
SELECT train('huge tiny', 'random_forest', 'SELECT x, tiny FROM huge', 'tiny', '{"n_trees": 3, "test_fraction": 0}') AS version;
SELECT abs(predict('huge 1e19', '{"x": 10}'::jsonb) / 1e20 - 1) < 1e-9 AS linear_1e19,
       predict('huge trees', '{"x": 10}'::jsonb) > 1e19 AS trees_1e19,
       predict('huge tiny', '{"x": 10}'::jsonb) >= 0 AS trees_denormal;
SELECT pg_temp.error_of($$SELECT train('huge 1e300', 'gradient_boosting', 'SELECT x, z FROM huge', 'z', '{"n_trees": 3, "test_fraction": 0}')$$) AS trees_1e300;
SELECT pg_temp.error_of($$SELECT train('huge 1e300', 'random_forest', 'SELECT x, z FROM huge', 'z', '{"n_trees": 3, "test_fraction": 0}')$$) AS forest_1e300;
SELECT train('huge 1e300', 'linear', 'SELECT x, z FROM huge', 'z', '{"test_fraction": 0}') AS linear_1e300;
SELECT model_import(name, 'chemeco-json', model_export(name)::text) AS round_trip_version
FROM (VALUES ('huge 1e19'), ('huge trees'), ('huge tiny'), ('huge 1e300')) m(name) ORDER BY name;
SELECT name, predict(name, 1, '{"x": 10}'::jsonb) = predict(name, 2, '{"x": 10}'::jsonb) AS same
FROM (VALUES ('huge 1e19'), ('huge trees'), ('huge tiny'), ('huge 1e300')) m(name) ORDER BY name;
