/*
 * fuzz_pmf.c: libFuzzer target for the source-apportionment kernels in
 * src/pmf/: NNLS and chemical mass balance, profile similarity, the EPA
 * PMF 5.0 uncertainty and signal-to-noise rules, the input check and short
 * LS-NMF and WS-NMF fits.
 *
 * Input: three bytes give m samples, n species and k factors (1..6), a
 * fourth the fit options; then 8-byte words (zero once the input runs out)
 * mapped to concentrations in {0} or [1e-6, 1e6] and uncertainties in
 * [1e-3, 1e3], so that the valid problem has finite Q; the last words are
 * also used raw (NaN, Inf, negative) against the checks.  One input is a few
 * small matrices and at most 2 x 20 iterations.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "nmf.h"
#include "nnls.h"
#include "prep.h"
#include "similarity.h"

#define MAX_DIM 6

typedef struct FuzzInput
{
	const uint8_t *data;
	size_t		size;
	size_t		pos;
} FuzzInput;

static uint64_t
next_word(FuzzInput *in)
{
	uint64_t	word = 0;
	size_t		take = in->size - in->pos < 8 ? in->size - in->pos : 8;

	memcpy(&word, in->data + in->pos, take);
	in->pos += take;
	return word;
}

static uint8_t
next_byte(FuzzInput *in)
{
	return in->pos < in->size ? in->data[in->pos++] : 0;
}

/* A value of 10^[low, low + span) with a 53-bit mantissa in [1, 10). */
static double
scaled(uint64_t word, int low, int span)
{
	double		mantissa = 1.0 + 9.0 * (double) (word >> 11) / 9007199254740992.0;

	return mantissa * pow(10.0, low + (int) ((word >> 3) % (uint64_t) span));
}

static double
concentration(uint64_t word)
{
	return (word & 7) == 0 ? 0.0 : scaled(word, -6, 12);
}

static double
uncertainty(uint64_t word)
{
	return scaled(word, -3, 6);
}

static double
raw_double(uint64_t word)
{
	double		value;

	memcpy(&value, &word, sizeof value);
	return value;
}

static void
check_prep(double conc, double mdl, double error_fraction, double raw_a, double raw_b)
{
	double		unc = pmf_uncertainty(conc, mdl, error_fraction);
	double		sn = pmf_signal_to_noise_term(conc, unc);
	PmfCategory category = pmf_category_of(sn);

	if (!(unc > 0 && isfinite(unc)) || !(sn >= 0 && isfinite(sn)))
		abort();
	if (pmf_category_parse(pmf_category_name(category)) != (int) category)
		abort();
	/* raw values: no crash, a category whatever the number */
	category = pmf_category_of(pmf_signal_to_noise_term(raw_a, pmf_uncertainty(raw_a, raw_b, raw_b)));
	if (category != PMF_STRONG && category != PMF_WEAK && category != PMF_BAD)
		abort();
}

static void
check_similarity(const double *a, const double *b, int n)
{
	double		cosine = profile_similarity(a, b, n, PROFILE_COSINE);
	double		pearson = profile_similarity(a, b, n, PROFILE_PEARSON);
	double		distance = profile_similarity(a, b, n, PROFILE_EUCLIDEAN);

	/* non-negative vectors: cosine in [0, 1] */
	if (!isnan(cosine) && !(cosine >= 0 && cosine <= 1 + 1e-12))
		abort();
	if (!isnan(pearson) && !(pearson >= -1 - 1e-12 && pearson <= 1 + 1e-12))
		abort();
	if (!(distance >= 0 && isfinite(distance)))
		abort();
	if (profile_similarity(a, a, n, PROFILE_EUCLIDEAN) != 0)
		abort();
}

/* a is m x n, b has m entries, all finite; unc positive */
static void
check_nnls_cmb(const double *a, const double *b, const double *unc, int m, int n)
{
	double		x[MAX_DIM];
	CmbResult	result;

	if (nnls_solve(a, b, m, n, x) == NNLS_OK)
		for (int j = 0; j < n; j++)
			if (!(x[j] >= 0 && isfinite(x[j])))
				abort();
	if (cmb_solve(b, a, unc, m, n, x, &result) == NNLS_OK)
	{
		for (int j = 0; j < n; j++)
			if (!(x[j] >= 0 && isfinite(x[j])))
				abort();
		if (!(result.residual_norm >= 0 && isfinite(result.residual_norm)))
			abort();
		if (!isnan(result.r2) && !(result.r2 <= 1 + 1e-9))
			abort();
	}
}

/* Putting one raw value into a valid problem: the check finds exactly that cell. */
static void
check_input_validation(double *x, double *u, int m, int n, int cell, double raw, bool into_u)
{
	double		saved = into_u ? u[cell] : x[cell];
	int			row = -1,
				col = -1;
	NmfInputStatus expected = NMF_INPUT_OK;

	if (into_u)
	{
		u[cell] = raw;
		if (!(isfinite(raw) && raw > 0))
			expected = NMF_UNC_NOT_POSITIVE;
	}
	else
	{
		x[cell] = raw;
		if (!isfinite(raw))
			expected = NMF_CONC_NOT_FINITE;
		else if (raw < 0)
			expected = NMF_CONC_NEGATIVE;
	}
	if (nmf_check_input(x, u, m, n, NMF_LS, &row, &col) != expected)
		abort();
	if (expected != NMF_INPUT_OK && row * n + col != cell)
		abort();
	/* WS-NMF accepts negative concentrations */
	if (nmf_check_input(x, u, m, n, NMF_WS, &row, &col) !=
		(expected == NMF_CONC_NEGATIVE ? NMF_INPUT_OK : expected))
		abort();
	if (into_u)
		u[cell] = saved;
	else
		x[cell] = saved;
}

static void
check_fit(const double *x, const double *u, int m, int n, int k, uint8_t options, uint64_t seed)
{
	NmfParams	params = {
		.factors = k,
		.method = (options & 1) ? NMF_WS : NMF_LS,
		.robust = (options & 2) != 0,
		.max_iter = 1 + (options >> 3) % 20,
		.converge_delta = 0.1,
		.converge_n = 1 + (options >> 2) % 2,
		.reweight_after = (options >> 5) & 3,
	};
	int			runs = 1 + ((options >> 7) & 1);
	double	   *w = kernel_alloc_array((size_t) m * k, sizeof(double));
	double	   *h = kernel_alloc_array((size_t) k * n, sizeof(double));
	NmfRun		results[2];
	NmfProblem	problem;
	NmfFitStatus status;
	int			best = -1;
	double		q_true,
				q_robust;

	if (nmf_check_input(x, u, m, n, params.method, &best, &best) != NMF_INPUT_OK)
		abort();
	nmf_problem_init(&problem, x, u, m, n);
	status = nmf_fit(&problem, &params, runs, seed, 1, NULL, NULL, NULL, w, h, results, &best, NULL);
	if (status != NMF_FIT_OK || best < 0 || best >= runs)
		abort();
	for (int r = 0; r < runs; r++)
		if (results[r].iterations < 0 || results[r].iterations > params.max_iter)
			abort();
	if (!(isfinite(results[best].q_true) && results[best].q_true >= 0 &&
		  isfinite(results[best].q_robust) && results[best].q_robust >= 0 &&
		  results[best].q_robust <= results[best].q_true * (1 + 1e-12)))
		abort();
	for (int i = 0; i < k * n; i++)
		if (!(h[i] >= 0 && isfinite(h[i])))
			abort();
	for (int i = 0; i < m * k; i++)
		if (!isfinite(w[i]) || (params.method == NMF_LS && w[i] < 0))
			abort();
	/* the Q reported is the Q of the factors returned */
	nmf_q(&problem, w, h, k, &q_true, &q_robust);
	if (fabs(q_true - results[best].q_true) > 1e-9 * (1 + q_true))
		abort();
	nmf_problem_free(&problem);
	kernel_free(w);
	kernel_free(h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size, 0};
	int			m = 1 + next_byte(&in) % MAX_DIM;
	int			n = 1 + next_byte(&in) % MAX_DIM;
	int			k = 1 + next_byte(&in) % (m < n ? m : n);
	uint8_t		options = next_byte(&in);
	double		x[MAX_DIM * MAX_DIM],
				u[MAX_DIM * MAX_DIM],
				b[MAX_DIM],
				raw[4];
	uint64_t	seed;

	for (int i = 0; i < m * n; i++)
		x[i] = concentration(next_word(&in));
	for (int i = 0; i < m * n; i++)
		u[i] = uncertainty(next_word(&in));
	for (int i = 0; i < m; i++)
		b[i] = concentration(next_word(&in));
	for (int i = 0; i < 4; i++)
		raw[i] = raw_double(next_word(&in));
	seed = next_word(&in);

	check_prep(x[0], u[0], fmod(u[1], 1.0), raw[0], raw[1]);
	check_similarity(x, x + (m - 1) * n, n);
	check_nnls_cmb(x, b, u, m, n);
	check_input_validation(x, u, m, n, (int) (seed % (uint64_t) (m * n)), raw[2], false);
	check_input_validation(x, u, m, n, (int) ((seed >> 8) % (uint64_t) (m * n)), raw[3], true);
	check_fit(x, u, m, n, k, options, seed);
	return 0;
}
