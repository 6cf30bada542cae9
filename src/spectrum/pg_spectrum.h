/*
 * pg_spectrum.h: the on-disk chemeco.spectrum value (PostgreSQL glue).
 *
 * A varlena holding npeaks Peak structs sorted by ascending m/z.  The type
 * is aligned on double, so a detoasted value can be read in place.
 */
#ifndef CHEMECO_PG_SPECTRUM_H
#define CHEMECO_PG_SPECTRUM_H

#include "postgres.h"

#include "fmgr.h"

#include "peak.h"

typedef struct Spectrum
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		npeaks;
	Peak		peaks[FLEXIBLE_ARRAY_MEMBER];
} Spectrum;

#define SPECTRUM_SIZE(n) (offsetof(Spectrum, peaks) + sizeof(Peak) * (n))
#define DatumGetSpectrumP(d) ((Spectrum *) PG_DETOAST_DATUM(d))
#define PG_GETARG_SPECTRUM_P(n) DatumGetSpectrumP(PG_GETARG_DATUM(n))
#define PG_RETURN_SPECTRUM_P(s) PG_RETURN_POINTER(s)

/* A new spectrum from peaks already valid and sorted by m/z. */
extern Spectrum *spectrum_from_sorted_peaks(const Peak *peaks, int n);

#endif
