/*
 * bench_isotope.c: isotope patterns per second of the C kernel.
 * Usage: bench_isotope formulas.txt repeats  (one formula a line)
 * Prints, for merge_mz 0.005 (the default, fine structure merged below
 * instrument resolution) and 0.5 (nominal cluster), patterns per second
 * and the mean number of peaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formula.h"
#include "isotope.h"
#include "kernel.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	static Formula formulas[4096];
	const double merges[] = {0.005, 0.5};
	char		line[1024];
	int			n = 0;
	int			repeats = argc > 2 ? atoi(argv[2]) : 10;
	FILE	   *in = argc > 1 ? fopen(argv[1], "r") : NULL;

	if (in == NULL)
	{
		fprintf(stderr, "usage: bench_isotope formulas.txt [repeats]\n");
		return 2;
	}
	while (n < 4096 && fgets(line, sizeof(line), in))
	{
		FormulaError e;

		line[strcspn(line, "\r\n")] = '\0';
		if (formula_parse(line, strlen(line), &formulas[n], &e))
			n++;
	}
	fclose(in);
	for (int m = 0; m < 2; m++)
	{
		double		t0 = now(),
					elapsed;
		long		peaks = 0;

		for (int r = 0; r < repeats; r++)
			for (int i = 0; i < n; i++)
			{
				Peak	   *p;
				int			k = isotope_pattern(&formulas[i], merges[m], 1e-4, &p);

				peaks += k;
				kernel_free(p);
			}
		elapsed = now() - t0;
		printf("chemeco kernel   merge_mz %-5g: %9.0f patterns/s  (%d formulas x %d, %.1f peaks each)\n",
			   merges[m], n * (double) repeats / elapsed, n, repeats, (double) peaks / ((double) n * repeats));
	}
	return 0;
}
