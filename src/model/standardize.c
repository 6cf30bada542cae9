/*
 * standardize.c: the standardized design of the linear trainers (ridge and
 * logistic): each column centred on its mean and divided by its population
 * standard deviation, missing values at the mean (z = 0), and the way back
 * from standardized weights to raw-column coefficients, and their common
 * argument checks.
 */
#include <math.h>
#include <stdio.h>

#include "kernel.h"
#include "train.h"

double *
standardize_columns(const TrainData *data, double *means, double *sds)
{
	int			n = data->n_rows,
				p = data->n_columns;
	double	   *z = kernel_alloc_array((size_t) n * p, sizeof(double));

	for (int j = 0; j < p; j++)
	{
		const double *x = data->x + (size_t) j * n;
		double		mean = 0,
					variance = 0;
		int			count = 0;

		for (int i = 0; i < n; i++)
			if (!isnan(x[i]))
			{
				mean += x[i];
				count++;
			}
		mean = count ? mean / count : 0;
		for (int i = 0; i < n; i++)
			if (!isnan(x[i]))
				variance += (x[i] - mean) * (x[i] - mean);
		means[j] = mean;
		sds[j] = sqrt(variance / n);
		for (int i = 0; i < n; i++)
			z[(size_t) j * n + i] = (isnan(x[i]) || sds[j] == 0) ? 0 : (x[i] - mean) / sds[j];
		kernel_check_interrupts();
	}
	return z;
}

int
unstandardize_weights(LinearModel *linear, int p, const double *sds, const double *w, double intercept)
{
	linear->intercept = intercept;
	for (int j = 0; j < p; j++)
	{
		linear->coefficients[j] = sds[j] == 0 ? 0 : w[j] / sds[j];
		linear->intercept -= linear->coefficients[j] * linear->column_means[j];
		if (!isfinite(linear->coefficients[j]))
			return 0;
	}
	return isfinite(linear->intercept);
}

int
linear_training_checks(const TrainData *data, double lambda, int max_columns, const char *name, char *error)
{
	if (data->n_rows < 2 || data->n_columns < 1 || data->n_columns > max_columns)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s needs at least 2 rows and 1 to %d columns, got %d rows and %d columns",
				 name, max_columns, data->n_rows, data->n_columns);
		return 0;
	}
	if (!(lambda >= 0 && isfinite(lambda)))
	{
		snprintf(error, MODEL_ERROR_LEN, "lambda must be a finite number >= 0");
		return 0;
	}
	return 1;
}
