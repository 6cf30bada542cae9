#!/bin/bash
# test/plot/render.sh: every plot function's SVG parses with xmllint and
# renders with rsvg-convert (librsvg) to a PNG with drawn pixels.  Runs
# inside the cluster test/run.sh starts.  OUT=dir keeps the files.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-$(mktemp -d /tmp/chemeco-plots.XXXXXX)}
mkdir -p "$out"
db=chemeco_plots
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
CREATE EXTENSION chemeco;
CREATE TABLE meas AS
SELECT to_char(date '2026-01-01' + i, 'YYYY-MM-DD') AS sample, 'sp' || j AS species,
	abs(sin(i * j)) * 10 + (i % 9) * (j % 3) + 0.1 AS conc, 0.5 AS unc
FROM generate_series(1, 60) i, generate_series(1, 9) j;
SET client_min_messages = warning;
SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM meas', 3, runs => 3) AS run_id \gset
CREATE TABLE picture (name text, svg text);
INSERT INTO picture VALUES
	('mirror', chemeco.plot_mirror('41.04:12 55.05:30 69.07:100 83.09:45 97.10:8 121.10:20',
		'41.04:10 55.06:35 69.07:100 83.08:40 110.1:15', title => 'query & hit <1>')),
	('escaped', chemeco.plot_mirror('100:1', '100:1', title => E'<script>alert("x")</script> & \x01 ''q'' é',
		query_label => '</text><text>', hit_label => ']]>')),
	('isotope', chemeco.plot_isotope_pattern('195.0877:100 196.0907:9.7 197.0935:0.9',
		'195.0876:100 196.0910:10.1 197.0933:1.0')),
	('distribution', (SELECT chemeco.plot_distribution(array_agg(exp(sin(i * 1.3) * 1.5)) || '{40,55}'::float8[])
		FROM generate_series(1, 500) i)),
	('profiles', chemeco.plot_pmf_profiles(:run_id)),
	('contributions', chemeco.plot_pmf_contributions(:run_id));
SQL
passed=0
failed=0
for name in mirror escaped isotope distribution profiles contributions; do
	psql -X -At -d "$db" -c "SELECT svg FROM picture WHERE name = '$name'" >"$out/$name.svg"
	if xmllint --noout "$out/$name.svg" && rsvg-convert -o "$out/$name.png" "$out/$name.svg"; then
		share=$(/usr/bin/python3 test/plot/png_drawn.py "$out/$name.png")
		if python3 -c "import sys; sys.exit(0 if 0.002 < $share < 0.6 else 1)"; then
			passed=$((passed + 1))
			echo "ok - $name: valid SVG, rendered, $share of the pixels drawn"
			continue
		fi
		echo "not ok - $name: $share of the pixels drawn"
	else
		echo "not ok - $name: xmllint or rsvg-convert failed"
	fi
	failed=$((failed + 1))
done
dropdb "$db"
[ -z "${OUT:-}" ] && rm -rf "$out"
echo "plots: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
