/*
 * clean.c: cleaning and centroiding of peak lists.
 *
 * Centroiding follows ms_entropy's centroid_spectrum: while two neighbours
 * are closer than merge_tolerance, take peaks from the most intense down;
 * each still-unmerged peak absorbs every peak within merge_tolerance of it
 * (<=), giving the intensity sum at the intensity-weighted mean m/z.  Equal
 * intensities are taken from the highest m/z down (ms_entropy leaves that
 * order to numpy's unstable argsort).  With a ppm merge tolerance, two
 * neighbours merge when their distance is within the ppm of the higher m/z
 * (ms_entropy's centroid check).
 *
 * Intensities are scaled by a power of two (exact) so that the largest is
 * in [1, 2) before any sum: intensities up to the largest double merge and
 * normalise without overflow.
 */
#include "clean.h"

#include <math.h>
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
has_close_neighbours(const Peak *peaks, int n, MzTolerance merge)
{
	for (int i = 1; i < n; i++)
		if (peaks[i].mz - peaks[i - 1].mz < mz_tolerance_at(merge, peaks[i].mz))
			return true;
	return false;
}

static void
rank_by_intensity(const Peak *peaks, int n, RankedPeak *order)
{
	for (int i = 0; i < n; i++)
	{
		order[i].intensity = peaks[i].intensity;
		order[i].index = i;
	}
	qsort(order, n, sizeof(RankedPeak), by_intensity_desc);
}

/* One merging pass; writes the merged peaks, sorted by m/z, to out. */
static int
merge_pass(Peak *peaks, int n, MzTolerance merge, RankedPeak *order, Peak *out)
{
	int			n_out = 0;

	rank_by_intensity(peaks, n, order);

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
		while (start > 0 && peaks[center].mz - peaks[start - 1].mz <= mz_tolerance_at(merge, peaks[center].mz))
			start--;
		while (end < n && peaks[end].mz - peaks[center].mz <= mz_tolerance_at(merge, peaks[end].mz))
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
peaks_centroid(Peak *peaks, int n, MzTolerance merge)
{
	RankedPeak *order;
	Peak	   *merged;

	if (!has_close_neighbours(peaks, n, merge))
		return n;
	order = kernel_alloc_array((size_t) n, sizeof(RankedPeak));
	merged = kernel_alloc_array((size_t) n, sizeof(Peak));
	/* each pass merges at least one pair, so this ends within n passes */
	do
	{
		n = merge_pass(peaks, n, merge, order, merged);
		for (int i = 0; i < n; i++)
			peaks[i] = merged[i];
	} while (has_close_neighbours(peaks, n, merge));
	kernel_free(merged);
	kernel_free(order);
	return n;
}

CleanParams
clean_params_for_matching(MzTolerance tolerance)
{
	CleanParams params = {0.01, tolerance, 0, 0, 0, NORMALIZE_SUM};

	params.merge.value = 2 * tolerance.value;
	return params;
}

void
clean_params_remove_precursor(CleanParams *params, double precursor_mz, double removal)
{
	/* every m/z is > 0, so >= the smallest positive double */
	double		cut = fmax(precursor_mz - removal, nextafter(0.0, 1.0));

	if (params->max_mz <= 0 || cut < params->max_mz)
		params->max_mz = cut;
}

/* Keep the max_peak_num most intense peaks (ties: the higher m/z), in m/z order. */
static int
keep_most_intense(Peak *peaks, int n, int max_peak_num)
{
	RankedPeak *order;
	int			kept = 0;

	if (max_peak_num <= 0 || n <= max_peak_num)
		return n;
	order = kernel_alloc_array((size_t) n, sizeof(RankedPeak));
	rank_by_intensity(peaks, n, order);
	for (int k = max_peak_num; k < n; k++)
		peaks[order[k].index].intensity = -1;
	kernel_free(order);
	for (int i = 0; i < n; i++)
		if (peaks[i].intensity >= 0)
			peaks[kept++] = peaks[i];
	return kept;
}

int
peaks_clean(Peak *peaks, int n, const CleanParams *params)
{
	int			kept = 0,
				exponent;
	double		base = 0,
				total = 0,
				divisor = 1;

	for (int i = 0; i < n; i++)
	{
		if (peaks[i].intensity <= 0 || peaks[i].mz <= 0)
			continue;
		if (params->min_mz > 0 && peaks[i].mz < params->min_mz)
			continue;
		if (params->max_mz > 0 && peaks[i].mz >= params->max_mz)
			continue;
		peaks[kept++] = peaks[i];
	}
	exponent = peaks_intensity_exponent(peaks, kept);
	for (int i = 0; i < kept; i++)
		peaks[i].intensity = ldexp(peaks[i].intensity, -exponent);
	n = peaks_centroid(peaks, kept, params->merge);

	for (int i = 0; i < n; i++)
		if (peaks[i].intensity > base)
			base = peaks[i].intensity;
	kept = 0;
	for (int i = 0; i < n; i++)
		if (peaks[i].intensity >= params->min_intensity_ratio * base)
			peaks[kept++] = peaks[i];
	n = keep_most_intense(peaks, kept, params->max_peak_num);
	for (int i = 0; i < n; i++)
		total += peaks[i].intensity;

	if (params->normalization == NORMALIZE_SUM)
		divisor = total;
	else if (params->normalization == NORMALIZE_MAX)
		divisor = base;
	for (int i = 0; i < n; i++)
	{
		if (params->normalization != NORMALIZE_NONE)
			peaks[i].intensity /= divisor;
		else if (!isfinite(peaks[i].intensity = ldexp(peaks[i].intensity, exponent)))
			return -1;
	}
	return n;
}
