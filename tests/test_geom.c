// SPDX-License-Identifier: MIT
/* test_geom.c - geometry steps ahead, Hermite positions, delays, thread */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "emu/conf/config.h"
#include "emu/run/geom.h"
#include "emu/conf/scenario.h"
#include "topo/consts.h"

#define MS INT64_C(1000000)
#define S_NS INT64_C(1000000000)
#define WALL0 INT64_C(5000000000)	/* an arbitrary data-plane clock */

/* 12 planes of 12 at 550 km (every +Grid link below 5,016 km), 1 station. */
static const char geom_conf[] =
	"[emulation]\n"
	"epoch = 2026-02-23T00:00:00Z\n"
	"step = 100ms\n"
	"[shell w]\n"
	"type = walker-delta\n"
	"planes = 12\n"
	"per-plane = 12\n"
	"phasing = 5\n"
	"altitude = 550km\n"
	"inclination = 53deg\n"
	"[ground london]\n"
	"latitude = 51.5074\n"
	"longitude = -0.1278\n"
	"altitude = 0m\n"
	"[tap]\n"
	"nodes = w-0-0 w-3-4\n";

struct world {
	struct config *cfg;
	struct scenario s;
	struct geom g;
};

static void world_init(struct world *w, double scale)
{
	struct diag d;
	int ret;

	memset(w, 0, sizeof(*w));
	diag_init(&d);
	ret = config_load_string(geom_conf, "geom.conf", &w->cfg, &d);
	cr_assert_eq(ret, 0, "config: %s", d.n ? d.msg[0] : "?");
	ret = scenario_build(&w->s, w->cfg, &d);
	cr_assert_eq(ret, 0, "scenario: %s", d.n ? d.msg[0] : "?");
	diag_free(&d);
	cr_assert_eq(scenario_prepare(&w->s, NULL, 0), 0);
	cr_assert_eq(w->s.constel.n, 145);
	cr_assert_eq(w->cfg->step_ns, 100 * MS);
	ret = geom_init(&w->g, &w->s.model, w->s.epoch_unix_ns,
			w->s.step_ns, scale, WALL0);
	cr_assert_eq(ret, 0, "geom_init: %d", ret);
}

static void world_free(struct world *w)
{
	geom_free(&w->g);
	scenario_free(&w->s);
	config_free(w->cfg);
}

static const struct topo_state *step_state(const struct geom *g, int64_t k)
{
	return &g->st[k % GEOM_RING];
}

Test(geom, init_computes_steps_0_and_1)
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
	cr_assert_eq(geom_current(&w.g), a);
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

Test(geom, position_at_step_times_is_the_state)
{
	struct world w;
	const struct topo_state *a, *b;

	world_init(&w, 1.0);
	a = step_state(&w.g, 0);
	b = step_state(&w.g, 1);
	for (uint32_t v = 0; v < a->n; v++) {
		struct vec3 p0 = geom_position(&w.g, v, a->unix_ns);
		struct vec3 p1 = geom_position(&w.g, v, b->unix_ns);

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
Test(geom, hermite_matches_sgp4_between_steps)
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
			struct vec3 h = geom_position(&w.g, v, t);
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

Test(geom, delay_is_distance_over_c)
{
	struct world w;
	const struct topo_state *a;

	world_init(&w, 1.0);
	a = step_state(&w.g, 0);
	/* at the step time: the link lengths topo computed */
	for (size_t i = 0; i < a->links.n; i++) {
		const struct graph_link *l = &a->links.v[i];
		int64_t want = llround(l->length_km * 1e9 / TOPO_C_KM_S);
		int64_t got = geom_delay_ns(&w.g, l->a, l->b, WALL0);

		cr_assert_eq(got, want, "link %zu: %lld ns, want %lld", i,
			     (long long)got, (long long)want);
		cr_assert_eq(geom_delay_ns(&w.g, l->b, l->a, WALL0), got);
		/* 1 km is 3335.64 ns of light */
		cr_assert(fabs(got - l->length_km * 3335.64095) < 1.0);
	}
	/* between steps: |pa - pb| / c with the interpolated positions */
	for (int64_t off = 0; off <= 100 * MS; off += 7 * MS) {
		int64_t t = w.cfg->epoch_unix_ns + off;
		const struct graph_link *l = &a->links.v[off % a->links.n];
		double km = vec3_dist(geom_position(&w.g, l->a, t),
				      geom_position(&w.g, l->b, t));
		int64_t got = geom_delay_ns(&w.g, l->a, l->b, WALL0 + off);

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

Test(geom, orbital_time_scale)
{
	struct world w;
	int64_t e;

	world_init(&w, 10.0);
	e = w.cfg->epoch_unix_ns;
	cr_assert_eq(geom_orbital(&w.g, WALL0), e);
	cr_assert_eq(geom_orbital(&w.g, WALL0 + S_NS), e + 10 * S_NS);
	cr_assert_eq(geom_orbital(&w.g, WALL0 + 15 * MS), e + 150 * MS);
	cr_assert_eq(geom_orbital(&w.g, WALL0 - S_NS), e - 10 * S_NS);
	cr_assert_eq(geom_step_of(&w.g, e), 0);
	cr_assert_eq(geom_step_of(&w.g, e - 1), 0);
	cr_assert_eq(geom_step_of(&w.g, e - 10 * S_NS), 0);
	cr_assert_eq(geom_step_of(&w.g, e + 100 * MS - 1), 0);
	cr_assert_eq(geom_step_of(&w.g, e + 100 * MS), 1);
	cr_assert_eq(geom_step_of(&w.g, e + 10 * S_NS + 5), 100);
	/* at scale 10 the boundary of step 1 is 10 ms of wall time */
	cr_assert_eq(geom_step_of(&w.g, geom_orbital(&w.g, WALL0 + 10 * MS)),
		     1);
	cr_assert_eq(geom_step_of(&w.g,
				  geom_orbital(&w.g, WALL0 + 10 * MS - 1)),
		     0);
	/* the delay at a wall time uses the orbital time of that moment */
	{
		const struct topo_state *b = step_state(&w.g, 1);
		const struct graph_link *l = &b->links.v[0];
		double km = vec3_dist(b->pos[l->a], b->pos[l->b]);

		cr_assert_eq(geom_delay_ns(&w.g, l->a, l->b, WALL0 + 10 * MS),
			     llround(km * 1e9 / TOPO_C_KM_S));
	}
	world_free(&w);
}

static void wait_ready(struct geom *g, int64_t want)
{
	for (int i = 0; i < 20000 && atomic_load(&g->ready) < want; i++)
		usleep(500);
	cr_assert_geq(atomic_load(&g->ready), want,
		      "ready stayed at %lld, want %lld",
		      (long long)atomic_load(&g->ready), (long long)want);
}

Test(geom, advance_only_when_ready_and_due)
{
	struct world w;
	int64_t e;

	world_init(&w, 1.0);
	e = w.cfg->epoch_unix_ns;
	/* no thread: step 2 is missing, so step 1 cannot be used */
	cr_assert_eq(geom_advance(&w.g, WALL0), 0);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 150 * MS), 0);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 10 * S_NS), 0);
	cr_assert_eq(atomic_load(&w.g.cur), 0);

	cr_assert_eq(geom_start(&w.g), 0);
	wait_ready(&w.g, 2);
	/* ready but not due yet */
	cr_assert_eq(geom_advance(&w.g, WALL0 + 100 * MS - 1), 0);
	cr_assert_eq(atomic_load(&w.g.cur), 0);
	/* due at the boundary exactly */
	cr_assert_eq(geom_advance(&w.g, WALL0 + 100 * MS), 1);
	cr_assert_eq(atomic_load(&w.g.cur), 1);
	cr_assert_eq(geom_current(&w.g)->unix_ns, e + 100 * MS);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 150 * MS), 0);
	/* far ahead: moves to the last step whose successor is ready */
	wait_ready(&w.g, 3);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 10 * S_NS), 1);
	cr_assert_eq(atomic_load(&w.g.cur), 2);
	cr_assert_eq(geom_current(&w.g)->unix_ns, e + 200 * MS);
	wait_ready(&w.g, 4);
	cr_assert_eq(geom_advance(&w.g, WALL0 + 10 * S_NS), 1);
	cr_assert_eq(geom_current(&w.g)->unix_ns, e + 300 * MS);
	/* the states in the ring are the steps they claim to be */
	for (int64_t k = 3; k <= 4; k++)
		cr_assert_eq(step_state(&w.g, k)->unix_ns, e + k * 100 * MS);
	cr_assert_eq(w.g.error, 0);
	world_free(&w);
}

/* The thread computes exactly two steps beyond cur, signals, and stops. */
Test(geom, thread_computes_ahead_and_stops)
{
	struct world w;
	struct pollfd pfd;
	uint64_t cnt = 0;
	int64_t e;

	world_init(&w, 1.0);
	e = w.cfg->epoch_unix_ns;
	cr_assert_eq(geom_start(&w.g), 0);
	cr_assert(w.g.running);
	wait_ready(&w.g, 2);
	/* it must not run further ahead than cur + 2 (the ring's limit) */
	usleep(50000);
	cr_assert_eq(atomic_load(&w.g.ready), 2);
	cr_assert_eq(step_state(&w.g, 2)->unix_ns, e + 200 * MS);
	cr_assert(step_state(&w.g, 2)->stepped);
	/* the eventfd said so */
	pfd.fd = w.g.notify_fd;
	pfd.events = POLLIN;
	cr_assert_eq(poll(&pfd, 1, 1000), 1);
	cr_assert_eq(read(w.g.notify_fd, &cnt, sizeof(cnt)), sizeof(cnt));
	cr_assert_eq(cnt, 1);
	cr_assert_gt(w.g.step_ms_last, 0.0);
	cr_assert_geq(w.g.step_ms_max, w.g.step_ms_last);

	/* each advance lets it compute one more */
	for (int64_t k = 1; k <= 6; k++) {
		cr_assert_eq(geom_advance(&w.g, WALL0 + k * 100 * MS), 1);
		wait_ready(&w.g, k + 2);
		usleep(2000);
		cr_assert_eq(atomic_load(&w.g.ready), k + 2);
		/* the step after cur, used for interpolation, is intact */
		cr_assert_eq(step_state(&w.g, k + 1)->unix_ns,
			     e + (k + 1) * 100 * MS);
	}
	geom_free(&w.g);
	cr_assert_null(w.g.model);
	cr_assert(!w.g.running);
	cr_assert_eq(w.g.notify_fd, -1);
	/* a second free is harmless */
	geom_free(&w.g);
	scenario_free(&w.s);
	config_free(w.cfg);
}

Test(geom, free_without_start)
{
	struct world w;
	struct geom zero;

	world_init(&w, 1.0);
	world_free(&w);
	memset(&zero, 0, sizeof(zero));
	geom_free(&zero);
}
