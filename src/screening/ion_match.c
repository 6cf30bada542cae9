/*
 * ion_match.c: ppm-window matching of feature m/z against sorted ion m/z.
 */
#include "ion_match.h"

#include <math.h>
#include <stdlib.h>

#include "kernel.h"

typedef struct IndexedMz
{
	double		mz;
	int			index;
} IndexedMz;

static int
by_mz(const void *a, const void *b)
{
	const IndexedMz *x = a,
			   *y = b;

	if (x->mz != y->mz)
		return x->mz < y->mz ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

void
ion_sort(const double *mz, int n, int *order)
{
	IndexedMz  *items = kernel_alloc_array(n > 0 ? n : 1, sizeof(IndexedMz));

	for (int i = 0; i < n; i++)
	{
		items[i].mz = mz[i];
		items[i].index = i;
	}
	qsort(items, n, sizeof(IndexedMz), by_mz);
	for (int i = 0; i < n; i++)
		order[i] = items[i].index;
	kernel_free(items);
}

/* The first position whose m/z is >= value (n if none). */
static int
lower_bound(const double *sorted_mz, int n, double value)
{
	int			low = 0,
				high = n;

	while (low < high)
	{
		int			middle = low + (high - low) / 2;

		if (sorted_mz[middle] < value)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

static int
matches(double feature_mz, double ion_mz, double tolerance)
{
	return fabs(feature_mz - ion_mz) <= tolerance * ion_mz;
}

int
ion_window(const double *sorted_mz, int n, double feature_mz, double ppm, int *first, int *last)
{
	double		tolerance = ppm * 1e-6;
	int			begin,
				end;

	/*
	 * |f - t| <= tol t  <=>  f / (1 + tol) <= t <= f / (1 - tol).  The binary
	 * searches use these bounds; the edges are then moved with the exact
	 * condition, so rounding in the bounds decides nothing.
	 */
	begin = lower_bound(sorted_mz, n, feature_mz / (1 + tolerance));
	end = lower_bound(sorted_mz, n, feature_mz / (1 - tolerance));
	while (begin > 0 && matches(feature_mz, sorted_mz[begin - 1], tolerance))
		begin--;
	while (begin < end && !matches(feature_mz, sorted_mz[begin], tolerance))
		begin++;
	while (end < n && matches(feature_mz, sorted_mz[end], tolerance))
		end++;
	while (end > begin && !matches(feature_mz, sorted_mz[end - 1], tolerance))
		end--;
	*first = begin;
	*last = end;
	return end - begin;
}
