/*
 * plots.c: mirror plots, PMF profiles and contributions, box plots (plots.h).
 */
#include "plots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#define WIDTH 800.0
#define LEFT 60.0
#define RIGHT 20.0
#define PLOT_WIDTH (WIDTH - LEFT - RIGHT)

/* ---- helpers ---- */

typedef struct RankedPeak
{
	double		mz;
	double		intensity;
} RankedPeak;

static int
by_intensity_descending(const void *a, const void *b)
{
	double		x = ((const RankedPeak *) a)->intensity,
				y = ((const RankedPeak *) b)->intensity;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int
by_mz(const void *a, const void *b)
{
	double		x = ((const RankedPeak *) a)->mz,
				y = ((const RankedPeak *) b)->mz;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* The peaks to draw: all, or the PLOT_MAX_PEAKS most intense; sorted by m/z. */
static RankedPeak *
peaks_to_draw(const PlotSpectrum *s, size_t *drawn)
{
	RankedPeak *peaks = kernel_alloc_array(s->n > 0 ? s->n : 1, sizeof(RankedPeak));

	for (size_t i = 0; i < s->n; i++)
	{
		peaks[i].mz = s->mz[i];
		peaks[i].intensity = s->intensity[i];
	}
	*drawn = s->n;
	if (s->n > PLOT_MAX_PEAKS)
	{
		qsort(peaks, s->n, sizeof(RankedPeak), by_intensity_descending);
		*drawn = PLOT_MAX_PEAKS;
		qsort(peaks, *drawn, sizeof(RankedPeak), by_mz);
	}
	return peaks;
}

static double
base_peak(const RankedPeak *peaks, size_t n)
{
	double		top = 0;

	for (size_t i = 0; i < n; i++)
		if (peaks[i].intensity > top)
			top = peaks[i].intensity;
	return top;
}

/* Is there a peak of others (sorted by m/z) within tolerance of mz? */
static bool
has_partner(const RankedPeak *others, size_t n, double mz, double tolerance)
{
	size_t		low = 0,
				high = n;

	while (low < high)
	{
		size_t		middle = low + (high - low) / 2;

		if (others[middle].mz < mz - tolerance)
			low = middle + 1;
		else
			high = middle;
	}
	return low < n && others[low].mz <= mz + tolerance;
}

/* A round step for about `ticks` ticks over span: 1, 2 or 5 times a power of ten. */
static double
tick_step(double span, int ticks)
{
	double		raw = span / ticks,
				power = pow(10, floor(log10(raw))),
				scaled = raw / power;

	return (scaled < 1.5 ? 1 : scaled < 3.5 ? 2 : scaled < 7.5 ? 5 : 10) * power;
}

static void
x_axis(Svg *svg, double y, double low, double high, const char *label)
{
	double		step = tick_step(high - low, 8);
	char		text[64];

	svg_line(svg, "axis", LEFT, y, LEFT + PLOT_WIDTH, y);
	for (double v = ceil(low / step) * step; v <= high; v += step)
	{
		double		x = LEFT + (v - low) / (high - low) * PLOT_WIDTH;

		svg_line(svg, "tick", x, y, x, y + 4);
		snprintf(text, sizeof(text), "%g", v);
		svg_text(svg, "label", x, y + 15, "middle", text);
	}
	svg_text(svg, "label", LEFT + PLOT_WIDTH / 2, y + 30, "middle", label);
}

/* ---- mirror plot ---- */

static void
draw_half(Svg *svg, const RankedPeak *peaks, size_t n, const RankedPeak *others, size_t n_others,
		  double tolerance, double low, double high, double baseline, double direction)
{
	double		top = base_peak(peaks, n);

	for (size_t i = 0; i < n; i++)
	{
		double		x = LEFT + (peaks[i].mz - low) / (high - low) * PLOT_WIDTH,
					h = top > 0 ? peaks[i].intensity / top * 150 : 0;

		if ((i & 255) == 255)
			kernel_check_interrupts();
		svg_line(svg, has_partner(others, n_others, peaks[i].mz, tolerance) ? "peak matched" : "peak",
				 x, baseline, x, baseline - direction * h);
	}
}

void
plot_mirror(Svg *svg, const PlotSpectrum *top, const PlotSpectrum *bottom, double tolerance,
			const char *title)
{
	size_t		n_top,
				n_bottom;
	RankedPeak *upper = peaks_to_draw(top, &n_top),
			   *lower = peaks_to_draw(bottom, &n_bottom);
	double		low = INFINITY,
				high = -INFINITY,
				baseline = 190;
	char		caption[160];

	if (n_top > 0)
	{
		low = fmin(low, upper[0].mz);
		high = fmax(high, upper[n_top - 1].mz);
	}
	if (n_bottom > 0)
	{
		low = fmin(low, lower[0].mz);
		high = fmax(high, lower[n_bottom - 1].mz);
	}
	if (!(low <= high))
	{
		low = 0;
		high = 1000;
	}
	{
		double		pad = fmax((high - low) * 0.05, 1);

		low = fmax(0, low - pad);
		high += pad;
	}
	svg_begin(svg, WIDTH, 420, title);
	svg_text(svg, "label heading", WIDTH / 2, 18, "middle", title);
	draw_half(svg, upper, n_top, lower, n_bottom, tolerance, low, high, baseline, 1);
	draw_half(svg, lower, n_bottom, upper, n_top, tolerance, low, high, baseline, -1);
	svg_line(svg, "axis", LEFT, 40, LEFT, 340);
	svg_line(svg, "axis", LEFT, baseline, LEFT + PLOT_WIDTH, baseline);
	svg_text(svg, "label", LEFT - 6, 44, "end", "100%");
	svg_text(svg, "label", LEFT - 6, 344, "end", "100%");
	svg_text(svg, "label", LEFT + 6, 52, "start", top->label);
	svg_text(svg, "label", LEFT + 6, 336, "start", bottom->label);
	x_axis(svg, 350, low, high, "m/z");
	snprintf(caption, sizeof(caption), "%zu and %zu peaks%s; matched within %g Da in red",
			 top->n, bottom->n,
			 n_top < top->n || n_bottom < bottom->n ? " (the 2000 most intense of each drawn)" : "", tolerance);
	svg_text(svg, "label", WIDTH / 2, 410, "middle", caption);
	svg_end(svg);
	kernel_free(upper);
	kernel_free(lower);
}

/* ---- PMF profiles ---- */

bool
plot_profiles(Svg *svg, int k, int n, const double *h, const double *percent, const char *const *species,
			  const char *title)
{
	double		panel = 110,
				top = 40,
				slot;
	double		height;

	if (k < 1 || n < 1 || k > PLOT_MAX_FACTORS || n > PLOT_MAX_SPECIES)
		return false;
	height = top + k * panel + 60;
	slot = PLOT_WIDTH / n;
	svg_begin(svg, WIDTH, height, title);
	svg_text(svg, "label heading", WIDTH / 2, 18, "middle", title);
	for (int f = 0; f < k; f++)
	{
		double		y0 = top + f * panel,
					base = y0 + panel - 20,
					largest = 0;
		char		label[32];

		kernel_check_interrupts();
		for (int j = 0; j < n; j++)
			largest = fmax(largest, h[(size_t) f * n + j]);
		snprintf(label, sizeof(label), "factor %d", f + 1);
		svg_text(svg, "label heading", LEFT, y0 + 8, "start", label);
		svg_line(svg, "axis", LEFT, base, LEFT + PLOT_WIDTH, base);
		svg_text(svg, "label", WIDTH - RIGHT, y0 + 8, "end", "bars: profile (largest = top); dots: % of species");
		for (int j = 0; j < n; j++)
		{
			double		value = h[(size_t) f * n + j],
						x = LEFT + (j + 0.5) * slot,
						bar = largest > 0 && value > 0 ? value / largest * (panel - 35) : 0,
						share = percent != NULL ? percent[(size_t) f * n + j] : NAN;

			svg_rect(svg, "bar", x - slot * 0.35, base - bar, slot * 0.7, bar);
			if (isfinite(share))
				svg_circle(svg, "share", x, base - fmin(fmax(share, 0), 100) / 100 * (panel - 35), 2.5);
		}
	}
	for (int j = 0; j < n; j++)
		svg_text_rotated(svg, "label", LEFT + (j + 0.5) * slot, top + k * panel - 5, -60, species[j]);
	svg_end(svg);
	return true;
}

/* ---- PMF contributions ---- */

bool
plot_contributions(Svg *svg, int k, size_t m, const double *w, const char *const *samples, const char *title)
{
	double		panel = 110,
				top = 40;
	size_t		buckets = m > PLOT_MAX_POINTS ? PLOT_MAX_POINTS / 2 : m,
				per_bucket = m > PLOT_MAX_POINTS ? (m + buckets - 1) / buckets : 1;
	double	   *xs = kernel_alloc_array(2 * buckets + 2, sizeof(double)),
			   *ys = kernel_alloc_array(2 * buckets + 2, sizeof(double));
	char		caption[200];

	if (k < 1 || m < 1 || k > PLOT_MAX_FACTORS)
	{
		kernel_free(xs);
		kernel_free(ys);
		return false;
	}
	svg_begin(svg, WIDTH, top + k * panel + 60, title);
	svg_text(svg, "label heading", WIDTH / 2, 18, "middle", title);
	for (int f = 0; f < k; f++)
	{
		double		y0 = top + f * panel,
					base = y0 + panel - 20,
					largest = 0;
		size_t		points = 0;
		char		label[32];

		for (size_t i = 0; i < m; i++)
		{
			if ((i & 4095) == 4095)
				kernel_check_interrupts();
			largest = fmax(largest, w[i * k + f]);
		}
		/* each bucket of samples: its lowest and highest value, in sample order */
		for (size_t start = 0; start < m; start += per_bucket)
		{
			size_t		end = start + per_bucket < m ? start + per_bucket : m,
						low = start,
						high = start;

			for (size_t i = start; i < end; i++)
			{
				if (w[i * k + f] < w[low * k + f])
					low = i;
				if (w[i * k + f] > w[high * k + f])
					high = i;
			}
			for (int pick = 0; pick < (low == high ? 1 : 2); pick++)
			{
				size_t		i = (pick == 0) == (low < high) ? low : high;
				double		value = w[i * k + f];

				xs[points] = LEFT + (m > 1 ? (double) i / (m - 1) : 0.5) * PLOT_WIDTH;
				ys[points++] = base - (largest > 0 && value > 0 ? value / largest * (panel - 35) : 0);
			}
		}
		snprintf(label, sizeof(label), "factor %d", f + 1);
		svg_text(svg, "label heading", LEFT, y0 + 8, "start", label);
		svg_line(svg, "axis", LEFT, base, LEFT + PLOT_WIDTH, base);
		svg_polyline(svg, "series", xs, ys, points);
	}
	/* a few sample names along the bottom */
	for (int t = 0; t < 5 && m > 0; t++)
	{
		size_t		i = m == 1 ? 0 : (size_t) ((double) t / 4 * (m - 1));

		svg_text(svg, "label", LEFT + (m > 1 ? (double) i / (m - 1) : 0.5) * PLOT_WIDTH, top + k * panel,
				 t == 0 ? "start" : t == 4 ? "end" : "middle", samples[i]);
		if (m == 1)
			break;
	}
	snprintf(caption, sizeof(caption), "%zu samples%s", m,
			 per_bucket > 1 ? "; lowest and highest of each run of samples drawn" : "");
	svg_text(svg, "label", WIDTH / 2, top + k * panel + 35, "middle", caption);
	svg_end(svg);
	kernel_free(xs);
	kernel_free(ys);
	return true;
}

/* ---- box plot ---- */

typedef struct Outlier
{
	double		value;
	double		distance;		/* beyond its fence */
} Outlier;

static int
by_distance_descending(const void *a, const void *b)
{
	double		x = ((const Outlier *) a)->distance,
				y = ((const Outlier *) b)->distance;

	return x < y ? 1 : x > y ? -1 : 0;
}

void
plot_distribution(Svg *svg, const Summary *s, const double *values, size_t n, const char *title)
{
	double		low = s->min,
				high = s->max,
				whisker_low = s->q3,
				whisker_high = s->q1,
				y = 110;
	size_t		outliers = 0,
				drawn;
	Outlier    *far;
	char		caption[200];

	if (!(high > low))
	{
		low -= 1;
		high += 1;
	}
	for (size_t i = 0; i < n; i++)
	{
		if ((i & 65535) == 65535)
			kernel_check_interrupts();
		if (values[i] < s->lower_fence || values[i] > s->upper_fence)
			outliers++;
		else
		{
			whisker_low = fmin(whisker_low, values[i]);
			whisker_high = fmax(whisker_high, values[i]);
		}
	}
	far = kernel_alloc_array(outliers > 0 ? outliers : 1, sizeof(Outlier));
	drawn = 0;
	for (size_t i = 0; i < n; i++)
		if (values[i] < s->lower_fence || values[i] > s->upper_fence)
		{
			far[drawn].value = values[i];
			far[drawn++].distance = values[i] < s->lower_fence ? s->lower_fence - values[i] :
				values[i] - s->upper_fence;
		}
	if (drawn > PLOT_MAX_OUTLIERS)
	{
		qsort(far, drawn, sizeof(Outlier), by_distance_descending);
		drawn = PLOT_MAX_OUTLIERS;
	}

#define X(v) (LEFT + ((v) - low) / (high - low) * PLOT_WIDTH)
	svg_begin(svg, WIDTH, 220, title);
	svg_text(svg, "label heading", WIDTH / 2, 18, "middle", title);
	svg_rect(svg, "box", X(s->q1), y - 25, X(s->q3) - X(s->q1), 50);
	svg_line(svg, "median", X(s->median), y - 25, X(s->median), y + 25);
	svg_line(svg, "whisker", X(whisker_low), y, X(s->q1), y);
	svg_line(svg, "whisker", X(s->q3), y, X(whisker_high), y);
	svg_line(svg, "whisker", X(whisker_low), y - 12, X(whisker_low), y + 12);
	svg_line(svg, "whisker", X(whisker_high), y - 12, X(whisker_high), y + 12);
	for (size_t i = 0; i < drawn; i++)
		svg_circle(svg, "outlier", X(far[i].value), y, 3);
#undef X
	x_axis(svg, 150, low, high, "value");
	snprintf(caption, sizeof(caption), "n = %zu, median %.4g, IQR %.4g; %zu outliers beyond the Tukey fences%s",
			 s->n, s->median, s->iqr, outliers, drawn < outliers ? " (the 1000 farthest drawn)" : "");
	svg_text(svg, "label", WIDTH / 2, 205, "middle", caption);
	svg_end(svg);
	kernel_free(far);
}
