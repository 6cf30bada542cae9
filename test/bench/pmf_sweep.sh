#!/bin/bash
# pmf_sweep.sh (make pmf-sweep; not part of make test or make bench): the
# quality sweep of issue 19.  For the three EPA PMF 5.0 example data sets and
# k = 3..9, 20 runs, seed 42, in pmf_fit's canonical order (pmf_sweep.c):
#   - methods ls-nmf and anls ranked by Q(true) (robust => false: the
#     objective ESAT's ls-nmf minimises) beside the lowest Q(true) of ESAT's
#     200 models;
#   - method pmf5 (robust mode in the fit, the default) and pmf5 with
#     robust => false (no re-weighting, ranked by Q(true)) beside EPA PMF
#     5.0's Q(true);
# both from test/data/published_q_pmf5_esat.csv.  near = runs within 0.5% of
# the best ranking Q (Q(true) for ls-nmf strict and pmf5 robust => false,
# Q(robust) for pmf5).
# Kernel only, one thread; CPU seconds per fit of 20 runs.
set -euo pipefail
cd "$(dirname "$0")"
data=../data
runs=${PMF_SWEEP_RUNS:-20}
mkdir -p out
make -s -C ../.. kernels
cc -O2 -I../../src/pmf -I../../src/common pmf_sweep.c -L.. -lchemeco_kernels \
	-lgsl -lgslcblas -ljansson -lm -o out/pmf_sweep
echo "runs: $runs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-11s %2s | %9s %7s %5s | %9s %7s %5s %6s | %9s | %9s %7s %5s %6s | %9s %7s %5s %6s | %9s\n' dataset k \
	ls_strict diff near anls_strict diff near cpu_s esat_min pmf5 diff near cpu_s pmf5_nr diff near cpu_s epa_pmf5
for set in "Baton Rogue:Dataset-BatonRouge-con.csv:Dataset-BatonRouge-unc.csv" \
	"Saint Louis:Dataset-StLouis-con.csv:Dataset-StLouis-unc.csv" \
	"Baltimore:Dataset-Baltimore_con.txt:Dataset-Baltimore_unc.txt"; do
	IFS=: read -r name con unc <<<"$set"
	out/pmf_sweep "$data/$con" "$data/$unc" 3 9 "$runs" ls-nmf-strict anls-strict pmf5 pmf5-nonrobust >out/pmf_sweep_"${con%%-con*}".txt
	for k in 3 4 5 6 7 8 9; do
		ls=$(grep "^k=$k method=ls-nmf-strict " out/pmf_sweep_"${con%%-con*}".txt)
		an=$(grep "^k=$k method=anls-strict " out/pmf_sweep_"${con%%-con*}".txt)
		p5=$(grep "^k=$k method=pmf5 " out/pmf_sweep_"${con%%-con*}".txt)
		nr=$(grep "^k=$k method=pmf5-nonrobust " out/pmf_sweep_"${con%%-con*}".txt)
		pub=$(awk -F, -v n="$name" -v k="$k" '$1 == n && $2 == k {print $3 "," $5}' $data/published_q_pmf5_esat.csv)
		awk -v name="$name" -v k="$k" -v ls="$ls" -v an="$an" -v p5="$p5" -v nr="$nr" -v pub="$pub" 'function field(s, key,   m) {
				return match(s, key "=[^ ]+") ? substr(s, RSTART + length(key) + 1, RLENGTH - length(key) - 1) : ""
			}
			function pct(a, b) { return (b == "" || b == "nan") ? "-" : sprintf("%+.2f%%", 100 * (a - b) / b) }
			BEGIN {
				split(pub, p, ",")
				lq = field(ls, "q_true"); aq = field(an, "q_true"); pq = field(p5, "q_true"); nq = field(nr, "q_true")
				printf "%-11s %2d | %9.1f %7s %5s | %9.1f %7s %5s %6s | %9s | %9.1f %7s %5s %6s | %9.1f %7s %5s %6s | %9s\n", name, k,
					lq, pct(lq, p[2]), field(ls, "near"),
					aq, pct(aq, p[2]), field(an, "near"), field(an, "cpu_seconds"), (p[2] == "" ? "-" : p[2]),
					pq, pct(pq, p[1]), field(p5, "near"), field(p5, "cpu_seconds"),
					nq, pct(nq, p[1]), field(nr, "near"), field(nr, "cpu_seconds"), (p[1] == "" ? "-" : p[1])
			}'
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
