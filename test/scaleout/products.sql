-- Coordinator: products hash-partitioned over the shards; impact statistics
-- and model scoring give the same answers as on one node.
SET search_path = public, chemeco;
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS products, products_local CASCADE;
CREATE TABLE products (id int, product_type text, mass float8, cotton_share float8, country text, ecs float8)
	PARTITION BY HASH (id);
CREATE FOREIGN TABLE products_1 PARTITION OF products FOR VALUES WITH (MODULUS 3, REMAINDER 0)
	SERVER shard1 OPTIONS (schema_name 'public', table_name 'products_part');
CREATE FOREIGN TABLE products_2 PARTITION OF products FOR VALUES WITH (MODULUS 3, REMAINDER 1)
	SERVER shard2 OPTIONS (schema_name 'public', table_name 'products_part');
CREATE FOREIGN TABLE products_3 PARTITION OF products FOR VALUES WITH (MODULUS 3, REMAINDER 2)
	SERVER shard3 OPTIONS (schema_name 'public', table_name 'products_part');
CREATE TABLE products_local (LIKE products);
SELECT setseed(0.9) \g /dev/null
INSERT INTO products_local
SELECT g, (ARRAY['tshirt', 'jean', 'pull', 'chemise'])[1 + g % 4], 0.1 + random(), random(),
       (ARRAY['FR', 'CN', 'IN', 'TR', 'BD'])[1 + g % 5], exp(random() * 3)
FROM generate_series(1, 30000) g;
INSERT INTO products SELECT * FROM products_local;

-- impact_summary per product type: every field identical
SELECT CASE WHEN count(*) = 4 AND bool_and(d.s = l.s) THEN 'ok' ELSE 'not ok' END
       || ' impact_summary per product type on shards equals one node'
FROM (SELECT product_type, impact_summary(ecs) AS s FROM products GROUP BY product_type) d
JOIN (SELECT product_type, impact_summary(ecs) AS s FROM products_local GROUP BY product_type) l USING (product_type);
SELECT CASE WHEN (SELECT quantiles(ecs, ARRAY[0.05, 0.5, 0.95]) FROM products)
               = (SELECT quantiles(ecs, ARRAY[0.05, 0.5, 0.95]) FROM products_local)
       THEN 'ok' ELSE 'not ok' END || ' quantiles on shards equal one node';

-- exact mode and sketch mode with the aggregate split across shards: with
-- partitionwise aggregation each shard computes a partial state (exact: a
-- sorted run; sketch: a few kB) that the coordinator combines
SET enable_partitionwise_aggregate = on;
SELECT CASE WHEN (SELECT quantiles(ecs, ARRAY[0, 0.05, 0.5, 0.95, 1]) FROM products)
               = (SELECT percentile_cont(ARRAY[0, 0.05, 0.5, 0.95, 1]) WITHIN GROUP (ORDER BY ecs) FROM products_local)
       THEN 'ok' ELSE 'not ok' END || ' exact quantiles on shards equal percentile_cont on one node';
SELECT CASE WHEN count(*) = 4 AND bool_and(d.q = l.q AND d.s = l.s) THEN 'ok' ELSE 'not ok' END
       || ' quantiles_approx and impact_summary_approx per product type on shards equal one node (bit for bit)'
FROM (SELECT product_type, quantiles_approx(ecs, ARRAY[0.05, 0.5, 0.95]) AS q, impact_summary_approx(ecs) AS s
      FROM products GROUP BY product_type) d
JOIN (SELECT product_type, quantiles_approx(ecs, ARRAY[0.05, 0.5, 0.95]) AS q, impact_summary_approx(ecs) AS s
      FROM products_local GROUP BY product_type) l USING (product_type);
SELECT CASE WHEN (SELECT quantiles_approx(ecs, ARRAY[0.05, 0.5, 0.95], 0.02) FROM products)
               = (SELECT quantiles_approx(ecs, ARRAY[0.05, 0.5, 0.95], 0.02) FROM products_local)
       THEN 'ok' ELSE 'not ok' END || ' quantiles_approx over all shards equals one node';
CREATE TEMP TABLE agg_plan (line text);
DO $$
DECLARE r record;
BEGIN
	FOR r IN EXECUTE 'EXPLAIN (VERBOSE) SELECT quantiles_approx(ecs, ARRAY[0.5]) FROM products' LOOP
		INSERT INTO agg_plan VALUES (r."QUERY PLAN");
	END LOOP;
END $$;
SELECT CASE WHEN count(*) FILTER (WHERE line LIKE '%Partial Aggregate%') = 3
                 OR count(*) FILTER (WHERE line LIKE '%Remote SQL: SELECT chemeco.quantiles_approx(%') = 3
            THEN 'ok' ELSE 'not ok' END || ' the sketch aggregate is split per shard (partial aggregates)'
FROM agg_plan;
RESET enable_partitionwise_aggregate;

-- a model trained on the coordinator scores the sharded rows like local ones
SELECT train('scaleout_gbm', 'gradient_boosting',
	'SELECT mass, cotton_share, country, ecs FROM products_local WHERE id % 3 = 0', 'ecs',
	'{"n_trees": 30, "max_depth": 4, "seed": 7}') \g /dev/null
SELECT CASE WHEN count(*) = 30000 AND bool_and(d.p = l.p) THEN 'ok' ELSE 'not ok' END
       || ' predict over shards equals one node (' || count(*) || ' rows)'
FROM (SELECT id, predict('scaleout_gbm', jsonb_build_object('mass', mass, 'cotton_share', cotton_share, 'country', country)) AS p
      FROM products) d
JOIN (SELECT id, predict('scaleout_gbm', jsonb_build_object('mass', mass, 'cotton_share', cotton_share, 'country', country)) AS p
      FROM products_local) l USING (id);
DELETE FROM model WHERE name = 'scaleout_gbm';
