/*
 * muladd_peak.c: the multiply-add rate one core of this machine reaches in
 * the arithmetic the LS-NMF kernel uses (AVX2 doubles, separate multiply and
 * add, no FMA), with twelve independent chains so that only the execution
 * ports limit it.  bench_pmf.sh prints the kernel's rate beside it.
 * Prints: peak_gmuladd=... (10^9 scalar multiply-adds per CPU second)
 */
#pragma GCC optimize ("O2", "fp-contract=off")
#include <stdio.h>
#include <time.h>

typedef double Vec4 __attribute__((vector_size(32)));

#define CHAINS 12

__attribute__((target("avx2")))
static double
run(long steps)
{
	Vec4		acc[CHAINS] = {{0}};
	Vec4		scale = {1.0000001, 1.0000001, 1.0000001, 1.0000001};
	Vec4		add = {1e-9, 1e-9, 1e-9, 1e-9};
	double		sum = 0;

	for (long s = 0; s < steps; s++)
	{
		for (int c = 0; c < CHAINS; c++)
			acc[c] = acc[c] * scale + add;
		/* keep the compiler from folding the loop */
		__asm__("" : "+x"(scale));
	}
	for (int c = 0; c < CHAINS; c++)
		sum += acc[c][0];
	return sum;
}

int
main(void)
{
	long		steps = 100000000;
	struct timespec start,
				end;
	double		sink,
				seconds;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
	sink = run(steps);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
	seconds = (double) (end.tv_sec - start.tv_sec) + 1e-9 * (end.tv_nsec - start.tv_nsec);
	printf("peak_gmuladd=%.2f (check %g)\n", (double) steps * CHAINS * 4 / seconds / 1e9, sink);
	return 0;
}
