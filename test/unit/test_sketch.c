/*
 * Unit tests of sorted runs (sort.c) and the quantile sketch
 * (quantile_sketch.c).  References: qsort for sorting; for the sketch, the
 * exact percentile_cont of the same values (sorted with qsort), against
 * which every estimate must lie within the documented bound
 *   |q' - q| <= a ((1 - f) |x_lo| + f |x_hi|)
 * at every probability of a fine grid, on many shapes of data.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "quantile.h"
#include "quantile_sketch.h"
#include "sort.h"
#include "summary.h"
#include "unit.h"

/* in (0, 1]: logarithms and negative powers stay finite */
static double
uniform(void)
{
	return 1.0 - uniform01();
}

static double
gaussian(void)
{
	return sqrt(-2.0 * log(uniform())) * cos(2.0 * M_PI * uniform());
}

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

UNIT_TEST(sort_values_matches_qsort)
{
	enum {N = 20000};
	static double v[N], scratch[N], reference[N];
	const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, N};

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
	{
		size_t		n = sizes[k];

		for (size_t i = 0; i < n; i++)
			/* signs, zeros, ties, subnormals, huge and tiny magnitudes */
			v[i] = i % 7 == 0 ? 0.0 : i % 11 == 0 ? 5e-324 * (double) (i % 3)
				: i % 13 == 0 ? -1e300 : (uniform() - 0.4) * pow(10.0, (double) (i % 40) - 20);
		memcpy(reference, v, n * sizeof(double));
		qsort(reference, n, sizeof(double), compare_doubles);
		sort_values(v, scratch, n);
		CHECK(memcmp(v, reference, n * sizeof(double)) == 0);
		CHECK(values_sorted(v, n));
	}
	/* one digit shared by all values (skipped passes), and all equal */
	for (size_t i = 0; i < N; i++)
		v[i] = i % 2 ? 1.0 : 2.0;
	sort_values(v, scratch, N);
	CHECK(v[0] == 1.0 && v[N / 2 - 1] == 1.0 && v[N / 2] == 2.0 && values_sorted(v, N));
	CHECK(!values_sorted((double[]) {1, 3, 2}, 3));
	CHECK(!values_sorted((double[]) {NAN}, 1));
	CHECK(!values_sorted((double[]) {1, NAN, 2}, 3));
	CHECK(values_sorted(NULL, 0));
}

UNIT_TEST(ascending_runs_found_or_too_many)
{
	size_t		starts[4];
	char		unaligned[8 * 5 + 4];

	CHECK_INT(ascending_runs((double[]) {1, 4, 4, 9}, 4, starts, 4), 1);
	CHECK_INT(ascending_runs((double[]) {1, 4, 0, 5, 5, 2}, 6, starts, 4), 3);
	CHECK(starts[0] == 0 && starts[1] == 2 && starts[2] == 5);
	/* more runs than room: 0, as for an empty array */
	CHECK_INT(ascending_runs((double[]) {5, 4, 3, 2, 1}, 5, starts, 4), 0);
	CHECK_INT(ascending_runs(NULL, 0, starts, 4), 0);
	/* a run may sit unaligned in a tuple */
	memcpy(unaligned + 4, (double[]) {-1, 7, 7, 2, 3}, 5 * sizeof(double));
	CHECK_INT(ascending_runs(unaligned + 4, 5, starts, 4), 2);
	CHECK(starts[1] == 3);
}

/*
 * Appended sorted runs (a parallel aggregate's partial states) answer every
 * rank as a full sort does: random runs of random lengths, with ties inside
 * and across runs, against qsort of the whole.
 */
UNIT_TEST(rank_across_runs_matches_full_sort)
{
	enum {N = 3000};
	static double v[N], scratch[N], sorted[N];

	for (int trial = 0; trial < 40; trial++)
	{
		size_t		nruns_wanted = 1 + (size_t) (uniform() * 8);
		size_t		starts[MAX_SORTED_RUNS];
		size_t		nruns;
		size_t		at = 0;

		for (size_t j = 0; j < nruns_wanted; j++)
		{
			size_t		length = j + 1 == nruns_wanted ? N - at : (size_t) (uniform() * (N - at));

			for (size_t i = at; i < at + length; i++)
				v[i] = trial % 2 ? floor(uniform() * 20) : uniform() * 1e3 - 500;
			sort_values(v + at, scratch, length);
			at += length;
		}
		memcpy(sorted, v, sizeof v);
		qsort(sorted, N, sizeof(double), compare_doubles);
		nruns = ascending_runs(v, N, starts, MAX_SORTED_RUNS);
		CHECK(nruns >= 1 && nruns <= nruns_wanted);
		for (size_t r = 0; r < N; r += 1 + (size_t) (uniform() * 40))
			CHECK(rank_across_runs(v, N, starts, nruns, r) == sorted[r]);
		CHECK(rank_across_runs(v, N, starts, nruns, N - 1) == sorted[N - 1]);
	}
}

/*
 * Whether the bound applies to order statistic x: it does unless x lies more
 * than 4094 buckets (gamma^4094) below the largest magnitude of its sign,
 * where the store folds (quantile_sketch.h).
 */
static bool
covered(double x, const double *sorted, size_t n, double a)
{
	double		gamma = (1 + a) / (1 - a);
	double		largest = x < 0 ? -sorted[0] : sorted[n - 1];

	return x == 0 || fabs(x) >= largest * exp(-(QSKETCH_MAX_BUCKETS - 2) * log(gamma));
}

/*
 * Every estimate within the bound at 1001 probabilities and in the tails
 * (where folding applies, within [min, max]); returns how many were covered.
 */
static int
check_bound(const QuantileSketch *s, const double *sorted, size_t n, const char *shape)
{
	enum {NP = 1001 + 8};
	static double probs[NP], out[NP];
	double		a = s->relative_error;
	int			failures = 0;
	int			checked = 0;

	for (int i = 0; i <= 1000; i++)
		probs[i] = i / 1000.0;
	memcpy(probs + 1001, (double[]) {1e-6, 1e-4, 0.0005, 0.9995, 0.9999, 0.99999, 1 - 1e-6, 0.123456789},
		   8 * sizeof(double));
	qsketch_quantiles(s, probs, NP, out);
	for (int i = 0; i < NP; i++)
	{
		double		h = probs[i] * (double) (n - 1);
		double		lo = floor(h);
		double		f = h - lo;
		double		x_lo = sorted[(size_t) lo];
		double		x_hi = sorted[(size_t) ceil(h)];
		double		exact = x_lo + f * (x_hi - x_lo);
		double		bound = a * ((1 - f) * fabs(x_lo) + f * fabs(x_hi)) * (1 + 1e-9) + 1e-300;

		if (!(out[i] >= sorted[0] && out[i] <= sorted[n - 1]))
			unit_fail(__FILE__, __LINE__, "%s: p = %.9g: estimate %.17g outside [min, max]", shape,
					  probs[i], out[i]);
		if (!covered(x_lo, sorted, n, a) || !covered(x_hi, sorted, n, a))
			continue;
		checked++;
		if (!(fabs(out[i] - exact) <= bound) && failures++ < 3)
			unit_fail(__FILE__, __LINE__, "%s: p = %.9g: estimate %.17g, exact %.17g, bound %g",
					  shape, probs[i], out[i], exact, bound);
	}
	CHECK(out[0] == sorted[0] && out[1000] == sorted[n - 1]);
	return checked;
}

static QuantileSketch *
sketch_of(const double *v, size_t n, double a)
{
	QuantileSketch *s = qsketch_create(a, NULL, 0);

	for (size_t i = 0; i < n; i++)
	{
		QuantileSketch *grown = qsketch_add(s, v[i]);

		if (grown != s)
		{
			kernel_free(s);
			s = grown;
		}
	}
	CHECK_INT(qsketch_check(s, qsketch_total_size(s), true), QSKETCH_OK);
	return s;
}

static QuantileSketch *
merged(QuantileSketch *into, const QuantileSketch *from)
{
	QuantileSketch *r = qsketch_merge(into, from);

	if (r != into)
		kernel_free(into);
	return r;
}

typedef double (*Shape) (size_t i);

static double lognormal(size_t i) { return exp(2.0 + 1.5 * gaussian()); }
static double pareto(size_t i) { return pow(uniform(), -1.0 / 1.1); }	/* infinite variance */
static double ties(size_t i) { return round(exp(gaussian()) * 4) / 4; }
static double all_equal(size_t i) { return 3.25; }
static double signs_and_zeros(size_t i) { return i % 5 == 0 ? 0.0 : (uniform() < 0.3 ? -1 : 1) * exp(3 * gaussian()); }
static double wide(size_t i) { return pow(10.0, 60 * uniform() - 30); }	/* 60 decades */
static double uniform_shape(size_t i) { return 1000 + uniform(); }	/* narrow: 1 part in 1000 */

UNIT_TEST(sketch_bound_on_many_shapes)
{
	enum {N = 200000};
	static double v[N], sorted[N], scratch[N];
	const struct {const char *name; Shape f;} shapes[] = {
		{"lognormal", lognormal}, {"pareto", pareto}, {"ties", ties}, {"all equal", all_equal},
		{"signs and zeros", signs_and_zeros}, {"60 decades", wide}, {"narrow uniform", uniform_shape}};
	const double errors[] = {0.01, 0.005, 0.05};
	const size_t sizes[] = {1, 2, 3, 10, 1000, N};

	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
		for (size_t e = 0; e < sizeof errors / sizeof errors[0]; e++)
			for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
			{
				size_t		n = sizes[z];
				QuantileSketch *s;

				for (size_t i = 0; i < n; i++)
					v[i] = shapes[k].f(i);
				memcpy(sorted, v, n * sizeof(double));
				sort_values(sorted, scratch, n);
				s = sketch_of(v, n, errors[e]);
				CHECK_INT(s->count, n);
				/* 60 decades fold below 35 (a = 0.01) or 18 (a = 0.005) decades under the top */
				CHECK(check_bound(s, sorted, n, shapes[k].name) >= (shapes[k].f == wide ? 1 : 1009));
				/* bounded size whatever n: at most 2 stores of 4096 + slack buckets */
				CHECK(qsketch_total_size(s) <= qsketch_size(0, QSKETCH_MAX_BUCKETS + 2 * QSKETCH_SLACK,
															 QSKETCH_MAX_BUCKETS + 2 * QSKETCH_SLACK));
				kernel_free(s);
			}
}

/* 10^7 log-normal values: the bound holds and the state stays a few kB. */
UNIT_TEST(sketch_bound_ten_million)
{
	size_t		n = 10000000;
	double	   *v = malloc(n * sizeof(double));
	double	   *scratch = malloc(n * sizeof(double));
	QuantileSketch *s;

	for (size_t i = 0; i < n; i++)
		v[i] = lognormal(i);
	s = sketch_of(v, n, 0.01);
	sort_values(v, scratch, n);
	CHECK_INT(check_bound(s, v, n, "10^7 lognormal"), 1009);
	CHECK(qsketch_total_size(s) < 16384);
	kernel_free(s);
	free(v);
	free(scratch);
}

/*
 * The state is a function of the multiset: any split, merged in any order,
 * gives the same estimates and summary, bit for bit, as one serial pass.
 */
UNIT_TEST(sketch_splits_change_nothing)
{
	enum {N = 50000};
	static double v[N];
	double		probs[] = {0, 0.01, 0.25, 0.5, 0.75, 0.99, 1};
	double		serial[7], split[7];
	Summary		a, b;

	for (size_t i = 0; i < N; i++)
		v[i] = signs_and_zeros(i) * (i % 1000 == 0 ? 1e25 : 1);	/* folding happens too */
	for (int trial = 0; trial < 4; trial++)
	{
		QuantileSketch *whole = sketch_of(v, N, 0.005);
		QuantileSketch *acc = qsketch_create(0.005, NULL, 0);
		size_t		cut1 = 1000 + trial * 7000, cut2 = 30000 + trial * 3;
		QuantileSketch *parts[3] = {sketch_of(v + cut2, N - cut2, 0.005), sketch_of(v, cut1, 0.005),
									sketch_of(v + cut1, cut2 - cut1, 0.005)};

		for (int p = 0; p < 3; p++)
		{
			acc = merged(acc, parts[(p + trial) % 3]);
			CHECK_INT(qsketch_check(acc, qsketch_total_size(acc), true), QSKETCH_OK);
		}
		qsketch_quantiles(whole, probs, 7, serial);
		qsketch_quantiles(acc, probs, 7, split);
		CHECK(memcmp(serial, split, sizeof serial) == 0);
		CHECK_INT(qsketch_summary(whole, &a), SUMMARY_OK);
		CHECK_INT(qsketch_summary(acc, &b), SUMMARY_OK);
		CHECK(a.n == b.n && a.mean == b.mean && a.stddev == b.stddev && a.q1 == b.q1 &&
			  a.median == b.median && a.q3 == b.q3 && a.min == b.min && a.max == b.max);
		kernel_free(whole);
		kernel_free(acc);
		for (int p = 0; p < 3; p++)
			kernel_free(parts[p]);
	}
}

/*
 * Magnitudes spanning more than 4096 buckets: the smallest are folded into
 * the lowest kept bucket, the others keep the bound, the size stays bounded.
 */
UNIT_TEST(sketch_fold)
{
	enum {N = 10000};
	static double v[N], sorted[N], scratch[N];
	double		probs[] = {0.5, 0.75, 0.99, 1.0};
	double		out[4];
	QuantileSketch *s;

	for (size_t i = 0; i < N; i++)
		v[i] = i < N / 4 ? 1e-200 * (1 + uniform()) : 1 + uniform();
	memcpy(sorted, v, sizeof v);
	sort_values(sorted, scratch, N);
	s = sketch_of(v, N, 0.005);
	CHECK(qsketch_total_size(s) <= qsketch_size(0, 0, QSKETCH_MAX_BUCKETS + 2 * QSKETCH_SLACK));
	qsketch_quantiles(s, probs, 4, out);
	for (int i = 0; i < 4; i++)
	{
		double		exact[] = {sorted[(size_t) floor(probs[i] * (N - 1))]};
		double		f = probs[i] * (N - 1) - floor(probs[i] * (N - 1));
		double		hi = sorted[(size_t) ceil(probs[i] * (N - 1))];

		CHECK(fabs(out[i] - (exact[0] + f * (hi - exact[0]))) <= 0.005 * fmax(exact[0], hi) * 1.000001);
	}
	kernel_free(s);
}

UNIT_TEST(sketch_summary_moments)
{
	double		v[] = {100, 8, 7, 6, 5, 4, 3, 2, 1};
	QuantileSketch *s = sketch_of(v, 9, 0.01);
	QuantileSketch *one = sketch_of((double[]) {4.5}, 1, 0.01);
	Summary		out;

	CHECK_INT(qsketch_summary(s, &out), SUMMARY_OK);
	CHECK_INT(out.n, 9);
	CHECK_NEAR(out.mean, 136.0 / 9, 1e-13);
	CHECK_NEAR(out.stddev, sqrt((10204.0 - 136.0 * 136.0 / 9) / 8), 1e-12);
	CHECK(out.min == 1 && out.max == 100);
	CHECK(fabs(out.median - 5) <= 0.05 && fabs(out.q1 - 3) <= 0.03 && fabs(out.q3 - 7) <= 0.07);
	CHECK_INT(qsketch_summary(one, &out), SUMMARY_OK);
	CHECK(!out.has_stddev && out.median == 4.5 && out.q1 == 4.5);
	kernel_free(s);
	/* a mean 10^9 times the spread: no cancellation (summarize: two passes, exact sums) */
	{
		enum {N = 1000};
		static double w[N];
		Summary		exact;

		for (size_t i = 0; i < N; i++)
			w[i] = 1e6 + 1e-3 * gaussian();
		s = sketch_of(w, N, 0.01);
		CHECK_INT(qsketch_summary(s, &out), SUMMARY_OK);
		CHECK_INT(summarize(w, N, false, &exact), SUMMARY_OK);
		CHECK(out.mean == exact.mean);
		CHECK_NEAR(out.stddev, exact.stddev, 1e-12 * exact.stddev);
	}
	CHECK(qsketch_accepts(1e154) && !qsketch_accepts(2e154) && !qsketch_accepts(NAN) &&
		  !qsketch_accepts(-INFINITY));
	kernel_free(s);
	kernel_free(one);
}

/* A forged buffer is rejected, never read out of bounds. */
UNIT_TEST(sketch_check_rejects_forgeries)
{
	double		probs[] = {0.5};
	QuantileSketch *s = qsketch_create(0.01, probs, 1);
	QuantileSketch *grown = qsketch_add(s, 5.0);
	size_t		size = qsketch_total_size(grown);
	QuantileSketch *bad = malloc(size + 64);

	CHECK_INT(qsketch_check(grown, size, true), QSKETCH_OK);
	CHECK_INT(qsketch_check(grown, size - 8, false), QSKETCH_MALFORMED);
	CHECK_INT(qsketch_check(grown, 16, false), QSKETCH_MALFORMED);
#define FORGE(field, value, expected) \
	do { memcpy(bad, grown, size); bad->field = (value); \
		 CHECK_INT(qsketch_check(bad, size, true), expected); } while (0)
	FORGE(magic, 0x12345678, QSKETCH_MALFORMED);
	FORGE(relative_error, 0.9, QSKETCH_BAD_PARAMETER);
	FORGE(relative_error, NAN, QSKETCH_BAD_PARAMETER);
	FORGE(count, 2, QSKETCH_MALFORMED);
	FORGE(zeros, -1, QSKETCH_MALFORMED);
	FORGE(len[1], 100, QSKETCH_MALFORMED);
	FORGE(len[1], -1, QSKETCH_MALFORMED);
	FORGE(nprobs, 1 << 30, QSKETCH_MALFORMED);
	FORGE(low[1], INT32_MAX, QSKETCH_MALFORMED);
	FORGE(low[0], INT32_MIN, QSKETCH_MALFORMED);
	FORGE(min, NAN, QSKETCH_MALFORMED);
	FORGE(max, 1.0, QSKETCH_MALFORMED);		/* max < min = 5 */
	FORGE(reserved, 1, QSKETCH_MALFORMED);
	FORGE(slots[0].prob, 1.5, QSKETCH_BAD_PARAMETER);
	FORGE(slots[1 + grown->len[0]].count, -1, QSKETCH_MALFORMED);
	FORGE(sum.pending, INT64_MAX, QSKETCH_MALFORMED);
#undef FORGE
	free(bad);
	if (grown != s)
		kernel_free(grown);
	kernel_free(s);
}
