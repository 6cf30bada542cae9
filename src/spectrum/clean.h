/*
 * clean.h: spectrum cleaning (the ms_entropy clean_spectrum pipeline).
 */
#ifndef CHEMECO_CLEAN_H
#define CHEMECO_CLEAN_H

#include "peak.h"

typedef enum PeakNormalization
{
	NORMALIZE_NONE,
	NORMALIZE_SUM,				/* intensities sum to 1 */
	NORMALIZE_MAX				/* base peak is 1 */
} PeakNormalization;

typedef struct CleanParams
{
	double		min_intensity_ratio;	/* drop peaks below ratio x base peak */
	double		merge_tolerance;	/* merge peaks closer than this (Da) */
	double		max_mz;			/* drop peaks with m/z >= max_mz; <= 0: keep all */
	PeakNormalization normalization;
} CleanParams;

/*
 * Clean peaks[0..n) (sorted by m/z) in place and return the new count:
 * drop peaks with intensity <= 0 or m/z >= max_mz, centroid (see clean.c),
 * drop noise below min_intensity_ratio of the base peak, normalise.
 */
extern int	peaks_clean(Peak *peaks, int n, const CleanParams *params);

/* Centroid in place (see clean.c); peaks sorted by m/z, intensities > 0. */
extern int	peaks_centroid(Peak *peaks, int n, double merge_tolerance);

#endif
