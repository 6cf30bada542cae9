-- chemeco.model_import of XGBoost JSON models, predict() against xgboost's own
-- predictions (test/reference/xgboost_model.py, Debian python3-xgboost 1.7),
-- export/re-import, versions and cache invalidation.
SET search_path = chemeco, public;

CREATE TABLE textile (id int PRIMARY KEY, product text, material1 text, share1 float8, material2 text,
	share2 float8, country_dyeing text, country_fabric text, country_making text, fabric_process text,
	mass float8, air_transport_ratio float8, ecs float8);
\copy textile FROM 'test/data/textile.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE xgb_reference (id int PRIMARY KEY, xgb_ecs float8, xgb_positive float8);
\copy xgb_reference FROM 'test/data/xgb_reference.csv' WITH (FORMAT csv, HEADER)

-- the rows include missing values, which must follow each split's default direction
SELECT count(*) AS products, count(*) FILTER (WHERE mass IS NULL) AS mass_missing,
       count(*) FILTER (WHERE air_transport_ratio IS NULL) AS air_missing,
       count(*) FILTER (WHERE material2 IS NULL) AS material2_missing
FROM textile;

\set xgb_regression `cat test/data/xgb_model.json`
\set xgb_logistic `cat test/data/xgb_model_logistic.json`
SELECT model_import('ecs_xgb', 'xgboost-json', :'xgb_regression') AS version;
SELECT model_import('positive_xgb', 'xgboost-json', :'xgb_logistic') AS version;

-- the catalogue: "feature=category" columns became categorical features
SELECT name, version, algorithm, owner = current_user AS own, metrics,
       jsonb_array_length(features) AS features,
       (SELECT string_agg(f ->> 'name' || ':' || (f ->> 'type'), ' ') FROM jsonb_array_elements(features) f) AS spec
FROM model ORDER BY name;
SELECT features -> 0 AS first_feature FROM model WHERE name = 'ecs_xgb';

-- named features: identical to xgboost in float32 (reg:squarederror and binary:logistic, base_score 0.3)
SELECT count(*) AS rows_compared,
       count(*) FILTER (WHERE predict('ecs_xgb', to_jsonb(t), allow_extra_keys => true)::float4 <> r.xgb_ecs::float4) AS ecs_differ,
       count(*) FILTER (WHERE predict('positive_xgb', to_jsonb(t), allow_extra_keys => true)::float4 <> r.xgb_positive::float4) AS positive_differ,
       max(abs(predict('ecs_xgb', to_jsonb(t), allow_extra_keys => true) / r.xgb_ecs - 1)) < 1e-5 AS ecs_within_1e5,
       max(abs(predict('positive_xgb', to_jsonb(t), allow_extra_keys => true) / r.xgb_positive - 1)) < 1e-5 AS positive_within_1e5,
       count(*) FILTER (WHERE (mass IS NULL OR air_transport_ratio IS NULL)
                          AND abs(predict('ecs_xgb', to_jsonb(t), allow_extra_keys => true) / r.xgb_ecs - 1) < 1e-5) AS missing_rows_matching
FROM textile t JOIN xgb_reference r USING (id);

-- encoded columns as float8[]: encoded here in SQL from the stored feature spec
-- (one-hot, NULL when the category is missing), NaN and NULL are both missing
CREATE FUNCTION encode(spec jsonb, row_values jsonb) RETURNS float8[] LANGUAGE sql IMMUTABLE AS $$
	SELECT array_agg(v ORDER BY f.i, c.k)
	FROM jsonb_array_elements(spec) WITH ORDINALITY f(feature, i)
	CROSS JOIN LATERAL (
		SELECT 0 AS k, CASE WHEN row_values ->> (f.feature ->> 'name') IS NULL THEN 'NaN'::float8
		                    ELSE (row_values ->> (f.feature ->> 'name'))::float8 END AS v
		WHERE f.feature ->> 'type' = 'numeric'
		UNION ALL
		SELECT k, CASE WHEN row_values ->> (f.feature ->> 'name') IS NULL THEN NULL
		               ELSE (row_values ->> (f.feature ->> 'name') = category)::int END
		FROM jsonb_array_elements_text(f.feature -> 'categories') WITH ORDINALITY cat(category, k)
		WHERE f.feature ->> 'type' = 'categorical') c(k, v)
$$;
SELECT count(*) FILTER (WHERE predict('ecs_xgb', encode(m.features, to_jsonb(t)))::float4 <> r.xgb_ecs::float4) AS array_ecs_differ,
       count(*) FILTER (WHERE predict('positive_xgb', encode(m.features, to_jsonb(t)))::float4 <> r.xgb_positive::float4) AS array_positive_differ
FROM textile t JOIN xgb_reference r USING (id), model m WHERE m.name = 'ecs_xgb';

-- everything missing: the all-default path, same through both signatures
SELECT predict('ecs_xgb', '{}'::jsonb) = predict('ecs_xgb', array_fill(NULL::float8, ARRAY[46])) AS all_missing_agree,
       predict('ecs_xgb', array_fill('NaN'::float8, ARRAY[46])) = predict('ecs_xgb', array_fill(NULL::float8, ARRAY[46])) AS nan_is_null;
-- unknown category: all one-hot columns 0, as an encoder with handle_unknown='ignore';
-- the same as passing zeros for the product columns
SELECT predict('ecs_xgb', to_jsonb(t) || '{"product": "chaussette"}', allow_extra_keys => true) =
       predict('ecs_xgb', encode(m.features, to_jsonb(t) || '{"product": "chaussette"}')) AS unknown_is_zeros,
       (encode(m.features, to_jsonb(t) || '{"product": "chaussette"}'))[1:7] AS product_columns
FROM textile t, model m WHERE t.id = 1 AND m.name = 'ecs_xgb';

-- export, re-import as chemeco-json: the same predictions to the bit
SELECT model_export('ecs_xgb') ->> 'format' AS format, model_export('ecs_xgb') ->> 'link' AS link,
       jsonb_array_length(model_export('ecs_xgb') -> 'trees' -> 'trees') AS trees;
SELECT model_import('ecs_copy', 'chemeco-json', model_export('ecs_xgb')::text) AS version;
SELECT count(*) FILTER (WHERE predict('ecs_copy', to_jsonb(t), allow_extra_keys => true) <> predict('ecs_xgb', to_jsonb(t), allow_extra_keys => true)) AS copy_differs
FROM textile t;

-- versions: the latest is scored; export takes an explicit version
SELECT model_import('ecs_copy', 'xgboost-json', :'xgb_logistic') AS version;
SELECT predict('ecs_copy', to_jsonb(t), allow_extra_keys => true)::float4 = r.xgb_positive::float4 AS latest_is_scored
FROM textile t JOIN xgb_reference r USING (id) WHERE id = 1;
SELECT model_export('ecs_copy', 1) ->> 'link' AS v1_link, model_export('ecs_copy', 2) ->> 'link' AS v2_link;
SELECT predict('ecs_copy', 1, to_jsonb(t), allow_extra_keys => true)::float4 = r.xgb_ecs::float4 AS v1_scored,
       predict('ecs_copy', 2, to_jsonb(t), allow_extra_keys => true)::float4 = r.xgb_positive::float4 AS v2_scored,
       predict('ecs_copy', 1, encode(m.features, to_jsonb(t)))::float4 = r.xgb_ecs::float4 AS v1_array_scored
FROM textile t JOIN xgb_reference r USING (id), model m WHERE id = 1 AND m.name = 'ecs_copy' AND m.version = 1;

-- the backend cache follows catalogue changes (UPDATE, DELETE) within one session
UPDATE model SET document = (SELECT document FROM model WHERE name = 'ecs_xgb')
WHERE name = 'ecs_copy' AND version = 2;
SELECT predict('ecs_copy', to_jsonb(t), allow_extra_keys => true)::float4 = r.xgb_ecs::float4 AS sees_update
FROM textile t JOIN xgb_reference r USING (id) WHERE id = 1;
DELETE FROM model WHERE name = 'ecs_copy' AND version = 2;
SELECT predict('ecs_copy', to_jsonb(t), allow_extra_keys => true)::float4 = r.xgb_ecs::float4 AS sees_delete
FROM textile t JOIN xgb_reference r USING (id) WHERE id = 1;

-- a parallel scan scores in the workers (PARALLEL SAFE), with the same result
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT sum(predict('ecs_xgb', to_jsonb(t), allow_extra_keys => true)) FROM textile t;
SELECT abs(sum(predict('ecs_xgb', to_jsonb(t), allow_extra_keys => true)) - (SELECT sum(xgb_ecs::float4::float8) FROM xgb_reference)) < 1e-6 AS parallel_sum_matches
FROM textile t;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

DELETE FROM model;
DROP TABLE textile, xgb_reference; DROP FUNCTION encode(jsonb, jsonb);
