/*
 * nmf_fit.c: many seeded random starts, in the calling thread or spread
 * over worker threads with parallel_run (see nmf_fit in nmf.h).
 */
#include "nmf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "parallel.h"
#include "prng.h"

typedef struct FitShared
{
	const NmfProblem *problem;
	const NmfParams *params;
	const uint64_t *seeds;
	NmfRun	   *results;
	double	   *run_h;			/* NULL, or every run's final H */
	int			runs;
	NmfProgress progress;
	void	   *progress_context;
} FitShared;

/* One thread's memory; everything is allocated before the threads start. */
typedef struct FitWorker
{
	FitShared  *shared;
	double	   *arena;
	double	   *w;
	double	   *h;
	double	   *best_w;
	double	   *best_h;
	int			best;			/* this worker's best run so far, -1: none */
} FitWorker;

static double
ranking_q(const NmfParams *params, const NmfRun *run)
{
	return params->robust ? run->q_robust : run->q_true;
}

/* Is run a (index ia) better than run b (ib, -1 = none)?  NaN never wins. */
static bool
better(const NmfParams *params, const NmfRun *results, int ia, int ib)
{
	double		qa = ranking_q(params, &results[ia]);

	if (isnan(qa))
		return false;
	if (ib < 0)
		return true;
	return qa < ranking_q(params, &results[ib]) ||
		(qa == ranking_q(params, &results[ib]) && ia < ib);
}

static void
run_one(void *arg, int run, const volatile int *stop)
{
	FitWorker  *worker = arg;
	FitShared  *shared = worker->shared;
	const NmfParams *params = shared->params;
	size_t		w_cells = (size_t) shared->problem->m * params->factors,
				h_cells = (size_t) params->factors * shared->problem->n;

	shared->results[run].seed = shared->seeds[run];
	if (!nmf_initialize(shared->problem, params->factors, shared->seeds[run], worker->w, worker->h, stop))
		return;
	nmf_refine_in(shared->problem, params, worker->w, worker->h, &shared->results[run],
				  worker->arena, stop);
	if (stop != NULL && *stop)
		return;
	if (shared->run_h != NULL)
		memcpy(shared->run_h + run * h_cells, worker->h, sizeof(double) * h_cells);
	if (better(params, shared->results, run, worker->best))
	{
		worker->best = run;
		memcpy(worker->best_w, worker->w, sizeof(double) * w_cells);
		memcpy(worker->best_h, worker->h, sizeof(double) * h_cells);
	}
}

/* Screening: one start iterated params->screen_iter times; only its Q is kept. */
static void
screen_one(void *arg, int start, const volatile int *stop)
{
	FitWorker  *worker = arg;
	FitShared  *shared = worker->shared;
	NmfParams	screen = *shared->params;

	screen.max_iter = screen.screen_iter;
	shared->results[start].seed = shared->seeds[start];
	shared->results[start].q_true = shared->results[start].q_robust = NAN;
	if (!nmf_initialize(shared->problem, screen.factors, shared->seeds[start], worker->w, worker->h, stop))
		return;
	nmf_refine_in(shared->problem, &screen, worker->w, worker->h, &shared->results[start],
				  worker->arena, stop);
}

typedef struct Screened
{
	double		q;				/* ranking Q after screening */
	int			start;
} Screened;

/* Ranking Q ascending, NaN last; ties: the lower start. */
static int
compare_screened(const void *a, const void *b)
{
	const Screened *x = a,
			   *y = b;

	if (isnan(x->q) != isnan(y->q))
		return isnan(x->q) ? 1 : -1;
	if (!isnan(x->q) && x->q != y->q)
		return x->q < y->q ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

static int
compare_ints(const void *a, const void *b)
{
	int			ia = *(const int *) a,
				ib = *(const int *) b;

	return (ia > ib) - (ia < ib);
}

/*
 * Screening (see NmfParams.screen_starts): seeds[0..runs) become the seeds
 * of the runs best starts after screen_iter iterations, in seed order.
 * False if stopped.
 */
static bool
screen_starts(const NmfProblem *problem, const NmfParams *params, int runs, uint64_t seed,
			  void **worker_args, int n_workers, NmfStopRequested stop_requested, uint64_t *seeds)
{
	int			starts = params->screen_starts;
	uint64_t   *start_seeds = kernel_alloc_array(starts, sizeof(uint64_t));
	NmfRun	   *screened = kernel_alloc_array(starts, sizeof(NmfRun));
	Screened   *order = kernel_alloc_array(starts, sizeof(Screened));
	int		   *kept = kernel_alloc_array(runs, sizeof(int));
	FitShared	shared = {problem, params, start_seeds, screened, NULL, starts, NULL, NULL};
	uint64_t	seed_state = seed;
	bool		completed;

	for (int s = 0; s < starts; s++)
		start_seeds[s] = splitmix64_next(&seed_state);
	for (int t = 0; t < n_workers; t++)
		((FitWorker *) worker_args[t])->shared = &shared;
	completed = parallel_run(starts, worker_args, n_workers, screen_one, stop_requested, NULL, NULL);
	if (completed)
	{
		for (int s = 0; s < starts; s++)
		{
			order[s].q = ranking_q(params, &screened[s]);
			order[s].start = s;
		}
		/* qsort is not stable, but both orders are total */
		qsort(order, starts, sizeof(Screened), compare_screened);
		for (int run = 0; run < runs; run++)
			kept[run] = order[run].start;
		qsort(kept, runs, sizeof(int), compare_ints);
		for (int run = 0; run < runs; run++)
			seeds[run] = start_seeds[kept[run]];
	}
	kernel_free(start_seeds);
	kernel_free(screened);
	kernel_free(order);
	kernel_free(kept);
	return completed;
}

static void
run_done(void *context, int run)
{
	FitShared  *shared = context;

	if (shared->progress)
		shared->progress(shared->progress_context, run, shared->runs, &shared->results[run]);
}

NmfFitStatus
nmf_fit(const NmfProblem *problem, const NmfParams *params, int runs, uint64_t seed,
		int threads, NmfStopRequested stop_requested, NmfProgress progress, void *context,
		double *best_w, double *best_h, NmfRun *results, int *best, double *run_h)
{
	int			n_workers = threads < 1 ? 1 : threads < runs ? threads : runs;
	size_t		w_cells = (size_t) problem->m * params->factors,
				h_cells = (size_t) params->factors * problem->n;
	uint64_t   *seeds = kernel_alloc_array(runs, sizeof(uint64_t));
	FitWorker  *workers = kernel_alloc_array(n_workers, sizeof(FitWorker));
	void	  **worker_args = kernel_alloc_array(n_workers, sizeof(void *));
	uint64_t	seed_state = seed;
	FitShared	shared = {problem, params, seeds, results, run_h, runs, progress, context};
	bool		completed;

	for (int t = 0; t < n_workers; t++)
	{
		FitWorker  *worker = &workers[t];

		worker->shared = &shared;
		worker->arena = kernel_alloc_array(nmf_arena_doubles(problem->m, problem->n, params),
										   sizeof(double));
		worker->w = kernel_alloc_array(w_cells, sizeof(double));
		worker->h = kernel_alloc_array(h_cells, sizeof(double));
		worker->best_w = kernel_alloc_array(w_cells, sizeof(double));
		worker->best_h = kernel_alloc_array(h_cells, sizeof(double));
		worker->best = -1;
		worker_args[t] = worker;
	}

	if (params->screen_starts > runs)
		completed = screen_starts(problem, params, runs, seed, worker_args, n_workers, stop_requested, seeds);
	else
	{
		for (int run = 0; run < runs; run++)
			seeds[run] = splitmix64_next(&seed_state);
		completed = true;
	}
	for (int t = 0; t < n_workers; t++)
		workers[t].shared = &shared;
	if (completed)
		completed = parallel_run(runs, worker_args, n_workers, run_one, stop_requested, run_done, &shared);

	/* each worker kept its best; the overall best is the best of those */
	*best = -1;
	for (int t = 0; t < n_workers; t++)
	{
		FitWorker  *worker = &workers[t];

		if (completed && worker->best >= 0 && better(params, results, worker->best, *best))
		{
			*best = worker->best;
			memcpy(best_w, worker->best_w, sizeof(double) * w_cells);
			memcpy(best_h, worker->best_h, sizeof(double) * h_cells);
		}
		kernel_free(worker->arena);
		kernel_free(worker->w);
		kernel_free(worker->h);
		kernel_free(worker->best_w);
		kernel_free(worker->best_h);
	}
	kernel_free(worker_args);
	kernel_free(workers);
	kernel_free(seeds);
	if (!completed)
		return NMF_FIT_STOPPED;
	return *best < 0 ? NMF_FIT_ALL_DIVERGED : NMF_FIT_OK;
}
