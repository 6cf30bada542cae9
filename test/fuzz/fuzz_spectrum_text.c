/*
 * fuzz_spectrum_text.c: libFuzzer target for peaks_parse_text, the parser
 * behind the spectrum type's text input.  Checks that accepted peaks obey
 * the type's rules and that a rejection carries a position.
 */
#include <stdint.h>
#include <stdlib.h>

#include "kernel.h"
#include "peak_text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Peak	   *peaks = NULL;
	int			n = -1;
	PeakTextError error;
	PeakTextStatus status = peaks_parse_text((const char *) data, size, &peaks, &n, &error);

	if (status == PEAK_TEXT_OK)
	{
		if (n < 0 || n > SPECTRUM_MAX_PEAKS || (n > 0) != (peaks != NULL) || !peaks_valid(peaks, n, NULL))
			abort();
		peaks_sort_by_mz(peaks, n);
		for (int i = 1; i < n; i++)
			if (peaks[i].mz < peaks[i - 1].mz)
				abort();
	}
	else if (peaks != NULL || n != 0 || error.line < 1 || error.column < 1 || error.message[0] == '\0')
		abort();
	kernel_free(peaks);
	return 0;
}
