/*
 * clean.c: cleaning and centroiding of peak lists.
 *
 * Centroiding follows ms_entropy's centroid_spectrum: while two neighbours
 * are closer than merge_tolerance, take peaks from the most intense down;
 * each still-unmerged peak absorbs every peak within merge_tolerance of it
 * (<=), giving the intensity sum at the intensity-weighted mean m/z.  Equal
 * intensities are taken from the highest m/z down (ms_entropy leaves that
 * order to numpy's unstable argsort).
 */
#include "clean.h"

#include <stdlib.h>

#include "kernel.h"

typedef struct RankedPeak
{
	double		intensity;
	int			index;
} RankedPeak;

/* Descending intensity, then descending index. */
static int
by_intensity_desc(const void *x, const void *y)
{
	const RankedPeak *p = x;
	const RankedPeak *q = y;

	if (p->intensity != q->intensity)
		return p->intensity < q->intensity ? 1 : -1;
	return p->index < q->index ? 1 : -1;
}

static bool
has_close_neighbours(const Peak *peaks, int n, double merge_tolerance)
{
	for (int i = 1; i < n; i++)
		if (peaks[i].mz - peaks[i - 1].mz < merge_tolerance)
			return true;
	return false;
}

/* One merging pass; writes the merged peaks, sorted by m/z, to out. */
static int
merge_pass(Peak *peaks, int n, double tol, RankedPeak *order, Peak *out)
{
	int			n_out = 0;

	for (int i = 0; i < n; i++)
	{
		order[i].intensity = peaks[i].intensity;
		order[i].index = i;
	}
	qsort(order, n, sizeof(RankedPeak), by_intensity_desc);

	for (int k = 0; k < n; k++)
	{
		int			center = order[k].index;
		int			start = center;
		int			end = center + 1;
		double		intensity_sum = 0,
					weighted_mz = 0;

		if ((k & 1023) == 0)
			kernel_check_interrupts();
		if (peaks[center].intensity <= 0)
			continue;
		while (start > 0 && peaks[center].mz - peaks[start - 1].mz <= tol)
			start--;
		while (end < n && peaks[end].mz - peaks[center].mz <= tol)
			end++;
		for (int i = start; i < end; i++)
		{
			intensity_sum += peaks[i].intensity;
			weighted_mz += peaks[i].mz * peaks[i].intensity;
			peaks[i].intensity = 0;
		}
		out[n_out].mz = weighted_mz / intensity_sum;
		out[n_out].intensity = intensity_sum;
		n_out++;
	}
	peaks_sort_by_mz(out, n_out);
	return n_out;
}

int
peaks_centroid(Peak *peaks, int n, double merge_tolerance)
{
	RankedPeak *order;
	Peak	   *merged;

	if (!has_close_neighbours(peaks, n, merge_tolerance))
		return n;
	order = kernel_alloc_array((size_t) n, sizeof(RankedPeak));
	merged = kernel_alloc_array((size_t) n, sizeof(Peak));
	/* each pass merges at least one pair, so this ends within n passes */
	do
	{
		n = merge_pass(peaks, n, merge_tolerance, order, merged);
		for (int i = 0; i < n; i++)
			peaks[i] = merged[i];
	} while (has_close_neighbours(peaks, n, merge_tolerance));
	kernel_free(merged);
	kernel_free(order);
	return n;
}

int
peaks_clean(Peak *peaks, int n, const CleanParams *params)
{
	int			kept = 0;
	double		base = 0,
				total = 0,
				divisor = 1;

	for (int i = 0; i < n; i++)
	{
		if (peaks[i].intensity <= 0 || peaks[i].mz <= 0)
			continue;
		if (params->max_mz > 0 && peaks[i].mz >= params->max_mz)
			continue;
		peaks[kept++] = peaks[i];
	}
	n = peaks_centroid(peaks, kept, params->merge_tolerance);

	for (int i = 0; i < n; i++)
		if (peaks[i].intensity > base)
			base = peaks[i].intensity;
	kept = 0;
	for (int i = 0; i < n; i++)
	{
		if (peaks[i].intensity < params->min_intensity_ratio * base)
			continue;
		peaks[kept++] = peaks[i];
		total += peaks[i].intensity;
	}
	n = kept;

	if (params->normalization == NORMALIZE_SUM)
		divisor = total;
	else if (params->normalization == NORMALIZE_MAX)
		divisor = base;
	if (params->normalization != NORMALIZE_NONE && n > 0)
		for (int i = 0; i < n; i++)
			peaks[i].intensity /= divisor;
	return n;
}
