/*
 * pg_value_buffer.h: the transition state of impact_summary() and quantiles().
 *
 * Exact quantiles need every value of the group.  The SQL state type is a
 * plain bytea (a concrete type, so parallel query and Citus ship partial
 * states without serial/deserial functions):
 *
 *     varlena header | int32 nprobs | int64 count | nprobs probs | count values | zeros
 *
 * A group's state starts as such a bytea with spare room, appended in place;
 * when it outgrows the room it is reallocated by doubling (the executor then
 * copies it once more).  Past EXPAND_AT values it becomes a read/write
 * *expanded object* in a child of the aggregate memory context: the executor
 * adopts it without copying and it grows with repalloc.  An expanded state is
 * flattened, with no spare room, only when it leaves the aggregate (a
 * parallel worker's partial state, a direct call).  Small groups thus cost
 * no memory context each (hash aggregation with many groups stays cheap),
 * large ones no copies.
 *
 * Exact mode at scale: when an expanded state is flattened to leave the
 * aggregate (a parallel worker's or a Citus shard's partial state), its
 * values are first sorted (radix sort, in the worker); the leader's combine
 * appends the sorted runs one after the other (sorting a side first if it
 * is not sorted), without merging them, and the final function reads each
 * needed order statistic across the runs (rank_across_runs, quantile.h)
 * instead of selecting among all values.  Order statistics are unique and
 * the sums exact, so results are the same bits as serial ones.
 *
 * Memory: 8 bytes per value in a buffer grown by doubling (< 16 bytes per
 * value), plus, while a run is sorted in a combine, a transient 16 bytes
 * per value of that run (a worker sorts its own run in place).  A group may hold at most
 * chemeco.exact_quantile_max_values values (error 54000 beyond).
 *
 * Functions work on a ValueState handle describing either form.
 */
#ifndef CHEMECO_PG_VALUE_BUFFER_H
#define CHEMECO_PG_VALUE_BUFFER_H

#include "postgres.h"

#include "fmgr.h"

typedef struct ExpandedValues ExpandedValues;
typedef struct FlatValues FlatValues;

typedef struct ValueState
{
	FunctionCallInfo fcinfo;
	ExpandedValues *expanded;	/* the state is this expanded object, or */
	FlatValues *flat;			/* this bytea */
	int32		nprobs;			/* leading probabilities (quantiles), 0 for impact_summary */
	int64		count;			/* values stored */
	int64		capacity;		/* room for values */
	double	   *slots;			/* nprobs probabilities, then the values */
	bool		sorted;			/* the values are known to ascend */
} ValueState;

static inline double *
value_state_values(ValueState *state)
{
	return state->slots + state->nprobs;
}

/* A new, empty state. */
extern ValueState *value_state_create(FunctionCallInfo fcinfo, const double *probs, int nprobs);

/*
 * The state argument ready to be modified: in place when it is the
 * aggregate's own state, else a new state holding a copy of its values.
 */
extern ValueState *value_state_for_update(FunctionCallInfo fcinfo, int argno);

/*
 * The state argument for a final function, whose selection permutes the
 * values (the multiset, hence the state's meaning, is unchanged): in place
 * inside an aggregate, else a private copy.
 */
extern ValueState *value_state_for_final(FunctionCallInfo fcinfo, int argno);

/*
 * Append the values of another state argument (flat or expanded) to the
 * state, as a sorted run (sorted first if it is not): the state stays at
 * most MAX_SORTED_RUNS ascending runs (sort.h), sorting itself if needed.
 */
extern void value_state_append_state(ValueState *state, int argno);

/* Whether the values ascend (known, or checked by a scan of a flat state). */
extern bool value_state_sorted(ValueState *state);

/* Define the GUC chemeco.exact_quantile_max_values (from _PG_init). */
extern void value_state_define_guc(void);

extern void value_state_append(ValueState *state, double value);

/* The datum to return as the new transition value. */
extern Datum value_state_datum(ValueState *state);

/* NaN and infinities are errors (22023, 22003); -0 becomes 0 (deterministic ties). */
extern double value_state_checked_value(double value, const char *function_name);

#endif
