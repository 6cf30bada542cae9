/*
 * pg_weighted_mean.c: aggregate weighted_mean(value float8, weight float8).
 * State: a fixed-size bytea holding a WeightedSum (weighted_sum.c).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/lsyscache.h"

#include "pg_compat.h"
#include "weighted_sum.h"

PG_FUNCTION_INFO_V1(weighted_mean_accum);
PG_FUNCTION_INFO_V1(weighted_mean_combine);
PG_FUNCTION_INFO_V1(weighted_mean_final);

typedef struct WeightedState
{
	int32		vl_len_;
	int32		padding;		/* keeps sum 8-byte aligned */
	WeightedSum sum;
} WeightedState;

/* The state argument, or NULL for a NULL state; copied unless we own it. */
static WeightedState *
state_argument(FunctionCallInfo fcinfo, int argno, bool for_update)
{
	bytea	   *raw;
	WeightedState *state;

	if (PG_ARGISNULL(argno))
		return NULL;
	raw = PG_GETARG_BYTEA_P(argno);
	if (VARSIZE(raw) != sizeof(WeightedState))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("%s: malformed state", get_func_name(fcinfo->flinfo->fn_oid)),
				 errdetail("The bytea is not a state of weighted_mean.")));
	if (for_update && AggCheckCallContext(fcinfo, NULL) && raw == (bytea *) MAXALIGN(raw))
		return (WeightedState *) raw;
	/* a private, aligned copy: the input may be unaligned or not ours to change */
	state = palloc(sizeof(WeightedState));
	memcpy(state, raw, sizeof(WeightedState));
	return state;
}

/*
 * A state argument whose sums can be trusted.  Forged contents are caught
 * where a state is consumed (combine, final) rather than on every row in the
 * transition function, where the check would cost more than the addition.
 */
static WeightedState *
well_formed_state_argument(FunctionCallInfo fcinfo, int argno, bool for_update)
{
	WeightedState *state = state_argument(fcinfo, argno, for_update);

	if (!weighted_sum_is_well_formed(&state->sum))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("%s: malformed state", get_func_name(fcinfo->flinfo->fn_oid)),
				 errdetail("The sums in the bytea cannot come from weighted_mean.")));
	return state;
}

static WeightedState *
new_state(void)
{
	WeightedState *state = palloc0(sizeof(WeightedState));

	SET_VARSIZE(state, sizeof(WeightedState));
	weighted_sum_init(&state->sum);
	return state;
}

static void
require_finite(double x, const char *what)
{
	if (isnan(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weighted_mean: %s is NaN", what)));
	if (isinf(x))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("weighted_mean: %s is infinite", what)));
}

/* Not strict: rows where value or weight is NULL are skipped. */
Datum
weighted_mean_accum(PG_FUNCTION_ARGS)
{
	WeightedState *state = state_argument(fcinfo, 0, true);
	double		value;
	double		weight;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(state);
	}
	value = PG_GETARG_FLOAT8(1);
	weight = PG_GETARG_FLOAT8(2);
	require_finite(value, "value");
	require_finite(weight, "weight");
	if (weight < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weighted_mean: weight must be >= 0, got %g", weight)));
	if (state == NULL)
		state = new_state();
	if (weighted_sum_add(&state->sum, value, weight) != WEIGHTED_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("weighted_mean: value * weight is out of float8 range")));
	PG_RETURN_BYTEA_P(state);
}

Datum
weighted_mean_combine(PG_FUNCTION_ARGS)
{
	WeightedState *into = well_formed_state_argument(fcinfo, 0, true);
	WeightedState *from = well_formed_state_argument(fcinfo, 1, false);

	weighted_sum_merge(&into->sum, &from->sum);
	PG_RETURN_BYTEA_P(into);
}

Datum
weighted_mean_final(PG_FUNCTION_ARGS)
{
	WeightedState *state = well_formed_state_argument(fcinfo, 0, false);
	double		mean;

	if (state->sum.count == 0)
		PG_RETURN_NULL();
	switch (weighted_sum_mean(&state->sum, &mean))
	{
		case WEIGHTED_OK:
			break;
		case WEIGHTED_ZERO_WEIGHT:
			ereport(ERROR,
					(errcode(ERRCODE_DIVISION_BY_ZERO),
					 errmsg("weighted_mean: the weights sum to zero")));
			break;
		case WEIGHTED_PRODUCT_OVERFLOW:
		case WEIGHTED_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("weighted_mean: result out of float8 range")));
	}
	PG_RETURN_FLOAT8(mean);
}
