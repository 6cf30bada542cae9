/*
 * Unit tests for nmf_stability (src/pmf/stability.c), against values worked
 * out by hand below.
 */
#include <math.h>

#include "stability.h"
#include "unit.h"

/*
 * k = 2 factors, n = 3 species.  The kept run (index 1) has profiles
 * f0 = (1,2,3) and f1 = (3,1,0).
 * - run 0: the same factors swapped and scaled: every matched r = 1.
 * - run 2: f0 = (1,2,3), f1 = (0,1,3).  Pearson r by hand (deviations from
 *   the mean 4/3): r(f1, kept f1) = -39/42, r(f1, kept f0) = 3/sqrt(2 * 42/9)
 *   = 0.98198, r(f0, kept f1) = -0.98198, r(f0, kept f0) = 1.  Greedy takes
 *   (f0, kept f0) = 1 first, then (f1, kept f1): lowest matched r = -39/42.
 * - run 3 diverged (Q NaN); run 4 has the kept profiles but Q 1% higher.
 */
UNIT_TEST(pmf_stability_hand_worked)
{
	const double run_h[5 * 6] = {
		6, 2, 0, 2, 4, 6,		/* run 0 */
		1, 2, 3, 3, 1, 0,		/* run 1: kept */
		1, 2, 3, 0, 1, 3,		/* run 2 */
		1, 1, 1, 1, 1, 1,		/* run 3: diverged */
		1, 2, 3, 3, 1, 0,		/* run 4 */
	};
	NmfRun		results[5] = {
		{.q_true = 100.4, .q_robust = 90.1},
		{.q_true = 100.0, .q_robust = 90.0},
		{.q_true = 100.2, .q_robust = 95.0},
		{.q_true = NAN, .q_robust = NAN},
		{.q_true = 101.0, .q_robust = 90.2},
	};
	double		match[5];
	NmfStability summary;

	nmf_stability(run_h, results, 5, 1, 2, 3, false, match, &summary);
	CHECK_NEAR(match[0], 1.0, 1e-12);
	CHECK_NEAR(match[1], 1.0, 0);
	CHECK_NEAR(match[2], -39.0 / 42.0, 1e-12);
	CHECK(isnan(match[3]));
	CHECK_NEAR(match[4], 1.0, 1e-12);
	/* within 0.5% of Q(true) = 100: runs 0, 1, 2; run 2 found other profiles */
	CHECK_INT(summary.near_best, 3);
	CHECK_INT(summary.other_solutions, 1);

	/* ranked by Q(robust) = 90: runs 0, 1 and 4 are near (90.45 at most) */
	nmf_stability(run_h, results, 5, 1, 2, 3, true, match, &summary);
	CHECK_INT(summary.near_best, 3);
	CHECK_INT(summary.other_solutions, 0);
}

/* One factor: a constant profile has no correlation and matches nothing (r = -1). */
UNIT_TEST(pmf_stability_constant_profile)
{
	const double run_h[2 * 3] = {1, 2, 4, 5, 5, 5};
	NmfRun		results[2] = {{.q_true = 10, .q_robust = 10}, {.q_true = 10.01, .q_robust = 10.01}};
	double		match[2];
	NmfStability summary;

	nmf_stability(run_h, results, 2, 0, 1, 3, true, match, &summary);
	CHECK_NEAR(match[0], 1.0, 0);
	CHECK_NEAR(match[1], -1.0, 0);
	CHECK_INT(summary.near_best, 2);
	CHECK_INT(summary.other_solutions, 1);
}
