/*
 * entropy.c: spectral entropy and entropy similarity.
 *
 * Li et al. 2021 (Nat. Methods 18:1524), as computed by the authors'
 * ms_entropy package, in double precision:
 *   similarity = 1/2 sum over matched peak pairs of f(a + b) - f(a) - f(b),
 *   f(x) = x log2 x,
 * which equals 1 - (2 S_AB - S_A - S_B) / ln 4 when every peak is matched.
 * Sums of raw intensities are taken after an exact power-of-two scaling
 * (peaks_intensity_exponent), so intensities up to the largest double work.
 */
#include "entropy.h"

#include <math.h>
#include <string.h>

#include "clean.h"
#include "kernel.h"

/* The weighting only applies to spectra with entropy below this. */
#define ENTROPY_WEIGHT_CUTOFF 3.0

double
spectral_entropy(const Peak *peaks, int n)
{
	int			exponent = peaks_intensity_exponent(peaks, n);
	double		total = 0,
				entropy = 0;

	for (int i = 0; i < n; i++)
		total += ldexp(peaks[i].intensity, -exponent);
	if (!(total > 0))
		return 0.0;
	for (int i = 0; i < n; i++)
	{
		double		p = ldexp(peaks[i].intensity, -exponent) / total;

		if (p > 0)
			entropy -= p * log(p);
	}
	return entropy;
}

static void
normalize_sum(Peak *peaks, int n)
{
	int			exponent = peaks_intensity_exponent(peaks, n);
	double		total = 0;

	for (int i = 0; i < n; i++)
		total += (peaks[i].intensity = ldexp(peaks[i].intensity, -exponent));
	if (total > 0)
		for (int i = 0; i < n; i++)
			peaks[i].intensity /= total;
}

int
entropy_prepare(const Peak *peaks, int n, const CleanParams *clean, bool weighted,
				Peak **out)
{
	Peak	   *copy = kernel_alloc_array((size_t) (n > 0 ? n : 1), sizeof(Peak));

	if (n > 0)
		memcpy(copy, peaks, sizeof(Peak) * (size_t) n);
	if (clean)
	{
		CleanParams params = *clean;

		params.normalization = NORMALIZE_SUM;	/* never overflows */
		n = peaks_clean(copy, n, &params);
	}
	else
		normalize_sum(copy, n);

	if (weighted)
	{
		double		entropy = spectral_entropy(copy, n);

		if (entropy < ENTROPY_WEIGHT_CUTOFF)
		{
			double		weight = 0.25 + 0.25 * entropy;

			for (int i = 0; i < n; i++)
				copy[i].intensity = pow(copy[i].intensity, weight);
			normalize_sum(copy, n);
		}
	}
	*out = copy;
	return n;
}

double
entropy_pair_term(double x, double y)
{
	return x_log2_x(x + y) - x_log2_x(x) - x_log2_x(y);
}

double
entropy_walk(const Peak *a, int na, const Peak *b, int nb, MzTolerance tolerance,
			 bool *used_a, bool *used_b, int *matches)
{
	double		sum = 0;
	int			i = 0,
				j = 0,
				n_matches = 0;

	while (i < na && j < nb)
	{
		double		difference = a[i].mz - b[j].mz;
		double		window = mz_tolerance_at(tolerance, a[i].mz);

		if (difference < -window)
			i++;
		else if (difference > window)
			j++;
		else
		{
			sum += entropy_pair_term(a[i].intensity, b[j].intensity);
			if (used_a)
				used_a[i] = used_b[j] = true;
			n_matches++;
			i++;
			j++;
		}
	}
	if (matches)
		*matches = n_matches;
	return sum;
}

double
entropy_similarity_from_sum(double sum)
{
	sum /= 2;
	/* clamp rounding noise; the exact value lies in [0, 1] */
	return sum < 0 ? 0.0 : (sum > 1 ? 1.0 : sum);
}

double
entropy_similarity_prepared(const Peak *a, int na, const Peak *b, int nb,
							MzTolerance tolerance, int *matches)
{
	return entropy_similarity_from_sum(entropy_walk(a, na, b, nb, tolerance, NULL, NULL, matches));
}

int
entropy_prepare_for_matching(const Peak *peaks, int n, double tolerance_da, Peak **out)
{
	CleanParams clean = clean_params_for_matching(mz_tolerance_da(tolerance_da));

	return entropy_prepare(peaks, n, &clean, true, out);
}

double
entropy_similarity(const Peak *a, int na, const Peak *b, int nb,
				   MzTolerance tolerance, bool weighted, bool clean)
{
	CleanParams params = clean_params_for_matching(tolerance);
	Peak	   *pa,
			   *pb;
	double		similarity;

	na = entropy_prepare(a, na, clean ? &params : NULL, weighted, &pa);
	nb = entropy_prepare(b, nb, clean ? &params : NULL, weighted, &pb);
	similarity = entropy_similarity_prepared(pa, na, pb, nb, tolerance, NULL);
	kernel_free(pb);
	kernel_free(pa);
	return similarity;
}
