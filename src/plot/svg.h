/*
 * svg.h: a small writer of standalone SVG 1.1 documents.
 *
 * Text is escaped for XML (& < > " ') and characters XML 1.0 forbids are
 * replaced by '?', so names and titles that come from users are safe.  The
 * document grows in memory from kernel_alloc (kernel.h); numbers are written
 * with 2 decimals, enough for a drawing.
 */
#ifndef CHEMECO_SVG_H
#define CHEMECO_SVG_H

#include <stddef.h>

typedef struct Svg
{
	char	   *data;
	size_t		length;
	size_t		capacity;
} Svg;

/* Starts a document of width x height user units with a <title>. */
extern void svg_begin(Svg *svg, double width, double height, const char *title);
/* Ends the document; svg->data is then a NUL-terminated string. */
extern void svg_end(Svg *svg);
extern void svg_free(Svg *svg);

/* Appends raw markup (no escaping: only for fixed strings of the caller's). */
extern void svg_raw(Svg *svg, const char *markup);
/* Appends text, escaped. */
extern void svg_escaped(Svg *svg, const char *text);

/* class names the mark so that tests and stylesheets can find it. */
extern void svg_line(Svg *svg, const char *class_name, double x1, double y1, double x2, double y2);
extern void svg_rect(Svg *svg, const char *class_name, double x, double y, double width, double height);
extern void svg_circle(Svg *svg, const char *class_name, double cx, double cy, double r);
/* anchor: "start", "middle" or "end". */
extern void svg_text(Svg *svg, const char *class_name, double x, double y, const char *anchor,
					 const char *text);
/* The same turned by angle degrees (e.g. -60 for labels under a crowded axis). */
extern void svg_text_rotated(Svg *svg, const char *class_name, double x, double y, double angle,
							 const char *text);
/* A polyline through n points. */
extern void svg_polyline(Svg *svg, const char *class_name, const double *x, const double *y, size_t n);

#endif
