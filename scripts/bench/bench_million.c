// SPDX-License-Identifier: MIT
/* bench_million.c - one geometry step at 40,000 to 1,000,000 satellites */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "topo/pool.h"
#include "topo/step.h"

/*
 * usage: bench_million [MAX_SATELLITES [STEPS]]
 * Four thin shells between 550 and 1,900 km, two at 30 degrees and two
 * sun-synchronous (as the SpaceX orbital data centre filing allows), of
 * P x P satellites each: P = 100, 250 and 500 give 40,000, 250,000 and
 * 1,000,000 satellites. Each is stepped every second of orbital time with
 * +Grid links, first without routes, then with routes to 16 destinations
 * (14 satellites spread over the list and 2 ground stations), on 1 and on
 * 2 threads (topo/pool.h). Each case runs in its own process, so its peak
 * resident memory (from wait4) is its own. Printed: the first step (no
 * previous state: every route runs Dijkstra), then the median wall time
 * of the STEPS steps after it (default 5) and of each of its phases, the
 * bytes of the model and of one state (topo_model_bytes,
 * topo_state_bytes) and the peak RSS of the case's process.
 */
#define STEP_NS INT64_C(1000000000)
/* 2026-02-23T00:00:00Z */
#define EPOCH INT64_C(1771804800000000000)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static int build(struct constel *c, unsigned p)
{
	struct walker_shell sh[] = {
		{ "a", WALKER_DELTA, p, p, 1, 550.0, 30.0, 0.0, 0.0 },
		{ "b", WALKER_DELTA, p, p, 1, 650.0, 97.99, 0.0, 0.0 },
		{ "c", WALKER_DELTA, p, p, 1, 1100.0, 30.0, 0.0, 0.0 },
		{ "d", WALKER_DELTA, p, p, 1, 1900.0, 102.2, 0.0, 0.0 },
	};
	int ret = 0;

	constel_init(c);
	for (size_t k = 0; k < 4 && !ret; k++)
		ret = constel_add_shell(c, &sh[k], EPOCH);
	if (!ret)
		ret = constel_add_ground(c, "london", 51.5, -0.13, 11.0, false);
	if (!ret)
		ret = constel_add_ground(c, "new-york", 40.71, -74.0, 10.0,
					 false);
	if (!ret)
		ret = constel_index(c);
	return ret;
}

/* One case, in the calling process; prints one line. */
static int one_case(unsigned p, unsigned threads, size_t ndest, int steps)
{
	struct constel c;
	struct topo_pool *pool = NULL;
	struct topo_model m;
	struct topo_state st[2];
	uint32_t dest[16];
	double *wall, *prop, *link, *route, first = 0.0, build_ms;
	double t0 = now_ms();
	int ret, cur = 0;

	ret = build(&c, p);
	if (ret)
		return ret;
	for (size_t k = 0; k < 14; k++)
		dest[k] = (uint32_t)(k * c.nsat / 14);
	dest[14] = (uint32_t)c.nsat;
	dest[15] = (uint32_t)c.nsat + 1;
	ret = topo_pool_new(threads, NULL, &pool);
	if (ret)
		return ret;
	topo_model_init(&m, &c);
	m.dest = dest;
	m.ndest = ndest;
	m.pool = pool;
	ret = topo_model_prepare(&m);
	if (!ret)
		ret = topo_state_init(&st[0], &m);
	if (!ret)
		ret = topo_state_init(&st[1], &m);
	wall = calloc(4 * (size_t)steps, sizeof(*wall));
	if (ret || !wall)
		return ret ? ret : -ENOMEM;
	prop = wall + steps;
	link = prop + steps;
	route = link + steps;
	build_ms = now_ms() - t0;
	for (int i = 0; i <= steps && !ret; i++) {
		const struct topo_state *prev = i ? &st[cur] : NULL;
		struct topo_state *out = i ? &st[!cur] : &st[0];
		double w0 = now_ms(), w1, w2, w3;

		topo_step_propagate(&m, EPOCH + i * STEP_NS, out);
		w1 = now_ms();
		ret = topo_step_links(&m, prev, out);
		w2 = now_ms();
		if (!ret)
			ret = topo_step_routes(&m, prev, out);
		w3 = now_ms();
		if (i == 0) {
			first = w3 - w0;
			continue;
		}
		wall[i - 1] = w3 - w0;
		prop[i - 1] = w1 - w0;
		link[i - 1] = w2 - w1;
		route[i - 1] = w3 - w2;
		cur = !cur;
	}
	if (!ret)
		printf("%9zu  %2zu  %u  %8.0f  %8.1f %8.1f  %6.1f %6.1f %6.1f  "
		       "%8zu  %6.0f  %6.0f", c.nsat, ndest, threads, build_ms,
		       first, median(wall, steps), median(prop, steps),
		       median(link, steps), median(route, steps),
		       st[cur].cnt.isl_up,
		       topo_model_bytes(&m) / 1048576.0,
		       topo_state_bytes(&st[cur]) / 1048576.0);
	free(wall);
	topo_state_free(&st[0]);
	topo_state_free(&st[1]);
	topo_model_free(&m);
	topo_pool_free(pool);
	constel_free(&c);
	return ret;
}

/* Run one case in a child; print its peak resident memory after it. */
static int fork_case(unsigned p, unsigned threads, size_t ndest, int steps)
{
	struct rusage ru;
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int ret = one_case(p, threads, ndest, steps);

		fflush(stdout);
		_exit(ret ? 1 : 0);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		return -errno;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("\n");
		return -EIO;
	}
	printf("  %7.0f\n", ru.ru_maxrss / 1024.0);
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned side[] = { 100, 250, 500 };
	size_t max = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	int steps = argc > 2 ? atoi(argv[2]) : 5;
	int ret = 0;

	if (steps < 1)
		steps = 1;
	printf("# four shells of P x P (550 km 30 deg, 650 km SSO, 1,100 km "
	       "30 deg, 1,900 km SSO), +Grid, a step every second;\n"
	       "# wall ms: first step, then the median of %d (propagate, "
	       "links, routes); MiB: the model, one state, the process's "
	       "peak RSS\n", steps);
	printf("%9s  %2s  %s  %8s  %8s %8s  %6s %6s %6s  %8s  %6s  %6s  %7s\n",
	       "sats", "to", "T", "build", "first", "step", "prop", "links",
	       "routes", "ISL up", "model", "state", "peak");
	for (size_t k = 0; k < 3 && !ret; k++) {
		if (4UL * side[k] * side[k] > max)
			break;
		for (size_t nd = 0; nd <= 16 && !ret; nd += 16)
			for (unsigned t = 1; t <= 2 && !ret; t++)
				ret = fork_case(side[k], t, nd, steps);
	}
	if (ret) {
		fprintf(stderr, "bench_million: failed: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
