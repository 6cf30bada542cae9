/*
 * nmf_fit.c: many seeded random starts, in the calling thread or spread over
 * worker threads (see nmf_fit in nmf.h for the rules the threads follow).
 */
#include "nmf.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "kernel.h"
#include "prng.h"

typedef struct FitShared
{
	const NmfProblem *problem;
	const NmfParams *params;
	const uint64_t *seeds;
	NmfRun	   *results;
	int			runs;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int			next_run;		/* the next run to hand out */
	bool	   *done;			/* per run */
	volatile int stop;
} FitShared;

/* One thread's memory; everything is allocated before the thread starts. */
typedef struct FitWorker
{
	FitShared  *shared;
	pthread_t	thread;
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
run_one(FitWorker *worker, int run, const volatile int *stop)
{
	FitShared  *shared = worker->shared;
	const NmfParams *params = shared->params;
	size_t		w_cells = (size_t) shared->problem->m * params->factors,
				h_cells = (size_t) params->factors * shared->problem->n;

	nmf_initialize(shared->problem, params->factors, shared->seeds[run], worker->w, worker->h);
	shared->results[run].seed = shared->seeds[run];
	nmf_refine_in(shared->problem, params, worker->w, worker->h, &shared->results[run],
				  worker->arena, stop);
	if (stop != NULL && *stop)
		return;
	if (better(params, shared->results, run, worker->best))
	{
		worker->best = run;
		memcpy(worker->best_w, worker->w, sizeof(double) * w_cells);
		memcpy(worker->best_h, worker->h, sizeof(double) * h_cells);
	}
}

static void *
worker_main(void *arg)
{
	FitWorker  *worker = arg;
	FitShared  *shared = worker->shared;

	for (;;)
	{
		int			run;

		pthread_mutex_lock(&shared->lock);
		run = shared->stop ? shared->runs : shared->next_run++;
		pthread_mutex_unlock(&shared->lock);
		if (run >= shared->runs)
			break;
		run_one(worker, run, &shared->stop);
		pthread_mutex_lock(&shared->lock);
		shared->done[run] = !shared->stop;
		pthread_cond_signal(&shared->changed);
		pthread_mutex_unlock(&shared->lock);
	}
	return NULL;
}

static void
worker_alloc(FitWorker *worker, FitShared *shared)
{
	const NmfProblem *problem = shared->problem;
	size_t		w_cells = (size_t) problem->m * shared->params->factors,
				h_cells = (size_t) shared->params->factors * problem->n;

	worker->shared = shared;
	worker->arena = kernel_alloc_array(nmf_arena_doubles(problem->m, problem->n, shared->params),
									   sizeof(double));
	worker->w = kernel_alloc_array(w_cells, sizeof(double));
	worker->h = kernel_alloc_array(h_cells, sizeof(double));
	worker->best_w = kernel_alloc_array(w_cells, sizeof(double));
	worker->best_h = kernel_alloc_array(h_cells, sizeof(double));
	worker->best = -1;
}

static void
worker_free(FitWorker *worker)
{
	kernel_free(worker->arena);
	kernel_free(worker->w);
	kernel_free(worker->h);
	kernel_free(worker->best_w);
	kernel_free(worker->best_h);
}

/* Starts up to count threads with every signal blocked; returns how many started. */
static int
start_threads(FitWorker *workers, int count)
{
	sigset_t	all,
				saved;
	int			started = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	while (started < count &&
		   pthread_create(&workers[started].thread, NULL, worker_main, &workers[started]) == 0)
		started++;
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	return started;
}

/* Waits for the runs in order, reporting each; false if stopped. */
static bool
coordinate(FitShared *shared, NmfStopRequested stop_requested, NmfProgress progress, void *context)
{
	int			reported = 0;
	bool		stopped = false;

	pthread_mutex_lock(&shared->lock);
	while (reported < shared->runs)
	{
		struct timespec deadline;

		if (shared->done[reported])
		{
			pthread_mutex_unlock(&shared->lock);
			if (progress)
				progress(context, reported, shared->runs, &shared->results[reported]);
			reported++;
			pthread_mutex_lock(&shared->lock);
			continue;
		}
		if (stop_requested())
		{
			shared->stop = 1;
			stopped = true;
			break;
		}
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 20 * 1000 * 1000;
		if (deadline.tv_nsec >= 1000000000L)
		{
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&shared->changed, &shared->lock, &deadline);
	}
	pthread_mutex_unlock(&shared->lock);
	return !stopped;
}

NmfFitStatus
nmf_fit(const NmfProblem *problem, const NmfParams *params, int runs, uint64_t seed,
		int threads, NmfStopRequested stop_requested, NmfProgress progress, void *context,
		double *best_w, double *best_h, NmfRun *results, int *best)
{
	uint64_t   *seeds = kernel_alloc_array(runs, sizeof(uint64_t));
	uint64_t	seed_state = seed;
	int			workers_wanted = threads < runs ? threads : runs;
	FitWorker  *workers = kernel_alloc_array(workers_wanted > 0 ? workers_wanted : 1, sizeof(FitWorker));
	FitShared	shared;
	int			started = 0;
	bool		completed = true;

	for (int run = 0; run < runs; run++)
		seeds[run] = splitmix64_next(&seed_state);
	memset(&shared, 0, sizeof(shared));
	shared.problem = problem;
	shared.params = params;
	shared.seeds = seeds;
	shared.results = results;
	shared.runs = runs;
	shared.done = kernel_alloc_array(runs, sizeof(bool));
	for (int run = 0; run < runs; run++)
		shared.done[run] = false;

	if (workers_wanted > 1 && stop_requested != NULL)
	{
		for (int t = 0; t < workers_wanted; t++)
			worker_alloc(&workers[t], &shared);
		pthread_mutex_init(&shared.lock, NULL);
		pthread_cond_init(&shared.changed, NULL);
		started = start_threads(workers, workers_wanted);
		if (started > 0)
		{
			completed = coordinate(&shared, stop_requested, progress, context);
			for (int t = 0; t < started; t++)
				pthread_join(workers[t].thread, NULL);
		}
		pthread_cond_destroy(&shared.changed);
		pthread_mutex_destroy(&shared.lock);
		/* no thread could start: the calling thread does it all below */
		for (int t = started; t < workers_wanted; t++)
			worker_free(&workers[t]);
		workers_wanted = started;
	}
	if (started == 0)
	{
		worker_alloc(&workers[0], &shared);
		workers_wanted = 1;
		for (int run = 0; run < runs; run++)
		{
			run_one(&workers[0], run, NULL);
			if (progress)
				progress(context, run, runs, &results[run]);
		}
	}

	*best = -1;
	for (int t = 0; t < workers_wanted; t++)
	{
		if (completed && workers[t].best >= 0 && better(params, results, workers[t].best, *best))
		{
			*best = workers[t].best;
			memcpy(best_w, workers[t].best_w, sizeof(double) * problem->m * params->factors);
			memcpy(best_h, workers[t].best_h, sizeof(double) * params->factors * problem->n);
		}
		worker_free(&workers[t]);
	}
	kernel_free(shared.done);
	kernel_free(workers);
	kernel_free(seeds);
	if (!completed)
		return NMF_FIT_STOPPED;
	return *best < 0 ? NMF_FIT_ALL_DIVERGED : NMF_FIT_OK;
}
