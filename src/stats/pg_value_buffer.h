/*
 * pg_value_buffer.h: the transition state of impact_summary() and quantiles().
 *
 * Exact quantiles need every value of the group.  The SQL state type is a
 * plain bytea (a concrete type, so parallel query and Citus ship partial
 * states without serial/deserial functions):
 *
 *     int32 varlena header | int32 nprobs | int64 count | nprobs probs | count values
 *
 * Inside an aggregate the state is a read/write *expanded object* living in a
 * child of the aggregate memory context: the executor adopts it without
 * copying, values are appended in place and the buffer grows by doubling
 * with repalloc (which large buffers can usually extend without copying).
 * It is flattened to the bytea above, with no spare room, only when it
 * leaves the aggregate (a parallel worker's partial state, a direct call).
 */
#ifndef CHEMECO_PG_VALUE_BUFFER_H
#define CHEMECO_PG_VALUE_BUFFER_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/expandeddatum.h"

typedef struct ValueState
{
	ExpandedObjectHeader hdr;
	int32		nprobs;			/* leading probabilities (quantiles), 0 for impact_summary */
	int64		count;			/* values stored */
	int64		capacity;		/* room for values */
	double	   *slots;			/* nprobs probabilities, then the values */
} ValueState;

static inline double *
value_state_values(ValueState *state)
{
	return state->slots + state->nprobs;
}

/* A new, empty state (in the aggregate context when called from one). */
extern ValueState *value_state_create(FunctionCallInfo fcinfo, const double *probs, int nprobs);

/*
 * The state argument ready to be modified: itself when it is our read/write
 * object inside an aggregate, else a new object holding a copy of its values.
 */
extern ValueState *value_state_for_update(FunctionCallInfo fcinfo, int argno);

/*
 * The state argument for a final function, whose selection permutes the
 * values (the multiset, hence the state's meaning, is unchanged): the object
 * itself inside an aggregate, else a private copy.
 */
extern ValueState *value_state_for_final(FunctionCallInfo fcinfo, int argno);

/* Append values read from another state argument (flat or expanded). */
extern void value_state_append_state(ValueState *state, FunctionCallInfo fcinfo, int argno);

extern void value_state_append(ValueState *state, double value);

static inline Datum
value_state_datum(ValueState *state)
{
	return EOHPGetRWDatum(&state->hdr);
}

/* NaN and infinities are errors (22023, 22003); -0 becomes 0 (deterministic ties). */
extern double value_state_checked_value(double value, const char *function_name);

#endif
