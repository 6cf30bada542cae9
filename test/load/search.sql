\set q random(1, 20000)
INSERT INTO load_result
SELECT 'search', :q, array_agg(id ORDER BY ord)::text
FROM (SELECT id, row_number() OVER () AS ord FROM (
	SELECT id FROM load_library
	ORDER BY spectrum <~> (SELECT spectrum FROM load_library WHERE id = :q) LIMIT 10) hits) t;
