\set r random(1, 100000)
INSERT INTO load_result
SELECT 'predict', :r, predict('load_gbm', jsonb_build_object('mass', mass, 'cotton_share', cotton_share, 'country', country))::text
FROM load_products WHERE id = :r;
