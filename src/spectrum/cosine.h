/*
 * cosine.h: greedy cosine and modified cosine similarity (matchms 0.33.0
 * CosineGreedy and ModifiedCosineGreedy).
 */
#ifndef CHEMECO_COSINE_H
#define CHEMECO_COSINE_H

#include "peak.h"

typedef struct CosineParams
{
	MzTolerance tolerance;		/* |mz_a - mz_b| <= tolerance at mz_a pairs two peaks */
	double		mz_power;
	double		intensity_power;
} CosineParams;

typedef struct CosineResult
{
	double		score;			/* in [0, 1] */
	int			matches;		/* number of peak pairs used; 0 when score is forced to 0 */
} CosineResult;

/* matchms CosineGreedy; a and b sorted by m/z. */
extern CosineResult cosine_greedy(const Peak *a, int na, const Peak *b, int nb,
								  const CosineParams *params);

/*
 * matchms ModifiedCosineGreedy: b's peaks may also match shifted by
 * precursor_a - precursor_b; when that shift is within the tolerance (at
 * precursor_a), plain cosine_greedy.
 */
extern CosineResult cosine_modified(const Peak *a, int na, double precursor_a,
									const Peak *b, int nb, double precursor_b,
									const CosineParams *params);

#endif
