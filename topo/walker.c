// SPDX-License-Identifier: MIT
/* walker.c - Walker delta and star shells turned into SGP4 mean elements */
#include <math.h>
#include <stdio.h>

#include "topo/consts.h"
#include "topo/utc.h"
#include "topo/walker.h"

/* An angle in degrees to radians in [0, 2pi). */
static double walker_rad(double deg)
{
	deg = fmod(deg, 360.0);
	if (deg < 0.0)
		deg += 360.0;
	return deg * TOPO_DEG;
}

/*
 * Walker T/P/F (Walker 1984): P planes of S = T/P satellites on circular
 * orbits. Plane p has RAAN raan0 + p * 360/P for a delta pattern, p * 180/P
 * for a star (the planes then cover one hemisphere of nodes and the first and
 * last planes counter-rotate across a seam). Satellite s of plane p sits at
 * mean anomaly s * 360/S + p * F * 360/T, plus extra_phase of an in-plane
 * spacing per plane. Argument of perigee is 0, so the mean anomaly is the
 * argument of latitude from the ascending node.
 *
 * The mean motion is the Keplerian n = sqrt(mu / a^3), a = R(WGS-72) + alt,
 * handed to SGP4 as its (Kozai) mean motion: SGP4's mean-element conversion
 * then shifts the mean semi-major axis by a J2 term of a few km, which is
 * below what any emulated link can see. No drag: bstar, ndot, nddot are 0.
 * satnum is the 1-based index of the satellite in the shell.
 */
void walker_elements(const struct walker_shell *w, int64_t epoch_unix_ns,
		     struct sgp4_elements *out)
{
	double a = TOPO_WGS72_RE + w->alt_km;
	double n = sqrt(TOPO_WGS72_MU / (a * a * a)) * 60.0;
	double span = w->kind == WALKER_STAR ? 180.0 : 360.0;
	double total = (double)w->planes * (double)w->per_plane;
	double slot_deg = 360.0 / (double)w->per_plane;
	double plane_phase = (double)w->phasing * 360.0 / total +
			     w->extra_phase * slot_deg;
	struct utc_jd jd = utc_to_jd(epoch_unix_ns);

	for (unsigned p = 0; p < w->planes; p++) {
		double raan = w->raan0_deg + p * span / (double)w->planes;

		for (unsigned s = 0; s < w->per_plane; s++) {
			size_t i = (size_t)p * w->per_plane + s;
			struct sgp4_elements *e = &out[i];

			*e = (struct sgp4_elements){
				.satnum = (long)i + 1,
				.epoch_jd = jd.jd,
				.epoch_jdfrac = jd.frac,
				.epoch_unix_ns = epoch_unix_ns,
				.bstar = 0.0,
				.ndot = 0.0,
				.nddot = 0.0,
				.ecco = 0.0,
				.argpo = 0.0,
				.inclo = w->incl_deg * TOPO_DEG,
				.mo = walker_rad(s * slot_deg +
						 p * plane_phase),
				.no_kozai = n,
				.nodeo = walker_rad(raan),
			};
		}
	}
}

void walker_sat_name(const struct walker_shell *w, unsigned plane,
		     unsigned slot, char *buf, size_t len)
{
	if (!buf || len == 0)
		return;
	snprintf(buf, len, "%.*s-%u-%u", (int)sizeof(w->name), w->name,
		 plane, slot);
}
