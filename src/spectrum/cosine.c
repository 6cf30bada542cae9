/*
 * cosine.c: greedy cosine similarity, plain and modified.
 *
 * Follows matchms (CosineGreedy, ModifiedCosine): candidate pairs are all
 * (i, j) with |a[i].mz - (b[j].mz + shift)| <= tolerance, scored by the
 * product of weighted intensities mz^mz_power * intensity^intensity_power;
 * they are taken greedily by descending score, each peak at most once.
 * matchms orders ties by a stable ascending sort that it then reverses, so
 * equal scores are taken last-candidate-first; we reproduce that order.
 * Weighted intensities are computed once per peak; with mz_power != 0 a
 * product can then differ from matchms' left-to-right one by an ulp.
 */
#include "cosine.h"

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

/* mz^mz_power * intensity^intensity_power, skipping pow() for the defaults */
static double *
weighted_intensities(const Peak *p, int n, const CosineParams *params)
{
	double	   *w = kernel_alloc_array((size_t) n, sizeof(double));

	for (int i = 0; i < n; i++)
	{
		double		mz_factor = params->mz_power == 0 ? 1.0 : pow(p[i].mz, params->mz_power);
		double		intensity_factor = params->intensity_power == 1 ? p[i].intensity :
			pow(p[i].intensity, params->intensity_power);

		w[i] = mz_factor * intensity_factor;
	}
	return w;
}

/*
 * The two-pointer walk of matchms' find_matches.  With out == NULL only
 * counts; otherwise appends to out starting at *count.
 */
static size_t
collect_pairs(const Peak *a, int na, const Peak *b, int nb, double shift,
			  double tolerance, const double *wa, const double *wb,
			  CandidatePair *out, size_t count)
{
	int			lowest = 0;

	for (int i = 0; i < na; i++)
	{
		double		low = a[i].mz - tolerance;
		double		high = a[i].mz + tolerance;

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
		result.score = 0.0;
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

	return score_pairs(a, na, b, nb, shifts, 2, params);
}
