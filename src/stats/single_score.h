/*
 * single_score.h: Ecobalyse/PEF single score from impact category values.
 *
 *   score = 10^6 * sum over the method's categories c of
 *           value[c] / normalization[c] * weighting[c]        (µPt)
 */
#ifndef CHEMECO_SINGLE_SCORE_H
#define CHEMECO_SINGLE_SCORE_H

#include <stdbool.h>
#include <stddef.h>

/* A known impact code; in_method says whether the method weights it. */
typedef struct ScoreCategory
{
	const char *code;
	bool		in_method;
	double		normalization;	/* > 0 when in_method */
	double		weighting;
} ScoreCategory;

/* One key of the input; has_value false for a JSON null. */
typedef struct ImpactValue
{
	const char *code;
	size_t		code_len;		/* code need not be NUL-terminated */
	bool		has_value;
	double		value;
} ImpactValue;

typedef enum ScoreStatus
{
	SCORE_OK,
	SCORE_UNKNOWN_CATEGORY,		/* *bad names the input key */
	SCORE_MISSING_CATEGORY,		/* *bad names the method's category (strict only) */
	SCORE_OUT_OF_RANGE			/* the sum is not finite */
} ScoreStatus;

/*
 * Keys that are known but not in the method are ignored; categories of the
 * method absent from the input (or null) are an error when strict, else 0.
 * The sum runs in category order, so it does not depend on key order.
 */
extern ScoreStatus single_score(const ScoreCategory *categories, size_t ncategories,
								const ImpactValue *values, size_t nvalues, bool strict,
								double *score, const char **bad, size_t *bad_len);

#endif
