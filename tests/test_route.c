// SPDX-License-Identifier: MIT
/* test_route.c - next hops against Floyd-Warshall, transit, warm starts */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/graph.h"
#include "topo/route.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

/* A random graph: n nodes, about deg * n / 2 links, no self or double link. */
static void random_links(struct graph_links *l, size_t n, unsigned deg,
			 bool ties)
{
	bool *seen = calloc(n * n, sizeof(*seen));

	cr_assert_not_null(seen);
	for (size_t k = 0; k < deg * n / 2; k++) {
		uint32_t a = rnd() % n, b = rnd() % n;
		double w = ties ? (double)(1 + rnd() % 4) :
				  1.0 + (rnd() % 100000) / 100.0;

		if (a == b || seen[a * n + b])
			continue;
		seen[a * n + b] = seen[b * n + a] = true;
		cr_assert_eq(graph_links_add(l, a, b, GRAPH_ISL, w), 0);
	}
	free(seen);
}

/*
 * Floyd-Warshall whose intermediate nodes are only transit nodes: the
 * shortest path from i to j whose interior avoids non-transit nodes.
 */
static double *floyd(size_t n, const struct graph_links *l,
		     const uint8_t *transit)
{
	double *d = malloc(n * n * sizeof(*d));

	cr_assert_not_null(d);
	for (size_t i = 0; i < n * n; i++)
		d[i] = INFINITY;
	for (size_t i = 0; i < n; i++)
		d[i * n + i] = 0.0;
	for (size_t k = 0; k < l->n; k++) {
		const struct graph_link *e = &l->v[k];

		d[e->a * n + e->b] = fmin(d[e->a * n + e->b], e->length_km);
		d[e->b * n + e->a] = fmin(d[e->b * n + e->a], e->length_km);
	}
	for (size_t k = 0; k < n; k++) {
		if (transit && !transit[k])
			continue;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				if (d[i * n + k] + d[k * n + j] < d[i * n + j])
					d[i * n + j] = d[i * n + k] +
						       d[k * n + j];
	}
	return d;
}

/* Check every next hop, via link, distance and path of destination di. */
static void check_tables(const struct route_table *rt, const struct graph *g,
			 const struct graph_links *l, const uint8_t *transit,
			 const double *fw, size_t di)
{
	size_t n = rt->n;
	uint32_t dst = rt->dest[di];
	uint32_t *path = malloc(n * sizeof(*path));

	cr_assert_not_null(path);
	for (uint32_t v = 0; v < n; v++) {
		double want = fw[v * n + dst], got = route_dist(rt, di, v);
		int32_t nx = route_next(rt, di, v);

		if (isinf(want)) {
			cr_assert(isinf(got), "node %u dest %u: %g, want none",
				  v, dst, got);
			cr_assert_eq(nx, -1);
			cr_assert_eq(route_path(rt, di, v, path, n), 0);
			continue;
		}
		cr_assert(fabs(got - want) <= 1e-9 * (1.0 + want),
			  "node %u dest %u: %.12g, Floyd %.12g", v, dst, got,
			  want);
		if (v == dst) {
			cr_assert_eq(nx, (int32_t)dst);
			continue;
		}
		cr_assert(nx >= 0 && (size_t)nx < n);
		int32_t via = rt->via[di * n + v];

		cr_assert(via >= 0 && (size_t)via < l->n);
		const struct graph_link *e = &l->v[via];

		cr_assert((e->a == v && e->b == (uint32_t)nx) ||
			  (e->b == v && e->a == (uint32_t)nx),
			  "via link %d does not join %u and %d", via, v, nx);
		cr_assert(graph_find(g, v, (uint32_t)nx) >= 0);
		cr_assert(fabs(e->length_km + route_dist(rt, di, (uint32_t)nx) -
			       got) <= 1e-9 * (1.0 + want));

		size_t len = route_path(rt, di, v, path, n);
		double sum = 0.0;

		cr_assert(len >= 2 && len <= n);
		cr_assert_eq(path[0], v);
		cr_assert_eq(path[len - 1], dst);
		for (size_t k = 0; k + 1 < len; k++) {
			long li = graph_find(g, path[k], path[k + 1]);

			cr_assert(li >= 0);
			sum += l->v[li].length_km;
			if (k > 0 && transit)
				cr_assert(transit[path[k]],
					  "non-transit node %u inside a path",
					  path[k]);
		}
		cr_assert(fabs(sum - got) <= 1e-9 * (1.0 + want));
	}
	free(path);
}

static void run_random(uint64_t seed, size_t n, unsigned deg, bool ties,
		       bool with_transit)
{
	struct graph_links l;
	struct graph g;
	struct route_table rt;
	uint32_t dest[6];
	uint8_t *transit = NULL;
	double *fw;

	rng_state = seed;
	graph_links_init(&l);
	graph_init(&g);
	random_links(&l, n, deg, ties);
	if (with_transit) {
		transit = malloc(n);
		cr_assert_not_null(transit);
		for (size_t i = 0; i < n; i++)
			transit[i] = rnd() % 4 != 0;
	}
	for (size_t d = 0; d < 6; d++)
		dest[d] = rnd() % n;
	cr_assert_eq(graph_build(&g, n, l.v, l.n), 0);
	cr_assert_eq(route_init(&rt, n, dest, 6), 0);
	route_compute(&rt, &g, transit, NULL);
	fw = floyd(n, &l, transit);
	for (size_t d = 0; d < 6; d++)
		check_tables(&rt, &g, &l, transit, fw, d);
	free(fw);
	free(transit);
	route_free(&rt);
	graph_free(&g);
	graph_links_free(&l);
}

Test(route, dijkstra_matches_floyd)
{
	for (uint64_t seed = 1; seed <= 12; seed++)
		run_random(seed, 20 + seed * 5, 3 + seed % 4, false, false);
}

Test(route, dijkstra_matches_floyd_with_ties)
{
	for (uint64_t seed = 100; seed < 110; seed++)
		run_random(seed, 40, 4, true, false);
}

/* Sparse graphs: several components, so some destinations are unreachable. */
Test(route, sparse_graphs_report_unreachable)
{
	for (uint64_t seed = 200; seed < 210; seed++)
		run_random(seed, 60, 1, false, false);
}

Test(route, non_transit_nodes_match_restricted_floyd)
{
	for (uint64_t seed = 300; seed < 312; seed++)
		run_random(seed, 50, 4, seed % 2, true);
}

/*
 * Satellites 0-1-2-3-4 in a line (100 km each); ground station 5 touches 0
 * and 4 by 10 km links, ground station 6 touches 2. Through 5 would be the
 * shortest way from 0 to 4, but 5 is not a relay.
 */
Test(route, ground_station_is_never_transit)
{
	struct graph_links l;
	struct graph g;
	struct route_table rt;
	uint8_t transit[7] = { 1, 1, 1, 1, 1, 0, 0 };
	uint32_t dest[3] = { 4, 5, 6 };
	uint32_t path[8];
	size_t len;

	graph_links_init(&l);
	graph_init(&g);
	for (uint32_t i = 0; i < 4; i++)
		cr_assert_eq(graph_links_add(&l, i, i + 1, GRAPH_ISL, 100.0),
			     0);
	cr_assert_eq(graph_links_add(&l, 0, 5, GRAPH_GSL, 10.0), 0);
	cr_assert_eq(graph_links_add(&l, 4, 5, GRAPH_GSL, 10.0), 0);
	cr_assert_eq(graph_links_add(&l, 2, 6, GRAPH_GSL, 10.0), 0);
	cr_assert_eq(graph_build(&g, 7, l.v, l.n), 0);
	cr_assert_eq(route_init(&rt, 7, dest, 3), 0);

	route_compute(&rt, &g, transit, NULL);
	cr_assert_eq(route_next(&rt, 0, 0), 1);
	cr_assert_float_eq(route_dist(&rt, 0, 0), 400.0, 1e-9);
	/* 5 starts a path toward 4 and ends one from 6 */
	cr_assert_eq(route_next(&rt, 0, 5), 4);
	len = route_path(&rt, 1, 6, path, 8);
	cr_assert_eq(len, 5);
	cr_assert(path[0] == 6 && path[1] == 2 && path[4] == 5);
	cr_assert_float_eq(route_dist(&rt, 1, 6), 10.0 + 200.0 + 10.0, 1e-9);
	/* ground to ground through 5 is impossible: 6 -> 5 must use sats */
	for (size_t k = 1; k + 1 < len; k++)
		cr_assert_neq(path[k], 5);

	/* as a relay, 5 carries the shortcut */
	transit[5] = 1;
	route_compute(&rt, &g, transit, NULL);
	cr_assert_eq(route_next(&rt, 0, 0), 5);
	cr_assert_float_eq(route_dist(&rt, 0, 0), 20.0, 1e-9);

	route_free(&rt);
	graph_free(&g);
	graph_links_free(&l);
}

Test(route, unreachable_and_isolated_destination)
{
	struct graph_links l;
	struct graph g;
	struct route_table rt;
	uint32_t dest[2] = { 0, 3 };
	uint32_t path[4];

	graph_links_init(&l);
	graph_init(&g);
	cr_assert_eq(graph_links_add(&l, 0, 1, GRAPH_ISL, 5.0), 0);
	cr_assert_eq(graph_links_add(&l, 1, 2, GRAPH_ISL, 5.0), 0);
	cr_assert_eq(graph_build(&g, 4, l.v, l.n), 0);
	cr_assert_eq(route_init(&rt, 4, dest, 2), 0);
	route_compute(&rt, &g, NULL, NULL);
	cr_assert_eq(route_next(&rt, 0, 3), -1);
	cr_assert(isinf(route_dist(&rt, 0, 3)));
	cr_assert_eq(route_path(&rt, 0, 3, path, 4), 0);
	for (uint32_t v = 0; v < 3; v++) {
		cr_assert_eq(route_next(&rt, 1, v), -1);
		cr_assert(isinf(route_dist(&rt, 1, v)));
	}
	cr_assert_eq(route_next(&rt, 1, 3), 3);
	cr_assert_eq(route_dist(&rt, 1, 3), 0.0);
	cr_assert_eq(route_path(&rt, 1, 3, path, 4), 1);
	cr_assert_eq(route_dest_index(&rt, 3), 1);
	cr_assert_eq(route_dest_index(&rt, 2), -1);
	/* a path longer than the buffer still reports its length */
	cr_assert_eq(route_path(&rt, 0, 2, path, 1), 3);
	cr_assert_eq(path[0], 2);

	route_free(&rt);
	graph_free(&g);
	graph_links_free(&l);
}

/*
 * Steps of a moving graph: weights drift a little at every step, and every
 * fourth step a link goes and another comes. Each step starts from the
 * previous table; every result must still match Floyd-Warshall, and both
 * the warm path (trees that held) and Dijkstra (trees that changed) must
 * have been taken.
 */
Test(route, warm_start_follows_a_moving_graph)
{
	size_t warm = 0, cold = 0;

	for (uint64_t seed = 400; seed < 406; seed++) {
		struct graph_links l;
		struct graph g;
		struct route_table rt[2];
		uint32_t dest[5];
		uint8_t transit[50];
		size_t n = 50;
		int cur = 0;

		rng_state = seed;
		graph_links_init(&l);
		graph_init(&g);
		random_links(&l, n, 4, false);
		for (size_t i = 0; i < n; i++)
			transit[i] = rnd() % 5 != 0;
		for (size_t d = 0; d < 5; d++)
			dest[d] = rnd() % n;
		cr_assert_eq(route_init(&rt[0], n, dest, 5), 0);
		cr_assert_eq(route_init(&rt[1], n, dest, 5), 0);
		for (int step = 0; step < 40; step++) {
			double *fw;

			for (size_t k = 0; k < l.n; k++)
				l.v[k].length_km *= 1.0 + 0.004 *
					((rnd() % 1000) / 1000.0 - 0.5);
			if (step % 4 == 3) {
				uint32_t a = rnd() % n, b = rnd() % n;

				size_t gone = rnd() % l.n;

				l.n--;
				l.v[gone] = l.v[l.n];
				if (a != b && graph_find(&g, a, b) < 0)
					cr_assert_eq(graph_links_add(&l, a, b,
								     GRAPH_ISL,
								     50.0 +
								     rnd() % 900),
						     0);
			}
			cr_assert_eq(graph_build(&g, n, l.v, l.n), 0);
			route_compute(&rt[!cur], &g, transit,
				      step ? &rt[cur] : NULL);
			cur = !cur;
			warm += rt[cur].warm;
			cold += rt[cur].cold;
			cr_assert_eq(rt[cur].warm + rt[cur].cold, 5);
			fw = floyd(n, &l, transit);
			for (size_t d = 0; d < 5; d++)
				check_tables(&rt[cur], &g, &l, transit, fw, d);
			free(fw);
		}
		route_free(&rt[0]);
		route_free(&rt[1]);
		graph_free(&g);
		graph_links_free(&l);
	}
	cr_assert_gt(warm, 0);
	cr_assert_gt(cold, 6 * 5);
}

/* A hint for other destinations is not used. */
Test(route, warm_start_needs_the_same_destinations)
{
	struct graph_links l;
	struct graph g;
	struct route_table a, b;
	uint32_t da[2] = { 0, 1 }, db[2] = { 1, 0 };

	graph_links_init(&l);
	graph_init(&g);
	cr_assert_eq(graph_links_add(&l, 0, 1, GRAPH_ISL, 5.0), 0);
	cr_assert_eq(graph_build(&g, 2, l.v, l.n), 0);
	cr_assert_eq(route_init(&a, 2, da, 2), 0);
	cr_assert_eq(route_init(&b, 2, db, 2), 0);
	route_compute(&a, &g, NULL, NULL);
	cr_assert_eq(a.cold, 2);
	route_compute(&b, &g, NULL, &a);
	cr_assert_eq(b.cold, 2);
	route_compute(&a, &g, NULL, &b);
	cr_assert_eq(a.cold, 2);
	cr_assert_eq(route_dist(&a, 0, 1), 5.0);
	route_free(&a);
	route_free(&b);
	graph_free(&g);
	graph_links_free(&l);
}

Test(route, init_rejects_bad_destination)
{
	struct route_table rt;
	uint32_t dest[1] = { 9 };

	cr_assert_eq(route_init(&rt, 4, dest, 1), -EINVAL);
}

Test(graph, build_find_and_degree)
{
	struct graph_links l;
	struct graph g;

	graph_links_init(&l);
	graph_init(&g);
	cr_assert_eq(graph_links_add(&l, 0, 2, GRAPH_ISL, 1.0), 0);
	cr_assert_eq(graph_links_add(&l, 2, 1, GRAPH_GSL, 2.0), 0);
	cr_assert_eq(graph_build(&g, 3, l.v, l.n), 0);
	cr_assert_eq(graph_degree(&g, 0), 1);
	cr_assert_eq(graph_degree(&g, 1), 1);
	cr_assert_eq(graph_degree(&g, 2), 2);
	cr_assert_eq(graph_find(&g, 2, 0), 0);
	cr_assert_eq(graph_find(&g, 1, 2), 1);
	cr_assert_eq(graph_find(&g, 0, 1), -1);
	cr_assert_eq(graph_build(&g, 2, l.v, l.n), -EINVAL);
	graph_free(&g);
	graph_links_free(&l);
}
