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

size_t
anls_nmf_arena_doubles(int m, int n, int k, bool reweight)
{
	/* the nmf_arena_take calls of anls_nmf_iterate, in order */
	return (size_t) n * k * k + (size_t) n * k + (size_t) k * k + 3 * (size_t) k +
		(reweight ? 2 * (size_t) m * n : 0);
}

/*
 * H half step: every species' normal equations in one pass over the
 * samples (row-major data, so the pass is contiguous), then the solves.
 */
static bool
update_h(const NmfProblem *problem, int k, const double *w, double *h, const double *weight,
		 const double *wx, double *grams, double *rhs, double *column, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n;

	memset(grams, 0, sizeof(double) * n * k * k);
	memset(rhs, 0, sizeof(double) * n * k);
	for (int i = 0; i < m; i++)
	{
		const double *w_row = w + (size_t) i * k;

		if (nmf_should_stop(stop))
			return false;
		for (int j = 0; j < n; j++)
		{
			double		cell_weight = weight[(size_t) i * n + j],
						cell_wx = wx[(size_t) i * n + j];
			double	   *gram = grams + (size_t) j * k * k;

			for (int f = 0; f < k; f++)
			{
				double		a = cell_weight * w_row[f];

				rhs[(size_t) j * k + f] += cell_wx * w_row[f];
				for (int g = 0; g <= f; g++)
					gram[f * k + g] += a * w_row[g];
			}
		}
	}
	for (int j = 0; j < n; j++)
	{
		double	   *gram = grams + (size_t) j * k * k;

		for (int f = 0; f < k; f++)
			for (int g = 0; g < f; g++)
				gram[g * k + f] = gram[f * k + g];
		for (int f = 0; f < k; f++)
			column[f] = h[(size_t) f * n + j];
		bounded_solve(gram, rhs + (size_t) j * k, NULL, k, column);
		for (int f = 0; f < k; f++)
			h[(size_t) f * n + j] = column[f];
	}
	return true;
}

/* W half step: each sample's row within lower[f] = g_lower mean_i W[i][f]. */
static bool
update_w(const NmfProblem *problem, const NmfParams *params, double *w, const double *h,
		 const double *weight, const double *wx, double *gram, double *rhs, double *lower,
		 const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n,
				k = params->factors;

	for (int f = 0; f < k; f++)
	{
		double		sum = 0;

		for (int i = 0; i < m; i++)
			sum += w[(size_t) i * k + f];
		lower[f] = params->g_lower < 0 && sum > 0 ? params->g_lower * (sum / m) : 0;
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

			rhs[f] = 0;
			for (int j = 0; j < n; j++)
				rhs[f] += hf[j] * wx_row[j];
			for (int g = 0; g <= f; g++)
			{
				const double *hg = h + (size_t) g * n;
				double		sum = 0;

				for (int j = 0; j < n; j++)
					sum += hf[j] * weight_row[j] * hg[j];
				gram[f * k + g] = gram[g * k + f] = sum;
			}
		}
		bounded_solve(gram, rhs, lower, k, w + (size_t) i * k);
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
	double	   *grams = nmf_arena_take(arena, (size_t) n * k * k);
	double	   *rhs_h = nmf_arena_take(arena, (size_t) n * k);
	double	   *gram = nmf_arena_take(arena, (size_t) k * k);
	double	   *rhs = nmf_arena_take(arena, k);
	double	   *column = nmf_arena_take(arena, k);
	double	   *lower = nmf_arena_take(arena, k);
	double	   *robust_weight = NULL,
			   *robust_wx = NULL;
	NmfConvergence convergence;
	int			iteration;

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

		if (nmf_should_stop(stop))
			break;
		if (!nmf_q_reweighted(problem, w, h, k, &result->q_true, &result->q_robust,
							  reweight ? robust_weight : NULL, reweight ? robust_wx : NULL, stop))
			break;
		if (iteration > 0 &&
			nmf_convergence_step(&convergence, params->robust ? result->q_robust : result->q_true))
		{
			result->converged = true;
			break;
		}
		if (iteration == params->max_iter || isnan(result->q_true))
			break;
		if (!update_h(problem, k, w, h, weight, wx, grams, rhs_h, column, stop))
			break;
		if (params->hold)
			h[params->hold_index] = params->hold_value;
		if (!update_w(problem, params, w, h, weight, wx, gram, rhs, lower, stop))
			break;
		if (params->hold)
			nmf_apply_hold(params, m, n, w + params->hold_index / n, k, h);
	}
	result->iterations = iteration;
}
