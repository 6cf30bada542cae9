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

/* Upper bound on peaks in one spectrum: 16 bytes each, so 256 MB. */
#define SPECTRUM_MAX_PEAKS (16 * 1024 * 1024)

/* Stable sort by ascending m/z. */
extern void peaks_sort_by_mz(Peak *peaks, int n);

/* True when every m/z is finite and > 0 and every intensity finite and >= 0. */
extern bool peaks_valid(const Peak *peaks, int n, int *bad_index);

/* Turn every -0 intensity into +0 (valid peaks; -0 == 0, but it would print as -0). */
extern void peaks_unsign_zeros(Peak *peaks, int n);

/*
 * The total order of spectra (valid peaks sorted by m/z): fewer peaks first,
 * then the m/z values compared in order, then the intensities in order.
 * Returns <0, 0 or >0.  Zero compares equal to -0.
 */
extern int	peaks_compare(const Peak *a, int na, const Peak *b, int nb);

#endif
