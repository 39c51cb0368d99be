// SPDX-License-Identifier: MIT
/* frames.c - GMST, TEME to Earth-fixed, WGS-84 geodetic, the Sun's direction */
#include <math.h>
#include <stdint.h>

#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/utc.h"

#define FRAMES_TWO_PI (2.0 * TOPO_PI)
#define FRAMES_JD_J2000 2451545.0
/* 2000-01-01T12:00:00Z in Unix seconds. */
#define FRAMES_UNIX_J2000_S INT64_C(946728000)

/* WGS-84 first eccentricity squared: f (2 - f). */
#define FRAMES_E2 (TOPO_WGS84_F * (2.0 - TOPO_WGS84_F))

static double frames_wrap_2pi(double a)
{
	a = fmod(a, FRAMES_TWO_PI);
	if (a < 0.0)
		a += FRAMES_TWO_PI;
	return a;
}

/*
 * IAU-82 GMST as Vallado's gstime() (Vallado, "Fundamentals of
 * Astrodynamics and Applications", eq. 3-47): seconds of time as a cubic in
 * Julian centuries of UT1 from J2000, then 240 s of time per degree.
 */
double frames_gmst(double jd_ut1)
{
	double tut1 = (jd_ut1 - FRAMES_JD_J2000) / 36525.0;
	double temp = -6.2e-6 * tut1 * tut1 * tut1 +
		      0.093104 * tut1 * tut1 +
		      (876600.0 * 3600.0 + 8640184.812866) * tut1 +
		      67310.54841;

	return frames_wrap_2pi(temp * TOPO_DEG / 240.0);
}

/*
 * Whole days from J2000 (2000-01-01T12:00:00Z) to unix_ns, rounded down,
 * and the nanoseconds left (0 to a day). Split before subtracting, so that
 * every int64 time works (unix_ns - J2000 overflows before 1707).
 */
static int64_t frames_since_j2000(int64_t unix_ns, int64_t *rem)
{
	int64_t days = unix_ns / UTC_NS_PER_DAY, r = unix_ns % UTC_NS_PER_DAY;

	if (r < 0) {
		r += UTC_NS_PER_DAY;
		days--;
	}
	days -= FRAMES_UNIX_J2000_S / 86400;
	r -= FRAMES_UNIX_J2000_S % 86400 * UTC_NS_PER_S;
	if (r < 0) {
		r += UTC_NS_PER_DAY;
		days--;
	}
	*rem = r;
	return days;
}

/*
 * The same polynomial, but the big term 876600 h * T (exactly 86400 s per
 * day elapsed) is split off as the time of day in integer nanoseconds, so no
 * precision is lost to a Julian date of 2.4 million days in one double.
 */
double frames_gmst_unix(int64_t unix_ns)
{
	int64_t rem, days = frames_since_j2000(unix_ns, &rem);
	double tut1, sec;

	tut1 = ((double)days + (double)rem / (double)UTC_NS_PER_DAY) /
	       36525.0;
	sec = -6.2e-6 * tut1 * tut1 * tut1 + 0.093104 * tut1 * tut1 +
	      8640184.812866 * tut1 + 67310.54841;
	sec = fmod(sec, 86400.0) + (double)rem / (double)UTC_NS_PER_S;
	return frames_wrap_2pi(sec * TOPO_DEG / 240.0);
}

/*
 * Vallado's teme2ecef without polar motion: r_pef = R3(gmst) r_teme and
 * v_pef = R3(gmst) v_teme - omega x r_pef.
 */
void frames_teme_to_ecef(double gmst, struct vec3 r_teme, struct vec3 v_teme,
			 struct vec3 *r_ecef, struct vec3 *v_ecef)
{
	double c = cos(gmst), s = sin(gmst);
	struct vec3 r = {
		c * r_teme.x + s * r_teme.y,
		-s * r_teme.x + c * r_teme.y,
		r_teme.z,
	};

	if (v_ecef) {
		v_ecef->x = c * v_teme.x + s * v_teme.y +
			    TOPO_OMEGA_EARTH * r.y;
		v_ecef->y = -s * v_teme.x + c * v_teme.y -
			    TOPO_OMEGA_EARTH * r.x;
		v_ecef->z = v_teme.z;
	}
	if (r_ecef)
		*r_ecef = r;
}

struct vec3 frames_geodetic_to_ecef(double lat_deg, double lon_deg,
				    double alt_km)
{
	double lat = lat_deg * TOPO_DEG, lon = lon_deg * TOPO_DEG;
	double sl = sin(lat), cl = cos(lat);
	double n = TOPO_WGS84_A / sqrt(1.0 - FRAMES_E2 * sl * sl);

	return (struct vec3){
		(n + alt_km) * cl * cos(lon),
		(n + alt_km) * cl * sin(lon),
		(n * (1.0 - FRAMES_E2) + alt_km) * sl,
	};
}

/*
 * Fixed-point iteration on the geodetic latitude, phi = atan2(z + e2 N sin
 * phi, p), with the height from h = p cos phi + z sin phi - a sqrt(1 - e2
 * sin^2 phi), which has no singularity at the poles. From the surface up to
 * GEO it converges to 1e-15 rad (well under a micrometre) in a handful of
 * steps.
 */
void frames_ecef_to_geodetic(struct vec3 r, double *lat_deg, double *lon_deg,
			     double *alt_km)
{
	double p = hypot(r.x, r.y);
	double lat = atan2(r.z, p * (1.0 - FRAMES_E2));
	double lon, sl;

	for (int i = 0; i < 30; i++) {
		double n, next;

		sl = sin(lat);
		n = TOPO_WGS84_A / sqrt(1.0 - FRAMES_E2 * sl * sl);
		next = atan2(r.z + FRAMES_E2 * n * sl, p);
		if (fabs(next - lat) < 1e-15) {
			lat = next;
			break;
		}
		lat = next;
	}
	sl = sin(lat);
	lon = atan2(r.y, r.x) / TOPO_DEG;
	if (lon <= -180.0)
		lon += 360.0;
	if (lat_deg)
		*lat_deg = lat / TOPO_DEG;
	if (lon_deg)
		*lon_deg = lon;
	if (alt_km)
		*alt_km = p * cos(lat) + r.z * sl -
			  TOPO_WGS84_A * sqrt(1.0 - FRAMES_E2 * sl * sl);
}

/*
 * The local vertical of the ellipsoid at geodetic lat/lon is the unit normal
 * (cos lat cos lon, cos lat sin lon, sin lat); the elevation is the angle
 * between the line of sight and the plane normal to it.
 */
double frames_elevation(struct vec3 station, double lat_deg, double lon_deg,
			struct vec3 target)
{
	double lat = lat_deg * TOPO_DEG, lon = lon_deg * TOPO_DEG;
	struct vec3 up = { cos(lat) * cos(lon), cos(lat) * sin(lon), sin(lat) };
	struct vec3 d = vec3_sub(target, station);
	double u = vec3_dot(d, up);
	double h = vec3_norm(vec3_sub(d, vec3_scale(up, u)));

	return atan2(u, h);
}

/*
 * The Astronomical Almanac's low-precision Sun (as in Vallado's sun()):
 * mean longitude and anomaly, ecliptic longitude with the equation of
 * centre, mean obliquity; that gives the direction in the mean equator of
 * date, which is TEME to well within the formula's 0.01 degree. UT stands in
 * for TDB (about 70 s, 0.001 degree). GMST then turns it Earth-fixed.
 */
struct vec3 frames_sun_dir_ecef(int64_t unix_ns)
{
	int64_t rem, days = frames_since_j2000(unix_ns, &rem);
	double t = ((double)days + (double)rem / (double)UTC_NS_PER_DAY) /
		   36525.0;
	double lmean = fmod(280.460 + 36000.771285 * t, 360.0) * TOPO_DEG;
	double m = fmod(357.5291092 + 35999.05034 * t, 360.0) * TOPO_DEG;
	double lecl = lmean + (1.914666471 * sin(m) +
			       0.019994643 * sin(2.0 * m)) * TOPO_DEG;
	double eps = (23.439291 - 0.0130042 * t) * TOPO_DEG;
	struct vec3 eci = {
		cos(lecl),
		cos(eps) * sin(lecl),
		sin(eps) * sin(lecl),
	};
	struct vec3 ecef, zero = { 0.0, 0.0, 0.0 };

	frames_teme_to_ecef(frames_gmst_unix(unix_ns), eci, zero, &ecef, NULL);
	return vec3_scale(ecef, 1.0 / vec3_norm(ecef));
}
