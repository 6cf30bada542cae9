/*
 * sort.h: sorted runs of doubles for exact quantiles at scale.
 *
 * A parallel worker (or a Citus shard) sorts its own values before handing
 * its partial state over; the leader appends the sorted runs one after the
 * other (no merge) and reads quantiles across the runs (quantile.h).
 */
#ifndef CHEMECO_SORT_H
#define CHEMECO_SORT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Sort values[0..n) ascending: an LSD radix sort of the IEEE-754 bit
 * patterns (O(n), six passes of 11 bits at most; passes whose digit is the
 * same for every value are skipped), insertion sort for short arrays.
 * scratch has room for n doubles.  -0 sorts before +0 and NaN by its bit
 * pattern (callers store neither), so the result never depends on the
 * input order.
 */
extern void sort_values(double *values, double *scratch, size_t n);

/* Whether values[0..n) (any alignment) ascend; NaN anywhere makes it false. */
extern bool values_sorted(const void *values, size_t n);

/* At most this many ascending runs are read as runs; more are selected among. */
#define MAX_SORTED_RUNS 64

/*
 * Where each maximal ascending run of values[0..n) (any alignment) starts,
 * into starts[0..max_runs): the number of runs, or 0 when n is 0 or there
 * are more than max_runs (an unsorted array stops the scan early).
 */
extern size_t ascending_runs(const void *values, size_t n, size_t *starts, size_t max_runs);

#endif
