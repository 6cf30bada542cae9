/*
 * nmf_run_state.h: the building blocks of one run that every update rule
 * (nmf_rules.h) uses: its working memory, the convergence ring, Q with the
 * robust weights, DISP's hold and stop polling.  Depends on nothing but
 * nmf.h, so the rules depend only downward.
 */
#ifndef CHEMECO_NMF_RUN_STATE_H
#define CHEMECO_NMF_RUN_STATE_H

#include <math.h>

#include "kernel.h"
#include "nmf.h"

/* The last converge_n values of Q (a ring), to detect convergence. */
typedef struct NmfConvergence
{
	double	   *history;
	int			size;
	int			count;
	double		delta;
} NmfConvergence;

/*
 * Working memory of one run, carved from one block of nmf_arena_doubles()
 * the caller allocated beforehand: the update rules allocate nothing, so
 * runs can go on in threads that must not call the allocator (palloc in
 * the server).  Each rule's arena_doubles (nmf_rules.h) counts exactly
 * what its iterate function takes.
 */
typedef struct NmfArena
{
	double	   *next;
} NmfArena;

static inline double *
nmf_arena_take(NmfArena *arena, size_t count)
{
	double	   *block = arena->next;

	arena->next += count;
	return block;
}

extern void nmf_convergence_init(NmfConvergence *c, const NmfParams *params, NmfArena *arena);

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

/* The weight factor of ESAT's robust mode for a cell with r2 = ((x - WH) / u)^2. */
static inline double
nmf_robust_factor(double r2)
{
	return r2 > NMF_ROBUST_ALPHA * NMF_ROBUST_ALPHA ? NMF_ROBUST_ALPHA / sqrt(r2) : 1.0;
}

/*
 * nmf_q, and with weight not NULL also the 1/u^2 and x/u^2 of ESAT's robust
 * mode for the same W H (m x n, row-major), from the same residuals.
 * Polls nmf_should_stop(stop) per sample; false if it stopped.
 */
extern bool nmf_q_reweighted(const NmfProblem *problem, const double *w, const double *h, int k,
							 double *q_true, double *q_robust, double *weight, double *weighted_x,
							 const volatile int *stop);

/*
 * The start of iteration `iteration` of a rule that measures Q with
 * nmf_q_reweighted (ws_nmf.c, anls_nmf.c): polls stop; Q of the current W H
 * into result, and when this iteration re-weights (nmf_reweights) the robust
 * weights into robust_weight and robust_wx; the convergence test.  False
 * when the run ends here: stopped, converged (result->converged set),
 * max_iter reached or Q NaN.
 */
extern bool nmf_iteration_start(const NmfProblem *problem, const NmfParams *params, const double *w,
								const double *h, int iteration, NmfConvergence *convergence,
								double *robust_weight, double *robust_wx, NmfRun *result,
								const volatile int *stop);

/*
 * DISP's hold (see NmfParams): rescales factor f (its W column, stride
 * w_stride between samples, and its H row) to the pinned scale, then sets
 * the held value.
 */
extern void nmf_apply_hold(const NmfParams *params, int m, int n, double *w_column, int w_stride, double *h);

/* True when iteration's updates use robust weights (see NmfParams.reweight_after). */
static inline bool
nmf_reweights(const NmfParams *params, int iteration)
{
	return params->reweight_after > 0 && iteration >= params->reweight_after;
}

/*
 * Interrupt handling inside a run, polled wherever the work between two
 * polls would grow with the input: without threads (stop NULL) a pending
 * cancel throws from kernel_check_interrupts; with threads, true when the
 * run must end now (its result is then discarded).
 */
static inline bool
nmf_should_stop(const volatile int *stop)
{
	if (stop == NULL)
	{
		kernel_check_interrupts();
		return false;
	}
	return *stop != 0;
}

#endif
