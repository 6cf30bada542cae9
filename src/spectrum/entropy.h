/*
 * entropy.h: spectral entropy and entropy similarity (Li et al. 2021).
 */
#ifndef CHEMECO_ENTROPY_H
#define CHEMECO_ENTROPY_H

#include <math.h>

#include "clean.h"
#include "peak.h"

/*
 * f(x) = x log2 x, the term of a peak of intensity x.  Inline here so that
 * the walk and the Flash search compute every term as the same double.
 */
static inline double
x_log2_x(double x)
{
	return x > 0 ? x * log2(x) : 0.0;
}

/* Shannon entropy (natural log) of the intensities normalised to sum 1. */
extern double spectral_entropy(const Peak *peaks, int n);

/*
 * Prepare a copy of a spectrum for entropy_similarity_prepared: with clean
 * (non-NULL), peaks_clean with those parameters (ms_entropy's are
 * clean_params_for_matching(tolerance), to which FlashEntropySearch adds
 * max_mz = precursor - CLEAN_PRECURSOR_REMOVAL_DA); always normalised to
 * sum 1; with weighted, intensities raised to 0.25 + 0.25 S when S < 3 and
 * renormalised.  Returns the peak count; *out is kernel_alloc'd.
 */
extern int	entropy_prepare(const Peak *peaks, int n, const CleanParams *clean,
							bool weighted, Peak **out);

/* entropy_prepare weighted, with ms_entropy's cleaning for matching at tolerance_da (Da). */
extern int	entropy_prepare_for_matching(const Peak *peaks, int n, double tolerance_da, Peak **out);

/* f(x + y) - f(x) - f(y) with f(x) = x log2 x: one matched pair's share, doubled. */
extern double entropy_pair_term(double x, double y);

/*
 * The two-pointer walk in m/z order: the sum of entropy_pair_term over the
 * pairs it matches, a[i] and b[j] matching when |a[i].mz - b[j].mz| <= the
 * tolerance at a[i].mz (ms_entropy's ms2_tolerance_in_ppm is relative to
 * the first spectrum's peak).  With used_a and used_b (both or neither),
 * marks the matched peaks.
 */
extern double entropy_walk(const Peak *a, int na, const Peak *b, int nb, MzTolerance tolerance,
						   bool *used_a, bool *used_b, int *matches);

/* Half a pair-term sum, clamped to [0, 1]. */
extern double entropy_similarity_from_sum(double sum);

/* Similarity of two prepared spectra: one two-pointer walk in m/z order. */
extern double entropy_similarity_prepared(const Peak *a, int na,
										  const Peak *b, int nb,
										  MzTolerance tolerance, int *matches);

/* The whole pipeline; clean with clean_params_for_matching(tolerance). */
extern double entropy_similarity(const Peak *a, int na, const Peak *b, int nb,
								 MzTolerance tolerance, bool weighted, bool clean);

#endif
