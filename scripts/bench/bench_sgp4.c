// SPDX-License-Identifier: MIT
/* bench_sgp4.c - SGP4 propagations per second on one core, real TLE sets */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap/file.h"
#include "topo/lib/diag.h"
#include "topo/sgp4.h"
#include "topo/tle.h"

/*
 * usage: bench_sgp4 [TLE_FILE [SECONDS]]
 * Loads every element set (default: the shared Starlink file), initialises
 * them, then propagates every satellite at successive 100 ms steps from the
 * latest epoch, as the emulator does, until SECONDS (default 2) of this
 * process's CPU time have passed. Prints the rate; scripts/bench/bench_sgp4_ref.py
 * measures the Python reference on the same sets.
 */
#define DEFAULT_TLE "docs/examples/data/starlink-2026-02-22.tle"

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The whole file, or NULL (file_read_all does the reading). */
static char *slurp(const char *path, size_t *len)
{
	char *buf;

	return file_read_all(path, SIZE_MAX, 0, &buf, len) == 0 ? buf : NULL;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : DEFAULT_TLE;
	double budget = argc > 2 ? atof(argv[2]) : 2.0;
	struct tle_set set = {0};
	struct sgp4_sat *sat;
	struct diag d;
	size_t len, n = 0, deep = 0, bad = 0;
	unsigned long long props = 0, fails = 0;
	int64_t latest = INT64_MIN;
	double t0, elapsed, sum = 0;
	char *text;

	text = slurp(path, &len);
	if (!text) {
		fprintf(stderr, "bench_sgp4: %s: %s\n", path, strerror(errno));
		return 1;
	}
	diag_init(&d);
	if (tle_parse(text, len, path, &set, &d) < 0 || set.n == 0) {
		diag_print(&d, stderr);
		fprintf(stderr, "bench_sgp4: no element sets in %s\n", path);
		return 1;
	}
	sat = calloc(set.n, sizeof(*sat));
	if (!sat) {
		fprintf(stderr, "bench_sgp4: out of memory\n");
		return 1;
	}

	t0 = cpu_seconds();
	for (size_t i = 0; i < set.n; i++) {
		if (sgp4_init(&sat[n], &set.v[i].el, 'i') != SGP4_OK) {
			bad++;
			continue;
		}
		deep += sat[n].deep;
		if (set.v[i].el.epoch_unix_ns > latest)
			latest = set.v[i].el.epoch_unix_ns;
		n++;
	}
	elapsed = cpu_seconds() - t0;
	printf("sgp4 C: %zu element sets (%zu deep space, %zu rejected by "
	       "sgp4_init), init %.1f us each\n",
	       n, deep, bad, elapsed / (n ? n : 1) * 1e6);

	/* Steps of 100 ms from the latest epoch, every satellite each. */
	t0 = cpu_seconds();
	for (int64_t step = 0;; step++) {
		int64_t when = latest + step * 100000000;

		for (size_t i = 0; i < n; i++) {
			struct vec3 r, v;

			if (sgp4_propagate(&sat[i], sgp4_tsince(&sat[i], when),
					   &r, &v) != SGP4_OK)
				fails++;
			else
				sum += r.x + v.x;
		}
		props += n;
		if ((elapsed = cpu_seconds() - t0) >= budget)
			break;
	}
	printf("sgp4 C: %llu propagations in %.2f s CPU (%llu failed, "
	       "checksum %.6g)\n",
	       props, elapsed, fails, sum);
	printf("sgp4 C: %.0f propagations/s\n", props / elapsed);

	free(sat);
	tle_set_free(&set);
	diag_free(&d);
	free(text);
	return 0;
}
