#!/bin/bash
# test/werror.sh [PG_CONFIG...]: every C file of the extension compiled with
# -Werror, by gcc and by clang, against each PostgreSQL given (default:
# Debian's 15 and every finished build of test/lib/build_postgres.sh in
# ${CHEMECO_PG_CACHE:-/var/cache/chemeco-pg}); `make werror`.  The glue and
# kernels get the flags PGXS uses for that PostgreSQL (pg_config --cflags,
# less gcc-only options for clang, plus the -Wno-... PostgreSQL's own
# configure adds for clang); the kernels also get the unit tests' flags
# (KERNEL_CFLAGS in the Makefile).  Objects go to a throw-away directory:
# the work tree's build is left alone.  clang-14 is installed when missing
# (as root).  Ends with "werror: N passed, M failed" (one per compiler and
# PostgreSQL) and a non-zero exit on any warning.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then
	pg_configs=("$@")
else
	pg_configs=()
	[ -x /usr/lib/postgresql/15/bin/pg_config ] && pg_configs+=(/usr/lib/postgresql/15/bin/pg_config)
	for f in "${CHEMECO_PG_CACHE:-/var/cache/chemeco-pg}"/*/.complete; do
		[ -f "$f" ] && pg_configs+=("$(dirname "$f")/bin/pg_config")
	done
fi
clang=$(command -v clang-14 || command -v clang || true)
if [ -z "$clang" ] && [ "$(id -u)" = 0 ]; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang-14 >/dev/null &&
		clang=clang-14
fi
[ -n "$clang" ] || { echo "werror: no clang (apt-get install clang-14)" >&2; exit 1; }

includes=()
for d in src/*/; do includes+=(-I"${d%/}"); done
kernel_cflags=$(make -s --no-print-directory -f - print <<<'include Makefile
print: ; @echo $(KERNEL_CFLAGS)' 2>/dev/null | tail -n 1)
kernels=()
for f in src/*/*.c; do [[ $(basename "$f") == pg_* ]] || kernels+=("$f"); done
out=$(mktemp -d /tmp/chemeco-werror.XXXXXX)
trap 'rm -rf "$out"' EXIT

# clang: drop what only gcc knows; PostgreSQL's configure adds these for
# clang.  The server headers come in as system headers: they were configured
# for gcc (PG_PRINTF_ATTRIBUTE gnu_printf, which clang ignores with a warning).
# clang only parses (its warnings come from the front end); gcc compiles at
# -O2, where its flow-based warnings (-Wmaybe-uninitialized ...) appear.
clang_flags() {
	sed -E 's/ -Wimplicit-fallthrough=3/ -Wimplicit-fallthrough/; s/ -f(excess-precision=standard|stack-clash-protection)//g;
		s/ -Wno-(format-truncation|stringop-truncation)//g; s/ -W(format-truncation|shadow=)[^ ]*//g' <<<"$1"
}
clang_extra=(-Wno-unused-command-line-argument -Wno-compound-token-split-by-macro)

passed=0 failed=0
for pgc in "${pg_configs[@]}"; do
	version=$("$pgc" --version)
	base_flags="$("$pgc" --cflags) $("$pgc" --cflags_sl) $("$pgc" --cppflags)"
	server=$("$pgc" --includedir-server)
	for cc in gcc "$clang"; do
		flags=$base_flags server_inc=(-I"$server") output=(-o "$out/o.o") extra=()
		if [ "$cc" != gcc ]; then
			flags=$(clang_flags "$base_flags") server_inc=(-isystem "$server") output=(-fsyntax-only)
			extra=("${clang_extra[@]}")
		fi
		ok=yes
		for f in src/*/*.c; do
			# shellcheck disable=SC2086 # flag lists
			nice "$cc" $flags "${extra[@]}" -Werror "${includes[@]}" "${server_inc[@]}" -c "$f" "${output[@]}" || ok=no
		done
		for f in "${kernels[@]}"; do
			# shellcheck disable=SC2086
			nice "$cc" $kernel_cflags -Werror -c "$f" "${output[@]}" || ok=no
		done
		if [ $ok = yes ]; then
			passed=$((passed + 1)); echo "ok $version, $(basename "$cc")"
		else
			failed=$((failed + 1)); echo "not ok $version, $(basename "$cc")"
		fi
	done
done
echo "werror: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
