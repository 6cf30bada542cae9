#!/bin/bash
# test/lib/build_postgres.sh [--valgrind] MAJOR
#
# Prints the installation prefix of PostgreSQL MAJOR built from Debian's own
# source package, building it first when it is missing (once per machine;
# a finished build is marked by PREFIX/.complete, so this is idempotent and
# cheap when it is there).  Two flavours:
#
#   (default)   ${CHEMECO_PG_CACHE:-/var/cache/chemeco-pg}/MAJOR: an ordinary
#               optimised build with the contrib modules tests use
#               (postgres_fdw for test/scaleout, pg_prewarm,
#               pg_stat_statements) and pgTAP (bookworm's source package), for
#               `make test PG_CONFIG=.../MAJOR/bin/pg_config` and
#               `make test-matrix` (docs/versions.md).
#   --valgrind  ${CHEMECO_PG_VALGRIND_CACHE:-~/.cache/chemeco-pg-valgrind}/pg-MAJOR:
#               the server only, with --enable-cassert and -DUSE_VALGRIND, for
#               test/memory/server_valgrind.sh (docs/memory.md).
#
# The sources: `apt-get source` of postgresql-MAJOR from the Debian suite
# that ships it (15: this machine's release, bookworm; 17: trixie; 18: sid;
# CHEMECO_PG_SUITE overrides), through deb-src entries in a sources file and
# apt state of the cache's own (CACHE/apt), so /etc/apt stays untouched.
# (When the mirror lags its index, an earlier point release is taken from
# the pool: fetch_earlier below.)  Only the upstream tarball inside the
# source package is built: Debian's patches move the installation into
# /usr/lib/postgresql/MAJOR, which would not stay inside the cache.  Plain configure/make (dpkg-buildpackage would
# run the whole upstream test suite), under nice, -j$(nproc): 3-4 minutes on
# 2 cores.  Only one build runs at a time (flock on CACHE/.lock), so work
# trees that need the same version at once wait for the first.
#
# Needs: network access to deb.debian.org for the first build; the build
# tools below are installed when missing (as root).  The installation is relocatable (test/run.sh and
# server_valgrind.sh copy it into throw-away directories).
set -euo pipefail
shopt -s inherit_errexit

flavour=release
if [ "${1:-}" = --valgrind ]; then
	flavour=valgrind
	shift
fi
major=${1:?usage: build_postgres.sh [--valgrind] MAJOR}
if [ $flavour = valgrind ]; then
	cache=${CHEMECO_PG_VALGRIND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/chemeco-pg-valgrind}
	prefix=$cache/pg-$major
else
	cache=${CHEMECO_PG_CACHE:-/var/cache/chemeco-pg}
	prefix=$cache/$major
fi
if [ -f "$prefix/.complete" ]; then
	echo "$prefix"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -f "$prefix/.complete" ]; then # built by another work tree while we waited
	echo "$prefix"
	exit 0
fi

codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
case ${CHEMECO_PG_SUITE:-$major} in
	17) suite=trixie ;;
	18) suite=sid ;;
	[0-9]*) suite=$codename ;;
	*) suite=$CHEMECO_PG_SUITE ;;
esac

apt_private() { # apt-get/apt-cache with the cache's sources file and state
	local tool=$1
	shift
	local opts=(-q -o Dir::Etc::SourceList="$cache/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o Dir::State::Lists="$cache/apt/lists" -o Dir::Cache="$cache/apt/cache")
	[ "$(id -u)" = 0 ] && opts+=(-o APT::Sandbox::User=root)
	"$tool" "${opts[@]}" "$@"
}

# deb-src only: this machine's release (pgTAP, and postgresql-15) and the
# suite that ships postgresql-MAJOR.
write_sources() {
	local s
	mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
	for s in $(printf '%s\n' "$codename" "$suite" | sort -u); do
		echo "deb-src http://deb.debian.org/debian $s main"
		[ "$s" = sid ] && continue
		echo "deb-src http://deb.debian.org/debian $s-updates main"
		echo "deb-src http://deb.debian.org/debian-security $s-security main"
	done > "$cache/apt/sources.list"
	apt_private apt-get update >&2
}

fetch_postgres() { # fetch_postgres dir: unpacks the newest postgresql-$major tarball there, prints the version
	local dir=$1 versions v
	# newest first; a mirror may lack the newest one's files, so try each
	versions=$(apt_private apt-cache showsrc "postgresql-$major" | sed -n 's/^Version: //p' | sort -rV | uniq)
	for v in $versions; do
		if (cd "$dir" && apt_private apt-get --download-only source "postgresql-$major=$v" >&2); then
			tar -xjf "$dir"/postgresql-"$major"_"${v%%-*}".orig.tar.bz2 -C "$dir"
			echo "${v%%-*}"
			return 0
		fi
	done
	for v in $versions; do
		fetch_earlier "$dir" "$v" && return 0
	done
	echo "build_postgres: no downloadable source package postgresql-$major in $suite (deb-src on deb.debian.org)" >&2
	return 1
}

# Failing apt-get source (a mirror may miss a .dsc or .debian.tar.xz), the
# newest upstream tarball of a package that the index lists and the mirror
# has, checked against the index's SHA-256.
fetch_orig() { # fetch_orig package dir: unpacks it there
	local pkg=$1 dir=$2
	apt_private apt-cache showsrc "$pkg" | awk '/^Version: / { v = $2 } /^Directory: / { d = $2 }
		/^Checksums-Sha256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 ~ /\.orig\.tar\./ { print v, d, $1, $3 }' |
		sort -rV | {
		while read -r _ d sum file; do
			host=http://deb.debian.org/debian
			[[ $d == pool/updates/* ]] && host=http://deb.debian.org/debian-security
			if curl -fsS -o "$dir/$file" "$host/$d/$file" && echo "$sum  $dir/$file" | sha256sum -c --quiet -; then
				tar -xf "$dir/$file" -C "$dir"
				exit 0
			fi
		done
		exit 1
	}
}

# A mirror can lag its own index: the index names only the newest point
# release (trixie's 17.12-0+deb13u1), whose files are not there yet, while
# the pool still holds earlier ones.  So, failing apt-get, the three earlier
# point releases with the same Debian revision, straight from the pool: the
# .dsc, then the upstream tarball checked against the .dsc's SHA-256.
fetch_earlier() { # fetch_earlier dir version: prints the upstream version fetched
	local dir=$1 upstream=${2%%-*} revision=${2#*-} pool minor u dsc tarball sum
	pool=$(apt_private apt-cache showsrc "postgresql-$major" | sed -n 's/^Directory: //p' | grep -m 1 '^pool/main/')
	for ((minor = ${upstream#*.} - 1; minor >= 0 && minor >= ${upstream#*.} - 3; minor--)); do
		u=$major.$minor
		dsc=postgresql-${major}_$u-$revision.dsc
		tarball=postgresql-${major}_$u.orig.tar.bz2
		curl -fsS -o "$dir/$dsc" "http://deb.debian.org/debian/$pool/${dsc//+/%2b}" 2>/dev/null || continue
		sum=$(awk -v f="$tarball" '/^Checksums-Sha256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == f { print $1 }' "$dir/$dsc")
		echo "build_postgres: $2 is not on the mirror; taking $u-$revision from its pool" >&2
		if [ -n "$sum" ] && curl -fsS -o "$dir/$tarball" "http://deb.debian.org/debian/$pool/$tarball" &&
			echo "$sum  $dir/$tarball" | sha256sum -c --quiet - >&2; then
			tar -xjf "$dir/$tarball" -C "$dir"
			echo "$u"
			return 0
		fi
	done
	return 1
}

# PostgreSQL 17 dropped the pre-generated parser files from its tarball.
tools=(gcc make perl bzip2 bison flex dpkg-dev curl)
missing=()
for p in "${tools[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || { echo "build_postgres: install ${missing[*]} first" >&2; exit 1; }
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$build"' EXIT
echo "== building PostgreSQL $major ($flavour) into $prefix (once per machine, a few minutes)" >&2
write_sources
version=$(fetch_postgres "$build")
rm -rf "$prefix"

# Not a sub-make of the caller: PostgreSQL builds its generated headers
# first only when MAKELEVEL is 0.
unset MAKELEVEL MAKEFLAGS MFLAGS
# Only what the tests need: no readline, ICU or zlib (fewer build
# dependencies on a fresh machine).
configure_opts=(--prefix="$prefix" --without-readline --without-icu --without-zlib
	--with-system-tzdata=/usr/share/zoneinfo)
# What a server, psql, pg_dump, PGXS and pg_regress need (src/Makefile's
# SUBDIRS less ecpg, the replication plugins and the isolation tester),
# and the contrib modules tests use: a third of the full build.
subdirs=(src/common src/port src/timezone src/backend src/backend/utils/mb/conversion_procs
	src/backend/snowball src/include src/interfaces/libpq src/fe_utils src/bin src/pl/plpgsql
	src/makefiles src/test/regress)
contrib=(contrib/postgres_fdw contrib/pg_prewarm contrib/pg_stat_statements)
[ $flavour = release ] && subdirs+=("${contrib[@]}")
if [ $flavour = valgrind ]; then
	configure_opts+=(--enable-cassert --enable-debug
		CFLAGS="-O1 -g -fno-omit-frame-pointer" CPPFLAGS="-DUSE_VALGRIND")
fi
(
	cd "$build/postgresql-$version"
	./configure "${configure_opts[@]}" >"$build/configure.log" 2>&1 ||
		{ tail -n 20 "$build/configure.log"; exit 1; }
	make_each() { # make_each target dir...: in src/'s order, stops at the first failure
		local target=$1 d
		shift
		for d in "$@"; do
			nice make -s -j"$(nproc)" -C "$d" $target || return 1
		done
	}
	{
		make_each all "${subdirs[@]}" && make_each install "${subdirs[@]}" config &&
			make -s -C src install-local
	} >"$build/make.log" 2>&1 || { tail -n 40 "$build/make.log"; exit 1; }
	[ $flavour = valgrind ] && cp src/tools/valgrind.supp "$prefix/valgrind.supp"
	true
) >&2

if [ $flavour = release ]; then
	# pgTAP, from this machine's release when the mirror has it
	(
		cd "$build"
		{ apt_private apt-get source "pgtap/$codename" || fetch_orig pgtap "$build"; } >"$build/pgtap.log" 2>&1 &&
			cd pgtap-*/ &&
			nice make -s PG_CONFIG="$prefix/bin/pg_config" >>"$build/pgtap.log" 2>&1 &&
			make -s install PG_CONFIG="$prefix/bin/pg_config" >>"$build/pgtap.log" 2>&1 ||
			{ tail -n 40 "$build/pgtap.log"; exit 1; }
	) >&2
fi

touch "$prefix/.complete"
echo "$prefix"
