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
	MzTolerance merge;			/* merge neighbours this close (ppm: of the higher m/z) */
	double		min_mz;			/* drop peaks with m/z < min_mz; <= 0: keep all */
	double		max_mz;			/* drop peaks with m/z >= max_mz; <= 0: keep all */
	int			max_peak_num;	/* keep only this many most intense peaks; <= 0: all */
	PeakNormalization normalization;
} CleanParams;

/* FlashEntropySearch's default precursor_ions_removal_da */
#define CLEAN_PRECURSOR_REMOVAL_DA 1.6

/*
 * FlashEntropySearch's precursor removal: also drop peaks at or above
 * precursor_mz - removal (the precursor peak and its isotopes); the lower
 * of that and max_mz wins, and a cut at or below 0 drops every peak.
 */
extern void clean_params_remove_precursor(CleanParams *params, double precursor_mz, double removal);

/* ms_entropy's clean_spectrum defaults for matching at this tolerance:
 * 1% noise cut, merge within 2 x tolerance, sum 1; no m/z or count limit. */
extern CleanParams clean_params_for_matching(MzTolerance tolerance);

/*
 * Clean peaks[0..n) (sorted by m/z) in place and return the new count:
 * drop peaks with intensity <= 0 or m/z outside [min_mz, max_mz),
 * centroid (see clean.c), drop noise below min_intensity_ratio of the base
 * peak, keep the max_peak_num most intense, normalise.  Returns -1 when a
 * merged intensity exceeds the double range (only possible with
 * NORMALIZE_NONE); peaks[] is then garbage.
 */
extern int	peaks_clean(Peak *peaks, int n, const CleanParams *params);

/* Centroid in place (see clean.c); peaks sorted by m/z, intensities > 0. */
extern int	peaks_centroid(Peak *peaks, int n, MzTolerance merge);

#endif
