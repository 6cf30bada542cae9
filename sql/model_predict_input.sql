-- predict()'s input (issue 14): an untyped JSON literal resolves to the
-- named-feature form (no 42725), the array form stays reachable with a cast
-- or ARRAY[...]; unknown keys and values of the wrong JSON type are 22023
-- naming them, unless allow_extra_keys; missing features are missing values.
-- Model names are checked before training; documents when registered;
-- huge numbers are named shortly.
SET search_path = public, chemeco;

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || left(SQLERRM, 200);
END $$;

-- ecs = 1 + 10 [product = 'jean'] + 2 mass, written as a document (columns: product=jean,
-- product=shirt, mass; a missing column takes its mean: 0.5, 0.5, 20); expected values by hand
CREATE TABLE pi_rows AS
SELECT i::float8 AS mass, CASE WHEN i % 2 = 0 THEN 'jean' ELSE 'shirt' END AS product,
       2 * i + CASE WHEN i % 2 = 0 THEN 10 ELSE 0 END + 1 AS ecs
FROM generate_series(1, 40) i;
SELECT model_import('pi', 'chemeco-json', '{"format": "chemeco-json", "algorithm": "linear", "link": "identity",
  "features": [{"name": "product", "type": "categorical", "categories": ["jean", "shirt"]}, {"name": "mass", "type": "numeric"}],
  "linear": {"intercept": 1, "coefficients": [10, 0, 2], "column_means": [0.5, 0.5, 20]}}') AS version;

-- untyped literals: the named form (was 42725: predict(text, float8[]) and predict(text, jsonb) both matched)
SELECT round(predict('pi', '{"mass": 3, "product": "jean"}')::numeric, 6) AS literal_named,      -- 2*3 + 10 + 1 = 17
       round(predict('pi', 1, '{"mass": 3, "product": "shirt"}')::numeric, 6) AS literal_version; -- 2*3 + 1 = 7
-- text and jsonb values, and the array form with a cast or an ARRAY constructor (columns: jean, shirt, mass)
SELECT round(predict('pi', '{"mass": 3, "product": "jean"}'::text)::numeric, 6) AS text_value,
       round(predict('pi', '{"mass": 3, "product": "jean"}'::jsonb)::numeric, 6) AS jsonb_value,
       round(predict('pi', '{1,0,3}'::float8[])::numeric, 6) AS array_cast,
       round(predict('pi', ARRAY[1, 0, 3])::numeric, 6) AS array_constructor,
       round(predict('pi', 1, ARRAY[0, 1, 3]::float8[])::numeric, 6) AS array_version;
-- an array literal without a cast is now read as JSON text (the documented way is a cast)
SELECT pg_temp.error_of($$SELECT predict('pi', '{1,0,3}')$$);

-- unknown keys (case-sensitive) are an error naming them; allow_extra_keys ignores them
SELECT pg_temp.error_of($$SELECT predict('pi', '{"Mass": 0.3, "prodct": "jean"}')$$);
SELECT pg_temp.error_of($$SELECT predict('pi', '{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "mass": 1}')$$);
SELECT pg_temp.error_of($$SELECT predict('pi', to_jsonb(t)) FROM pi_rows t LIMIT 1$$);
SELECT round(predict('pi', to_jsonb(t), allow_extra_keys => true)::numeric, 6) = t.ecs AS whole_row_ok
FROM pi_rows t WHERE mass IN (4, 5) ORDER BY mass;
SELECT round(predict('pi', '{"mass": 3, "product": "jean", "note": "x"}', true)::numeric, 6) AS text_extra_allowed,
       round(predict('pi', 1, '{"mass": 3, "product": "jean", "note": "x"}'::jsonb, allow_extra_keys => true)::numeric, 6)
         AS version_extra_allowed;
-- wrong JSON types are errors naming the feature; a number for a categorical feature must be one of its categories
SELECT pg_temp.error_of($$SELECT predict('pi', '{"mass": "heavy"}')$$);
SELECT pg_temp.error_of($$SELECT predict('pi', '{"mass": [1]}')$$);
SELECT pg_temp.error_of($$SELECT predict('pi', '{"product": {"x": 1}}')$$);
SELECT pg_temp.error_of($$SELECT predict('pi', '{"product": 5}')$$);
SELECT pg_temp.error_of($$SELECT predict('pi', '[1, 2]')$$);
-- missing features stay missing (the column mean for linear models): '{}' is 1 + 10 * 0.5 + 2 * 20 = 46
SELECT round(predict('pi', '{}')::numeric, 6) AS all_missing,
       round(predict('pi', '{}')::numeric, 6) = round(predict('pi', ARRAY[NULL, NULL, NULL]::float8[])::numeric, 6) AS empty_is_all_missing,
       round(predict('pi', '{"mass": null, "product": null}')::numeric, 6) = round(predict('pi', '{}')::numeric, 6) AS null_is_missing;
-- an unseen string category sets no category column (documented; not an error)
SELECT round(predict('pi', '{"mass": 3, "product": "coat"}')::numeric, 6) AS unseen_category;  -- 2*3 + 1 = 7
-- 1e400 is named in a few digits
SELECT pg_temp.error_of($$SELECT predict('pi', '{"mass": 1e400}')$$);
SELECT pg_temp.error_of($$SELECT single_score('{"cch": 1e400}')$$);
SELECT pg_temp.error_of($$SELECT single_score('{"cch": -1e400}')$$);

-- names are checked before training (no CHECK violation dumping the row), documents on register
SELECT pg_temp.error_of($$SELECT train('', 'linear', 'SELECT mass, ecs FROM pi_rows', 'ecs')$$);
SELECT pg_temp.error_of(format($$SELECT train(%L, 'linear', 'SELECT mass, ecs FROM pi_rows', 'ecs')$$, repeat('n', 201)));
SELECT pg_temp.error_of(format($$SELECT model_import(%L, 'chemeco-json', model_export('pi')::text)$$, repeat('é', 201)));
SELECT pg_temp.error_of($$SELECT model_register('x', '{}')$$);
SELECT pg_temp.error_of($$SELECT model_register('x', '{"format": "chemeco-json", "algorithm": "linear", "features": []}')$$);
SELECT pg_temp.error_of(format($$SELECT model_register('x', %L)$$, (model_export('pi') - 'linear')::text));
SELECT count(*) AS stored_x FROM model WHERE name = 'x';
SELECT model_register(repeat('é', 200), model_export('pi')) AS longest_name_version;
