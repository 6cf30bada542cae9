/*
 * mgf.c: MGF reader (see mgf.h).
 */
#include "mgf.h"

#include <string.h>
#include <strings.h>

#include "kernel.h"

typedef enum MgfLineKind
{
	MGF_BLANK,
	MGF_COMMENT,
	MGF_BEGIN,
	MGF_END,
	MGF_HEADER,
	MGF_PEAKS,
	MGF_OTHER
} MgfLineKind;

static const char *const mgf_name_keys[] = {"name", "title", NULL};

void
mgf_reader_init(MgfReader *reader, const char *text, size_t len)
{
	memset(reader, 0, sizeof(*reader));
	line_cursor_init(&reader->lines, text, len);
}

void
mgf_reader_free(MgfReader *reader)
{
	spectrum_record_free(&reader->globals);
	line_buffer_free(&reader->peak_line);
}

static bool
is_keyword(TextLine t, const char *keyword)
{
	return t.len == strlen(keyword) && strncasecmp(t.text, keyword, t.len) == 0;
}

static MgfLineKind
classify(TextLine line)
{
	TextLine	t = line_trimmed(line);
	const char *equals;

	if (t.len == 0)
		return MGF_BLANK;
	if (t.text[0] == '#' || t.text[0] == ';' || t.text[0] == '!' || t.text[0] == '/')
		return MGF_COMMENT;
	if (is_keyword(t, "BEGIN IONS"))
		return MGF_BEGIN;
	if (is_keyword(t, "END IONS"))
		return MGF_END;
	if (line_starts_with_number(t))
		return MGF_PEAKS;
	equals = memchr(t.text, '=', t.len);
	if (equals != NULL && equals > t.text && memchr(t.text, '\0', t.len) == NULL)
		return MGF_HEADER;
	return MGF_OTHER;
}

static void
add_header(SpectrumRecord *record, TextLine line)
{
	const char *equals = memchr(line.text, '=', line.len);

	spectrum_record_add_field(record, line.text, (size_t) (equals - line.text),
							  equals + 1, line.len - (size_t) (equals + 1 - line.text));
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v';
}

static bool
is_charge(const char *token, size_t len)
{
	size_t		digits_start = 0,
				digits_end = len;

	if (len > 0 && (token[0] == '+' || token[0] == '-'))
		digits_start = 1;
	else if (len > 0 && (token[len - 1] == '+' || token[len - 1] == '-'))
		digits_end = len - 1;
	if (digits_start >= digits_end)
		return false;
	for (size_t i = digits_start; i < digits_end; i++)
		if (token[i] < '0' || token[i] > '9')
			return false;
	return true;
}

/* A copy of a peak line; a third token that is a charge ("2+") is blanked. */
static char *
peak_line_without_charge(MgfReader *reader, TextLine line)
{
	char	   *copy = line_buffer_copy(&reader->peak_line, line);
	size_t		start[4],
				end[4];
	int			n_tokens = 0;
	size_t		i = 0;

	while (n_tokens < 4)
	{
		while (i < line.len && is_blank(copy[i]))
			i++;
		if (i == line.len)
			break;
		start[n_tokens] = i;
		while (i < line.len && !is_blank(copy[i]))
			i++;
		end[n_tokens++] = i;
	}
	if (n_tokens == 3 && is_charge(copy + start[2], end[2] - start[2]))
		memset(copy + start[2], ' ', end[2] - start[2]);
	return copy;
}

/* Give up on the current record: free it and skip to its END IONS. */
static SpectrumReadStatus
skip_record(MgfReader *reader, SpectrumRecord *record)
{
	TextLine	line;

	spectrum_record_free(record);
	for (;;)
	{
		LineCursor	before = reader->lines;
		MgfLineKind kind;

		kernel_check_interrupts();
		if (!line_cursor_next(&reader->lines, &line))
			break;
		kind = classify(line);
		if (kind == MGF_END)
			break;
		if (kind == MGF_BEGIN)
		{
			reader->lines = before;
			break;
		}
	}
	return SPECTRUM_READ_ERROR;
}

static bool
has_field(const SpectrumField *fields, int n_fields, const char *key)
{
	for (int i = 0; i < n_fields; i++)
		if (strcmp(fields[i].key, key) == 0)
			return true;
	return false;
}

/* The record takes every global parameter it does not set itself. */
static void
add_globals(const MgfReader *reader, SpectrumRecord *record)
{
	int			own_fields = record->n_fields;

	for (int g = 0; g < reader->globals.n_fields; g++)
	{
		const SpectrumField *global = &reader->globals.fields[g];

		kernel_check_interrupts();
		if (!has_field(record->fields, own_fields, global->key))
			spectrum_record_add_field(record, global->key, strlen(global->key),
									  global->value, strlen(global->value));
	}
}

SpectrumReadStatus
mgf_read_next(MgfReader *reader, SpectrumRecord *record, SpectrumReadError *error)
{
	bool		open = false;
	TextLine	line;

	for (;;)
	{
		LineCursor	before = reader->lines;
		MgfLineKind kind;

		kernel_check_interrupts();
		if (!line_cursor_next(&reader->lines, &line))
		{
			if (!open)
				return SPECTRUM_READ_END;
			spectrum_read_error(error, record->ordinal, record->first_line,
								"BEGIN IONS without END IONS");
			spectrum_record_free(record);
			return SPECTRUM_READ_ERROR;
		}
		kind = classify(line);
		if (!open)
		{
			switch (kind)
			{
				case MGF_BLANK:
				case MGF_COMMENT:
					continue;
				case MGF_BEGIN:
					spectrum_record_init(record, ++reader->records, line.number);
					open = true;
					continue;
				case MGF_HEADER:
					add_header(&reader->globals, line);
					continue;
				default:
					spectrum_read_error(error, 0, line.number,
										"expected BEGIN IONS or a global KEY=VALUE parameter");
					return SPECTRUM_READ_ERROR;
			}
		}
		switch (kind)
		{
			case MGF_BLANK:
			case MGF_COMMENT:
				continue;
			case MGF_END:
				add_globals(reader, record);
				spectrum_record_finish(record, mgf_name_keys);
				return SPECTRUM_READ_RECORD;
			case MGF_BEGIN:
				spectrum_read_error(error, record->ordinal, line.number,
									"BEGIN IONS before the END IONS of the record");
				spectrum_record_free(record);
				reader->lines = before;
				return SPECTRUM_READ_ERROR;
			case MGF_HEADER:
				add_header(record, line);
				continue;
			case MGF_PEAKS:
				if (!spectrum_record_add_peak_line(record, peak_line_without_charge(reader, line),
												   line.len, line.number, error))
					return skip_record(reader, record);
				continue;
			case MGF_OTHER:
				spectrum_read_error(error, record->ordinal, line.number,
									"expected a KEY=VALUE header, a peak line or END IONS");
				return skip_record(reader, record);
		}
	}
}
