/*
 * Unit tests of the source-apportionment kernels (src/pmf).  Expected values
 * are hand-computed from the definitions stated beside each test.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bootstrap.h"
#include "disp.h"
#include "kernel.h"
#include "nmf.h"
#include "nmf_run_state.h"
#include "nnls.h"
#include "parallel.h"
#include "prep.h"
#include "prng.h"
#include "similarity.h"
#include "unit.h"

UNIT_TEST(pmf_uncertainty_epa_rule)
{
	/* at or below the MDL: 5/6 MDL */
	CHECK_NEAR(pmf_uncertainty(1.0, 2.0, 0.1), 5.0 / 3.0, 1e-15);
	CHECK_NEAR(pmf_uncertainty(2.0, 2.0, 0.1), 5.0 / 3.0, 1e-15);
	/* above: sqrt((0.1 * 10)^2 + (0.5 * 2)^2) = sqrt(2) */
	CHECK_NEAR(pmf_uncertainty(10.0, 2.0, 0.1), sqrt(2.0), 1e-15);
}

UNIT_TEST(pmf_signal_to_noise_and_categories)
{
	CHECK_NEAR(pmf_signal_to_noise_term(3.0, 1.0), 2.0, 0);
	CHECK_NEAR(pmf_signal_to_noise_term(1.0, 1.0), 0.0, 0);
	CHECK_NEAR(pmf_signal_to_noise_term(0.5, 1.0), 0.0, 0);
	CHECK_INT(pmf_category_of(0.49), PMF_BAD);
	CHECK_INT(pmf_category_of(0.5), PMF_WEAK);
	CHECK_INT(pmf_category_of(0.99), PMF_WEAK);
	CHECK_INT(pmf_category_of(1.0), PMF_STRONG);
	CHECK_INT(pmf_category_parse("Weak"), PMF_WEAK);
	CHECK_INT(pmf_category_parse("bad"), PMF_BAD);
	CHECK_INT(pmf_category_parse("good"), -1);
}

UNIT_TEST(pmf_prng_reference_values)
{
	/* splitmix64 from state 0: published first output 0xe220a8397b1dcdaf */
	uint64_t	state = 0;
	Prng		a,
				b;
	double		sum = 0,
				sum2 = 0;

	CHECK(splitmix64_next(&state) == UINT64_C(0xe220a8397b1dcdaf));
	prng_seed(&a, 42);
	prng_seed(&b, 42);
	for (int i = 0; i < 100; i++)
		CHECK(prng_next(&a) == prng_next(&b));
	/* 20000 normals: mean 0, variance 1 within 4 standard errors */
	for (int i = 0; i < 20000; i++)
	{
		double		z = prng_normal(&a);

		sum += z;
		sum2 += z * z;
	}
	CHECK_NEAR(sum / 20000, 0.0, 4 / sqrt(20000.0));
	CHECK_NEAR(sum2 / 20000, 1.0, 4 * sqrt(2.0 / 20000));
}

UNIT_TEST(pmf_nnls_hand_solved)
{
	/* A = [[1,0],[0,1],[1,1]], b = [2,1,1]: normal equations [[2,1],[1,2]] x = [3,2] -> (4/3, 1/3) */
	double		a[] = {1, 0, 0, 1, 1, 1};
	double		b1[] = {2, 1, 1};
	/* b = [1,-2,0]: unconstrained (4/3,-5/3); with x2 = 0, min (x1-1)^2 + 4 + x1^2 -> x1 = 1/2 */
	double		b2[] = {1, -2, 0};
	/* identity, b = (1, -1): x = (1, 0) */
	double		eye[] = {1, 0, 0, 1};
	double		b3[] = {1, -1};
	/* b <= 0 everywhere: x = 0 */
	double		b4[] = {-1, -1, -1};
	double		x[2];

	CHECK_INT(nnls_solve(a, b1, 3, 2, x), NNLS_OK);
	CHECK_NEAR(x[0], 4.0 / 3.0, 1e-12);
	CHECK_NEAR(x[1], 1.0 / 3.0, 1e-12);
	CHECK_INT(nnls_solve(a, b2, 3, 2, x), NNLS_OK);
	CHECK_NEAR(x[0], 0.5, 1e-12);
	CHECK_NEAR(x[1], 0.0, 0);
	CHECK_INT(nnls_solve(eye, b3, 2, 2, x), NNLS_OK);
	CHECK_NEAR(x[0], 1.0, 1e-12);
	CHECK_NEAR(x[1], 0.0, 0);
	CHECK_INT(nnls_solve(a, b4, 3, 2, x), NNLS_OK);
	CHECK_NEAR(x[0], 0.0, 0);
	CHECK_NEAR(x[1], 0.0, 0);
}

UNIT_TEST(pmf_nnls_matches_kkt_on_random_problems)
{
	/* KKT: x >= 0, gradient A^T(b - Ax) <= 0, and = 0 where x > 0 */
	Prng		rng;

	prng_seed(&rng, 7);
	for (int trial = 0; trial < 50; trial++)
	{
		int			m = 12,
					n = 5;
		double		a[60],
					b[12],
					x[5];

		for (int c = 0; c < m * n; c++)
			a[c] = prng_normal(&rng);
		for (int i = 0; i < m; i++)
			b[i] = prng_normal(&rng);
		CHECK_INT(nnls_solve(a, b, m, n, x), NNLS_OK);
		for (int j = 0; j < n; j++)
		{
			double		g = 0;

			for (int i = 0; i < m; i++)
			{
				double		fit = 0;

				for (int l = 0; l < n; l++)
					fit += a[i * n + l] * x[l];
				g += a[i * n + j] * (b[i] - fit);
			}
			CHECK(x[j] >= 0);
			CHECK(g <= 1e-9);
			if (x[j] > 0)
				CHECK_NEAR(g, 0.0, 1e-9);
		}
	}
}

UNIT_TEST(pmf_cmb_exact_mixture)
{
	/* 4 species x 2 sources; sample = 2 p1 + 3 p2 exactly */
	double		profiles[] = {0.5, 0.1,
		0.3, 0.1,
		0.1, 0.6,
		0.1, 0.2};
	double		sample[4],
				unc[] = {0.1, 0.1, 0.2, 0.05},
				contribution[2];
	CmbResult	result;

	for (int i = 0; i < 4; i++)
		sample[i] = 2 * profiles[i * 2] + 3 * profiles[i * 2 + 1];
	CHECK_INT(cmb_solve(sample, profiles, unc, 4, 2, contribution, &result), NNLS_OK);
	CHECK_NEAR(contribution[0], 2.0, 1e-12);
	CHECK_NEAR(contribution[1], 3.0, 1e-12);
	CHECK_NEAR(result.residual_norm, 0.0, 1e-12);
	CHECK_NEAR(result.r2, 1.0, 1e-12);

	/* one species, one source: x = b/a = 2, nothing left */
	{
		double		p[] = {2},
					s[] = {4},
					c;

		CHECK_INT(cmb_solve(s, p, NULL, 1, 1, &c, &result), NNLS_OK);
		CHECK_NEAR(c, 2.0, 1e-15);
		CHECK(isnan(result.r2));	/* a single species has no variance */
	}
}

UNIT_TEST(pmf_cmb_weighted_residual)
{
	/*
	 * One source p = (1, 1), sample (1, 3), unc (1, 1): x = mean = 2,
	 * residuals (-1, 1): norm sqrt(2); SS_tot = 2 -> r2 = 0.
	 * With unc (1, 0.5) the weights are (1, 4): x = (1 + 12)/5 = 2.6,
	 * residuals (-1.6, 0.4)/unc -> norm sqrt(2.56 + 0.64).
	 */
	double		p[] = {1, 1},
				s[] = {1, 3},
				u1[] = {1, 1},
				u2[] = {1, 0.5},
				c;
	CmbResult	result;

	cmb_solve(s, p, u1, 2, 1, &c, &result);
	CHECK_NEAR(c, 2.0, 1e-14);
	CHECK_NEAR(result.residual_norm, sqrt(2.0), 1e-14);
	CHECK_NEAR(result.r2, 0.0, 1e-14);
	cmb_solve(s, p, u2, 2, 1, &c, &result);
	CHECK_NEAR(c, 2.6, 1e-14);
	CHECK_NEAR(result.residual_norm, sqrt(3.2), 1e-14);
}

UNIT_TEST(pmf_profile_similarity_hand_values)
{
	double		a[] = {1, 0},
				b[] = {1, 1},
				zero[] = {0, 0},
				p[] = {1, 2, 3},
				q[] = {2, 4, 6},
				r[] = {3, 2, 1},
				o[] = {0, 0},
				e[] = {3, 4};

	CHECK_NEAR(profile_similarity(a, b, 2, PROFILE_COSINE), 1 / sqrt(2.0), 1e-15);
	CHECK(isnan(profile_similarity(a, zero, 2, PROFILE_COSINE)));
	CHECK_NEAR(profile_similarity(p, q, 3, PROFILE_PEARSON), 1.0, 1e-15);
	CHECK_NEAR(profile_similarity(p, r, 3, PROFILE_PEARSON), -1.0, 1e-15);
	CHECK_NEAR(profile_similarity(o, e, 2, PROFILE_EUCLIDEAN), 5.0, 1e-15);
}

/* X = W H with three well-separated profiles; U = 5% of X + 0.01. */
static void
synthetic(int m, int n, double *x, double *u, double *h_true)
{
	Prng		rng;

	prng_seed(&rng, 2024);
	for (int f = 0; f < 3; f++)
		for (int j = 0; j < n; j++)
			h_true[f * n + j] = (j % 3 == f ? 5.0 : 0.2) * (1 + prng_uniform(&rng));
	for (int i = 0; i < m; i++)
	{
		double		w[3];

		for (int f = 0; f < 3; f++)
			w[f] = 0.1 + 3 * prng_uniform(&rng);
		for (int j = 0; j < n; j++)
		{
			double		v = 0;

			for (int f = 0; f < 3; f++)
				v += w[f] * h_true[f * n + j];
			x[i * n + j] = v;
			u[i * n + j] = 0.05 * v + 0.01;
		}
	}
}

/* The lowest, over the true profiles, of the best Pearson r with a fitted profile. */
static double
worst_profile_correlation(const double *h_true, const double *h, int k, int n)
{
	double		worst = 1;

	for (int f = 0; f < k; f++)
	{
		double		best_r = -1;

		for (int g = 0; g < k; g++)
			best_r = fmax(best_r, profile_similarity(h_true + f * n, h + g * n, n, PROFILE_PEARSON));
		worst = fmin(worst, best_r);
	}
	return worst;
}

static int	progress_next;

static void
record_progress(void *context, int run, int runs, const NmfRun *result)
{
	CHECK_INT(run, progress_next);
	progress_next++;
}

static bool
never_stop(void)
{
	return false;
}

static bool
always_stop(void)
{
	return true;
}

static void
check_recovers_profiles(NmfMethod method)
{
	enum
	{
		M = 80, N = 12, K = 3, RUNS = 4
	};
	double	   *x = malloc(sizeof(double) * M * N),
			   *u = malloc(sizeof(double) * M * N),
				h_true[K * N],
				w[M * K],
				h[K * N],
				w2[M * K],
				h2[K * N];
	NmfParams	params = {.factors = K, .method = method, .robust = true, .max_iter = 20000, .converge_delta = 1e-6, .converge_n = 50};
	NmfProblem	problem;
	NmfRun		runs[RUNS],
				runs2[RUNS];
	int			best,
				best2;

	synthetic(M, N, x, u, h_true);
	nmf_problem_init(&problem, x, u, M, N);
	CHECK_INT(nmf_fit(&problem, &params, RUNS, 42, 1, NULL, NULL, NULL, w, h, runs, &best, NULL), NMF_FIT_OK);
	CHECK(best >= 0);
	/* each true profile has a fitted profile with correlation > 0.99 */
	CHECK(worst_profile_correlation(h_true, h, K, N) > 0.99);
	/* noise-free data: Q close to 0 compared with M * N = 960 cells */
	CHECK(runs[best].q_true < 1.0);
	CHECK(runs[best].q_robust <= runs[best].q_true);
	/* same seed, same everything: bit-identical */
	nmf_fit(&problem, &params, RUNS, 42, 1, NULL, NULL, NULL, w2, h2, runs2, &best2, NULL);
	CHECK_INT(best2, best);
	CHECK(memcmp(w, w2, sizeof(w)) == 0);
	CHECK(memcmp(h, h2, sizeof(h)) == 0);
	CHECK(runs[best].q_true == runs2[best].q_true);
	/* three threads: the same bits, and progress still comes in run order */
	memset(w2, 0, sizeof(w2));
	progress_next = 0;
	CHECK_INT(nmf_fit(&problem, &params, RUNS, 42, 3, never_stop, record_progress, NULL,
					  w2, h2, runs2, &best2, NULL), NMF_FIT_OK);
	CHECK_INT(progress_next, RUNS);
	CHECK_INT(best2, best);
	CHECK(memcmp(w, w2, sizeof(w)) == 0);
	CHECK(memcmp(h, h2, sizeof(h)) == 0);
	for (int r = 0; r < RUNS; r++)
		CHECK(runs[r].q_robust == runs2[r].q_robust && runs[r].iterations == runs2[r].iterations);
	/* a stop request ends the threaded fit */
	CHECK_INT(nmf_fit(&problem, &params, RUNS, 42, 2, always_stop, NULL, NULL,
					  w2, h2, runs2, &best2, NULL), NMF_FIT_STOPPED);
	/* another seed gives other random starts */
	nmf_fit(&problem, &params, RUNS, 43, 1, NULL, NULL, NULL, w2, h2, runs2, &best2, NULL);
	CHECK(runs2[0].seed != runs[0].seed);
	nmf_problem_free(&problem);
	free(x);
	free(u);
}

UNIT_TEST(pmf_ls_nmf_recovers_synthetic_profiles)
{
	check_recovers_profiles(NMF_LS);
}

UNIT_TEST(pmf_ws_nmf_recovers_synthetic_profiles)
{
	check_recovers_profiles(NMF_WS);
}

UNIT_TEST(pmf_anls_recovers_synthetic_profiles)
{
	check_recovers_profiles(NMF_ANLS);
}

/*
 * EPA PMF 5.0's bound: with g_lower < 0 every contribution stays at or
 * above g_lower times its factor's mean contribution (means of the W the
 * last half step started from, so checked with a little slack), with 0 at
 * or above 0; H >= 0 in both.
 */
UNIT_TEST(pmf_anls_keeps_the_contribution_bound)
{
	enum
	{
		M = 80, N = 12, K = 4
	};
	double	   *x = malloc(sizeof(double) * M * N),
			   *u = malloc(sizeof(double) * M * N),
				h_true[3 * N],
				w[M * K],
				h[K * N];
	NmfProblem	problem;
	NmfRun		run;

	synthetic(M, N, x, u, h_true);
	for (int c = 0; c < M * N; c += 7)
		x[c] *= 0.2;			/* more factors than sources, uneven data: bounds get hit */
	nmf_problem_init(&problem, x, u, M, N);
	for (int variant = 0; variant < 2; variant++)
	{
		NmfParams	params = {.factors = K, .method = NMF_ANLS, .robust = true, .max_iter = 300,
		.converge_delta = 1e-9, .converge_n = 50, .reweight_after = 1, .g_lower = variant ? -0.2 : 0};

		CHECK(nmf_initialize(&problem, K, 7, w, h, NULL));
		nmf_refine(&problem, &params, w, h, &run);
		CHECK(isfinite(run.q_true));
		for (int f = 0; f < K; f++)
		{
			double		mean = 0;

			for (int i = 0; i < M; i++)
				mean += w[i * K + f] / M;
			for (int i = 0; i < M; i++)
				CHECK(w[i * K + f] >= params.g_lower * mean * 1.01 - 1e-12);
			for (int j = 0; j < N; j++)
				CHECK(h[f * N + j] >= 0);
		}
	}
	nmf_problem_free(&problem);
	free(x);
	free(u);
}

UNIT_TEST(pmf_nmf_q_definition)
{
	/* 1 x 2 data, W = [1], H = [1, 2], X = [2, 12], U = [1, 1]: r = (1, 10) */
	double		x[] = {2, 12},
				u[] = {1, 1},
				w[] = {1},
				h[] = {1, 2},
				q_true,
				q_robust;
	NmfProblem	problem;

	nmf_problem_init(&problem, x, u, 1, 2);
	nmf_q(&problem, w, h, 1, &q_true, &q_robust);
	CHECK_NEAR(q_true, 1 + 100, 1e-12);
	/* |r| = 10 > 4 counts 4 * 10 */
	CHECK_NEAR(q_robust, 1 + 40, 1e-12);
	nmf_problem_free(&problem);
}

UNIT_TEST(pmf_nmf_rejects_bad_cells)
{
	double		x[] = {1, 2, 3, 4},
				u[] = {1, 1, 0, 1},
				xn[] = {1, NAN, 3, 4},
				un[] = {1, 1, 1, -1},
				xneg[] = {1, 2, -3, 4},
				ones[] = {1, 1, 1, 1};
	int			row,
				col;

	CHECK_INT(nmf_check_input(x, u, 2, 2, NMF_LS, &row, &col), NMF_UNC_NOT_POSITIVE);
	CHECK_INT(row, 1);
	CHECK_INT(col, 0);
	CHECK_INT(nmf_check_input(xn, ones, 2, 2, NMF_LS, &row, &col), NMF_CONC_NOT_FINITE);
	CHECK_INT(col, 1);
	CHECK_INT(nmf_check_input(x, un, 2, 2, NMF_LS, &row, &col), NMF_UNC_NOT_POSITIVE);
	CHECK_INT(nmf_check_input(xneg, ones, 2, 2, NMF_LS, &row, &col), NMF_CONC_NEGATIVE);
	CHECK_INT(nmf_check_input(xneg, ones, 2, 2, NMF_WS, &row, &col), NMF_INPUT_OK);
}

UNIT_TEST(pmf_bootstrap_exact_data_maps_every_factor)
{
	/*
	 * Noise-free X = W H: every resample refits to the same profiles, so each
	 * base factor is matched in every resample, percentiles are ordered and
	 * the median stays at the base profile.
	 */
	enum
	{
		M = 60, N = 9, K = 3, RUNS = 3, RESAMPLES = 15
	};
	double	   *x = malloc(sizeof(double) * M * N),
			   *u = malloc(sizeof(double) * M * N),
				h_true[K * N],
				w[M * K],
				h[K * N],
				percentiles[K * N * BOOTSTRAP_PERCENTILES];
	int			mapped[K];
	NmfParams	nmf = {.factors = K, .method = NMF_LS, .robust = true, .max_iter = 20000, .converge_delta = 1e-6, .converge_n = 50};
	BootstrapParams params = {nmf, RESAMPLES, 8, 99, 0.6};
	BootstrapResult result = {percentiles, mapped, 0};
	NmfProblem	problem;
	NmfRun		runs[RUNS];

	synthetic(M, N, x, u, h_true);
	nmf_problem_init(&problem, x, u, M, N);
	{
		int			best;

		nmf_fit(&problem, &nmf, RUNS, 42, 1, NULL, NULL, NULL, w, h, runs, &best, NULL);
	}
	nmf_problem_free(&problem);
	CHECK(pmf_bootstrap(x, u, M, N, w, h, &params, 1, NULL, &result));
	CHECK_INT(result.unmapped, 0);
	for (int f = 0; f < K; f++)
	{
		CHECK_INT(mapped[f], RESAMPLES);
		for (int j = 0; j < N; j++)
		{
			const double *p = percentiles + (f * N + j) * BOOTSTRAP_PERCENTILES;

			for (int q = 1; q < BOOTSTRAP_PERCENTILES; q++)
				CHECK(p[q - 1] <= p[q]);
			if (h[f * N + j] > 1)
				CHECK_NEAR(p[2] / h[f * N + j], 1.0, 0.02);
		}
	}
	/* three threads: the same bits */
	{
		double		threaded[K * N * BOOTSTRAP_PERCENTILES];
		int			threaded_mapped[K];
		BootstrapResult threaded_result = {threaded, threaded_mapped, 0};

		CHECK(pmf_bootstrap(x, u, M, N, w, h, &params, 3, never_stop, &threaded_result));
		CHECK(memcmp(threaded, percentiles, sizeof(threaded)) == 0);
		CHECK(memcmp(threaded_mapped, mapped, sizeof(threaded_mapped)) == 0);
		CHECK(!pmf_bootstrap(x, u, M, N, w, h, &params, 2, always_stop, &threaded_result));
	}
	free(x);
	free(u);
}

/*
 * The LS-NMF update written the textbook way (Wang et al. 2006), for
 * comparison with the vectorised kernel:
 *   H <- H * (W^T (X/U^2)) / (W^T ((WH)/U^2)),  W <- W * ((X/U^2) H^T) / (((WH)/U^2) H^T)
 */
static void
naive_ls_nmf_step(const double *x, const double *u, int m, int n, int k, bool robust, double *w, double *h)
{
	double	   *wh = malloc(sizeof(double) * m * n);
	double	   *num = malloc(sizeof(double) * (m > n ? m : n) * k);
	double	   *den = malloc(sizeof(double) * (m > n ? m : n) * k);
	double	   *weights = malloc(sizeof(double) * m * n);

	/*
	 * 1/u^2; in robust mode (ESAT) u is first raised to u sqrt(|r| / 4) for
	 * cells whose scaled residual r = (x - WH) / u of the current W H is
	 * beyond 4, for both half-steps.
	 */
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++)
		{
			double		fit = 0,
						scaled,
						uu = u[i * n + j];

			for (int f = 0; f < k; f++)
				fit += w[i * k + f] * h[f * n + j];
			scaled = fabs(x[i * n + j] - fit) / uu;
			if (robust && scaled > 4)
				uu *= sqrt(scaled / 4);
			weights[i * n + j] = 1 / (uu * uu);
		}
	for (int pass = 0; pass < 2; pass++)
	{
		for (int i = 0; i < m; i++)
			for (int j = 0; j < n; j++)
			{
				wh[i * n + j] = 0;
				for (int f = 0; f < k; f++)
					wh[i * n + j] += w[i * k + f] * h[f * n + j];
			}
		if (pass == 0)
		{
			for (int f = 0; f < k; f++)
				for (int j = 0; j < n; j++)
				{
					num[f * n + j] = den[f * n + j] = 0;
					for (int i = 0; i < m; i++)
					{
						double		weight = weights[i * n + j];

						num[f * n + j] += w[i * k + f] * x[i * n + j] * weight;
						den[f * n + j] += w[i * k + f] * wh[i * n + j] * weight;
					}
				}
			for (int c = 0; c < k * n; c++)
				h[c] *= num[c] / den[c];
		}
		else
		{
			for (int i = 0; i < m; i++)
				for (int f = 0; f < k; f++)
				{
					num[i * k + f] = den[i * k + f] = 0;
					for (int j = 0; j < n; j++)
					{
						double		weight = weights[i * n + j];

						num[i * k + f] += x[i * n + j] * weight * h[f * n + j];
						den[i * k + f] += wh[i * n + j] * weight * h[f * n + j];
					}
				}
			for (int c = 0; c < m * k; c++)
				w[c] *= num[c] / den[c];
		}
	}
	free(wh);
	free(num);
	free(den);
	free(weights);
}

/* Both code paths of the kernel (fused for k <= 8, generic above) follow the formula. */
static void
check_matches_textbook(int k, int reweight_after)
{
	enum
	{
		M = 37, N = 23, STEPS = 7
	};
	double		x[M * N],
				u[M * N];
	double	   *w = malloc(sizeof(double) * M * k),
			   *h = malloc(sizeof(double) * k * N),
			   *w_ref = malloc(sizeof(double) * M * k),
			   *h_ref = malloc(sizeof(double) * k * N);
	NmfParams	params = {.factors = k, .method = NMF_LS, .robust = false, .max_iter = STEPS, .converge_delta = 0, .converge_n = 1000, .reweight_after = reweight_after};
	int			reweighted_cells = 0;
	NmfProblem	problem;
	NmfRun		run;
	Prng		rng;
	double		q_true,
				q_robust;

	prng_seed(&rng, 5);
	for (int c = 0; c < M * N; c++)
	{
		x[c] = 10 * prng_uniform(&rng);
		u[c] = 0.1 + prng_uniform(&rng);
	}
	nmf_problem_init(&problem, x, u, M, N);
	nmf_initialize(&problem, k, 77, w, h, NULL);
	memcpy(w_ref, w, sizeof(double) * M * k);
	memcpy(h_ref, h, sizeof(double) * k * N);
	nmf_refine(&problem, &params, w, h, &run);
	for (int s = 0; s < STEPS; s++)
		naive_ls_nmf_step(x, u, M, N, k, reweight_after > 0 && s >= reweight_after, w_ref, h_ref);
	/* the robust variant must really have down-weighted cells (residuals beyond 4) */
	for (int c = 0; c < M * N; c++)
	{
		double		fit = 0;

		for (int f = 0; f < k; f++)
			fit += w_ref[(c / N) * k + f] * h_ref[f * N + c % N];
		reweighted_cells += fabs(x[c] - fit) / u[c] > 4;
	}
	CHECK(reweight_after == 0 || reweighted_cells > 0);
	CHECK_INT(run.iterations, STEPS);
	for (int c = 0; c < M * k; c++)
		CHECK_NEAR(w[c], w_ref[c], 1e-9 * fabs(w_ref[c]) + 1e-300);
	for (int c = 0; c < k * N; c++)
		CHECK_NEAR(h[c], h_ref[c], 1e-9 * fabs(h_ref[c]) + 1e-300);
	nmf_q(&problem, w, h, k, &q_true, &q_robust);
	CHECK_NEAR(run.q_true, q_true, 1e-9 * q_true);
	CHECK_NEAR(run.q_robust, q_robust, 1e-9 * q_robust);
	nmf_problem_free(&problem);
	free(w);
	free(h);
	free(w_ref);
	free(h_ref);
}

UNIT_TEST(pmf_ls_nmf_matches_textbook_update_fused)
{
	check_matches_textbook(3, 0);
	check_matches_textbook(8, 0);
	check_matches_textbook(3, 3);
	check_matches_textbook(8, 1);
}

UNIT_TEST(pmf_ls_nmf_matches_textbook_update_generic)
{
	check_matches_textbook(1, 0);
	check_matches_textbook(11, 0);
	check_matches_textbook(1, 2);
	check_matches_textbook(11, 4);
}

UNIT_TEST(pmf_robust_factor)
{
	/* scaled residual 5: u sqrt(5/4), weight 4/5 of 1/u^2; at or below 4 unchanged */
	CHECK_NEAR(nmf_robust_factor(25.0), 0.8, 1e-15);
	CHECK_NEAR(nmf_robust_factor(16.0), 1.0, 0);
	CHECK_NEAR(nmf_robust_factor(0.0), 1.0, 0);
}

/*
 * Gross outliers (every 23rd cell times 10, uncertainty unchanged) pull the
 * plain fit; robust re-weighting fits the other cells better: lower
 * Q(robust), and profiles closer to the true ones.  A reweight_after beyond
 * the last iteration is the plain fit, bit for bit.
 */
static void
check_reweighting_resists_outliers(NmfMethod method)
{
	enum
	{
		M = 80, N = 12, K = 3, RUNS = 4
	};
	double	   *x = malloc(sizeof(double) * M * N),
			   *u = malloc(sizeof(double) * M * N),
				h_true[K * N],
				w[M * K],
				h[K * N],
				w_robust[M * K],
				h_robust[K * N];
	NmfParams	plain = {.factors = K, .method = method, .robust = true, .max_iter = 5000, .converge_delta = 1e-6, .converge_n = 50},
				robust = {.factors = K, .method = method, .robust = true, .max_iter = 5000, .converge_delta = 1e-6, .converge_n = 50,
		/* ANLS as method 'pmf5' runs it: robust from the first iteration */
	.reweight_after = method == NMF_ANLS ? 1 : 20},
				never = {.factors = K, .method = method, .robust = true, .max_iter = 5000, .converge_delta = 1e-6, .converge_n = 50, .reweight_after = 5001};
	NmfProblem	problem;
	NmfRun		runs[RUNS],
				runs_robust[RUNS];
	int			best,
				best_robust;
	double		worst_plain,
				worst_robust;

	synthetic(M, N, x, u, h_true);
	for (int c = 0; c < M * N; c += 23)
		x[c] *= 10;
	nmf_problem_init(&problem, x, u, M, N);
	nmf_fit(&problem, &plain, RUNS, 42, 1, NULL, NULL, NULL, w, h, runs, &best, NULL);
	nmf_fit(&problem, &robust, RUNS, 42, 1, NULL, NULL, NULL, w_robust, h_robust, runs_robust, &best_robust, NULL);
	CHECK(runs_robust[best_robust].q_robust < runs[best].q_robust);
	worst_plain = worst_profile_correlation(h_true, h, K, N);
	worst_robust = worst_profile_correlation(h_true, h_robust, K, N);
	printf("reweighting %s: worst profile correlation plain %.6f, robust %.6f; Q(robust) %.1f -> %.1f\n",
		   method == NMF_LS ? "ls" : method == NMF_WS ? "ws" : "anls", worst_plain, worst_robust,
		   runs[best].q_robust, runs_robust[best_robust].q_robust);
	CHECK(worst_robust > worst_plain);
	CHECK(worst_robust > 0.99);
	/* threads: the same bits in robust mode too */
	nmf_fit(&problem, &robust, RUNS, 42, 2, never_stop, NULL, NULL, w, h, runs, &best, NULL);
	CHECK_INT(best, best_robust);
	CHECK(memcmp(w, w_robust, sizeof(w)) == 0 && memcmp(h, h_robust, sizeof(h)) == 0);
	/* re-weighting that never starts changes nothing */
	nmf_fit(&problem, &plain, RUNS, 42, 1, NULL, NULL, NULL, w, h, runs, &best, NULL);
	nmf_fit(&problem, &never, RUNS, 42, 1, NULL, NULL, NULL, w_robust, h_robust, runs_robust, &best_robust, NULL);
	CHECK(memcmp(w, w_robust, sizeof(w)) == 0 && memcmp(h, h_robust, sizeof(h)) == 0);
	nmf_problem_free(&problem);
	free(x);
	free(u);
}

/*
 * Screening: the runs are screened starts, in seed order; they still
 * recover the profiles; the same bits with threads; a stop request during
 * screening ends the fit.
 */
UNIT_TEST(pmf_screening_keeps_the_best_starts)
{
	enum
	{
		M = 80, N = 12, K = 3, RUNS = 3, STARTS = 12
	};
	double	   *x = malloc(sizeof(double) * M * N),
			   *u = malloc(sizeof(double) * M * N),
				h_true[K * N],
				w[M * K],
				h[K * N],
				w2[M * K],
				h2[K * N];
	NmfParams	params = {.factors = K, .method = NMF_ANLS, .robust = true, .max_iter = 2000, .converge_delta = 1e-6,
	.converge_n = 50, .screen_starts = STARTS, .screen_iter = 3};
	NmfProblem	problem;
	NmfRun		runs[RUNS],
				runs2[RUNS];
	uint64_t	state = 42,
				seeds[STARTS];
	int			best,
				best2,
				found = 0,
				last = -1;

	synthetic(M, N, x, u, h_true);
	nmf_problem_init(&problem, x, u, M, N);
	for (int s = 0; s < STARTS; s++)
		seeds[s] = splitmix64_next(&state);
	CHECK_INT(nmf_fit(&problem, &params, RUNS, 42, 1, NULL, NULL, NULL, w, h, runs, &best, NULL), NMF_FIT_OK);
	/* every run's seed is one of the screened starts', in increasing start order */
	for (int r = 0; r < RUNS; r++)
		for (int s = 0; s < STARTS; s++)
			if (runs[r].seed == seeds[s])
			{
				CHECK(s > last);
				last = s;
				found++;
			}
	CHECK_INT(found, RUNS);
	CHECK(worst_profile_correlation(h_true, h, K, N) > 0.99);
	CHECK_INT(nmf_fit(&problem, &params, RUNS, 42, 3, never_stop, NULL, NULL, w2, h2, runs2, &best2, NULL), NMF_FIT_OK);
	CHECK_INT(best2, best);
	CHECK(memcmp(w, w2, sizeof(w)) == 0 && memcmp(h, h2, sizeof(h)) == 0);
	for (int r = 0; r < RUNS; r++)
		CHECK(runs[r].seed == runs2[r].seed && runs[r].q_robust == runs2[r].q_robust);
	/* a stop request during screening ends the fit */
	CHECK_INT(nmf_fit(&problem, &params, RUNS, 42, 2, always_stop, NULL, NULL, w2, h2, runs2, &best2, NULL),
			  NMF_FIT_STOPPED);
	nmf_problem_free(&problem);
	free(x);
	free(u);
}

UNIT_TEST(pmf_ls_nmf_reweighting_resists_outliers)
{
	check_reweighting_resists_outliers(NMF_LS);
}

UNIT_TEST(pmf_ws_nmf_reweighting_resists_outliers)
{
	check_reweighting_resists_outliers(NMF_WS);
}

UNIT_TEST(pmf_anls_reweighting_resists_outliers)
{
	check_reweighting_resists_outliers(NMF_ANLS);
}

/*
 * parallel_run calls done() only while no task runs: in the server done()
 * may throw (a NOTICE), which must not leave threads writing into freed
 * memory.  Tasks sleep 2 ms so that, done() being called early, some would
 * still be running.
 */
static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;
static int	tasks_running;
static int	done_beside_task;
static int	done_next;

static void
slow_task(void *worker, int index, const volatile int *stop)
{
	struct timespec pause = {0, 2 * 1000 * 1000};

	pthread_mutex_lock(&running_lock);
	tasks_running++;
	pthread_mutex_unlock(&running_lock);
	nanosleep(&pause, NULL);
	pthread_mutex_lock(&running_lock);
	tasks_running--;
	pthread_mutex_unlock(&running_lock);
}

static void
check_no_task_runs(void *context, int index)
{
	pthread_mutex_lock(&running_lock);
	if (tasks_running != 0)
		done_beside_task++;
	pthread_mutex_unlock(&running_lock);
	if (index == done_next)
		done_next++;
}

UNIT_TEST(pmf_parallel_done_only_without_running_threads)
{
	int			workers[3];
	void	   *worker_args[3] = {&workers[0], &workers[1], &workers[2]};

	done_beside_task = 0;
	done_next = 0;
	CHECK(parallel_run(12, worker_args, 3, slow_task, never_stop, check_no_task_runs, NULL));
	CHECK_INT(done_beside_task, 0);
	CHECK_INT(done_next, 12);	/* every task, in task order */
	/* stopped: no done() at all */
	done_next = 0;
	CHECK(!parallel_run(12, worker_args, 3, slow_task, always_stop, check_no_task_runs, NULL));
	CHECK_INT(done_next, 0);
	CHECK_INT(done_beside_task, 0);
}

/* disp_search on rises known in closed form */
typedef struct KnownRise
{
	double		c;
	double		power;
	double		swap_beyond;
	int			calls;
} KnownRise;

static double
known_rise(void *context, double d, bool *swapped)
{
	KnownRise  *rise = context;

	rise->calls++;
	*swapped = d > rise->swap_beyond;
	return rise->c * pow(d, rise->power);
}

UNIT_TEST(pmf_disp_search_closed_forms)
{
	double		found[DISP_LEVELS];
	bool		swapped[DISP_LEVELS];
	KnownRise	quadratic = {3, 2, 2.0, 0},
				quartic = {0.5, 4, INFINITY, 0},
				flat = {0, 2, INFINITY, 0};

	/*
	 * dq = 3 d^2: the quadratic model is exact, so after the first step the
	 * search lands on its aim, 97.5% of each target: d = sqrt(0.975 T / 3),
	 * one refit per level
	 */
	disp_search(known_rise, &quadratic, 0.1, INFINITY, disp_dq_levels, DISP_LEVELS, 6, found, swapped);
	for (int l = 0; l < DISP_LEVELS; l++)
	{
		CHECK_NEAR(found[l], sqrt(0.975 * disp_dq_levels[l] / 3), 1e-12);
		/* swaps flagged where d > 2: only at dQ 15 (d = 2.208) and 25 (d = 2.850) */
		CHECK_INT(swapped[l], l >= 2);
	}
	CHECK_INT(quadratic.calls, 2 + DISP_LEVELS);
	/* dq = d^4 / 2: each found d has dq within 5% below the target */
	disp_search(known_rise, &quartic, 0.1, INFINITY, disp_dq_levels, DISP_LEVELS, 12, found, swapped);
	for (int l = 0; l < DISP_LEVELS; l++)
	{
		double		dq = 0.5 * pow(found[l], 4);

		CHECK(dq <= disp_dq_levels[l] && dq >= 0.95 * disp_dq_levels[l]);
	}
	/* a value that may fall to 0 (limit 1: dq(1) = 3 < 4) stops at the limit */
	disp_search(known_rise, &quadratic, 0.1, 1.0, disp_dq_levels, DISP_LEVELS, 6, found, swapped);
	for (int l = 0; l < DISP_LEVELS; l++)
		CHECK_NEAR(found[l], 1.0, 0);
	/* Q never rises: unbounded */
	disp_search(known_rise, &flat, 0.1, INFINITY, disp_dq_levels, DISP_LEVELS, 16, found, swapped);
	for (int l = 0; l < DISP_LEVELS; l++)
		CHECK(isinf(found[l]) && !swapped[l]);
}

/*
 * DISP of an exact synthetic solution: every interval holds the base value,
 * intervals widen with dQmax, a refit held at an upper end rises by at most
 * dQmax and one 10% further out by more, the well-separated factors never
 * swap at dQmax 4, and threads change nothing.
 */
UNIT_TEST(pmf_disp_synthetic)
{
	enum
	{
		M = 40, N = 6, K = 3
	};
	double	   *x = malloc(sizeof(double) * M * N),
			   *u = malloc(sizeof(double) * M * N),
				h_true[K * N],
				w[M * K],
				h[K * N],
				w2[M * K],
				h2[K * N];
	double		low[K * N * DISP_LEVELS],
				high[K * N * DISP_LEVELS],
				q_drop[K * N],
				low2[K * N * DISP_LEVELS],
				high2[K * N * DISP_LEVELS],
				q_drop2[K * N];
	bool		swap_low[K * N * DISP_LEVELS],
				swap_high[K * N * DISP_LEVELS],
				swap_low2[K * N * DISP_LEVELS],
				swap_high2[K * N * DISP_LEVELS];
	DispParams	params = {
		.nmf = {.factors = K, .method = NMF_LS, .robust = true, .max_iter = 20000, .converge_delta = 0.01, .converge_n = 50},
		.max_refits = 12
	};
	DispResult	result = {low, high, swap_low, swap_high, q_drop, 0},
				result2 = {low2, high2, swap_low2, swap_high2, q_drop2, 0};
	NmfProblem	problem;
	NmfRun		runs[3];
	int			best;

	synthetic(M, N, x, u, h_true);
	nmf_problem_init(&problem, x, u, M, N);
	CHECK_INT(nmf_fit(&problem, &params.nmf, 3, 42, 1, NULL, NULL, NULL, w, h, runs, &best, NULL), NMF_FIT_OK);
	CHECK(pmf_disp(&problem, w, h, &params, 1, NULL, NULL, NULL, &result));
	CHECK(result.q_base >= 0 && result.q_base < 1);
	for (int e = 0; e < K * N; e++)
	{
		CHECK(q_drop[e] >= 0);
		for (int l = 0; l < DISP_LEVELS; l++)
		{
			size_t		c = (size_t) e * DISP_LEVELS + l;

			CHECK(low[c] >= 0 && low[c] <= h[e] && high[c] >= h[e]);
			CHECK(isfinite(high[c]));
			if (l > 0)
				CHECK(low[c] <= low[c - 1] && high[c] >= high[c - 1]);
			if (l == 0)
				CHECK(!swap_low[c] && !swap_high[c]);
		}
		/*
		 * independent refits held at the dQ 4 upper end and 10% further
		 * out: Q rises by at most 4, then by more (the end is found to 10%
		 * of the displacement, however steep Q gets there)
		 */
		for (int further = 0; further < 2; further++)
		{
			NmfParams	held = params.nmf;
			NmfRun		run;
			double		dq;

			memcpy(w2, w, sizeof(w2));
			memcpy(h2, h, sizeof(h2));
			held.hold = true;
			held.hold_index = e;
			held.hold_value = h[e] + (further ? 1.1 : 1.0) * (high[(size_t) e * DISP_LEVELS] - h[e]);
			held.hold_scale = 0;
			for (int i = 0; i < M; i++)
				held.hold_scale += w[i * K + e / N];
			h2[e] = held.hold_value;
			nmf_refine(&problem, &held, w2, h2, &run);
			dq = run.q_true - result.q_base;
			CHECK(further ? dq > disp_dq_levels[0] : dq <= disp_dq_levels[0]);
			CHECK_NEAR(h2[e], held.hold_value, 0);
		}
	}
	CHECK(pmf_disp(&problem, w, h, &params, 2, never_stop, NULL, NULL, &result2));
	CHECK(memcmp(low, low2, sizeof(low)) == 0 && memcmp(high, high2, sizeof(high)) == 0);
	CHECK(memcmp(swap_high, swap_high2, sizeof(swap_high)) == 0 && memcmp(q_drop, q_drop2, sizeof(q_drop)) == 0);
	nmf_problem_free(&problem);
	free(x);
	free(u);
}
