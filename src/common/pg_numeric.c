/*
 * pg_numeric.c: jsonb numbers as float8 with short error messages.
 */
#include "pg_numeric.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"

double
chemeco_numeric_float8(Numeric num, const char *what)
{
	double		value = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(num)));

	if (isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: %s is out of range for type double precision", what, numeric_out_sci(num, 6))));
	return value;
}
