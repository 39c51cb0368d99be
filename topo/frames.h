/* SPDX-License-Identifier: MIT */
/* frames.h - GMST, TEME to Earth-fixed, WGS-84 geodetic, the Sun's direction */
#ifndef TOPO_FRAMES_H
#define TOPO_FRAMES_H

#include <stdint.h>

#include "topo/vec.h"

/* Greenwich mean sidereal time, IAU-82 (Vallado's gstime), radians [0, 2pi). */
double frames_gmst(double jd_ut1);
/* The same for an absolute time (topo/utc.h). */
double frames_gmst_unix(int64_t unix_ns);

/*
 * TEME to Earth-fixed (ECEF, pseudo-Earth-fixed: polar motion ignored) by a
 * rotation of gmst about z. v_teme may be NULL; otherwise v_ecef gets the
 * Earth-fixed velocity (the Earth's rotation subtracted).
 */
void frames_teme_to_ecef(double gmst, struct vec3 r_teme, struct vec3 v_teme,
			 struct vec3 *r_ecef, struct vec3 *v_ecef);

/* WGS-84 geodetic (degrees, km above the ellipsoid) to ECEF km. */
struct vec3 frames_geodetic_to_ecef(double lat_deg, double lon_deg,
				    double alt_km);
/* ECEF km to WGS-84 geodetic; lon in (-180, 180]. */
void frames_ecef_to_geodetic(struct vec3 r, double *lat_deg, double *lon_deg,
			     double *alt_km);

/*
 * Elevation angle (radians) of target seen from a station at geodetic
 * lat/lon (degrees) and ECEF position station: the angle between the line of
 * sight and the local horizontal plane of the ellipsoid (true elevation, not a
 * flat-Earth cone).
 */
double frames_elevation(struct vec3 station, double lat_deg, double lon_deg,
			struct vec3 target);

/*
 * Unit vector from the Earth's centre to the Sun in ECEF, low-precision solar
 * formula (Astronomical Almanac, about 0.01 degrees over 1950-2050).
 */
struct vec3 frames_sun_dir_ecef(int64_t unix_ns);

#endif
