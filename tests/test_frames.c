// SPDX-License-Identifier: MIT
/* test_frames.c - GMST, TEME to ECEF, WGS-84 geodetic, elevation, the Sun */
#include <math.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/utc.h"

#define J2000_NS (INT64_C(946728000) * UTC_NS_PER_S)
#define DEG(x) ((x) / TOPO_DEG)

/* a - b wrapped into (-pi, pi]. */
static double angle_diff(double a, double b)
{
	double d = fmod(a - b, 2.0 * TOPO_PI);

	if (d > TOPO_PI)
		d -= 2.0 * TOPO_PI;
	if (d <= -TOPO_PI)
		d += 2.0 * TOPO_PI;
	return d;
}

static int64_t at(const char *iso)
{
	int64_t ns = 0;

	cr_assert(utc_parse_iso8601(iso, &ns), "%s", iso);
	return ns;
}

Test(frames, gmst_j2000)
{
	double g = DEG(frames_gmst(2451545.0));

	/*
	 * IAU-82 at J2000 is 67310.54841 s of time = 280.460618375 deg; the
	 * design quotes it rounded to 280.4606184 (7 decimals).
	 */
	cr_assert_float_eq(g, 67310.54841 / 240.0, 1e-9, "gmst %.12f", g);
	cr_assert_float_eq(g, 280.4606184, 5e-8, "gmst %.12f", g);
	cr_assert_float_eq(DEG(frames_gmst_unix(J2000_NS)), g, 1e-9);
	cr_assert(frames_gmst(2451545.0) >= 0.0 &&
		  frames_gmst(2451545.0) < 2.0 * TOPO_PI);
}

Test(frames, gmst_sidereal_day)
{
	int64_t sid = (int64_t)(86164.0905 * 1e9);
	double g0 = frames_gmst_unix(J2000_NS);
	double g1 = frames_gmst_unix(J2000_NS + sid);
	double g2 = frames_gmst_unix(J2000_NS + UTC_NS_PER_DAY);
	double g3 = frames_gmst(2451545.0 + 1.0);

	/* One sidereal day: the Earth is back where it started. */
	cr_assert(fabs(angle_diff(g1, g0)) < 1e-6, "%g rad",
		  angle_diff(g1, g0));
	/* One solar day: about 0.9856 degree further. */
	cr_assert_float_eq(DEG(angle_diff(g2, g0)), 0.9856, 5e-4, "%.6f",
			   DEG(angle_diff(g2, g0)));
	cr_assert(fabs(angle_diff(g3, g2)) < 1e-8);
	/* Half a sidereal day: half a turn. */
	cr_assert(fabs(fabs(angle_diff(frames_gmst_unix(J2000_NS + sid / 2),
				       g0)) - TOPO_PI) < 1e-6);
}

Test(frames, gmst_unix_matches_jd)
{
	static const char *const when[] = {
		"1970-01-01T00:00:00Z", "1995-06-01T03:04:05.5Z",
		"2026-02-22T18:00:00Z", "2049-12-31T23:59:59.999Z",
	};

	for (size_t i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		int64_t ns = at(when[i]);
		struct utc_jd jd = utc_to_jd(ns);
		double a = frames_gmst_unix(ns);
		double b = frames_gmst(jd.jd + jd.frac);

		/* jd in one double is good to ~40 us: ~3e-9 rad. */
		cr_assert(fabs(angle_diff(a, b)) < 2e-8, "%s: %g", when[i],
			  angle_diff(a, b));
		cr_assert(a >= 0.0 && a < 2.0 * TOPO_PI);
	}
}

/*
 * The ends of the int64 range (1677 and 2262): no overflow (the suite runs
 * under UBSan too), the same angle as from the Julian date, and the Sun
 * stays a unit vector.
 */
Test(frames, ends_of_the_time_range)
{
	static const int64_t when[] = { INT64_MIN, INT64_MIN + 1, INT64_MAX,
					INT64_MAX - 1 };

	for (size_t i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		struct utc_jd jd = utc_to_jd(when[i]);
		double a = frames_gmst_unix(when[i]);
		double b = frames_gmst(jd.jd + jd.frac);
		struct vec3 sun = frames_sun_dir_ecef(when[i]);

		cr_assert(a >= 0.0 && a < 2.0 * TOPO_PI, "%g", a);
		/* 262 years from J2000: the cubic term amplifies rounding */
		cr_assert(fabs(angle_diff(a, b)) < 1e-6, "%lld: %g",
			  (long long)when[i], angle_diff(a, b));
		cr_assert(fabs(vec3_norm(sun) - 1.0) < 1e-12);
	}
}

Test(frames, teme_to_ecef)
{
	struct vec3 r, v;
	double g = 0.3;

	/* gmst = 90 deg: TEME +x is Earth-fixed -y. */
	frames_teme_to_ecef(TOPO_PI / 2, (struct vec3){ 7000, 0, 10 },
			    (struct vec3){ 0, 0, 0 }, &r, NULL);
	cr_assert_float_eq(r.x, 0.0, 1e-9);
	cr_assert_float_eq(r.y, -7000.0, 1e-9);
	cr_assert_float_eq(r.z, 10.0, 1e-12);

	/*
	 * A point that turns with the Earth (v_teme = omega x r_teme) is at
	 * rest in ECEF.
	 */
	struct vec3 rt = { 4000.0, 3000.0, 2000.0 };
	struct vec3 vt = { -TOPO_OMEGA_EARTH * rt.y, TOPO_OMEGA_EARTH * rt.x,
			   0.0 };
	frames_teme_to_ecef(g, rt, vt, &r, &v);
	cr_assert(vec3_norm(v) < 1e-15, "|v| %g", vec3_norm(v));
	cr_assert_float_eq(vec3_norm(r), vec3_norm(rt), 1e-9);
	cr_assert_float_eq(r.x, cos(g) * rt.x + sin(g) * rt.y, 1e-9);

	/* A point at rest in TEME moves westward at omega x r in ECEF. */
	frames_teme_to_ecef(g, rt, (struct vec3){ 0, 0, 0 }, &r, &v);
	cr_assert_float_eq(v.x, TOPO_OMEGA_EARTH * r.y, 1e-15);
	cr_assert_float_eq(v.y, -TOPO_OMEGA_EARTH * r.x, 1e-15);
	cr_assert_float_eq(v.z, 0.0, 1e-15);
}

Test(frames, geodetic_equator_and_pole)
{
	struct vec3 e = frames_geodetic_to_ecef(0.0, 0.0, 0.0);
	struct vec3 n = frames_geodetic_to_ecef(90.0, 0.0, 0.0);
	double b = TOPO_WGS84_A * (1.0 - TOPO_WGS84_F);

	cr_assert_float_eq(e.x, 6378.137, 1e-9);
	cr_assert_float_eq(e.y, 0.0, 1e-9);
	cr_assert_float_eq(e.z, 0.0, 1e-9);
	e = frames_geodetic_to_ecef(0.0, 90.0, 1.0);
	cr_assert_float_eq(e.x, 0.0, 1e-9);
	cr_assert_float_eq(e.y, 6379.137, 1e-9);
	/* The pole is the semi-minor axis, 6356.752314 km. */
	cr_assert_float_eq(n.z, b, 1e-9);
	cr_assert_float_eq(b, 6356.752314, 1e-6);
	cr_assert(fabs(n.x) < 1e-9 && fabs(n.y) < 1e-9);
}

Test(frames, geodetic_round_trip)
{
	static const double pts[][3] = {
		{ 0.0, 0.0, 0.0 },	{ 51.4779, -0.0015, 0.046 },
		{ -33.86, 151.21, 0.05 }, { 90.0, 0.0, 0.0 },
		{ -90.0, 0.0, 0.0 },	{ 90.0, 0.0, 550.0 },
		{ -90.0, 0.0, -5.0 },	{ 89.999999, 42.0, 1.0 },
		{ 45.0, 180.0, 550.0 }, { -45.0, -179.5, 1200.0 },
		{ 10.0, 100.0, 35786.0 }, { 64.8, -147.7, 0.2 },
		{ -0.5, 37.0, -0.4 },	{ 30.0, -90.0, 8.8 },
	};

	for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
		double lat, lon, alt;
		struct vec3 r = frames_geodetic_to_ecef(pts[i][0], pts[i][1],
							pts[i][2]);
		struct vec3 back;

		frames_ecef_to_geodetic(r, &lat, &lon, &alt);
		back = frames_geodetic_to_ecef(lat, lon, alt);
		/* Under 1 mm in space and in height. */
		cr_assert(vec3_dist(r, back) < 1e-6, "point %zu: %g km", i,
			  vec3_dist(r, back));
		cr_assert_float_eq(alt, pts[i][2], 1e-6, "point %zu", i);
		cr_assert_float_eq(lat, pts[i][0], 1e-9, "point %zu", i);
		if (fabs(pts[i][0]) < 90.0)
			cr_assert(fabs(angle_diff(lon * TOPO_DEG,
						  pts[i][1] * TOPO_DEG)) <
					  1e-11,
				  "point %zu lon %.12f", i, lon);
		cr_assert(lon > -180.0 && lon <= 180.0);
	}
	/* lon is in (-180, 180]: -180 comes back as 180. */
	double lat, lon, alt;
	frames_ecef_to_geodetic((struct vec3){ -7000.0, -0.0, 0.0 }, &lat,
				&lon, &alt);
	cr_assert_eq(lon, 180.0);
	cr_assert_float_eq(alt, 7000.0 - TOPO_WGS84_A, 1e-9);
}

Test(frames, elevation_zenith)
{
	struct vec3 st = frames_geodetic_to_ecef(45.0, -75.0, 0.1);
	struct vec3 up = frames_geodetic_to_ecef(45.0, -75.0, 500.0);
	struct vec3 radial = vec3_scale(st, 1.0 + 500.0 / vec3_norm(st));
	double el = DEG(frames_elevation(st, 45.0, -75.0, up));
	double el_radial = DEG(frames_elevation(st, 45.0, -75.0, radial));

	cr_assert_float_eq(el, 90.0, 1e-6, "%.9f", el);
	/*
	 * Straight out along the geocentric radius is not the zenith on the
	 * ellipsoid: at 45 deg the geodetic and geocentric verticals differ
	 * by 0.19 deg.
	 */
	cr_assert(el_radial > 89.75 && el_radial < 89.85, "%.6f", el_radial);
	/* A target below the horizon has negative elevation. */
	cr_assert(frames_elevation(st, 45.0, -75.0,
				   frames_geodetic_to_ecef(-45.0, 105.0, 0)) <
		  -1.0);
}

/*
 * A station on the equator (sphere of radius R) and a satellite at R + h in
 * the station's meridian plane, with the centre O: a triangle with sides R,
 * R + h and the slant range d. The law of cosines gives the central angle
 * gamma for d; the law of sines gives the angle at the satellite
 * eta = asin(R sin(gamma) / d), and the elevation is 90 - gamma - eta.
 */
Test(frames, elevation_25_deg_at_1123_4_km)
{
	double R = TOPO_WGS72_RE, h = 550.0, d = 1123.4;
	double rs = R + h;
	double gamma = acos((R * R + rs * rs - d * d) / (2.0 * R * rs));
	double eta = asin(R * sin(gamma) / d);
	double el_tri = 90.0 - DEG(gamma) - DEG(eta);
	struct vec3 st = { R, 0.0, 0.0 };
	struct vec3 sat = { rs * cos(gamma), 0.0, rs * sin(gamma) };
	double el;

	cr_assert_float_eq(vec3_dist(st, sat), d, 1e-9);
	el = DEG(frames_elevation(st, 0.0, 0.0, sat));
	cr_assert_float_eq(el, el_tri, 1e-9, "%.9f vs %.9f", el, el_tri);
	cr_assert_float_eq(el, 25.0, 0.05, "%.6f", el);

	/* The same triangle solved the other way: 25 deg gives 1,123.4 km. */
	double e25 = 25.0 * TOPO_DEG;
	double eta25 = asin(R * cos(e25) / rs);
	double gamma25 = TOPO_PI / 2 - e25 - eta25;
	double d25 = rs * sin(gamma25) / cos(e25);

	cr_assert_float_eq(d25, 1123.4, 0.05, "%.4f km", d25);
	sat = (struct vec3){ rs * cos(gamma25), 0.0, rs * sin(gamma25) };
	cr_assert_float_eq(vec3_dist(st, sat), d25, 1e-9);
	cr_assert_float_eq(DEG(frames_elevation(st, 0.0, 0.0, sat)), 25.0,
			   1e-9);
}

static double sun_dec_deg(int64_t ns)
{
	struct vec3 s = frames_sun_dir_ecef(ns);

	cr_assert_float_eq(vec3_norm(s), 1.0, 1e-12);
	return DEG(asin(s.z));
}

Test(frames, sun_solstice_equinox)
{
	/* 2026 June solstice 08:24Z, March equinox 20 March 14:46Z. */
	double dj = sun_dec_deg(at("2026-06-21T08:24:00Z"));
	double dm = sun_dec_deg(at("2026-03-20T14:46:00Z"));
	double dd = sun_dec_deg(at("2026-12-21T20:50:00Z"));

	cr_assert_float_eq(dj, 23.43, 0.1, "%.4f", dj);
	cr_assert_float_eq(dm, 0.0, 0.1, "%.4f", dm);
	cr_assert_float_eq(dd, -23.43, 0.1, "%.4f", dd);
	/* A day before the equinox the Sun is still south (~0.4 deg). */
	cr_assert(sun_dec_deg(at("2026-03-19T14:46:00Z")) < -0.3);
}

Test(frames, sun_subsolar_longitude)
{
	/*
	 * At 12:00 UTC the Sun is over Greenwich up to the equation of time
	 * (-1.7 min = 0.4 deg on 21 June, at most 16.4 min = 4.1 deg); with
	 * the GMST rotation the wrong way round it would be near 180 deg.
	 */
	struct vec3 s = frames_sun_dir_ecef(at("2026-06-21T12:00:00Z"));
	double lon = DEG(atan2(s.y, s.x));

	cr_assert(fabs(lon) < 1.0, "subsolar lon %.4f", lon);
	s = frames_sun_dir_ecef(at("2026-11-03T12:00:00Z"));
	lon = DEG(atan2(s.y, s.x));
	/* Early November the Sun runs 16.4 min fast: noon is at 11:44. */
	cr_assert(lon < -3.5 && lon > -4.5, "subsolar lon %.4f", lon);
	/* Six hours later the subsolar point is 90 deg further west. */
	s = frames_sun_dir_ecef(at("2026-06-21T18:00:00Z"));
	lon = DEG(atan2(s.y, s.x));
	cr_assert(fabs(lon + 90.0) < 1.0, "subsolar lon %.4f", lon);
}
