/*
 * logistic.c: binary logistic regression with an L2 penalty, fitted by
 * Newton's method (iteratively reweighted least squares) on standardized
 * columns.  Each Newton system is solved with GSL's Cholesky decomposition;
 * the objective must decrease at every step (step halving otherwise).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "kernel.h"
#include "train.h"

#define LOGISTIC_MAX_ITERATIONS 100
#define LOGISTIC_MAX_HALVINGS 40
#define LOGISTIC_TOLERANCE 1e-10

/* log(1 + exp(eta)) without overflow */
static double
softplus(double eta)
{
	return eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
}

static double
sigmoid(double eta)
{
	return eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta));
}

/*
 * The penalized objective at beta = (intercept, w): the summed log-loss
 * softplus(eta) - y eta plus lambda/2 |w|^2; fills eta.
 */
static double
objective(const double *z, const double *y, int n, int p, const double *beta, double lambda, double *eta)
{
	double		sum = 0;

	for (int i = 0; i < n; i++)
		eta[i] = beta[0];
	for (int j = 0; j < p; j++)
	{
		const double *zj = z + (size_t) j * n;

		if (beta[j + 1] != 0)
			for (int i = 0; i < n; i++)
				eta[i] += beta[j + 1] * zj[i];
		sum += 0.5 * lambda * beta[j + 1] * beta[j + 1];
	}
	for (int i = 0; i < n; i++)
		sum += softplus(eta[i]) - y[i] * eta[i];
	return sum;
}

/*
 * The Newton system at eta: hessian (q x q, q = p + 1, the intercept first)
 * and gradient of minus the objective; weight and residual are scratch.  A
 * constant column gets a unit diagonal: its gradient is 0, so its weight
 * stays 0.
 */
static void
newton_system(const double *z, const double *y, int n, int p, const double *sds, const double *beta,
			  double lambda, const double *eta, double *weight, double *residual,
			  double *hessian, double *gradient)
{
	int			q = p + 1;

	gradient[0] = hessian[0] = 0;
	for (int i = 0; i < n; i++)
	{
		double		mu = sigmoid(eta[i]);

		weight[i] = mu * (1 - mu);
		residual[i] = y[i] - mu;
		gradient[0] += residual[i];
		hessian[0] += weight[i];
	}
	for (int j = 0; j < p; j++)
	{
		const double *zj = z + (size_t) j * n;
		double		g = 0,
					h0 = 0;

		for (int i = 0; i < n; i++)
		{
			g += zj[i] * residual[i];
			h0 += weight[i] * zj[i];
		}
		gradient[j + 1] = g - lambda * beta[j + 1];
		hessian[j + 1] = hessian[(size_t) (j + 1) * q] = h0;
		for (int k = 0; k <= j; k++)
		{
			const double *zk = z + (size_t) k * n;
			double		sum = 0;

			for (int i = 0; i < n; i++)
				sum += weight[i] * zj[i] * zk[i];
			hessian[(size_t) (j + 1) * q + k + 1] = hessian[(size_t) (k + 1) * q + j + 1] = sum;
		}
		hessian[(size_t) (j + 1) * q + j + 1] += sds[j] == 0 ? 1 : lambda;
		kernel_check_interrupts();
	}
}

/* Solves hessian step = gradient with GSL's Cholesky; 0 if not positive definite. */
static int
newton_step(double *hessian, double *gradient, double *step, int q)
{
	gsl_matrix_view h = gsl_matrix_view_array(hessian, q, q);
	gsl_vector_view g = gsl_vector_view_array(gradient, q);
	gsl_vector_view s = gsl_vector_view_array(step, q);
	gsl_error_handler_t *previous = gsl_set_error_handler_off();
	int			status = gsl_linalg_cholesky_decomp1(&h.matrix);

	if (status == GSL_SUCCESS)
		status = gsl_linalg_cholesky_solve(&h.matrix, &g.vector, &s.vector);
	gsl_set_error_handler(previous);
	if (status != GSL_SUCCESS)
		return 0;
	for (int j = 0; j < q; j++)
		if (!isfinite(step[j]))
			return 0;
	return 1;
}

/* The number of rows of class 1 into *positives; 0 and error unless y is 0/1 with both classes. */
static int
count_positives(const TrainData *data, double *positives, char *error)
{
	*positives = 0;
	for (int i = 0; i < data->n_rows; i++)
	{
		if (data->y[i] != 0 && data->y[i] != 1)
		{
			snprintf(error, MODEL_ERROR_LEN, "the target of logistic must be 0 or 1 (or boolean), got %g", data->y[i]);
			return 0;
		}
		*positives += data->y[i];
	}
	if (*positives == 0 || *positives == data->n_rows)
	{
		snprintf(error, MODEL_ERROR_LEN, "the training rows have only one class (%s)", *positives ? "1" : "0");
		return 0;
	}
	return 1;
}

int
train_logistic(const TrainData *data, double lambda, LinearModel *linear, char *error)
{
	int			n = data->n_rows,
				p = data->n_columns,
				q = p + 1;
	double	   *z,
			   *sds,
			   *beta,
			   *trial,
			   *eta,
			   *trial_eta,
			   *weight,
			   *residual,
			   *hessian,
			   *gradient,
			   *step;
	double		positives = 0,
				current;
	int			ok = 0;

	if (!linear_training_checks(data, lambda, TRAIN_MAX_LOGISTIC_COLUMNS, "logistic", error) ||
		!count_positives(data, &positives, error))
		return 0;

	linear->coefficients = kernel_alloc_array(p, sizeof(double));
	linear->column_means = kernel_alloc_array(p, sizeof(double));
	sds = kernel_alloc_array(p, sizeof(double));
	z = standardize_columns(data, linear->column_means, sds);
	beta = kernel_alloc_array(q, sizeof(double));
	trial = kernel_alloc_array(q, sizeof(double));
	step = kernel_alloc_array(q, sizeof(double));
	gradient = kernel_alloc_array(q, sizeof(double));
	hessian = kernel_alloc_array((size_t) q * q, sizeof(double));
	eta = kernel_alloc_array(n, sizeof(double));
	trial_eta = kernel_alloc_array(n, sizeof(double));
	weight = kernel_alloc_array(n, sizeof(double));
	residual = kernel_alloc_array(n, sizeof(double));

	memset(beta, 0, sizeof(double) * q);
	beta[0] = log(positives / (n - positives));
	current = objective(z, data->y, n, p, beta, lambda, eta);
	for (int iteration = 0; iteration < LOGISTIC_MAX_ITERATIONS && !ok; iteration++)
	{
		double		scale = 1,
					largest = 0,
					next = INFINITY;
		int			halvings;

		newton_system(z, data->y, n, p, sds, beta, lambda, eta, weight, residual, hessian, gradient);
		if (!newton_step(hessian, gradient, step, q))
			break;
		for (halvings = 0; halvings <= LOGISTIC_MAX_HALVINGS; halvings++, scale /= 2)
		{
			for (int j = 0; j < q; j++)
				trial[j] = beta[j] + scale * step[j];
			next = objective(z, data->y, n, p, trial, lambda, trial_eta);
			if (next <= current)
				break;
		}
		if (halvings > LOGISTIC_MAX_HALVINGS)
			ok = 1;				/* no descent left at rounding level: converged */
		else
		{
			for (int j = 0; j < q; j++)
			{
				largest = fmax(largest, fabs(scale * step[j]) / (1 + fabs(beta[j])));
				beta[j] = trial[j];
			}
			memcpy(eta, trial_eta, sizeof(double) * n);
			current = next;
			ok = largest < LOGISTIC_TOLERANCE;
		}
	}
	if (ok)
		ok = unstandardize_weights(linear, p, sds, beta + 1, beta[0]);
	if (!ok)
		snprintf(error, MODEL_ERROR_LEN, "Newton's method did not converge (separable classes or collinear columns): use lambda > 0");
	kernel_free(z);
	kernel_free(sds);
	kernel_free(beta);
	kernel_free(trial);
	kernel_free(step);
	kernel_free(gradient);
	kernel_free(hessian);
	kernel_free(eta);
	kernel_free(trial_eta);
	kernel_free(weight);
	kernel_free(residual);
	return ok;
}
