/*
 * cosine.h: greedy cosine and modified cosine similarity (matchms semantics).
 */
#ifndef CHEMECO_COSINE_H
#define CHEMECO_COSINE_H

#include "peak.h"

typedef struct CosineParams
{
	double		tolerance;		/* |delta m/z| <= tolerance pairs two peaks */
	double		mz_power;
	double		intensity_power;
} CosineParams;

typedef struct CosineResult
{
	double		score;			/* in [0, 1] */
	int			matches;		/* number of peak pairs used */
} CosineResult;

/* matchms CosineGreedy; a and b sorted by m/z. */
extern CosineResult cosine_greedy(const Peak *a, int na, const Peak *b, int nb,
								  const CosineParams *params);

/* matchms ModifiedCosine: b's peaks may also match shifted by precursor_a - precursor_b. */
extern CosineResult cosine_modified(const Peak *a, int na, double precursor_a,
									const Peak *b, int nb, double precursor_b,
									const CosineParams *params);

#endif
