/*
 * pmf_kernel_bench.c: the LS-NMF kernel alone on one thread, outside the
 * server: CPU seconds for RUNS seeded starts on an EPA example file pair,
 * so that the per-iteration cost can be compared with numpy's CPU time
 * even on a loaded machine.
 * Usage: pmf_kernel_bench CON.csv UNC.csv FACTORS RUNS
 * Prints: best_q_true=... iterations=... cpu_seconds=...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nmf.h"

/* An EPA file: header line, then "date,v1,...,vn" rows. */
static double *
read_matrix(const char *path, int *m, int *n)
{
	FILE	   *file = fopen(path, "r");
	static char line[1 << 16];
	double	   *values = NULL;
	int			rows = 0,
				cols = 0;

	if (file == NULL || fgets(line, sizeof(line), file) == NULL)
	{
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	for (char *p = line; *p; p++)
		cols += *p == ',';
	while (fgets(line, sizeof(line), file))
	{
		char	   *p = strchr(line, ',');

		if (p == NULL)
			break;
		values = realloc(values, sizeof(double) * (size_t) (rows + 1) * cols);
		for (int j = 0; j < cols; j++)
			values[(size_t) rows * cols + j] = strtod(p + 1, &p);
		rows++;
	}
	fclose(file);
	*m = rows;
	*n = cols;
	return values;
}

int
main(int argc, char **argv)
{
	int			m,
				n,
				um,
				un,
				best;
	double	   *x,
			   *u,
			   *w,
			   *h;
	NmfParams	params = {.factors = 0, .method = NMF_LS, .robust = true, .max_iter = 20000, .converge_delta = 0.1, .converge_n = 50, .reweight_after = 0};
	NmfProblem	problem;
	NmfRun	   *results;
	int			runs;
	long		iterations = 0;
	struct timespec start,
				end;

	if (argc != 5)
	{
		fprintf(stderr, "usage: %s CON.csv UNC.csv FACTORS RUNS\n", argv[0]);
		return 2;
	}
	x = read_matrix(argv[1], &m, &n);
	u = read_matrix(argv[2], &um, &un);
	params.factors = atoi(argv[3]);
	runs = atoi(argv[4]);
	if (um != m || un != n || params.factors < 1 || runs < 1)
	{
		fprintf(stderr, "bad input\n");
		return 2;
	}
	w = malloc(sizeof(double) * m * params.factors);
	h = malloc(sizeof(double) * params.factors * n);
	results = malloc(sizeof(NmfRun) * runs);
	nmf_problem_init(&problem, x, u, m, n);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
	nmf_fit(&problem, &params, runs, 42, 1, NULL, NULL, NULL, w, h, results, &best, NULL);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
	for (int r = 0; r < runs; r++)
		iterations += results[r].iterations;
	printf("best_q_true=%.1f iterations=%ld cpu_seconds=%.3f\n", results[best].q_true, iterations,
		   (double) (end.tv_sec - start.tv_sec) + 1e-9 * (end.tv_nsec - start.tv_nsec));
	return 0;
}
