/*
 * ion_match.h: the m/z matching step of suspect screening: measured feature
 * m/z values against theoretical ion m/z values within a ppm window.
 *
 * API: ion_sort() orders ion indices by m/z once; ion_window() then finds,
 * for one feature, the run of sorted ions whose m/z lies within ppm of it
 * by two binary searches, so F features against I ions cost
 * O(I log I + F log I + matches), never F x I.
 * A feature m/z f matches an ion m/z t when |f - t| <= ppm 1e-6 t, i.e. when
 * the mass error (f - t) / t 1e6 is at most ppm in absolute value.
 */
#ifndef CHEMECO_ION_MATCH_H
#define CHEMECO_ION_MATCH_H

/* Fills order (n entries) with 0..n-1 sorted by mz ascending, ties by index. */
extern void ion_sort(const double *mz, int n, int *order);

/*
 * The ions matching feature_mz: positions [*first, *last) of sorted_mz (the
 * ion m/z values in ion_sort() order, ascending); returns *last - *first.
 * ppm must be > 0 and < 1e6, feature_mz finite and > 0.
 */
extern int	ion_window(const double *sorted_mz, int n, double feature_mz, double ppm, int *first, int *last);

#endif
