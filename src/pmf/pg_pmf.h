/*
 * pg_pmf.h: glue shared by the source-apportionment SQL functions.
 */
#ifndef CHEMECO_PG_PMF_H
#define CHEMECO_PG_PMF_H

#include "postgres.h"

#include "utils/array.h"

#include "nmf.h"

/* A one-dimensional float8[] without NULLs, copied; 22004 names the NULL element. */
extern double *pmf_vector_arg(ArrayType *array, const char *name, int *n);

/* A two-dimensional float8[][] without NULLs, row-major copy; 22004 names row and column. */
extern double *pmf_matrix_arg(ArrayType *array, const char *name, int *rows, int *cols);

extern ArrayType *pmf_vector_result(const double *values, int n);
extern ArrayType *pmf_matrix_result(const double *values, int rows, int cols);

/* Validates the fit options; method is 'ls-nmf' or 'ws-nmf'. */
extern NmfParams pmf_fit_params(int factors, const char *method, bool robust, int max_iter,
								double converge_delta, int converge_n, int runs);

/* ereport(ERROR) for a failed nmf_check_input, naming the cell through the callback. */
typedef const char *(*PmfCellName) (void *context, bool row, int index);
extern void pmf_report_bad_cell(NmfInputStatus status, int row, int col, const double *x,
								const double *u, int n, PmfCellName name, void *context);

#endif
