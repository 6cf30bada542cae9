/*
 * nmf.h: positive matrix factorisation X ~ W H weighted by uncertainties,
 * as in EPA PMF / ESAT: many random starts, the best kept by Q.
 *
 * Matrices are row-major doubles: X and U are m samples x n species,
 * W is m x k (contributions), H is k x n (profiles).
 */
#ifndef CHEMECO_NMF_H
#define CHEMECO_NMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Scaled residuals beyond this count linearly in Q(robust) (EPA PMF, ESAT). */
#define NMF_ROBUST_ALPHA 4.0

typedef enum NmfMethod
{
	NMF_LS,						/* LS-NMF multiplicative updates (Wang et al. 2006) */
	NMF_WS,						/* weighted semi-NMF: W free in sign, H >= 0 (ESAT) */
	NMF_ANLS					/* alternating bounded least squares (anls_nmf.c) */
} NmfMethod;

/*
 * EPA PMF 5.0's lower limit on contributions, in units of the factor's
 * mean contribution (see g_lower and docs/reference/pmf.md).
 */
#define NMF_PMF5_G_LOWER (-0.2)

/* Methods 'anls' and 'pmf5' screen this many starts per run, this many iterations each. */
#define NMF_ANLS_SCREEN_FACTOR 10
#define NMF_ANLS_SCREEN_ITER 60

typedef struct NmfParams
{
	int			factors;
	NmfMethod	method;
	bool		robust;			/* judge convergence and rank runs by Q(robust), else Q(true) */
	int			max_iter;
	double		converge_delta; /* converged when Q(t - converge_n) - Q(t) < converge_delta */
	int			converge_n;

	/*
	 * 0: every update weighs cells by 1/u^2.  n > 0: from iteration n on,
	 * the updates use robust uncertainties u sqrt(|r| / alpha) for cells
	 * whose scaled residual r is beyond alpha, recomputed every iteration
	 * (ESAT's robust mode, EPA PMF's outlier down-weighting).  Q(true) and
	 * Q(robust) are always reported with the original u.
	 */
	int			reweight_after;

	/*
	 * NMF_ANLS only: W[i][f] >= g_lower mean_i W[i][f] (g_lower <= 0; 0:
	 * W >= 0, strict NMF).  ME-2 in EPA PMF 5.0 lets contributions go
	 * slightly negative in the same way.
	 */
	double		g_lower;

	/*
	 * Screening (nmf_fit): with screen_starts > runs, that many random
	 * starts are first iterated screen_iter times each, and only the runs
	 * best of them (by the ranking Q) are run to convergence: many cheap
	 * looks at the landscape instead of many full runs.  0: every start is
	 * a run.
	 */
	int			screen_starts;
	int			screen_iter;

	/*
	 * DISP (disp.h): every update leaves H[hold_index] at hold_value, and
	 * factor f's scale pinned (sum_i |W[i][f]| = hold_scale, H[f] scaled to
	 * match), which W H does not fix: without it the factor could absorb
	 * any displacement by rescaling.
	 */
	bool		hold;
	int			hold_index;		/* f n + j */
	double		hold_value;
	double		hold_scale;
} NmfParams;

typedef struct NmfProblem
{
	int			m;
	int			n;
	const double *x;
	const double *u;
	double	   *weight;			/* 1 / u^2 */
	double	   *weighted_x;		/* x / u^2 */
} NmfProblem;

typedef struct NmfRun
{
	uint64_t	seed;
	double		q_true;			/* sum ((x - WH) / u)^2 */
	double		q_robust;		/* the same with |r| > alpha counted as alpha |r| */
	int			iterations;
	bool		converged;
} NmfRun;

typedef enum NmfInputStatus
{
	NMF_INPUT_OK,
	NMF_CONC_NOT_FINITE,
	NMF_CONC_NEGATIVE,			/* only LS-NMF needs x >= 0 */
	NMF_UNC_NOT_POSITIVE		/* NaN, infinite, zero or negative uncertainty */
} NmfInputStatus;

/*
 * Checks every cell; on failure *row and *col (0-based) locate the first bad
 * one.  Polls kernel_check_interrupts (call it from the calling thread only).
 */
extern NmfInputStatus nmf_check_input(const double *x, const double *u, int m, int n,
									  NmfMethod method, int *row, int *col);

/* Precomputes the weights; x and u must stay valid until nmf_problem_free. */
extern void nmf_problem_init(NmfProblem *problem, const double *x, const double *u, int m, int n);
/*
 * The same into caller-provided weight and weighted_x buffers (m x n each);
 * allocates nothing.  Polls stop per row as nmf_should_stop does (NULL:
 * kernel_check_interrupts); false if it stopped.
 */
extern bool nmf_problem_init_in(NmfProblem *problem, const double *x, const double *u, int m, int n,
								double *weight, double *weighted_x, const volatile int *stop);
extern void nmf_problem_free(NmfProblem *problem);

extern void nmf_q(const NmfProblem *problem, const double *w, const double *h, int k,
				  double *q_true, double *q_robust);

/*
 * Random start H = |sqrt(mean_j / k) N(0,1)|, W = |sqrt(mean_i / k) N(0,1)|
 * from seed; polls stop as nmf_problem_init_in does; false if it stopped.
 */
extern bool nmf_initialize(const NmfProblem *problem, int k, uint64_t seed, double *w, double *h,
						   const volatile int *stop);

/* Iterates from the W and H given (e.g. a base solution) instead of a random start. */
extern void nmf_refine(const NmfProblem *problem, const NmfParams *params,
					   double *w, double *h, NmfRun *result);

/*
 * The same with caller-provided working memory of nmf_arena_doubles()
 * doubles; allocates nothing.  stop: see NmfIterate (nmf_rules.h).
 */
extern size_t nmf_arena_doubles(int m, int n, const NmfParams *params);
extern void nmf_refine_in(const NmfProblem *problem, const NmfParams *params, double *w, double *h,
						  NmfRun *result, double *arena, const volatile int *stop);

/*
 * Called for each finished run (0-based index), in run order, in the calling
 * thread and only while no worker thread runs (with threads: after they are
 * joined), so it may throw.  Not called for a stopped fit.
 */
typedef void (*NmfProgress) (void *context, int run, int runs, const NmfRun *result);

/*
 * Asked about every 20 ms by the calling thread while runs go on in worker
 * threads; true stops the fit.  Must not throw.
 */
typedef bool (*NmfStopRequested) (void);

typedef enum NmfFitStatus
{
	NMF_FIT_OK,
	NMF_FIT_ALL_DIVERGED,		/* every run ended with Q = NaN */
	NMF_FIT_STOPPED				/* stop_requested said so; results incomplete */
} NmfFitStatus;

/*
 * runs random starts; run i is seeded with the i-th splitmix64 output of
 * seed (with screening, see NmfParams: the i-th of the starts kept, in
 * seed order; results[i].seed tells which).  Keeps the best run (lowest Q(robust) with params->robust, else
 * Q(true); ties: the lower run index) in best_w / best_h and its index in
 * *best, and fills results[0..runs).
 *
 * With threads > 1 and a stop_requested callback, runs are spread over that
 * many POSIX threads (signals blocked in them); all memory is allocated
 * before they start and they call nothing but arithmetic, so the kernel
 * hooks (palloc, interrupts) are only used by the calling thread.  Results
 * do not depend on the number of threads.  Otherwise the runs go one after
 * another in the calling thread, which polls kernel_check_interrupts().
 */
extern NmfFitStatus nmf_fit(const NmfProblem *problem, const NmfParams *params, int runs,
							uint64_t seed, int threads, NmfStopRequested stop_requested,
							NmfProgress progress, void *context,
							double *best_w, double *best_h, NmfRun *results, int *best, double *run_h);

#endif
