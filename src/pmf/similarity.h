/*
 * similarity.h: similarity of two source profiles (species vectors).
 */
#ifndef CHEMECO_PMF_SIMILARITY_H
#define CHEMECO_PMF_SIMILARITY_H

typedef enum ProfileSimilarity
{
	PROFILE_COSINE,				/* a.b / (|a| |b|) */
	PROFILE_PEARSON,			/* correlation coefficient */
	PROFILE_EUCLIDEAN			/* distance |a - b| (0 = identical) */
} ProfileSimilarity;

/* Returns NaN when undefined (a zero vector for cosine, a constant one for pearson). */
extern double profile_similarity(const double *a, const double *b, int n, ProfileSimilarity method);

#endif
