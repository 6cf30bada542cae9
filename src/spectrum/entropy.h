/*
 * entropy.h: spectral entropy and entropy similarity (Li et al. 2021).
 */
#ifndef CHEMECO_ENTROPY_H
#define CHEMECO_ENTROPY_H

#include "peak.h"

/* Shannon entropy (natural log) of the intensities normalised to sum 1. */
extern double spectral_entropy(const Peak *peaks, int n);

/*
 * Prepare a copy of a spectrum for entropy_similarity_prepared: with clean,
 * the ms_entropy pipeline (merge within 2 x tolerance, 1% noise cut);
 * always normalised to sum 1; with weighted, intensities raised to
 * 0.25 + 0.25 S when S < 3 and renormalised.  Returns the peak count;
 * *out is kernel_alloc'd.
 */
extern int	entropy_prepare(const Peak *peaks, int n, double tolerance,
							bool weighted, bool clean, Peak **out);

/* f(x + y) - f(x) - f(y) with f(x) = x log2 x: one matched pair's share, doubled. */
extern double entropy_pair_term(double x, double y);

/*
 * The two-pointer walk in m/z order: the sum of entropy_pair_term over the
 * pairs it matches.  With used_a and used_b (both or neither), marks the
 * matched peaks.
 */
extern double entropy_walk(const Peak *a, int na, const Peak *b, int nb, double tolerance,
						   bool *used_a, bool *used_b, int *matches);

/*
 * The same walk with tolerance_ppm > 0: peaks match when |a.mz - b.mz| <=
 * a.mz x tolerance_ppm x 1e-6 (ms_entropy's ms2_tolerance_in_ppm, relative
 * to the first spectrum's peak); with tolerance_ppm <= 0 it is entropy_walk.
 */
extern double entropy_walk_ppm(const Peak *a, int na, const Peak *b, int nb, double tolerance,
							   double tolerance_ppm, bool *used_a, bool *used_b, int *matches);

/* Half a pair-term sum, clamped to [0, 1]. */
extern double entropy_similarity_from_sum(double sum);

/* Similarity of two prepared spectra: one two-pointer walk in m/z order. */
extern double entropy_similarity_prepared(const Peak *a, int na,
										  const Peak *b, int nb,
										  double tolerance, int *matches);

extern double entropy_similarity(const Peak *a, int na, const Peak *b, int nb,
								 double tolerance, bool weighted, bool clean);

#endif
