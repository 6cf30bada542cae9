-- chemeco.train(..., 'logistic', ...): the optimum's score equations checked in SQL, metrics
-- recomputed from predict(), boolean and 0/1 targets, export/import round trip, errors.
SET search_path = chemeco, public;

CREATE TABLE textile (id int PRIMARY KEY, product text, material1 text, share1 float8, material2 text,
	share2 float8, country_dyeing text, country_fabric text, country_making text, fabric_process text,
	mass float8, air_transport_ratio float8, ecs float8);
\copy textile FROM 'test/data/textile.csv' WITH (FORMAT csv, HEADER)
CREATE VIEW heavy AS
SELECT id, mass, air_transport_ratio, product, ecs > (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ecs) FROM textile) AS high
FROM textile WHERE mass IS NOT NULL AND air_transport_ratio IS NOT NULL;

-- lambda 0, no hold-out: at the maximum-likelihood optimum the score equations hold,
-- sum(y - p) = 0 and sum((y - p) x) = 0 for every column
SELECT train('high_mle', 'logistic', 'SELECT mass, air_transport_ratio, high FROM heavy', 'high',
             '{"lambda": 0, "test_fraction": 0}') AS version;
WITH p AS (SELECT high::int AS y, mass, air_transport_ratio,
                  predict('high_mle', jsonb_build_object('mass', mass, 'air_transport_ratio', air_transport_ratio)) AS p
           FROM heavy)
SELECT abs(sum(y - p)) < 1e-6 AS intercept_score, abs(sum((y - p) * mass)) < 1e-6 AS mass_score,
       abs(sum((y - p) * air_transport_ratio)) < 1e-6 AS air_score,
       min(p) > 0 AND max(p) < 1 AS probabilities
FROM p;

-- the stored metrics (evaluated on the training rows here) equal log-loss, Brier score and the
-- pairwise ROC AUC computed from predict() in SQL
WITH p AS (SELECT id, high::int AS y, predict('high_mle', to_jsonb(h), allow_extra_keys => true) AS p FROM heavy h),
     m AS (SELECT model_export('high_mle') -> 'metrics' AS m)
SELECT m ->> 'evaluated_on' AS evaluated_on,
       abs((m ->> 'log_loss')::float8 - (SELECT -avg(y * ln(p) + (1 - y) * ln(1 - p)) FROM p)) < 1e-9 AS log_loss,
       abs((m ->> 'brier')::float8 - (SELECT avg((p - y) ^ 2) FROM p)) < 1e-9 AS brier,
       abs((m ->> 'roc_auc')::float8 -
           (SELECT avg(CASE WHEN a.p > b.p THEN 1 WHEN a.p = b.p THEN 0.5 ELSE 0 END)
            FROM p a, p b WHERE a.y = 1 AND b.y = 0)) < 1e-9 AS roc_auc,
       (m ->> 'roc_auc')::float8 > 0.8 AS separates,
       m ? 'rmse' AS has_rmse
FROM m;

-- default hold-out of 25%, a categorical column, a 0/1 integer target; the document round-trips
SELECT train('high', 'logistic', 'SELECT product, mass, air_transport_ratio, high::int AS high FROM heavy', 'high') AS version;
SELECT d ->> 'algorithm' AS algorithm, d ->> 'link' AS link, d -> 'metrics' ->> 'evaluated_on' AS evaluated_on,
       (d -> 'metrics' ->> 'n_test')::int AS n_test, (d -> 'metrics' ->> 'roc_auc')::float8 > 0.8 AS auc_ok,
       jsonb_array_length(d -> 'linear' -> 'coefficients') AS columns
FROM (SELECT model_export('high') AS d) e;
SELECT model_import('high_copy', 'chemeco-json', model_export('high')::text) AS version;
SELECT count(*) AS rows, bool_and(predict('high', to_jsonb(h), allow_extra_keys => true) = predict('high_copy', to_jsonb(h), allow_extra_keys => true)) AS same,
       model_export('high_copy') -> 'metrics' = model_export('high') -> 'metrics' AS same_metrics
FROM heavy h;
-- a larger lambda shrinks the coefficients
SELECT train('high_shrunk', 'logistic', 'SELECT mass, air_transport_ratio, high FROM heavy', 'high',
             '{"lambda": 1000, "test_fraction": 0}') AS version;
SELECT abs((s -> 'linear' -> 'coefficients' ->> 0)::float8) < abs((m -> 'linear' -> 'coefficients' ->> 0)::float8) AS shrunk
FROM (SELECT model_export('high_shrunk') AS s, model_export('high_mle') AS m) e;

-- errors
SELECT train('x', 'logistic', 'SELECT mass, ecs FROM textile', 'ecs');
SELECT train('x', 'logistic', 'SELECT mass, product FROM textile', 'product');
SELECT train('x', 'logistic', 'SELECT mass, (id % 2 = 0) AS even FROM textile WHERE id < 3', 'even');
SELECT train('x', 'logistic', 'SELECT mass, true AS always FROM textile', 'always');
SELECT train('x', 'logistic', 'SELECT mass, mass > 1 AS big FROM heavy', 'big', '{"lambda": 0, "test_fraction": 0}');
SELECT train('x', 'linear', 'SELECT mass, high FROM heavy', 'high');
SELECT train('x', 'logistic', 'SELECT (g % 1001)::text AS c, g % 2 AS y FROM generate_series(1, 3000) g', 'y',
             '{"test_fraction": 0}');
SELECT model_document('chemeco-json', jsonb_set(model_export('high'), '{link}', '"identity"')::text);
DELETE FROM model;
DROP VIEW heavy; DROP TABLE textile;
