/*
 * peak_binary.c: reader for the binary form of a peak list (peak_binary.h).
 */
#include "peak_binary.h"

#include <stdint.h>
#include <string.h>

#include "kernel.h"

static uint64_t
read_be(const unsigned char *p, int bytes)
{
	uint64_t	v = 0;

	for (int i = 0; i < bytes; i++)
		v = (v << 8) | p[i];
	return v;
}

static double
read_double(const unsigned char *p)
{
	uint64_t	bits = read_be(p, 8);
	double		v;

	memcpy(&v, &bits, sizeof(v));
	return v;
}

PeakBinaryStatus
peaks_parse_binary(const unsigned char *data, size_t len, Peak **peaks_out,
				   int *n_out, size_t *consumed, int *bad_index)
{
	int32_t		n;
	Peak	   *peaks;

	*peaks_out = NULL;
	*n_out = -1;
	*consumed = 0;
	*bad_index = -1;
	if (len < 4)
		return PEAK_BINARY_NO_COUNT;
	n = (int32_t) (uint32_t) read_be(data, 4);
	*n_out = n;
	if (n < 0 || n > SPECTRUM_MAX_PEAKS || (size_t) n * 16 > len - 4)
		return PEAK_BINARY_BAD_COUNT;
	peaks = kernel_alloc_array((size_t) (n > 0 ? n : 1), sizeof(Peak));
	for (int i = 0; i < n; i++)
	{
		peaks[i].mz = read_double(data + 4 + 16 * (size_t) i);
		peaks[i].intensity = read_double(data + 12 + 16 * (size_t) i);
	}
	if (!peaks_valid(peaks, n, bad_index))
	{
		kernel_free(peaks);
		return PEAK_BINARY_BAD_PEAK;
	}
	*peaks_out = peaks;
	*consumed = 4 + 16 * (size_t) n;
	return PEAK_BINARY_OK;
}
