#!/bin/bash
# bench_import.sh: read_mgf / read_msp throughput on a synthetic library
# (CHEMECO_IMPORT_SPECTRA spectra, default 20000; 10-200 peaks each,
# m/z 50-1000), beside a baseline measured in the same run: the same peak
# lists, one text value per spectrum, cast to chemeco.spectrum (the type's
# own text input, i.e. the cost of parsing the numbers without any file
# structure or metadata).
set -euo pipefail
n=${CHEMECO_IMPORT_SPECTRA:-20000}
db=chemeco_bench_import
dropdb --if-exists "$db" && createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION chemeco'

psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v n="$n" <<'SQL'
SELECT setseed(0.42);
CREATE TABLE peaks_text AS
SELECT g, 100 + random() * 800 AS precursor,
	(SELECT string_agg(format('%s %s', round((50 + random() * 950)::numeric, 4), round((random() * 1e5)::numeric, 1)), E'\n')
	 FROM generate_series(1, 10 + (random() * 190)::int + g * 0)) AS peaks
FROM generate_series(1, :n) g;
CREATE TABLE files AS
SELECT string_agg(format(E'BEGIN IONS\nTITLE=spectrum %s\nPEPMASS=%s\nCHARGE=1+\n%s\nEND IONS\n', g, round(precursor::numeric, 4), peaks), E'\n' ORDER BY g) AS mgf,
	string_agg(format(E'Name: spectrum %s\nPrecursorMZ: %s\nNum Peaks: %s\n%s\n', g, round(precursor::numeric, 4),
		array_length(string_to_array(peaks, E'\n'), 1), peaks), E'\n' ORDER BY g) AS msp
FROM peaks_text;
SQL

run() {	# label, query: best of 3 runs, in ms
	local best=
	for _ in 1 2 3; do
		local ms
		ms=$(psql -X -q -d "$db" -c '\timing on' -c "SET search_path = chemeco, public; $2" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
		best=$(awk -v a="${best:-$ms}" -v b="$ms" 'BEGIN { print (b < a) ? b : a }')
	done
	printf '%-44s %10.1f ms  %8.0f spectra/s\n' "$1" "$best" "$(awk -v n="$n" -v ms="$best" 'BEGIN { print n / ms * 1000 }')"
}

mb=$(psql -X -At -d "$db" -c "SELECT round(octet_length(mgf) / 1e6, 1) || ' MB MGF, ' || round(octet_length(msp) / 1e6, 1) || ' MB MSP' FROM files")
peaks=$(psql -X -At -d "$db" -c "SELECT sum(array_length(string_to_array(peaks, E'\n'), 1)) FROM peaks_text")
echo "synthetic library: $n spectra, $peaks peaks, $mb"
run "read_mgf (ours)" "SELECT count(*), sum(npeaks(spectrum)) FROM files, read_mgf(files.mgf);"
run "read_msp (ours)" "SELECT count(*), sum(npeaks(spectrum)) FROM files, read_msp(files.msp);"
run "baseline: peak text::spectrum per row" "SELECT count(*), sum(npeaks(peaks::spectrum)) FROM peaks_text;"
dropdb "$db"
