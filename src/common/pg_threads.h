/*
 * pg_threads.h: how many threads a kernel may use inside this backend, and
 * how a kernel's worker threads learn of a cancel (see parallel.h).
 */
#ifndef CHEMECO_PG_THREADS_H
#define CHEMECO_PG_THREADS_H

#include "postgres.h"

/* Upper bound on the threads of one kernel call. */
#define CHEMECO_MAX_THREADS 8

/* Defines the chemeco.max_threads setting (from _PG_init). */
extern void chemeco_define_thread_settings(void);

/*
 * chemeco.max_threads, or 1 + max_parallel_workers_per_gather when it is -1;
 * at most the online CPUs and CHEMECO_MAX_THREADS; 1 inside a parallel worker.
 */
extern int	chemeco_threads(void);

/* For the kernels' stop_requested: a cancel or termination is pending (never throws). */
extern bool chemeco_cancel_pending(void);

/* After a kernel stopped for chemeco_cancel_pending: raises the pending interrupt. */
extern void chemeco_raise_cancel(void);

#endif
