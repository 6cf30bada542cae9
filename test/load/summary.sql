\set g random(1, 10)
INSERT INTO load_result
SELECT 'summary', :g, impact_summary(ecs)::text FROM load_products WHERE grp = :g;
