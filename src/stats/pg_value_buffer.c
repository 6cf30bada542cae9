/*
 * pg_value_buffer.c: aggregate state holding every value, flat while small,
 * an expanded object once large (see pg_value_buffer.h).
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "utils/expandeddatum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "pg_value_buffer.h"
#include "quantile.h"
#include "sort.h"

struct FlatValues
{
	int32		vl_len_;
	int32		nprobs;
	int64		count;
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* nprobs probabilities, values, zeroed room */
};

struct ExpandedValues
{
	ExpandedObjectHeader hdr;
	int32		nprobs;
	int64		count;
	int64		capacity;
	double	   *slots;
	bool		sorted;			/* the values ascend */
};

#define FLAT_HEADER offsetof(FlatValues, data)
#define MAX_SLOTS ((int64) ((MaxAllocSize - FLAT_HEADER) / sizeof(double)))
#define INITIAL_CAPACITY 16
#define EXPAND_AT 65536
#define DEFAULT_MAX_VALUES 100000000

/* chemeco.exact_quantile_max_values: values one group may hold */
static int	exact_quantile_max_values = DEFAULT_MAX_VALUES;

/* A read-only view of a state argument; the pointers may be unaligned. */
typedef struct ValueView
{
	int32		nprobs;
	int64		count;
	const char *probs;
	const char *values;
	bool		sorted;			/* known to ascend (an expanded state's flag) */
} ValueView;

static Size
flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedValues *ev = (ExpandedValues *) eohptr;

	return FLAT_HEADER + (ev->nprobs + ev->count) * sizeof(double);
}

/*
 * The state leaves the aggregate: a parallel worker's (or a shard's) partial
 * state.  Its values are sorted first, here in the worker, so that the
 * leader reads quantiles across sorted runs (the multiset, hence the state,
 * is unchanged; the result buffer serves as the sort's scratch space).
 */
static void
flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedValues *ev = (ExpandedValues *) eohptr;
	FlatValues *flat = result;

	Assert(allocated_size == flat_size(eohptr));
	if (!ev->sorted)
	{
		sort_values(ev->slots + ev->nprobs, flat->data + ev->nprobs, (size_t) ev->count);
		ev->sorted = true;
	}
	memset(flat, 0, FLAT_HEADER);
	SET_VARSIZE(flat, allocated_size);
	flat->nprobs = ev->nprobs;
	flat->count = ev->count;
	memcpy(flat->data, ev->slots, (ev->nprobs + ev->count) * sizeof(double));
}

static const ExpandedObjectMethods expanded_values_methods = {flat_size, flatten_into};

static ExpandedValues *
our_expanded_object(Datum datum)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(datum)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(datum);

		if (eoh->eoh_methods == &expanded_values_methods)
			return (ExpandedValues *) eoh;
	}
	return NULL;
}

/* The SQL name of the function called, for error messages. */
static const char *
called_function(FunctionCallInfo fcinfo)
{
	return get_func_name(fcinfo->flinfo->fn_oid);
}

/*
 * A flat state must be well formed: a bytea can come from anywhere.  Its
 * probabilities index the values (quantiles_final), so they are checked like
 * the probs argument of quantiles.
 */
static void
check_flat(FunctionCallInfo fcinfo, const char *flat, Size size, int32 *nprobs, int64 *count)
{
	const char *probs = flat + FLAT_HEADER;
	bool		sizes_agree = false;

	if (size >= FLAT_HEADER && (size - FLAT_HEADER) % sizeof(double) == 0)
	{
		memcpy(nprobs, flat + offsetof(FlatValues, nprobs), sizeof(int32));
		memcpy(count, flat + offsetof(FlatValues, count), sizeof(int64));
		sizes_agree = *nprobs >= 0 && *count >= 0 &&
			(uint64) *nprobs + (uint64) *count <= (size - FLAT_HEADER) / sizeof(double);
	}
	if (!sizes_agree)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("%s: malformed state", called_function(fcinfo)),
				 errdetail("The bytea is not a state of impact_summary or quantiles.")));
	for (int32 i = 0; i < *nprobs; i++)
	{
		double		p;

		memcpy(&p, probs + i * sizeof(double), sizeof(double));
		if (!(p >= 0.0 && p <= 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: probability %g in the state is not between 0 and 1",
							called_function(fcinfo), p)));
	}
}

static ValueView
view_argument(FunctionCallInfo fcinfo, int argno)
{
	ExpandedValues *ev = our_expanded_object(PG_GETARG_DATUM(argno));
	ValueView	view;
	bytea	   *flat;

	if (ev != NULL)
	{
		view.nprobs = ev->nprobs;
		view.count = ev->count;
		view.probs = (const char *) ev->slots;
		view.values = (const char *) (ev->slots + ev->nprobs);
		view.sorted = ev->sorted;
		return view;
	}
	flat = PG_GETARG_BYTEA_P(argno);
	check_flat(fcinfo, (const char *) flat, VARSIZE(flat), &view.nprobs, &view.count);
	view.probs = (const char *) flat + FLAT_HEADER;
	view.values = view.probs + view.nprobs * sizeof(double);
	view.sorted = false;
	return view;
}

static int64
grown_capacity(int32 nprobs, int64 capacity, int64 needed)
{
	int64		limit = Min(MAX_SLOTS - nprobs, (int64) exact_quantile_max_values);

	if (needed > limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values in one group for exact quantiles"),
				 errdetail("Exact quantiles keep every value (8 to 16 bytes each); one group may hold "
						   "%lld values (chemeco.exact_quantile_max_values = %d, at most %lld).",
						   (long long) limit, exact_quantile_max_values,
						   (long long) (MAX_SLOTS - nprobs)),
				 errhint("Use the sketch mode (quantiles_approx, impact_summary_approx: a few kB per "
						 "group, value error within relative_error), or raise "
						 "chemeco.exact_quantile_max_values.")));
	capacity = Max(capacity, INITIAL_CAPACITY);
	while (capacity < needed)
		capacity = Min(capacity * 2, limit);
	return capacity;
}

/* A flat state in the current memory context (the executor copies it into its own). */
static void
make_flat(ValueState *state, const char *probs, int32 nprobs, const char *values, int64 count,
		  int64 capacity)
{
	Size		size;

	capacity = grown_capacity(nprobs, capacity, Max(count, 1));
	size = FLAT_HEADER + (nprobs + capacity) * sizeof(double);
	state->flat = palloc(size);
	memset(state->flat, 0, FLAT_HEADER);
	SET_VARSIZE(state->flat, size);
	state->expanded = NULL;
	state->nprobs = state->flat->nprobs = nprobs;
	state->count = count;
	state->capacity = capacity;
	state->slots = state->flat->data;
	memcpy(state->slots, probs, nprobs * sizeof(double));
	memcpy(state->slots + nprobs, values, count * sizeof(double));
	memset(state->slots + nprobs + count, 0, (capacity - count) * sizeof(double));
}

/* An expanded state in a new child of the aggregate context. */
static void
make_expanded(ValueState *state, MemoryContext aggcontext, const char *probs, int32 nprobs,
			  const char *values, int64 count, int64 capacity)
{
	MemoryContext context = AllocSetContextCreate(aggcontext, "chemeco value state",
												  ALLOCSET_SMALL_SIZES);
	ExpandedValues *ev = MemoryContextAlloc(context, sizeof(ExpandedValues));

	EOH_init_header(&ev->hdr, &expanded_values_methods, context);
	ev->nprobs = nprobs;
	ev->count = count;
	ev->capacity = grown_capacity(nprobs, capacity, Max(count, 1));
	ev->slots = MemoryContextAlloc(context, (nprobs + ev->capacity) * sizeof(double));
	memcpy(ev->slots, probs, nprobs * sizeof(double));
	memcpy(ev->slots + nprobs, values, count * sizeof(double));
	ev->sorted = state->sorted;
	state->expanded = ev;
	state->flat = NULL;
	state->nprobs = nprobs;
	state->count = count;
	state->capacity = ev->capacity;
	state->slots = ev->slots;
}

/*
 * The handle is kept in fn_extra and reused, sparing a palloc per row: a
 * function holds one handle at a time and nothing keeps it across calls.
 */
static ValueState *
new_handle(FunctionCallInfo fcinfo)
{
	ValueState *state = fcinfo->flinfo->fn_extra;

	if (state == NULL)
		state = fcinfo->flinfo->fn_extra =
			MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(ValueState));
	memset(state, 0, sizeof(ValueState));
	state->fcinfo = fcinfo;
	return state;
}

static ValueState *
handle_of_expanded(FunctionCallInfo fcinfo, ExpandedValues *ev)
{
	ValueState *state = new_handle(fcinfo);

	state->expanded = ev;
	state->nprobs = ev->nprobs;
	state->count = ev->count;
	state->capacity = ev->capacity;
	state->slots = ev->slots;
	state->sorted = ev->sorted;
	return state;
}

ValueState *
value_state_create(FunctionCallInfo fcinfo, const double *probs, int nprobs)
{
	ValueState *state = new_handle(fcinfo);

	make_flat(state, (const char *) probs, nprobs, NULL, 0, INITIAL_CAPACITY);
	return state;
}

static ValueState *
copy_of_argument(FunctionCallInfo fcinfo, int argno)
{
	ValueView	view = view_argument(fcinfo, argno);
	ValueState *state = new_handle(fcinfo);
	MemoryContext aggcontext;

	if (view.count >= EXPAND_AT && AggCheckCallContext(fcinfo, &aggcontext))
		make_expanded(state, aggcontext, view.probs, view.nprobs, view.values, view.count, view.count);
	else
		make_flat(state, view.probs, view.nprobs, view.values, view.count, view.count);
	return state;
}

ValueState *
value_state_for_update(FunctionCallInfo fcinfo, int argno)
{
	Datum		datum = PG_GETARG_DATUM(argno);
	ExpandedValues *ev = our_expanded_object(datum);
	ValueState *state;

	if (!AggCheckCallContext(fcinfo, NULL))
		return copy_of_argument(fcinfo, argno);
	if (ev != NULL && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(datum)))
		return handle_of_expanded(fcinfo, ev);
	if (ev == NULL)
	{
		FlatValues *flat = (FlatValues *) PG_GETARG_BYTEA_P(argno);

		/* our own aggregate state is plain and aligned (palloc); else copy */
		if (flat == (FlatValues *) MAXALIGN(flat) && !VARATT_IS_EXTENDED(DatumGetPointer(datum)))
		{
			state = new_handle(fcinfo);
			check_flat(fcinfo, (const char *) flat, VARSIZE(flat), &state->nprobs, &state->count);
			state->flat = flat;
			state->capacity = (VARSIZE(flat) - FLAT_HEADER) / sizeof(double) - state->nprobs;
			state->slots = flat->data;
			return state;
		}
	}
	return copy_of_argument(fcinfo, argno);
}

ValueState *
value_state_for_final(FunctionCallInfo fcinfo, int argno)
{
	ExpandedValues *ev = our_expanded_object(PG_GETARG_DATUM(argno));
	ValueState *state;
	const double *values;

	/* the executor hands final functions a read-only pointer to an expanded state */
	if (ev != NULL && AggCheckCallContext(fcinfo, NULL))
		return handle_of_expanded(fcinfo, ev);

	/*
	 * A flat state may not be ours (a forged argument or initial state), and
	 * selection needs ordered values: check them once here rather than on
	 * every row in the transition function.
	 */
	state = value_state_for_update(fcinfo, argno);
	values = value_state_values(state);
	for (int64 i = 0; i < state->count; i++)
		if (!isfinite(values[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: value %g in the state is not finite",
							called_function(fcinfo), values[i])));
	return state;
}

/* Room for needed values, doubling the capacity. */
static void
reserve(ValueState *state, int64 needed)
{
	MemoryContext aggcontext;
	int64		capacity;

	if (needed <= state->capacity)
		return;
	capacity = grown_capacity(state->nprobs, state->capacity, needed);
	if (state->expanded != NULL)
	{
		ExpandedValues *ev = state->expanded;

		ev->slots = repalloc(ev->slots, (ev->nprobs + capacity) * sizeof(double));
		ev->capacity = state->capacity = capacity;
		state->slots = ev->slots;
	}
	else if (needed > EXPAND_AT && AggCheckCallContext(state->fcinfo, &aggcontext))
		make_expanded(state, aggcontext, (const char *) state->slots, state->nprobs,
					  (const char *) value_state_values(state), state->count, capacity);
	else
		/* the old flat state belongs to the executor (or the caller), which frees it */
		make_flat(state, (const char *) state->slots, state->nprobs,
				  (const char *) value_state_values(state), state->count, capacity);
}

bool
value_state_sorted(ValueState *state)
{
	if (!state->sorted && state->expanded == NULL)
		state->sorted = values_sorted(value_state_values(state), (size_t) state->count);
	return state->sorted;
}

/* Sort n values (any alignment) into a new palloc'd array. */
static double *
sorted_copy(const char *values, int64 n)
{
	double	   *copy = palloc(Max(n, 1) * sizeof(double));
	double	   *scratch = palloc(Max(n, 1) * sizeof(double));

	memcpy(copy, values, n * sizeof(double));
	sort_values(copy, scratch, (size_t) n);
	pfree(scratch);
	return copy;
}

/* How many ascending runs values[0..n) (any alignment) is: 0 when empty or more than MAX_SORTED_RUNS. */
static size_t
count_runs(const char *values, int64 n)
{
	size_t		starts[MAX_SORTED_RUNS];

	return ascending_runs(values, (size_t) n, starts, MAX_SORTED_RUNS);
}

void
value_state_append_state(ValueState *state, int argno)
{
	ValueView	from = view_argument(state->fcinfo, argno);
	const char *run = from.values;
	double	   *copy = NULL;
	size_t		state_runs;
	size_t		from_runs;

	if (from.nprobs != state->nprobs ||
		memcmp(from.probs, state->slots, state->nprobs * sizeof(double)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantiles: probs must be the same in every row of a group")));
	if (from.count == 0)
		return;
	state_runs = count_runs((const char *) value_state_values(state), state->count);
	from_runs = from.sorted ? 1 : count_runs(from.values, from.count);

	/*
	 * Keep the state a few ascending runs, so that the final function reads
	 * quantiles across them: sort what is not (the leader's own partial
	 * state, small flat states), and the state itself when the runs would
	 * be too many.
	 */
	if (from_runs == 0)
	{
		run = (const char *) (copy = sorted_copy(from.values, from.count));
		from_runs = 1;
	}
	if (state->count > 0 && (state_runs == 0 || state_runs + from_runs > MAX_SORTED_RUNS))
	{
		double	   *sorted = sorted_copy((const char *) value_state_values(state), state->count);

		memcpy(value_state_values(state), sorted, state->count * sizeof(double));
		pfree(sorted);
	}
	reserve(state, state->count + from.count);
	memcpy(value_state_values(state) + state->count, run, from.count * sizeof(double));
	state->count += from.count;
	state->sorted = false;
	if (copy != NULL)
		pfree(copy);
}

void
value_state_append(ValueState *state, double value)
{
	if (state->count == state->capacity)
		reserve(state, state->count + 1);
	value_state_values(state)[state->count++] = value;
	state->sorted = false;
}

Datum
value_state_datum(ValueState *state)
{
	if (state->expanded != NULL)
	{
		state->expanded->count = state->count;
		state->expanded->sorted = state->sorted;
		return EOHPGetRWDatum(&state->expanded->hdr);
	}
	state->flat->count = state->count;
	return PointerGetDatum(state->flat);
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

void
value_state_define_guc(void)
{
	DefineCustomIntVariable("chemeco.exact_quantile_max_values",
							"Values one group of impact_summary or quantiles may hold.",
							"Exact quantiles keep every value (8 to 16 bytes each); past this, "
							"error 54000 suggests the sketch mode.",
							&exact_quantile_max_values, DEFAULT_MAX_VALUES, 1, INT_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
}
