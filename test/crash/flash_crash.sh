#!/bin/bash
# test/crash/flash_crash.sh: crash-restart test of the chemeco_flash index.
#
# Starts a private cluster, builds an index, runs inserts (small rows and rows
# spanning several pending pages), deletes and VACUUMs in a loop, kills the
# postmaster and its backends with SIGKILL mid-way, restarts (WAL replay) and
# checks that ORDER BY spectrum <~> q through the index equals the sequential
# scan for 40 queries, then inserts again and checks once more.
#
# Standalone, not part of `make test`:
#   CHEMECO_DESTDIR=/tmp/flash-dest make install DESTDIR=/tmp/flash-dest   # or a system install
#   CHEMECO_DESTDIR=/tmp/flash-dest test/crash/flash_crash.sh [seconds before the kill, default 4]
# Exit status 0 and "crash test: PASS" when the index survived.
set -euo pipefail
cd "$(dirname "$0")/../.."

# the server refuses to run as root: run the whole test as postgres
if [ "$(id -u)" = 0 ]; then
	exec runuser -u postgres -- env CHEMECO_DESTDIR="${CHEMECO_DESTDIR:-}" PG_CONFIG="${PG_CONFIG:-pg_config}" "$PWD/test/crash/flash_crash.sh" "$@"
fi

PG_CONFIG=${PG_CONFIG:-pg_config}
bin=$("$PG_CONFIG" --bindir)
work=$(mktemp -d /tmp/flash_crash.XXXXXX)
port=$((20000 + RANDOM % 20000))
opts="-c port=$port -c unix_socket_directories=$work -c listen_addresses= -c fsync=on"
if [ -n "${CHEMECO_DESTDIR:-}" ]; then
	opts="$opts -c extension_destdir=$CHEMECO_DESTDIR"
	opts="$opts -c dynamic_library_path=$CHEMECO_DESTDIR$("$PG_CONFIG" --pkglibdir):\$libdir"
fi
export PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=postgres

stop_cluster() {
	"$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap stop_cluster EXIT

"$bin/initdb" -D "$work/data" -A trust -U postgres >/dev/null
"$bin/pg_ctl" -D "$work/data" -o "$opts" -l "$work/log" -w start >/dev/null

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION chemeco;
SET search_path = chemeco, public;
CREATE TABLE public.lib (id serial PRIMARY KEY, spectrum spectrum);
INSERT INTO lib (spectrum)
SELECT spectrum(array_agg(round((50 + random() * 950)::numeric, 2)::float8), array_agg(1 + random() * 999))
FROM generate_series(1, 2000) g, generate_series(1, 5 + g % 40) p GROUP BY g;
CREATE INDEX lib_flash ON lib USING chemeco_flash (spectrum);
CREATE FUNCTION random_spectrum(n int) RETURNS spectrum LANGUAGE sql VOLATILE AS
$$ SELECT chemeco.spectrum(array_agg(round((50 + random() * 950)::numeric, 2)::float8), array_agg(1 + random() * 999))
   FROM generate_series(1, n) $$;
SQL

# the workload: one transaction per statement, so many commits reach the WAL
(
	for i in $(seq 1 100000); do
		echo "INSERT INTO lib (spectrum) SELECT chemeco.random_spectrum(5 + g % 40) FROM generate_series(1, 20) g;"
		echo "INSERT INTO lib (spectrum) VALUES (chemeco.random_spectrum(1500));"
		echo "DELETE FROM lib WHERE id IN (SELECT id FROM lib ORDER BY random() LIMIT 8);"
		[ $((i % 10)) = 0 ] && echo "VACUUM lib;"
	done
) | psql -X -q >/dev/null 2>&1 &
workload=$!

sleep "${1:-4}"
postmaster=$(head -1 "$work/data/postmaster.pid")
children=$(ps -o pid= --ppid "$postmaster" || true)
kill -9 "$postmaster"
for pid in $children; do kill -9 "$pid" 2>/dev/null || true; done
wait "$workload" || true
for pid in $postmaster $children; do
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
done
echo "killed the postmaster during the workload; restarting"
"$bin/pg_ctl" -D "$work/data" -o "$opts" -l "$work/log" -w start >/dev/null || { tail -20 "$work/log"; exit 1; }
grep -E "redo (starts|done)" "$work/log" | sed 's/^.*LOG: */  /' || true

check() {
	psql -X -q -t -A -v ON_ERROR_STOP=1 <<'SQL'
SET search_path = chemeco, public;
CREATE OR REPLACE FUNCTION index_top(q spectrum) RETURNS text LANGUAGE sql STABLE
SET enable_seqscan = off SET enable_sort = off
AS $$ SELECT string_agg(ctid::text || '=' || d::text, ' ') FROM (
        SELECT ctid, spectrum <~> q AS d FROM lib ORDER BY spectrum <~> q LIMIT 50) t $$;
CREATE OR REPLACE FUNCTION seq_top(q spectrum) RETURNS text LANGUAGE sql STABLE
SET enable_indexscan = off SET enable_bitmapscan = off
AS $$ SELECT string_agg(ctid::text || '=' || d::text, ' ') FROM (
        SELECT ctid, spectrum <~> q AS d FROM lib ORDER BY spectrum <~> q, ctid LIMIT 50) t $$;
SELECT count(*) FILTER (WHERE index_top(q) IS DISTINCT FROM seq_top(q))
FROM ((SELECT spectrum AS q FROM lib ORDER BY random() LIMIT 30)
      UNION ALL SELECT random_spectrum(30) FROM generate_series(1, 10)) queries;
SQL
}

rows=$(psql -X -t -A -c "SELECT count(*) FROM lib")
mismatches=$(check)
echo "after restart: $rows rows, $mismatches of 40 queries differ from the sequential scan"
psql -X -q -c "INSERT INTO lib (spectrum) SELECT chemeco.random_spectrum(5 + g % 40) FROM generate_series(1, 200) g" \
	-c "DELETE FROM lib WHERE id % 17 = 0" -c "VACUUM lib"
mismatches_after=$(check)
echo "after more inserts, deletes and VACUUM: $mismatches_after of 40 queries differ"
if [ "$mismatches" = 0 ] && [ "$mismatches_after" = 0 ] && [ "$rows" -gt 2000 ]; then
	echo "crash test: PASS"
else
	echo "crash test: FAIL"
	exit 1
fi
