/*
 * pg_single_score.c: single_score(impacts jsonb, method text, strict boolean).
 *
 * The method's normalisation and weighting come from chemeco.impact_category
 * (read once per query and call site through SPI, hence STABLE); the
 * arithmetic is single_score.c.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "pg_numeric.h"

#include "single_score.h"

PG_FUNCTION_INFO_V1(impact_single_score);

typedef struct MethodCache
{
	char	   *method;
	ScoreCategory *categories;	/* every known code; in_method for this method's */
	size_t		ncategories;
} MethodCache;

static int
find_code(const MethodCache *cache, const char *code)
{
	for (size_t i = 0; i < cache->ncategories; i++)
		if (strcmp(cache->categories[i].code, code) == 0)
			return (int) i;
	return -1;
}

/* Known codes are the table's codes and its method names (Ecobalyse reports "pef" and "ecs" beside the categories). */
static MethodCache *
load_method(const char *method, MemoryContext context)
{
	MethodCache *cache = MemoryContextAllocZero(context, sizeof(MethodCache));
	bool		method_found = false;

	SPI_connect();
	if (SPI_execute("SELECT method, code, normalization, weighting FROM chemeco.impact_category"
					" ORDER BY code, method", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "single_score: cannot read chemeco.impact_category");
	cache->method = MemoryContextStrdup(context, method);
	cache->categories = MemoryContextAllocZero(context, (2 * SPI_processed + 1) * sizeof(ScoreCategory));
	for (uint64 row = 0; row < SPI_processed; row++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[row];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *row_method = SPI_getvalue(tuple, desc, 1);
		char	   *code = SPI_getvalue(tuple, desc, 2);
		int			found;

		for (int k = 0; k < 2; k++)
		{
			const char *name = k == 0 ? code : row_method;

			if (name != NULL && find_code(cache, name) < 0)
				cache->categories[cache->ncategories++].code = MemoryContextStrdup(context, name);
		}
		if (row_method == NULL || code == NULL || strcmp(row_method, method) != 0)
			continue;
		method_found = true;
		found = find_code(cache, code);
		cache->categories[found].in_method = true;
		cache->categories[found].normalization =
			DatumGetFloat8(SPI_getbinval(tuple, desc, 3, &(bool) {false}));
		cache->categories[found].weighting =
			DatumGetFloat8(SPI_getbinval(tuple, desc, 4, &(bool) {false}));
	}
	SPI_finish();
	if (!method_found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("single_score: unknown method \"%s\"", method),
				 errhint("Methods are listed in chemeco.impact_category (shipped: 'pef', 'ecs').")));
	return cache;
}

static ImpactValue *
impact_values(Jsonb *impacts, size_t *nvalues)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken token;
	ImpactValue *values;
	size_t		n = 0;

	if (!JB_ROOT_IS_OBJECT(impacts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("single_score: impacts must be a JSON object of category: value")));
	values = palloc0((JB_ROOT_COUNT(impacts) + 1) * sizeof(ImpactValue));
	it = JsonbIteratorInit(&impacts->root);
	while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (token == WJB_KEY)
		{
			values[n].code = v.val.string.val;
			values[n].code_len = v.val.string.len;
		}
		else if (token == WJB_VALUE)
		{
			if (v.type == jbvNumeric)
			{
				values[n].has_value = true;
				values[n].value = chemeco_numeric_float8(v.val.numeric,
														 psprintf("single_score: impact \"%.*s\"",
																  (int) values[n].code_len, values[n].code));
			}
			else if (v.type != jbvNull)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("single_score: the value of impact \"%.*s\" is not a number",
								(int) values[n].code_len, values[n].code)));
			n++;
		}
	}
	*nvalues = n;
	return values;
}

Datum
impact_single_score(PG_FUNCTION_ARGS)
{
	Jsonb	   *impacts = PG_GETARG_JSONB_P(0);
	char	   *method = text_to_cstring(PG_GETARG_TEXT_PP(1));
	bool		strict = PG_GETARG_BOOL(2);
	MethodCache *cache = fcinfo->flinfo->fn_extra;
	ImpactValue *values;
	size_t		nvalues;
	double		score = 0;
	const char *bad = NULL;
	size_t		bad_len = 0;

	if (cache == NULL || strcmp(cache->method, method) != 0)
	{
		cache = load_method(method, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = cache;
	}
	values = impact_values(impacts, &nvalues);
	switch (single_score(cache->categories, cache->ncategories, values, nvalues, strict,
						 &score, &bad, &bad_len))
	{
		case SCORE_OK:
			break;
		case SCORE_UNKNOWN_CATEGORY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("single_score: unknown impact category \"%.*s\"", (int) bad_len, bad),
					 errhint("Known categories are the codes in chemeco.impact_category.")));
			break;
		case SCORE_MISSING_CATEGORY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("single_score: impact category \"%.*s\" of method \"%s\" is missing",
							(int) bad_len, bad, method),
					 errhint("Pass strict => false to count missing categories as 0.")));
			break;
		case SCORE_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("single_score: score out of float8 range")));
	}
	PG_RETURN_FLOAT8(score);
}
