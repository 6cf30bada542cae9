/*
 * mgf.h: reader for Mascot Generic Format (MGF) spectra.
 *
 * A record runs from "BEGIN IONS" to "END IONS" and holds "KEY=VALUE"
 * header lines (PEPMASS: precursor m/z, optionally followed by its
 * intensity; CHARGE; TITLE; ...) and peak lines "mz intensity", optionally
 * followed by a fragment charge ("2+"), which is ignored.  KEY=VALUE lines
 * outside records are global parameters: every later record that lacks the
 * key gets it.  Lines starting with '#', ';', '!' or '/' are comments.
 * The name is the NAME field, else the TITLE field.
 */
#ifndef CHEMECO_MGF_H
#define CHEMECO_MGF_H

#include "spectrum_record.h"

typedef struct MgfReader
{
	LineCursor	lines;
	int			records;		/* records started so far */
	SpectrumRecord globals;		/* global parameters, as a record's fields */
	LineBuffer	peak_line;		/* a peak line with its charge blanked */
} MgfReader;

extern void mgf_reader_init(MgfReader *reader, const char *text, size_t len);

/*
 * Read the next record.  After SPECTRUM_READ_ERROR the bad record has been
 * skipped and the next call goes on with the following one.
 */
extern SpectrumReadStatus mgf_read_next(MgfReader *reader, SpectrumRecord *record,
										SpectrumReadError *error);

extern void mgf_reader_free(MgfReader *reader);

#endif
