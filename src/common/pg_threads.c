/*
 * pg_threads.c: thread count and cancel polling for threaded kernels.
 */
#include "pg_threads.h"

#include <unistd.h>

#include "access/parallel.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "utils/guc.h"

/* chemeco.max_threads; -1: follow max_parallel_workers_per_gather */
static int	max_threads_setting = -1;

void
chemeco_define_thread_settings(void)
{
	DefineCustomIntVariable("chemeco.max_threads",
							"Threads one chemeco call may use inside its backend (PMF runs, bootstrap, DISP, index search).",
							"-1 follows the planner: 1 + max_parallel_workers_per_gather. "
							"Either way at most the online CPUs and 8, and 1 inside a parallel worker.",
							&max_threads_setting, -1, -1, CHEMECO_MAX_THREADS,
							PGC_USERSET, 0, NULL, NULL, NULL);
}

/*
 * Every thread holds a full working set, and max_parallel_workers_per_gather
 * is user-settable up to 1024: cap at the online CPUs and CHEMECO_MAX_THREADS.
 * A parallel worker already is one of several processes: one thread each.
 */
int
chemeco_threads(void)
{
	long		cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int			threads = max_threads_setting >= 1 ? max_threads_setting : 1 + max_parallel_workers_per_gather;

	if (IsParallelWorker())
		return 1;
	if (cpus >= 1 && threads > cpus)
		threads = (int) cpus;
	return Min(threads, CHEMECO_MAX_THREADS);
}

/*
 * Polled while worker threads compute; reads the flags the signal handlers
 * set.  Only a cancel CHECK_FOR_INTERRUPTS would act on now counts: while
 * interrupts are held off (or in a critical section) the threads go on, as
 * the one-thread path would.
 */
bool
chemeco_cancel_pending(void)
{
	return (QueryCancelPending || ProcDiePending) && INTERRUPTS_CAN_BE_PROCESSED();
}

void
chemeco_raise_cancel(void)
{
	CHECK_FOR_INTERRUPTS();
	/* the flag was consumed elsewhere: still do not return a partial result */
	ereport(ERROR,
			(errcode(ERRCODE_QUERY_CANCELED),
			 errmsg("canceling the computation")));
}
