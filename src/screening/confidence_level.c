/*
 * confidence_level.c: Schymanski levels 2a/3/4/5 of one feature's candidates.
 */
#include "confidence_level.h"

static const char *const level_names[] = {
	[LEVEL_2A] = "2a",
	[LEVEL_3] = "3",
	[LEVEL_4] = "4",
	[LEVEL_5] = "5",
};

const char *
confidence_level_name(ConfidenceLevel level)
{
	return level_names[level];
}

void
candidate_levels(const double *isotope_score, const double *ms2_score, const int *suspect, int n,
				 const LevelThresholds *thresholds, ConfidenceLevel *levels)
{
	int			matched_suspect = -1;
	int			ambiguous = 0;

	/* NaN compares false, so a missing score supports nothing */
	for (int i = 0; i < n; i++)
		if (ms2_score[i] >= thresholds->ms2_match)
		{
			if (matched_suspect >= 0 && suspect[i] != matched_suspect)
				ambiguous = 1;
			matched_suspect = suspect[i];
		}
	for (int i = 0; i < n; i++)
	{
		if (ms2_score[i] >= thresholds->ms2_match && !ambiguous)
			levels[i] = LEVEL_2A;
		else if (ms2_score[i] >= thresholds->ms2_evidence)
			levels[i] = LEVEL_3;
		else if (isotope_score[i] >= thresholds->isotope)
			levels[i] = LEVEL_4;
		else
			levels[i] = LEVEL_5;
	}
}
