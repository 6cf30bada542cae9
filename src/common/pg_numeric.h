/*
 * pg_numeric.h: numbers as float8: those of a jsonb document (numeric), and
 * those of a column of the query a caller passes (pmf_fit's data, train's
 * features and target, screen's features).
 */
#ifndef CHEMECO_PG_NUMERIC_H
#define CHEMECO_PG_NUMERIC_H

#include "postgres.h"

#include "utils/numeric.h"

/*
 * num as a float8 (a magnitude below the float8 range becomes 0); beyond
 * the range, 22003 naming what ("impact \"cch\"") with the value in short
 * scientific form, not its hundreds of digits.
 */
extern double chemeco_numeric_float8(Numeric num, const char *what);

/*
 * The one rule for a number in a query's column: int2, int4, int8, float4,
 * float8 and numeric are numbers, and so is bool, as 1 (true) or 0 (false),
 * the way XGBoost reads a boolean feature.  Any other type (text, date, ...)
 * is not: the caller raises its error (naming the column) for it.
 */
extern bool chemeco_is_number_type(Oid type);

/*
 * A non-NULL value of a chemeco_is_number_type type as float8 (numeric
 * beyond the float8 range: 22003, as numeric::float8).
 */
extern double chemeco_datum_number(Datum value, Oid type);

#endif
