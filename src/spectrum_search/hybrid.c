/*
 * hybrid.c: hybrid entropy similarity (see hybrid.h).
 */
#include "hybrid.h"

#include <math.h>
#include <stdbool.h>

#include "entropy.h"
#include "kernel.h"

double
entropy_hybrid_similarity_prepared(const Peak *a, int na, double precursor_a,
								   const Peak *b, int nb, double precursor_b,
								   double tolerance, int *matches)
{
	bool	   *used_a = kernel_alloc_array((size_t) na + 1, sizeof(bool));
	bool	   *used_b = kernel_alloc_array((size_t) nb + 1, sizeof(bool));
	double		sum;
	int			n_matches;
	int			i,
				j;

	for (int k = 0; k < na; k++)
		used_a[k] = false;
	for (int k = 0; k < nb; k++)
		used_b[k] = false;
	sum = entropy_walk(a, na, b, nb, mz_tolerance_da(tolerance), used_a, used_b, &n_matches);

	/* neutral losses ascend as m/z descends */
	i = na - 1;
	j = nb - 1;
	while (i >= 0 && j >= 0)
	{
		double		difference;

		if (used_a[i])
		{
			i--;
			continue;
		}
		if (used_b[j])
		{
			j--;
			continue;
		}
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
			n_matches++;
		}
	}
	kernel_free(used_a);
	kernel_free(used_b);
	if (matches)
		*matches = n_matches;
	return entropy_similarity_from_sum(sum);
}
