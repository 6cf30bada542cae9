/*
 * ridge.c: ridge regression by the normal equations on standardized columns,
 * solved by a Cholesky decomposition that polls for interrupts per column
 * (a 4000-column factorization takes seconds and must stay cancellable,
 * which GSL's single call is not).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "train.h"

/*
 * A pivot this small relative to its diagonal means the column is (up to
 * rounding) a combination of earlier ones: exact collinearity leaves ~1e-16.
 */
#define RIDGE_PIVOT_TOLERANCE 1e-10

/*
 * In-place Cholesky factorization a = L L' of a symmetric positive definite
 * p x p row-major matrix; L ends up in the lower triangle.  Row-oriented so
 * both inner products run over contiguous rows.  0 if a is not (numerically)
 * positive definite.
 */
static int
cholesky_factor(double *a, int p)
{
	for (int j = 0; j < p; j++)
	{
		double	   *row_j = a + (size_t) j * p;
		double		pivot = row_j[j];

		kernel_check_interrupts();
		for (int k = 0; k < j; k++)
			pivot -= row_j[k] * row_j[k];
		if (!(pivot > RIDGE_PIVOT_TOLERANCE * row_j[j]) || !isfinite(pivot))
			return 0;
		row_j[j] = sqrt(pivot);
		for (int i = j + 1; i < p; i++)
		{
			double	   *row_i = a + (size_t) i * p;
			double		sum = row_i[j];

			for (int k = 0; k < j; k++)
				sum -= row_i[k] * row_j[k];
			row_i[j] = sum / row_j[j];
		}
	}
	return 1;
}

/* Solves L L' x = b for the factor of cholesky_factor(); x may be b. */
static void
cholesky_solve(const double *l, int p, const double *b, double *x)
{
	for (int i = 0; i < p; i++)
	{
		double		sum = b[i];

		for (int k = 0; k < i; k++)
			sum -= l[(size_t) i * p + k] * x[k];
		x[i] = sum / l[(size_t) i * p + i];
	}
	for (int i = p - 1; i >= 0; i--)
	{
		double		sum = x[i];

		for (int k = i + 1; k < p; k++)
			sum -= l[(size_t) k * p + i] * x[k];
		x[i] = sum / l[(size_t) i * p + i];
	}
}

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
	int			ok;

	if (!linear_training_checks(data, lambda, TRAIN_MAX_LINEAR_COLUMNS, "linear", error))
		return 0;
	linear->coefficients = kernel_alloc_array(p, sizeof(double));
	linear->column_means = kernel_alloc_array(p, sizeof(double));
	sd = kernel_alloc_array(p, sizeof(double));
	for (int i = 0; i < n; i++)
		y_mean += data->y[i];
	y_mean /= n;
	z = standardize_columns(data, linear->column_means, sd);

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

	ok = cholesky_factor(gram, p);
	if (ok)
	{
		cholesky_solve(gram, p, rhs, w);
		ok = unstandardize_weights(linear, p, sd, w, y_mean);
	}
	if (!ok)
		snprintf(error, MODEL_ERROR_LEN, "the normal equations are singular (collinear columns): use lambda > 0");
	kernel_free(z);
	kernel_free(sd);
	kernel_free(gram);
	kernel_free(rhs);
	kernel_free(w);
	return ok;
}
