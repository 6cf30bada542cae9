#!/bin/bash
# bench_pmf.sh: seconds for 20 PMF runs (k = 6, ls-nmf, robust selection,
# defaults) on the EPA example sets Baton Rouge (307 x 41) and St. Louis
# (418 x 13): chemeco.pmf_fit in the server beside the numpy re-implementation
# test/reference/pmf_lsnmf.py (same algorithm and stopping rule), both in this run.
# Run by test/bench/run.sh inside a throw-away cluster (PGHOST etc. set).
set -euo pipefail
cd "$(dirname "$0")"
data=../data
db=chemeco_bench_pmf
runs=${PMF_BENCH_RUNS:-20}
dropdb --if-exists "$db" && createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION chemeco'

# wide EPA files (Date, one column per species) into long rows
load() {
	local table=$1 con=$2 unc=$3 cols
	cols=$(head -1 "$con" | awk -F, '{print NF}')
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
CREATE TABLE ${table}_con (n serial, line text);
CREATE TABLE ${table}_unc (n serial, line text);
\copy ${table}_con(line) FROM '$con'
\copy ${table}_unc(line) FROM '$unc'
CREATE TABLE $table AS
SELECT c.n AS row_no, k AS col_no, c.f[1] AS sample, h.f[k] AS species, c.f[k]::float8 AS conc, u.f[k]::float8 AS unc
FROM (SELECT string_to_array(line, ',') f FROM ${table}_con WHERE n = 1) h,
     (SELECT n, string_to_array(line, ',') f FROM ${table}_con WHERE n > 1) c
     JOIN (SELECT n, string_to_array(line, ',') f FROM ${table}_unc WHERE n > 1) u USING (n),
     generate_series(2, $cols) k;
SQL
}
load baton_rouge "$data/Dataset-BatonRouge-con.csv" "$data/Dataset-BatonRouge-unc.csv"
load st_louis "$data/Dataset-StLouis-con.csv" "$data/Dataset-StLouis-unc.csv"

# chemeco runs twice: on one thread (max_parallel_workers_per_gather = 0) and
# on 1 + max_parallel_workers_per_gather threads (the cluster's setting).
# Random starts differ (numpy's generator vs chemeco's), so the runs take
# different numbers of iterations; the per-iteration ratio is the fair one.
# pmf_threads(): 1 + max_parallel_workers_per_gather, at most the online CPUs
threads=$((1 + $(psql -X -At -d "$db" -c 'SHOW max_parallel_workers_per_gather')))
threads=$((threads < $(nproc) ? threads : $(nproc)))
echo "cores: $(nproc); chemeco threads: 1 and $threads; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %5s %9s %9s %9s %10s %10s %11s %11s %10s %10s\n' \
	dataset runs chem_1t_s chem_Nt_s numpy_s speedup_1t speedup_Nt it_chemeco it_numpy Q_chemeco Q_numpy
declare -A numpy_cpu numpy_iters
for set in baton_rouge:BatonRouge st_louis:StLouis; do
	table=${set%%:*} file=${set##*:}
	fit="SELECT chemeco.pmf_fit('SELECT sample, species, conc, unc FROM $table ORDER BY row_no, col_no', 6, runs => $runs)"
	start=$(date +%s.%N)
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'SET max_parallel_workers_per_gather = 0' -c "$fit" \
		>/dev/null 2>out/pmf_chemeco_1t_$table.txt
	ours_1t_s=$(echo "$(date +%s.%N) - $start" | bc)
	start=$(date +%s.%N)
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$fit" >/dev/null 2>out/pmf_chemeco_$table.txt
	ours_s=$(echo "$(date +%s.%N) - $start" | bc)
	ours_it=$(grep -oE '[0-9]+ iterations' out/pmf_chemeco_$table.txt | awk '{s += $1} END {print s}')
	q_ours=$(psql -X -At -d "$db" -c "SELECT round(q_true::numeric, 1) FROM chemeco.pmf_run ORDER BY run_id DESC LIMIT 1")

	/usr/bin/python3 ../reference/pmf_lsnmf.py "$data/Dataset-$file-con.csv" "$data/Dataset-$file-unc.csv" 6 "$runs" \
		>out/pmf_numpy_$table.txt
	last=$(tail -1 out/pmf_numpy_$table.txt)
	q_numpy=$(sed -E 's/.*best Q\(true\)=([0-9.]+).*/\1/' <<<"$last")
	numpy_s=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$last")
	numpy_it=$(grep -oE 'iterations=[0-9]+' out/pmf_numpy_$table.txt | cut -d= -f2 | awk '{s += $1} END {print s}')
	numpy_cpu[$table]=$(sed -E 's/.*cpu_seconds=([0-9.]+).*/\1/' <<<"$last")
	numpy_iters[$table]=$numpy_it

	# per iteration: numpy's seconds per iteration over chemeco's
	printf '%-12s %5s %9.2f %9.2f %9.2f %9.1fx %9.1fx %11s %11s %10s %10s\n' "$table" "$runs" \
		"$ours_1t_s" "$ours_s" "$numpy_s" \
		"$(echo "($numpy_s / $numpy_it) / ($ours_1t_s / $ours_it)" | bc -l)" \
		"$(echo "($numpy_s / $numpy_it) / ($ours_s / $ours_it)" | bc -l)" \
		"$ours_it" "$numpy_it" "$q_ours" "$q_numpy"
done
echo "speedup = numpy seconds per iteration / chemeco seconds per iteration (1 thread, N threads)"

# CPU time, which a loaded machine disturbs less than wall time: the kernel
# alone (test/bench/pmf_kernel_bench.c, one thread) against numpy's CPU time.
make -s -C ../.. kernels
cc -O2 -I../../src/pmf -I../../src/common pmf_kernel_bench.c -L.. -lchemeco_kernels \
	-lgsl -lgslcblas -ljansson -lm -o out/pmf_kernel_bench
# The machine's own ceiling: one core's multiply-add rate in the same
# arithmetic (test/bench/muladd_peak.c), and the kernel's rate, counting the
# 6 k m n multiply-adds of one LS-NMF iteration.
cc -O2 muladd_peak.c -o out/muladd_peak
peak=$(out/muladd_peak | sed -E 's/peak_gmuladd=([0-9.]+).*/\1/')
printf '\n%-12s %5s %12s %12s %14s %14s %9s %13s %9s\n' dataset runs kernel_cpu_s numpy_cpu_s kernel_us_iter numpy_us_iter speedup kernel_gmuladd peak_gmuladd
for set in baton_rouge:BatonRouge:307:41 st_louis:StLouis:418:13; do
	IFS=: read -r table file m n <<<"$set"
	line=$(out/pmf_kernel_bench "$data/Dataset-$file-con.csv" "$data/Dataset-$file-unc.csv" 6 "$runs")
	k_cpu=$(sed -E 's/.*cpu_seconds=([0-9.]+).*/\1/' <<<"$line")
	k_it=$(sed -E 's/.*iterations=([0-9]+).*/\1/' <<<"$line")
	printf '%-12s %5s %12.2f %12.2f %14.1f %14.1f %8.1fx %13.2f %9.2f\n' "$table" "$runs" "$k_cpu" "${numpy_cpu[$table]}" \
		"$(echo "1000000 * $k_cpu / $k_it" | bc -l)" \
		"$(echo "1000000 * ${numpy_cpu[$table]} / ${numpy_iters[$table]}" | bc -l)" \
		"$(echo "(${numpy_cpu[$table]} / ${numpy_iters[$table]}) / ($k_cpu / $k_it)" | bc -l)" \
		"$(echo "6 * 6 * $m * $n * $k_it / $k_cpu / 1000000000" | bc -l)" "$peak"
done
echo "kernel_gmuladd: 10^9 multiply-adds per CPU second in the kernel (6 k m n per iteration);"
echo "peak_gmuladd: the most one core does in the same arithmetic (muladd_peak.c)"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
dropdb "$db"
