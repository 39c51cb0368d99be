// SPDX-License-Identifier: MIT
/* test_sgp4.c - SGP4/SDP4 against Vallado's verification output tcppver.out */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/sgp4.h"
#include "topo/tle.h"
#include "tests/lib/data.h"

/*
 * tests/data/SGP4-VER.TLE and tcppver.out are the verification files of
 * Vallado et al. 2006, as Debian's python3-sgp4 ships them. tcppver.out is
 * the output of Vallado's testcpp driver in verification mode with the
 * improved operation mode 'i' (with 'a' the deep-space sets differ by up to
 * 0.96 km). The driver, for each element set (line 2 carries start, stop and
 * step minutes after column 69):
 * - prints "satnum xx", then the state at t = 0; its r and v arrays are
 *   only written by a successful propagation (or one that ends in decay,
 *   code 6), so when t = 0 fails it prints the previous set's last state;
 * - t = start (minus one step if start is not 0), then while t < stop and
 *   no error: t += step, clamped to stop, and prints the state unless the
 *   propagation failed (which ends the set).
 * This test runs the same driver and compares every printed line.
 */
#define VER_TLE "tests/data/SGP4-VER.TLE"
#define VER_OUT "tests/data/tcppver.out"
#define TOL 2e-7

/* One printed state: t, r, v. */
struct ver_line {
	double t, r[3], v[3];
};

/* One element set of the verification run. */
struct ver_set {
	long satnum;
	struct sgp4_elements el;
	double start, stop, step;
	struct ver_line *lines; /* from tcppver.out */
	size_t n;
};

struct ver {
	char *tle_text, *out_text;
	struct ver_set set[64];
	size_t nsets, nlines; /* vector lines in tcppver.out */
};

static void ver_load(struct ver *v)
{
	size_t len;
	char *line, *save = NULL;
	struct ver_set *cur = NULL;

	memset(v, 0, sizeof(*v));

	/* Element sets: line 1 then line 2, whose columns 70- hold the
	 * run's start, stop and step. Checksums of the error-code sets
	 * 33333-33335 are wrong in the file, so they are not checked. */
	v->tle_text = data_read(VER_TLE, &len);
	for (line = strtok_r(v->tle_text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *l2;
		struct tle_error err;
		struct ver_set *s;

		if (line[0] != '1')
			continue;
		l2 = strtok_r(NULL, "\n", &save);
		cr_assert(l2 && strlen(l2) > TLE_LINE_LEN);
		cr_assert_lt(v->nsets, 64);
		s = &v->set[v->nsets++];
		cr_assert(tle_parse_lines(line, strlen(line), l2, TLE_LINE_LEN,
					  TLE_F_NO_CHECKSUM, &s->el, &err),
			  "%s: %s", line, err.msg);
		s->satnum = s->el.satnum;
		cr_assert_eq(sscanf(l2 + TLE_LINE_LEN, "%lf %lf %lf", &s->start,
				    &s->stop, &s->step),
			     3);
	}
	cr_assert_eq(v->nsets, 33);

	/* Expected output: "N xx" headers, then vector lines. */
	v->out_text = data_read(VER_OUT, &len);
	save = NULL;
	for (line = strtok_r(v->out_text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct ver_line *l;
		long satnum;

		if (strstr(line, "xx")) {
			cr_assert_eq(sscanf(line, "%ld", &satnum), 1);
			cur = cur ? cur + 1 : &v->set[0];
			cr_assert_lt((size_t)(cur - v->set), v->nsets);
			cr_assert_eq(cur->satnum, satnum);
			continue;
		}
		cr_assert(cur, "vector line before any header");
		cur->lines =
		    realloc(cur->lines, (cur->n + 1) * sizeof(*cur->lines));
		cr_assert(cur->lines);
		l = &cur->lines[cur->n++];
		cr_assert_eq(sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &l->t,
				    &l->r[0], &l->r[1], &l->r[2], &l->v[0],
				    &l->v[1], &l->v[2]),
			     7, "bad line \"%s\"", line);
		v->nlines++;
	}
	cr_assert_eq(cur - v->set + 1, (long)v->nsets,
		     "tcppver.out lacks some element sets");
}

static void ver_free(struct ver *v)
{
	for (size_t i = 0; i < v->nsets; i++)
		free(v->set[i].lines);
	free(v->tle_text);
	free(v->out_text);
}

/* The driver's r/v arrays: written by success or by decay (code 6). */
struct driver {
	double r[3], v[3];
	size_t compared;
	double max_dr, max_dv;
};

static int driver_step(struct driver *d, struct sgp4_sat *s, double t)
{
	struct vec3 r, v;
	int rc = sgp4_propagate(s, t, &r, &v);

	if (rc == SGP4_OK || rc == SGP4_E_DECAYED) {
		d->r[0] = r.x;
		d->r[1] = r.y;
		d->r[2] = r.z;
		d->v[0] = v.x;
		d->v[1] = v.y;
		d->v[2] = v.z;
	}
	return rc;
}

/* Compare the driver's state at t with the next line of the set. */
static void driver_check(struct driver *d, const struct ver_set *s, size_t *k,
			 double t)
{
	const struct ver_line *l;

	cr_assert_lt(*k, s->n, "set %ld: more lines than tcppver.out (t %.8f)",
		     s->satnum, t);
	l = &s->lines[(*k)++];
	cr_assert(fabs(l->t - t) < 1e-7, "set %ld: t %.8f, expected %.8f",
		  s->satnum, t, l->t);
	for (int i = 0; i < 3; i++) {
		double dr = fabs(d->r[i] - l->r[i]);
		double dv = fabs(d->v[i] - l->v[i]);

		cr_assert(dr <= TOL,
			  "set %ld t %.8f r[%d] %.8f, expected %.8f (off %.3g)",
			  s->satnum, t, i, d->r[i], l->r[i], dr);
		cr_assert(dv <= TOL,
			  "set %ld t %.8f v[%d] %.9f, expected %.9f (off %.3g)",
			  s->satnum, t, i, d->v[i], l->v[i], dv);
		d->max_dr = fmax(d->max_dr, dr);
		d->max_dv = fmax(d->max_dv, dv);
	}
	d->compared++;
}

/* Expected error codes: the sets that stop early in tcppver.out. */
static const struct {
	size_t index; /* of the set in SGP4-VER.TLE */
	long satnum;
	int code;
} ver_errors[] = {
    {11, 22312, SGP4_E_MEAN_ECC},   /* decays: e >= 1 after 494 min */
    {22, 28350, SGP4_E_MEAN_ECC},   /* e < -0.001 at 1560 min */
    {25, 28872, SGP4_E_DECAYED},    /* sub-orbital, lost at 55 min */
    {26, 29141, SGP4_E_DECAYED},    /* lost at 440 min */
    {29, 33333, SGP4_E_SEMI_LATUS}, /* error code 4 at 25 min */
    {30, 33334, SGP4_E_PERT_ECC},   /* at epoch already */
    {32, 20413, SGP4_E_DECAYED},    /* 1844345 min after epoch */
};

static int expected_error(size_t index, long satnum)
{
	for (size_t i = 0; i < sizeof(ver_errors) / sizeof(ver_errors[0]);
	     i++) {
		if (ver_errors[i].index == index) {
			cr_assert_eq(ver_errors[i].satnum, satnum);
			return ver_errors[i].code;
		}
	}
	return SGP4_OK;
}

Test(sgp4, tcppver)
{
	struct ver v;
	struct driver d = {0};
	size_t errors = 0;

	ver_load(&v);
	cr_assert_eq(v.nlines, 667, "tcppver.out has %zu vector lines",
		     v.nlines);

	for (size_t i = 0; i < v.nsets; i++) {
		const struct ver_set *s = &v.set[i];
		struct sgp4_sat sat;
		int init_rc, rc, err = SGP4_OK, want;
		size_t k = 0;
		double t;

		init_rc = sgp4_init(&sat, &s->el, 'i');
		cr_assert_eq(init_rc, sat.error);
		rc = driver_step(&d, &sat, 0.0);
		cr_assert_eq(rc, init_rc, "set %ld: t=0 gives %d, init %d",
			     s->satnum, rc, init_rc);
		if (rc != SGP4_OK)
			err = rc;
		driver_check(&d, s, &k, 0.0);

		t = s->start;
		if (fabs(t) > 1.0e-8)
			t -= s->step;
		while (t < s->stop && sat.error == SGP4_OK) {
			t += s->step;
			if (t > s->stop)
				t = s->stop;
			rc = driver_step(&d, &sat, t);
			if (rc != SGP4_OK) {
				err = rc;
				break;
			}
			driver_check(&d, s, &k, t);
		}
		cr_assert_eq(k, s->n, "set %ld: %zu lines, tcppver.out has %zu",
			     s->satnum, k, s->n);
		want = expected_error(i, s->satnum);
		cr_assert_eq(err, want, "set %ld: error %d, expected %d",
			     s->satnum, err, want);
		if (err)
			errors++;
	}
	cr_assert_eq(errors, sizeof(ver_errors) / sizeof(ver_errors[0]));
	cr_assert_eq(d.compared, v.nlines, "compared %zu of %zu lines",
		     d.compared, v.nlines);
	cr_log_info("tcppver: %zu state vectors within %g: max |dr| %.3g km, "
		    "max |dv| %.3g km/s",
		    d.compared, TOL, d.max_dr, d.max_dv);
	ver_free(&v);
}

/*
 * Opsmode 'a' changes only deep-space results (sidereal time at epoch, and
 * the node in Lyddane's low-inclination periodics): near-Earth states are
 * identical, deep-space ones move, but by kilometres, not more.
 */
Test(sgp4, opsmode_afspc)
{
	struct ver v;
	size_t near = 0, deep = 0;
	double max_deep = 0;

	ver_load(&v);
	for (size_t i = 0; i < v.nsets; i++) {
		struct sgp4_sat si, sa;
		struct vec3 ri, vi, ra, va;

		if (sgp4_init(&si, &v.set[i].el, 'i') ||
		    sgp4_init(&sa, &v.set[i].el, 'a'))
			continue;
		for (double t = 0; t <= 1440.0; t += 120.0) {
			if (sgp4_propagate(&si, t, &ri, &vi) ||
			    sgp4_propagate(&sa, t, &ra, &va))
				break;
			if (!si.deep) {
				cr_assert_eq(ri.x, ra.x);
				cr_assert_eq(ri.y, ra.y);
				cr_assert_eq(ri.z, ra.z);
				cr_assert_eq(vi.z, va.z);
				near++;
			} else {
				max_deep = fmax(max_deep, vec3_dist(ri, ra));
				deep++;
			}
		}
	}
	cr_assert_gt(near, 50);
	cr_assert_gt(deep, 100);
	cr_assert_gt(max_deep, 1e-6, "'a' changed no deep-space state");
	cr_assert_lt(max_deep, 10.0, "'a' moved a state by %g km", max_deep);
	ver_free(&v);
}

/* A circular orbit at 550 km, 53 degrees (Starlink shell 1), at J2000. */
static struct sgp4_elements starlink_el(void)
{
	const double mu = 398600.8, re = 6378.135;
	double a = re + 550.0;
	double n = sqrt(mu / (a * a * a)) * 60.0; /* rad/min */

	return (struct sgp4_elements){
	    .satnum = 1,
	    .epoch_jd = 2451544.5,
	    .epoch_jdfrac = 0.5,
	    .epoch_unix_ns = INT64_C(946728000) * 1000000000,
	    .inclo = 53.0 * M_PI / 180.0,
	    .no_kozai = n,
	};
}

/* v is the derivative of r: central differences over +-1 s. */
Test(sgp4, velocity_is_derivative_of_position)
{
	struct sgp4_elements el = starlink_el();
	struct sgp4_sat s;
	struct vec3 r0, v0, rm, rp, vm, vp;
	const double h = 1.0 / 60.0; /* minutes */

	el.ecco = 0.001;
	el.bstar = 1e-4;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_OK);
	cr_assert(!s.deep);
	for (double t = 0; t < 3000; t += 97.3) {
		cr_assert_eq(sgp4_propagate(&s, t, &r0, &v0), SGP4_OK);
		cr_assert_eq(sgp4_propagate(&s, t - h, &rm, &vm), SGP4_OK);
		cr_assert_eq(sgp4_propagate(&s, t + h, &rp, &vp), SGP4_OK);
		struct vec3 fd = vec3_scale(vec3_sub(rp, rm), 1.0 / 2.0);

		cr_assert_lt(vec3_dist(fd, v0), 1e-4,
			     "t %g: |dr/dt - v| = %g km/s", t,
			     vec3_dist(fd, v0));
		cr_assert(fabs(vec3_norm(r0) - (6378.135 + 550.0)) < 20.0,
			  "t %g: radius %g", t, vec3_norm(r0));
	}
}

/* Design check: the period at 550 km is 95.65 min (WGS-72 mu). */
Test(sgp4, period_at_550_km)
{
	struct sgp4_elements el = starlink_el();
	struct sgp4_sat s;
	struct vec3 r, v, r0, v0;
	double best_t = 0, best = 1e9;

	el.inclo = 0.0; /* no J2 nodal/apsidal motion to blur it */
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_OK);
	cr_assert_eq(sgp4_propagate(&s, 0, &r0, &v0), SGP4_OK);
	/* Angle from the start direction, minimum near one period. */
	for (double t = 94.0; t < 97.5; t += 0.001) {
		cr_assert_eq(sgp4_propagate(&s, t, &r, &v), SGP4_OK);
		double d = vec3_dist(r, r0);

		if (d < best) {
			best = d;
			best_t = t;
		}
	}
	/* J2 shifts the anomalistic period of an equatorial orbit by a
	 * few tenths of a minute from the two-body 95.65 min. */
	cr_assert(fabs(best_t - 95.65) < 0.5, "period %.3f min", best_t);
}

Test(sgp4, tsince)
{
	struct sgp4_elements el = starlink_el();
	struct sgp4_sat s;

	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_OK);
	cr_assert_eq(sgp4_tsince(&s, el.epoch_unix_ns), 0.0);
	cr_assert_eq(
	    sgp4_tsince(&s, el.epoch_unix_ns + 90 * INT64_C(60000000000)),
	    90.0);
	cr_assert_eq(sgp4_tsince(&s, el.epoch_unix_ns - INT64_C(30000000000)),
		     -0.5);
	/* More than 292 years away: no overflow, a time SGP4 refuses. */
	el.epoch_unix_ns = INT64_MIN + 5;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_OK);
	cr_assert(isinf(sgp4_tsince(&s, INT64_MAX)));
	cr_assert_gt(sgp4_tsince(&s, INT64_MAX), 0);
	el.epoch_unix_ns = INT64_MAX - 5;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_OK);
	cr_assert_lt(sgp4_tsince(&s, INT64_MIN), -1e300);
}

/* Every code has its own words; unknown codes say so. */
Test(sgp4, error_str)
{
	cr_assert_str_eq(sgp4_error_str(SGP4_E_DECAYED),
			 "satellite has decayed");
	for (int i = SGP4_E_MEAN_ECC; i <= SGP4_E_TIME; i++)
		for (int j = i + 1; j <= SGP4_E_TIME; j++)
			cr_assert_str_neq(sgp4_error_str(i), sgp4_error_str(j));
	cr_assert_str_eq(sgp4_error_str(99), "unknown error");
	cr_assert_str_eq(sgp4_error_str(-1), "unknown error");
}

Test(sgp4, bad_elements)
{
	struct sgp4_elements el = starlink_el();
	struct sgp4_sat s;
	struct vec3 r, v;

	el.ecco = 1.0;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_E_MEAN_ECC);
	cr_assert_eq(s.error, SGP4_E_MEAN_ECC);
	el.ecco = -0.1;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_E_MEAN_ECC);
	el.ecco = NAN;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_E_MEAN_ECC);
	el.ecco = 0.0;
	el.no_kozai = 0.0;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_E_MEAN_MOTION);
	el.no_kozai = -0.06;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_E_MEAN_MOTION);
	/* A refused satellite stays refused. */
	cr_assert_eq(sgp4_propagate(&s, 10.0, &r, &v), SGP4_E_MEAN_MOTION);
	memset(&s, 0, sizeof(s));
	cr_assert_eq(sgp4_propagate(&s, 10.0, &r, &v), SGP4_E_MEAN_MOTION);
	/* Elements that are not numbers give no state. */
	el = starlink_el();
	el.inclo = NAN;
	sgp4_init(&s, &el, 'i');
	cr_assert_neq(sgp4_propagate(&s, 10.0, &r, &v), SGP4_OK);

	/* A perigee inside the Earth: decayed at epoch, r still set. */
	el = starlink_el();
	el.no_kozai = 0.0745; /* a just under one earth radius */
	el.ecco = 0.01;
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_E_DECAYED);

	/* Times the propagator refuses. */
	el = starlink_el();
	cr_assert_eq(sgp4_init(&s, &el, 'i'), SGP4_OK);
	cr_assert_eq(sgp4_propagate(&s, INFINITY, &r, &v), SGP4_E_TIME);
	cr_assert_eq(sgp4_propagate(&s, NAN, &r, &v), SGP4_E_TIME);
	cr_assert_eq(sgp4_propagate(&s, -2 * SGP4_MAX_TSINCE, &r, &v),
		     SGP4_E_TIME);
	cr_assert_eq(sgp4_propagate(&s, 10.0, &r, &v), SGP4_OK);
}
