/*
 * fuzz_records.h: the invariants every record of the MSP and MGF readers
 * must satisfy, shared by their fuzz targets.
 */
#ifndef CHEMECO_FUZZ_RECORDS_H
#define CHEMECO_FUZZ_RECORDS_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spectrum_record.h"

static void
check_record(const SpectrumRecord *r, int previous_ordinal)
{
	bool		name_is_a_field = r->name == NULL;

	if (r->ordinal <= previous_ordinal || r->first_line < 1)
		abort();
	if (r->n_peaks < 0 || r->n_peaks > SPECTRUM_MAX_PEAKS || !peaks_valid(r->peaks, r->n_peaks, NULL))
		abort();
	for (int i = 1; i < r->n_peaks; i++)
		if (r->peaks[i].mz < r->peaks[i - 1].mz)
			abort();
	if (r->has_precursor_mz && !(r->precursor_mz > 0 && r->precursor_mz < INFINITY))
		abort();
	for (int i = 0; i < r->n_fields; i++)
	{
		/* keys and values are whole C strings: reading them must stay in bounds */
		if (strlen(r->fields[i].key) + strlen(r->fields[i].value) > (size_t) 1 << 30)
			abort();
		name_is_a_field |= r->name == r->fields[i].value;
	}
	if (!name_is_a_field)
		abort();
}

static void
check_error(const SpectrumReadError *e, int records_started)
{
	if (e->record < 0 || e->record > records_started || e->line < 1 || e->message[0] == '\0')
		abort();
}

/*
 * The libFuzzer entry point for one reader (prefix msp or mgf): read every
 * record of the input, checking each record or error.
 */
#define FUZZ_SPECTRUM_READER(Reader, prefix) \
int \
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
{ \
	Reader		reader; \
	SpectrumRecord record; \
	SpectrumReadError error; \
	SpectrumReadStatus status; \
	int			previous_ordinal = 0; \
\
	prefix##_reader_init(&reader, (const char *) data, size); \
	while ((status = prefix##_read_next(&reader, &record, &error)) != SPECTRUM_READ_END) \
	{ \
		if (status == SPECTRUM_READ_RECORD) \
		{ \
			check_record(&record, previous_ordinal); \
			previous_ordinal = record.ordinal; \
			spectrum_record_free(&record); \
		} \
		else \
			check_error(&error, reader.records); \
	} \
	prefix##_reader_free(&reader); \
	return 0; \
}

#endif
