/*
 * pg_arrays.c: float8[] arguments read into plain double arrays.
 */
#include "pg_arrays.h"

#include "catalog/pg_type.h"

double *
float8_vector_arg(ArrayType *array, const char *name, int *n)
{
	Datum	   *values;
	bool	   *nulls;
	double	   *out;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", name)));
	deconstruct_array(array, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &values, &nulls, n);
	out = palloc(sizeof(double) * (*n > 0 ? *n : 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s[%d] is NULL", name, i + 1),
					 errhint("Remove the element or replace it by a value.")));
		out[i] = DatumGetFloat8(values[i]);
	}
	return out;
}
