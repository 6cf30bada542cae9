/*
 * test_screen_match.c: ppm-window matching of features against sorted ions
 * (src/screening/ion_match.c), checked against a brute-force scan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confidence_level.h"
#include "ion_match.h"
#include "kernel.h"
#include "unit.h"

UNIT_TEST(ion_window_hand_checked)
{
	/* caffeine [M+H]+ 195.087652; 5 ppm of it is 0.000975 */
	double		mz[] = {195.0885, 100, 195.087652, 195.0867, 300, 195.0886};
	int			order[6];
	double		sorted[6];
	int			first,
				last;

	ion_sort(mz, 6, order);
	CHECK_INT(order[0], 1);
	CHECK_INT(order[5], 4);
	for (int i = 0; i < 6; i++)
		sorted[i] = mz[order[i]];
	/* 195.0867 is -4.88 ppm, 195.0885 +4.35 ppm, 195.0886 +4.86 ppm: all in; at 4 ppm only the middle one */
	CHECK_INT(ion_window(sorted, 6, 195.087652, 5, &first, &last), 4);
	CHECK_INT(first, 1);
	CHECK_INT(last, 5);
	CHECK_INT(ion_window(sorted, 6, 195.087652, 4, &first, &last), 1);
	CHECK(sorted[first] == 195.087652);
	CHECK_INT(ion_window(sorted, 6, 250, 5, &first, &last), 0);
	CHECK_INT(ion_window(sorted, 6, 50, 5, &first, &last), 0);
	CHECK_INT(first, 0);
	CHECK_INT(ion_window(sorted, 6, 400, 5, &first, &last), 0);
	CHECK_INT(ion_window(sorted, 0, 400, 5, &first, &last), 0);
	/* the window edges are exact: just inside and just outside f / (1 +- tol) */
	{
		double		f = 500,
					low = f / (1 + 2e-6),
					high = f / (1 - 2e-6);
		double		edge[] = {low * (1 - 1e-12), low * (1 + 1e-12), high * (1 - 1e-12), high * (1 + 1e-12)};

		CHECK_INT(ion_window(edge, 4, f, 2, &first, &last), 2);
		CHECK_INT(first, 1);
		CHECK_INT(last, 3);
	}
}

UNIT_TEST(ion_window_equals_brute_force)
{
	enum
	{
		N_IONS = 5000, N_FEATURES = 2000
	};
	double	   *mz = malloc(sizeof(double) * N_IONS),
			   *sorted = malloc(sizeof(double) * N_IONS);
	int		   *order = malloc(sizeof(int) * N_IONS);
	uint64_t	state = 7;
	long		total = 0;

	/* clustered m/z values (many near-duplicates) so windows hold several ions */
	for (int i = 0; i < N_IONS; i++)
	{
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		mz[i] = 100 + (double) ((state >> 33) % 400) + (double) ((state >> 11) % 1000) * 1e-5;
	}
	ion_sort(mz, N_IONS, order);
	for (int i = 0; i < N_IONS; i++)
	{
		sorted[i] = mz[order[i]];
		if (i > 0)
			CHECK(sorted[i - 1] < sorted[i] || (sorted[i - 1] == sorted[i] && order[i - 1] < order[i]));
	}
	for (int f = 0; f < N_FEATURES; f++)
	{
		double		feature,
					ppm;
		int			first,
					last,
					expected = 0,
					inside = 0;

		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		feature = mz[(state >> 33) % N_IONS] * (1 + ((double) ((state >> 11) % 2001) - 1000) * 1e-8);
		ppm = 0.5 + (double) ((state >> 40) % 20);
		ion_window(sorted, N_IONS, feature, ppm, &first, &last);
		for (int i = 0; i < N_IONS; i++)
			if (fabs(feature - mz[i]) <= ppm * 1e-6 * mz[i])
				expected++;
		for (int k = first; k < last; k++)
			inside += fabs(feature - sorted[k]) <= ppm * 1e-6 * sorted[k];
		CHECK_INT(last - first, expected);
		CHECK_INT(inside, expected);
		total += expected;
	}
	/* the windows are not trivially empty */
	CHECK(total > N_FEATURES);
	free(mz);
	free(sorted);
	free(order);
}

UNIT_TEST(confidence_levels)
{
	LevelThresholds t = {.ms2_match = 0.7, .ms2_evidence = 0.3, .isotope = 0.5};
	/* suspect 1 under two adducts, suspects 2 and 3 */
	double		iso[] = {0.9, 0.2, 0.6, NAN, 0.1};
	double		ms2[] = {0.8, 0.75, 0.4, NAN, NAN};
	int			suspect[] = {1, 1, 2, 3, 4};
	ConfidenceLevel levels[5];

	/* one suspect above ms2_match (under two adducts) is unambiguous */
	candidate_levels(iso, ms2, suspect, 5, &t, levels);
	CHECK(levels[0] == LEVEL_2A && levels[1] == LEVEL_2A);
	CHECK(levels[2] == LEVEL_3);
	CHECK(levels[3] == LEVEL_5);
	CHECK(levels[4] == LEVEL_5);
	/* a second suspect above ms2_match makes both ambiguous: level 3 */
	ms2[2] = 0.71;
	candidate_levels(iso, ms2, suspect, 5, &t, levels);
	CHECK(levels[0] == LEVEL_3 && levels[1] == LEVEL_3 && levels[2] == LEVEL_3);
	/* without MS/MS, the isotope pattern decides between 4 and 5 (the threshold itself counts) */
	ms2[0] = ms2[1] = ms2[2] = NAN;
	iso[2] = 0.5;
	candidate_levels(iso, ms2, suspect, 5, &t, levels);
	CHECK(levels[0] == LEVEL_4 && levels[1] == LEVEL_5 && levels[2] == LEVEL_4);
	CHECK(strcmp(confidence_level_name(LEVEL_2A), "2a") == 0);
	CHECK(strcmp(confidence_level_name(LEVEL_5), "5") == 0);
}
