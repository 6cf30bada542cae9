/*
 * nnls.c: Lawson-Hanson active-set NNLS.  The unconstrained sub-problems on
 * the passive set are solved by Householder QR, which is accurate on the
 * small, often ill-conditioned source-profile matrices of CMB.
 */
#include "nnls.h"

#include <math.h>
#include <string.h>

#include "kernel.h"

/*
 * Least squares on the columns listed in cols[0..p): z = argmin ||A_P z - b||.
 * work must hold m * p + m doubles.  Columns that are numerically dependent
 * on earlier ones get z = 0.
 */
static void
passive_least_squares(const double *a, const double *b, int m, int n,
					  const int *cols, int p, double *z, double *work)
{
	double	   *q = work;			/* m x p, column-major copy of A_P */
	double	   *y = work + (size_t) m * p;

	for (int c = 0; c < p; c++)
		for (int i = 0; i < m; i++)
			q[(size_t) c * m + i] = a[(size_t) i * n + cols[c]];
	memcpy(y, b, sizeof(double) * m);

	/* Householder QR, applying each reflection to y at once */
	for (int c = 0; c < p && c < m; c++)
	{
		double	   *col = q + (size_t) c * m;
		double		norm = 0,
					alpha,
					vnorm2;

		for (int i = c; i < m; i++)
			norm += col[i] * col[i];
		norm = sqrt(norm);
		if (norm == 0)
			continue;
		alpha = col[c] > 0 ? -norm : norm;
		col[c] -= alpha;			/* col[c..m) is now the Householder vector v */
		vnorm2 = 0;
		for (int i = c; i < m; i++)
			vnorm2 += col[i] * col[i];
		for (int d = c + 1; d < p; d++)
		{
			double	   *other = q + (size_t) d * m;
			double		dot = 0;

			for (int i = c; i < m; i++)
				dot += col[i] * other[i];
			dot *= 2 / vnorm2;
			for (int i = c; i < m; i++)
				other[i] -= dot * col[i];
		}
		{
			double		dot = 0;

			for (int i = c; i < m; i++)
				dot += col[i] * y[i];
			dot *= 2 / vnorm2;
			for (int i = c; i < m; i++)
				y[i] -= dot * col[i];
		}
		col[c] = alpha;				/* R's diagonal; below it v is no longer needed */
	}

	/* back substitution R z = Q^T b */
	for (int c = (p < m ? p : m) - 1; c >= 0; c--)
	{
		double		sum = y[c];
		double		diag = q[(size_t) c * m + c];

		for (int d = c + 1; d < p && d < m; d++)
			sum -= q[(size_t) d * m + c] * z[d];
		z[c] = fabs(diag) > 1e-13 * (fabs(sum) + 1e-300) ? sum / diag : 0;
	}
	for (int c = m; c < p; c++)
		z[c] = 0;
}

NnlsStatus
nnls_solve(const double *a, const double *b, int m, int n, double *x)
{
	int		   *passive = kernel_alloc_array(n, sizeof(int));	/* 1 if in P */
	int		   *cols = kernel_alloc_array(n, sizeof(int));
	double	   *gradient = kernel_alloc_array(n, sizeof(double));
	double	   *residual = kernel_alloc_array(m, sizeof(double));
	double	   *z = kernel_alloc_array(n, sizeof(double));
	double	   *work = kernel_alloc_array((size_t) m * n + m, sizeof(double));
	int			max_iter = 3 * n + 30;
	double		scale = 0;
	NnlsStatus	status = NNLS_OK;

	for (size_t i = 0; i < (size_t) m * n; i++)
		scale = fmax(scale, fabs(a[i]));
	for (int j = 0; j < n; j++)
	{
		x[j] = 0;
		passive[j] = 0;
	}

	for (int outer = 0;; outer++)
	{
		int			best = -1;
		double		best_gradient;
		double		tolerance;
		int			p;

		kernel_check_interrupts();
		/* gradient w = A^T (b - A x) */
		for (int i = 0; i < m; i++)
		{
			double		fit = 0;

			for (int j = 0; j < n; j++)
				fit += a[(size_t) i * n + j] * x[j];
			residual[i] = b[i] - fit;
		}
		tolerance = 0;
		for (int j = 0; j < n; j++)
		{
			double		g = 0;

			for (int i = 0; i < m; i++)
				g += a[(size_t) i * n + j] * residual[i];
			gradient[j] = g;
		}
		for (int i = 0; i < m; i++)
			tolerance += fabs(residual[i]);
		tolerance = 10 * 2.2e-16 * scale * (tolerance + 1e-300) * (m + n);

		best_gradient = tolerance;
		for (int j = 0; j < n; j++)
			if (!passive[j] && gradient[j] > best_gradient)
			{
				best_gradient = gradient[j];
				best = j;
			}
		if (best < 0)
			break;				/* Kuhn-Tucker conditions hold */
		if (outer >= max_iter)
		{
			status = NNLS_MAX_ITER;
			break;
		}
		passive[best] = 1;

		/* inner loop: move towards the unconstrained solution on P, staying feasible */
		for (;;)
		{
			double		step = 1;
			int			blocking = -1;

			p = 0;
			for (int j = 0; j < n; j++)
				if (passive[j])
					cols[p++] = j;
			passive_least_squares(a, b, m, n, cols, p, z, work);

			for (int c = 0; c < p; c++)
				if (z[c] <= 0)
				{
					double		t = x[cols[c]] / (x[cols[c]] - z[c]);

					if (blocking < 0 || t < step)
					{
						step = t;
						blocking = c;
					}
				}
			if (blocking < 0)
				break;
			/* step to the first variable that hits zero; it and any other at zero leave P */
			for (int c = 0; c < p; c++)
			{
				int			j = cols[c];

				x[j] += step * (z[c] - x[j]);
				if (c == blocking || x[j] <= 0)
				{
					x[j] = 0;
					passive[j] = 0;
				}
			}
		}
		for (int c = 0; c < p; c++)
			x[cols[c]] = z[c];
	}

	kernel_free(passive);
	kernel_free(cols);
	kernel_free(gradient);
	kernel_free(residual);
	kernel_free(z);
	kernel_free(work);
	return status;
}
