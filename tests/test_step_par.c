// SPDX-License-Identifier: MIT
/* test_step_par.c - the thread pool; a step the same on 1, 2 or 3 threads */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/pool.h"
#include "topo/step.h"
#include "topo/walker.h"

#define EPOCH INT64_C(1771718400000000000)	/* 2026-02-22T00:00:00Z */
#define S_NS INT64_C(1000000000)

/* ---- the pool ------------------------------------------------------------ */

struct mark_job {
	unsigned *who;		/* per item: the sum of part + 1 */
	unsigned long n;
	atomic_uint calls;
	unsigned nparts_seen;
};

static void mark_part(void *arg, unsigned part, unsigned nparts)
{
	struct mark_job *j = arg;
	unsigned long lo, hi;

	topo_pool_range(j->n, part, nparts, &lo, &hi);
	for (unsigned long i = lo; i < hi; i++)
		j->who[i] += part + 1;
	j->nparts_seen = nparts;
	atomic_fetch_add(&j->calls, 1);
}

/* Every item is done once, by the part its range gives, at every job. */
Test(pool, every_part_once)
{
	for (unsigned n = 1; n <= 4; n++) {
		struct topo_pool *p;
		struct mark_job j = { .n = 1001 };

		cr_assert_eq(topo_pool_new(n, NULL, &p), 0);
		cr_assert_eq(topo_pool_threads(p), n);
		j.who = calloc(j.n, sizeof(*j.who));
		cr_assert(j.who);
		for (int rep = 0; rep < 50; rep++) {
			atomic_init(&j.calls, 0);
			topo_pool_run(p, mark_part, &j);
			cr_assert_eq(atomic_load(&j.calls), n);
			cr_assert_eq(j.nparts_seen, n);
		}
		for (unsigned part = 0; part < n; part++) {
			unsigned long lo, hi;

			topo_pool_range(j.n, part, n, &lo, &hi);
			for (unsigned long i = lo; i < hi; i++)
				cr_assert_eq(j.who[i], 50 * (part + 1),
					     "item %lu with %u threads", i, n);
		}
		for (unsigned long i = 0; i < j.n; i++)
			cr_assert_neq(j.who[i], 0, "item %lu left out", i);
		free(j.who);
		topo_pool_free(p);
	}
	cr_assert_eq(topo_pool_threads(NULL), 1);
	topo_pool_free(NULL);
}

static unsigned init_calls;

static void count_init(void)
{
	__atomic_add_fetch(&init_calls, 1, __ATOMIC_SEQ_CST);
}

/* The worker's hook runs once in each worker, not in the caller. */
Test(pool, init_hook_and_limits)
{
	struct topo_pool *p;

	cr_assert_eq(topo_pool_new(0, NULL, &p), -EINVAL);
	cr_assert_null(p);
	cr_assert_eq(topo_pool_new(TOPO_POOL_MAX + 1, NULL, &p), -EINVAL);
	cr_assert_eq(topo_pool_new(3, count_init, &p), 0);
	topo_pool_free(p);	/* joins: every hook has run */
	cr_assert_eq(init_calls, 2);
}

/* ---- a step on 1, 2 and 3 threads ---------------------------------------- */

struct world {
	struct constel c;
	struct topo_pool *pool;
	struct topo_model m;
	struct topo_state st[2];
	uint32_t dest[9];
};

/*
 * Two shells (a delta and a polar star, whose seam and poles take
 * cross-plane links down by the latitude rule), two ground stations,
 * +Grid with a fifth terminal by nearest, an acquisition time, and routes
 * to 9 destinations.
 */
static void world_init(struct world *w, unsigned threads)
{
	static const struct walker_shell sh[] = {
		{ "a", WALKER_DELTA, 17, 19, 5, 550.0, 53.0, 0.0, 0.0 },
		{ "b", WALKER_STAR, 11, 13, 1, 780.0, 86.4, 0.0, 0.0 },
	};

	constel_init(&w->c);
	for (size_t k = 0; k < 2; k++)
		cr_assert_eq(constel_add_shell(&w->c, &sh[k], EPOCH), 0);
	cr_assert_eq(constel_add_ground(&w->c, "london", 51.5, -0.13, 11.0,
					false), 0);
	cr_assert_eq(constel_add_ground(&w->c, "singapore", 1.35, 103.8,
					15.0, true), 0);
	cr_assert_eq(constel_index(&w->c), 0);
	for (size_t d = 0; d < 7; d++)
		w->dest[d] = (uint32_t)(d * w->c.nsat / 7 + 3);
	w->dest[7] = (uint32_t)w->c.nsat;
	w->dest[8] = (uint32_t)w->c.nsat + 1;
	cr_assert_eq(topo_pool_new(threads, NULL, &w->pool), 0);
	topo_model_init(&w->m, &w->c);
	w->m.isl.source = ISL_SRC_GRID | ISL_SRC_NEAREST;
	w->m.isl.terminals = 5;
	w->m.isl.max_range_km = 5000.0;
	w->m.isl.has_cross_lat = true;
	w->m.isl.cross_lat_deg = 70.0;
	w->m.isl.acquisition_ns = 20 * S_NS;
	w->m.dest = w->dest;
	w->m.ndest = 9;
	w->m.shadow = true;
	w->m.pool = w->pool;
	cr_assert_eq(topo_model_prepare(&w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[0], &w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[1], &w->m), 0);
}

static void world_free(struct world *w)
{
	topo_state_free(&w->st[0]);
	topo_state_free(&w->st[1]);
	topo_model_free(&w->m);
	topo_pool_free(w->pool);
	constel_free(&w->c);
}

/* Two states hold the same step, bit for bit. */
static void same_step(const struct topo_state *x, const struct topo_state *y,
		      unsigned threads, int step)
{
	const struct route_table *a = &x->routes, *b = &y->routes;
	size_t n = x->n, cells = a->ndest * n;

	cr_assert_eq(memcmp(x->pos, y->pos, n * sizeof(*x->pos)), 0,
		     "positions, %u threads, step %d", threads, step);
	cr_assert_eq(memcmp(x->vel, y->vel, n * sizeof(*x->vel)), 0);
	cr_assert_eq(memcmp(x->up, y->up, n), 0);
	cr_assert_eq(memcmp(x->shadow, y->shadow, n), 0);
	cr_assert_eq(x->links.n, y->links.n, "links, %u threads, step %d",
		     threads, step);
	for (size_t i = 0; i < x->links.n; i++) {
		const struct graph_link *l = &x->links.v[i];
		const struct graph_link *k = &y->links.v[i];

		cr_assert(l->a == k->a && l->b == k->b && l->kind == k->kind &&
			  l->length_km == k->length_km,
			  "link %zu, %u threads, step %d", i, threads, step);
	}
	cr_assert_eq(memcmp(&x->cnt, &y->cnt, sizeof(x->cnt)), 0,
		     "counters, %u threads, step %d", threads, step);
	cr_assert_eq(memcmp(a->next, b->next, cells * sizeof(*a->next)), 0,
		     "next hops, %u threads, step %d", threads, step);
	cr_assert_eq(memcmp(a->via, b->via, cells * sizeof(*a->via)), 0);
	cr_assert_eq(memcmp(a->dist, b->dist, cells * sizeof(*a->dist)), 0);
}

Test(step_par, same_links_and_routes_whatever_the_threads)
{
	static struct world one, many;
	size_t acquiring = 0, cross = 0, warm = 0, cold = 0;

	world_init(&one, 1);
	for (unsigned threads = 2; threads <= 3; threads++) {
		world_init(&many, threads);
		cr_assert_eq(many.m.nfixed, one.m.nfixed);
		for (int i = 0; i < 40; i++) {
			/* 30 s apart: links acquire, cross the poles, move */
			int64_t t = EPOCH + i * 30 * S_NS;
			int c = i & 1, p = !c;

			cr_assert_eq(topo_step(&one.m, i ? &one.st[p] : NULL,
					       t, &one.st[c]), 0);
			cr_assert_eq(topo_step(&many.m, i ? &many.st[p] : NULL,
					       t, &many.st[c]), 0);
			same_step(&one.st[c], &many.st[c], threads, i);
			acquiring += one.st[c].cnt.isl_acquiring;
			cross += one.st[c].cnt.isl_down[ISL_CROSS_LAT];
			warm += one.st[c].cnt.routes_warm;
			cold += one.st[c].cnt.routes_cold;
		}
		world_free(&many);
	}
	world_free(&one);
	/* the case covers what it should */
	cr_assert_gt(acquiring, 0);
	cr_assert_gt(cross, 0);
	cr_assert_gt(warm, 0);
	cr_assert_gt(cold, 9);
}
