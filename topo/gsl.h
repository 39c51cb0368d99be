/* SPDX-License-Identifier: MIT */
/* gsl.h - ground-to-satellite links: elevation mask and slant range */
#ifndef TOPO_GSL_H
#define TOPO_GSL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topo/constel.h"
#include "topo/graph.h"
#include "topo/vec.h"

struct gsl_params {
	double min_elev_deg;	/* elevation mask (Starlink 25, Kuiper 35) */
	double max_range_km;	/* 0 = no limit but the mask */
};

/* Defaults: 25 degree mask, no range limit. */
void gsl_params_default(struct gsl_params *p);

/*
 * Can ground station gs (a CONSTEL_GROUND node) see a satellite at sat
 * (ECEF km)? True when the true elevation above the WGS-84 horizon
 * (frames_elevation) is at least the mask and, if set, the slant range at
 * most max_range_km. range_km (may be NULL) gets the slant range.
 */
bool gsl_visible(const struct gsl_params *p, const struct constel_node *gs,
		 struct vec3 sat, double *range_km);

/*
 * Append to out one GRAPH_GSL link (a = satellite, b = ground station) for
 * every satellite that is up and visible from each ground station of c
 * that is up:
 * every visible satellite is linked and the router picks among them.
 * pos holds the ECEF position of every node. A distance bound derived from
 * the mask and the highest satellite skips most satellites before the
 * elevation is computed. 0 or -ENOMEM.
 */
int gsl_links(const struct gsl_params *p, const struct constel *c,
	      const struct vec3 *pos, const uint8_t *up,
	      struct graph_links *out);

#endif
