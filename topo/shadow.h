/* SPDX-License-Identifier: MIT */
/* shadow.h - the Earth's shadow: is a satellite sunlit, in penumbra or umbra */
#ifndef TOPO_SHADOW_H
#define TOPO_SHADOW_H

#include <stdbool.h>

#include "topo/vec.h"

/*
 * The model is CONICAL: the Sun is a sphere of radius SHADOW_SUN_RADIUS_KM,
 * the Earth a sphere of radius TOPO_WGS72_RE, and a satellite compares the
 * two discs it sees (Montenbruck and Gill, "Satellite Orbits", 3.4.2): the
 * Sun's disc wholly behind the Earth's is umbra, partly behind it penumbra.
 * That is exact for two spheres, costs a few square roots, and gives the
 * penumbra a cylinder cannot: about 8.5 s at each boundary at 550 km (the
 * cylinder's edge lies inside the penumbra, between the two cones).
 *
 * What it leaves out, and what that costs at 550 km (computed, not measured;
 * 0.063 deg of orbit per second):
 *   - the Sun at 1 AU always: the true distance is 0.983 to 1.017 AU, which
 *     moves the cones' edges by up to 0.0046 deg, under 0.1 s at entry and
 *     exit when the orbit crosses the shadow squarely (more when it grazes);
 *   - the Earth as a sphere of its equatorial radius: where the Earth's limb
 *     seen from the satellite runs near a pole (polar orbits), the real limb
 *     is up to 21 km lower, so the model's shadow starts up to 7 s early and
 *     ends up to 7 s late; none for an equatorial orbit;
 *   - the atmosphere (refraction, absorption of grazing sunlight), light time
 *     and aberration (the Sun seen 20 arcsec behind, about 0.1 s).
 * The Sun's direction itself (frames_sun_dir_ecef, 0.01 deg) adds 0.2 s.
 */

/* The Sun's nominal radius (IAU 2015 B3) and the astronomical unit, km. */
#define SHADOW_SUN_RADIUS_KM 695700.0
#define SHADOW_SUN_DIST_KM 149597870.7

enum shadow_state {
	SHADOW_SUNLIT,		/* the whole Sun's disc is seen */
	SHADOW_PENUMBRA,	/* part of it is behind the Earth */
	SHADOW_UMBRA,		/* all of it is behind the Earth */
	SHADOW_UNKNOWN,		/* not computed (topo_model.shadow) */
};

/*
 * Where the satellite at pos_ecef_km is: sun_dir_ecef is the unit vector from
 * the Earth's centre to the Sun in the same frame (frames_sun_dir_ecef). Any
 * Earth-centred frame does, as long as both vectors are in it. A position
 * inside the Earth counts as umbra.
 */
enum shadow_state shadow_state(struct vec3 pos_ecef_km,
			       struct vec3 sun_dir_ecef);

/*
 * The rule an eclipse policy uses: true in umbra only. Penumbra counts as
 * sunlit: it lasts seconds and still gives part of the Sun's power.
 */
bool shadow_eclipsed(struct vec3 pos_ecef_km, struct vec3 sun_dir_ecef);

/* "sunlit", "penumbra" or "umbra" ("?" for anything else). */
const char *shadow_state_str(enum shadow_state st);

#endif
