/*
 * disp.h: displacement (DISP) error estimation of a PMF solution, after EPA
 * PMF 5.0 (user guide, section 6; Paatero et al. 2014, Atmos. Meas. Tech.
 * 7:781): each profile value H[f][j] is held at displaced values while the
 * rest of W and H is refitted from the base solution, to find how far the
 * value may move down and up before the fit's Q rises by dQmax (4, 8, 15
 * and 25).  A displaced fit whose factor f correlates best (contributions)
 * with another base factor is a swap: the factor lost its identity.
 */
#ifndef CHEMECO_PMF_DISP_H
#define CHEMECO_PMF_DISP_H

#include "nmf.h"
#include "parallel.h"

#define DISP_LEVELS 4

/* dQmax of EPA PMF 5.0: 4, 8, 15, 25 */
extern const double disp_dq_levels[DISP_LEVELS];

typedef struct DispParams
{
	NmfParams	nmf;			/* as the base run; dQ on the Q its updates minimise */
	int			max_refits;		/* per element, direction and level; 1..16 */
} DispParams;

/*
 * Per profile value and level (index (f n + j) DISP_LEVELS + level), filled
 * by pmf_disp into arrays the caller allocates.
 */
typedef struct DispResult
{
	double	   *low;			/* lowest value reached with dQ <= level (0: the value may vanish) */
	double	   *high;			/* highest; +Inf when no value up to 10^6 x the base reached dQ */
	bool	   *swap_low;		/* the fit at low swapped factor f */
	bool	   *swap_high;
	double	   *q_drop;			/* k x n: largest Q decrease below the base seen, >= 0 */
	double		q_base;			/* Q of the base solution refitted without displacement */
} DispResult;

/*
 * One search along a ray from a base value.  rise(d) refits at displacement
 * d >= 0 and returns the rise of Q (dq(0) = 0, roughly quadratic near 0),
 * setting *swapped.  For each target, in ascending order, finds the largest
 * d with dq(d) <= target that the search met, stopping once dq is within 5%
 * below the target or d is bracketed to 1%, after at most max_evaluations
 * refits; limit bounds d (a value cannot
 * go below 0), start is the first step.  d_found[t] is +Inf when dq stayed
 * below target up to 10^6 x start with no limit.  At most DISP_LEVELS
 * targets and 16 evaluations per target.  Exposed for unit tests.
 */
typedef double (*DispRise) (void *context, double d, bool *swapped);
extern void disp_search(DispRise rise, void *context, double start, double limit,
						const double *targets, int ntargets, int max_evaluations,
						double *d_found, bool *swapped_found);

/*
 * problem: the run's data; w_base m x k, h_base k x n (row-major).  Elements
 * are spread over up to threads threads (parallel.h: stop_requested, done
 * per element in order, may throw).  Returns false if stopped.
 */
extern bool pmf_disp(const NmfProblem *problem, const double *w_base, const double *h_base,
					 const DispParams *params, int threads, ParallelStopRequested stop_requested,
					 ParallelDone done, void *done_context, DispResult *result);

#endif
