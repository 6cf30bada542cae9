/*
 * anls_nmf.c: alternating weighted least squares with bounds, the problem
 * EPA PMF 5.0 (ME-2) solves:
 *   min sum ((x - W H) / u)^2  over  H >= 0,  W[i][f] >= g_lower mean_i W[i][f]
 * Each half step solves every species' column of H (then every sample's
 * row of W) as a k-variable bounded least-squares problem on its normal
 * equations, by ANLS_SWEEPS sweeps of exact coordinate descent (each
 * coordinate set to its minimum within its bound).  A half step thus moves
 * each block much further than a multiplicative update does, so a run
 * needs far fewer iterations; the bound on W is fixed for the half step
 * from the previous means, so the subproblems stay separable.
 *
 * Robust weights (NmfParams.reweight_after), when on, are recomputed from
 * the residuals at the start of every iteration (iteratively reweighted
 * least squares on Q(robust), PMF 5.0's robust mode).
 *
 * Summation orders are fixed and contraction is off: same seed, same bits.
 */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#else
#pragma GCC optimize ("O3", "fp-contract=off")
#endif

#include <math.h>
#include <string.h>

#include "nmf_rules.h"

/* Coordinate-descent sweeps per block and half step. */
#define ANLS_SWEEPS 4

/*
 * z <- argmin z^T G z / 2 - b^T z with z[f] >= lower[f] (lower NULL: 0),
 * approximately: ANLS_SWEEPS sweeps from the current z.  G is k x k
 * symmetric; a factor with G[f][f] = 0 is unused here and keeps its value.
 */
static void
bounded_solve(const double *gram, const double *rhs, const double *lower, int k, double *z)
{
	for (int sweep = 0; sweep < ANLS_SWEEPS; sweep++)
		for (int f = 0; f < k; f++)
		{
			const double *row = gram + (size_t) f * k;
			double		gradient = -rhs[f];
			double		bound = lower ? lower[f] : 0;
			double		value;

			if (!(row[f] > 0))
				continue;
			for (int g = 0; g < k; g++)
				gradient += row[g] * z[g];
			value = z[f] - gradient / row[f];
			z[f] = value > bound ? value : bound;
		}
}

/*
 * a . b in four interleaved partial sums combined as (s0 + s1) + (s2 + s3):
 * vectorisable, and in a fixed order whatever the vector width.
 */
static inline double
dot(const double *restrict a, const double *restrict b, int count)
{
	double		s[4] = {0, 0, 0, 0},
				sum;
	int			c = 0;

	for (; c + 4 <= count; c += 4)
		for (int l = 0; l < 4; l++)
			s[l] += a[c + l] * b[c + l];
	sum = (s[0] + s[1]) + (s[2] + s[3]);
	for (; c < count; c++)
		sum += a[c] * b[c];
	return sum;
}

/* Working memory of a run (see anls_nmf_arena_doubles). */
typedef struct AnlsWork
{
	double	   *grams;			/* n x k x k: every species' normal equations */
	double	   *rhs_h;			/* n x k */
	double	   *gram;			/* k x k: one sample's */
	double	   *rhs;			/* k */
	double	   *column;			/* k: one column of H */
	double	   *lower;			/* k: bounds of W */
	double	   *weight_cols;	/* n x m: this iteration's weights */
	double	   *wx_cols;		/* n x m */
	double	   *w_cols;			/* k x m: W column-major */
	double	   *scaled;			/* m, or k x n: weighted W column, H rows */
} AnlsWork;

size_t
anls_nmf_arena_doubles(int m, int n, int k, bool reweight)
{
	/* the nmf_arena_take calls of anls_nmf_iterate, in order */
	return (size_t) n * k * k + (size_t) n * k + (size_t) k * k + 3 * (size_t) k +
		2 * (size_t) m * n + (size_t) k * m + (size_t) m + (size_t) k * n +
		(reweight ? 2 * (size_t) m * n : 0);
}

/*
 * H half step: species j's normal equations are dot products over the
 * samples of weighted columns of W (column-major copies, so they run over
 * contiguous memory), then the bounded solves.
 */
static bool
update_h(const NmfProblem *problem, int k, const double *w, double *h, const double *weight,
		 const double *wx, AnlsWork *work, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n;

	for (int i = 0; i < m; i++)
	{
		if (nmf_should_stop(stop))
			return false;
		for (int j = 0; j < n; j++)
		{
			work->weight_cols[(size_t) j * m + i] = weight[(size_t) i * n + j];
			work->wx_cols[(size_t) j * m + i] = wx[(size_t) i * n + j];
		}
		for (int f = 0; f < k; f++)
			work->w_cols[(size_t) f * m + i] = w[(size_t) i * k + f];
	}
	for (int j = 0; j < n; j++)
	{
		const double *weight_col = work->weight_cols + (size_t) j * m;
		double	   *gram = work->grams + (size_t) j * k * k;
		double	   *rhs = work->rhs_h + (size_t) j * k;

		if (nmf_should_stop(stop))
			return false;
		for (int f = 0; f < k; f++)
		{
			const double *w_f = work->w_cols + (size_t) f * m;

			for (int i = 0; i < m; i++)
				work->scaled[i] = weight_col[i] * w_f[i];
			rhs[f] = dot(work->wx_cols + (size_t) j * m, w_f, m);
			for (int g = 0; g <= f; g++)
				gram[f * k + g] = gram[g * k + f] = dot(work->scaled, work->w_cols + (size_t) g * m, m);
		}
		for (int f = 0; f < k; f++)
			work->column[f] = h[(size_t) f * n + j];
		bounded_solve(gram, rhs, NULL, k, work->column);
		for (int f = 0; f < k; f++)
			h[(size_t) f * n + j] = work->column[f];
	}
	return true;
}

/* W half step: each sample's row within lower[f] = g_lower mean_i W[i][f]. */
static bool
update_w(const NmfProblem *problem, const NmfParams *params, double *w, const double *h,
		 const double *weight, const double *wx, AnlsWork *work, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n,
				k = params->factors;

	for (int f = 0; f < k; f++)
	{
		double		sum = 0;

		for (int i = 0; i < m; i++)
			sum += w[(size_t) i * k + f];
		work->lower[f] = params->g_lower < 0 && sum > 0 ? params->g_lower * (sum / m) : 0;
	}
	for (int i = 0; i < m; i++)
	{
		const double *weight_row = weight + (size_t) i * n;
		const double *wx_row = wx + (size_t) i * n;

		if (nmf_should_stop(stop))
			return false;
		for (int f = 0; f < k; f++)
		{
			const double *hf = h + (size_t) f * n;
			double	   *scaled_f = work->scaled + (size_t) f * n;

			for (int j = 0; j < n; j++)
				scaled_f[j] = hf[j] * weight_row[j];
			work->rhs[f] = dot(hf, wx_row, n);
			for (int g = 0; g <= f; g++)
				work->gram[f * k + g] = work->gram[g * k + f] = dot(scaled_f, h + (size_t) g * n, n);
		}
		bounded_solve(work->gram, work->rhs, work->lower, k, w + (size_t) i * k);
	}
	return true;
}

void
anls_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
				 double *w, double *h, NmfRun *result,
				 NmfArena *arena, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n,
				k = params->factors;
	AnlsWork	work;			/* the _cols arrays are column-major */
	double	   *robust_weight = NULL,
			   *robust_wx = NULL;
	NmfConvergence convergence;
	int			iteration;

	work.grams = nmf_arena_take(arena, (size_t) n * k * k);
	work.rhs_h = nmf_arena_take(arena, (size_t) n * k);
	work.gram = nmf_arena_take(arena, (size_t) k * k);
	work.rhs = nmf_arena_take(arena, k);
	work.column = nmf_arena_take(arena, k);
	work.lower = nmf_arena_take(arena, k);
	work.weight_cols = nmf_arena_take(arena, (size_t) m * n);
	work.wx_cols = nmf_arena_take(arena, (size_t) m * n);
	work.w_cols = nmf_arena_take(arena, (size_t) k * m);
	work.scaled = nmf_arena_take(arena, (size_t) m + (size_t) k * n);
	if (params->reweight_after > 0)
	{
		robust_weight = nmf_arena_take(arena, (size_t) m * n);
		robust_wx = nmf_arena_take(arena, (size_t) m * n);
	}
	nmf_convergence_init(&convergence, params, arena);
	result->converged = false;
	for (iteration = 0;; iteration++)
	{
		bool		reweight = nmf_reweights(params, iteration);
		const double *weight = reweight ? robust_weight : problem->weight;
		const double *wx = reweight ? robust_wx : problem->weighted_x;

		if (!nmf_iteration_start(problem, params, w, h, iteration, &convergence, robust_weight, robust_wx,
								 result, stop))
			break;
		if (!update_h(problem, k, w, h, weight, wx, &work, stop))
			break;
		if (params->hold)
			h[params->hold_index] = params->hold_value;
		if (!update_w(problem, params, w, h, weight, wx, &work, stop))
			break;
		if (params->hold)
			nmf_apply_hold(params, m, n, w + params->hold_index / n, k, h);
	}
	result->iterations = iteration;
}
