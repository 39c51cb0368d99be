/* SPDX-License-Identifier: MIT */
/* land.h - the world's coastlines for map, generated at build time (scripts/map/land.js) */
#ifndef EMU_LAND_H
#define EMU_LAND_H

#include <stddef.h>
#include <stdint.h>

/*
 * Natural Earth's 1:110m land (world-atlas on npm, pinned by
 * scripts/map/package-lock.json) as polylines: line i is the points
 * land_pts[land_line_start[i]] up to land_pts[land_line_start[i + 1]],
 * each { longitude, latitude } in tenths of a degree. No line crosses the
 * antimeridian.
 */
extern const int16_t land_pts[][2];
extern const uint32_t land_line_start[];
extern const size_t land_nlines;

#endif
