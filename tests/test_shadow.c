// SPDX-License-Identifier: MIT
/* test_shadow.c - the Earth's conical shadow against closed forms and SGP4 */
#include <math.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/sgp4.h"
#include "topo/shadow.h"
#include "topo/utc.h"

#define DEG(x) ((x) / TOPO_DEG)
#define NS(s) ((int64_t)llround((s) * 1e9))

/* The March 2026 equinox, 2026-03-20T14:46Z. */
static int64_t equinox(void)
{
	int64_t ns = 0;

	cr_assert(utc_parse_iso8601("2026-03-20T14:46:00Z", &ns));
	return ns;
}

/* The Sun's right ascension (radians) in the frame SGP4 works in (TEME). */
static double sun_ra(int64_t t)
{
	struct vec3 s = frames_sun_dir_ecef(t);

	return atan2(s.y, s.x) + frames_gmst_unix(t);
}

/* An angle wrapped into (-pi, pi]. */
static double wrap_pi(double a)
{
	a = fmod(a, 2.0 * TOPO_PI);
	if (a > TOPO_PI)
		a -= 2.0 * TOPO_PI;
	if (a <= -TOPO_PI)
		a += 2.0 * TOPO_PI;
	return a;
}

static double sun_dec(int64_t t)
{
	return asin(frames_sun_dir_ecef(t).z);
}

/* The edges of the two cones, as angles from the anti-Sun axis at radius r. */
static double umbra_half_angle(double r)
{
	return asin(TOPO_WGS72_RE / r) -
	       asin((SHADOW_SUN_RADIUS_KM - TOPO_WGS72_RE) /
		    SHADOW_SUN_DIST_KM);
}

static double penumbra_half_angle(double r)
{
	return asin(TOPO_WGS72_RE / r) +
	       asin((SHADOW_SUN_RADIUS_KM + TOPO_WGS72_RE) /
		    SHADOW_SUN_DIST_KM);
}

/* A circular equatorial orbit of radius r, placed in TEME, seen in ECEF. */
struct circ {
	int64_t t0;
	double r, n, u0;
};

static enum shadow_state circ_state(const struct circ *o, int64_t t)
{
	double u = o->u0 + o->n * (double)(t - o->t0) * 1e-9;
	struct vec3 teme = { o->r * cos(u), o->r * sin(u), 0.0 };
	struct vec3 ecef, zero = { 0.0, 0.0, 0.0 };

	frames_teme_to_ecef(frames_gmst_unix(t), teme, zero, &ecef, NULL);
	return shadow_state(ecef, frames_sun_dir_ecef(t));
}

/* The instant (ns) in (lo, hi] where the state stops being circ_state(lo). */
static int64_t circ_edge(const struct circ *o, int64_t lo, int64_t hi)
{
	enum shadow_state before = circ_state(o, lo);

	while (hi - lo > 1000) {
		int64_t mid = lo + (hi - lo) / 2;

		if (circ_state(o, mid) == before)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/*
 * An equatorial circular orbit at the equinox, starting a quarter turn
 * before the anti-Sun direction. It meets the edge of a cone of half-angle
 * theta when its angle from that direction, n t - pi/2 minus what the Sun
 * has moved in right ascension since t0, reaches -+theta', where theta'
 * corrects theta for the Sun's declination dec then (the cones are round
 * about the anti-Sun axis): cos theta = cos dec cos theta'. The Sun moves
 * so slowly that three rounds of t = (pi/2 + theta' + ra(t) - ra(t0)) / n
 * settle t. Scanning at 1 s and bisecting to 1 us finds the model's four
 * edges; each must match.
 */
static void check_circular(double alt_km, double tol_s)
{
	int64_t t0 = equinox();
	double r = TOPO_WGS72_RE + alt_km;
	double n = sqrt(TOPO_WGS72_MU / (r * r * r));
	double period = 2.0 * TOPO_PI / n;
	double cone[4] = { -penumbra_half_angle(r), -umbra_half_angle(r),
			   umbra_half_angle(r), penumbra_half_angle(r) };
	/* At t0 the satellite is at anti-Sun minus pi/2: Sun plus pi/2. */
	struct circ o = { t0, r, n, sun_ra(t0) + TOPO_PI / 2.0 };
	/* Penumbra in, umbra in, umbra out, penumbra out. */
	double want[4];
	enum shadow_state next[4] = { SHADOW_PENUMBRA, SHADOW_UMBRA,
				      SHADOW_PENUMBRA, SHADOW_SUNLIT };
	unsigned found = 0;
	int64_t step = UTC_NS_PER_S;

	for (int i = 0; i < 4; i++) {
		double t = (TOPO_PI / 2.0 + cone[i]) / n;

		for (int k = 0; k < 3; k++) {
			int64_t at = t0 + NS(t);
			double th = acos(cos(cone[i]) / cos(sun_dec(at)));
			double moved = wrap_pi(sun_ra(at) - sun_ra(t0));

			t = (TOPO_PI / 2.0 + copysign(th, cone[i]) + moved) /
			    n;
		}
		want[i] = t;
	}
	cr_assert(circ_state(&o, t0) == SHADOW_SUNLIT);
	for (int64_t t = t0; t < t0 + NS(period) - step; t += step) {
		int64_t edge;
		double got, err;

		if (circ_state(&o, t + step) == circ_state(&o, t))
			continue;
		cr_assert(found < 4, "alt %.0f: a fifth edge at %.0f s", alt_km,
			  (double)(t - t0) * 1e-9);
		edge = circ_edge(&o, t, t + step);
		got = (double)(edge - t0) * 1e-9;
		err = got - want[found];
		cr_assert(circ_state(&o, edge) == next[found],
			  "alt %.0f: edge %u leads to %s", alt_km, found,
			  shadow_state_str(circ_state(&o, edge)));
		cr_log_info("alt %.0f km edge %u (%s): model %.6f s, "
			    "closed form %.6f s, error %+.6f s", alt_km, found,
			    shadow_state_str(next[found]), got, want[found],
			    err);
		cr_assert(fabs(err) < tol_s,
			  "alt %.0f: edge %u at %.6f s, closed form %.6f s",
			  alt_km, found, got, want[found]);
		found++;
	}
	cr_assert_eq(found, 4, "alt %.0f: %u edges in one orbit", alt_km,
		     found);
}

Test(shadow, equinox_declination)
{
	/* frames' Sun is good to 0.01 deg; its equinox is within that. */
	double dec = DEG(sun_dec(equinox()));

	cr_assert(fabs(dec) < 0.02, "declination %.5f deg", dec);
}

Test(shadow, equatorial_closed_form)
{
	/*
	 * Both sides compute the same geometry in double precision, so only
	 * the bisection's 1 us separates them: 1 ms leaves room and still
	 * catches any model error worth a thought (a cylinder's edge is 4 s
	 * off at 550 km).
	 */
	/* 550 km: umbra about 35 min, penumbra about 8.5 s each side. */
	check_circular(550.0, 0.001);
	/* Geostationary radius: the equinox's longest eclipse, about 70 min. */
	check_circular(42164.0 - TOPO_WGS72_RE, 0.001);
}

Test(shadow, simple_positions)
{
	struct vec3 sun = { 1.0, 0.0, 0.0 };
	double r = TOPO_WGS72_RE + 550.0;
	struct vec3 day = { r, 0.0, 0.0 }, night = { -r, 0.0, 0.0 };
	struct vec3 dusk = { 0.0, r, 0.0 }, south = { 0.0, 0.0, -r };
	/* Just behind the Earth's limb: the cylinder's edge is penumbra. */
	struct vec3 limb = { -r, TOPO_WGS72_RE, 0.0 };
	struct vec3 centre = { 0.0, 0.0, 0.0 };

	cr_assert_eq(shadow_state(day, sun), SHADOW_SUNLIT);
	cr_assert_eq(shadow_state(night, sun), SHADOW_UMBRA);
	cr_assert_eq(shadow_state(dusk, sun), SHADOW_SUNLIT);
	cr_assert_eq(shadow_state(south, sun), SHADOW_SUNLIT);
	cr_assert_eq(shadow_state(limb, sun), SHADOW_PENUMBRA);
	cr_assert_eq(shadow_state(centre, sun), SHADOW_UMBRA);
	cr_assert(shadow_eclipsed(night, sun));
	cr_assert(!shadow_eclipsed(limb, sun));
	cr_assert(!shadow_eclipsed(day, sun));
	cr_assert_str_eq(shadow_state_str(SHADOW_SUNLIT), "sunlit");
	cr_assert_str_eq(shadow_state_str(SHADOW_PENUMBRA), "penumbra");
	cr_assert_str_eq(shadow_state_str(SHADOW_UMBRA), "umbra");
}

/* Circular mean elements for SGP4 as walker.c builds them (Keplerian n). */
static struct sgp4_elements circ_elements(int64_t epoch, double alt_km,
					  double incl, double raan)
{
	double a = TOPO_WGS72_RE + alt_km;
	struct utc_jd jd = utc_to_jd(epoch);

	return (struct sgp4_elements){
		.satnum = 1,
		.epoch_jd = jd.jd,
		.epoch_jdfrac = jd.frac,
		.epoch_unix_ns = epoch,
		.inclo = incl,
		.nodeo = fmod(raan + 4.0 * TOPO_PI, 2.0 * TOPO_PI),
		.no_kozai = sqrt(TOPO_WGS72_MU / (a * a * a)) * 60.0,
	};
}

/*
 * One day from the epoch at 10 s steps: how many steps in each state, and
 * the steps in umbra from the first umbra entry to the last one, a whole
 * number of orbits (a day is not: counting over it would weigh the last,
 * partial orbit as a whole eclipse).
 */
#define DAY_STEPS 8640

struct day {
	unsigned char st[DAY_STEPS];
	unsigned count[3];
	int first_entry, last_entry;
};

static void count_day(const struct sgp4_elements *el, struct day *d)
{
	enum shadow_state prev = SHADOW_SUNLIT;
	struct sgp4_sat s;

	cr_assert_eq(sgp4_init(&s, el, 'i'), SGP4_OK);
	*d = (struct day){ .first_entry = -1, .last_entry = -1 };
	for (int i = 0; i < DAY_STEPS; i++) {
		int64_t t = el->epoch_unix_ns + (int64_t)i * 10 * UTC_NS_PER_S;
		struct vec3 r, v, ecef;
		enum shadow_state st;

		cr_assert_eq(sgp4_propagate(&s, i * 10.0 / 60.0, &r, &v),
			     SGP4_OK);
		frames_teme_to_ecef(frames_gmst_unix(t), r, v, &ecef, NULL);
		st = shadow_state(ecef, frames_sun_dir_ecef(t));
		cr_assert(st <= SHADOW_UMBRA);
		d->st[i] = (unsigned char)st;
		d->count[st]++;
		if (st == SHADOW_UMBRA && prev != SHADOW_UMBRA && i > 0) {
			if (d->first_entry < 0)
				d->first_entry = i;
			d->last_entry = i;
		}
		prev = st;
	}
}

/* The fraction of the orbit in umbra, first entry to last. */
static double umbra_fraction(const struct day *d)
{
	unsigned in = 0;

	cr_assert(d->first_entry >= 0 && d->last_entry > d->first_entry,
		  "entries at steps %d and %d", d->first_entry, d->last_entry);
	for (int i = d->first_entry; i < d->last_entry; i++)
		in += d->st[i] == SHADOW_UMBRA;
	return (double)in / (double)(d->last_entry - d->first_entry);
}

/*
 * The sun-synchronous inclination from the J2 nodal rate: the node turns
 * -(3/2) n J2 (Re/a)^2 cos i, n = sqrt(mu / a^3), and must turn once per
 * tropical year.
 */
static double sso_incl(double alt_km)
{
	double a = TOPO_WGS72_RE + alt_km;
	double rate = 2.0 * TOPO_PI / (365.2422 * 86400.0);
	double c = -(2.0 / 3.0) * rate * pow(a, 3.5) /
		   (TOPO_WGS72_J2 * TOPO_WGS72_RE * TOPO_WGS72_RE *
		    sqrt(TOPO_WGS72_MU));

	return acos(c);
}

Test(shadow, dawn_dusk_never_eclipsed)
{
	int64_t t0 = equinox();
	double incl = sso_incl(650.0);
	/* Local time of the ascending node 06:00: 90 deg west of the Sun. */
	struct sgp4_elements el =
		circ_elements(t0, 650.0, incl, sun_ra(t0) - TOPO_PI / 2.0);
	struct day d;

	cr_log_info("SSO inclination at 650 km: %.4f deg", DEG(incl));
	cr_assert(DEG(incl) > 97.8 && DEG(incl) < 98.2, "%.4f", DEG(incl));
	count_day(&el, &d);
	cr_assert_eq(d.count[SHADOW_UMBRA], 0, "%u steps in umbra",
		     d.count[SHADOW_UMBRA]);
	cr_assert_eq(d.count[SHADOW_PENUMBRA], 0, "%u steps in penumbra",
		     d.count[SHADOW_PENUMBRA]);
	/* The same plane at 12:00 (noon-midnight) is in the dark each orbit. */
	el.nodeo = fmod(sun_ra(t0) + 4.0 * TOPO_PI, 2.0 * TOPO_PI);
	count_day(&el, &d);
	cr_assert(d.count[SHADOW_UMBRA] > DAY_STEPS / 4, "%u steps in umbra",
		  d.count[SHADOW_UMBRA]);
}

/*
 * SGP4's circular orbit is not a circle of radius a: J2 moves the radius by
 * about 7 km either way (7020.7 to 7035.5 km at 650 km, 98 deg). A 7 km
 * error in r moves the umbra's share of the orbit by 0.0008 with the Sun in
 * the plane (beta 0) and by 0.002 at beta 59 deg: the tolerances below.
 */
#define FRACTION_TOL_BETA0 0.002
#define FRACTION_TOL_BETA59 0.003

/*
 * 53 degrees, 550 km, its node on the Sun at the equinox: the Sun lies in
 * the orbit's plane (beta 0) and the umbra spans 2 * umbra_half_angle(r) of
 * each orbit. Over the day the node regresses about 5 deg against the Sun,
 * so beta reaches about 4 deg, which shortens the umbra by under 0.1 deg.
 */
Test(shadow, inclined_eclipse_fraction)
{
	int64_t t0 = equinox();
	struct sgp4_elements el =
		circ_elements(t0, 550.0, 53.0 * TOPO_DEG, sun_ra(t0));
	double want = umbra_half_angle(TOPO_WGS72_RE + 550.0) / TOPO_PI, got;
	struct day d;

	count_day(&el, &d);
	got = umbra_fraction(&d);
	cr_log_info("53 deg 550 km, equinox: umbra %.5f of the orbit "
		    "(closed form %.5f), penumbra %u steps", got, want,
		    d.count[SHADOW_PENUMBRA]);
	cr_assert_float_eq(got, want, FRACTION_TOL_BETA0,
			   "umbra fraction %.5f, want %.5f", got, want);
	cr_assert(d.count[SHADOW_PENUMBRA] > 0);
}

/* The Sun's unit vector in TEME (frames' ECEF turned back by GMST). */
static struct vec3 sun_teme(int64_t t)
{
	double ra = sun_ra(t), dec = sun_dec(t);

	return (struct vec3){ cos(dec) * cos(ra), cos(dec) * sin(ra),
			      sin(dec) };
}

/*
 * The dawn-dusk plane at the December solstice: the Sun is 23.4 deg south,
 * and the plane's normal, 8 deg from the pole, leans away from it, so the
 * Sun is only beta ~ 59 deg from the plane, below the 65 deg (asin(Re/r))
 * that keeps a 650 km orbit in the light: the eclipse season of a 06:00
 * orbit. With beta, the umbra spans 2 acos(cos(umbra_half_angle) / cos(beta))
 * of each orbit; beta hardly moves in a day (the plane follows the Sun).
 */
Test(shadow, dawn_dusk_eclipse_season)
{
	int64_t t0 = 0;
	double incl = sso_incl(650.0), raan, beta, want, got;
	struct sgp4_elements el;
	struct vec3 h;
	struct day d;

	cr_assert(utc_parse_iso8601("2026-12-21T20:50:00Z", &t0));
	raan = sun_ra(t0) - TOPO_PI / 2.0;
	el = circ_elements(t0, 650.0, incl, raan);
	h = (struct vec3){ sin(incl) * sin(raan), -sin(incl) * cos(raan),
			   cos(incl) };
	beta = asin(vec3_dot(h, sun_teme(t0)));
	want = acos(cos(umbra_half_angle(TOPO_WGS72_RE + 650.0)) / cos(beta)) /
	       TOPO_PI;
	count_day(&el, &d);
	got = umbra_fraction(&d);
	cr_log_info("dawn-dusk 650 km, December solstice: beta %.3f deg, "
		    "umbra %.5f of the orbit (closed form %.5f)", DEG(beta),
		    got, want);
	cr_assert_float_eq(got, want, FRACTION_TOL_BETA59,
			   "umbra fraction %.5f, want %.5f", got, want);
}
