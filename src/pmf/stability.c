/*
 * stability.c: agreement of a fit's runs with the kept run (stability.h).
 */
#include "stability.h"

#include <math.h>

#include "kernel.h"
#include "similarity.h"

/*
 * Greedy matching: repeatedly take the most correlated (run factor, kept
 * factor) pair among the unmatched ones; the result is the lowest
 * correlation taken.  k is small (<= ~20), so k^3 steps are nothing.
 */
static double
lowest_matched_correlation(const double *h, const double *best_h, int k, int n, double *r, bool *used_a,
						   bool *used_b)
{
	double		lowest = 1.0;

	for (int f = 0; f < k; f++)
		for (int g = 0; g < k; g++)
		{
			double		value = profile_similarity(h + (size_t) f * n, best_h + (size_t) g * n, n,
												   PROFILE_PEARSON);

			/* a constant profile (undefined r) matches only an identical one */
			r[f * k + g] = isnan(value) ? -1.0 : value;
		}
	for (int f = 0; f < k; f++)
		used_a[f] = used_b[f] = false;
	for (int step = 0; step < k; step++)
	{
		int			fa = -1,
					gb = -1;

		for (int f = 0; f < k; f++)
			for (int g = 0; g < k; g++)
				if (!used_a[f] && !used_b[g] && (fa < 0 || r[f * k + g] > r[fa * k + gb]))
				{
					fa = f;
					gb = g;
				}
		used_a[fa] = used_b[gb] = true;
		if (r[fa * k + gb] < lowest)
			lowest = r[fa * k + gb];
	}
	return lowest;
}

void
nmf_stability(const double *run_h, const NmfRun *results, int runs, int best, int k, int n,
			  bool robust, double *match, NmfStability *summary)
{
	double	   *r = kernel_alloc_array((size_t) k * k, sizeof(double));
	bool	   *used_a = kernel_alloc_array(k, sizeof(bool));
	bool	   *used_b = kernel_alloc_array(k, sizeof(bool));
	const double *best_h = run_h + (size_t) best * k * n;
	double		best_q = robust ? results[best].q_robust : results[best].q_true;

	summary->near_best = 0;
	summary->other_solutions = 0;
	for (int run = 0; run < runs; run++)
	{
		double		q = robust ? results[run].q_robust : results[run].q_true;

		kernel_check_interrupts();
		if (isnan(q))
		{
			match[run] = NAN;
			continue;
		}
		match[run] = run == best ? 1.0 :
			lowest_matched_correlation(run_h + (size_t) run * k * n, best_h, k, n, r, used_a, used_b);
		if (q <= best_q + NMF_NEAR_BEST_FRACTION * fabs(best_q))
		{
			summary->near_best++;
			if (match[run] < NMF_SAME_PROFILE_R)
				summary->other_solutions++;
		}
	}
	kernel_free(r);
	kernel_free(used_a);
	kernel_free(used_b);
}
