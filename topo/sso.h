/* SPDX-License-Identifier: MIT */
/* sso.h - sun-synchronous orbits: the inclination for an altitude, the node for a local time */
#ifndef TOPO_SSO_H
#define TOPO_SSO_H

#include <stdint.h>

/*
 * A sun-synchronous orbit's plane turns eastward with the mean Sun, 360
 * degrees per tropical year (365.2422 days, 0.98565 degrees a day), by
 * the J2 precession of its node:
 *
 *	dOmega/dt = -3/2 J2 (Re / p)^2 n cos i,	p = a (1 - e^2)
 *
 * so for a circular orbit cos i = -2/3 dOmega/dt a^(7/2) / (J2 Re^2
 * sqrt(mu)), with SGP4's own WGS-72 constants (topo/consts.h), so that
 * SGP4 then turns the plane at that rate. SGP4's secular node rate also
 * has J4 and second-order J2 terms, which move the rate by about 0.2% at
 * 650 km (test_sso measures it over 30 days).
 */
#define SSO_TROPICAL_YEAR_DAYS 365.2422

/*
 * The inclination in degrees (above 90) of a circular sun-synchronous
 * orbit at alt_km above the WGS-72 radius, or NaN above the highest
 * altitude where one exists (about 5,970 km: cos i would be below -1).
 */
double sso_inclination_deg(double alt_km);

/*
 * The right ascension of the ascending node, in degrees [0, 360), that
 * puts the node at local mean solar time ltan_hours (6.0: a dawn-dusk
 * orbit whose ascending node is at 06:00) at unix_ns: the mean Sun's
 * right ascension plus (ltan - 12 h) x 15 degrees. The mean Sun is the
 * Sun's mean longitude (Astronomical Almanac's low-precision formula,
 * 280.460 + 0.9856474 d degrees, d days from J2000.0), which local mean
 * time follows: the apparent Sun differs by the equation of time, up to
 * 16 minutes (4 degrees).
 */
double sso_raan_deg(int64_t unix_ns, double ltan_hours);

#endif
