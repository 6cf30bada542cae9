/*
 * similarity.c: cosine, Pearson and Euclidean comparison of profiles.
 */
#include "similarity.h"

#include <math.h>

static double
cosine_of(const double *a, const double *b, int n, double mean_a, double mean_b)
{
	double		ab = 0,
				aa = 0,
				bb = 0;

	for (int i = 0; i < n; i++)
	{
		double		x = a[i] - mean_a,
					y = b[i] - mean_b;

		ab += x * y;
		aa += x * x;
		bb += y * y;
	}
	if (aa == 0 || bb == 0)
		return NAN;
	/* rounding may push |r| a hair above 1 */
	return fmax(-1.0, fmin(1.0, ab / sqrt(aa * bb)));
}

double
profile_similarity(const double *a, const double *b, int n, ProfileSimilarity method)
{
	switch (method)
	{
		case PROFILE_COSINE:
			return cosine_of(a, b, n, 0, 0);
		case PROFILE_PEARSON:
			{
				double		mean_a = 0,
							mean_b = 0;

				for (int i = 0; i < n; i++)
				{
					mean_a += a[i];
					mean_b += b[i];
				}
				return n > 0 ? cosine_of(a, b, n, mean_a / n, mean_b / n) : NAN;
			}
		case PROFILE_EUCLIDEAN:
			{
				double		sum = 0;

				for (int i = 0; i < n; i++)
					sum += (a[i] - b[i]) * (a[i] - b[i]);
				return sqrt(sum);
			}
	}
	return NAN;
}
