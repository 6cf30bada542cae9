/*
 * pg_quantiles.c: aggregate quantiles(float8, float8[]) -> float8[].
 * State: a value state whose leading slots hold the probabilities;
 * combine is value_buffer_combine (pg_impact_summary.c).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/memutils.h"

#include "pg_arrays.h"
#include "pg_stats.h"
#include "pg_value_buffer.h"
#include "quantile.h"

PG_FUNCTION_INFO_V1(quantiles_accum);
PG_FUNCTION_INFO_V1(quantiles_final);

const double *
probs_argument(FunctionCallInfo fcinfo, int argno, const char *function_name, int *nprobs)
{
	ArrayType  *array;
	const double *probs;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: probs must not be NULL", function_name)));
	array = PG_GETARG_ARRAYTYPE_P(argno);
	/* a NULL among the probabilities is a bad probability (22023), as in 0.1 */
	if (ARR_HASNULL(array))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: probs must be a one-dimensional array without NULLs", function_name)));
	probs = float8_vector_arg(array, "probs", nprobs);
	if (*nprobs > MaxAllocSize / sizeof(double) / 4)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: too many probabilities", function_name)));
	return probs;
}

void
check_probabilities(const double *probs, int nprobs, const char *function_name)
{
	for (int i = 0; i < nprobs; i++)
		if (!(probs[i] >= 0.0 && probs[i] <= 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: probability %g is not between 0 and 1", function_name, probs[i])));
}

Datum
float8_array_datum(const double *values, int n)
{
	Datum	   *elements = palloc(Max(n, 1) * sizeof(Datum));

	for (int i = 0; i < n; i++)
		elements[i] = Float8GetDatum(values[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elements, n, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

Datum
quantiles_accum(PG_FUNCTION_ARGS)
{
	int			nprobs;
	const double *probs = probs_argument(fcinfo, 2, "quantiles", &nprobs);
	ValueState *state;
	double		value;

	if (PG_ARGISNULL(0))
	{
		check_probabilities(probs, nprobs, "quantiles");
		state = value_state_create(fcinfo, probs, nprobs);
	}
	else
	{
		state = value_state_for_update(fcinfo, 0);
		if (state->nprobs != nprobs || memcmp(state->slots, probs, nprobs * sizeof(double)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("quantiles: probs must be the same in every row of a group")));
	}
	if (!PG_ARGISNULL(1))
	{
		value = value_state_checked_value(PG_GETARG_FLOAT8(1), "quantiles");
		value_state_append(state, value);
	}
	PG_RETURN_DATUM(value_state_datum(state));
}

/* Selection permutes values, keeping the multiset: see impact_summary_final. */
Datum
quantiles_final(PG_FUNCTION_ARGS)
{
	ValueState *state = value_state_for_final(fcinfo, 0);
	int			nprobs = state->nprobs;
	double	   *result;

	if (state->count == 0)
		PG_RETURN_NULL();
	result = palloc(Max(nprobs, 1) * sizeof(double));
	if (value_state_sorted(state))
		quantiles_of_sorted(value_state_values(state), (size_t) state->count, state->slots, nprobs,
							result);
	else
		quantiles(value_state_values(state), (size_t) state->count, state->slots, nprobs, result);
	return float8_array_datum(result, nprobs);
}
