/*
 * pg_numeric.c: jsonb numbers as float8 with short error messages, and the
 * numbers of a query's columns.
 */
#include "pg_numeric.h"

#include <math.h>

#include "catalog/pg_type.h"
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

bool
chemeco_is_number_type(Oid type)
{
	return type == INT2OID || type == INT4OID || type == INT8OID || type == FLOAT4OID ||
		type == FLOAT8OID || type == NUMERICOID || type == BOOLOID;
}

double
chemeco_datum_number(Datum value, Oid type)
{
	switch (type)
	{
		case INT2OID:
			return DatumGetInt16(value);
		case INT4OID:
			return DatumGetInt32(value);
		case INT8OID:
			return (double) DatumGetInt64(value);
		case FLOAT4OID:
			return DatumGetFloat4(value);
		case FLOAT8OID:
			return DatumGetFloat8(value);
		case BOOLOID:
			return DatumGetBool(value) ? 1 : 0;
		case NUMERICOID:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, value));
	}
	elog(ERROR, "chemeco_datum_number: type %u is not a number type", type);
	pg_unreachable();
}
