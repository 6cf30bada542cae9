/*
 * ls_nmf.c: LS-NMF (Wang, Kossenkov and Ochs 2006), the multiplicative
 * updates weighted by 1/u^2 that ESAT uses:
 *   H <- H * (W^T (X/U^2)) / (W^T ((W H)/U^2))
 *   W <- W * ((X/U^2) H^T) / (((W H)/U^2) H^T)
 *
 * Layout for speed: the H sums run sample by sample over contiguous species
 * (X row-major), the W sums species by species over contiguous samples (X
 * and W column-major), so every inner loop is element-wise and vectorises.
 * Summation orders are fixed, so results do not depend on the vector width;
 * floating-point contraction is off so they do not depend on FMA either.
 */
#pragma GCC optimize ("O3", "fp-contract=off")

#include <math.h>
#include <string.h>

#include "kernel.h"
#include "nmf_iterate.h"

/* Multiplies each factor by num/den; a zero denominator (factor unused) leaves it. */
static inline void
apply_ratio(double *factor, const double *num, const double *den, size_t count)
{
	for (size_t c = 0; c < count; c++)
		if (den[c] > 0)
			factor[c] *= num[c] / den[c];
}

/*
 * The rank-one updates of the sums are done four samples (or species) at a
 * time, which quarters the loads and stores of the accumulators.  Each
 * accumulator still adds its terms one by one in sample (species) order, so
 * the result is the same as one at a time.  A short last block is padded
 * with zero coefficients, which add exactly +0.
 */
#define LS_BLOCK 4

typedef struct LsNmfWork
{
	double	   *w_cols;			/* W column-major: k x m */
	double	   *weight_cols;	/* 1/u^2, n x m */
	double	   *wx_cols;		/* x/u^2, n x m */
	double	   *h_num;			/* k x n */
	double	   *h_den;
	double	   *w_num;			/* k x m */
	double	   *w_den;
	double	   *fit;			/* LS_BLOCK x max(m, n) */
	double	   *weighted_fit;	/* LS_BLOCK x max(m, n) */
	double	   *zeros;			/* max(m, n) */
	double	   *q_lanes;		/* n */
} LsNmfWork;

/* sum[c] += a0 x0[c] + a1 x1[c] + a2 x2[c] + a3 x3[c], added left to right */
static inline void
add_four(double *restrict sum, int count, const double coef[LS_BLOCK],
		 const double *const x[LS_BLOCK])
{
	const double *restrict x0 = x[0],
			   *restrict x1 = x[1],
			   *restrict x2 = x[2],
			   *restrict x3 = x[3];
	double		a0 = coef[0],
				a1 = coef[1],
				a2 = coef[2],
				a3 = coef[3];

	for (int c = 0; c < count; c++)
	{
		double		acc = sum[c];

		acc += a0 * x0[c];
		acc += a1 * x1[c];
		acc += a2 * x2[c];
		acc += a3 * x3[c];
		sum[c] = acc;
	}
}

/* fit[c] = sum_f coef[f] rows[f][c] for f in 0..k, added in factor order */
static inline void
combine_rows(double *restrict fit, int count, const double *coef, int coef_stride,
			 const double *rows, int row_stride, int k)
{
	memset(fit, 0, sizeof(double) * count);
	for (int f = 0; f < k; f++)
	{
		double		a = coef[(size_t) f * coef_stride];
		const double *restrict row = rows + (size_t) f * row_stride;

		for (int c = 0; c < count; c++)
			fit[c] += a * row[c];
	}
}

/*
 * Pass 1: Q(true) and Q(robust) of the current W, H, and the sums of the H
 * update, sample by sample.
 */
__attribute__((target_clones("avx2", "default")))
static void
h_sums(const NmfProblem *problem, int k, const double *h, LsNmfWork *work,
	   double *q_true, double *q_robust)
{
	int			m = problem->m,
				n = problem->n;
	double	   *restrict q_lanes = work->q_lanes;
	double		robust_excess = 0;

	memset(work->h_num, 0, sizeof(double) * k * n);
	memset(work->h_den, 0, sizeof(double) * k * n);
	memset(q_lanes, 0, sizeof(double) * n);
	for (int first = 0; first < m; first += LS_BLOCK)
	{
		const double *wx_rows[LS_BLOCK];
		const double *weighted_fits[LS_BLOCK];

		for (int b = 0; b < LS_BLOCK; b++)
		{
			int			i = first + b;
			double	   *restrict fit = work->fit + (size_t) b * n;
			double	   *restrict weighted_fit = work->weighted_fit + (size_t) b * n;
			const double *restrict x_row = problem->x + (size_t) i * n;
			const double *restrict weight_row = problem->weight + (size_t) i * n;

			if (i >= m)
			{
				wx_rows[b] = weighted_fits[b] = work->zeros;
				continue;
			}
			wx_rows[b] = problem->weighted_x + (size_t) i * n;
			weighted_fits[b] = weighted_fit;
			combine_rows(fit, n, work->w_cols + i, m, h, n, k);
			for (int j = 0; j < n; j++)
			{
				double		residual = x_row[j] - fit[j];
				double		r2 = residual * residual * weight_row[j];

				q_lanes[j] += r2;
				weighted_fit[j] = weight_row[j] * fit[j];
				fit[j] = r2;
			}
			/* Q(robust) counts |r| > alpha as alpha |r|: rare, so kept out of the loop above */
			for (int j = 0; j < n; j++)
				if (fit[j] > NMF_ROBUST_ALPHA * NMF_ROBUST_ALPHA)
					robust_excess += fit[j] - NMF_ROBUST_ALPHA * sqrt(fit[j]);
		}
		for (int f = 0; f < k; f++)
		{
			double		coef[LS_BLOCK];

			for (int b = 0; b < LS_BLOCK; b++)
				coef[b] = first + b < m ? work->w_cols[(size_t) f * m + first + b] : 0;
			add_four(work->h_num + (size_t) f * n, n, coef, wx_rows);
			add_four(work->h_den + (size_t) f * n, n, coef, weighted_fits);
		}
	}
	*q_true = 0;
	for (int j = 0; j < n; j++)
		*q_true += q_lanes[j];
	*q_robust = *q_true - robust_excess;
}

/* Pass 2: the sums of the W update from the new H, species by species. */
__attribute__((target_clones("avx2", "default")))
static void
w_sums(const NmfProblem *problem, int k, const double *h, LsNmfWork *work)
{
	int			m = problem->m,
				n = problem->n;

	memset(work->w_num, 0, sizeof(double) * k * m);
	memset(work->w_den, 0, sizeof(double) * k * m);
	for (int first = 0; first < n; first += LS_BLOCK)
	{
		const double *wx_cols[LS_BLOCK];
		const double *weighted_fits[LS_BLOCK];

		for (int b = 0; b < LS_BLOCK; b++)
		{
			int			j = first + b;
			double	   *restrict fit = work->fit + (size_t) b * m;
			double	   *restrict weighted_fit = work->weighted_fit + (size_t) b * m;
			const double *restrict weight_col = work->weight_cols + (size_t) j * m;

			if (j >= n)
			{
				wx_cols[b] = weighted_fits[b] = work->zeros;
				continue;
			}
			wx_cols[b] = work->wx_cols + (size_t) j * m;
			weighted_fits[b] = weighted_fit;
			combine_rows(fit, m, h + j, n, work->w_cols, m, k);
			for (int i = 0; i < m; i++)
				weighted_fit[i] = weight_col[i] * fit[i];
		}
		for (int f = 0; f < k; f++)
		{
			double		coef[LS_BLOCK];

			for (int b = 0; b < LS_BLOCK; b++)
				coef[b] = first + b < n ? h[(size_t) f * n + first + b] : 0;
			add_four(work->w_num + (size_t) f * m, m, coef, wx_cols);
			add_four(work->w_den + (size_t) f * m, m, coef, weighted_fits);
		}
	}
}

void
ls_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
			   double *w, double *h, NmfRun *result)
{
	int			m = problem->m,
				n = problem->n,
				k = params->factors;
	size_t		cells = (size_t) m * n;
	LsNmfWork	work;
	NmfConvergence convergence;
	int			iteration;

	work.w_cols = kernel_alloc_array((size_t) k * m, sizeof(double));
	work.weight_cols = kernel_alloc_array(cells, sizeof(double));
	work.wx_cols = kernel_alloc_array(cells, sizeof(double));
	work.h_num = kernel_alloc_array((size_t) k * n, sizeof(double));
	work.h_den = kernel_alloc_array((size_t) k * n, sizeof(double));
	work.w_num = kernel_alloc_array((size_t) k * m, sizeof(double));
	work.w_den = kernel_alloc_array((size_t) k * m, sizeof(double));
	work.fit = kernel_alloc_array((size_t) LS_BLOCK * (m > n ? m : n), sizeof(double));
	work.weighted_fit = kernel_alloc_array((size_t) LS_BLOCK * (m > n ? m : n), sizeof(double));
	work.zeros = kernel_alloc_array(m > n ? m : n, sizeof(double));
	memset(work.zeros, 0, sizeof(double) * (m > n ? m : n));
	work.q_lanes = kernel_alloc_array(n, sizeof(double));
	for (int i = 0; i < m; i++)
	{
		for (int f = 0; f < k; f++)
			work.w_cols[(size_t) f * m + i] = w[(size_t) i * k + f];
		for (int j = 0; j < n; j++)
		{
			work.weight_cols[(size_t) j * m + i] = problem->weight[(size_t) i * n + j];
			work.wx_cols[(size_t) j * m + i] = problem->weighted_x[(size_t) i * n + j];
		}
	}

	nmf_convergence_init(&convergence, params);
	result->converged = false;
	for (iteration = 0;; iteration++)
	{
		kernel_check_interrupts();
		h_sums(problem, k, h, &work, &result->q_true, &result->q_robust);
		if (iteration > 0 &&
			nmf_convergence_step(&convergence, params->robust ? result->q_robust : result->q_true))
		{
			result->converged = true;
			break;
		}
		if (iteration == params->max_iter || isnan(result->q_true))
			break;
		apply_ratio(h, work.h_num, work.h_den, (size_t) k * n);
		w_sums(problem, k, h, &work);
		apply_ratio(work.w_cols, work.w_num, work.w_den, (size_t) k * m);
	}
	result->iterations = iteration;

	for (int i = 0; i < m; i++)
		for (int f = 0; f < k; f++)
			w[(size_t) i * k + f] = work.w_cols[(size_t) f * m + i];
	nmf_convergence_free(&convergence);
	kernel_free(work.w_cols);
	kernel_free(work.weight_cols);
	kernel_free(work.wx_cols);
	kernel_free(work.h_num);
	kernel_free(work.h_den);
	kernel_free(work.w_num);
	kernel_free(work.w_den);
	kernel_free(work.fit);
	kernel_free(work.weighted_fit);
	kernel_free(work.zeros);
	kernel_free(work.q_lanes);
}
