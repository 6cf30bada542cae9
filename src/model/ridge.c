/*
 * ridge.c: ridge regression by the normal equations on standardized columns,
 * solved with GSL's Cholesky decomposition over kernel-allocated arrays.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "train.h"

int
train_ridge(const TrainData *data, double lambda, LinearModel *linear, char *error)
{
	int			n = data->n_rows,
				p = data->n_columns;
	double	   *z,
			   *gram,
			   *rhs,
			   *sd,
			   *w;
	double		y_mean = 0;
	gsl_matrix_view gram_view;
	gsl_vector_view rhs_view,
				w_view;
	gsl_error_handler_t *previous_handler;
	int			status;

	if (n < 2 || p < 1 || p > TRAIN_MAX_LINEAR_COLUMNS)
	{
		snprintf(error, MODEL_ERROR_LEN, "linear needs at least 2 rows and 1 to %d columns, got %d rows and %d columns",
				 TRAIN_MAX_LINEAR_COLUMNS, n, p);
		return 0;
	}
	if (!(lambda >= 0 && isfinite(lambda)))
	{
		snprintf(error, MODEL_ERROR_LEN, "lambda must be a finite number >= 0");
		return 0;
	}
	linear->coefficients = kernel_alloc_array(p, sizeof(double));
	linear->column_means = kernel_alloc_array(p, sizeof(double));
	z = kernel_alloc_array((size_t) n * p, sizeof(double));
	sd = kernel_alloc_array(p, sizeof(double));
	for (int i = 0; i < n; i++)
		y_mean += data->y[i];
	y_mean /= n;

	/* standardized columns, missing values at the mean (z = 0) */
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
		linear->column_means[j] = mean;
		sd[j] = sqrt(variance / n);
		for (int i = 0; i < n; i++)
			z[(size_t) j * n + i] = (isnan(x[i]) || sd[j] == 0) ? 0 : (x[i] - mean) / sd[j];
	}

	gram = kernel_alloc_array((size_t) p * p, sizeof(double));
	rhs = kernel_alloc_array(p, sizeof(double));
	w = kernel_alloc_array(p, sizeof(double));
	for (int j = 0; j < p; j++)
	{
		const double *zj = z + (size_t) j * n;

		for (int k = 0; k <= j; k++)
		{
			const double *zk = z + (size_t) k * n;
			double		sum = 0;

			for (int i = 0; i < n; i++)
				sum += zj[i] * zk[i];
			gram[(size_t) j * p + k] = gram[(size_t) k * p + j] = sum;
		}
		/* a constant column keeps a unit diagonal so the system stays solvable; its weight is 0 */
		gram[(size_t) j * p + j] += sd[j] == 0 ? 1 : lambda;
		rhs[j] = 0;
		for (int i = 0; i < n; i++)
			rhs[j] += zj[i] * (data->y[i] - y_mean);
		kernel_check_interrupts();
	}

	/* GSL's default handler aborts the process: report its errors as a status instead */
	previous_handler = gsl_set_error_handler_off();
	gram_view = gsl_matrix_view_array(gram, p, p);
	rhs_view = gsl_vector_view_array(rhs, p);
	w_view = gsl_vector_view_array(w, p);
	status = gsl_linalg_cholesky_decomp1(&gram_view.matrix);
	if (status == GSL_SUCCESS)
		status = gsl_linalg_cholesky_solve(&gram_view.matrix, &rhs_view.vector, &w_view.vector);
	gsl_set_error_handler(previous_handler);

	if (status == GSL_SUCCESS)
	{
		linear->intercept = y_mean;
		for (int j = 0; j < p; j++)
		{
			linear->coefficients[j] = sd[j] == 0 ? 0 : w[j] / sd[j];
			linear->intercept -= linear->coefficients[j] * linear->column_means[j];
			if (!isfinite(linear->coefficients[j]))
				status = GSL_EDOM;
		}
	}
	if (status != GSL_SUCCESS)
		snprintf(error, MODEL_ERROR_LEN, "the normal equations are singular (collinear columns): use lambda > 0");
	kernel_free(z);
	kernel_free(sd);
	kernel_free(gram);
	kernel_free(rhs);
	kernel_free(w);
	return status == GSL_SUCCESS;
}
