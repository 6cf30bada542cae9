/*
 * msp.c: MSP library reader (see msp.h).
 */
#include "msp.h"

#include <string.h>

#include "kernel.h"

typedef enum MspLineKind
{
	MSP_BLANK,
	MSP_COMMENT,
	MSP_HEADER,
	MSP_PEAKS
} MspLineKind;

/* What the reader knows about the record it is reading. */
typedef struct MspRecordState
{
	bool		open;
	int			declared_peaks;	/* -1 until "Num Peaks" */
	int			declared_line;
} MspRecordState;

static const char *const msp_name_keys[] = {"name", NULL};

void
msp_reader_init(MspReader *reader, const char *text, size_t len)
{
	memset(reader, 0, sizeof(*reader));
	line_cursor_init(&reader->lines, text, len);
}

void
msp_reader_free(MspReader *reader)
{
	line_buffer_free(&reader->peak_line);
}

/* An AMDIS/NIST .msl peak line: "(" and an m/z first, as in "( 52    3) ( 55  136)". */
static bool
is_msl_peak_line(TextLine trimmed)
{
	return trimmed.len > 1 && trimmed.text[0] == '(' &&
		line_starts_with_number((TextLine) {trimmed.text + 1, trimmed.len - 1, trimmed.number});
}

static MspLineKind
classify(TextLine line)
{
	TextLine	t = line_trimmed(line);

	if (t.len == 0)
		return MSP_BLANK;
	if (t.text[0] == '#')
		return MSP_COMMENT;
	if (line_starts_with_number(t) || is_msl_peak_line(t))
		return MSP_PEAKS;
	return MSP_HEADER;
}

/* A "Num Peaks" value: a non-negative integer no larger than the peak limit. */
static bool
parse_peak_count(const char *value, int *count)
{
	long		n = 0;

	if (*value == '\0')
		return false;
	for (; *value != '\0'; value++)
	{
		if (*value < '0' || *value > '9')
			return false;
		n = n * 10 + (*value - '0');
		if (n > SPECTRUM_MAX_PEAKS)
			return false;
	}
	*count = (int) n;
	return true;
}

/* A copy of a peak line with its quoted annotations replaced by blanks. */
static char *
peak_line_without_annotations(MspReader *reader, TextLine line)
{
	char	   *copy = line_buffer_copy(&reader->peak_line, line);
	char	   *open_quote;

	while ((open_quote = memchr(copy, '"', line.len - (size_t) (copy - reader->peak_line.data))) != NULL)
	{
		char	   *close_quote = memchr(open_quote + 1, '"',
										 line.len - (size_t) (open_quote + 1 - reader->peak_line.data));

		if (close_quote == NULL)
			return NULL;
		memset(open_quote, ' ', (size_t) (close_quote - open_quote) + 1);
		copy = close_quote + 1;
	}
	return reader->peak_line.data;
}

static bool
is_msl_separator(char ch)
{
	return ch == ' ' || ch == '\t' || ch == ',' || ch == ';';
}

/*
 * A .msl peak line (already copied, annotations blanked): check that it is a
 * run of parenthesised "mz intensity" pairs, with only blanks, ',' or ';'
 * between them, and blank the parentheses so that the peak parser reads the
 * pairs (columns unchanged).  On failure returns the problem and sets *column.
 */
static const char *
msl_blank_parentheses(char *text, size_t len, size_t *column)
{
	size_t		i = 0;

	while (i < len)
	{
		size_t		open = i;
		int			tokens = 0;

		if (is_msl_separator(text[i]))
		{
			i++;
			continue;
		}
		*column = i + 1;
		if (text[i] != '(')
			return "expected \"(\" before a .msl peak";
		text[i++] = ' ';
		while (i < len && text[i] != ')')
		{
			if (text[i] == '(')
			{
				*column = i + 1;
				return "nested \"(\" in a .msl peak";
			}
			if (is_msl_separator(text[i]))
			{
				i++;
				continue;
			}
			tokens++;
			while (i < len && !is_msl_separator(text[i]) && text[i] != '(' && text[i] != ')')
				i++;
		}
		*column = open + 1;
		if (i == len)
			return "\"(\" without \")\" in a .msl peak line";
		if (tokens != 2)
			return "a .msl peak \"( mz intensity )\" must hold exactly two numbers";
		text[i++] = ' ';
	}
	return NULL;
}

/*
 * Give up on the current record: free it and skip its remaining lines, up
 * to a blank line or (once peak lines were seen) the next header line.
 */
static SpectrumReadStatus
skip_record(MspReader *reader, SpectrumRecord *record, bool at_peak_line)
{
	bool		seen_peaks = at_peak_line || record->n_peaks > 0;
	TextLine	line;

	spectrum_record_free(record);
	for (;;)
	{
		LineCursor	before = reader->lines;
		MspLineKind kind;

		kernel_check_interrupts();
		if (!line_cursor_next(&reader->lines, &line))
			break;
		kind = classify(line);
		if (kind == MSP_BLANK)
			break;
		if (kind == MSP_HEADER && seen_peaks)
		{
			reader->lines = before;
			break;
		}
		seen_peaks |= kind == MSP_PEAKS;
	}
	return SPECTRUM_READ_ERROR;
}

static SpectrumReadStatus
finish_record(SpectrumRecord *record, const MspRecordState *state, SpectrumReadError *error)
{
	if (state->declared_peaks < 0)
		spectrum_read_error(error, record->ordinal, record->first_line,
							"record has no \"Num Peaks\" line");
	else if (state->declared_peaks != record->n_peaks)
		spectrum_read_error(error, record->ordinal, state->declared_line,
							"\"Num Peaks\" is %d but %d peak(s) follow",
							state->declared_peaks, record->n_peaks);
	else
	{
		spectrum_record_finish(record, msp_name_keys);
		return SPECTRUM_READ_RECORD;
	}
	spectrum_record_free(record);
	return SPECTRUM_READ_ERROR;
}

static void
open_record(MspReader *reader, SpectrumRecord *record, MspRecordState *state, int line)
{
	spectrum_record_init(record, ++reader->records, line);
	state->open = true;
}

SpectrumReadStatus
msp_read_next(MspReader *reader, SpectrumRecord *record, SpectrumReadError *error)
{
	MspRecordState state = {false, -1, 0};
	TextLine	line;

	for (;;)
	{
		LineCursor	before = reader->lines;
		const char *colon;
		const char *peak_text;

		kernel_check_interrupts();
		if (!line_cursor_next(&reader->lines, &line))
			return state.open ? finish_record(record, &state, error) : SPECTRUM_READ_END;
		switch (classify(line))
		{
			case MSP_BLANK:
				if (state.open)
					return finish_record(record, &state, error);
				continue;
			case MSP_COMMENT:
				continue;
			case MSP_HEADER:
				if (state.open && (record->n_peaks > 0 ||
								   (state.declared_peaks >= 0 && record->n_peaks >= state.declared_peaks)))
				{
					/* the next record starts without a blank line before it */
					reader->lines = before;
					return finish_record(record, &state, error);
				}
				if (!state.open)
					open_record(reader, record, &state, line.number);
				colon = memchr(line.text, ':', line.len);
				if (colon == NULL || line_is_blank((TextLine) {line.text, (size_t) (colon - line.text), 0}))
				{
					spectrum_read_error(error, record->ordinal, line.number,
										"expected a \"key: value\" header or a peak line");
					return skip_record(reader, record, false);
				}
				if (memchr(line.text, '\0', line.len) != NULL)
				{
					spectrum_read_error(error, record->ordinal, line.number, "NUL byte in header line");
					return skip_record(reader, record, false);
				}
				spectrum_record_add_field(record, line.text, (size_t) (colon - line.text),
										  colon + 1, line.len - (size_t) (colon + 1 - line.text));
				if (field_key_is(record->fields[record->n_fields - 1].key, "numpeaks"))
				{
					if (state.declared_peaks >= 0)
					{
						spectrum_read_error(error, record->ordinal, line.number,
											"second \"Num Peaks\" line in one record");
						return skip_record(reader, record, false);
					}
					if (!parse_peak_count(record->fields[record->n_fields - 1].value, &state.declared_peaks))
					{
						spectrum_read_error(error, record->ordinal, line.number,
											"\"Num Peaks\" must be an integer from 0 to %d",
											SPECTRUM_MAX_PEAKS);
						return skip_record(reader, record, false);
					}
					state.declared_line = line.number;
				}
				continue;
			case MSP_PEAKS:
				if (!state.open)
				{
					open_record(reader, record, &state, line.number);
					spectrum_read_error(error, record->ordinal, line.number,
										"peak line without a record header (\"Name: ...\") before it");
					return skip_record(reader, record, true);
				}
				peak_text = peak_line_without_annotations(reader, line);
				if (peak_text == NULL)
				{
					spectrum_read_error(error, record->ordinal, line.number,
										"unterminated quoted peak annotation");
					return skip_record(reader, record, true);
				}
				if (is_msl_peak_line(line_trimmed(line)))
				{
					size_t		column = 0;
					const char *problem = msl_blank_parentheses(reader->peak_line.data, line.len, &column);

					if (problem != NULL)
					{
						spectrum_read_error(error, record->ordinal, line.number, "%s at column %zu",
											problem, column);
						return skip_record(reader, record, true);
					}
				}
				if (!spectrum_record_add_peak_line(record, peak_text, line.len, line.number, error))
					return skip_record(reader, record, true);
				continue;
		}
	}
}
