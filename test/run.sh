#!/bin/bash
# test/run.sh test|demo|bench|load|faults
#
# One entry point behind `make test`, `make demo`, `make bench`, `make load` and
# `make faults`:
#   1. installs missing Debian packages (as root, with apt-get),
#   2. builds and installs the extension,
#   3. starts a throw-away cluster with pg_virtualenv and runs the suites,
#      the demo or the benchmarks inside it.
#
# PG_CONFIG is respected.  CHEMECO_DESTDIR=/some/dir installs into a staging
# directory instead of the system (the throw-away cluster is pointed at it
# through Debian's extension_destdir), so several work trees can test at once.
#
# A PG_CONFIG outside Debian's packages, such as a PostgreSQL built by
# test/lib/build_postgres.sh (built first when PG_CONFIG names one of its
# installations, CACHE/MAJOR/bin/pg_config, that is not there yet): Debian's
# pg_virtualenv and extension_destdir do not work there, so the extension is
# installed into a throw-away copy of that installation, which runs a private
# cluster (test/lib/cluster.sh) with PATH, PG_CONFIG, PGHOST, PGPORT and
# PGUSER pointing at it (docs/versions.md).
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-test}
PG_CONFIG=${PG_CONFIG:-pg_config}
PG_MAJOR=${PG_MAJOR:-15}

# Built from source by test/lib/build_postgres.sh (it prints the prefix)?
source_built=
if [[ $PG_CONFIG == */chemeco-pg/*/bin/pg_config ]]; then
	source_built=yes
	if [ ! -x "$PG_CONFIG" ]; then
		cache_major=${PG_CONFIG%/bin/pg_config}
		PG_CONFIG=$(CHEMECO_PG_CACHE=${cache_major%/*} test/lib/build_postgres.sh "${cache_major##*/}")/bin/pg_config
	fi
elif [ -x "$PG_CONFIG" ] && [[ $PG_CONFIG == */* ]] && [[ $("$PG_CONFIG" --bindir) != /usr/lib/postgresql/* ]]; then
	source_built=yes
fi

packages=(libgsl-dev libjansson-dev libtap-parser-sourcehandler-pgtap-perl make gcc
	librsvg2-bin libxml2-utils libipc-run-perl)
[ -n "$source_built" ] ||
	packages+=("postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" "postgresql-$PG_MAJOR-pgtap"
		"postgresql-$PG_MAJOR-cron")
case $what in
	test) packages+=(python3-psycopg2 odbc-postgresql unixodbc python3-pyodbc) ;;  # test/clients/
	bench) packages+=(python3-numpy python3-xgboost python3-psycopg2 python3-isospec python3-cffi) ;;
	faults) packages+=(sqlsmith) ;;  # test/faults/sqlsmith.sh
esac
# Wanted but not required: where the archive has no such package for this
# PostgreSQL, the tests that use it skip (sql/screening_rdkit.sql).
optional_packages=()
case $what in
	test|demo) optional_packages+=("postgresql-$PG_MAJOR-rdkit") ;;
esac

install_missing_packages() {
	local missing=()
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages: ${missing[*]} (run as root, or install them first)" >&2
		exit 1
	fi
	echo "== installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_optional_packages() {
	local p
	for p in "${optional_packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && continue
		[ "$(id -u)" = 0 ] || { echo "== $p is not installed: the tests that use it skip"; continue; }
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
			echo "== $p is not available: the tests that use it skip"
	done
}

# Debian 12's RDKit cartridge (postgresql-15-rdkit 202209.3) cannot be created
# on PostgreSQL 15.8 and later: its @= operators declare = as commutator and
# <> as negator, which PostgreSQL now refuses (rdkit issue #7459, fixed in
# RDKit 2024.09).  In a staging directory, stage a copy of its install script
# without those two clauses, so sql/screening_rdkit.sql runs; the system copy
# is never touched (without a staging directory that test skips).
stage_rdkit() {
	local dir=$1 share script
	share=$("$PG_CONFIG" --sharedir)/extension
	script=$(ls "$share"/rdkit--*.sql 2>/dev/null | head -n 1 || true)
	[ -n "$script" ] && grep -q "COMMUTATOR = '='" "$script" || return 0
	mkdir -p "$dir$share"
	cp "$share/rdkit.control" "$dir$share/"
	perl -0pe "s/(CREATE OPERATOR @= \((?:(?!;).)*?)COMMUTATOR = '=',\s*NEGATOR = '<>',/\1/gs" "$script" \
		> "$dir$share/$(basename "$script")"
}

command -v dpkg-query >/dev/null && install_missing_packages && install_optional_packages
command -v "$PG_CONFIG" >/dev/null || PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
PG_MAJOR=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
export PG_CONFIG

echo "== building"
make -s PG_CONFIG="$PG_CONFIG"

# pg_virtualenv's options for the throw-away cluster, as pg_virtualenv
# would take them, and run_in_cluster that starts it and runs a command.
venv_opts=(-t -v "$PG_MAJOR")
run_in_cluster() { pg_virtualenv "${venv_opts[@]}" "$@"; }
if [ -n "$source_built" ]; then
	. test/lib/cluster.sh
	cluster_workdir "pg$PG_MAJOR"
	cp -a "$("$PG_CONFIG" --bindir)/.." "$cluster_work/pg"
	PG_CONFIG=$cluster_work/pg/bin/pg_config
	cluster_bindir=$cluster_work/pg/bin
	export PATH=$cluster_bindir:$PATH
	make -s PG_CONFIG="$PG_CONFIG" install
	unset CHEMECO_DESTDIR # a private installation: no staging directory
	run_in_cluster() {
		local opts=() port=${CHEMECO_TEST_PORT:-55400}
		while [ "${1:-}" = -o ] || [ "${1:-}" = -t ] || [ "${1:-}" = -v ]; do
			case $1 in
				-o) opts+=(-c "$2"); shift 2 ;;
				-t) shift ;;
				-v) shift 2 ;;
			esac
		done
		while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
		cluster_init "$cluster_work/data"
		cluster_start "$cluster_work/data" "$port" "${opts[@]}"
		PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres "$@"
	}
elif [ -n "${CHEMECO_DESTDIR:-}" ]; then
	make -s PG_CONFIG="$PG_CONFIG" install DESTDIR="$CHEMECO_DESTDIR"
	stage_rdkit "$CHEMECO_DESTDIR"
	venv_opts+=(-o "extension_destdir=$CHEMECO_DESTDIR"
		-o "dynamic_library_path=$CHEMECO_DESTDIR$("$PG_CONFIG" --pkglibdir):\$libdir")
else
	if [ "$(id -u)" = 0 ]; then
		make -s PG_CONFIG="$PG_CONFIG" install
	else
		sudo make -s PG_CONFIG="$PG_CONFIG" install
	fi
	# the mended RDKit script alone in a staging directory of its own
	rdkit_stage=$(mktemp -d /tmp/chemeco-rdkit.XXXXXX)
	chmod 755 "$rdkit_stage"
	stage_rdkit "$rdkit_stage"
	[ -d "$rdkit_stage/usr" ] && venv_opts+=(-o "extension_destdir=$rdkit_stage")
fi

# pg_virtualenv runs its command as the invoking user; as root the server
# runs as postgres, which must be able to read the work tree.
export CHEMECO_SRC=$PWD
case $what in
	test) run_in_cluster "${venv_opts[@]}" test/suites.sh ;;
	demo) run_in_cluster "${venv_opts[@]}" docs/demo/demo.sh ;;
	bench) run_in_cluster "${venv_opts[@]}" -o shared_buffers=4GB -o max_parallel_workers_per_gather=2 test/bench/run.sh ;;
	load) run_in_cluster "${venv_opts[@]}" -o max_connections=50 test/load/run.sh ;;
	faults) test/faults/run.sh ;;  # starts (and kills) a cluster of its own
	*) echo "usage: $0 test|demo|bench|load|faults" >&2; exit 2 ;;
esac
