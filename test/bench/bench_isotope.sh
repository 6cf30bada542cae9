#!/bin/bash
# Isotope patterns per second: chemeco's kernel (src/screening/isotope.c)
# against IsoSpecPy in the same run, on the 532 formulas of
# test/data/isotope_reference.csv (MassBank formulas and halogen/metal ones),
# then isotope_pattern() through SQL.  Run by `make bench`; a quick check.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
repeats=${CHEMECO_BENCH_ISOTOPE_REPEATS:-5}

make -s -C "$root" kernels
includes=$(for d in "$root"/src/*/; do printf -- '-I%s ' "$d"; done)
cc -O2 $includes -o "$here/out/bench_isotope" "$here/bench_isotope.c" \
	-L"$root/test" -lchemeco_kernels -lgsl -lgslcblas -ljansson -lm
tail -n +2 "$root/test/data/isotope_reference.csv" | cut -d, -f1 | uniq > "$here/out/isotope_formulas.txt"

echo "-- isotope patterns, $(wc -l < "$here/out/isotope_formulas.txt") formulas x $repeats"
"$here/out/bench_isotope" "$here/out/isotope_formulas.txt" "$repeats"
/usr/bin/python3 "$here/bench_isotope.py" "$here/out/isotope_formulas.txt" "$repeats"

echo "-- SQL: isotope_pattern(formula, '[M+H]+') over the same formulas"
psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION IF NOT EXISTS chemeco;
SET search_path = public, chemeco;
CREATE TEMP TABLE f (formula text);
\\copy f FROM '$here/out/isotope_formulas.txt'
\\timing on
SELECT count(*), sum(npeaks(isotope_pattern(formula, '[M+H]+'))) FROM f, generate_series(1, 5);
SQL
