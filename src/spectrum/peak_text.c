/*
 * peak_text.c: parser for textual peak lists (see peak_text.h).
 */
#include "peak_text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#define MAX_NUMBER_CHARS 63

typedef struct Cursor
{
	const char *text;
	size_t		len;
	size_t		pos;
	int			line;
	size_t		line_start;
} Cursor;

static int
column_of(const Cursor *c, size_t pos)
{
	return (int) (pos - c->line_start) + 1;
}

static PeakTextStatus
fail(PeakTextError *error, const Cursor *c, size_t pos, int peak,
	 PeakTextStatus status, const char *what)
{
	error->line = c->line;
	error->column = column_of(c, pos);
	error->peak = peak;
	snprintf(error->message, sizeof(error->message), "%s", what);
	return status;
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

static bool
is_separator(char ch)
{
	return is_space(ch) || ch == ',' || ch == ';' || ch == '\n';
}

/* Skip blanks (and, when crossing_lines, newlines, ',' and ';'). */
static void
skip(Cursor *c, bool crossing_lines)
{
	while (c->pos < c->len)
	{
		char		ch = c->text[c->pos];

		if (ch == '\n' && crossing_lines)
		{
			c->line++;
			c->line_start = c->pos + 1;
		}
		else if (!(crossing_lines ? is_separator(ch) : is_space(ch)))
			break;
		c->pos++;
	}
}

/* Read one number token ending at a separator, ':' or the end. */
static PeakTextStatus
read_number(Cursor *c, int peak, double *value, PeakTextError *error)
{
	char		buf[MAX_NUMBER_CHARS + 1];
	size_t		start = c->pos;
	size_t		n;
	char	   *end;

	while (c->pos < c->len && !is_separator(c->text[c->pos]) && c->text[c->pos] != ':')
		c->pos++;
	n = c->pos - start;
	if (n == 0)
		return fail(error, c, start, peak, PEAK_TEXT_SYNTAX, "expected a number");
	if (n > MAX_NUMBER_CHARS)
		return fail(error, c, start, peak, PEAK_TEXT_SYNTAX, "number too long");
	memcpy(buf, c->text + start, n);
	buf[n] = '\0';
	errno = 0;
	*value = strtod(buf, &end);
	if (end != buf + n || memchr(buf, '\0', n) != NULL)
		return fail(error, c, start, peak, PEAK_TEXT_SYNTAX, "not a number");
	/* strtod also reads hexadecimal ("0x10" is 16); numbers here are decimal */
	if (strpbrk(buf, "xX") != NULL)
		return fail(error, c, start, peak, PEAK_TEXT_SYNTAX, "hexadecimal numbers are not allowed");
	/* like float8in: overflow, and underflow to zero, are out of range */
	if (errno == ERANGE && (*value == 0.0 || isinf(*value)))
		return fail(error, c, start, peak, PEAK_TEXT_OUT_OF_RANGE,
					"number out of range for double precision");
	/* strtod also accepts "nan" and "inf" spelled out */
	if (isnan(*value) || isinf(*value))
		return fail(error, c, start, peak, PEAK_TEXT_BAD_VALUE, "NaN and infinity are not allowed");
	return PEAK_TEXT_OK;
}

static PeakTextStatus
append(Peak **peaks, int *n, int *capacity, Peak p)
{
	if (*n == *capacity)
	{
		int			new_capacity = *capacity ? *capacity * 2 : 16;
		Peak	   *grown;

		if (*capacity >= SPECTRUM_MAX_PEAKS)
			return PEAK_TEXT_TOO_MANY;
		if (new_capacity > SPECTRUM_MAX_PEAKS)
			new_capacity = SPECTRUM_MAX_PEAKS;
		grown = kernel_alloc_array((size_t) new_capacity, sizeof(Peak));
		if (*n > 0)
			memcpy(grown, *peaks, sizeof(Peak) * (size_t) *n);
		kernel_free(*peaks);
		*peaks = grown;
		*capacity = new_capacity;
	}
	(*peaks)[(*n)++] = p;
	return PEAK_TEXT_OK;
}

PeakTextStatus
peaks_parse_text(const char *text, size_t len, Peak **peaks_out, int *n_out,
				 PeakTextError *error)
{
	Cursor		c = {text, len, 0, 1, 0};
	bool		colon_form = memchr(text, ':', len) != NULL;
	Peak	   *peaks = NULL;
	int			n = 0,
				capacity = 0;
	PeakTextStatus status = PEAK_TEXT_OK;

	memset(error, 0, sizeof(*error));
	for (;;)
	{
		Peak		p;
		size_t		pair_start;

		skip(&c, true);
		if (c.pos >= c.len)
			break;
		pair_start = c.pos;
		if ((status = read_number(&c, n + 1, &p.mz, error)) != PEAK_TEXT_OK)
			break;
		skip(&c, false);
		if (colon_form)
		{
			if (c.pos >= c.len || c.text[c.pos] != ':')
			{
				status = fail(error, &c, c.pos, n + 1, PEAK_TEXT_SYNTAX,
							  "expected \":\" between m/z and intensity");
				break;
			}
			c.pos++;
			skip(&c, false);
		}
		else if (c.pos < c.len && (c.text[c.pos] == ',' || c.text[c.pos] == ';'))
		{
			/* "mz, intensity" inside one pair reads naturally; allow it */
			c.pos++;
			skip(&c, false);
		}
		if (c.pos >= c.len || c.text[c.pos] == '\n')
		{
			status = fail(error, &c, pair_start, n + 1, PEAK_TEXT_SYNTAX,
						  "m/z without intensity");
			break;
		}
		if ((status = read_number(&c, n + 1, &p.intensity, error)) != PEAK_TEXT_OK)
			break;
		if (p.mz <= 0)
		{
			status = fail(error, &c, pair_start, n + 1, PEAK_TEXT_BAD_VALUE, "m/z must be greater than 0");
			break;
		}
		if (p.intensity < 0)
		{
			status = fail(error, &c, pair_start, n + 1, PEAK_TEXT_BAD_VALUE, "intensity must not be negative");
			break;
		}
		if (c.pos < c.len && c.text[c.pos] == ':')
		{
			status = fail(error, &c, c.pos, n + 1, PEAK_TEXT_SYNTAX, "unexpected \":\"");
			break;
		}
		if ((status = append(&peaks, &n, &capacity, p)) != PEAK_TEXT_OK)
		{
			fail(error, &c, pair_start, n + 1, status, "too many peaks");
			break;
		}
	}
	if (status != PEAK_TEXT_OK)
	{
		kernel_free(peaks);
		*peaks_out = NULL;
		*n_out = 0;
		return status;
	}
	*peaks_out = peaks;
	*n_out = n;
	return PEAK_TEXT_OK;
}
