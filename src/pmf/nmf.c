/*
 * nmf.c: input checks, Q, random starts, and one run dispatched to its
 * update rule (nmf_rules.h).
 */
#include "nmf.h"

#include <math.h>
#include <string.h>

#include "kernel.h"
#include "nmf_rules.h"
#include "prng.h"

NmfInputStatus
nmf_check_input(const double *x, const double *u, int m, int n, NmfMethod method,
				int *row, int *col)
{
	for (int i = 0; i < m; i++)
	{
		kernel_check_interrupts();
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
	}
	return NMF_INPUT_OK;
}

bool
nmf_problem_init_in(NmfProblem *problem, const double *x, const double *u, int m, int n,
					double *weight, double *weighted_x, const volatile int *stop)
{
	problem->m = m;
	problem->n = n;
	problem->x = x;
	problem->u = u;
	problem->weight = weight;
	problem->weighted_x = weighted_x;
	for (int i = 0; i < m; i++)
	{
		if (nmf_should_stop(stop))
			return false;
		for (size_t c = (size_t) i * n; c < (size_t) (i + 1) * n; c++)
		{
			weight[c] = 1.0 / (u[c] * u[c]);
			weighted_x[c] = x[c] * weight[c];
		}
	}
	return true;
}

void
nmf_problem_init(NmfProblem *problem, const double *x, const double *u, int m, int n)
{
	size_t		cells = (size_t) m * n;

	nmf_problem_init_in(problem, x, u, m, n, kernel_alloc_array(cells, sizeof(double)),
						kernel_alloc_array(cells, sizeof(double)), NULL);
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
	nmf_q_reweighted(problem, w, h, k, q_true, q_robust, NULL, NULL, NULL);
}

bool
nmf_initialize(const NmfProblem *problem, int k, uint64_t seed, double *w, double *h,
			   const volatile int *stop)
{
	int			m = problem->m,
				n = problem->n;
	Prng		rng;

	/*
	 * Column sums once (in H's last row, each summed in sample order), not
	 * once per factor: k x m x n additions took seconds without an
	 * interrupt check for a large square problem.
	 */
	double	   *column_sum = h + (size_t) (k - 1) * n;

	prng_seed(&rng, seed);
	memset(column_sum, 0, sizeof(double) * n);
	for (int i = 0; i < m; i++)
	{
		if (nmf_should_stop(stop))
			return false;
		for (int j = 0; j < n; j++)
			column_sum[j] += problem->x[(size_t) i * n + j];
	}
	for (int f = 0; f < k; f++)
	{
		if (nmf_should_stop(stop))
			return false;
		for (int j = 0; j < n; j++)
			h[(size_t) f * n + j] = fabs(sqrt(fabs(column_sum[j] / m) / k) * prng_normal(&rng));
	}
	for (int i = 0; i < m; i++)
	{
		double		mean = 0;

		if (nmf_should_stop(stop))
			return false;

		for (int j = 0; j < n; j++)
			mean += problem->x[(size_t) i * n + j];
		for (int f = 0; f < k; f++)
			w[(size_t) i * k + f] = fabs(sqrt(fabs(mean / n) / k) * prng_normal(&rng));
	}
	return true;
}

size_t
nmf_arena_doubles(int m, int n, const NmfParams *params)
{
	return nmf_rule(params->method)->arena_doubles(m, n, params->factors, params->reweight_after > 0) +
		params->converge_n;
}

void
nmf_refine_in(const NmfProblem *problem, const NmfParams *params, double *w, double *h,
			  NmfRun *result, double *arena_block, const volatile int *stop)
{
	NmfArena	arena = {arena_block};

	nmf_rule(params->method)->iterate(problem, params, w, h, result, &arena, stop);
}

void
nmf_refine(const NmfProblem *problem, const NmfParams *params,
		   double *w, double *h, NmfRun *result)
{
	double	   *arena = kernel_alloc_array(nmf_arena_doubles(problem->m, problem->n, params),
										   sizeof(double));

	nmf_refine_in(problem, params, w, h, result, arena, NULL);
	kernel_free(arena);
}
