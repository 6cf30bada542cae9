/*
 * peak_binary.h: the binary (send/recv) form of a peak list.
 *
 * int32 peak count, then per peak float8 m/z and float8 intensity, all in
 * network byte order (big-endian IEEE 754), as pq_sendint32/pq_sendfloat8
 * write them.
 */
#ifndef CHEMECO_PEAK_BINARY_H
#define CHEMECO_PEAK_BINARY_H

#include <stddef.h>

#include "peak.h"

typedef enum PeakBinaryStatus
{
	PEAK_BINARY_OK = 0,
	PEAK_BINARY_NO_COUNT,		/* fewer than 4 bytes */
	PEAK_BINARY_BAD_COUNT,		/* count < 0, > SPECTRUM_MAX_PEAKS or beyond the data */
	PEAK_BINARY_BAD_PEAK		/* m/z not finite and > 0, or intensity not finite and >= 0 */
} PeakBinaryStatus;

/*
 * Read one peak list from data[0..len).  On success *peaks (kernel_alloc'd,
 * input order, n > 0 or not) holds *n_peaks peaks and *consumed the bytes
 * read; bytes after them are the caller's business.  On error *n_peaks is
 * the count read (-1 with PEAK_BINARY_NO_COUNT) and *bad_index the first bad peak.
 */
extern PeakBinaryStatus peaks_parse_binary(const unsigned char *data, size_t len,
										   Peak **peaks, int *n_peaks,
										   size_t *consumed, int *bad_index);

#endif
