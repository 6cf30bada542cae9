/*
 * pg_quantile_sketch.c: aggregates quantiles_approx and impact_summary_approx
 * over a quantile sketch (quantile_sketch.h).  The state is a bytea holding
 * the sketch (a concrete type: parallel query and Citus ship it as it is);
 * its first four bytes are the varlena header, so the sketch's doubles are
 * aligned in a palloc'd state.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "pg_stats.h"
#include "pg_value_buffer.h"
#include "quantile_sketch.h"

PG_FUNCTION_INFO_V1(quantiles_approx_accum);
PG_FUNCTION_INFO_V1(impact_summary_approx_accum);
PG_FUNCTION_INFO_V1(quantile_sketch_combine);
PG_FUNCTION_INFO_V1(quantiles_approx_final);
PG_FUNCTION_INFO_V1(impact_summary_approx_final);

static void
check_sketch(FunctionCallInfo fcinfo, const QuantileSketch *s, Size size, bool full)
{
	switch (qsketch_check(s, size, full))
	{
		case QSKETCH_OK:
			return;
		case QSKETCH_MALFORMED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("%s: malformed state", get_func_name(fcinfo->flinfo->fn_oid)),
					 errdetail("The bytea is not a state of quantiles_approx or impact_summary_approx.")));
			break;
		case QSKETCH_BAD_PARAMETER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: relative_error or a probability in the state is out of range",
							get_func_name(fcinfo->flinfo->fn_oid))));
			break;
	}
}

/*
 * The sketch of state argument argno.  A plain, aligned state is used in
 * place when only read, or for_update inside an aggregate (the aggregate's
 * own state, or a forged initial condition).  For an update, the check
 * covers what adding a value needs (O(1)): a forged state's counts may then
 * wrap, and the final or combine function, which checks fully (O(buckets)),
 * rejects it.  Any other state is copied to aligned memory and checked fully.
 */
static QuantileSketch *
sketch_argument(FunctionCallInfo fcinfo, int argno, bool for_update)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	struct varlena *flat;
	QuantileSketch *copy;

	if (!VARATT_IS_EXTENDED(raw) && raw == (struct varlena *) MAXALIGN(raw) &&
		(!for_update || AggCheckCallContext(fcinfo, NULL)))
	{
		check_sketch(fcinfo, (QuantileSketch *) raw, VARSIZE(raw), !for_update);
		return (QuantileSketch *) raw;
	}
	flat = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	copy = palloc(Max(VARSIZE(flat), sizeof(QuantileSketch)));
	memcpy(copy, flat, VARSIZE(flat));
	check_sketch(fcinfo, copy, VARSIZE(flat), true);
	return copy;
}

static Datum
sketch_datum(FunctionCallInfo fcinfo, QuantileSketch *s)
{
	SET_VARSIZE(s, qsketch_total_size(s));
	return PointerGetDatum(s);
}

static double
error_argument(FunctionCallInfo fcinfo, int argno, const char *function_name)
{
	double		relative_error;

	if (PG_NARGS() <= argno)
		return QSKETCH_DEFAULT_ERROR;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: relative_error must not be NULL", function_name)));
	relative_error = PG_GETARG_FLOAT8(argno);
	if (!qsketch_valid_error(relative_error))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: relative_error %g is not between %g and %g", function_name,
						relative_error, QSKETCH_MIN_ERROR, QSKETCH_MAX_ERROR),
				 errhint("For a smaller error use the exact aggregate (quantiles, impact_summary).")));
	return relative_error;
}

/* Add the value argument (if not NULL) to the sketch of state argument 0 (or a new one). */
static Datum
accumulate(FunctionCallInfo fcinfo, const double *probs, int nprobs, double relative_error,
		   const char *function_name)
{
	QuantileSketch *s;
	QuantileSketch *grown;
	double		x;

	if (PG_ARGISNULL(0))
		s = qsketch_create(relative_error, probs, nprobs);
	else
	{
		s = sketch_argument(fcinfo, 0, true);
		/*
		 * nprobs is 0 for impact_summary_approx: no memcmp then, whose masked
		 * load of zero bytes past the state cost a third of each row here.
		 */
		if (s->relative_error != relative_error || s->nprobs != nprobs ||
			(nprobs > 0 && memcmp(s->slots, probs, nprobs * sizeof(double)) != 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: probs and relative_error must be the same in every row of a group",
							function_name)));
	}
	if (PG_ARGISNULL(1))
		return sketch_datum(fcinfo, s);
	x = value_state_checked_value(PG_GETARG_FLOAT8(1), function_name);
	if (!qsketch_accepts(x))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: value %g is out of range", function_name, x),
				 errdetail("The sketch sums squares: |value| must be below 1.3e154.")));
	grown = qsketch_add(s, x);
	/* a grown sketch replaces s: the executor frees its own old state */
	return sketch_datum(fcinfo, grown);
}

/* quantiles_approx(value, probs [, relative_error]): not strict. */
Datum
quantiles_approx_accum(PG_FUNCTION_ARGS)
{
	int			nprobs;
	const double *p = probs_argument(fcinfo, 2, "quantiles_approx", &nprobs);

	check_probabilities(p, nprobs, "quantiles_approx");
	return accumulate(fcinfo, p, nprobs, error_argument(fcinfo, 3, "quantiles_approx"), "quantiles_approx");
}

/* impact_summary_approx(value [, relative_error]): a group of NULLs stays NULL. */
Datum
impact_summary_approx_accum(PG_FUNCTION_ARGS)
{
	double		relative_error = error_argument(fcinfo, 2, "impact_summary_approx");

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	return accumulate(fcinfo, NULL, 0, relative_error, "impact_summary_approx");
}

Datum
quantile_sketch_combine(PG_FUNCTION_ARGS)
{
	QuantileSketch *into = sketch_argument(fcinfo, 0, true);
	QuantileSketch *from = sketch_argument(fcinfo, 1, false);

	check_sketch(fcinfo, into, qsketch_total_size(into), true);
	if (!qsketch_compatible(into, from))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile_sketch_combine: the states have different probs or relative_error")));
	return sketch_datum(fcinfo, qsketch_merge(into, from));
}

Datum
quantiles_approx_final(PG_FUNCTION_ARGS)
{
	QuantileSketch *s = sketch_argument(fcinfo, 0, false);
	double	   *result;
	double	   *probs;

	if (s->count == 0)
		PG_RETURN_NULL();
	probs = palloc(Max(s->nprobs, 1) * sizeof(double));
	result = palloc(Max(s->nprobs, 1) * sizeof(double));
	for (int i = 0; i < s->nprobs; i++)
		probs[i] = s->slots[i].prob;
	qsketch_quantiles(s, probs, s->nprobs, result);
	return float8_array_datum(result, s->nprobs);
}

Datum
impact_summary_approx_final(PG_FUNCTION_ARGS)
{
	QuantileSketch *s = sketch_argument(fcinfo, 0, false);
	Summary		summary;

	if (s->count == 0)
		PG_RETURN_NULL();
	return summary_datum(fcinfo, qsketch_summary(s, &summary), &summary);
}
