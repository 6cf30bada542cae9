/*
 * Unit tests of the statistics kernels.  Expected values: hand-computed from
 * the definitions, Python's math.fsum (correctly rounded sums) where stated,
 * and a full qsort as the reference for selection.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exact_sum.h"
#include "kernel.h"
#include "quantile.h"
#include "single_score.h"
#include "summary.h"
#include "unit.h"
#include "weighted_sum.h"

static double
exact_total(const double *x, size_t n)
{
	ExactSum	s;
	double		r = NAN;

	exact_sum_init(&s);
	for (size_t i = 0; i < n; i++)
		exact_sum_add(&s, x[i]);
	CHECK_INT(exact_sum_divided(&s, 1.0, &r), 0);
	return r;
}


UNIT_TEST(exact_sum_cancellation_and_rounding)
{
	double		cancel[] = {1e100, 1.0, -1e100};
	double		tenth[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
	double		tiny[] = {1.0, 1e-16, 1e-16};
	double		sub[] = {5e-324, 5e-324, -1e-323, 5e-324};
	double		big[] = {1e308, 1e308, -1e308};

	CHECK(exact_total(cancel, 3) == 1.0);
	CHECK(exact_total(tenth, 10) == 1.0);	/* math.fsum([0.1]*10) */
	CHECK(exact_total(tiny, 3) == 1.0000000000000002);	/* math.fsum */
	CHECK(exact_total(sub, 4) == 5e-324);
	CHECK(exact_total(big, 3) == 1e308);	/* no intermediate overflow */
	CHECK(exact_total(NULL, 0) == 0.0);
	CHECK(exact_total((double[]) {-2.5, -0.25}, 2) == -2.75);
}

UNIT_TEST(exact_sum_overflow_and_divided)
{
	ExactSum	s;
	double		r;

	exact_sum_init(&s);
	exact_sum_add(&s, DBL_MAX);
	exact_sum_add(&s, DBL_MAX);
	CHECK_INT(exact_sum_divided(&s, 1.0, &r), -1);
	CHECK_INT(exact_sum_divided(&s, 2.0, &r), 0);	/* the mean does not overflow */
	CHECK(r == DBL_MAX);
	exact_sum_init(&s);
	exact_sum_add(&s, 1e-300);
	CHECK_INT(exact_sum_divided(&s, 1e-300, &r), 0);
	CHECK(r == 1.0);
}

UNIT_TEST(exact_sum_order_independent_and_mergeable)
{
	enum {N = 5000};
	static double x[N];
	ExactSum	forward, backward, half1, half2;
	double		a, b, c;

	for (int i = 0; i < N; i++)
		x[i] = (uniform01() - 0.5) * pow(10.0, floor(uniform01() * 40) - 20);
	exact_sum_init(&forward);
	exact_sum_init(&backward);
	exact_sum_init(&half1);
	exact_sum_init(&half2);
	for (int i = 0; i < N; i++)
	{
		exact_sum_add(&forward, x[i]);
		exact_sum_add(&backward, x[N - 1 - i]);
		exact_sum_add(i % 3 ? &half1 : &half2, x[i]);
	}
	exact_sum_merge(&half1, &half2);
	exact_sum_divided(&forward, 1.0, &a);
	exact_sum_divided(&backward, 1.0, &b);
	exact_sum_divided(&half1, 1.0, &c);
	CHECK(a == b && a == c);
}

/* What init/add/merge produce passes; each kind of forged sum is caught. */
UNIT_TEST(exact_sum_well_formed_and_sign)
{
	ExactSum	s, t, forged;

	exact_sum_init(&s);
	CHECK(exact_sum_is_well_formed(&s));
	CHECK_INT(exact_sum_sign(&s), 0);
	exact_sum_add(&s, 1e100);
	exact_sum_add(&s, -1e100);
	CHECK_INT(exact_sum_sign(&s), 0);
	exact_sum_add(&s, -DBL_MAX);
	exact_sum_add(&s, 5e-324);
	CHECK(exact_sum_is_well_formed(&s));
	CHECK_INT(exact_sum_sign(&s), -1);
	exact_sum_init(&t);
	exact_sum_add(&t, DBL_MAX);
	exact_sum_add(&t, DBL_MAX);
	exact_sum_merge(&t, &s);
	CHECK(exact_sum_is_well_formed(&t));
	CHECK_INT(exact_sum_sign(&t), 1);	/* DBL_MAX + 5e-324 */

	forged = t;
	forged.pending = -1;
	CHECK(!exact_sum_is_well_formed(&forged));
	forged.pending = (int64_t) 1 << 30;
	CHECK(!exact_sum_is_well_formed(&forged));
	forged = t;
	forged.digit[0] = (int64_t) 1 << 62;
	CHECK(!exact_sum_is_well_formed(&forged));
	forged.digit[0] = -((int64_t) 1 << 62);
	CHECK(!exact_sum_is_well_formed(&forged));
	forged = t;
	forged.digit[EXACT_SUM_DIGITS - 1] = 1;	/* a total of 2^2272: no sum of doubles */
	CHECK(!exact_sum_is_well_formed(&forged));
	forged.digit[EXACT_SUM_DIGITS - 1] = -1;	/* the sign of a negative total */
	CHECK(exact_sum_is_well_formed(&forged));
	CHECK_INT(exact_sum_sign(&forged), -1);
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a, y = *(const double *) b;

	return (x > y) - (x < y);
}

UNIT_TEST(select_ranks_matches_full_sort)
{
	enum {N = 2001};
	static double v[N], sorted[N];
	size_t		ranks[] = {0, 1, 500, 501, 1000, 1999, 2000};

	for (int trial = 0; trial < 4; trial++)
	{
		for (int i = 0; i < N; i++)
		{
			/* random, many duplicates, sorted, reverse sorted */
			v[i] = trial == 0 ? uniform01() : trial == 1 ? floor(uniform01() * 5) :
				trial == 2 ? i : -i;
			sorted[i] = v[i];
		}
		qsort(sorted, N, sizeof(double), cmp_double);
		select_ranks(v, N, ranks, 7);
		for (int r = 0; r < 7; r++)
			CHECK(v[ranks[r]] == sorted[ranks[r]]);
		for (int i = 0; i < 1000; i++)
			CHECK(v[i] <= v[1000]);
		for (int i = 1001; i < N; i++)
			CHECK(v[i] >= v[1000]);
	}
}

UNIT_TEST(quantiles_interpolate_like_percentile_cont)
{
	/* sorted 1 2 3 4 10: h = p * 4 */
	double		v[] = {10, 3, 1, 4, 2};
	double		p[] = {0, 0.25, 0.1, 0.5, 0.9, 1};
	double		q[6];
	double		one[] = {7};

	quantiles(v, 5, p, 6, q);
	CHECK(q[0] == 1);
	CHECK(q[1] == 2);
	CHECK_NEAR(q[2], 1.4, 1e-15);	/* 1 + 0.4 * (2 - 1) */
	CHECK(q[3] == 3);
	CHECK_NEAR(q[4], 7.6, 1e-14);	/* 4 + 0.6 * (10 - 4) */
	CHECK(q[5] == 10);
	quantiles(one, 1, p, 6, q);
	CHECK(q[0] == 7 && q[3] == 7 && q[5] == 7);
}

/*
 * quantiles() takes two routes: selection for an unsorted array (more than
 * MAX_SORTED_RUNS descents) and reading across runs for a few sorted runs.
 * Both equal percentile_cont's interpolation over a full sort.
 */
UNIT_TEST(quantiles_unsorted_and_runs_agree_with_sort)
{
	enum {N = 5000};
	static double unsorted[N], runs[N], sorted[N];
	double		p[] = {0, 0.01, 0.25, 0.5, 0.75, 0.999, 1};
	double		expected[7], by_selection[7], by_runs[7];

	for (int i = 0; i < N; i++)
		unsorted[i] = floor(uniform01() * 1000) / 7;
	memcpy(sorted, unsorted, sizeof sorted);
	qsort(sorted, N, sizeof(double), cmp_double);
	/* the same values as three sorted runs of unequal ranges */
	memcpy(runs, unsorted, sizeof runs);
	qsort(runs, N / 3, sizeof(double), cmp_double);
	qsort(runs + N / 3, N / 3, sizeof(double), cmp_double);
	qsort(runs + 2 * (N / 3), N - 2 * (N / 3), sizeof(double), cmp_double);
	quantiles_of_sorted(sorted, N, p, 7, expected);
	quantiles(unsorted, N, p, 7, by_selection);
	quantiles(runs, N, p, 7, by_runs);
	for (int i = 0; i < 7; i++)
	{
		CHECK(by_selection[i] == expected[i]);
		CHECK(by_runs[i] == expected[i]);
	}
}

/*
 * Out-of-range probabilities are clamped: before, p = 1.5 over two values
 * read values[2] (here the sentinel 99), and p = 1e15, -1 or NaN indexed far
 * outside the array.  Ranks past the end are ignored by select_ranks.
 */
UNIT_TEST(quantiles_clamp_bad_probabilities)
{
	double		buffer[] = {2, 1, 99, 99};
	double		p[] = {1.5, 1e15, -1, NAN, -INFINITY, INFINITY};
	double		q[6];
	double		v[] = {3, 1, 2};
	size_t		ranks[] = {1, 3, 1000};

	quantiles(buffer, 2, p, 6, q);
	CHECK(q[0] == 2);
	CHECK(q[1] == 2);
	CHECK(q[2] == 1);
	CHECK(q[3] == 1);
	CHECK(q[4] == 1);
	CHECK(q[5] == 2);
	CHECK(buffer[2] == 99 && buffer[3] == 99);
	select_ranks(v, 3, ranks, 3);
	CHECK(v[1] == 2);
}

UNIT_TEST(summary_hand_computed)
{
	/* 1..8 and 100: mean 136/9, q1 3, median 5, q3 7, iqr 4, fences -3 and 13 */
	double		v[] = {100, 8, 7, 6, 5, 4, 3, 2, 1};
	double		one[] = {4.5};
	Summary		s;

	CHECK_INT(summarize(v, 9, false, &s), SUMMARY_OK);
	CHECK_INT(s.n, 9);
	CHECK_NEAR(s.mean, 136.0 / 9, 1e-13);
	/* sample variance: (sum x^2 - n mean^2) / 8 = (10204 - 136^2/9) / 8 */
	CHECK_NEAR(s.stddev, sqrt((10204.0 - 136.0 * 136.0 / 9) / 8), 1e-12);
	CHECK(s.min == 1 && s.max == 100);
	CHECK(s.q1 == 3 && s.median == 5 && s.q3 == 7);
	CHECK(s.iqr == 4 && s.lower_fence == -3 && s.upper_fence == 13);

	CHECK_INT(summarize(one, 1, false, &s), SUMMARY_OK);
	CHECK(!s.has_stddev);
	CHECK(s.mean == 4.5 && s.min == 4.5 && s.q1 == 4.5 && s.max == 4.5 && s.iqr == 0);
}

UNIT_TEST(summary_variance_overflow)
{
	double		v[] = {-1e300, 1e300};
	Summary		s;

	CHECK_INT(summarize(v, 2, false, &s), SUMMARY_VARIANCE_OVERFLOW);
}

UNIT_TEST(weighted_mean_hand_computed)
{
	WeightedSum a, b;
	double		mean;

	weighted_sum_init(&a);
	weighted_sum_init(&b);
	CHECK_INT(weighted_sum_add(&a, 1, 1), WEIGHTED_OK);
	CHECK_INT(weighted_sum_add(&a, 2, 3), WEIGHTED_OK);
	CHECK_INT(weighted_sum_add(&b, 10, 0), WEIGHTED_OK);
	weighted_sum_merge(&a, &b);
	CHECK_INT(weighted_sum_mean(&a, &mean), WEIGHTED_OK);
	CHECK(mean == 1.75);		/* (1 + 6) / 4 */
	CHECK_INT(a.count, 3);
	CHECK_INT(weighted_sum_mean(&b, &mean), WEIGHTED_ZERO_WEIGHT);
	CHECK_INT(weighted_sum_add(&b, 1e300, 1e300), WEIGHTED_PRODUCT_OVERFLOW);
}

static const ScoreCategory categories[] = {
	{"acd", true, 2.0, 0.5},
	{"cch", true, 4.0, 0.25},
	{"etf-c", false, 0, 0},
	{"pef", false, 0, 0},
};

UNIT_TEST(weighted_sum_well_formed)
{
	WeightedSum s, forged;

	weighted_sum_init(&s);
	CHECK(weighted_sum_is_well_formed(&s));
	CHECK_INT(weighted_sum_add(&s, -3, 0), WEIGHTED_OK);	/* zero weights are allowed */
	CHECK(weighted_sum_is_well_formed(&s));
	CHECK_INT(weighted_sum_add(&s, 2, 0.5), WEIGHTED_OK);
	CHECK(weighted_sum_is_well_formed(&s));

	forged = s;
	forged.count = -1;
	CHECK(!weighted_sum_is_well_formed(&forged));
	forged.count = 0;			/* nothing counted, yet non-zero sums */
	CHECK(!weighted_sum_is_well_formed(&forged));
	forged = s;
	forged.weights.pending = -5;
	CHECK(!weighted_sum_is_well_formed(&forged));
	weighted_sum_init(&forged);
	CHECK_INT(weighted_sum_add(&forged, 1, -1), WEIGHTED_OK);	/* a weight the glue rejects */
	CHECK(!weighted_sum_is_well_formed(&forged));
}

UNIT_TEST(single_score_hand_computed)
{
	ImpactValue v[] = {{"cch", 3, true, 8}, {"acd", 3, true, 1}, {"pef", 3, true, 99}};
	ImpactValue unknown[] = {{"acdX", 3, true, 1}, {"cch", 3, true, 8}, {"zzz", 3, true, 1}};
	ImpactValue missing[] = {{"cch", 3, true, 8}, {"acd", 3, false, 0}};
	double		score = 0;
	const char *bad;
	size_t		bad_len;

	/* (1/2*0.5 + 8/4*0.25) * 1e6; "pef" is known and ignored */
	CHECK_INT(single_score(categories, 4, v, 3, true, &score, &bad, &bad_len), SCORE_OK);
	CHECK_NEAR(score, 750000, 1e-9);
	/* code_len 3 of "acdX" reads "acd": lengths, not NUL, delimit codes */
	CHECK_INT(single_score(categories, 4, unknown, 3, true, &score, &bad, &bad_len),
			  SCORE_UNKNOWN_CATEGORY);
	CHECK(bad_len == 3 && memcmp(bad, "zzz", 3) == 0);
	CHECK_INT(single_score(categories, 4, missing, 2, true, &score, &bad, &bad_len),
			  SCORE_MISSING_CATEGORY);
	CHECK(strcmp(bad, "acd") == 0);
	CHECK_INT(single_score(categories, 4, missing, 2, false, &score, &bad, &bad_len), SCORE_OK);
	CHECK_NEAR(score, 500000, 1e-9);
}
