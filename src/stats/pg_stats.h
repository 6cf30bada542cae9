/*
 * pg_stats.h: glue shared by the exact and the sketch aggregates.
 */
#ifndef CHEMECO_PG_STATS_H
#define CHEMECO_PG_STATS_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"

#include "summary.h"

/*
 * The probs argument (read-only); *nprobs receives the count.  Not NULL
 * (22004), no NULL element and one dimension (22023), not too many (54000).
 */
extern const double *probs_argument(FunctionCallInfo fcinfo, int argno, const char *function_name, int *nprobs);

/* Each probability in [0, 1] (22023). */
extern void check_probabilities(const double *probs, int nprobs, const char *function_name);

extern Datum float8_array_datum(const double *values, int n);

/* A chemeco.summary row (the function's result type), or 22003 on overflow. */
extern Datum summary_datum(FunctionCallInfo fcinfo, SummaryStatus status, const Summary *s);

#endif
