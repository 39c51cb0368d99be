// SPDX-License-Identifier: MIT
/* step_near.c - the nearest rule of a step: links kept, re-pointed, filled greedily */
#include <errno.h>
#include <math.h>
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

/* A link's key, its ends in order, to find it among others. */
static uint64_t topo_near_key(const struct isl_link *l)
{
	uint32_t lo = l->a < l->b ? l->a : l->b;
	uint32_t hi = l->a < l->b ? l->b : l->a;

	return (uint64_t)lo << 32 | hi;
}

static int topo_near_key_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* The keys of l[0 .. n), sorted, or NULL when out of memory. */
static uint64_t *topo_near_keys(const struct isl_link *l, size_t n)
{
	uint64_t *k = malloc((n ? n : 1) * sizeof(*k));

	if (!k)
		return NULL;
	for (size_t i = 0; i < n; i++)
		k[i] = topo_near_key(&l[i]);
	qsort(k, n, sizeof(*k), topo_near_key_cmp);
	return k;
}

static bool topo_near_has(const uint64_t *keys, size_t n,
			  const struct isl_link *l)
{
	uint64_t key = topo_near_key(l);

	return bsearch(&key, keys, n, sizeof(*keys), topo_near_key_cmp);
}

/* What a re-pointing moment compares: the links kept and a fresh assignment. */
struct topo_repoint {
	struct isl_link *kept, *fresh;
	size_t nkept, nfresh;
	uint64_t *kkeys, *fkeys; /* their keys, sorted */
	double *reach; /* per satellite: its longest fresh link */
};

static void topo_repoint_free(struct topo_repoint *rp)
{
	free(rp->kept);
	free(rp->fresh);
	free(rp->kkeys);
	free(rp->fkeys);
	free(rp->reach);
}

/*
 * Fill rp: the links of prev still feasible (into out->near, then copied)
 * and the nearest rule's assignment from all terminals free, with each
 * satellite's reach in it. out->near is scratch afterwards. 0 or -ENOMEM.
 */
static int topo_repoint_prepare(const struct topo_model *m,
				const struct topo_state *prev,
				const struct isl_rules *rules,
				struct topo_state *out, struct topo_repoint *rp)
{
	const struct constel *c = m->constel;
	int ret;

	memset(rp, 0, sizeof(*rp));
	rp->reach = calloc(c->nsat ? c->nsat : 1, sizeof(*rp->reach));
	if (!rp->reach)
		return -ENOMEM;
	ret = topo_near_keep(m, prev, rules, out);
	if (ret)
		return ret;
	rp->nkept = out->nnear;
	rp->kept = malloc((rp->nkept ? rp->nkept : 1) * sizeof(*rp->kept));
	if (!rp->kept)
		return -ENOMEM;
	memcpy(rp->kept, out->near, rp->nkept * sizeof(*rp->kept));
	topo_near_free(m, out);
	ret = isl_near_assign(&out->near_scratch, rules, c, out->pos, out->up,
			      out->free_term, m->fixed, m->nfixed, &out->near,
			      &out->nnear, &out->cap_near, out->unix_ns);
	if (ret)
		return ret;
	rp->nfresh = out->nnear;
	rp->fresh = malloc((rp->nfresh ? rp->nfresh : 1) * sizeof(*rp->fresh));
	if (!rp->fresh)
		return -ENOMEM;
	memcpy(rp->fresh, out->near, rp->nfresh * sizeof(*rp->fresh));
	for (size_t i = 0; i < rp->nfresh; i++) {
		const struct isl_link *l = &rp->fresh[i];
		double len = vec3_dist(out->pos[l->a], out->pos[l->b]);

		if (len > rp->reach[l->a])
			rp->reach[l->a] = len;
		if (len > rp->reach[l->b])
			rp->reach[l->b] = len;
	}
	rp->kkeys = topo_near_keys(rp->kept, rp->nkept);
	rp->fkeys = topo_near_keys(rp->fresh, rp->nfresh);
	return rp->kkeys && rp->fkeys ? 0 : -ENOMEM;
}

/* Append l to out->near, taking a terminal at each end. 0 or -ENOMEM. */
static int topo_near_take(struct topo_state *out, const struct isl_link *l)
{
	if (array_grow((void **)&out->near, &out->cap_near, out->nnear + 1,
		       sizeof(*out->near), 16) < 0)
		return -ENOMEM;
	out->near[out->nnear++] = *l;
	out->free_term[l->a]--;
	out->free_term[l->b]--;
	return 0;
}

/*
 * Re-pointing (docs/configuration.md, [isl] repoint). At a re-pointing
 * moment the links of the previous step still feasible are compared with
 * a fresh assignment (the nearest rule from all terminals free, made at
 * that moment). A kept link the fresh assignment also makes stays. A kept
 * link it does not make is released when it is longer than (1 +
 * repoint_gain) times the reach of either end, a satellite's reach being
 * its longest link in the fresh assignment: with a gain of 0 the mesh
 * becomes the fresh assignment, except for kept links no longer than what
 * their ends would hold anyway; a larger gain keeps more links and
 * re-points less (the hysteresis). The terminals released then take their
 * partners of the fresh assignment where both ends are free (shortest
 * first), before the nearest rule fills what is left: without that step a
 * freed terminal pairs with the nearest terminal still free, usually
 * farther than its fresh partner, and the mesh stays about 1.3 times as
 * long as a fresh one (docs/performance.md). Every new link acquires
 * (since = now). Into out->near, with out->cnt.repointed the links
 * released. 0 or -ENOMEM.
 */
static int topo_near_repoint(const struct topo_model *m,
			     const struct topo_state *prev,
			     const struct isl_rules *rules,
			     struct topo_state *out)
{
	double f = 1.0 + m->isl.repoint_gain;
	struct topo_repoint rp;
	int ret;

	ret = topo_repoint_prepare(m, prev, rules, out, &rp);
	if (ret)
		goto out_free;
	topo_near_free(m, out);
	for (size_t i = 0; i < rp.nkept && !ret; i++) {
		const struct isl_link *l = &rp.kept[i];
		double len = vec3_dist(out->pos[l->a], out->pos[l->b]);
		double reach = fmin(rp.reach[l->a], rp.reach[l->b]);

		if (!topo_near_has(rp.fkeys, rp.nfresh, l) &&
		    len > f * reach) {
			out->cnt.repointed++;
			continue;
		}
		ret = topo_near_take(out, l);
	}
	for (size_t i = 0; i < rp.nfresh && !ret; i++) {
		struct isl_link l = rp.fresh[i];

		if (!out->free_term[l.a] || !out->free_term[l.b] ||
		    topo_near_has(rp.kkeys, rp.nkept, &l))
			continue;
		l.since = out->unix_ns;
		ret = topo_near_take(out, &l);
	}
out_free:
	topo_repoint_free(&rp);
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
