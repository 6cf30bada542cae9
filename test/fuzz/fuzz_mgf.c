/*
 * fuzz_mgf.c: libFuzzer target for the MGF reader (src/spectrum/mgf.c).
 */
#include <stdint.h>

#include "fuzz_records.h"
#include "mgf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	MgfReader	reader;
	SpectrumRecord record;
	SpectrumReadError error;
	SpectrumReadStatus status;
	int			previous_ordinal = 0;

	mgf_reader_init(&reader, (const char *) data, size);
	while ((status = mgf_read_next(&reader, &record, &error)) != SPECTRUM_READ_END)
	{
		if (status == SPECTRUM_READ_RECORD)
		{
			check_record(&record, previous_ordinal);
			previous_ordinal = record.ordinal;
			spectrum_record_free(&record);
		}
		else
			check_error(&error, reader.records);
	}
	mgf_reader_free(&reader);
	return 0;
}
