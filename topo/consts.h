/* SPDX-License-Identifier: MIT */
/* consts.h - physical constants shared by the geometry (WGS-72, WGS-84, c) */
#ifndef TOPO_CONSTS_H
#define TOPO_CONSTS_H

/* Speed of light in vacuum, km/s (exact by definition of the metre). */
#define TOPO_C_KM_S 299792.458
/* Nanoseconds of one-way delay per km of vacuum: 1e9 / c. */
#define TOPO_NS_PER_KM (1e9 / TOPO_C_KM_S)

/* WGS-72, as SGP4 uses it (Vallado et al. 2006, getgravconst wgs72). */
#define TOPO_WGS72_MU 398600.8		/* km^3/s^2 */
#define TOPO_WGS72_RE 6378.135		/* km, equatorial radius */
#define TOPO_WGS72_J2 0.001082616

/* WGS-84 ellipsoid for ground stations. */
#define TOPO_WGS84_A 6378.137		/* km */
#define TOPO_WGS84_F (1.0 / 298.257223563)

/* Earth's rotation rate, rad/s (IERS; one turn per sidereal day). */
#define TOPO_OMEGA_EARTH 7.292115146706979e-5

#define TOPO_PI 3.14159265358979323846
#define TOPO_DEG (TOPO_PI / 180.0)

#endif
