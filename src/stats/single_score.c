/*
 * single_score.c: normalised, weighted sum of impact categories.
 */
#include "single_score.h"

#include <math.h>
#include <string.h>

#include "kernel.h"

static bool
code_equals(const ImpactValue *v, const char *code)
{
	return strlen(code) == v->code_len && memcmp(code, v->code, v->code_len) == 0;
}

ScoreStatus
single_score(const ScoreCategory *categories, size_t ncategories,
			 const ImpactValue *values, size_t nvalues, bool strict,
			 double *score, const char **bad, size_t *bad_len)
{
	const ImpactValue **by_category = kernel_alloc_array(ncategories + 1, sizeof(ImpactValue *));
	ScoreStatus status = SCORE_OK;
	double		sum = 0.0;

	memset(by_category, 0, (ncategories + 1) * sizeof(ImpactValue *));
	for (size_t i = 0; i < nvalues && status == SCORE_OK; i++)
	{
		size_t		c = 0;

		while (c < ncategories && !code_equals(&values[i], categories[c].code))
			c++;
		if (c == ncategories)
		{
			status = SCORE_UNKNOWN_CATEGORY;
			*bad = values[i].code;
			*bad_len = values[i].code_len;
		}
		else if (values[i].has_value)
			by_category[c] = &values[i];
	}
	for (size_t c = 0; c < ncategories && status == SCORE_OK; c++)
	{
		if (!categories[c].in_method)
			continue;
		if (by_category[c] != NULL)
			sum += by_category[c]->value / categories[c].normalization * categories[c].weighting;
		else if (strict)
		{
			status = SCORE_MISSING_CATEGORY;
			*bad = categories[c].code;
			*bad_len = strlen(categories[c].code);
		}
	}
	kernel_free(by_category);
	if (status != SCORE_OK)
		return status;
	*score = sum * 1e6;
	if (!isfinite(*score))
		return SCORE_OUT_OF_RANGE;
	return SCORE_OK;
}
