/*
 * bootstrap.c: block bootstrap of a PMF solution (see bootstrap.h).
 */
#include "bootstrap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "prng.h"
#include "similarity.h"

const double bootstrap_percentile_levels[BOOTSTRAP_PERCENTILES] = {5, 25, 50, 75, 95};

typedef struct BootShared
{
	const double *x;
	const double *u;
	int			m;
	int			n;
	const double *w_base;
	const double *h_base;
	const BootstrapParams *params;
	const int  *rows;			/* resamples x m: the samples each resample draws */
	double	   *samples;		/* k x n x resamples: mapped profile values, NaN = not mapped */
	bool	   *matched;		/* resamples x k */
	int		   *unmapped;		/* per resample */
} BootShared;

/* One thread's memory, allocated before the threads start. */
typedef struct BootWorker
{
	BootShared *shared;
	double	   *xb;
	double	   *ub;
	double	   *weight;
	double	   *weighted_x;
	double	   *w;
	double	   *h;
	double	   *col_boot;
	double	   *col_base;
	double	   *best_r;
	double	   *arena;
} BootWorker;

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Linear interpolation between order statistics (as percentile_cont). */
static double
percentile_of_sorted(const double *sorted, int count, double level)
{
	double		position = level / 100 * (count - 1);
	int			below = (int) floor(position);
	double		fraction = position - below;

	if (below + 1 >= count)
		return sorted[count - 1];
	return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

/* Sample indices of one resample: random blocks of consecutive samples, cut to m. */
static void
draw_blocks(Prng *rng, int m, int block_size, int *rows)
{
	int			filled = 0;
	int			starts = m - block_size + 1;

	while (filled < m)
	{
		int			start = (int) (prng_uniform(rng) * starts);

		for (int b = 0; b < block_size && filled < m; b++)
			rows[filled++] = start + b;
	}
}

/* Refit resample b from the base solution and map its factors. */
static void
resample(void *arg, int b, const volatile int *stop)
{
	BootWorker *worker = arg;
	BootShared *s = worker->shared;
	int			m = s->m,
				n = s->n,
				k = s->params->nmf.factors,
				resamples = s->params->resamples;
	const int  *rows = s->rows + (size_t) b * m;
	NmfProblem	problem;
	NmfRun		run;

	for (int i = 0; i < m; i++)
	{
		memcpy(worker->xb + (size_t) i * n, s->x + (size_t) rows[i] * n, sizeof(double) * n);
		memcpy(worker->ub + (size_t) i * n, s->u + (size_t) rows[i] * n, sizeof(double) * n);
		memcpy(worker->w + (size_t) i * k, s->w_base + (size_t) rows[i] * k, sizeof(double) * k);
	}
	memcpy(worker->h, s->h_base, sizeof(double) * k * n);
	if (!nmf_problem_init_in(&problem, worker->xb, worker->ub, m, n, worker->weight, worker->weighted_x, stop))
		return;
	nmf_refine_in(&problem, &s->params->nmf, worker->w, worker->h, &run, worker->arena, stop);
	if (stop != NULL && *stop)
		return;

	/* each bootstrap factor to the best-correlated base factor (r >= threshold) */
	for (int g = 0; g < k; g++)
	{
		worker->best_r[g] = -INFINITY;
		s->matched[(size_t) b * k + g] = false;
	}
	s->unmapped[b] = 0;
	for (int f = 0; f < k; f++)
	{
		int			best = -1;
		double		r_best = s->params->threshold;

		for (int i = 0; i < m; i++)
			worker->col_boot[i] = worker->w[(size_t) i * k + f];
		for (int g = 0; g < k; g++)
		{
			double		r;

			for (int i = 0; i < m; i++)
				worker->col_base[i] = s->w_base[(size_t) rows[i] * k + g];
			r = profile_similarity(worker->col_boot, worker->col_base, m, PROFILE_PEARSON);
			if (!isnan(r) && r >= r_best)
			{
				r_best = r;
				best = g;
			}
		}
		if (best < 0)
		{
			s->unmapped[b]++;
			continue;
		}
		/* two bootstrap factors on one base factor: keep the closer one */
		if (r_best > worker->best_r[best])
		{
			worker->best_r[best] = r_best;
			s->matched[(size_t) b * k + best] = true;
			for (int j = 0; j < n; j++)
				s->samples[((size_t) best * n + j) * resamples + b] = worker->h[(size_t) f * n + j];
		}
	}
}

bool
pmf_bootstrap(const double *x, const double *u, int m, int n,
			  const double *w_base, const double *h_base,
			  const BootstrapParams *params, int threads,
			  ParallelStopRequested stop_requested, BootstrapResult *result)
{
	int			k = params->nmf.factors,
				resamples = params->resamples;
	int			n_workers = threads < 1 ? 1 : threads < resamples ? threads : resamples;
	size_t		cells = (size_t) m * n;
	BootShared	shared;
	BootWorker *workers = kernel_alloc_array(n_workers, sizeof(BootWorker));
	void	  **worker_args = kernel_alloc_array(n_workers, sizeof(void *));
	int		   *rows = kernel_alloc_array((size_t) resamples * m, sizeof(int));
	double	   *sorted = kernel_alloc_array(resamples, sizeof(double));
	Prng		rng;
	bool		completed;

	shared.x = x;
	shared.u = u;
	shared.m = m;
	shared.n = n;
	shared.w_base = w_base;
	shared.h_base = h_base;
	shared.params = params;
	shared.rows = rows;
	shared.samples = kernel_alloc_array((size_t) k * n * resamples, sizeof(double));
	shared.matched = kernel_alloc_array((size_t) resamples * k, sizeof(bool));
	shared.unmapped = kernel_alloc_array(resamples, sizeof(int));
	for (size_t c = 0; c < (size_t) k * n * resamples; c++)
		shared.samples[c] = NAN;

	/* all resamples drawn here, in order, so threads do not change them */
	prng_seed(&rng, params->seed);
	for (int b = 0; b < resamples; b++)
		draw_blocks(&rng, m, params->block_size < m ? params->block_size : m, rows + (size_t) b * m);

	for (int t = 0; t < n_workers; t++)
	{
		BootWorker *worker = &workers[t];

		worker->shared = &shared;
		worker->xb = kernel_alloc_array(cells, sizeof(double));
		worker->ub = kernel_alloc_array(cells, sizeof(double));
		worker->weight = kernel_alloc_array(cells, sizeof(double));
		worker->weighted_x = kernel_alloc_array(cells, sizeof(double));
		worker->w = kernel_alloc_array((size_t) m * k, sizeof(double));
		worker->h = kernel_alloc_array((size_t) k * n, sizeof(double));
		worker->col_boot = kernel_alloc_array(m, sizeof(double));
		worker->col_base = kernel_alloc_array(m, sizeof(double));
		worker->best_r = kernel_alloc_array(k, sizeof(double));
		worker->arena = kernel_alloc_array(nmf_arena_doubles(m, n, &params->nmf), sizeof(double));
		worker_args[t] = worker;
	}

	completed = parallel_run(resamples, worker_args, n_workers, resample, stop_requested, NULL, NULL);

	if (completed)
	{
		memset(result->mapped, 0, sizeof(int) * k);
		result->unmapped = 0;
		for (int b = 0; b < resamples; b++)
		{
			for (int g = 0; g < k; g++)
				result->mapped[g] += shared.matched[(size_t) b * k + g];
			result->unmapped += shared.unmapped[b];
		}
		for (int g = 0; g < k; g++)
			for (int j = 0; j < n; j++)
			{
				const double *values = shared.samples + ((size_t) g * n + j) * resamples;
				double	   *out = result->percentiles + ((size_t) g * n + j) * BOOTSTRAP_PERCENTILES;
				int			count = 0;

				for (int b = 0; b < resamples; b++)
					if (!isnan(values[b]))
						sorted[count++] = values[b];
				qsort(sorted, count, sizeof(double), compare_doubles);
				for (int p = 0; p < BOOTSTRAP_PERCENTILES; p++)
					out[p] = count > 0 ?
						percentile_of_sorted(sorted, count, bootstrap_percentile_levels[p]) : NAN;
			}
	}

	for (int t = 0; t < n_workers; t++)
	{
		BootWorker *worker = &workers[t];

		kernel_free(worker->xb);
		kernel_free(worker->ub);
		kernel_free(worker->weight);
		kernel_free(worker->weighted_x);
		kernel_free(worker->w);
		kernel_free(worker->h);
		kernel_free(worker->col_boot);
		kernel_free(worker->col_base);
		kernel_free(worker->best_r);
		kernel_free(worker->arena);
	}
	kernel_free(workers);
	kernel_free(worker_args);
	kernel_free(rows);
	kernel_free(sorted);
	kernel_free(shared.samples);
	kernel_free(shared.matched);
	kernel_free(shared.unmapped);
	return completed;
}
