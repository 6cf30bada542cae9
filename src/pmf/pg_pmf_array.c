/*
 * pg_pmf_array.c: float8 arrays in and out of the source-apportionment
 * functions.
 */
#include "pg_pmf.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"

double *
pmf_matrix_arg(ArrayType *array, const char *name, int *rows, int *cols)
{
	Datum	   *values;
	bool	   *nulls;
	int			count;
	double	   *out;

	if (ARR_NDIM(array) != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a two-dimensional array, got %d dimension(s)", name, ARR_NDIM(array))));
	*rows = ARR_DIMS(array)[0];
	*cols = ARR_DIMS(array)[1];
	deconstruct_array(array, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &values, &nulls, &count);
	out = palloc(sizeof(double) * count);
	for (int c = 0; c < count; c++)
	{
		if (c % *cols == 0)
			CHECK_FOR_INTERRUPTS();
		if (nulls[c])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s has a NULL at row %d, column %d", name, c / *cols + 1, c % *cols + 1),
					 errhint("Fill missing values first (EPA PMF: species median, uncertainty 4 x median).")));
		out[c] = DatumGetFloat8(values[c]);
	}
	return out;
}

ArrayType *
pmf_vector_result(const double *values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * (n > 0 ? n : 1));

	for (int i = 0; i < n; i++)
		datums[i] = Float8GetDatum(values[i]);
	return construct_array(datums, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

double
pmf_shown_value(double value)
{
	return fabs(value) < PMF_SMALLEST_SHOWN ? 0 : value;
}

ArrayType *
pmf_matrix_result(const double *values, int rows, int cols)
{
	Datum	   *datums = palloc(sizeof(Datum) * rows * cols);
	int			dims[2] = {rows, cols};
	int			lbs[2] = {1, 1};

	for (int c = 0; c < rows * cols; c++)
		datums[c] = Float8GetDatum(pmf_shown_value(values[c]));
	return construct_md_array(datums, NULL, 2, dims, lbs, FLOAT8OID, sizeof(float8),
							  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}
