// SPDX-License-Identifier: MIT
/* test_gsl.c - ground links: elevation mask, slant range, prefilter */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/gsl.h"

#define R_E TOPO_WGS72_RE

static struct constel_node station(double lat, double lon, double alt_km)
{
	struct constel_node gs = { .kind = CONSTEL_GROUND, .lat_deg = lat,
				   .lon_deg = lon, .alt_km = alt_km };

	gs.ecef = frames_geodetic_to_ecef(lat, lon, alt_km);
	return gs;
}

/*
 * A satellite at radius r seen from gs at elevation el_deg (above the
 * geodetic horizon) and azimuth az_deg: along the line of sight at the
 * distance where the radius is r.
 */
static struct vec3 sat_at(const struct constel_node *gs, double el_deg,
			  double az_deg, double r)
{
	double la = gs->lat_deg * TOPO_DEG, lo = gs->lon_deg * TOPO_DEG;
	double el = el_deg * TOPO_DEG, az = az_deg * TOPO_DEG;
	struct vec3 up = { cos(la) * cos(lo), cos(la) * sin(lo), sin(la) };
	struct vec3 north = { -sin(la) * cos(lo), -sin(la) * sin(lo), cos(la) };
	struct vec3 east = { -sin(lo), cos(lo), 0.0 };
	struct vec3 dir = vec3_add(vec3_scale(up, sin(el)),
				   vec3_add(vec3_scale(north, cos(el) * cos(az)),
					    vec3_scale(east, cos(el) * sin(az))));
	double b = vec3_dot(gs->ecef, dir), c = vec3_dot(gs->ecef, gs->ecef);
	double d = -b + sqrt(b * b - c + r * r);

	return vec3_add(gs->ecef, vec3_scale(dir, d));
}

Test(gsl, overhead_and_mask_at_the_equator)
{
	struct gsl_params p;
	/* on the equator at radius 6378.135 km: the design's sphere */
	struct constel_node gs = station(0.0, 0.0, R_E - TOPO_WGS84_A);
	double r = R_E + 550.0, range;

	gsl_params_default(&p);
	cr_assert_float_eq(p.min_elev_deg, 25.0, 0.0);
	cr_assert_float_eq(vec3_norm(gs.ecef), R_E, 1e-9);
	cr_assert(gsl_visible(&p, &gs, sat_at(&gs, 90.0, 0.0, r), &range));
	cr_assert_float_eq(range, 550.0, 1e-6);
	cr_assert_not(gsl_visible(&p, &gs, sat_at(&gs, 24.9, 30.0, r), NULL));
	cr_assert(gsl_visible(&p, &gs, sat_at(&gs, 25.1, 30.0, r), NULL));
	/* slant range at the mask: 1,123.4 km for 550 km */
	cr_assert(gsl_visible(&p, &gs, sat_at(&gs, 25.0 + 1e-9, 200.0, r),
			      &range));
	cr_assert(fabs(range - 1123.4) < 0.05, "slant range %.3f km", range);
	/* below the horizon */
	cr_assert_not(gsl_visible(&p, &gs, vec3_scale(gs.ecef, -1.1), NULL));
}

Test(gsl, other_masks_and_max_range)
{
	struct gsl_params p = { .min_elev_deg = 35.0 };
	struct constel_node gs = station(47.0, 8.0, 0.4);
	double r = R_E + 630.0, range;

	cr_assert_not(gsl_visible(&p, &gs, sat_at(&gs, 34.9, 90.0, r), NULL));
	cr_assert(gsl_visible(&p, &gs, sat_at(&gs, 35.1, 90.0, r), &range));
	p.max_range_km = range - 1.0;
	cr_assert_not(gsl_visible(&p, &gs, sat_at(&gs, 35.1, 90.0, r), NULL));
	p.max_range_km = range + 1.0;
	cr_assert(gsl_visible(&p, &gs, sat_at(&gs, 35.1, 90.0, r), NULL));
	/* Telesat's 10 degrees: the true slant range, not a flat cone */
	p = (struct gsl_params){ .min_elev_deg = 10.0 };
	gs = station(0.0, 0.0, R_E - TOPO_WGS84_A);
	cr_assert(gsl_visible(&p, &gs, sat_at(&gs, 10.01, 0.0, R_E + 1015.0),
			      &range));
	cr_assert(fabs(range - 2792.0) < 2.0, "Telesat range %.1f km", range);
}

/*
 * gsl_links links exactly the visible satellites that are up, also right at
 * the mask from high-latitude stations where the ellipsoid's normal and the
 * radial differ most (the prefilter must not cut them).
 */
Test(gsl, links_match_visibility)
{
	const double lats[] = { 0.0, 45.0, 60.0, -80.0 };
	const double els[] = { 90.0, 60.0, 25.05, 24.95, 10.0, -5.0 };
	size_t ngs = 4, nper = 6 * 8, nsat = ngs * nper;
	struct constel c;
	struct gsl_params p;
	struct graph_links out;
	struct vec3 *pos;
	uint8_t *up;
	size_t want = 0;

	gsl_params_default(&p);
	constel_init(&c);
	c.n = nsat + ngs;
	c.nsat = nsat;
	c.node = calloc(c.n, sizeof(*c.node));
	pos = calloc(c.n, sizeof(*pos));
	up = calloc(c.n, 1);
	cr_assert(c.node && pos && up);
	for (size_t g = 0; g < ngs; g++) {
		c.node[nsat + g] = station(lats[g], 20.0 * g, 0.1 * g);
		pos[nsat + g] = c.node[nsat + g].ecef;
		up[nsat + g] = 1;
	}
	for (size_t g = 0; g < ngs; g++) {
		for (size_t k = 0; k < nper; k++) {
			size_t i = g * nper + k;
			/* the highest satellites set the prefilter's bound */
			double r = R_E + ((k / 6) % 2 ? 540.0 : 560.0);

			c.node[i].kind = CONSTEL_SAT;
			pos[i] = sat_at(&c.node[nsat + g], els[k % 6],
					45.0 * (double)(k / 6), r);
			up[i] = k % 7 != 3;
		}
	}
	graph_links_init(&out);
	cr_assert_eq(gsl_links(&p, &c, pos, up, &out), 0);
	for (size_t g = 0; g < ngs; g++) {
		const struct constel_node *gs = &c.node[nsat + g];

		for (size_t i = 0; i < nsat; i++) {
			double el = frames_elevation(gs->ecef, gs->lat_deg,
						     gs->lon_deg, pos[i]);
			bool vis = up[i] && el >= 25.0 * TOPO_DEG, found = false;

			for (size_t k = 0; k < out.n; k++) {
				if (out.v[k].a != i || out.v[k].b != nsat + g)
					continue;
				found = true;
				cr_assert_eq(out.v[k].kind, GRAPH_GSL);
				cr_assert_float_eq(out.v[k].length_km,
						   vec3_dist(pos[i], gs->ecef),
						   1e-9);
			}
			cr_assert_eq(found, vis, "station %zu sat %zu el %.3f",
				     g, i, el / TOPO_DEG);
			want += vis;
		}
	}
	cr_assert_eq(out.n, want);
	cr_assert_gt(want, ngs * 10);
	graph_links_free(&out);
	free(pos);
	free(up);
	constel_free(&c);
}
