/*
 * sort.h: sorted runs of doubles for exact quantiles at scale.
 *
 * A parallel worker (or a Citus shard) sorts its own values before handing
 * its partial state over; the leader merges the sorted runs instead of
 * selecting among all values, and reads quantiles by index.
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

/*
 * Merge the sorted run other[0..nother) (any alignment: it may point into
 * a tuple) into the sorted run values[0..n), which has room for n + nother
 * values: backwards, in place, O(n + nother).
 */
extern void merge_sorted(double *values, size_t n, const void *other, size_t nother);

#endif
