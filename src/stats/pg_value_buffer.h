/*
 * pg_value_buffer.h: the transition state of impact_summary() and quantiles().
 *
 * A plain bytea (a concrete type, so parallel query and Citus can ship
 * partial states without serial/deserial functions) holding every value of
 * the group: exact quantiles need them all.  In aggregate context the
 * transition and combine functions append in place; the buffer grows by
 * doubling, so it moves only O(log n) times.  The varlena size is the
 * capacity, the spare tail is zeroed.
 */
#ifndef CHEMECO_PG_VALUE_BUFFER_H
#define CHEMECO_PG_VALUE_BUFFER_H

#include "postgres.h"

#include "fmgr.h"

typedef struct ValueBuffer
{
	int32		vl_len_;		/* varlena header: total allocated size */
	int32		nprobs;			/* leading probabilities (quantiles), 0 for impact_summary */
	int64		count;			/* values stored after the probabilities */
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* probs, values, zeroed spare room */
} ValueBuffer;

#define VALUE_BUFFER_HEADER offsetof(ValueBuffer, data)

static inline double *
value_buffer_values(ValueBuffer *buffer)
{
	return buffer->data + buffer->nprobs;
}

/* A new buffer with the given probabilities and room for some values. */
extern ValueBuffer *value_buffer_create(const double *probs, int nprobs);

/*
 * The state argument, validated, ready to be modified: in place in aggregate
 * context, else a private copy (a direct call must not scribble on its input).
 */
extern ValueBuffer *value_buffer_for_update(FunctionCallInfo fcinfo, int argno);

/* Append values; returns the buffer, which moved if it had to grow. */
extern ValueBuffer *value_buffer_append(ValueBuffer *buffer, const double *values, int64 n);

/* The state argument, validated, read-only (may be unaligned: use memcpy). */
extern ValueBuffer *value_buffer_read(FunctionCallInfo fcinfo, int argno);

/* NaN and infinities are errors (22023, 22003); -0 becomes 0 (deterministic ties). */
extern double value_buffer_checked_value(double value, const char *function_name);

#endif
