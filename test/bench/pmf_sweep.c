/*
 * pmf_sweep.c: the PMF quality sweep of issue 19 on the kernel, outside the
 * server: for one EPA example file pair, factor counts K1..K2 and a list of
 * methods, RUNS seeded starts (seed 42) each, in pmf_fit's canonical order
 * (samples and species in byte order of their names), so the figures are
 * those pmf_fit gives.  Prints per method and k: best Q(true), best
 * Q(robust), runs within 0.5% of the best ranking Q, CPU seconds.
 * Usage: pmf_sweep CON UNC K1 K2 RUNS METHOD...
 * METHOD: ls-nmf (robust ranking), ls-nmf-strict (ranked by Q(true)),
 * pmf5-nonrobust (pmf5 with robust => false),
 * ws-nmf, anls, anls-strict, pmf5.  Files: a header line, then rows
 * "name,v1,...,vn" separated by commas or tabs; rows without a name are
 * skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nmf.h"

typedef struct Table
{
	int			rows,
				cols;
	char	  **row_names;
	char	  **col_names;
	double	   *values;
} Table;

static char *
next_field(char **p)
{
	char	   *start = *p,
			   *end = start + strcspn(start, ",\t\r\n");

	*p = *end == ',' || *end == '\t' ? end + 1 : end;
	*end = '\0';
	return start;
}

static void
read_table(const char *path, Table *t)
{
	FILE	   *file = fopen(path, "r");
	static char line[1 << 16];
	char	   *p;

	if (file == NULL || fgets(line, sizeof(line), file) == NULL)
	{
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	memset(t, 0, sizeof(*t));
	p = line;
	next_field(&p);
	while (*p && *p != '\n' && *p != '\r')
	{
		t->col_names = realloc(t->col_names, sizeof(char *) * (t->cols + 1));
		t->col_names[t->cols++] = strdup(next_field(&p));
	}
	while (fgets(line, sizeof(line), file))
	{
		if (strcspn(line, ",\t") == strlen(line))
			break;
		p = line;
		if (strcspn(line, ",\t") == 0)
			continue;			/* no sample name: an empty trailing row (Baltimore) */
		t->row_names = realloc(t->row_names, sizeof(char *) * (t->rows + 1));
		t->row_names[t->rows] = strdup(next_field(&p));
		t->values = realloc(t->values, sizeof(double) * (size_t) (t->rows + 1) * t->cols);
		for (int j = 0; j < t->cols; j++)
			t->values[(size_t) t->rows * t->cols + j] = strtod(next_field(&p), NULL);
		t->rows++;
	}
	fclose(file);
}

static char **sort_names;

static int
by_name(const void *a, const void *b)
{
	return strcmp(sort_names[*(const int *) a], sort_names[*(const int *) b]);
}

/* order[0..count): indexes of names in byte order (pmf_fit's canonical order) */
static int *
name_order(char **names, int count)
{
	int		   *order = malloc(sizeof(int) * count);

	for (int i = 0; i < count; i++)
		order[i] = i;
	sort_names = names;
	qsort(order, count, sizeof(int), by_name);
	return order;
}

static double *
reordered(const Table *t, const int *row_order, const int *col_order)
{
	double	   *out = malloc(sizeof(double) * (size_t) t->rows * t->cols);

	for (int i = 0; i < t->rows; i++)
		for (int j = 0; j < t->cols; j++)
			out[(size_t) i * t->cols + j] = t->values[(size_t) row_order[i] * t->cols + col_order[j]];
	return out;
}

static bool
method_params(const char *name, int runs, NmfParams *p)
{
	*p = (NmfParams) {.method = NMF_LS, .robust = true, .max_iter = 20000, .converge_delta = 0.1, .converge_n = 50};
	if (strcmp(name, "ls-nmf-strict") == 0)
		p->robust = false;
	else if (strcmp(name, "ws-nmf") == 0)
		p->method = NMF_WS;
	else if (strncmp(name, "anls", 4) == 0 || strncmp(name, "pmf5", 4) == 0)
	{
		/* what pmf_fit_params sets for methods 'anls' and 'pmf5' */
		p->method = NMF_ANLS;
		p->screen_starts = NMF_ANLS_SCREEN_FACTOR * runs;
		p->screen_iter = NMF_ANLS_SCREEN_ITER;
		if (strncmp(name, "pmf5", 4) == 0)
		{
			p->g_lower = NMF_PMF5_G_LOWER;
			p->reweight_after = 1;
		}
		/* robust => false: no robust weights, runs ranked by Q(true) */
		if (strcmp(name, "anls-strict") == 0 || strcmp(name, "pmf5-nonrobust") == 0)
		{
			p->robust = false;
			p->reweight_after = 0;
		}
		else if (strcmp(name, "anls") != 0 && strcmp(name, "pmf5") != 0)
			return false;
	}
	else if (strcmp(name, "ls-nmf") != 0)
		return false;
	return true;
}

int
main(int argc, char **argv)
{
	Table		con,
				unc;
	int		   *row_order,
			   *col_order,
				k1,
				k2,
				runs;
	double	   *x,
			   *u;
	NmfProblem	problem;

	if (argc < 7)
	{
		fprintf(stderr, "usage: %s CON UNC K1 K2 RUNS METHOD...\n", argv[0]);
		return 2;
	}
	read_table(argv[1], &con);
	read_table(argv[2], &unc);
	k1 = atoi(argv[3]);
	k2 = atoi(argv[4]);
	runs = atoi(argv[5]);
	if (con.rows != unc.rows || con.cols != unc.cols || k1 < 1 || k2 < k1 || runs < 1)
	{
		fprintf(stderr, "bad input\n");
		return 2;
	}
	row_order = name_order(con.row_names, con.rows);
	col_order = name_order(con.col_names, con.cols);
	x = reordered(&con, row_order, col_order);
	u = reordered(&unc, row_order, col_order);
	nmf_problem_init(&problem, x, u, con.rows, con.cols);
	for (int k = k1; k <= k2; k++)
		for (int a = 6; a < argc; a++)
		{
			NmfParams	params;
			double	   *w = malloc(sizeof(double) * con.rows * k),
					   *h = malloc(sizeof(double) * k * con.cols);
			NmfRun	   *results = malloc(sizeof(NmfRun) * runs);
			int			best,
						near = 0;
			long		iterations = 0;
			struct timespec start,
						end;
			double		best_q;

			if (!method_params(argv[a], runs, &params))
			{
				fprintf(stderr, "unknown method %s\n", argv[a]);
				return 2;
			}
			params.factors = k;
			if (getenv("PMF_SWEEP_SCREEN"))
				sscanf(getenv("PMF_SWEEP_SCREEN"), "%d,%d", &params.screen_starts, &params.screen_iter);
			if (getenv("PMF_SWEEP_GLOWER") && params.g_lower < 0)
				params.g_lower = atof(getenv("PMF_SWEEP_GLOWER"));
			if (getenv("PMF_SWEEP_DELTA"))
				params.converge_delta = atof(getenv("PMF_SWEEP_DELTA"));
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
			nmf_fit(&problem, &params, runs, 42, 1, NULL, NULL, NULL, w, h, results, &best, NULL);
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
			best_q = params.robust ? results[best].q_robust : results[best].q_true;
			for (int r = 0; r < runs; r++)
			{
				double		q = params.robust ? results[r].q_robust : results[r].q_true;

				near += q <= best_q * 1.005;
				iterations += results[r].iterations;
			}
			printf("k=%d method=%s q_true=%.1f q_robust=%.1f near=%d/%d iterations=%ld cpu_seconds=%.2f\n",
				   k, argv[a], results[best].q_true, results[best].q_robust, near, runs, iterations,
				   (double) (end.tv_sec - start.tv_sec) + 1e-9 * (end.tv_nsec - start.tv_nsec));
			if (getenv("PMF_SWEEP_ALL"))
				for (int r = 0; r < runs; r++)
					printf("  run %d q_true=%.1f q_robust=%.1f iterations=%d\n", r, results[r].q_true,
						   results[r].q_robust, results[r].iterations);
			fflush(stdout);
			free(w);
			free(h);
			free(results);
		}
	return 0;
}
