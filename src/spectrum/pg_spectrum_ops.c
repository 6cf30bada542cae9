/*
 * pg_spectrum_ops.c: equality, ordering and hashing of chemeco.spectrum,
 * behind =, <>, <, <=, >, >= and the btree and hash operator classes.
 * The order is peaks_compare's (peak.h): number of peaks, then the m/z
 * values, then the intensities.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "miscadmin.h"

#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(spectrum_cmp);
PG_FUNCTION_INFO_V1(spectrum_eq);
PG_FUNCTION_INFO_V1(spectrum_ne);
PG_FUNCTION_INFO_V1(spectrum_lt);
PG_FUNCTION_INFO_V1(spectrum_le);
PG_FUNCTION_INFO_V1(spectrum_gt);
PG_FUNCTION_INFO_V1(spectrum_ge);
PG_FUNCTION_INFO_V1(spectrum_hash);

static int
compare_args(FunctionCallInfo fcinfo)
{
	Spectrum   *a = PG_GETARG_SPECTRUM_P(0);
	Spectrum   *b = PG_GETARG_SPECTRUM_P(1);
	int			c = peaks_compare(a->peaks, a->npeaks, b->peaks, b->npeaks);

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return c;
}

Datum
spectrum_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(compare_args(fcinfo));
}

Datum
spectrum_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) == 0);
}

Datum
spectrum_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) != 0);
}

Datum
spectrum_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) < 0);
}

Datum
spectrum_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) <= 0);
}

Datum
spectrum_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) > 0);
}

Datum
spectrum_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) >= 0);
}

static uint32
hash_double(double v)
{
	if (v == 0)
		v = 0.0;				/* -0 equals 0, so it must hash alike */
	return DatumGetUInt32(hash_any((const unsigned char *) &v, sizeof(v)));
}

/* Equal spectra (peaks_compare == 0) get equal hashes. */
Datum
spectrum_hash(PG_FUNCTION_ARGS)
{
	Spectrum   *s = PG_GETARG_SPECTRUM_P(0);
	uint32		h = hash_uint32((uint32) s->npeaks);

	for (int i = 0; i < s->npeaks; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		h = hash_combine(h, hash_double(s->peaks[i].mz));
		h = hash_combine(h, hash_double(s->peaks[i].intensity));
	}
	PG_FREE_IF_COPY(s, 0);
	PG_RETURN_UINT32(h);
}
