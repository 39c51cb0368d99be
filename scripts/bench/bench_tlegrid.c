// SPDX-License-Identifier: MIT
/* bench_tlegrid.c - what tle-grid finds in a TLE file, and its cost */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap/file.h"
#include "topo/isl.h"
#include "topo/lib/diag.h"
#include "topo/tle.h"

/*
 * usage: bench_tlegrid [TLE_FILE [RUNS]]
 * Every element set SGP4 accepts (as the scenario builder takes them),
 * clustered at 2026-02-23T00:00:00Z with the default tolerances: each
 * shell found (centre, planes, satellites, plane sizes), the satellites
 * left out by mean altitude, and the CPU time of isl_tlegrid (elements at
 * the epoch and clustering) and of isl_fixed_build with tle-grid (the
 * same plus sorting the candidates): median of RUNS (default 20).
 */
#define DEFAULT_TLE "docs/examples/data/starlink-2026-02-22.tle"
#define EPOCH INT64_C(1771804800000000000)

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void report(const struct constel *c, const struct isl_params *p,
		   const struct tlegrid *g)
{
	static const double edge[] = { 0, 350, 450, 500, 530, 560, 600, 1e9 };
	size_t nb = sizeof(edge) / sizeof(edge[0]) - 1, bin[8] = { 0 };
	size_t ncross = 0;

	printf("tle-grid: %zu satellites, %zu shells, %zu planes, %zu left "
	       "out, %zu links\n", g->n, g->nshells, g->nplanes, g->nrest,
	       g->nlinks);
	printf("  %5s %7s %7s %6s %5s %14s\n", "shell", "incl", "alt_km",
	       "planes", "sats", "plane min/med/max");
	for (size_t s = 0; s < g->nshells; s++) {
		uint32_t p0 = g->shell_plane0[s], np = g->shell_nplanes[s];
		uint32_t *sz = malloc(np * sizeof(*sz)), nsat = 0;

		if (!sz)
			return;
		for (uint32_t q = 0; q < np; q++) {
			sz[q] = g->plane_off[p0 + q + 1] - g->plane_off[p0 + q];
			nsat += sz[q];
		}
		qsort(sz, np, sizeof(*sz), cmp_u32);
		printf("  %5zu %7.2f %7.1f %6u %5u %6u/%u/%u\n", s,
		       g->shell_incl[s], g->shell_alt[s], np, nsat, sz[0],
		       sz[np / 2], sz[np - 1]);
		free(sz);
	}
	for (size_t k = 0; k < g->nlinks; k++) {
		uint32_t a = g->link[2 * k], b = g->link[2 * k + 1];
		size_t ia = 0, ib = 0;

		/* g->node is sorted: find the clustered indices */
		for (size_t lo = 0, hi = g->n; lo < hi;) {
			size_t mid = (lo + hi) / 2;

			if (g->node[mid] < a)
				lo = mid + 1;
			else
				hi = mid, ia = mid;
		}
		for (size_t lo = 0, hi = g->n; lo < hi;) {
			size_t mid = (lo + hi) / 2;

			if (g->node[mid] < b)
				lo = mid + 1;
			else
				hi = mid, ib = mid;
		}
		ncross += g->plane[ia] != g->plane[ib];
	}
	printf("  in-plane links %zu, cross-plane links %zu\n",
	       g->nlinks - ncross, ncross);
	for (size_t k = 0; k < g->n; k++) {
		struct tlegrid_sat e;

		if (g->plane[k] >= 0)
			continue;
		tlegrid_elements(&c->sat[g->node[k]], p->epoch_unix_ns, &e);
		for (size_t b = 0; b < nb; b++)
			if (e.alt_km >= edge[b] && e.alt_km < edge[b + 1])
				bin[b]++;
	}
	printf("  left out by mean altitude:");
	for (size_t b = 0; b < nb; b++)
		printf(" %g-%g km %zu,", edge[b], edge[b + 1] > 1e8 ? 99999 :
		       edge[b + 1], bin[b]);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : DEFAULT_TLE;
	int runs = argc > 2 ? atoi(argv[2]) : 20;
	struct tle_set set = { 0 };
	struct isl_params p;
	struct constel c;
	struct tlegrid g;
	struct diag d;
	double *t_cl, *t_fx;
	size_t len, nrej = 0;
	char *text;
	int ret;

	if (runs < 1)
		runs = 1;
	diag_init(&d);
	constel_init(&c);
	ret = file_read_all(path, SIZE_MAX, 0, &text, &len);
	if (ret) {
		fprintf(stderr, "%s: %s\n", path, file_strerror(ret));
		return 1;
	}
	ret = tle_parse(text, len, path, &set, &d);
	free(text);
	if (ret < 0)
		return 1;
	for (size_t i = 0; i < set.n; i++) {
		ret = constel_add_sat(&c, set.v[i].name, &set.v[i].el);
		if (ret < 0)
			return 1;
		nrej += ret > 0;
	}
	printf("%s: %zu element sets, %zu rejected by SGP4\n", path, set.n,
	       nrej);
	isl_params_default(&p);
	p.source = ISL_SRC_TLE_GRID;
	p.epoch_unix_ns = EPOCH;
	t_cl = calloc((size_t)runs, sizeof(*t_cl));
	t_fx = calloc((size_t)runs, sizeof(*t_fx));
	if (!t_cl || !t_fx)
		return 1;
	for (int r = 0; r < runs; r++) {
		struct isl_pair *fx;
		size_t nfx;
		double t0 = cpu_ms();

		if (isl_tlegrid(&c, &p, &g))
			return 1;
		t_cl[r] = cpu_ms() - t0;
		if (r + 1 < runs)
			tlegrid_free(&g);
		t0 = cpu_ms();
		if (isl_fixed_build(&c, &p, &fx, &nfx))
			return 1;
		t_fx[r] = cpu_ms() - t0;
		free(fx);
	}
	report(&c, &p, &g);
	printf("isl_tlegrid %.2f ms, isl_fixed_build (tle-grid) %.2f ms CPU "
	       "(median of %d)\n", median(t_cl, (size_t)runs),
	       median(t_fx, (size_t)runs), runs);
	tlegrid_free(&g);
	free(t_cl);
	free(t_fx);
	tle_set_free(&set);
	constel_free(&c);
	diag_free(&d);
	return 0;
}
