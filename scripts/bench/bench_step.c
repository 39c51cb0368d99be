// SPDX-License-Identifier: MIT
/* bench_step.c - time one geometry step (propagate, links, routes) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap/file.h"
#include "topo/fault_plan.h"
#include "topo/lib/diag.h"
#include "topo/step.h"
#include "topo/tle.h"

/*
 * usage: bench_step [TLE_FILE [STEPS]]
 * Three cases, each stepped every 100 ms of simulated time, routes to 16
 * destinations (14 satellites spread over the list and 2 ground stations):
 *   shell1  Starlink shell 1, 72 x 22 at 550 km, 53 degrees, F = 39, +Grid
 *   real    every element set of TLE_FILE, nearest links, 4 terminals
 *   40k     four Walker shells, 40,000 satellites: +Grid alone (each
 *           shell is then its own island), +Grid with a fifth terminal
 *           by nearest (which joins the shells), nearest alone
 * The first step is reported alone (it has no previous state: nearest
 * assignment starts from nothing, every route runs Dijkstra). The others
 * give the median and p90 of the thread's CPU time per step and of each
 * phase, and of wall time. Routes normally start from the previous step's
 * trees; "cold" is the same routes computed again at each step with
 * Dijkstra for every destination (not counted in the step), for the case
 * where every tree changes at once.
 */
#define DEFAULT_TLE "docs/examples/data/starlink-2026-02-22.tle"
#define STEP_NS (INT64_C(100) * 1000000)
/* 2026-02-23T00:00:00Z, inside the epochs of the shared TLE file */
#define EPOCH INT64_C(1771804800000000000)

static double now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

/* The whole file, or NULL (file_read_all does the reading). */
static char *slurp(const char *path, size_t *len)
{
	char *buf;

	return file_read_all(path, SIZE_MAX, 0, &buf, len) == 0 ? buf : NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	size_t k = (size_t)(p * (double)(n - 1) + 0.5);

	qsort(v, n, sizeof(*v), cmp_double);
	return v[k];
}

static int add_stations(struct constel *c)
{
	int ret = constel_add_ground(c, "london", 51.5, -0.13, 11.0, false);

	if (!ret)
		ret = constel_add_ground(c, "new-york", 40.71, -74.0, 10.0,
					 false);
	if (!ret)
		ret = constel_index(c);
	return ret;
}

/*
 * Faults for a case (NULL: none, topo_step as the run had before faults):
 * "empty" is a plan with nothing in it (what every run pays now), "busy"
 * every satellite failing at random (mtbf 6 h, mttr 90 s), every laser
 * link flapping twice an hour and the eclipse policy down.
 */
enum bench_faults { BENCH_NO_PLAN, BENCH_EMPTY_PLAN, BENCH_BUSY_PLAN };

static int run_case_faults(const char *label, struct constel *c,
			   unsigned source, unsigned terminals, int steps,
			   enum bench_faults faults);

static int run_case(const char *label, struct constel *c, unsigned source,
		    unsigned terminals, int steps)
{
	return run_case_faults(label, c, source, terminals, steps,
			       BENCH_NO_PLAN);
}

static int run_case_faults(const char *label, struct constel *c,
			   unsigned source, unsigned terminals, int steps,
			   enum bench_faults faults)
{
	struct fault_plan plan;
	int64_t *mtbf = NULL, *mttr = NULL;
	uint8_t *ecl = NULL;
	struct topo_model m;
	struct topo_state st[2];
	uint32_t dest[16];
	double *tot, *prop, *link, *route, *wall, *coldv;
	struct route_table cold_rt;
	double first_ms = 0.0;
	size_t warm = 0, cold = 0;
	int ret, cur = 0;

	for (int k = 0; k < 14; k++)
		dest[k] = (uint32_t)((size_t)k * c->nsat / 14);
	dest[14] = (uint32_t)c->nsat;
	dest[15] = (uint32_t)c->nsat + 1;
	topo_model_init(&m, c);
	m.isl.source = source;
	m.isl.terminals = terminals;
	m.dest = dest;
	m.ndest = 16;
	ret = topo_model_prepare(&m);
	if (ret)
		return ret;
	if (faults != BENCH_NO_PLAN) {
		ret = fault_plan_init(&plan, c->n, c->nsat, 1);
		if (ret)
			return ret;
	}
	if (faults == BENCH_BUSY_PLAN) {
		mtbf = calloc(c->n, sizeof(*mtbf));
		mttr = calloc(c->n, sizeof(*mttr));
		ecl = malloc(c->nsat ? c->nsat : 1);
		if (!mtbf || !mttr || !ecl)
			return -ENOMEM;
		for (size_t i = 0; i < c->nsat; i++) {
			mtbf[i] = 6 * 3600 * INT64_C(1000000000);
			mttr[i] = 90 * INT64_C(1000000000);
		}
		memset(ecl, TOPO_ECLIPSE_DOWN, c->nsat);
		m.eclipse = ecl;
		ret = fault_plan_random(&plan, mtbf, mttr, EPOCH);
		if (ret)
			return ret;
		fault_plan_flaps(&plan, 2.0, 5 * INT64_C(1000000000));
	}
	ret = topo_state_init(&st[0], &m);
	if (!ret)
		ret = topo_state_init(&st[1], &m);
	if (!ret)
		ret = route_init(&cold_rt, c->n, dest, 16);
	tot = calloc(6 * (size_t)steps, sizeof(*tot));
	if (ret || !tot) {
		free(tot);
		return ret ? ret : -ENOMEM;
	}
	prop = tot + steps;
	link = prop + steps;
	route = link + steps;
	wall = route + steps;
	coldv = wall + steps;

	for (int i = 0; i <= steps; i++) {
		const struct topo_state *prev = i ? &st[cur] : NULL;
		struct topo_state *out = i ? &st[!cur] : &st[0];
		int64_t t = EPOCH + (int64_t)i * STEP_NS;
		double w0 = now_ms(CLOCK_MONOTONIC);
		double t0 = now_ms(CLOCK_THREAD_CPUTIME_ID), t1, t2, t3;

		/* with a plan, the faults are timed with propagation */
		if (faults == BENCH_NO_PLAN)
			topo_step_propagate(&m, t, out);
		else
			ret = topo_step_place(&m, prev, t, &plan, out);
		t1 = now_ms(CLOCK_THREAD_CPUTIME_ID);
		if (ret)
			break;
		ret = topo_step_links(&m, prev, out);
		t2 = now_ms(CLOCK_THREAD_CPUTIME_ID);
		if (!ret)
			ret = topo_step_routes(&m, prev, out);
		t3 = now_ms(CLOCK_THREAD_CPUTIME_ID);
		if (ret)
			break;
		if (i == 0) {
			first_ms = t3 - t0;
			printf("%s: %zu satellites, %zu ground stations, "
			       "%zu fixed candidates\n", label, c->nsat,
			       c->n - c->nsat, m.nfixed);
			printf("  first step %.2f ms (propagate %.2f, links "
			       "%.2f, routes %.2f)\n", first_ms, t1 - t0,
			       t2 - t1, t3 - t2);
		} else {
			warm += out->cnt.routes_warm;
			cold += out->cnt.routes_cold;
			tot[i - 1] = t3 - t0;
			prop[i - 1] = t1 - t0;
			link[i - 1] = t2 - t1;
			route[i - 1] = t3 - t2;
			wall[i - 1] = now_ms(CLOCK_MONOTONIC) - w0;
			t0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
			route_compute(&cold_rt, &out->graph, m.transit, NULL);
			coldv[i - 1] = now_ms(CLOCK_THREAD_CPUTIME_ID) - t0;
			cur = !cur;
		}
	}
	if (!ret) {
		const struct topo_counters *k = &st[cur].cnt;
		size_t reach = 0;

		for (size_t d = 0; d < 16; d++)
			for (size_t v = 0; v < c->n; v++)
				reach += route_next(&st[cur].routes, d,
						    (uint32_t)v) >= 0;
		printf("  last step: %zu down, %zu ISL up, %zu acquiring, "
		       "%zu GSL, nearest kept %zu new %zu broken %zu, "
		       "%.1f%% of (node, destination) pairs routed\n",
		       k->sat_down, k->isl_up, k->isl_acquiring, k->gsl_up,
		       k->near_kept, k->near_new, k->near_broken,
		       100.0 * reach / (16.0 * c->n));
		printf("  routes over all steps: %zu trees held (warm), %zu "
		       "Dijkstra (cold)\n", warm, cold);
		printf("  %d steps, CPU ms per step: median %.2f p90 %.2f | "
		       "propagate %.2f/%.2f links %.2f/%.2f routes %.2f/%.2f"
		       " | wall median %.2f p90 %.2f\n", steps,
		       pct(tot, steps, 0.5), pct(tot, steps, 0.9),
		       pct(prop, steps, 0.5), pct(prop, steps, 0.9),
		       pct(link, steps, 0.5), pct(link, steps, 0.9),
		       pct(route, steps, 0.5), pct(route, steps, 0.9),
		       pct(wall, steps, 0.5), pct(wall, steps, 0.9));
		printf("  routes cold (16 Dijkstra) median %.2f p90 %.2f ms\n",
		       pct(coldv, steps, 0.5), pct(coldv, steps, 0.9));
		if (faults != BENCH_NO_PLAN)
			printf("  faults in force at the last step: %zu nodes "
			       "down, %zu link faults\n",
			       st[cur].faults.nodes_down,
			       st[cur].faults.nlinks);
	}
	if (faults != BENCH_NO_PLAN)
		fault_plan_free(&plan);
	free(mtbf);
	free(mttr);
	free(ecl);
	route_free(&cold_rt);
	free(tot);
	topo_state_free(&st[0]);
	topo_state_free(&st[1]);
	topo_model_free(&m);
	return ret;
}

static int case_shell1(int steps)
{
	struct walker_shell w = {
		.name = "shell1", .kind = WALKER_DELTA, .planes = 72,
		.per_plane = 22, .phasing = 39, .alt_km = 550.0,
		.incl_deg = 53.0,
	};
	struct constel c;
	int ret;

	constel_init(&c);
	ret = constel_add_shell(&c, &w, EPOCH);
	if (!ret)
		ret = add_stations(&c);
	if (!ret)
		ret = run_case("shell1 (+Grid)", &c, ISL_SRC_GRID, 4, steps);
	constel_free(&c);
	return ret;
}

static int case_real(const char *path, int steps)
{
	struct tle_set set = { 0 };
	struct constel c;
	struct diag d;
	size_t len, rejected = 0;
	char *text = slurp(path, &len);
	int ret;

	if (!text) {
		fprintf(stderr, "bench_step: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	diag_init(&d);
	ret = tle_parse(text, len, path, &set, &d);
	free(text);
	if (d.n) {
		diag_print(&d, stderr);
		fprintf(stderr, "bench_step: %zu problems in %s\n", d.n, path);
	}
	diag_free(&d);
	constel_init(&c);
	for (size_t i = 0; i < set.n && !ret; i++) {
		ret = constel_add_sat(&c, set.v[i].name, &set.v[i].el);
		if (ret > 0) {
			rejected++;
			ret = 0;
		}
	}
	tle_set_free(&set);
	if (!ret)
		ret = add_stations(&c);
	if (!ret) {
		printf("real: %zu element sets rejected by sgp4_init\n",
		       rejected);
		ret = run_case("real (nearest, 4 terminals)", &c,
			       ISL_SRC_NEAREST, 4, steps);
	}
	constel_free(&c);
	return ret;
}

static int case_40k_faults(int steps, unsigned source, unsigned terminals,
			   const char *label, enum bench_faults faults);

static int case_40k(int steps, unsigned source, unsigned terminals,
		    const char *label)
{
	return case_40k_faults(steps, source, terminals, label,
			       BENCH_NO_PLAN);
}

static int case_40k_faults(int steps, unsigned source, unsigned terminals,
			   const char *label, enum bench_faults faults)
{
	static const struct walker_shell sh[] = {
		{ "a", WALKER_DELTA, 100, 100, 17, 550.0, 53.0, 0.0, 0.0 },
		{ "b", WALKER_DELTA, 80, 125, 11, 600.0, 60.0, 0.0, 0.0 },
		{ "c", WALKER_DELTA, 100, 100, 43, 650.0, 70.0, 0.0, 0.0 },
		{ "d", WALKER_STAR, 50, 200, 1, 700.0, 97.6, 0.0, 0.0 },
	};
	struct constel c;
	int ret = 0;

	constel_init(&c);
	for (size_t k = 0; k < 4 && !ret; k++)
		ret = constel_add_shell(&c, &sh[k], EPOCH);
	if (!ret)
		ret = add_stations(&c);
	if (!ret)
		ret = run_case_faults(label, &c, source, terminals, steps,
				      faults);
	constel_free(&c);
	return ret;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : DEFAULT_TLE;
	int steps = argc > 2 ? atoi(argv[2]) : 200, k40;
	int ret;

	if (steps < 2)
		steps = 2;
	k40 = steps / 4 > 2 ? steps / 4 : 2;
	ret = case_shell1(steps);
	if (!ret)
		ret = case_real(path, steps);
	if (!ret)
		ret = case_40k(k40, ISL_SRC_GRID, 4, "40k (+Grid)");
	if (!ret)
		ret = case_40k(k40, ISL_SRC_GRID | ISL_SRC_NEAREST, 5,
			       "40k (+Grid and a 5th terminal by nearest)");
	if (!ret)
		ret = case_40k(k40, ISL_SRC_NEAREST, 4,
			       "40k (nearest, 4 terminals)");
	/* the same +Grid case with faults, against the one above */
	if (!ret)
		ret = case_40k_faults(k40, ISL_SRC_GRID, 4,
				      "40k (+Grid), empty fault plan",
				      BENCH_EMPTY_PLAN);
	if (!ret)
		ret = case_40k_faults(k40, ISL_SRC_GRID, 4,
				      "40k (+Grid), busy fault plan",
				      BENCH_BUSY_PLAN);
	if (ret) {
		fprintf(stderr, "bench_step: failed: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
