/*
 * pg_spectrum.c: the chemeco.spectrum type: text and binary I/O,
 * constructor from arrays, accessors.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "kernel.h"
#include "peak_binary.h"
#include "peak_text.h"
#include "pg_arrays.h"
#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(spectrum_in);
PG_FUNCTION_INFO_V1(spectrum_out);
PG_FUNCTION_INFO_V1(spectrum_recv);
PG_FUNCTION_INFO_V1(spectrum_send);
PG_FUNCTION_INFO_V1(spectrum_from_arrays);
PG_FUNCTION_INFO_V1(spectrum_mz);
PG_FUNCTION_INFO_V1(spectrum_intensities);
PG_FUNCTION_INFO_V1(spectrum_npeaks);

/*
 * 0.1 stored int32 npeaks right after the varlena header and the peaks at
 * offset 8: its sizes are 8 + 16 n bytes, never a multiple of 16 as every
 * versioned value's (16 + 16 n), so the size alone tells the layouts apart.
 */
#define SPECTRUM_0_1_HEADER 8
StaticAssertDecl(offsetof(Spectrum, peaks) % sizeof(Peak) == 0 && SPECTRUM_0_1_HEADER % sizeof(Peak) != 0,
				 "0.1 and versioned layouts must differ in size modulo a peak");

static Spectrum *
spectrum_from_0_1(Spectrum *s)
{
	int32		npeaks;

	memcpy(&npeaks, (char *) s + VARHDRSZ, sizeof(int32));
	if (npeaks < 0 || VARSIZE(s) != SPECTRUM_0_1_HEADER + sizeof(Peak) * (Size) npeaks)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored chemeco.spectrum of %u bytes is neither in format version %d nor in 0.1's layout",
						(unsigned) VARSIZE(s), SPECTRUM_FORMAT_VERSION)));
	return spectrum_from_sorted_peaks((const Peak *) ((char *) s + SPECTRUM_0_1_HEADER), npeaks);
}

Spectrum *
spectrum_checked(Spectrum *s)
{
	if (VARSIZE(s) % sizeof(Peak) == SPECTRUM_0_1_HEADER)
		return spectrum_from_0_1(s);
	if (s->version != SPECTRUM_FORMAT_VERSION || s->flags != 0 || s->npeaks < 0 ||
		VARSIZE(s) != SPECTRUM_SIZE(s->npeaks))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored chemeco.spectrum is not in format version %d", SPECTRUM_FORMAT_VERSION),
				 errdetail("Version %d, flags %d, %d peaks in %u bytes.", s->version, s->flags, s->npeaks,
						   (unsigned) VARSIZE(s)),
				 errhint("Install the chemeco version that wrote it, or rewrite the column "
						 "with that version (docs/architecture.md).")));
	return s;
}

Spectrum *
spectrum_from_sorted_peaks(const Peak *peaks, int n)
{
	Spectrum   *s = palloc(SPECTRUM_SIZE(n));

	memset(s, 0, offsetof(Spectrum, peaks));	/* padding too: values compare bytewise */
	SET_VARSIZE(s, SPECTRUM_SIZE(n));
	s->version = SPECTRUM_FORMAT_VERSION;
	s->npeaks = n;
	if (n > 0)
		memcpy(s->peaks, peaks, sizeof(Peak) * n);
	peaks_unsign_zeros(s->peaks, n);	/* -0 == 0: one stored form, printed as 0 */
	return s;
}

static Spectrum *
spectrum_from_unsorted_peaks(Peak *peaks, int n)
{
	peaks_sort_by_mz(peaks, n);
	return spectrum_from_sorted_peaks(peaks, n);
}

Datum
spectrum_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	Peak	   *peaks;
	int			n;
	PeakTextError error;
	PeakTextStatus status;

	status = peaks_parse_text(text, strlen(text), &peaks, &n, &error);
	if (status != PEAK_TEXT_OK)
		ereport(ERROR,
				(errcode(status == PEAK_TEXT_OUT_OF_RANGE ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE :
						 status == PEAK_TEXT_TOO_MANY ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
						 ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type spectrum: %s at line %d, column %d (peak %d)",
						error.message, error.line, error.column, error.peak),
				 errhint("Write peaks as \"mz:intensity\" pairs separated by spaces, commas or semicolons, "
						 "or as \"mz intensity\" lines; m/z > 0, intensity >= 0, both finite.")));
	PG_RETURN_SPECTRUM_P(spectrum_from_unsorted_peaks(peaks, n));
}

Datum
spectrum_out(PG_FUNCTION_ARGS)
{
	Spectrum   *s = PG_GETARG_SPECTRUM_P(0);
	StringInfoData buf;
	char		number[DOUBLE_SHORTEST_DECIMAL_LEN];

	initStringInfo(&buf);
	for (int i = 0; i < s->npeaks; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ' ');
		double_to_shortest_decimal_buf(s->peaks[i].mz, number);
		appendStringInfoString(&buf, number);
		appendStringInfoChar(&buf, ':');
		double_to_shortest_decimal_buf(s->peaks[i].intensity, number);
		appendStringInfoString(&buf, number);
	}
	PG_RETURN_CSTRING(buf.data);
}

/* Binary form: see peak_binary.h. */
Datum
spectrum_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Peak	   *peaks;
	int			n,
				bad;
	size_t		consumed;

	switch (peaks_parse_binary((const unsigned char *) buf->data + buf->cursor,
							   (size_t) (buf->len - buf->cursor), &peaks, &n, &consumed, &bad))
	{
		case PEAK_BINARY_OK:
			break;
		case PEAK_BINARY_NO_COUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("external spectrum value lacks its 4-byte peak count")));
			break;
		case PEAK_BINARY_BAD_COUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid peak count %d in external spectrum value", n)));
			break;
		case PEAK_BINARY_BAD_PEAK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid peak %d in external spectrum value", bad + 1),
					 errdetail("m/z must be finite and > 0, intensity finite and >= 0.")));
			break;
	}
	buf->cursor += (int) consumed;
	PG_RETURN_SPECTRUM_P(spectrum_from_unsorted_peaks(peaks, n));
}

Datum
spectrum_send(PG_FUNCTION_ARGS)
{
	Spectrum   *s = PG_GETARG_SPECTRUM_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, s->npeaks);
	for (int i = 0; i < s->npeaks; i++)
	{
		pq_sendfloat8(&buf, s->peaks[i].mz);
		pq_sendfloat8(&buf, s->peaks[i].intensity);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
spectrum_from_arrays(PG_FUNCTION_ARGS)
{
	ArrayType  *mz_array = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *intensity_array = PG_GETARG_ARRAYTYPE_P(1);
	int			n_mz,
				n_intensity,
				bad;
	double	   *mz = float8_vector_arg(mz_array, "mz", &n_mz);
	double	   *intensity = float8_vector_arg(intensity_array, "intensity", &n_intensity);
	Peak	   *peaks;

	if (n_mz != n_intensity)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mz and intensity arrays differ in length (%d and %d)", n_mz, n_intensity)));
	if (n_mz > SPECTRUM_MAX_PEAKS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a spectrum holds at most %d peaks, got %d", SPECTRUM_MAX_PEAKS, n_mz)));
	peaks = palloc(sizeof(Peak) * (n_mz > 0 ? n_mz : 1));
	for (int i = 0; i < n_mz; i++)
	{
		peaks[i].mz = mz[i];
		peaks[i].intensity = intensity[i];
	}
	if (!peaks_valid(peaks, n_mz, &bad))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid peak at array position %d: m/z %g, intensity %g",
						bad + 1, mz[bad], intensity[bad]),
				 errdetail("m/z must be finite and > 0, intensity finite and >= 0.")));
	PG_RETURN_SPECTRUM_P(spectrum_from_unsorted_peaks(peaks, n_mz));
}

static ArrayType *
peak_field_array(const Spectrum *s, bool want_mz)
{
	Datum	   *values = palloc(sizeof(Datum) * (s->npeaks > 0 ? s->npeaks : 1));

	for (int i = 0; i < s->npeaks; i++)
		values[i] = Float8GetDatum(want_mz ? s->peaks[i].mz : s->peaks[i].intensity);
	return construct_array(values, s->npeaks, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

Datum
spectrum_mz(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(peak_field_array(PG_GETARG_SPECTRUM_P(0), true));
}

Datum
spectrum_intensities(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(peak_field_array(PG_GETARG_SPECTRUM_P(0), false));
}

Datum
spectrum_npeaks(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_SPECTRUM_P(0)->npeaks);
}
