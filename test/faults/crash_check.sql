-- After a kill -9 and restart: the index answers like a sequential scan and
-- the catalogues hold only whole results.
SET search_path = public, chemeco;
CREATE TEMP TABLE queries AS SELECT id, spectrum FROM library WHERE id % 997 = 1 LIMIT 20;
SET enable_seqscan = off;
CREATE TEMP TABLE by_index AS
SELECT q.id, array(SELECT l.id FROM library l ORDER BY l.spectrum <~> q.spectrum LIMIT 10) AS ids FROM queries q;
RESET enable_seqscan;
SET enable_indexscan = off;
CREATE TEMP TABLE by_scan AS
SELECT q.id, array(SELECT l.id FROM library l ORDER BY l.spectrum <~> q.spectrum, l.ctid LIMIT 10) AS ids FROM queries q;
RESET enable_indexscan;
SELECT count(*) AS queries, count(*) FILTER (WHERE i.ids = s.ids) AS index_equals_scan,
       (SELECT count(*) FROM library) AS library_rows
FROM by_index i JOIN by_scan s USING (id);
SELECT count(*) AS pmf_runs,
       count(*) FILTER (WHERE (SELECT count(*) FROM pmf_profile p WHERE p.run_id = r.run_id) = 0) AS runs_without_profiles
FROM pmf_run r;
SELECT (SELECT count(*) FROM pmf_profile p WHERE NOT EXISTS (SELECT FROM pmf_run r WHERE r.run_id = p.run_id)) AS orphan_profiles,
       (SELECT count(*) FROM pmf_model p WHERE NOT EXISTS (SELECT FROM pmf_run r WHERE r.run_id = p.run_id)) AS orphan_models;
