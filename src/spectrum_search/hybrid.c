/*
 * hybrid.c: hybrid entropy similarity (see hybrid.h).
 */
#include "hybrid.h"

#include <math.h>
#include <stdbool.h>

#include "kernel.h"

static double
pair_term(double x, double y)
{
	double		sum = x + y;

	return (sum > 0 ? sum * log2(sum) : 0.0) - (x > 0 ? x * log2(x) : 0.0) - (y > 0 ? y * log2(y) : 0.0);
}

double
entropy_hybrid_similarity_prepared(const Peak *a, int na, double precursor_a,
								   const Peak *b, int nb, double precursor_b,
								   double tolerance, int *matches)
{
	bool	   *used_a = kernel_alloc_array((size_t) na + 1, sizeof(bool));
	bool	   *used_b = kernel_alloc_array((size_t) nb + 1, sizeof(bool));
	double		sum = 0;
	int			n_matches = 0;
	int			i = 0,
				j = 0;

	for (int k = 0; k < na; k++)
		used_a[k] = false;
	for (int k = 0; k < nb; k++)
		used_b[k] = false;

	while (i < na && j < nb)
	{
		double		difference = a[i].mz - b[j].mz;

		if (difference < -tolerance)
			i++;
		else if (difference > tolerance)
			j++;
		else
		{
			sum += pair_term(a[i].intensity, b[j].intensity);
			used_a[i++] = used_b[j++] = true;
			n_matches++;
		}
	}

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
			sum += pair_term(a[i].intensity, b[j].intensity);
			i--;
			j--;
			n_matches++;
		}
	}
	kernel_free(used_a);
	kernel_free(used_b);
	if (matches)
		*matches = n_matches;
	sum /= 2;
	return sum < 0 ? 0.0 : (sum > 1 ? 1.0 : sum);
}
