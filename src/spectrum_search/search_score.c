/*
 * search_score.c: identify's similarities (see search_score.h).
 */
#include "search_score.h"

#include <stdbool.h>
#include <string.h>

#include "clean.h"
#include "entropy.h"
#include "kernel.h"

int
search_prepare(const Peak *peaks, int n, double precursor, double precursor_removal,
			   double merge_tolerance, Peak **out)
{
	/* ms_entropy's cleaning merges within twice the matching tolerance */
	CleanParams clean = clean_params_for_matching(mz_tolerance_da(merge_tolerance / 2));

	if (precursor_removal >= 0)
		clean_params_remove_precursor(&clean, precursor, precursor_removal);
	return entropy_prepare(peaks, n, &clean, true, out);
}

/*
 * Pair the peaks not yet used by neutral loss: losses ascend as m/z
 * descends, so walk both spectra from their last peak.  used_a and used_b
 * (both or neither) mark peaks to skip.
 */
static double
neutral_loss_walk(const Peak *a, int na, double precursor_a, const Peak *b, int nb, double precursor_b,
				  MzTolerance tolerance, const bool *used_a, const bool *used_b, int *matches)
{
	double		sum = 0;
	int			i = na - 1,
				j = nb - 1;

	while (i >= 0 && j >= 0)
	{
		double		difference,
					window;

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
		window = mz_tolerance_at(tolerance, a[i].mz);
		difference = (precursor_a - a[i].mz) - (precursor_b - b[j].mz);
		if (difference < -window)
			i--;
		else if (difference > window)
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
				  MzTolerance tolerance, int *matches)
{
	double		sum = 0;
	int			n_matches = 0;

	if (scoring == SCORE_NEUTRAL_LOSS)
		sum = neutral_loss_walk(a, na, precursor_a, b, nb, precursor_b, tolerance, NULL, NULL, &n_matches);
	else if (scoring == SCORE_DIRECT)
		sum = entropy_walk(a, na, b, nb, tolerance, NULL, NULL, &n_matches);
	else
	{
		bool	   *used_a = kernel_alloc_array((size_t) na + 1, sizeof(bool));
		bool	   *used_b = kernel_alloc_array((size_t) nb + 1, sizeof(bool));
		int			direct;

		memset(used_a, 0, sizeof(bool) * ((size_t) na + 1));
		memset(used_b, 0, sizeof(bool) * ((size_t) nb + 1));
		sum = entropy_walk(a, na, b, nb, tolerance, used_a, used_b, &direct);
		sum += neutral_loss_walk(a, na, precursor_a, b, nb, precursor_b, tolerance, used_a, used_b, &n_matches);
		n_matches += direct;
		kernel_free(used_a);
		kernel_free(used_b);
	}
	if (matches)
		*matches = n_matches;
	return entropy_similarity_from_sum(sum);
}
