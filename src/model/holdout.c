/*
 * holdout.c: the seeded hold-out split and regression metrics of chemeco.train.
 */
#include <math.h>
#include <string.h>

#include "kernel.h"
#include "train.h"

/* A seeded Fisher-Yates shuffle of the row numbers; the first k are held out. */
void
holdout_split(int n, double fraction, uint64_t seed, uint8_t *is_test)
{
	int			n_test = (int) llround(fraction * n);
	int		   *order = kernel_alloc_array(n > 0 ? n : 1, sizeof(int));
	uint64_t	state = seed;

	for (int i = 0; i < n; i++)
		order[i] = i;
	for (int i = n - 1; i > 0; i--)
	{
		int			k = (int) random_below(&state, (uint64_t) i + 1);
		int			swap = order[i];

		order[i] = order[k];
		order[k] = swap;
	}
	memset(is_test, 0, (size_t) n);
	for (int i = 0; i < n_test; i++)
		is_test[order[i]] = 1;
	kernel_free(order);
}

RegressionMetrics
regression_metrics(const double *y, const double *predicted, int n)
{
	RegressionMetrics metrics = {NAN, NAN, NAN};
	double		mean = 0,
				squared = 0,
				absolute = 0,
				total = 0;

	if (n == 0)
		return metrics;
	for (int i = 0; i < n; i++)
		mean += y[i];
	mean /= n;
	for (int i = 0; i < n; i++)
	{
		double		residual = y[i] - predicted[i];

		squared += residual * residual;
		absolute += fabs(residual);
		total += (y[i] - mean) * (y[i] - mean);
	}
	metrics.rmse = sqrt(squared / n);
	metrics.mae = absolute / n;
	metrics.r2 = total > 0 ? 1 - squared / total : NAN;
	return metrics;
}
