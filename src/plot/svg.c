/*
 * svg.c: standalone SVG 1.1 documents (svg.h).
 */
#include "svg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"

static void
reserve(Svg *svg, size_t more)
{
	char	   *grown;
	size_t		capacity;

	if (svg->length + more + 1 <= svg->capacity)
		return;
	capacity = svg->capacity < 4096 ? 4096 : svg->capacity;
	while (capacity < svg->length + more + 1)
		capacity *= 2;
	grown = kernel_alloc(capacity);
	if (svg->length > 0)
		memcpy(grown, svg->data, svg->length);
	if (svg->data != NULL)
		kernel_free(svg->data);
	svg->data = grown;
	svg->capacity = capacity;
}

static void
append(Svg *svg, const char *bytes, size_t n)
{
	reserve(svg, n);
	memcpy(svg->data + svg->length, bytes, n);
	svg->length += n;
	svg->data[svg->length] = '\0';
}

static void appendf(Svg *svg, const char *format,...) __attribute__((format(printf, 2, 3)));

static void
appendf(Svg *svg, const char *format,...)
{
	char		buffer[256];
	va_list		args;
	int			n;

	va_start(args, format);
	n = vsnprintf(buffer, sizeof(buffer), format, args);
	va_end(args);
	append(svg, buffer, n < 0 ? 0 : (size_t) n < sizeof(buffer) ? (size_t) n : sizeof(buffer) - 1);
}

void
svg_raw(Svg *svg, const char *markup)
{
	append(svg, markup, strlen(markup));
}

void
svg_escaped(Svg *svg, const char *text)
{
	for (const unsigned char *c = (const unsigned char *) text; *c != '\0'; c++)
	{
		switch (*c)
		{
			case '&':
				svg_raw(svg, "&amp;");
				break;
			case '<':
				svg_raw(svg, "&lt;");
				break;
			case '>':
				svg_raw(svg, "&gt;");
				break;
			case '"':
				svg_raw(svg, "&quot;");
				break;
			case '\'':
				svg_raw(svg, "&apos;");
				break;
			default:
				/* XML 1.0 allows no control characters but tab, newline and return */
				if (*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r')
					svg_raw(svg, "?");
				else
					append(svg, (const char *) c, 1);
		}
	}
}

void
svg_begin(Svg *svg, double width, double height, const char *title)
{
	svg->data = NULL;
	svg->length = 0;
	svg->capacity = 0;
	appendf(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" height=\"%.0f\" "
			"viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"11\">\n",
			width, height, width, height);
	svg_raw(svg, "<title>");
	svg_escaped(svg, title);
	svg_raw(svg, "</title>\n<style>"
			".axis{stroke:#333;stroke-width:1}.tick{stroke:#999;stroke-width:0.5}"
			".peak,.bar,.whisker,.median{stroke:#1f4e79;stroke-width:1.2}"
			".peak.matched,.bar.matched{stroke:#c0392b;stroke-width:1.6}"
			".bar{fill:#9dc3e6}.box{fill:#dbe9f6;stroke:#1f4e79}.share{fill:#c0392b}"
			".outlier{fill:none;stroke:#c0392b}.series{fill:none;stroke:#1f4e79;stroke-width:1}"
			".label{fill:#333}.heading{font-weight:bold}"
			"</style>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
}

void
svg_end(Svg *svg)
{
	svg_raw(svg, "</svg>\n");
}

void
svg_free(Svg *svg)
{
	if (svg->data != NULL)
		kernel_free(svg->data);
	svg->data = NULL;
	svg->length = svg->capacity = 0;
}

void
svg_line(Svg *svg, const char *class_name, double x1, double y1, double x2, double y2)
{
	appendf(svg, "<line class=\"%s\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
			class_name, x1, y1, x2, y2);
}

void
svg_rect(Svg *svg, const char *class_name, double x, double y, double width, double height)
{
	appendf(svg, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n",
			class_name, x, y, width, height);
}

void
svg_circle(Svg *svg, const char *class_name, double cx, double cy, double r)
{
	appendf(svg, "<circle class=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\"/>\n", class_name, cx, cy, r);
}

void
svg_text(Svg *svg, const char *class_name, double x, double y, const char *anchor, const char *text)
{
	appendf(svg, "<text class=\"%s\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\">", class_name, x, y, anchor);
	svg_escaped(svg, text);
	svg_raw(svg, "</text>\n");
}

void
svg_text_rotated(Svg *svg, const char *class_name, double x, double y, double angle, const char *text)
{
	appendf(svg, "<text class=\"%s\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" "
			"transform=\"rotate(%.1f %.2f %.2f)\">", class_name, x, y, angle, x, y);
	svg_escaped(svg, text);
	svg_raw(svg, "</text>\n");
}

void
svg_polyline(Svg *svg, const char *class_name, const double *x, const double *y, size_t n)
{
	appendf(svg, "<polyline class=\"%s\" points=\"", class_name);
	for (size_t i = 0; i < n; i++)
	{
		if ((i & 1023) == 1023)
			kernel_check_interrupts();
		appendf(svg, "%s%.2f,%.2f", i > 0 ? " " : "", x[i], y[i]);
	}
	svg_raw(svg, "\"/>\n");
}
