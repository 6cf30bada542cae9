/*
 * msp.h: reader for MSP spectral libraries (NIST, MassBank, RIKEN, GOLM).
 *
 * A record is a run of "key: value" header lines (any order; the name is
 * the "Name" field) with a "Num Peaks: n" line, followed by peak lines.
 * A peak line holds one or more "mz intensity" (or "mz:intensity") pairs
 * separated by blanks, ',' or ';', each optionally followed by a quoted
 * annotation ("mz intensity \"b2+\""), which is ignored.  AMDIS/NIST .msl
 * files write each pair in parentheses, "( 52    3) ( 55  136)": a peak line
 * that starts with "(" must be a run of such groups, each of two numbers.
 * Records end at a blank line, at the end of the text, or at a header line
 * once peaks have been read.  Lines starting with '#' are comments.
 */
#ifndef CHEMECO_MSP_H
#define CHEMECO_MSP_H

#include "spectrum_record.h"

typedef struct MspReader
{
	LineCursor	lines;
	int			records;		/* records started so far */
	LineBuffer	peak_line;		/* a peak line with annotations blanked */
} MspReader;

extern void msp_reader_init(MspReader *reader, const char *text, size_t len);

/*
 * Read the next record.  After SPECTRUM_READ_ERROR the bad record has been
 * skipped and the next call goes on with the following one.
 */
extern SpectrumReadStatus msp_read_next(MspReader *reader, SpectrumRecord *record,
										SpectrumReadError *error);

extern void msp_reader_free(MspReader *reader);

#endif
