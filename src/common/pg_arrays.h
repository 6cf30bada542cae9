/*
 * pg_arrays.h: float8[] arguments read into plain double arrays (glue).
 */
#ifndef CHEMECO_PG_ARRAYS_H
#define CHEMECO_PG_ARRAYS_H

#include "postgres.h"

#include "utils/array.h"

/*
 * The elements of a one-dimensional (or empty) float8[] argument; *n
 * receives the count.  A NULL element is an error (22004) naming name[i];
 * more dimensions are an error (22023).  Read-only: the result points into
 * the array itself unless it has a NULL bitmap (then it is a palloc'd copy),
 * so that a call per row (predict, quantiles) costs no allocation.
 */
extern double *float8_vector_arg(ArrayType *array, const char *name, int *n);

/* The same, but a NULL element reads as NaN (a missing value), not an error. */
extern double *float8_vector_arg_nan(ArrayType *array, const char *name, int *n);

#endif
