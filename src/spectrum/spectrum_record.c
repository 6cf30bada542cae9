/*
 * spectrum_record.c: records, line reading and field conventions shared by
 * the MSP and MGF readers (see spectrum_record.h).
 */
#include "spectrum_record.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "peak_text.h"

void
line_cursor_init(LineCursor *cursor, const char *text, size_t len)
{
	cursor->text = text;
	cursor->len = len;
	cursor->pos = 0;
	cursor->line = 0;
	/* a UTF-8 byte order mark is not content */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		cursor->pos = 3;
}

bool
line_cursor_next(LineCursor *cursor, TextLine *line)
{
	size_t		start = cursor->pos;
	size_t		end = start;

	if (start >= cursor->len)
		return false;
	while (end < cursor->len && cursor->text[end] != '\n' && cursor->text[end] != '\r')
		end++;
	cursor->pos = end;
	if (cursor->pos < cursor->len && cursor->text[cursor->pos] == '\r')
		cursor->pos++;
	if (cursor->pos < cursor->len && cursor->text[cursor->pos] == '\n')
		cursor->pos++;
	cursor->line++;
	line->text = cursor->text + start;
	line->len = end - start;
	line->number = cursor->line;
	return true;
}

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v';
}

TextLine
line_trimmed(TextLine line)
{
	while (line.len > 0 && is_blank(line.text[0]))
	{
		line.text++;
		line.len--;
	}
	while (line.len > 0 && is_blank(line.text[line.len - 1]))
		line.len--;
	return line;
}

bool
line_is_blank(TextLine line)
{
	return line_trimmed(line).len == 0;
}

char *
line_buffer_copy(LineBuffer *buffer, TextLine line)
{
	if (buffer->capacity < line.len + 1)
	{
		kernel_free(buffer->data);
		buffer->capacity = line.len + 1 > 2 * buffer->capacity ? line.len + 1 : 2 * buffer->capacity;
		buffer->data = kernel_alloc(buffer->capacity);
	}
	memcpy(buffer->data, line.text, line.len);
	buffer->data[line.len] = '\0';
	return buffer->data;
}

void
line_buffer_free(LineBuffer *buffer)
{
	kernel_free(buffer->data);
	buffer->data = NULL;
	buffer->capacity = 0;
}

bool
line_starts_with_number(TextLine line)
{
	TextLine	t = line_trimmed(line);
	size_t		i = 0;

	if (t.len > 0 && (t.text[0] == '+' || t.text[0] == '-'))
		i = 1;
	return i < t.len && (is_digit(t.text[i]) || t.text[i] == '.');
}

/* ASCII only, whatever the locale, so results never depend on it. */
static char
ascii_lower(char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (char) (ch - 'A' + 'a') : ch;
}

static bool
is_ignored_in_key(char ch)
{
	return ch == ' ' || ch == '_' || ch == '-' || ch == '/';
}

bool
field_key_is(const char *key, const char *canonical)
{
	for (;;)
	{
		while (is_ignored_in_key(*key))
			key++;
		if (*key == '\0' || *canonical == '\0')
			return *key == '\0' && *canonical == '\0';
		if (ascii_lower(*key) != *canonical)
			return false;
		key++;
		canonical++;
	}
}

static const char *
skip_digits(const char *s)
{
	while (is_digit(*s))
		s++;
	return s;
}

bool
field_value_is_number(const char *value)
{
	const char *s = value;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (is_digit(*s))
		s = skip_digits(s);
	else
		return false;
	if (*s == '.')
	{
		if (!is_digit(s[1]))
			return false;
		s = skip_digits(s + 1);
	}
	return *s == '\0';
}

void
spectrum_record_init(SpectrumRecord *record, int ordinal, int first_line)
{
	memset(record, 0, sizeof(*record));
	record->ordinal = ordinal;
	record->first_line = first_line;
}

static char *
copy_text(const char *text, size_t len, bool lower)
{
	char	   *copy = kernel_alloc(len + 1);

	for (size_t i = 0; i < len; i++)
		copy[i] = lower ? ascii_lower(text[i]) : text[i];
	copy[len] = '\0';
	return copy;
}

/* Grow an array of elem_size items to hold one more, doubling its capacity. */
static void *
grow(void *items, int count, int *capacity, size_t elem_size)
{
	int			new_capacity;
	void	   *grown;

	if (count < *capacity)
		return items;
	new_capacity = *capacity ? *capacity * 2 : 16;
	grown = kernel_alloc_array((size_t) new_capacity, elem_size);
	if (count > 0)
		memcpy(grown, items, elem_size * (size_t) count);
	kernel_free(items);
	*capacity = new_capacity;
	return grown;
}

void
spectrum_record_add_field(SpectrumRecord *record, const char *key, size_t key_len,
						  const char *value, size_t value_len)
{
	TextLine	k = line_trimmed((TextLine) {key, key_len, 0});
	TextLine	v = line_trimmed((TextLine) {value, value_len, 0});
	SpectrumField *field;

	record->fields = grow(record->fields, record->n_fields, &record->fields_capacity,
						  sizeof(SpectrumField));
	field = &record->fields[record->n_fields++];
	field->key = copy_text(k.text, k.len, true);
	field->value = copy_text(v.text, v.len, false);
}

bool
spectrum_record_add_peak_line(SpectrumRecord *record, const char *text, size_t len,
							  int line_number, SpectrumReadError *error)
{
	Peak	   *peaks;
	int			n;
	PeakTextError peak_error;

	if (peaks_parse_text(text, len, &peaks, &n, &peak_error) != PEAK_TEXT_OK)
	{
		spectrum_read_error(error, record->ordinal, line_number, "%s at column %d",
							peak_error.message, peak_error.column);
		return false;
	}
	if (n > SPECTRUM_MAX_PEAKS - record->n_peaks)
	{
		kernel_free(peaks);
		spectrum_read_error(error, record->ordinal, line_number,
							"more than %d peaks in one spectrum", SPECTRUM_MAX_PEAKS);
		return false;
	}
	for (int i = 0; i < n; i++)
	{
		record->peaks = grow(record->peaks, record->n_peaks, &record->peaks_capacity, sizeof(Peak));
		record->peaks[record->n_peaks++] = peaks[i];
	}
	kernel_free(peaks);
	return true;
}

/* The first number of a precursor value ("183.06", "183.06 1200", "(183.06, 1200)"). */
static bool
parse_precursor(const char *value, double *mz)
{
	char		token[64];
	size_t		n = 0;
	char	   *end;

	while (*value == ' ' || *value == '(' || *value == '\t')
		value++;
	while (value[n] != '\0' && value[n] != ' ' && value[n] != '\t' &&
		   value[n] != ',' && value[n] != ')' && n < sizeof(token) - 1)
	{
		token[n] = value[n];
		n++;
	}
	token[n] = '\0';
	if (n == 0)
		return false;
	*mz = strtod(token, &end);
	return *end == '\0' && isfinite(*mz) && *mz > 0;
}

void
spectrum_record_finish(SpectrumRecord *record, const char *const *name_keys)
{
	for (int k = 0; name_keys[k] != NULL && record->name == NULL; k++)
	{
		for (int i = 0; i < record->n_fields; i++)
		{
			if (strcmp(record->fields[i].key, name_keys[k]) == 0)
			{
				record->name = record->fields[i].value;
				break;
			}
		}
	}
	for (int i = 0; i < record->n_fields && !record->has_precursor_mz; i++)
	{
		const char *key = record->fields[i].key;

		if (field_key_is(key, "precursormz") || field_key_is(key, "pepmass"))
			record->has_precursor_mz = parse_precursor(record->fields[i].value, &record->precursor_mz);
	}
	peaks_sort_by_mz(record->peaks, record->n_peaks);
}

void
spectrum_record_free(SpectrumRecord *record)
{
	for (int i = 0; i < record->n_fields; i++)
	{
		kernel_free(record->fields[i].key);
		kernel_free(record->fields[i].value);
	}
	kernel_free(record->fields);
	kernel_free(record->peaks);
	memset(record, 0, sizeof(*record));
}

void
spectrum_read_error(SpectrumReadError *error, int record, int line, const char *format,...)
{
	va_list		args;

	error->record = record;
	error->line = line;
	va_start(args, format);
	vsnprintf(error->message, sizeof(error->message), format, args);
	va_end(args);
}
