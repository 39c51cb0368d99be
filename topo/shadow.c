// SPDX-License-Identifier: MIT
/* shadow.c - the Earth's shadow: is a satellite sunlit, in penumbra or umbra */
#include <math.h>
#include <stdbool.h>

#include "topo/consts.h"
#include "topo/shadow.h"

/*
 * Montenbruck and Gill 3.4.2: seen from the satellite, the Sun's disc has
 * angular radius a = asin(Rs / |sun - pos|), the Earth's b = asin(Re / |pos|),
 * and their centres are c apart. The discs do not overlap when c >= a + b;
 * the Earth's covers the Sun's when c <= b - a. Beyond the umbra's apex
 * (b < a, 1.4 million km out) the second never holds: an annular eclipse
 * counts as penumbra. c comes from atan2(|u x v|, u . v), which stays
 * accurate near 0 and pi, where acos would not.
 */
enum shadow_state shadow_state(struct vec3 pos_ecef_km,
			       struct vec3 sun_dir_ecef)
{
	struct vec3 sun = vec3_scale(sun_dir_ecef, SHADOW_SUN_DIST_KM);
	struct vec3 to_sun = vec3_sub(sun, pos_ecef_km);
	struct vec3 to_earth = vec3_scale(pos_ecef_km, -1.0);
	double r = vec3_norm(pos_ecef_km), d = vec3_norm(to_sun);
	double a, b, c;

	if (r <= TOPO_WGS72_RE)
		return SHADOW_UMBRA;
	/*
	 * The half of the sky that faces the Sun is lit, and the test below
	 * costs two asin and an atan2: skip it there. Above 1.02 Earth
	 * radii (130 km) the Earth's disc is under 79 degrees from the
	 * nadir and the Sun's under 0.3, while a sunward satellite sees the
	 * Sun at least 89.99 degrees from the nadir (the Sun's parallax is
	 * under 0.01 degrees): never an overlap. Half of a constellation
	 * is decided by this one dot product.
	 */
	if (r > 1.02 * TOPO_WGS72_RE && vec3_dot(pos_ecef_km, sun_dir_ecef) >= 0)
		return SHADOW_SUNLIT;
	a = asin(SHADOW_SUN_RADIUS_KM / d);
	b = asin(TOPO_WGS72_RE / r);
	c = atan2(vec3_norm(vec3_cross(to_earth, to_sun)),
		  vec3_dot(to_earth, to_sun));
	if (c >= a + b)
		return SHADOW_SUNLIT;
	if (c <= b - a)
		return SHADOW_UMBRA;
	return SHADOW_PENUMBRA;
}

bool shadow_eclipsed(struct vec3 pos_ecef_km, struct vec3 sun_dir_ecef)
{
	return shadow_state(pos_ecef_km, sun_dir_ecef) == SHADOW_UMBRA;
}

const char *shadow_state_str(enum shadow_state st)
{
	switch (st) {
	case SHADOW_SUNLIT:
		return "sunlit";
	case SHADOW_PENUMBRA:
		return "penumbra";
	case SHADOW_UMBRA:
		return "umbra";
	case SHADOW_UNKNOWN:
		break;
	}
	return "unknown";
}
