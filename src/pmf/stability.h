/*
 * stability.h: did the random starts of a fit agree?  Each run's profiles
 * are matched to the kept run's factor by factor, and the runs whose Q lies
 * near the kept run's are counted, as a user judging whether 20 runs were
 * enough (or whether the solution is rotationally ambiguous) would.
 */
#ifndef CHEMECO_PMF_STABILITY_H
#define CHEMECO_PMF_STABILITY_H

#include <stdbool.h>

#include "nmf.h"

/* Runs whose ranking Q is within this fraction of the kept run's are "near the best". */
#define NMF_NEAR_BEST_FRACTION 0.005
/* A near-best run with a matched factor profile below this correlation found another solution. */
#define NMF_SAME_PROFILE_R 0.9

typedef struct NmfStability
{
	int			near_best;		/* runs within NMF_NEAR_BEST_FRACTION, the kept one included */
	int			other_solutions;	/* of those, runs whose profiles differ (some factor r < NMF_SAME_PROFILE_R) */
} NmfStability;

/*
 * run_h holds every run's final H (runs x k x n, row-major per run); best is
 * the kept run.  match[r] receives the lowest Pearson correlation between
 * run r's factor profiles and the kept run's after matching factors greedily
 * (the most correlated pair first); NaN for a run whose Q is NaN.  The
 * ranking Q is Q(robust) when robust, else Q(true).
 */
extern void nmf_stability(const double *run_h, const NmfRun *results, int runs, int best, int k, int n,
						  bool robust, double *match, NmfStability *summary);

#endif
