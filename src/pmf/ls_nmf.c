/*
 * ls_nmf.c: LS-NMF (Wang, Kossenkov and Ochs 2006), the multiplicative
 * updates weighted by 1/u^2 that ESAT uses:
 *   H <- H * (W^T (X/U^2)) / (W^T ((W H)/U^2))
 *   W <- W * ((X/U^2) H^T) / (((W H)/U^2) H^T)
 *
 * Layout for speed: X, the weights and W are kept column-major (samples
 * contiguous), so every inner loop runs over the samples, the long
 * dimension, and vectorises.  Summation orders are fixed, so results do not
 * depend on the vector width; floating-point contraction is off so they do
 * not depend on FMA either: same seed, same bits on every x86-64 machine.
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
	double	   *x_cols;			/* x, n x m */
	double	   *weight_cols;	/* 1/u^2, n x m */
	double	   *wx_cols;		/* x/u^2, n x m */
	double	   *h_num;			/* k x n */
	double	   *h_den;
	double	   *w_num;			/* k x m */
	double	   *w_den;
	double	   *fit;			/* LS_BLOCK x max(m, n) */
	double	   *weighted_fit;	/* LS_BLOCK x max(m, n) */
	double	   *zeros;			/* max(m, n) */
	double	   *q_lanes;		/* m */
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
 * Dot products in four interleaved partial sums combined as
 * (s0 + s1) + (s2 + s3): a fixed order, so the result does not depend on
 * the vector width the compiler chose.  Two weight columns against two data
 * columns at once gives the processor four independent chains of additions.
 */
typedef struct Lanes
{
	double		s[4];
} Lanes;

static inline double
lanes_sum(const Lanes *l, const double *a, const double *b, int from, int count)
{
	double		sum = (l->s[0] + l->s[1]) + (l->s[2] + l->s[3]);

	for (int c = from; c < count; c++)
		sum += a[c] * b[c];
	return sum;
}

/* out[0..4) = a.x, a.y, b.x, b.y (b may be NULL: out[2..4) untouched) */
static inline void
dot_products(const double *restrict a, const double *restrict b,
			 const double *restrict x, const double *restrict y, int count, double out[4])
{
	Lanes		ax = {{0}},
				ay = {{0}},
				bx = {{0}},
				by = {{0}};
	int			c = 0;

	for (; c + 4 <= count; c += 4)
		for (int l = 0; l < 4; l++)
		{
			ax.s[l] += a[c + l] * x[c + l];
			ay.s[l] += a[c + l] * y[c + l];
			if (b)
			{
				bx.s[l] += b[c + l] * x[c + l];
				by.s[l] += b[c + l] * y[c + l];
			}
		}
	out[0] = lanes_sum(&ax, a, x, c, count);
	out[1] = lanes_sum(&ay, a, y, c, count);
	if (b)
	{
		out[2] = lanes_sum(&bx, b, x, c, count);
		out[3] = lanes_sum(&by, b, y, c, count);
	}
}

/*
 * Pass 1: Q(true) and Q(robust) of the current W, H, and the sums of the H
 * update, species by species over contiguous samples.
 */
__attribute__((target_clones("avx2", "default")))
static void
h_sums(const NmfProblem *problem, int k, const double *h, LsNmfWork *work,
	   double *q_true, double *q_robust)
{
	int			m = problem->m,
				n = problem->n;
	double	   *restrict q_lanes = work->q_lanes;
	double	   *restrict fit = work->fit;
	double	   *restrict weighted_fit = work->weighted_fit;
	double		robust_excess = 0;

	memset(q_lanes, 0, sizeof(double) * m);
	for (int j = 0; j < n; j++)
	{
		const double *restrict x_col = work->x_cols + (size_t) j * m;
		const double *restrict weight_col = work->weight_cols + (size_t) j * m;
		const double *restrict wx_col = work->wx_cols + (size_t) j * m;

		combine_rows(fit, m, h + j, n, work->w_cols, m, k);
		for (int i = 0; i < m; i++)
		{
			double		residual = x_col[i] - fit[i];
			double		r2 = residual * residual * weight_col[i];

			q_lanes[i] += r2;
			weighted_fit[i] = weight_col[i] * fit[i];
			fit[i] = r2;
		}
		/* Q(robust) counts |r| > alpha as alpha |r|: rare, so kept out of the loop above */
		for (int i = 0; i < m; i++)
			if (fit[i] > NMF_ROBUST_ALPHA * NMF_ROBUST_ALPHA)
				robust_excess += fit[i] - NMF_ROBUST_ALPHA * sqrt(fit[i]);
		for (int f = 0; f < k; f += 2)
		{
			const double *w_col = work->w_cols + (size_t) f * m;
			double		sums[4] = {0, 0, 0, 0};

			dot_products(w_col, f + 1 < k ? w_col + m : NULL, wx_col, weighted_fit, m, sums);
			work->h_num[(size_t) f * n + j] = sums[0];
			work->h_den[(size_t) f * n + j] = sums[1];
			if (f + 1 < k)
			{
				work->h_num[(size_t) (f + 1) * n + j] = sums[2];
				work->h_den[(size_t) (f + 1) * n + j] = sums[3];
			}
		}
	}
	*q_true = 0;
	for (int i = 0; i < m; i++)
		*q_true += q_lanes[i];
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

size_t
ls_nmf_arena_doubles(int m, int n, int k)
{
	size_t		cells = (size_t) m * n,
				longest = m > n ? m : n;

	return 3 * (size_t) k * m + 4 * cells + 2 * (size_t) k * n +
		(2 * LS_BLOCK + 1) * longest + m;
}

void
ls_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
			   double *w, double *h, NmfRun *result,
			   NmfArena *arena, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n,
				k = params->factors;
	size_t		cells = (size_t) m * n,
				longest = m > n ? m : n;
	LsNmfWork	work;
	NmfConvergence convergence;
	int			iteration;

	work.w_cols = nmf_arena_take(arena, (size_t) k * m);
	work.x_cols = nmf_arena_take(arena, cells);
	work.weight_cols = nmf_arena_take(arena, cells);
	work.wx_cols = nmf_arena_take(arena, cells);
	work.h_num = nmf_arena_take(arena, (size_t) k * n);
	work.h_den = nmf_arena_take(arena, (size_t) k * n);
	work.w_num = nmf_arena_take(arena, (size_t) k * m);
	work.w_den = nmf_arena_take(arena, (size_t) k * m);
	work.fit = nmf_arena_take(arena, LS_BLOCK * longest);
	work.weighted_fit = nmf_arena_take(arena, LS_BLOCK * longest);
	work.zeros = nmf_arena_take(arena, longest);
	work.q_lanes = nmf_arena_take(arena, m);
	memset(work.zeros, 0, sizeof(double) * longest);
	for (int i = 0; i < m; i++)
	{
		for (int f = 0; f < k; f++)
			work.w_cols[(size_t) f * m + i] = w[(size_t) i * k + f];
		for (int j = 0; j < n; j++)
		{
			work.x_cols[(size_t) j * m + i] = problem->x[(size_t) i * n + j];
			work.weight_cols[(size_t) j * m + i] = problem->weight[(size_t) i * n + j];
			work.wx_cols[(size_t) j * m + i] = problem->weighted_x[(size_t) i * n + j];
		}
	}

	nmf_convergence_init(&convergence, params, arena);
	result->converged = false;
	for (iteration = 0;; iteration++)
	{
		if (nmf_should_stop(stop))
			break;
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
}
