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
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#else
#pragma GCC optimize ("O3", "fp-contract=off")
#endif

#include <math.h>
#include <string.h>

#include "kernel.h"
#include "nmf_rules.h"

/* target_clones is an x86 feature in GCC 12; elsewhere one generic build. */
#if defined(__x86_64__) && defined(__GNUC__)
#define NMF_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NMF_CLONES
#endif

/* Multiplies each factor by num/den; a zero denominator (factor unused) leaves it. */
static inline void
apply_ratio(double *factor, const double *num, const double *den, size_t count)
{
	for (size_t c = 0; c < count; c++)
		if (den[c] > 0)
			factor[c] *= num[c] / den[c];
}

/*
 * Robust mode (robust_weight_col set): cell t's weights scaled for its
 * residual, stored for pass 2; returns the weight to use now.
 */
static inline double
reweight_cell(const double *weight_col, const double *wx_col, double *robust_weight_col,
			  double *robust_wx_col, int t, double r2)
{
	double		factor;

	if (robust_weight_col == NULL)
		return weight_col[t];
	factor = nmf_robust_factor(r2);
	robust_weight_col[t] = weight_col[t] * factor;
	robust_wx_col[t] = wx_col[t] * factor;
	return robust_weight_col[t];
}

/*
 * The W sums take four species at a time, which quarters the loads and
 * stores of their accumulators; each still adds its terms one by one in
 * species order.  A short last block is padded with zero coefficients,
 * which add exactly +0.
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
	double	   *fit;			/* m: scaled squared residuals of a column */
	double	   *weighted_fit;	/* m */
	double	   *zeros;			/* m */
	double	   *q_lanes;		/* m */
	double	   *h_col;			/* 3 k: one column of H and its sums (generic pass 1) */
	double	   *robust_weight_cols; /* robust mode: this iteration's 1/u^2, n x m */
	double	   *robust_wx_cols; /* and x/u^2 */
} LsNmfWork;

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

/* Factor counts up to this get a fused, specialised pass 1 (see h_column_fused). */
#define LS_FUSED_MAX_K 8

/*
 * Four doubles as one value; element-wise arithmetic, AVX on the avx2 clone.
 * Loads and stores are macros: a Vec4 never crosses a function boundary,
 * whose ABI would depend on the clone.
 */
typedef double Vec4 __attribute__((vector_size(32)));

#define LOAD4(p) __extension__ ({ Vec4 loaded_; memcpy(&loaded_, (p), sizeof(loaded_)); loaded_; })
#define STORE4(p, v) do { Vec4 stored_ = (v); memcpy((p), &stored_, sizeof(stored_)); } while (0)

/*
 * Pass 1 for one species column j in one sweep over the samples, four at a
 * time: the fit, Q terms and the 2k dot-product lanes stay in registers once
 * k is a compile-time constant (the caller dispatches on k).  Same
 * operations in the same order as the generic path (combine_rows, then
 * dot_products), so the same bits.  Returns the Q(robust) excess of the
 * column (sum of r^2 - alpha |r| over |r| > alpha, in sample order).
 */
static inline __attribute__((always_inline)) double
h_column_fused(int m, const int k, const double *restrict w_cols, const double *restrict hj,
			   const double *restrict x_col, const double *restrict weight_col,
			   const double *restrict wx_col, double *restrict q_lanes, double *restrict r2,
			   double *restrict weighted_fit, double *num_out, double *den_out,
			   double *restrict robust_weight_col, double *restrict robust_wx_col)
{
	const double alpha2 = NMF_ROBUST_ALPHA * NMF_ROBUST_ALPHA;
	Vec4		num[LS_FUSED_MAX_K],
				den[LS_FUSED_MAX_K];
	Lanes		lanes;
	double		excess = 0;
	int			i = 0;

	for (int f = 0; f < k; f++)
		num[f] = den[f] = (Vec4) {0, 0, 0, 0};
	for (; i + 4 <= m; i += 4)
	{
		Vec4		fit = {0, 0, 0, 0};
		Vec4		weight = LOAD4(weight_col + i);
		Vec4		wx = LOAD4(wx_col + i);
		Vec4		residual,
					r2v,
					wfit;

		for (int f = 0; f < k; f++)
			fit += LOAD4(w_cols + (size_t) f * m + i) * hj[f];
		residual = LOAD4(x_col + i) - fit;
		r2v = residual * residual * weight;
		STORE4(q_lanes + i, LOAD4(q_lanes + i) + r2v);
		if (robust_weight_col)
		{
			Vec4		factor;

			for (int l = 0; l < 4; l++)
				factor[l] = nmf_robust_factor(r2v[l]);
			weight *= factor;
			wx *= factor;
			STORE4(robust_weight_col + i, weight);
			STORE4(robust_wx_col + i, wx);
		}
		wfit = weight * fit;
		STORE4(weighted_fit + i, wfit);
		for (int f = 0; f < k; f++)
		{
			Vec4		wf = LOAD4(w_cols + (size_t) f * m + i);

			num[f] += wf * wx;
			den[f] += wf * wfit;
		}
		/* Q(robust): cells beyond alpha are rare, test four at once */
		if (r2v[0] > alpha2 || r2v[1] > alpha2 || r2v[2] > alpha2 || r2v[3] > alpha2)
			for (int l = 0; l < 4; l++)
				if (r2v[l] > alpha2)
					excess += r2v[l] - NMF_ROBUST_ALPHA * sqrt(r2v[l]);
	}
	for (int t = i; t < m; t++)
	{
		double		fit = 0,
					residual;

		for (int f = 0; f < k; f++)
			fit += w_cols[(size_t) f * m + t] * hj[f];
		residual = x_col[t] - fit;
		r2[t] = residual * residual * weight_col[t];
		q_lanes[t] += r2[t];
		weighted_fit[t] = reweight_cell(weight_col, wx_col, robust_weight_col, robust_wx_col, t, r2[t]) * fit;
		if (r2[t] > alpha2)
			excess += r2[t] - NMF_ROBUST_ALPHA * sqrt(r2[t]);
	}
	for (int f = 0; f < k; f++)
	{
		for (int l = 0; l < 4; l++)
			lanes.s[l] = num[f][l];
		num_out[f] = lanes_sum(&lanes, w_cols + (size_t) f * m,
							   robust_wx_col ? robust_wx_col : wx_col, i, m);
		for (int l = 0; l < 4; l++)
			lanes.s[l] = den[f][l];
		den_out[f] = lanes_sum(&lanes, w_cols + (size_t) f * m, weighted_fit, i, m);
	}
	return excess;
}

/* Pass 1, generic in k: the fit by combine_rows, then the dot products. */
static inline double
h_column_generic(int m, int k, const double *restrict w_cols, const double *restrict hj,
				 const double *restrict x_col, const double *restrict weight_col,
				 const double *restrict wx_col, double *restrict q_lanes, double *restrict r2,
				 double *restrict weighted_fit, double *num_out, double *den_out,
				 double *restrict robust_weight_col, double *restrict robust_wx_col)
{
	double		excess = 0;

	combine_rows(r2, m, hj, 1, w_cols, m, k);
	for (int i = 0; i < m; i++)
	{
		double		fit = r2[i];
		double		residual = x_col[i] - fit;

		r2[i] = residual * residual * weight_col[i];
		q_lanes[i] += r2[i];
		weighted_fit[i] = reweight_cell(weight_col, wx_col, robust_weight_col, robust_wx_col, i, r2[i]) * fit;
	}
	for (int i = 0; i < m; i++)
		if (r2[i] > NMF_ROBUST_ALPHA * NMF_ROBUST_ALPHA)
			excess += r2[i] - NMF_ROBUST_ALPHA * sqrt(r2[i]);
	for (int f = 0; f < k; f += 2)
	{
		const double *w_col = w_cols + (size_t) f * m;
		double		sums[4] = {0, 0, 0, 0};

		dot_products(w_col, f + 1 < k ? w_col + m : NULL, robust_wx_col ? robust_wx_col : wx_col,
					 weighted_fit, m, sums);
		num_out[f] = sums[0];
		den_out[f] = sums[1];
		if (f + 1 < k)
		{
			num_out[f + 1] = sums[2];
			den_out[f + 1] = sums[3];
		}
	}
	return excess;
}

/*
 * Pass 1: Q(true) and Q(robust) of the current W, H, and the sums of the H
 * update, species by species over contiguous samples.  A species costs
 * O(m k): polls nmf_should_stop per species; false if it stopped.
 */
NMF_CLONES
static bool
h_sums(const NmfProblem *problem, int k, const double *h, LsNmfWork *work, bool reweight,
	   double *q_true, double *q_robust, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n;
	double	   *restrict q_lanes = work->q_lanes;
	double	   *restrict r2 = work->fit;
	double		robust_excess = 0;
	double		hj[LS_FUSED_MAX_K],
				num[LS_FUSED_MAX_K],
				den[LS_FUSED_MAX_K];

	memset(q_lanes, 0, sizeof(double) * m);
	for (int j = 0; j < n; j++)
	{
		const double *x_col = work->x_cols + (size_t) j * m;
		const double *weight_col = work->weight_cols + (size_t) j * m;
		const double *wx_col = work->wx_cols + (size_t) j * m;
		double	   *robust_weight_col = reweight ? work->robust_weight_cols + (size_t) j * m : NULL;
		double	   *robust_wx_col = reweight ? work->robust_wx_cols + (size_t) j * m : NULL;

		if (nmf_should_stop(stop))
			return false;
#define FUSED(K) case K: \
			robust_excess += h_column_fused(m, K, work->w_cols, hj, x_col, weight_col, wx_col, q_lanes, r2, \
						   work->weighted_fit, num, den, robust_weight_col, robust_wx_col); \
			break
		if (k <= LS_FUSED_MAX_K)
		{
			for (int f = 0; f < k; f++)
				hj[f] = h[(size_t) f * n + j];
			switch (k)
			{
					FUSED(1);
					FUSED(2);
					FUSED(3);
					FUSED(4);
					FUSED(5);
					FUSED(6);
					FUSED(7);
					FUSED(8);
			}
			for (int f = 0; f < k; f++)
			{
				work->h_num[(size_t) f * n + j] = num[f];
				work->h_den[(size_t) f * n + j] = den[f];
			}
		}
		else
		{
			double	   *hj_all = work->h_col,
					   *num_all = work->h_col + k,
					   *den_all = work->h_col + 2 * k;

			for (int f = 0; f < k; f++)
				hj_all[f] = h[(size_t) f * n + j];
			robust_excess += h_column_generic(m, k, work->w_cols, hj_all, x_col, weight_col, wx_col, q_lanes, r2,
							 work->weighted_fit, num_all, den_all, robust_weight_col, robust_wx_col);
			for (int f = 0; f < k; f++)
			{
				work->h_num[(size_t) f * n + j] = num_all[f];
				work->h_den[(size_t) f * n + j] = den_all[f];
			}
		}
#undef FUSED
	}
	*q_true = 0;
	for (int i = 0; i < m; i++)
		*q_true += q_lanes[i];
	*q_robust = *q_true - robust_excess;
	return true;
}

/*
 * Pass 2: the sums of the W update from the new H, four species at a time
 * (padded with zero coefficients), four samples at a time:
 *   w_num[f][i] += wx[j][i] h[f][j],  w_den[f][i] += (weight[j][i] fit[j][i]) h[f][j]
 * with fit[j][i] = sum_f w[f][i] h[f][j] added in factor order.
 * Polls nmf_should_stop per block of species; false if it stopped.
 */
NMF_CLONES
static bool
w_sums(const NmfProblem *problem, int k, const double *h, LsNmfWork *work,
	   const double *all_weight_cols, const double *all_wx_cols, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n;

	memset(work->w_num, 0, sizeof(double) * k * m);
	memset(work->w_den, 0, sizeof(double) * k * m);
	for (int first = 0; first < n; first += LS_BLOCK)
	{
		const double *weight_cols[LS_BLOCK];
		const double *wx_cols[LS_BLOCK];
		double		hb[LS_BLOCK];
		int			i = 0;

		if (nmf_should_stop(stop))
			return false;
		for (int b = 0; b < LS_BLOCK; b++)
		{
			int			j = first + b < n ? first + b : -1;

			weight_cols[b] = j >= 0 ? all_weight_cols + (size_t) j * m : work->zeros;
			wx_cols[b] = j >= 0 ? all_wx_cols + (size_t) j * m : work->zeros;
		}
		for (; i + 4 <= m; i += 4)
		{
			Vec4		fit[LS_BLOCK] = {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
			Vec4		wfit[LS_BLOCK],
						wx[LS_BLOCK];

			for (int f = 0; f < k; f++)
			{
				Vec4		wf = LOAD4(work->w_cols + (size_t) f * m + i);

				for (int b = 0; b < LS_BLOCK; b++)
					hb[b] = first + b < n ? h[(size_t) f * n + first + b] : 0;
				for (int b = 0; b < LS_BLOCK; b++)
					fit[b] += wf * hb[b];
			}
			for (int b = 0; b < LS_BLOCK; b++)
			{
				wfit[b] = LOAD4(weight_cols[b] + i) * fit[b];
				wx[b] = LOAD4(wx_cols[b] + i);
			}
			for (int f = 0; f < k; f++)
			{
				double	   *num = work->w_num + (size_t) f * m + i;
				double	   *den = work->w_den + (size_t) f * m + i;
				Vec4		num_acc = LOAD4(num),
							den_acc = LOAD4(den);

				for (int b = 0; b < LS_BLOCK; b++)
				{
					double		coef = first + b < n ? h[(size_t) f * n + first + b] : 0;

					num_acc += wx[b] * coef;
					den_acc += wfit[b] * coef;
				}
				STORE4(num, num_acc);
				STORE4(den, den_acc);
			}
		}
		for (int t = i; t < m; t++)
		{
			double		wfit[LS_BLOCK];

			for (int b = 0; b < LS_BLOCK; b++)
			{
				double		fit = 0;

				for (int f = 0; f < k; f++)
					fit += work->w_cols[(size_t) f * m + t] *
						(first + b < n ? h[(size_t) f * n + first + b] : 0);
				wfit[b] = weight_cols[b][t] * fit;
			}
			for (int f = 0; f < k; f++)
				for (int b = 0; b < LS_BLOCK; b++)
				{
					double		coef = first + b < n ? h[(size_t) f * n + first + b] : 0;

					work->w_num[(size_t) f * m + t] += wx_cols[b][t] * coef;
					work->w_den[(size_t) f * m + t] += wfit[b] * coef;
				}
		}
	}
	return true;
}

size_t
ls_nmf_arena_doubles(int m, int n, int k, bool reweight)
{
	/* the nmf_arena_take calls of ls_nmf_iterate, in order */
	return (size_t) k * m + 3 * (size_t) m * n + 2 * (size_t) k * n + 2 * (size_t) k * m +
		4 * (size_t) m + 3 * (size_t) k + (reweight ? 2 * (size_t) m * n : 0);
}

void
ls_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
			   double *w, double *h, NmfRun *result,
			   NmfArena *arena, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n,
				k = params->factors;
	size_t		cells = (size_t) m * n;
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
	work.fit = nmf_arena_take(arena, m);
	work.weighted_fit = nmf_arena_take(arena, m);
	work.zeros = nmf_arena_take(arena, m);
	work.q_lanes = nmf_arena_take(arena, m);
	work.h_col = nmf_arena_take(arena, 3 * (size_t) k);
	work.robust_weight_cols = params->reweight_after > 0 ? nmf_arena_take(arena, cells) : NULL;
	work.robust_wx_cols = params->reweight_after > 0 ? nmf_arena_take(arena, cells) : NULL;
	memset(work.zeros, 0, sizeof(double) * m);
	for (int i = 0; i < m; i++)
	{
		if (nmf_should_stop(stop))
		{
			result->iterations = 0;
			result->converged = false;
			return;
		}
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
		bool		reweight = nmf_reweights(params, iteration);

		if (nmf_should_stop(stop))
			break;
		if (!h_sums(problem, k, h, &work, reweight, &result->q_true, &result->q_robust, stop))
			break;
		if (iteration > 0 &&
			nmf_convergence_step(&convergence, params->robust ? result->q_robust : result->q_true))
		{
			result->converged = true;
			break;
		}
		if (iteration == params->max_iter || isnan(result->q_true))
			break;
		apply_ratio(h, work.h_num, work.h_den, (size_t) k * n);
		if (params->hold)
			h[params->hold_index] = params->hold_value;
		if (!w_sums(problem, k, h, &work, reweight ? work.robust_weight_cols : work.weight_cols,
					reweight ? work.robust_wx_cols : work.wx_cols, stop))
			break;
		apply_ratio(work.w_cols, work.w_num, work.w_den, (size_t) k * m);
		if (params->hold)
			nmf_apply_hold(params, m, n, work.w_cols + (size_t) (params->hold_index / n) * m, 1, h);
	}
	result->iterations = iteration;

	for (int i = 0; i < m; i++)
		for (int f = 0; f < k; f++)
			w[(size_t) i * k + f] = work.w_cols[(size_t) f * m + i];
}
