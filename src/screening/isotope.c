/*
 * isotope.c: isotope patterns by pruned convolution (isotope.h).
 *
 * A distribution is an array of (mass, probability) peaks (n = -1: it
 * would have needed more than ISOTOPE_MAX_PRODUCTS products at some step).
 * Products of two distributions are pruned below
 * max(ISOTOPE_PRUNE, 1e-5 min_intensity), sorted by mass and merged within
 * the working tolerance (merge_mz / 8) at their probability-weighted mass;
 * merging keeps total probability and mean mass, so the final merge at
 * merge_mz is not biased by the intermediate ones.
 */
#include "isotope.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "element_table.h"
#include "kernel.h"

/* Working resolution: merge tolerance (u) and pruning threshold. */
typedef struct Work
{
	double		tol;
	double		prune;
} Work;

typedef struct Dist
{
	int			n;
	Peak	   *p;				/* mz holds the mass */
} Dist;

/* Merge sorted peaks closer than tol to the running group centroid. */
static int
merge_sorted(Peak *p, int n, double tol)
{
	int			out = 0;

	for (int i = 0; i < n; i++)
	{
		if (out > 0 && p[i].mz - p[out - 1].mz < tol)
		{
			Peak	   *g = &p[out - 1];
			double		w = g->intensity + p[i].intensity;

			if (w > 0)
				g->mz = (g->mz * g->intensity + p[i].mz * p[i].intensity) / w;
			g->intensity = w;
		}
		else
			p[out++] = p[i];
	}
	return out;
}

/* a * b (convolution), pruned and merged; a and b are left alone. */
static Dist
convolve(Dist a, Dist b, const Work *w)
{
	Dist		r;

	if (a.n < 0 || b.n < 0 || (double) a.n * b.n > ISOTOPE_MAX_PRODUCTS)
	{
		r.n = -1;				/* too large; propagates to the result */
		r.p = kernel_alloc(sizeof(Peak));
		return r;
	}
	r.n = 0;
	r.p = kernel_alloc_array((size_t) a.n * b.n, sizeof(Peak));

	for (int i = 0; i < a.n; i++)
	{
		kernel_check_interrupts();
		for (int j = 0; j < b.n; j++)
		{
			double		p = a.p[i].intensity * b.p[j].intensity;

			if (p >= w->prune)
			{
				r.p[r.n].mz = a.p[i].mz + b.p[j].mz;
				r.p[r.n++].intensity = p;
			}
		}
	}
	peaks_sort_by_mz(r.p, r.n);
	r.n = merge_sorted(r.p, r.n, w->tol);
	return r;
}

static Dist
single(double mass, double probability)
{
	Dist		d = {1, kernel_alloc(sizeof(Peak))};

	d.p[0].mz = mass;
	d.p[0].intensity = probability;
	return d;
}

/* Replace *acc by *acc * d, consuming d. */
static void
convolve_into(Dist *acc, Dist d, const Work *w)
{
	Dist		r = convolve(*acc, d, w);

	kernel_free(acc->p);
	kernel_free(d.p);
	*acc = r;
}

/* The distribution of n atoms of an element with natural composition. */
static Dist
element_power(int element, int n, const Work *w)
{
	const ElementInfo *e = &chem_elements[element];
	Dist		base = {0, kernel_alloc_array(e->nisotopes, sizeof(Peak))};
	Dist		result = single(0, 1);

	for (int i = 0; i < e->nisotopes; i++)
	{
		const IsotopeInfo *iso = &chem_isotopes[e->first_isotope + i];

		if (iso->abundance > 0)
		{
			base.p[base.n].mz = iso->mass;
			base.p[base.n++].intensity = iso->abundance;
		}
	}
	for (;;)
	{
		if (n & 1)
		{
			Dist		r = convolve(result, base, w);

			kernel_free(result.p);
			result = r;
		}
		n >>= 1;
		if (n == 0)
			break;
		{
			Dist		sq = convolve(base, base, w);

			kernel_free(base.p);
			base = sq;
		}
	}
	kernel_free(base.p);
	return result;
}

int
isotope_pattern(const Formula *ion, double merge_mz, double min_intensity, Peak **peaks)
{
	int			z = abs(ion->charge);
	double		scale = z == 0 ? 1.0 : (double) z;
	Work		w = {fmax(merge_mz * scale / 8, ISOTOPE_FINE_MERGE), fmax(ISOTOPE_PRUNE, min_intensity * 1e-5)};
	Dist		acc = single(-ion->charge * ELECTRON_MASS, 1);
	double		base = 0;
	int			n = 0;

	for (int t = 0; t < ion->nterms; t++)
	{
		const FormulaTerm *term = &ion->terms[t];

		if (term->count <= 0)
			continue;
		if (term->mass_number != 0)
			for (int k = 0; k < acc.n; k++)
				acc.p[k].mz += term->count * formula_term_mass(term, true);
		else
			convolve_into(&acc, element_power(term->element, term->count, &w), &w);
	}
	if (acc.n < 0)
	{
		kernel_free(acc.p);
		*peaks = NULL;
		return -1;
	}
	for (int k = 0; k < acc.n; k++)
		acc.p[k].mz /= scale;
	if (merge_mz > 0)
		acc.n = merge_sorted(acc.p, acc.n, merge_mz);
	for (int k = 0; k < acc.n; k++)
		base = fmax(base, acc.p[k].intensity);
	for (int k = 0; k < acc.n; k++)
		if (acc.p[k].intensity >= min_intensity * base)
			acc.p[n++] = acc.p[k];
	*peaks = acc.p;
	return n;
}

/* Index of the first peak with m/z >= mz (n when none). */
static int
first_at_least(const Peak *p, int n, double mz)
{
	int			lo = 0,
				hi = n;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (p[mid].mz < mz)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

double
isotope_score(const Peak *observed, int nobs, const Peak *theoretical, int ntheo,
			  double ppm, double intensity_error)
{
	int			tbase = 0;
	int		   *match = kernel_alloc_array(ntheo, sizeof(int));
	double		obase,
				offset,
				total = 0,
				score = 0;

	for (int i = 0; i < ntheo; i++)
	{
		double		best = INFINITY;

		match[i] = -1;
		if (theoretical[i].intensity > theoretical[tbase].intensity)
			tbase = i;
		/* the observed peaks are sorted: the nearest two around the m/z */
		for (int j = first_at_least(observed, nobs, theoretical[i].mz) - 1, k = 0; k < 2; j++, k++)
		{
			double		d;

			if (j < 0 || j >= nobs)
				continue;
			d = fabs(mass_error_ppm(observed[j].mz, theoretical[i].mz));
			if (d <= ppm && d < best)
			{
				best = d;
				match[i] = j;
			}
		}
	}
	if (match[tbase] < 0 || observed[match[tbase]].intensity <= 0 || theoretical[tbase].intensity <= 0)
	{
		kernel_free(match);
		return 0;
	}
	obase = observed[match[tbase]].intensity;
	offset = observed[match[tbase]].mz - theoretical[tbase].mz;
	for (int i = 0; i < ntheo; i++)
	{
		double		t = theoretical[i].intensity / theoretical[tbase].intensity;

		if (i == tbase || t <= 0)
			continue;
		total += t;
		if (match[i] >= 0)
		{
			double		o = observed[match[i]].intensity / obase;
			double		dppm = mass_error_ppm(observed[match[i]].mz - offset, theoretical[i].mz);

			double		zm = dppm / (ppm / 2);
			double		zi = (o - t) / (intensity_error * t);

			score += t * exp(-0.5 * (zm * zm + zi * zi));
		}
	}
	kernel_free(match);
	return total > 0 ? score / total : 1;
}

double
mass_error_ppm(double observed, double theoretical)
{
	return (observed - theoretical) / theoretical * 1e6;
}
