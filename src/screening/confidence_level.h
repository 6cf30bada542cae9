/*
 * confidence_level.h: Schymanski et al. (2014) identification confidence
 * levels of screening candidates, from their scores and thresholds.
 *
 * API: candidate_levels() assigns the levels of all candidates of one
 * feature at once, because level 2a needs the MS/MS match to be
 * unambiguous among the feature's suspects:
 *   2a  ms2_score >= ms2_match and no other suspect of the feature reaches ms2_match
 *   3   ms2_score >= ms2_evidence (including an ambiguous 2a)
 *   4   isotope_score >= isotope
 *   5   otherwise (exact mass only)
 * A missing score is NaN and supports nothing.
 */
#ifndef CHEMECO_CONFIDENCE_LEVEL_H
#define CHEMECO_CONFIDENCE_LEVEL_H

typedef enum ConfidenceLevel
{
	LEVEL_2A,
	LEVEL_3,
	LEVEL_4,
	LEVEL_5
} ConfidenceLevel;

typedef struct LevelThresholds
{
	double		ms2_match;		/* level 2a */
	double		ms2_evidence;	/* level 3 */
	double		isotope;		/* level 4 */
} LevelThresholds;

/* "2a", "3", "4" or "5". */
extern const char *confidence_level_name(ConfidenceLevel level);

/*
 * levels[i] of the n candidates of one feature; suspect[i] identifies the
 * suspect of candidate i (one suspect may appear under several adducts).
 */
extern void candidate_levels(const double *isotope_score, const double *ms2_score, const int *suspect, int n,
							 const LevelThresholds *thresholds, ConfidenceLevel *levels);

#endif
