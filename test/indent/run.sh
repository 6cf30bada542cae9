#!/bin/bash
# test/indent/run.sh [--diff]: `make indent` (rewrite in place) and
# `make indent-diff` (print the diff, change nothing).
#
# Formats chemeco's C files (src/*/*.[ch], test/**/*.[ch]) in PostgreSQL's
# style with PostgreSQL's own pgindent and pg_bsd_indent, and the typedefs
# of PostgreSQL plus chemeco's (test/indent/typedefs.list, regenerated from
# the tree on every run: every `typedef ... Name;`).
#
# Where the tools come from (the first that exists):
#   - $PGINDENT / $PGTYPEDEFS, or pgindent on PATH;
#   - a cache outside the work tree, ${CHEMECO_PG_CACHE:-/var/cache/chemeco-pg}/pgindent-15/
#     holding pgindent and typedefs.list of PostgreSQL 15, filled once per
#     machine from Debian's source package (apt-get source postgresql-15, with
#     deb-src entries and apt state of the cache's own, so /etc/apt stays
#     untouched; about 25 MB downloaded, only src/tools/pgindent kept).
# pg_bsd_indent 2.1.1, the version PostgreSQL 15's pgindent requires, is
# Debian's package pg-bsd-indent (installed when missing, as root).
# One pgindent version for everybody (INDENT_PG_MAJOR, default 15): the
# versions differ in details, and one tree wants one style.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."

mode=${1:-}
major=${INDENT_PG_MAJOR:-15}
cache=${CHEMECO_PG_CACHE:-/var/cache/chemeco-pg}/pgindent-$major

as_root_install() { # as_root_install PACKAGE: apt-get install it when missing
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && return 0
	[ "$(id -u)" = 0 ] || { echo "indent: install $1 first (apt-get install $1)" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >&2
}

fetch_pgindent() { # pgindent and typedefs.list of PostgreSQL $major into $cache
	local apt=$cache/apt codename versions v work
	codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	printf 'deb-src http://deb.debian.org/debian %s main\ndeb-src http://deb.debian.org/debian %s-updates main\n' \
		"$codename" "$codename" >"$apt/sources.list"
	local opts=(-q -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache")
	[ "$(id -u)" = 0 ] && opts+=(-o APT::Sandbox::User=root)
	echo "== fetching pgindent of PostgreSQL $major into $cache (once per machine)" >&2
	apt-get "${opts[@]}" update >&2
	versions=$(apt-cache "${opts[@]}" showsrc "postgresql-$major" | sed -n 's/^Version: //p' | sort -rV | uniq)
	work=$(mktemp -d "$cache/fetch.XXXXXX")
	for v in $versions; do
		if (cd "$work" && apt-get "${opts[@]}" --download-only source "postgresql-$major=$v" >&2); then
			tar -xjf "$work/postgresql-${major}_${v%%-*}.orig.tar.bz2" -C "$work" --wildcards '*/src/tools/pgindent/*'
			cp "$work"/postgresql-*/src/tools/pgindent/{pgindent,typedefs.list} "$cache/"
			rm -rf "$work" "$apt/cache"
			return 0
		fi
	done
	rm -rf "$work"
	echo "indent: no downloadable source package postgresql-$major (deb-src on deb.debian.org)" >&2
	exit 1
}

pgindent=${PGINDENT:-$(command -v pgindent || true)}
pg_typedefs=${PGTYPEDEFS:-}
if [ -z "$pgindent" ]; then
	mkdir -p "$cache"
	[ -f "$cache/pgindent" ] || fetch_pgindent
	pgindent=$cache/pgindent
	pg_typedefs=${pg_typedefs:-$cache/typedefs.list}
fi
[ -n "$pg_typedefs" ] || pg_typedefs=$(dirname "$pgindent")/typedefs.list
[ -f "$pg_typedefs" ] || { echo "indent: no PostgreSQL typedefs.list beside $pgindent (set PGTYPEDEFS)" >&2; exit 1; }
indent=${INDENT:-$(command -v pg_bsd_indent || true)}
if [ -z "$indent" ]; then
	as_root_install pg-bsd-indent
	indent=$(command -v pg_bsd_indent)
fi

# chemeco's typedefs: the name that ends every typedef declaration in the
# tree, and those of the system headers it includes (jansson's json_t,
# stdint's int64_t, ...) that the tree uses
files=$(ls src/*/*.[ch]; find test -name '*.[ch]' | sort)
typedef_names() { # the names that typedef declarations on stdin declare
	perl -0777 -ne 'while (/\btypedef\b([^;{]*(\{(?:[^{}]|(?2))*\})?[^;]*);/g) {
		my $d = $1; $d =~ s/\{.*\}//s; $d =~ s/__attribute__\s*\(\(.*\)\)\s*$//s;
		print "$1\n" if $d =~ /\(\s*\*\s*(\w+)\s*\)/ || $d =~ /(\w+)\s*(?:\[[^]]*\]\s*)*$/;
	}' | LC_ALL=C sort -u
}
# shellcheck disable=SC2086
{
	cat $files | typedef_names
	grep -h '^#include <' $files | sort -u | ${CC:-gcc} -E -P -x c - | typedef_names |
		LC_ALL=C comm -12 - <(grep -ohE '\b[A-Za-z_][A-Za-z0-9_]*\b' $files | LC_ALL=C sort -u)
} | LC_ALL=C sort -u >test/indent/typedefs.list
work=$(mktemp -d /tmp/chemeco-indent.XXXXXX)
trap 'rm -rf "$work"' EXIT
LC_ALL=C sort -u "$pg_typedefs" test/indent/typedefs.list >"$work/typedefs.list"

# pgindent works on copies; a file comes back only if its tokens (comments
# aside) are unchanged: pg_bsd_indent 2.1.1 splits some tokens it does not
# know (0x1.0p-53 becomes "0x1 .0 p - 53"), and such a file is left alone.
tokens() { # the C tokens of a file, comments removed, one per line
	perl -0777 -ne 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{ }g;
		print "$1\n" while /\G\s*("(?:\\.|[^"\\])*"|\x27(?:\\.|[^\x27\\])*\x27|\.?\d(?:[eEpP][-+]|[\w.])*|\w+|\S)/gc' "$1"
}
# shellcheck disable=SC2086
cp --parents $files "$work/"
# shellcheck disable=SC2086
(cd "$work" && perl "$pgindent" --indent="$indent" --typedefs="$work/typedefs.list" $files) 2>&1 |
	sed -n 's/^Failure in \([^:]*\): \(.*\)/indent: \1 left unchanged (pg_bsd_indent: \2)/p' >&2
changed=0
for f in $files; do
	cmp -s "$f" "$work/$f" && continue
	if ! cmp -s <(tokens "$f") <(tokens "$work/$f"); then
		echo "indent: $f left unchanged (pg_bsd_indent would change its tokens)" >&2
		continue
	fi
	changed=$((changed + 1))
	if [ "$mode" = --diff ]; then
		diff -u --label "a/$f" --label "b/$f" "$f" "$work/$f" || true
	else
		cp "$work/$f" "$f"
	fi
done
echo "indent: $changed files $([ "$mode" = --diff ] && echo "would change" || echo changed)" >&2
[ "$mode" != --diff ] || [ "$changed" -eq 0 ]
