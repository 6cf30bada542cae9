/*
 * pg_distance.c: the <~> operator, entropy distance between two spectra.
 *
 * distance = 1 - entropy_similarity(a, b, 0.02, weighted, clean), the value
 * the chemeco_flash index orders by (see pg_flash_scan.c).
 */
#include "postgres.h"

#include "entropy.h"
#include "flash.h"
#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(spectrum_entropy_distance);

Datum
spectrum_entropy_distance(PG_FUNCTION_ARGS)
{
	Spectrum   *a = PG_GETARG_SPECTRUM_P(0);
	Spectrum   *b = PG_GETARG_SPECTRUM_P(1);

	PG_RETURN_FLOAT8(1.0 - entropy_similarity(a->peaks, a->npeaks, b->peaks, b->npeaks,
											  mz_tolerance_da(FLASH_OPERATOR_TOLERANCE), true, true));
}
