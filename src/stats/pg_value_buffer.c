/*
 * pg_value_buffer.c: expanded-object aggregate state holding every value.
 */
#include "postgres.h"

#include <math.h>

#include "utils/memutils.h"

#include "pg_value_buffer.h"

/* the flat (bytea) form */
typedef struct FlatValues
{
	int32		vl_len_;
	int32		nprobs;
	int64		count;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* nprobs probabilities, count values */
} FlatValues;

#define FLAT_HEADER offsetof(FlatValues, data)
#define MAX_SLOTS ((int64) ((MaxAllocSize - FLAT_HEADER) / sizeof(double)))
#define INITIAL_CAPACITY 16

/* A read-only view of a state argument; the pointers may be unaligned. */
typedef struct ValueView
{
	int32		nprobs;
	int64		count;
	const char *probs;
	const char *values;
} ValueView;

static Size
flat_size(ExpandedObjectHeader *eohptr)
{
	ValueState *state = (ValueState *) eohptr;

	return FLAT_HEADER + (state->nprobs + state->count) * sizeof(double);
}

static void
flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ValueState *state = (ValueState *) eohptr;
	FlatValues *flat = result;

	Assert(allocated_size == flat_size(eohptr));
	memset(flat, 0, FLAT_HEADER);
	SET_VARSIZE(flat, allocated_size);
	flat->nprobs = state->nprobs;
	flat->count = state->count;
	memcpy(flat->data, state->slots, (state->nprobs + state->count) * sizeof(double));
}

static const ExpandedObjectMethods value_state_methods = {flat_size, flatten_into};

static ValueState *
our_expanded_object(Datum datum)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(datum)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(datum);

		if (eoh->eoh_methods == &value_state_methods)
			return (ValueState *) eoh;
	}
	return NULL;
}

static ValueView
view_argument(FunctionCallInfo fcinfo, int argno)
{
	ValueState *state = our_expanded_object(PG_GETARG_DATUM(argno));
	ValueView	view;
	bytea	   *flat;
	Size		size;

	if (state != NULL)
	{
		view.nprobs = state->nprobs;
		view.count = state->count;
		view.probs = (const char *) state->slots;
		view.values = (const char *) value_state_values(state);
		return view;
	}
	/* a flat bytea can come from anywhere: check it is well formed */
	flat = PG_GETARG_BYTEA_P(argno);
	size = VARSIZE(flat);
	if (size >= FLAT_HEADER)
	{
		memcpy(&view.nprobs, (const char *) flat + offsetof(FlatValues, nprobs), sizeof(int32));
		memcpy(&view.count, (const char *) flat + offsetof(FlatValues, count), sizeof(int64));
		if (view.nprobs >= 0 && view.count >= 0 &&
			(uint64) view.nprobs + (uint64) view.count == (size - FLAT_HEADER) / sizeof(double) &&
			(size - FLAT_HEADER) % sizeof(double) == 0)
		{
			view.probs = (const char *) flat + FLAT_HEADER;
			view.values = view.probs + view.nprobs * sizeof(double);
			return view;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid chemeco value state")));
	pg_unreachable();
}

static void
reserve(ValueState *state, int64 needed)
{
	int64		capacity = state->capacity;

	if (needed <= capacity)
		return;
	if (needed > MAX_SLOTS - state->nprobs)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values in one group for an exact quantile state"),
				 errdetail("The limit is %lld values (1 GB of float8) per group.",
						   (long long) (MAX_SLOTS - state->nprobs))));
	while (capacity < needed)
		capacity = Min(capacity * 2, MAX_SLOTS - state->nprobs);
	state->slots = repalloc(state->slots, (state->nprobs + capacity) * sizeof(double));
	state->capacity = capacity;
}

static ValueState *
create(FunctionCallInfo fcinfo, const char *probs, int32 nprobs, int64 capacity)
{
	MemoryContext parent;
	MemoryContext context;
	ValueState *state;

	if (!AggCheckCallContext(fcinfo, &parent))
		parent = CurrentMemoryContext;
	context = AllocSetContextCreate(parent, "chemeco value state", ALLOCSET_SMALL_SIZES);
	state = MemoryContextAlloc(context, sizeof(ValueState));
	EOH_init_header(&state->hdr, &value_state_methods, context);
	state->nprobs = nprobs;
	state->count = 0;
	state->capacity = Max(capacity, INITIAL_CAPACITY);
	if (state->capacity > MAX_SLOTS - nprobs)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many probabilities or values for an exact quantile state")));
	state->slots = MemoryContextAlloc(context, (nprobs + state->capacity) * sizeof(double));
	if (nprobs > 0)
		memcpy(state->slots, probs, nprobs * sizeof(double));
	return state;
}

ValueState *
value_state_create(FunctionCallInfo fcinfo, const double *probs, int nprobs)
{
	return create(fcinfo, (const char *) probs, nprobs, INITIAL_CAPACITY);
}

static ValueState *
copy_of_argument(FunctionCallInfo fcinfo, int argno)
{
	ValueView	view = view_argument(fcinfo, argno);
	ValueState *state = create(fcinfo, view.probs, view.nprobs, view.count);

	memcpy(value_state_values(state), view.values, view.count * sizeof(double));
	state->count = view.count;
	return state;
}

ValueState *
value_state_for_update(FunctionCallInfo fcinfo, int argno)
{
	Datum		datum = PG_GETARG_DATUM(argno);
	ValueState *state = our_expanded_object(datum);

	if (state != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(datum)) &&
		AggCheckCallContext(fcinfo, NULL))
		return state;
	return copy_of_argument(fcinfo, argno);
}

ValueState *
value_state_for_final(FunctionCallInfo fcinfo, int argno)
{
	ValueState *state = our_expanded_object(PG_GETARG_DATUM(argno));

	/* the executor hands final functions a read-only pointer to its state */
	if (state != NULL && AggCheckCallContext(fcinfo, NULL))
		return state;
	return copy_of_argument(fcinfo, argno);
}

void
value_state_append_state(ValueState *state, FunctionCallInfo fcinfo, int argno)
{
	ValueView	from = view_argument(fcinfo, argno);

	if (from.nprobs != state->nprobs ||
		memcmp(from.probs, state->slots, state->nprobs * sizeof(double)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantiles: probs must be the same in every row of a group")));
	reserve(state, state->count + from.count);
	memcpy(value_state_values(state) + state->count, from.values, from.count * sizeof(double));
	state->count += from.count;
}

void
value_state_append(ValueState *state, double value)
{
	if (state->count == state->capacity)
		reserve(state, state->count + 1);
	value_state_values(state)[state->count++] = value;
}

double
value_state_checked_value(double value, const char *function_name)
{
	if (isnan(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: NaN is not a valid value", function_name),
				 errhint("Filter NaN out, or replace it with NULL (ignored).")));
	if (isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: infinite value is out of range", function_name)));
	return value == 0.0 ? 0.0 : value;
}
