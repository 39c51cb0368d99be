// SPDX-License-Identifier: MIT
/* test_ring.c - the ring of steps: time mapping, Hermite positions, delays (fake clock) */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "emu/conf/config.h"
#include "emu/conf/scenario.h"
#include "topo/consts.h"
#include "topo/ring.h"
#include "tests/lib/world.h"

#define MS INT64_C(1000000)
#define S_NS INT64_C(1000000000)
#define WALL0 INT64_C(5000000000)	/* the fake data-plane clock's origin */

struct world {
	struct config *cfg;
	struct scenario s;
	struct ring g;
};

static void world_init(struct world *w, double scale)
{
	int ret;

	memset(w, 0, sizeof(*w));
	w->cfg = world_ring_scenario(&w->s);
	ret = ring_init(&w->g, &w->s.model, w->cfg->epoch_unix_ns,
			w->cfg->step_ns, scale, WALL0, NULL);
	cr_assert_eq(ret, 0, "ring_init: %d", ret);
}

static void world_free(struct world *w)
{
	ring_free(&w->g);
	scenario_free(&w->s);
	config_free(w->cfg);
}

static const struct topo_state *step_state(const struct ring *g, int64_t k)
{
	return ring_state(g, k);
}

Test(ring, init_computes_steps_0_and_1)
{
	struct world w;
	const struct topo_state *a, *b;

	world_init(&w, 1.0);
	cr_assert_eq(atomic_load(&w.g.ready), 1);
	cr_assert_eq(atomic_load(&w.g.cur), 0);
	a = step_state(&w.g, 0);
	b = step_state(&w.g, 1);
	cr_assert(a->stepped && b->stepped);
	cr_assert_eq(a->unix_ns, w.cfg->epoch_unix_ns);
	cr_assert_eq(b->unix_ns, w.cfg->epoch_unix_ns + 100 * MS);
	cr_assert_eq(ring_current(&w.g), a);
	cr_assert_gt(a->links.n, 2 * 144 / 2, "only %zu links", a->links.n);
	/* satellites moved by about 7.6 km/s * 0.1 s between the steps */
	for (uint32_t v = 0; v < 144; v++) {
		double d = vec3_dist(a->pos[v], b->pos[v]);

		cr_assert(d > 0.6 && d < 0.8, "node %u moved %.4f km", v, d);
	}
	/* the ground station does not move in ECEF */
	cr_assert_eq(memcmp(&a->pos[144], &b->pos[144], sizeof(a->pos[0])),
		     0);
	world_free(&w);
}

Test(ring, position_at_step_times_is_the_state)
{
	struct world w;
	const struct topo_state *a, *b;

	world_init(&w, 1.0);
	a = step_state(&w.g, 0);
	b = step_state(&w.g, 1);
	for (uint32_t v = 0; v < a->n; v++) {
		struct vec3 p0 = ring_position(&w.g, v, a->unix_ns);
		struct vec3 p1 = ring_position(&w.g, v, b->unix_ns);

		cr_assert(p0.x == a->pos[v].x && p0.y == a->pos[v].y &&
				  p0.z == a->pos[v].z,
			  "node %u at t0: %.9f %.9f %.9f", v, p0.x, p0.y, p0.z);
		cr_assert(p1.x == b->pos[v].x && p1.y == b->pos[v].y &&
				  p1.z == b->pos[v].z,
			  "node %u at t1: %.9f %.9f %.9f", v, p1.x, p1.y, p1.z);
	}
	world_free(&w);
}

/*
 * Between two steps the cubic Hermite curve through both positions and
 * velocities against SGP4's own position at that moment. The error of a
 * cubic Hermite interpolant is |x''''| h^4 / 384; for a circular orbit
 * |x''''| = r w^4 = 6928 km * (2 pi / 5739 s)^4 = 1e-8 km/s^4, so with h =
 * 0.1 s it is 3e-15 km: the curve should sit on SGP4's within rounding,
 * plus what SGP4's velocity differs from the exact derivative of its
 * position (short-period terms). Measured: 0.17 mm at most. The bound
 * (1 cm) is 60 times that and still catches a wrong tangent: an ECEF
 * velocity without the Earth-rotation term w x r (0.5 km/s) errs by
 * (h10 - h11)(1/4) = 0.094 * 0.5 km/s * 0.1 s = 4.7 m at a quarter step
 * (at mid-step a common tangent error cancels, hence several fractions).
 * The straight chord sags by v^2 h^2 / 8 r = (7.6 km/s)^2 (0.1 s)^2 /
 * (8 * 6928 km) = 1 cm, so Hermite must also be ten times closer than
 * linear interpolation.
 */
Test(ring, hermite_matches_sgp4_between_steps)
{
	static const double fractions[] = { 0.1, 0.25, 0.5, 0.75, 0.9 };
	struct world w;
	struct topo_state fresh;
	double worst_m = 0, worst_lin_m = 0;

	world_init(&w, 1.0);
	cr_assert_eq(topo_state_init(&fresh, &w.s.model), 0);
	for (size_t k = 0; k < sizeof(fractions) / sizeof(fractions[0]);
	     k++) {
		int64_t t = w.cfg->epoch_unix_ns +
			    (int64_t)llround(fractions[k] * 100 * MS);
		const struct topo_state *a = step_state(&w.g, 0);
		const struct topo_state *b = step_state(&w.g, 1);
		double s = fractions[k];

		topo_step_propagate(&w.s.model, t, &fresh);
		for (uint32_t v = 0; v < fresh.n; v++) {
			struct vec3 h = ring_position(&w.g, v, t);
			struct vec3 lin = vec3_add(vec3_scale(a->pos[v], 1 - s),
						   vec3_scale(b->pos[v], s));
			double e = vec3_dist(h, fresh.pos[v]) * 1e3;
			double el = vec3_dist(lin, fresh.pos[v]) * 1e3;

			cr_assert(fresh.up[v]);
			if (e > worst_m)
				worst_m = e;
			if (el > worst_lin_m)
				worst_lin_m = el;
		}
	}
	cr_log_info("Hermite vs SGP4 within a 100 ms step: max %.3g m "
		    "(chord: %.3g m)", worst_m, worst_lin_m);
	cr_assert_lt(worst_m, 0.01, "Hermite is %.4f m off SGP4", worst_m);
	cr_assert_gt(worst_lin_m, 0.005);
	cr_assert_lt(worst_m, worst_lin_m / 10);
	topo_state_free(&fresh);
	world_free(&w);
}

Test(ring, delay_is_distance_over_c)
{
	struct world w;
	const struct topo_state *a;

	world_init(&w, 1.0);
	a = step_state(&w.g, 0);
	/* at the step time: the link lengths topo computed */
	for (size_t i = 0; i < a->links.n; i++) {
		const struct graph_link *l = &a->links.v[i];
		int64_t want = llround(l->length_km * 1e9 / TOPO_C_KM_S);
		int64_t got = ring_delay_ns(&w.g, l->a, l->b, WALL0);

		cr_assert_eq(got, want, "link %zu: %lld ns, want %lld", i,
			     (long long)got, (long long)want);
		cr_assert_eq(ring_delay_ns(&w.g, l->b, l->a, WALL0), got);
		/* 1 km is 3335.64 ns of light */
		cr_assert(fabs(got - l->length_km * 3335.64095) < 1.0);
	}
	/* between steps: |pa - pb| / c with the interpolated positions */
	for (int64_t off = 0; off <= 100 * MS; off += 7 * MS) {
		int64_t t = w.cfg->epoch_unix_ns + off;
		const struct graph_link *l = &a->links.v[off % a->links.n];
		double km = vec3_dist(ring_position(&w.g, l->a, t),
				      ring_position(&w.g, l->b, t));
		int64_t got = ring_delay_ns(&w.g, l->a, l->b, WALL0 + off);

		cr_assert_eq(got, llround(km * 1e9 / TOPO_C_KM_S));
		/* and within 1 ns/ms of the length at the step (< 10 km/s) */
		cr_assert(fabs(got - l->length_km * 1e9 / TOPO_C_KM_S) <
				  35.0 * (double)off / MS + 1,
			  "delay moved %lld ns in %lld ms",
			  (long long)(got - llround(l->length_km * 1e9 /
						    TOPO_C_KM_S)),
			  (long long)(off / MS));
	}
	world_free(&w);
}

Test(ring, orbital_time_scale)
{
	struct world w;
	int64_t e;

	world_init(&w, 10.0);
	e = w.cfg->epoch_unix_ns;
	cr_assert_eq(ring_orbital(&w.g, WALL0), e);
	cr_assert_eq(ring_orbital(&w.g, WALL0 + S_NS), e + 10 * S_NS);
	cr_assert_eq(ring_orbital(&w.g, WALL0 + 15 * MS), e + 150 * MS);
	cr_assert_eq(ring_orbital(&w.g, WALL0 - S_NS), e - 10 * S_NS);
	cr_assert_eq(ring_step_of(&w.g, e), 0);
	cr_assert_eq(ring_step_of(&w.g, e - 1), 0);
	cr_assert_eq(ring_step_of(&w.g, e - 10 * S_NS), 0);
	cr_assert_eq(ring_step_of(&w.g, e + 100 * MS - 1), 0);
	cr_assert_eq(ring_step_of(&w.g, e + 100 * MS), 1);
	cr_assert_eq(ring_step_of(&w.g, e + 10 * S_NS + 5), 100);
	/* at scale 10 the boundary of step 1 is 10 ms of wall time */
	cr_assert_eq(ring_step_of(&w.g, ring_orbital(&w.g, WALL0 + 10 * MS)),
		     1);
	cr_assert_eq(ring_step_of(&w.g,
				  ring_orbital(&w.g, WALL0 + 10 * MS - 1)),
		     0);
	/* the delay at a wall time uses the orbital time of that moment */
	{
		const struct topo_state *b = step_state(&w.g, 1);
		const struct graph_link *l = &b->links.v[0];
		double km = vec3_dist(b->pos[l->a], b->pos[l->b]);

		cr_assert_eq(ring_delay_ns(&w.g, l->a, l->b, WALL0 + 10 * MS),
			     llround(km * 1e9 / TOPO_C_KM_S));
	}
	world_free(&w);
}

/*
 * Which step the data plane should use, on a fake clock and without a
 * thread: the step of the moment, but never one whose successor is not in
 * the ring (from geom's advance_only_when_ready_and_due).
 */
Test(ring, want_only_when_ready_and_due)
{
	struct world w;
	int64_t e;

	world_init(&w, 1.0);
	e = w.cfg->epoch_unix_ns;
	/* step 2 is missing, so step 1 cannot be used */
	cr_assert_eq(ring_want(&w.g, WALL0), 0);
	cr_assert_eq(ring_want(&w.g, WALL0 + 150 * MS), 0);
	cr_assert_eq(ring_want(&w.g, WALL0 + 10 * S_NS), 0);
	cr_assert_eq(ring_cur(&w.g), 0);
	cr_assert_eq(ring_compute(&w.g, 2), 0);
	cr_assert_eq(ring_ready(&w.g), 2);
	/* ready but not due yet */
	cr_assert_eq(ring_want(&w.g, WALL0 + 100 * MS - 1), 0);
	/* due at the boundary exactly */
	cr_assert_eq(ring_want(&w.g, WALL0 + 100 * MS), 1);
	/* far ahead: the last step whose successor is ready */
	cr_assert_eq(ring_want(&w.g, WALL0 + 10 * S_NS), 1);
	atomic_store(&w.g.cur, 1);
	cr_assert_eq(ring_current(&w.g)->unix_ns, e + 100 * MS);
	cr_assert_eq(ring_compute(&w.g, 3), 0);
	cr_assert_eq(ring_want(&w.g, WALL0 + 10 * S_NS), 2);
	/* the states in the ring are the steps they claim to be */
	for (int64_t k = 0; k <= 3; k++)
		cr_assert_eq(step_state(&w.g, k)->unix_ns, e + k * 100 * MS);
	world_free(&w);
}

/* The wall time of a step boundary is the inverse of ring_orbital(). */
Test(ring, step_wall_is_the_inverse_of_orbital)
{
	struct world w;

	world_init(&w, 10.0);
	cr_assert_eq(ring_step_wall(&w.g, 0), WALL0);
	/* at scale 10 a 100 ms step is 10 ms of wall time */
	cr_assert_eq(ring_step_wall(&w.g, 1), WALL0 + 10 * MS);
	cr_assert_eq(ring_step_wall(&w.g, 250), WALL0 + 2500 * MS);
	for (int64_t k = 0; k < 1000; k += 37) {
		int64_t at = ring_step_wall(&w.g, k);

		cr_assert_eq(ring_step_of(&w.g, ring_orbital(&w.g, at)), k,
			     "step %lld", (long long)k);
	}
	world_free(&w);
}

Test(ring, free_twice_and_zeroed)
{
	struct world w;
	struct ring zero;

	world_init(&w, 1.0);
	ring_free(&w.g);
	cr_assert_null(w.g.model);
	world_free(&w);
	memset(&zero, 0, sizeof(zero));
	ring_free(&zero);
}
