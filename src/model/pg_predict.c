/*
 * pg_predict.c: chemeco.predict(model, float8[]) and chemeco.predict(model,
 * jsonb, allow_extra_keys) (text features reach the jsonb form through SQL
 * overloads, so that an untyped literal is not ambiguous).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "pg_arrays.h"
#include "pg_model.h"
#include "pg_numeric.h"

PG_FUNCTION_INFO_V1(model_predict_array);
PG_FUNCTION_INFO_V1(model_predict_jsonb);
PG_FUNCTION_INFO_V1(model_predict_named);

/*
 * Per call site: the model of the last (name, version) seen, and a column
 * buffer.  predict(model, features) asks for the latest version (0),
 * predict(model, version, features) for a given one.
 */
typedef struct PredictState
{
	text	   *name;
	int32		version;
	const Model *model;
	double	   *columns;
} PredictState;

static PredictState *
predict_state(FunctionCallInfo fcinfo, bool has_version)
{
	PredictState *state = fcinfo->flinfo->fn_extra;
	text	   *name = PG_GETARG_TEXT_PP(0);
	int32		version = has_version ? PG_GETARG_INT32(1) : 0;
	const Model *model;
	text	   *new_name;
	double	   *new_columns;

	if (has_version && version < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model version must be >= 1, got %d", version)));
	if (state != NULL && state->version == version && VARSIZE_ANY_EXHDR(state->name) == VARSIZE_ANY_EXHDR(name) &&
		memcmp(VARDATA_ANY(state->name), VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)) == 0)
		return state;
	/*
	 * Look up and allocate before touching the state: an ERROR here must
	 * leave fn_extra valid (not pointing at freed memory) for the next call.
	 */
	model = model_lookup(name, version);
	new_name = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE_ANY(name));
	memcpy(new_name, name, VARSIZE_ANY(name));
	new_columns = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, model->n_columns * sizeof(double));
	if (state == NULL)
		state = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PredictState));
	else
	{
		pfree(state->name);
		pfree(state->columns);
	}
	state->model = model;
	state->version = version;
	state->name = new_name;
	state->columns = new_columns;
	fcinfo->flinfo->fn_extra = state;
	return state;
}

/* predict(model text, [version int,] features float8[]): the encoded columns; NULL or NaN is missing */
Datum
model_predict_array(PG_FUNCTION_ARGS)
{
	PredictState *state = predict_state(fcinfo, PG_NARGS() == 3);
	int			n;
	double	   *columns = float8_vector_arg_nan(PG_GETARG_ARRAYTYPE_P(PG_NARGS() - 1), "features", &n);

	if (n != state->model->n_columns)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model \"%s\" takes %d features, got an array of %d",
						text_to_cstring(state->name), state->model->n_columns, n),
				 errhint("Pass a one-dimensional float8[] of the encoded columns, or a jsonb object of named features.")));
	PG_RETURN_FLOAT8(model_predict_columns(state->model, columns));
}

static void
encode_feature(const Model *model, int f, JsonbValue *value, double *columns)
{
	const ModelFeature *feature = &model->features[f];
	char	   *number_text;

	switch (value->type)
	{
		case jbvNull:
			model_encode_missing(model, f, columns);
			return;
		case jbvNumeric:
			if (feature->kind == FEATURE_NUMERIC)
			{
				model_encode_number(model, f, chemeco_numeric_float8(value->val.numeric,
																	 psprintf("feature \"%s\"", feature->name)),
									columns);
				return;
			}
			/* a numeric code must be the text of one of the categories */
			number_text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value->val.numeric)));
			for (int k = 0; k < feature->n_categories; k++)
				if (strcmp(feature->categories[k], number_text) == 0)
				{
					model_encode_category(model, f, number_text, strlen(number_text), columns);
					return;
				}
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("feature \"%s\" is categorical: the number %.40s is none of its categories",
							feature->name, number_text),
					 errhint("Pass the category as a JSON string; an unseen string category counts as none.")));
			return;
		case jbvString:
			if (feature->kind == FEATURE_CATEGORICAL)
			{
				model_encode_category(model, f, value->val.string.val, value->val.string.len, columns);
				return;
			}
			break;
		case jbvBool:
			if (feature->kind == FEATURE_NUMERIC)
				model_encode_number(model, f, value->val.boolean ? 1 : 0, columns);
			else
				model_encode_category(model, f, value->val.boolean ? "true" : "false",
									  value->val.boolean ? 4 : 5, columns);
			return;
		default:
			break;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("feature \"%s\" must be %s", feature->name,
					feature->kind == FEATURE_NUMERIC ? "a number or null" : "a string, a number or null")));
}

/* Keys of features that name no feature of the model: 22023 listing them (at most 5). */
static void
reject_unknown_keys(const Model *model, Jsonb *features, text *model_name)
{
	JsonbIterator *it = JsonbIteratorInit(&features->root);
	JsonbValue	v;
	JsonbIteratorToken token;
	StringInfoData unknown;
	int			n_unknown = 0;

	initStringInfo(&unknown);
	while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;

		if (token != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		if (model_feature_index(model, key) < 0 && ++n_unknown <= 5)
			appendStringInfo(&unknown, "%s\"%.60s\"", n_unknown > 1 ? ", " : "", key);
		pfree(key);
	}
	if (n_unknown > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("model \"%s\" has no feature %s%s", text_to_cstring(model_name), unknown.data,
						n_unknown > 5 ? psprintf(" (and %d more)", n_unknown - 5) : ""),
				 errhint("Feature names are case-sensitive; pass allow_extra_keys => true to ignore keys "
						 "the model does not use (e.g. with to_jsonb(row)).")));
}

static Datum
predict_named(FunctionCallInfo fcinfo, bool has_version, Jsonb *features, bool allow_extra_keys)
{
	PredictState *state = predict_state(fcinfo, has_version);
	const Model *model = state->model;

	if (!JB_ROOT_IS_OBJECT(features))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("features must be a jsonb object of feature names to values")));
	if (!allow_extra_keys)
		reject_unknown_keys(model, features, state->name);
	for (int f = 0; f < model->n_features; f++)
	{
		const char *name = model->features[f].name;
		JsonbValue	value;

		if (getKeyJsonValueFromContainer(&features->root, name, strlen(name), &value) == NULL)
			model_encode_missing(model, f, state->columns);
		else
			encode_feature(model, f, &value, state->columns);
	}
	PG_RETURN_FLOAT8(model_predict_columns(model, state->columns));
}

/*
 * predict(model text, [version int,] features jsonb, allow_extra_keys
 * boolean): named features; an absent or null feature is missing; a key the
 * model does not use is an error unless allow_extra_keys.
 */
Datum
model_predict_named(PG_FUNCTION_ARGS)
{
	bool		has_version = PG_NARGS() == 4;

	return predict_named(fcinfo, has_version, PG_GETARG_JSONB_P(has_version ? 2 : 1),
						 PG_GETARG_BOOL(has_version ? 3 : 2));
}

/* The 0.1 predict(model, [version,] features jsonb), which ignored unknown keys (kept for 0.1's script). */
Datum
model_predict_jsonb(PG_FUNCTION_ARGS)
{
	return predict_named(fcinfo, PG_NARGS() == 3, PG_GETARG_JSONB_P(PG_NARGS() - 1), true);
}
