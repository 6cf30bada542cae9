/*
 * bench_spectrum.c: pairs per second of each similarity kernel on 50-peak
 * spectra (built by test/bench/bench_spectrum.sh).
 *
 *   bench_spectrum [pairs]
 *
 * Half of the pairs are related (b is a noisy copy of a, so peaks match),
 * half unrelated, as in a library search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cosine.h"
#include "entropy.h"
#include "kernel.h"

#define N_SPECTRA 2000
#define N_PEAKS 50

static unsigned long long rng_state = 42;

static double
uniform(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double) (rng_state >> 11) / 9007199254740992.0;
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
random_spectrum(Peak *p, const Peak *like)
{
	for (int i = 0; i < N_PEAKS; i++)
	{
		p[i].mz = like ? like[i].mz + (uniform() - 0.5) * 0.01 : 50 + uniform() * 950;
		p[i].intensity = like ? like[i].intensity * (0.5 + uniform()) : uniform() * 1000;
	}
	peaks_sort_by_mz(p, N_PEAKS);
}

int
main(int argc, char **argv)
{
	long		pairs = argc > 1 ? atol(argv[1]) : 1000000;
	static Peak a[N_SPECTRA][N_PEAKS],
				b[N_SPECTRA][N_PEAKS];
	static Peak *prepared_a[N_SPECTRA],
			   *prepared_b[N_SPECTRA];
	static int	n_prepared_a[N_SPECTRA],
				n_prepared_b[N_SPECTRA];
	CosineParams params = {{0.1, false}, 0, 1};
	const char *names[] = {"cosine", "modified_cosine", "entropy_similarity", "entropy (prepared)"};
	double		checksum = 0;

	for (int s = 0; s < N_SPECTRA; s++)
	{
		random_spectrum(a[s], NULL);
		random_spectrum(b[s], s % 2 ? a[s] : NULL);
		n_prepared_a[s] = entropy_prepare_for_matching(a[s], N_PEAKS, 0.02, &prepared_a[s]);
		n_prepared_b[s] = entropy_prepare_for_matching(b[s], N_PEAKS, 0.02, &prepared_b[s]);
	}
	printf("%-20s %14s %12s\n", "kernel", "pairs/s", "us/pair");
	for (int k = 0; k < 4; k++)
	{
		double		start = seconds(),
					elapsed;

		for (long i = 0; i < pairs; i++)
		{
			int			s = i % N_SPECTRA;

			switch (k)
			{
				case 0:
					checksum += cosine_greedy(a[s], N_PEAKS, b[s], N_PEAKS, &params).score;
					break;
				case 1:
					checksum += cosine_modified(a[s], N_PEAKS, 500, b[s], N_PEAKS, 480, &params).score;
					break;
				case 2:
					checksum += entropy_similarity(a[s], N_PEAKS, b[s], N_PEAKS, mz_tolerance_da(0.02), true, true);
					break;
				case 3:
					checksum += entropy_similarity_prepared(prepared_a[s], n_prepared_a[s],
															prepared_b[s], n_prepared_b[s], mz_tolerance_da(0.02), NULL);
					break;
			}
		}
		elapsed = seconds() - start;
		printf("%-20s %14.0f %12.3f\n", names[k], pairs / elapsed, elapsed / pairs * 1e6);
	}
	fprintf(stderr, "checksum %g\n", checksum);
	return 0;
}
