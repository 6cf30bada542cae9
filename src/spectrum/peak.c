/*
 * peak.c: ordering and validity of peak lists.
 */
#include "peak.h"

#include <math.h>
#include <string.h>

#include "kernel.h"

/* Merge sort: stable, O(n log n) worst case, so equal m/z keep input order. */
static void
merge_sort(Peak *peaks, Peak *scratch, int n)
{
	int			half;
	int			i,
				j,
				k;

	if (n < 2)
		return;
	half = n / 2;
	merge_sort(peaks, scratch, half);
	merge_sort(peaks + half, scratch, n - half);
	if (peaks[half - 1].mz <= peaks[half].mz)
		return;
	memcpy(scratch, peaks, sizeof(Peak) * half);
	i = 0;
	j = half;
	k = 0;
	while (i < half && j < n)
		peaks[k++] = (peaks[j].mz < scratch[i].mz) ? peaks[j++] : scratch[i++];
	while (i < half)
		peaks[k++] = scratch[i++];
}

void
peaks_sort_by_mz(Peak *peaks, int n)
{
	Peak	   *scratch;

	for (int i = 1; i < n; i++)
	{
		if (peaks[i].mz < peaks[i - 1].mz)
		{
			scratch = kernel_alloc_array((size_t) n / 2 + 1, sizeof(Peak));
			merge_sort(peaks, scratch, n);
			kernel_free(scratch);
			return;
		}
	}
}

bool
peaks_valid(const Peak *peaks, int n, int *bad_index)
{
	for (int i = 0; i < n; i++)
	{
		if (!isfinite(peaks[i].mz) || peaks[i].mz <= 0 ||
			!isfinite(peaks[i].intensity) || peaks[i].intensity < 0)
		{
			if (bad_index)
				*bad_index = i;
			return false;
		}
	}
	return true;
}

void
peaks_unsign_zeros(Peak *peaks, int n)
{
	for (int i = 0; i < n; i++)
		if (peaks[i].intensity == 0)
			peaks[i].intensity = 0.0;
}

static int
compare_doubles(double x, double y)
{
	return x < y ? -1 : (x > y ? 1 : 0);
}

int
peaks_compare(const Peak *a, int na, const Peak *b, int nb)
{
	int			c;

	if (na != nb)
		return na < nb ? -1 : 1;
	for (int i = 0; i < na; i++)
		if ((c = compare_doubles(a[i].mz, b[i].mz)) != 0)
			return c;
	for (int i = 0; i < na; i++)
		if ((c = compare_doubles(a[i].intensity, b[i].intensity)) != 0)
			return c;
	return 0;
}

int
peaks_intensity_exponent(const Peak *peaks, int n)
{
	double		max = 0;

	for (int i = 0; i < n; i++)
		if (peaks[i].intensity > max)
			max = peaks[i].intensity;
	return max > 0 ? ilogb(max) : 0;
}
