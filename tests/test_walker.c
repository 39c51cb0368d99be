// SPDX-License-Identifier: MIT
/* test_walker.c - Walker delta/star mean elements, geometry and names */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/sgp4.h"
#include "topo/utc.h"
#include "topo/walker.h"

#define TWO_PI (2.0 * TOPO_PI)

static const struct walker_shell shell1 = {
	.name = "SL1",
	.kind = WALKER_DELTA,
	.planes = 72,
	.per_plane = 22,
	.phasing = 39,
	.alt_km = 550.0,
	.incl_deg = 53.0,
	.extra_phase = 0.0,
	.raan0_deg = 0.0,
};

static int64_t epoch(void)
{
	int64_t ns = 0;

	cr_assert(utc_parse_iso8601("2026-02-22T00:00:00Z", &ns));
	return ns;
}

static struct sgp4_elements *make(const struct walker_shell *w)
{
	size_t n = (size_t)w->planes * w->per_plane;
	struct sgp4_elements *el = calloc(n, sizeof(*el));

	cr_assert_not_null(el);
	walker_elements(w, epoch(), el);
	return el;
}

/* a - b wrapped into (-pi, pi]. */
static double angle_diff(double a, double b)
{
	double d = fmod(a - b, TWO_PI);

	if (d > TOPO_PI)
		d -= TWO_PI;
	if (d <= -TOPO_PI)
		d += TWO_PI;
	return d;
}

/* Semi-major axis (km) back from the mean motion in rad/min. */
static double semi_major(const struct sgp4_elements *e)
{
	double n = e->no_kozai / 60.0;

	return cbrt(TOPO_WGS72_MU / (n * n));
}

Test(walker, period_550km)
{
	struct sgp4_elements *el = make(&shell1);
	double period = TWO_PI / el[0].no_kozai;

	/* Design figure: 95.65 min at 550 km with WGS-72 mu. */
	cr_assert_float_eq(period, 95.65, 0.01, "period %.4f min", period);
	cr_assert_float_eq(semi_major(&el[0]), TOPO_WGS72_RE + 550.0, 1e-9);
	for (size_t i = 1; i < 72 * 22; i++)
		cr_assert_eq(el[i].no_kozai, el[0].no_kozai);
	free(el);
}

Test(walker, circular_no_drag)
{
	struct sgp4_elements *el = make(&shell1);
	struct utc_jd jd = utc_to_jd(epoch());

	for (size_t i = 0; i < 72 * 22; i++) {
		cr_assert_eq(el[i].ecco, 0.0);
		cr_assert_eq(el[i].argpo, 0.0);
		cr_assert_eq(el[i].bstar, 0.0);
		cr_assert_eq(el[i].ndot, 0.0);
		cr_assert_eq(el[i].nddot, 0.0);
		cr_assert_float_eq(el[i].inclo, 53.0 * TOPO_DEG, 1e-15);
		cr_assert_eq(el[i].epoch_unix_ns, epoch());
		cr_assert_eq(el[i].epoch_jd, jd.jd);
		cr_assert_eq(el[i].epoch_jdfrac, jd.frac);
		cr_assert_eq(el[i].satnum, (long)i + 1);
		cr_assert(el[i].mo >= 0.0 && el[i].mo < TWO_PI);
		cr_assert(el[i].nodeo >= 0.0 && el[i].nodeo < TWO_PI);
	}
	cr_assert_eq(utc_from_jd((struct utc_jd){ el[0].epoch_jd,
						  el[0].epoch_jdfrac }),
		     epoch());
	free(el);
}

/* Chord between in-plane neighbours from the elements: 2 a sin(dM / 2). */
Test(walker, neighbour_chord_from_elements)
{
	struct sgp4_elements *el = make(&shell1);

	for (unsigned p = 0; p < 72; p += 7) {
		for (unsigned s = 0; s < 22; s++) {
			const struct sgp4_elements *a = &el[p * 22 + s];
			const struct sgp4_elements *b =
				&el[p * 22 + (s + 1) % 22];
			double dm = angle_diff(b->mo, a->mo);
			double chord = 2.0 * semi_major(a) * sin(dm / 2.0);

			cr_assert_eq(a->nodeo, b->nodeo);
			cr_assert_float_eq(chord, 1972.0, 0.05,
					   "plane %u slot %u: %.4f km", p, s,
					   chord);
		}
	}
	free(el);
}

Test(walker, raan_spacing)
{
	struct walker_shell star = {
		.name = "POLAR",
		.kind = WALKER_STAR,
		.planes = 6,
		.per_plane = 58,
		.phasing = 1,
		.alt_km = 560.0,
		.incl_deg = 97.6,
		.raan0_deg = 10.0,
	};
	struct sgp4_elements *el = make(&shell1);

	/* Delta: 360/P = 5 deg between neighbouring planes, all around. */
	for (unsigned p = 0; p < 72; p++) {
		double d = angle_diff(el[((p + 1) % 72) * 22].nodeo,
				      el[p * 22].nodeo);

		cr_assert_float_eq(d, 5.0 * TOPO_DEG, 1e-12, "plane %u", p);
	}
	cr_assert_eq(el[0].nodeo, 0.0);
	free(el);

	/* Star: 180/P = 30 deg; plane 0 at raan0; the seam is 210 deg. */
	el = make(&star);
	cr_assert_float_eq(el[0].nodeo, 10.0 * TOPO_DEG, 1e-12);
	for (unsigned p = 1; p < 6; p++)
		cr_assert_float_eq(el[p * 58].nodeo - el[(p - 1) * 58].nodeo,
				   30.0 * TOPO_DEG, 1e-12, "plane %u", p);
	cr_assert_float_eq(el[5 * 58].nodeo, 160.0 * TOPO_DEG, 1e-12);
	cr_assert_float_eq(el[0].inclo, 97.6 * TOPO_DEG, 1e-15);
	free(el);

	/* RAAN wraps into [0, 360). */
	star.kind = WALKER_DELTA;
	star.raan0_deg = -30.0;
	el = make(&star);
	cr_assert_float_eq(el[0].nodeo, 330.0 * TOPO_DEG, 1e-12);
	cr_assert_float_eq(el[1 * 58].nodeo, 30.0 * TOPO_DEG, 1e-12);
	free(el);
}

Test(walker, phasing_72_22_39)
{
	struct sgp4_elements *el = make(&shell1);

	for (unsigned p = 0; p < 72; p++)
		for (unsigned s = 0; s < 22; s++) {
			double want = fmod(s * 360.0 / 22.0 +
						   p * 39.0 * 360.0 / 1584.0,
					   360.0) *
				      TOPO_DEG;
			double got = el[p * 22 + s].mo;

			cr_assert(fabs(angle_diff(got, want)) < 1e-12,
				  "(%u, %u): %.12f vs %.12f deg", p, s,
				  got / TOPO_DEG, want / TOPO_DEG);
		}
	/* Plane 1 slot 0 leads plane 0 slot 0 by 39 * 360 / 1584 deg. */
	cr_assert_float_eq(el[22].mo / TOPO_DEG, 8.863636363636, 1e-9);
	free(el);
}

Test(walker, extra_phase)
{
	struct walker_shell w = shell1;
	struct sgp4_elements *el;

	w.phasing = 0;
	w.extra_phase = 0.5;
	el = make(&w);
	/* Half an in-plane spacing per plane: 360/22/2 deg, p times. */
	for (unsigned p = 0; p < 72; p++)
		cr_assert(fabs(angle_diff(el[p * 22].mo,
					  p * 0.5 * TWO_PI / 22.0)) < 1e-12,
			  "plane %u", p);
	free(el);

	w.phasing = 39;
	el = make(&w);
	cr_assert(fabs(angle_diff(el[3 * 22 + 2].mo,
				  (2.0 / 22.0 + 3.0 * 39.0 / 1584.0 +
				   3.0 * 0.5 / 22.0) *
					  TWO_PI)) < 1e-12);
	free(el);
}

Test(walker, names)
{
	char buf[64];

	walker_sat_name(&shell1, 0, 0, buf, sizeof(buf));
	cr_assert_str_eq(buf, "SL1-0-0");
	walker_sat_name(&shell1, 71, 21, buf, sizeof(buf));
	cr_assert_str_eq(buf, "SL1-71-21");
	walker_sat_name(&shell1, 10, 3, buf, sizeof(buf));
	cr_assert_str_eq(buf, "SL1-10-3");

	memset(buf, 'x', sizeof(buf));
	walker_sat_name(&shell1, 71, 21, buf, 6);
	cr_assert_str_eq(buf, "SL1-7");
	cr_assert_eq(buf[6], 'x');

	struct walker_shell full = shell1;
	memset(full.name, 'A', sizeof(full.name));	/* no terminator */
	walker_sat_name(&full, 1, 2, buf, sizeof(buf));
	cr_assert_eq(strlen(buf), 32 + 4);
	cr_assert_str_eq(buf + 32, "-1-2");
}

/*
 * The same geometry from SGP4 positions at the epoch (opsmode 'i'). SGP4
 * does not keep a circular mean orbit exactly circular in position:
 *  - its J3 long-period term (aycof = -J3/J2 sin(i) / 2) gives ecco = 0 an
 *    effective eccentricity e = 8.6e-4 at 53 deg, 550 km: the radius moves
 *    by +-e a = +-6 km and satellites equally spaced in mean anomaly are
 *    spaced in true anomaly by dM (1 + 2 e cos M); the chord a dM (1 + e cos
 *    M) then moves by +-e * 1972 km = +-1.7 km, and the argument of
 *    latitude by up to 2 e = 0.1 deg;
 *  - J2 short-period terms (k2 = J2 / 2 (R/a)^2 = 4.6e-4) move node and
 *    inclination by ~1.5 k2 cos(i) = 0.02 deg and the chord by a few
 *    tenths of a km (the two neighbours are only 16 deg apart).
 * So a chord within 4 km of 1,972.0 km (measured: 1,969.7-1,973.1 km), a
 * radius within 10 km of a, the orbit normal within 0.05 deg of the one the
 * elements give and the argument of latitude within 0.2 deg of mo. A wrong
 * unit, plane or phase is off by far more.
 */
Test(walker, neighbour_chord_from_sgp4)
{
	struct sgp4_elements *el = make(&shell1);
	static struct sgp4_sat sat[22];
	struct vec3 r[22], v;
	double a = TOPO_WGS72_RE + 550.0;

	for (unsigned p = 0; p < 72; p += 5) {
		for (unsigned s = 0; s < 22; s++) {
			const struct sgp4_elements *e = &el[p * 22 + s];
			double t, i = e->inclo, o = e->nodeo, u;
			struct vec3 h, normal, node, y;

			cr_assert_eq(sgp4_init(&sat[s], e, 'i'), SGP4_OK,
				     "plane %u slot %u", p, s);
			t = sgp4_tsince(&sat[s], epoch());
			cr_assert(fabs(t) < 1e-9, "tsince %g", t);
			cr_assert_eq(sgp4_propagate(&sat[s], t, &r[s], &v),
				     SGP4_OK);
			cr_assert_float_eq(vec3_norm(r[s]), a, 10.0,
					   "(%u, %u) |r| %.3f", p, s,
					   vec3_norm(r[s]));

			h = vec3_cross(r[s], v);
			h = vec3_scale(h, 1.0 / vec3_norm(h));
			normal = (struct vec3){ sin(i) * sin(o),
						-sin(i) * cos(o), cos(i) };
			cr_assert(acos(fmin(1.0, vec3_dot(h, normal))) <
					  0.05 * TOPO_DEG,
				  "(%u, %u) orbit normal", p, s);

			node = (struct vec3){ cos(o), sin(o), 0.0 };
			y = vec3_cross(normal, node);
			u = atan2(vec3_dot(r[s], y), vec3_dot(r[s], node));
			cr_assert(fabs(angle_diff(u, e->mo)) < 0.2 * TOPO_DEG,
				  "(%u, %u) u %.4f deg, mo %.4f deg", p, s,
				  u / TOPO_DEG, e->mo / TOPO_DEG);
		}
		for (unsigned s = 0; s < 22; s++) {
			double d = vec3_dist(r[s], r[(s + 1) % 22]);

			cr_assert_float_eq(d, 1972.0, 4.0,
					   "plane %u slot %u: %.3f km", p, s,
					   d);
		}
	}
	free(el);
}
