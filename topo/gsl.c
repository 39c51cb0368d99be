// SPDX-License-Identifier: MIT
/* gsl.c - ground-to-satellite links: elevation mask and slant range */
#include <errno.h>
#include <math.h>

#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/gsl.h"

void gsl_params_default(struct gsl_params *p)
{
	p->min_elev_deg = 25.0;
	p->max_range_km = 0.0;
}

bool gsl_visible(const struct gsl_params *p, const struct constel_node *gs,
		 struct vec3 sat, double *range_km)
{
	double el, range = vec3_dist(gs->ecef, sat);

	if (range_km)
		*range_km = range;
	if (p->max_range_km > 0.0 && range > p->max_range_km)
		return false;
	el = frames_elevation(gs->ecef, gs->lat_deg, gs->lon_deg, sat);
	return el >= p->min_elev_deg * TOPO_DEG;
}

/*
 * Longest slant range at which a satellite at most rmax from the centre can
 * be at elevation el or more, seen from radius rs, on a sphere:
 * r^2 = rs^2 + d^2 + 2 rs d sin(el). The ellipsoid's normal leans from the
 * radial by at most 0.2 degrees, so el is taken half a degree lower.
 */
static double gsl_range_bound(double rs, double rmax, double mask_deg)
{
	double el = (mask_deg - 0.5) * TOPO_DEG, s, disc;

	if (el <= -TOPO_PI / 2.0)
		return INFINITY;
	s = rs * sin(el);
	disc = s * s + rmax * rmax - rs * rs;
	if (disc < 0.0)
		return 0.0;
	return -s + sqrt(disc);
}

int gsl_links(const struct gsl_params *p, const struct constel *c,
	      const struct vec3 *pos, const uint8_t *up,
	      struct graph_links *out)
{
	double rmax2 = 0.0, rmax;

	if (c->n == c->nsat)
		return 0;
	for (size_t i = 0; i < c->nsat; i++) {
		double r2 = vec3_dot(pos[i], pos[i]);

		if (up[i] && r2 > rmax2)
			rmax2 = r2;
	}
	rmax = sqrt(rmax2);
	for (size_t g = c->nsat; g < c->n; g++) {
		const struct constel_node *gs = &c->node[g];
		double bound = gsl_range_bound(vec3_norm(pos[g]), rmax,
					       p->min_elev_deg), b2;

		if (!up[g])
			continue;	/* the station is down (a fault) */
		if (p->max_range_km > 0.0 && p->max_range_km < bound)
			bound = p->max_range_km;
		b2 = bound * bound;
		for (size_t i = 0; i < c->nsat; i++) {
			double range;
			struct vec3 d;

			if (!up[i])
				continue;
			d = vec3_sub(pos[i], pos[g]);
			if (vec3_dot(d, d) > b2)
				continue;
			if (!gsl_visible(p, gs, pos[i], &range))
				continue;
			if (graph_links_add(out, (uint32_t)i, (uint32_t)g,
					    GRAPH_GSL, range))
				return -ENOMEM;
		}
	}
	return 0;
}
