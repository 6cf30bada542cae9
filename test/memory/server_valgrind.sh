#!/bin/bash
# test/memory/server_valgrind.sh: the pg_regress suite (sql/, expected/)
# against a PostgreSQL server running under valgrind memcheck; the last step
# of `make check-memory`.
#
# Debian's postgres is built without USE_VALGRIND, so memcheck cannot see
# palloc chunk boundaries there: an overrun of a palloc'd array that stays
# inside its memory context block goes unnoticed.  So this script builds
# PostgreSQL once from Debian's source package (apt-get source, same major
# version) with -DUSE_VALGRIND and --enable-cassert (which adds memory
# context checking: sentinel bytes after each chunk, freed memory clobbered)
# into a cache outside the work tree, with test/lib/build_postgres.sh:
#     ${CHEMECO_PG_VALGRIND_CACHE:-~/.cache/chemeco-pg-valgrind}/pg-<major>
# (about 3 minutes on 2 cores, once).  Each run copies that installation into
# a throw-away directory, adds chemeco.so and the extension's SQL files (built
# against Debian's headers: same major version, same ABI), starts a private
# cluster on loopback (port CHEMECO_VALGRIND_PORT, default 55471) whose
# postmaster and every child run under valgrind, runs the regression tests,
# stops the server and fails when pg_regress fails or any valgrind log holds
# an error.  Suppressions: PostgreSQL's own src/tools/valgrind.supp (known,
# harmless reports in PostgreSQL itself) plus test/memory/valgrind.supp.
#
# Usage: test/memory/server_valgrind.sh [test ...]
# (default: every sql/*.sql but the few too slow under memcheck, listed
# below with the reason).  CHEMECO_VALGRIND_KEEP=1 keeps the logs.
# Needs: valgrind, a C compiler, network access for the first build, the
# extension built (`make`).  As root the server runs as user postgres.
# See docs/memory.md.
set -euo pipefail
shopt -s inherit_errexit # a failed build inside $(...) must stop the script
cd "$(dirname "$0")/../.."

repo=$PWD
pg_major=$(pg_config --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
port=${CHEMECO_VALGRIND_PORT:-55471}

pg=$(test/lib/build_postgres.sh --valgrind "$pg_major")
echo "== server: $("$pg/bin/postgres" --version) built with USE_VALGRIND ($pg)"

# ------------------------------------------------ private cluster under valgrind
# Left out unless named: under memcheck chemeco's numeric code runs 100-300
# times slower than natively.  `make test` runs them without valgrind.
skipped=(
	trust_entry_points # 10^7-element arrays through every entry point: 26 s natively, hours here
	search_flash       # index builds over 1,500 spectra, an 1,800-peak query: 6 s natively
	model_train        # 60-tree random forest, 50,000-row boosting: 1.6 s natively, > 10 min here
)
if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=()
	for f in sql/*.sql; do
		name=$(basename "$f" .sql)
		[[ " ${skipped[*]} " == *" $name "* ]] || tests+=("$name")
	done
fi

. test/lib/cluster.sh
cluster_workdir valgrind
work=$cluster_work
if [ -n "${CHEMECO_VALGRIND_KEEP:-}" ]; then
	trap 'cluster_work=; cluster_cleanup; echo "kept $work"' EXIT
fi

# A copy of the cached installation (relocatable) plus this work tree's
# extension; the postgres user can read it even when the cache is private.
cp -a "$pg" "$work/pg"
cluster_bindir=$work/pg/bin
install -m 755 chemeco.so "$("$work/pg/bin/pg_config" --pkglibdir)/"
install -m 644 chemeco.control chemeco--*.sql "$("$work/pg/bin/pg_config" --sharedir)/extension/"
mkdir "$work/valgrind"
cat > "$work/postgres-under-valgrind" <<EOF
#!/bin/sh
# pg_ctl -p: the postmaster and every process it forks run under memcheck.
# --error-exitcode: a backend with an error exits 128, which the postmaster
# reports as a crash, so the failing test is visible in pg_regress too.
# -s: each log ends with the suppressions used (summarised below).
exec valgrind -q -s --trace-children=yes --leak-check=no --track-origins=yes \\
	--read-var-info=no --num-callers=40 --error-exitcode=128 --gen-suppressions=all \\
	--error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \\
	--suppressions="$work/pg/valgrind.supp" --suppressions="$repo/test/memory/valgrind.supp" \\
	--log-file="$work/valgrind/%p.log" "$work/pg/bin/postgres" "\$@"
EOF
chmod 755 "$work/postgres-under-valgrind"
[ "$(id -u)" = 0 ] && chown -R postgres "$work"

cluster_init "$work/data"
started=$(date +%s)
# Autovacuum off: its workers under valgrind would only compete for the CPU.
cluster_ctl "$work/data" -l "$work/server.log" -t 600 -p "$work/postgres-under-valgrind" \
	-o "-p $port -k $work -c listen_addresses=127.0.0.1 -c autovacuum=off" start

echo "== pg_regress under valgrind: ${tests[*]}"
regress_ok=yes
# The tests' client-side paths (test/data/..., results/...) are relative to
# psql's directory, the work tree's root in `make installcheck`.  Here psql
# runs in a directory of its own with test/ linked in, so results/ is private
# and `make test` may run at the same time.
mkdir "$work/client"
ln -s "$repo/test" "$work/client/test"
(cd "$work/client" && "$pg/lib/postgresql/pgxs/src/test/regress/pg_regress" --inputdir="$repo" \
	--outputdir="$work/client" --bindir="$pg/bin" --host=127.0.0.1 --port="$port" --user=postgres \
	--dbname=chemeco_valgrind --load-extension=chemeco "${tests[@]}") || regress_ok=no
cluster_ctl "$work/data" -m fast -t 600 stop || true
echo "== server under valgrind ran $(($(date +%s) - started)) s"

failed=0
if [ $regress_ok = no ]; then
	[ -f "$work/client/regression.diffs" ] && head -n 200 "$work/client/regression.diffs"
	failed=1
fi
reports=$(grep -l VALGRINDERROR-BEGIN "$work"/valgrind/*.log || true)
if [ -n "$reports" ]; then
	for log in $reports; do
		echo "---- $log"
		cat "$log"
	done
	echo "server_valgrind: valgrind reported errors in $(echo "$reports" | wc -l) process(es)"
	failed=1
fi
if grep -q 'exited with exit code 128' "$work/server.log"; then
	grep 'exited with exit code 128' -A2 "$work/server.log" | head -n 40
	failed=1
fi
suppressed=$(cat "$work"/valgrind/*.log | sed -n 's/^--[0-9]*-- used_suppression: *\([0-9]*\) \([^ ]*\) .*/\2 \1/p' |
	awk '{ n[$1] += $2 } END { for (s in n) printf " %s (%d)", s, n[s] }')
echo "server_valgrind: suppressed (see the suppression files for why):${suppressed:- nothing}"
echo "server_valgrind: $(ls "$work"/valgrind | wc -l) processes checked, $([ $failed = 0 ] && echo ok || echo FAILED)"
[ $failed = 0 ]
