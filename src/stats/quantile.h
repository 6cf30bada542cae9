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
 * values is permuted (see select_ranks).  A probability outside [0, 1] is
 * clamped to it, NaN taken as 0: callers reject those, but no probability can
 * make the kernel read or write outside values.
 */
extern void quantiles(double *values, size_t n, const double *probs, size_t nprobs, double *out);

/* The same from values[0..n) already sorted ascending: no selection, O(nprobs). */
extern void quantiles_of_sorted(const double *values, size_t n, const double *probs, size_t nprobs,
								double *out);

#endif
