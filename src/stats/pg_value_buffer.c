/*
 * pg_value_buffer.c: growable bytea of doubles used as an aggregate state.
 */
#include "postgres.h"

#include <math.h>

#include "utils/memutils.h"

#include "pg_value_buffer.h"

#define INITIAL_CAPACITY 16
#define MAX_SLOTS ((int64) ((MaxAllocSize - VALUE_BUFFER_HEADER) / sizeof(double)))

static int64
capacity_of(const ValueBuffer *buffer)
{
	return (int64) ((VARSIZE(buffer) - VALUE_BUFFER_HEADER) / sizeof(double)) - buffer->nprobs;
}

/* Reject anything that is not a well-formed buffer: a bytea can come from anywhere. */
static void
validate(const ValueBuffer *buffer)
{
	Size		size = VARSIZE(buffer);
	int32		nprobs;
	int64		count;

	if (size < VALUE_BUFFER_HEADER)
		goto corrupt;
	memcpy(&nprobs, (const char *) buffer + offsetof(ValueBuffer, nprobs), sizeof(nprobs));
	memcpy(&count, (const char *) buffer + offsetof(ValueBuffer, count), sizeof(count));
	if (nprobs < 0 || count < 0 ||
		(uint64) nprobs + (uint64) count > (size - VALUE_BUFFER_HEADER) / sizeof(double))
		goto corrupt;
	return;
corrupt:
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid chemeco value buffer state")));
}

/*
 * Allocated in the current memory context: the executor copies a new state
 * into its own.  Only the header is zeroed here; callers fill the used part
 * and zero_spare_room() the rest (no stray bytes ever leave the backend).
 */
static ValueBuffer *
allocate(int32 nprobs, int64 capacity)
{
	int64		slots = (int64) nprobs + capacity;
	ValueBuffer *buffer;

	if (slots > MAX_SLOTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values in one group for an exact quantile state"),
				 errdetail("The limit is %lld values (1 GB of float8) per group.",
						   (long long) MAX_SLOTS - nprobs)));
	buffer = palloc(VALUE_BUFFER_HEADER + slots * sizeof(double));
	memset(buffer, 0, VALUE_BUFFER_HEADER);
	SET_VARSIZE(buffer, VALUE_BUFFER_HEADER + slots * sizeof(double));
	buffer->nprobs = nprobs;
	return buffer;
}

static void
zero_spare_room(ValueBuffer *buffer)
{
	double	   *end = value_buffer_values(buffer) + buffer->count;

	memset(end, 0, (char *) buffer + VARSIZE(buffer) - (char *) end);
}

ValueBuffer *
value_buffer_create(const double *probs, int nprobs)
{
	ValueBuffer *buffer = allocate(nprobs, INITIAL_CAPACITY);

	if (nprobs > 0)
		memcpy(buffer->data, probs, nprobs * sizeof(double));
	zero_spare_room(buffer);
	return buffer;
}

ValueBuffer *
value_buffer_for_update(FunctionCallInfo fcinfo, int argno)
{
	ValueBuffer *buffer = (ValueBuffer *) PG_GETARG_BYTEA_P(argno);

	validate(buffer);
	/* in place only for our own aggregate state, which palloc aligned */
	if (AggCheckCallContext(fcinfo, NULL) && buffer == (ValueBuffer *) MAXALIGN(buffer))
		return buffer;
	return (ValueBuffer *) memcpy(palloc(VARSIZE(buffer)), buffer, VARSIZE(buffer));
}

ValueBuffer *
value_buffer_read(FunctionCallInfo fcinfo, int argno)
{
	ValueBuffer *buffer = (ValueBuffer *) PG_GETARG_BYTEA_P(argno);

	validate(buffer);
	return buffer;
}

ValueBuffer *
value_buffer_append(ValueBuffer *buffer, const double *values, int64 n)
{
	int64		needed = buffer->count + n;

	if (needed > capacity_of(buffer))
	{
		int64		capacity = Max(capacity_of(buffer), INITIAL_CAPACITY);
		ValueBuffer *grown;

		while (capacity < needed)
			capacity = Min(capacity * 2, Max(MAX_SLOTS - buffer->nprobs, needed));
		grown = allocate(buffer->nprobs, capacity);
		memcpy(grown->data, buffer->data, (buffer->nprobs + buffer->count) * sizeof(double));
		grown->count = buffer->count;
		/* the old buffer belongs to the executor, which frees it */
		buffer = grown;
		memcpy(value_buffer_values(buffer) + buffer->count, values, n * sizeof(double));
		buffer->count = needed;
		zero_spare_room(buffer);
		return buffer;
	}
	memcpy(value_buffer_values(buffer) + buffer->count, values, n * sizeof(double));
	buffer->count = needed;
	return buffer;
}

double
value_buffer_checked_value(double value, const char *function_name)
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
