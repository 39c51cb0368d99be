// SPDX-License-Identifier: MIT
/* step_near.c - the nearest rule of a step: links kept, re-pointed, filled greedily */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topo/lib/array.h"
#include "topo/step.h"
#include "topo/step_int.h"

/* Terminals of satellite i lost beyond its fixed candidates. */
unsigned topo_near_lost(const struct topo_model *m,
			const struct fault_state *fs, size_t i)
{
	uint64_t lost = fs->sats_term_lost ? fs->term_lost[i] : 0;
	unsigned deg = m->fixed_deg[i];

	if (!lost || deg > FAULT_TERMINAL_MAX)
		return 0;
	return (unsigned)__builtin_popcountll(lost >> deg);
}

/* Free terminals of every satellite for the nearest rule, into out. */
static void topo_near_free(const struct topo_model *m, struct topo_state *out)
{
	const struct constel *c = m->constel;
	const struct fault_state *fs = &out->faults;
	uint8_t *fr = out->free_term;

	for (size_t i = 0; i < c->nsat; i++) {
		unsigned tm = isl_terminals(&m->isl, i);
		unsigned have = m->fixed_deg[i] + topo_near_lost(m, fs, i);

		fr[i] = out->up[i] && tm > have ? (uint8_t)(tm - have) : 0;
	}
	out->nnear = 0;
	out->near_scratch.skip = fs->links;
	out->near_scratch.nskip = fs->nlinks;
}

/* Keep every link of prev that is still feasible (so links do not flap). */
static int topo_near_keep(const struct topo_model *m,
			  const struct topo_state *prev,
			  const struct isl_rules *rules,
			  struct topo_state *out)
{
	const struct constel *c = m->constel;
	const struct fault_state *fs = &out->faults;
	uint8_t *fr = out->free_term;

	for (size_t k = 0; prev && k < prev->nnear; k++) {
		const struct isl_link *l = &prev->near[k];
		enum isl_verdict v;

		if (!out->up[l->a] || !out->up[l->b] || !fr[l->a] ||
		    !fr[l->b]) {
			out->cnt.near_broken++;
			continue;
		}
		if (fs->nlinks && fault_link_down(fs, l->a, l->b)) {
			out->cnt.near_broken++;
			out->cnt.isl_fault++;
			continue;
		}
		v = isl_check_pair(rules, l->a, l->b, out->pos[l->a],
				   out->pos[l->b],
				   isl_cross_plane(&c->node[l->a],
						   &c->node[l->b]), NULL);
		if (v != ISL_UP) {
			out->cnt.near_broken++;
			out->cnt.isl_down[v]++;
			continue;
		}
		if (array_grow((void **)&out->near, &out->cap_near,
			       out->nnear + 1, sizeof(*out->near), 16) < 0)
			return -ENOMEM;
		out->near[out->nnear++] = *l;
		fr[l->a]--;
		fr[l->b]--;
	}
	return 0;
}

/*
 * Re-pointing (docs/configuration.md, [isl] repoint): at a re-pointing
 * moment each satellite learns how long its links would be in a fresh
 * assignment (the nearest rule from all terminals free), and a kept link
 * is released when it is longer than (1 + repoint_gain) times the longest
 * link a fresh assignment gives either of its ends: the hysteresis keeps
 * links of about the right length, so a mesh near its best does not
 * churn. The terminals released are then filled by the nearest rule, and
 * the new links acquire. Into out->near (the links kept), with
 * out->cnt.repointed the links released. 0 or -ENOMEM.
 */
static int topo_near_repoint(const struct topo_model *m,
			     const struct topo_state *prev,
			     const struct isl_rules *rules,
			     struct topo_state *out)
{
	const struct constel *c = m->constel;
	double *best = calloc(c->nsat ? c->nsat : 1, sizeof(*best));
	struct isl_link *kept;
	size_t nkept, k = 0;
	int ret;

	if (!best)
		return -ENOMEM;
	ret = topo_near_keep(m, prev, rules, out);
	nkept = out->nnear;
	kept = malloc((nkept ? nkept : 1) * sizeof(*kept));
	if (ret || !kept) {
		free(best);
		free(kept);
		return ret ? ret : -ENOMEM;
	}
	memcpy(kept, out->near, nkept * sizeof(*kept));
	/* the fresh assignment, only for its lengths */
	topo_near_free(m, out);
	ret = isl_near_assign(&out->near_scratch, rules, c, out->pos, out->up,
			      out->free_term, m->fixed, m->nfixed, &out->near,
			      &out->nnear, &out->cap_near, out->unix_ns);
	for (size_t i = 0; !ret && i < out->nnear; i++) {
		const struct isl_link *l = &out->near[i];
		double len = vec3_dist(out->pos[l->a], out->pos[l->b]);

		if (len > best[l->a])
			best[l->a] = len;
		if (len > best[l->b])
			best[l->b] = len;
	}
	if (!ret) {
		double f = 1.0 + m->isl.repoint_gain;

		topo_near_free(m, out);
		for (size_t i = 0; i < nkept; i++) {
			const struct isl_link *l = &kept[i];
			double len = vec3_dist(out->pos[l->a], out->pos[l->b]);
			double lim = best[l->a] > best[l->b] ? best[l->a] :
							       best[l->b];

			if (len > f * lim) {
				out->cnt.repointed++;
				continue;
			}
			out->near[k++] = *l;
			out->free_term[l->a]--;
			out->free_term[l->b]--;
		}
		out->nnear = k;
	}
	free(best);
	free(kept);
	return ret;
}

/* Is t a re-pointing moment: a multiple of the period crossed since prev? */
static bool topo_repoint_due(const struct topo_model *m,
			     const struct topo_state *prev, int64_t t)
{
	int64_t p = m->isl.repoint_ns;

	return p > 0 && prev && t / p != prev->unix_ns / p;
}

/*
 * Nearest links: keep every link of the previous step that is still
 * feasible (so links do not flap; at a re-pointing moment those much
 * longer than a fresh assignment's are released, topo_near_repoint),
 * then fill the free terminals greedily. A link keeps its terminals while
 * it acquires.
 */
int topo_step_nearest(const struct topo_model *m,
		      const struct topo_state *prev,
		      const struct isl_rules *rules, struct topo_state *out)
{
	const struct constel *c = m->constel;
	int64_t t = out->unix_ns;
	int ret;

	topo_near_free(m, out);
	if (topo_repoint_due(m, prev, t))
		ret = topo_near_repoint(m, prev, rules, out);
	else
		ret = topo_near_keep(m, prev, rules, out);
	if (ret)
		return ret;
	out->cnt.near_kept = out->nnear;
	ret = isl_near_assign(&out->near_scratch, rules, c, out->pos, out->up,
			      out->free_term, m->fixed, m->nfixed, &out->near,
			      &out->nnear, &out->cap_near,
			      prev ? t : TOPO_ALWAYS);
	if (ret)
		return ret;
	out->cnt.near_new = out->nnear - out->cnt.near_kept;
	out->cnt.near_checked = out->near_scratch.checked;
	for (size_t k = 0; k < out->nnear; k++) {
		const struct isl_link *l = &out->near[k];

		if (!topo_acquired(l->since, t,
				   isl_pair_acq(&m->isl, l->a, l->b))) {
			out->cnt.isl_acquiring++;
			continue;
		}
		if (graph_links_add(&out->links, l->a, l->b, GRAPH_ISL,
				    vec3_dist(out->pos[l->a], out->pos[l->b])))
			return -ENOMEM;
		out->cnt.isl_up++;
	}
	return 0;
}
