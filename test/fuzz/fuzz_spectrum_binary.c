/*
 * fuzz_spectrum_binary.c: libFuzzer target for peaks_parse_binary, the
 * reader behind the spectrum type's binary input (recv).  Checks that
 * accepted peaks obey the type's rules, that exactly the announced bytes
 * were consumed, and that a rejection reports where.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel.h"
#include "peak_binary.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Peak	   *peaks = NULL;
	int			n = 0,
				bad = 0;
	size_t		consumed = 0;
	PeakBinaryStatus status = peaks_parse_binary(data, size, &peaks, &n, &consumed, &bad);

	switch (status)
	{
		case PEAK_BINARY_OK:
			if (n < 0 || n > SPECTRUM_MAX_PEAKS || peaks == NULL || consumed != 4 + 16 * (size_t) n ||
				consumed > size || !peaks_valid(peaks, n, NULL))
				abort();
			peaks_unsign_zeros(peaks, n);
			peaks_sort_by_mz(peaks, n);
			for (int i = 1; i < n; i++)
				if (peaks[i].mz < peaks[i - 1].mz)
					abort();
			for (int i = 0; i < n; i++)
				if (peaks[i].intensity == 0 && signbit(peaks[i].intensity))
					abort();
			if (n > 0 && peaks_compare(peaks, n, peaks, n) != 0)
				abort();
			break;
		case PEAK_BINARY_NO_COUNT:
			if (size >= 4 || n != -1 || peaks != NULL)
				abort();
			break;
		case PEAK_BINARY_BAD_COUNT:
			if (peaks != NULL || (n >= 0 && n <= SPECTRUM_MAX_PEAKS && 4 + 16 * (size_t) n <= size))
				abort();
			break;
		case PEAK_BINARY_BAD_PEAK:
			if (peaks != NULL || bad < 0 || bad >= n)
				abort();
			break;
		default:
			abort();
	}
	kernel_free(peaks);
	return 0;
}
