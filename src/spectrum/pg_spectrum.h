/*
 * pg_spectrum.h: the on-disk chemeco.spectrum value (PostgreSQL glue).
 *
 * A varlena holding a format version and npeaks Peak structs sorted by
 * ascending m/z.  The type is aligned on double, so a detoasted value can be
 * read in place.  Every reader goes through DatumGetSpectrumP, which rejects
 * a version it does not know (docs/architecture.md, "On-disk formats").
 */
#ifndef CHEMECO_PG_SPECTRUM_H
#define CHEMECO_PG_SPECTRUM_H

#include "postgres.h"

#include "fmgr.h"

#include "peak.h"

/* Format of the stored value; a new layout takes the next number. */
#define SPECTRUM_FORMAT_VERSION 1

typedef struct Spectrum
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint16		version;		/* SPECTRUM_FORMAT_VERSION */
	uint16		flags;			/* reserved, always 0 */
	int32		npeaks;
	/* 4 bytes of padding: the peaks start on a double boundary */
	Peak		peaks[FLEXIBLE_ARRAY_MEMBER];
} Spectrum;

#define SPECTRUM_SIZE(n) (offsetof(Spectrum, peaks) + sizeof(Peak) * (n))
#define DatumGetSpectrumP(d) spectrum_checked((Spectrum *) PG_DETOAST_DATUM(d))
#define PG_GETARG_SPECTRUM_P(n) DatumGetSpectrumP(PG_GETARG_DATUM(n))
#define PG_RETURN_SPECTRUM_P(s) PG_RETURN_POINTER(s)

/*
 * The value itself, once its format version is known (else an ERROR); a
 * value in 0.1's unversioned layout comes back converted (a palloc'd copy).
 */
extern Spectrum *spectrum_checked(Spectrum *s);

/* A new spectrum from peaks already valid and sorted by m/z. */
extern Spectrum *spectrum_from_sorted_peaks(const Peak *peaks, int n);

#endif
