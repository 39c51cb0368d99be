// SPDX-License-Identifier: MIT
/* bench_repoint.c - mean laser link length over time and churn of one configuration */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/conf/scenario.h"
#include "topo/step.h"

/*
 * usage: bench_repoint CONFIG FROM TO [fresh]
 * Steps CONFIG's geometry from its epoch to TO seconds, every step (as a
 * run does, links kept and re-pointed), and prints the mean laser link
 * length averaged over every step from FROM to TO, and the links released
 * by re-pointing as terminals per satellite per hour (the run summary's
 * churn). With "fresh", a fresh assignment every 7 s from FROM instead
 * (no history: the reference). Without arguments it says what runs it
 * (`make bench` runs every bench_* binary): scripts/bench/bench_repoint.sh.
 */
static double mean_isl_km(const struct topo_state *st)
{
	double s = 0.0;
	size_t n = 0;

	for (size_t i = 0; i < st->links.n; i++)
		if (st->links.v[i].kind == GRAPH_ISL) {
			s += st->links.v[i].length_km;
			n++;
		}
	return n ? s / (double)n : 0.0;
}

static int bench(struct scenario *s, int64_t from, int64_t to, bool fresh)
{
	struct topo_state st[2];
	int64_t dt = fresh ? 7 * INT64_C(1000000000) : s->step_ns;
	int64_t t = fresh ? from * INT64_C(1000000000) : 0;
	double sum = 0.0;
	size_t n = 0, released = 0;
	int cur = 0, ret = 0;

	if (topo_state_init(&st[0], &s->model) ||
	    topo_state_init(&st[1], &s->model)) {
		ret = -1;
		goto out;
	}
	for (bool first = true; t <= to * INT64_C(1000000000); t += dt) {
		struct topo_state *out = &st[cur];
		const struct topo_state *prev = fresh || first ? NULL :
								 &st[!cur];

		if (topo_step(&s->model, prev, s->epoch_unix_ns + t, out)) {
			ret = -1;
			goto out;
		}
		first = false;
		released += out->cnt.repointed;
		if (t >= from * INT64_C(1000000000)) {
			sum += mean_isl_km(out);
			n++;
		}
		cur = !cur;
	}
	printf("mean laser link %.1f km over %zu moments; %zu links "
	       "re-pointed, %.1f terminals per satellite per hour\n",
	       n ? sum / (double)n : 0.0, n, released,
	       2.0 * (double)released / (double)s->constel.nsat /
		       ((double)to / 3600.0));
out:
	topo_state_free(&st[0]);
	topo_state_free(&st[1]);
	return ret;
}

int main(int argc, char **argv)
{
	struct scenario s;
	struct config *c = NULL;
	struct diag d;
	int ret = 1;

	if (argc < 4) {
		printf("bench_repoint: run by scripts/bench/bench_repoint.sh\n");
		return 0;
	}
	memset(&s, 0, sizeof(s));
	diag_init(&d);
	if (config_load_file(argv[1], &c, &d) || scenario_build(&s, c, &d) ||
	    scenario_prepare(&s, NULL, 0)) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msg[i]);
		fprintf(stderr, "bench_repoint: cannot load %s\n", argv[1]);
		goto out;
	}
	if (bench(&s, atoll(argv[2]), atoll(argv[3]),
		  argc > 4 && !strcmp(argv[4], "fresh")) < 0)
		fprintf(stderr, "bench_repoint: out of memory\n");
	else
		ret = 0;
out:
	scenario_free(&s);
	config_free(c);
	diag_free(&d);
	return ret;
}
