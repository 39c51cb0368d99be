// SPDX-License-Identifier: MIT
/* test_fault.c - fault state, the fault timeline, random faults and flaps, and steps with faults */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/fault.h"
#include "topo/fault_plan.h"
#include "topo/graph.h"
#include "topo/route.h"
#include "topo/shadow.h"
#include "topo/step.h"
#include "topo/walker.h"

#define EPOCH INT64_C(1771718400000000000)	/* 2026-02-22T00:00:00Z */
#define S_NS INT64_C(1000000000)

static struct fault_event ev_node(int64_t t, enum fault_verb v, uint32_t a,
				  enum fault_source src)
{
	return (struct fault_event){ .t_ns = t, .verb = v,
				     .target = FAULT_NODE, .source = src,
				     .a = a };
}

static struct fault_event ev_link(int64_t t, enum fault_verb v, uint32_t a,
				  uint32_t b)
{
	return (struct fault_event){ .t_ns = t, .verb = v,
				     .target = FAULT_LINK,
				     .source = FAULT_SCHEDULED, .a = a,
				     .b = b };
}

/* ---- the state ------------------------------------------------------------ */

Test(fault_state, node_causes_are_lifted_one_by_one)
{
	struct fault_state fs;
	struct fault_event e;

	cr_assert_eq(fault_state_init(&fs, 10, 8), 0);
	e = ev_node(0, FAULT_DOWN, 3, FAULT_SCHEDULED);
	e.freeze = true;
	cr_assert_eq(fault_apply(&fs, &e), 1);
	cr_assert(fault_node_down(&fs, 3));
	cr_assert_eq(fs.freeze[3], 1);
	cr_assert_eq(fs.nodes_down, 1);
	/* down again: nothing changes */
	cr_assert_eq(fault_apply(&fs, &e), 0);
	e = ev_node(0, FAULT_DOWN, 3, FAULT_RANDOM);
	cr_assert_eq(fault_apply(&fs, &e), 1);
	e = ev_node(0, FAULT_UP, 3, FAULT_SCHEDULED);
	cr_assert_eq(fault_apply(&fs, &e), 1);
	/* still down: the random failure is not repaired */
	cr_assert(fault_node_down(&fs, 3));
	cr_assert_eq(fs.freeze[3], 0);
	e = ev_node(0, FAULT_UP, 3, FAULT_RANDOM);
	cr_assert_eq(fault_apply(&fs, &e), 1);
	cr_assert_not(fault_node_down(&fs, 3));
	cr_assert_eq(fs.nodes_down, 0);
	cr_assert_eq(fs.count[FAULT_SCHEDULED][FAULT_DOWN], 2);
	cr_assert_eq(fs.count[FAULT_RANDOM][FAULT_UP], 1);
	fault_state_free(&fs);
}

Test(fault_state, links_are_kept_sorted_and_tidied)
{
	struct fault_state fs;
	struct fault_event e;
	const struct fault_link *l;

	cr_assert_eq(fault_state_init(&fs, 10, 8), 0);
	e = ev_link(0, FAULT_DOWN, 5, 2);
	cr_assert_eq(fault_apply(&fs, &e), 1);
	e = ev_link(0, FAULT_DOWN, 1, 7);
	cr_assert_eq(fault_apply(&fs, &e), 1);
	e = ev_link(0, FAULT_SET, 9, 1);
	e.set.has = FAULT_SET_LOSS | FAULT_SET_DELAY;
	e.set.loss = 0.05;
	e.set.delay_ns = 2000000;
	cr_assert_eq(fault_apply(&fs, &e), 1);
	cr_assert_eq(fs.nlinks, 3);
	cr_assert(fs.links[0].a == 1 && fs.links[0].b == 7);
	cr_assert(fs.links[1].a == 1 && fs.links[1].b == 9);
	cr_assert(fs.links[2].a == 2 && fs.links[2].b == 5);
	cr_assert(fault_link_down(&fs, 2, 5));
	cr_assert(fault_link_down(&fs, 5, 2));
	cr_assert_not(fault_link_down(&fs, 1, 9));
	l = fault_link_find(&fs, 9, 1);
	cr_assert_not_null(l);
	cr_assert_float_eq(l->set.loss, 0.05, 1e-12);
	cr_assert_eq(l->set.delay_ns, 2000000);
	/* a later set changes only what it names */
	e.set.has = FAULT_SET_RATE;
	e.set.rate_bps = 100000000;
	cr_assert_eq(fault_apply(&fs, &e), 1);
	l = fault_link_find(&fs, 1, 9);
	cr_assert_eq(l->set.has,
		     FAULT_SET_LOSS | FAULT_SET_DELAY | FAULT_SET_RATE);
	cr_assert_float_eq(l->set.loss, 0.05, 1e-12);
	/* up of a link that is only down leaves no entry */
	e = ev_link(0, FAULT_UP, 2, 5);
	cr_assert_eq(fault_apply(&fs, &e), 1);
	cr_assert_eq(fs.nlinks, 2);
	cr_assert_null(fault_link_find(&fs, 2, 5));
	fault_state_free(&fs);
}

Test(fault_state, refuses_what_does_not_fit)
{
	struct fault_state fs;
	struct fault_event e;
	uint64_t v;

	cr_assert_eq(fault_state_init(&fs, 10, 8), 0);
	v = fs.version;
	e = ev_node(0, FAULT_DOWN, 10, FAULT_SCHEDULED);
	cr_assert_eq(fault_apply(&fs, &e), -EINVAL);
	e = ev_node(0, FAULT_SET, 1, FAULT_SCHEDULED);
	cr_assert_eq(fault_apply(&fs, &e), -EINVAL);
	e = ev_link(0, FAULT_DOWN, 4, 4);
	cr_assert_eq(fault_apply(&fs, &e), -EINVAL);
	e = (struct fault_event){ .verb = FAULT_DOWN,
				  .target = FAULT_TERMINAL, .a = 8, .b = 1 };
	cr_assert_eq(fault_apply(&fs, &e), -EINVAL, "terminal of a station");
	e.a = 2;
	e.b = FAULT_TERMINAL_MAX + 1;
	cr_assert_eq(fault_apply(&fs, &e), -EINVAL);
	e = ev_link(0, FAULT_SET, 1, 2);
	e.set.has = FAULT_SET_LOSS;
	e.set.loss = 1.5;
	cr_assert_eq(fault_apply(&fs, &e), -EINVAL);
	cr_assert_eq(fs.version, v);
	cr_assert_eq(fs.nlinks, 0);
	fault_state_free(&fs);
}

/* ---- the timeline ----------------------------------------------------------- */

Test(fault_plan, applies_in_time_order_with_ties_in_file_order)
{
	struct fault_plan p;
	struct fault_event e;

	cr_assert_eq(fault_plan_init(&p, 10, 8, 1), 0);
	e = ev_node(EPOCH + 5 * S_NS, FAULT_UP, 2, FAULT_SCHEDULED);
	cr_assert_eq(fault_plan_add(&p, &e), 0);
	e = ev_node(EPOCH + 3 * S_NS, FAULT_DOWN, 2, FAULT_SCHEDULED);
	cr_assert_eq(fault_plan_add(&p, &e), 0);
	/* at the same time: up after down, as added */
	e = ev_node(EPOCH + 5 * S_NS, FAULT_DOWN, 2, FAULT_SCHEDULED);
	cr_assert_eq(fault_plan_add(&p, &e), 0);
	cr_assert_eq(fault_plan_advance(&p, EPOCH + 2 * S_NS, NULL, 0, NULL),
		     0);
	cr_assert_eq(p.napplied, 0);
	cr_assert_not(fault_node_down(&p.st, 2));
	cr_assert_eq(fault_plan_advance(&p, EPOCH + 3 * S_NS, NULL, 0, NULL),
		     0);
	cr_assert_eq(p.napplied, 1);
	cr_assert(fault_node_down(&p.st, 2));
	cr_assert_eq(fault_plan_advance(&p, EPOCH + 9 * S_NS, NULL, 0, NULL),
		     0);
	cr_assert_eq(p.napplied, 2);
	cr_assert_eq(p.applied[0].verb, FAULT_UP);
	cr_assert_eq(p.applied[1].verb, FAULT_DOWN);
	cr_assert(fault_node_down(&p.st, 2), "the later-added down wins");
	/* an event in the past (a live one) is applied at the next advance */
	e = ev_node(EPOCH + 1 * S_NS, FAULT_UP, 2, FAULT_LIVE);
	cr_assert_eq(fault_plan_add(&p, &e), 0);
	cr_assert_eq(fault_plan_advance(&p, EPOCH + 10 * S_NS, NULL, 0, NULL),
		     0);
	cr_assert_eq(p.napplied, 1);
	cr_assert_not(fault_node_down(&p.st, 2));
	fault_plan_free(&p);
}

/* ---- random faults ---------------------------------------------------------- */

#define RND_N 200

/*
 * Run n nodes with mtbf and mttr over horizon at a 10 s step; per node the
 * time spent down and the number of failures; the list of events into
 * log (NULL: not kept).
 */
static void random_run(uint64_t seed, int64_t mtbf, int64_t mttr,
		       int64_t horizon, double *down_frac, double *fail_rate,
		       struct fault_event *log, size_t *nlog, size_t cap)
{
	static int64_t bf[RND_N], tr[RND_N];
	struct fault_plan p;
	int64_t step = 10 * S_NS, down_ns = 0;
	size_t fails = 0;

	for (size_t i = 0; i < RND_N; i++) {
		bf[i] = mtbf;
		tr[i] = mttr;
	}
	cr_assert_eq(fault_plan_init(&p, RND_N, RND_N, seed), 0);
	cr_assert_eq(fault_plan_random(&p, bf, tr, EPOCH), 0);
	if (nlog)
		*nlog = 0;
	for (int64_t t = EPOCH; t < EPOCH + horizon; t += step) {
		cr_assert_eq(fault_plan_advance(&p, t, NULL, 0, NULL), 0);
		for (size_t k = 0; k < p.napplied; k++) {
			if (p.applied[k].verb == FAULT_DOWN)
				fails++;
			if (log && *nlog < cap)
				log[(*nlog)++] = p.applied[k];
		}
		down_ns += (int64_t)p.st.nodes_down * step;
	}
	*down_frac = (double)down_ns / ((double)horizon * RND_N);
	*fail_rate = (double)fails / ((double)horizon / 3600e9 * RND_N);
	fault_plan_free(&p);
}

Test(fault_random, rates_within_their_statistical_bounds)
{
	int64_t mtbf = 6 * 3600 * S_NS, mttr = 90 * S_NS;
	int64_t horizon = 30LL * 86400 * S_NS;	/* 30 days, 200 nodes */
	double frac, rate, want_rate, want_frac, n, sd;

	random_run(42, mtbf, mttr, horizon, &frac, &rate, NULL, NULL, 0);
	/* failures: a renewal process of mean cycle mtbf + mttr */
	want_rate = 3600.0 / (6 * 3600.0 + 90.0);	/* per node-hour */
	n = want_rate * 30 * 24 * RND_N;		/* about 23,900 */
	sd = sqrt(n) / (30 * 24 * RND_N);		/* Poisson bound */
	cr_assert(fabs(rate - want_rate) < 4 * sd,
		  "%.5f failures per node-hour, expected %.5f +- %.5f", rate,
		  want_rate, 4 * sd);
	/* unavailability mttr / (mtbf + mttr), 0.41%; repairs are seen at
	 * 10 s steps, which adds half a step per failure on average */
	want_frac = (90.0 + 5.0) / (6 * 3600.0 + 90.0);
	cr_assert(fabs(frac - want_frac) < 0.1 * want_frac,
		  "down %.5f of the time, expected %.5f", frac, want_frac);
}

Test(fault_random, the_same_seed_gives_the_same_timeline)
{
	static struct fault_event a[4096], b[4096], c[4096];
	size_t na, nb, nc;
	double f, r;
	int64_t h = 86400 * S_NS;

	random_run(7, 6 * 3600 * S_NS, 60 * S_NS, h, &f, &r, a, &na, 4096);
	random_run(7, 6 * 3600 * S_NS, 60 * S_NS, h, &f, &r, b, &nb, 4096);
	random_run(8, 6 * 3600 * S_NS, 60 * S_NS, h, &f, &r, c, &nc, 4096);
	cr_assert_gt(na, 100);
	cr_assert_lt(na, 4096);
	cr_assert_eq(na, nb);
	cr_assert_eq(memcmp(a, b, na * sizeof(*a)), 0);
	cr_assert(na != nc || memcmp(a, c, na * sizeof(*a)) != 0,
		  "another seed gives another timeline");
	/* in time order, with the exact drawn times (not step times) */
	for (size_t i = 1; i < na; i++)
		cr_assert_leq(a[i - 1].t_ns, a[i].t_ns);
	cr_assert_neq(a[0].t_ns % (10 * S_NS), 0);
}

Test(fault_random, flaps_at_their_rate_and_end)
{
	struct graph_links gl;
	struct fault_plan p;
	int64_t step = S_NS, downs = 0, ups = 0;
	size_t nlinks = 100;
	int64_t steps = 36000;	/* 10 hours */
	double want, sd;

	graph_links_init(&gl);
	for (uint32_t i = 0; i < nlinks; i++)
		cr_assert_eq(graph_links_add(&gl, i, i + 1, GRAPH_ISL, 1000.0),
			     0);
	cr_assert_eq(graph_links_add(&gl, 0, 150, GRAPH_GSL, 1000.0), 0);
	cr_assert_eq(fault_plan_init(&p, 200, 150, 3), 0);
	fault_plan_flaps(&p, 2.0, 5 * S_NS);	/* 2 per link-hour, 5 s */
	for (int64_t k = 0; k < steps; k++) {
		int64_t t = EPOCH + k * step;

		cr_assert_eq(fault_plan_advance(&p, t, k ? &gl : NULL,
						t - step, NULL), 0);
		for (size_t i = 0; i < p.napplied; i++) {
			cr_assert_eq(p.applied[i].source, FAULT_FLAP);
			cr_assert_neq(p.applied[i].b, 150, "ground links never flap");
			if (p.applied[i].verb == FAULT_DOWN)
				downs++;
			else
				ups++;
		}
	}
	want = 2.0 * 10 * (double)nlinks;	/* 2,000 */
	sd = sqrt(want);
	cr_assert(fabs((double)downs - want) < 4 * sd,
		  "%lld flaps, expected %.0f +- %.0f", (long long)downs, want,
		  4 * sd);
	/* every flap ends 5 s later (those of the last 5 s are pending) */
	cr_assert_leq(downs - ups, 20);
	cr_assert_geq(downs, ups);
	fault_plan_free(&p);
	graph_links_free(&gl);
}

/* ---- steps with faults ------------------------------------------------------ */

struct world {
	struct constel c;
	struct topo_model m;
	struct topo_state st[2];
	struct fault_plan plan;
	uint32_t dest[2];
};

/* 12 planes of 12 at 550 km, +Grid, one ground station (node 144). */
static void world_init(struct world *w, unsigned source)
{
	struct walker_shell sh = {
		.name = "T", .kind = WALKER_DELTA, .planes = 12,
		.per_plane = 12, .phasing = 5, .alt_km = 550.0,
		.incl_deg = 53.0,
	};

	memset(w, 0, sizeof(*w));
	constel_init(&w->c);
	cr_assert_eq(constel_add_shell(&w->c, &sh, EPOCH), 0);
	cr_assert_eq(constel_add_ground(&w->c, "london", 51.5, -0.13, 11.0,
					false), 0);
	cr_assert_eq(constel_index(&w->c), 0);
	w->dest[0] = 0;
	w->dest[1] = 77;
	topo_model_init(&w->m, &w->c);
	w->m.isl.source = source;
	w->m.dest = w->dest;
	w->m.ndest = 2;
	cr_assert_eq(topo_model_prepare(&w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[0], &w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[1], &w->m), 0);
	cr_assert_eq(fault_plan_init(&w->plan, w->c.n, w->c.nsat, 1), 0);
}

static void world_free(struct world *w)
{
	fault_plan_free(&w->plan);
	topo_state_free(&w->st[0]);
	topo_state_free(&w->st[1]);
	topo_model_free(&w->m);
	constel_free(&w->c);
}

static bool has_link(const struct topo_state *st, uint32_t a, uint32_t b)
{
	return graph_find(&st->graph, a, b) >= 0;
}

static size_t degree(const struct topo_state *st, uint32_t v)
{
	return st->graph.off[v + 1] - st->graph.off[v];
}

Test(fault_step, node_down_has_no_link_and_routes_avoid_it)
{
	struct world w;
	struct fault_event e;
	uint32_t v = 13;	/* T-1-1 */
	int32_t nh;

	world_init(&w, ISL_SRC_GRID);
	e = ev_node(EPOCH + 10 * S_NS, FAULT_DOWN, v, FAULT_SCHEDULED);
	cr_assert_eq(fault_plan_add(&w.plan, &e), 0);
	e = ev_node(EPOCH + 20 * S_NS, FAULT_UP, v, FAULT_SCHEDULED);
	cr_assert_eq(fault_plan_add(&w.plan, &e), 0);
	cr_assert_eq(topo_step_faulted(&w.m, NULL, EPOCH, &w.plan, &w.st[0]),
		     0);
	cr_assert_eq(degree(&w.st[0], v), 4);
	cr_assert_eq(topo_step_faulted(&w.m, &w.st[0], EPOCH + 10 * S_NS,
				       &w.plan, &w.st[1]), 0);
	cr_assert_eq(w.st[1].napplied, 1);
	cr_assert_eq(degree(&w.st[1], v), 0);
	cr_assert_eq(w.st[1].down[v], TOPO_DOWN_FAULT);
	cr_assert_eq(w.st[1].cnt.node_fault, 1);
	cr_assert_neq(w.st[1].pos[v].x, 0.0, "a failed node keeps its orbit");
	cr_assert(fault_node_down(&w.st[1].faults, v));
	/* nobody routes through it toward node 0 */
	for (uint32_t u = 0; u < w.c.nsat; u++) {
		nh = route_next(&w.st[1].routes, 0, u);
		cr_assert_neq(nh, (int32_t)v, "node %u routes via the failed "
			      "node", u);
	}
	cr_assert_eq(topo_step_faulted(&w.m, &w.st[1], EPOCH + 20 * S_NS,
				       &w.plan, &w.st[0]), 0);
	cr_assert_eq(degree(&w.st[0], v), 4, "back with every grid link");
	world_free(&w);
}

Test(fault_step, link_down_reacquires_after_up)
{
	struct world w;
	struct fault_event e;
	uint32_t a = 0, b = 1;	/* T-0-0 - T-0-1: in the same plane */

	world_init(&w, ISL_SRC_GRID);
	w.m.isl.acquisition_ns = 5 * S_NS;
	e = ev_link(EPOCH + 1 * S_NS, FAULT_DOWN, b, a);
	cr_assert_eq(fault_plan_add(&w.plan, &e), 0);
	e = ev_link(EPOCH + 2 * S_NS, FAULT_UP, a, b);
	cr_assert_eq(fault_plan_add(&w.plan, &e), 0);
	cr_assert_eq(topo_step_faulted(&w.m, NULL, EPOCH, &w.plan, &w.st[0]),
		     0);
	cr_assert(has_link(&w.st[0], a, b));
	cr_assert_eq(topo_step_faulted(&w.m, &w.st[0], EPOCH + S_NS, &w.plan,
				       &w.st[1]), 0);
	cr_assert_not(has_link(&w.st[1], a, b));
	cr_assert_eq(w.st[1].cnt.isl_fault, 1);
	cr_assert_eq(degree(&w.st[1], a), 3);
	/* up at 2 s, acquiring for 5 s: usable from 7 s */
	cr_assert_eq(topo_step_faulted(&w.m, &w.st[1], EPOCH + 2 * S_NS,
				       &w.plan, &w.st[0]), 0);
	cr_assert_not(has_link(&w.st[0], a, b));
	cr_assert_eq(w.st[0].cnt.isl_acquiring, 1);
	cr_assert_eq(topo_step_faulted(&w.m, &w.st[0], EPOCH + 7 * S_NS,
				       &w.plan, &w.st[1]), 0);
	cr_assert(has_link(&w.st[1], a, b));
	world_free(&w);
}

Test(fault_step, terminal_lost_takes_its_grid_link)
{
	struct world w;
	struct fault_event e = { .t_ns = EPOCH, .verb = FAULT_DOWN,
				 .target = FAULT_TERMINAL,
				 .source = FAULT_SCHEDULED, .a = 0 };
	size_t lost = 0;

	world_init(&w, ISL_SRC_GRID);
	for (e.b = 0; e.b < 4; e.b++) {
		struct fault_plan p;

		cr_assert_eq(fault_plan_init(&p, w.c.n, w.c.nsat, 1), 0);
		cr_assert_eq(fault_plan_add(&p, &e), 0);
		cr_assert_eq(topo_step_faulted(&w.m, NULL, EPOCH, &p,
					       &w.st[0]), 0);
		cr_assert_eq(degree(&w.st[0], 0), 3, "terminal %u", e.b);
		lost += w.st[0].cnt.isl_fault;
		fault_plan_free(&p);
	}
	cr_assert_eq(lost, 4);
	world_free(&w);
}

Test(fault_step, nearest_links_skip_a_failed_pair_and_lost_terminals)
{
	struct world w;
	struct fault_event e;
	uint32_t a = 0, b;

	world_init(&w, ISL_SRC_NEAREST);
	cr_assert_eq(topo_step(&w.m, NULL, EPOCH, &w.st[0]), 0);
	cr_assert_eq(degree(&w.st[0], a), 4);
	b = w.st[0].graph.arc[w.st[0].graph.off[a]].to;
	e = ev_link(EPOCH, FAULT_DOWN, a, b);
	cr_assert_eq(fault_plan_add(&w.plan, &e), 0);
	e = (struct fault_event){ .t_ns = EPOCH, .verb = FAULT_DOWN,
				  .target = FAULT_TERMINAL,
				  .source = FAULT_SCHEDULED, .a = 5, .b = 0 };
	cr_assert_eq(fault_plan_add(&w.plan, &e), 0);
	cr_assert_eq(topo_step_faulted(&w.m, NULL, EPOCH, &w.plan, &w.st[1]),
		     0);
	cr_assert_not(has_link(&w.st[1], a, b));
	cr_assert_leq(degree(&w.st[1], 5), 3);
	/* the failed pair is skipped, not the satellites */
	cr_assert_geq(degree(&w.st[1], a), 3);
	world_free(&w);
}

Test(fault_step, ground_outage_and_ground_link_down)
{
	struct world w;
	struct fault_event e;
	uint32_t g = 144, s;

	world_init(&w, ISL_SRC_GRID);
	cr_assert_eq(topo_step(&w.m, NULL, EPOCH, &w.st[0]), 0);
	cr_assert_gt(degree(&w.st[0], g), 0, "london sees a satellite");
	s = w.st[0].graph.arc[w.st[0].graph.off[g]].to;
	e = ev_link(EPOCH, FAULT_DOWN, g, s);
	cr_assert_eq(fault_plan_add(&w.plan, &e), 0);
	cr_assert_eq(topo_step_faulted(&w.m, NULL, EPOCH, &w.plan, &w.st[1]),
		     0);
	cr_assert_not(has_link(&w.st[1], g, s));
	cr_assert_eq(w.st[1].cnt.gsl_fault, 1);
	e = ev_node(EPOCH + S_NS, FAULT_DOWN, g, FAULT_SCHEDULED);
	cr_assert_eq(fault_plan_add(&w.plan, &e), 0);
	cr_assert_eq(topo_step_faulted(&w.m, &w.st[1], EPOCH + S_NS, &w.plan,
				       &w.st[0]), 0);
	cr_assert_eq(degree(&w.st[0], g), 0);
	cr_assert_eq(w.st[0].down[g], TOPO_DOWN_FAULT);
	world_free(&w);
}

/* ---- the eclipse policy ------------------------------------------------------ */

Test(fault_step, eclipse_down_takes_exactly_the_umbra_down)
{
	static uint8_t pol[144];
	struct world w;
	size_t umbra = 0, down = 0;

	world_init(&w, ISL_SRC_GRID);
	memset(pol, TOPO_ECLIPSE_DOWN, sizeof(pol));
	w.m.eclipse = pol;
	cr_assert_eq(topo_step_faulted(&w.m, NULL, EPOCH, &w.plan, &w.st[0]),
		     0);
	for (uint32_t i = 0; i < 144; i++) {
		bool u = w.st[0].shadow[i] == SHADOW_UMBRA;

		umbra += u;
		down += w.st[0].down[i] == TOPO_DOWN_FAULT;
		cr_assert_eq(u, w.st[0].down[i] == TOPO_DOWN_FAULT,
			     "satellite %u", i);
		if (u)
			cr_assert_eq(degree(&w.st[0], i), 0);
	}
	/* a 550 km shell has about a third of its satellites in shadow */
	cr_assert(umbra > 144 / 5 && umbra < 144 / 2, "%zu in umbra", umbra);
	cr_assert_eq(w.st[0].napplied, down);
	cr_assert_eq(w.st[0].applied[0].source, FAULT_ECLIPSE);
	world_free(&w);
}

Test(fault_step, eclipse_battery_lasts_its_time_then_light_restores)
{
	static uint8_t pol[144];
	static int64_t bat[144];
	struct world w;
	int64_t step = 10 * S_NS, entered = -1, went_down = -1, back = -1;
	uint32_t v = 0;
	int cur = 0;

	world_init(&w, ISL_SRC_GRID);
	memset(pol, TOPO_ECLIPSE_BATTERY, sizeof(pol));
	for (size_t i = 0; i < 144; i++)
		bat[i] = 300 * S_NS;
	w.m.eclipse = pol;
	w.m.battery_ns = bat;
	/* follow satellite 0 over one orbit (about 95 min) */
	for (int64_t t = EPOCH; t < EPOCH + 6000 * S_NS; t += step) {
		const struct topo_state *st = &w.st[cur];

		cr_assert_eq(topo_step_faulted(&w.m, t == EPOCH ? NULL :
					       &w.st[!cur], t, &w.plan,
					       &w.st[cur]), 0);
		if (st->shadow[v] == SHADOW_UMBRA && entered < 0 &&
		    t > EPOCH)
			entered = t;
		if (entered >= 0 && went_down < 0 &&
		    st->down[v] == TOPO_DOWN_FAULT)
			went_down = t;
		if (went_down >= 0 && back < 0 &&
		    st->down[v] != TOPO_DOWN_FAULT)
			back = t;
		cur = !cur;
	}
	cr_assert_geq(entered, 0, "satellite 0 meets the umbra");
	cr_assert_geq(went_down, 0);
	cr_assert_eq(went_down - entered, 300 * S_NS,
		     "down %lld s after entering the umbra",
		     (long long)((went_down - entered) / S_NS));
	cr_assert_geq(back, 0, "and up again in the light");
	world_free(&w);
}
