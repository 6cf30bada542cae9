/*
 * pg_numeric.h: numbers of a jsonb document (numeric) as float8.
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

#endif
