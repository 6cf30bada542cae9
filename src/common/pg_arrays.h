/*
 * pg_arrays.h: float8[] arguments read into plain double arrays (glue).
 */
#ifndef CHEMECO_PG_ARRAYS_H
#define CHEMECO_PG_ARRAYS_H

#include "postgres.h"

#include "utils/array.h"

/*
 * The elements of a one-dimensional (or empty) float8[] argument, palloc'd;
 * *n receives the count.  A NULL element is an error (22004) naming
 * name[i]; more dimensions are an error (22023).
 */
extern double *float8_vector_arg(ArrayType *array, const char *name, int *n);

/* The same, but a NULL element reads as NaN (a missing value), not an error. */
extern double *float8_vector_arg_nan(ArrayType *array, const char *name, int *n);

#endif
