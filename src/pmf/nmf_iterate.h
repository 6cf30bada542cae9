/*
 * nmf_iterate.h: what the update rules (ls_nmf.c, ws_nmf.c) share with the
 * driver in nmf.c.
 */
#ifndef CHEMECO_NMF_ITERATE_H
#define CHEMECO_NMF_ITERATE_H

#include "nmf.h"

/* The last converge_n values of Q (a ring), to detect convergence. */
typedef struct NmfConvergence
{
	double	   *history;
	int			size;
	int			count;
	double		delta;
} NmfConvergence;

extern void nmf_convergence_init(NmfConvergence *c, const NmfParams *params);
extern void nmf_convergence_free(NmfConvergence *c);

/* Records Q after one more iteration; true once Q(t - converge_n) - Q(t) < delta. */
extern bool nmf_convergence_step(NmfConvergence *c, double q);

/* Adds one cell's scaled residual to Q(true) and Q(robust). */
static inline void
nmf_q_add(double residual, double weight, double *q_true, double *q_robust)
{
	double		r2 = residual * residual * weight;

	*q_true += r2;
	*q_robust += r2 > NMF_ROBUST_ALPHA * NMF_ROBUST_ALPHA ? NMF_ROBUST_ALPHA * sqrt(r2) : r2;
}

/* Iterate from the given W and H; fill result's Q, iterations and converged. */
extern void ls_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
						   double *w, double *h, NmfRun *result);
extern void ws_nmf_iterate(const NmfProblem *problem, const NmfParams *params,
						   double *w, double *h, NmfRun *result);

#endif
