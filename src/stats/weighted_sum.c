/*
 * weighted_sum.c: weighted mean from two exact sums.
 */
#include "weighted_sum.h"

#include <math.h>

void
weighted_sum_init(WeightedSum *s)
{
	s->count = 0;
	exact_sum_init(&s->weights);
	exact_sum_init(&s->products);
}

WeightedStatus
weighted_sum_add(WeightedSum *s, double value, double weight)
{
	double		product = value * weight;

	if (!isfinite(product))
		return WEIGHTED_PRODUCT_OVERFLOW;
	s->count++;
	exact_sum_add(&s->weights, weight);
	exact_sum_add(&s->products, product);
	return WEIGHTED_OK;
}

void
weighted_sum_merge(WeightedSum *s, const WeightedSum *other)
{
	s->count += other->count;
	exact_sum_merge(&s->weights, &other->weights);
	exact_sum_merge(&s->products, &other->products);
}

bool
weighted_sum_is_well_formed(const WeightedSum *s)
{
	int			weights_sign;

	/* no aggregate counts 2^62 rows; the bound keeps a merge of two states from overflowing int64 */
	if (s->count < 0 || s->count > WEIGHTED_MAX_COUNT || !exact_sum_is_well_formed(&s->weights) ||
		!exact_sum_is_well_formed(&s->products))
		return false;
	weights_sign = exact_sum_sign(&s->weights);
	if (s->count == 0)
		return weights_sign == 0 && exact_sum_sign(&s->products) == 0;
	return weights_sign >= 0;
}

WeightedStatus
weighted_sum_mean(const WeightedSum *s, double *mean)
{
	double		total_weight;
	double		total_product;

	if (exact_sum_divided(&s->weights, 1.0, &total_weight) != 0)
		return WEIGHTED_OVERFLOW;
	if (total_weight == 0.0)
		return WEIGHTED_ZERO_WEIGHT;
	if (exact_sum_divided(&s->products, total_weight, &total_product) != 0)
		return WEIGHTED_OVERFLOW;
	*mean = total_product;
	return WEIGHTED_OK;
}
