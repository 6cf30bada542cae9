/*
 * pg_arrays.c: float8[] arguments read into plain double arrays.
 */
#include "pg_arrays.h"

#include <math.h>

/*
 * float8 is fixed-width and aligned: the non-NULL elements lie back to back
 * after the header, so without a NULL bitmap they are the result as they
 * are; with one, a copy puts NaN (or raises the error) where a NULL is.
 */
static double *
read_vector(ArrayType *array, const char *name, int *n, bool null_is_nan)
{
	float8	   *data = (float8 *) ARR_DATA_PTR(array);
	const bits8 *nulls = ARR_NULLBITMAP(array);
	double	   *out;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", name)));
	*n = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	if (nulls == NULL)
		return data;
	out = palloc(sizeof(double) * (*n > 0 ? *n : 1));
	for (int i = 0, k = 0; i < *n; i++)
	{
		if ((nulls[i / 8] & (1 << (i % 8))) != 0)
			out[i] = data[k++];
		else if (null_is_nan)
			out[i] = NAN;
		else
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s[%d] is NULL", name, i + 1),
					 errhint("Remove the element or replace it by a value.")));
	}
	return out;
}

double *
float8_vector_arg(ArrayType *array, const char *name, int *n)
{
	return read_vector(array, name, n, false);
}

double *
float8_vector_arg_nan(ArrayType *array, const char *name, int *n)
{
	return read_vector(array, name, n, true);
}
