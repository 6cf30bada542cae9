/*
 * pg_impact_summary.c: aggregate impact_summary(float8) -> chemeco.summary.
 * State: a value state (pg_value_buffer.h); arithmetic in summary.c.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"

#include "pg_stats.h"
#include "pg_value_buffer.h"

PG_FUNCTION_INFO_V1(impact_summary_accum);
PG_FUNCTION_INFO_V1(value_buffer_combine);
PG_FUNCTION_INFO_V1(impact_summary_final);

/* Not strict: the first row meets a NULL state, and NULL values are skipped. */
Datum
impact_summary_accum(PG_FUNCTION_ARGS)
{
	ValueState *state;
	double		value;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	value = value_state_checked_value(PG_GETARG_FLOAT8(1), "impact_summary");
	state = PG_ARGISNULL(0) ? value_state_create(fcinfo, NULL, 0) : value_state_for_update(fcinfo, 0);
	value_state_append(state, value);
	PG_RETURN_DATUM(value_state_datum(state));
}

/*
 * Shared by impact_summary and quantiles: appends the second state's values
 * to the first's as a sorted run (a parallel worker's partial state arrives
 * sorted); the final function reads quantiles across the runs.
 */
Datum
value_buffer_combine(PG_FUNCTION_ARGS)
{
	ValueState *into = value_state_for_update(fcinfo, 0);

	value_state_append_state(into, 1);
	PG_RETURN_DATUM(value_state_datum(into));
}

/*
 * Selection permutes the buffer's values but keeps the same multiset, so the
 * state stays valid for further transitions (window aggregates) and for
 * finalising again: the final function is READ_ONLY in effect.
 */
Datum
impact_summary_final(PG_FUNCTION_ARGS)
{
	ValueState *state = value_state_for_final(fcinfo, 0);
	Summary		s;
	SummaryStatus status;

	if (state->count == 0)
		PG_RETURN_NULL();
	status = summarize(value_state_values(state), (size_t) state->count, value_state_sorted(state), &s);
	return summary_datum(fcinfo, status, &s);
}

Datum
summary_datum(FunctionCallInfo fcinfo, SummaryStatus status, const Summary *s)
{
	TupleDesc	tupdesc;
	Datum		fields[11];
	bool		nulls[11] = {false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "a summary final function must return a composite type");
	switch (status)
	{
		case SUMMARY_OK:
			break;
		case SUMMARY_MEAN_OVERFLOW:
		case SUMMARY_VARIANCE_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("impact_summary: variance out of float8 range"),
					 errdetail("Deviations from the mean exceed 1e154; rescale the values.")));
	}
	fields[0] = Int64GetDatum((int64) s->n);
	fields[1] = Float8GetDatum(s->mean);
	fields[2] = Float8GetDatum(s->stddev);
	nulls[2] = !s->has_stddev;
	fields[3] = Float8GetDatum(s->min);
	fields[4] = Float8GetDatum(s->q1);
	fields[5] = Float8GetDatum(s->median);
	fields[6] = Float8GetDatum(s->q3);
	fields[7] = Float8GetDatum(s->max);
	fields[8] = Float8GetDatum(s->iqr);
	fields[9] = Float8GetDatum(s->lower_fence);
	fields[10] = Float8GetDatum(s->upper_fence);
	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, fields, nulls)));
}
