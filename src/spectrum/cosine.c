/*
 * cosine.c: greedy cosine similarity, plain and modified.
 *
 * Follows matchms (CosineGreedy, ModifiedCosine): candidate pairs are all
 * (i, j) with |a[i].mz - (b[j].mz + shift)| <= tolerance, scored by the
 * product of weighted intensities mz^mz_power * intensity^intensity_power;
 * they are taken greedily by descending score, each peak at most once.
 * matchms orders ties by a stable ascending sort that it then reverses, so
 * equal scores are taken last-candidate-first; we reproduce that order.
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

static double
weighted_intensity(const Peak *p, const CosineParams *params)
{
	return pow(p->mz, params->mz_power) * pow(p->intensity, params->intensity_power);
}

/*
 * The two-pointer walk of matchms' find_matches.  With out == NULL only
 * counts; otherwise appends to out starting at *count.
 */
static size_t
collect_pairs(const Peak *a, int na, const Peak *b, int nb, double shift,
			  const CosineParams *params, CandidatePair *out, size_t count)
{
	int			lowest = 0;

	for (int i = 0; i < na; i++)
	{
		double		low = a[i].mz - params->tolerance;
		double		high = a[i].mz + params->tolerance;

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
					/* same multiplication order as matchms */
					out[count].score = pow(a[i].mz, params->mz_power) *
						pow(a[i].intensity, params->intensity_power) *
						pow(b[j].mz, params->mz_power) *
						pow(b[j].intensity, params->intensity_power);
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
norm(const Peak *p, int n, const CosineParams *params)
{
	double		sum = 0;

	for (int i = 0; i < n; i++)
	{
		double		w = weighted_intensity(&p[i], params);

		sum += w * w;
	}
	return sqrt(sum);
}

static CosineResult
score_pairs(const Peak *a, int na, const Peak *b, int nb,
			const double *shifts, int n_shifts, const CosineParams *params)
{
	CosineResult result = {0.0, 0};
	size_t		n_pairs = 0;
	CandidatePair *pairs;
	char	   *used_a;
	char	   *used_b;
	double		denominator;

	if (na == 0 || nb == 0)
		return result;
	for (int s = 0; s < n_shifts; s++)
		n_pairs = collect_pairs(a, na, b, nb, shifts[s], params, NULL, n_pairs);
	if (n_pairs == 0)
		return result;

	pairs = kernel_alloc_array(n_pairs, sizeof(CandidatePair));
	n_pairs = 0;
	for (int s = 0; s < n_shifts; s++)
		n_pairs = collect_pairs(a, na, b, nb, shifts[s], params, pairs, n_pairs);
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

	denominator = norm(a, na, params) * norm(b, nb, params);
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
