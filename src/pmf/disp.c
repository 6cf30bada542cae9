/*
 * disp.c: DISP error estimation of a PMF solution (see disp.h).
 */
#include "disp.h"

#include <math.h>
#include <string.h>

#include "kernel.h"
#include "similarity.h"

const double disp_dq_levels[DISP_LEVELS] = {4, 8, 15, 25};

/* Refits per level and direction at most (DispParams.max_refits is capped here). */
#define DISP_MAX_REFITS 16

/* Unbounded upward search gives up this many start steps away. */
#define DISP_UNBOUNDED_STEPS 1e6

typedef struct DispEvaluation
{
	double		d;
	double		dq;
	bool		swapped;
} DispEvaluation;

/* The evaluations so far that bracket target: largest d with dq <= target, smallest d above. */
static void
bracket(const DispEvaluation *evals, int count, double target, DispEvaluation *lo, const DispEvaluation **hi)
{
	lo->d = 0;
	lo->dq = 0;
	lo->swapped = false;
	*hi = NULL;
	for (int e = 0; e < count; e++)
		if (evals[e].dq <= target)
		{
			if (evals[e].d > lo->d)
				*lo = evals[e];
		}
		else if (*hi == NULL || evals[e].d < (*hi)->d)
			*hi = &evals[e];
}

/*
 * Next displacement to try, aiming at 97.5% of target (the middle of the
 * accepted band, so rounding cannot push an exact model above it): where
 * the quadratic dq = c d^2 through the nearest point below (else above)
 * gets there, at most ten times further out.  Inside a known bracket, when
 * the quadratic falls outside (dq is often flat, then steep once a value
 * reaches 0), the secant between the bracket's ends, kept 5% inside it.
 */
static double
next_displacement(const DispEvaluation *lo, const DispEvaluation *hi, double start, double target)
{
	double		aim = 0.975 * target;
	double		d,
				margin;

	if (lo->d > 0 && lo->dq > 0)
		d = lo->d * sqrt(aim / lo->dq);
	else if (hi != NULL)
		d = hi->d * sqrt(aim / hi->dq);
	else
		d = lo->d > 0 ? 10 * lo->d : start;
	if (hi == NULL)
		return fmin(d, 10 * fmax(lo->d, start));
	margin = 0.05 * (hi->d - lo->d);
	if (d > lo->d + margin && d < hi->d - margin)
		return d;
	d = lo->d + (aim - lo->dq) * (hi->d - lo->d) / (hi->dq - lo->dq);
	return fmin(fmax(d, lo->d + margin), hi->d - margin);
}

void
disp_search(DispRise rise, void *context, double start, double limit,
			const double *targets, int ntargets, int max_evaluations,
			double *d_found, bool *swapped_found)
{
	DispEvaluation evals[DISP_LEVELS * DISP_MAX_REFITS];
	int			count = 0;

	/* the evaluations of all targets stay in evals: bound both */
	if (max_evaluations > DISP_MAX_REFITS)
		max_evaluations = DISP_MAX_REFITS;
	if (ntargets > DISP_LEVELS)
		ntargets = DISP_LEVELS;
	for (int t = 0; t < ntargets; t++)
	{
		double		target = targets[t];
		DispEvaluation lo;
		const DispEvaluation *hi;
		bool		unbounded = false;

		for (int tries = 0; tries < max_evaluations; tries++)
		{
			double		d;

			bracket(evals, count, target, &lo, &hi);
			if (lo.dq >= 0.95 * target || (hi != NULL && hi->d - lo.d <= 0.01 * hi->d) ||
				(lo.d >= limit))
				break;
			d = fmin(next_displacement(&lo, hi, start, target), limit);
			if (d > DISP_UNBOUNDED_STEPS * start)
			{
				unbounded = true;
				break;
			}
			evals[count].d = d;
			evals[count].dq = rise(context, d, &evals[count].swapped);
			count++;
		}
		bracket(evals, count, target, &lo, &hi);
		d_found[t] = unbounded ? INFINITY : lo.d;
		swapped_found[t] = unbounded ? false : lo.swapped;
	}
}

typedef struct DispShared
{
	const NmfProblem *problem;
	const double *w_base;
	const double *h_base;
	const double *base_cols;	/* k x m: base contributions by factor */
	const double *factor_scales;	/* k: sum_i |W[i][f]| of the base, pinned in the refits */
	const DispParams *params;
	double		q_base;
	DispResult *result;
} DispShared;

/* One thread's memory, allocated before the threads start. */
typedef struct DispWorker
{
	DispShared *shared;
	double	   *w;
	double	   *h;
	double	   *col;
	double	   *arena;
	/* the element under displacement */
	int			factor;
	int			index;
	double		base;
	double		direction;
	double		lowest_dq;
	const volatile int *stop;
} DispWorker;

/*
 * The Q the updates minimise: Q(true), or Q(robust) when they re-weight
 * outliers.  Measuring the other one would mix the displacement's cost with
 * the refit's drift along its own objective.
 */
static double
minimised_q(const NmfParams *params, const NmfRun *run)
{
	return params->reweight_after > 0 ? run->q_robust : run->q_true;
}

/* Does factor f of w (m x k) correlate best with another base factor? */
static bool
factor_swapped(const DispShared *s, const double *w, double *col, int f)
{
	int			m = s->problem->m,
				k = s->params->nmf.factors,
				best = -1;
	double		best_r = -INFINITY;

	for (int i = 0; i < m; i++)
		col[i] = w[(size_t) i * k + f];
	for (int g = 0; g < k; g++)
	{
		double		r = profile_similarity(col, s->base_cols + (size_t) g * m, m, PROFILE_PEARSON);

		if (!isnan(r) && r > best_r)
		{
			best_r = r;
			best = g;
		}
	}
	return best != f;
}

/* Refit with the element held at base + direction d; the rise of Q over the base fit. */
static double
displaced_rise(void *context, double d, bool *swapped)
{
	DispWorker *worker = context;
	const DispShared *s = worker->shared;
	int			m = s->problem->m,
				n = s->problem->n,
				k = s->params->nmf.factors;
	NmfParams	params = s->params->nmf;
	NmfRun		run;
	double		dq;

	*swapped = false;
	if (worker->stop != NULL && *worker->stop)
		return INFINITY;
	memcpy(worker->w, s->w_base, sizeof(double) * m * k);
	memcpy(worker->h, s->h_base, sizeof(double) * k * n);
	params.hold = true;
	params.hold_index = worker->index;
	params.hold_value = fmax(worker->base + worker->direction * d, 0);
	params.hold_scale = s->factor_scales[worker->factor];
	worker->h[worker->index] = params.hold_value;
	nmf_refine_in(s->problem, &params, worker->w, worker->h, &run, worker->arena, worker->stop);
	dq = minimised_q(&params, &run) - s->q_base;
	if (isnan(dq))
		return INFINITY;
	worker->lowest_dq = fmin(worker->lowest_dq, dq);
	*swapped = factor_swapped(s, worker->w, worker->col, worker->factor);
	return dq;
}

static void
displace_element(void *arg, int element, const volatile int *stop)
{
	DispWorker *worker = arg;
	const DispShared *s = worker->shared;
	int			n = s->problem->n,
				k = s->params->nmf.factors,
				j = element % n;
	double		column_max = 0,
				start,
				found[DISP_LEVELS];
	bool		swapped[DISP_LEVELS];
	DispResult *result = s->result;
	size_t		out = (size_t) element * DISP_LEVELS;

	worker->factor = element / n;
	worker->index = element;
	worker->base = s->h_base[element];
	worker->lowest_dq = 0;
	worker->stop = stop;
	for (int f = 0; f < k; f++)
		column_max = fmax(column_max, s->h_base[(size_t) f * n + j]);
	/* a tenth of the value (of the species' largest value when it is 0) */
	start = 0.1 * (worker->base > 0 ? worker->base : column_max > 0 ? column_max : 1);

	worker->direction = -1;
	if (worker->base > 0)
		disp_search(displaced_rise, worker, start, worker->base, disp_dq_levels, DISP_LEVELS,
					s->params->max_refits, found, swapped);
	else
		for (int l = 0; l < DISP_LEVELS; l++)
		{
			found[l] = 0;
			swapped[l] = false;
		}
	for (int l = 0; l < DISP_LEVELS; l++)
	{
		result->low[out + l] = fmax(worker->base - found[l], 0);
		result->swap_low[out + l] = swapped[l];
	}

	worker->direction = 1;
	disp_search(displaced_rise, worker, start, INFINITY, disp_dq_levels, DISP_LEVELS,
				s->params->max_refits, found, swapped);
	for (int l = 0; l < DISP_LEVELS; l++)
	{
		result->high[out + l] = worker->base + found[l];
		result->swap_high[out + l] = swapped[l];
	}
	result->q_drop[element] = worker->lowest_dq < 0 ? -worker->lowest_dq : 0;
}

bool
pmf_disp(const NmfProblem *problem, const double *w_base, const double *h_base,
		 const DispParams *params, int threads, ParallelStopRequested stop_requested,
		 ParallelDone done, void *done_context, DispResult *result)
{
	int			m = problem->m,
				n = problem->n,
				k = params->nmf.factors,
				elements = k * n;
	int			n_workers = threads < 1 ? 1 : threads < elements ? threads : elements;
	size_t		arena_doubles = nmf_arena_doubles(m, n, &params->nmf);
	DispWorker *workers = kernel_alloc_array(n_workers, sizeof(DispWorker));
	void	  **worker_args = kernel_alloc_array(n_workers, sizeof(void *));
	double	   *base_cols = kernel_alloc_array((size_t) k * m, sizeof(double));
	double	   *factor_scales = kernel_alloc_array(k, sizeof(double));
	DispShared	shared = {problem, w_base, h_base, base_cols, factor_scales, params, 0, result};
	NmfRun		base_run;
	bool		completed;

	memset(factor_scales, 0, sizeof(double) * k);
	for (int i = 0; i < m; i++)
		for (int f = 0; f < k; f++)
		{
			base_cols[(size_t) f * m + i] = w_base[(size_t) i * k + f];
			factor_scales[f] += fabs(w_base[(size_t) i * k + f]);
		}
	for (int t = 0; t < n_workers; t++)
	{
		DispWorker *worker = &workers[t];

		worker->shared = &shared;
		worker->w = kernel_alloc_array((size_t) m * k, sizeof(double));
		worker->h = kernel_alloc_array((size_t) k * n, sizeof(double));
		worker->col = kernel_alloc_array(m, sizeof(double));
		worker->arena = kernel_alloc_array(arena_doubles, sizeof(double));
		worker_args[t] = worker;
	}

	/* the reference: the base solution refitted by the same rule, undisplaced */
	memcpy(workers[0].w, w_base, sizeof(double) * m * k);
	memcpy(workers[0].h, h_base, sizeof(double) * k * n);
	nmf_refine_in(problem, &params->nmf, workers[0].w, workers[0].h, &base_run, workers[0].arena, NULL);
	shared.q_base = result->q_base = minimised_q(&params->nmf, &base_run);

	completed = parallel_run(elements, worker_args, n_workers, displace_element, stop_requested,
							 done, done_context);

	for (int t = 0; t < n_workers; t++)
	{
		kernel_free(workers[t].w);
		kernel_free(workers[t].h);
		kernel_free(workers[t].col);
		kernel_free(workers[t].arena);
	}
	kernel_free(workers);
	kernel_free(worker_args);
	kernel_free(base_cols);
	kernel_free(factor_scales);
	return completed;
}
