/*
 * isotope.h: isotope patterns of ions, and how well a measured cluster
 * matches one.
 *
 * API: isotope_pattern() convolves the isotope distributions of an ion's
 * elements (each element's n atoms by repeated squaring, explicit isotopes
 * as fixed masses) and returns the peaks sorted by m/z = mass / |charge|
 * (the plain mass for charge 0), intensities as fractions of the total
 * abundance.  Peaks closer than merge_mz (in m/z) are merged at their
 * intensity-weighted m/z (0.5 gives the nominal cluster M, M+1, ... of a
 * singly charged ion); peaks below min_intensity * the base peak are
 * dropped.  Configurations below max(ISOTOPE_PRUNE, 1e-5 min_intensity)
 * probability are pruned at every step and peaks within
 * ISOTOPE_FINE_MERGE u are always merged.
 * isotope_score() and mass_error_ppm() are described below.
 */
#ifndef CHEMECO_ISOTOPE_H
#define CHEMECO_ISOTOPE_H

#include "formula.h"
#include "peak.h"

#define ISOTOPE_PRUNE 1e-12
#define ISOTOPE_FINE_MERGE 1e-6
#define ISOTOPE_MAX_PRODUCTS 4000000

/* The ion must have no negative count.  Returns the number of peaks; *peaks
 * is kernel_alloc'ed (free with kernel_free), never NULL.  Returns -1 (and
 * *peaks NULL) when one convolution step would form more than
 * ISOTOPE_MAX_PRODUCTS configurations (heavy polyisotopic elements in large
 * counts at a fine merge_mz): the caller reports it as too large. */
extern int	isotope_pattern(const Formula *ion, double merge_mz, double min_intensity, Peak **peaks);

/*
 * Score in [0, 1] of an observed cluster against a theoretical pattern
 * (docs/reference/screening.md).  Each theoretical peak is matched to the
 * nearest observed peak within ppm.  The theoretical base peak must match
 * (else 0); intensities are then relative to the base peaks (t_i, o_i) and
 * m/z deviations d_i (ppm) are taken after removing the base peak's offset.
 * Every other theoretical peak scores
 *   f_i = exp(-1/2 [(d_i / (ppm / 2))^2 + ((o_i - t_i) / (intensity_error t_i))^2]),
 * the Gaussian likelihood of the deviations relative to its maximum (m/z
 * sigma ppm / 2, relative intensity sigma intensity_error), 0 when unmatched, and the score is sum(t_i f_i) / sum(t_i) over them (1
 * for a one-peak pattern).  Observed peaks without a theoretical partner
 * are ignored.  Both arrays sorted by m/z (as in a spectrum); requires
 * ppm > 0, intensity_error > 0 and ntheo > 0.
 */
extern double isotope_score(const Peak *observed, int nobs, const Peak *theoretical, int ntheo,
							double ppm, double intensity_error);

/* (observed - theoretical) / theoretical * 1e6. */
extern double mass_error_ppm(double observed, double theoretical);

#endif
