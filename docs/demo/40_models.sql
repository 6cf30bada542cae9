-- Models in the database: import an XGBoost model, train chemeco's own, compare, score.
-- Data: 2000 generated textile products (docs/demo/data/textile.csv, from
-- test/reference/xgboost_model.py) and the XGBoost model that script trained.
SET search_path = public, chemeco;
\set QUIET on
CREATE TABLE textile (id int PRIMARY KEY, product text, material1 text, share1 float8, material2 text,
	share2 float8, country_dyeing text, country_fabric text, country_making text, fabric_process text,
	mass float8, air_transport_ratio float8, ecs float8);
\copy textile FROM 'data/textile.csv' WITH (FORMAT csv, HEADER)
\set QUIET off

-- 1. Import an XGBoost model (Booster.save_model JSON); "feature=category" columns become categorical features
\set xgb `cat data/xgb_model.json`
SELECT model_import('ecs', 'xgboost-json', :'xgb') AS version;

-- 2. Score named features straight from rows; missing values take each split's default direction
SELECT id, product, material1, mass, air_transport_ratio, round(ecs::numeric, 2) AS ecs,
       round(predict('ecs', to_jsonb(t), allow_extra_keys => true)::numeric, 2) AS predicted
FROM textile t ORDER BY id LIMIT 5;

-- 3. Train chemeco's own models as versions 2 and 3, on the rows (id % 4 <> 0) the XGBoost model saw;
--    text columns become one-hot categorical features
CREATE VIEW textile_features AS
SELECT product, material1, share1, material2, share2, country_dyeing, country_fabric, country_making,
       fabric_process, mass, air_transport_ratio, ecs FROM textile WHERE id % 4 <> 0;
SELECT train('ecs', 'linear', 'SELECT * FROM textile_features', 'ecs', '{"test_fraction": 0}') AS version;
SELECT train('ecs', 'gradient_boosting', 'SELECT * FROM textile_features', 'ecs',
             '{"n_trees": 100, "max_depth": 4, "test_fraction": 0, "progress_every": 50}') AS version;
SELECT name, version, algorithm, jsonb_array_length(features) AS features,
       round((metrics ->> 'r2')::numeric, 3) AS training_r2
FROM model ORDER BY version;

-- 4. Compare the versions on the rows none of them saw (id % 4 = 0)
SELECT v.version, m.algorithm,
       round(sqrt(avg((t.ecs - predict('ecs', v.version, to_jsonb(t), allow_extra_keys => true)) ^ 2))::numeric, 2) AS rmse,
       round((1 - sum((t.ecs - predict('ecs', v.version, to_jsonb(t), allow_extra_keys => true)) ^ 2)
                  / (count(*) * var_pop(t.ecs)))::numeric, 3) AS r2
FROM textile t, generate_series(1, 3) v(version)
JOIN model m ON m.name = 'ecs' AND m.version = v.version
WHERE t.id % 4 = 0 GROUP BY v.version, m.algorithm ORDER BY v.version;

-- 5. The stored document is chemeco-json: export a version, e.g. to copy it to another database
SELECT round((model_export('ecs', 2) -> 'linear' ->> 'intercept')::numeric, 3) AS linear_intercept,
       jsonb_array_length(model_export('ecs') -> 'trees' -> 'trees') AS trees_in_latest,
       model_export('ecs') -> 'metrics' ->> 'evaluated_on' AS evaluated_on;
