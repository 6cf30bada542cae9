/*
 * search_score.h: the similarity behind chemeco.identify's modes (Flash
 * entropy search, Li et al. 2023, as ms_entropy computes it):
 *   direct        peaks match when |m/z difference| <= tolerance (identity
 *                 and open search; entropy similarity)
 *   neutral loss  peaks match when their neutral losses (precursor - m/z)
 *                 differ by at most the tolerance
 *   hybrid        direct pairs first, then, among the peaks left over,
 *                 neutral-loss pairs; each peak used at most once
 * The similarity is half the sum of the pair terms, clamped to [0, 1].
 */
#ifndef CHEMECO_SEARCH_SCORE_H
#define CHEMECO_SEARCH_SCORE_H

#include "peak.h"

typedef enum SearchScoring
{
	SCORE_DIRECT,
	SCORE_NEUTRAL_LOSS,
	SCORE_HYBRID
} SearchScoring;

/*
 * Prepare a spectrum for search_similarity: with precursor_removal >= 0,
 * drop the peaks at or above precursor - precursor_removal (FlashEntropySearch
 * drops them 1.6 Da below the precursor); then entropy_prepare, cleaning with
 * peaks merged within merge_tolerance.  *out is kernel_alloc'd.
 */
extern int	search_prepare(const Peak *peaks, int n, double precursor, double precursor_removal,
						   double merge_tolerance, Peak **out);

/*
 * Similarity of the prepared spectra a (the query: a ppm tolerance is taken
 * at a's fragment m/z, also for neutral losses; mz_tolerance_at) and b,
 * with precursors precursor_a and precursor_b (unused by SCORE_DIRECT).
 * *matches: the pairs matched.
 */
extern double search_similarity(SearchScoring scoring,
								 const Peak *a, int na, double precursor_a,
								 const Peak *b, int nb, double precursor_b,
								 MzTolerance tolerance, int *matches);

#endif
