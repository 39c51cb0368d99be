/* SPDX-License-Identifier: MIT */
/* plot.h - RTT against time as an SVG line chart, for path --plot */
#ifndef EMU_PLOT_H
#define EMU_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One moment path printed. */
struct plot_sample {
	int64_t t_ns;		/* after the epoch */
	int64_t rtt_ns;		/* -1: unreachable */
	bool change;		/* the hop list differs from the moment before */
};

/*
 * Write the n samples (n >= 1, in time order) to path as an SVG chart:
 * axes with ticks and labels (seconds after the epoch, milliseconds), the
 * RTT as a line broken where B was unreachable, one dot per moment (on the
 * time axis, hollow, when unreachable), a dashed vertical line at every
 * path change, and title and caption (with the counts). 0 or -errno.
 */
int plot_rtt(const char *path, const char *title,
	     const struct plot_sample *v, size_t n);

#endif
