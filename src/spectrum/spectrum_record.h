/*
 * spectrum_record.h: one spectrum read from a library file (MSP, MGF), and
 * the line reading and record building the format readers share.
 *
 * A record carries its header fields in file order (keys lower-cased, values
 * trimmed), the name and precursor m/z picked from them, and its peaks
 * validated as the spectrum type requires and sorted by m/z.
 */
#ifndef CHEMECO_SPECTRUM_RECORD_H
#define CHEMECO_SPECTRUM_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "peak.h"

typedef struct SpectrumField
{
	char	   *key;			/* lower-cased, trimmed */
	char	   *value;			/* trimmed; may be "" */
} SpectrumField;

typedef struct SpectrumRecord
{
	int			ordinal;		/* 1-based position of the record in the input */
	int			first_line;
	const char *name;			/* a field's value, or NULL */
	bool		has_precursor_mz;
	double		precursor_mz;
	SpectrumField *fields;
	int			n_fields;
	int			fields_capacity;
	Peak	   *peaks;
	int			n_peaks;
	int			peaks_capacity;
} SpectrumRecord;

typedef enum SpectrumReadStatus
{
	SPECTRUM_READ_RECORD,		/* *record filled; free with spectrum_record_free */
	SPECTRUM_READ_END,			/* no more records */
	SPECTRUM_READ_ERROR			/* malformed record, skipped; reading may go on */
} SpectrumReadStatus;

typedef struct SpectrumReadError
{
	int			record;			/* ordinal of the bad record; 0: between records */
	int			line;			/* 1-based line of the problem */
	char		message[256];
} SpectrumReadError;

/* Lines of a text; "\n", "\r\n" and a lone "\r" all end a line. */
typedef struct LineCursor
{
	const char *text;
	size_t		len;
	size_t		pos;
	int			line;			/* number of the line returned last */
} LineCursor;

typedef struct TextLine
{
	const char *text;			/* without its line end */
	size_t		len;
	int			number;
} TextLine;

/* A reusable copy of one line, for readers that blank parts of it. */
typedef struct LineBuffer
{
	char	   *data;
	size_t		capacity;
} LineBuffer;

extern void line_cursor_init(LineCursor *cursor, const char *text, size_t len);
extern bool line_cursor_next(LineCursor *cursor, TextLine *line);

/* The line without leading and trailing blanks (spaces, tabs). */
extern TextLine line_trimmed(TextLine line);
extern bool line_is_blank(TextLine line);

/* Copy line into buffer (NUL-terminated) and return the copy. */
extern char *line_buffer_copy(LineBuffer *buffer, TextLine line);
extern void line_buffer_free(LineBuffer *buffer);

/* A peak line starts with a number: a digit, '.', or a sign before one. */
extern bool line_starts_with_number(TextLine line);

/* True when key, ignoring case, ' ', '_', '-' and '/', equals canonical. */
extern bool field_key_is(const char *key, const char *canonical);

/*
 * True when value is a plain decimal number: optional '-', digits without a
 * leading zero, optional '.' and digits; no exponent, no '+'.
 */
extern bool field_value_is_number(const char *value);

extern void spectrum_record_init(SpectrumRecord *record, int ordinal, int first_line);
extern void spectrum_record_add_field(SpectrumRecord *record,
									  const char *key, size_t key_len,
									  const char *value, size_t value_len);

/*
 * Parse the peaks of one line (the spectrum text syntax of peak_text.h) and
 * append them.  On failure fills error (line number and message) and
 * returns false.
 */
extern bool spectrum_record_add_peak_line(SpectrumRecord *record, const char *text,
										  size_t len, int line_number,
										  SpectrumReadError *error);

/*
 * Pick the name (first field whose key is one of name_keys, NULL-terminated,
 * in that order of preference) and the precursor m/z (first PrecursorMZ,
 * Precursor_MZ or PEPMASS field whose first number is finite and > 0), and
 * sort the peaks.
 */
extern void spectrum_record_finish(SpectrumRecord *record, const char *const *name_keys);

extern void spectrum_record_free(SpectrumRecord *record);

extern void spectrum_read_error(SpectrumReadError *error, int record, int line,
								const char *format,...)
			__attribute__((format(printf, 4, 5)));

#endif
