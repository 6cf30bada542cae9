/*
 * parallel.h: independent tasks spread over POSIX threads, for the kernels
 * (NMF runs, bootstrap resamples, library search parts).
 *
 * Rules that make this safe inside a PostgreSQL backend: the caller
 * allocates every worker's memory before the threads start; tasks do only
 * arithmetic on it (no kernel_alloc, no kernel_check_interrupts, nothing of
 * the server); the threads run with all signals blocked.  The calling
 * thread waits for the tasks, asking stop_requested() (which must not throw)
 * about every 20 ms; when it says so, the tasks see *stop set, the threads
 * are joined and parallel_run returns false.  done() is called only while no
 * thread runs (after the join, for every task in task order; without threads
 * after each task), so it may throw, e.g. a server NOTICE.
 */
#ifndef CHEMECO_PARALLEL_H
#define CHEMECO_PARALLEL_H

#include <stdbool.h>

/* Runs task number index with a worker's private memory. */
typedef void (*ParallelTask) (void *worker, int index, const volatile int *stop);

/* Called in the calling thread for each task, in task order, while no thread runs. */
typedef void (*ParallelDone) (void *context, int index);

/* Must not throw; reads flags only. */
typedef bool (*ParallelStopRequested) (void);

/*
 * Runs tasks 0..count-1 on up to n_workers threads, one per workers[t].
 * With n_workers <= 1, no stop_requested, or no thread starting, the tasks
 * run in the calling thread with stop = NULL (they then poll
 * kernel_check_interrupts() themselves) on workers[0].  Returns false only
 * if stopped.
 */
extern bool parallel_run(int count, void **workers, int n_workers, ParallelTask task,
						 ParallelStopRequested stop_requested, ParallelDone done, void *context);

#endif
