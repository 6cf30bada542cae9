#!/bin/bash
# bench_model.sh: rows/s of chemeco.predict over BENCH_MODEL_ROWS (default 10^6) generated
# textile rows for a 100-tree depth-6 XGBoost model, beside xgboost's own predict and the
# fetch-to-Python-and-score path, all in the same run (see bench_model.py).
# Needs Debian's python3-xgboost and python3-psycopg2.
set -euo pipefail
cd "$(dirname "$0")"
rows=${BENCH_MODEL_ROWS:-1000000}
if ! /usr/bin/python3 -c 'import xgboost, psycopg2' 2>/dev/null; then
	echo "bench_model: skipped (needs python3-xgboost and python3-psycopg2)"
	exit 0
fi
dropdb --if-exists chemeco_bench_model
createdb chemeco_bench_model
export PGDATABASE=chemeco_bench_model BENCH_MODEL_ROWS=$rows
psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION chemeco;
SELECT setseed(0.42);
CREATE TABLE bench_textile AS
WITH r AS (
	SELECT g AS id, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
	       random() AS r6, random() AS r7, random() AS r8, random() AS r9, random() AS r10
	FROM generate_series(1, $rows) g),
f AS (
	SELECT id, (ARRAY['chemise','jean','jupe','manteau','pantalon','pull','tshirt'])[1 + floor(r1 * 7)::int] AS product,
	       (ARRAY['coton','laine','lin','nylon','polyester','viscose'])[1 + floor(r2 * 6)::int] AS material1,
	       CASE WHEN r3 < 0.6 THEN round((0.5 + r4 * 0.45)::numeric, 2)::float8 ELSE 1 END AS share1,
	       CASE WHEN r3 < 0.6 THEN (ARRAY['coton','laine','lin','nylon','polyester','viscose'])[1 + floor(r5 * 6)::int] END AS material2,
	       (ARRAY['BD','CN','FR','IN','IT','PT','TR'])[1 + floor(r6 * 7)::int] AS country_dyeing,
	       (ARRAY['BD','CN','FR','IN','IT','PT','TR'])[1 + floor(r7 * 7)::int] AS country_fabric,
	       (ARRAY['BD','CN','FR','IN','IT','PT','TR'])[1 + floor(r8 * 7)::int] AS country_making,
	       CASE WHEN r9 < 0.5 THEN 'knitting' ELSE 'weaving' END AS fabric_process,
	       CASE WHEN r10 < 0.05 THEN NULL ELSE round((0.2 + r10 * r1)::numeric, 3)::float8 END AS mass,
	       CASE WHEN r4 < 0.05 THEN NULL ELSE (ARRAY[0, 0, 0, 0.33, 1])[1 + floor(r5 * 5)::int] END AS air_transport_ratio
	FROM r)
SELECT id, product, material1, share1, material2, round((1 - share1)::numeric, 2)::float8 AS share2,
       country_dyeing, country_fabric, country_making, fabric_process, mass, air_transport_ratio,
       coalesce(mass, 0.5) * (share1 * 10 + (CASE material1 WHEN 'laine' THEN 30 ELSE 0 END)
                               + 4 * (CASE country_dyeing WHEN 'FR' THEN 0.6 WHEN 'IT' THEN 0.8 ELSE 1.5 END)
                               + 3 * (CASE fabric_process WHEN 'weaving' THEN 1.4 ELSE 1 END))
         * (1 + 1.5 * coalesce(air_transport_ratio, 0)) AS ecs
FROM f;
ALTER TABLE bench_textile ADD PRIMARY KEY (id);
VACUUM ANALYZE bench_textile;
SQL
/usr/bin/python3 bench_model.py
dropdb chemeco_bench_model
