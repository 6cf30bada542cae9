/*
 * parallel.c: the thread pool behind parallel_run (see parallel.h).
 */
#include "parallel.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "kernel.h"

typedef struct Pool
{
	ParallelTask task;
	int			count;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int			next;			/* the next task to hand out */
	int			finished;		/* tasks completed */
	volatile int stop;
} Pool;

typedef struct Thread
{
	Pool	   *pool;
	void	   *worker;
	pthread_t	id;
} Thread;

static void *
thread_main(void *arg)
{
	Thread	   *thread = arg;
	Pool	   *pool = thread->pool;

	for (;;)
	{
		int			index;

		pthread_mutex_lock(&pool->lock);
		index = pool->stop ? pool->count : pool->next++;
		pthread_mutex_unlock(&pool->lock);
		if (index >= pool->count)
			break;
		pool->task(thread->worker, index, &pool->stop);
		pthread_mutex_lock(&pool->lock);
		pool->finished++;
		pthread_cond_signal(&pool->changed);
		pthread_mutex_unlock(&pool->lock);
	}
	return NULL;
}

/* Starts up to count threads with every signal blocked; returns how many started. */
static int
start_threads(Thread *threads, int count)
{
	sigset_t	all,
				saved;
	int			started = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved);
	while (started < count &&
		   pthread_create(&threads[started].id, NULL, thread_main, &threads[started]) == 0)
		started++;
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	return started;
}

/*
 * Waits until every task has finished or stop_requested() says so (then
 * sets stop); false if stopped.  stop_requested() is asked at least once,
 * so a stop request is honoured even when the threads got through every
 * task before this thread ran (valgrind, which runs one thread at a time,
 * does that).  Reports nothing: done() may throw (a server NOTICE can),
 * which must never happen while threads still run on the caller's memory.
 */
static bool
coordinate(Pool *pool, ParallelStopRequested stop_requested)
{
	bool		stopped = false;

	pthread_mutex_lock(&pool->lock);
	for (;;)
	{
		struct timespec deadline;

		if (stop_requested())
		{
			pool->stop = 1;
			stopped = true;
			break;
		}
		if (pool->finished >= pool->count)
			break;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 20 * 1000 * 1000;
		if (deadline.tv_nsec >= 1000000000L)
		{
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&pool->changed, &pool->lock, &deadline);
	}
	pthread_mutex_unlock(&pool->lock);
	return !stopped;
}

bool
parallel_run(int count, void **workers, int n_workers, ParallelTask task,
			 ParallelStopRequested stop_requested, ParallelDone done, void *context)
{
	int			started = 0;
	bool		completed = true;

	if (n_workers > count)
		n_workers = count;
	if (n_workers > 1 && stop_requested != NULL)
	{
		Pool		pool;
		Thread	   *threads = kernel_alloc_array(n_workers, sizeof(Thread));

		pool.task = task;
		pool.count = count;
		pool.next = 0;
		pool.finished = 0;
		pool.stop = 0;
		for (int t = 0; t < n_workers; t++)
		{
			threads[t].pool = &pool;
			threads[t].worker = workers[t];
		}
		pthread_mutex_init(&pool.lock, NULL);
		pthread_cond_init(&pool.changed, NULL);
		started = start_threads(threads, n_workers);
		if (started > 0)
		{
			completed = coordinate(&pool, stop_requested);
			for (int t = 0; t < started; t++)
				pthread_join(threads[t].id, NULL);
		}
		pthread_cond_destroy(&pool.changed);
		pthread_mutex_destroy(&pool.lock);
		kernel_free(threads);
		/* every thread joined: now done() may do anything, even throw */
		if (started > 0 && completed && done)
			for (int i = 0; i < count; i++)
				done(context, i);
	}
	if (started == 0)
		for (int i = 0; i < count; i++)
		{
			task(workers[0], i, NULL);
			if (done)
				done(context, i);
		}
	return completed;
}
