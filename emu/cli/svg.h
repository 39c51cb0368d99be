/* SPDX-License-Identifier: MIT */
/* svg.h - a small SVG writer: shapes in whole pixels, text escaped */
#ifndef EMU_SVG_H
#define EMU_SVG_H

#include <stdio.h>

/*
 * One SVG file being written. Coordinates are pixels, written rounded to
 * whole pixels (what a picture needs, and a third of the bytes of
 * decimals). Write errors are kept in err and returned by svg_close(), so
 * drawing code needs no checks. cls names a class of the style sheet
 * (svg_style), or NULL for none.
 */
struct svg {
	FILE *f;
	int err;		/* first error, -errno */
};

/* Create path and write the header of a width x height picture. 0 or -errno. */
int svg_open(struct svg *g, const char *path, int width, int height);
/* Close the picture and the file: 0 or the first error, -errno. */
int svg_close(struct svg *g);

/* A style sheet (CSS) for the classes, written as it is. */
void svg_style(struct svg *g, const char *css);
void svg_group_begin(struct svg *g, const char *cls);
void svg_group_end(struct svg *g);

void svg_line(struct svg *g, const char *cls, double x1, double y1,
	      double x2, double y2);
void svg_circle(struct svg *g, const char *cls, double cx, double cy,
		double r);
void svg_rect(struct svg *g, const char *cls, double x, double y, double w,
	      double h);
/* Text at x, y (its anchor by the class's text-anchor), escaped. */
void svg_text(struct svg *g, const char *cls, double x, double y,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * One <path> of straight segments: begin, then moves (start a piece) and
 * lines (draw to the point), then end.
 */
void svg_path_begin(struct svg *g, const char *cls);
void svg_path_move(struct svg *g, double x, double y);
void svg_path_line(struct svg *g, double x, double y);
void svg_path_end(struct svg *g);

/* Write s with &, <, >, " and ' escaped as XML wants. */
void svg_escape(FILE *f, const char *s);

#endif
