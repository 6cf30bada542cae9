/*
 * bootstrap.h: block-bootstrap error estimation of a PMF solution, after
 * EPA PMF 5.0 (user guide, section 6): resample blocks of consecutive
 * samples, refit from the base solution, map each bootstrap factor to the
 * base factor whose contributions it correlates with best (r >= threshold),
 * and summarise the mapped profiles by percentiles.
 */
#ifndef CHEMECO_PMF_BOOTSTRAP_H
#define CHEMECO_PMF_BOOTSTRAP_H

#include <stdint.h>

#include "nmf.h"
#include "parallel.h"

#define BOOTSTRAP_PERCENTILES 5

/* 5th, 25th, 50th, 75th and 95th */
extern const double bootstrap_percentile_levels[BOOTSTRAP_PERCENTILES];

typedef struct BootstrapParams
{
	NmfParams	nmf;			/* as the base run */
	int			resamples;
	int			block_size;		/* consecutive samples per block */
	uint64_t	seed;
	double		threshold;		/* minimum contribution correlation, EPA: 0.6 */
} BootstrapParams;

typedef struct BootstrapResult
{
	double	   *percentiles;	/* k x n x BOOTSTRAP_PERCENTILES; NaN where never mapped */
	int		   *mapped;			/* k: resamples in which the base factor was matched */
	int			unmapped;		/* bootstrap factors matched to no base factor, over all resamples */
} BootstrapResult;

/*
 * x, u: m x n; w_base: m x k; h_base: k x n (all row-major).  Fills result,
 * whose arrays the caller allocates (k x n x 5 doubles, k ints).  The
 * resamples are drawn up front from seed, then refitted on up to threads
 * threads (parallel.h; stop_requested as there), so the result does not
 * depend on the thread count.  Returns false if stopped.
 */
extern bool pmf_bootstrap(const double *x, const double *u, int m, int n,
						  const double *w_base, const double *h_base,
						  const BootstrapParams *params, int threads,
						  ParallelStopRequested stop_requested, BootstrapResult *result);

#endif
