#!/bin/bash
# test/scaleout/fdw_shards.sh: chemeco across three PostgreSQL clusters with
# postgres_fdw, compared with the same data on one node.
#
# Run inside a throw-away coordinator cluster, e.g. from the repo root:
#     pg_virtualenv -t test/scaleout/fdw_shards.sh
# (the extension must be installed; `make test` does that).  It starts three
# shard clusters of its own on loopback (ports from 55431), partitions a
# spectral library (and every other table in test/scaleout/*.sql) across them
# as foreign partitions, runs each query on the partitioned and on a local
# copy, and fails when any answer differs.  Ends with "scale-out: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

. test/lib/cluster.sh
base_port=${CHEMECO_SHARD_PORT:-55431}
cluster_workdir shards

shards=(1 2 3)
for s in "${shards[@]}"; do
	port=$((base_port + s))
	cluster_init "$cluster_work/shard$s"
	cluster_start "$cluster_work/shard$s" "$port" ${CHEMECO_SHARD_OPTS:-}
	psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
		-c 'CREATE EXTENSION chemeco'
done

{
	echo 'CREATE EXTENSION IF NOT EXISTS chemeco;'
	echo 'CREATE EXTENSION IF NOT EXISTS postgres_fdw;'
	for s in "${shards[@]}"; do
		echo "CREATE SERVER shard$s FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '127.0.0.1', port '$((base_port + s))', dbname 'postgres', extensions 'chemeco');"
		echo "CREATE USER MAPPING FOR CURRENT_USER SERVER shard$s OPTIONS (user 'postgres');"
	done
} | psql -X -q -v ON_ERROR_STOP=1

# For each test/scaleout/NAME.sql, NAME.shard.sql first creates the tables
# on every shard; then NAME.sql, on the coordinator, makes them foreign
# partitions, loads data through the coordinator and prints one line per
# check: "ok <what>" or "not ok <what>".
results=$(mktemp)
for f in test/scaleout/*.sql; do
	case $f in *.shard.sql) continue ;; esac
	echo "== $f"
	for s in "${shards[@]}"; do
		psql -X -q -h 127.0.0.1 -p $((base_port + s)) -U postgres -d postgres -v ON_ERROR_STOP=1 \
			-v shard="$s" -f "${f%.sql}.shard.sql" >/dev/null
	done
	psql -X -q -At -v ON_ERROR_STOP=1 -f "$f" | tee -a "$results"
done
passed=$(grep -c '^ok ' "$results" || true)
failed=$(grep -c '^not ok ' "$results" || true)
rm -f "$results"
echo "scale-out: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
