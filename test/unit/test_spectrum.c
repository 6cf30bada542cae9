/*
 * Unit tests of the spectrum kernels.  Expected values are hand-computed
 * from the definitions (see each test).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "clean.h"
#include "cosine.h"
#include "entropy.h"
#include "kernel.h"
#include "peak_binary.h"
#include "peak_text.h"
#include "unit.h"

static int
parse(const char *text, Peak **peaks)
{
	int			n;
	PeakTextError error;

	if (peaks_parse_text(text, strlen(text), peaks, &n, &error) != PEAK_TEXT_OK)
		return -1;
	peaks_sort_by_mz(*peaks, n);
	return n;
}

static PeakTextStatus
parse_status(const char *text, PeakTextError *error)
{
	Peak	   *peaks = NULL;
	int			n;
	PeakTextStatus status = peaks_parse_text(text, strlen(text), &peaks, &n, error);

	kernel_free(peaks);
	return status;
}

UNIT_TEST(parse_colon_pairs_any_separator)
{
	Peak	   *p;
	int			n = parse("200:5, 100:1;150 : 2\t300:0", &p);

	CHECK_INT(n, 4);
	CHECK(p[0].mz == 100 && p[0].intensity == 1);
	CHECK(p[1].mz == 150 && p[1].intensity == 2);
	CHECK(p[3].mz == 300 && p[3].intensity == 0);
	kernel_free(p);
}

UNIT_TEST(parse_msp_lines)
{
	Peak	   *p;
	int			n = parse("85.0 999\n\n41.5\t120\r\n", &p);

	CHECK_INT(n, 2);
	CHECK(p[0].mz == 41.5 && p[0].intensity == 120);
	kernel_free(p);
}

UNIT_TEST(parse_empty_is_zero_peaks)
{
	Peak	   *p;

	CHECK_INT(parse("", &p), 0);
	CHECK_INT(parse("  \n ,; ", &p), 0);
}

UNIT_TEST(parse_rejects_with_position)
{
	PeakTextError e;

	CHECK_INT(parse_status("100:1 200", &e), PEAK_TEXT_SYNTAX);
	CHECK_INT(e.peak, 2);
	CHECK_INT(e.column, 10);
	CHECK_INT(parse_status("100 1\n200\n", &e), PEAK_TEXT_SYNTAX);
	CHECK_INT(e.line, 2);
	CHECK_INT(parse_status("100:nan", &e), PEAK_TEXT_BAD_VALUE);
	CHECK_INT(parse_status("inf:1", &e), PEAK_TEXT_BAD_VALUE);
	CHECK_INT(parse_status("-5:1", &e), PEAK_TEXT_BAD_VALUE);
	CHECK_INT(parse_status("0:1", &e), PEAK_TEXT_BAD_VALUE);
	CHECK_INT(parse_status("5:-1", &e), PEAK_TEXT_BAD_VALUE);
	CHECK_INT(parse_status("5:1e999", &e), PEAK_TEXT_OUT_OF_RANGE);
	CHECK_INT(parse_status("5:1e-400", &e), PEAK_TEXT_OUT_OF_RANGE);
	CHECK_INT(parse_status("1e-400:1", &e), PEAK_TEXT_OUT_OF_RANGE);
	CHECK_INT(parse_status("5:1:2", &e), PEAK_TEXT_SYNTAX);
	CHECK_INT(parse_status("5x:1", &e), PEAK_TEXT_SYNTAX);
	CHECK_INT(parse_status("5:", &e), PEAK_TEXT_SYNTAX);
	/* strtod would read these as 16 and 8 */
	CHECK_INT(parse_status("0x10:1", &e), PEAK_TEXT_SYNTAX);
	CHECK_INT(parse_status("100:0X1p3", &e), PEAK_TEXT_SYNTAX);
	CHECK_INT(e.column, 5);
}

/* big-endian count and (m/z, intensity) doubles, as pq_sendfloat8 writes them */
static size_t
binary_payload(unsigned char *out, int n, const double *values)
{
	size_t		len = 0;

	for (int b = 3; b >= 0; b--)
		out[len++] = (unsigned char) ((unsigned) n >> (8 * b));
	for (int i = 0; i < 2 * n; i++)
	{
		uint64_t	bits;

		memcpy(&bits, &values[i], sizeof(bits));
		for (int b = 7; b >= 0; b--)
			out[len++] = (unsigned char) (bits >> (8 * b));
	}
	return len;
}

UNIT_TEST(parse_binary_reads_validates_and_counts_bytes)
{
	unsigned char buf[64];
	double		good[] = {300, 3, 100, -0.0};
	double		bad[] = {100, 1, -0.0, 1};
	Peak	   *p;
	int			n,
				bad_index;
	size_t		consumed,
				len = binary_payload(buf, 2, good);

	CHECK_INT(peaks_parse_binary(buf, len + 3, &p, &n, &consumed, &bad_index), PEAK_BINARY_OK);
	CHECK_INT(n, 2);
	CHECK_INT((int) consumed, 36);
	CHECK(p[0].mz == 300 && p[0].intensity == 3 && p[1].mz == 100);
	CHECK(p[1].intensity == 0 && signbit(p[1].intensity));
	peaks_unsign_zeros(p, n);
	CHECK(!signbit(p[1].intensity));
	kernel_free(p);

	CHECK_INT(peaks_parse_binary(buf, len - 1, &p, &n, &consumed, &bad_index), PEAK_BINARY_BAD_COUNT);
	CHECK_INT(peaks_parse_binary(buf, 3, &p, &n, &consumed, &bad_index), PEAK_BINARY_NO_COUNT);
	len = binary_payload(buf, 2, bad);
	CHECK_INT(peaks_parse_binary(buf, len, &p, &n, &consumed, &bad_index), PEAK_BINARY_BAD_PEAK);
	CHECK_INT(bad_index, 1);
	CHECK(p == NULL);
	len = binary_payload(buf, -1, bad);
	CHECK_INT(peaks_parse_binary(buf, len, &p, &n, &consumed, &bad_index), PEAK_BINARY_BAD_COUNT);
	CHECK_INT(n, -1);
}

UNIT_TEST(compare_orders_by_count_then_mz_then_intensity)
{
	Peak		one[] = {{100, 5}};
	Peak		two_low[] = {{100, 9}, {150, 1}};
	Peak		two_high[] = {{100, 1}, {200, 1}};
	Peak		two_high_more[] = {{100, 1}, {200, 2}};
	Peak		zero[] = {{100, 0.0}};
	Peak		minus_zero[] = {{100, -0.0}};

	CHECK(peaks_compare(NULL, 0, one, 1) < 0);
	CHECK(peaks_compare(one, 1, two_low, 2) < 0);
	CHECK(peaks_compare(two_low, 2, two_high, 2) < 0);	/* m/z decides before intensity */
	CHECK(peaks_compare(two_high, 2, two_high_more, 2) < 0);
	CHECK(peaks_compare(two_high_more, 2, two_high, 2) > 0);
	CHECK_INT(peaks_compare(two_high, 2, two_high, 2), 0);
	CHECK_INT(peaks_compare(zero, 1, minus_zero, 1), 0);
}

UNIT_TEST(sort_is_stable)
{
	Peak		p[] = {{3, 1}, {1, 1}, {2, 7}, {2, 8}, {1, 2}};

	peaks_sort_by_mz(p, 5);
	CHECK(p[0].mz == 1 && p[0].intensity == 1);
	CHECK(p[1].mz == 1 && p[1].intensity == 2);
	CHECK(p[2].intensity == 7 && p[3].intensity == 8);
	CHECK(p[4].mz == 3);
}

static const CosineParams default_cosine = {{0.1, false}, 0.0, 1.0};

UNIT_TEST(cosine_hand_computed)
{
	/* one pair of unit intensities matched; norms sqrt(2) each: 1 / 2 */
	Peak		a[] = {{100, 1}, {200, 1}};
	Peak		b[] = {{100.05, 1}, {300, 1}};
	CosineResult r = cosine_greedy(a, 2, b, 2, &default_cosine);

	CHECK_NEAR(r.score, 0.5, 1e-15);
	CHECK_INT(r.matches, 1);
}

UNIT_TEST(cosine_identical_disjoint_empty)
{
	Peak		a[] = {{100, 3}, {150, 4}, {200, 5}};
	Peak		b[] = {{400, 3}};

	CHECK_NEAR(cosine_greedy(a, 3, a, 3, &default_cosine).score, 1.0, 1e-15);
	CHECK_NEAR(cosine_greedy(a, 3, b, 1, &default_cosine).score, 0.0, 0);
	CHECK_NEAR(cosine_greedy(a, 3, b, 0, &default_cosine).score, 0.0, 0);
}

UNIT_TEST(cosine_tolerance_is_inclusive)
{
	/* binary-exact values: 100.5 - 100 == 0.5 exactly */
	Peak		a[] = {{100, 1}};
	Peak		b[] = {{100.5, 1}};
	CosineParams at = {{0.5, false}, 0, 1},
				below = {{0.4999, false}, 0, 1};

	CHECK_NEAR(cosine_greedy(a, 1, b, 1, &at).score, 1.0, 1e-15);
	CHECK_NEAR(cosine_greedy(a, 1, b, 1, &below).score, 0.0, 0);
}

UNIT_TEST(cosine_greedy_takes_largest_product_first)
{
	/*
	 * b's peak 100.05 could pair with a's 100 (product 1*4) or 100.1 (3*4):
	 * greedy takes 100.1 (12); a's 100 then stays unmatched.
	 * score = 12 / (sqrt(1 + 9) * 4)
	 */
	Peak		a[] = {{100, 1}, {100.1, 3}};
	Peak		b[] = {{100.05, 4}};
	CosineResult r = cosine_greedy(a, 2, b, 1, &default_cosine);

	CHECK_NEAR(r.score, 12.0 / (sqrt(10.0) * 4.0), 1e-15);
	CHECK_INT(r.matches, 1);
}

UNIT_TEST(cosine_ties_taken_last_candidate_first)
{
	/*
	 * Candidates (a0,b0) and (a1,b0) tie at 1; matchms' reversed stable sort
	 * takes (a1,b0) first, which leaves (a0,b1)... b1 at 99.95 is within 0.1
	 * of a0 only, so both orders give 2 matches here; the check is that
	 * the result does not depend on input ordering of equal scores.
	 */
	Peak		a[] = {{100, 1}, {100.08, 1}};
	Peak		b[] = {{99.95, 1}, {100.04, 1}};
	CosineResult r = cosine_greedy(a, 2, b, 2, &default_cosine);

	CHECK_INT(r.matches, 2);
	CHECK_NEAR(r.score, 1.0, 1e-15);
}

UNIT_TEST(modified_cosine_matches_shifted_peaks)
{
	/* b is a shifted by -14 (precursors 300 and 286): every peak matches */
	Peak		a[] = {{100, 1}, {200, 2}};
	Peak		b[] = {{100, 1}, {186, 2}};

	CHECK_NEAR(cosine_modified(a, 2, 300, b, 2, 286, &default_cosine).score, 1.0, 1e-15);
	CHECK_NEAR(cosine_greedy(a, 2, b, 2, &default_cosine).score, 1.0 / 5.0, 1e-15);
}

UNIT_TEST(entropy_hand_computed)
{
	/*
	 * a = {0.5, 0.5}, b = {1} sharing m/z 100:
	 * (f(1.5) - f(0.5) - f(1)) / 2 with f(x) = x log2 x
	 * = (1.5 log2 1.5 + 0.5) / 2
	 */
	Peak		a[] = {{100, 0.5}, {200, 0.5}};
	Peak		b[] = {{100, 1}};
	double		expected = (1.5 * log2(1.5) + 0.5) / 2;

	CHECK_NEAR(entropy_similarity(a, 2, b, 1, mz_tolerance_da(0.02), false, false), expected, 1e-15);
	/* weighting leaves equal peaks equal */
	CHECK_NEAR(entropy_similarity(a, 2, b, 1, mz_tolerance_da(0.02), true, true), expected, 1e-15);
	CHECK_NEAR(entropy_similarity(a, 2, a, 2, mz_tolerance_da(0.02), true, true), 1.0, 1e-15);
	CHECK_NEAR(entropy_similarity(a, 2, b, 0, mz_tolerance_da(0.02), true, true), 0.0, 0);
}

UNIT_TEST(spectral_entropy_of_uniform_peaks_is_log_n)
{
	Peak		a[] = {{100, 2}, {200, 2}, {300, 2}, {400, 2}};

	CHECK_NEAR(spectral_entropy(a, 4), log(4.0), 1e-15);
	CHECK_NEAR(spectral_entropy(a, 0), 0.0, 0);
}

UNIT_TEST(centroid_merges_from_the_highest_peak)
{
	/*
	 * 100 (10) absorbs 100.03 (5) within 0.05; 100.055 (1) is 0.055 from
	 * 100 so it stays for the first pass, then sits 0.045 from the merged
	 * peak at 100.01 and is merged in the second pass:
	 * m/z = (100*10 + 100.03*5 + 100.055*1) / 16
	 */
	Peak		p[] = {{100, 10}, {100.03, 5}, {100.055, 1}, {200, 3}};
	int			n = peaks_centroid(p, 4, mz_tolerance_da(0.05));

	CHECK_INT(n, 2);
	CHECK_NEAR(p[0].mz, (100 * 10 + 100.03 * 5 + 100.055 * 1) / 16.0, 1e-12);
	CHECK_NEAR(p[0].intensity, 16, 1e-12);
	CHECK_NEAR(p[1].mz, 200, 0);
}

UNIT_TEST(clean_drops_noise_and_precursor_and_normalises)
{
	Peak		p[] = {{50, 0.5}, {100, 100}, {150, 0}, {200, 20}, {300, 50}};
	CleanParams params = {0.01, {0.05, false}, 0, 300, 0, NORMALIZE_MAX};
	int			n = peaks_clean(p, 5, &params);

	/* 50 is below 1% of 100, 150 is empty, 300 is at max_mz */
	CHECK_INT(n, 2);
	CHECK_NEAR(p[0].intensity, 1.0, 0);
	CHECK_NEAR(p[1].intensity, 0.2, 1e-15);
}

UNIT_TEST(modified_cosine_within_tolerance_is_plain_cosine)
{
	/*
	 * matchms 0.33.0 test_modified_cosine_greedy: precursors 500 and 501 at
	 * tolerance 1 differ by no more than the tolerance, so plain cosine: pairs
	 * (100,100) and (101,101), (1 + 0.81) / (1 + 0.81 + 0.64).  At 502 the
	 * shift -2 also pairs 102 with 104 - 2: all three match.
	 */
	Peak		a[] = {{100, 1}, {101, 0.9}, {102, 0.8}};
	Peak		b[] = {{100, 1}, {101, 0.9}, {104, 0.8}};
	CosineParams one_da = {{1.0, false}, 0, 1};
	CosineParams ppm = {{2000, true}, 0, 1};	/* 2000 ppm of 500 = 1 Da */
	CosineResult r = cosine_modified(a, 3, 500, b, 3, 501, &one_da);

	CHECK_NEAR(r.score, 1.81 / 2.45, 1e-15);
	CHECK_INT(r.matches, 2);
	r = cosine_modified(a, 3, 500, b, 3, 502, &one_da);
	CHECK_NEAR(r.score, 1.0, 1e-15);
	CHECK_INT(r.matches, 3);
	CHECK_NEAR(cosine_modified(a, 3, 500, b, 3, 501, &ppm).score, 1.81 / 2.45, 1e-15);
}

UNIT_TEST(cosine_forced_zero_has_no_matches)
{
	Peak		zeros[] = {{100, 0}, {200, 0}};

	CHECK_NEAR(cosine_greedy(zeros, 2, zeros, 2, &default_cosine).score, 0, 0);
	CHECK_INT(cosine_greedy(zeros, 2, zeros, 2, &default_cosine).matches, 0);
	CHECK_INT(cosine_modified(zeros, 2, 300, zeros, 2, 310, &default_cosine).matches, 0);
}

UNIT_TEST(ppm_tolerance_is_relative_to_the_first_spectrum)
{
	/* 10 ppm of 1000 is 0.01 Da (binary-inexact values: stay clear of the edge) */
	Peak		a[] = {{1000, 1}};
	Peak		near[] = {{1000.0099, 1}};
	Peak		far[] = {{1000.0101, 1}};
	CosineParams ten_ppm = {{10, true}, 0, 1};
	MzTolerance t = {10, true};

	CHECK_NEAR(cosine_greedy(a, 1, near, 1, &ten_ppm).score, 1, 1e-15);
	CHECK_NEAR(cosine_greedy(a, 1, far, 1, &ten_ppm).score, 0, 0);
	CHECK_NEAR(entropy_similarity(a, 1, near, 1, t, false, false), 1, 1e-15);
	CHECK_NEAR(entropy_similarity(a, 1, far, 1, t, false, false), 0, 0);
	CHECK_NEAR(mz_tolerance_at(t, 500), 0.005, 1e-18);
	CHECK_NEAR(mz_tolerance_at(mz_tolerance_da(0.02), 500), 0.02, 0);
}

UNIT_TEST(extreme_magnitudes_score_like_ordinary_ones)
{
	/* s = {100: v, 200: v} against itself: 1, entropy ln 2, at every finite v */
	const double values[] = {DBL_MAX, 1e308, 1e154, 1e-162, 1e-300, 4.9e-324};
	CosineParams mz_power = {{0.1, false}, 200, 1};
	CosineParams intensity_power = {{0.1, false}, 0, 1e308};

	for (int k = 0; k < 6; k++)
	{
		Peak		s[] = {{100, values[k]}, {200, values[k]}};
		Peak	   *prepared;
		CleanParams none = {0.01, {0.05, false}, 0, 0, 0, NORMALIZE_NONE};
		int			n;

		CHECK_NEAR(cosine_greedy(s, 2, s, 2, &default_cosine).score, 1, 1e-15);
		CHECK_NEAR(cosine_modified(s, 2, 300, s, 2, 300, &default_cosine).score, 1, 1e-15);
		CHECK_NEAR(cosine_greedy(s, 2, s, 2, &mz_power).score, 1, 1e-15);
		CHECK_NEAR(cosine_greedy(s, 2, s, 2, &intensity_power).score, 1, 1e-15);
		CHECK_NEAR(entropy_similarity(s, 2, s, 2, mz_tolerance_da(0.02), true, true), 1, 1e-15);
		CHECK_NEAR(spectral_entropy(s, 2), log(2), 1e-15);
		n = entropy_prepare(s, 2, NULL, false, &prepared);
		CHECK(n == 2 && prepared[0].intensity == 0.5 && prepared[1].intensity == 0.5);
		kernel_free(prepared);
		n = peaks_clean(s, 2, &none);	/* unmerged: the values come back as they were */
		CHECK(n == 2 && s[0].intensity == values[k] && s[1].intensity == values[k]);
	}
}

UNIT_TEST(clean_none_overflow_is_reported)
{
	Peak		p[] = {{100, 1e308}, {100.01, 1e308}};
	Peak		q[] = {{100, 1e308}, {100.01, 1e308}};
	CleanParams none = {0.01, {0.05, false}, 0, 0, 0, NORMALIZE_NONE};
	CleanParams sum = {0.01, {0.05, false}, 0, 0, 0, NORMALIZE_SUM};

	CHECK_INT(peaks_clean(p, 2, &none), -1);
	CHECK_INT(peaks_clean(q, 2, &sum), 1);
	CHECK_NEAR(q[0].mz, 100.005, 1e-12);
	CHECK(q[0].intensity == 1);
}

UNIT_TEST(clean_min_mz_max_peak_num_and_ppm_merge)
{
	/* min_mz keeps m/z >= 60; the 2 most intense of the rest, ties to the higher m/z */
	Peak		p[] = {{50, 9}, {60, 3}, {70, 1}, {80, 3}, {90, 3}};
	CleanParams params = {0, {0.05, false}, 60, 0, 2, NORMALIZE_NONE};
	/* 100 ppm of 1000.1 is 0.10001 Da: 1000 and 1000.1 merge, 100 and 100.1 do not */
	Peak		q[] = {{100, 1}, {100.1, 1}, {1000, 1}, {1000.1, 1}};
	CleanParams ppm = {0, {100, true}, 0, 0, 0, NORMALIZE_NONE};
	int			n = peaks_clean(p, 5, &params);

	CHECK_INT(n, 2);
	CHECK(p[0].mz == 80 && p[1].mz == 90);
	n = peaks_clean(q, 4, &ppm);
	CHECK_INT(n, 3);
	CHECK_NEAR(q[2].mz, 1000.05, 1e-9);
	CHECK(q[2].intensity == 2);
}

UNIT_TEST(clean_precursor_removal)
{
	Peak		p[] = {{4.9e-324, 1}, {100, 1}, {298.3, 1}, {298.4, 1}, {300, 5}};
	CleanParams params = {0, {0.05, false}, 0, 0, 0, NORMALIZE_NONE};
	int			n;

	clean_params_remove_precursor(&params, 300, CLEAN_PRECURSOR_REMOVAL_DA);
	n = peaks_clean(p, 5, &params);
	CHECK_INT(n, 3);			/* 298.4 is at the cut: dropped */
	CHECK(p[2].mz == 298.3);
	params.max_mz = 200;
	clean_params_remove_precursor(&params, 300, 1.6);
	CHECK(params.max_mz == 200);	/* the lower cut wins */
	clean_params_remove_precursor(&params, 1, 1.6);
	p[0] = (Peak) {4.9e-324, 1};
	CHECK_INT(peaks_clean(p, 1, &params), 0);	/* a cut below 0 leaves nothing */
}
