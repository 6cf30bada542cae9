#!/bin/bash
# test/recovery/run.sh: the TAP tests of test/recovery (PostgreSQL's own
# PostgreSQL::Test::Cluster modules, which Debian ships in
# postgresql-server-dev: pgxs/src/test/perl).  They start their own servers,
# which refuse to run as root: as root the tests run as user postgres.
# CHEMECO_DESTDIR (see test/run.sh) points the servers at a staged install.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_CONFIG=${PG_CONFIG:-pg_config}
if [ "$(id -u)" = 0 ]; then
	exec runuser -u postgres -- env PG_CONFIG="$PG_CONFIG" CHEMECO_DESTDIR="${CHEMECO_DESTDIR:-}" PATH="$PATH" \
		"$PWD/test/recovery/run.sh" "$@"
fi
perl_modules=$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/perl
if [ ! -f "$perl_modules/PostgreSQL/Test/Cluster.pm" ]; then
	echo "recovery: skipped, no PostgreSQL::Test::Cluster in $perl_modules"
	exit 0
fi
work=$(mktemp -d /tmp/chemeco-recovery.XXXXXX)
trap 'rm -rf "$work"' EXIT
CHEMECO_NODE_CONF=""
if [ -n "${CHEMECO_DESTDIR:-}" ]; then
	CHEMECO_NODE_CONF="extension_destdir = '$CHEMECO_DESTDIR'
dynamic_library_path = '$CHEMECO_DESTDIR$("$PG_CONFIG" --pkglibdir):\$libdir'"
fi
export CHEMECO_NODE_CONF TESTDIR=$work PATH="$("$PG_CONFIG" --bindir):$PATH"
export PG_REGRESS=$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/regress/pg_regress
if [ $# -eq 0 ]; then set -- test/recovery/*.pl; fi
prove -I "$perl_modules" "$@"
