/*
 * summary.c: mean, sample standard deviation, quartiles and Tukey fences.
 */
#include "summary.h"

#include <math.h>

#include "exact_sum.h"
#include "kernel.h"
#include "quantile.h"

#define INTERRUPT_INTERVAL 1048576

SummaryStatus
summarize(double *values, size_t n, bool sorted, Summary *out)
{
	static const double quartile_probs[3] = {0.25, 0.5, 0.75};
	double		quartiles[3];
	ExactSum	sum;
	double		min = values[0];
	double		max = values[0];

	out->n = n;
	exact_sum_init(&sum);
	for (size_t i = 0; i < n; i++)
	{
		double		x = values[i];

		if ((i & (INTERRUPT_INTERVAL - 1)) == 0)
			kernel_check_interrupts();
		exact_sum_add(&sum, x);
		if (x < min)
			min = x;
		if (x > max)
			max = x;
	}
	if (exact_sum_divided(&sum, (double) n, &out->mean) != 0)
		return SUMMARY_MEAN_OVERFLOW;

	out->has_stddev = n >= 2;
	out->stddev = 0.0;
	if (out->has_stddev)
	{
		double		variance;

		exact_sum_init(&sum);
		for (size_t i = 0; i < n; i++)
		{
			double		deviation = values[i] - out->mean;
			double		square = deviation * deviation;

			if ((i & (INTERRUPT_INTERVAL - 1)) == 0)
				kernel_check_interrupts();
			if (!isfinite(square))
				return SUMMARY_VARIANCE_OVERFLOW;
			exact_sum_add(&sum, square);
		}
		if (exact_sum_divided(&sum, (double) (n - 1), &variance) != 0)
			return SUMMARY_VARIANCE_OVERFLOW;
		out->stddev = sqrt(variance);
	}

	if (sorted)
		quantiles_of_sorted(values, n, quartile_probs, 3, quartiles);
	else
		quantiles(values, n, quartile_probs, 3, quartiles);
	out->min = min;
	out->q1 = quartiles[0];
	out->median = quartiles[1];
	out->q3 = quartiles[2];
	out->max = max;
	out->iqr = out->q3 - out->q1;
	out->lower_fence = out->q1 - 1.5 * out->iqr;
	out->upper_fence = out->q3 + 1.5 * out->iqr;
	return SUMMARY_OK;
}
