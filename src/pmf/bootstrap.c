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

void
pmf_bootstrap(const double *x, const double *u, int m, int n,
			  const double *w_base, const double *h_base,
			  const BootstrapParams *params, BootstrapResult *result)
{
	int			k = params->nmf.factors,
				resamples = params->resamples;
	int			block_size = params->block_size < m ? params->block_size : m;
	int		   *rows = kernel_alloc_array(m, sizeof(int));
	double	   *xb = kernel_alloc_array((size_t) m * n, sizeof(double));
	double	   *ub = kernel_alloc_array((size_t) m * n, sizeof(double));
	double	   *w = kernel_alloc_array((size_t) m * k, sizeof(double));
	double	   *h = kernel_alloc_array((size_t) k * n, sizeof(double));
	double	   *col_boot = kernel_alloc_array(m, sizeof(double));
	double	   *col_base = kernel_alloc_array(m, sizeof(double));
	/* profile values mapped to each base factor: k x n x resamples, NaN = not mapped */
	double	   *samples = kernel_alloc_array((size_t) k * n * resamples, sizeof(double));
	double	   *best_r = kernel_alloc_array(k, sizeof(double));
	double	   *sorted = kernel_alloc_array(resamples, sizeof(double));
	Prng		rng;

	prng_seed(&rng, params->seed);
	memset(result->mapped, 0, sizeof(int) * k);
	result->unmapped = 0;
	for (size_t c = 0; c < (size_t) k * n * resamples; c++)
		samples[c] = NAN;

	for (int b = 0; b < resamples; b++)
	{
		NmfProblem	problem;
		NmfRun		run;

		kernel_check_interrupts();
		draw_blocks(&rng, m, block_size, rows);
		for (int i = 0; i < m; i++)
		{
			memcpy(xb + (size_t) i * n, x + (size_t) rows[i] * n, sizeof(double) * n);
			memcpy(ub + (size_t) i * n, u + (size_t) rows[i] * n, sizeof(double) * n);
			memcpy(w + (size_t) i * k, w_base + (size_t) rows[i] * k, sizeof(double) * k);
		}
		memcpy(h, h_base, sizeof(double) * k * n);
		nmf_problem_init(&problem, xb, ub, m, n);
		nmf_refine(&problem, &params->nmf, w, h, &run);
		nmf_problem_free(&problem);

		/* map: each bootstrap factor to the best-correlated base factor (>= threshold) */
		for (int g = 0; g < k; g++)
			best_r[g] = -INFINITY;
		for (int f = 0; f < k; f++)
		{
			int			best = -1;
			double		r_best = params->threshold;

			for (int i = 0; i < m; i++)
				col_boot[i] = w[(size_t) i * k + f];
			for (int g = 0; g < k; g++)
			{
				double		r;

				for (int i = 0; i < m; i++)
					col_base[i] = w_base[(size_t) rows[i] * k + g];
				r = profile_similarity(col_boot, col_base, m, PROFILE_PEARSON);
				if (!isnan(r) && r >= r_best)
				{
					r_best = r;
					best = g;
				}
			}
			if (best < 0)
			{
				result->unmapped++;
				continue;
			}
			/* two bootstrap factors on one base factor: keep the closer one */
			if (r_best > best_r[best])
			{
				if (best_r[best] == -INFINITY)
					result->mapped[best]++;
				best_r[best] = r_best;
				for (int j = 0; j < n; j++)
					samples[((size_t) best * n + j) * resamples + b] = h[(size_t) f * n + j];
			}
		}
	}

	for (int g = 0; g < k; g++)
		for (int j = 0; j < n; j++)
		{
			const double *values = samples + ((size_t) g * n + j) * resamples;
			double	   *out = result->percentiles + ((size_t) g * n + j) * BOOTSTRAP_PERCENTILES;
			int			count = 0;

			for (int b = 0; b < resamples; b++)
				if (!isnan(values[b]))
					sorted[count++] = values[b];
			qsort(sorted, count, sizeof(double), compare_doubles);
			for (int p = 0; p < BOOTSTRAP_PERCENTILES; p++)
				out[p] = count > 0 ? percentile_of_sorted(sorted, count, bootstrap_percentile_levels[p]) : NAN;
		}

	kernel_free(rows);
	kernel_free(xb);
	kernel_free(ub);
	kernel_free(w);
	kernel_free(h);
	kernel_free(col_boot);
	kernel_free(col_base);
	kernel_free(samples);
	kernel_free(best_r);
	kernel_free(sorted);
}
