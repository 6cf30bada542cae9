#!/bin/bash
# test/matrix.sh [MAJOR...]: `make test` against each PostgreSQL major version
# in turn (default 15 17 18; `make test-matrix`, docs/versions.md).  15 is
# Debian bookworm's own packages (installed when missing, as `make test`
# does); the others are built from Debian's source packages by
# test/lib/build_postgres.sh when missing.  Every version runs even when one
# fails; ends with one line per version and a non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

majors=("$@")
[ $# -eq 0 ] && majors=(15 17 18)
debian_major=15
passed=0 failed=0 summary=()
for major in "${majors[@]}"; do
	echo "======== PostgreSQL $major"
	started=$(date +%s)
	if [ "$major" = "$debian_major" ]; then
		make test
	else
		prefix=$(test/lib/build_postgres.sh "$major") && make test PG_CONFIG="$prefix/bin/pg_config"
	fi
	rc=$?
	took=$(($(date +%s) - started))
	if [ $rc = 0 ]; then
		passed=$((passed + 1)) summary+=("PostgreSQL $major: ok (${took} s)")
	else
		failed=$((failed + 1)) summary+=("PostgreSQL $major: FAILED (${took} s)")
	fi
done
printf '%s\n' "${summary[@]}"
echo "test-matrix: $passed passed, $failed failed"
[ $failed = 0 ]
