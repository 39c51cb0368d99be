// SPDX-License-Identifier: MIT
/* plot.c - RTT against time as an SVG line chart, for path --plot */
#include <math.h>
#include <stdio.h>

#include "emu/cli/plot.h"
#include "emu/cli/svg.h"

#define PLOT_W 900
#define PLOT_H 440
#define PLOT_LEFT 70		/* the plot area inside the picture */
#define PLOT_RIGHT (PLOT_W - 24)
#define PLOT_TOP 40
#define PLOT_BOTTOM (PLOT_H - 72)
#define PLOT_TICKS 8		/* at most, per axis */

static const char plot_css[] =
	"text{font:13px sans-serif;fill:#222}\n"
	".title{font-weight:bold}\n"
	".xl{text-anchor:middle}\n"
	".yl{text-anchor:end}\n"
	".axis{stroke:#222;stroke-width:1}\n"
	".tick{stroke:#222;stroke-width:1}\n"
	".grid{stroke:#ddd;stroke-width:1}\n"
	".change{stroke:#e0108a;stroke-width:1;stroke-dasharray:3 3}\n"
	".rtt{fill:none;stroke:#1d3f8f;stroke-width:1.5}\n"
	".pt{fill:#1d3f8f}\n"
	".none{fill:none;stroke:#d02020;stroke-width:1}\n";

struct plot_axis {
	double lo, hi;		/* the values at the ends */
	double step;		/* between ticks */
};

/* A tick step of 1, 2 or 5 times a power of ten: at most PLOT_TICKS. */
static double plot_step(double span)
{
	double raw = span / PLOT_TICKS, p = pow(10.0, floor(log10(raw)));

	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

static double plot_x(const struct plot_axis *a, double v)
{
	return PLOT_LEFT + (v - a->lo) / (a->hi - a->lo) *
			   (PLOT_RIGHT - PLOT_LEFT);
}

static double plot_y(const struct plot_axis *a, double v)
{
	return PLOT_BOTTOM - (v - a->lo) / (a->hi - a->lo) *
			     (PLOT_BOTTOM - PLOT_TOP);
}

static void plot_axes(struct svg *g, const struct plot_axis *ax,
		      const struct plot_axis *ay)
{
	/* ticks by index, not by adding steps up; + 0.0 makes -0 a 0 */
	double first = ceil(ax->lo / ax->step - 1e-9);

	svg_group_begin(g, NULL);
	for (int k = 0; k <= 2 * PLOT_TICKS; k++) {
		double v = (first + k) * ax->step + 0.0, x = plot_x(ax, v);

		if (v > ax->hi + ax->step * 1e-9)
			break;
		svg_line(g, "tick", x, PLOT_BOTTOM, x, PLOT_BOTTOM + 5);
		svg_text(g, "xl", x, PLOT_BOTTOM + 20, "%g", v);
	}
	for (int k = 0; k <= 2 * PLOT_TICKS; k++) {
		double v = k * ay->step, y = plot_y(ay, v);

		if (v > ay->hi + ay->step * 1e-9)
			break;
		if (v > 0)
			svg_line(g, "grid", PLOT_LEFT, y, PLOT_RIGHT, y);
		svg_line(g, "tick", PLOT_LEFT - 5, y, PLOT_LEFT, y);
		svg_text(g, "yl", PLOT_LEFT - 8, y + 4, "%g", v);
	}
	svg_line(g, "axis", PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM);
	svg_line(g, "axis", PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM);
	svg_text(g, "xl", (PLOT_LEFT + PLOT_RIGHT) / 2.0, PLOT_BOTTOM + 40,
		 "time after the epoch (s)");
	svg_text(g, "yl", PLOT_LEFT - 8, PLOT_TOP - 12, "RTT (ms)");
	svg_group_end(g);
}

/* The RTT line, one piece per run of reachable moments. */
static void plot_line(struct svg *g, const struct plot_axis *ax,
		      const struct plot_axis *ay,
		      const struct plot_sample *v, size_t n)
{
	bool in = false;

	svg_path_begin(g, "rtt");
	for (size_t i = 0; i < n; i++) {
		double x = plot_x(ax, v[i].t_ns / 1e9);

		if (v[i].rtt_ns < 0) {
			in = false;
			continue;
		}
		if (in)
			svg_path_line(g, x, plot_y(ay, v[i].rtt_ns / 1e6));
		else
			svg_path_move(g, x, plot_y(ay, v[i].rtt_ns / 1e6));
		in = true;
	}
	svg_path_end(g);
}

int plot_rtt(const char *path, const char *title,
	     const struct plot_sample *v, size_t n)
{
	struct plot_axis ax = { v[0].t_ns / 1e9, v[n - 1].t_ns / 1e9, 1 };
	struct plot_axis ay = { 0, 0, 1 };
	size_t changes = 0, unreachable = 0;
	double max_ms = 0;
	struct svg g;
	int ret;

	for (size_t i = 0; i < n; i++) {
		changes += v[i].change;
		unreachable += v[i].rtt_ns < 0;
		if (v[i].rtt_ns / 1e6 > max_ms)
			max_ms = v[i].rtt_ns / 1e6;
	}
	if (ax.hi <= ax.lo) {	/* one moment: a second either side */
		ax.lo -= 1;
		ax.hi += 1;
	}
	ax.step = plot_step(ax.hi - ax.lo);
	ay.step = plot_step(max_ms > 0 ? max_ms * 1.05 : 1);
	ay.hi = ceil((max_ms > 0 ? max_ms * 1.05 : 1) / ay.step) * ay.step;
	ret = svg_open(&g, path, PLOT_W, PLOT_H);
	if (ret < 0)
		return ret;
	svg_style(&g, plot_css);
	svg_text(&g, "title", PLOT_LEFT, 20, "%s", title);
	plot_axes(&g, &ax, &ay);
	svg_group_begin(&g, NULL);
	for (size_t i = 0; i < n; i++) {
		double x = plot_x(&ax, v[i].t_ns / 1e9);

		if (v[i].change)
			svg_line(&g, "change", x, PLOT_TOP, x, PLOT_BOTTOM);
	}
	svg_group_end(&g);
	plot_line(&g, &ax, &ay, v, n);
	svg_group_begin(&g, NULL);
	for (size_t i = 0; i < n; i++) {
		double x = plot_x(&ax, v[i].t_ns / 1e9);

		if (v[i].rtt_ns < 0)
			svg_circle(&g, "pt none", x, PLOT_BOTTOM, 3);
		else
			svg_circle(&g, "pt", x, plot_y(&ay, v[i].rtt_ns / 1e6),
				   2);
	}
	svg_group_end(&g);
	svg_text(&g, NULL, PLOT_LEFT, PLOT_H - 10,
		 "%zu moments, %zu path changes (dashed), %zu unreachable "
		 "(hollow, on the time axis)", n, changes, unreachable);
	return svg_close(&g);
}
