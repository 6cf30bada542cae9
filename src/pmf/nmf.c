/*
 * nmf.c: input checks, Q, random starts and the multi-start driver shared by
 * the NMF update rules.
 */
#include "nmf.h"

#include <math.h>
#include <string.h>

#include "kernel.h"
#include "nmf_iterate.h"
#include "prng.h"

NmfInputStatus
nmf_check_input(const double *x, const double *u, int m, int n, NmfMethod method,
				int *row, int *col)
{
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++)
		{
			double		xv = x[(size_t) i * n + j];
			double		uv = u[(size_t) i * n + j];
			NmfInputStatus status = NMF_INPUT_OK;

			if (!isfinite(xv))
				status = NMF_CONC_NOT_FINITE;
			else if (!(isfinite(uv) && uv > 0))
				status = NMF_UNC_NOT_POSITIVE;
			else if (method == NMF_LS && xv < 0)
				status = NMF_CONC_NEGATIVE;
			if (status != NMF_INPUT_OK)
			{
				*row = i;
				*col = j;
				return status;
			}
		}
	return NMF_INPUT_OK;
}

void
nmf_problem_init(NmfProblem *problem, const double *x, const double *u, int m, int n)
{
	size_t		cells = (size_t) m * n;

	problem->m = m;
	problem->n = n;
	problem->x = x;
	problem->u = u;
	problem->weight = kernel_alloc_array(cells, sizeof(double));
	problem->weighted_x = kernel_alloc_array(cells, sizeof(double));
	for (size_t c = 0; c < cells; c++)
	{
		problem->weight[c] = 1.0 / (u[c] * u[c]);
		problem->weighted_x[c] = x[c] * problem->weight[c];
	}
}

void
nmf_problem_free(NmfProblem *problem)
{
	kernel_free(problem->weight);
	kernel_free(problem->weighted_x);
	problem->weight = problem->weighted_x = NULL;
}

void
nmf_q(const NmfProblem *problem, const double *w, const double *h, int k,
	  double *q_true, double *q_robust)
{
	int			n = problem->n;

	*q_true = *q_robust = 0;
	for (int i = 0; i < problem->m; i++)
		for (int j = 0; j < n; j++)
		{
			double		fit = 0;

			for (int f = 0; f < k; f++)
				fit += w[(size_t) i * k + f] * h[(size_t) f * n + j];
			nmf_q_add(problem->x[(size_t) i * n + j] - fit, problem->weight[(size_t) i * n + j],
					  q_true, q_robust);
		}
}

void
nmf_initialize(const NmfProblem *problem, int k, uint64_t seed, double *w, double *h)
{
	int			m = problem->m,
				n = problem->n;
	Prng		rng;

	prng_seed(&rng, seed);
	for (int f = 0; f < k; f++)
		for (int j = 0; j < n; j++)
		{
			double		mean = 0;

			for (int i = 0; i < m; i++)
				mean += problem->x[(size_t) i * n + j];
			h[(size_t) f * n + j] = fabs(sqrt(fabs(mean / m) / k) * prng_normal(&rng));
		}
	for (int i = 0; i < m; i++)
	{
		double		mean = 0;

		for (int j = 0; j < n; j++)
			mean += problem->x[(size_t) i * n + j];
		for (int f = 0; f < k; f++)
			w[(size_t) i * k + f] = fabs(sqrt(fabs(mean / n) / k) * prng_normal(&rng));
	}
}

void
nmf_convergence_init(NmfConvergence *c, const NmfParams *params)
{
	c->size = params->converge_n;
	c->history = kernel_alloc_array(c->size, sizeof(double));
	c->count = 0;
	c->delta = params->converge_delta;
}

void
nmf_convergence_free(NmfConvergence *c)
{
	kernel_free(c->history);
	c->history = NULL;
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

void
nmf_refine(const NmfProblem *problem, const NmfParams *params,
		   double *w, double *h, NmfRun *result)
{
	if (params->method == NMF_WS)
		ws_nmf_iterate(problem, params, w, h, result);
	else
		ls_nmf_iterate(problem, params, w, h, result);
}

void
nmf_run(const NmfProblem *problem, const NmfParams *params, uint64_t seed,
		double *w, double *h, NmfRun *result)
{
	nmf_initialize(problem, params->factors, seed, w, h);
	result->seed = seed;
	nmf_refine(problem, params, w, h, result);
}

int
nmf_fit(const NmfProblem *problem, const NmfParams *params, int runs, uint64_t seed,
		NmfProgress progress, void *context,
		double *best_w, double *best_h, NmfRun *results)
{
	int			k = params->factors;
	size_t		w_cells = (size_t) problem->m * k,
				h_cells = (size_t) k * problem->n;
	double	   *w = kernel_alloc_array(w_cells, sizeof(double));
	double	   *h = kernel_alloc_array(h_cells, sizeof(double));
	uint64_t	seed_state = seed;
	int			best = -1;

	for (int run = 0; run < runs; run++)
	{
		NmfRun	   *r = &results[run];
		double		q,
					best_q = 0;

		nmf_run(problem, params, splitmix64_next(&seed_state), w, h, r);
		q = params->robust ? r->q_robust : r->q_true;
		if (best >= 0)
			best_q = params->robust ? results[best].q_robust : results[best].q_true;
		/* a NaN Q (diverged run) never wins */
		if (!isnan(q) && (best < 0 || q < best_q))
		{
			best = run;
			memcpy(best_w, w, w_cells * sizeof(double));
			memcpy(best_h, h, h_cells * sizeof(double));
		}
		if (progress)
			progress(context, run, runs, r);
	}
	kernel_free(w);
	kernel_free(h);
	return best;
}
