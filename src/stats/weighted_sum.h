/*
 * weighted_sum.h: exact running sums for a weighted mean, sum(w*x) / sum(w).
 *
 * Both sums are exact (exact_sum.h), so the mean does not depend on the
 * order in which rows or partial states arrive.
 */
#ifndef CHEMECO_WEIGHTED_SUM_H
#define CHEMECO_WEIGHTED_SUM_H

#include <stdbool.h>
#include <stdint.h>

#include "exact_sum.h"

/* the largest count of a well-formed state (merging two cannot overflow int64) */
#define WEIGHTED_MAX_COUNT (INT64_MAX / 2)

typedef struct WeightedSum
{
	int64_t		count;
	ExactSum	weights;		/* sum of w */
	ExactSum	products;		/* sum of w * x, each product rounded once */
} WeightedSum;

typedef enum WeightedStatus
{
	WEIGHTED_OK,
	WEIGHTED_PRODUCT_OVERFLOW,	/* w * x is not finite */
	WEIGHTED_ZERO_WEIGHT,		/* the weights sum to 0 */
	WEIGHTED_OVERFLOW			/* the mean is not finite */
} WeightedStatus;

extern void weighted_sum_init(WeightedSum *s);

/* value and weight finite, weight >= 0 (checked by the caller). */
extern WeightedStatus weighted_sum_add(WeightedSum *s, double value, double weight);

extern void weighted_sum_merge(WeightedSum *s, const WeightedSum *other);

/*
 * Whether s could come from weighted_sum_init/add/merge (a stored state may
 * be forged): a count in [0, WEIGHTED_MAX_COUNT], well-formed sums, weights summing to >= 0, and
 * both sums zero when nothing was counted.
 */
extern bool weighted_sum_is_well_formed(const WeightedSum *s);

extern WeightedStatus weighted_sum_mean(const WeightedSum *s, double *mean);

#endif
