// SPDX-License-Identifier: MIT
/* svg.c - a small SVG writer: shapes in whole pixels, text escaped */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "emu/cli/svg.h"

/* A coordinate rounded to a whole pixel, never "-0". */
static long svg_px(double v)
{
	long n = lround(v);

	return n == 0 ? 0 : n;
}

static void svg_cls(struct svg *g, const char *cls)
{
	if (cls)
		fprintf(g->f, " class=\"%s\"", cls);
}

int svg_open(struct svg *g, const char *path, int width, int height)
{
	g->err = 0;
	g->f = fopen(path, "w");
	if (!g->f)
		return -errno;
	fprintf(g->f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		width, height, width, height);
	return 0;
}

int svg_close(struct svg *g)
{
	int err = g->err;

	fprintf(g->f, "</svg>\n");
	if (ferror(g->f) && !err)
		err = -EIO;
	if (fclose(g->f) != 0 && !err)
		err = -errno;
	g->f = NULL;
	return err;
}

void svg_style(struct svg *g, const char *css)
{
	fprintf(g->f, "<style>\n%s</style>\n", css);
}

void svg_group_begin(struct svg *g, const char *cls)
{
	fprintf(g->f, "<g");
	svg_cls(g, cls);
	fprintf(g->f, ">\n");
}

void svg_group_end(struct svg *g)
{
	fprintf(g->f, "</g>\n");
}

void svg_line(struct svg *g, const char *cls, double x1, double y1,
	      double x2, double y2)
{
	fprintf(g->f, "<line");
	svg_cls(g, cls);
	fprintf(g->f, " x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\"/>\n",
		svg_px(x1), svg_px(y1), svg_px(x2), svg_px(y2));
}

void svg_circle(struct svg *g, const char *cls, double cx, double cy,
		double r)
{
	fprintf(g->f, "<circle");
	svg_cls(g, cls);
	fprintf(g->f, " cx=\"%ld\" cy=\"%ld\" r=\"%g\"/>\n", svg_px(cx),
		svg_px(cy), r);
}

void svg_rect(struct svg *g, const char *cls, double x, double y, double w,
	      double h)
{
	fprintf(g->f, "<rect");
	svg_cls(g, cls);
	fprintf(g->f, " x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\"/>\n",
		svg_px(x), svg_px(y), svg_px(w), svg_px(h));
}

void svg_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			fputc(*s, f);
			break;
		}
	}
}

void svg_text(struct svg *g, const char *cls, double x, double y,
	      const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(g->f, "<text");
	svg_cls(g, cls);
	fprintf(g->f, " x=\"%ld\" y=\"%ld\">", svg_px(x), svg_px(y));
	svg_escape(g->f, buf);
	fprintf(g->f, "</text>\n");
}

void svg_path_begin(struct svg *g, const char *cls)
{
	fprintf(g->f, "<path");
	svg_cls(g, cls);
	fprintf(g->f, " d=\"");
}

void svg_path_move(struct svg *g, double x, double y)
{
	fprintf(g->f, "M%ld %ld", svg_px(x), svg_px(y));
}

void svg_path_line(struct svg *g, double x, double y)
{
	fprintf(g->f, "L%ld %ld", svg_px(x), svg_px(y));
}

void svg_path_end(struct svg *g)
{
	fprintf(g->f, "\"/>\n");
}
