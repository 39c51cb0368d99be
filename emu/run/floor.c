// SPDX-License-Identifier: MIT
/* floor.c - the emulator's own floor: links shorter or faster than this machine reproduces */
#include <inttypes.h>

#include "emu/run/floor.h"
#include "topo/consts.h"

/* The rate of link l as the data plane gives it (fwd_links.c), 0: unlimited. */
static uint64_t floor_rate(const struct scenario *s,
			   const struct graph_link *l)
{
	uint64_t ra, rb;

	if (l->kind != GRAPH_ISL)
		return s->gsl_lp.rate_bps;
	if (!s->isl_rate_bps)
		return s->isl_lp.rate_bps;
	ra = s->isl_rate_bps[l->a];
	rb = s->isl_rate_bps[l->b];
	return ra && (!rb || ra < rb) ? ra : rb;
}

void floor_check(const struct scenario *s, const struct topo_state *st,
		 struct floor_check *fc)
{
	*fc = (struct floor_check){ .hop_ns = -1.0 };
	for (size_t i = 0; i < st->links.n; i++) {
		const struct graph_link *l = &st->links.v[i];
		double ns = l->length_km * TOPO_NS_PER_KM;
		uint64_t r = floor_rate(s, l);

		if (fc->hop_ns < 0.0 || ns < fc->hop_ns) {
			fc->hop_ns = ns;
			fc->a = l->a;
			fc->b = l->b;
		}
		if (r > fc->rate_bps)
			fc->rate_bps = r;
	}
	fc->hop = fc->hop_ns >= 0.0 && fc->hop_ns < (double)FLOOR_HOP_NS;
	fc->rate = fc->rate_bps > FLOOR_RATE_BPS;
}

int floor_print(FILE *f, const struct constel *c,
		const struct floor_check *fc)
{
	int n = 0;

	if (fc->hop) {
		fprintf(f, "floor: links as short as %.2f us (%s to %s) are "
			"below what this machine reproduces: each hop adds "
			"about %.0f us and each path about %.0f us one way, "
			"and the forwarder spends about %.0f us of CPU a "
			"frame and up to %.0f us more a hop (measured on 2 "
			"vCPUs, docs/performance.md); ping shows the "
			"machine's delay, not the model's\n",
			fc->hop_ns / 1e3, c->node[fc->a].name,
			c->node[fc->b].name, (double)FLOOR_HOP_NS / 1e3,
			(double)FLOOR_PATH_NS / 1e3,
			(double)FLOOR_CPU_NS / 1e3,
			(double)FLOOR_HOP_NS / 1e3);
		n++;
	}
	if (fc->rate) {
		fprintf(f, "floor: links of %.0f Gbit/s are beyond what this "
			"machine forwards: one TCP flow reaches about %.0f "
			"Gbit/s over 9 hops (measured on 2 vCPUs, "
			"docs/performance.md)\n",
			(double)fc->rate_bps / 1e9,
			(double)FLOOR_RATE_BPS / 1e9);
		n++;
	}
	return n;
}
