-- Impact statistics: the five statistics of the Ecobalyse textile analysis,
-- as plain SQL over a products table (jsonb inputs + impacts).
-- The sample is generated deterministically (data/sample_products.sql).
-- Explained in docs/ecobalyse-analyses.md.
SET search_path = public, chemeco;
\set QUIET on
\ir data/sample_products.sql
\set QUIET off
SELECT count(*) AS products, count(DISTINCT inputs->>'product') AS product_types FROM textile_products;

-- 1. Where fabrics are made and products assembled, per product type
SELECT inputs->>'product' AS product,
       count(*) FILTER (WHERE inputs->>'countryFabric' = 'CN') AS fabric_cn,
       count(*) FILTER (WHERE inputs->>'countryFabric' = 'IN') AS fabric_in,
       count(*) FILTER (WHERE inputs->>'countryFabric' = 'BD') AS fabric_bd,
       count(*) FILTER (WHERE inputs->>'countryFabric' NOT IN ('CN', 'IN', 'BD')) AS fabric_other,
       count(*) FILTER (WHERE inputs->>'countryMaking' IN ('FR', 'PT', 'IT')) AS made_in_eu,
       count(*) AS total
FROM textile_products GROUP BY 1 ORDER BY 1;

-- 2. Days of wear per product type
SELECT product, (s).n, round((s).mean::numeric, 1) AS mean, round((s).q1::numeric, 1) AS q1,
       round((s).median::numeric, 1) AS median, round((s).q3::numeric, 1) AS q3,
       round((s).min::numeric, 1) AS min, round((s).max::numeric, 1) AS max
FROM (SELECT inputs->>'product' AS product, impact_summary(days_of_wear) AS s FROM textile_products GROUP BY 1) t
ORDER BY product;

-- 3. Per impact and product type: summary with Tukey fences (here ecs and cch)
SELECT product, impact, (s).n, round((s).median::numeric, 2) AS median,
       round((s).q1::numeric, 2) AS q1, round((s).q3::numeric, 2) AS q3,
       round((s).lower_fence::numeric, 2) AS lower_fence, round((s).upper_fence::numeric, 2) AS upper_fence
FROM (SELECT inputs->>'product' AS product, i.key AS impact, impact_summary(i.value::float8) AS s
      FROM textile_products, jsonb_each_text(impacts) i
      WHERE i.key IN ('ecs', 'cch')
      GROUP BY 1, 2) t
ORDER BY impact DESC, product;

-- 4. Outliers: impact_summary as a window aggregate, one pass
WITH flagged AS (
	SELECT id, inputs->>'product' AS product, i.key AS impact, i.value::float8 AS value,
	       impact_summary(i.value::float8) OVER (PARTITION BY inputs->>'product', i.key) AS s
	FROM textile_products, jsonb_each_text(impacts) i)
SELECT impact, count(*) FILTER (WHERE value > (s).upper_fence) AS high,
       count(*) FILTER (WHERE value < (s).lower_fence) AS low, count(*) AS products
FROM flagged GROUP BY impact ORDER BY 2 DESC, impact LIMIT 8;

-- the most extreme ecs outliers, by distance above the upper fence in IQRs
SELECT product, left(id, 8) AS id, round(value::numeric) AS ecs, round((s).upper_fence::numeric) AS upper_fence,
       round(((value - (s).upper_fence) / (s).iqr)::numeric, 2) AS iqrs_above
FROM (SELECT id, inputs->>'product' AS product, (impacts->>'ecs')::float8 AS value,
             impact_summary((impacts->>'ecs')::float8) OVER (PARTITION BY inputs->>'product') AS s
      FROM textile_products) w
WHERE value < (s).lower_fence OR value > (s).upper_fence
ORDER BY iqrs_above DESC LIMIT 5;

-- 5a. The 10 best and the 10 worst products by ecs (environmental cost, µPt)
(SELECT 'best' AS rank_by_ecs, inputs->>'product' AS product, inputs->>'countryFabric' AS fabric,
        inputs#>>'{materials,0,id}' AS main_material, round((impacts->>'ecs')::numeric) AS ecs
 FROM textile_products ORDER BY (impacts->>'ecs')::float8, id LIMIT 10)
UNION ALL
(SELECT 'worst', inputs->>'product', inputs->>'countryFabric', inputs#>>'{materials,0,id}', round((impacts->>'ecs')::numeric)
 FROM textile_products ORDER BY (impacts->>'ecs')::float8 DESC, id LIMIT 10);

-- 5b. ... and by ecs per day of wear
(SELECT 'best' AS rank_by_ecs_per_day, inputs->>'product' AS product, days_of_wear,
        round(((impacts->>'ecs')::float8 / days_of_wear)::numeric, 2) AS ecs_per_day
 FROM textile_products ORDER BY (impacts->>'ecs')::float8 / days_of_wear, id LIMIT 10)
UNION ALL
(SELECT 'worst', inputs->>'product', days_of_wear, round(((impacts->>'ecs')::float8 / days_of_wear)::numeric, 2)
 FROM textile_products ORDER BY (impacts->>'ecs')::float8 / days_of_wear DESC, id LIMIT 10);

-- Extra: ecs quantiles per product, mass-weighted mean cch, single score check
SELECT inputs->>'product' AS product,
       (SELECT array_agg(round(q::numeric)) FROM unnest(quantiles((impacts->>'ecs')::float8, '{0.1,0.5,0.9}')) q) AS ecs_p10_p50_p90,
       round(weighted_mean((impacts->>'cch')::float8 / (inputs->>'mass')::float8, (inputs->>'mass')::float8)::numeric, 2) AS cch_per_kg_mass_weighted
FROM textile_products GROUP BY 1 ORDER BY 1;
-- the stored scores have 6 significant digits: recomputed within 1e-5 relative
SELECT count(*) FILTER (WHERE abs(single_score(impacts - 'pef' - 'ecs', 'pef') / (impacts->>'pef')::float8 - 1) < 1e-5
                          AND abs(single_score(impacts - 'pef' - 'ecs', 'ecs') / (impacts->>'ecs')::float8 - 1) < 1e-5) AS scores_recomputed_ok,
       count(*) AS products
FROM textile_products;
