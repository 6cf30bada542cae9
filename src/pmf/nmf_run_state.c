/*
 * nmf_run_state.c: the building blocks every update rule uses (see
 * nmf_run_state.h).
 */
#include "nmf_run_state.h"

/* (W H)[i][j] */
static inline double
cell_fit(const double *w, const double *h, int n, int k, int i, int j)
{
	double		fit = 0;

	for (int f = 0; f < k; f++)
		fit += w[(size_t) i * k + f] * h[(size_t) f * n + j];
	return fit;
}

bool
nmf_q_reweighted(const NmfProblem *problem, const double *w, const double *h, int k,
				 double *q_true, double *q_robust, double *weight, double *weighted_x,
				 const volatile int *stop)
{
	int			n = problem->n;

	*q_true = *q_robust = 0;
	for (int i = 0; i < problem->m; i++)
	{
		if (nmf_should_stop(stop))
			return false;
		for (int j = 0; j < n; j++)
		{
			size_t		c = (size_t) i * n + j;
			double		residual = problem->x[c] - cell_fit(w, h, n, k, i, j);

			nmf_q_add(residual, problem->weight[c], q_true, q_robust);
			if (weight != NULL)
			{
				double		factor = nmf_robust_factor(residual * residual * problem->weight[c]);

				weight[c] = problem->weight[c] * factor;
				weighted_x[c] = problem->weighted_x[c] * factor;
			}
		}
	}
	return true;
}

void
nmf_apply_hold(const NmfParams *params, int m, int n, double *w_column, int w_stride, double *h)
{
	double	   *h_row = h + (size_t) (params->hold_index / n) * n;
	double		scale = 0;

	for (int i = 0; i < m; i++)
		scale += fabs(w_column[(size_t) i * w_stride]);
	if (scale > 0 && params->hold_scale > 0)
	{
		double		ratio = scale / params->hold_scale;

		for (int i = 0; i < m; i++)
			w_column[(size_t) i * w_stride] /= ratio;
		for (int j = 0; j < n; j++)
			h_row[j] *= ratio;
	}
	h[params->hold_index] = params->hold_value;
}

void
nmf_convergence_init(NmfConvergence *c, const NmfParams *params, NmfArena *arena)
{
	c->size = params->converge_n;
	c->history = nmf_arena_take(arena, c->size);
	c->count = 0;
	c->delta = params->converge_delta;
}

bool
nmf_convergence_step(NmfConvergence *c, double q)
{
	int			slot = c->count % c->size;
	double		oldest;

	/* the slot being overwritten holds Q from converge_n iterations ago */
	oldest = c->history[slot];
	c->history[slot] = q;
	c->count++;
	return c->count > c->size && oldest - q < c->delta;
}

bool
nmf_iteration_start(const NmfProblem *problem, const NmfParams *params, const double *w,
					const double *h, int iteration, NmfConvergence *convergence,
					double *robust_weight, double *robust_wx, NmfRun *result,
					const volatile int *stop)
{
	bool		reweight = nmf_reweights(params, iteration);

	if (nmf_should_stop(stop))
		return false;
	if (!nmf_q_reweighted(problem, w, h, params->factors, &result->q_true, &result->q_robust,
						  reweight ? robust_weight : NULL, reweight ? robust_wx : NULL, stop))
		return false;
	if (iteration > 0 &&
		nmf_convergence_step(convergence, params->robust ? result->q_robust : result->q_true))
	{
		result->converged = true;
		return false;
	}
	return iteration != params->max_iter && !isnan(result->q_true);
}
