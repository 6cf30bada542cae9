/*
 * pg_pmf.h: glue shared by the source-apportionment SQL functions.
 */
#ifndef CHEMECO_PG_PMF_H
#define CHEMECO_PG_PMF_H

#include "postgres.h"

#include "utils/array.h"

#include "nmf.h"
#include "pg_threads.h"

/* ---- float8 arrays in and out (pg_pmf_array.c) ---- */

/* A two-dimensional float8[][] without NULLs, row-major copy; 22004 names row and column. */
extern double *pmf_matrix_arg(ArrayType *array, const char *name, int *rows, int *cols);

extern ArrayType *pmf_vector_result(const double *values, int n);
extern ArrayType *pmf_matrix_result(const double *values, int rows, int cols);

/*
 * Multiplicative updates drive an unused cell towards 0 without reaching it
 * (1e-200 and smaller); PostgreSQL raises an underflow error where numpy
 * would flush such products silently, so W, H and percent values below this
 * are shown and stored as 0 (the product of two shown values stays normal).
 * Q and residuals are computed from the unflushed matrices.
 */
#define PMF_SMALLEST_SHOWN 1e-150
extern double pmf_shown_value(double value);

/* ---- around the solver (pg_pmf_solver.c) ---- */

/* Validates the fit options; method is 'ls-nmf', 'ws-nmf', 'anls' or 'pmf5'. */
extern NmfParams pmf_fit_params(int factors, const char *method, bool robust, int max_iter,
								double converge_delta, int converge_n, int reweight_after, int runs);

/*
 * nmf_fit() on chemeco_threads() threads; a cancel
 * or termination request stops the threads and is then raised; all runs
 * diverging is an error.  Returns the best run's index.  run_h: NULL, or
 * room for every run's final H (runs x k x n).
 */
extern int	pmf_fit_runs(const NmfProblem *problem, const NmfParams *params, int runs, int64 seed,
						 NmfProgress progress, double *best_w, double *best_h, NmfRun *results,
						 double *run_h);

/* ereport(ERROR) for a failed nmf_check_input, naming the cell through the callback. */
typedef const char *(*PmfCellName) (void *context, bool row, int index);
extern void pmf_report_bad_cell(NmfInputStatus status, int row, int col, const double *x,
								const double *u, int n, PmfCellName name, void *context);

/* ---- the data query of pmf_fit / pmf_bootstrap, pivoted (pg_pmf_data.c) ---- */

#include "utils/hsearch.h"

/* Names in order of first appearance, with a hash for lookup. */
typedef struct NameEntry
{
	char	   *name;			/* hash key: the pointer; hashed and compared as a string */
	int			index;
} NameEntry;

typedef struct NameList
{
	HTAB	   *hash;
	char	  **names;
	int			count;
	int			capacity;
} NameList;

/* The query's rows pivoted to samples x species. */
typedef struct PmfData
{
	NameList	samples;
	NameList	species;
	int		   *category;		/* per species; -1 = not given (strong) */
	int			m;				/* samples */
	int			n;				/* species kept (not bad) */
	int		   *column_species; /* species index of each kept column */
	double	   *x;				/* m x n */
	double	   *u;				/* m x n, weak species tripled */
	int			missing;		/* cells filled with the species median */
	int			weak;
	int			bad;
} PmfData;

/*
 * Runs query (read-only, caller's rights, inside SPI; caller names the SQL
 * function in errors) and pivots its rows (sample,
 * species, conc, unc[, category]): bad species dropped, missing cells filled
 * with the species median (uncertainty 4 x median), weak uncertainties x 3.
 */
extern void pmf_read_data(const char *query, const char *caller, NmfMethod method, PmfData *data);

/* Index of name in list, -1 if absent. */
extern int	pmf_name_lookup(const NameList *list, const char *name);

/* ---- a stored run read back (pg_pmf_run.c) ---- */

typedef struct PmfStoredRun
{
	NmfParams	nmf;			/* the run's fit options */
	PmfData		data;			/* its data query run again */
	double	   *w;				/* m x k base contributions */
	double	   *h;				/* k x n base profiles */
} PmfStoredRun;

/*
 * Inside SPI: the caller's own run run_id (22023 if absent, another role's
 * or not made by pmf_fit), with its query run read-only with the caller's
 * rights; caller names the SQL function in errors.
 */
extern void pmf_load_run(const char *schema, const char *caller, int64 run_id, PmfStoredRun *run);

#endif
