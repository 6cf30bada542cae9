/*
 * quantile.h: exact quantiles by selection (no full sort).
 *
 * Quantiles use linear interpolation between order statistics exactly as
 * PostgreSQL's percentile_cont: with h = p * (n - 1), lo = floor(h),
 * hi = ceil(h):  x[lo] + (h - lo) * (x[hi] - x[lo]).
 */
#ifndef CHEMECO_QUANTILE_H
#define CHEMECO_QUANTILE_H

#include <stddef.h>

/*
 * Permute values[0..n) so that values[r] is the r-th smallest value for every
 * r in ranks (ascending, no duplicates; ranks >= n are ignored).  Expected
 * O(n * log(nranks)); the multiset of values is unchanged.  Values must not be
 * NaN.
 */
extern void select_ranks(double *values, size_t n, const size_t *ranks, size_t nranks);

/*
 * out[i] = quantile probs[i] (each in [0, 1]) of values[0..n), n >= 1.
 * When values is a few ascending runs (a parallel aggregate's sorted partial
 * states, appended: at most MAX_SORTED_RUNS, sort.h) the order statistics are
 * read across the runs and values stays as it is; otherwise values is
 * permuted (see select_ranks).  A probability outside [0, 1] is
 * clamped to it, NaN taken as 0: callers reject those, but no probability can
 * make the kernel read or write outside values.
 */
extern void quantiles(double *values, size_t n, const double *probs, size_t nprobs, double *out);

/*
 * The r-th smallest (from 0) of values[0..n), made of the nruns ascending
 * runs starting at starts[] (ascending_runs): a search that narrows a window
 * in every run around a pivot, O(nruns^2 log^2 n), nothing moved.
 */
extern double rank_across_runs(const double *values, size_t n, const size_t *starts, size_t nruns,
							   size_t r);

/* The same from values[0..n) already sorted ascending: no selection, O(nprobs). */
extern void quantiles_of_sorted(const double *values, size_t n, const double *probs, size_t nprobs,
								double *out);

#endif
