/*
 * cosine.c: greedy cosine similarity, plain and modified.
 *
 * Follows matchms 0.33.0 (CosineGreedy, ModifiedCosineGreedy): candidate
 * pairs are all (i, j) with |a[i].mz - (b[j].mz + shift)| <= the tolerance
 * at a[i].mz (Da, or ppm of a[i].mz), scored by the
 * product of weighted intensities mz^mz_power * intensity^intensity_power;
 * they are taken greedily by descending score, each peak at most once.
 * matchms orders ties by a stable ascending sort that it then reverses, so
 * equal scores are taken last-candidate-first; we reproduce that order.
 * Weighted intensities are computed once per peak; with mz_power != 0 a
 * product can then differ from matchms' left-to-right one by an ulp.
 *
 * The score does not change when one spectrum's weights are all multiplied
 * by the same factor, so each spectrum's weights are scaled to a largest
 * weight in [1, 2) before any product or square: by an exact power of two
 * when every weight is a normal double (the score is then bit for bit the
 * unscaled one), else (a weight overflowed or underflowed, e.g. mz_power
 * 200 or intensities near 1e308) from their base-2 logarithms in long
 * double.  Every finite input thus gets its score.
 */
#include "cosine.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

typedef struct CandidatePair
{
	int			i;
	int			j;
	double		score;
	size_t		order;			/* position in matchms' candidate list */
} CandidatePair;

/* log2(mz^mz_power * intensity^intensity_power); -inf for a zero weight */
static long double
log2_weight(const Peak *p, const CosineParams *params)
{
	long double lw = params->mz_power * log2l(p->mz);

	if (params->intensity_power != 0)
		lw += p->intensity > 0 ? params->intensity_power * log2l(p->intensity) : -INFINITY;
	return lw;
}

/*
 * mz^mz_power * intensity^intensity_power (0^0 = 1, as numpy), scaled so
 * that the largest is in [1, 2); see the header comment.
 */
static double *
weighted_intensities(const Peak *p, int n, const CosineParams *params)
{
	double	   *w = kernel_alloc_array((size_t) n, sizeof(double));
	double		max = 0;
	bool		all_normal = true;

	for (int i = 0; i < n; i++)
	{
		double		mz_factor = params->mz_power == 0 ? 1.0 : pow(p[i].mz, params->mz_power);
		double		intensity_factor = params->intensity_power == 1 ? p[i].intensity :
			pow(p[i].intensity, params->intensity_power);

		w[i] = mz_factor * intensity_factor;
		if (w[i] > max)
			max = w[i];
		if (!isfinite(w[i]) || (w[i] < DBL_MIN && (p[i].intensity > 0 || params->intensity_power == 0)))
			all_normal = false;
	}
	if (all_normal)
	{
		int			e = max > 0 ? ilogb(max) : 0;

		for (int i = 0; i < n; i++)
			w[i] = ldexp(w[i], -e);
	}
	else
	{
		long double top = -INFINITY;

		for (int i = 0; i < n; i++)
			if (log2_weight(&p[i], params) > top)
				top = log2_weight(&p[i], params);
		for (int i = 0; i < n; i++)
			w[i] = top == -INFINITY ? 0.0 : (double) exp2l(log2_weight(&p[i], params) - floorl(top));
	}
	return w;
}

/*
 * The two-pointer walk of matchms' find_matches.  With out == NULL only
 * counts; otherwise appends to out starting at *count.
 */
static size_t
collect_pairs(const Peak *a, int na, const Peak *b, int nb, double shift,
			  MzTolerance tolerance, const double *wa, const double *wb,
			  CandidatePair *out, size_t count)
{
	int			lowest = 0;

	for (int i = 0; i < na; i++)
	{
		double		low = a[i].mz - mz_tolerance_at(tolerance, a[i].mz);
		double		high = a[i].mz + mz_tolerance_at(tolerance, a[i].mz);

		if ((i & 1023) == 0)
			kernel_check_interrupts();
		for (int j = lowest; j < nb; j++)
		{
			double		mz2 = b[j].mz + shift;

			if (mz2 > high)
				break;
			if (mz2 < low)
				lowest = j;
			else
			{
				if (out != NULL)
				{
					out[count].score = wa[i] * wb[j];
					out[count].i = i;
					out[count].j = j;
					out[count].order = count;
				}
				count++;
			}
		}
	}
	return count;
}

/* Descending score; among equal scores the later candidate first. */
static int
by_score_desc(const void *x, const void *y)
{
	const CandidatePair *p = x;
	const CandidatePair *q = y;

	if (p->score != q->score)
		return p->score < q->score ? 1 : -1;
	return p->order < q->order ? 1 : -1;
}

static double
norm(const double *w, int n)
{
	double		sum = 0;

	for (int i = 0; i < n; i++)
		sum += w[i] * w[i];
	return sqrt(sum);
}

static CosineResult
score_pairs(const Peak *a, int na, const Peak *b, int nb,
			const double *shifts, int n_shifts, const CosineParams *params)
{
	CosineResult result = {0.0, 0};
	size_t		n_pairs = 0;
	CandidatePair *pairs;
	double	   *wa,
			   *wb;
	char	   *used_a;
	char	   *used_b;
	double		denominator;

	if (na == 0 || nb == 0)
		return result;
	for (int s = 0; s < n_shifts; s++)
		n_pairs = collect_pairs(a, na, b, nb, shifts[s], params->tolerance, NULL, NULL, NULL, n_pairs);
	if (n_pairs == 0)
		return result;

	wa = weighted_intensities(a, na, params);
	wb = weighted_intensities(b, nb, params);
	pairs = kernel_alloc_array(n_pairs, sizeof(CandidatePair));
	n_pairs = 0;
	for (int s = 0; s < n_shifts; s++)
		n_pairs = collect_pairs(a, na, b, nb, shifts[s], params->tolerance, wa, wb, pairs, n_pairs);
	qsort(pairs, n_pairs, sizeof(CandidatePair), by_score_desc);

	used_a = kernel_alloc((size_t) na);
	used_b = kernel_alloc((size_t) nb);
	memset(used_a, 0, (size_t) na);
	memset(used_b, 0, (size_t) nb);
	for (size_t k = 0; k < n_pairs; k++)
	{
		if (used_a[pairs[k].i] || used_b[pairs[k].j])
			continue;
		used_a[pairs[k].i] = used_b[pairs[k].j] = 1;
		result.score += pairs[k].score;
		result.matches++;
	}
	kernel_free(used_b);
	kernel_free(used_a);
	kernel_free(pairs);

	denominator = norm(wa, na) * norm(wb, nb);
	kernel_free(wb);
	kernel_free(wa);
	if (!(denominator > 0) || !isfinite(result.score))
	{
		/* no weight at all: no similarity, and no pair counts as used */
		result.score = 0.0;
		result.matches = 0;
	}
	else
		result.score /= denominator;
	/* rounding can push a perfect match a hair past 1 */
	if (result.score > 1.0)
		result.score = 1.0;
	return result;
}

CosineResult
cosine_greedy(const Peak *a, int na, const Peak *b, int nb, const CosineParams *params)
{
	const double no_shift = 0.0;

	return score_pairs(a, na, b, nb, &no_shift, 1, params);
}

CosineResult
cosine_modified(const Peak *a, int na, double precursor_a,
				const Peak *b, int nb, double precursor_b,
				const CosineParams *params)
{
	const double shifts[2] = {0.0, precursor_a - precursor_b};

	/* matchms >= 0.33.0: a shift within the tolerance is no shift */
	if (fabs(shifts[1]) <= mz_tolerance_at(params->tolerance, precursor_a))
		return cosine_greedy(a, na, b, nb, params);
	return score_pairs(a, na, b, nb, shifts, 2, params);
}
