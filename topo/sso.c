// SPDX-License-Identifier: MIT
/* sso.c - sun-synchronous orbits: the inclination for an altitude, the node for a local time */
#include <math.h>

#include "topo/consts.h"
#include "topo/sso.h"

/* Unix time of J2000.0 (2000-01-01T12:00:00 TT, as UTC to a minute). */
#define SSO_J2000_UNIX 946728000.0

double sso_inclination_deg(double alt_km)
{
	double a = TOPO_WGS72_RE + alt_km;
	double rate = 2.0 * TOPO_PI / (SSO_TROPICAL_YEAR_DAYS * 86400.0);
	double c = -2.0 / 3.0 * rate * pow(a, 3.5) /
		   (TOPO_WGS72_J2 * TOPO_WGS72_RE * TOPO_WGS72_RE *
		    sqrt(TOPO_WGS72_MU));

	if (!(alt_km > 0.0) || c < -1.0)
		return NAN;
	return acos(c) / TOPO_DEG;
}

double sso_raan_deg(int64_t unix_ns, double ltan_hours)
{
	double d = ((double)unix_ns / 1e9 - SSO_J2000_UNIX) / 86400.0;
	double sun = 280.460 + 0.9856474 * d;
	double raan = fmod(sun + (ltan_hours - 12.0) * 15.0, 360.0);

	return raan < 0.0 ? raan + 360.0 : raan;
}
