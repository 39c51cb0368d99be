// SPDX-License-Identifier: MIT
/* test_isl.c - laser link candidates (+Grid, pairs, nearest) and rules */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/isl.h"
#include "topo/step.h"

#define R_E TOPO_WGS72_RE
#define S_NS INT64_C(1000000000)

static struct isl_rules rules_of(const struct isl_params *p, struct vec3 sun)
{
	struct isl_rules r;

	isl_rules_init(&r, p, sun);
	return r;
}

static const struct vec3 no_sun = { 0.0, 0.0, 0.0 };

/* Two points at radius r, symmetric about the x axis, chord length len. */
static void chord(double r, double len, struct vec3 *a, struct vec3 *b)
{
	double th = asin(len / (2.0 * r));

	*a = (struct vec3){ r * cos(th), r * sin(th), 0.0 };
	*b = (struct vec3){ r * cos(th), -r * sin(th), 0.0 };
}

Test(isl, grazing_limit_at_550_km)
{
	struct isl_params p;
	struct isl_rules r;
	struct vec3 a, b;
	double rs = R_E + 550.0, rg = R_E + 80.0;
	double lmax = 2.0 * sqrt(rs * rs - rg * rg), len;

	isl_params_default(&p);
	r = rules_of(&p, no_sun);
	cr_assert(fabs(lmax - 5016.6) < 0.05, "closed form %.3f", lmax);
	chord(rs, lmax - 0.1, &a, &b);
	cr_assert_eq(isl_check(&r, a, b, false, &len), ISL_UP);
	cr_assert(fabs(len - (lmax - 0.1)) < 1e-6);
	chord(rs, lmax + 0.1, &a, &b);
	cr_assert_eq(isl_check(&r, a, b, false, NULL), ISL_GRAZING);
	/* with a higher grazing altitude the same link is down */
	p.grazing_km = 100.0;
	r = rules_of(&p, no_sun);
	chord(rs, lmax - 0.1, &a, &b);
	cr_assert_eq(isl_check(&r, a, b, false, NULL), ISL_GRAZING);
}

/* The closest point can be an end: a low satellite under the limit. */
Test(isl, grazing_end_below_limit)
{
	struct isl_params p;
	struct isl_rules r;
	struct vec3 a = { R_E + 60.0, 0.0, 0.0 }, b = { R_E + 600.0, 10.0, 0.0 };

	isl_params_default(&p);
	r = rules_of(&p, no_sun);
	cr_assert_eq(isl_check(&r, a, b, false, NULL), ISL_GRAZING);
	a.x = R_E + 81.0;
	cr_assert_eq(isl_check(&r, a, b, false, NULL), ISL_UP);
}

Test(isl, max_range)
{
	struct isl_params p;
	struct isl_rules r;
	struct vec3 a, b;

	isl_params_default(&p);
	p.max_range_km = 1000.0;
	r = rules_of(&p, no_sun);
	chord(R_E + 550.0, 999.9, &a, &b);
	cr_assert_eq(isl_check(&r, a, b, false, NULL), ISL_UP);
	chord(R_E + 550.0, 1000.1, &a, &b);
	cr_assert_eq(isl_check(&r, a, b, false, NULL), ISL_RANGE);
}

/* A point at radius r, geocentric latitude lat_deg, longitude lon_deg. */
static struct vec3 at_lat(double r, double lat_deg, double lon_deg)
{
	double la = lat_deg * TOPO_DEG, lo = lon_deg * TOPO_DEG;

	return (struct vec3){ r * cos(la) * cos(lo), r * cos(la) * sin(lo),
			      r * sin(la) };
}

Test(isl, cross_plane_latitude_rule)
{
	struct isl_params p;
	struct isl_rules r;
	double rs = R_E + 550.0;
	struct vec3 a = at_lat(rs, 56.0, 0.0), b = at_lat(rs, 54.0, 5.0);
	struct vec3 c = at_lat(rs, 54.5, 0.0), d;

	isl_params_default(&p);
	p.has_cross_lat = true;
	p.cross_lat_deg = 55.0;
	r = rules_of(&p, no_sun);
	/* one end above the limit: cross-plane down, intra-plane up */
	cr_assert_eq(isl_check(&r, a, b, true, NULL), ISL_CROSS_LAT);
	cr_assert_eq(isl_check(&r, b, a, true, NULL), ISL_CROSS_LAT);
	cr_assert_eq(isl_check(&r, a, b, false, NULL), ISL_UP);
	/* both below (the south counts by absolute value) */
	cr_assert_eq(isl_check(&r, c, b, true, NULL), ISL_UP);
	c = at_lat(rs, -54.5, 0.0);
	d = at_lat(rs, -55.1, 2.0);
	cr_assert_eq(isl_check(&r, c, d, true, NULL), ISL_CROSS_LAT);
	d = at_lat(rs, -54.9, 2.0);
	cr_assert_eq(isl_check(&r, c, d, true, NULL), ISL_UP);
	/* rule off */
	p.has_cross_lat = false;
	r = rules_of(&p, no_sun);
	cr_assert_eq(isl_check(&r, a, b, true, NULL), ISL_UP);
}

Test(isl, cross_plane_needs_same_shell)
{
	struct constel_node a = { .shell = 0, .plane = 1 };
	struct constel_node b = { .shell = 0, .plane = 2 };
	struct constel_node c = { .shell = 1, .plane = 2 };
	struct constel_node t = { .shell = CONSTEL_NO_SHELL };

	cr_assert(isl_cross_plane(&a, &b));
	cr_assert_not(isl_cross_plane(&b, &c));
	cr_assert_not(isl_cross_plane(&t, &t));
	b.plane = 1;
	cr_assert_not(isl_cross_plane(&a, &b));
}

/* Sun along +x; a 1000 km link at ang_deg from +x, in the x-y plane. */
static enum isl_verdict sun_case(double excl, double ang_deg, bool reverse)
{
	struct isl_params p;
	struct isl_rules r;
	struct vec3 sun = { 2.0, 0.0, 0.0 };	/* not unit: normalised */
	struct vec3 a = { 0.0, 0.0, R_E + 550.0 };
	struct vec3 b = { a.x + 1000.0 * cos(ang_deg * TOPO_DEG),
			  1000.0 * sin(ang_deg * TOPO_DEG), a.z };

	isl_params_default(&p);
	p.sun_excl_deg = excl;
	r = rules_of(&p, sun);
	return reverse ? isl_check(&r, b, a, false, NULL) :
			 isl_check(&r, a, b, false, NULL);
}

Test(isl, sun_exclusion)
{
	cr_assert_eq(sun_case(10.0, 9.9, false), ISL_SUN);
	cr_assert_eq(sun_case(10.0, 10.1, false), ISL_UP);
	cr_assert_eq(sun_case(10.0, 90.0, false), ISL_UP);
	/* seen from the other end: b looks at a, away from the Sun... */
	cr_assert_eq(sun_case(10.0, 5.0, true), ISL_SUN);
	/* ...and a link pointing away from the Sun blinds the far end */
	cr_assert_eq(sun_case(10.0, 175.0, false), ISL_SUN);
	cr_assert_eq(sun_case(10.0, 169.0, false), ISL_UP);
	cr_assert_eq(sun_case(0.0, 0.0, false), ISL_UP);
}

/* ---- +Grid --------------------------------------------------------------- */

/*
 * A constellation of bare nodes for one Walker shell (no propagator) and
 * positions on circular Keplerian orbits at t seconds, as walker.h describes
 * the pattern: RAAN raan0 + p * span/P, argument of latitude
 * s * 360/S + p * (F * 360/T + extra * 360/S) + n t.
 */
static void fake_shell(struct constel *c, const struct walker_shell *w)
{
	size_t n = (size_t)w->planes * w->per_plane;

	constel_init(c);
	c->node = calloc(n, sizeof(*c->node));
	c->shells = malloc(sizeof(*c->shells));
	cr_assert(c->node && c->shells);
	c->shells[0] = *w;
	c->nshells = 1;
	for (size_t i = 0; i < n; i++) {
		c->node[i].kind = CONSTEL_SAT;
		c->node[i].shell = 0;
		c->node[i].plane = (unsigned)(i / w->per_plane);
		c->node[i].slot = (unsigned)(i % w->per_plane);
	}
	c->n = c->nsat = c->cap = n;
}

static struct vec3 kepler_pos(const struct walker_shell *w, unsigned p,
			      unsigned s, double t)
{
	double a = R_E + w->alt_km, n = sqrt(TOPO_WGS72_MU / (a * a * a));
	double span = w->kind == WALKER_STAR ? 180.0 : 360.0;
	double T = (double)w->planes * w->per_plane;
	double raan = (w->raan0_deg + p * span / w->planes) * TOPO_DEG;
	double u = (s * 360.0 / w->per_plane +
		    p * (w->phasing * 360.0 / T +
			 w->extra_phase * 360.0 / w->per_plane)) * TOPO_DEG +
		   n * t;
	double inc = w->incl_deg * TOPO_DEG;

	return (struct vec3){
		a * (cos(raan) * cos(u) - sin(raan) * sin(u) * cos(inc)),
		a * (sin(raan) * cos(u) + cos(raan) * sin(u) * cos(inc)),
		a * sin(u) * sin(inc),
	};
}

static struct walker_shell shell(enum walker_kind k, unsigned P, unsigned S,
				 unsigned F, double extra)
{
	struct walker_shell w = {
		.kind = k, .planes = P, .per_plane = S, .phasing = F,
		.alt_km = 550.0, .incl_deg = k == WALKER_STAR ? 87.0 : 53.0,
		.extra_phase = extra, .raan0_deg = 10.0,
	};

	strcpy(w.name, "t");
	return w;
}

static void grid_of(const struct walker_shell *w, struct constel *c,
		    struct isl_pair **pr, size_t *n, unsigned **deg)
{
	struct isl_params p;

	fake_shell(c, w);
	isl_params_default(&p);
	cr_assert_eq(isl_fixed_build(c, &p, pr, n), 0);
	*deg = calloc(c->nsat, sizeof(**deg));
	cr_assert_not_null(*deg);
	for (size_t k = 0; k < *n; k++) {
		cr_assert_lt((*pr)[k].a, (*pr)[k].b);
		if (k > 0)	/* sorted and no duplicate */
			cr_assert((*pr)[k - 1].a < (*pr)[k].a ||
				  ((*pr)[k - 1].a == (*pr)[k].a &&
				   (*pr)[k - 1].b < (*pr)[k].b));
		(*deg)[(*pr)[k].a]++;
		(*deg)[(*pr)[k].b]++;
	}
}

/*
 * For satellite i of plane p, how much farther its partner j in plane q is
 * than the nearest satellite of plane q.
 */
static double neighbour_ratio(const struct walker_shell *w, size_t i,
			      size_t j, double t)
{
	unsigned S = w->per_plane, p = (unsigned)(i / S), q = (unsigned)(j / S);
	struct vec3 pi = kepler_pos(w, p, (unsigned)(i % S), t);
	double best = INFINITY;

	for (unsigned s = 0; s < S; s++)
		best = fmin(best, vec3_dist(pi, kepler_pos(w, q, s, t)));
	return vec3_dist(pi, kepler_pos(w, q, (unsigned)(j % S), t)) / best;
}

static void check_delta(unsigned P, unsigned S, unsigned F, double extra)
{
	struct walker_shell w = shell(WALKER_DELTA, P, S, F, extra);
	struct constel c;
	struct isl_pair *pr;
	unsigned *deg;
	size_t n, nwrap = 0, nreg = 0;
	double wsum = 0.0, rsum = 0.0, worst_regular = 0.0, worst_wrap = 0.0;
	double lo = INFINITY, hi = 0.0, wlo = INFINITY, whi = 0.0;

	grid_of(&w, &c, &pr, &n, &deg);
	cr_assert_eq(n, 2 * (size_t)P * S, "%zu candidates", n);
	for (size_t i = 0; i < c.nsat; i++)
		cr_assert_eq(deg[i], 4, "satellite %zu has degree %u", i,
			     deg[i]);
	for (double t = 0.0; t < 6000.0; t += 700.0) {
		for (size_t k = 0; k < n; k++) {
			size_t a = pr[k].a, b = pr[k].b;
			unsigned pa = (unsigned)(a / S), pb = (unsigned)(b / S);
			bool wrap = (pa == 0 && pb == P - 1);
			size_t from = wrap ? b : a, to = wrap ? a : b;
			double len, ratio;

			if (pa == pb)
				continue;	/* intra-plane */
			ratio = neighbour_ratio(&w, from, to, t);
			len = vec3_dist(kepler_pos(&w, pa, a % S, t),
					kepler_pos(&w, pb, b % S, t));
			if (wrap) {
				nwrap++;
				wsum += len;
				worst_wrap = fmax(worst_wrap, ratio);
				wlo = fmin(wlo, len);
				whi = fmax(whi, len);
			} else {
				nreg++;
				rsum += len;
				worst_regular = fmax(worst_regular, ratio);
				lo = fmin(lo, len);
				hi = fmax(hi, len);
			}
		}
	}
	cr_assert_gt(nwrap, 0);
	/* the wrap links are on average no longer than the others */
	cr_assert(wsum / nwrap <= 1.02 * rsum / nreg,
		  "mean wrap %.1f km, regular %.1f km", wsum / nwrap,
		  rsum / nreg);
	/*
	 * When the pattern is symmetric (P * extra whole) they are congruent
	 * to them: the same lengths, and as close to the nearest satellite
	 * of the other plane.
	 */
	if (fabs(P * extra - round(P * extra)) < 1e-9) {
		cr_assert(worst_wrap <= worst_regular * 1.001,
			  "wrap ratio %.4f, regular %.4f", worst_wrap,
			  worst_regular);
		cr_assert(wlo >= lo * 0.999 && whi <= hi * 1.001,
			  "wrap lengths %.1f..%.1f, regular %.1f..%.1f", wlo,
			  whi, lo, hi);
	}
	free(deg);
	free(pr);
	constel_free(&c);
}

Test(isl, grid_delta_starlink_shell1)
{
	check_delta(72, 22, 39, 0.0);
}

Test(isl, grid_delta_small_and_extra_phase)
{
	check_delta(10, 10, 3, 0.0);
}

Test(isl, grid_delta_small_b)
{
	check_delta(10, 10, 3, 0.2);	/* wrap offset round(3 + 2) = 5 */
}

Test(isl, grid_delta_small_c)
{
	check_delta(12, 9, 0, 0.0);
}

Test(isl, grid_delta_small_d)
{
	check_delta(5, 7, 4, -0.1);
}

Test(isl, grid_wrap_offset_formula)
{
	struct walker_shell w = shell(WALKER_DELTA, 72, 22, 39, 0.0);

	cr_assert_eq(isl_grid_wrap_offset(&w), 39);
	w.extra_phase = 0.25;	/* 39 + 18 */
	cr_assert_eq(isl_grid_wrap_offset(&w), 57);
	w.extra_phase = 0.01;	/* 39.72 */
	cr_assert_eq(isl_grid_wrap_offset(&w), 40);
	/* half-way: 3.5; delta = 0.7 > 0, so 3 (phase difference 0.2) */
	w = shell(WALKER_DELTA, 5, 7, 4, -0.1);
	cr_assert_eq(isl_grid_wrap_offset(&w), 3);
	w = shell(WALKER_DELTA, 5, 7, 0, -0.1);	/* -0.5, delta < 0: 0 */
	cr_assert_eq(isl_grid_wrap_offset(&w), 0);
}

/* A wrong wrap (plain same slot) would join satellites far apart. */
Test(isl, grid_wrong_wrap_is_detectably_far)
{
	struct walker_shell w = shell(WALKER_DELTA, 72, 22, 39, 0.0);
	double good = 0.0, bad = 0.0;

	for (unsigned s = 0; s < 22; s++) {
		struct vec3 p = kepler_pos(&w, 71, s, 0.0);

		good += vec3_dist(p, kepler_pos(&w, 0, (s + 39) % 22, 0.0));
		bad += vec3_dist(p, kepler_pos(&w, 0, s, 0.0));
	}
	cr_assert_gt(bad, 2.0 * good, "good %.0f bad %.0f", good / 22,
		     bad / 22);
}

Test(isl, grid_star_has_a_seam)
{
	unsigned P = 6, S = 12;
	struct walker_shell w = shell(WALKER_STAR, P, S, 1, 0.0);
	struct constel c;
	struct isl_pair *pr;
	unsigned *deg;
	size_t n;

	grid_of(&w, &c, &pr, &n, &deg);
	cr_assert_eq(n, (size_t)P * S + (size_t)(P - 1) * S);
	for (size_t k = 0; k < n; k++) {
		unsigned pa = c.node[pr[k].a].plane, pb = c.node[pr[k].b].plane;

		cr_assert(!(pa == 0 && pb == P - 1), "link across the seam");
		cr_assert(pb == pa || pb == pa + 1);
	}
	for (size_t i = 0; i < c.nsat; i++) {
		unsigned p = c.node[i].plane;

		cr_assert_eq(deg[i], p == 0 || p == P - 1 ? 3 : 4,
			     "plane %u satellite %zu degree %u", p, i, deg[i]);
	}
	free(deg);
	free(pr);
	constel_free(&c);
}

Test(isl, grid_tiny_shells_have_no_self_or_double_links)
{
	struct walker_shell w = shell(WALKER_DELTA, 2, 2, 0, 0.0);
	struct constel c;
	struct isl_pair *pr;
	unsigned *deg;
	size_t n;

	grid_of(&w, &c, &pr, &n, &deg);
	/* 0-1, 2-3 in the planes, 0-2, 1-3 across (wrap = same pairs) */
	cr_assert_eq(n, 4);
	free(deg);
	free(pr);
	constel_free(&c);
}

Test(isl, pairs_are_checked_and_merged)
{
	struct walker_shell w = shell(WALKER_DELTA, 3, 4, 1, 0.0);
	struct isl_pair good[2] = { { 5, 0 }, { 0, 1 } }, bad = { 2, 2 };
	struct isl_pair far = { 0, 12 };
	struct isl_params p;
	struct isl_pair *pr;
	struct constel c;
	size_t n;

	fake_shell(&c, &w);
	isl_params_default(&p);
	p.source = ISL_SRC_PAIRS;
	p.pairs = good;
	p.npairs = 2;
	cr_assert_eq(isl_fixed_build(&c, &p, &pr, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert(pr[0].a == 0 && pr[0].b == 1 && pr[1].a == 0 &&
		  pr[1].b == 5);
	free(pr);
	/* with the grid, 0-1 is not listed twice */
	p.source = ISL_SRC_PAIRS | ISL_SRC_GRID;
	cr_assert_eq(isl_fixed_build(&c, &p, &pr, &n), 0);
	cr_assert_eq(n, 2 * 12 + 1);
	free(pr);
	p.pairs = &bad;
	p.npairs = 1;
	cr_assert_eq(isl_fixed_build(&c, &p, &pr, &n), -EINVAL);
	p.pairs = &far;
	cr_assert_eq(isl_fixed_build(&c, &p, &pr, &n), -EINVAL);
	constel_free(&c);
}

/* ---- acquisition and nearest, through the step's link phase -------------- */

/* n bare satellites without plane structure, and a model over them. */
static void fake_sats(struct constel *c, size_t n)
{
	constel_init(c);
	c->node = calloc(n, sizeof(*c->node));
	cr_assert_not_null(c->node);
	for (size_t i = 0; i < n; i++) {
		c->node[i].kind = CONSTEL_SAT;
		c->node[i].shell = CONSTEL_NO_SHELL;
	}
	c->n = c->nsat = c->cap = n;
}

static void links_at(const struct topo_model *m, const struct topo_state *prev,
		     struct topo_state *out, int64_t t)
{
	out->unix_ns = t;
	for (size_t i = 0; i < out->n; i++)
		out->up[i] = 1;
	cr_assert_eq(topo_step_links(m, prev, out), 0);
}

static bool has_link(const struct topo_state *st, uint32_t a, uint32_t b)
{
	for (size_t k = 0; k < st->links.n; k++)
		if ((st->links.v[k].a == a && st->links.v[k].b == b) ||
		    (st->links.v[k].a == b && st->links.v[k].b == a))
			return true;
	return false;
}

Test(isl, acquisition_time)
{
	struct constel c;
	struct topo_model m;
	struct topo_state st[2];
	struct isl_pair pair = { 0, 1 };
	int64_t acq = 2 * S_NS, t0 = 10 * S_NS;
	double rs = R_E + 550.0;
	int cur = 0;

	fake_sats(&c, 2);
	topo_model_init(&m, &c);
	m.isl.source = ISL_SRC_PAIRS;
	m.isl.pairs = &pair;
	m.isl.npairs = 1;
	m.isl.acquisition_ns = acq;
	cr_assert_eq(topo_model_prepare(&m), 0);
	cr_assert_eq(topo_state_init(&st[0], &m), 0);
	cr_assert_eq(topo_state_init(&st[1], &m), 0);

	/* infeasible until t0 (the chord dips under the grazing height) */
	chord(rs, 6000.0, &st[0].pos[0], &st[0].pos[1]);
	links_at(&m, NULL, &st[0], 0);
	cr_assert_not(has_link(&st[0], 0, 1));
	cr_assert_eq(st[0].cnt.isl_down[ISL_GRAZING], 1);
	for (int64_t t = S_NS; t < t0; t += S_NS) {
		chord(rs, 6000.0, &st[!cur].pos[0], &st[!cur].pos[1]);
		links_at(&m, &st[cur], &st[!cur], t);
		cur = !cur;
		cr_assert_not(has_link(&st[cur], 0, 1));
	}
	/* feasible from t0: acquiring, then up at t0 + acq */
	for (int64_t t = t0; t <= t0 + acq; t += acq / 4) {
		chord(rs, 4000.0, &st[!cur].pos[0], &st[!cur].pos[1]);
		links_at(&m, &st[cur], &st[!cur], t);
		cur = !cur;
		if (t < t0 + acq) {
			cr_assert_not(has_link(&st[cur], 0, 1), "up at t0+%lld",
				      (long long)(t - t0));
			cr_assert_eq(st[cur].cnt.isl_acquiring, 1);
		} else {
			cr_assert(has_link(&st[cur], 0, 1));
		}
		cr_assert_eq(st[cur].fixed_since[0], t0);
	}
	/* it breaks: the memory is lost, acquisition starts over */
	chord(rs, 6000.0, &st[!cur].pos[0], &st[!cur].pos[1]);
	links_at(&m, &st[cur], &st[!cur], t0 + 3 * acq);
	cur = !cur;
	cr_assert_eq(st[cur].fixed_since[0], TOPO_NEVER);
	chord(rs, 4000.0, &st[!cur].pos[0], &st[!cur].pos[1]);
	links_at(&m, &st[cur], &st[!cur], t0 + 4 * acq);
	cur = !cur;
	cr_assert_not(has_link(&st[cur], 0, 1));
	/* at the first step (no previous state) a feasible link is up */
	chord(rs, 4000.0, &st[!cur].pos[0], &st[!cur].pos[1]);
	links_at(&m, NULL, &st[!cur], t0 + 4 * acq);
	cr_assert(has_link(&st[!cur], 0, 1));

	topo_state_free(&st[0]);
	topo_state_free(&st[1]);
	topo_model_free(&m);
	constel_free(&c);
}

static uint64_t rng_state;

static double urand(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* n random points on shells between 540 and 560 km. */
static void random_sky(struct vec3 *pos, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double z = 2.0 * urand() - 1.0, ph = 2.0 * TOPO_PI * urand();
		double r = R_E + 540.0 + 20.0 * urand(), q = sqrt(1.0 - z * z);

		pos[i] = (struct vec3){ r * q * cos(ph), r * q * sin(ph),
					r * z };
	}
}

struct bf_pair {
	double d2;
	uint32_t a, b;
};

static int bf_cmp(const void *x, const void *y)
{
	const struct bf_pair *p = x, *q = y;

	if (p->d2 != q->d2)
		return p->d2 < q->d2 ? -1 : 1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : (p->b > q->b);
}

/* Global greedy by brute force: every pair, sorted, accepted if room. */
static size_t brute_greedy(const struct isl_params *p, const struct vec3 *pos,
			   size_t n, struct isl_pair *out)
{
	struct bf_pair *v = malloc(n * n / 2 * sizeof(*v));
	unsigned *fr = malloc(n * sizeof(*fr));
	struct isl_rules r = rules_of(p, no_sun);
	size_t m = 0, k = 0;

	cr_assert(v && fr);
	for (size_t i = 0; i < n; i++) {
		fr[i] = isl_terminals(p, i);
		for (size_t j = i + 1; j < n; j++) {
			struct vec3 d = vec3_sub(pos[j], pos[i]);

			if (isl_check(&r, pos[i], pos[j], false, NULL) ==
			    ISL_UP)
				v[m++] = (struct bf_pair){ vec3_dot(d, d),
							   (uint32_t)i,
							   (uint32_t)j };
		}
	}
	qsort(v, m, sizeof(*v), bf_cmp);
	for (size_t i = 0; i < m; i++) {
		if (!fr[v[i].a] || !fr[v[i].b])
			continue;
		fr[v[i].a]--;
		fr[v[i].b]--;
		out[k++] = (struct isl_pair){ v[i].a, v[i].b };
	}
	free(v);
	free(fr);
	return k;
}

static int pair_cmp(const void *x, const void *y)
{
	const struct isl_pair *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : (p->b > q->b);
}

/* Degrees within the terminals, and no feasible free pair left unlinked. */
static void check_assignment(const struct topo_model *m,
			     const struct topo_state *st)
{
	size_t n = st->nsat;
	unsigned *deg = calloc(n, sizeof(*deg));
	bool *linked = calloc(n * n, sizeof(*linked));
	struct isl_rules r = rules_of(&m->isl, no_sun);

	cr_assert(deg && linked);
	for (size_t k = 0; k < st->nnear; k++) {
		uint32_t a = st->near[k].a, b = st->near[k].b;

		cr_assert_lt(a, b);
		cr_assert_not(linked[a * n + b], "link %u-%u twice", a, b);
		linked[a * n + b] = linked[b * n + a] = true;
		deg[a]++;
		deg[b]++;
		cr_assert_eq(isl_check(&r, st->pos[a], st->pos[b], false, NULL),
			     ISL_UP);
	}
	for (size_t i = 0; i < n; i++)
		cr_assert_leq(deg[i], isl_terminals(&m->isl, i),
			      "satellite %zu: %u links", i, deg[i]);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			if (deg[i] >= isl_terminals(&m->isl, i) ||
			    deg[j] >= isl_terminals(&m->isl, j) ||
			    linked[i * n + j])
				continue;
			cr_assert_neq(isl_check(&r, st->pos[i], st->pos[j],
						false, NULL), ISL_UP,
				      "%zu and %zu both free and feasible", i,
				      j);
		}
	}
	free(deg);
	free(linked);
}

static void nearest_case(uint64_t seed, size_t n, double max_range,
			 bool varied_terminals)
{
	struct constel c;
	struct topo_model m;
	struct topo_state st[2];
	struct isl_pair *want = malloc(n * 4 * sizeof(*want));
	struct isl_pair *got = malloc(n * 4 * sizeof(*got));
	uint8_t *term = malloc(n);
	size_t nwant;

	cr_assert(want && got && term);
	rng_state = seed;
	fake_sats(&c, n);
	topo_model_init(&m, &c);
	m.isl.source = ISL_SRC_NEAREST;
	m.isl.terminals = 4;
	m.isl.max_range_km = max_range;
	m.isl.acquisition_ns = S_NS;
	if (varied_terminals) {
		for (size_t i = 0; i < n; i++)
			term[i] = (uint8_t)(urand() * 5.0);	/* 0..4 */
		m.isl.sat_terminals = term;
	}
	cr_assert_eq(topo_model_prepare(&m), 0);
	cr_assert_eq(topo_state_init(&st[0], &m), 0);
	cr_assert_eq(topo_state_init(&st[1], &m), 0);

	random_sky(st[0].pos, n);
	links_at(&m, NULL, &st[0], 0);
	check_assignment(&m, &st[0]);
	/* the first step is exactly the global greedy */
	nwant = brute_greedy(&m.isl, st[0].pos, n, want);
	cr_assert_eq(st[0].nnear, nwant, "%zu links, brute force %zu",
		     st[0].nnear, nwant);
	for (size_t k = 0; k < nwant; k++)
		got[k] = (struct isl_pair){ st[0].near[k].a, st[0].near[k].b };
	qsort(got, nwant, sizeof(*got), pair_cmp);
	qsort(want, nwant, sizeof(*want), pair_cmp);
	cr_assert_eq(memcmp(got, want, nwant * sizeof(*got)), 0);
	cr_assert_eq(st[0].links.n, nwant);	/* first step: acquired */

	/* move every satellite a little; links still feasible stay */
	int cur = 0;

	for (int step = 1; step <= 5; step++) {
		struct topo_state *p = &st[cur], *o = &st[!cur];
		struct isl_rules r = rules_of(&m.isl, no_sun);
		size_t kept = 0;

		for (size_t i = 0; i < n; i++)
			o->pos[i] = vec3_add(p->pos[i],
					     (struct vec3){ 300.0 * (urand() - 0.5),
							    300.0 * (urand() - 0.5),
							    0.0 });
		links_at(&m, p, o, step * S_NS / 2);
		check_assignment(&m, o);
		for (size_t k = 0; k < p->nnear; k++) {
			uint32_t a = p->near[k].a, b = p->near[k].b;
			bool found = false;

			if (isl_check(&r, o->pos[a], o->pos[b], false, NULL) !=
			    ISL_UP)
				continue;
			kept++;
			for (size_t j = 0; j < o->nnear && !found; j++)
				found = o->near[j].a == a && o->near[j].b == b &&
					o->near[j].since == p->near[k].since;
			cr_assert(found, "feasible link %u-%u dropped", a, b);
		}
		cr_assert_eq(o->cnt.near_kept, kept);
		/* new links acquire: up only a second after they appear */
		size_t acquiring = 0;

		for (size_t k = 0; k < o->nnear; k++)
			if (o->near[k].since != TOPO_ALWAYS &&
			    o->unix_ns - o->near[k].since < S_NS)
				acquiring++;
		cr_assert_eq(o->cnt.isl_acquiring, acquiring);
		cr_assert_eq(o->links.n, o->nnear - acquiring);
		cur = !cur;
	}

	topo_state_free(&st[0]);
	topo_state_free(&st[1]);
	topo_model_free(&m);
	constel_free(&c);
	free(want);
	free(got);
	free(term);
}

Test(isl, nearest_is_greedy_bounded_and_sticky)
{
	nearest_case(1, 300, 0.0, false);
	nearest_case(2, 500, 1500.0, false);
	nearest_case(3, 200, 2500.0, true);
	nearest_case(4, 40, 0.0, false);	/* sparse: long links */
}

/* Nearest fills only what the grid leaves of the terminals. */
Test(isl, nearest_after_grid_respects_terminals)
{
	struct walker_shell w = shell(WALKER_DELTA, 8, 10, 1, 0.0);
	struct constel c;
	struct topo_model m;
	struct topo_state st;
	unsigned *deg;

	fake_shell(&c, &w);
	topo_model_init(&m, &c);
	m.isl.source = ISL_SRC_GRID | ISL_SRC_NEAREST;
	m.isl.terminals = 5;
	cr_assert_eq(topo_model_prepare(&m), 0);
	cr_assert_eq(topo_state_init(&st, &m), 0);
	for (size_t i = 0; i < c.nsat; i++)
		st.pos[i] = kepler_pos(&w, c.node[i].plane, c.node[i].slot,
				       0.0);
	links_at(&m, NULL, &st, 0);
	deg = calloc(c.nsat, sizeof(*deg));
	cr_assert_not_null(deg);
	for (size_t k = 0; k < st.links.n; k++) {
		deg[st.links.v[k].a]++;
		deg[st.links.v[k].b]++;
	}
	cr_assert_gt(st.nnear, 0);
	for (size_t i = 0; i < c.nsat; i++)
		cr_assert_leq(deg[i], 5);
	for (size_t k = 0; k < st.nnear; k++)
		for (size_t j = 0; j < m.nfixed; j++)
			cr_assert(m.fixed[j].a != st.near[k].a ||
				  m.fixed[j].b != st.near[k].b,
				  "nearest repeats a grid link");
	free(deg);
	topo_state_free(&st);
	topo_model_free(&m);
	constel_free(&c);
}
