#!/bin/bash
# test/bench/bench_search.sh: chemeco_flash index vs brute force, same run.
#
# For each library size (BENCH_SEARCH_SIZES, default "100000"; add 1000000
# for the full run) a synthetic library of spectra with 10-200 peaks, m/z
# 50-1000 (4 decimals), intensities 1-1000 is built; the queries are library
# spectra with m/z noise (+-0.005 Da) and intensity noise, and random spectra.
# Reported: index build time and size, ms/query for top-10 by the index (in
# a new session, and the same queries repeated in it) and by brute force
# (ORDER BY spectrum <~> q, ctid LIMIT 10, parallel seq scan), and recall of
# the index's top 10 against the brute force (must be 100%, same rows in the
# same order); then a screening batch of 400 different queries in one
# session (first 100, last 100); then the anchor (the published Flash entropy
# search in numpy, test/reference/flash_entropy_search.py) on the same library
# and queries, and a table of medians side by side: warm (repeated in a
# session), new session (the 20 queries), the first 100 of a new session, and
# its first query.  Then the same on the MassBank spectra.  The comparison line
# with the brute force uses the new-session figures.
# Run by `make bench` (PGHOST/PGPORT/PGUSER point at a throw-away cluster).
set -euo pipefail
cd "$(dirname "$0")"
export PGDATABASE=${PGDATABASE:-postgres}
sizes=${BENCH_SEARCH_SIZES:-100000}
nqueries=${BENCH_SEARCH_QUERIES:-20}
out=out/search
mkdir -p "$out"

psql -X -q -c "CREATE EXTENSION IF NOT EXISTS chemeco" >/dev/null

# SQL for a spectrum of N random peaks (N an SQL expression), and for a noisy copy of SPECTRUM
# (m/z +-0.005 Da, intensity +-20%): the library, the queries and the screening batch use them
random_spectrum() {
	echo "chemeco.spectrum(array(SELECT round((50 + random() * 950) * 10000) / 10000 FROM generate_series(1, $1)),
	                       array(SELECT 1 + random() * 999 FROM generate_series(1, $1)))"
}
noisy_copy() {
	echo "chemeco.spectrum(array(SELECT m + (random() - 0.5) * 0.01 FROM unnest(chemeco.mz($1)) m),
	                       array(SELECT i * (0.8 + 0.4 * random()) FROM unnest(chemeco.intensities($1)) i))"
}

# run_queries METHOD TABLE NQUERIES [ROUNDS [QUERIES]]: one line "qid|ctids" per query (from the
# table QUERIES, default bench_queries), then the ms of each; METHOD seq is the brute force, any
# other the planner's choice.  With ROUNDS 2 the queries run twice in the same session and the
# second round goes to METHOD.warm.out (a new backend first has to map every page of shared
# memory it touches).
run_queries() {
	local method=$1 table=$2 n=$3 rounds=${4:-1} queries=${5:-bench_queries} file="$out/$1.sql"
	{
		echo "SET search_path = chemeco, public;"
		echo "SET max_parallel_workers_per_gather = 2; SET jit = off;"
		# the index method runs the planner's own choice (the plan is printed above)
		[ "$method" = seq ] && echo "SET enable_indexscan = off; SET enable_bitmapscan = off;"
		echo "\\timing on"
		for q in $(seq 1 "$n") $( [ "$rounds" = 2 ] && seq 1 "$n"); do
			order="spectrum <~> (SELECT q FROM $queries WHERE qid = $q)"
			[ "$method" = seq ] && order="$order, ctid"
			echo "SELECT $q || '|' || string_agg(ctid::text, ',' ORDER BY r) FROM (SELECT ctid, row_number() OVER () r FROM (SELECT ctid FROM $table ORDER BY $order LIMIT 10) t) u;"
		done
	} >"$file"
	psql -X -q -A -t -f "$file" >"$out/$method.out"
	if [ "$rounds" = 2 ]; then
		awk -v n="$n" '/\|/ && ++r > n { print } /^Time:/ && ++t > n { print }' "$out/$method.out" >"$out/$method.warm.out"
		awk -v n="$n" '/\|/ && ++r <= n { print } /^Time:/ && ++t <= n { print }' "$out/$method.out" >"$out/$method.tmp"
		mv "$out/$method.tmp" "$out/$method.out"
		# the same rows both times
		cmp -s <(grep '|' "$out/$method.out") <(grep '|' "$out/$method.warm.out") ||
			{ echo "  the second round returned other rows" >&2; exit 1; }
	fi
}

ms_per_query() {
	awk '/^Time:/ { sum += $2; n++ } END { printf "%.2f", sum / n }' "$out/$1.out"
}

# median_ms FILE [FIRST]: the median ms of the (first FIRST) queries of METHOD's output file
median_ms() {
	awk -v first="${2:-0}" '/^Time:/ && (first == 0 || n < first) { n++; print $2 }' "$out/$1.out" | sort -g |
		awk '{ t[++n] = $1 } END { printf "%.2f", n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2 }'
}

first_ms() {
	awk '/^Time:/ { printf "%.2f", $2; exit }' "$out/$1.out"
}

compare_and_report() {
	local label=$1 n=$2
	local recall
	grep -v '^Time:' "$out/index.out" | grep '|' >"$out/index.rows"
	grep -v '^Time:' "$out/seq.out" | grep '|' >"$out/seq.rows"
	recall=$(paste -d'\n' "$out/index.rows" "$out/seq.rows" | awk -v n="$n" '
		NR % 2 == 1 { split($0, a, "|"); ia = a[2]; next }
		{ split($0, b, "|"); split(ia, x, ","); split(b[2], y, ",");
		  for (i in y) { total++; if (x[i] == y[i]) same++ } }
		END { printf "%.1f%%", total ? 100 * same / total : 0 }')
	local index_ms seq_ms
	index_ms=$(ms_per_query index)
	seq_ms=$(ms_per_query seq)
	printf '%-28s index %8s ms/query   brute force %9s ms/query   speed-up %7sx   recall %s\n' \
		"$label" "$index_ms" "$seq_ms" "$(awk -v a="$index_ms" -v b="$seq_ms" 'BEGIN { printf "%.0f", b / a }')" "$recall"
}

# screening N: a batch of BENCH_SEARCH_SCREENING (400) different queries in one session, as a
# water sample's unknowns are searched: a new backend maps shared memory as it goes, so the
# later queries of a long session show the steady state (no two queries here are the same).
screening() {
	local n=$1 count=${BENCH_SEARCH_SCREENING:-400}
	psql -X -q -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS bench_screening;
CREATE TABLE bench_screening AS
SELECT 2 * row_number() OVER () - 1 AS qid, $(noisy_copy l.spectrum) AS q
FROM bench_lib l JOIN generate_series(1, $((count / 2))) g ON l.id = (g * 7919) % $n + 1
UNION ALL
SELECT 2 * g, $(random_spectrum "10 + (g * 37) % 190") FROM generate_series(1, $((count / 2))) g;
SQL
	run_queries screening bench_lib "$count" 1 bench_screening
	awk '/^Time:/ { t[++k] = $2 }
		END {
			for (i = 1; i <= k; i++) { all += t[i]; if (i <= 100) first += t[i]; if (i > k - 100) last += t[i] }
			printf "  screening, %d different queries in one session: %.2f ms/query (first 100: %.2f, last 100: %.2f)\n",
				k, all / k, first / 100, last / 100 }' "$out/screening.out"
	printf '  screening, new session: first query %s ms, median of the first 100 %s ms\n' \
		"$(first_ms screening)" "$(median_ms screening 100)"
}

# anchor: the published Flash entropy search in numpy (test/reference/flash_entropy_search.py) on
# the same library and queries: the 20 queries and the screening batch's first 100, its top 10
# checked against the index's.  An in-memory array has no new-session cost: one figure per mode.
# Only for sizes up to BENCH_SEARCH_ANCHOR_MAX (default 100000): its cleaning is Python.
anchor() {
	/usr/bin/python3 ../reference/flash_entropy_search.py bench_lib bench_queries bench_screening:100 \
		--rows "$out/index.all.rows" | tee "$out/anchor.out"
}

for n in $sizes; do
	echo "== synthetic library of $n spectra"
	psql -X -q -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS bench_lib, bench_queries;
CREATE TABLE bench_lib (id int, spectrum chemeco.spectrum);
INSERT INTO bench_lib
SELECT g, $(random_spectrum s.n)
FROM (SELECT g, 10 + (random() * 190)::int AS n FROM generate_series(1, $n) g) s;
CREATE TABLE bench_queries AS
SELECT row_number() OVER (ORDER BY k) AS qid, q FROM (
  (SELECT $(noisy_copy spectrum) AS q, 2 * row_number() OVER () AS k
   FROM bench_lib WHERE id % 997 = 1 LIMIT $((nqueries / 2)))
  UNION ALL
  SELECT $(random_spectrum "10 + (g * 37) % 190"), 2 * g + 1
  FROM generate_series(1, $((nqueries - nqueries / 2))) g) s;
VACUUM ANALYZE bench_lib;
SQL
	start=$(date +%s.%N)
	psql -X -q -c "CREATE INDEX bench_lib_flash ON bench_lib USING chemeco_flash (spectrum)"
	build=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	psql -X -q -c "ANALYZE bench_lib"
	psql -X -A -t -c "SELECT format('peaks %s, heap %s, index %s, build %s s',
		(SELECT sum(chemeco.npeaks(spectrum)) FROM bench_lib),
		pg_size_pretty(pg_table_size('bench_lib')), pg_size_pretty(pg_relation_size('bench_lib_flash')), '$build')"
	psql -X -A -t -c "SET search_path = chemeco, public; EXPLAIN (COSTS OFF) SELECT ctid FROM bench_lib ORDER BY spectrum <~> (SELECT q FROM bench_queries WHERE qid = 1) LIMIT 10" | grep -E "Index Scan|Seq Scan" | sed 's/^ */  plan: /'
	run_queries index bench_lib "$(psql -X -A -t -c 'SELECT count(*) FROM bench_queries')" 2
	printf '  index over all %s queries: %s ms/query in a new session, %s ms/query when repeated in it\n' \
		"$nqueries" "$(ms_per_query index)" "$(ms_per_query index.warm)"
	printf '  index medians: new session %s ms (its first query %s ms), repeated (warm) %s ms\n' \
		"$(median_ms index)" "$(first_ms index)" "$(median_ms index.warm)"
	grep -v '^Time:' "$out/index.out" | grep '|' >"$out/index.all.rows"
	# brute force takes seconds per query at 10^6: compare on every other query there
	brute=$nqueries
	[ "$n" -ge 1000000 ] && brute=$(( nqueries < 6 ? nqueries : 6 ))
	run_queries seq bench_lib "$brute"
	# the index side of the comparison: the same queries (library-derived and random alternate)
	awk -v n="$brute" '/\|/ && ++r <= n { print } /^Time:/ && ++t <= n { print }' "$out/index.out" >"$out/index.tmp"
	mv "$out/index.tmp" "$out/index.out"
	compare_and_report "$n spectra, top 10" "$brute"
	screening "$n"
	# the anchor cleans the library in Python, ~2 ms per spectrum: ~30 min at 10^6
	if [ "$n" -gt "${BENCH_SEARCH_ANCHOR_MAX:-100000}" ]; then
		echo "  anchor skipped above BENCH_SEARCH_ANCHOR_MAX=${BENCH_SEARCH_ANCHOR_MAX:-100000} spectra"
		continue
	fi
	anchor
	printf '  %-12s %10s %12s %14s %12s\n' "ms/query" warm "new session" "first 100 med" "first query"
	printf '  %-12s %10s %12s %14s %12s\n' chemeco "$(median_ms index.warm)" "$(median_ms index)" \
		"$(median_ms screening 100)" "$(first_ms screening)"
	awk '/anchor over/ { m[++k] = $(NF - 4); f[k] = $(NF - 1) }
		END { printf "  %-12s %10s %12s %14s %12s\n", "anchor", m[1], m[1], m[2], f[2] }' "$out/anchor.out"
done

echo "== MassBank LC-MS/MS water spectra (test/data), each spectrum as query"
psql -X -q -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS bench_real, bench_queries;
CREATE TEMP TABLE massbank (name text, precursor float8, spectrum text);
\copy massbank FROM '../data/massbank_water_spectra.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE bench_real AS SELECT name, precursor AS precursor_mz, spectrum::chemeco.spectrum AS spectrum FROM massbank;
CREATE INDEX ON bench_real USING chemeco_flash (spectrum);
CREATE TABLE bench_queries AS SELECT row_number() OVER () AS qid, spectrum AS q FROM bench_real;
ANALYZE bench_real;
SQL
run_queries index bench_real 645
run_queries seq bench_real 645
compare_and_report "645 MassBank spectra" 645
