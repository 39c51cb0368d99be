// SPDX-License-Identifier: MIT
/* test_step.c - whole geometry steps on a propagated Walker shell */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/consts.h"
#include "topo/frames.h"
#include "topo/sgp4.h"
#include "topo/step.h"
#include "topo/walker.h"

#define EPOCH INT64_C(1771718400000000000)	/* 2026-02-22T00:00:00Z */
#define S_NS INT64_C(1000000000)

struct world {
	struct constel c;
	struct topo_model m;
	struct topo_state st[2];
	uint32_t dest[4];
};

/* 12 planes of 12 at 550 km, 53 degrees, F = 5, and two ground stations. */
static void world_init(struct world *w)
{
	struct walker_shell sh = {
		.name = "T", .kind = WALKER_DELTA, .planes = 12,
		.per_plane = 12, .phasing = 5, .alt_km = 550.0,
		.incl_deg = 53.0,
	};

	constel_init(&w->c);
	cr_assert_eq(constel_add_shell(&w->c, &sh, EPOCH), 0);
	cr_assert_eq(constel_add_ground(&w->c, "london", 51.5, -0.13, 11.0,
					false), 0);
	cr_assert_eq(constel_add_ground(&w->c, "singapore", 1.35, 103.8, 15.0,
					false), 0);
	cr_assert_eq(constel_index(&w->c), 0);
	w->dest[0] = 0;
	w->dest[1] = 77;
	w->dest[2] = 144;
	w->dest[3] = 145;
	topo_model_init(&w->m, &w->c);
	w->m.dest = w->dest;
	w->m.ndest = 4;
	cr_assert_eq(topo_model_prepare(&w->m), 0);
	cr_assert_eq(w->m.nfixed, 2 * 144);
	cr_assert_eq(topo_state_init(&w->st[0], &w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[1], &w->m), 0);
}

static void world_free(struct world *w)
{
	topo_state_free(&w->st[0]);
	topo_state_free(&w->st[1]);
	topo_model_free(&w->m);
	constel_free(&w->c);
}

/* Every node reachable from node 0 through the links (BFS). */
static size_t reachable(const struct topo_state *st)
{
	const struct graph *g = &st->graph;
	uint32_t *q = malloc(st->n * sizeof(*q));
	bool *seen = calloc(st->n, sizeof(*seen));
	size_t head = 0, tail = 0;

	cr_assert(q && seen);
	q[tail++] = 0;
	seen[0] = true;
	while (head < tail) {
		uint32_t u = q[head++];

		for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
			if (!seen[g->arc[k].to]) {
				seen[g->arc[k].to] = true;
				q[tail++] = g->arc[k].to;
			}
		}
	}
	free(q);
	free(seen);
	return tail;
}

/* Returns whether the two ground stations could reach each other. */
static bool check_state(const struct world *w, const struct topo_state *st)
{
	const struct constel *c = &w->c;
	unsigned deg[146] = { 0 };
	size_t gsl = 0;

	cr_assert_eq(st->cnt.sat_down, 0);
	for (size_t i = 0; i < c->nsat; i++) {
		double r = vec3_norm(st->pos[i]);

		cr_assert(st->up[i]);
		cr_assert(fabs(r - (TOPO_WGS72_RE + 550.0)) < 25.0,
			  "satellite %zu at radius %.1f", i, r);
		cr_assert(fabs(vec3_norm(st->vel[i]) - 7.2) < 0.5);
	}
	for (size_t k = 0; k < st->links.n; k++) {
		const struct graph_link *l = &st->links.v[k];
		double d = vec3_dist(st->pos[l->a], st->pos[l->b]);

		cr_assert_float_eq(l->length_km, d, 1e-9);
		if (l->kind == GRAPH_ISL) {
			cr_assert_lt(l->b, c->nsat);
			cr_assert_lt(l->length_km, 5016.6);
			deg[l->a]++;
			deg[l->b]++;
		} else {
			const struct constel_node *gs = &c->node[l->b];
			double el = frames_elevation(gs->ecef, gs->lat_deg,
						     gs->lon_deg,
						     st->pos[l->a]);

			cr_assert_eq(gs->kind, CONSTEL_GROUND);
			cr_assert_geq(el, 25.0 * TOPO_DEG);
			gsl++;
		}
	}
	/* every satellite has its four +Grid links up */
	for (size_t i = 0; i < c->nsat; i++)
		cr_assert_eq(deg[i], 4, "satellite %zu degree %u", i, deg[i]);
	cr_assert_eq(st->cnt.isl_up, 2 * 144);
	cr_assert_eq(st->cnt.gsl_up, gsl);
	/* the ground links are every visible satellite */
	for (size_t g = c->nsat; g < c->n; g++) {
		const struct constel_node *gs = &c->node[g];

		for (size_t i = 0; i < c->nsat; i++) {
			double el = frames_elevation(gs->ecef, gs->lat_deg,
						     gs->lon_deg, st->pos[i]);
			bool found = graph_find(&st->graph, (uint32_t)i,
						(uint32_t)g) >= 0;

			cr_assert_eq(found, el >= 25.0 * TOPO_DEG);
		}
	}
	/* the laser mesh is connected */
	cr_assert_geq(reachable(st), c->nsat);
	/* routes: every satellite reaches every destination, by real paths */
	for (size_t d = 0; d < w->m.ndest; d++) {
		uint32_t dst = w->dest[d];
		uint32_t path[200];

		for (uint32_t v = 0; v < c->n; v++) {
			double dist = route_dist(&st->routes, d, v), sum = 0.0;
			size_t len;

			if (v != dst && (graph_degree(&st->graph, dst) == 0 ||
					 graph_degree(&st->graph, v) == 0)) {
				cr_assert(isinf(dist));
				continue;
			}
			cr_assert(isfinite(dist));
			cr_assert_geq(dist + 1e-6,
				      vec3_dist(st->pos[v], st->pos[dst]));
			len = route_path(&st->routes, d, v, path, 200);
			cr_assert_geq(len, 1);
			for (size_t k = 0; k + 1 < len; k++) {
				sum += vec3_dist(st->pos[path[k]],
						 st->pos[path[k + 1]]);
				if (k > 0)
					cr_assert_lt(path[k], c->nsat,
						     "ground station in a path");
			}
			cr_assert_float_eq(sum, dist, 1e-6);
		}
	}
	return isfinite(route_dist(&st->routes, 2, 145));
}

Test(step, walker_shell_with_ground_stations)
{
	struct world w;
	int cur = 0;
	size_t gsl = 0, ground_paths = 0;

	world_init(&w);
	cr_assert_eq(topo_step(&w.m, NULL, EPOCH + 600 * S_NS, &w.st[0]), 0);
	ground_paths += check_state(&w, &w.st[0]);
	gsl += w.st[0].cnt.gsl_up;
	cr_assert_eq(w.st[0].unix_ns, EPOCH + 600 * S_NS);
	for (size_t k = 0; k < w.m.nfixed; k++)
		cr_assert_eq(w.st[0].fixed_since[k], TOPO_ALWAYS);
	/* step on, swapping states, 100 ms at a time then minutes */
	for (int i = 1; i <= 12; i++) {
		int64_t t = EPOCH + 600 * S_NS + i * (i < 6 ? S_NS / 10 :
							   60 * S_NS);

		cr_assert_eq(topo_step(&w.m, &w.st[cur], t, &w.st[!cur]), 0);
		cur = !cur;
		ground_paths += check_state(&w, &w.st[cur]);
		gsl += w.st[cur].cnt.gsl_up;
		for (size_t k = 0; k < w.m.nfixed; k++)
			cr_assert_eq(w.st[cur].fixed_since[k], TOPO_ALWAYS);
	}
	/* the stations saw satellites and reached each other at times */
	cr_assert_gt(gsl, 0);
	cr_assert_gt(ground_paths, 0);
	cr_assert_eq(topo_step(&w.m, &w.st[cur], EPOCH, &w.st[cur]), -EINVAL);
	world_free(&w);
}

/*
 * Positions and velocities are Earth-fixed and consistent: the velocity is
 * the time derivative of the position (central difference over 1 s), as
 * the data plane's Hermite interpolation needs.
 */
Test(step, velocity_is_the_derivative_of_position)
{
	struct world w;
	struct topo_state mid;
	int64_t t = EPOCH + 3600 * S_NS;

	world_init(&w);
	cr_assert_eq(topo_state_init(&mid, &w.m), 0);
	topo_step_propagate(&w.m, t - S_NS, &w.st[0]);
	topo_step_propagate(&w.m, t + S_NS, &w.st[1]);
	topo_step_propagate(&w.m, t, &mid);
	for (size_t i = 0; i < w.c.n; i++) {
		struct vec3 fd = vec3_scale(vec3_sub(w.st[1].pos[i],
						     w.st[0].pos[i]), 0.5);

		cr_assert(vec3_dist(fd, mid.vel[i]) < 1e-4,
			  "node %zu: |v - dr/dt| = %g km/s", i,
			  vec3_dist(fd, mid.vel[i]));
	}
	/* ground stations stay put in the Earth-fixed frame */
	cr_assert_float_eq(mid.pos[144].x, w.c.node[144].ecef.x, 0.0);
	cr_assert_float_eq(vec3_norm(mid.vel[145]), 0.0, 0.0);
	topo_state_free(&mid);
	world_free(&w);
}

/* A satellite that SGP4 cannot propagate is down for the step, not fatal. */
Test(step, failed_propagation_marks_down)
{
	struct walker_shell sh = {
		.name = "P", .kind = WALKER_DELTA, .planes = 4,
		.per_plane = 8, .phasing = 1, .alt_km = 550.0,
		.incl_deg = 53.0,
	};
	struct walker_shell low = sh;
	struct sgp4_elements el;
	struct constel c;
	struct topo_model m;
	struct topo_state st;
	struct isl_pair pair = { 0, 32 };
	uint32_t dest = 32;

	low.planes = low.per_plane = 1;
	low.alt_km = 200.0;
	walker_elements(&low, EPOCH, &el);
	el.bstar = 0.01;	/* decays within days */
	constel_init(&c);
	cr_assert_eq(constel_add_shell(&c, &sh, EPOCH), 0);
	cr_assert_eq(constel_add_sat(&c, "sinker", &el), 0);
	topo_model_init(&m, &c);
	m.isl.source = ISL_SRC_GRID | ISL_SRC_PAIRS;
	m.isl.pairs = &pair;
	m.isl.npairs = 1;
	m.dest = &dest;
	m.ndest = 1;
	cr_assert_eq(topo_model_prepare(&m), 0);
	cr_assert_eq(topo_state_init(&st, &m), 0);

	cr_assert_eq(topo_step(&m, NULL, EPOCH + 10 * 86400 * S_NS, &st), 0);
	cr_assert_eq(st.cnt.sat_down, 1);
	cr_assert_not(st.up[32]);
	cr_assert_neq(st.down[32], TOPO_DOWN_NONE);
	cr_assert_eq(graph_degree(&st.graph, 32), 0);
	cr_assert_eq(st.cnt.isl_sat_down, 1);
	cr_assert_eq(route_next(&st.routes, 0, 0), -1);
	cr_assert(isinf(route_dist(&st.routes, 0, 5)));
	for (size_t i = 0; i < 32; i++)
		cr_assert(st.up[i]);

	topo_state_free(&st);
	topo_model_free(&m);
	constel_free(&c);
}

/*
 * The height band: a satellite SGP4 places below 80 km or beyond 100,000 km
 * is down, with its reason; one inside the band is up, and so is one that
 * SGP4 rejects reported with SGP4's own code.
 */
Test(step, altitude_band_marks_down)
{
	static const struct {
		double alt_km;
		unsigned why;
	} sats[] = {
		{ 550.0, TOPO_DOWN_NONE },
		{ 60.0, TOPO_DOWN_LOW },
		{ 35786.0, TOPO_DOWN_NONE },	/* geostationary */
		{ 99000.0, TOPO_DOWN_NONE },
		{ 150000.0, TOPO_DOWN_HIGH },
	};
	struct walker_shell sh = {
		.name = "A", .kind = WALKER_DELTA, .planes = 1,
		.per_plane = 1, .phasing = 0, .incl_deg = 53.0,
	};
	struct constel c;
	struct topo_model m;
	struct topo_state st;
	char why[128];

	constel_init(&c);
	for (size_t i = 0; i < sizeof(sats) / sizeof(sats[0]); i++) {
		struct sgp4_elements el;
		char name[16];

		sh.alt_km = sats[i].alt_km;
		walker_elements(&sh, EPOCH, &el);
		snprintf(name, sizeof(name), "a%zu", i);
		cr_assert_eq(constel_add_sat(&c, name, &el), 0);
	}
	cr_assert_eq(constel_add_ground(&c, "london", 51.5, -0.13, 11.0,
					false), 0);
	cr_assert_eq(constel_index(&c), 0);
	topo_model_init(&m, &c);
	m.isl.source = ISL_SRC_NEAREST;
	cr_assert_eq(topo_model_prepare(&m), 0);
	cr_assert_eq(topo_state_init(&st, &m), 0);
	cr_assert_eq(topo_step(&m, NULL, EPOCH + 60 * S_NS, &st), 0);
	for (size_t i = 0; i < sizeof(sats) / sizeof(sats[0]); i++) {
		cr_assert_eq(st.down[i], sats[i].why, "%g km: %u",
			     sats[i].alt_km, st.down[i]);
		cr_assert_eq(st.up[i], sats[i].why == TOPO_DOWN_NONE);
	}
	cr_assert_eq(st.cnt.sat_down, 2);
	cr_assert_eq(st.down[c.n - 1], TOPO_DOWN_NONE);	/* ground */
	/* no link reaches a satellite that is down */
	for (size_t k = 0; k < st.links.n; k++)
		cr_assert(st.up[st.links.v[k].a] && st.up[st.links.v[k].b]);
	topo_down_format(TOPO_DOWN_HIGH, why, sizeof(why));
	cr_assert_str_eq(why, "above 100000 km (a runaway propagation)");
	topo_down_format(SGP4_E_DECAYED, why, sizeof(why));
	cr_assert_str_eq(why, "SGP4 error 6: satellite has decayed");
	topo_state_free(&st);
	topo_model_free(&m);
	constel_free(&c);
}

Test(step, prepare_rejects_bad_models)
{
	struct world w;
	uint32_t bad = 146;
	struct isl_pair gp = { 3, 144 };

	world_init(&w);
	w.m.dest = &bad;
	cr_assert_eq(topo_model_prepare(&w.m), -EINVAL);
	w.m.dest = w.dest;
	w.m.isl.source = ISL_SRC_PAIRS;
	w.m.isl.pairs = &gp;
	w.m.isl.npairs = 1;
	cr_assert_eq(topo_model_prepare(&w.m), -EINVAL);
	w.m.isl.source = ISL_SRC_GRID;
	w.m.isl.terminals = 300;
	cr_assert_eq(topo_model_prepare(&w.m), -EINVAL);
	world_free(&w);
}

/* Prepare once more with one field broken; want the reason it gives. */
static void refused(struct world *w, const char *want)
{
	cr_assert_eq(topo_model_prepare(&w->m), -EINVAL, "accepted: %s", want);
	cr_assert_str_eq(w->m.why, want);
	world_free(w);
	world_init(w);
}

/* Every cause of -EINVAL names its parameter, value and rule. */
Test(step, prepare_says_why)
{
	struct constel empty;
	struct topo_model m;
	struct world w;
	uint32_t bad = 146;
	struct isl_pair gp = { 3, 144 }, self = { 5, 5 };

	constel_init(&empty);
	topo_model_init(&m, &empty);
	cr_assert_eq(topo_model_prepare(&m), -EINVAL);
	cr_assert_str_eq(m.why, "the scenario has no node");

	world_init(&w);
	w.m.dest = &bad;
	w.m.ndest = 1;
	refused(&w, "destination 0 is node 146, but there are only 146 nodes");
	w.m.isl.source = ISL_SRC_PAIRS;
	w.m.isl.pairs = &gp;
	w.m.isl.npairs = 1;
	refused(&w, "isl pair 0 (nodes 3 and 144) is not between two of the "
		    "144 satellites");
	w.m.isl.source = ISL_SRC_PAIRS;
	w.m.isl.pairs = &self;
	w.m.isl.npairs = 1;
	refused(&w, "isl pair 0 links node 5 to itself");
	w.m.isl.terminals = 300;
	refused(&w, "isl terminals 300 is more than 255");
	w.m.isl.max_range_km = -1;
	refused(&w, "isl max-range -1 km is negative");
	w.m.isl.grazing_km = -7000;
	refused(&w, "isl grazing-altitude -7000 km is below the Earth's "
		    "centre");
	w.m.isl.acquisition_ns = -5;
	refused(&w, "isl acquisition -5 ns is negative");
	w.m.gsl.max_range_km = -2;
	refused(&w, "gsl max-range -2 km is negative");
	cr_assert_eq(topo_model_prepare(&w.m), 0);
	cr_assert_str_eq(w.m.why, "");
	world_free(&w);
}

/* Sun exclusion through a whole step uses the real Sun of that instant. */
Test(step, sun_exclusion_takes_links_down)
{
	struct world w;
	struct vec3 sun;
	size_t down = 0;
	int64_t t = EPOCH + 600 * S_NS;

	world_init(&w);
	w.m.isl.sun_excl_deg = 20.0;
	cr_assert_eq(topo_model_prepare(&w.m), 0);
	cr_assert_eq(topo_step(&w.m, NULL, t, &w.st[0]), 0);
	sun = frames_sun_dir_ecef(t);
	for (size_t k = 0; k < w.m.nfixed; k++) {
		uint32_t a = w.m.fixed[k].a, b = w.m.fixed[k].b;
		struct vec3 d = vec3_sub(w.st[0].pos[b], w.st[0].pos[a]);
		double c = fabs(vec3_dot(d, sun)) / vec3_norm(d);
		bool up = graph_find(&w.st[0].graph, a, b) >= 0;

		cr_assert_eq(up, c <= cos(20.0 * TOPO_DEG), "link %u-%u", a,
			     b);
		down += !up;
	}
	cr_assert_eq(w.st[0].cnt.isl_down[ISL_SUN], down);
	cr_assert_gt(down, 0);
	world_free(&w);
}
