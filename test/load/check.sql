-- Every logged answer equals a serial re-run now, and repeated keys agree.
SET search_path = public, chemeco;
SET enable_seqscan = off;  -- search through the index, as the clients did
CREATE TEMP TABLE rerun AS
SELECT DISTINCT kind, key FROM load_result;
ALTER TABLE rerun ADD COLUMN result text;
UPDATE rerun r SET result = CASE r.kind
	WHEN 'search' THEN (SELECT array_agg(id ORDER BY ord)::text FROM (
		SELECT id, row_number() OVER () AS ord FROM (
			SELECT id FROM load_library
			ORDER BY spectrum <~> (SELECT spectrum FROM load_library WHERE id = r.key) LIMIT 10) h) t)
	WHEN 'predict' THEN (SELECT predict('load_gbm', jsonb_build_object('mass', mass, 'cotton_share', cotton_share, 'country', country))::text
		FROM load_products WHERE id = r.key)
	WHEN 'summary' THEN (SELECT impact_summary(ecs)::text FROM load_products WHERE grp = r.key) END;
SELECT l.kind, count(*) AS transactions, count(DISTINCT l.key) AS distinct_keys,
       count(*) FILTER (WHERE l.result IS DISTINCT FROM r.result) AS differing_from_serial
FROM load_result l JOIN rerun r USING (kind, key) GROUP BY l.kind ORDER BY l.kind;
SELECT count(*) AS inserted_during_load FROM load_library WHERE id > 20000;
-- the index still answers exactly like a sequential scan after the inserts
RESET enable_seqscan;
SET enable_indexscan = off;
SELECT count(*) FILTER (WHERE l.result IS DISTINCT FROM (
	SELECT array_agg(id ORDER BY d, id)::text FROM (
		SELECT id, spectrum <~> (SELECT spectrum FROM load_library WHERE id = l.key) AS d
		FROM load_library ORDER BY d, ctid LIMIT 10) s)) AS search_differing_from_seqscan
FROM (SELECT DISTINCT key, result FROM load_result WHERE kind = 'search' LIMIT 50) l;
