/*
 * peak_text.h: parse peak lists written as text.
 *
 * Accepted forms (separators between pairs: whitespace, ',' or ';'):
 *   "mz:intensity mz:intensity ..."       (spaces around ':' allowed)
 *   "mz intensity\nmz intensity\n..."     (MSP peak lines; a pair never
 *                                          spans two lines)
 * The empty string, or only separators, is a spectrum with no peaks.
 */
#ifndef CHEMECO_PEAK_TEXT_H
#define CHEMECO_PEAK_TEXT_H

#include <stddef.h>

#include "peak.h"

typedef enum PeakTextStatus
{
	PEAK_TEXT_OK = 0,
	PEAK_TEXT_SYNTAX,			/* malformed token or layout */
	PEAK_TEXT_OUT_OF_RANGE,		/* a number overflows a double */
	PEAK_TEXT_BAD_VALUE,		/* NaN/Inf, m/z <= 0 or intensity < 0 */
	PEAK_TEXT_TOO_MANY			/* more than SPECTRUM_MAX_PEAKS */
} PeakTextStatus;

typedef struct PeakTextError
{
	int			line;			/* 1-based position of the problem */
	int			column;
	int			peak;			/* 1-based number of the pair */
	char		message[160];
} PeakTextError;

/*
 * Parse text[0..len).  On success *peaks (kernel_alloc'd, possibly NULL when
 * *n_peaks is 0) holds the peaks in input order.
 */
extern PeakTextStatus peaks_parse_text(const char *text, size_t len,
									   Peak **peaks, int *n_peaks,
									   PeakTextError *error);

#endif
