/*
 * peak.h: centroid peaks, the unit every spectrum kernel works on.
 */
#ifndef CHEMECO_PEAK_H
#define CHEMECO_PEAK_H

#include <stdbool.h>

typedef struct Peak
{
	double		mz;
	double		intensity;
} Peak;

/*
 * A matching window: two m/z values match when they differ by at most
 * mz_tolerance_at(t, reference m/z), that is value Da, or value ppm of the
 * reference m/z (each user of a tolerance says which m/z is the reference).
 */
typedef struct MzTolerance
{
	double		value;
	bool		ppm;			/* value in ppm (else Da) */
} MzTolerance;

static inline MzTolerance
mz_tolerance_da(double da)
{
	MzTolerance t = {da, false};

	return t;
}

static inline double
mz_tolerance_at(MzTolerance t, double reference_mz)
{
	return t.ppm ? reference_mz * t.value * 1e-6 : t.value;
}

/* Upper bound on peaks in one spectrum: 16 bytes each, so 256 MB. */
#define SPECTRUM_MAX_PEAKS (16 * 1024 * 1024)

/* Stable sort by ascending m/z. */
extern void peaks_sort_by_mz(Peak *peaks, int n);

/* True when every m/z is finite and > 0 and every intensity finite and >= 0. */
extern bool peaks_valid(const Peak *peaks, int n, int *bad_index);

/* Turn every -0 intensity into +0 (valid peaks; -0 == 0, but it would print as -0). */
extern void peaks_unsign_zeros(Peak *peaks, int n);

/*
 * e with 2^e <= the largest intensity < 2^(e+1) (0 when all are 0):
 * ldexp(intensity, -e) is exact (barring results below DBL_MIN) and brings
 * the largest intensity into [1, 2), so sums and squares of the scaled
 * intensities neither overflow nor lose the large ones to underflow.
 */
extern int	peaks_intensity_exponent(const Peak *peaks, int n);

/*
 * The total order of spectra (valid peaks sorted by m/z): fewer peaks first,
 * then the m/z values compared in order, then the intensities in order.
 * Returns <0, 0 or >0.  Zero compares equal to -0.
 */
extern int	peaks_compare(const Peak *a, int na, const Peak *b, int nb);

#endif
