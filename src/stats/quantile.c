/*
 * quantile.c: multi-rank quickselect and percentile_cont interpolation.
 */
#include "quantile.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "sort.h"

#define INSERTION_SORT_MAX 16

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

static int
compare_sizes(const void *a, const void *b)
{
	size_t		x = *(const size_t *) a;
	size_t		y = *(const size_t *) b;

	return (x > y) - (x < y);
}

static void
insertion_sort(double *v, ptrdiff_t lo, ptrdiff_t hi)
{
	for (ptrdiff_t i = lo + 1; i <= hi; i++)
	{
		double		x = v[i];
		ptrdiff_t	j = i - 1;

		for (; j >= lo && v[j] > x; j--)
			v[j + 1] = v[j];
		v[j + 1] = x;
	}
}

static double
median_of_three(double a, double b, double c)
{
	if (a < b)
		return b < c ? b : (a < c ? c : a);
	return a < c ? a : (b < c ? c : b);
}

/*
 * Place the k-th smallest of v[lo..hi] at v[k], smaller ones before it and
 * larger ones after.  Hoare partitioning around a median of three copes with
 * sorted input and with many equal values; should an adversarial input still
 * need too many rounds, the range is sorted instead (O(n log n) worst case).
 */
static void
quickselect(double *v, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t k)
{
	int			rounds_left = 64;

	for (size_t span = (size_t) (hi - lo + 1); span > 1; span >>= 1)
		rounds_left += 2;

	while (hi - lo >= INSERTION_SORT_MAX)
	{
		double		pivot;
		ptrdiff_t	i = lo;
		ptrdiff_t	j = hi;

		if (--rounds_left < 0)
		{
			qsort(v + lo, (size_t) (hi - lo + 1), sizeof(double), compare_doubles);
			return;
		}
		kernel_check_interrupts();
		pivot = median_of_three(v[lo], v[lo + (hi - lo) / 2], v[hi]);
		while (i <= j)
		{
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
			{
				double		t = v[i];

				v[i++] = v[j];
				v[j--] = t;
			}
		}
		/* now v[lo..j] <= pivot, v[i..hi] >= pivot, and v[j+1..i-1] == pivot */
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
	insertion_sort(v, lo, hi);
}

/* Move the smallest (or largest) of v[lo..hi] to v[lo] (or v[hi]): one pass. */
static void
place_extreme(double *v, ptrdiff_t lo, ptrdiff_t hi, bool largest)
{
	ptrdiff_t	target = largest ? hi : lo;
	ptrdiff_t	best = target;

	for (ptrdiff_t i = lo; i <= hi; i++)
		if (largest ? v[i] > v[best] : v[i] < v[best])
			best = i;
	if (best != target)
	{
		double		t = v[best];

		v[best] = v[target];
		v[target] = t;
	}
}

static void
select_in_range(double *v, ptrdiff_t lo, ptrdiff_t hi, const size_t *ranks, size_t nranks)
{
	size_t		middle;
	ptrdiff_t	k;

	if (nranks == 0 || lo >= hi)
		return;

	/*
	 * A rank at either end of the range (the neighbours of a rank just
	 * selected: interpolation needs floor and ceil) is a min or max scan.
	 */
	if ((ptrdiff_t) ranks[0] == lo)
	{
		place_extreme(v, lo, hi, false);
		select_in_range(v, lo + 1, hi, ranks + 1, nranks - 1);
		return;
	}
	if ((ptrdiff_t) ranks[nranks - 1] == hi)
	{
		place_extreme(v, lo, hi, true);
		select_in_range(v, lo, hi - 1, ranks, nranks - 1);
		return;
	}
	middle = nranks / 2;
	k = (ptrdiff_t) ranks[middle];
	quickselect(v, lo, hi, k);
	select_in_range(v, lo, k - 1, ranks, middle);
	select_in_range(v, k + 1, hi, ranks + middle + 1, nranks - middle - 1);
}

void
select_ranks(double *values, size_t n, const size_t *ranks, size_t nranks)
{
	/* ranks ascend: drop any past the end rather than select outside values */
	while (nranks > 0 && ranks[nranks - 1] >= n)
		nranks--;
	if (n > 1)
		select_in_range(values, 0, (ptrdiff_t) n - 1, ranks, nranks);
}

/* p * (n - 1) with p clamped to [0, 1] (NaN counts as 0): never outside the values. */
static double
rank_position(double p, size_t n)
{
	return fmin(fmax(p, 0.0), 1.0) * (double) (n - 1);
}

/* First index of values[lo..hi) (ascending) not below x (strictly above x when after_equal). */
static size_t
bound_in_run(const double *values, size_t lo, size_t hi, double x, bool after_equal)
{
	while (lo < hi)
	{
		size_t		middle = lo + (hi - lo) / 2;

		if (values[middle] < x || (after_equal && values[middle] == x))
			lo = middle + 1;
		else
			hi = middle;
	}
	return lo;
}

/*
 * Invariant: every value before lo[j] in run j is below the answer and every
 * value from hi[j] on is above it, so the answer lies in some window.  Each
 * round takes the middle of the widest window as pivot and counts, over all
 * runs, the values below and up to it: the pivot is the answer, or every
 * window shrinks to the side of the pivot the answer is on (the widest at
 * least by half).
 */
double
rank_across_runs(const double *values, size_t n, const size_t *starts, size_t nruns, size_t r)
{
	size_t		lo[MAX_SORTED_RUNS];
	size_t		hi[MAX_SORTED_RUNS];
	size_t		below[MAX_SORTED_RUNS];
	size_t		through[MAX_SORTED_RUNS];

	for (size_t j = 0; j < nruns; j++)
	{
		lo[j] = starts[j];
		hi[j] = j + 1 < nruns ? starts[j + 1] : n;
	}
	for (;;)
	{
		size_t		widest = 0;
		size_t		count_below = 0;
		size_t		count_through = 0;
		double		pivot;

		for (size_t j = 1; j < nruns; j++)
			if (hi[j] - lo[j] > hi[widest] - lo[widest])
				widest = j;
		pivot = values[lo[widest] + (hi[widest] - lo[widest]) / 2];
		for (size_t j = 0; j < nruns; j++)
		{
			size_t		run_start = starts[j];

			below[j] = bound_in_run(values, lo[j], hi[j], pivot, false);
			through[j] = bound_in_run(values, below[j], hi[j], pivot, true);
			count_below += below[j] - run_start;
			count_through += through[j] - run_start;
		}
		if (r < count_below)
			memcpy(hi, below, nruns * sizeof(size_t));
		else if (r >= count_through)
			memcpy(lo, through, nruns * sizeof(size_t));
		else
			return pivot;
	}
}

static void
quantiles_of_runs(const double *values, size_t n, const size_t *starts, size_t nruns,
				  const double *probs, size_t nprobs, double *out)
{
	for (size_t i = 0; i < nprobs; i++)
	{
		double		position = rank_position(probs[i], n);
		double		first_rank = floor(position);
		double		low = rank_across_runs(values, n, starts, nruns, (size_t) first_rank);
		double		high = ceil(position) == first_rank ? low :
			rank_across_runs(values, n, starts, nruns, (size_t) ceil(position));

		kernel_check_interrupts();
		out[i] = low + (position - first_rank) * (high - low);
	}
}

void
quantiles(double *values, size_t n, const double *probs, size_t nprobs, double *out)
{
	size_t		starts[MAX_SORTED_RUNS];
	size_t		nruns = ascending_runs(values, n, starts, MAX_SORTED_RUNS);
	size_t	   *ranks;
	size_t		nranks = 0;
	size_t		unique = 0;

	if (nruns > 0)
	{
		quantiles_of_runs(values, n, starts, nruns, probs, nprobs, out);
		return;
	}
	ranks = kernel_alloc_array(2 * nprobs + 1, sizeof(size_t));

	for (size_t i = 0; i < nprobs; i++)
	{
		double		position = rank_position(probs[i], n);

		ranks[nranks++] = (size_t) floor(position);
		ranks[nranks++] = (size_t) ceil(position);
	}
	qsort(ranks, nranks, sizeof(size_t), compare_sizes);
	for (size_t i = 0; i < nranks; i++)
		if (unique == 0 || ranks[i] != ranks[unique - 1])
			ranks[unique++] = ranks[i];
	select_ranks(values, n, ranks, unique);
	kernel_free(ranks);
	quantiles_of_sorted(values, n, probs, nprobs, out);
}

/* Only values[floor(h)] and values[ceil(h)] are read: after select_ranks they are in place. */
void
quantiles_of_sorted(const double *values, size_t n, const double *probs, size_t nprobs, double *out)
{
	for (size_t i = 0; i < nprobs; i++)
	{
		double		position = rank_position(probs[i], n);
		double		first_rank = floor(position);
		double		low = values[(size_t) first_rank];
		double		high = values[(size_t) ceil(position)];

		/* the very expression of percentile_cont (float8_lerp) */
		out[i] = low + (position - first_rank) * (high - low);
	}
}
