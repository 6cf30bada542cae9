/*
 * ws_nmf.c: weighted semi-NMF as ESAT defines it (Ding, Li and Jordan 2010,
 * with the weighting of de Melo and Wainer): W is unconstrained in sign,
 * H >= 0.
 *   W: each row is the weighted least-squares solution
 *      w_i = (H D_i x_i)^T (H D_i H^T)^-1,  D_i = diag(1/u_i^2)
 *   H: with W+ = max(W, 0), W- = max(-W, 0), for each species column j
 *      h_j <- h_j * sqrt((x_j^T D_j W+ + h_j^T W-^T D_j W-) /
 *                        (x_j^T D_j W- + h_j^T W+^T D_j W+))
 */
#include <math.h>
#include <string.h>

#include "kernel.h"
#include "nmf_rules.h"

/* Keeps the ratio finite when a factor has no positive or negative part. */
#define WS_EPSILON 1e-12

/*
 * Solves the symmetric k x k system a z = b in place (Gaussian elimination
 * with partial pivoting).  A singular direction gets z = 0, which is what a
 * pseudo-inverse would give for an exactly zero pivot.
 */
static void
solve_small(double *a, double *b, int k, double *z)
{
	for (int c = 0; c < k; c++)
	{
		int			pivot = c;

		for (int r = c + 1; r < k; r++)
			if (fabs(a[r * k + c]) > fabs(a[pivot * k + c]))
				pivot = r;
		if (pivot != c)
		{
			for (int d = 0; d < k; d++)
			{
				double		t = a[c * k + d];

				a[c * k + d] = a[pivot * k + d];
				a[pivot * k + d] = t;
			}
			{
				double		t = b[c];

				b[c] = b[pivot];
				b[pivot] = t;
			}
		}
		if (a[c * k + c] == 0)
			continue;
		for (int r = c + 1; r < k; r++)
		{
			double		factor = a[r * k + c] / a[c * k + c];

			for (int d = c; d < k; d++)
				a[r * k + d] -= factor * a[c * k + d];
			b[r] -= factor * b[c];
		}
	}
	for (int c = k - 1; c >= 0; c--)
	{
		double		sum = b[c];

		for (int d = c + 1; d < k; d++)
			sum -= a[c * k + d] * z[d];
		z[c] = a[c * k + c] != 0 ? sum / a[c * k + c] : 0;
	}
}

size_t
ws_nmf_arena_doubles(int m, int n, int k, bool reweight)
{
	return 2 * (size_t) k * k + 2 * (size_t) k + 2 * (size_t) m * k + (reweight ? 2 * (size_t) m * n : 0);
}

void
ws_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
			   double *w, double *h, NmfRun *result,
			   NmfArena *arena, const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n,
				k = params->factors;
	double	   *gram = nmf_arena_take(arena, (size_t) k * k);
	double	   *gram_neg = nmf_arena_take(arena, (size_t) k * k);
	double	   *rhs = nmf_arena_take(arena, k);
	double	   *rhs_neg = nmf_arena_take(arena, k);
	double	   *w_pos = nmf_arena_take(arena, (size_t) m * k);
	double	   *w_neg = nmf_arena_take(arena, (size_t) m * k);
	double	   *robust_weight = NULL,
			   *robust_wx = NULL;
	const double *weight_all = problem->weight,
			   *wx_all = problem->weighted_x;
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

		/* robust weights from this W H's residuals, for the updates below */
		if (!nmf_iteration_start(problem, params, w, h, iteration, &convergence, robust_weight, robust_wx,
								 result, stop))
			break;
		if (reweight)
		{
			weight_all = robust_weight;
			wx_all = robust_wx;
		}

		/* W: weighted least squares per sample (each O(n k^2): poll per sample) */
		for (int i = 0; i < m && !nmf_should_stop(stop); i++)
		{
			const double *weight_row = weight_all + (size_t) i * n;
			const double *wx_row = wx_all + (size_t) i * n;

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
			solve_small(gram, rhs, k, w + (size_t) i * k);
		}

		/*
		 * H: multiplicative semi-NMF step per species.  W+ and W- once per
		 * iteration, not per species and factor pair; a zero part adds
		 * exactly +0 to its sums, so it is skipped (W+ and W- are never both
		 * non-zero: half the work).  Same terms, same order: same bits.
		 */
		for (size_t c = 0; c < (size_t) m * k; c++)
		{
			w_pos[c] = fmax(w[c], 0);
			w_neg[c] = fmax(-w[c], 0);
		}
		for (int j = 0; j < n && !nmf_should_stop(stop); j++)
		{
			memset(gram, 0, sizeof(double) * k * k);
			memset(gram_neg, 0, sizeof(double) * k * k);
			memset(rhs, 0, sizeof(double) * k);
			memset(rhs_neg, 0, sizeof(double) * k);
			for (int i = 0; i < m; i++)
			{
				const double *pos = w_pos + (size_t) i * k,
						   *neg = w_neg + (size_t) i * k;
				double		weight = weight_all[(size_t) i * n + j];
				double		wx = wx_all[(size_t) i * n + j];

				for (int f = 0; f < k; f++)
				{
					rhs[f] += wx * pos[f];
					rhs_neg[f] += wx * neg[f];
					if (pos[f] != 0)
					{
						double		a = pos[f] * weight;

						for (int g = 0; g < k; g++)
							gram[f * k + g] += a * pos[g];
					}
					if (neg[f] != 0)
					{
						double		a = neg[f] * weight;

						for (int g = 0; g < k; g++)
							gram_neg[f * k + g] += a * neg[g];
					}
				}
			}
			for (int f = 0; f < k; f++)
			{
				double		num = rhs[f] + WS_EPSILON,
							den = rhs_neg[f] + WS_EPSILON;

				for (int g = 0; g < k; g++)
				{
					double		hg = h[(size_t) g * n + j];

					num += hg * gram_neg[g * k + f];
					den += hg * gram[g * k + f];
				}
				/* all of column j's new values use the old column, as in ESAT */
				rhs[f] = num;
				rhs_neg[f] = den;
			}
			for (int f = 0; f < k; f++)
				h[(size_t) f * n + j] *= sqrt(rhs[f] / rhs_neg[f]);
		}
		if (params->hold)
			nmf_apply_hold(params, m, n, w + params->hold_index / n, k, h);
	}
	result->iterations = iteration;
}
