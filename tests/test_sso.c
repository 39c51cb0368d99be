// SPDX-License-Identifier: MIT
/* test_sso.c - sun-synchronous inclination and local time of the node, checked with SGP4 and the Sun */
#include <math.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/constel.h"
#include "topo/frames.h"
#include "topo/sgp4.h"
#include "topo/shadow.h"
#include "topo/sso.h"
#include "topo/utc.h"
#include "topo/walker.h"

#define S_NS INT64_C(1000000000)
#define DAY_NS (86400 * S_NS)

static int64_t iso(const char *s)
{
	int64_t t;

	cr_assert(utc_parse_iso8601(s, &t), "%s", s);
	return t;
}

/* One satellite in a circular orbit at alt_km, inclination, node raan. */
static void one_sat(struct constel *c, double alt_km, double incl,
		    double raan, int64_t epoch)
{
	struct walker_shell w = {
		.name = "o", .kind = WALKER_DELTA, .planes = 1,
		.per_plane = 1, .alt_km = alt_km, .incl_deg = incl,
		.raan0_deg = raan,
	};

	constel_init(c);
	cr_assert_eq(constel_add_shell(c, &w, epoch), 0);
}

static void teme(struct constel *c, int64_t t, struct vec3 *r,
		 struct vec3 *v)
{
	struct sgp4_sat *s = &c->sat[0];

	cr_assert_eq(sgp4_propagate(s, sgp4_tsince(s, t), r, v), SGP4_OK);
}

/* Right ascension of the ascending node of the osculating orbit, deg. */
static double node_deg(struct vec3 r, struct vec3 v)
{
	struct vec3 h = vec3_cross(r, v);

	return atan2(h.x, -h.y) / TOPO_DEG;
}

Test(sso, inclination_by_altitude)
{
	/* closed form with WGS-72's mu, Re and J2 */
	cr_assert_float_eq(sso_inclination_deg(650.0), 97.986, 0.002);
	cr_assert_float_eq(sso_inclination_deg(550.0), 97.594, 0.002);
	cr_assert_float_eq(sso_inclination_deg(800.0), 98.603, 0.002);
	/* higher orbits need more inclination; none above about 5,970 km */
	cr_assert_gt(sso_inclination_deg(1200.0), sso_inclination_deg(800.0));
	cr_assert(!isnan(sso_inclination_deg(5900.0)));
	cr_assert(isnan(sso_inclination_deg(6100.0)));
	cr_assert(isnan(sso_inclination_deg(-5.0)));
}

Test(sso, sgp4_turns_the_plane_with_the_sun)
{
	int64_t t0 = iso("2026-02-23T00:00:00Z");
	double want = 360.0 / SSO_TROPICAL_YEAR_DAYS;	/* 0.98565 deg/day */
	struct vec3 r0, v0, r1, v1;
	struct constel c;
	double d, rate;

	one_sat(&c, 650.0, sso_inclination_deg(650.0), 40.0, t0);
	teme(&c, t0, &r0, &v0);
	teme(&c, t0 + 30 * DAY_NS, &r1, &v1);
	d = node_deg(r1, v1) - node_deg(r0, v0);
	d = fmod(d + 540.0, 360.0) - 180.0;
	rate = d / 30.0;
	cr_log_info("650 km sso: node turns %.5f deg/day (%.3f%% off)", rate,
		    100.0 * (rate - want) / want);
	cr_assert(fabs(rate - want) < 0.01 * want,
		  "node turns %.5f deg/day, sun-synchronous is %.5f", rate,
		  want);
	constel_free(&c);
	/* a 53-degree orbit turns the other way: the test can tell */
	one_sat(&c, 650.0, 53.0, 40.0, t0);
	teme(&c, t0, &r0, &v0);
	teme(&c, t0 + 30 * DAY_NS, &r1, &v1);
	d = fmod(node_deg(r1, v1) - node_deg(r0, v0) + 540.0, 360.0) - 180.0;
	cr_assert_lt(d / 30.0, -3.0);
	constel_free(&c);
}

/*
 * A 06:00 ascending node: where the satellite crosses the equator going
 * north, the Sun (frames' apparent Sun) is 90 degrees of longitude to the
 * east, give or take the equation of time (-7.5 min at the equinox).
 */
Test(sso, ltan_six_is_dawn_dusk_and_sunlit_all_day)
{
	int64_t t0 = iso("2026-03-20T14:46:00Z"), t, cross = -1;
	struct vec3 r, v, rp, vp, pe, ve, sun;
	struct constel c;
	double lat, lon, alt, slat, slon, lst;
	size_t umbra = 0, steps = 0;

	one_sat(&c, 650.0, sso_inclination_deg(650.0),
		sso_raan_deg(t0, 6.0), t0);
	teme(&c, t0, &rp, &vp);
	for (t = t0 + 10 * S_NS; t <= t0 + DAY_NS; t += 10 * S_NS) {
		teme(&c, t, &r, &v);
		frames_teme_to_ecef(frames_gmst_unix(t), r, v, &pe, &ve);
		sun = frames_sun_dir_ecef(t);
		umbra += shadow_state(pe, sun) == SHADOW_UMBRA;
		steps++;
		if (cross < 0 && rp.z < 0.0 && r.z >= 0.0)
			cross = t;
		rp = r;
	}
	cr_assert_eq(umbra, 0, "%zu of %zu steps in umbra", umbra, steps);
	cr_assert_geq(cross, 0);
	teme(&c, cross, &r, &v);
	frames_teme_to_ecef(frames_gmst_unix(cross), r, v, &pe, &ve);
	frames_ecef_to_geodetic(pe, &lat, &lon, &alt);
	sun = frames_sun_dir_ecef(cross);
	frames_ecef_to_geodetic(vec3_scale(sun, 1.0e5), &slat, &slon, &alt);
	/* local solar time at the node: 12 h at the subsolar longitude */
	lst = fmod(12.0 + (lon - slon) / 15.0 + 48.0, 24.0);
	cr_log_info("ltan 06:00: node at %.4f h local apparent solar time",
		    lst);
	cr_assert(fabs(lst - 6.0) < 20.0 / 60.0,
		  "ascending node at %.3f h local solar time", lst);
	constel_free(&c);
	/* the same plane at 12:00 is in umbra part of each orbit */
	one_sat(&c, 650.0, sso_inclination_deg(650.0),
		sso_raan_deg(t0, 12.0), t0);
	umbra = 0;
	for (t = t0; t <= t0 + DAY_NS / 4; t += 10 * S_NS) {
		teme(&c, t, &r, &v);
		frames_teme_to_ecef(frames_gmst_unix(t), r, v, &pe, &ve);
		umbra += shadow_state(pe, frames_sun_dir_ecef(t)) ==
			 SHADOW_UMBRA;
	}
	cr_assert_gt(umbra, 100);
	constel_free(&c);
}
