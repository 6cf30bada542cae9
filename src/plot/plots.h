/*
 * plots.h: the pictures chemeco draws, as standalone SVG (svg.h), from plain
 * arrays: a mirror plot of two spectra, PMF factor profiles and
 * contributions, and a box plot of a distribution.
 *
 * Sizes stay bounded whatever the input: a spectrum draws at most
 * PLOT_MAX_PEAKS peaks (its most intense), a series at most PLOT_MAX_POINTS
 * points (the lowest and highest of each run of samples, so spikes stay
 * visible), a box plot at most PLOT_MAX_OUTLIERS outliers (the most extreme);
 * captions say when something was left out.  Profiles refuse more than
 * PLOT_MAX_SPECIES species or PLOT_MAX_FACTORS factors (the caller reports).
 */
#ifndef CHEMECO_PLOTS_H
#define CHEMECO_PLOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "summary.h"
#include "svg.h"

#define PLOT_MAX_PEAKS 2000
#define PLOT_MAX_POINTS 2000
#define PLOT_MAX_OUTLIERS 1000
#define PLOT_MAX_SPECIES 400
#define PLOT_MAX_FACTORS 30

typedef struct PlotSpectrum
{
	const double *mz;			/* ascending */
	const double *intensity;
	size_t		n;
	const char *label;			/* e.g. "query", "library hit" */
} PlotSpectrum;

/*
 * top drawn upwards, bottom downwards, each scaled to its own base peak;
 * a peak with one of the other spectrum within tolerance (Da, > 0) is drawn
 * as matched.
 */
extern void plot_mirror(Svg *svg, const PlotSpectrum *top, const PlotSpectrum *bottom, double tolerance,
						const char *title);

/* One panel per factor: bars of h (k x n) scaled to the factor's largest, dots of percent (k x n, NaN: none). */
extern bool plot_profiles(Svg *svg, int k, int n, const double *h, const double *percent,
						  const char *const *species, const char *title);

/* One panel per factor: w (m x k) over the samples in the order given. */
extern bool plot_contributions(Svg *svg, int k, size_t m, const double *w, const char *const *samples,
							   const char *title);

/* Box plot: box q1..q3, median, whiskers to the last values inside the Tukey fences, outliers beyond. */
extern void plot_distribution(Svg *svg, const Summary *summary, const double *values, size_t n,
							  const char *title);

#endif
