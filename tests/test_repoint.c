// SPDX-License-Identifier: MIT
/* test_repoint.c - re-pointing nearest links: closer to a fresh assignment, fresh partners taken, churn counted, new links acquire */
#include <string.h>

#include <criterion/criterion.h>

#include "topo/step.h"
#include "topo/walker.h"

#define EPOCH INT64_C(1771804800000000000)	/* 2026-02-23T00:00:00Z */
#define S_NS INT64_C(1000000000)

struct rp_world {
	struct constel c;
	struct topo_model m;
	struct topo_state st[2];
	int cur;
	size_t repointed, acquiring_max;
};

static void rp_init(struct rp_world *w, int64_t repoint_ns, double gain,
		    int64_t acq_ns)
{
	struct walker_shell sh = {
		.name = "n", .kind = WALKER_DELTA, .planes = 18,
		.per_plane = 18, .phasing = 7, .alt_km = 550.0,
		.incl_deg = 53.0,
	};

	memset(w, 0, sizeof(*w));
	constel_init(&w->c);
	cr_assert_eq(constel_add_shell(&w->c, &sh, EPOCH), 0);
	cr_assert_eq(constel_index(&w->c), 0);
	topo_model_init(&w->m, &w->c);
	w->m.isl.source = ISL_SRC_NEAREST;
	w->m.isl.terminals = 4;
	w->m.isl.max_range_km = 5016.0;
	w->m.isl.repoint_ns = repoint_ns;
	w->m.isl.repoint_gain = gain;
	w->m.isl.acquisition_ns = acq_ns;
	cr_assert_eq(topo_model_prepare(&w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[0], &w->m), 0);
	cr_assert_eq(topo_state_init(&w->st[1], &w->m), 0);
}

static void rp_free(struct rp_world *w)
{
	topo_state_free(&w->st[0]);
	topo_state_free(&w->st[1]);
	topo_model_free(&w->m);
	constel_free(&w->c);
}

/* Step from the epoch to secs, every 10 s; the last state. */
static const struct topo_state *rp_run(struct rp_world *w, int64_t secs)
{
	for (int64_t t = 0; t <= secs; t += 10) {
		struct topo_state *out = &w->st[w->cur];

		cr_assert_eq(topo_step(&w->m, t ? &w->st[!w->cur] : NULL,
				       EPOCH + t * S_NS, out), 0);
		w->repointed += out->cnt.repointed;
		if (out->cnt.isl_acquiring > w->acquiring_max)
			w->acquiring_max = out->cnt.isl_acquiring;
		w->cur = !w->cur;
	}
	return &w->st[!w->cur];
}

static double mean_len(const struct topo_state *st)
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

Test(repoint, closer_to_fresh_than_links_kept_until_they_break)
{
	struct rp_world kept, rp, fresh;
	double lk, lr, lf;

	rp_init(&kept, 0, 0.25, 0);
	rp_init(&rp, 60 * S_NS, 0.25, 0);
	rp_init(&fresh, 0, 0.25, 0);
	lk = mean_len(rp_run(&kept, 1200));
	lr = mean_len(rp_run(&rp, 1200));
	cr_assert_eq(topo_step(&fresh.m, NULL, EPOCH + 1200 * S_NS,
			       &fresh.st[0]), 0);
	lf = mean_len(&fresh.st[0]);
	cr_log_info("mean link length after 20 min: kept %.0f km, "
		    "re-pointed %.0f km, fresh %.0f km; %zu links released",
		    lk, lr, lf, rp.repointed);
	cr_assert_eq(kept.repointed, 0);
	cr_assert_gt(rp.repointed, 0);
	cr_assert_lt(lr, lk, "re-pointing shortens the links");
	cr_assert_lt(lr, 1.5 * lf, "and keeps them near a fresh assignment");
	rp_free(&kept);
	rp_free(&rp);
	rp_free(&fresh);
}

Test(repoint, re_pointed_links_acquire)
{
	struct rp_world w, none;

	rp_init(&w, 60 * S_NS, 0.0, 20 * S_NS);
	rp_init(&none, 0, 0.0, 20 * S_NS);
	rp_run(&w, 600);
	rp_run(&none, 600);
	cr_assert_gt(w.repointed, 0);
	/* every re-pointing leaves terminals acquiring for 20 s */
	cr_assert_gt(w.acquiring_max, none.acquiring_max,
		     "%zu acquiring at most, %zu without re-pointing",
		     w.acquiring_max, none.acquiring_max);
	rp_free(&w);
	rp_free(&none);
}

/*
 * The rule of topo_near_repoint: with a gain of 0, a re-pointing moment
 * releases every kept link the fresh assignment does not make and longer
 * than its ends' reach, and the freed terminals take their fresh partners
 * first, so right after it the mesh is about as short as a fresh one. (The
 * rule before, which filled freed terminals by the nearest rule, left it
 * 1.3 times as long on the real set.)
 */
Test(repoint, a_re_pointing_moment_takes_the_fresh_partners)
{
	struct rp_world rp, fresh;
	const struct topo_state *st;
	double lr, lf;
	size_t same = 0, nisl = 0;

	rp_init(&rp, 60 * S_NS, 0.0, 0);
	rp_init(&fresh, 0, 0.0, 0);
	st = rp_run(&rp, 1200);	/* 1200 s is a re-pointing moment */
	cr_assert_eq(topo_step(&fresh.m, NULL, EPOCH + 1200 * S_NS,
			       &fresh.st[0]), 0);
	lr = mean_len(st);
	lf = mean_len(&fresh.st[0]);
	for (size_t i = 0; i < st->links.n; i++) {
		const struct graph_link *l = &st->links.v[i];

		if (l->kind != GRAPH_ISL)
			continue;
		nisl++;
		for (size_t j = 0; j < fresh.st[0].links.n; j++) {
			const struct graph_link *g = &fresh.st[0].links.v[j];

			if (g->a == l->a && g->b == l->b) {
				same++;
				break;
			}
		}
	}
	cr_log_info("at a re-pointing moment: mean %.1f km, fresh %.1f km; "
		    "%zu of %zu links as in the fresh assignment", lr, lf,
		    same, nisl);
	cr_assert_lt(lr, 1.02 * lf, "%.1f km against %.1f km fresh", lr, lf);
	cr_assert_gt(same, nisl * 95 / 100, "%zu of %zu links fresh", same,
		     nisl);
	rp_free(&rp);
	rp_free(&fresh);
}
