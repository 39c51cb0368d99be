// SPDX-License-Identifier: MIT
/* test_shells.c - single-plane rings and polar Walker star shells keep every in-plane link */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "topo/sso.h"
#include "topo/step.h"
#include "topo/walker.h"

#define EPOCH INT64_C(1771804800000000000)	/* 2026-02-23T00:00:00Z */
#define S_NS INT64_C(1000000000)

struct shell_world {
	struct constel c;
	struct topo_model m;
	struct topo_state st[2];
};

static void shell_init(struct shell_world *w, const struct walker_shell *sh,
		       double cross_lat)
{
	memset(w, 0, sizeof(*w));
	constel_init(&w->c);
	cr_assert_eq(constel_add_shell(&w->c, sh, EPOCH), 0);
	cr_assert_eq(constel_index(&w->c), 0);
	topo_model_init(&w->m, &w->c);
	w->m.isl.source = ISL_SRC_GRID;
	if (cross_lat > 0) {
		w->m.isl.has_cross_lat = true;
		w->m.isl.cross_lat_deg = cross_lat;
	}
	cr_assert_eq(topo_model_prepare(&w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[0], &w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[1], &w->m), 0);
}

static void shell_free(struct shell_world *w)
{
	topo_state_free(&w->st[0]);
	topo_state_free(&w->st[1]);
	topo_model_free(&w->m);
	constel_free(&w->c);
}

/* Links up between satellites of the same plane, and across planes. */
static void count(const struct shell_world *w, const struct topo_state *st,
		  size_t *in, size_t *cross)
{
	*in = *cross = 0;
	for (size_t i = 0; i < st->links.n; i++) {
		const struct graph_link *l = &st->links.v[i];

		if (w->c.node[l->a].plane == w->c.node[l->b].plane)
			(*in)++;
		else
			(*cross)++;
	}
}

/* Three-Body-like: 12 satellites evenly phased in one SSO plane. */
Test(shells, single_plane_ring_keeps_every_link)
{
	struct walker_shell sh = {
		.name = "tb", .kind = WALKER_DELTA, .planes = 1,
		.per_plane = 12, .phasing = 0, .alt_km = 650.0,
		.incl_deg = sso_inclination_deg(650.0),
	};
	struct shell_world w;
	size_t in, cross;
	int cur = 0;

	shell_init(&w, &sh, 0.0);
	cr_assert_eq(w.m.nfixed, 12, "a ring of 12: 12 candidates");
	for (int64_t t = EPOCH; t <= EPOCH + 6000 * S_NS; t += 60 * S_NS) {
		cr_assert_eq(topo_step(&w.m, t == EPOCH ? NULL : &w.st[!cur],
				       t, &w.st[cur]), 0);
		count(&w, &w.st[cur], &in, &cross);
		cr_assert_eq(in, 12, "t %lld s: %zu in-plane links",
			     (long long)((t - EPOCH) / S_NS), in);
		cr_assert_eq(cross, 0);
		for (uint32_t v = 0; v < 12; v++)
			cr_assert_eq(w.st[cur].graph.off[v + 1] -
					     w.st[cur].graph.off[v], 2);
		cur = !cur;
	}
	shell_free(&w);
}

/*
 * Iridium-like Walker star, 6 planes of 11 at 86.4 degrees and 780 km,
 * cross-plane links cut above 60 degrees of latitude: over one orbit
 * every in-plane link stays up (over the poles too), cross-plane links
 * come and go.
 */
Test(shells, polar_star_keeps_in_plane_links_over_the_poles)
{
	struct walker_shell sh = {
		.name = "ir", .kind = WALKER_STAR, .planes = 6,
		.per_plane = 11, .phasing = 2, .alt_km = 780.0,
		.incl_deg = 86.4,
	};
	struct shell_world w;
	size_t in, cross, cross_min = SIZE_MAX, cross_max = 0;
	int cur = 0;

	shell_init(&w, &sh, 60.0);
	for (int64_t t = EPOCH; t <= EPOCH + 6000 * S_NS; t += 30 * S_NS) {
		cr_assert_eq(topo_step(&w.m, t == EPOCH ? NULL : &w.st[!cur],
				       t, &w.st[cur]), 0);
		count(&w, &w.st[cur], &in, &cross);
		cr_assert_eq(in, 66, "t %lld s: %zu of 66 in-plane links",
			     (long long)((t - EPOCH) / S_NS), in);
		if (cross < cross_min)
			cross_min = cross;
		if (cross > cross_max)
			cross_max = cross;
		cur = !cur;
	}
	/* 5 seams of 11 cross-plane candidates (none across the seam) */
	cr_assert_leq(cross_max, 55);
	cr_assert_lt(cross_min, cross_max, "the latitude rule cuts some");
	shell_free(&w);
}

/* ---- terminal budgets per group ------------------------------------------- */

#include "emu/conf/scenario.h"
#include "tests/lib/world.h"

/*
 * A cluster shell (8 short-range terminals at 800gbit, no acquisition)
 * and a relay shell ([isl]'s 4 long-range terminals at 100gbit, 2 s
 * acquisition): each satellite gets its group's budget, a pair the
 * shorter range and the longer acquisition of its ends.
 */
#define GROUPS_CONF                                                        \
	"[emulation]\nepoch = 2026-02-23T00:00:00Z\n"                      \
	"[shell c]\ntype = walker-delta\nplanes = 1\nper-plane = 12\n"     \
	"phasing = 0\naltitude = 650km\ninclination = sso\n"               \
	"terminals = 8\nmax-range = 3000km\nrate = 800gbit\n"              \
	"acquisition = 0s\n"                                               \
	"[shell r]\ntype = walker-delta\nplanes = 4\nper-plane = 6\n"      \
	"phasing = 1\naltitude = 1200km\ninclination = 53\n"               \
	"[isl]\nrate = 100gbit\nacquisition = 2s\n"

Test(shells, terminal_budgets_per_group)
{
	struct scenario s;
	struct config *cfg = world_scenario(GROUPS_CONF, "groups.conf", &s);
	struct topo_state st;
	size_t c_links = 0, r_links = 0;

	cr_assert_eq(s.constel.nsat, 12 + 24);
	cr_assert_not_null(s.model.isl.sat_terminals);
	cr_assert_eq(s.model.isl.sat_terminals[0], 8);
	cr_assert_eq(s.model.isl.sat_terminals[12], 4);
	cr_assert_float_eq(s.model.isl.sat_range_km[0], 3000.0, 1e-9);
	cr_assert_float_eq(s.model.isl.sat_range_km[12], 0.0, 1e-9);
	cr_assert_eq(s.model.isl.max_range_km, 0.0, "one group unlimited");
	cr_assert_eq(s.model.isl.acquisition_ns, 2 * S_NS, "the longest");
	cr_assert_eq(isl_pair_acq(&s.model.isl, 0, 1), 0);
	cr_assert_eq(isl_pair_acq(&s.model.isl, 12, 13), 2 * S_NS);
	cr_assert_eq(s.isl_rate_bps[0], 800000000000ULL);
	cr_assert_eq(s.isl_rate_bps[12], 100000000000ULL);
	cr_assert_eq(topo_state_init(&st, &s.model), 0);
	cr_assert_eq(topo_step(&s.model, NULL, s.epoch_unix_ns, &st), 0);
	for (size_t i = 0; i < st.links.n; i++) {
		const struct graph_link *l = &st.links.v[i];

		if (l->kind != GRAPH_ISL)
			continue;
		if (l->a < 12 && l->b < 12)
			c_links++;
		else if (l->a >= 12 && l->b >= 12 &&
			 s.constel.node[l->a].plane ==
				 s.constel.node[l->b].plane)
			r_links++;
		/* no link is longer than its ends allow */
		if (l->a < 12 || l->b < 12)
			cr_assert_leq(l->length_km, 3000.0);
	}
	/* the cluster's ring: neighbours 3,638 km apart, beyond its 3,000 */
	cr_assert_eq(c_links, 0, "%zu cluster links", c_links);
	cr_assert_eq(r_links, 4 * 6, "the relay shell's in-plane rings: %zu",
		     r_links);
	topo_state_free(&st);
	scenario_free(&s);
	config_free(cfg);
}
