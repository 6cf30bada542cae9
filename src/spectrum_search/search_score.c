/*
 * search_score.c: identify's similarities (see search_score.h).
 */
#include "search_score.h"

#include <stdbool.h>
#include <string.h>

#include "entropy.h"
#include "kernel.h"

int
search_prepare(const Peak *peaks, int n, double precursor, double precursor_removal,
			   double merge_tolerance, Peak **out)
{
	Peak	   *kept = kernel_alloc_array((size_t) n + 1, sizeof(Peak));
	int			nkept = 0;

	for (int i = 0; i < n; i++)
		if (precursor_removal < 0 || peaks[i].mz < precursor - precursor_removal)
			kept[nkept++] = peaks[i];
	/* entropy_prepare merges within twice its tolerance */
	nkept = entropy_prepare(kept, nkept, merge_tolerance / 2, true, true, out);
	kernel_free(kept);
	return nkept;
}

/*
 * Pair the peaks not yet used by neutral loss: losses ascend as m/z
 * descends, so walk both spectra from their last peak.  used_a and used_b
 * (both or neither) mark peaks to skip.
 */
static double
neutral_loss_walk(const Peak *a, int na, double precursor_a, const Peak *b, int nb, double precursor_b,
				  double tolerance, double tolerance_ppm, const bool *used_a, const bool *used_b,
				  int *matches)
{
	double		sum = 0;
	int			i = na - 1,
				j = nb - 1;

	while (i >= 0 && j >= 0)
	{
		double		difference;

		if (used_a && used_a[i])
		{
			i--;
			continue;
		}
		if (used_b && used_b[j])
		{
			j--;
			continue;
		}
		if (tolerance_ppm > 0)
			tolerance = a[i].mz * tolerance_ppm * 1e-6;
		difference = (precursor_a - a[i].mz) - (precursor_b - b[j].mz);
		if (difference < -tolerance)
			i--;
		else if (difference > tolerance)
			j--;
		else
		{
			sum += entropy_pair_term(a[i].intensity, b[j].intensity);
			i--;
			j--;
			(*matches)++;
		}
	}
	return sum;
}

double
search_similarity(SearchScoring scoring, const Peak *a, int na, double precursor_a,
				  const Peak *b, int nb, double precursor_b,
				  double tolerance, double tolerance_ppm, int *matches)
{
	double		sum = 0;
	int			n_matches = 0;

	if (scoring == SCORE_NEUTRAL_LOSS)
		sum = neutral_loss_walk(a, na, precursor_a, b, nb, precursor_b, tolerance, tolerance_ppm,
								NULL, NULL, &n_matches);
	else if (scoring == SCORE_DIRECT)
		sum = entropy_walk_ppm(a, na, b, nb, tolerance, tolerance_ppm, NULL, NULL, &n_matches);
	else
	{
		bool	   *used_a = kernel_alloc_array((size_t) na + 1, sizeof(bool));
		bool	   *used_b = kernel_alloc_array((size_t) nb + 1, sizeof(bool));
		int			direct;

		memset(used_a, 0, sizeof(bool) * ((size_t) na + 1));
		memset(used_b, 0, sizeof(bool) * ((size_t) nb + 1));
		sum = entropy_walk_ppm(a, na, b, nb, tolerance, tolerance_ppm, used_a, used_b, &direct);
		sum += neutral_loss_walk(a, na, precursor_a, b, nb, precursor_b, tolerance, tolerance_ppm,
								 used_a, used_b, &n_matches);
		n_matches += direct;
		kernel_free(used_a);
		kernel_free(used_b);
	}
	if (matches)
		*matches = n_matches;
	return entropy_similarity_from_sum(sum);
}
