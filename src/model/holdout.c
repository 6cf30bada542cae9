/*
 * holdout.c: the seeded hold-out split and the regression and classification
 * metrics of chemeco.train.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "prng.h"
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
		int			k = (int) splitmix64_below(&state, (uint64_t) i + 1);
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

typedef struct Scored
{
	double		p;
	double		y;
} Scored;

static int
by_probability(const void *a, const void *b)
{
	double		pa = ((const Scored *) a)->p,
				pb = ((const Scored *) b)->p;

	return (pa > pb) - (pa < pb);
}

/*
 * ROC AUC as the Mann-Whitney statistic: the rank sum of the positives
 * (tied probabilities share their mean rank) minus its minimum, over
 * positives x negatives.
 */
static double
roc_auc(const double *y, const double *p, int n)
{
	Scored	   *scored = kernel_alloc_array(n, sizeof(Scored));
	double		positives = 0,
				rank_sum = 0;

	for (int i = 0; i < n; i++)
	{
		scored[i].p = p[i];
		scored[i].y = y[i];
		positives += y[i];
	}
	qsort(scored, n, sizeof(Scored), by_probability);
	for (int i = 0; i < n;)
	{
		int			end = i;
		double		tied_positives = 0;

		while (end < n && scored[end].p == scored[i].p)
			tied_positives += scored[end++].y;
		rank_sum += tied_positives * (i + 1 + end) / 2.0;	/* mean of ranks i+1 .. end */
		i = end;
	}
	kernel_free(scored);
	if (positives == 0 || positives == n)
		return NAN;
	return (rank_sum - positives * (positives + 1) / 2) / (positives * (n - positives));
}

ClassificationMetrics
classification_metrics(const double *y, const double *p, int n)
{
	ClassificationMetrics metrics = {NAN, NAN, NAN};
	double		log_loss = 0,
				brier = 0;

	if (n == 0)
		return metrics;
	for (int i = 0; i < n; i++)
	{
		double		clipped = fmin(fmax(p[i], 1e-15), 1 - 1e-15);

		log_loss -= y[i] * log(clipped) + (1 - y[i]) * log(1 - clipped);
		brier += (p[i] - y[i]) * (p[i] - y[i]);
	}
	metrics.log_loss = log_loss / n;
	metrics.brier = brier / n;
	metrics.roc_auc = roc_auc(y, p, n);
	return metrics;
}
