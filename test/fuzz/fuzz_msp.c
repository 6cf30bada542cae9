/*
 * fuzz_msp.c: libFuzzer target for the MSP reader (src/spectrum/msp.c).
 */
#include <stdint.h>

#include "fuzz_records.h"
#include "msp.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	MspReader	reader;
	SpectrumRecord record;
	SpectrumReadError error;
	SpectrumReadStatus status;
	int			previous_ordinal = 0;

	msp_reader_init(&reader, (const char *) data, size);
	while ((status = msp_read_next(&reader, &record, &error)) != SPECTRUM_READ_END)
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
	msp_reader_free(&reader);
	return 0;
}
